//! Operational notifications: an endpoint was disabled, a message is failing (its fourth failed
//! try), or a message exhausted its retries.
//!
//! Each is written in the same transaction as the delivery result that caused it, so none is
//! lost. The company's portal lists them, and they are forwarded with Svix's operational-webhook
//! names and bodies to the endpoints of the operator's operational application (uid
//! [`OPERATIONAL_APP_UID`]). Forwarding goes through the ordinary message path, so those
//! deliveries are signed, retried and logged like any other; the notification's id is the
//! message's idempotency key, so forwarding twice sends once.

use crate::ids::{AppId, NotificationId};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::to_rfc3339;
use crate::ssr::ServiceError;
use serde_json::{json, Value};
use sqlx::AnyConnection;

pub use super::applications::OPERATIONAL_APP_UID;
pub const ENDPOINT_DISABLED: &str = "endpoint.disabled";
pub const ATTEMPT_EXHAUSTED: &str = "message.attempt.exhausted";
/// Svix's warning, on a delivery's fourth failed try: the endpoint needs looking at before its
/// retries run out or it is disabled.
pub const ATTEMPT_FAILING: &str = "message.attempt.failing";
/// The try whose failure sends [`ATTEMPT_FAILING`], as Svix counts.
pub const FAILING_AT_TRY: i64 = 4;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub app_id: String,
    pub event_type: String,
    /// One sentence for people, shown in the portal.
    pub summary: String,
    /// The operational webhook's body.
    pub payload: String,
    pub forwarded: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, app_id, event_type, summary, payload, forwarded, created_at";

async fn insert(
    conn: &mut AnyConnection,
    app_id: &str,
    app_uid: Option<&str>,
    event_type: &str,
    summary: String,
    data: Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    // The operational application's own failures would notify about themselves forever.
    if app_uid == Some(OPERATIONAL_APP_UID) {
        return Ok(());
    }
    let payload = json!({ "type": event_type, "timestamp": to_rfc3339(now), "data": data });
    sqlx::query(&format!(
        "INSERT INTO notifications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, 0, $6)"
    ))
    .bind(NotificationId::generate().to_string())
    .bind(app_id)
    .bind(event_type)
    .bind(summary)
    .bind(payload.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The app, its uid, the endpoint's uid and URL, and when it started failing.
type DisabledRow = (String, Option<String>, Option<String>, String, Option<i64>);

/// Called inside the transaction that disabled the endpoint.
pub async fn endpoint_disabled(
    conn: &mut AnyConnection,
    endpoint_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row: Option<DisabledRow> = sqlx::query_as(
        "SELECT e.app_id, a.uid, e.uid, e.url, e.first_failure_at
             FROM endpoints e JOIN applications a ON a.id = e.app_id WHERE e.id = $1",
    )
    .bind(endpoint_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((app_id, app_uid, ep_uid, url, fail_since)) = row else {
        return Ok(());
    };
    let data = json!({
        "appId": app_id,
        "appUid": app_uid,
        "endpointId": endpoint_id,
        "endpointUid": ep_uid,
        "failSince": to_rfc3339(fail_since.unwrap_or(now)),
    });
    let summary = format!("The endpoint {url} was disabled: {reason}.");
    insert(
        conn,
        &app_id,
        app_uid.as_deref(),
        ENDPOINT_DISABLED,
        summary,
        data,
        now,
    )
    .await
}

/// Called inside the transaction that marked the delivery failed for good.
pub async fn attempt_exhausted(
    conn: &mut AnyConnection,
    o: &super::worker::Outcome,
    attempt_id: &str,
    a: &super::worker::AttemptRecord,
    now: i64,
) -> Result<(), sqlx::Error> {
    attempt_notice(conn, ATTEMPT_EXHAUSTED, o, attempt_id, a, now).await
}

/// Called inside the transaction that recorded a delivery's fourth failed try, which will be
/// retried.
pub async fn attempt_failing(
    conn: &mut AnyConnection,
    o: &super::worker::Outcome,
    attempt_id: &str,
    a: &super::worker::AttemptRecord,
    now: i64,
) -> Result<(), sqlx::Error> {
    attempt_notice(conn, ATTEMPT_FAILING, o, attempt_id, a, now).await
}

async fn attempt_notice(
    conn: &mut AnyConnection,
    kind: &str,
    o: &super::worker::Outcome,
    attempt_id: &str,
    a: &super::worker::AttemptRecord,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row: Option<(Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT a.uid, m.event_id, m.event_type
         FROM messages m JOIN applications a ON a.id = m.app_id WHERE m.id = $1",
    )
    .bind(&o.msg_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((app_uid, event_id, event_type)) = row else {
        return Ok(());
    };
    let data = json!({
        "appId": o.app_id,
        "appUid": app_uid,
        "msgId": o.msg_id,
        "msgEventId": event_id,
        "endpointId": o.endpoint_id,
        "lastAttempt": {
            "id": attempt_id,
            "timestamp": to_rfc3339(a.created_at),
            "responseStatusCode": a.response_status_code,
        },
    });
    let last = match (a.response_status_code, &a.error) {
        (0, Some(e)) => format!("failed ({})", e.split(':').next().unwrap_or("error")),
        (0, None) => "got no response".to_owned(),
        (code, _) => format!("was answered {code}"),
    };
    let summary = if kind == ATTEMPT_EXHAUSTED {
        format!(
            "A {event_type} event ({}) could not be delivered to {}: its last try {last}, and no retries are left.",
            o.msg_id, a.url
        )
    } else {
        format!(
            "A {event_type} event ({}) has failed {FAILING_AT_TRY} times to reach {}: the last try {last}. It will be retried; check the endpoint before it is disabled.",
            o.msg_id, a.url
        )
    };
    insert(
        conn,
        &o.app_id,
        app_uid.as_deref(),
        kind,
        summary,
        data,
        now,
    )
    .await
}

/// The company's notifications, newest first.
pub async fn recent(db: &Db, app: &AppId, limit: i64) -> Result<Vec<Notification>, ServiceError> {
    Ok(sqlx::query_as::<_, Notification>(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE app_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(app.as_str())
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}

/// Notifications not yet forwarded to the operational application, oldest first.
pub async fn unforwarded(db: &Db, limit: i64) -> Result<Vec<Notification>, ServiceError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE forwarded = 0 ORDER BY id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}

pub async fn mark_forwarded(db: &Db, id: &str) -> Result<(), ServiceError> {
    sqlx::query("UPDATE notifications SET forwarded = 1 WHERE id = $1")
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}
