//! The audit trail over the API. API keys are the operator's, so they see every company's
//! entries and the deployment's own (plans, the event catalogue, API keys).

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::ApiQuery;
use crate::api::{ApiState, ListResponse};
use axum::extract::State;
use axum::Json;
use herald_app::ssr::{store::applications, store::audit};
use model::{AuditEntryOut, AuditParams};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// The audit trail, newest first: every change, who made it and what changed.
#[utoipa::path(get, path = "/api/v1/audit", tag = "Audit", params(AuditParams),
    responses((status = 200, body = ListResponse<AuditEntryOut>)))]
async fn list_audit(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<ListResponse<AuditEntryOut>>> {
    let q = crate::api::ListParams {
        limit: p.limit,
        iterator: p.iterator,
        order: None,
    }
    .query(true)?;
    let app = match &p.app_id {
        Some(a) => Some(applications::resolve(&s.app.db, a).await?),
        None => None,
    };
    let page = audit::list(&s.app.db, app.as_ref(), q.iterator.as_deref(), q.limit).await?;
    Ok(Json(ListResponse::from_page(page, AuditEntryOut::from)))
}
