//! The operator console's server functions. Every one starts with [`require_operator`]: a
//! password session of a user marked operator (`herald user create --operator`); anyone else is
//! refused, and sees nothing of the deployment.

use super::{HealthInfo, KeyRow, PlanRow, TenantRow};
use crate::portal::{AuditPage, EventTypeInfo, PortalError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The endpoints holding deliveries back and who uses the send slots: the part of system health
/// that names companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLoad {
    /// The endpoints that most recently started failing (or were paused or disabled).
    pub endpoints: Vec<TroubledEndpointRow>,
    /// Troubled endpoints not listed.
    pub endpoints_more: i64,
    /// Sends in flight on all instances, and how many instances hold them.
    pub in_flight: i64,
    pub instances: i64,
    /// Each instance's send slots, and how many of them one endpoint, and one company's
    /// endpoints together, may hold.
    pub slots: i64,
    pub endpoint_slots: i64,
    pub company_slots: i64,
    /// The companies with the most sends in flight.
    pub companies: Vec<CompanyLoadRow>,
    /// Companies with sends in flight not listed.
    pub companies_more: i64,
}

/// Why an endpoint holds its deliveries back. The first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointTrouble {
    /// The operator disabled the company.
    CompanyDisabled,
    Disabled,
    /// Paused after failing in a row: one probe at a time.
    Paused,
    /// Paused because the receiver answered with `Retry-After`.
    PausedByReceiver,
    /// Failing, not (yet) paused: its deliveries retry on their own schedule.
    Failing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TroubledEndpointRow {
    pub app_id: String,
    pub app_uid: Option<String>,
    pub app_name: String,
    pub endpoint_id: String,
    pub url: String,
    pub trouble: EndpointTrouble,
    pub disabled_reason: Option<String>,
    /// Failing without a success since then (Unix ms), and the failed attempts in a row.
    pub failing_since: Option<i64>,
    pub consecutive_failures: i64,
    /// When the next probe may go (Unix ms), while paused.
    pub next_probe: Option<i64>,
    /// Deliveries waiting behind it; `waiting_more` when there are more than counted.
    pub waiting: i64,
    pub waiting_more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyLoadRow {
    pub app_id: String,
    pub app_uid: Option<String>,
    pub app_name: String,
    pub in_flight: i64,
    /// Its part of all the sends in flight, 0 to 1.
    pub share: f64,
    /// Due now or waiting behind its endpoints; `waiting_more` when there are more than counted.
    pub waiting: i64,
    pub waiting_more: bool,
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::portal::PortalError;
    pub use crate::ssr::domain::audit::Actor;
    pub use crate::ssr::portal_auth::{current_session, fail};
    use crate::ssr::AppState;
    pub use crate::ssr::{
        domain::api_keys as keys, domain::catalogue, domain::plans as plan_rules, domain::tenants,
        store::api_keys, store::applications, store::audit, store::event_types, store::health,
        store::plans, store::users,
    };

    /// A signed-in operator: the state, and who they are for the audit trail, which the domain
    /// functions file each change under.
    pub struct Operator {
        pub state: AppState,
        pub actor: Actor,
    }

    pub async fn require_operator() -> Result<Operator, PortalError> {
        let (state, session) = current_session().await?;
        let Some(user) = &session.user_id else {
            return Err(PortalError::OperatorOnly);
        };
        let u = users::get(&state.db, user).await?;
        if !u.is_operator {
            return Err(PortalError::OperatorOnly);
        }
        Ok(Operator {
            state,
            actor: Actor::User {
                id: u.id.to_string(),
                email: u.email,
            },
        })
    }

    /// A number field of a form; `field` is its name in the request's language.
    pub fn number(field: String, v: &str) -> Result<i64, PortalError> {
        v.trim().parse().map_err(|_| {
            PortalError::Invalid(crate::ssr::portal_auth::request_locale().text_with(
                "console-error-whole-number",
                &[("field", crate::i18n::Arg::from(field))],
            ))
        })
    }

    /// What is wrong with a branding field, in the request's language. The branding rules word
    /// their problems in English for the REST API; a problem not known here stays in English.
    pub fn branding_problem(locale: crate::i18n::Locale, problem: &str) -> String {
        use crate::i18n::Arg;
        let number = |prefix: &str, suffix: &str| {
            problem
                .strip_prefix(prefix)?
                .strip_suffix(suffix)?
                .parse::<i64>()
                .ok()
        };
        if let Some(max) = number("must be at most ", " characters") {
            return locale.text_with("console-brand-too-long", &[("max", Arg::from(max))]);
        }
        if let Some(kb) = number(
            "an inline logo must be at most ",
            " KB; link to the image instead",
        ) {
            return locale.text_with("console-brand-logo-too-big", &[("kb", Arg::from(kb))]);
        }
        let key = match problem {
            "must not contain control characters" => "console-brand-control-chars",
            "must be a colour in hex, such as #0a7c59 or #0a5" => "console-brand-hex",
            "must be an address that starts with https://" => "console-brand-upgrade-https",
            "the inline image is not valid base64" => "console-brand-logo-base64",
            "an inline logo must be a base64 PNG, JPEG, GIF, WebP or SVG image" => {
                "console-brand-logo-type"
            }
            "must be an https:// address (or a data:image/…;base64 URL)" => {
                "console-brand-logo-https"
            }
            "must name a host, without a user or password" => "console-brand-logo-host",
            "must not contain spaces, quotes or angle brackets" => "console-brand-logo-chars",
            _ => return problem.to_owned(),
        };
        locale.text(key)
    }

    pub fn app_id(id: &str) -> Result<crate::ids::AppId, PortalError> {
        crate::ids::AppId::parse(id).ok_or(PortalError::NotFound)
    }
}

#[server(prefix = "/admin/fn", endpoint = "health")]
pub async fn admin_health() -> Result<HealthInfo, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let h = health::stats(&op.state.db).await?;
    let operational = crate::ssr::ops::notifications::operational_app(&op.state).await?;
    Ok(HealthInfo {
        operational_app: operational.to_string(),
        failure_rate: h.failure_rate(),
        queue_depth: h.queue_depth,
        due: h.due,
        deliveries_last_minute: h.deliveries_last_minute,
        attempts_last_hour: h.attempts_last_hour,
        oldest_due_at: h.oldest_due_at,
        held: h.held,
        contract: op
            .state
            .settings
            .delivery
            .describe(crate::ssr::portal_auth::request_locale()),
        retries: retries_line(&op.state.settings),
    })
}

#[server(prefix = "/admin/fn", endpoint = "delivery_load")]
pub async fn admin_delivery_load() -> Result<DeliveryLoad, PortalError> {
    use crate::ssr::delivery::schedule::PauseReason;
    use crate::ssr::store::endpoints::WAITING_COUNT_LIMIT;
    use imp::*;
    // Listed at most, so the page stays fast with thousands of endpoints; the rest are counted.
    const LOAD_ENDPOINTS: i64 = 50;
    const LOAD_COMPANIES: usize = 20;
    let op = require_operator().await.map_err(fail)?;
    let (troubled, total) = health::troubled_endpoints(&op.state.db, LOAD_ENDPOINTS).await?;
    let slots = health::slot_use(&op.state.db, LOAD_COMPANIES).await?;
    let endpoints: Vec<TroubledEndpointRow> = troubled
        .into_iter()
        .map(|e| {
            let reason = e.paused_reason.as_deref().and_then(PauseReason::parse);
            let trouble = match (e.app_disabled != 0, e.disabled != 0, e.paused_until, reason) {
                (true, _, _, _) => EndpointTrouble::CompanyDisabled,
                (_, true, _, _) => EndpointTrouble::Disabled,
                (_, _, Some(_), Some(PauseReason::RetryAfter)) => EndpointTrouble::PausedByReceiver,
                (_, _, Some(_), _) => EndpointTrouble::Paused,
                (_, _, None, _) => EndpointTrouble::Failing,
            };
            TroubledEndpointRow {
                app_id: e.app_id,
                app_uid: e.app_uid,
                app_name: e.app_name,
                endpoint_id: e.id,
                url: e.url,
                trouble,
                disabled_reason: e.disabled_reason.filter(|_| e.disabled != 0),
                failing_since: e.first_failure_at,
                consecutive_failures: e.consecutive_failures,
                next_probe: e.paused_until,
                waiting: e.waiting.min(WAITING_COUNT_LIMIT),
                waiting_more: e.waiting > WAITING_COUNT_LIMIT,
            }
        })
        .collect();
    let total_in_flight = slots.in_flight;
    Ok(DeliveryLoad {
        endpoints_more: (total - endpoints.len() as i64).max(0),
        endpoints,
        in_flight: slots.in_flight,
        instances: slots.instances,
        slots: op.state.settings.scheduling.slots as i64,
        endpoint_slots: op.state.settings.scheduling.endpoint_concurrency as i64,
        company_slots: op.state.settings.scheduling.company_concurrency as i64,
        companies: slots
            .companies
            .into_iter()
            .map(|c| CompanyLoadRow {
                share: if total_in_flight > 0 {
                    c.in_flight as f64 / total_in_flight as f64
                } else {
                    0.0
                },
                app_id: c.app_id,
                app_uid: c.app_uid,
                app_name: c.app_name,
                in_flight: c.in_flight,
                waiting: c.waiting.min(WAITING_COUNT_LIMIT),
                waiting_more: c.waiting > WAITING_COUNT_LIMIT,
            })
            .collect(),
        companies_more: slots.companies_more,
    })
}

#[cfg(feature = "ssr")]
fn retries_line(s: &crate::ssr::Settings) -> String {
    let delays: Vec<String> = s
        .retry_schedule
        .iter()
        .map(|d| crate::ssr::store::plans::format_delay(*d))
        .collect();
    use crate::i18n::Arg;
    let jitter = (s.delivery.retry_jitter * 100.0).round();
    crate::ssr::portal_auth::request_locale().text_with(
        "console-retries-line",
        &[
            ("delays", Arg::from(delays.join(", "))),
            ("jitter", Arg::from(jitter)),
            ("timeout", Arg::from(s.request_timeout.as_secs_f64())),
            ("failures", Arg::from(s.auto_disable_after)),
        ],
    )
}

#[server(prefix = "/admin/fn", endpoint = "tenants")]
pub async fn admin_tenants(q: String) -> Result<Vec<TenantRow>, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let found = applications::search(&op.state.db, &q, 100).await?;
    let keys: Vec<(String, bool)> = found
        .iter()
        .map(|t| (t.id.clone(), t.plan.is_some()))
        .collect();
    let usage = plans::usage_of_many(&op.state.db, &keys, op.state.settings.plan_window).await?;
    Ok(found
        .into_iter()
        .map(|t| {
            let (sent, held) = usage.get(&t.id).copied().unwrap_or_default();
            TenantRow {
                id: t.id,
                uid: t.uid,
                name: t.name,
                plan: t.plan,
                disabled: t.disabled != 0,
                endpoints: t.endpoints,
                sent_this_hour: sent,
                held,
                branding: crate::ssr::store::json_or_default(t.branding.as_deref()),
            }
        })
        .collect())
}

/// Puts a tenant on a plan; an empty `plan` takes it off plans (no limits).
#[server(prefix = "/admin/fn", endpoint = "set_tenant_plan")]
pub async fn set_tenant_plan(app: String, plan: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let id = app_id(&app).map_err(fail)?;
    let plan = Some(plan.trim().to_owned()).filter(|p| !p.is_empty());
    plan_rules::assign(&op.state, &op.actor, &id, plan.as_deref())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

/// Enables or disables a tenant; `disabled` is "true" or "false", as a form sends it.
#[server(prefix = "/admin/fn", endpoint = "set_tenant_state")]
pub async fn set_tenant_state(app: String, disabled: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let id = app_id(&app).map_err(fail)?;
    tenants::set_disabled(&op.state.db, &op.actor, &id, disabled == "true")
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

/// Sets how a tenant's portal looks; an empty field takes the deployment's setting. A bad value
/// is refused naming its field, and nothing is changed.
#[server(prefix = "/admin/fn", endpoint = "set_tenant_branding")]
pub async fn set_tenant_branding(
    app: String,
    display_name: String,
    logo_url: String,
    accent_color: String,
    theme: String,
    upgrade_url: Option<String>,
) -> Result<(), PortalError> {
    use crate::branding::{Branding, Theme};
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let id = app_id(&app).map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let theme = match theme.trim() {
        "" => None,
        t => Some(Theme::parse(t).ok_or_else(|| {
            fail(PortalError::Field {
                field: "theme".into(),
                message: locale.text("console-brand-theme-invalid"),
            })
        })?),
    };
    let branding = Branding {
        display_name: Some(display_name),
        logo_url: Some(logo_url),
        accent_color: Some(accent_color),
        theme,
        upgrade_url,
    }
    .normalized();
    if let Err(e) = branding.validate() {
        let (field, label) = match e.field {
            "displayName" => ("display_name", locale.text("console-brand-product-name")),
            "logoUrl" => ("logo_url", locale.text("console-brand-logo")),
            "upgradeUrl" => ("upgrade_url", locale.text("console-brand-upgrade")),
            _ => ("accent_color", locale.text("console-brand-accent")),
        };
        return Err(fail(PortalError::Field {
            field: field.into(),
            message: locale.text_with(
                "console-brand-problem",
                &[
                    ("field", crate::i18n::Arg::from(label)),
                    (
                        "problem",
                        crate::i18n::Arg::from(branding_problem(locale, &e.message)),
                    ),
                ],
            ),
        }));
    }
    tenants::set_branding(&op.state.db, &op.actor, &id, branding)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

#[server(prefix = "/admin/fn", endpoint = "plans")]
pub async fn admin_plans() -> Result<Vec<PlanRow>, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    Ok(plans::list(&op.state.db)
        .await?
        .into_iter()
        .map(|p| PlanRow {
            retry_schedule: p.retry_schedule().join(", "),
            name: p.name,
            max_endpoints: p.max_endpoints,
            deliveries_per_hour: p.deliveries_per_hour,
            timeout_seconds: p.timeout_seconds,
            retention_days: p.retention_days,
            auto_disable_after: p.auto_disable_after,
            auto_disable_min_failing: p
                .auto_disable_min_failing
                .map(|s| match s {
                    0 => "0s".to_owned(),
                    s => plans::format_delay(std::time::Duration::from_secs(s.unsigned_abs())),
                })
                .unwrap_or_default(),
        })
        .collect())
}

/// Creates or edits a plan. Numbers come as the form's text; the schedule as "5m, 30m, 2h"; the
/// least time failing as "24h", empty (or absent, from an older form) for the deployment's.
// A server function's arguments are its form's fields, one each.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/admin/fn", endpoint = "save_plan")]
pub async fn save_plan(
    name: String,
    max_endpoints: String,
    deliveries_per_hour: String,
    retry_schedule: String,
    timeout_seconds: String,
    retention_days: String,
    auto_disable_after: String,
    auto_disable_min_failing: Option<String>,
) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let input = plans::PlanInput {
        max_endpoints: number(locale.text("console-plan-max-endpoints"), &max_endpoints)
            .map_err(fail)?,
        deliveries_per_hour: number(
            locale.text("console-plan-deliveries-per-hour"),
            &deliveries_per_hour,
        )
        .map_err(fail)?,
        retry_schedule: retry_schedule
            .split(',')
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect(),
        timeout_seconds: number(locale.text("console-plan-timeout"), &timeout_seconds)
            .map_err(fail)?,
        retention_days: number(locale.text("console-plan-retention"), &retention_days)
            .map_err(fail)?,
        auto_disable_after: number(
            locale.text("console-plan-auto-disable"),
            &auto_disable_after,
        )
        .map_err(fail)?,
        auto_disable_min_failing: match auto_disable_min_failing.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(
                plans::parse_delay(d)
                    .and_then(|t| i64::try_from(t.as_secs()).ok())
                    .ok_or_else(|| {
                        fail(PortalError::Invalid(
                            locale.text("console-error-min-failing"),
                        ))
                    })?,
            ),
        },
    };
    plan_rules::put(&op.state, &op.actor, name.trim(), input)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

#[server(prefix = "/admin/fn", endpoint = "keys")]
pub async fn admin_keys() -> Result<Vec<KeyRow>, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    Ok(api_keys::list(&op.state.db)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            id: k.id,
            name: k.name,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        })
        .collect())
}

/// Creates an API key and returns it: the only time anyone sees it.
#[server(prefix = "/admin/fn", endpoint = "create_key")]
pub async fn create_key(name: String) -> Result<String, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let (_, key) = keys::create(&op.state.db, &op.actor, name.trim())
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(key)
}

#[server(prefix = "/admin/fn", endpoint = "revoke_key")]
pub async fn revoke_key(id: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    keys::revoke(&op.state.db, &op.actor, &id)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

/// The whole catalogue, archived event types included.
#[server(prefix = "/admin/fn", endpoint = "catalogue")]
pub async fn admin_catalogue() -> Result<Vec<(EventTypeInfo, bool)>, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let mut out = Vec::new();
    let mut q = crate::ssr::store::ListQuery::new(Some(250), None, false);
    loop {
        let page = event_types::list(&op.state.db, &q, true).await?;
        for t in page.data {
            let archived = t.archived != 0;
            out.push((
                EventTypeInfo {
                    example: String::new(),
                    schema: None,
                    fields: Vec::new(),
                    name: t.name,
                    description: t.description,
                    category: t.group_name,
                    deprecated: t.deprecated != 0,
                },
                archived,
            ));
        }
        match page.iterator {
            Some(it) if !page.done => {
                q = crate::ssr::store::ListQuery::new(Some(250), Some(it), false)
            }
            _ => break,
        }
    }
    Ok(out)
}

/// Creates an event type, or edits one's description and category (schemas stay).
#[server(prefix = "/admin/fn", endpoint = "save_event_type")]
pub async fn save_event_type(
    name: String,
    description: String,
    group_name: String,
) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let group = Some(group_name.trim().to_owned()).filter(|g| !g.is_empty());
    catalogue::describe(
        &op.state.db,
        &op.actor,
        name.trim(),
        description.trim().to_owned(),
        group,
    )
    .await
    .map_err(|e| fail(e.into()))?;
    Ok(())
}

/// Archives an event type (`archived` = "true") or brings it back ("false").
#[server(prefix = "/admin/fn", endpoint = "archive_event_type")]
pub async fn archive_event_type(name: String, archived: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    catalogue::set_archived(&op.state.db, &op.actor, &name, archived == "true")
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(())
}

/// Imports a catalogue file (all of it, or nothing when an entry is bad). Says what it did.
#[server(prefix = "/admin/fn", endpoint = "import_catalogue")]
pub async fn import_catalogue(file: String) -> Result<String, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let done = catalogue::import(&op.state.db, &op.actor, catalogue::Source::Console, &file)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(crate::ssr::portal_auth::request_locale().text_with(
        "console-imported",
        &[
            ("created", crate::i18n::Arg::from(done.created)),
            ("updated", crate::i18n::Arg::from(done.updated)),
        ],
    ))
}

#[server(prefix = "/admin/fn", endpoint = "export_catalogue")]
pub async fn export_catalogue() -> Result<String, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    Ok(catalogue::export(&op.state.db).await?)
}

/// The whole audit trail, every company's and the deployment's, newest first, in sentences;
/// `show` keeps one kind of change (see `audit_text::CONSOLE_FILTERS`).
#[server(prefix = "/admin/fn", endpoint = "audit")]
pub async fn admin_audit(
    before: Option<String>,
    show: Option<String>,
) -> Result<AuditPage, PortalError> {
    use crate::portal::audit_text::{filter_prefix, CONSOLE_FILTERS};
    use crate::ssr::domain::audit as trail;
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let before = before.filter(|b| !b.is_empty());
    let kind = filter_prefix(&CONSOLE_FILTERS, show.as_deref().unwrap_or_default());
    let page = audit::list_of_kind(&op.state.db, None, kind, before.as_deref(), 50).await?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let rows = trail::named(&op.state.db, None, page.data)
        .await?
        .into_iter()
        .map(|n| crate::portal::audit_row(n.entry, &n.subject, n.company))
        .collect();
    Ok(AuditPage { rows, next })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::branding::Branding;
    use crate::i18n::Locale;

    /// The branding rules word their problems for the REST API; a change of wording there must
    /// not leave the console's other languages quietly showing English.
    #[test]
    fn every_branding_problem_is_translated() {
        let long = "x".repeat(3000);
        let logo = |u: String| Branding {
            logo_url: Some(u),
            ..Default::default()
        };
        let upgrade = |u: String| Branding {
            upgrade_url: Some(u),
            ..Default::default()
        };
        let cases = [
            Branding {
                display_name: Some("n".repeat(81)),
                ..Default::default()
            },
            Branding {
                display_name: Some("a\u{7}".into()),
                ..Default::default()
            },
            Branding {
                accent_color: Some("teal".into()),
                ..Default::default()
            },
            upgrade("ftp://x".into()),
            upgrade(format!("https://{long}")),
            logo(format!("data:image/png;base64,{}", "A".repeat(70_000))),
            logo("data:image/png;base64,!!".into()),
            logo("data:text/html,x".into()),
            logo("http://x".into()),
            logo("https://u@x".into()),
            logo("https://x/a b".into()),
        ];
        for case in cases {
            let Err(e) = case.validate() else {
                panic!("{case:?} should be refused");
            };
            let en = super::imp::branding_problem(Locale::En, &e.message);
            assert_eq!(en, e.message);
            for locale in [Locale::Fr, Locale::Ar] {
                let text = super::imp::branding_problem(locale, &e.message);
                assert_ne!(text, e.message, "{locale} has no text for {:?}", e.message);
            }
        }
    }
}
