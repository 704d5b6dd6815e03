//! `/portal`: where a company admin lands without a valid portal link.

use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PortalPage() -> impl IntoView {
    view! {
        <Title text=tr!("site-portal-title") />
        <section class="section" aria-labelledby="page-title">
            <div class="container container--narrow">
                <h1 id="page-title">{tr!("nav-company-portal")}</h1>
                <p class="lead">{tr!("site-portal-lead")}</p>

                <div class="callout" role="note">
                    <h2>{tr!("site-portal-open-heading")}</h2>
                    <p>{tr!("site-portal-open-body")}</p>
                </div>

                <h2>{tr!("site-portal-developers-heading")}</h2>
                <p>
                    {tr!("site-portal-developers-before-url")} " " <code>"url"</code> " "
                    {tr!("site-portal-developers-after-url")}
                </p>
                <pre class="code" aria-label=tr!("site-example-request")>
                    <code>
                        "curl -X POST \"$HERALD_URL/api/v1/auth/app-portal-access/$APP_ID\" \\\n"
                        "  -H \"Authorization: Bearer $HERALD_API_KEY\""
                    </code>
                </pre>
                <p>
                    {tr!("site-portal-described-in")} " "
                    <a href="/api/v1/openapi.json" rel="external">{tr!("site-portal-openapi-document")}</a> "."
                </p>
            </div>
        </section>
    }
}
