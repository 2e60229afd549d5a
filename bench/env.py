"""What the bench runs against: the broker and PostgreSQL server, scratch databases, worker processes.

Every scenario gets a database of its own (created on the server, migrated, dropped afterwards),
a consumer-group prefix and a topic prefix of its own, so runs never see each other's rows or
offsets and the configured database is never written to.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from factstream.ports import free_port
from factstream.settings import Settings
from factstream.store import migrate

# A stopping worker flushes a batch and commits; longer than this is a hang worth killing.
WORKER_STOP_TIMEOUT_S = 60.0


@dataclass
class Target:
    """The resolved services: a Kafka bootstrap and a PostgreSQL URL allowed to create databases."""

    settings: Settings
    embedded_broker: bool

    @property
    def server_url(self) -> str:
        return self.settings.database_dsn()

    @classmethod
    def resolve(cls, settings: Settings) -> Target:
        """Start (or reuse) the embedded services for whatever is not configured."""
        from factstream.embedded.services import ensure_services, is_embedded_broker
        from factstream.topics import topic_names

        resolved = ensure_services(settings, topics=topic_names(settings))
        return cls(resolved, is_embedded_broker(resolved))

    @contextmanager
    def scratch_db(self, label: str, *, keep: bool = False) -> Any:
        """A new, migrated database for one scenario; dropped afterwards unless ``keep``."""
        name = f"fsbench_{label}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(self.server_url)._replace(path=f"/{name}"))
        try:
            migrate(url)
            yield url
        finally:
            if not keep:
                with psycopg.connect(self.server_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Workers:
    """``factstream run`` worker processes sharing one consumer group, topic prefix and database."""

    target: Target
    database_url: str
    log_dir: Path
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    profile_to: Path | None = None
    patch: str = ""

    @property
    def topic_prefix(self) -> str:
        return f"fsbench.{self.run_id}."

    def settings(self) -> Settings:
        """Settings of this scenario (for the producer and the store)."""
        return self.target.settings.model_copy(
            update={
                "topic_prefix": self.topic_prefix,
                "app_id": f"fsbench-{self.run_id}",
            }
        )

    def env(self) -> dict[str, str]:
        s = self.target.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTSTREAM_")}
        env.update(
            FACTSTREAM_KAFKA_BOOTSTRAP=s.kafka_bootstrap or "",
            FACTSTREAM_DATABASE_URL=self.database_url,
            FACTSTREAM_STATE_DIR=str(s.state_dir),
            FACTSTREAM_TOPIC_PREFIX=self.topic_prefix,
            FACTSTREAM_TOPIC_PARTITIONS=str(s.topic_partitions),
            FACTSTREAM_APP_ID=f"fsbench-{self.run_id}",
            FACTSTREAM_LOG_LEVEL="WARNING",
        )
        if self.patch:
            env["FACTSTREAM_BENCH_PATCH"] = self.patch
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
            )
        return env

    def start(self, count: int) -> None:
        """Start ``count`` workers; with ``profile_to``, the first runs under ``py-spy record``."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for n in range(count):
            module = "factstream.bench.patched_worker" if self.patch else "factstream"
            cmd = [sys.executable, "-m", module, "run", "--no-migrate"]
            if n == 0 and self.profile_to is not None:
                py_spy = Path(sys.executable).with_name("py-spy")
                cmd = [
                    str(py_spy),
                    "record",
                    "--format",
                    "raw",
                    "--rate",
                    "100",
                    "--nonblocking",
                    "-o",
                    str(self.profile_to),
                    "--",
                    *cmd,
                ]
            log = (self.log_dir / f"worker-{self.run_id}-{n}.log").open("ab")
            env = self.env() | {"FACTSTREAM_WEB_PORT": str(free_port())}
            self.procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env))  # noqa: S603

    def python_pids(self) -> list[int]:
        """The worker interpreters' pids (under py-spy, its child)."""
        pids = []
        for proc in self.procs:
            pid = proc.pid
            if self.profile_to is not None and proc is self.procs[0]:
                children = _children(pid)
                pid = children[0] if children else pid
            pids.append(pid)
        return pids

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def stop(self) -> None:
        """SIGTERM each worker (flush, commit), then wait; kill one that hangs."""
        for pid in self.python_pids():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=WORKER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-3000:]
            for p in sorted(self.log_dir.glob(f"worker-{self.run_id}-*.log"))
        )


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc); empty elsewhere."""
    out, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        out.extend(kids)
        todo.extend(kids)
    return out


def proc_stats(pid: int) -> dict[str, float] | None:
    """Peak RSS (VmHWM, MB), current RSS (MB) and CPU seconds of a live process; None elsewhere."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    ticks = os.sysconf("SC_CLK_TCK")

    def kb(name: str) -> float:
        return float(fields.get(name, "0 kB").split()[0]) / 1024

    return {
        "peak_rss_mb": round(kb("VmHWM"), 1),
        "rss_mb": round(kb("VmRSS"), 1),
        "cpu_s": round((int(stat[11]) + int(stat[12])) / ticks, 2),
    }


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process, its live descendants, and the children they have reaped (Linux)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for p in [pid, *descendants(pid)]:
        try:
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in stat[11:15]) / ticks  # utime, stime, cutime, cstime
    return round(total, 2)


def postgres_pid(settings: Settings) -> int | None:
    """The embedded PostgreSQL postmaster's pid (None for a configured server)."""
    try:
        return int((Path(settings.state_dir) / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def services_host_pid(settings: Settings) -> int | None:
    """The embedded services host's pid (from its discovery file), if it runs."""
    from factstream.embedded.services import services_status

    info = services_status(settings)
    return info.pid if info else None


def wait_until(predicate: Any, timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
