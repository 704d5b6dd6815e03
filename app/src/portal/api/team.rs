//! A company's team: members and their permissions, invites (sent, offered, accepted) and the
//! audit trail. Admins only, except the invite pages, which the invited person opens.

use crate::portal::{AuditPage, InviteDetails, InviteSent, PortalError, TeamInfo};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    pub use crate::portal::api::prelude::*;
}

/// The company's users and the invites not yet accepted. Admins only.
#[server(prefix = "/portal/fn", endpoint = "team")]
pub async fn team(app: String) -> Result<TeamInfo, PortalError> {
    use crate::ssr::store::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let me = c.session.user_id.clone();
    let members = team::members(&c.state.db, &c.app)
        .await?
        .into_iter()
        .map(|m| crate::portal::MemberRow {
            is_me: me.as_ref() == Some(&m.user_id),
            user_id: m.user_id.to_string(),
            email: m.email,
            permission: m.permission.as_str().to_owned(),
        })
        .collect();
    let invites = team::pending_invites(&c.state.db, &c.app)
        .await?
        .into_iter()
        .map(|i| crate::portal::InviteRow {
            email: i.email,
            permission: i.permission.as_str().to_owned(),
            invited_by: i.invited_by,
            expires_at: i.expires_at,
        })
        .collect();
    Ok(TeamInfo { members, invites })
}

/// Invites someone by email: the single-use link is mailed to them when SMTP is configured, and
/// shown to the admin once either way.
#[server(prefix = "/portal/fn", endpoint = "invite_user")]
pub async fn invite_user(
    app: String,
    email: String,
    permission: String,
) -> Result<InviteSent, PortalError> {
    use crate::i18n::Arg;
    use crate::ssr::domain::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let permission = Permission::parse(&permission).map_err(|e| fail(e.into()))?;
    let actor = c.actor().await;
    let locale = crate::ssr::portal_auth::request_locale();
    // The mail is written in the inviting admin's language, the best guess at the invitee's.
    let by = match &actor {
        crate::ssr::domain::audit::Actor::User { .. } => team::inviter_name(&actor),
        _ => locale.text("team-host-product"),
    };
    let token = team::invite(&c.state.db, &actor, &c.app, &email, permission)
        .await
        .map_err(|e| fail(e.into()))?;
    let email = email.trim().to_lowercase();
    let link = format!("{}/invite/{token}", c.state.settings.base_url);
    let mut emailed = false;
    if let Some(mailer) = &c.state.mailer {
        let company = crate::ssr::store::applications::find(&c.state.db, c.app.as_str())
            .await?
            .name;
        let permission = locale
            .text(crate::portal::audit_text::permission_key(
                permission.as_str(),
            ))
            .to_lowercase();
        // A Fluent message cannot keep blank lines around it, so the paragraphs are joined here,
        // the link alone on its line.
        let body = format!(
            "{}\n\n{}\n\n{link}\n\n{}\n",
            locale.text_with(
                "team-mail-invited",
                &[
                    ("by", Arg::from(&by)),
                    ("company", Arg::from(&company)),
                    ("permission", Arg::from(permission)),
                ],
            ),
            locale.text("team-mail-open"),
            locale.text("team-mail-unexpected"),
        );
        let subject = locale.text_with("team-mail-subject", &[("company", Arg::from(&company))]);
        match mailer.send(&email, &subject, body).await {
            Ok(()) => emailed = true,
            // The admin still has the link to pass on; the log says why the mail failed.
            Err(e) => tracing::warn!(error = %e, "sending an invitation failed"),
        }
    }
    Ok(InviteSent { link, emailed })
}

#[server(prefix = "/portal/fn", endpoint = "change_permission")]
pub async fn change_permission(
    app: String,
    user: String,
    permission: String,
) -> Result<(), PortalError> {
    use crate::ssr::domain::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let permission = Permission::parse(&permission).map_err(|e| fail(e.into()))?;
    let user = crate::ids::UserId::parse(&user).ok_or_else(|| fail(PortalError::NotFound))?;
    team::set_permission(&c.state.db, &c.actor().await, &c.app, &user, permission)
        .await
        .map_err(|e| fail(e.into()))?;
    leptos_axum::redirect(&format!("/portal/{}/team", c.app));
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "remove_user")]
pub async fn remove_user(app: String, user: String) -> Result<(), PortalError> {
    use crate::ssr::domain::team;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let user = crate::ids::UserId::parse(&user).ok_or_else(|| fail(PortalError::NotFound))?;
    team::remove(&c.state.db, &c.actor().await, &c.app, &user)
        .await
        .map_err(|e| fail(e.into()))?;
    leptos_axum::redirect(&format!("/portal/{}/team", c.app));
    Ok(())
}

/// One page of the company's audit trail, newest first, in sentences; `show` keeps one kind of
/// change (see `audit_text::FILTERS`). Admins only.
#[server(prefix = "/portal/fn", endpoint = "audit_trail")]
pub async fn audit_trail(
    app: String,
    before: Option<String>,
    show: Option<String>,
) -> Result<AuditPage, PortalError> {
    use crate::portal::audit_text::{filter_prefix, FILTERS};
    use crate::ssr::domain::audit as trail;
    use imp::*;
    let c = require(&app, Permission::Admin).await.map_err(fail)?;
    let before = before.filter(|b| !b.is_empty());
    let kind = filter_prefix(&FILTERS, show.as_deref().unwrap_or_default());
    let page = audit::list_of_kind(&c.state.db, Some(&c.app), kind, before.as_deref(), 50).await?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let rows = trail::named(&c.state.db, Some(&c.app), page.data)
        .await?
        .into_iter()
        .map(|n| crate::portal::audit_row(n.entry, &n.subject, None))
        .collect();
    Ok(AuditPage { rows, next })
}

/// What an invite link offers; `NotFound` once it is used or expired.
#[server(prefix = "/portal/fn", endpoint = "invite_offer")]
pub async fn invite_offer(token: String) -> Result<InviteDetails, PortalError> {
    use crate::ssr::portal_auth::{fail, state};
    let state = state().map_err(fail)?;
    let info = crate::ssr::store::team::invite_info(&state.db, &token)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(PortalError::NotFound))?;
    Ok(InviteDetails {
        company: info.app_name,
        email: info.email,
        permission: info.permission.as_str().to_owned(),
        has_account: info.has_account,
    })
}

/// Accepts an invite and signs the user in. An unknown, used or expired invite is `NotFound`.
#[server(prefix = "/portal/fn", endpoint = "accept_invite")]
pub async fn accept_invite(token: String, password: String) -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{session_cookies, state, LoginLimiter};
    use imp::*;
    let state = state().map_err(fail)?;
    let offer = crate::ssr::store::team::invite_info(&state.db, &token)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(PortalError::NotFound))?;
    if offer.has_account && LoginLimiter::is_locked(&offer.email) {
        return Err(fail(PortalError::RateLimited));
    }
    let user = match crate::ssr::domain::team::accept(&state.db, &offer, &token, &password).await {
        Ok(user) => user,
        Err(e) => {
            if offer.has_account {
                LoginLimiter::record_failure(&offer.email);
            }
            return Err(fail(e.into()));
        }
    };
    let token = sessions::start_for_user(&state.db, &user)
        .await
        .map_err(|e| fail(e.into()))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        for c in session_cookies(
            &state.settings,
            &token.0,
            sessions::PASSWORD_SESSION_SECS,
            None,
        ) {
            if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
                res.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
    }
    leptos_axum::redirect(&format!("/portal/{}", offer.app_id));
    Ok(())
}
