//! An endpoint's signing secret: reveal and rotate.

use super::model::{EndpointSecretOut, EndpointSecretRotateIn};
use super::EndpointPath;
use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiPath, OptionalJson};
use crate::api::tenant::Tenant;
use crate::api::ApiState;
use axum::extract::State;
use axum::Json;
use herald_app::ssr::domain::endpoints;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(get_secret))
        .routes(routes!(rotate_secret))
}

/// The endpoint's current signing secret.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointSecretOut)))]
async fn get_secret(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
) -> ApiResult<Json<EndpointSecretOut>> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let key = endpoints::current_secret(&s.app, &who.actor(), &app, &existing.id).await?;
    Ok(Json(EndpointSecretOut { key }))
}

/// Rotate the signing secret. The old one keeps signing for the grace period (default 24 h),
/// unless the deployment's delivery contract ends old secrets at once.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate", tag = "Endpoint",
    request_body = EndpointSecretRotateIn,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointSecretOut)))]
async fn rotate_secret(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    // The body is optional: an empty one rotates to a random secret.
    OptionalJson(b): OptionalJson<EndpointSecretRotateIn>,
) -> ApiResult<Json<EndpointSecretOut>> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let grace = Duration::from_secs(u64::from(b.grace_period_seconds.unwrap_or(24 * 3600)));
    let key =
        endpoints::rotate_secret(&s.app, &who.actor(), app, &existing.id, b.key, grace).await?;
    Ok(Json(EndpointSecretOut { key }))
}
