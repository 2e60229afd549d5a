"""Walks of several articles side by side, so that what each asks of the parser on the way is batched.

Extraction walks an article's sentences in order, and some of what it reads from the parser is
only known to be needed on the way (the entities of a sentence whose name turns out to be new,
the parse of a sentence whose speaker the patterns missed). One such call at a time costs two to
three times what the same call costs in a batch (spaCy's fixed cost per call), and a walk cannot
know ahead what it will ask without taking the walk.

So each walk runs in a thread of its own, and only one thread runs at any time: a walk runs until
it asks for something (:func:`ask`) or ends, then hands over to the next; when every walk waits,
what they asked for is served in one batch and they go on. The turns are handed over strictly,
so the walks never run concurrently (no locks are needed in the code they run), and each walk
sees exactly what it would see alone: the results of a request do not depend on its batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
N = TypeVar("N")

_local = threading.local()


class _Stopped(BaseException):  # noqa: N818 - a signal to unwind a walk, not an error of the data
    """Raised in a waiting walk when the batch it waits on failed: the walk unwinds and ends.

    A BaseException, like GeneratorExit, so that no ``except Exception`` in a walk swallows it
    and asks again (the caller would then wait on that walk for ever).
    """


class _Walk(threading.Thread, Generic[T]):
    """One walk's thread; it runs only while it holds the turn."""

    def __init__(self, work: Callable[[], T]) -> None:
        super().__init__(daemon=True, name="extract-walk")
        self.work = work
        self.turn = threading.Event()
        self.handed_back = threading.Event()
        self.need: Any = None
        self.result: T | None = None
        self.error: BaseException | None = None
        self.finished = False
        self.stopped = False

    def run(self) -> None:
        _local.walk = self
        self.turn.wait()
        try:
            if not self.stopped:
                self.result = self.work()
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of interleave()
            self.error = exc
        finally:
            self.finished = True
            self.handed_back.set()

    def wait_for(self, need: object) -> None:
        """In the walk's thread: hand the turn back with ``need``, and wait until it is served."""
        if self.stopped:
            raise _Stopped
        self.need = need
        self.turn.clear()
        self.handed_back.set()
        self.turn.wait()
        if self.stopped:
            raise _Stopped

    def step(self) -> None:
        """In the caller's thread: let the walk run until it asks for something or ends."""
        self.handed_back.clear()
        self.turn.set()
        self.handed_back.wait()


def ask(need: N, serve: Callable[[list[N]], None]) -> None:
    """Have ``need`` served: now, alone, outside :func:`interleave`; else in the next batch."""
    walk: _Walk[Any] | None = getattr(_local, "walk", None)
    if walk is None:
        serve([need])
    else:
        walk.wait_for(need)


def interleave(works: Sequence[Callable[[], T]], serve: Callable[[list[Any]], None]) -> list[T]:
    """Run ``works`` side by side; serve what they :func:`ask` in batches; return their results in order.

    An exception raised by a work or by ``serve`` is raised here once every walk has ended.
    """
    if len(works) == 1:
        return [works[0]()]
    walks = [_Walk(work) for work in works]
    for walk in walks:
        walk.start()
    failure: BaseException | None = None
    try:
        waiting: list[_Walk[T]] = walks
        while waiting:
            for walk in waiting:
                walk.step()
            waiting = [walk for walk in waiting if not walk.finished]
            if waiting:
                serve([walk.need for walk in waiting])
    except BaseException as exc:
        failure = exc
        for walk in walks:
            if not walk.finished:
                walk.stopped = True
                walk.step()
    for walk in walks:
        walk.join()
    if failure is not None:
        raise failure
    for walk in walks:
        if walk.error is not None:
            raise walk.error
    return [walk.result for walk in walks]  # type: ignore[misc]
