//! The tenant's state, checked once for every door that sends.
//!
//! A tenant the operator disabled sends nothing until it is enabled again: no new message (the
//! API, example and test sends, the portal), no resend, recovery or replay, no portal link minted
//! or exchanged. Every one of those takes an [`ActiveTenant`], which only this module makes, so
//! a new door cannot forget the check. Deliveries already pending wait (the workers do not claim
//! a disabled tenant's rows; `store::worker::claim` says so), and the portal shows them waiting.

use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::store::applications::{self, ApplicationInput};
use crate::ssr::ServiceError;

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
