-- Company admins invite users by email with a single-use link. Only the token's SHA-256 is kept.
-- memberships.permission may now also be 'admin' (manages the company's users).
CREATE TABLE invites (
    token_hash  TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    permission  TEXT NOT NULL,
    invited_by  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX invites_app ON invites (app_id, created_at);
