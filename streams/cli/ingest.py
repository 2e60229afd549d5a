"""`factstream ingest`: files, directories and stdin onto the articles topic, optionally waiting for them."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

from factstream.cli.base import DATE_FORMATS, Context, aware, fail, option, pass_ctx, run_async
from factstream.errors import FactstreamError

# `--wait` gives up after this long by default: generous for a laptop ingesting a corpus.
DEFAULT_WAIT_TIMEOUT_S = 600.0

# What --published-at accepts, on ingest and extract alike: the formats of every CLI date option.
PUBLISHED_AT_FORMATS = DATE_FORMATS



@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--wait", is_flag=True, help="Return once every sent article is stored or dead-lettered.")
@option("--timeout", type=float, default=DEFAULT_WAIT_TIMEOUT_S, show_default=True,
              env_name="INGEST_TIMEOUT", help="Seconds --wait waits at most.")
@option("--source", default="local", show_default=True, env_name="INGEST_SOURCE",
              help="Outlet for articles that do not name one (e.g. .txt files).")
@option("--published-at", type=click.DateTime(PUBLISHED_AT_FORMATS),
              env_name="INGEST_PUBLISHED_AT",
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
    defaults = Defaults(source=source, published_at=aware(published_at), ingested_at=utcnow())
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
        fail(str(exc))
    summary: dict[str, Any] = {"sent": len(sent), "rejected": len(rejected), "duplicates_skipped": duplicates}
    if decoded:
        summary["decoded_from"] = decoded
    if wait and sent:
        with click.progressbar(length=len(sent), label="processing", file=sys.stderr) as wait_bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                wait_bar.update(done - last[0])
                last[0] = done

            states = run_async(wait_for(settings, list(sent), timeout, progress))
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
        fail(f"{summary['pending']} article(s) were not processed within {timeout:.0f}s")
    if rejected:
        sys.exit(2)

