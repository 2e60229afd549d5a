"""How much a claim deserves a fact-checker's time, as a score in [0, 1].

Checkable claims name actors, count things, date events and report what someone said;
opinion, atmosphere and hedged speculation are worth less. The weights are hand-set so that
a dated, numeric claim by a named speaker lands near 0.9 and colour writing below 0.4.
"""

from __future__ import annotations

import re

from schemas.records import Quantity

_BASE = 0.35
_NUMBER_WEIGHT = 0.25
_SPEAKER_WEIGHT = 0.15
_ENTITY_WEIGHT = 0.1
_TIME_WEIGHT = 0.1
_EVENT_WEIGHT = 0.1
_HEDGE_PENALTY = 0.1
_OPINION_PENALTY = 0.25
_SHORT_PENALTY = 0.15
# Fewer words than this is usually a fragment or a caption.
_SHORT_WORDS = 7

_EVENT_RE = re.compile(
    r"\b(?:killed|died|dead|injured|wounded|arrested|charged|convicted|jailed|sentenced|won|lost|beat|"
    r"signed|agreed|voted|elected|resigned|appointed|sacked|fired|launched|announced|pledged|deployed|"
    r"rose|fell|increased|decreased|cut|raised|grew|shrank|doubled|halved|closed|opened|built|banned|"
    r"approved|rejected|invaded|attacked|struck|seized|released|published|recorded|reported|found|"
    r"discovered|confirmed|scored|sold|bought|acquired|merged|paid|fined|sued|ruled)\b",
)
_OPINION_RE = re.compile(
    r"\b(?:i think|i believe|i feel|in my view|in my opinion|we hope|i hope|wonderful|terrible|amazing|"
    r"fantastic|brilliant|awful|delighted|disappointed|proud|sad|happy|excited|as ever|remains to be seen|"
    r"time will tell|of course|it is what it is|appears? as)\b",
)


def score(
    text: str,
    *,
    numbers: list[Quantity],
    speaker: str | None,
    entities: list[str],
    has_time: bool,
    hedged: bool,
) -> float:
    """Return the checkworthiness of a claim from its features."""
    value = _BASE
    if numbers:
        value += _NUMBER_WEIGHT
    if speaker:
        value += _SPEAKER_WEIGHT
    if entities:
        value += _ENTITY_WEIGHT
    if has_time:
        value += _TIME_WEIGHT
    # Both patterns are lowercase: matching lowered text is much faster than IGNORECASE.
    lowered = text.lower()
    if _EVENT_RE.search(lowered):
        value += _EVENT_WEIGHT
    if hedged:
        value -= _HEDGE_PENALTY
    if _OPINION_RE.search(lowered):
        value -= _OPINION_PENALTY
    if len(text.split()) < _SHORT_WORDS:
        value -= _SHORT_PENALTY
    return round(min(1.0, max(0.0, value)), 3)
