//! Log retention: a company's attempts and messages (payloads included) are kept for its plan's
//! `retention_days`, then purged. The purge is a background job that runs in small batches, each
//! its own short statement, so ingestion and delivery never wait long behind it; it is idempotent,
//! so several instances (or a run cut short) do no harm.
//!
//! A message that still has a pending delivery (retrying, or held by a plan limit) is never
//! purged, whatever its age: retention must not lose an event that has not been delivered yet.

use super::{Arg, Sql};
use crate::ids::{AttemptId, MessageId};
use crate::ssr::infra::db::Db;

const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub attempts: u64,
    pub messages: u64,
    pub usage_windows: u64,
    pub endpoint_hours: u64,
}

/// Purges, as of `now` (Unix ms), everything older than each company's plan retention.
/// Companies without a plan keep their log.
pub async fn purge(db: &Db, now: i64, batch: i64) -> Result<Purged, sqlx::Error> {
    let mut out = Purged::default();
    let companies: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.id, p.retention_days FROM applications a JOIN plans p ON p.name = a.plan",
    )
    .fetch_all(&db.read)
    .await?;
    for (app, days) in companies {
        let cutoff = now - days.max(1) * DAY_MS;
        // Ids are ULIDs: everything made before the cutoff sorts below this bound, and the
        // (app_id, id) indexes find it without a scan.
        let attempt_bound = AttemptId::lower_bound_at(cutoff);
        loop {
            let mut q = Sql::new(
                db.backend,
                "DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE app_id = ",
            );
            q.bind(Arg::Text(app.clone()))
                .push(" AND id < ")
                .bind(Arg::Text(attempt_bound.clone()))
                .push(" LIMIT ")
                .bind(Arg::Int(batch))
                .push(")");
            let n = q.query().execute(&db.write).await?.rows_affected();
            out.attempts += n;
            if n < batch as u64 {
                break;
            }
            tokio::task::yield_now().await;
        }
        let message_bound = MessageId::lower_bound_at(cutoff);
        let mut after = String::new();
        loop {
            // Keyset over the old messages, so the ones kept (still pending) are not read again.
            let mut q = Sql::new(db.backend, "SELECT m.id FROM messages m WHERE m.app_id = ");
            q.bind(Arg::Text(app.clone()))
                .push(" AND m.id < ")
                .bind(Arg::Text(message_bound.clone()))
                .push(" AND m.id > ")
                .bind(Arg::Text(after.clone()))
                .push(" ORDER BY m.id LIMIT ")
                .bind(Arg::Int(batch));
            let ids: Vec<(String,)> = q.query_as().fetch_all(&db.read).await?;
            let Some(last) = ids.last() else {
                break;
            };
            after = last.0.clone();
            let mut del = Sql::new(db.backend, "DELETE FROM messages WHERE app_id = ");
            del.bind(Arg::Text(app.clone()))
                .push(" AND id IN ")
                .bind_list(ids.iter().map(|(id,)| Arg::Text(id.clone())));
            del.push(
                " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.msg_id = messages.id AND d.status = 1)",
            );
            out.messages += del.query().execute(&db.write).await?.rows_affected();
            if ids.len() < batch as usize {
                break;
            }
            tokio::task::yield_now().await;
        }
    }
    // Usage windows are only read for the current hour; a day of them is plenty for inspection.
    out.usage_windows = sqlx::query("DELETE FROM usage_windows WHERE window_start < $1")
        .bind(now - DAY_MS)
        .execute(&db.write)
        .await?
        .rows_affected();
    // Health over time shows a week; the eighth day covers the week's first hour.
    out.endpoint_hours = super::endpoint_hours::purge(db, now - 8 * DAY_MS).await?;
    Ok(out)
}
