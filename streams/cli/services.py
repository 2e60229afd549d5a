"""`factstream config`, `services`, `db` and `topics`: settings, the embedded services, administration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from factstream.cli.base import Context, dsn, pass_ctx


@click.command()
@pass_ctx
def config(ctx: Context) -> None:
    """Print the effective settings (secrets masked) as JSON."""
    click.echo(json.dumps(ctx.settings().masked(), indent=2))


@click.group()
def services() -> None:
    """The embedded broker and PostgreSQL (used when none is configured)."""


@services.command("start")
@pass_ctx
def services_start(ctx: Context) -> None:
    """Start the embedded services (or find them running) and print their endpoints.

    Says on stderr whether it started them or found them running; stdout is the settings JSON.
    """
    from factstream.embedded.services import services_status as status

    configured = ctx.settings()
    state_dir = Path(configured.state_dir).absolute()
    was_running = status(configured)
    settings, _ = ctx.resolved()
    now = status(configured)
    what = " and ".join(now.embedded) if now is not None else "nothing (broker and database are configured)"
    if now is None:
        click.echo(f"nothing to start: {what}", err=True)
    elif was_running is not None and was_running.pid == now.pid:
        click.echo(f"already running: {what} (pid {now.pid}) of {state_dir}", err=True)
    else:
        click.echo(f"started {what} (pid {now.pid}) of {state_dir}", err=True)
    click.echo(json.dumps(settings.masked(), indent=2))


@services.command("stop")
@pass_ctx
def services_stop(ctx: Context) -> None:
    """Stop the embedded services of this state directory, saying what was stopped."""
    from factstream.embedded.services import services_status as status
    from factstream.embedded.services import stop_services

    settings = ctx.settings()
    state_dir = Path(settings.state_dir).absolute()
    info = status(settings)
    if stop_services(settings):
        what = " and ".join(info.embedded) if info is not None else "the services host"
        pid = f" (pid {info.pid})" if info is not None else ""
        click.echo(f"stopped {what}{pid} of {state_dir}")
    else:
        click.echo(f"nothing to stop: no embedded services run for {state_dir}")


@services.command("status")
@pass_ctx
def services_status(ctx: Context) -> None:
    """Show whether the embedded services of this state directory are running, and records lost.

    ``offset_resets`` counts the times a worker of this state directory found its position gone
    from the broker (records deleted before they were read) and lists the newest; it is absent
    when there were none.
    """
    from factstream.embedded.services import services_status as status
    from factstream.transport import recorded_offset_resets

    settings = ctx.settings()
    info = status(settings)
    report: dict[str, Any] = {"running": False} if info is None else {"running": True, **info.public()}
    count, latest = recorded_offset_resets(Path(settings.state_dir).absolute())
    if count:
        report["offset_resets"] = {"count": count, "latest": latest,
                                   "error": "records were deleted by the broker before a worker read them"}
    click.echo(json.dumps(report, indent=2 if len(report) > 1 else None, default=str))


@click.group()
def db() -> None:
    """Database administration."""


@db.command("migrate")
@pass_ctx
def db_migrate(ctx: Context) -> None:
    """Apply pending SQL migrations (idempotent)."""
    from factstream.store import migrate

    settings, _ = ctx.resolved()
    applied = migrate(dsn(settings))
    if applied:
        for m in applied:
            click.echo(f"applied {m.version:04d}_{m.name}")
    else:
        click.echo("database is up to date")


@click.group()
def topics() -> None:
    """Kafka topic administration."""


@topics.command("create")
@pass_ctx
def topics_create(ctx: Context) -> None:
    """Create the pipeline's topics on Kafka (idempotent: existing topics are left as they are)."""
    from factstream.topics import create_topics

    settings, embedded = ctx.resolved()
    if embedded:
        click.echo("the embedded broker creates its topics itself; nothing to do")
        return
    for name, created in create_topics(settings).items():
        click.echo(f"{'created' if created else 'exists '} {name}")


