-- A session started in a browser is named by an opaque cookie; only its hash is stored, as for
-- refresh tokens. Token sessions leave it empty. Revoking the row ends either kind alike.
ALTER TABLE sessions ADD COLUMN browser_token_hash bytea UNIQUE;
