"""`GET /speakers` and `GET /speakers/{name}/timeline`: who said what, and when."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi import Path as PathParam

from factstream.api.models import (
    Problem,
    SpeakerPage,
)
from factstream.api.params import (
    MAX_NAME_CHARS,
    NO_NUL,
    Limit,
    Name,
    Offset,
    _text_ok,
)
from factstream.store.queries import (
    MAX_LIMIT,
    MAX_TIMELINE,
    ClaimQueries,
    Page,
    Timeline,
)


def add_routes(app: FastAPI, db: ClaimQueries) -> None:
    """Add the speaker routes over ``db`` to ``app``."""

    @app.get("/speakers", response_model=SpeakerPage, tags=["speakers"])
    async def list_speakers(q: Name = None, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> Page:
        """Speakers, most mentioned first; ``q`` filters by name (contains, case-insensitive)."""
        return await db.speakers(_text_ok(q, "q"), limit=limit, offset=offset)

    @app.get(
        "/speakers/{name:path}/timeline",
        response_model=Timeline,
        responses={404: {"model": Problem}},
        tags=["speakers"],
    )
    async def speaker_timeline(
        name: Annotated[str, PathParam(max_length=MAX_NAME_CHARS, pattern=NO_NUL)],
        limit: Annotated[int, Query(ge=1, le=MAX_TIMELINE)] = MAX_TIMELINE,
    ) -> Timeline:
        """Return a speaker's claims over time (exact name), stance reversals marked."""
        return await db.timeline(_text_ok(name, "name") or "", limit=limit)

