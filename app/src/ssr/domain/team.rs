//! A company's team: invites, joining, permissions and removal. Each change files its audit entry
//! in its own transaction; invite tokens are never filed (the invited email is).

use crate::ids::{AppId, UserId};
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::team::{self, InviteInfo, Member};
use crate::ssr::store::users::{self, Email, NewUser, Password, Permission};
use crate::ssr::ServiceError;

/// How the invite names who sent it: the user's email, or the host product for a portal link.
pub fn inviter_name(actor: &Actor) -> String {
    match actor {
        Actor::User { email, .. } => email.clone(),
        _ => "the host product".to_owned(),
    }
}

/// Invites `email` into the company with `permission`; returns the token the link is built on.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    app: &AppId,
    email: &str,
    permission: Permission,
) -> Result<String, ServiceError> {
    let mut tx = db.write.begin().await?;
    let token = team::invite_in(&mut tx, app, email, permission, &inviter_name(actor)).await?;
    let email = email.trim().to_lowercase();
    let facts = serde_json::json!({ "email": email, "permission": permission.as_str() });
    audit::write(&mut tx, actor, Some(app), "user.invited", &email, facts).await?;
    tx.commit().await?;
    Ok(token)
}

/// Who accepts an invite: someone with an account, or a new user.
enum Joining {
    Existing(UserId),
    New(users::HashedUser),
}

/// Accepts the invite `offer` (read from `token`): a new user chooses a password; an existing
/// one proves theirs. Either way they become a member with the invite's permission, the link
/// stops working, and they are filed as having joined, all in one transaction.
pub async fn accept(
    db: &Db,
    offer: &InviteInfo,
    token: &str,
    password: &str,
) -> Result<UserId, ServiceError> {
    // Password work is slow; it is done before the transaction holds the writer.
    let joining = if offer.has_account {
        let user = users::authenticate(db, &offer.email, Password::attempt(password))
            .await?
            .ok_or_else(|| {
                ServiceError::validation("password: that is not the password of this account")
            })?;
        Joining::Existing(user.id)
    } else {
        let new = NewUser {
            email: Email::parse(&offer.email)?,
            password: Password::new_password(password)?,
            operator: false,
            membership: Some((offer.app_id.clone(), offer.permission)),
        };
        Joining::New(users::hashed(new).await?)
    };
    let mut tx = db.write.begin().await?;
    if !team::spend_invite_in(&mut tx, token, now_ms()).await? {
        return Err(ServiceError::NotFound("invite"));
    }
    let user = match joining {
        Joining::Existing(user) => {
            team::add_member_in(&mut tx, &user, &offer.app_id, offer.permission).await?;
            user
        }
        Joining::New(new) => users::create_in(&mut tx, new).await?.id,
    };
    let actor = Actor::User {
        id: user.to_string(),
        email: offer.email.clone(),
    };
    let facts = serde_json::json!({ "permission": offer.permission.as_str() });
    let app = Some(&offer.app_id);
    audit::write(&mut tx, &actor, app, "user.joined", user.as_str(), facts).await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes a member's permission; the company's last admin stays admin. Only a change is filed.
pub async fn set_permission(
    db: &Db,
    actor: &Actor,
    app: &AppId,
    user: &UserId,
    permission: Permission,
) -> Result<(), ServiceError> {
    let mut tx = db.write.begin().await?;
    let before = team::set_permission_in(&mut tx, app, user, permission).await?;
    if before != permission {
        let changes = serde_json::json!({
            "permission": { "from": before.as_str(), "to": permission.as_str() }
        });
        let action = "user.permission_changed";
        audit::write(&mut tx, actor, Some(app), action, user.as_str(), changes).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a member from the company; the company's last admin cannot be removed.
pub async fn remove(
    db: &Db,
    actor: &Actor,
    app: &AppId,
    user: &UserId,
) -> Result<Member, ServiceError> {
    let mut tx = db.write.begin().await?;
    let gone = team::remove_in(&mut tx, app, user).await?;
    let facts = serde_json::json!({ "email": gone.email, "permission": gone.permission.as_str() });
    audit::write(
        &mut tx,
        actor,
        Some(app),
        "user.removed",
        user.as_str(),
        facts,
    )
    .await?;
    tx.commit().await?;
    Ok(gone)
}
