//! The operator console (`/admin`): tenants, plans, the event catalogue, API keys and system
//! health, for the people who run the deployment.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthInfo {
    pub queue_depth: i64,
    pub due: i64,
    pub deliveries_last_minute: i64,
    pub attempts_last_hour: i64,
    pub failure_rate: Option<f64>,
    pub oldest_due_at: Option<i64>,
    pub held: i64,
    /// The operational application, whose endpoints get the operational webhooks.
    pub operational_app: String,
    /// The delivery contract (preset and its parts) and the default retries and timeout.
    pub contract: String,
    pub retries: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub plan: Option<String>,
    pub disabled: bool,
    pub endpoints: i64,
    pub sent_this_hour: i64,
    pub held: i64,
    /// Its own branding in the portal (the deployment's where a field is empty).
    pub branding: crate::branding::Branding,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    pub name: String,
    pub max_endpoints: i64,
    pub deliveries_per_hour: i64,
    /// "5m, 30m, 2h"
    pub retry_schedule: String,
    pub timeout_seconds: i64,
    pub retention_days: i64,
    pub auto_disable_after: i64,
    /// The least time failing before auto-disable, as "24h"; empty: the deployment's.
    pub auto_disable_min_failing: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}
