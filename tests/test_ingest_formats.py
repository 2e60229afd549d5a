"""Reading articles for `factstream ingest`: every format, and a clear reason for every bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from factstream.articles import decode_payload, parse_article
from factstream.errors import InvalidRecord
from factstream.ingest import Defaults, expand_paths, read_inputs

LIMIT = 10_000


def _read(tmp_path, name, data: bytes, defaults=None):
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_inputs([path], defaults or Defaults(), LIMIT))


def test_txt_with_title_line_as_in_the_bbc_corpus(tmp_path):
    (item,) = _read(tmp_path, "a.txt", b"Plant to close\n\nThe plant closes in May.\n\nMore text.")
    assert item.article.title == "Plant to close"
    assert item.article.body == "The plant closes in May.\n\nMore text."
    assert item.article.source == "local"


def test_txt_without_title_line_is_all_body(tmp_path):
    body = "First sentence.\nSecond line directly after.\n"
    (item,) = _read(tmp_path, "b.txt", body.encode())
    assert item.article.title == ""
    assert item.article.body == body


def test_json_and_jsonl_with_defaults_for_missing_metadata(tmp_path):
    when = datetime(2025, 9, 5, tzinfo=UTC)
    defaults = Defaults(source="Wire", published_at=when)
    (one,) = _read(tmp_path, "a.json", json.dumps({"body": "Text one."}).encode(), defaults)
    assert one.article.source == "Wire" and one.article.published_at == when
    lines = "\n".join([json.dumps({"source": "A", "body": "x"}), "", "{not json", json.dumps([1])])
    items = _read(tmp_path, "b.jsonl", lines.encode(), defaults)
    assert [i.label.rsplit(":", 1)[1] for i in items] == ["1", "3", "4"]
    assert items[0].article.source == "A"
    assert "not valid JSON" in items[1].error
    assert "JSON object" in items[2].error


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\xff\xfe\x00junk", "not valid UTF-8"),
        (b'{"source": "S"}', "missing body"),
        (b'{"source": "S", "body": ""}', "body"),
        (b'{"source": "S", "body": "   \\n "}', "empty"),
        (b'{"source": "S", "body": "' + b"x" * (LIMIT + 1) + b'"}', "over the limit"),
        (b'{"source": "S", "body": 42}', "body"),
        (b'{"source": "S", "body": "ok", "published_at": "yesterday"}', "published_at"),
        (b"[" * 100_000, "JSON"),
    ],
)
def test_bad_input_says_which_file_and_why(tmp_path, data, reason):
    (item,) = _read(tmp_path, "bad.json", data)
    assert item.article is None
    assert item.label.endswith("bad.json")
    assert reason in item.error


def test_directories_are_read_recursively_and_only_article_files(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.json", "sub/c.jsonl", "notes.md", "sub/image.png"):
        (tmp_path / name).write_text("{}")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([str(tmp_path)])]
    assert found == ["a.txt", "sub/b.json", "sub/c.jsonl"]
    assert expand_paths(["-"]) == ["-"]


def test_unreadable_file_is_reported_not_raised(tmp_path):
    (item,) = list(read_inputs([tmp_path / "missing.txt"], Defaults(), LIMIT))
    assert "cannot read" in item.error


@pytest.mark.parametrize(
    "payload, reason",
    [
        (b"\xc3\x28", "not valid UTF-8"),
        (b"{", "not valid JSON"),
        (b'"a string"', "JSON object"),
        (b'{"source": "S", "body": "a\\u0000b"}', "NUL"),
        (b'{"source": "S", "body": "ok", "extra": 1}', "extra"),
    ],
)
def test_raw_topic_payloads_fail_with_invalid_record(payload, reason):
    with pytest.raises(InvalidRecord, match=reason):
        parse_article(payload, LIMIT)


def test_payloads_are_kept_verbatim_or_as_base64():
    assert decode_payload(b'{"a": 1}') == ('{"a": 1}', "utf-8")
    assert decode_payload(b"\xff") == ("/w==", "base64")
    assert decode_payload(b"a\x00b")[1] == "base64"


def test_files_in_a_legacy_encoding_are_decoded_and_say_which_encoding():
    """Every BBC file that is not UTF-8 is read (not rejected), its encoding named and round-tripping."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "bbc"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    legacy = []
    for path in sorted(corpus.rglob("*.txt")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append((path, data))
    assert legacy, "the corpus has no file in a legacy encoding any more"
    for path, data in legacy:
        (item,) = read_inputs([path], Defaults(), 1_000_000)
        assert item.article is not None, item.error
        assert item.encoding is not None
        assert item.article.body in data.decode(item.encoding)
        assert "\N{POUND SIGN}" in data.decode(item.encoding) or b"\xa3" not in data


def test_an_empty_published_at_is_no_date_as_on_the_api():
    from datetime import UTC, datetime

    from factstream.ingest import Defaults

    now = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    out = Defaults(ingested_at=now).apply({"source": "G", "body": "x", "published_at": ""})
    assert out["published_at"] == now.isoformat() and out["date_source"] == "ingested"
    assert "published_at" not in Defaults().apply({"source": "G", "body": "x", "published_at": ""})
