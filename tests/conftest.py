"""Shared fixtures: a real PostgreSQL for every test that needs one.

Set FACTSTREAM_TEST_DATABASE_URL to use a server you run (e.g. postgresql://postgres@127.0.0.1/postgres);
otherwise the tests start the embedded PostgreSQL (pgserver) once per session. Each test gets a
database of its own, created from scratch and migrated.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from factstream.store import migrate

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A superuser URL to a running PostgreSQL."""
    configured = os.environ.get("FACTSTREAM_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    from factstream.embedded.postgres import EmbeddedPostgres

    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "data")
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


def _with_db(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


@pytest.fixture
def fresh_db_url(pg_server_url: str) -> Iterator[str]:
    """A new, empty database for one test (dropped afterwards)."""
    name = f"fs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(pg_server_url, name)
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_url(fresh_db_url: str) -> str:
    """A new database with every migration applied."""
    migrate(fresh_db_url)
    return fresh_db_url


@pytest.fixture
def fixture_article_path() -> Path:
    """The first real input, read from ../shared (never copied into the project)."""
    path = SHARED / "fixtures" / "reassurance-force.txt"
    if not path.exists():
        pytest.skip("../shared/fixtures is absent")
    return path


@pytest.fixture
def deployment(tmp_path: Path, fresh_db_url: str):
    """A migrated database, an embedded broker in a fresh state dir, and one running worker."""
    from factstream.embedded.services import ensure_services, stop_services
    from factstream.topics import topic_names

    from .e2e import Deployment

    migrate(fresh_db_url)
    dep = Deployment(state_dir=tmp_path / "state", database_url=fresh_db_url)
    dep.state_dir.mkdir()
    settings = dep.settings()
    ensure_services(settings, topics=topic_names(settings))
    dep.start_worker()
    try:
        yield dep
    finally:
        dep.stop_all()
        stop_services(settings)
