"""Helpers for end-to-end tests: a real `factstream run` worker process, the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from factstream.ports import free_port
from factstream.settings import Settings

MAX_BODY_BYTES = 200_000

# Long enough for a cold worker to join its consumer groups and process a handful of articles
# on a loaded 2-core CI machine; a healthy run takes a few seconds.
PROCESS_TIMEOUT_S = 120

# A worker that takes longer than this to stop after SIGTERM is a bug the tests should see.
WORKER_STOP_TIMEOUT_S = 60


@dataclass
class Deployment:
    """One pipeline: a state dir (embedded broker), a database, and worker processes."""

    state_dir: Path
    database_url: str
    app_id: str = field(default_factory=lambda: f"fs-e2e-{uuid.uuid4().hex[:8]}")
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    web_ports: list[int] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in list(env):
            if name.startswith("FACTSTREAM_") and name != "FACTSTREAM_TEST_DATABASE_URL":
                del env[name]
        env.update(
            FACTSTREAM_STATE_DIR=str(self.state_dir),
            FACTSTREAM_DATABASE_URL=self.database_url,
            FACTSTREAM_APP_ID=self.app_id,
            FACTSTREAM_LOG_LEVEL="INFO",
            # Below Kafka's default 1 MB message limit, so an oversized body reaches the worker.
            FACTSTREAM_MAX_BODY_BYTES=str(MAX_BODY_BYTES),
        )
        return env

    def settings(self) -> Settings:
        return Settings(state_dir=self.state_dir, database_url=self.database_url, app_id=self.app_id)

    def cli(self, *args: str, input: bytes | None = None, timeout: float = 300, check: bool = True,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run `factstream ARGS` as a user would, in a child process."""
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "factstream", *args],
            input=input,
            capture_output=True,
            timeout=timeout,
            env=env or self.env,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"factstream {' '.join(args)} exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout.decode(errors='replace')}\nstderr:\n{proc.stderr.decode(errors='replace')}"
            )
        return proc

    def start_worker(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Start `factstream run ARGS` with its own web port, logging into the state dir."""
        n = len(self.workers)
        log = (self.state_dir / f"worker-{n}.log").open("ab")
        port = free_port()
        self.web_ports.append(port)
        env = (env or self.env) | {"FACTSTREAM_WEB_PORT": str(port)}
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "factstream", "run", *args], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        self.workers.append(worker)
        return worker

    def ingest(self, *args: str) -> dict[str, Any]:
        """`factstream ingest --wait --json ARGS`; returns the summary."""
        proc = self.cli("ingest", "--wait", "--json", "--timeout", str(PROCESS_TIMEOUT_S), *args, check=False)
        assert proc.returncode in (0, 2), (proc.stderr.decode(), self.worker_logs())
        return json.loads(proc.stdout.decode().strip().splitlines()[-1])

    def stop_worker(self, worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
        if worker.poll() is None:
            worker.send_signal(sig)
            try:
                worker.wait(timeout=WORKER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
                raise AssertionError(
                    f"worker did not stop within {WORKER_STOP_TIMEOUT_S}s of signal {sig}"
                ) from None
        return worker.returncode

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()

    def worker_logs(self) -> str:
        logs = sorted(self.state_dir.glob("worker-*.log"))
        return "\n".join(p.read_text(errors="replace")[-5000:] for p in logs)

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()

    def counts(self) -> dict[str, int]:
        tables = ("articles", "tracked_claims", "claim_mentions", "contradictions", "dead_letters")
        return {t: self.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # noqa: S608

    def snapshot(self) -> dict[str, Any]:
        """Everything a user can see in the database, without store timestamps."""
        return {
            "claims": self.query(
                "SELECT id, canonical_text, speaker, mention_count, source_count FROM tracked_claims "
                "ORDER BY id"
            ),
            "mentions": self.query(
                "SELECT id, claim_id, article_id, speaker, quote, span_start, span_end FROM claim_mentions "
                "ORDER BY id"
            ),
            "contradictions": self.query(
                "SELECT id, claim_a_id, claim_b_id, kind FROM contradictions ORDER BY id"
            ),
            "dead_letters": self.query("SELECT id, stage, reason FROM dead_letters ORDER BY id"),
        }


def wait_until(predicate: Any, timeout: float, message: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(message)
