"""ClaimStore: every read and write of tracked claims, as idempotent upserts.

Writes are keyed by deterministic ids, so a record processed twice (Kafka delivers
at least once) leaves the database as if it were processed once. Deduplication runs
inside :meth:`ClaimStore.dedup_batch`, which holds advisory locks on the claims'
blocking keys: two workers can never both decide that one fact is new.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

import numpy as np
import psycopg
from cachetools import LRUCache
from psycopg import AsyncConnection
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.rows import tuple_row
from psycopg.types.json import Jsonb

from factstream.errors import ConfigurationError
from factstream.schemas.records import (
    Article,
    Claim,
    Contradiction,
    DeadLetter,
    Mention,
    Quantity,
    TrackedClaim,
    TrackedClaimUpdate,
    tracked_claim_id,
    unvalidated,
)
from factstream.store.pool import PooledDatabase

log = logging.getLogger(__name__)

# Candidates looked at per blocking key, most recent first, and compared per claim: of those, the
# ones sharing the most keys with the claim. Both bounded, so the cost of a dedup or contradiction
# decision stays flat however large the store grows.
CANDIDATES_PER_KEY = 50
CANDIDATES_PER_CLAIM = 40
# Semantic candidates per claim: the stored tracked claims nearest to it by cosine of their
# embeddings (pgvector's HNSW index), whatever words they share. They take reserved slots within
# CANDIDATES_PER_CLAIM, so key-ranked candidates never crowd them out. A restatement's fact is
# its nearest neighbour or close to it; five leave room for near-duplicates of that fact stored
# apart, and cost the judge at most five more pairs per claim.
SEMANTIC_CANDIDATES = 5
# Cosine distance (1 - cosine) beyond which a neighbour is no candidate. Chosen from data with the
# shipped encoder: 0.44 keeps 98.0% of the true paraphrases of MRPC train (label duplicate) and
# STS-B train (score >= 4), 4,159 pairs, whose 2nd-percentile cosine is 0.559; on STS-B dev
# (score >= 4, 264 pairs, not used to choose it) it keeps 98.9% (261). MRPC train's non-paraphrases
# (mostly same-story sentences) have median cosine 0.72, so it admits related claims too, as
# candidates should: the judge decides.
SEMANTIC_MAX_DISTANCE = 0.44
# The dimension of tracked_claims.embedding (migration 0006): the MiniLM sentence encoder's.
EMBEDDING_DIMENSIONS = 384

# Stages whose dead letters stand for one claim of an article (the rest of the article
# went on); dead letters of other stages stand for the whole article.
CLAIM_STAGES = frozenset({"dedup", "contradict"})

ArticleState = Literal["pending", "done", "dead"]


def body_hash(body: str) -> str:
    """Hash of the normalised body: equal for syndicated copies of one story."""
    folded = " ".join(unicodedata.normalize("NFKC", body).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _lock_id(key: str) -> int:
    """Map a blocking key to a signed 64-bit advisory lock id."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


@dataclass
class ArticleProgress:
    """How far one article has come through the pipeline."""

    article_id: str
    state: ArticleState
    claim_count: int = 0
    claims_done: int = 0


class ProcessorState(Protocol):
    """What the store asks of the processor that decides with its candidates (dedup, contradict).

    The processor keeps its own data on each tracked claim it creates (match features, a
    screen of them): the store writes it with the claim and hands it back with the claim when
    it reads it as a candidate, but never reads it itself.
    """

    def state_of(self, tracked: TrackedClaim) -> tuple[Any, Any]:
        """The processor's data on a new tracked claim and its screen, both JSON (or None)."""
        ...

    def restore_state(self, tracked: TrackedClaim, stored: Any) -> None:
        """Take back the data stored with a tracked claim read from the database (None if absent)."""
        ...


class ClaimStore(PooledDatabase):
    """Async repository over a PostgreSQL connection pool."""

    def __init__(self, conninfo: str, *, min_size: int = 1, max_size: int = 4) -> None:
        super().__init__(conninfo, min_size=min_size, max_size=max_size)
        # Least recently used entries are dropped first (see CANDIDATE_CACHE_SIZE).
        self._candidates: LRUCache[str, TrackedClaim] = LRUCache(CANDIDATE_CACHE_SIZE)
        # Stored screens by tracked claim id (as written: the store never reads them).
        self._screens: LRUCache[str, Any] = LRUCache(SCREEN_CACHE_SIZE)
        # Whether tracked_claims.embedding exists (pgvector was there at migration), read once.
        self._semantic: bool | None = None

    # -- writes ---------------------------------------------------------------------

    async def save_article(self, article: Article, claim_count: int) -> None:
        """Store one article (see :meth:`save_articles`)."""
        await self.save_articles([(article, claim_count)])

    async def save_articles(self, items: Sequence[tuple[Article, int]]) -> None:
        """Store articles (and their sources) with their claim counts, in one transaction."""
        if not items:
            return
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO sources (name) VALUES (%s) ON CONFLICT DO NOTHING",
                [(name,) for name in sorted({a.source for a, _ in items})],
            )
            await cur.executemany(
                """
                INSERT INTO articles (id, url, source, title, body, body_hash, published_at, date_source,
                                      language, fetched_at, claim_count)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO NOTHING
                """,
                [
                    (a.id, a.url, a.source, a.title, a.body, body_hash(a.body), a.published_at, a.date_source,
                     a.language, a.fetched_at, n)
                    for a, n in items
                ],
            )

    async def dedup_batch(
        self,
        claims: Sequence[Claim],
        keys_of: Callable[[Claim], list[str]],
        decide: Callable[[Claim, list[TrackedClaim]], TrackedClaimUpdate],
        screens: Sequence[Callable[[Any], bool] | None] | None = None,
        vectors: Sequence[Sequence[float] | None] | None = None,
        state: ProcessorState | None = None,
    ) -> list[TrackedClaimUpdate]:
        """Attach each claim to its tracked claim, in order, in one transaction; return the updates.

        Advisory locks on every blocking key of the batch (taken in one sorted statement, so two
        workers never deadlock) make the read of candidates and the write of decisions atomic:
        two workers can never both decide that one fact is new. A claim already stored (a replayed
        record) gets its stored decision back. Claims decided earlier in the batch are candidates
        for later ones. ``decide`` is the dedup processor's pure decision; it sees at most
        :data:`CANDIDATES_PER_CLAIM` candidates, best ranked first (see :func:`_ranked`); with
        ``screens`` (per claim, the processor's test of a candidate's stored screen), a
        ranked candidate a claim's test rules out is left out of its list and, unless cached,
        never read. With ``state`` (the deciding processor, see :class:`ProcessorState`), each
        new tracked claim is written with the processor's own data on it, and candidates read
        from the database are handed back with theirs. With ``vectors`` (per claim, the
        processor's embedding of it) and pgvector in the database, up to :data:`SEMANTIC_CANDIDATES`
        stored or batch-new tracked claims nearest to the claim by cosine join its candidates (see
        :func:`_with_nearest`; the screen does not rule them out: it is a test of shared words), and
        each new tracked claim is stored with its claim's vector.
        """
        if not claims:
            return []
        keys = [list(dict.fromkeys(keys_of(c))) for c in claims]
        async with self._pool.connection() as conn, conn.transaction():
            all_keys = sorted({k for ks in keys for k in ks})
            await conn.execute(
                "SELECT pg_advisory_xact_lock(l) "
                "FROM (SELECT DISTINCT unnest(%s::bigint[]) AS l ORDER BY 1) s",
                ([_lock_id(k) for k in all_keys],),
            )
            stored = await _stored_mentions(conn, [c.id for c in claims])
            lookup = [[] if c.id in stored else ks for c, ks in zip(claims, keys, strict=True)]
            ranked = await _ranked(conn, lookup, CANDIDATES_PER_CLAIM)
            semantic = await self._semantic_on(conn, vectors)
            own = _as_vectors(vectors if semantic else None, len(claims))
            searched = [v if ks else None for v, ks in zip(own, lookup, strict=True)]
            near = await _nearest(conn, searched, SEMANTIC_CANDIDATES)
            ruled_out = [out - {cid for _, cid in n}
                         for out, n in zip(await self._screened(conn, ranked, screens), near, strict=True)]
            loaded = await self._load(
                conn,
                [cid for r, out in zip(ranked, ruled_out, strict=True) for cid, *_ in r if cid not in out]
                + [cid for n in near for _, cid in n] + list(stored.values()),
                state,
            )
            # Tracked claims this batch created, newest last, with their keys: candidates for the rest.
            batch_new: dict[str, tuple[TrackedClaim, frozenset[str]]] = {}
            # ... and their vectors, row i for the i-th of them that has one.
            bank = np.empty((len(claims), EMBEDDING_DIMENSIONS), dtype=np.float32)
            bank_ids: list[str] = []
            decisions: list[TrackedClaimUpdate] = []
            decided: dict[str, TrackedClaimUpdate] = {}
            rows = zip(claims, keys, ranked, ruled_out, strict=True)
            for i, (claim, claim_keys, found, out) in enumerate(rows):
                if claim.id in decided:  # the same claim twice in one batch (a story sent twice)
                    decisions.append(decided[claim.id])
                    continue
                if claim.id in stored:
                    replay = loaded[stored[claim.id]]
                    decisions.append(TrackedClaimUpdate(
                        tracked=replay, claim=claim, is_new=replay.id == tracked_claim_id(claim.id)
                    ))
                    continue
                ranking = [(score, 0, latest, cid) for cid, score, latest in found]
                wanted = set(claim_keys)
                for order, (tracked, tracked_keys) in enumerate(batch_new.values(), start=1):
                    shared = tracked_keys & wanted
                    if shared:
                        ranking.append((_score(shared), order, 0.0, tracked.id))
                ranking.sort(reverse=True)
                nearby = list(near[i])
                vector = searched[i]
                if vector is not None and bank_ids:
                    distances = 1.0 - bank[: len(bank_ids)] @ vector
                    nearby.extend((float(d), cid) for d, cid in zip(distances, bank_ids, strict=True)
                                  if d <= SEMANTIC_MAX_DISTANCE)
                nearest = list(dict.fromkeys(cid for _, cid in sorted(nearby)))[:SEMANTIC_CANDIDATES]
                # The best CANDIDATES_PER_CLAIM, less those the screen ruled out: the same decision
                # as with them, since a ruled-out candidate is neither a duplicate nor a contradiction.
                chosen = _with_nearest([cid for *_, cid in ranking], nearest, CANDIDATES_PER_CLAIM)
                candidates = [batch_new[cid][0] if cid in batch_new else loaded[cid]
                              for cid in chosen if cid not in out]
                decision = decide(claim, candidates)
                decisions.append(decision)
                decided[claim.id] = decision
                if decision.is_new:
                    batch_new[decision.tracked.id] = (decision.tracked, frozenset(claim_keys))
                    if own[i] is not None:
                        bank[len(bank_ids)] = own[i]
                        bank_ids.append(decision.tracked.id)
            embeddings = None
            if semantic:
                embeddings = {
                    d.tracked.id: _Float4Array(v)
                    for d, v in zip(decisions, own, strict=True) if d.is_new and v is not None
                }
            await _write_decisions(conn, list(zip(decisions, keys, strict=True)), embeddings, state)
            touched = list(dict.fromkeys(d.tracked.id for d in decisions))
            await _recount(conn, touched)
            current = {t.id: t for t in await _claims_by_id(conn, touched)}
        # New tracked claims are candidates for the next batches and for the contradiction
        # check that follows: keep them, as if read back (their counts are re-read when emitted).
        for d in decisions:
            if d.is_new and d.tracked.id not in self._candidates:
                self._candidates[d.tracked.id] = current[d.tracked.id]
        return [
            TrackedClaimUpdate(tracked=current[d.tracked.id], claim=d.claim, is_new=d.is_new, score=d.score)
            for d in decisions
        ]

    async def embeddings_enabled(self) -> bool:
        """Whether tracked claims carry embeddings, i.e. semantic candidates are on (pgvector at 0006).

        Checked once per store. A host can skip embedding records when it is off; when off, a
        warning says so, once.
        """
        if self._semantic is None:
            async with self._pool.connection() as conn:
                return await self._semantic_on(conn, ())
        return self._semantic

    async def _semantic_on(
        self, conn: AsyncConnection[Any], vectors: Sequence[Sequence[float] | None] | None
    ) -> bool:
        """Whether ``vectors`` can be used: given, and tracked_claims.embedding exists (checked once)."""
        if vectors is None:
            return False
        if self._semantic is None:
            cur = await conn.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('tracked_claims') "
                "AND attname = 'embedding' AND NOT attisdropped) AS present"
            )
            row = await cur.fetchone()
            self._semantic = bool(row and row["present"])
            if not self._semantic:
                log.warning(
                    "semantic candidates are off: pgvector is missing from this PostgreSQL, so claims "
                    "have no embedding column (migration 0006); candidates come by blocking key only",
                    extra={"event": "semantic_candidates_off"},
                )
        return self._semantic

    async def _screened(
        self,
        conn: AsyncConnection[Any],
        ranked: Sequence[Sequence[tuple[str, int, float]]],
        screens: Sequence[Callable[[Any], bool] | None] | None,
    ) -> list[frozenset[str]]:
        """For each record, the ranked candidates its screen rules out (never any that are cached).

        A cached candidate costs nothing to build, so it is passed on as it is. The others are
        judged on their stored screens, read in one query for those not already in memory (a
        screen never changes once written, so it is kept); one without a stored screen, or
        with one written by other rules, is read and compared in full.
        """
        if screens is None:
            return [frozenset()] * len(ranked)
        cache, known = self._candidates, self._screens
        wanted = {cid for found, test in zip(ranked, screens, strict=True) if test is not None
                  for cid, *_ in found if cid not in cache and cid not in known}
        if wanted:
            sql = "SELECT id, match_screen FROM tracked_claims WHERE id = ANY(%s)"
            cur = await conn.execute(sql, (list(wanted),))
            for row in await cur.fetchall():
                known[row["id"]] = row["match_screen"]
        out = []
        for found, test in zip(ranked, screens, strict=True):
            excluded = set()
            if test is not None:
                for cid, *_ in found:
                    if cid in cache:
                        continue
                    candidate = known.get(cid)
                    if candidate is not None and not test(candidate):
                        excluded.add(cid)
            out.append(frozenset(excluded))
        return out

    async def candidates(self, keys: Sequence[str], exclude: str | None = None) -> list[TrackedClaim]:
        """Tracked claims stored under any of ``keys``, best ranked first (see :meth:`candidates_batch`)."""
        (found,) = await self.candidates_batch([keys], [exclude])
        return found

    async def candidates_batch(
        self,
        keys: Sequence[Sequence[str]],
        exclude: Sequence[str | None],
        screens: Sequence[Callable[[Any], bool] | None] | None = None,
        vectors: Sequence[Sequence[float] | None] | None = None,
        state: ProcessorState | None = None,
    ) -> list[list[TrackedClaim]]:
        """For each record's keys, its candidate tracked claims, in one round of queries.

        At most :data:`CANDIDATES_PER_CLAIM` per record, those sharing the most keys with it first
        (a text-hash key outweighs all others), ties to the most recent; ``exclude`` names a
        tracked claim to leave out of each record's list (the record's own). With ``screens`` (per
        record, the processor's test of a candidate's stored screen), candidates a record's
        test rules out are left out of its list and, unless cached, never read. With ``vectors``
        (per record, the processor's embedding of it) and pgvector in the database, up to
        :data:`SEMANTIC_CANDIDATES` tracked claims nearest to a record with keys join its list
        (see :func:`_with_nearest`), screens notwithstanding. With ``state`` (the processor that
        asks), candidates read from the database are handed back with its data on them.
        """
        lookup = [list(dict.fromkeys(ks)) for ks in keys]
        async with self._pool.connection() as conn:
            ranked = await _ranked(conn, lookup, CANDIDATES_PER_CLAIM + 1)
            own = _as_vectors(vectors if await self._semantic_on(conn, vectors) else None, len(keys))
            near = [
                [cid for _, cid in n if cid != excluded][:SEMANTIC_CANDIDATES]
                for n, excluded in zip(
                    await _nearest(conn, [v if ks else None for v, ks in zip(own, lookup, strict=True)],
                                   SEMANTIC_CANDIDATES + 1),
                    exclude, strict=True,
                )
            ]
            ruled_out = [out - set(n)
                         for out, n in zip(await self._screened(conn, ranked, screens), near, strict=True)]
            loaded = await self._load(
                conn,
                [cid for r, out in zip(ranked, ruled_out, strict=True) for cid, *_ in r if cid not in out]
                + [cid for n in near for cid in n],
                state,
            )
        return [
            [
                loaded[cid]
                for cid in _with_nearest([c for c, *_ in found if c != excluded], nearest,
                                         CANDIDATES_PER_CLAIM)
                if cid not in out
            ]
            for found, excluded, nearest, out in zip(ranked, exclude, near, ruled_out, strict=True)
        ]

    async def _load(self, conn: AsyncConnection[Any], ids: Sequence[str],
                    state: ProcessorState | None = None) -> dict[str, TrackedClaim]:
        """Tracked claims by id, from this store's cache or the database (handed to ``state``)."""
        cache = self._candidates
        found: dict[str, TrackedClaim] = {}
        missing = []
        for cid in dict.fromkeys(ids):
            tracked = cache.get(cid)
            if tracked is None:
                missing.append(cid)
            else:
                found[cid] = tracked
        for tracked in await _claims_by_id(conn, missing, state=state):
            found[tracked.id] = cache[tracked.id] = tracked
        return found

    async def save_contradictions(
        self, contradictions: Iterable[Contradiction], checked: Sequence[str]
    ) -> None:
        """Store contradictions and mark the mentions they were searched for as checked, atomically."""
        rows = [
            (x.id, x.claim_a_id, x.claim_b_id, x.kind, x.score, x.explanation,
             Jsonb([e.model_dump(mode="json") for e in x.evidence]), x.detected_at, Jsonb(x.judgement),
             x.model_version or None)
            for x in contradictions
        ]
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.executemany(
                """
                INSERT INTO contradictions (id, claim_a_id, claim_b_id, kind, score, explanation, evidence,
                                            detected_at, judgement, judge_version)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO NOTHING
                """,
                rows,
            )
            await cur.execute(
                "UPDATE claim_mentions SET checked_at = now() WHERE id = ANY(%s) AND checked_at IS NULL",
                (list(checked),),
            )

    async def save_dead_letter(self, letter: DeadLetter) -> None:
        """Store one dead letter (see :meth:`save_dead_letters`)."""
        await self.save_dead_letters([letter])

    async def save_dead_letters(self, letters: Sequence[DeadLetter]) -> None:
        """Store dead letters (idempotent by their deterministic ids)."""
        async with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            await cur.executemany(
                """
                INSERT INTO dead_letters (id, stage, reason, error_type, payload, payload_encoding, key,
                                          topic, partition, "offset", received_at, payload_truncated,
                                          payload_sha256, payload_bytes)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO UPDATE SET
                    reason = EXCLUDED.reason, error_type = EXCLUDED.error_type,
                    received_at = EXCLUDED.received_at, replayed_at = NULL,
                    -- a notice never replaces a whole payload; a whole payload replaces a prefix
                    payload = CASE WHEN EXCLUDED.payload_truncated THEN dead_letters.payload
                                   ELSE EXCLUDED.payload END,
                    payload_truncated = dead_letters.payload_truncated AND EXCLUDED.payload_truncated
                WHERE dead_letters.replayed_at IS NOT NULL  -- a replay that failed again
                   OR (dead_letters.payload_truncated AND NOT EXCLUDED.payload_truncated)
                """,
                [
                    (d.id, d.stage, d.reason, d.error_type, d.payload, d.payload_encoding, d.key, d.topic,
                     d.partition, d.offset, d.received_at, d.payload_truncated, d.payload_sha256,
                     d.payload_bytes)
                    for d in letters
                ],
            )

    # -- reads ----------------------------------------------------------------------

    async def applied_migrations(self) -> list[int]:
        """Versions recorded in schema_migrations (empty before the first migration)."""
        async with self._pool.connection() as conn:
            exists = await (await conn.execute("SELECT to_regclass('schema_migrations') AS t")).fetchone()
            if not exists or exists["t"] is None:
                return []
            cur = await conn.execute("SELECT version FROM schema_migrations ORDER BY version")
            rows = await cur.fetchall()
            return [r["version"] for r in rows]

    async def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries, tests and health)."""
        tables = ("articles", "tracked_claims", "claim_mentions", "contradictions", "dead_letters")
        async with self._pool.connection() as conn:
            out = {}
            for table in tables:
                row = await (await conn.execute(f"SELECT count(*) AS n FROM {table}")).fetchone()  # noqa: S608
                out[table] = row["n"] if row else 0
            return out


async def _stored_mentions(conn: AsyncConnection[Any], mention_ids: list[str]) -> dict[str, str]:
    """{mention id: tracked claim id} for the mentions already stored."""
    cur = await conn.execute("SELECT id, claim_id FROM claim_mentions WHERE id = ANY(%s)", (mention_ids,))
    return {row["id"]: row["claim_id"] for row in await cur.fetchall()}


# How much one shared blocking key counts when candidates are ranked: a text-hash key means the
# same words, so such a candidate always ranks first; every other key counts one.
_TEXT_KEY_WEIGHT = 100


def _score(shared: Iterable[str]) -> int:
    return sum(_TEXT_KEY_WEIGHT if k.startswith("t:") else 1 for k in shared)


# For each record (its index and its keys): every key's window (the CANDIDATES_PER_KEY most recent
# tracked claims stored under it), scored by the keys each tracked claim shares with the record,
# best first. Ranking runs in the database so only the chosen ids come back.
_RANKED_SQL = """
WITH q AS (SELECT * FROM unnest(%(recs)s::int[], %(keys)s::text[]) AS q(rec, key)),
win AS (
    SELECT w.key, ck.claim_id, ck.created_at FROM (SELECT DISTINCT key FROM q) w
    CROSS JOIN LATERAL (
        SELECT claim_id, created_at FROM claim_keys WHERE key = w.key
         ORDER BY created_at DESC, claim_id DESC LIMIT %(per_key)s
    ) ck
),
scored AS (
    SELECT q.rec, win.claim_id,
           sum(CASE WHEN q.key LIKE 't:%%' THEN %(text_weight)s ELSE 1 END)::int AS score,
           max(win.created_at) AS latest
      FROM q JOIN win ON win.key = q.key
     GROUP BY q.rec, win.claim_id
)
SELECT rec, claim_id, score, extract(epoch FROM latest)::float8 AS latest FROM (
    SELECT *, row_number() OVER (PARTITION BY rec ORDER BY score DESC, latest DESC, claim_id DESC) AS r
      FROM scored
) s WHERE r <= %(per_claim)s ORDER BY rec, r
"""


async def _ranked(
    conn: AsyncConnection[Any], keys: Sequence[Sequence[str]], limit: int
) -> list[list[tuple[str, int, float]]]:
    """For each record's keys, its best ``limit`` candidates as (tracked claim id, score, latest).

    Bounded work per record whatever the store size: at most CANDIDATES_PER_KEY ids per key are
    looked at, and only ``limit`` are returned. Only claim_keys is read (an index-only scan).
    """
    out: list[list[tuple[str, int, float]]] = [[] for _ in keys]
    recs = [i for i, ks in enumerate(keys) for _ in ks]
    if not recs:
        return out
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(_RANKED_SQL, {
            "recs": recs, "keys": [k for ks in keys for k in ks], "per_key": CANDIDATES_PER_KEY,
            "per_claim": limit, "text_weight": _TEXT_KEY_WEIGHT,
        })
        for rec, claim_id, score, latest in await cur.fetchall():
            out[rec].append((claim_id, score, latest))
    return out


# For each record (its index, and its vector as a slice of one flat float4[] sent in binary, see
# _Float4Array): the tracked claims nearest to it by cosine distance, through the HNSW index on
# tracked_claims.embedding (an approximate search, which is what bounds its cost as the store grows).
# Claims stored without an embedding are never found.
_NEAREST_SQL = """
WITH q AS MATERIALIZED (
    SELECT rec, (%(flat)s::float4[])[(i - 1) * %(dim)s + 1 : i * %(dim)s]::vector AS v
      FROM unnest(%(recs)s::int[]) WITH ORDINALITY AS u(rec, i)
)
SELECT q.rec, n.id, n.distance FROM q CROSS JOIN LATERAL (
    SELECT id, embedding <=> q.v AS distance FROM tracked_claims ORDER BY embedding <=> q.v LIMIT %(k)s
) n
WHERE n.distance <= %(max_distance)s
ORDER BY q.rec, n.distance, n.id
"""


async def _nearest(
    conn: AsyncConnection[Any], vectors: Sequence[np.ndarray | None], k: int
) -> list[list[tuple[float, str]]]:
    """For each record's vector, up to ``k`` stored tracked claims as (cosine distance, id), nearest first.

    Only those within :data:`SEMANTIC_MAX_DISTANCE`; none for a record without a vector.
    """
    out: list[list[tuple[float, str]]] = [[] for _ in vectors]
    given = [(i, v) for i, v in enumerate(vectors) if v is not None]
    if not given:
        return out
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(_NEAREST_SQL, {
            "recs": [i for i, _ in given], "flat": _Float4Array(np.concatenate([v for _, v in given])),
            "dim": EMBEDDING_DIMENSIONS, "k": k, "max_distance": SEMANTIC_MAX_DISTANCE,
        })
        for rec, claim_id, distance in await cur.fetchall():
            out[rec].append((distance, claim_id))
    return out


class _Float4Array:
    """Floats to send as one PostgreSQL ``real[]``, built by numpy in the binary array format.

    psycopg's own list dumper converts float by float (~0.2 ms per 384-float vector), and a
    pgvector text literal costs more: this costs microseconds. PostgreSQL casts ``real[]`` to
    ``vector``.
    """

    __slots__ = ("values",)

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float32).ravel()


class _Float4ArrayDumper(Dumper):
    format = Format.BINARY
    oid = psycopg.postgres.types["float4"].array_oid

    def dump(self, obj: _Float4Array) -> bytes:
        n = len(obj.values)
        if not n:
            return struct.pack("!iii", 0, 0, _FLOAT4_OID)
        # Header: dimensions, has-nulls flag, element type, then length and lower bound of the one
        # dimension; each element: its byte length (4) and the big-endian float.
        items = np.empty(n, dtype=[("size", ">i4"), ("value", ">f4")])
        items["size"] = 4
        items["value"] = obj.values
        return struct.pack("!iiiii", 1, 0, _FLOAT4_OID, n, 1) + items.tobytes()


_FLOAT4_OID = psycopg.postgres.types["float4"].oid
psycopg.adapters.register_dumper(_Float4Array, _Float4ArrayDumper)


def _with_nearest(keyed: Sequence[str], nearest: Sequence[str], limit: int) -> list[str]:
    """Up to ``limit`` candidate ids: the key-ranked ones with slots kept for the nearest ones.

    The best ``limit - len(nearest)`` key-ranked ids come first, then key-ranked ones into any
    slots a nearest id already among them left free, then the nearest ids not yet listed; no id
    twice.
    """
    head = list(keyed[: max(limit - len(nearest), 0)])
    extra = [cid for cid in nearest if cid not in head][:limit]
    room = limit - len(head) - len(extra)
    taken = set(extra)
    tail = [cid for cid in keyed[len(head):] if cid not in taken][: max(room, 0)]
    return head + tail + extra


def _as_vectors(vectors: Sequence[Sequence[float] | None] | None, n: int) -> list[np.ndarray | None]:
    """The records' vectors as unit-length float32 arrays; None where a record has none (all without them).

    Unit length, so the cosine with the batch's own new claims is a dot product.
    """
    if vectors is None:
        return [None] * n
    if len(vectors) != n:
        raise ValueError(f"{len(vectors)} vectors for {n} records")
    out: list[np.ndarray | None] = []
    for v in vectors:
        if v is None:
            out.append(None)
            continue
        array = np.asarray(v, dtype=np.float32)
        if array.shape != (EMBEDDING_DIMENSIONS,):
            raise ConfigurationError(
                f"a candidate vector has shape {array.shape}; "
                f"tracked_claims.embedding holds {EMBEDDING_DIMENSIONS} floats"
            )
        norm = float(np.linalg.norm(array))
        out.append(array / norm if norm else array)
    return out


# Candidates as the processors see them, by id. What a decision reads of a tracked claim (its
# text, speaker, numbers, polarity, first mention) never changes once written, so a cached copy
# is as good as a fresh one; the counts that do change are re-read for every update emitted.
# Which ids are candidates is always read fresh. 50,000 claims cost ~100 MB at most.
CANDIDATE_CACHE_SIZE = 50_000
# Screens of candidates read but not built (ruled out), by id: the contradiction check of a new
# tracked claim ranks the candidates its dedup decision just screened. ~1 KB each.
SCREEN_CACHE_SIZE = 100_000

# Only what TrackedClaim needs: `search` (a tsvector) and bookkeeping columns are never read here.
_CLAIM_COLUMNS = (
    "id, canonical_text, speaker, speaker_role, modality, negated, numbers, entities, claim_time, "
    "first_seen_article_id, first_seen_at, last_seen_at, mention_count, source_count"
)


async def _claims_by_id(
    conn: AsyncConnection[Any], ids: list[str], *, state: ProcessorState | None = None
) -> list[TrackedClaim]:
    """Tracked claims with their first mention; with ``state``, each handed its stored data."""
    if not ids:
        return []
    columns = _CLAIM_COLUMNS + (", match_features" if state is not None else "")
    cur = await conn.execute(f"SELECT {columns} FROM tracked_claims WHERE id = ANY(%s)", (ids,))  # noqa: S608
    rows = await cur.fetchall()
    claims = await _with_mentions(conn, rows, all_mentions=False)
    if state is not None:
        for tracked, row in zip(claims, rows, strict=True):
            state.restore_state(tracked, row["match_features"])
    return claims


_INSERT_CLAIM_SQL = """
INSERT INTO tracked_claims (id, canonical_text, speaker, speaker_role, modality, negated, numbers,
                    entities, claim_time, first_seen_article_id, first_seen_at, last_seen_at,
                    match_features, match_screen)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO NOTHING
"""
_INSERT_EMBEDDED_CLAIM_SQL = """
INSERT INTO tracked_claims (id, canonical_text, speaker, speaker_role, modality, negated, numbers,
                    entities, claim_time, first_seen_article_id, first_seen_at, last_seen_at,
                    match_features, match_screen, embedding)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::vector)
ON CONFLICT (id) DO NOTHING
"""


async def _write_decisions(
    conn: AsyncConnection[Any],
    decisions: list[tuple[TrackedClaimUpdate, list[str]]],
    embeddings: dict[str, _Float4Array] | None = None,
    state: ProcessorState | None = None,
) -> None:
    """Write speakers, entities, new tracked claims with their keys, and every mention (all upserts).

    With ``embeddings`` (vectors by tracked claim id; only where tracked_claims.embedding exists),
    new tracked claims are written with theirs; with ``state``, with the processor's data.
    """
    speakers: dict[str, str | None] = {}
    aliases: set[tuple[str, str]] = set()
    entities: set[str] = set()
    new_keys: list[tuple[str, str]]
    new_claims, new_keys, mentions = [], [], []
    for update, keys in decisions:
        claim, tracked = update.claim, update.tracked
        for name, role in ((claim.speaker, claim.speaker_role), (tracked.speaker, tracked.speaker_role)):
            if name:
                speakers.setdefault(name, role)
                aliases.add((name, name))
        if claim.speaker:
            aliases.update((claim.speaker, alias) for alias in claim.speaker_aliases)
        entities.update(claim.entities)
        if update.is_new:
            details, screen = state.state_of(tracked) if state is not None else (None, None)
            new_claims.append((
                tracked.id, tracked.canonical_text, tracked.speaker, tracked.speaker_role, tracked.modality,
                tracked.negated, Jsonb([q.model_dump(mode="json") for q in tracked.numbers]),
                tracked.entities, tracked.claim_time, claim.article_id, claim.published_at,
                claim.published_at, None if details is None else Jsonb(details),
                None if screen is None else Jsonb(screen),
                *(() if embeddings is None else (embeddings.get(tracked.id),)),
            ))
            new_keys.extend((key, tracked.id) for key in dict.fromkeys(keys))
        mentions.append((
            claim.id, tracked.id, claim.article_id, claim.source, claim.text, claim.speaker,
            claim.speaker_role, claim.reporting, claim.quote, claim.span[0], claim.span[1],
            Jsonb([q.model_dump(mode="json") for q in claim.numbers]), claim.modality, claim.hedge,
            claim.negated, claim.entities, claim.claim_time, claim.checkworthiness, claim.extractor.name,
            claim.extractor.version, claim.published_at, update.score, update.model_version or None,
            claim.speaker_aliases, Jsonb([list(span) for span in claim.quote_spans]),
        ))
    async with conn.cursor() as cur:
        await cur.executemany(
            "INSERT INTO speakers (name, role) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            sorted(speakers.items()),
        )
        await cur.executemany(
            "INSERT INTO speaker_aliases (speaker, alias) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            sorted(aliases),
        )
        await cur.executemany(
            "INSERT INTO entities (name) VALUES (%s) ON CONFLICT DO NOTHING", [(e,) for e in sorted(entities)]
        )
        await cur.executemany(
            _INSERT_CLAIM_SQL if embeddings is None else _INSERT_EMBEDDED_CLAIM_SQL, new_claims
        )
        await cur.executemany(
            "INSERT INTO claim_keys (key, claim_id) VALUES (%s, %s) ON CONFLICT DO NOTHING", new_keys
        )
        await cur.executemany(
            """
            INSERT INTO claim_mentions (id, claim_id, article_id, source, text, speaker, speaker_role,
                reporting, quote, span_start, span_end, numbers, modality, hedge, negated, entities,
                claim_time, checkworthiness, extractor_name, extractor_version, published_at, match_score,
                judge_version, speaker_aliases, quote_spans)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                    %s, %s, %s)
            ON CONFLICT (id) DO NOTHING
            """,
            mentions,
        )


async def _recount(conn: AsyncConnection[Any], claim_ids: list[str]) -> None:
    """Recompute mention and independent-source counts and first/last seen from the mentions.

    Recomputed, never incremented, so a replayed batch cannot count anything twice.
    Independent sources are distinct article bodies: syndicated copies count once.
    """
    await conn.execute(
        """
        UPDATE tracked_claims c SET
            mention_count = s.n, source_count = s.sources, first_seen_at = s.first_seen,
            last_seen_at = s.last_seen, updated_at = now()
        FROM (
            SELECT m.claim_id, count(*) AS n, count(DISTINCT a.body_hash) AS sources,
                   min(m.published_at) AS first_seen, max(m.published_at) AS last_seen
              FROM claim_mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.claim_id = ANY(%s)
             GROUP BY m.claim_id
        ) s
        WHERE c.id = s.claim_id
        """,
        (claim_ids,),
    )


# What a Mention record holds; the rest of a mention row is for queries, not for matching.
_MENTION_COLUMNS = (
    "id, claim_id, article_id, source, speaker, quote, span_start, span_end, text, published_at"
)


async def _with_mentions(
    conn: AsyncConnection[Any],
    rows: Sequence[dict[str, Any]],
    *,
    all_mentions: bool,
) -> list[TrackedClaim]:
    """Build TrackedClaim records with all their mentions, or (``all_mentions`` False) the first only."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    if all_mentions:
        sql = f"SELECT {_MENTION_COLUMNS} FROM claim_mentions WHERE claim_id = ANY(%s) "  # noqa: S608
        sql += "ORDER BY published_at NULLS LAST, id"
    else:
        sql = f"""
            SELECT DISTINCT ON (claim_id) {_MENTION_COLUMNS} FROM claim_mentions WHERE claim_id = ANY(%s)
             ORDER BY claim_id, published_at NULLS LAST, stored_at, id
        """  # noqa: S608 - fixed fragments only
    params = (ids,)
    mentions: dict[str, list[Mention]] = {i: [] for i in ids}
    for m in await (await conn.execute(sql, params)).fetchall():
        # Rows were validated when written: construct without validating again (hot path).
        mentions[m["claim_id"]].append(
            unvalidated(
                Mention,
                claim_id=m["id"],
                article_id=m["article_id"],
                source=m["source"],
                speaker=m["speaker"],
                quote=m["quote"],
                span=(m["span_start"], m["span_end"]),
                text=m["text"],
                published_at=m["published_at"],
            )
        )
    return [
        unvalidated(
            TrackedClaim,
            id=r["id"],
            canonical_text=r["canonical_text"],
            speaker=r["speaker"],
            speaker_role=r["speaker_role"],
            modality=r["modality"],
            negated=r["negated"],
            numbers=[unvalidated(Quantity, **q) for q in r["numbers"]],
            entities=r["entities"],
            claim_time=r["claim_time"],
            first_seen_article_id=r["first_seen_article_id"],
            first_seen_at=r["first_seen_at"],
            last_seen_at=r["last_seen_at"],
            mention_count=r["mention_count"],
            source_count=r["source_count"],
            mentions=sorted(mentions[r["id"]], key=_mention_order),
        )
        for r in rows
    ]


def _mention_order(m: Mention) -> tuple[str, str]:
    return (m.published_at.isoformat() if isinstance(m.published_at, datetime) else "~", m.claim_id)

