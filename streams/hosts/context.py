"""What every host shares: the app's topics (each declared once), the store, metrics, dead-lettering."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import faust
from faust.types import EventT
from pydantic import BaseModel, ValidationError

from factstream.articles import parse_article
from factstream.deadletters import dead_letter, notice
from factstream.errors import ConfigurationError, InvalidRecord
from factstream.observability import Metrics
from factstream.processors import registry
from factstream.processors.base import needs_candidates
from factstream.schemas.records import Article
from factstream.settings import Settings
from factstream.store import ClaimStore
from factstream.topics import TOPICS, topic_name

log = logging.getLogger(__name__)


class AppTopics:
    """The app's topics, each declared once, all carrying raw bytes: records are (de)serialised by pydantic.

    The pipeline's own topics are declared up front; a plug-in's topic on first use.
    """

    def __init__(self, app: faust.App, settings: Settings) -> None:
        self._app = app
        self._settings = settings
        self._declared: dict[str, faust.TopicT] = {}
        for logical in TOPICS:
            self.topic(logical)

    def topic(self, logical: str) -> faust.TopicT:
        """The topic of a logical name (e.g. "claims"), declared on the app the first time it is asked for."""
        if logical not in self._declared:
            self._declared[logical] = self._app.topic(
                topic_name(self._settings, logical),
                key_type=bytes,
                value_type=bytes,
                key_serializer="raw",
                value_serializer="raw",
                partitions=self._settings.topic_partitions,
            )
        return self._declared[logical]

    @property
    def deadletters(self) -> faust.TopicT:
        """Where every host sends what it cannot process."""
        return self.topic("deadletters")


def encode(record: BaseModel) -> bytes:
    """A record as it travels on a topic: its JSON."""
    return record.model_dump_json().encode("utf-8")


def event_key(event: EventT) -> str | None:
    """The event's key as text, if it has one."""
    return event.key.decode("utf-8", "replace") if event.key else None


def partition_key(keys: Sequence[str]) -> str:
    """The key of a record for a candidate processor: its speaker key, else its main entity, else the first.

    Records likely to be compared (same speaker, same subject) then meet on one partition and one
    worker; the store's advisory locks keep decisions correct for those that do not.
    """
    for prefix in ("s:", "e:"):
        for key in keys:
            if key.startswith(prefix):
                return key
    return keys[0]


class HostContext:
    """What the hosts of one worker share: settings, topics, metrics, the store, the processors loaded."""

    def __init__(self, app: faust.App, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.topics = AppTopics(app, settings)
        self.metrics = Metrics()
        self._store: ClaimStore | None = None
        self._store_lock = asyncio.Lock()
        self._processors: dict[str, Any] = {}
        #: The hosts whose agents run in this worker, by processor name.
        self.hosts: dict[str, Any] = {}

    def processor(self, name: str) -> Any:
        """The processor registered under ``name``, built-in or plug-in, instantiated once per worker."""
        if name not in self._processors:
            self._processors[name] = registry.load(name)
        return self._processors[name]

    def candidate_consumer(self, logical_topic: str) -> Any | None:
        """The installed candidate processor that reads ``logical_topic`` (built-ins first), or None.

        Found among every installed processor, enabled in this worker or not: records are keyed
        for it wherever it runs.
        """
        for name in registry.installed_names():
            try:
                cls = registry.load_class(name)
            except ConfigurationError:
                continue
            if cls.input_topic == logical_topic and needs_candidates(cls):
                return self.processor(name)
        return None

    def parser(self, processor: Any) -> Callable[[bytes], BaseModel]:
        """How a processor's input payloads are parsed.

        Articles come from outside the pipeline (`factstream ingest`, other producers): they are
        checked by the article parser (size limit, what is malformed and why), every other record
        by its model.
        """
        if processor.input_type is Article:
            limit = self.settings.max_body_bytes
            return lambda payload: parse_article(payload, limit)
        return processor.input_type.model_validate_json  # type: ignore[no-any-return]

    async def store(self) -> ClaimStore:
        """The store, opened on first use (inside the worker's event loop)."""
        async with self._store_lock:
            if self._store is None:
                assert self.settings.database_url is not None  # noqa: S101 - resolved before the app starts
                store = ClaimStore(self.settings.database_url.get_secret_value())
                await store.open()
                self._store = store
        return self._store

    async def dead_letter(self, event: EventT, stage: str, exc: BaseException, key: str | None) -> None:
        """Store the event's whole payload with the reason, then send a notice to the dead-letter topic.

        The notice (streams/deadletters.py) is small whatever the payload's size, so it always
        fits in a Kafka message. Both are awaited inside the batch: a failure here fails the
        batch, which is retried and never acknowledged (see :mod:`factstream.hosts.retry`).
        """
        if not isinstance(exc, InvalidRecord | ValidationError):
            log.error("%s failed on a record (key=%s):\n%s", stage, key,
                      "".join(traceback.format_exception(exc)))
        letter = dead_letter(
            stage,
            exc,
            bytes(event.value or b""),
            key,
            topic=event.message.topic,
            partition=event.message.partition,
            offset=event.message.offset,
        )
        store = await self.store()
        with self.metrics.timed(self.metrics.db_write_seconds, "save_dead_letters"):
            await store.save_dead_letters([letter])
        await self.topics.deadletters.send(key=(key or "").encode(), value=encode(notice(letter)))
        self.metrics.dead_letters.labels(stage).inc()
        log.warning("dead-lettered %s record key=%s: %s", stage, key, letter.reason,
                    extra={"event": "dead_letter", "stage": stage, "key": key})
