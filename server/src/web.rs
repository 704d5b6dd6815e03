//! The server-rendered site: Leptos pages, server functions and the built front-end assets
//! (`/pkg/herald.{js,wasm,css}` and everything from `public/`).

use std::net::SocketAddr;

use axum::Router;
use herald_app::{shell, App};
use leptos::config::{Env, LeptosOptions};
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
pub fn site_router(options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler(shell))
        .with_state(options)
}
