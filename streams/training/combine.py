"""Fit the combiner on the tune split, choose its thresholds there, and measure on the eval split."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np

from factstream.processors.judge import PairJudge
from factstream.processors.judge.combiner import RELATIONS, Combiner
from factstream.processors.judge.features import FEATURE_NAMES, analyse_pair, content_of
from factstream.processors.judge.model import ENCODER_BATCH, MODEL_DIR, JudgeModels
from factstream.processors.matching.features import analyse, claim_from_text
from factstream.training.evaluate import print_report, score
from factstream.training.judge_data import Pair

#: Share of true duplicates and contradictions (tune split, each set weighing the same) that the
#: embedding gate may lose. Past the gate the pair model runs; under it a pair is "none" for free.
#: 5% keeps every news set's positives (MRPC, STS-B, BBC, SICK lose under 2%) and gives up the
#: low-cosine scene contradictions of SNLI/ANLI/FNC-1 (measured: 2% -> gate 0.14, 5% -> 0.26,
#: 10% -> 0.34; SNLI contradiction recall 0.19 / 0.11 / 0.03, every other figure unchanged).
GATE_LOSS = 0.05
SEED = 13


def neural_outputs(neural: JudgeModels, pairs: list[Pair], cache: Path | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Embedding cosine and pair-model logits per pair, kept in ``cache`` for refits."""
    joined = "\n".join(f"{content_of(p.a)}\t{content_of(p.b)}" for p in pairs)
    key = hashlib.sha256(joined.encode()).hexdigest()
    # Both models and how the encoder runs: a cache made with other files or batches is stale.
    model_key = hashlib.sha256(b"".join(
        (neural.model_dir / name).read_bytes() for name in ("pair.onnx", "encoder.onnx"))
        + f"encoder-batch={ENCODER_BATCH}".encode()).hexdigest()
    if cache is not None and cache.exists():
        stored = np.load(cache)
        if str(stored["key"]) == key and str(stored["model"]) == model_key:
            return stored["cosines"], stored["logits"]
    # The models read each claim's content, as the judge gives it to them (content_of).
    sides = [(content_of(p.a), content_of(p.b)) for p in pairs]
    texts = list(dict.fromkeys(t for pair in sides for t in pair))
    vectors = dict(zip(texts, neural.embed(texts), strict=True))
    logits = neural.symmetric_logits(sides)
    cosines = np.array([float(vectors[a] @ vectors[b]) for a, b in sides])
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, key=key, model=model_key, cosines=cosines, logits=logits)
    return cosines, logits


def _features(neural: JudgeModels, pairs: list[Pair], cache: Path | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cosines, logits = neural_outputs(neural, pairs, cache)
    rows = []
    for p, lg, cos in zip(pairs, logits, cosines, strict=True):
        fa, fb = analyse(claim_from_text(p.a)), analyse(claim_from_text(p.b))
        rows.append(analyse_pair(fa, fb, float(cos), lg).values)
    return np.asarray(rows, dtype=np.float64), cosines, logits


def _best_threshold(p: np.ndarray, truth: np.ndarray) -> float:
    """The probability threshold with the best F1 (pooled over the sets) on out-of-fold predictions.

    Not a precision floor: held to precision >= 0.95 on these sets, the duplicate threshold went
    to 0.94 and recall to 0.06-0.13 (MRPC and STS-B labels count near-paraphrases both ways).
    """
    best, best_f1 = 0.5, -1.0
    for t in np.linspace(0.05, 0.95, 91):
        said = p >= t
        tp = float((said & truth).sum())
        precision = tp / max(1.0, float(said.sum()))
        recall = tp / max(1.0, float(truth.sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def _gate(cosines: np.ndarray, positives: list[str]) -> float:
    """The cosine under which GATE_LOSS of the positives lie, each set weighing the same."""
    counts = Counter(positives)
    weights = np.array([1.0 / counts[s] for s in positives])
    order = np.argsort(cosines)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(cosines[order][min(len(order) - 1, int(np.searchsorted(cumulative, GATE_LOSS)))])


def fit_combiner(pairs: list[Pair], out: Path | None = None, cache: Path | None = None) -> dict[str, object]:
    """Fit, choose thresholds, write ``combiner.json`` and ``metrics.json``; return the metrics."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training extra
    from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: PLC0415

    out = out or MODEL_DIR
    neural = JudgeModels(out)
    labelled = [p for p in pairs if p.split in ("tune", "eval") and p.relation is not None]
    x_all, cos_all, logits_all = _features(neural, labelled, cache)
    in_tune = np.array([p.split == "tune" for p in labelled])
    tune = [p for p in labelled if p.split == "tune"]
    x, cosines = x_all[in_tune], cos_all[in_tune]
    y = np.array([RELATIONS.index(p.relation) for p in tune])
    gate = _gate(cosines[y > 0], [p.source for p, label in zip(tune, y, strict=True) if label > 0])
    # Each set weighs the same in the fit, whatever its size: FNC-1 must not outvote MRPC.
    counts = Counter(p.family for p in tune)
    weights = np.array([len(tune) / (len(counts) * counts[p.family]) for p in tune])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    xs = (x - mean) / scale
    model = LogisticRegression(C=1.0, max_iter=2000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    held_out = cross_val_predict(model, xs, y, cv=folds, method="predict_proba",
                                 params={"sample_weight": weights})
    # Thresholds on out-of-fold probabilities: chosen on data the fit did not see.
    t_dup = _best_threshold(held_out[:, 1], y == 1)
    t_con = _best_threshold(held_out[:, 2], y == 2)
    model.fit(xs, y, sample_weight=weights)
    digest = hashlib.sha256((out / "pair.onnx").read_bytes()).hexdigest()[:8]
    version = f"pair-judge-{dt.datetime.now(dt.UTC).date().isoformat()}-{digest}"
    combiner = {
        "version": version, "features": list(FEATURE_NAMES), "classes": list(RELATIONS),
        "mean": mean.tolist(), "scale": scale.tolist(), "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "thresholds": {"duplicate": round(t_dup, 3), "contradiction": round(t_con, 3),
                       "gate": round(gate, 4)},
        "fitted_on": {"split": "tune", "pairs": len(tune), "sets": dict(Counter(p.source for p in tune)),
                      "weighed_as": dict(counts)},
    }
    (out / "combiner.json").write_text(json.dumps(combiner, indent=1) + "\n", encoding="utf-8")
    judge = PairJudge(neural, Combiner.load(out / "combiner.json"))
    reports = {}
    for split in ("eval", "tune"):
        chosen = np.array([p.split == split for p in labelled])
        subset = [p for p in labelled if p.split == split]
        features = [(analyse(claim_from_text(p.a)), analyse(claim_from_text(p.b))) for p in subset]
        reports[split] = score(subset, judge.decide(features, cos_all[chosen], logits_all[chosen]))
    print_report(reports["eval"], f"eval split (never trained or tuned on), model {version}")
    print_report(reports["tune"], "tune split (IN-SAMPLE: the combiner and thresholds were fitted here)")
    metrics = {"model_version": version, "split": "eval", "sets": reports["eval"],
               "in_sample_tune": reports["tune"], "thresholds": combiner["thresholds"]}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return metrics
