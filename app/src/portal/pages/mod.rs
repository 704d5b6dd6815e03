//! The portal's pages. `/portal/:app` is the frame (company name, navigation, the viewer's
//! permission); the pages inside it get the [`Viewer`] from context.

mod delivery_log;
mod endpoint;
mod endpoints;
mod events;
mod logs;
mod message;
mod sign_in;
mod team;

pub use endpoint::{EditEndpointPage, EndpointPage, NewEndpointPage};
pub use endpoints::EndpointsPage;
pub use events::EventsPage;
pub use logs::{AttemptPage, LogsPage};
pub use message::MessagePage;
pub use sign_in::{LinkExpiredPage, LoginPage, PortalHome};
pub use team::{audit_page_href, AuditFilter, AuditTable, AuditTrailPage, InvitePage, TeamPage};

use super::api::{get_viewer, Logout};
use super::widgets::ErrorPanel;
use super::Viewer;
use leptos::prelude::*;
use leptos_meta::{Html, Title};
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;

/// The `:app` of the current URL.
pub fn app_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("app").unwrap_or_default())
}

pub fn use_viewer() -> Option<Viewer> {
    use_context::<Viewer>()
}

#[component]
pub fn PortalLayout() -> impl IntoView {
    let app = app_param();
    let viewer = Resource::new(move || app.get(), get_viewer);
    view! {
        <Suspense fallback=|| view! { <p class="container">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(v) => {
                        provide_context(v.clone());
                        view! { <PortalFrame viewer=v /> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <section class="section">
                                <div class="container container--narrow">
                                    <h1>"Webhooks"</h1>
                                    <ErrorPanel error=e />
                                </div>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortalFrame(viewer: Viewer) -> impl IntoView {
    let base = format!("/portal/{}", viewer.app_id);
    let logout = ServerAction::<Logout>::new();
    let others: Vec<(String, String)> = viewer
        .companies
        .iter()
        .filter(|(id, _)| *id != viewer.app_id)
        .cloned()
        .collect();
    let look = viewer.look.clone();
    let host = look.display_name.clone();
    let title_parts = (viewer.app_name.clone(), host.clone());
    let formatter = move |page: String| {
        let (company, host) = &title_parts;
        let mut parts = vec![page, company.clone()];
        parts.extend(host.clone());
        parts.join(" · ")
    };
    view! {
        // The host's theme and accent on the whole document, so the page around the frame (its
        // background, scroll bars, form controls) follows them too.
        <Html {..} data-theme=look.theme.as_str() style=look.style() />
        <Title formatter text="Webhooks" />
        <div class="portal">
            <div class="portal-bar">
                <div class="container portal-bar__inner">
                    <div class="portal-brand">
                        {look
                            .logo_url
                            .clone()
                            .map(|src| {
                                // The host's name is beside it in text: the image adds nothing
                                // a screen reader should read twice.
                                view! { <img class="portal-brand__logo" src=src alt="" /> }
                            })}
                        <div>
                            <p class="eyebrow portal-brand__host">
                                {host.clone().unwrap_or_else(|| "Webhooks".to_owned())}
                            </p>
                            <p class="portal-bar__company">{viewer.app_name.clone()}</p>
                        </div>
                    </div>
                    <nav class="portal-nav" aria-label="Portal">
                        <A href=base.clone() exact=true>
                            "Endpoints"
                        </A>
                        <A href=format!("{base}/logs")>"Delivery log"</A>
                        <A href=format!("{base}/events")>"Event catalogue"</A>
                        {viewer.is_admin.then(|| view! {
                            <A href=format!("{base}/team")>"Team"</A>
                            <A href=format!("{base}/audit")>"Audit trail"</A>
                        })}
                    </nav>
                    <div class="portal-bar__who">
                        {(!viewer.can_write && viewer.delivery_enabled)
                            .then(|| view! { <span class="badge">"Read only"</span> })}
                        {viewer.email.clone().map(|e| view! { <span class="muted">{e}</span> })}
                        {(!others.is_empty())
                            .then(|| {
                                view! {
                                    <details class="switcher">
                                        <summary>"Switch company"</summary>
                                        <ul>
                                            {others
                                                .into_iter()
                                                .map(|(id, name)| {
                                                    view! {
                                                        <li>
                                                            <a href=format!("/portal/{id}")>{name}</a>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </details>
                                }
                            })}
                        {viewer
                            .email
                            .is_some()
                            .then(|| {
                                view! {
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="button button--small">
                                            "Sign out"
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </div>
                </div>
            </div>
            {(!viewer.delivery_enabled)
                .then(|| {
                    view! {
                        <div class="container">
                            <p class="callout" role="status">
                                "Webhooks aren't available in this environment. "
                                "You can look around, but nothing can be changed or sent."
                            </p>
                        </div>
                    }
                })}
            <section class="section section--tight">
                <div class="container">
                    <Outlet />
                </div>
            </section>
        </div>
    }
}
