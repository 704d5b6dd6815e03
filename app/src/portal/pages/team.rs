use super::app_param;
use crate::i18n::{t, t_with, Arg};
use crate::portal::api::{
    audit_trail, invite_offer, team, AcceptInvite, ChangePermission, InviteUser, RemoveUser,
};
use crate::portal::audit_text::permission_key;
use crate::portal::widgets::{
    form_error, Alert, Confirm, CopyButton, DataTable, ErrorPanel, LocalTime, Messages,
};
use crate::portal::PortalError;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const PERMISSIONS: [&str; 3] = ["integration.read", "integration.write", "admin"];

fn permission_options(selected: &str) -> impl IntoView {
    PERMISSIONS
        .iter()
        .map(|p| {
            view! { <option value=*p selected=*p == selected>{t(permission_key(p))}</option> }
        })
        .collect_view()
}

/// Who sent an invite: the store files an invite made from a portal link as sent by "the host
/// product", in English.
fn inviter(name: &str) -> String {
    if name == "the host product" {
        t("team-host-product")
    } else {
        name.to_owned()
    }
}

/// `/portal/:app/team`: the company's users, their permissions, and invites. Admins only.
#[component]
pub fn TeamPage() -> impl IntoView {
    let app = app_param();
    let invite = ServerAction::<InviteUser>::new();
    let change = ServerAction::<ChangePermission>::new();
    let remove = ServerAction::<RemoveUser>::new();
    let invite_msgs = Messages::of(invite);
    let invite_error = invite_msgs.error;
    let change_error = form_error(change);
    let remove_error = form_error(remove);
    let data = Resource::new(
        move || {
            (
                app.get(),
                invite.version().get(),
                change.version().get(),
                remove.version().get(),
            )
        },
        |(a, _, _, _)| team(a),
    );
    view! {
        <Title text=tr!("nav-team") />
        <h1>{tr!("nav-team")}</h1>
        <p class="lead">{tr!("team-lead")}</p>
        <Alert message=change_error />
        <Alert message=remove_error />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let info = match data.await {
                    Ok(info) => info,
                    Err(e) => return view! { <ErrorPanel error=e /> }.into_any(),
                };
                let app_id = app.get_untracked();
                view! {
                    <DataTable label=tr!("team-users") columns=&["col-email", "col-permission"] actions="col-remove">
                                {info.members.into_iter().map(|m| {
                                    let app_a = app_id.clone();
                                    let app_b = app_id.clone();
                                    let user_a = m.user_id.clone();
                                    let user_b = m.user_id.clone();
                                    let email = m.email.clone();
                                    let label = tr!("team-permission-of", "email" => email);
                                    view! {
                                        <tr>
                                            <td>{m.email.clone()} {m.is_me.then(|| view! { <span class="muted">" " {tr!("team-you")}</span> })}</td>
                                            <td>
                                                <ActionForm action=change attr:class="inline-form">
                                                    <input type="hidden" name="app" value=app_a />
                                                    <input type="hidden" name="user" value=user_a />
                                                    <select name="permission" aria-label=label>
                                                        {permission_options(&m.permission)}
                                                    </select>
                                                    " "
                                                    <button type="submit" class="button button--small">{tr!("team-save")}</button>
                                                </ActionForm>
                                            </td>
                                            <td>
                                                <Confirm
                                                    label=t_with("team-remove", &[("email", Arg::from(&m.email))])
                                                    question=t_with("team-remove-question", &[("email", Arg::from(&m.email))])
                                                >
                                                    <ActionForm action=remove attr:class="inline-form">
                                                        <input type="hidden" name="app" value=app_b />
                                                        <input type="hidden" name="user" value=user_b />
                                                        <button type="submit" class="button button--small button--danger">
                                                            {tr!("team-remove-confirm", "email" => m.email)}
                                                        </button>
                                                    </ActionForm>
                                                </Confirm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                    {(!info.invites.is_empty()).then(|| view! {
                        <h2>{tr!("team-invited")}</h2>
                        <ul class="plain-list">
                            {info.invites.into_iter().map(|i| {
                                let permission = permission_key(&i.permission);
                                view! {
                                    <li>
                                        {i.email} " · " {t(permission)} " · "
                                        {t_with("team-invited-by", &[("name", Arg::from(inviter(&i.invited_by)))])}
                                        " · " {tr!("team-link-valid-until")} " " <LocalTime ms=i.expires_at />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }
                    .into_any()
            })}
        </Suspense>
        <section class="card" aria-labelledby="invite-h">
            <h2 id="invite-h">{tr!("team-invite-title")}</h2>
            <ActionForm action=invite attr:class="form">
                <input type="hidden" name="app" value=move || app.get() />
                <div class="field">
                    <label for="invite-email">{tr!("col-email")}</label>
                    <input id="invite-email" name="email" type="email" required=true autocomplete="off" />
                </div>
                <div class="field">
                    <label for="invite-permission">{tr!("col-permission")}</label>
                    <select id="invite-permission" name="permission">
                        {permission_options("integration.write")}
                    </select>
                </div>
                <button type="submit" class="button button--primary">{tr!("team-create-invite-link")}</button>
            </ActionForm>
            <Alert message=invite_error />
            {move || invite_msgs.done.get().map(|sent| view! {
                <div class="alert alert--ok" role="status">
                    {if sent.emailed {
                        view! { <p>{tr!("team-invite-emailed")}</p> }.into_any()
                    } else {
                        view! { <p>{tr!("team-invite-link-shown")}</p> }.into_any()
                    }}
                    <p class="copyable">
                        <code class="break" id="invite-link">{sent.link.clone()}</code>
                        <CopyButton text=sent.link label=t("team-copy-invite-link") />
                    </p>
                </div>
            })}
        </section>
    }
}

/// `/portal/:app/audit`: every change in this company, who made it and what changed, in
/// sentences, with a filter by kind. Admins.
#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let app = app_param();
    let query = use_query_map();
    let before = move || query.read().get("before").filter(|b| !b.is_empty());
    let show = move || query.read().get("show").unwrap_or_default();
    let page = Resource::new(
        move || (app.get(), before(), show()),
        |(a, b, s)| audit_trail(a, b, Some(s)),
    );
    view! {
        <Title text=tr!("nav-audit-trail") />
        <h1>{tr!("nav-audit-trail")}</h1>
        <p class="lead">{tr!("audit-lead")}</p>
        <AuditFilter filters=&crate::portal::audit_text::FILTERS show=Signal::derive(show) />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                let kept = show();
                match page.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! {
                        <div class="empty"><h2>{tr!("audit-empty")}</h2></div>
                    }.into_any(),
                    Ok(p) => view! {
                        <AuditTable rows=p.rows />
                        <nav class="pager" aria-label=tr!("audit-pages")>
                            {p.next.map(|n| view! { <a href=audit_page_href(&format!("/portal/{app_id}/audit"), &n, &kept) rel="next">{tr!("audit-older")}</a> })}
                        </nav>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The next page of a trail, under the same filter.
pub fn audit_page_href(path: &str, before: &str, show: &str) -> String {
    if show.is_empty() {
        format!("{path}?before={before}")
    } else {
        format!("{path}?show={show}&before={before}")
    }
}

/// Which kind of change a trail shows: a plain GET form, so it works before the page hydrates
/// and the URL says what is shown. `filters` are `audit_text::FILTERS` or `CONSOLE_FILTERS`: the
/// value in the URL, its label's message, the action prefix.
#[component]
pub fn AuditFilter(
    filters: &'static [(&'static str, &'static str, &'static str)],
    show: Signal<String>,
) -> impl IntoView {
    view! {
        <form method="get" class="filters" role="search" aria-label=tr!("audit-filter-label")>
            <div class="field">
                <label for="audit-show">{tr!("audit-filter-show")}</label>
                <select id="audit-show" name="show">
                    <option value="" selected=move || show.get().is_empty()>{tr!("audit-filter-every-change")}</option>
                    {filters
                        .iter()
                        .map(|(key, label, _)| {
                            let (key, label) = (*key, *label);
                            view! { <option value=key selected=move || show.get() == key>{t(label)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{tr!("audit-filter-show")}</button>
        </form>
    }
}

/// `/invite/:token`: join a company. A new user chooses a password; an existing one enters theirs.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let offer = Resource::new(move || token.get(), invite_offer);
    let accept = ServerAction::<AcceptInvite>::new();
    let error = form_error(accept);
    view! {
        <Title text=tr!("team-invitation-title") />
        <section class="section">
            <div class="container container--narrow">
                <p class="eyebrow">{tr!("portal-webhooks")}</p>
                <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
                    {move || Suspend::new(async move {
                        match offer.await {
                            Err(PortalError::NotFound) => view! {
                                <h1>{tr!("team-invite-unusable-title")}</h1>
                                <p class="lead">{tr!("team-invite-unusable")}</p>
                            }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                            Ok(o) => {
                                let (label, autocomplete, help) = if o.has_account {
                                    ("team-invite-your-password", "current-password", "team-invite-has-account")
                                } else {
                                    ("team-invite-choose-password", "new-password", "team-invite-password-rule")
                                };
                                let email = o.email.clone();
                                let permission = o.permission.clone();
                                let invited_as = move || {
                                    t_with("team-invite-as", &[
                                        ("email", Arg::from(&email)),
                                        ("permission", Arg::from(t(permission_key(&permission)).to_lowercase())),
                                    ])
                                };
                                view! {
                                    <h1>{tr!("team-invite-join-title", "company" => o.company)}</h1>
                                    <p class="lead">{invited_as}</p>
                                    <ActionForm action=accept attr:class="form card">
                                        <Alert message=error />
                                        <input type="hidden" name="token" value=token.get_untracked() />
                                        <input type="email" name="username" value=o.email.clone() autocomplete="username" hidden=true readonly=true />
                                        <div class="field">
                                            <label for="invite-password">{t(label)}</label>
                                            <input id="invite-password" name="password" type="password" autocomplete=autocomplete required=true aria-describedby="invite-password-help" />
                                            <p class="help" id="invite-password-help">{t(help)}</p>
                                        </div>
                                        <button type="submit" class="button button--primary">{tr!("team-invite-join")}</button>
                                    </ActionForm>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// Audit entries as a table: when, what happened (in a sentence), and what changed. On the
/// operator's trail, the company each entry concerns.
#[component]
pub fn AuditTable(rows: Vec<crate::portal::AuditRow>) -> impl IntoView {
    let spans_companies = rows.iter().any(|r| r.company.is_some());
    let columns: &'static [&'static str] = if spans_companies {
        &[
            "col-when",
            "col-company",
            "col-what-happened",
            "col-changes",
        ]
    } else {
        &["col-when", "col-what-happened", "col-changes"]
    };
    view! {
        <DataTable label=tr!("nav-audit-trail") columns=columns>
            {rows.into_iter().map(|r| {
                let company = spans_companies.then(|| view! {
                    <td class="break">{match r.company.clone() {
                        Some(company) => company.into_any(),
                        None => tr!("audit-the-deployment").into_any(),
                    }}</td>
                });
                view! {
                    <tr>
                        <td><LocalTime ms=r.at /></td>
                        {company}
                        <td class="audit-what">
                            <div>{r.summary}</div>
                            <div class="muted mono">{r.action}</div>
                        </td>
                        <td class="audit-changes">{r.details.into_iter().map(|d| view! { <div>{d}</div> }).collect_view()}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
