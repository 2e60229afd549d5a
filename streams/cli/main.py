"""The ``factstream`` group: global options, then every command, then those installed packages add."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from factstream.cli import deadletters, demo, extract, ingest, queries, serve, services, training, worker
from factstream.cli.base import Context, Group, option

_log = logging.getLogger(__name__)

#: Entry-point group through which installed packages add commands to `factstream`.
COMMANDS_GROUP = "factstream.commands"


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@option("--kafka-bootstrap", env_name="KAFKA_BOOTSTRAP",
        help="Kafka bootstrap servers; unset starts or reuses the embedded broker.")
@option("--database-url", env_name="DATABASE_URL",
        help="PostgreSQL URL; unset starts or reuses embedded PostgreSQL.")
@option("--state-dir", env_name="STATE_DIR", type=click.Path(path_type=Path),
        help="Where embedded services keep their data.  [default: ./.factstream]")
@option("--log-level", env_name="LOG_LEVEL",
        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), help="Log level.  [default: INFO]")
@click.version_option(package_name="factstream")
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """factstream: news articles on Kafka in, tracked claims and contradictions in PostgreSQL out."""
    ctx.obj = Context(options)
    level = options.get("log_level") or "WARNING"
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


# One module per area of the command line (click lists them alphabetically in --help).
_COMMANDS: list[click.Command] = [
    services.config, services.services, services.db, services.topics,
    worker.run, worker.processors,
    ingest.ingest, extract.extract, extract.compare,
    queries.claims, queries.contradictions, queries.speakers, queries.timeline, queries.story,
    serve.serve, deadletters.deadletters, training.train, training.evaluate,
    demo.demo,
]


def _register_commands() -> None:
    """Attach the project's commands, then those installed packages add.

    Commands from the ``factstream.commands`` entry-point group come last: `bench` is one (the
    benchmark suite drives the CLI from outside and is not imported by it), and a plug-in
    package may add its own.
    """
    for command in _COMMANDS:
        main.add_command(command)
    for entry in entry_points(group=COMMANDS_GROUP):
        if entry.name in main.commands:
            _log.warning("command %r from %s ignored: factstream has one of that name",
                         entry.name, entry.value)
            continue
        try:
            command = entry.load()
        except Exception as exc:  # a broken add-on must not take the whole command line down
            _log.warning("command %r from %s not loaded: %s", entry.name, entry.value, exc)
            continue
        main.add_command(command, entry.name)


_register_commands()
