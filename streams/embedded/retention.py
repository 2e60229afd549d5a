"""Lifting the retention caps of librdkafka's mock cluster, so that it never drops unread records.

Each partition of the mock keeps at most ``max_size`` bytes (5 MiB) and ``max_cnt`` message sets
(100,000) and deletes its oldest message sets past either, read or not
(``rd_kafka_mock_msgset_new`` in librdkafka's ``rdkafka_mock.c``). Nothing in its API sets
them (``rd_kafka_mock_partition_init`` hard-codes both), so a worker that lagged behind a
5 MiB burst lost records without a trace (issue 17: 10 of 30 articles of 900 KB).

The two fields are set here in the mock's own memory, found by walking its structures from
the cluster handle: cluster -> topics list -> each topic's partition array. Every step is
checked before it is trusted (the handle's ``rk`` back-pointer, the broker and topic counts,
each topic's name, exactly one ``(max_size, max_cnt)`` pair of default values per partition
at one stride), and every pointer is checked to lie in a readable mapping of this process
before it is read. When anything does not match (another librdkafka build), nothing is
written and :meth:`MockRetention.lift` raises :class:`LayoutMismatch`: the caps then stay,
and the worker reports every record lost to them (see streams/transport.py). confluent-kafka
is pinned exactly for this. Linux only (/proc/self/maps); elsewhere the caps stay.

The walk races with nothing at start (no client is connected yet). Later walks (topics the
mock creates on first use) read a list the mock's thread only ever appends to, fully built
before it is linked; each write is one aligned 8-byte store the mock reads whole.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

_log = logging.getLogger(__name__)

# librdkafka's defaults (rd_kafka_mock_partition_init), the pair looked for in each partition.
MOCK_MAX_SIZE = 5 * 1024 * 1024
MOCK_MAX_CNT = 100_000

# What the caps become: no byte or count limit short of memory itself. The embedded broker keeps
# records in memory for the life of the services host, like the mock always did below its caps.
LIFTED_MAX = 2**62

_WORD = 8
# How far into a structure a field is looked for (in words): the fields sought sit within the
# first few dozen bytes of each structure in librdkafka 2.x.
_CLUSTER_SCAN_WORDS = 24
_TOPIC_SCAN_WORDS = 12
_PARTITION_SCAN_WORDS = 64
# The cluster id is a char[32] at the start of the cluster struct, then the rk handle.
_CLUSTER_RK_OFFSET = 32


class LayoutMismatch(Exception):  # noqa: N818 - a finding, not a failure of ours
    """The mock's memory does not look as expected; nothing was written."""


@dataclass(frozen=True)
class _Readable:
    """The readable address ranges of this process, from /proc/self/maps."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def load(cls) -> _Readable:
        ranges = []
        with open("/proc/self/maps") as maps:
            for line in maps:
                span, perms = line.split()[:2]
                if perms.startswith("r"):
                    start, end = (int(x, 16) for x in span.split("-"))
                    ranges.append((start, end))
        ranges.sort()
        return cls([s for s, _ in ranges], [e for _, e in ranges])

    def check(self, address: int, size: int) -> None:
        i = bisect_right(self.starts, address) - 1
        if address <= 0 or i < 0 or address + size > self.ends[i]:
            raise LayoutMismatch(f"address {address:#x} (+{size}) is not readable")


def _words(memory: _Readable, address: int, count: int) -> list[int]:
    memory.check(address, count * _WORD)
    return list((ctypes.c_uint64 * count).from_address(address))


def _string(memory: _Readable, address: int, limit: int = 256) -> bytes | None:
    try:
        memory.check(address, 1)
    except LayoutMismatch:
        return None
    # Read at most to the end of the mapping.
    i = bisect_right(memory.starts, address) - 1
    raw = ctypes.string_at(address, min(limit, memory.ends[i] - address))
    return raw.split(b"\0", 1)[0] if b"\0" in raw else None


def _topics_head_index(memory: _Readable, cluster: int, rk: int, topic_count: int) -> int:
    """Which word after the cluster's ``rk`` is the head of its topic list (``tqh_first``)."""
    words = _words(memory, cluster + _CLUSTER_RK_OFFSET, _CLUSTER_SCAN_WORDS)
    if words[0] != rk:
        raise LayoutMismatch("the cluster handle does not point back at its rd_kafka_t")
    # After rk: controller_id, brokers {first, last}, broker_cnt, topics {first, last}, topic_cnt.
    for i in range(4, len(words) - 3):
        first, last, count = words[i], words[i + 1], words[i + 2] & 0xFFFFFFFF
        # words[i - 1]: broker_cnt (one broker); words[i - 4]: controller_id (set to broker 1).
        brokers, controller = words[i - 1] & 0xFFFFFFFF, words[i - 4] & 0xFFFFFFFF
        if count == topic_count and first and last and brokers == 1 == controller:
            return i
    raise LayoutMismatch("no topic list with the expected topic count in the cluster struct")


def _partition_fields(memory: _Readable, partitions: int, count: int) -> list[int]:
    """Addresses of each partition's ``max_size`` (``max_cnt`` follows), at one stride.

    Only partitions still at the defaults are found: a topic already lifted yields none.
    """
    words = _words(memory, partitions, _PARTITION_SCAN_WORDS * count)
    hits = [i for i in range(len(words) - 1) if words[i] == MOCK_MAX_SIZE and words[i + 1] == MOCK_MAX_CNT]
    hits = hits[:count]
    if len(hits) != count:
        raise LayoutMismatch(f"found {len(hits)} (max_size, max_cnt) pairs for {count} partitions")
    if count > 1 and len({b - a for a, b in zip(hits, hits[1:], strict=False)}) != 1:
        raise LayoutMismatch("the partitions' caps do not sit at one stride")
    return [partitions + i * _WORD for i in hits]


def _topic_partitions(memory: _Readable, topic: int) -> tuple[bytes, int, int] | None:
    """(name, partition array, partition count) of a topic struct, when it reads as one."""
    words = _words(memory, topic, _TOPIC_SCAN_WORDS)
    for i, word in enumerate(words[:-2]):
        if i < 2 or not word:
            continue  # words 0 and 1: the list link
        name = _string(memory, word)
        if not name or not name.isascii():
            continue
        # The partition array and its count follow the name (a topic id may sit in between).
        for j in range(i + 1, len(words) - 1):
            count = words[j + 1] & 0xFFFFFFFF
            if words[j] and 0 < count <= 10_000:
                try:
                    memory.check(words[j], _WORD)
                except LayoutMismatch:
                    continue
                return name, words[j], count
    return None


class MockRetention:
    """Lifts the caps of a running mock cluster's topics: those there now, and later ones.

    The first :meth:`lift` needs the exact topic count (it anchors the walk); later calls lift
    the topics created since (auto-created ones: a plug-in's output topic), found by name.
    """

    def __init__(self, cluster: int, rk: int) -> None:
        if not sys.platform.startswith("linux"):
            raise LayoutMismatch("only on Linux (/proc/self/maps)")
        self.cluster, self.rk = cluster, rk
        self._head_index: int | None = None
        self.lifted: dict[str, int] = {}

    def lift(self, topic_count: int | None = None, expected: Iterable[str] = ()) -> list[str]:
        """Lift every topic not lifted yet; return their names. Writes nothing on a mismatch.

        ``topic_count`` (required on the first call) is how many topics the cluster has, and
        ``expected`` the names that must be among them.
        """
        memory = _Readable.load()
        if self._head_index is None:
            if topic_count is None:
                raise LayoutMismatch("the first lift needs the cluster's topic count")
            self._head_index = _topics_head_index(memory, self.cluster, self.rk, topic_count)
        head = _words(memory, self.cluster + _CLUSTER_RK_OFFSET, self._head_index + 3)[self._head_index:]
        topic, count = head[0], head[2] & 0xFFFFFFFF
        found: dict[str, list[int]] = {}
        seen = 0
        while topic and seen < count:
            seen += 1
            described = _topic_partitions(memory, topic)
            if described is None:
                raise LayoutMismatch(f"topic struct at {topic:#x} has no name and partitions")
            name, partitions, partition_count = described
            if name.decode() not in self.lifted:
                found[name.decode()] = _partition_fields(memory, partitions, partition_count)
            topic = _words(memory, topic, 1)[0]  # TAILQ_ENTRY link.tqe_next comes first
        missing = set(expected) - set(found) - set(self.lifted)
        if missing:
            raise LayoutMismatch(f"topics not found in the mock's memory: {sorted(missing)}")
        for topic_name, fields in found.items():
            for address in fields:
                ctypes.c_uint64.from_address(address).value = LIFTED_MAX
                ctypes.c_uint64.from_address(address + _WORD).value = LIFTED_MAX
            self.lifted[topic_name] = len(fields)
        return sorted(found)
