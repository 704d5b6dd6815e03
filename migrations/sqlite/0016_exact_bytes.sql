-- Exact bytes (issue 13, part 2): each attempt says what body it sent, byte for byte.
--
-- The body depends only on the message, the deployment's envelope and the company's uid, so it
-- is kept once per distinct body of a message, not per attempt: with the raw envelope (the body
-- is the payload) nothing is kept here at all. Keyed by the body's SHA-256, so an envelope or
-- uid that changed between tries keeps both bodies. It goes with the message (retention) and
-- with its payload (expunge).
CREATE TABLE sent_bodies (
    msg_id     TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (msg_id, sha256)
);

-- NULL: sent before this version, the body was not recorded; 'payload': the message's payload
-- exactly; otherwise the sha256 of the row in sent_bodies.
ALTER TABLE attempts ADD COLUMN request_body_ref TEXT;
-- 1: the response was longer than what was kept (64 KiB).
ALTER TABLE attempts ADD COLUMN response_truncated INTEGER NOT NULL DEFAULT 0;
