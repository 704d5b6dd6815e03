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
             WHERE endpoint_id = $1 AND status = 1 AND next_attempt_at IS NULL
               AND lease_owner IS NULL AND app_id = $2
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

/// What a delivery log lists, beyond its tenant.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// One endpoint's deliveries (its id).
    pub endpoint: Option<String>,
    pub status: Option<LogStatus>,
    pub event_type: Option<String>,
    /// Messages created in `[since, until)` (Unix ms).
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// The stored status a log can be filtered by: the states a person asks for ("what failed",
/// "what was skipped", "what is still on its way").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStatus {
    Delivered,
    InProgress,
    Failed,
    Skipped,
}

impl LogStatus {
    pub fn parse(s: &str) -> Option<LogStatus> {
        Some(match s {
            "delivered" => LogStatus::Delivered,
            "in-progress" => LogStatus::InProgress,
            "failed" => LogStatus::Failed,
            "skipped" => LogStatus::Skipped,
            _ => return None,
        })
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            LogStatus::Delivered => "delivered",
            LogStatus::InProgress => "in-progress",
            LogStatus::Failed => "failed",
            LogStatus::Skipped => "skipped",
        }
    }

    /// The condition on `d.status`, spelled so that a failed or skipped filter on one
    /// endpoint reads `deliveries_endpoint_missed` (its predicate, literally, then the value).
    fn condition(self) -> &'static str {
        match self {
            LogStatus::Delivered => " AND d.status = 0",
            LogStatus::InProgress => " AND d.status = 1",
            LogStatus::Failed => " AND d.status IN (2, 4) AND d.status = 2",
            LogStatus::Skipped => " AND d.status IN (2, 4) AND d.status = 4",
        }
    }
}

/// A place in a log: the (message, endpoint) of a delivery. Written `msg_….ep_…` in links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogCursor {
    pub msg_id: String,
    pub endpoint_id: String,
}

impl LogCursor {
    pub fn parse(s: &str) -> Option<LogCursor> {
        let (m, e) = s.split_once('.')?;
        crate::ids::MessageId::parse(m)?;
        crate::ids::EndpointId::parse(e)?;
        Some(LogCursor {
            msg_id: m.to_owned(),
            endpoint_id: e.to_owned(),
        })
    }

    fn of(row: &LogRow) -> LogCursor {
        LogCursor {
            msg_id: row.delivery.msg_id.clone(),
            endpoint_id: row.delivery.endpoint_id.clone(),
        }
    }
}

impl std::fmt::Display for LogCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.msg_id, self.endpoint_id)
    }
}

/// Which way from a cursor a log page goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFrom {
    Newest,
    OlderThan(LogCursor),
    NewerThan(LogCursor),
}

/// The message side of a log row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogMessage {
    pub event_type: String,
    pub event_id: Option<String>,
    pub created_at: i64,
    pub url: String,
    /// 1 for a test sent from the portal.
    pub test: i64,
}

#[derive(Debug, Clone)]
pub struct LogRow {
    pub message: LogMessage,
    pub delivery: DeliveryRow,
}

/// One page of a log, newest first, and where the pages beside it start (`None`: there are
/// none that way).
#[derive(Debug, Clone)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    pub older: Option<LogCursor>,
    pub newer: Option<LogCursor>,
}

/// The company's deliveries, one row per (message, endpoint), newest message first, skipped
/// ones included, under `filter`, a page of `limit` from `from`. Keyset paging both ways on
/// (message id, endpoint id): a delivery is on exactly one page however the log grows.
///
/// One endpoint's log reads its own index (`deliveries_endpoint`, or `_missed` for failed and
/// skipped); the company's walks its messages newest first (`messages_app`) and takes each one's
/// deliveries by the unique (message, endpoint) index. Time bounds are message id bounds.
pub async fn log(
    db: &Db,
    app: &AppId,
    filter: &LogFilter,
    from: &LogFrom,
    limit: i64,
) -> Result<LogPage, ServiceError> {
    let older = !matches!(from, LogFrom::NewerThan(_));
    // The message id as the driving index has it: the order and the bounds then read it as a
    // range, with no sort. With an event type the messages of that type drive
    // (`messages_app_type`, newest first), also for one endpoint: a rare type is then a few
    // rows, not every delivery of the endpoint (8 s at 10 million attempts).
    let by_endpoint = filter.event_type.is_none();
    let key = if filter.endpoint.is_some() && by_endpoint {
        "d.msg_id"
    } else {
        "m.id"
    };
    let mut sql = match filter.endpoint.as_ref().filter(|_| by_endpoint) {
        Some(ep) => {
            let mut sql = Sql::new(
                db.backend,
                &format!(
                    "SELECT m.event_type, m.event_id, m.created_at, e.url, m.test, {COLUMNS}
                     FROM {FROM} JOIN messages m ON m.id = d.msg_id
                     WHERE d.endpoint_id = "
                ),
            );
            sql.bind(Arg::Text(ep.clone()))
                .push(" AND d.app_id = ")
                .bind(Arg::Text(app.to_string()));
            sql
        }
        None => {
            // CROSS JOIN fixes the order on SQLite (messages first); PostgreSQL reads it as
            // an inner join and plans it itself.
            let mut sql = Sql::new(
                db.backend,
                &format!(
                    "SELECT m.event_type, m.event_id, m.created_at, e.url, m.test, {COLUMNS}
                     FROM messages m CROSS JOIN {FROM}
                     WHERE d.msg_id = m.id AND m.app_id = "
                ),
            );
            sql.bind(Arg::Text(app.to_string()));
            if let Some(ep) = &filter.endpoint {
                sql.push(" AND d.endpoint_id = ")
                    .bind(Arg::Text(ep.clone()));
            }
            sql
        }
    };
    if let Some(status) = filter.status {
        sql.push(status.condition());
    }
    if let Some(t) = &filter.event_type {
        sql.push(" AND m.event_type = ").bind(Arg::Text(t.clone()));
    }
    // Each bound on the driving key is also put on the message's id when the deliveries drive:
    // PostgreSQL merge-joins the messages in id order, and without its own bound walked every
    // newer message down to the range (120,000 rows for a range 9 days back at 2 million).
    let bound = |sql: &mut Sql, op: &str, value: String| {
        sql.push(&format!(" AND {key} {op} "))
            .bind(Arg::Text(value.clone()));
        if key == "d.msg_id" {
            sql.push(&format!(" AND m.id {op} ")).bind(Arg::Text(value));
        }
    };
    if let Some(since) = filter.since {
        bound(&mut sql, ">=", crate::ids::MessageId::lower_bound_at(since));
    }
    if let Some(until) = filter.until {
        bound(&mut sql, "<", crate::ids::MessageId::lower_bound_at(until));
    }
    match from {
        LogFrom::Newest => {}
        LogFrom::OlderThan(c) => {
            bound(&mut sql, "<=", c.msg_id.clone());
            sql.push(&format!(" AND ({key} < "))
                .bind(Arg::Text(c.msg_id.clone()))
                .push(" OR d.endpoint_id < ")
                .bind(Arg::Text(c.endpoint_id.clone()))
                .push(")");
        }
        LogFrom::NewerThan(c) => {
            bound(&mut sql, ">=", c.msg_id.clone());
            sql.push(&format!(" AND ({key} > "))
                .bind(Arg::Text(c.msg_id.clone()))
                .push(" OR d.endpoint_id > ")
                .bind(Arg::Text(c.endpoint_id.clone()))
                .push(")");
        }
    }
    let dir = if older { "DESC" } else { "ASC" };
    sql.push(&format!(
        " ORDER BY {key} {dir}, d.endpoint_id {dir} LIMIT "
    ))
    .bind(Arg::Int(limit + 1));
    let mut rows: Vec<LogRow> = fetch_with::<LogMessage>(db, &sql)
        .await?
        .into_iter()
        .map(|(message, delivery)| LogRow { message, delivery })
        .collect();
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if !older {
        rows.reverse();
    }
    let (first, last) = (
        rows.first().map(LogCursor::of),
        rows.last().map(LogCursor::of),
    );
    let (older_page, newer_page) = match from {
        LogFrom::Newest => (last.filter(|_| more), None),
        LogFrom::OlderThan(_) => (last.filter(|_| more), first),
        LogFrom::NewerThan(_) => (last, first.filter(|_| more)),
    };
    Ok(LogPage {
        rows,
        older: older_page,
        newer: newer_page,
    })
}
