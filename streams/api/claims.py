"""`GET /claims` (search) and `GET /claims/{id}` (one claim with its mentions, sources, timeline)."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi import Path as PathParam

from factstream.api.models import (
    ClaimPage,
    Problem,
)
from factstream.api.params import (
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    NO_NUL,
    FirstSeenUntil,
    Limit,
    Offset,
    SeenSince,
    _aware,
    _text_ok,
)
from factstream.store.queries import (
    DEFAULT_LIMIT,
    MAX_QUERY_CHARS,
    ClaimDetail,
    ClaimQueries,
    Page,
)


def add_routes(app: FastAPI, db: ClaimQueries) -> None:
    """Add the claim routes over ``db`` to ``app``."""

    @app.get("/claims", response_model=ClaimPage, tags=["claims"])
    async def search_claims(
        q: Annotated[
            str | None,
            Query(
                max_length=MAX_QUERY_CHARS,
                pattern=NO_NUL,
                description='Web-search syntax: words, "a phrase", -excluded, or.',
            ),
        ] = None,
        speaker: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS,
                pattern=NO_NUL,
                description="Speaker name contains (case-insensitive).",
            ),
        ] = None,
        entity: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS, pattern=NO_NUL, description="An entity of the claim contains this."
            ),
        ] = None,
        source: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS,
                pattern=NO_NUL,
                description="A mention from an outlet whose name contains this.",
            ),
        ] = None,
        since: SeenSince = None,
        until: FirstSeenUntil = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page:
        """Search tracked claims (full text) with filters; most relevant (or most recent) first."""
        return await db.search(
            _text_ok(q, "q"),
            speaker=_text_ok(speaker, "speaker"),
            entity=_text_ok(entity, "entity"),
            source=_text_ok(source, "source"),
            since=_aware(since),
            until=_aware(until),
            limit=limit,
            offset=offset,
        )

    @app.get(
        "/claims/{claim_id}", response_model=ClaimDetail, responses={404: {"model": Problem}}, tags=["claims"]
    )
    async def show_claim(
        claim_id: Annotated[str, PathParam(max_length=MAX_ID_CHARS, pattern=NO_NUL)],
    ) -> ClaimDetail:
        """One claim with its mentions, sources, timeline and contradictions."""
        return await db.show(_text_ok(claim_id, "claim_id") or "")

