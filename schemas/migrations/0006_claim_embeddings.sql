-- factstream 0006: semantic candidates. claims.embedding is the sentence embedding of a tracked
-- claim's text (MiniLM, 384 dimensions, unit length), written with the claim; an HNSW index on
-- cosine distance finds the stored claims nearest to a new one, so a restatement that shares few
-- words with a stored claim is still compared with it. Needs the pgvector extension: the embedded
-- PostgreSQL (pgserver) ships it, as do most managed services. Where it is not available this
-- migration does nothing and the store keeps to candidates by blocking key (it logs a warning).
-- Where it is available but this role may not create it, the migration fails with PostgreSQL's
-- error: have an administrator run CREATE EXTENSION vector, then migrate again.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        CREATE EXTENSION IF NOT EXISTS vector;
        ALTER TABLE claims ADD COLUMN IF NOT EXISTS embedding vector(384);
        CREATE INDEX IF NOT EXISTS claims_embedding_idx ON claims USING hnsw (embedding vector_cosine_ops);
    ELSE
        RAISE NOTICE 'pgvector is not available: claims.embedding not added (semantic candidates off)';
    END IF;
END
$$;
