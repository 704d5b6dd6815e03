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

/// A failed or skipped delivery of one endpoint, with what it takes to decide whether to send
/// it again: its skip reason, and the message's type and channels for today's filters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MissedRow {
    pub id: i64,
    pub msg_id: String,
    pub status: i64,
    pub skip_reason: Option<String>,
    pub event_type: String,
    pub channels: Option<String>,
}

/// Up to `limit` of `endpoint`'s failed and skipped deliveries whose message id is in
/// `[from, until)` and after `after`, oldest first. Served by `deliveries_endpoint_missed`
/// (migration 0015), whose predicate is spelled here as the index spells it.
pub async fn missed(
    db: &Db,
    app: &AppId,
    endpoint: &str,
    from: &str,
    until: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<MissedRow>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        "SELECT d.id, d.msg_id, d.status, d.skip_reason, m.event_type, m.channels
         FROM deliveries d JOIN messages m ON m.id = d.msg_id
         WHERE d.endpoint_id = ",
    );
    sql.bind(Arg::Text(endpoint.to_owned()))
        .push(" AND d.status IN (2, 4) AND d.app_id = ")
        .bind(Arg::Text(app.to_string()))
        .push(" AND d.msg_id >= ")
        .bind(Arg::Text(from.to_owned()))
        .push(" AND d.msg_id < ")
        .bind(Arg::Text(until.to_owned()));
    if let Some(after) = after {
        sql.push(" AND d.msg_id > ")
            .bind(Arg::Text(after.to_owned()));
    }
    sql.push(" ORDER BY d.msg_id LIMIT ").bind(Arg::Int(limit));
    Ok(sql.query_as::<MissedRow>().fetch_all(&db.read).await?)
}

/// How many of `endpoint`'s deliveries wait behind it (disabled, paused, or over its share),
/// counting up to `cap`.
pub async fn count_waiting(
    db: &Db,
    app: &AppId,
    endpoint: &str,
    cap: i64,
) -> Result<i64, ServiceError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT 1 FROM deliveries
             WHERE endpoint_id = $1 AND status = 1 AND next_attempt_at IS NULL AND app_id = $2
             LIMIT $3) w",
    )
    .bind(endpoint)
    .bind(app.as_str())
    .bind(cap)
    .fetch_one(&db.read)
    .await?;
    Ok(n)
}

/// Queues again, with fresh tries and as a manual send, the deliveries `ids` that are still
/// failed or skipped and not in anyone's hands: a row delivered or claimed since it was read is
/// left alone, so nothing goes twice. They wait behind their endpoint (no time), for a release
/// to make them due at the pace the endpoint takes them. Returns how many.
pub async fn requeue_missed_in(
    conn: &mut sqlx::AnyConnection,
    backend: crate::ssr::infra::db::Backend,
    app: &AppId,
    ids: &[i64],
    now: i64,
) -> Result<u64, ServiceError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(
        backend,
        "UPDATE deliveries SET status = 1, skip_reason = NULL, attempts = 0, next_attempt_at = NULL,
         trigger_type = 1, held = 0, lease_until = NULL, lease_owner = NULL, updated_at = ",
    );
    sql.bind(Arg::Int(now))
        .push(" WHERE app_id = ")
        .bind(Arg::Text(app.to_string()))
        .push(" AND status IN (2, 4) AND lease_owner IS NULL AND id IN ")
        .bind_list(ids.iter().map(|id| Arg::Int(*id)));
    Ok(sql.query().execute(conn).await?.rows_affected())
}
