//! The delivery rows are the queue. Claiming a row leases it: `next_attempt_at` moves to the end
//! of the lease, so a worker that dies simply lets the row come due again (at-least-once).
//! Results are written in batches, each in one transaction with the attempts they produced.

use super::notifications;
use super::Arg;
use super::Sql;
use crate::ids::AttemptId;
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
    let mut q = Sql::new(
        db.backend,
        "SELECT d.id, d.app_id, a.uid AS app_uid, d.msg_id, d.endpoint_id, d.attempts, d.trigger_type,
                m.event_type, m.event_id, m.payload, m.created_at AS msg_created_at,
                e.url, e.headers, e.disabled, e.version,
                p.retry_schedule AS plan_retry_schedule, p.timeout_seconds AS plan_timeout_seconds,
                p.auto_disable_after AS plan_auto_disable_after,
                p.deliveries_per_hour AS plan_deliveries_per_hour
         FROM deliveries d
         JOIN messages m ON m.id = d.msg_id
         JOIN endpoints e ON e.id = d.endpoint_id
         JOIN applications a ON a.id = d.app_id
         LEFT JOIN plans p ON p.name = a.plan
         WHERE d.id IN ",
    );
    q.bind_list(ids.iter().map(|id| Arg::Int(*id)));
    // Read on the write pool: on SQLite the read pool may not see the lease just committed yet.
    q.query_as::<Claimed>().fetch_all(&db.write).await
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
    Ok(row.0)
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
}

/// What [`record`] changed that others should hear about.
#[derive(Debug, Default)]
pub struct Recorded {
    pub disabled_endpoints: Vec<(String, String)>,
    pub attempt_ids: Vec<String>,
    /// Operational notifications were written: forward them.
    pub notified: bool,
}

/// Writes a batch of results in one transaction: the attempts, the delivery states, and the
/// endpoints' consecutive-failure counts (disabling those that reach `auto_disable_after`).
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

    // Per endpoint, the net effect on its failure streak: reset (a success) then k failures.
    let mut streaks: Vec<(String, bool, i64, u32)> = Vec::new();
    for (idx, o) in outcomes.iter().enumerate() {
        // (status, next attempt, skip reason, attempts added); None: updated with the successes.
        let row: Option<(DeliveryState, Option<i64>, Option<&str>, i64)> = match &o.next {
            Next::Succeeded if o.attempt.is_some() => None,
            Next::Succeeded => Some((DeliveryState::Succeeded, None, None, 1)),
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
        if let Some(a) = o.attempt.as_ref().filter(|a| a.counts_against_endpoint) {
            let threshold = o.auto_disable_after.unwrap_or(auto_disable_after);
            let entry = match streaks.iter_mut().find(|(e, _, _, _)| *e == o.endpoint_id) {
                Some(e) => e,
                None => {
                    streaks.push((o.endpoint_id.clone(), false, 0, threshold));
                    let last = streaks.len() - 1;
                    &mut streaks[last]
                }
            };
            if a.succeeded {
                entry.1 = true;
                entry.2 = 0;
            } else {
                entry.2 += 1;
            }
        }
        if let Some(reason) = &o.disable_endpoint {
            let done = sqlx::query(
                "UPDATE endpoints SET disabled = 1, disabled_reason = $2, disabled_at = $3,
                 version = version + 1, updated_at = $3 WHERE id = $1 AND disabled = 0",
            )
            .bind(&o.endpoint_id)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                out.disabled_endpoints
                    .push((o.endpoint_id.clone(), reason.clone()));
            }
        }
    }
    for (endpoint, reset, failures, auto_disable_after) in streaks {
        if reset {
            sqlx::query(
                "UPDATE endpoints SET consecutive_failures = $2,
                 first_failure_at = CASE WHEN $2 = 0 THEN NULL ELSE $3 END
                 WHERE id = $1 AND consecutive_failures <> $2",
            )
            .bind(&endpoint)
            .bind(failures)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        } else if failures > 0 {
            sqlx::query(
                "UPDATE endpoints SET consecutive_failures = consecutive_failures + $2,
                 first_failure_at = COALESCE(first_failure_at, $3) WHERE id = $1",
            )
            .bind(&endpoint)
            .bind(failures)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let reason = format!(
                "disabled automatically after {auto_disable_after} consecutive failed attempts"
            );
            let done = sqlx::query(
                "UPDATE endpoints SET disabled = 1, disabled_reason = $2, disabled_at = $3,
                 version = version + 1, updated_at = $3
                 WHERE id = $1 AND disabled = 0 AND consecutive_failures >= $4",
            )
            .bind(&endpoint)
            .bind(&reason)
            .bind(now)
            .bind(i64::from(auto_disable_after))
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                out.disabled_endpoints.push((endpoint.clone(), reason));
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
