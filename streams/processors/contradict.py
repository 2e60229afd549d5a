"""Contradiction detection: compare a tracked claim that changed with related tracked claims.

Every update from deduplication (a new tracked claim, or a new mention of one) is checked
against the candidates the host fetched by blocking key. The pair rules, including what is
*not* a contradiction (updates over time, hedges, other scopes, disputes between speakers),
live in :mod:`streams.processors.matching.verdict`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from schemas.records import Contradiction, Evidence, TrackedClaim, TrackedClaimUpdate
from streams.errors import InvalidRecord
from streams.processors.matching import analyse_tracked, compare_features, keys_of
from streams.processors.matching.screen import Screen
from streams.processors.matching.verdict import might_relate


def evidence_of(tracked: TrackedClaim) -> list[Evidence]:
    """Return evidence for one side: its first mention (where the fact was first stated)."""
    if not tracked.mentions:
        return []
    first = tracked.mentions[0]
    return [Evidence(tracked_claim_id=tracked.id, claim_id=first.claim_id, article_id=first.article_id,
                     source=first.source, speaker=first.speaker, text=first.text, quote=first.quote,
                     span=first.span, published_at=first.published_at)]


class ContradictProcessor:
    """Tracked-claim updates in, contradictions out (zero or more per update)."""

    name: ClassVar[str] = "contradict"
    input_topic: ClassVar[str] = "tracked"
    output_topic: ClassVar[str | None] = "contradictions"
    input_type: ClassVar[type[BaseModel]] = TrackedClaimUpdate
    output_type: ClassVar[type[BaseModel] | None] = Contradiction

    def setup(self) -> None:
        """Nothing to load: the rules and word lists are plain Python."""

    def close(self) -> None:
        """Nothing to release."""

    def keys(self, record: BaseModel) -> list[str]:
        """Blocking keys of the tracked claim (as of its first claim, like the store's)."""
        update = _as_update(record)
        return keys_of(analyse_tracked(update.tracked))

    def screen(self, record: BaseModel, candidate: Screen) -> bool:
        """Whether a stored candidate is worth building: False only when it cannot contradict.

        The host asks before it reads a candidate from the store; ruling one out never changes
        :meth:`process`'s result (see :func:`.matching.verdict.might_relate`).
        """
        update = _as_update(record)
        return update.is_new and might_relate(candidate, analyse_tracked(update.tracked))

    def process(self, record: BaseModel, candidates: Sequence[TrackedClaim]) -> list[Contradiction]:
        """Return one contradiction per candidate that contradicts the updated tracked claim.

        Only a new tracked claim can start a contradiction: a further mention of a known fact
        was compared when that fact was new. A candidate seen twice is compared once.
        """
        update = _as_update(record)
        if not update.is_new:
            return []
        tracked = update.tracked
        features = analyse_tracked(tracked)
        found: dict[str, Contradiction] = {}
        for candidate in candidates:
            if candidate.id == tracked.id or candidate.id in found:
                continue
            verdict = compare_features(analyse_tracked(candidate), features)
            if verdict.relation != "contradiction" or verdict.kind is None:
                continue
            found[candidate.id] = Contradiction(
                claim_a_id=candidate.id,
                claim_b_id=tracked.id,
                kind=verdict.kind,
                score=verdict.score,
                explanation=verdict.explanation,
                evidence=evidence_of(candidate) + evidence_of(tracked),
            )
        return list(found.values())


def _as_update(record: BaseModel) -> TrackedClaimUpdate:
    if not isinstance(record, TrackedClaimUpdate):
        raise InvalidRecord(f"contradict expects a TrackedClaimUpdate, got {type(record).__name__}")
    return record
