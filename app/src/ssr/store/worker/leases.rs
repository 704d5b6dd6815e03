//! Leases: renewed while sends are in flight, given back at shutdown, all released when a
//! single-node process starts.

use super::PENDING;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{Arg, Sql};

/// Extends the leases this instance holds, and the pauses its probes hold, while their sends are
/// in flight: a lease can then be short, so a dead instance's deliveries are taken over soon.
pub async fn renew_leases(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    probing: &[String],
) -> Result<u64, sqlx::Error> {
    let until = now_ms() + lease_ms;
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = $1
         WHERE lease_owner = $2 AND status = {PENDING}"
    ))
    .bind(until)
    .bind(owner)
    .execute(&db.write)
    .await?;
    if !probing.is_empty() {
        let mut update = Sql::new(db.backend, "UPDATE endpoints SET paused_until = ");
        update
            .bind(Arg::Int(until))
            .push(" WHERE paused_until IS NOT NULL AND paused_until < ")
            .bind(Arg::Int(until))
            .push(" AND id IN ")
            .bind_list(probing.iter().map(|e| Arg::Text(e.clone())));
        update.query().execute(&db.write).await?;
    }
    Ok(done.rows_affected())
}

/// In single-node mode a new process is the only worker: whatever an earlier process had
/// leased was never finished, and is due again at once.
pub async fn release_all_leases(db: &Db) -> Result<u64, sqlx::Error> {
    let now = now_ms();
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL
         WHERE status = {PENDING} AND lease_owner IS NOT NULL"
    ))
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}

/// Gives back leases this process holds but will not finish (graceful shutdown).
pub async fn release_leases_of(db: &Db, owner: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL
         WHERE status = {PENDING} AND lease_owner = $2"
    ))
    .bind(now_ms())
    .bind(owner)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}
