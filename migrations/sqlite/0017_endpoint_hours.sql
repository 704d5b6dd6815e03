-- Health over time (issue 13, part 6): per endpoint and hour, what its tries and deliveries
-- came to. The recorder adds each batch's results in the same transaction as the attempts, so
-- the endpoints list and an endpoint's page read at most 7 x 24 small rows per endpoint instead
-- of counting attempts (0.4 s at 10 million attempts). Kept 8 days (retention).
--
-- delivered / (delivered + failed) is the success rate by message, not by attempt: a delivery
-- that needed one retry is a success. lat_0..lat_7 count tries by duration, at most 100, 250,
-- 500, 1000, 2500, 5000, 10000 ms, and longer.
CREATE TABLE endpoint_hours (
    endpoint_id         TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    hour_start          INTEGER NOT NULL,
    app_id              TEXT NOT NULL,
    attempts_ok         INTEGER NOT NULL DEFAULT 0,
    attempts_failed     INTEGER NOT NULL DEFAULT 0,
    delivered           INTEGER NOT NULL DEFAULT 0,
    delivered_first_try INTEGER NOT NULL DEFAULT 0,
    failed              INTEGER NOT NULL DEFAULT 0,
    lat_0               INTEGER NOT NULL DEFAULT 0,
    lat_1               INTEGER NOT NULL DEFAULT 0,
    lat_2               INTEGER NOT NULL DEFAULT 0,
    lat_3               INTEGER NOT NULL DEFAULT 0,
    lat_4               INTEGER NOT NULL DEFAULT 0,
    lat_5               INTEGER NOT NULL DEFAULT 0,
    lat_6               INTEGER NOT NULL DEFAULT 0,
    lat_7               INTEGER NOT NULL DEFAULT 0,
    last_success_at     INTEGER,
    PRIMARY KEY (endpoint_id, hour_start)
);
CREATE INDEX endpoint_hours_app ON endpoint_hours(app_id, hour_start);

-- The last 8 days from the attempts already recorded: tries and latencies, and each success
-- as a delivery (a replay's counts too; close enough for the days before this version).
INSERT INTO endpoint_hours (endpoint_id, hour_start, app_id, attempts_ok, attempts_failed,
    delivered, lat_0, lat_1, lat_2, lat_3, lat_4, lat_5, lat_6, lat_7, last_success_at)
SELECT endpoint_id, (created_at / 3600000) * 3600000, MIN(app_id),
    SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 0 THEN 0 ELSE 1 END),
    SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms <= 100 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 100 AND duration_ms <= 250 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 250 AND duration_ms <= 500 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 500 AND duration_ms <= 1000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 1000 AND duration_ms <= 2500 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 2500 AND duration_ms <= 5000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 5000 AND duration_ms <= 10000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN duration_ms > 10000 THEN 1 ELSE 0 END),
    MAX(CASE WHEN status = 0 THEN created_at END)
FROM attempts
WHERE created_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 8 * 86400) * 1000
GROUP BY endpoint_id, (created_at / 3600000) * 3600000;

-- Deliveries that failed for good, in the hour they did.
INSERT INTO endpoint_hours (endpoint_id, hour_start, app_id, failed)
SELECT endpoint_id, (updated_at / 3600000) * 3600000, MIN(app_id), COUNT(*)
FROM deliveries
WHERE status = 2 AND updated_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 8 * 86400) * 1000
GROUP BY endpoint_id, (updated_at / 3600000) * 3600000
ON CONFLICT (endpoint_id, hour_start) DO UPDATE SET failed = excluded.failed;
