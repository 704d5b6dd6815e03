//! Portal users who sign in with a password: company admins (with a permission per company) and
//! operators. Passwords are hashed with argon2id on the blocking pool, never on the async threads.

use crate::ids::{AppId, UserId};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sqlx::AnyConnection;
use std::fmt;

/// What a member of a company may do in its portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Permission {
    /// See endpoints, delivery logs and the event catalogue.
    Read,
    /// Everything that changes something.
    Write,
    /// Write, and managing the company's users: inviting, changing permissions, removing; and
    /// reading the company's audit trail.
    Admin,
}

impl Permission {
    pub fn parse(s: &str) -> Result<Self, ServiceError> {
        match s {
            "integration.read" => Ok(Permission::Read),
            "integration.write" => Ok(Permission::Write),
            "admin" => Ok(Permission::Admin),
            other => Err(ServiceError::validation(format!(
                "permission: '{other}' is not integration.read, integration.write or admin"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "integration.read",
            Permission::Write => "integration.write",
            Permission::Admin => "admin",
        }
    }
}

/// A normalised email address: trimmed, lower-cased, with one `@` and something either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, ServiceError> {
        let e = s.trim().to_lowercase();
        let valid = e.len() <= 254
            && e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !e.chars().any(|c| c.is_whitespace() || c.is_control())
            });
        if valid {
            Ok(Email(e))
        } else {
            Err(ServiceError::validation(
                "email: must be an address such as name@example.com",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed. Not `Debug`-printable and not serialisable, so it cannot end up in a log.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;

    /// For a new password: long enough to resist guessing, short enough that hashing stays cheap.
    pub fn new_password(s: &str) -> Result<Self, ServiceError> {
        let n = s.chars().count();
        if n < Self::MIN_LEN {
            return Err(ServiceError::validation(format!(
                "password: must be at least {} characters",
                Self::MIN_LEN
            )));
        }
        if s.len() > 1024 {
            return Err(ServiceError::validation(
                "password: must be at most 1024 bytes",
            ));
        }
        Ok(Password(s.to_owned()))
    }

    /// For a sign-in attempt: anything is checked, only the length is bounded.
    pub fn attempt(s: &str) -> Self {
        Password(s.chars().take(1024).collect())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(**)")
    }
}

/// The stored argon2id hash. Deliberately neither `Serialize` nor `Debug`-printable.
struct PasswordHashText(String);

async fn hash_password(p: Password) -> Result<PasswordHashText, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(p.0.as_bytes(), &salt)
            .map(|h| PasswordHashText(h.to_string()))
            .map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))
    })
    .await
    .map_err(|e| anyhow::anyhow!("argon2 task: {e}"))?
    .map_err(ServiceError::Internal)
}

/// Checks a password against a stored hash. Without a stored hash (an unknown email) it checks
/// against a hash of a random password, so an attacker cannot tell unknown emails from wrong
/// passwords by the response time.
async fn verify_password(
    p: Password,
    stored: Option<PasswordHashText>,
) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let text = match &stored {
            Some(h) => h.0.as_str(),
            None => dummy_hash(),
        };
        let Ok(parsed) = PasswordHash::new(text) else {
            return false;
        };
        Argon2::default()
            .verify_password(p.0.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| ServiceError::Internal(anyhow::anyhow!("argon2 task: {e}")))
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(
                crate::ssr::infra::crypto::random_token(16).as_bytes(),
                &salt,
            )
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub is_operator: bool,
}

#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub operator: bool,
    /// The company and the permission in it, for a company admin.
    pub membership: Option<(AppId, Permission)>,
}

pub async fn create(db: &Db, new: NewUser) -> Result<User, ServiceError> {
    let new = hashed(new).await?;
    let mut tx = db.write.begin().await?;
    let user = create_in(&mut tx, new).await?;
    tx.commit().await?;
    Ok(user)
}

/// A new user whose password is hashed, and who has an id: hashing is slow, so it is done before
/// the transaction that inserts the user, not inside it.
pub struct HashedUser {
    pub id: UserId,
    email: Email,
    hash: PasswordHashText,
    operator: bool,
    membership: Option<(AppId, Permission)>,
}

/// Hashes a new user's password (on the blocking pool).
pub async fn hashed(new: NewUser) -> Result<HashedUser, ServiceError> {
    Ok(HashedUser {
        id: UserId::generate(),
        hash: hash_password(new.password).await?,
        email: new.email,
        operator: new.operator,
        membership: new.membership,
    })
}

/// Inserts a user (and their membership, if any), on the caller's connection.
pub async fn create_in(conn: &mut AnyConnection, new: HashedUser) -> Result<User, ServiceError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, is_operator, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(new.id.as_str())
    .bind(new.email.as_str())
    .bind(&new.hash.0)
    .bind(i64::from(new.operator))
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| match unique_violation(&e).as_deref() {
        Some("users_email_key") => ServiceError::Conflict {
            code: "user_exists",
            detail: format!("a user with the email {} exists", new.email.as_str()),
        },
        _ => e.into(),
    })?;
    if let Some((app, permission)) = &new.membership {
        sqlx::query(
            "INSERT INTO memberships (user_id, app_id, permission, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(new.id.as_str())
        .bind(app.as_str())
        .bind(permission.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(User {
        id: new.id,
        email: new.email.as_str().to_owned(),
        is_operator: new.operator,
    })
}

/// Checks an email and password. `None` for an unknown email or a wrong password alike.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: Password,
) -> Result<Option<User>, ServiceError> {
    let email = Email::parse(email).ok();
    let row: Option<(String, String, String, i64)> = match &email {
        Some(e) => {
            sqlx::query_as(
                "SELECT id, email, password_hash, is_operator FROM users WHERE email = $1",
            )
            .bind(e.as_str())
            .fetch_optional(&db.read)
            .await?
        }
        None => None,
    };
    let Some((id, email, hash, op)) = row else {
        verify_password(password, None).await?;
        return Ok(None);
    };
    if !verify_password(password, Some(PasswordHashText(hash))).await? {
        return Ok(None);
    }
    let Some(id) = UserId::parse(&id) else {
        return Err(ServiceError::Internal(anyhow::anyhow!(
            "user row with a malformed id"
        )));
    };
    Ok(Some(User {
        id,
        email,
        is_operator: op != 0,
    }))
}

pub async fn get(db: &Db, id: &UserId) -> Result<User, ServiceError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT email, is_operator FROM users WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&db.read)
            .await?;
    let (email, op) = row.ok_or(ServiceError::NotFound("user"))?;
    Ok(User {
        id: id.clone(),
        email,
        is_operator: op != 0,
    })
}

/// The user's permission in one company, if they are a member.
pub async fn permission_in(
    db: &Db,
    user: &UserId,
    app: &AppId,
) -> Result<Option<Permission>, ServiceError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT permission FROM memberships WHERE user_id = $1 AND app_id = $2")
            .bind(user.as_str())
            .bind(app.as_str())
            .fetch_optional(&db.read)
            .await?;
    Ok(row.and_then(|(p,)| Permission::parse(&p).ok()))
}

/// A company the user belongs to, for the company switcher.
#[derive(Debug, Clone)]
pub struct Membership {
    pub app_id: AppId,
    pub app_name: String,
    pub permission: Permission,
}

pub async fn memberships(db: &Db, user: &UserId) -> Result<Vec<Membership>, ServiceError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT m.app_id, a.name, m.permission FROM memberships m
         JOIN applications a ON a.id = m.app_id
         WHERE m.user_id = $1 ORDER BY a.name",
    )
    .bind(user.as_str())
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(app, name, p)| {
            Some(Membership {
                app_id: AppId::parse(&app)?,
                app_name: name,
                permission: Permission::parse(&p).ok()?,
            })
        })
        .collect())
}

/// A user's email, for naming them in the audit trail.
pub async fn email_of(db: &Db, id: &UserId) -> Result<Option<String>, ServiceError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&db.read)
        .await?;
    Ok(row.map(|(e,)| e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").map(|e| e.0).ok(),
            Some("ada@example.com".to_owned())
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "a da@example.com",
            "a@b@c",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_passwords_are_refused_naming_the_minimum() {
        let e = Password::new_password("short").expect_err("too short");
        assert!(e.to_string().contains("at least 10"), "{e}");
    }

    #[test]
    fn passwords_never_print() {
        let p = Password::attempt("hunter2hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn permissions_parse_only_their_three_names_and_rank_in_order() {
        assert_eq!(
            Permission::parse("integration.write").ok(),
            Some(Permission::Write)
        );
        assert_eq!(Permission::parse("admin").ok(), Some(Permission::Admin));
        assert!(Permission::parse("owner").is_err());
        assert!(Permission::Read < Permission::Write && Permission::Write < Permission::Admin);
    }
}
