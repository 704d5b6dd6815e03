use super::delivery_log::{DeliveryFilters, DeliveryLogTable, LogQuery};
use super::{app_param, use_viewer};
use crate::i18n::t;
use crate::portal::api::{endpoint_names, event_catalogue, get_attempt, held_deliveries};
use crate::portal::widgets::{CopyButton, DataTable, ErrorPanel, LocalTime};
use crate::portal::AttemptDetail;
use crate::tr;
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
        <Title text=tr!("nav-delivery-log") />
        <h1>{tr!("nav-delivery-log")}</h1>
        <p class="lead">{tr!("log-lead")}</p>
        <form method="get" action=move || format!("/portal/{}/messages", app.get()) class="filters" role="search" aria-label=tr!("log-find-aria")>
            <div class="field">
                <label for="f-find">{tr!("log-find-field")}</label>
                <input id="f-find" name="id" type="search" required placeholder=tr!("log-find-placeholder") />
            </div>
            <button type="submit" class="button">{tr!("log-find")}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                held.await.ok().filter(|h| !h.is_empty()).map(|rows| view! {
                    <section class="held" aria-labelledby="held-h">
                        <h2 id="held-h">{tr!("log-held")}</h2>
                        <p class="help">{tr!("log-held-help")}</p>
                        <DataTable columns=&["col-event-type", "col-endpoint", "col-status", "col-next-try"]>
                                    {rows.into_iter().map(|h| view! {
                                        <tr>
                                            <td><code>{h.event_type}</code><div class="muted mono">{h.msg_id}</div></td>
                                            <td><a class="break" href=format!("/portal/{app_id}/endpoints/{}", h.endpoint_id)>{h.url}</a></td>
                                            <td><span class="badge badge--warning">{tr!("log-held")}</span></td>
                                            <td>{h.next_try.map(|t| view! { <LocalTime ms=t /> })}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                    </section>
                })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
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
        <Title text=tr!("log-attempt-title") />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(d) => {
                        let app_id = app.get_untracked();
                        let status = if d.row.status_code == 0 { t("log-result-no-response") } else { d.row.status_code.to_string() };
                        view! {
                            <p class="crumbs">
                                <a href=format!("/portal/{app_id}/logs")>{tr!("nav-delivery-log")}</a>
                                " / "
                                {tr!("log-crumb-attempt")}
                            </p>
                            <h1>{tr!("log-attempt-heading")} " " <span class="mono">{d.row.id.clone()}</span></h1>
                            <dl class="facts">
                                <dt>{tr!("col-time")}</dt><dd><LocalTime ms=d.row.at /></dd>
                                <dt>{tr!("col-event-type")}</dt><dd><code>{d.row.event_type.clone()}</code></dd>
                                <dt>{tr!("log-fact-message")}</dt><dd class="mono"><a href=format!("/portal/{app_id}/messages/{}", d.row.msg_id)>{d.row.msg_id.clone()}</a></dd>
                                <dt>{tr!("col-endpoint")}</dt><dd><a class="break" href=format!("/portal/{app_id}/endpoints/{}", d.row.endpoint_id)>{d.row.url.clone()}</a></dd>
                                <dt>{tr!("log-fact-result")}</dt>
                                <dd>
                                    {if d.row.succeeded { t("log-result-succeeded") } else { t("log-result-failed") }}
                                    " · "
                                    {status}
                                </dd>
                                <dt>{tr!("log-fact-duration")}</dt><dd>{tr!("log-duration-ms", "ms" => d.row.duration_ms)}</dd>
                                <dt>{tr!("log-fact-trigger")}</dt>
                                <dd>{if d.row.manual { t("log-trigger-manual") } else { t("log-trigger-scheduled") }}</dd>
                                {d.error.clone().map(|e| view! { <dt>{tr!("log-fact-error")}</dt><dd>{e}</dd> })}
                            </dl>
                            <div class="grid">
                                <section class="card" aria-labelledby="req-h">
                                    <h2 id="req-h">{tr!("log-request")}</h2>
                                    <div class="copy-head">
                                        <h3>{tr!("log-headers")}</h3>
                                        <CopyButton text=headers_text(&d.request_headers) label=t("log-copy-request-headers") />
                                    </div>
                                    <pre class="code" id="request-headers">{headers_text(&d.request_headers)}</pre>
                                    <RequestBody d=d.clone() />
                                </section>
                                <section class="card" aria-labelledby="res-h">
                                    <h2 id="res-h">{tr!("log-response")}</h2>
                                    <p>{tr!("log-response-status")} " " <span class="mono">{status_text(d.row.status_code)}</span></p>
                                    <h3>{tr!("log-headers")}</h3>
                                    <pre class="code">{headers_text(&d.response_headers)}</pre>
                                    <div class="copy-head">
                                        <h3>{tr!("log-body")}</h3>
                                        <CopyButton text=d.response_body.clone().unwrap_or_default() label=t("log-copy-response-body") />
                                    </div>
                                    <pre class="code" id="response-body">{d.response_body.clone().unwrap_or_default()}</pre>
                                    {d.response_truncated.then(|| view! {
                                        <p class="help">{tr!("log-response-truncated")}</p>
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
        t("log-no-response")
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
                <h3>{tr!("log-body")}</h3>
                <CopyButton text=body.clone() label=t("log-copy-request-body") />
            </div>
            <pre class="code" id="request-body">{body.clone()}</pre>
            <p class="help">{tr!("log-body-exact", "bytes" => body.len())}</p>
        }
        .into_any(),
        (None, true) => view! {
            <h3>{tr!("log-body")}</h3>
            <p class="help">{tr!("log-body-expunged")}</p>
        }
        .into_any(),
        (None, false) => view! {
            <h3>{tr!("log-body")}</h3>
            <p class="help">{tr!("log-body-not-recorded")}</p>
            <pre class="code">{d.payload.unwrap_or_else(|| t("log-expunged"))}</pre>
        }
        .into_any(),
    };
    view! {
        {body}
        <details class="verify">
            <summary>{tr!("log-verify-summary")}</summary>
            <p>{d.signature_help}</p>
            <p>{tr!("log-verify-help")}</p>
        </details>
    }
}
