"""The faust app: topics and the agents that host the processors.

Agents are thin adapters. Each one takes a record off its topic, hands it to its
processor (pure logic, no I/O), writes the result to PostgreSQL, and sends it on.
Writes are awaited inside the agent's iteration, and faust flushes the producer
before it commits an offset, so every committed offset has its rows and its
downstream records behind it (flush, then commit). Ids are deterministic and every
write is an upsert, so a record delivered twice leaves the same rows.

Topology::

    articles ──extract──▶ claims ──dedup──▶ tracked ──contradict──▶ contradictions
        │                   │                 │
        └─────── any failure ─┴──────────────┴──▶ deadletters ──sink──▶ dead_letters table
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
from faust.types import EventT
from pydantic import BaseModel, ValidationError

from schemas.records import Claim, DeadLetter, TrackedClaimUpdate
from streams.articles import decode_payload, parse_article
from streams.deadletters import dead_letter
from streams.errors import InvalidRecord
from streams.processors import registry, runner
from streams.settings import Settings
from streams.store import ClaimStore
from streams.topics import TOPICS, topic_name

log = logging.getLogger(__name__)

def faust_broker_options(settings: Settings, embedded_broker: bool) -> dict[str, Any]:
    """faust options for the broker in use; only settings differ between brokers, never agents.

    librdkafka's mock cluster (the embedded broker) has no admin API: topics cannot be
    declared and leader lookups fail, so faust must not try. On real Kafka, topics are
    declared by faust or created beforehand with `factstream topics create`.
    """
    options: dict[str, Any] = {
        "broker": f"kafka://{settings.kafka_bootstrap}",
        "topic_partitions": settings.topic_partitions,
        "topic_replication_factor": settings.topic_replication,
        "consumer_auto_offset_reset": "earliest",
        # faust's 60 s session timeout makes a restarted worker wait a minute for its old
        # membership to expire; 6 s is real Kafka's minimum and still tolerates a slow batch.
        "broker_session_timeout": 6.0,
        "broker_heartbeat_interval": 1.0,
        "broker_rebalance_timeout": 6.0,
        "processing_guarantee": settings.processing_guarantee,
        "web_port": settings.web_port,
        "web_bind": "127.0.0.1",
        "datadir": str(settings.state_dir / "worker" / settings.app_id),
    }
    if embedded_broker:
        options.update(topic_allow_declare=False, topic_disable_leader=True)
    return options


@dataclass
class Topics:
    """The app's topics, all carrying raw bytes: records are (de)serialised by pydantic."""

    articles: faust.TopicT
    claims: faust.TopicT
    tracked: faust.TopicT
    contradictions: faust.TopicT
    deadletters: faust.TopicT

    @classmethod
    def declare(cls, app: faust.App, settings: Settings) -> Topics:
        """Declare every topic on the app."""
        made = {
            logical: app.topic(
                topic_name(settings, logical),
                key_type=bytes,
                value_type=bytes,
                key_serializer="raw",
                value_serializer="raw",
                partitions=settings.topic_partitions,
            )
            for logical in TOPICS
        }
        return cls(**made)


def _encode(record: BaseModel) -> bytes:
    return record.model_dump_json().encode("utf-8")


class Pipeline:
    """What the agents do with each event; kept apart from faust's decorators so it reads plainly."""

    def __init__(self, settings: Settings, topics: Topics) -> None:
        self.settings = settings
        self.topics = topics
        self.extract = registry.load("extract")
        # Always loaded: extraction routes each claim by the dedup processor's partition key.
        self.dedup = registry.load("dedup")
        self.contradict = registry.load("contradict")
        self._store: ClaimStore | None = None
        self._store_lock = asyncio.Lock()

    async def store(self) -> ClaimStore:
        """The store, opened on first use (inside the worker's event loop)."""
        async with self._store_lock:
            if self._store is None:
                assert self.settings.database_url is not None  # noqa: S101 - resolved before the app starts
                store = ClaimStore(self.settings.database_url.get_secret_value())
                await store.open()
                for processor in (self.extract, self.dedup, self.contradict):
                    processor.setup()
                self._store = store
        return self._store

    async def close(self) -> None:
        """Close the store; called once the agents have stopped."""
        if self._store is not None:
            await self._store.close()
            self._store = None

    async def dead_letter(self, event: EventT, stage: str, exc: BaseException, key: str | None) -> None:
        """Send the event's payload with the reason to the dead-letter topic; never raises on data."""
        if not isinstance(exc, InvalidRecord | ValidationError):
            log.error("%s failed on a record (key=%s):\n%s", stage, key, "".join(traceback.format_exception(exc)))
        letter = dead_letter(
            stage,
            exc,
            bytes(event.value or b""),
            key,
            topic=event.message.topic,
            partition=event.message.partition,
            offset=event.message.offset,
        )
        await self.topics.deadletters.send(key=(key or "").encode(), value=_encode(letter))
        log.warning("dead-lettered %s record key=%s: %s", stage, key, letter.reason)

    async def on_article(self, event: EventT) -> None:
        """Extract an article's claims, store the article, route each claim by its dedup key."""
        key = event.key.decode("utf-8", "replace") if event.key else None
        try:
            article = parse_article(event.value, self.settings.max_body_bytes)
            key = article.id
            claims = list(self.extract.process(article))
        except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
            await self.dead_letter(event, "extract", exc, key)
            return
        store = await self.store()
        await store.save_article(article, len(claims))
        for claim in claims:
            partition_key = self.dedup.keys(claim)[0]
            await self.topics.claims.send(key=partition_key.encode(), value=_encode(claim))

    async def on_claim(self, event: EventT) -> None:
        """Attach a claim to its tracked claim, deciding under locks on its blocking keys."""
        key = None
        try:
            claim = Claim.model_validate_json(event.value)
            key = claim.article_id
            keys = self.dedup.keys(claim)
            store = await self.store()
            async with store.dedup_transaction(keys) as tx:
                replayed = await tx.tracked_for_mention(claim.id)
                if replayed is not None:
                    update = TrackedClaimUpdate(tracked=replayed, claim=claim, is_new=False)
                else:
                    candidates = await tx.candidates(keys)
                    (decision,) = list(self.dedup.process(claim, candidates))
                    stored = await tx.apply(decision, keys)
                    update = TrackedClaimUpdate(
                        tracked=stored, claim=claim, is_new=decision.is_new, score=decision.score
                    )
        except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
            if _is_outage(exc):
                raise
            await self.dead_letter(event, "dedup", exc, key)
            return
        await self.topics.tracked.send(key=update.tracked.id.encode(), value=_encode(update))

    async def on_tracked(self, event: EventT) -> None:
        """Look for contradictions with related tracked claims; store and emit them."""
        key = None
        try:
            update = TrackedClaimUpdate.model_validate_json(event.value)
            key = update.claim.article_id
            store = await self.store()
            candidates = await store.candidates(self.contradict.keys(update), exclude=update.tracked.id)
            found = list(self.contradict.process(update, candidates))
            await store.save_contradictions(found, update.claim.id)
        except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
            if _is_outage(exc):
                raise
            await self.dead_letter(event, "contradict", exc, key)
            return
        for item in found:
            await self.topics.contradictions.send(key=item.id.encode(), value=_encode(item))

    async def on_dead_letter(self, event: EventT) -> None:
        """Store a dead letter; one that does not even parse is stored as what it is."""
        try:
            letter = DeadLetter.model_validate_json(event.value)
        except ValidationError as exc:
            payload, encoding = decode_payload(bytes(event.value))
            letter = DeadLetter(
                stage="deadletters",
                reason=f"unreadable dead letter: {exc.errors()[0]['msg']}",
                error_type="ValidationError",
                payload=payload,
                payload_encoding=encoding,
                topic=event.message.topic,
                partition=event.message.partition,
                offset=event.message.offset,
            )
        store = await self.store()
        await store.save_dead_letter(letter)


# Back-off while the database is unreachable: start small so a blip costs little, cap it so
# the worker notices a recovered database within half a minute.
_RETRY_FIRST_DELAY_S = 0.5
_RETRY_MAX_DELAY_S = 30.0


async def _handle_with_retry(handler: Any, event: EventT) -> None:
    """Run ``handler`` on ``event``; while the database is down, wait and retry the same event.

    The event is not acknowledged until it is handled, so nothing is consumed that could not
    be stored. Retries go on as long as the outage lasts (a record is never dropped), with a
    capped exponential delay and one log line per attempt.
    """
    delay = _RETRY_FIRST_DELAY_S
    attempt = 1
    while True:
        try:
            await handler(event)
            return
        except Exception as exc:
            if not _is_outage(exc):
                raise
            log.warning(
                "database unavailable (%s: %s); retry %d in %.1fs", type(exc).__name__, exc, attempt, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, _RETRY_MAX_DELAY_S)
            attempt += 1


def _is_outage(exc: BaseException) -> bool:
    """A database that is down is not the record's fault: let the agent fail and retry, never dead-letter."""
    import psycopg

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


class PluginStage:
    """Hosts a plug-in processor: parse its input, process (per record or per batch), send outputs.

    A record the processor raises on goes to the dead-letter topic with the processor's name
    and error; the others go on. Plug-ins write no store tables; their outputs are on their topic.
    """

    # How long a batch processor waits to fill a batch before processing what it has.
    BATCH_WINDOW_S = 0.5

    def __init__(self, processor: Any, app: faust.App, settings: Settings, topics: Topics) -> None:
        self.processor = processor
        self.topics = topics
        self.pipeline: Pipeline | None = None
        self.output = (
            app.topic(
                topic_name(settings, processor.output_topic),
                key_type=bytes,
                value_type=bytes,
                key_serializer="raw",
                value_serializer="raw",
                partitions=settings.topic_partitions,
            )
            if processor.output_topic
            else None
        )

    async def handle(self, events: list[EventT]) -> None:
        """Process one batch of events (one event for a per-record processor)."""
        outcome = runner.run(self.processor, [bytes(e.value or b"") for e in events])
        for index, exc in outcome.failures:
            event = events[index]
            key = event.key.decode("utf-8", "replace") if event.key else None
            letter = dead_letter(
                self.processor.name,
                exc,
                bytes(event.value or b""),
                key,
                topic=event.message.topic,
                partition=event.message.partition,
                offset=event.message.offset,
            )
            log.warning("dead-lettered %s record key=%s: %s", self.processor.name, key, letter.reason)
            await self.topics.deadletters.send(key=(key or "").encode(), value=_encode(letter))
        if self.output is None:
            return
        for index, record in outcome.outputs:
            key = events[index].key or b""
            await self.output.send(key=key, value=_encode(record))


def create_app(settings: Settings, *, embedded_broker: bool) -> faust.App:
    """Build the faust app for resolved settings (broker and database known).

    One agent per enabled processor (``FACTSTREAM_PROCESSORS``), plus the dead-letter sink.
    """
    options = faust_broker_options(settings, embedded_broker)
    Path(options["datadir"]).mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.app_id, autodiscover=False, **options)
    topics = Topics.declare(app, settings)
    pipeline = Pipeline(settings, topics)
    app.pipeline = pipeline  # type: ignore[attr-defined] - reached by tests and the CLI
    enabled = registry.enabled_names(settings)

    async def _run(stream: faust.StreamT, handler: Any) -> None:
        async for event in stream.events():
            await _handle_with_retry(handler, event)

    builtin_handlers = {
        "extract": (topics.articles, pipeline.on_article),
        "dedup": (topics.claims, pipeline.on_claim),
        "contradict": (topics.tracked, pipeline.on_tracked),
    }
    for name in enabled:
        if name in builtin_handlers:
            topic, handler = builtin_handlers[name]
            _builtin_agent(app, name, topic, handler, _run)
        else:
            _plugin_agent(app, PluginStage(registry.load(name), app, settings, topics), settings, topics)

    @app.agent(topics.deadletters, name="sink-deadletters")
    async def dead_letter_sink(stream: faust.StreamT) -> None:
        await _run(stream, pipeline.on_dead_letter)

    return app


def _builtin_agent(app: faust.App, name: str, topic: faust.TopicT, handler: Any, run: Any) -> None:
    async def agent(stream: faust.StreamT) -> None:
        await run(stream, handler)

    agent.__name__ = f"{name}_agent"
    app.agent(topic, name=name)(agent)


def _plugin_agent(app: faust.App, stage: PluginStage, settings: Settings, topics: Topics) -> None:
    processor = stage.processor
    known = {t: getattr(topics, t) for t in TOPICS}
    source = known.get(processor.input_topic) or app.topic(
        topic_name(settings, processor.input_topic),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.topic_partitions,
    )
    size = runner.batch_size(processor)

    async def agent(stream: faust.StreamT) -> None:
        processor.setup()
        try:
            if size > 1:
                async for events in stream.take_events(size, within=PluginStage.BATCH_WINDOW_S):
                    await stage.handle(list(events))
            else:
                async for event in stream.events():
                    await stage.handle([event])
        finally:
            processor.close()

    agent.__name__ = f"{processor.name}_agent"
    app.agent(source, name=processor.name)(agent)
