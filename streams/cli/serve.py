"""`factstream serve`: the HTTP API and the web page under uvicorn."""

from __future__ import annotations

import click

from factstream.cli.base import dsn, option

# More concurrent connections than this get 503 from uvicorn instead of queueing without bound;
# each request needs a pooled database connection anyway (4 per process).
SERVE_CONCURRENCY = 100


@click.command("serve")
@option(
    "--host", env_name="API_HOST", help="Address to bind.  [default: 127.0.0.1]"
)
@option(
    "--port",
    type=click.IntRange(1, 65535),
    env_name="API_PORT",
    help="Port to listen on.  [default: 6067]",
)
@option(
    "--migrate/--no-migrate",
    default=True,
    show_default=True,
    env_name="SERVE_MIGRATE",
    help="Apply pending migrations before serving.",
)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, migrate: bool) -> None:
    """Serve the HTTP API and the web page (uvicorn) until Ctrl-C; writes need FACTSTREAM_API_TOKEN."""
    import uvicorn

    from factstream.api import create_api
    from factstream.store import migrate as apply_migrations

    settings, embedded = ctx.obj.resolved()
    if migrate:
        apply_migrations(dsn(settings))
    app = create_api(settings, embedded_broker=embedded)
    bind_host = host or settings.api_host
    bind_port = port or settings.api_port
    if settings.api_token is None:
        click.echo(
            "FACTSTREAM_API_TOKEN is unset: POST /articles and POST /reviews are disabled", err=True
        )
    click.echo(f"serving on http://{bind_host}:{bind_port}/  (API docs: /docs)", err=True)
    uvicorn.run(
        app,
        host=bind_host,
        port=bind_port,
        log_level=settings.log_level.lower(),
        limit_concurrency=SERVE_CONCURRENCY,
        timeout_keep_alive=5,
    )
