//! The HTML document and the route table, shared by the server (SSR) and the browser (hydrate).

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

use crate::admin::pages::{
    AdminAuditPage, AdminLayout, CataloguePage, HealthPage, KeysPage, PlansPage, TenantsPage,
};
use crate::components::layout::{SiteFooter, SiteHeader};
use crate::i18n::{I18n, Locale};
use crate::pages::{home::HomePage, not_found::NotFound};
use crate::portal::pages::{
    AttemptPage, AuditTrailPage, EditEndpointPage, EndpointPage, EndpointsPage, EventsPage,
    InvitePage, LinkExpiredPage, LoginPage, LogsPage, MessagePage, NewEndpointPage, PortalHome,
    PortalLayout, TeamPage,
};
use crate::tr;

/// The whole document. Only the server renders it; the browser hydrates `<body>` with [`App`].
/// Where the page's stylesheet is served: its content-hashed name when the site build wrote one
/// (the server provides this as context), so browsers may cache it for good.
#[derive(Clone, Debug)]
pub struct StylesheetHref(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let css = use_context::<StylesheetHref>()
        .map(|h| h.0)
        .unwrap_or_else(|| "/pkg/herald.css".to_owned());
    view! {
        <!DOCTYPE html>
        // `lang` and `dir` come from <App>'s <Html>: the language is the request's.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                // A plain link in the head (rather than leptos_meta's <Stylesheet>) so the CSS is
                // requested before the body streams in and the page never flashes unstyled.
                <link rel="stylesheet" href=css />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The language the page starts in: on the server the request's, in the browser the one the
/// server rendered (so hydration sees the same text).
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    return crate::ssr::portal_auth::request_locale();
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return crate::i18n::rendered_locale();
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    Locale::default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::portal::widgets::Turns::provide();
    let i18n = I18n::provide(initial_locale());

    // Set only once the wasm has taken over the page, so browser tests can wait for
    // interactivity instead of sleeping.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));

    view! {
        <Html {..} lang=move || i18n.get().tag() dir=move || i18n.get().dir() />
        <Router>
            <div class="site" data-hydrated=move || hydrated.get().to_string()>
                <a class="skip-link" href="#main">
                    {tr!("skip-to-content")}
                </a>
                <SiteHeader />
                <main id="main" class="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage />
                        // Portal pages wait for their data before the first byte (SsrMode::Async):
                        // the HTML is complete without JavaScript, and the status code can
                        // still say 404 or 401.
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/portal") view=PortalHome ssr=SsrMode::Async />
                        <Route path=path!("/portal/expired") view=LinkExpiredPage />
                        <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async />
                        <ParentRoute path=path!("/admin") view=AdminLayout ssr=SsrMode::Async>
                            <Route path=path!("") view=HealthPage ssr=SsrMode::Async />
                            <Route path=path!("tenants") view=TenantsPage ssr=SsrMode::Async />
                            <Route path=path!("plans") view=PlansPage ssr=SsrMode::Async />
                            <Route path=path!("catalogue") view=CataloguePage ssr=SsrMode::Async />
                            <Route path=path!("keys") view=KeysPage ssr=SsrMode::Async />
                            <Route path=path!("audit") view=AdminAuditPage ssr=SsrMode::Async />
                        </ParentRoute>
                        <ParentRoute path=path!("/portal/:app") view=PortalLayout ssr=SsrMode::Async>
                            <Route path=path!("") view=EndpointsPage ssr=SsrMode::Async />
                            <Route path=path!("endpoints/new") view=NewEndpointPage ssr=SsrMode::Async />
                            <Route path=path!("endpoints/:endpoint") view=EndpointPage ssr=SsrMode::Async />
                            <Route path=path!("endpoints/:endpoint/edit") view=EditEndpointPage ssr=SsrMode::Async />
                            <Route path=path!("logs") view=LogsPage ssr=SsrMode::Async />
                            <Route path=path!("logs/:attempt") view=AttemptPage ssr=SsrMode::Async />
                            <Route path=path!("messages") view=MessagePage ssr=SsrMode::Async />
                            <Route path=path!("messages/:msg") view=MessagePage ssr=SsrMode::Async />
                            <Route path=path!("events") view=EventsPage ssr=SsrMode::Async />
                            <Route path=path!("team") view=TeamPage ssr=SsrMode::Async />
                            <Route path=path!("audit") view=AuditTrailPage ssr=SsrMode::Async />
                        </ParentRoute>
                    </Routes>
                </main>
                <SiteFooter />
            </div>
        </Router>
    }
}
