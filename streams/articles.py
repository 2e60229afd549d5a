"""Decode and validate raw article payloads: shared by `factstream ingest` and the extract agent.

Every way an article can be malformed ends in :class:`~factstream.errors.InvalidRecord`
with a reason a person can act on; nothing here raises anything else.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

from pydantic import ValidationError

from factstream.errors import InvalidRecord
from factstream.schemas.records import Article


def decode_payload(payload: bytes) -> tuple[str, Literal["utf-8", "base64"]]:
    """Return the payload as text and its encoding name, base64 when it is not storable text.

    PostgreSQL text cannot hold NUL, so a payload with one is kept as base64 too.
    """
    try:
        text = payload.decode("utf-8")
        if "\x00" not in text:
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    return base64.b64encode(payload).decode("ascii"), "base64"


def article_from_obj(obj: Any, max_body_bytes: int) -> Article:
    """Validate a decoded JSON value as an Article."""
    if not isinstance(obj, dict):
        raise InvalidRecord(f"an article must be a JSON object, got {type(obj).__name__}")
    body = obj.get("body")
    if body is None:
        raise InvalidRecord("missing body")
    if isinstance(body, str):
        size = len(body.encode("utf-8", "surrogatepass"))
        if size > max_body_bytes:
            raise InvalidRecord(f"body is {size} bytes, over the limit of {max_body_bytes} (max_body_bytes)")
    try:
        return Article.model_validate(obj)
    except ValidationError as exc:
        raise InvalidRecord(_summarise(exc)) from exc


def parse_article(payload: bytes, max_body_bytes: int) -> Article:
    """Parse one raw-topic payload (UTF-8 JSON object) into a valid Article."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecord(f"payload is not valid UTF-8 (byte {exc.start})") from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRecord(
            f"payload is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise InvalidRecord("payload JSON is nested too deeply") from exc
    return article_from_obj(obj, max_body_bytes)


def _summarise(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "article"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
