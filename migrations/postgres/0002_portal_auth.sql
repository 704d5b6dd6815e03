-- Portal sign-in: users with a password, their per-company permissions, and portal sessions
-- (from a password sign-in or from a magic link). Session ids and CSRF tokens are stored as
-- SHA-256 hashes; the browser holds the only copy of the secret.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    is_operator    BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- What a user may do in one company: 'integration.read' or 'integration.write'.
CREATE TABLE memberships (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    app_id      TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id)
);
CREATE INDEX memberships_app ON memberships (app_id);

-- A magic-link session is bound to one company (app_id) with the link's permission; a password
-- session (user_id) takes its permissions from memberships at every request, so revoking a
-- membership takes effect at once.
CREATE TABLE portal_sessions (
    id_hash              TEXT PRIMARY KEY,
    user_id              TEXT REFERENCES users(id) ON DELETE CASCADE,
    app_id               TEXT REFERENCES applications(id) ON DELETE CASCADE,
    can_write            BIGINT NOT NULL DEFAULT 0,
    feature_flags        TEXT,
    external_session_id  TEXT,
    expires_at           BIGINT NOT NULL,
    created_at           BIGINT NOT NULL
);
CREATE INDEX portal_sessions_app ON portal_sessions (app_id, external_session_id);
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);

ALTER TABLE portal_links ADD COLUMN feature_flags TEXT;

-- The portal's delivery log lists a company's attempts newest first, with keyset pagination.
CREATE INDEX attempts_app ON attempts (app_id, id);
