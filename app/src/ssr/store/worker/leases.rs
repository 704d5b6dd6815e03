//! Leases: renewed while sends are in flight, given back at shutdown or when they ran out, all
//! released when a single-node process starts.

use super::PENDING;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{Arg, Sql};

/// Extends the leases this instance holds, and the pauses its probes hold, while their sends are
/// in flight: a lease can then be short, so a dead instance's deliveries are taken over soon.
/// `since`: no lease this instance holds ends before then (the start of its previous renewal),
/// and none ends later than a lease from now: the statement reads a short range of
/// `deliveries_due` instead of every pending delivery.
pub async fn renew_leases(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    since: i64,
    probing: &[String],
) -> Result<u64, sqlx::Error> {
    let until = now_ms() + lease_ms;
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = $1
         WHERE lease_owner = $2 AND status = {PENDING}
           AND next_attempt_at IS NOT NULL AND next_attempt_at >= $3 AND next_attempt_at <= $1"
    ))
    .bind(until)
    .bind(owner)
    .bind(since)
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
         WHERE status = {PENDING} AND next_attempt_at IS NOT NULL AND lease_owner IS NOT NULL"
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
         WHERE status = {PENDING} AND next_attempt_at IS NOT NULL AND lease_owner = $2"
    ))
    .bind(now_ms())
    .bind(owner)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}

/// Gives back the leases that ended more than `grace_ms` ago, after `after` (the end of the
/// previous call's range): their instance died or lost the database. A claim takes such a
/// delivery as it would any due one, but only once it reaches the front of the due queue; given
/// back, it is in its endpoint's queue again, where the fairness checks see it (another
/// company's held backlog is parked for it, see `others_due`). Returns the end of the range read,
/// for the next call.
pub async fn unlease_expired(db: &Db, after: i64, grace_ms: i64) -> Result<i64, sqlx::Error> {
    let to = now_ms() - grace_ms;
    if to <= after {
        return Ok(after);
    }
    // Read first, on the read pool: the range also holds the deliveries that fell due in it,
    // and the single SQLite writer need not walk them.
    let expired: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT id, lease_owner, next_attempt_at FROM deliveries
         WHERE status = {PENDING} AND next_attempt_at IS NOT NULL
           AND next_attempt_at > $1 AND next_attempt_at <= $2 AND lease_owner IS NOT NULL"
    ))
    .bind(after)
    .bind(to)
    .fetch_all(&db.read)
    .await?;
    for (id, owner, at) in expired {
        // Unless renewed or recorded since it was read.
        sqlx::query(&format!(
            "UPDATE deliveries SET lease_until = NULL, lease_owner = NULL
             WHERE id = $1 AND status = {PENDING} AND lease_owner = $2 AND next_attempt_at = $3"
        ))
        .bind(id)
        .bind(&owner)
        .bind(at)
        .execute(&db.write)
        .await?;
    }
    Ok(to)
}
