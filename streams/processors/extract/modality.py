"""Hedges and denials: what keeps a later stage from reading "may" or "did not" as a plain fact.

Cues are matched on the claim's own words (for a direct quote, the quoted words plus the
reporting verb), so a negation elsewhere in the sentence does not flip the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ordered by how clearly each cue signals doubt; the first one found is reported.
# "would" and "can" are left out: in news they mostly state conditions or abilities
# ("troops would be legitimate targets"), which are asserted.
HEDGE_CUES = (
    "probably", "possibly", "perhaps", "maybe", "likely", "unlikely", "reportedly", "allegedly",
    "apparently", "is expected to", "are expected to", "was expected to", "were expected to",
    "is believed to", "are believed to", "is thought to", "are thought to", "is understood to",
    "appears to", "appear to", "appeared to", "seems to", "seem to", "seemed to", "appear",
    "may", "might", "could", "should", "ready for", "ready to", "willing to", "prepared to",
    "considering", "would consider", "hopes to", "hope to", "hoping to", "aims to", "unclear", "not clear",
    "hinted", "hints", "suggested", "suggests", "speculated", "signalled", "signaled", "indicated",
    "predicted", "predicts", "estimated", "an estimated", "rumoured", "rumored", "if confirmed",
    # A hypothetical asserts nothing: "What if Joss Stone won the Urban awards."
    "what if",
)

# Negation and denial cues. "not only" and "whether or not" are not negations; "could not"
# is a negated ability, not a hedge (handled below).
NEGATION_CUES = (
    "not", "n't", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "no longer",
    "denied", "denies", "deny", "denying", "rejected", "rejects", "reject", "rejecting", "dismissed",
    "dismisses", "dismissing", "refused", "refuses", "refusing", "ruled out", "rules out", "refuted",
    "has yet to", "have yet to", "had yet to", "failed to", "fails to", "declined to", "declines to",
)

_HEDGE_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(HEDGE_CUES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_NEGATION_RE = re.compile(
    r"(?:\b(?:not only|whether or not|no doubt|nothing but|no matter)\b)|"
    r"(n't\b|\b(?:"
    + "|".join(re.escape(c) for c in sorted(NEGATION_CUES, key=len, reverse=True) if c != "n't")
    + r")\b)",
    re.IGNORECASE,
)
# "could not", "couldn't": an ability denied, which is a negation and no hedge.
_COULD_NOT_RE = re.compile(r"\bcould(?:\s+not|n't)\b", re.IGNORECASE)
# "No." as a sentence or an ordinal abbreviation ("No. 10") is no negation.
_NO_ABBREV_RE = re.compile(r"\bNo\.\s*\d")
# "May" capitalised mid-sentence is the month or a name, not the modal.
_MAY_NAME_RE = re.compile(r"(?<!^)(?<![.!?]\s)\bMay\b")

# A non-restrictive relative clause ("Varga, who had not dropped a set, said ...") is an aside
# about someone; its "not" does not negate the main claim. Its hedges still count: the claim
# carries the aside's numbers ("The trial, which is expected to last three weeks, ..."), and
# those are as uncertain as the aside says.
_RELATIVE_CLAUSE_RE = re.compile(r",\s+(?:who|whom|whose|which)\b[^,;“”\"]*,")

_HEDGE_RANK = {cue: rank for rank, cue in enumerate(HEDGE_CUES)}
# Denials that are no negation cue in a claim's own words ("the disputed border"), only as
# the verb that reports it ("Her evidence was disputed by ...").
DENIAL_VERBS = frozenset({"disputed", "disputes", "contested", "contests", "refuted", "refutes"})
# Verbs of belief hedge a claim only as its reporting verb ("Officers believe the car was blue");
# inside the claim's own words they are mostly no doubt at all ("We expect conditions to improve").
BELIEF_VERBS = frozenset(
    {"believe", "believes", "expect", "expects", "think", "thinks", "suspect", "suspects", "fear", "fears"}
)


@dataclass(frozen=True, slots=True)
class Modality:
    """The modality verdict of one claim."""

    hedged: bool
    hedge: str | None
    negated: bool
    negation: str | None


def analyse(text: str, reporting_verb: str | None = None) -> Modality:
    """Find the hedge and negation cues of a claim's words (and its reporting verb)."""
    words = text if reporting_verb is None else f"{text} {reporting_verb}"
    could_not = _COULD_NOT_RE.search(words) is not None
    best: str | None = None
    for match in _HEDGE_RE.finditer(words):
        cue = match.group(1).lower()
        if cue == "could" and could_not:
            continue
        if (cue == "may" and match.group(1) == "May"
                and _MAY_NAME_RE.search(words, match.start(), match.end() + 1)):
            continue
        if best is None or _HEDGE_RANK.get(cue, 99) < _HEDGE_RANK.get(best, 99):
            best = cue
    negation = None
    if "," in words:
        words = _RELATIVE_CLAUSE_RE.sub(",", words)
    if not _NO_ABBREV_RE.search(words):
        for match in _NEGATION_RE.finditer(words):
            if match.group(1):
                negation = match.group(1).lower()
                break
    else:
        for match in _NEGATION_RE.finditer(_NO_ABBREV_RE.sub("", words)):
            if match.group(1):
                negation = match.group(1).lower()
                break
    if negation is None and reporting_verb and reporting_verb.lower() in DENIAL_VERBS:
        negation = reporting_verb.lower()
    if best is None and reporting_verb and reporting_verb.lower() in BELIEF_VERBS:
        best = reporting_verb.lower()
    return Modality(best is not None, best, negation is not None, negation)
