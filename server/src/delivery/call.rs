//! Call: the HTTP request, with the SSRF guard applied to the address actually connected to.
//!
//! The guard lives in the client's DNS resolver, so it only holds while reqwest resolves the
//! target itself: a proxy taken from `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` would resolve it
//! instead, unchecked. The client therefore ignores the environment's proxies, and a delivery
//! proxy the operator configures explicitly gets the target checked here before each send.

use super::decide::{CallResult, ErrorClass};
use super::prepare::Prepared;
use herald_app::ssr::delivery::ssrf;
use herald_app::ssr::store::worker::Claimed;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Sent on every delivery unless the profile or the endpoint says otherwise.
pub const USER_AGENT: &str = concat!("Herald-Webhooks/", env!("CARGO_PKG_VERSION"));

/// Responses are stored up to this size; the rest is not read.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// How the worker's HTTP client reaches endpoints.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub allow_private_networks: bool,
    pub timeout: Duration,
    pub pool_per_host: usize,
    /// An outbound proxy for deliveries, configured by the operator (`HERALD_DELIVERY_PROXY`).
    pub proxy: Option<String>,
}

/// The client could not be built: start-up stops, since a client without the guard, the
/// redirect policy or the timeout must never send.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("HERALD_DELIVERY_PROXY: not a usable proxy URL ({0})")]
    Proxy(String),
    #[error("cannot build the delivery HTTP client ({0})")]
    Build(String),
}

/// The SSRF guard refused an address; typed, so a refusal is told apart from a DNS failure.
#[derive(Debug)]
struct Blocked(String);

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Blocked {}

/// Resolves host names for deliveries and refuses private, loopback, link-local and metadata
/// addresses, so the check holds for the address actually connected to (no DNS rebinding).
struct GuardedResolver;

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let addrs = guarded_lookup(name.as_str(), 0).await?;
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

/// The host's addresses, or an error when the name or any address it resolves to is forbidden.
async fn guarded_lookup(
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    if let Some(r) = ssrf::forbidden_host_name(host) {
        return Err(Box::new(Blocked(format!("blocked: {host} is {r}"))));
    }
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port)).await?.collect();
    for a in &addrs {
        if let Some(reason) = ssrf::forbidden_reason(a.ip()) {
            return Err(Box::new(Blocked(format!(
                "blocked: {host} resolves to {reason} ({})",
                a.ip()
            ))));
        }
    }
    Ok(addrs)
}

pub fn http_client(o: &ClientOptions) -> Result<reqwest::Client, ClientError> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(o.timeout)
        .connect_timeout(o.timeout.min(Duration::from_secs(10)))
        .pool_max_idle_per_host(o.pool_per_host)
        .user_agent(USER_AGENT);
    b = match &o.proxy {
        Some(url) => {
            b.proxy(reqwest::Proxy::all(url).map_err(|e| ClientError::Proxy(error_chain(&e)))?)
        }
        None => b.no_proxy(),
    };
    b = b.http1_only();
    if !o.allow_private_networks {
        b = b.dns_resolver(Arc::new(GuardedResolver));
    }
    b.build().map_err(|e| ClientError::Build(error_chain(&e)))
}

/// The try's result for [`super::decide`], and what the attempt record keeps of it.
pub struct Called {
    pub result: CallResult,
    pub status: u16,
    pub response_headers: BTreeMap<String, String>,
    pub body: String,
    /// The response went on past [`MAX_RESPONSE_BYTES`]; `body` holds its start.
    pub truncated: bool,
    /// `class: message`, when no response came.
    pub error: Option<String>,
    pub duration: Duration,
}

impl Called {
    pub fn failed(class: ErrorClass, message: String, duration: Duration) -> Called {
        Called {
            result: CallResult::Error { class },
            status: 0,
            response_headers: BTreeMap::new(),
            body: String::new(),
            truncated: false,
            error: Some(format!("{}: {message}", class.as_str())),
            duration,
        }
    }

    pub fn class(&self) -> Option<ErrorClass> {
        match self.result {
            CallResult::Error { class } => Some(class),
            CallResult::Response { .. } => None,
        }
    }
}

pub struct Guard {
    pub production: bool,
    pub allow_private_networks: bool,
    /// Sends go through an operator-configured proxy, which resolves the target itself.
    pub proxied: bool,
}

pub async fn call(client: &reqwest::Client, guard: &Guard, c: &Claimed, p: &Prepared) -> Called {
    let started = Instant::now();
    // Endpoints made before a deployment went to production may still be plain http.
    if guard.production && c.url.starts_with("http://") {
        return Called::failed(
            ErrorClass::Blocked,
            "plain http is refused in production: the endpoint needs an https URL".into(),
            started.elapsed(),
        );
    }
    if !guard.allow_private_networks {
        if let Err(e) = target_allowed(&c.url, guard.proxied).await {
            return Called::failed(ErrorClass::Blocked, e, started.elapsed());
        }
    }
    let mut req = client.post(&c.url).body(p.body.clone());
    if let Some(secs) = c.plan_timeout_seconds.filter(|s| *s > 0) {
        req = req.timeout(Duration::from_secs(secs as u64));
    }
    for (k, v) in &p.headers {
        req = req.header(k, v);
    }
    let mut resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            let class = if is_blocked(&e) {
                ErrorClass::Blocked
            } else if e.is_timeout() {
                ErrorClass::Timeout
            } else if e.is_connect() {
                ErrorClass::Connection
            } else {
                ErrorClass::Request
            };
            return Called::failed(class, error_chain(&e), started.elapsed());
        }
    };
    let status = resp.status().as_u16();
    let response_headers: BTreeMap<String, String> = resp
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
        .map(str::to_owned);
    let mut body = Vec::new();
    let mut truncated = false;
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_RESPONSE_BYTES - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if chunk.len() > room {
                    truncated = true;
                    break;
                }
                if body.len() >= MAX_RESPONSE_BYTES {
                    // Exactly full: only a further byte makes it truncated.
                    truncated = matches!(resp.chunk().await, Ok(Some(c)) if !c.is_empty());
                    break;
                }
            }
            Ok(None) => break,
            // The status already decides the attempt; a broken body just stays partial.
            Err(_) => break,
        }
    }
    Called {
        result: CallResult::Response {
            status,
            retry_after,
        },
        status,
        response_headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        truncated,
        error: None,
        duration: started.elapsed(),
    }
}

/// The URL's host may be reached: an IP literal must be an allowed address (names go through
/// the resolver at connection time). Through a proxy the resolver never sees the target, so the
/// name is resolved and checked here; one that does not resolve is refused, since the proxy
/// might resolve it to an internal address.
async fn target_allowed(raw: &str, proxied: bool) -> Result<(), String> {
    let url = url::Url::parse(raw).map_err(|e| format!("invalid URL: {e}"))?;
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        Some(url::Host::Domain(name)) if proxied => {
            let port = url.port_or_known_default().unwrap_or(443);
            let lookup =
                tokio::time::timeout(Duration::from_secs(5), guarded_lookup(name, port)).await;
            return match lookup {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) if e.is::<Blocked>() => Err(e.to_string()),
                Ok(Err(e)) => Err(format!("blocked: {name} could not be resolved ({e})")),
                Err(_) => Err(format!("blocked: resolving {name} timed out")),
            };
        }
        _ => return Ok(()),
    };
    match ssrf::forbidden_reason(ip) {
        Some(r) => Err(format!("blocked: {ip} is {r}")),
        None => Ok(()),
    }
}

fn is_blocked(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(inner) = cur {
        if inner.is::<Blocked>() {
            return true;
        }
        cur = inner.source();
    }
    false
}

pub fn error_chain(e: &dyn std::error::Error) -> String {
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

    fn options(proxy: Option<&str>) -> ClientOptions {
        ClientOptions {
            allow_private_networks: false,
            timeout: Duration::from_secs(5),
            pool_per_host: 4,
            proxy: proxy.map(str::to_owned),
        }
    }

    #[test]
    fn a_proxy_that_is_not_a_url_stops_the_client_from_being_built() {
        let e = http_client(&options(Some("not a proxy url at all"))).expect_err("bad proxy");
        assert!(e.to_string().starts_with("HERALD_DELIVERY_PROXY:"), "{e}");
        assert!(http_client(&options(None)).is_ok());
        assert!(http_client(&options(Some("http://127.0.0.1:3128"))).is_ok());
    }

    #[tokio::test]
    async fn through_a_proxy_the_target_name_is_checked_before_sending() {
        assert!(target_allowed("http://localhost:8080/x", true)
            .await
            .is_err());
        // /etc/hosts-style names for loopback are caught by their address, not their name.
        let e = target_allowed("http://127.0.0.1:8080/x", true)
            .await
            .expect_err("loopback");
        assert!(e.contains("loopback"), "{e}");
        let e = target_allowed("http://no-such-host.invalid/x", true)
            .await
            .expect_err("unresolvable");
        assert!(e.starts_with("blocked:"), "{e}");
        // Without a proxy, names are left to the resolver at connection time.
        assert!(target_allowed("http://no-such-host.invalid/x", false)
            .await
            .is_ok());
    }
}
