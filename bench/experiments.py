"""Prototypes of proposed optimisations, measured in-process without editing the modules they change.

Run: ``.venv/bin/python -m bench.experiments [--limit N] [--out FILE]`` (embedded services in
``.factstream/bench``). Each experiment runs the store-bound stages exactly as the worker does, once
as the code stands and once with a monkeypatched variant, on the same corpus and a fresh scratch
database each time, and prints claims/s. Only patches that keep decisions identical are tried:
the experiment checks that the tracked-claim and contradiction counts match.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.corpus import REFERENCE_CORPUS, load_corpus
from bench.env import Target
from bench.stages import StoreStages, batches, extract_all
from schemas.records import Article, Claim, TrackedClaim
from streams.settings import load_settings
from streams.store import ClaimStore
from streams.store import repository as repo


async def _run(
    url: str, articles: Sequence[Article], claims: Sequence[Sequence[Claim]], batch: int
) -> dict[str, Any]:
    flat = [c for cs in claims for c in cs]
    async with ClaimStore(url) as store:
        stages = StoreStages(store)
        for chunk in batches(list(zip(articles, (len(c) for c in claims), strict=True)), 500):
            await store.save_articles(list(chunk))
        t0, c0 = time.perf_counter(), time.process_time()
        new = found = 0
        # Interleaved per batch, as one worker does: dedup a batch, then contradict its updates.
        for chunk in batches(flat, batch):
            updates = await stages.dedup_batch(chunk)
            new += sum(u.is_new for u in updates)
            found += len(await stages.contradict_batch(updates))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "batch": batch,
        "claims": len(flat),
        "claims_per_s": round(len(flat) / wall, 1),
        "ms_per_claim": round(1000 * wall / len(flat), 3),
        "python_cpu_ms_per_claim": round(1000 * cpu / len(flat), 3),
        "new_tracked": new,
        "contradictions": found,
    }


@contextmanager
def candidate_cache() -> Any:
    """Proposed: keep candidate TrackedClaims in process, fetch from PostgreSQL only unseen ids.

    A candidate's identity fields (text, speaker, numbers, first mention) never change, and the
    decisions read only those (``analyse_tracked`` already caches features by id); the counts that
    do change are re-read for the touched claims at the end of ``dedup_batch`` as today.
    """
    original = repo._candidates_by_key
    cache: dict[str, TrackedClaim] = {}

    async def cached(conn: Any, keys: list[str]) -> dict[str, list[TrackedClaim]]:
        if not keys:
            return {}
        cur = await conn.execute(
            """
            SELECT k.key, ck.claim_id FROM unnest(%s::text[]) AS k(key)
            CROSS JOIN LATERAL (
                SELECT claim_id FROM claim_keys WHERE key = k.key ORDER BY created_at DESC LIMIT %s
            ) ck
            """,
            (keys, repo.CANDIDATES_PER_KEY),
        )
        pairs = [(row["key"], row["claim_id"]) for row in await cur.fetchall()]
        missing = [cid for cid in dict.fromkeys(cid for _, cid in pairs) if cid not in cache]
        for t in await repo._claims_by_id(conn, missing):
            cache[t.id] = t
        if len(cache) > 50_000:
            for key in list(cache)[:10_000]:
                del cache[key]
        by_key: dict[str, list[TrackedClaim]] = {}
        for key, claim_id in pairs:
            by_key.setdefault(key, []).append(cache[claim_id])
        return by_key

    repo._candidates_by_key = cached
    try:
        yield
    finally:
        repo._candidates_by_key = original


async def main_async(limit: int, batch_sizes: list[int], out: Path | None) -> None:
    settings = load_settings()
    settings = settings.model_copy(update={"state_dir": Path(settings.state_dir) / "bench"})
    target = Target.resolve(settings)
    articles = load_corpus(REFERENCE_CORPUS, limit=limit)
    claims, rate = extract_all(articles)
    print(json.dumps(rate))
    results = []
    for variant in ("as-is", "candidate-cache"):
        for size in batch_sizes:
            with target.scratch_db("exp") as url:
                if variant == "candidate-cache":
                    with candidate_cache():
                        r = await _run(url, articles, claims, size)
                else:
                    r = await _run(url, articles, claims, size)
            r["variant"] = variant
            print(json.dumps(r), flush=True)
            results.append(r)
    if out:
        out.write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--batches", default="17,100,500")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    asyncio.run(main_async(args.limit, [int(b) for b in args.batches.split(",")], args.out))


if __name__ == "__main__":
    main()
