//! The audit trail over the API. API keys are the operator's, so they see every company's
//! entries and the deployment's own (plans, the event catalogue, API keys).

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::ApiQuery;
use crate::api::{ApiState, ListResponse};
use axum::extract::State;
use axum::Json;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::{store::applications, store::audit};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct AuditParams {
    /// Only this application's entries (id or uid).
    pub app_id: Option<String>,
    /// Items per page (1 to 250, default 50).
    pub limit: Option<i64>,
    /// The `iterator` of the previous page.
    pub iterator: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryOut {
    pub id: String,
    /// The company the change concerns; null for deployment-wide changes.
    pub app_id: Option<String>,
    pub actor: AuditActorOut,
    /// e.g. `endpoint.updated`, `endpoint.secret_rotated`, `plan.updated`.
    pub action: String,
    /// What was changed: an endpoint, message, plan or event type id or name.
    pub target: Option<String>,
    /// For edits, `{"field": {"from": …, "to": …}}`; otherwise the facts of the action.
    #[schema(value_type = Object)]
    pub changes: Value,
    pub timestamp: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditActorOut {
    /// `user`, `api_key`, `portal_link` or `system`.
    pub kind: String,
    /// The user's or key's id, or the host product's user id given with a portal link.
    pub id: Option<String>,
    pub name: String,
}

impl From<audit::Entry> for AuditEntryOut {
    fn from(e: audit::Entry) -> Self {
        AuditEntryOut {
            id: e.id,
            app_id: e.app_id,
            actor: AuditActorOut {
                kind: e.actor_kind,
                id: e.actor_id,
                name: e.actor_name,
            },
            action: e.action,
            target: e.target,
            changes: serde_json::from_str(&e.changes).unwrap_or_default(),
            timestamp: to_rfc3339(e.created_at),
        }
    }
}

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
