"""Embedded default services: a Kafka-protocol broker and PostgreSQL for when none is configured.

:func:`ensure_services` fills in whatever of ``kafka_bootstrap`` and ``database_url`` is unset,
from one shared host process per state directory that other factstream processes find through
``<state_dir>/services.json``. Production sets both and never starts anything here.
"""

from __future__ import annotations

from factstream.embedded.broker import MOCK_AUTO_CREATE_PARTITIONS, EmbeddedBroker
from factstream.embedded.postgres import EmbeddedPostgres
from factstream.embedded.services import (
    ServicesInfo,
    ensure_services,
    is_embedded_broker,
    services_status,
    stop_services,
)

__all__ = [
    "MOCK_AUTO_CREATE_PARTITIONS",
    "EmbeddedBroker",
    "EmbeddedPostgres",
    "ServicesInfo",
    "ensure_services",
    "is_embedded_broker",
    "services_status",
    "stop_services",
]
