use crate::api::auth::ApiKeyAuth;
use crate::api::error::{ApiError, ApiResult};
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::{parse_time, ApiState, ListParams, ListResponse};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use herald_app::ids::AppId;
use herald_app::ssr::domain::endpoints::{self, Endpoint, EndpointInput};
use herald_app::ssr::domain::{deliveries, intake, tenants};
use herald_app::ssr::infra::time::{now_ms, to_rfc3339};
use herald_app::ssr::{store::applications, store::audit, store::event_types};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointIn {
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// The event types this endpoint receives; empty or absent means all. (`filterTypes` is accepted too.)
    #[serde(alias = "filterTypes")]
    pub event_types: Option<Vec<String>>,
    pub channels: Option<Vec<String>>,
    #[serde(default)]
    pub disabled: bool,
    pub metadata: Option<Map<String, Value>>,
    pub uid: Option<String>,
    #[serde(alias = "rateLimit")]
    pub throttle_rate: Option<i64>,
    pub secret: Option<String>,
    pub version: Option<i64>,
    pub headers: Option<BTreeMap<String, String>>,
}

impl From<EndpointIn> for EndpointInput {
    fn from(e: EndpointIn) -> Self {
        EndpointInput {
            url: e.url,
            description: e.description,
            event_types: e.event_types,
            channels: e.channels,
            disabled: e.disabled,
            metadata: e.metadata.unwrap_or_default(),
            uid: e.uid,
            throttle_rate: e.throttle_rate,
            secret: e.secret,
            headers: e.headers,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPatch {
    pub url: Option<String>,
    pub description: Option<String>,
    #[serde(
        default,
        alias = "filterTypes",
        deserialize_with = "crate::api::double_option"
    )]
    pub event_types: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub channels: Option<Option<Vec<String>>>,
    pub disabled: Option<bool>,
    pub metadata: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub uid: Option<Option<String>>,
    #[serde(
        default,
        alias = "rateLimit",
        deserialize_with = "crate::api::double_option"
    )]
    pub throttle_rate: Option<Option<i64>>,
    pub secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    pub url: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    /// The same list under the open-source server's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    pub disabled: bool,
    /// Why the endpoint is disabled, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub metadata: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_rate: Option<i64>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Endpoint> for EndpointOut {
    fn from(e: Endpoint) -> Self {
        let types = e.event_type_list();
        EndpointOut {
            channels: e.channel_list(),
            metadata: serde_json::from_str(&e.metadata)
                .unwrap_or_else(|_| Value::Object(Map::new())),
            id: e.id,
            uid: e.uid,
            url: e.url,
            description: e.description,
            filter_types: types.clone(),
            event_types: types,
            disabled: e.disabled != 0,
            disabled_reason: e.disabled_reason,
            throttle_rate: e.throttle_rate,
            version: e.version,
            created_at: to_rfc3339(e.created_at),
            updated_at: to_rfc3339(e.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointSecretOut {
    pub key: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSecretRotateIn {
    /// The new secret; a random one when absent.
    pub key: Option<String>,
    /// How long the old secret keeps signing (default 24 hours; 0 ends it at once).
    pub grace_period_seconds: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndpointHeadersIn {
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointHeadersPatchIn {
    /// A `null` value removes that header.
    pub headers: BTreeMap<String, Option<String>>,
    /// Headers to remove (the form the svix SDK sends).
    #[serde(default)]
    pub delete_headers: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointHeadersOut {
    pub headers: BTreeMap<String, String>,
    pub sensitive: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoverIn {
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecoverOut {
    pub id: String,
    pub status: String,
    pub task: String,
    pub updated_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventExampleIn {
    pub event_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointStats {
    pub success: i64,
    pub pending: i64,
    pub sending: i64,
    pub fail: i64,
    pub canceled: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    pub since: Option<String>,
    pub until: Option<String>,
}

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(
            get_endpoint,
            update_endpoint,
            patch_endpoint,
            delete_endpoint
        ))
        .routes(routes!(get_secret))
        .routes(routes!(rotate_secret))
        .routes(routes!(get_headers, update_headers, patch_headers))
        .routes(routes!(recover))
        .routes(routes!(send_example))
        .routes(routes!(stats))
}

pub(crate) async fn app(s: &ApiState, app_id: &str) -> ApiResult<AppId> {
    Ok(applications::resolve(&s.app.db, app_id).await?)
}

/// List an application's endpoints.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint", tag = "Endpoint",
    params(("app_id" = String, Path), ListParams), responses((status = 200, body = ListResponse<EndpointOut>)))]
async fn list_endpoints(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(app_id): Path<String>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<ListResponse<EndpointOut>>> {
    let app = app(&s, &app_id).await?;
    let page = endpoints::list(&s.app.db, &app, &p.query(false)?).await?;
    Ok(Json(ListResponse::from_page(page, EndpointOut::from)))
}

/// Create an endpoint.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint", tag = "Endpoint", request_body = EndpointIn,
    params(("app_id" = String, Path)), responses((status = 201, body = EndpointOut)))]
async fn create_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path(app_id): Path<String>,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Json<EndpointOut>)> {
    let app = app(&s, &app_id).await?;
    let ep = endpoints::create(&s.app, &app, body.into()).await?;
    audit_created(&s, &who, &app, &ep).await;
    Ok((StatusCode::CREATED, Json(ep.into())))
}

/// Get an endpoint by id or uid.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointOut)))]
async fn get_endpoint(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
) -> ApiResult<Json<EndpointOut>> {
    let app = app(&s, &app_id).await?;
    Ok(Json(endpoints::get(&s.app.db, &app, &ep).await?.into()))
}

/// Replace an endpoint's settings, creating it if it does not exist.
#[utoipa::path(put, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint", request_body = EndpointIn,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 200, body = EndpointOut), (status = 201, body = EndpointOut)))]
async fn update_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(body): ApiJson<EndpointIn>,
) -> ApiResult<(StatusCode, Json<EndpointOut>)> {
    let app = app(&s, &app_id).await?;
    match endpoints::get(&s.app.db, &app, &ep).await {
        Ok(existing) => {
            let updated = endpoints::replace(&s.app, &existing, body.into()).await?;
            audit_edited(&s, &who, &app, &existing, &updated).await;
            Ok((StatusCode::OK, Json(updated.into())))
        }
        Err(herald_app::ssr::ServiceError::NotFound(_)) => {
            let mut input: EndpointInput = body.into();
            if input.uid.is_none() && herald_app::ids::EndpointId::parse(&ep).is_none() {
                input.uid = Some(ep);
            }
            let created = endpoints::create(&s.app, &app, input).await?;
            audit_created(&s, &who, &app, &created).await;
            Ok((StatusCode::CREATED, Json(created.into())))
        }
        Err(e) => Err(e.into()),
    }
}

/// Change some of an endpoint's settings.
#[utoipa::path(patch, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint", request_body = EndpointPatch,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointOut)))]
async fn patch_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(b): ApiJson<EndpointPatch>,
) -> ApiResult<Json<EndpointOut>> {
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let mut input = EndpointInput::from(&existing);
    if let Some(v) = b.url {
        input.url = v;
    }
    if let Some(v) = b.description {
        input.description = v;
    }
    if let Some(v) = b.event_types {
        input.event_types = v;
    }
    if let Some(v) = b.channels {
        input.channels = v;
    }
    if let Some(v) = b.disabled {
        input.disabled = v;
    }
    if let Some(v) = b.metadata {
        input.metadata = v;
    }
    if let Some(v) = b.uid {
        input.uid = v;
    }
    if let Some(v) = b.throttle_rate {
        input.throttle_rate = v;
    }
    input.secret = b.secret;
    let updated = endpoints::replace(&s.app, &existing, input).await?;
    audit_edited(&s, &who, &app, &existing, &updated).await;
    Ok(Json(updated.into()))
}

/// Delete an endpoint.
#[utoipa::path(delete, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn delete_endpoint(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    endpoints::delete(&s.app.db, &app, &existing.id).await?;
    audit(
        &s,
        &who,
        &app,
        "endpoint.deleted",
        &existing.id,
        audit::endpoint_view(&existing),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's current signing secret.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointSecretOut)))]
async fn get_secret(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
) -> ApiResult<Json<EndpointSecretOut>> {
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let key = endpoints::current_secret(&s.app, &app, &existing.id).await?;
    audit(
        &s,
        &who,
        &app,
        "endpoint.secret_revealed",
        &existing.id,
        Value::Object(Map::new()),
    )
    .await;
    Ok(Json(EndpointSecretOut { key }))
}

/// Rotate the signing secret. The old one keeps signing for the grace period (default 24 h),
/// unless the deployment's delivery contract ends old secrets at once.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate", tag = "Endpoint",
    request_body = EndpointSecretRotateIn,
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointSecretOut)))]
async fn rotate_secret(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<EndpointSecretOut>> {
    // The body is optional: an empty one rotates to a random secret.
    let b: EndpointSecretRotateIn = if body.iter().all(u8::is_ascii_whitespace) {
        EndpointSecretRotateIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::validation(format!("invalid body: {e}"))
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                    format!("the body is not valid JSON: {e}"),
                )
            }
        })?
    };
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let grace = Duration::from_secs(u64::from(b.grace_period_seconds.unwrap_or(24 * 3600)));
    let chosen = b.key.is_some();
    let key = endpoints::rotate_secret(&s.app, app.clone(), &existing.id, b.key, grace).await?;
    let facts =
        serde_json::json!({ "gracePeriodSeconds": grace.as_secs(), "keyChosenByCaller": chosen });
    audit(
        &s,
        &who,
        &app,
        "endpoint.secret_rotated",
        &existing.id,
        facts,
    )
    .await;
    Ok(Json(EndpointSecretOut { key }))
}

fn headers_out(e: &Endpoint) -> EndpointHeadersOut {
    let mut headers = BTreeMap::new();
    let mut sensitive = Vec::new();
    for (k, v) in e.header_map() {
        if endpoints::is_sensitive_header(&k) {
            sensitive.push(k);
        } else {
            headers.insert(k, v);
        }
    }
    EndpointHeadersOut { headers, sensitive }
}

/// The extra headers sent with every delivery (values of credential headers are not shown).
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 200, body = EndpointHeadersOut)))]
async fn get_headers(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
) -> ApiResult<Json<EndpointHeadersOut>> {
    let app = app(&s, &app_id).await?;
    Ok(Json(headers_out(
        &endpoints::get(&s.app.db, &app, &ep).await?,
    )))
}

/// Replace the extra headers.
#[utoipa::path(put, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    request_body = EndpointHeadersIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn update_headers(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(b): ApiJson<EndpointHeadersIn>,
) -> ApiResult<StatusCode> {
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let names: Vec<String> = b.headers.keys().cloned().collect();
    endpoints::set_headers(&s.app, &existing, b.headers).await?;
    audit_headers(&s, &who, &app, &existing, names).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Add, change or (with `null`) remove some extra headers.
#[utoipa::path(patch, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/headers", tag = "Endpoint",
    request_body = EndpointHeadersPatchIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)), responses((status = 204)))]
async fn patch_headers(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(b): ApiJson<EndpointHeadersPatchIn>,
) -> ApiResult<StatusCode> {
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let mut headers = existing.header_map();
    for k in &b.delete_headers {
        headers.retain(|name, _| !name.eq_ignore_ascii_case(k));
    }
    for (k, v) in b.headers {
        match v {
            Some(v) => headers.insert(k, v),
            None => headers.remove(&k),
        };
    }
    let names: Vec<String> = headers.keys().cloned().collect();
    endpoints::set_headers(&s.app, &existing, headers).await?;
    audit_headers(&s, &who, &app, &existing, names).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Send again every message that failed to reach this endpoint since a date.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/recover", tag = "Endpoint",
    request_body = RecoverIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = RecoverOut)))]
async fn recover(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(b): ApiJson<RecoverIn>,
) -> ApiResult<(StatusCode, Json<RecoverOut>)> {
    let since = parse_time("since", Some(&b.since))
        .map_err(ApiError::in_body)?
        .unwrap_or_default();
    let until = parse_time("until", b.until.as_deref()).map_err(ApiError::in_body)?;
    let tenant = tenants::active(&s.app.db, &app_id).await?;
    let app = tenant.id().clone();
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let n = deliveries::recover(&s.app, &tenant, &existing.id, since, until).await?;
    tracing::info!(endpoint.id = %existing.id, deliveries = n, "recover queued failed deliveries");
    let facts = serde_json::json!({ "since": b.since, "until": b.until, "deliveries": n });
    audit(&s, &who, &app, "endpoint.recovered", &existing.id, facts).await;
    Ok((
        StatusCode::ACCEPTED,
        Json(RecoverOut {
            id: format!("qtask_{}", herald_app::ssr::infra::crypto::random_token(12)),
            status: "running".into(),
            task: "endpoint.recover".into(),
            updated_at: to_rfc3339(now_ms()),
        }),
    ))
}

/// Send the event type's example payload to this endpoint only.
#[utoipa::path(post, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example", tag = "Endpoint",
    request_body = EventExampleIn, params(("app_id" = String, Path), ("endpoint_id" = String, Path)),
    responses((status = 202, body = super::message::MessageOut)))]
async fn send_example(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiJson(b): ApiJson<EventExampleIn>,
) -> ApiResult<(StatusCode, Json<super::message::MessageOut>)> {
    let tenant = tenants::active(&s.app.db, &app_id).await?;
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
    let accepted = intake::create(&s.app, &tenant, msg, None, Some(&existing.id)).await?;
    let m = match accepted {
        intake::Accepted::New(m) | intake::Accepted::Replayed(m) => m,
    };
    let facts = serde_json::json!({ "eventType": m.event_type, "msgId": m.id });
    audit(&s, &who, &app, "endpoint.test_sent", &existing.id, facts).await;
    Ok((
        StatusCode::ACCEPTED,
        Json(super::message::MessageOut::from_message(m, true)),
    ))
}

/// Delivery counts by state for this endpoint.
#[utoipa::path(get, path = "/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats", tag = "Endpoint",
    params(("app_id" = String, Path), ("endpoint_id" = String, Path), StatsParams), responses((status = 200, body = EndpointStats)))]
async fn stats(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path((app_id, ep)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> ApiResult<Json<EndpointStats>> {
    let since = parse_time("since", p.since.as_deref())?;
    let until = parse_time("until", p.until.as_deref())?;
    let app = app(&s, &app_id).await?;
    let existing = endpoints::get(&s.app.db, &app, &ep).await?;
    let st = endpoints::stats(&s.app.db, &app, &existing.id, since, until).await?;
    Ok(Json(EndpointStats {
        success: st.success,
        pending: st.pending,
        sending: st.sending,
        fail: st.fail,
        canceled: st.skipped,
    }))
}

async fn audit(
    s: &ApiState,
    who: &ApiKeyAuth,
    app: &AppId,
    action: &str,
    target: &str,
    facts: Value,
) {
    audit::record(
        &s.app.db,
        &who.actor(),
        Some(app),
        action,
        Some(target),
        facts,
    )
    .await;
}

async fn audit_created(s: &ApiState, who: &ApiKeyAuth, app: &AppId, ep: &Endpoint) {
    audit(
        s,
        who,
        app,
        "endpoint.created",
        &ep.id,
        audit::endpoint_view(ep),
    )
    .await;
}

async fn audit_edited(
    s: &ApiState,
    who: &ApiKeyAuth,
    app: &AppId,
    before: &Endpoint,
    after: &Endpoint,
) {
    let changes = audit::diff(&audit::endpoint_view(before), &audit::endpoint_view(after));
    if changes.as_object().is_some_and(|c| !c.is_empty()) {
        let action = audit::endpoint_edit_action(&changes);
        audit(s, who, app, action, &after.id, changes).await;
    }
}

async fn audit_headers(
    s: &ApiState,
    who: &ApiKeyAuth,
    app: &AppId,
    ep: &Endpoint,
    names: Vec<String>,
) {
    let facts = serde_json::json!({ "headers": names });
    audit(s, who, app, "endpoint.headers_updated", &ep.id, facts).await;
}
