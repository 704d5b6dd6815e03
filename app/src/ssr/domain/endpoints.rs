//! Endpoints: where a tenant's events go, which ones, and the secrets that sign them. The rules
//! for what a tenant may set (URL and SSRF check, event types, headers, secrets in the
//! deployment's format, the plan's endpoint limit) live here, for the API, the portal and the
//! console alike. Each change files its audit entry in its own transaction.

use crate::ids::{AppId, EndpointId};
use crate::ssr::delivery::{ssrf, DeliveryProfile};
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::time::now_ms;
use crate::ssr::infra::validate::{self, EndpointUrl};
use crate::ssr::store::audit::{endpoint_edit_action, endpoint_view};
use crate::ssr::store::endpoints;
use crate::ssr::store::event_types;
use crate::ssr::store::json_or_default;
use crate::ssr::{AppState, ServiceError};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub event_types: Option<Vec<String>>,
    pub channels: Option<Vec<String>>,
    pub disabled: bool,
    pub metadata: Map<String, Value>,
    pub uid: Option<String>,
    pub throttle_rate: Option<i64>,
    pub secret: Option<String>,
    pub headers: Option<BTreeMap<String, String>>,
}

/// Headers a tenant may not set on deliveries: they belong to HTTP or to our signature.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "user-agent",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
];

/// Whether a header's value is shown only as its name (in the API, the portal and the delivery
/// log): any name that suggests a credential, not a fixed list, since tenants name their own
/// (`X-Shopify-Access-Token`, `X-Signature`, `Api-Key`, ...).
pub fn is_sensitive_header(name: &str) -> bool {
    const MARKS: &[&str] = &[
        "auth",
        "token",
        "key",
        "secret",
        "signature",
        "cookie",
        "password",
        "credential",
        "session",
    ];
    let lower = name.to_ascii_lowercase();
    MARKS.iter().any(|m| lower.contains(m))
}

pub fn validate_headers(
    headers: &BTreeMap<String, String>,
    profile: &DeliveryProfile,
) -> Result<(), ServiceError> {
    let ours = profile.reserved_headers();
    if headers.len() > 50 {
        return Err(ServiceError::validation("headers: at most 50 headers"));
    }
    for (name, value) in headers {
        let valid_name = !name.is_empty()
            && name.len() <= 256
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(ServiceError::validation(format!(
                "headers: '{name}' is not a valid header name"
            )));
        }
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) || ours.contains(&lower) {
            return Err(ServiceError::validation(format!(
                "headers: '{name}' is set by Herald and cannot be overridden"
            )));
        }
        if value.len() > 4096 || value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(ServiceError::validation(format!(
                "headers: the value of '{name}' is not a valid header value"
            )));
        }
    }
    Ok(())
}

/// A secret a tenant supplies, in the deployment's secret format; returns it as stored.
pub fn accept_secret(profile: &DeliveryProfile, secret: &str) -> Result<String, ServiceError> {
    profile
        .secret_format
        .accept(secret)
        .map_err(|why| ServiceError::validation(format!("secret: {why}")))
}

async fn check_url(state: &AppState, raw: &str) -> Result<EndpointUrl, ServiceError> {
    let url = EndpointUrl::parse(raw, state.settings.production)?;
    if !state.settings.allow_private_networks {
        ssrf::check_resolved(url.host(), url.port())
            .await
            .map_err(|e| ServiceError::validation(format!("url: {e}")))?;
    }
    Ok(url)
}

async fn check_input(state: &AppState, input: &EndpointInput) -> Result<EndpointUrl, ServiceError> {
    validate::text("description", &input.description, 1024)?;
    if let Some(uid) = &input.uid {
        validate::uid("uid", uid)?;
    }
    if let Some(types) = &input.event_types {
        if types.len() > 500 {
            return Err(ServiceError::validation(
                "eventTypes: at most 500 event types",
            ));
        }
        for t in types {
            validate::event_type_name(t).map_err(|_| {
                ServiceError::validation(format!(
                    "eventTypes: '{t}' is not a valid event type name"
                ))
            })?;
        }
        let unknown = event_types::unknown_names(&state.db, types).await?;
        if !unknown.is_empty() {
            return Err(ServiceError::validation(format!(
                "eventTypes: unknown event type(s): {}",
                unknown.join(", ")
            )));
        }
    }
    if let Some(channels) = &input.channels {
        if channels.len() > 10 {
            return Err(ServiceError::validation("channels: at most 10 channels"));
        }
        for c in channels {
            validate::name_like("channels", c, 128)?;
        }
    }
    if let Some(rate) = input.throttle_rate {
        if !(0..=65535).contains(&rate) {
            return Err(ServiceError::validation(
                "throttleRate: must be between 0 and 65535",
            ));
        }
    }
    if let Some(secret) = &input.secret {
        accept_secret(&state.settings.delivery, secret)?;
    }
    if let Some(h) = &input.headers {
        validate_headers(h, &state.settings.delivery)?;
    }
    check_url(state, &input.url).await
}

fn list_json(list: &Option<Vec<String>>) -> Option<String> {
    list.as_ref()
        .filter(|l| !l.is_empty())
        .map(|l| Value::from(l.clone()).to_string())
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    app: &AppId,
    input: EndpointInput,
) -> Result<Endpoint, ServiceError> {
    let url = check_input(state, &input).await?;
    let now = now_ms();
    let ep = Endpoint {
        id: EndpointId::generate().to_string(),
        app_id: app.to_string(),
        uid: input.uid,
        url: url.as_str().to_owned(),
        description: input.description,
        event_types: list_json(&input.event_types),
        channels: list_json(&input.channels),
        disabled: input.disabled.into(),
        disabled_reason: input.disabled.then(|| "disabled when created".to_owned()),
        disabled_at: input.disabled.then_some(now),
        metadata: Value::Object(input.metadata).to_string(),
        headers: serde_json::to_string(&input.headers.unwrap_or_default())
            .unwrap_or_else(|_| "{}".into()),
        throttle_rate: input.throttle_rate,
        consecutive_failures: 0,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let profile = &state.settings.delivery;
    let secret = match &input.secret {
        Some(s) => accept_secret(profile, s)?,
        None => profile.secret_format.generate(),
    };
    let mut tx = state.db.write.begin().await?;
    endpoints::insert_in(&mut tx, state.db.backend, &ep, &state.key.encrypt(&secret)).await?;
    let view = endpoint_view(&ep);
    audit::write(&mut tx, actor, Some(app), "endpoint.created", &ep.id, view).await?;
    tx.commit().await?;
    Ok(ep)
}

/// Replaces the settable fields (PUT and PATCH after merging). Keeps secrets and headers unless
/// given. Enabling resets the failure count; disabling records that it was done by hand. Only a
/// real change is filed, under the action that names it (enabling and disabling are their own).
pub async fn replace(
    state: &AppState,
    actor: &Actor,
    existing: &Endpoint,
    input: EndpointInput,
) -> Result<Endpoint, ServiceError> {
    let url = check_input(state, &input).await?;
    let now = now_ms();
    let was_disabled = existing.disabled != 0;
    let (disabled_reason, disabled_at, failures) = match (was_disabled, input.disabled) {
        (false, true) => (
            Some("disabled by hand".to_owned()),
            Some(now),
            existing.consecutive_failures,
        ),
        (true, true) => (
            existing.disabled_reason.clone(),
            existing.disabled_at,
            existing.consecutive_failures,
        ),
        (_, false) => (None, None, 0),
    };
    let ep = Endpoint {
        uid: input.uid,
        url: url.as_str().to_owned(),
        description: input.description,
        event_types: list_json(&input.event_types),
        channels: list_json(&input.channels),
        disabled: input.disabled.into(),
        disabled_reason,
        disabled_at,
        metadata: Value::Object(input.metadata).to_string(),
        headers: match input.headers {
            Some(h) => serde_json::to_string(&h).unwrap_or_else(|_| "{}".into()),
            None => existing.headers.clone(),
        },
        throttle_rate: input.throttle_rate,
        consecutive_failures: failures,
        version: existing.version + 1,
        updated_at: now,
        ..existing.clone()
    };
    let app = app_id(&ep)?;
    let rotation = match input.secret {
        Some(secret) => Some(rotation(state, Some(secret), Duration::ZERO)?),
        None => None,
    };
    let mut tx = state.db.write.begin().await?;
    endpoints::update_in(&mut tx, state.db.backend, &ep).await?;
    if let Some(r) = &rotation {
        endpoints::rotate_secret_in(&mut tx, &app, &ep.id, &r.secret_enc, r.expires, r.now).await?;
    }
    let changes = audit::diff(&endpoint_view(existing), &endpoint_view(&ep));
    if !audit::is_empty(&changes) {
        let action = endpoint_edit_action(&changes);
        audit::write(&mut tx, actor, Some(&app), action, &ep.id, changes).await?;
    }
    tx.commit().await?;
    Ok(ep)
}

/// Deletes an endpoint; its deliveries go with it.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    existing: &Endpoint,
) -> Result<(), ServiceError> {
    let app = app_id(existing)?;
    let mut tx = state.db.write.begin().await?;
    endpoints::delete_in(&mut tx, &app, &existing.id).await?;
    let view = endpoint_view(existing);
    audit::write(
        &mut tx,
        actor,
        Some(&app),
        "endpoint.deleted",
        &existing.id,
        view,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn app_id(ep: &Endpoint) -> Result<AppId, ServiceError> {
    AppId::parse(&ep.app_id)
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("stored app id is malformed")))
}

impl From<&Endpoint> for EndpointInput {
    fn from(ep: &Endpoint) -> Self {
        EndpointInput {
            url: ep.url.clone(),
            description: ep.description.clone(),
            event_types: ep.event_type_list(),
            channels: ep.channel_list(),
            disabled: ep.disabled != 0,
            metadata: json_or_default(Some(&ep.metadata)),
            uid: ep.uid.clone(),
            throttle_rate: ep.throttle_rate,
            secret: None,
            headers: None,
        }
    }
}

/// The current secret, if it has not been shown before: for deployments whose secrets are
/// shown only once. `Ok(None)` when it was (and nothing is filed); the claim and the read are one
/// statement, so two tabs cannot both see it.
pub async fn reveal_once(
    state: &AppState,
    actor: &Actor,
    app: &AppId,
    id: &str,
) -> Result<Option<String>, ServiceError> {
    let mut tx = state.db.write.begin().await?;
    let Some(enc) = endpoints::claim_unrevealed_secret_in(&mut tx, app, id, now_ms()).await? else {
        return Ok(None);
    };
    let secret = decrypt(state, &enc)?;
    file_revealed(&mut tx, actor, app, id).await?;
    tx.commit().await?;
    Ok(Some(secret))
}

/// The secret new deliveries are signed with. Showing it is filed in the audit trail.
pub async fn current_secret(
    state: &AppState,
    actor: &Actor,
    app: &AppId,
    id: &str,
) -> Result<String, ServiceError> {
    let mut tx = state.db.write.begin().await?;
    let enc = endpoints::current_secret_enc_in(&mut tx, app, id)
        .await?
        .ok_or(ServiceError::NotFound("endpoint"))?;
    let secret = decrypt(state, &enc)?;
    file_revealed(&mut tx, actor, app, id).await?;
    tx.commit().await?;
    Ok(secret)
}

fn decrypt(state: &AppState, enc: &str) -> Result<String, ServiceError> {
    state
        .key
        .decrypt(enc)
        .map_err(|e| ServiceError::Internal(e.into()))
}

async fn file_revealed(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    app: &AppId,
    id: &str,
) -> Result<(), ServiceError> {
    let facts = serde_json::json!({});
    audit::write(
        conn,
        actor,
        Some(app),
        "endpoint.secret_revealed",
        id,
        facts,
    )
    .await
}

/// A new secret, ready to store: checked (or generated), encrypted, and when the old ones end.
struct Rotation {
    secret: String,
    secret_enc: String,
    expires: i64,
    now: i64,
}

fn rotation(
    state: &AppState,
    new: Option<String>,
    grace: Duration,
) -> Result<Rotation, ServiceError> {
    let profile = &state.settings.delivery;
    let secret = match &new {
        Some(s) => accept_secret(profile, s)?,
        None => profile.secret_format.generate(),
    };
    // A contract where rotation ends the old secret at once overrides the caller's grace.
    let grace = profile.rotation_grace.unwrap_or(grace);
    let now = now_ms();
    Ok(Rotation {
        secret_enc: state.key.encrypt(&secret),
        secret,
        expires: now + grace.as_millis() as i64,
        now,
    })
}

/// Makes `new` (or a fresh secret) current; the old one keeps signing for `grace`. The entry
/// records the grace asked for and whether the caller chose the key, never the key.
pub async fn rotate_secret(
    state: &AppState,
    actor: &Actor,
    app: AppId,
    id: &str,
    new: Option<String>,
    grace: Duration,
) -> Result<String, ServiceError> {
    let chosen = new.is_some();
    let r = rotation(state, new, grace)?;
    let mut tx = state.db.write.begin().await?;
    endpoints::rotate_secret_in(&mut tx, &app, id, &r.secret_enc, r.expires, r.now).await?;
    let facts =
        serde_json::json!({ "gracePeriodSeconds": grace.as_secs(), "keyChosenByCaller": chosen });
    audit::write(
        &mut tx,
        actor,
        Some(&app),
        "endpoint.secret_rotated",
        id,
        facts,
    )
    .await?;
    tx.commit().await?;
    Ok(r.secret)
}

/// Replaces the extra headers. The entry names them only: their values are often credentials.
pub async fn set_headers(
    state: &AppState,
    actor: &Actor,
    ep: &Endpoint,
    headers: BTreeMap<String, String>,
) -> Result<(), ServiceError> {
    validate_headers(&headers, &state.settings.delivery)?;
    let app = app_id(ep)?;
    let text = serde_json::to_string(&headers).unwrap_or_else(|_| "{}".into());
    let mut tx = state.db.write.begin().await?;
    endpoints::set_headers_in(&mut tx, &ep.app_id, &ep.id, &text, now_ms()).await?;
    let facts = serde_json::json!({ "headers": headers.keys().collect::<Vec<_>>() });
    audit::write(
        &mut tx,
        actor,
        Some(&app),
        "endpoint.headers_updated",
        &ep.id,
        facts,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// Reads need no rule beyond the tenant scoping the store already applies; edges reach them here
// so that every endpoint operation has one address.
pub use crate::ssr::store::endpoints::{
    get, health, list, stats, Endpoint, EndpointStats, Filter, Health, WAITING_COUNT_LIMIT,
};

#[cfg(test)]
mod sensitive_header_tests {
    use super::is_sensitive_header;

    #[test]
    fn credential_like_header_names_are_sensitive_whatever_their_spelling() {
        for name in [
            "Authorization",
            "Proxy-Authorization",
            "Cookie",
            "X-Api-Key",
            "Api-Key",
            "X-Shopify-Access-Token",
            "X-Client-Secret",
            "X-Upstream-Signature",
            "X-Session-Id",
        ] {
            assert!(is_sensitive_header(name), "{name}");
        }
        for name in ["Content-Type", "X-Tenant", "X-Request-Id", "User-Agent"] {
            assert!(!is_sensitive_header(name), "{name}");
        }
    }
}
