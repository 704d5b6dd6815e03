//! Messages, their idempotency keys and the delivery rows made when one is accepted.

use super::{Arg, ListQuery, Page, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::ServiceError;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Message {
    pub id: String,
    pub app_id: String,
    pub event_type: String,
    pub event_id: Option<String>,
    pub payload: Option<String>,
    pub channels: Option<String>,
    pub created_at: i64,
    /// 1 for a test a person sent from the portal. Reads that do not select it take 0.
    #[sqlx(default)]
    pub test: i64,
}

pub const COLUMNS: &str = "id, app_id, event_type, event_id, payload, channels, created_at, test";

/// By id, or by the host's `eventId`.
pub async fn get(db: &Db, app: &AppId, id_or_event_id: &str) -> Result<Message, ServiceError> {
    sqlx::query_as::<_, Message>(&format!(
        "SELECT {COLUMNS} FROM messages WHERE app_id = $1 AND (id = $2 OR event_id = $2)"
    ))
    .bind(app.as_str())
    .bind(id_or_event_id)
    .fetch_optional(&db.write)
    .await?
    .ok_or(ServiceError::NotFound("message"))
}

#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub event_types: Vec<String>,
    pub before: Option<i64>,
    pub after: Option<i64>,
    pub channel: Option<String>,
}

/// Up to this many messages of the filtered types, a filter is rare: it is served from those
/// messages' ids rather than by reading the log newest first until a page is found.
pub const FEW: i64 = 1_000;

/// The ids of the company's messages of `types`, when there are fewer than [`FEW`]: one range of
/// `messages_app_type` per type, in no order, stopping at [`FEW`]. `None`: a common filter, for
/// which reading newest first finds a page sooner than this would.
pub async fn few_of_types(
    db: &Db,
    app: &AppId,
    types: &[String],
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let mut sql = Sql::new(db.backend, "SELECT id FROM messages WHERE app_id = ");
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND event_type IN ")
        .bind_list(types.iter().map(|t| Arg::Text(t.clone())))
        .push(" LIMIT ")
        .bind(Arg::Int(FEW));
    let ids: Vec<String> = sql
        .query()
        .fetch_all(&db.read)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get::<String, _>(r, 0))
        .collect::<Result<_, _>>()?;
    Ok((ids.len() < FEW as usize).then_some(ids))
}

/// The event-type condition for a filter known to be common: on SQLite the unary `+` keeps the
/// planner off `messages_app_type`, which would read every message of the type and sort them,
/// when reading newest first finds a page at once. PostgreSQL weighs it with its statistics.
pub fn push_common_types(sql: &mut Sql, backend: Backend, types: &[String], prefix: &str) {
    let plus = if backend == Backend::Sqlite { "+" } else { "" };
    sql.push(&format!(" AND {plus}{prefix}event_type IN "))
        .bind_list(types.iter().map(|t| Arg::Text(t.clone())));
}

/// Newest first.
pub async fn list(
    db: &Db,
    app: &AppId,
    q: &ListQuery,
    f: &MessageFilter,
) -> Result<Page<Message>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {COLUMNS} FROM messages WHERE app_id = "),
    );
    sql.bind(Arg::Text(app.to_string()));
    if let Some(it) = &q.iterator {
        sql.push(" AND id < ").bind(Arg::Text(it.clone()));
    }
    let mut f = f.clone();
    if !f.event_types.is_empty() {
        let types = std::mem::take(&mut f.event_types);
        match few_of_types(db, app, &types).await? {
            Some(ids) if ids.is_empty() => {
                return Ok(Page::from_rows(Vec::new(), q.limit, |m: &Message| {
                    m.id.clone()
                }))
            }
            Some(ids) => {
                sql.push(" AND id IN ")
                    .bind_list(ids.into_iter().map(Arg::Text));
            }
            None => push_common_types(&mut sql, db.backend, &types, ""),
        }
    }
    push_filters(&mut sql, &f, "");
    sql.push(" ORDER BY id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql.query_as::<Message>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, q.limit, |m| m.id.clone()))
}

pub fn push_filters(sql: &mut Sql, f: &MessageFilter, prefix: &str) {
    if !f.event_types.is_empty() {
        sql.push(&format!(" AND {prefix}event_type IN ("));
        for (i, t) in f.event_types.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(t.clone()));
        }
        sql.push(")");
    }
    if let Some(b) = f.before {
        sql.push(&format!(" AND {prefix}created_at < "))
            .bind(Arg::Int(b));
    }
    if let Some(a) = f.after {
        sql.push(&format!(" AND {prefix}created_at > "))
            .bind(Arg::Int(a));
    }
    if let Some(c) = &f.channel {
        sql.push(&format!(" AND {prefix}channels LIKE "))
            .bind(Arg::Text(format!(
                "%\"{}\"%",
                c.replace(['%', '_', '"'], "")
            )));
    }
}

pub async fn expunge_content(db: &Db, app: &AppId, id: &str) -> Result<(), ServiceError> {
    let done = sqlx::query("UPDATE messages SET payload = NULL WHERE app_id = $1 AND id = $2")
        .bind(app.as_str())
        .bind(id)
        .execute(&db.write)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("message"));
    }
    // The enveloped bodies sent hold the payload too.
    sqlx::query("DELETE FROM sent_bodies WHERE msg_id = $1")
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Rows per INSERT statement. SQLite finds each bind parameter by a linear scan of the
/// statement's parameter names, so binding is quadratic in the parameters of one statement: a
/// profile of 512-row statements showed 8% of all CPU in `sqlite3_bind_parameter_name` and
/// `strncmp`. Statements of 64 rows keep that negligible and still amortise the round trips.
pub const ROWS_PER_INSERT: usize = 64;

/// Inserts messages in statements of [`ROWS_PER_INSERT`] rows.
pub async fn insert_messages(
    tx: &mut Tx,
    backend: Backend,
    messages: &[(AppId, Message)],
) -> Result<(), sqlx::Error> {
    for chunk in messages.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::new(
            backend,
            &format!("INSERT INTO messages ({COLUMNS}) VALUES "),
        );
        for (i, (_, m)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(Arg::Text(m.id.clone()))
                .push(", ")
                .bind(Arg::Text(m.app_id.clone()))
                .push(", ")
                .bind(Arg::Text(m.event_type.clone()));
            match &m.event_id {
                Some(e) => sql.push(", ").bind(Arg::Text(e.clone())),
                None => sql.push(", NULL"),
            };
            match &m.payload {
                Some(p) => sql.push(", ").bind(Arg::Text(p.clone())),
                None => sql.push(", NULL"),
            };
            match &m.channels {
                Some(c) => sql.push(", ").bind(Arg::Text(c.clone())),
                None => sql.push(", NULL"),
            };
            sql.push(", ")
                .bind(Arg::Int(m.created_at))
                .push(if m.test != 0 { ", 1)" } else { ", 0)" });
        }
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The message an idempotency key created, if the key was seen.
pub async fn by_idempotency_key(
    db: &Db,
    app: &AppId,
    key: &str,
) -> Result<Option<String>, ServiceError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM idempotency_keys WHERE app_id = $1 AND key = $2")
            .bind(app.as_str())
            .bind(key)
            .fetch_optional(&db.write)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Claims an idempotency key for `msg_id`; a unique violation means another request has it.
pub async fn claim_idempotency_key(
    tx: &mut Tx,
    app: &AppId,
    key: &str,
    msg_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotency_keys (app_id, key, status, body, created_at) VALUES ($1, $2, 202, $3, $4)",
    )
    .bind(app.as_str())
    .bind(key)
    .bind(msg_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells other instances that work is due. Sent inside the transaction that made it due, so
/// they hear it exactly when the rows are visible. PostgreSQL only; a no-op on SQLite.
pub async fn notify_work(tx: &mut Tx, backend: Backend) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify('herald_work', '')")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// One delivery row to insert: (app, message, endpoint, skip reason or pending, time).
pub type DeliveryRow<'a> = (&'a str, &'a str, &'a str, Option<&'static str>, i64);

/// [`notify_work`] outside a transaction, for work made due by an update (a resend, a recovery).
pub async fn notify_work_now(db: &Db) -> Result<(), sqlx::Error> {
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify('herald_work', '')")
            .execute(&db.write)
            .await?;
    }
    Ok(())
}

/// Inserts delivery rows (pending, or skipped with the reason) in statements of
/// [`ROWS_PER_INSERT`] rows. Shared by group commit and the single-message path.
pub async fn insert_deliveries(
    tx: &mut Tx,
    backend: Backend,
    rows: &[DeliveryRow<'_>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::new(backend,
            "INSERT INTO deliveries (app_id, msg_id, endpoint_id, status, skip_reason, next_attempt_at, created_at, updated_at) VALUES ",
        );
        for (i, (app, msg, ep, skip, now)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(Arg::Text((*app).to_owned()))
                .push(", ")
                .bind(Arg::Text((*msg).to_owned()))
                .push(", ")
                .bind(Arg::Text((*ep).to_owned()));
            match skip {
                None => sql.push(", 1, NULL, ").bind(Arg::Int(*now)),
                Some(reason) => sql
                    .push(", 4, ")
                    .bind(Arg::Text((*reason).to_owned()))
                    .push(", NULL"),
            };
            sql.push(", ")
                .bind(Arg::Int(*now))
                .push(", ")
                .bind(Arg::Int(*now))
                .push(")");
        }
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}
