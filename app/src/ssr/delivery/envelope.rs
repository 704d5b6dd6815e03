//! The shape of a delivery's body around the payload the host product sent.

use std::str::FromStr;

use serde_json::{Map, Value};

/// The shape of a delivery's body around the payload the host product sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// The payload exactly as sent.
    Raw,
    /// `{id, type, createdAt, data}`.
    IdTypeCreatedAt,
    /// `{publish_time, message_id, data}`, with `event` added to `data`.
    PublishTime,
    /// `{event, data, organization_id, created_at}`.
    EventOrganization,
    /// `{type, data}`.
    TypeData,
}

impl Envelope {
    pub const NAMES: &'static str =
        "raw, id-type-created-at, publish-time, event-organization, type-data";

    pub fn name(self) -> &'static str {
        match self {
            Envelope::Raw => "raw",
            Envelope::IdTypeCreatedAt => "id-type-created-at",
            Envelope::PublishTime => "publish-time",
            Envelope::EventOrganization => "event-organization",
            Envelope::TypeData => "type-data",
        }
    }

    /// The body to send for `msg`: the envelope's fields in the documented order around the
    /// payload's own bytes, so the host product's data arrives exactly as it sent it.
    pub fn body(self, msg: &Outgoing<'_>) -> String {
        let text = |s: &str| Value::from(s).to_string();
        let data = msg.payload.trim();
        match self {
            Envelope::Raw => msg.payload.to_owned(),
            Envelope::IdTypeCreatedAt => format!(
                r#"{{"id":{},"type":{},"createdAt":{},"data":{data}}}"#,
                text(msg.msg_id),
                text(msg.event_type),
                text(&rfc3339(msg.created_at_ms, false)),
            ),
            Envelope::PublishTime => format!(
                r#"{{"publish_time":{},"message_id":{},"data":{}}}"#,
                text(&rfc3339(msg.created_at_ms, true)),
                text(msg.msg_id),
                with_event(data, msg.event_type),
            ),
            Envelope::EventOrganization => format!(
                r#"{{"event":{},"data":{data},"organization_id":{},"created_at":{}}}"#,
                text(msg.event_type),
                text(msg.organization_id),
                text(&rfc3339(msg.created_at_ms, false)),
            ),
            Envelope::TypeData => format!(r#"{{"type":{},"data":{data}}}"#, text(msg.event_type)),
        }
    }
}

/// The payload object with `"event"` first and its own members after, byte for byte. A payload
/// that already has an `event` member, or is no object, is rebuilt instead, so the result never
/// holds the key twice.
fn with_event(payload: &str, event: &str) -> String {
    let event_member = format!(r#""event":{}"#, Value::from(event));
    match serde_json::from_str::<Value>(payload) {
        Ok(Value::Object(m)) if !m.contains_key("event") => {
            let inner = payload.trim()[1..].trim_start();
            if inner.starts_with('}') {
                format!("{{{event_member}}}")
            } else {
                format!("{{{event_member},{inner}")
            }
        }
        Ok(Value::Object(mut m)) => {
            m.insert("event".into(), event.into());
            Value::Object(m).to_string()
        }
        other => {
            let mut m = Map::new();
            m.insert("event".into(), event.into());
            m.insert("payload".into(), other.unwrap_or(Value::Null));
            Value::Object(m).to_string()
        }
    }
}

/// What a delivery's body and headers are made from.
pub struct Outgoing<'a> {
    pub msg_id: &'a str,
    pub endpoint_id: &'a str,
    pub event_type: &'a str,
    pub payload: &'a str,
    pub created_at_ms: i64,
    /// The tenant as the host product knows it: the application's uid, else its id.
    pub organization_id: &'a str,
}

fn rfc3339(ms: i64, millis: bool) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let format = if millis {
        chrono::SecondsFormat::Millis
    } else {
        chrono::SecondsFormat::Secs
    };
    t.to_rfc3339_opts(format, true)
}

impl FromStr for Envelope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "raw" => Envelope::Raw,
            "id-type-created-at" => Envelope::IdTypeCreatedAt,
            "publish-time" => Envelope::PublishTime,
            "event-organization" => Envelope::EventOrganization,
            "type-data" => Envelope::TypeData,
            _ => return Err(format!("'{s}' is not one of: {}", Envelope::NAMES)),
        })
    }
}
