"""A running worker's health, readiness, metrics and logs, and a graceful stop under load."""

from __future__ import annotations

import json
import re
import signal
import urllib.request

from .e2e import PROCESS_TIMEOUT_S, wait_until


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:  # noqa: S310
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def _metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}\{{{re.escape(want)}\}} (\S+)$" if labels else rf"^{name} (\S+)$"
    found = re.search(pattern, text, re.M)
    return float(found.group(1)) if found else 0.0


def test_health_readiness_and_metrics_that_move_when_articles_flow(deployment, tmp_path):
    port = deployment.web_ports[0]
    wait_until(lambda: _get(port, "/ready")[0] == 200, PROCESS_TIMEOUT_S, "worker never became ready")
    status, body = _get(port, "/ready")
    checks = {"broker": True, "database": True, "migrations": True}
    assert json.loads(body) == {"ready": True, "checks": checks}
    assert _get(port, "/health")[0] == 200
    before = _get(port, "/metrics")[1]

    article = tmp_path / "a.json"
    article.write_text(json.dumps({"source": "Wire", "body": "The council said it will build 12 new homes. "
                                   "\"We will build 12 homes,\" mayor Ann Lee said."}))
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"source": "Wire", "body": "Officials said 40 schools will close."}\n')
    assert deployment.ingest(str(article), str(bad))["stored"] == 2
    after = _get(port, "/metrics")[1]
    for processor in ("extract", "dedup", "contradict"):
        assert _metric(after, "factstream_records_in_total", processor=processor) > _metric(
            before, "factstream_records_in_total", processor=processor)
    assert _metric(after, "factstream_records_out_total", processor="extract") >= 2
    assert _metric(after, "factstream_batch_seconds_count", processor="dedup") >= 1
    assert _metric(after, "factstream_db_write_seconds_count", operation="dedup_batch") >= 1
    assert "factstream_consumer_lag" in after


def test_readiness_is_false_without_migrations(tmp_path, fresh_db_url):
    from factstream.embedded.services import ensure_services, stop_services
    from factstream.topics import topic_names

    from .e2e import Deployment

    dep = Deployment(state_dir=tmp_path / "state", database_url=fresh_db_url)
    dep.state_dir.mkdir()
    ensure_services(dep.settings(), topics=topic_names(dep.settings()))
    try:
        dep.start_worker("--no-migrate")
        port = dep.web_ports[0]
        wait_until(lambda: _get(port, "/ready")[0] == 503, PROCESS_TIMEOUT_S, "readiness never answered")
        assert json.loads(_get(port, "/ready")[1])["checks"]["migrations"] is False
    finally:
        dep.stop_all()
        stop_services(dep.settings())


def test_json_logs_carry_ids_and_sigterm_under_load_loses_nothing(deployment, tmp_path):
    deployment.stop_worker(deployment.workers[0])
    deployment.workers.clear()
    worker = deployment.start_worker(env=deployment.env | {"FACTSTREAM_LOG_FORMAT": "json"})
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({
        "source": f"Outlet {i % 3}", "url": f"https://o{i % 3}.example/{i}",
        "body": f"The water board said on Monday that {100 + i} homes in Riverton{i} lost supply. "
                f"\"We expect supply back by Friday,\" engineer Sam Cole{i} said."}) for i in range(300)))
    assert deployment.cli("ingest", str(corpus)).returncode == 0
    wait_until(lambda: deployment.counts()["claim_mentions"] > 0, PROCESS_TIMEOUT_S, "nothing processed")
    assert deployment.stop_worker(worker, signal.SIGTERM) == 0  # a clean stop, mid-stream
    deployment.start_worker()
    summary = deployment.ingest(str(corpus))
    assert summary["stored"] == 300 and summary["pending"] == 0, deployment.worker_logs()
    counts = deployment.counts()
    assert counts["articles"] == 300
    assert deployment.query("SELECT count(*) FROM claim_mentions WHERE checked_at IS NULL")[0][0] == 0
    lines = [json.loads(line) for log in deployment.state_dir.glob("worker-*.log")
             for line in log.read_text().splitlines() if line.startswith("{")]
    events = {line.get("event") for line in lines}
    assert {"article_extracted", "tracked_claim_created"} <= events
    assert all("article_id" in line for line in lines if line.get("event") == "article_extracted")


def test_a_worker_at_warning_keeps_debug_records_off_the_hot_path(tmp_path):
    """faust's Worker puts the root logger at DEBUG for its start-up spinner when the level is
    WARNING or above; the app restores the configured level once it starts, so the debug calls
    of aiokafka and faust (several per record) no longer build log records to throw away."""
    import asyncio
    import logging

    from faust.worker import Worker

    from factstream.app import create_app
    from factstream.observability import logging_config
    from factstream.settings import Settings

    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    settings = Settings(
        state_dir=tmp_path / "state", database_url="postgresql://unused/db",
        kafka_bootstrap="127.0.0.1:9", log_level="WARNING",
    )

    async def start() -> tuple[bool, bool]:
        app = create_app(settings, embedded_broker=True)
        worker = Worker(app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False,
                        logging_config=logging_config(settings.log_level, settings.log_format))
        worker._setup_logging()  # what the worker does first when it starts (as `factstream run`)
        debug_after_faust = logging.getLogger("aiokafka.producer.producer").isEnabledFor(logging.DEBUG)
        await app.on_first_start()
        return debug_after_faust, logging.getLogger("aiokafka.producer.producer").isEnabledFor(logging.DEBUG)

    try:
        debug_after_faust, debug_after_start = asyncio.run(start())
        assert debug_after_faust  # faust's behaviour, which this guards against
        assert not debug_after_start
        assert root.level == logging.WARNING
        assert logging.getLogger("factstream.app").isEnabledFor(logging.WARNING)
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
