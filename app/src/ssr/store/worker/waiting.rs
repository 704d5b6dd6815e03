//! Deliveries waiting behind their endpoint (pending, with no next attempt time): parked when the
//! endpoint is at its share of the slots, paused or disabled, and released as it frees up.

use super::{skip_locked, PENDING, ROWS_PER_STATEMENT};
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{Arg, Sql};

/// Puts claimed deliveries back to wait behind their endpoint (no next attempt time): they are
/// not attempts, and are released as the endpoint frees up or resumes.
pub async fn park(db: &Db, owner: &str, ids: &[i64]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT * 4) {
        let mut update = Sql::new(
            db.backend,
            "UPDATE deliveries SET next_attempt_at = NULL, lease_until = NULL, lease_owner = NULL
             WHERE lease_owner = ",
        );
        update
            .bind(Arg::Text(owner.to_owned()))
            .push(" AND id IN ")
            .bind_list(chunk.iter().map(|id| Arg::Int(*id)));
        update.query().execute(&db.write).await?;
    }
    Ok(())
}

/// Parks every due, unclaimed delivery of an endpoint that is at its in-flight cap or paused,
/// so its backlog leaves the due index at once instead of being scanned by every claim.
pub async fn park_backlog(db: &Db, endpoint_id: &str) -> Result<u64, sqlx::Error> {
    let lock = skip_locked(db.backend);
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = NULL
         WHERE id IN (SELECT id FROM deliveries
                      WHERE endpoint_id = $1 AND status = {PENDING} AND next_attempt_at <= $2
                        AND lease_owner IS NULL AND held = 0{lock})"
    ))
    .bind(endpoint_id)
    .bind(now_ms())
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected())
}

/// Parks every due, unclaimed delivery of a company that is at its in-flight cap or that the
/// operator disabled, across all of its endpoints (one index range per endpoint, none over the
/// whole due queue).
pub async fn park_company_backlog<'e, E>(
    exec: E,
    backend: Backend,
    app_id: &str,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let lock = skip_locked(backend);
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = NULL
         WHERE id IN (SELECT id FROM deliveries
                      WHERE endpoint_id IN (SELECT id FROM endpoints WHERE app_id = $1)
                        AND status = {PENDING} AND next_attempt_at <= $2
                        AND lease_owner IS NULL AND held = 0{lock})"
    ))
    .bind(app_id)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}

/// How many of each endpoint's waiting deliveries come due at once when its company is enabled
/// again; as each is sent, the endpoint's own releases take it from there.
const RELEASE_ON_ENABLE: i64 = 256;

/// A company the operator enabled again: some of each of its endpoints' waiting deliveries come
/// due now (admission keeps them to their shares of the slots). Returns how many.
pub async fn release_company_endpoints(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    app_id: &str,
) -> Result<u64, sqlx::Error> {
    let endpoints: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM endpoints WHERE app_id = $1 AND disabled = 0 AND paused_until IS NULL",
    )
    .bind(app_id)
    .fetch_all(&mut *conn)
    .await?;
    let now = now_ms();
    let mut released = 0;
    for endpoint in endpoints {
        released += release_waiting(&mut *conn, backend, &endpoint, RELEASE_ON_ENABLE, now).await?;
    }
    Ok(released)
}

/// A company's endpoints that can send now (enabled, unpaused, the company enabled), by id:
/// those a release of its waiting deliveries may pick from.
pub async fn open_endpoints_of(db: &Db, app_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT e.id FROM endpoints e JOIN applications a ON a.id = e.app_id
         WHERE e.app_id = $1 AND e.disabled = 0 AND e.paused_until IS NULL AND a.disabled = 0
         ORDER BY e.id",
    )
    .bind(app_id)
    .fetch_all(&db.write)
    .await
}

/// Makes up to each endpoint's quota of its waiting deliveries due now, oldest first, in one
/// transaction: one index range per endpoint, so the cost does not grow with the backlog.
/// Returns how many each released, in the order given.
pub async fn release_each(db: &Db, quotas: &[(String, i64)]) -> Result<Vec<u64>, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.write.begin().await?;
    let mut released = Vec::with_capacity(quotas.len());
    for (endpoint, n) in quotas {
        released.push(release_waiting(&mut *tx, db.backend, endpoint, *n, now).await?);
    }
    tx.commit().await?;
    Ok(released)
}

/// Gives claimed deliveries back to come due at the given times (an endpoint's `throttleRate`):
/// not attempts, so they spend none of their retries.
pub async fn defer(db: &Db, owner: &str, until: &[(i64, i64)]) -> Result<(), sqlx::Error> {
    let mut tx = db.write.begin().await?;
    for (id, at) in until {
        sqlx::query(
            "UPDATE deliveries SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL
             WHERE id = $2 AND lease_owner = $3",
        )
        .bind(at)
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The safety net under the releases: an enabled, unpaused endpoint with deliveries waiting
/// and none due or in flight has nothing left that would release them (a release that raced a
/// park on another instance, a crash between the two). Makes up to `n` of each such endpoint's
/// waiting deliveries due; returns how many. `lease_ms` is the longest lease any instance
/// takes: a delivery in flight is due again no later than that from now.
pub async fn release_stranded(db: &Db, n: i64, lease_ms: i64) -> Result<u64, sqlx::Error> {
    // Deliveries no one holds are in `deliveries_endpoint_queue`: two probes per endpoint.
    let mut stranded: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT e.id FROM endpoints e
         WHERE e.disabled = 0 AND e.paused_until IS NULL
           AND EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id
                       AND d.status = {PENDING} AND d.next_attempt_at IS NULL
                       AND d.lease_owner IS NULL)
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id
                           AND d.status = {PENDING} AND d.next_attempt_at IS NOT NULL
                           AND d.lease_owner IS NULL)
           AND e.app_id NOT IN (SELECT id FROM applications WHERE disabled <> 0)"
    ))
    .fetch_all(&db.read)
    .await?;
    if stranded.is_empty() {
        return Ok(0);
    }
    // Those in flight are not: their results release the rest. A lease ends within `lease_ms`
    // of now (one that ended is due: its endpoint is not stranded either), so this is a short
    // range of `deliveries_due`, read once for all the endpoints found above.
    let now = now_ms();
    let busy: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT endpoint_id FROM deliveries
         WHERE status = {PENDING} AND next_attempt_at IS NOT NULL
           AND next_attempt_at > $1 AND next_attempt_at <= $2 AND lease_owner IS NOT NULL"
    ))
    .bind(now - lease_ms)
    .bind(now + lease_ms)
    .fetch_all(&db.read)
    .await?;
    stranded.retain(|e| !busy.contains(e));
    let mut released = 0;
    for endpoint in stranded {
        released += release_waiting(&db.write, db.backend, &endpoint, n, now).await?;
    }
    Ok(released)
}

/// Makes up to `n` of an endpoint's waiting deliveries due now, oldest first, unless the
/// endpoint is paused or disabled. Returns how many.
pub async fn release_waiting<'e, E>(
    exec: E,
    backend: Backend,
    endpoint_id: &str,
    n: i64,
    now: i64,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let lock = skip_locked(backend);
    // Ordered as `deliveries_endpoint_queue` is (all the rows it reads have a NULL time, so
    // this is oldest first): PostgreSQL does not treat `IS NULL` as fixing the column, and for
    // a bare `ORDER BY id` it walked the primary key past every delivered row instead. That,
    // and the due index that held waiting rows until migration 0013, were most of the time of
    // a busy company held to its share (BENCHMARKS.md).
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET next_attempt_at = $1
         WHERE id IN (SELECT id FROM deliveries
                      WHERE endpoint_id = $2 AND status = {PENDING} AND next_attempt_at IS NULL
                        AND lease_owner IS NULL
                      ORDER BY next_attempt_at, id LIMIT $3{lock})
           AND EXISTS (SELECT 1 FROM endpoints
                       WHERE id = $2 AND disabled = 0 AND paused_until IS NULL)"
    ))
    .bind(now)
    .bind(endpoint_id)
    .bind(n)
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}
