//! Plan request and response shapes.

use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::plans::{Plan, PlanInput, Usage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    /// ...and the least time, in seconds, it must have been failing (0 to 30 days). Absent or
    /// null: the deployment's (`HERALD_AUTO_DISABLE_MIN_FAILING`, a day).
    #[serde(default)]
    pub auto_disable_min_failing_seconds: Option<i64>,
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
            auto_disable_min_failing: s.auto_disable_min_failing_seconds,
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
    /// Null: the deployment's.
    pub auto_disable_min_failing_seconds: Option<i64>,
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
            auto_disable_min_failing_seconds: p.auto_disable_min_failing,
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
            window_ends_at: to_rfc3339(u.window_ends_at),
        }
    }
}
