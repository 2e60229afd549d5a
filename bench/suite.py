"""The suite behind ``factstream bench`` / ``python -m factstream.bench``: runs the parts, writes reports.

Parts, each optional: ``stages`` (each stage's own rate in-process), ``e2e`` (real workers at full
speed with 1 and 2 workers, then a paced run at half the 1-worker maximum for latency), ``store``
(per-claim cost against seeded stores of the given sizes). See docs/performance.md.
"""

from __future__ import annotations

import asyncio
import os
import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factstream.bench import report as reports
from factstream.bench.corpus import load_corpus, synthetic_articles
from factstream.bench.env import Target
from factstream.bench.pipeline import run_scenario
from factstream.bench.stages import extract_all, store_stage_rates
from factstream.bench.store_size import cost_by_store_size
from factstream.processors.base import STORE_BATCH
from factstream.settings import Settings

PARTS = ("stages", "e2e", "latency", "store")
# A store-size probe needs held-out articles: this many (or a fifth of a small corpus).
PROBE_ARTICLES = 100


@dataclass
class BenchConfig:
    """What to run and where (the command's options)."""

    corpus: Path | None
    synthetic: int
    limit: int | None
    sizes: list[int]
    workers: list[int]
    latency_seconds: float
    timeout: float
    out: Path
    parts: list[str] = field(default_factory=lambda: list(PARTS))
    profile: bool = False
    seed: int = 0
    patch: str = ""


def _say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def run(config: BenchConfig, settings: Settings) -> tuple[Path, Path]:
    """Run the suite against ``settings`` (embedded services for what is unset); return the report paths."""
    from factstream.embedded.services import services_status, stop_services

    config.out.mkdir(parents=True, exist_ok=True)
    was_running = services_status(settings) is not None
    if config.corpus is not None:
        articles = load_corpus(config.corpus, limit=config.limit, seed=config.seed)
        corpus_label = str(config.corpus)
    else:
        articles = synthetic_articles(config.synthetic, seed=config.seed)
        corpus_label = f"synthetic:{config.synthetic}"
    if len(articles) < 10:
        raise ValueError(f"the corpus has {len(articles)} articles; the bench needs at least 10")
    _say(f"{len(articles)} articles from {corpus_label}; starting services")
    target = Target.resolve(settings)
    data: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": corpus_label,
        "articles": len(articles),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "broker": "embedded (librdkafka mock)" if target.embedded_broker else "configured Kafka",
        "database": "configured PostgreSQL" if settings.database_url else "embedded PostgreSQL",
        "store_batch": STORE_BATCH,
        "patch": config.patch or None,
        "config": {k: str(v) for k, v in vars(config).items()},
        "e2e": {},
    }
    try:
        t0 = time.perf_counter()
        claims, extract_rate = extract_all(articles)
        _say(f"extract: {extract_rate['articles_per_s']} articles/s, {extract_rate['claims']} claims")
        if "stages" in config.parts:
            with target.scratch_db("stages") as url:
                data["stages"] = [
                    extract_rate,
                    *asyncio.run(store_stage_rates(url, articles, claims, STORE_BATCH)),
                ]
            for s in data["stages"][1:]:
                _say(f"{s['stage']}: {s['articles_per_s']} articles/s, {s['claims_per_s']} claims/s")
        if "store" in config.parts and config.sizes:
            if config.patch:
                from factstream.bench.patched_worker import apply

                apply(config.patch)
            n_probe = min(PROBE_ARTICLES, len(articles) // 5)
            from factstream.processors import registry

            keys_of = registry.load("dedup").keys
            base = [c for cs in claims[:-n_probe] for c in cs]
            probe = [c for cs in claims[-n_probe:] for c in cs]
            _say(f"store sizes {config.sizes}: base {len(base)} claims, probe {len(probe)} claims")
            data["store_size"] = asyncio.run(
                cost_by_store_size(target, config.sizes, base, articles[-n_probe:], probe, keys_of)
            )
            for s in data["store_size"]:
                _say(
                    f"store {s['tracked_claims']:,}: {s['per_claim_ms']} ms/claim (seeded in {s['seed_s']} s)"
                )
        if "e2e" in config.parts or "latency" in config.parts:
            _e2e(config, target, articles, data)
        data["elapsed_s"] = round(time.perf_counter() - t0, 1)
        if config.profile and (config.out / "worker-profile.txt").exists():
            from factstream.bench.profile import summarise

            data["profile"] = summarise(config.out / "worker-profile.txt")
        return reports.write(data, config.out)
    finally:
        if not was_running:
            stop_services(settings)


def _e2e(config: BenchConfig, target: Target, articles: list[Any], data: dict[str, Any]) -> None:
    logs = config.out / "logs"
    max_one = None
    if "e2e" in config.parts:
        for n in config.workers:
            profile_to = config.out / "worker-profile.txt" if config.profile and n == 1 else None
            name = f"max_{n}_worker{'s' if n > 1 else ''}"
            _say(f"e2e {name}: {len(articles)} articles as fast as possible")
            data["e2e"][name] = run_scenario(
                target,
                articles,
                workers=n,
                rate=None,
                timeout=config.timeout,
                log_dir=logs,
                profile_to=profile_to,
                patch=config.patch,
            )
            r = data["e2e"][name]
            _say(
                f"e2e {name}: sustained {r.get('sustained_articles_per_s')} articles/s "
                f"({r['articles_done']}/{r['articles_sent']} done)"
            )
            if n == 1:
                max_one = r.get("sustained_articles_per_s")
    if "latency" in config.parts:
        if max_one is None:
            _say("latency: measuring the 1-worker maximum first")
            probe = run_scenario(
                target,
                articles,
                workers=1,
                rate=None,
                timeout=config.timeout,
                log_dir=logs,
                patch=config.patch,
            )
            max_one = probe.get("sustained_articles_per_s")
        rate = round(max_one / 2, 2) if max_one else 1.0
        count = max(10, min(len(articles), int(rate * config.latency_seconds)))
        _say(f"e2e half max: {count} articles at {rate} articles/s")
        data["e2e"]["half_max_1_worker"] = run_scenario(
            target,
            articles[:count],
            workers=1,
            rate=rate,
            timeout=config.timeout,
            log_dir=logs,
            patch=config.patch,
        )
        lat = data["e2e"]["half_max_1_worker"]["latency"]["ingest_to_contradiction_checked"]
        _say(f"latency ingest->checked p50 {lat['p50_ms']} p99 {lat['p99_ms']} ms")
