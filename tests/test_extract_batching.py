"""Extraction in batches gives what it gives one article at a time, whatever the hash seed.

``ExtractProcessor.process_batch`` walks the articles of a batch side by side and serves what the
walks ask of the parser on the way in batches (``streams/processors/extract/interleave.py``); the
claims must be the same, in the same order, as ``process`` on each article alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factstream.processors.extract import ExtractProcessor, interleave
from factstream.schemas.records import Article

from .conftest import REPO

PUBLISHED = datetime(2025, 9, 5, tzinfo=UTC)

# Shapes that make a walk ask for a parse or entities on the way: a quote whose speaker only the
# parse finds, reported speech with a descriptive subject, new two-word names, scare quotes.
BODIES = [
    "“The water came in fast,” said resident Jo Hart. “We lost everything in an hour.”\n\n"
    "Varia's trade minister, Jon Aske, said exports would rise by 4% next year.",
    "“We will not back down,” said Norland's foreign minister, Petra Kask, on Monday.\n\n"
    "Company filings show the firm paid £3m in fines. The memo says the plant may close.",
    "Belmarsh Prison held 900 inmates in May, officials said. Dan Rowe said he expected talks "
    "to resume. He said the so-called “peace plan” was not serious.",
    "Le ministre a dit que le plan ne marcherait pas.",
    "Participating airlines agreed to cut fares by 10%, the regulator said on Tuesday.",
    "Read more",
]

_DUMP = """
import json, sys
from datetime import UTC, datetime
from factstream.schemas.records import Article
from factstream.processors.extract import ExtractProcessor
body = open(sys.argv[1], encoding="utf-8").read()
article = Article(source="t", body=body, published_at=datetime(2025, 9, 5, tzinfo=UTC))
claims = ExtractProcessor().process_batch([article, article])[0]
print(json.dumps([c.model_dump(mode="json") for c in claims], sort_keys=True))
"""


def _articles(fixture: Path | None = None) -> list[Article]:
    bodies = list(BODIES)
    if fixture is not None:
        bodies.insert(1, fixture.read_text(encoding="utf-8"))
    return [Article(source="t", body=body, published_at=PUBLISHED,
                    language="fr" if body.startswith("Le ") else None) for body in bodies]


def test_process_batch_gives_the_claims_of_process(fixture_article_path: Path) -> None:
    processor = ExtractProcessor()
    articles = _articles(fixture_article_path)
    alone = [processor.process(article) for article in articles]
    assert processor.process_batch(articles) == alone
    assert processor.process_batch(list(reversed(articles))) == list(reversed(alone))
    assert sum(len(claims) for claims in alone) > 20


def test_process_batch_refuses_what_is_not_an_article() -> None:
    from factstream.errors import InvalidRecord

    with pytest.raises(InvalidRecord):
        ExtractProcessor().process_batch([_articles()[0], {"body": "not an article"}])  # type: ignore[list-item]


def test_claims_do_not_depend_on_the_hash_seed(fixture_article_path: Path, tmp_path: Path) -> None:
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        proc = subprocess.run(  # noqa: S603 - our own interpreter on our own script
            [sys.executable, "-c", _DUMP, str(fixture_article_path)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=True,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())


def test_interleave_serves_the_walks_in_batches_and_keeps_their_order() -> None:
    batches: list[list[int]] = []

    def serve(needs: list[list[int]]) -> None:
        batches.append([need[0] for need in needs])
        for need in needs:
            need.append(need[0] * 10)

    def walk(n: int) -> list[int]:
        got = []
        for step in range(n):
            need = [n * 100 + step]
            interleave.ask(need, serve)
            got.append(need[1])
        return got

    assert interleave.interleave([lambda n=n: walk(n) for n in (2, 0, 3)], serve) == [
        [2000, 2010], [], [3000, 3010, 3020]]
    assert batches == [[200, 300], [201, 301], [302]]


def test_interleave_raises_a_walks_error_after_every_walk_ended() -> None:
    def serve(needs: list[list[int]]) -> None:
        for need in needs:
            need.append(0)

    def fails() -> None:
        interleave.ask([1], serve)
        raise ValueError("bad article")

    def fine() -> str:
        interleave.ask([2], serve)
        interleave.ask([3], serve)
        return "ok"

    with pytest.raises(ValueError, match="bad article"):
        interleave.interleave([fails, fine], serve)


def test_interleave_stops_the_walks_when_serving_fails() -> None:
    def serve(needs: list[list[int]]) -> None:
        raise RuntimeError("parser down")

    ended = []

    def walk() -> None:
        try:
            interleave.ask([1], serve)
        finally:
            ended.append(True)

    with pytest.raises(RuntimeError, match="parser down"):
        interleave.interleave([walk, walk], serve)
    assert ended == [True, True]


def test_a_walk_that_catches_exceptions_still_ends_when_serving_fails() -> None:
    def serve(needs: list[list[int]]) -> None:
        raise RuntimeError("parser down")

    def careless() -> None:
        try:
            interleave.ask([1], serve)
        except Exception:  # noqa: BLE001, S110 - what a careless walk might do
            pass
        interleave.ask([2], serve)

    with pytest.raises(RuntimeError, match="parser down"):
        interleave.interleave([careless, careless], serve)
