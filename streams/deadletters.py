"""Building dead letters: the same record whether a live agent or the test harness rejects input.

A dead letter exists twice. The whole of it, payload included, is written to the
``dead_letters`` table by the agent that rejected the record; the dead-letter topic carries a
notice (:func:`notice`): reason, stage, ids, the payload's digest and size and a prefix of it.
The notice always fits in a Kafka message, however large the payload was (a 900 KB payload
grows to 1.2 MB in base64, over Kafka's default 1 MB ``message.max.bytes``).
"""

from __future__ import annotations

import hashlib

from pydantic import ValidationError

from factstream.articles import decode_payload
from factstream.errors import InvalidRecord
from factstream.schemas.records import DeadLetter

# Long reasons (a pydantic error quoting a megabyte of input) are cut: the payload is kept whole anyway.
MAX_REASON_CHARS = 2000

# The payload prefix a notice carries: enough to recognise the input in `kafka-console-consumer`,
# small enough that a notice (with a 2000-character reason) stays far below any broker's limit.
NOTICE_PAYLOAD_CHARS = 4096


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
    """The dead letter for ``payload`` rejected by ``stage`` with ``exc``, payload whole."""
    text, encoding = decode_payload(payload)
    return DeadLetter(
        stage=stage,
        reason=reason_for(exc),
        error_type=type(exc).__name__,
        payload=text,
        payload_encoding=encoding,
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        payload_bytes=len(payload),
        key=key,
        topic=topic,
        partition=partition,
        offset=offset,
    )


def notice(letter: DeadLetter) -> DeadLetter:
    """What goes on the dead-letter topic for ``letter``: the same record with a payload prefix.

    The id stays the whole letter's, so the notice and the stored row are one dead letter.
    """
    if len(letter.payload) <= NOTICE_PAYLOAD_CHARS:
        return letter
    prefix = letter.payload[:NOTICE_PAYLOAD_CHARS]
    return letter.model_copy(update={"payload": prefix, "payload_truncated": True})
