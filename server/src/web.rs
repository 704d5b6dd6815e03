//! The server-rendered site: Leptos pages, server functions and the built front-end assets
//! (`/pkg/herald.{js,wasm,css}` and everything from `public/`), plus the browser-facing rules
//! around them: the magic-link exchange, CSRF protection and who may frame the portal.

use std::net::SocketAddr;

use axum::extract::Request;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use herald_app::portal::PortalError;
use herald_app::ssr::portal_auth::{session_cookies, status_of};
use herald_app::ssr::store::sessions;
use herald_app::ssr::AppState;
use herald_app::{shell, App, StylesheetHref};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{file_and_error_handler, generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Must equal `name` in `[[workspace.metadata.leptos]]`: cargo-leptos writes
/// `<site-root>/pkg/herald.{js,wasm,css}` and the pages link to those names.
const OUTPUT_NAME: &str = "herald";

/// Options built from our own configuration, not from cargo-leptos's environment variables:
/// the release binary is started directly and tests start the app through `cargo test`, where
/// those variables are absent. A `site_root` that does not exist is fine; the pages then render
/// without their script and stylesheet, which only matters in a browser.
fn leptos_options(
    site_root: &str,
    site_addr: SocketAddr,
    hashes: Option<&SiteHashes>,
) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .env(if cfg!(debug_assertions) {
            Env::DEV
        } else {
            Env::PROD
        })
        // Leptos looks for the hash file beside the executable; an absolute path overrides that.
        .hash_files(hashes.is_some())
        .hash_file(hashes.map_or_else(|| "hash.txt".into(), |h| h.file.to_string_lossy().into()))
        .build()
}

/// The content hashes `scripts/build-site.sh` wrote to `<site-root>/hash.txt`, one `ext: hash`
/// line per asset. `None` when the site was built without them (or not at all): the pages then
/// link to the plain names.
#[derive(Debug, Clone)]
struct SiteHashes {
    file: std::path::PathBuf,
    css: Option<String>,
}

fn site_hashes(site_root: &str) -> Option<SiteHashes> {
    let root = std::path::Path::new(site_root);
    let root = if root.is_absolute() {
        root.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(root)
    };
    let file = root.join("hash.txt");
    let text = std::fs::read_to_string(&file).ok()?;
    let hash_of = |ext: &str| {
        text.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == ext)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
    };
    // Leptos needs both; without them the plain names are served and linked.
    hash_of("js")?;
    hash_of("wasm")?;
    Some(SiteHashes {
        css: hash_of("css"),
        file,
    })
}

/// A content-hashed asset (`herald.<16 hex>.<ext>`, with a `.br`/`.gz` of it served in its
/// place): its bytes never change under that name.
fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(OUTPUT_NAME), Some(h), Some("js" | "wasm" | "css"))
            if h.len() == 16 && h.chars().all(|c| c.is_ascii_hexdigit())
    ) && parts.next().is_none()
}

/// How long browsers keep what the site serves: a hashed asset for a year without asking
/// again; any other file (a plain-named asset, the favicon) is checked with the server before
/// each use, so a new build shows at once. Pages are rendered for their viewer and not cached.
async fn cache_policy(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let (hashed, server_fn) = (is_hashed_asset(path), path.contains("/fn/"));
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let value = if !res.status().is_success() {
        "no-store"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else if is_html(&res) || server_fn {
        "no-store"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same URL is sent as brotli, gzip or plain by what the browser accepts: a shared cache
    // in between must keep them apart.
    if value != "no-store" && !res.headers().contains_key(header::VARY) {
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Every page route, the server functions, and a fallback that serves files from the site root
/// or renders the app's 404 page. It owns the router fallback, so routers merged with it must
/// not set one of their own (axum panics on two); nest those under a path instead.
pub fn site_router(site_root: &str, site_addr: SocketAddr, state: AppState) -> Router {
    // Read once, at start-up: the site is built before the server starts.
    let hashes = site_hashes(site_root);
    let options = leptos_options(site_root, site_addr, hashes.as_ref());
    let routes = route_list();
    let for_context = state.clone();
    let stylesheet = StylesheetHref(hashes.and_then(|h| h.css).map_or_else(
        || format!("/pkg/{OUTPUT_NAME}.css"),
        |h| format!("/pkg/{OUTPUT_NAME}.{h}.css"),
    ));
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(for_context.clone());
                provide_context(stylesheet.clone());
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(file_and_error_handler(shell))
        .with_state(options);
    let access = Router::new()
        .route("/portal/access", axum::routing::get(portal_access))
        .with_state(state.clone());
    access
        .merge(pages)
        // Pages and server-function answers; the built assets are served precompressed
        // already (their Content-Encoding makes this layer pass them by).
        // Level 4: most of the gain at a small cost per page (brotli's default, 11, takes
        // milliseconds per page and far more for an asset without a precompressed copy).
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(4)),
        )
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(axum::middleware::from_fn(server_fn_guard))
        .layer(axum::middleware::from_fn_with_state(state, browser_guard))
}

/// Portal forms are a few fields; the console's largest is a catalogue file, URL-encoded.
const PORTAL_FN_MAX_BODY: usize = 64 * 1024;
const ADMIN_FN_MAX_BODY: usize = 8 * 1024 * 1024;

/// The server functions' request shape, checked before a function (and its auth check) runs,
/// and the status of the errors the framework answers for itself.
///
/// Leptos reads a server function's body without a limit and answers every failure it meets
/// before the function runs (a body that is not UTF-8, a form missing a field, a value of the
/// wrong type) with 500. So: bodies over the limit are refused with 413, bodies that are not a
/// UTF-8 URL-encoded form with 400, and an error the function did not get to answer itself is
/// given its own status (an argument error 400, "not found" 404) instead of 500.
async fn server_fn_guard(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let limit = if path.starts_with("/portal/fn/") {
        PORTAL_FN_MAX_BODY
    } else if path.starts_with("/admin/fn/") {
        ADMIN_FN_MAX_BODY
    } else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large(limit);
    }
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) if is_length_limit(&e) => return too_large(limit),
        Err(e) => {
            tracing::info!(error = %e, "server function: the request body could not be read");
            return malformed("The request body could not be read.");
        }
    };
    if !bytes.is_empty() {
        let form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form {
            return malformed("Send the fields as a URL-encoded form.");
        }
        if std::str::from_utf8(&bytes).is_err() {
            return malformed("The form is not valid UTF-8.");
        }
        // PostgreSQL text cannot hold NUL: refused here, once, for every server function,
        // rather than as a database error (a 500) in whichever one stores it.
        if let Some((field, _)) =
            url::form_urlencoded::parse(&bytes).find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            let field: String = field.chars().filter(|c| !c.is_control()).take(64).collect();
            return malformed(&format!("{field}: must not contain a NUL character."));
        }
    }
    let res = next
        .run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await;
    unanswered_error_status(res).await
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn too_large(limit: usize) -> Response {
    error_answer(
        StatusCode::PAYLOAD_TOO_LARGE,
        PortalError::Invalid(format!(
            "The request is too large (over {} KiB).",
            limit / 1024
        )),
    )
}

fn malformed(why: &str) -> Response {
    error_answer(
        StatusCode::BAD_REQUEST,
        PortalError::Invalid(why.to_owned()),
    )
}

/// The answer in the shape the pages decode a server function's error from.
fn error_answer(status: StatusCode, e: PortalError) -> Response {
    let body = serde_json::to_string(&e).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Server functions give their errors a status through `fail`; an error answered with the
/// framework's 500 never went through it, so it failed before the function ran (its arguments)
/// or was returned bare. Only a genuine server error keeps 500.
async fn unanswered_error_status(res: Response) -> Response {
    let framework_error = res.status() == StatusCode::INTERNAL_SERVER_ERROR
        && res.headers().contains_key(SERVER_FN_ERROR_HEADER);
    if !framework_error {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // An error body is one small JSON value; anything larger is not ours to reinterpret.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(e) = serde_json::from_slice::<PortalError>(&bytes) {
        parts.status = match e {
            PortalError::Invalid(_) => StatusCode::BAD_REQUEST,
            other => status_of(&other),
        };
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The app's routes, generated once per process.
///
/// Generating them renders the app with resource loading switched off through a flag that
/// leptos keeps for the whole process: a resource first polled by a request while another
/// router is being built would wait forever. One process serves one router, but tests build
/// many side by side, and a page render would hang about one run in ten.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A request path as it may be logged (the request span logs paths, never queries, where a
/// magic link carries its token): an invite link's token replaced by a placeholder.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/invite/") {
        "/invite/{token}"
    } else {
        path
    }
}

#[derive(serde::Deserialize)]
struct AccessParams {
    token: Option<String>,
}

/// `GET /portal/access?token=…`: the magic link. A good link becomes a session cookie and a
/// redirect to a URL without the token (so it is not left in history or Referer headers); any
/// other goes to the "expired" page, which answers 410.
async fn portal_access(State(state): State<AppState>, Query(p): Query<AccessParams>) -> Response {
    let token = p.token.unwrap_or_default();
    if token.is_empty() || token.len() > 128 {
        return Redirect::to("/portal/expired").into_response();
    }
    match sessions::exchange_link(&state.db, &token).await {
        Ok(Ok((session, app))) => {
            let started = sessions::lookup(&state.db, &session.0).await.ok().flatten();
            let secs = started
                .as_ref()
                .map(|s| (s.expires_at - herald_app::ssr::infra::time::now_ms()) / 1000)
                .unwrap_or(3600)
                .max(60);
            let locale = started.and_then(|s| s.locale);
            tracing::info!(app = %app, "portal: magic link exchanged for a session");
            let mut res = Redirect::to(&format!("/portal/{app}")).into_response();
            for cookie in session_cookies(&state.settings, &session.0, secs, locale) {
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            res.headers_mut().insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            res
        }
        Ok(Err(_)) => {
            tracing::info!("portal: magic link refused (unknown, used or expired)");
            Redirect::to("/portal/expired").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "portal: magic link exchange failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.",
            )
                .into_response()
        }
    }
}

/// For every browser-facing response: state-changing requests must come from our own pages
/// (CSRF), and only our own pages or the configured embedding origins may frame us.
///
/// CSRF: the session cookie is `SameSite=None` so that it works inside the host product's
/// iframe, so SameSite cannot be the defence. Browsers send `Origin` (and `Sec-Fetch-Site`) on
/// every POST, and a page on another site cannot forge them; a write whose origin is not ours
/// is refused. A request with neither header is not from a browser, so it carries no victim's
/// cookie to abuse.
async fn browser_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_api = path.starts_with("/api/");
    if !is_api && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        if let Err(why) = same_origin(&req, &state.settings.base_url) {
            tracing::warn!(http.path = %loggable_path(path), reason = why, "refused a cross-site write");
            return (
                StatusCode::FORBIDDEN,
                "This request did not come from a Herald page, so it was refused.",
            )
                .into_response();
        }
    }
    let mut res = next.run(req).await;
    if !is_api {
        let mut ancestors = String::from("frame-ancestors 'self'");
        for o in &state.settings.embed_origins {
            ancestors.push(' ');
            ancestors.push_str(o);
        }
        if let Ok(v) = HeaderValue::from_str(&ancestors) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
        res.headers_mut().insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    res
}

fn same_origin(req: &Request, base_url: &str) -> Result<(), &'static str> {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| "unreadable Origin")?;
        let ours = own_origin(base_url);
        let host_origin = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| (format!("http://{h}"), format!("https://{h}")));
        let matches_host = host_origin.is_some_and(|(a, b)| origin == a || origin == b);
        return if origin == ours || matches_host {
            Ok(())
        } else {
            Err("Origin is another site")
        };
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some("same-origin") | Some("none") => Ok(()),
        Some(_) => Err("Sec-Fetch-Site is not same-origin"),
        None => Ok(()),
    }
}

fn own_origin(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => base_url.trim_end_matches('/').to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut b = Request::builder().method("POST").uri("/portal/fn/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(axum::body::Body::empty()).expect("request")
    }

    #[test]
    fn only_content_hashed_assets_are_kept_for_good() {
        assert!(is_hashed_asset("/pkg/herald.0123456789abcdef.wasm"));
        assert!(is_hashed_asset("/pkg/herald.0123456789abcdef.js"));
        assert!(is_hashed_asset("/pkg/herald.0123456789abcdef.css"));
        assert!(!is_hashed_asset("/pkg/herald.wasm"));
        assert!(!is_hashed_asset("/pkg/herald.0123456789abcdeg.js"));
        assert!(!is_hashed_asset("/pkg/herald.0123456789abcdef.html"));
        assert!(!is_hashed_asset("/pkg/other.0123456789abcdef.js"));
        assert!(!is_hashed_asset("/herald.0123456789abcdef.js"));
        assert!(!is_hashed_asset("/pkg/herald.0123456789abcdef.js.map"));
    }

    #[test]
    fn writes_from_our_own_origin_pass() {
        let base = "https://hooks.example.com";
        assert!(same_origin(&post(&[("origin", "https://hooks.example.com")]), base).is_ok());
        assert!(same_origin(&post(&[("sec-fetch-site", "same-origin")]), base).is_ok());
    }

    #[test]
    fn writes_from_another_site_are_refused() {
        let base = "https://hooks.example.com";
        assert!(same_origin(&post(&[("origin", "https://evil.example")]), base).is_err());
        assert!(same_origin(&post(&[("origin", "null")]), base).is_err());
        assert!(same_origin(&post(&[("sec-fetch-site", "cross-site")]), base).is_err());
    }
}
