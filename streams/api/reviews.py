"""`GET /reviews` and `POST /reviews`: editors' confirm/reject decisions."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from factstream.api.models import (
    Problem,
    ReviewIn,
    ReviewPage,
)
from factstream.api.params import (
    Limit,
    Offset,
    _json_body,
    _read_body,
    _text_ok,
)
from factstream.store.queries import (
    DEFAULT_LIMIT,
    ClaimQueries,
    Page,
    Review,
    TargetKind,
)


def add_routes(
    app: FastAPI, db: ClaimQueries, auth: list[Any], write_errors: dict[int | str, dict[str, Any]]
) -> None:
    """Add the review routes over ``db`` to ``app``; writes need ``auth``."""

    @app.get("/reviews", response_model=ReviewPage, tags=["reviews"])
    async def list_reviews(
        target_kind: TargetKind | None = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page:
        """List recorded reviews, newest first."""
        return await db.reviews(target_kind, limit=limit, offset=offset)

    @app.post(
        "/reviews",
        status_code=201,
        response_model=Review,
        dependencies=auth,
        responses={**write_errors, 404: {"model": Problem}},
        tags=["reviews"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewIn"}}},
            }
        },
    )
    async def record_review(request: Request) -> Review:
        """Confirm or reject a contradiction or a duplicate; the latest review of a target stands.

        The body is read here, after the token check, so that an unauthenticated client learns
        nothing about the body's validity; broken JSON is a 422 as on ``POST /articles``.
        """
        try:
            review = ReviewIn.model_validate(_json_body(await _read_body(request)))
        except ValidationError as exc:
            errors = exc.errors(include_input=False, include_url=False)
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from exc
        for field in ("target_id", "reviewer", "note"):
            _text_ok(getattr(review, field), field)
        return await db.record_review(
            review.target_kind, review.target_id, review.verdict, review.reviewer, review.note
        )

