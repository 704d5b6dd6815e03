//! Endpoint request and response shapes.

use herald_app::ssr::domain::endpoints::{self, Endpoint, EndpointInput};
use herald_app::ssr::infra::time::to_rfc3339;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointIn {
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// The event types this endpoint receives; empty or absent means all. (`filterTypes` is accepted too.)
    #[serde(alias = "filterTypes")]
    pub event_types: Option<Vec<String>>,
    pub channels: Option<Vec<String>>,
    #[serde(default)]
    pub disabled: bool,
    pub metadata: Option<Map<String, Value>>,
    pub uid: Option<String>,
    #[serde(alias = "rateLimit")]
    pub throttle_rate: Option<i64>,
    pub secret: Option<String>,
    pub version: Option<i64>,
    pub headers: Option<BTreeMap<String, String>>,
}

impl From<EndpointIn> for EndpointInput {
    fn from(e: EndpointIn) -> Self {
        EndpointInput {
            url: e.url,
            description: e.description,
            event_types: e.event_types,
            channels: e.channels,
            disabled: e.disabled,
            metadata: e.metadata.unwrap_or_default(),
            uid: e.uid,
            throttle_rate: e.throttle_rate,
            secret: e.secret,
            headers: e.headers,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPatch {
    pub url: Option<String>,
    pub description: Option<String>,
    #[serde(
        default,
        alias = "filterTypes",
        deserialize_with = "crate::api::double_option"
    )]
    pub event_types: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub channels: Option<Option<Vec<String>>>,
    pub disabled: Option<bool>,
    pub metadata: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub uid: Option<Option<String>>,
    #[serde(
        default,
        alias = "rateLimit",
        deserialize_with = "crate::api::double_option"
    )]
    pub throttle_rate: Option<Option<i64>>,
    pub secret: Option<String>,
}

impl EndpointPatch {
    /// The endpoint's settings with this patch applied. The secret is never carried over: it
    /// is only set when the patch gives one.
    pub fn apply(self, existing: &Endpoint) -> EndpointInput {
        let mut input = EndpointInput::from(existing);
        if let Some(v) = self.url {
            input.url = v;
        }
        if let Some(v) = self.description {
            input.description = v;
        }
        if let Some(v) = self.event_types {
            input.event_types = v;
        }
        if let Some(v) = self.channels {
            input.channels = v;
        }
        if let Some(v) = self.disabled {
            input.disabled = v;
        }
        if let Some(v) = self.metadata {
            input.metadata = v;
        }
        if let Some(v) = self.uid {
            input.uid = v;
        }
        if let Some(v) = self.throttle_rate {
            input.throttle_rate = v;
        }
        input.secret = self.secret;
        input
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    pub url: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    /// The same list under the open-source server's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    pub disabled: bool,
    /// Why the endpoint is disabled, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub metadata: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_rate: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Endpoint> for EndpointOut {
    fn from(e: Endpoint) -> Self {
        let types = e.event_type_list();
        EndpointOut {
            channels: e.channel_list(),
            metadata: serde_json::from_str(&e.metadata)
                .unwrap_or_else(|_| Value::Object(Map::new())),
            id: e.id,
            uid: e.uid,
            url: e.url,
            description: e.description,
            filter_types: types.clone(),
            event_types: types,
            disabled: e.disabled != 0,
            disabled_reason: e.disabled_reason,
            throttle_rate: e.throttle_rate,
            version: e.version,
            created_at: to_rfc3339(e.created_at),
            updated_at: to_rfc3339(e.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointSecretOut {
    pub key: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSecretRotateIn {
    /// The new secret; a random one when absent.
    pub key: Option<String>,
    /// How long the old secret keeps signing (default 24 hours; 0 ends it at once).
    pub grace_period_seconds: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndpointHeadersIn {
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointHeadersPatchIn {
    /// A `null` value removes that header.
    pub headers: BTreeMap<String, Option<String>>,
    /// Headers to remove (the form the svix SDK sends).
    #[serde(default)]
    pub delete_headers: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointHeadersOut {
    pub headers: BTreeMap<String, String>,
    pub sensitive: Vec<String>,
}

impl From<&Endpoint> for EndpointHeadersOut {
    /// Values of credential headers are not shown, only their names.
    fn from(e: &Endpoint) -> Self {
        let mut headers = BTreeMap::new();
        let mut sensitive = Vec::new();
        for (k, v) in e.header_map() {
            if endpoints::is_sensitive_header(&k) {
                sensitive.push(k);
            } else {
                headers.insert(k, v);
            }
        }
        EndpointHeadersOut { headers, sensitive }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoverIn {
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecoverOut {
    pub id: String,
    pub status: String,
    pub task: String,
    pub updated_at: String,
    /// What the task did, as Svix reports it for a finished replay.
    pub data: TaskData,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskData {
    /// The deliveries queued again.
    pub messages_sent: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventExampleIn {
    pub event_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointStats {
    pub success: i64,
    pub pending: i64,
    pub sending: i64,
    pub fail: i64,
    pub canceled: i64,
}

impl From<endpoints::EndpointStats> for EndpointStats {
    fn from(st: endpoints::EndpointStats) -> Self {
        EndpointStats {
            success: st.success,
            pending: st.pending,
            sending: st.sending,
            fail: st.fail,
            canceled: st.skipped,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    pub since: Option<String>,
    pub until: Option<String>,
}
