//! Applications (the tenants): CRUD by id or uid.

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiJson, ApiPath, ApiQuery};
use crate::api::tenant::Tenant;
use crate::api::{ApiState, ListParams, ListResponse};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::tenants;
use herald_app::ssr::store::applications;
use model::{
    ApplicationIn, ApplicationOut, ApplicationPatch, BrandingIn, BrandingOut, CreateParams,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_apps, create_app))
        .routes(routes!(get_app, update_app, patch_app, delete_app))
        .routes(routes!(get_branding, set_branding))
}

/// List applications.
#[utoipa::path(get, path = "/api/v1/app", tag = "Application", params(ListParams),
    responses((status = 200, body = ListResponse<ApplicationOut>)))]
async fn list_apps(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<ListResponse<ApplicationOut>>> {
    let page = applications::list(&s.app.db, &p.query(false)?).await?;
    Ok(Json(ListResponse::from_page(page, ApplicationOut::from)))
}

/// Create an application.
#[utoipa::path(post, path = "/api/v1/app", tag = "Application", params(CreateParams), request_body = ApplicationIn,
    responses((status = 201, body = ApplicationOut), (status = 200, body = ApplicationOut)))]
async fn create_app(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiQuery(p): ApiQuery<CreateParams>,
    ApiJson(body): ApiJson<ApplicationIn>,
) -> ApiResult<(StatusCode, Json<ApplicationOut>)> {
    if p.get_if_exists == Some(true) {
        if let Some(uid) = &body.uid {
            match applications::find(&s.app.db, uid).await {
                Ok(app) => return Ok((StatusCode::OK, Json(app.into()))),
                Err(herald_app::ssr::ServiceError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let app = tenants::create(&s.app.db, &who.actor(), body.into()).await?;
    Ok((StatusCode::CREATED, Json(app.into())))
}

/// Get an application by id or uid.
#[utoipa::path(get, path = "/api/v1/app/{app_id}", tag = "Application",
    params(("app_id" = String, Path, description = "id or uid")), responses((status = 200, body = ApplicationOut)))]
async fn get_app(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiPath(app_id): ApiPath<String>,
) -> ApiResult<Json<ApplicationOut>> {
    Ok(Json(applications::find(&s.app.db, &app_id).await?.into()))
}

/// Update an application, creating it if it does not exist.
#[utoipa::path(put, path = "/api/v1/app/{app_id}", tag = "Application", request_body = ApplicationIn,
    params(("app_id" = String, Path, description = "id or uid")),
    responses((status = 200, body = ApplicationOut), (status = 201, body = ApplicationOut)))]
async fn update_app(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(app_id): ApiPath<String>,
    ApiJson(body): ApiJson<ApplicationIn>,
) -> ApiResult<(StatusCode, Json<ApplicationOut>)> {
    let (app, created) = tenants::put(&s.app.db, &who.actor(), &app_id, body.into()).await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(app.into()),
    ))
}

/// Change some fields of an application.
#[utoipa::path(patch, path = "/api/v1/app/{app_id}", tag = "Application", request_body = ApplicationPatch,
    params(("app_id" = String, Path, description = "id or uid")), responses((status = 200, body = ApplicationOut)))]
async fn patch_app(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(app_id): ApiPath<String>,
    ApiJson(body): ApiJson<ApplicationPatch>,
) -> ApiResult<Json<ApplicationOut>> {
    let existing = applications::find(&s.app.db, &app_id).await?;
    let input = body.apply(&existing);
    let app = tenants::update(&s.app.db, &who.actor(), &existing, input).await?;
    Ok(Json(app.into()))
}

/// Delete an application and everything it owns.
#[utoipa::path(delete, path = "/api/v1/app/{app_id}", tag = "Application",
    params(("app_id" = String, Path, description = "id or uid")), responses((status = 204)))]
async fn delete_app(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(app_id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    tenants::delete(&s.app.db, &who.actor(), &app_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the application's portal looks (our extension): its own choices, without the
/// deployment's defaults under them.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/branding", tag = "Application",
    params(("app_id" = String, Path, description = "id or uid")), responses((status = 200, body = BrandingOut)))]
async fn get_branding(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
) -> ApiResult<Json<BrandingOut>> {
    Ok(Json(tenants::branding(&s.app.db, &app).await?.into()))
}

/// Set how the application's portal looks: the host's name, logo, accent colour and theme.
/// Replaces all four; a field left out takes the deployment's setting.
#[utoipa::path(put, path = "/api/v1/app/{app_id}/branding", tag = "Application", request_body = BrandingIn,
    params(("app_id" = String, Path, description = "id or uid")), responses((status = 200, body = BrandingOut)))]
async fn set_branding(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiJson(body): ApiJson<BrandingIn>,
) -> ApiResult<Json<BrandingOut>> {
    let branding = body.parse("")?;
    let saved = tenants::set_branding(&s.app.db, &who.actor(), &app, branding).await?;
    Ok(Json(saved.into()))
}
