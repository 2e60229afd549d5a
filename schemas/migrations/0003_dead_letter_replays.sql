-- factstream 0003: dead letters remember being replayed (`factstream deadletters replay`).
-- A replayed letter keeps its row (the evidence of what failed and why); replayed_at says when
-- its payload was last re-sent and replay_count how often, so an operator can tell the letters
-- still waiting for a fix from those already handed back to the pipeline.
ALTER TABLE dead_letters
    ADD COLUMN IF NOT EXISTS replayed_at  timestamptz,
    ADD COLUMN IF NOT EXISTS replay_count integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS dead_letters_stage_received_idx ON dead_letters (stage, received_at);
