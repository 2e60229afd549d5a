"""Pair logic shared by deduplication and contradiction detection.

``compare(a, b)`` says whether two claims are one fact, contradictory facts or neither;
``blocking_keys(claim)`` names the store buckets where related claims meet;
``claim_from_text(text, **fields)`` turns a bare text into a claim with numbers, negation
and modality derived by rule (for the CLI and for tests).

Modules: :mod:`.lexicon` (word lists), :mod:`.text` (normalisation), :mod:`.quantities`
(numbers as intervals), :mod:`.speakers` (speaker compatibility), :mod:`.features` (one
claim, analysed and cached), :mod:`.keys` (blocking), :mod:`.screen` (what a stored
candidate is screened on before it is read), :mod:`.verdict` (the pair rules).
"""

from factstream.processors.matching.features import (
    ClaimFeatures,
    analyse,
    analyse_tracked,
    claim_from_text,
    claim_from_tracked,
)
from factstream.processors.matching.keys import blocking_keys, keys_of
from factstream.processors.matching.speakers import canonical_speaker, speakers_compatible, voice
from factstream.processors.matching.text import normalize_text
from factstream.processors.matching.verdict import PairVerdict, compare, compare_features, similarity

__all__ = [
    "ClaimFeatures",
    "PairVerdict",
    "analyse",
    "blocking_keys",
    "keys_of",
    "canonical_speaker",
    "claim_from_text",
    "analyse_tracked",
    "claim_from_tracked",
    "compare",
    "compare_features",
    "normalize_text",
    "similarity",
    "speakers_compatible",
    "voice",
]
