//! The console's pages. Operators only: anyone else gets the error panel the server's answer
//! calls for (signed out, or forbidden).

use super::api::{
    admin_audit, admin_catalogue, admin_delivery_load, admin_health, admin_keys, admin_plans,
    admin_tenants, export_catalogue, ArchiveEventType, CompanyLoadRow, CreateKey, DeliveryLoad,
    EndpointTrouble, ImportCatalogue, RevokeKey, SaveEventType, SavePlan, SetTenantBranding,
    SetTenantPlan, SetTenantState, TroubledEndpointRow,
};
use crate::i18n::{t, t_with, Arg};
use crate::portal::widgets::{
    form_error, percent, Alert, Confirm, CopyButton, DataTable, ErrorPanel, LocalTime, Messages,
};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminLayout() -> impl IntoView {
    view! {
        <Title text=tr!("console-page-title") />
        <div class="portal">
            <div class="portal-bar">
                <div class="container portal-bar__inner">
                    <div>
                        <p class="eyebrow">"Herald"</p>
                        <p class="portal-bar__company">{tr!("console-title")}</p>
                    </div>
                    <nav class="portal-nav" aria-label=tr!("console-nav")>
                        <A href="/admin" exact=true>{tr!("console-health")}</A>
                        <A href="/admin/tenants">{tr!("console-tenants")}</A>
                        <A href="/admin/plans">{tr!("console-plans")}</A>
                        <A href="/admin/catalogue">{tr!("nav-event-catalogue")}</A>
                        <A href="/admin/keys">{tr!("console-keys")}</A>
                        <A href="/admin/audit">{tr!("nav-audit-trail")}</A>
                    </nav>
                </div>
            </div>
            <section class="section section--tight">
                <div class="container">
                    <Outlet />
                </div>
            </section>
        </div>
    }
}

#[component]
pub fn HealthPage() -> impl IntoView {
    let health = Resource::new(|| (), |_| admin_health());
    let load = Resource::new(|| (), |_| admin_delivery_load());
    view! {
        <h1>{tr!("console-health-title")}</h1>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match health.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(h) => view! {
                        <dl class="facts" aria-label=tr!("console-health-title")>
                            <dt>{tr!("console-queue-depth")}</dt><dd id="queue-depth">{tr!("console-queue-depth-value", "waiting" => h.queue_depth, "due" => h.due)}</dd>
                            <dt>{tr!("console-deliveries-per-minute")}</dt><dd>{h.deliveries_last_minute}</dd>
                            <dt>{tr!("console-failure-rate")}</dt><dd>{tr!("console-failure-rate-value", "rate" => percent(h.failure_rate), "attempts" => h.attempts_last_hour)}</dd>
                            <dt>{tr!("console-oldest-due")}</dt>
                            <dd>{match h.oldest_due_at {
                                Some(t) => view! { <LocalTime ms=t /> }.into_any(),
                                None => view! { {tr!("console-none-waiting")} }.into_any(),
                            }}</dd>
                            <dt>{tr!("console-held")}</dt><dd id="held">{h.held}</dd>
                            <dt>{tr!("console-contract")}</dt><dd id="contract">{h.contract}</dd>
                            <dt>{tr!("console-retries")}</dt><dd>{h.retries}</dd>
                        </dl>
                        <p>
                            {tr!("console-operational-before")} " "
                            <a href=format!("/portal/{}", h.operational_app)>{tr!("console-operational-link")}</a>
                            {tr!("console-operational-after")}
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match load.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(l) => view! { <SlotUse load=l.clone() /> <HeldBack load=l /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A company as the console names it, linked to its row in the tenant list.
fn company(id: String, uid: Option<String>, name: String) -> impl IntoView {
    view! {
        <a href=format!("/admin/tenants?q={id}")>{name}</a>
        {uid.map(|u| view! { <div class="muted">{u}</div> })}
    }
}

fn count_text(n: i64, more: bool) -> String {
    format!("{n}{}", if more { "+" } else { "" })
}

/// Who uses the send slots right now, so a company crowding out the others is seen.
#[component]
fn SlotUse(load: DeliveryLoad) -> impl IntoView {
    let l = load;
    let summary = tr!(
        "console-slots-summary",
        "count" => l.in_flight,
        "instances" => l.instances,
        "slots" => l.slots,
        "company" => l.company_slots,
        "endpoint" => l.endpoint_slots,
    );
    let more = (l.companies_more > 0).then(
        || view! { <p class="muted">{tr!("console-more-companies", "count" => l.companies_more)}</p> },
    );
    let table = if l.companies.is_empty() {
        view! { <p class="muted">{tr!("console-nothing-sending")}</p> }.into_any()
    } else {
        view! {
            <DataTable label=tr!("console-slots-by-company") columns=&["col-company", "col-in-flight", "col-share-of-sends", "col-waiting"]>
                {l.companies.into_iter().map(|c: CompanyLoadRow| {
                    let row_id = c.app_id.clone();
                    view! {
                    <tr data-app=row_id>
                        <td>{company(c.app_id, c.app_uid, c.app_name)}</td>
                        <td class="num" data-col="in-flight">{c.in_flight}</td>
                        <td class="num" data-col="share">{percent(Some(c.share))}</td>
                        <td class="num" data-col="waiting">{count_text(c.waiting, c.waiting_more)}</td>
                    </tr>
                }}).collect_view()}
            </DataTable>
        }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="slots-h">
            <h2 id="slots-h">{tr!("console-slots-title")}</h2>
            <p id="in-flight">{summary}</p>
            {table}
            {more}
        </section>
    }
}

/// Endpoints holding deliveries back: paused, failing, or disabled with deliveries waiting.
#[component]
fn HeldBack(load: DeliveryLoad) -> impl IntoView {
    let l = load;
    let more = (l.endpoints_more > 0).then(
        || view! { <p class="muted">{tr!("console-more-endpoints", "count" => l.endpoints_more)}</p> },
    );
    let table = if l.endpoints.is_empty() {
        view! { <p class="muted">{tr!("console-held-back-empty")}</p> }.into_any()
    } else {
        view! {
            <DataTable label=tr!("console-held-back-title") columns=&["col-company", "col-endpoint", "col-state", "col-failing-since", "col-next-probe", "col-waiting"]>
                {l.endpoints.into_iter().map(|e| view! { <TroubledRow e=e /> }).collect_view()}
            </DataTable>
        }.into_any()
    };
    view! {
        <section class="card held-back" aria-labelledby="held-back-h">
            <h2 id="held-back-h">{tr!("console-held-back-title")}</h2>
            {table}
            {more}
        </section>
    }
}

#[component]
fn TroubledRow(e: TroubledEndpointRow) -> impl IntoView {
    let failures = [("count", Arg::from(e.consecutive_failures))];
    let (state, badge, note) = match e.trouble {
        EndpointTrouble::CompanyDisabled => (
            "company-disabled",
            "console-company-disabled",
            String::new(),
        ),
        EndpointTrouble::Disabled => (
            "disabled",
            "common-disabled",
            // The reason is the server's, as the REST API words it.
            e.disabled_reason.clone().unwrap_or_default(),
        ),
        EndpointTrouble::Paused => (
            "paused",
            "console-paused",
            t_with("console-paused-after-failures", &failures),
        ),
        EndpointTrouble::PausedByReceiver => {
            ("paused", "console-paused", t("console-paused-by-receiver"))
        }
        EndpointTrouble::Failing => (
            "failing",
            "console-failing",
            t_with("console-failures-in-a-row", &failures),
        ),
    };
    let paused = matches!(
        e.trouble,
        EndpointTrouble::Paused | EndpointTrouble::PausedByReceiver
    );
    let badge_class = if state == "failing" || paused {
        "badge badge--warning"
    } else {
        "badge badge--off"
    };
    let row_id = e.endpoint_id.clone();
    view! {
        <tr data-endpoint=row_id data-state=state>
            <td>{company(e.app_id, e.app_uid, e.app_name)}</td>
            <td><code>{e.url}</code><div class="muted">{e.endpoint_id}</div></td>
            <td>
                <span class=badge_class>{t(badge)}</span>
                {(!note.is_empty()).then(|| view! { <div class="muted">{note}</div> })}
            </td>
            <td>{match e.failing_since {
                Some(t) => view! { <LocalTime ms=t /> }.into_any(),
                None => view! { "—" }.into_any(),
            }}</td>
            <td>{match e.next_probe.filter(|_| paused) {
                Some(t) => view! { <LocalTime ms=t /> }.into_any(),
                None => view! { "—" }.into_any(),
            }}</td>
            <td class="num" data-col="waiting">{count_text(e.waiting, e.waiting_more)}</td>
        </tr>
    }
}

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let set_plan = ServerAction::<SetTenantPlan>::new();
    let set_state = ServerAction::<SetTenantState>::new();
    let set_branding = ServerAction::<SetTenantBranding>::new();
    let plan_error = form_error(set_plan);
    let state_error = form_error(set_state);
    let branding_msgs = Messages::of(set_branding);
    let branding_error = branding_msgs.error;
    // A refused field is told inside the form of the tenant that was saved, next to the field,
    // not at the top of a long list.
    let (branding_for, set_branding_for) = signal(None::<String>);
    Effect::new(move |_| {
        if let Some(input) = set_branding.input().get() {
            set_branding_for.set(Some(input.app));
        }
    });
    // The list (and with it the branding form) is drawn again only after a save that worked:
    // after a refused one the form stays open with what was typed, beside the error.
    let (branding_saves, set_branding_saves) = signal(0u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = set_branding.value().get() {
            set_branding_saves.update(|n| *n += 1);
        }
    });
    let tenants = Resource::new(
        move || {
            (
                q(),
                set_plan.version().get(),
                set_state.version().get(),
                branding_saves.get(),
            )
        },
        |(q, _, _, _)| admin_tenants(q),
    );
    let plans = Resource::new(|| (), |_| admin_plans());
    let invalid = branding_msgs.invalid;
    let row_problem = move |app: String| -> Signal<Option<(String, String)>> {
        Signal::derive(move || {
            invalid
                .get()
                .filter(|_| branding_for.get().as_deref() == Some(app.as_str()))
        })
    };
    view! {
        <h1>{tr!("console-tenants")}</h1>
        <form method="get" class="filters" role="search">
            <div class="field">
                <label for="tenant-q">{tr!("console-search")}</label>
                <input id="tenant-q" name="q" type="search" value=q placeholder=tr!("console-search-placeholder") />
            </div>
            <button type="submit" class="button">{tr!("console-search")}</button>
        </form>
        <Alert message=plan_error />
        <Alert message=state_error />
        <Alert message=branding_error />
        {move || branding_msgs.done.get().map(|_| view! { <p class="alert alert--ok" role="status">{tr!("console-branding-saved")}</p> })}
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let plan_names: Vec<String> = plans.await.unwrap_or_default().into_iter().map(|p| p.name).collect();
                match tenants.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <div class="empty"><h2>{tr!("console-no-tenants")}</h2></div> }.into_any(),
                    Ok(list) => view! {
                        <DataTable label=tr!("console-tenants") columns=&["col-tenant", "col-plan", "col-usage", "col-state"]>
                                    {list.into_iter().map(|t| {
                                        let names = plan_names.clone();
                                        let current = t.plan.clone().unwrap_or_default();
                                        let name = [("name", Arg::from(&t.name))];
                                        let label = t_with("console-plan-of", &name);
                                        let (id_a, id_b) = (t.id.clone(), t.id.clone());
                                        let (next, button) = if t.disabled {
                                            ("false", t_with("console-enable-tenant", &name))
                                        } else {
                                            ("true", t_with("console-disable-tenant", &name))
                                        };
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/portal/{}", t.id)>{t.name.clone()}</a>
                                                    <div class="muted mono">{t.uid.clone().unwrap_or_else(|| t.id.clone())}</div>
                                                    <TenantBranding action=set_branding app=t.id.clone() name=t.name.clone() branding=t.branding.clone()
                                                        problem=row_problem(t.id.clone()) />
                                                </td>
                                                <td>
                                                    <ActionForm action=set_plan attr:class="inline-form">
                                                        <input type="hidden" name="app" value=id_a />
                                                        <select name="plan" aria-label=label>
                                                            <option value="" selected=current.is_empty()>{tr!("console-no-plan")}</option>
                                                            {names.into_iter().map(|n| {
                                                                let on = n == current;
                                                                view! { <option value=n.clone() selected=on>{n.clone()}</option> }
                                                            }).collect_view()}
                                                        </select>
                                                        " "
                                                        <button type="submit" class="button button--small">{tr!("console-save")}</button>
                                                    </ActionForm>
                                                </td>
                                                <td>
                                                    {tr!("console-tenant-usage", "endpoints" => t.endpoints, "sent" => t.sent_this_hour)}
                                                    {(t.held > 0).then(|| view! { <div><span class="badge badge--warning">{tr!("console-held-count", "count" => t.held)}</span></div> })}
                                                </td>
                                                <td>
                                                    {if t.disabled {
                                                        view! { <span class="badge badge--danger">{tr!("common-disabled")}</span> }.into_any()
                                                    } else {
                                                        view! { <span class="badge badge--success">{tr!("console-active")}</span> }.into_any()
                                                    }}
                                                    " "
                                                    {if t.disabled {
                                                        view! {
                                                            <ActionForm action=set_state attr:class="inline-form">
                                                                <input type="hidden" name="app" value=id_b />
                                                                <input type="hidden" name="disabled" value=next />
                                                                <button type="submit" class="button button--small">{button}</button>
                                                            </ActionForm>
                                                        }.into_any()
                                                    } else {
                                                        let question = t_with("console-disable-tenant-question", &name);
                                                        view! {
                                                            <Confirm label=button.clone() question=question>
                                                                <ActionForm action=set_state attr:class="inline-form">
                                                                    <input type="hidden" name="app" value=id_b />
                                                                    <input type="hidden" name="disabled" value=next />
                                                                    <button type="submit" class="button button--small button--danger">{t_with("console-disable-tenant-confirm", &name)}</button>
                                                                </ActionForm>
                                                            </Confirm>
                                                        }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A tenant's portal branding, behind a disclosure in its row: empty fields take the
/// deployment's settings.
#[component]
fn TenantBranding(
    action: ServerAction<SetTenantBranding>,
    app: String,
    name: String,
    branding: crate::branding::Branding,
    /// The field refused in this tenant's last save, and why.
    problem: Signal<Option<(String, String)>>,
) -> impl IntoView {
    use crate::branding::Theme;
    let [name_id, logo_id, accent_id, theme_id, upgrade_id] = [
        "brand-name",
        "brand-logo",
        "brand-accent",
        "brand-theme",
        "brand-upgrade",
    ]
    .map(|f| format!("{f}-{app}"));
    let current = branding.theme;
    let message = Signal::derive(move || problem.get().map(|(_, m)| m));
    let bad = move |field: &'static str| {
        move || {
            problem
                .with(|p| p.as_ref().is_some_and(|(f, _)| f == field))
                .then_some("true")
        }
    };
    view! {
        <details class="tenant-branding" open=move || problem.with(Option::is_some)>
            <summary>{tr!("console-branding-of", "name" => name)}</summary>
            <ActionForm action=action attr:class="tenant-branding__form">
                <Alert message=message />
                <input type="hidden" name="app" value=app.clone() />
                <div class="field">
                    <label for=name_id.clone()>{tr!("console-brand-product-name")}</label>
                    <input id=name_id name="display_name" aria-invalid=bad("display_name") maxlength="80"
                        value=branding.display_name.clone().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for=logo_id.clone()>{tr!("console-brand-logo-url")}</label>
                    <input id=logo_id name="logo_url" aria-invalid=bad("logo_url") inputmode="url" placeholder="https://"
                        value=branding.logo_url.clone().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for=accent_id.clone()>{tr!("console-brand-accent")}</label>
                    <input id=accent_id name="accent_color" aria-invalid=bad("accent_color") placeholder="#0a7c59" maxlength="7"
                        value=branding.accent_color.clone().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for=upgrade_id.clone()>{tr!("console-brand-upgrade")}</label>
                    <input id=upgrade_id name="upgrade_url" aria-invalid=bad("upgrade_url") inputmode="url" placeholder="https://"
                        value=branding.upgrade_url.clone().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for=theme_id.clone()>{tr!("console-brand-theme")}</label>
                    <select id=theme_id name="theme" aria-invalid=bad("theme")>
                        <option value="" selected=current.is_none()>{tr!("console-brand-theme-deployment")}</option>
                        {Theme::ALL
                            .into_iter()
                            .map(|t| {
                                let label = match t {
                                    Theme::Light => "console-brand-theme-light",
                                    Theme::Dark => "console-brand-theme-dark",
                                    Theme::Auto => "console-brand-theme-auto",
                                };
                                view! { <option value=t.as_str() selected=current == Some(t)>{move || crate::i18n::t(label)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--small">{tr!("console-brand-save")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let save = ServerAction::<SavePlan>::new();
    let save_msgs = Messages::of(save);
    let error = save_msgs.error;
    let plans = Resource::new(move || save.version().get(), |_| admin_plans());
    view! {
        <h1>{tr!("console-plans")}</h1>
        <p class="lead">{tr!("console-plans-lead")}</p>
        <Alert message=error />
        {move || save_msgs.done.get().map(|_| view! { <p class="alert alert--ok" role="status">{tr!("console-plan-saved")}</p> })}
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match plans.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) => {
                        let blank = super::PlanRow {
                            name: String::new(), max_endpoints: 10, deliveries_per_hour: 1000,
                            retry_schedule: "5m, 30m, 2h, 5h, 10h".into(), timeout_seconds: 10,
                            retention_days: 30, auto_disable_after: 100,
                            auto_disable_min_failing: String::new(),
                        };
                        view! {
                            <div class="grid">
                                {list.into_iter().map(|p| view! { <PlanForm plan=p action=save is_new=false /> }).collect_view()}
                                <PlanForm plan=blank action=save is_new=true />
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlanForm(plan: super::PlanRow, action: ServerAction<SavePlan>, is_new: bool) -> impl IntoView {
    let id = if is_new {
        "new".to_owned()
    } else {
        plan.name.to_lowercase()
    };
    let heading = if is_new {
        t("console-new-plan")
    } else {
        plan.name.clone()
    };
    let field = move |suffix: &str| format!("plan-{id}-{suffix}");
    view! {
        <section class="card" aria-label=heading.clone()>
            <h2>{heading.clone()}</h2>
            <ActionForm action=action attr:class="form">
                {if is_new {
                    view! {
                        <div class="field">
                            <label for=field("name")>{tr!("console-field-name")}</label>
                            <input id=field("name") name="name" required=true />
                        </div>
                    }.into_any()
                } else {
                    view! { <input type="hidden" name="name" value=plan.name.clone() /> }.into_any()
                }}
                <div class="field">
                    <label for=field("max")>{tr!("console-plan-max-endpoints")}</label>
                    <input id=field("max") name="max_endpoints" inputmode="numeric" value=plan.max_endpoints.to_string() />
                </div>
                <div class="field">
                    <label for=field("rate")>{tr!("console-plan-deliveries-per-hour")}</label>
                    <input id=field("rate") name="deliveries_per_hour" inputmode="numeric" value=plan.deliveries_per_hour.to_string() />
                </div>
                <div class="field">
                    <label for=field("retry")>{tr!("console-plan-retry-schedule")}</label>
                    <input id=field("retry") name="retry_schedule" value=plan.retry_schedule.clone() />
                </div>
                <div class="field">
                    <label for=field("timeout")>{tr!("console-plan-timeout-seconds")}</label>
                    <input id=field("timeout") name="timeout_seconds" inputmode="numeric" value=plan.timeout_seconds.to_string() />
                </div>
                <div class="field">
                    <label for=field("retention")>{tr!("console-plan-retention-days")}</label>
                    <input id=field("retention") name="retention_days" inputmode="numeric" value=plan.retention_days.to_string() />
                </div>
                <div class="field">
                    <label for=field("disable")>{tr!("console-plan-auto-disable-failures")}</label>
                    <input id=field("disable") name="auto_disable_after" inputmode="numeric" value=plan.auto_disable_after.to_string() />
                </div>
                <div class="field">
                    <label for=field("failing")>{tr!("console-plan-min-failing")}</label>
                    <input id=field("failing") name="auto_disable_min_failing" placeholder=tr!("console-plan-min-failing-placeholder") aria-describedby=field("failing-help") value=plan.auto_disable_min_failing.clone() />
                    <p class="field__hint" id=field("failing-help")>{tr!("console-plan-min-failing-help")}</p>
                </div>
                <button type="submit" class="button button--primary">{if is_new { t("console-create-plan") } else { t_with("console-save-plan", &[("name", Arg::from(&plan.name))]) }}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let save = ServerAction::<SaveEventType>::new();
    let archive = ServerAction::<ArchiveEventType>::new();
    let import = ServerAction::<ImportCatalogue>::new();
    let save_error = form_error(save);
    let archive_error = form_error(archive);
    let import_msgs = Messages::of(import);
    let import_error = import_msgs.error;
    let list = Resource::new(
        move || {
            (
                save.version().get(),
                archive.version().get(),
                import.version().get(),
            )
        },
        |_| admin_catalogue(),
    );
    let exported = Resource::new(
        move || {
            (
                save.version().get(),
                archive.version().get(),
                import.version().get(),
            )
        },
        |_| export_catalogue(),
    );
    view! {
        <h1>{tr!("nav-event-catalogue")}</h1>
        <Alert message=archive_error />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(types) => view! {
                        <DataTable label=tr!("console-event-types") columns=&["col-event-type", "col-category", "col-description", "col-state"]>
                                    {types.into_iter().map(|(t, archived)| {
                                        let name = [("name", Arg::from(&t.name))];
                                        let (next, label) = if archived {
                                            ("false", t_with("console-restore", &name))
                                        } else {
                                            ("true", t_with("console-archive", &name))
                                        };
                                        view! {
                                            <tr>
                                                <td><code>{t.name.clone()}</code></td>
                                                <td>{t.category.clone().unwrap_or_default()}</td>
                                                <td>{t.description.clone()}</td>
                                                <td>
                                                    {archived.then(|| view! { <span class="badge">{tr!("console-archived")}</span> " " })}
                                                    <ActionForm action=archive attr:class="inline-form">
                                                        <input type="hidden" name="name" value=t.name.clone() />
                                                        <input type="hidden" name="archived" value=next />
                                                        <button type="submit" class="button button--small">{label}</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
        <div class="grid">
            <section class="card" aria-labelledby="et-h">
                <h2 id="et-h">{tr!("console-event-type-form")}</h2>
                <ActionForm action=save attr:class="form">
                    <div class="field">
                        <label for="et-name">{tr!("console-field-name")}</label>
                        <input id="et-name" name="name" required=true placeholder="invoice.paid" />
                    </div>
                    <div class="field">
                        <label for="et-group">{tr!("console-field-category")}</label>
                        <input id="et-group" name="group_name" placeholder="invoice" />
                    </div>
                    <div class="field">
                        <label for="et-desc">{tr!("console-field-description")}</label>
                        <input id="et-desc" name="description" />
                    </div>
                    <button type="submit" class="button button--primary">{tr!("console-save-event-type")}</button>
                </ActionForm>
                <Alert message=save_error />
            </section>
            <section class="card" aria-labelledby="import-h">
                <h2 id="import-h">{tr!("console-import-title")}</h2>
                <ActionForm action=import attr:class="form">
                    <div class="field">
                        <label for="import-file">{tr!("console-catalogue-json")}</label>
                        <textarea id="import-file" name="file" rows="8" required=true placeholder=r#"{"eventTypes": [{"name": "invoice.paid", "description": "…", "groupName": "invoice"}]}"#></textarea>
                    </div>
                    <button type="submit" class="button button--primary">{tr!("console-import")}</button>
                </ActionForm>
                <Alert message=import_error />
                {move || import_msgs.done.get().map(|msg| view! { <p class="alert alert--ok" role="status">{msg}</p> })}
            </section>
        </div>
        <section class="card" aria-labelledby="export-h">
            <h2 id="export-h">{tr!("console-export")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    exported.await.ok().map(|json| {
                        let href = format!("data:application/json;charset=utf-8,{}", urlencoding(&json));
                        view! {
                            <p><a class="button" href=href download="catalogue.json">{tr!("console-download-catalogue")}</a></p>
                            <textarea aria-label=tr!("console-catalogue-file") readonly=true rows="8" class="code">{json}</textarea>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// Percent-encodes text for a `data:` URL.
fn urlencoding(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[component]
pub fn KeysPage() -> impl IntoView {
    let create = ServerAction::<CreateKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let create_msgs = Messages::of(create);
    let create_error = create_msgs.error;
    let revoke_error = form_error(revoke);
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| admin_keys(),
    );
    view! {
        <h1>{tr!("console-keys")}</h1>
        <p class="lead">{tr!("console-keys-lead")}</p>
        <section class="card" aria-labelledby="newkey-h">
            <h2 id="newkey-h">{tr!("console-create-key-title")}</h2>
            <ActionForm action=create attr:class="form">
                <div class="field">
                    <label for="key-name">{tr!("console-field-name")}</label>
                    <input id="key-name" name="name" required=true placeholder=tr!("console-key-name-placeholder") />
                </div>
                <button type="submit" class="button button--primary">{tr!("console-create-key")}</button>
            </ActionForm>
            <Alert message=create_error />
            {move || create_msgs.done.get().map(|key| view! {
                <div class="alert alert--ok" role="status">
                    <p>{tr!("console-key-copy-now")}</p>
                    <p class="copyable">
                        <code class="break" id="new-key">{key.clone()}</code>
                        <CopyButton text=key label=t("console-copy-key") />
                    </p>
                </div>
            }.into_any())}
        </section>
        <Alert message=revoke_error />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                match keys.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) => view! {
                        <DataTable label=tr!("console-keys") columns=&["col-name", "col-created", "col-state"]>
                                    {list.into_iter().map(|k| view! {
                                        <tr>
                                            <td>{k.name.clone()}<div class="muted mono">{k.id.clone()}</div></td>
                                            <td><LocalTime ms=k.created_at /></td>
                                            <td>
                                                {match k.revoked_at {
                                                    Some(t) => view! { <span class="badge badge--danger">{tr!("console-revoked")}</span> " " <LocalTime ms=t /> }.into_any(),
                                                    None => view! {
                                                        <Confirm
                                                            label=t_with("console-revoke-key", &[("name", Arg::from(&k.name))])
                                                            question=t_with("console-revoke-key-question", &[("name", Arg::from(&k.name))])
                                                        >
                                                            <ActionForm action=revoke attr:class="inline-form">
                                                                <input type="hidden" name="id" value=k.id.clone() />
                                                                <button type="submit" class="button button--small button--danger">{t_with("console-revoke-key-confirm", &[("name", Arg::from(&k.name))])}</button>
                                                            </ActionForm>
                                                        </Confirm>
                                                    }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let before = move || query.read().get("before").filter(|b| !b.is_empty());
    let show = move || query.read().get("show").unwrap_or_default();
    let page = Resource::new(move || (before(), show()), |(b, s)| admin_audit(b, Some(s)));
    view! {
        <h1>{tr!("nav-audit-trail")}</h1>
        <p class="lead">{tr!("console-audit-lead")}</p>
        <crate::portal::pages::AuditFilter
            filters=&crate::portal::audit_text::CONSOLE_FILTERS
            show=Signal::derive(show)
        />
        <Suspense fallback=|| view! { <p>{tr!("loading")}</p> }>
            {move || Suspend::new(async move {
                let kept = show();
                match page.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! {
                        <div class="empty"><h2>{tr!("console-audit-empty")}</h2></div>
                    }.into_any(),
                    Ok(p) => view! {
                        <crate::portal::pages::AuditTable rows=p.rows />
                        <nav class="pager" aria-label=tr!("console-pages")>
                            {p.next.map(|n| view! { <a href=crate::portal::pages::audit_page_href("/admin/audit", &n, &kept) rel="next">{tr!("console-older-changes")}</a> })}
                        </nav>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
