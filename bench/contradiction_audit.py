"""Contradiction audit on real news: every alert the pipeline would raise on a BBC sample.

Extraction, deduplication and contradiction detection run in-process, with an in-memory store
that retrieves candidates as the PostgreSQL store does (``streams/store/repository.py``): a new
tracked claim is stored under its claim's blocking keys, and each record meets the most recent
``CANDIDATES_PER_KEY`` tracked claims of each of its keys. Articles are grouped by topic folder so
related stories meet, and get increasing publication times as a stream would.

Prints every detected contradiction (both texts, speakers, kind, explanation), then counts per
kind and per 1,000 claims. The corpus is read in place; nothing is written to the repository.
Run: python -m factstream.bench.contradiction_audit [--corpus DIR] [--per-folder N] [--sample K] [--seed S]
[--inject N]. ``--sample K`` prints a random sample of K alerts (numbered) instead of all, for
judging by hand. ``--inject N`` then checks recall on real text: N real claims get a twin from
another outlet a day later with one figure doubled or a "not" added, and the audit counts the
twins flagged against their original (a lower bound: many real claims cannot be checked at all).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from factstream.processors.contradict import ContradictProcessor
from factstream.processors.dedup import DedupProcessor
from factstream.processors.extract import extract_claims
from factstream.processors.matching import analyse, claim_from_text
from factstream.schemas.records import Article, Claim, Contradiction, TrackedClaim, TrackedClaimUpdate
from factstream.store.repository import CANDIDATES_PER_KEY

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"
# The corpus is from 2004-2005 and undated per article; articles get one hour apart from here,
# so "later" means later in the stream, as it would for live news.
CORPUS_START = datetime(2005, 1, 1, tzinfo=UTC)


class MemoryStore:
    """Tracked claims by blocking key, most recent first, bounded per key on read like the store."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[TrackedClaim]] = {}

    def candidates(self, keys: Sequence[str], exclude: str | None = None) -> list[TrackedClaim]:
        """Return the most recent tracked claims under any of ``keys``, each once, in key order."""
        seen: dict[str, TrackedClaim] = {}
        for key in keys:
            for tracked in self._by_key.get(key, [])[-CANDIDATES_PER_KEY:][::-1]:
                if tracked.id != exclude:
                    seen.setdefault(tracked.id, tracked)
        return list(seen.values())

    def add(self, tracked: TrackedClaim, keys: Sequence[str]) -> None:
        """Store a new tracked claim under its keys."""
        for key in dict.fromkeys(keys):
            self._by_key.setdefault(key, []).append(tracked)


@dataclass
class AuditResult:
    """What one audit run saw."""

    articles: int
    claims: int
    new_tracked: int
    alerts: list[Contradiction]
    seconds: float
    injected: Counter[str]
    caught: Counter[str]


class Pipeline:
    """The dedup and contradict processors over one in-memory store, as the workers run them."""

    def __init__(self) -> None:
        self.dedup, self.contradict, self.store = DedupProcessor(), ContradictProcessor(), MemoryStore()
        self.tracked_of: dict[str, str] = {}

    def feed(self, claim: Claim) -> tuple[TrackedClaimUpdate, list[Contradiction]]:
        """Deduplicate one claim, store it when new, and return its update and contradictions."""
        keys = self.dedup.keys(claim)
        (update,) = self.dedup.process(claim, self.store.candidates(keys))
        assert isinstance(update, TrackedClaimUpdate)
        if update.is_new:
            self.store.add(update.tracked, keys)
        self.tracked_of[claim.id] = update.tracked.id
        candidates = self.store.candidates(self.contradict.keys(update), exclude=update.tracked.id)
        found = [x for x in self.contradict.process(update, candidates) if isinstance(x, Contradiction)]
        return update, found


# A figure to double: not part of a longer number, not a year.
_FIGURE_RE = re.compile(r"(?<![\d.,$£€])(\d+(?:\.\d+)?)(?![\d,])")
# An auxiliary to negate: "was" -> "was not".
_AUX_RE = re.compile(r"\b(is|was|are|were|has|have|had|will)\b (?!not\b)")


def twin(claim: Claim, kind: str, index: int) -> Claim | None:
    """Return a claim from another outlet, a day later, that contradicts ``claim`` by construction."""
    text = claim.text
    if kind == "numeric":
        match = next((m for m in _FIGURE_RE.finditer(text) if not 1900 <= float(m.group(1)) <= 2100), None)
        if match is None:
            return None
        value = float(match.group(1)) * 2
        figure = f"{value:g}"
        text = text[: match.start(1)] + figure + text[match.end(1):]
    else:
        match = _AUX_RE.search(text)
        if match is None or analyse(claim).negated:
            return None
        text = text[: match.end(1)] + " not" + text[match.end(1):]
    later = claim.published_at + timedelta(days=1) if claim.published_at else None
    # The extractor's entities, as the pipeline would give the twin: blocking keys are case-sensitive.
    return claim_from_text(text, speaker=claim.speaker, speaker_role=claim.speaker_role, source="wire",
                           published_at=later, article_id=f"inj-{index}", claim_time=claim.claim_time,
                           entities=list(claim.entities) or None)


def load(corpus: Path, per_folder: int | None) -> list[Article]:
    """Return the articles, folder by folder (the first ``per_folder`` files of each)."""
    articles = []
    index = 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.txt"))[:per_folder]:
            raw = path.read_text(encoding="utf-8", errors="replace")
            title, _, body = raw.partition("\n")
            if not body.strip():
                continue
            when = CORPUS_START + timedelta(hours=index)
            articles.append(Article(source="bbc", url=f"file://{path}", title=title.strip(),
                                    body=body.strip(), published_at=when, language="en"))
            index += 1
    return articles


def audit(articles: Sequence[Article], inject: int = 0, seed: int = 0) -> AuditResult:
    """Run extraction, dedup and contradiction detection over ``articles`` in order, then the injections."""
    pipeline = Pipeline()
    alerts: list[Contradiction] = []
    seen: list[Claim] = []
    new = 0
    start = time.perf_counter()
    for article in articles:
        for claim in extract_claims(article):
            seen.append(claim)
            update, found = pipeline.feed(claim)
            new += update.is_new
            alerts.extend(found)
    seconds = time.perf_counter() - start
    injected: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    rng = random.Random(seed)
    for index, claim in enumerate(rng.sample(seen, min(len(seen), 4 * inject))):
        kind = ("numeric", "negation")[index % 2]
        if injected[kind] >= inject // 2:
            continue
        double = twin(claim, kind, index)
        if double is None:
            continue
        injected[kind] += 1
        _, found = pipeline.feed(double)
        original = pipeline.tracked_of[claim.id]
        caught[kind] += any(original in (x.claim_a_id, x.claim_b_id) for x in found)
    return AuditResult(len(articles), len(seen), new, alerts, seconds, injected, caught)


def show(number: int, alert: Contradiction) -> None:
    """Print one alert: kind, score, both sides with speaker and article, the explanation."""
    print(f"[{number}] {alert.kind} (score {alert.score:.2f})")
    for name, evidence in zip("AB", alert.evidence, strict=False):
        article = (evidence.article_id or "")[:12]
        print(f"  {name}: {evidence.text!r}  (speaker: {evidence.speaker}; {article})")
    print(f"  why: {alert.explanation}")


def main() -> None:
    """Run the audit and print the alerts and their counts."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--per-folder", type=int, default=None,
                        help="articles per topic folder (default all)")
    parser.add_argument("--sample", type=int, default=None, help="print a random sample of this many alerts")
    parser.add_argument("--inject", type=int, default=0, help="contradicting twins to inject after the run")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = audit(load(args.corpus, args.per_folder), args.inject, args.seed)
    alerts = list(enumerate(result.alerts, 1))
    if args.sample is not None:
        alerts = sorted(random.Random(args.seed).sample(alerts, min(args.sample, len(alerts))))
    for number, alert in alerts:
        show(number, alert)
        print()
    per_kind: Counter[str] = Counter(a.kind for a in result.alerts)
    rate = 1000 * len(result.alerts) / result.claims if result.claims else 0.0
    print(f"articles {result.articles}, claims {result.claims}, tracked claims {result.new_tracked}, "
          f"alerts {len(result.alerts)} = {rate:.2f} per 1,000 claims ({result.seconds:.1f} s)")
    for kind, count in per_kind.most_common():
        print(f"  {kind:<19}{count:>5} = {1000 * count / result.claims:.2f} per 1,000 claims")
    for kind, count in sorted(result.injected.items()):
        print(f"injected {kind} twins flagged against their original: {result.caught[kind]}/{count}")


if __name__ == "__main__":
    main()
