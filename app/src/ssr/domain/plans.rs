//! Plans: what each company may do, and which plan it is on. The REST API and the operator
//! console change them through these functions, each filing its audit entry in its own
//! transaction. A change of limits weighs held deliveries again, so the workers are woken after.

use crate::ids::AppId;
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::db::Db;
use crate::ssr::store::plans::{self, Plan, PlanInput};
use crate::ssr::{AppState, ServiceError};
use serde_json::Value;

pub use crate::ssr::store::plans::endpoint_limit;

/// What the audit trail records of a plan: its settings (its name is the entry's target).
pub fn audit_view(p: &Plan) -> Value {
    serde_json::json!({
        "maxEndpoints": p.max_endpoints,
        "deliveriesPerHour": p.deliveries_per_hour,
        "retrySchedule": p.retry_schedule(),
        "timeoutSeconds": p.timeout_seconds,
        "retentionDays": p.retention_days,
        "autoDisableAfter": p.auto_disable_after,
        "autoDisableMinFailingSeconds": p.auto_disable_min_failing,
    })
}

/// Creates a plan; one of that name already there is a conflict.
pub async fn create(
    db: &Db,
    actor: &Actor,
    name: &str,
    input: PlanInput,
) -> Result<Plan, ServiceError> {
    let mut tx = db.write.begin().await?;
    let p = plans::create_in(&mut tx, name, input).await?;
    audit::write(
        &mut tx,
        actor,
        None,
        "plan.created",
        &p.name,
        audit_view(&p),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// Replaces a plan's settings, creating it when absent. Its tenants get the new limits at once.
/// Returns the plan and whether it is new.
pub async fn put(
    state: &AppState,
    actor: &Actor,
    name: &str,
    input: PlanInput,
) -> Result<(Plan, bool), ServiceError> {
    let mut tx = state.db.write.begin().await?;
    let before = match plans::get_in(&mut tx, name).await {
        Ok(p) => Some(p),
        Err(ServiceError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let (p, created) = plans::upsert_in(&mut tx, name, input).await?;
    match before.filter(|_| !created) {
        Some(b) => {
            let changes = audit::diff(&audit_view(&b), &audit_view(&p));
            audit::write(&mut tx, actor, None, "plan.updated", &p.name, changes).await?;
        }
        None => {
            audit::write(
                &mut tx,
                actor,
                None,
                "plan.created",
                &p.name,
                audit_view(&p),
            )
            .await?;
        }
    }
    tx.commit().await?;
    // Held deliveries may fit under the new limit.
    state.work_accepted().await;
    Ok((p, created))
}

/// Deletes a plan no application is on.
pub async fn delete(db: &Db, actor: &Actor, name: &str) -> Result<(), ServiceError> {
    let mut tx = db.write.begin().await?;
    plans::delete_in(&mut tx, name).await?;
    audit::write(
        &mut tx,
        actor,
        None,
        "plan.deleted",
        name,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a company on a plan, or on none (no limits). Only a move to another plan is filed.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    app: &AppId,
    plan: Option<&str>,
) -> Result<(), ServiceError> {
    let mut tx = state.db.write.begin().await?;
    let before = plans::of_app(&mut *tx, app.as_str()).await?.map(|p| p.name);
    plans::assign_in(&mut tx, app, plan).await?;
    if before.as_deref() != plan {
        let changes = serde_json::json!({ "plan": { "from": before, "to": plan } });
        let action = "application.plan_changed";
        audit::write(&mut tx, actor, Some(app), action, app.as_str(), changes).await?;
    }
    tx.commit().await?;
    // Held deliveries may fit under the new plan.
    state.work_accepted().await;
    Ok(())
}
