-- factstream 0002: querying the claims database.
-- Views for the questions analysts ask most, the review log (people confirming or rejecting the
-- pipeline's decisions), a read-only role for query clients, and the indexes those queries need.
-- Views are plain (not materialised): they are always current and the indexes below keep them fast.

-- -- reviews ---------------------------------------------------------------------------------------
-- Append-only: a reviewer who changes their mind adds a row; the latest row per target wins
-- (see review_latest). The full history is what later calibrates the dedup/contradiction thresholds.
-- target_id is a contradictions.id ('contradiction') or a claim_mentions.id ('duplicate': the
-- decision that this mention states the same fact as its tracked claim).
CREATE TABLE reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_kind text NOT NULL CHECK (target_kind IN ('contradiction', 'duplicate')),
    target_id   text NOT NULL,
    verdict     text NOT NULL CHECK (verdict IN ('confirmed', 'rejected')),
    reviewer    text NOT NULL CHECK (length(reviewer) BETWEEN 1 AND 200),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_target_idx ON reviews (target_kind, target_id, created_at DESC, id DESC);
CREATE INDEX reviews_created_idx ON reviews (created_at);

-- A polymorphic target cannot have a foreign key; this trigger gives the same guarantee.
CREATE FUNCTION reviews_check_target() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.target_kind = 'contradiction'
       AND NOT EXISTS (SELECT 1 FROM contradictions WHERE id = NEW.target_id) THEN
        RAISE EXCEPTION 'no contradiction %', NEW.target_id USING ERRCODE = 'foreign_key_violation';
    ELSIF NEW.target_kind = 'duplicate'
       AND NOT EXISTS (SELECT 1 FROM claim_mentions WHERE id = NEW.target_id) THEN
        RAISE EXCEPTION 'no claim mention %', NEW.target_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER reviews_check_target BEFORE INSERT OR UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_check_target();

-- The standing verdict per target: the most recent review.
CREATE VIEW review_latest AS
SELECT DISTINCT ON (target_kind, target_id)
       target_kind, target_id, verdict, reviewer, note, created_at AS reviewed_at, id AS review_id
  FROM reviews
 ORDER BY target_kind, target_id, created_at DESC, id DESC;

-- -- indexes the query views and the API need -----------------------------------------------------
-- "Recent claims": search results and entity listings are ordered by when a claim was last seen.
CREATE INDEX claims_last_seen_idx ON claims (last_seen_at DESC NULLS LAST, id);
-- The --source filter: claims with a mention from an outlet.
CREATE INDEX claim_mentions_source_idx ON claim_mentions (source, claim_id);
-- Contradictions by kind, newest first (the contradictions list filtered by kind).
CREATE INDEX contradictions_kind_detected_idx ON contradictions (kind, detected_at DESC);

-- No trigram indexes: pg_trgm is in Debian's postgresql-15 but not in pgserver's PostgreSQL 16
-- (it ships plpgsql and vector only), and both must migrate. Full-text search uses claims.search
-- (GIN, 0001). Speaker, entity and source filters match a case-insensitive substring against the
-- small name tables (speakers, entities, sources) and then use the indexes above and in 0001.

-- -- views ----------------------------------------------------------------------------------------

-- A speaker's claims over time: one row per (speaker, tracked claim) with when the speaker said
-- it, and the stance reversals (contradictions of kind stance_reversal) it takes part in.
CREATE VIEW speaker_timeline AS
SELECT m.speaker,
       c.id                                       AS claim_id,
       c.canonical_text,
       min(m.published_at)                        AS first_said_at,
       max(m.published_at)                        AS last_said_at,
       count(*)                                   AS mentions,
       count(DISTINCT m.source)                   AS sources,
       c.modality,
       c.negated,
       c.claim_time,
       coalesce(r.reversal_ids, '{}')             AS reversal_ids,
       coalesce(r.reversed_claim_ids, '{}')       AS reversed_claim_ids,
       r.reversal_ids IS NOT NULL                 AS stance_reversal
  FROM claim_mentions m
  JOIN claims c ON c.id = m.claim_id
  LEFT JOIN LATERAL (
        SELECT array_agg(x.id ORDER BY x.detected_at, x.id) AS reversal_ids,
               array_agg(CASE WHEN x.claim_a_id = c.id THEN x.claim_b_id ELSE x.claim_a_id END
                         ORDER BY x.detected_at, x.id) AS reversed_claim_ids
          FROM contradictions x
         WHERE x.kind = 'stance_reversal' AND c.id IN (x.claim_a_id, x.claim_b_id)
  ) r ON true
 WHERE m.speaker IS NOT NULL
 GROUP BY m.speaker, c.id, r.reversal_ids, r.reversed_claim_ids;

-- A claim with all its mentions and their sources: one row per mention, with the article it came
-- from and the standing review of the dedup decision that attached it.
CREATE VIEW claim_mentions_detail AS
SELECT c.id                AS claim_id,
       c.canonical_text,
       c.speaker           AS claim_speaker,
       c.mention_count,
       c.source_count,
       m.id                AS mention_id,
       -- the mention that started the tracked claim; every later one is a dedup decision
       row_number() OVER (PARTITION BY c.id ORDER BY m.published_at NULLS LAST, m.stored_at, m.id) = 1
                           AS first_mention,
       m.source,
       m.article_id,
       a.title             AS article_title,
       a.url               AS article_url,
       m.published_at,
       m.speaker,
       m.speaker_role,
       m.reporting,
       m.text              AS mention_text,
       m.quote,
       m.span_start,
       m.span_end,
       m.modality,
       m.hedge,
       m.negated,
       m.match_score,
       rl.verdict          AS duplicate_verdict,
       rl.reviewer         AS duplicate_reviewer,
       rl.note             AS duplicate_note,
       rl.reviewed_at      AS duplicate_reviewed_at
  FROM claims c
  JOIN claim_mentions m ON m.claim_id = c.id
  JOIN articles a ON a.id = m.article_id
  LEFT JOIN review_latest rl ON rl.target_kind = 'duplicate' AND rl.target_id = m.id;

-- Open contradictions (no review yet), both claims side by side with their evidence.
CREATE VIEW contradictions_open AS
SELECT x.id,
       x.kind,
       x.score,
       x.explanation,
       x.detected_at,
       x.claim_a_id,
       a.canonical_text AS claim_a_text,
       a.speaker        AS claim_a_speaker,
       a.last_seen_at   AS claim_a_last_seen_at,
       x.claim_b_id,
       b.canonical_text AS claim_b_text,
       b.speaker        AS claim_b_speaker,
       b.last_seen_at   AS claim_b_last_seen_at,
       x.evidence
  FROM contradictions x
  JOIN claims a ON a.id = x.claim_a_id
  JOIN claims b ON b.id = x.claim_b_id
 WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.target_kind = 'contradiction' AND r.target_id = x.id);

-- Claims by entity, one row per (entity, claim). Joined through the entities table so that
-- `WHERE entity = ...` becomes a GIN lookup on claims.entities rather than a scan.
CREATE VIEW entity_claims AS
SELECT e.name AS entity,
       c.id   AS claim_id,
       c.canonical_text,
       c.speaker,
       c.first_seen_at,
       c.last_seen_at,
       c.mention_count,
       c.source_count
  FROM entities e
  JOIN claims c ON c.entities @> ARRAY[e.name];

-- -- the read-only role ---------------------------------------------------------------------------
-- A NOLOGIN group role: grant it to the login roles of query clients (psql users, BI tools).
-- Roles are cluster-wide, so another database may have created it already; a migrating user
-- without CREATEROLE gets a warning instead of a failed migration.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'factstream_reader') THEN
        BEGIN
            CREATE ROLE factstream_reader NOLOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;  -- created concurrently
            WHEN insufficient_privilege THEN
                RAISE WARNING 'cannot create role factstream_reader (%); create it and re-grant', SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'factstream_reader') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO factstream_reader', current_database());
        GRANT USAGE ON SCHEMA public TO factstream_reader;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO factstream_reader;
        -- tables and views of later migrations, created by the same migrating role
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO factstream_reader;
    END IF;
END $$;
