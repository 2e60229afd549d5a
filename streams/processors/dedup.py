"""Deduplication: attach each new claim to the tracked claim (fact) it restates, or start one.

A tracked claim is a fact, not a sentence: an outlet's report, the CEO's words and the
company's statement of the same thing become one tracked claim with three mentions. The
pair decision is the learned judge's (:mod:`factstream.processors.judge`); this processor only picks
the most probable duplicate among the candidates, and the host applies the update to the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from factstream.errors import InvalidRecord
from factstream.processors.base import STORE_BATCH
from factstream.processors.judge import PAIR_MODEL_CANDIDATES
from factstream.processors.judged import RULES_VERSION, JudgedProcessor
from factstream.processors.matching import analyse, analyse_tracked, blocking_keys, compare_features
from factstream.processors.matching.features import remember_tracked
from factstream.processors.matching.verdict import might_relate
from factstream.schemas.records import (
    Claim,
    Mention,
    TrackedClaim,
    TrackedClaimUpdate,
    tracked_claim_id,
    unvalidated,
)


def mention_of(claim: Claim) -> Mention:
    """Return the mention a claim adds to its tracked claim (its fields are the valid claim's)."""
    return unvalidated(Mention, claim_id=claim.id, article_id=claim.article_id, source=claim.source,
                   speaker=claim.speaker, quote=claim.quote, span=claim.span, text=claim.text,
                   published_at=claim.published_at)


def new_tracked_claim(claim: Claim) -> TrackedClaim:
    """Return a tracked claim started by ``claim``: its first and only mention so far."""
    features = analyse(claim)
    # Built from a valid claim and its analysis: nothing to validate again (hot path).
    tracked = unvalidated(
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


class DedupProcessor(JudgedProcessor):
    """Claims in, tracked-claim updates out: one update per claim."""

    name: ClassVar[str] = "dedup"
    input_topic: ClassVar[str] = "claims"
    output_topic: ClassVar[str | None] = "tracked"
    input_type: ClassVar[type[BaseModel]] = Claim
    output_type: ClassVar[type[BaseModel] | None] = TrackedClaimUpdate
    #: The store decides under its locks and writes each tracked claim with its new mention.
    store_write: ClassVar[str | None] = "mentions"
    #: One tracked claim's updates stay in order on one partition.
    output_key: ClassVar[str | None] = "tracked.id"
    batch_size: ClassVar[int] = STORE_BATCH

    def keys(self, record: BaseModel) -> list[str]:
        """Blocking keys of the claim (text hash first, then speaker, entities, predicates)."""
        return blocking_keys(_as_claim(record))

    def screen(self, record: BaseModel, stored: object) -> bool:
        """Whether a stored candidate is worth building: False only when it cannot be a duplicate.

        Under the rules, the host asks before it reads a candidate from the store and ruling one
        out never changes :meth:`process`'s decision (:func:`.matching.verdict.might_relate`). The
        learned judge reads restatements that share few words, so it rules nothing out.
        """
        candidate = self.stored_screen(stored)
        return self.learned or candidate is None or might_relate(analyse(_as_claim(record)), candidate)

    def vector(self, record: BaseModel) -> list[float] | None:
        """The claim's embedding, for semantic candidates (a restatement sharing few words)."""
        return self.vectors([record])[0]

    def vectors(self, records: Sequence[BaseModel]) -> list[list[float] | None]:
        """Embeddings of a batch of claims in one model call (cached for :meth:`process`).

        None under the rules, which would not judge a candidate found by meaning alone a duplicate.
        """
        if not self.learned:
            return [None] * len(records)
        found = self.judge.embeddings([_as_claim(r).text for r in records])
        return [[float(x) for x in row] for row in found]

    def process(self, record: BaseModel, candidates: Sequence[TrackedClaim]) -> list[TrackedClaimUpdate]:
        """Return the update attaching the claim to its best duplicate candidate, or a new tracked claim.

        Among candidates the judge calls duplicates, the most probable wins; ties go to the
        earlier candidate (the host passes the best ranked first), which keeps replays deterministic.
        """
        claim = _as_claim(record)
        features = analyse(claim)
        if not self.learned:
            return self._by_rules(claim, features, candidates)
        # Only a duplicate counts here: no need to explain why a pair is "none" (explain=False).
        judgements = self.judge.judge([(features, analyse_tracked(c)) for c in candidates],
                                      limit=PAIR_MODEL_CANDIDATES, explain=False)
        best: tuple[float, TrackedClaim] | None = None
        for candidate, judgement in zip(candidates, judgements, strict=True):
            if judgement.relation == "duplicate" and (best is None or judgement.score > best[0]):
                best = (judgement.score, candidate)
        if best is not None:
            return [TrackedClaimUpdate(tracked=best[1], claim=claim, is_new=False, score=best[0],
                                       model_version=self.judge.version)]
        return [TrackedClaimUpdate(tracked=new_tracked_claim(claim), claim=claim, is_new=True, score=1.0,
                                   model_version=self.judge.version)]


    def _by_rules(self, claim: Claim, features: object, candidates: Sequence[TrackedClaim]
                  ) -> list[TrackedClaimUpdate]:
        best: tuple[float, TrackedClaim] | None = None
        for candidate in candidates:
            verdict = compare_features(features, analyse_tracked(candidate))  # type: ignore[arg-type]
            if verdict.relation == "duplicate" and (best is None or verdict.score > best[0]):
                best = (verdict.score, candidate)
        if best is not None:
            return [TrackedClaimUpdate(tracked=best[1], claim=claim, is_new=False, score=best[0],
                                       model_version=RULES_VERSION)]
        return [TrackedClaimUpdate(tracked=new_tracked_claim(claim), claim=claim, is_new=True, score=1.0,
                                   model_version=RULES_VERSION)]


def _as_claim(record: BaseModel) -> Claim:
    if not isinstance(record, Claim):
        raise InvalidRecord(f"dedup expects a Claim, got {type(record).__name__}")
    return record
