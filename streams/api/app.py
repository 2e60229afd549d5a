"""The FastAPI app: search and read tracked claims, record reviews, ingest articles, serve the web page.

Reads are open; writes (``POST /articles``, ``POST /reviews``) need ``Authorization: Bearer <token>``
with the token of ``FACTSTREAM_API_TOKEN`` and are refused while it is unset. Every bad request
gets a 4xx with a reason: parameters are bounded and validated, request bodies are capped before
they are read, and database errors caused by input map to 422, an unreachable database to 503.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import psycopg
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from factstream.errors import FactstreamError, InvalidRecord, ServiceUnavailable
from factstream.ports import answers
from factstream.schemas.records import ContradictionKind
from factstream.settings import Settings
from factstream.store.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    MAX_STORY_CLAIMS,
    MAX_TIMELINE,
    ClaimDetail,
    ClaimQueries,
    ClaimSummary,
    ContradictionDetail,
    NotFound,
    Page,
    Review,
    ReviewStatus,
    SpeakerSummary,
    Story,
    TargetKind,
    Timeline,
    Verdict,
)

if TYPE_CHECKING:
    from factstream import ingest

_log = logging.getLogger(__name__)

# A review is a few short fields, at most 4,300 characters; escaped as JSON surrogate pairs
# ("\ud83d\ude00", 12 bytes a character) a valid one stays under 64 KiB, so no valid review gets a 413.
MAX_REVIEW_REQUEST_BYTES = 64 * 1024
# Text PostgreSQL can store: no NUL. Declared as a pattern so that the OpenAPI document says what
# the server refuses (a NUL is a 422, never a 500).
NO_NUL = r"^[^\x00]*$"
# JSON escaping can grow an article body up to 6x (\uXXXX); twice the body limit covers real
# text, and article_from_obj then applies the exact max_body_bytes limit to the decoded body.
ARTICLE_REQUEST_FACTOR = 2
ARTICLE_REQUEST_OVERHEAD_BYTES = 64 * 1024
# How long POST /articles tries to open a TCP connection to a bootstrap server before a 503.
BROKER_CONNECT_TIMEOUT_S = 2.0
# How long POST /articles waits for Kafka's acknowledgement of the article, and how long the
# shared producer has to flush on shutdown.
BROKER_ACK_TIMEOUT_S = 60.0
PRODUCER_CLOSE_TIMEOUT_S = 10.0
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

WEB_DIR = Path(str(resources.files("factstream").joinpath("web")))
# Swagger UI and ReDoc assets from the fastapi-offline wheel: /docs and /redoc work without a CDN.
DOCS_ASSETS_DIR = Path(str(resources.files("fastapi_offline").joinpath("static")))
DOCS_ASSETS_URL = "/static-docs"


class PageOf(BaseModel):
    """Base of the typed pages in the OpenAPI document."""

    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last page.")


class ClaimPage(PageOf):
    """A page of claims."""

    items: list[ClaimSummary]


class ContradictionPage(PageOf):
    """A page of contradictions."""

    items: list[ContradictionDetail]


class SpeakerPage(PageOf):
    """A page of speakers."""

    items: list[SpeakerSummary]


class ReviewPage(PageOf):
    """A page of reviews."""

    items: list[Review]


class ReviewIn(BaseModel):
    """A confirm/reject decision on a contradiction or a duplicate (a mention attached by dedup)."""

    model_config = ConfigDict(extra="forbid")

    target_kind: TargetKind
    target_id: str = Field(min_length=1, max_length=MAX_ID_CHARS, pattern=NO_NUL)
    verdict: Verdict
    reviewer: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*\S[^\x00]*$")
    note: str = Field(default="", max_length=4000, pattern=NO_NUL)


class Accepted(BaseModel):
    """An article accepted for processing."""

    id: str
    topic: str


class Problem(BaseModel):
    """An error: what was wrong."""

    detail: Any


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


class BodyLimit:
    """ASGI middleware: refuse request bodies over a per-path limit (413) before reading them whole."""

    def __init__(self, app: Any, limits: Callable[[str], int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, answering 413 itself once the body is over the path's limit."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limits(scope["path"])
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                await _plain(send, 400, "invalid Content-Length")
                return
            if too_big:
                await _plain(send, 413, f"request body over {limit} bytes")
                return
        seen = 0
        refused = False

        async def counted() -> dict[str, Any]:
            # Over the limit mid-stream (no Content-Length): answer 413 ourselves and tell the app
            # the client went away, so that it stops reading and its own reply is dropped.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    await _plain(send, 413, f"request body over {limit} bytes")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded_send)


class HonestAllow:
    """ASGI middleware: a 405 lists every method the path answers (``Allow: GET, POST``).

    Starlette stops at the first route whose path matches, so ``OPTIONS /reviews`` was told
    ``Allow: GET`` although ``POST /reviews`` exists too.
    """

    def __init__(self, app: Any, routes: Callable[[], list[Any]]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, rewriting the Allow header of a 405."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def allow_all(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods: set[str] = set()
                for route in self.routes():
                    if getattr(route, "methods", None) and route.matches(scope)[0] != Match.NONE:
                        methods |= route.methods
                if methods:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = {
                        **message,
                        "headers": [*headers, (b"allow", ", ".join(sorted(methods)).encode())],
                    }
            await send(message)

        await self.app(scope, receive, allow_all)


async def _plain(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_api(
    settings: Settings,
    *,
    embedded_broker: bool = False,
    queries: ClaimQueries | None = None,
) -> FastAPI:
    """Build the API for ``settings`` (database and broker resolved, e.g. by ``ctx.obj.resolved()``).

    ``queries`` may be given (tests, or an app sharing a pool); otherwise one is opened on startup
    from ``settings.database_url`` and closed on shutdown.
    """
    cfg = settings
    owned = queries is None
    if queries is None:
        if cfg.database_url is None:
            raise FactstreamError("the API needs a database: set FACTSTREAM_DATABASE_URL or resolve settings")
        queries = ClaimQueries(cfg.database_url.get_secret_value())
    db: ClaimQueries = queries
    article_limit = cfg.max_body_bytes * ARTICLE_REQUEST_FACTOR + ARTICLE_REQUEST_OVERHEAD_BYTES
    topic = f"{cfg.topic_prefix}articles"

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        if owned:
            # Not waiting: the API starts (and /health says 503) while the database comes up.
            await db.open(wait=False)
        try:
            yield
        finally:
            producer = application.state.article_producer
            application.state.article_producer = None
            if producer is not None:
                try:
                    await run_in_threadpool(producer.close, PRODUCER_CLOSE_TIMEOUT_S)
                except Exception as exc:
                    _log.warning("closing the Kafka producer failed: %s", exc)
            if owned:
                await db.close()

    app = FastAPI(
        title="factstream",
        version="1",
        summary="Tracked claims, their mentions and sources, contradictions, speakers' timelines, reviews.",
        lifespan=lifespan,
        responses={422: {"model": Problem}, 503: {"model": Problem}},
        dependencies=[Depends(known_query_only)],
        # served below from local assets instead of FastAPI's CDN pages
        docs_url=None,
        redoc_url=None,
    )
    # One Kafka producer for the app (an ArticleProducer), opened by the first POST /articles and
    # closed on shutdown; the lock keeps concurrent first requests from opening two.
    app.state.article_producer = None
    producer_lock = threading.Lock()

    # -- errors: input problems are 4xx, an unavailable database 503, never a 500 for either --------

    def problem(status: int, detail: Any) -> JSONResponse:
        return JSONResponse({"detail": detail}, status_code=status)

    handlers: dict[Any, Callable[[Request, Any], Awaitable[JSONResponse]]] = {}

    async def not_found(_: Request, exc: Exception) -> JSONResponse:
        return problem(404, str(exc))

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        return problem(422, str(exc))

    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        _log.warning("database unavailable: %s", exc)
        return problem(503, "the database is unavailable; try again shortly")

    async def not_migrated(_: Request, exc: Exception) -> JSONResponse:
        _log.error("database not migrated: %s", exc)
        return problem(503, "the database is not migrated: run `factstream db migrate`")

    async def bad_input(_: Request, exc: Exception) -> JSONResponse:
        message = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
        return problem(422, f"invalid input: {message}")

    handlers[NotFound] = not_found
    handlers[InvalidRecord] = invalid
    handlers[UnicodeEncodeError] = bad_input
    handlers[psycopg.DataError] = bad_input
    handlers[psycopg.errors.ProgramLimitExceeded] = bad_input
    handlers[psycopg.OperationalError] = unavailable
    handlers[PoolTimeout] = unavailable
    handlers[ServiceUnavailable] = unavailable
    handlers[psycopg.errors.QueryCanceled] = unavailable
    handlers[psycopg.errors.UndefinedTable] = not_migrated
    # anything else raised on purpose (e.g. Kafka did not acknowledge an article) is a service problem
    handlers[FactstreamError] = unavailable
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, handler)

    async def validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI echoes the input back; for a huge or binary input that is the problem itself.
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return problem(422, errors)

    app.add_exception_handler(RequestValidationError, validation)  # type: ignore[arg-type]

    def limits(path: str) -> int:
        return article_limit if path.rstrip("/") == "/articles" else MAX_REVIEW_REQUEST_BYTES

    app.add_middleware(BodyLimit, limits=limits)  # type: ignore[arg-type]
    app.add_middleware(HonestAllow, routes=lambda: app.router.routes)  # type: ignore[arg-type]

    # -- auth -----------------------------------------------------------------------------------

    def require_token(authorization: Annotated[str | None, Header(max_length=1000)] = None) -> None:
        expected = cfg.api_token.get_secret_value() if cfg.api_token is not None else ""
        if not expected:
            raise HTTPException(403, "writes are disabled: the server has no FACTSTREAM_API_TOKEN")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(
            given.strip().encode(), expected.encode()
        ):
            raise HTTPException(
                401,
                "a valid 'Authorization: Bearer <token>' header is required",
                headers={"WWW-Authenticate": "Bearer"},
            )

    auth = [Depends(require_token)]
    write_errors: dict[int | str, dict[str, Any]] = {
        400: {"model": Problem, "description": "An unreadable Content-Length header."},
        401: {"model": Problem},
        403: {"model": Problem},
        413: {"model": Problem},
    }

    # -- reads ----------------------------------------------------------------------------------

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, Any]:
        """Whether the API and its database answer (503 when the database does not)."""
        return {"status": "ok", **await db.health()}

    @app.get("/claims", response_model=ClaimPage, tags=["claims"])
    async def search_claims(
        q: Annotated[
            str | None,
            Query(
                max_length=MAX_QUERY_CHARS,
                pattern=NO_NUL,
                description='Web-search syntax: words, "a phrase", -excluded, or.',
            ),
        ] = None,
        speaker: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS,
                pattern=NO_NUL,
                description="Speaker name contains (case-insensitive).",
            ),
        ] = None,
        entity: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS, pattern=NO_NUL, description="An entity of the claim contains this."
            ),
        ] = None,
        source: Annotated[
            str | None,
            Query(
                max_length=MAX_NAME_CHARS,
                pattern=NO_NUL,
                description="A mention from an outlet whose name contains this.",
            ),
        ] = None,
        since: SeenSince = None,
        until: FirstSeenUntil = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page:
        """Search tracked claims (full text) with filters; most relevant (or most recent) first."""
        return await db.search(
            _text_ok(q, "q"),
            speaker=_text_ok(speaker, "speaker"),
            entity=_text_ok(entity, "entity"),
            source=_text_ok(source, "source"),
            since=_aware(since),
            until=_aware(until),
            limit=limit,
            offset=offset,
        )

    @app.get(
        "/claims/{claim_id}", response_model=ClaimDetail, responses={404: {"model": Problem}}, tags=["claims"]
    )
    async def show_claim(
        claim_id: Annotated[str, PathParam(max_length=MAX_ID_CHARS, pattern=NO_NUL)],
    ) -> ClaimDetail:
        """One claim with its mentions, sources, timeline and contradictions."""
        return await db.show(_text_ok(claim_id, "claim_id") or "")

    @app.get("/contradictions", response_model=ContradictionPage, tags=["contradictions"])
    async def list_contradictions(
        kind: ContradictionKind | None = None,
        since: DetectedSince = None,
        status: Annotated[ReviewStatus, Query(description="open: not reviewed yet.")] = "all",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page:
        """Contradictions with both claims and their evidence, newest first."""
        return await db.contradictions(
            kind=kind, since=_aware(since), status=status, limit=limit, offset=offset
        )

    @app.get("/speakers", response_model=SpeakerPage, tags=["speakers"])
    async def list_speakers(q: Name = None, limit: Limit = MAX_LIMIT, offset: Offset = 0) -> Page:
        """Speakers, most mentioned first; ``q`` filters by name (contains, case-insensitive)."""
        return await db.speakers(_text_ok(q, "q"), limit=limit, offset=offset)

    @app.get(
        "/speakers/{name:path}/timeline",
        response_model=Timeline,
        responses={404: {"model": Problem}},
        tags=["speakers"],
    )
    async def speaker_timeline(
        name: Annotated[str, PathParam(max_length=MAX_NAME_CHARS, pattern=NO_NUL)],
        limit: Annotated[int, Query(ge=1, le=MAX_TIMELINE)] = MAX_TIMELINE,
    ) -> Timeline:
        """Return a speaker's claims over time (exact name), stance reversals marked."""
        return await db.timeline(_text_ok(name, "name") or "", limit=limit)

    @app.get("/stories", response_model=Story, responses={404: {"model": Problem}}, tags=["stories"])
    async def story(
        entity: Annotated[
            str,
            Query(
                min_length=1,
                max_length=MAX_NAME_CHARS,
                pattern=r"^[^\x00]*\S[^\x00]*$",
                description="An entity name, case ignored; when none is equal, the names that contain it.",
            ),
        ],
        limit: Annotated[int, Query(ge=1, le=MAX_STORY_CLAIMS)] = MAX_STORY_CLAIMS,
    ) -> Story:
        """A developing story: the claims about one entity across outlets and time, oldest first.

        Each claim has its first report, its later restatements, the claims it updates or
        contradicts, and the speakers involved; 404 when no entity matches.
        """
        return await db.story(_text_ok(entity, "entity") or "", limit=limit)

    @app.get("/reviews", response_model=ReviewPage, tags=["reviews"])
    async def list_reviews(
        target_kind: TargetKind | None = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> Page:
        """List recorded reviews, newest first."""
        return await db.reviews(target_kind, limit=limit, offset=offset)

    # -- writes ---------------------------------------------------------------------------------

    @app.post(
        "/reviews",
        status_code=201,
        response_model=Review,
        dependencies=auth,
        responses={**write_errors, 404: {"model": Problem}},
        tags=["reviews"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewIn"}}},
            }
        },
    )
    async def record_review(request: Request) -> Review:
        """Confirm or reject a contradiction or a duplicate; the latest review of a target stands.

        The body is read here, after the token check, so that an unauthenticated client learns
        nothing about the body's validity; broken JSON is a 422 as on ``POST /articles``.
        """
        try:
            review = ReviewIn.model_validate(_json_body(await _read_body(request)))
        except ValidationError as exc:
            errors = exc.errors(include_input=False, include_url=False)
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from exc
        for field in ("target_id", "reviewer", "note"):
            _text_ok(getattr(review, field), field)
        return await db.record_review(
            review.target_kind, review.target_id, review.verdict, review.reviewer, review.note
        )

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

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=DOCS_ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=None,
            swagger_js_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

    base_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = base_openapi()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["ArticleIn"] = _ARTICLE_IN_SCHEMA
            components["ReviewIn"] = ReviewIn.model_json_schema(ref_template="#/components/schemas/{model}")
            for (path, method, status), links in _LINKS.items():
                schema["paths"][path][method]["responses"][status]["links"] = links
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


async def _read_body(request: Request) -> bytes:
    """The whole request body; BodyLimit has already answered 413 when the client is cut off."""
    try:
        return await request.body()
    except ClientDisconnect as exc:
        raise HTTPException(413, "request body over the limit") from exc


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


def _json_body(raw: bytes) -> Any:
    """The request body as JSON, or InvalidRecord (422) saying why it is not."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRecord(f"the request body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise InvalidRecord("the request body JSON is nested too deeply") from exc


def _send_and_wait(producer: ingest.ArticleProducer, article: Any) -> None:
    """Send on the app's shared producer and wait for the broker's acknowledgement (202 = Kafka has it)."""
    producer.send_and_wait(article, BROKER_ACK_TIMEOUT_S)


def _check_broker(bootstrap: str) -> None:
    """Fail fast (503) when no bootstrap server accepts a connection.

    kafka-python would otherwise block the request for up to a minute looking for a broker.
    """
    for server in filter(None, (s.strip() for s in bootstrap.split(","))):
        host, _, port = server.rpartition(":")
        try:
            number = int(port)
        except ValueError:
            continue
        if answers(host.strip("[]") or "127.0.0.1", number, BROKER_CONNECT_TIMEOUT_S):
            return
    raise ServiceUnavailable(f"cannot reach Kafka at {bootstrap or '(no bootstrap servers)'}")


def _link(operation_id: str, **kwargs: Any) -> dict[str, Any]:
    return {"operationId": operation_id, **kwargs}


# OpenAPI links: how a client (and schemathesis's stateful tests) goes from one answer to the next
# request, e.g. from a search result to the claim, from a contradiction to its review.
_LINKS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("/claims", "get", "200"): {
        "ShowClaim": _link(
            "show_claim_claims__claim_id__get", parameters={"claim_id": "$response.body#/items/0/id"}
        ),
        "StoryOfEntity": _link(
            "story_stories_get", parameters={"entity": "$response.body#/items/0/entities/0"}
        ),
    },
    ("/contradictions", "get", "200"): {
        "ShowClaimA": _link(
            "show_claim_claims__claim_id__get", parameters={"claim_id": "$response.body#/items/0/claim_a/id"}
        ),
        "ReviewContradiction": _link(
            "record_review_reviews_post",
            requestBody={
                "target_kind": "contradiction",
                "target_id": "$response.body#/items/0/id",
                "verdict": "confirmed",
                "reviewer": "schemathesis",
            },
        ),
    },
    ("/speakers", "get", "200"): {
        "Timeline": _link(
            "speaker_timeline_speakers__name__timeline_get",
            parameters={"name": "$response.body#/items/0/name"},
        ),
    },
    ("/reviews", "post", "201"): {
        "ListReviews": _link(
            "list_reviews_reviews_get", parameters={"target_kind": "$response.body#/target_kind"}
        ),
    },
}

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
