"""The real pipeline, end to end: `factstream run` (faust) against a Kafka-protocol broker over TCP
(the embedded librdkafka mock cluster) and a real PostgreSQL, driven through the `factstream` CLI.
"""

from __future__ import annotations

import json
import signal
import time
import uuid

import psycopg
import pytest
from kafka import KafkaProducer

from factstream.cli import sample_paths
from factstream.embedded.services import stop_services
from factstream.ingest import EMBEDDED_BROKER_API_VERSION

from .e2e import MAX_BODY_BYTES, PROCESS_TIMEOUT_S, Deployment, wait_until

pytestmark = pytest.mark.e2e

def test_sample_articles_become_tracked_claims_with_mentions_and_contradictions(deployment):
    summary = deployment.ingest(*map(str, sample_paths()))
    assert summary["sent"] == 4 and summary["stored"] == 4, deployment.worker_logs()

    claims = json.loads(deployment.cli("claims", "list", "--json", "--limit", "1000").stdout)
    assert claims, "no tracked claims"
    # One fact restated by several outlets is one tracked claim with several mentions,
    # each keeping its own source and span.
    # (Which mention's words become the canonical text depends on arrival order; the mentions do not.)
    closing = [c for c in claims if any("Harbor City plant in May" in m["text"] for m in c["mentions"])]
    assert closing and max(c["mention_count"] for c in closing) >= 2
    busiest = max(closing, key=lambda c: c["mention_count"])
    # The company's statement, its chief executive's words and the outlets' reports of the
    # closure are one fact: mentions from at least three articles, in more than one voice.
    assert len({m["article_id"] for m in busiest["mentions"]}) >= 3, [
        (c["canonical_text"], [(m["source"], m["speaker"], m["text"]) for m in c["mentions"]])
        for c in closing]
    assert len({m["speaker"] for m in busiest["mentions"] if m["speaker"]}) >= 2, busiest["mentions"]
    assert len(busiest["mentions"]) == busiest["mention_count"], (busiest["mention_count"], [
        (m["claim_id"], m["source"], m["text"]) for m in busiest["mentions"]])
    # Exact quotes are substrings of the stored article bodies.
    for claim in claims:
        for m in claim["mentions"]:
            body = deployment.query("SELECT body FROM articles WHERE id = %s", (m["article_id"],))[0][0]
            if m["quote"]:
                assert m["quote"] in body
            assert 0 <= m["span"][0] < m["span"][1] <= len(body)
    speakers = {c["speaker"] for c in claims}
    assert "Maria Lindqvist" in speakers
    numbers = {(q["value"], q["unit"]) for c in claims for q in c["numbers"]}
    assert any(v == 1200 for v, _ in numbers) and any(v == 1500 for v, _ in numbers)

    contradictions = json.loads(deployment.cli("contradictions", "list", "--json").stdout)["items"]
    jobs = [c for c in contradictions
            if "1,200" in json.dumps(c["evidence"]) and "1,500" in json.dumps(c["evidence"])]
    assert jobs, (f"the 1,200 vs 1,500 jobs conflict was not detected: {contradictions}; claims: "
                  f"{[(c['canonical_text'], c['speaker'], c['mention_count']) for c in claims]}")
    assert jobs[0]["kind"] in ("numeric", "conflicting_report")
    assert {e["source"] for e in jobs[0]["evidence"]} == {"Harbor Gazette", "Coastal Wire"}
    # Figures read as the articles write them, in the contradiction and in the claim listing alike.
    if jobs[0]["kind"] == "numeric":
        assert "1,200 jobs" in jobs[0]["explanation"] and "1,500 jobs" in jobs[0]["explanation"], jobs[0]
    listing = deployment.cli("claims", "list", "--limit", "1000").stdout.decode()
    assert "1,200 jobs" in listing and "1200 job" not in listing, listing


def test_malformed_records_are_dead_lettered_and_the_worker_keeps_running(deployment):
    bootstrap = deployment.settings().model_copy()
    from factstream.embedded.services import services_status

    info = services_status(bootstrap)
    producer = KafkaProducer(bootstrap_servers=info.kafka_bootstrap, api_version=EMBEDDED_BROKER_API_VERSION)
    topic = f"{bootstrap.topic_prefix}articles"
    bad = {
        b"bad-json": b'{"source": "S", "body": ',
        b"bad-utf8": b"\xff\xfe\xfa",
        b"no-body": json.dumps({"source": "S", "title": "x"}).encode(),
        b"empty-body": json.dumps({"source": "S", "body": "  "}).encode(),
        b"huge-body": json.dumps({"source": "S", "body": "x" * (MAX_BODY_BYTES + 1)}).encode(),
        b"wrong-type": b"[1, 2, 3]",
    }
    for key, value in bad.items():
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()

    # A good article after the bad ones is still processed: the worker did not die.
    summary = deployment.ingest(str(sample_paths()[0]))
    assert summary["stored"] == 1, deployment.worker_logs()
    wait_until(lambda: deployment.counts()["dead_letters"] >= len(bad), PROCESS_TIMEOUT_S,
               "not every malformed record reached the dead-letter table")
    rows = dict(deployment.query("SELECT key, reason FROM dead_letters WHERE stage = 'extract'"))
    assert "not valid JSON" in rows["bad-json"]
    assert "UTF-8" in rows["bad-utf8"]
    assert "missing body" in rows["no-body"]
    assert "empty" in rows["empty-body"]
    assert "over the limit" in rows["huge-body"]
    assert "JSON object" in rows["wrong-type"]
    payload, encoding = deployment.query(
        "SELECT payload, payload_encoding FROM dead_letters WHERE key = 'bad-utf8'"
    )[0]
    assert encoding == "base64" and payload == "//76"
    assert all(w.poll() is None for w in deployment.workers)


def test_ingest_rejects_bad_files_with_the_file_and_the_reason(deployment, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"source": "S", "body": ""}')
    good = tmp_path / "good.txt"
    good.write_text("Headline\n\nThe council said it will open 3 new libraries in June.\n")
    proc = deployment.cli("ingest", "--wait", str(bad), str(good), check=False)
    assert proc.returncode == 2
    assert "broken.json" in proc.stderr.decode() and "body" in proc.stderr.decode()
    assert "stored: 1" in proc.stdout.decode()


def test_kill_and_restart_loses_nothing_and_reingest_adds_no_duplicates(deployment, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"{i:03d}.json").write_text(json.dumps({
            "source": f"Outlet {i % 5}",
            "url": f"https://outlet{i % 5}.example/{i}",
            "published_at": f"2026-03-{1 + i % 28:02d}T08:00:00+00:00",
            "body": f"The city council of Town{i} said on Monday it will hire {10 + i} new teachers. "
                    f"\"We will hire {10 + i} teachers this year,\" mayor Jane Doe{i} told reporters.",
        }))
    proc = deployment.cli("ingest", str(corpus))
    assert proc.returncode == 0
    # kill -9 the worker while it works, then restart it: nothing stored is lost, nothing doubles.
    time.sleep(1.5)
    deployment.workers[0].send_signal(signal.SIGKILL)
    deployment.workers[0].wait()
    deployment.start_worker()
    summary = deployment.ingest(str(corpus))
    assert summary["stored"] == 40, deployment.worker_logs()
    first = deployment.snapshot()
    assert len(first["mentions"]) >= 40

    # Replay: the same corpus again, through a fresh worker after a clean stop.
    assert deployment.stop_worker(deployment.workers[-1]) == 0
    deployment.start_worker()
    summary = deployment.ingest(str(corpus))
    assert summary["stored"] == 40
    assert deployment.snapshot() == first


def test_reassurance_force_report_end_to_end(deployment, fixture_article_path):
    summary = deployment.ingest("--source", "Wire", "--published-at", "2025-09-05", str(fixture_article_path))
    assert summary["stored"] == 1, deployment.worker_logs()
    body = fixture_article_path.read_text(encoding="utf-8")
    rows = deployment.query("SELECT speaker, quote, modality, hedge, numbers FROM claim_mentions")
    by_speaker: dict[str | None, list] = {}
    for speaker, quote, modality, hedge, numbers in rows:
        by_speaker.setdefault(speaker, []).append((quote, modality, hedge, numbers))
    quotes = {q for items in by_speaker.values() for q, *_ in items if q}
    for q in quotes:
        assert q in body, f"quote not exact: {q!r}"
    assert any("legitimate targets" in (q or "") for q, *_ in by_speaker.get("Vladimir Putin", []))
    assert any(
        "ready for contact with Zelensky" in (q or "") for q, *_ in by_speaker.get("Vladimir Putin", [])
    )
    assert any("first concrete step" in (q or "") for q, *_ in by_speaker.get("Volodymyr Zelensky", []))
    assert any(m == "hedged" and "probably" in (h or "") for _, m, h, _ in by_speaker.get("Donald Trump", []))
    assert any("constructive" in (q or "") for q, *_ in by_speaker.get("Dmitry Peskov", []))
    assert any(any(n["value"] == 26 for n in nums) for *_, nums in by_speaker.get("Emmanuel Macron", []))


def test_demo_runs_on_the_fully_embedded_default(tmp_path):
    """The README's first command: everything embedded, fresh state dir, JSON out, exit 0."""
    dep = Deployment(state_dir=tmp_path / "demo-state", database_url="unused")
    env = dep.env
    del env["FACTSTREAM_DATABASE_URL"]
    try:
        proc = dep.cli("demo", "--json", env=env, timeout=400)
    finally:
        from factstream.settings import Settings

        stop_services(Settings(state_dir=dep.state_dir))
    out = json.loads(proc.stdout)
    assert out["claims"] and out["contradictions"]
    assert any(
        c["speaker"] == "Maria Lindqvist" and any(m["quote"] for m in c["mentions"]) for c in out["claims"]
    )
    assert any(q["value"] == 1500 for c in out["claims"] for q in c["numbers"])
    # demo started the services, so it stopped them again: no stray host process is left behind.
    assert not (dep.state_dir / "services.json").exists()
    # The embedded database lives in the state dir and keeps the demo's rows across restarts.
    assert (dep.state_dir / "postgres").is_dir()
    again = json.loads(dep.cli("demo", "--json", env=env, timeout=400).stdout)
    stop_services(Settings(state_dir=dep.state_dir))
    assert len(again["claims"]) == len(out["claims"])


def test_topics_create_uses_the_admin_api_of_a_real_kafka_protocol_broker(tmp_path):
    """The path real Kafka takes (the embedded mock has no admin API): Tansu over TCP."""
    tansu = pytest.importorskip("factstream.embedded.tansu")
    with tansu.TansuBroker() as broker:
        env_dep = Deployment(state_dir=tmp_path / "s", database_url="postgresql://unused/db",
                             app_id=f"t{uuid.uuid4().hex[:6]}")
        env = env_dep.env | {"FACTSTREAM_KAFKA_BOOTSTRAP": broker.bootstrap,
                             "FACTSTREAM_TOPIC_PREFIX": "ft.", "FACTSTREAM_TOPIC_PARTITIONS": "3"}
        first = env_dep.cli("topics", "create", env=env).stdout.decode()
        assert first.count("created") == 5
        second = env_dep.cli("topics", "create", env=env).stdout.decode()
        assert second.count("exists") == 5
        from kafka import KafkaConsumer

        consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
        try:
            assert consumer.partitions_for_topic("ft.claims") == {0, 1, 2}
        finally:
            consumer.close()


def test_database_is_required_to_be_reachable_with_a_clear_error(tmp_path):
    dep = Deployment(state_dir=tmp_path / "s", database_url="postgresql://nobody@127.0.0.1:1/none")
    env = dep.env | {"FACTSTREAM_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
    proc = dep.cli("db", "migrate", env=env, check=False, timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr.decode()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect("postgresql://nobody@127.0.0.1:1/none", connect_timeout=2)


def test_query_commands_answer_from_the_pipelines_rows(deployment, fixture_article_path):
    """'What did Putin say about talks with Zelensky?' from the CLI, on rows the pipeline stored."""
    deployment.ingest("--source", "Wire", "--published-at", "2025-09-05", str(fixture_article_path))
    found = json.loads(deployment.cli("claims", "search", "Zelensky", "--speaker", "Putin", "--json").stdout)
    rows = found["items"] if isinstance(found, dict) else found
    assert rows, "no Putin claim about Zelensky found"
    assert any("ready for contact with Zelensky" in json.dumps(r) for r in rows)
    claim_id = rows[0]["id"]
    shown = json.loads(deployment.cli("claims", "show", claim_id, "--json").stdout)
    assert shown["id"] == claim_id and shown["mentions"]
    speakers = deployment.cli("speakers", "--json").stdout.decode()
    assert "Vladimir Putin" in speakers
    timeline = json.loads(deployment.cli("timeline", "Vladimir Putin", "--json").stdout)
    assert timeline
    csv_out = deployment.cli("claims", "search", "troops", "--csv").stdout.decode()
    assert csv_out.splitlines()[0].startswith("id,") or "," in csv_out.splitlines()[0]
