//! Background upkeep on a timer: the retention purge, operational notifications a crash left
//! unforwarded, expired portal sessions and links.
//! Every step is idempotent, so each instance sharing a PostgreSQL database may run it.

use crate::ssr::infra::time::now_ms;
use crate::ssr::ops::notifications;
use crate::ssr::store::{retention, sessions, worker};
use crate::ssr::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Rows per purge statement: small enough that no lock is held for long.
const PURGE_BATCH: i64 = 500;

pub async fn run(state: AppState, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        run_once(&state).await;
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

pub async fn run_once(state: &AppState) {
    match retention::purge(&state.db, now_ms(), PURGE_BATCH).await {
        Ok(p) if p != retention::Purged::default() => tracing::info!(
            purged.attempts = p.attempts,
            purged.messages = p.messages,
            purged.usage_windows = p.usage_windows,
            "retention purge"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "retention purge failed; it runs again next time"),
    }
    match notifications::forward_pending(state).await {
        Ok(n) if n > 0 => tracing::info!(
            notifications.count = n,
            "operational notifications forwarded"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "forwarding operational notifications failed"),
    }
    let slots = state.settings.scheduling.endpoint_concurrency as i64;
    let lease = state.settings.scheduling.lease.as_millis() as i64;
    match worker::release_stranded(&state.db, slots, lease).await {
        Ok(n) if n > 0 => {
            tracing::info!(deliveries.count = n, "waiting deliveries released");
            state.wake.notify_one();
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "releasing waiting deliveries failed"),
    }
    match sessions::purge_expired(&state.db).await {
        Ok(n) if n > 0 => tracing::debug!(sessions.count = n, "expired portal sessions removed"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "removing expired portal sessions failed"),
    }
}
