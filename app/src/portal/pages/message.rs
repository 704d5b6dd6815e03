//! One message: what the company sent, each endpoint it goes to with the one state its delivery
//! is in and why, and every try. Reached by a message id or the host product's `eventId`
//! (`/messages/<id>`, or `/messages?id=<id>` from the log's search form).

use super::delivery_log::{action_control, badge, label, last_answer};
use super::{app_param, use_viewer};
use crate::i18n::t;
use crate::portal::api::{get_message, Replay};
use crate::portal::widgets::{Alert, AttemptsTable, DataTable, ErrorPanel, LocalTime, Messages};
use crate::portal::DeliveryLine;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MessagePage() -> impl IntoView {
    let app = app_param();
    let params = use_params_map();
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        params
            .read()
            .get("msg")
            .or_else(|| query.read().get("id"))
            .unwrap_or_default()
    });
    let detail = Resource::new(
        move || (app.get(), wanted.get()),
        |(a, m)| get_message(a, m),
    );
    let can_write = use_viewer().is_some_and(|v| v.can_write);
    view! {
        <Title text=tr!("message-title") />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                match detail.await {
                    Err(e) => view! {
                        <p class="crumbs"><a href=format!("/portal/{app_id}/logs")>{tr!("nav-delivery-log")}</a></p>
                        <ErrorPanel error=e />
                    }.into_any(),
                    Ok(m) => view! {
                        <p class="crumbs">
                            <a href=format!("/portal/{app_id}/logs")>{tr!("nav-delivery-log")}</a>
                            " / "
                            {tr!("message-crumb")}
                        </p>
                        <h1>
                            {tr!("message-title")} " " <span class="mono break">{m.id.clone()}</span>
                            {m.test.then(|| view! { " " <span class="badge badge--test">{tr!("log-test")}</span> })}
                        </h1>
                        {m.test.then(|| view! { <p class="lead">{tr!("message-test-lead")}</p> })}
                        <dl class="facts">
                            <dt>{tr!("col-event-type")}</dt><dd><code>{m.event_type.clone()}</code></dd>
                            <dt>{tr!("message-event-id")}</dt>
                            <dd class="mono">{m.event_id.clone().unwrap_or_else(|| t("message-none-given"))}</dd>
                            <dt>{tr!("message-received")}</dt><dd><LocalTime ms=m.created_at /></dd>
                        </dl>
                        <section aria-labelledby="deliveries-h">
                            <h2 id="deliveries-h">{tr!("log-deliveries")}</h2>
                            <Deliveries app=app_id.clone() msg=m.id.clone() lines=m.deliveries can_write=can_write />
                        </section>
                        <section class="card" aria-labelledby="payload-h">
                            <h2 id="payload-h">{tr!("message-payload")}</h2>
                            <p class="help">{if m.test { t("message-payload-test-help") } else { t("message-payload-help") }}</p>
                            <pre class="code" data-testid="payload">{m.payload.clone().unwrap_or_else(|| t("log-expunged"))}</pre>
                        </section>
                        <section aria-labelledby="tries-h">
                            <h2 id="tries-h">{tr!("col-tries")}</h2>
                            {if m.attempts.is_empty() {
                                view! { <p class="muted">{tr!("message-no-tries")}</p> }.into_any()
                            } else {
                                view! { <AttemptsTable app=app_id.clone() rows=m.attempts can_write=false show_endpoint=true /> }.into_any()
                            }}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Deliveries(
    app: String,
    msg: String,
    lines: Vec<DeliveryLine>,
    can_write: bool,
) -> impl IntoView {
    let send = ServerAction::<Replay>::new();
    let send_msgs = Messages::of(send);
    let send_error = send_msgs.error;
    let rows = lines
        .into_iter()
        .map(|d| {
            let endpoint_href = format!("/portal/{app}/endpoints/{}", d.endpoint_id);
            let last = last_answer(d.last_status_code);
            let action = action_control(
                d.action,
                can_write,
                send,
                [app.clone(), msg.clone(), d.endpoint_id.clone()],
                &endpoint_href,
            );
            view! {
                <tr data-endpoint=d.endpoint_id.clone() data-state=d.state.clone()>
                    <td><a class="break" href=endpoint_href>{d.url.clone()}</a></td>
                    <td>
                        <span class=badge(&d.state)>{label(&d.state)}</span>
                        <div class="muted">{d.detail.clone()}</div>
                    </td>
                    <td>{tr!("log-tries-of", "tries" => d.tries, "max" => d.max_tries)}</td>
                    <td class="mono">{last}</td>
                    <td>{d.next_at.map(|t| view! { <LocalTime ms=t /> })}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Alert message=send_error />
        {move || send_msgs.done.get().map(|_| view! {
            <p class="alert alert--ok" role="status">{tr!("log-queued")}</p>
        })}
        <DataTable label=tr!("log-deliveries") columns=&["col-endpoint", "col-state", "col-tries", "col-last-answer", "col-next-try"] actions="col-actions">
            {rows}
        </DataTable>
    }
}
