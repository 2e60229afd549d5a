"""Plug-in processors: the contract, discovery, the harness, and the example plug-in in the real pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import BaseModel

from factstream.errors import ConfigurationError
from factstream.processors import registry
from factstream.processors.testing import ProcessorHarness
from factstream.schemas.records import Article, Claim
from factstream.settings import Settings

from .e2e import PROCESS_TIMEOUT_S, wait_until

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "factstream-topic-tagger"


# -- the contract and the harness, no broker ---------------------------------------------------------


class Shout(BaseModel):
    text: str


class Shouter:
    """A minimal per-record processor that fails on one kind of input."""

    name: ClassVar[str] = "shouter"
    input_topic: ClassVar[str] = "claims"
    output_topic: ClassVar[str | None] = "claims.shouted"
    input_type: ClassVar[type[BaseModel]] = Claim
    output_type: ClassVar[type[BaseModel] | None] = Shout
    calls: ClassVar[list[str]] = []

    def setup(self) -> None:
        self.calls.append("setup")

    def process(self, record: BaseModel) -> list[BaseModel]:
        assert isinstance(record, Claim)
        if "boom" in record.text:
            raise RuntimeError("cannot shout boom")
        return [Shout(text=record.text.upper())]

    def close(self) -> None:
        self.calls.append("close")


class BatchShouter(Shouter):
    batch_size: ClassVar[int] = 10
    batches: ClassVar[list[int]] = []

    def process_batch(self, records: list[BaseModel]) -> list[list[BaseModel]]:
        self.batches.append(len(records))
        return [self.process(r) for r in records]


def _claim(text: str) -> Claim:
    return Claim(article_id="art_1", text=text, span=(0, len(text)))


def test_harness_runs_a_processor_as_a_worker_would():
    with ProcessorHarness(Shouter()) as harness:
        result = harness.feed(_claim("hello"), _claim("boom"), {"article_id": "a"}, _claim("bye"))
    assert [o.text for o in result.outputs] == ["HELLO", "BYE"]
    assert [d.stage for d in result.dead_letters] == ["shouter", "shouter"]
    assert "RuntimeError: cannot shout boom" in result.dead_letters[0].reason
    assert "invalid record" in result.dead_letters[1].reason
    assert Shouter.calls[-2:] == ["setup", "close"]


def test_a_failing_batch_dead_letters_only_the_culprit():
    BatchShouter.batches.clear()
    with ProcessorHarness(BatchShouter()) as harness:
        result = harness.feed(*[_claim(f"claim {i}") for i in range(12)], _claim("boom"))
    assert len(result.outputs) == 12
    assert [d.reason for d in result.dead_letters] == ["RuntimeError: cannot shout boom"]
    assert BatchShouter.batches[:2] == [10, 3]  # batches of batch_size; the failing one retried alone


def test_builtins_are_registered_like_plugins_and_settings_choose_and_order():
    assert {"extract", "dedup", "contradict"} <= set(registry.installed())
    assert registry.enabled_names(Settings())[:3] == ["extract", "dedup", "contradict"]
    chosen = Settings(processors=["dedup", "extract"], processors_disabled=["extract"])
    assert registry.enabled_names(chosen) == ["dedup"]
    with pytest.raises(ConfigurationError, match="not installed"):
        registry.enabled_names(Settings(processors=["nope"]))
    rows = {r.name: r for r in registry.describe(Settings(processors_disabled=["contradict"]))}
    assert rows["extract"].input_type == "Article" and rows["extract"].output_topic == "claims"
    assert rows["contradict"].enabled is False


def test_builtin_processors_satisfy_the_contract_through_the_harness():
    with ProcessorHarness(registry.load("extract")) as harness:
        result = harness.feed(Article(source="Wire", body='"We will open 3 schools," the mayor said.'))
    assert result.outputs and all(isinstance(c, Claim) for c in result.outputs)


# -- the example plug-in, installed with pip, in the real pipeline ---------------------------------------


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],  # noqa: S603
                   check=True, timeout=300)


@pytest.fixture(scope="module")
def installed_example() -> Iterator[None]:
    """pip-install the example plug-in into this environment for the module, then remove it."""
    _pip("install", "--no-deps", "-e", str(EXAMPLE))
    try:
        yield
    finally:
        _pip("uninstall", "-y", "factstream-topic-tagger")


def test_example_plugin_passes_its_own_tests(installed_example):
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
        capture_output=True, timeout=120, cwd=EXAMPLE,
    )
    assert proc.returncode == 0, proc.stdout.decode()


def test_example_plugin_shows_up_in_processors_list(installed_example):
    proc = subprocess.run([sys.executable, "-m", "factstream", "processors", "list", "--json"],  # noqa: S603
                          capture_output=True, timeout=60, check=True)
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    tagger = rows["topic-tagger"]
    assert tagger["enabled"] and not tagger["builtin"]
    assert (tagger["input_topic"], tagger["output_topic"]) == ("claims", "claims.topics")
    assert tagger["distribution"] == "factstream-topic-tagger" and tagger["batch_size"] == 64


def _read_topic(bootstrap: str, topic: str, want: int, timeout: float) -> list[dict]:
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{time.monotonic_ns()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[dict] = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < want and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and not msg.error():
                out.append(json.loads(msg.value()))
    finally:
        consumer.close()
    return out


def test_example_plugin_runs_in_its_own_worker_and_dead_letters_what_it_cannot_handle(
    installed_example, deployment
):
    from confluent_kafka import Producer

    from factstream.cli import sample_paths
    from factstream.embedded.services import services_status

    # The main worker (started by the fixture) runs everything; a second worker runs only the plug-in,
    # in a consumer group of its own, so the plug-in scales apart from the built-ins.
    deployment.stop_worker(deployment.workers[0])
    deployment.workers.clear()
    deployment.start_worker(env=deployment.env | {"FACTSTREAM_PROCESSORS_DISABLED": "topic-tagger"})
    deployment.start_worker("--processors", "topic-tagger")
    summary = deployment.ingest(*map(str, sample_paths()))
    assert summary["stored"] == 4, deployment.worker_logs()
    claims = deployment.query("SELECT id FROM claim_mentions")
    bootstrap = services_status(deployment.settings()).kafka_bootstrap
    tags = _read_topic(bootstrap, "factstream.claims.topics", len(claims), PROCESS_TIMEOUT_S)
    assert {t["claim_id"] for t in tags} == {c[0] for c in claims}, deployment.worker_logs()
    assert "economy" in {t["label"] for t in tags}

    # A record the plug-in raises on is dead-lettered with its name; the pipeline keeps going.
    french = Claim(article_id="art_fr", text="Les troupes seront des cibles.", span=(0, 30), language="fr")
    producer = Producer({"bootstrap.servers": bootstrap})
    producer.produce("factstream.claims", key=b"fr", value=french.model_dump_json().encode())
    producer.flush(10)
    wait_until(
        lambda: deployment.query("SELECT count(*) FROM dead_letters WHERE stage = 'topic-tagger'")[0][0] == 1,
        PROCESS_TIMEOUT_S, "the plug-in's failure was not dead-lettered",
    )
    reason, payload = deployment.query(
        "SELECT reason, payload FROM dead_letters WHERE stage = 'topic-tagger'"
    )[0]
    assert "English claims only" in reason and json.loads(payload)["id"] == french.id
    assert all(w.poll() is None for w in deployment.workers)
    fresh = deployment.state_dir / "late.json"
    fresh.write_text(
        json.dumps({"source": "Late News", "body": "The council said it will build 12 new homes."})
    )
    assert deployment.ingest(str(fresh))["stored"] == 1
