"""faust's Kafka transport with the consumer's fetch wait as a setting.

faust hard-codes ``fetch_max_wait_ms=1500`` for its aiokafka consumer: a fetch that finds a
partition drained may wait that long, at every hop of the pipeline. Measured on the embedded
broker (docs/performance.md) that wait dominated latency (p99 at half load 4.9 s -> 0.9 s at
50 ms) and left the worker idle half the time. faust has no setting for it, so the transport
is subclassed; everything else is faust's own.
"""

from __future__ import annotations

from typing import Any, ClassVar

from faust.transport.drivers import aiokafka as faust_aiokafka


def transport_with_fetch_wait(fetch_max_wait_ms: int) -> type[faust_aiokafka.Transport]:
    """A faust aiokafka Transport class whose consumers wait at most ``fetch_max_wait_ms`` per fetch."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            # aiokafka reads this when its fetcher starts, after construction.
            consumer._fetch_max_wait_ms = fetch_max_wait_ms
            return consumer

    class FetchWaitConsumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        Consumer: ClassVar[type] = FetchWaitConsumer

    return Transport
