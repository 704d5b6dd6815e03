use super::delivery_log::{DeliveryFilters, DeliveryLogTable, LogQuery};
use super::{app_param, use_viewer};
use crate::portal::api::{endpoint_names, event_catalogue, get_attempt, held_deliveries};
use crate::portal::widgets::{CopyButton, DataTable, ErrorPanel, LocalTime};
use crate::portal::AttemptDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Every delivery of the company, one per message and endpoint in its state, newest first,
/// filtered by state, event type and endpoint, a page at a time both ways.
#[component]
pub fn LogsPage() -> impl IntoView {
    let app = app_param();
    let query = use_query_map();
    let can_write = use_viewer().is_some_and(|v| v.can_write);
    let log_query = Memo::new(move |_| LogQuery::read(&query.read()));
    let deliveries = Resource::new(
        move || (app.get(), log_query.get()),
        |(a, q)| q.fetch(a, None),
    );
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    let endpoints = Resource::new(move || app.get(), endpoint_names);
    let held = Resource::new(move || app.get(), held_deliveries);
    view! {
        <Title text="Delivery log" />
        <h1>"Delivery log"</h1>
        <p class="lead">"Every event sent to each of this company's endpoints, in its state: delivered, on its way, waiting, skipped (and why), or failed."</p>
        <form method="get" action=move || format!("/portal/{}/messages", app.get()) class="filters" role="search" aria-label="Find a message">
            <div class="field">
                <label for="f-find">"Message id or event id"</label>
                <input id="f-find" name="id" type="search" required placeholder="msg_… or your event id" />
            </div>
            <button type="submit" class="button">"Find"</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                held.await.ok().filter(|h| !h.is_empty()).map(|rows| view! {
                    <section class="held" aria-labelledby="held-h">
                        <h2 id="held-h">"Held by plan limit"</h2>
                        <p class="help">
                            "These events reached this hour's limit of the company's plan. They are not lost: "
                            "each is sent, in order, as the next hour allows, or at once if the plan changes."
                        </p>
                        <DataTable columns=&["Event type", "Endpoint", "Status", "Next try"]>
                                    {rows.into_iter().map(|h| view! {
                                        <tr>
                                            <td><code>{h.event_type}</code><div class="muted mono">{h.msg_id}</div></td>
                                            <td><a class="break" href=format!("/portal/{app_id}/endpoints/{}", h.endpoint_id)>{h.url}</a></td>
                                            <td><span class="badge badge--warning">"Held by plan limit"</span></td>
                                            <td>{h.next_try.map(|t| view! { <LocalTime ms=t /> })}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                    </section>
                })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let types = catalogue.await.unwrap_or_default();
                let eps = endpoints.await.unwrap_or_default();
                let app_id = app.get_untracked();
                let path = format!("/portal/{app_id}/logs");
                let q = log_query.get_untracked();
                let page = deliveries.await;
                view! {
                    <DeliveryFilters path=path.clone() q=q.clone() types=types endpoints=eps />
                    {match page {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(p) => view! {
                            <DeliveryLogTable app=app_id page=p path=path q=q can_write=can_write show_endpoint=true />
                        }.into_any(),
                    }}
                }
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let app = app_param();
    let params = use_params_map();
    let attempt = Memo::new(move |_| params.read().get("attempt").unwrap_or_default());
    let detail = Resource::new(
        move || (app.get(), attempt.get()),
        |(a, t)| get_attempt(a, t),
    );
    view! {
        <Title text="Delivery attempt" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(d) => {
                        let app_id = app.get_untracked();
                        let status = if d.row.status_code == 0 { "No response".to_owned() } else { d.row.status_code.to_string() };
                        view! {
                            <p class="crumbs">
                                <a href=format!("/portal/{app_id}/logs")>"Delivery log"</a>
                                " / attempt"
                            </p>
                            <h1>"Attempt " <span class="mono">{d.row.id.clone()}</span></h1>
                            <dl class="facts">
                                <dt>"Time"</dt><dd><LocalTime ms=d.row.at /></dd>
                                <dt>"Event type"</dt><dd><code>{d.row.event_type.clone()}</code></dd>
                                <dt>"Message"</dt><dd class="mono"><a href=format!("/portal/{app_id}/messages/{}", d.row.msg_id)>{d.row.msg_id.clone()}</a></dd>
                                <dt>"Endpoint"</dt><dd><a class="break" href=format!("/portal/{app_id}/endpoints/{}", d.row.endpoint_id)>{d.row.url.clone()}</a></dd>
                                <dt>"Result"</dt><dd>{if d.row.succeeded { "Succeeded" } else { "Failed" }} " · " {status}</dd>
                                <dt>"Duration"</dt><dd>{format!("{} ms", d.row.duration_ms)}</dd>
                                <dt>"Trigger"</dt><dd>{if d.row.manual { "Manual" } else { "Scheduled" }}</dd>
                                {d.error.clone().map(|e| view! { <dt>"Error"</dt><dd>{e}</dd> })}
                            </dl>
                            <div class="grid">
                                <section class="card" aria-labelledby="req-h">
                                    <h2 id="req-h">"Request"</h2>
                                    <div class="copy-head">
                                        <h3>"Headers"</h3>
                                        <CopyButton text=headers_text(&d.request_headers) label="Copy the request headers" />
                                    </div>
                                    <pre class="code" id="request-headers">{headers_text(&d.request_headers)}</pre>
                                    <RequestBody d=d.clone() />
                                </section>
                                <section class="card" aria-labelledby="res-h">
                                    <h2 id="res-h">"Response"</h2>
                                    <p>"Status: " <span class="mono">{status_text(d.row.status_code)}</span></p>
                                    <h3>"Headers"</h3>
                                    <pre class="code">{headers_text(&d.response_headers)}</pre>
                                    <div class="copy-head">
                                        <h3>"Body"</h3>
                                        <CopyButton text=d.response_body.clone().unwrap_or_default() label="Copy the response body" />
                                    </div>
                                    <pre class="code" id="response-body">{d.response_body.clone().unwrap_or_default()}</pre>
                                    {d.response_truncated.then(|| view! {
                                        <p class="help">"The response was longer: only its first 64 KiB are kept."</p>
                                    })}
                                </section>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn status_text(code: i64) -> String {
    if code == 0 {
        "no response".into()
    } else {
        code.to_string()
    }
}

fn headers_text(headers: &[(String, String)]) -> String {
    headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// The body as sent, byte for byte (never re-formatted: a signature is over these exact
/// bytes), and how to check its signature.
#[component]
fn RequestBody(d: AttemptDetail) -> impl IntoView {
    let body = match (d.request_body, d.body_recorded) {
        (Some(body), _) => view! {
            <div class="copy-head">
                <h3>"Body"</h3>
                <CopyButton text=body.clone() label="Copy the request body" />
            </div>
            <pre class="code" id="request-body">{body.clone()}</pre>
            <p class="help">{format!("Exactly the {} bytes sent.", body.len())}</p>
        }
        .into_any(),
        (None, true) => view! {
            <h3>"Body"</h3>
            <p class="help">"The message's content was deleted (expunged), and with it the body sent."</p>
        }
        .into_any(),
        (None, false) => view! {
            <h3>"Body"</h3>
            <p class="help">
                "Not recorded: this try sent nothing, or it was made before Herald kept the exact body sent. "
                "The payload as received is shown; the body sent may have wrapped it in an envelope."
            </p>
            <pre class="code">{d.payload.unwrap_or_else(|| "(expunged)".into())}</pre>
        }
        .into_any(),
    };
    view! {
        {body}
        <details class="verify">
            <summary>"How to check this signature"</summary>
            <p>{d.signature_help}</p>
            <p>
                "Compute it over the body exactly as above, as bytes: copy it rather than retype or re-format it "
                "(parsing and printing JSON again changes key order and numbers such as 10.50). "
                "The timestamp and id are in the headers. A secret rotated since this try gives a different signature."
            </p>
        </details>
    }
}
