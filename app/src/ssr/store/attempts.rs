//! The delivery log: attempts (one per HTTP try), and per-(message, endpoint) delivery states.

use super::{endpoints, messages, Arg, ListQuery, Page, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::ServiceError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Attempt {
    pub id: String,
    pub app_id: String,
    pub msg_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub status: i64,
    pub response_status_code: i64,
    pub response: Option<String>,
    pub response_headers: Option<String>,
    pub request_headers: Option<String>,
    pub duration_ms: i64,
    pub trigger_type: i64,
    pub error: Option<String>,
    pub created_at: i64,
}

pub const COLUMNS: &str = "id, app_id, msg_id, endpoint_id, url, status, response_status_code, \
    response, response_headers, request_headers, duration_ms, trigger_type, error, created_at";

#[derive(Debug, Clone, Default)]
pub struct AttemptFilter {
    pub status: Option<i64>,
    pub endpoint_id: Option<String>,
    pub event_types: Vec<String>,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

async fn list_where(
    db: &Db,
    app: &AppId,
    column: &str,
    value: &str,
    q: &ListQuery,
    f: &AttemptFilter,
) -> Result<Page<Attempt>, ServiceError> {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(
        db.backend,
        &format!(
            "SELECT {cols} FROM attempts a JOIN messages m ON m.id = a.msg_id WHERE a.app_id = "
        ),
    );
    sql.bind(Arg::Text(app.to_string()))
        .push(&format!(" AND a.{column} = "))
        .bind(Arg::Text(value.to_owned()));
    if let Some(it) = &q.iterator {
        sql.push(" AND a.id < ").bind(Arg::Text(it.clone()));
    }
    if let Some(s) = f.status {
        sql.push(" AND a.status = ").bind(Arg::Int(s));
    }
    if let Some(ep) = &f.endpoint_id {
        sql.push(" AND a.endpoint_id = ")
            .bind(Arg::Text(ep.clone()));
    }
    if let Some(b) = f.before {
        sql.push(" AND a.created_at < ").bind(Arg::Int(b));
    }
    if let Some(a) = f.after {
        sql.push(" AND a.created_at > ").bind(Arg::Int(a));
    }
    messages::push_filters(
        &mut sql,
        &messages::MessageFilter {
            event_types: f.event_types.clone(),
            ..Default::default()
        },
        "m.",
    );
    sql.push(" ORDER BY a.id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql.query_as::<Attempt>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, q.limit, |a| a.id.clone()))
}

/// An attempt with its message's event type, for the portal's delivery log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptWithType {
    #[sqlx(flatten)]
    pub attempt: Attempt,
    pub event_type: String,
}

/// The company's attempts (or one endpoint's), newest first, with the message's event type.
/// Keyset pagination on the attempt id keeps every page as cheap as the first.
pub async fn list_with_event_type(
    db: &Db,
    app: &AppId,
    endpoint: Option<&str>,
    q: &ListQuery,
    f: &AttemptFilter,
) -> Result<Page<(Attempt, String)>, ServiceError> {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(db.backend, &format!(
        "SELECT {cols}, m.event_type FROM attempts a JOIN messages m ON m.id = a.msg_id WHERE a.app_id = "
    ));
    sql.bind(Arg::Text(app.to_string()));
    if let Some(ep) = endpoint {
        let ep = endpoints::get(db, app, ep).await?;
        sql.push(" AND a.endpoint_id = ").bind(Arg::Text(ep.id));
    }
    if let Some(it) = &q.iterator {
        sql.push(" AND a.id < ").bind(Arg::Text(it.clone()));
    }
    if let Some(s) = f.status {
        sql.push(" AND a.status = ").bind(Arg::Int(s));
    }
    messages::push_filters(
        &mut sql,
        &messages::MessageFilter {
            event_types: f.event_types.clone(),
            ..Default::default()
        },
        "m.",
    );
    sql.push(" ORDER BY a.id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql
        .query_as::<AttemptWithType>()
        .fetch_all(&db.read)
        .await?;
    let page = Page::from_rows(rows, q.limit, |a| a.attempt.id.clone());
    Ok(page.map(|a| (a.attempt, a.event_type)))
}

/// One attempt of the company, by id alone, with its message.
pub async fn get_with_message(
    db: &Db,
    app: &AppId,
    attempt: &str,
) -> Result<(Attempt, messages::Message), ServiceError> {
    let a = sqlx::query_as::<_, Attempt>(&format!(
        "SELECT {COLUMNS} FROM attempts WHERE app_id = $1 AND id = $2"
    ))
    .bind(app.as_str())
    .bind(attempt)
    .fetch_optional(&db.read)
    .await?
    .ok_or(ServiceError::NotFound("attempt"))?;
    let m = messages::get(db, app, &a.msg_id).await?;
    Ok((a, m))
}

pub async fn list_by_endpoint(
    db: &Db,
    app: &AppId,
    endpoint: &str,
    q: &ListQuery,
    f: &AttemptFilter,
) -> Result<Page<Attempt>, ServiceError> {
    let ep = endpoints::get(db, app, endpoint).await?;
    list_where(db, app, "endpoint_id", &ep.id, q, f).await
}

pub async fn list_by_message(
    db: &Db,
    app: &AppId,
    msg: &str,
    q: &ListQuery,
    f: &AttemptFilter,
) -> Result<Page<Attempt>, ServiceError> {
    let m = messages::get(db, app, msg).await?;
    list_where(db, app, "msg_id", &m.id, q, f).await
}

pub async fn get(db: &Db, app: &AppId, msg: &str, attempt: &str) -> Result<Attempt, ServiceError> {
    sqlx::query_as::<_, Attempt>(&format!(
        "SELECT {COLUMNS} FROM attempts WHERE app_id = $1 AND msg_id = $2 AND id = $3"
    ))
    .bind(app.as_str())
    .bind(msg)
    .bind(attempt)
    .fetch_optional(&db.read)
    .await?
    .ok_or(ServiceError::NotFound("attempt"))
}

pub async fn expunge_content(
    db: &Db,
    app: &AppId,
    msg: &str,
    attempt: &str,
) -> Result<(), ServiceError> {
    let done = sqlx::query(
        "UPDATE attempts SET response = NULL, response_headers = NULL WHERE app_id = $1 AND msg_id = $2 AND id = $3",
    )
    .bind(app.as_str())
    .bind(msg)
    .bind(attempt)
    .execute(&db.write)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("attempt"));
    }
    Ok(())
}

/// A delivery's state as the API shows it: 0 success, 1 pending, 2 failed, 3 sending, 4 skipped.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryState {
    pub msg_id: String,
    pub endpoint_id: String,
    pub status: i64,
    pub skip_reason: Option<String>,
    pub next_attempt_at: Option<i64>,
    pub lease_until: Option<i64>,
}

impl DeliveryState {
    pub fn api_status(&self) -> i64 {
        match (self.status, self.lease_until) {
            (1, Some(_)) => 3,
            (s, _) => s,
        }
    }
}

/// The messages sent (or due) to one endpoint, with the delivery state, newest first.
pub async fn messages_for_endpoint(
    db: &Db,
    app: &AppId,
    endpoint: &str,
    q: &ListQuery,
    status: Option<i64>,
) -> Result<Page<(messages::Message, DeliveryState)>, ServiceError> {
    let ep = endpoints::get(db, app, endpoint).await?;
    let mut sql = Sql::new(
        db.backend,
        "SELECT m.id, m.app_id, m.event_type, m.event_id, m.payload, m.channels, m.created_at,
                d.msg_id, d.endpoint_id, d.status, d.skip_reason, d.next_attempt_at, d.lease_until
         FROM deliveries d JOIN messages m ON m.id = d.msg_id
         WHERE d.app_id = ",
    );
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND d.endpoint_id = ")
        .bind(Arg::Text(ep.id.clone()))
        .push(" AND d.status <> 4");
    if let Some(s) = status {
        sql.push(" AND d.status = ").bind(Arg::Int(s));
    }
    if let Some(it) = &q.iterator {
        sql.push(" AND d.msg_id < ").bind(Arg::Text(it.clone()));
    }
    sql.push(" ORDER BY d.msg_id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql
        .query()
        .fetch_all(&db.read)
        .await?
        .iter()
        .map(|r| {
            use sqlx::FromRow;
            Ok((messages::Message::from_row(r)?, DeliveryState::from_row(r)?))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Page::from_rows(rows, q.limit, |(m, _)| m.id.clone()))
}

/// The endpoints a message went (or goes) to, with each delivery's state.
pub async fn destinations(
    db: &Db,
    app: &AppId,
    msg: &str,
    q: &ListQuery,
) -> Result<Page<(endpoints::Endpoint, DeliveryState)>, ServiceError> {
    let m = messages::get(db, app, msg).await?;
    let cols = endpoints::COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(db.backend, &format!(
        "SELECT {cols}, d.msg_id, d.endpoint_id, d.status, d.skip_reason, d.next_attempt_at, d.lease_until
         FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
         WHERE d.app_id = "
    ));
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND d.msg_id = ")
        .bind(Arg::Text(m.id.clone()))
        .push(" AND d.status <> 4");
    if let Some(it) = &q.iterator {
        sql.push(" AND e.id > ").bind(Arg::Text(it.clone()));
    }
    sql.push(" ORDER BY e.id ASC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql
        .query()
        .fetch_all(&db.read)
        .await?
        .iter()
        .map(|r| {
            use sqlx::FromRow;
            Ok((
                endpoints::Endpoint::from_row(r)?,
                DeliveryState::from_row(r)?,
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Page::from_rows(rows, q.limit, |(e, _)| e.id.clone()))
}

/// Attempts per endpoint, hour and status since `start_ms`: (endpoint id, hours since start,
/// status, count). Attempt ids are ULIDs, so "since" is an id range on the (app_id, id) index,
/// not a scan of the table.
pub async fn hourly_counts(
    db: &Db,
    app: &AppId,
    start_ms: i64,
) -> Result<Vec<(String, i64, i64, i64)>, ServiceError> {
    let from_id = crate::ids::AttemptId::lower_bound_at(start_ms);
    Ok(sqlx::query_as(
        "SELECT endpoint_id, (created_at - $3) / 3600000 AS h, status, COUNT(*) FROM attempts
         WHERE app_id = $1 AND id >= $2 GROUP BY endpoint_id, h, status",
    )
    .bind(app.as_str())
    .bind(from_id)
    .bind(start_ms)
    .fetch_all(&db.read)
    .await?)
}

// The statements below run on the caller's connection, so that a resend or a recovery writes its
// audit entry in the same transaction (issue 11). They repeat `requeue_manual` and
// `requeue_failed` above, which stay untouched while the delivery scheduler is being reworked;
// once that lands, those can become wrappers over these.

/// [`requeue_manual`] on the caller's connection.
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

/// [`requeue_failed`] on the caller's connection.
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
