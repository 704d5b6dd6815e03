//! Deliveries as a company sees them: one row per (message, endpoint), with what it takes to
//! say which state it is in and why (`DeliveryView`): its endpoint's pause and disabling, its
//! company's, and its plan's retry schedule. Tenant-scoped; the worker's cross-tenant
//! statements are in `worker`.

use super::{endpoints, messages, Arg, ListQuery, Page, Sql};
use crate::ids::AppId;
use crate::ssr::delivery::state::DeliveryFacts;
use crate::ssr::infra::db::Db;
use crate::ssr::ServiceError;

/// A delivery row and the state of what it depends on, as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub msg_id: String,
    pub endpoint_id: String,
    pub status: i64,
    pub skip_reason: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub lease_until: Option<i64>,
    pub held: i64,
    pub last_status_code: Option<i64>,
    pub updated_at: i64,
    pub endpoint_disabled: i64,
    pub paused_until: Option<i64>,
    pub paused_reason: Option<String>,
    pub app_disabled: i64,
    /// The company's plan's retry schedule, when its plan sets one.
    pub plan_retry_schedule: Option<String>,
}

/// The columns of [`DeliveryRow`], over [`FROM`].
const COLUMNS: &str = "d.msg_id, d.endpoint_id, d.status, d.skip_reason, d.attempts, \
    d.next_attempt_at, d.lease_until, d.held, d.last_status_code, d.updated_at, \
    e.disabled AS endpoint_disabled, e.paused_until, e.paused_reason, \
    a.disabled AS app_disabled, p.retry_schedule AS plan_retry_schedule";

const FROM: &str = "deliveries d JOIN endpoints e ON e.id = d.endpoint_id \
    JOIN applications a ON a.id = d.app_id LEFT JOIN plans p ON p.name = a.plan";

impl DeliveryRow {
    /// Svix's status: 0 success, 1 pending, 2 fail, 3 sending, 4 canceled (skipped).
    pub fn api_status(&self) -> i64 {
        match (self.status, self.lease_until) {
            (1, Some(_)) => 3,
            (s, _) => s,
        }
    }

    /// What [`crate::ssr::delivery::state::DeliveryView::of`] reads, given the tries it gets
    /// in all.
    pub fn facts(&self, max_tries: i64) -> DeliveryFacts<'_> {
        DeliveryFacts {
            status: self.status,
            attempts: self.attempts,
            next_attempt_at: self.next_attempt_at,
            leased: self.lease_until.is_some(),
            held: self.held != 0,
            skip_reason: self.skip_reason.as_deref(),
            endpoint_disabled: self.endpoint_disabled != 0,
            tenant_disabled: self.app_disabled != 0,
            paused_until: self.paused_until,
            paused_reason: self.paused_reason.as_deref(),
            max_tries,
        }
    }
}

/// The messages sent (or due) to one endpoint, with the delivery state, newest first. Skipped
/// deliveries only `with_skipped` (Svix's `expanded_statuses`).
pub async fn for_endpoint(
    db: &Db,
    app: &AppId,
    endpoint: &str,
    q: &ListQuery,
    status: Option<i64>,
    with_skipped: bool,
) -> Result<Page<(messages::Message, DeliveryRow)>, ServiceError> {
    let ep = endpoints::get(db, app, endpoint).await?;
    let mut sql = Sql::new(
        db.backend,
        &format!(
            "SELECT m.id, m.app_id, m.event_type, m.event_id, m.payload, m.channels, m.created_at,
                    {COLUMNS}
             FROM {FROM} JOIN messages m ON m.id = d.msg_id
             WHERE d.app_id = "
        ),
    );
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND d.endpoint_id = ")
        .bind(Arg::Text(ep.id.clone()));
    if !with_skipped {
        sql.push(" AND d.status <> 4");
    }
    match status {
        // Sending is pending with a lease.
        Some(3) => {
            sql.push(" AND d.status = 1 AND d.lease_until IS NOT NULL");
        }
        Some(1) => {
            sql.push(" AND d.status = 1 AND d.lease_until IS NULL");
        }
        Some(s) => {
            sql.push(" AND d.status = ").bind(Arg::Int(s));
        }
        None => {}
    }
    if let Some(it) = &q.iterator {
        sql.push(" AND d.msg_id < ").bind(Arg::Text(it.clone()));
    }
    sql.push(" ORDER BY d.msg_id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = fetch_with::<messages::Message>(db, &sql).await?;
    Ok(Page::from_rows(rows, q.limit, |(m, _)| m.id.clone()))
}

/// The endpoints a message went (or goes) to, with each delivery's state. Skipped deliveries
/// only `with_skipped`.
pub async fn of_message(
    db: &Db,
    app: &AppId,
    msg: &str,
    q: &ListQuery,
    with_skipped: bool,
) -> Result<Page<(endpoints::Endpoint, DeliveryRow)>, ServiceError> {
    let m = messages::get(db, app, msg).await?;
    let cols = endpoints::COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {cols}, {COLUMNS} FROM {FROM} WHERE d.app_id = "),
    );
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND d.msg_id = ")
        .bind(Arg::Text(m.id.clone()));
    if !with_skipped {
        sql.push(" AND d.status <> 4");
    }
    if let Some(it) = &q.iterator {
        sql.push(" AND e.id > ").bind(Arg::Text(it.clone()));
    }
    sql.push(" ORDER BY e.id ASC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = fetch_with::<endpoints::Endpoint>(db, &sql).await?;
    Ok(Page::from_rows(rows, q.limit, |(e, _)| e.id.clone()))
}

/// Each row read as the `T` it is about (a message, an endpoint) and its delivery.
async fn fetch_with<T>(db: &Db, sql: &Sql) -> Result<Vec<(T, DeliveryRow)>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    use sqlx::FromRow;
    sql.query()
        .fetch_all(&db.read)
        .await?
        .iter()
        .map(|r| Ok((T::from_row(r)?, DeliveryRow::from_row(r)?)))
        .collect()
}

// The statements below run on the caller's connection, so that a resend or a recovery writes its
// audit entry in the same transaction.

/// Queues one message for one endpoint again, now, as a manual send with fresh tries; creates
/// the delivery if the endpoint was made after the message.
pub async fn requeue_manual_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    msg: &str,
    endpoint: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let updated = sqlx::query(
        "UPDATE deliveries SET status = 1, skip_reason = NULL, attempts = 0, next_attempt_at = $4,
         trigger_type = 1, lease_until = NULL, lease_owner = NULL, updated_at = $4
         WHERE app_id = $1 AND msg_id = $2 AND endpoint_id = $3",
    )
    .bind(app.as_str())
    .bind(msg)
    .bind(endpoint)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO deliveries (app_id, msg_id, endpoint_id, status, next_attempt_at, trigger_type, created_at, updated_at)
             VALUES ($1, $2, $3, 1, $4, 1, $4, $4)",
        )
        .bind(app.as_str())
        .bind(msg)
        .bind(endpoint)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Queues again, with fresh tries, every failed delivery to `endpoint` created in `[since, until)`.
pub async fn requeue_failed_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    endpoint: &str,
    since: i64,
    until: Option<i64>,
    now: i64,
) -> Result<u64, ServiceError> {
    let done = sqlx::query(
        "UPDATE deliveries SET status = 1, attempts = 0, next_attempt_at = $3, trigger_type = 1,
         lease_until = NULL, lease_owner = NULL, updated_at = $3
         WHERE app_id = $1 AND endpoint_id = $2 AND status = 2 AND created_at >= $4 AND created_at < $5",
    )
    .bind(app.as_str())
    .bind(endpoint)
    .bind(now)
    .bind(since)
    .bind(until.unwrap_or(i64::MAX))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
