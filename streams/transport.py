"""faust's Kafka options and transport, with the consumer's fetch wait as a setting.

faust hard-codes ``fetch_max_wait_ms=1500`` for its aiokafka consumer: a fetch that finds a
partition drained may wait that long, at every hop of the pipeline. Measured on the embedded
broker (docs/performance.md) that wait dominated latency (p99 at half load 4.9 s -> 0.9 s at
50 ms) and left the worker idle half the time. faust has no setting for it, so the transport
is subclassed; everything else is faust's own.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from faust.transport.drivers import aiokafka as faust_aiokafka

from factstream.settings import Settings

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


def transport_with_fetch_wait(fetch_max_wait_ms: int) -> type[faust_aiokafka.Transport]:
    """A faust aiokafka Transport class whose consumers wait at most ``fetch_max_wait_ms`` per fetch."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            # aiokafka reads this when its fetcher starts, after construction.
            consumer._fetch_max_wait_ms = fetch_max_wait_ms
            return consumer

    class FetchWaitConsumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        Consumer: ClassVar[type] = FetchWaitConsumer

    return Transport


# aiokafka's own message when a fetch position is gone from the broker (retention deleted the
# records before they were read) and the consumer jumps to auto_offset_reset; matched on the
# unformatted template, which is what aiokafka passes to the logger.
_AIOKAFKA_RESET_TEMPLATE = "Fetch offset %s is out of range for partition %s, resetting offset"
_AIOKAFKA_FETCHER_LOGGER = "aiokafka.consumer.fetcher"

# Where a worker records the resets it saw, under the state directory, for `services status`.
OFFSET_RESETS_FILE = "offset-resets.jsonl"
# How many recorded resets `services status` shows (the newest).
SHOWN_OFFSET_RESETS = 20

_log = logging.getLogger(__name__)


class OffsetResetReporter(logging.Filter):
    """Turns aiokafka's INFO "Fetch offset ... is out of range ... resetting offset" into an ERROR.

    An offset reset skips every record between the lost position and the broker's log start:
    records gone unread. aiokafka handles it inside its fetch loop with nothing but an INFO
    line (no callback, no metric), so that line is caught here, where it is logged: counted in
    ``factstream_offset_resets``, logged again as an ERROR, and appended to
    ``<state dir>/offset-resets.jsonl``, which `factstream services status` shows.
    """

    def __init__(self, counter: Any, state_dir: Path, app_id: str) -> None:
        super().__init__()
        self.counter = counter
        self.path = state_dir / OFFSET_RESETS_FILE
        self.app_id = app_id
        self.passthrough_level = logging.NOTSET

    def filter(self, record: logging.LogRecord) -> bool:
        """Report a reset in place of aiokafka's INFO line; other records pass as they did before."""
        args = record.args
        if record.msg == _AIOKAFKA_RESET_TEMPLATE and isinstance(args, tuple) and len(args) == 2:
            self.report(args[1], args[0])
            return False
        return record.levelno >= self.passthrough_level

    def report(self, tp: Any, offset: Any) -> None:
        """Count, log and record one reset of ``tp`` away from ``offset``."""
        topic, partition = getattr(tp, "topic", str(tp)), getattr(tp, "partition", None)
        self.counter.labels(topic).inc()
        _log.error(
            "records lost: %s[%s] no longer holds offset %s (deleted by the broker before this worker read "
            "it); the consumer skips to the oldest offset the broker still has",
            topic, partition, offset,
            extra={"event": "offset_reset", "topic": topic, "partition": partition, "offset": offset},
        )
        entry = {"at": datetime.now(UTC).isoformat(), "app_id": self.app_id, "topic": topic,
                 "partition": partition, "offset": offset}
        try:
            with self.path.open("a") as out:
                out.write(json.dumps(entry, default=str) + "\n")
        except OSError as exc:
            _log.error("could not record the offset reset in %s: %s", self.path, exc)

    def install(self) -> None:
        """Attach to aiokafka's fetcher logger (which must then pass INFO records to filters)."""
        logger = logging.getLogger(_AIOKAFKA_FETCHER_LOGGER)
        # One reporter per process: the newest app's. An older one (an app created before, in the
        # same process) would take the reset line first and count it on its own metrics.
        for old in [f for f in logger.filters if isinstance(f, OffsetResetReporter)]:
            logger.removeFilter(old)
            if old.passthrough_level != logging.NOTSET:
                self.passthrough_level = old.passthrough_level
        if self.passthrough_level == logging.NOTSET:
            self.passthrough_level = logger.getEffectiveLevel()
        logger.addFilter(self)
        # Filters run only for records at the logger's level or above: keep INFO open on this one
        # logger; what reaches the output is still decided by the handlers' levels.
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)


def recorded_offset_resets(state_dir: Path) -> tuple[int, list[dict[str, Any]]]:
    """How many offset resets workers of ``state_dir`` recorded, and the newest few."""
    path = state_dir / OFFSET_RESETS_FILE
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return 0, []
    entries = []
    for line in lines[-SHOWN_OFFSET_RESETS:]:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return len(lines), entries
