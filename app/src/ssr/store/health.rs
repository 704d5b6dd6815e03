//! System health for the operator: how much work is waiting, how fast it goes, how much fails.

use crate::ids::AttemptId;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;

#[derive(Debug, Clone, Default)]
pub struct SystemHealth {
    /// Deliveries waiting to be sent (due or scheduled for a retry), held ones included.
    pub queue_depth: i64,
    /// Deliveries due now and not yet sent.
    pub due: i64,
    /// Attempts in the last minute.
    pub deliveries_last_minute: i64,
    /// Attempts and failed attempts in the last hour.
    pub attempts_last_hour: i64,
    pub failures_last_hour: i64,
    /// When the oldest due delivery became due (Unix ms), if any is waiting.
    pub oldest_due_at: Option<i64>,
    /// Deliveries held back by plans' hourly limits.
    pub held: i64,
}

impl SystemHealth {
    pub fn failure_rate(&self) -> Option<f64> {
        (self.attempts_last_hour > 0)
            .then(|| self.failures_last_hour as f64 / self.attempts_last_hour as f64)
    }
}

pub async fn stats(db: &Db) -> Result<SystemHealth, ServiceError> {
    let now = now_ms();
    let (queue_depth, held): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN held = 1 THEN 1 END) FROM deliveries WHERE status = 1",
    )
    .fetch_one(&db.read)
    .await?;
    let (due, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(next_attempt_at) FROM deliveries
         WHERE status = 1 AND held = 0 AND lease_owner IS NULL AND next_attempt_at <= $1",
    )
    .bind(now)
    .fetch_one(&db.read)
    .await?;
    // COUNT, not SUM: PostgreSQL's SUM of a bigint is a numeric. Attempt ids are ULIDs, so "since t" is a range on the primary key.
    let (minute,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attempts WHERE id >= $1")
        .bind(AttemptId::lower_bound_at(now - 60_000))
        .fetch_one(&db.read)
        .await?;
    let (hour, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN status = 2 THEN 1 END) FROM attempts WHERE id >= $1",
    )
    .bind(AttemptId::lower_bound_at(now - 3_600_000))
    .fetch_one(&db.read)
    .await?;
    Ok(SystemHealth {
        queue_depth,
        due,
        deliveries_last_minute: minute,
        attempts_last_hour: hour,
        failures_last_hour: failed,
        oldest_due_at: oldest,
        held,
    })
}

/// Whether the database answers, for the health endpoint.
pub async fn ping(db: &Db) -> Result<(), ServiceError> {
    sqlx::query("SELECT 1").execute(&db.read).await?;
    Ok(())
}
