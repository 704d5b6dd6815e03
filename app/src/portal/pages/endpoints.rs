use super::{app_param, use_viewer};
use crate::i18n::t;
use crate::portal::api::{endpoint_limit, list_endpoints, notices, plan_usage};
use crate::portal::widgets::{percent, DataTable, ErrorPanel, LocalTime, Sparkline, StateBadge};
use crate::portal::{EndpointHealth, Notice, UsageInfo};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EndpointsPage() -> impl IntoView {
    let app = app_param();
    let viewer = use_viewer();
    let can_write = viewer.as_ref().is_some_and(|v| v.can_write);
    // The host product's page for a larger plan, where it gave one.
    let upgrade = StoredValue::new(viewer.and_then(|v| v.look.upgrade_url));
    let endpoints = Resource::new(move || app.get(), list_endpoints);
    let limit = Resource::new(move || app.get(), endpoint_limit);
    let usage = Resource::new(move || app.get(), plan_usage);
    let alerts = Resource::new(move || app.get(), notices);
    view! {
        <Title text=tr!("nav-endpoints") />
        <div class="page-head">
            <h1>{tr!("nav-endpoints")}</h1>
            {can_write
                .then(|| {
                    view! {
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                match limit.await {
                                    // At the plan's limit: the button stays, disabled, with the reason.
                                    Ok(Some(reason)) => {
                                        view! {
                                            <div class="limit">
                                                <button type="button" class="button button--primary" disabled=true aria-describedby="endpoint-limit">
                                                    {tr!("endpoints-add")}
                                                </button>
                                                <p class="help" id="endpoint-limit">{reason}</p>
                                                // Out of the frame: the host product's own page, not ours.
                                                {upgrade.get_value().map(|href| view! {
                                                    <a class="button" href=href target="_top" rel="external noopener">{tr!("endpoints-move-to-larger-plan")}</a>
                                                })}
                                            </div>
                                        }
                                            .into_any()
                                    }
                                    _ => view! {
                                        <a class="button button--primary" href=format!("/portal/{}/endpoints/new", app.get_untracked())>
                                            {tr!("endpoints-add")}
                                        </a>
                                    }
                                        .into_any(),
                                }
                            })}
                        </Suspense>
                    }
                })}
        </div>
        <p class="lead">{tr!("endpoints-lead")}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                view! {
                    {usage.await.ok().flatten().map(|u| view! { <UsageBar usage=u app=app_id.clone() /> })}
                    {alerts.await.ok().filter(|a| !a.is_empty()).map(|a| view! { <Alerts notices=a /> })}
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>{tr!("endpoints-loading")}</p> }>
            {move || Suspend::new(async move {
                match endpoints.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => {
                        view! {
                            <div class="empty">
                                <h2>{tr!("endpoints-empty-title")}</h2>
                                {if can_write {
                                    view! {
                                        <p>{tr!("endpoints-empty-can-write")}</p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <p>{tr!("endpoints-empty-read-only")}</p>
                                    }
                                        .into_any()
                                }}
                            </div>
                        }
                            .into_any()
                    }
                    Ok(list) => {
                        let app = app.get_untracked();
                        view! {
                            <DataTable columns=&["col-url", "col-state", "col-success-rate", "col-last-24-hours"]>
                                        {list
                                            .into_iter()
                                            .map(|e| {
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <a class="break" href=format!("/portal/{app}/endpoints/{}", e.id)>
                                                                {e.url.clone()}
                                                            </a>
                                                            {(!e.description.is_empty())
                                                                .then(|| view! { <div class="muted">{e.description.clone()}</div> })}
                                                        </td>
                                                        <td>
                                                            <StateBadge disabled=e.disabled reason=e.disabled_reason.clone() />
                                                            <HealthNote health=e.health.clone() disabled=e.disabled />
                                                        </td>
                                                        <td>{percent(e.success_rate)}</td>
                                                        <td>
                                                            <Sparkline hourly=e.hourly.clone() />
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </DataTable>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Why events may not be arriving at an endpoint: paused (and until when), failing since when,
/// and how many deliveries wait for it.
#[component]
fn HealthNote(health: EndpointHealth, disabled: bool) -> impl IntoView {
    let h = health;
    let state = match (disabled, h.paused_until, h.failing_since) {
        (true, _, _) => None,
        (false, Some(until), _) if h.paused_by_receiver => Some(
            view! {
                <div class="health" data-state="paused">
                    <span class="badge badge--warning">{tr!("endpoints-paused")}</span>
                    " " {tr!("endpoints-paused-by-receiver")} " " <LocalTime ms=until />
                </div>
            }
            .into_any(),
        ),
        (false, Some(until), since) => Some(
            view! {
                <div class="health" data-state="paused">
                    <span class="badge badge--warning">{tr!("endpoints-paused")}</span>
                    " " {tr!("endpoints-paused-after-failures", "count" => h.consecutive_failures)}
                    {since.map(|s| view! { {tr!("endpoints-paused-failing-since")} " " <LocalTime ms=s /> })}
                    {tr!("endpoints-paused-next-try")} " " <LocalTime ms=until />
                </div>
            }
            .into_any(),
        ),
        (false, None, Some(since)) => Some(
            view! {
                <div class="health" data-state="failing">
                    <span class="badge badge--warning">{tr!("endpoints-failing")}</span>
                    " " {tr!("endpoints-failing-since")} " " <LocalTime ms=since />
                </div>
            }
            .into_any(),
        ),
        (false, None, None) => None,
    };
    let waiting = (h.waiting > 0).then(|| {
        let more = if h.waiting_more { "+" } else { "" };
        view! { <div class="muted health__waiting">{tr!("endpoints-waiting", "count" => h.waiting, "more" => more)}</div> }
    });
    view! { {state} {waiting} }
}

/// The plan and how much of it this hour has used, with what is held back and until when.
#[component]
fn UsageBar(usage: UsageInfo, app: String) -> impl IntoView {
    let u = usage;
    view! {
        <section class="usage" aria-label=tr!("endpoints-plan-usage") id="plan-usage">
            <span><strong>{tr!("endpoints-plan-name", "plan" => u.plan)}</strong></span>
            <span>{tr!("endpoints-usage-endpoints", "used" => u.endpoints, "limit" => u.endpoints_limit)}</span>
            <span>{tr!("endpoints-usage-deliveries", "sent" => u.sent_this_hour, "limit" => u.per_hour_limit)}</span>
            {(u.held > 0).then(|| view! {
                <span class="usage__held">
                    <a href=format!("/portal/{app}/logs")>{tr!("endpoints-usage-held", "count" => u.held)}</a>
                    " " {tr!("endpoints-usage-until")} " " <LocalTime ms=u.window_ends_at />
                </span>
            })}
        </section>
    }
}

/// Why the plan allows no other endpoint, from its figures.
/// Recent operational notices: endpoints disabled, events failing or that could not be delivered.
#[component]
fn Alerts(notices: Vec<Notice>) -> impl IntoView {
    view! {
        <section class="alerts" aria-labelledby="alerts-h">
            <h2 id="alerts-h">{tr!("endpoints-recent-alerts")}</h2>
            <ul>
                {notices.into_iter().map(|n| {
                    let (label, tone) = match n.kind.as_str() {
                        "endpoint.disabled" => ("endpoints-notice-endpoint-disabled", "badge badge--danger"),
                        "message.attempt.failing" => ("endpoints-failing", "badge badge--warning"),
                        _ => ("endpoints-notice-not-delivered", "badge badge--danger"),
                    };
                    // The summary is the server's, written in English when the notice was.
                    view! {
                        <li>
                            <span class=tone>{t(label)}</span>
                            " " {n.summary} " "
                            <span class="muted"><LocalTime ms=n.at /></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
