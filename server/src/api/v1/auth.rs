use super::endpoint::app;
use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::ApiState;
use axum::extract::{Path, State};
use axum::Json;
use herald_app::ssr::services::portal::{self, LinkRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct AppPortalAccessIn {
    /// Session length in seconds once the link is used (default 7 days).
    pub expiry: Option<i64>,
    #[serde(default)]
    pub read_only: bool,
    pub capabilities: Option<Vec<String>>,
    /// The host product's id for this session, so it can be ended later.
    pub session_id: Option<String>,
    pub feature_flags: Option<Vec<String>>,
    pub application: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppPortalAccessOut {
    pub url: String,
    pub token: String,
}

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(app_portal_access))
}

/// Mint a single-use, short-lived link that opens this application's portal.
#[utoipa::path(post, path = "/api/v1/auth/app-portal-access/{app_id}", tag = "Authentication",
    request_body = AppPortalAccessIn, params(("app_id" = String, Path)),
    responses((status = 200, body = AppPortalAccessOut)))]
async fn app_portal_access(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(app_id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<AppPortalAccessOut>> {
    let b: AppPortalAccessIn = if body.iter().all(u8::is_ascii_whitespace) {
        AppPortalAccessIn::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::validation(format!("invalid body: {e}")))?
    };
    let app = app(&s, &app_id).await?;
    let link = portal::mint(
        &s.app,
        &app,
        LinkRequest {
            read_only: b.read_only,
            capabilities: b.capabilities,
            session_secs: b.expiry.unwrap_or(7 * 24 * 3600),
            session_id: b.session_id,
        },
    )
    .await?;
    Ok(Json(AppPortalAccessOut {
        url: link.url,
        token: link.token,
    }))
}
