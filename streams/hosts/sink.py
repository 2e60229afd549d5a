"""The dead-letter sink: every notice on the dead-letter topic ends in the dead_letters table."""

from __future__ import annotations

from collections.abc import Sequence

import faust
from faust.types import EventT
from pydantic import ValidationError

from factstream.deadletters import dead_letter
from factstream.hosts.context import HostContext, event_key
from factstream.hosts.processor import BATCH_WINDOW_S
from factstream.hosts.retry import finish
from factstream.processors.base import STORE_BATCH
from factstream.schemas.records import DeadLetter

#: The sink's name in metrics and logs.
SINK_NAME = "sink-deadletters"


class DeadLetterSink:
    """Stores dead letters; one that does not even parse is stored as what it is."""

    def __init__(self, context: HostContext) -> None:
        self.context = context

    async def handle(self, events: Sequence[EventT]) -> None:
        """Store a batch of dead-letter notices."""
        letters = []
        for event in events:
            try:
                letters.append(DeadLetter.model_validate_json(bytes(event.value or b"")))
            except ValidationError as exc:
                letters.append(dead_letter(
                    "deadletters", exc, bytes(event.value or b""), event_key(event),
                    topic=event.message.topic, partition=event.message.partition, offset=event.message.offset,
                ))
        store = await self.context.store()
        metrics = self.context.metrics
        with metrics.timed(metrics.db_write_seconds, "save_dead_letters"):
            await store.save_dead_letters(letters)
        metrics.records_in.labels(SINK_NAME).inc(len(events))

    def agent(self) -> None:
        """Register the sink's faust agent."""
        metrics = self.context.metrics

        async def agent(stream: faust.StreamT) -> None:
            async for events in stream.take_events(STORE_BATCH, within=BATCH_WINDOW_S):  # type: ignore[attr-defined]
                with metrics.timed(metrics.batch_seconds, SINK_NAME):
                    await finish(self.handle, list(events), SINK_NAME, metrics)

        agent.__name__ = agent.__qualname__ = "sink_deadletters_agent"
        self.context.app.agent(self.context.topics.deadletters, name=SINK_NAME)(agent)
