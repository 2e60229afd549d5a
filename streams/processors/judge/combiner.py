"""The learned combiner: a multinomial logistic regression over the pair's features.

Its weights, the feature scaling and the decision thresholds are data (``combiner.json``), fitted
by ``factstream train judge`` on the tune split; numpy alone runs it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factstream.processors.judge.features import FEATURE_NAMES

#: Class order of the combiner's outputs.
RELATIONS = ("none", "duplicate", "contradiction")


@dataclass(frozen=True)
class Combiner:
    """Scaled features -> calibrated probabilities of none / duplicate / contradiction."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    duplicate_threshold: float
    contradiction_threshold: float
    #: Embedding cosine under which a pair is "none" without the pair model (recall-first floor).
    gate: float
    version: str

    @classmethod
    def load(cls, path: Path) -> Combiner:
        """Read ``combiner.json``; refuse one fitted on other features."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{path} was fitted on other features; retrain: factstream train judge")
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            duplicate_threshold=float(data["thresholds"]["duplicate"]),
            contradiction_threshold=float(data["thresholds"]["contradiction"]),
            gate=float(data["thresholds"]["gate"]),
            version=str(data["version"]),
        )

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Rows of [p_none, p_duplicate, p_contradiction] for rows of features."""
        x = (np.atleast_2d(features) - self.mean) / self.scale
        z = x @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
