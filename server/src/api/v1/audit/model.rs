//! Audit trail response shapes.

use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::audit;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
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
