//! Portal links: single-use, short-lived tokens that the host product mints for one tenant and
//! exchanges for a portal session. Only the token's hash is stored.

use crate::branding::{Branding, Look};
use crate::i18n::Locale;
use crate::ids::AppId;
use crate::ssr::domain::tenants::ActiveTenant;
use crate::ssr::infra::crypto::{random_token, sha256_hex};
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{applications, portal_links};
use crate::ssr::{AppState, ServiceError};

#[derive(Debug, Clone)]
pub struct LinkRequest {
    pub read_only: bool,
    pub capabilities: Option<Vec<String>>,
    /// How long the portal session lasts once the link is used.
    pub session_secs: i64,
    pub session_id: Option<String>,
    /// Event types behind one of these feature flags are visible in the session.
    pub feature_flags: Vec<String>,
    /// How this session's portal looks, over the company's and the deployment's choices.
    pub branding: Branding,
    /// The portal's language for this session, over the browser's and the deployment's.
    pub locale: Option<Locale>,
}

pub struct MintedLink {
    pub token: String,
    pub url: String,
}

pub async fn mint(
    state: &AppState,
    tenant: &ActiveTenant,
    req: LinkRequest,
) -> Result<MintedLink, ServiceError> {
    let app = tenant.id();
    if !(60..=7 * 24 * 3600).contains(&req.session_secs) {
        return Err(ServiceError::validation(
            "expiry: must be between 60 seconds and 7 days",
        ));
    }
    if let Some(s) = &req.session_id {
        crate::ssr::infra::validate::text("sessionId", s, 256)?;
    }
    for f in &req.feature_flags {
        crate::ssr::infra::validate::name_like("featureFlags", f, 256)?;
    }
    let branding = req.branding.normalized();
    branding
        .validate()
        .map_err(|e| ServiceError::validation(format!("branding.{e}")))?;
    let token = random_token(32);
    let now = now_ms();
    let ttl_ms = state.settings.portal_link_ttl.as_millis() as i64;
    portal_links::insert(
        &state.db,
        &portal_links::NewLink {
            token_hash: sha256_hex(&token),
            app: app.as_str(),
            read_only: req.read_only,
            capabilities: req
                .capabilities
                .map(|c| serde_json::Value::from(c).to_string()),
            session_id: req.session_id.as_deref(),
            session_secs: req.session_secs,
            expires_at: now + ttl_ms,
            created_at: now,
            feature_flags: serde_json::Value::from(req.feature_flags).to_string(),
            branding: (!branding.is_empty())
                .then(|| serde_json::to_string(&branding))
                .transpose()
                .map_err(|e| ServiceError::Internal(e.into()))?,
            locale: req.locale.map(Locale::tag),
        },
    )
    .await?;
    let url = format!(
        "{}/portal/access?token={token}",
        state.settings.base_url.trim_end_matches('/')
    );
    Ok(MintedLink { token, url })
}

/// How a company's portal looks to one session: the link's choices over the company's over the
/// deployment's.
pub async fn look(state: &AppState, app: &AppId, session: &Branding) -> Result<Look, ServiceError> {
    let mut conn = state.db.read.acquire().await?;
    let company = applications::branding_in(&mut conn, app).await?;
    Ok(session.over(&company).over(&state.settings.branding).look())
}
