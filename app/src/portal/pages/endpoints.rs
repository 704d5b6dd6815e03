use super::{app_param, use_viewer};
use crate::portal::api::{endpoint_limit, list_endpoints};
use crate::portal::widgets::{percent, ErrorPanel, Sparkline, StateBadge};
use leptos::prelude::*;

#[component]
pub fn EndpointsPage() -> impl IntoView {
    let app = app_param();
    let can_write = use_viewer().is_some_and(|v| v.can_write);
    let endpoints = Resource::new(move || app.get(), list_endpoints);
    let limit = Resource::new(move || app.get(), endpoint_limit);
    view! {
        <div class="page-head">
            <h1>"Endpoints"</h1>
            {can_write
                .then(|| {
                    view! {
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                match limit.await {
                                    // At the plan's limit: the button stays, disabled, with the reason.
                                    Ok(Some(reason)) => view! {
                                        <div class="limit">
                                            <button type="button" class="button button--primary" disabled=true aria-describedby="endpoint-limit">
                                                "Add endpoint"
                                            </button>
                                            <p class="help" id="endpoint-limit">{reason}</p>
                                        </div>
                                    }
                                        .into_any(),
                                    _ => view! {
                                        <a class="button button--primary" href=format!("/portal/{}/endpoints/new", app.get_untracked())>
                                            "Add endpoint"
                                        </a>
                                    }
                                        .into_any(),
                                }
                            })}
                        </Suspense>
                    }
                })}
        </div>
        <p class="lead">"The URLs that receive this company's events, signed, with retries."</p>
        <Suspense fallback=|| view! { <p>"Loading endpoints…"</p> }>
            {move || Suspend::new(async move {
                match endpoints.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => {
                        view! {
                            <div class="empty">
                                <h2>"No endpoints yet"</h2>
                                {if can_write {
                                    view! {
                                        <p>
                                            "Add an endpoint: the HTTPS URL of your server that should receive events. "
                                            "You choose which events it gets, and you can send it a test event right away."
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <p>
                                            "Nothing is set up here yet. Someone with write access can add an endpoint."
                                        </p>
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
                            <div class="table-wrap">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"URL"</th>
                                            <th scope="col">"State"</th>
                                            <th scope="col">"Success rate (24 h)"</th>
                                            <th scope="col">"Last 24 hours"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
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
                                                        </td>
                                                        <td>{percent(e.success_rate)}</td>
                                                        <td>
                                                            <Sparkline hourly=e.hourly.clone() />
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
