"""A test harness for processor authors: feed records, get outputs and dead letters, no broker.

Example::

    from factstream.processors.testing import ProcessorHarness

    def test_tags_claims():
        harness = ProcessorHarness(TopicTagger())
        result = harness.feed(claim)
        assert result.outputs[0].label == "economy"
        assert not result.dead_letters

It runs the processor exactly as a worker does (see :mod:`factstream.processors.runner`):
records are serialised to JSON and parsed back as the processor's input type, a batch
processor gets batches, and a record the processor raises on becomes the same
:class:`~factstream.schemas.records.DeadLetter` the worker would send, with the processor's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from factstream.deadletters import dead_letter
from factstream.processors import runner
from factstream.processors.base import Processor
from factstream.schemas.records import DeadLetter


@dataclass
class HarnessResult:
    """Outputs and dead letters of one ``feed`` call, in input order."""

    outputs: list[BaseModel] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


class ProcessorHarness:
    """Drives one processor through setup, records and close, as a worker would."""

    def __init__(self, processor: Processor) -> None:
        self.processor = processor
        self._closed = False
        processor.setup()

    def feed(self, *records: BaseModel | bytes | str | dict[str, Any]) -> HarnessResult:
        """Process records (models, JSON text or bytes, or dicts) as one poll of the topic would."""
        payloads = [_payload(r) for r in records]
        result = HarnessResult()
        size = runner.batch_size(self.processor)
        for start in range(0, len(payloads), size):
            chunk = payloads[start : start + size]
            outcome = runner.run(self.processor, chunk)
            result.outputs.extend(out for _, out in outcome.outputs)
            result.dead_letters.extend(
                dead_letter(self.processor.name, exc, chunk[i], key=None) for i, exc in outcome.failures
            )
        return result

    def feed_many(self, records: Iterable[BaseModel | bytes | str | dict[str, Any]]) -> HarnessResult:
        """Feed an iterable of records."""
        return self.feed(*records)

    def close(self) -> None:
        """Call the processor's close hook once."""
        if not self._closed:
            self.processor.close()
            self._closed = True

    def __enter__(self) -> ProcessorHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _payload(record: BaseModel | bytes | str | dict[str, Any]) -> bytes:
    import json

    if isinstance(record, BaseModel):
        return record.model_dump_json().encode("utf-8")
    if isinstance(record, str):
        return record.encode("utf-8")
    if isinstance(record, dict):
        return json.dumps(record, default=str).encode("utf-8")
    return bytes(record)
