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


def test_a_numeric_conflict_quotes_each_figure_as_its_article_writes_it():
    # Matching compares "staff" and "workers" as one unit; the reader is shown the words of each text.
    _, old = tracked("Northfield Steel's mill employs 310 staff.", "art1")
    update = update_for("Northfield Steel's mill employs 130 workers.", "art2")
    [found] = ContradictProcessor().process(update, [old])
    assert found.kind == "numeric"
    assert "says 310 staff" in found.explanation and "says 130 workers" in found.explanation
    assert "worker," not in found.explanation


def test_the_claim_listing_tags_figures_as_the_contradiction_quotes_them(capsys):
    from factstream.cli.queries import print_claims

    _, claim = tracked("The closure will cut 1,200 jobs at the plant.", "art1")
    print_claims([claim], as_json=False)
    assert "[asserted; 1,200 jobs]" in capsys.readouterr().out
