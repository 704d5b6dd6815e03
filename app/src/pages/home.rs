//! The landing page at `/`: what this server is and where its API lives.

use crate::tr;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Herald" />
        <Meta
            name="description"
            content=tr!("site-home-description")
        />
        <section class="hero" aria-labelledby="page-title">
            <div class="container">
                <p class="eyebrow">{tr!("site-home-eyebrow")}</p>
                <h1 id="page-title">"Herald"</h1>
                <p class="lead">{tr!("site-home-lead")}</p>
                <div class="actions">
                    <a class="button button--primary" href="/api/v1/openapi.json" rel="external">
                        {tr!("site-home-read-api")}
                    </a>
                    <a class="button" href="/portal">
                        {tr!("site-home-open-portal")}
                    </a>
                </div>
            </div>
        </section>

        <section class="section" aria-labelledby="how-title">
            <div class="container">
                <h2 id="how-title">{tr!("site-home-how-title")}</h2>
                <ol class="steps">
                    <li class="card">
                        <h3>{tr!("site-home-step-send-title")}</h3>
                        <p>{tr!("site-home-step-send-body")}</p>
                    </li>
                    <li class="card">
                        <h3>{tr!("site-home-step-deliver-title")}</h3>
                        <p>{tr!("site-home-step-deliver-body")}</p>
                    </li>
                    <li class="card">
                        <h3>{tr!("site-home-step-control-title")}</h3>
                        <p>{tr!("site-home-step-control-body")}</p>
                    </li>
                </ol>
            </div>
        </section>

        <section class="section section--alt" aria-labelledby="api-title">
            <div class="container">
                <h2 id="api-title">{tr!("site-home-api-title")}</h2>
                <p>
                    {tr!("site-home-api-before-path")} " " <code>"/api/v1"</code> " "
                    {tr!("site-home-api-before-header")} " " <code>"Authorization: Bearer"</code>
                    {tr!("site-home-api-after-header")}
                </p>
                <dl class="endpoint-list">
                    <div class="endpoint-list__item">
                        <dt>
                            <code>"/api/v1"</code>
                        </dt>
                        <dd>{tr!("site-home-api-v1")}</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <a href="/api/v1/openapi.json" rel="external">
                                <code>"/api/v1/openapi.json"</code>
                            </a>
                        </dt>
                        <dd>{tr!("site-home-api-openapi")}</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <a href="/api/v1/health" rel="external">
                                <code>"/api/v1/health"</code>
                            </a>
                        </dt>
                        <dd>{tr!("site-home-api-health")}</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <code>"POST /api/v1/auth/app-portal-access/{app_id}"</code>
                        </dt>
                        <dd>{tr!("site-home-api-portal-access")}</dd>
                    </div>
                </dl>

                <h3>{tr!("site-home-sending-event")}</h3>
                <pre class="code" aria-label=tr!("site-example-request")>
                    <code>
                        "curl -X POST \"$HERALD_URL/api/v1/app/$APP_ID/msg\" \\\n"
                        "  -H \"Authorization: Bearer $HERALD_API_KEY\" \\\n"
                        "  -H \"Content-Type: application/json\" \\\n"
                        "  -H \"Idempotency-Key: $EVENT_ID\" \\\n"
                        "  -d '{\"eventType\": \"invoice.paid\", \"payload\": {\"invoiceId\": \"$INVOICE_ID\"}}'"
                    </code>
                </pre>
            </div>
        </section>
    }
}
