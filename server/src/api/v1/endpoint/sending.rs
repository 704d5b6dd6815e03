//! The endpoint actions that send: recover what failed since a date, replay what it missed
//! (failed or skipped), send an event type's example. Both are refused for a tenant the operator disabled.

use super::model::{EventExampleIn, RecoverIn, RecoverOut, TaskData};
use super::EndpointPath;
use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::tenant::Active;
use crate::api::v1::MessageOut;
use crate::api::{parse_time, ApiState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::{deliveries, endpoints, intake};
use herald_app::ssr::infra::crypto::random_alphanumeric;
use herald_app::ssr::infra::time::{now_ms, to_rfc3339};
use herald_app::ssr::store::event_types;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(recover))
        .routes(routes!(replay_missing))
        .routes(routes!(send_example))
}

/// Send again every message that failed to reach this endpoint since a date. Done when it
/// answers: the deliveries are queued, and go out at the pace the endpoint takes them.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover", tag = "Endpoint",
    request_body = RecoverIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = RecoverOut)))]
async fn recover(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Active(tenant): Active,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<RecoverIn>,
) -> ApiResult<(StatusCode, Json<RecoverOut>)> {
    send_missed(&s, &who, &tenant, &ep, b, deliveries::Scope::Failed).await
}

/// Send this endpoint what it missed since a date: what failed, and what was skipped that it
/// would take today (skipped while it was disabled, or by a filter that now lets the event
/// through). Never what it was sent. Svix's replay-missing, whose "missing" are the messages
/// never attempted: here every message has a delivery, so those are the skipped ones.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/replay-missing", tag = "Endpoint",
    request_body = RecoverIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = RecoverOut)))]
async fn replay_missing(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Active(tenant): Active,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<RecoverIn>,
) -> ApiResult<(StatusCode, Json<RecoverOut>)> {
    send_missed(&s, &who, &tenant, &ep, b, deliveries::Scope::Missed).await
}

async fn send_missed(
    s: &ApiState,
    who: &ApiKeyAuth,
    tenant: &herald_app::ssr::domain::tenants::ActiveTenant,
    ep: &str,
    b: RecoverIn,
    scope: deliveries::Scope,
) -> ApiResult<(StatusCode, Json<RecoverOut>)> {
    let since = parse_time("since", Some(&b.since))
        .map_err(ApiError::in_body)?
        .unwrap_or_default();
    let until = parse_time("until", b.until.as_deref()).map_err(ApiError::in_body)?;
    let n = deliveries::send_missed(&s.app, &who.actor(), tenant, ep, since, until, scope).await?;
    let task = match scope {
        deliveries::Scope::Failed => "endpoint.recover",
        deliveries::Scope::Missed => "endpoint.replay",
    };
    Ok((
        StatusCode::ACCEPTED,
        Json(RecoverOut {
            id: format!("qtask_{}", random_alphanumeric(27)),
            status: "finished".into(),
            task: task.into(),
            updated_at: to_rfc3339(now_ms()),
            data: TaskData { messages_sent: n },
        }),
    ))
}

/// Send the event type's example payload to this endpoint only.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example", tag = "Endpoint",
    request_body = EventExampleIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = MessageOut)))]
async fn send_example(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Active(tenant): Active,
    ApiPath(EndpointPath { endpoint_id: ep }): ApiPath<EndpointPath>,
    ApiJson(b): ApiJson<EventExampleIn>,
) -> ApiResult<(StatusCode, Json<MessageOut>)> {
    let app = tenant.id().clone();
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    if existing.disabled != 0 {
        return Err(ApiError::validation(
            "endpoint is disabled: enable it before sending a test",
        ));
    }
    let et = event_types::get(&s.app.db, &b.event_type).await?;
    let payload = serde_json::value::to_raw_value(&et.example_payload())
        .map_err(|e| herald_app::ssr::ServiceError::Internal(e.into()))?;
    let msg = intake::NewMessage {
        event_type: et.name,
        event_id: None,
        payload,
        channels: None,
    };
    let m = intake::send_test(&s.app, &who.actor(), &tenant, &existing.id, msg).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageOut::from_message(m, true)),
    ))
}
