"""`factstream deadletters list|replay`: see what the pipeline rejected, and hand it back once fixed.

A dead letter keeps the original payload, the stage that rejected it and why. ``replay``
re-sends payloads as they were (base64 ones decoded back to their bytes) to the topic they
came from, so the stage that failed sees them again; ids are deterministic and every write an
upsert, so replaying a letter whose record was stored meanwhile changes nothing. Replayed
letters keep their row and are marked (``replayed_at``, ``replay_count``, migration 0003).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import click

from factstream.api.commands import DATE_FORMATS, reading_settings, start_option
from factstream.settings import Settings
from factstream.topics import topic_name

# Where a letter goes back to when it does not name its topic (letters built outside a worker).
_STAGE_TOPICS = {"extract": "articles", "dedup": "claims", "contradict": "tracked"}

# Reasons are printed cut to this many characters in the table; --json has them whole.
_TABLE_REASON_CHARS = 100

_COLUMNS = (
    'id, stage, reason, error_type, payload, payload_encoding, key, topic, partition, "offset", '
    "received_at, replayed_at, replay_count, payload_truncated"
)


def _env(name: str) -> str:
    return f"FACTSTREAM_DEADLETTERS_{name}"


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def fetch_letters(
    dsn: str,
    *,
    stage: str | None = None,
    since: datetime | None = None,
    ids: tuple[str, ...] = (),
    only_unreplayed: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Dead letters matching the filters, oldest first, as dicts."""
    import psycopg
    from psycopg.rows import dict_row

    where: list[str] = ["true"]
    params: list[Any] = []
    if stage:
        where.append("stage = %s")
        params.append(stage)
    if since is not None:
        where.append("received_at >= %s")
        params.append(since)
    if ids:
        where.append("id = ANY(%s)")
        params.append(list(ids))
    if only_unreplayed:
        where.append("replayed_at IS NULL")
    sql = f"SELECT {_COLUMNS} FROM dead_letters WHERE {' AND '.join(where)} ORDER BY received_at, id"  # noqa: S608
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        try:
            return list(conn.execute(sql.encode(), params).fetchall())
        except psycopg.errors.UndefinedColumn as exc:
            raise click.ClickException(
                "the dead_letters table is older than this factstream; run `factstream db migrate` first"
            ) from exc


def original_payload(letter: dict[str, Any]) -> bytes:
    """The bytes the stage received: base64 letters decoded back, text ones as UTF-8."""
    if letter["payload_encoding"] == "base64":
        return base64.b64decode(letter["payload"])
    return str(letter["payload"]).encode("utf-8")


def target_topic(settings: Settings, letter: dict[str, Any]) -> str | None:
    """The topic a letter goes back to, or None when replaying it cannot help.

    A letter of the dead-letter sink itself (a record on the dead-letter topic that did not
    parse) has no stage to go back to: sending it to the dead-letter topic would only store it again.
    """
    sink = topic_name(settings, "deadletters")
    if letter["topic"] and letter["topic"] != sink:
        return str(letter["topic"])
    if letter["topic"] == sink:
        return None
    logical = _STAGE_TOPICS.get(letter["stage"])
    return topic_name(settings, logical) if logical else None


def _mark_replayed(dsn: str, ids: list[str]) -> None:
    import psycopg

    with psycopg.connect(dsn) as conn:
        conn.execute(
            "UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = ANY(%s)",
            (ids,),
        )


def _send(producer: Any, settings: Settings, topic: str, key: bytes | None, value: bytes) -> None:
    """Queue one payload on ``topic`` with the ingest producer (its acks and error checks)."""
    producer.send_raw(key, value, topic=topic)


def _as_json(letter: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in letter.items()}


@click.group("deadletters")
def deadletters() -> None:
    """Records the pipeline could not process: list them, replay them once the cause is fixed."""


@deadletters.command("list")
@click.option(
    "--stage",
    envvar=_env("STAGE"),
    show_envvar=True,
    help="Only letters of this stage (extract, dedup, contradict, a plug-in's name, deadletters).",
)
@click.option(
    "--since",
    type=click.DateTime(DATE_FORMATS),
    envvar=_env("SINCE"),
    show_envvar=True,
    help="Only letters received at or after this time (UTC when no offset is given).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=100,
    show_default=True,
    envvar=_env("LIMIT"),
    show_envvar=True,
    help="Letters at most, oldest first.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    envvar=_env("JSON"),
    show_envvar=True,
    help="JSON (with the payloads) instead of a table.",
)
@start_option
@click.pass_obj
def list_command(obj: Any, stage: str | None, since: datetime | None, limit: int, as_json: bool) -> None:
    """List dead letters: id, stage, when, how often replayed, key and reason."""
    settings = reading_settings()
    letters = fetch_letters(settings.database_dsn(), stage=stage, since=_utc(since), limit=limit)
    if as_json:
        click.echo(json.dumps([_as_json(d) for d in letters], indent=2, ensure_ascii=False))
        return
    if not letters:
        click.echo("no dead letters")
        return
    for d in letters:
        reason = (
            d["reason"]
            if len(d["reason"]) <= _TABLE_REASON_CHARS
            else d["reason"][: _TABLE_REASON_CHARS - 1] + "…"
        )
        replayed = f"replayed={d['replay_count']}" if d["replay_count"] else "not replayed"
        when = f"{d['received_at']:%Y-%m-%d %H:%M:%S}"
        click.echo(f"{d['id']}  {d['stage']}  {when}  {replayed}  key={d['key'] or '-'}")
        click.echo(f"    {reason}")


@deadletters.command("replay")
@click.option("--stage", envvar=_env("STAGE"), show_envvar=True, help="Only letters of this stage.")
@click.option(
    "--id",
    "ids",
    multiple=True,
    envvar=_env("IDS"),
    show_envvar=True,
    help="Replay this letter (repeatable; the variable takes ids separated by spaces).",
)
@click.option(
    "--all",
    "replay_all",
    is_flag=True,
    envvar=_env("ALL"),
    show_envvar=True,
    help="Replay every letter not replayed yet (of --stage, when given).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    envvar=_env("DRY_RUN"),
    show_envvar=True,
    help="Show what would be re-sent, send nothing.",
)
@click.pass_obj
def replay_command(
    obj: Any, stage: str | None, ids: tuple[str, ...], replay_all: bool, dry_run: bool
) -> None:
    """Re-send dead letters' original payloads to the topics they came from, and mark them replayed.

    Fix the cause first (a processor, a missing row, a setting): a record that fails again
    is dead-lettered again. Replaying a record that was stored meanwhile changes nothing.
    """
    if not ids and not replay_all:
        raise click.UsageError("name letters with --id, or pass --all")
    if ids and replay_all:
        raise click.UsageError("--id and --all exclude each other")
    from factstream.ingest import ArticleProducer

    settings, embedded = obj.resolved()
    dsn = settings.database_dsn()
    letters = fetch_letters(dsn, stage=stage, ids=ids, only_unreplayed=replay_all)
    missing = sorted(set(ids) - {d["id"] for d in letters})
    if missing:
        raise click.ClickException(
            f"no such dead letter{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
        )
    plan: list[tuple[dict[str, Any], str]] = []
    for letter in letters:
        topic = target_topic(settings, letter)
        if topic is None:
            click.echo(
                f"skipped {letter['id']}: a {letter['stage']} letter has no stage to go back to", err=True
            )
            continue
        if letter.get("payload_truncated"):
            click.echo(f"skipped {letter['id']}: only a prefix of its payload was stored", err=True)
            continue
        plan.append((letter, topic))
    if dry_run:
        for letter, topic in plan:
            click.echo(f"would replay {letter['id']} ({letter['stage']}) to {topic}")
        click.echo(f"would replay: {len(plan)}")
        return
    if plan:
        producer = ArticleProducer(settings, embedded_broker=embedded)
        for letter, topic in plan:
            key = letter["key"].encode("utf-8") if letter["key"] else None
            _send(producer, settings, topic, key, original_payload(letter))
        producer.close()  # raises when a send was not acknowledged: nothing is marked then
        _mark_replayed(dsn, [d["id"] for d, _ in plan])
    for letter, topic in plan:
        click.echo(f"replayed {letter['id']} ({letter['stage']}) to {topic}")
    click.echo(f"replayed: {len(plan)}")


def register(main: click.Group) -> None:
    """Add the ``deadletters`` group to the ``factstream`` command."""
    main.add_command(deadletters)
