"""Deduplication precision on real news: hand-judged BBC merges, re-decided by the current rules.

Run: python -m factstream.bench.dedup_real [--corpus PATH] [--show]

The invented gold pairs (factstream.bench.dedup_quality) have one change per hard negative; real news is
harder: sentences of one story share half their words without stating the same fact. So
tests/gold/bbc/dedup_merges.jsonl holds 80 pairs of differently worded BBC claims that an
earlier version of the rules merged (two random samples of 40 from a whole-corpus run), each
judged by hand "duplicate" or "distinct". Only ids are stored; the text is read from the corpus
(../shared/corpus/bbc, BBC copyright, never copied into the project) and extracted again.

It prints, for the current rules: how many of the judged pairs they still merge, how many of
those are right (precision on real merges of differently worded claims), and how many true
duplicates they no longer merge. The pairs were sampled from merges, so this measures
precision and lost merges, not recall over the corpus.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from factstream.bench.corpus import load_corpus
from factstream.processors import registry
from factstream.processors.judge import default_judge
from factstream.processors.matching import analyse

LABELS = Path(__file__).resolve().parent.parent / "tests" / "gold" / "bbc" / "dedup_merges.jsonl"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "bbc"


@click.command()
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), default=CORPUS, show_default=True)
@click.option("--show", is_flag=True, help="Print every judged pair with the current verdict.")
def main(corpus: Path, show: bool) -> None:
    """Score the current dedup rules on hand-judged BBC merges."""
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    wanted = {side["article_id"] for r in rows for side in (r["a"], r["b"])}
    articles = [a for a in load_corpus(corpus) if a.id in wanted]
    extract = registry.load("extract")
    extract.setup()
    claims = {c.id: c for a in articles for c in extract.process(a)}
    merged = right = lost = stale = 0
    for row in rows:
        a, b = claims.get(row["a"]["claim_id"]), claims.get(row["b"]["claim_id"])
        if a is None or b is None:
            stale += 1  # the extractor no longer finds that claim
            continue
        (verdict,) = default_judge().judge([(analyse(b), analyse(a))])
        is_dup, truth = verdict.relation == "duplicate", row["label"] == "duplicate"
        merged += is_dup
        right += is_dup and truth
        lost += truth and not is_dup
        if show:
            mark = "ok " if is_dup == truth else "ERR"
            print(f"{mark} label={row['label']:<9} verdict={verdict.relation:<13} {verdict.score:.2f}\n"
                  f"    A: {a.text}\n    B: {b.text}")
    judged = len(rows) - stale
    truths = sum(1 for r in rows if r["label"] == "duplicate")
    print(f"judged BBC merges: {judged} ({truths} judged duplicate){f', {stale} stale' if stale else ''}")
    print(f"merged now: {merged}, right: {right}, precision {right / merged if merged else 0:.3f}; "
          f"true duplicates no longer merged: {lost} of {truths}")


if __name__ == "__main__":
    sys.exit(main())
