"""The screen: what a candidate is checked on before it is built and compared in full.

A stored tracked claim keeps, next to its match features, the few of them the first test of
:func:`.verdict.compare_features` reads (:class:`Screen`): its text key and its content,
aligned-content and speaker terms. The store reads them with every ranked candidate id, and
a candidate the screen rules out (certainly neither a restatement nor about the same thing)
is never read in full. At a million stored claims most ranked candidates share only a speaker
or an entity with the claim, so most are never built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factstream.processors.matching.features import FEATURES_VERSION


@dataclass(frozen=True, slots=True)
class Screen:
    """A claim's text key and term sets: all :func:`.verdict.might_relate` reads of it."""

    text_key: str
    terms: frozenset[str]
    core_terms: frozenset[str]
    speaker_terms: frozenset[str]


def screen_of_features(stored: dict[str, Any]) -> list[Any]:
    """Return the stored screen (``tracked_claims.match_screen``) of stored match features."""
    return [stored["v"], stored["text_key"], stored["terms"], stored["core_terms"], stored["speaker_terms"]]


def restore_screen(stored: list[Any] | None) -> Screen | None:
    """Return the screen stored for a tracked claim, or None when absent or written by other rules."""
    if not stored or stored[0] != FEATURES_VERSION:
        return None
    _, text_key, terms, core_terms, speaker_terms = stored
    return Screen(text_key, frozenset(terms), frozenset(core_terms), frozenset(speaker_terms))
