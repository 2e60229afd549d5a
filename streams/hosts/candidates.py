"""The host of a candidate processor: one that compares each record with related tracked claims.

A processor is one when it defines ``keys(record)`` (see
:class:`~factstream.processors.base.CandidateProcessor`): built-ins (dedup, contradict) and plug-ins
alike. The host fetches, per record, the stored tracked claims under its keys (and, where the store
has pgvector, the nearest by meaning), hands them to ``process(record, candidates)``, writes what the
processor declares, and sends the outputs. The processor never touches the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from faust.types import EventT
from pydantic import BaseModel

from factstream.errors import ConfigurationError
from factstream.hosts.context import HostContext, event_key
from factstream.hosts.processor import Handled, Host
from factstream.hosts.writes import PLAIN_WRITES, timed
from factstream.processors.base import (
    STORE_BATCH,
    candidate_screens,
    candidate_state,
    candidate_vectors,
    wants_candidates,
)
from factstream.schemas.records import TrackedClaim, TrackedClaimUpdate
from factstream.store import ClaimStore


class CandidateHost(Host):
    """Hosts a processor that needs candidates from the store."""

    def __init__(self, context: HostContext, processor: Any) -> None:
        size = getattr(processor, "batch_size", STORE_BATCH)
        super().__init__(context, processor, size if isinstance(size, int) and size > 0 else STORE_BATCH)
        self._parse = context.parser(processor)
        if self.store_write is not None and self.store_write.table in PLAIN_WRITES:
            raise ConfigurationError(f"processor {self.name!r}: store_write={self.store_write.table!r} "
                                     "is for a processor without candidates")

    async def handle(self, events: Sequence[EventT]) -> None:
        """Parse the batch, find candidates, process, write, send; dead-letter the culprits."""
        parsed: list[tuple[EventT, BaseModel]] = []
        for event in events:
            try:
                parsed.append((event, self._parse(bytes(event.value or b""))))
            except Exception as exc:  # noqa: BLE001 - a record that does not parse is dead-lettered
                await self.context.dead_letter(event, self.name, exc, event_key(event))
        store = await self.context.store()
        handled: list[Handled] = []
        write = self.store_write

        async def work(batch: list[tuple[EventT, BaseModel]]) -> None:
            records = [record for _, record in batch]
            if write is not None and write.write is None:
                # "mentions": the store reads candidates and writes decisions under its locks.
                with timed(self.context.metrics, write):
                    outputs = await decide_in_store(self.processor, store, records)
            else:
                outputs = await outputs_of(self.processor, store, records)
                if write is not None and write.write is not None:
                    with timed(self.context.metrics, write):
                        await write.write(store, records, outputs)
            handled.extend((event, record, found)
                           for (event, record), found in zip(batch, outputs, strict=True))

        def key_of(item: tuple[EventT, BaseModel]) -> str | None:
            return write.key_of(item[1]) if write is not None else event_key(item[0])

        await self.isolating(parsed, work, key_of=key_of)
        self.context.metrics.records_in.labels(self.name).inc(len(events))
        await self.send(handled)


async def outputs_of(
    processor: Any, store: ClaimStore, records: Sequence[BaseModel]
) -> list[list[BaseModel]]:
    """Per record, the processor's outputs given its candidates from the store (nothing written).

    Only the records the processor wants candidates for (``wants_candidates``) are looked up and
    embedded; a record that carries a tracked claim never gets that claim as its own candidate.
    """
    wanted = [wants_candidates(processor, r) for r in records]
    keys = [processor.keys(r) if w else [] for r, w in zip(records, wanted, strict=True)]
    vectors = None
    if await store.embeddings_enabled():
        # Embeddings only where the store can search them (pgvector), and only of records looked up.
        looked_up = [r if w else None for r, w in zip(records, wanted, strict=True)]
        vectors = candidate_vectors(processor, looked_up)
    exclude = [r.tracked.id if isinstance(r, TrackedClaimUpdate) else None for r in records]
    candidates = await store.candidates_batch(keys, exclude, candidate_screens(processor, records), vectors,
                                              candidate_state(processor))
    return [list(processor.process(r, pool)) for r, pool in zip(records, candidates, strict=True)]


async def decide_in_store(
    processor: Any, store: ClaimStore, records: Sequence[BaseModel]
) -> list[list[BaseModel]]:
    """Per record, its one tracked-claim update, decided and written by the store under its locks.

    For a processor that declares ``store_write = "mentions"`` (dedup): the store reads each
    record's candidates and writes the processor's decision in one transaction, so that two
    workers never both decide one fact is new.
    """

    def decide(record: Any, candidates: list[TrackedClaim]) -> TrackedClaimUpdate:
        (decision,) = list(processor.process(record, candidates))
        return decision  # type: ignore[no-any-return]

    vectors = candidate_vectors(processor, records) if await store.embeddings_enabled() else None
    updates = await store.dedup_batch(list(records), processor.keys, decide,  # type: ignore[arg-type]
                                      candidate_screens(processor, records), vectors,
                                      candidate_state(processor))
    return [[update] for update in updates]
