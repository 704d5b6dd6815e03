//! Operator API keys. Only a SHA-256 hash is stored; the key itself is shown once, at creation.

use crate::ids::ApiKeyId;
use crate::ssr::crypto::{generate_api_key, sha256_hex};
use crate::ssr::db::Db;
use crate::ssr::time::now_ms;
use crate::ssr::{validate, ServiceError};

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
        .execute(&db.write)
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
