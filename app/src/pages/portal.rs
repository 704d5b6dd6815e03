//! `/portal`: where a company admin lands without a valid portal link.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PortalPage() -> impl IntoView {
    view! {
        <Title text="Company portal · Herald" />
        <section class="section" aria-labelledby="page-title">
            <div class="container container--narrow">
                <h1 id="page-title">"Company portal"</h1>
                <p class="lead">
                    "The company portal is where you manage the webhook endpoints your provider "
                    "sends events to: add endpoints, choose events, see every delivery attempt."
                </p>

                <div class="callout" role="note">
                    <h2>"Open it from your provider's product"</h2>
                    <p>
                        "The portal opens through a link that the product you use creates for "
                        "you, usually from a \"Webhooks\" page in its settings. The link works "
                        "once and expires shortly after it is created, so open the portal from "
                        "there each time rather than bookmarking it."
                    </p>
                </div>

                <h2>"For the host product's developers"</h2>
                <p>
                    "Mint a link on your backend for the customer's application, then redirect "
                    "the signed-in admin to the " <code>"url"</code> " in the response:"
                </p>
                <pre class="code" aria-label="Example request">
                    <code>
                        "curl -X POST \"$HERALD_URL/api/v1/auth/app-portal-access/$APP_ID\" \\\n"
                        "  -H \"Authorization: Bearer $HERALD_API_KEY\""
                    </code>
                </pre>
                <p>
                    "The request is described in the "
                    <a href="/api/v1/openapi.json" rel="external">"OpenAPI document"</a> "."
                </p>
            </div>
        </section>
    }
}
