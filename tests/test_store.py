"""The PostgreSQL store against a real PostgreSQL: migrations, idempotent writes, progress, queries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import psycopg

from factstream.schemas.records import (
    Article,
    Claim,
    Contradiction,
    DeadLetter,
    Mention,
    Quantity,
    TrackedClaim,
    TrackedClaimUpdate,
    stable_id,
)
from factstream.store import ClaimStore, applied_migrations, migrate, pending_migrations
from factstream.store.queries import ClaimQueries

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _article(source: str, body: str, day: int = 2) -> Article:
    return Article(source=source, title="t", body=body, published_at=T0.replace(day=day))


def _claim(article: Article, text: str, speaker: str | None = None) -> Claim:
    start = article.body.index(text)
    return Claim(
        article_id=article.id,
        source=article.source,
        published_at=article.published_at,
        text=text,
        speaker=speaker,
        span=(start, start + len(text)),
        numbers=[Quantity(value=1200, unit="job", text="1,200")],
    )


def _new(claim: Claim) -> TrackedClaimUpdate:
    tracked = TrackedClaim(
        id=stable_id("trk", claim.id),
        canonical_text=claim.text,
        speaker=claim.speaker,
        numbers=claim.numbers,
        first_seen_article_id=claim.article_id,
        mentions=[Mention(claim_id=claim.id, article_id=claim.article_id, source=claim.source,
                          span=claim.span, text=claim.text)],
    )
    return TrackedClaimUpdate(tracked=tracked, claim=claim, is_new=True)


def test_migrate_is_idempotent_and_recorded(fresh_db_url):
    assert pending_migrations(fresh_db_url)
    first = migrate(fresh_db_url)
    assert [m.version for m in first] == applied_migrations(fresh_db_url)
    assert migrate(fresh_db_url) == []
    assert pending_migrations(fresh_db_url) == []


def test_concurrent_migrations_apply_once(fresh_db_url):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: migrate(fresh_db_url), range(4)))
    assert sum(len(r) for r in results) == len(applied_migrations(fresh_db_url))


def test_mentions_of_one_fact_are_counted_once_each_and_by_independent_source(db_url):
    a1 = _article("Gazette", "The closure will cut 1,200 jobs, the company said.")
    a2 = _article("Wire", "The closure will cut 1,200 jobs, the company said.", day=3)  # syndicated copy
    a3 = _article("Daily", "Officials said the closure will cut 1,200 jobs.", day=4)
    c1 = _claim(a1, "The closure will cut 1,200 jobs")
    c2 = _claim(a2, "The closure will cut 1,200 jobs")
    c3 = _claim(a3, "the closure will cut 1,200 jobs", speaker="Officials")

    async def scenario():
        async with ClaimStore(db_url) as store:
            for a in (a1, a2, a3):
                await store.save_article(a, 1)
                await store.save_article(a, 1)  # replayed: no second row
            keys = ["t:closure-jobs"]
            (first,) = await store.dedup_batch([c1], lambda c: keys, lambda c, cands: _new(c))
            tracked = first.tracked
            assert first.is_new and tracked.mention_count == 1

            def attach(claim, candidates):
                assert [t.id for t in candidates] == [tracked.id]
                return TrackedClaimUpdate(tracked=candidates[0], claim=claim, is_new=False, score=0.9)

            updates = await store.dedup_batch([c2, c3], lambda c: keys, attach)
            replayed = await store.dedup_batch([c3, c1], lambda c: keys, attach)  # delivered twice
            assert [u.is_new for u in replayed] == [False, True]  # a replay keeps its decision
            stored = replayed[0].tracked
            assert {u.tracked.id for u in updates + replayed} == {tracked.id}
            assert stored.mention_count == 3
            assert stored.source_count == 2  # Gazette and its syndicated copy count once
            assert stored.first_seen_at == a1.published_at
            assert stored.last_seen_at == a3.published_at
            async with ClaimQueries(db_url, max_size=1) as queries:
                listed = await queries.tracked_claims()
            assert [len(c.mentions) for c in listed] == [3]
            assert {m.speaker for m in listed[0].mentions} == {None, "Officials"}
            assert [c.id for c in await store.candidates(keys)] == [tracked.id]
            assert await store.candidates(keys, exclude=tracked.id) == []
            return await store.counts()

    counts = asyncio.run(scenario())
    assert counts["articles"] == 3
    assert counts["tracked_claims"] == 1
    assert counts["claim_mentions"] == 3


def test_progress_tracks_articles_through_the_pipeline(db_url):
    a = _article("Gazette", "The closure will cut 1,200 jobs, the company said.")
    empty = _article("Gazette", "Nothing to see here.")
    c = _claim(a, "The closure will cut 1,200 jobs")

    async def scenario():
        async with ClaimStore(db_url) as store, ClaimQueries(db_url, max_size=1) as queries:
            ids = [a.id, empty.id, "art_bad", "art_unknown"]
            assert {s.state for s in (await queries.progress(ids)).values()} == {"pending"}
            await store.save_article(a, 1)
            await store.save_article(empty, 0)
            await store.save_dead_letter(
                DeadLetter(stage="extract", reason="bad", payload="{", key="art_bad")
            )
            mid = await queries.progress(ids)
            assert mid[a.id].state == "pending"
            assert mid[empty.id].state == "done"
            assert mid["art_bad"].state == "dead"
            assert mid["art_unknown"].state == "pending"
            (update,) = await store.dedup_batch([c], lambda c: ["k"], lambda c, cands: _new(c))
            tracked = update.tracked
            assert (await queries.progress([a.id]))[a.id].state == "pending"
            await store.save_contradictions([], [c.id])
            assert (await queries.progress([a.id]))[a.id].state == "done"
            return tracked

    asyncio.run(scenario())


def test_contradictions_and_dead_letters_are_idempotent(db_url):
    a = _article("Gazette", "The closure will cut 1,200 jobs. The closure will cut 1,500 jobs.")
    c1 = _claim(a, "The closure will cut 1,200 jobs")
    c2 = _claim(a, "The closure will cut 1,500 jobs")

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_article(a, 2)
            updates = await store.dedup_batch([c1, c2], lambda c: [c.id], lambda c, cands: _new(c))
            t = [u.tracked for u in updates]
            x = Contradiction(claim_a_id=t[0].id, claim_b_id=t[1].id, kind="numeric", score=0.9,
                              explanation="1,200 vs 1,500 jobs")
            for _ in range(2):
                await store.save_contradictions([x], [c2.id])
                await store.save_dead_letter(DeadLetter(stage="extract", reason="r", payload="{", key="k"))
            async with ClaimQueries(db_url, max_size=1) as queries:
                listed = await queries.tracked_contradictions()
            assert [(c.kind, c.claim_a_id) for c in listed] == [("numeric", t[0].id)]
            return await store.counts()

    counts = asyncio.run(scenario())
    assert counts["contradictions"] == 1
    assert counts["dead_letters"] == 1


def test_full_text_search_column_is_maintained(db_url):
    a = _article("Gazette", "Northfield Steel will close the Harbor City plant in May.")
    c = _claim(a, "Northfield Steel will close the Harbor City plant in May")

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_article(a, 1)
            await store.dedup_batch([c], lambda c: ["k"], lambda c, cands: _new(c))

    asyncio.run(scenario())
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM tracked_claims WHERE search @@ plainto_tsquery('english', 'closing plants')"
        ).fetchone()
    assert row == (1,)


def test_concurrent_workers_never_create_two_tracked_claims_for_one_fact(db_url):
    """Two stores (two workers) deduplicate restatements of one fact at the same time."""
    from factstream.processors.dedup import DedupProcessor

    dedup = DedupProcessor()
    articles = [_article(f"Outlet {i}", f"Northfield Steel will close its Harbor City plant in May. ({i})")
                for i in range(12)]
    claims = [_claim(a, "Northfield Steel will close its Harbor City plant in May") for a in articles]

    def decide(claim, candidates):
        (update,) = dedup.process(claim, candidates)
        return update

    async def worker(batch):
        async with ClaimStore(db_url) as store:
            out = []
            for claim in batch:
                out += await store.dedup_batch([claim], dedup.keys, decide)
            return out

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_articles([(a, 1) for a in articles])
        results = await asyncio.gather(worker(claims[0::2]), worker(claims[1::2]))
        return [u for r in results for u in r]

    updates = asyncio.run(scenario())
    assert sum(u.is_new for u in updates) == 1
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT count(*), max(mention_count) FROM tracked_claims").fetchone() == (1, 12)


def test_the_same_claim_twice_in_one_batch_is_one_mention(db_url):
    a = _article("Gazette", "The closure will cut 1,200 jobs, the company said.")
    c = _claim(a, "The closure will cut 1,200 jobs")

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_article(a, 1)
            updates = await store.dedup_batch([c, c], lambda c: ["k"], lambda c, cands: _new(c))
            assert [u.tracked.id for u in updates] == [updates[0].tracked.id] * 2
            return await store.counts()

    counts = asyncio.run(scenario())
    assert (counts["tracked_claims"], counts["claim_mentions"]) == (1, 1)


def test_candidates_share_the_most_keys_first_and_are_bounded(db_url):
    """Candidates are ranked by how many blocking keys they share, then by recency, and capped."""
    from factstream.store.repository import CANDIDATES_PER_CLAIM, CANDIDATES_PER_KEY

    a = _article("Gazette", "filler")
    many = CANDIDATES_PER_CLAIM + 5
    assert many <= CANDIDATES_PER_KEY  # all of them in the key's window

    def keys_of(claim):
        # The first (oldest) claim shares two keys with the query; the rest only one.
        return ["e:harbor city", "s:northfield"] if claim.text.endswith("#0") else ["e:harbor city"]

    claims = [Claim(article_id=a.id, source=a.source, text=f"Claim number {i} #{i}", span=(0, 1))
              for i in range(many)]

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_article(a, many)
            for claim in claims:  # one batch each: each later claim is more recent
                await store.dedup_batch([claim], keys_of, lambda c, cands: _new(c))
            return await store.candidates(["e:harbor city", "s:northfield"])

    found = asyncio.run(scenario())
    assert len(found) == CANDIDATES_PER_CLAIM
    assert found[0].canonical_text == "Claim number 0 #0"
    # Then the most recent first.
    newest = [f"Claim number {i} #{i}" for i in (many - 1, many - 2, many - 3)]
    assert [t.canonical_text for t in found[1:4]] == newest


def test_a_worker_restores_stored_features_instead_of_analysing_again(db_url):
    """A new tracked claim's match features are stored; another worker restores exactly them."""
    from factstream.processors.dedup import DedupProcessor
    from factstream.processors.matching import features as feats

    dedup = DedupProcessor()
    a = _article("Gazette", "Northfield Steel will close its Harbor City plant in May, cutting 1,200 jobs.")
    c = _claim(a, "Northfield Steel will close its Harbor City plant in May, cutting 1,200 jobs")

    def decide(claim, candidates):
        (update,) = dedup.process(claim, candidates)
        return update

    async def scenario():
        async with ClaimStore(db_url) as store:
            await store.save_article(a, 1)
            (update,) = await store.dedup_batch([c], dedup.keys, decide, state=dedup)
        fresh = feats.analyse_tracked(update.tracked)
        feats.clear_caches()
        async with ClaimStore(db_url) as other:  # another worker, nothing cached
            ((candidate,),) = await other.candidates_batch([dedup.keys(c)], [None], state=dedup)
        return update.tracked.id, fresh, candidate

    tracked_id, fresh, candidate = asyncio.run(scenario())
    assert candidate.id == tracked_id
    restored = feats._TRACKED_CACHE[tracked_id]  # put there from the stored column, not analysed
    assert restored == fresh
    with psycopg.connect(db_url) as conn:
        sql = "SELECT match_features FROM tracked_claims WHERE id = %s"
        (stored,) = conn.execute(sql, (tracked_id,)).fetchone()
    assert stored["v"] == feats.FEATURES_VERSION
    # Features written by other rules are ignored, and the claim is analysed afresh.
    feats.clear_caches()
    assert not feats.restore_tracked_features(candidate, {**stored, "v": "other-rules"})
    assert tracked_id not in feats._TRACKED_CACHE


def test_candidates_the_screen_rules_out_are_never_read_and_decisions_do_not_change(db_url):
    """A fresh worker reads in full only the candidates that could match; its verdicts are the same.

    Five tracked claims share the speaker key of a new claim: one restatement, one with another
    figure (a contradiction) and three on other subjects. The dedup and contradiction screens
    rule the three out from their stored screens, so they are never read or built; the
    restatement is still found, and so is the numeric contradiction.
    """
    from factstream.processors.contradict import ContradictProcessor
    from factstream.processors.dedup import DedupProcessor
    from factstream.processors.matching import features as feats

    dedup, contradict = DedupProcessor(), ContradictProcessor()
    texts = [
        "Northfield Steel will close its Harbor City plant in May, cutting 1,200 jobs",
        "The Harbor City plant of Northfield Steel will close in May, cutting 1,500 jobs",
        "Northfield Steel reported record profits from its export business last year",
        "The chairman of Northfield Steel plans to retire after the annual meeting",
        "Northfield Steel signed a supply deal with a carmaker in the north",
    ]
    old = [_article("Gazette", t + ".", day=2 + i) for i, t in enumerate(texts)]
    stored = [_claim(a, t, speaker="Northfield Steel") for a, t in zip(old, texts, strict=True)]
    restated = "Northfield Steel will close the Harbor City plant in May, with 1,200 jobs cut"
    # Two outlets restate it: one for the worker with the screen, one for the worker without.
    new_articles = [_article(name, restated + ".", day=20) for name in ("Courier", "Herald")]
    restatements = [_claim(a, restated, speaker="Northfield Steel") for a in new_articles]

    def decide(claim, candidates):
        (update,) = dedup.process(claim, candidates)
        return update

    async def worker(screened: bool):
        feats.clear_caches()
        async with ClaimStore(db_url) as store:  # nothing cached: every candidate is in the database
            claims = [restatements[not screened]]
            screens = [partial(dedup.screen, claims[0])] if screened else None
            (update,) = await store.dedup_batch(claims, dedup.keys, decide, screens, state=dedup)
            read_by_dedup = set(store._candidates)
            store._candidates.clear()
            (contradiction_update,) = await store.dedup_batch([stored[1]], dedup.keys, decide, state=dedup)
            store._candidates.clear()
            (pool,) = await store.candidates_batch(
                [contradict.keys(contradiction_update)], [contradiction_update.tracked.id],
                [lambda s: contradict.screen(contradiction_update, s)] if screened else None,
                state=contradict,
            )
            found = contradict.process(contradiction_update, pool)
            return update, read_by_dedup, {c.id for c in pool}, found

    async def seed():
        async with ClaimStore(db_url) as store:
            await store.save_articles([(a, 1) for a in [*old, *new_articles]])
            for claim in stored[:1] + stored[2:]:  # the 1,500-jobs claim comes later, as a new fact
                await store.dedup_batch([claim], dedup.keys, decide, state=dedup)

    asyncio.run(seed())
    ids = {t: stable_id("trk", c.id) for t, c in zip(texts, stored, strict=True)}
    with psycopg.connect(db_url) as conn:
        screens = conn.execute("SELECT count(*) FROM tracked_claims WHERE match_screen->>0 = %s",
                               (feats.FEATURES_VERSION,)).fetchone()[0]
    assert screens == 4  # written with every new tracked claim

    update, read, pool, found = asyncio.run(worker(screened=True))
    assert not update.is_new and update.tracked.id == ids[texts[0]]
    assert read == {ids[texts[0]]}  # the three other subjects were never read
    assert pool == {ids[texts[0]]}
    assert [(x.kind, x.claim_a_id) for x in found] == [("numeric", ids[texts[0]])]

    # The same verdicts without the screen, which reads every candidate.
    update2, read2, pool2, found2 = asyncio.run(worker(screened=False))
    assert update2.tracked.id == update.tracked.id and update2.score == update.score
    assert read2 == set(ids.values())  # every candidate read, the 1,500-jobs claim (stored by now) too
    assert [x.id for x in found2] == [x.id for x in found]


def test_the_store_imports_no_processor_code():
    """The store keeps the processors' data without reading it: nothing in streams/store imports them.

    Dedup and contradict hand it their match features through ``ProcessorState``; a store that
    imported the matching code would decide what a plug-in's stored data means.
    """
    import ast

    store_dir = Path(__file__).resolve().parents[1] / "streams" / "store"
    imported = set()
    for path in store_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    assert imported, "no imports read: the store moved"
    assert not [(f, m) for f, m in imported if m.startswith("factstream.processors")]
