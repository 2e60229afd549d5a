"""A real faust worker against the embedded broker: proves the settings the factstream app needs there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer

from factstream.embedded import ensure_services, stop_services
from factstream.settings import Settings

MOCK_API_VERSION = (2, 3, 0)
MESSAGES = 20

# The app under test, with exactly the options factstream's own app passes on the mock
# (streams/transport.py, faust_broker_options): the settings proved here are the project's.
SMOKE_APP = textwrap.dedent(
    """
    import os
    from pathlib import Path

    import faust

    from factstream.settings import Settings
    from factstream.transport import faust_broker_options

    settings = Settings(
        app_id=os.environ["SMOKE_APP_ID"],
        kafka_bootstrap=os.environ["SMOKE_BOOTSTRAP"],
        state_dir=os.environ["SMOKE_STATE"],
        database_url="postgresql://unused/db",
        # Must equal the partitions of the topics on the mock (auto-created ones have 4).
        topic_partitions=4,
    )
    # On the mock: no topic declaration, no leader-election topic; a 6 s session timeout (a
    # restarted worker's join waits about one session timeout for the old member: faust's 60 s
    # default measured ~59 s, 6 s ~4.6 s; 6 s is also real Kafka's group.min.session.timeout.ms).
    options = faust_broker_options(settings, embedded_broker=True)
    Path(options["datadir"]).mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.app_id, autodiscover=False, store="memory://", web_enabled=False, **options)

    source = app.topic("smoke.in", value_serializer="raw")
    sink = app.topic("smoke.out", value_serializer="raw")


    @app.agent(source)
    async def forward(stream):
        async for value in stream:
            await sink.send(value=b"seen:" + value)
    """
)


@pytest.fixture
def broker(tmp_path: Path):
    settings = Settings(state_dir=tmp_path / "state", database_url="postgresql://unused/db")
    effective = ensure_services(settings, topics=["smoke.in", "smoke.out"])
    yield effective.kafka_bootstrap
    stop_services(settings)


def _start_worker(tmp_path: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    env = env | {"SMOKE_STATE": str(tmp_path / name / "state")}
    log = (tmp_path / f"{name}.log").open("wb")
    try:
        return subprocess.Popen(
            # `faust worker` turns the web server on again (with_web) whatever web_enabled says, and
            # it would bind faust's fixed port 6066: --without-web keeps the test off every fixed port.
            [sys.executable, "-m", "faust", "-A", "smoke_app", "--datadir", str(tmp_path / name), "worker",
             "--without-web"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        log.close()


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _produce(broker: str, batch: str) -> set[bytes]:
    producer = KafkaProducer(bootstrap_servers=broker, api_version=MOCK_API_VERSION)
    try:
        for i in range(MESSAGES):
            producer.send("smoke.in", key=str(i).encode(), value=f"{batch}{i}".encode())
        producer.flush()
    finally:
        producer.close()
    return {f"seen:{batch}{i}".encode() for i in range(MESSAGES)}


def _await_output(
    consumer: KafkaConsumer, expected: set[bytes], worker: subprocess.Popen[bytes], log: Path
) -> set[bytes]:
    seen: set[bytes] = set()
    deadline = time.monotonic() + 90
    while not expected <= seen and time.monotonic() < deadline:
        assert worker.poll() is None, log.read_text()[-4000:]
        seen.update(record.value for record in consumer)
    assert expected <= seen, log.read_text()[-4000:]
    return seen


def test_faust_agent_forwards_on_the_embedded_broker(tmp_path: Path, broker: str) -> None:
    (tmp_path / "smoke_app.py").write_text(SMOKE_APP)
    env = dict(os.environ, SMOKE_BOOTSTRAP=broker, SMOKE_APP_ID=f"smoke-{uuid.uuid4().hex[:8]}")
    consumer = KafkaConsumer(
        "smoke.out",
        bootstrap_servers=broker,
        api_version=MOCK_API_VERSION,
        auto_offset_reset="earliest",
        group_id=None,
        consumer_timeout_ms=500,
    )
    try:
        # First worker: a fresh group joins and processes.
        started = time.monotonic()
        worker = _start_worker(tmp_path, env, "worker1")
        try:
            seen = _await_output(consumer, _produce(broker, "a"), worker, tmp_path / "worker1.log")
            print(f"\nfirst worker forwarded {len(seen)} messages in {time.monotonic() - started:.1f} s")
        finally:
            _stop_worker(worker)

        # Second worker, same group: rejoins after a clean stop and resumes from committed offsets.
        started = time.monotonic()
        worker = _start_worker(tmp_path, env, "worker2")
        try:
            expected = _produce(broker, "b")
            seen = _await_output(consumer, expected, worker, tmp_path / "worker2.log")
            print(f"restarted worker forwarded its batch {time.monotonic() - started:.1f} s after start")
            # Nothing of the first batch was processed twice: offsets were committed on stop.
            assert not any(value.startswith(b"seen:a") for value in seen)
        finally:
            _stop_worker(worker)
    finally:
        consumer.close()


def test_the_app_producer_lingers_and_a_flush_still_waits_for_the_lingering_batch(
    tmp_path: Path, broker: str
) -> None:
    """The worker's producer holds records for ``PRODUCER_LINGER_S`` to batch them; the flush faust
    runs before it commits an offset must still return only once such a record is acknowledged."""
    import asyncio

    from factstream.app import create_app
    from factstream.transport import PRODUCER_LINGER_S

    settings = Settings(
        state_dir=tmp_path / "state", database_url="postgresql://unused/db", kafka_bootstrap=broker
    )

    async def send_then_flush() -> tuple[bool, int]:
        app = create_app(settings, embedded_broker=True)
        producer = app.producer
        assert producer.linger_ms == round(PRODUCER_LINGER_S * 1000) > 0
        await producer.start()
        try:
            sent = await producer.send("smoke.out", b"k", b"lingering", None, None, None)
            held = not sent.done()  # still in its batch, not yet on the broker
            await producer.flush()
            assert sent.done()
            return held, sent.result().offset
        finally:
            await producer.stop()

    held, offset = asyncio.run(send_then_flush())
    assert held and offset >= 0
    consumer = KafkaConsumer(
        "smoke.out",
        bootstrap_servers=broker,
        api_version=MOCK_API_VERSION,
        auto_offset_reset="earliest",
        group_id=None,
    )
    try:
        # Read until the record arrives or 30 s pass: a fixed idle timeout alone failed on a
        # loaded machine (joining and the first fetch took longer than 2 s).
        seen: set[bytes] = set()
        deadline = time.monotonic() + 30
        while b"lingering" not in seen and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                seen.update(record.value for record in records)
        assert b"lingering" in seen
    finally:
        consumer.close()
