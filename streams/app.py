"""The faust app: one host per enabled processor (built-in or plug-in, the same code), and the sink.

The hosts (:mod:`factstream.hosts`) are thin adapters. Each takes a batch off its topic,
hands it to its processor (pure logic, no I/O), writes what the processor declares to
PostgreSQL, and sends the outputs on. Writes are awaited inside the agent's iteration,
and faust flushes the producer before it commits an offset, so every committed offset has
its rows and its downstream records behind it (flush, then commit). Ids are deterministic
and every write is an upsert, so a record delivered twice leaves the same rows.

Topology::

    articles ──extract──▶ claims ──dedup──▶ tracked ──contradict──▶ contradictions
        │                   │                 │
        └─────── any failure ─┴──────────────┴──▶ deadletters ──sink──▶ dead_letters table
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import faust

from factstream.hosts import DeadLetterSink, HostContext, host_for
from factstream.observability import update_consumer_lag
from factstream.processors import registry
from factstream.settings import Settings
from factstream.transport import OffsetResetReporter, faust_broker_options, transport_with_fetch_wait

log = logging.getLogger(__name__)


class _App(faust.App):
    """faust's App, with a consumer transport whose fetch wait is a setting (see streams/transport.py)."""

    transport_class: type | None = None
    # The configured log level (FACTSTREAM_LOG_LEVEL), restored on the root logger at start.
    log_level: str | None = None
    # What the hosts share: topics, store, metrics (set by create_app).
    hosts: HostContext | None = None
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

    One host per enabled processor (``FACTSTREAM_PROCESSORS``), each found in the registry by
    name and hosted by what it needs, built-in or plug-in alike; plus the dead-letter sink.
    """
    options = faust_broker_options(settings, embedded_broker)
    Path(options["datadir"]).mkdir(parents=True, exist_ok=True)
    app = _App(settings.app_id, autodiscover=False, **options)
    app.transport_class = transport_with_fetch_wait(settings.consumer_fetch_max_wait_ms)
    app.log_level = settings.log_level
    context = HostContext(app, settings)
    app.hosts = context  # reached by tests and the CLI
    app.offset_reset_reporter = OffsetResetReporter(context.metrics.offset_resets, settings.state_dir,
                                                    settings.app_id)
    for name in registry.enabled_names(settings):
        host_for(context, name).agent()
    DeadLetterSink(context).agent()
    _health_pages(app, settings, context)
    return app


def _health_pages(app: faust.App, settings: Settings, context: HostContext) -> None:
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
            store = await asyncio.wait_for(context.store(), timeout=5)
            applied = await store.applied_migrations()
            checks["database"] = True
            checks["migrations"] = {m.version for m in available_migrations()} <= set(applied)
        except Exception as exc:  # noqa: BLE001 - not ready, whatever the reason; say which
            log.info("not ready: %s: %s", type(exc).__name__, exc)
        ok = all(checks.values())
        return web.json({"ready": ok, "checks": checks}, status=200 if ok else 503)

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        update_consumer_lag(app, context.metrics)
        content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return web.bytes(generate_latest(context.metrics.registry), content_type=content_type)


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
