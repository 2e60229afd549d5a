"""Issue 17 in parts: dead-letter notices, the batch that cannot be acknowledged, offset resets, retention."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from kafka import KafkaProducer

import factstream.embedded.broker as broker_module
import factstream.hosts.retry as retry_module
from factstream.deadletters import NOTICE_PAYLOAD_CHARS, dead_letter, notice
from factstream.embedded.broker import EmbeddedBroker
from factstream.embedded.retention import LayoutMismatch
from factstream.errors import InvalidRecord
from factstream.ingest import EMBEDDED_BROKER_API_VERSION
from factstream.observability import Metrics
from factstream.schemas.records import DeadLetter
from factstream.transport import OffsetResetReporter, recorded_offset_resets

# Over Kafka's default 1 MB message limit once base64-encoded, as the junk of issue 17 was.
LARGE = 900_000
# More than the mock's old 5 MiB per partition, all on one partition.
RECORDS_OVER_THE_CAP = 8


def test_a_notice_is_small_whatever_it_carries_and_names_the_whole_payload():
    payload = bytes(range(256)) * (LARGE // 256)
    letter = dead_letter("extract", InvalidRecord("not JSON"), payload, "k", topic="t", partition=1, offset=7)
    sent = notice(letter)
    assert letter.payload_encoding == "base64" and len(letter.payload) > 1_000_000
    assert sent.id == letter.id and sent.payload_truncated and not letter.payload_truncated
    assert sent.payload == letter.payload[:NOTICE_PAYLOAD_CHARS]
    assert sent.payload_sha256 == hashlib.sha256(payload).hexdigest() and sent.payload_bytes == len(payload)
    assert len(sent.model_dump_json()) < 3 * NOTICE_PAYLOAD_CHARS
    assert DeadLetter.model_validate_json(sent.model_dump_json()) == sent
    small = dead_letter("extract", InvalidRecord("x"), b"{", "k")
    assert notice(small) is small


def test_a_batch_failing_every_attempt_is_never_left_and_the_worker_exits(monkeypatch):
    monkeypatch.setattr(retry_module, "_RETRY_FIRST_DELAY_S", 0.001)
    calls: list[int] = []
    exits: list[Any] = []

    async def always_fails(events: Any) -> None:
        calls.append(len(events))
        raise RuntimeError("cannot send")

    monkeypatch.setattr(retry_module, "_fail_loudly", lambda exc, n: exits.append((exc, n)))
    asyncio.run(retry_module.finish(always_fails, [object(), object()]))
    assert calls == [2] * retry_module._FAILED_BATCH_ATTEMPTS
    ((exc, records),) = exits
    assert isinstance(exc, retry_module.UnprocessableBatch) and records == 2

    flaky: list[int] = []

    async def fails_once(events: Any) -> None:
        flaky.append(1)
        if len(flaky) == 1:
            raise RuntimeError("blip")

    asyncio.run(retry_module.finish(fails_once, [object()]))
    assert flaky == [1, 1] and len(exits) == 1


def _reporter(tmp_path: Path) -> tuple[OffsetResetReporter, Metrics, logging.Logger]:
    metrics = Metrics()
    reporter = OffsetResetReporter(metrics.offset_resets, tmp_path, "app")
    logger = logging.getLogger("aiokafka.consumer.fetcher")
    logger.setLevel(logging.WARNING)
    reporter.install()
    return reporter, metrics, logger


def test_an_offset_reset_is_an_error_with_a_metric_and_a_record(tmp_path, caplog):
    reporter, metrics, logger = _reporter(tmp_path)
    try:
        with caplog.at_level(logging.DEBUG):
            logger.info("Fetch offset %s is out of range for partition %s, resetting offset",
                        112, TopicPartition("fs.articles", 2))
            logger.info("an ordinary line")
    finally:
        logger.removeFilter(reporter)
    assert [(r.levelname, r.name) for r in caplog.records if "resetting" in r.getMessage()
            or "records lost" in r.getMessage()] == [("ERROR", "factstream.transport")]
    assert metrics.offset_resets.labels("fs.articles")._value.get() == 1
    count, latest = recorded_offset_resets(tmp_path)
    assert count == 1 and latest[0]["topic"] == "fs.articles" and latest[0]["offset"] == 112


def _produce_over_the_cap(bootstrap: str, topic: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, api_version=EMBEDDED_BROKER_API_VERSION,
                             max_request_size=2 * LARGE)
    try:
        for i in range(RECORDS_OVER_THE_CAP):
            producer.send(topic, partition=0, value=bytes([65 + i]) * LARGE)
        producer.flush()
    finally:
        producer.close()


async def _read_from_zero(bootstrap: str, topic: str) -> list[int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, max_partition_fetch_bytes=2 * LARGE)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek(tp, 0)
        offsets: list[int] = []
        while len(offsets) < RECORDS_OVER_THE_CAP:
            batch = await consumer.getmany(tp, timeout_ms=2000)
            if not batch:
                break
            offsets.extend(r.offset for r in batch[tp])
        return offsets
    finally:
        await consumer.stop()


def test_the_embedded_broker_keeps_unread_records_past_its_old_cap():
    with EmbeddedBroker(partitions=1, topics=["keep.all"]) as broker:
        assert broker.retention_lifted
        _produce_over_the_cap(broker.bootstrap, "keep.all")
        assert asyncio.run(_read_from_zero(broker.bootstrap, "keep.all")) == list(range(RECORDS_OVER_THE_CAP))


def test_where_the_cap_stays_the_records_lost_are_reported(tmp_path, monkeypatch, caplog):
    def mismatch(*args: Any) -> Any:
        raise LayoutMismatch("as on another librdkafka build")

    monkeypatch.setattr(broker_module.MockRetention, "lift", mismatch)
    reporter, metrics, logger = _reporter(tmp_path)
    try:
        with EmbeddedBroker(partitions=1, topics=["capped"]) as broker:
            assert not broker.retention_lifted
            _produce_over_the_cap(broker.bootstrap, "capped")
            with caplog.at_level(logging.INFO):
                offsets = asyncio.run(_read_from_zero(broker.bootstrap, "capped"))
    finally:
        logger.removeFilter(reporter)
    assert offsets and offsets[0] > 0  # the oldest records were deleted unread
    assert metrics.offset_resets.labels("capped")._value.get() >= 1
    assert any(r.levelname == "ERROR" and "records lost" in r.getMessage() for r in caplog.records)
    assert not any("resetting offset" in r.getMessage() for r in caplog.records if r.levelno < logging.ERROR)


@pytest.fixture(autouse=True)
def _restore_fetcher_logger():
    logger = logging.getLogger("aiokafka.consumer.fetcher")
    level = logger.level
    yield
    logger.setLevel(level)


def test_topics_the_mock_creates_on_first_use_are_lifted_too():
    with EmbeddedBroker(partitions=1, topics=["up.front"]) as broker:
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, api_version=EMBEDDED_BROKER_API_VERSION)
        try:
            producer.send("made.later", value=b"x").get(timeout=30)  # auto-created, 4 partitions
        finally:
            producer.close()
        assert broker.lift_retention_of_new_topics() == ["made.later"]
        assert broker.lift_retention_of_new_topics() == []
        _produce_over_the_cap(broker.bootstrap, "made.later")
        offsets = asyncio.run(_read_from_zero(broker.bootstrap, "made.later"))
        assert offsets == list(range(RECORDS_OVER_THE_CAP))
