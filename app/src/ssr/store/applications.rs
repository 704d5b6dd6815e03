//! Applications: the tenants. Each is addressed by its id (`app_…`) or by the host's own `uid`.

use super::{json_or_default, Arg, ListQuery, Page, Sql};
use crate::branding::Branding;
use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::{infra::validate, ServiceError};
use serde_json::{Map, Value};
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Application {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub metadata: String,
    pub throttle_rate: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub name: String,
    pub uid: Option<String>,
    pub metadata: Map<String, Value>,
    pub throttle_rate: Option<i64>,
}

impl ApplicationInput {
    fn validate(&self) -> Result<(), ServiceError> {
        if self.name.trim().is_empty() {
            return Err(ServiceError::validation("name: must not be empty"));
        }
        validate::text("name", &self.name, 256)?;
        if let Some(uid) = &self.uid {
            validate::uid("uid", uid)?;
        }
        if let Some(rate) = self.throttle_rate {
            if !(0..=65535).contains(&rate) {
                return Err(ServiceError::validation(
                    "throttleRate: must be between 0 and 65535",
                ));
            }
        }
        Ok(())
    }
}

/// The operator's own application: it receives the operational webhooks and is not a tenant.
pub const OPERATIONAL_APP_UID: &str = "herald-operational";

const COLUMNS: &str = "id, uid, name, metadata, throttle_rate, created_at, updated_at";

fn map_unique(e: sqlx::Error) -> ServiceError {
    if unique_violation(&e).is_some() {
        ServiceError::Conflict {
            code: "conflict",
            detail: "an application with this uid already exists".into(),
        }
    } else {
        e.into()
    }
}

pub async fn create(db: &Db, input: ApplicationInput) -> Result<Application, ServiceError> {
    let mut conn = db.write.acquire().await?;
    create_in(&mut conn, input).await
}

/// [`create`] on the caller's connection (its transaction).
pub async fn create_in(
    conn: &mut AnyConnection,
    input: ApplicationInput,
) -> Result<Application, ServiceError> {
    input.validate()?;
    let now = now_ms();
    let app = Application {
        id: AppId::generate().to_string(),
        uid: input.uid,
        name: input.name,
        metadata: Value::Object(input.metadata).to_string(),
        throttle_rate: input.throttle_rate,
        created_at: now,
        updated_at: now,
    };
    sqlx::query(
        "INSERT INTO applications (id, uid, name, metadata, throttle_rate, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&app.id)
    .bind(&app.uid)
    .bind(&app.name)
    .bind(&app.metadata)
    .bind(app.throttle_rate)
    .bind(app.created_at)
    .bind(app.updated_at)
    .execute(conn)
    .await
    .map_err(map_unique)?;
    Ok(app)
}

/// Finds an application by id or uid.
pub async fn find(db: &Db, id_or_uid: &str) -> Result<Application, ServiceError> {
    let mut conn = db.write.acquire().await?;
    find_in(&mut conn, id_or_uid).await
}

/// [`find`] on the caller's connection: what a change is about to replace, in its transaction.
pub async fn find_in(
    conn: &mut AnyConnection,
    id_or_uid: &str,
) -> Result<Application, ServiceError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = $1 OR uid = $1");
    sqlx::query_as::<_, Application>(&sql)
        .bind(id_or_uid)
        .fetch_optional(conn)
        .await?
        .ok_or(ServiceError::NotFound("application"))
}

/// Resolves the `{app_id}` of a path (an id or a uid) to the tenant's id.
pub async fn resolve(db: &Db, id_or_uid: &str) -> Result<AppId, ServiceError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM applications WHERE id = $1 OR uid = $1")
            .bind(id_or_uid)
            .fetch_optional(&db.read)
            .await?;
    row.and_then(|(id,)| AppId::parse(&id))
        .ok_or(ServiceError::NotFound("application"))
}

/// The tenants. The operator's operational application is not one: it is reached by its uid.
pub async fn list(db: &Db, q: &ListQuery) -> Result<Page<Application>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {COLUMNS} FROM applications WHERE (uid IS NULL OR uid <> "),
    );
    sql.bind(Arg::Text(OPERATIONAL_APP_UID.to_owned()))
        .push(")");
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
    let rows = sql.query_as::<Application>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, q.limit, |a| a.id.clone()))
}

/// Replaces an application's fields, on the caller's connection (its transaction).
pub async fn replace_in(
    conn: &mut AnyConnection,
    existing: &Application,
    input: ApplicationInput,
) -> Result<Application, ServiceError> {
    input.validate()?;
    let now = now_ms();
    let app = Application {
        id: existing.id.clone(),
        uid: input.uid,
        name: input.name,
        metadata: Value::Object(input.metadata).to_string(),
        throttle_rate: input.throttle_rate,
        created_at: existing.created_at,
        updated_at: now,
    };
    sqlx::query(
        "UPDATE applications SET uid = $2, name = $3, metadata = $4, throttle_rate = $5, updated_at = $6
         WHERE id = $1",
    )
    .bind(&app.id)
    .bind(&app.uid)
    .bind(&app.name)
    .bind(&app.metadata)
    .bind(app.throttle_rate)
    .bind(app.updated_at)
    .execute(conn)
    .await
    .map_err(map_unique)?;
    Ok(app)
}

/// Deletes an application (its rows go with it), on the caller's connection.
pub async fn delete_in(conn: &mut AnyConnection, app: &AppId) -> Result<(), ServiceError> {
    let done = sqlx::query("DELETE FROM applications WHERE id = $1")
        .bind(app.as_str())
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("application"));
    }
    Ok(())
}

/// The tenant's id and whether the operator disabled it, by id or uid.
pub async fn state_of(db: &Db, id_or_uid: &str) -> Result<Option<(String, bool)>, ServiceError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT id, disabled FROM applications WHERE id = $1 OR uid = $1")
            .bind(id_or_uid)
            .fetch_optional(&db.read)
            .await?;
    Ok(row.map(|(id, disabled)| (id, disabled != 0)))
}

/// A tenant as the operator console lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Tenant {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub plan: Option<String>,
    pub disabled: i64,
    pub endpoints: i64,
    pub created_at: i64,
    /// The company's own branding, JSON.
    pub branding: Option<String>,
}

/// Tenants whose name, uid or id contains `q` (all when empty), by name. The operational
/// application is not a tenant.
pub async fn search(db: &Db, q: &str, limit: i64) -> Result<Vec<Tenant>, ServiceError> {
    let pattern = format!(
        "%{}%",
        q.trim().to_lowercase().replace(['\\', '%', '_'], "")
    );
    Ok(sqlx::query_as::<_, Tenant>(
        "SELECT a.id, a.uid, a.name, a.plan, a.disabled,
                (SELECT COUNT(*) FROM endpoints e WHERE e.app_id = a.id) AS endpoints, a.created_at,
                a.branding
         FROM applications a
         WHERE (a.uid IS NULL OR a.uid <> $1)
           AND (LOWER(a.name) LIKE $2 OR LOWER(COALESCE(a.uid, '')) LIKE $2 OR LOWER(a.id) LIKE $2)
         ORDER BY LOWER(a.name), a.id LIMIT $3",
    )
    .bind(OPERATIONAL_APP_UID)
    .bind(pattern)
    .bind(limit)
    .fetch_all(&db.read)
    .await?)
}

/// Enables or disables a tenant, on the caller's connection. Returns whether it changed.
pub async fn set_disabled_in(
    conn: &mut AnyConnection,
    app: &AppId,
    disabled: bool,
) -> Result<bool, ServiceError> {
    let done = sqlx::query(
        "UPDATE applications SET disabled = $2, updated_at = $3 WHERE id = $1 AND disabled <> $2",
    )
    .bind(app.as_str())
    .bind(i64::from(disabled))
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A company's own branding (nothing chosen: the default, empty layer).
pub async fn branding_in(conn: &mut AnyConnection, app: &AppId) -> Result<Branding, ServiceError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT branding FROM applications WHERE id = $1")
            .bind(app.as_str())
            .fetch_optional(conn)
            .await?;
    let (text,) = row.ok_or(ServiceError::NotFound("application"))?;
    Ok(json_or_default(text.as_deref()))
}

/// Replaces a company's branding (an empty one clears it), on the caller's connection.
pub async fn set_branding_in(
    conn: &mut AnyConnection,
    app: &AppId,
    branding: &Branding,
) -> Result<(), ServiceError> {
    let text = (!branding.is_empty())
        .then(|| serde_json::to_string(branding))
        .transpose()
        .map_err(|e| ServiceError::Internal(e.into()))?;
    sqlx::query("UPDATE applications SET branding = $2, updated_at = $3 WHERE id = $1")
        .bind(app.as_str())
        .bind(text)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(())
}
