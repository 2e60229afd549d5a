"""The learned combiner: a logistic regression (or gradient-boosted trees) over the pair's features.

Its weights or trees and the decision thresholds are data (``combiner.json``), fitted by
``factstream train judge`` on the tune split; numpy alone runs it.

Boosted trees (``--combiner trees``) read interactions a line cannot and score better on the
held-out pairs, but raised several times the false alarms on BBC politics through the pipeline,
whose candidates are unlike the labelled pairs (docs/models/pair-judge.md): the shipped combiner
is the regression. Since 2026-12-08 it is fitted held monotone in how related two claims are
(``factstream.training.monotone``: the weights of the relatedness features never make a
duplicate or a contradiction less likely against "none" as claims grow more alike); it runs as
any regression, its ``constraints`` recorded beside it.
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
class Trees:
    """Boosted regression trees, one per class and stage, as padded node arrays (trees x nodes).

    A leaf points to itself on both sides, so every row walks ``depth`` steps. As scikit-learn
    does, a feature is rounded to float32 and compared, as a double, with the double threshold.
    """

    feature: np.ndarray  # int (trees, nodes)
    threshold: np.ndarray  # float64 (trees, nodes)
    left: np.ndarray  # int (trees, nodes)
    right: np.ndarray  # int (trees, nodes)
    value: np.ndarray  # float64 (trees, nodes): the leaf's contribution, learning rate included
    klass: np.ndarray  # int (trees,): the class whose raw score the tree adds to
    init: np.ndarray  # float64 (classes,): raw scores before any tree
    depth: int

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Trees:
        """The arrays ``trees_json`` (training) wrote."""
        return cls(
            feature=np.asarray(data["feature"], dtype=np.intp),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.intp),
            right=np.asarray(data["right"], dtype=np.intp),
            value=np.asarray(data["value"], dtype=np.float64),
            klass=np.asarray(data["class"], dtype=np.intp),
            init=np.asarray(data["init"], dtype=np.float64),
            depth=int(data["depth"]),  # type: ignore[call-overload]
        )

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw class scores (rows, classes) for feature rows."""
        x32 = x.astype(np.float32).astype(np.float64)
        rows = np.arange(len(x))[:, None]
        trees = np.arange(len(self.klass))[None, :]
        node = np.zeros((len(x), len(self.klass)), dtype=np.intp)
        for _ in range(self.depth):
            go_left = x32[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        leaves = self.value[trees, node]  # (rows, trees)
        out = np.tile(self.init, (len(x), 1))
        for k in range(len(self.init)):
            out[:, k] += leaves[:, self.klass == k].sum(axis=1)
        return out


@dataclass(frozen=True)
class Combiner:
    """Features -> calibrated probabilities of none / duplicate / contradiction."""

    duplicate_threshold: float
    contradiction_threshold: float
    #: Embedding cosine under which a pair is "none" without the pair model (recall-first floor).
    gate: float
    version: str
    #: The logistic regression's scaling and weights (``model: "logistic"``; the monotone fit is one too).
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None  # (classes, features)
    intercept: np.ndarray | None = None  # (classes,)
    #: Boosted trees (``model: "trees"``).
    trees: Trees | None = None

    @classmethod
    def load(cls, path: Path) -> Combiner:
        """Read ``combiner.json``; refuse one fitted on other features."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{path} was fitted on other features; retrain: factstream train judge")
        thresholds = data["thresholds"]
        design = data.get("model", "logistic")
        if design not in ("trees", "logistic"):
            raise ValueError(f"{path}: unknown combiner model {design!r}; retrain: factstream train judge")
        trees = Trees.from_json(data["trees"]) if design == "trees" else None

        def array(name: str) -> np.ndarray | None:
            return None if trees is not None else np.asarray(data[name], dtype=np.float64)

        return cls(
            duplicate_threshold=float(thresholds["duplicate"]),
            contradiction_threshold=float(thresholds["contradiction"]),
            gate=float(thresholds["gate"]),
            version=str(data["version"]),
            mean=array("mean"), scale=array("scale"), coef=array("coef"), intercept=array("intercept"),
            trees=trees,
        )

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Rows of [p_none, p_duplicate, p_contradiction] for rows of features."""
        x = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if not np.isfinite(x).all():
            # A tree would send NaN down its right branch and give a confident verdict.
            raise ValueError("the combiner's features must be finite numbers")
        if self.trees is not None:
            z = self.trees.raw(x)
        else:
            assert self.mean is not None and self.scale is not None
            assert self.coef is not None and self.intercept is not None
            z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
