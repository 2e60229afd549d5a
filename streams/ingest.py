"""`factstream ingest`: read article files, validate them, send them to the raw topic, wait.

kafka-python is the producer here (the agents use aiokafka through faust). Inputs
that are malformed are reported with the file and the reason and are not sent;
anything malformed that reaches the raw topic another way is dead-lettered by the
extract agent.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from factstream.articles import article_from_obj
from factstream.errors import FactstreamError, InvalidRecord, ServiceUnavailable
from factstream.schemas.records import Article
from factstream.settings import Settings
from factstream.store.queries import ClaimQueries
from factstream.store.repository import ArticleProgress

# Suffixes read when a directory is given; anything else in it is skipped silently.
READABLE_SUFFIXES = (".json", ".jsonl", ".txt")

# kafka-python 3.x opens with ApiVersions v4, which librdkafka's mock cluster answers
# badly; pinning the protocol level it speaks avoids that. Real Kafka negotiates itself.
EMBEDDED_BROKER_API_VERSION = (2, 3, 0)

# Chaos scores (charset-normalizer's 0-1 mess ratio) this close count as equally clean: its
# own step between candidates on a mostly-ASCII file is ~0.08 for one odd byte.
_CHAOS_TIE = 0.1

# How often `--wait` polls PostgreSQL for progress.
_WAIT_POLL_S = 0.25


@dataclass
class Input:
    """One article read from a file (or the reason it could not be read)."""

    label: str
    article: Article | None = None
    error: str | None = None
    # The text encoding the file was decoded from when it was not UTF-8 (detected).
    encoding: str | None = None


@dataclass
class Defaults:
    """Metadata for inputs that lack it (plain text files, JSON without a source)."""

    source: str = "local"
    published_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The time of ingest, for undated articles when no date is given (``factstream ingest``);
    # extraction alone leaves them undated.
    ingested_at: datetime | None = None

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Fill missing fields of a JSON article object; an undated article says where its date came from."""
        out = dict(obj)
        out.setdefault("source", self.source)
        if out.get("published_at") == "":
            del out["published_at"]  # an empty date is no date, as on POST /articles
        if out.get("published_at") is None:
            if self.published_at is not None:
                out["published_at"] = self.published_at.isoformat()
                out["date_source"] = "given"
            elif self.ingested_at is not None:
                out["published_at"] = self.ingested_at.isoformat()
                out["date_source"] = "ingested"
        return out


def _from_obj(label: str, obj: Any, defaults: Defaults, max_body_bytes: int) -> Input:
    try:
        if isinstance(obj, dict):
            obj = defaults.apply(obj)
        return Input(label, article=article_from_obj(obj, max_body_bytes))
    except InvalidRecord as exc:
        return Input(label, error=str(exc))


def _decode(label: str, data: bytes) -> tuple[str, str | None] | Input:
    """The file's text and, when it was not UTF-8, the encoding detected and used.

    Legacy encodings (Latin-1, Windows-1252, ...) are detected with charset-normalizer rather
    than guessed by a rule of ours; bytes that are no text in any encoding are rejected.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        position = exc.start
    from charset_normalizer import from_bytes

    # A decoding that leaves no text (a lone byte-order mark) is not a text encoding of these bytes.
    candidates = [m for m in from_bytes(data) if m.encoding not in ("utf_8", "utf-8") and str(m).strip()]
    if not candidates:
        return Input(label, error=f"not valid UTF-8 (byte {position}) and no other text encoding detected")
    # charset-normalizer ranks by "chaos" (mess in the decoded text) first; on mostly-ASCII text a
    # single legacy byte leaves several encodings nearly chaos-free (a BBC file with one 0xA3 came
    # first as Shift-JIS, text in no language). Among the least chaotic, the one whose text reads
    # most like a language (its coherence) is taken.
    least = min(m.chaos for m in candidates)
    best = max((m for m in candidates if m.chaos <= least + _CHAOS_TIE),
               key=lambda m: (m.coherence, -m.chaos))
    if best.coherence == 0:
        best = max(candidates, key=lambda m: (m.coherence, -m.chaos))
    return str(best), best.encoding


def parse_text(label: str, text: str, defaults: Defaults, max_body_bytes: int) -> Input:
    """A .txt article: a first line followed by a blank line is the title (as in the BBC corpus)."""
    lines = text.split("\n", 2)
    title, body = "", text
    if len(lines) == 3 and lines[0].strip() and not lines[1].strip():
        title, body = lines[0].strip(), lines[2]
    return _from_obj(label, {"title": title, "body": body}, defaults, max_body_bytes)


def parse_file(
    label: str, data: bytes, suffix: str, defaults: Defaults, max_body_bytes: int
) -> Iterator[Input]:
    """Parse one file's bytes by suffix into inputs (each saying the encoding used, when not UTF-8)."""
    decoded = _decode(label, data)
    if isinstance(decoded, Input):
        yield decoded
        return
    text, encoding = decoded
    for item in _parse_text_file(label, text, suffix, defaults, max_body_bytes):
        item.encoding = encoding
        yield item


def _parse_text_file(
    label: str, text: str, suffix: str, defaults: Defaults, max_body_bytes: int
) -> Iterator[Input]:
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{label}:{number}"
            try:
                yield _from_obj(where, json.loads(line), defaults, max_body_bytes)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield Input(where, error=f"not valid JSON: {exc}")
    elif suffix == ".json":
        try:
            yield _from_obj(label, json.loads(text), defaults, max_body_bytes)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Input(label, error=f"not valid JSON: {exc}")
    else:
        yield parse_text(label, text, defaults, max_body_bytes)


def expand_paths(paths: Iterable[str]) -> list[Path | str]:
    """Files to read: directories recursively (readable suffixes only), ``-`` for stdin."""
    out: list[Path | str] = []
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
            )
        else:
            out.append(path)
    return out


def read_inputs(files: Iterable[Path | str], defaults: Defaults, max_body_bytes: int) -> Iterator[Input]:
    """Read every file into inputs; stdin is read as JSON lines, a JSON object, or text."""
    for item in files:
        if item == "-":
            data = sys.stdin.buffer.read()
            stripped = data.lstrip()
            suffix = ".jsonl" if stripped.startswith(b"{") and b"\n{" in data else (
                ".json" if stripped.startswith(b"{") else ".txt"
            )
            yield from parse_file("<stdin>", data, suffix, defaults, max_body_bytes)
            continue
        path = Path(item)
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Input(str(path), error=f"cannot read: {exc.strerror or exc}")
            continue
        yield from parse_file(str(path), data, path.suffix.lower(), defaults, max_body_bytes)


class ArticleProducer:
    """Sends articles to the raw topic with kafka-python, keyed by article id."""

    def __init__(self, settings: Settings, *, embedded_broker: bool) -> None:
        from kafka import KafkaProducer
        from kafka.errors import KafkaError

        options: dict[str, Any] = {
            "bootstrap_servers": (settings.kafka_bootstrap or "").split(","),
            "acks": "all",
            "linger_ms": 5,
            "retries": 5,
            "client_id": f"{settings.app_id}-ingest",
        }
        if embedded_broker:
            options["api_version"] = EMBEDDED_BROKER_API_VERSION
        try:
            self._producer = KafkaProducer(**options)
        except KafkaError as exc:
            raise ServiceUnavailable(f"cannot reach Kafka at {settings.kafka_bootstrap}: {exc}") from exc
        self._topic = f"{settings.topic_prefix}articles"
        self._futures: list[Any] = []

    def send(self, article: Article) -> None:
        """Queue one article."""
        self._futures.append(
            self._producer.send(
                self._topic, key=article.id.encode("utf-8"), value=article.model_dump_json().encode("utf-8")
            )
        )

    def send_and_wait(self, article: Article, timeout: float) -> None:
        """Send one article and wait until Kafka acknowledges it.

        A long-lived producer's send: nothing is kept for :meth:`close` to check.
        """
        from kafka.errors import KafkaError

        try:
            self._producer.send(
                self._topic, key=article.id.encode("utf-8"), value=article.model_dump_json().encode("utf-8")
            ).get(timeout=timeout)
        except KafkaError as exc:
            raise FactstreamError(f"the article was not acknowledged by Kafka: {exc}") from exc

    def send_raw(self, key: bytes | None, value: bytes, topic: str | None = None) -> None:
        """Queue raw bytes as they are (operators replaying payloads), to ``topic`` or the raw topic."""
        self._futures.append(self._producer.send(topic or self._topic, key=key, value=value))

    def close(self, timeout: float = 60.0) -> None:
        """Flush, check that every message was acknowledged, and close."""
        self._producer.flush(timeout=timeout)
        failed = [f for f in self._futures if f.failed()]
        self._producer.close(timeout=timeout)
        if failed:
            raise FactstreamError(
                f"{len(failed)} article(s) were not acknowledged by Kafka: {failed[0].exception}"
            )


async def wait_for(
    settings: Settings, article_ids: list[str], timeout: float, on_progress: Any = None
) -> dict[str, ArticleProgress]:
    """Poll PostgreSQL until every article is stored or dead-lettered, or ``timeout`` passes."""
    assert settings.database_url is not None  # noqa: S101 - resolved by the caller
    deadline = time.monotonic() + timeout
    dsn = settings.database_url.get_secret_value()
    async with ClaimQueries(dsn, max_size=1, statement_timeout_ms=None) as queries:
        while True:
            states = await queries.progress(article_ids)
            finished = sum(1 for s in states.values() if s.state != "pending")
            if on_progress:
                on_progress(finished, len(article_ids))
            if finished == len(article_ids) or time.monotonic() > deadline:
                return states
            await asyncio.sleep(_WAIT_POLL_S)
