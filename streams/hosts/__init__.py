"""The hosts: what runs processors inside the worker, built-ins and plug-ins through the same code.

A processor is pure logic (:mod:`factstream.processors.base`); a host moves its records between
topics and the store. There are two:

* :class:`ProcessorHost` for any :class:`~factstream.processors.base.Processor` (extract, most plug-ins);
* :class:`CandidateHost` for a processor that compares each record with related tracked claims from
  the store (it defines ``keys``: dedup, contradict, or a plug-in of that kind).

Either writes what its processor declares (``store_write``), sends the outputs, and only then lets
faust commit the batch's offsets (flush, then commit); a record the processor rejects goes to the
dead-letter topic and table with the processor's name. Batches are retried and never half-acknowledged
(:mod:`factstream.hosts.retry`).
"""

from __future__ import annotations

from factstream.hosts.candidates import CandidateHost
from factstream.hosts.context import AppTopics, HostContext, partition_key
from factstream.hosts.processor import BATCH_WINDOW_S, Host, ProcessorHost
from factstream.hosts.retry import EXIT_UNPROCESSABLE, UnprocessableBatch
from factstream.hosts.sink import DeadLetterSink
from factstream.processors.base import needs_candidates

__all__ = [
    "BATCH_WINDOW_S",
    "EXIT_UNPROCESSABLE",
    "AppTopics",
    "CandidateHost",
    "DeadLetterSink",
    "Host",
    "HostContext",
    "ProcessorHost",
    "UnprocessableBatch",
    "host_for",
    "partition_key",
]


def host_for(context: HostContext, name: str) -> Host:
    """The host of the processor registered under ``name``: the same lookup for built-ins and plug-ins."""
    processor = context.processor(name)
    if needs_candidates(processor):
        return CandidateHost(context, processor)
    return ProcessorHost(context, processor)
