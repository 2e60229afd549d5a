"""The learned judge's cost per claim, in process, without a broker or a store.

``python -m factstream.bench.judge_cost [--limit 100] [--decisions out.json]``. Extracts the BBC politics
articles (``../shared/corpus/bbc/politics``, sorted file order, the first ``--limit``), then runs
dedup and contradict with the learned verdict over every claim in arrival order, the way the store
hands them candidates: per blocking key the :data:`CANDIDATES_PER_KEY` most recent tracked claims,
ranked by shared keys (:data:`CANDIDATES_PER_CLAIM` at most), with slots kept for the
:data:`SEMANTIC_CANDIDATES` tracked claims nearest by embedding within
:data:`SEMANTIC_MAX_DISTANCE` (an exact search in numpy, where the store asks pgvector's HNSW
index). Prints wall and CPU seconds per stage, pair-model rows, masked-check rows, and writes the
decisions (tracked claims as sets of claim ids, contradictions between them) so that two versions
of the judge can be compared on the same claims.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from factstream.bench.corpus import REFERENCE_CORPUS, load_corpus
from factstream.processors.contradict import ContradictProcessor
from factstream.processors.dedup import DedupProcessor
from factstream.processors.judge import PairJudge, default_judge
from factstream.processors.judge.model import JudgeModels
from factstream.schemas.records import Claim, TrackedClaim, TrackedClaimUpdate
from factstream.store.repository import (
    CANDIDATES_PER_CLAIM,
    CANDIDATES_PER_KEY,
    SEMANTIC_CANDIDATES,
    SEMANTIC_MAX_DISTANCE,
    _score,
    _with_nearest,
)

POLITICS = REFERENCE_CORPUS / "politics"


class Counted:
    """Counts and times the pair model's rows (every call, the masked check's included)."""

    def __init__(self, judge: PairJudge) -> None:
        self.rows = 0
        self.calls = 0
        self.wall = 0.0
        self.masked_rows = 0
        neural: JudgeModels = judge.neural
        inner_pair = neural.pair_logits
        inner_masked = judge.same_fact_when_masked

        def pair_logits(pairs: list[tuple[str, str]]) -> np.ndarray:
            self.rows += len(pairs)
            self.calls += 1
            # Wall time of the calls; the stages report CPU as well.
            wall = time.perf_counter()
            try:
                return inner_pair(pairs)
            finally:
                self.wall += time.perf_counter() - wall

        def same_fact_when_masked(claims: Any) -> list[float]:
            self.masked_rows += len(claims)
            return inner_masked(claims)

        neural.pair_logits = pair_logits  # type: ignore[method-assign]
        judge.same_fact_when_masked = same_fact_when_masked  # type: ignore[method-assign]

    def snapshot(self) -> dict[str, float]:
        return {"pair_rows": self.rows, "pair_calls": self.calls, "pair_wall_s": round(self.wall, 2),
                "masked_rows": self.masked_rows}


def extract(limit: int) -> list[Claim]:
    """The claims of the first ``limit`` politics articles, in article order (after a warm-up)."""
    from factstream.processors import registry

    articles = load_corpus(POLITICS)[:limit]
    processor = registry.load("extract")
    processor.setup()
    processor.process(articles[0])
    cpu, wall = time.process_time(), time.perf_counter()
    claims = [c for a in articles for c in processor.process(a)]
    print(f"extract: {len(articles)} articles, {len(claims)} claims, "  # noqa: T201
          f"wall {time.perf_counter() - wall:.1f} s, CPU {time.process_time() - cpu:.1f} s")
    return claims


class InMemoryStore:
    """Candidates as the store ranks them (keys, then nearest by embedding), kept in memory."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.keys: dict[str, frozenset[str]] = {}
        self.tracked: dict[str, TrackedClaim] = {}
        self.order: dict[str, int] = {}
        self.ids: list[str] = []
        self.bank = np.zeros((0, 384), dtype=np.float32)
        # Time spent finding candidates (the store's part, not the judge's): left out of the stages.
        self.wall = 0.0
        self.cpu = 0.0

    def candidates(self, keys: list[str], vector: np.ndarray | None, exclude: str = "") -> list[TrackedClaim]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self._candidates(keys, vector, exclude)
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu

    def _candidates(self, keys: list[str], vector: np.ndarray | None, exclude: str) -> list[TrackedClaim]:
        shared: dict[str, set[str]] = defaultdict(set)
        for key in dict.fromkeys(keys):
            for cid in self.by_key.get(key, [])[:CANDIDATES_PER_KEY]:
                if cid != exclude:
                    shared[cid].add(key)
        ranked = sorted(shared, key=lambda c: (-_score(shared[c]), -self.order[c]))
        nearest: list[str] = []
        if vector is not None and self.ids:
            distances = 1.0 - self.bank[: len(self.ids)] @ vector
            close = sorted((float(d), cid) for d, cid in zip(distances, self.ids, strict=True)
                           if d <= SEMANTIC_MAX_DISTANCE and cid != exclude)
            nearest = [cid for _, cid in close][:SEMANTIC_CANDIDATES]
        return [self.tracked[cid] for cid in _with_nearest(ranked, nearest, CANDIDATES_PER_CLAIM)]

    def add(self, tracked: TrackedClaim, keys: list[str], vector: np.ndarray | None) -> None:
        self.tracked[tracked.id] = tracked
        self.order[tracked.id] = len(self.order)
        for key in dict.fromkeys(keys):
            self.by_key.setdefault(key, []).insert(0, tracked.id)
        if vector is not None:
            if len(self.ids) == len(self.bank):
                self.bank = np.vstack([self.bank, np.zeros((max(len(self.bank), 1024), 384), np.float32)])
            self.bank[len(self.ids)] = vector
            self.ids.append(tracked.id)


def run(claims: list[Claim], batch: int) -> dict[str, Any]:
    """Dedup then contradict, a batch at a time, as the agents do; timed per stage."""
    judge = default_judge()
    dedup, contradict = DedupProcessor(judge, learned=True), ContradictProcessor(judge, learned=True)
    dedup.setup()
    counter = Counted(judge)
    store = InMemoryStore()
    groups: dict[str, set[str]] = defaultdict(set)
    found: set[tuple[str, str, str]] = set()
    stage = {"dedup": [0.0, 0.0], "contradict": [0.0, 0.0]}
    rows: dict[str, dict[str, float]] = {"dedup": {}, "contradict": {}}
    for start in range(0, len(claims), batch):
        chunk = claims[start: start + batch]
        wall, cpu = time.perf_counter() - store.wall, time.process_time() - store.cpu
        before = counter.snapshot()
        vectors = [np.asarray(v, dtype=np.float32) for v in dedup.vectors(chunk)]
        updates: list[TrackedClaimUpdate] = []
        for claim, vector in zip(chunk, vectors, strict=True):
            keys = dedup.keys(claim)
            (update,) = dedup.process(claim, store.candidates(keys, vector))
            updates.append(update)
            groups[update.tracked.id].add(claim.id)
            if update.is_new:
                store.add(update.tracked, keys, vector)
        stage["dedup"][0] += time.perf_counter() - store.wall - wall
        stage["dedup"][1] += time.process_time() - store.cpu - cpu
        _add(rows["dedup"], before, counter.snapshot())
        wall, cpu = time.perf_counter() - store.wall, time.process_time() - store.cpu
        before = counter.snapshot()
        tvectors = contradict.vectors(updates)
        pools = [store.candidates(contradict.keys(u), np.asarray(v, dtype=np.float32), exclude=u.tracked.id)
                 if u.is_new and v is not None else [] for u, v in zip(updates, tvectors, strict=True)]
        for update, pool in zip(updates, pools, strict=True):
            found |= {(x.claim_a_id, x.claim_b_id, x.kind) for x in contradict.process(update, pool)}
        stage["contradict"][0] += time.perf_counter() - store.wall - wall
        stage["contradict"][1] += time.process_time() - store.cpu - cpu
        _add(rows["contradict"], before, counter.snapshot())
    group_of = {tid: sorted(members) for tid, members in groups.items()}
    return {
        "claims": len(claims),
        "tracked_claims": len(groups),
        "contradictions": len(found),
        "candidates_wall_s": round(store.wall, 2),
        "candidates_cpu_s": round(store.cpu, 2),
        "stages": {k: {"wall_s": round(w, 2), "cpu_s": round(c, 2),
                       "cpu_ms_per_claim": round(1000 * c / len(claims), 2), **rows[k]}
                   for k, (w, c) in stage.items()},
        "decisions": {
            "groups": sorted(group_of.values()),
            "contradictions": sorted([sorted([group_of[a][0], group_of[b][0]]) + [kind]
                                      for a, b, kind in found]),
        },
    }


def _add(total: dict[str, float], before: dict[str, float], after: dict[str, float]) -> None:
    for key, value in after.items():
        total[key] = round(total.get(key, 0) + value - before[key], 2)


def main() -> None:
    """Run the probe and print its figures (JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=100, help="politics articles (0: all)")
    parser.add_argument("--batch", type=int, default=100, help="claims per batch, as the store stage")
    parser.add_argument("--claims-cache", type=Path, help="read/write the extracted claims here (JSONL)")
    parser.add_argument("--decisions", type=Path, help="write the decisions here (JSON)")
    args = parser.parse_args()
    limit = args.limit or 10_000
    if args.claims_cache and args.claims_cache.exists():
        claims = [Claim.model_validate_json(line) for line in args.claims_cache.read_text().splitlines()]
    else:
        claims = extract(limit)
        if args.claims_cache:
            args.claims_cache.write_text("".join(c.model_dump_json() + "\n" for c in claims))
    cpu, wall = time.process_time(), time.perf_counter()
    result = run(claims, args.batch)
    # The judge's time: dedup and contradict, less finding their candidates (the store's part).
    result["judge_wall_s"] = round(time.perf_counter() - wall - result["candidates_wall_s"], 2)
    result["judge_cpu_s"] = round(time.process_time() - cpu - result["candidates_cpu_s"], 2)
    result["judge_cpu_ms_per_claim"] = round(1000 * result["judge_cpu_s"] / len(claims), 2)
    decisions = result.pop("decisions")
    if args.decisions:
        args.decisions.write_text(json.dumps(decisions, indent=0))
    print(json.dumps(result, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
