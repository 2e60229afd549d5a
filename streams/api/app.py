"""The FastAPI app: search and read tracked claims, record reviews, ingest articles, serve the web page.

Reads are open; writes (``POST /articles``, ``POST /reviews``) need ``Authorization: Bearer <token>``
with the token of ``FACTSTREAM_API_TOKEN`` and are refused while it is unset. Every bad request
gets a 4xx with a reason: parameters are bounded and validated, request bodies are capped before
they are read, and database errors caused by input map to 422, an unreachable database to 503.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from factstream.api import articles, claims, contradictions, meta, reviews, speakers, stories
from factstream.api.articles import _ARTICLE_IN_SCHEMA
from factstream.api.middleware import BodyLimit, HonestAllow
from factstream.api.models import Problem, ReviewIn
from factstream.api.params import (
    known_query_only,
)
from factstream.errors import (
    DatabaseUnavailable,
    FactstreamError,
    InvalidRecord,
    NotMigrated,
    ServiceUnavailable,
)
from factstream.settings import Settings
from factstream.store.queries import (
    ClaimQueries,
    NotFound,
)

if TYPE_CHECKING:
    pass

_log = logging.getLogger(__name__)

# A review is a few short fields, at most 4,300 characters; escaped as JSON surrogate pairs
# ("\ud83d\ude00", 12 bytes a character) a valid one stays under 64 KiB, so no valid review gets a 413.
MAX_REVIEW_REQUEST_BYTES = 64 * 1024
# JSON escaping can grow an article body up to 6x (\uXXXX); twice the body limit covers real
# text, and article_from_obj then applies the exact max_body_bytes limit to the decoded body.
ARTICLE_REQUEST_FACTOR = 2
ARTICLE_REQUEST_OVERHEAD_BYTES = 64 * 1024
# How long the shared Kafka producer of POST /articles has to flush on shutdown.
PRODUCER_CLOSE_TIMEOUT_S = 10.0

WEB_DIR = Path(str(resources.files("factstream").joinpath("web")))
# Swagger UI and ReDoc assets from the fastapi-offline wheel: /docs and /redoc work without a CDN.
DOCS_ASSETS_DIR = Path(str(resources.files("fastapi_offline").joinpath("static")))
DOCS_ASSETS_URL = "/static-docs"


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
    # One Kafka producer for the app (an ArticleProducer), opened by the first POST /articles
    # (api.articles) and closed on shutdown.
    app.state.article_producer = None

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
    # The store raises the project's errors for psycopg's (store.pool.database_errors): input
    # PostgreSQL refuses is InvalidRecord (422), a missing table NotMigrated, an outage or a
    # cancelled statement DatabaseUnavailable.
    handlers[UnicodeEncodeError] = bad_input
    handlers[DatabaseUnavailable] = unavailable
    handlers[ServiceUnavailable] = unavailable
    handlers[NotMigrated] = not_migrated
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

    # One module per area adds its routes, in the order of the OpenAPI document.
    for area in (meta, claims, contradictions, speakers, stories):
        area.add_routes(app, db)
    reviews.add_routes(app, db, auth, write_errors)
    articles.add_routes(app, cfg, embedded_broker=embedded_broker, auth=auth, write_errors=write_errors)

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

