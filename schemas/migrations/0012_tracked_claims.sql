-- factstream 0012: the table of tracked claims is called tracked_claims (issue 18, "names that mislead").
-- A `TrackedClaim` record (one fact) lived in table `claims`, while a `Claim` record (one mention of
-- a fact, as extracted, topic `claims`) lives in `claim_mentions`: readers took `claims` for the
-- extracted claims. The table, its indexes and its constraints now carry the record's name.
--
-- Views of earlier migrations (speaker_timeline, claim_mentions_detail, contradictions_open,
-- entity_claims) and the foreign keys of claim_keys, claim_mentions and contradictions refer to the
-- table by OID, so they follow the rename; so do the table's grants to factstream_reader.
ALTER TABLE claims RENAME TO tracked_claims;

-- Constraints first: renaming the primary key renames the index that backs it. Looked up rather
-- than listed, so that the embedding index (0006, only where pgvector is) and any claims_* index an
-- operator added are renamed too. The table has no sequence (its ids are text hashes).
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT conname FROM pg_constraint
         WHERE conrelid = 'tracked_claims'::regclass AND conname LIKE 'claims\_%'
    LOOP
        EXECUTE format('ALTER TABLE tracked_claims RENAME CONSTRAINT %I TO %I',
                       item.conname, 'tracked_' || item.conname);
    END LOOP;
    FOR item IN
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'tracked_claims'::regclass AND c.relname LIKE 'claims\_%'
    LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', item.relname, 'tracked_' || item.relname);
    END LOOP;
END
$$;

-- Deprecated, kept for one release and dropped after it: old queries (`SELECT ... FROM claims`)
-- and the writes of a worker of the previous release, still running while a deployment rolls,
-- keep working. A one-table SELECT * view is automatically updatable, so its INSERT (with
-- ON CONFLICT), UPDATE and DELETE reach tracked_claims, whose defaults fill the columns left out.
-- Its columns are tracked_claims' columns as of this migration: new ones will not appear in it.
CREATE VIEW claims AS SELECT * FROM tracked_claims;
COMMENT ON VIEW claims IS
    'Deprecated: the old name of tracked_claims (migration 0012), kept for one release. Use tracked_claims.';

-- The read-only role of 0002 reads the view too (its default privileges cover a view created by
-- the same migrating role; this covers a view created by another).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'factstream_reader') THEN
        GRANT SELECT ON tracked_claims, claims TO factstream_reader;
    END IF;
END
$$;
