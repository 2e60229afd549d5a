"""Deduplication: attach each new claim to the tracked claim (fact) it restates, or start one.

A tracked claim is a fact, not a sentence: an outlet's report, the CEO's words and the
company's statement of the same thing become one tracked claim with three mentions. The
pair decision lives in :mod:`streams.processors.matching`; this processor only picks the best
matching candidate, and the host applies the returned update to the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from schemas.records import Claim, Mention, TrackedClaim, TrackedClaimUpdate, tracked_claim_id, trusted
from streams.errors import InvalidRecord
from streams.processors.matching import analyse, analyse_tracked, blocking_keys, compare_features
from streams.processors.matching.features import remember_tracked
from streams.processors.matching.screen import Screen
from streams.processors.matching.verdict import might_relate


def mention_of(claim: Claim) -> Mention:
    """Return the mention a claim adds to its tracked claim (its fields are the valid claim's)."""
    return trusted(Mention, claim_id=claim.id, article_id=claim.article_id, source=claim.source,
                   speaker=claim.speaker, quote=claim.quote, span=claim.span, text=claim.text,
                   published_at=claim.published_at)


def new_tracked_claim(claim: Claim) -> TrackedClaim:
    """Return a tracked claim started by ``claim``: its first and only mention so far."""
    features = analyse(claim)
    # Built from a valid claim and its analysis: nothing to validate again (hot path).
    tracked = trusted(
        TrackedClaim,
        id=tracked_claim_id(claim.id),
        canonical_text=claim.text,
        speaker=claim.speaker,
        speaker_role=claim.speaker_role,
        modality="hedged" if features.hedged else "asserted",
        negated=features.negated,
        numbers=list(claim.numbers) or [a.to_quantity() for a in features.amounts],
        entities=list(claim.entities) or list(features.entities),
        claim_time=claim.claim_time,
        first_seen_article_id=claim.article_id,
        first_seen_at=claim.published_at,
        last_seen_at=claim.published_at,
        mention_count=1,
        source_count=1,
        mentions=[mention_of(claim)],
    )
    remember_tracked(tracked, features)
    return tracked


class DedupProcessor:
    """Claims in, tracked-claim updates out: one update per claim."""

    name: ClassVar[str] = "dedup"
    input_topic: ClassVar[str] = "claims"
    output_topic: ClassVar[str | None] = "tracked"
    input_type: ClassVar[type[BaseModel]] = Claim
    output_type: ClassVar[type[BaseModel] | None] = TrackedClaimUpdate

    def setup(self) -> None:
        """Nothing to load: the rules and word lists are plain Python."""

    def close(self) -> None:
        """Nothing to release."""

    def keys(self, record: BaseModel) -> list[str]:
        """Blocking keys of the claim (text hash first, then speaker, entities, predicates)."""
        return blocking_keys(_as_claim(record))

    def screen(self, record: BaseModel, candidate: Screen) -> bool:
        """Whether a stored candidate is worth building: False only when it cannot be a duplicate.

        The host asks before it reads a candidate from the store; ruling one out never changes
        :meth:`process`'s decision (see :func:`.matching.verdict.might_relate`).
        """
        return might_relate(analyse(_as_claim(record)), candidate)

    def process(self, record: BaseModel, candidates: Sequence[TrackedClaim]) -> list[TrackedClaimUpdate]:
        """Return the update attaching the claim to its best duplicate candidate, or a new tracked claim.

        Among candidates the claim duplicates, the highest score wins; ties go to the earlier
        candidate (the host passes the best ranked first), which keeps replays deterministic.
        """
        claim = _as_claim(record)
        features = analyse(claim)
        best: tuple[float, TrackedClaim] | None = None
        for candidate in candidates:
            verdict = compare_features(features, analyse_tracked(candidate))
            if verdict.relation == "duplicate" and (best is None or verdict.score > best[0]):
                best = (verdict.score, candidate)
        if best is not None:
            return [TrackedClaimUpdate(tracked=best[1], claim=claim, is_new=False, score=best[0])]
        return [TrackedClaimUpdate(tracked=new_tracked_claim(claim), claim=claim, is_new=True, score=1.0)]


def _as_claim(record: BaseModel) -> Claim:
    if not isinstance(record, Claim):
        raise InvalidRecord(f"dedup expects a Claim, got {type(record).__name__}")
    return record
