-- Plans limit what a company (application) may do. An application without a plan has no limits:
-- that is how a deployment that does not sell plans runs.
CREATE TABLE plans (
    name                TEXT PRIMARY KEY,
    max_endpoints       BIGINT NOT NULL,
    deliveries_per_hour BIGINT NOT NULL,
    -- JSON list of durations between attempts, e.g. ["5m","30m","2h"]
    retry_schedule      TEXT NOT NULL,
    timeout_seconds     BIGINT NOT NULL,
    retention_days      BIGINT NOT NULL,
    auto_disable_after  BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

INSERT INTO plans (name, max_endpoints, deliveries_per_hour, retry_schedule, timeout_seconds,
                   retention_days, auto_disable_after, created_at, updated_at)
VALUES ('Basic', 2, 100, '["5m","30m","2h","5h","10h"]', 10, 30, 100, 0, 0),
       ('Pro', 50, 5000, '["5m","30m","2h","5h","10h"]', 10, 90, 100, 0, 0);

ALTER TABLE applications ADD COLUMN plan TEXT REFERENCES plans(name);
