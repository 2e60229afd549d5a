"""Score the claim extractor on the hand-labelled gold set in ``tests/gold/extraction``.

Run: ``.venv/bin/python -m bench.extraction_quality [-v]``. Matching is described in the gold
set's README: a predicted claim matches a gold claim when its span covers at least half the
gold anchor; pairs are one-to-one.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from schemas.records import Article, Claim
from streams.processors.extract import extract_claims

GOLD_DIR = Path(__file__).resolve().parents[1] / "tests" / "gold" / "extraction" / "articles"
# Share of the anchor a predicted span must cover to count as the same claim.
MIN_ANCHOR_COVERAGE = 0.5
# Relative tolerance on numeric values (rounded fractions such as 33.33 %).
VALUE_TOLERANCE = 0.01


@dataclass
class GoldArticle:
    article: Article
    claims: list[dict]
    spans: list[tuple[int, int]] = field(default_factory=list)


def load_gold(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    gold = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n".join(data["paragraphs"])
        article = Article(source="gold", url=f"gold://{data['id']}", body=body,
                          published_at=datetime.fromisoformat(data["published_at"]))
        item = GoldArticle(article, data["claims"])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    gold = load_gold()
    n_gold = n_pred = n_match = 0
    speaker_ok = quote_total = quote_ok = numbers_ok = modality_ok = negation_ok = 0
    for item in gold:
        predicted = extract_claims(item.article)
        pairs = match(item, predicted)
        n_gold += len(item.claims)
        n_pred += len(predicted)
        n_match += len(pairs)
        matched_g = {g for g, _ in pairs}
        for g_index, p_index in pairs:
            g, p = item.claims[g_index], predicted[p_index]
            checks = {
                "speaker": g.get("speaker") == p.speaker,
                "numbers": _numbers_equal(g.get("numbers", []), p),
                "modality": g.get("modality", "asserted") == p.modality,
                "negated": g.get("negated", False) == p.negated,
            }
            speaker_ok += checks["speaker"]
            numbers_ok += checks["numbers"]
            modality_ok += checks["modality"]
            negation_ok += checks["negated"]
            if g.get("quote") is not None:
                quote_total += 1
                checks["quote"] = p.quote == g["quote"]
                quote_ok += checks["quote"]
            if args.verbose and not all(checks.values()):
                bad = [k for k, v in checks.items() if not v]
                print(f"[{item.article.url}] {g['anchor'][:60]!r} wrong {bad}")
                print(f"    gold speaker={g.get('speaker')!r} quote={g.get('quote')!r} numbers={g.get('numbers', [])} "
                      f"mod={g.get('modality', 'asserted')} neg={g.get('negated', False)}")
                print(f"    got  speaker={p.speaker!r} quote={p.quote!r} "
                      f"numbers={[[q.value, q.unit] for q in p.numbers]} mod={p.modality} neg={p.negated}")
        if args.verbose:
            for g_index, g in enumerate(item.claims):
                if g_index not in matched_g:
                    print(f"[{item.article.url}] MISSED {g['anchor'][:70]!r}")
            matched_p = {p for _, p in pairs}
            for p_index, p in enumerate(predicted):
                if p_index not in matched_p:
                    print(f"[{item.article.url}] EXTRA {p.text[:70]!r}")
    ratio = lambda a, b: a / b if b else float("nan")  # noqa: E731
    print(f"gold articles: {len(gold)}, gold claims: {n_gold}, predicted claims: {n_pred}, matched: {n_match}")
    print(f"claim precision: {ratio(n_match, n_pred):.3f}")
    print(f"claim recall:    {ratio(n_match, n_gold):.3f}")
    print(f"speaker accuracy (matched):      {ratio(speaker_ok, n_match):.3f}")
    print(f"exact quote match (gold quotes): {ratio(quote_ok, quote_total):.3f} ({quote_ok}/{quote_total})")
    print(f"number accuracy (matched):       {ratio(numbers_ok, n_match):.3f}")
    print(f"modality accuracy (matched):     {ratio(modality_ok, n_match):.3f}")
    print(f"negation accuracy (matched):     {ratio(negation_ok, n_match):.3f}")


if __name__ == "__main__":
    main()
