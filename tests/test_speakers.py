"""One speaker per person: aliases within an article, identities across articles, look-up by any alias.

The articles are invented, in the shape of BBC politics stories; the store-level test runs the real
extractor into the real PostgreSQL of the suite and reads back through ClaimQueries, the read path
the CLI and the HTTP API share.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from factstream.cli.queries import _timeline_day
from factstream.ingest import Defaults, parse_text
from factstream.processors.extract.extractor import RuleBasedExtractor
from factstream.processors.extract.speakers import Discourse, holds_office
from factstream.schemas.records import Article
from factstream.store import ClaimStore
from factstream.store.identities import AmbiguousName, find, identities, office_holder, office_holders
from factstream.store.queries import AmbiguousSpeaker, ClaimQueries, NotFound, TimelineEntry
from tests.test_queries import _new

EXTRACTOR = RuleBasedExtractor()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _claims(body: str, **article: object) -> list:
    return EXTRACTOR.extract(Article(source="Test", body=body, **article))  # type: ignore[arg-type]


def _by_speaker(body: str) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for claim in _claims(body):
        found.setdefault(claim.speaker, claim.speaker_aliases)
    return found


# -- within an article ---------------------------------------------------------------------------


def test_apposition_ties_the_role_and_every_claim_gets_the_aliases():
    body = (
        "The prime minister, Tony Blair, said the health service would get 2bn more next year. "
        "Mr Blair told MPs the money was already there. "
        "The prime minister said waiting lists would fall by a third."
    )
    claims = _claims(body)
    assert [c.speaker for c in claims] == ["Tony Blair"] * 3
    for claim in claims:
        assert claim.speaker_aliases[0] == "Tony Blair"
        assert set(claim.speaker_aliases) == {"Tony Blair", "Mr Blair", "the prime minister"}


def test_title_before_the_name_ties_the_office():
    body = (
        "Chancellor Gordon Brown said growth would reach 3% next year. "
        "The chancellor said borrowing was under control."
    )
    assert [c.speaker for c in _claims(body)] == ["Gordon Brown", "Gordon Brown"]


def test_a_role_noun_is_nobody_when_only_another_office_was_named():
    body = (
        "Deputy Prime Minister John Prescott said 40,000 homes would be built this year. "
        "Shadow Chancellor Oliver Letwin said taxes would rise by 8bn. "
        "The prime minister said the target would be met. "
        "The chancellor said borrowing was under control."
    )
    speakers = [c.speaker for c in _claims(body)]
    assert speakers[:2] == ["John Prescott", "Oliver Letwin"]
    assert "John Prescott" not in speakers[2:] and "Oliver Letwin" not in speakers[2:]


def test_a_role_noun_with_two_holders_is_nobody():
    body = (
        "Foreign Secretary Jack Straw said the talks had failed. "
        "Home Secretary Charles Clarke said the bill would pass. "
        "The secretary said the vote would be held on Monday."
    )
    assert _claims(body)[-1].speaker not in ("Jack Straw", "Charles Clarke")


def test_offices():
    assert holds_office("Prime Minister", "the prime minister")
    assert holds_office("Russian President", "the president")
    assert holds_office("chief executive of Northfield Steel", "the chief executive")
    assert not holds_office("Deputy Prime Minister", "the prime minister")
    assert not holds_office("Prime Minister", "the minister")
    assert not holds_office("Shadow Chancellor", "the chancellor")
    assert not holds_office("former President", "the president")


def test_honorific_gender_keeps_two_people_with_one_surname_apart():
    body = (
        "Michael Howard said the Conservatives would cut taxes by 4bn. "
        "Mr Howard said the plan was fully costed. "
        "Mrs Howard said she had campaigned in Folkestone for six weeks."
    )
    assert [c.speaker for c in _claims(body)] == ["Michael Howard", "Michael Howard", "Mrs Howard"]
    assert _by_speaker(body)["Mrs Howard"] == ["Mrs Howard"]


def test_a_knight_is_never_mr():
    body = (
        "Sir Ian Blair said crime in London had fallen by 5% this year. "
        "Mr Blair said the police would get 300m more."
    )
    assert [c.speaker for c in _claims(body)] == ["Sir Ian Blair", "Mr Blair"]


def test_a_surname_known_only_with_its_honorific_keeps_it():
    body = "Mr Blair said the economy was strong. Blair added that taxes would not rise this year."
    speakers = _by_speaker(body)
    assert set(speakers) == {"Mr Blair"}
    assert speakers["Mr Blair"] == ["Mr Blair", "Blair"]


def test_a_pronoun_after_a_name_in_a_prepositional_phrase_is_the_earlier_subject():
    body = (
        "General Amar Dessai said the border talks would resume in spring. "
        "But standing beside Mr Halvorsen he added that the army would stay in the valley."
    )
    assert [c.speaker for c in _claims(body)] == ["Amar Dessai", "Amar Dessai"]


def test_a_name_in_the_object_does_not_become_the_next_he():
    body = (
        "Ruth Calder said the new ferry route would open in May. "
        "On Monday the visiting premier met Prime Minister Olaf Brandt at his residence. "
        "He is due to tour the shipyards in Dunmore on Tuesday."
    )
    assert "Olaf Brandt" not in [c.speaker for c in _claims(body)]


def test_a_pronoun_is_not_written_as_a_name_when_the_sentence_before_reported_another_persons_words():
    """'He' after "A said (that) B had decided ..." may be A or B: naming either could store a false
    claim under the wrong person, so the claim keeps "He"; with no rival it names the subject."""
    texts = [c.text for c in _claims(
        "But Mr Dale Orrin said the pair were at odds and that Mr Ivo Marsh had decided to quit in May. "
        "He then changed his mind in June, according to the book."
    )]
    assert any(t.startswith("He then changed his mind") for t in texts), texts
    assert not any("Orrin then changed" in t or "Marsh then changed" in t for t in texts), texts
    # A rival of the other gender is no rival: "she" is Ms Vell.
    texts = [c.text for c in _claims(
        "Ms Ada Vell said Mr Ivo Marsh would draw sharp dividing lines in the campaign. "
        "She would contrast the two parties' plans for the health service."
    )]
    assert any(t.startswith("Ada Vell would contrast") for t in texts), texts
    # Without reported words of another person, "he" is the subject before, as always.
    texts = [c.text for c in _claims(
        "Mr Dale Orrin said the pair were at odds over the budget. "
        "He then changed his mind in June, according to the book."
    )]
    assert any(t.startswith("Dale Orrin then changed his mind") for t in texts), texts


def test_a_quote_ended_by_a_full_stop_takes_the_attribution_before_it():
    body = (
        'The Bishop of Hartwell said: "I am glad the two families have settled the matter at last." '
        'Tony Blair said he was "delighted" with the outcome of the talks.'
    )
    speakers = [c.speaker for c in _claims(body)]
    assert speakers[0] != "Tony Blair" and "Hartwell" in (speakers[0] or "")
    assert speakers[-1] == "Tony Blair"


def test_a_document_is_not_the_person_who_spoke_last():
    body = (
        "Mr Blair said the treaty would be put to a vote in the spring. "
        "The paper said the prime minister had hidden the cost of the treaty from voters."
    )
    assert _claims(body)[-1].speaker != "Mr Blair"


def test_a_spokesman_speaks_for_the_principal_and_he_follows_him():
    body = (
        "Prime Minister Tony Blair's official spokesman said contingency plans were being made. "
        "He added the situation would be watched closely in case an evacuation became necessary."
    )
    assert _claims(body)[-1].speaker == "Tony Blair"


def test_a_spokesmans_words_are_never_shown_as_the_principals_own():
    body = (
        "Chancellor Helen Marsh arrived in Leeds on Monday. "
        "Mrs Marsh's official spokeswoman said the budget would be published within a fortnight. "
        'Mrs Marsh\'s spokeswoman said: "The treasury was not consulted on the plan at any stage." '
        'A spokeswoman for Mrs Marsh said: "The chancellor has no plans to resign this year." '
        "She added that the chancellor would visit Glasgow on Tuesday."
    )
    claims = [c for c in _claims(body) if c.speaker == "Helen Marsh"]
    assert len(claims) == 4  # the principal stays the speaker, as before
    assert [c.speaker_role for c in claims[:2]] == ["spokeswoman", "spokeswoman"]
    for claim in claims:
        # The text still says a spokeswoman spoke: it never reads as Helen Marsh's own words.
        assert "spokeswoman" in claim.text, claim.text
        assert not claim.text.startswith(("Helen Marsh said", "Mrs Helen Marsh", "Mrs Marsh said"))



def test_a_lowercase_office_speaks_like_the_prime_minister():
    body = (
        "Borrowing rose by 2bn in March. The chancellor said growth would reach 3% next year. "
        "He added that 5% of spending would be cut. "
        '"We have made progress on 4 of the 6 points," the foreign secretary said. '
        "The Attorney General said the plan was lawful in 3 respects."
    )
    claims = _claims(body)
    speakers = [c.speaker for c in claims]
    assert speakers == [None, "chancellor", "chancellor", "foreign secretary", "attorney general"]
    assert claims[2].text.startswith("The chancellor added")  # the pronoun is the office, not a name
    assert claims[4].text.startswith("The Attorney General said")  # as written


def test_ordinary_nouns_next_to_office_words_are_no_speakers():
    by_speaker = _by_speaker(
        "The general election was called for 5 May. The general public said taxes were 5% too high. "
        "The Times said the poll had 3 candidates."
    )
    assert set(by_speaker) <= {None, "Times"}


def test_a_rank_abbreviation_is_no_part_of_the_name():
    by_speaker = _by_speaker(
        "Anton Varga arrived in London on Monday. "
        "Gen Varga said the army had cut its budget by 10%. "
        "President Varga said elections would be held within 2 years."
    )
    assert set(by_speaker) == {None, "Anton Varga"}  # "arrived" reports nothing
    assert {"the general", "the president"} <= set(by_speaker["Anton Varga"])
    assert "the gen" not in by_speaker["Anton Varga"]

# -- across articles -----------------------------------------------------------------------------


def test_surname_with_honorific_joins_the_one_full_name():
    people = identities([
        ("Tony Blair", ["Tony Blair", "Mr Blair", "the prime minister"]),
        ("Mr Blair", ["Mr Blair"]),
        ("Michael Howard", ["Michael Howard", "Mr Howard"]),
        ("Mrs Howard", ["Mrs Howard"]),
        ("Sir Ian Blair", ["Sir Ian Blair"]),
        ("Tories", ["Tories"]),
        ("Senior Tories", ["Senior Tories"]),
    ])
    by_name = {p.name: p for p in people}
    assert by_name["Tony Blair"].names == ["Tony Blair", "Mr Blair"]
    assert "Mrs Howard" in by_name and by_name["Michael Howard"].names == ["Michael Howard"]
    assert "Tories" in by_name  # an organisation's word is no surname
    assert find(people, "mr blair").name == "Tony Blair"
    assert find(people, "TONY BLAIR").name == "Tony Blair"
    assert find(people, "the Prime Minister").name == "Tony Blair"
    assert find(people, "mrs howard").name == "Mrs Howard"
    assert find(people, "howard").name == "Michael Howard"
    with pytest.raises(AmbiguousName):
        find(people, "blair")  # Tony Blair or Sir Ian Blair
    assert find(people, "Gordon Brown") is None


def test_a_surname_with_two_full_names_stays_apart():
    people = identities([
        ("Tony Blair", ["Tony Blair", "Mr Blair"]),
        ("Euan Blair", ["Euan Blair", "Mr Blair"]),
        ("Mr Blair", ["Mr Blair"]),
    ])
    assert {p.name for p in people} == {"Tony Blair", "Euan Blair", "Mr Blair"}
    assert find(people, "mr blair").name == "Mr Blair"


def test_a_title_and_the_plain_name_are_one_person():
    people = identities([("Sir Edward Leigh", ["Sir Edward Leigh"]), ("Edward Leigh", ["Edward Leigh"])])
    assert [(p.name, p.names) for p in people] == [("Sir Edward Leigh", ["Sir Edward Leigh", "Edward Leigh"])]



def test_an_office_or_rank_before_a_surname_joins_the_one_full_name():
    people = identities([
        ("Anton Varga", ["Anton Varga", "General Varga", "the president"]),
        ("General Varga", ["General Varga"]),
        ("President Varga", ["President Varga", "the president"]),
        ("Gen Varga", ["Gen Varga"]),
        ("Foreign Minister Lena Ostrova", ["Foreign Minister Lena Ostrova"]),
        ("Lena Ostrova", ["Lena Ostrova", "Ms Ostrova"]),
    ])
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"Anton Varga", "Lena Ostrova"}  # the office is no first name
    assert sorted(by_name["Anton Varga"].names) == [
        "Anton Varga", "Gen Varga", "General Varga", "President Varga",
    ]
    assert "Foreign Minister Lena Ostrova" in by_name["Lena Ostrova"].names
    assert find(people, "president varga").name == "Anton Varga"


def test_an_office_before_a_surname_with_two_full_names_stays_apart():
    people = identities([
        ("Anton Varga", ["Anton Varga", "Mr Varga"]),
        ("Petra Varga", ["Petra Varga", "Ms Varga"]),
        ("President Varga", ["President Varga"]),
        ("Major", ["Major", "Mr Major"]),
        ("John Major", ["John Major", "Mr Major"]),
        ("Home Secretary", ["Home Secretary"]),
    ])
    by_name = {p.name: p for p in people}
    assert "President Varga" in by_name  # either Varga could be meant
    assert by_name["John Major"].names == ["John Major", "Major"]  # a title word may be a surname
    assert "Home Secretary" in by_name  # an office alone names nobody

# -- dates ---------------------------------------------------------------------------------------


def test_undated_articles_get_a_date_and_say_where_it_came_from():
    ingested = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    given = datetime(2025, 9, 5, tzinfo=UTC)
    text = "Blair says yes\n\nThe plan will cost 2bn, ministers said."
    plain = parse_text("a.txt", text, Defaults("BBC", ingested_at=ingested), 10**6).article
    assert plain is not None and (plain.published_at, plain.date_source) == (ingested, "ingested")
    both = Defaults("BBC", published_at=given, ingested_at=ingested)
    dated = parse_text("a.txt", text, both, 10**6).article
    assert dated is not None and (dated.published_at, dated.date_source) == (given, "given")
    own = Article(source="BBC", body="x", published_at=given)
    assert own.date_source == "article"
    assert parse_text("a.txt", text, Defaults("BBC"), 10**6).article.date_source is None  # type: ignore[union-attr]


def test_timeline_marks_dates_not_the_articles_own():
    entry = dict(claim_id="c", canonical_text="t", mentions=1, sources=1, modality="asserted", negated=False,
                 stance_reversal=False, first_said_at=datetime(2026, 12, 5, 8, tzinfo=UTC))
    assert _timeline_day(TimelineEntry(**entry, date_source="ingested")) == "ingested 2026-12-05"
    assert _timeline_day(TimelineEntry(**entry, date_source="given")) == "given 2026-12-05"
    assert _timeline_day(TimelineEntry(**entry, date_source="article")) == "2026-12-05"


@pytest.mark.parametrize("when", ["2025-09-05", "2025-09-05T10:30:00", "2025-09-05T10:30:00+0100"])
def test_extract_accepts_the_published_at_formats_ingest_accepts(when):
    from factstream.cli import main

    result = CliRunner().invoke(main, ["extract", "--published-at", when, "-"],
                                input="Mr Blair said taxes would not rise next year.\n")
    assert result.exit_code == 0, result.output
    assert '"published_at":"2025-09-05T' in result.output.replace(" ", "")


# -- the store -----------------------------------------------------------------------------------

ARTICLES = [
    ("Gazette", "Prime Minister Tony Blair said the health service would get 2bn more next year. "
                "Mr Blair told MPs the money was already there.", T0),
    ("Wire", "Mr Blair said waiting lists had fallen by 10% since 1997.", None),
    ("Daily", "Sir Ian Blair said crime in London had fallen by 5% this year. "
              "The Metropolitan Police commissioner said 300 more officers would patrol the Tube.", T0),
    ("Gazette", "Michael Howard said the Conservatives would cut taxes by 4bn. "
                "Mr Howard said the plan was fully costed.", T0),
    ("Daily", "Mrs Howard said she had campaigned in Folkestone for six weeks.", T0),
]


async def _store(db_url: str) -> None:
    ingested = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    async with ClaimStore(db_url) as store:
        for source, body, when in ARTICLES:
            if when is None:
                article = parse_text("wire.txt", body, Defaults(source, ingested_at=ingested), 10**6).article
                assert article is not None
            else:
                article = Article(source=source, body=body, published_at=when)
            claims = EXTRACTOR.extract(article)
            await store.save_article(article, len(claims))
            for claim in claims:
                await store.dedup_batch([claim], lambda c: [c.id], lambda c, cands: _new(c))


def _query(db_url: str, call):
    async def go():
        async with ClaimQueries(db_url) as q:
            return await call(q)

    return asyncio.run(go())


def test_store_timeline_by_any_alias_finds_one_person(db_url):
    asyncio.run(_store(db_url))
    tony = _query(db_url, lambda q: q.timeline("mr blair"))
    texts = [e.canonical_text for e in tony.entries]
    assert tony.speaker == "Tony Blair"
    assert any("2bn" in t for t in texts) and any("waiting lists" in t for t in texts)
    assert not any("crime" in t or "officers" in t for t in texts)  # Sir Ian Blair's words
    assert {"Mr Blair", "the prime minister"} <= set(tony.aliases)
    assert [e.canonical_text for e in _query(db_url, lambda q: q.timeline("TONY BLAIR")).entries] == texts
    # The undated article's date is the time it was ingested, and the entry says so.
    assert {e.date_source for e in tony.entries} == {"article", "ingested"}

    sir_ian = _query(db_url, lambda q: q.timeline("sir ian blair"))
    assert sir_ian.entries and all("Blair" not in e.canonical_text or "Sir Ian" in e.canonical_text
                                   for e in sir_ian.entries)
    with pytest.raises(AmbiguousSpeaker):
        _query(db_url, lambda q: q.timeline("blair"))  # Tony or Sir Ian
    assert [e.canonical_text for e in _query(db_url, lambda q: q.timeline("mrs howard")).entries] == [
        "Mrs Howard said she had campaigned in Folkestone for six weeks."
    ]
    with pytest.raises(NotFound):
        _query(db_url, lambda q: q.timeline("Gordon Brown"))

    people = {s.name: s for s in _query(db_url, lambda q: q.speakers()).items}
    assert "Mr Blair" not in people and "Mr Howard" not in people
    assert people["Tony Blair"].claims == 3 and "Mr Blair" in people["Tony Blair"].aliases
    assert people["Mrs Howard"].claims == 1
    assert [s.name for s in _query(db_url, lambda q: q.speakers("prime minister")).items] == ["Tony Blair"]


# -- an office's claims across articles ---------------------------------------------------------

OFFICE_ARTICLES = [
    # The ties: two stored articles call two people the prime minister.
    "Prime Minister Helen Marsh said borrowing would fall by 2bn next year.",
    "Owen Pryce, the prime minister, said in 2003 that the pension fund would be protected.",
    # Names Helen Marsh only: her claim.
    "Helen Marsh visited a steel plant in Sheffield on Friday. "
    "The prime minister said the plant would receive 40m in new loans.",
    # Names both holders: nobody can tell which one spoke.
    "Helen Marsh and Owen Pryce met in Cardiff on Monday. "
    "The prime minister said the talks had been useful for both sides.",
    # Names no holder.
    "Welsh farmers met in Cardiff on Monday. "
    "The prime minister said inflation would stay below 3% this year.",
]


async def _store_offices(db_url: str) -> None:
    async with ClaimStore(db_url) as store:
        for n, body in enumerate(OFFICE_ARTICLES):
            article = Article(source="Gazette", body=body, published_at=T0.replace(day=2 + n))
            claims = EXTRACTOR.extract(article)
            await store.save_article(article, len(claims))
            for claim in claims:
                await store.dedup_batch([claim], lambda c: [c.id], lambda c, cands: _new(c))


def test_an_office_joins_the_one_holder_its_article_names(db_url):
    asyncio.run(_store_offices(db_url))
    marsh = [e.canonical_text for e in _query(db_url, lambda q: q.timeline("helen marsh")).entries]
    assert any("40m" in t for t in marsh)  # tied elsewhere, named here, nobody else named
    assert not any("talks" in t for t in marsh)  # two holders named
    assert not any("inflation" in t for t in marsh)  # she is not named
    office = [e.canonical_text for e in _query(db_url, lambda q: q.timeline("prime minister")).entries]
    assert len(office) == 2 and all("talks" in t or "inflation" in t for t in office)  # the rest stay
    people = {s.name: s for s in _query(db_url, lambda q: q.speakers()).items}
    assert people["Helen Marsh"].claims == 2 and people["Owen Pryce"].claims == 1
    assert people["prime minister"].claims == 2


def test_office_holder_needs_the_tie_and_one_holder_named():
    people = identities([
        ("Helen Marsh", ["Helen Marsh", "the prime minister", "Mrs Marsh"]),
        ("Owen Pryce", ["Owen Pryce", "the prime minister"]),
        ("Jon Aske", ["Jon Aske", "the deputy prime minister"]),
        ("prime minister", ["prime minister"]),
    ])
    holders = office_holders(people)["the prime minister"]
    assert {p.name for p in holders} == {"Helen Marsh", "Owen Pryce"}  # not the deputy
    found = office_holder(holders, "Mrs Marsh opened a school. The prime minister said ...")
    assert found is not None and found.name == "Helen Marsh"
    assert office_holder(holders, "Helen Marsh met Owen Pryce. The prime minister said ...") is None
    assert office_holder(holders, "Marsh, a Leeds builder, said the prime minister ...") is None
    assert office_holder(holders, "Jon Aske said the prime minister ...") is None


def test_an_office_with_its_complement_then_a_name_is_that_person():
    # "said the chairman of the harbour board, Ann Vale": the name after the office's complement speaks.
    for body in ('"The plan is a mess," said the chairman of the harbour board, Ann Vale.',
                 '"The plan is a mess," said the head of the port authority, Labour councillor Ann Vale.'):
        [claim] = _claims(body)
        assert claim.speaker == "Ann Vale", (body, claim.speaker)
    # Without a name the office speaks, as "said the chairman" does.
    [alone] = _claims('"The plan is a mess," said the chairman of the harbour board.')
    assert alone.speaker == "chairman"


def test_a_named_spokesperson_in_apposition_speaks_in_person_without_the_closing_comma():
    # "NAME, spokeswoman for ORG said": the organisation ends the apposition, it is not the subject.
    claims = _claims("Marta Jensen, spokeswoman for shipping firm Nordlys said the vessel would dock in "
                     "Bergen on Friday. She said the cargo of timber was undamaged.")
    assert [(c.speaker, c.speaker_role) for c in claims] == [
        ("Marta Jensen", "spokeswoman for shipping firm Nordlys")] * 2
    # She is the spokeswoman, not someone speaking through one.
    assert claims[1].text == "Marta Jensen said the cargo of timber was undamaged."


def test_a_job_written_before_a_name_describes_the_person_and_is_no_part_of_the_name():
    claims = _claims("Producer Alan Whitcombe said the musical would open in Toronto in March. "
                     "Mr Whitcombe said tickets had sold faster than expected.")
    assert [c.speaker for c in claims] == ["Alan Whitcombe", "Alan Whitcombe"]


def test_a_plural_subject_reports_with_the_bare_verb():
    # Every reporting verb listed in its "-s" form also reports in the plural ("warns" / "warn").
    assert [c.speaker for c in _claims("Economists warn that the krona will fall further next year.")] == [
        "Economists"]


def test_a_short_form_in_brackets_after_a_name_keeps_the_name_the_speaker():
    for body in ("Exports to Norway rose by 4% in November, the Office for Harbour Statistics (OHS) said.",
                 "The Office for Harbour Statistics (OHS) said exports to Norway rose by 4% in November."):
        assert [c.speaker for c in _claims(body)] == ["Office for Harbour Statistics"], body


def test_a_plural_reporting_form_reports_only_as_the_verb_of_its_own_clause():
    # A noun ("a police state") and a relative clause ("a bill which critics claim ...") do not
    # attribute the sentence.
    noun = "The new law would bring a police state to the region by 2027."
    relative = "MPs are to debate a bill which critics claim would legalise the sale of the harbour."
    assert [c.speaker for c in _claims(noun)] == [None]
    assert [c.speaker for c in _claims(relative)] == [None]
    # The phrase before the verb speaks only when it is the verb's subject: not Norland here, and
    # reports that no one is said to have issued speak for no one.
    assert [c.speaker for c in _claims("Reports from Norland say the mill has paid a deposit of $1.7bn.")] \
        == [None]


def test_a_plural_subject_is_never_the_next_he():
    claims = _claims("Charles Kennedy spoke in Leeds on Monday. The Tories claim they can cut taxes by "
                     "£35bn. He believes voters are ready to pay more tax.")
    assert [c.speaker for c in claims][-2:] == ["Tories", "Charles Kennedy"]


def test_a_nationality_as_speaker_is_the_person_named_before():
    claims = _claims("Andy Roddick beat Tim Henman in three sets on Sunday. "
                     '"I played my best tennis of the year," said the American.')
    assert claims[-1].speaker == "Andy Roddick"
    # With nobody named before, a nationality is no speaker at all.
    assert [c.speaker for c in _claims('"Prices will rise by 5% next year," said the American.')] == [None]
    # A party or a people in the plural is a group that speaks, not a person described.
    claims = _claims('Charles Kennedy spoke in Leeds on Monday. "Taxes will rise by 5% next year," '
                     "said the Tories.")
    assert claims[-1].speaker == "Tories"


def test_a_base_form_after_a_modal_is_no_plural_subject():
    claims = _claims("Gordon Brown will say the talks could double aid by 2010. "
                     "Trade rules had hurt poorer countries, he argued.")
    assert [c.speaker for c in claims] == ["Gordon Brown", "Gordon Brown"]


def test_a_person_described_by_what_they_are_is_the_person_named_before():
    # "the defender", "the 60-year-old actor": a description, not a name nor an office.
    claims = _claims("Ashley Kole said he was unhappy with the referees. "
                     '"It is just more bitter and personal against United," the defender told a newspaper.')
    assert claims[-1].speaker == "Ashley Kole"
    assert claims[-1].text.startswith("Ashley Kole")
    # Only a name the article has shown to be a person's: a company is no one's.
    claims = _claims("Northfield Steel cut 300 jobs on Monday. "
                     'The director said he was "thrilled" with the project.')
    assert claims[-1].speaker is None
    # Someone else's lawyer is not that someone.
    claims = _claims("Martin Mobanga said he was innocent. The men's solicitor said the case would collapse.")
    assert claims[-1].speaker != "Martin Mobanga"
    # An office stays the office, for the store to join to its holder across articles.
    assert [c.speaker for c in _claims("The chancellor said taxes would rise by 5% next year.")] == [
        "chancellor"]
    # With nobody named before, a description is no speaker at all.
    assert [c.speaker for c in _claims('"It is bitter," the defender said.')] == [None]


def test_the_office_words_hold_every_office_the_store_joins_to_a_holder():
    from factstream.processors.extract.lexicon import OFFICE_WORDS
    from factstream.store.identities import _OFFICE_TITLES

    assert _OFFICE_TITLES <= OFFICE_WORDS


def test_a_reporting_verb_with_a_plain_object_or_negated_reports_nothing():
    for body in ("France coach Bernard Lapierre will announce his starting line-up next Tuesday.",
                 "The band will add their awards to the four they won in August.",
                 "The firm also did not reveal that it paid more than $200,000 a year for offices.",
                 "The study does not praise the rough handling of the oil company."):
        assert [c.speaker for c in _claims(body)] == [None], body
    # A clause or a quote is reported.
    assert [c.speaker for c in _claims("The Liberal Democrats will promise to cut the council tax.")] == [
        "Liberal Democrats"]


def test_a_source_described_by_nationality_is_the_name_after_its_description():
    claims = _claims("Tom Batt said he was happy. According to the French news agency AFP, the ferry sank "
                     "on Monday with 30 people on board.")
    assert claims[-1].speaker == "AFP"


def test_an_organisation_keeps_its_whole_name_and_its_short_form_points_back_to_it():
    # A possessive inside the name does not cut it.
    for body in ("At the same time, the Norland Bankers' Association (NBA) said lending was weaker.",
                 "The Norland Bankers' Association said lending rose by 5% in May."):
        assert [c.speaker for c in _claims(body)] == ["Norland Bankers' Association"], body
    # "The Bank" after "the Bank of Norland" is that bank.
    claims = _claims("The Bank of Norland raised rates to 4.75% on Thursday. "
                     "The Bank said inflation would rise to 2% next year.")
    assert claims[-1].speaker == "Bank of Norland"


def test_a_named_person_placed_by_an_organisation_is_the_person():
    for body in ("Laura Brownley of Save the Kids said the camps held 30,000 people.",
                 "Nigel McCrune from the Norland Musicians' Union said musicians were paid 5% less."):
        assert [c.speaker for c in _claims(body)] == [body.split(" of ")[0].split(" from ")[0]], body
    # A lord's territorial title stays with the name.
    [lord] = _claims("Lord Nicholls of Birkenhead said the law was unlawful.")
    assert lord.speaker is not None and lord.speaker.endswith("Nicholls of Birkenhead")


def test_a_participle_or_a_second_person_is_no_speaker():
    claims = _claims("Mark Hewes is fit again. Having said that, Mark is looking in much better shape than "
                     "last year.")
    assert claims[-1].speaker is None
    assert [c.speaker for c in _claims("You said the plan would cost £3m.")] == [None]
    # A noun in -ing is a name all the same.
    assert [c.speaker for c in _claims("Reading said the striker would join for £3m.")] == ["Reading"]


def test_a_phrase_closing_a_relative_clause_is_not_the_speaker():
    claims = _claims("George Gallo spoke in London. Mr Gallo, who on Thursday won £150,000 in libel damages "
                     "from the Daily Bugle said he would stand in Bethnal Green.")
    assert claims[-1].speaker == "George Gallo"


def test_a_stance_or_denial_reports_with_its_object_and_negated():
    assert [c.speaker for c in _claims("Unions accuse Norco of paying staff less than its rivals do.")] == [
        "Unions"]
    [claim] = _claims("Mr Hegg, who stepped down after the 2001 defeat, does not rule out a return to "
                      "the front bench.")
    assert claim.speaker == "Mr Hegg"


def test_a_relative_clause_closed_by_a_comma_leaves_the_speaker_after_it():
    claims = _claims("It was the status quo, not the new laws, which were causing the problems, Tessa Jowel "
                     "told a newspaper.")
    assert claims[-1].speaker == "Tessa Jowel"


def test_a_subject_who_did_something_saying_it_is_its_speaker():
    claims = _claims('"The fall has been sudden," said Brian Tayler of Norbank.\n\n'
                     "Treasury Secretary John Snowe put a brave face on the news, saying it was a sign of "
                     'strong growth. "The economy is growing at such a rate that it makes lots of income."')
    assert [c.speaker for c in claims] == ["Brian Tayler", "John Snowe", "John Snowe"]
    # The main clause's subject, not one in a clause before it.
    claims = _claims("When Johnny Karson died, President George Bosh led the tributes, saying the presenter "
                     "had changed television for 30 years.")
    assert claims[-1].speaker == "George Bosh"
    # A participle with a plain object tells of an act, not of words.
    for body in ("Aaron Maugre was in good form with the boot, adding 10 points.",
                 "James McIlray stormed to his second win in a week, claiming the men's 800m in Glasgow."):
        assert [c.speaker for c in _claims(body)] == [None], body


def test_a_pronoun_agrees_with_the_gender_an_honorific_gave():
    # The last subject is a woman; "he" is the man named after her, not her.
    claims = _claims("Ms Kerrow said the reforms should build on the old exams. Her comments did not "
                     "impress shadow schools secretary Tom Callis. \"She has no idea what to put in its "
                     "place,\" he said.")
    assert (claims[0].speaker, claims[-1].speaker) == ("Ms Kerrow", "Tom Callis")
    # With no one of the pronoun's gender named, nobody rather than the wrong person.
    claims = _claims("Mrs Varley opened the new ward on Monday. He said it would treat 300 patients a year.")
    assert claims[-1].speaker is None


def test_a_pronoun_is_not_a_person_named_in_its_own_clause():
    claims = _claims("Home Secretary Alan Milbury spoke after the rally. Mr Blayre said the party would win "
                     "the election. He confirmed Mr Blayre's insistence that no poll date had been set.")
    assert claims[-1].speaker == "Alan Milbury"
    # The speaker of an attribution set after the words may be the pronoun in them.
    claims = _claims("Mr Brane spoke in Leeds. It was because he had rejected the plans that the economy "
                     "grew, claimed Mr Brane.")
    assert claims[-1].speaker is not None and claims[-1].speaker.endswith("Brane")
    assert "Brane had rejected" in claims[-1].text or "he had rejected" in claims[-1].text


def test_a_capitalised_name_after_the_is_no_description_nor_nationality():
    body = ("SNP leader Nicola Sturgeon said the plan was flawed. The Scottish Executive said ministers "
            "would be notified. Mr Ruddock spoke to pupils on Monday. But the Scottish Executive has "
            "insisted Mr Ruddock was speaking about adults.")
    speakers = [c.speaker for c in _claims(body)]
    assert speakers[0] == "Nicola Sturgeon" and speakers.count("Scottish Executive") == 2, speakers
    # A demonym joined to its word is a nationality all the same.
    claims = _claims('"I thought it would take decades," said Gonzalo Frasko, a games specialist. "I was '
                     'the first to be surprised at how fast they evolved," added the Uruguayan-born '
                     "researcher.")
    assert [c.speaker for c in claims] == ["Gonzalo Frasko", "Gonzalo Frasko"]


def test_a_pronoun_that_is_the_subject_of_a_reporting_form_is_no_group():
    # "He did, however, admit" (a form the tagger may read as plural) does not make him a group,
    # which no "he" could point back to.
    claims = _claims('Mr Zombek said sales fell by 5% last year. "We have a severe problem with piracy," '
                     "he argued. He did, however, admit that copyright owners have lost control. But he "
                     "refuted suggestions that the industry had been too slow to respond.")
    assert [c.speaker for c in claims][-2:] == ["Mr Zombek", "Mr Zombek"]


def test_a_party_or_an_office_before_a_name_is_the_role_not_the_name():
    for body, name, role in (
            ("But Lib Dem Norma Bakewell accused ministers of turning the country into a dumpsite.",
             "Norma Bakewell", "Lib Dem"),
            ("Labour MSP Christine Mayall had said the minister was very clever.",
             "Christine Mayall", "Labour MSP"),
            ("But fellow Tory David Heathfield-Amory said the folly of the system was in its rules.",
             "David Heathfield-Amory", "Tory")):
        [claim] = _claims(body)
        assert (claim.speaker, claim.speaker_role) == (name, role), body
    # Words joined by "and" before a name the recogniser reads as a person's are one name.
    [claim] = _claims("Dr John E. Kellan, IBM senior vice president, Technology and Intellectual Property, "
                      'said: "True innovation leadership is about more than patents."')
    assert claim.speaker is not None and "Property" not in claim.speaker


def test_a_spokesperson_or_an_office_speaks_for_its_principal():
    opening = "Prime Minister Jan Holtby flew to Paris on Monday. "
    for attribution, voice in (("Her spokesman said", "spokesman"), ("Her office said", "office"),
                               ("The prime minister's office said", "office")):
        claim = _claims(opening + f"{attribution} the talks would resume.")[-1]
        assert (claim.speaker, claim.speaker_role) == ("Jan Holtby", voice), attribution
        # The claim still says who spoke for her; the principal did not say it herself.
        assert voice in claim.text
    claim = _claims(opening + "The talks would resume, her office said.")[-1]
    assert claim.speaker == "Jan Holtby" and claim.text.endswith("Jan Holtby’s office said.")
    # An office is no "she": the next pronoun is the principal herself.
    claim = _claims(opening + "Her office said the talks would resume. She added that a deal was close.")[-1]
    assert claim.speaker == "Jan Holtby" and claim.text.startswith("Jan Holtby added")
    # A body's own Office is a name.
    assert _claims("The talks would resume, the Foreign Office said.")[-1].speaker == "Foreign Office"


def test_he_after_an_organisations_spokesperson_is_that_spokesperson():
    claims = _claims("Mr Blunket said the inquiry was fair. A Labour Party spokesman told the BBC the party "
                     'avoided those lists. "When we ask which party they will vote for, that is not '
                     'marketing," he said.')
    assert [c.speaker for c in claims] == ["Mr Blunket", "Labour Party", "Labour Party"]
    # Someone named since is the next "he".
    claims = _claims("A Labour Party spokesman told the BBC the party avoided those lists. Chancellor Gordon "
                     "Browne arrived later. He said the lists were wrong.")
    assert claims[-1].speaker == "Gordon Browne"


def test_a_document_speaks_for_the_issuer_it_names_or_for_no_one():
    speakers = [_claims(f"Growth will slow to 2% next year, {source} said.")[-1].speaker
                for source in ("the WEF report", "Kokk's report", "the report", "Wednesday's report")]
    assert speakers[:2] == ["WEF", "Kokk"]
    # Nobody known issued it: no speaker, rather than "report" for every article citing one.
    assert speakers[2:] == [None, None]


def test_a_described_source_is_the_name_it_describes():
    # A lowercase description in close apposition before a name: the name speaks, the
    # description is its role.
    [claim] = _claims("Norland may lose $2bn in farm earnings, according to farm minister Juan Perez.")
    assert (claim.speaker, claim.speaker_role) == ("Juan Perez", "farm minister")
    claims = _claims('"We are ready for the final," said a proud coach Mike Rowe. "We have worked hard."')
    assert [c.speaker for c in claims] == ["Mike Rowe", "Mike Rowe"]
    # Figures and research speak for who produced them.
    for source, speaker in (("research from market analysts Techwatch", "Techwatch"),
                            ("figures released by the Norland Statistics Office on Tuesday",
                             "Norland Statistics Office"),
                            ("security firm Mailguard", "Mailguard"),
                            ("research from message analysts the Radicati Group", "Radicati Group"),
                            ("numbers released by Norland's Finance Ministry", "Norland's Finance Ministry")):
        assert _claims(f"Exports fell 4% in March, according to {source}.")[-1].speaker == speaker, source
    # A description that names no one is no speaker, not a speaker called by the description.
    for source in ("figures released at the end of last year", "figures released by the UK gaming "
                   "industry's trade body", "all those players and even the champion himself"):
        assert _claims(f"Exports fell 4% in March, according to {source}.")[-1].speaker is None, source


def test_a_sunday_paper_keeps_its_day():
    claims = _claims("The Sunday Herald reported that the bank would cut 500 jobs. On Sunday the minister "
                     "said the bank would survive.")
    assert claims[0].speaker == "Sunday Herald"


def test_a_club_or_town_before_the_noun_is_no_speaker():
    # "said the Sale full-back": the name describes who speaks; it does not speak.
    claims = _claims('Jason Robins will miss the game. "This is very disappointing for me," said the '
                     'Sale full-back. "I am happy with the squad," says the Waterford man.')
    quoted = [c for c in claims if c.quote]
    assert len(quoted) == 2 and not {c.speaker for c in quoted} & {"Sale", "Waterford"}


def test_an_official_spokesman_before_a_quote_speaks_for_the_named_principal():
    # Not for the organisation named before: "official" stands between the possessive and the voice.
    claims = _claims("The High Court ruled that the inquiry was flawed. Prime Minister Jan Holtby's "
                     'official spokesman said: "We will need to study this detailed judgment."')
    assert (claims[-1].speaker, claims[-1].speaker_role) == ("Jan Holtby", "spokesman")


def test_a_quote_alone_after_the_story_moved_to_another_person_is_not_the_last_speakers():
    claims = _claims('"The players want more games," said club captain Jason Forde. Coach Mike Rudd, '
                     'though, is keen to protect his players from injury. "At this stage there is nothing '
                     'more they can do in games to impress me."')
    assert claims[0].speaker == "Jason Forde"
    assert claims[-1].quote is not None and claims[-1].speaker is None
    # Straight after the speaker, a quote standing alone is still theirs, whoever it talks about.
    claims = _claims('"The players want more games," said club captain Jason Forde. "Coach Mike Rudd has '
                     'built a fine squad this season." "They are fit and ready to play on Saturday."')
    assert [c.speaker for c in claims] == ["Jason Forde"] * 3


def test_he_is_never_a_one_word_name_not_shown_to_be_a_persons():
    # "Macrosoft" spoke, but nothing showed it to be a person: "He" is the person named before.
    claims = _claims('Music chief Ted Cohan spoke at the conference. Macrosoft said its music service would '
                     'launch in May. He said: "The labels are ready for this."')
    assert claims[-1].speaker == "Ted Cohan"


def test_the_discourse_keeps_its_spokesperson_and_the_fuller_office():
    discourse = Discourse()
    discourse.register("Jo Hill", "spokesman")
    assert discourse.last_spokes == "Jo Hill"
    discourse.register("Juan Perez", "minister")
    discourse.register("Juan Perez", "farm minister")
    assert discourse.role_of("Juan Perez") == "farm minister"
    # A possessive does not make an office fuller.
    discourse.register("Juan Perez", "his farm minister")
    assert discourse.role_of("Juan Perez") == "farm minister"


def test_more_verbs_of_saying_after_or_before_a_quote():
    claims = _claims('Music chief Ted Cohan spoke at the conference. "Downloads will overtake CDs within '
                     'five years," predicted Ted Cohan. "The market has changed completely," recalls Carlos '
                     'Saldano. Minister Barbara Roach defended the plan. She went on: "We will not be '
                     'deterred by the critics of this policy."')
    assert [c.speaker for c in claims if c.quote] == ["Ted Cohan", "Carlos Saldano", "Barbara Roach"]
    # "went on" reports only before a quote: "went on to win" is no speech.
    [claim] = _claims("Jo Marsh went on to win the title in 2004.")
    assert claim.speaker is None


def test_he_is_a_one_word_name_the_recogniser_read_as_a_person():
    # Only the recogniser tells a surname from a company; "He" then is that person, not the
    # person named before him.
    claims = _claims('Leeds chief executive Tom Harte spoke on Friday. But Jenkins, speaking exclusively to '
                     'Radio Leeds, also admits the striker will have the final say on his future. He told '
                     'the station: "We will not sell him for any money."')
    assert claims[-1].speaker == "Jenkins"


def test_he_is_not_a_person_named_inside_the_phrase_he_opens_with():
    claims = _claims('The club revealed it is ready to explore a sponsorship deal. Responding to '
                     'criticism from pundit Alan Vance, he insisted talks on new investment are ongoing.')
    assert claims[-1].speaker is None
    # A name that is the subject of the opening clause can be "he".
    claims = _claims('Tony Blair spoke on Monday. After Alan Vance arrived, he said the talks were over.')
    assert claims[-1].speaker == "Alan Vance"


def test_the_company_is_the_organisation_named_before_without_an_organisation_word():
    claims = _claims('Samsung has said it will recall 2 million phone chargers because of safety concerns. '
                     'The company said the move was a precaution after reports of overheating.')
    assert [c.speaker for c in claims] == ["Samsung", "Samsung"]
    claims = _claims('Metrolink, the private firm which runs the city trams, has offered an 8% pay rise. '
                     'The firm promised no jobs would be lost as a result of the new ticket machines.')
    assert claims[-1].speaker == "Metrolink"
    # Named by the recogniser alone, not as a speaker.
    claims = _claims('Samsung will cut 300 jobs at its plant in Reading. The company said the cuts were '
                     'needed to save money.')
    assert claims[-1].speaker == "Samsung"
    # A company found so is no union, newspaper or management company of someone's.
    claims = _claims('Samsung has said it will cut 300 jobs in Reading. The company said the cuts were '
                     'needed to save money. The union said its members were angry about the cuts. Singer '
                     'Tom Hale has been flooded with offers of TV work, according to his management company.')
    assert [c.speaker for c in claims][:2] == ["Samsung", "Samsung"]
    assert "Samsung" not in (claims[2].speaker or "") and "Samsung" not in (claims[3].speaker or "")
    # The organisation noun must head the apposition: "the club's chief executive" is a person.
    claims = _claims('Jenkins, the union leader, said the strike would go ahead. He said talks had failed.')
    assert claims[-1].speaker == "Jenkins"


@pytest.mark.parametrize(("body", "speaker"), [
    ("But Chief Inspector Dana Holt has met several protest groups and said all negotiations had gone "
     "well.", "Dana Holt"),
    ("Mr Pike said the levy would stay. Mr Pike also defended the plan, pointing out that it was his "
     "government that had introduced the levy.", "Mr Pike"),
    ("Mr Pike said the levy would stay. Mr Pike met the unions on Monday and pointed out that the levy "
     "had been his party's idea.", "Mr Pike"),
    # Neither ... nor: nothing was said.
    ("Northfield Steel settled the charges on Monday. The firm has neither admitted nor denied "
     "wrongdoing in the settlement.", None),
])
def test_a_reporting_verb_after_another_verb_of_its_subject_reports_for_it(body: str, speaker: str | None):
    assert _claims(body)[-1].speaker == speaker


def test_words_in_the_first_person_outside_quotes_are_not_the_outlets_report():
    claims = _claims('I think the minister has got a very good point about the tax. The economy grew by 3% '
                     'last year. The US economy grew by 4%.')
    assert [(c.speaker, c.reporting) for c in claims] == [(None, False), (None, True), (None, True)]
    # Titles and numerals are no first person.
    claims = _claims('The film is set in World War I and stars Lisa Hart. My Summer of Love won the prize '
                     'for best film. The statue of Charles I was moved in 2004.')
    assert [c.reporting for c in claims] == [True, True, True]


def test_a_quote_over_two_sentences_is_the_speaker_the_parse_names_after_it():
    claims = _claims('Rick Krim said the show was good. "When we started playing, we did not try to make a '
                     'mature album. We just really wanted to make a great album," said keyboard player Nick '
                     'Rhodes. "It is pretty much in line with a lot of stuff out there."')
    assert [c.speaker for c in claims if c.quote] == ["Nick Rhodes"] * 3


def test_a_name_after_its_role_at_the_start_of_a_sentence_is_its_subject():
    claims = _claims('Mr Brown said the deal would be signed in March. Transport Workers Union general '
                     'secretary Tony Woodley repeated his view on Friday. He said investment in new models '
                     'was needed.')
    assert claims[-1].speaker == "Tony Woodley"


def test_a_quote_is_not_the_speaker_of_a_clause_after_its_attribution_place():
    # The parse's speaker after a quote's close must be the first verb's: a later clause's
    # speaker ("after chairman Tony Blair said") did not say the quote.
    claims = _claims('Ms Hart spoke first. "We were robbed. The referee was poor," was the verdict after '
                     'chairman Tony Blair said the club would appeal.')
    assert all(c.speaker != "Tony Blair" for c in claims if c.quote)
    # A name after a verb and its title is an object, never the next "she".
    claims = _claims('Ms Hart said the deal would be signed. Police arrested union general secretary Tony '
                     'Woodley on Monday. She said the arrest was political.')
    assert claims[-1].speaker == "Ms Hart"


@pytest.mark.parametrize(("body", "speaker"), [
    ("The Securities and Exchange Commission said it would look into the 40m dollar sale.",
     "Securities and Exchange Commission"),
    ("The Department for Transport and Roads said the bridge would cost 90m pounds.",
     "Department for Transport and Roads"),
    ("A spokesman for the Economy and Trade Ministry said prices rose by 3% in May.",
     "Economy and Trade Ministry"),
])
def test_an_organisation_s_name_keeps_the_and_inside_it(body: str, speaker: str):
    assert [c.speaker for c in _claims(body)] == [speaker], body


@pytest.mark.parametrize("body", [
    "Smith and Jones said the firm lost 5m pounds in the year to May.",  # two heads coordinated
    "The Bank of England and Treasury said rates would rise by 1% in May.",  # two recognised names
    "Barclays and Lloyds Banking Group said profits rose by 5% in May.",
])
def test_two_speakers_joined_by_and_are_not_one_name(body: str):
    claims = _claims(body)
    assert claims and all(" and " not in (c.speaker or "") for c in claims), [c.speaker for c in claims]


def test_a_word_that_opens_the_sentence_is_no_part_of_the_name_after_it():
    # The recogniser's name starts at the second word: "Car-maker" was kept as part of the name,
    # and the spokesman spoke for "Car-maker Norda".
    claims = _claims('Car-maker Norda\'s new robot walks faster. "The aim is to help people," said a Norda '
                     'spokesman.')
    assert [(c.speaker, c.text) for c in claims][-1] == ("Norda", "Norda said: “The aim is to help people”")


@pytest.mark.parametrize(("body", "speaker", "role"), [
    # A place before the noun describes the speaker: "the Riverside" is no speaker ("Riverside" was).
    ('Sir Alan Berg watched from the stand. "We defended with real discipline," said the Riverside Park '
     'boss.', None, None),
    # An honorific after the role: the person, not the club before the role.
    ('"We defended with real discipline," said Norland United manager Sir Alan Berg.', "Sir Alan Berg",
     "Norland United manager"),
    # Press reports nobody is said to have issued speak for no one, not for the trust named before.
    ("The Harbour Trust said it would appeal. The mill is for sale, according to reports.", None, None),
    # The person in apposition to an organisation's office speaks, not the organisation.
    ('Petra Kask spoke in Tallinn. Her remarks came as the co-chairman of the Green Party, Jon Aske, on '
     'Sunday called her plan "a fantasy".', "Jon Aske", "Green Party"),
])
def test_the_last_claim_s_speaker_is_who_speaks_there(body: str, speaker: str | None, role: str | None):
    claim = _claims(body)[-1]
    assert (claim.speaker, claim.speaker_role) == (speaker, role)


def test_an_office_s_spokesman_speaks_for_the_office_and_stays_the_spokesman():
    claims = _claims("A Harbour Trust spokesman said the figures were wrong. Later, the prime minister's "
                     "official spokesman urged people to wait for the report. The review would take a "
                     'month, the spokesman said. "We will wait for the report," the spokesman added.')
    assert [c.speaker for c in claims] == ["Harbour Trust", "prime minister", "prime minister",
                                           "prime minister"]
    # The spokesman's words are not the prime minister's own.
    assert claims[2].text == "The review would take a month, the prime minister’s spokesman said."
    assert claims[3].text == "The prime minister’s spokesman said: “We will wait for the report”"


def test_an_office_s_spokesman_is_the_next_he_and_a_described_name_stays_a_subject():
    # "he added" after the prime minister's spokesman is the spokesman, not the lord named before.
    claims = _claims("Lord Vale had said ministers met too rarely. The prime minister's official spokesman "
                     'said the cabinet still met every week. But he added: "You cannot take every decision '
                     'in the cabinet room."')
    assert [c.speaker for c in claims] == ["Lord Vale", "prime minister", "prime minister"]
    assert claims[-1].text.startswith("The prime minister’s spokesman said: “")
    # A name after the word that opens its sentence is still that sentence's subject: the next "he".
    claims = _claims('Coach Tom Berg named his side on Friday. Man-of-the-match Jon Aske was delighted with '
                     'the win. "It\'s just a special moment for the whole squad," he said.')
    assert claims[-1].speaker == "Jon Aske"


def test_two_speakers_quoted_in_one_sentence_keep_their_own_quotes():
    claims = _claims('The plan was "a disaster", said Mr Lee, but it was "a lifeline for the town", said Ms '
                     'Kite.')
    assert [(c.speaker, c.quote) for c in claims] == [("Mr Lee", "a disaster"),
                                                      ("Ms Kite", "a lifeline for the town")]


def test_the_spokesman_is_the_last_spokesman_who_spoke():
    claims = _claims("Ms Kite's spokesman said she was resting. Norda Oil later issued a statement. A "
                     "spokesman for the company said the deal was off. The spokesman added that talks had "
                     "ended.")
    assert claims[-1].speaker == "Norda Oil"
    # A capitalised office's spokesman is the spokesman too, not the office speaking.
    (said,) = _claims('"We are pleased with the result," said the Prime Minister\'s official spokesman.')
    assert said.text == "The prime minister’s spokesman said: “We are pleased with the result”"


def test_a_claim_to_have_done_something_is_the_claimant_s():
    (claim,) = _claims("A militant group claimed to have carried out the attack on the pipeline.")
    assert claim.speaker == "militant group"


def test_a_weekday_after_the_speaker_is_no_part_of_the_name():
    (claim,) = _claims('"We will win the vote on the harbour bill," said Mr Lee Thursday.')
    assert claim.speaker == "Mr Lee"


def test_a_group_after_the_speaks_for_itself():
    # "said the researchers", "the analysts said": a group word after "the" is the speaker, as
    # "researchers" and "The researchers" were; the written claim opens with a capital.
    for body in ('"Any small network can be taken down in minutes," said the researchers.',
                 '"Any small network can be taken down in minutes," the researchers said.'):
        (claim,) = _claims(body)
        assert claim.speaker == "researchers", body
        assert claim.text.startswith("Researchers said: “Any small network"), claim.text
    (claim,) = _claims("The ferry was seized at dawn, the police said.")
    assert claim.speaker == "police"
    # Any other description is what the article named: "The club said", never "club said".
    (claim,) = _claims('"We will appeal against the ban this week," said the club.')
    assert claim.text.startswith("The club said: “We will appeal"), claim.text


def test_the_person_after_an_outlets_possessive_speaks():
    (claim,) = _claims('"It would have been another race," says Harbour Weekly\'s Nina Albright.')
    assert claim.speaker == "Nina Albright"


def test_letters_after_a_name_are_no_speaker():
    (claim,) = _claims('The Green housing spokesman, Colin Farrow MSP, said: "Rents have outrun wages '
                       'for a decade."')
    assert claim.speaker == "Colin Farrow"


def test_an_organisations_short_form_spokeswoman_and_her_pronoun_speak_for_it():
    claims = _claims(
        "The Welsh Executive said patients would be told of any change. Colin Farrow, the opposition "
        "leader, said it was a scandal. The executive spokeswoman said the advice had come from doctors. "
        'She said: "Ministers were told of that, but they do not sign such leave off."')
    by_text = {c.text.split()[-1]: c for c in claims}
    assert by_text["doctors."].speaker == "Welsh Executive"
    assert claims[-1].speaker == "Welsh Executive", claims[-1]


def test_a_speaker_after_a_verb_in_the_present_speaks():
    (claim,) = _claims("The new port sits uneasily with many fishermen, observes Ms Corran.")
    assert claim.speaker == "Ms Corran"
    (claim,) = _claims('"We have never seen a season like it," admits Dale Hollins.')
    assert claim.speaker == "Dale Hollins"



def test_what_a_review_of_0_7_8_found_stays_fixed():
    # A noun after a quoted phrase is no verb of saying: Mr Jones made the remarks, not the quote.
    (claim,) = _claims('Mr Hale apologised for the "ill-judged and deeply hurtful" remarks Mr Jones had made '
                       'about the town.')
    assert claim.speaker is None
    # "the researchers from Oxford University" speak for themselves, as without "the".
    (claim,) = _claims('"The harbour will close within a year," the researchers from Oxford University said.')
    assert claim.speaker == "researchers from Oxford University"
    # A church's spokesman is not Charlotte Church's: only a body's name is a short form's owner.
    claims = _claims("Charlotte Church said the tour would go ahead. A church spokesman said the bishop had "
                     "not been told.")
    assert claims[-1].speaker != "Charlotte Church"
    # The appositive's role keeps what it says: "Lib Dem MP" is a role, not a name.
    (claim,) = _claims("Mr Jones, Lib Dem MP, said the harbour would close in May.")
    assert (claim.speaker, claim.speaker_role) == ("Mr Jones", "Lib Dem MP")
    # A voice keeps its own determiner: never "The another official said".
    (claim,) = _claims('"The coast road will stay closed until Friday," said another official.')
    assert claim.text.startswith("Another official said: “The coast road"), claim.text


def test_figures_and_books_cited_without_their_source_are_no_speakers():
    # "according to official figures", "studio estimates", "a new book": the phrase says nothing of
    # who issued them, so no one speaks ("book" and "studio estimates" were speakers).
    for body in ("The minister broke a pledge to step down, according to a new book.",
                 "About 80% of adults own a mobile phone, according to official figures.",
                 "The film took $42.8m at the weekend, according to studio estimates."):
        (claim,) = _claims(body)
        assert claim.speaker is None, (body, claim.speaker)
    (claim,) = _claims("Rents rose by 4% last year, according to data from the Office for National "
                       "Statistics.")
    assert claim.speaker == "Office for National Statistics"


def test_a_named_bodys_kind_speaks_as_that_body_not_as_the_last_of_its_kind():
    # The tagger reads "ministry" after capitals as a proper noun: it was the speaker "ministry",
    # one speaker for every ministry of every article.
    claims = _claims("Varland's foreign ministry said the border would reopen in May. Norland's trade "
                     'ministry said on Monday that tariffs would stay. "We are disappointed," the '
                     "ministry said.")
    assert [c.speaker for c in claims] == ["Varland's foreign ministry", "Norland's trade ministry",
                                           "Norland's trade ministry"]
    claims = _claims('The Varlandian foreign ministry has said the border will reopen. "We are ready," the '
                     "ministry said.")
    assert [c.speaker for c in claims] == ["Varlandian foreign ministry"] * 2
    assert claims[1].text == "The Varlandian foreign ministry said: “We are ready”"
    # Two ministries described in other words are two; a description that fits one points to it.
    claims = _claims("The Varlandian foreign ministry said talks had failed. The Varlandian defence ministry "
                     "said troops would stay. The foreign ministry said it regretted the delay.")
    assert [c.speaker for c in claims] == ["Varlandian foreign ministry", "Varlandian defence ministry",
                                           "Varlandian foreign ministry"]
    assert claims[1].text.startswith("The Varlandian defence ministry said troops")
    # A body with a name of its own may be described in any words: the one named before.
    claims = _claims("Holmby Council said rents would rise. The Labour-run council said the rise was needed.")
    assert [c.speaker for c in claims] == ["Holmby Council"] * 2


def test_a_name_written_with_a_small_first_letter_keeps_it():
    (claim,) = _claims('"Fares will fall again in the spring," said easyJet.')
    assert claim.text == "easyJet said: “Fares will fall again in the spring”"


def test_a_bodys_statement_and_spokesperson_speak_for_the_body_of_that_kind():
    claims = _claims("Halvorsen Steel will close its Ridgeport plant in May. A company statement said 310 "
                     "jobs would go.")
    assert claims[-1].speaker == "Halvorsen Steel"
    # No ministry named before: the phrase after "for" names the body.
    (claim,) = _claims("A spokesperson for the ministry of energy said the plant was not viable.")
    assert (claim.speaker, claim.speaker_role) == ("ministry of energy", "spokesperson")
    # The body after "of" says which one: not the department named before.
    claims = _claims("The Department for Education said schools would shut. A spokesman for the department "
                     "of health said hospitals would stay open.")
    assert claims[-1].speaker == "department of health"


def test_a_name_title_is_the_names_and_a_long_description_before_a_name_is_the_role():
    (claim,) = _claims("Sir Edmund Harte said the harbour plan was flawed.")
    assert (claim.speaker, claim.speaker_role) == ("Sir Edmund Harte", None)
    # The patterns stopped at the nationality and the parser read "trades" as the verb.
    (claim,) = _claims('"It looks pretty grim," said Swedish trades union official Ulf Carlsson.')
    assert (claim.speaker, claim.speaker_role) == ("Ulf Carlsson", "Swedish trades union official")
    # A phrase of its own before the name: the spokesman is not the leader.
    claims = _claims('"He will be missed," said a spokesman for Conservative leader Michael Howard. Later '
                     "Mr Howard said the party would go on.")
    assert (claims[-1].speaker, claims[-1].speaker_role) == ("Michael Howard", "Conservative leader")
    # The spokesman speaks for the leader: his words are the leader's, in the spokesman's voice.
    assert (claims[0].speaker, claims[0].speaker_role) == ("Michael Howard", "spokesman")


def test_a_spokesperson_for_a_named_body_of_a_kind_speaks_for_it():
    (claim,) = _claims('"We are ready for an election," said a spokesman for the Conservative party.')
    assert (claim.speaker, claim.speaker_role) == ("Conservative party", "spokesman")


def test_a_possessive_owner_names_each_of_its_bodies_whatever_the_recogniser_reads():
    # The recogniser reads "defence ministry" (in lowercase) as a name of its own.
    claims = _claims("Varland's foreign ministry said talks had failed. Varland's defence ministry said "
                     "troops would stay in the border region until March.")
    assert [c.speaker for c in claims] == ["Varland's foreign ministry", "Varland's defence ministry"]


def test_a_spokesperson_speaks_for_the_titled_person_the_phrase_ends_with_and_only_that():
    (claim,) = _claims('"We will win," said a spokesman for Labour party leader Ann Vale.')
    assert (claim.speaker, claim.speaker_role) == ("Ann Vale", "spokesman")
    (claim,) = _claims('"Jobs are safe," said a spokesman for Tesco group chief executive Jo Hart.')
    assert (claim.speaker, claim.speaker_role) == ("Jo Hart", "spokesman")
    # A time ending the phrase is no one.
    (claim, _) = _claims('"The deal is off," said a spokesman for the Acme chairman last night. He said '
                         "the company would now cut 200 jobs.")
    assert claim.speaker == "Acme"
    # A portfolio before the name: the name is the spokeswoman's own, not whom she speaks for.
    claims = _claims('Ruth Kell visited a school in Leeds. "Funding will be cut," said the Labour '
                     "spokeswoman for education Ruth Kell.")
    assert (claims[-1].speaker, claims[-1].speaker_role) != ("Ruth Kell", "spokeswoman")


def test_a_body_named_by_its_owner_speaks_after_its_quote_too():
    claims = _claims('"Troops will stay," said Varland\'s defence ministry. "Talks failed," said Norland\'s '
                     "foreign ministry.")
    assert [c.speaker for c in claims] == ["Varland's defence ministry", "Norland's foreign ministry"]


def test_a_long_role_before_a_name_is_the_role_and_the_name_speaks():
    # A body's name and an office longer than a role of three modifiers and one title: the patterns
    # stopped at the body's name, and the body spoke.
    union = "Fenwick Dairy Farmers Union finance director"
    (claim,) = _claims(f'"Milk prices fell by 8% last year," said {union} Gareth Mole.')
    assert (claim.speaker, claim.speaker_role) == ("Gareth Mole", union)
    party = "Varland Independence Party deputy leader"
    (claim,) = _claims(f"According to {party} Pia Lund, taxes will rise by 3% next year.")
    assert (claim.speaker, claim.speaker_role) == ("Pia Lund", party)
    # Two title words make the office ("general secretary"); the later "Mr Reyes" keeps the role.
    claims = _claims('"We will stand in 40 seats," said the Green Party general secretary Tom Reyes. '
                     "Mr Reyes said the party had 9,000 members.")
    assert {(c.speaker, c.speaker_role) for c in claims} == {("Tom Reyes", "Green Party general secretary")}
    assert len(claims) == 2
    (claim,) = _claims('"Sales rose 5% in the quarter," said Kestrel Airways general manager Dr Ann Vole.')
    assert (claim.speaker, claim.speaker_role) == ("Ann Vole", "Kestrel Airways general manager")
    # As the subject the name spoke before too; the role is now the whole of it.
    (claim,) = _claims(f"{party} Pia Lund said taxes would rise by 3% next year.")
    assert (claim.speaker, claim.speaker_role) == ("Pia Lund", party)
