from datetime import UTC, datetime

from factstream.processors.base import CandidateProcessor
from factstream.processors.dedup import DedupProcessor, new_tracked_claim
from factstream.processors.matching import claim_from_text
from factstream.schemas.records import TrackedClaimUpdate, stable_id


def claim(text, article, **fields):
    c = claim_from_text(text, published_at=datetime(2026, 3, 2, tzinfo=UTC), source=article, **fields)
    return c.model_copy(update={"article_id": article, "id": stable_id("clm", article, text)})


def test_satisfies_contract():
    proc = DedupProcessor()
    assert isinstance(proc, CandidateProcessor)
    assert (proc.name, proc.input_topic, proc.output_topic) == ("dedup", "claims", "tracked")


def test_new_claim_starts_tracked_claim():
    c = claim("Acme will close its Leeds plant in May.", "art1")
    [update] = DedupProcessor().process(c, [])
    assert isinstance(update, TrackedClaimUpdate) and update.is_new and update.score == 1.0
    assert update.tracked.id == stable_id("trk", c.id)
    assert update.tracked.mention_count == 1 and update.tracked.mentions[0].claim_id == c.id


def test_restatement_joins_existing_tracked_claim():
    first = new_tracked_claim(claim("Acme will close its Leeds plant in May.", "art1", speaker="Acme"))
    other = new_tracked_claim(claim("Acme will open a plant in Spain.", "art2"))
    c = claim("Acme's Leeds plant will shut in May, chief executive Hannah Kerr said.", "art3",
              speaker="Hannah Kerr", speaker_role="Acme chief executive")
    [update] = DedupProcessor().process(c, [other, first])
    assert not update.is_new and update.tracked.id == first.id and 0 < update.score <= 1


def test_different_number_is_a_new_fact():
    first = new_tracked_claim(claim("Tesla will cut 3,000 jobs in Germany.", "art1"))
    [update] = DedupProcessor().process(claim("Tesla will cut 300 jobs in Germany.", "art2"), [first])
    assert update.is_new


def test_keys_start_with_text_hash():
    keys = DedupProcessor().keys(claim("Putin said Russia would not attend.", "a", speaker="Vladimir Putin"))
    assert keys[0].startswith("t:") and "s:vladimir putin" in keys


def test_company_statement_executive_quote_and_outlet_report_are_one_tracked_claim():
    company = claim("Northfield Steel will close its Harbor City plant in May, the company said on Monday.",
                    "art1", speaker="Northfield Steel")
    tracked = new_tracked_claim(company)
    ceo = claim("Maria Lindqvist said: \u201cWe will close the Harbor City plant in May\u201d", "art2",
                speaker="Maria Lindqvist", speaker_role="chief executive of Northfield Steel")
    wire = claim("Northfield Steel said on Monday it would shut its Harbor City plant in May.", "art3",
                 speaker="Northfield Steel")
    for c in (ceo, wire):
        [update] = DedupProcessor().process(c, [tracked])
        assert not update.is_new and update.tracked.id == tracked.id, c.text
    rival = claim("Petra Holm said: \u201cWe will close the Harbor City plant in May\u201d", "art4",
                  speaker="Petra Holm", speaker_role="chief executive of Ardent Metals")
    [update] = DedupProcessor().process(rival, [tracked])
    assert update.is_new
