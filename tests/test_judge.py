"""The learned pair judge: its shipped model, its figures on held-out public data, its definitions.

Figures are checked on a small slice of the ``eval`` split of ../shared/data (pairs the model and
the combiner never saw), with floors well under the measured figures (docs/models/pair-judge.md):
a broken export, a stale combiner or a feature out of order falls far below them.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from factstream.processors.judge import PairJudge, default_judge
from factstream.processors.judge.combiner import Combiner
from factstream.processors.judge.features import FEATURE_NAMES
from factstream.processors.judge.model import MODEL_DIR
from factstream.processors.matching import analyse, claim_from_text
from factstream.training.evaluate import judge_pairs, score
from factstream.training.judge_data import public_pairs, split_of
from factstream.training.reviews import pairs_from_rows
from tests.conftest import SHARED

CARD = Path(__file__).resolve().parents[1] / "docs" / "models" / "pair-judge.md"
#: Pairs per set in the CI slice: enough for a figure to mean something, few enough for CPU time.
SLICE = 120


@pytest.fixture(scope="module")
def judge() -> PairJudge:
    return default_judge()


@pytest.fixture(scope="module")
def held_out_slice():
    if not (SHARED / "data").exists():
        pytest.skip("../shared/data is not beside the checkout")
    per_set: dict[str, int] = {}
    chosen = []
    for p in public_pairs(SHARED / "data"):
        if p.split != "eval" or p.relation is None or p.source not in {"mrpc", "sick", "stsb"}:
            continue
        if per_set.get(p.source, 0) < SLICE:
            per_set[p.source] = per_set.get(p.source, 0) + 1
            chosen.append(p)
    return chosen


def test_the_shipped_model_is_complete_and_versioned():
    for name in ("encoder.onnx", "pair.onnx", "tokenizer.json", "combiner.json", "metrics.json"):
        assert (MODEL_DIR / name).exists(), name
    combiner = Combiner.load(MODEL_DIR / "combiner.json")
    rows = np.zeros((4, len(FEATURE_NAMES)))
    assert np.allclose(combiner.probabilities(rows).sum(axis=1), 1.0)
    assert 0 < combiner.duplicate_threshold < 1 and 0 < combiner.contradiction_threshold < 1
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text())
    assert metrics["model_version"] == combiner.version
    assert metrics["split"] == "eval"


def test_the_exported_trees_give_the_fitted_models_probabilities(tmp_path):
    """The combiner's trees, walked by numpy in the package, are the model the training fitted."""
    from sklearn.ensemble import GradientBoostingClassifier

    from factstream.training.combine import trees_json

    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, len(FEATURE_NAMES)))
    y = (x[:, 0] > 0).astype(int) + (x[:, 3] * x[:, 5] > 0.5)  # an interaction a line cannot draw
    model = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0).fit(x, y)
    (tmp_path / "combiner.json").write_text(json.dumps({
        "version": "t", "model": "trees", "features": list(FEATURE_NAMES),
        "thresholds": {"duplicate": 0.5, "contradiction": 0.5, "gate": 0.2},
        "trees": trees_json(model, x)}), encoding="utf-8")
    loaded = Combiner.load(tmp_path / "combiner.json")
    fresh = rng.normal(size=(200, len(FEATURE_NAMES)))
    assert np.allclose(loaded.probabilities(fresh), model.predict_proba(fresh), atol=1e-6)
    assert np.allclose(loaded.probabilities(fresh[0]), model.predict_proba(fresh[:1]), atol=1e-6)
    # Features at the thresholds and a hair either side go the way scikit-learn sends them.
    splits = [(t.feature[i], t.threshold[i]) for t in (e.tree_ for e in model.estimators_.ravel())
              for i in range(t.node_count) if t.children_left[i] >= 0]
    edges = []
    for feature, threshold in splits:
        for value in (threshold, np.nextafter(np.float32(threshold), np.float32(np.inf)),
                      np.nextafter(np.float32(threshold), np.float32(-np.inf))):
            row = fresh[len(edges) % len(fresh)].copy()
            row[feature] = value
            edges.append(row)
    assert np.allclose(loaded.probabilities(np.array(edges)), model.predict_proba(np.array(edges)), atol=1e-9)
    with pytest.raises(ValueError, match="finite"):
        loaded.probabilities(np.full(len(FEATURE_NAMES), np.nan))


def test_the_monotone_combiner_finds_no_conflict_likelier_as_claims_grow_apart(tmp_path):
    """``--combiner monotone``: where the labelled contradictions are less alike than their neutral
    pairs (SNLI's, ANLI's), a free regression learns "less alike, more contradictory" and calls
    unrelated candidates conflicts; held monotone, more related never lowers the odds of a duplicate
    or a contradiction against "none", and the judge runs the fit as any regression."""
    from sklearn.linear_model import LogisticRegression

    from factstream.training.monotone import CLASHES, RELATEDNESS, MonotoneLogistic

    rng = np.random.default_rng(5)
    n, cos = 3000, FEATURE_NAMES.index("cosine")
    y = rng.choice(3, size=n, p=[0.5, 0.25, 0.25])
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    x[:, cos] = np.where(y == 1, 1.0, np.where(y == 2, -0.5, 0.0)) + rng.normal(scale=0.5, size=n)
    x[:, FEATURE_NAMES.index("p_contra")] += 1.5 * (y == 2)
    # A figure clash between close claims: a contradiction, never one fact.
    clash = FEATURE_NAMES.index("cosine_x_number_clash")
    x[:, clash] += np.where(y == 2, 1.0, np.where(y == 1, -1.0, 0.0))
    free = MonotoneLogistic(related=(), clashes=()).fit(x, y)
    assert free.coef_[2, cos] < 0  # the shortcut the data offer
    # Unbounded, it is scikit-learn's regression (the same penalty).
    sk = LogisticRegression(C=1.0, max_iter=5000, tol=1e-10).fit(x, y)
    assert np.allclose(free.predict_proba(x), sk.predict_proba(x), atol=1e-4)
    held = MonotoneLogistic().fit(x, y)
    related = [FEATURE_NAMES.index(f) for f in RELATEDNESS]
    clashes = [FEATURE_NAMES.index(f) for f in CLASHES]
    assert (held.coef_[1:, related] >= 0).all() and (held.coef_[2, clashes] >= 0).all()
    assert (held.coef_[0] == 0).all() and held.intercept_[0] == 0
    # The pair model's contradiction still speaks, and a clash may still argue against one fact.
    assert held.coef_[2, FEATURE_NAMES.index("p_contra")] > 1.0
    assert held.coef_[1, clash] < 0
    (tmp_path / "combiner.json").write_text(json.dumps({
        "version": "t", "model": "logistic", "features": list(FEATURE_NAMES),
        "thresholds": {"duplicate": 0.5, "contradiction": 0.5, "gate": 0.2},
        "mean": [0.0] * len(FEATURE_NAMES), "scale": [1.0] * len(FEATURE_NAMES),
        "coef": held.coef_.tolist(), "intercept": held.intercept_.tolist()}), encoding="utf-8")
    loaded = Combiner.load(tmp_path / "combiner.json")
    assert np.allclose(loaded.probabilities(x[:50]), held.predict_proba(x[:50]), atol=1e-9)
    # Two claims growing apart (cosine falling, all else equal) never become more of a conflict.
    row = np.zeros(len(FEATURE_NAMES))
    odds = []
    for c in np.linspace(2.0, -2.0, 9):
        row[cos] = c
        p = loaded.probabilities(row)[0]
        odds.append(p[2] / p[0])
    assert all(a >= b * (1 - 1e-9) for a, b in zip(odds[:-1], odds[1:], strict=True))


def test_the_shipped_combiner_holds_its_recorded_bounds():
    """The shipped fit is the monotone one: "none" the reference, the recorded signs held."""
    data = json.loads((MODEL_DIR / "combiner.json").read_text(encoding="utf-8"))
    coef, names = np.array(data["coef"]), data["features"]
    assert data["constraints"]["reference_class"] == "none"
    assert (coef[0] == 0).all() and data["intercept"][0] == 0
    for c, relation in ((1, "duplicate"), (2, "contradiction")):
        bounded = data["constraints"]["nonnegative"][relation]
        assert bounded and all(coef[c, names.index(f)] >= 0 for f in bounded), relation


def test_the_card_states_the_shipped_figures():
    card = CARD.read_text(encoding="utf-8")
    metrics = json.loads((MODEL_DIR / "metrics.json").read_text())
    assert metrics["model_version"] in card
    for source, row in metrics["sets"].items():
        for relation in ("duplicate", "contradiction"):
            if relation in row:
                assert f"{row[relation]['f1']:.3f}" in card, f"{source} {relation} F1 is not in the card"


def test_held_out_figures_on_a_slice(judge, held_out_slice):
    report = score(held_out_slice, judge_pairs(judge, held_out_slice))
    assert report["mrpc"]["duplicate"]["f1"] >= 0.7, report["mrpc"]
    assert report["stsb"]["duplicate"]["f1"] >= 0.7, report["stsb"]
    assert report["sick"]["contradiction"]["f1"] >= 0.7, report["sick"]


def test_a_verdict_does_not_depend_on_the_order_of_the_pair(judge, held_out_slice):
    pairs = held_out_slice[::6]
    forward = judge_pairs(judge, pairs)
    backward = judge.judge([(analyse(claim_from_text(p.b)), analyse(claim_from_text(p.a))) for p in pairs])
    assert [v.relation for v in forward] == [v.relation for v in backward]


def _pair(a: str, b: str, **fields_b):
    return analyse(claim_from_text(a)), analyse(claim_from_text(b, **fields_b))


def test_every_judgement_carries_its_model_version_and_probabilities(judge):
    (v,) = judge.judge([_pair("The council approved the new budget on Tuesday.",
                              "The council rejected the new budget on Tuesday.")])
    assert v.model_version == judge.version
    assert set(v.probabilities) == {"none", "duplicate", "contradiction"}
    assert abs(sum(v.probabilities.values()) - 1) < 1e-3


def test_a_hedge_is_never_a_contradiction_of_a_firm_statement(judge):
    (v,) = judge.judge([_pair("The mill will close in March, the owners said.",
                              "The mill may not close in March, the owners said.")])
    assert v.relation != "contradiction"


def test_a_growing_count_in_a_later_report_is_an_update(judge):
    early = claim_from_text("At least 12 people have died in the floods so far.",
                            published_at=datetime(2026, 3, 1, tzinfo=UTC))
    late = claim_from_text("At least 40 people have died in the floods so far.",
                           published_at=datetime(2026, 3, 4, tzinfo=UTC))
    (v,) = judge.judge([(analyse(early), analyse(late))])
    assert v.relation != "contradiction"


def test_a_numeric_contradiction_names_both_values(judge):
    (v,) = judge.judge([_pair("The plant employs 310 workers, the company said.",
                              "The plant employs 130 workers, the company said.")])
    assert v.relation == "contradiction" and v.kind == "numeric"
    assert v.evidence["values"] and all(x in " ".join(v.evidence["values"]) for x in ("310", "130"))


def test_numeric_evidence_keeps_each_text_s_own_noun(judge):
    (v,) = judge.judge([_pair("The plant employs 310 staff, the company said.",
                              "The plant employs 130 workers, the company said.")])
    assert v.relation == "contradiction" and v.kind == "numeric"
    assert sorted(v.evidence["values"]) == ["130 workers", "310 staff"]


def test_reviews_become_labelled_pairs_with_their_own_split():
    pairs = pairs_from_rows(
        [{"target_id": "m1", "verdict": "confirmed", "a": "x said y", "b": "y, x said"},
         {"target_id": "m2", "verdict": "rejected", "a": "p", "b": "q"}],
        [{"target_id": "c1", "verdict": "confirmed", "kind": "numeric", "a": "10 died", "b": "20 died"},
         {"target_id": "c2", "verdict": "rejected", "kind": "negation", "a": "r", "b": "s"}],
    )
    assert [(p.relation, p.kind) for p in pairs] == [
        ("duplicate", None), ("none", None), ("contradiction", "numeric"), ("none", None)]
    assert all(p.source == "reviews" for p in pairs)
    assert pairs[0].split == split_of("review:m1")


def test_fine_tuning_batches_see_every_pair_once_an_epoch_with_little_padding():
    import random

    from factstream.training.judge import length_batches

    draw = random.Random(7)
    lengths = [draw.randint(8, 160) for _ in range(5000)]
    items = list(range(len(lengths)))
    batches = length_batches(items, lengths, 32, random.Random(13))
    assert sorted(i for b in batches for i in b) == items
    assert all(0 < len(b) <= 32 for b in batches)
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded < 1.1 * sum(lengths)  # random batches of these lengths pad to ~1.8x
    assert batches == length_batches(items, lengths, 32, random.Random(13))  # seeded
    assert batches != length_batches(items, lengths, 32, random.Random(14))


def test_each_family_weighs_the_same_in_the_paraphrase_loss_and_a_few_reviews_no_more_than_4x():
    from factstream.training.judge import MAX_PARA_WEIGHT, para_weights
    from factstream.training.judge_data import Pair

    def pairs(source: str, n: int) -> list[Pair]:
        return [Pair("a", "b", source, "train", para=i % 2, nli=None, relation=None) for i in range(n)]

    train = pairs("mrpc", 300) + pairs("bbc", 800) + pairs("bbc-names", 100) + pairs("reviews", 6)
    train += [Pair("a", "b", "sick", "train", para=None, nli="neutral", relation=None)] * 50
    weights = para_weights(train)
    assert set(weights) == {"mrpc", "bbc", "reviews"}  # bbc-names is BBC; NLI-only sets have no say
    assert weights["mrpc"] * 300 == pytest.approx(weights["bbc"] * 900)
    assert weights["reviews"] == MAX_PARA_WEIGHT


def test_a_contradiction_is_a_paraphrase_negative_when_asked():
    from factstream.training.judge import para_label
    from factstream.training.judge_data import Pair

    contra = Pair("a", "b", "snli", "train", nli="contradiction")
    neutral = Pair("a", "b", "snli", "train", nli="neutral")
    mrpc = Pair("a", "b", "mrpc", "train", para=1)
    assert [para_label(p) for p in (contra, neutral, mrpc)] == [None, None, 1]
    # Two claims that cannot both be true never state one fact; a neutral pair says nothing of it.
    assert [para_label(p, contra_not_para=True) for p in (contra, neutral, mrpc)] == [0, None, 1]


def test_with_the_learned_verdict_the_processors_merge_one_fact_in_two_voices():
    from factstream.processors.dedup import DedupProcessor, new_tracked_claim

    def said(text, article, **fields):
        c = claim_from_text(text, published_at=datetime(2026, 3, 2, tzinfo=UTC), source=article, **fields)
        return c.model_copy(update={"article_id": article})

    company = new_tracked_claim(said("Northfield Steel will close its Harbor City plant in May, the company "
                                     "said on Monday.", "art1", speaker="Northfield Steel"))
    ceo = said("Maria Lindqvist said: \u201cWe will close the Harbor City plant in May\u201d", "art2",
               speaker="Maria Lindqvist", speaker_role="chief executive of Northfield Steel")
    dedup = DedupProcessor(learned=True)
    [update] = dedup.process(ceo, [company])
    assert not update.is_new and update.tracked.id == company.id
    assert update.model_version == dedup.judge.version
    other = said("Northfield Steel will sell the Harbor City site to Ardent Metals.", "art3",
                 speaker="Northfield Steel")
    [update] = dedup.process(other, [company])
    assert update.is_new


def test_an_embedding_depends_on_its_text_alone(judge):
    """The int8 encoder quantises its activations per call: in a batch, a claim's embedding moved
    with the texts beside it, and with it the gate and the closest candidates, so a verdict could
    depend on what arrived together. Each text now runs alone."""
    text = "The Harbor City plant will close in May, the company said."
    others = ["Unemployment in Westmoor rose to 9.5% in October.",
              "A much longer sentence about the council's decision to approve the new budget for the "
              "coming year, which includes cuts to libraries, parks and bus services across the city."]
    alone = judge.neural.embed([text])[0]
    beside = judge.neural.embed([*others, text])[2]
    assert (alone == beside).all()


def test_the_same_content_always_reaches_the_pair_model(judge, monkeypatch):
    """A claim's restatement in the same words (its attribution moved) is read by the pair model
    however many claims about other facts sit closer in embedding, and even under the gate."""
    # "X, the mayor of Y, said ..." once gave all such claims of X one rule key, as if one text.
    claim = "Aldo Ferri, the mayor of Marlow, said Carvel will open 412 new schools in September."
    twin = "Carvel will open 412 new schools in September, Aldo Ferri said."
    near = [f"Aldo Ferri, the mayor of Marlow, said {town} will open {n} new schools in September."
            for town, n in (("Marlow", 398), ("Kestrel Bay", 415), ("Ashby", 411), ("Dunmore", 420))]
    fresh = PairJudge(judge.neural, judge.combiner)
    real = fresh.embeddings
    far = real(["The weather in Lima was mild for the time of year."])[0]

    def embeddings(texts):
        # The twin as far from the claim as an unrelated sentence: only its words can bring it in.
        return np.stack([far if t == twin else row for t, row in zip(texts, real(texts), strict=True)])

    monkeypatch.setattr(fresh, "embeddings", embeddings)
    pairs = [_pair(claim, other, speaker="Aldo Ferri") for other in [*near, twin]]
    verdicts = fresh.judge(pairs, limit=3, explain=False)
    assert "pair_model" in verdicts[-1].evidence
    assert sum("pair_model" in v.evidence for v in verdicts) == 3


def test_the_same_words_about_another_place_are_another_fact(judge):
    """Two claims that differ in the name of what they are about are two facts (the pair model alone
    reads them as one: the combiner learned otherwise from BBC sentences with a name swapped)."""
    ferry, harbour = judge.judge([
        _pair("Ines Aldana said the Carvel ferry service will stop running in June.",
              "Ines Aldana said the Marlow ferry service will stop running in June.", speaker="Ines Aldana"),
        _pair("The Kestrel Bay harbour may close in April, according to Ines Aldana, the mayor of Marlow.",
              "The Marlow harbour may close in April, according to Tom Reyes, the mayor of Dunmore.")])
    assert (ferry.relation, harbour.relation) == ("none", "none")
    (v,) = judge.judge([_pair("Tony Blair said the UK would send 500 more troops to Iraq.",
                              "Mr Blair said Britain would send 500 more troops to Iraq.",
                              speaker="Tony Blair")])
    assert v.relation == "duplicate"


class _PairModelForbidden:
    """The judge's models with the pair model taken away: a cached verdict must not need it."""

    def __init__(self, inner):
        self.inner = inner

    def embed(self, texts):
        return self.inner.embed(texts)

    def symmetric_logits(self, pairs):
        raise AssertionError(f"the pair model ran on {len(pairs)} pairs the cache holds")


def test_the_pair_cache_gives_the_verdicts_of_the_pairs_judged_one_by_one(judge, held_out_slice):
    clashes = [_pair("The plant employs 310 workers, the company said.",
                     "The plant employs 130 workers, the company said."),
               _pair("The council approved the new budget on Tuesday.",
                     "The council rejected the new budget on Tuesday."),
               _pair("Labour will not raise income tax, Mr Brown said.",
                     "Labour will raise income tax, Mr Brown said.")]
    pairs = clashes + [(analyse(claim_from_text(p.a)), analyse(claim_from_text(p.b)))
                       for p in held_out_slice[::8]]
    # Both judges share the embeddings (cached by text): what differs is the pair cache alone.
    alone, cached = PairJudge(judge.neural), PairJudge(judge.neural)
    alone._embeddings = cached._embeddings = judge._embeddings

    def verdict(j):
        return j.relation, j.kind, j.score, j.probabilities, j.evidence.get("same_fact_when_masked")

    def one_by_one(pairs):
        out = []
        for pair in pairs:
            alone._pair_logits.clear()
            out.append(verdict(alone.judge([pair])[0]))
        return out

    backward = [(b, a) for a, b in pairs]
    expected, expected_backward = one_by_one(pairs), one_by_one(backward)
    assert any(v[4] is not None for v in expected), "no pair took the masked check"
    assert [verdict(j) for j in cached.judge(pairs)] == expected
    # Now every pair, in either order, and every masked pair is in the cache.
    cached._neural = _PairModelForbidden(judge.neural)
    assert [verdict(j) for j in cached.judge(backward)] == expected_backward
    assert [verdict(j) for j in cached.judge(pairs[::-1])] == expected[::-1]


def test_without_explanations_the_relation_kind_and_score_stay_and_fewer_masked_checks_run(judge,
                                                                                          held_out_slice):
    pairs = [_pair("The mill will close in March, the owners said.",
                   "The mill may not close in March, the owners said."),
             _pair("The plant employs 310 workers, the company said.",
                   "The plant employs 130 workers, the company said."),
             _pair("Unemployment in Brightton rose to 9.7% in May.",
                   "Unemployment in Westport rose to 11.7% in May."),
             _pair("Labour will not raise income tax, Mr Brown said.",
                   "Labour will raise income tax, Mr Howard said.")]
    pairs += [(analyse(claim_from_text(p.a)), analyse(claim_from_text(p.b))) for p in held_out_slice[::4]]
    asked: list[int] = []
    counting = PairJudge(judge.neural)
    counting._embeddings = judge._embeddings
    inner = counting.same_fact_when_masked

    def same_fact_when_masked(claims):
        asked.append(len(claims))
        return inner(claims)

    counting.same_fact_when_masked = same_fact_when_masked  # type: ignore[method-assign]
    full = counting.judge(pairs)
    with_explanations = sum(asked)
    asked.clear()
    plain = counting.judge(pairs, explain=False)
    assert [(j.relation, j.kind, j.score) for j in plain] == [(j.relation, j.kind, j.score) for j in full]
    assert sum(asked) < with_explanations


def _reading_every_pair_as(judge: PairJudge, probabilities: tuple[float, float, float]) -> PairJudge:
    """The judge with a combiner that reads every pair with these probabilities (none, dup, contra):
    what the definitions decide past the combiner, whatever the shipped fit makes of a pair."""
    combiner = dataclasses.replace(
        judge.combiner, trees=None, mean=np.zeros(len(FEATURE_NAMES)), scale=np.ones(len(FEATURE_NAMES)),
        coef=np.zeros((3, len(FEATURE_NAMES))), intercept=np.log(np.asarray(probabilities)))
    fixed = PairJudge(judge.neural, combiner)
    fixed._embeddings = judge._embeddings
    return fixed


def test_a_conflicting_report_needs_two_voices(judge):
    # Two accounts of one scene with nothing nameable between them (no figure, negation or listed
    # opposite): a conflict between two reporters, but one speaker, or one article in its own
    # voice, saying both has said two things. The shipped combiner reads scenes like this one at
    # its threshold or under it (docs/models/pair-judge.md, "Limits"): the definitions are
    # checked past a combiner that reads a contradiction.
    reading = _reading_every_pair_as(judge, (0.1, 0.1, 0.8))
    a, b = "The harbour was full of fishing boats at dawn.", "The harbour was completely empty at dawn."
    (apart,) = reading.judge([_pair(a, b)])
    assert (apart.relation, apart.kind) == ("contradiction", "conflicting_report"), apart
    (one_speaker,) = reading.judge([(analyse(claim_from_text(a, speaker="Ann Vale")),
                                     analyse(claim_from_text(b, speaker="ann  vale")))])
    assert one_speaker.relation == "none" and one_speaker.evidence["not_a_contradiction"] == "one_voice"

    def in_article(text):
        claim = claim_from_text(text).model_copy(update={"article_id": "art_1", "id": ""})
        return analyse(type(claim).model_validate(claim.model_dump()))  # its id follows its article

    (v,) = reading.judge([(in_article(a), in_article(b))])
    assert v.relation == "none", v
    # Two voices, each in their own words: "Ann Vale" and "Tom Reyes" disagree about the scene.
    (two,) = reading.judge([(analyse(claim_from_text(a, speaker="Ann Vale")),
                             analyse(claim_from_text(b, speaker="Tom Reyes")))])
    assert (two.relation, two.kind) == ("contradiction", "conflicting_report"), two


def test_swapped_places_are_made_hard_negatives_from_other_articles(tmp_path):
    """A place in what a sentence states, swapped for one the recogniser read in another article,
    is another fact: a negative of its own set, with the article's split."""
    from factstream.training.judge_data import place_pairs

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "001.txt").write_text(
        "Fuel dearer\n\nPetrol prices in France rose by 5% last year. "
        "Exports from France fell sharply in the spring.\n", encoding="utf-8")
    (tmp_path / "news" / "002.txt").write_text(
        "Fares up\n\nRail fares in Germany will rise by 4% in January. "
        "Farmers in Germany protested against the new tax.\n", encoding="utf-8")
    pairs = list(place_pairs(tmp_path, looked_at=6))
    assert pairs, "no swapped-place pair made"
    for pair in pairs:
        assert (pair.source, pair.relation, pair.para, pair.nli) == ("bbc-places", "none", 0, "neutral")
        article = "001" if pair.a.startswith(("Petrol", "Exports")) else "002"
        assert pair.split == split_of(f"bbc:news/{article}.txt")
        a, b = pair.a.split(), pair.b.split()
        changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        assert len(a) == len(b) and changed and all({x, y} == {"France", "Germany"}
                                                    for x, y in changed), pair


def test_one_speaker_in_one_article_does_not_contradict_themselves(judge):
    """Two remarks of one speaker in one article that clash by a negation are about two things;
    the same remarks in two articles are two reports of one fact, and may conflict."""
    reading = _reading_every_pair_as(judge, (0.1, 0.1, 0.8))

    def said(text, article):
        claim = claim_from_text(text, speaker="Ann Vale").model_copy(update={"article_id": article, "id": ""})
        return analyse(type(claim).model_validate(claim.model_dump()))

    a, b = "The council will not sell the harbour.", "The council will sell the harbour."
    (one,) = reading.judge([(said(a, "art_1"), said(b, "art_1"))])
    assert one.relation == "none" and one.evidence["not_a_contradiction"] == "one_voice", one
    (two,) = reading.judge([(said(a, "art_1"), said(b, "art_2"))])
    assert two.relation == "contradiction", two


def test_the_same_words_under_two_names_do_not_contradict(judge):
    """One quote attributed to two speakers (or to one speaker named two ways) states nothing that
    differs: whatever the combiner reads, it is no contradiction."""
    reading = _reading_every_pair_as(judge, (0.1, 0.1, 0.8))

    def said(speaker, quote):
        return analyse(claim_from_text(f"{speaker} said: “{quote}”", speaker=speaker))

    quote = "We have not been consulted on the harbour plan."
    (same,) = reading.judge([(said("Thomas Reyes", quote), said("Tom Reyes", quote))])
    assert same.relation == "none" and same.evidence["not_a_contradiction"] == "same_words", same
    # What the sentence says after a mid-sentence attribution is part of the fact: a figure there
    # still clashes, though the content before the attribution reads the same.
    closing = "The plant will close in May, the firm said, with the loss of {} jobs."
    (figure,) = reading.judge([_pair(closing.format("1,200"), closing.format(300))])
    assert (figure.relation, figure.kind) == ("contradiction", "numeric"), figure
    # Two reports whose words differ by a negation may conflict.
    a, b = "The council consulted on the harbour plan.", "The council did not consult on the harbour plan."
    (other,) = reading.judge([_pair(a, b)])
    assert other.relation == "contradiction", other


def test_pipeline_candidates_are_negatives_from_other_articles(tmp_path):
    """Pairs the pipeline would put before the pair model (claims of other articles sharing a key
    or close in embedding) are negatives of their own set, with the extracted speakers; one the
    shipped judge reads as the same fact is left out (deduplication merges it)."""
    from factstream.training.judge_data import candidate_pairs

    folder = tmp_path / "business"
    folder.mkdir()
    stories = {
        "001": "Greyford Motors will close its Carvel plant in May, chief executive Ann Vale said. "
               "The plant employs 1,200 people.",
        "002": "Shares in Greyford Motors fell by 3% on Monday. "
               "Tom Reyes, a finance director at Greyford Motors, said sales in Asia had doubled.",
        "003": "The Carvel plant of Greyford Motors will close in May, its chief executive Ann Vale said.",
    }
    for name, body in stories.items():
        (folder / f"{name}.txt").write_text(f"Title {name}\n\n{body}\n", encoding="utf-8")
    pairs = list(candidate_pairs(tmp_path, folders=("business",), splits=("train", "tune", "eval")))
    assert pairs, "no candidate pair made"
    for pair in pairs:
        assert (pair.source, pair.relation, pair.para, pair.nli) == ("bbc-candidates", "none", None, None)
        assert pair.claim_a and pair.claim_b and pair.claim_a["article_id"] != pair.claim_b["article_id"]
        # The later claim's article gives the split (both claims' articles, for these short stories).
        assert pair.split in {split_of(f"bbc:business/{n}.txt") for n in ("002", "003")}
        # The restatement of the plant's closing is one fact: never a negative.
        assert not ("Carvel plant" in pair.a and "Carvel plant" in pair.b), pair
    speakers = {p.claim_a["speaker"] for p in pairs} | {p.claim_b["speaker"] for p in pairs}
    assert speakers & {"Ann Vale", "Tom Reyes"}, speakers
    a, b = pairs[0].claims()
    assert (a.speaker, a.article_id) == (pairs[0].claim_a["speaker"], pairs[0].claim_a["article_id"])
    # Articles come an hour apart in file order, as a stream: the later claim is the later one.
    assert a.published_at < b.published_at
