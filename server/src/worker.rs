//! Delivery workers. A dispatcher claims due deliveries (leased), sends each on its own task
//! within a concurrency limit, and a recorder writes results in batches. Each send is three typed
//! steps: prepare (what to send, signed), call (HTTP, with the SSRF guard at connection time),
//! and decide (success, retry when, or fail for good).

use herald_app::ssr::delivery::ssrf;
use herald_app::ssr::delivery::Outgoing;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::worker::{AttemptRecord, Claimed, Next, Outcome};
use herald_app::ssr::AppState;
use herald_app::ssr::{domain::endpoints, store::worker};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Semaphore};

/// Responses are stored up to this size; the rest is not read.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
const CLAIM_BATCH: usize = 256;
const RECORD_BATCH: usize = 512;
/// Longest a worker sleeps without looking for due work (other instances' retries, expired leases).
const MAX_IDLE: Duration = Duration::from_millis(1000);
/// Longest we wait for a `Retry-After` the receiver asked for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Decrypted signing keys per endpoint, valid while the endpoint's version is unchanged.
type SecretCache = HashMap<String, (i64, Arc<Vec<Vec<u8>>>)>;

pub struct Worker {
    state: AppState,
    client: reqwest::Client,
    owner: String,
    concurrency: usize,
    secrets: Mutex<SecretCache>,
}

/// Resolves host names for deliveries and refuses private, loopback, link-local and metadata
/// addresses, so the check holds for the address actually connected to (no DNS rebinding).
struct GuardedResolver;

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            if let Some(r) = ssrf::forbidden_host_name(&host) {
                return Err(format!("blocked: {host} is {r}").into());
            }
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = addrs
                .iter()
                .find(|a| ssrf::forbidden_reason(a.ip()).is_some())
            {
                let reason = ssrf::forbidden_reason(bad.ip()).unwrap_or("forbidden");
                return Err(format!("blocked: {host} resolves to {reason} ({})", bad.ip()).into());
            }
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

pub fn http_client(allow_private: bool, timeout: Duration, pool: usize) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .pool_max_idle_per_host(pool)
        .user_agent(concat!("Herald-Webhooks/", env!("CARGO_PKG_VERSION")))
        .http1_only();
    if !allow_private {
        b = b.dns_resolver(Arc::new(GuardedResolver));
    }
    b.build().unwrap_or_else(|_| reqwest::Client::new())
}

impl Worker {
    pub fn new(state: AppState, owner: String, concurrency: usize) -> Arc<Worker> {
        let client = http_client(
            state.settings.allow_private_networks,
            state.settings.request_timeout,
            concurrency,
        );
        Arc::new(Worker {
            state,
            client,
            owner,
            concurrency,
            secrets: Mutex::new(HashMap::new()),
        })
    }

    /// Runs until `shutdown` turns true, then finishes in-flight sends (up to the request timeout)
    /// and gives back any lease it still holds.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let sem = Arc::new(Semaphore::new(self.concurrency));
        let (tx, rx) = mpsc::unbounded_channel::<Outcome>();
        let recorder = tokio::spawn(self.clone().record_loop(rx));
        // Longer than any send can take, a plan's timeout included.
        let longest_send = self.state.settings.request_timeout.max(Duration::from_secs(
            herald_app::ssr::store::plans::MAX_TIMEOUT_SECONDS as u64,
        ));
        let lease_ms = (longest_send + Duration::from_secs(30)).as_millis() as i64;
        tracing::info!(worker.owner = %self.owner, concurrency = self.concurrency, "delivery worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let free = sem.available_permits();
            if free == 0 {
                // Wait for a send to finish before claiming more.
                tokio::select! {
                    p = sem.clone().acquire_owned() => drop(p),
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let claimed = match worker::claim(
                &self.state.db,
                &self.owner,
                lease_ms,
                free.min(CLAIM_BATCH) as i64,
            )
            .await
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "claiming deliveries failed");
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
            };
            let claimed = if claimed.is_empty() {
                claimed
            } else {
                let window_ms = self.state.settings.plan_window.as_millis() as i64;
                match worker::hold_over_limit(&self.state.db, &self.owner, claimed, window_ms).await
                {
                    Ok(c) => c,
                    Err(e) => {
                        // The leases run out and these come due again: nothing is lost.
                        tracing::error!(error = %e, "applying plan limits failed");
                        tokio::select! {
                            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                            _ = shutdown.changed() => {}
                        }
                        continue;
                    }
                }
            };
            if claimed.is_empty() {
                let wait = match worker::next_due_at(&self.state.db).await {
                    Ok(Some(t)) => {
                        Duration::from_millis((t - now_ms()).max(0) as u64).min(MAX_IDLE)
                    }
                    _ => MAX_IDLE,
                };
                if wait.is_zero() {
                    continue;
                }
                tokio::select! {
                    _ = self.state.wake.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            for c in claimed {
                let Ok(permit) = sem.clone().acquire_owned().await else {
                    break;
                };
                let me = self.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let outcome = me.deliver(c).await;
                    let _ = tx.send(outcome);
                    drop(permit);
                });
            }
        }
        // Let in-flight sends finish, bounded by the request timeout.
        let all = self.concurrency as u32;
        let drain = tokio::time::timeout(
            self.state.settings.request_timeout + Duration::from_secs(1),
            sem.acquire_many(all),
        )
        .await;
        if drain.is_err() {
            tracing::warn!(
                "shutdown: some deliveries were still in flight; their leases are released"
            );
        }
        drop(tx);
        let _ = recorder.await;
        match worker::release_leases_of(&self.state.db, &self.owner).await {
            Ok(n) if n > 0 => {
                tracing::info!(deliveries = n, "shutdown: released unfinished leases")
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "shutdown: could not release leases; they will expire")
            }
        }
        tracing::info!("delivery worker stopped");
    }

    async fn record_loop(self: Arc<Self>, mut rx: mpsc::UnboundedReceiver<Outcome>) {
        let mut batch = Vec::with_capacity(RECORD_BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < RECORD_BATCH {
                match rx.try_recv() {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
            let mut tries = 0;
            loop {
                match worker::record(
                    &self.state.db,
                    &self.owner,
                    &batch,
                    self.state.settings.auto_disable_after,
                )
                .await
                {
                    Ok(rec) => {
                        for (ep, reason) in rec.disabled_endpoints {
                            tracing::warn!(endpoint.id = %ep, reason = %reason, "endpoint disabled");
                        }
                        if rec.notified {
                            // Upkeep forwards whatever this misses.
                            if let Err(e) =
                                herald_app::ssr::ops::notifications::forward_pending(&self.state)
                                    .await
                            {
                                tracing::warn!(error = %e, "forwarding operational notifications failed");
                            }
                        }
                        break;
                    }
                    Err(e) if tries < 5 => {
                        tries += 1;
                        tracing::warn!(error = %e, tries, "recording delivery results failed; retrying");
                        tokio::time::sleep(Duration::from_millis(200 * tries)).await;
                    }
                    Err(e) => {
                        // The leases will expire and these deliveries will be sent again:
                        // a duplicate is better than a loss.
                        tracing::error!(error = %e, results = batch.len(), "recording delivery results failed");
                        break;
                    }
                }
            }
            batch.clear();
            // Retries recorded just now may be due before the dispatcher's next look.
            self.state.wake.notify_one();
        }
    }

    async fn deliver(&self, c: Claimed) -> Outcome {
        let base = Outcome {
            delivery_id: c.id,
            app_id: c.app_id.clone(),
            msg_id: c.msg_id.clone(),
            endpoint_id: c.endpoint_id.clone(),
            attempt: None,
            next: Next::Failed,
            disable_endpoint: None,
            auto_disable_after: c
                .plan_auto_disable_after
                .and_then(|n| u32::try_from(n).ok()),
        };
        let prepared = match self.prepare(&c).await {
            Ok(p) => p,
            Err(Skip(reason)) => {
                return Outcome {
                    next: Next::Skipped(reason),
                    ..base
                }
            }
        };
        let result = self.call(&c, &prepared).await;
        self.decide(&c, prepared, result, base)
    }

    async fn prepare(&self, c: &Claimed) -> Result<Prepared, Skip> {
        if c.disabled != 0 {
            return Err(Skip("endpoint disabled"));
        }
        let Some(payload) = c.payload.as_deref() else {
            return Err(Skip("message content was expunged"));
        };
        let profile = &self.state.settings.delivery;
        let keys = self
            .keys_for(c)
            .await
            .map_err(|_| Skip("endpoint has no usable signing secret"))?;
        let out = Outgoing {
            msg_id: &c.msg_id,
            endpoint_id: &c.endpoint_id,
            event_type: &c.event_type,
            payload,
            created_at_ms: c.msg_created_at,
            organization_id: c.app_uid.as_deref().unwrap_or(&c.app_id),
        };
        let body = profile.envelope.body(&out);
        let mut headers: BTreeMap<String, String> =
            herald_app::ssr::store::json_or_default(Some(&c.headers));
        headers.insert("content-type".into(), "application/json".into());
        for (k, v) in profile.headers(&keys, &out, now_ms() / 1000, body.as_bytes()) {
            headers.insert(k, v);
        }
        Ok(Prepared { body, headers })
    }

    /// The HMAC keys of the endpoint's signing secrets, newest first, cached per endpoint version.
    async fn keys_for(&self, c: &Claimed) -> Result<Arc<Vec<Vec<u8>>>, ()> {
        if let Ok(cache) = self.secrets.lock() {
            if let Some((version, s)) = cache.get(&c.endpoint_id) {
                if *version == c.version {
                    return Ok(s.clone());
                }
            }
        }
        let texts = endpoints::signing_secrets(&self.state, &c.endpoint_id).await.map_err(|e| {
            tracing::error!(endpoint.id = %c.endpoint_id, error = %e, "loading signing secrets failed");
        })?;
        let format = self.state.settings.delivery.secret_format;
        let keys: Vec<Vec<u8>> = texts.iter().filter_map(|t| format.key(t)).collect();
        if keys.is_empty() {
            return Err(());
        }
        let keys = Arc::new(keys);
        if let Ok(mut cache) = self.secrets.lock() {
            if cache.len() > 100_000 {
                cache.clear();
            }
            cache.insert(c.endpoint_id.clone(), (c.version, keys.clone()));
        }
        Ok(keys)
    }

    async fn call(&self, c: &Claimed, p: &Prepared) -> CallResult {
        let started = Instant::now();
        // Endpoints made before a deployment went to production may still be plain http.
        if self.state.settings.production && c.url.starts_with("http://") {
            return CallResult::Error {
                class: "blocked",
                message: "plain http is refused in production: the endpoint needs an https URL"
                    .into(),
                duration: started.elapsed(),
            };
        }
        if !self.state.settings.allow_private_networks {
            if let Err(e) = url_ip_allowed(&c.url) {
                return CallResult::Error {
                    class: "blocked",
                    message: e,
                    duration: started.elapsed(),
                };
            }
        }
        let mut req = self.client.post(&c.url).body(p.body.clone());
        if let Some(secs) = c.plan_timeout_seconds.filter(|s| *s > 0) {
            req = req.timeout(Duration::from_secs(secs as u64));
        }
        for (k, v) in &p.headers {
            req = req.header(k, v);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let class = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connection"
                } else {
                    "request"
                };
                return CallResult::Error {
                    class,
                    message: error_chain(&e),
                    duration: started.elapsed(),
                };
            }
        };
        let status = resp.status().as_u16();
        let headers: BTreeMap<String, String> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let mut body = Vec::new();
        let mut resp = resp;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_RESPONSE_BYTES - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if body.len() >= MAX_RESPONSE_BYTES {
                        break;
                    }
                }
                Ok(None) => break,
                // The status already decides the attempt; a broken body just stays partial.
                Err(_) => break,
            }
        }
        CallResult::Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            retry_after,
            duration: started.elapsed(),
        }
    }

    fn decide(&self, c: &Claimed, p: Prepared, result: CallResult, base: Outcome) -> Outcome {
        let settings = &self.state.settings;
        let request_headers = serde_json::to_string(&redact(&p.headers)).unwrap_or_default();
        let created_at = now_ms();
        let (succeeded, code, response, response_headers, error, duration, retry_after) =
            match result {
                CallResult::Response {
                    status,
                    headers,
                    body,
                    retry_after,
                    duration,
                } => (
                    (200..300).contains(&status),
                    i64::from(status),
                    body,
                    serde_json::to_string(&headers).unwrap_or_default(),
                    None,
                    duration,
                    retry_after,
                ),
                CallResult::Error {
                    class,
                    message,
                    duration,
                } => (
                    false,
                    0,
                    String::new(),
                    "{}".to_owned(),
                    Some(format!("{class}: {message}")),
                    duration,
                    None,
                ),
            };
        let attempt = AttemptRecord {
            url: c.url.clone(),
            succeeded,
            response_status_code: code,
            response,
            response_headers,
            request_headers,
            duration_ms: duration.as_millis() as i64,
            trigger_type: c.trigger_type,
            error,
            created_at,
        };
        if succeeded {
            return Outcome {
                attempt: Some(attempt),
                next: Next::Succeeded,
                ..base
            };
        }
        if code == 410 {
            return Outcome {
                attempt: Some(attempt),
                next: Next::Failed,
                disable_endpoint: Some("the endpoint answered 410 Gone".into()),
                ..base
            };
        }
        let done = c.attempts as usize; // attempts before this one
        let plan_schedule = c
            .plan_retry_schedule
            .as_deref()
            .map(herald_app::ssr::store::plans::schedule_delays);
        let schedule = plan_schedule.as_ref().unwrap_or(&settings.retry_schedule);
        let next = match schedule.get(done) {
            Some(delay) => {
                let delay = match retry_after {
                    Some(ra) => ra.min(MAX_RETRY_AFTER),
                    None => settings.delivery.jittered(*delay),
                };
                Next::RetryAt(created_at + delay.as_millis() as i64)
            }
            None => Next::Failed,
        };
        Outcome {
            attempt: Some(attempt),
            next,
            ..base
        }
    }
}

struct Skip(&'static str);

struct Prepared {
    body: String,
    headers: BTreeMap<String, String>,
}

enum CallResult {
    Response {
        status: u16,
        headers: BTreeMap<String, String>,
        body: String,
        retry_after: Option<Duration>,
        duration: Duration,
    },
    Error {
        class: &'static str,
        message: String,
        duration: Duration,
    },
}

/// `Retry-After` as seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v.trim()).ok()?;
    let ms = when.timestamp_millis() - now_ms();
    Some(Duration::from_millis(ms.max(0) as u64))
}

/// The URL's host, if it is an IP literal, must be an allowed address (names go through the resolver).
fn url_ip_allowed(raw: &str) -> Result<(), String> {
    let url = url::Url::parse(raw).map_err(|e| format!("invalid URL: {e}"))?;
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        _ => return Ok(()),
    };
    match ssrf::forbidden_reason(ip) {
        Some(r) => Err(format!("blocked: {ip} is {r}")),
        None => Ok(()),
    }
}

fn redact(headers: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(k, v)| {
            if endpoints::is_sensitive_header(k) {
                (k.clone(), "<redacted>".to_owned())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
