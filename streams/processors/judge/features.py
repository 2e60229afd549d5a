"""What the rule analyses say about a pair: the combiner's features and the verdict's evidence.

The analyses (:mod:`factstream.processors.matching`) are exact about what they read: the figures and
their units, negation, hedges, listed opposites, speakers, dates. They no longer decide; they say
*what differs* between two claims, and the learned combiner weighs that against the pair model's
reading of the two texts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from factstream.processors.matching.features import ClaimFeatures
from factstream.processors.matching.lexicon import TITLES
from factstream.processors.matching.quantities import Amount, amounts_agree, conflicting_amounts, years
from factstream.processors.matching.semantic import listed_opposites
from factstream.processors.matching.speakers import speakers_compatible
from factstream.processors.matching.text import claim_core_text, guess_entities, normalize_text
from factstream.processors.matching.verdict import _core_similarity, _is_update, compare_features, similarity

#: Names of the combiner's inputs, in order (``combiner.json`` stores them to check the order).
FEATURE_NAMES = (
    "para_logit", "p_entail", "p_neutral", "p_contra", "contra_margin", "cosine", "lexical", "core",
    "number_clash", "numbers_agree", "both_numbers", "negation_flip", "opposites", "hedge_differs",
    "either_hedged", "speakers_compatible", "both_named", "times_clash", "rule_duplicate",
    "rule_contradiction", "length_ratio", "same_text",
    # interactions: a clash matters when the two claims are about the same thing
    "cosine_x_number_clash", "cosine_x_negation_flip", "cosine_x_opposites", "p_contra_x_cosine",
    "para_x_clash",
    # each claim names a place, body or person the other does not: two facts about two subjects
    "names_differ", "para_x_names_differ",
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
    #: What the word-level difference of the two texts is: "numeric" (only figures differ),
    #: "negation" (only negation words), "antonym" (one word for another), or None (more than that).
    difference: str | None = None
    changed: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    values: list[float] = field(default_factory=list)


_WORD = re.compile(r"[\w'’.,%£$€-]+")
_NEGATORS = frozenset({"not", "no", "never", "n't", "without", "none", "nor", "cannot"})


def _words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in _WORD.findall(text) if w.strip(".,")]


def word_difference(a: str, b: str) -> tuple[str | None, list[str], list[str]]:
    """The kind of the word-level difference between two texts, with the words on each side.

    Exact and cheap: the multiset of words each side has that the other lacks. Only figures ->
    "numeric"; only negation words (on one side) -> "negation"; one word each side -> "antonym"
    (the pair model has already said they conflict); anything more -> None.
    """
    wa, wb = Counter(_words(a)), Counter(_words(b))
    only_a, only_b = list((wa - wb).elements()), list((wb - wa).elements())
    if not only_a and not only_b:
        return None, only_a, only_b
    digits = [w for w in only_a + only_b if any(ch.isdigit() for ch in w)]
    if digits and len(digits) == len(only_a) + len(only_b):
        return "numeric", only_a, only_b
    def negation_only(xs: list[str]) -> bool:
        return bool(xs) and all(x in _NEGATORS or x.endswith("n't") for x in xs)
    if (negation_only(only_a) and not only_b) or (negation_only(only_b) and not only_a):
        return "negation", only_a, only_b
    if len(only_a) == 1 and len(only_b) == 1:
        return "antonym", only_a, only_b
    return None, only_a, only_b


#: A core shorter than this is what is left of a claim that is mostly attribution: keep the text.
MIN_CONTENT_CHARS = 12
#: Contents kept per process, by text: the judge asks for a claim's content at each pair it is in
#: (~55 times per claim on BBC politics), and the regular expressions behind it cost ~30 us a text.
CONTENT_CACHE_SIZE = 50_000


@lru_cache(maxsize=CONTENT_CACHE_SIZE)
def content_of(text: str) -> str:
    """What the models read of a claim: its text without dateline and attribution clause.

    "Maria Lindqvist said: “We will close the plant”" and "The company will close the plant, the
    company said" state one fact in two voices; the models compare the facts, and the analyses
    decide whether the voices are compatible (a spokesperson and the body it speaks for).
    """
    core = claim_core_text(text, fact=True).strip()
    return core if len(core) >= MIN_CONTENT_CHARS else text


@lru_cache(maxsize=CONTENT_CACHE_SIZE)
def _names(text: str) -> tuple[str, ...]:
    """The names a claim's text gives, less a first word that reads as a common one.

    :func:`guess_entities` gives the same reading in training and in the pipeline, whatever
    entities the extractor recorded. A capital on a first word that reads as a participle says
    nothing ("Commenting on the firing, ..."); "Greyford will hire", "Barclays will cut" keep
    their names.
    """
    first = text.split(maxsplit=1)[0].strip("\"'“‘(").lower() if text.strip() else ""
    return tuple(n for n in guess_entities(text) if n != first or not first.endswith("ing"))


_NAME_WORD = re.compile(r"[\w'’-]+")


def _own_words(name: str) -> list[str]:
    """The words of a name that tell it apart: no title, nothing under three letters."""
    return [w for w in name.split() if w.strip(".") not in TITLES and len(w.strip(".")) > 2] or name.split()


def same_content(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    """Whether two claims state their fact in the same words, attribution aside (:func:`content_of`).

    Not the rule analyses' ``text_key``: it hashes the rule reading, which keeps "X, the governor
    of Y" of "X, the governor of Y, said (that) ..." and so gives one key to all such claims of X.
    """
    return _normalized(content_of(fa.claim.text)) == _normalized(content_of(fb.claim.text))


@lru_cache(maxsize=CONTENT_CACHE_SIZE)
def _normalized(text: str) -> str:
    return normalize_text(text)


def names_differ(fa: ClaimFeatures, fb: ClaimFeatures) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names each claim gives and the other does not, or two empty tuples unless both do.

    "The Leeds plant will close in May" and "The Bristol plant will close in May" are two facts
    about two plants, however alike the sentences read to the pair model. Speakers' names are set
    aside: both claims are read without their attribution (:func:`content_of`), the same way in
    training (pairs of bare texts) and in the pipeline. A name "appears" in the other claim when
    all its own words do ("Blair" in "Tony Blair"; "UK" and "Britain" are one entity).
    """
    def only(names: tuple[str, ...], other: str, other_names: tuple[str, ...]) -> tuple[str, ...]:
        words = set(_NAME_WORD.findall(other.lower())) | {w for n in other_names for w in n.split()}
        # A name is the other's when its own words are there, titles aside: "Miss Novikova" and
        # "Ms. Novikova", "Mr Blair" and "Tony Blair".
        return tuple(n for n in names if not all(w in words for w in _own_words(n)))

    # What each claim states, without its attribution: "the deputy mayor of Brightbridge" says who
    # spoke, not what the claim is about.
    content_a, content_b = content_of(fa.claim.text), content_of(fb.claim.text)
    names_a, names_b = _names(content_a), _names(content_b)
    only_a, only_b = only(names_a, content_b, names_b), only(names_b, content_a, names_a)
    return (only_a, only_b) if only_a and only_b else ((), ())


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
    difference, changed_a, changed_b = word_difference(fa.claim.text, fb.claim.text)
    if opposites is None and slot_flip:
        # A slot read with opposite signs ("approve": approved / rejected): the words that differ
        # are the evidence when there is one each side, else the slot itself.
        flipped = next(s for s in fa.slots if s in fb.slots and fa.slots[s] != fb.slots[s])
        opposites = ((changed_a[0], changed_b[0]) if len(changed_a) == 1 and len(changed_b) == 1
                     else (flipped, f"not {flipped}"))
    compatible = speakers_compatible(fa.voice, fb.voice)
    both_named = fa.voice.name is not None and fb.voice.name is not None
    years_a, years_b = years(list(fa.amounts)), years(list(fb.amounts))
    times_clash = bool((fa.times and fb.times and not (fa.times <= fb.times or fb.times <= fa.times))
                       or (years_a and years_b and years_a != years_b))
    rule = compare_features(fa, fb)
    tokens_a, tokens_b = max(1, len(fa.tokens)), max(1, len(fb.tokens))
    para = float(logits[0])
    clash = float(bool(clashes) or negation_flip or opposites is not None)
    other_names = float(bool(names_differ(fa, fb)[0]))
    values = [
        para, float(probs[0]), float(probs[1]), float(probs[2]),
        float(logits[3] - max(logits[1], logits[2])), cosine, lexical, core,
        float(bool(clashes)), float(agree), float(bool(fa.amounts and fb.amounts)), float(negation_flip),
        float(opposites is not None), float(fa.hedged != fb.hedged), float(fa.hedged or fb.hedged),
        float(compatible), float(both_named), float(times_clash),
        float(rule.relation == "duplicate"), float(rule.relation == "contradiction"),
        min(tokens_a, tokens_b) / max(tokens_a, tokens_b), float(same_content(fa, fb)),
        cosine * float(bool(clashes)), cosine * float(negation_flip), cosine * float(opposites is not None),
        float(probs[2]) * cosine, max(0.0, para) * clash,
        other_names, max(0.0, para) * other_names,
    ]
    return PairAnalysis(
        difference=difference, changed=(tuple(changed_a), tuple(changed_b)),
        number_clashes=clashes, negation_flip=negation_flip, opposites=opposites,
        hedged=fa if fa.hedged else fb if fb.hedged else None, compatible=compatible,
        both_named=both_named, times_clash=times_clash,
        update=bool(clashes) and _is_update(fa, fb, clashes), rule_relation=rule.relation,
        rule_kind=rule.kind, rule_explanation=rule.explanation, values=values,
    )
