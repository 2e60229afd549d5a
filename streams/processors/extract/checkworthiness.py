"""How much a claim deserves a fact-checker's time, as a probability in [0, 1].

A logistic regression over hashed word n-grams, a few exact cues (numbers, percentages, money,
comparatives) and the sentence's mean WordLlama embedding (the table dedup already loads),
trained on ClaimBuster's labelled sentences by ``streams/training/checkworthiness.py``
(``make checkworthiness-model``). The weights ship in the package as a small ``.npz`` beside a
machine-readable ``checkworthiness.metrics.json``; the card is ``docs/checkworthiness.md``.
Inference is numpy only: the score is the calibrated sigmoid of the summed weights.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from factstream.errors import ConfigurationError

MODEL_DIR = Path(__file__).resolve().parent / "models"
WEIGHTS_PATH = MODEL_DIR / "checkworthiness.npz"
METRICS_PATH = MODEL_DIR / "checkworthiness.metrics.json"

# 2**18 hashed slots: collisions among the ~60k n-grams of the training text stay rare while
# the float16 weight table stays at 512 KiB.
HASH_BITS = 18
_MASK = (1 << HASH_BITS) - 1
# Word n-grams up to this length; trigrams added nothing on the grouped folds.
MAX_NGRAM = 2

_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d[\d,.]*|[%$£€]")
_NUMBER_RE = re.compile(r"\d")
_PERCENT_RE = re.compile(r"\d\s*(?:%|per\s?cent|percent)", re.IGNORECASE)
_MONEY_RE = re.compile(r"[$£€]\s*\d|\d\s*(?:dollars|pounds|euros|billion|million|trillion)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
_COMPARATIVE_RE = re.compile(r"\b(?:more|less|fewer|higher|lower|most|least|largest|biggest|smallest|"
                             r"increase[ds]?|decrease[ds]?|doubled|tripled|rose|fell|grew|cut)\b",
                             re.IGNORECASE)
# WordLlama l2_supercat's dimensions, and the scale that puts a unit vector's weights on the
# footing of the binary sparse features during training.
EMBEDDING_DIM = 256
EMBEDDING_SCALE = 3.0
# Length buckets (words): fragments, short, sentence, long sentence.
_LENGTH_BUCKETS = (4, 8, 16, 32)


def _number_shape(token: str) -> str:
    return "<num>" if token[0].isdigit() else token


def features(text: str) -> list[str]:
    """Return the sparse feature names of one sentence (hashed by :func:`hashed`)."""
    lowered = text.lower()
    words = [_number_shape(t) for t in _TOKEN_RE.findall(lowered)]
    found = [f"w:{t}" for t in words]
    for size in range(2, MAX_NGRAM + 1):
        found.extend("n:" + " ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    if _NUMBER_RE.search(text):
        found.append("c:number")
    if _PERCENT_RE.search(text):
        found.append("c:percent")
    if _MONEY_RE.search(text):
        found.append("c:money")
    if _YEAR_RE.search(text):
        found.append("c:year")
    if _COMPARATIVE_RE.search(text):
        found.append("c:comparative")
    length = len(text.split())
    bucket = sum(length >= limit for limit in _LENGTH_BUCKETS)
    found.append(f"c:len{bucket}")
    if text.rstrip().endswith("?"):
        found.append("c:question")
    found.append("c:bias")
    return found


def embedding(text: str) -> np.ndarray:
    """Return the sentence's unit mean WordLlama vector (zeros when it has no token)."""
    from factstream.processors.wordvectors import load_model

    vector = load_model().vector(text)
    return np.zeros(EMBEDDING_DIM, dtype=np.float32) if vector is None else vector.astype(np.float32)


def hashed(names: list[str]) -> np.ndarray:
    """Return the distinct hashed slots of feature names (a binary bag)."""
    return np.unique(np.fromiter((zlib.crc32(n.encode("utf-8")) & _MASK for n in names),
                                 dtype=np.int64, count=len(names)))


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """The weight table and the calibration of the shipped model."""

    weights: np.ndarray
    dense: np.ndarray
    version: str
    # Platt scaling of the raw margin, fitted on out-of-fold margins.
    scale: float
    shift: float

    def margin(self, text: str) -> float:
        """Return the raw linear score of a sentence."""
        sparse = float(self.weights[hashed(features(text))].astype(np.float64).sum())
        return sparse + EMBEDDING_SCALE * float(self.dense @ embedding(text))

    def score(self, text: str) -> float:
        """Return the probability that a sentence is check-worthy."""
        z = self.scale * self.margin(text) + self.shift
        return float(1.0 / (1.0 + np.exp(-z)))


_LOCK = threading.Lock()


@cache
def _load() -> CheckworthinessModel:
    if not WEIGHTS_PATH.exists():
        raise ConfigurationError(
            f"check-worthiness model missing at {WEIGHTS_PATH}; rebuild it with `make checkworthiness-model`"
        )
    with np.load(WEIGHTS_PATH) as data:
        weights = data["weights"].astype(np.float32)
        dense = data["dense"].astype(np.float32)
        calibration = data["calibration"].astype(np.float64)
    if weights.shape != (1 << HASH_BITS,):
        raise ConfigurationError(f"check-worthiness weights have shape {weights.shape}, expected "
                                 f"{(1 << HASH_BITS,)}: the model and this code disagree on HASH_BITS")
    version = json.loads(METRICS_PATH.read_text(encoding="utf-8"))["version"]
    return CheckworthinessModel(weights, dense, version, float(calibration[0]), float(calibration[1]))


def model() -> CheckworthinessModel:
    """Return the shipped model, loaded once per process."""
    with _LOCK:
        return _load()


def score(text: str) -> float:
    """Return the check-worthiness of a claim's words, rounded to three places."""
    return round(model().score(text), 3)
