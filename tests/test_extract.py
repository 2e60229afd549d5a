"""Behaviour of claim extraction a fact-checker relies on, on small invented articles."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas.records import Article, Claim
from streams.errors import InvalidRecord
from streams.processors.base import Processor
from streams.processors.extract import ExtractProcessor, extract_claims
from streams.processors.extract.numbers import find_numbers
from streams.processors.extract.quotes import find_quotes
from streams.processors.extract.segmentation import paragraphs

PUBLISHED = datetime(2025, 3, 14, 10, tzinfo=UTC)  # a Friday


def _claims(body: str, **kwargs: object) -> list[Claim]:
    return extract_claims(Article(source="test", body=body, published_at=PUBLISHED, **kwargs))


def test_processor_satisfies_the_protocol() -> None:
    processor = ExtractProcessor()
    assert isinstance(processor, Processor)
    assert (processor.name, processor.input_topic, processor.output_topic) == ("extract", "articles", "claims")
    processor.setup()
    claims = processor.process(Article(source="t", body="Acme Corp said on Friday it would hire 200 engineers."))
    assert claims and claims[0].speaker == "Acme Corp"
    with pytest.raises(InvalidRecord):
        processor.process(claims[0])
    processor.close()


def test_claim_copies_article_fields_and_ids_are_deterministic() -> None:
    article = Article(source="wire", url="https://x/1", body="The council said it had cut 40 jobs.",
                      published_at=PUBLISHED)
    first, second = extract_claims(article), extract_claims(article)
    assert [c.id for c in first] == [c.id for c in second]
    claim = first[0]
    assert (claim.article_id, claim.source, claim.url, claim.published_at) == (
        article.id, "wire", "https://x/1", PUBLISHED)
    assert claim.extractor.name == "factstream-rules" and claim.language == "en"


def test_direct_quote_with_title_then_surname_then_pronoun() -> None:
    body = (
        "Health Minister Sarah Lund said on Friday that waiting lists had fallen.\n"
        "\u201cWe have hired 3,000 nurses,\u201d Lund said.\n"
        "She added that the target would probably be met next year."
    )
    claims = _claims(body)
    quote = next(c for c in claims if c.quote == "We have hired 3,000 nurses")
    assert quote.speaker == "Sarah Lund" and quote.speaker_role == "Health Minister"
    assert [(q.value, q.unit) for q in quote.numbers] == [(3000, "nurse")]
    hedged = next(c for c in claims if "target" in c.text)
    assert hedged.speaker == "Sarah Lund"
    assert hedged.text.startswith("Sarah Lund added")
    assert hedged.modality == "hedged" and hedged.hedge == "probably"
    assert claims[0].claim_time == date(2025, 3, 14)


def test_quote_across_paragraphs_keeps_its_speaker_and_exact_words() -> None:
    body = (
        "\u201cThe plant will close in June. Nobody has told the workers,\u201d said union leader Pat Doyle.\n"
        "\u201cIt is a disgrace.\n"
        "\u201cWe will fight this.\u201d"
    )
    claims = _claims(body)
    quotes = {c.quote: c for c in claims}
    assert "The plant will close in June." in quotes
    assert quotes["Nobody has told the workers"].negated
    assert quotes["It is a disgrace."].speaker == "Pat Doyle"
    assert quotes["We will fight this."].speaker == "Pat Doyle"
    for claim in claims:
        assert claim.quote in body


def test_according_to_and_spokesperson_attribution() -> None:
    body = (
        "Unemployment rose to 5.2%, according to the Office for National Statistics.\n"
        "A spokeswoman for Boeing said the company had no plans to move production."
    )
    first, second = _claims(body)
    assert first.speaker == "Office for National Statistics"
    assert [(q.value, q.unit) for q in first.numbers] == [(5.2, "%")]
    assert second.speaker == "Boeing" and second.speaker_role == "spokeswoman"
    assert second.negated


def test_outlet_reporting_has_no_speaker_and_questions_are_not_claims() -> None:
    claims = _claims("The bridge was built in 1932 and carries 20,000 cars a day.\nWhat happens next?")
    assert len(claims) == 1
    assert claims[0].speaker is None and claims[0].reporting
    assert [(q.value, q.unit) for q in claims[0].numbers] == [(20000, "car")]


def test_denials_and_hedges_are_never_plain_assertions() -> None:
    claims = _claims(
        "The minister denied that the army had been deployed.\n"
        "Officials said the talks could resume next week.\n"
        "The company said it did not expect further job cuts."
    )
    assert [c.negated for c in claims] == [True, False, True]
    assert [c.modality for c in claims] == ["asserted", "hedged", "asserted"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twenty-six countries", (26, "country", False, False)),
        ("about 1,000 jobs", (1000, "job", True, False)),
        ("thousands of troops", (1000, "troop", False, True)),
        ("a third of voters", (33.33, "%", False, False)),
        ("a £1.2bn contract", (1.2e9, "GBP", False, False)),
        ("1.2 million people", (1.2e6, "person", False, False)),
    ],
)
def test_numbers(text: str, expected: tuple[float, str, bool, bool]) -> None:
    (quantity,) = find_numbers(text)
    assert (quantity.value, quantity.unit, quantity.approximate, quantity.lower_bound) == expected


def test_years_and_days_are_not_quantities() -> None:
    assert find_numbers("It opened on 5 September 2019 at 9:30 am.") == []


def test_relative_dates_resolve_against_publication() -> None:
    claims = _claims("The mayor said yesterday that the library would reopen.\nLast month the council cut 12 jobs.")
    assert claims[0].claim_time == date(2025, 3, 13)
    assert claims[1].claim_time == date(2025, 2, 1)


def test_html_remnants_are_masked_and_offsets_hold() -> None:
    body = "<p>The mayor said: &quot;We will build 500 homes.&quot;</p>\n<div class='ad'>Advertisement</div>"
    claims = _claims(body)
    assert len(claims) == 1
    assert claims[0].speaker is not None
    assert "500" in body[claims[0].span[0] : claims[0].span[1]]


def test_unbalanced_and_straight_quotes_do_not_crash() -> None:
    body = 'He said "this is fine.\nThe "plan" failed, officials said.\n\u201cNo.\u201d \u201d\u201c'
    claims = _claims(body)
    for claim in claims:
        if claim.quote:
            assert claim.quote in body
    quotes = find_quotes(body, paragraphs(body))
    assert all(body[q.start : q.end] for q in quotes)


def test_non_english_and_empty_ish_input_yield_nothing() -> None:
    french = "Le président a déclaré que les troupes ne seraient pas déployées dans la région, selon le ministère."
    assert _claims(french) == []
    assert _claims("   ...  \n \u201d") == []


def test_very_long_paragraph_is_handled() -> None:
    body = ", ".join(["the council said it had spent 5 pounds"] * 400) + "."
    claims = _claims(body)
    assert claims
    for claim in claims:
        assert 0 <= claim.span[0] < claim.span[1] <= len(body)
