"""Contradiction quality on tests/gold/pairs/contradictions.jsonl.

Prints precision/recall/F1 per kind and overall (a detection counts for the overall figures
whatever its kind), type accuracy on detected true contradictions, and the false-alarm rate
on hard negatives (per near-kind family and per category).
Run: python -m bench.contradiction_quality [path] [--errors]
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from bench.dedup_quality import side
from streams.processors.matching import compare

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "pairs" / "contradictions.jsonl"
KINDS = ("numeric", "negation", "antonym", "stance_reversal", "conflicting_report")


def main(argv: list[str]) -> None:
    path = Path(next((a for a in argv if not a.startswith("--")), GOLD))
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    pairs = [(side(r["a"]), side(r["b"]), r) for r in rows]
    start = time.perf_counter()
    verdicts = [compare(a, b) for a, b, _ in pairs]
    cost = (time.perf_counter() - start) / len(pairs)
    tp = fp = fn = 0
    per = {k: Counter() for k in KINDS}
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
    print(f"pairs {len(rows)}: contradictions {positives}, hard negatives {len(rows) - positives}")
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
    if "--errors" in argv:
        for row, verdict in wrong:
            print(f"\n[{row['id']} gold {row['label']}/{row['category']}] -> {verdict.relation}/{verdict.kind}")
            print(f"  A: {row['a']['text']} ({row['a'].get('speaker')}, {row['a'].get('published_at', '')[:10]})")
            print(f"  B: {row['b']['text']} ({row['b'].get('speaker')}, {row['b'].get('published_at', '')[:10]})")
            print(f"  {verdict.explanation}")


if __name__ == "__main__":
    main(sys.argv[1:])
