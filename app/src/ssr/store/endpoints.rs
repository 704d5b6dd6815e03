//! Endpoints: where a tenant's events go, which ones, and the secrets that sign them.

use super::{json_or_default, plans, Arg, ListQuery, Page, Sql};
use crate::ids::AppId;
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;
use std::collections::BTreeMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Endpoint {
    pub id: String,
    pub app_id: String,
    pub uid: Option<String>,
    pub url: String,
    pub description: String,
    pub event_types: Option<String>,
    pub channels: Option<String>,
    pub disabled: i64,
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<i64>,
    pub metadata: String,
    pub headers: String,
    pub throttle_rate: Option<i64>,
    pub consecutive_failures: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub const COLUMNS: &str = "id, app_id, uid, url, description, event_types, channels, disabled, \
    disabled_reason, disabled_at, metadata, headers, throttle_rate, consecutive_failures, version, \
    created_at, updated_at";

impl Endpoint {
    pub fn event_type_list(&self) -> Option<Vec<String>> {
        let list: Vec<String> = json_or_default(self.event_types.as_deref());
        (!list.is_empty()).then_some(list)
    }

    pub fn channel_list(&self) -> Option<Vec<String>> {
        let list: Vec<String> = json_or_default(self.channels.as_deref());
        (!list.is_empty()).then_some(list)
    }

    pub fn header_map(&self) -> BTreeMap<String, String> {
        json_or_default(Some(&self.headers))
    }
}

/// A stored filter column (event types or channels), read strictly: the fan-out must not take a
/// column it cannot read for "no filter".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    All,
    Only(Vec<String>),
    Damaged,
}

impl Filter {
    pub fn parse(column: Option<&str>) -> Filter {
        match column.map(str::trim) {
            None | Some("") | Some("null") => Filter::All,
            Some(text) => match serde_json::from_str::<Vec<String>>(text) {
                Ok(list) if list.is_empty() => Filter::All,
                Ok(list) => Filter::Only(list),
                Err(_) => Filter::Damaged,
            },
        }
    }
}

#[cfg(test)]
mod filter_tests {
    use super::Filter;

    #[test]
    fn a_filter_column_that_cannot_be_read_is_damaged_not_all() {
        assert_eq!(Filter::parse(None), Filter::All);
        assert_eq!(Filter::parse(Some("[]")), Filter::All);
        assert_eq!(
            Filter::parse(Some(r#"["a.b"]"#)),
            Filter::Only(vec!["a.b".into()])
        );
        assert_eq!(Filter::parse(Some("[\"a.b\"")), Filter::Damaged);
        assert_eq!(Filter::parse(Some("{}")), Filter::Damaged);
        assert_eq!(Filter::parse(Some("[1]")), Filter::Damaged);
    }
}

pub async fn get(db: &Db, app: &AppId, id_or_uid: &str) -> Result<Endpoint, ServiceError> {
    sqlx::query_as::<_, Endpoint>(&format!(
        "SELECT {COLUMNS} FROM endpoints WHERE app_id = $1 AND (id = $2 OR uid = $2)"
    ))
    .bind(app.as_str())
    .bind(id_or_uid)
    .fetch_optional(&db.write)
    .await?
    .ok_or(ServiceError::NotFound("endpoint"))
}

pub async fn list(db: &Db, app: &AppId, q: &ListQuery) -> Result<Page<Endpoint>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {COLUMNS} FROM endpoints WHERE app_id = "),
    );
    sql.bind(Arg::Text(app.to_string()));
    if let Some(it) = &q.iterator {
        sql.push(if q.descending {
            " AND id < "
        } else {
            " AND id > "
        })
        .bind(Arg::Text(it.clone()));
    }
    sql.push(if q.descending {
        " ORDER BY id DESC LIMIT "
    } else {
        " ORDER BY id ASC LIMIT "
    })
    .bind(Arg::Int(q.limit + 1));
    let rows = sql.query_as::<Endpoint>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, q.limit, |e| e.id.clone()))
}

/// Every endpoint of a tenant, for fan-out.
pub async fn all_for_app<'e, E>(exec: E, app: &str) -> Result<Vec<Endpoint>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_as::<_, Endpoint>(&format!(
        "SELECT {COLUMNS} FROM endpoints WHERE app_id = $1"
    ))
    .bind(app)
    .fetch_all(exec)
    .await
}

#[derive(Debug, Clone, Default)]
pub struct EndpointStats {
    pub success: i64,
    pub pending: i64,
    pub fail: i64,
    pub sending: i64,
    pub skipped: i64,
}

pub async fn stats(
    db: &Db,
    app: &AppId,
    ep: &str,
    since: Option<i64>,
    until: Option<i64>,
) -> Result<EndpointStats, ServiceError> {
    let mut sql = Sql::new(db.backend,
        "SELECT status, CASE WHEN lease_until IS NOT NULL THEN 1 ELSE 0 END AS leased, COUNT(*) AS n
         FROM deliveries WHERE app_id = ",
    );
    sql.bind(Arg::Text(app.to_string()))
        .push(" AND endpoint_id = ")
        .bind(Arg::Text(ep.to_owned()));
    if let Some(s) = since {
        sql.push(" AND created_at >= ").bind(Arg::Int(s));
    }
    if let Some(u) = until {
        sql.push(" AND created_at < ").bind(Arg::Int(u));
    }
    sql.push(" GROUP BY status, CASE WHEN lease_until IS NOT NULL THEN 1 ELSE 0 END");
    let rows = sql
        .query_as::<(i64, i64, i64)>()
        .fetch_all(&db.read)
        .await?;
    let mut out = EndpointStats::default();
    for (status, leased, n) in rows {
        match (status, leased) {
            (0, _) => out.success += n,
            (1, 1) => out.sending += n,
            (1, _) => out.pending += n,
            (2, _) => out.fail += n,
            _ => out.skipped += n,
        }
    }
    Ok(out)
}

fn map_unique(e: sqlx::Error) -> ServiceError {
    if unique_violation(&e).is_some() {
        ServiceError::Conflict {
            code: "conflict",
            detail: "an endpoint with this uid already exists in this application".into(),
        }
    } else {
        e.into()
    }
}

/// How many of an endpoint's waiting deliveries an edit that leaves it enabled makes due at
/// once; the worker's admission takes it from there (its share of the slots, its rate).
const RELEASE_ON_EDIT: i64 = 256;

/// Writes every settable field of `ep` (its tenant's row only). An endpoint enabled with a
/// clean record is no longer paused, and the deliveries that waited while it was disabled or
/// paused start going out at once.
pub async fn update_in(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    ep: &Endpoint,
) -> Result<(), ServiceError> {
    let done = sqlx::query(
        "UPDATE endpoints SET uid = $3, url = $4, description = $5, event_types = $6, channels = $7,
         disabled = $8, disabled_reason = $9, disabled_at = $10, metadata = $11, headers = $12,
         throttle_rate = $13, consecutive_failures = $14, version = $15, updated_at = $16,
         first_failure_at = CASE WHEN $14 = 0 THEN NULL ELSE first_failure_at END,
         paused_until = CASE WHEN $8 = 0 AND $14 = 0 THEN NULL ELSE paused_until END,
         paused_reason = CASE WHEN $8 = 0 AND $14 = 0 THEN NULL ELSE paused_reason END
         WHERE app_id = $1 AND id = $2",
    )
    .bind(&ep.app_id)
    .bind(&ep.id)
    .bind(&ep.uid)
    .bind(&ep.url)
    .bind(&ep.description)
    .bind(&ep.event_types)
    .bind(&ep.channels)
    .bind(ep.disabled)
    .bind(&ep.disabled_reason)
    .bind(ep.disabled_at)
    .bind(&ep.metadata)
    .bind(&ep.headers)
    .bind(ep.throttle_rate)
    .bind(ep.consecutive_failures)
    .bind(ep.version)
    .bind(ep.updated_at)
    .execute(&mut *conn)
    .await
    .map_err(map_unique)?;
    if done.rows_affected() > 0 && ep.disabled == 0 {
        super::worker::release_waiting(&mut *conn, backend, &ep.id, RELEASE_ON_EDIT, now_ms())
            .await?;
    }
    Ok(())
}

// The statements below run on the caller's connection, so that a domain change writes its audit
// entry in the same transaction (issue 11).

/// Inserts an endpoint on the caller's connection (its transaction): the plan's limit is checked
/// there, on PostgreSQL holding the tenant's row, so two creates at once cannot both fit under it.
pub async fn insert_in(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    ep: &Endpoint,
    secret_enc: &str,
) -> Result<(), ServiceError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM applications WHERE id = $1 FOR UPDATE")
            .bind(&ep.app_id)
            .execute(&mut *conn)
            .await?;
    }
    if let Some(reason) = plans::endpoint_limit_reason(&mut *conn, &ep.app_id).await? {
        return Err(ServiceError::validation(reason));
    }
    sqlx::query(&format!(
        "INSERT INTO endpoints ({COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)"
    ))
    .bind(&ep.id)
    .bind(&ep.app_id)
    .bind(&ep.uid)
    .bind(&ep.url)
    .bind(&ep.description)
    .bind(&ep.event_types)
    .bind(&ep.channels)
    .bind(ep.disabled)
    .bind(&ep.disabled_reason)
    .bind(ep.disabled_at)
    .bind(&ep.metadata)
    .bind(&ep.headers)
    .bind(ep.throttle_rate)
    .bind(ep.consecutive_failures)
    .bind(ep.version)
    .bind(ep.created_at)
    .bind(ep.updated_at)
    .execute(&mut *conn)
    .await
    .map_err(map_unique)?;
    sqlx::query(
        "INSERT INTO endpoint_secrets (endpoint_id, secret_enc, created_at) VALUES ($1, $2, $3)",
    )
    .bind(&ep.id)
    .bind(secret_enc)
    .bind(ep.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// [`delete`] on the caller's connection.
pub async fn delete_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    id: &str,
) -> Result<(), ServiceError> {
    let done = sqlx::query("DELETE FROM endpoints WHERE app_id = $1 AND id = $2")
        .bind(app.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("endpoint"));
    }
    Ok(())
}

/// [`claim_unrevealed_secret`] on the caller's connection.
pub async fn claim_unrevealed_secret_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    id: &str,
    now: i64,
) -> Result<Option<String>, ServiceError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE endpoint_secrets SET revealed_at = $3
         WHERE endpoint_id = (SELECT id FROM endpoints WHERE app_id = $1 AND id = $2)
           AND expires_at IS NULL AND revealed_at IS NULL
         RETURNING secret_enc",
    )
    .bind(app.as_str())
    .bind(id)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(enc,)| enc))
}

/// [`current_secret_enc`] on the caller's connection.
pub async fn current_secret_enc_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    id: &str,
) -> Result<Option<String>, ServiceError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT s.secret_enc FROM endpoint_secrets s JOIN endpoints e ON e.id = s.endpoint_id
         WHERE e.app_id = $1 AND e.id = $2 AND s.expires_at IS NULL ORDER BY s.id DESC LIMIT 1",
    )
    .bind(app.as_str())
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(enc,)| enc))
}

/// [`rotate_secret`] on the caller's connection (its transaction).
pub async fn rotate_secret_in(
    conn: &mut sqlx::AnyConnection,
    app: &AppId,
    id: &str,
    secret_enc: &str,
    expires: i64,
    now: i64,
) -> Result<(), ServiceError> {
    let found = sqlx::query(
        "UPDATE endpoints SET version = version + 1, updated_at = $3 WHERE app_id = $1 AND id = $2",
    )
    .bind(app.as_str())
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if found.rows_affected() == 0 {
        return Err(ServiceError::NotFound("endpoint"));
    }
    sqlx::query(
        "UPDATE endpoint_secrets SET expires_at = $2 WHERE endpoint_id = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(id)
    .bind(expires)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM endpoint_secrets WHERE endpoint_id = $1 AND expires_at <= $2")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO endpoint_secrets (endpoint_id, secret_enc, created_at) VALUES ($1, $2, $3)",
    )
    .bind(id)
    .bind(secret_enc)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// [`set_headers`] on the caller's connection.
pub async fn set_headers_in(
    conn: &mut sqlx::AnyConnection,
    app: &str,
    id: &str,
    headers_json: &str,
    now: i64,
) -> Result<(), ServiceError> {
    sqlx::query("UPDATE endpoints SET headers = $3, version = version + 1, updated_at = $4 WHERE app_id = $1 AND id = $2")
        .bind(app)
        .bind(id)
        .bind(headers_json)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Where an endpoint stands on failing days: paused until when and why, failing since when, and
/// how many of its deliveries are pending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Health {
    pub id: String,
    pub paused_until: Option<i64>,
    pub paused_reason: Option<String>,
    pub first_failure_at: Option<i64>,
    pub consecutive_failures: i64,
    /// Pending deliveries, counted up to [`WAITING_COUNT_LIMIT`] (one more means "more").
    pub waiting: i64,
}

/// Pending deliveries are counted this far, so a page showing a huge backlog stays fast.
pub const WAITING_COUNT_LIMIT: i64 = 10_000;

/// The health of each of the tenant's endpoints.
pub async fn health(db: &Db, app: &AppId) -> Result<Vec<Health>, ServiceError> {
    let pending = crate::ssr::delivery::state::DeliveryState::Pending.as_i64();
    Ok(sqlx::query_as(&format!(
        "SELECT e.id, e.paused_until, e.paused_reason, e.first_failure_at, e.consecutive_failures,
                (SELECT COUNT(*) FROM (SELECT 1 AS one FROM deliveries d
                                       WHERE d.endpoint_id = e.id AND d.status = {pending}
                                         AND d.lease_owner IS NULL
                                       LIMIT {}) w) AS waiting
         FROM endpoints e WHERE e.app_id = $1",
        WAITING_COUNT_LIMIT + 1
    ))
    .bind(app.as_str())
    .fetch_all(&db.read)
    .await?)
}
