"""The plug-in's own tests, written against factstream's harness: no broker, no database."""

from factstream_topic_tagger import ClaimTopic, TopicTagger

from factstream.schemas.records import Claim
from factstream.processors.testing import ProcessorHarness


def _claim(text: str, language: str | None = "en") -> Claim:
    return Claim(article_id="art_1", text=text, span=(0, len(text)), language=language)


def test_tags_claims_by_their_terms():
    """Each claim gets the topic its terms point to, or 'other'."""
    with ProcessorHarness(TopicTagger()) as harness:
        result = harness.feed(_claim("The closure will cut 1,200 jobs at the plant."),
                              _claim("Any troops deployed would be legitimate targets."),
                              _claim("It was a lovely afternoon."))
    assert [o.label for o in result.outputs] == ["economy", "conflict", "other"]
    assert all(isinstance(o, ClaimTopic) for o in result.outputs)
    assert not result.dead_letters


def test_a_claim_it_cannot_handle_is_dead_lettered_and_the_rest_go_on():
    """A non-English claim and a bad payload are dead-lettered; the good claim is still tagged."""
    with ProcessorHarness(TopicTagger()) as harness:
        result = harness.feed(_claim("Les troupes seront des cibles.", language="fr"),
                              _claim("The plant closes in May."),
                              b"not json")
    assert [o.label for o in result.outputs] == ["economy"]
    assert [d.stage for d in result.dead_letters] == ["topic-tagger", "topic-tagger"]
    assert "English claims only" in result.dead_letters[0].reason
    assert result.dead_letters[1].payload == "not json"
