"""The processor contract that built-in and plug-in processors both satisfy.

A processor knows nothing of Kafka or PostgreSQL. The faust agent that hosts it
moves records between topics and the store, and routes any exception a processor
raises on a record to the dead-letter topic with the processor's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel

from factstream.schemas.records import TrackedClaim

if TYPE_CHECKING:
    from factstream.store.repository import ProcessorState


@runtime_checkable
class Processor(Protocol):
    """A stream processor: consumes records of one type, produces zero or more of another."""

    #: Unique name; also the name of the entry point that registers it.
    name: ClassVar[str]
    #: Logical topic consumed (e.g. "articles"); the app adds the configured prefix.
    input_topic: ClassVar[str]
    #: Logical topic produced, or None for a processor that only writes to the store.
    output_topic: ClassVar[str | None]
    input_type: ClassVar[type[BaseModel]]
    output_type: ClassVar[type[BaseModel] | None]

    def setup(self) -> None:
        """Load models or resources once, before the first record."""

    def process(self, record: BaseModel) -> Iterable[BaseModel]:
        """Return the outputs for one record; raise to dead-letter the record."""
        ...

    def close(self) -> None:
        """Release resources at shutdown."""


@runtime_checkable
class CandidateProcessor(Protocol):
    """A processor that compares each record with related tracked claims from the store.

    Deduplication and contradiction detection are of this kind. The processor names the
    blocking keys of a record (e.g. its speaker, its main entities, a hash of its normalised
    text); the hosting agent fetches the tracked claims stored under any of those keys and
    passes in a bounded number of them, those sharing the most keys with the record first,
    ties to the most recent, so the cost per record stays flat as the store grows. The
    processor itself never touches the store.

    Optionally, ``screen(record, stored) -> bool`` rules out stored candidates before the
    host reads them in full: it gets the screen the processor stored with a candidate (JSON, or
    None) and returns False only for one that cannot change the outputs. The built-in
    processors have it; see :func:`candidate_screens`.

    Optionally, ``state_of(tracked)`` and ``restore_state(tracked, stored)`` keep the
    processor's own data on each tracked claim in the store (written with it, handed back when
    it is read as a candidate; the store never reads it); see :func:`candidate_state`.

    Optionally, ``vector(record) -> Sequence[float] | None`` gives the embedding of the record's
    claim text (unit length, the dimension of ``claims.embedding``), or None for a record with
    none. Where the store has pgvector, the host then adds the stored tracked claims nearest by
    cosine to the key-ranked candidates, so a restatement that shares few words with a stored
    claim still reaches ``process``; see :func:`candidate_vectors`.
    """

    name: ClassVar[str]
    input_topic: ClassVar[str]
    output_topic: ClassVar[str | None]
    input_type: ClassVar[type[BaseModel]]
    output_type: ClassVar[type[BaseModel] | None]

    def setup(self) -> None:
        """Load models or resources once, before the first record."""

    def keys(self, record: BaseModel) -> list[str]:
        """Blocking keys under which related tracked claims are stored; the first is the partition key."""
        ...

    def process(self, record: BaseModel, candidates: Sequence[TrackedClaim]) -> Iterable[BaseModel]:
        """Return the outputs for one record given its candidate tracked claims."""
        ...

    def close(self) -> None:
        """Release resources at shutdown."""


def candidate_screens(
    processor: object, records: Sequence[BaseModel]
) -> list[Callable[[Any], bool]] | None:
    """Per record, the processor's screen of stored candidates; None when the processor has none."""
    screen = getattr(processor, "screen", None)
    if screen is None:
        return None
    return [partial(screen, record) for record in records]


def candidate_state(processor: object) -> ProcessorState | None:
    """The processor as keeper of its own data on tracked claims, or None.

    A processor is one when it has ``state_of`` and ``restore_state`` (see
    :class:`factstream.store.repository.ProcessorState`).
    """
    if callable(getattr(processor, "state_of", None)) and callable(getattr(processor, "restore_state", None)):
        return processor  # type: ignore[return-value]
    return None


def candidate_vectors(
    processor: object, records: Sequence[BaseModel | None]
) -> list[Sequence[float] | None] | None:
    """Per record, the processor's embedding of it; None when the processor has no ``vector``.

    A record given as None (one the host will not look up candidates for) gets None, and the
    processor is not asked to embed it.
    """
    vector = getattr(processor, "vector", None)
    if vector is None:
        return None
    batch = getattr(processor, "vectors", None)
    wanted = [r for r in records if r is not None]
    if batch is not None and wanted:
        # One model call for the whole batch (``vectors(records)``, optional) instead of one per record.
        found = iter(batch(wanted))
        return [None if record is None else next(found) for record in records]
    return [None if record is None else vector(record) for record in records]
