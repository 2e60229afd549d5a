"""The embedded Kafka-protocol broker: librdkafka's mock cluster, driven through ctypes.

The mock cluster lives inside the librdkafka shared library that ships in the confluent-kafka
wheel. It speaks the Kafka protocol over TCP on 127.0.0.1 (Produce, Fetch, consumer groups,
idempotent and transactional producers) but has no admin API and keeps everything in memory.
Its API is marked experimental upstream, which is why confluent-kafka is pinned exactly.

Clients do not talk to the mock directly but through :class:`_GroupSyncProxy`, a byte-for-byte
relay on 127.0.0.1 that the mock advertises as its address. It corrects one non-conformance of
the mock's consumer groups (see the class), without which a second faust worker never gets work.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import importlib.util
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from factstream.embedded.retention import LayoutMismatch, MockRetention
from factstream.errors import ConfigurationError, ServiceUnavailable
from factstream.settings import DEFAULT_PARTITIONS

_log = logging.getLogger(__name__)

# librdkafka numbers brokers from 1; its Metadata reports controller 0 (which does not exist)
# unless told otherwise, and admin clients then fail to find a controller.
_BROKER_ID = 1

# One broker: replication is meaningless in memory, and one listener keeps discovery simple.
_BROKER_COUNT = 1

# librdkafka's own default is 3000 ms; 0 lets a consumer group finish its first join at once.
_INITIAL_REBALANCE_DELAY_MS = 0

# The rd_kafka_t handle only owns the mock cluster; it never connects anywhere.
_RD_KAFKA_PRODUCER = 0

# A producer handle is created from this minimal configuration. log_level 3 (error) keeps
# librdkafka from writing its informational lines to the host's stderr.
_HANDLE_CONF = {"log_level": "3"}

_ERRSTR_SIZE = 512

# The mock creates topics it has not seen, on first Metadata request, with this many partitions;
# it is a constant inside librdkafka (no API sets it), hence settings.DEFAULT_PARTITIONS agrees.
MOCK_AUTO_CREATE_PARTITIONS = 4


@functools.cache
def _librdkafka() -> ctypes.CDLL:
    """Load the librdkafka bundled in the confluent-kafka wheel and declare the calls we make."""
    spec = importlib.util.find_spec("confluent_kafka")
    if spec is None or spec.origin is None:
        raise ConfigurationError(
            "the embedded broker needs the embedded extra: pip install 'factstream[embedded]'")
    libs_dir = Path(spec.origin).parent.parent / "confluent_kafka.libs"
    candidates = sorted(libs_dir.glob("librdkafka-*.so*")) + sorted(libs_dir.glob("librdkafka*.dylib"))
    if not candidates:
        raise ConfigurationError(
            f"no librdkafka shared library in {libs_dir}: the embedded broker needs a binary "
            "confluent-kafka wheel (manylinux/macOS), not a source build"
        )
    lib = ctypes.CDLL(str(candidates[0]))
    vp, cp, i32 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32
    signatures: dict[str, tuple[list[type], type | None]] = {
        "rd_kafka_conf_new": ([], vp),
        "rd_kafka_conf_set": ([vp, cp, cp, cp, ctypes.c_size_t], ctypes.c_int),
        "rd_kafka_conf_destroy": ([vp], None),
        "rd_kafka_new": ([ctypes.c_int, vp, cp, ctypes.c_size_t], vp),
        "rd_kafka_destroy": ([vp], None),
        "rd_kafka_err2str": ([ctypes.c_int], cp),
        "rd_kafka_mock_cluster_new": ([vp, ctypes.c_int], vp),
        "rd_kafka_mock_cluster_destroy": ([vp], None),
        "rd_kafka_mock_cluster_bootstraps": ([vp], cp),
        "rd_kafka_mock_topic_create": ([vp, cp, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        "rd_kafka_mock_group_initial_rebalance_delay_ms": ([vp, i32], None),
        "rd_kafka_mock_set_controller_id": ([vp, i32], None),
        "rd_kafka_mock_broker_set_host_port": ([vp, i32, cp, ctypes.c_int], None),
    }
    for name, (argtypes, restype) in signatures.items():
        try:
            func = getattr(lib, name)
        except AttributeError as exc:
            raise ConfigurationError(
                f"{candidates[0].name} lacks {name}: the mock cluster API changed; "
                "use the pinned confluent-kafka version"
            ) from exc
        func.argtypes = argtypes
        func.restype = restype
    return lib


# SyncGroup's API key, as the first two bytes of a request frame. The mock serves versions 0-3 of
# it, all non-flexible (fixed-width lengths), which is all the relay decodes.
_SYNC_GROUP_KEY = (14).to_bytes(2, "big")
_MAX_SYNC_GROUP_VERSION = 3
# What the mock answers to a SyncGroup in a group that has already synced (state "Up").
_ERR_INVALID_REQUEST = 42
# Leader assignments kept per group: a late SyncGroup belongs to the newest one or two generations.
_KEPT_GENERATIONS = 4
# How long start/stop wait for the relay's event loop (it does nothing slow).
_PROXY_TIMEOUT_S = 10.0


class _Reader:
    """Big-endian reads of the Kafka protocol's non-flexible primitive types."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def int16(self) -> int:
        self.pos += 2
        return int.from_bytes(self.data[self.pos - 2 : self.pos], "big", signed=True)

    def int32(self) -> int:
        self.pos += 4
        return int.from_bytes(self.data[self.pos - 4 : self.pos], "big", signed=True)

    def string(self) -> str | None:
        size = self.int16()
        if size < 0:
            return None
        self.pos += size
        return self.data[self.pos - size : self.pos].decode()

    def blob(self) -> bytes | None:
        size = self.int32()
        if size < 0:
            return None
        self.pos += size
        return self.data[self.pos - size : self.pos]


class _GroupSyncProxy:
    """A TCP relay in front of the mock that answers a late follower's SyncGroup as Kafka does.

    In a classic consumer-group rebalance every member sends SyncGroup; the leader's carries the
    assignment of every member. Real Kafka stores those assignments and answers each member's
    SyncGroup with its own, whenever it arrives, also after the group became Stable
    (``GroupCoordinator.handleSyncGroup``). librdkafka's mock (2.16) instead completes the sync
    the moment the leader's assignments are in, answers only the members already waiting, drops
    the assignments, and answers a follower whose SyncGroup comes a millisecond later with
    INVALID_REQUEST (``rd_kafka_mock_cgrp_classic_check_state``: SyncGroup is invalid in state
    Up). A faust leader computes its assignment within a millisecond, so a second worker usually
    loses that race; aiokafka then waits for the application to poll before it rejoins, and faust
    does not poll before its first assignment, so that worker stays idle for good.

    The relay forwards every frame unchanged, except that it remembers the assignments in each
    leader's SyncGroup request and turns the mock's INVALID_REQUEST answer to a follower's
    SyncGroup of that same group and generation into the success Kafka would have sent, with
    that member's assignment. Only SyncGroup frames are decoded; everything else is copied.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        # group -> generation -> member id -> assignment, as sent by that generation's leader.
        self._assignments: dict[str, OrderedDict[int, dict[str, bytes]]] = {}
        self.port = 0
        self.late_syncs_answered = 0

    def start(self) -> int:
        """Listen on a random port of 127.0.0.1 (in a thread of its own); return the port."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="mock-group-sync-proxy", daemon=True)
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._relay, "127.0.0.1", 0), loop
        ).result(_PROXY_TIMEOUT_S)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    def stop(self) -> None:
        """Close the listener and every relayed connection, then end the thread."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._close(), loop).result(_PROXY_TIMEOUT_S)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(_PROXY_TIMEOUT_S)
        if not loop.is_running():
            loop.close()

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        # Closed transports end every pump (end of stream), and with them every relay.
        for writer in list(self._writers):
            writer.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=_PROXY_TIMEOUT_S / 2)
            for task in late:
                task.cancel()

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            upstream_r, upstream_w = await asyncio.open_connection(*self._upstream)
        except OSError:
            # The mock refuses connections (e.g. rd_kafka_mock_broker_set_down): so does the relay.
            client_w.close()
            return
        self._writers.update((client_w, upstream_w))
        # correlation id -> (version, group, generation, member) of this connection's SyncGroups.
        pending: dict[int, tuple[int, str, int, str]] = {}
        requests = asyncio.ensure_future(
            self._pump(client_r, upstream_w, lambda f: self._on_request(f, pending))
        )
        responses = asyncio.ensure_future(
            self._pump(upstream_r, client_w, lambda f: self._on_response(f, pending))
        )
        try:
            await asyncio.wait((requests, responses), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            pass  # shutting down: the connections are closed below either way
        finally:
            for task in (requests, responses):
                task.cancel()
            for writer in (client_w, upstream_w):
                self._writers.discard(writer)
                writer.close()

    @staticmethod
    async def _pump(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, inspect: Callable[[bytes], bytes]
    ) -> None:
        """Copy size-prefixed Kafka frames from ``reader`` to ``writer``, each through ``inspect``."""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                head = await reader.readexactly(4)
                frame = await reader.readexactly(int.from_bytes(head, "big"))
                out = inspect(frame)
                writer.write(head + out if out is frame else len(out).to_bytes(4, "big") + out)
                await writer.drain()

    def _on_request(self, frame: bytes, pending: dict[int, tuple[int, str, int, str]]) -> bytes:
        if frame[:2] != _SYNC_GROUP_KEY:  # the common case, decided on two bytes
            return frame
        try:
            head = _Reader(frame)
            head.int16()
            version, correlation = head.int16(), head.int32()
            if version > _MAX_SYNC_GROUP_VERSION:
                return frame
            head.string()  # client id
            group, generation, member = head.string(), head.int32(), head.string()
            if version >= 3:
                head.string()  # group instance id
            assignments: dict[str | None, bytes] = {}
            for _ in range(head.int32()):
                assignee = head.string()
                assignments[assignee] = head.blob() or b""
        except (IndexError, UnicodeDecodeError, ValueError):
            return frame  # not ours to judge: the mock answers it
        if group is None or member is None:
            return frame
        if assignments:
            kept = self._assignments.setdefault(group, OrderedDict())
            kept[generation] = {k: v for k, v in assignments.items() if k is not None}
            while len(kept) > _KEPT_GENERATIONS:
                kept.popitem(last=False)
        else:
            pending[correlation] = (version, group, generation, member)
        return frame

    def _on_response(self, frame: bytes, pending: dict[int, tuple[int, str, int, str]]) -> bytes:
        if not pending:
            return frame
        correlation = int.from_bytes(frame[:4], "big", signed=True)
        request = pending.pop(correlation, None)
        if request is None:
            return frame
        version, group, generation, member = request
        body = _Reader(frame, 4)
        throttle = body.int32() if version >= 1 else None
        if body.int16() != _ERR_INVALID_REQUEST:
            return frame
        leader_plan = self._assignments.get(group, OrderedDict()).get(generation) or {}
        assignment = leader_plan.get(member)
        if assignment is None:
            return frame
        self.late_syncs_answered += 1
        _log.info(
            "answered member %s's late SyncGroup (group %s, generation %d) with its assignment",
            member,
            group,
            generation,
        )
        out = frame[:4]
        if throttle is not None:
            out += throttle.to_bytes(4, "big", signed=True)
        return out + b"\x00\x00" + len(assignment).to_bytes(4, "big") + assignment


class EmbeddedBroker:
    """A one-broker librdkafka mock cluster on 127.0.0.1 (random port, behind a relay), in memory.

    ``topics`` are created up front with ``partitions`` partitions; any other topic is created
    by the mock on first use with :data:`MOCK_AUTO_CREATE_PARTITIONS`. Clients cannot create
    topics themselves (no CreateTopics), so faust needs ``topic_allow_declare=False`` and
    ``topic_disable_leader=True`` against it.
    """

    def __init__(self, *, partitions: int = DEFAULT_PARTITIONS, topics: Iterable[str] = ()) -> None:
        if partitions < 1:
            raise ConfigurationError(f"partitions must be >= 1, got {partitions}")
        self.partitions = partitions
        self.topics = list(dict.fromkeys(topics))
        self._lock = threading.Lock()
        self._rk: int | None = None
        self._cluster: int | None = None
        self._bootstrap: str | None = None
        self._proxy: _GroupSyncProxy | None = None
        # Whether the topics created up front keep every record (see retention.py).
        self.retention_lifted = False
        self._retention: MockRetention | None = None

    @property
    def bootstrap(self) -> str:
        """The ``host:port`` bootstrap servers of the running mock cluster."""
        if self._bootstrap is None:
            raise ServiceUnavailable("the embedded broker is not running")
        return self._bootstrap

    @property
    def running(self) -> bool:
        """Whether the mock cluster is up."""
        return self._cluster is not None

    def start(self) -> str:
        """Start the mock cluster, create the configured topics and return the bootstrap servers."""
        with self._lock:
            if self._cluster is not None:
                return self.bootstrap
            lib = _librdkafka()
            errstr = ctypes.create_string_buffer(_ERRSTR_SIZE)
            conf = lib.rd_kafka_conf_new()
            for key, value in _HANDLE_CONF.items():
                if lib.rd_kafka_conf_set(conf, key.encode(), value.encode(), errstr, _ERRSTR_SIZE) != 0:
                    lib.rd_kafka_conf_destroy(conf)
                    raise ServiceUnavailable(f"librdkafka rejected {key}={value}: {errstr.value.decode()}")
            # rd_kafka_new takes ownership of conf, also when it fails.
            rk = lib.rd_kafka_new(_RD_KAFKA_PRODUCER, conf, errstr, _ERRSTR_SIZE)
            if not rk:
                raise ServiceUnavailable(f"librdkafka could not create a handle: {errstr.value.decode()}")
            cluster = lib.rd_kafka_mock_cluster_new(rk, _BROKER_COUNT)
            if not cluster:
                lib.rd_kafka_destroy(rk)
                raise ServiceUnavailable("librdkafka could not start a mock cluster")
            self._rk, self._cluster = rk, cluster
            try:
                lib.rd_kafka_mock_set_controller_id(cluster, _BROKER_ID)
                lib.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, _INITIAL_REBALANCE_DELAY_MS)
                for topic in self.topics:
                    self._create_topic_locked(topic, self.partitions)
                self.retention_lifted = self._lift_retention_locked()
                mock_address = lib.rd_kafka_mock_cluster_bootstraps(cluster).decode()
                host, _, port = mock_address.rpartition(":")
                self._proxy = _GroupSyncProxy(host, int(port))
                proxy_port = self._proxy.start()
                # Metadata and FindCoordinator now name the relay, so every connection goes through it.
                lib.rd_kafka_mock_broker_set_host_port(cluster, _BROKER_ID, host.encode(), proxy_port)
                self._bootstrap = f"{host}:{proxy_port}"
            except BaseException:
                self._destroy_locked()
                raise
        _log.info("embedded broker (librdkafka mock on %s) listening on %s", mock_address, self._bootstrap)
        return self._bootstrap

    def _lift_retention_locked(self) -> bool:
        """Remove the mock's 5 MiB / 100k-batch cap on the topics created up front (see retention.py)."""
        if not self.topics:
            return False
        assert self._cluster is not None and self._rk is not None  # noqa: S101 - called while running
        try:
            retention = MockRetention(self._cluster, self._rk)
            retention.lift(len(self.topics), self.topics)
        except LayoutMismatch as exc:
            _log.error(
                "could not lift the mock broker's retention cap (%s): each partition keeps only its last "
                "5 MiB, and a worker that lags further behind loses records (reported as offset resets)",
                exc,
            )
            return False
        self._retention = retention
        _log.info("retention caps lifted on %d partitions of %d topics: unread records are kept",
                  sum(retention.lifted.values()), len(retention.lifted))
        return True

    def lift_retention_of_new_topics(self) -> list[str]:
        """Lift the cap of topics the mock created since (on first use); return their names.

        Called periodically by the services host. A no-op when the first lift failed.
        """
        with self._lock:
            if self._retention is None or self._cluster is None:
                return []
            try:
                names = self._retention.lift()
            except LayoutMismatch as exc:
                _log.error("could not lift the retention cap of new topics (%s)", exc)
                return []
        if names:
            _log.info("retention caps lifted on new topics %s", ", ".join(names))
        return names

    def create_topic(self, topic: str, partitions: int | None = None) -> None:
        """Create ``topic`` (with ``partitions``, default the broker's) on the running mock cluster."""
        with self._lock:
            if self._cluster is None:
                raise ServiceUnavailable("the embedded broker is not running")
            self._create_topic_locked(topic, partitions or self.partitions)

    def _create_topic_locked(self, topic: str, partitions: int) -> None:
        lib = _librdkafka()
        err = lib.rd_kafka_mock_topic_create(self._cluster, topic.encode(), partitions, _BROKER_COUNT)
        if err != 0:
            raise ServiceUnavailable(
                f"mock cluster could not create {topic!r}: {lib.rd_kafka_err2str(err)!r}"
            )

    def stop(self) -> None:
        """Stop the mock cluster; its topics and messages are gone. Safe to call twice."""
        with self._lock:
            if self._cluster is not None:
                _log.info("stopping embedded broker %s", self._bootstrap)
            self._destroy_locked()

    def _destroy_locked(self) -> None:
        lib = _librdkafka()
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        self._retention = None
        # The cluster must go before the handle that owns it.
        if self._cluster is not None:
            lib.rd_kafka_mock_cluster_destroy(self._cluster)
            self._cluster = None
        if self._rk is not None:
            lib.rd_kafka_destroy(self._rk)
            self._rk = None
        self._bootstrap = None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
