"""Two workers in one consumer group share the work on the embedded broker.

librdkafka's mock answers a follower's SyncGroup that arrives after the leader's with
INVALID_REQUEST, where Kafka answers with the follower's assignment; the embedded broker's relay
(``factstream.embedded.broker._GroupSyncProxy``) gives the Kafka answer. The first test pins that
protocol behaviour deterministically; the second shows what it is for: two faust workers both
get partitions and both process records.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from aiokafka.client import AIOKafkaClient, ConnectionGroup
from aiokafka.protocol.group import JoinGroupRequest, SyncGroupRequest
from kafka import KafkaConsumer, KafkaProducer

from factstream.bench.corpus import synthetic_articles
from factstream.embedded import EmbeddedBroker, ensure_services, stop_services
from factstream.settings import Settings

from .e2e import Deployment, free_port

MOCK_API_VERSION = (2, 3, 0)
MESSAGES = 200
# Kafka's error code for MEMBER_ID_REQUIRED (JoinGroup v4+ may ask the member to rejoin with an id).
MEMBER_ID_REQUIRED = 79
# Group coordinator lookup key type (FindCoordinator).
GROUP_COORDINATOR = 0


async def _join(client: AIOKafkaClient, node: int, group: str, member_id: str = "") -> object:
    request = JoinGroupRequest(group, 6000, 6000, member_id, None, "consumer", [("range", b"m")])
    response = await client.send(node, request, group=ConnectionGroup.COORDINATION)
    if response.error_code == MEMBER_ID_REQUIRED:
        return await _join(client, node, group, response.member_id)
    assert response.error_code == 0, response
    return response


async def _sync(client: AIOKafkaClient, node: int, group: str, generation: int, member: str, plan) -> object:
    request = SyncGroupRequest(group, generation, member, None, plan)
    return await client.send(node, request, group=ConnectionGroup.COORDINATION)


async def _late_follower_sync(bootstrap: str) -> tuple[object, object]:
    """Leader syncs first, follower after: return (leader's, follower's) SyncGroup responses."""
    group = f"late-sync-{uuid.uuid4().hex[:8]}"
    first, second = AIOKafkaClient(bootstrap_servers=bootstrap), AIOKafkaClient(bootstrap_servers=bootstrap)
    await first.bootstrap()
    await second.bootstrap()
    try:
        node = await first.coordinator_lookup(GROUP_COORDINATOR, group)
        await second.coordinator_lookup(GROUP_COORDINATOR, group)
        # A group of one (the mock's initial rebalance delay is 0), synced and Up.
        alone = await _join(first, node, group)
        m1 = alone.member_id
        assert (await _sync(first, node, group, alone.generation_id, m1, [(m1, b"all")])).error_code == 0
        # A second member joins; the first rejoins; both get the new generation.
        joins = await asyncio.gather(_join(second, node, group), _join(first, node, group, m1))
        leader = next(j for j in joins if j.member_id == j.leader_id)
        follower = next(j for j in joins if j.member_id != j.leader_id)
        leader_client = first if leader.member_id == m1 else second
        follower_client = second if leader_client is first else first
        plan = [(leader.member_id, b"leader's share"), (follower.member_id, b"follower's share")]
        # The order a fast faust leader produces: its SyncGroup is in before the follower's.
        leader_sync = await _sync(leader_client, node, group, leader.generation_id, leader.member_id, plan)
        late = follower.generation_id, follower.member_id
        follower_sync = await _sync(follower_client, node, group, *late, [])
        return leader_sync, follower_sync
    finally:
        await first.close()
        await second.close()


def test_a_follower_syncing_after_the_leader_gets_its_assignment() -> None:
    with EmbeddedBroker() as broker:
        leader_sync, follower_sync = asyncio.run(_late_follower_sync(broker.bootstrap))
        assert broker._proxy is not None and broker._proxy.late_syncs_answered == 1
    assert (leader_sync.error_code, leader_sync.member_assignment) == (0, b"leader's share")
    # Without the relay the mock answers INVALID_REQUEST (42) and no assignment.
    assert (follower_sync.error_code, follower_sync.member_assignment) == (0, b"follower's share")


# -- two faust workers -------------------------------------------------------------------------------

WORKER_APP = textwrap.dedent(
    """
    import os
    from pathlib import Path

    import faust

    from factstream.settings import Settings
    from factstream.transport import faust_broker_options

    settings = Settings(
        app_id=os.environ["SCALE_APP_ID"],
        kafka_bootstrap=os.environ["SCALE_BOOTSTRAP"],
        state_dir=os.environ["SCALE_STATE"],
        database_url="postgresql://unused/db",
        topic_partitions=4,
    )
    # The options factstream's own app passes on the embedded broker (streams/transport.py).
    options = faust_broker_options(settings, embedded_broker=True)
    Path(options["datadir"]).mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.app_id, autodiscover=False, store="memory://", **options)

    source = app.topic("scale.in", value_serializer="raw")
    sink = app.topic("scale.out", value_serializer="raw")
    me = os.environ["SCALE_WORKER"].encode()


    @app.agent(source)
    async def forward(stream):
        async for value in stream:
            await sink.send(value=me + b":" + value)


    @app.on_partitions_assigned.connect
    async def mark(app, assigned, **kwargs):
        mine = sorted(tp.partition for tp in assigned if tp.topic == "scale.in")
        with open(os.environ["SCALE_MARKS"], "a") as marks:
            marks.write(f"{len(mine)}\\n")
    """
)


def _start_worker(tmp_path: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    env = env | {"SCALE_WORKER": name, "SCALE_MARKS": str(tmp_path / f"{name}.marks"),
                 "SCALE_STATE": str(tmp_path / name / "state")}
    command = [sys.executable, "-m", "faust", "-A", "scale_app", "--datadir", str(tmp_path / name), "worker"]
    command += ["--web-port", str(free_port()), "--web-host", "127.0.0.1"]
    with (tmp_path / f"{name}.log").open("wb") as log:
        return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def _partitions_now(tmp_path: Path, name: str) -> int:
    """Partitions of scale.in in the worker's latest assignment (0 before its first)."""
    try:
        lines = (tmp_path / f"{name}.marks").read_text().split()
    except FileNotFoundError:
        return 0
    return int(lines[-1]) if lines else 0


@pytest.fixture
def broker(tmp_path: Path):
    settings = Settings(state_dir=tmp_path / "state", database_url="postgresql://unused/db")
    effective = ensure_services(settings, topics=["scale.in", "scale.out"])
    yield effective.kafka_bootstrap
    stop_services(settings)


@pytest.mark.timeout(120)
def test_two_faust_workers_in_one_group_both_get_partitions_and_process(tmp_path: Path, broker: str) -> None:
    (tmp_path / "scale_app.py").write_text(WORKER_APP)
    env = dict(os.environ, SCALE_BOOTSTRAP=broker, SCALE_APP_ID=f"scale-{uuid.uuid4().hex[:8]}")
    workers = {name: _start_worker(tmp_path, env, name) for name in ("w1", "w2")}

    def logs() -> str:
        return "\n".join(f"--- {n}\n" + (tmp_path / f"{n}.log").read_text()[-3000:] for n in workers)

    consumer = KafkaConsumer(
        "scale.out",
        bootstrap_servers=broker,
        api_version=MOCK_API_VERSION,
        auto_offset_reset="earliest",
        group_id=None,
        consumer_timeout_ms=500,
    )
    try:
        # Both workers hold partitions once the group has settled (4 between them).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers.values()), logs()
            shares = {n: _partitions_now(tmp_path, n) for n in workers}
            if all(shares.values()) and sum(shares.values()) == 4:
                break
            time.sleep(0.25)
        assert all(shares.values()) and sum(shares.values()) == 4, f"{shares}\n{logs()}"

        producer = KafkaProducer(bootstrap_servers=broker, api_version=MOCK_API_VERSION)
        try:
            for i in range(MESSAGES):
                producer.send("scale.in", key=f"k{i}".encode(), value=f"m{i}".encode())
            producer.flush()
        finally:
            producer.close()

        by_worker: dict[str, set[str]] = {n: set() for n in workers}
        deadline = time.monotonic() + 60
        while sum(map(len, by_worker.values())) < MESSAGES and time.monotonic() < deadline:
            for record in consumer:
                name, _, value = record.value.decode().partition(":")
                by_worker[name].add(value)
        assert set().union(*by_worker.values()) == {f"m{i}" for i in range(MESSAGES)}, logs()
        # Each record once, and each worker did part of the work.
        assert sum(map(len, by_worker.values())) == MESSAGES
        assert all(by_worker.values()), {n: len(v) for n, v in by_worker.items()}
        counts = {n: len(v) for n, v in by_worker.items()}
        print(f"\npartitions per worker {shares}; records per worker {counts}")
    finally:
        consumer.close()
        for worker in workers.values():
            worker.send_signal(signal.SIGTERM)
        for worker in workers.values():
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


# -- two factstream workers ------------------------------------------------------------------------

# Articles per ingest round; a worker holding 2 of the 4 article partitions misses all of a round
# with probability 1/2**8.
ROUND_ARTICLES = 8


def _extracted(port: int) -> int:
    """Articles the worker on web port ``port`` has consumed (its /metrics page)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as page:  # noqa: S310
            text = page.read().decode()
    except OSError:
        return 0
    match = re.search(r'^factstream_records_in_total\{processor="extract"\} ([0-9.e+]+)$', text, re.M)
    return int(float(match.group(1))) if match else 0


@pytest.mark.timeout(180)
def test_two_factstream_workers_share_the_articles(tmp_path: Path, db_url: str) -> None:
    """The real app, whose follower lost the SyncGroup race every time on the bare mock."""
    dep = Deployment(state_dir=tmp_path / "state", database_url=db_url)
    dep.state_dir.mkdir()
    try:
        for _ in range(2):
            dep.start_worker("--no-migrate")
        deadline = time.monotonic() + 120
        consumed = [0, 0]
        rounds = 0
        while not all(consumed) and time.monotonic() < deadline:
            assert all(w.poll() is None for w in dep.workers), dep.worker_logs()
            rounds += 1
            corpus = tmp_path / f"round{rounds}.jsonl"
            articles = synthetic_articles(ROUND_ARTICLES, seed=rounds, source=f"round{rounds}")
            corpus.write_text("".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8")
            assert dep.ingest(str(corpus))["stored"] == ROUND_ARTICLES, dep.worker_logs()
            consumed = [_extracted(port) for port in dep.web_ports]
        print(f"\narticles consumed per worker {consumed} after {rounds} rounds of {ROUND_ARTICLES}")
        assert all(consumed), f"{consumed}\n{dep.worker_logs()}"
        assert sum(consumed) >= rounds * ROUND_ARTICLES
    finally:
        dep.stop_all()
        stop_services(dep.settings())
