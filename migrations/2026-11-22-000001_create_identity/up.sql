-- Users, their sessions (refresh-token chains) and single-use e-mail tokens.
CREATE TABLE users (
    id                uuid PRIMARY KEY,
    -- NULL once the account is erased (GDPR); reviews keep pointing at the tombstone row.
    email             text,
    display_name      text NOT NULL,
    password_hash     text,
    email_verified_at timestamptz,
    is_moderator      boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz
);
-- E-mail is unique regardless of case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE email IS NOT NULL;

-- One row per login: the chain of refresh tokens it issues. Revoking the session ends the chain
-- and every access token that names it.
CREATE TABLE sessions (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Only hashes are stored: a leaked table cannot be replayed.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    -- Set when the token is exchanged; presenting it again is reuse and revokes the session.
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE email_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_tokens_user_id_idx ON email_tokens (user_id);
