//! Health over time: per endpoint and hour, its tries (succeeded, failed, how long) and its
//! deliveries (delivered, on the first try or later, failed for good). The recorder adds each
//! batch in its own transaction; the portal reads a day or a week of rows instead of counting
//! attempts.

use super::{Arg, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::ServiceError;

pub const HOUR_MS: i64 = 3_600_000;

/// Upper bounds (ms) of the latency buckets `lat_0`..`lat_6`; `lat_7` is everything longer.
pub const LATENCY_BOUNDS_MS: [i64; 7] = [100, 250, 500, 1_000, 2_500, 5_000, 10_000];
pub const LATENCY_BUCKETS: usize = LATENCY_BOUNDS_MS.len() + 1;

/// What one endpoint's hour came to (or what a batch adds to it).
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Hour {
    pub endpoint_id: String,
    pub hour_start: i64,
    pub app_id: String,
    pub attempts_ok: i64,
    pub attempts_failed: i64,
    pub delivered: i64,
    pub delivered_first_try: i64,
    pub failed: i64,
    pub lat_0: i64,
    pub lat_1: i64,
    pub lat_2: i64,
    pub lat_3: i64,
    pub lat_4: i64,
    pub lat_5: i64,
    pub lat_6: i64,
    pub lat_7: i64,
    pub last_success_at: Option<i64>,
}

const COUNTERS: [&str; 13] = [
    "attempts_ok",
    "attempts_failed",
    "delivered",
    "delivered_first_try",
    "failed",
    "lat_0",
    "lat_1",
    "lat_2",
    "lat_3",
    "lat_4",
    "lat_5",
    "lat_6",
    "lat_7",
];

impl Hour {
    pub fn new(endpoint_id: &str, app_id: &str, at_ms: i64) -> Hour {
        Hour {
            endpoint_id: endpoint_id.to_owned(),
            app_id: app_id.to_owned(),
            hour_start: at_ms.div_euclid(HOUR_MS) * HOUR_MS,
            ..Hour::default()
        }
    }

    /// A try that took `duration_ms`, at `at_ms`.
    pub fn attempt(&mut self, succeeded: bool, duration_ms: i64, at_ms: i64) {
        if succeeded {
            self.attempts_ok += 1;
            self.last_success_at = Some(self.last_success_at.map_or(at_ms, |t| t.max(at_ms)));
        } else {
            self.attempts_failed += 1;
        }
        let bucket = LATENCY_BOUNDS_MS
            .iter()
            .position(|b| duration_ms <= *b)
            .unwrap_or(LATENCY_BUCKETS - 1);
        *self.latency_mut(bucket) += 1;
    }

    pub fn latency(&self) -> [i64; LATENCY_BUCKETS] {
        [
            self.lat_0, self.lat_1, self.lat_2, self.lat_3, self.lat_4, self.lat_5, self.lat_6,
            self.lat_7,
        ]
    }

    fn latency_mut(&mut self, bucket: usize) -> &mut i64 {
        match bucket {
            0 => &mut self.lat_0,
            1 => &mut self.lat_1,
            2 => &mut self.lat_2,
            3 => &mut self.lat_3,
            4 => &mut self.lat_4,
            5 => &mut self.lat_5,
            6 => &mut self.lat_6,
            _ => &mut self.lat_7,
        }
    }

    fn counters(&self) -> [i64; 13] {
        let l = self.latency();
        [
            self.attempts_ok,
            self.attempts_failed,
            self.delivered,
            self.delivered_first_try,
            self.failed,
            l[0],
            l[1],
            l[2],
            l[3],
            l[4],
            l[5],
            l[6],
            l[7],
        ]
    }

    /// Adds another tally of the same endpoint (over any hours: for sums over a window).
    pub fn add(&mut self, o: &Hour) {
        self.attempts_ok += o.attempts_ok;
        self.attempts_failed += o.attempts_failed;
        self.delivered += o.delivered;
        self.delivered_first_try += o.delivered_first_try;
        self.failed += o.failed;
        let l = o.latency();
        for (i, n) in l.iter().enumerate() {
            *self.latency_mut(i) += n;
        }
        self.last_success_at = match (self.last_success_at, o.last_success_at) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The latency bound (ms) within which a share `q` of the tries answered: `Some(None)` when it
/// is past the last bound, `None` without tries.
pub fn percentile(lat: &[i64; LATENCY_BUCKETS], q: f64) -> Option<Option<i64>> {
    let total: i64 = lat.iter().sum();
    if total == 0 {
        return None;
    }
    let want = (q * total as f64).ceil() as i64;
    let mut seen = 0;
    for (i, n) in lat.iter().enumerate() {
        seen += n;
        if seen >= want {
            return Some(LATENCY_BOUNDS_MS.get(i).copied());
        }
    }
    Some(None)
}

/// Adds each tally to its endpoint's hour, in the recorder's transaction. One statement for
/// the whole batch; `hours` must hold each (endpoint, hour) once (PostgreSQL refuses to update a
/// row twice in one statement).
pub async fn add<'c, E>(exec: E, db: &Db, hours: &[Hour]) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if hours.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(
        db.backend,
        "INSERT INTO endpoint_hours (endpoint_id, hour_start, app_id, ",
    );
    q.push(&COUNTERS.join(", "))
        .push(", last_success_at) VALUES ");
    for (n, h) in hours.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.push("(")
            .bind(Arg::Text(h.endpoint_id.clone()))
            .push(", ")
            .bind(Arg::Int(h.hour_start))
            .push(", ")
            .bind(Arg::Text(h.app_id.clone()));
        for v in h.counters() {
            q.push(", ").bind(Arg::Int(v));
        }
        q.push(", ");
        match h.last_success_at {
            Some(t) => q.bind(Arg::Int(t)),
            None => q.push("NULL"),
        };
        q.push(")");
    }
    q.push(" ON CONFLICT (endpoint_id, hour_start) DO UPDATE SET ");
    for c in COUNTERS {
        q.push(&format!("{c} = endpoint_hours.{c} + excluded.{c}, "));
    }
    // Portable: neither SQLite's max() nor PostgreSQL's GREATEST is in both.
    q.push(
        "last_success_at = CASE
            WHEN excluded.last_success_at IS NULL THEN endpoint_hours.last_success_at
            WHEN endpoint_hours.last_success_at IS NULL
              OR excluded.last_success_at > endpoint_hours.last_success_at
              THEN excluded.last_success_at
            ELSE endpoint_hours.last_success_at END",
    );
    q.query().execute(exec).await?;
    Ok(())
}

/// A company's endpoint-hours since `since_ms`, oldest first.
pub async fn of_company(db: &Db, app: &AppId, since_ms: i64) -> Result<Vec<Hour>, ServiceError> {
    Ok(sqlx::query_as(
        "SELECT * FROM endpoint_hours WHERE app_id = $1 AND hour_start >= $2
         ORDER BY hour_start",
    )
    .bind(app.as_str())
    .bind(since_ms.div_euclid(HOUR_MS) * HOUR_MS)
    .fetch_all(&db.read)
    .await?)
}

/// One endpoint's hours since `since_ms`, oldest first (its company checked by the caller).
pub async fn of_endpoint(
    db: &Db,
    endpoint_id: &str,
    since_ms: i64,
) -> Result<Vec<Hour>, ServiceError> {
    Ok(sqlx::query_as(
        "SELECT * FROM endpoint_hours WHERE endpoint_id = $1 AND hour_start >= $2
         ORDER BY hour_start",
    )
    .bind(endpoint_id)
    .bind(since_ms.div_euclid(HOUR_MS) * HOUR_MS)
    .fetch_all(&db.read)
    .await?)
}

/// Drops hours older than `before_ms` (retention); returns how many.
pub async fn purge(db: &Db, before_ms: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM endpoint_hours WHERE hour_start < $1")
            .bind(before_ms)
            .execute(&db.write)
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_try_lands_in_its_latency_bucket_and_hour() {
        let mut h = Hour::new("ep_1", "app_1", 3 * HOUR_MS + 5);
        assert_eq!(h.hour_start, 3 * HOUR_MS);
        h.attempt(true, 100, 10);
        h.attempt(false, 101, 20);
        h.attempt(true, 20_000, 5);
        assert_eq!(h.latency(), [1, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!((h.attempts_ok, h.attempts_failed), (2, 1));
        assert_eq!(h.last_success_at, Some(10));
        let mut sum = Hour::default();
        sum.add(&h);
        sum.add(&h);
        assert_eq!(sum.latency(), [2, 2, 0, 0, 0, 0, 0, 2]);
        assert_eq!(sum.last_success_at, Some(10));
        assert_eq!(percentile(&sum.latency(), 0.5), Some(Some(250)));
        assert_eq!(percentile(&sum.latency(), 0.3), Some(Some(100)));
        assert_eq!(percentile(&sum.latency(), 0.99), Some(None));
        assert_eq!(percentile(&[0; LATENCY_BUCKETS], 0.5), None);
    }
}
