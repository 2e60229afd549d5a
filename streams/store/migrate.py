"""Numbered SQL migrations from ``schemas/migrations``, applied once each, in order."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import psycopg

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any constant works; it only has to be the same for every process that migrates,
# so that two workers starting at once do not both apply a migration.
_MIGRATION_LOCK_ID = 0x66616374  # "fact"


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """Return every migration shipped in ``schemas/migrations``, by version."""
    found = []
    for entry in resources.files("factstream.schemas").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def applied_migrations(conninfo: str) -> list[int]:
    """Return the versions already applied to the database."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return []
        return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def pending_migrations(conninfo: str) -> list[Migration]:
    """Return the migrations not yet applied."""
    done = set(applied_migrations(conninfo))
    return [m for m in available_migrations() if m.version not in done]


def migrate(conninfo: str, *, until: int | None = None) -> list[Migration]:
    """Apply pending migrations, each in its own transaction; return those applied.

    Idempotent, and safe when several processes call it at once: an advisory lock
    serialises them and the second finds nothing left to do. ``until`` stops after that
    version (a database left as an older release had it, to test an upgrade on).
    """
    applied: list[Migration] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK_ID,))
        try:
            conn.execute(_CREATE_TABLE)
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for migration in available_migrations():
                if migration.version in done:
                    continue
                if until is not None and migration.version > until:
                    break
                with conn.transaction():
                    conn.execute(migration.sql.encode("utf-8"))
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (migration.version, migration.name),
                    )
                log.info("applied migration %04d_%s", migration.version, migration.name)
                applied.append(migration)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK_ID,))
    return applied
