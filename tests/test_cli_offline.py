"""`factstream extract` and `factstream compare`: the processors without a broker or a database."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _cli(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "factstream", *args], input=input, capture_output=True, timeout=120
    )


def test_extract_prints_one_json_claim_per_line_with_the_documented_fields(fixture_article_path):
    proc = _cli("extract", "--published-at", "2025-09-05", str(fixture_article_path))
    assert proc.returncode == 0, proc.stderr.decode()
    claims = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(claims) >= 7
    body = fixture_article_path.read_text(encoding="utf-8")
    for claim in claims:
        for field in ("article_id", "text", "speaker", "quote", "span", "numbers", "modality", "negated"):
            assert field in claim
        start, end = claim["span"]
        assert 0 <= start < end <= len(body)
        if claim["quote"]:
            assert claim["quote"] in body
    speakers = {c["speaker"] for c in claims}
    expected = {"Vladimir Putin", "Emmanuel Macron", "Volodymyr Zelensky", "Donald Trump", "Dmitry Peskov"}
    assert expected <= speakers


def test_extract_reads_stdin_and_reports_bad_input_without_a_traceback():
    ok = _cli("extract", "-", input=b"The mayor said the city will open 3 new parks in June.")
    assert ok.returncode == 0 and ok.stdout.strip()
    bad = _cli("extract", "-", input=b"\xff\xfe")
    assert bad.returncode == 2
    assert b"UTF-8" in bad.stderr and b"Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "pair, relation, kind",
    [
        ({"a": "26 countries pledged to send troops to Ukraine.",
          "b": "Twenty-six countries have pledged to send troops to Ukraine."}, "duplicate", None),
        ({"a": "26 countries pledged to send troops to Ukraine.",
          "b": "24 countries pledged to send troops to Ukraine."}, "contradiction", "numeric"),
        ({"a": "The plant will close in May.", "b": "The plant will not close in May."},
         "contradiction", "negation"),
        ({"a": "26 countries pledged to send troops to Ukraine.",
          "b": "The central bank raised interest rates to 5%."}, "none", None),
    ],
)
def test_compare_answers_for_any_pair(pair, relation, kind):
    proc = _cli("compare", input=(json.dumps(pair) + "\n").encode())
    assert proc.returncode == 0, proc.stderr.decode()
    verdict = json.loads(proc.stdout)
    assert verdict["relation"] == relation
    assert verdict["kind"] == kind
    assert 0.0 <= verdict["score"] <= 1.0


def test_compare_accepts_claim_objects_and_rejects_bad_lines():
    pair = {"a": {"text": "Will probably send air power.", "speaker": "Donald Trump",
                  "published_at": "2025-09-01T00:00:00+00:00"},
            "b": {"text": "Will send air power.", "speaker": "Donald Trump",
                  "published_at": "2025-09-20T00:00:00+00:00"}}
    proc = _cli("compare", input=(json.dumps(pair) + "\n").encode())
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["relation"] != "contradiction"  # a hedge later confirmed is an update
    bad = _cli("compare", input=b'{"a": 1}\n')
    assert bad.returncode != 0 and b"line 1" in bad.stderr and b"Traceback" not in bad.stderr


def test_read_commands_refuse_to_start_services_and_stop_says_what_it_did(tmp_path, monkeypatch):
    """Without a database and with no embedded services running, `timeline` refuses (--start allows)."""
    from click.testing import CliRunner

    from factstream.cli import main

    monkeypatch.delenv("FACTSTREAM_DATABASE_URL", raising=False)
    monkeypatch.delenv("FACTSTREAM_START_SERVICES", raising=False)
    state = ["--state-dir", str(tmp_path / "state")]
    reads = (["timeline", "tony blair"], ["claims", "search", "jobs"], ["speakers"], ["claims", "list"],
             ["deadletters", "list"], ["story", "Northfield Steel"])
    for command in reads:
        result = CliRunner().invoke(main, [*state, *command])
        assert result.exit_code == 1, result.output
        assert "no embedded services run" in result.output and "--start" in result.output
    assert not (tmp_path / "state").exists() or not any((tmp_path / "state").iterdir())  # nothing started
    result = CliRunner().invoke(main, [*state, "services", "stop"])
    assert result.exit_code == 0 and "nothing to stop" in result.output
