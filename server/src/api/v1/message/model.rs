//! Message request and response shapes.

use crate::api::v1::ApplicationIn;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::applications::ApplicationInput;
use herald_app::ssr::store::messages::Message;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageIn {
    pub event_type: String,
    /// Your id for this event; a second message with the same one is refused (409).
    pub event_id: Option<String>,
    /// Sent to endpoints byte for byte as received.
    #[schema(value_type = Object)]
    pub payload: Box<RawValue>,
    pub channels: Option<Vec<String>>,
    /// Creates the application (with the path's value as uid) if it does not exist.
    pub application: Option<ApplicationIn>,
    pub payload_retention_period: Option<i64>,
    pub tags: Option<Vec<String>>,
}

impl MessageIn {
    /// The application to create when the path's does not exist yet.
    pub fn application_input(&self) -> Option<ApplicationInput> {
        self.application.as_ref().map(|a| ApplicationInput {
            name: a.name.clone(),
            uid: a.uid.clone(),
            metadata: a.metadata.clone().unwrap_or_default(),
            throttle_rate: a.throttle_rate,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    pub event_type: String,
    #[schema(value_type = Object)]
    pub payload: Box<RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    pub timestamp: String,
}

fn empty_object() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).unwrap_or_else(|_| Box::<RawValue>::default())
}

impl MessageOut {
    pub fn from_message(m: Message, with_content: bool) -> Self {
        let payload = match (with_content, m.payload) {
            (true, Some(p)) => RawValue::from_string(p).unwrap_or_else(|_| empty_object()),
            _ => empty_object(),
        };
        MessageOut {
            id: m.id,
            event_id: m.event_id,
            event_type: m.event_type,
            payload,
            channels: herald_app::ssr::store::json_or_default::<Option<Vec<String>>>(
                m.channels.as_deref(),
            ),
            timestamp: to_rfc3339(m.created_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// `false` leaves the payload out of the response.
    pub with_content: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageListParams {
    pub limit: Option<i64>,
    pub iterator: Option<String>,
    pub channel: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub with_content: Option<bool>,
    /// Only these event types (repeat the parameter, or separate with commas).
    pub event_types: Option<String>,
}
