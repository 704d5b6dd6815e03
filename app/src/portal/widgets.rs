//! Small pieces the portal pages share.

use super::{AttemptRow, PortalError};
use crate::i18n::{locale, t, t_with, Arg, Locale};
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A time in the viewer's own time zone. The server does not know that zone, so it renders UTC
/// (labelled as such); once the page is interactive the browser rewrites it in local time.
#[component]
pub fn LocalTime(ms: i64) -> impl IntoView {
    let iso = utc_iso(ms);
    let (text, set_text) = signal(format!(
        "{} UTC",
        iso.replace('T', " ").trim_end_matches('Z')
    ));
    Effect::new(move |_| {
        if let Some(local) = local_text(ms, locale()) {
            set_text.set(local);
        }
    });
    view! { <time datetime=iso>{text}</time> }
}

fn utc_iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's algorithm; the wasm side
/// has no chrono, and this is all it needs.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// In the page's language rather than the browser's, so a date reads like the text around it.
#[cfg(feature = "hydrate")]
fn local_text(ms: i64, lang: Locale) -> Option<String> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let s: String = date
        .to_locale_string(lang.tag(), &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    Some(s)
}

#[cfg(not(feature = "hydrate"))]
fn local_text(_ms: i64, _lang: Locale) -> Option<String> {
    None
}

/// A time as how long ago it was ("5 min ago"), with the exact time in the viewer's zone on
/// hover: for logs, where "how recent" is read first.
#[component]
pub fn TimeAgo(ms: i64) -> impl IntoView {
    let iso = utc_iso(ms);
    let (exact, set_exact) = signal(format!(
        "{} UTC",
        iso.replace('T', " ").trim_end_matches('Z')
    ));
    let (ago, set_ago) = signal(ago_text(clock_ms() - ms));
    Effect::new(move |_| {
        let lang = locale();
        if let Some(local) = local_text(ms, lang) {
            set_exact.set(local);
        }
        set_ago.set(ago_text_in(lang, clock_ms() - ms));
    });
    view! { <time datetime=iso title=exact>{ago}</time> }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago", in the page's language.
pub fn ago_text(elapsed_ms: i64) -> String {
    ago_text_in(locale(), elapsed_ms)
}

fn ago_text_in(lang: Locale, elapsed_ms: i64) -> String {
    let s = elapsed_ms.max(0) / 1000;
    let (key, count) = match s {
        0..=59 => return lang.text("common-just-now"),
        60..=3599 => ("common-minutes-ago", s / 60),
        3600..=86_399 => ("common-hours-ago", s / 3600),
        _ => ("common-days-ago", s / 86_400),
    };
    lang.text_with(key, &[("count", Arg::from(count))])
}

#[cfg(feature = "hydrate")]
fn clock_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(not(feature = "hydrate"))]
fn clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The browser's offset from UTC in minutes, as JavaScript gives it (positive west of UTC);
/// `None` on the server, where date and time fields read as UTC.
#[cfg(feature = "hydrate")]
pub fn browser_utc_offset() -> Option<i32> {
    Some(js_sys::Date::new_0().get_timezone_offset() as i32)
}

#[cfg(not(feature = "hydrate"))]
pub fn browser_utc_offset() -> Option<i32> {
    None
}

/// A button that copies `text` to the clipboard, and says whether it did. Where the browser
/// refuses (no JavaScript yet, a page not served over HTTPS, permission denied), it asks the
/// user to select the text instead.
#[component]
pub fn CopyButton(
    /// What to copy, exactly.
    #[prop(into)]
    text: String,
    /// What the button copies, for screen readers ("Copy the body").
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let text = StoredValue::new(text);
    let on_click = move |_| {
        copied.set(None);
        text.with_value(|t| copy_text(t, copied));
    };
    view! {
        <span class="copy">
            <button type="button" class="button button--small" aria-label=label on:click=on_click>{tr!("common-copy")}</button>
            <span class="muted" role="status">
                {move || match copied.get() {
                    None => String::new(),
                    Some(true) => t("common-copied"),
                    Some(false) => t("common-copy-failed"),
                }}
            </span>
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn copy_text(text: &str, copied: RwSignal<Option<bool>>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
    let promise = get(&js_sys::global(), "navigator")
        .and_then(|n| get(&n, "clipboard"))
        .filter(|c| !c.is_undefined())
        .and_then(|clip| {
            let write: js_sys::Function = get(&clip, "writeText")?.dyn_into().ok()?;
            write
                .call1(&clip, &JsValue::from_str(text))
                .ok()?
                .dyn_into::<js_sys::Promise>()
                .ok()
        });
    let Some(promise) = promise else {
        copied.set(Some(false));
        return;
    };
    // Both outcomes handled, so a refusal is no unhandled rejection in the console.
    let ok = Closure::<dyn FnMut(JsValue)>::new(move |_| copied.set(Some(true)));
    let refused = Closure::<dyn FnMut(JsValue)>::new(move |_| copied.set(Some(false)));
    let _ = promise.then2(&ok, &refused);
    ok.forget();
    refused.forget();
}

#[cfg(not(feature = "hydrate"))]
fn copy_text(_: &str, copied: RwSignal<Option<bool>>) {
    copied.set(Some(false));
}

/// Which of the page's actions ran last. An action's message (its error, or what it did)
/// belongs to that action: it shows until another action on the page starts, and no longer.
/// Provided by the layouts; a page without one keeps each message until its own action runs
/// again.
#[derive(Clone, Copy, Debug)]
pub struct Turns(RwSignal<u64>);

impl Turns {
    pub fn provide() {
        provide_context(Turns(RwSignal::new(0)));
    }

    fn current() -> Turns {
        use_context::<Turns>().unwrap_or_else(|| Turns(RwSignal::new(0)))
    }
}

/// The error and the result of one action, each `None` once another action has started.
pub struct Messages<T: Send + Sync + 'static> {
    /// The last error of this action, or, after a post without JavaScript (no action has run
    /// in the browser), the `error` the server put in the URL. An error about one field is not
    /// here but in `invalid`, to be shown next to that field.
    pub error: Signal<Option<String>>,
    /// What is wrong with one field: its name and the message (`error_field` and `error` in
    /// the URL after a post without JavaScript).
    pub invalid: Signal<Option<(String, String)>>,
    /// What its last run returned, if it succeeded.
    pub done: Signal<Option<T>>,
}

impl<T: Clone + Send + Sync + 'static> Messages<T> {
    pub fn of<A>(action: ServerAction<A>) -> Messages<T>
    where
        A: leptos::server_fn::ServerFn<Output = T, Error = PortalError>
            + Clone
            + Send
            + Sync
            + 'static,
    {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let me = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let turns = Turns::current();
        Effect::new(move |_| {
            if action.pending().get() {
                turns.0.set(me);
            }
        });
        let query = use_query_map();
        let value = action.value();
        let mine = move || turns.0.get() == me;
        Messages {
            error: Signal::derive(move || match value.get() {
                Some(Err(PortalError::Field { .. })) => None,
                Some(Err(e)) if mine() => Some(e.message()),
                Some(_) => None,
                None if turns.0.get() == 0 => {
                    let q = query.read();
                    q.get("error").filter(|_| q.get("error_field").is_none())
                }
                None => None,
            }),
            invalid: Signal::derive(move || match value.get() {
                Some(Err(PortalError::Field { field, message })) if mine() => {
                    Some((field, message))
                }
                Some(_) => None,
                None if turns.0.get() == 0 => {
                    let q = query.read();
                    q.get("error_field").zip(q.get("error"))
                }
                None => None,
            }),
            done: Signal::derive(move || match value.get() {
                Some(Ok(v)) if mine() => Some(v),
                _ => None,
            }),
        }
    }
}

/// The error of an action, as [`Messages::of`] has it.
pub fn form_error<A, T>(action: ServerAction<A>) -> Signal<Option<String>>
where
    A: leptos::server_fn::ServerFn<Output = T, Error = PortalError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Messages::of(action).error
}

/// The message for the field named `name`, when `invalid` is about it.
pub fn problem_with(
    invalid: Signal<Option<(String, String)>>,
    name: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        invalid
            .get()
            .filter(|(field, _)| field == name)
            .map(|(_, message)| message)
    })
}

/// The `aria-describedby` of a field: its help, and its error while it has one.
pub fn described_by(
    help: Option<&'static str>,
    error_id: &'static str,
    problem: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = [help, problem.get().map(|_| error_id)]
            .into_iter()
            .flatten()
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// What is wrong with one field, under it. The field names it in `aria-describedby` (see
/// [`described_by`]) and is focused by [`focus_on_problem`].
#[component]
pub fn FieldError(id: &'static str, problem: Signal<Option<String>>) -> impl IntoView {
    move || {
        problem.get().map(|m| {
            view! {
                <p class="field-error" id=id>
                    {m}
                </p>
            }
        })
    }
}

/// Moves the focus to `node` each time it appears: a confirmation opened by a link, so that the
/// keyboard and the screen reader land on the question rather than stay on the link.
pub fn focus_when_shown(node: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
}

/// Moves the focus to `node` when a problem with it appears, so the person at the form lands
/// on what to fix rather than on a message far from it.
pub fn focus_on_problem(node: NodeRef<leptos::html::Input>, problem: Signal<Option<String>>) {
    Effect::new(move |_| {
        if problem.get().is_some() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
}

/// The column headings as CSS custom properties (`--c1: "When"; …`): on a phone each row is
/// drawn as a card and each cell is labelled with its heading (`td:nth-child(n)::before`), so a
/// row reads without scrolling sideways to find its column.
pub fn column_labels(columns: &[&str], actions: Option<&str>) -> String {
    columns
        .iter()
        .copied()
        .chain(actions)
        .enumerate()
        .map(|(i, c)| {
            let quoted = c.replace('\\', "\\\\").replace('"', "\\\"");
            format!("--c{}: \"{quoted}\";", i + 1)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table under fixed column headings. On a phone its rows become cards, each cell under its
/// heading (see [`column_labels`]). `columns` and `actions` are message keys, drawn in the page's
/// language; `actions` adds a last column whose heading only screen readers announce (its cells
/// hold buttons).
#[component]
pub fn DataTable(
    #[prop(optional, into)] label: Option<String>,
    columns: &'static [&'static str],
    #[prop(optional)] actions: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let names: Vec<String> = columns.iter().map(|c| t(c)).collect();
    let action = actions.map(t);
    let style = {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        column_labels(&names, action.as_deref())
    };
    view! {
        <div class="table-wrap">
            <table class="table table--rows" aria-label=label style=style>
                <thead>
                    <tr>
                        {names.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}
                        {action.map(|a| view! {
                            <th scope="col"><span class="visually-hidden">{a}</span></th>
                        })}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// A destructive action behind a question: the first control only opens it, and the form that
/// acts (`children`, with its own submit button) is inside. A native disclosure, so it works the
/// same without JavaScript and during hydration.
#[component]
pub fn Confirm(
    /// What the first control says, e.g. "Remove ana@acme.test".
    #[prop(into)]
    label: String,
    /// What happens, asked plainly, e.g. "Remove ana@acme.test? They lose access at once."
    #[prop(into)]
    question: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm-inline">
            <summary class="button button--small button--danger">{label}</summary>
            <div class="confirm" role="group">
                <p>{question}</p>
                {children()}
            </div>
        </details>
    }
}

/// An action's error, where the user is: focus moves to it when it appears, so a keyboard or
/// screen-reader user (and anyone far down a long form) is taken to what went wrong.
#[component]
pub fn Alert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    let node = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if message.get().is_some() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
    move || {
        message.get().map(|m| {
            view! {
                <p class="alert alert--error" role="alert" tabindex="-1" node_ref=node>
                    {m}
                </p>
            }
        })
    }
}

/// A portal error as a page body. Sets the HTTP status on the server so a signed-out or
/// unknown page is not a 200.
#[component]
pub fn ErrorPanel(error: PortalError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(crate::ssr::portal_auth::status_of(&error));
    }
    let signed_out = error == PortalError::SignedOut;
    view! {
        <div class="callout callout--error" role="alert">
            <p>{error.message()}</p>
            {signed_out
                .then(|| {
                    view! {
                        <p>
                            <a href="/login">{tr!("nav-sign-in")}</a>
                        </p>
                    }
                })}
        </div>
    }
}

/// The last 24 hours of attempts as bars, one per hour: green height for successes, red for
/// failures, scaled to the busiest hour.
#[component]
pub fn Sparkline(hourly: Vec<(u32, u32)>) -> impl IntoView {
    let max = hourly.iter().map(|(o, f)| o + f).max().unwrap_or(0).max(1) as f64;
    let total: u32 = hourly.iter().map(|(o, f)| o + f).sum();
    let failed: u32 = hourly.iter().map(|(_, f)| f).sum();
    let label = move || {
        t_with(
            "common-sparkline-label",
            &[("total", Arg::from(total)), ("failed", Arg::from(failed))],
        )
    };
    let bars = hourly
        .into_iter()
        .enumerate()
        .map(|(i, (ok, bad))| {
            let x = (i * 5) as f64;
            let h_ok = f64::from(ok) / max * 20.0;
            let h_bad = f64::from(bad) / max * 20.0;
            view! {
                <rect class="spark__ok" x=x y=22.0 - h_ok width="4" height=h_ok />
                <rect class="spark__bad" x=x y=22.0 - h_ok - h_bad width="4" height=h_bad />
            }
        })
        .collect_view();
    view! {
        <svg class="spark" viewBox="0 0 120 22" width="120" height="22" role="img" aria-label=label>
            <title>{label}</title>
            {bars}
        </svg>
    }
}

pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => t("common-no-attempts-yet"),
    }
}

#[component]
pub fn StateBadge(disabled: bool, reason: Option<String>) -> impl IntoView {
    if disabled {
        view! {
            <span class="badge badge--off">{tr!("common-disabled")}</span>
            {reason.map(|r| view! { <span class="muted">" · " {r}</span> })}
        }
        .into_any()
    } else {
        view! { <span class="badge badge--on">{tr!("common-enabled")}</span> }.into_any()
    }
}

/// The delivery log table. `replay` is shown only to those who may write.
#[component]
pub fn AttemptsTable(
    app: String,
    rows: Vec<AttemptRow>,
    can_write: bool,
    show_endpoint: bool,
) -> impl IntoView {
    let replay = ServerAction::<super::api::Replay>::new();
    let replay_error = form_error(replay);
    let body = rows
        .into_iter()
        .map(|r| {
            let detail = format!("/portal/{app}/logs/{}", r.id);
            let status = if r.status_code == 0 {
                t("common-no-response")
            } else {
                r.status_code.to_string()
            };
            let app = app.clone();
            view! {
                <tr>
                    <td>
                        <LocalTime ms=r.at />
                    </td>
                    <td>
                        <code>{r.event_type.clone()}</code>
                    </td>
                    <td>
                        <a href=format!("/portal/{app}/messages/{}", r.msg_id) class="mono">
                            {r.msg_id.clone()}
                        </a>
                    </td>
                    {show_endpoint.then(|| view! { <td class="break">{r.url.clone()}</td> })}
                    <td>
                        <span class=if r.succeeded {
                            "badge badge--on"
                        } else {
                            "badge badge--off"
                        }>{if r.succeeded { t("common-succeeded") } else { t("common-failed") }}</span>
                        " "
                        <span class="mono">{status}</span>
                    </td>
                    <td>{tr!("common-duration-ms", "ms" => r.duration_ms)}</td>
                    <td>{if r.manual { t("common-manual") } else { t("common-scheduled") }}</td>
                    <td>
                        <a href=detail>{tr!("common-details")}</a>
                        {can_write
                            .then(|| {
                                view! {
                                    <ActionForm action=replay attr:class="inline-form">
                                        <input type="hidden" name="app" value=app.clone() />
                                        <input type="hidden" name="message" value=r.msg_id.clone() />
                                        <input type="hidden" name="endpoint" value=r.endpoint_id.clone() />
                                        <button type="submit" class="button button--small">
                                            {tr!("common-replay")}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Alert message=replay_error />
        {move || {
            replay
                .value()
                .get()
                .and_then(|r| r.ok())
                .map(|_| {
                    view! {
                        <p class="alert alert--ok" role="status">
                            {tr!("common-replay-queued")}
                        </p>
                    }
                })
        }}
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{tr!("col-time")}</th>
                        <th scope="col">{tr!("col-event-type")}</th>
                        <th scope="col">{tr!("common-col-message")}</th>
                        {show_endpoint.then(|| view! { <th scope="col">{tr!("col-endpoint")}</th> })}
                        <th scope="col">{tr!("col-status")}</th>
                        <th scope="col">{tr!("common-col-duration")}</th>
                        <th scope="col">{tr!("common-col-trigger")}</th>
                        <th scope="col">
                            <span class="visually-hidden">{tr!("col-actions")}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_headings_become_quoted_css_strings() {
        assert_eq!(
            super::column_labels(&["When", "Say \"hi\""], Some("Actions")),
            r#"--c1: "When"; --c2: "Say \"hi\""; --c3: "Actions";"#
        );
    }

    use super::*;

    #[test]
    fn utc_times_render_as_iso() {
        assert_eq!(utc_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_iso(1_795_305_600_000), "2026-11-22T00:00:00Z");
        assert_eq!(utc_iso(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn elapsed_times_read_as_how_long_ago() {
        const MIN: i64 = 60_000;
        const DAY: i64 = 24 * 60 * MIN;
        let en = |ms| ago_text_in(Locale::En, ms);
        assert_eq!(en(-5), "just now");
        assert_eq!(en(59_999), "just now");
        assert_eq!(en(5 * MIN), "5 min ago");
        assert_eq!(en(3 * 60 * MIN), "3 h ago");
        assert_eq!(en(DAY), "1 day ago");
        assert_eq!(en(2 * DAY - 1), "1 day ago");
        assert_eq!(en(3 * DAY), "3 days ago");
        assert_eq!(ago_text_in(Locale::Fr, 5 * MIN), "il y a 5 min");
        assert_eq!(ago_text_in(Locale::Fr, DAY), "il y a 1 jour");
        // Arabic wraps the number in bidi isolation marks.
        let ar = |ms| ago_text_in(Locale::Ar, ms).replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(ar(2 * DAY), "منذ يومين");
        assert_eq!(ar(5 * DAY), "منذ 5 أيام");
        assert_eq!(ar(11 * MIN), "منذ 11 دقيقة");
    }
}
