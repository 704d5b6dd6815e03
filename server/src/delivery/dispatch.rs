//! Dispatch: claim due deliveries (leased, within plan limits), send each on its own task within
//! the concurrency limit, and hand outcomes to the recorder. Also the drain tests drive.

use super::admit::{admit, hold, share_out, Admission, Caps, Throttle};
use super::Worker;
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::worker::{self as queue, Claimed, Outcome};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Semaphore};

const CLAIM_BATCH: usize = 256;
/// Longest a worker sleeps without looking for due work (other instances' retries, expired leases).
const MAX_IDLE: Duration = Duration::from_millis(1000);
/// After a failed claim, before the next.
const CLAIM_BACKOFF: Duration = Duration::from_secs(1);
/// While deliveries are held over their company's share, how often the worker checks that the
/// company still sends at pace and that no other company has deliveries due behind its
/// backlog: the most a burst of one company delays another's.
const HELD_CHECK: Duration = Duration::from_millis(100);

impl Worker {
    /// Short, and renewed while the send is in flight (see [`Worker::renew_loop`]), so a dead
    /// instance's deliveries come due again soon.
    fn lease_ms(&self) -> i64 {
        self.state.settings.scheduling.lease.as_millis() as i64
    }

    /// Leases up to `limit` due deliveries and holds back those over their plan's hourly limit.
    /// Counted as busy from before the claim until each claimed delivery is recorded. With
    /// `hold`, what is over a company's share while its sends keep finishing is kept on this
    /// instance to go as they finish (the background loop); without, it is parked (a drain).
    async fn claim(&self, limit: usize, hold: bool) -> Result<Vec<Claimed>, sqlx::Error> {
        self.busy.send_modify(|n| *n += 1);
        let claimed = self.claim_inner(limit, hold).await;
        let got = claimed.as_ref().map_or(0, Vec::len);
        self.busy.send_modify(|n| *n = *n + got - 1);
        claimed
    }

    /// Probes of paused endpoints first, then the oldest due deliveries; then admission (each
    /// endpoint within its share of the slots, paused ones waiting, throttled ones spaced) and
    /// the plans' hourly limits. Returns what goes now, counted as in flight.
    ///
    /// On an error the leases run out and what was claimed comes due again: nothing is lost.
    async fn claim_inner(&self, limit: usize, hold: bool) -> Result<Vec<Claimed>, sqlx::Error> {
        let db = &self.state.db;
        let lease = self.lease_ms();
        let mut claimed = queue::claim_probes(db, &self.owner, lease, limit as i64).await?;
        let rest = limit.saturating_sub(claimed.len());
        if rest > 0 {
            claimed.extend(queue::claim(db, &self.owner, lease, rest as i64).await?);
        }
        if claimed.is_empty() {
            return Ok(claimed);
        }
        let scheduling = &self.state.settings.scheduling;
        let caps = Caps {
            endpoint: scheduling.endpoint_concurrency,
            company: scheduling.company_concurrency,
        };
        let cap = caps.endpoint;
        let mut admission = {
            let in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            let paused = self.paused.lock().unwrap_or_else(|e| e.into_inner());
            admit(claimed, &in_flight, &paused, caps, now_ms())
        };
        self.hold_or_park_over_share(&mut admission, hold);
        if !admission.park.is_empty() {
            queue::park(db, &self.owner, &admission.park).await?;
        }
        for endpoint in &admission.park_backlog {
            let parked = queue::park_backlog(db, endpoint).await?;
            if parked > 0 {
                tracing::debug!(endpoint.id = %endpoint, deliveries = parked, "backlog waits behind its endpoint");
            }
            // A send to it that finished while these were parked may have been recorded before
            // they waited, releasing nothing: give back the slots that are free now. Any later
            // completion is recorded after the park, and releases as usual.
            let free = cap.saturating_sub(self.in_flight_to(endpoint));
            let paused_here = self
                .paused
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_paused(endpoint, now_ms());
            if free > 0 && !paused_here {
                queue::release_waiting(&db.write, db.backend, endpoint, free as i64, now_ms())
                    .await?;
            }
        }
        for app in &admission.park_company {
            // As for an endpoint: sends that finished before the park released nothing. This
            // batch's own sends are not counted in flight yet.
            let admitted = admission
                .send
                .iter()
                .chain(&admission.throttled)
                .filter(|c| &c.app_id == app)
                .count();
            self.park_company(app, &[], admitted).await?;
        }
        let mut send = admission.send;
        let mut defer = Vec::new();
        for mut c in admission.throttled {
            let rate = c.throttle_rate.unwrap_or(1);
            let now = now_ms();
            let interval = Throttle::interval_us(rate);
            match queue::book_throttled_send(db, &c.endpoint_id, interval, now * 1000).await? {
                None => {
                    c.throttle_booked_us = Some((now * 1000).saturating_add(interval));
                    send.push(c);
                }
                Some(free_us) => {
                    let at = self
                        .throttle
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .defer(&c.endpoint_id, rate, free_us, now);
                    defer.push((c.id, at));
                }
            }
        }
        if !defer.is_empty() {
            queue::defer(db, &self.owner, &defer).await?;
        }
        let window_ms = self.state.settings.plan_window.as_millis() as i64;
        let send = queue::hold_over_limit(db, &self.owner, send, window_ms).await?;
        let now = now_ms();
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let mut probing = self.probing.lock().unwrap_or_else(|e| e.into_inner());
        for c in &send {
            in_flight.start(&c.endpoint_id, &c.app_id, now);
            if c.probe {
                probing.insert(c.endpoint_id.clone());
            }
        }
        Ok(send)
    }

    /// Gives a company parked at its cap the slots it has free now, less `pending` (its
    /// deliveries already made due and not yet claimed), from its waiting deliveries: in turn
    /// across its endpoints, each within its own share, one index range each, so the cost does
    /// not grow with the backlog. Once nothing within reach is left to give, the company is no
    /// longer watched.
    pub(super) async fn release_company(
        &self,
        app: &str,
        pending: usize,
    ) -> Result<(), sqlx::Error> {
        let scheduling = &self.state.settings.scheduling;
        let free = {
            let in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            scheduling
                .company_concurrency
                .saturating_sub(in_flight.of_company(app) + pending)
        };
        if free == 0 {
            return Ok(());
        }
        let endpoints = queue::open_endpoints_of(&self.state.db, app).await?;
        let mut rooms: Vec<(String, usize)> = {
            let in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            endpoints
                .into_iter()
                .map(|e| {
                    let room = scheduling
                        .endpoint_concurrency
                        .saturating_sub(in_flight.get(&e));
                    (e, room)
                })
                .filter(|(_, room)| *room > 0)
                .collect()
        };
        let seen = self
            .capped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(app)
            .copied()
            .unwrap_or_default();
        let start = seen.next;
        let mut left = free;
        while left > 0 {
            let quotas: Vec<(String, i64)> = share_out(left, &rooms, start)
                .into_iter()
                .map(|(e, q)| (e, q as i64))
                .collect();
            if quotas.is_empty() {
                break;
            }
            let got = queue::release_each(&self.state.db, &quotas).await?;
            let mut given = 0;
            for ((endpoint, quota), n) in quotas.iter().zip(&got) {
                given += *n as usize;
                if let Some(room) = rooms.iter_mut().find(|(e, _)| e == endpoint) {
                    // One that gave less than asked has nothing more waiting.
                    room.1 = if (*n as i64) < *quota {
                        0
                    } else {
                        room.1.saturating_sub(*n as usize)
                    };
                }
            }
            // Each round gives something or drops the endpoints it found empty, so it ends.
            rooms.retain(|(_, room)| *room > 0);
            left = left.saturating_sub(given);
        }
        let mut capped = self.capped.lock().unwrap_or_else(|e| e.into_inner());
        let parked_since = capped.get(app).is_some_and(|c| c.parks != seen.parks);
        if left > 0 && !parked_since {
            capped.remove(app);
        } else if let Some(c) = capped.get_mut(app) {
            c.next = c.next.wrapping_add(1);
        }
        Ok(())
    }

    /// A company over its share because a claim took more of its rows than it had room for,
    /// while its sends keep finishing, is not parked: parking its due backlog and releasing it
    /// one row at a time costs more than its sends (BENCHMARKS.md). Its few extra rows are held
    /// here and go as its sends finish. Parked as before: a drain's, a stalled or already
    /// parked company's, and rows a throttle or an hourly limit must see when they go.
    fn hold_or_park_over_share(&self, admission: &mut Admission, may_hold: bool) {
        let over = std::mem::take(&mut admission.over_share);
        if over.is_empty() {
            return;
        }
        let now = now_ms();
        let mut held = Vec::new();
        {
            let in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
            let capped = self.capped.lock().unwrap_or_else(|e| e.into_inner());
            for c in over {
                let holdable = may_hold
                    && c.throttle_rate.is_none_or(|r| r <= 0)
                    && c.plan_deliveries_per_hour.is_none()
                    && !capped.contains_key(&c.app_id)
                    && !in_flight.stalled(&c.app_id, now);
                if holdable {
                    held.push(c);
                } else {
                    hold(&mut admission.park_company, &c.app_id);
                    admission.park.push(c.id);
                }
            }
        }
        if !held.is_empty() {
            // Claimed and not yet recorded: a drain waits for them too.
            self.busy.send_modify(|n| *n += held.len());
            self.held
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(held);
        }
    }

    /// Held deliveries that fit now (their company and endpoint have room, the endpoint is not
    /// paused), counted in flight; and those whose endpoint this instance learned is paused,
    /// which must wait behind it instead.
    fn ready_held(&self) -> (Vec<Claimed>, Vec<i64>) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let scheduling = &self.state.settings.scheduling;
        let now = now_ms();
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let paused = self.paused.lock().unwrap_or_else(|e| e.into_inner());
        let mut ready = Vec::new();
        let mut park = Vec::new();
        let mut keep = VecDeque::with_capacity(held.len());
        for c in held.drain(..) {
            if paused.is_paused(&c.endpoint_id, now) {
                park.push(c.id);
            } else if in_flight.of_company(&c.app_id) < scheduling.company_concurrency
                && in_flight.get(&c.endpoint_id) < scheduling.endpoint_concurrency
            {
                in_flight.start(&c.endpoint_id, &c.app_id, now);
                ready.push(c);
            } else {
                keep.push_back(c);
            }
        }
        *held = keep;
        (ready, park)
    }

    /// Parks what is held for a company whose sends stalled, or that other companies' due
    /// deliveries wait behind, with its due backlog: from then on it gets its share through
    /// releases, as any company over its share.
    async fn check_held(&self) -> Result<(), sqlx::Error> {
        let apps: Vec<String> = {
            let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            let mut apps: Vec<String> = Vec::new();
            for c in held.iter() {
                hold(&mut apps, &c.app_id);
            }
            apps
        };
        for app in apps {
            let now = now_ms();
            let stalled = self
                .in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .stalled(&app, now);
            if !stalled && !queue::others_due(&self.state.db, &app, now).await? {
                continue;
            }
            let ids: Vec<i64> = {
                let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
                let (of_app, rest): (VecDeque<Claimed>, VecDeque<Claimed>) =
                    held.drain(..).partition(|c| c.app_id == app);
                *held = rest;
                of_app.into_iter().map(|c| c.id).collect()
            };
            let n = ids.len();
            let parked = self.park_company(&app, &ids, 0).await;
            self.settle(n);
            parked?;
        }
        Ok(())
    }

    /// Parks `ids` (claimed rows of the company) and the company's due backlog, and releases
    /// what it has room for now, less `admitted` (sends of the current batch not yet counted
    /// in flight).
    async fn park_company(
        &self,
        app: &str,
        ids: &[i64],
        admitted: usize,
    ) -> Result<(), sqlx::Error> {
        let db = &self.state.db;
        if !ids.is_empty() {
            queue::park(db, &self.owner, ids).await?;
        }
        let parked = queue::park_company_backlog(&db.write, db.backend, app).await?;
        if parked > 0 {
            tracing::debug!(app.id = %app, deliveries = parked, "company backlog waits for its share of the slots");
        }
        self.capped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(app.to_owned())
            .or_default()
            .parks += 1;
        self.release_company(app, admitted).await
    }

    fn in_flight_to(&self, endpoint: &str) -> usize {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(endpoint)
    }

    /// Keeps this instance's leases (and its probes' hold on their paused endpoints) alive
    /// while sends are in flight, until shutdown; and gives back leases that ran out (an
    /// instance that died), so that its deliveries are in their endpoints' queues again.
    async fn renew_loop(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let every = self.state.settings.scheduling.lease / 3;
        let lease = self.lease_ms();
        // No lease this instance holds ends before the start of its last renewal that
        // succeeded; before the first, none ends before a lease from now.
        let mut since = now_ms() - lease;
        // Leases that ran out longer ago than this before the start are taken by the claims as
        // they reach the front of the due queue.
        let mut swept = now_ms() - 10 * lease;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.changed() => return,
            }
            let probing: Vec<String> = self
                .probing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned()
                .collect();
            let started = now_ms();
            match queue::renew_leases(&self.state.db, &self.owner, lease, since, &probing).await {
                Ok(_) => since = started,
                // The leases may run out and another instance send these again: a duplicate,
                // never a loss.
                Err(e) => tracing::warn!(error = %e, "renewing delivery leases failed"),
            }
            // A grace of one renewal period: a live instance's lease runs out only after it
            // missed several renewals.
            match queue::unlease_expired(&self.state.db, swept, every.as_millis() as i64).await {
                Ok(to) => swept = to,
                Err(e) => tracing::warn!(error = %e, "giving back expired leases failed"),
            }
        }
    }

    /// Sends each on its own task as a slot frees. Returns how many could not be (only if the
    /// semaphore closed): their leases are released at shutdown.
    async fn spawn_sends(
        self: &Arc<Self>,
        sends: Vec<Claimed>,
        sem: &Arc<Semaphore>,
        tx: &mpsc::UnboundedSender<Outcome>,
    ) -> usize {
        let mut sends = sends.into_iter();
        for c in sends.by_ref() {
            let Ok(permit) = sem.clone().acquire_owned().await else {
                break;
            };
            let me = self.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let outcome = me.send_one(c).await;
                let _ = tx.send(outcome);
                drop(permit);
            });
        }
        sends.count()
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
        let renewer = tokio::spawn(self.clone().renew_loop(shutdown.clone()));
        tracing::info!(worker.owner = %self.owner, concurrency = self.concurrency, "delivery worker started");
        let mut checked_held = Instant::now();
        loop {
            if *shutdown.borrow() {
                break;
            }
            let (ready, paused) = self.ready_held();
            if !paused.is_empty() {
                let n = paused.len();
                if let Err(e) = queue::park(&self.state.db, &self.owner, &paused).await {
                    // Their leases run out and they come due again: nothing is lost.
                    tracing::warn!(error = %e, "parking held deliveries failed");
                }
                self.settle(n);
            }
            let unsent = self.spawn_sends(ready, &sem, &tx).await;
            self.settle(unsent);
            let held = self.held.lock().unwrap_or_else(|e| e.into_inner()).len();
            if held > 0 && checked_held.elapsed() >= HELD_CHECK {
                checked_held = Instant::now();
                if let Err(e) = self.check_held().await {
                    tracing::warn!(error = %e, "checking held deliveries failed");
                }
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
            let limit = free.saturating_sub(held);
            if limit == 0 {
                // What is held takes the free slots: wait for its company's sends to finish.
                tokio::select! {
                    _ = self.progress.notified() => {}
                    _ = tokio::time::sleep(HELD_CHECK) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let claimed = match self.claim(limit.min(CLAIM_BATCH), true).await {
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
                if held > 0 {
                    // Nothing else is due: what is held goes as its company's sends finish.
                    tokio::select! {
                        _ = self.progress.notified() => {}
                        _ = self.state.wake.notified() => {}
                        _ = tokio::time::sleep(HELD_CHECK) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
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
            let unsent = self.spawn_sends(claimed, &sem, &tx).await;
            self.settle(unsent);
        }
        // What is still held goes back with the other leases below.
        let held = std::mem::take(&mut *self.held.lock().unwrap_or_else(|e| e.into_inner()));
        self.settle(held.len());
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
        renewer.abort();
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
            let claimed = self.claim(self.concurrency.min(CLAIM_BATCH), false).await?;
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
                futures::future::join_all(claimed.into_iter().map(|c| self.send_one(c))).await;
            let released = self.record(&outcomes).await;
            self.release_capped(&outcomes, &released).await;
            self.settle(n);
            handled += n;
        }
    }
}
