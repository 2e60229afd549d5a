"""Precision, recall and F1 of the pair judge, per labelled set, on pairs training never saw.

``factstream evaluate`` runs it on the ``eval`` split of :mod:`.judge_data` (the pair model trained
on ``train``, the combiner and its thresholds were fitted on ``tune``); ``--split tune`` shows the
in-sample figures of the combiner, labelled so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from factstream.processors.judge import Judgement, PairJudge
from factstream.processors.matching.features import analyse
from factstream.training.judge_data import Pair


@dataclass
class Score:
    """Counts for one relation on one set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of the pairs said to be of the relation that are."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of the pairs of the relation that were found."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, truth: bool, said: bool) -> None:
        """Count one pair."""
        self.tp += truth and said
        self.fp += (not truth) and said
        self.fn += truth and not said


def judge_pairs(judge: PairJudge, pairs: Sequence[Pair], batch: int = 256) -> list[Judgement]:
    """The judge's verdicts on labelled pairs (claims made from the texts: :meth:`Pair.claims`)."""
    out: list[Judgement] = []
    for start in range(0, len(pairs), batch):
        chunk = pairs[start: start + batch]
        features = [(analyse(a), analyse(b)) for a, b in (p.claims() for p in chunk)]
        out.extend(judge.judge(features))
    return out


def score(pairs: Sequence[Pair], verdicts: Sequence[Judgement]) -> dict[str, dict[str, object]]:
    """Per set: duplicate and contradiction P/R/F1, kind accuracy and false alarms on negatives."""
    dup: dict[str, Score] = defaultdict(Score)
    con: dict[str, Score] = defaultdict(Score)
    kinds: dict[str, list[bool]] = defaultdict(list)
    negatives: dict[str, list[bool]] = defaultdict(list)
    for p, v in zip(pairs, verdicts, strict=True):
        if p.relation is None:
            continue
        dup[p.source].add(p.relation == "duplicate", v.relation == "duplicate")
        con[p.source].add(p.relation == "contradiction", v.relation == "contradiction")
        if p.relation == "contradiction" and v.relation == "contradiction" and p.kind:
            kinds[p.source].append(p.kind == v.kind)
        if p.relation == "none":
            negatives[p.source].append(v.relation != "none")
    report: dict[str, dict[str, object]] = {}
    for source in sorted(set(dup) | set(con)):
        row: dict[str, object] = {"pairs": sum(1 for p in pairs if p.source == source and p.relation)}
        for name, table in (("duplicate", dup), ("contradiction", con)):
            s = table[source]
            if s.tp + s.fn:
                row[name] = {"precision": round(s.precision, 3), "recall": round(s.recall, 3),
                             "f1": round(s.f1, 3), "positives": s.tp + s.fn}
        if kinds[source]:
            row["kind_right"] = round(sum(kinds[source]) / len(kinds[source]), 3)
        if negatives[source]:
            row["false_alarms_on_negatives"] = round(sum(negatives[source]) / len(negatives[source]), 3)
        report[source] = row
    return report


def print_report(report: dict[str, dict[str, object]], title: str) -> None:
    """Print a per-set table."""
    print(title)
    print(f"{'set':8} {'pairs':>6}  {'dup P':>6} {'dup R':>6} {'dup F1':>6}  {'con P':>6} {'con R':>6} "
          f"{'con F1':>6}  {'kind':>5} {'alarms':>6}")
    for source, row in report.items():
        d: dict[str, Any] = row.get("duplicate") or {}  # type: ignore[assignment]
        c: dict[str, Any] = row.get("contradiction") or {}  # type: ignore[assignment]

        def cell(x: object) -> str:
            return f"{x:6.3f}" if isinstance(x, float) else f"{'-':>6}"

        print(f"{source:8} {row['pairs']:>6}  {cell(d.get('precision'))} {cell(d.get('recall'))} "
              f"{cell(d.get('f1'))}  {cell(c.get('precision'))} {cell(c.get('recall'))} {cell(c.get('f1'))}  "
              f"{cell(row.get('kind_right'))[1:]} {cell(row.get('false_alarms_on_negatives'))}")


def to_json(report: dict[str, dict[str, object]]) -> str:
    """The report as JSON."""
    return json.dumps(report, indent=2, sort_keys=True)
