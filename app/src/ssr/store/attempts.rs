//! The delivery log: attempts (one per HTTP try), and per-(message, endpoint) delivery states.

use super::{endpoints, messages, Arg, ListQuery, Page, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::{Backend, Db};
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
    /// Where the exact request body is (see `worker::SentBody::reference`); `None`: not
    /// recorded.
    pub request_body_ref: Option<String>,
    /// 1: `response` holds only the start of a longer response.
    pub response_truncated: i64,
}

pub const COLUMNS: &str = "id, app_id, msg_id, endpoint_id, url, status, response_status_code, \
    response, response_headers, request_headers, duration_ms, trigger_type, error, created_at, \
    request_body_ref, response_truncated";

/// The body an attempt sent, byte for byte, given its message's payload: `None` when it was not
/// recorded (the attempt is older than exact bodies, or its try sent nothing) or the message's
/// content was expunged since.
pub async fn sent_body(
    db: &Db,
    a: &Attempt,
    payload: Option<&str>,
) -> Result<Option<String>, ServiceError> {
    match a.request_body_ref.as_deref() {
        None => Ok(None),
        Some(crate::ssr::store::worker::BODY_IS_PAYLOAD) => Ok(payload.map(str::to_owned)),
        Some(sha256) => Ok(sqlx::query_scalar(
            "SELECT body FROM sent_bodies WHERE msg_id = $1 AND sha256 = $2",
        )
        .bind(&a.msg_id)
        .bind(sha256)
        .fetch_optional(&db.read)
        .await?),
    }
}

#[derive(Debug, Clone, Default)]
pub struct AttemptFilter {
    pub status: Option<i64>,
    pub endpoint_id: Option<String>,
    pub event_types: Vec<String>,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// How long after its call started an attempt's id can be made, at most: the longest request
/// timeout (5 min) and a record batch, with room to spare.
const ID_AFTER_START_MS: i64 = 10 * 60 * 1000;

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
    let empty = || {
        Ok(Page::from_rows(Vec::new(), q.limit, |a: &Attempt| {
            a.id.clone()
        }))
    };
    // An attempt has only ever status 0 or 2: any other reads nothing, without a scan.
    if f.status.is_some_and(|s| s != 0 && s != 2) {
        return empty();
    }
    // The tenant is checked on the message (an attempt's app is its message's), not on
    // `a.app_id`: with no statistics SQLite then read `attempts_app` (all the company's
    // attempts, newest first) for one message's or one endpoint's, 0.3 s at 100 000 attempts
    // (BENCHMARKS.md, "The log at 10 million attempts"), instead of `attempts_msg` or
    // `attempts_endpoint`.
    let sqlite = db.backend == Backend::Sqlite;
    // A rare event type: its few messages' attempts, through `attempts_msg`, rather than every
    // attempt of the endpoint until one matches (15 s at 10 million attempts). SQLite is kept
    // off the endpoint's index by the unary `+`.
    let few = if f.event_types.is_empty() {
        None
    } else {
        match messages::few_of_types(db, app, &f.event_types).await? {
            Some(ids) if ids.is_empty() => return empty(),
            few => few,
        }
    };
    // Failed attempts of an endpoint: its partial index holds only those, however few. The
    // status is spelled in the text, since SQLite uses a partial index only for a condition it
    // can see implies the index's.
    let from = if f.status == Some(2) && column == "endpoint_id" && few.is_none() && sqlite {
        "attempts a INDEXED BY attempts_endpoint_failed"
    } else {
        "attempts a"
    };
    let steer = if few.is_some() && sqlite { "+" } else { "" };
    let mut sql = Sql::new(
        db.backend,
        &format!(
            "SELECT {cols} FROM {from} JOIN messages m ON m.id = a.msg_id WHERE {steer}a.{column} = "
        ),
    );
    sql.bind(Arg::Text(value.to_owned()))
        .push(" AND m.app_id = ")
        .bind(Arg::Text(app.to_string()));
    match few {
        Some(ids) => {
            sql.push(" AND a.msg_id IN ")
                .bind_list(ids.into_iter().map(Arg::Text));
        }
        None if !f.event_types.is_empty() => {
            messages::push_common_types(&mut sql, db.backend, &f.event_types, "m.");
        }
        None => {}
    }
    if let Some(it) = &q.iterator {
        sql.push(" AND a.id < ").bind(Arg::Text(it.clone()));
    }
    match f.status {
        Some(2) => {
            sql.push(" AND a.status = 2");
        }
        Some(s) => {
            sql.push(" AND a.status = ").bind(Arg::Int(s));
        }
        None => {}
    }
    if let Some(ep) = &f.endpoint_id {
        sql.push(" AND a.endpoint_id = ")
            .bind(Arg::Text(ep.clone()));
    }
    // Times bound the id too (ids are ULIDs, time first), so they are a range of the index,
    // not a scan. An attempt's id is made when it is recorded, after its call started
    // (`created_at`) and at most a request timeout and a record batch later.
    if let Some(b) = f.before {
        sql.push(" AND a.id < ")
            .bind(Arg::Text(crate::ids::AttemptId::lower_bound_at(
                b.saturating_add(ID_AFTER_START_MS),
            )))
            .push(" AND a.created_at < ")
            .bind(Arg::Int(b));
    }
    if let Some(a) = f.after {
        sql.push(" AND a.id >= ")
            .bind(Arg::Text(crate::ids::AttemptId::lower_bound_at(
                a.saturating_add(1),
            )))
            .push(" AND a.created_at > ")
            .bind(Arg::Int(a));
    }
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
