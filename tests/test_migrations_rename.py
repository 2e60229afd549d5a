"""Migration 0012: table ``claims`` became ``tracked_claims``, and a deprecated view ``claims`` remains.

An operator upgrading a store that holds data relies on three things: the data is all there under
the new name, their own ``SELECT ... FROM claims`` queries (and the views of earlier migrations)
still return the same rows, and a worker of the previous release, still writing to ``claims`` while
the deployment rolls, does not fail. A new install has both names too.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from factstream.store import ClaimStore, applied_migrations, migrate
from factstream.store.migrate import available_migrations
from factstream.store.queries import ClaimQueries
from factstream.training.reviews import reviewed_pairs

RENAME = 12  # the migration under test
KEY = "s:finance-minister"

# What a store at 0011 holds, written as the previous release wrote it (to table `claims`): two
# facts, a mention of each (one syndicated), a contradiction between them with a review.
_OLD_RELEASE_DATA = [
    "INSERT INTO sources (name) VALUES ('Gazette'), ('Wire')",
    """INSERT INTO articles (id, source, title, body, body_hash, published_at, fetched_at, claim_count)
       VALUES ('art_1', 'Gazette', 'Budget', 'The minister said taxes will rise by 2%.', 'h1',
               '2026-03-02 09:00+00', '2026-03-02 09:05+00', 1),
              ('art_2', 'Wire', 'Budget', 'The minister said taxes will not rise.', 'h2',
               '2026-03-03 09:00+00', '2026-03-03 09:05+00', 1)""",
    "INSERT INTO speakers (name, role) VALUES ('Ann Lee', 'finance minister')",
    "INSERT INTO entities (name) VALUES ('Treasury')",
    """INSERT INTO claims (id, canonical_text, speaker, speaker_role, modality, negated, numbers,
                          entities, claim_time, first_seen_article_id, first_seen_at, last_seen_at,
                          match_features, match_screen)
       VALUES ('trk_rise', 'taxes will rise by 2%', 'Ann Lee', 'finance minister', 'asserted', false,
               '[{"value": 2, "unit": "percent", "text": "2%"}]', '{Treasury}', NULL, 'art_1',
               '2026-03-02 09:00+00', '2026-03-02 09:00+00', '{"v": 1}', '[1]'),
              ('trk_flat', 'taxes will not rise', 'Ann Lee', 'finance minister', 'asserted', true,
               '[]', '{Treasury}', NULL, 'art_2', '2026-03-03 09:00+00', '2026-03-03 09:00+00', NULL, NULL)
       ON CONFLICT (id) DO NOTHING""",
    f"INSERT INTO claim_keys (key, claim_id) VALUES ('{KEY}', 'trk_rise'), ('{KEY}', 'trk_flat')",
    """INSERT INTO claim_mentions (id, claim_id, article_id, source, text, speaker, span_start, span_end,
                                  modality, checkworthiness, extractor_name, extractor_version,
                                  published_at, match_score)
       VALUES ('clm_1', 'trk_rise', 'art_1', 'Gazette', 'taxes will rise by 2%', 'Ann Lee', 18, 39,
               'asserted', 0.9, 'rules', '1', '2026-03-02 09:00+00', 1.0),
              ('clm_2', 'trk_flat', 'art_2', 'Wire', 'taxes will not rise', 'Ann Lee', 18, 37,
               'asserted', 0.8, 'rules', '1', '2026-03-03 09:00+00', 1.0)""",
    """INSERT INTO contradictions (id, claim_a_id, claim_b_id, kind, score, explanation, detected_at)
       VALUES ('ctr_1', 'trk_rise', 'trk_flat', 'stance_reversal', 0.9, 'rise vs not rise',
               '2026-03-03 09:10+00')""",
    """INSERT INTO reviews (target_kind, target_id, verdict, reviewer)
       VALUES ('duplicate', 'clm_2', 'confirmed', 'ann')""",
    """UPDATE claims c SET mention_count = s.n, source_count = s.n, updated_at = now()
         FROM (SELECT claim_id, count(*) AS n FROM claim_mentions GROUP BY claim_id) s
        WHERE c.id = s.claim_id""",
]

# Reading queries an analyst may have saved before 0012: the table by its old name, and the views
# of 0002 (which refer to the table by OID and so follow the rename).
_OLD_QUERIES = [
    "SELECT id, canonical_text, speaker, mention_count, source_count, numbers, entities, match_screen "
    "FROM claims ORDER BY id",
    "SELECT count(*) FROM claims WHERE search @@ plainto_tsquery('english', 'taxes rise')",
    "SELECT speaker, claim_id, mentions, stance_reversal FROM speaker_timeline ORDER BY claim_id",
    "SELECT claim_id, mention_id, first_mention, duplicate_verdict FROM claim_mentions_detail "
    "ORDER BY mention_id",
    "SELECT id, claim_a_text, claim_b_text FROM contradictions_open ORDER BY id",
    "SELECT entity, claim_id FROM entity_claims ORDER BY claim_id",
]


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def _relkind(url: str, name: str) -> str | None:
    rows = _rows(url, f"SELECT relkind FROM pg_class WHERE oid = to_regclass('{name}')")  # noqa: S608
    return rows[0][0] if rows else None


def _names_left(url: str) -> list[str]:
    """Indexes and constraints of tracked_claims still named after the old table."""
    return [r[0] for r in _rows(url, """
        SELECT conname FROM pg_constraint WHERE conrelid = 'tracked_claims'::regclass
        UNION ALL
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'tracked_claims'::regclass""") if not r[0].startswith("tracked_claims_")]


@pytest.fixture
def old_store_url(fresh_db_url: str) -> str:
    """A database as the previous release left it: migrated to 0011, holding data."""
    migrate(fresh_db_url, until=RENAME - 1)
    assert max(applied_migrations(fresh_db_url)) == RENAME - 1
    with psycopg.connect(fresh_db_url) as conn:
        for statement in _OLD_RELEASE_DATA:
            conn.execute(statement)
    return fresh_db_url


def test_upgrading_a_store_with_data_keeps_every_row_and_every_old_query(old_store_url):
    before = {sql: _rows(old_store_url, sql) for sql in _OLD_QUERIES}
    old_table = _rows(old_store_url, "SELECT * FROM claims ORDER BY id")
    assert len(old_table) == 2 and all(before.values())

    assert [m.version for m in migrate(old_store_url)] == [
        m.version for m in available_migrations() if m.version >= RENAME
    ]

    assert (_relkind(old_store_url, "tracked_claims"), _relkind(old_store_url, "claims")) == ("r", "v")
    assert _rows(old_store_url, "SELECT * FROM tracked_claims ORDER BY id") == old_table
    assert _rows(old_store_url, "SELECT * FROM claims ORDER BY id") == old_table
    assert {sql: _rows(old_store_url, sql) for sql in _OLD_QUERIES} == before
    assert _names_left(old_store_url) == []


def test_the_upgraded_store_serves_its_old_data_under_the_new_name(old_store_url):
    migrate(old_store_url)

    async def read():
        async with ClaimQueries(old_store_url, max_size=1) as queries:
            found = await queries.search("taxes")
            shown = await queries.show("trk_rise")
        async with ClaimStore(old_store_url) as store:
            candidates = await store.candidates([KEY])
        return found, shown, candidates

    found, shown, candidates = asyncio.run(read())
    assert {c.id for c in found.items} == {"trk_rise", "trk_flat"}
    assert [m.id for m in shown.mentions] == ["clm_1"]
    assert [x.id for x in shown.contradictions] == ["ctr_1"]
    assert {c.id for c in candidates} == {"trk_rise", "trk_flat"}
    # the reviews written before the upgrade still become training pairs (`factstream train`)
    assert [(p.a, p.b, p.relation) for p in reviewed_pairs(old_store_url)] == [
        ("taxes will not rise", "taxes will not rise", "duplicate")
    ]


def test_a_worker_of_the_previous_release_can_still_write_through_the_view(old_store_url):
    migrate(old_store_url)
    with psycopg.connect(old_store_url) as conn:
        conn.execute("INSERT INTO articles (id, source, body, body_hash, fetched_at, claim_count) "
                     "VALUES ('art_3', 'Gazette', 'Fuel duty is frozen.', 'h3', now(), 1)")
        # The previous release's insert of a new tracked claim, replayed: the second is a no-op.
        for _ in range(2):
            conn.execute("INSERT INTO claims (id, canonical_text, modality, first_seen_article_id) "
                         "VALUES ('trk_fuel', 'fuel duty is frozen', 'asserted', 'art_3') "
                         "ON CONFLICT (id) DO NOTHING")
        # and its recount of a tracked claim's mentions
        conn.execute("UPDATE claims c SET mention_count = 7, updated_at = now() WHERE c.id = 'trk_fuel'")
        written = conn.execute(
            "SELECT mention_count, negated, numbers, entities, created_at IS NOT NULL, search::text "
            "FROM tracked_claims WHERE id = 'trk_fuel'").fetchall()
    # the table's defaults and generated column fill what the old insert left out
    assert written == [(7, False, [], [], True, "'duti':2 'frozen':4 'fuel':1")]


def test_the_read_only_role_reads_both_names_and_writes_neither(old_store_url):
    migrate(old_store_url)
    if not _rows(old_store_url, "SELECT 1 FROM pg_roles WHERE rolname = 'factstream_reader'"):
        pytest.skip("this server's migrating role could not create factstream_reader")
    privileges = _rows(old_store_url, """
        SELECT t, has_table_privilege('factstream_reader', t, 'SELECT'),
               has_table_privilege('factstream_reader', t, 'INSERT')
          FROM unnest(ARRAY['tracked_claims', 'claims']) t ORDER BY t""")
    assert privileges == [("claims", True, False), ("tracked_claims", True, False)]


def test_a_new_install_has_the_table_and_the_deprecated_view(db_url):
    assert (_relkind(db_url, "tracked_claims"), _relkind(db_url, "claims")) == ("r", "v")
    assert _names_left(db_url) == []
    comment = _rows(db_url, "SELECT obj_description('claims'::regclass, 'pg_class')")[0][0]
    assert comment.startswith("Deprecated")
    table_columns = _rows(db_url, "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_name = 'tracked_claims' ORDER BY ordinal_position")
    view_columns = _rows(db_url, "SELECT column_name FROM information_schema.columns "
                                 "WHERE table_name = 'claims' ORDER BY ordinal_position")
    assert view_columns == table_columns
    if ("embedding",) in table_columns:  # pgvector was there: its HNSW index is renamed too
        assert _relkind(db_url, "tracked_claims_embedding_idx") == "i"
