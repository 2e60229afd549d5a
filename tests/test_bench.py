"""The bench runs end to end on a tiny corpus and writes its reports (files and structure, never timing)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

# A cold embedded broker, one worker started three times, and a small store seeded: a minute on CI.
BENCH_TIMEOUT_S = 280


@pytest.mark.timeout(BENCH_TIMEOUT_S + 20)
def test_bench_writes_reports(tmp_path: Path, pg_server_url: str) -> None:
    out = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTSTREAM_")}
    env.update(
        FACTSTREAM_STATE_DIR=str(tmp_path / "state"),
        FACTSTREAM_DATABASE_URL=pg_server_url,
        FACTSTREAM_BENCH_LATENCY_SECONDS="2",
    )
    proc = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench",
            "--synthetic",
            "12",
            "--sizes",
            "300,600",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=BENCH_TIMEOUT_S,
    )
    assert proc.returncode == 0, proc.stdout.decode()[-3000:] + proc.stderr.decode()[-3000:]

    report = json.loads((out / "report.json").read_text())
    assert report["articles"] == 12
    assert [s["stage"] for s in report["stages"]] == ["extract", "dedup", "contradict"]
    assert [s["tracked_claims"] for s in report["store_size"]] == [300, 600]
    assert set(report["e2e"]) == {"max_1_worker", "half_max_1_worker"}
    for run in report["e2e"].values():
        assert run["finished"] and run["articles_done"] == run["articles_sent"]
        assert run["processes"]["worker0"]["peak_rss_mb"] > 0
        assert set(run["latency"]["ingest_to_contradiction_checked"]) >= {"p50_ms", "p95_ms", "p99_ms"}
    assert {t["target"].split(" ")[0] for t in report["targets"]} >= {"e2e", "ingest_to_stored_claim", "each"}

    markdown = (out / "report.md").read_text()
    for heading in (
        "## Targets",
        "## Stages in-process",
        "## End to end",
        "## Per-claim cost against store size",
    ):
        assert heading in markdown
    if importlib.util.find_spec("matplotlib") is not None:
        assert sorted(report["charts"]) == ["latency.png", "store_size.png", "throughput.png"]
        for chart in report["charts"]:
            assert (out / chart).read_bytes()[:4] == b"\x89PNG"
            assert f"]({chart})" in markdown
