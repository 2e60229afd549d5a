-- factstream 0005: candidates screened before they are built.
-- match_screen: the part of match_features a candidate is screened on ([rules version, text key,
-- content terms, aligned-content terms, speaker terms]), small enough to read with every ranked
-- candidate id. A candidate that cannot be a duplicate or a contradiction of the claim at hand
-- is then never read in full. Written with match_features; not for querying.
ALTER TABLE claims ADD COLUMN IF NOT EXISTS match_screen jsonb;
UPDATE claims
   SET match_screen = jsonb_build_array(match_features -> 'v', match_features -> 'text_key',
                                        match_features -> 'terms', match_features -> 'core_terms',
                                        match_features -> 'speaker_terms')
 WHERE match_features IS NOT NULL AND match_screen IS NULL;
