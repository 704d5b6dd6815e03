use super::delivery_log::{DeliveryFilters, DeliveryLogTable, LogQuery};
use super::{app_param, use_viewer};
use crate::i18n::{t, t_with, Arg};
use crate::portal::api::{
    count_missed, event_catalogue, get_endpoint, reveal_secret, verify_help, CreateEndpoint,
    DeleteEndpoint, RotateSecret, SendMissed, SendTestEvent, SetEndpointState, UpdateEndpoint,
};
use crate::portal::widgets::{
    browser_utc_offset, described_by, focus_on_problem, focus_when_shown, form_error, percent,
    problem_with, Alert, CopyButton, ErrorPanel, FieldError, LocalTime, Messages, StateBadge,
};
use crate::portal::{
    by_category, EventTypeInfo, HeaderRow, HealthWindow, MissedPreview, PortalError,
};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::time::Duration;

fn endpoint_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("endpoint").unwrap_or_default())
}

/// One row of the custom headers form: its key (for the list), name and value, and whether its
/// value is kept hidden (an existing header whose name suggests a credential).
#[derive(Clone)]
struct HeaderLine {
    key: u32,
    name: String,
    value: String,
    hidden: bool,
}

/// The endpoint's custom headers, as rows of a name and a value. With JavaScript rows are added
/// and removed in place; without it one empty row is always there, and clearing a name removes
/// that header.
#[component]
fn HeaderFields(
    headers: Vec<HeaderRow>,
    invalid: Signal<Option<(String, String)>>,
) -> impl IntoView {
    let problem = problem_with(invalid, "headers");
    let mut lines: Vec<HeaderLine> = headers
        .into_iter()
        .map(|h| HeaderLine {
            key: 0,
            hidden: h.value.is_none(),
            value: h.value.unwrap_or_default(),
            name: h.name,
        })
        .collect();
    lines.push(HeaderLine {
        key: 0,
        name: String::new(),
        value: String::new(),
        hidden: false,
    });
    for (i, l) in lines.iter_mut().enumerate() {
        l.key = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let next = StoredValue::new(u32::try_from(lines.len()).unwrap_or(u32::MAX));
    let rows = RwSignal::new(lines);
    let first_name = NodeRef::<leptos::html::Input>::new();
    focus_on_problem(first_name, problem);
    view! {
        <fieldset
            class="header-fields"
            aria-describedby=move || {
                let mut ids = vec!["endpoint-headers-help"];
                if problem.get().is_some() {
                    ids.push("endpoint-headers-error");
                }
                ids.join(" ")
            }
        >
            <legend>{tr!("endpoint-custom-headers")}</legend>
            <p class="help" id="endpoint-headers-help">
                {tr!("endpoint-headers-help")}
            </p>
            <FieldError id="endpoint-headers-error" problem=problem />
            <For
                each=move || rows.get()
                key=|l| l.key
                children=move |l| {
                    let key = l.key;
                    let name_id = format!("header-name-{key}");
                    let value_id = format!("header-value-{key}");
                    let hidden = l.hidden;
                    let placeholder = move || {
                        if hidden {
                            t("endpoint-header-unchanged")
                        } else {
                            String::new()
                        }
                    };
                    let header = l.name.clone();
                    let remove_label = move || {
                        if header.is_empty() {
                            t("endpoint-header-remove-unnamed")
                        } else {
                            t_with("endpoint-header-remove-named", &[("name", Arg::from(&header))])
                        }
                    };
                    let node = if key == 0 { first_name } else { NodeRef::new() };
                    view! {
                        <div class="header-row">
                            <div class="field">
                                <label for=name_id.clone()>{tr!("endpoint-header-name")}</label>
                                <input
                                    id=name_id
                                    name="header_name[]"
                                    autocomplete="off"
                                    spellcheck="false"
                                    placeholder="X-Custom-Header"
                                    value=l.name.clone()
                                    node_ref=node
                                    aria-invalid=move || problem.get().map(|_| "true")
                                />
                            </div>
                            <div class="field">
                                <label for=value_id.clone()>{tr!("endpoint-header-value")}</label>
                                <input
                                    id=value_id
                                    name="header_value[]"
                                    autocomplete=if l.hidden { "new-password" } else { "off" }
                                    spellcheck="false"
                                    type=if l.hidden { "password" } else { "text" }
                                    placeholder=placeholder
                                    value=l.value.clone()
                                />
                            </div>
                            <button
                                type="button"
                                class="button button--small header-row__remove"
                                aria-label=remove_label
                                on:click=move |_| rows.update(|r| r.retain(|x| x.key != key))
                            >
                                {tr!("endpoint-header-remove")}
                            </button>
                        </div>
                    }
                }
            />
            <button
                type="button"
                class="button button--small"
                on:click=move |_| {
                    let key = next.get_value();
                    next.set_value(key.saturating_add(1));
                    rows.update(|r| r.push(HeaderLine { key, name: String::new(), value: String::new(), hidden: false }));
                }
            >
                {tr!("endpoint-header-add")}
            </button>
        </fieldset>
    }
}

/// URL, description and the event picker, shared by "Add endpoint" and "Edit endpoint".
/// `selected: None` means all events.
#[component]
fn EndpointFields(
    catalogue: Vec<EventTypeInfo>,
    url: String,
    description: String,
    selected: Option<Vec<String>>,
    /// The endpoint's `throttleRate`, in sends a second.
    rate_limit: Option<i64>,
    /// Its custom headers.
    headers: Vec<HeaderRow>,
    /// The form's error about one of these fields, shown next to it.
    invalid: Signal<Option<(String, String)>>,
) -> impl IntoView {
    let all = selected.is_none();
    let selected = selected.unwrap_or_default();
    let groups = by_category(&catalogue);
    let all_events = RwSignal::new(all);
    let url_problem = problem_with(invalid, "url");
    let description_problem = problem_with(invalid, "description");
    let rate_problem = problem_with(invalid, "rate_limit");
    let events_problem = problem_with(invalid, "events");
    let url_input = NodeRef::<leptos::html::Input>::new();
    let description_input = NodeRef::<leptos::html::Input>::new();
    let rate_input = NodeRef::<leptos::html::Input>::new();
    let all_events_input = NodeRef::<leptos::html::Input>::new();
    focus_on_problem(url_input, url_problem);
    focus_on_problem(description_input, description_problem);
    focus_on_problem(rate_input, rate_problem);
    focus_on_problem(all_events_input, events_problem);
    let invalid_if = |p: Signal<Option<String>>| move || p.get().map(|_| "true");
    view! {
        <div class="field">
            <label for="endpoint-url">{tr!("endpoint-url")}</label>
            <input
                id="endpoint-url"
                name="url"
                type="url"
                inputmode="url"
                required=true
                placeholder="https://example.com/webhooks"
                value=url
                node_ref=url_input
                aria-invalid=invalid_if(url_problem)
                aria-describedby=described_by(Some("endpoint-url-help"), "endpoint-url-error", url_problem)
            />
            <FieldError id="endpoint-url-error" problem=url_problem />
            <p class="help" id="endpoint-url-help">
                {tr!("endpoint-url-help")}
            </p>
        </div>
        <div class="field">
            <label for="endpoint-description">{tr!("col-description")}</label>
            <input
                id="endpoint-description"
                name="description"
                type="text"
                maxlength="1024"
                value=description
                node_ref=description_input
                aria-invalid=invalid_if(description_problem)
                aria-describedby=described_by(None, "endpoint-description-error", description_problem)
            />
            <FieldError id="endpoint-description-error" problem=description_problem />
        </div>
        <div class="field">
            <label for="endpoint-rate-limit">{tr!("endpoint-rate-limit")}</label>
            <input
                id="endpoint-rate-limit"
                name="rate_limit"
                type="number"
                inputmode="numeric"
                min="1"
                max="65535"
                step="1"
                placeholder=tr!("endpoint-rate-limit-placeholder")
                value=rate_limit.map(|r| r.to_string()).unwrap_or_default()
                node_ref=rate_input
                aria-invalid=invalid_if(rate_problem)
                aria-describedby=described_by(Some("endpoint-rate-limit-help"), "endpoint-rate-limit-error", rate_problem)
            />
            <FieldError id="endpoint-rate-limit-error" problem=rate_problem />
            <p class="help" id="endpoint-rate-limit-help">
                {tr!("endpoint-rate-limit-help")}
            </p>
        </div>
        <HeaderFields headers=headers invalid=invalid />
        <fieldset
            class="picker"
            aria-describedby=move || events_problem.get().map(|_| "endpoint-events-error")
        >
            <legend>{tr!("endpoint-events")}</legend>
            <FieldError id="endpoint-events-error" problem=events_problem />
            <label class="check check--strong">
                <input
                    type="checkbox"
                    name="all_events"
                    value="on"
                    checked=all
                    node_ref=all_events_input
                    prop:checked=move || all_events.get()
                    on:change=move |ev| all_events.set(event_target_checked(&ev))
                />
                {tr!("endpoint-all-events-later")}
            </label>
            {if groups.is_empty() {
                view! { <p class="muted">{tr!("endpoint-no-event-types")}</p> }
                    .into_any()
            } else {
                groups
                    .into_iter()
                    .map(|(cat, types)| {
                        // Without JavaScript the form posts the category and the ticked events and
                        // the server takes their union; with it, the boxes also follow each other
                        // so what is shown is what will be saved.
                        let events: Vec<(EventTypeInfo, RwSignal<bool>)> = types
                            .into_iter()
                            .map(|t| {
                                let on = selected.contains(&t.name);
                                (t, RwSignal::new(on))
                            })
                            .collect();
                        let signals: Vec<RwSignal<bool>> = events.iter().map(|(_, s)| *s).collect();
                        let whole_initial = !signals.is_empty() && signals.iter().all(|s| s.get_untracked());
                        let sigs = signals.clone();
                        let whole = Memo::new(move |_| !sigs.is_empty() && sigs.iter().all(|s| s.get()));
                        let sigs = signals.clone();
                        let some = Memo::new(move |_| sigs.iter().any(|s| s.get()));
                        let toggle_all = signals;
                        view! {
                            <div class="picker__group">
                                <label class="check check--strong">
                                    <input
                                        type="checkbox"
                                        name="categories[]"
                                        value=cat.clone()
                                        checked=whole_initial
                                        prop:checked=move || whole.get()
                                        prop:indeterminate=move || some.get() && !whole.get()
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            for s in &toggle_all {
                                                s.set(on);
                                            }
                                            if on {
                                                all_events.set(false);
                                            }
                                        }
                                    />
                                    {cat.clone()}
                                </label>
                                <div class="picker__events">
                                    {events
                                        .into_iter()
                                        .map(|(t, on)| {
                                            let initial = on.get_untracked();
                                            view! {
                                                <label class="check">
                                                    <input
                                                        type="checkbox"
                                                        name="event_types[]"
                                                        value=t.name.clone()
                                                        checked=initial
                                                        prop:checked=move || on.get()
                                                        on:change=move |ev| {
                                                            let checked = event_target_checked(&ev);
                                                            on.set(checked);
                                                            if checked {
                                                                all_events.set(false);
                                                            }
                                                        }
                                                    />
                                                    <code>{t.name.clone()}</code>
                                                    <span class="muted">{t.description.clone()}</span>
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </fieldset>
    }
}

#[component]
pub fn NewEndpointPage() -> impl IntoView {
    let app = app_param();
    let create = ServerAction::<CreateEndpoint>::new();
    let messages = Messages::of(create);
    let (error, invalid) = (messages.error, messages.invalid);
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    view! {
        <Title text=tr!("endpoint-add-title") />
        <h1>{tr!("endpoint-add-title")}</h1>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(types) => {
                        view! {
                            <ActionForm action=create attr:class="form">
                                <Alert message=error />
                                <input type="hidden" name="app" value=app.get_untracked() />
                                <EndpointFields
                                    catalogue=types
                                    url=String::new()
                                    description=String::new()
                                    selected=None
                                    rate_limit=None
                                    headers=Vec::new()
                                    invalid=invalid
                                />
                                <div class="actions">
                                    <button type="submit" class="button button--primary">
                                        {tr!("endpoint-create")}
                                    </button>
                                    <a class="button" href=format!("/portal/{}", app.get_untracked())>
                                        {tr!("endpoint-cancel")}
                                    </a>
                                </div>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditEndpointPage() -> impl IntoView {
    let app = app_param();
    let ep = endpoint_param();
    let update = ServerAction::<UpdateEndpoint>::new();
    let messages = Messages::of(update);
    let (error, invalid) = (messages.error, messages.invalid);
    // One resource per server function, as on the endpoint's page: a resource whose fetcher
    // awaited both hydrated from the wrong serialized value on about one load in two.
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    let endpoint = Resource::new(move || (app.get(), ep.get()), |(a, e)| get_endpoint(a, e));
    view! {
        <Title text=tr!("endpoint-edit-title") />
        <h1>{tr!("endpoint-edit-title")}</h1>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let data = match (catalogue.await, endpoint.await) {
                    (Ok(types), Ok(e)) => Ok((types, e)),
                    (Err(err), _) | (_, Err(err)) => Err(err),
                };
                match data {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok((types, e)) => {
                        let back = format!("/portal/{}/endpoints/{}", app.get_untracked(), e.id);
                        view! {
                            <ActionForm action=update attr:class="form">
                                <Alert message=error />
                                <input type="hidden" name="app" value=app.get_untracked() />
                                <input type="hidden" name="endpoint" value=e.id.clone() />
                                <EndpointFields
                                    catalogue=types
                                    url=e.url
                                    description=e.description
                                    selected=e.event_types
                                    rate_limit=e.rate_limit
                                    headers=e.headers
                                    invalid=invalid
                                />
                                <div class="actions">
                                    <button type="submit" class="button button--primary">
                                        {tr!("endpoint-save")}
                                    </button>
                                    <a class="button" href=back>
                                        {tr!("endpoint-cancel")}
                                    </a>
                                </div>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// What "send what it missed" would send, and the button that sends it.
#[component]
fn MissedConfirm(
    preview: MissedPreview,
    app: String,
    endpoint: String,
    since: String,
    tz: String,
    action: ServerAction<SendMissed>,
) -> impl IntoView {
    let MissedPreview {
        failed,
        skipped,
        more,
        waiting,
        endpoint_disabled,
    } = preview;
    let total = failed + skipped;
    let waiting_note = (waiting > 0).then(|| {
        let text = move || {
            let count = [("count", Arg::from(waiting))];
            if waiting >= 10_000 {
                t_with("endpoint-missed-waiting-more", &count)
            } else {
                t_with("endpoint-missed-waiting", &count)
            }
        };
        view! { <p class="muted">{text}</p> }
    });
    if endpoint_disabled {
        return view! {
            <div id="missed-preview" role="status">
                <p class="alert">{tr!("endpoint-missed-disabled")}</p>
                {waiting_note}
            </div>
        }
        .into_any();
    }
    if total == 0 && !more {
        return view! {
            <div id="missed-preview" role="status">
                <p>{tr!("endpoint-missed-nothing")}</p>
                {waiting_note}
            </div>
        }
        .into_any();
    }
    let summary = move || {
        let counts = [
            ("count", Arg::from(total)),
            ("failed", Arg::from(failed)),
            ("skipped", Arg::from(skipped)),
        ];
        if more {
            t_with("endpoint-missed-summary-at-least", &counts)
        } else {
            t_with("endpoint-missed-summary", &counts)
        }
    };
    let button = move || {
        if more {
            t("endpoint-missed-send-all")
        } else {
            t_with("endpoint-missed-send", &[("count", Arg::from(total))])
        }
    };
    view! {
        <div id="missed-preview" role="status">
            <p><strong>{summary}</strong></p>
            {waiting_note}
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="app" value=app />
                <input type="hidden" name="endpoint" value=endpoint />
                <input type="hidden" name="since" value=since />
                <input type="hidden" name="tz" value=tz />
                <button type="submit" class="button button--primary">{button}</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

/// "Send what it missed since…": the GET form puts the time in the URL, the page counts what
/// that would send, and the admin confirms with a POST. The time is the browser's local time
/// once hydrated (`tz`), UTC without JavaScript.
#[component]
fn SendMissedCard(
    app: String,
    endpoint: String,
    here: String,
    action: ServerAction<SendMissed>,
    missed: Resource<Result<Option<MissedPreview>, PortalError>>,
) -> impl IntoView {
    let query = use_query_map();
    let action_msgs = Messages::of(action);
    let send_missed_error = action_msgs.error;
    let (utc_offset, set_utc_offset) = signal(None::<i32>);
    Effect::new(move |_| set_utc_offset.set(browser_utc_offset()));
    let missed_since = move || query.read().get("missed_since").filter(|s| !s.is_empty());
    let missed_tz = move || query.read().get("tz").unwrap_or_default();
    let (app_sv, id_sv) = (StoredValue::new(app), StoredValue::new(endpoint));
    view! {
        <section class="card" aria-labelledby="missed-h">
            <h2 id="missed-h">{tr!("endpoint-missed-title")}</h2>
            <p class="muted">{tr!("endpoint-missed-help")}</p>
            <form method="get" action=here class="form" aria-label=tr!("endpoint-missed-title")>
                <div class="field">
                    <label for="missed-since">
                        {tr!("endpoint-missed-since")}" "
                        <span class="muted">{move || if utc_offset.get().is_some() { t("endpoint-missed-local-time") } else { t("endpoint-missed-utc") }}</span>
                    </label>
                    <input id="missed-since" name="missed_since" type="datetime-local" required=true
                        value=missed_since().unwrap_or_default() />
                </div>
                <input type="hidden" name="tz" prop:value=move || utc_offset.get().unwrap_or(0).to_string() />
                <button type="submit" class="button">{tr!("endpoint-missed-count")}</button>
            </form>
            <Transition fallback=|| view! { <p>{tr!("endpoint-missed-counting")}</p> }>
                {move || Suspend::new(async move {
                    match missed.await {
                        Ok(None) => ().into_any(),
                        Err(err) => view! {
                            <p class="alert alert--error" role="alert">{err.message()}</p>
                        }.into_any(),
                        Ok(Some(p)) => view! {
                            <MissedConfirm preview=p app=app_sv.get_value() endpoint=id_sv.get_value()
                                since=missed_since().unwrap_or_default() tz=missed_tz() action=action />
                        }.into_any(),
                    }
                })}
            </Transition>
            <Alert message=send_missed_error />
            {move || action_msgs.done.get().map(|n| view! {
                <p class="alert alert--ok" role="status">{t_with("endpoint-missed-queued", &[("count", Arg::from(n))])}</p>
            })}
        </section>
    }
    .into_any()
}

/// The endpoint's deliveries, with the log's filters (but the endpoint) and pages.
#[component]
fn EndpointLog(
    app: String,
    here: String,
    types: Vec<EventTypeInfo>,
    deliveries: Resource<Result<crate::portal::DeliveryLogPage, PortalError>>,
    can_write: bool,
) -> impl IntoView {
    let query = use_query_map();
    let (app, here) = (StoredValue::new(app), StoredValue::new(here));
    view! {
        <section aria-labelledby="log-h">
            <div class="page-head">
                <h2 id="log-h">{tr!("nav-delivery-log")}</h2>
                // A link to this very page changes nothing the router sees: fetch again instead.
                <a
                    href=here.get_value()
                    on:click=move |ev| {
                        ev.prevent_default();
                        deliveries.refetch();
                    }
                >
                    {tr!("endpoint-refresh")}
                </a>
            </div>
            <DeliveryFilters path=here.get_value() q=LogQuery::read(&query.read_untracked()) types=types />
            <Transition fallback=|| view! { <p>{tr!("endpoint-loading-deliveries")}</p> }>
                {move || Suspend::new(async move {
                    let q = LogQuery::read(&query.read_untracked());
                    match deliveries.await {
                        Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                        Ok(page) => view! {
                            <DeliveryLogTable app=app.get_value() page=page path=here.get_value() q=q can_write=can_write show_endpoint=false />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
pub fn EndpointPage() -> impl IntoView {
    let app = app_param();
    let ep = endpoint_param();
    let query = use_query_map();
    let can_write = use_viewer().is_some_and(|v| v.can_write);

    // The confirmations that a link opens take the focus when they appear.
    let (delete_box, rotate_box) = (NodeRef::new(), NodeRef::new());
    focus_when_shown(delete_box);
    focus_when_shown(rotate_box);
    let toggle = ServerAction::<SetEndpointState>::new();
    let rotate = ServerAction::<RotateSecret>::new();
    let send = ServerAction::<SendTestEvent>::new();
    let send_missed = ServerAction::<SendMissed>::new();
    let delete = ServerAction::<DeleteEndpoint>::new();
    let toggle_error = form_error(toggle);
    let rotate_error = form_error(rotate);
    let delete_error = form_error(delete);

    // Deliveries of a test event land a moment after the send returns: look again shortly.
    let (tick, set_tick) = signal(0u32);
    Effect::new(move |_| {
        if send.version().get() > 0 || send_missed.version().get() > 0 {
            for ms in [700u64, 2500] {
                set_timeout(
                    move || set_tick.update(|t| *t += 1),
                    Duration::from_millis(ms),
                );
            }
        }
    });

    let endpoint = Resource::new(
        move || {
            (
                app.get(),
                ep.get(),
                toggle.version().get(),
                rotate.version().get(),
            )
        },
        |(a, e, _, _)| get_endpoint(a, e),
    );
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    let help = Resource::new(move || app.get(), verify_help);
    let reveal = move || query.read().get("reveal").is_some();
    let secret = Resource::new(
        move || (app.get(), ep.get(), reveal(), rotate.version().get()),
        move |(a, e, show, _)| async move {
            if show && can_write {
                reveal_secret(a, e).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    // Made here, outside the page's Suspend, so that the count the server rendered is the one
    // the browser hydrates (a resource made inside it is fetched again, and its form replaced).
    let missed = Resource::new(
        move || {
            let q = query.read();
            (
                app.get(),
                ep.get(),
                q.get("missed_since").filter(|s| !s.is_empty()),
                q.get("tz").unwrap_or_default(),
                send_missed.version().get(),
            )
        },
        |(a, e, since, tz, _)| async move {
            match since {
                Some(since) => count_missed(a, e, since, tz).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let log_query = Memo::new(move |_| LogQuery::read(&query.read()));
    let deliveries = Resource::new(
        move || (app.get(), ep.get(), log_query.get(), tick.get()),
        |(a, e, q, _)| q.fetch(a, Some(e)),
    );

    view! {
        <Title text=tr!("col-endpoint") />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let e = match endpoint.await {
                    Ok(e) => e,
                    Err(err) => return view! { <ErrorPanel error=err /> }.into_any(),
                };
                let app_id = app.get_untracked();
                let here = format!("/portal/{app_id}/endpoints/{}", e.id);
                // Copyable handles: the view's many closures each need these.
                let app_sv = StoredValue::new(app_id.clone());
                let id_sv = StoredValue::new(e.id.clone());
                let here_sv = StoredValue::new(here.clone());
                let types = catalogue.await.unwrap_or_default();
                let subscribed: Vec<EventTypeInfo> = match &e.event_types {
                    None => types.clone(),
                    Some(list) => types.iter().filter(|t| list.contains(&t.name)).cloned().collect(),
                };
                let help = help.await.ok();
                let shown_once = help.as_ref().is_some_and(|h| h.secret_shown_once);
                let rotation_immediate = help.as_ref().is_some_and(|h| h.rotation_immediate);
                // Driven by the URL, and read where they show: the router changes the query
                // without running this page's Suspend again.
                let confirm_rotate = move || query.read().get("rotate").is_some();
                let confirm_delete = move || query.read().get("delete").is_some();
                let rotated = move || query.read().get("rotated").is_some();
                let (rate_limit, disabled) = (e.rate_limit, e.disabled);
                view! {
                    <p class="crumbs">
                        <a href=format!("/portal/{}", app_sv.get_value())>{tr!("nav-endpoints")}</a>
                        " / "{tr!("endpoint-crumb")}
                    </p>
                    <div class="page-head">
                        <h1 class="break">{e.url.clone()}</h1>
                        <StateBadge disabled=e.disabled reason=e.disabled_reason.clone() />
                    </div>
                    {(!e.description.is_empty()).then(|| view! { <p class="lead">{e.description.clone()}</p> })}

                    <div class="grid">
                        // Its own view type: the page's whole type is too deep for the compiler.
                        {view! {
                        <section class="card" aria-labelledby="settings-h">
                            <h2 id="settings-h">{tr!("endpoint-settings")}</h2>
                            <dl class="facts">
                                <dt>{tr!("endpoint-url")}</dt>
                                <dd class="break copyable">
                                    {e.url.clone()}
                                    <CopyButton text=e.url.clone() label=t("endpoint-copy-url") />
                                </dd>
                                <dt>{tr!("endpoint-id")}</dt>
                                <dd class="copyable">
                                    <code>{e.id.clone()}</code>
                                    <CopyButton text=e.id.clone() label=t("endpoint-copy-id") />
                                </dd>
                                <dt>{tr!("endpoint-events")}</dt>
                                <dd>
                                    {match &e.event_types {
                                        None => view! { {tr!("endpoint-all-events")} }.into_any(),
                                        Some(list) => {
                                            view! {
                                                <ul class="plain">
                                                    {list.iter().map(|t| view! { <li><code>{t.clone()}</code></li> }).collect_view()}
                                                </ul>
                                            }
                                                .into_any()
                                        }
                                    }}
                                </dd>
                                <dt>{tr!("endpoint-rate-limit")}</dt>
                                <dd>{move || match rate_limit {
                                    Some(r) => t_with("endpoint-rate-per-second", &[("rate", Arg::from(r))]),
                                    None => t("endpoint-rate-limit-none"),
                                }}</dd>
                                <dt>{tr!("endpoint-custom-headers")}</dt>
                                <dd>
                                    {if e.headers.is_empty() {
                                        view! { {tr!("endpoint-headers-none")} }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain">
                                                {e.headers.iter().map(|h| {
                                                    let value = h.value.clone().unwrap_or_else(|| t("endpoint-header-hidden"));
                                                    view! { <li class="break"><code>{h.name.clone()}</code>": "{value}</li> }
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </dd>
                                <dt>{tr!("endpoint-created")}</dt>
                                <dd><LocalTime ms=e.created_at /></dd>
                            </dl>
                            {can_write.then(|| {
                                let edit = format!("{}/edit", here_sv.get_value());
                                let toggle_to = if e.disabled { "false" } else { "true" };
                                view! {
                                    <div class="actions">
                                        <a class="button" href=edit>{tr!("endpoint-edit")}</a>
                                        <ActionForm action=toggle attr:class="inline-form">
                                            <input type="hidden" name="app" value=app_sv.get_value() />
                                            <input type="hidden" name="endpoint" value=id_sv.get_value() />
                                            <input type="hidden" name="disabled" value=toggle_to />
                                            <button type="submit" class="button">
                                                {move || if disabled { t("endpoint-enable") } else { t("endpoint-disable") }}
                                            </button>
                                        </ActionForm>
                                        <a class="button button--danger" href=format!("{}?delete=1", here_sv.get_value())>{tr!("endpoint-delete")}</a>
                                    </div>
                                    <Alert message=toggle_error />
                                    {move || confirm_delete().then(|| view! {
                                        <div class="confirm" role="group" aria-labelledby="delete-h" tabindex="-1" node_ref=delete_box>
                                            <h3 id="delete-h">{tr!("endpoint-delete-question")}</h3>
                                            <p>{tr!("endpoint-delete-explained")}</p>
                                            <ActionForm action=delete attr:class="inline-form">
                                                <input type="hidden" name="app" value=app_sv.get_value() />
                                                <input type="hidden" name="endpoint" value=id_sv.get_value() />
                                                <button type="submit" class="button button--danger">{tr!("endpoint-delete-confirm")}</button>
                                            </ActionForm>
                                            <a class="button" href=here_sv.get_value()>{tr!("endpoint-cancel")}</a>
                                            <Alert message=delete_error />
                                        </div>
                                    })}
                                }
                            })}
                        </section>
                        }.into_any()}

                        // Its own view type too (see Settings).
                        {view! {
                        <section class="card" aria-labelledby="secret-h">
                            <h2 id="secret-h">{tr!("endpoint-secret")}</h2>
                            <p class="muted">
                                {tr!("endpoint-secret-lead")}" "
                                {help.as_ref().map(|h| h.summary.clone())}
                            </p>
                            {if !can_write {
                                view! { <p class="muted">{tr!("endpoint-secret-write-only")}</p> }.into_any()
                            } else {
                                view! {
                                    {move || rotated().then(|| view! {
                                        <p class="alert alert--ok" role="status">{tr!("endpoint-secret-rotated")}</p>
                                    })}
                                    <Suspense fallback=|| ()>
                                        {move || Suspend::new(async move {
                                            match secret.await {
                                                Ok(Some(s)) => view! {
                                                    <p class="copyable">
                                                        <code class="secret" aria-label=tr!("endpoint-secret")>{s.clone()}</code>
                                                        <CopyButton text=s label=t("endpoint-copy-secret") />
                                                    </p>
                                                    {shown_once.then(|| view! {
                                                        <p class="alert alert--warn" role="status">{tr!("endpoint-secret-copy-now")}</p>
                                                    })}
                                                }.into_any(),
                                                Ok(None) => view! {
                                                    <p><code class="secret secret--hidden" aria-hidden="true">"••••••••••••••••••••"</code></p>
                                                }.into_any(),
                                                Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                                            }
                                        })}
                                    </Suspense>
                                    <div class="actions">
                                        {move || if shown_once {
                                            view! { <p class="muted">{tr!("endpoint-secret-shown-once")}</p> }.into_any()
                                        } else if reveal() {
                                            view! { <a class="button" href=here_sv.get_value()>{tr!("endpoint-secret-hide")}</a> }.into_any()
                                        } else {
                                            view! {
                                                <form method="get" action=here_sv.get_value() class="inline-form">
                                                    <input type="hidden" name="reveal" value="1" />
                                                    <button type="submit" class="button">{tr!("endpoint-secret-reveal")}</button>
                                                </form>
                                            }.into_any()
                                        }}
                                        <form method="get" action=here_sv.get_value() class="inline-form">
                                            <input type="hidden" name="rotate" value="1" />
                                            <button type="submit" class="button">{tr!("endpoint-rotate-secret")}</button>
                                        </form>
                                    </div>
                                    {move || confirm_rotate().then(|| view! {
                                        <div class="confirm" role="group" aria-labelledby="rotate-h" tabindex="-1" node_ref=rotate_box>
                                            <h3 id="rotate-h">{tr!("endpoint-rotate-question")}</h3>
                                            {if rotation_immediate {
                                                view! { <p>{tr!("endpoint-rotate-immediate")}</p> }.into_any()
                                            } else {
                                                view! { <p>{tr!("endpoint-rotate-with-grace")}</p> }.into_any()
                                            }}
                                            <ActionForm action=rotate attr:class="form">
                                                <input type="hidden" name="app" value=app_sv.get_value() />
                                                <input type="hidden" name="endpoint" value=id_sv.get_value() />
                                                <div class="field" hidden=rotation_immediate>
                                                    <label for="grace">{tr!("endpoint-grace-period")}</label>
                                                    <select id="grace" name="grace">
                                                        <option value="0">{tr!("endpoint-grace-none")}</option>
                                                        <option value="1h">{tr!("endpoint-grace-1h")}</option>
                                                        <option value="24h" selected=true>{tr!("endpoint-grace-24h")}</option>
                                                    </select>
                                                </div>
                                                <div class="actions">
                                                    <button type="submit" class="button button--primary">{tr!("endpoint-rotate-confirm")}</button>
                                                    <a class="button" href=here_sv.get_value()>{tr!("endpoint-cancel")}</a>
                                                </div>
                                            </ActionForm>
                                            <Alert message=rotate_error />
                                        </div>
                                    })}
                                }.into_any()
                            }}
                            {help.as_ref().map(|h| view! {
                                <details class="verify">
                                    <summary>{tr!("endpoint-verify")}</summary>
                                    {h.snippets.iter().map(|(language, code)| view! {
                                        <h3>{language.clone()}</h3>
                                        <pre class="code" data-language=language.clone()><code>{code.clone()}</code></pre>
                                        <CopyButton text=code.clone() label=t_with("endpoint-copy-code", &[("language", Arg::from(language))]) />
                                    }).collect_view()}
                                </details>
                            })}
                        </section>
                        }.into_any()}
                    </div>
                    <HealthCard day=e.day.clone() week=e.week.clone() last_success_at=e.last_success_at />

                    {can_write.then(|| view! {
                        <div class="grid">
                            <TestEventCard app=app_sv.get_value() endpoint=id_sv.get_value() types=subscribed.clone() action=send />
                            <SendMissedCard app=app_sv.get_value() endpoint=id_sv.get_value() here=here_sv.get_value() action=send_missed missed=missed />
                        </div>
                    }.into_any())}

                    <EndpointLog app=app_sv.get_value() here=here_sv.get_value() types=types.clone() deliveries=deliveries can_write=can_write />
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// "Send a test event": the event type and its payload, filled with the type's example and
/// open to edits before it goes. The message is marked "Test" in the log.
#[component]
fn TestEventCard(
    app: String,
    endpoint: String,
    types: Vec<EventTypeInfo>,
    action: ServerAction<SendTestEvent>,
) -> impl IntoView {
    let messages = Messages::of(action);
    let (error, invalid) = (messages.error, messages.invalid);
    let problem = problem_with(invalid, "payload");
    let first = types.first().map(|t| t.example.clone()).unwrap_or_default();
    let payload = RwSignal::new(first.clone());
    let examples = StoredValue::new(types.clone());
    let area = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if problem.get().is_some() {
            if let Some(el) = area.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="test-h">
            <h2 id="test-h">{tr!("endpoint-test-title")}</h2>
            {if types.is_empty() {
                view! { <p class="muted">{tr!("endpoint-test-no-types")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="app" value=app />
                        <input type="hidden" name="endpoint" value=endpoint />
                        <div class="field">
                            <label for="test-type">{tr!("col-event-type")}</label>
                            <select
                                id="test-type"
                                name="event_type"
                                on:change=move |ev| {
                                    let name = event_target_value(&ev);
                                    if let Some(ex) = examples.with_value(|ts| ts.iter().find(|t| t.name == name).map(|t| t.example.clone())) {
                                        payload.set(ex);
                                    }
                                }
                            >
                                {types.iter().map(|t| view! {
                                    <option value=t.name.clone()>{t.name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="test-payload">{tr!("endpoint-test-payload")}</label>
                            <textarea
                                id="test-payload"
                                name="payload"
                                class="code"
                                rows="8"
                                spellcheck="false"
                                node_ref=area
                                aria-invalid=move || problem.get().map(|_| "true")
                                aria-describedby=described_by(Some("test-payload-help"), "test-payload-error", problem)
                                prop:value=move || payload.get()
                                on:input=move |ev| payload.set(event_target_value(&ev))
                            >
                                {first}
                            </textarea>
                            <FieldError id="test-payload-error" problem=problem />
                            <p class="help" id="test-payload-help">
                                {tr!("endpoint-test-payload-help")}
                            </p>
                        </div>
                        <button type="submit" class="button button--primary">{tr!("endpoint-test-send")}</button>
                    </ActionForm>
                }.into_any()
            }}
            <Alert message=error />
            {move || messages.done.get().map(|id| view! {
                <p class="alert alert--ok copyable" role="status">
                    {tr!("endpoint-test-sent")}" " <code>{id.clone()}</code>
                    <CopyButton text=id label=t("endpoint-copy-message-id") />
                </p>
            })}
        </section>
    }
}

/// How the endpoint did over the last day and week: deliveries by message (a retry that got
/// through is a success), tries, response times and the last success.
#[component]
fn HealthCard(
    day: HealthWindow,
    week: HealthWindow,
    last_success_at: Option<i64>,
) -> impl IntoView {
    let delivered = |w: &HealthWindow| {
        let (count, first) = (w.delivered, w.delivered_first_try);
        move || {
            if count == 0 {
                "0".to_owned()
            } else {
                t_with(
                    "endpoint-health-delivered-count",
                    &[("count", Arg::from(count)), ("first", Arg::from(first))],
                )
            }
        }
    };
    // Tries' response times as the upper bounds of their buckets.
    let times = |w: &HealthWindow| {
        let bounds = match (&w.p50, &w.p95, &w.p99) {
            (Some(a), Some(b), Some(c)) => Some(format!("p50 {a} · p95 {b} · p99 {c}")),
            _ => None,
        };
        move || {
            bounds
                .clone()
                .unwrap_or_else(|| t("endpoint-health-no-tries"))
        }
    };
    view! {
        <section class="card health-card" aria-labelledby="health-h" data-testid="endpoint-health">
            <h2 id="health-h">{tr!("endpoint-health")}</h2>
            <table class="health">
                <thead>
                    <tr><th scope="col"></th><th scope="col">{tr!("endpoint-health-24h")}</th><th scope="col">{tr!("endpoint-health-7d")}</th></tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">{tr!("endpoint-health-success-rate")}</th>
                        <td data-testid="rate-day">{percent(day.success_rate())}</td>
                        <td>{percent(week.success_rate())}</td>
                    </tr>
                    <tr><th scope="row">{tr!("endpoint-health-delivered")}</th><td>{delivered(&day)}</td><td>{delivered(&week)}</td></tr>
                    <tr><th scope="row">{tr!("endpoint-health-failed")}</th><td>{day.failed}</td><td>{week.failed}</td></tr>
                    <tr>
                        <th scope="row">{tr!("endpoint-health-tries")}</th>
                        <td>{format!("{} ({})", day.attempts, day.attempts_failed)}</td>
                        <td>{format!("{} ({})", week.attempts, week.attempts_failed)}</td>
                    </tr>
                    <tr><th scope="row">{tr!("endpoint-health-response-time")}</th><td>{times(&day)}</td><td>{times(&week)}</td></tr>
                </tbody>
            </table>
            <p class="help">
                {tr!("endpoint-health-help")}" "
                {tr!("endpoint-health-last-success")}" "
                {match last_success_at {
                    Some(ms) => view! { <LocalTime ms=ms /> }.into_any(),
                    None => view! { {tr!("endpoint-health-no-success")} }.into_any(),
                }}
            </p>
        </section>
    }
}
