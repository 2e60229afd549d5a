-- One speaker per person (issue 16). Each mention keeps the forms its article used for the
-- speaker ("Tony Blair", "Mr Blair", "the prime minister"); speaker_aliases gathers them per
-- speaker name across articles, so the query layer can merge "Mr Blair" into "Tony Blair" and
-- look a speaker up by any form. Articles say where their date came from.
ALTER TABLE claim_mentions ADD COLUMN IF NOT EXISTS speaker_aliases text[] NOT NULL DEFAULT '{}';

CREATE TABLE IF NOT EXISTS speaker_aliases (
    speaker text NOT NULL REFERENCES speakers (name),
    alias   text NOT NULL,
    PRIMARY KEY (speaker, alias)
);
-- Look-ups by any form ignore case.
CREATE INDEX IF NOT EXISTS speaker_aliases_lower_idx ON speaker_aliases (lower(alias));

-- Every speaker is known by its own name; mentions stored before this migration have no others.
INSERT INTO speaker_aliases (speaker, alias)
SELECT name, name FROM speakers
ON CONFLICT DO NOTHING;

-- 'article': the article's own date; 'given': --published-at at ingest; 'ingested': the time of
-- ingest, for articles that carry none (the BBC files). NULL: no date, or stored before this.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS date_source text
    CHECK (date_source IN ('article', 'given', 'ingested'));
UPDATE articles SET date_source = 'article' WHERE published_at IS NOT NULL AND date_source IS NULL;
