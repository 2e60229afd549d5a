"""What the rule analyses say about a pair: the combiner's features and the verdict's evidence.

The analyses (:mod:`streams.processors.matching`) are exact about what they read: the figures and
their units, negation, hedges, listed opposites, speakers, dates. They no longer decide; they say
*what differs* between two claims, and the learned combiner weighs that against the pair model's
reading of the two texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from streams.processors.matching.features import ClaimFeatures
from streams.processors.matching.quantities import Amount, amounts_agree, conflicting_amounts, years
from streams.processors.matching.semantic import listed_opposites
from streams.processors.matching.speakers import speakers_compatible
from streams.processors.matching.verdict import _core_similarity, _is_update, compare_features, similarity

#: Names of the combiner's inputs, in order (``combiner.json`` stores them to check the order).
FEATURE_NAMES = (
    "para_logit", "p_entail", "p_neutral", "p_contra", "contra_margin", "cosine", "lexical", "core",
    "number_clash", "numbers_agree", "both_numbers", "negation_flip", "opposites", "hedge_differs",
    "either_hedged", "speakers_compatible", "both_named", "times_clash", "rule_duplicate",
    "rule_contradiction", "length_ratio", "same_text",
    # interactions: a clash matters when the two claims are about the same thing
    "cosine_x_number_clash", "cosine_x_negation_flip", "cosine_x_opposites", "p_contra_x_cosine",
    "para_x_clash",
)


@dataclass(frozen=True, slots=True)
class PairAnalysis:
    """The rule analyses of one pair: features for the combiner, evidence for the verdict."""

    number_clashes: list[tuple[Amount, Amount]] = field(default_factory=list)
    negation_flip: bool = False
    opposites: tuple[str, str] | None = None
    hedged: ClaimFeatures | None = None
    compatible: bool = True
    both_named: bool = False
    times_clash: bool = False
    update: bool = False
    rule_relation: str = "none"
    rule_kind: str | None = None
    rule_explanation: str = ""
    values: list[float] = field(default_factory=list)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def analyse_pair(fa: ClaimFeatures, fb: ClaimFeatures, cosine: float, logits: np.ndarray) -> PairAnalysis:
    """Features of the pair (see :data:`FEATURE_NAMES`) with the evidence behind them."""
    probs = _softmax(logits[1:4].astype(np.float64))
    lexical = similarity(fa, fb)
    core = _core_similarity(fa, fb)
    clashes = conflicting_amounts(list(fa.amounts), list(fb.amounts))
    agree = bool(fa.amounts and fb.amounts) and amounts_agree(list(fa.amounts), list(fb.amounts))
    negation_flip = fa.text_negated != fb.text_negated
    slot_flip = any(s in fb.slots and fa.slots[s] != fb.slots[s] for s in fa.slots)
    opposites = listed_opposites(set(fa.terms - fb.terms), set(fb.terms - fa.terms))
    if opposites is None and slot_flip:
        flipped = next(s for s in fa.slots if s in fb.slots and fa.slots[s] != fb.slots[s])
        opposites = (flipped, flipped)
    compatible = speakers_compatible(fa.voice, fb.voice)
    both_named = fa.voice.name is not None and fb.voice.name is not None
    years_a, years_b = years(list(fa.amounts)), years(list(fb.amounts))
    times_clash = bool((fa.times and fb.times and not (fa.times <= fb.times or fb.times <= fa.times))
                       or (years_a and years_b and years_a != years_b))
    rule = compare_features(fa, fb)
    tokens_a, tokens_b = max(1, len(fa.tokens)), max(1, len(fb.tokens))
    para = float(logits[0])
    clash = float(bool(clashes) or negation_flip or opposites is not None)
    values = [
        para, float(probs[0]), float(probs[1]), float(probs[2]),
        float(logits[3] - max(logits[1], logits[2])), cosine, lexical, core,
        float(bool(clashes)), float(agree), float(bool(fa.amounts and fb.amounts)), float(negation_flip),
        float(opposites is not None), float(fa.hedged != fb.hedged), float(fa.hedged or fb.hedged),
        float(compatible), float(both_named), float(times_clash),
        float(rule.relation == "duplicate"), float(rule.relation == "contradiction"),
        min(tokens_a, tokens_b) / max(tokens_a, tokens_b), float(fa.text_key == fb.text_key),
        cosine * float(bool(clashes)), cosine * float(negation_flip), cosine * float(opposites is not None),
        float(probs[2]) * cosine, max(0.0, para) * clash,
    ]
    return PairAnalysis(
        number_clashes=clashes, negation_flip=negation_flip, opposites=opposites,
        hedged=fa if fa.hedged else fb if fb.hedged else None, compatible=compatible,
        both_named=both_named, times_clash=times_clash,
        update=bool(clashes) and _is_update(fa, fb, clashes), rule_relation=rule.relation,
        rule_kind=rule.kind, rule_explanation=rule.explanation, values=values,
    )
