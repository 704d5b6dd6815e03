//! Prepare: what to send (the envelope, the endpoint's headers) and its signatures.
//!
//! Decrypted keys are cached per endpoint so a busy endpoint costs no query per delivery. An
//! entry is good while the endpoint's version is unchanged (a rotation bumps it) and until the
//! earliest grace period among its secrets ends: a rotated-out secret must stop signing then,
//! not at the next restart.

use herald_app::ssr::delivery::state::SkipReason;
use herald_app::ssr::delivery::Outgoing;
use herald_app::ssr::domain::attempts::REDACTED;
use herald_app::ssr::domain::endpoints;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::worker::{self as queue, Claimed};
use herald_app::ssr::AppState;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Cached entries beyond this are dropped wholesale; a miss costs one query.
const MAX_CACHED_ENDPOINTS: usize = 100_000;

/// What one try sends: the body and the headers exactly as they go on the wire (names in lower
/// case, as HTTP/1 writes them), and what its attempt record keeps of them.
pub struct Prepared {
    pub body: String,
    pub headers: BTreeMap<String, String>,
    /// The body is the message's payload byte for byte (the raw envelope): the record points
    /// to the payload instead of keeping a copy.
    pub body_is_payload: bool,
    /// The endpoint's own headers whose names look like credentials: the record keeps
    /// [`REDACTED`] for them. Herald's signature headers are not secrets (the receiver gets
    /// them) and are kept, so a signature can be checked against the recorded body.
    pub sensitive: Vec<String>,
}

impl Prepared {
    /// The request headers as the attempt record keeps them (a JSON object).
    pub fn recorded_headers(&self) -> String {
        let kept: BTreeMap<&str, &str> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if self.sensitive.iter().any(|s| s == k) {
                    (k.as_str(), REDACTED)
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        serde_json::to_string(&kept).unwrap_or_default()
    }
}

/// Why a claimed delivery was not prepared.
#[derive(Debug)]
pub enum NotPrepared {
    /// Nothing will ever be sent for it: recorded as skipped, with this reason.
    Skip(SkipReason),
    /// The signing secrets could not be loaded now (a database error, a secrets key that does
    /// not decrypt them): a failed try, retried on the schedule. The text says which, and
    /// never holds secret material.
    SecretsUnavailable(String),
}

struct CachedKeys {
    version: i64,
    /// The earliest end of a grace period among the secrets, in ms; `None`: none expires.
    valid_until: Option<i64>,
    keys: Arc<Vec<Vec<u8>>>,
}

#[derive(Default)]
pub struct KeyCache(Mutex<HashMap<String, CachedKeys>>);

impl KeyCache {
    fn get(&self, endpoint_id: &str, version: i64, now: i64) -> Option<Arc<Vec<Vec<u8>>>> {
        let cache = self.0.lock().ok()?;
        let e = cache.get(endpoint_id)?;
        let fresh = e.version == version && e.valid_until.is_none_or(|t| now < t);
        fresh.then(|| e.keys.clone())
    }

    fn put(&self, endpoint_id: &str, entry: CachedKeys) {
        if let Ok(mut cache) = self.0.lock() {
            if cache.len() > MAX_CACHED_ENDPOINTS {
                cache.clear();
            }
            cache.insert(endpoint_id.to_owned(), entry);
        }
    }
}

pub async fn prepare(
    state: &AppState,
    cache: &KeyCache,
    c: &Claimed,
) -> Result<Prepared, NotPrepared> {
    let Some(payload) = c.payload.as_deref() else {
        return Err(NotPrepared::Skip(SkipReason::Expunged));
    };
    let profile = &state.settings.delivery;
    let keys = keys_for(state, cache, c).await?;
    let out = Outgoing {
        msg_id: &c.msg_id,
        endpoint_id: &c.endpoint_id,
        event_type: &c.event_type,
        payload,
        created_at_ms: c.msg_created_at,
        organization_id: c.app_uid.as_deref().unwrap_or(&c.app_id),
    };
    let body = profile.envelope.body(&out);
    let custom: BTreeMap<String, String> =
        herald_app::ssr::store::json_or_default(Some(&c.headers));
    let mut sensitive = Vec::new();
    let mut headers = BTreeMap::new();
    for (k, v) in custom {
        let k = k.to_ascii_lowercase();
        if endpoints::is_sensitive_header(&k) {
            sensitive.push(k.clone());
        }
        headers.insert(k, v);
    }
    headers.insert("content-type".into(), "application/json".into());
    for (k, v) in profile.headers(&keys, &out, now_ms() / 1000, body.as_bytes()) {
        let k = k.to_ascii_lowercase();
        sensitive.retain(|s| s != &k);
        headers.insert(k, v);
    }
    // Said explicitly, not left to the client's default, so the record holds what was sent.
    headers
        .entry("user-agent".into())
        .or_insert_with(|| super::call::USER_AGENT.to_owned());
    headers
        .entry("accept".into())
        .or_insert_with(|| "*/*".into());
    Ok(Prepared {
        body_is_payload: body == payload,
        body,
        headers,
        sensitive,
    })
}

/// The HMAC keys of the endpoint's signing secrets, newest first.
async fn keys_for(
    state: &AppState,
    cache: &KeyCache,
    c: &Claimed,
) -> Result<Arc<Vec<Vec<u8>>>, NotPrepared> {
    let now = now_ms();
    if let Some(keys) = cache.get(&c.endpoint_id, c.version, now) {
        return Ok(keys);
    }
    let rows = queue::signing_secrets(&state.db, &c.endpoint_id, now)
        .await
        .map_err(|e| {
            tracing::warn!(endpoint.id = %c.endpoint_id, error = %e, "loading signing secrets failed");
            NotPrepared::SecretsUnavailable(
                "the endpoint's signing secret could not be loaded (database error)".into(),
            )
        })?;
    let mut texts = Vec::with_capacity(rows.len());
    for r in &rows {
        let text = state.key.decrypt(&r.secret_enc).map_err(|_| {
            tracing::warn!(endpoint.id = %c.endpoint_id, "a signing secret does not decrypt with HERALD_SECRETS_KEY");
            NotPrepared::SecretsUnavailable(
                "the endpoint's signing secret could not be loaded (it does not decrypt with \
                 the configured HERALD_SECRETS_KEY)"
                    .into(),
            )
        })?;
        texts.push(text);
    }
    let format = state.settings.delivery.secret_format;
    let keys: Vec<Vec<u8>> = texts.iter().filter_map(|t| format.key(t)).collect();
    if keys.is_empty() {
        return Err(NotPrepared::Skip(SkipReason::NoSecret));
    }
    let keys = Arc::new(keys);
    cache.put(
        &c.endpoint_id,
        CachedKeys {
            version: c.version,
            valid_until: rows.iter().filter_map(|r| r.expires_at).min(),
            keys: keys.clone(),
        },
    );
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(version: i64, valid_until: Option<i64>) -> CachedKeys {
        CachedKeys {
            version,
            valid_until,
            keys: Arc::new(vec![b"k".to_vec()]),
        }
    }

    #[test]
    fn a_cached_key_set_expires_when_its_earliest_grace_period_ends() {
        let cache = KeyCache::default();
        cache.put("ep_1", entry(3, Some(1_000)));
        assert!(cache.get("ep_1", 3, 999).is_some());
        assert!(
            cache.get("ep_1", 3, 1_000).is_none(),
            "the old secret's grace is over"
        );
        assert!(cache.get("ep_1", 4, 10).is_none(), "the endpoint changed");
        cache.put("ep_2", entry(1, None));
        assert!(cache.get("ep_2", 1, i64::MAX).is_some());
    }
}
