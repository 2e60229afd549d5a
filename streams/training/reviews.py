"""A newsroom's reviews as training pairs: confirmed and rejected decisions are labels.

A reviewed duplicate decision is the mention's text against its tracked claim's text; a reviewed
contradiction is the two tracked claims' texts. Confirmed keeps the judge's verdict as the label,
rejected turns it into "none". Reviews get a split from their target like every other pair, so some
of them measure the retrained judge instead of training it.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path
from typing import Any

from factstream.training.judge_data import Pair, split_of


def pairs_from_rows(duplicates: list[dict[str, Any]], contradictions: list[dict[str, Any]]) -> list[Pair]:
    """Training pairs from reviewed decisions (rows as ``ClaimQueries.reviewed_decisions`` returns them)."""
    pairs = []
    for row in duplicates:
        same = row["verdict"] == "confirmed"
        pairs.append(Pair(row["a"], row["b"], "reviews", split_of("review:" + row["target_id"]),
                          para=int(same), relation="duplicate" if same else "none"))
    for row in contradictions:
        real = row["verdict"] == "confirmed"
        pairs.append(Pair(row["a"], row["b"], "reviews", split_of("review:" + row["target_id"]),
                          para=0, nli="contradiction" if real else None,
                          relation="contradiction" if real else "none", kind=row["kind"] if real else None))
    return pairs


def reviewed_pairs(conninfo: str) -> list[Pair]:
    """Every reviewed decision in the database at ``conninfo`` as a training pair.

    Read through the store's read model, so a database that is down or not migrated gives the
    project's own errors (``DatabaseUnavailable``, ``NotMigrated``), as every other command does.
    """
    from factstream.store.queries import ClaimQueries  # noqa: PLC0415 - only when reviews are asked for

    async def read() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        async with ClaimQueries(conninfo, max_size=1, statement_timeout_ms=None) as queries:
            return await queries.reviewed_decisions()

    duplicates, contradictions = asyncio.run(read())
    return pairs_from_rows(duplicates, contradictions)


def review_pairs(path: Path) -> list[Pair]:
    """Pairs from a JSONL file of reviewed pairs (as :func:`write_reviews` writes it)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [Pair(**json.loads(line)) for line in fh if line.strip()]


def write_reviews(pairs: list[Pair], path: Path) -> None:
    """Write reviewed pairs as JSONL."""
    with path.open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
