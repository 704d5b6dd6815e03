//! Application (tenant) request and response shapes.

use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::applications::{Application, ApplicationInput};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationIn {
    pub name: String,
    pub uid: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    pub throttle_rate: Option<i64>,
}

impl From<ApplicationIn> for ApplicationInput {
    fn from(a: ApplicationIn) -> Self {
        ApplicationInput {
            name: a.name,
            uid: a.uid,
            metadata: a.metadata.unwrap_or_default(),
            throttle_rate: a.throttle_rate,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub uid: Option<Option<String>>,
    pub metadata: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub throttle_rate: Option<Option<i64>>,
}

impl ApplicationPatch {
    /// The application's settings with this patch applied.
    pub fn apply(self, existing: &Application) -> ApplicationInput {
        ApplicationInput {
            name: self.name.unwrap_or_else(|| existing.name.clone()),
            uid: self.uid.unwrap_or_else(|| existing.uid.clone()),
            metadata: match self.metadata {
                Some(m) => m,
                None => serde_json::from_str(&existing.metadata).unwrap_or_default(),
            },
            throttle_rate: self.throttle_rate.unwrap_or(existing.throttle_rate),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    pub name: String,
    pub metadata: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_rate: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Application> for ApplicationOut {
    fn from(a: Application) -> Self {
        ApplicationOut {
            id: a.id,
            uid: a.uid,
            name: a.name,
            metadata: serde_json::from_str(&a.metadata)
                .unwrap_or_else(|_| Value::Object(Map::new())),
            throttle_rate: a.throttle_rate,
            created_at: to_rfc3339(a.created_at),
            updated_at: to_rfc3339(a.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// Return the existing application (200) when one with this uid exists.
    pub get_if_exists: Option<bool>,
}
