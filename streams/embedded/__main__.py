"""Embedded services host: ``python -m factstream.embedded --state-dir DIR [--no-broker] [--no-postgres]``.

Started (detached) by :func:`factstream.embedded.ensure_services`; can also be run in a shell. It
starts the services, publishes them in ``DIR/services.json`` and runs until SIGTERM or SIGINT,
then removes the file and stops the services cleanly. It logs to ``DIR/embedded.log``.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from pydantic import SecretStr

from factstream.embedded.broker import EmbeddedBroker
from factstream.embedded.postgres import EmbeddedPostgres
from factstream.embedded.services import (
    HOST_LOCK_FILE,
    LOG_FILE,
    POSTGRES_DIR,
    Service,
    ServicesInfo,
    remove_info,
    write_info,
)
from factstream.settings import DEFAULT_PARTITIONS

_log = logging.getLogger("factstream.embedded.host")

# Exit status when another host already serves the state dir (sysexits EX_TEMPFAIL).
EXIT_ALREADY_RUNNING = 75

# How often the host checks that PostgreSQL (a separate process) is still alive.
_WATCH_INTERVAL_S = 2.0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m factstream.embedded", description=__doc__)
    parser.add_argument(
        "--state-dir", type=Path, required=True, help="where data, log and discovery file live"
    )
    parser.add_argument("--no-broker", action="store_true", help="do not start the embedded broker")
    parser.add_argument("--no-postgres", action="store_true", help="do not start the embedded PostgreSQL")
    parser.add_argument(
        "--partitions", type=int, default=DEFAULT_PARTITIONS, help="partitions of the --topic topics"
    )
    parser.add_argument("--topic", action="append", default=[], help="topic to create up front (repeatable)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the host until SIGTERM/SIGINT; return the process exit status."""
    args = _parse_args(argv)
    state_dir: Path = args.state_dir.absolute()
    state_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=args.log_level,
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(state_dir / LOG_FILE)],
    )

    # Held for the host's whole life; the kernel drops it when the process dies, however it dies.
    lock_fd = os.open(state_dir / HOST_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        _log.error("another embedded services host already serves %s", state_dir)
        return EXIT_ALREADY_RUNNING
    os.ftruncate(lock_fd, 0)
    os.write(lock_fd, f"{os.getpid()}\n".encode())

    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        _log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    # Detached from any terminal; a hang-up of the spawning shell must not stop shared services.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)

    broker = None if args.no_broker else EmbeddedBroker(partitions=args.partitions, topics=args.topic)
    postgres = None if args.no_postgres else EmbeddedPostgres(state_dir / POSTGRES_DIR)
    status = 0
    try:
        embedded: list[Service] = []
        bootstrap = database_url = None
        if broker is not None:
            bootstrap = broker.start()
            embedded.append("broker")
        if postgres is not None:
            database_url = postgres.start()
            embedded.append("postgres")
        info = ServicesInfo(
            pid=os.getpid(),
            started_at=datetime.now(UTC),
            embedded=embedded,
            kafka_bootstrap=bootstrap,
            database_url=SecretStr(database_url) if database_url else None,
            topic_partitions=args.partitions,
            log_file=str(state_dir / LOG_FILE),
            broker_retention_lifted=broker.retention_lifted if broker is not None else None,
        )
        write_info(state_dir, info)
        _log.info("embedded services ready: %s", info.public())
        while not stop.wait(_WATCH_INTERVAL_S):
            if broker is not None:
                # Topics the mock created on first use (a plug-in's output) keep every record too.
                broker.lift_retention_of_new_topics()
            if postgres is not None and not postgres.is_running():
                _log.error("embedded PostgreSQL died; see %s", postgres.log_file)
                status = 1
                break
    except Exception:
        _log.exception("embedded services failed")
        status = 1
    finally:
        # Unpublish first, so that no new client picks up endpoints that are going away.
        remove_info(state_dir, os.getpid())
        for service in (broker, postgres):
            if service is None:
                continue
            try:
                service.stop()
            except Exception:
                _log.exception("stopping %s failed", type(service).__name__)
                status = 1
        _log.info("embedded services stopped")
        os.close(lock_fd)
    return status


if __name__ == "__main__":
    sys.exit(main())
