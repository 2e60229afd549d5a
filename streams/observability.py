"""Metrics, structured logs and health for the worker.

Prometheus metrics (prometheus-client) are served by the worker's web server at `/metrics`,
liveness at `/health` and readiness at `/ready`. Logs are one line per significant event,
JSON when `FACTSTREAM_LOG_FORMAT=json`, with article and claim ids as fields.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Latency buckets (seconds) from a millisecond to tens of seconds: a batch of a few hundred
# records takes tens to hundreds of milliseconds; a database outage shows as the long tail.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The worker's metrics, in a registry of their own (so tests and several apps do not collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.records_in = Counter(
            "factstream_records_in", "Records consumed, by processor.", ["processor"], registry=self.registry
        )
        self.records_out = Counter(
            "factstream_records_out", "Records produced, by processor.", ["processor"], registry=self.registry
        )
        self.dead_letters = Counter(
            "factstream_dead_letters", "Records dead-lettered, by stage.", ["stage"], registry=self.registry
        )
        self.batch_seconds = Histogram(
            "factstream_batch_seconds", "Time to process one batch, by processor.", ["processor"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.db_write_seconds = Histogram(
            "factstream_db_write_seconds", "PostgreSQL write time, by operation.", ["operation"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.db_retries = Counter(
            "factstream_db_retries", "Batches retried because the database was unavailable.",
            registry=self.registry,
        )
        self.batch_failures = Counter(
            "factstream_batch_failures",
            "Batches that failed for a reason other than the database (retried, never acknowledged), "
            "by processor.",
            ["processor"], registry=self.registry,
        )
        self.offset_resets = Counter(
            "factstream_offset_resets",
            "Fetch positions the broker no longer had (records deleted unread), by topic.",
            ["topic"], registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "factstream_consumer_lag",
            "Messages not yet consumed, by topic (summed over assigned partitions).",
            ["topic"], registry=self.registry,
        )

    @contextmanager
    def timed(self, histogram: Histogram, label: str) -> Iterator[None]:
        """Observe the duration of the block under ``label``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            histogram.labels(label).observe(time.perf_counter() - start)


def update_consumer_lag(app: Any, metrics: Metrics) -> None:
    """Set the lag gauge from the consumer's high-water marks and positions (best effort)."""
    consumer = getattr(app, "consumer", None)
    if consumer is None:
        return
    lag: dict[str, int] = {}
    try:
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            position = consumer._last_offset.get(tp)  # faust's last read offset per partition
            if highwater is None:
                continue
            behind = highwater - ((position + 1) if position is not None else 0)
            lag[tp.topic] = lag.get(tp.topic, 0) + max(0, behind)
    except Exception:  # noqa: BLE001 - metrics must never break the worker
        return
    for topic, value in lag.items():
        metrics.consumer_lag.labels(topic).set(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any `extra` fields (ids)."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON."""
        import json

        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A dictConfig for the worker: plain text, or JSON lines."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if fmt == "json"
        else {"format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"level": level, "handlers": ["stderr"]},
    }
