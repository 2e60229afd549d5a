"""Fuzzing (hypothesis): whatever arrives, the ingest path, every processor and every record type
either work or reject the input with the documented errors (InvalidRecord, pydantic's
ValidationError), never anything else, and within bounded memory.

The property tests run well over 10,000 generated inputs per run (see ``EXAMPLES``); they are
derandomized, so CI sees the same inputs every run and a failure reproduces. The last test sends
a few hundred fuzzed payloads through the live worker and accounts for every one of them.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from factstream.articles import decode_payload, parse_article
from factstream.deadletters import dead_letter
from factstream.errors import InvalidRecord
from factstream.ingest import Defaults, parse_file, read_inputs
from factstream.processors import registry
from factstream.processors.dedup import new_tracked_claim
from factstream.processors.matching import claim_from_text, compare
from factstream.processors.testing import ProcessorHarness
from factstream.schemas.records import (
    RECORD_TYPES,
    Article,
    Claim,
    Contradiction,
    DeadLetter,
    TrackedClaimUpdate,
)

DOCUMENTED = (InvalidRecord, ValidationError)
MAX_BODY = 200_000

# Examples per property. Their sum is the number of generated inputs per run (>= 10,000); each is
# sized so that the whole file stays near a minute on a 2-core CI machine.
EXAMPLES = {
    "payload_bytes": 1500,
    "payload_json": 1500,
    "article_objects": 1200,
    "files": 1000,
    "extract": 1000,
    "huge": 12,
    "dedup": 600,
    "contradict": 600,
    "compare": 1200,
    "records": 300,  # per record type: 6 types
}
assert sum(EXAMPLES.values()) + 5 * EXAMPLES["records"] >= 10_000


def fuzz(name: str) -> Any:
    return settings(
        max_examples=EXAMPLES[name],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# -- strategies ----------------------------------------------------------------------------------

# Characters that break naive text handling: NFKC expansions, combining marks, bidi controls,
# zero-width joiners, line separators, BOM, fullwidth and non-ASCII digits, typographic quotes.
EDGE_CHARS = (
    "\u0301\u0308\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2028\u2029\ufeff\u00a0\u3000"
    "\ufdfa\ufb03\u2163\u00b2\u00bd\uff11\uff12\u0663\u0967"
    "“”„«»‘’‚‹›\"'"
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\U0001f1fa\U0001f1e6"
    "\r\n\t\x0b\x0c\x1f\x7f\x85"
)
edge_char = st.sampled_from(EDGE_CHARS)
surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_char = st.characters(codec=None, exclude_categories=())
char = st.one_of(any_char, edge_char, edge_char, surrogate, st.sampled_from("abc XYZ.,;:!?0123456789"))
any_text = st.text(char, max_size=300)

WORDS = (
    "the minister said",
    "council",
    "will",
    "not",
    "never",
    "hire",
    "close",
    "open",
    "rose",
    "fell",
    "1,200",
    "1,500",
    "26",
    "3.5%",
    "£4.2bn",
    "$300m",
    "about",
    "nearly",
    "may",
    "probably",
    "denied",
    "jobs",
    "troops",
    "countries",
    "schools",
    "on Monday",
    "in May",
    "Jane Doe",
    "Acme Corp",
    "Reuters",
    '"We will',
    'do it,"',
    "told reporters.",
    "according to",
    "percent",
    "million",
    "\n\n",
    ". ",
)
prose = st.lists(st.one_of(st.sampled_from(WORDS), st.text(char, max_size=8)), max_size=80).map(" ".join)
html = st.lists(
    st.one_of(
        st.sampled_from(
            (
                "<p>",
                "</p>",
                "<b>",
                "</b>",
                "<script>alert(1)</script>",
                "<!-- x -->",
                "&amp;",
                "&nbsp;",
                "&#x201c;",
                "<a href='x'>",
                "</a>",
                "<br/>",
                "<![CDATA[",
                "]]>",
                "<<>>",
                "&",
            )
        ),
        prose,
    ),
    max_size=20,
).map("".join)
body_text = st.one_of(prose, html, any_text, st.text(edge_char, min_size=1, max_size=50))

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=15,
)


@st.composite
def deep_json(draw: Any) -> bytes:
    depth = draw(st.integers(1, 200_000))
    opener, closer = draw(st.sampled_from(((b"[", b"]"), (b'{"a":', b"}"), (b'{"body":[', b"]}"))))
    inner = draw(st.sampled_from((b"1", b'"x"', b"", b"null")))
    return opener * depth + inner + closer * draw(st.integers(0, depth))


@st.composite
def article_object(draw: Any) -> Any:
    """Article-shaped objects whose fields may be missing, of the wrong type, or edge-case text."""
    obj: dict[str, Any] = {}
    fields = {
        "source": st.one_of(st.sampled_from(["Harbor Gazette", "Wire", " ", ""]), any_text, json_value),
        "body": st.one_of(body_text, body_text, json_value),
        "title": st.one_of(any_text, json_value),
        "url": st.one_of(st.none(), st.just("https://x.example/1"), any_text, json_value),
        "published_at": st.one_of(
            st.none(),
            st.sampled_from(["2026-03-01T08:00:00+00:00", "2026-03-01", "2026-13-45T99:00:00Z", "yesterday"]),
            st.integers(),
            json_value,
        ),
        "language": st.one_of(st.none(), st.sampled_from(["en", "fr", "xx", ""]), json_value),
        "id": st.one_of(st.just(""), any_text, json_value),
        "schema_version": st.one_of(st.integers(-3, 3), json_value),
        "fetched_at": st.one_of(st.sampled_from(["2026-03-01T08:00:00Z", "2026-03-01T08:00:00"]), json_value),
    }
    for name, strategy in fields.items():
        keep = draw(st.integers(0, 9))
        if name in ("source", "body"):
            keep += 3
        if keep >= 5:
            obj[name] = draw(strategy)
    if draw(st.booleans()) and draw(st.booleans()):
        obj[draw(any_text)] = draw(json_value)
    return obj


def _payload_of(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True).encode("utf-8", "surrogatepass")


payload_bytes = st.one_of(
    st.binary(max_size=500),
    any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    deep_json(),
    st.sampled_from(
        [
            b"",
            b"null",
            b"[]",
            b"{}",
            b"\xef\xbb\xbf{}",
            b'{"body": "x", "source": "S"}\x00',
            b'{"body": "\\u0000", "source": "S"}',
            b'{"body": "\\ud800", "source": "S"}',
            b'{"body": "x", "source": "S", "body": 1}',
            b"NaN",
            b"1e999999",
            b"-" * 10,
        ]
    ),
)


def _check_article(article: Article) -> None:
    assert isinstance(article, Article) and article.id and article.body.strip()


# -- the ingest path ---------------------------------------------------------------------------------


@fuzz("payload_bytes")
@given(payload_bytes)
def test_parse_article_on_arbitrary_bytes_only_rejects_with_invalid_record(payload):
    """Any bytes give a valid article or an InvalidRecord that says why; nothing else escapes."""
    try:
        _check_article(parse_article(payload, MAX_BODY))
    except InvalidRecord as exc:
        assert str(exc), "a rejection must give its reason"


@fuzz("payload_json")
@given(st.one_of(json_value, article_object()), st.booleans())
def test_parse_article_on_arbitrary_json_only_rejects_with_invalid_record(value, ascii_only):
    try:
        _check_article(parse_article(_payload_of(value, ascii_only), MAX_BODY))
    except InvalidRecord as exc:
        assert str(exc), "a rejection must give its reason"


@fuzz("article_objects")
@given(article_object(), st.booleans())
def test_an_accepted_article_survives_the_topic_round_trip(obj, ascii_only):
    """What ingest accepts, the extract agent parses back to the same article (same id)."""
    try:
        article = parse_article(_payload_of(obj, ascii_only), MAX_BODY)
    except InvalidRecord:
        return
    # ingest sends article.model_dump_json(); the worker parses that again.
    try:
        wire = article.model_dump_json().encode("utf-8")
    except (ValueError, UnicodeError) as exc:  # lone surrogates cannot be UTF-8
        pytest.fail(f"an accepted article cannot be serialised for the topic: {type(exc).__name__}: {exc}")
    again = parse_article(wire, MAX_BODY)
    assert again.id == article.id and again.body == article.body


@fuzz("files")
@given(
    st.one_of(
        payload_bytes,
        st.one_of(json_value, article_object()).map(lambda v: _payload_of(v, False)),
        st.lists(st.one_of(json_value, article_object()), max_size=5).map(
            lambda vs: b"\n".join(_payload_of(v, True) for v in vs)
        ),
        body_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    st.sampled_from([".json", ".jsonl", ".txt", ".JSON", ""]),
)
def test_parse_file_reports_every_bad_input_with_a_reason(data, suffix):
    for item in parse_file("f", data, suffix.lower(), Defaults(source="Fuzz"), MAX_BODY):
        assert (item.article is None) != (item.error is None)
        if item.article is not None:
            _check_article(item.article)
        else:
            assert item.error and item.label.startswith("f")


def test_read_inputs_on_files_on_disk(tmp_path: Path):
    rng = random.Random(7)
    files: list[Path | str] = []
    for i in range(60):
        path = tmp_path / f"{i}{rng.choice(['.json', '.jsonl', '.txt'])}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(200))))
        files.append(path)
    files.append(tmp_path / "missing.json")
    items = list(read_inputs(files, Defaults(), MAX_BODY))
    assert len(items) >= len(files) - 5  # empty .jsonl files yield nothing; the rest yield an item or more
    assert any(i.error and "cannot read" in i.error for i in items)


# -- processors ---------------------------------------------------------------------------------------


EXTRACT = registry.load("extract")
EXTRACT.setup()
DEDUP = registry.load("dedup")
CONTRADICT = registry.load("contradict")


def _extract_checked(article: Article) -> list[Claim]:
    try:
        claims = list(EXTRACT.process(article))
    except InvalidRecord:
        return []
    for claim in claims:
        start, end = claim.span
        assert 0 <= start <= end <= len(article.body), (claim.span, len(article.body))
        if claim.quote:
            # Exact: each fragment is the body's text at its span; the quote is the fragments joined.
            fragments = [article.body[a:b] for a, b in claim.quote_spans]
            assert fragments, "a quote names where its words stand"
            assert claim.quote == " ".join(fragments), "a quote must be exact"
        assert claim.article_id == article.id
    return claims


@fuzz("extract")
@given(body_text.filter(lambda t: t.strip() and "\x00" not in t), st.sampled_from([None, "en", "fr"]))
def test_extract_never_raises_and_spans_stay_inside_the_body(body, language):
    try:
        article = Article(
            source="Fuzz", body=body, language=language, published_at=datetime(2026, 3, 1, tzinfo=UTC)
        )
    except ValidationError:
        return
    _extract_checked(article)


@fuzz("huge")
@given(st.integers(100_000, 2_000_000), st.sampled_from(["prose", "one-line", "no-spaces", "quotes", "html"]))
def test_huge_bodies_are_bounded_in_memory(size, shape):
    """A big body is either rejected up front (over max_body_bytes) or processed in bounded memory."""
    unit = {
        "prose": "The council said it will hire 1,200 teachers in May. ",
        "one-line": "and the council will hire 12 teachers ",
        "no-spaces": "x",
        "quotes": "\u201cWe will never close the port,\u201d Jane Doe said. ",
        "html": "<p>The mayor said <b>26</b> schools will open.</p>",
    }[shape]
    body = (unit * (size // len(unit) + 1))[:size]
    payload = json.dumps({"source": "Fuzz", "body": body}).encode()
    # What the extractor sets up once per process (a parser component loaded on first need, its
    # caches) is not memory per input: warm it on a small body of the same shape first.
    _extract_checked(Article(source="Fuzz", body=unit * 20))
    tracemalloc.start()
    try:
        try:
            article = parse_article(payload, 1_000_000)
        except InvalidRecord as exc:
            assert "over the limit" in str(exc)
            return
        if size <= 300_000:  # extraction time grows with size; memory is what is checked here
            _extract_checked(article)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Bounded: a constant times the input, never a blow-up (quadratic copies would be GBs). The
    # parse holds every sentence's Doc of the article: measured 200-270 traced bytes per input byte
    # (prose 73 MB and quoted speech 89 MB for a 290 KB body), so the bound is 300x plus 50 MB.
    assert peak < 300 * len(payload) + 50_000_000, (
        f"peak {peak / 1e6:.0f} MB for a {len(payload) / 1e6:.1f} MB body"
    )


claim_fields = st.fixed_dictionaries(
    {},
    optional={
        "speaker": st.one_of(st.none(), st.sampled_from(["Jane Doe", "the ministry", "Acme Corp"]), any_text),
        "source": st.sampled_from(["Harbor Gazette", "Wire", ""]),
        "published_at": st.sampled_from(
            [None, datetime(2026, 3, 1, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC)]
        ),
        "entities": st.lists(any_text, max_size=3),
    },
)
claims = st.builds(
    lambda text, fields: _claim_or_none(text, fields),
    st.one_of(prose, any_text, html).filter(lambda t: t.strip()),
    claim_fields,
).filter(lambda c: c is not None)


def _claim_or_none(text: str, fields: dict[str, Any]) -> Claim | None:
    try:
        return claim_from_text(text, **fields)
    except ValidationError:
        return None


@fuzz("dedup")
@given(claims, st.lists(claims, max_size=6))
def test_dedup_decides_for_any_claim_and_candidates(claim, others):
    candidates = [new_tracked_claim(o) for o in others]
    assert DEDUP.keys(claim)
    (update,) = DEDUP.process(claim, candidates)
    assert update.claim.id == claim.id
    assert update.is_new or update.tracked.id in {c.id for c in candidates}
    TrackedClaimUpdate.model_validate_json(update.model_dump_json())


@fuzz("contradict")
@given(claims, st.lists(claims, max_size=6))
def test_contradict_judges_any_tracked_claim_against_any_candidates(claim, others):
    update = TrackedClaimUpdate(tracked=new_tracked_claim(claim), claim=claim, is_new=True)
    CONTRADICT.keys(update)
    found = CONTRADICT.process(update, [new_tracked_claim(o) for o in others])
    for contradiction in found:
        assert contradiction.claim_a_id != contradiction.claim_b_id
        Contradiction.model_validate_json(contradiction.model_dump_json())


@fuzz("compare")
@given(claims, claims)
def test_compare_is_total_and_symmetric_in_relation(a, b):
    verdict = compare(a, b)
    assert verdict.relation in ("duplicate", "contradiction", "none")
    assert 0.0 <= verdict.score <= 1.0 or verdict.relation == "none"


def test_processors_reject_wrong_records_with_invalid_record():
    for processor, args in ((EXTRACT, ()), (DEDUP, ([],)), (CONTRADICT, ([],))):
        with pytest.raises(InvalidRecord):
            processor.process(DeadLetter(stage="x", reason="r", payload="p"), *args)


@fuzz("payload_bytes")
@given(payload_bytes)
def test_extract_in_the_harness_dead_letters_only_with_documented_errors(payload):
    with ProcessorHarness(registry.load("extract")) as harness:
        result = harness.feed(payload)
    for letter in result.dead_letters:
        assert letter.error_type in ("InvalidRecord", "ValidationError"), letter.reason


# -- every record type ------------------------------------------------------------------------------------

_NOW = "2026-03-01T08:00:00+00:00"
_CLAIM = {
    "article_id": "art_1",
    "text": "The council will hire 12 teachers.",
    "span": [0, 34],
    "numbers": [{"value": 12, "unit": "teacher"}],
    "published_at": _NOW,
}
_MENTION = {"claim_id": "clm_1", "article_id": "art_1", "source": "S", "span": [0, 3], "text": "abc"}
_TRACKED = {
    "id": "trk_1",
    "canonical_text": "The council will hire 12 teachers.",
    "first_seen_article_id": "art_1",
    "mentions": [_MENTION],
    "numbers": [{"value": 12}],
}
VALID = {
    "article": {"source": "S", "body": "Some body.", "published_at": _NOW},
    "claim": _CLAIM,
    "tracked_claim": _TRACKED,
    "tracked_claim_update": {"tracked": _TRACKED, "claim": _CLAIM, "is_new": True},
    "contradiction": {
        "claim_a_id": "trk_1",
        "claim_b_id": "trk_2",
        "kind": "numeric",
        "score": 0.9,
        "explanation": "12 vs 14",
        "evidence": [
            {
                "tracked_claim_id": "trk_1",
                "claim_id": "clm_1",
                "article_id": "art_1",
                "text": "t",
                "span": [0, 1],
            }
        ],
    },
    "dead_letter": {"stage": "extract", "reason": "bad", "payload": "x"},
}


@st.composite
def mutated(draw: Any, base: Any) -> Any:
    """A valid record's JSON with a few fields dropped, replaced by junk, or nested junk added."""
    if isinstance(base, dict):
        out = {}
        for key, value in base.items():
            action = draw(st.integers(0, 9))
            if action == 0:
                continue
            out[key] = draw(json_value) if action == 1 else (draw(mutated(value)) if action < 5 else value)
        if draw(st.integers(0, 9)) == 0:
            out[draw(any_text)] = draw(json_value)
        return out
    if isinstance(base, list):
        return (
            [draw(mutated(v)) for v in base]
            if draw(st.booleans())
            else draw(st.lists(json_value, max_size=3))
        )
    return draw(st.one_of(st.just(base), json_scalar)) if draw(st.integers(0, 3)) == 0 else base


@pytest.mark.parametrize("name", sorted(RECORD_TYPES))
def test_every_record_type_rejects_junk_only_with_validation_error(name):
    model = RECORD_TYPES[name]
    model.model_validate(VALID[name])  # the base is valid

    @fuzz("records")
    @given(st.one_of(mutated(VALID[name]), json_value.map(lambda v: v), payload_bytes), st.booleans())
    def check(value: Any, ascii_only: bool) -> None:
        raw = value if isinstance(value, bytes) else _payload_of(value, ascii_only)
        try:
            record = model.model_validate_json(raw)
        except ValidationError:
            return
        # What validates must go back on a topic: serialise and parse again to the same record.
        wire = record.model_dump_json()
        again = model.model_validate_json(wire)
        assert again.model_dump() == record.model_dump() or _has_nan(record)

    check()


def _has_nan(record: BaseModel) -> bool:
    return "NaN" in repr(record) or "nan" in repr(record)


def test_dead_letters_keep_any_payload_recoverable():
    rng = random.Random(3)
    for _ in range(500):
        payload = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        letter = dead_letter("extract", InvalidRecord("x\x00y" * rng.randrange(3)), payload, key="k\x00")
        text, encoding = decode_payload(payload)
        assert (letter.payload, letter.payload_encoding) == (text, encoding)
        restored = base64.b64decode(letter.payload) if encoding == "base64" else letter.payload.encode()
        assert restored == payload
        assert "\x00" not in letter.reason and "\x00" not in (letter.key or "")
        DeadLetter.model_validate_json(letter.model_dump_json())


# -- the live worker -------------------------------------------------------------------------------------

LIVE_PAYLOADS = 300


def live_payloads(n: int, seed: int = 20261124) -> list[tuple[bytes, bytes]]:
    """``n`` (key, payload) pairs: valid articles with edge-case text, and every kind of junk."""
    rng = random.Random(seed)
    out: list[tuple[bytes, bytes]] = []

    def text(k: int) -> str:
        pool = list(EDGE_CHARS) + list(WORDS) + ["<p>", "</p>", "&amp;", " ", ". "] * 3
        return "".join(rng.choice(pool) for _ in range(k))

    for i in range(n):
        kind = i % 10
        if kind in (0, 1, 2, 3):
            body = (
                f"{text(rng.randrange(5, 60))} The mayor of Town{i} said the city will hire {i + 3} "
                f"teachers. \u201cWe will not close {i % 7} schools,\u201d Jane Doe{i % 13} said."
            )
            value: Any = {
                "source": f"Outlet {i % 4}",
                "body": body,
                "title": text(5),
                "published_at": f"2026-03-{1 + i % 28:02d}T08:00:00+00:00",
            }
            payload = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode()
        elif kind == 4:
            payload = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        elif kind == 5:
            payload = json.dumps(
                rng.choice(
                    [
                        [1, 2],
                        "body",
                        3.5,
                        None,
                        {"body": ["x"], "source": "S"},
                        {"source": "S"},
                        {"body": " \n", "source": "S"},
                        {"body": "x", "source": 5},
                        {"body": "x", "source": "S", "published_at": "2026-03-01"},
                    ]
                )
            ).encode()
        elif kind == 6:
            payload = b"[" * rng.randrange(1000, 100_000)
        elif kind == 7:
            payload = json.dumps({"source": "Big", "body": "word " * rng.randrange(40_001, 60_000)}).encode()
        elif kind == 8:
            payload = json.dumps(
                {
                    "source": "Html",
                    "body": "<html><script>x</script><p>" + text(200) + " said the minister.</p></html>",
                }
            ).encode()
        else:
            payload = json.dumps(
                {
                    "source": "S\u202e",
                    "body": text(rng.randrange(1, 400)) + "\ud800" * (i % 2),
                    "url": f"https://x.example/{i}",
                }
            ).encode()
        out.append((f"fz-{i}".encode(), payload))
    return out


@pytest.mark.e2e
@pytest.mark.timeout(280)
def test_fuzzed_payloads_through_the_live_worker_are_all_accounted_for(deployment):
    from kafka import KafkaProducer

    from factstream.embedded.services import services_status
    from factstream.ingest import EMBEDDED_BROKER_API_VERSION
    from factstream.store.queries import ClaimQueries

    from .e2e import MAX_BODY_BYTES, PROCESS_TIMEOUT_S, wait_until

    payloads = live_payloads(LIVE_PAYLOADS)
    expected: dict[bytes, tuple[str, str]] = {}  # key -> ("article", id) | ("dead", reason)
    for key, payload in payloads:
        try:
            expected[key] = ("article", parse_article(payload, MAX_BODY_BYTES).id)
        except InvalidRecord as exc:
            expected[key] = ("dead", str(exc))
    info = services_status(deployment.settings())
    producer = KafkaProducer(
        bootstrap_servers=info.kafka_bootstrap,
        api_version=EMBEDDED_BROKER_API_VERSION,
        max_request_size=2_000_000,
    )
    for key, payload in payloads:
        producer.send(f"{deployment.settings().topic_prefix}articles", key=key, value=payload)
    producer.flush()
    producer.close()

    article_ids = sorted({v for kind, v in expected.values() if kind == "article"})
    dead_keys = sorted(k.decode() for k, (kind, _) in expected.items() if kind == "dead")
    assert article_ids and dead_keys

    async def progress() -> dict[str, str]:
        async with ClaimQueries(deployment.database_url, max_size=1, statement_timeout_ms=None) as queries:
            return {k: v.state for k, v in (await queries.progress(article_ids)).items()}

    def accounted() -> bool:
        stored = asyncio.run(progress())
        lettered = {
            k for (k,) in deployment.query("SELECT key FROM dead_letters WHERE key = ANY(%s)", (dead_keys,))
        }
        return all(s != "pending" for s in stored.values()) and lettered == set(dead_keys)

    wait_until(
        accounted,
        PROCESS_TIMEOUT_S,
        "not every fuzzed payload was stored or dead-lettered:\n" + deployment.worker_logs(),
    )
    reasons = dict(deployment.query("SELECT key, reason FROM dead_letters WHERE stage = 'extract'"))
    for key, (kind, value) in expected.items():
        if kind == "dead":
            assert reasons[key.decode()] == value
    # Every accepted article is there, with its body exactly as sent (or its dead letter says why not).
    stored = {i for (i,) in deployment.query("SELECT id FROM articles WHERE id = ANY(%s)", (article_ids,))}
    missing = set(article_ids) - stored
    if missing:
        why = deployment.query(
            "SELECT key, stage, reason FROM dead_letters WHERE key = ANY(%s)", (list(missing),)
        )
        assert {k for k, _, _ in why} == missing, why
    assert all(w.poll() is None for w in deployment.workers), deployment.worker_logs()
