"""`GET /contradictions`: contradictions with both claims, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query

from factstream.api.models import (
    ContradictionPage,
)
from factstream.api.params import (
    DetectedSince,
    Limit,
    Offset,
    _aware,
)
from factstream.schemas.records import ContradictionKind
from factstream.store.queries import (
    DEFAULT_LIMIT,
    ClaimQueries,
    Page,
    ReviewStatus,
)


def add_routes(app: FastAPI, db: ClaimQueries) -> None:
    """Add the contradiction routes over ``db`` to ``app``."""

    @app.get("/contradictions", response_model=ContradictionPage, tags=["contradictions"])
    async def list_contradictions(
        kind: ContradictionKind | None = None,
        since: DetectedSince = None,
        status: Annotated[ReviewStatus, Query(description="open: not reviewed yet.")] = "all",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page:
        """Contradictions with both claims and their evidence, newest first."""
        return await db.contradictions(
            kind=kind, since=_aware(since), status=status, limit=limit, offset=offset
        )

