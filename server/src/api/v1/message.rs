use super::endpoint::app;
use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::{parse_time, ApiState, ListParams, ListResponse};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use herald_app::ssr::domain::intake::{self, Accepted, NewMessage};
use herald_app::ssr::domain::tenants;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::applications::ApplicationInput;
use herald_app::ssr::store::messages::{self, Message, MessageFilter};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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
    pub application: Option<super::application::ApplicationIn>,
    pub payload_retention_period: Option<i64>,
    pub tags: Option<Vec<String>>,
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

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages, create_message))
        .routes(routes!(get_message))
        .routes(routes!(expunge_content))
}

/// Accept a message: it is stored with a delivery per matching endpoint before this answers.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/msg", tag = "Message", request_body = MessageIn,
    params(("app_id" = String, Path), CreateParams, ("idempotency-key" = Option<String>, Header)),
    responses((status = 202, body = MessageOut), (status = 409, body = crate::api::error::HttpErrorOut)))]
async fn create_message(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(app_id): Path<String>,
    ApiQuery(p): ApiQuery<CreateParams>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MessageIn>,
) -> ApiResult<(StatusCode, Json<MessageOut>)> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::validation("idempotency-key: must be visible ASCII"))?
                .to_owned(),
        ),
        None => None,
    };
    let create = body.application.as_ref().map(|a| ApplicationInput {
        name: a.name.clone(),
        uid: a.uid.clone(),
        metadata: a.metadata.clone().unwrap_or_default(),
        throttle_rate: a.throttle_rate,
    });
    let tenant = tenants::active_or_create(&s.app.db, &app_id, create).await?;
    let msg = NewMessage {
        event_type: body.event_type,
        event_id: body.event_id,
        payload: body.payload,
        channels: body.channels,
    };
    let with_content = p.with_content.unwrap_or(true);
    let m = match intake::create(&s.app, &tenant, msg, key.as_deref(), None).await? {
        Accepted::New(m) | Accepted::Replayed(m) => m,
    };
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageOut::from_message(m, with_content)),
    ))
}

/// List messages, newest first.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg", tag = "Message",
    params(("app_id" = String, Path), MessageListParams), responses((status = 200, body = ListResponse<MessageOut>)))]
async fn list_messages(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(app_id): Path<String>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<MessageListParams>,
) -> ApiResult<Json<ListResponse<MessageOut>>> {
    let q = ListParams {
        limit: p.limit,
        iterator: p.iterator.clone(),
        order: None,
    }
    .query(true)?;
    let filter = MessageFilter {
        event_types: repeated_param(&uri, "event_types"),
        before: parse_time("before", p.before.as_deref())?,
        after: parse_time("after", p.after.as_deref())?,
        channel: p.channel.clone(),
    };
    let app = app(&s, &app_id).await?;
    let page = messages::list(&s.app.db, &app, &q, &filter).await?;
    let with_content = p.with_content.unwrap_or(true);
    Ok(Json(ListResponse::from_page(page, |m| {
        MessageOut::from_message(m, with_content)
    })))
}

/// `?event_types=a&event_types=b` or `?event_types=a,b` (also with `[]`).
pub fn repeated_param(uri: &axum::http::Uri, name: &str) -> Vec<String> {
    let bracketed = format!("{name}[]");
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == name || *k == bracketed)
        .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Get a message by id or by its `eventId`.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}", tag = "Message",
    params(("app_id" = String, Path), ("msg_id" = String, Path), CreateParams), responses((status = 200, body = MessageOut)))]
async fn get_message(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<CreateParams>,
) -> ApiResult<Json<MessageOut>> {
    let app = app(&s, &app_id).await?;
    let m = messages::get(&s.app.db, &app, &msg).await?;
    Ok(Json(MessageOut::from_message(
        m,
        p.with_content.unwrap_or(true),
    )))
}

/// Delete a message's payload (its record and delivery log stay).
#[utoipa::path(delete, path = "/api/v1/app/{app_id}/msg/{msg_id}/content", tag = "Message",
    params(("app_id" = String, Path), ("msg_id" = String, Path)), responses((status = 204)))]
async fn expunge_content(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, msg)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = app(&s, &app_id).await?;
    let m = messages::get(&s.app.db, &app, &msg).await?;
    messages::expunge_content(&s.app.db, &app, &m.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
