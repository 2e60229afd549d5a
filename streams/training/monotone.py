"""A multinomial logistic regression whose verdicts cannot grow as two claims grow apart.

The combiner's labelled pairs are related by construction (paraphrase and NLI pairs, a BBC
sentence against its own edit); the pipeline's candidates are mostly claims that share a key and
little else. Fitted freely, the regression learned from SNLI and ANLI, whose contradictions are
less alike than their neutral pairs by embedding and length, that *less* alike means *more*
contradiction, and extrapolated that to unrelated candidates: on BBC politics its alerts were
two claims about two things (two remarks of one politician on Turkey and on licensing hours,
contradiction p 0.77, pushed there by the low embedding cosine, length ratio and rule overlap).

Here "none" is the reference class (its coefficients are zero) and the fit holds signs:

- for the features that say how much two claims are about the same thing (:data:`RELATEDNESS`),
  the duplicate and the contradiction coefficients are at or above zero: more related never
  makes either less likely against "none";
- for the products of the cosine with a clash (:data:`CLASHES`), the contradiction coefficients
  are at or above zero (a clash between close claims never argues against a contradiction);
  their duplicate coefficients are free (a clash between close claims may argue against one fact).

The products of the paraphrase logit with a clash or with a name only one claim gives
(``para_x_clash``, ``para_x_names_differ``) stay free: the same words about another subject are
two facts, and the swapped-name pairs teach exactly that a high paraphrase logit with differing
names is *not* one fact. So the verdicts are monotone in each bounded feature's own weight, not
in the paraphrase logit wherever a name differs.

Everything else is fitted as the regression is, on the same data, sample weights and folds, with
scikit-learn's L2 penalty (``0.5 / C`` times the squared weights of every class, written on the
differences from "none"; an unbounded fit gives scikit-learn's ``LogisticRegression``). The fitted
model is an ordinary multinomial regression (``coef`` with a zero row for "none"), so the judge
runs it unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin

from factstream.processors.judge.features import FEATURE_NAMES

#: Features that measure how much two claims are about the same thing (higher: more related);
#: held at or above zero for the duplicate and the contradiction class.
RELATEDNESS = ("para_logit", "cosine", "lexical", "core", "length_ratio", "p_contra_x_cosine")
#: A clash weighed by how close the claims are; held at or above zero for the contradiction class.
CLASHES = ("cosine_x_number_clash", "cosine_x_negation_flip", "cosine_x_opposites")


class MonotoneLogistic(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression, "none" (class 0) the reference, sign-bounded coefficients."""

    def __init__(self, C: float = 1.0, related: tuple[str, ...] = RELATEDNESS,
                 clashes: tuple[str, ...] = CLASHES, features: tuple[str, ...] = FEATURE_NAMES) -> None:
        self.C = C
        self.related = related
        self.clashes = clashes
        self.features = features

    def _bounded(self, k: int) -> list[set[int]]:
        """Per class 1..k-1, the feature columns held at or above zero."""
        related = {self.features.index(name) for name in self.related}
        clashes = {self.features.index(name) for name in self.clashes}
        # Class k-1 is the contradiction (RELATIONS: none, duplicate, contradiction).
        return [related | (clashes if c == k - 1 else set()) for c in range(1, k)]

    def fit(self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> MonotoneLogistic:
        """Fit by L-BFGS-B: weighted cross-entropy plus scikit-learn's ``0.5 / C`` L2 penalty."""
        x = np.asarray(x, dtype=np.float64)
        n, d = x.shape
        if len(self.features) != d:
            raise ValueError(f"{d} columns but {len(self.features)} feature names")
        self.classes_ = np.unique(y)
        k = len(self.classes_)
        if list(self.classes_) != list(range(k)):
            raise ValueError(f"classes must be 0..{k - 1} with 0 the reference, not {self.classes_}")
        onehot = np.eye(k)[np.asarray(y)]
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        free = k - 1

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            coef, bias = theta[: free * d].reshape(free, d), theta[free * d:]
            z = np.column_stack([np.zeros(n), x @ coef.T + bias])
            z -= z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            # scikit-learn penalises every class's row W_j; with W_0 at its best given the
            # differences D = W_j - W_0, that is |D|^2 - |sum D|^2 / k.
            total = coef.sum(axis=0)
            penalty = 0.5 / self.C * (float((coef ** 2).sum()) - float(total @ total) / k)
            value = -float((w * (onehot * log_p).sum(axis=1)).sum()) + penalty
            g = (np.exp(log_p) - onehot)[:, 1:] * w[:, None]
            grad_coef = g.T @ x + (coef - total / k) / self.C
            return value, np.concatenate([grad_coef.ravel(), g.sum(axis=0)])

        held = self._bounded(k)
        bounds = [(0.0, None) if j in held[c] else (None, None) for c in range(free) for j in range(d)]
        bounds += [(None, None)] * free
        result = minimize(loss, np.zeros(free * d + free), jac=True, method="L-BFGS-B", bounds=bounds,
                          options={"maxiter": 10_000})
        if not result.success:
            raise RuntimeError(f"the constrained fit did not converge: {result.message}")
        coef = result.x[: free * d].reshape(free, d)
        self.coef_ = np.vstack([np.zeros(d), coef])
        self.intercept_ = np.concatenate([[0.0], result.x[free * d:]])
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per pair."""
        z = np.atleast_2d(np.asarray(x, dtype=np.float64)) @ self.coef_.T + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most probable class."""
        return self.classes_[self.predict_proba(x).argmax(axis=1)]

    def constraints(self) -> dict[str, Any]:
        """What the fit held, for ``combiner.json``."""
        return {"reference_class": "none", "nonnegative": {
            "duplicate": list(self.related), "contradiction": [*self.related, *self.clashes]}}
