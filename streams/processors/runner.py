"""Running a plain processor over raw payloads: the one code path of live agents and the test harness.

Kept free of Kafka so that what a plug-in author sees in the harness is exactly what
the worker does: the same parsing, batching, isolation of a failing record, and the
same dead-letter reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from factstream.processors.base import Processor


@dataclass
class Outcome:
    """What a processor made of a batch of payloads."""

    #: (index of the input payload, output record), in input order.
    outputs: list[tuple[int, BaseModel]] = field(default_factory=list)
    #: (index of the input payload, the exception that rejected it).
    failures: list[tuple[int, BaseException]] = field(default_factory=list)
    #: The payloads that parsed, by index (failed or not).
    records: dict[int, BaseModel] = field(default_factory=dict)
    _by_index: dict[int, list[BaseModel]] | None = field(default=None, init=False, repr=False, compare=False)

    def processed(self) -> list[tuple[int, BaseModel]]:
        """(index, record) of each record processed without failure, in input order."""
        failed = {index for index, _ in self.failures}
        return [(index, record) for index, record in sorted(self.records.items()) if index not in failed]

    def outputs_of(self, index: int) -> list[BaseModel]:
        """The outputs of the input payload at ``index``, in order."""
        if self._by_index is None:
            self._by_index = {}
            for at, out in self.outputs:
                self._by_index.setdefault(at, []).append(out)
        return list(self._by_index.get(index, []))


def batch_size(processor: Processor) -> int:
    """How many records the processor takes at once (1 unless it declares ``batch_size``)."""
    size = getattr(processor, "batch_size", 1)
    return size if isinstance(size, int) and size > 1 and hasattr(processor, "process_batch") else 1


def run(
    processor: Processor, payloads: Sequence[bytes], parse: Callable[[bytes], BaseModel] | None = None
) -> Outcome:
    """Parse each payload (as the processor's input type, unless ``parse`` is given) and process it.

    Never raises on data.

    A batch processor gets the valid records in one ``process_batch`` call; when that call
    raises, each record is retried alone so that only the culprit is dead-lettered.
    """
    outcome = Outcome()
    parsed: list[tuple[int, BaseModel]] = []
    parse = parse or processor.input_type.model_validate_json
    for index, payload in enumerate(payloads):
        try:
            parsed.append((index, parse(payload)))
            outcome.records[index] = parsed[-1][1]
        except Exception as exc:  # noqa: BLE001 - a record that does not parse is dead-lettered
            outcome.failures.append((index, exc))
    if batch_size(processor) > 1 and len(parsed) > 1:
        try:
            results = list(processor.process_batch([record for _, record in parsed]))  # type: ignore[attr-defined]
            if len(results) != len(parsed):
                raise ValueError(
                    f"{processor.name}.process_batch returned {len(results)} results "
                    f"for {len(parsed)} records"
                )
        except Exception:  # noqa: BLE001 - isolate the failing record below
            results = None
        if results is not None:
            for (index, _), produced in zip(parsed, results, strict=True):
                outcome.outputs.extend((index, out) for out in produced)
            return outcome
    for index, record in parsed:
        try:
            if batch_size(processor) > 1:
                (produced,) = list(processor.process_batch([record]))  # type: ignore[attr-defined]
            else:
                produced = processor.process(record)
            outcome.outputs.extend((index, out) for out in produced)
        except Exception as exc:  # noqa: BLE001 - any failure on a record dead-letters it
            outcome.failures.append((index, exc))
    outcome.failures.sort(key=lambda f: f[0])
    return outcome
