//! Endpoints: CRUD and stats here; secrets, extra headers and the sending actions (recover, send
//! an example) in their own files.

mod headers;
pub mod model;
mod secret;
mod sending;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiJson, ApiPath, ApiQuery};
use crate::api::tenant::Tenant;
use crate::api::{parse_time, ApiState, ListParams, ListResponse};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ids::EndpointId;
use herald_app::ssr::domain::endpoints::{self, EndpointInput};
use herald_app::ssr::ServiceError;
use model::{EndpointIn, EndpointOut, EndpointPatch, EndpointStats, StatsParams};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The `{endpoint_id}` of a path (an id or the endpoint's uid).
#[derive(Debug, Deserialize)]
struct EndpointPath {
    endpoint_id: String,
}

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(
            get_endpoint,
            update_endpoint,
            patch_endpoint,
            delete_endpoint
        ))
        .routes(routes!(stats))
        .merge(secret::router())
        .merge(headers::router())
        .merge(sending::router())
}

/// List an application's endpoints.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint", tag = "Endpoint",
    params(("app_id" = String, Path), ListParams), responses((status = 200, body = ListResponse<EndpointOut>)))]
async fn list_endpoints(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<ListResponse<EndpointOut>>> {
    let page = endpoints::list(&s.app.db, &app, &p.query(false)?).await?;
    Ok(Json(ListResponse::from_page(page, EndpointOut::from)))
}

/// Create an endpoint.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint", tag = "Endpoint", request_body = EndpointIn,
    params(("app_id" = String, Path)), responses((status = 201, body = EndpointOut)))]
async fn create_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Json<EndpointOut>)> {
    let ep = endpoints::create(&s.app, &who.actor(), &app, body.into()).await?;
    Ok((StatusCode::CREATED, Json(ep.into())))
}

/// Get an endpoint by id or uid.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointOut)))]
async fn get_endpoint(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
) -> ApiResult<Json<EndpointOut>> {
    Ok(Json(endpoints::get(&s.app.db, &app, &ep).await?.into()))
}

/// Replace an endpoint's settings, creating it if it does not exist.
#[utoipa::path(put, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint", request_body = EndpointIn,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 200, body = EndpointOut), (status = 201, body = EndpointOut)))]
async fn update_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Json<EndpointOut>)> {
    match endpoints::get(&s.app.db, &app, &ep).await {
        Ok(existing) => {
            let updated = endpoints::replace(&s.app, &who.actor(), &existing, body.into()).await?;
            Ok((StatusCode::OK, Json(updated.into())))
        }
        Err(ServiceError::NotFound(_)) => {
            let mut input: EndpointInput = body.into();
            // A PUT to a name that is not an endpoint id creates the endpoint with that uid.
            if input.uid.is_none() && EndpointId::parse(&ep).is_none() {
                input.uid = Some(ep);
            }
            let created = endpoints::create(&s.app, &who.actor(), &app, input).await?;
            Ok((StatusCode::CREATED, Json(created.into())))
        }
        Err(e) => Err(e.into()),
    }
}

/// Change some of an endpoint's settings.
#[utoipa::path(patch, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint", request_body = EndpointPatch,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointOut)))]
async fn patch_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<EndpointPatch>,
) -> ApiResult<Json<EndpointOut>> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let updated = endpoints::replace(&s.app, &who.actor(), &existing, b.apply(&existing)).await?;
    Ok(Json(updated.into()))
}

/// Delete an endpoint.
#[utoipa::path(delete, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn delete_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
) -> ApiResult<StatusCode> {
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    endpoints::delete(&s.app, &who.actor(), &existing).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delivery counts by state for this endpoint.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path), StatsParams), responses((status = 200, body = EndpointStats)))]
async fn stats(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> ApiResult<Json<EndpointStats>> {
    let since = parse_time("since", p.since.as_deref())?;
    let until = parse_time("until", p.until.as_deref())?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let st = endpoints::stats(&s.app.db, &app, &existing.id, since, until).await?;
    Ok(Json(st.into()))
}
