"""Word meaning for the pair rules: whether the words two claims differ by say the same thing.

The duplicate rule in :mod:`.verdict` reads a one- or two-word swap in otherwise agreeing
claims as a different fact ("killed"/"injured", "Boeing"/"Airbus"), which also rejects
restatements with a synonym the word lists lack ("prison"/"jail", "faulty"/"defective"). This
module bridges such a swap when the embeddings of the swapped words are close.

Embeddings are WordLlama's (``l2_supercat``, 256 dimensions): a static token-embedding table
whose weights and tokenizer ship inside the ``wordllama`` wheel, so nothing is downloaded at
run time. A phrase's vector is the mean of its token vectors, as WordLlama pools a sentence.
The table and tokenizer are read straight from the installed package (without importing
``wordllama``, whose import configures the root logger) once per process, on first use.

Whole-sentence cosine is not used: it scores a predicate or antonym swap ("expel"/"summon"
three diplomats: 0.91) as high as a synonym restatement (0.89), because a static model
averages over the words both claims share. Between the swapped words alone, synonyms score
high (prison/jail 0.69) and co-hyponyms low (killed/injured 0.13, wheat/maize -0.04). Antonyms
and converses can score high too (husband/wife 0.70, imports/exports 0.64), so a match is
vetoed when the words are names, fill antonym slots of opposite sign, are listed as opposites
or as different kinds (:data:`.lexicon.OPPOSITE_WORDS`, :data:`.lexicon.DISTINCT_KINDS`), or
differ only by an opposing prefix ("imports"/"exports", "legal"/"illegal").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from factstream.processors.matching.lexicon import (
    ANTONYM_SLOTS,
    DISTINCT_KINDS,
    MONTHS,
    OPPOSING_PREFIXES,
    OPPOSITE_WORDS,
    SUPPORT_VERBS,
    SYNONYM_GROUPS,
    WEEKDAYS,
)
from factstream.processors.matching.text import canonical_word, stem
from factstream.processors.wordvectors import load_model

if TYPE_CHECKING:
    import numpy as np

    from factstream.processors.matching.features import ClaimFeatures

# Cosine between the swapped words (as one phrase per side) from which they restate each other.
# Chosen on the in-sample pairs and on word lists written apart from every gold set: synonyms
# mostly score 0.5-0.9 (prison/jail 0.69, build/construct 0.63, law/legislation 0.59), while
# news co-hyponyms not vetoed by the word lists stay below (profit/revenue 0.45, rates/prices
# 0.44, hired/fired 0.38). Precision first: some synonyms score lower (cut/shed 0.18) and stay apart.
SWAP_SYNONYM_THRESHOLD = 0.5
# Distinct words whose vectors are kept: the vocabulary of a news day is far smaller, and each
# entry is a 256-float vector (~1 KB), so the cache stays under ~50 MB.
WORD_CACHE_SIZE = 50_000
# Shortest common remainder for an opposing-prefix pair ("in|flow"/"out|flow" is read, "ex|it"
# is not).
_MIN_PREFIX_STEM = 3

_SLOT_SIGN: dict[str, tuple[str, int]] = {}
for _slot, (_pos, _neg) in ANTONYM_SLOTS.items():
    for _w in _pos:
        _SLOT_SIGN.setdefault(_w, (_slot, 1))
    for _w in _neg:
        _SLOT_SIGN.setdefault(_w, (_slot, -1))

_OPPOSITE_OF: dict[str, set[str]] = {}
for _left, _right in OPPOSITE_WORDS:
    for _a in _left:
        _OPPOSITE_OF.setdefault(canonical_word(_a), set()).update(canonical_word(b) for b in _right)
    for _b in _right:
        _OPPOSITE_OF.setdefault(canonical_word(_b), set()).update(canonical_word(a) for a in _left)
_KIND_OF: dict[str, set[int]] = {}
for _i, _group in enumerate(DISTINCT_KINDS):
    for _w in _group:
        _KIND_OF.setdefault(canonical_word(_w), set()).add(_i)


# The synonym groups indexed by member: a word by its form and crude stem, a phrase by the stem
# of its first word (then checked word by word).
_GROUP_WORDS: dict[str, set[int]] = {}
_GROUP_PHRASES: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
for _i, (_members, _context) in enumerate(SYNONYM_GROUPS):
    for _m in _members:
        _parts = _m.split()
        if len(_parts) == 1:
            _GROUP_WORDS.setdefault(_m, set()).add(_i)
            _GROUP_WORDS.setdefault(stem(_m), set()).add(_i)
        else:
            _GROUP_PHRASES.setdefault(stem(_parts[0]), []).append((_i, tuple(stem(w) for w in _parts)))
# Month and weekday names are times, compared elsewhere: "march" is not "marched".
_NOT_GROUPED = frozenset(MONTHS) | frozenset(WEEKDAYS)
# A context word ``#num``: the claim states a figure.
_NUM_CONTEXT = "#num"


# Words a phrase may be split by ("call the strike off", "cut hospital admissions by half").
_PHRASE_GAP = 3


def _phrase_at(stems: list[str], i: int, phrase: tuple[str, ...]) -> list[int]:
    """Return the positions of ``phrase`` starting at ``i``, its words in order with short gaps."""
    found = [i]
    for word in phrase[1:]:
        end = min(len(stems), found[-1] + 2 + _PHRASE_GAP)
        nxt = next((j for j in range(found[-1] + 1, end) if stems[j] == word), None)
        if nxt is None:
            return []
        found.append(nxt)
    return found


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _group_hits(tokens: tuple[str, ...]) -> dict[int, frozenset[int]]:
    """Return, per synonym group met in ``tokens``, the token positions its members cover."""
    stems = [stem(t) for t in tokens]
    hits: dict[int, set[int]] = {}
    for i, (token, st) in enumerate(zip(tokens, stems, strict=True)):
        if token in _NOT_GROUPED:
            continue
        for g in _GROUP_WORDS.get(token, set()) | _GROUP_WORDS.get(st, set()):
            hits.setdefault(g, set()).add(i)
        for g, phrase in _GROUP_PHRASES.get(st, ()):
            found = _phrase_at(stems, i, phrase)
            if found:
                hits.setdefault(g, set()).update(found)
    return {g: frozenset(p) for g, p in hits.items()}


def _in_context(f: ClaimFeatures, context: frozenset[str] | None) -> bool:
    if context is None:
        return True
    if _NUM_CONTEXT in context and any(not a.is_year for a in f.amounts):
        return True
    return any(t in context or stem(t) in context for t in f.tokens)


def _positions(f: ClaimFeatures, terms: frozenset[str]) -> list[int] | None:
    """Return the token positions of ``f`` behind canonical ``terms``, or None if one is missing."""
    positions = []
    for term in terms:
        if term.startswith("@"):
            slot, sign = term[1:-1], 1 if term.endswith("+") else -1
            found = [i for i, t in enumerate(f.tokens) if _SLOT_SIGN.get(t) == (slot, sign)]
        else:
            found = [i for i, t in enumerate(f.tokens) if canonical_word(t) == term]
        if not found:
            return None
        positions.extend(found)
    return positions


def _listed_synonyms(fa: ClaimFeatures, fb: ClaimFeatures, only_a: frozenset[str],
                     only_b: frozenset[str]) -> bool:
    """Return True when every swapped word on each side has a listed synonym the other side adds.

    A swapped word is bridged by a group of :data:`.lexicon.SYNONYM_GROUPS` (whose context, if
    any, both claims share) that also covers a word or phrase of the other claim that this claim
    lacks: "shed" in one claim and "cut" in the other, "walk out" and "strike".
    """
    pos_a, pos_b = _positions(fa, only_a), _positions(fb, only_b)
    if not pos_a or not pos_b:
        return False
    hits_a, hits_b = _group_hits(fa.tokens), _group_hits(fb.tokens)

    def bridged(f: ClaimFeatures, hits: dict[int, frozenset[int]], positions: list[int],
                other: ClaimFeatures, other_hits: dict[int, frozenset[int]]) -> bool:
        bridged_any = False
        for p in positions:
            if f.tokens[p] in SUPPORT_VERBS:
                continue
            ok = False
            for g, covered in hits.items():
                if p not in covered or g not in other_hits:
                    continue
                if not any(canonical_word(other.tokens[q]) not in f.canon for q in other_hits[g]):
                    continue  # the other claim's member is a word this claim has too
                context = SYNONYM_GROUPS[g][1]
                if _in_context(f, context) and _in_context(other, context):
                    ok = True
                    break
            if not ok:
                return False
            bridged_any = True
        return bridged_any

    return bridged(fa, hits_a, pos_a, fb, hits_b) and bridged(fb, hits_b, pos_b, fa, hits_a)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def phrase_vector(phrase: str) -> np.ndarray | None:
    """Return the unit vector of a word or short phrase (cached: each is embedded once)."""
    return load_model().vector(phrase)


def phrase_similarity(a: str, b: str) -> float:
    """Return the cosine of two words or phrases (0 when either has no token)."""
    va, vb = phrase_vector(a), phrase_vector(b)
    if va is None or vb is None:
        return 0.0
    return float(va @ vb)


@dataclass(frozen=True, slots=True)
class Rewording:
    """Evidence that two claims' differing words restate each other."""

    words_a: tuple[str, ...]
    words_b: tuple[str, ...]
    similarity: float
    listed: bool = False

    def describe(self) -> str:
        """Say which words were read as the same, for a verdict's explanation."""
        why = "listed synonyms" if self.listed else f"word similarity {self.similarity:.2f}"
        return f"\"{' '.join(self.words_a)}\" and \"{' '.join(self.words_b)}\" mean the same here ({why})"


def _surface(f: ClaimFeatures, terms: frozenset[str]) -> list[str] | None:
    """Return the words of ``f`` behind canonical ``terms`` ("@rise-" -> "cut"), or None if one is missing."""
    words = []
    for term in sorted(terms):
        if term.startswith("@"):
            slot, sign = term[1:-1], 1 if term.endswith("+") else -1
            found = [t for t in f.tokens if _SLOT_SIGN.get(t) == (slot, sign)]
        else:
            found = [t for t in f.tokens if canonical_word(t) == term]
        if not found:
            return None
        words.append(found[0])
    return words


def _slot_signs(words: list[str]) -> set[int]:
    return {_SLOT_SIGN[w][1] for w in words if w in _SLOT_SIGN}


def _prefix_opposites(x: str, y: str) -> bool:
    """Return True for words that differ only by opposing prefixes ("imports"/"exports", "illegal")."""
    for p, q in OPPOSING_PREFIXES:
        for u, v in ((x, y), (y, x)):
            if u.startswith(p) and v.startswith(q) and u[len(p):] == v[len(q):] \
                    and len(u) - len(p) >= _MIN_PREFIX_STEM:
                return True
    return False


def listed_opposites(xs: set[str], ys: set[str]) -> tuple[str, str] | None:
    """Return a word of ``xs`` and one of ``ys`` listed as opposites or as other kinds, or None.

    Only the word lists (:data:`.lexicon.OPPOSITE_WORDS`, :data:`.lexicon.DISTINCT_KINDS`) are
    read, by canonical form: cheap enough to ask of every duplicate verdict.
    """
    ca = {canonical_word(x): x for x in xs}
    cb = {canonical_word(y): y for y in ys}
    ca = {c: w for c, w in ca.items() if c in _OPPOSITE_OF or c in _KIND_OF}
    if not ca:
        return None
    for c, w in cb.items():
        if c in _OPPOSITE_OF or c in _KIND_OF:
            for d, v in ca.items():
                if d != c and (c in _OPPOSITE_OF.get(d, ())
                               or _KIND_OF.get(d, set()) & _KIND_OF.get(c, set())):
                    return v, w
    return None


def _opposed(x: str, y: str) -> bool:
    cx, cy = canonical_word(x), canonical_word(y)
    if cx == cy:
        return False
    if cy in _OPPOSITE_OF.get(cx, ()):
        return True
    if _KIND_OF.get(cx, set()) & _KIND_OF.get(cy, set()):
        return True
    return _prefix_opposites(x, y)


def _named(f: ClaimFeatures, words: list[str]) -> bool:
    """Return True when one of ``words`` is part of a name the claim mentions ("Boeing", "Tatra")."""
    name_words = {w for e in f.entities for w in e.replace("-", " ").split()}
    return any(w in name_words for w in words)


def reworded(fa: ClaimFeatures, fb: ClaimFeatures, only_a: frozenset[str],
             only_b: frozenset[str]) -> Rewording | None:
    """Return evidence that the terms only ``fa`` has and those only ``fb`` has say the same, or None.

    ``only_a``/``only_b`` are canonical content terms (as in ``ClaimFeatures.terms``) of a small
    swap. They restate each other when each is a listed synonym of a word the other side adds
    (:data:`.lexicon.SYNONYM_GROUPS`), or else when the cosine of their words, pooled as one phrase per side,
    reaches :data:`SWAP_SYNONYM_THRESHOLD`, and no veto applies: a name on either side, antonym
    slots of opposite sign, a listed opposite or different kind, or an opposing prefix.
    """
    words_a, words_b = _surface(fa, only_a), _surface(fb, only_b)
    if not words_a or not words_b:
        return None
    if _named(fa, words_a) or _named(fb, words_b):
        return None
    if any(_opposed(x, y) for x in words_a for y in words_b):
        return None
    slots = {_SLOT_SIGN[w] for w in words_a + words_b if w in _SLOT_SIGN}
    if len({slot for slot, _ in slots}) < len(slots):
        return None  # one antonym slot filled with both signs ("raised"/"cut")
    if _listed_synonyms(fa, fb, only_a, only_b):
        # Curated groups: words of two different slots may restate each other ("raised" and
        # "lifted" a rate), which the embeddings below are not trusted with.
        return Rewording(tuple(words_a), tuple(words_b), 1.0, listed=True)
    if len(_slot_signs(words_a) | _slot_signs(words_b)) > 1:
        return None
    score = phrase_similarity(" ".join(words_a), " ".join(words_b))
    if score < SWAP_SYNONYM_THRESHOLD:
        return None
    return Rewording(tuple(words_a), tuple(words_b), round(score, 3))
