use super::app_param;
use crate::i18n::{t, t_with, Arg};
use crate::portal::api::event_catalogue;
use crate::portal::widgets::{CopyButton, DataTable, ErrorPanel};
use crate::portal::{by_category, EventTypeInfo};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Whether an event type answers a search: by its name, description or category, or by one of
/// its fields' names or descriptions. `q` is lower case.
fn matches(t: &EventTypeInfo, q: &str) -> bool {
    let has = |s: &str| s.to_lowercase().contains(q);
    q.is_empty()
        || has(&t.name)
        || has(&t.description)
        || t.category.as_deref().is_some_and(has)
        || t.fields
            .iter()
            .any(|f| has(&f.path) || f.description.as_deref().is_some_and(has))
}

/// The id of an event type's entry on the page, for links to it.
fn anchor(name: &str) -> String {
    format!("event-{name}")
}

/// The events this company can subscribe to, by category: each with its fields as a table, an
/// example payload and the schema, found with a search that works with or without JavaScript
/// (`?q=` in the URL; with JavaScript the list follows each keystroke).
#[component]
pub fn EventsPage() -> impl IntoView {
    let app = app_param();
    let query = use_query_map();
    let search = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    // A search sent as a form (or a link with `?q=`) changes the URL, not the field.
    Effect::new(move |_| search.set(query.read().get("q").unwrap_or_default()));
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    view! {
        <Title text=tr!("nav-event-catalogue") />
        <h1>{tr!("nav-event-catalogue")}</h1>
        <p class="lead">{tr!("events-lead")}</p>
        <form method="get" class="filters" role="search" aria-label=tr!("events-search-aria")>
            <div class="field">
                <label for="event-q">{tr!("events-search-label")}</label>
                <input
                    id="event-q"
                    name="q"
                    type="search"
                    placeholder=tr!("events-search-placeholder")
                    value=search.get_untracked()
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button">{tr!("events-search")}</button>
        </form>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(types) if types.is_empty() => view! {
                        <div class="empty">
                            <h2>{tr!("events-empty-heading")}</h2>
                            <p>{tr!("events-empty")}</p>
                        </div>
                    }.into_any(),
                    Ok(types) => {
                        let all = StoredValue::new(types);
                        (move || {
                            let q = search.get().trim().to_lowercase();
                            let total = all.with_value(Vec::len);
                            let found: Vec<EventTypeInfo> = all.with_value(|t| {
                                t.iter().filter(|t| matches(t, &q)).cloned().collect()
                            });
                            let count = if q.is_empty() {
                                None
                            } else {
                                Some(t_with(
                                    "events-match-count",
                                    &[("found", Arg::from(found.len())), ("total", Arg::from(total))],
                                ))
                            };
                            if found.is_empty() {
                                return view! {
                                    <p class="muted" role="status">{count}</p>
                                    <div class="empty">
                                        <h2>{tr!("events-no-match-heading")}</h2>
                                        <p>{tr!("events-no-match")}</p>
                                    </div>
                                }.into_any();
                            }
                            view! {
                                <p class="muted" role="status">{count}</p>
                                {by_category(&found)
                                    .into_iter()
                                    .map(|(cat, list)| {
                                        // `by_category` names the group of types without a category in English.
                                        let cat = if list.iter().any(|t| t.category.is_none()) {
                                            t("events-category-other")
                                        } else {
                                            cat
                                        };
                                        view! {
                                        <section class="catalogue" aria-label=cat.clone()>
                                            <h2>{cat.clone()}</h2>
                                            {list.into_iter().map(|t| view! { <EventTypeCard t=t /> }).collect_view()}
                                        </section>
                                        }
                                    })
                                    .collect_view()}
                            }.into_any()
                        }).into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// One event type: its name (a link to itself), what it means, its fields, an example and the
/// raw schema for developers who generate code from it.
#[component]
fn EventTypeCard(t: EventTypeInfo) -> impl IntoView {
    let id = anchor(&t.name);
    let href = format!("#{id}");
    let name = t.name.clone();
    let fields_label = t_with("events-fields-of", &[("name", Arg::from(&name))]);
    let example = t.example.clone();
    view! {
        <article class="card event-type" id=id aria-labelledby=format!("{}-h", anchor(&t.name))>
            <h3 id=format!("{}-h", anchor(&t.name))>
                <a href=href class="event-type__link"><code>{t.name.clone()}</code></a>
                {t.deprecated.then(|| view! { " " <span class="badge badge--off">{tr!("events-deprecated")}</span> })}
            </h3>
            <p>{t.description.clone()}</p>
            {if t.fields.is_empty() {
                view! { <p class="muted">{tr!("events-no-schema")}</p> }.into_any()
            } else {
                view! {
                    <DataTable label=fields_label columns=&["col-field", "col-type", "col-required", "col-description"]>
                        {t.fields.into_iter().map(|f| view! {
                            <tr>
                                <td class="break"><code>{f.path}</code></td>
                                <td>{f.kind}</td>
                                <td>{move || if f.required { crate::i18n::t("events-always") } else { crate::i18n::t("events-optional") }}</td>
                                <td>{f.description.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
            <details>
                <summary>{tr!("events-example")}</summary>
                <div class="copyable">
                    <pre class="code">{t.example.clone()}</pre>
                    <CopyButton text=example label=t_with("events-copy-example", &[("name", Arg::from(&t.name))]) />
                </div>
            </details>
            {t.schema.clone().map(|s| view! {
                <details>
                    <summary>{tr!("events-json-schema")}</summary>
                    <pre class="code">{s}</pre>
                </details>
            })}
        </article>
    }
}
