//! Dispatch: claim due deliveries (leased, within plan limits), send each on its own task within
//! the concurrency limit, and hand outcomes to the recorder. Also the drain tests drive.

use super::Worker;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::worker::{self as queue, Claimed, Outcome};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};

const CLAIM_BATCH: usize = 256;
/// Longest a worker sleeps without looking for due work (other instances' retries, expired leases).
const MAX_IDLE: Duration = Duration::from_millis(1000);
/// After a failed claim, before the next.
const CLAIM_BACKOFF: Duration = Duration::from_secs(1);

impl Worker {
    /// Longer than any send can take, a plan's timeout included, plus room to record it.
    fn lease_ms(&self) -> i64 {
        let longest_send = self.state.settings.request_timeout.max(Duration::from_secs(
            herald_app::ssr::store::plans::MAX_TIMEOUT_SECONDS as u64,
        ));
        (longest_send + Duration::from_secs(30)).as_millis() as i64
    }

    /// Leases up to `limit` due deliveries and holds back those over their plan's hourly limit.
    /// Counted as busy from before the claim until each claimed delivery is recorded.
    async fn claim(&self, limit: usize) -> Result<Vec<Claimed>, sqlx::Error> {
        self.busy.send_modify(|n| *n += 1);
        let claimed = self.claim_inner(limit).await;
        let got = claimed.as_ref().map_or(0, Vec::len);
        self.busy.send_modify(|n| *n = *n + got - 1);
        claimed
    }

    async fn claim_inner(&self, limit: usize) -> Result<Vec<Claimed>, sqlx::Error> {
        let claimed =
            queue::claim(&self.state.db, &self.owner, self.lease_ms(), limit as i64).await?;
        if claimed.is_empty() {
            return Ok(claimed);
        }
        let window_ms = self.state.settings.plan_window.as_millis() as i64;
        // On an error the leases run out and these come due again: nothing is lost.
        queue::hold_over_limit(&self.state.db, &self.owner, claimed, window_ms).await
    }

    /// `n` claimed deliveries were recorded (or given up on).
    pub(super) fn settle(&self, n: usize) {
        self.busy.send_modify(|b| *b = b.saturating_sub(n));
    }

    /// Runs until `shutdown` turns true, then finishes in-flight sends (up to the request timeout)
    /// and gives back any lease it still holds.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let sem = Arc::new(Semaphore::new(self.concurrency));
        let (tx, rx) = mpsc::unbounded_channel::<Outcome>();
        let recorder = tokio::spawn(self.clone().record_loop(rx));
        tracing::info!(worker.owner = %self.owner, concurrency = self.concurrency, "delivery worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let free = sem.available_permits();
            if free == 0 {
                // Wait for a send to finish before claiming more.
                tokio::select! {
                    p = sem.clone().acquire_owned() => drop(p),
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let claimed = match self.claim(free.min(CLAIM_BATCH)).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "claiming deliveries failed");
                    tokio::select! {
                        _ = tokio::time::sleep(CLAIM_BACKOFF) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
            };
            if claimed.is_empty() {
                let wait = match queue::next_due_at(&self.state.db).await {
                    Ok(Some(t)) => {
                        Duration::from_millis((t - now_ms()).max(0) as u64).min(MAX_IDLE)
                    }
                    _ => MAX_IDLE,
                };
                if wait.is_zero() {
                    continue;
                }
                tokio::select! {
                    _ = self.state.wake.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let mut claimed = claimed.into_iter();
            for c in claimed.by_ref() {
                let Ok(permit) = sem.clone().acquire_owned().await else {
                    break;
                };
                let me = self.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let outcome = me.deliver(c).await;
                    let _ = tx.send(outcome);
                    drop(permit);
                });
            }
            // Only if the semaphore closed: these leases are released at shutdown below.
            self.settle(claimed.count());
        }
        // Let in-flight sends finish, bounded by the request timeout.
        let all = self.concurrency as u32;
        let drain = tokio::time::timeout(
            self.state.settings.request_timeout + Duration::from_secs(1),
            sem.acquire_many(all),
        )
        .await;
        if drain.is_err() {
            tracing::warn!(
                "shutdown: some deliveries were still in flight; their leases are released"
            );
        }
        drop(tx);
        let _ = recorder.await;
        match queue::release_leases_of(&self.state.db, &self.owner).await {
            Ok(n) if n > 0 => {
                tracing::info!(deliveries = n, "shutdown: released unfinished leases")
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "shutdown: could not release leases; they will expire")
            }
        }
        tracing::info!("delivery worker stopped");
    }

    /// Sends everything due now, and what comes due while doing so, until a claim finds nothing
    /// due and nothing claimed by this worker (the background loop included) is still in
    /// flight. Returns how many deliveries this call sent or skipped. Retries scheduled for
    /// later are left for later: tests poll their recorded state, or drain again.
    pub async fn drain(&self) -> Result<usize, sqlx::Error> {
        let mut handled = 0;
        let mut busy = self.busy.subscribe();
        loop {
            let claimed = self.claim(self.concurrency.min(CLAIM_BATCH)).await?;
            if claimed.is_empty() {
                if *busy.borrow_and_update() == 0 {
                    return Ok(handled);
                }
                // The background loop holds some: wait until it has recorded them, then look
                // again, since what it recorded may be due now.
                let _ = busy.wait_for(|n| *n == 0).await;
                continue;
            }
            let n = claimed.len();
            let outcomes: Vec<Outcome> =
                futures::future::join_all(claimed.into_iter().map(|c| self.deliver(c))).await;
            self.record(&outcomes).await;
            self.settle(n);
            handled += n;
        }
    }
}
