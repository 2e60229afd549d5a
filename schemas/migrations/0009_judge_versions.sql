-- The learned pair judge (issue 15): every decision names the model version that made it, so a
-- stored decision can be traced and a new model's decisions compared with the old ones.
ALTER TABLE claim_mentions ADD COLUMN IF NOT EXISTS judge_version text;
ALTER TABLE contradictions ADD COLUMN IF NOT EXISTS judge_version text;
-- The judge's probabilities and what the analyses found to differ (values, opposite words, ...).
ALTER TABLE contradictions ADD COLUMN IF NOT EXISTS judgement jsonb NOT NULL DEFAULT '{}'::jsonb;
