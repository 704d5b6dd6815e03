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
use crate::i18n::{t, I18n};
use crate::tr;
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
        <Suspense fallback=|| view! { <p class="container">{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(v) => {
                        // The session's language (its portal link's) before anything inside
                        // the frame is drawn.
                        if let Some(i18n) = use_context::<I18n>() {
                            i18n.set(v.locale);
                        }
                        provide_context(v.clone());
                        view! { <PortalFrame viewer=v /> }.into_any()
                    }
                    Err(e) => {
                        view! {
                            <section class="section">
                                <div class="container container--narrow">
                                    <h1>{tr!("portal-webhooks")}</h1>
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
        // The company's and the host's names stay as they are written in every language.
        let (company, host) = &title_parts;
        let mut parts = vec![page, company.clone()];
        parts.extend(host.clone());
        parts.join(" · ")
    };
    view! {
        // The host's theme and accent on the whole document, so the page around the frame (its
        // background, scroll bars, form controls) follows them too.
        <Html {..} data-theme=look.theme.as_str() style=look.style() />
        <Title formatter text=tr!("portal-webhooks") />
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
                                {
                                    let host = host.clone();
                                    move || host.clone().unwrap_or_else(|| t("portal-webhooks"))
                                }
                            </p>
                            <p class="portal-bar__company">{viewer.app_name.clone()}</p>
                        </div>
                    </div>
                    <nav class="portal-nav" aria-label=tr!("nav-portal")>
                        <A href=base.clone() exact=true>
                            {tr!("nav-endpoints")}
                        </A>
                        <A href=format!("{base}/logs")>{tr!("nav-delivery-log")}</A>
                        <A href=format!("{base}/events")>{tr!("nav-event-catalogue")}</A>
                        {viewer.is_admin.then(|| view! {
                            <A href=format!("{base}/team")>{tr!("nav-team")}</A>
                            <A href=format!("{base}/audit")>{tr!("nav-audit-trail")}</A>
                        })}
                    </nav>
                    <div class="portal-bar__who">
                        {(!viewer.can_write && viewer.delivery_enabled)
                            .then(|| view! { <span class="badge">{tr!("badge-read-only")}</span> })}
                        {viewer.email.clone().map(|e| view! { <span class="muted">{e}</span> })}
                        {(!others.is_empty())
                            .then(|| {
                                view! {
                                    <details class="switcher">
                                        <summary>{tr!("switch-company")}</summary>
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
                                            {tr!("sign-out")}
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
                                {tr!("delivery-unavailable-notice")}
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
