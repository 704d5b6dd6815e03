use super::app_param;
use crate::portal::api::event_catalogue;
use crate::portal::by_category;
use crate::portal::widgets::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

/// The events this company can subscribe to, by category, with an example and the schema.
#[component]
pub fn EventsPage() -> impl IntoView {
    let app = app_param();
    let catalogue = Resource::new(move || app.get(), event_catalogue);
    view! {
        <Title text="Event catalogue" />
        <h1>"Event catalogue"</h1>
        <p class="lead">"Every event your endpoints can receive, with an example of its payload."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalogue.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(types) if types.is_empty() => view! {
                        <div class="empty">
                            <h2>"No event types yet"</h2>
                            <p>"The product has not published its events here yet. Endpoints that take all events will get them as they appear."</p>
                        </div>
                    }.into_any(),
                    Ok(types) => by_category(&types)
                        .into_iter()
                        .map(|(cat, list)| view! {
                            <section class="catalogue" aria-label=cat.clone()>
                                <h2>{cat.clone()}</h2>
                                {list.into_iter().map(|t| view! {
                                    <article class="card">
                                        <h3><code>{t.name.clone()}</code>
                                            {t.deprecated.then(|| view! { " " <span class="badge badge--off">"Deprecated"</span> })}
                                        </h3>
                                        <p>{t.description.clone()}</p>
                                        <details>
                                            <summary>"Example payload"</summary>
                                            <pre class="code">{t.example.clone()}</pre>
                                        </details>
                                        {t.schema.clone().map(|s| view! {
                                            <details>
                                                <summary>"Schema"</summary>
                                                <pre class="code">{s}</pre>
                                            </details>
                                        })}
                                    </article>
                                }).collect_view()}
                            </section>
                        })
                        .collect_view()
                        .into_any(),
                }
            })}
        </Suspense>
    }
}
