-- factstream 0001: the tracked-claims store.
-- Every id is deterministic (see schemas/records.py), so every write is an idempotent upsert.

CREATE TABLE sources (
    name          text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE articles (
    id           text PRIMARY KEY,
    url          text,
    source       text NOT NULL REFERENCES sources (name),
    title        text NOT NULL DEFAULT '',
    body         text NOT NULL,
    -- sha256 of the normalised body: the same body under several outlets is one syndicated story
    body_hash    text NOT NULL,
    published_at timestamptz,
    language     text,
    fetched_at   timestamptz NOT NULL,
    -- how many claims extraction emitted; the article is fully processed when that many
    -- mentions have been checked for contradictions (or dead-lettered)
    claim_count  integer NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_published_at_idx ON articles (published_at);
CREATE INDEX articles_source_idx ON articles (source);
CREATE INDEX articles_body_hash_idx ON articles (body_hash);

CREATE TABLE speakers (
    name          text PRIMARY KEY,
    role          text,
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE entities (
    name          text PRIMARY KEY,
    first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- A tracked claim: one fact, however many articles and speakers state it.
CREATE TABLE claims (
    id                    text PRIMARY KEY,
    canonical_text        text NOT NULL,
    speaker               text REFERENCES speakers (name),
    speaker_role          text,
    modality              text NOT NULL CHECK (modality IN ('asserted', 'hedged')),
    negated               boolean NOT NULL DEFAULT false,
    numbers               jsonb NOT NULL DEFAULT '[]',
    entities              text[] NOT NULL DEFAULT '{}',
    claim_time            date,
    first_seen_article_id text NOT NULL REFERENCES articles (id),
    first_seen_at         timestamptz,
    last_seen_at          timestamptz,
    mention_count         integer NOT NULL DEFAULT 0,
    source_count          integer NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- Typographic quotes and apostrophes become plain ones first: PostgreSQL's parser counts
    -- them as letters, so "Zelensky”" would otherwise never match a search for Zelensky.
    search                tsvector GENERATED ALWAYS AS (
        to_tsvector('english', translate(canonical_text, '“”„‟«»‘’‚‛‹›', repeat(chr(34), 6) || repeat(chr(39), 6)))
    ) STORED
);
CREATE INDEX claims_speaker_idx ON claims (speaker, first_seen_at);
CREATE INDEX claims_first_seen_idx ON claims (first_seen_at);
CREATE INDEX claims_entities_idx ON claims USING gin (entities);
CREATE INDEX claims_search_idx ON claims USING gin (search);

-- Blocking keys: candidates for dedup and contradiction detection are looked up by key,
-- most recent first and bounded, never by scanning all claims.
CREATE TABLE claim_keys (
    key        text NOT NULL,
    claim_id   text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key, claim_id)
);
CREATE INDEX claim_keys_recent_idx ON claim_keys (key, created_at DESC);

-- A mention: one extracted claim in one article, with its own speaker, quote and span.
CREATE TABLE claim_mentions (
    id                text PRIMARY KEY,
    claim_id          text NOT NULL REFERENCES claims (id),
    article_id        text NOT NULL REFERENCES articles (id),
    source            text NOT NULL,
    text              text NOT NULL,
    speaker           text,
    speaker_role      text,
    reporting         boolean NOT NULL DEFAULT false,
    quote             text,
    span_start        integer NOT NULL,
    span_end          integer NOT NULL,
    numbers           jsonb NOT NULL DEFAULT '[]',
    modality          text NOT NULL,
    hedge             text,
    negated           boolean NOT NULL DEFAULT false,
    entities          text[] NOT NULL DEFAULT '{}',
    claim_time        date,
    checkworthiness   real NOT NULL,
    extractor_name    text NOT NULL,
    extractor_version text NOT NULL,
    published_at      timestamptz,
    match_score       real NOT NULL,
    checked_at        timestamptz,
    stored_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (span_start >= 0 AND span_end >= span_start)
);
CREATE INDEX claim_mentions_claim_idx ON claim_mentions (claim_id);
CREATE INDEX claim_mentions_article_idx ON claim_mentions (article_id);
CREATE INDEX claim_mentions_speaker_idx ON claim_mentions (speaker, published_at);

CREATE TABLE contradictions (
    id          text PRIMARY KEY,
    claim_a_id  text NOT NULL REFERENCES claims (id),
    claim_b_id  text NOT NULL REFERENCES claims (id),
    kind        text NOT NULL CHECK (kind IN ('numeric', 'negation', 'antonym', 'stance_reversal', 'conflicting_report')),
    score       real NOT NULL,
    explanation text NOT NULL,
    evidence    jsonb NOT NULL DEFAULT '[]',
    detected_at timestamptz NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contradictions_a_idx ON contradictions (claim_a_id);
CREATE INDEX contradictions_b_idx ON contradictions (claim_b_id);
CREATE INDEX contradictions_detected_idx ON contradictions (detected_at);

CREATE TABLE dead_letters (
    id               text PRIMARY KEY,
    stage            text NOT NULL,
    reason           text NOT NULL,
    error_type       text NOT NULL DEFAULT '',
    payload          text NOT NULL,
    payload_encoding text NOT NULL,
    key              text,
    topic            text,
    partition        integer,
    "offset"         bigint,
    received_at      timestamptz NOT NULL,
    stored_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_key_idx ON dead_letters (key);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at);
