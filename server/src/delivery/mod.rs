//! The delivery pipeline. A dispatcher claims due deliveries (leased) and sends each on its own
//! task within a concurrency limit; a recorder writes results in batches. Each send is typed
//! steps: [`prepare`] (what to send, signed), [`call`] (HTTP, with the SSRF guard), [`decide`]
//! (success, retry at T, failed for good, disable the endpoint), then [`record`].

pub mod admit;
pub mod call;
pub mod decide;
pub mod dispatch;
pub mod prepare;
pub mod record;

pub use call::{http_client, ClientError, ClientOptions, MAX_RESPONSE_BYTES};
pub use decide::parse_retry_after;

use admit::{InFlight, Paused, Throttle};
use call::{Called, Guard};
use decide::{ErrorClass, Schedule};
use herald_app::ssr::infra::time::now_ms;
use herald_app::ssr::store::worker::{
    self as queue, AttemptRecord, Claimed, Next, Outcome, SentBody,
};
use herald_app::ssr::AppState;
use prepare::{KeyCache, NotPrepared};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How a worker runs, from the configuration.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub owner: String,
    pub concurrency: usize,
    /// An outbound proxy for deliveries (`HERALD_DELIVERY_PROXY`); the environment's proxy
    /// variables are ignored.
    pub proxy: Option<String>,
}

pub struct Worker {
    state: AppState,
    client: reqwest::Client,
    guard: Guard,
    owner: String,
    concurrency: usize,
    keys: KeyCache,
    /// Claims running plus deliveries claimed and not yet recorded, so a drain knows when the
    /// background loop has nothing left in flight.
    busy: watch::Sender<usize>,
    /// Sends in flight per endpoint, for each endpoint's share of the slots.
    in_flight: Mutex<InFlight>,
    /// `throttleRate` slots per endpoint.
    throttle: Mutex<Throttle>,
    /// Paused endpoints whose probe this instance is sending.
    probing: Mutex<HashSet<String>>,
    /// Pauses learned from this instance's own sends, until the database has them.
    paused: Mutex<Paused>,
    /// Companies whose backlog this instance parked at their cap: it releases their waiting
    /// deliveries as their sends finish (endpoints with nothing in flight have no other
    /// release).
    capped: Mutex<HashMap<String, Capped>>,
    /// Claimed over their company's share while its sends keep finishing: sent as they do (see
    /// `Worker::ready_held`), or parked if they stall or another company has work due.
    held: Mutex<VecDeque<Claimed>>,
    /// A send finished: a slot of its company is free again.
    progress: tokio::sync::Notify,
}

/// A company parked at its cap, as its releases see it.
#[derive(Debug, Default, Clone, Copy)]
struct Capped {
    /// The endpoint (in the company's list) its next release starts from.
    next: usize,
    /// Parks of its backlog so far. A release that started before a park cannot see what the
    /// park made wait (on PostgreSQL the two run at once): it must not conclude that nothing
    /// is left and stop watching the company.
    parks: u64,
}

impl Worker {
    /// Builds the worker and its HTTP client; an error stops start-up rather than letting an
    /// unguarded client send.
    pub fn new(state: AppState, options: WorkerOptions) -> Result<Arc<Worker>, ClientError> {
        let settings = &state.settings;
        let client = http_client(&ClientOptions {
            allow_private_networks: settings.allow_private_networks,
            timeout: settings.request_timeout,
            pool_per_host: options.concurrency,
            proxy: options.proxy.clone(),
        })?;
        let guard = Guard {
            production: settings.production,
            allow_private_networks: settings.allow_private_networks,
            proxied: options.proxy.is_some(),
        };
        Ok(Arc::new(Worker {
            client,
            guard,
            owner: options.owner,
            concurrency: options.concurrency,
            keys: KeyCache::default(),
            busy: watch::Sender::new(0),
            in_flight: Mutex::default(),
            throttle: Mutex::default(),
            probing: Mutex::default(),
            paused: Mutex::default(),
            capped: Mutex::default(),
            held: Mutex::default(),
            progress: tokio::sync::Notify::new(),
            state,
        }))
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Sends one admitted delivery; its slot is free again once the outcome is known.
    async fn send_one(&self, c: Claimed) -> Outcome {
        let endpoint = c.endpoint_id.clone();
        let app = c.app_id.clone();
        let probe = c.probe;
        let outcome = self.deliver(c).await;
        if let Some(ms) = outcome.pause_for_ms {
            let mut paused = self.paused.lock().unwrap_or_else(|e| e.into_inner());
            let now = now_ms();
            paused.forget_past(now);
            paused.pause(&endpoint, now + ms);
        }
        if probe {
            self.probing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&endpoint);
        }
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .finish(&endpoint, &app, now_ms());
        self.progress.notify_one();
        outcome
    }

    /// Under a `throttleRate`, holds the send until its slot is confirmed, right before the
    /// request: the slot booked at claim is moved to follow the real send time, or, if this send
    /// is over an interval late and another booking came after it, a fresh slot is waited for
    /// (each wait at most one interval, as no booking reaches further ahead).
    async fn take_throttle_slot(&self, c: &Claimed) {
        let (Some(rate), Some(booked)) = (c.throttle_rate, c.throttle_booked_us) else {
            return;
        };
        let db = &self.state.db;
        let interval = admit::Throttle::interval_us(rate);
        let now_us = now_ms().saturating_mul(1000);
        // A database error counts as not confirmed: the send books afresh rather than go
        // unpaced.
        let confirmed = queue::confirm_throttled_send(db, &c.endpoint_id, booked, interval, now_us)
            .await
            .unwrap_or(false);
        if confirmed {
            return;
        }
        loop {
            let now_us = now_ms().saturating_mul(1000);
            match queue::book_throttled_send(db, &c.endpoint_id, interval, now_us).await {
                Ok(None) => return,
                Ok(Some(free_us)) => {
                    let wait = (free_us - now_us).clamp(1_000, interval.max(1_000));
                    tokio::time::sleep(Duration::from_micros(wait as u64)).await;
                }
                Err(e) => {
                    // The database is unreachable: keep the pace on this instance at least.
                    tracing::warn!(endpoint.id = %c.endpoint_id, error = %e, "throttle slot not booked; sending after one interval");
                    tokio::time::sleep(Duration::from_micros(interval.max(0) as u64)).await;
                    return;
                }
            }
        }
    }

    /// One claimed delivery through prepare, call and decide; the outcome goes to the recorder.
    async fn deliver(&self, c: Claimed) -> Outcome {
        let base = Outcome {
            delivery_id: c.id,
            app_id: c.app_id.clone(),
            msg_id: c.msg_id.clone(),
            endpoint_id: c.endpoint_id.clone(),
            attempt: None,
            next: Next::Failed,
            disable_endpoint: None,
            auto_disable_after: c
                .plan_auto_disable_after
                .and_then(|n| u32::try_from(n).ok()),
            auto_disable_min_failing: c
                .plan_auto_disable_min_failing
                .and_then(|s| u64::try_from(s).ok())
                .map(Duration::from_secs),
            probe: c.probe,
            pause_for_ms: None,
            tries: c.attempts,
        };
        let (called, request_headers, request_body) = match prepare::prepare(
            &self.state,
            &self.keys,
            &c,
        )
        .await
        {
            Ok(p) => {
                self.take_throttle_slot(&c).await;
                let called = call::call(&self.client, &self.guard, &c, &p).await;
                (
                    called,
                    p.recorded_headers(),
                    SentBody::of(&p.body, p.body_is_payload),
                )
            }
            Err(NotPrepared::Skip(reason)) => {
                tracing::debug!(app.id = %c.app_id, endpoint.id = %c.endpoint_id, msg.id = %c.msg_id, reason = reason.as_str(), "delivery skipped");
                return Outcome {
                    next: Next::Skipped(reason),
                    ..base
                };
            }
            Err(NotPrepared::SecretsUnavailable(why)) => (
                Called::failed(ErrorClass::Secrets, why, Duration::ZERO),
                "{}".to_owned(),
                SentBody::None,
            ),
        };
        let now = now_ms();
        let settings = &self.state.settings;
        let plan_schedule = c
            .plan_retry_schedule
            .as_deref()
            .map(herald_app::ssr::store::plans::schedule_delays);
        let delays = plan_schedule.as_ref().unwrap_or(&settings.retry_schedule);
        let decision = decide::decide(
            &called.result,
            &Schedule {
                attempts_before: usize::try_from(c.attempts).unwrap_or(0),
                delays,
                now_ms: now,
            },
            |d| settings.delivery.jittered(d),
        );
        log_attempt(&c, &called, &decision.next, now);
        let counts_against_endpoint = called.class() != Some(ErrorClass::Secrets);
        let attempt = AttemptRecord {
            url: c.url.clone(),
            succeeded: decision.next == Next::Succeeded,
            response_status_code: i64::from(called.status),
            response: called.body,
            response_truncated: called.truncated,
            response_headers: serde_json::to_string(&called.response_headers).unwrap_or_default(),
            request_headers,
            request_body,
            duration_ms: called.duration.as_millis() as i64,
            trigger: c.trigger(),
            error: called.error,
            created_at: now,
            counts_against_endpoint,
        };
        Outcome {
            attempt: Some(attempt),
            next: decision.next,
            disable_endpoint: decision.disable_endpoint,
            pause_for_ms: decision.pause_for.map(|d| d.as_millis() as i64),
            tries: c.attempts + 1,
            ..base
        }
    }
}

/// One line per try, at info. Never the URL (tenants put tokens in query strings), the payload,
/// the headers or a signature; for errors only their class, since messages quote the URL.
fn log_attempt(c: &Claimed, called: &Called, next: &Next, now: i64) {
    let attempt = c.attempts + 1;
    let duration_ms = called.duration.as_millis() as u64;
    let status_code = called.status;
    let error_class = called.class().map(ErrorClass::as_str).unwrap_or("");
    let next_attempt_in_ms = match next {
        Next::RetryAt(t) => Some((t - now).max(0)),
        _ => None,
    };
    if called.class() == Some(ErrorClass::Blocked) {
        tracing::info!(
            app.id = %c.app_id, endpoint.id = %c.endpoint_id, msg.id = %c.msg_id, attempt,
            duration_ms, next_attempt_in_ms, "delivery refused by the SSRF guard"
        );
        return;
    }
    match next {
        Next::Succeeded => tracing::info!(
            app.id = %c.app_id, endpoint.id = %c.endpoint_id, msg.id = %c.msg_id, attempt,
            status_code, duration_ms, "delivery sent"
        ),
        Next::RetryAt(_) => tracing::info!(
            app.id = %c.app_id, endpoint.id = %c.endpoint_id, msg.id = %c.msg_id, attempt,
            status_code, error.class = error_class, duration_ms, next_attempt_in_ms,
            "delivery failed; retry scheduled"
        ),
        Next::Failed | Next::Skipped(_) => tracing::info!(
            app.id = %c.app_id, endpoint.id = %c.endpoint_id, msg.id = %c.msg_id, attempt,
            status_code, error.class = error_class, duration_ms, "delivery failed for good"
        ),
    }
}
