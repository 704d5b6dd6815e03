use crate::pages::portal::PortalPage;
use crate::portal::api::{my_companies, Login};
use crate::portal::widgets::{form_error, Alert};
use crate::portal::PortalError;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// `/login`: email and password, for company admins and operators.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = form_error(login);
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    view! {
        <Title text=tr!("sign-in-page-title") />
        <section class="section">
            <div class="container container--narrow">
                <h1>{tr!("nav-sign-in")}</h1>
                <p class="lead">{tr!("sign-in-lead")}</p>
                {move || signed_out().then(|| view! { <p class="alert alert--ok" role="status">{tr!("sign-in-signed-out")}</p> })}
                <ActionForm action=login attr:class="form card">
                    <Alert message=error />
                    <div class="field">
                        <label for="login-email">{tr!("sign-in-email")}</label>
                        <input id="login-email" name="email" type="email" autocomplete="username" required=true />
                    </div>
                    <div class="field">
                        <label for="login-password">{tr!("sign-in-password")}</label>
                        <input id="login-password" name="password" type="password" autocomplete="current-password" required=true />
                    </div>
                    <button type="submit" class="button button--primary">{tr!("nav-sign-in")}</button>
                </ActionForm>
                <p class="muted">{tr!("sign-in-from-product")}</p>
            </div>
        </section>
    }
}

/// Where a magic link that cannot be used lands. 410: the link is gone, and will not come back.
#[component]
pub fn LinkExpiredPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::GONE);
    }
    view! {
        <Title text=tr!("sign-in-link-expired-title") />
        <section class="section">
            <div class="container container--narrow">
                <p class="eyebrow">{tr!("portal-webhooks")}</p>
                <h1>{tr!("sign-in-link-expired-heading")}</h1>
                <p class="lead">{tr!("sign-in-link-expired-lead")}</p>
                <p>
                    {tr!("sign-in-have-password")} " " <a href="/login">{tr!("nav-sign-in")}</a> "."
                </p>
            </div>
        </section>
    }
}

/// `/portal`: the companies of whoever is signed in (straight to the only one), or, for
/// someone not signed in, how to get in.
#[component]
pub fn PortalHome() -> impl IntoView {
    let companies = Resource::new(|| (), |_| my_companies());
    view! {
        <Suspense fallback=|| view! { <p class="container">{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match companies.await {
                    Ok(list) if list.len() == 1 => {
                        let to = format!("/portal/{}", list[0].0);
                        view! { <Redirect path=to /> }.into_any()
                    }
                    Ok(list) => view! {
                        <Title text=tr!("sign-in-companies-title") />
                        <section class="section">
                            <div class="container container--narrow">
                                <h1>{tr!("sign-in-companies-heading")}</h1>
                                {if list.is_empty() {
                                    view! { <p class="empty">{tr!("sign-in-no-companies")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="list">
                                            {list.into_iter().map(|(id, name)| view! {
                                                <li><a href=format!("/portal/{id}")>{name}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </div>
                        </section>
                    }.into_any(),
                    Err(PortalError::SignedOut) => view! { <PortalPage /> }.into_any(),
                    Err(e) => view! {
                        <section class="section"><div class="container"><crate::portal::widgets::ErrorPanel error=e /></div></section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
