-- Deliveries over a plan's hourly limit are held, not dropped: they stay pending (status 1)
-- with held = 1 and come due again when the next window opens, or at once when the plan changes.
ALTER TABLE deliveries ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
CREATE INDEX deliveries_held ON deliveries (app_id) WHERE held = 1;

-- Sends granted per company per window. A worker reserves slots here before it sends, in the
-- same transaction that holds what is over the limit, so instances sharing the work agree.
CREATE TABLE usage_windows (
    app_id       TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    window_start BIGINT NOT NULL,
    sent         BIGINT NOT NULL,
    PRIMARY KEY (app_id, window_start)
);
