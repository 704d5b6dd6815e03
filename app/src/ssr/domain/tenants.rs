//! The tenant's state, checked once for every door that sends.
//!
//! A tenant the operator disabled sends nothing until it is enabled again: no new message (the
//! API, example and test sends, the portal), no resend, recovery or replay, no portal link minted
//! or exchanged. Every one of those takes an [`ActiveTenant`], which only this module makes, so
//! a new door cannot forget the check. Deliveries already pending wait behind their endpoints
//! (parked when the tenant is disabled, and by the workers' admission as retries fall due) and
//! go out when it is enabled again; the portal shows them waiting.

use crate::branding::Branding;
use crate::ids::AppId;
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::db::Db;
use crate::ssr::store::applications::{self, Application, ApplicationInput};
use crate::ssr::store::worker;
use crate::ssr::ServiceError;
use serde_json::Value;

/// A tenant that was enabled when it was looked up.
#[derive(Debug, Clone)]
pub struct ActiveTenant(AppId);

impl ActiveTenant {
    pub fn id(&self) -> &AppId {
        &self.0
    }
}

fn refused() -> ServiceError {
    ServiceError::Forbidden(
        "this application is disabled by the operator: it sends nothing until it is enabled".into(),
    )
}

/// Resolves the `{app_id}` of a path (an id or a uid) to an active tenant, in one query.
pub async fn active(db: &Db, id_or_uid: &str) -> Result<ActiveTenant, ServiceError> {
    match applications::state_of(db, id_or_uid).await? {
        Some((_, true)) => Err(refused()),
        Some((id, false)) => AppId::parse(&id)
            .map(ActiveTenant)
            .ok_or(ServiceError::NotFound("application")),
        None => Err(ServiceError::NotFound("application")),
    }
}

/// The same check for a tenant already resolved.
pub async fn ensure_active(db: &Db, app: &AppId) -> Result<ActiveTenant, ServiceError> {
    active(db, app.as_str()).await
}

/// The active tenant for `id_or_uid`, created from `create` (its uid defaulting to `id_or_uid`)
/// when there is none, as Svix's send-with-`application` does. Two requests racing to create it
/// get the same tenant.
pub async fn active_or_create(
    db: &Db,
    id_or_uid: &str,
    create: Option<ApplicationInput>,
) -> Result<ActiveTenant, ServiceError> {
    match active(db, id_or_uid).await {
        Err(ServiceError::NotFound(_)) => {}
        other => return other,
    }
    let Some(mut input) = create else {
        return Err(ServiceError::NotFound("application"));
    };
    // The path names the tenant: a uid there becomes the new tenant's uid.
    if input.uid.is_none() && !id_or_uid.starts_with("app_") {
        input.uid = Some(id_or_uid.to_owned());
    }
    match applications::create(db, input).await {
        Ok(created) => AppId::parse(&created.id)
            .map(ActiveTenant)
            .ok_or(ServiceError::NotFound("application")),
        // Another request created it first.
        Err(ServiceError::Conflict { .. }) => active(db, id_or_uid).await,
        Err(e) => Err(e),
    }
}

/// What the audit trail records of an application.
pub fn audit_view(a: &Application) -> Value {
    serde_json::json!({
        "name": a.name,
        "uid": a.uid,
        "metadata": serde_json::from_str::<Value>(&a.metadata).unwrap_or_default(),
        "rateLimit": a.throttle_rate,
    })
}

/// The entry filed about an application, on the change's transaction.
async fn file(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    app: &Application,
    action: &str,
    changes: Value,
) -> Result<(), ServiceError> {
    if audit::is_empty(&changes) {
        return Ok(());
    }
    let id = AppId::parse(&app.id);
    audit::write(conn, actor, id.as_ref(), action, &app.id, changes).await
}

/// Creates a tenant.
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: ApplicationInput,
) -> Result<Application, ServiceError> {
    let mut tx = db.write.begin().await?;
    let app = applications::create_in(&mut tx, input).await?;
    file(
        &mut tx,
        actor,
        &app,
        "application.created",
        audit_view(&app),
    )
    .await?;
    tx.commit().await?;
    Ok(app)
}

/// Replaces a tenant's fields (PUT), creating it when absent with the path's value as its uid.
/// Returns the tenant and whether it was created.
pub async fn put(
    db: &Db,
    actor: &Actor,
    id_or_uid: &str,
    mut input: ApplicationInput,
) -> Result<(Application, bool), ServiceError> {
    let mut tx = db.write.begin().await?;
    let done = match applications::find_in(&mut tx, id_or_uid).await {
        Ok(before) => {
            let app = applications::replace_in(&mut tx, &before, input).await?;
            let changes = audit::diff(&audit_view(&before), &audit_view(&app));
            file(&mut tx, actor, &app, "application.updated", changes).await?;
            (app, false)
        }
        Err(ServiceError::NotFound(_)) => {
            if input.uid.is_none() && AppId::parse(id_or_uid).is_none() {
                input.uid = Some(id_or_uid.to_owned());
            }
            let app = applications::create_in(&mut tx, input).await?;
            file(
                &mut tx,
                actor,
                &app,
                "application.created",
                audit_view(&app),
            )
            .await?;
            (app, true)
        }
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    Ok(done)
}

/// Replaces the fields of `existing` with `input` (PATCH, once merged).
pub async fn update(
    db: &Db,
    actor: &Actor,
    existing: &Application,
    input: ApplicationInput,
) -> Result<Application, ServiceError> {
    let mut tx = db.write.begin().await?;
    let app = applications::replace_in(&mut tx, existing, input).await?;
    let changes = audit::diff(&audit_view(existing), &audit_view(&app));
    file(&mut tx, actor, &app, "application.updated", changes).await?;
    tx.commit().await?;
    Ok(app)
}

/// Deletes a tenant and everything it owns.
pub async fn delete(db: &Db, actor: &Actor, id_or_uid: &str) -> Result<(), ServiceError> {
    let mut tx = db.write.begin().await?;
    let existing = applications::find_in(&mut tx, id_or_uid).await?;
    let id = AppId::parse(&existing.id).ok_or(ServiceError::NotFound("application"))?;
    applications::delete_in(&mut tx, &id).await?;
    file(
        &mut tx,
        actor,
        &existing,
        "application.deleted",
        audit_view(&existing),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The operator enables or disables a tenant (a disabled one sends nothing). Returns whether its
/// state changed; only a change is filed.
pub async fn set_disabled(
    db: &Db,
    actor: &Actor,
    app: &AppId,
    disabled: bool,
) -> Result<bool, ServiceError> {
    let mut tx = db.write.begin().await?;
    let changed = applications::set_disabled_in(&mut tx, app, disabled).await?;
    if changed {
        // Its due backlog leaves the queue at once (claims would otherwise read it only to park
        // it), and comes back when it is enabled: waiting, never skipped.
        if disabled {
            worker::park_company_backlog(&mut *tx, db.backend, app.as_str()).await?;
        } else {
            worker::release_company_endpoints(&mut tx, db.backend, app.as_str()).await?;
        }
        let action = if disabled {
            "application.disabled"
        } else {
            "application.enabled"
        };
        audit::write(
            &mut tx,
            actor,
            Some(app),
            action,
            app.as_str(),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// A company's own branding.
pub async fn branding(db: &Db, app: &AppId) -> Result<Branding, ServiceError> {
    let mut conn = db.read.acquire().await?;
    applications::branding_in(&mut conn, app).await
}

/// Replaces a company's branding (empty fields: the deployment's), filing the change. Returns
/// what was stored. A bad value is refused naming its field, and nothing is changed.
pub async fn set_branding(
    db: &Db,
    actor: &Actor,
    app: &AppId,
    branding: Branding,
) -> Result<Branding, ServiceError> {
    let branding = branding.normalized();
    branding
        .validate()
        .map_err(|e| ServiceError::validation(e.to_string()))?;
    let mut tx = db.write.begin().await?;
    let before = applications::branding_in(&mut tx, app).await?;
    if before != branding {
        applications::set_branding_in(&mut tx, app, &branding).await?;
        let view = |b: &Branding| serde_json::to_value(audit_branding(b)).unwrap_or(Value::Null);
        let changes = audit::diff(&view(&before), &view(&branding));
        let action = "application.branding_changed";
        audit::write(&mut tx, actor, Some(app), action, app.as_str(), changes).await?;
    }
    tx.commit().await?;
    Ok(branding)
}

/// What the audit trail keeps of a branding: an inline logo is summarised, not copied.
fn audit_branding(b: &Branding) -> Branding {
    Branding {
        logo_url: b.logo_url.as_ref().map(|u| {
            if u.starts_with("data:") {
                format!("(inline image, {} bytes)", u.len())
            } else {
                u.clone()
            }
        }),
        ..b.clone()
    }
}
