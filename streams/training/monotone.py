"""A multinomial logistic regression whose verdicts cannot grow as two claims grow apart.

The combiner's labelled pairs are related by construction (paraphrase and NLI pairs, a BBC
sentence against its own edit); the pipeline's candidates are mostly claims that share a key and
little else. Fitted freely, the regression learned from SNLI and ANLI, whose contradictions share
fewer words than their neutral pairs, that *less* overlap means *more* contradiction, and
extrapolated that to unrelated candidates: on BBC politics every alert it raised was two claims
about two things (two remarks of Tony Blair on Turkey and on licensing hours, contradiction
p 0.77, pushed there by the low word overlap, embedding cosine and length ratio).

Here "none" is the reference class (its coefficients are zero) and, for the features that say
how much two claims are about the same thing (:data:`RELATEDNESS`), the duplicate and the
contradiction coefficients are held at or above zero: more related never makes a duplicate or a
contradiction less likely against "none". Everything else is fitted as before, on the same data,
with the same L2 penalty (``C``) and the same sample weights. The fitted model is an ordinary
multinomial regression (``coef`` with a zero row for "none"), so the judge runs it unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin

from factstream.processors.judge.features import FEATURE_NAMES

#: Features that measure how much two claims are about the same thing (higher: more related).
#: Clash features enter only through their products with the cosine, which are bounded too.
RELATEDNESS = (
    "para_logit", "cosine", "lexical", "core", "length_ratio", "p_contra_x_cosine",
    "cosine_x_number_clash", "cosine_x_negation_flip", "cosine_x_opposites",
)


class MonotoneLogistic(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression, "none" (class 0) the reference, sign-bounded coefficients."""

    def __init__(self, C: float = 1.0, nonnegative: tuple[str, ...] = RELATEDNESS,
                 features: tuple[str, ...] = FEATURE_NAMES) -> None:
        self.C = C
        self.nonnegative = nonnegative
        self.features = features

    def fit(self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> MonotoneLogistic:
        """Fit by L-BFGS-B: weighted cross-entropy plus ``0.5 / C`` times the squared weights."""
        x = np.asarray(x, dtype=np.float64)
        n, d = x.shape
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
            value = -float((w * (onehot * log_p).sum(axis=1)).sum()) + 0.5 / self.C * float((coef ** 2).sum())
            g = (np.exp(log_p) - onehot)[:, 1:] * w[:, None]
            return value, np.concatenate([(g.T @ x + coef / self.C).ravel(), g.sum(axis=0)])

        bounded = {self.features.index(name) for name in self.nonnegative}
        if len(self.features) != d:
            raise ValueError(f"{d} columns but {len(self.features)} feature names")
        bounds = [(0.0, None) if j in bounded else (None, None) for _ in range(free) for j in range(d)]
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
        z = np.asarray(x, dtype=np.float64) @ self.coef_.T + self.intercept_
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most probable class."""
        return self.classes_[self.predict_proba(x).argmax(axis=1)]

    def constraints(self) -> dict[str, Any]:
        """What the fit held, for ``combiner.json``."""
        return {"reference_class": 0, "nonnegative_for_other_classes": list(self.nonnegative)}
