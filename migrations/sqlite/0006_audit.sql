-- The audit trail: every change, who made it, when, and what changed. Rows outlive what they
-- describe (no foreign keys): a deleted endpoint's history is exactly what an auditor asks for.
-- app_id is NULL for deployment-wide changes (plans, API keys), which only operators see.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    app_id      TEXT,
    -- 'user', 'api_key', 'portal_link' or 'system'
    actor_kind  TEXT NOT NULL,
    -- usr_…, key_…, or the host product's user id given with the portal link
    actor_id    TEXT,
    -- what people read: an email, an API key's name, "portal link"
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT,
    -- JSON: {"field": {"from": …, "to": …}} for edits, or the facts of the action
    changes     TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_app ON audit_log (app_id, id);
