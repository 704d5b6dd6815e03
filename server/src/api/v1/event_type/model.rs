//! Event type request and response shapes.

use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::event_types::{EventType, EventTypeInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeIn {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schemas: Option<Value>,
    pub feature_flag: Option<String>,
    /// The category the event belongs to (shown as a group in the portal).
    pub group_name: Option<String>,
}

impl From<EventTypeIn> for EventTypeInput {
    fn from(b: EventTypeIn) -> Self {
        EventTypeInput {
            description: b.description,
            group_name: b.group_name,
            schemas: b.schemas,
            archived: b.archived,
            deprecated: b.deprecated,
            feature_flag: b.feature_flag,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeUpdate {
    pub description: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schemas: Option<Value>,
    pub feature_flag: Option<String>,
    pub group_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypePatch {
    pub description: Option<String>,
    pub archived: Option<bool>,
    pub deprecated: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub schemas: Option<Option<Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub feature_flag: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub group_name: Option<Option<String>>,
}

impl EventTypePatch {
    /// The event type's settings with this patch applied.
    pub fn apply(self, existing: &EventType) -> EventTypeInput {
        EventTypeInput {
            description: self
                .description
                .unwrap_or_else(|| existing.description.clone()),
            group_name: self
                .group_name
                .unwrap_or_else(|| existing.group_name.clone()),
            schemas: self.schemas.unwrap_or_else(|| {
                existing
                    .schemas
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok())
            }),
            archived: self.archived.unwrap_or(existing.archived != 0),
            deprecated: self.deprecated.unwrap_or(existing.deprecated != 0),
            feature_flag: self
                .feature_flag
                .unwrap_or_else(|| existing.feature_flag.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeOut {
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schemas: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_flag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<EventType> for EventTypeOut {
    fn from(e: EventType) -> Self {
        EventTypeOut {
            schemas: e
                .schemas
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok()),
            name: e.name,
            description: e.description,
            archived: e.archived != 0,
            deprecated: e.deprecated != 0,
            feature_flag: e.feature_flag,
            group_name: e.group_name,
            created_at: to_rfc3339(e.created_at),
            updated_at: to_rfc3339(e.updated_at),
        }
    }
}

impl From<EventTypeUpdate> for EventTypeInput {
    fn from(u: EventTypeUpdate) -> Self {
        EventTypeInput {
            description: u.description,
            group_name: u.group_name,
            schemas: u.schemas,
            archived: u.archived,
            deprecated: u.deprecated,
            feature_flag: u.feature_flag,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventTypeListParams {
    pub limit: Option<i64>,
    pub iterator: Option<String>,
    pub order: Option<String>,
    /// Include archived event types.
    pub include_archived: Option<bool>,
    /// Accepted for compatibility; schemas are always included.
    pub with_content: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Delete for real instead of archiving.
    pub expunge: Option<bool>,
}
