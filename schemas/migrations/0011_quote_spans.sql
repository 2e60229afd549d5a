-- Quotes exact and the speaker's own (issue 16). A quote split by its attribution ("We will
-- not," he said, "raise taxes.") is one quote: the mention keeps its text (the fragments joined
-- by one space, as before in `quote`) and where each fragment lies in the article body, as a
-- JSON array of [start, end) pairs, body[start:end] being the fragment exactly. Mentions stored
-- before this migration, and mentions without a quote, have none.
ALTER TABLE claim_mentions ADD COLUMN IF NOT EXISTS quote_spans jsonb NOT NULL DEFAULT '[]';
