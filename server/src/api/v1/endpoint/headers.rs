//! The extra headers an endpoint's deliveries carry.

use super::model::{EndpointHeadersIn, EndpointHeadersOut, EndpointHeadersPatchIn};
use super::EndpointPath;
use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::tenant::Tenant;
use crate::api::ApiState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::endpoints;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(get_headers, update_headers, patch_headers))
}

/// The extra headers sent with every delivery (values of credential headers are not shown).
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointHeadersOut)))]
async fn get_headers(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
) -> ApiResult<Json<EndpointHeadersOut>> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    Ok(Json(EndpointHeadersOut::from(&existing)))
}

/// Replace the extra headers.
#[utoipa::path(put, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    request_body = EndpointHeadersIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn update_headers(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<EndpointHeadersIn>,
) -> ApiResult<StatusCode> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    endpoints::set_headers(&s.app, &who.actor(), &existing, b.headers).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add, change or (with `null`) remove some extra headers.
#[utoipa::path(patch, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    request_body = EndpointHeadersPatchIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn patch_headers(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<EndpointHeadersPatchIn>,
) -> ApiResult<StatusCode> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let mut headers = existing.header_map();
    for k in &b.delete_headers {
        headers.retain(|name, _| !name.eq_ignore_ascii_case(k));
    }
    for (k, v) in b.headers {
        match v {
            Some(v) => headers.insert(k, v),
            None => headers.remove(&k),
        };
    }
    endpoints::set_headers(&s.app, &who.actor(), &existing, headers).await?;
    Ok(StatusCode::NO_CONTENT)
}
