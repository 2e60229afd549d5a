from datetime import UTC, datetime

from streams.processors.matching import blocking_keys, claim_from_text, compare, speakers_compatible, voice


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, tzinfo=UTC)


def test_claim_from_text_derives_numbers_negation_modality():
    claim = claim_from_text("Twenty-six countries will not send about 1,000 troops", speaker="X")
    assert claim.article_id == "cli" and claim.span == (0, len(claim.text))
    assert claim.negated and claim.modality == "asserted"
    assert {q.value for q in claim.numbers} == {26, 1000}
    assert claim_from_text("The plant may close").modality == "hedged"
    assert claim_from_text("The plant closes in May").modality == "asserted"


def test_spokesperson_and_outlet_are_compatible_speakers():
    putin = voice("Vladimir Putin", "Russian President")
    assert speakers_compatible(putin, voice("Dmitry Peskov", "Kremlin spokesman"))
    assert speakers_compatible(putin, voice(None, None))
    assert not speakers_compatible(putin, voice("Volodymyr Zelensky", "Ukrainian President"))


def test_restatement_with_other_attribution_is_duplicate():
    a = claim_from_text("Russia will not take part in the Geneva talks, the Kremlin said.",
                        speaker="Dmitry Peskov", speaker_role="Kremlin spokesman")
    b = claim_from_text("Vladimir Putin said Russia would not take part in the Geneva talks.",
                        speaker="Vladimir Putin", speaker_role="Russian President")
    verdict = compare(a, b)
    assert verdict.relation == "duplicate" and 0 <= verdict.score <= 1 and verdict.explanation


def test_hard_negatives_are_not_duplicates():
    base = claim_from_text("At least 12 people were killed in the flooding in Valencia.")
    for other in ("At least 40 people were killed in the flooding in Valencia.",
                  "At least 12 people were injured in the flooding in Valencia.",
                  "At least 12 people may have been killed in the flooding in Valencia."):
        assert compare(base, claim_from_text(other)).relation != "duplicate", other


def test_exact_restatements_share_text_hash_key():
    a = claim_from_text("The plant closes in May, Acme said.", speaker="Acme")
    b = claim_from_text("Acme said the plant closes in May.", speaker="Acme")
    assert blocking_keys(a)[0] == blocking_keys(b)[0] and blocking_keys(a)[0].startswith("t:")
    assert "s:acme" in blocking_keys(a)


def test_contradiction_kinds():
    def kind(a, b):
        verdict = compare(a, b)
        return verdict.kind if verdict.relation == "contradiction" else None

    assert kind(claim_from_text("The Senate approved the farm bill."),
                claim_from_text("The Senate rejected the farm bill.")) == "antonym"
    assert kind(claim_from_text("The mayor signed the housing bill."),
                claim_from_text("The mayor did not sign the housing bill.")) == "negation"
    assert kind(claim_from_text("The blast injured 23 workers."),
                claim_from_text("The blast injured 8 workers.")) == "numeric"
    putin = {"speaker": "Vladimir Putin", "speaker_role": "Russian President"}
    assert kind(claim_from_text("Russia will attend the Geneva conference.", published_at=at(1), **putin),
                claim_from_text("Russia will not attend the Geneva conference.", published_at=at(20), **putin)
                ) == "stance_reversal"
    assert kind(claim_from_text("The Acme plant will close in May.", source="A"),
                claim_from_text("The Acme plant will close in September.", source="B")) == "conflicting_report"


def test_not_contradictions():
    def none(a, b):
        return compare(a, b).relation != "contradiction"

    assert none(claim_from_text("The death toll rose to 12.", published_at=at(2)),
                claim_from_text("The death toll rose to 15.", published_at=at(3)))
    assert none(claim_from_text("About 1,000 people attended."), claim_from_text("1,020 people attended."))
    assert none(claim_from_text("The US will probably send air power."),
                claim_from_text("The US will send air power."))
    assert none(claim_from_text("26 countries pledged troops."), claim_from_text("26 countries attended."))
    assert none(claim_from_text("The peace plan is a good basis for talks.", speaker="Vladimir Putin",
                                speaker_role="Russian President"),
                claim_from_text("The peace plan is not a good basis for talks.", speaker="Volodymyr Zelensky",
                                speaker_role="Ukrainian President"))
