"""The processor contract that built-in and plug-in processors both satisfy.

A processor knows nothing of Kafka or PostgreSQL. The host that runs it
(:mod:`factstream.hosts`, the same for built-ins and plug-ins) moves records between
topics and the store, and routes any exception a processor raises on a record to the
dead-letter topic with the processor's name.

Besides the contract, a processor may declare, as class attributes, how it is hosted:

* ``store_write``: what the host writes to factstream's store with its results ("articles",
  "mentions" or "contradictions", see :mod:`factstream.hosts.writes`); None (the default) for
  a processor whose outputs live only on its topic, as every plug-in's do;
* ``output_key``: how its outputs are keyed: None (the default) keeps the input record's key,
  :data:`CANDIDATE_KEYS` keys each by the blocking keys of the candidate processor reading the
  output topic, any other string names an attribute of the output (e.g. "id");
* ``batch_size``: how many records it takes at once (with ``process_batch`` for a plain
  processor; a candidate processor is handed :data:`STORE_BATCH` unless it says otherwise);
* ``needs_candidates``: whether it is a candidate processor; by default, whether it defines ``keys``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel

from factstream.schemas.records import TrackedClaim

if TYPE_CHECKING:
    from factstream.store.repository import ProcessorState


#: ``output_key`` value: key each output by the blocking keys of the candidate processor reading it.
CANDIDATE_KEYS = "candidate-keys"

# The batch a candidate processor is handed unless it declares its own ``batch_size``: its cost is
# store round trips, and one costs the same for one row or hundreds.
STORE_BATCH = 500


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

    Optionally, ``wants_candidates(record) -> bool`` says a record needs no candidates (it is
    processed with none, and not embedded); contradict has it, for further mentions of a known fact.

    Optionally, ``vector(record) -> Sequence[float] | None`` gives the embedding of the record's
    claim text (unit length, the dimension of ``tracked_claims.embedding``), or None for a record with
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


def needs_candidates(processor: object) -> bool:
    """Whether a processor (class or instance) needs candidates from the store (says so, or has ``keys``)."""
    declared = getattr(processor, "needs_candidates", None)
    if isinstance(declared, bool):
        return declared
    return callable(getattr(processor, "keys", None))


def wants_candidates(processor: object, record: BaseModel) -> bool:
    """Whether the processor wants candidates for a record (yes, unless its ``wants_candidates`` says no)."""
    wants = getattr(processor, "wants_candidates", None)
    return True if wants is None else bool(wants(record))


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
