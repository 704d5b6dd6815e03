//! Sending again by hand: one message to one endpoint (resend), or everything that failed for an
//! endpoint since a time (recover). Both need an active tenant.

use crate::ssr::domain::tenants::ActiveTenant;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{attempts, endpoints, messages};
use crate::ssr::{AppState, ServiceError};

/// Sends a message to an endpoint again, now, as a manual attempt. Works for deliveries that
/// succeeded, failed or were skipped (e.g. while the endpoint was disabled).
pub async fn resend(
    state: &AppState,
    tenant: &ActiveTenant,
    msg: &str,
    endpoint: &str,
) -> Result<(), ServiceError> {
    let app = tenant.id();
    let m = messages::get(&state.db, app, msg).await?;
    let ep = endpoints::get(&state.db, app, endpoint).await?;
    if ep.disabled != 0 {
        return Err(ServiceError::validation(
            "endpoint is disabled: enable it before resending",
        ));
    }
    if m.payload.is_none() {
        return Err(ServiceError::validation(
            "the message's content was expunged",
        ));
    }
    attempts::requeue_manual(&state.db, app, &m.id, &ep.id, now_ms()).await?;
    state.work_accepted().await;
    Ok(())
}

/// Queues again every failed delivery to this endpoint created in `[since, until)`.
pub async fn recover(
    state: &AppState,
    tenant: &ActiveTenant,
    endpoint: &str,
    since: i64,
    until: Option<i64>,
) -> Result<u64, ServiceError> {
    let n =
        attempts::requeue_failed(&state.db, tenant.id(), endpoint, since, until, now_ms()).await?;
    if n > 0 {
        state.work_accepted().await;
    }
    Ok(n)
}
