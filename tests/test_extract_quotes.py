"""Quotes exact and the speaker's own (issue 16), on small invented articles.

A quote split by its attribution is one quote with each fragment's exact span; two sentences of
one speaker stay a claim each; a scare-quoted label is nobody's quote.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from factstream.processors.extract import extract_claims
from factstream.schemas.records import Article, Claim

PUBLISHED = datetime(2025, 3, 14, 10, tzinfo=UTC)


def _claims(body: str) -> list[Claim]:
    claims = extract_claims(Article(source="test", body=body, published_at=PUBLISHED))
    _assert_exact(body, claims)
    return claims


def _assert_exact(body: str, claims: list[Claim]) -> None:
    """Every quote is its fragments joined by one space, each fragment body[start:end] exactly."""
    for claim in claims:
        assert claim.span[1] <= len(body)
        if claim.quote is None:
            assert claim.quote_spans == []
            continue
        assert claim.quote_spans, f"{claim.quote!r} has no spans"
        fragments = [body[start:end] for start, end in claim.quote_spans]
        assert " ".join(fragments) == claim.quote
        assert all(fragment and fragment == fragment.strip() for fragment in fragments)
        assert claim.quote_spans == sorted(claim.quote_spans)


def _quoting(claims: list[Claim], start: str) -> Claim:
    found = [c for c in claims if c.quote and c.quote.startswith(start)]
    assert len(found) == 1, f"quotes: {[c.quote for c in claims]}"
    return found[0]


def test_one_sentence_broken_by_he_said_is_one_quote() -> None:
    body = ("Mayor Ann Holt presented the budget on Friday.\n"
            "\u201cWe will not,\u201d she said, \u201craise taxes this year.\u201d")
    claims = _claims(body)
    claim = _quoting(claims, "We will not")
    assert claim.quote == "We will not raise taxes this year."
    assert [body[s:e] for s, e in claim.quote_spans] == ["We will not", "raise taxes this year."]
    assert claim.speaker == "Ann Holt"
    assert claim.text == "Ann Holt said: \u201cWe will not raise taxes this year.\u201d"
    assert not [c for c in claims if c.quote == "raise taxes this year."]


def test_split_quote_with_straight_marks_and_inverted_attribution() -> None:
    body = ('Flood warden Tom Reyes walked the river bank on Monday.\n'
            '"It was," said Reyes, "the worst flood in forty years."')
    claim = _quoting(_claims(body), "It was")
    assert claim.quote == "It was the worst flood in forty years."
    assert len(claim.quote_spans) == 2 and claim.speaker == "Tom Reyes"


def test_two_sentences_of_one_speaker_are_two_claims_both_hers() -> None:
    body = ("Maria Costa runs a bakery on Mill Street.\n"
            "\u201cThe water came in fast,\u201d she said. \u201cWe lost everything in an hour.\u201d")
    claims = _claims(body)
    first = _quoting(claims, "The water came in fast")
    second = _quoting(claims, "We lost everything")
    assert first.quote == "The water came in fast"
    assert second.quote == "We lost everything in an hour."
    assert first.speaker == second.speaker == "Maria Costa"
    assert len(first.quote_spans) == len(second.quote_spans) == 1


def test_a_reply_too_short_to_be_a_claim_still_names_who_speaks_on() -> None:
    body = ("Maria Costa runs a bakery on Mill Street.\n"
            "\u201cNo,\u201d she said. \u201cWe lost everything in an hour.\u201d")
    claims = _claims(body)
    assert _quoting(claims, "We lost everything").speaker == "Maria Costa"
    assert all(c.quote != "No" for c in claims)


def test_a_fragment_opening_its_own_clause_is_its_own_claim() -> None:
    body = ("Union leader Mara Lind spoke after the vote.\n"
            "\u201cWe have made every reasonable offer,\u201d Lind said, "
            "\u201cbut the company refuses to move on pay.\u201d")
    claims = _claims(body)
    offer = _quoting(claims, "We have made every reasonable offer")
    refuses = _quoting(claims, "but the company refuses")
    assert offer.speaker == refuses.speaker == "Mara Lind"
    assert offer.quote == "We have made every reasonable offer"


def test_nested_quote_is_kept_inside_the_outer_one() -> None:
    body = ("Judge Ana Pires summed up the case on Tuesday.\n"
            "\u201cThe witness told the court, \u2018I saw the car at noon,\u2019 and the jury "
            "believed her,\u201d Pires said.")
    claims = _claims(body)
    claim = _quoting(claims, "The witness told the court")
    assert claim.quote == ("The witness told the court, \u2018I saw the car at noon,\u2019 and the jury "
                           "believed her")
    assert claim.speaker == "Ana Pires"
    assert all(c.quote != "I saw the car at noon" for c in claims)


def test_quote_left_open_across_paragraphs_keeps_its_speaker_and_exact_text() -> None:
    body = ("Coach Lee Park spoke after the match.\n"
            "\u201cWe played well in the first half and kept the ball.\n"
            "\u201cIn the second half,\u201d Park said, \u201cwe lost our shape and they scored twice.\u201d")
    claims = _claims(body)
    first = _quoting(claims, "We played well")
    assert first.quote == "We played well in the first half and kept the ball."
    assert first.speaker == "Lee Park"
    second = _quoting(claims, "In the second half")
    assert second.quote == "In the second half we lost our shape and they scored twice."
    assert len(second.quote_spans) == 2 and second.speaker == "Lee Park"


@pytest.mark.parametrize("mark", ['"', "\u201c"])
def test_a_quote_whose_paragraphs_ran_together_keeps_its_speaker(mark: str) -> None:
    # Each paragraph of a long quote reopens it without the last one closing; where the
    # paragraphs were run into one, the reopening mark follows a full stop inside the quote.
    close = '"' if mark == '"' else "\u201d"
    body = (f"Rovers won 2-0. Coach Ray Dunn is confident. He added: {mark}We had chances and we took them. "
            f"{mark}It is only six points to the leaders and that is nothing. If we win again, it is three."
            f"{close} Dunn has won nine games this season.")
    claims = _claims(body)
    for start in ("We had chances", "It is only six points", "If we win again"):
        claim = _quoting(claims, start)
        assert claim.speaker == "Ray Dunn", start
    assert _quoting(claims, "It is only").quote == "It is only six points to the leaders and that is nothing."
    # The sentence after the closing mark is the outlet's again.
    assert next(c for c in claims if "nine games" in c.text).quote is None


def test_a_run_together_quote_may_go_on_in_the_next_paragraph() -> None:
    body = ('After the programme, lawyer Richard Nichols said: "Marion has never used drugs. "Victor Conte '
            'is a man facing an indictment. "Mr Conte made his allegations on television.\n\n'
            '"Mr Conte is simply not credible. We challenge him to take the same test."\n\n'
            "The ruling body is taking a cautious approach.")
    claims = _claims(body)
    for start in ("Victor Conte is", "Mr Conte made", "We challenge him"):
        assert _quoting(claims, start).speaker == "Richard Nichols", start
    assert claims[-1].quote is None and claims[-1].speaker is None


def test_a_run_together_quote_after_an_office_is_its_holders() -> None:
    body = ('Norland President Ada Varga met EU leaders in Brussels. The Norland president told reporters: '
            '"We will not accept this deal. "The budget must be fair to every member."')
    claims = _claims(body)
    for start in ("We will not accept", "The budget must be fair"):
        assert _quoting(claims, start).speaker == "Ada Varga", start


def test_a_quote_left_unclosed_does_not_take_the_outlets_text() -> None:
    body = ('Board chairman Peter Jarvis said: "Downloads are the biggest change in 20 years.\n\n'
            '"But the chart is poor. "We are pleased with the delay. The charts are run by a joint '
            "venture. The US has already merged downloads into its chart.")
    claims = _claims(body)
    assert _quoting(claims, "But the chart").speaker == "Peter Jarvis"
    narrative = next(c for c in claims if "already merged" in c.text)
    assert (narrative.speaker, narrative.quote) == (None, None)


def test_a_long_quote_introduced_by_name_stays_that_persons() -> None:
    body = ('"The camp is amazing," said Ray Connors. "The kids worked hard."\n\n'
            'Speaking from the camp, performance director David Felt told reporters: "Ray was fantastic '
            'with the players. "He worked through the coaches. "He made it clear he wanted to stay," '
            "he added.")
    claims = _claims(body)
    for start in ("Ray was fantastic", "He worked through", "He made it clear"):
        assert _quoting(claims, start).speaker == "David Felt", start


def test_partial_quote_in_reported_speech_has_its_span() -> None:
    body = "Finance Minister Ivo Brandt said the plan would \u201ccost thousands of jobs\u201d by 2027."
    claim = _quoting(_claims(body), "cost thousands of jobs")
    assert claim.speaker == "Ivo Brandt"
    assert [body[s:e] for s, e in claim.quote_spans] == ["cost thousands of jobs"]


@pytest.mark.parametrize("body", [
    "The council approved the so-called \u201cgreen corridor\u201d plan on Tuesday, "
    "which officials say will cost 4 million pounds.",
    'The fund, which critics call a "slush fund", grew by 5 percent last year, officials said.',
])
def test_scare_quoted_label_is_nobodys_quote(body: str) -> None:
    claims = _claims(body)
    assert claims and all(c.quote is None for c in claims)


def test_what_he_called_is_his_quote() -> None:
    body = "Mayor Dan Ruiz criticised what he called a \u201creckless gamble\u201d by the province."
    claim = _quoting(_claims(body), "reckless gamble")
    assert claim.speaker == "Dan Ruiz"


@pytest.mark.parametrize(("body", "quote", "speaker"), [
    # The parse hangs the second clause on "said" as a conjunct: still her words.
    ("Health Minister Ana Roe said the review was under way, but it was an \u201curgent priority\u201d.",
     "urgent priority", "Ana Roe"),
    # A verb of blame: how the speaker characterises what the minister did.
    ("Opposition leader Mark Hale accused the minister of using \u201cfancy statistics\u201d "
     "to hide the cuts.",
     "fancy statistics", "Mark Hale"),
])
def test_short_phrase_tied_to_the_speaker_stays_a_quote(body: str, quote: str, speaker: str) -> None:
    claim = _quoting(_claims(body), quote)
    assert claim.quote == quote and claim.speaker == speaker


@pytest.mark.parametrize(("body", "joined"), [
    ("Finance chief Rita Moss spoke on Monday.\n"
     "\u201cIf prices keep rising,\u201d Moss said, \u201cwe will cut the fuel duty.\u201d",
     "If prices keep rising we will cut the fuel duty."),
    ("Finance chief Rita Moss spoke on Monday.\n"
     "\u201cBut,\u201d Moss said, \u201cthe fuel duty will fall by 5 percent next year.\u201d",
     "But the fuel duty will fall by 5 percent next year."),
])
def test_a_subordinate_or_bare_first_fragment_joins_the_main_clause(body: str, joined: str) -> None:
    claims = _claims(body)
    claim = _quoting(claims, joined.split()[0])
    assert claim.quote == joined and claim.speaker == "Rita Moss"
    assert len(claim.quote_spans) == 2


def test_two_main_clauses_split_by_the_attribution_are_two_claims() -> None:
    body = ("Shop owner Raj Patel spoke on Monday.\n"
            "\u201cMost customers pay in cash,\u201d Patel said, \u201cthey do not trust cards yet.\u201d")
    claims = _claims(body)
    assert _quoting(claims, "Most customers").quote == "Most customers pay in cash"
    second = _quoting(claims, "they do not trust")
    assert second.speaker == "Raj Patel" and second.negated


def test_a_quote_inside_the_outlet_s_sentence_keeps_the_sentence_around_it() -> None:
    # The words before the quote say what it is about: the claim is the whole sentence, with
    # the speaker, and the quote stays the quoted words exactly.
    body = ('Judy Hale left the board of Norda Oil on Friday. She was leaving "by mutual agreement to '
            'pursue other interests", the firm said in a statement. The new pipeline was "a disaster for '
            'the town", Ms Kite said.')
    claims = _claims(body)
    leaving, pipeline = claims[-2], claims[-1]
    assert leaving.text == ('Judy Hale was leaving "by mutual agreement to pursue other interests", '
                            'Norda Oil said in a statement.')
    assert leaving.quote == "by mutual agreement to pursue other interests"
    assert pipeline.text == 'The new pipeline was "a disaster for the town", Ms Kite said.'
    assert (pipeline.speaker, pipeline.quote) == ("Ms Kite", "a disaster for the town")
    # A label inside the sentence is read with the sentence: its speaker is whoever says the
    # sentence, not a name right after the label's close.
    (label,) = _claims('The Liberal Party said the plan could fail, while Labour criticised "extravagant" '
                       'Tory promises on policing.')
    assert label.speaker == "Liberal Party"
    (passive,) = _claims('The head of the "failing" Harbour Agency widely reported to have resigned in May '
                         'is still in post.')
    assert passive.speaker is None
    # The quote's own attribution after it speaks, not the words the sentence opens with.
    (adds,) = _claims('The survey adds "an important piece to our picture of the port," said Jon Aske, '
                      'professor of economics at Norland University.')[-1:]
    assert adds.speaker == "Jon Aske" and adds.text.startswith('The survey adds "an important piece')
    # The quoted words stay the claim's quote where the speaker is not known.
    (unknown,) = _claims('The new pipeline was "not good enough for the town", she said.')
    assert unknown.quote == "not good enough for the town"
    # A quote that opens its sentence, or follows its attribution, is shown as said.
    (said,) = _claims('"The pipeline is a disaster for the town," Ms Kite said.')
    assert said.text == "Ms Kite said: “The pipeline is a disaster for the town”"
