"""The connection pool both the repository (writes) and the queries (reads) sit on."""

from __future__ import annotations

from typing import Any, Self

import orjson
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import set_json_dumps, set_json_loads
from psycopg_pool import AsyncConnectionPool


async def _configure(conn: AsyncConnection[Any]) -> None:
    """Parse and write json/jsonb with orjson (several times faster than the standard library)."""
    set_json_loads(orjson.loads, conn)
    set_json_dumps(orjson.dumps, conn)


class PooledDatabase:
    """An async psycopg 3 pool of dict-row connections, opened and closed with the object."""

    #: Seconds ``open`` waits for the database to answer.
    open_timeout: float = 30.0
    #: Seconds a caller waits for a connection before an outage is reported (and retried):
    #: short enough that an outage shows in the log at once, long enough for a busy pool.
    acquire_timeout: float = 10.0

    def __init__(self, conninfo: str, *, min_size: int = 1, max_size: int = 4, **pool_options: Any) -> None:
        kwargs = {"row_factory": dict_row, **pool_options.pop("kwargs", {})}
        pool_options.setdefault("timeout", self.acquire_timeout)
        pool_options.setdefault("configure", _configure)
        self._pool = AsyncConnectionPool(
            conninfo, min_size=min_size, max_size=max_size, open=False, kwargs=kwargs, **pool_options
        )

    async def open(self, *, wait: bool = True) -> None:
        """Open the pool; with ``wait``, until the database answers."""
        await self._pool.open(wait=wait, timeout=self.open_timeout)

    async def close(self) -> None:
        """Close the pool; pending writes have been committed by then."""
        await self._pool.close()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
