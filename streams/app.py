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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import faust
from faust.types import EventT
from pydantic import BaseModel, ValidationError

from factstream.articles import parse_article
from factstream.deadletters import dead_letter, notice
from factstream.errors import InvalidRecord
from factstream.observability import Metrics, update_consumer_lag
from factstream.processors import registry, runner
from factstream.processors.base import candidate_screens, candidate_state, candidate_vectors
from factstream.schemas.records import (
    Article,
    Claim,
    Contradiction,
    DeadLetter,
    TrackedClaim,
    TrackedClaimUpdate,
)
from factstream.settings import Settings
from factstream.store import ClaimStore
from factstream.topics import TOPICS, topic_name
from factstream.transport import OffsetResetReporter, transport_with_fetch_wait

log = logging.getLogger(__name__)

# How long the producer holds a partition's batch open for more records: Kafka 4's own
# default (linger.ms=5). On the BBC bench it halved produce and fetch requests per article.
PRODUCER_LINGER_S = 0.005


def faust_broker_options(settings: Settings, embedded_broker: bool) -> dict[str, Any]:
    """Faust options for the broker in use; only settings differ between brokers, never agents.

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
        # Let the producer gather a partition's records for a few ms before sending. With
        # faust's 0 nearly every record went out in a batch of its own (1.7 KB per batch,
        # ~10 produce requests per article). Records are still one per Kafka message, and
        # flush-before-commit still waits for every batch (a lingering one included).
        "producer_linger": PRODUCER_LINGER_S,
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
        self.metrics = Metrics()

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

    async def dead_letter(self, event: EventT, stage: str, exc: BaseException, key: str | None) -> None:
        """Store the event's whole payload with the reason, then send a notice to the dead-letter topic.

        The notice (streams/deadletters.py) is small whatever the payload's size, so it always
        fits in a Kafka message. Both are awaited inside the batch: a failure here fails the
        batch, which is retried and never acknowledged (see :func:`_finish`).
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
        await self.topics.deadletters.send(key=(key or "").encode(), value=_encode(notice(letter)))
        self.metrics.dead_letters.labels(stage).inc()
        log.warning("dead-lettered %s record key=%s: %s", stage, key, letter.reason,
                    extra={"event": "dead_letter", "stage": stage, "key": key})

    async def on_articles(self, events: Sequence[EventT]) -> None:
        """Extract each article's claims, store the articles, route each claim by its partition key."""
        parsed: list[tuple[EventT, Article]] = []
        for event in events:
            try:
                parsed.append((event, parse_article(bytes(event.value or b""), self.settings.max_body_bytes)))
            except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
                await self.dead_letter(event, "extract", exc, _key(event))
        extracted: list[tuple[EventT, Article, list[Claim]]] = []
        many = getattr(self.extract, "process_batch", None)
        try:
            # The batch's sentences are parsed together (cheaper per article than one by one).
            found = many([article for _, article in parsed]) if many is not None else None
        except Exception as exc:  # noqa: BLE001 - retried one article at a time below, culprits dead-lettered
            log.warning("extracting a batch of %d articles failed (%s); extracting them one at a time",
                        len(parsed), exc)
            found = None
        if found is not None:
            extracted = [(event, article, list(claims))
                         for (event, article), claims in zip(parsed, found, strict=True)]
        else:
            for event, article in parsed:
                try:
                    extracted.append((event, article, list(self.extract.process(article))))
                except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
                    await self.dead_letter(event, "extract", exc, article.id)
        store = await self.store()

        async def save(batch: list[tuple[EventT, Article, list[Claim]]]) -> None:
            with self.metrics.timed(self.metrics.db_write_seconds, "save_articles"):
                await store.save_articles([(article, len(claims)) for _, article, claims in batch])

        await self._isolating("extract", extracted, save, key_of=lambda item: item[1].id)
        self.metrics.records_in.labels("extract").inc(len(events))
        for _, article, claims in extracted:
            log.info("extracted %d claims from article %s", len(claims), article.id,
                     extra={"event": "article_extracted", "article_id": article.id, "claims": len(claims)})
            for claim in claims:
                key = partition_key(self.dedup.keys(claim))
                await self.topics.claims.send(key=key.encode(), value=_encode(claim))
            self.metrics.records_out.labels("extract").inc(len(claims))

    async def on_claims(self, events: Sequence[EventT]) -> None:
        """Attach each claim to its tracked claim; decisions are made under locks on blocking keys."""
        parsed = await self._parse(events, Claim, "dedup")
        store = await self.store()

        def decide(claim: Claim, candidates: list[TrackedClaim]) -> TrackedClaimUpdate:
            (decision,) = list(self.dedup.process(claim, candidates))
            return decision

        updates: list[TrackedClaimUpdate] = []

        async def write(batch: list[tuple[EventT, Claim]]) -> None:
            with self.metrics.timed(self.metrics.db_write_seconds, "dedup_batch"):
                claims = [c for _, c in batch]
                # Embeddings only where the store can search them (pgvector).
                vectors = candidate_vectors(self.dedup, claims) if await store.embeddings_enabled() else None
                updates.extend(await store.dedup_batch(claims, self.dedup.keys, decide,
                                                       candidate_screens(self.dedup, claims), vectors,
                                                       candidate_state(self.dedup)))

        await self._isolating("dedup", parsed, write, key_of=lambda item: item[1].article_id)
        self.metrics.records_in.labels("dedup").inc(len(events))
        for update in updates:
            if update.is_new:
                log.info("new tracked claim %s from claim %s", update.tracked.id, update.claim.id,
                         extra={"event": "tracked_claim_created", "tracked_claim_id": update.tracked.id,
                                "claim_id": update.claim.id, "article_id": update.claim.article_id})
            await self.topics.tracked.send(key=update.tracked.id.encode(), value=_encode(update))
        self.metrics.records_out.labels("dedup").inc(len(updates))

    async def on_tracked(self, events: Sequence[EventT]) -> None:
        """Look for contradictions of each new tracked claim with related ones; store and emit them."""
        parsed = await self._parse(events, TrackedClaimUpdate, "contradict")
        store = await self.store()
        found: list[Contradiction] = []

        async def check(batch: list[tuple[EventT, TrackedClaimUpdate]]) -> None:
            updates = [u for _, u in batch]
            keys = [self.contradict.keys(u) if u.is_new else [] for u in updates]
            # Only new tracked claims are looked up (the others have no keys): embed only those, and
            # only where the store can search them (pgvector).
            vectors = None
            if await store.embeddings_enabled():
                vectors = candidate_vectors(self.contradict, [u if u.is_new else None for u in updates])
            candidates = await store.candidates_batch(keys, [u.tracked.id for u in updates],
                                                      candidate_screens(self.contradict, updates), vectors,
                                                      candidate_state(self.contradict))
            results: list[Contradiction] = []
            for update, pool in zip(updates, candidates, strict=True):
                results.extend(self.contradict.process(update, pool))
            with self.metrics.timed(self.metrics.db_write_seconds, "save_contradictions"):
                await store.save_contradictions(results, [u.claim.id for u in updates])
            found.extend(results)

        await self._isolating("contradict", parsed, check, key_of=lambda item: item[1].claim.article_id)
        self.metrics.records_in.labels("contradict").inc(len(events))
        for item in found:
            log.info("%s contradiction %s between %s and %s",
                     item.kind, item.id, item.claim_a_id, item.claim_b_id,
                     extra={"event": "contradiction_found", "contradiction_id": item.id, "kind": item.kind,
                            "claim_a_id": item.claim_a_id, "claim_b_id": item.claim_b_id})
            await self.topics.contradictions.send(key=item.id.encode(), value=_encode(item))
        self.metrics.records_out.labels("contradict").inc(len(found))

    async def on_dead_letters(self, events: Sequence[EventT]) -> None:
        """Store dead letters; one that does not even parse is stored as what it is."""
        letters = []
        for event in events:
            try:
                letters.append(DeadLetter.model_validate_json(bytes(event.value or b"")))
            except ValidationError as exc:
                letters.append(dead_letter(
                    "deadletters", exc, bytes(event.value or b""), _key(event),
                    topic=event.message.topic, partition=event.message.partition, offset=event.message.offset,
                ))
        store = await self.store()
        with self.metrics.timed(self.metrics.db_write_seconds, "save_dead_letters"):
            await store.save_dead_letters(letters)
        self.metrics.records_in.labels("sink-deadletters").inc(len(events))

    async def _parse(
        self, events: Sequence[EventT], model: type[Any], stage: str
    ) -> list[tuple[EventT, Any]]:
        """Parse events as ``model``; the ones that do not parse are dead-lettered."""
        parsed = []
        for event in events:
            try:
                parsed.append((event, model.model_validate_json(bytes(event.value or b""))))
            except ValidationError as exc:
                await self.dead_letter(event, stage, exc, _key(event))
        return parsed

    async def _isolating(self, stage: str, items: list[Any], work: Any, key_of: Any) -> None:
        """Run ``work`` on the whole batch; if it fails on data, run it per item and dead-letter the culprits.

        A database outage is not the data's fault: it propagates, and the batch is retried whole.
        """
        if not items:
            return
        try:
            await work(items)
            return
        except Exception as exc:
            if _is_outage(exc):
                raise
            if len(items) == 1:
                await self.dead_letter(items[0][0], stage, exc, key_of(items[0]))
                return
        for item in items:
            try:
                await work([item])
            except Exception as exc:
                if _is_outage(exc):
                    raise
                await self.dead_letter(item[0], stage, exc, key_of(item))


def partition_key(keys: Sequence[str]) -> str:
    """The claims-topic key: the speaker key, else the main entity, else the text hash.

    Claims likely to be duplicates (same speaker, same subject) then meet on one partition
    and one worker; the advisory locks keep dedup correct for those that do not.
    """
    for prefix in ("s:", "e:"):
        for key in keys:
            if key.startswith(prefix):
                return key
    return keys[0]


def _key(event: EventT) -> str | None:
    return event.key.decode("utf-8", "replace") if event.key else None


# Back-off while the database is unreachable: start small so a blip costs little, cap it so
# the worker notices a recovered database within half a minute.
_RETRY_FIRST_DELAY_S = 0.5
_RETRY_MAX_DELAY_S = 30.0


# A batch that fails for another reason (a dead letter that cannot be sent, a bug) is retried
# this many times in all: enough for a broker blip, few enough to fail loudly within seconds.
_FAILED_BATCH_ATTEMPTS = 3

# The exit status of a worker that stopped on a batch it could neither process nor dead-letter
# (EX_SOFTWARE): a supervisor restarts it, and it starts again from the last committed offsets.
EXIT_UNPROCESSABLE = 70


class UnprocessableBatch(Exception):  # noqa: N818 - named for what it is, like faust's own errors
    """A batch failed every attempt; its records must not be acknowledged."""


async def _handle_with_retry(handler: Any, events: Sequence[EventT]) -> None:
    """Run ``handler`` on a batch; while the database is down, wait and retry the same batch.

    The events are not acknowledged until handled, so nothing is consumed that could not be
    stored. Retries go on as long as the outage lasts (a record is never dropped), with a
    capped exponential delay and one log line per attempt. Any other failure is retried
    :data:`_FAILED_BATCH_ATTEMPTS` times, then raised as :class:`UnprocessableBatch`.
    """
    delay = _RETRY_FIRST_DELAY_S
    attempt = 1
    failures = 0
    metrics = getattr(getattr(handler, "__self__", None), "metrics", None)
    while True:
        try:
            await handler(events)
            return
        except Exception as exc:
            if not _is_outage(exc):
                failures += 1
                if metrics is not None:
                    metrics.batch_failures.labels(getattr(handler, "__name__", "?")).inc()
                if failures >= _FAILED_BATCH_ATTEMPTS:
                    raise UnprocessableBatch(f"{type(exc).__name__}: {exc}") from exc
                log.error("batch of %d record(s) failed (attempt %d of %d), retrying:\n%s",
                          len(events), failures, _FAILED_BATCH_ATTEMPTS,
                          "".join(traceback.format_exception(exc)),
                          extra={"event": "batch_failed", "attempt": failures})
                await asyncio.sleep(_RETRY_FIRST_DELAY_S * failures)
                continue
            log.warning(
                "database unavailable (%s: %s); retry %d in %.1fs", type(exc).__name__, exc, attempt, delay,
                extra={"event": "database_unavailable", "attempt": attempt},
            )
            if metrics is not None:
                metrics.db_retries.inc()
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

    def __init__(self, processor: Any, app: faust.App, settings: Settings, pipeline: Pipeline) -> None:
        self.processor = processor
        self.pipeline = pipeline
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
            await self.pipeline.dead_letter(events[index], self.processor.name, exc, _key(events[index]))
        if self.output is None:
            return
        for index, record in outcome.outputs:
            key = events[index].key or b""
            await self.output.send(key=key, value=_encode(record))


class _App(faust.App):
    """faust's App, with a consumer transport whose fetch wait is a setting (see streams/transport.py)."""

    transport_class: type | None = None
    # The configured log level (FACTSTREAM_LOG_LEVEL), restored on the root logger at start.
    log_level: str | None = None
    # What the agents do with each event (set by create_app).
    pipeline: Pipeline | None = None
    # Reports records lost to an offset reset (set by create_app; installed once logging is set up).
    offset_reset_reporter: OffsetResetReporter | None = None

    def _new_transport(self) -> Any:
        if self.transport_class is None:
            return super()._new_transport()
        return self.transport_class(self.conf.broker_consumer, self)

    async def on_first_start(self) -> None:
        """Start as faust does, after the worker has configured logging; then undo its DEBUG root.

        At WARNING or ERROR, faust's Worker puts the root logger at DEBUG for its start-up
        spinner (only its handlers keep the level), so every debug call of aiokafka and faust
        (several per record) built a log record that was then thrown away (~2% of the bench
        worker's profile). What is written is unchanged: the handlers filter at the level.
        """
        await super().on_first_start()
        if self.log_level is not None:
            level = logging.getLevelName(self.log_level.upper())
            if isinstance(level, int) and logging.root.level < level:
                logging.root.setLevel(level)
        if self.offset_reset_reporter is not None:
            self.offset_reset_reporter.install()


def create_app(settings: Settings, *, embedded_broker: bool) -> faust.App:
    """Build the faust app for resolved settings (broker and database known).

    One agent per enabled processor (``FACTSTREAM_PROCESSORS``), plus the dead-letter sink.
    """
    options = faust_broker_options(settings, embedded_broker)
    Path(options["datadir"]).mkdir(parents=True, exist_ok=True)
    app = _App(settings.app_id, autodiscover=False, **options)
    app.transport_class = transport_with_fetch_wait(settings.consumer_fetch_max_wait_ms)
    app.log_level = settings.log_level
    topics = Topics.declare(app, settings)
    pipeline = Pipeline(settings, topics)
    app.pipeline = pipeline  # reached by tests and the CLI
    app.offset_reset_reporter = OffsetResetReporter(pipeline.metrics.offset_resets, settings.state_dir,
                                                    settings.app_id)
    enabled = registry.enabled_names(settings)

    builtin_handlers = {
        "extract": (topics.articles, pipeline.on_articles, EXTRACT_BATCH),
        "dedup": (topics.claims, pipeline.on_claims, STORE_BATCH),
        "contradict": (topics.tracked, pipeline.on_tracked, STORE_BATCH),
    }
    for name in enabled:
        if name in builtin_handlers:
            topic, handler, size = builtin_handlers[name]
            _builtin_agent(app, name, topic, handler, size)
        else:
            _plugin_agent(app, PluginStage(registry.load(name), app, settings, pipeline), settings, topics)

    _builtin_agent(app, "sink-deadletters", topics.deadletters, pipeline.on_dead_letters, STORE_BATCH)
    _health_pages(app, settings, pipeline)
    return app


def _health_pages(app: faust.App, settings: Settings, pipeline: Pipeline) -> None:
    """`/health` (alive), `/ready` (broker and database reachable, migrations current), `/metrics`."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from factstream.store.migrate import available_migrations

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        checks = {"broker": await _broker_reachable(settings), "database": False, "migrations": False}
        try:
            store = await asyncio.wait_for(pipeline.store(), timeout=5)
            applied = await store.applied_migrations()
            checks["database"] = True
            checks["migrations"] = {m.version for m in available_migrations()} <= set(applied)
        except Exception as exc:  # noqa: BLE001 - not ready, whatever the reason; say which
            log.info("not ready: %s: %s", type(exc).__name__, exc)
        ok = all(checks.values())
        return web.json({"ready": ok, "checks": checks}, status=200 if ok else 503)

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        update_consumer_lag(app, pipeline.metrics)
        content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return web.bytes(generate_latest(pipeline.metrics.registry), content_type=content_type)


async def _broker_reachable(settings: Settings) -> bool:
    """Whether a TCP connection to a bootstrap server opens (within a second)."""
    for server in (settings.kafka_bootstrap or "").split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            opening = asyncio.open_connection(host or "127.0.0.1", int(port))
            _, writer = await asyncio.wait_for(opening, timeout=1)
        except (OSError, ValueError, asyncio.TimeoutError):
            continue
        writer.close()
        return True
    return False


# Batch sizes. Extraction is CPU-bound (a few ms an article), so its batches stay small to keep
# latency low; store-bound stages take large batches because a round trip costs the same for
# one row or hundreds. A batch is handed over when full or after BATCH_WINDOW_S, whichever first.
EXTRACT_BATCH = 32
STORE_BATCH = 500
BATCH_WINDOW_S = 0.05


async def _finish(handler: Any, events: Sequence[EventT]) -> None:
    """Handle a batch to the end even when the worker is asked to stop meanwhile.

    faust acknowledges a taken batch when the agent leaves it, also on cancellation and also
    when the agent raises (``take_events`` acks in a ``finally``), and then commits the offsets.
    So a stop must not interrupt a batch half-written: the batch is shielded and awaited, the
    stop waits for its writes (flush), and only then are its offsets committed. (A stop that
    takes longer than FACTSTREAM_SHUTDOWN_TIMEOUT ends the process, batch unacknowledged.)
    And a batch that cannot be processed must not leave the agent at all: the process exits
    with :data:`EXIT_UNPROCESSABLE`, nothing of the batch acknowledged, so no offset is ever
    committed past a record that was neither stored nor dead-lettered.
    """
    task = asyncio.ensure_future(_handle_with_retry(handler, events))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await _exit_if_unprocessable(task)
        raise
    except UnprocessableBatch as exc:
        _fail_loudly(exc, len(events))


async def _exit_if_unprocessable(task: asyncio.Future[None]) -> None:
    try:
        await task
    except UnprocessableBatch as exc:
        _fail_loudly(exc, 0)


def _fail_loudly(exc: UnprocessableBatch, records: int) -> None:
    import os

    log.critical(
        "a batch of %d record(s) could neither be processed nor dead-lettered after %d attempts (%s); "
        "exiting with status %d without acknowledging it: the records are processed again on restart",
        records, _FAILED_BATCH_ATTEMPTS, exc, EXIT_UNPROCESSABLE, extra={"event": "batch_unprocessable"},
    )
    logging.shutdown()
    os._exit(EXIT_UNPROCESSABLE)


def _builtin_agent(app: faust.App, name: str, topic: faust.TopicT, handler: Any, size: int) -> None:
    metrics: Metrics = handler.__self__.metrics

    async def agent(stream: faust.StreamT) -> None:
        async for events in cast(faust.Stream, stream).take_events(size, within=BATCH_WINDOW_S):
            with metrics.timed(metrics.batch_seconds, name):
                await _finish(handler, events)

    agent.__name__ = agent.__qualname__ = f"{name.replace('-', '_')}_agent"
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
                batches = cast(faust.Stream, stream).take_events(size, within=PluginStage.BATCH_WINDOW_S)
                async for events in batches:
                    await _finish(stage.handle, list(events))
            else:
                async for event in stream.events():
                    await _finish(stage.handle, [event])
        finally:
            processor.close()

    agent.__name__ = agent.__qualname__ = f"{processor.name.replace('-', '_')}_agent"
    app.agent(source, name=processor.name)(agent)
