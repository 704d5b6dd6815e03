//! Delivery attempts and delivery states, by endpoint and by message; resend.

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiPath, ApiQuery};
use crate::api::tenant::{Active, Tenant};
use crate::api::v1::MessageOut;
use crate::api::{ApiState, ListResponse};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::attempts as domain_attempts;
use herald_app::ssr::domain::deliveries;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::attempts;
use herald_app::ssr::store::deliveries as rows;
use herald_app::ssr::store::messages;
use herald_app::ssr::ServiceError;
use model::{
    AttemptListParams, DeliveryStateOut, DestinationListParams, EndpointMessageOut,
    MessageAttemptHeadersOut, MessageAttemptOut, MessageEndpointOut,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize)]
struct EndpointPath {
    endpoint_id: String,
}

#[derive(Debug, Deserialize)]
struct MsgPath {
    msg_id: String,
}

#[derive(Debug, Deserialize)]
struct AttemptPath {
    msg_id: String,
    attempt_id: String,
}

#[derive(Debug, Deserialize)]
struct ResendPath {
    msg_id: String,
    endpoint_id: String,
}

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_by_endpoint))
        .routes(routes!(list_by_msg))
        .routes(routes!(get_attempt))
        .routes(routes!(get_attempt_headers))
        .routes(routes!(get_attempt_body))
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
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<MessageAttemptOut>>> {
    let (q, f) = p.parse(&uri)?;
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
    Tenant(app): Tenant,
    ApiPath(MsgPath { msg_id: msg }): ApiPath<MsgPath>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<MessageAttemptOut>>> {
    let (q, f) = p.parse(&uri)?;
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
    Tenant(app): Tenant,
    ApiPath(AttemptPath {
        msg_id: msg,
        attempt_id: attempt,
    }): ApiPath<AttemptPath>,
) -> ApiResult<Json<MessageAttemptOut>> {
    let m = messages::get(&s.app.db, &app, &msg).await?;
    Ok(Json(
        attempts::get(&s.app.db, &app, &m.id, &attempt)
            .await?
            .into(),
    ))
}

/// The headers an attempt sent, exactly (the endpoint's credentials hidden), and the
/// response's.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/headers", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("attempt_id" = String, Path)),
    responses((status = 200, body = MessageAttemptHeadersOut)))]
async fn get_attempt_headers(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(AttemptPath {
        msg_id: msg,
        attempt_id: attempt,
    }): ApiPath<AttemptPath>,
) -> ApiResult<Json<MessageAttemptHeadersOut>> {
    let (a, sent) =
        domain_attempts::get_of_message(&s.app.db, &s.app.settings.delivery, &app, &msg, &attempt)
            .await?;
    Ok(Json(MessageAttemptHeadersOut {
        sent_headers: sent.headers.into_iter().collect(),
        response_headers: Some(domain_attempts::response_headers(&a)),
        sensitive: sent.sensitive,
    }))
}

/// The body an attempt sent, byte for byte (an extension): what its signature was computed
/// over. 404 when it was not recorded (an attempt older than exact bodies, or a try that sent
/// nothing) or the message's content was expunged.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/body", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("attempt_id" = String, Path)),
    responses((status = 200, content_type = "application/json", body = String), (status = 404)))]
async fn get_attempt_body(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(AttemptPath {
        msg_id: msg,
        attempt_id: attempt,
    }): ApiPath<AttemptPath>,
) -> ApiResult<impl axum::response::IntoResponse> {
    let (_, sent) =
        domain_attempts::get_of_message(&s.app.db, &s.app.settings.delivery, &app, &msg, &attempt)
            .await?;
    let body = sent.body.ok_or(ServiceError::NotFound("attempt body"))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    ))
}

/// Delete the stored response of an attempt.
#[utoipa::path(delete, path = "/api/v1/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), ("attempt_id" = String, Path)),
    responses((status = 204)))]
async fn expunge_attempt_content(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(AttemptPath {
        msg_id: msg,
        attempt_id: attempt,
    }): ApiPath<AttemptPath>,
) -> ApiResult<StatusCode> {
    let m = messages::get(&s.app.db, &app, &msg).await?;
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
    Tenant(app): Tenant,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<AttemptListParams>,
) -> ApiResult<Json<ListResponse<EndpointMessageOut>>> {
    let (q, _) = p.parse(&uri)?;
    let with_content = p.with_content.unwrap_or(true);
    let page = rows::for_endpoint(&s.app.db, &app, &ep, &q, p.status, p.with_skipped()).await?;
    let now = now_ms();
    Ok(Json(ListResponse::from_page(page, |(m, d)| {
        EndpointMessageOut {
            message: MessageOut::from_message(m, with_content),
            delivery: DeliveryStateOut::new(&s.app.settings, &d, now),
        }
    })))
}

/// The endpoints a message was (or will be) sent to, with each delivery's state.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/msg/{msg_id}/endpoint", tag = "Message Attempt",
    params(("app_id" = String, Path), ("msg_id" = String, Path), DestinationListParams),
    responses((status = 200, body = ListResponse<MessageEndpointOut>)))]
async fn list_attempted_destinations(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Tenant(app): Tenant,
    ApiPath(MsgPath { msg_id: msg }): ApiPath<MsgPath>,
    ApiQuery(p): ApiQuery<DestinationListParams>,
) -> ApiResult<Json<ListResponse<MessageEndpointOut>>> {
    let with_skipped = p.expanded_statuses.unwrap_or(false);
    let page = rows::of_message(&s.app.db, &app, &msg, &p.query()?, with_skipped).await?;
    let now = now_ms();
    Ok(Json(ListResponse::from_page(page, |(e, d)| {
        MessageEndpointOut {
            endpoint: e.into(),
            delivery: DeliveryStateOut::new(&s.app.settings, &d, now),
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
    Active(tenant): Active,
    ApiPath(ResendPath {
        msg_id: msg,
        endpoint_id: ep,
    }): ApiPath<ResendPath>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    deliveries::resend(&s.app, &who.actor(), &tenant, &msg, &ep).await?;
    // The SDK parses a JSON body here (its EmptyResponse).
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({}))))
}
