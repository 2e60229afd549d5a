"""What a claim is about: named people, organisations and places, normalised per article."""

from __future__ import annotations

import re
from collections.abc import Iterable

from factstream.processors.extract.lexicon import DEMONYMS, HONORIFICS, TITLE_WORDS
from factstream.processors.extract.speakers import ACRONYM, NAME_TOKEN, PERSON_RE, UP, Discourse

_CAPSEQ_RE = re.compile(
    rf"(?<![\w.-])(?=[{UP}])(?:{ACRONYM}|{NAME_TOKEN})(?:\s+(?:(?:of|for|the|de|du|von|van)\s+)*(?:{ACRONYM}|{NAME_TOKEN}))*"
)
_TITLE_TOKENS = frozenset(w for t in TITLE_WORDS for w in t.split()) | frozenset(HONORIFICS)
# A sentence opens with a capital; such a lone word is a name only if the article names it elsewhere.
_OPENING_CHARS = " \t\n\"“‘'(—–-"


def _normalise(phrase: str) -> str:
    tokens = phrase.split()
    while tokens and (tokens[0] in _TITLE_TOKENS or tokens[0].split("-")[0] in DEMONYMS):
        tokens = tokens[1:]
    while tokens and tokens[-1] in _TITLE_TOKENS:
        tokens = tokens[:-1]
    if not tokens:
        return ""
    phrase = " ".join(tokens)
    if "." in phrase and phrase.replace(".", "").isupper():
        phrase = phrase.replace(".", "")
    return phrase


def find_entities(
    text: str, discourse: Discourse, exclude: str | None = None,
    person_matches: Iterable[re.Match[str]] | None = None, offset: int = 0,
) -> list[str]:
    """Return the normalised named entities of ``text`` in order of first mention.

    ``person_matches`` are :data:`PERSON_RE` matches over a larger string in which ``text``
    starts at ``offset``; those inside ``text`` are used instead of searching it again.
    """
    found: dict[str, None] = {}
    masked = list(text)
    if person_matches is None:
        person_matches, offset = PERSON_RE.finditer(text), 0
    end_of_text = offset + len(text)
    for match in person_matches:
        start, end = match.start() - offset, match.end() - offset
        if start < 0 or match.end() > end_of_text:
            continue
        name = match.group("name")
        if match.group("role") or match.group("hon") or len(name.split()) >= 2:
            if name.split()[0] in DEMONYMS:
                continue
            found[discourse.canonical(name)] = None
            masked[start:end] = " " * (end - start)
    rest = "".join(masked)
    for match in _CAPSEQ_RE.finditer(rest):
        phrase = _normalise(match.group(0))
        if not phrase:
            continue
        at_start = not rest[: match.start()].strip(_OPENING_CHARS)
        prev = rest[: match.start()].rstrip(" ")
        at_start = at_start or prev.endswith((".", "“", '"', "‘", ":", "?", "!"))
        canonical = discourse.canonical(phrase)
        if at_start and " " not in phrase and canonical not in discourse.people and not phrase.isupper():
            continue
        found[canonical] = None
    if exclude:
        found.pop(exclude, None)
    return list(found)
