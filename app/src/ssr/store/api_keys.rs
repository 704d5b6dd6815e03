//! Operator API keys. Only a SHA-256 hash is stored; the key itself is shown once, at creation.

use crate::ids::ApiKeyId;
use crate::ssr::infra::crypto::{generate_api_key, sha256_hex};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::{infra::validate, ServiceError};
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// Creates a key with a random value (or `value`, for automation) and returns it with its record.
pub async fn create(
    db: &Db,
    name: &str,
    value: Option<&str>,
) -> Result<(ApiKey, String), ServiceError> {
    let mut conn = db.write.acquire().await?;
    create_in(&mut conn, name, value).await
}

/// [`create`] on the caller's connection (its transaction).
pub async fn create_in(
    conn: &mut AnyConnection,
    name: &str,
    value: Option<&str>,
) -> Result<(ApiKey, String), ServiceError> {
    validate::text("name", name, 256)?;
    if name.trim().is_empty() {
        return Err(ServiceError::validation("name: must not be empty"));
    }
    let key = match value {
        Some(v) if v.len() < 24 => {
            return Err(ServiceError::validation(
                "the API key must be at least 24 characters",
            ))
        }
        Some(v) => v.to_owned(),
        None => generate_api_key(),
    };
    let rec = ApiKey {
        id: ApiKeyId::generate().to_string(),
        name: name.to_owned(),
        created_at: now_ms(),
    };
    sqlx::query("INSERT INTO api_keys (id, name, key_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&rec.id)
        .bind(&rec.name)
        .bind(sha256_hex(&key))
        .bind(rec.created_at)
        .execute(conn)
        .await?;
    Ok((rec, key))
}

/// The key's record if `presented` is a live key.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<ApiKey>, ServiceError> {
    Ok(sqlx::query_as::<_, ApiKey>(
        "SELECT id, name, created_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(sha256_hex(presented))
    .fetch_optional(&db.read)
    .await?)
}

pub async fn exists(db: &Db, value: &str) -> Result<bool, ServiceError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM api_keys WHERE key_hash = $1")
        .bind(sha256_hex(value))
        .fetch_optional(&db.write)
        .await?;
    Ok(row.is_some())
}

/// A key as the console lists it (never its value, which is not stored).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRecord {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn list(db: &Db) -> Result<Vec<KeyRecord>, ServiceError> {
    Ok(sqlx::query_as::<_, KeyRecord>(
        "SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC",
    )
    .fetch_all(&db.read)
    .await?)
}

/// Revokes a key, on the caller's connection. It stops working at once for new verifications,
/// and within the API's short trust window for a caller that used it just before.
pub async fn revoke_in(conn: &mut AnyConnection, id: &str) -> Result<KeyRecord, ServiceError> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now_ms())
            .execute(&mut *conn)
            .await?;
    let key = sqlx::query_as::<_, KeyRecord>(
        "SELECT id, name, created_at, revoked_at FROM api_keys WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ServiceError::NotFound("API key"))?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::validation("this API key is already revoked"));
    }
    Ok(key)
}
