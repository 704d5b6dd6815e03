//! Bearer API keys. Verified keys are trusted for a short while without a query, which keeps the
//! hot path (message ingest) off the database; a revoked key stops working within that window.

use super::error::ApiError;
use super::ApiState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use herald_app::ssr::infra::crypto::sha256_hex;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::api_keys;

const TRUST_MS: i64 = 10_000;

/// Proof that the request carried a live API key, and whose it is (for the audit trail).
#[derive(Debug, Clone)]
pub struct ApiKeyAuth {
    pub key_id: String,
    pub name: String,
}

impl ApiKeyAuth {
    /// The caller as the domain files it in the audit trail.
    pub fn actor(&self) -> herald_app::ssr::domain::audit::Actor {
        herald_app::ssr::domain::audit::Actor::ApiKey {
            id: self.key_id.clone(),
            name: self.name.clone(),
        }
    }
}

impl FromRequestParts<ApiState> for ApiKeyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ApiState,
    ) -> Result<Self, Self::Rejection> {
        // The `Tenant` extractors authenticate first too: one check per request, whoever asks.
        if let Some(who) = parts.extensions.get::<ApiKeyAuth>() {
            return Ok(who.clone());
        }
        let who = authenticate(parts, state).await?;
        parts.extensions.insert(who.clone());
        Ok(who)
    }
}

async fn authenticate(parts: &Parts, state: &ApiState) -> Result<ApiKeyAuth, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing Authorization header: send 'Authorization: Bearer <API key>'",
            )
        })?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header must be 'Bearer <API key>'")
        })?;
    let hash = sha256_hex(token);
    let now = now_ms();
    if let Ok(cache) = state.key_cache.lock() {
        if let Some((until, who)) = cache.get(&hash) {
            if *until > now {
                return Ok(who.clone());
            }
        }
    }
    match api_keys::authenticate(&state.app.db, token).await? {
        Some(key) => {
            let who = ApiKeyAuth {
                key_id: key.id,
                name: key.name,
            };
            if let Ok(mut cache) = state.key_cache.lock() {
                if cache.len() > 10_000 {
                    cache.clear();
                }
                cache.insert(hash, (now + TRUST_MS, who.clone()));
            }
            Ok(who)
        }
        None => Err(ApiError::unauthorized("invalid API key")),
    }
}
