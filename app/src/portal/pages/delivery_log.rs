//! The delivery log as the company's log page and an endpoint's page both show it: one row per
//! message and endpoint in its one state, its filters and its pages, all in the URL (`state`,
//! `event_type`, `endpoint`, `since`, `until`, `before`, `after`) so that a link shows the same
//! rows to anyone.

use crate::i18n::t;
use crate::portal::api::{list_deliveries, Replay};
use crate::portal::widgets::{browser_utc_offset, Alert, DataTable, Messages, TimeAgo};
use crate::portal::{DeliveryAction, DeliveryLogPage, EventTypeInfo, PortalError};
use crate::tr;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The badge of a state: green delivered, red failed, amber for anything still to happen,
/// plain for skipped.
pub(super) fn badge(state: &str) -> &'static str {
    match state {
        "delivered" => "badge badge--success",
        "failed" => "badge badge--danger",
        "skipped" => "badge",
        _ => "badge badge--warning",
    }
}

/// A state's name on its badge; a state this page does not know yet shows as its code.
pub(super) fn label(state: &str) -> String {
    match state {
        "delivered" => t("log-state-delivered"),
        "sending" => t("log-state-sending"),
        "queued" => t("log-state-queued"),
        "retrying" => t("log-state-retrying"),
        "waiting" => t("log-state-waiting"),
        "held" => t("log-state-held"),
        "skipped" => t("log-state-skipped"),
        "failed" => t("log-state-failed"),
        other => {
            let mut s = other.to_owned();
            if let Some(first) = s.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            s
        }
    }
}

/// A delivery's last answer as a person reads it; `None` before its first try.
pub(super) fn last_answer(code: Option<i64>) -> Option<String> {
    code.map(|c| {
        if c == 0 {
            t("log-no-response")
        } else {
            c.to_string()
        }
    })
}

/// What a writer can do for a delivery, next to it: send it (now or again) with `send`, whose
/// form carries `[app, message, endpoint]`, or go and enable its endpoint.
pub(super) fn action_control(
    action: Option<DeliveryAction>,
    can_write: bool,
    send: ServerAction<Replay>,
    [app, message, endpoint]: [String; 3],
    endpoint_href: &str,
) -> Option<AnyView> {
    match (action?, can_write) {
        (_, false) => None,
        (DeliveryAction::EnableEndpoint, true) => {
            Some(view! { <a href=endpoint_href.to_owned()>{tr!("log-enable-endpoint")}</a> }.into_any())
        }
        (a, true) => Some(
            view! {
                <ActionForm action=send attr:class="inline-form">
                    <input type="hidden" name="app" value=app />
                    <input type="hidden" name="message" value=message />
                    <input type="hidden" name="endpoint" value=endpoint />
                    <button type="submit" class="button button--small">
                        {move || if a == DeliveryAction::SendNow { t("log-send-now") } else { t("log-send-again") }}
                    </button>
                </ActionForm>
            }
            .into_any(),
        ),
    }
}

/// The states the log filters by, as the form offers them (value, message key).
const STATES: [(&str, &str); 4] = [
    ("delivered", "log-state-delivered"),
    ("in-progress", "log-state-in-progress"),
    ("failed", "log-state-failed"),
    ("skipped", "log-state-skipped"),
];

/// A log's filters and page, as the URL holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LogQuery {
    pub state: Option<String>,
    pub event_type: Option<String>,
    pub endpoint: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub tz: Option<String>,
}

impl LogQuery {
    pub fn read(query: &ParamsMap) -> LogQuery {
        let q = |k: &str| query.get(k).filter(|v| !v.is_empty());
        LogQuery {
            state: q("state"),
            event_type: q("event_type"),
            endpoint: q("endpoint"),
            before: q("before"),
            after: q("after"),
            since: q("since"),
            until: q("until"),
            tz: q("tz"),
        }
    }

    /// This page of the log, of `endpoint` when given (an endpoint's own page), else of the
    /// endpoint the filters name, if any.
    pub async fn fetch(
        self,
        app: String,
        endpoint: Option<String>,
    ) -> Result<DeliveryLogPage, PortalError> {
        list_deliveries(
            app,
            endpoint.or(self.endpoint),
            self.state,
            self.event_type,
            self.before,
            self.after,
            self.since,
            self.until,
            self.tz,
        )
        .await
    }

    /// `path` with these filters, at the page `(before, after)`.
    fn href(&self, path: &str, before: Option<&str>, after: Option<&str>) -> String {
        let pairs = [
            ("state", self.state.as_deref()),
            ("event_type", self.event_type.as_deref()),
            ("endpoint", self.endpoint.as_deref()),
            ("since", self.since.as_deref()),
            ("until", self.until.as_deref()),
            ("tz", self.tz.as_deref()),
            ("before", before),
            ("after", after),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={}", encode(v))))
            .collect();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }
}

/// Percent-encodes all but unreserved characters: the values come from the URL, so they may
/// hold anything.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The log's filter form (a GET to `path`). `endpoints` (id, url) adds an endpoint filter, on
/// the company's log.
#[component]
pub(super) fn DeliveryFilters(
    path: String,
    q: LogQuery,
    types: Vec<EventTypeInfo>,
    #[prop(optional)] endpoints: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let state = q.state.clone().unwrap_or_default();
    let chosen_type = q.event_type.clone().unwrap_or_default();
    let chosen_endpoint = q.endpoint.clone().unwrap_or_default();
    // Date and time fields read in the browser's zone once hydrated, UTC without JavaScript.
    let (utc_offset, set_utc_offset) = signal(None::<i32>);
    Effect::new(move |_| set_utc_offset.set(browser_utc_offset()));
    let zone = move || {
        if utc_offset.get().is_some() {
            t("log-zone-local")
        } else {
            t("log-zone-utc")
        }
    };
    view! {
        <form method="get" action=path class="filters" aria-label=tr!("log-filters")>
            <div class="field">
                <label for="f-state">{tr!("col-state")}</label>
                <select id="f-state" name="state">
                    <option value="" selected=state.is_empty()>{tr!("log-filter-all")}</option>
                    {STATES.iter().map(|&(v, key)| view! {
                        <option value=v selected=state == v>{t(key)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-type">{tr!("col-event-type")}</label>
                <select id="f-type" name="event_type">
                    <option value="" selected=chosen_type.is_empty()>{tr!("log-filter-all")}</option>
                    {types.into_iter().map(|t| {
                        let on = t.name == chosen_type;
                        view! { <option value=t.name.clone() selected=on>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            {endpoints.map(|eps| view! {
                <div class="field">
                    <label for="f-endpoint">{tr!("col-endpoint")}</label>
                    <select id="f-endpoint" name="endpoint">
                        <option value="" selected=chosen_endpoint.is_empty()>{tr!("log-filter-all")}</option>
                        {eps.into_iter().map(|(id, url)| {
                            let on = id == chosen_endpoint;
                            view! { <option value=id selected=on>{url}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="f-since">{tr!("log-filter-from")} " " <span class="muted">{zone}</span></label>
                <input id="f-since" name="since" type="datetime-local" value=q.since.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-until">{tr!("log-filter-to")} " " <span class="muted">{zone}</span></label>
                <input id="f-until" name="until" type="datetime-local" value=q.until.clone().unwrap_or_default() />
            </div>
            <input type="hidden" name="tz" prop:value=move || utc_offset.get().unwrap_or(0).to_string() />
            <button type="submit" class="button">{tr!("log-filter")}</button>
        </form>
    }
}

/// A page of the log and the links to the pages beside it. `path` is the page the log is on.
#[component]
pub(super) fn DeliveryLogTable(
    app: String,
    page: DeliveryLogPage,
    path: String,
    q: LogQuery,
    can_write: bool,
    show_endpoint: bool,
) -> impl IntoView {
    if page.rows.is_empty() {
        let filtered = q != LogQuery::default();
        return view! {
            <div class="empty">
                <h2>{tr!("log-empty-heading")}</h2>
                <p>{move || if filtered { t("log-empty-filtered") } else { t("log-empty") }}</p>
            </div>
        }
        .into_any();
    }
    let send = ServerAction::<Replay>::new();
    let send_msgs = Messages::of(send);
    let send_error = send_msgs.error;
    let rows = page
        .rows
        .into_iter()
        .map(|r| {
            let d = r.delivery;
            let endpoint_href = format!("/portal/{app}/endpoints/{}", d.endpoint_id);
            let message_href = format!("/portal/{app}/messages/{}", r.msg_id);
            let shown_id = r.event_id.clone().unwrap_or_else(|| r.msg_id.clone());
            let last = last_answer(d.last_status_code);
            let action = action_control(
                d.action,
                can_write,
                send,
                [app.clone(), r.msg_id.clone(), d.endpoint_id.clone()],
                &endpoint_href,
            );
            view! {
                <tr data-msg=r.msg_id.clone() data-endpoint=d.endpoint_id.clone() data-state=d.state.clone()>
                    <td><TimeAgo ms=r.created_at /></td>
                    <td>
                        <code>{r.event_type}</code>
                        {r.test.then(|| view! { " " <span class="badge badge--test" title=tr!("log-test-title")>{tr!("log-test")}</span> })}
                        <div><a class="mono break" href=message_href>{shown_id}</a></div>
                    </td>
                    {show_endpoint.then(|| view! {
                        <td><a class="break" href=endpoint_href>{d.url}</a></td>
                    })}
                    <td>
                        <span class=badge(&d.state)>{label(&d.state)}</span>
                        <div class="muted">{d.detail}</div>
                    </td>
                    <td>{tr!("log-tries-of", "tries" => d.tries, "max" => d.max_tries)}</td>
                    <td><span class="mono">{last}</span></td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    let columns: &'static [&'static str] = if show_endpoint {
        &[
            "col-time",
            "col-event",
            "col-endpoint",
            "col-state",
            "col-tries",
            "col-last-answer",
        ]
    } else {
        &[
            "col-time",
            "col-event",
            "col-state",
            "col-tries",
            "col-last-answer",
        ]
    };
    let paged = q.before.is_some() || q.after.is_some();
    let newest = paged.then(|| q.href(&path, None, None));
    let newer = page.newer.as_deref().map(|c| q.href(&path, None, Some(c)));
    let older = page.older.as_deref().map(|c| q.href(&path, Some(c), None));
    view! {
        <Alert message=send_error />
        {move || send_msgs.done.get().map(|_| view! {
            <p class="alert alert--ok" role="status">{tr!("log-queued")}</p>
        })}
        <DataTable label=tr!("log-deliveries") columns=columns actions="col-actions">
            {rows}
        </DataTable>
        <nav class="pager" aria-label=tr!("log-pages")>
            {newest.map(|h| view! { <a href=h>{tr!("log-newest")}</a> })}
            {newer.map(|h| view! { <a href=h rel="prev">{tr!("log-newer")}</a> })}
            {older.map(|h| view! { <a href=h rel="next">{tr!("log-older")}</a> })}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_link_keeps_the_filters_and_encodes_what_the_url_gave() {
        let q = LogQuery {
            state: Some("failed".into()),
            event_type: Some("a&b c".into()),
            ..LogQuery::default()
        };
        assert_eq!(
            q.href("/portal/x/logs", Some("msg_1.ep_2"), None),
            "/portal/x/logs?state=failed&event_type=a%26b%20c&before=msg_1.ep_2"
        );
        assert_eq!(LogQuery::default().href("/p", None, None), "/p");
    }
}
