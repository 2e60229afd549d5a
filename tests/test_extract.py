"""Behaviour of claim extraction a fact-checker relies on, on small invented articles."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from factstream.errors import InvalidRecord
from factstream.processors.base import Processor
from factstream.processors.extract import ExtractProcessor, extract_claims
from factstream.processors.extract.numbers import find_numbers
from factstream.processors.extract.quotes import find_quotes
from factstream.processors.extract.segmentation import paragraphs
from factstream.schemas.records import Article, Claim

PUBLISHED = datetime(2025, 3, 14, 10, tzinfo=UTC)  # a Friday


def _claims(body: str, **kwargs: object) -> list[Claim]:
    return extract_claims(Article(source="test", body=body, published_at=PUBLISHED, **kwargs))


def test_processor_satisfies_the_protocol() -> None:
    processor = ExtractProcessor()
    assert isinstance(processor, Processor)
    topics = (processor.name, processor.input_topic, processor.output_topic)
    assert topics == ("extract", "articles", "claims")
    processor.setup()
    body = "Acme Corp said on Friday it would hire 200 engineers."
    claims = processor.process(Article(source="t", body=body))
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
        "\u201cThe plant will close in June. Nobody has told the workers,\u201d "
        "said union leader Pat Doyle.\n"
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


def test_negation_and_hedges_come_from_the_main_verb_and_denials_are_stances() -> None:
    claims = _claims(
        "The minister denied that the army had been deployed.\n"
        "Officials said the talks could resume next week.\n"
        "The company said it did not expect further job cuts.\n"
        "The mayor, who had not spoken before, said the bridge will reopen in May."
    )
    # A denial is the minister's stance, kept in the claim's words, not a negated fact.
    assert "denied" in claims[0].text
    assert [c.negated for c in claims] == [False, False, True, False]
    assert [c.modality for c in claims] == ["asserted", "hedged", "asserted", "asserted"]


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
    claims = _claims(
        "The mayor said yesterday that the library would reopen.\nLast month the council cut 12 jobs."
    )
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
    french = (
        "Le président a déclaré que les troupes ne seraient pas déployées dans la région, selon le ministère."
    )
    assert _claims(french) == []
    assert _claims("   ...  \n \u201d") == []


def test_very_long_paragraph_is_handled() -> None:
    body = ", ".join(["the council said it had spent 5 pounds"] * 400) + "."
    claims = _claims(body)
    assert claims
    for claim in claims:
        assert 0 <= claim.span[0] < claim.span[1] <= len(body)


# -- speakers -------------------------------------------------------------------------------


def test_appositive_name_is_the_speaker_of_a_description() -> None:
    body = (
        "Consumer group Fair Energy said bills were still too high.\n"
        "Its director, Kemi Adeyemi, said: \u201cA small cut is welcome, but it is not enough.\u201d\n"
        "The trust's chief executive, Dr Omar Siddiqui, said demand had risen by 9%."
    )
    quoted, reported = _claims(body)[1:]
    assert quoted.speaker == "Kemi Adeyemi" and quoted.speaker_role == "Its director"
    assert quoted.quote == "A small cut is welcome, but it is not enough."
    assert reported.speaker == "Omar Siddiqui"
    assert reported.text.startswith("The trust's chief executive, Dr Omar Siddiqui, said")


def test_honorific_after_a_role_is_not_part_of_the_name() -> None:
    (claim,) = _claims("Lead author Dr Helen Marsh said the findings were preliminary.")
    assert (claim.speaker, claim.speaker_role) == ("Helen Marsh", "Lead author")


@pytest.mark.parametrize(
    ("sentence", "speaker", "modality"),
    [
        ("Officers believe the vehicle was a dark blue hatchback.", "Officers", "hedged"),
        ("Most economists expect the first cut in February.", "Most economists", "hedged"),
        ("Patients' groups have called for an independent inquiry.", "Patients' groups", "asserted"),
        ("Local traders said they feared losing customers.", "Local traders", "asserted"),
        ("Analysts at Brightline Research said sales could double.", "Analysts at Brightline Research",
         "hedged"),
        ("An experimental vaccine cut infections by 72%, its developers said.", "its developers", "asserted"),
    ],
)
def test_groups_speak_in_their_own_words(sentence: str, speaker: str, modality: str) -> None:
    (claim,) = _claims(sentence)
    assert (claim.speaker, claim.modality) == (speaker, modality)


def test_indefinite_court_is_a_new_referent_and_documents_speak_for_their_issuer() -> None:
    claims = _claims(
        "A former manager stole more than \u00a3600,000 from customers, a court has heard.\n"
        "Tropical forest loss fell by 18% last year, according to a report by the Global Canopy "
        "Observatory.\n"
        "The report said about 3.7 million hectares were destroyed.\n"
        "Fires accounted for almost half of the losses, it said."
    )
    assert [c.speaker for c in claims] == ["court"] + ["Global Canopy Observatory"] * 3


def test_descriptors_resolve_to_an_organisation_of_their_kind() -> None:
    claims = _claims(
        "Budget airline SkyBridge cancelled 120 flights after a computer failure at Northgate "
        "Airport Trust.\n"
        "In a statement, the airline said about 18,000 passengers had been affected.\n"
        "\u201cWe apologise to every customer,\u201d the statement said.\n"
        "The aviation watchdog described the failure as \u201cunacceptable\u201d."
    )
    assert [c.speaker for c in claims[1:]] == ["SkyBridge", "SkyBridge", "aviation watchdog"]


def test_possessive_descriptor_may_name_its_organisation_in_the_next_sentence() -> None:
    claims = _claims(
        "Dock workers will strike for 48 hours from Monday, their union announced.\n"
        "The Harbour Workers Union said 1,200 members had voted in favour."
    )
    assert [c.speaker for c in claims] == ["Harbour Workers Union"] * 2


def test_ampersand_names_stay_whole_and_agreeing_to_buy_is_no_speech() -> None:
    claims = _claims(
        "Brewing group Hollis & Reed has agreed to buy rival Tamworth Ales for \u20ac2.1bn.\n"
        "Hollis & Reed said there were no plans to close breweries."
    )
    assert [c.speaker for c in claims] == [None, "Hollis & Reed"]


def test_passive_agent_of_a_denial_is_the_speaker() -> None:
    (claim,) = _claims("Her evidence was disputed by Northfield Care Group.")
    assert claim.speaker == "Northfield Care Group" and not claim.negated  # disputing is a stance


def test_unnamed_spokesperson_speaks_for_the_organisation_of_the_story() -> None:
    claims = _claims(
        "Software maker Brandt & Vogel will cut 1,100 jobs, the company said.\n"
        "Staff will be told of their roles next week, a spokeswoman said."
    )
    assert [(c.speaker, c.speaker_role) for c in claims] == [
        ("Brandt & Vogel", None), ("Brandt & Vogel", "spokeswoman")
    ]


def test_unaffiliated_executive_belongs_to_the_organisation_seen_speaking() -> None:
    claims = _claims(
        "Brightwater Industries will close its Kestrel Bay mill in June, the company said on Monday.\n"
        "\u201cWe will close the Kestrel Bay mill in June,\u201d chief executive Jonas Ekberg said.\n"
        "Finance director Ruth Alvarez said the sale of the site would follow.\n"
        "The chairman said the board had approved the plan."
    )
    assert [(c.speaker, c.speaker_role) for c in claims] == [
        ("Brightwater Industries", None),
        ("Jonas Ekberg", "chief executive of Brightwater Industries"),
        ("Ruth Alvarez", "Finance director of Brightwater Industries"),
        ("chairman", "chairman of Brightwater Industries"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # No organisation seen speaking yet: the role stays as written.
        "Chief executive Jonas Ekberg said the Kestrel Bay mill would close in June.",
        # A place is no organisation that speaks.
        "The Kestrel Bay mill will close in June.\nChief executive Jonas Ekberg said it was a hard choice.",
    ],
)
def test_executive_role_is_left_alone_when_the_organisation_is_unclear(body: str) -> None:
    speakers = {c.speaker: c.speaker_role for c in _claims(body)}
    assert speakers["Jonas Ekberg"].lower() == "chief executive"


def test_roles_naming_their_own_organisation_or_another_kind_are_left_alone() -> None:
    claims = _claims(
        "Brightwater Industries said it would shut its Kestrel Bay mill in June.\n"
        "Union leader Dan Okafor said the workers would fight the plan.\n"
        "Alder Pulp chief executive Petra Holm said her firm would not bid for the site."
    )
    roles = {c.speaker: c.speaker_role for c in claims}
    assert roles["Dan Okafor"] == "Union leader"
    assert roles["Petra Holm"] == "Alder Pulp chief executive"


def test_organisation_goes_by_its_first_word_after_the_first_mention() -> None:
    claims = _claims(
        "Pharmaceutical firm Castellan Biologics is recalling 40,000 packs, the regulator said.\n"
        "Castellan said the risk to patients was very low."
    )
    assert claims[1].speaker == "Castellan Biologics"


# -- quotes ---------------------------------------------------------------------------------


def test_html_entity_quote_opens_before_its_first_word() -> None:
    body = "<p>&quot;The bridge is nearly 90 years old,&quot; Ms Pryce said.</p>"
    (claim,) = _claims(body)
    assert claim.quote == "The bridge is nearly 90 years old"


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One bad fire season could wipe out these gains", [(1, "season")]),
        ("plans to buy 40 new fighter jets", [(40, "jet")]),
        ("temperatures would drop to minus eight overnight", [(-8, None)]),
        ("a trial in three African countries", [(3, "country")]),
        ("Seven of the nine members voted", [(7, None), (9, "member")]),
        ("the festival's 40-year history", [(40, "year")]),
        ("adds 150 police officers", [(150, "officer")]),
        ("a contract worth 60 billion kroner", [(60e9, "krone")]),
    ],
)
def test_counted_nouns_and_signs(text: str, expected: list[tuple[float, str | None]]) -> None:
    assert [(q.value, q.unit) for q in find_numbers(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The 34-year-old man was taken to hospital.",
        "Graham Foster, 58, had targeted customers.",
        "The festival would run from 22 to 24 August.",
        "They won after beating Castleton 2-0 at home.",
        "We expect conditions to improve in the second half.",
        "I told the players at half-time that we would win.",
        "It was a one-off payment.",
    ],
)
def test_ages_dates_scores_and_idioms_are_not_claim_quantities(text: str) -> None:
    assert find_numbers(text) == []


def test_population_ages_and_ranges_stay() -> None:
    assert [q.value for q in find_numbers("pupils aged 13 to 17")] == [13, 17]
    assert [(q.value, q.unit) for q in find_numbers("between 5-10 people")] == [(5, None), (10, "person")]


# -- negation -------------------------------------------------------------------------------


def test_negation_in_a_relative_clause_does_not_negate_the_claim() -> None:
    claims = _claims(
        "Varga, who had not dropped a set all tournament, said she had struggled with a wrist injury.\n"
        "Larsen, who is ranked 112th, said she did not expect to win."
    )
    assert [c.negated for c in claims] == [False, True]


def test_the_company_is_the_firm_named_not_a_place_that_modifies_a_facility():
    body = ("Northfield Steel will close its Harbor City plant in May, the company said on Monday. "
            "The closure will cut 1,200 jobs, according to a company statement.")
    claims = extract_claims(Article(source="Gazette", body=body))
    assert [c.speaker for c in claims] == ["Northfield Steel", "Northfield Steel"]
    assert all("Harbor City said" not in c.text for c in claims)
