from datetime import UTC, datetime

from factstream.processors.base import CandidateProcessor
from factstream.processors.contradict import ContradictProcessor
from factstream.processors.dedup import new_tracked_claim
from factstream.processors.matching import claim_from_text
from factstream.schemas.records import Contradiction, TrackedClaimUpdate


def tracked(text, article, day=2, **fields):
    c = claim_from_text(text, published_at=datetime(2026, 3, day, tzinfo=UTC), source=article, **fields)
    c = c.model_copy(update={"article_id": article, "id": ""})
    c = type(c).model_validate(c.model_dump())
    return c, new_tracked_claim(c)


def update_for(text, article, **fields):
    c, t = tracked(text, article, **fields)
    return TrackedClaimUpdate(tracked=t, claim=c, is_new=True)


def test_satisfies_contract():
    proc = ContradictProcessor()
    assert isinstance(proc, CandidateProcessor)
    assert (proc.input_topic, proc.output_topic) == ("tracked", "contradictions")


def test_antonym_contradiction_with_evidence():
    _, old = tracked("The Senate approved the farm subsidy bill.", "art1")
    update = update_for("The Senate rejected the farm subsidy bill.", "art2")
    [found] = ContradictProcessor().process(update, [old, update.tracked])
    assert isinstance(found, Contradiction) and found.kind == "antonym"
    assert {found.claim_a_id, found.claim_b_id} == {old.id, update.tracked.id}
    assert 0 <= found.score <= 1 and "rejected" in found.explanation
    assert {e.article_id for e in found.evidence} == {"art1", "art2"}


def test_growing_toll_is_an_update_not_a_contradiction():
    _, old = tracked("The death toll from the quake stands at 12.", "art1", day=2)
    update = update_for("The death toll from the quake stands at 15.", "art2", day=3)
    assert ContradictProcessor().process(update, [old]) == []


def test_only_new_tracked_claims_are_checked():
    _, old = tracked("The Senate approved the farm subsidy bill.", "art1")
    update = update_for("The Senate rejected the farm subsidy bill.", "art2")
    assert ContradictProcessor().process(update.model_copy(update={"is_new": False}), [old]) == []
