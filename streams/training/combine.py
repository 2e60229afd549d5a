"""Fit the combiner on the tune split, choose its thresholds there, and measure on the eval split."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np

from streams.processors.judge import PairJudge
from streams.processors.judge.combiner import RELATIONS, Combiner
from streams.processors.judge.features import FEATURE_NAMES, analyse_pair
from streams.processors.judge.model import MODEL_DIR, JudgeModels
from streams.processors.matching.features import analyse, claim_from_text
from streams.training.evaluate import judge_pairs, print_report, score
from streams.training.judge_data import Pair

#: Share of true duplicates and contradictions (tune split) the embedding gate may lose at most.
GATE_LOSS = 0.01
#: Duplicate precision the threshold search keeps where it can (the issue's bar), else best F1.
DUPLICATE_PRECISION = 0.95
SEED = 13


def _features(neural: JudgeModels, pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    texts = list(dict.fromkeys(t for p in pairs for t in (p.a, p.b)))
    vectors = dict(zip(texts, neural.embed(texts), strict=True))
    logits = neural.symmetric_logits([(p.a, p.b) for p in pairs])
    cosines = np.array([float(vectors[p.a] @ vectors[p.b]) for p in pairs])
    rows = []
    for p, lg, cos in zip(pairs, logits, cosines, strict=True):
        fa, fb = analyse(claim_from_text(p.a)), analyse(claim_from_text(p.b))
        rows.append(analyse_pair(fa, fb, float(cos), lg).values)
    return np.asarray(rows, dtype=np.float64), cosines


def _best_threshold(p: np.ndarray, truth: np.ndarray, min_precision: float | None = None) -> float:
    best, best_f1 = 0.5, -1.0
    fallback, fallback_f1 = 0.5, -1.0
    for t in np.linspace(0.05, 0.95, 91):
        said = p >= t
        tp = float((said & truth).sum())
        precision = tp / max(1.0, float(said.sum()))
        recall = tp / max(1.0, float(truth.sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > fallback_f1:
            fallback, fallback_f1 = float(t), f1
        if (min_precision is None or precision >= min_precision) and f1 > best_f1:
            best, best_f1 = float(t), f1
    return best if best_f1 >= 0 else fallback


def fit_combiner(pairs: list[Pair], out: Path | None = None) -> dict[str, object]:
    """Fit, choose thresholds, write ``combiner.json`` and ``metrics.json``; return the metrics."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training extra
    from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: PLC0415

    out = out or MODEL_DIR
    neural = JudgeModels(out)
    tune = [p for p in pairs if p.split == "tune" and p.relation is not None]
    x, cosines = _features(neural, tune)
    y = np.array([RELATIONS.index(p.relation) for p in tune])
    positives = cosines[y > 0]
    gate = float(np.quantile(positives, GATE_LOSS))
    # Each set weighs the same in the fit, whatever its size: FNC-1 must not outvote MRPC.
    counts = Counter(p.source for p in tune)
    weights = np.array([len(tune) / (len(counts) * counts[p.source]) for p in tune])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    xs = (x - mean) / scale
    model = LogisticRegression(C=1.0, max_iter=2000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    held_out = cross_val_predict(model, xs, y, cv=folds, method="predict_proba",
                                 params={"sample_weight": weights})
    # Thresholds on out-of-fold probabilities: chosen on data the fit did not see.
    t_dup = _best_threshold(held_out[:, 1], y == 1, DUPLICATE_PRECISION)
    t_con = _best_threshold(held_out[:, 2], y == 2)
    model.fit(xs, y, sample_weight=weights)
    digest = hashlib.sha256((out / "pair.onnx").read_bytes()).hexdigest()[:8]
    version = f"pair-judge-{dt.datetime.now(dt.UTC).date().isoformat()}-{digest}"
    combiner = {
        "version": version, "features": list(FEATURE_NAMES), "classes": list(RELATIONS),
        "mean": mean.tolist(), "scale": scale.tolist(), "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "thresholds": {"duplicate": round(t_dup, 3), "contradiction": round(t_con, 3), "gate": round(gate, 4)},
        "fitted_on": {"split": "tune", "pairs": len(tune), "sets": dict(counts)},
    }
    (out / "combiner.json").write_text(json.dumps(combiner, indent=1) + "\n", encoding="utf-8")
    judge = PairJudge(neural, Combiner.load(out / "combiner.json"))
    evaluation = [p for p in pairs if p.split == "eval" and p.relation is not None]
    report = score(evaluation, judge_pairs(judge, evaluation))
    print_report(report, f"eval split (never trained or tuned on), model {version}")
    metrics = {"model_version": version, "split": "eval", "sets": report,
               "thresholds": combiner["thresholds"]}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return metrics
