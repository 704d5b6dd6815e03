//! Portal access: magic links (Svix's app-portal-access) and ending portal sessions.

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiPath, OptionalJson};
use crate::api::tenant::Tenant;
use crate::api::ApiState;
use axum::extract::State;
use axum::Json;
use herald_app::i18n::Locale;
use herald_app::ssr::domain::portal::{self, LinkRequest};
use herald_app::ssr::domain::tenants;
use model::{AppPortalAccessIn, AppPortalAccessOut, ApplicationTokenExpireIn};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(app_portal_access))
        .routes(routes!(expire_all))
}

/// End the portal sessions of an application, or only those of some `sessionIds`.
#[utoipa::path(post, path = "/api/v1/auth/app/{app_id}/expire-all", tag = "Authentication",
    request_body = ApplicationTokenExpireIn, params(("app_id" = String, Path)),
    responses((status = 204)))]
async fn expire_all(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    OptionalJson(b): OptionalJson<ApplicationTokenExpireIn>,
) -> ApiResult<axum::http::StatusCode> {
    let expiry = b.expiry.unwrap_or(0);
    if !(0..=259_200).contains(&expiry) {
        return Err(ApiError::validation(
            "expiry: must be between 0 and 259200 seconds",
        ));
    }
    let ids = b.session_ids.unwrap_or_default();
    if ids.len() > 1000 {
        return Err(ApiError::validation("sessionIds: at most 1000"));
    }
    for id in &ids {
        herald_app::ssr::infra::validate::text("sessionIds", id, 256)?;
    }
    let ended = herald_app::ssr::store::sessions::expire_all(&s.app.db, &app, &ids, expiry).await?;
    tracing::info!(app.id = %app, sessions = ended, "portal sessions expired");
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Mint a single-use, short-lived link that opens this application's portal.
#[utoipa::path(post, path = "/api/v1/auth/app-portal-access/{app_id}", tag = "Authentication",
    request_body = AppPortalAccessIn, params(("app_id" = String, Path)),
    responses((status = 200, body = AppPortalAccessOut)))]
async fn app_portal_access(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiPath(app_id): ApiPath<String>,
    OptionalJson(b): OptionalJson<AppPortalAccessIn>,
) -> ApiResult<Json<AppPortalAccessOut>> {
    let branding = b
        .branding
        .map(|x| x.parse("branding."))
        .transpose()?
        .unwrap_or_default();
    let locale = b
        .locale
        .as_deref()
        .map(|tag| {
            Locale::parse(tag).ok_or_else(|| {
                ApiError::validation(format!(
                    "locale: \"{}\" is not a language the portal is written in (en, fr or ar)",
                    tag.chars().take(40).collect::<String>()
                ))
            })
        })
        .transpose()?;
    let create = b
        .application
        .map(herald_app::ssr::store::applications::ApplicationInput::from);
    let tenant = tenants::active_or_create(&s.app.db, &app_id, create)
        .await
        .map_err(|e| match e {
            herald_app::ssr::ServiceError::Validation(_) => ApiError::from(e).in_body(),
            other => other.into(),
        })?;
    let link = portal::mint(
        &s.app,
        &tenant,
        LinkRequest {
            read_only: b.read_only,
            capabilities: b.capabilities,
            session_secs: b.expiry.unwrap_or(7 * 24 * 3600),
            session_id: b.session_id,
            feature_flags: b.feature_flags.unwrap_or_default(),
            branding,
            locale,
        },
    )
    .await?;
    Ok(Json(AppPortalAccessOut {
        url: link.url,
        token: link.token,
    }))
}
