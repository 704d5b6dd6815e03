//! Record: results are written in batches, each in one transaction with the attempts, the
//! delivery states and the endpoints' failure streaks.

use super::Worker;
use herald_app::ssr::store::worker::{self as queue, Outcome};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

pub const RECORD_BATCH: usize = 512;
const RECORD_TRIES: u64 = 5;

impl Worker {
    /// Writes outcomes as they come, batching whatever is waiting, until every sender is gone.
    pub(super) async fn record_loop(self: Arc<Self>, mut rx: mpsc::UnboundedReceiver<Outcome>) {
        let mut batch = Vec::with_capacity(RECORD_BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < RECORD_BATCH {
                match rx.try_recv() {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
            let released = self.record(&batch).await;
            self.release_capped(&batch, &released).await;
            self.settle(batch.len());
            batch.clear();
            // Retries recorded just now may be due before the dispatcher's next look.
            self.state.wake.notify_one();
        }
    }

    /// Companies parked at their cap get the slots these results freed, less what recording
    /// them already released behind the same endpoints (`released`), which would otherwise be
    /// given twice and parked again. A failure here leaves their deliveries waiting for the
    /// next release, or upkeep's safety net.
    pub(super) async fn release_capped(&self, batch: &[Outcome], released: &[(String, u64)]) {
        let apps: Vec<(String, usize)> = {
            let capped = self.capped.lock().unwrap_or_else(|e| e.into_inner());
            if capped.is_empty() {
                return;
            }
            let mut apps: HashMap<&str, usize> = batch
                .iter()
                .filter(|o| capped.contains_key(&o.app_id))
                .map(|o| (o.app_id.as_str(), 0))
                .collect();
            for (endpoint, n) in released {
                let app = batch.iter().find(|o| &o.endpoint_id == endpoint);
                if let Some(pending) = app.and_then(|o| apps.get_mut(o.app_id.as_str())) {
                    *pending += *n as usize;
                }
            }
            apps.into_iter().map(|(a, n)| (a.to_owned(), n)).collect()
        };
        for (app, pending) in apps {
            if let Err(e) = self.release_company(&app, pending).await {
                tracing::warn!(app.id = %app, error = %e, "releasing a company's waiting deliveries failed");
            }
        }
    }

    /// Writes one batch, retrying a few times. If it still fails the leases expire and these
    /// deliveries are sent again: a duplicate is better than a loss. Returns the endpoints whose
    /// waiting deliveries it released, and how many.
    pub(super) async fn record(&self, batch: &[Outcome]) -> Vec<(String, u64)> {
        let mut tries = 0;
        loop {
            match queue::record(
                &self.state.db,
                &self.owner,
                batch,
                self.state.settings.auto_disable_after,
                &self.state.settings.scheduling,
            )
            .await
            {
                Ok(rec) => {
                    for (ep, reason) in rec.disabled_endpoints {
                        tracing::warn!(endpoint.id = %ep, reason = %reason, "endpoint disabled");
                    }
                    for (ep, why, paused_for_ms) in rec.paused_endpoints {
                        tracing::info!(endpoint.id = %ep, reason = why.as_str(), paused_for_ms, "endpoint paused");
                    }
                    for ep in rec.resumed_endpoints {
                        tracing::info!(endpoint.id = %ep, "endpoint resumed");
                    }
                    if rec.notified {
                        // Upkeep forwards whatever this misses.
                        if let Err(e) =
                            herald_app::ssr::ops::notifications::forward_pending(&self.state).await
                        {
                            tracing::warn!(error = %e, "forwarding operational notifications failed");
                        }
                    }
                    return rec.released;
                }
                Err(e) if tries < RECORD_TRIES => {
                    tries += 1;
                    tracing::warn!(error = %e, tries, "recording delivery results failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 * tries)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, results = batch.len(), "recording delivery results failed");
                    return Vec::new();
                }
            }
        }
    }
}
