"""Contradiction quality on the labelled pairs.

Prints precision/recall/F1 per kind and overall (a detection counts for the overall figures
whatever its kind), type accuracy on detected true contradictions, and the false-alarm rate
on hard negatives (per near-kind family and per category).
Run: python -m factstream.bench.contradiction_quality [path ...] [--errors]
Without a path, reports the in-sample set (contradictions.jsonl, which the rules were tuned on),
the held-out set (contradictions_heldout.jsonl, never tuned on) and the realistic set
(contradictions_realistic.jsonl: invented pairs in the shapes of false alarms seen on real news,
see bench/contradiction_audit.py) separately.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from factstream.bench.dedup_quality import PAIRS, load, side
from factstream.processors.judge import default_judge
from factstream.processors.matching import analyse

GOLD = PAIRS / "contradictions.jsonl"
HELDOUT = PAIRS / "contradictions_heldout.jsonl"
REALISTIC = PAIRS / "contradictions_realistic.jsonl"
KINDS = ("numeric", "negation", "antonym", "stance_reversal", "conflicting_report")


def evaluate(path: Path, show_errors: bool) -> None:
    """Print the figures for one gold file."""
    rows = load(path)
    pairs = [(side(r["a"]), side(r["b"]), r) for r in rows]
    start = time.perf_counter()
    verdicts = default_judge().judge([(analyse(a), analyse(b)) for a, b, _ in pairs])
    cost = (time.perf_counter() - start) / len(pairs)
    tp = fp = fn = 0
    per: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    typed_right = typed_total = 0
    alarms: Counter[str] = Counter()
    negatives: Counter[str] = Counter()
    wrong = []
    for (_, _, row), verdict in zip(pairs, verdicts, strict=True):
        gold = row["label"]
        pred = verdict.kind if verdict.relation == "contradiction" else "none"
        if gold != "none" and pred != "none":
            tp += 1
            typed_total += 1
            typed_right += gold == pred
        elif pred != "none":
            fp += 1
        elif gold != "none":
            fn += 1
        for kind in KINDS:
            if gold == kind and pred == kind:
                per[kind]["tp"] += 1
            elif pred == kind:
                per[kind]["fp"] += 1
            elif gold == kind:
                per[kind]["fn"] += 1
        if gold == "none":
            negatives[row["family"]] += 1
            negatives["cat:" + row["category"]] += 1
            if pred != "none":
                alarms[row["family"]] += 1
                alarms["cat:" + row["category"]] += 1
        if gold != pred:
            wrong.append((row, verdict))

    def prf(t: int, p: int, n: int) -> str:
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (tp {t} fp {p} fn {n})"

    positives = sum(r["label"] != "none" for r in rows)
    print(f"== {path.name}: pairs {len(rows)}: contradictions {positives}, "
          f"hard negatives {len(rows) - positives}")
    print(f"overall (any kind)   {prf(tp, fp, fn)}")
    for kind in KINDS:
        print(f"  {kind:<19}{prf(per[kind]['tp'], per[kind]['fp'], per[kind]['fn'])}")
    print(f"type accuracy on detected contradictions: {typed_right}/{typed_total} "
          f"= {typed_right / typed_total if typed_total else 0:.3f}")
    total_neg = sum(v for k, v in negatives.items() if not k.startswith("cat:"))
    total_alarm = sum(v for k, v in alarms.items() if not k.startswith("cat:"))
    print(f"false alarms on hard negatives: {total_alarm}/{total_neg} = {total_alarm / total_neg:.3f}")
    print("  by family:   " + ", ".join(f"{k} {alarms[k]}/{v}" for k, v in sorted(negatives.items())
                                      if not k.startswith("cat:")))
    print("  by category: " + ", ".join(f"{k[4:]} {alarms[k]}/{v}" for k, v in sorted(negatives.items())
                                      if k.startswith("cat:")))
    print(f"compare cost: {1e6 * cost:.0f} us/pair (cold)")
    if show_errors:
        for row, verdict in wrong:
            print(f"\n[{row['id']} gold {row['label']}/{row['category']}] -> "
                  f"{verdict.relation}/{verdict.kind}")
            for name in ("a", "b"):
                spec = row[name]
                day = spec.get("published_at", "")[:10]
                print(f"  {name.upper()}: {spec['text']} ({spec.get('speaker')}, {day})")
            print(f"  {verdict.explanation}")
    print()


def main(argv: list[str]) -> None:
    """Evaluate the given files, or the in-sample, held-out and realistic sets."""
    paths = [Path(a) for a in argv if not a.startswith("--")] or [GOLD, HELDOUT, REALISTIC]
    for path in paths:
        evaluate(path, "--errors" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
