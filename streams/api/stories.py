"""`GET /stories`: the claims about one entity across outlets and time."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query

from factstream.api.models import (
    Problem,
)
from factstream.api.params import (
    MAX_NAME_CHARS,
    _text_ok,
)
from factstream.store.queries import (
    MAX_STORY_CLAIMS,
    ClaimQueries,
    Story,
)


def add_routes(app: FastAPI, db: ClaimQueries) -> None:
    """Add the story routes over ``db`` to ``app``."""

    @app.get("/stories", response_model=Story, responses={404: {"model": Problem}}, tags=["stories"])
    async def story(
        entity: Annotated[
            str,
            Query(
                min_length=1,
                max_length=MAX_NAME_CHARS,
                pattern=r"^[^\x00]*\S[^\x00]*$",
                description="An entity name, case ignored; when none is equal, the names that contain it.",
            ),
        ],
        limit: Annotated[int, Query(ge=1, le=MAX_STORY_CLAIMS)] = MAX_STORY_CLAIMS,
    ) -> Story:
        """A developing story: the claims about one entity across outlets and time, oldest first.

        Each claim has its first report, its later restatements, the claims it updates or
        contradicts, and the speakers involved; 404 when no entity matches.
        """
        return await db.story(_text_ok(entity, "entity") or "", limit=limit)

