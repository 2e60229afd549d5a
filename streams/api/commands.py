"""Query commands for the ``factstream`` CLI: search, show, contradictions, speakers, timeline, serve.

``register(main, claims, contradictions)`` adds them to the groups defined in ``factstream.cli``
(``contradictions list`` replaces the older one there). Output is a table for people, or
``--json`` / ``--csv`` for programs; every option also reads a ``FACTSTREAM_*`` variable.
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
import textwrap
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from factstream.schemas.records import ContradictionKind
from factstream.settings import Settings
from factstream.store.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TIMELINE,
    ClaimQueries,
    ContradictionDetail,
    Page,
)

T = TypeVar("T")

# What every date option of the CLI accepts (--since, --until, --published-at): a date, or a date
# and time to the minute or second, with or without an offset; a value without one is UTC.
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M"]
# Width of wrapped claim text in tables.
TEXT_WIDTH = 100
# Where --start is kept for _query (ctx.meta, shared by the command's context chain).
START_KEY = "factstream.start_services"
KINDS = ["numeric", "negation", "antonym", "stance_reversal", "conflicting_report"]


def _env(name: str) -> str:
    return f"FACTSTREAM_{name}"


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _query(ctx: click.Context, call: Callable[[ClaimQueries], Awaitable[T]]) -> T:
    """Find the database (embedded services only when running, or with --start), run one query."""
    from factstream.errors import InvalidRecord
    from factstream.store.queries import NotFound

    settings = reading_settings()

    async def run() -> T:
        async with ClaimQueries(settings.database_dsn(), max_size=1) as queries:
            return await call(queries)

    try:
        return asyncio.run(run())
    except NotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except InvalidRecord as exc:
        raise click.BadParameter(str(exc)) from exc


def start_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--start`` for a read command: allow starting the embedded services (see ``reading_settings``)."""
    return click.option(
        "--start",
        is_flag=True,
        expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__(START_KEY, value),
        envvar=_env("START_SERVICES"),
        show_envvar=True,
        help="Start the embedded services when no database is configured and none run (they keep running).",
    )(func)


def reading_settings() -> Settings:
    """Settings for the current read command: never starts services unless it was given --start."""
    ctx = click.get_current_context()
    settings: Settings = ctx.obj.for_reading(start=bool(ctx.meta.get(START_KEY)))
    return settings


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = start_option(func)
    func = click.option("--csv", "as_csv", is_flag=True, help="CSV (one row per item) instead of a table.")(
        func
    )
    func = click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        envvar=_env("OUTPUT_FORMAT"),
        show_envvar=True,
        help="Output format (--json/--csv take precedence).",
    )(func)


def _fmt(fmt: str, as_json: bool, as_csv: bool) -> str:
    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    return "json" if as_json else "csv" if as_csv else fmt


def _echo_json(value: BaseModel | list[Any] | dict[str, Any]) -> None:
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _echo_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }
        )


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "undated"


def _timeline_day(entry: Any) -> str:
    """The entry's day, saying so when it is not the article's own ("ingested 2026-12-05")."""
    day = _day(entry.first_said_at)
    if entry.first_said_at is not None and entry.date_source in ("given", "ingested"):
        return f"{entry.date_source} {day}"
    return day


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _counts(c: Any) -> str:
    """Mentions, distinct articles and outlets, in the words the web page uses."""
    return (
        f"{_plural(c.mention_count, 'mention', 'mentions')} in "
        f"{_plural(c.source_count, 'distinct article', 'distinct articles')} from "
        f"{_plural(c.outlet_count, 'outlet', 'outlets')}"
    )


def _mention_day(m: Any) -> str:
    """A mention's day, "ingested at ..." when the article carried no date of its own."""
    day = _day(m.published_at)
    if m.published_at is not None and m.date_source == "ingested":
        return f"ingested at {day}"
    if m.published_at is not None and m.date_source == "given":
        return f"given {day}"
    return day


def _more(page: Page) -> None:
    if page.next_offset is not None:
        click.echo(f"(more: --offset {page.next_offset})", err=True)


def _contradiction_row(x: ContradictionDetail) -> dict[str, Any]:
    review = x.review
    return {
        "id": x.id,
        "kind": x.kind,
        "score": round(x.score, 4),
        "detected_at": x.detected_at.isoformat(),
        "claim_a_id": x.claim_a.id,
        "claim_a_speaker": x.claim_a.speaker,
        "claim_a_text": x.claim_a.canonical_text,
        "claim_b_id": x.claim_b.id,
        "claim_b_speaker": x.claim_b.speaker,
        "claim_b_text": x.claim_b.canonical_text,
        "explanation": x.explanation,
        "review": review.verdict if review else "",
    }


def register(main: click.Group, claims: click.Group, contradictions: click.Group) -> None:
    """Add the query commands and ``serve`` to the CLI groups (replacing ``contradictions list``)."""
    limit_option = click.option(
        "--limit",
        type=click.IntRange(1, MAX_LIMIT),
        default=DEFAULT_LIMIT,
        show_default=True,
        envvar=_env("LIST_LIMIT"),
        show_envvar=True,
        help="Rows at most.",
    )
    offset_option = click.option(
        "--offset",
        type=click.IntRange(0, MAX_OFFSET),
        default=0,
        show_default=True,
        envvar=_env("LIST_OFFSET"),
        show_envvar=True,
        help="Rows to skip (paging).",
    )

    @claims.command("search")
    @click.argument("text", required=False, default="")
    @click.option(
        "--speaker",
        envvar=_env("SEARCH_SPEAKER"),
        show_envvar=True,
        help="Only claims whose speaker contains this (case-insensitive).",
    )
    @click.option(
        "--entity",
        envvar=_env("SEARCH_ENTITY"),
        show_envvar=True,
        help="Only claims about an entity whose name contains this.",
    )
    @click.option(
        "--source",
        envvar=_env("SEARCH_SOURCE"),
        show_envvar=True,
        help="Only claims mentioned by an outlet whose name contains this.",
    )
    @click.option(
        "--since",
        type=click.DateTime(DATE_FORMATS),
        envvar=_env("SEARCH_SINCE"),
        show_envvar=True,
        help="Only claims seen at or after this date/time (UTC without an offset).",
    )
    @click.option(
        "--until",
        type=click.DateTime(DATE_FORMATS),
        envvar=_env("SEARCH_UNTIL"),
        show_envvar=True,
        help="Only claims first seen before this date/time (UTC without an offset).",
    )
    @limit_option
    @offset_option
    @_output_options
    @click.pass_context
    def claims_search(
        ctx: click.Context,
        text: str,
        speaker: str | None,
        entity: str | None,
        source: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
        offset: int,
        fmt: str,
        as_json: bool,
        as_csv: bool,
    ) -> None:
        """Search tracked claims: TEXT in web-search syntax (words, "a phrase", -word, or).

        Without TEXT, the most recently seen claims.
        """
        out = _fmt(fmt, as_json, as_csv)
        page = _query(
            ctx,
            lambda q: q.search(
                text or None,
                speaker=speaker,
                entity=entity,
                source=source,
                since=_aware(since),
                until=_aware(until),
                limit=limit,
                offset=offset,
            ),
        )
        if out == "json":
            _echo_json(page)
        elif out == "csv":
            _echo_csv(
                (c.model_dump(mode="json") for c in page.items),
                [
                    "id",
                    "canonical_text",
                    "speaker",
                    "mention_count",
                    "source_count",
                    "outlet_count",
                    "first_seen_at",
                    "last_seen_at",
                    "modality",
                    "negated",
                    "entities",
                    "rank",
                ],
            )
        else:
            if not page.items:
                click.echo("no matching claims")
            for c in page.items:
                click.echo(f"{c.id}  {_day(c.last_seen_at)}  {c.speaker or '(reporting)'}  {_counts(c)}")
                click.echo(textwrap.indent(textwrap.fill(c.canonical_text, TEXT_WIDTH), "    "))
        _more(page)

    @claims.command("show")
    @click.argument("claim_id")
    @_output_options
    @click.pass_context
    def claims_show(ctx: click.Context, claim_id: str, fmt: str, as_json: bool, as_csv: bool) -> None:
        """Show one claim with its mentions, sources, timeline and contradictions (CSV: the mentions)."""
        out = _fmt(fmt, as_json, as_csv)
        c = _query(ctx, lambda q: q.show(claim_id))
        if out == "json":
            _echo_json(c)
            return
        if out == "csv":
            _echo_csv(
                (
                    {**m.model_dump(mode="json"), "review": m.review.verdict if m.review else ""}
                    for m in c.mentions
                ),
                [
                    "id",
                    "source",
                    "article_id",
                    "article_title",
                    "published_at",
                    "date_source",
                    "speaker",
                    "quote",
                    "text",
                    "span",
                    "match_score",
                    "first_mention",
                    "review",
                ],
            )
            return
        click.echo(
            f"{c.id}  {c.speaker or '(reporting)'}  {c.modality}{', negated' if c.negated else ''}  "
            + _counts(c)
        )
        click.echo(textwrap.indent(textwrap.fill(c.canonical_text, TEXT_WIDTH), "    "))
        if c.entities:
            click.echo(f"  entities: {', '.join(c.entities)}")
        click.echo(f"  sources: {_plural(len(c.sources), 'outlet', 'outlets')}")
        for s in c.sources:
            click.echo(
                f"    {s.source}: {_plural(s.mentions, 'mention', 'mentions')}, "
                f"first {_day(s.first_published_at)}"
            )
        click.echo("  mentions:")
        if any(m.date_source == "ingested" for m in c.mentions):
            click.echo(
                "    (some articles carry no publication time: their dates are ingest times, in ingest order)"
            )
        for m in c.mentions:
            review = f" [{m.review.verdict} by {m.review.reviewer}]" if m.review else ""
            quote = f' "{m.quote}"' if m.quote else ""
            click.echo(
                f"    - {_mention_day(m)} {m.source} {m.article_id} {m.speaker or '(reporting)'}"
                f"{quote}{' (first)' if m.first_mention else f' match={m.match_score:.2f}'}{review}"
            )
        click.echo(f"  contradictions: {len(c.contradictions)}")
        for x in c.contradictions:
            other = x.claim_b if x.claim_a.id == c.id else x.claim_a
            click.echo(f"    - {x.id} {x.kind} score={x.score:.2f} vs {other.id}: {other.canonical_text}")
        click.echo("  timeline:")
        for e in c.timeline:
            click.echo(f"    {_day(e.at)}  {e.event:<13} {e.summary}")

    @contradictions.command("list")
    @click.option(
        "--kind",
        type=click.Choice(KINDS),
        envvar=_env("CONTRADICTIONS_KIND"),
        show_envvar=True,
        help="Only this kind.",
    )
    @click.option(
        "--since",
        type=click.DateTime(DATE_FORMATS),
        envvar=_env("CONTRADICTIONS_SINCE"),
        show_envvar=True,
        help="Only those detected at or after this date/time (UTC without an offset).",
    )
    @click.option(
        "--status",
        type=click.Choice(["open", "confirmed", "rejected", "all"]),
        default="all",
        show_default=True,
        envvar=_env("CONTRADICTIONS_STATUS"),
        show_envvar=True,
        help="By standing review; open: not reviewed yet.",
    )
    @limit_option
    @offset_option
    @_output_options
    @click.pass_context
    def contradictions_list(
        ctx: click.Context,
        kind: ContradictionKind | None,
        since: datetime | None,
        status: str,
        limit: int,
        offset: int,
        fmt: str,
        as_json: bool,
        as_csv: bool,
    ) -> None:
        """List contradictions with both claims side by side, newest first."""
        out = _fmt(fmt, as_json, as_csv)
        page = _query(
            ctx,
            lambda q: q.contradictions(
                kind=kind,
                since=_aware(since),
                status=status,  # type: ignore[arg-type]
                limit=limit,
                offset=offset,
            ),
        )
        if out == "json":
            _echo_json(page)
        elif out == "csv":
            rows = [_contradiction_row(x) for x in page.items]
            _echo_csv(rows, list(rows[0]) if rows else ["id"])
        else:
            if not page.items:
                click.echo("no contradictions")
            for x in page.items:
                review = f"  [{x.review.verdict} by {x.review.reviewer}]" if x.review else ""
                click.echo(f"{x.id}  {x.kind}  score={x.score:.2f}  {_day(x.detected_at)}{review}")
                for label, side in (("A", x.claim_a), ("B", x.claim_b)):
                    click.echo(
                        textwrap.indent(
                            textwrap.fill(
                                f"{label}: [{side.speaker or '(reporting)'}] {side.canonical_text}",
                                TEXT_WIDTH,
                            ),
                            "    ",
                        )
                    )
                click.echo(textwrap.indent(textwrap.fill(f"why: {x.explanation}", TEXT_WIDTH), "    "))
        _more(page)

    @main.command("speakers")
    @click.option(
        "--query",
        "query_text",
        envvar=_env("SPEAKERS_QUERY"),
        show_envvar=True,
        help="Only speakers whose name contains this (case-insensitive).",
    )
    @click.option(
        "--limit",
        type=click.IntRange(1, MAX_LIMIT),
        default=MAX_LIMIT,
        show_default=True,
        envvar=_env("SPEAKERS_LIMIT"),
        show_envvar=True,
        help="Rows at most.",
    )
    @offset_option
    @_output_options
    @click.pass_context
    def speakers(
        ctx: click.Context,
        query_text: str | None,
        limit: int,
        offset: int,
        fmt: str,
        as_json: bool,
        as_csv: bool,
    ) -> None:
        """List speakers with their claim, mention and stance-reversal counts, most mentioned first."""
        out = _fmt(fmt, as_json, as_csv)
        page = _query(ctx, lambda q: q.speakers(query_text, limit=limit, offset=offset))
        if out == "json":
            _echo_json(page)
        elif out == "csv":
            _echo_csv(
                (s.model_dump(mode="json") for s in page.items),
                [
                    "name",
                    "role",
                    "aliases",
                    "claims",
                    "mentions",
                    "first_said_at",
                    "last_said_at",
                    "stance_reversals",
                ],
            )
        else:
            if not page.items:
                click.echo("no speakers")
            for s in page.items:
                flips = f"  stance reversals={s.stance_reversals}" if s.stance_reversals else ""
                others = [a for a in s.aliases if a != s.name]
                aka = f"  aka {'; '.join(others)}" if others else ""
                click.echo(
                    f"{s.name}{f' ({s.role})' if s.role else ''}  claims={s.claims} mentions={s.mentions}  "
                    f"{_day(s.first_said_at)}..{_day(s.last_said_at)}{flips}{aka}"
                )
        _more(page)

    @main.command("timeline")
    @click.argument("speaker")
    @click.option(
        "--limit",
        type=click.IntRange(1, MAX_TIMELINE),
        default=MAX_TIMELINE,
        show_default=True,
        envvar=_env("TIMELINE_LIMIT"),
        show_envvar=True,
        help="Entries at most.",
    )
    @_output_options
    @click.pass_context
    def timeline(ctx: click.Context, speaker: str, limit: int, fmt: str, as_json: bool, as_csv: bool) -> None:
        """Show a person's claims over time, reversals marked.

        SPEAKER is any name or alias the person was given, case ignored ("mr blair", "tony blair",
        or a surname when only one person has it); dates that are not the article's own are marked.
        """
        out = _fmt(fmt, as_json, as_csv)
        t = _query(ctx, lambda q: q.timeline(speaker, limit=limit))
        if out == "json":
            _echo_json(t)
        elif out == "csv":
            _echo_csv(
                (
                    {**e.model_dump(mode="json"), "reversals": [r.contradiction_id for r in e.reversals]}
                    for e in t.entries
                ),
                [
                    "claim_id",
                    "first_said_at",
                    "last_said_at",
                    "mentions",
                    "sources",
                    "date_source",
                    "stance_reversal",
                    "reversals",
                    "canonical_text",
                ],
            )
        else:
            click.echo(f"{t.speaker}{f' ({t.role})' if t.role else ''}: {len(t.entries)} claim(s)")
            others = [a for a in t.aliases if a != t.speaker]
            if others:
                click.echo(f"  aka {'; '.join(others)}")
            for e in t.entries:
                mark = "  << STANCE REVERSAL" if e.stance_reversal else ""
                click.echo(f"  {_timeline_day(e)}  {e.claim_id}  mentions={e.mentions}{mark}")
                click.echo(textwrap.indent(textwrap.fill(e.canonical_text, TEXT_WIDTH), "      "))
                for r in e.reversals:
                    click.echo(f"      reverses {r.other_claim_id} ({r.contradiction_id})")
            if t.truncated:
                click.echo(f"(only the first {limit} entries)", err=True)

    @main.command("story")
    @click.argument("entity")
    @_output_options
    @click.pass_context
    def story(ctx: click.Context, entity: str, fmt: str, as_json: bool, as_csv: bool) -> None:
        """Show the story of ENTITY: its claims across outlets and time, oldest first (as GET /stories).

        Each claim with its first report, restatements, and the claims it updates or contradicts.
        CSV: one row per claim.
        """
        out = _fmt(fmt, as_json, as_csv)
        st = _query(ctx, lambda q: q.story(entity))
        if out == "json":
            _echo_json(st)
            return
        if out == "csv":
            _echo_csv(
                (
                    {
                        **c.model_dump(mode="json", exclude={"first_report", "restatements", "links"}),
                        "first_report_source": c.first_report.source if c.first_report else "",
                        "restated_by": [m.source for m in c.restatements],
                        "links": [f"{x.relation} {x.other_claim_id}" for x in c.links],
                    }
                    for c in st.claims
                ),
                [
                    "id",
                    "first_seen_at",
                    "speaker",
                    "mention_count",
                    "source_count",
                    "outlet_count",
                    "first_report_source",
                    "restated_by",
                    "links",
                    "canonical_text",
                ],
            )
            return
        click.echo(
            f"{', '.join(st.matched)}: {_plural(len(st.claims), 'claim', 'claims')} from "
            f"{_plural(len(st.outlets), 'outlet', 'outlets')}"
            + (f"; speakers: {', '.join(st.speakers)}" if st.speakers else "")
        )
        if st.ingest_order:
            click.echo(
                "  (some articles carry no publication time: their dates are ingest times, in ingest order)"
            )
        for c in st.claims:
            click.echo(f"  {c.id}  {c.speaker or '(reporting)'}  {_counts(c)}")
            click.echo(textwrap.indent(textwrap.fill(c.canonical_text, TEXT_WIDTH), "      "))
            said = [("first report", c.first_report)] if c.first_report else []
            for label, m in said + [("restated", r) for r in c.restatements]:
                click.echo(f"      {label}: {_mention_day(m)} {m.source} {m.article_id}")
            for x in c.links:
                click.echo(
                    f"      {x.relation.replace('_', ' ')} {x.other_claim_id} ({x.kind}): {x.other_text}"
                )
        if st.truncated:
            click.echo("(only the first claims)", err=True)

    @main.command("serve")
    @click.option(
        "--host", envvar=_env("API_HOST"), show_envvar=True, help="Address to bind.  [default: 127.0.0.1]"
    )
    @click.option(
        "--port",
        type=click.IntRange(1, 65535),
        envvar=_env("API_PORT"),
        show_envvar=True,
        help="Port to listen on.  [default: 6067]",
    )
    @click.option(
        "--migrate/--no-migrate",
        default=True,
        show_default=True,
        envvar=_env("SERVE_MIGRATE"),
        show_envvar=True,
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
            apply_migrations(settings.database_dsn())
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


# More concurrent connections than this get 503 from uvicorn instead of queueing without bound;
# each request needs a pooled database connection anyway (4 per process).
SERVE_CONCURRENCY = 100
