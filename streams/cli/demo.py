"""`factstream demo`: everything started, the sample articles ingested, claims and contradictions printed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import click

from factstream.cli.base import Context, dsn, env, fail, pass_ctx, run_async
from factstream.cli.queries import (
    claim_json,
    print_claims,
    print_contradictions,
    tracked_claims,
    tracked_contradictions,
)
from factstream.errors import FactstreamError
from factstream.ports import free_port
from factstream.settings import Settings

# How long `demo` waits for the worker to process its handful of sample articles.
DEMO_TIMEOUT_S = 180.0
# How long a stopping worker may take to flush and commit before it is killed.
WORKER_STOP_TIMEOUT_S = 60.0


def sample_paths() -> list[Path]:
    """The project's own sample articles (written by the factstream team)."""
    folder = resources.files("factstream").joinpath("samples")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".json"))


@click.command()
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
        migrate(dsn(settings))
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

        states = run_async(wait_for(settings, ids, DEMO_TIMEOUT_S, worker_alive))
        pending = [i for i, s in states.items() if s.state == "pending"]
        if pending:
            fail(f"{len(pending)} sample article(s) not processed within {DEMO_TIMEOUT_S:.0f}s; "
                  f"see the worker log in {settings.state_dir / 'demo-worker.log'}")
        say(f"processed in {time.monotonic() - started:.1f}s\n")
        found = run_async(tracked_claims(settings, limit=1000, article_ids=ids))
        contras, by_id = run_async(tracked_contradictions(settings, limit=1000, article_ids=ids))
        if as_json:
            click.echo(json.dumps({
                "claims": [claim_json(c) for c in found],
                "contradictions": [
                    {**c.model_dump(mode="json", exclude={"schema_version"}),
                     "claim_a": claim_json(by_id[c.claim_a_id]) if c.claim_a_id in by_id else None,
                     "claim_b": claim_json(by_id[c.claim_b_id]) if c.claim_b_id in by_id else None}
                    for c in contras
                ],
            }, indent=2, ensure_ascii=False))
        else:
            click.echo(f"== {len(found)} tracked claims ==")
            print_claims(found, as_json=False)
            click.echo(f"\n== {len(contras)} contradictions ==")
            print_contradictions(contras, by_id, as_json=False)
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
    environ = dict(os.environ)
    environ[env("STATE_DIR")] = str(settings.state_dir)
    # The demo's worker needs no fixed web port; a free one avoids clashing with a running worker.
    environ[env("WEB_PORT")] = str(free_port())
    cmd = [sys.executable, "-m", "factstream", "--log-level", settings.log_level, "run", "--no-migrate"]
    return subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=environ)  # noqa: S603


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
