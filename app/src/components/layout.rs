//! The frame around every page: header with the main navigation, and the footer.

use crate::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Inside a company's portal (`/portal/<company>/…`, and the expired-link page a host's iframe
/// may show) the host's frame is the only chrome: no Herald header, navigation or footer.
fn in_portal() -> Memo<bool> {
    let path = use_location().pathname;
    Memo::new(move |_| {
        path.with(|p| {
            p.strip_prefix("/portal/")
                .is_some_and(|rest| !rest.is_empty())
        })
    })
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let hidden = in_portal();
    move || (!hidden.get()).then(site_header)
}

fn site_header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="container site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">
                        "H"
                    </span>
                    <span class="brand__name">"Herald"</span>
                </a>
                <nav class="site-nav" aria-label=tr!("nav-main")>
                    // <A> marks the current page with aria-current="page", which the CSS styles.
                    <A href="/" exact=true>
                        {tr!("nav-overview")}
                    </A>
                    <A href="/portal">{tr!("nav-company-portal")}</A>
                    <A href="/login">{tr!("nav-sign-in")}</A>
                    // rel="external" everywhere an /api link appears: without it the client-side
                    // router would take the click and render its 404 page instead of the JSON.
                    <a href="/api/v1/openapi.json" rel="external">
                        {tr!("nav-api-reference")}
                    </a>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let hidden = in_portal();
    move || (!hidden.get()).then(site_footer)
}

fn site_footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Herald " {env!("CARGO_PKG_VERSION")} " · " {tr!("footer-tagline")} " · "
                    <a href="/api/v1/health" rel="external">{tr!("footer-health")}</a>
                </p>
            </div>
        </footer>
    }
}
