"""Claim extraction speed on the BBC corpus: articles and sentences per second on one core, and peak memory.

Articles go through ``extract_many`` as a batch, as the CLI reads them: the sentences that need the
parser are parsed together with ``nlp.pipe``.

Run: ``taskset -c 0 .venv/bin/python -m factstream.bench.extraction_speed [--corpus DIR] [--limit N]``.
The corpus is read in place (never copied). Each file's first line is the title, the rest the body.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from factstream.processors.extract import RuleBasedExtractor
from factstream.processors.extract.extractor import _ArticleReader
from factstream.processors.extract.markup import mask_markup
from factstream.processors.extract.segmentation import sentences
from factstream.schemas.records import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"
# Publication date for relative dates; the corpus is from 2004-2005.
CORPUS_DATE = datetime(2005, 1, 1, tzinfo=UTC)


def load(corpus: Path, limit: int | None) -> list[Article]:
    articles = []
    for path in sorted(corpus.glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = raw.partition("\n")
        if not body.strip():
            continue
        articles.append(Article(source="bbc", url=f"file://{path}", title=title.strip(), body=body.strip(),
                                published_at=CORPUS_DATE, language="en"))
        if limit and len(articles) >= limit:
            break
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_getaffinity"):
        print(f"cores available to this process: {len(os.sched_getaffinity(0))} (use taskset -c 0 for one)")
    articles = load(args.corpus, args.limit)
    n_sentences = sum(len(sentences(mask_markup(a.body))) for a in articles)
    extractor = RuleBasedExtractor()
    extractor.extract(articles[0])  # load the parser and the check-worthiness model, warm regex caches
    parsed = sum(len(_ArticleReader(a, extractor).to_parse()) for a in articles)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    claims = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(args.repeat):
        claims += sum(len(found) for found in extractor.extract_many(articles))
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    total_sentences = n_sentences * args.repeat
    print(f"articles: {len(articles) * args.repeat}, sentences: {total_sentences}, claims: {claims}")
    print(f"wall {wall:.2f}s, cpu {cpu:.2f}s")
    print(f"sentences/s (wall): {total_sentences / wall:,.0f}; (cpu): {total_sentences / cpu:,.0f}")
    print(f"articles/s (wall): {len(articles) * args.repeat / wall:,.1f}; "
          f"(cpu): {len(articles) * args.repeat / cpu:,.1f}")
    print(f"sentences parsed: {parsed} of {n_sentences} ({parsed / max(1, n_sentences):.0%})")
    tracemalloc.start()
    for article in articles[:50]:
        extractor.extract(article)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS of the process: {rss / 1024:.0f} MB "
          f"(growth during extraction {(rss - rss_before) / 1024:.1f} MB)")
    print(f"peak Python allocation while extracting 50 articles: {peak / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
