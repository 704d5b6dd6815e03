-- Operational events: an endpoint disabled, a message whose retries ran out. Each is kept for the
-- company's portal and forwarded, as a Svix-style operational webhook, to the endpoints of the
-- operator's operational application. `forwarded` makes forwarding at-least-once: a forward cut
-- short is done again by the next upkeep run, and the message's idempotency key absorbs repeats.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    event_type  TEXT NOT NULL,
    summary     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    forwarded   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notifications_app ON notifications (app_id, id);
CREATE INDEX notifications_unforwarded ON notifications (id) WHERE forwarded = 0;
