use super::endpoint::{app, EndpointOut};
use super::message::{repeated_param, MessageOut};
use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::ApiQuery;
use crate::api::{parse_time, ApiState, ListParams, ListResponse};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::{deliveries, tenants};
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::attempts::{self, Attempt, AttemptFilter, DeliveryState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

fn status_text(s: i64) -> &'static str {
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

fn next_attempt(d: &DeliveryState) -> Option<String> {
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
    fn parse(
        &self,
        uri: &axum::http::Uri,
    ) -> ApiResult<(herald_app::ssr::store::ListQuery, AttemptFilter)> {
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

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_by_endpoint))
        .routes(routes!(list_by_msg))
        .routes(routes!(get_attempt))
        .routes(routes!(expunge_attempt_content))
        .routes(routes!(list_attempted_messages))
        .routes(routes!(list_attempted_destinations))
        .routes(routes!(resend))
}

/// Attempts made to one endpoint, newest first.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}", tag = "Message Attempt",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path), AttemptListParams),
    responses((status = 200, body = ListResponse<MessageAttemptOut>)))]
async fn list_by_endpoint(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<MessageAttemptOut>>> {
    let (q, f) = p.parse(&uri)?;
    let app = app(&s, &app_id).await?;
    let page = attempts::list_by_endpoint(&s.app.db, &app, &ep, &q, &f).await?;
    Ok(Json(ListResponse::from_page(page, MessageAttemptOut::from)))
}

/// Attempts made for one message, newest first.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/attempt/msg/{msg_id}", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), AttemptListParams),
    responses((status = 200, body = ListResponse<MessageAttemptOut>)))]
async fn list_by_msg(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg)): Path<(String, String)>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<MessageAttemptOut>>> {
    let (q, f) = p.parse(&uri)?;
    let app = app(&s, &app_id).await?;
    let page = attempts::list_by_message(&s.app.db, &app, &msg, &q, &f).await?;
    Ok(Json(ListResponse::from_page(page, MessageAttemptOut::from)))
}

/// One attempt.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("attempt_id" = String, Path)),
    responses((status = 200, body = MessageAttemptOut)))]
async fn get_attempt(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg, attempt)): Path<(String, String, String)>,
) -> ApiResult<Json<MessageAttemptOut>> {
    let app = app(&s, &app_id).await?;
    let m = herald_app::ssr::store::messages::get(&s.app.db, &app, &msg).await?;
    Ok(Json(
        attempts::get(&s.app.db, &app, &m.id, &attempt)
            .await?
            .into(),
    ))
}

/// Delete the stored response of an attempt.
#[utoipa::path(delete, path = "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("attempt_id" = String, Path)),
    responses((status = 204)))]
async fn expunge_attempt_content(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg, attempt)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let app = app(&s, &app_id).await?;
    let m = herald_app::ssr::store::messages::get(&s.app.db, &app, &msg).await?;
    attempts::expunge_content(&s.app.db, &app, &m.id, &attempt).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Messages sent (or due) to an endpoint, with their delivery state.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg", tag = "Message Attempt",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path), AttemptListParams),
    responses((status = 200, body = ListResponse<EndpointMessageOut>)))]
async fn list_attempted_messages(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<EndpointMessageOut>>> {
    let (q, _) = p.parse(&uri)?;
    let app = app(&s, &app_id).await?;
    let with_content = p.with_content.unwrap_or(true);
    let page = attempts::messages_for_endpoint(&s.app.db, &app, &ep, &q, p.status).await?;
    Ok(Json(ListResponse::from_page(page, |(m, d)| {
        EndpointMessageOut {
            message: MessageOut::from_message(m, with_content),
            status: d.api_status(),
            status_text: status_text(d.api_status()).into(),
            next_attempt: next_attempt(&d),
        }
    })))
}

/// The endpoints a message was (or will be) sent to, with each delivery's state.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}/endpoint", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ListParams),
    responses((status = 200, body = ListResponse<MessageEndpointOut>)))]
async fn list_attempted_destinations(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<ListResponse<MessageEndpointOut>>> {
    let app = app(&s, &app_id).await?;
    let page = attempts::destinations(&s.app.db, &app, &msg, &p.query(false)?).await?;
    Ok(Json(ListResponse::from_page(page, |(e, d)| {
        MessageEndpointOut {
            endpoint: e.into(),
            status: d.api_status(),
            status_text: status_text(d.api_status()).into(),
            next_attempt: next_attempt(&d),
        }
    })))
}

/// Send a message to an endpoint again, now.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = Object)))]
async fn resend(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, msg, ep)): Path<(String, String, String)>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let tenant = tenants::active(&s.app.db, &app_id).await?;
    let app = tenant.id().clone();
    deliveries::resend(&s.app, &tenant, &msg, &ep).await?;
    let facts = serde_json::json!({ "msgId": msg, "endpointId": ep });
    herald_app::ssr::store::audit::record(
        &s.app.db,
        &who.actor(),
        Some(&app),
        "message.resent",
        Some(&msg),
        facts,
    )
    .await;
    // The SDK parses a JSON body here (its EmptyResponse).
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({}))))
}
