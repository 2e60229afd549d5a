"""The embedding stage of deduplication: synonyms restate a claim, antonyms and other facts do not."""

from __future__ import annotations

import pytest

from factstream.errors import ConfigurationError
from factstream.processors import wordvectors
from factstream.processors.matching import claim_from_text, compare, semantic


def verdict(a: str, b: str, **fields: str):
    return compare(claim_from_text(a, **fields), claim_from_text(b, **fields))


@pytest.mark.parametrize(("a", "b"), [
    ("The judge sent the former mayor of Tolva to prison for six years.",
     "The judge sent the former mayor of Tolva to jail for six years."),
    ("Dunmore Rail will construct a new depot in Brell next year.",
     "Dunmore Rail will build a new depot in Brell next year."),
    ("Ostrel Motors recalled 5,000 tires sold in Wales.",
     "Ostrel Motors recalled 5,000 tyres sold in Wales."),
])
def test_a_synonym_restatement_is_one_fact(a: str, b: str) -> None:
    v = verdict(a, b)
    assert v.relation == "duplicate"
    assert "mean the same" in v.explanation


@pytest.mark.parametrize(("a", "b"), [
    # antonym slots win over embeddings
    ("The Brell council approved the new rail depot.", "The Brell council rejected the new rail depot."),
    # converses and opposing prefixes that embeddings put close
    ("Lunor's imports of steel rose 4% in May.", "Lunor's exports of steel rose 4% in May."),
    ("Ferro Steel agreed to buy the Kell mill.", "Ferro Steel agreed to sell the Kell mill."),
    ("The strike closed every school in the town of Kell.",
     "The strike closed every school in the village of Kell."),
    ("Her husband was arrested in Tolva on Friday.", "Her wife was arrested in Tolva on Friday."),
    # co-hyponyms: a different predicate or thing, with low word similarity
    ("The storm killed 14 people in Tolva.", "The storm injured 14 people in Tolva."),
])
def test_an_opposite_or_other_thing_is_not_a_duplicate(a: str, b: str) -> None:
    assert verdict(a, b).relation != "duplicate"


@pytest.mark.parametrize("b", [
    "The judge sent the former mayor of Tolva to jail for eight years.",   # changed number
    "The judge did not send the former mayor of Tolva to jail.",           # negation
    "The judge may send the former mayor of Tolva to jail for six years.",  # hedge
])
def test_a_synonym_does_not_bridge_other_differences(b: str) -> None:
    a = "The judge sent the former mayor of Tolva to prison for six years."
    assert verdict(a, b).relation != "duplicate"


def test_a_changed_number_with_a_synonym_is_not_a_duplicate() -> None:
    v = verdict("Dunmore Rail will construct 12 depots in Brell.",
                "Dunmore Rail will build 20 depots in Brell.")
    assert v.relation != "duplicate"


def test_word_similarity_separates_synonyms_from_cohyponyms() -> None:
    assert semantic.phrase_similarity("prison", "jail") >= semantic.SWAP_SYNONYM_THRESHOLD
    assert semantic.phrase_similarity("killed", "injured") < semantic.SWAP_SYNONYM_THRESHOLD


def test_the_model_loads_from_the_wheel_without_network() -> None:
    model = wordvectors.load_model()
    assert model.table.shape[1] == 256
    assert wordvectors.load_model() is model  # once per process


def test_a_missing_package_is_a_clear_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordvectors, "_model", None)
    monkeypatch.setattr(wordvectors.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigurationError, match=r"pip install 'wordllama=="):
        wordvectors.load_model()


# --- listed synonyms (lexicon.SYNONYM_GROUPS): synonyms the word vectors score low


@pytest.mark.parametrize(("a", "b"), [
    ("Orbis Telecom will cut 1,200 jobs in Ireland.", "Orbis Telecom is to shed 1,200 jobs in Ireland."),
    ("Orbis Telecom will cut 1,200 jobs in Ireland.",
     "Orbis Telecom will eliminate 1,200 positions in Ireland."),
    ("Pellar Airlines will cancel 40 weekly flights between Oslo and Bergen.",
     "Pellar Airlines will scrap 40 weekly services between Oslo and Bergen."),
    ("Temperatures in Seville reached 44C on Saturday.", "On Saturday temperatures in Seville hit 44C."),
    ("Rail workers in Tolva will strike for 48 hours from Tuesday.",
     "From Tuesday, rail workers in Tolva will walk out for 48 hours."),
    ("The Central Bank of Peru raised its key interest rate to 6.25%.",
     "Peru's central bank lifted its main interest rate to 6.25 percent."),
])
def test_a_listed_synonym_restatement_is_one_fact(a: str, b: str) -> None:
    v = verdict(a, b)
    assert v.relation == "duplicate"
    assert "listed synonyms" in v.explanation


@pytest.mark.parametrize(("a", "b"), [
    # a reporting verb used as the claim's own verb still states the opposite
    ("Orbis Telecom will cut 1,200 jobs in Ireland.", "Orbis Telecom added 1,200 jobs in Ireland."),
    ("Orbis Telecom will shed 1,200 jobs in Ireland.", "Orbis Telecom will create 1,200 jobs in Ireland."),
    # "lift" raises a rate but removes a tariff: the group needs a rate in both claims
    ("Tolva lifted tariffs on steel imports.", "Tolva raised tariffs on steel imports."),
    # same group, opposite antonym slot
    ("The central bank lifted its key rate to 4%.", "The central bank cut its benchmark rate to 4%."),
    # different groups
    ("The concert was cancelled because of the storm.", "The concert was postponed because of the storm."),
    ("The minister resigned on Friday.", "The minister was sacked on Friday."),
])
def test_listed_synonyms_do_not_bridge_opposites_or_other_verbs(a: str, b: str) -> None:
    assert verdict(a, b).relation != "duplicate"


def test_a_demonym_and_its_country_are_one_term() -> None:
    assert verdict("Rail workers in Belgium will strike on Tuesday.",
                   "Belgian rail workers will strike on Tuesday.").relation == "duplicate"
    assert verdict("Rail workers in Belgium will strike on Tuesday.",
                   "Dutch rail workers will strike on Tuesday.").relation != "duplicate"
