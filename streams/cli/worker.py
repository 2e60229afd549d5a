"""`factstream run` and `factstream processors`: the worker, its shutdown deadline, the processors."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import click

from factstream.cli.base import Context, dsn, option, pass_ctx


@click.command()
@option("--migrate/--no-migrate", default=True, show_default=True, env_name="RUN_MIGRATE",
        help="Apply pending migrations before starting.")
@option("--processors", "only", env_name="RUN_PROCESSORS",
              help="Run only these processors (comma-separated) in this worker, in a consumer group of "
                   "their own; workers started with the same list share the work.")
@pass_ctx
def run(ctx: Context, migrate: bool, only: str | None) -> None:
    """Run the workers until SIGTERM or Ctrl-C; shutdown flushes writes, then commits offsets."""
    from faust.worker import Worker

    from factstream.app import create_app
    from factstream.observability import logging_config
    from factstream.processors import registry
    from factstream.store import migrate as apply_migrations

    settings, embedded = ctx.resolved()
    if only:
        names = [n.strip() for n in only.split(",") if n.strip()]
        settings = settings.model_copy(update={"processors": names, "processors_disabled": []})
        registry.enabled_names(settings)  # fails early, and clearly, on an unknown name
        settings = settings.model_copy(update={"app_id": f"{settings.app_id}-{'+'.join(sorted(names))}"})
    if migrate:
        apply_migrations(dsn(settings))
    app = create_app(settings, embedded_broker=embedded)
    deadline = ShutdownDeadline(settings.shutdown_timeout)

    class _Worker(Worker):
        """faust's Worker, with the shutdown deadline armed the moment a stop begins."""

        def _schedule_shutdown(self, signal: Any) -> None:
            deadline.arm(f"signal {getattr(signal, 'name', signal)}")
            super()._schedule_shutdown(signal)

        def on_worker_shutdown(self) -> None:
            deadline.arm("the worker stopping")
            super().on_worker_shutdown()

    worker = _Worker(app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False,
                     logging_config=logging_config(settings.log_level, settings.log_format))
    worker.execute_from_commandline()


# The exit status of a worker whose shutdown outlived FACTSTREAM_SHUTDOWN_TIMEOUT (EX_SOFTWARE).
EXIT_SHUTDOWN_TIMEOUT = 70


class ShutdownDeadline:
    """Once a stop begins, exit after ``timeout`` seconds even if something hangs.

    Armed when the signal arrives (or the worker stops for another reason), not from a faust
    signal: faust sends ``on_before_shutdown`` only after its consumer's ``wait_empty``, which
    waits, unbounded, for every batch in flight to be acknowledged, so a deadline armed there
    never started while a batch hung (issue 17: 11 minutes of ``wait_empty: Waiting for tasks``).
    Safe by design: every write is flushed before its offset is committed, so a worker cut
    short only leaves records to be processed again, and every write is idempotent.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._timer: Any = None

    def arm(self, why: str) -> None:
        """Start the countdown (once; later calls keep the first deadline)."""
        import threading

        if self._timer is not None:
            return
        log = logging.getLogger(__name__)
        log.info("stopping (%s): exiting within %.0fs", why, self.timeout)

        def expire() -> None:
            log.error("shutdown took longer than %.0fs; exiting without acknowledging the batches in flight",
                      self.timeout)
            logging.shutdown()
            os._exit(EXIT_SHUTDOWN_TIMEOUT)

        self._timer = threading.Timer(self.timeout, expire)
        self._timer.daemon = True
        self._timer.start()


@click.group()
def processors() -> None:
    """Installed stream processors (entry-point group `factstream.processors`)."""


@processors.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@pass_ctx
def processors_list(ctx: Context, as_json: bool) -> None:
    """Show installed processors: enabled or not, and the topics and records each reads and writes."""
    from dataclasses import asdict

    from factstream.processors import registry

    rows = registry.describe(ctx.settings())
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    header = ("name", "enabled", "package", "reads", "writes", "record in -> out")
    table = [header] + [
        (r.name, "yes" if r.enabled else "no", r.distribution, r.input_topic or "-", r.output_topic or "-",
         f"{r.input_type or '?'} -> {r.output_type or '-'}" if not r.error else f"ERROR: {r.error}")
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

