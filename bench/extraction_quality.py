"""Score the claim extractor on the hand-labelled gold set in ``tests/gold/extraction``.

Run: ``.venv/bin/python -m factstream.bench.extraction_quality [-v]``. Matching is described in the gold
set's README: a predicted claim matches a gold claim when its span covers at least half the
gold anchor; pairs are one-to-one.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from factstream.processors.extract import extract_claims
from factstream.schemas.records import Article, Claim

GOLD_DIR = Path(__file__).resolve().parents[1] / "tests" / "gold" / "extraction" / "articles"
# Share of the anchor a predicted span must cover to count as the same claim.
MIN_ANCHOR_COVERAGE = 0.5
# Relative tolerance on numeric values (rounded fractions such as 33.33 %).
VALUE_TOLERANCE = 0.01
# Batch of the articles that carry none: the 26 the rules were first written against.
DEFAULT_BATCH = "2026-original"


@dataclass
class GoldArticle:
    article: Article
    claims: list[dict]
    spans: list[tuple[int, int]] = field(default_factory=list)
    # Articles are scored per batch: later batches were written after the rules and are closer
    # to held-out text than the first one, which the rules were tuned on.
    batch: str = DEFAULT_BATCH


def load_gold(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    gold = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n".join(data["paragraphs"])
        article = Article(source="gold", url=f"gold://{data['id']}", body=body,
                          published_at=datetime.fromisoformat(data["published_at"]))
        item = GoldArticle(article, data["claims"], batch=data.get("batch", DEFAULT_BATCH))
        for claim in data["claims"]:
            start = body.index(claim["anchor"])
            item.spans.append((start, start + len(claim["anchor"])))
        gold.append(item)
    return gold


def _coverage(anchor: tuple[int, int], span: tuple[int, int]) -> float:
    overlap = min(anchor[1], span[1]) - max(anchor[0], span[0])
    return max(0, overlap) / max(1, anchor[1] - anchor[0])


def match(item: GoldArticle, predicted: list[Claim]) -> list[tuple[int, int]]:
    pairs = []
    for g_index, (gold, anchor) in enumerate(zip(item.claims, item.spans, strict=True)):
        for p_index, claim in enumerate(predicted):
            coverage = _coverage(anchor, claim.span)
            if coverage >= MIN_ANCHOR_COVERAGE:
                same_quote = gold.get("quote") is not None and claim.quote == gold.get("quote")
                pairs.append((same_quote, coverage, g_index, p_index))
    pairs.sort(reverse=True)
    used_g, used_p, result = set(), set(), []
    for _, _, g_index, p_index in pairs:
        if g_index not in used_g and p_index not in used_p:
            used_g.add(g_index)
            used_p.add(p_index)
            result.append((g_index, p_index))
    return result


def _numbers_equal(gold: list, predicted: Claim) -> bool:
    expected = sorted((float(v), (u or "").lower()) for v, u in gold)
    found = sorted((q.value, (q.unit or "").lower()) for q in predicted.numbers)
    if len(expected) != len(found):
        return False
    return all(abs(a[0] - b[0]) <= VALUE_TOLERANCE * max(1.0, abs(a[0])) and a[1] == b[1]
               for a, b in zip(expected, found, strict=True))


@dataclass
class Scores:
    """Counts behind the figures of one batch of gold articles."""

    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker: int = 0
    quote_total: int = 0
    quote: int = 0
    numbers: int = 0
    modality: int = 0
    negated: int = 0

    def report(self, title: str) -> None:
        """Print the figures, one per line."""
        ratio = lambda a, b: a / b if b else float("nan")  # noqa: E731
        print(f"== {title}")
        print(f"gold articles: {self.articles}, gold claims: {self.gold}, "
              f"predicted claims: {self.predicted}, matched: {self.matched}")
        print(f"claim precision: {ratio(self.matched, self.predicted):.3f}")
        print(f"claim recall:    {ratio(self.matched, self.gold):.3f}")
        print(f"speaker accuracy (matched):      {ratio(self.speaker, self.matched):.3f}")
        print(f"exact quote match (gold quotes): {ratio(self.quote, self.quote_total):.3f} "
              f"({self.quote}/{self.quote_total})")
        print(f"number accuracy (matched):       {ratio(self.numbers, self.matched):.3f}")
        print(f"modality accuracy (matched):     {ratio(self.modality, self.matched):.3f}")
        print(f"negation accuracy (matched):     {ratio(self.negated, self.matched):.3f}")


def _score(item: GoldArticle, scores: Scores, *, verbose: bool) -> None:
    predicted = extract_claims(item.article)
    pairs = match(item, predicted)
    scores.articles += 1
    scores.gold += len(item.claims)
    scores.predicted += len(predicted)
    scores.matched += len(pairs)
    for g_index, p_index in pairs:
        g, p = item.claims[g_index], predicted[p_index]
        checks = {
            "speaker": g.get("speaker") == p.speaker,
            "numbers": _numbers_equal(g.get("numbers", []), p),
            "modality": g.get("modality", "asserted") == p.modality,
            "negated": g.get("negated", False) == p.negated,
        }
        scores.speaker += checks["speaker"]
        scores.numbers += checks["numbers"]
        scores.modality += checks["modality"]
        scores.negated += checks["negated"]
        if g.get("quote") is not None:
            scores.quote_total += 1
            checks["quote"] = p.quote == g["quote"]
            scores.quote += checks["quote"]
        if verbose and not all(checks.values()):
            bad = [k for k, v in checks.items() if not v]
            print(f"[{item.article.url}] {g['anchor'][:60]!r} wrong {bad}")
            print(f"    gold speaker={g.get('speaker')!r} quote={g.get('quote')!r} "
                  f"numbers={g.get('numbers', [])} mod={g.get('modality', 'asserted')} "
                  f"neg={g.get('negated', False)}")
            print(f"    got  speaker={p.speaker!r} quote={p.quote!r} "
                  f"numbers={[[q.value, q.unit] for q in p.numbers]} mod={p.modality} neg={p.negated}")
    if verbose:
        matched_g = {g for g, _ in pairs}
        for g_index, g in enumerate(item.claims):
            if g_index not in matched_g:
                print(f"[{item.article.url}] MISSED {g['anchor'][:70]!r}")
        matched_p = {p for _, p in pairs}
        for p_index, p in enumerate(predicted):
            if p_index not in matched_p:
                print(f"[{item.article.url}] EXTRA {p.text[:70]!r}")


def main() -> None:
    """Score every gold article and print the figures per batch, then over all of them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    by_batch: dict[str, Scores] = {}
    total = Scores()
    for item in load_gold():
        _score(item, by_batch.setdefault(item.batch, Scores()), verbose=args.verbose)
    for batch, scores in sorted(by_batch.items()):
        scores.report(f"batch {batch}")
        for name in total.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(scores, name))
    if len(by_batch) > 1:
        total.report("all batches")


if __name__ == "__main__":
    main()
