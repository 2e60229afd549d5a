"""Semantic candidates: a restatement sharing no blocking key with a stored claim still reaches the judge.

Real embeddings (the shipped MiniLM encoder) on sentences written here, a real PostgreSQL: the
embedded one (pgvector) for the search, and one without pgvector (Debian's, at
FACTSTREAM_TEST_PLAIN_DATABASE_URL, by default postgresql://postgres@127.0.0.1:5432/postgres) for
the fallback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import ClassVar

import numpy as np
import psycopg
import pytest

from factstream.errors import ConfigurationError
from factstream.processors.base import candidate_vectors
from factstream.processors.judge.model import models
from factstream.schemas.records import (
    Article,
    Claim,
    Mention,
    TrackedClaim,
    TrackedClaimUpdate,
    tracked_claim_id,
)
from factstream.store import ClaimStore, applied_migrations, migrate
from factstream.store.migrate import available_migrations
from factstream.store.repository import CANDIDATES_PER_CLAIM, _with_nearest

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

FACT = "Roughly five thousand homes in Varnby were left without electricity after the gale."
# The same fact in other words: only "in Varnby" in common.
RESTATED = "A storm cut power to about 5,000 households in Varnby."
UNRELATED = "The Kessel football club signed a new goalkeeper from Brazil on Tuesday."


class EmbeddingDedup:
    """A candidate processor for these tests: one blocking key per claim (its id), so no two claims
    share a key, and the claim text's embedding as its vector."""

    name: ClassVar[str] = "embedding-dedup"

    def keys(self, claim: Claim) -> list[str]:
        return [f"only:{claim.id}"]

    def vector(self, claim: Claim) -> list[float]:
        return models().embed([claim.text])[0].tolist()


def _claim(text: str, source: str = "Gazette", day: int = 2) -> tuple[Article, Claim]:
    article = Article(source=source, title="t", body=text, published_at=T0.replace(day=day))
    claim = Claim(article_id=article.id, source=source, published_at=article.published_at, text=text,
                  span=(0, len(text)))
    return article, claim


def _new(claim: Claim) -> TrackedClaimUpdate:
    tracked = TrackedClaim(
        id=tracked_claim_id(claim.id), canonical_text=claim.text, first_seen_article_id=claim.article_id,
        mentions=[Mention(claim_id=claim.id, article_id=claim.article_id, source=claim.source,
                          span=claim.span, text=claim.text)],
    )
    return TrackedClaimUpdate(tracked=tracked, claim=claim, is_new=True)


class Recorder:
    """A dedup decision that makes every claim a new fact and records the candidates it was shown."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = {}

    def __call__(self, claim: Claim, candidates: list[TrackedClaim]) -> TrackedClaimUpdate:
        self.seen[claim.text] = [c.canonical_text for c in candidates]
        return _new(claim)


def _has_embedding_column(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM information_schema.columns "
                           "WHERE table_name = 'tracked_claims' AND column_name = 'embedding'").fetchone()
        return bool(row and row[0])


@pytest.fixture
def vector_db_url(db_url: str) -> str:
    """A migrated database with claims.embedding (the embedded PostgreSQL ships pgvector)."""
    if not _has_embedding_column(db_url):
        pytest.skip("this PostgreSQL has no pgvector (the embedded default has it)")
    return db_url


@pytest.fixture
def plain_db_url() -> Iterator[str]:
    """A fresh database on a PostgreSQL without pgvector."""
    server = os.environ.get("FACTSTREAM_TEST_PLAIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            sql = "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"
            row = conn.execute(sql).fetchone()
            if row and row[0]:
                pytest.skip("the plain PostgreSQL has pgvector")
            name = f"fs_test_{uuid.uuid4().hex[:12]}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL without pgvector at {server}: {exc}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _store_claims(store: ClaimStore, items: Sequence[tuple[Article, Claim]]) -> None:
    await store.save_articles([(a, 1) for a, _ in items])


def test_a_restatement_sharing_no_key_is_a_candidate_with_vectors_only(vector_db_url):
    processor = EmbeddingDedup()
    stored = [_claim(FACT), _claim(UNRELATED)]
    article, restated = _claim(RESTATED, source="Courier", day=3)
    fact_id = tracked_claim_id(stored[0][1].id)

    async def run():
        decide = Recorder()
        async with ClaimStore(vector_db_url) as store:
            assert await store.embeddings_enabled()
            await _store_claims(store, [*stored, (article, restated)])
            claims = [c for _, c in stored]
            vectors = candidate_vectors(processor, claims)
            await store.dedup_batch(claims, processor.keys, decide, None, vectors)
            keys, vector = [processor.keys(restated)], candidate_vectors(processor, [restated])
            without = await store.candidates_batch(keys, [None])
            with_vectors = await store.candidates_batch(keys, [None], vectors=vector)
            own = await store.candidates_batch([processor.keys(stored[0][1])], [fact_id],
                                               vectors=candidate_vectors(processor, [stored[0][1]]))
            await store.dedup_batch([restated], processor.keys, decide, None, vector)
            return decide.seen, without, with_vectors, own

    seen, (without,), (with_vectors,), (own,) = asyncio.run(run())
    assert without == []
    assert [c.canonical_text for c in with_vectors] == [FACT]  # the unrelated claim is too far
    assert [c.id for c in own] == []  # a tracked claim is not its own candidate
    assert seen[RESTATED] == [FACT]  # the dedup decision is shown it too
    with psycopg.connect(vector_db_url) as conn:
        embedded = conn.execute("SELECT count(*) FROM tracked_claims WHERE embedding IS NOT NULL").fetchone()
        sql = "SELECT embedding::text FROM tracked_claims WHERE id = %s"
        (stored_fact,) = conn.execute(sql, (fact_id,)).fetchone()
    assert embedded == (3,)  # every new tracked claim stored with its vector
    assert np.allclose(json.loads(stored_fact), processor.vector(stored[0][1]), atol=1e-6)


def test_a_claim_decided_earlier_in_the_batch_is_found_by_meaning(vector_db_url):
    processor = EmbeddingDedup()
    items = [_claim(FACT), _claim(UNRELATED, source="Wire"), _claim(RESTATED, source="Courier", day=3)]
    claims = [c for _, c in items]

    async def run(vectors):
        decide = Recorder()
        async with ClaimStore(vector_db_url) as store:
            await _store_claims(store, items)
            await store.dedup_batch(claims, processor.keys, decide, None, vectors)
        return decide.seen

    assert run_in_fresh_tables(vector_db_url, lambda: run(None))[RESTATED] == []
    vectors = candidate_vectors(processor, claims)
    assert run_in_fresh_tables(vector_db_url, lambda: run(vectors))[RESTATED] == [FACT]


def run_in_fresh_tables(url: str, coroutine_factory):
    """Run against emptied claim tables, so two runs of one batch each decide from scratch."""
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE tracked_claims, claim_keys, claim_mentions CASCADE")
    return asyncio.run(coroutine_factory())


def test_semantic_candidates_are_not_crowded_out_by_key_candidates(vector_db_url):
    processor = EmbeddingDedup()
    # More stored claims under one shared key than a claim is shown, all unlike the restatement.
    crowd = [_claim(f"Councillors in ward {i} approved a budget for road repairs.", day=1 + i % 20)
             for i in range(CANDIDATES_PER_CLAIM + 5)]
    fact = _claim(FACT)
    article, restated = _claim(RESTATED, source="Courier", day=25)

    def keys(claim: Claim) -> list[str]:
        return ["shared"] if claim.text != FACT else processor.keys(claim)

    async def run():
        decide = Recorder()
        async with ClaimStore(vector_db_url) as store:
            await _store_claims(store, [*crowd, fact, (article, restated)])
            claims = [c for _, c in [*crowd, fact]]
            await store.dedup_batch(claims, keys, _new_only, None, candidate_vectors(processor, claims))
            await store.dedup_batch([restated], keys, decide, None, candidate_vectors(processor, [restated]))
            (pool,) = await store.candidates_batch([keys(restated)], [tracked_claim_id(restated.id)],
                                                   vectors=candidate_vectors(processor, [restated]))
        return decide.seen[RESTATED], [c.canonical_text for c in pool]

    shown, pool = asyncio.run(run())
    for candidates in (shown, pool):
        assert len(candidates) == CANDIDATES_PER_CLAIM
        assert FACT in candidates
        assert len(set(candidates)) == len(candidates)


def _new_only(claim: Claim, candidates: list[TrackedClaim]) -> TrackedClaimUpdate:
    return _new(claim)


def test_merging_keeps_slots_for_the_nearest_without_duplicates():
    keyed = [f"k{i}" for i in range(10)]
    assert _with_nearest(keyed, ["n1", "n2"], 5) == ["k0", "k1", "k2", "n1", "n2"]
    # A nearest one already among the key-ranked frees its reserved slot for the next key-ranked.
    assert _with_nearest(keyed, ["k1", "n2"], 5) == ["k0", "k1", "k2", "k3", "n2"]
    assert _with_nearest(keyed, ["k7", "n2"], 5) == ["k0", "k1", "k2", "k7", "n2"]
    assert _with_nearest([], ["n1"], 5) == ["n1"]
    assert _with_nearest(keyed, [], 3) == ["k0", "k1", "k2"]


def test_a_vector_of_the_wrong_size_is_a_clear_error(vector_db_url):
    _, claim = _claim(FACT)

    async def run():
        async with ClaimStore(vector_db_url) as store:
            await store.candidates_batch([["k"]], [None], vectors=[[0.1, 0.2, 0.3]])

    with pytest.raises(ConfigurationError, match="384"):
        asyncio.run(run())


def test_without_pgvector_the_migration_applies_and_vectors_are_ignored(plain_db_url, caplog):
    migrate(plain_db_url)
    assert applied_migrations(plain_db_url) == [m.version for m in available_migrations()]
    assert not _has_embedding_column(plain_db_url)
    processor = EmbeddingDedup()
    stored = [_claim(FACT)]
    article, restated = _claim(RESTATED, source="Courier", day=3)

    async def run():
        decide = Recorder()
        async with ClaimStore(plain_db_url) as store:
            enabled = await store.embeddings_enabled()
            await _store_claims(store, [*stored, (article, restated)])
            claims = [c for _, c in stored]
            vectors = candidate_vectors(processor, claims)
            await store.dedup_batch(claims, processor.keys, decide, None, vectors)
            vector = candidate_vectors(processor, [restated])
            pool = await store.candidates_batch([processor.keys(restated)], [None], vectors=vector)
            await store.dedup_batch([restated], processor.keys, decide, None, vector)
            return enabled, decide.seen, pool

    with caplog.at_level(logging.WARNING, logger="factstream.store.repository"):
        enabled, seen, (pool,) = asyncio.run(run())
    assert not enabled
    assert pool == []
    assert seen[RESTATED] == []
    warnings = [r for r in caplog.records if "semantic candidates are off" in r.getMessage()]
    assert len(warnings) == 1  # once per store, not once per call
    assert "pgvector" in warnings[0].getMessage()
    with psycopg.connect(plain_db_url) as conn:
        assert conn.execute("SELECT count(*) FROM tracked_claims").fetchone() == (2,)
