-- factstream 0004: cheaper candidates, whatever the store size.
-- match_features: the built-in matcher's analysis of a tracked claim (its terms, amounts, polarity,
-- speaker), written once when the tracked claim is created, so a worker meeting it as a candidate
-- for the first time restores it instead of analysing the text again. Tagged with the version of
-- the rules that wrote it; a worker running other rules ignores it. Not for querying.
ALTER TABLE claims ADD COLUMN IF NOT EXISTS match_features jsonb;
-- The candidate window of a blocking key is its most recent tracked claims; rows written in one
-- transaction share created_at, so the id breaks ties and the window is the same on every read.
CREATE INDEX IF NOT EXISTS claim_keys_window_idx ON claim_keys (key, created_at DESC, claim_id DESC);
DROP INDEX IF EXISTS claim_keys_recent_idx;
