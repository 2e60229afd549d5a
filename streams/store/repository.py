"""ClaimStore: every read and write of tracked claims, as idempotent upserts.

Writes are keyed by deterministic ids, so a record processed twice (Kafka delivers
at least once) leaves the database as if it were processed once. Deduplication runs
inside :meth:`ClaimStore.dedup_transaction`, which holds advisory locks on the claim's
blocking keys: two workers can never both decide that one fact is new.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from schemas.records import (
    Article,
    Claim,
    Contradiction,
    DeadLetter,
    Mention,
    Quantity,
    TrackedClaim,
    TrackedClaimUpdate,
)

# Candidates fetched per blocking key, most recent first. Bounded so the cost of a
# dedup or contradiction decision stays flat however large the store grows.
CANDIDATES_PER_KEY = 50

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


class ClaimStore:
    """Async repository over a PostgreSQL connection pool."""

    def __init__(self, conninfo: str, *, min_size: int = 1, max_size: int = 4) -> None:
        self._pool = AsyncConnectionPool(
            conninfo, min_size=min_size, max_size=max_size, open=False, kwargs={"row_factory": dict_row}
        )

    async def open(self) -> None:
        """Open the pool and wait until the database answers."""
        await self._pool.open(wait=True)

    async def close(self) -> None:
        """Close the pool; pending writes have been committed by then."""
        await self._pool.close()

    async def __aenter__(self) -> ClaimStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- writes ---------------------------------------------------------------------

    async def save_article(self, article: Article, claim_count: int) -> None:
        """Store an article (and its source) before its claims go downstream."""
        async with self._pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO sources (name) VALUES (%s) ON CONFLICT DO NOTHING", (article.source,)
            )
            await conn.execute(
                """
                INSERT INTO articles (id, url, source, title, body, body_hash, published_at, language,
                                      fetched_at, claim_count)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO NOTHING
                """,
                (
                    article.id,
                    article.url,
                    article.source,
                    article.title,
                    article.body,
                    body_hash(article.body),
                    article.published_at,
                    article.language,
                    article.fetched_at,
                    claim_count,
                ),
            )

    @asynccontextmanager
    async def dedup_transaction(self, keys: Sequence[str]) -> AsyncIterator[DedupTransaction]:
        """A transaction holding advisory locks on ``keys``, for one dedup decision.

        Locks are taken in sorted order so two transactions never deadlock.
        """
        async with self._pool.connection() as conn, conn.transaction():
            for lock in sorted({_lock_id(k) for k in keys}):
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
            yield DedupTransaction(conn)

    async def candidates(self, keys: Sequence[str], exclude: str | None = None) -> list[TrackedClaim]:
        """Tracked claims stored under any of ``keys`` (bounded, most recent first)."""
        async with self._pool.connection() as conn:
            return await _candidates(conn, keys, exclude)

    async def save_contradictions(self, contradictions: Iterable[Contradiction], mention_id: str) -> None:
        """Store contradictions found for a mention and mark the mention checked."""
        async with self._pool.connection() as conn, conn.transaction():
            for item in contradictions:
                await conn.execute(
                    """
                    INSERT INTO contradictions (id, claim_a_id, claim_b_id, kind, score, explanation,
                                                evidence, detected_at)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    (
                        item.id,
                        item.claim_a_id,
                        item.claim_b_id,
                        item.kind,
                        item.score,
                        item.explanation,
                        Jsonb([e.model_dump(mode="json") for e in item.evidence]),
                        item.detected_at,
                    ),
                )
            await conn.execute(
                "UPDATE claim_mentions SET checked_at = now() WHERE id = %s AND checked_at IS NULL",
                (mention_id,),
            )

    async def save_dead_letter(self, letter: DeadLetter) -> None:
        """Store a dead letter (idempotent by its deterministic id)."""
        async with self._pool.connection() as conn:
            await conn.execute(
                """
                INSERT INTO dead_letters (id, stage, reason, error_type, payload, payload_encoding, key,
                                          topic, partition, "offset", received_at)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO NOTHING
                """,
                (
                    letter.id,
                    letter.stage,
                    letter.reason,
                    letter.error_type,
                    letter.payload,
                    letter.payload_encoding,
                    letter.key,
                    letter.topic,
                    letter.partition,
                    letter.offset,
                    letter.received_at,
                ),
            )

    # -- reads ----------------------------------------------------------------------

    async def progress(self, article_ids: Sequence[str]) -> dict[str, ArticleProgress]:
        """Return how far each article has come: pending, done (stored) or dead (dead-lettered)."""
        result = {aid: ArticleProgress(aid, "pending") for aid in article_ids}
        async with self._pool.connection() as conn:
            cur = await conn.execute(
                """
                SELECT a.id, a.claim_count,
                       (SELECT count(*) FROM claim_mentions m
                         WHERE m.article_id = a.id AND m.checked_at IS NOT NULL)
                     + (SELECT count(*) FROM dead_letters d
                         WHERE d.key = a.id AND d.stage = ANY(%s)) AS done
                  FROM articles a WHERE a.id = ANY(%s)
                """,
                (list(CLAIM_STAGES), list(article_ids)),
            )
            for row in await cur.fetchall():
                state: ArticleState = "done" if row["done"] >= row["claim_count"] else "pending"
                result[row["id"]] = ArticleProgress(row["id"], state, row["claim_count"], row["done"])
            cur = await conn.execute(
                "SELECT DISTINCT key FROM dead_letters WHERE key = ANY(%s) AND NOT (stage = ANY(%s))",
                (list(article_ids), list(CLAIM_STAGES)),
            )
            for row in await cur.fetchall():
                if result[row["key"]].state == "pending":
                    result[row["key"]].state = "dead"
        return result

    async def list_claims(
        self,
        *,
        limit: int = 100,
        speaker: str | None = None,
        article_ids: Sequence[str] | None = None,
    ) -> list[TrackedClaim]:
        """Tracked claims with all their mentions, most mentioned first."""
        where, params = ["true"], []
        if speaker:
            where.append("c.speaker ILIKE %s")
            params.append(f"%{speaker}%")
        if article_ids is not None:
            where.append("EXISTS (SELECT 1 FROM claim_mentions m WHERE m.claim_id = c.id AND m.article_id = ANY(%s))")
            params.append(list(article_ids))
        sql = (
            f"SELECT c.* FROM claims c WHERE {' AND '.join(where)} "  # noqa: S608 - fixed fragments only
            "ORDER BY c.mention_count DESC, c.first_seen_at, c.id LIMIT %s"
        )
        async with self._pool.connection() as conn:
            rows = await (await conn.execute(sql, (*params, limit))).fetchall()
            return await _with_mentions(conn, rows, all_mentions=True)

    async def list_contradictions(
        self, *, limit: int = 100, article_ids: Sequence[str] | None = None
    ) -> list[Contradiction]:
        """Stored contradictions, newest first."""
        where, params = "true", []
        if article_ids is not None:
            where = """EXISTS (SELECT 1 FROM claim_mentions m WHERE m.claim_id IN (x.claim_a_id, x.claim_b_id)
                                 AND m.article_id = ANY(%s))"""
            params.append(list(article_ids))
        sql = (
            f"SELECT x.* FROM contradictions x WHERE {where} "  # noqa: S608 - fixed fragments only
            "ORDER BY x.detected_at DESC, x.id LIMIT %s"
        )
        async with self._pool.connection() as conn:
            rows = await (await conn.execute(sql, (*params, limit))).fetchall()
        return [
            Contradiction(
                id=r["id"],
                claim_a_id=r["claim_a_id"],
                claim_b_id=r["claim_b_id"],
                kind=r["kind"],
                score=r["score"],
                explanation=r["explanation"],
                evidence=r["evidence"],
                detected_at=r["detected_at"],
            )
            for r in rows
        ]

    async def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries, tests and health)."""
        tables = ("articles", "claims", "claim_mentions", "contradictions", "dead_letters")
        async with self._pool.connection() as conn:
            out = {}
            for table in tables:
                row = await (await conn.execute(f"SELECT count(*) AS n FROM {table}")).fetchone()  # noqa: S608
                out[table] = row["n"] if row else 0
            return out


class DedupTransaction:
    """The reads and writes of one dedup decision, inside the locked transaction."""

    def __init__(self, conn: AsyncConnection[Any]) -> None:
        self._conn = conn

    async def tracked_for_mention(self, mention_id: str) -> TrackedClaim | None:
        """The tracked claim a mention was already attached to (a replayed record), if any."""
        cur = await self._conn.execute(
            "SELECT c.* FROM claims c JOIN claim_mentions m ON m.claim_id = c.id WHERE m.id = %s", (mention_id,)
        )
        rows = await cur.fetchall()
        found = await _with_mentions(self._conn, rows, all_mentions=False, mention_id=mention_id)
        return found[0] if found else None

    async def candidates(self, keys: Sequence[str]) -> list[TrackedClaim]:
        """Tracked claims under any of ``keys``, read under the locks."""
        return await _candidates(self._conn, keys, None)

    async def apply(self, update: TrackedClaimUpdate, keys: Sequence[str]) -> TrackedClaim:
        """Attach the claim to its tracked claim (creating it when new); return it as stored."""
        conn, claim, tracked = self._conn, update.claim, update.tracked
        for speaker, role in {(claim.speaker, claim.speaker_role), (tracked.speaker, tracked.speaker_role)}:
            if speaker:
                await conn.execute(
                    "INSERT INTO speakers (name, role) VALUES (%s, %s) ON CONFLICT DO NOTHING", (speaker, role)
                )
        for entity in claim.entities:
            await conn.execute("INSERT INTO entities (name) VALUES (%s) ON CONFLICT DO NOTHING", (entity,))
        if update.is_new:
            await conn.execute(
                """
                INSERT INTO claims (id, canonical_text, speaker, speaker_role, modality, negated, numbers,
                                    entities, claim_time, first_seen_article_id, first_seen_at, last_seen_at)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (id) DO NOTHING
                """,
                (
                    tracked.id,
                    tracked.canonical_text,
                    tracked.speaker,
                    tracked.speaker_role,
                    tracked.modality,
                    tracked.negated,
                    Jsonb([q.model_dump(mode="json") for q in tracked.numbers]),
                    tracked.entities,
                    tracked.claim_time,
                    claim.article_id,
                    claim.published_at,
                    claim.published_at,
                ),
            )
            for key in dict.fromkeys(keys):
                await conn.execute(
                    "INSERT INTO claim_keys (key, claim_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    (key, tracked.id),
                )
        cur = await conn.execute(
            """
            INSERT INTO claim_mentions (id, claim_id, article_id, source, text, speaker, speaker_role,
                reporting, quote, span_start, span_end, numbers, modality, hedge, negated, entities,
                claim_time, checkworthiness, extractor_name, extractor_version, published_at, match_score)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (id) DO NOTHING
            """,
            (
                claim.id,
                tracked.id,
                claim.article_id,
                claim.source,
                claim.text,
                claim.speaker,
                claim.speaker_role,
                claim.reporting,
                claim.quote,
                claim.span[0],
                claim.span[1],
                Jsonb([q.model_dump(mode="json") for q in claim.numbers]),
                claim.modality,
                claim.hedge,
                claim.negated,
                claim.entities,
                claim.claim_time,
                claim.checkworthiness,
                claim.extractor.name,
                claim.extractor.version,
                claim.published_at,
                update.score,
            ),
        )
        if cur.rowcount:
            await conn.execute(
                """
                UPDATE claims c SET
                    mention_count = c.mention_count + 1,
                    source_count = (SELECT count(DISTINCT a.body_hash) FROM claim_mentions m
                                      JOIN articles a ON a.id = m.article_id
                                     WHERE m.claim_id = c.id),
                    first_seen_at = LEAST(c.first_seen_at, %s),
                    last_seen_at = GREATEST(c.last_seen_at, %s),
                    updated_at = now()
                WHERE c.id = %s
                """,
                (claim.published_at, claim.published_at, tracked.id),
            )
        stored = await self.tracked_for_mention(claim.id)
        if stored is None:  # pragma: no cover - the insert above makes this impossible
            raise RuntimeError(f"mention {claim.id} vanished inside its own transaction")
        return stored


async def _candidates(conn: AsyncConnection[Any], keys: Sequence[str], exclude: str | None) -> list[TrackedClaim]:
    if not keys:
        return []
    cur = await conn.execute(
        """
        SELECT c.* FROM claims c
         WHERE c.id IN (
            SELECT ck.claim_id FROM unnest(%s::text[]) AS k(key)
            CROSS JOIN LATERAL (
                SELECT claim_id FROM claim_keys WHERE key = k.key ORDER BY created_at DESC LIMIT %s
            ) ck)
           AND c.id IS DISTINCT FROM %s
         ORDER BY c.last_seen_at DESC NULLS LAST, c.id
        """,
        (list(dict.fromkeys(keys)), CANDIDATES_PER_KEY, exclude),
    )
    return await _with_mentions(conn, await cur.fetchall(), all_mentions=False)


async def _with_mentions(
    conn: AsyncConnection[Any],
    rows: Sequence[dict[str, Any]],
    *,
    all_mentions: bool,
    mention_id: str | None = None,
) -> list[TrackedClaim]:
    """Build TrackedClaim records; with ``all_mentions`` False, only the first (and ``mention_id``)."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    if all_mentions:
        sql = "SELECT * FROM claim_mentions WHERE claim_id = ANY(%s) ORDER BY published_at NULLS LAST, id"
        params: tuple[Any, ...] = (ids,)
    else:
        sql = """
            SELECT * FROM (
                SELECT DISTINCT ON (claim_id) * FROM claim_mentions WHERE claim_id = ANY(%s)
                 ORDER BY claim_id, published_at NULLS LAST, stored_at, id) first
            UNION
            SELECT * FROM claim_mentions WHERE id = %s AND claim_id = ANY(%s)
        """
        params = (ids, mention_id, ids)
    mentions: dict[str, list[Mention]] = {i: [] for i in ids}
    for m in await (await conn.execute(sql, params)).fetchall():
        mentions[m["claim_id"]].append(
            Mention(
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
        TrackedClaim(
            id=r["id"],
            canonical_text=r["canonical_text"],
            speaker=r["speaker"],
            speaker_role=r["speaker_role"],
            modality=r["modality"],
            negated=r["negated"],
            numbers=[Quantity(**q) for q in r["numbers"]],
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

