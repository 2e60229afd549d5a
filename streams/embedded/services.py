"""Start, find, reuse and stop the embedded services shared by every factstream process.

One detached host process per state directory (``python -m factstream.embedded``) owns the embedded
broker and/or PostgreSQL. It publishes their endpoints in ``<state_dir>/services.json`` and holds
an exclusive lock on ``<state_dir>/host.lock`` for as long as it lives, so "is the host alive" is
answered by the lock, not by a pid that may have been reused or left as a zombie. Processes that
want the services call :func:`ensure_services`; spawning is serialised by ``services.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr

from factstream.errors import ConfigurationError, ServiceUnavailable
from factstream.ports import LOOPBACK, answers
from factstream.settings import Settings

DISCOVERY_FILE = "services.json"
HOST_LOCK_FILE = "host.lock"
SPAWN_LOCK_FILE = "services.lock"
LOG_FILE = "embedded.log"
POSTGRES_DIR = "postgres"

# Cold start is ~0.1 s for the broker and ~0.5 s for a first initdb; PostgreSQL crash recovery
# after a hard kill can take a few seconds. Generous, because a slow CI box must not fail here.
DEFAULT_START_TIMEOUT_S = 60.0

# A clean stop takes well under a second (PostgreSQL fast shutdown); then we stop asking politely.
DEFAULT_STOP_TIMEOUT_S = 30.0

# Port probes are against 127.0.0.1: anything slower than this means the service is not there.
_PROBE_TIMEOUT_S = 1.0

_POLL_INTERVAL_S = 0.05

# librdkafka's mock names its cluster "mockCluster<hex>"; real Kafka uses a base64 UUID.
_MOCK_CLUSTER_ID_PREFIX = "mockCluster"
_MOCK_PROBE_TIMEOUT_S = 5.0

Service = Literal["broker", "postgres"]

_log = logging.getLogger(__name__)


class ServicesInfo(BaseModel):
    """The content of the discovery file: what the host runs and where."""

    version: int = 1
    pid: int
    started_at: datetime
    embedded: list[Service]
    kafka_bootstrap: str | None = None
    database_url: SecretStr | None = None
    topic_partitions: int
    log_file: str
    # Whether the embedded broker keeps every unread record of the pipeline's topics (its
    # 5 MiB-per-partition cap lifted, see retention.py); None when no broker is embedded.
    broker_retention_lifted: bool | None = None

    def public(self) -> dict[str, object]:
        """Return the info as plain data with the database password masked, safe to print."""
        data = self.model_dump(mode="json")
        if self.database_url is not None:
            data["database_url"] = Settings(database_url=self.database_url).masked()["database_url"]
        return data


# Host processes this process spawned, kept so that their exit status is collected (no zombies).
_SPAWNED: list[subprocess.Popen[bytes]] = []


def ensure_services(
    settings: Settings,
    *,
    topics: Sequence[str] = (),
    timeout: float = DEFAULT_START_TIMEOUT_S,
) -> Settings:
    """Return a copy of ``settings`` with ``kafka_bootstrap`` and ``database_url`` filled in.

    Whatever is unset is provided by the embedded services of ``settings.state_dir``: a running
    host is reused when it answers, otherwise one is started. ``topics`` are created up front with
    ``settings.topic_partitions`` partitions on a newly started embedded broker (the mock cannot
    create topics on request, and creates unknown ones with 4 partitions).
    """
    need: list[Service] = []
    if settings.kafka_bootstrap is None:
        need.append("broker")
    if settings.database_url is None:
        need.append("postgres")
    if not need:
        return settings
    state_dir = _state_dir(settings)
    with _locked(state_dir / SPAWN_LOCK_FILE, timeout):
        info = _live_info(state_dir)
        if info is not None and not set(need) <= set(info.embedded):
            raise ConfigurationError(
                f"the embedded services of {state_dir} run without {sorted(set(need) - set(info.embedded))}; "
                "stop them (`factstream services stop`) or configure the missing service"
            )
        if info is None:
            info = _spawn_host(state_dir, need, settings.topic_partitions, topics, timeout)
    updates: dict[str, object] = {}
    if "broker" in need:
        updates["kafka_bootstrap"] = info.kafka_bootstrap
    if "postgres" in need:
        updates["database_url"] = info.database_url
    return settings.model_copy(update=updates)


def services_status(settings: Settings) -> ServicesInfo | None:
    """Return the running host's discovery info, or None when no live host serves the state dir."""
    return _live_info(Path(settings.state_dir).absolute())


def stop_services(settings: Settings, *, timeout: float = DEFAULT_STOP_TIMEOUT_S) -> bool:
    """Stop the host of ``settings.state_dir`` (SIGTERM, then SIGKILL); return whether one ran."""
    state_dir = Path(settings.state_dir).absolute()
    if not state_dir.is_dir():
        return False
    with _locked(state_dir / SPAWN_LOCK_FILE, timeout):
        return _stop_host(state_dir, timeout)


def is_embedded_broker(settings_or_bootstrap: Settings | str | None) -> bool:
    """Whether the broker is (or, for unset settings, will be) librdkafka's mock cluster.

    faust needs ``topic_allow_declare=False`` and ``topic_disable_leader=True`` there. Settings
    are answered from the discovery file; a bare bootstrap string, or one not in the discovery
    file, by asking the broker for its cluster id (the mock's starts with ``mockCluster``).
    """
    if settings_or_bootstrap is None:
        return True
    if isinstance(settings_or_bootstrap, Settings):
        bootstrap = settings_or_bootstrap.kafka_bootstrap
        if bootstrap is None:
            return True
        info = _read_info(Path(settings_or_bootstrap.state_dir).absolute())
        if info is not None and "broker" in info.embedded and info.kafka_bootstrap == bootstrap:
            return True
    else:
        bootstrap = settings_or_bootstrap
    return _probe_mock_cluster(bootstrap)


# -- discovery -------------------------------------------------------------------------------


def _state_dir(settings: Settings) -> Path:
    state_dir = Path(settings.state_dir).absolute()
    state_dir.mkdir(parents=True, exist_ok=True)
    return state_dir


def _read_info(state_dir: Path) -> ServicesInfo | None:
    try:
        return ServicesInfo.model_validate_json((state_dir / DISCOVERY_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def write_info(state_dir: Path, info: ServicesInfo) -> None:
    """Write the discovery file atomically (readers never see half a file), readable by us only."""
    data = info.model_dump(mode="json")
    if info.database_url is not None:
        data["database_url"] = info.database_url.get_secret_value()
    tmp = state_dir / f".{DISCOVERY_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, state_dir / DISCOVERY_FILE)


def remove_info(state_dir: Path, pid: int) -> None:
    """Remove the discovery file if it still describes host ``pid``."""
    info = _read_info(state_dir)
    if info is not None and info.pid == pid:
        (state_dir / DISCOVERY_FILE).unlink(missing_ok=True)


def _live_info(state_dir: Path) -> ServicesInfo | None:
    """Return the discovery info if its host holds the host lock and its ports answer."""
    info = _read_info(state_dir)
    if info is None or not host_alive(state_dir):
        return None
    if info.kafka_bootstrap is not None and not _answers(info.kafka_bootstrap.split(",")[0]):
        return None
    if info.database_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(info.database_url.get_secret_value())
        if not _answers(f"{parts.hostname}:{parts.port or 5432}"):
            return None
    return info


def host_alive(state_dir: Path) -> bool:
    """Whether a host process holds the state dir's host lock (released by the kernel on death)."""
    path = state_dir / HOST_LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _answers(host_port: str) -> bool:
    host, _, port = host_port.strip().rpartition(":")
    try:
        number = int(port)
    except ValueError:
        return False
    return answers(host or LOOPBACK, number, _PROBE_TIMEOUT_S)


def _probe_mock_cluster(bootstrap: str) -> bool:
    try:
        from confluent_kafka.admin import AdminClient
    except ImportError:  # no embedded extra (a production install): the broker is real Kafka
        return False

    client = AdminClient({"bootstrap.servers": bootstrap, "log_level": 3})
    try:
        cluster_id = client.list_topics(timeout=_MOCK_PROBE_TIMEOUT_S).cluster_id or ""
    except Exception as exc:  # noqa: BLE001 - any failure means we cannot tell
        # Unknown means real Kafka: never switch production onto the mock's workarounds by accident.
        _log.warning("could not ask %s for its cluster id (%s); assuming a real Kafka broker", bootstrap, exc)
        return False
    return cluster_id.startswith(_MOCK_CLUSTER_ID_PREFIX)


# -- host process management -------------------------------------------------------------------


def host_command(
    state_dir: Path, services: Sequence[Service], partitions: int, topics: Sequence[str]
) -> list[str]:
    """Return the command line of a host process serving ``services`` from ``state_dir``."""
    command = [sys.executable, "-m", "factstream.embedded", "--state-dir", str(state_dir)]
    command += ["--partitions", str(partitions)]
    if "broker" not in services:
        command.append("--no-broker")
    if "postgres" not in services:
        command.append("--no-postgres")
    for topic in topics:
        command += ["--topic", topic]
    return command


def _spawn_host(
    state_dir: Path, services: Sequence[Service], partitions: int, topics: Sequence[str], timeout: float
) -> ServicesInfo:
    _reap()
    if host_alive(state_dir):
        # A host that holds the lock but does not answer is hung: replace it.
        _stop_host(state_dir, DEFAULT_STOP_TIMEOUT_S)
    (state_dir / DISCOVERY_FILE).unlink(missing_ok=True)
    command = host_command(state_dir, services, partitions, topics)
    env = dict(os.environ)
    # The host must import this very checkout of streams, whatever the caller's cwd.
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    log_path = state_dir / LOG_FILE
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd=state_dir,
            env=env,
            # Its own session: no SIGINT from the caller's terminal, survives the caller's exit.
            start_new_session=True,
        )
    _SPAWNED.append(process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = _read_info(state_dir)
        if info is not None and info.pid == process.pid:
            return info
        if process.poll() is not None:
            raise ServiceUnavailable(
                f"the embedded services host exited with {process.returncode}; see {log_path}:\n"
                + _tail(log_path)
            )
        time.sleep(_POLL_INTERVAL_S)
    process.terminate()
    raise ServiceUnavailable(f"the embedded services did not start within {timeout:.0f} s; see {log_path}")


def _stop_host(state_dir: Path, timeout: float) -> bool:
    info = _read_info(state_dir)
    if not host_alive(state_dir):
        if info is not None:
            (state_dir / DISCOVERY_FILE).unlink(missing_ok=True)
        return False
    pid = info.pid if info is not None else _lock_holder_pid(state_dir)
    if pid is None:
        raise ServiceUnavailable(f"a host holds {state_dir / HOST_LOCK_FILE} but its pid is unknown")
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap()
            if not host_alive(state_dir):
                (state_dir / DISCOVERY_FILE).unlink(missing_ok=True)
                return True
            time.sleep(_POLL_INTERVAL_S)
    raise ServiceUnavailable(f"the embedded services host {pid} did not stop")


def _lock_holder_pid(state_dir: Path) -> int | None:
    """Return the pid the host wrote into its lock file right after taking the lock."""
    try:
        return int((state_dir / HOST_LOCK_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _reap() -> None:
    for process in list(_SPAWNED):
        if process.poll() is not None:
            _SPAWNED.remove(process)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive flock on ``path``; waits up to ``timeout`` for another process to finish."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServiceUnavailable(f"timed out waiting for {path}") from None
                time.sleep(_POLL_INTERVAL_S)
        yield
    finally:
        os.close(fd)
