-- Auto-disable follows a real failure (DESIGN.md): a plan may set its own least time failing,
-- in seconds, before its companies' endpoints are disabled. NULL: the deployment's (the preset's,
-- or HERALD_AUTO_DISABLE_MIN_FAILING).
ALTER TABLE plans ADD COLUMN auto_disable_min_failing INTEGER;

-- An e-mail owed to a company's admins: one of its endpoints has started failing. Written in the
-- transaction that recorded the failure (so a crash does not lose it), sent afterwards by a
-- background step (so the recorder never waits on SMTP). One per failing streak: the streak is
-- the endpoint and when it started failing. claimed_until keeps two senders (two instances, or a
-- step started while another runs) off the same row; sent_to lists, one per line, the admins
-- already mailed, so a retry after a partial failure mails only the rest; sent_at marks it done.
CREATE TABLE failing_mails (
    endpoint_id       TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    failing_since     INTEGER NOT NULL,
    app_id            TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    failures          INTEGER NOT NULL,
    last_status_code  INTEGER NOT NULL,
    last_error        TEXT,
    disable_after     INTEGER NOT NULL,
    min_failing_ms    INTEGER NOT NULL,
    sent_to           TEXT NOT NULL DEFAULT '',
    tries             INTEGER NOT NULL DEFAULT 0,
    claimed_until     INTEGER,
    sent_at           INTEGER,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, failing_since)
);
CREATE INDEX failing_mails_unsent ON failing_mails (created_at) WHERE sent_at IS NULL;
