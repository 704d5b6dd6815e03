//! Operator API keys: made and revoked in the console, each change filed in the audit trail in
//! its own transaction. The key's value is never filed (only its name).

use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::db::Db;
use crate::ssr::store::api_keys::{self, ApiKey, KeyRecord};
use crate::ssr::ServiceError;

/// Creates a key with a random value; returns its record and the value, shown this once.
pub async fn create(db: &Db, actor: &Actor, name: &str) -> Result<(ApiKey, String), ServiceError> {
    let mut tx = db.write.begin().await?;
    let (rec, key) = api_keys::create_in(&mut tx, name, None).await?;
    let facts = serde_json::json!({ "name": rec.name });
    audit::write(&mut tx, actor, None, "api_key.created", &rec.id, facts).await?;
    tx.commit().await?;
    Ok((rec, key))
}

/// Revokes a key; revoking one already revoked is a validation error (nothing is filed).
pub async fn revoke(db: &Db, actor: &Actor, id: &str) -> Result<KeyRecord, ServiceError> {
    let mut tx = db.write.begin().await?;
    let rec = api_keys::revoke_in(&mut tx, id).await?;
    let facts = serde_json::json!({ "name": rec.name });
    audit::write(&mut tx, actor, None, "api_key.revoked", &rec.id, facts).await?;
    tx.commit().await?;
    Ok(rec)
}
