"""The dead-letter table read and marked for `factstream deadletters` (the worker writes it: repository)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from factstream.errors import NotMigrated
from factstream.store.pool import database_errors

_COLUMNS = (
    'id, stage, reason, error_type, payload, payload_encoding, key, topic, partition, "offset", '
    "received_at, replayed_at, replay_count, payload_truncated"
)


def fetch_letters(
    dsn: str,
    *,
    stage: str | None = None,
    since: datetime | None = None,
    ids: tuple[str, ...] = (),
    only_unreplayed: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Dead letters matching the filters, oldest first, as dicts."""
    where: list[str] = ["true"]
    params: list[Any] = []
    if stage:
        where.append("stage = %s")
        params.append(stage)
    if since is not None:
        where.append("received_at >= %s")
        params.append(since)
    if ids:
        where.append("id = ANY(%s)")
        params.append(list(ids))
    if only_unreplayed:
        where.append("replayed_at IS NULL")
    sql = f"SELECT {_COLUMNS} FROM dead_letters WHERE {' AND '.join(where)} ORDER BY received_at, id"  # noqa: S608
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with database_errors(), psycopg.connect(dsn, row_factory=dict_row) as conn:
        try:
            return list(conn.execute(sql.encode(), params).fetchall())
        except psycopg.errors.UndefinedColumn as exc:
            raise NotMigrated(
                "the dead_letters table is older than this factstream; run `factstream db migrate` first"
            ) from exc


def mark_replayed(dsn: str, ids: list[str]) -> None:
    """Mark letters as replayed once more (``replayed_at`` now, ``replay_count`` + 1)."""
    with database_errors(), psycopg.connect(dsn) as conn:
        conn.execute(
            "UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = ANY(%s)",
            (ids,),
        )
