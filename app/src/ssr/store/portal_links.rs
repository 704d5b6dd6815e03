//! Magic links into the portal: stored by the hash of their token, never the token itself.
//! Exchanging one for a session is in `sessions`.

use crate::ssr::infra::db::Db;
use crate::ssr::ServiceError;

pub struct NewLink<'a> {
    pub token_hash: String,
    pub app: &'a str,
    pub read_only: bool,
    /// JSON list of Svix capabilities, if the host named any.
    pub capabilities: Option<String>,
    pub session_id: Option<&'a str>,
    pub session_secs: i64,
    pub expires_at: i64,
    pub created_at: i64,
    /// JSON list.
    pub feature_flags: String,
    /// The link's own branding, JSON; its session carries it.
    pub branding: Option<String>,
    /// The language the link chose (a tag such as "fr"); its session carries it.
    pub locale: Option<&'a str>,
}

pub async fn insert(db: &Db, link: &NewLink<'_>) -> Result<(), ServiceError> {
    sqlx::query(
        "INSERT INTO portal_links (token_hash, app_id, read_only, capabilities, session_id, session_secs, expires_at, created_at, feature_flags, branding, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&link.token_hash)
    .bind(link.app)
    .bind(i64::from(link.read_only))
    .bind(&link.capabilities)
    .bind(link.session_id)
    .bind(link.session_secs)
    .bind(link.expires_at)
    .bind(link.created_at)
    .bind(&link.feature_flags)
    .bind(&link.branding)
    .bind(link.locale)
    .execute(&db.write)
    .await?;
    Ok(())
}
