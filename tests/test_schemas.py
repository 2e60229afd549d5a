"""The record contracts: JSON Schema exports are current, ids are deterministic, bad records are refused."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from factstream.schemas.export import JSON_DIR, render
from factstream.schemas.records import SCHEMA_VERSION, Article, Claim, Contradiction, DeadLetter


def test_exported_json_schemas_are_current():
    wanted = render()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in JSON_DIR.glob("*.schema.json")}
    assert set(on_disk) == set(wanted), "run `make schemas`"
    for name, text in wanted.items():
        assert on_disk[name] == text, f"schemas/json/{name} is stale: run `make schemas`"


def test_article_id_is_deterministic_and_depends_on_source_and_content():
    a = Article(source="Wire", title="T", body="Body text.")
    b = Article(source="Wire", title="T", body="Body text.", fetched_at=datetime(2020, 1, 1, tzinfo=UTC))
    c = Article(source="Other", title="T", body="Body text.")
    assert a.id == b.id
    assert a.id != c.id
    assert Article(source="Wire", url="https://x.example/1", body="v1").id == Article(
        source="Wire", url="https://x.example/1", body="v2 corrected"
    ).id


def test_claim_and_contradiction_ids_are_deterministic():
    c1 = Claim(article_id="art_1", text="26 countries pledged forces", span=(0, 27))
    c2 = Claim(article_id="art_1", text="26 countries pledged forces", span=(0, 27))
    assert c1.id == c2.id
    x = Contradiction(claim_a_id="trk_a", claim_b_id="trk_b", kind="numeric", score=0.9, explanation="e")
    y = Contradiction(claim_a_id="trk_b", claim_b_id="trk_a", kind="numeric", score=0.8, explanation="f")
    assert x.id == y.id


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"source": "S", "body": "   "}, "empty"),
        ({"source": "S", "body": ""}, "at least 1"),
        ({"source": "", "body": "text"}, "at least 1"),
        ({"source": "S", "body": "text", "published_at": "2025-09-05T10:00:00"}, "timezone"),
        ({"source": "S", "body": "text", "schema_version": SCHEMA_VERSION + 1}, "newer"),
        ({"source": "S", "body": "text", "surprise": 1}, "Extra inputs"),
    ],
)
def test_bad_articles_are_refused_with_a_reason(fields, message):
    with pytest.raises(ValidationError, match=message):
        Article(**fields)


def test_spans_must_be_ranges():
    with pytest.raises(ValidationError, match="span"):
        Claim(article_id="a", text="t", span=(5, 2))


def test_dead_letter_of_the_same_payload_has_one_id():
    a = DeadLetter(stage="extract", reason="r", payload="{", key="k", offset=1, topic="t", partition=0)
    b = DeadLetter(stage="extract", reason="r", payload="{", key="k", offset=9, topic="t", partition=2)
    assert a.id == b.id


def test_unvalidated_records_equal_validated_ones_and_refuse_unknown_fields():
    """Records rebuilt from store rows without validation are the records validation would give."""
    import pytest

    from factstream.schemas.records import Claim, Mention, Quantity, TrackedClaim, unvalidated

    mention = Mention(claim_id="clm_1", article_id="art_1", source="Gazette", span=(0, 10),
                      text="The plant closes")
    fields = dict(id="trk_1", canonical_text="The plant closes", first_seen_article_id="art_1",
                  numbers=[Quantity(value=1200, unit="job", text="1,200")], mentions=[mention])
    built = unvalidated(TrackedClaim, **fields)
    assert built == TrackedClaim(**fields)
    assert built.model_dump_json() == TrackedClaim(**fields).model_dump_json()
    # Defaults (including factories) are filled, each record with its own list.
    claim = unvalidated(Claim, article_id="art_1", text="x", span=(0, 1))
    assert claim.extractor.name == "unknown" and claim.numbers == [] and claim.numbers is not unvalidated(
        Claim, article_id="a", text="y", span=(0, 1)).numbers
    with pytest.raises(TypeError, match="no field"):
        unvalidated(Claim, article_id="art_1", text="x", span=(0, 1), colour="red")


def test_trusted_is_a_deprecated_alias_of_unvalidated():
    """The old name still builds the same record, with a DeprecationWarning (for a release)."""
    import pytest

    from factstream.schemas.records import Claim, trusted, unvalidated

    with pytest.warns(DeprecationWarning, match="use unvalidated"):
        old = trusted(Claim, article_id="art_1", text="x", span=(0, 1))
    assert old == unvalidated(Claim, article_id="art_1", text="x", span=(0, 1))
