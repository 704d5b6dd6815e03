//! The frame around every page: header with the main navigation, and the footer.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="container site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">
                        "H"
                    </span>
                    <span class="brand__name">"Herald"</span>
                </a>
                <nav class="site-nav" aria-label="Main">
                    // <A> marks the current page with aria-current="page", which the CSS styles.
                    <A href="/" exact=true>
                        "Overview"
                    </A>
                    <A href="/portal">"Company portal"</A>
                    <A href="/login">"Sign in"</A>
                    // rel="external" everywhere an /api link appears: without it the client-side
                    // router would take the click and render its 404 page instead of the JSON.
                    <a href="/api/v1/openapi.json" rel="external">
                        "API reference"
                    </a>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Herald " {env!("CARGO_PKG_VERSION")} " · self-hosted webhook delivery · "
                    <a href="/api/v1/health" rel="external">"Service health"</a>
                </p>
            </div>
        </footer>
    }
}
