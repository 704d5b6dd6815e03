//! The delivery rows are the queue, and this is the one module of cross-tenant statements. Claiming
//! a row leases it: `next_attempt_at` moves to the end of the lease, so a worker that dies simply
//! lets the row come due again (at-least-once). A pending row with no `next_attempt_at` waits
//! behind its endpoint. Results are written in batches, each in one transaction with the attempts
//! they produced.

mod claim;
mod leases;
mod limits;
mod record;
mod waiting;

pub use claim::*;
pub use leases::*;
pub use limits::*;
pub use record::*;
pub use waiting::*;

use crate::ssr::delivery::state::{DeliveryState, Trigger};
use crate::ssr::infra::db::Backend;

/// The lock clause of a claim-like subquery: on PostgreSQL, rows another instance is taking are
/// skipped rather than waited for; SQLite has one writer and no such clause.
fn skip_locked(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    }
}

/// Rows per multi-row statement: SQLite binds parameters by a linear scan of their names, so
/// one statement's binding cost grows with the square of its parameters (see ingest.rs).
const ROWS_PER_STATEMENT: usize = 64;

// Spelled into the SQL text rather than bound: the due-deliveries index is partial on
// `status = 1`, and a bound parameter would keep the planner from using it.
const PENDING: i64 = DeliveryState::Pending.as_i64();

/// How far into a paused endpoint's backlog a probe looks for the delivery with fewest tries.
const PROBE_CANDIDATES: i64 = 100;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub app_id: String,
    /// The application's uid: the tenant's id in the host product.
    pub app_uid: Option<String>,
    pub msg_id: String,
    pub endpoint_id: String,
    pub attempts: i64,
    pub trigger_type: i64,
    pub event_type: String,
    pub event_id: Option<String>,
    pub payload: Option<String>,
    pub msg_created_at: i64,
    pub url: String,
    pub headers: String,
    pub disabled: i64,
    /// The operator disabled the tenant: its deliveries wait until it is enabled.
    pub app_disabled: i64,
    pub version: i64,
    /// The tenant's plan's settings, when it is on a plan; otherwise the deployment's apply.
    pub plan_retry_schedule: Option<String>,
    pub plan_timeout_seconds: Option<i64>,
    pub plan_auto_disable_after: Option<i64>,
    /// Seconds; `None` also when the plan leaves it to the deployment.
    pub plan_auto_disable_min_failing: Option<i64>,
    pub plan_deliveries_per_hour: Option<i64>,
    /// The endpoint is paused until then (circuit open, or `Retry-After`); `None`: not paused.
    pub paused_until: Option<i64>,
    /// The endpoint's `throttleRate`: at most this many sends a second.
    pub throttle_rate: Option<i64>,
    /// Claimed as the one probe of a paused endpoint (see [`claim_probes`]).
    #[sqlx(skip)]
    pub probe: bool,
    /// Under a `throttleRate`: the end (µs) of the slot booked for this send at claim time,
    /// which the send confirms right before its request (see [`confirm_throttled_send`]).
    #[sqlx(skip)]
    pub throttle_booked_us: Option<i64>,
}

impl Claimed {
    /// What queued this send; an integer the schema does not know reads as scheduled.
    pub fn trigger(&self) -> Trigger {
        Trigger::from_i64(self.trigger_type).unwrap_or_default()
    }
}
