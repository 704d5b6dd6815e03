//! Who is looking: the viewer of a company, password sign-in and sign-out, and the companies a
//! session may open.

use crate::portal::{PortalError, Viewer};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    pub use crate::portal::api::prelude::*;
}

/// Who is looking, and what they may do in this company.
#[server(prefix = "/portal/fn", endpoint = "viewer")]
pub async fn get_viewer(app: String) -> Result<Viewer, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let a = crate::ssr::store::applications::find(&c.state.db, c.app.as_str()).await?;
    let (email, companies) = match &c.session.user_id {
        Some(u) => {
            let user = users::get(&c.state.db, u).await?;
            let list = users::memberships(&c.state.db, u)
                .await?
                .into_iter()
                .map(|m| (m.app_id.to_string(), m.app_name))
                .collect();
            (Some(user.email), list)
        }
        None => (None, Vec::new()),
    };
    let look = crate::ssr::domain::portal::look(&c.state, &c.app, &c.session.branding).await?;
    Ok(Viewer {
        app_id: a.id,
        app_name: a.name,
        can_write: c.can_write() && c.state.settings.delivery_enabled,
        is_admin: c.permission >= Permission::Admin,
        email,
        delivery_enabled: c.state.settings.delivery_enabled,
        companies,
        look,
        locale: c
            .session
            .locale
            .unwrap_or_else(crate::ssr::portal_auth::request_locale),
    })
}

/// Password sign-in. On success the browser gets a new session cookie (never one it had
/// before) and goes to the portal.
#[server(prefix = "/portal/fn", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{session_cookies, state, LoginLimiter};
    use crate::ssr::store::sessions::{start_for_user, PASSWORD_SESSION_SECS};
    use imp::*;
    let state = state().map_err(fail)?;
    if email.trim().is_empty() || password.is_empty() {
        return Err(fail(PortalError::Invalid(
            crate::ssr::portal_auth::request_locale().text("sign-in-missing-credentials"),
        )));
    }
    if LoginLimiter::is_locked(&email) {
        tracing::warn!("portal: sign-in refused, too many failures for this email");
        return Err(fail(PortalError::RateLimited));
    }
    let user = users::authenticate(&state.db, &email, users::Password::attempt(&password))
        .await
        .map_err(|e| fail(e.into()))?;
    let Some(user) = user else {
        LoginLimiter::record_failure(&email);
        tracing::info!("portal: sign-in failed");
        return Err(fail(PortalError::BadCredentials));
    };
    LoginLimiter::clear(&email);
    let token = start_for_user(&state.db, &user.id)
        .await
        .map_err(|e| fail(e.into()))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        for c in session_cookies(&state.settings, &token.0, PASSWORD_SESSION_SECS, None) {
            if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
                res.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
    }
    tracing::info!(user = %user.id, "portal: signed in");
    leptos_axum::redirect("/portal");
    Ok(())
}

#[server(prefix = "/portal/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), PortalError> {
    use crate::ssr::portal_auth::{cleared_cookies, session_token, state};
    let state = state()?;
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(token) = session_token(&parts.headers) {
            imp::sessions::end(&state.db, &token).await?;
        }
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        for c in cleared_cookies(&state.settings) {
            if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
                res.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
    }
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// The companies the signed-in user may open, for `/portal`. A magic-link session has one.
#[server(prefix = "/portal/fn", endpoint = "my_companies")]
pub async fn my_companies() -> Result<Vec<(String, String)>, PortalError> {
    use crate::ssr::portal_auth::current_session;
    use imp::*;
    let (state, session) = current_session().await.map_err(fail)?;
    if let Some(app) = &session.app_id {
        let a = crate::ssr::store::applications::find(&state.db, app.as_str()).await?;
        return Ok(vec![(a.id, a.name)]);
    }
    let Some(user) = &session.user_id else {
        return Err(PortalError::SignedOut);
    };
    let u = users::get(&state.db, user).await?;
    if u.is_operator {
        let page = crate::ssr::store::applications::list(
            &state.db,
            &ListQuery::new(Some(250), None, false),
        )
        .await?;
        return Ok(page.data.into_iter().map(|a| (a.id, a.name)).collect());
    }
    Ok(users::memberships(&state.db, user)
        .await?
        .into_iter()
        .map(|m| (m.app_id.to_string(), m.app_name))
        .collect())
}
