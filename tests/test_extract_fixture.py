"""The first real input: a report on a Western 'reassurance force' for Ukraine (2025-09-05).

The text lives in the shared fixtures outside the repository and is never copied into it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from factstream.processors.extract import extract_claims
from factstream.schemas.records import Article, Claim

FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "reassurance-force.txt"


@pytest.fixture(scope="module")
def article() -> Article:
    if not FIXTURE.exists():
        pytest.skip(f"fixture not available: {FIXTURE}")
    body = FIXTURE.read_text(encoding="utf-8")
    return Article(source="fixture", url="fixture://reassurance-force", body=body,
                   published_at=datetime(2025, 9, 5, 12, tzinfo=UTC))


@pytest.fixture(scope="module")
def claims(article: Article) -> list[Claim]:
    return extract_claims(article)


def _with_quote(claims: list[Claim], quote: str) -> Claim:
    found = [c for c in claims if c.quote == quote]
    assert found, f"no claim quotes {quote!r}; quotes: {[c.quote for c in claims]}"
    return found[0]


def test_every_quote_and_span_is_exact(article: Article, claims: list[Claim]) -> None:
    for claim in claims:
        assert claim.span[1] <= len(article.body)
        if claim.quote is not None:
            assert claim.quote in article.body
            assert article.body[claim.span[0] : claim.span[1]].find(claim.quote) >= 0


def test_every_quote_fragment_is_exact(article: Article, claims: list[Claim]) -> None:
    for claim in claims:
        if claim.quote is None:
            assert claim.quote_spans == []
            continue
        fragments = [article.body[start:end] for start, end in claim.quote_spans]
        assert fragments and " ".join(fragments) == claim.quote


# Every quote of the article and whose it is, as issue 16 wants them: exact, the speaker's own,
# no scare-quoted label ("reassurance force", "Coalition of the Willing") among them. Putin's "I am
# ready ...", he said, "but I do not ..." stays two claims: the second fragment opens a clause.
QUOTES = {
    "legitimate targets.": "Vladimir Putin",
    "by land, sea or air": "Emmanuel Macron",
    "any new major aggression.": "Emmanuel Macron",
    "Any troops deployed to Ukraine would be legitimate targets": "Vladimir Putin",
    "I am ready for contact with Zelensky": "Vladimir Putin",
    "but I do not see much point \u2026 it is nearly impossible to reach agreement with the Ukrainian "
    "side on key issues.": "Vladimir Putin",
    "the first concrete step": "Volodymyr Zelensky",
    "probably": "Donald Trump",
    "maximum protection for Ukraine\u2019s skies.": "Volodymyr Zelensky",
    "very good dialogue": "Donald Trump",
    "constructive": "Dmitry Peskov",
    "outrageous efforts": "Dmitry Peskov",
    "not intended to wage war against Russia.": "Emmanuel Macron",
}


def test_quotes_are_exactly_the_speakers_own(claims: list[Claim]) -> None:
    assert {c.quote: c.speaker for c in claims if c.quote is not None} == QUOTES


def test_putin_rejects_the_reassurance_force(claims: list[Claim]) -> None:
    claim = next(c for c in claims if "flatly rejected" in c.text)
    assert claim.speaker == "Vladimir Putin"
    assert claim.speaker_role == "Russian President"
    # "reassurance force" is the proposal's name in scare quotes, not words of Putin's.
    assert claim.quote is None
    assert all(c.quote != "reassurance force" for c in claims)
    # Rejecting is a stance Putin takes: asserted, not a negated fact.
    assert not claim.negated and claim.modality == "asserted"
    assert claim.claim_time == date(2025, 9, 5)


def test_so_called_label_is_no_quote(claims: list[Claim]) -> None:
    assert all(c.quote != "Coalition of the Willing" for c in claims)


def test_putin_says_troops_would_be_legitimate_targets(claims: list[Claim]) -> None:
    claim = _with_quote(claims, "Any troops deployed to Ukraine would be legitimate targets")
    assert claim.speaker == "Vladimir Putin"
    assert claim.modality == "asserted" and not claim.negated
    assert "Vladimir Putin" in claim.text
    assert _with_quote(claims, "legitimate targets.").speaker == "Vladimir Putin"


def test_macron_announces_26_countries(claims: list[Claim]) -> None:
    claim = next(c for c in claims if c.speaker == "Emmanuel Macron" and c.numbers)
    assert claim.speaker_role == "French President"
    assert [(q.value, q.unit) for q in claim.numbers] == [(26, "country")]
    assert claim.quote == "by land, sea or air"


def test_putin_ready_for_contact_but_sees_little_point(claims: list[Claim]) -> None:
    ready = _with_quote(claims, "I am ready for contact with Zelensky")
    assert ready.speaker == "Vladimir Putin"
    # Being ready for contact is a present state, asserted; only "ready to <verb>" leaves it open.
    assert ready.modality == "asserted" and not ready.negated
    point = next(c for c in claims if c.quote and c.quote.startswith("but I do not see much point"))
    assert point.speaker == "Vladimir Putin"
    assert point.negated
    assert point.quote.endswith("with the Ukrainian side on key issues.")


def test_zelensky_calls_pledges_first_concrete_step(claims: list[Claim]) -> None:
    claim = _with_quote(claims, "the first concrete step")
    assert claim.speaker == "Volodymyr Zelensky"
    assert claim.speaker_role == "Ukrainian President"


def test_zelensky_pronoun_resolves_and_thousands_is_a_lower_bound(claims: list[Claim]) -> None:
    claim = next(c for c in claims if "thousands of foreign troops" in c.text)
    assert claim.speaker == "Volodymyr Zelensky"
    assert claim.text.startswith("Volodymyr Zelensky said")
    assert claim.modality == "hedged"
    assert [(q.value, q.unit, q.lower_bound) for q in claim.numbers] == [(1000, "troop", True)]


def test_trump_hint_is_hedged(claims: list[Claim]) -> None:
    claim = _with_quote(claims, "probably")
    assert claim.speaker == "Donald Trump"
    assert claim.modality == "hedged"
    assert claim.hedge in ("probably", "hinted")


def test_peskov_calls_trump_efforts_constructive(claims: list[Claim]) -> None:
    claim = _with_quote(claims, "constructive")
    assert claim.speaker == "Dmitry Peskov"
    assert claim.speaker_role == "Kremlin spokesman"
    assert "Donald Trump" in claim.entities
    assert _with_quote(claims, "outrageous efforts").speaker == "Dmitry Peskov"


def test_outlet_statements_are_reporting(claims: list[Claim]) -> None:
    claim = next(c for c in claims if c.text.startswith("The French-led push"))
    assert claim.speaker is None and claim.reporting
    summit = next(c for c in claims if "Alaska summit" in c.text)
    assert summit.claim_time == date(2025, 8, 1)
