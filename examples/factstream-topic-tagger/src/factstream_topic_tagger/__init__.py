"""Tags each extracted claim with a topic label (economy, conflict, politics, ...).

A deliberately small plug-in that shows the whole contract: a name, the topics it reads
and writes, pydantic records in and out, setup/process/close hooks, batch processing,
and an error that dead-letters a record without stopping the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from pydantic import BaseModel, Field

from factstream.schemas.records import Claim
from factstream.errors import InvalidRecord

__version__ = "0.1.0"

# Keyword lexicons: enough to show the mechanics; a newsroom would plug in its own taxonomy.
TOPIC_TERMS: dict[str, tuple[str, ...]] = {
    "economy": (
        "job", "jobs", "plant", "shares", "profit", "economy", "inflation", "prices", "market", "trade",
    ),
    "conflict": ("troops", "war", "ceasefire", "military", "forces", "attack", "missile", "army"),
    "politics": ("election", "minister", "president", "parliament", "government", "mayor", "council", "vote"),
    "health": ("hospital", "patients", "health", "virus", "vaccine", "doctors"),
    "sport": ("match", "season", "cup", "goal", "league", "coach"),
}
_WORD = re.compile(r"[a-z]+")


class ClaimTopic(BaseModel):
    """The topic label of one claim, on the ``claims.topics`` topic."""

    schema_version: int = 1
    claim_id: str
    article_id: str
    label: str = Field(description="One of TOPIC_TERMS, or 'other'.")
    score: float = Field(ge=0.0, le=1.0)
    matched_terms: list[str] = Field(default_factory=list)


class TopicTagger:
    """A factstream processor: Claim in, ClaimTopic out, 64 claims a batch."""

    name: ClassVar[str] = "topic-tagger"
    input_topic: ClassVar[str] = "claims"
    output_topic: ClassVar[str | None] = "claims.topics"
    input_type: ClassVar[type[BaseModel]] = Claim
    output_type: ClassVar[type[BaseModel] | None] = ClaimTopic
    batch_size: ClassVar[int] = 64

    def __init__(self) -> None:
        self._index: dict[str, str] = {}

    def setup(self) -> None:
        """Build the term index once per worker."""
        self._index = {term: label for label, terms in TOPIC_TERMS.items() for term in terms}

    def process(self, record: BaseModel) -> Iterable[BaseModel]:
        """Tag one claim; English only (anything else is dead-lettered with the reason)."""
        assert isinstance(record, Claim)
        if record.language not in (None, "en"):
            raise InvalidRecord(f"topic-tagger reads English claims only, got language {record.language!r}")
        words = _WORD.findall(record.text.lower())
        hits: dict[str, list[str]] = {}
        for word in words:
            label = self._index.get(word)
            if label:
                hits.setdefault(label, []).append(word)
        if not hits:
            return [ClaimTopic(claim_id=record.id, article_id=record.article_id, label="other", score=0.0)]
        label, terms = max(hits.items(), key=lambda kv: (len(kv[1]), kv[0]))
        score = min(1.0, len(terms) / 3)
        return [ClaimTopic(claim_id=record.id, article_id=record.article_id, label=label, score=score,
                           matched_terms=sorted(set(terms)))]

    def process_batch(self, records: list[BaseModel]) -> list[Iterable[BaseModel]]:
        """Tag a batch: one list of outputs per input record, in order."""
        return [list(self.process(r)) for r in records]

    def close(self) -> None:
        """Nothing to release; here for the contract."""
        self._index = {}
