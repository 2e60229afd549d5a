"""ClaimQueries and the 0002 views against a real PostgreSQL, seeded through ClaimStore."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from factstream.errors import InvalidRecord
from factstream.schemas.records import (
    Article,
    Claim,
    Contradiction,
    Evidence,
    Mention,
    TrackedClaim,
    TrackedClaimUpdate,
    stable_id,
)
from factstream.store import ClaimStore
from factstream.store.queries import MAX_LIMIT, ClaimQueries, NotFound, like_pattern

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# Strings an attacker (or an unlucky paste) sends; they must be data everywhere.
INJECTIONS = [
    "'; DROP TABLE tracked_claims; --",
    '" OR 1=1 --',
    "%' OR '1'='1",
    "_%\\",
    "<script>window.__xss = 1</script>",
    "') ; SELECT pg_sleep(5); --",
    "!!& | :* <->",
]


@dataclass
class Seeded:
    """Ids of the seeded rows, for assertions."""

    jobs_1200: str = ""
    jobs_1500: str = ""
    tax_raise: str = ""
    tax_no_raise: str = ""
    xss: str = ""
    numeric: str = ""
    reversal: str = ""
    duplicate_mention: str = ""
    first_mention: str = ""
    claims: list[str] = field(default_factory=list)


def _article(source: str, body: str, day: int, url: str | None = None) -> Article:
    return Article(
        source=source, title=f"{source} story", body=body, url=url, published_at=T0 + timedelta(days=day)
    )


def _claim(
    article: Article,
    text: str,
    speaker: str | None = None,
    entities: list[str] | None = None,
    negated: bool = False,
) -> Claim:
    start = article.body.index(text)
    return Claim(
        article_id=article.id,
        source=article.source,
        published_at=article.published_at,
        text=text,
        speaker=speaker,
        span=(start, start + len(text)),
        entities=entities or [],
        negated=negated,
        quote=text if speaker else None,
    )


def _new(claim: Claim) -> TrackedClaimUpdate:
    tracked = TrackedClaim(
        id=stable_id("trk", claim.id),
        canonical_text=claim.text,
        speaker=claim.speaker,
        negated=claim.negated,
        entities=claim.entities,
        first_seen_article_id=claim.article_id,
        mentions=[
            Mention(
                claim_id=claim.id,
                article_id=claim.article_id,
                source=claim.source,
                span=claim.span,
                text=claim.text,
            )
        ],
    )
    return TrackedClaimUpdate(tracked=tracked, claim=claim, is_new=True)


def _evidence(tracked: TrackedClaim, claim: Claim) -> Evidence:
    return Evidence(
        tracked_claim_id=tracked.id,
        claim_id=claim.id,
        article_id=claim.article_id,
        source=claim.source,
        speaker=claim.speaker,
        text=claim.text,
        quote=claim.quote,
        span=claim.span,
        published_at=claim.published_at,
    )


async def seed_async(db_url: str) -> Seeded:
    """A small, realistic store: a syndicated fact, a numeric contradiction, a stance reversal."""
    out = Seeded()
    a1 = _article(
        "Gazette", "Northfield Steel will cut 1,200 jobs at the Harbor plant.", 0, "https://g.example/1"
    )
    a2 = _article("Wire", "Northfield Steel will cut 1,200 jobs at the Harbor plant, sources said.", 1)
    a3 = _article("Daily", "Northfield Steel will cut 1,500 jobs at the Harbor plant.", 2)
    a4 = _article("Gazette", "Jane Minister said: We will raise taxes on fuel.", 3)
    a5 = _article("Daily", "Jane Minister said: We will not raise taxes on fuel.", 10)
    a6 = _article("Wire", "Bob O'Critic said: <script>window.__xss = 1</script> costs 50% more.", 4)
    c1 = _claim(a1, "Northfield Steel will cut 1,200 jobs at the Harbor plant", entities=["Northfield Steel"])
    c2 = _claim(a2, "Northfield Steel will cut 1,200 jobs at the Harbor plant", entities=["Northfield Steel"])
    c3 = _claim(a3, "Northfield Steel will cut 1,500 jobs at the Harbor plant", entities=["Northfield Steel"])
    c4 = _claim(a4, "We will raise taxes on fuel", speaker="Jane Minister", entities=["fuel duty"])
    c5 = _claim(
        a5, "We will not raise taxes on fuel", speaker="Jane Minister", entities=["fuel duty"], negated=True
    )
    c6 = _claim(a6, "<script>window.__xss = 1</script> costs 50% more", speaker="Bob O'Critic")
    async with ClaimStore(db_url) as store:
        for a, n in ((a1, 1), (a2, 1), (a3, 1), (a4, 1), (a5, 1), (a6, 1)):
            await store.save_article(a, n)
        tracked: dict[str, TrackedClaim] = {}
        for c in (c1, c3, c4, c5, c6):
            (update,) = await store.dedup_batch([c], lambda c: [c.id], lambda c, cands: _new(c))
            tracked[c.id] = update.tracked
        # the syndicated copy joins c1's claim
        await store.dedup_batch(
            [c2],
            lambda c: [c1.id],
            lambda c, cands: TrackedClaimUpdate(tracked=tracked[c1.id], claim=c2, is_new=False, score=0.93),
        )
        t1, t3, t4, t5 = (tracked[c.id] for c in (c1, c3, c4, c5))
        numeric = Contradiction(
            claim_a_id=t1.id,
            claim_b_id=t3.id,
            kind="numeric",
            score=0.9,
            explanation="1,200 vs 1,500 jobs",
            evidence=[_evidence(t1, c1), _evidence(t3, c3)],
            detected_at=T0 + timedelta(days=2),
        )
        reversal = Contradiction(
            claim_a_id=t4.id,
            claim_b_id=t5.id,
            kind="stance_reversal",
            score=0.8,
            explanation="Jane Minister said the opposite a week later",
            evidence=[_evidence(t4, c4), _evidence(t5, c5)],
            detected_at=T0 + timedelta(days=10),
        )
        await store.save_contradictions([numeric], [c3.id])
        await store.save_contradictions([reversal], [c5.id])
    out.jobs_1200, out.jobs_1500, out.tax_raise, out.tax_no_raise = t1.id, t3.id, t4.id, t5.id
    out.xss = tracked[c6.id].id
    out.numeric, out.reversal = numeric.id, reversal.id
    out.duplicate_mention, out.first_mention = c2.id, c1.id
    out.claims = [t.id for t in tracked.values()]
    return out


def seed(db_url: str) -> Seeded:
    """Seed synchronously (for sync tests and fixtures)."""
    return asyncio.run(seed_async(db_url))


def run(db_url: str, call):
    async def go():
        async with ClaimQueries(db_url) as q:
            return await call(q)

    return asyncio.run(go())


@pytest.fixture
def seeded(db_url: str) -> tuple[str, Seeded]:
    return db_url, seed(db_url)


def test_search_full_text_with_stemming_and_ranking(seeded):
    url, s = seeded
    page = run(url, lambda q: q.search("cutting jobs"))
    assert {c.id for c in page.items} == {s.jobs_1200, s.jobs_1500}
    assert all(c.rank and c.rank > 0 for c in page.items)
    assert [c.id for c in run(url, lambda q: q.search('jobs -"1,500"')).items] == [s.jobs_1200]
    assert len(run(url, lambda q: q.search('"raise taxes" or steel')).items) == 4
    assert run(url, lambda q: q.search("zebra")).items == []


def test_search_filters_and_pagination(seeded):
    url, s = seeded
    assert [c.id for c in run(url, lambda q: q.search(speaker="jane")).items] == [s.tax_no_raise, s.tax_raise]
    assert {c.id for c in run(url, lambda q: q.search(entity="northfield")).items} == {
        s.jobs_1200,
        s.jobs_1500,
    }
    assert {c.id for c in run(url, lambda q: q.search("jobs", source="wire")).items} == {s.jobs_1200}
    assert {c.id for c in run(url, lambda q: q.search(since=T0 + timedelta(days=5))).items} == {
        s.tax_no_raise
    }
    assert {c.id for c in run(url, lambda q: q.search(until=T0 + timedelta(days=1))).items} == {s.jobs_1200}
    first = run(url, lambda q: q.search(limit=2))
    assert len(first.items) == 2 and first.next_offset == 2
    rest = run(url, lambda q: q.search(limit=10, offset=2))
    assert rest.next_offset is None
    assert len({c.id for c in first.items + rest.items}) == 5
    with pytest.raises(InvalidRecord):
        run(url, lambda q: q.search(limit=MAX_LIMIT + 1))
    with pytest.raises(InvalidRecord):
        run(url, lambda q: q.search("x" * 501))


@pytest.mark.parametrize("evil", INJECTIONS)
def test_injection_strings_are_data(seeded, evil):
    url, s = seeded
    for call in (
        lambda q: q.search(evil),
        lambda q: q.search(speaker=evil),
        lambda q: q.search(entity=evil),
        lambda q: q.search(source=evil),
        lambda q: q.speakers(evil),
    ):
        run(url, call)
    with pytest.raises(NotFound):
        run(url, lambda q: q.show(evil))
    with pytest.raises(NotFound):
        run(url, lambda q: q.timeline(evil))
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM tracked_claims").fetchone() == (5,)


def test_like_wildcards_are_literal(seeded):
    url, s = seeded
    assert like_pattern("50%_") == "%50\\%\\_%"
    assert run(url, lambda q: q.search(speaker="%")).items == []  # no speaker has a literal %
    assert [c.id for c in run(url, lambda q: q.search(speaker="o'critic")).items] == [s.xss]


def test_show_has_mentions_sources_timeline_and_contradictions(seeded):
    url, s = seeded
    c = run(url, lambda q: q.show(s.jobs_1200))
    assert c.mention_count == 2 and c.source_count == 2
    assert [m.id for m in c.mentions] == [s.first_mention, s.duplicate_mention]
    assert [m.first_mention for m in c.mentions] == [True, False]
    assert c.mentions[0].article_url == "https://g.example/1"
    assert [x.source for x in c.sources] == ["Gazette", "Wire"]
    assert [x.id for x in c.contradictions] == [s.numeric]
    assert c.contradictions[0].claim_b.id == s.jobs_1500
    assert [e.event for e in c.timeline] == ["mention", "mention", "contradiction"]
    with pytest.raises(NotFound):
        run(url, lambda q: q.show("clm_missing"))


def test_timeline_marks_stance_reversals(seeded):
    url, s = seeded
    t = run(url, lambda q: q.timeline("Jane Minister"))
    assert [e.claim_id for e in t.entries] == [s.tax_raise, s.tax_no_raise]
    assert all(e.stance_reversal for e in t.entries)
    assert t.entries[0].reversals[0].other_claim_id == s.tax_no_raise
    assert t.entries[1].reversals[0].contradiction_id == s.reversal
    speakers = run(url, lambda q: q.speakers()).items
    assert {(p.name, p.stance_reversals) for p in speakers} == {("Jane Minister", 1), ("Bob O'Critic", 0)}


def test_reviews_drive_contradiction_status_and_keep_history(seeded):
    url, s = seeded
    assert {x.id for x in run(url, lambda q: q.contradictions(status="open")).items} == {
        s.numeric,
        s.reversal,
    }
    run(url, lambda q: q.record_review("contradiction", s.numeric, "rejected", "ed"))
    run(url, lambda q: q.record_review("contradiction", s.numeric, "confirmed", "ann", "checked the filing"))
    run(url, lambda q: q.record_review("duplicate", s.duplicate_mention, "confirmed", "ann"))
    assert [x.id for x in run(url, lambda q: q.contradictions(status="open")).items] == [s.reversal]
    confirmed = run(url, lambda q: q.contradictions(status="confirmed")).items
    assert [(x.id, x.review.reviewer) for x in confirmed] == [(s.numeric, "ann")]
    assert run(url, lambda q: q.contradictions(status="rejected")).items == []
    assert [x.id for x in run(url, lambda q: q.contradictions(kind="stance_reversal")).items] == [s.reversal]
    shown = run(url, lambda q: q.show(s.jobs_1200))
    assert shown.mentions[1].review.verdict == "confirmed"
    assert [e.event for e in shown.timeline].count("review") == 3
    assert len(run(url, lambda q: q.reviews()).items) == 3
    with pytest.raises(NotFound):
        run(url, lambda q: q.record_review("contradiction", "ctr_nope", "confirmed", "ed"))
    with pytest.raises(NotFound):
        run(url, lambda q: q.record_review("duplicate", s.numeric, "confirmed", "ed"))


def test_views_answer_the_common_questions(seeded):
    url, s = seeded
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT claim_id, stance_reversal FROM speaker_timeline "
            "WHERE speaker = 'Jane Minister' ORDER BY first_said_at"
        ).fetchall()
        assert rows == [(s.tax_raise, True), (s.tax_no_raise, True)]
        rows = conn.execute(
            "SELECT source, first_mention FROM claim_mentions_detail WHERE claim_id = %s "
            "ORDER BY published_at",
            (s.jobs_1200,),
        ).fetchall()
        assert rows == [("Gazette", True), ("Wire", False)]
        rows = conn.execute(
            "SELECT id, claim_a_text, claim_b_text FROM contradictions_open ORDER BY id"
        ).fetchall()
        assert {r[0] for r in rows} == {s.numeric, s.reversal}
        rows = conn.execute(
            "SELECT claim_id FROM entity_claims WHERE entity = 'Northfield Steel' ORDER BY last_seen_at DESC"
        ).fetchall()
        assert [r[0] for r in rows] == [s.jobs_1500, s.jobs_1200]


def test_reader_role_reads_but_cannot_write(seeded):
    url, s = seeded
    with psycopg.connect(url) as conn:
        conn.execute("SET ROLE factstream_reader")
        for view in (
            "speaker_timeline",
            "claim_mentions_detail",
            "contradictions_open",
            "entity_claims",
            "reviews",
            "review_latest",
            "claims",
        ):
            conn.execute(f"SELECT count(*) FROM {view}").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO reviews (target_kind, target_id, verdict, reviewer) "
                "VALUES ('contradiction', %s, 'confirmed', 'x')",
                (s.numeric,),
            )
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'factstream_reader'").fetchone()
        assert row == (False,)


def test_story_of_an_entity_first_report_restatements_updates(seeded):
    url, s = seeded
    story = run(url, lambda q: q.story("northfield steel"))  # case ignored
    assert story.matched == ["Northfield Steel"]
    assert [c.id for c in story.claims] == [s.jobs_1200, s.jobs_1500]  # oldest first
    first, later = story.claims
    assert first.first_report is not None and first.first_report.source == "Gazette"
    assert [m.source for m in first.restatements] == ["Wire"]  # the syndicated copy restates it
    assert (first.mention_count, first.source_count, first.outlet_count) == (2, 2, 2)
    assert [(x.relation, x.other_claim_id) for x in later.links] == [("updates", s.jobs_1200)]
    assert [(x.relation, x.other_claim_id) for x in first.links] == [("updated_by", s.jobs_1500)]
    assert story.outlets == ["Gazette", "Wire", "Daily"] and not story.ingest_order
    assert story.article_count == 3  # distinct articles, not mentions and not outlets
    assert run(url, lambda q: q.story("northfield")).matched == ["Northfield Steel"]  # contains
    reversal = run(url, lambda q: q.story("fuel duty"))
    assert reversal.speakers == ["Jane Minister"]
    assert {x.relation for c in reversal.claims for x in c.links} == {"contradicts"}
    with pytest.raises(NotFound):
        run(url, lambda q: q.story("no such entity"))
    with pytest.raises(InvalidRecord):
        run(url, lambda q: q.story("   "))


def test_cli_story_and_show_say_mentions_articles_and_outlets(seeded, monkeypatch):
    from click.testing import CliRunner

    from factstream.cli import main

    url, s = seeded
    monkeypatch.setenv("FACTSTREAM_DATABASE_URL", url)
    story = CliRunner().invoke(main, ["story", "Northfield Steel"])
    assert story.exit_code == 0, story.output
    assert "Northfield Steel: 2 claims in 3 articles from 3 outlets" in story.output
    assert "first report: " in story.output and "restated: " in story.output
    assert f"updates {s.jobs_1200} (numeric)" in story.output
    shown = CliRunner().invoke(main, ["claims", "show", s.jobs_1200])
    assert "2 mentions in 2 distinct articles from 2 outlets" in shown.output
    assert "sources: 2 outlets" in shown.output
