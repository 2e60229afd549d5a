"""End to end: real ``factstream run`` workers, a producer, and the rows PostgreSQL committed.

Each article is sent with ``fetched_at`` set to the moment it is sent, and the store stamps
``stored_at`` on every mention and ``checked_at`` when contradiction detection committed it; so
throughput and latency come from the database's own commit timestamps (one host clock), not from
sampling. The database is polled only to know when the run is over and to sample memory.
"""

from __future__ import annotations

import os
import re
import statistics
import time
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from factstream.bench.corpus import synthetic_articles
from factstream.bench.env import (
    Target,
    Workers,
    descendants,
    postgres_pid,
    proc_stats,
    services_host_pid,
    tree_cpu_s,
)
from factstream.ingest import ArticleProducer
from factstream.schemas.records import Article

# Articles sent before measuring so that every worker has joined its groups and warmed up.
WARMUP_SOURCE = "bench-warmup"
WARMUP_ARTICLES = 8
# Warm-up rounds at most, until every worker has consumed articles (a worker holding 2 of the 4
# article partitions misses all 8 of a round with probability 1/128).
WARMUP_MAX_ROUNDS = 10
# How often the database and the processes are sampled while a run goes on.
POLL_S = 0.5
# Completion percentiles between which throughput counts as sustained (start-up and tail left out).
SUSTAINED_WINDOW = (0.1, 0.9)
# A run whose rows stop changing for this long has stalled (a worker lost its partitions, say).
STALL_S = 60.0

_PROGRESS_SQL = """
SELECT (SELECT count(*) FROM articles WHERE source <> %(w)s) AS articles,
       (SELECT coalesce(sum(claim_count), 0) FROM articles WHERE source <> %(w)s) AS expected,
       (SELECT count(*) FROM claim_mentions WHERE source <> %(w)s) AS stored,
       (SELECT count(*) FROM claim_mentions WHERE source <> %(w)s AND checked_at IS NOT NULL) AS checked,
       (SELECT count(*) FROM dead_letters WHERE stage IN ('dedup', 'contradict')) AS dead_claims,
       (SELECT count(*) FROM dead_letters WHERE stage NOT IN ('dedup', 'contradict')) AS dead_articles
"""


def machine_cpu_s() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine so far, all cores (Linux /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    ticks = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + irq + softirq + steal
    return busy / ticks, (busy + idle + iowait) / ticks


def worker_articles_consumed(pid: int) -> int | None:
    """Articles the worker ``pid`` has consumed, from its /metrics page; None if unreadable."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        port = next(int(e.split(b"=", 1)[1]) for e in environ if e.startswith(b"FACTSTREAM_WEB_PORT="))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as page:  # noqa: S310
            text = page.read().decode()
    except (OSError, StopIteration, ValueError):
        return None
    match = re.search(r'^factstream_records_in_total\{processor="extract"\} ([0-9.e+]+)$', text, re.M)
    return int(float(match.group(1))) if match else 0


def _now() -> datetime:
    return datetime.now(UTC)


def _send(producer: ArticleProducer, article: Article) -> float:
    sent = _now()
    producer.send(article.model_copy(update={"fetched_at": sent}))
    return sent.timestamp()


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in milliseconds of values in seconds."""
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "n": len(ordered),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def _own_cpu_s() -> float:
    """CPU seconds of this process (the producer and the database polling)."""
    times = os.times()
    return times.user + times.system


class Scenario:
    """One run: a scratch database, N workers, a producer; throughput or paced latency."""

    def __init__(
        self,
        target: Target,
        database_url: str,
        workers: int,
        log_dir: Path,
        profile_to: Path | None = None,
        patch: str = "",
    ) -> None:
        self.target = target
        self.url = database_url
        self.pool = Workers(target, database_url, log_dir, profile_to=profile_to, patch=patch)
        self.count = workers
        self.samples: list[dict[str, Any]] = []
        self.warmup: dict[str, Any] = {}
        self.peak: dict[int, dict[str, float]] = {}

    def __enter__(self) -> Scenario:
        self.pool.start(self.count)
        self.producer = ArticleProducer(self.pool.settings(), embedded_broker=self.target.embedded_broker)
        return self

    def __exit__(self, *exc: object) -> None:
        self.producer.close()
        self._sample_processes()
        self.pool.stop()

    def progress(self) -> dict[str, int]:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(_PROGRESS_SQL, {"w": WARMUP_SOURCE}).fetchone()
        assert row is not None  # noqa: S101 - an aggregate always returns a row
        return dict(
            zip(
                ("articles", "expected", "stored", "checked", "dead_claims", "dead_articles"),
                row,
                strict=True,
            )
        )

    def _sample_processes(self) -> dict[str, Any]:
        out = {}
        for n, pid in enumerate(self.pool.python_pids()):
            stats = proc_stats(pid)
            if stats:
                self.peak[n] = stats
                out[f"worker{n}_rss_mb"] = stats["rss_mb"]
        return out

    def warm_up(self, timeout: float) -> None:
        """Send small articles until they are checked and every worker has consumed some.

        A worker that consumed articles holds partitions of the group's current generation, so
        the group has settled (a late joiner's rebalance is over) before the measurement starts.
        """
        deadline = time.monotonic() + timeout
        sent = 0
        for round_ in range(1, WARMUP_MAX_ROUNDS + 1):
            seed = int(time.time()) + round_
            for article in synthetic_articles(WARMUP_ARTICLES, seed=seed, source=WARMUP_SOURCE):
                _send(self.producer, article)
            self.producer._producer.flush()
            sent += WARMUP_ARTICLES
            while not self._warm_up_done(sent):
                if not self.pool.alive():
                    raise RuntimeError(f"a worker exited during warm-up:\n{self.pool.logs()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"warm-up not processed within {timeout:.0f}s:\n{self.pool.logs()}")
                time.sleep(POLL_S)
            consumed = [worker_articles_consumed(pid) for pid in self.pool.python_pids()]
            self.warmup = {"rounds": round_, "articles_consumed_by_worker": consumed}
            # None: the worker's metrics could not be read; do not wait on what cannot be seen.
            if self.count == 1 or all(c is None or c > 0 for c in consumed):
                return
        # Reported, not fatal: the run then shows what an unbalanced group does.
        self.warmup["unsettled"] = True

    def _warm_up_done(self, sent: int) -> bool:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                "SELECT count(*), coalesce(sum(claim_count), 0), (SELECT count(*) FROM claim_mentions "
                "WHERE source = %(w)s AND checked_at IS NOT NULL) FROM articles WHERE source = %(w)s",
                {"w": WARMUP_SOURCE},
            ).fetchone()
        return bool(row and row[0] >= sent and row[2] >= row[1])

    def run(self, articles: Sequence[Article], *, rate: float | None, timeout: float) -> dict[str, Any]:
        """Send ``articles`` (as fast as possible, or ``rate`` a second) and wait until all are checked."""
        t0 = time.time()
        start = time.monotonic()
        cpu0 = self._cpu()
        machine0, own0 = machine_cpu_s(), _own_cpu_s()
        for i, article in enumerate(articles):
            if rate:
                delay = start + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                    self._maybe_sample(t0)
            _send(self.producer, article)
        self.producer._producer.flush()
        sent_s = time.time() - t0
        finished = stalled = False
        deadline = time.monotonic() + timeout
        last, last_change = None, time.monotonic()
        while time.monotonic() < deadline:
            p = self._maybe_sample(t0, force=True)
            if (
                p["articles"] + p["dead_articles"] >= len(articles)
                and p["checked"] + p["dead_claims"] >= p["expected"]
            ):
                finished = True
                break
            if p != last:
                last, last_change = p, time.monotonic()
            elif time.monotonic() - last_change > STALL_S:
                stalled = True  # reported, not hidden: the rows so far are analysed as they are
                break
            if not self.pool.alive():
                raise RuntimeError(f"a worker exited:\n{self.pool.logs()}")
            time.sleep(POLL_S)
        cpu1 = self._cpu()
        machine1, own1 = machine_cpu_s(), _own_cpu_s()
        result = self._analyse(t0, len(articles))
        busy = result.get("elapsed_s") or (time.time() - t0)
        result["cpu_during_run_s"] = {k: round(cpu1[k] - cpu0.get(k, 0.0), 2) for k in cpu1}
        result["cpu_utilisation"] = {k: round(v / busy, 2) for k, v in result["cpu_during_run_s"].items()}
        # CPU per article holds under contention from other processes, unlike wall-clock rates.
        done = max(1, result["articles_done"])
        result["cpu_ms_per_article"] = {
            k: round(1000 * v / done, 1) for k, v in result["cpu_during_run_s"].items()
        }
        if machine0 and machine1:
            # The cores are shared: what other processes took is what ours could not have.
            busy, total = machine1[0] - machine0[0], machine1[1] - machine0[1]
            ours = sum(result["cpu_during_run_s"].values()) + (own1 - own0)
            result["machine_cpu_s"] = {
                "capacity": round(total, 2),
                "busy": round(busy, 2),
                "bench_process": round(own1 - own0, 2),
                "others": round(max(0.0, busy - ours), 2),
                "idle": round(total - busy, 2),
            }
        result.update(
            finished=finished,
            stalled=stalled,
            send_s=round(sent_s, 2),
            workers=self.count,
            warmup=self.warmup,
            target_rate=rate,
            processes=self._processes(),
        )
        return result

    _last_sample = 0.0

    def _cpu(self) -> dict[str, float]:
        """CPU seconds so far of each worker, PostgreSQL (all backends) and the services host."""
        out = {f"worker{n}": tree_cpu_s(pid) for n, pid in enumerate(self.pool.python_pids())}
        pg = postgres_pid(self.target.settings)
        if pg:
            out["postgres"] = tree_cpu_s(pg)
        host = services_host_pid(self.target.settings)
        if host:
            out["services_host"] = tree_cpu_s(host)
        return out

    def _maybe_sample(self, t0: float, force: bool = False) -> dict[str, Any]:
        now = time.time()
        if not force and now - self._last_sample < POLL_S:
            return {}
        self._last_sample = now
        p = self.progress()
        self.samples.append({"t": round(now - t0, 2), **p, **self._sample_processes()})
        return p

    def _processes(self) -> dict[str, Any]:
        self._sample_processes()
        out: dict[str, Any] = {f"worker{n}": s for n, s in self.peak.items()}
        host = services_host_pid(self.target.settings)
        if host:
            tree = [host, *descendants(host)]
            stats = [s for s in (proc_stats(p) for p in tree) if s]
            out["services_host"] = proc_stats(host)
            out["services_tree_cpu_s"] = round(sum(s["cpu_s"] for s in stats), 1)
            out["services_tree_peak_rss_mb"] = round(sum(s["peak_rss_mb"] for s in stats), 1)
        return out

    def _analyse(self, t0: float, sent: int) -> dict[str, Any]:
        with psycopg.connect(self.url) as conn:
            arts = conn.execute(
                """
                SELECT extract(epoch FROM a.fetched_at), extract(epoch FROM a.stored_at), a.claim_count,
                       extract(epoch FROM max(m.checked_at)), count(m.checked_at)
                  FROM articles a LEFT JOIN claim_mentions m ON m.article_id = a.id
                 WHERE a.source <> %s GROUP BY a.id
                """,
                (WARMUP_SOURCE,),
            ).fetchall()
            mentions = conn.execute(
                """
                SELECT extract(epoch FROM m.stored_at - a.fetched_at),
                       extract(epoch FROM m.checked_at - a.fetched_at),
                       extract(epoch FROM m.checked_at)
                  FROM claim_mentions m JOIN articles a ON a.id = m.article_id
                 WHERE a.source <> %s
                """,
                (WARMUP_SOURCE,),
            ).fetchall()
            counts = {
                t: _one(conn.execute(f"SELECT count(*) FROM {t}").fetchone())  # noqa: S608
                for t in ("articles", "claims", "claim_mentions", "contradictions", "dead_letters")
            }
        done_at = sorted(
            float(checked) if claims and n_checked >= claims else float(stored)
            for _, stored, claims, checked, n_checked in arts
            if not claims or (checked is not None and n_checked >= claims)
        )
        checked_at = sorted(float(m[2]) for m in mentions if m[2] is not None)
        out: dict[str, Any] = {
            "articles_sent": sent,
            "articles_done": len(done_at),
            "claims_checked": len(checked_at),
            "rows": counts,
        }
        if len(done_at) >= 2:
            lo, hi = (done_at[int(q * (len(done_at) - 1))] for q in SUSTAINED_WINDOW)
            window_n = int(SUSTAINED_WINDOW[1] * (len(done_at) - 1)) - int(
                SUSTAINED_WINDOW[0] * (len(done_at) - 1)
            )
            c_lo, c_hi = (checked_at[int(q * (len(checked_at) - 1))] for q in SUSTAINED_WINDOW)
            c_n = int(SUSTAINED_WINDOW[1] * (len(checked_at) - 1)) - int(
                SUSTAINED_WINDOW[0] * (len(checked_at) - 1)
            )
            total = done_at[-1] - t0
            out.update(
                sustained_articles_per_s=round(window_n / (hi - lo), 2) if hi > lo else None,
                sustained_claims_per_s=round(c_n / (c_hi - c_lo), 1) if c_hi > c_lo else None,
                overall_articles_per_s=round(len(done_at) / total, 2),
                overall_claims_per_s=round(len(checked_at) / total, 1),
                elapsed_s=round(total, 2),
            )
        out["timeline"] = _per_second(done_at, checked_at, t0)
        stored_lat = [float(m[0]) for m in mentions if m[0] is not None]
        checked_lat = [float(m[1]) for m in mentions if m[1] is not None]
        article_lat = [
            float(c) - float(f) for f, _, claims, c, n in arts if claims and c is not None and n >= claims
        ]
        out["latency"] = {
            "ingest_to_stored_claim": percentiles(stored_lat),
            "ingest_to_contradiction_checked": percentiles(checked_lat),
            "ingest_to_article_done": percentiles(article_lat),
            "mean_checked_ms": round(1000 * statistics.fmean(checked_lat), 1) if checked_lat else None,
        }
        out["latency_samples_s"] = {"stored": stored_lat, "checked": checked_lat}
        return out


def _per_second(done_at: Sequence[float], checked_at: Sequence[float], t0: float) -> list[dict[str, float]]:
    if not done_at:
        return []
    span = int(max(done_at[-1], checked_at[-1] if checked_at else 0) - t0) + 1
    arts, claims = [0] * span, [0] * span
    for t in done_at:
        arts[max(0, int(t - t0))] += 1
    for t in checked_at:
        claims[max(0, int(t - t0))] += 1
    return [{"t": s, "articles": arts[s], "claims": claims[s]} for s in range(span)]


def run_scenario(
    target: Target,
    articles: Sequence[Article],
    *,
    workers: int,
    rate: float | None,
    timeout: float,
    log_dir: Path,
    profile_to: Path | None = None,
    patch: str = "",
) -> dict[str, Any]:
    """One scenario in a scratch database of its own."""
    label = f"{'rate' if rate else 'max'}{workers}w"
    with (
        target.scratch_db(label) as url,
        Scenario(target, url, workers, log_dir, profile_to, patch) as scenario,
    ):
        scenario.warm_up(timeout=180)
        result = scenario.run(articles, rate=rate, timeout=timeout)
        result["samples"] = scenario.samples
        return result


def _one(row: tuple[Any, ...] | None) -> Any:
    """The single value of a one-row, one-column result."""
    assert row is not None  # noqa: S101 - count(*) always returns a row
    return row[0]
