"""The HTTP API on a real uvicorn server (127.0.0.1, free port) against a real PostgreSQL, over httpx."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import psycopg
import pytest
import uvicorn

from factstream.api import create_api
from factstream.ports import free_port
from factstream.settings import Settings
from factstream.store import migrate
from tests.conftest import _with_db
from tests.test_queries import INJECTIONS, Seeded, seed

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Server:
    url: str
    db_url: str
    seeded: Seeded
    settings: Settings


class _ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test process keeps its own handlers
        pass


def start_server(cfg: Settings, **kwargs) -> tuple[str, _ThreadServer, threading.Thread]:
    port = free_port()
    server = _ThreadServer(
        uvicorn.Config(
            create_api(cfg, **kwargs), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture(scope="module")
def module_db(pg_server_url: str) -> Iterator[str]:
    """One migrated, seeded database for the module (the server tests only add reviews to it)."""
    name = f"fs_api_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(pg_server_url, name)
    try:
        migrate(url)
        yield url
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def api(module_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    seeded = seed(module_db)
    cfg = Settings(
        database_url=module_db,
        api_token=TOKEN,
        state_dir=tmp_path_factory.mktemp("state"),
        kafka_bootstrap="127.0.0.1:1",
        max_body_bytes=10_000,
    )
    url, server, thread = start_server(cfg)
    try:
        yield Server(url, module_db, seeded, cfg)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def client(api: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=20) as c:
        yield c


def test_health_and_openapi(client):
    from factstream.store.migrate import available_migrations

    latest = max(m.version for m in available_migrations())
    assert client.get("/health").json() == {"status": "ok", "database": "ok", "schema_version": latest}
    spec = client.get("/openapi.json").json()
    assert {
        "/claims",
        "/claims/{claim_id}",
        "/contradictions",
        "/speakers",
        "/speakers/{name}/timeline",
        "/reviews",
        "/articles",
        "/health",
    } <= set(spec["paths"])


def test_docs_pages_use_local_assets_only(client):
    """/docs and /redoc load their JavaScript and CSS from the API itself, so they render offline."""
    expected = {"/docs": {"javascript", "css"}, "/redoc": {"javascript"}}
    for page, kinds in expected.items():
        r = client.get(page)
        assert r.status_code == 200, (page, r.text[:200])
        assert r.headers["content-type"].startswith("text/html"), page
        urls = re.findall(r'(?:src|href)="([^"]+)"', r.text) + re.findall(r"url: '([^']+)'", r.text)
        assert urls, page
        assert all(u.startswith("/") and not u.startswith("//") for u in urls), (page, urls)
        assert "http://" not in r.text and "https://" not in r.text, page
        seen = set()
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200, (page, url)
            kind = asset.headers["content-type"].split(";")[0]
            if url.endswith(".js"):
                assert kind in ("text/javascript", "application/javascript") and len(asset.content) > 100_000
                seen.add("javascript")
            elif url.endswith(".css"):
                assert kind == "text/css" and b".swagger-ui" in asset.content
                seen.add("css")
        assert kinds <= seen, (page, urls)
    assert client.get("/docs").text.count("/static-docs/") >= 2


def test_search_show_contradictions_speakers_timeline(client, api):
    s = api.seeded
    page = client.get("/claims", params={"q": "jobs", "entity": "northfield", "limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_offset"] == 1
    claim = client.get(f"/claims/{s.jobs_1200}").json()
    assert [m["source"] for m in claim["mentions"]] == ["Gazette", "Wire"]
    assert claim["contradictions"][0]["claim_b"]["id"] == s.jobs_1500
    xs = client.get("/contradictions", params={"kind": "numeric", "since": "2026-03-01"}).json()["items"]
    assert [x["id"] for x in xs] == [s.numeric]
    assert {p["name"] for p in client.get("/speakers").json()["items"]} == {"Jane Minister", "Bob O'Critic"}
    t = client.get(f"/speakers/{quote('Jane Minister')}/timeline").json()
    assert [e["stance_reversal"] for e in t["entries"]] == [True, True]
    assert client.get("/claims/clm_nope").status_code == 404
    assert client.get(f"/speakers/{quote('Nobody')}/timeline").status_code == 404


def test_reviews_need_the_token_and_round_trip(client, api):
    s = api.seeded
    body = {
        "target_kind": "contradiction",
        "target_id": s.reversal,
        "verdict": "confirmed",
        "reviewer": "ann",
    }
    assert client.post("/reviews", json=body).status_code == 401
    assert client.post("/reviews", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/reviews", json=body, headers={"Authorization": TOKEN}).status_code == 401
    saved = client.post("/reviews", json=body, headers=AUTH)
    assert saved.status_code == 201 and saved.json()["reviewer"] == "ann"
    confirmed = client.get("/contradictions", params={"status": "confirmed"}).json()["items"]
    assert s.reversal in [x["id"] for x in confirmed]
    dup = {
        "target_kind": "duplicate",
        "target_id": s.duplicate_mention,
        "verdict": "rejected",
        "reviewer": "bo",
    }
    assert client.post("/reviews", json=dup, headers=AUTH).status_code == 201
    assert client.get(f"/claims/{s.jobs_1200}").json()["mentions"][1]["review"]["verdict"] == "rejected"
    missing = {**body, "target_id": "ctr_missing"}
    assert client.post("/reviews", json=missing, headers=AUTH).status_code == 404


def test_writes_are_refused_without_a_configured_token(api):
    cfg = api.settings.model_copy(update={"api_token": None})
    url, server, thread = start_server(cfg)
    try:
        r = httpx.post(f"{url}/reviews", json={}, headers=AUTH)
        assert r.status_code == 403 and "FACTSTREAM_API_TOKEN" in r.json()["detail"]
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("evil", INJECTIONS + ["\x00", "a\udcff"[:1] + "\x00b"])
def test_injection_and_hostile_strings_are_4xx_or_data(client, api, evil):
    for params in ({"q": evil}, {"speaker": evil}, {"entity": evil}, {"source": evil}):
        r = client.get("/claims", params=params)
        assert r.status_code in (200, 422), (params, r.text)
    assert client.get(f"/claims/{quote(evil, safe='')}").status_code in (404, 422)
    assert client.get(f"/speakers/{quote(evil, safe='')}/timeline").status_code in (404, 422)
    r = client.post(
        "/reviews",
        headers=AUTH,
        json={"target_kind": "contradiction", "target_id": evil, "verdict": "confirmed", "reviewer": evil},
    )
    assert r.status_code in (404, 422)
    with psycopg.connect(api.db_url) as conn:
        assert conn.execute("SELECT count(*) FROM tracked_claims").fetchone() == (5,)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/claims", {"limit": 0}),
        ("/claims", {"limit": 100_000}),
        ("/claims", {"offset": -1}),
        ("/claims", {"offset": 10**12}),
        ("/claims", {"since": "yesterday"}),
        ("/claims", {"until": "2026-13-45"}),
        ("/claims", {"until": "0.5"}),  # not seconds since 1970: a date or nothing
        ("/claims", {"since": "1700000000"}),
        ("/contradictions", {"since": "0.5"}),
        ("/claims", {"q": "x" * 501}),
        ("/claims", {"limit": "1e9"}),
        ("/contradictions", {"kind": "made_up"}),
        ("/contradictions", {"status": "maybe"}),
        ("/speakers", {"q": "y" * 301}),
        ("/speakers/Jane/timeline", {"limit": 0}),
        ("/claims", {"sinse": "2026-01-01"}),  # a misspelt filter is not silently ignored
        ("/stories", {"entity": "x", "": "false"}),
    ],
)
def test_bad_parameters_are_422(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


def test_reviews_check_the_token_before_the_body_and_405_lists_every_method(client):
    broken = {"Content-Type": "application/json"}
    r = client.post("/reviews", content=b"{not json", headers=broken)
    assert r.status_code == 401, r.text  # nothing about the body to a client without the token
    r = client.post("/reviews", content=b"{not json", headers={**AUTH, **broken})
    assert r.status_code == 422 and "not valid JSON" in r.json()["detail"]  # as POST /articles
    r = client.post("/reviews", json={"target_kind": "claim"}, headers=AUTH)
    assert r.status_code == 422 and ["body", "target_kind"] in [e["loc"] for e in r.json()["detail"]]
    r = client.options("/reviews")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/reviews"]["post"]
    assert {"201", "400", "401", "403", "404", "413", "422", "503"} <= set(post["responses"])
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReviewIn"
    }


def test_empty_published_at_is_absent_as_the_schema_says(client):
    spec = client.get("/openapi.json").json()
    assert {"const": ""} in spec["components"]["schemas"]["ArticleIn"]["properties"]["published_at"]["anyOf"]
    # Past validation, the article goes to Kafka, which is unreachable in these settings: 503, not 422.
    r = client.post("/articles", json={"source": "G", "body": "Text.", "published_at": ""}, headers=AUTH)
    assert r.status_code == 503, r.text


def test_malformed_and_oversized_bodies(client, api):
    assert (
        client.post(
            "/reviews", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/reviews",
            json={"target_kind": "claim", "target_id": "x", "verdict": "confirmed", "reviewer": "a"},
            headers=AUTH,
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/reviews",
            json={
                "target_kind": "duplicate",
                "target_id": "x",
                "verdict": "confirmed",
                "reviewer": "a",
                "extra": 1,
            },
            headers=AUTH,
        ).status_code
        == 422
    )
    assert client.post("/reviews", json=[1, 2], headers=AUTH).status_code == 422
    big = {
        "target_kind": "duplicate",
        "target_id": "x",
        "verdict": "confirmed",
        "reviewer": "a",
        "note": "n" * 70_000,
    }
    assert client.post("/reviews", json=big, headers=AUTH).status_code == 413

    def chunks():  # no Content-Length: the limit applies while streaming
        for _ in range(20):
            yield b"x" * 4096

    assert client.post("/reviews", content=chunks(), headers=AUTH).status_code == 413
    too_big = {"source": "Gazette", "body": "word " * 10_000}  # over max_body_bytes=10_000 in these settings
    r = client.post("/articles", json=too_big, headers=AUTH)
    assert r.status_code in (413, 422)
    for bad, reason in (
        ({"body": "text"}, "source"),
        ({"source": "G"}, "body"),
        ([], "object"),
        ({"source": "G", "body": "   "}, "empty"),
        ({"source": "G", "body": "x", "published_at": "2026-01-01T00:00:00"}, "published_at"),
        ({"source": "G", "body": "x", "published_at": 0}, "published_at"),  # not seconds since 1970
        ({"source": "G", "body": "x", "fetched_at": "2026-01-01T00:00:00Z"}, "unknown field"),
        ({"source": "G", "body": "x", "id": "a\u0000"}, "NUL"),
    ):
        r = client.post("/articles", json=bad, headers=AUTH)
        assert r.status_code == 422 and reason in json.dumps(r.json()), (bad, r.text)
    assert client.post("/articles", content=b"\xff\xfe", headers=AUTH).status_code == 422
    assert client.post("/articles", content=b"[" * 100_000, headers=AUTH).status_code in (413, 422)
    assert client.post("/articles", json={"source": "G", "body": "b"}).status_code == 401


def test_post_article_reaches_the_raw_topic(api, tmp_path):
    from kafka import KafkaConsumer, TopicPartition

    from factstream.embedded import EmbeddedBroker
    from factstream.ingest import EMBEDDED_BROKER_API_VERSION

    with EmbeddedBroker(topics=["factstream.articles"]) as broker:
        cfg = api.settings.model_copy(update={"kafka_bootstrap": broker.bootstrap})
        url, server, thread = start_server(cfg, embedded_broker=True)
        try:
            article = {
                "source": "Gazette",
                "title": "T",
                "body": "Ministers said 26 countries pledged troops.",
                "published_at": "2026-03-02T09:00:00+00:00",
            }
            app = server.config.app
            assert app.state.article_producer is None  # opened lazily, by the first POST
            ids, producers = [], []
            for title in ("T", "T2"):
                r = httpx.post(f"{url}/articles", json={**article, "title": title}, headers=AUTH, timeout=30)
                assert r.status_code == 202, r.text
                ids.append(r.json()["id"])
                assert ids[-1].startswith("art_") and r.json()["topic"] == "factstream.articles"
                producers.append(app.state.article_producer)
            assert producers[0] is not None and producers[0] is producers[1]  # one producer per app
            article_id = ids[0]
        finally:
            server.should_exit = True
            thread.join(10)
        assert not thread.is_alive()
        assert app.state.article_producer is None and producers[0]._producer._closed  # closed on shutdown
        consumer = KafkaConsumer(
            bootstrap_servers=broker.bootstrap,
            api_version=EMBEDDED_BROKER_API_VERSION,
            enable_auto_commit=False,
        )
        try:
            partitions = [TopicPartition("factstream.articles", p) for p in range(cfg.topic_partitions)]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            got = []
            deadline = time.monotonic() + 20
            while len(got) < len(ids) and time.monotonic() < deadline:
                for records in consumer.poll(timeout_ms=500).values():
                    got += [m for m in records if m.key in {i.encode() for i in ids}]
        finally:
            consumer.close()
    assert sorted(m.key.decode() for m in got) == sorted(ids)
    first = [m for m in got if m.key == article_id.encode()]
    assert len(first) == 1 and json.loads(first[0].value)["source"] == "Gazette"


def test_post_article_when_kafka_is_down_is_503(client):
    r = client.post("/articles", json={"source": "G", "body": "Some text."}, headers=AUTH, timeout=60)
    assert r.status_code == 503


# -- the contract: schemathesis's checks, stateful and negative data, against the running server ----

# Examples per operation and phase: enough for every check to see each operation with valid and
# invalid data (the coverage phase adds its systematic boundary values on top), few enough that the
# run takes seconds. No --max-time: with one, fuzzing and stateful testing repeat until it is spent.
CONTRACT_EXAMPLES = 30
# Only stops a hung run; not a performance threshold.
CONTRACT_TIMEOUT_S = 300


def test_openapi_contract_all_checks_positive_negative_and_stateful(api, tmp_path):
    """Schemathesis, every check, every phase (examples, coverage, fuzzing, stateful), both modes.

    A failure is any response the OpenAPI document does not promise: an undeclared status, a body
    that breaks its schema, invalid data accepted ("since=0.5"), valid data refused, a 5xx, a write
    that answers without the token. The server has an embedded broker, so that valid articles
    are accepted (202) and POST /articles is tested like every other operation.
    """
    from factstream.embedded import EmbeddedBroker

    with EmbeddedBroker(topics=["factstream.articles"]) as broker:
        cfg = api.settings.model_copy(update={"kafka_bootstrap": broker.bootstrap})
        url, server, thread = start_server(cfg, embedded_broker=True)
        try:
            run = _schemathesis(url, tmp_path)
        finally:
            server.should_exit = True
            thread.join(10)
    failures = run.stdout.find("= FAILURES =")
    assert run.returncode == 0, (
        run.stdout[failures - 40 : failures + 8000]
        if failures >= 0
        else (run.stdout[-6000:] + run.stderr[-2000:])
    )
    assert "Stateful" in run.stdout and " failed" not in run.stdout, run.stdout[-3000:]


def _schemathesis(url: str, tmp_path) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "schemathesis.json"
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/openapi.json",
        "--checks=all",
        "--mode=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={CONTRACT_EXAMPLES}",
        "--generation-deterministic",
        f"--header=Authorization: Bearer {TOKEN}",
        "--workers=1",
        "--no-color",
        "--report=ndjson",
        f"--report-ndjson-path={report}",
    ]
    # cwd: schemathesis keeps a cache (.schemathesis/) in its working directory, not in the repository
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=CONTRACT_TIMEOUT_S, check=False, cwd=tmp_path
    )
