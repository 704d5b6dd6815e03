//! Claiming: leasing the oldest due deliveries, and the one probe of each paused endpoint whose
//! pause has ended; what sending them needs; when the next one is due.

use super::{skip_locked, Claimed, PENDING, PROBE_CANDIDATES};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{Arg, Sql};
use sqlx::Row;

/// Leases up to `limit` due deliveries for `lease_ms` and returns what sending them needs. A
/// tenant the operator disabled sends nothing: admission parks what of it is claimed, behind its
/// endpoints, until it is enabled (filtering it out here instead would have every claim scan
/// past its retries as they fall due).
pub async fn claim(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let now = now_ms();
    let lease_until = now + lease_ms;
    let lock = skip_locked(db.backend);
    let sql = format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = $1, lease_owner = $2
         WHERE id IN (SELECT id FROM deliveries WHERE status = {PENDING} AND next_attempt_at <= $3
                      ORDER BY next_attempt_at LIMIT $4{lock})
         RETURNING id"
    );
    let ids: Vec<i64> = sqlx::query(&sql)
        .bind(lease_until)
        .bind(owner)
        .bind(now)
        .bind(limit)
        .fetch_all(&db.write)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    load_claimed(db, &ids).await
}

/// What sending the leased deliveries `ids` needs, oldest first.
async fn load_claimed(db: &Db, ids: &[i64]) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut q = Sql::new(
        db.backend,
        "SELECT d.id, d.app_id, a.uid AS app_uid, d.msg_id, d.endpoint_id, d.attempts, d.trigger_type,
                m.event_type, m.event_id, m.payload, m.created_at AS msg_created_at,
                e.url, e.headers, e.disabled, a.disabled AS app_disabled, e.version,
                p.retry_schedule AS plan_retry_schedule, p.timeout_seconds AS plan_timeout_seconds,
                p.auto_disable_after AS plan_auto_disable_after,
                p.auto_disable_min_failing AS plan_auto_disable_min_failing,
                p.deliveries_per_hour AS plan_deliveries_per_hour,
                e.paused_until, e.throttle_rate
         FROM deliveries d
         JOIN messages m ON m.id = d.msg_id
         JOIN endpoints e ON e.id = d.endpoint_id
         JOIN applications a ON a.id = d.app_id
         LEFT JOIN plans p ON p.name = a.plan
         WHERE d.id IN ",
    );
    q.bind_list(ids.iter().map(|id| Arg::Int(*id)));
    q.push(" ORDER BY d.id");
    // Read on the write pool: on SQLite the read pool may not see the lease just committed yet.
    q.query_as::<Claimed>().fetch_all(&db.write).await
}

/// Takes the probe of each paused endpoint whose pause has ended: the pause is extended by the
/// lease (so no other instance probes meanwhile), and its oldest waiting delivery is leased.
/// An endpoint with nothing waiting is simply resumed: its next delivery goes as usual, and
/// pauses it again if it fails.
pub async fn claim_probes(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let now = now_ms();
    let until = now + lease_ms;
    // Looked for on the read pool first: on SQLite even an UPDATE that matches nothing takes
    // the write lock, and this runs before every claim.
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM endpoints WHERE paused_until <= $1 AND disabled = 0
         ORDER BY paused_until LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let mut take = Sql::new(db.backend, "UPDATE endpoints SET paused_until = ");
    take.bind(Arg::Int(until))
        .push(" WHERE paused_until <= ")
        .bind(Arg::Int(now))
        .push(" AND id IN ")
        .bind_list(due.into_iter().map(Arg::Text))
        .push(" RETURNING id");
    let endpoints: Vec<String> = take
        .query()
        .fetch_all(&db.write)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    let mut ids = Vec::new();
    for endpoint in endpoints {
        // The waiting delivery that has spent fewest tries, among the oldest: probes then
        // rotate through the backlog, so no one message spends all its retries on them (the
        // tries that paused the endpoint were spent by the oldest). The pause taken above
        // makes this instance the endpoint's only prober, so no row lock is needed.
        let leased: Option<i64> = sqlx::query_scalar(&format!(
            "UPDATE deliveries SET next_attempt_at = $1, lease_until = $1, lease_owner = $2
             WHERE id = (SELECT id FROM (SELECT id, attempts FROM deliveries
                                         WHERE endpoint_id = $3 AND status = {PENDING}
                                           AND next_attempt_at IS NULL AND lease_owner IS NULL
                                         ORDER BY next_attempt_at, id
                                         LIMIT {PROBE_CANDIDATES}) oldest
                         ORDER BY attempts, id LIMIT 1)
               AND status = {PENDING} AND next_attempt_at IS NULL
             RETURNING id"
        ))
        .bind(until)
        .bind(owner)
        .bind(&endpoint)
        .fetch_optional(&db.write)
        .await?;
        match leased {
            Some(id) => ids.push(id),
            None => {
                sqlx::query(
                    "UPDATE endpoints SET paused_until = NULL, paused_reason = NULL
                     WHERE id = $1 AND paused_until = $2",
                )
                .bind(&endpoint)
                .bind(until)
                .execute(&db.write)
                .await?;
            }
        }
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut claimed = load_claimed(db, &ids).await?;
    for c in &mut claimed {
        c.probe = true;
    }
    Ok(claimed)
}

/// Whether an endpoint of a company other than `app_id` has a delivery due now or a probe to
/// send: while `app_id`'s backlog comes first in the due index, this is how a worker learns
/// that it must park it for others to get through. One index probe per endpoint of the
/// others, never a scan of the backlog.
pub async fn others_due(db: &Db, app_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(&format!(
        "SELECT e.id FROM endpoints e
         WHERE e.app_id <> $1 AND e.disabled = 0
           AND (e.paused_until <= $2
                OR (e.paused_until IS NULL
                    AND EXISTS (SELECT 1 FROM deliveries d
                                WHERE d.endpoint_id = e.id AND d.status = {PENDING}
                                  AND d.lease_owner IS NULL
                                  AND d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= $2)))
         LIMIT 1"
    ))
    .bind(app_id)
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    Ok(found.is_some())
}

/// When the next delivery is due (leases included), to sleep exactly until then.
pub async fn next_due_at(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    // `IS NOT NULL` spelled out so that SQLite, too, reads it from the due index.
    let row: (Option<i64>,) = sqlx::query_as(&format!(
        "SELECT MIN(next_attempt_at) FROM deliveries
         WHERE status = {PENDING} AND next_attempt_at IS NOT NULL"
    ))
    .fetch_one(&db.read)
    .await?;
    // The next probe of a paused endpoint is due work too.
    let probe: (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(paused_until) FROM endpoints WHERE paused_until IS NOT NULL AND disabled = 0",
    )
    .fetch_one(&db.read)
    .await?;
    Ok(match (row.0, probe.0) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// One of an endpoint's signing secrets that still signs, encrypted as stored, with the end of
/// its grace period (`None`: the current secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SigningSecret {
    pub secret_enc: String,
    pub expires_at: Option<i64>,
}

/// The secrets that sign a delivery to `endpoint_id` at `now`, newest first. Cross-tenant: the
/// worker signs for every tenant, and the endpoint id comes from a claimed delivery.
pub async fn signing_secrets(
    db: &Db,
    endpoint_id: &str,
    now: i64,
) -> Result<Vec<SigningSecret>, sqlx::Error> {
    sqlx::query_as(
        "SELECT secret_enc, expires_at FROM endpoint_secrets WHERE endpoint_id = $1
         AND (expires_at IS NULL OR expires_at > $2) ORDER BY id DESC",
    )
    .bind(endpoint_id)
    .bind(now)
    .fetch_all(&db.read)
    .await
}
