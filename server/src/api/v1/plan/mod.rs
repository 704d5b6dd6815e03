//! Plans (our extension to the Svix API): what each company may do, and which plan it is on.

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::tenant::Tenant;
use crate::api::{ApiState, ListResponse};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::plans as domain;
use herald_app::ssr::store::plans;
use model::{AppPlanIn, PlanIn, PlanOut, PlanSettings, UsageOut};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, update_plan, delete_plan))
        .routes(routes!(set_app_plan))
        .routes(routes!(get_usage))
}

/// List plans.
#[utoipa::path(get, path = "/api/v1/plan", tag = "Plan",
    responses((status = 200, body = ListResponse<PlanOut>)))]
async fn list_plans(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
) -> ApiResult<Json<ListResponse<PlanOut>>> {
    let data = plans::list(&s.app.db).await?;
    Ok(Json(ListResponse {
        data: data.into_iter().map(PlanOut::from).collect(),
        iterator: None,
        prev_iterator: None,
        done: true,
    }))
}

/// Create a plan.
#[utoipa::path(post, path = "/api/v1/plan", tag = "Plan", request_body = PlanIn,
    responses((status = 201, body = PlanOut), (status = 409, body = crate::api::error::HttpErrorOut),
        (status = 422, body = crate::api::error::HttpValidationError)))]
async fn create_plan(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiJson(b): ApiJson<PlanIn>,
) -> ApiResult<(StatusCode, Json<PlanOut>)> {
    let p = domain::create(&s.app.db, &who.actor(), &b.name, b.settings.into()).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// Get a plan.
#[utoipa::path(get, path = "/api/v1/plan/{plan_name}", tag = "Plan",
    params(("plan_name" = String, Path)), responses((status = 200, body = PlanOut)))]
async fn get_plan(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<PlanOut>> {
    Ok(Json(plans::get(&s.app.db, &name).await?.into()))
}

/// Replace a plan's settings, creating it if it does not exist. Its tenants get the new limits
/// at once.
#[utoipa::path(put, path = "/api/v1/plan/{plan_name}", tag = "Plan", request_body = PlanSettings,
    params(("plan_name" = String, Path)),
    responses((status = 200, body = PlanOut), (status = 201, body = PlanOut)))]
async fn update_plan(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
    ApiJson(b): ApiJson<PlanSettings>,
) -> ApiResult<(StatusCode, Json<PlanOut>)> {
    let (p, created) = domain::put(&s.app, &who.actor(), &name, b.into()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(p.into())))
}

/// Delete a plan that no application is on.
#[utoipa::path(delete, path = "/api/v1/plan/{plan_name}", tag = "Plan",
    params(("plan_name" = String, Path)),
    responses((status = 204), (status = 409, body = crate::api::error::HttpErrorOut)))]
async fn delete_plan(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<StatusCode> {
    domain::delete(&s.app.db, &who.actor(), &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Put an application on a plan (or on none, with `{"plan": null}`).
#[utoipa::path(put, path = "/api/v1/app/{app_id}/plan", tag = "Plan", request_body = AppPlanIn,
    params(("app_id" = String, Path)), responses((status = 200, body = UsageOut)))]
async fn set_app_plan(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiJson(b): ApiJson<AppPlanIn>,
) -> ApiResult<Json<UsageOut>> {
    let plan = b.plan.ok_or_else(|| {
        ApiError::validation(
            "plan: required: a plan's name, or null to take the application off plans",
        )
        .in_body()
    })?;
    domain::assign(&s.app, &who.actor(), &app, plan.as_deref()).await?;
    Ok(Json(
        plans::usage(&s.app.db, &app, s.app.settings.plan_window)
            .await?
            .into(),
    ))
}

/// An application's plan and how much of it is used.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/usage", tag = "Plan",
    params(("app_id" = String, Path)), responses((status = 200, body = UsageOut)))]
async fn get_usage(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
) -> ApiResult<Json<UsageOut>> {
    Ok(Json(
        plans::usage(&s.app.db, &app, s.app.settings.plan_window)
            .await?
            .into(),
    ))
}
