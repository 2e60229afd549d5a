"""Who said it: canonical speaker names and when two speakers count as the same voice.

The product treats a spokesperson, ministry or office as the voice of the person or
government it speaks for, and the outlet's own reporting (no speaker) as compatible with
anyone: "the plant closes in May" reported by an outlet, said by the CEO and put out in the
company's statement is one fact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from factstream.processors.matching.lexicon import AFFILIATION_ALIASES, REPRESENTATIVE_CUES, TITLES

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9.'\-]*")
# Words of a role that say nothing about whom the speaker belongs to.
_GENERIC_ROLE_WORDS = frozenset(
    "spokesman spokeswoman spokesperson spokespeople press secretary aide representative office "
    "official officials senior deputy head chief minister ministry department of the for and a an "
    "said statement government administration president prime chancellor foreign defence defense "
    "finance interior affairs spokes communications adviser advisor envoy to in at s".split()
)


@dataclass(frozen=True, slots=True)
class Voice:
    """A speaker reduced to what compatibility needs."""

    name: str | None
    name_tokens: frozenset[str]
    affiliations: frozenset[str]
    representative: bool
    # The organisation the role names ("chief executive of Northfield Steel"), as written.
    organisation: str | None = None


def canonical_speaker(name: str | None) -> str | None:
    """Return a speaker's canonical name: lower case, no titles.

    "President Vladimir Putin" becomes "vladimir putin".
    """
    if not name or not name.strip():
        return None
    text = unicodedata.normalize("NFKC", name).lower().replace("\u2019", "'")
    words = [w.strip(".'") for w in _WORD_RE.findall(text)]
    kept = [w for w in words if w not in TITLES] or words
    return " ".join(kept) or None


def _affiliations(text: str) -> set[str]:
    text = text.lower()
    found = {country for alias, country in AFFILIATION_ALIASES.items()
             if " " in alias and alias in text}
    for word in _WORD_RE.findall(text):
        word = re.sub(r"'s$", "", word.strip(".'"))
        if word in AFFILIATION_ALIASES:
            found.add(AFFILIATION_ALIASES[word])
        elif word not in _GENERIC_ROLE_WORDS and word not in TITLES and len(word) > 2:
            found.add(word)
    return found


# "chief executive of Northfield Steel", "spokeswoman for the Kremlin": the organisation named.
_ORGANISATION_RE = re.compile(
    r"\b(?:of|for)\s+(?:the\s+)?(?P<org>[A-Z][\w&'.\-]*(?:\s+(?:&\s+)?[A-Z][\w&'.\-]*)*)\s*$"
)
# Roles held no longer: a former chief executive no longer speaks for the company.
_PAST_ROLE_WORDS = frozenset({"former", "ex", "ex-", "late"})


@lru_cache(maxsize=16384)
def voice(name: str | None, role: str | None) -> Voice:
    """Describe a speaker from its name and role for :func:`speakers_compatible`."""
    canonical = canonical_speaker(name)
    role_text = (role or "").lower()
    name_text = (name or "").lower()
    role_words = set(_WORD_RE.findall(role_text))
    name_words = {w.strip(".'").removesuffix("'s") for w in _WORD_RE.findall(name_text)}
    organisation = bool(name_words & REPRESENTATIVE_CUES)
    representative = organisation or bool(role_words & REPRESENTATIVE_CUES) or "press secretary" in role_text
    affiliations = _affiliations(role_text)
    past = bool(role_words & _PAST_ROLE_WORDS) or role_text.startswith("ex-")
    if past:
        affiliations, representative = set(), False
    named = _ORGANISATION_RE.search(role or "")
    if organisation:
        # An organisation speaking ("the Kremlin", "Ukraine's foreign ministry") belongs to itself.
        affiliations |= _affiliations(name_text)
    elif canonical:
        # A country or body as speaker ("Russia", "the Kremlin") is its own affiliation.
        mapped = AFFILIATION_ALIASES.get(canonical)
        if mapped:
            affiliations.add(mapped)
    tokens = frozenset(canonical.split()) if canonical else frozenset()
    return Voice(canonical, tokens, frozenset(affiliations), representative,
                 named.group("org") if named and not past else None)


def _same_person(a: Voice, b: Voice) -> bool:
    if a.name == b.name:
        return True
    # "Putin" vs "Vladimir Putin": one name's words inside the other's, surname included.
    small, big = sorted((a.name_tokens, b.name_tokens), key=len)
    return bool(small) and small <= big


def speakers_compatible(a: Voice, b: Voice) -> bool:
    """Return True when two voices can be stating the same fact as one side.

    No speaker (the outlet's own reporting) fits anyone; the same person fits; a representative
    fits the person or body it speaks for (a shared affiliation, or its role naming them).
    """
    if a.name is None or b.name is None:
        return True
    if _same_person(a, b):
        return True
    for one, other in ((a, b), (b, a)):
        # A company or body as speaker and someone whose role names it ("Acme" / "Acme chief executive").
        if one.name and (one.name in other.affiliations
                         or (one.name_tokens and one.name_tokens <= other.affiliations)):
            return True
    if a.representative or b.representative:
        rep, other = (a, b) if a.representative else (b, a)
        named = {other.name} if other.name else set()
        if rep.affiliations & (other.affiliations | other.name_tokens | named):
            return True
        if other.representative and rep.affiliations & other.affiliations:
            return True
    return False


def same_named_speaker(a: Voice, b: Voice) -> bool:
    """Return True when both claims have a speaker and the speakers are one voice."""
    return a.name is not None and b.name is not None and speakers_compatible(a, b)
