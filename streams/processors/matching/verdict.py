"""Pair verdicts: whether two claims are the same fact, contradictory facts, or neither.

The verdict is rule-based on purpose: similarity only says two claims are *about* the same
thing; whether they state the same fact depends on numbers, negation, modality, speaker and
entities agreeing, which cheap explicit checks decide better (and more explainably) than a
single cosine threshold. See ``tests/gold/pairs/README.md`` for the definitions tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.process import extractOne

from factstream.processors.matching.features import ClaimFeatures, analyse
from factstream.processors.matching.lexicon import EXCLUSIVE_FRAME_CUES, SCOPE_EQUIVALENTS, SCOPE_WORDS
from factstream.processors.matching.quantities import (
    Amount,
    amounts_agree,
    as_written,
    conflicting_amounts,
    without_incidental_spans,
    years,
)
from factstream.processors.matching.screen import Screen
from factstream.processors.matching.semantic import Rewording, listed_opposites, reworded
from factstream.processors.matching.speakers import speakers_compatible
from factstream.processors.matching.text import canonical_word
from factstream.schemas.records import Claim, ContradictionKind

Relation = Literal["duplicate", "contradiction", "none"]

# Similarity at or above which two claims that agree on every check are one fact. Tuned on
# tests/gold/pairs/dedup.jsonl for precision first: reworded restatements share about half
# their content words, different facts on one topic about a third.
DUPLICATE_THRESHOLD = 0.5
# Largest word swap (exclusive content words on each side) read as a different fact.
MAX_SWAP = 2
# Above this similarity an exact restatement needs no further evidence of topicality.
NEAR_IDENTICAL = 0.9
# Similarity of the claims' cores (numbers, negation, hedges and antonyms taken out) at or
# above which a clash in one of those is a contradiction about the same thing rather than two
# different statements. Stricter than duplicates: a false alarm costs a reader's trust.
ALIGNED_THRESHOLD = 0.6
# A slot substitution ("in May" vs "in June") needs the rest to be nearly the same sentence.
SUBSTITUTION_THRESHOLD = 0.7
# Shared leading characters from which two differing terms are read as one word's variants
# ("novel"/"novelist", "belarus"/"belarusian"): crude stems leave such pairs apart.
VARIANT_PREFIX = 5


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """The relation between two claims, with a score in [0, 1] and a sentence saying why."""

    relation: Relation
    kind: ContradictionKind | None
    score: float
    explanation: str


def _overlap(a: frozenset[str], b: frozenset[str], spelling: bool = False) -> float:
    """Blend of Dice overlap and containment: wire copy that adds a clause still scores high.

    With ``spelling``, a term on one side that is a spelling variant of a term on the other
    ("zelenskyy"/"zelensky", "judgement"/"judgment") counts as shared. Looked for only when it
    could matter: when even counting every unshared term that has a possible variant (a term
    of the other side opening with the same three letters) as one would leave the overlap
    below every threshold it is compared with, it is not looked for (most candidate pairs
    share a word or two at most, and no possible variant).
    """
    if not a or not b:
        return 0.0
    common = len(a & b)
    if spelling and common < len(a) and common < len(b):
        only_a, only_b = a - b, b - a
        prefixes = {y[:3] for y in only_b if len(y) >= SPELLING_MIN_LENGTH and y[0] != "@"}
        possible = (sum(1 for x in only_a if len(x) >= SPELLING_MIN_LENGTH and x[:3] in prefixes)
                    if prefixes else 0)
        best = common + possible
        if possible and (0.6 * 2 * best / (len(a) + len(b)) + 0.4 * best / min(len(a), len(b))
                         >= _SPELLING_WORTH):
            common += _spelling_variants(only_a, only_b)
    dice = 2 * common / (len(a) + len(b))
    containment = common / min(len(a), len(b))
    return 0.6 * dice + 0.4 * containment


# Two terms this alike (rapidfuzz ratio, 0-100) and this long are one word spelt two ways.
SPELLING_RATIO = 85
SPELLING_MIN_LENGTH = 5
# Spelling variants are looked for only when they could lift the overlap to this (the lowest
# threshold a similarity is compared with).
_SPELLING_WORTH = 0.5


def _spelling_variants(only_a: frozenset[str], only_b: frozenset[str]) -> int:
    """Count the terms of ``only_a`` that are spelling variants of distinct terms of ``only_b``.

    Variants are looked for among terms with the same first three letters ("zelensky"/
    "zelenskyy", "organisation"/"organization"), which keeps this cheap.
    """
    by_prefix: dict[str, list[str]] = {}
    for y in only_b:
        if len(y) >= SPELLING_MIN_LENGTH and not y.startswith("@"):
            by_prefix.setdefault(y[:3], []).append(y)
    if not by_prefix:
        return 0
    found = 0
    for x in only_a:
        candidates = by_prefix.get(x[:3]) if len(x) >= SPELLING_MIN_LENGTH else None
        if not candidates:
            continue
        match = extractOne(x, candidates, scorer=fuzz.ratio, score_cutoff=SPELLING_RATIO)
        if match is not None:
            candidates.remove(match[0])
            found += 1
    return found


# Below this Dice overlap of content terms two differently worded claims are not one fact, however
# much of the shorter one the longer contains: on real news, sentences of one story share half their
# words without stating the same thing ("The director award went to Clint Eastwood" / "Million Dollar
# Baby beat The Aviator to the top awards"). A swap of synonyms is judged by the rewording check.
MIN_DUPLICATE_DICE = 0.6


def _dice(fa: ClaimFeatures, fb: ClaimFeatures) -> float:
    """Dice overlap of the two claims' content terms (spelling variants shared), attribution aside."""
    speakers = fa.speaker_terms | fb.speaker_terms
    a, b = fa.terms - speakers, fb.terms - speakers
    if not a or not b:
        return 0.0
    return 2 * (len(a & b) + _spelling_variants(a - b, b - a)) / (len(a) + len(b))


def similarity(fa: ClaimFeatures | Screen, fb: ClaimFeatures | Screen) -> float:
    """Return how much two claims say with the same words, in [0, 1].

    Word by word: a term counts when the other claim has it or a spelling variant of it. (A
    character-level ratio over whole texts is not used: two unrelated sentences of similar
    length score about 0.55 on it, enough to merge different facts.)
    """
    # Attribution is not content: words of either speaker's name or role are set aside on both
    # sides, so "Ukraine will..., Zelensky's office said" meets "Zelensky said Ukraine will...".
    speakers = fa.speaker_terms | fb.speaker_terms
    return _overlap(fa.terms - speakers, fb.terms - speakers, spelling=True)


def _core_similarity(fa: ClaimFeatures | Screen, fb: ClaimFeatures | Screen) -> float:
    speakers = fa.speaker_terms | fb.speaker_terms
    return _overlap(fa.core_terms - speakers, fb.core_terms - speakers)


def _variants_removed(xs: frozenset[str], ys: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Drop from both sides the terms that are variants of a term on the other side."""
    def variant(x: str, y: str) -> bool:
        n = min(len(x), len(y))
        if n < VARIANT_PREFIX or x[:VARIANT_PREFIX] != y[:VARIANT_PREFIX]:
            return False
        return x.startswith(y) or y.startswith(x) or (n >= 6 and x[:6] == y[:6])
    keep_x = frozenset(x for x in xs if not any(variant(x, y) for y in ys))
    keep_y = frozenset(y for y in ys if not any(variant(x, y) for x in xs))
    return keep_x, keep_y


def _qualifies(f: ClaimFeatures, extra: frozenset[str], shared: frozenset[str],
               entity_words: set[str]) -> bool:
    """Return True when one of ``extra`` narrows what the claim is about.

    An extra term narrows the subject when it names something (a word of an entity the other
    claim lacks: "unemployment in Spain") or modifies a shared term right after it ("food
    inflation", "deputy mayor", "domestic routes"): the claim is then about a part or another
    thing, so a different number or polarity is no contradiction.
    """
    if extra & entity_words:
        return True
    canon = [canonical_word(t) for t in f.tokens]
    for i, term in enumerate(canon[:-1]):
        if term in extra and canon[i + 1] in shared:
            return True
    return False


def _after_frame(f: ClaimFeatures, words: frozenset[str]) -> bool:
    """Return True when every word of ``words`` follows an exclusive-frame cue ("caused by X")."""
    canon = [canonical_word(t) for t in f.tokens]
    cues = [i for i, t in enumerate(f.tokens) if t in EXCLUSIVE_FRAME_CUES]
    if not cues or not words:
        return False
    return all(any(w == c for c in canon[cues[0] + 1:]) for w in words)


def _appears(entity: str, other: ClaimFeatures) -> bool:
    if entity in other.mentions:
        return True
    words = entity.split()
    if all(w in other.mentions or w in other.voice.name_tokens for w in words):
        return True
    # A lone capitalised word is often a common noun opening the sentence ("Snowfall closed 30
    # schools"): the other claim mentions it when it has the word or a synonym ("heavy snow").
    return len(words) == 1 and canonical_word(entity) in other.canon


def _opposite_words(fa: ClaimFeatures, fb: ClaimFeatures) -> tuple[str, str] | None:
    """Return a word of each claim that the other lacks and that state opposites, or None.

    Reporting verbs are not content ("added" is set aside as in "..., he added"), so "cut 1,200
    jobs" and "added 1,200 jobs" differ by no content word: the listed opposites and other
    kinds (:func:`.semantic.listed_opposites`) catch such a pair.
    """
    ta, tb = set(fa.tokens), set(fb.tokens)
    return listed_opposites(ta - tb, tb - ta)


def _exclusive_entities(fa: ClaimFeatures, fb: ClaimFeatures) -> tuple[list[str], list[str]]:
    only_a = [e for e in fa.entities if not _appears(e, fb)]
    only_b = [e for e in fb.entities if not _appears(e, fa)]
    return only_a, only_b


# Core-term Dice overlap below which two claims of opposite polarity say too much else to be
# "X" and "not X": a short claim contained in a long one ("There were no bids for Anelka" in
# "Benitez will avoid a bidding war and turn to Anelka") is not its negation.
MIN_POLARITY_DICE = 0.4
# The article id the CLI gives bare texts: it says nothing about where a claim was published.
_UNKNOWN_ARTICLE = "cli"
# Units a bare number cannot be a figure of: "Radio 1" is not "one half" (50%).
_MEASURED_UNITS = frozenset({"%", "USD", "EUR", "GBP", "JPY", "CNY", "INR"})


def _unfit(fa: ClaimFeatures, fb: ClaimFeatures, compatible: bool) -> str | None:
    """Return why two aligned claims cannot contradict each other whatever their content, or None."""
    for f in (fa, fb):
        if f.uncheckable is not None:
            return f"{_quote(f)} cannot be checked ({f.uncheckable})"
    article = fa.claim.article_id
    if article == fb.claim.article_id and article != _UNKNOWN_ARTICLE and compatible:
        # One account in one article: its parts (a monthly and a yearly figure, a plan and a
        # caveat) are read together, not against each other.
        return "both come from one account in one article"
    if (fa.self_reference or fb.self_reference) and not (
            fa.voice.name is not None and fb.voice.name is not None and compatible):
        # "I'm disappointed" said by two people is two facts about two people.
        return "a claim about its own speaker cannot contradict another speaker's"
    return None


def _two_articles(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    """Return True when the claims come from two known, different articles."""
    a, b = fa.claim.article_id, fb.claim.article_id
    return a != b and _UNKNOWN_ARTICLE not in (a, b)


def _polarity_off_topic(fa: ClaimFeatures, fb: ClaimFeatures, by_negation: bool) -> str | None:
    """Return why an opposite polarity is not "X" against "not X", or None when it is."""
    speakers = fa.speaker_terms | fb.speaker_terms
    ca, cb = fa.core_terms - speakers, fb.core_terms - speakers
    dice = 2 * len(ca & cb) / (len(ca) + len(cb)) if ca and cb else 0.0
    if dice < MIN_POLARITY_DICE:
        return f"the claims share too little beyond the clash (overlap {dice:.2f})"
    if by_negation:
        negated, other = (fa, fb) if fa.text_negated else (fb, fa)
        if negated.negation_scope and not (negated.negation_scope & other.canon):
            return (f"the negation in {_quote(negated)} is about "
                    f"\"{', '.join(sorted(negated.negation_scope))}\", which the other claim does not state")
    return None


def _clear_clashes(fa: ClaimFeatures, fb: ClaimFeatures) -> list[tuple[Amount, Amount]]:
    """Return the figure clashes that are unambiguous: one figure of a unit on each side.

    A figure both claims state anchors them and is set aside; a bare number is not a percentage
    or a sum of money; and when a side still lists several figures of the clashing unit ("7
    nominations while the other has 11", "3% and 1.2% in the two regions") which one is about
    the other claim's subject cannot be told, so there is no clash to report.
    """
    xs = [a for a in fa.amounts if not a.is_year]
    ys = [a for a in fb.amounts if not a.is_year]
    left_x = [x for x in xs if not any(x.close_to(y) or x.value == y.value for y in ys)]
    left_y = [y for y in ys if not any(y.close_to(x) or x.value == y.value for x in xs)]
    clear = []
    for x, y in conflicting_amounts(left_x, left_y):
        if x.unit != y.unit and (x.unit in _MEASURED_UNITS or y.unit in _MEASURED_UNITS):
            continue
        unit = x.unit or y.unit
        if sum(a.unit == unit for a in left_x) > 1 or sum(a.unit == unit for a in left_y) > 1:
            continue
        clear.append((x, y))
    return clear


def _who(f: ClaimFeatures) -> str:
    claim = f.claim
    who = claim.speaker or claim.source or "the outlet"
    if claim.speaker and claim.speaker_role:
        who = f"{claim.speaker} ({claim.speaker_role})"
    return f"{who} on {f.day.isoformat()}" if f.day else who


def _quote(f: ClaimFeatures, limit: int = 90) -> str:
    text = f.claim.text.strip()
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'


def _fmt(amount: Amount, f: ClaimFeatures) -> str:
    """The amount as the claim writes it: "1,200 jobs", not the unit matching compares ("worker")."""
    return as_written(amount.text, None if amount.is_year else amount.unit, f.claim.text)


def _later(fa: ClaimFeatures, fb: ClaimFeatures) -> int:
    """Return 1 when b is later than a, -1 when earlier, 0 when unknown or the same time."""
    ta = fa.claim.published_at
    tb = fb.claim.published_at
    if fa.claim.claim_time and fb.claim.claim_time and fa.claim.claim_time != fb.claim.claim_time:
        return 1 if fb.claim.claim_time > fa.claim.claim_time else -1
    if ta and tb and ta != tb:
        return 1 if tb > ta else -1
    return 0


def _is_update(fa: ClaimFeatures, fb: ClaimFeatures, clashes: list[tuple[Amount, Amount]]) -> bool:
    """Return True when a cumulative count grows in the later report (an update, not a contradiction)."""
    if not (fa.cumulative or fb.cumulative):
        return False
    order = _later(fa, fb)
    if order == 0:
        return False
    return all((y.value > x.value) == (order == 1) for x, y in clashes)


def _different_times(fa: ClaimFeatures, fb: ClaimFeatures) -> bool:
    if fa.day and fb.day and fa.day != fb.day:
        return True
    return False


def compare(a: Claim, b: Claim) -> PairVerdict:
    """Decide whether two claims are one fact, contradictory facts, or unrelated.

    Duplicates need similar content and agreeing numbers, negation, modality, speakers and
    entities. Contradictions need aligned content (similar once numbers, negation, hedges and
    antonyms are set aside), two firm claims, and one clash: incompatible values (numeric),
    opposite polarity (negation, antonym; stance_reversal when one speaker at two times;
    conflicting_report when two incompatible named speakers report an event), or one exclusive
    slot filled differently by two sources (conflicting_report). Updates over time, hedges,
    different scopes and disputes between speakers are not contradictions.
    """
    return compare_features(analyse(a), analyse(b))


def _scope_difference(fa: ClaimFeatures, fb: ClaimFeatures) -> frozenset[str]:
    """Return the scope words ("northern", "rural", "domestic") only one of the claims has."""
    ta, tb = frozenset(fa.tokens), frozenset(fb.tokens)
    only = (ta ^ tb) & SCOPE_WORDS
    return frozenset(w for w in only if not SCOPE_EQUIVALENTS.get(w, frozenset()) & (tb if w in ta else ta))


def might_relate(fa: ClaimFeatures | Screen, fb: ClaimFeatures | Screen) -> bool:
    """Return False when the pair is certainly "none": neither a restatement nor about one thing.

    The first test of :func:`compare_features`, so skipping a pair it rules out can never change
    a verdict. Argument order as in that call.
    """
    return fa.text_key == fb.text_key or _screened(fa, fb)[0]


def _screened(fa: ClaimFeatures | Screen, fb: ClaimFeatures | Screen) -> tuple[bool, float, float]:
    """Whether the pair might relate, with its similarity and aligned-content similarity."""
    sim = similarity(fa, fb)
    core = _core_similarity(fa, fb)
    return (fa.text_key == fb.text_key or sim >= DUPLICATE_THRESHOLD or core >= ALIGNED_THRESHOLD), sim, core


def compare_features(fa: ClaimFeatures, fb: ClaimFeatures) -> PairVerdict:
    """Compare two already analysed claims (see :func:`compare`)."""
    related, sim, core = _screened(fa, fb)
    if not related:
        # Neither a restatement nor about the same thing: the rules below would all end in
        # "none". Deciding it here skips their cost for the great majority of candidate pairs.
        return PairVerdict("none", None, round(sim, 3),
                           f"Different statements (similarity {sim:.2f}, aligned content {core:.2f}).")
    compatible = speakers_compatible(fa.voice, fb.voice)
    only_a, only_b = _exclusive_entities(fa, fb)
    entities_clash = bool(only_a and only_b)
    years_a, years_b = years(list(fa.amounts)), years(list(fb.amounts))
    times_clash = bool((fa.times and fb.times and not (fa.times <= fb.times or fb.times <= fa.times))
                       or (years_a and years_b and years_a != years_b))
    slot_flip = [s for s in fa.slots if s in fb.slots and fa.slots[s] != fb.slots[s]]
    negation_flip = fa.negated != fb.negated
    polarity_clash = (bool(slot_flip) != negation_flip) if slot_flip else negation_flip
    number_clashes = conflicting_amounts(list(fa.amounts), list(fb.amounts))
    numbers_same = amounts_agree(list(fa.amounts), list(fb.amounts)) or amounts_agree(
        without_incidental_spans(fa.normalized, list(fa.amounts), list(fb.amounts)),
        without_incidental_spans(fb.normalized, list(fb.amounts), list(fa.amounts)))

    # A one- or two-word swap in otherwise equal claims ("killed"/"injured", "rail workers"/
    # "bus drivers") is a different fact far more often than a rewording the synonym list misses.
    speakers = fa.speaker_terms | fb.speaker_terms
    only_terms_a, only_terms_b = _variants_removed(fa.terms - fb.terms - speakers,
                                                   fb.terms - fa.terms - speakers)
    swapped = bool(only_terms_a and only_terms_b) and max(len(only_terms_a), len(only_terms_b)) <= MAX_SWAP
    # "Unemployment in northern Verania" is not unemployment in Verania: a scope word on one
    # side only narrows or widens what the claim covers.
    scope_only = _scope_difference(fa, fb)
    agree = (compatible and numbers_same and not negation_flip and not slot_flip and not scope_only
             and fa.hedged == fb.hedged and not entities_clash and not times_clash
             and (sim >= DUPLICATE_THRESHOLD or fa.text_key == fb.text_key))
    # Unless the swapped words restate each other ("prison"/"jail"): word embeddings decide,
    # with antonyms, converses, names and other kinds of thing vetoed (see .semantic). Asked
    # only here, after every cheap check has passed, so few pairs pay for it.
    rewording: Rewording | None = None
    if swapped and agree:
        rewording = reworded(fa, fb, only_terms_a, only_terms_b)

    # 1. Same fact? Unless a word only one side has states the opposite of one only the other has.
    if agree and (not swapped or rewording is not None) and _opposite_words(fa, fb) is None \
            and (fa.text_key == fb.text_key or rewording is not None or _dice(fa, fb) >= MIN_DUPLICATE_DICE):
        score = 1.0 if fa.text_key == fb.text_key else sim
        who = "" if fa.voice.name is None or fb.voice.name is None or fa.voice.name == fb.voice.name \
            else f" ({fa.claim.speaker} and {fb.claim.speaker} speak for the same side)"
        words = f"; {rewording.describe()}" if rewording is not None else ""
        return PairVerdict("duplicate", None, round(min(1.0, score), 3),
                           f"Same fact{who}: {_quote(fa)} and {_quote(fb)} agree on numbers, negation, "
                           f"modality, speaker and entities (similarity {sim:.2f}{words}).")

    if fa.hedged or fb.hedged:
        hedged = fa if fa.hedged else fb
        return PairVerdict("none", None, round(sim, 3),
                           f"No contradiction: {_quote(hedged)} is hedged (\"{hedged.hedge}\"), "
                           "so it cannot contradict a firm statement.")
    if core < ALIGNED_THRESHOLD:
        return PairVerdict("none", None, round(sim, 3),
                           f"Different statements (similarity {sim:.2f}, aligned content {core:.2f}).")
    unfit = _unfit(fa, fb, compatible)
    if unfit is not None:
        return PairVerdict("none", None, round(sim, 3), f"No contradiction: {unfit}.")

    # Polarity as the texts state it: the extractor may read a negation from the sentence around
    # a claim, but an editor sees only the two texts, and identical texts cannot contradict.
    negation_flip = fa.text_negated != fb.text_negated
    polarity_clash = (bool(slot_flip) != negation_flip) if slot_flip else negation_flip
    clear_clashes = _clear_clashes(fa, fb) if number_clashes else []

    both_named = fa.voice.name is not None and fb.voice.name is not None
    order = _later(fa, fb)
    # Words on each side that the other lacks, once numbers, negation, hedges and antonyms are
    # set aside: "prime minister" vs "foreign minister", "defence" vs "education" spending.
    # With such a swap the claims are about different subjects or scopes, not in conflict.
    core_only_a, core_only_b = _variants_removed(fa.core_terms - fb.core_terms - speakers,
                                                 fb.core_terms - fa.core_terms - speakers)
    other_subject = bool(core_only_a and core_only_b)
    # One side only adds a qualifier or a name: a part of the subject, or another subject.
    shared_core = (fa.core_terms & fb.core_terms) - speakers
    ent_words_a = {canonical_word(w) for e in only_a for w in e.replace("-", " ").split()}
    ent_words_b = {canonical_word(w) for e in only_b for w in e.replace("-", " ").split()}
    if bool(core_only_a) != bool(core_only_b):
        extra_side, extra = (fa, core_only_a) if core_only_a else (fb, core_only_b)
        other_subject = _qualifies(extra_side, extra, shared_core, ent_words_a | ent_words_b)

    # 2. Numbers that cannot both be true about the same quantity.
    if clear_clashes and not polarity_clash and not entities_clash and not times_clash and not other_subject:
        if not (fa.named or fb.named) and _two_articles(fa, fb):
            # "Net profit rose 6%" is about whatever its article is about; two articles' unnamed
            # subjects are the same thing only by chance. A bare text (no article) stands alone.
            return PairVerdict("none", None, round(sim, 3),
                               "No contradiction: figures without a named subject or source, from two "
                               "articles, may be about two different things.")
        ta, tb = fa.claim.claim_time, fb.claim.claim_time
        if (ta and tb and ta != tb) or bool(fa.times) != bool(fb.times):
            return PairVerdict("none", None, round(sim, 3),
                               "No contradiction: the figures may be for different periods "
                               f"({', '.join(sorted(fa.times)) or ta or 'unstated'} and "
                               f"{', '.join(sorted(fb.times)) or tb or 'unstated'}).")
        if _is_update(fa, fb, clear_clashes):
            return PairVerdict("none", None, round(sim, 3),
                               "No contradiction: a later report of a growing count is an update "
                               f"({_quote(fa)} then {_quote(fb)}).")
        x, y = clear_clashes[0]
        score = min(1.0, 0.5 + 0.5 * core)
        return PairVerdict("contradiction", "numeric", round(score, 3),
                           f"Numeric conflict: {_who(fa)} says {_fmt(x, fa)}, {_who(fb)} says {_fmt(y, fb)} "
                           f"about the same thing ({_quote(fa)} vs {_quote(fb)}).")

    # 3. Opposite polarity: X vs not X, approved vs rejected.
    if polarity_clash and not number_clashes and not entities_clash and not times_clash and not other_subject:
        off = _polarity_off_topic(fa, fb, negation_flip and not slot_flip)
        if off is not None:
            return PairVerdict("none", None, round(sim, 3), f"No contradiction: {off}.")
        mechanism: ContradictionKind = "antonym" if slot_flip and not negation_flip else "negation"
        what = (f"uses the opposite of \"{slot_flip[0]}\"" if mechanism == "antonym"
                else "negates it")
        score = round(min(1.0, 0.45 + 0.5 * core), 3)
        if both_named and compatible and _different_times(fa, fb) and order != 0:
            first, second = (fa, fb) if order == 1 else (fb, fa)
            return PairVerdict("contradiction", "stance_reversal", score,
                               f"Stance reversal: {_who(first)} said {_quote(first)}; "
                               f"later {_who(second)} said {_quote(second)}.")
        if both_named and not compatible:
            if fa.stance or fb.stance or not (fa.eventive and fb.eventive):
                return PairVerdict("none", None, round(sim, 3),
                                   f"A dispute, not a contradiction: {fa.claim.speaker} and "
                                   f"{fb.claim.speaker} take opposite positions.")
            return PairVerdict("contradiction", "conflicting_report", score,
                               f"Conflicting reports: {_who(fa)} says {_quote(fa)}, while "
                               f"{_who(fb)} says {_quote(fb)}.")
        return PairVerdict("contradiction", mechanism, score,
                           f"{mechanism.capitalize()} conflict: {_quote(fb)} ({_who(fb)}) {what}: "
                           f"{_quote(fa)} ({_who(fa)}).")

    # 4. One exclusive slot (a date, a perpetrator, a winner) filled differently by two sources.
    # The slot is the only difference when the words that differ are the swapped names
    # themselves, or what follows a shared frame cue ("caused by an electrical fault" / "by arson").
    one_slot = bool(core_only_a and core_only_b) and (
        (core_only_a <= ent_words_a and core_only_b <= ent_words_b)
        or (_after_frame(fa, core_only_a) and _after_frame(fb, core_only_b)))
    if (not polarity_clash and not number_clashes and (times_clash or entities_clash or one_slot)
            and not (times_clash and entities_clash) and (core >= SUBSTITUTION_THRESHOLD or one_slot)):
        exclusive = times_clash or bool(set(fa.tokens) & set(fb.tokens) & EXCLUSIVE_FRAME_CUES)
        two_sources = (fa.claim.source != fb.claim.source) or not compatible
        if exclusive and two_sources and not (both_named and compatible and _different_times(fa, fb)):
            if times_clash:
                diff = f"{', '.join(sorted(fa.times) or map(str, map(int, years_a)))} vs " \
                       f"{', '.join(sorted(fb.times) or map(str, map(int, years_b)))}"
            else:
                diff = f"{', '.join(only_a)} vs {', '.join(only_b)}"
            return PairVerdict("contradiction", "conflicting_report", round(min(1.0, 0.4 + 0.5 * core), 3),
                               f"Conflicting reports of one event ({diff}): {_who(fa)} says {_quote(fa)}, "
                               f"{_who(fb)} says {_quote(fb)}.")

    return PairVerdict("none", None, round(sim, 3),
                       f"Related but neither the same fact nor a contradiction (similarity {sim:.2f}).")
