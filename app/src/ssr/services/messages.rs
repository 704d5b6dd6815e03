//! Accepting messages. A message and one delivery row per endpoint of its tenant (pending, or
//! skipped with the reason) are committed in one transaction before the API answers: after a 2xx
//! the message will be delivered or visibly fail, whatever crashes afterwards.

use super::{endpoints, Arg, ListQuery, Page, Sql};
use crate::ids::{AppId, MessageId};
use crate::ssr::error::unique_violation;
use crate::ssr::time::now_ms;
use crate::ssr::{validate, AppState, ServiceError};
use serde_json::value::RawValue;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Message {
    pub id: String,
    pub app_id: String,
    pub event_type: String,
    pub event_id: Option<String>,
    pub payload: Option<String>,
    pub channels: Option<String>,
    pub created_at: i64,
}

pub const COLUMNS: &str = "id, app_id, event_type, event_id, payload, channels, created_at";

/// Largest accepted payload (its JSON text).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub event_type: String,
    pub event_id: Option<String>,
    /// The payload's JSON text exactly as received, so receivers get the bytes the host sent.
    pub payload: Box<RawValue>,
    pub channels: Option<Vec<String>>,
}

#[derive(Debug)]
pub enum Accepted {
    New(Message),
    /// The idempotency key was seen before: this is the message it created.
    Replayed(Message),
}

/// Only these endpoints get the message (test sends); `None` means every endpoint of the tenant.
pub type Only<'a> = Option<&'a str>;

pub async fn create(
    state: &AppState,
    app: &AppId,
    msg: NewMessage,
    idempotency_key: Option<&str>,
    only_endpoint: Only<'_>,
) -> Result<Accepted, ServiceError> {
    validate::event_type_name(&msg.event_type)?;
    if let Some(eid) = &msg.event_id {
        validate::name_like("eventId", eid, 256)?;
    }
    if !msg.payload.get().trim_start().starts_with('{') {
        return Err(ServiceError::validation("payload: must be a JSON object"));
    }
    if msg.payload.get().len() > MAX_PAYLOAD_BYTES {
        return Err(ServiceError::validation(format!(
            "payload: must be at most {MAX_PAYLOAD_BYTES} bytes"
        )));
    }
    if let Some(channels) = &msg.channels {
        if channels.len() > 10 {
            return Err(ServiceError::validation("channels: at most 10 channels"));
        }
        for c in channels {
            validate::name_like("channels", c, 128)?;
        }
    }
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 256 {
            return Err(ServiceError::validation(
                "idempotency-key: must be 1 to 256 characters",
            ));
        }
        if let Some(existing) = replay(state, app, key).await? {
            return Ok(Accepted::Replayed(existing));
        }
    }

    let now = now_ms();
    let message = Message {
        id: MessageId::generate().to_string(),
        app_id: app.to_string(),
        event_type: msg.event_type,
        event_id: msg.event_id,
        payload: Some(msg.payload.get().to_owned()),
        channels: msg
            .channels
            .as_ref()
            .filter(|c| !c.is_empty())
            .map(|c| serde_json::Value::from(c.clone()).to_string()),
        created_at: now,
    };

    if idempotency_key.is_none() && only_endpoint.is_none() {
        // The common case goes through group commit; it answers once the message is durable.
        state.ingest.submit(app, message.clone()).await?;
        return Ok(Accepted::New(message));
    }

    let mut tx = state.db.write.begin().await?;
    if let Some(key) = idempotency_key {
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (app_id, key, status, body, created_at) VALUES ($1, $2, 202, $3, $4)",
        )
        .bind(app.as_str())
        .bind(key)
        .bind(&message.id)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(e) = claimed {
            if unique_violation(&e).is_some() {
                drop(tx);
                // A concurrent request with the same key won the race: answer as it did.
                return match replay(state, app, key).await? {
                    Some(m) => Ok(Accepted::Replayed(m)),
                    None => Err(ServiceError::Conflict {
                        code: "conflict",
                        detail: "a request with this idempotency-key is still in progress".into(),
                    }),
                };
            }
            return Err(e.into());
        }
    }
    sqlx::query(&format!(
        "INSERT INTO messages ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&message.id)
    .bind(&message.app_id)
    .bind(&message.event_type)
    .bind(&message.event_id)
    .bind(&message.payload)
    .bind(&message.channels)
    .bind(message.created_at)
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if unique_violation(&e).is_some() {
            ServiceError::Conflict {
                code: "conflict",
                detail: "a message with this eventId already exists".into(),
            }
        } else {
            e.into()
        }
    })?;

    let eps = endpoints::all_for_app(&mut *tx, app.as_str()).await?;
    let channels = msg.channels.as_deref();
    let mut rows: Vec<super::ingest::DeliveryRow<'_>> = Vec::new();
    for ep in eps
        .iter()
        .filter(|e| only_endpoint.is_none_or(|only| only == e.id))
    {
        // A test send to one endpoint goes out even if its filter would skip the event type.
        let skip = if only_endpoint.is_some() && ep.disabled == 0 {
            None
        } else {
            ep.skip_reason(&message.event_type, channels)
        };
        rows.push((app.as_str(), message.id.as_str(), ep.id.as_str(), skip, now));
    }
    let due = rows.iter().any(|r| r.3.is_none());
    super::ingest::insert_deliveries(&mut tx, state.db.backend, &rows).await?;
    if due && state.db.backend == crate::ssr::db::Backend::Postgres {
        // Inside the transaction: other instances hear it exactly when the rows are visible,
        // without a second round trip on the ingest path.
        sqlx::query("SELECT pg_notify('herald_work', '')")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    if due {
        state.wake.notify_one();
    }
    Ok(Accepted::New(message))
}

async fn replay(state: &AppState, app: &AppId, key: &str) -> Result<Option<Message>, ServiceError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM idempotency_keys WHERE app_id = $1 AND key = $2")
            .bind(app.as_str())
            .bind(key)
            .fetch_optional(&state.db.write)
            .await?;
    match row {
        Some((msg_id,)) => Ok(Some(get(state, app, &msg_id).await?)),
        None => Ok(None),
    }
}

/// By id, or by the host's `eventId`.
pub async fn get(
    state: &AppState,
    app: &AppId,
    id_or_event_id: &str,
) -> Result<Message, ServiceError> {
    sqlx::query_as::<_, Message>(&format!(
        "SELECT {COLUMNS} FROM messages WHERE app_id = $1 AND (id = $2 OR event_id = $2)"
    ))
    .bind(app.as_str())
    .bind(id_or_event_id)
    .fetch_optional(&state.db.write)
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

/// Newest first.
pub async fn list(
    state: &AppState,
    app: &AppId,
    q: &ListQuery,
    f: &MessageFilter,
) -> Result<Page<Message>, ServiceError> {
    let mut sql = Sql::new(
        state.db.backend,
        &format!("SELECT {COLUMNS} FROM messages WHERE app_id = "),
    );
    sql.bind(Arg::Text(app.to_string()));
    if let Some(it) = &q.iterator {
        sql.push(" AND id < ").bind(Arg::Text(it.clone()));
    }
    push_filters(&mut sql, f, "");
    sql.push(" ORDER BY id DESC LIMIT ")
        .bind(Arg::Int(q.limit + 1));
    let rows = sql.query_as::<Message>().fetch_all(&state.db.read).await?;
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

pub async fn expunge_content(state: &AppState, app: &AppId, id: &str) -> Result<(), ServiceError> {
    let done = sqlx::query("UPDATE messages SET payload = NULL WHERE app_id = $1 AND id = $2")
        .bind(app.as_str())
        .bind(id)
        .execute(&state.db.write)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("message"));
    }
    Ok(())
}
