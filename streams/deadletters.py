"""Building dead letters: the same record whether a live agent or the test harness rejects input."""

from __future__ import annotations

from pydantic import ValidationError

from schemas.records import DeadLetter
from streams.articles import decode_payload
from streams.errors import InvalidRecord

# Long reasons (a pydantic error quoting a megabyte of input) are cut: the payload is kept whole anyway.
MAX_REASON_CHARS = 2000


def reason_for(exc: BaseException) -> str:
    """A reason a person can act on: our own messages as they are, others with their type."""
    if isinstance(exc, InvalidRecord):
        text = str(exc)
    elif isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        text = f"invalid record: {where}: {first['msg']} ({exc.error_count()} error(s))"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def dead_letter(
    stage: str,
    exc: BaseException,
    payload: bytes,
    key: str | None,
    *,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    """The dead letter for ``payload`` rejected by ``stage`` with ``exc``."""
    text, encoding = decode_payload(payload)
    return DeadLetter(
        stage=stage,
        reason=reason_for(exc),
        error_type=type(exc).__name__,
        payload=text,
        payload_encoding=encoding,
        key=key,
        topic=topic,
        partition=partition,
        offset=offset,
    )
