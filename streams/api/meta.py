"""`GET /health`: whether the API and its database answer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from factstream.store.queries import (
    ClaimQueries,
)


def add_routes(app: FastAPI, db: ClaimQueries) -> None:
    """Add the meta routes over ``db`` to ``app``."""

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, Any]:
        """Whether the API and its database answer (503 when the database does not)."""
        return {"status": "ok", **await db.health()}

