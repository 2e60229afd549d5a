"""What every command of the ``factstream`` CLI shares: the context, the option helper, errors, dates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from factstream.errors import ConfigurationError, FactstreamError
from factstream.settings import Settings, load_settings

#: Prefix of the environment variable every option reads (CONVENTIONS.md: options also read one).
ENV_PREFIX = "FACTSTREAM_"

# What every date option of the CLI accepts (--since, --until, --published-at): a date, or a date
# and time to the minute or second, with or without an offset; a value without one is UTC.
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M"]

# Where --start is kept for a read command (ctx.meta, shared by the command's context chain).
START_KEY = "factstream.start_services"


def env(name: str) -> str:
    """The environment variable of ``name`` (``INGEST_SOURCE`` -> ``FACTSTREAM_INGEST_SOURCE``)."""
    return f"{ENV_PREFIX}{name}"


def option(*param_decls: str, env_name: str, **attrs: Any) -> Callable[[Any], Any]:
    """``click.option`` that also reads ``FACTSTREAM_<env_name>`` and shows it in ``--help``.

    Variables are named one by one rather than through click's ``auto_envvar_prefix``, which
    derives them from the command path and would rename the documented ones.
    """
    return click.option(*param_decls, envvar=env(env_name), show_envvar=True, **attrs)


class Context:
    """CLI-wide state: the settings (from options and the environment) resolved on demand."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.overrides = overrides

    def settings(self) -> Settings:
        """Settings as configured, embedded services not yet started."""
        return load_settings(**self.overrides)

    def resolved(self) -> tuple[Settings, bool]:
        """Settings with broker and database known, starting embedded services when unset."""
        from factstream.embedded.services import ensure_services, is_embedded_broker
        from factstream.topics import topic_names

        settings = self.settings()
        resolved = ensure_services(settings, topics=topic_names(settings))
        return resolved, is_embedded_broker(resolved)

    def for_reading(self, *, start: bool) -> Settings:
        """Settings for a read-only command: a configured database, or running embedded services.

        A read never starts services behind the user's back: with none running it refuses, unless
        ``start`` (``--start``) allows it, and then it says that they were started and keep running.
        """
        from factstream.embedded.services import services_status

        settings = self.settings()
        if settings.database_url is not None:
            return settings
        if services_status(settings) is None:
            state_dir = Path(settings.state_dir).absolute()
            if not start:
                raise click.ClickException(
                    f"no database: FACTSTREAM_DATABASE_URL is unset and no embedded services run for "
                    f"{state_dir}; start them (`factstream services start`, or --start here) or set "
                    "FACTSTREAM_DATABASE_URL"
                )
            resolved, _ = self.resolved()
            click.echo(
                f"started the embedded services of {state_dir}; they keep running "
                "(`factstream services stop` stops them)",
                err=True,
            )
            return resolved
        return self.resolved()[0]


pass_ctx = click.make_pass_decorator(Context)


class Group(click.Group):
    """Turns the errors a user can act on (unreachable services, bad settings) into one clear line.

    The store raises the project's own errors (``store.pool.database_errors``); psycopg errors
    raised outside it (the embedded PostgreSQL starting, training reading reviews) are mapped the
    same way here, so that the CLI never names psycopg.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, one clear line for an error the user can act on."""
        from pydantic import ValidationError

        from factstream.store.pool import database_errors

        try:
            with database_errors():
                return super().invoke(ctx)
        except FactstreamError as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationError as exc:
            raise click.ClickException(f"invalid settings: {exc}") from exc


def fail(message: str) -> NoReturn:
    """Stop the command with ``message`` (exit status 1)."""
    raise click.ClickException(message)


def run_async(coro: Any) -> Any:
    """Run a coroutine to its end; the project's errors become a one-line failure."""
    try:
        return asyncio.run(coro)
    except FactstreamError as exc:
        fail(str(exc))


def dsn(settings: Settings) -> str:
    """The database URL of resolved settings (which always have one)."""
    try:
        return settings.database_dsn()
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None


def aware(value: datetime | None) -> datetime | None:
    """A date option's value with its timezone: UTC when none was given."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def start_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--start`` for a read command: allow starting the embedded services (see ``reading_settings``)."""
    return option(
        "--start",
        env_name="START_SERVICES",
        is_flag=True,
        expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__(START_KEY, value),
        help="Start the embedded services when no database is configured and none run (they keep running).",
    )(func)


def reading_settings() -> Settings:
    """Settings for the current read command: never starts services unless it was given --start."""
    ctx = click.get_current_context()
    settings: Settings = ctx.obj.for_reading(start=bool(ctx.meta.get(START_KEY)))
    return settings
