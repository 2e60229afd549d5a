"""Deduplication quality on the labelled pairs: precision, recall, F1, per-category errors.

Run: python -m factstream.bench.dedup_quality [path ...] [--errors] [--exclude NAME ...]
Without a path, reports tests/gold/pairs/dedup.jsonl, dedup_heldout.jsonl and
dedup_heldout_semantic.jsonl separately (all three have since been read while tuning the
rules: development sets now), never any other file of the directory; ``--exclude NAME``
drops a file by name from whatever would be scored. A pair is predicted "duplicate" when
the pair judge says so; sides are built with claim_from_text, as the CLI does. Also prints
the mean cost of one compare call.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from factstream.processors import wordvectors
from factstream.processors.judge import default_judge
from factstream.processors.matching import analyse, claim_from_text
from factstream.schemas.records import Claim

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "gold" / "pairs"
GOLD = PAIRS / "dedup.jsonl"
HELDOUT = PAIRS / "dedup_heldout.jsonl"
# Synonym restatements and the hard negatives embeddings find close (written for matching/semantic.py).
HELDOUT_SEMANTIC = PAIRS / "dedup_heldout_semantic.jsonl"


def side(spec: dict) -> Claim:
    """Build one side of a pair the way the CLI does."""
    fields = {k: v for k, v in spec.items() if k != "text"}
    if "published_at" in fields:
        fields["published_at"] = datetime.fromisoformat(fields["published_at"])
    return claim_from_text(spec["text"], **fields)


def load(path: Path) -> list[dict]:
    """Return the rows of a JSONL gold file."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def evaluate(path: Path, show_errors: bool) -> None:
    """Print the figures for one gold file."""
    rows = load(path)
    tp = fp = fn = tn = 0
    errors: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    shown = []
    pairs = [(side(r["a"]), side(r["b"]), r) for r in rows]
    start = time.perf_counter()
    verdicts = default_judge().judge([(analyse(a), analyse(b)) for a, b, _ in pairs])
    cold = time.perf_counter() - start
    for (_, _, row), verdict in zip(pairs, verdicts, strict=True):
        gold = row["label"] == "duplicate"
        pred = verdict.relation == "duplicate"
        totals[row["category"]] += 1
        if gold and pred:
            tp += 1
        elif pred:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1
        if gold != pred:
            errors[row["category"]] += 1
            shown.append((row, verdict))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"== {path.name}: pairs {len(rows)} (duplicates {tp + fn}, distinct {fp + tn})")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (tp {tp} fp {fp} fn {fn} tn {tn})")
    print("errors by category: " + ", ".join(f"{c} {errors[c]}/{totals[c]}" for c in sorted(totals)))
    # Per-pair cost: features are cached per claim, so time cold (first sight) and warm.
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        default_judge().judge([(analyse(a), analyse(b)) for a, b, _ in pairs])
    warm = (time.perf_counter() - start) / (rounds * len(pairs))
    print(f"compare cost: {1e6 * cold / len(pairs):.0f} us/pair cold (analysing both claims), "
          f"{1e6 * warm:.0f} us/pair warm (features cached)")
    if show_errors:
        for row, verdict in shown:
            print(f"\n[{row['id']} {row['label']}/{row['category']}] -> {verdict.relation} {verdict.score}")
            print(f"  A: {row['a']['text']} ({row['a'].get('speaker')})")
            print(f"  B: {row['b']['text']} ({row['b'].get('speaker')})")
            print(f"  {verdict.explanation}")
    print()


def main(argv: list[str]) -> None:
    """Evaluate the given files, or the in-sample and held-out sets."""
    excluded = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--exclude"}
    args = [a for i, a in enumerate(argv)
            if not a.startswith("--") and (i == 0 or argv[i - 1] != "--exclude")]
    paths = [Path(a) for a in args] or [GOLD, HELDOUT, HELDOUT_SEMANTIC]
    paths = [p for p in paths if p.name not in excluded]
    # The embedding model loads once per process: timed apart so that it is not in a per-pair cost.
    start = time.perf_counter()
    wordvectors.load_model()
    print(f"embedding model load: {time.perf_counter() - start:.2f} s (once per process)\n")
    for path in paths:
        evaluate(path, "--errors" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
