//! Logging set-up and the per-request span. The policy (levels, field names, what is never
//! logged) is LOGGING.md at the repository root.

use crate::config::LogFormat;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, Response};
use axum::Router;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;
use tracing_subscriber::EnvFilter;

const DEFAULT_FILTER: &str = "info,sqlx=warn,hyper=warn,reqwest=warn";

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A client's request id longer than this is replaced by ours: it lands in every log line.
const MAX_REQUEST_ID_LEN: usize = 128;

pub fn init(format: LogFormat) {
    let (filter, problem) = filter(
        std::env::var("HERALD_LOG").ok(),
        std::env::var("RUST_LOG").ok(),
    );
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Logs go to stderr: stdout carries command output (e.g. the key `api-key create` prints).
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
    if let Some(problem) = problem {
        tracing::warn!(error = %problem, "log filter refused; using the next one");
    }
}

/// `HERALD_LOG` wins over `RUST_LOG`, which wins over the default. A filter that does not parse
/// is skipped (and reported once logging is up) rather than silencing everything.
fn filter(herald: Option<String>, rust: Option<String>) -> (EnvFilter, Option<String>) {
    let mut problem = None;
    for (name, value) in [("HERALD_LOG", herald), ("RUST_LOG", rust)] {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        match EnvFilter::try_new(&value) {
            Ok(f) => return (f, problem),
            Err(e) => {
                problem.get_or_insert(format!("{name}={value:?}: {e}"));
            }
        }
    }
    (EnvFilter::new(DEFAULT_FILTER), problem)
}

/// Every request gets an id (the client's `x-request-id` if it sent a usable one), echoed in the
/// response, and one span carrying it; one `info` line when the response is ready.
pub fn http_requests(router: Router) -> Router {
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(on_response)
                // The response line carries the status; a 5xx's cause is logged where it arose.
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unusable_request_id))
}

/// A client's id is kept when it is short, printable ASCII; otherwise we make our own.
async fn drop_unusable_request_id(mut req: Request) -> Request {
    let usable = req
        .headers()
        .get(&REQUEST_ID)
        .map(|v| usable_request_id(v.as_bytes()));
    if usable == Some(false) {
        req.headers_mut().remove(&REQUEST_ID);
    }
    req
}

fn usable_request_id(v: &[u8]) -> bool {
    !v.is_empty() && v.len() <= MAX_REQUEST_ID_LEN && v.iter().all(|b| b.is_ascii_graphic())
}

fn request_span(req: &Request<Body>) -> Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // The path only: a query string may carry a magic-link token, and an invite's path its token.
    tracing::info_span!(
        "request",
        request.id = %id,
        http.method = %req.method(),
        http.path = %crate::web::loggable_path(req.uri().path()),
    )
}

fn on_response(res: &Response<Body>, latency: Duration, _span: &Span) {
    tracing::info!(
        http.status = res.status().as_u16(),
        duration_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
        "request"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn herald_log_wins_over_rust_log() {
        let (f, problem) = filter(Some("debug".into()), Some("error".into()));
        assert_eq!(f.to_string(), "debug");
        assert!(problem.is_none());
    }

    #[test]
    fn rust_log_is_used_when_herald_log_is_absent_or_broken() {
        let (f, _) = filter(None, Some("warn".into()));
        assert_eq!(f.to_string(), "warn");
        let (f, problem) = filter(Some("herald=notalevel".into()), Some("warn".into()));
        assert_eq!(f.to_string(), "warn");
        assert!(problem.is_some_and(|p| p.starts_with("HERALD_LOG")));
    }

    #[test]
    fn without_either_the_default_applies() {
        let (f, _) = filter(None, Some("  ".into()));
        assert_eq!(f.to_string(), EnvFilter::new(DEFAULT_FILTER).to_string());
    }

    #[test]
    fn long_or_unprintable_request_ids_are_not_kept() {
        assert!(usable_request_id(b"req-42"));
        assert!(!usable_request_id(b""));
        assert!(!usable_request_id(b"has space"));
        assert!(!usable_request_id("x".repeat(129).as_bytes()));
    }
}
