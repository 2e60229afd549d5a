"""Cheap language identification: script first, then function-word counts for Latin script.

The rule-based extractor only understands English; knowing the language lets the processor
skip other articles instead of emitting nonsense claims. No model is needed: function words
separate the major Latin-script news languages reliably on a few hundred characters.
"""

from __future__ import annotations

import re

# Enough text to be sure, little enough to stay cheap on very long articles.
_SAMPLE_CHARS = 3000
# Below this many function-word hits the sample is too short or too odd to judge.
_MIN_HITS = 3

_WORD_RE = re.compile(r"[^\W\d_]+")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is was that for on with as by it at from his her said are were has have".split()
    ),
    "fr": frozenset(
        "le la les des du et est une dans que pour sur avec pas qui au aux ce il elle sont".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine mit den dem sich auf für von zu im auch es wurde sind".split()
    ),
    "es": frozenset("el la los las del y es una en que por con para se su al como pero más fue".split()),
    "it": frozenset("il la che di e è un una per con non sono del della gli nel ha anche".split()),
    "pt": frozenset("o a os as do da dos das e é um uma em que para com não se no na foi".split()),
    "nl": frozenset("de het een en van is dat op te in met voor niet zijn werd ook aan".split()),
}

# Non-Latin scripts decide the language (or its family) by themselves.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code for ``text``, or None when it cannot be told."""
    sample = text[:_SAMPLE_CHARS]
    latin = len(_LATIN_RE.findall(sample))
    for code, script in _SCRIPTS:
        hits = len(script.findall(sample))
        if hits and hits >= latin:
            # Ukrainian letters only count when the text is Cyrillic at all.
            if code == "uk" and len(_SCRIPTS[4][1].findall(sample)) < latin:
                continue
            return code
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    scores = {code: sum(1 for w in words if w in vocab) for code, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.__getitem__)
    if scores[best] < _MIN_HITS:
        return None
    return best
