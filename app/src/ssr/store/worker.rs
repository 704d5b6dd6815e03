//! The delivery rows are the queue. Claiming a row leases it: `next_attempt_at` moves to the end
//! of the lease, so a worker that dies simply lets the row come due again (at-least-once).
//! Results are written in batches, each in one transaction with the attempts they produced.

use super::notifications;
use super::Arg;
use super::Sql;
use crate::ids::AttemptId;
use crate::ssr::delivery::schedule::{PauseReason, Scheduling};
use crate::ssr::delivery::state::{AttemptState, DeliveryState, Trigger};
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::infra::time::now_ms;
use sqlx::Row;

/// Rows per multi-row statement: SQLite binds parameters by a linear scan of their names, so
/// one statement's binding cost grows with the square of its parameters (see ingest.rs).
const ROWS_PER_STATEMENT: usize = 64;

// Spelled into the SQL text rather than bound: the due-deliveries index is partial on
// `status = 1`, and a bound parameter would keep the planner from using it.
const PENDING: i64 = DeliveryState::Pending.as_i64();

/// How far into a paused endpoint's backlog a probe looks for the delivery with fewest tries.
const PROBE_CANDIDATES: i64 = 100;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub app_id: String,
    /// The application's uid: the tenant's id in the host product.
    pub app_uid: Option<String>,
    pub msg_id: String,
    pub endpoint_id: String,
    pub attempts: i64,
    pub trigger_type: i64,
    pub event_type: String,
    pub event_id: Option<String>,
    pub payload: Option<String>,
    pub msg_created_at: i64,
    pub url: String,
    pub headers: String,
    pub disabled: i64,
    pub version: i64,
    /// The tenant's plan's settings, when it is on a plan; otherwise the deployment's apply.
    pub plan_retry_schedule: Option<String>,
    pub plan_timeout_seconds: Option<i64>,
    pub plan_auto_disable_after: Option<i64>,
    pub plan_deliveries_per_hour: Option<i64>,
    /// The endpoint is paused until then (circuit open, or `Retry-After`); `None`: not paused.
    pub paused_until: Option<i64>,
    /// The endpoint's `throttleRate`: at most this many sends a second.
    pub throttle_rate: Option<i64>,
    /// Claimed as the one probe of a paused endpoint (see [`claim_probes`]).
    #[sqlx(skip)]
    pub probe: bool,
}

impl Claimed {
    /// What queued this send; an integer the schema does not know reads as scheduled.
    pub fn trigger(&self) -> Trigger {
        Trigger::from_i64(self.trigger_type).unwrap_or_default()
    }
}

/// Leases up to `limit` due deliveries for `lease_ms` and returns what sending them needs. A
/// tenant the operator disabled sends nothing: its due deliveries stay pending until it is enabled.
pub async fn claim(
    db: &Db,
    owner: &str,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let now = now_ms();
    let lease_until = now + lease_ms;
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE deliveries SET next_attempt_at = $1, lease_until = $1, lease_owner = $2
         WHERE id IN (SELECT id FROM deliveries WHERE status = {PENDING} AND next_attempt_at <= $3
                        AND app_id NOT IN (SELECT id FROM applications WHERE disabled <> 0)
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
                e.url, e.headers, e.disabled, e.version,
                p.retry_schedule AS plan_retry_schedule, p.timeout_seconds AS plan_timeout_seconds,
                p.auto_disable_after AS plan_auto_disable_after,
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
                                           AND next_attempt_at IS NULL
                                         ORDER BY id LIMIT {PROBE_CANDIDATES}) oldest
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

/// Puts claimed deliveries back to wait behind their endpoint (no next attempt time): they are
/// not attempts, and are released as the endpoint frees up or resumes.
pub async fn park(db: &Db, owner: &str, ids: &[i64]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT * 4) {
        let mut update = Sql::new(
            db.backend,
            "UPDATE deliveries SET next_attempt_at = NULL, lease_until = NULL, lease_owner = NULL
             WHERE lease_owner = ",
        );
        update
            .bind(Arg::Text(owner.to_owned()))
            .push(" AND id IN ")
            .bind_list(chunk.iter().map(|id| Arg::Int(*id)));
        update.query().execute(&db.write).await?;
    }
    Ok(())
}

/// Parks every due, unclaimed delivery of an endpoint that is at its in-flight cap or paused,
/// so its backlog leaves the due index at once instead of being scanned by every claim.
pub async fn park_backlog(db: &Db, endpoint_id: &str) -> Result<u64, sqlx::Error> {
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = NULL
         WHERE id IN (SELECT id FROM deliveries
                      WHERE endpoint_id = $1 AND status = {PENDING} AND next_attempt_at <= $2
                        AND lease_owner IS NULL AND held = 0{lock})"
    ))
    .bind(endpoint_id)
    .bind(now_ms())
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}

/// Gives claimed deliveries back to come due at the given times (an endpoint's `throttleRate`):
/// not attempts, so they spend none of their retries.
pub async fn defer(db: &Db, owner: &str, until: &[(i64, i64)]) -> Result<(), sqlx::Error> {
    let mut tx = db.write.begin().await?;
    for (id, at) in until {
        sqlx::query(
            "UPDATE deliveries SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL
             WHERE id = $2 AND lease_owner = $3",
        )
        .bind(at)
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

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

/// The safety net under the releases: an enabled, unpaused endpoint with deliveries waiting
/// and none due or in flight has nothing left that would release them (a release that raced a
/// park on another instance, a crash between the two). Makes up to `n` of each such endpoint's
/// waiting deliveries due; returns how many.
pub async fn release_stranded(db: &Db, n: i64) -> Result<u64, sqlx::Error> {
    let stranded: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT e.id FROM endpoints e
         WHERE e.disabled = 0 AND e.paused_until IS NULL
           AND EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id
                       AND d.status = {PENDING} AND d.next_attempt_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id
                           AND d.status = {PENDING} AND d.next_attempt_at IS NOT NULL)
           AND e.app_id NOT IN (SELECT id FROM applications WHERE disabled <> 0)"
    ))
    .fetch_all(&db.read)
    .await?;
    let now = now_ms();
    let mut released = 0;
    for endpoint in stranded {
        released += release_waiting(&db.write, db.backend, &endpoint, n, now).await?;
    }
    Ok(released)
}

/// Makes up to `n` of an endpoint's waiting deliveries due now, oldest first, unless the
/// endpoint is paused or disabled. Returns how many.
pub async fn release_waiting<'e, E>(
    exec: E,
    backend: Backend,
    endpoint_id: &str,
    n: i64,
    now: i64,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1
         WHERE id IN (SELECT id FROM deliveries
                      WHERE endpoint_id = $2 AND status = {PENDING} AND next_attempt_at IS NULL
                      ORDER BY id LIMIT $3{lock})
           AND EXISTS (SELECT 1 FROM endpoints
                       WHERE id = $2 AND disabled = 0 AND paused_until IS NULL)"
    ))
    .bind(now)
    .bind(endpoint_id)
    .bind(n)
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}

/// The window a time falls in, for plans' hourly limits: `[start, start + window_ms)`.
pub fn window_of(now: i64, window_ms: i64) -> (i64, i64) {
    let start = now - now.rem_euclid(window_ms);
    (start, start + window_ms)
}

/// Applies plans' hourly limits to a claimed batch: for each company on a plan, reserves as many
/// sends in the current window as it has left, and holds the rest until the next window opens
/// (they stay pending, so nothing is dropped). Returns what may be sent now.
///
/// Deliveries that will not be sent (disabled endpoint, expunged content) take no slot. Within a
/// company the oldest deliveries go first, so a backlog drains in order.
pub async fn hold_over_limit(
    db: &Db,
    owner: &str,
    mut claimed: Vec<Claimed>,
    window_ms: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut limited: Vec<(String, i64, Vec<i64>)> = Vec::new();
    for c in &claimed {
        let Some(limit) = c.plan_deliveries_per_hour else {
            continue;
        };
        if c.disabled != 0 || c.payload.is_none() {
            continue;
        }
        match limited.iter_mut().find(|(a, _, _)| *a == c.app_id) {
            Some((_, _, ids)) => ids.push(c.id),
            None => limited.push((c.app_id.clone(), limit, vec![c.id])),
        }
    }
    if limited.is_empty() {
        return Ok(claimed);
    }
    let (start, end) = window_of(now_ms(), window_ms);
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let mut held: Vec<i64> = Vec::new();
    let mut tx = db.write.begin().await?;
    for (app, limit, mut ids) in limited {
        sqlx::query(
            "INSERT INTO usage_windows (app_id, window_start, sent) VALUES ($1, $2, 0)
             ON CONFLICT (app_id, window_start) DO NOTHING",
        )
        .bind(&app)
        .bind(start)
        .execute(&mut *tx)
        .await?;
        let (sent,): (i64,) = sqlx::query_as(&format!(
            "SELECT sent FROM usage_windows WHERE app_id = $1 AND window_start = $2{lock}"
        ))
        .bind(&app)
        .bind(start)
        .fetch_one(&mut *tx)
        .await?;
        let granted = usize::try_from((limit - sent).max(0))
            .unwrap_or(0)
            .min(ids.len());
        if granted > 0 {
            sqlx::query(
                "UPDATE usage_windows SET sent = sent + $3 WHERE app_id = $1 AND window_start = $2",
            )
            .bind(&app)
            .bind(start)
            .bind(granted as i64)
            .execute(&mut *tx)
            .await?;
        }
        ids.sort_unstable();
        held.extend_from_slice(&ids[granted..]);
    }
    for chunk in held.chunks(ROWS_PER_STATEMENT * 4) {
        let mut update = Sql::new(
            db.backend,
            "UPDATE deliveries SET held = 1, lease_until = NULL, lease_owner = NULL, next_attempt_at = ",
        );
        update
            .bind(Arg::Int(end))
            .push(" WHERE lease_owner = ")
            .bind(Arg::Text(owner.to_owned()))
            .push(" AND id IN ")
            .bind_list(chunk.iter().map(|id| Arg::Int(*id)));
        update.query().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if !held.is_empty() {
        tracing::info!(deliveries = held.len(), until = end, "held by plan limits");
        let held: std::collections::HashSet<i64> = held.into_iter().collect();
        claimed.retain(|c| !held.contains(&c.id));
    }
    Ok(claimed)
}

/// Sends held back by a plan's hourly limit come due at once: the company changed plan, or its
/// plan's limits changed, so the next claim weighs them again under the new limit.
pub async fn release_held<'e, E>(
    exec: E,
    app: Option<&str>,
    plan: Option<&str>,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE deliveries SET next_attempt_at = $1
         WHERE held = 1 AND status = 1 AND lease_owner IS NULL
           AND app_id IN (SELECT id FROM applications WHERE id = $2 OR plan = $3)",
    )
    .bind(now_ms())
    .bind(app)
    .bind(plan)
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}

/// When the next delivery is due (leases included), to sleep exactly until then.
pub async fn next_due_at(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    let row: (Option<i64>,) = sqlx::query_as(&format!(
        "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = {PENDING}"
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

#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub url: String,
    pub succeeded: bool,
    pub response_status_code: i64,
    pub response: String,
    pub response_headers: String,
    pub request_headers: String,
    pub duration_ms: i64,
    pub trigger: Trigger,
    pub error: Option<String>,
    pub created_at: i64,
    /// False when the try failed on Herald's side before anything was sent (its signing
    /// secrets could not be loaded): the attempt is recorded, but the endpoint is not to blame,
    /// so it does not lengthen the endpoint's failure streak.
    pub counts_against_endpoint: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Succeeded,
    RetryAt(i64),
    /// Retries exhausted, or the endpoint is gone: the delivery failed for good.
    Failed,
    Skipped(&'static str),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub delivery_id: i64,
    pub app_id: String,
    pub msg_id: String,
    pub endpoint_id: String,
    pub attempt: Option<AttemptRecord>,
    pub next: Next,
    /// Disable the endpoint now, with this reason (e.g. it answered 410 Gone).
    pub disable_endpoint: Option<String>,
    /// The tenant's plan's auto-disable threshold; `None` means the deployment's.
    pub auto_disable_after: Option<u32>,
    /// This send was the probe of a paused endpoint: on failure it keeps its own retry time
    /// instead of waiting, so the next probe is another delivery.
    pub probe: bool,
    /// The receiver asked for a pause (`Retry-After` on a 429 or 503), in milliseconds.
    pub pause_for_ms: Option<i64>,
    /// Tries of this delivery with this one, if it was tried.
    pub tries: i64,
}

/// What [`record`] changed that others should hear about.
#[derive(Debug, Default)]
pub struct Recorded {
    pub disabled_endpoints: Vec<(String, String)>,
    pub attempt_ids: Vec<String>,
    /// Operational notifications were written: forward them.
    pub notified: bool,
    /// Endpoints this batch paused (they were not before): id, why, for how long (ms).
    pub paused_endpoints: Vec<(String, PauseReason, i64)>,
    /// Paused endpoints a success in this batch resumed.
    pub resumed_endpoints: Vec<String>,
}

/// Writes a batch of results in one transaction: the attempts, the delivery states, and what
/// they mean for each endpoint: its failure streak, a pause (circuit open after
/// `policy.pause_after` failures in a row, or a `Retry-After`), its resumption after a success
/// (its waiting backlog is released at once), and auto-disable once it has failed
/// `auto_disable_after` times in a row for at least `policy.auto_disable_min_failing`.
///
/// A delivery's state changes only while `owner` still holds its lease. A resend or recovery
/// clears the lease to queue the delivery again; a result that arrives after that (the send that
/// was in flight when the user pressed "Replay") is kept as an attempt but must not mark the
/// re-queued delivery done, or the replay would be silently dropped.
pub async fn record(
    db: &Db,
    owner: &str,
    outcomes: &[Outcome],
    auto_disable_after: u32,
    policy: &Scheduling,
) -> Result<Recorded, sqlx::Error> {
    let now = now_ms();
    let mut out = Recorded::default();
    let mut tx = db.write.begin().await?;

    let attempt_ids: Vec<Option<String>> = outcomes
        .iter()
        .map(|o| {
            o.attempt
                .as_ref()
                .map(|_| AttemptId::generate().to_string())
        })
        .collect();
    let with_attempt: Vec<(&Outcome, &AttemptRecord, &String)> = outcomes
        .iter()
        .zip(&attempt_ids)
        .filter_map(|(o, id)| Some((o, o.attempt.as_ref()?, id.as_ref()?)))
        .collect();
    for chunk in with_attempt.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Sql::new(db.backend,
            "INSERT INTO attempts (id, app_id, msg_id, endpoint_id, url, status, response_status_code, response,
             response_headers, request_headers, duration_ms, trigger_type, error, created_at) VALUES ",
        );
        for (n, (o, a, id)) in chunk.iter().enumerate() {
            let id = (*id).clone();
            if n > 0 {
                insert.push(", ");
            }
            insert.push("(");
            let vals = [
                Arg::Text(id.clone()),
                Arg::Text(o.app_id.clone()),
                Arg::Text(o.msg_id.clone()),
                Arg::Text(o.endpoint_id.clone()),
                Arg::Text(a.url.clone()),
                Arg::Int(if a.succeeded {
                    AttemptState::Succeeded.as_i64()
                } else {
                    AttemptState::Failed.as_i64()
                }),
                Arg::Int(a.response_status_code),
                Arg::Text(a.response.clone()),
                Arg::Text(a.response_headers.clone()),
                Arg::Text(a.request_headers.clone()),
                Arg::Int(a.duration_ms),
                Arg::Int(a.trigger.as_i64()),
            ];
            for (i, v) in vals.into_iter().enumerate() {
                if i > 0 {
                    insert.push(", ");
                }
                insert.bind(v);
            }
            insert.push(", ");
            match &a.error {
                Some(e) => insert.bind(Arg::Text(e.clone())),
                None => insert.push("NULL"),
            };
            insert.push(", ").bind(Arg::Int(a.created_at)).push(")");
            out.attempt_ids.push(id);
        }
        insert.query().execute(&mut *tx).await?;
    }

    let endpoints = endpoint_effects(outcomes, auto_disable_after);
    let mut waiting: Vec<&str> = Vec::new();
    for ep in &endpoints {
        let after = apply_endpoint_effect(&mut tx, ep, policy, now).await?;
        if after.waits {
            waiting.push(&ep.id);
        }
        if let Some(reason) = after.disabled {
            out.disabled_endpoints.push((ep.id.clone(), reason));
        }
        if let Some((why, ms)) = after.newly_paused {
            out.paused_endpoints.push((ep.id.clone(), why, ms));
        }
        if after.resumed {
            out.resumed_endpoints.push(ep.id.clone());
        }
        if after.release > 0 {
            release_waiting(&mut *tx, db.backend, &ep.id, after.release, now).await?;
        }
        if after.resumed {
            // Its probes' retries go now too, with the backlog: the endpoint just proved healthy.
            sqlx::query(&format!(
                "UPDATE deliveries SET next_attempt_at = $1
                 WHERE endpoint_id = $2 AND status = {PENDING} AND next_attempt_at > $1
                   AND lease_owner IS NULL AND held = 0"
            ))
            .bind(now)
            .bind(&ep.id)
            .execute(&mut *tx)
            .await?;
        }
    }

    // Successes are the bulk of every batch and differ only in their status code: one UPDATE per
    // code instead of one per delivery.
    let mut succeeded: Vec<(i64, Vec<i64>)> = Vec::new();
    for o in outcomes {
        if let (Next::Succeeded, Some(a)) = (&o.next, &o.attempt) {
            match succeeded
                .iter_mut()
                .find(|(c, _)| *c == a.response_status_code)
            {
                Some((_, ids)) => ids.push(o.delivery_id),
                None => succeeded.push((a.response_status_code, vec![o.delivery_id])),
            }
        }
    }
    for (code, ids) in &succeeded {
        for chunk in ids.chunks(ROWS_PER_STATEMENT * 4) {
            let mut update = Sql::new(db.backend, "UPDATE deliveries SET status = ");
            update
                .bind(Arg::Int(DeliveryState::Succeeded.as_i64()))
                .push(
                    ", next_attempt_at = NULL, skip_reason = NULL, held = 0,
                     attempts = attempts + 1, last_status_code = ",
                )
                .bind(Arg::Int(*code))
                .push(", lease_until = NULL, lease_owner = NULL, updated_at = ")
                .bind(Arg::Int(now))
                .push(" WHERE lease_owner = ")
                .bind(Arg::Text(owner.to_owned()))
                .push(" AND id IN ")
                .bind_list(chunk.iter().map(|id| Arg::Int(*id)));
            update.query().execute(&mut *tx).await?;
        }
    }

    for (idx, o) in outcomes.iter().enumerate() {
        // (status, next attempt, skip reason, attempts added); None: updated with the successes.
        let row: Option<(DeliveryState, Option<i64>, Option<&str>, i64)> = match &o.next {
            Next::Succeeded if o.attempt.is_some() => None,
            Next::Succeeded => Some((DeliveryState::Succeeded, None, None, 1)),
            // A paused or disabled endpoint's retries wait for it instead of their own time,
            // so they go as soon as it resumes; a probe keeps its time, so the next probe is
            // another delivery and no single one spends all its retries on probes.
            Next::RetryAt(_) if !o.probe && waiting.contains(&o.endpoint_id.as_str()) => {
                Some((DeliveryState::Pending, None, None, 1))
            }
            Next::RetryAt(t) => Some((DeliveryState::Pending, Some(*t), None, 1)),
            Next::Failed => Some((DeliveryState::Failed, None, None, 1)),
            Next::Skipped(r) => Some((DeliveryState::Skipped, None, Some(r), 0)),
        };
        let mut applied = false;
        if let Some((status, next_at, skip, attempts_inc)) = row {
            let code = o.attempt.as_ref().map(|a| a.response_status_code);
            applied = sqlx::query(
                "UPDATE deliveries SET status = $1, next_attempt_at = $2, skip_reason = $3,
                 held = 0, attempts = attempts + $4, last_status_code = COALESCE($5, last_status_code),
                 lease_until = NULL, lease_owner = NULL, updated_at = $6
                 WHERE id = $7 AND lease_owner = $8",
            )
            .bind(status.as_i64())
            .bind(next_at)
            .bind(skip)
            .bind(attempts_inc)
            .bind(code)
            .bind(now)
            .bind(o.delivery_id)
            .bind(owner)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
        }

        // Only when this result ended the delivery: a replay pressed meanwhile keeps it alive.
        if let (true, Next::Failed, Some(a), Some(attempt_id)) =
            (applied, &o.next, &o.attempt, &attempt_ids[idx])
        {
            notifications::attempt_exhausted(&mut tx, o, attempt_id, a, now).await?;
            out.notified = true;
        }
        if let (true, Next::RetryAt(_), Some(a), Some(attempt_id)) =
            (applied, &o.next, &o.attempt, &attempt_ids[idx])
        {
            if o.tries == notifications::FAILING_AT_TRY && !a.succeeded {
                notifications::attempt_failing(&mut tx, o, attempt_id, a, now).await?;
                out.notified = true;
            }
        }
    }
    for (endpoint, reason) in &out.disabled_endpoints {
        notifications::endpoint_disabled(&mut tx, endpoint, reason, now).await?;
        out.notified = true;
    }
    tx.commit().await?;
    Ok(out)
}

/// What one batch means for one endpoint.
#[derive(Debug, Default, PartialEq, Eq)]
struct EndpointEffect {
    id: String,
    /// A counted try succeeded; `failures` are those after the last success.
    succeeded: bool,
    failures: i64,
    /// Deliveries of this endpoint the batch finished with (each frees a send slot).
    finished: i64,
    auto_disable_after: u32,
    /// The longest pause a receiver asked for, in ms.
    pause_for_ms: Option<i64>,
    /// Disable at once, with this reason (410 Gone).
    disable: Option<String>,
}

/// Sums a batch per endpoint, in the order the results came.
fn endpoint_effects(outcomes: &[Outcome], auto_disable_after: u32) -> Vec<EndpointEffect> {
    let mut effects: Vec<EndpointEffect> = Vec::new();
    for o in outcomes {
        let i = match effects.iter().position(|e| e.id == o.endpoint_id) {
            Some(i) => i,
            None => {
                effects.push(EndpointEffect {
                    id: o.endpoint_id.clone(),
                    auto_disable_after: o.auto_disable_after.unwrap_or(auto_disable_after),
                    ..Default::default()
                });
                effects.len() - 1
            }
        };
        let e = &mut effects[i];
        e.finished += 1;
        if let Some(a) = o.attempt.as_ref().filter(|a| a.counts_against_endpoint) {
            if a.succeeded {
                e.succeeded = true;
                e.failures = 0;
            } else {
                e.failures += 1;
            }
        }
        if let Some(ms) = o.pause_for_ms {
            e.pause_for_ms = Some(e.pause_for_ms.map_or(ms, |p| p.max(ms)));
        }
        if e.disable.is_none() {
            e.disable.clone_from(&o.disable_endpoint);
        }
    }
    effects
}

#[derive(Debug, Default)]
struct EndpointAfter {
    /// Paused or disabled after this batch: its retries wait for it.
    waits: bool,
    /// It was paused, and a success resumed it.
    resumed: bool,
    /// Waiting deliveries to make due now.
    release: i64,
    /// Disabled by this batch, with the reason.
    disabled: Option<String>,
    /// Paused by this batch, not before: why, and for how long (ms).
    newly_paused: Option<(PauseReason, i64)>,
}

#[derive(sqlx::FromRow)]
struct Streak {
    consecutive_failures: i64,
    first_failure_at: Option<i64>,
    disabled: i64,
    paused_until: Option<i64>,
}

async fn apply_endpoint_effect(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ep: &EndpointEffect,
    policy: &Scheduling,
    now: i64,
) -> Result<EndpointAfter, sqlx::Error> {
    let mut after = EndpointAfter::default();
    if ep.succeeded {
        // A success resumes a paused endpoint, and ends any failure streak. Written only when
        // something changes: a healthy endpoint's row is not rewritten by every batch.
        after.resumed = sqlx::query(
            "UPDATE endpoints SET consecutive_failures = 0, first_failure_at = NULL,
             paused_until = NULL, paused_reason = NULL
             WHERE id = $1 AND paused_until IS NOT NULL",
        )
        .bind(&ep.id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            > 0;
        if !after.resumed {
            sqlx::query(
                "UPDATE endpoints SET consecutive_failures = 0, first_failure_at = NULL
                 WHERE id = $1 AND consecutive_failures <> 0",
            )
            .bind(&ep.id)
            .execute(&mut **tx)
            .await?;
        }
    }
    let streak: Option<Streak> = if ep.failures > 0 {
        sqlx::query_as(
            "UPDATE endpoints SET consecutive_failures = consecutive_failures + $2,
             first_failure_at = COALESCE(first_failure_at, $3) WHERE id = $1
             RETURNING consecutive_failures, first_failure_at, disabled, paused_until",
        )
        .bind(&ep.id)
        .bind(ep.failures)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?
    } else {
        None
    };
    let mut paused = false;
    if let Some(st) = &streak {
        let failures = u32::try_from(st.consecutive_failures).unwrap_or(u32::MAX);
        if failures >= policy.pause_after {
            let until = now + policy.probe_backoff(failures).as_millis() as i64;
            // A longer pause the receiver asked for stands.
            sqlx::query(
                "UPDATE endpoints SET
                 paused_until = CASE WHEN paused_reason = 'retry-after' AND paused_until > $2
                                     THEN paused_until ELSE $2 END,
                 paused_reason = CASE WHEN paused_reason = 'retry-after' AND paused_until > $2
                                      THEN paused_reason ELSE 'failing' END
                 WHERE id = $1",
            )
            .bind(&ep.id)
            .bind(until)
            .execute(&mut **tx)
            .await?;
            paused = true;
            if st.paused_until.is_none() {
                after.newly_paused = Some((PauseReason::Failing, until - now));
            }
        } else {
            paused = st.paused_until.is_some_and(|t| t > now);
        }
        let failing_since = st.first_failure_at.unwrap_or(now);
        let min_failing = policy.auto_disable_min_failing.as_millis() as i64;
        if st.disabled == 0
            && failures >= ep.auto_disable_after
            && now - failing_since >= min_failing
        {
            after.disabled = disable(
                tx,
                &ep.id,
                &format!(
                    "disabled automatically after {} consecutive failed attempts",
                    ep.auto_disable_after
                ),
                now,
            )
            .await?;
        }
    }
    if let Some(ms) = ep.pause_for_ms {
        sqlx::query(
            "UPDATE endpoints SET paused_until = $2, paused_reason = 'retry-after'
             WHERE id = $1 AND (paused_until IS NULL OR paused_until < $2)",
        )
        .bind(&ep.id)
        .bind(now + ms)
        .execute(&mut **tx)
        .await?;
        paused = true;
        after.newly_paused = Some((PauseReason::RetryAfter, ms));
    }
    if let Some(reason) = &ep.disable {
        if after.disabled.is_none() {
            after.disabled = disable(tx, &ep.id, reason, now).await?;
        }
    }
    after.waits = paused || after.disabled.is_some();
    if !after.waits {
        // Each finished delivery frees a slot for one waiting behind it; a resumed endpoint
        // gets a full set of slots' worth at once.
        after.release = if after.resumed {
            ep.finished.max(policy.endpoint_concurrency as i64)
        } else {
            ep.finished
        };
    }
    Ok(after)
}

/// Disables an endpoint that is not already; returns the reason when this call disabled it.
async fn disable(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    endpoint_id: &str,
    reason: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE endpoints SET disabled = 1, disabled_reason = $2, disabled_at = $3,
         version = version + 1, updated_at = $3 WHERE id = $1 AND disabled = 0",
    )
    .bind(endpoint_id)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok((done.rows_affected() > 0).then(|| reason.to_owned()))
}
