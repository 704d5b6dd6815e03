use super::app_param;
use crate::portal::api::{
    audit_trail, invite_offer, team, AcceptInvite, ChangePermission, InviteUser, RemoveUser,
};
use crate::portal::widgets::{
    form_error, Alert, Confirm, CopyButton, DataTable, ErrorPanel, LocalTime, Messages,
};
use crate::portal::{permission_label, PortalError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const PERMISSIONS: [&str; 3] = ["integration.read", "integration.write", "admin"];

fn permission_options(selected: &str) -> impl IntoView {
    PERMISSIONS
        .iter()
        .map(|p| {
            view! { <option value=*p selected=*p == selected>{permission_label(p)}</option> }
        })
        .collect_view()
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
        <Title text="Team" />
        <h1>"Team"</h1>
        <p class="lead">"Who may sign in to this company's webhooks, and what each may do."</p>
        <Alert message=change_error />
        <Alert message=remove_error />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let t = match data.await {
                    Ok(t) => t,
                    Err(e) => return view! { <ErrorPanel error=e /> }.into_any(),
                };
                let app_id = app.get_untracked();
                view! {
                    <DataTable label="Users" columns=&["col-email", "col-permission"] actions="col-remove">
                                {t.members.into_iter().map(|m| {
                                    let app_a = app_id.clone();
                                    let app_b = app_id.clone();
                                    let user_a = m.user_id.clone();
                                    let user_b = m.user_id.clone();
                                    let label = format!("Permission of {}", m.email);
                                    view! {
                                        <tr>
                                            <td>{m.email.clone()} {m.is_me.then(|| view! { <span class="muted">" (you)"</span> })}</td>
                                            <td>
                                                <ActionForm action=change attr:class="inline-form">
                                                    <input type="hidden" name="app" value=app_a />
                                                    <input type="hidden" name="user" value=user_a />
                                                    <select name="permission" aria-label=label>
                                                        {permission_options(&m.permission)}
                                                    </select>
                                                    " "
                                                    <button type="submit" class="button button--small">"Save"</button>
                                                </ActionForm>
                                            </td>
                                            <td>
                                                <Confirm
                                                    label=format!("Remove {}", m.email)
                                                    question=format!("Remove {} from the team? They lose access to this company's webhooks at once.", m.email)
                                                >
                                                    <ActionForm action=remove attr:class="inline-form">
                                                        <input type="hidden" name="app" value=app_b />
                                                        <input type="hidden" name="user" value=user_b />
                                                        <button type="submit" class="button button--small button--danger">
                                                            {format!("Yes, remove {}", m.email)}
                                                        </button>
                                                    </ActionForm>
                                                </Confirm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </DataTable>
                    {(!t.invites.is_empty()).then(|| view! {
                        <h2>"Invited"</h2>
                        <ul class="plain-list">
                            {t.invites.into_iter().map(|i| view! {
                                <li>
                                    {i.email} " · " {permission_label(&i.permission)} " · invited by " {i.invited_by}
                                    " · link valid until " <LocalTime ms=i.expires_at />
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                }
                    .into_any()
            })}
        </Suspense>
        <section class="card" aria-labelledby="invite-h">
            <h2 id="invite-h">"Invite someone"</h2>
            <ActionForm action=invite attr:class="form">
                <input type="hidden" name="app" value=move || app.get() />
                <div class="field">
                    <label for="invite-email">"Email"</label>
                    <input id="invite-email" name="email" type="email" required=true autocomplete="off" />
                </div>
                <div class="field">
                    <label for="invite-permission">"Permission"</label>
                    <select id="invite-permission" name="permission">
                        {permission_options("integration.write")}
                    </select>
                </div>
                <button type="submit" class="button button--primary">"Create invite link"</button>
            </ActionForm>
            <Alert message=invite_error />
            {move || invite_msgs.done.get().map(|sent| view! {
                <div class="alert alert--ok" role="status">
                    {if sent.emailed {
                        view! { <p>"Invitation emailed. The link works once, for 7 days; here it is too, shown only now."</p> }.into_any()
                    } else {
                        view! { <p>"Send this link to them. It works once, for 7 days, and is shown only now."</p> }.into_any()
                    }}
                    <p class="copyable">
                        <code class="break" id="invite-link">{sent.link.clone()}</code>
                        <CopyButton text=sent.link label="Copy the invite link" />
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
        <Title text="Audit trail" />
        <h1>"Audit trail"</h1>
        <p class="lead">"Every change to this company's webhooks: who made it, when, and what changed."</p>
        <AuditFilter filters=&crate::portal::audit_text::FILTERS show=Signal::derive(show) />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let app_id = app.get_untracked();
                let kept = show();
                match page.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! {
                        <div class="empty"><h2>"Nothing changed yet"</h2></div>
                    }.into_any(),
                    Ok(p) => view! {
                        <AuditTable rows=p.rows />
                        <nav class="pager" aria-label="Pages">
                            {p.next.map(|n| view! { <a href=audit_page_href(&format!("/portal/{app_id}/audit"), &n, &kept) rel="next">"Older changes"</a> })}
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
/// and the URL says what is shown.
#[component]
pub fn AuditFilter(
    filters: &'static [(&'static str, &'static str, &'static str)],
    show: Signal<String>,
) -> impl IntoView {
    view! {
        <form method="get" class="filters" role="search" aria-label="Filter the audit trail">
            <div class="field">
                <label for="audit-show">"Show"</label>
                <select id="audit-show" name="show">
                    <option value="" selected=move || show.get().is_empty()>"Every change"</option>
                    {filters
                        .iter()
                        .map(|(key, label, _)| {
                            let key = *key;
                            view! { <option value=key selected=move || show.get() == key>{*label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Show"</button>
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
        <Title text="Invitation · Herald" />
        <section class="section">
            <div class="container container--narrow">
                <p class="eyebrow">"Webhooks"</p>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match offer.await {
                            Err(PortalError::NotFound) => view! {
                                <h1>"This invite cannot be used"</h1>
                                <p class="lead">"It was used already, or it expired. Ask the person who invited you for a new one."</p>
                            }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                            Ok(o) => {
                                let (label, autocomplete, help) = if o.has_account {
                                    ("Your password", "current-password", "You already have an account: enter its password to join.")
                                } else {
                                    ("Choose a password", "new-password", "At least 10 characters.")
                                };
                                view! {
                                    <h1>{format!("Join {}", o.company)}</h1>
                                    <p class="lead">
                                        {format!("You are invited as {} ({}).", o.email, permission_label(&o.permission).to_lowercase())}
                                    </p>
                                    <ActionForm action=accept attr:class="form card">
                                        <Alert message=error />
                                        <input type="hidden" name="token" value=token.get_untracked() />
                                        <input type="email" name="username" value=o.email.clone() autocomplete="username" hidden=true readonly=true />
                                        <div class="field">
                                            <label for="invite-password">{label}</label>
                                            <input id="invite-password" name="password" type="password" autocomplete=autocomplete required=true aria-describedby="invite-password-help" />
                                            <p class="help" id="invite-password-help">{help}</p>
                                        </div>
                                        <button type="submit" class="button button--primary">"Join"</button>
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
        <DataTable label="Audit trail" columns=columns>
            {rows.into_iter().map(|r| {
                let company = spans_companies.then(|| view! {
                    <td class="break">{r.company.clone().unwrap_or_else(|| "The deployment".to_owned())}</td>
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
