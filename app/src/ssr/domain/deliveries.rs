//! Deliveries as a company sees them: the one state each is in, the same in the API and the
//! portal; and sending again by hand: one message to one endpoint (resend), or everything that
//! failed for an endpoint since a time (recover). Both need an active tenant, and each is filed
//! in the audit trail in the transaction that queues the deliveries.

use crate::ssr::delivery::state::DeliveryView;
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::domain::state::Settings;
use crate::ssr::domain::tenants::ActiveTenant;
use crate::ssr::infra::time::{now_ms, to_rfc3339};
use crate::ssr::store::deliveries::{self as rows, DeliveryRow};
use crate::ssr::store::{endpoints, messages, plans};
use crate::ssr::{AppState, ServiceError};

/// A delivery as the API and the portal both show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub view: DeliveryView,
    /// The tries it gets in all: the first and one per step of its company's plan's retry
    /// schedule, or the deployment's, as the worker counts them.
    pub max_tries: i64,
    /// Its last try's HTTP status (0: no answer); `None` before its first try.
    pub last_status_code: Option<i64>,
}

/// The state `row` is in at `now`, the same wherever it is shown.
pub fn show(settings: &Settings, row: &DeliveryRow, now: i64) -> Shown {
    let retries = row
        .plan_retry_schedule
        .as_deref()
        .map_or(settings.retry_schedule.len(), |s| {
            plans::schedule_delays(s).len()
        });
    let max_tries = retries as i64 + 1;
    Shown {
        view: DeliveryView::of(&row.facts(max_tries), now),
        max_tries,
        last_status_code: row.last_status_code.filter(|_| row.attempts > 0),
    }
}

/// Sends a message to an endpoint again, now, as a manual attempt. Works for deliveries that
/// succeeded, failed or were skipped (e.g. while the endpoint was disabled).
pub async fn resend(
    state: &AppState,
    actor: &Actor,
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
    let mut tx = state.db.write.begin().await?;
    rows::requeue_manual_in(&mut tx, app, &m.id, &ep.id, now_ms()).await?;
    // The entry names the message and endpoint as the caller did.
    let facts = serde_json::json!({ "msgId": msg, "endpointId": endpoint });
    audit::write(&mut tx, actor, Some(app), "message.resent", msg, facts).await?;
    tx.commit().await?;
    state.work_accepted().await;
    Ok(())
}

/// Queues again every failed delivery to this endpoint created in `[since, until)`.
pub async fn recover(
    state: &AppState,
    actor: &Actor,
    tenant: &ActiveTenant,
    endpoint: &str,
    since: i64,
    until: Option<i64>,
) -> Result<u64, ServiceError> {
    let app = tenant.id();
    let mut tx = state.db.write.begin().await?;
    let n = rows::requeue_failed_in(&mut tx, app, endpoint, since, until, now_ms()).await?;
    let facts = serde_json::json!({
        "since": to_rfc3339(since),
        "until": until.map(to_rfc3339),
        "deliveries": n,
    });
    audit::write(
        &mut tx,
        actor,
        Some(app),
        "endpoint.recovered",
        endpoint,
        facts,
    )
    .await?;
    tx.commit().await?;
    if n > 0 {
        state.work_accepted().await;
    }
    Ok(n)
}
