"""The `factstream` command line. Every option also reads a FACTSTREAM_* variable (see --help)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from factstream.api.commands import DATE_FORMATS, reading_settings, start_option
from factstream.errors import FactstreamError
from factstream.ports import free_port
from factstream.schemas.records import Claim, Contradiction, TrackedClaim
from factstream.settings import Settings, load_settings

_log = logging.getLogger(__name__)

# `--wait` gives up after this long by default: generous for a laptop ingesting a corpus.
DEFAULT_WAIT_TIMEOUT_S = 600.0
# How long `demo` waits for the worker to process its handful of sample articles.
DEMO_TIMEOUT_S = 180.0
# How long a stopping worker may take to flush and commit before it is killed.
WORKER_STOP_TIMEOUT_S = 60.0


def _env(name: str) -> str:
    return f"FACTSTREAM_{name}"


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


class _Group(click.Group):
    """Turns the errors a user can act on (unreachable services, bad settings) into one clear line."""

    def invoke(self, ctx: click.Context) -> Any:
        import psycopg
        from pydantic import ValidationError

        try:
            return super().invoke(ctx)
        except FactstreamError as exc:
            raise click.ClickException(str(exc)) from exc
        except psycopg.OperationalError as exc:
            raise click.ClickException(f"cannot use the database: {str(exc).strip()}") from exc
        except psycopg.errors.UndefinedTable as exc:
            raise click.ClickException("the database is not migrated: run `factstream db migrate`") from exc
        except ValidationError as exc:
            raise click.ClickException(f"invalid settings: {exc}") from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option("--kafka-bootstrap", envvar=_env("KAFKA_BOOTSTRAP"), show_envvar=True,
              help="Kafka bootstrap servers; unset starts or reuses the embedded broker.")
@click.option("--database-url", envvar=_env("DATABASE_URL"), show_envvar=True,
              help="PostgreSQL URL; unset starts or reuses embedded PostgreSQL.")
@click.option("--state-dir", envvar=_env("STATE_DIR"), show_envvar=True, type=click.Path(path_type=Path),
              help="Where embedded services keep their data.  [default: ./.factstream]")
@click.option("--log-level", envvar=_env("LOG_LEVEL"), show_envvar=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), help="Log level.  [default: INFO]")
@click.version_option(package_name="factstream")
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """factstream: news articles on Kafka in, tracked claims and contradictions in PostgreSQL out."""
    ctx.obj = Context(options)
    level = options.get("log_level") or "WARNING"
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _run_async(coro: Any) -> Any:
    try:
        return asyncio.run(coro)
    except FactstreamError as exc:
        _fail(str(exc))


# -- configuration and services -------------------------------------------------------------


@main.command()
@pass_ctx
def config(ctx: Context) -> None:
    """Print the effective settings (secrets masked) as JSON."""
    click.echo(json.dumps(ctx.settings().masked(), indent=2))


@main.group()
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


@main.group()
def db() -> None:
    """Database administration."""


@db.command("migrate")
@pass_ctx
def db_migrate(ctx: Context) -> None:
    """Apply pending SQL migrations (idempotent)."""
    from factstream.store import migrate

    settings, _ = ctx.resolved()
    applied = migrate(settings.database_dsn())
    if applied:
        for m in applied:
            click.echo(f"applied {m.version:04d}_{m.name}")
    else:
        click.echo("database is up to date")


@main.group()
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


# -- the worker ---------------------------------------------------------------------------


@main.command()
@click.option("--migrate/--no-migrate", default=True, show_default=True, envvar=_env("RUN_MIGRATE"),
              show_envvar=True, help="Apply pending migrations before starting.")
@click.option("--processors", "only", envvar=_env("RUN_PROCESSORS"), show_envvar=True,
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
        apply_migrations(settings.database_dsn())
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


@main.group()
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


# -- ingest --------------------------------------------------------------------------------


# What --published-at accepts, on ingest and extract alike: the formats of every CLI date option.
PUBLISHED_AT_FORMATS = DATE_FORMATS


def _aware(value: datetime | None) -> datetime | None:
    """A --published-at value with its timezone: UTC when none was given."""
    if value is not None and value.tzinfo is None:
        from datetime import UTC

        return value.replace(tzinfo=UTC)
    return value


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--wait", is_flag=True, help="Return once every sent article is stored or dead-lettered.")
@click.option("--timeout", type=float, default=DEFAULT_WAIT_TIMEOUT_S, show_default=True,
              envvar=_env("INGEST_TIMEOUT"), show_envvar=True, help="Seconds --wait waits at most.")
@click.option("--source", default="local", show_default=True, envvar=_env("INGEST_SOURCE"), show_envvar=True,
              help="Outlet for articles that do not name one (e.g. .txt files).")
@click.option("--published-at", type=click.DateTime(PUBLISHED_AT_FORMATS),
              envvar=_env("INGEST_PUBLISHED_AT"), show_envvar=True,
              help="Publication time for articles without one (UTC when no offset is given); "
                   "without it, undated articles get the time of ingest. The timeline says which.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def ingest(ctx: Context, paths: Sequence[str], wait: bool, timeout: float, source: str,
           published_at: datetime | None, as_json: bool) -> None:
    """Send articles to the raw topic: .json, .jsonl, .txt files, directories, or - for stdin."""
    from factstream.ingest import ArticleProducer, Defaults, expand_paths, read_inputs, wait_for
    from factstream.schemas.records import utcnow

    settings, embedded = ctx.resolved()
    files = expand_paths(paths)
    defaults = Defaults(source=source, published_at=_aware(published_at), ingested_at=utcnow())
    inputs = read_inputs(files, defaults, settings.max_body_bytes)
    producer = ArticleProducer(settings, embedded_broker=embedded)
    sent: dict[str, str] = {}
    rejected: list[tuple[str, str]] = []
    duplicates = 0
    decoded: dict[str, int] = {}
    show_bar = len(files) > 5 and not as_json
    with click.progressbar(inputs, label="sending", length=len(files) if show_bar else 0,
                           file=sys.stderr if show_bar else open(os.devnull, "w")) as bar:  # noqa: SIM115
        for item in bar:
            if item.article is None:
                rejected.append((item.label, item.error or "unreadable"))
                click.echo(f"rejected {item.label}: {item.error}", err=True)
                continue
            if item.encoding is not None:
                decoded[item.encoding] = decoded.get(item.encoding, 0) + 1
                click.echo(f"decoded {item.label} as {item.encoding} (not UTF-8)", err=True)
            first = sent.get(item.article.id)
            if first is not None:
                # Same content and source, hence the same article id: the pipeline would store it once.
                duplicates += 1
                click.echo(f"skipped {item.label}: the same article as {first}", err=True)
                continue
            producer.send(item.article)
            sent[item.article.id] = item.label
    try:
        producer.close()
    except FactstreamError as exc:
        _fail(str(exc))
    summary: dict[str, Any] = {"sent": len(sent), "rejected": len(rejected), "duplicates_skipped": duplicates}
    if decoded:
        summary["decoded_from"] = decoded
    if wait and sent:
        with click.progressbar(length=len(sent), label="processing", file=sys.stderr) as wait_bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                wait_bar.update(done - last[0])
                last[0] = done

            states = _run_async(wait_for(settings, list(sent), timeout, progress))
        by_state: dict[str, int] = {"done": 0, "dead": 0, "pending": 0}
        for state in states.values():
            by_state[state.state] += 1
        summary.update(stored=by_state["done"], dead_lettered=by_state["dead"], pending=by_state["pending"])
        summary["claims"] = sum(s.claim_count for s in states.values())
    if as_json:
        click.echo(json.dumps(summary))
    else:
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()))
    if summary.get("pending"):
        _fail(f"{summary['pending']} article(s) were not processed within {timeout:.0f}s")
    if rejected:
        sys.exit(2)


# -- processors without a broker ---------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--source", default="local", show_default=True, envvar=_env("INGEST_SOURCE"), show_envvar=True,
              help="Outlet for articles that do not name one.")
@click.option("--published-at", type=click.DateTime(PUBLISHED_AT_FORMATS), envvar=_env("INGEST_PUBLISHED_AT"),
              show_envvar=True,
              help="Publication time for articles without one (UTC when no offset is given).")
def extract(paths: Sequence[str], source: str, published_at: datetime | None) -> None:
    """Run claim extraction alone (no broker, no database): one JSON claim per line.

    Reads stdin without PATH.
    """
    from factstream.ingest import Defaults, expand_paths, read_inputs
    from factstream.processors import registry
    from factstream.settings import DEFAULT_MAX_BODY_BYTES

    processor = registry.load("extract")
    processor.setup()
    when = _aware(published_at)
    failed = 0
    for item in read_inputs(expand_paths(paths or ["-"]), Defaults(source, when), DEFAULT_MAX_BODY_BYTES):
        if item.article is None:
            click.echo(f"rejected {item.label}: {item.error}", err=True)
            failed += 1
            continue
        for claim in processor.process(item.article):
            click.echo(claim.model_dump_json())
    if failed:
        sys.exit(2)


@main.command()
def compare() -> None:
    """Compare claim pairs from stdin ({"a": ..., "b": ...} per line; a side is a text or a claim object).

    Prints one JSON line per pair: {"relation": "duplicate"|"contradiction"|"none", "kind", "score",
    "explanation", "probabilities", "evidence", "model_version"}, from the same verdict as the
    dedup and contradiction agents (FACTSTREAM_JUDGE_VERDICT: the rules, or the learned judge).
    """
    from factstream.processors.judge import default_judge
    from factstream.processors.judge.settings import JudgeSettings
    from factstream.processors.matching import analyse, claim_from_text
    from factstream.processors.matching import compare as compare_by_rules

    learned = JudgeSettings().verdict == "learned"
    judge = default_judge() if learned else None

    def side(value: Any, line_no: int, name: str) -> Claim:
        if isinstance(value, str):
            return claim_from_text(value)
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            fields = {k: v for k, v in value.items() if k != "text"}
            return claim_from_text(value["text"], **fields)
        raise click.ClickException(f"line {line_no}: {name!r} must be a text or an object with a 'text'")

    for line_no, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"line {line_no}: not valid JSON: {exc.msg}")
        if not isinstance(pair, dict) or "a" not in pair or "b" not in pair:
            _fail(f"line {line_no}: expected an object with 'a' and 'b'")
        try:
            a, b = side(pair["a"], line_no, "a"), side(pair["b"], line_no, "b")
        except (ValueError, TypeError) as exc:
            _fail(f"line {line_no}: {exc}")
        if judge is None:
            rule = compare_by_rules(a, b)
            out: dict[str, Any] = {"relation": rule.relation, "kind": rule.kind,
                                   "score": round(rule.score, 4),
                                   "explanation": rule.explanation, "model_version": "rules"}
        else:
            (verdict,) = judge.judge([(analyse(a), analyse(b))])
            out = {"relation": verdict.relation, "kind": verdict.kind, "score": round(verdict.score, 4),
                   "explanation": verdict.explanation, "probabilities": verdict.probabilities,
                   "evidence": verdict.evidence, "model_version": verdict.model_version}
        click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()


# -- queries -------------------------------------------------------------------------------------


@main.group()
def claims() -> None:
    """Tracked claims in PostgreSQL."""


@claims.command("list")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True,
              envvar=_env("LIST_LIMIT"), show_envvar=True, help="Rows at most.")
@click.option("--speaker", envvar=_env("CLAIMS_SPEAKER"), show_envvar=True,
              help="Only claims whose speaker contains this text.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@start_option
@pass_ctx
def claims_list(ctx: Context, limit: int, speaker: str | None, as_json: bool) -> None:
    """List tracked claims with their mentions, most mentioned first."""
    settings = reading_settings()
    found = _run_async(_query_claims(settings, limit=limit, speaker=speaker))
    _print_claims(found, as_json)


@main.group()
def contradictions() -> None:
    """Contradictions between tracked claims."""


async def _query_claims(settings: Settings, **kwargs: Any) -> list[TrackedClaim]:
    from factstream.store import ClaimStore

    async with ClaimStore(settings.database_dsn()) as store:
        return await store.list_claims(**kwargs)


async def _query_contradictions(
    settings: Settings, limit: int, article_ids: Sequence[str] | None = None
) -> tuple[list[Contradiction], dict[str, TrackedClaim]]:
    from factstream.store import ClaimStore

    async with ClaimStore(settings.database_dsn()) as store:
        found = await store.list_contradictions(limit=limit, article_ids=article_ids)
        claims = await store.list_claims(limit=10_000, article_ids=article_ids)
    return found, {c.id: c for c in claims}


def _claim_json(claim: TrackedClaim) -> dict[str, Any]:
    return claim.model_dump(mode="json", exclude={"schema_version"})


def _print_claims(found: Iterable[TrackedClaim], as_json: bool) -> None:
    found = list(found)
    if as_json:
        click.echo(json.dumps([_claim_json(c) for c in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no tracked claims")
        return
    for claim in found:
        numbers = ", ".join(f"{q.value:g} {q.unit or ''}".strip() for q in claim.numbers)
        flags = [claim.modality] + (["negated"] if claim.negated else []) + ([numbers] if numbers else [])
        click.echo(f"{claim.id}  {claim.speaker or '(reporting)'}  "
                   f"mentions={claim.mention_count} sources={claim.source_count}  [{'; '.join(flags)}]")
        click.echo(textwrap.indent(textwrap.fill(claim.canonical_text, 100), "    "))
        for m in claim.mentions:
            quote = f' quote="{m.quote}"' if m.quote else ""
            click.echo(f"      - {m.source} {m.article_id} span={list(m.span)} "
                       f"speaker={m.speaker or '-'}{quote}")


def _print_contradictions(found: list[Contradiction], by_id: dict[str, TrackedClaim], as_json: bool) -> None:
    if as_json:
        out = []
        for c in found:
            item = c.model_dump(mode="json", exclude={"schema_version"})
            for side in ("a", "b"):
                tracked = by_id.get(getattr(c, f"claim_{side}_id"))
                item[f"claim_{side}"] = _claim_json(tracked) if tracked else None
            out.append(item)
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no contradictions")
        return
    for c in found:
        click.echo(f"{c.id}  {c.kind}  score={c.score:.2f}")
        for side in ("a", "b"):
            tracked = by_id.get(getattr(c, f"claim_{side}_id"))
            text = tracked.canonical_text if tracked else getattr(c, f"claim_{side}_id")
            who = (tracked.speaker if tracked else None) or "(reporting)"
            click.echo(textwrap.indent(textwrap.fill(f"{side.upper()}: [{who}] {text}", 100), "    "))
        click.echo(textwrap.indent(textwrap.fill(f"why: {c.explanation}", 100), "    "))


def _register_commands() -> None:
    """Attach the commands that live beside what they drive, then those installed packages add.

    The query commands and `serve` live with the HTTP API they share their queries with;
    `deadletters`, `train` and `evaluate` in factstream/commands/. Commands from the
    ``factstream.commands`` entry-point group come last: `bench` is one (the benchmark suite drives
    the CLI from outside and is not imported by it), and a plug-in package may add its own.
    """
    from factstream.api.commands import register as register_queries
    from factstream.commands.deadletters import register as register_deadletters
    from factstream.commands.train import register as register_training

    register_queries(main, claims, contradictions)
    register_deadletters(main)
    register_training(main)
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


#: Entry-point group through which installed packages add commands to `factstream`.
COMMANDS_GROUP = "factstream.commands"

_register_commands()


# -- demo ------------------------------------------------------------------------------------------


def sample_paths() -> list[Path]:
    """The project's own sample articles (written by the factstream team)."""
    folder = resources.files("factstream").joinpath("samples")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".json"))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print claims and contradictions as JSON.")
@click.option("--serve", is_flag=True,
              help="Then keep the worker running and serve the HTTP API and web page.")
@pass_ctx
def demo(ctx: Context, as_json: bool, serve: bool) -> None:
    """Start everything, ingest the sample articles, wait, print tracked claims and contradictions, exit.

    With --serve, the worker keeps running and the API and web page are served until Ctrl-C.
    """
    from factstream.embedded.services import services_status, stop_services
    from factstream.ingest import ArticleProducer, Defaults, read_inputs, wait_for
    from factstream.store import migrate

    was_running = services_status(ctx.settings()) is not None
    settings, embedded = ctx.resolved()
    say = (lambda msg: click.echo(msg, err=True)) if as_json else click.echo
    worker: subprocess.Popen[bytes] | None = None
    try:
        migrate(settings.database_dsn())
        say("starting the worker ...")
        worker = _start_worker(settings)
        articles = [i.article for i in read_inputs(sample_paths(), Defaults(), settings.max_body_bytes)]
        producer = ArticleProducer(settings, embedded_broker=embedded)
        for article in articles:
            assert article is not None  # noqa: S101 - our own samples are valid (tested)
            producer.send(article)
        producer.close()
        ids = [a.id for a in articles if a is not None]
        say(f"sent {len(ids)} sample articles; waiting for the pipeline ...")
        started = time.monotonic()

        def worker_alive(done: int, total: int) -> None:
            if worker is not None and worker.poll() is not None:
                raise FactstreamError(
                    f"the worker exited with code {worker.returncode}; its log: "
                    f"{settings.state_dir / 'demo-worker.log'}"
                )

        states = _run_async(wait_for(settings, ids, DEMO_TIMEOUT_S, worker_alive))
        pending = [i for i, s in states.items() if s.state == "pending"]
        if pending:
            _fail(f"{len(pending)} sample article(s) not processed within {DEMO_TIMEOUT_S:.0f}s; "
                  f"see the worker log in {settings.state_dir / 'demo-worker.log'}")
        say(f"processed in {time.monotonic() - started:.1f}s\n")
        found = _run_async(_query_claims(settings, limit=1000, article_ids=ids))
        contras, by_id = _run_async(_query_contradictions(settings, limit=1000, article_ids=ids))
        if as_json:
            click.echo(json.dumps({
                "claims": [_claim_json(c) for c in found],
                "contradictions": [
                    {**c.model_dump(mode="json", exclude={"schema_version"}),
                     "claim_a": _claim_json(by_id[c.claim_a_id]) if c.claim_a_id in by_id else None,
                     "claim_b": _claim_json(by_id[c.claim_b_id]) if c.claim_b_id in by_id else None}
                    for c in contras
                ],
            }, indent=2, ensure_ascii=False))
        else:
            click.echo(f"== {len(found)} tracked claims ==")
            _print_claims(found, as_json=False)
            click.echo(f"\n== {len(contras)} contradictions ==")
            _print_contradictions(contras, by_id, as_json=False)
        if serve:
            _serve_until_interrupted(settings, embedded, say)
    finally:
        if worker is not None:
            _stop_worker(worker)
        if not was_running:
            stop_services(ctx.settings())


def _start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    """Run `factstream run` in a child process with the same settings, logging to the state dir."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    log_file = (settings.state_dir / "demo-worker.log").open("ab")
    env = dict(os.environ)
    env[_env("STATE_DIR")] = str(settings.state_dir)
    # The demo's worker needs no fixed web port; a free one avoids clashing with a running worker.
    env[_env("WEB_PORT")] = str(free_port())
    cmd = [sys.executable, "-m", "factstream", "--log-level", settings.log_level, "run", "--no-migrate"]
    return subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env)  # noqa: S603


def _serve_until_interrupted(settings: Settings, embedded: bool, say: Any) -> None:
    import uvicorn

    from factstream.api import create_api

    say(f"\nserving the API and web page on http://{settings.api_host}:{settings.api_port}/ (Ctrl-C stops)")
    uvicorn.run(create_api(settings, embedded_broker=embedded), host=settings.api_host,
                port=settings.api_port, log_level="warning")


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGTERM (flush and commit), then kill if it does not stop in time."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=WORKER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
