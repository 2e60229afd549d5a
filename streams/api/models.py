"""The request and response bodies of the API beyond the store's records (pages, reviews, problems)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from factstream.api.params import MAX_ID_CHARS, NO_NUL
from factstream.store.queries import (
    ClaimSummary,
    ContradictionDetail,
    Review,
    SpeakerSummary,
    TargetKind,
    Verdict,
)


class PageOf(BaseModel):
    """Base of the typed pages in the OpenAPI document."""

    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last page.")


class ClaimPage(PageOf):
    """A page of claims."""

    items: list[ClaimSummary]


class ContradictionPage(PageOf):
    """A page of contradictions."""

    items: list[ContradictionDetail]


class SpeakerPage(PageOf):
    """A page of speakers."""

    items: list[SpeakerSummary]


class ReviewPage(PageOf):
    """A page of reviews."""

    items: list[Review]


class ReviewIn(BaseModel):
    """A confirm/reject decision on a contradiction or a duplicate (a mention attached by dedup)."""

    model_config = ConfigDict(extra="forbid")

    target_kind: TargetKind
    target_id: str = Field(min_length=1, max_length=MAX_ID_CHARS, pattern=NO_NUL)
    verdict: Verdict
    reviewer: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*\S[^\x00]*$")
    note: str = Field(default="", max_length=4000, pattern=NO_NUL)


class Accepted(BaseModel):
    """An article accepted for processing."""

    id: str
    topic: str


class Problem(BaseModel):
    """An error: what was wrong."""

    detail: Any
