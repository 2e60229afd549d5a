"""The host of any :class:`~factstream.processors.base.Processor`, built-in or plug-in.

One faust agent per hosted processor: it takes batches off the processor's input topic, runs the
processor over them (:func:`factstream.processors.runner.run`, what the plug-in harness runs too),
dead-letters the records it rejects, writes what the processor declares (``store_write``), sends the
outputs, and only then lets faust commit (flush, then commit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, cast

import faust
from faust.types import EventT
from pydantic import BaseModel

from factstream.errors import ConfigurationError
from factstream.hosts.context import HostContext, encode, event_key, partition_key
from factstream.hosts.retry import finish, is_outage
from factstream.hosts.writes import PLAIN_WRITES, StoreWrite, store_write_of, timed
from factstream.processors import runner
from factstream.processors.base import CANDIDATE_KEYS

log = logging.getLogger(__name__)

# How long a host waits to fill a batch before processing what it has. Kept short: a record
# waits at most this long at each of the pipeline's hops, and a busy topic fills batches anyway.
BATCH_WINDOW_S = 0.05

#: One input record handled: its event, the record, and the outputs it gave.
Handled = tuple[EventT, BaseModel, list[BaseModel]]


class Host:
    """What every host does around its processor: the agent, batches, isolation of bad records, sends."""

    def __init__(self, context: HostContext, processor: Any, batch_size: int) -> None:
        self.context = context
        self.processor = processor
        self.name: str = processor.name
        self.batch_size = batch_size
        self.source = context.topics.topic(processor.input_topic)
        self.output = context.topics.topic(processor.output_topic) if processor.output_topic else None
        self.store_write: StoreWrite | None = store_write_of(processor)
        self._output_key = self._keying()

    def _keying(self) -> Callable[[EventT, BaseModel], bytes]:
        """How outputs are keyed on the output topic, by the processor's ``output_key``.

        None: the input record's key. :data:`CANDIDATE_KEYS`: the blocking keys of the candidate
        processor that reads the output topic, so that likely matches meet on one partition.
        Anything else: the output record's attribute of that (dotted) name.
        """
        declared = getattr(self.processor, "output_key", None)
        if declared is None:
            return lambda event, record: event.key or b""
        if declared == CANDIDATE_KEYS:
            consumer = self.context.candidate_consumer(self.processor.output_topic)
            if consumer is None:
                return lambda event, record: event.key or b""
            return lambda event, record: partition_key(consumer.keys(record)).encode()
        field = attrgetter(declared)
        return lambda event, record: str(field(record)).encode()

    async def handle(self, events: Sequence[EventT]) -> None:
        """Process one batch of events (one event for a per-record processor)."""
        raise NotImplementedError

    async def send(self, handled: Sequence[Handled]) -> None:
        """Announce and send the outputs of the records handled (and stored), in order."""
        sent = 0
        for event, record, outputs in handled:
            if self.store_write is not None:
                self.store_write.announce(record, outputs)
            if self.output is None:
                continue
            for output in outputs:
                await self.output.send(key=self._output_key(event, output), value=encode(output))
            sent += len(outputs)
        self.context.metrics.records_out.labels(self.name).inc(sent)

    async def isolating(self, items: list[Any], work: Callable[[list[Any]], Any],
                        key_of: Callable[[Any], str | None]) -> list[Any]:
        """Run ``work`` on the whole batch; if it fails on data, run it per item and dead-letter the culprits.

        Returns the items it succeeded on. A database outage is not the data's fault: it
        propagates, and the batch is retried whole.
        """
        if not items:
            return []
        try:
            await work(items)
            return items
        except Exception as exc:
            if is_outage(exc):
                raise
            if len(items) == 1:
                await self.context.dead_letter(items[0][0], self.name, exc, key_of(items[0]))
                return []
        done = []
        for item in items:
            try:
                await work([item])
                done.append(item)
            except Exception as exc:
                if is_outage(exc):
                    raise
                await self.context.dead_letter(item[0], self.name, exc, key_of(item))
        return done

    def agent(self) -> None:
        """Register the faust agent that feeds this host, named after the processor."""
        metrics = self.context.metrics
        processor, size, name = self.processor, self.batch_size, self.name

        async def agent(stream: faust.StreamT) -> None:
            processor.setup()
            try:
                if size > 1:
                    batches = cast(faust.Stream, stream).take_events(size, within=BATCH_WINDOW_S)
                    async for events in batches:
                        with metrics.timed(metrics.batch_seconds, name):
                            await finish(self.handle, list(events), name, metrics)
                else:
                    async for event in stream.events():
                        with metrics.timed(metrics.batch_seconds, name):
                            await finish(self.handle, [event], name, metrics)
            finally:
                processor.close()

        agent.__name__ = agent.__qualname__ = f"{name.replace('-', '_')}_agent"
        self.context.app.agent(self.source, name=name)(agent)
        self.context.hosts[name] = self


class ProcessorHost(Host):
    """Hosts a processor that needs nothing but its records: extract, and most plug-ins."""

    def __init__(self, context: HostContext, processor: Any) -> None:
        super().__init__(context, processor, runner.batch_size(processor))
        self._parse = context.parser(processor)
        if self.store_write is not None and self.store_write.table not in PLAIN_WRITES:
            raise ConfigurationError(f"processor {self.name!r}: store_write={self.store_write.table!r} "
                                     "needs a candidate processor (one with keys)")

    async def handle(self, events: Sequence[EventT]) -> None:
        """Run the processor over the batch; dead-letter what it rejects, store and send the rest."""
        outcome = runner.run(self.processor, [bytes(e.value or b"") for e in events], parse=self._parse)
        write = self.store_write
        for index, exc in outcome.failures:
            record = outcome.records.get(index)
            key = (write.key_of(record) if write is not None and record is not None
                   else event_key(events[index]))
            await self.context.dead_letter(events[index], self.name, exc, key)
        handled: list[Handled] = [(events[i], record, outcome.outputs_of(i))
                                  for i, record in outcome.processed()]
        if write is not None and write.write is not None:
            store = await self.context.store()
            writer = write.write

            async def save(batch: list[Handled]) -> None:
                with timed(self.context.metrics, write):
                    await writer(store, [r for _, r, _ in batch], [o for _, _, o in batch])

            handled = await self.isolating(handled, save, key_of=lambda item: write.key_of(item[1]))
        self.context.metrics.records_in.labels(self.name).inc(len(events))
        await self.send(handled)
