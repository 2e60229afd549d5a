"""A batch is handled to the end, or not acknowledged at all: retries, outages, and the stop in between.

faust acknowledges a taken batch when the agent leaves it (``take_events`` acks in a ``finally``,
also on cancellation and when the agent raises) and then commits its offsets. So every host hands
its batches to :func:`finish`, which retries them (tenacity) and never lets one go half-done.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from collections.abc import Awaitable, Callable, Sequence

from faust.types import EventT
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type

from factstream.observability import Metrics

log = logging.getLogger(__name__)

# Back-off while the database is unreachable: start small so a blip costs little, cap it so
# the worker notices a recovered database within half a minute.
_RETRY_FIRST_DELAY_S = 0.5
_RETRY_MAX_DELAY_S = 30.0

# A batch that fails for another reason (a dead letter that cannot be sent, a bug) is retried
# this many times in all: enough for a broker blip, few enough to fail loudly within seconds.
_FAILED_BATCH_ATTEMPTS = 3

# The exit status of a worker that stopped on a batch it could neither process nor dead-letter
# (EX_SOFTWARE): a supervisor restarts it, and it starts again from the last committed offsets.
EXIT_UNPROCESSABLE = 70

Handler = Callable[[Sequence[EventT]], Awaitable[None]]


class UnprocessableBatch(Exception):  # noqa: N818 - named for what it is, like faust's own errors
    """A batch failed every attempt; its records must not be acknowledged."""


def is_outage(exc: BaseException | None) -> bool:
    """A database that is down is not the record's fault: let the agent fail and retry, never dead-letter."""
    import psycopg

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


class _Attempts:
    """Counts one batch's failures of each kind; tenacity asks it how long to wait and when to stop.

    An outage is retried for as long as it lasts (a record is never dropped), with a capped
    exponential delay; any other failure counts towards :data:`_FAILED_BATCH_ATTEMPTS`.
    """

    def __init__(self, stage: str, records: int, metrics: Metrics | None) -> None:
        self.stage, self.records, self.metrics = stage, records, metrics
        self.outages = 0
        self.failures = 0

    def count(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if is_outage(exc):
            self.outages += 1
            if self.metrics is not None:
                self.metrics.db_retries.inc()
        else:
            self.failures += 1
            if self.metrics is not None:
                self.metrics.batch_failures.labels(self.stage).inc()

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if is_outage(exc):
            return float(min(_RETRY_FIRST_DELAY_S * 2 ** (self.outages - 1), _RETRY_MAX_DELAY_S))
        return _RETRY_FIRST_DELAY_S * self.failures

    def stop(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return not is_outage(exc) and self.failures >= _FAILED_BATCH_ATTEMPTS

    def before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        delay = state.next_action.sleep if state.next_action else 0.0
        if is_outage(exc):
            log.warning(
                "database unavailable (%s: %s); retry %d in %.1fs",
                type(exc).__name__, exc, self.outages, delay,
                extra={"event": "database_unavailable", "attempt": self.outages},
            )
        else:
            assert exc is not None  # noqa: S101 - only failed attempts are retried
            log.error("batch of %d record(s) failed (attempt %d of %d), retrying:\n%s",
                      self.records, self.failures, _FAILED_BATCH_ATTEMPTS,
                      "".join(traceback.format_exception(exc)),
                      extra={"event": "batch_failed", "attempt": self.failures})

    def give_up(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        raise UnprocessableBatch(f"{type(exc).__name__}: {exc}") from exc


async def handle_with_retry(
    handler: Handler, events: Sequence[EventT], stage: str = "?", metrics: Metrics | None = None
) -> None:
    """Run ``handler`` on a batch; while the database is down, wait and retry the same batch.

    The events are not acknowledged until handled, so nothing is consumed that could not be
    stored. Outages are retried as long as they last, with one log line per attempt; any other
    failure is retried :data:`_FAILED_BATCH_ATTEMPTS` times in all, then raised as
    :class:`UnprocessableBatch`.
    """
    attempts = _Attempts(stage, len(events), metrics)
    retrying = AsyncRetrying(
        retry=retry_if_exception_type(Exception),
        after=attempts.count,
        wait=attempts.wait,
        stop=attempts.stop,
        before_sleep=attempts.before_sleep,
        retry_error_callback=attempts.give_up,
        sleep=asyncio.sleep,
    )
    await retrying(handler, events)


async def finish(
    handler: Handler, events: Sequence[EventT], stage: str = "?", metrics: Metrics | None = None
) -> None:
    """Handle a batch to the end even when the worker is asked to stop meanwhile.

    A stop must not interrupt a batch half-written: the batch is shielded and awaited, the stop
    waits for its writes (flush), and only then are its offsets committed. (A stop that takes
    longer than FACTSTREAM_SHUTDOWN_TIMEOUT ends the process, batch unacknowledged.) And a batch
    that cannot be processed must not leave the agent at all: the process exits with
    :data:`EXIT_UNPROCESSABLE`, nothing of the batch acknowledged, so no offset is ever committed
    past a record that was neither stored nor dead-lettered.
    """
    task = asyncio.ensure_future(handle_with_retry(handler, events, stage, metrics))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await _exit_if_unprocessable(task)
        raise
    except UnprocessableBatch as exc:
        _fail_loudly(exc, len(events))


async def _exit_if_unprocessable(task: asyncio.Future[None]) -> None:
    try:
        await task
    except UnprocessableBatch as exc:
        _fail_loudly(exc, 0)


def _fail_loudly(exc: UnprocessableBatch, records: int) -> None:
    log.critical(
        "a batch of %d record(s) could neither be processed nor dead-lettered after %d attempts (%s); "
        "exiting with status %d without acknowledging it: the records are processed again on restart",
        records, _FAILED_BATCH_ATTEMPTS, exc, EXIT_UNPROCESSABLE, extra={"event": "batch_unprocessable"},
    )
    logging.shutdown()
    os._exit(EXIT_UNPROCESSABLE)

