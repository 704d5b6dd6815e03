-- Times are integer milliseconds since the Unix epoch (UTC) in both backends, so the SQL stays portable.
-- Flags are integers 0/1 for the same reason.

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE applications (
    id            TEXT PRIMARY KEY,
    uid           TEXT,
    name          TEXT NOT NULL,
    metadata      TEXT NOT NULL DEFAULT '{}',
    throttle_rate BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT applications_uid_key UNIQUE (uid)
);

CREATE TABLE event_types (
    name         TEXT PRIMARY KEY,
    description  TEXT NOT NULL,
    group_name   TEXT,
    schemas      TEXT,
    archived     BIGINT NOT NULL DEFAULT 0,
    deprecated   BIGINT NOT NULL DEFAULT 0,
    feature_flag TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE endpoints (
    id                   TEXT PRIMARY KEY,
    app_id               TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    uid                  TEXT,
    url                  TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    event_types          TEXT,
    channels             TEXT,
    disabled             BIGINT NOT NULL DEFAULT 0,
    disabled_reason      TEXT,
    disabled_at          BIGINT,
    metadata             TEXT NOT NULL DEFAULT '{}',
    headers              TEXT NOT NULL DEFAULT '{}',
    throttle_rate        BIGINT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    first_failure_at     BIGINT,
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    CONSTRAINT endpoints_app_uid_key UNIQUE (app_id, uid)
);
CREATE INDEX endpoints_app ON endpoints(app_id, id);

CREATE TABLE endpoint_secrets (
    id          BIGSERIAL PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    secret_enc  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT
);
CREATE INDEX endpoint_secrets_endpoint ON endpoint_secrets(endpoint_id);

CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    event_type  TEXT NOT NULL,
    event_id    TEXT,
    payload     TEXT,
    channels    TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX messages_app ON messages(app_id, id);
CREATE UNIQUE INDEX messages_app_event_id ON messages(app_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE idempotency_keys (
    app_id      TEXT NOT NULL,
    key         TEXT NOT NULL,
    status      BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (app_id, key)
);

-- One row per (message, endpoint): the queue, and the answer to "what happened to this event there".
-- status: 0 success, 1 pending, 2 failed, 4 skipped (with skip_reason).
CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    app_id          TEXT NOT NULL,
    msg_id          TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    endpoint_id     TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    status          BIGINT NOT NULL,
    skip_reason     TEXT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    lease_until     BIGINT,
    lease_owner     TEXT,
    last_status_code BIGINT,
    trigger_type    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CONSTRAINT deliveries_msg_endpoint_key UNIQUE (msg_id, endpoint_id)
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 1;
CREATE INDEX deliveries_endpoint ON deliveries(endpoint_id, msg_id);

-- trigger_type: 0 scheduled, 1 manual. status: 0 success, 2 failed.
CREATE TABLE attempts (
    id                   TEXT PRIMARY KEY,
    app_id               TEXT NOT NULL,
    msg_id               TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    endpoint_id          TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    url                  TEXT NOT NULL,
    status               BIGINT NOT NULL,
    response_status_code BIGINT NOT NULL,
    response             TEXT,
    response_headers     TEXT,
    request_headers      TEXT,
    duration_ms          BIGINT NOT NULL,
    trigger_type         BIGINT NOT NULL,
    error                TEXT,
    created_at           BIGINT NOT NULL
);
CREATE INDEX attempts_msg ON attempts(msg_id, id);
CREATE INDEX attempts_endpoint ON attempts(endpoint_id, id);

CREATE TABLE portal_links (
    token_hash       TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    read_only        BIGINT NOT NULL,
    capabilities     TEXT,
    session_id       TEXT,
    session_secs     BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT,
    created_at       BIGINT NOT NULL
);
