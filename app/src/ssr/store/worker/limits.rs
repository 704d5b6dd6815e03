//! Plans' hourly limits: what is over the limit is held (still pending) until the window ends.

use super::{Claimed, ROWS_PER_STATEMENT};
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::{Arg, Sql};

/// The window a time falls in, for plans' hourly limits: `[start, start + window_ms)`.
pub fn window_of(now: i64, window_ms: i64) -> (i64, i64) {
    let start = now - now.rem_euclid(window_ms);
    (start, start + window_ms)
}

/// Applies plans' hourly limits to a claimed batch: for each company on a plan, reserves as many
/// sends in the current window as it has left, and holds the rest until the next window opens
/// (they stay pending, so nothing is dropped). Returns what may be sent now.
///
/// Deliveries that will not be sent (disabled endpoint, expunged content) take no slot. Within a
/// company the oldest deliveries go first, so a backlog drains in order.
pub async fn hold_over_limit(
    db: &Db,
    owner: &str,
    mut claimed: Vec<Claimed>,
    window_ms: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut limited: Vec<(String, i64, Vec<i64>)> = Vec::new();
    for c in &claimed {
        let Some(limit) = c.plan_deliveries_per_hour else {
            continue;
        };
        if c.disabled != 0 || c.payload.is_none() {
            continue;
        }
        match limited.iter_mut().find(|(a, _, _)| *a == c.app_id) {
            Some((_, _, ids)) => ids.push(c.id),
            None => limited.push((c.app_id.clone(), limit, vec![c.id])),
        }
    }
    if limited.is_empty() {
        return Ok(claimed);
    }
    let (start, end) = window_of(now_ms(), window_ms);
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let mut held: Vec<i64> = Vec::new();
    let mut tx = db.write.begin().await?;
    for (app, limit, mut ids) in limited {
        sqlx::query(
            "INSERT INTO usage_windows (app_id, window_start, sent) VALUES ($1, $2, 0)
             ON CONFLICT (app_id, window_start) DO NOTHING",
        )
        .bind(&app)
        .bind(start)
        .execute(&mut *tx)
        .await?;
        let (sent,): (i64,) = sqlx::query_as(&format!(
            "SELECT sent FROM usage_windows WHERE app_id = $1 AND window_start = $2{lock}"
        ))
        .bind(&app)
        .bind(start)
        .fetch_one(&mut *tx)
        .await?;
        let granted = usize::try_from((limit - sent).max(0))
            .unwrap_or(0)
            .min(ids.len());
        if granted > 0 {
            sqlx::query(
                "UPDATE usage_windows SET sent = sent + $3 WHERE app_id = $1 AND window_start = $2",
            )
            .bind(&app)
            .bind(start)
            .bind(granted as i64)
            .execute(&mut *tx)
            .await?;
        }
        ids.sort_unstable();
        held.extend_from_slice(&ids[granted..]);
    }
    for chunk in held.chunks(ROWS_PER_STATEMENT * 4) {
        let mut update = Sql::new(
            db.backend,
            "UPDATE deliveries SET held = 1, lease_until = NULL, lease_owner = NULL, next_attempt_at = ",
        );
        update
            .bind(Arg::Int(end))
            .push(" WHERE lease_owner = ")
            .bind(Arg::Text(owner.to_owned()))
            .push(" AND id IN ")
            .bind_list(chunk.iter().map(|id| Arg::Int(*id)));
        update.query().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if !held.is_empty() {
        tracing::info!(deliveries = held.len(), until = end, "held by plan limits");
        let held: std::collections::HashSet<i64> = held.into_iter().collect();
        claimed.retain(|c| !held.contains(&c.id));
    }
    Ok(claimed)
}

/// Sends held back by a plan's hourly limit come due at once: the company changed plan, or its
/// plan's limits changed, so the next claim weighs them again under the new limit.
pub async fn release_held<'e, E>(
    exec: E,
    app: Option<&str>,
    plan: Option<&str>,
) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE deliveries SET next_attempt_at = $1
         WHERE held = 1 AND status = 1 AND lease_owner IS NULL
           AND app_id IN (SELECT id FROM applications WHERE id = $2 OR plan = $3)",
    )
    .bind(now_ms())
    .bind(app)
    .bind(plan)
    .execute(exec)
    .await?;
    Ok(done.rows_affected())
}

/// Books an endpoint's next send under its `throttleRate`, shared by every instance: if its
/// slot is free at `now_us` (µs), moves it `interval_us` on and returns `None` (send now);
/// otherwise returns `Some(t)`, the time (µs) its slot frees. Check and booking are one
/// statement, so two instances never both take the same slot.
pub async fn book_throttled_send(
    db: &Db,
    endpoint_id: &str,
    interval_us: i64,
    now_us: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let booked = sqlx::query(
        "UPDATE endpoints SET throttle_next_at = $1
         WHERE id = $2 AND (throttle_next_at IS NULL OR throttle_next_at <= $3)",
    )
    .bind(now_us.saturating_add(interval_us))
    .bind(endpoint_id)
    .bind(now_us)
    .execute(&db.write)
    .await?;
    if booked.rows_affected() > 0 {
        return Ok(None);
    }
    let next: Option<Option<i64>> =
        sqlx::query_scalar("SELECT throttle_next_at FROM endpoints WHERE id = $1")
            .bind(endpoint_id)
            .fetch_optional(&db.write)
            .await?;
    // Deleted since the claim (`None`): the send finds it gone and skips the delivery.
    // Otherwise booked by another instance; if that slot has passed already, the next claim
    // books it.
    Ok(next.map(|t| t.unwrap_or(now_us).max(now_us + 1)))
}

/// Right before the request of a send booked at claim time: moves the endpoint's next slot to
/// one interval after `now_us`, the moment it really leaves, as long as no other booking came
/// after this one (`booked_us` is still the endpoint's next slot). Between claim and request
/// lie the secret read and the connect, which under load can take a good part of an interval;
/// without this the next instance's send, leaving on time, would follow too closely.
///
/// `false`: a later booking exists (this send is over one interval late) or the endpoint is
/// gone; the send must book a slot afresh.
pub async fn confirm_throttled_send(
    db: &Db,
    endpoint_id: &str,
    booked_us: i64,
    interval_us: i64,
    now_us: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE endpoints SET throttle_next_at = $1 WHERE id = $2 AND throttle_next_at = $3",
    )
    .bind(now_us.saturating_add(interval_us).max(booked_us))
    .bind(endpoint_id)
    .bind(booked_us)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() > 0)
}
