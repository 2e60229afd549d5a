"""The bench's reports: JSON (every figure), Markdown (figures against the targets) and PNG charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The targets of issue 9 (docs/performance.md explains each).
TARGET_E2E_ARTICLES_PER_S = 200.0
TARGET_E2E_FRACTION_OF_SLOWEST = 0.5
TARGET_P99_MS = 1000.0
TARGET_COST_RATIO = 1.5
TARGET_WORKER_RSS_MB = 1024.0


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured figure and whether it is met (None when not measured)."""
    out = []
    one = report.get("e2e", {}).get("max_1_worker") or {}
    best = max(
        (
            r.get("sustained_articles_per_s") or 0
            for r in report.get("e2e", {}).values()
            if isinstance(r, dict) and r.get("target_rate") is None
        ),
        default=None,
    )
    out.append(
        {
            "target": f"e2e sustained >= {TARGET_E2E_ARTICLES_PER_S:.0f} articles/s",
            "measured": best,
            "met": None if best is None else best >= TARGET_E2E_ARTICLES_PER_S,
        }
    )
    stages = report.get("stages") or []
    slowest = min(
        (s for s in stages if s.get("articles_per_s")), key=lambda s: s["articles_per_s"], default=None
    )
    if slowest and one.get("sustained_articles_per_s"):
        frac = one["sustained_articles_per_s"] / slowest["articles_per_s"]
        out.append(
            {
                "target": f"e2e (1 worker) >= {TARGET_E2E_FRACTION_OF_SLOWEST:.0%} of slowest stage "
                f"({slowest['stage']}, {slowest['articles_per_s']} articles/s)",
                "measured": round(frac, 3),
                "met": frac >= TARGET_E2E_FRACTION_OF_SLOWEST,
            }
        )
    lat = (report.get("e2e", {}).get("half_max_1_worker") or {}).get("latency") or {}
    for name in ("ingest_to_stored_claim", "ingest_to_contradiction_checked"):
        p99 = (lat.get(name) or {}).get("p99_ms")
        out.append(
            {
                "target": f"{name} p99 < {TARGET_P99_MS:.0f} ms at half max",
                "measured": p99,
                "met": None if p99 is None else p99 < TARGET_P99_MS,
            }
        )
    sizes = {s["tracked_claims"]: s for s in report.get("store_size") or []}
    if sizes:
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        ratio = large["per_claim_ms"] / small["per_claim_ms"] if small["per_claim_ms"] else None
        out.append(
            {
                "target": f"cost at {max(sizes):,} <= {TARGET_COST_RATIO}x cost at {min(sizes):,}",
                "measured": None if ratio is None else round(ratio, 2),
                "met": None if ratio is None or max(sizes) == min(sizes) else ratio <= TARGET_COST_RATIO,
            }
        )
    peaks = [
        p["peak_rss_mb"]
        for r in report.get("e2e", {}).values()
        if isinstance(r, dict)
        for k, p in (r.get("processes") or {}).items()
        if k.startswith("worker") and p
    ]
    if peaks:
        out.append(
            {
                "target": f"each worker peak RSS < {TARGET_WORKER_RSS_MB:.0f} MB",
                "measured": max(peaks),
                "met": max(peaks) < TARGET_WORKER_RSS_MB,
            }
        )
    return out


def charts(report: dict[str, Any], out_dir: Path) -> list[str]:
    """Draw the charts that have data; return their file names. Needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    made = []
    runs = {k: v for k, v in (report.get("e2e") or {}).items() if isinstance(v, dict) and v.get("timeline")}
    if runs:
        fig, ax = plt.subplots(figsize=(8, 4))
        for name, run in runs.items():
            tl = run["timeline"]
            counts = [p["articles"] for p in tl]
            # 5-second moving average: one-second bins jump with every batch commit.
            smooth = [
                sum(counts[max(0, i - 4) : i + 1]) / len(counts[max(0, i - 4) : i + 1])
                for i in range(len(counts))
            ]
            ax.plot([p["t"] for p in tl], smooth, label=name)
        ax.axhline(TARGET_E2E_ARTICLES_PER_S, color="grey", linestyle="--", label="target")
        ax.set(
            xlabel="seconds since first article sent",
            ylabel="articles completed / s (5 s mean)",
            title="End-to-end throughput over time (checked in PostgreSQL)",
        )
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_dir / "throughput.png", dpi=100)
        plt.close(fig)
        made.append("throughput.png")
    half = (report.get("e2e") or {}).get("half_max_1_worker") or {}
    samples = half.get("latency_samples_s") or {}
    if samples.get("checked"):
        fig, ax = plt.subplots(figsize=(8, 4))
        for name, values in (
            ("ingest -> stored claim", samples.get("stored") or []),
            ("ingest -> contradiction checked", samples["checked"]),
        ):
            ms = sorted(1000 * v for v in values)
            ax.plot(ms, [i / len(ms) for i in range(len(ms))], label=name)
        ax.axvline(TARGET_P99_MS, color="grey", linestyle="--", label="p99 target")
        ax.set(
            xscale="log",
            xlabel="latency (ms, log)",
            ylabel="fraction of claims",
            title=f"Latency at {half.get('target_rate')} articles/s (half of max)",
        )
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_dir / "latency.png", dpi=100)
        plt.close(fig)
        made.append("latency.png")
    sizes = report.get("store_size") or []
    if sizes:
        fig, ax = plt.subplots(figsize=(8, 4))
        xs = [s["tracked_claims"] for s in sizes]
        for key, label in (
            ("per_claim_ms", "dedup + contradict"),
            ("dedup_ms", "dedup"),
            ("contradict_ms", "contradict"),
            ("python_cpu_ms", "Python CPU (both)"),
        ):
            ax.plot(xs, [s[key] for s in sizes], marker="o", label=label)
        ax.set(
            xscale="log",
            xlabel="tracked claims stored",
            ylabel="ms per claim",
            title="Per-claim cost against store size",
        )
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_dir / "store_size.png", dpi=100)
        plt.close(fig)
        made.append("store_size.png")
    return made


def _fmt(value: Any) -> str:
    return "-" if value is None else (f"{value:,}" if isinstance(value, int | float) else str(value))


def markdown(report: dict[str, Any], images: list[str]) -> str:
    """The human report."""
    lines = [
        f"# factstream bench — {report['started_at']}",
        "",
        f"corpus: `{report['corpus']}` ({report['articles']} articles); broker: {report['broker']}; "
        f"database: {report['database']}; cores: {report['cores']}",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for t in report["targets"]:
        met = {True: "yes", False: "**no**", None: "-"}[t["met"]]
        lines.append(f"| {t['target']} | {_fmt(t['measured'])} | {met} |")
    if report.get("stages"):
        lines += [
            "",
            "## Stages in-process (one core each)",
            "",
            "| stage | articles/s | claims/s | wall s | Python CPU s |",
            "|---|---|---|---|---|",
        ]
        for s in report["stages"]:
            lines.append(
                f"| {s['stage']} | {_fmt(s['articles_per_s'])} | {_fmt(s['claims_per_s'])} | "
                f"{s['wall_s']} | {s['cpu_s']} |"
            )
    e2e = {k: v for k, v in (report.get("e2e") or {}).items() if isinstance(v, dict)}
    if e2e:
        lines += [
            "",
            "## End to end (factstream run workers)",
            "",
            "| run | workers | rate sent | articles | sustained art/s | sustained claims/s | overall art/s | "
            "p50 / p95 / p99 checked ms | worker peak RSS MB | CPU busy, cores (CPU ms per article) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, r in e2e.items():
            lat = (r.get("latency") or {}).get("ingest_to_contradiction_checked") or {}
            procs = r.get("processes") or {}
            rss = ", ".join(_fmt(p["peak_rss_mb"]) for k, p in procs.items() if k.startswith("worker") and p)
            cpu = ", ".join(
                f"{k} {v} ({(r.get('cpu_ms_per_article') or {}).get(k, '-')} ms/article)"
                for k, v in (r.get("cpu_utilisation") or {}).items()
            )
            lines.append(
                f"| {name} | {r['workers']} | {_fmt(r.get('target_rate') or 'max')} | "
                f"{r['articles_done']}/{r['articles_sent']} | {_fmt(r.get('sustained_articles_per_s'))} | "
                f"{_fmt(r.get('sustained_claims_per_s'))} | {_fmt(r.get('overall_articles_per_s'))} | "
                f"{_fmt(lat.get('p50_ms'))} / {_fmt(lat.get('p95_ms'))} / {_fmt(lat.get('p99_ms'))} | "
                f"{rss} | {cpu} |"
            )
        one, two = e2e.get("max_1_worker"), e2e.get("max_2_workers")
        if one and two and one.get("sustained_articles_per_s") and two.get("sustained_articles_per_s"):
            lines += [
                "",
                "Scaling 1 -> 2 workers: "
                f"x{two['sustained_articles_per_s'] / one['sustained_articles_per_s']:.2f}",
            ]
        half = e2e.get("half_max_1_worker")
        if half:
            lines += [
                "",
                "Latency at half of max (1 worker):",
                "",
                "| path | n | p50 ms | p95 ms | p99 ms | max ms |",
                "|---|---|---|---|---|---|",
            ]
            for path, p in (half.get("latency") or {}).items():
                if isinstance(p, dict):
                    lines.append(
                        f"| {path} | {p['n']} | {_fmt(p['p50_ms'])} | {_fmt(p['p95_ms'])} | "
                        f"{_fmt(p['p99_ms'])} | {_fmt(p['max_ms'])} |"
                    )
    if report.get("store_size"):
        lines += [
            "",
            "## Per-claim cost against store size",
            "",
            "| tracked claims | claim_keys rows | seed s | DB MB | dedup ms | contradict ms | total ms/claim "
            "| "
            "Python CPU ms/claim |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for s in report["store_size"]:
            lines.append(
                f"| {s['tracked_claims']:,} | {s['claim_keys']:,} | {s['seed_s']} | {s['db_mb']} | "
                f"{s['dedup_ms']} | {s['contradict_ms']} | {s['per_claim_ms']} | {s['python_cpu_ms']} |"
            )
    if report.get("profile"):
        lines += [
            "",
            "## Profile (py-spy, worker 0 of the 1-worker max run)",
            "",
            f"raw stacks: `{report['profile']['file']}` ({report['profile']['samples']} samples at 100 Hz; "
            "samples are taken only while the worker runs Python, not while it waits)",
            "",
            "| factstream function (inclusive) | share of samples |",
            "|---|---|",
        ]
        for name, share in (report["profile"].get("project") or [])[:30]:
            lines.append(f"| `{name}` | {share:.1%} |")
        lines += ["", "| leaf function (self time) | share of samples |", "|---|---|"]
        for name, share in report["profile"]["self"][:15]:
            lines.append(f"| `{name}` | {share:.1%} |")
    if images:
        lines += ["", "## Charts", ""] + [f"![{i}]({i})" for i in images]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write report.json, report.md and the charts into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report["targets"] = targets(report)
    images = charts(report, out_dir)
    report["charts"] = images
    json_path, md_path = out_dir / "report.json", out_dir / "report.md"
    json_path.write_text(json.dumps(report, indent=2, default=str))
    md_path.write_text(markdown(report, images))
    return json_path, md_path


def merge(paths: list[Path], out_dir: Path) -> tuple[Path, Path]:
    """Combine the parts of several runs' report.json (later files win per part) into one report.

    The reference figures come from separate invocations (the 1M store takes minutes to seed), so
    this writes one report for them: ``python -m factstream.bench.report OUT_DIR RUN1/report.json RUN2/...``.
    """
    merged: dict[str, Any] = {"e2e": {}}
    for path in paths:
        data = json.loads(path.read_text())
        e2e = data.pop("e2e", {}) or {}
        for run in e2e.values():
            if isinstance(run, dict) and "cpu_ms_per_article" not in run and run.get("cpu_during_run_s"):
                done = max(1, run.get("articles_done") or 1)
                cpu = run["cpu_during_run_s"]
                run["cpu_ms_per_article"] = {k: round(1000 * v / done, 1) for k, v in cpu.items()}
        merged["e2e"].update(e2e)
        for key, value in data.items():
            if value or key not in merged:
                merged[key] = value
    merged["merged_from"] = [str(p) for p in paths]
    return write(merged, out_dir)


if __name__ == "__main__":
    import sys

    print(*merge([Path(p) for p in sys.argv[2:]], Path(sys.argv[1])))
