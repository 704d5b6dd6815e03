//! Attempt and delivery-state response shapes.

use crate::api::error::{ApiError, ApiResult};
use crate::api::v1::{EndpointOut, MessageOut};
use crate::api::{parse_time, repeated_param, ListParams};
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::attempts::{Attempt, AttemptFilter, DeliveryState};
use herald_app::ssr::store::ListQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn status_text(s: i64) -> &'static str {
    match s {
        0 => "success",
        1 => "pending",
        3 => "sending",
        _ => "fail",
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageAttemptOut {
    pub id: String,
    pub msg_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub response: String,
    pub response_status_code: i64,
    pub response_duration_ms: i64,
    /// 0 success, 2 fail.
    pub status: i64,
    pub status_text: String,
    /// 0 scheduled, 1 manual.
    pub trigger_type: i64,
    pub timestamp: String,
    /// Why the attempt failed when there was no HTTP answer (timeout, connection refused…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl From<Attempt> for MessageAttemptOut {
    fn from(a: Attempt) -> Self {
        MessageAttemptOut {
            status_text: status_text(a.status).into(),
            id: a.id,
            msg_id: a.msg_id,
            endpoint_id: a.endpoint_id,
            url: a.url,
            response: a.response.unwrap_or_default(),
            response_status_code: a.response_status_code,
            response_duration_ms: a.duration_ms,
            status: a.status,
            trigger_type: a.trigger_type,
            timestamp: to_rfc3339(a.created_at),
            error: a.error,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointMessageOut {
    #[serde(flatten)]
    pub message: MessageOut,
    pub status: i64,
    pub status_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageEndpointOut {
    #[serde(flatten)]
    pub endpoint: EndpointOut,
    pub status: i64,
    pub status_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<String>,
}

pub fn next_attempt(d: &DeliveryState) -> Option<String> {
    (d.status == 1)
        .then_some(d.next_attempt_at)
        .flatten()
        .map(to_rfc3339)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptListParams {
    pub limit: Option<i64>,
    pub iterator: Option<String>,
    /// 0 success, 1 pending, 2 fail, 3 sending.
    pub status: Option<i64>,
    pub status_code_class: Option<i64>,
    pub endpoint_id: Option<String>,
    pub event_types: Option<String>,
    pub channel: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub with_content: Option<bool>,
}

impl AttemptListParams {
    pub fn parse(&self, uri: &axum::http::Uri) -> ApiResult<(ListQuery, AttemptFilter)> {
        if let Some(s) = self.status {
            if !(0..=3).contains(&s) {
                return Err(ApiError::invalid_query(
                    "status: must be 0 (success), 1 (pending), 2 (fail) or 3 (sending)",
                ));
            }
        }
        let q = ListParams {
            limit: self.limit,
            iterator: self.iterator.clone(),
            order: None,
        }
        .query(true)?;
        Ok((
            q,
            AttemptFilter {
                status: self.status,
                endpoint_id: self.endpoint_id.clone(),
                event_types: repeated_param(uri, "event_types"),
                before: parse_time("before", self.before.as_deref())?,
                after: parse_time("after", self.after.as_deref())?,
            },
        ))
    }
}
