"""Contradiction detection: compare a tracked claim that changed with related tracked claims.

Every update from deduplication (a new tracked claim, or a new mention of one) is checked
against the candidates the host fetched by blocking key and by embedding. The decision is the
learned pair judge's (:mod:`factstream.processors.judge`), including what is *not* a contradiction
(updates over time, hedges, figures for other periods, disputes between speakers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import BaseModel

from factstream.errors import InvalidRecord
from factstream.processors.base import STORE_BATCH
from factstream.processors.judge import PAIR_MODEL_CANDIDATES
from factstream.processors.judged import RULES_VERSION, JudgedProcessor
from factstream.processors.matching import analyse_tracked, compare_features, keys_of
from factstream.processors.matching.verdict import might_relate
from factstream.schemas.records import Contradiction, Evidence, TrackedClaim, TrackedClaimUpdate


def evidence_of(tracked: TrackedClaim) -> list[Evidence]:
    """Return evidence for one side: its first mention (where the fact was first stated)."""
    if not tracked.mentions:
        return []
    first = tracked.mentions[0]
    return [Evidence(tracked_claim_id=tracked.id, claim_id=first.claim_id, article_id=first.article_id,
                     source=first.source, speaker=first.speaker, text=first.text, quote=first.quote,
                     span=first.span, published_at=first.published_at)]


class ContradictProcessor(JudgedProcessor):
    """Tracked-claim updates in, contradictions out (zero or more per update)."""

    name: ClassVar[str] = "contradict"
    input_topic: ClassVar[str] = "tracked"
    output_topic: ClassVar[str | None] = "contradictions"
    input_type: ClassVar[type[BaseModel]] = TrackedClaimUpdate
    output_type: ClassVar[type[BaseModel] | None] = Contradiction
    #: The host stores the contradictions and marks the mentions searched as checked.
    store_write: ClassVar[str | None] = "contradictions"
    output_key: ClassVar[str | None] = "id"
    batch_size: ClassVar[int] = STORE_BATCH

    def wants_candidates(self, record: BaseModel) -> bool:
        """Only a new tracked claim is compared (a further mention was, when its fact was new)."""
        return _as_update(record).is_new

    def screen(self, record: BaseModel, stored: object) -> bool:
        """Whether a stored candidate is worth building: False only when it cannot contradict.

        Under the rules this never changes :meth:`process`'s result (see
        :func:`.matching.verdict.might_relate`); the learned judge rules nothing out.
        """
        update = _as_update(record)
        if self.learned:
            return update.is_new
        candidate = self.stored_screen(stored)
        return update.is_new and (candidate is None
                                  or might_relate(candidate, analyse_tracked(update.tracked)))

    def vector(self, record: BaseModel) -> list[float] | None:
        """The new tracked claim's embedding, for semantic candidates; None for a further mention."""
        return self.vectors([record])[0]

    def vectors(self, records: Sequence[BaseModel]) -> list[list[float] | None]:
        """Embeddings of a batch of updates in one model call; None for further mentions."""
        updates = [_as_update(r) for r in records]
        if not self.learned:
            return [None] * len(updates)
        texts = [u.tracked.canonical_text for u in updates if u.is_new]
        found = iter(self.judge.embeddings(texts)) if texts else iter(())
        return [[float(x) for x in next(found)] if u.is_new else None for u in updates]

    def keys(self, record: BaseModel) -> list[str]:
        """Blocking keys of the tracked claim (as of its first claim, like the store's)."""
        update = _as_update(record)
        return keys_of(analyse_tracked(update.tracked))

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
        pool = list({c.id: c for c in candidates if c.id != tracked.id}.values())
        if not self.learned:
            return self._by_rules(tracked, features, pool)
        # Only a contradiction counts here: no need to explain why a pair is "none" (explain=False).
        judgements = self.judge.judge([(analyse_tracked(c), features) for c in pool],
                                      limit=PAIR_MODEL_CANDIDATES, explain=False)
        found: list[Contradiction] = []
        for candidate, verdict in zip(pool, judgements, strict=True):
            if verdict.relation != "contradiction" or verdict.kind is None:
                continue
            found.append(Contradiction(
                claim_a_id=candidate.id,
                claim_b_id=tracked.id,
                kind=verdict.kind,
                score=verdict.score,
                explanation=verdict.explanation,
                evidence=evidence_of(candidate) + evidence_of(tracked),
                judgement={"probabilities": verdict.probabilities, **verdict.evidence},
                model_version=verdict.model_version,
            ))
        return found


    @staticmethod
    def _by_rules(tracked: TrackedClaim, features: object, pool: list[TrackedClaim]) -> list[Contradiction]:
        found = []
        for candidate in pool:
            verdict = compare_features(analyse_tracked(candidate), features)  # type: ignore[arg-type]
            if verdict.relation != "contradiction" or verdict.kind is None:
                continue
            found.append(Contradiction(
                claim_a_id=candidate.id, claim_b_id=tracked.id, kind=verdict.kind, score=verdict.score,
                explanation=verdict.explanation, evidence=evidence_of(candidate) + evidence_of(tracked),
                model_version=RULES_VERSION))
        return found


def _as_update(record: BaseModel) -> TrackedClaimUpdate:
    if not isinstance(record, TrackedClaimUpdate):
        raise InvalidRecord(f"contradict expects a TrackedClaimUpdate, got {type(record).__name__}")
    return record
