"""Per-claim dedup + contradiction cost against stores of 10k, 100k, 1M tracked claims.

A scratch database is seeded fast: the real tracked claims of the corpus (minus held-out probe
articles) and their real blocking keys are COPYed into staging tables once, then expanded on
the server to N tracked claims (``INSERT ... SELECT`` over ``generate_series``), each with its
keys, a first mention and an article. Copy j of base claim i keeps the speaker, entity and
predicate keys of claim i, so popular buckets grow with the store as they do in production
(text-hash keys stay unique per copy), and takes its content (text, speaker, numbers, match
features) from another base claim, (i + j * CONTENT_STRIDE) mod base: every stored tracked
claim is then a distinct fact, as in a store deduplication built, not the same fact stored 28
times (a real store never holds one fact twice, and a claim restating it would otherwise meet
all 28). Then the held-out claims go through exactly the worker's dedup and contradict calls,
timed per claim.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import psycopg

from factstream.bench.env import Target
from factstream.bench.stages import StoreStages, batches
from factstream.processors.dedup import new_tracked_claim
from factstream.processors.judge import default_judge
from factstream.processors.judge.settings import JudgeSettings
from factstream.processors.matching.features import clear_caches, features_of_tracked
from factstream.processors.matching.screen import screen_of_features
from factstream.schemas.records import Article, Claim
from factstream.store import ClaimStore

# Claims per seeded article row (FK target of claims and mentions); about a BBC article's count.
CLAIMS_PER_SEED_ARTICLE = 16
# Probe batch: the size of a claims batch when the pipeline runs below saturation.
PROBE_BATCH = 100
# Copy j of base claim i takes the content of base claim (i + j * CONTENT_STRIDE) mod base: a
# prime, so the copies of one claim carry as many different contents as the store has copies.
CONTENT_STRIDE = 7919
# Probe claims run before timing (caches, connections, plans).
PROBE_WARMUP = 100
# With embeddings (the learned judge), copy j of a base claim stores its content's real embedding
# plus this fraction of another base claim's (cosine ~0.99 to the original): each stored claim has
# a vector of its own near its text's, so pgvector's index holds N distinct points, as it would.
EMBEDDING_NOISE = 0.15
# The embedding parts of the claims INSERT above (markers replaced when the base has vectors).
_EMBEDDING_PARTS = {
    "/*EMBEDDING_COLUMN*/": ", embedding",
    "/*EMBEDDING_VALUE*/": ", v.v + w.small",
    "/*EMBEDDING_JOIN*/": "JOIN seed_vec v ON v.idx = b.idx "
                          "JOIN seed_vec w ON w.idx = (b.idx + g / %(b)s + 1) %% %(b)s",
}


def base_rows(claims: Sequence[Claim], keys_of: Any) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
    """Staging rows of the base set: tracked-claim fields per claim, and (index, key) pairs."""
    keys: list[tuple[int, str]]
    rows, keys = [], []
    for i, claim in enumerate(claims):
        tracked = new_tracked_claim(claim)
        rows.append(
            (
                i,
                tracked.canonical_text,
                tracked.speaker,
                tracked.speaker_role,
                tracked.modality,
                tracked.negated,
                json.dumps([q.model_dump(mode="json") for q in tracked.numbers]),
                tracked.entities,
                tracked.claim_time,
                claim.text,
                claim.quote,
                claim.span[0],
                claim.span[1],
                # What the worker stores for every new tracked claim: its features for matching,
                # and the part of them candidates are screened on.
                json.dumps(features := features_of_tracked(tracked)),
                json.dumps(screen_of_features(features)),
            )
        )
        keys.extend((i, k) for k in dict.fromkeys(keys_of(claim)))
    return rows, keys


_EXPAND_SQL = """
INSERT INTO sources (name) VALUES ('bench-seed') ON CONFLICT DO NOTHING;
INSERT INTO speakers (name, role) SELECT DISTINCT ON (speaker) speaker, speaker_role FROM seed_base
 WHERE speaker IS NOT NULL ON CONFLICT DO NOTHING;
INSERT INTO articles (id, source, title, body, body_hash, published_at, fetched_at, claim_count, stored_at)
SELECT 'art_seed_' || j, 'bench-seed', '', 'seed article ' || j, md5(j::text),
       timestamptz '2004-01-01' + j * interval '1 minute', now(), %(per)s, now()
  FROM generate_series(0, (%(n)s - 1) / %(per)s) j;
INSERT INTO tracked_claims (id, canonical_text, speaker, speaker_role, modality, negated, numbers, entities,
                    claim_time, first_seen_article_id, first_seen_at, last_seen_at, mention_count,
                    source_count, created_at, match_features, match_screen/*EMBEDDING_COLUMN*/)
SELECT 'trk_seed_' || g, b.text, b.speaker, b.speaker_role, b.modality, b.negated, b.numbers, b.entities,
       b.claim_time, 'art_seed_' || (g / %(per)s),
       timestamptz '2004-01-01' + (g / %(per)s) * interval '1 minute',
       timestamptz '2004-01-01' + (g / %(per)s) * interval '1 minute', 1, 1,
       now() - (%(n)s - g) * interval '1 second', b.match_features, b.match_screen/*EMBEDDING_VALUE*/
  FROM generate_series(0, %(n)s - 1) g JOIN seed_base b ON b.idx = (g + (g / %(b)s) * %(stride)s) %% %(b)s
  /*EMBEDDING_JOIN*/;
INSERT INTO claim_keys (key, claim_id, created_at)
SELECT CASE WHEN k.key LIKE 't:%%' AND g >= %(b)s THEN k.key || '#' || (g / %(b)s) ELSE k.key END,
       'trk_seed_' || g, now() - (%(n)s - g) * interval '1 second'
  FROM generate_series(0, %(n)s - 1) g JOIN seed_keys k ON k.idx = g %% %(b)s;
INSERT INTO claim_mentions (id, claim_id, article_id, source, text, speaker, speaker_role, quote,
                            span_start, span_end, numbers, modality, negated, entities, claim_time,
                            checkworthiness,
                            extractor_name, extractor_version, published_at, match_score, checked_at)
SELECT 'clm_seed_' || g, 'trk_seed_' || g, 'art_seed_' || (g / %(per)s), 'bench-seed', b.mention_text,
       b.speaker,
       b.speaker_role, b.quote, b.span_start, b.span_end, b.numbers, b.modality, b.negated, b.entities,
       b.claim_time, 0.5, 'bench-seed', '0',
       timestamptz '2004-01-01' + (g / %(per)s) * interval '1 minute', 1.0, now()
  FROM generate_series(0, %(n)s - 1) g JOIN seed_base b ON b.idx = (g + (g / %(b)s) * %(stride)s) %% %(b)s;
"""


def seed(url: str, rows: Sequence[tuple[Any, ...]], keys: Sequence[tuple[int, str]], n: int,
         vectors: np.ndarray | None = None) -> float:
    """Fill the store with ``n`` tracked claims; return the seconds it took.

    With ``vectors`` (one per base row: its text's embedding), every claim gets an embedding too
    (see :data:`EMBEDDING_NOISE`), so semantic candidates come from a store of that size.
    """
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("""
            CREATE UNLOGGED TABLE seed_base (idx int PRIMARY KEY, text text, speaker text,
                speaker_role text, modality text, negated bool, numbers jsonb, entities text[],
                claim_time date, mention_text text, quote text, span_start int, span_end int,
                match_features jsonb, match_screen jsonb);
            CREATE UNLOGGED TABLE seed_keys (idx int, key text);
        """)
        with conn.cursor() as cur:
            with cur.copy("COPY seed_base FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy("COPY seed_keys FROM STDIN") as copy:
                for row in keys:
                    copy.write_row(row)
        conn.execute("CREATE INDEX ON seed_keys (idx)")
        expand = _EXPAND_SQL
        if vectors is not None:
            conn.execute("CREATE UNLOGGED TABLE seed_vec (idx int PRIMARY KEY, v vector(384), "
                         "small vector(384))")
            with conn.cursor() as cur, cur.copy("COPY seed_vec FROM STDIN") as copy:
                for i, v in enumerate(vectors):
                    copy.write_row((i, _literal(v), _literal(EMBEDDING_NOISE * v)))
            for marker, sql in _EMBEDDING_PARTS.items():
                expand = expand.replace(marker, sql)
        params = {"n": n, "b": min(n, len(rows)), "per": CLAIMS_PER_SEED_ARTICLE, "stride": CONTENT_STRIDE}
        for statement in filter(str.strip, expand.split(";\n")):
            conn.execute(statement, params)
        if vectors is not None:
            conn.execute("DROP TABLE seed_vec")
        conn.execute("DROP TABLE seed_base")
        conn.execute("DROP TABLE seed_keys")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


def _literal(v: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in v) + "]"


async def probe(url: str, articles: Sequence[Article], claims: Sequence[Claim]) -> dict[str, Any]:
    """Dedup then contradict the probe claims in batches; per-claim wall and CPU cost of each."""
    clear_caches()  # every size starts as a worker that has seen none of its store
    default_judge().clear_caches()
    async with ClaimStore(url) as store:
        stages = StoreStages(store)
        await store.save_articles([(a, 0) for a in articles])
        # A small corpus still gets most of its probe timed.
        split = min(PROBE_WARMUP, len(claims) // 4)
        warm, timed = claims[:split], claims[split:]
        await stages.contradict_batch(await stages.dedup_batch(warm))
        wall = {"dedup": 0.0, "contradict": 0.0}
        cpu = {"dedup": 0.0, "contradict": 0.0}
        for chunk in batches(timed, PROBE_BATCH):
            c0, t0 = time.process_time(), time.perf_counter()
            updates = await stages.dedup_batch(chunk)
            c1, t1 = time.process_time(), time.perf_counter()
            await stages.contradict_batch(updates)
            wall["dedup"] += t1 - t0
            cpu["dedup"] += c1 - c0
            wall["contradict"] += time.perf_counter() - t1
            cpu["contradict"] += time.process_time() - c1
    n = len(timed)
    return {
        "probe_claims": n,
        "dedup_ms": round(1000 * wall["dedup"] / n, 3),
        "contradict_ms": round(1000 * wall["contradict"] / n, 3),
        "per_claim_ms": round(1000 * (wall["dedup"] + wall["contradict"]) / n, 3),
        "python_cpu_ms": round(1000 * (cpu["dedup"] + cpu["contradict"]) / n, 3),
    }


async def cost_by_store_size(
    target: Target,
    sizes: Sequence[int],
    base: Sequence[Claim],
    probe_articles: Sequence[Article],
    probe_claims: Sequence[Claim],
    keys_of: Any,
) -> list[dict[str, Any]]:
    """For each size: seed a scratch database, probe it, drop it."""
    rows, keys = base_rows(base, keys_of)
    # The learned judge looks for candidates by embedding too: seed the store's vectors as well.
    learned = JudgeSettings().verdict == "learned"
    vectors = default_judge().embeddings([row[1] for row in rows]) if learned else None
    out = []
    for n in sizes:
        with target.scratch_db(f"size{n}") as url:
            seconds = seed(url, rows, keys, n, vectors)
            with psycopg.connect(url) as conn:
                stored_row = conn.execute("SELECT count(*) FROM tracked_claims").fetchone()
                key_row = conn.execute("SELECT count(*) FROM claim_keys").fetchone()
                size_row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
                assert stored_row is not None and key_row is not None and size_row is not None
                stored, key_rows, db_bytes = stored_row[0], key_row[0], size_row[0]
                embedded = None
                if vectors is not None:
                    embedded_row = conn.execute("SELECT count(embedding) FROM tracked_claims").fetchone()
                    embedded = embedded_row[0] if embedded_row else None
            result = await probe(url, probe_articles, probe_claims)
            result.update(
                tracked_claims=stored,
                claim_keys=key_rows,
                seed_s=round(seconds, 1),
                db_mb=round(db_bytes / 2**20),
                base_claims=len(rows),
                embedded_claims=embedded,
            )
            out.append(result)
    return out
