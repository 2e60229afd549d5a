"""The embedded PostgreSQL: the PostgreSQL 16 binaries of the ``pgserver`` wheel, data in the state dir.

pgserver's own ``get_server()`` only listens on a unix socket (``-h ""``) and stops the server
from an ``atexit`` hook of whichever process holds the last handle. We want a TCP URL that any
process (and any client library) can use, owned by one long-running host process, so we reuse
pgserver's binaries and its root-handling helpers but drive ``initdb``/``pg_ctl`` ourselves.

The server listens on 127.0.0.1 only, with password (SCRAM) authentication; the password is
generated once and kept in ``<state_dir>/postgres.password`` (mode 0600). The data directory
survives restarts.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import tempfile
import warnings
from pathlib import Path
from types import TracebackType

from factstream.errors import ConfigurationError, ServiceUnavailable
from factstream.ports import free_port

_log = logging.getLogger(__name__)

# pgserver runs PostgreSQL as this system user when we are root (postgres refuses to run as root).
_ROOT_RUN_AS = "pgserver"

SUPERUSER = "postgres"
DATABASE = "factstream"

# pg_ctl -w waits for "ready"; a cold start takes ~0.1 s, crash recovery after a hard kill longer.
_PG_CTL_TIMEOUT_S = 60


def _pg_bin_dir() -> Path:
    spec_dir = _pgserver_dir()
    return spec_dir / "pginstall" / "bin"


def _pgserver_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "the embedded PostgreSQL needs the embedded extra: pip install 'factstream[embedded]'")
    return Path(next(iter(spec.submodule_search_locations)))


def _is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As PostgreSQL binds: connections of the previous run lingering in TIME_WAIT do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class EmbeddedPostgres:
    """PostgreSQL 16 with its data in ``data_dir``, listening on 127.0.0.1 with a password.

    ``start()`` initialises the cluster on first use, stops a server left running by a killed
    host, starts the server and returns a ``postgresql://`` URL usable by psycopg 3.
    """

    def __init__(self, data_dir: Path, *, password_file: Path | None = None, host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir).absolute()
        self.password_file = password_file or self.data_dir.parent / "postgres.password"
        self.host = host
        self.port: int | None = None
        self._run_as: str | None = None
        self._url: str | None = None
        self._password_was_created = False

    @property
    def url(self) -> str:
        """The ``postgresql://`` URL of the running server (contains the password)."""
        if self._url is None:
            raise ServiceUnavailable("the embedded PostgreSQL is not running")
        return self._url

    @property
    def log_file(self) -> Path:
        """PostgreSQL's own server log."""
        return self.data_dir / "log"

    def start(self) -> str:
        """Start the server (initialising the data directory if needed) and return its URL."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self._prepare_permissions()
        password = self._password()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(password)
        else:
            self._stop_leftover()
            if self._password_was_created:
                self._reset_password(password)
        self.port = self._port()
        # No unix socket: its path length limit bites deep state dirs, and TCP is all we publish.
        options = f"-c listen_addresses={self.host} -c port={self.port} -c unix_socket_directories=''"
        self._pg_ctl(["-w", "-t", str(_PG_CTL_TIMEOUT_S), "-l", str(self.log_file), "-o", options, "start"])
        self._url = f"postgresql://{SUPERUSER}:{password}@{self.host}:{self.port}/{DATABASE}"
        self._ensure_database(password)
        _log.info("embedded PostgreSQL listening on %s:%s, data in %s", self.host, self.port, self.data_dir)
        return self._url

    def _port(self) -> int:
        """The port of the last start when it is still free, else a new free one (remembered).

        A database that comes back keeps its address, so clients holding its URL reconnect.
        """
        port_file = self.data_dir.parent / "postgres.port"
        try:
            saved = int(port_file.read_text().strip())
        except (OSError, ValueError):
            saved = None
        if saved is not None and _is_free(self.host, saved):
            return saved
        port = free_port(self.host)
        port_file.write_text(f"{port}\n")
        return port

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are rolled back). Safe to call twice."""
        if self._url is None:
            return
        _log.info("stopping embedded PostgreSQL (%s)", self.data_dir)
        try:
            self._pg_ctl(["-w", "-t", str(_PG_CTL_TIMEOUT_S), "-m", "fast", "stop"])
        finally:
            self._url = None
            self.port = None

    def is_running(self) -> bool:
        """Whether the postmaster of ``data_dir`` is alive (``pg_ctl status``)."""
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        result = subprocess.run(  # noqa: S603 - fixed binary, no shell
            [str(_pg_bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "status"],
            capture_output=True,
            user=self._run_as,
            check=False,
        )
        return result.returncode == 0

    # -- internals ---------------------------------------------------------------------------

    def _prepare_permissions(self) -> None:
        """As root, run PostgreSQL as pgserver's unprivileged user, as pgserver itself does."""
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        if os.name != "posix" or os.geteuid() != 0:
            return
        import pwd
        import stat

        with warnings.catch_warnings():
            # platformdirs warns about XDG_RUNTIME_DIR when pgserver is imported; irrelevant here.
            warnings.simplefilter("ignore")
            from pgserver.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

        ensure_user_exists(_ROOT_RUN_AS)
        # The unprivileged user must traverse to the data dir and read/execute the binaries.
        ensure_prefix_permissions(self.data_dir)
        bin_dir = _pg_bin_dir()
        read = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(bin_dir, read | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(bin_dir.parent / "lib", read)
        entry = pwd.getpwnam(_ROOT_RUN_AS)
        if self.data_dir.stat().st_uid != entry.pw_uid:
            for path in [self.data_dir, *self.data_dir.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
        self._run_as = _ROOT_RUN_AS

    def _password(self) -> str:
        if self.password_file.exists():
            return self.password_file.read_text().strip()
        password = secrets.token_urlsafe(24)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")
        self._password_was_created = True
        return password

    def _initdb(self, password: str) -> None:
        _log.info("initialising PostgreSQL data directory %s", self.data_dir)
        # initdb reads the password from a file that the user running it can open.
        pwfile = self.data_dir.parent / f".pw-{os.getpid()}"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")
        try:
            if self._run_as is not None:
                import pwd

                entry = pwd.getpwnam(self._run_as)
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            self._run(
                "initdb",
                [
                    "-D",
                    str(self.data_dir),
                    "-U",
                    SUPERUSER,
                    f"--pwfile={pwfile}",
                    "--auth-host=scram-sha-256",
                    "--auth-local=peer",
                    "--encoding=UTF8",
                    "--locale=C",
                ],
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _reset_password(self, password: str) -> None:
        """Set a new password in single-user mode: the password file was lost, the cluster was not."""
        _log.warning("password file %s was missing; setting a new PostgreSQL password", self.password_file)
        self._run(
            "postgres",
            ["--single", "-D", str(self.data_dir), "-j", "postgres"],
            stdin=f"ALTER ROLE {SUPERUSER} PASSWORD '{password}';\n",
        )

    def _stop_leftover(self) -> None:
        """Stop a server still running on our data dir (its host was killed without cleanup)."""
        if self.is_running():
            _log.warning(
                "a PostgreSQL server from an earlier host is still running on %s; stopping it", self.data_dir
            )
            self._pg_ctl(["-w", "-t", str(_PG_CTL_TIMEOUT_S), "-m", "fast", "stop"])

    def _ensure_database(self, password: str) -> None:
        import psycopg

        admin_url = f"postgresql://{SUPERUSER}:{password}@{self.host}:{self.port}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            if exists is None:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')

    def _pg_ctl(self, args: list[str]) -> None:
        self._run("pg_ctl", ["-D", str(self.data_dir), *args])

    def _run(self, program: str, args: list[str], stdin: str | None = None) -> None:
        command = [str(_pg_bin_dir() / program), *args]
        # Output goes to temporary files, not pipes: the server pg_ctl starts could otherwise
        # inherit a pipe and keep it open (pgserver saw pg_ctl hang that way).
        feed: dict[str, object] = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            result = subprocess.run(  # noqa: S603 - fixed binary, no shell
                command,
                **feed,  # type: ignore[call-overload]
                stdout=out,
                stderr=err,
                text=True,
                user=self._run_as,
                check=False,
                timeout=_PG_CTL_TIMEOUT_S + 10,
            )
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if result.returncode != 0:
            log_tail = ""
            if self.log_file.exists():
                log_tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-20:])
            raise ServiceUnavailable(
                f"{program} {' '.join(args)} failed ({result.returncode}): "
                f"{stderr.strip() or stdout.strip()}\n{log_tail}".rstrip()
            )

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
