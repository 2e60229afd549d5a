"""`POST /articles`: one article onto the raw topic, acknowledged by Kafka before the 202."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool

from factstream import ingest
from factstream.api.models import (
    Accepted,
)
from factstream.api.params import (
    NO_NUL,
    _json_body,
    _read_body,
    _text_ok,
)
from factstream.errors import InvalidRecord, ServiceUnavailable
from factstream.ports import LOOPBACK, answers
from factstream.settings import Settings

# How long POST /articles tries to open a TCP connection to a bootstrap server before a 503.
BROKER_CONNECT_TIMEOUT_S = 2.0
# How long POST /articles waits for Kafka's acknowledgement of the article.
BROKER_ACK_TIMEOUT_S = 60.0


def add_routes(
    app: FastAPI,
    cfg: Settings,
    *,
    embedded_broker: bool,
    auth: list[Any],
    write_errors: dict[int | str, dict[str, Any]],
) -> None:
    """Add ``POST /articles`` to ``app``; writes need ``auth``.

    One Kafka producer for the app, opened by the first POST (the lock keeps concurrent first
    requests from opening two) and closed by the app on shutdown.
    """
    topic = f"{cfg.topic_prefix}articles"
    producer_lock = threading.Lock()

    @app.post(
        "/articles",
        status_code=202,
        response_model=Accepted,
        dependencies=auth,
        responses=write_errors,
        tags=["articles"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}}},
            }
        },
    )
    async def ingest_article(request: Request) -> Accepted:
        """Send one article (``body`` and ``source`` required) to the raw topic for processing."""
        from factstream.articles import article_from_obj

        obj = _json_body(await _read_body(request))
        if isinstance(obj, dict):
            _check_article_fields(obj)
        if isinstance(obj, dict) and obj.get("published_at") in (None, ""):
            from factstream.schemas.records import utcnow

            # As `factstream ingest` does: an undated article (no, null or empty published_at) gets
            # the time of ingest, and says so.
            obj = {**obj, "published_at": utcnow().isoformat(), "date_source": "ingested"}
        article = article_from_obj(obj, cfg.max_body_bytes)
        await run_in_threadpool(send_article, article)
        return Accepted(id=article.id, topic=topic)

    def send_article(article: Any) -> None:
        from factstream.ingest import ArticleProducer

        _check_broker(cfg.kafka_bootstrap or "")
        with producer_lock:
            if app.state.article_producer is None:
                app.state.article_producer = ArticleProducer(cfg, embedded_broker=embedded_broker)
            producer = app.state.article_producer
        _send_and_wait(producer, article)



def _check_article_fields(obj: dict[str, Any]) -> None:
    """What the ArticleIn schema says beyond the Article record: only its fields, dates as text, no NUL."""
    unknown = sorted(set(obj) - set(_ARTICLE_IN_SCHEMA["properties"]))
    if unknown:
        raise InvalidRecord(f"unknown field(s): {', '.join(map(repr, unknown))}")
    published_at = obj.get("published_at")
    if published_at is not None and not isinstance(published_at, str):
        # pydantic would read a number as seconds since 1970; the schema promises a date-time string
        raise InvalidRecord("published_at: a date-time string with a timezone, or null")
    for name, value in obj.items():
        if isinstance(value, str):
            _text_ok(value, name)


def _send_and_wait(producer: ingest.ArticleProducer, article: Any) -> None:
    """Send on the app's shared producer and wait for the broker's acknowledgement (202 = Kafka has it)."""
    producer.send_and_wait(article, BROKER_ACK_TIMEOUT_S)


def _check_broker(bootstrap: str) -> None:
    """Fail fast (503) when no bootstrap server accepts a connection.

    kafka-python would otherwise block the request for up to a minute looking for a broker.
    """
    for server in filter(None, (s.strip() for s in bootstrap.split(","))):
        host, _, port = server.rpartition(":")
        reachable = port.isdigit() and int(port) <= 65535
        if reachable and answers(host.strip("[]") or LOOPBACK, int(port), BROKER_CONNECT_TIMEOUT_S):
            return
    raise ServiceUnavailable(f"cannot reach Kafka at {bootstrap or '(no bootstrap servers)'}")


# The accepted article object, as documented in the README (schemas/json/article.schema.json is
# the full record; the API needs only these).
_ARTICLE_IN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["body", "source"],
    "additionalProperties": False,
    "properties": {
        "body": {"type": "string", "pattern": r"^[^\x00]*[^\s\x00][^\x00]*$", "description": "Not blank."},
        "source": {"type": "string", "minLength": 1, "pattern": NO_NUL},
        "title": {"type": "string", "pattern": NO_NUL},
        "url": {"anyOf": [{"type": "string", "pattern": NO_NUL}, {"type": "null"}]},
        "published_at": {
            "anyOf": [{"type": "string", "format": "date-time"}, {"const": ""}, {"type": "null"}],
            "description": "With a timezone; when absent, null or empty, the time of ingest "
            "(the article then says date_source 'ingested').",
        },
        "language": {"anyOf": [{"type": "string", "pattern": NO_NUL}, {"type": "null"}]},
        "id": {
            "type": "string",
            "pattern": NO_NUL,
            "description": "Derived from source and url or text when empty.",
        },
    },
}
