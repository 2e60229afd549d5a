"""The read commands: `claims list|search|show`, `contradictions list`, `speakers`, `timeline`, `story`.

They read through the store's one read model, ``ClaimQueries`` (the HTTP API reads through it
too). Output is a table for people, or ``--json`` / ``--csv`` for programs; every option also
reads a ``FACTSTREAM_*`` variable.
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
import textwrap
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from factstream.cli.base import (
    DATE_FORMATS,
    Context,
    aware,
    dsn,
    option,
    pass_ctx,
    reading_settings,
    run_async,
    start_option,
)
from factstream.processors.matching.quantities import as_written
from factstream.schemas.records import Contradiction, ContradictionKind, TrackedClaim
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

# Width of wrapped claim text in tables.
TEXT_WIDTH = 100
KINDS = ["numeric", "negation", "antonym", "stance_reversal", "conflicting_report"]








def _query(ctx: click.Context, call: Callable[[ClaimQueries], Awaitable[T]]) -> T:
    """Find the database (embedded services only when running, or with --start), run one query."""
    from factstream.errors import InvalidRecord
    from factstream.store.queries import NotFound

    settings = reading_settings()

    async def run() -> T:
        async with ClaimQueries(dsn(settings), max_size=1) as queries:
            return await call(queries)

    try:
        return asyncio.run(run())
    except NotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except InvalidRecord as exc:
        raise click.BadParameter(str(exc)) from exc






def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = start_option(func)
    func = click.option("--csv", "as_csv", is_flag=True, help="CSV (one row per item) instead of a table.")(
        func
    )
    func = click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")(func)
    return option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        env_name="OUTPUT_FORMAT",
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



@click.group()
def claims() -> None:
    """Tracked claims in PostgreSQL."""


@claims.command("list")
@option("--limit", env_name="LIST_LIMIT", type=click.IntRange(1, 10_000), default=50, show_default=True,
        help="Rows at most.")
@option("--speaker", env_name="CLAIMS_SPEAKER",
        help="Only claims whose speaker contains this text.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@start_option
@pass_ctx
def claims_list(ctx: Context, limit: int, speaker: str | None, as_json: bool) -> None:
    """List tracked claims with their mentions, most mentioned first."""
    settings = reading_settings()
    found = run_async(tracked_claims(settings, limit=limit, speaker=speaker))
    print_claims(found, as_json)


@click.group()
def contradictions() -> None:
    """Contradictions between tracked claims."""


async def tracked_claims(settings: Settings, **kwargs: Any) -> list[TrackedClaim]:
    """Tracked claims with all their mentions (``ClaimQueries.tracked_claims``)."""
    async with ClaimQueries(dsn(settings), max_size=1, statement_timeout_ms=None) as queries:
        return await queries.tracked_claims(**kwargs)


async def tracked_contradictions(
    settings: Settings, limit: int, article_ids: Sequence[str] | None = None
) -> tuple[list[Contradiction], dict[str, TrackedClaim]]:
    """Contradictions, newest first, with the tracked claims of those articles by id."""
    async with ClaimQueries(dsn(settings), max_size=1, statement_timeout_ms=None) as queries:
        found = await queries.tracked_contradictions(limit=limit, article_ids=article_ids)
        claims = await queries.tracked_claims(limit=10_000, article_ids=article_ids)
    return found, {c.id: c for c in claims}


def claim_json(claim: TrackedClaim) -> dict[str, Any]:
    """A tracked claim as JSON, without its schema version."""
    return claim.model_dump(mode="json", exclude={"schema_version"})


def print_claims(found: Iterable[TrackedClaim], as_json: bool) -> None:
    """Tracked claims with their mentions: a listing for people, or JSON."""
    found = list(found)
    if as_json:
        click.echo(json.dumps([claim_json(c) for c in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no tracked claims")
        return
    for claim in found:
        # As the claim writes them ("1,200 jobs"), the way contradictions quote them.
        numbers = ", ".join(as_written(q.text or f"{q.value:g}", q.unit, claim.canonical_text)
                            for q in claim.numbers)
        flags = [claim.modality] + (["negated"] if claim.negated else []) + ([numbers] if numbers else [])
        click.echo(f"{claim.id}  {claim.speaker or '(reporting)'}  "
                   f"mentions={claim.mention_count} sources={claim.source_count}  [{'; '.join(flags)}]")
        click.echo(textwrap.indent(textwrap.fill(claim.canonical_text, 100), "    "))
        for m in claim.mentions:
            quote = f' quote="{m.quote}"' if m.quote else ""
            click.echo(f"      - {m.source} {m.article_id} span={list(m.span)} "
                       f"speaker={m.speaker or '-'}{quote}")


def print_contradictions(found: list[Contradiction], by_id: dict[str, TrackedClaim], as_json: bool) -> None:
    """Contradictions with both claims' texts and speakers: a listing for people, or JSON."""
    if as_json:
        out = []
        for c in found:
            item = c.model_dump(mode="json", exclude={"schema_version"})
            for side in ("a", "b"):
                tracked = by_id.get(getattr(c, f"claim_{side}_id"))
                item[f"claim_{side}"] = claim_json(tracked) if tracked else None
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



_limit_option = option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=DEFAULT_LIMIT,
    show_default=True,
    env_name="LIST_LIMIT",
    help="Rows at most.",
)
_offset_option = option(
    "--offset",
    type=click.IntRange(0, MAX_OFFSET),
    default=0,
    show_default=True,
    env_name="LIST_OFFSET",
    help="Rows to skip (paging).",
)

@claims.command("search")
@click.argument("text", required=False, default="")
@option(
    "--speaker",
    env_name="SEARCH_SPEAKER",
    help="Only claims whose speaker contains this (case-insensitive).",
)
@option(
    "--entity",
    env_name="SEARCH_ENTITY",
    help="Only claims about an entity whose name contains this.",
)
@option(
    "--source",
    env_name="SEARCH_SOURCE",
    help="Only claims mentioned by an outlet whose name contains this.",
)
@option(
    "--since",
    type=click.DateTime(DATE_FORMATS),
    env_name="SEARCH_SINCE",
    help="Only claims seen at or after this date/time (UTC without an offset).",
)
@option(
    "--until",
    type=click.DateTime(DATE_FORMATS),
    env_name="SEARCH_UNTIL",
    help="Only claims first seen before this date/time (UTC without an offset).",
)
@_limit_option
@_offset_option
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
            since=aware(since),
            until=aware(until),
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
@option(
    "--kind",
    type=click.Choice(KINDS),
    env_name="CONTRADICTIONS_KIND",
    help="Only this kind.",
)
@option(
    "--since",
    type=click.DateTime(DATE_FORMATS),
    env_name="CONTRADICTIONS_SINCE",
    help="Only those detected at or after this date/time (UTC without an offset).",
)
@option(
    "--status",
    type=click.Choice(["open", "confirmed", "rejected", "all"]),
    default="all",
    show_default=True,
    env_name="CONTRADICTIONS_STATUS",
    help="By standing review; open: not reviewed yet.",
)
@_limit_option
@_offset_option
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
            since=aware(since),
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

@click.command("speakers")
@option(
    "--query",
    "query_text",
    env_name="SPEAKERS_QUERY",
    help="Only speakers whose name contains this (case-insensitive).",
)
@option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=MAX_LIMIT,
    show_default=True,
    env_name="SPEAKERS_LIMIT",
    help="Rows at most.",
)
@_offset_option
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

@click.command("timeline")
@click.argument("speaker")
@option(
    "--limit",
    type=click.IntRange(1, MAX_TIMELINE),
    default=MAX_TIMELINE,
    show_default=True,
    env_name="TIMELINE_LIMIT",
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

@click.command("story")
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
        f"{', '.join(st.matched)}: {_plural(len(st.claims), 'claim', 'claims')} in "
        f"{_plural(st.article_count, 'article', 'articles')} from "
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
