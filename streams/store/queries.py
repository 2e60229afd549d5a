"""ClaimQueries: the read side of the store for people (CLI, HTTP API, web page) and the review log.

Every statement is parameterised; the only SQL assembled at run time is a choice among fixed
fragments (``psycopg.sql``), never text from a caller. Results are pydantic models, so the CLI
and the API serialise them the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

import psycopg
from psycopg import sql
from pydantic import BaseModel, Field

from factstream.errors import FactstreamError, InvalidRecord
from factstream.schemas.records import Contradiction, ContradictionKind, TrackedClaim
from factstream.store.identities import (
    AmbiguousName,
    Identity,
    find,
    fold,
    identities,
    office_holder,
    office_holders,
    office_of,
)
from factstream.store.pool import PooledDatabase
from factstream.store.repository import CLAIM_STAGES, ArticleProgress, ArticleState, _with_mentions

# Largest page any query returns: big enough for an export page, small enough that one request
# cannot make the server build a response of unbounded size.
MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# Deep OFFSET pagination makes PostgreSQL produce and discard every skipped row; past this,
# narrow the query (a date range, a speaker) instead.
MAX_OFFSET = 10_000
# Longest search text accepted: websearch_to_tsquery on a longer text is a sign of misuse.
MAX_QUERY_CHARS = 500
# Entries of a speaker timeline returned at most (the most prolific speaker in the BBC corpus
# has a few hundred claims).
MAX_TIMELINE = 1000
# Mentions shown with one claim; a claim syndicated to more outlets than this is summarised
# by its mention_count.
MAX_MENTIONS_SHOWN = 500
# Claims in one story at most: a developing story in the BBC corpus has tens; a vague entity
# ("Labour") has hundreds, and the page names the count and says it is cut.
MAX_STORY_CLAIMS = 200
# How long a request waits for a free pooled connection before failing (503 in the API).
POOL_TIMEOUT_S = 5.0
# Per-statement cap, so that a pathological query cannot hold a connection for long.
STATEMENT_TIMEOUT_MS = 10_000

TargetKind = Literal["contradiction", "duplicate"]
Verdict = Literal["confirmed", "rejected"]
ReviewStatus = Literal["open", "confirmed", "rejected", "all"]


class NotFound(FactstreamError):
    """The claim, speaker, contradiction or mention asked for does not exist."""


class AmbiguousSpeaker(NotFound):
    """A speaker look-up form that names several people ("the prime minister"); the message lists them."""


# -- result models -------------------------------------------------------------------------------


class ClaimSummary(BaseModel):
    """A tracked claim without its mentions (a search result)."""

    id: str
    canonical_text: str
    speaker: str | None = None
    speaker_role: str | None = None
    modality: str
    negated: bool
    numbers: list[dict[str, Any]] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    claim_time: date | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    mention_count: int = Field(description="Mentions: every time an article stated the claim.")
    source_count: int = Field(
        description="Distinct articles (by text: a syndicated copy counts once) that mention the claim."
    )
    outlet_count: int = Field(default=0, description="Distinct outlets (sources) that mention the claim.")
    rank: float | None = Field(default=None, description="Full-text relevance when searching by text.")


class Page(BaseModel):
    """One page of results; ``next_offset`` is null on the last page."""

    items: list[Any]
    limit: int
    offset: int
    next_offset: int | None = None


class ReviewState(BaseModel):
    """The standing (most recent) review of a contradiction or a duplicate decision."""

    verdict: Verdict
    reviewer: str
    note: str = ""
    reviewed_at: datetime


class Review(BaseModel):
    """One recorded review."""

    id: int
    target_kind: TargetKind
    target_id: str
    verdict: Verdict
    reviewer: str
    note: str
    created_at: datetime


class MentionDetail(BaseModel):
    """One mention of a claim with the article it came from."""

    id: str
    source: str
    article_id: str
    article_title: str = ""
    article_url: str | None = None
    published_at: datetime | None = None
    date_source: Literal["article", "given", "ingested"] | None = Field(
        default=None,
        description="Where published_at comes from: the article, a date given at ingest, or the "
        "time of ingest (the article had none).",
    )
    speaker: str | None = None
    speaker_role: str | None = None
    reporting: bool = False
    text: str
    quote: str | None = None
    span: tuple[int, int]
    modality: str
    hedge: str | None = None
    negated: bool = False
    match_score: float
    first_mention: bool = Field(
        description="The mention that started the tracked claim; later ones are "
        "dedup decisions (reviewable as 'duplicate')."
    )
    review: ReviewState | None = None


class SourceSummary(BaseModel):
    """An outlet that carried a claim."""

    source: str
    mentions: int
    first_published_at: datetime | None = None


class ClaimSide(BaseModel):
    """One side of a contradiction."""

    id: str
    canonical_text: str
    speaker: str | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None


class ContradictionDetail(BaseModel):
    """A contradiction with both claims, the evidence and its standing review."""

    id: str
    kind: ContradictionKind
    score: float
    explanation: str
    detected_at: datetime
    claim_a: ClaimSide
    claim_b: ClaimSide
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    review: ReviewState | None = None


class TimelineEvent(BaseModel):
    """Something that happened to a claim: a mention, a contradiction found, a review."""

    at: datetime | None
    event: Literal["mention", "contradiction", "review"]
    ref: str = Field(description="The mention, contradiction or review id.")
    summary: str


class ClaimDetail(ClaimSummary):
    """A claim with its mentions, sources, timeline and contradictions."""

    mentions: list[MentionDetail] = Field(default_factory=list)
    sources: list[SourceSummary] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    contradictions: list[ContradictionDetail] = Field(default_factory=list)


class SpeakerSummary(BaseModel):
    """A speaker and how much they said."""

    name: str
    role: str | None = None
    aliases: list[str] = Field(
        default_factory=list,
        description="Every form the person was named by (the name first): 'Mr Blair', 'the prime minister'.",
    )
    claims: int
    mentions: int
    first_said_at: datetime | None = None
    last_said_at: datetime | None = None
    stance_reversals: int


class Reversal(BaseModel):
    """A stance reversal: the contradiction and the claim on the other side."""

    contradiction_id: str
    other_claim_id: str


class TimelineEntry(BaseModel):
    """One claim of a speaker, placed in time, with the stance reversals it takes part in."""

    claim_id: str
    canonical_text: str
    first_said_at: datetime | None = None
    last_said_at: datetime | None = None
    mentions: int
    sources: int
    modality: str
    negated: bool
    claim_time: date | None = None
    date_source: Literal["article", "given", "ingested"] | None = Field(
        default=None,
        description="Where first_said_at comes from: the article's own date, one given at ingest "
        "(--published-at), or the time of ingest (articles without a date).",
    )
    stance_reversal: bool
    reversals: list[Reversal] = Field(default_factory=list)


class Timeline(BaseModel):
    """A speaker's claims over time, oldest first."""

    speaker: str
    role: str | None = None
    aliases: list[str] = Field(default_factory=list, description="Every form the person was named by.")
    entries: list[TimelineEntry]
    truncated: bool = Field(default=False, description="True when more than the limit exist.")


class StoryMention(BaseModel):
    """One article's statement of a claim in a story: the first report or a later restatement."""

    id: str
    source: str
    article_id: str
    article_title: str = ""
    article_url: str | None = None
    published_at: datetime | None = None
    date_source: Literal["article", "given", "ingested"] | None = None
    speaker: str | None = None
    text: str
    quote: str | None = None


class StoryLink(BaseModel):
    """A contradiction between a story's claim and another claim, read from this claim's side."""

    contradiction_id: str
    kind: ContradictionKind
    relation: Literal["updates", "updated_by", "contradicts"] = Field(
        description="updates: a later figure for the same fact (a numeric contradiction where this "
        "claim came later); updated_by: the earlier side of one; contradicts: any other kind."
    )
    other_claim_id: str
    other_text: str
    explanation: str
    detected_at: datetime
    review: ReviewState | None = None


class StoryClaim(BaseModel):
    """A tracked claim in a story: its first report, restatements, updates and contradictions."""

    id: str
    canonical_text: str
    speaker: str | None = None
    entities: list[str] = Field(default_factory=list)
    matched_by: Literal["entity", "text", "headline"] = Field(
        description="Why the claim is in the story: it names the entity, its text says the name, or "
        "an article stating it has the name in its headline."
    )
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    mention_count: int
    source_count: int
    outlet_count: int
    first_report: StoryMention | None = None
    restatements: list[StoryMention] = Field(default_factory=list)
    links: list[StoryLink] = Field(default_factory=list)


class Story(BaseModel):
    """The tracked claims about one entity across outlets and time, oldest first."""

    entity: str = Field(description="The entity as asked for.")
    matched: list[str] = Field(
        description="The stored entity names it matched (exact, case ignored, else contains)."
    )
    claims: list[StoryClaim]
    speakers: list[str] = Field(description="Who made the story's claims, in order of first appearance.")
    outlets: list[str] = Field(description="The outlets that carried them, in order of first report.")
    article_count: int = Field(
        default=0, description="How many distinct articles state the story's claims (shown claims only)."
    )
    ingest_order: bool = Field(
        description="True when some articles carry no publication time: their dates are ingest times."
    )
    truncated: bool = Field(default=False, description="True when the story has more claims than shown.")


# -- helpers -------------------------------------------------------------------------------------


def like_pattern(text: str) -> str:
    """Return a case-insensitive *contains* pattern for ILIKE, with the caller's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def check_page(limit: int, offset: int) -> None:
    """Reject page parameters outside the bounds (the API validates them earlier with the same limits)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRecord(f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidRecord(f"offset must be between 0 and {MAX_OFFSET}")


def _page(rows: Sequence[Any], limit: int, offset: int) -> Page:
    more = len(rows) > limit
    return Page(
        items=list(rows[:limit]), limit=limit, offset=offset, next_offset=offset + limit if more else None
    )


def _review(row: dict[str, Any], prefix: str = "review_") -> ReviewState | None:
    if row.get(f"{prefix}verdict") is None:
        return None
    return ReviewState(
        verdict=row[f"{prefix}verdict"],
        reviewer=row[f"{prefix}reviewer"],
        note=row[f"{prefix}note"] or "",
        reviewed_at=row[f"{prefix}at"],
    )


_CLAIM_COLUMNS = sql.SQL(
    "c.id, c.canonical_text, c.speaker, c.speaker_role, c.modality, c.negated, c.numbers, c.entities, "
    "c.claim_time, c.first_seen_at, c.last_seen_at, c.mention_count, c.source_count, "
    "(SELECT count(DISTINCT om.source) FROM claim_mentions om WHERE om.claim_id = c.id) AS outlet_count"
)

_CONTRADICTION_SELECT = sql.SQL("""
    SELECT x.id, x.kind, x.score, x.explanation, x.detected_at, x.evidence,
           a.id AS a_id, a.canonical_text AS a_text, a.speaker AS a_speaker,
           a.first_seen_at AS a_first, a.last_seen_at AS a_last,
           b.id AS b_id, b.canonical_text AS b_text, b.speaker AS b_speaker,
           b.first_seen_at AS b_first, b.last_seen_at AS b_last,
           r.verdict AS review_verdict, r.reviewer AS review_reviewer, r.note AS review_note,
           r.created_at AS review_at
      FROM contradictions x
      JOIN tracked_claims a ON a.id = x.claim_a_id
      JOIN tracked_claims b ON b.id = x.claim_b_id
      LEFT JOIN LATERAL (
            SELECT verdict, reviewer, note, created_at FROM reviews
             WHERE target_kind = 'contradiction' AND target_id = x.id
             ORDER BY created_at DESC, id DESC LIMIT 1) r ON true
""")


def _contradiction(row: dict[str, Any]) -> ContradictionDetail:
    return ContradictionDetail(
        id=row["id"],
        kind=row["kind"],
        score=row["score"],
        explanation=row["explanation"],
        detected_at=row["detected_at"],
        evidence=row["evidence"] or [],
        claim_a=ClaimSide(
            id=row["a_id"],
            canonical_text=row["a_text"],
            speaker=row["a_speaker"],
            first_seen_at=row["a_first"],
            last_seen_at=row["a_last"],
        ),
        claim_b=ClaimSide(
            id=row["b_id"],
            canonical_text=row["b_text"],
            speaker=row["b_speaker"],
            first_seen_at=row["b_first"],
            last_seen_at=row["b_last"],
        ),
        review=_review(row),
    )


# -- the queries ---------------------------------------------------------------------------------


class ClaimQueries(PooledDatabase):
    """Async queries over a PostgreSQL connection pool (psycopg 3), plus recording reviews."""

    open_timeout = POOL_TIMEOUT_S * 6

    def __init__(
        self,
        conninfo: str,
        *,
        min_size: int = 1,
        max_size: int = 4,
        statement_timeout_ms: int | None = STATEMENT_TIMEOUT_MS,
    ) -> None:
        """Queries on a pool of ``max_size`` connections; ``statement_timeout_ms=None``: no timeout.

        The API keeps the timeout (a request never holds a connection for long); the CLI's
        polls and its reads of whole tracked claims for ``demo`` run without one, as they did.
        """
        options = {} if statement_timeout_ms is None else {
            "kwargs": {"options": f"-c statement_timeout={statement_timeout_ms}"}
        }
        super().__init__(conninfo, min_size=min_size, max_size=max_size, timeout=POOL_TIMEOUT_S, **options)

    async def _all(
        self, query: sql.Composable | str, params: Sequence[Any] | dict[str, Any]
    ) -> list[dict[str, Any]]:
        async with self.connection() as conn:
            cur = await conn.execute(query, params)  # type: ignore[arg-type]
            return await cur.fetchall()

    async def health(self) -> dict[str, Any]:
        """Whether the database answers, and the latest applied migration."""
        rows = await self._all("SELECT max(version) AS schema_version FROM schema_migrations", ())
        return {"database": "ok", "schema_version": rows[0]["schema_version"] if rows else None}

    async def search(
        self,
        text: str | None = None,
        *,
        speaker: str | None = None,
        entity: str | None = None,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page:
        """Tracked claims matching a web-search style text (``"exact phrase" -word or``) and filters.

        ``speaker``, ``entity`` and ``source`` match a case-insensitive substring of the name;
        ``since``/``until`` keep claims seen within the range. With text, the most relevant come
        first; without, the most recently seen.
        """
        check_page(limit, offset)
        if text is not None and len(text) > MAX_QUERY_CHARS:
            raise InvalidRecord(f"search text is longer than {MAX_QUERY_CHARS} characters")
        where: list[sql.Composable] = []
        params: dict[str, Any] = {"limit": limit + 1, "offset": offset}
        rank = sql.SQL("NULL::real")
        order = sql.SQL("c.last_seen_at DESC NULLS LAST, c.id")
        if text and text.strip():
            params["text"] = text
            where.append(sql.SQL("c.search @@ websearch_to_tsquery('english', %(text)s)"))
            rank = sql.SQL("ts_rank_cd(c.search, websearch_to_tsquery('english', %(text)s))")
            order = sql.SQL("rank DESC, c.last_seen_at DESC NULLS LAST, c.id")
        if speaker:
            params["speaker"] = like_pattern(speaker)
            where.append(sql.SQL("c.speaker IN (SELECT name FROM speakers WHERE name ILIKE %(speaker)s)"))
        if entity:
            params["entity"] = like_pattern(entity)
            where.append(
                sql.SQL("c.entities && ARRAY(SELECT name FROM entities WHERE name ILIKE %(entity)s)")
            )
        if source:
            params["source"] = like_pattern(source)
            where.append(
                sql.SQL(
                    "c.id IN (SELECT m.claim_id FROM claim_mentions m WHERE m.source IN "
                    "(SELECT name FROM sources WHERE name ILIKE %(source)s))"
                )
            )
        if since is not None:
            params["since"] = since
            where.append(sql.SQL("c.last_seen_at >= %(since)s"))
        if until is not None:
            params["until"] = until
            where.append(sql.SQL("c.first_seen_at < %(until)s"))
        query = sql.SQL(
            "SELECT {cols}, {rank} AS rank FROM tracked_claims c WHERE {where} "
            "ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s"
        ).format(
            cols=_CLAIM_COLUMNS,
            rank=rank,
            where=sql.SQL(" AND ").join(where) if where else sql.SQL("true"),
            order=order,
        )
        rows = await self._all(query, params)
        return _page([ClaimSummary(**r) for r in rows], limit, offset)

    async def show(self, claim_id: str) -> ClaimDetail:
        """One claim with its mentions (and their articles), sources, timeline and contradictions."""
        async with self.connection() as conn:
            cur = await conn.execute(
                sql.SQL("SELECT {cols} FROM tracked_claims c WHERE c.id = %s").format(cols=_CLAIM_COLUMNS),
                (claim_id,),
            )
            row = await cur.fetchone()
            if row is None:
                raise NotFound(f"no claim {claim_id!r}")
            cur = await conn.execute(
                """
                SELECT d.mention_id, d.source, d.article_id, d.article_title, d.article_url, d.published_at,
                       a.date_source, d.speaker, d.speaker_role, d.reporting, d.mention_text, d.quote,
                       d.span_start, d.span_end, d.modality, d.hedge, d.negated, d.match_score,
                       d.first_mention, d.duplicate_verdict AS review_verdict,
                       d.duplicate_reviewer AS review_reviewer, d.duplicate_note AS review_note,
                       d.duplicate_reviewed_at AS review_at
                  FROM claim_mentions_detail d LEFT JOIN articles a ON a.id = d.article_id
                 WHERE d.claim_id = %s
                 ORDER BY d.published_at NULLS LAST, d.mention_id
                 LIMIT %s
                """,
                (claim_id, MAX_MENTIONS_SHOWN),
            )
            mentions = [
                MentionDetail(
                    id=m["mention_id"],
                    source=m["source"],
                    article_id=m["article_id"],
                    article_title=m["article_title"] or "",
                    article_url=m["article_url"],
                    published_at=m["published_at"],
                    date_source=m["date_source"],
                    speaker=m["speaker"],
                    speaker_role=m["speaker_role"],
                    reporting=m["reporting"],
                    text=m["mention_text"],
                    quote=m["quote"],
                    span=(m["span_start"], m["span_end"]),
                    modality=m["modality"],
                    hedge=m["hedge"],
                    negated=m["negated"],
                    match_score=m["match_score"],
                    first_mention=m["first_mention"],
                    review=_review(m),
                )
                for m in await cur.fetchall()
            ]
            cur = await conn.execute(
                """
                SELECT source, count(*) AS mentions, min(published_at) AS first_published_at
                  FROM claim_mentions WHERE claim_id = %s
                 GROUP BY source ORDER BY min(published_at) NULLS LAST, source
                """,
                (claim_id,),
            )
            sources = [SourceSummary(**s) for s in await cur.fetchall()]
            cur = await conn.execute(
                _CONTRADICTION_SELECT
                + sql.SQL(" WHERE x.claim_a_id = %(id)s UNION ALL ")
                + _CONTRADICTION_SELECT
                + sql.SQL(" WHERE x.claim_b_id = %(id)s ORDER BY detected_at, id"),
                {"id": claim_id},
            )
            contradictions = [_contradiction(x) for x in await cur.fetchall()]
            cur = await conn.execute(
                """
                SELECT r.id, r.target_kind, r.target_id, r.verdict, r.reviewer, r.created_at FROM reviews r
                 WHERE (r.target_kind = 'duplicate'
                        AND r.target_id IN (SELECT id FROM claim_mentions WHERE claim_id = %(id)s))
                    OR (r.target_kind = 'contradiction'
                        AND r.target_id IN (SELECT id FROM contradictions
                                             WHERE claim_a_id = %(id)s OR claim_b_id = %(id)s))
                 ORDER BY r.created_at, r.id
                """,
                {"id": claim_id},
            )
            reviews = await cur.fetchall()
        timeline = (
            [
                TimelineEvent(
                    at=m.published_at,
                    event="mention",
                    ref=m.id,
                    summary=f"{m.source}: {m.speaker or '(reporting)'}"
                    + (" (first)" if m.first_mention else ""),
                )
                for m in mentions
            ]
            + [
                TimelineEvent(
                    at=x.detected_at,
                    event="contradiction",
                    ref=x.id,
                    summary=f"{x.kind} with {x.claim_b.id if x.claim_a.id == claim_id else x.claim_a.id}",
                )
                for x in contradictions
            ]
            + [
                TimelineEvent(
                    at=r["created_at"],
                    event="review",
                    ref=str(r["id"]),
                    summary=f"{r['target_kind']} {r['target_id']} {r['verdict']} by {r['reviewer']}",
                )
                for r in reviews
            ]
        )
        timeline.sort(key=lambda e: (e.at is None, e.at.isoformat() if e.at else "", e.event, e.ref))
        return ClaimDetail(
            **row, mentions=mentions, sources=sources, timeline=timeline, contradictions=contradictions
        )

    async def contradictions(
        self,
        *,
        kind: ContradictionKind | None = None,
        since: datetime | None = None,
        status: ReviewStatus = "all",
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page:
        """Contradictions with both claims, newest first; ``status`` filters by standing review."""
        check_page(limit, offset)
        where: list[sql.Composable] = []
        params: dict[str, Any] = {"limit": limit + 1, "offset": offset}
        if kind is not None:
            params["kind"] = kind
            where.append(sql.SQL("x.kind = %(kind)s"))
        if since is not None:
            params["since"] = since
            where.append(sql.SQL("x.detected_at >= %(since)s"))
        if status == "open":
            where.append(sql.SQL("r.verdict IS NULL"))
        elif status in ("confirmed", "rejected"):
            params["status"] = status
            where.append(sql.SQL("r.verdict = %(status)s"))
        query = _CONTRADICTION_SELECT + sql.SQL(
            " WHERE {where} ORDER BY x.detected_at DESC, x.id LIMIT %(limit)s OFFSET %(offset)s"
        ).format(where=sql.SQL(" AND ").join(where) if where else sql.SQL("true"))
        rows = await self._all(query, params)
        return _page([_contradiction(r) for r in rows], limit, offset)

    async def _people(self, conn: Any) -> tuple[list[Identity], dict[str, str | None]]:
        """Every stored speaker name grouped into people (:mod:`factstream.store.identities`), and roles."""
        cur = await conn.execute(
            """
            SELECT s.name, s.role,
                   coalesce(array_agg(a.alias) FILTER (WHERE a.alias IS NOT NULL), '{}') AS aliases
              FROM speakers s LEFT JOIN speaker_aliases a ON a.speaker = s.name
             GROUP BY s.name, s.role
            """
        )
        rows = await cur.fetchall()
        return identities((r["name"], r["aliases"]) for r in rows), {r["name"]: r["role"] for r in rows}

    async def _office_claims(self, conn: Any, people: list[Identity]) -> dict[tuple[str, str], str]:
        """Map (office speaker, article id) to the person an office's claims there are.

        A claim said by "the prime minister" in an article that never tied the office to a name
        is Tony Blair's when some stored article tied the office to him, this article names him,
        and it names no one else tied to the office (:func:`~factstream.store.identities.office_holder`).
        Grouped at query time from the stored mentions, so a later article's tie counts too.
        """
        holders = office_holders(people)
        offices: dict[str, list[Identity]] = {}
        for person in people:
            office = office_of(person)
            if office is not None and holders.get(office):
                offices.update((name, holders[office]) for name in person.names)
        if not offices:
            return {}
        cur = await conn.execute(
            """
            SELECT DISTINCT m.speaker, m.article_id, a.title, a.body
              FROM claim_mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.speaker = ANY(%s)
            """,
            (list(offices),),
        )
        moved: dict[tuple[str, str], str] = {}
        for r in await cur.fetchall():
            holder = office_holder(offices[r["speaker"]], f"{r['title']}\n{r['body']}")
            if holder is not None:
                moved[(r["speaker"], r["article_id"])] = holder.name
        return moved

    @staticmethod
    def _role(person: Identity, roles: dict[str, str | None]) -> str | None:
        return roles.get(person.name) or next((roles[n] for n in person.names if roles.get(n)), None)

    async def speakers(self, query: str | None = None, *, limit: int = MAX_LIMIT, offset: int = 0) -> Page:
        """People with how many claims and mentions they have, most mentioned first.

        One row per person: "Tony Blair" and the "Blair" of articles that only said "Mr Blair"
        are one row, with every alias; ``query`` matches a case-insensitive part of any alias.
        """
        check_page(limit, offset)
        async with self.connection() as conn:
            all_people, roles = await self._people(conn)
            people = all_people
            if query:
                wanted = fold(query)
                people = [p for p in people if any(wanted in fold(a) for a in (*p.aliases, *p.names))]
            moved = await self._office_claims(conn, all_people)
            names = [n for p in people for n in p.names]
            persons = [p.name for p in people for _ in p.names]
            # The person counted for a mention: its speaker's, or the office holder's it was moved to.
            cur = await conn.execute(
                """
                WITH map AS (SELECT * FROM unnest(%(names)s::text[], %(persons)s::text[]) AS t(name, person)),
                     moved AS (SELECT * FROM unnest(%(m_names)s::text[], %(m_articles)s::text[],
                                                    %(m_persons)s::text[]) AS t(name, article_id, person)),
                     said AS (SELECT pm.person, m.*
                                FROM map pm JOIN claim_mentions m ON m.speaker = pm.name
                               WHERE NOT EXISTS (SELECT 1 FROM moved mv
                                                  WHERE mv.name = m.speaker AND mv.article_id = m.article_id)
                              UNION ALL
                              SELECT mv.person, m.*
                                FROM moved mv
                                JOIN claim_mentions m ON m.speaker = mv.name AND m.article_id = mv.article_id)
                SELECT p.person, count(DISTINCT s.claim_id) AS claims, count(s.id) AS mentions,
                       min(s.published_at) AS first_said_at, max(s.published_at) AS last_said_at,
                       (SELECT count(*) FROM contradictions x JOIN tracked_claims c ON c.id = x.claim_a_id
                         WHERE x.kind = 'stance_reversal'
                           AND c.speaker IN (SELECT name FROM map m2 WHERE m2.person = p.person))
                           AS stance_reversals
                  FROM (SELECT DISTINCT person FROM map) p LEFT JOIN said s ON s.person = p.person
                 GROUP BY p.person
                """,
                {"names": names, "persons": persons, "m_names": [k[0] for k in moved],
                 "m_articles": [k[1] for k in moved], "m_persons": list(moved.values())},
            )
            stats = {r["person"]: r for r in await cur.fetchall()}
        # An office whose every claim went to its holder is nobody's row any more.
        emptied = {name for name, _ in moved}
        people = [p for p in people if stats[p.name]["mentions"] or not emptied.intersection(p.names)]
        rows = sorted(
            (
                SpeakerSummary(
                    name=p.name,
                    role=self._role(p, roles),
                    aliases=p.aliases,
                    **{k: v for k, v in stats[p.name].items() if k != "person"},
                )
                for p in people
            ),
            key=lambda s: (-s.mentions, s.name),
        )
        return _page(rows[offset : offset + limit + 1], limit, offset)

    async def timeline(self, speaker: str, *, limit: int = MAX_TIMELINE) -> Timeline:
        """Return a person's claims over time, stance reversals marked.

        ``speaker`` is any form the person was named by, case ignored: "tony blair", "mr blair",
        or a surname ("BLAIR") when only one person has it. A form that names several people
        raises :class:`AmbiguousSpeaker`, one that names nobody :class:`NotFound`.
        """
        if not 1 <= limit <= MAX_TIMELINE:
            raise InvalidRecord(f"limit must be between 1 and {MAX_TIMELINE}")
        async with self.connection() as conn:
            people, roles = await self._people(conn)
            try:
                who = find(people, speaker)
            except AmbiguousName as exc:
                raise AmbiguousSpeaker(f"speaker {exc}") from exc
            if who is None:
                raise NotFound(f"no speaker {speaker!r}")
            moved = await self._office_claims(conn, people)
            # Mentions an office said that are its holder's join them; the office keeps the rest.
            gained = [(name, article) for (name, article), person in moved.items() if person == who.name]
            lost = [(name, article) for (name, article) in moved if name in who.names]
            cur = await conn.execute(
                """
                SELECT c.id AS claim_id, c.canonical_text,
                       min(m.published_at) AS first_said_at, max(m.published_at) AS last_said_at,
                       count(*) AS mentions, count(DISTINCT m.source) AS sources,
                       c.modality, c.negated, c.claim_time,
                       (array_agg(a.date_source ORDER BY m.published_at NULLS LAST, m.id))[1] AS date_source,
                       coalesce(r.reversal_ids, '{}') AS reversal_ids,
                       coalesce(r.reversed_claim_ids, '{}') AS reversed_claim_ids,
                       r.reversal_ids IS NOT NULL AS stance_reversal
                  FROM claim_mentions m
                  JOIN tracked_claims c ON c.id = m.claim_id
                  JOIN articles a ON a.id = m.article_id
                  LEFT JOIN LATERAL (
                        SELECT array_agg(x.id ORDER BY x.detected_at, x.id) AS reversal_ids,
                               array_agg(CASE WHEN x.claim_a_id = c.id THEN x.claim_b_id ELSE x.claim_a_id END
                                         ORDER BY x.detected_at, x.id) AS reversed_claim_ids
                          FROM contradictions x
                         WHERE x.kind = 'stance_reversal' AND c.id IN (x.claim_a_id, x.claim_b_id)
                  ) r ON true
                 WHERE (m.speaker = ANY(%(names)s)
                        AND (m.speaker, m.article_id) NOT IN (
                            SELECT * FROM unnest(%(lost_names)s::text[], %(lost_articles)s::text[])))
                    OR (m.speaker, m.article_id) IN (
                            SELECT * FROM unnest(%(gained_names)s::text[], %(gained_articles)s::text[]))
                 GROUP BY c.id, r.reversal_ids, r.reversed_claim_ids
                 ORDER BY first_said_at NULLS LAST, claim_id LIMIT %(limit)s
                """,
                {"names": who.names, "limit": limit + 1,
                 "lost_names": [n for n, _ in lost], "lost_articles": [a for _, a in lost],
                 "gained_names": [n for n, _ in gained], "gained_articles": [a for _, a in gained]},
            )
            rows = await cur.fetchall()
        entries = [
            TimelineEntry(
                **{k: r[k] for k in TimelineEntry.model_fields if k in r and k != "reversals"},
                reversals=[
                    Reversal(contradiction_id=c, other_claim_id=o)
                    for c, o in zip(r["reversal_ids"], r["reversed_claim_ids"], strict=True)
                ],
            )
            for r in rows[:limit]
        ]
        return Timeline(
            speaker=who.name,
            role=self._role(who, roles),
            aliases=who.aliases,
            entries=entries,
            truncated=len(rows) > limit,
        )

    async def story(self, entity: str, *, limit: int = MAX_STORY_CLAIMS) -> Story:
        """The claims about ``entity`` (case ignored; else names containing it), oldest first.

        Each claim comes with its first report, its restatements by later articles, and the
        contradictions it takes part in, read as updates when a later claim changed a figure.
        """
        if not 1 <= limit <= MAX_STORY_CLAIMS:
            raise InvalidRecord(f"limit must be between 1 and {MAX_STORY_CLAIMS}")
        wanted = entity.strip()
        if not wanted:
            raise InvalidRecord("entity is empty")
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT name FROM entities WHERE lower(name) = lower(%s) ORDER BY name", (wanted,)
            )
            names = [r["name"] for r in await cur.fetchall()]
            if not names:
                cur = await conn.execute(
                    "SELECT name FROM entities WHERE name ILIKE %s ORDER BY name LIMIT 50",
                    (like_pattern(wanted),),
                )
                names = [r["name"] for r in await cur.fetchall()]
            if not names:
                raise NotFound(f"no entity {entity!r}")
            # A claim is in the story when it names the entity, says its name, or comes from an
            # article whose headline names it ("The closure will cut 1,200 jobs" in "Northfield
            # Steel to close Harbor City plant"): the order of the tests is the reason given.
            cur = await conn.execute(
                sql.SQL(
                    """
                    SELECT {cols},
                           CASE WHEN c.entities && %(names)s THEN 'entity'
                                WHEN c.canonical_text ILIKE ANY(%(patterns)s) THEN 'text'
                                ELSE 'headline' END AS matched_by
                      FROM tracked_claims c
                     WHERE c.entities && %(names)s
                        OR c.canonical_text ILIKE ANY(%(patterns)s)
                        OR c.id IN (SELECT m.claim_id FROM claim_mentions m
                                      JOIN articles a ON a.id = m.article_id
                                     WHERE a.title ILIKE ANY(%(patterns)s))
                     ORDER BY c.first_seen_at NULLS LAST, c.id LIMIT %(limit)s
                    """
                ).format(cols=_CLAIM_COLUMNS),
                {"names": names, "patterns": [like_pattern(n) for n in names], "limit": limit + 1},
            )
            rows = await cur.fetchall()
            ids = [r["id"] for r in rows[:limit]]
            cur = await conn.execute(
                """
                SELECT d.claim_id, d.mention_id, d.source, d.article_id, d.article_title, d.article_url,
                       d.published_at, a.date_source, d.speaker, d.mention_text, d.quote, d.first_mention
                  FROM claim_mentions_detail d LEFT JOIN articles a ON a.id = d.article_id
                 WHERE d.claim_id = ANY(%s)
                 ORDER BY d.published_at NULLS LAST, d.mention_id
                """,
                (ids,),
            )
            mentions = await cur.fetchall()
            cur = await conn.execute(
                _CONTRADICTION_SELECT
                + sql.SQL(
                    " WHERE x.claim_a_id = ANY(%(ids)s) OR x.claim_b_id = ANY(%(ids)s)"
                    " ORDER BY detected_at, id"
                ),
                {"ids": ids},
            )
            contradictions = [_contradiction(x) for x in await cur.fetchall()]
        claims = {
            r["id"]: StoryClaim(**{k: v for k, v in r.items() if k in StoryClaim.model_fields})
            for r in rows[:limit]
        }
        for m in mentions:
            said = StoryMention(
                id=m["mention_id"],
                source=m["source"],
                article_id=m["article_id"],
                article_title=m["article_title"] or "",
                article_url=m["article_url"],
                published_at=m["published_at"],
                date_source=m["date_source"],
                speaker=m["speaker"],
                text=m["mention_text"],
                quote=m["quote"],
            )
            claim = claims[m["claim_id"]]
            if m["first_mention"]:
                claim.first_report = said
            else:
                claim.restatements.append(said)
        for x in contradictions:
            for this, other in ((x.claim_a, x.claim_b), (x.claim_b, x.claim_a)):
                if this.id not in claims:
                    continue
                relation: Literal["updates", "updated_by", "contradicts"] = "contradicts"
                if x.kind == "numeric" and this.first_seen_at and other.first_seen_at:
                    relation = "updates" if this.first_seen_at > other.first_seen_at else "updated_by"
                claims[this.id].links.append(
                    StoryLink(
                        contradiction_id=x.id,
                        kind=x.kind,
                        relation=relation,
                        other_claim_id=other.id,
                        other_text=other.canonical_text,
                        explanation=x.explanation,
                        detected_at=x.detected_at,
                        review=x.review,
                    )
                )
        ordered = list(claims.values())
        speakers = list(dict.fromkeys(c.speaker for c in ordered if c.speaker))
        outlets = list(dict.fromkeys(m["source"] for m in mentions))
        return Story(
            entity=entity,
            matched=names,
            claims=ordered,
            speakers=speakers,
            outlets=outlets,
            article_count=len({m["article_id"] for m in mentions}),
            ingest_order=any(m["date_source"] == "ingested" for m in mentions),
            truncated=len(rows) > limit,
        )

    # -- the records behind `factstream claims list`, `demo` and `ingest --wait` ---------------

    async def progress(self, article_ids: Sequence[str]) -> dict[str, ArticleProgress]:
        """Return how far each article has come: pending, done (stored) or dead (dead-lettered)."""
        result = {aid: ArticleProgress(aid, "pending") for aid in article_ids}
        async with self.connection() as conn:
            cur = await conn.execute(
                """
                SELECT a.id, a.claim_count,
                       (SELECT count(*) FROM claim_mentions m
                         WHERE m.article_id = a.id AND m.checked_at IS NOT NULL)
                     + (SELECT count(*) FROM dead_letters d
                         WHERE d.key = a.id AND d.stage = ANY(%s) AND d.replayed_at IS NULL) AS done
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

    async def tracked_claims(
        self,
        *,
        limit: int = 100,
        speaker: str | None = None,
        article_ids: Sequence[str] | None = None,
    ) -> list[TrackedClaim]:
        """Tracked claims with all their mentions, most mentioned first."""
        where: list[str] = ["true"]
        params: list[str | list[str]] = []
        if speaker:
            where.append("c.speaker ILIKE %s")
            params.append(f"%{speaker}%")
        if article_ids is not None:
            where.append(
                "EXISTS (SELECT 1 FROM claim_mentions m WHERE m.claim_id = c.id AND m.article_id = ANY(%s))"
            )
            params.append(list(article_ids))
        sql = (
            f"SELECT c.* FROM tracked_claims c WHERE {' AND '.join(where)} "  # noqa: S608 - fixed fragments only
            "ORDER BY c.mention_count DESC, c.first_seen_at, c.id LIMIT %s"
        )
        async with self.connection() as conn:
            rows = await (await conn.execute(sql, (*params, limit))).fetchall()
            return await _with_mentions(conn, rows, all_mentions=True)

    async def tracked_contradictions(
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
        async with self.connection() as conn:
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

    async def reviewed_decisions(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Every reviewed decision with the two texts it judged, for training the judge.

        Duplicates: (target_id, verdict, a = the mention's text, b = its tracked claim's text).
        Contradictions: (target_id, verdict, kind, a and b = the two tracked claims' texts). Only
        each target's latest review counts.
        """
        duplicates = await self._all(
            """
            SELECT r.target_id, r.verdict, m.text AS a, c.canonical_text AS b
              FROM review_latest r
              JOIN claim_mentions m ON m.id = r.target_id
              JOIN tracked_claims c ON c.id = m.claim_id
             WHERE r.target_kind = 'duplicate'
             ORDER BY r.target_id
            """,
            (),
        )
        contradictions = await self._all(
            """
            SELECT r.target_id, r.verdict, x.kind, a.canonical_text AS a, b.canonical_text AS b
              FROM review_latest r
              JOIN contradictions x ON x.id = r.target_id
              JOIN tracked_claims a ON a.id = x.claim_a_id
              JOIN tracked_claims b ON b.id = x.claim_b_id
             WHERE r.target_kind = 'contradiction'
             ORDER BY r.target_id
            """,
            (),
        )
        return duplicates, contradictions

    async def record_review(
        self, target_kind: TargetKind, target_id: str, verdict: Verdict, reviewer: str, note: str = ""
    ) -> Review:
        """Record a confirm/reject decision on a contradiction or a duplicate (a mention's dedup)."""
        try:
            rows = await self._all(
                """
                INSERT INTO reviews (target_kind, target_id, verdict, reviewer, note)
                VALUES (%s, %s, %s, %s, %s)
                RETURNING id, target_kind, target_id, verdict, reviewer, note, created_at
                """,
                (target_kind, target_id, verdict, reviewer, note),
            )
        except psycopg.errors.ForeignKeyViolation as exc:
            raise NotFound(f"no {target_kind} {target_id!r}") from exc
        except psycopg.errors.CheckViolation as exc:
            raise InvalidRecord(f"invalid review: {exc.diag.message_primary}") from exc
        return Review(**rows[0])

    async def reviews(
        self, target_kind: TargetKind | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> Page:
        """List recorded reviews, newest first."""
        check_page(limit, offset)
        rows = await self._all(
            """
            SELECT id, target_kind, target_id, verdict, reviewer, note, created_at FROM reviews
             WHERE %(kind)s::text IS NULL OR target_kind = %(kind)s
             ORDER BY created_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
            """,
            {"kind": target_kind, "limit": limit + 1, "offset": offset},
        )
        return _page([Review(**r) for r in rows], limit, offset)
