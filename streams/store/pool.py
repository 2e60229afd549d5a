"""The connection pool both the repository (writes) and the queries (reads) sit on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Self

import orjson
import psycopg
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import set_json_dumps, set_json_loads
from psycopg_pool import AsyncConnectionPool

from factstream.errors import DatabaseUnavailable, InvalidRecord, NotMigrated

#: What a caller is told when the schema lacks a table: the one fix there is.
NOT_MIGRATED = "the database is not migrated: run `factstream db migrate`"


@contextmanager
def database_errors() -> Iterator[None]:
    """Raise the project's errors for psycopg's, the one place they are mapped.

    Input PostgreSQL refuses (a value out of range, text it cannot store) is ``InvalidRecord``; a
    missing table ``NotMigrated``; a database that does not answer, a pool with no connection to
    spare or a statement cancelled by its timeout ``DatabaseUnavailable``. The faces (CLI, API)
    catch these. The worker's ``ClaimStore`` does not use it: its reliability code retries on
    psycopg's ``OperationalError`` itself.
    """
    try:
        yield
    except psycopg.errors.UndefinedTable as exc:
        raise NotMigrated(NOT_MIGRATED) from exc
    except (psycopg.DataError, psycopg.errors.ProgramLimitExceeded) as exc:
        message = getattr(exc.diag, "message_primary", None) or str(exc)
        raise InvalidRecord(f"invalid input: {message}") from exc
    except (psycopg.OperationalError, psycopg.errors.QueryCanceled) as exc:
        raise DatabaseUnavailable(f"cannot use the database: {str(exc).strip()}") from exc


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

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection[Any]]:
        """A pooled connection, psycopg's errors raised as the project's (``database_errors``)."""
        with database_errors():
            async with self._pool.connection() as conn:
                yield conn

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
