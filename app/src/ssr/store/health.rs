//! System health for the operator: how much work is waiting, how fast it goes, how much fails,
//! which endpoints hold work back, and which companies use the send slots. Cross-tenant: only the
//! operator console reads these.

use crate::ids::AttemptId;
use crate::ssr::delivery::state::DeliveryState;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::endpoints::WAITING_COUNT_LIMIT;
use crate::ssr::ServiceError;
use std::collections::HashMap;

const PENDING: i64 = DeliveryState::Pending.as_i64();

#[derive(Debug, Clone, Default)]
pub struct SystemHealth {
    /// Deliveries waiting to be sent (due or scheduled for a retry), held ones included.
    pub queue_depth: i64,
    /// Deliveries due now and not yet sent.
    pub due: i64,
    /// Attempts in the last minute.
    pub deliveries_last_minute: i64,
    /// Attempts and failed attempts in the last hour.
    pub attempts_last_hour: i64,
    pub failures_last_hour: i64,
    /// When the oldest due delivery became due (Unix ms), if any is waiting.
    pub oldest_due_at: Option<i64>,
    /// Deliveries held back by plans' hourly limits.
    pub held: i64,
}

impl SystemHealth {
    pub fn failure_rate(&self) -> Option<f64> {
        (self.attempts_last_hour > 0)
            .then(|| self.failures_last_hour as f64 / self.attempts_last_hour as f64)
    }
}

pub async fn stats(db: &Db) -> Result<SystemHealth, ServiceError> {
    let now = now_ms();
    // Every pending delivery either has a time (due, due later, or leased until then) or waits
    // behind its endpoint: each half is one partial index, where a bare `status = 1` would be
    // a scan of every delivery ever made.
    let (timed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM deliveries WHERE status = 1 AND next_attempt_at IS NOT NULL",
    )
    .fetch_one(&db.read)
    .await?;
    let (untimed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM deliveries
         WHERE status = 1 AND next_attempt_at IS NULL AND lease_owner IS NULL",
    )
    .fetch_one(&db.read)
    .await?;
    let queue_depth = timed + untimed;
    let (held,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM deliveries WHERE held = 1 AND status = 1")
            .fetch_one(&db.read)
            .await?;
    let (due, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(next_attempt_at) FROM deliveries
         WHERE status = 1 AND held = 0 AND lease_owner IS NULL AND next_attempt_at <= $1",
    )
    .bind(now)
    .fetch_one(&db.read)
    .await?;
    // COUNT, not SUM: PostgreSQL's SUM of a bigint is a numeric. Attempt ids are ULIDs, so "since t" is a range on the primary key.
    let (minute,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attempts WHERE id >= $1")
        .bind(AttemptId::lower_bound_at(now - 60_000))
        .fetch_one(&db.read)
        .await?;
    let (hour, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(CASE WHEN status = 2 THEN 1 END) FROM attempts WHERE id >= $1",
    )
    .bind(AttemptId::lower_bound_at(now - 3_600_000))
    .fetch_one(&db.read)
    .await?;
    Ok(SystemHealth {
        queue_depth,
        due,
        deliveries_last_minute: minute,
        attempts_last_hour: hour,
        failures_last_hour: failed,
        oldest_due_at: oldest,
        held,
    })
}

/// An endpoint holding deliveries back: paused, failing, or disabled with deliveries waiting. The
/// failure columns are the ones the company's portal shows (`store::endpoints::health`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TroubledEndpoint {
    pub id: String,
    pub url: String,
    pub app_id: String,
    pub app_uid: Option<String>,
    pub app_name: String,
    /// The company itself is disabled by the operator: nothing of it is sent.
    pub app_disabled: i64,
    pub paused_until: Option<i64>,
    pub paused_reason: Option<String>,
    pub first_failure_at: Option<i64>,
    pub consecutive_failures: i64,
    pub disabled: i64,
    pub disabled_reason: Option<String>,
    /// Pending deliveries waiting behind it (no next attempt time), counted up to
    /// [`WAITING_COUNT_LIMIT`] (one more means "more").
    pub waiting: i64,
}

/// Which endpoints are troubled. A disabled one (or one of a disabled company) is listed only
/// while deliveries wait for it: one disabled long ago with nothing behind it is no news. The
/// EXISTS is one probe of `deliveries_endpoint_queue`.
fn troubled() -> String {
    format!(
        "(e.paused_until IS NOT NULL OR e.first_failure_at IS NOT NULL
          OR ((e.disabled <> 0 OR e.app_id IN (SELECT id FROM applications WHERE disabled <> 0))
              AND EXISTS (SELECT 1 FROM deliveries q WHERE q.endpoint_id = e.id
                          AND q.status = {PENDING} AND q.next_attempt_at IS NULL
                          AND q.lease_owner IS NULL)))"
    )
}

/// Up to `limit` troubled endpoints of every company, the ones that started failing most
/// recently first, and how many there are in all.
pub async fn troubled_endpoints(
    db: &Db,
    limit: i64,
) -> Result<(Vec<TroubledEndpoint>, i64), ServiceError> {
    // The waiting count runs only for the rows kept: the limit is applied in the inner query,
    // before the per-endpoint count, so thousands of failing endpoints cost one scan of
    // `endpoints`, not thousands of counts.
    let rows: Vec<TroubledEndpoint> = sqlx::query_as(&format!(
        "SELECT t.*,
                (SELECT COUNT(*) FROM (SELECT 1 AS one FROM deliveries d
                                       WHERE d.endpoint_id = t.id AND d.status = {PENDING}
                                         AND d.next_attempt_at IS NULL AND d.lease_owner IS NULL
                                       LIMIT {count_limit}) w) AS waiting
         FROM (SELECT e.id, e.url, e.app_id, a.uid AS app_uid, a.name AS app_name,
                      a.disabled AS app_disabled, e.paused_until, e.paused_reason,
                      e.first_failure_at, e.consecutive_failures, e.disabled, e.disabled_reason,
                      COALESCE(e.first_failure_at, e.disabled_at, e.paused_until) AS since
               FROM endpoints e JOIN applications a ON a.id = e.app_id
               WHERE {troubled}
               ORDER BY since DESC, e.id
               LIMIT $1) t
         ORDER BY t.since DESC, t.id",
        count_limit = WAITING_COUNT_LIMIT + 1,
        troubled = troubled(),
    ))
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM endpoints e WHERE {}",
        troubled()
    ))
    .fetch_one(&db.read)
    .await?;
    Ok((rows, total))
}

/// A company's share of the sends in flight right now.
#[derive(Debug, Clone)]
pub struct CompanyLoad {
    pub app_id: String,
    pub app_uid: Option<String>,
    pub app_name: String,
    pub in_flight: i64,
    /// Its deliveries due now or waiting behind their endpoints, not held by its plan; counted
    /// up to [`WAITING_COUNT_LIMIT`] (one more means "more").
    pub waiting: i64,
}

/// Who holds the send slots now, across all instances.
#[derive(Debug, Clone, Default)]
pub struct SlotUse {
    /// Deliveries in flight: pending and leased by a live lease.
    pub in_flight: i64,
    /// Instances holding at least one live lease.
    pub instances: i64,
    /// Companies with sends in flight, the most first, up to the limit asked for.
    pub companies: Vec<CompanyLoad>,
    /// Companies with sends in flight left out of `companies`.
    pub companies_more: i64,
}

#[derive(sqlx::FromRow)]
struct LeaseGroup {
    app_id: String,
    app_uid: Option<String>,
    app_name: String,
    lease_owner: String,
    n: i64,
}

/// The sends in flight by company and instance, and the `limit` busiest companies' waiting work.
pub async fn slot_use(db: &Db, limit: usize) -> Result<SlotUse, ServiceError> {
    let now = now_ms();
    // One query for the totals, the shares and the instance count, so they add up: read
    // separately, sends finishing in between would make the shares exceed the whole. A lease
    // always sets next_attempt_at to lease_until, so the range condition lets `deliveries_due`
    // skip everything due or waiting. At most slots x instances rows match.
    let groups: Vec<LeaseGroup> = sqlx::query_as(&format!(
        "SELECT d.app_id, a.uid AS app_uid, a.name AS app_name, d.lease_owner, COUNT(*) AS n
         FROM deliveries d JOIN applications a ON a.id = d.app_id
         WHERE d.status = {PENDING} AND d.next_attempt_at > $1
           AND d.lease_owner IS NOT NULL AND d.lease_until > $1
         GROUP BY d.app_id, a.uid, a.name, d.lease_owner"
    ))
    .bind(now)
    .fetch_all(&db.read)
    .await?;
    let mut out = SlotUse::default();
    let mut owners: Vec<&str> = Vec::new();
    let mut by_app: HashMap<&str, CompanyLoad> = HashMap::new();
    for g in &groups {
        out.in_flight += g.n;
        if !owners.contains(&g.lease_owner.as_str()) {
            owners.push(&g.lease_owner);
        }
        by_app
            .entry(&g.app_id)
            .or_insert_with(|| CompanyLoad {
                app_id: g.app_id.clone(),
                app_uid: g.app_uid.clone(),
                app_name: g.app_name.clone(),
                in_flight: 0,
                waiting: 0,
            })
            .in_flight += g.n;
    }
    out.instances = owners.len() as i64;
    let mut companies: Vec<CompanyLoad> = by_app.into_values().collect();
    companies.sort_by(|a, b| {
        b.in_flight
            .cmp(&a.in_flight)
            .then_with(|| a.app_id.cmp(&b.app_id))
    });
    out.companies_more = companies.len().saturating_sub(limit) as i64;
    companies.truncate(limit);
    for c in &mut companies {
        c.waiting = waiting_of(db, &c.app_id, now).await?;
    }
    out.companies = companies;
    Ok(out)
}

/// A company's deliveries due now or waiting behind their endpoints, those held by their plan
/// or in flight left out (a lease that ran out counts once it is given back, see
/// `worker::unlease_expired`), counted up to the limit. Through its
/// endpoints, so `deliveries_endpoint_queue` serves it.
async fn waiting_of(db: &Db, app_id: &str, now: i64) -> Result<i64, ServiceError> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 AS one FROM endpoints e
                               JOIN deliveries d ON d.endpoint_id = e.id
                               WHERE e.app_id = $1 AND d.status = {PENDING} AND d.held = 0
                                 AND d.lease_owner IS NULL
                                 AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $2)
                               LIMIT {count_limit}) w",
        count_limit = WAITING_COUNT_LIMIT + 1
    ))
    .bind(app_id)
    .bind(now)
    .fetch_one(&db.read)
    .await?;
    Ok(n)
}

/// Whether the database answers, for the health endpoint.
pub async fn ping(db: &Db) -> Result<(), ServiceError> {
    sqlx::query("SELECT 1").execute(&db.read).await?;
    Ok(())
}
