//! Operational notifications: an endpoint was disabled, a message is failing (its fourth failed
//! try), or a message exhausted its retries.
//!
//! Each is written in the same transaction as the delivery result that caused it, so none is
//! lost. The company's portal lists them, and they are forwarded with Svix's operational-webhook
//! names and bodies to the endpoints of the operator's operational application (uid
//! [`OPERATIONAL_APP_UID`]). Forwarding goes through the ordinary message path, so those
//! deliveries are signed, retried and logged like any other; the notification's id is the
//! message's idempotency key, so forwarding twice sends once.
//!
//! Also the e-mails owed to a company's admins when one of its endpoints starts failing
//! (`failing_mails`): written with the result that reached the threshold, once per failing
//! streak, and sent by `ops::notifications` outside any delivery transaction.

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

/// The e-mail a company's admins are owed when one of its endpoints starts failing: what the
/// recorder knew when the streak reached the threshold.
#[derive(Debug)]
pub struct FailingMailOwed<'a> {
    pub endpoint_id: &'a str,
    pub app_id: &'a str,
    /// When the streak began: with the endpoint, the key that keeps it to one mail a streak.
    pub failing_since: i64,
    pub failures: i64,
    /// 0: no answer (see `last_error`).
    pub last_status_code: i64,
    pub last_error: Option<&'a str>,
    /// The auto-disable count and least time failing that apply to this endpoint.
    pub disable_after: i64,
    pub min_failing_ms: i64,
}

/// The longest error text kept for the mail: enough to recognise a refused connection or a
/// certificate problem, not a whole response.
const MAIL_ERROR_CHARS: usize = 300;

/// Called inside the transaction that recorded the failure that reached the threshold. A second
/// call for the same streak (the same endpoint failing since the same time) changes nothing.
pub async fn failing_mail_owed(
    conn: &mut AnyConnection,
    m: &FailingMailOwed<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let error: Option<String> = m
        .last_error
        .map(|e| e.chars().take(MAIL_ERROR_CHARS).collect());
    sqlx::query(
        "INSERT INTO failing_mails (endpoint_id, failing_since, app_id, failures, last_status_code,
         last_error, disable_after, min_failing_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (endpoint_id, failing_since) DO NOTHING",
    )
    .bind(m.endpoint_id)
    .bind(m.failing_since)
    .bind(m.app_id)
    .bind(m.failures)
    .bind(m.last_status_code)
    .bind(error)
    .bind(m.disable_after)
    .bind(m.min_failing_ms)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An owed failing-endpoint e-mail, claimed for sending, with what it says about the endpoint
/// now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FailingMail {
    pub endpoint_id: String,
    pub failing_since: i64,
    pub app_id: String,
    pub failures: i64,
    pub last_status_code: i64,
    pub last_error: Option<String>,
    pub disable_after: i64,
    pub min_failing_ms: i64,
    /// Admins already mailed, one address a line.
    pub sent_to: String,
    /// Sending tries, this one included.
    pub tries: i64,
    pub company: String,
    pub url: String,
    pub disabled: i64,
    pub disabled_reason: Option<String>,
    /// The endpoint's current streak; another value (or none) means this one has ended.
    pub first_failure_at: Option<i64>,
}

/// Claims up to `limit` owed e-mails that nobody is sending, each for `lease_ms`: another
/// sender (a later call, another instance) leaves them alone until it runs out.
pub async fn claim_failing_mails(
    db: &Db,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<FailingMail>, ServiceError> {
    let due: Vec<(String, i64)> = sqlx::query_as(
        "SELECT endpoint_id, failing_since FROM failing_mails
         WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY created_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.write)
    .await?;
    let mut claimed = Vec::new();
    for (endpoint_id, failing_since) in due {
        let won = sqlx::query(
            "UPDATE failing_mails SET claimed_until = $3, tries = tries + 1
             WHERE endpoint_id = $1 AND failing_since = $2 AND sent_at IS NULL
               AND (claimed_until IS NULL OR claimed_until < $4)",
        )
        .bind(&endpoint_id)
        .bind(failing_since)
        .bind(now + lease_ms)
        .bind(now)
        .execute(&db.write)
        .await?
        .rows_affected()
            > 0;
        if !won {
            continue;
        }
        let mail: Option<FailingMail> = sqlx::query_as(
            "SELECT f.endpoint_id, f.failing_since, f.app_id, f.failures, f.last_status_code,
                    f.last_error, f.disable_after, f.min_failing_ms, f.sent_to, f.tries,
                    a.name AS company, e.url, e.disabled, e.disabled_reason, e.first_failure_at
             FROM failing_mails f
             JOIN endpoints e ON e.id = f.endpoint_id
             JOIN applications a ON a.id = f.app_id
             WHERE f.endpoint_id = $1 AND f.failing_since = $2",
        )
        .bind(&endpoint_id)
        .bind(failing_since)
        .fetch_optional(&db.write)
        .await?;
        claimed.extend(mail);
    }
    Ok(claimed)
}

/// The addresses of the company's admins, the people the failing-endpoint e-mail is for.
pub async fn company_admins(db: &Db, app_id: &str) -> Result<Vec<String>, ServiceError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.app_id = $1 AND m.permission = 'admin' ORDER BY u.email",
    )
    .bind(app_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows.into_iter().map(|(e,)| e).collect())
}

/// Notes that `email` has been sent the mail, so a retry after a partial failure skips them.
pub async fn failing_mail_sent_to(
    db: &Db,
    m: &FailingMail,
    email: &str,
) -> Result<(), ServiceError> {
    sqlx::query(
        "UPDATE failing_mails SET sent_to = sent_to || $3
         WHERE endpoint_id = $1 AND failing_since = $2",
    )
    .bind(&m.endpoint_id)
    .bind(m.failing_since)
    .bind(format!("{email}\n"))
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Ends an owed mail: sent to everyone, or given up on (`sent_at` says when either way).
pub async fn failing_mail_done(db: &Db, m: &FailingMail, now: i64) -> Result<(), ServiceError> {
    sqlx::query(
        "UPDATE failing_mails SET sent_at = $3, claimed_until = NULL
         WHERE endpoint_id = $1 AND failing_since = $2",
    )
    .bind(&m.endpoint_id)
    .bind(m.failing_since)
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Puts an owed mail back for another try at `at`, after some recipients could not be mailed.
pub async fn failing_mail_retry_at(db: &Db, m: &FailingMail, at: i64) -> Result<(), ServiceError> {
    sqlx::query(
        "UPDATE failing_mails SET claimed_until = $3 WHERE endpoint_id = $1 AND failing_since = $2",
    )
    .bind(&m.endpoint_id)
    .bind(m.failing_since)
    .bind(at)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Forgets owed mails nobody can send (no SMTP is configured) and finished ones older than
/// `keep_ms`, so the table holds only what is current. Returns the unsent ones dropped.
pub async fn purge_failing_mails(
    db: &Db,
    unsent_too: bool,
    now: i64,
    keep_ms: i64,
) -> Result<u64, ServiceError> {
    let dropped = if unsent_too {
        sqlx::query("DELETE FROM failing_mails WHERE sent_at IS NULL")
            .execute(&db.write)
            .await?
            .rows_affected()
    } else {
        0
    };
    sqlx::query("DELETE FROM failing_mails WHERE sent_at < $1")
        .bind(now - keep_ms)
        .execute(&db.write)
        .await?;
    Ok(dropped)
}
