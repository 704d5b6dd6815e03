//! The fallback for every path no route matches.

use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn NotFound() -> impl IntoView {
    // Without this the server would answer 200 for a page that does not exist, which misleads
    // crawlers, monitors and API clients that mistype a path.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }

    let path = use_location().pathname;

    view! {
        <Title text=tr!("site-not-found-title") />
        <section class="section" aria-labelledby="page-title">
            <div class="container container--narrow">
                <p class="eyebrow">{tr!("site-not-found-eyebrow")}</p>
                <h1 id="page-title">{tr!("site-not-found-heading")}</h1>
                <p class="lead">
                    {tr!("site-not-found-no-page-at")} " " <code class="break">{move || path.get()}</code> "."
                </p>
                <p>
                    <a class="button button--primary" href="/">
                        {tr!("site-not-found-go-home")}
                    </a>
                </p>
            </div>
        </section>
    }
}
