//! Plans (our extension to the Svix API): what each company may do, and which plan it is on.

use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::ApiJson;
use crate::api::{ApiState, ListResponse};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::plans::{self, Plan, PlanInput, Usage};
use herald_app::ssr::{store::applications, store::audit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanIn {
    pub name: String,
    #[serde(flatten)]
    pub settings: PlanSettings,
}

/// A plan's limits and delivery settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanSettings {
    pub max_endpoints: i64,
    pub deliveries_per_hour: i64,
    /// Delays between attempts, e.g. `["5m", "30m", "2h"]`: one retry per entry.
    pub retry_schedule: Vec<String>,
    pub timeout_seconds: i64,
    pub retention_days: i64,
    /// Consecutive failures after which an endpoint is disabled.
    pub auto_disable_after: i64,
}

impl From<PlanSettings> for PlanInput {
    fn from(s: PlanSettings) -> Self {
        PlanInput {
            max_endpoints: s.max_endpoints,
            deliveries_per_hour: s.deliveries_per_hour,
            retry_schedule: s.retry_schedule,
            timeout_seconds: s.timeout_seconds,
            retention_days: s.retention_days,
            auto_disable_after: s.auto_disable_after,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanOut {
    pub name: String,
    pub max_endpoints: i64,
    pub deliveries_per_hour: i64,
    pub retry_schedule: Vec<String>,
    pub timeout_seconds: i64,
    pub retention_days: i64,
    pub auto_disable_after: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Plan> for PlanOut {
    fn from(p: Plan) -> Self {
        PlanOut {
            retry_schedule: p.retry_schedule(),
            name: p.name,
            max_endpoints: p.max_endpoints,
            deliveries_per_hour: p.deliveries_per_hour,
            timeout_seconds: p.timeout_seconds,
            retention_days: p.retention_days,
            auto_disable_after: p.auto_disable_after,
            created_at: to_rfc3339(p.created_at),
            updated_at: to_rfc3339(p.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppPlanIn {
    /// The plan's name, or null for no plan (no limits). Required: a misspelt field must not
    /// quietly lift a company's limits.
    #[serde(default, deserialize_with = "crate::api::double_option")]
    #[schema(value_type = Option<String>)]
    pub plan: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageOut {
    /// The application's plan, or null when it has none (no limits).
    pub plan: Option<String>,
    pub endpoints: i64,
    /// Null without a plan.
    pub endpoints_limit: Option<i64>,
    /// Deliveries sent since the start of the current hour (UTC).
    pub deliveries_this_hour: i64,
    pub deliveries_per_hour_limit: Option<i64>,
    /// Deliveries waiting for the hourly limit to allow them.
    pub held: i64,
    /// When the current hour ends and held deliveries may be sent (RFC 3339).
    pub window_ends_at: String,
}

impl From<Usage> for UsageOut {
    fn from(u: Usage) -> Self {
        UsageOut {
            endpoints_limit: u.plan.as_ref().map(|p| p.max_endpoints),
            deliveries_per_hour_limit: u.plan.as_ref().map(|p| p.deliveries_per_hour),
            plan: u.plan.map(|p| p.name),
            endpoints: u.endpoints,
            deliveries_this_hour: u.deliveries_this_hour,
            held: u.held,
            window_ends_at: herald_app::ssr::infra::time::to_rfc3339(u.window_ends_at),
        }
    }
}

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
    let p = plans::create(&s.app.db, &b.name, b.settings.into()).await?;
    audit_plan(&s, &who, "plan.created", &p.name, plan_view(&p)).await;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// Get a plan.
#[utoipa::path(get, path = "/api/v1/plan/{plan_name}", tag = "Plan",
    params(("plan_name" = String, Path)), responses((status = 200, body = PlanOut)))]
async fn get_plan(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(name): Path<String>,
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
    Path(name): Path<String>,
    ApiJson(b): ApiJson<PlanSettings>,
) -> ApiResult<(StatusCode, Json<PlanOut>)> {
    let before = plans::get(&s.app.db, &name).await.ok();
    let (p, created) = plans::upsert(&s.app.db, &name, b.into()).await?;
    match &before {
        Some(b) => {
            let changes = audit::diff(&plan_view(b), &plan_view(&p));
            audit_plan(&s, &who, "plan.updated", &p.name, changes).await
        }
        None => audit_plan(&s, &who, "plan.created", &p.name, plan_view(&p)).await,
    }
    s.app.work_accepted().await;
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
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    plans::delete(&s.app.db, &name).await?;
    audit_plan(&s, &who, "plan.deleted", &name, serde_json::json!({})).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Put an application on a plan (or on none, with `{"plan": null}`).
#[utoipa::path(put, path = "/api/v1/app/{app_id}/plan", tag = "Plan", request_body = AppPlanIn,
    params(("app_id" = String, Path)), responses((status = 200, body = UsageOut)))]
async fn set_app_plan(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path(app_id): Path<String>,
    ApiJson(b): ApiJson<AppPlanIn>,
) -> ApiResult<Json<UsageOut>> {
    let plan = b.plan.ok_or_else(|| {
        ApiError::validation(
            "plan: required: a plan's name, or null to take the application off plans",
        )
        .in_body()
    })?;
    let app = applications::resolve(&s.app.db, &app_id).await?;
    let before = plans::of_app(&s.app.db.write, app.as_str())
        .await
        .ok()
        .flatten();
    plans::assign(&s.app.db, &app, plan.as_deref()).await?;
    let changes = serde_json::json!({ "plan": { "from": before.map(|p| p.name), "to": plan } });
    audit::record(
        &s.app.db,
        &who.actor(),
        Some(&app),
        "application.plan_changed",
        Some(app.as_str()),
        changes,
    )
    .await;
    s.app.work_accepted().await;
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
    Path(app_id): Path<String>,
) -> ApiResult<Json<UsageOut>> {
    let app = applications::resolve(&s.app.db, &app_id).await?;
    Ok(Json(
        plans::usage(&s.app.db, &app, s.app.settings.plan_window)
            .await?
            .into(),
    ))
}

fn plan_view(p: &plans::Plan) -> serde_json::Value {
    serde_json::to_value(PlanOut::from(p.clone())).unwrap_or_default()
}

async fn audit_plan(
    s: &ApiState,
    who: &ApiKeyAuth,
    action: &str,
    name: &str,
    changes: serde_json::Value,
) {
    audit::record(&s.app.db, &who.actor(), None, action, Some(name), changes).await;
}
