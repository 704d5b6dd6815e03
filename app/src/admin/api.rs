//! The operator console's server functions. Every one starts with [`require_operator`]: a
//! password session of a user marked operator (`herald user create --operator`); anyone else is
//! refused, and sees nothing of the deployment.

use super::{HealthInfo, KeyRow, PlanRow, TenantRow};
use crate::portal::{AuditPage, EventTypeInfo, PortalError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    use crate::portal::PortalError;
    pub use crate::ssr::portal_auth::{current_session, fail};
    pub use crate::ssr::store::audit::{self, Actor};
    use crate::ssr::AppState;
    pub use crate::ssr::{
        domain::catalogue, store::api_keys, store::applications, store::event_types, store::health,
        store::plans, store::users,
    };

    pub struct Operator {
        pub state: AppState,
        pub actor: Actor,
    }

    impl Operator {
        pub async fn audit(
            &self,
            app: Option<&crate::ids::AppId>,
            action: &str,
            target: &str,
            changes: serde_json::Value,
        ) {
            audit::record(
                &self.state.db,
                &self.actor,
                app,
                action,
                Some(target),
                changes,
            )
            .await;
        }
    }

    pub async fn require_operator() -> Result<Operator, PortalError> {
        let (state, session) = current_session().await?;
        let Some(user) = &session.user_id else {
            return Err(PortalError::Forbidden);
        };
        let u = users::get(&state.db, user).await?;
        if !u.is_operator {
            return Err(PortalError::Forbidden);
        }
        Ok(Operator {
            state,
            actor: Actor::User {
                id: u.id.to_string(),
                email: u.email,
            },
        })
    }

    pub fn number(field: &str, v: &str) -> Result<i64, PortalError> {
        v.trim()
            .parse()
            .map_err(|_| PortalError::Invalid(format!("{field}: enter a whole number")))
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
        contract: op.state.settings.delivery.describe(),
        retries: retries_line(&op.state.settings),
    })
}

#[cfg(feature = "ssr")]
fn retries_line(s: &crate::ssr::Settings) -> String {
    let delays: Vec<String> = s
        .retry_schedule
        .iter()
        .map(|d| crate::ssr::store::plans::format_delay(*d))
        .collect();
    let jitter = (s.delivery.retry_jitter * 100.0).round();
    format!(
        "{} (±{jitter}%), {} s to answer, endpoints disabled after {} failures in a row; a company's plan overrides these",
        delays.join(", "),
        s.request_timeout.as_secs_f64(),
        s.auto_disable_after
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
    let before = plans::of_app(&op.state.db.write, id.as_str())
        .await
        .map_err(|e| fail(crate::ssr::ServiceError::from(e).into()))?
        .map(|p| p.name);
    let plan = Some(plan.trim().to_owned()).filter(|p| !p.is_empty());
    plans::assign(&op.state.db, &id, plan.as_deref())
        .await
        .map_err(|e| fail(e.into()))?;
    op.state.work_accepted().await;
    if before != plan {
        let changes = serde_json::json!({ "plan": { "from": before, "to": plan } });
        op.audit(Some(&id), "application.plan_changed", id.as_str(), changes)
            .await;
    }
    Ok(())
}

/// Enables or disables a tenant; `disabled` is "true" or "false", as a form sends it.
#[server(prefix = "/admin/fn", endpoint = "set_tenant_state")]
pub async fn set_tenant_state(app: String, disabled: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let id = app_id(&app).map_err(fail)?;
    let disabled = disabled == "true";
    let changed = applications::set_disabled(&op.state.db, &id, disabled)
        .await
        .map_err(|e| fail(e.into()))?;
    if changed {
        let action = if disabled {
            "application.disabled"
        } else {
            "application.enabled"
        };
        op.audit(Some(&id), action, id.as_str(), serde_json::json!({}))
            .await;
    }
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
        })
        .collect())
}

/// Creates or edits a plan. Numbers come as the form's text; the schedule as "5m, 30m, 2h".
#[server(prefix = "/admin/fn", endpoint = "save_plan")]
pub async fn save_plan(
    name: String,
    max_endpoints: String,
    deliveries_per_hour: String,
    retry_schedule: String,
    timeout_seconds: String,
    retention_days: String,
    auto_disable_after: String,
) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let input = plans::PlanInput {
        max_endpoints: number("Max endpoints", &max_endpoints).map_err(fail)?,
        deliveries_per_hour: number("Deliveries per hour", &deliveries_per_hour).map_err(fail)?,
        retry_schedule: retry_schedule
            .split(',')
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect(),
        timeout_seconds: number("Timeout", &timeout_seconds).map_err(fail)?,
        retention_days: number("Retention", &retention_days).map_err(fail)?,
        auto_disable_after: number("Auto-disable after", &auto_disable_after).map_err(fail)?,
    };
    let name = name.trim().to_owned();
    let before = plans::get(&op.state.db, &name).await.ok();
    let (p, created) = plans::upsert(&op.state.db, &name, input)
        .await
        .map_err(|e| fail(e.into()))?;
    op.state.work_accepted().await;
    let view = |p: &plans::Plan| {
        serde_json::json!({
            "maxEndpoints": p.max_endpoints, "deliveriesPerHour": p.deliveries_per_hour,
            "retrySchedule": p.retry_schedule(), "timeoutSeconds": p.timeout_seconds,
            "retentionDays": p.retention_days, "autoDisableAfter": p.auto_disable_after,
        })
    };
    match (created, before) {
        (false, Some(b)) => {
            op.audit(
                None,
                "plan.updated",
                &p.name,
                audit::diff(&view(&b), &view(&p)),
            )
            .await
        }
        _ => op.audit(None, "plan.created", &p.name, view(&p)).await,
    }
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
    let (rec, key) = api_keys::create(&op.state.db, name.trim(), None)
        .await
        .map_err(|e| fail(e.into()))?;
    op.audit(
        None,
        "api_key.created",
        &rec.id,
        serde_json::json!({ "name": rec.name }),
    )
    .await;
    Ok(key)
}

#[server(prefix = "/admin/fn", endpoint = "revoke_key")]
pub async fn revoke_key(id: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let rec = api_keys::revoke(&op.state.db, &id)
        .await
        .map_err(|e| fail(e.into()))?;
    op.audit(
        None,
        "api_key.revoked",
        &rec.id,
        serde_json::json!({ "name": rec.name }),
    )
    .await;
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
    let name = name.trim().to_owned();
    let group = Some(group_name.trim().to_owned()).filter(|g| !g.is_empty());
    let (et, created) = match event_types::get(&op.state.db, &name).await {
        Ok(existing) => {
            let input = event_types::EventTypeInput {
                description: description.trim().to_owned(),
                group_name: group,
                schemas: existing
                    .schemas
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok()),
                archived: existing.archived != 0,
                deprecated: existing.deprecated != 0,
                feature_flag: existing.feature_flag.clone(),
            };
            (
                event_types::replace(&op.state.db, existing, input)
                    .await
                    .map_err(|e| fail(e.into()))?,
                false,
            )
        }
        Err(_) => {
            let input = event_types::EventTypeInput {
                description: description.trim().to_owned(),
                group_name: group,
                ..Default::default()
            };
            (
                event_types::create(&op.state.db, &name, input)
                    .await
                    .map_err(|e| fail(e.into()))?,
                true,
            )
        }
    };
    let action = if created {
        "event_type.created"
    } else {
        "event_type.updated"
    };
    op.audit(
        None,
        action,
        &et.name,
        serde_json::json!({ "description": et.description, "groupName": et.group_name }),
    )
    .await;
    Ok(())
}

/// Archives an event type (`archived` = "true") or brings it back ("false").
#[server(prefix = "/admin/fn", endpoint = "archive_event_type")]
pub async fn archive_event_type(name: String, archived: String) -> Result<(), PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let existing = event_types::get(&op.state.db, &name)
        .await
        .map_err(|e| fail(e.into()))?;
    let archive = archived == "true";
    let input = event_types::EventTypeInput {
        description: existing.description.clone(),
        group_name: existing.group_name.clone(),
        schemas: existing
            .schemas
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok()),
        archived: archive,
        deprecated: existing.deprecated != 0,
        feature_flag: existing.feature_flag.clone(),
    };
    event_types::replace(&op.state.db, existing, input)
        .await
        .map_err(|e| fail(e.into()))?;
    let action = if archive {
        "event_type.archived"
    } else {
        "event_type.restored"
    };
    op.audit(None, action, &name, serde_json::json!({})).await;
    Ok(())
}

/// Imports a catalogue file (all of it, or nothing when an entry is bad). Says what it did.
#[server(prefix = "/admin/fn", endpoint = "import_catalogue")]
pub async fn import_catalogue(file: String) -> Result<String, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let done = catalogue::import(&op.state.db, &file)
        .await
        .map_err(|e| fail(e.into()))?;
    op.audit(
        None,
        "catalogue.imported",
        "catalogue",
        serde_json::json!({ "created": done.created, "updated": done.updated }),
    )
    .await;
    Ok(format!(
        "Imported: {} created, {} updated.",
        done.created, done.updated
    ))
}

#[server(prefix = "/admin/fn", endpoint = "export_catalogue")]
pub async fn export_catalogue() -> Result<String, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    Ok(catalogue::export(&op.state.db).await?)
}

/// The whole audit trail, every company's and the deployment's, newest first.
#[server(prefix = "/admin/fn", endpoint = "audit")]
pub async fn admin_audit(before: Option<String>) -> Result<AuditPage, PortalError> {
    use imp::*;
    let op = require_operator().await.map_err(fail)?;
    let before = before.filter(|b| !b.is_empty());
    let page = audit::list(&op.state.db, None, before.as_deref(), 50).await?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let rows = page
        .data
        .into_iter()
        .map(|e| crate::portal::AuditRow {
            at: e.created_at,
            actor: e.actor_name,
            action: e.action,
            target: match (e.app_id, e.target) {
                (Some(app), Some(t)) if app != t => Some(format!("{t} ({app})")),
                (_, t) => t,
            },
            details: crate::portal::audit_detail_lines(&e.changes),
        })
        .collect();
    Ok(AuditPage { rows, next })
}
