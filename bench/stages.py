"""Each stage's own rate, in this process, on the corpus: extract alone; dedup and contradict on a real store.

The store-bound stages run exactly what the worker's agents run (``ClaimStore.dedup_batch`` with the
dedup processor's decision; ``candidates_batch`` + the contradict processor + ``save_contradictions``)
on full batches of ``factstream.processors.base.STORE_BATCH``, through the hosts' own functions
(:mod:`factstream.hosts.candidates`), so each figure is that stage's ceiling on one core
with nothing else competing for it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from factstream.hosts.candidates import decide_in_store, outputs_of
from factstream.hosts.writes import store_write_of
from factstream.processors import registry
from factstream.schemas.records import Article, Claim, Contradiction, TrackedClaimUpdate
from factstream.store import ClaimStore


def extract_all(articles: Sequence[Article]) -> tuple[list[list[Claim]], dict[str, Any]]:
    """Extract every article (after one warm-up); return the claims per article and the rate."""
    extract = registry.load("extract")
    extract.setup()
    extract.process(articles[0])
    cpu0, t0 = time.process_time(), time.perf_counter()
    # As the worker's extract host does: batches of the processor's size, parsed together.
    size = extract.batch_size
    claims = [list(found) for start in range(0, len(articles), size)
              for found in _extract_batch(extract, articles[start : start + size])]
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    n_claims = sum(len(c) for c in claims)
    return claims, _rate("extract", len(articles), n_claims, wall, cpu)


def _extract_batch(extract: Any, articles: Sequence[Article]) -> list[list[Claim]]:
    many = getattr(extract, "process_batch", None)
    if many is not None:
        return list(many(articles))
    return [list(extract.process(a)) for a in articles]


def _rate(stage: str, articles: int, claims: int, wall: float, cpu: float) -> dict[str, Any]:
    return {
        "stage": stage,
        "articles": articles,
        "claims": claims,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "articles_per_s": round(articles / wall, 2) if wall else None,
        "claims_per_s": round(claims / wall, 1) if wall else None,
    }


class StoreStages:
    """The dedup and contradict stages against one store, as the agents call them."""

    def __init__(self, store: ClaimStore) -> None:
        self.store = store
        self.dedup = registry.load("dedup")
        self.contradict = registry.load("contradict")
        self.dedup.setup()
        self.contradict.setup()

    async def dedup_batch(self, claims: Sequence[Claim]) -> list[TrackedClaimUpdate]:
        """What the dedup host does with one batch (without the topic sends)."""
        return [u for (u,) in await decide_in_store(self.dedup, self.store, claims)]  # type: ignore[misc]

    async def contradict_batch(self, updates: Sequence[TrackedClaimUpdate]) -> list[Contradiction]:
        """What the contradict host does with one batch (without the topic sends)."""
        found = await outputs_of(self.contradict, self.store, updates)
        write = store_write_of(self.contradict)
        assert write is not None and write.write is not None  # noqa: S101 - contradict stores its results
        await write.write(self.store, updates, found)
        return [c for cs in found for c in cs]  # type: ignore[misc]


def batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def store_stage_rates(
    database_url: str, articles: Sequence[Article], claims: Sequence[Sequence[Claim]], batch: int
) -> list[dict[str, Any]]:
    """Run dedup over every claim, then contradict over every update, in batches; time each stage."""
    flat = [c for cs in claims for c in cs]
    async with ClaimStore(database_url) as store:
        stages = StoreStages(store)
        for chunk in batches(list(zip(articles, (len(c) for c in claims), strict=True)), 500):
            await store.save_articles(list(chunk))
        updates: list[TrackedClaimUpdate] = []
        cpu0, t0 = time.process_time(), time.perf_counter()
        for chunk in batches(flat, batch):
            updates.extend(await stages.dedup_batch(chunk))
        dedup = _rate("dedup", len(articles), len(flat), time.perf_counter() - t0, time.process_time() - cpu0)
        dedup["new_tracked_claims"] = sum(1 for u in updates if u.is_new)
        cpu0, t0 = time.process_time(), time.perf_counter()
        found = 0
        for chunk in batches(updates, batch):
            found += len(await stages.contradict_batch(chunk))
        contradict = _rate(
            "contradict", len(articles), len(updates), time.perf_counter() - t0, time.process_time() - cpu0
        )
        contradict["contradictions"] = found
    return [dedup, contradict]
