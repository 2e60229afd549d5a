"""The hosts: built-in and plug-in processors are found and hosted by the same code, over the real store.

A plug-in that compares records with stored tracked claims (it defines ``keys``, as dedup and
contradict do) is hosted exactly like them: it gets its candidates from the store.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from factstream.processors import registry
from factstream.processors.matching import blocking_keys
from factstream.schemas.records import Article, Claim, TrackedClaim, TrackedClaimUpdate
from factstream.settings import Settings

SENTENCE = '"We will open 3 new schools in the city next year," the mayor said.'


class Sightings(BaseModel):
    """What the candidate plug-in says of a claim: the stored tracked claims it was shown."""

    claim_id: str
    candidates: list[str]


class CandidateEcho:
    """A plug-in candidate processor: same keys as dedup; reports the candidates it was handed."""

    name: ClassVar[str] = "candidate-echo"
    input_topic: ClassVar[str] = "claims"
    output_topic: ClassVar[str | None] = "claims.sightings"
    input_type: ClassVar[type[BaseModel]] = Claim
    output_type: ClassVar[type[BaseModel] | None] = Sightings

    def setup(self) -> None:
        """Nothing to load."""

    def keys(self, record: BaseModel) -> list[str]:
        assert isinstance(record, Claim)
        return blocking_keys(record)

    def process(self, record: BaseModel, candidates: list[TrackedClaim]) -> list[BaseModel]:
        return [Sightings(claim_id=record.id, candidates=[c.id for c in candidates])]  # type: ignore[attr-defined]

    def close(self) -> None:
        """Nothing to release."""


class Capture:
    """Stands in for an output topic: keeps what a host sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes, bytes]] = []

    async def send(self, *, key: bytes, value: bytes) -> None:
        self.sent.append((key, value))


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install CandidateEcho as if pip had (an entry point in the factstream.processors group)."""
    real = registry.installed()
    plugin = EntryPoint(name=CandidateEcho.name, value=f"{__name__}:CandidateEcho",
                        group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "installed", lambda: real | {plugin.name: plugin})


def _app(tmp_path: Path, database_url: str, *processors: str) -> Any:
    from factstream.app import create_app

    settings = Settings(state_dir=tmp_path / "state", database_url=database_url,
                        kafka_bootstrap="127.0.0.1:9", processors=list(processors))
    return create_app(settings, embedded_broker=True)


def _events(*records: BaseModel) -> list[Any]:
    return [SimpleNamespace(key=b"k", value=r.model_dump_json().encode(),
                            message=SimpleNamespace(topic="t", partition=0, offset=i))
            for i, r in enumerate(records)]


def test_builtins_and_plugins_are_hosted_by_the_same_code(tmp_path, with_plugin):
    app = _app(tmp_path, "postgresql://unused/db", "extract", "dedup", "contradict", "candidate-echo")
    hosts = {name: type(host).__name__ for name, host in app.hosts.hosts.items()}
    # One agent per processor, named after it; what hosts it depends on what it needs, not on who wrote it.
    assert hosts == {"extract": "ProcessorHost", "dedup": "CandidateHost", "contradict": "CandidateHost",
                     "candidate-echo": "CandidateHost"}
    assert {"extract", "dedup", "contradict", "candidate-echo", "sink-deadletters"} <= set(app.agents)
    # The plug-in's output topic is declared once, with the pipeline's own, under the prefix.
    assert app.hosts.hosts["candidate-echo"].output.get_topic_name() == "factstream.claims.sightings"
    assert app.hosts.hosts["dedup"].source is app.hosts.hosts["candidate-echo"].source


def test_a_plugin_candidate_processor_gets_its_candidates_from_the_store(tmp_path, db_url, with_plugin):
    app = _app(tmp_path, db_url, "extract", "dedup", "candidate-echo")
    hosts = app.hosts.hosts
    for host in hosts.values():
        host.output = Capture()
        host.processor.setup()

    async def run() -> tuple[list[Claim], list[TrackedClaimUpdate], list[Sightings]]:
        store = await app.hosts.store()
        try:
            first = Article(source="Wire", url="https://example.com/1", body=SENTENCE)
            await hosts["extract"].handle(_events(first))
            claims = [Claim.model_validate_json(v) for _, v in hosts["extract"].output.sent]
            await hosts["dedup"].handle(_events(*claims))
            updates = [TrackedClaimUpdate.model_validate_json(v) for _, v in hosts["dedup"].output.sent]
            # The same words reported by another outlet: the plug-in is shown the stored fact.
            hosts["extract"].output.sent.clear()
            second = Article(source="Herald", url="https://example.com/2", body=SENTENCE)
            await hosts["extract"].handle(_events(second))
            again = [Claim.model_validate_json(v) for _, v in hosts["extract"].output.sent]
            await hosts["candidate-echo"].handle(_events(*again))
            seen = [Sightings.model_validate_json(v) for _, v in hosts["candidate-echo"].output.sent]
            return claims, updates, seen
        finally:
            await store.close()

    claims, updates, seen = asyncio.run(run())
    assert claims and len(updates) == len(claims) and all(u.is_new for u in updates)
    assert seen and seen[0].claim_id != claims[0].id
    assert updates[0].tracked.id in seen[0].candidates
    # Claims are keyed by dedup's blocking keys (speaker or subject first), so duplicates meet.
    from factstream.hosts import partition_key

    sent = hosts["extract"].output.sent
    assert [key for key, _ in sent] == [
        partition_key(blocking_keys(Claim.model_validate_json(v))).encode() for _, v in sent]
