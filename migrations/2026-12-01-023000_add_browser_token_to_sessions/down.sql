ALTER TABLE sessions DROP COLUMN browser_token_hash;
