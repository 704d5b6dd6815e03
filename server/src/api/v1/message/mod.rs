//! Messages: accept (the hot path), list, get, expunge content.

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiJson, ApiPath, ApiQuery};
use crate::api::tenant::Tenant;
use crate::api::{parse_time, repeated_param, ApiState, ListParams, ListResponse};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use herald_app::ssr::domain::intake::{self, Accepted, NewMessage};
use herald_app::ssr::domain::tenants;
use herald_app::ssr::store::messages::{self, MessageFilter};
use model::{CreateParams, MessageIn, MessageListParams, MessageOut};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The `{msg_id}` of a path (an id or the message's `eventId`).
#[derive(Debug, Deserialize)]
struct MsgPath {
    msg_id: String,
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
    ApiPath(app_id): ApiPath<String>,
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
    let create = body.application_input();
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
    Tenant(app): Tenant,
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
    let page = messages::list(&s.app.db, &app, &q, &filter).await?;
    let with_content = p.with_content.unwrap_or(true);
    Ok(Json(ListResponse::from_page(page, |m| {
        MessageOut::from_message(m, with_content)
    })))
}

/// Get a message by id or by its `eventId`.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}", tag = "Message",
    params(("app_id" = String, Path), ("msg_id" = String, Path), CreateParams), responses((status = 200, body = MessageOut)))]
async fn get_message(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(MsgPath { msg_id: msg }): ApiPath<MsgPath>,
    ApiQuery(p): ApiQuery<CreateParams>,
) -> ApiResult<Json<MessageOut>> {
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
    Tenant(app): Tenant,
    ApiPath(MsgPath { msg_id: msg }): ApiPath<MsgPath>,
) -> ApiResult<StatusCode> {
    let m = messages::get(&s.app.db, &app, &msg).await?;
    messages::expunge_content(&s.app.db, &app, &m.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
