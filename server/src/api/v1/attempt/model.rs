//! Attempt and delivery-state response shapes.

use crate::api::error::{ApiError, ApiResult};
use crate::api::v1::{EndpointOut, MessageOut};
use crate::api::{parse_time, repeated_param, ListParams};
use herald_app::ssr::domain::deliveries;
use herald_app::ssr::domain::state::Settings;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::attempts::{Attempt, AttemptFilter};
use herald_app::ssr::store::deliveries::DeliveryRow;
use herald_app::ssr::store::ListQuery;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Svix's `MessageStatusText`; a skipped delivery is "canceled" (4), as in Svix's own API.
pub fn status_text(s: i64) -> &'static str {
    match s {
        0 => "success",
        1 => "pending",
        3 => "sending",
        4 => "canceled",
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
    /// `response` holds only the first 64 KiB of a longer response (an extension; absent when
    /// false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub response_truncated: bool,
}

/// Svix's `MessageAttemptHeadersOut`: the request headers exactly as sent (the endpoint's
/// credentials hidden and named in `sensitive`) and the response's.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageAttemptHeadersOut {
    pub sent_headers: std::collections::BTreeMap<String, String>,
    pub response_headers: Option<Vec<(String, String)>>,
    pub sensitive: Vec<String>,
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
            response_truncated: a.response_truncated != 0,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointMessageOut {
    #[serde(flatten)]
    pub message: MessageOut,
    #[serde(flatten)]
    pub delivery: DeliveryStateOut,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageEndpointOut {
    #[serde(flatten)]
    pub endpoint: EndpointOut,
    #[serde(flatten)]
    pub delivery: DeliveryStateOut,
}

/// A delivery's state: Svix's `status`, `statusText` and `nextAttempt`, and Herald's own
/// fields, which say which state it is in and why in more detail than Svix's four.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryStateOut {
    /// 0 success, 1 pending, 2 fail, 3 sending, 4 canceled (skipped; only with
    /// `expanded_statuses=true`).
    pub status: i64,
    pub status_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<String>,
    /// Herald: delivered, sending, queued, retrying, waiting, held, skipped or failed.
    pub state: String,
    /// Herald: why it waits, is held or was skipped, as a code (`endpoint-failing`,
    /// `retry-after`, `endpoint-disabled`, `tenant-disabled`, `endpoint-busy`, `plan-limit`,
    /// `filtered-out`, `expunged`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<String>,
    /// Herald: the state in a sentence, for people.
    pub state_detail: String,
    /// Herald: tries made so far.
    pub tries: i64,
    /// Herald: tries it gets in all under its retry schedule.
    pub max_tries: i64,
    /// Herald: the HTTP status of its last try; 0 when no answer came back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status_code: Option<i64>,
    /// Herald: when its last try ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<String>,
}

impl DeliveryStateOut {
    pub fn new(settings: &Settings, d: &DeliveryRow, now: i64) -> DeliveryStateOut {
        let shown = deliveries::show(settings, d, now);
        let view = shown.view;
        DeliveryStateOut {
            status: d.api_status(),
            status_text: status_text(d.api_status()).into(),
            next_attempt: view.next_at().map(to_rfc3339),
            state: view.code().into(),
            state_reason: view.reason().map(str::to_owned),
            state_detail: view.detail(),
            tries: d.attempts,
            max_tries: shown.max_tries,
            last_status_code: shown.last_status_code,
            last_attempt_at: (d.attempts > 0).then(|| to_rfc3339(d.updated_at)),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptListParams {
    pub limit: Option<i64>,
    pub iterator: Option<String>,
    /// 0 success, 1 pending, 2 fail, 3 sending, 4 canceled (skipped).
    pub status: Option<i64>,
    pub status_code_class: Option<i64>,
    pub endpoint_id: Option<String>,
    pub event_types: Option<String>,
    pub channel: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub with_content: Option<bool>,
    /// Include skipped deliveries (status 4, canceled), as Svix does with this flag.
    pub expanded_statuses: Option<bool>,
}

/// The list parameters of a message's destinations, with Svix's `expanded_statuses`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DestinationListParams {
    /// Items per page (1 to 250, default 50).
    pub limit: Option<i64>,
    /// The `iterator` of the previous page.
    pub iterator: Option<String>,
    /// Include skipped deliveries (status 4, canceled).
    pub expanded_statuses: Option<bool>,
}

impl DestinationListParams {
    pub fn query(&self) -> ApiResult<ListQuery> {
        ListParams {
            limit: self.limit,
            iterator: self.iterator.clone(),
            order: None,
        }
        .query(false)
    }
}

impl AttemptListParams {
    /// Whether skipped deliveries are listed: asked for, or filtered on.
    pub fn with_skipped(&self) -> bool {
        self.expanded_statuses.unwrap_or(false) || self.status == Some(4)
    }

    pub fn parse(&self, uri: &axum::http::Uri) -> ApiResult<(ListQuery, AttemptFilter)> {
        if let Some(s) = self.status {
            if !(0..=4).contains(&s) {
                return Err(ApiError::invalid_query(
                    "status: must be 0 (success), 1 (pending), 2 (fail), 3 (sending) or 4 (canceled)",
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
