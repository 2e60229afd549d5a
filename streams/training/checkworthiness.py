"""The word baseline of check-worthiness, and the data grouping and folds the shipped model shares.

The shipped model is MiniLM fine-tuned (:mod:`factstream.training.checkworthiness_minilm`); this
logistic regression over words, cues and the WordLlama mean embedding was the shipped model until
``checkworthiness-minilm-1`` and stays as its baseline: seconds to train, no torch, its
held-out split (``-1``'s; ``-2`` is measured by cross-validation over the same grouped folds).
Run: ``python -m factstream.training.checkworthiness --out DIR`` (never the package's model folder).
Needs scikit-learn. Seeded and deterministic from ``../shared/data/claimbuster_train.jsonl.gz``.

Protocol, fixed before looking at any figure:

1. Texts are grouped by a normalised key (lower-case letters and digits only, first
   :data:`GROUP_KEY_CHARS` of them), so near-identical sentences (the same line in two debates,
   the same sentence in two sources) never sit on both sides of a split. Texts carrying both
   labels (sources disagree) keep the label of the ClaimBuster source when it has one, else the
   majority.
2. A fixed held-out split: :data:`HELD_OUT_SHARE` of the groups (by a hash of the group key) is
   put aside and used only once, for the figures reported as *held-out*. Evaluation is on the
   held-out rows of the ClaimBuster source, the distribution of the ClaimBuster test set.
3. On the remaining groups, grouped 5-fold cross-validation chooses the regularisation strength
   and the decision threshold (F1 of the positive class), and the out-of-fold margins fit the
   Platt calibration. Only ClaimBuster's own rows train the model: on the grouped folds the CLEF
   rows (debates and tweets labelled far more strictly) lowered ClaimBuster F1 at every weight
   tried (word features alone: 0.771 without them, 0.745 at weight 0.3, 0.725 at 1.0). Parse
   features (tag n-grams, entity types, main verb, subject) added 0.01 CV F1 but would force a
   parse of every sentence at inference; extraction parses only the sentences that need it.
   The judge's MiniLM sentence embedding (``--features embedding``) added 0.019 held-out F1
   (0.792 against 0.773) for about twice extraction's CPU; fine-tuning MiniLM itself did better
   and is what ships (the card has the figures).
4. The baseline is fitted on the remaining groups (never on the held-out ones), so its held-out
   figures are those of the weights it writes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from factstream.processors.extract import checkworthiness as cw

DEFAULT_OUT = Path("build/checkworthiness-words")
WEIGHTS_NAME = "checkworthiness-words.npz"
METRICS_NAME = "checkworthiness-words.metrics.json"

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

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "claimbuster_train.jsonl.gz"
SEED = 13
# Characters of the normalised text that make a group: long enough to keep different sentences
# apart, short enough that a sentence and its copy with a different ending fall together.
GROUP_KEY_CHARS = 60
HELD_OUT_SHARE = 0.2
FOLDS = 5
# Inverse regularisation strengths tried by cross-validation.
C_GRID = (0.1, 0.3, 1.0)
CLAIMBUSTER_SOURCE = "claimbuster_kfold_25ncs"
VERSION = "checkworthiness-lr-1"
# Feature sets ``--features`` can train. ``embedding`` adds the judge's MiniLM sentence embedding
# (``JudgeModels.embed``, 384 dims) to the words; it was measured and not shipped (see the card's
# "What was tried"), so its weights are written to ``--out`` for study but the extractor cannot load them.
FEATURE_SETS = ("words", "embedding")
EMBEDDING_VERSION = "checkworthiness-lr-minilm-experiment"
# Scale of the MiniLM unit vector during training, on the footing of the WordLlama one.
MINILM_SCALE = 3.0
_KEY_RE = re.compile(r"[^a-z0-9]+")


def group_key(text: str) -> str:
    """Return the key under which near-identical texts fall together."""
    return _KEY_RE.sub("", text.lower())[:GROUP_KEY_CHARS]


def _bucket(key: str) -> float:
    digest = hashlib.sha256(f"{SEED}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def load(path: Path) -> list[dict]:
    """Read the rows, one per distinct text, with the label resolved as the module says."""
    by_text: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["text"].strip():
                by_text[row["text"].strip()].append(row)
    rows = []
    for text, found in by_text.items():
        own = [r["label"] for r in found if r["source"] == CLAIMBUSTER_SOURCE]
        labels = own or [r["label"] for r in found]
        label = Counter(labels).most_common(1)[0][0]
        source = CLAIMBUSTER_SOURCE if own else found[0]["source"]
        rows.append({"text": text, "label": int(label), "source": source, "group": group_key(text)})
    return rows


def minilm(texts: list[str]) -> np.ndarray:
    """The judge's MiniLM sentence embeddings of ``texts`` (unit rows, 384 dims), one thread."""
    from factstream.processors.judge.model import JudgeModels

    return JudgeModels(threads=1).embed(texts)


def _matrix(texts: list[str], extra: np.ndarray | None = None):  # noqa: ANN202 - scipy's sparse type
    """Sparse hashed features beside the scaled embeddings (and ``extra`` dense columns, if any)."""
    from scipy.sparse import csr_matrix, hstack

    indptr, indices = [0], []
    for text in texts:
        slots = hashed(features(text))
        indices.extend(slots.tolist())
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    sparse = csr_matrix((data, np.array(indices), np.array(indptr)), shape=(len(texts), 1 << HASH_BITS))
    dense = np.stack([embedding(text) for text in texts]) * EMBEDDING_SCALE
    if extra is not None:
        dense = np.hstack([dense, extra.astype(np.float32) * MINILM_SCALE])
    return hstack([sparse, csr_matrix(dense)]).tocsr()


def _fit(x, y: np.ndarray, c: float):  # noqa: ANN001, ANN202
    from sklearn.linear_model import LogisticRegression

    # The bias is a feature ("c:bias"), so the intercept is off: the weight table is the whole model.
    model = LogisticRegression(C=c, fit_intercept=False, class_weight="balanced", max_iter=2000,
                               solver="liblinear", random_state=SEED)
    model.fit(x, y)
    return model


def _f1(y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = int(((predicted == 1) & (y == 1)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "positives": int((y == 1).sum()), "rows": len(y)}


def _best_threshold(y: np.ndarray, margins: np.ndarray) -> tuple[float, float]:
    best = (-1.0, 0.0)
    for threshold in np.unique(np.round(margins, 3)):
        f1 = _f1(y, (margins >= threshold).astype(int))["f1"]
        if f1 > best[0]:
            best = (f1, float(threshold))
    return best[1], best[0]


def _platt(y: np.ndarray, margins: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, max_iter=1000).fit(margins.reshape(-1, 1), y)
    return float(fit.coef_[0][0]), float(fit.intercept_[0])


def main(argv: list[str] | None = None) -> int:
    """Train, evaluate and write the model files; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="claimbuster_train.jsonl.gz")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the model files go")
    parser.add_argument("--limit", type=int, default=0, help="use only this many rows (a quick CI slice)")
    parser.add_argument("--features", choices=FEATURE_SETS, default="words",
                        help="words: the baseline (shipped until checkworthiness-minilm-1); embedding: words "
                             "plus the judge's MiniLM sentence embedding")
    args = parser.parse_args(argv)
    if args.out.resolve() == cw.MODEL_DIR.resolve():
        print("the word baseline is not the shipped model (the extractor loads the fine-tuned MiniLM, "
              "make checkworthiness-model): give another --out", file=sys.stderr)
        return 2
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    rows = [r for r in load(args.data) if r["source"] == CLAIMBUSTER_SOURCE]
    if args.limit:
        rng = np.random.default_rng(SEED)
        picked = rng.choice(len(rows), size=min(args.limit, len(rows)), replace=False)
        rows = [rows[i] for i in sorted(picked)]
    held = [r for r in rows if _bucket(r["group"]) < HELD_OUT_SHARE]
    train = [r for r in rows if _bucket(r["group"]) >= HELD_OUT_SHARE]
    print(f"{len(rows)} distinct ClaimBuster texts: {len(train)} for training and cross-validation, "
          f"{len(held)} held out")
    embedded = args.features == "embedding"
    x = _matrix([r["text"] for r in train], minilm([r["text"] for r in train]) if embedded else None)
    y = np.array([r["label"] for r in train])
    folds = np.array([int(_bucket("fold:" + r["group"]) * FOLDS) for r in train])
    results = []
    for c in C_GRID:
        margins = np.zeros(len(train))
        for fold in range(FOLDS):
            model = _fit(x[folds != fold], y[folds != fold], c)
            margins[folds == fold] = model.decision_function(x[folds == fold])
        threshold, f1 = _best_threshold(y, margins)
        results.append((f1, c, threshold, margins))
        print(f"  cv: C {c}: F1 {f1:.4f} (threshold {threshold:.3f})")
    f1, c, threshold, margins = max(results, key=lambda r: r[0])
    scale, shift = _platt(y, margins)
    model = _fit(x, y, c)
    table = model.coef_[0].astype(np.float32)
    sparse_weights = table[: 1 << HASH_BITS].astype(np.float16)
    dense_weights = table[1 << HASH_BITS :].astype(np.float32)
    cv = _f1(y, (margins >= threshold).astype(int))
    shipped = np.concatenate([sparse_weights.astype(np.float32), dense_weights])

    held_x = _matrix([r["text"] for r in held], minilm([r["text"] for r in held]) if embedded else None)
    held_y = np.array([r["label"] for r in held])
    held_margins = np.asarray(held_x @ shipped).ravel()
    held_out = _f1(held_y, (held_margins >= threshold).astype(int))
    probability_threshold = float(1 / (1 + np.exp(-(scale * threshold + shift))))
    metrics = {
        "version": VERSION if not embedded else EMBEDDING_VERSION,
        "data": {"file": "claimbuster_train.jsonl.gz", "source": CLAIMBUSTER_SOURCE,
                 "distinct_texts": len(rows), "train_rows": len(train), "held_out_rows": len(held),
                 "grouping": f"normalised text, first {GROUP_KEY_CHARS} characters",
                 "held_out_share": HELD_OUT_SHARE, "seed": SEED, "limit": args.limit or None},
        "model": {"kind": "logistic regression: hashed word 1-2-grams, cues, WordLlama mean embedding"
                          + (", MiniLM sentence embedding" if embedded else ""),
                  "hash_bits": HASH_BITS, "C": c, "platt": [scale, shift]},
        "threshold": {"margin": threshold, "probability": round(probability_threshold, 4),
                      "chosen_on": f"grouped {FOLDS}-fold cross-validation, F1 of the check-worthy class"},
        "cross_validation": cv,
        "held_out": held_out,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / WEIGHTS_NAME, weights=sparse_weights, dense=dense_weights,
                        calibration=np.array([scale, shift], dtype=np.float64))
    (args.out / METRICS_NAME).write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"chosen: C {c}, margin threshold {threshold:.3f} (probability {probability_threshold:.3f})")
    print(f"cross-validation (out-of-fold, tuned on): {cv}")
    print(f"held-out (never used for a choice): {held_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
