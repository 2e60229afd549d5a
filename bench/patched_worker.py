"""A ``factstream run`` worker with prototype patches applied, for measuring proposed changes.

``FACTSTREAM_BENCH_PATCH`` names the patches (comma-separated); the bench starts workers with
``python -m bench.patched_worker run ...`` instead of ``python -m streams run ...`` when it is set.
Patches change speed only, never decisions (see docs/performance.md):

- ``fetch_wait=MS``: the consumer's fetch max wait (faust hard-codes 1500 ms in its aiokafka driver);
- ``candidate_cache``: keep candidate tracked claims in process (bench.experiments.candidate_cache);
- ``feature_cache=N``: the matching feature caches' size (``FEATURE_CACHE_SIZE``, 20,000);
- ``narrow_select``: fetch candidate claims without ``SELECT *`` (the tsvector and timestamps);
- ``candidates_per_key=N``: the per-key candidate window (50); changes decisions, so cost only.

The store-size probe runs in the bench process itself, so ``--patch`` applies there too.
"""

from __future__ import annotations

import os
from typing import Any


def apply(spec: str) -> None:
    """Apply the patches named in ``spec``."""
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, value = item.partition("=")
        if name == "fetch_wait":
            import aiokafka

            original = aiokafka.AIOKafkaConsumer.__init__
            wait = int(value)

            def init(self: Any, *args: Any, _orig: Any = original, _wait: int = wait, **kwargs: Any) -> None:
                kwargs["fetch_max_wait_ms"] = _wait
                _orig(self, *args, **kwargs)

            aiokafka.AIOKafkaConsumer.__init__ = init  # type: ignore[method-assign]
        elif name == "candidate_cache":
            from bench.experiments import candidate_cache

            candidate_cache().__enter__()
        elif name == "feature_cache":
            from streams.processors.matching import features

            features.FEATURE_CACHE_SIZE = int(value)
        elif name == "candidates_per_key":
            # Changes decisions (fewer candidates): for cost only, never without the quality benches.
            from streams.store import repository

            repository.CANDIDATES_PER_KEY = int(value)
        elif name == "narrow_select":
            _narrow_select()
        else:
            raise SystemExit(f"unknown bench patch {name!r}")


# The columns _with_mentions reads: not the tsvector `search`, nor created_at/updated_at.
_CLAIM_COLUMNS = (
    "id, canonical_text, speaker, speaker_role, modality, negated, numbers, entities, claim_time, "
    "first_seen_article_id, first_seen_at, last_seen_at, mention_count, source_count"
)


def _narrow_select() -> None:
    """Proposed: fetch candidate claims without the columns nobody reads (``SELECT *`` drags them)."""
    from streams.store import repository as repo

    async def claims_by_id(conn: Any, ids: list[str]) -> list[Any]:
        if not ids:
            return []
        cur = await conn.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE id = ANY(%s)", (ids,))  # noqa: S608
        return await repo._with_mentions(conn, await cur.fetchall(), all_mentions=False)

    repo._claims_by_id = claims_by_id


if __name__ == "__main__":
    apply(os.environ.get("FACTSTREAM_BENCH_PATCH", ""))
    from streams.cli import main

    main(prog_name="factstream")
