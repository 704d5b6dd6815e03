//! The server-rendered site: Leptos pages, server functions and the built front-end assets
//! (`/pkg/herald.{js,wasm,css}` and everything from `public/`), plus the browser-facing rules
//! around them: the magic-link exchange, CSRF protection and who may frame the portal.

use std::net::SocketAddr;

use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use herald_app::ssr::portal_auth::session_cookie;
use herald_app::ssr::store::sessions;
use herald_app::ssr::AppState;
use herald_app::{shell, App};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler, generate_route_list, LeptosRoutes};

/// Must equal `name` in `[[workspace.metadata.leptos]]`: cargo-leptos writes
/// `<site-root>/pkg/herald.{js,wasm,css}` and the pages link to those names.
const OUTPUT_NAME: &str = "herald";

/// Options built from our own configuration, not from cargo-leptos's environment variables:
/// the release binary is started directly and tests start the app through `cargo test`, where
/// those variables are absent. A `site_root` that does not exist is fine; the pages then render
/// without their script and stylesheet, which only matters in a browser.
pub fn leptos_options(site_root: &str, site_addr: SocketAddr) -> LeptosOptions {
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
        .build()
}

/// Every page route, the server functions, and a fallback that serves files from the site root
/// or renders the app's 404 page. It owns the router fallback, so routers merged with it must
/// not set one of their own (axum panics on two); nest those under a path instead.
pub fn site_router(options: LeptosOptions, state: AppState) -> Router {
    let routes = route_list();
    let for_context = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(for_context.clone()),
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
        .layer(axum::middleware::from_fn_with_state(state, browser_guard))
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
            let secs = sessions::lookup(&state.db, &session.0)
                .await
                .ok()
                .flatten()
                .map(|s| (s.expires_at - herald_app::ssr::infra::time::now_ms()) / 1000)
                .unwrap_or(3600)
                .max(60);
            tracing::info!(app = %app, "portal: magic link exchanged for a session");
            let cookie = session_cookie(&state.settings, &session.0, secs);
            let mut res = Redirect::to(&format!("/portal/{app}")).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
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
            tracing::warn!(path = %path, reason = why, "refused a cross-site write");
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
