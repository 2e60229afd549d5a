"""The embedded services for real: host process, discovery, broker over TCP, persistent PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic

from factstream.embedded import (
    EmbeddedBroker,
    ensure_services,
    is_embedded_broker,
    services_status,
    stop_services,
)
from factstream.embedded.services import DISCOVERY_FILE, host_alive
from factstream.embedded.tansu import TansuBroker
from factstream.settings import Settings

# kafka-python 3.x sends ApiVersions v4, which the mock answers badly (see notes/kafka-brokers.md).
MOCK_API_VERSION = (2, 3, 0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path / "state", topic_partitions=6)


@pytest.fixture
def running(settings: Settings):
    effective = ensure_services(settings, topics=["factstream.articles"])
    yield effective
    stop_services(settings)


def test_host_starts_and_publishes_discovery_file(settings: Settings, running: Settings) -> None:
    discovery = settings.state_dir / DISCOVERY_FILE
    data = json.loads(discovery.read_text())
    assert data["kafka_bootstrap"] == running.kafka_bootstrap
    assert running.database_url is not None
    assert data["database_url"] == running.database_url.get_secret_value()
    assert data["embedded"] == ["broker", "postgres"]
    assert data["pid"] != os.getpid()
    # The discovery file holds the database password.
    assert discovery.stat().st_mode & 0o077 == 0
    assert running.kafka_bootstrap.startswith("127.0.0.1:")
    assert running.database_url.get_secret_value().startswith("postgresql://postgres:")
    assert "@127.0.0.1:" in running.database_url.get_secret_value()
    assert (settings.state_dir / "embedded.log").exists()

    status = services_status(settings)
    assert status is not None and status.pid == data["pid"]
    assert "***" in str(status.public()["database_url"])


def test_second_call_reuses_the_running_services(settings: Settings, running: Settings) -> None:
    pid = json.loads((settings.state_dir / DISCOVERY_FILE).read_text())["pid"]
    again = ensure_services(Settings(state_dir=settings.state_dir))
    assert again.kafka_bootstrap == running.kafka_bootstrap
    assert again.database_url == running.database_url
    assert json.loads((settings.state_dir / DISCOVERY_FILE).read_text())["pid"] == pid


def test_concurrent_callers_share_one_host(settings: Settings) -> None:
    script = (
        "import sys; from factstream.settings import Settings; "
        "from factstream.embedded import ensure_services; "
        "s = ensure_services(Settings(state_dir=sys.argv[1])); "
        "print(s.kafka_bootstrap, s.database_url.get_secret_value())"
    )
    callers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(settings.state_dir)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    try:
        outputs = {caller.communicate(timeout=60)[0].strip() for caller in callers}
        assert all(caller.returncode == 0 for caller in callers)
        assert len(outputs) == 1
    finally:
        stop_services(settings)


def test_recovers_after_the_host_is_killed(settings: Settings) -> None:
    first = ensure_services(settings)
    assert first.database_url is not None
    with psycopg.connect(first.database_url.get_secret_value()) as conn:
        conn.execute("CREATE TABLE kept (id int)")
    pid = json.loads((settings.state_dir / DISCOVERY_FILE).read_text())["pid"]
    os.kill(pid, signal.SIGKILL)  # no cleanup: stale discovery file, PostgreSQL left running
    deadline = time.monotonic() + 10
    while host_alive(settings.state_dir) and time.monotonic() < deadline:
        time.sleep(0.05)

    second = ensure_services(settings)
    try:
        assert second.kafka_bootstrap != first.kafka_bootstrap
        assert second.database_url is not None
        with psycopg.connect(second.database_url.get_secret_value()) as conn:
            assert conn.execute("SELECT count(*) FROM kept").fetchone() == (0,)
    finally:
        assert stop_services(settings)


def test_configured_services_are_left_alone(tmp_path: Path) -> None:
    configured = Settings(
        state_dir=tmp_path / "s", kafka_bootstrap="kafka:9092", database_url="postgresql://x/y"
    )
    assert ensure_services(configured) is configured
    assert not (tmp_path / "s").exists()


def test_is_embedded_broker(settings: Settings, running: Settings) -> None:
    assert is_embedded_broker(settings)  # unset: will be embedded
    assert is_embedded_broker(running)  # from the discovery file
    assert is_embedded_broker(running.kafka_bootstrap)  # by asking the broker


def test_round_trip_over_tcp_kafka_python_to_aiokafka(running: Settings) -> None:
    topic = "factstream.articles"  # created up front with settings.topic_partitions
    producer = KafkaProducer(bootstrap_servers=running.kafka_bootstrap, api_version=MOCK_API_VERSION)
    try:
        assert producer.partitions_for(topic) == set(range(6))
        producer.send(topic, key=b"k", value=b"hello embedded").get(timeout=10)
        producer.flush()
    finally:
        producer.close()

    async def consume() -> list[bytes]:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=running.kafka_bootstrap,
            group_id=f"test-{uuid.uuid4().hex}",
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            batches = await consumer.getmany(timeout_ms=10_000)
            while not batches:
                batches = await consumer.getmany(timeout_ms=10_000)
            return [record.value for records in batches.values() for record in records]
        finally:
            await consumer.stop()

    assert asyncio.run(asyncio.wait_for(consume(), 30)) == [b"hello embedded"]


def test_postgres_data_survives_restart_and_stop_removes_the_file(settings: Settings) -> None:
    first = ensure_services(settings)
    assert first.database_url is not None
    with psycopg.connect(first.database_url.get_secret_value()) as conn:
        conn.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO kept VALUES (1, 'survives')")

    assert stop_services(settings)
    assert not (settings.state_dir / DISCOVERY_FILE).exists()
    assert not host_alive(settings.state_dir)
    assert services_status(settings) is None
    assert not stop_services(settings)  # nothing left to stop

    second = ensure_services(settings)
    try:
        assert second.database_url is not None
        with psycopg.connect(second.database_url.get_secret_value()) as conn:
            assert conn.execute("SELECT note FROM kept WHERE id = 1").fetchone() == ("survives",)
    finally:
        assert stop_services(settings)
    assert not (settings.state_dir / DISCOVERY_FILE).exists()


def test_broker_only_host(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "b", database_url="postgresql://elsewhere/db")
    effective = ensure_services(settings)
    try:
        assert effective.database_url == settings.database_url
        assert effective.kafka_bootstrap is not None
        assert not (tmp_path / "b" / "postgres").exists()
    finally:
        stop_services(settings)


def test_embedded_broker_in_process_creates_topics_with_partitions() -> None:
    with EmbeddedBroker(partitions=3, topics=["p3"]) as broker:
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, api_version=MOCK_API_VERSION)
        try:
            assert producer.partitions_for("p3") == {0, 1, 2}
        finally:
            producer.close()
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, api_version=MOCK_API_VERSION)
        try:
            # The controller points at broker 1, so admin clients can bootstrap.
            assert admin.describe_cluster()["controller_id"] == 1
        finally:
            admin.close()
    assert not broker.running


def test_tansu_admin_creates_and_lists_topics() -> None:
    with TansuBroker() as tansu:
        admin = KafkaAdminClient(bootstrap_servers=tansu.bootstrap, client_id="factstream-test")
        try:
            admin.create_topics([NewTopic("factstream.articles", num_partitions=5, replication_factor=1)])
            assert "factstream.articles" in admin.list_topics()
            (described,) = admin.describe_topics(["factstream.articles"])
            assert len(described["partitions"]) == 5
        finally:
            admin.close()
