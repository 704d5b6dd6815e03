//! The landing page at `/`: what this server is and where its API lives.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Herald" />
        <Meta
            name="description"
            content="Herald delivers a product's events to the webhook endpoints its customers configure: signed, retried and recorded."
        />
        <section class="hero" aria-labelledby="page-title">
            <div class="container">
                <p class="eyebrow">"Self-hosted webhook delivery"</p>
                <h1 id="page-title">"Herald"</h1>
                <p class="lead">
                    "Herald delivers your product's events to the HTTPS endpoints your customers "
                    "configure: every message signed, retried when a receiver fails, and each "
                    "attempt recorded so nothing is lost without a trace."
                </p>
                <div class="actions">
                    <a class="button button--primary" href="/api/v1/openapi.json" rel="external">
                        "Read the API reference"
                    </a>
                    <a class="button" href="/portal">
                        "Open the company portal"
                    </a>
                </div>
            </div>
        </section>

        <section class="section" aria-labelledby="how-title">
            <div class="container">
                <h2 id="how-title">"How it works"</h2>
                <ol class="steps">
                    <li class="card">
                        <h3>"Your product sends an event"</h3>
                        <p>
                            "Your backend posts each event to the REST API once, with an "
                            "idempotency key. A success answer means Herald has stored it and "
                            "will deliver it."
                        </p>
                    </li>
                    <li class="card">
                        <h3>"Herald signs and delivers it"</h3>
                        <p>
                            "Each customer endpoint subscribed to the event type receives it, "
                            "signed with the endpoint's secret (Standard Webhooks headers), and "
                            "failed deliveries are retried on a schedule."
                        </p>
                    </li>
                    <li class="card">
                        <h3>"Your customers stay in control"</h3>
                        <p>
                            "In the company portal they add endpoints, choose the events they "
                            "want, inspect every attempt, replay messages and rotate secrets."
                        </p>
                    </li>
                </ol>
            </div>
        </section>

        <section class="section section--alt" aria-labelledby="api-title">
            <div class="container">
                <h2 id="api-title">"The API"</h2>
                <p>
                    "The REST API lives under " <code>"/api/v1"</code>
                    " and follows the Svix API, so the official Svix SDKs work when pointed at "
                    "this server. Requests authenticate with an API key in the "
                    <code>"Authorization: Bearer"</code> " header."
                </p>
                <dl class="endpoint-list">
                    <div class="endpoint-list__item">
                        <dt>
                            <code>"/api/v1"</code>
                        </dt>
                        <dd>"Applications (your customers), endpoints, event types and messages."</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <a href="/api/v1/openapi.json" rel="external">
                                <code>"/api/v1/openapi.json"</code>
                            </a>
                        </dt>
                        <dd>"The OpenAPI document describing every operation."</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <a href="/api/v1/health" rel="external">
                                <code>"/api/v1/health"</code>
                            </a>
                        </dt>
                        <dd>"Health check for load balancers and monitoring."</dd>
                    </div>
                    <div class="endpoint-list__item">
                        <dt>
                            <code>"POST /api/v1/auth/app-portal-access/{app_id}"</code>
                        </dt>
                        <dd>"Mints a single-use link that opens the company portal for one customer."</dd>
                    </div>
                </dl>

                <h3>"Sending an event"</h3>
                <pre class="code" aria-label="Example request">
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
