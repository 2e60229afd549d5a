"""The embedded Kafka-protocol broker: librdkafka's mock cluster, driven through ctypes.

The mock cluster lives inside the librdkafka shared library that ships in the confluent-kafka
wheel. It speaks the Kafka protocol over TCP on 127.0.0.1 (Produce, Fetch, consumer groups,
idempotent and transactional producers) but has no admin API and keeps everything in memory.
Its API is marked experimental upstream, which is why confluent-kafka is pinned exactly.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from streams.errors import ConfigurationError, ServiceUnavailable
from streams.settings import DEFAULT_PARTITIONS

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
        raise ConfigurationError("the embedded broker needs confluent-kafka: pip install confluent-kafka")
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


class EmbeddedBroker:
    """A one-broker librdkafka mock cluster listening on 127.0.0.1 (random port), in memory.

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
                self._bootstrap = lib.rd_kafka_mock_cluster_bootstraps(cluster).decode()
            except BaseException:
                self._destroy_locked()
                raise
        _log.info("embedded broker (librdkafka mock) listening on %s", self._bootstrap)
        return self._bootstrap

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
