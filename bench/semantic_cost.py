"""Cost per claim of the semantic-candidate query (pgvector HNSW) against 10k and 100k stored claims.

``python -m factstream.bench.semantic_cost [--sizes 10000,100000]``. Runs on the embedded PostgreSQL 16 (it
ships pgvector), in a scratch data directory. Real sentence embeddings of BBC corpus sentences
(``../shared/corpus/bbc``, read in place) are the base set; the stored claims are distinct sums of
two base embeddings (cosine is scale-free, so a sum is a valid point between two real sentences),
made on the server so a 100k store is seeded in seconds instead of embedding 100k sentences. Probe
claims are sentences of other articles, queried in batches of 100 exactly as the store does
(:func:`factstream.store.repository._nearest`). Prints ms per claim, the index build time, whether the
plan uses the HNSW index, and recall of the 5 nearest against an exact search in numpy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from blingfire import text_to_sentences

from factstream.bench.corpus import REFERENCE_CORPUS, load_corpus
from factstream.processors.judge.model import models
from factstream.store import migrate
from factstream.store.repository import (
    _NEAREST_SQL,
    EMBEDDING_DIMENSIONS,
    SEMANTIC_CANDIDATES,
    SEMANTIC_MAX_DISTANCE,
    _Float4Array,
    _nearest,
)

# Real sentences embedded as the base set: their pairs give up to BASE * (BASE - 1) stored vectors.
BASE = 2000
# Probe claims, from articles the base set did not come from; queried in batches of PROBE_BATCH.
PROBES = 300
PROBE_BATCH = 100

_SEED_SQL = """
INSERT INTO tracked_claims (id, canonical_text, modality, first_seen_article_id, embedding)
SELECT 'trk_seed_' || g, 'seed', 'asserted', 'art_seed', a.v + b.v
  FROM generate_series(%(start)s, %(stop)s - 1) g
  JOIN seed_base a ON a.idx = g %% %(b)s
  JOIN seed_base b ON b.idx = (g %% %(b)s + g / %(b)s + 1) %% %(b)s
"""


def sentences(limit: int) -> list[str]:
    """News sentences of 6-60 words from the corpus, in corpus order."""
    out: list[str] = []
    for article in load_corpus(REFERENCE_CORPUS):
        out += [s for s in text_to_sentences(article.body).split("\n") if 6 <= len(s.split()) <= 60]
        if len(out) >= limit:
            break
    return out[:limit]


async def time_queries(url: str, probes: np.ndarray) -> tuple[float, list[list[str]]]:
    """Milliseconds per probe claim of the nearest-claims query, and what it found."""
    found: list[list[str]] = []
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await _nearest(conn, list(probes[:PROBE_BATCH]), SEMANTIC_CANDIDATES)  # warm-up
        t0 = time.perf_counter()
        for start in range(0, len(probes), PROBE_BATCH):
            batch = await _nearest(conn, list(probes[start: start + PROBE_BATCH]), SEMANTIC_CANDIDATES)
            found += [[cid for _, cid in near] for near in batch]
        ms = 1000 * (time.perf_counter() - t0) / len(probes)
    return ms, found


def exact(stored: np.ndarray, probes: np.ndarray) -> list[list[str]]:
    """The nearest claims within the distance limit, by brute force."""
    unit = stored / np.linalg.norm(stored, axis=1, keepdims=True)
    out = []
    for p in probes:
        distance = 1.0 - unit @ p
        order = np.argsort(distance)[:SEMANTIC_CANDIDATES]
        out.append([f"trk_seed_{i}" for i in order if distance[i] <= SEMANTIC_MAX_DISTANCE])
    return out


def stored_matrix(base: np.ndarray, n: int) -> np.ndarray:
    """The vectors _SEED_SQL stores for ids 0..n-1, computed the same way."""
    g = np.arange(n)
    b = len(base)
    return base[g % b] + base[(g % b + g // b + 1) % b]


def run(sizes: list[int]) -> list[dict[str, Any]]:
    from factstream.embedded.postgres import EmbeddedPostgres  # noqa: PLC0415 - only this bench needs it

    texts = sentences(BASE + PROBES)
    vectors = models().embed(texts)
    base, probes = vectors[:BASE], vectors[BASE:]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedPostgres(Path(tmp) / "data")
        url = server.start()
        try:
            migrate(url)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("INSERT INTO sources (name) VALUES ('bench-seed')")
                conn.execute("INSERT INTO articles (id, source, body, body_hash, fetched_at, claim_count) "
                             "VALUES ('art_seed', 'bench-seed', '', 'seed', now(), 0)")
                conn.execute("CREATE UNLOGGED TABLE seed_base (idx int PRIMARY KEY, v vector(384))")
                with conn.cursor().copy("COPY seed_base FROM STDIN") as copy:
                    for i, v in enumerate(base):
                        copy.write_row((i, "[" + ",".join(map(str, v.tolist())) + "]"))
                done = 0
                for n in sizes:
                    conn.execute("DROP INDEX IF EXISTS tracked_claims_embedding_idx")
                    conn.execute(_SEED_SQL, {"start": done, "stop": n, "b": BASE})
                    done = n
                    conn.execute("SET maintenance_work_mem = '1GB'")
                    t0 = time.perf_counter()
                    conn.execute("CREATE INDEX tracked_claims_embedding_idx ON tracked_claims USING hnsw "
                                 "(embedding vector_cosine_ops)")
                    build_s = time.perf_counter() - t0
                    conn.execute("VACUUM ANALYZE tracked_claims")
                    plan = conn.execute("EXPLAIN " + _NEAREST_SQL, {
                        "recs": list(range(PROBE_BATCH)), "flat": _Float4Array(probes[:PROBE_BATCH]),
                        "dim": EMBEDDING_DIMENSIONS, "k": SEMANTIC_CANDIDATES,
                        "max_distance": SEMANTIC_MAX_DISTANCE,
                    }).fetchall()
                    ms, found = asyncio.run(time_queries(url, probes))
                    truth = exact(stored_matrix(base, n), probes)
                    hits = sum(len(set(f) & set(t)) for f, t in zip(found, truth, strict=True))
                    wanted = sum(len(t) for t in truth)
                    results.append({
                        "tracked_claims": n,
                        "nearest_ms_per_claim": round(ms, 3),
                        "index_build_s": round(build_s, 1),
                        "uses_hnsw": any("tracked_claims_embedding_idx" in row[0] for row in plan),
                        "probes": len(probes),
                        "probes_with_a_neighbour": sum(1 for t in truth if t),
                        "recall_vs_exact": round(hits / wanted, 3) if wanted else None,
                    })
                    print(json.dumps(results[-1]), flush=True)
        finally:
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored claims, comma-separated, ascending")
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
