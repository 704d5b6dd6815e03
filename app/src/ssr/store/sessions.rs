//! Portal sessions. A session starts from a password sign-in or from a magic link; the browser
//! holds a random token in a cookie and we store only its SHA-256.
//!
//! What a session may do in a company is decided at every request by [`access`]: a magic-link
//! session is bound to its one company with the link's permission; a password session takes the
//! user's current membership, so a revoked membership takes effect at once.

use crate::branding::Branding;
use crate::i18n::Locale;
use crate::ids::{AppId, UserId};
use crate::ssr::infra::crypto::{random_token, sha256_hex};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::users::{self, Permission};
use crate::ssr::ServiceError;

/// How long a password sign-in lasts.
pub const PASSWORD_SESSION_SECS: i64 = 12 * 3600;

/// The secret the browser holds. Never logged.
pub struct SessionToken(pub String);

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: Option<UserId>,
    /// Set for a magic-link session: the one company it may see.
    pub app_id: Option<AppId>,
    pub can_write: bool,
    pub feature_flags: Vec<String>,
    pub expires_at: i64,
    /// For a magic-link session, the session id the host product gave with the link (its user).
    pub external_session_id: Option<String>,
    /// The branding of the link that started a magic-link session.
    pub branding: Branding,
    /// The language the link that started a magic-link session chose.
    pub locale: Option<Locale>,
}

/// Why a magic link was not accepted. The page says the same to the user for all three, on
/// purpose: telling them apart would help nobody but someone guessing tokens.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkRefused {
    UnknownOrUsedOrExpired,
    /// The operator disabled the company: nothing may be changed until it is enabled again.
    TenantDisabled,
}

/// Svix capabilities that change something; a link carrying any of them (and not `readOnly`)
/// gets `integration.write`.
const WRITE_CAPABILITIES: &[&str] = &[
    "ManageEndpoint",
    "ManageEndpointSecret",
    "ManageTransformations",
    "CreateAttempts",
];

fn link_can_write(read_only: bool, capabilities: Option<&str>) -> bool {
    if read_only {
        return false;
    }
    match capabilities.and_then(|c| serde_json::from_str::<Vec<String>>(c).ok()) {
        None => true,
        Some(caps) => caps
            .iter()
            .any(|c| WRITE_CAPABILITIES.contains(&c.as_str())),
    }
}

type LinkRow = (
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Trades a magic link for a session. The link is marked used in the same statement that checks
/// it, so two browsers racing with one link get one session between them.
pub async fn exchange_link(
    db: &Db,
    link_token: &str,
) -> Result<Result<(SessionToken, AppId), LinkRefused>, ServiceError> {
    let now = now_ms();
    let mut tx = db.write.begin().await?;
    let row: Option<LinkRow> = sqlx::query_as(
        "UPDATE portal_links SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING app_id, read_only, capabilities, session_id, session_secs, feature_flags, branding, locale",
    )
    .bind(sha256_hex(link_token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((app, read_only, caps, external_id, secs, flags, branding, locale)) = row else {
        return Ok(Err(LinkRefused::UnknownOrUsedOrExpired));
    };
    let app = AppId::parse(&app).ok_or_else(|| {
        ServiceError::Internal(anyhow::anyhow!("portal link with a malformed app id"))
    })?;
    let disabled: Option<(i64,)> =
        sqlx::query_as("SELECT disabled FROM applications WHERE id = $1")
            .bind(app.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if disabled.is_none_or(|(d,)| d != 0) {
        // Dropping the transaction leaves the link unused; it expires within the minute anyway.
        return Ok(Err(LinkRefused::TenantDisabled));
    }
    let token = SessionToken(random_token(32));
    sqlx::query(
        "INSERT INTO portal_sessions
           (id_hash, user_id, app_id, can_write, feature_flags, external_session_id, expires_at, created_at, branding, locale)
         VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(sha256_hex(&token.0))
    .bind(app.as_str())
    .bind(i64::from(link_can_write(read_only != 0, caps.as_deref())))
    .bind(flags)
    .bind(external_id)
    .bind(now + secs * 1000)
    .bind(now)
    .bind(branding)
    .bind(locale)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok((token, app)))
}

/// Starts a session for a user who proved their password. A new token every time: the session id
/// is never carried over from before sign-in.
pub async fn start_for_user(db: &Db, user: &UserId) -> Result<SessionToken, ServiceError> {
    let now = now_ms();
    let token = SessionToken(random_token(32));
    sqlx::query(
        "INSERT INTO portal_sessions (id_hash, user_id, app_id, can_write, expires_at, created_at)
         VALUES ($1, $2, NULL, 0, $3, $4)",
    )
    .bind(sha256_hex(&token.0))
    .bind(user.as_str())
    .bind(now + PASSWORD_SESSION_SECS * 1000)
    .bind(now)
    .execute(&db.write)
    .await?;
    Ok(token)
}

type SessionRow = (
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub async fn lookup(db: &Db, token: &str) -> Result<Option<Session>, ServiceError> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT user_id, app_id, can_write, feature_flags, expires_at, external_session_id, branding, locale
         FROM portal_sessions
         WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(
        |(user, app, can_write, flags, expires_at, external, branding, locale)| Session {
            user_id: user.as_deref().and_then(UserId::parse),
            app_id: app.as_deref().and_then(AppId::parse),
            can_write: can_write != 0,
            feature_flags: crate::ssr::store::json_or_default(flags.as_deref()),
            expires_at,
            external_session_id: external,
            branding: crate::ssr::store::json_or_default(branding.as_deref()),
            locale: locale.as_deref().and_then(Locale::parse),
        },
    ))
}

pub async fn end(db: &Db, token: &str) -> Result<(), ServiceError> {
    sqlx::query("DELETE FROM portal_sessions WHERE id_hash = $1")
        .bind(sha256_hex(token))
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Ends a company's magic-link sessions `after_secs` from now (0: at once): all of them, or only
/// those the host product started with one of `external_session_ids`. Returns how many.
pub async fn expire_all(
    db: &Db,
    app: &AppId,
    external_session_ids: &[String],
    after_secs: i64,
) -> Result<u64, ServiceError> {
    let now = now_ms();
    let at = now + after_secs.max(0) * 1000;
    let mut tx = db.write.begin().await?;
    let mut ended = 0;
    const SET: &str = "UPDATE portal_sessions
         SET expires_at = CASE WHEN expires_at > $2 THEN $2 ELSE expires_at END
         WHERE app_id = $1";
    if external_session_ids.is_empty() {
        ended += sqlx::query(SET)
            .bind(app.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Unused links die with the sessions: "sign everyone out" must not leave a link minted
        // a moment ago that still opens the portal.
        sqlx::query("UPDATE portal_links SET used_at = $2 WHERE app_id = $1 AND used_at IS NULL")
            .bind(app.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
    } else {
        let by_id = format!("{SET} AND external_session_id = $3");
        for sid in external_session_ids {
            ended += sqlx::query(&by_id)
                .bind(app.as_str())
                .bind(at)
                .bind(sid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "UPDATE portal_links SET used_at = $2
                 WHERE app_id = $1 AND used_at IS NULL AND session_id = $3",
            )
            .bind(app.as_str())
            .bind(now)
            .bind(sid)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(ended)
}

/// What this session may do in `app`: `None` means the company is not theirs, which callers
/// answer with 404 so other tenants' ids stay invisible.
pub async fn access(
    db: &Db,
    session: &Session,
    app: &AppId,
) -> Result<Option<Permission>, ServiceError> {
    if let Some(bound) = &session.app_id {
        if bound != app {
            return Ok(None);
        }
        return Ok(Some(if session.can_write {
            Permission::Write
        } else {
            Permission::Read
        }));
    }
    let Some(user) = &session.user_id else {
        return Ok(None);
    };
    if let Some(p) = users::permission_in(db, user, app).await? {
        return Ok(Some(p));
    }
    // Operators run the deployment and may open any company's portal.
    let u = users::get(db, user).await?;
    Ok(u.is_operator.then_some(Permission::Admin))
}

/// Removes sessions that expired, so the table stays small. Idempotent; run it now and then.
pub async fn purge_expired(db: &Db) -> Result<u64, ServiceError> {
    let now = now_ms();
    let r = sqlx::query("DELETE FROM portal_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.write)
        .await?;
    // A spent or expired link is kept a day, so opening it again says "expired", not "unknown".
    sqlx::query("DELETE FROM portal_links WHERE expires_at <= $1")
        .bind(now - 24 * 3600 * 1000)
        .execute(&db.write)
        .await?;
    Ok(r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_links_never_write() {
        assert!(!link_can_write(true, None));
        assert!(!link_can_write(true, Some(r#"["ManageEndpoint"]"#)));
    }

    #[test]
    fn capabilities_decide_write_when_given() {
        assert!(link_can_write(false, None));
        assert!(!link_can_write(false, Some(r#"["ViewBase"]"#)));
        assert!(link_can_write(
            false,
            Some(r#"["ViewBase","ManageEndpoint"]"#)
        ));
    }
}
