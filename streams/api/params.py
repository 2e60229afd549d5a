"""Parameters the API's routes share: paging, names, dates, text PostgreSQL can store, no unknown ones."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.routing import APIRoute
from pydantic import BeforeValidator
from starlette.requests import ClientDisconnect

from factstream.errors import InvalidRecord
from factstream.store.queries import MAX_LIMIT, MAX_OFFSET

# Text PostgreSQL can store: no NUL. Declared as a pattern so that the OpenAPI document says what
# the server refuses (a NUL is a 422, never a 500).
NO_NUL = r"^[^\x00]*$"

# Ids are "<prefix>_<24 hex>"; anything much longer is not an id.
MAX_ID_CHARS = 100
MAX_NAME_CHARS = 300

# Parameter types shared by the routes (module level: the annotations are resolved by name).
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Rows to skip, at most {MAX_OFFSET}.")]
Name = Annotated[str | None, Query(max_length=MAX_NAME_CHARS, pattern=NO_NUL)]

# A date parameter must look like one: pydantic alone would also take "0.5" or "1e9" as seconds
# since 1970, which the documentation never promised.
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?"
)


def _iso_only(value: Any) -> Any:
    """Refuse anything that is not written as YYYY-MM-DD or an ISO 8601 datetime (422)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date (YYYY-MM-DD) or an ISO 8601 datetime")
    return value


_DATE_FORMS = "YYYY-MM-DD or an ISO 8601 datetime (UTC without an offset)."
_Date = Annotated[datetime | date | None, BeforeValidator(_iso_only)]
SeenSince = Annotated[_Date, Query(description=f"Seen at or after: {_DATE_FORMS}")]
FirstSeenUntil = Annotated[_Date, Query(description=f"First seen before: {_DATE_FORMS}")]
DetectedSince = Annotated[_Date, Query(description=f"Detected at or after: {_DATE_FORMS}")]


def _query_names(dependant: Any) -> set[str]:
    """The query parameters an operation declares, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_query_only(request: Request) -> None:
    """Refuse query parameters the operation does not declare (422): ``?sinse=`` is no silent no-op."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise HTTPException(422, f"unknown query parameter(s): {', '.join(map(repr, unknown))}")


def _aware(value: datetime | date | None) -> datetime | None:
    """Dates become midnight UTC; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _text_ok(value: str | None, name: str) -> str | None:
    """Refuse text PostgreSQL cannot store (NUL, lone surrogates) with a 422 instead of a 500."""
    if value is None:
        return None
    if "\x00" in value:
        raise HTTPException(422, f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise HTTPException(422, f"{name} is not valid Unicode") from exc
    return value


async def _read_body(request: Request) -> bytes:
    """The whole request body; BodyLimit has already answered 413 when the client is cut off."""
    try:
        return await request.body()
    except ClientDisconnect as exc:
        raise HTTPException(413, "request body over the limit") from exc


def _json_body(raw: bytes) -> Any:
    """The request body as JSON, or InvalidRecord (422) saying why it is not."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRecord(f"the request body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise InvalidRecord("the request body JSON is nested too deeply") from exc
