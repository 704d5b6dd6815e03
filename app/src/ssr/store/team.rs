//! A company's users: who may sign in to its portal and with what permission. Admins invite by
//! email with a single-use link (valid a week), change permissions and remove users. A user may
//! belong to several companies; the portal lets them switch.
//!
//! A company always keeps at least one admin: the last one cannot be demoted or removed, so
//! nobody locks the company out of its own user management by accident.

use super::users::{Email, Permission};
use crate::ids::{AppId, UserId};
use crate::ssr::infra::crypto::{random_token, sha256_hex};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;
use sqlx::AnyConnection;

pub const INVITE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub permission: Permission,
}

pub async fn members(db: &Db, app: &AppId) -> Result<Vec<Member>, ServiceError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, m.permission FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.app_id = $1 ORDER BY u.email",
    )
    .bind(app.as_str())
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, email, p)| {
            Some(Member {
                user_id: UserId::parse(&id)?,
                email,
                permission: Permission::parse(&p).ok()?,
            })
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct PendingInvite {
    pub email: String,
    pub permission: Permission,
    pub invited_by: String,
    pub expires_at: i64,
}

pub async fn pending_invites(db: &Db, app: &AppId) -> Result<Vec<PendingInvite>, ServiceError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT email, permission, invited_by, expires_at FROM invites
         WHERE app_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
    )
    .bind(app.as_str())
    .bind(now_ms())
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, p, by, exp)| {
            Some(PendingInvite {
                email,
                permission: Permission::parse(&p).ok()?,
                invited_by: by,
                expires_at: exp,
            })
        })
        .collect())
}

/// Creates an invite, on the caller's connection, and returns its token, the only copy: the link
/// is built from it.
pub async fn invite_in(
    conn: &mut AnyConnection,
    app: &AppId,
    email: &str,
    permission: Permission,
    invited_by: &str,
) -> Result<String, ServiceError> {
    let email = Email::parse(email)?;
    let already: Option<(String,)> = sqlx::query_as(
        "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.app_id = $1 AND u.email = $2",
    )
    .bind(app.as_str())
    .bind(email.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if already.is_some() {
        return Err(ServiceError::validation(format!(
            "email: {} is already a user of this company",
            email.as_str()
        )));
    }
    let token = random_token(24);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO invites (token_hash, app_id, email, permission, invited_by, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(sha256_hex(&token))
    .bind(app.as_str())
    .bind(email.as_str())
    .bind(permission.as_str())
    .bind(invited_by)
    .bind(now + INVITE_TTL_MS)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(token)
}

/// What an invite link offers, for the page that accepts it.
#[derive(Debug, Clone)]
pub struct InviteInfo {
    pub app_id: AppId,
    pub app_name: String,
    pub email: String,
    pub permission: Permission,
    /// The email already has an account: accepting asks for its password, not a new one.
    pub has_account: bool,
}

/// The invite behind a token, while it is unused and unexpired.
pub async fn invite_info(db: &Db, token: &str) -> Result<Option<InviteInfo>, ServiceError> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT i.app_id, a.name, i.email, i.permission FROM invites i
         JOIN applications a ON a.id = i.app_id
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(&db.write)
    .await?;
    let Some((app, name, email, p)) = row else {
        return Ok(None);
    };
    let user: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&db.write)
        .await?;
    Ok(Some(InviteInfo {
        app_id: AppId::parse(&app).ok_or(ServiceError::NotFound("invite"))?,
        app_name: name,
        email,
        permission: Permission::parse(&p)?,
        has_account: user.is_some(),
    }))
}

/// Spends an invite link, on the caller's connection. Spending it and checking it is one
/// statement, so two tabs cannot both use it: `false` when it was used or expired meanwhile.
pub async fn spend_invite_in(
    conn: &mut AnyConnection,
    token: &str,
    now: i64,
) -> Result<bool, ServiceError> {
    let spent = sqlx::query(
        "UPDATE invites SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(spent.rows_affected() > 0)
}

/// Makes an existing user a member of a company with `permission` (replacing the one they had),
/// on the caller's connection.
pub async fn add_member_in(
    conn: &mut AnyConnection,
    user: &UserId,
    app: &AppId,
    permission: Permission,
) -> Result<(), ServiceError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, app_id, permission, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, app_id) DO UPDATE SET permission = excluded.permission",
    )
    .bind(user.as_str())
    .bind(app.as_str())
    .bind(permission.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

async fn admins(conn: &mut AnyConnection, app: &AppId) -> Result<i64, ServiceError> {
    let n: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE app_id = $1 AND permission = 'admin'",
    )
    .bind(app.as_str())
    .fetch_one(conn)
    .await?;
    Ok(n.0)
}

/// A member of the company, read on the caller's connection.
async fn member(
    conn: &mut AnyConnection,
    app: &AppId,
    user: &UserId,
) -> Result<Member, ServiceError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT u.email, m.permission FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.app_id = $1 AND m.user_id = $2",
    )
    .bind(app.as_str())
    .bind(user.as_str())
    .fetch_optional(conn)
    .await?;
    let (email, p) = row.ok_or(ServiceError::NotFound("user"))?;
    Ok(Member {
        user_id: user.clone(),
        email,
        permission: Permission::parse(&p)?,
    })
}

/// Changes a member's permission, on the caller's connection. Returns the one it replaced.
pub async fn set_permission_in(
    conn: &mut AnyConnection,
    app: &AppId,
    user: &UserId,
    permission: Permission,
) -> Result<Permission, ServiceError> {
    let before = member(&mut *conn, app, user).await?.permission;
    if before == Permission::Admin
        && permission != Permission::Admin
        && admins(&mut *conn, app).await? <= 1
    {
        return Err(ServiceError::validation(
            "permission: this is the company's last admin; make someone else admin first",
        ));
    }
    sqlx::query("UPDATE memberships SET permission = $3 WHERE app_id = $1 AND user_id = $2")
        .bind(app.as_str())
        .bind(user.as_str())
        .bind(permission.as_str())
        .execute(conn)
        .await?;
    Ok(before)
}

/// Removes a member from the company (their account and other companies stay), on the caller's
/// connection. Their password sessions lose access at once: permissions are read on every
/// request.
pub async fn remove_in(
    conn: &mut AnyConnection,
    app: &AppId,
    user: &UserId,
) -> Result<Member, ServiceError> {
    let member = member(&mut *conn, app, user).await?;
    if member.permission == Permission::Admin && admins(&mut *conn, app).await? <= 1 {
        return Err(ServiceError::validation(
            "this is the company's last admin; make someone else admin first",
        ));
    }
    sqlx::query("DELETE FROM memberships WHERE app_id = $1 AND user_id = $2")
        .bind(app.as_str())
        .bind(user.as_str())
        .execute(conn)
        .await?;
    Ok(member)
}
