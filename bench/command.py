"""`factstream bench`: throughput, latency, per-stage rates and store-size cost of the pipeline.

This is the suite's command line, so ``factstream bench`` and ``python -m factstream.bench`` take the
same options. The bench is not imported by the CLI: it adds this command through the
``factstream.commands`` entry-point group, as any installed package may (see docs/architecture.md).
Every option also reads a ``FACTSTREAM_BENCH_*`` variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

# The quick default: enough articles for steady state on a laptop in a few minutes.
DEFAULT_LIMIT = 300
# Default store sizes: the quick run; the reference run adds 100000,1000000 (a few minutes to seed).
DEFAULT_SIZES = "10000"
# The reference corpus, next to a source checkout (read in place, never copied).
REFERENCE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"


def _env(name: str) -> str:
    return f"FACTSTREAM_BENCH_{name}"


def _ints(value: str) -> list[int]:
    try:
        return [int(v.replace("_", "")) for v in value.split(",") if v.strip()]
    except ValueError as exc:
        raise click.BadParameter(f"expected comma-separated integers, got {value!r}") from exc


@click.command("bench")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=True, path_type=Path),
    envvar=_env("CORPUS"),
    show_envvar=True,
    help="Articles to replay (a directory or file, read as `factstream ingest` "
    "reads it).  [default: ../shared/corpus/bbc when present, else synthetic]",
)
@click.option(
    "--synthetic",
    type=int,
    default=None,
    envvar=_env("SYNTHETIC"),
    show_envvar=True,
    help="Generate this many synthetic news articles instead of reading a corpus.",
)
@click.option(
    "--limit",
    type=int,
    default=DEFAULT_LIMIT,
    show_default=True,
    envvar=_env("LIMIT"),
    show_envvar=True,
    help="Articles taken from the corpus (spread across it); 0 takes all.",
)
@click.option(
    "--sizes",
    default=DEFAULT_SIZES,
    show_default=True,
    envvar=_env("SIZES"),
    show_envvar=True,
    help="Tracked-claim store sizes for the cost probe, comma-separated (e.g. 10000,100000,1000000).",
)
@click.option(
    "--workers",
    default="1,2",
    show_default=True,
    envvar=_env("WORKERS"),
    show_envvar=True,
    help="Worker counts of the full-speed end-to-end runs, comma-separated.",
)
@click.option(
    "--latency-seconds",
    type=float,
    default=30.0,
    show_default=True,
    envvar=_env("LATENCY_SECONDS"),
    show_envvar=True,
    help="Length of the paced run at half the 1-worker maximum.",
)
@click.option(
    "--timeout",
    type=float,
    default=900.0,
    show_default=True,
    envvar=_env("TIMEOUT"),
    show_envvar=True,
    help="Longest wait for one end-to-end run to drain, in seconds.",
)
@click.option(
    "--only",
    default="stages,e2e,latency,store",
    show_default=True,
    envvar=_env("ONLY"),
    show_envvar=True,
    help="Parts to run: stages, e2e, latency, store.",
)
@click.option(
    "--profile/--no-profile",
    default=False,
    show_default=True,
    envvar=_env("PROFILE"),
    show_envvar=True,
    help="Run the 1-worker full-speed worker under py-spy and summarise where its time goes.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar=_env("OUT"),
    show_envvar=True,
    help="Directory for report.json, report.md, the PNG charts and worker logs.  "
    "[default: <state dir>/bench/report]",
)
@click.option(
    "--patch",
    default="",
    envvar=_env("PATCH"),
    show_envvar=True,
    help="Prototype patches for the workers (bench/patched_worker.py), e.g. feature_cache=200000; "
    "for measuring proposed changes, never for production figures.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    envvar=_env("SEED"),
    show_envvar=True,
    help="Seed of the corpus subset and the synthetic generator.",
)
@click.pass_context
def bench(
    ctx: click.Context,
    corpus: Path | None,
    synthetic: int | None,
    limit: int,
    sizes: str,
    workers: str,
    latency_seconds: float,
    timeout: float,
    only: str,
    profile: bool,
    out: Path | None,
    seed: int,
    patch: str,
) -> None:
    """Measure the pipeline: end-to-end throughput and latency, each stage's rate, cost by store size.

    Runs against the configured Kafka and PostgreSQL (each scenario in a scratch database and
    topics of its own) or, when unset, embedded services in <state dir>/bench. Writes
    report.json and report.md with charts into --out.
    """
    from factstream.bench.suite import PARTS, BenchConfig, run

    parts = [p.strip() for p in only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise click.BadParameter(f"unknown part(s) {unknown}; choose from {list(PARTS)}", param_hint="--only")
    if corpus is None and synthetic is None:
        corpus = REFERENCE_CORPUS if REFERENCE_CORPUS.is_dir() else None
        synthetic = None if corpus else 500
    settings = _settings(ctx)
    config = BenchConfig(
        corpus=None if synthetic else corpus,
        synthetic=synthetic or 0,
        limit=limit or None,
        sizes=_ints(sizes),
        workers=_ints(workers),
        latency_seconds=latency_seconds,
        timeout=timeout,
        out=out or Path(settings.state_dir) / "report",
        parts=parts,
        profile=profile,
        seed=seed,
        patch=patch,
    )
    json_path, md_path = run(config, settings)
    click.echo(f"wrote {json_path} and {md_path}")


def _settings(ctx: click.Context) -> Any:
    """The CLI's settings (global options included); embedded services kept apart in <state>/bench."""
    from factstream.settings import load_settings

    parent = ctx.find_object(object)
    settings = parent.settings() if hasattr(parent, "settings") else load_settings()
    return settings.model_copy(update={"state_dir": Path(settings.state_dir) / "bench"})
