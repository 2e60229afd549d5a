-- factstream 0008: the dead-letter topic carries notices (a payload prefix, its digest and size);
-- the agent that rejects a record writes the whole payload to this table itself. A row written
-- from a notice alone (a letter produced by someone else) says that its payload is only a prefix.
ALTER TABLE dead_letters
    ADD COLUMN IF NOT EXISTS payload_truncated boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS payload_sha256    text NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS payload_bytes     bigint;
