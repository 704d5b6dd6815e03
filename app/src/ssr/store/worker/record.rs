//! Recording results: attempts, delivery states, and what a batch means for each endpoint (its
//! failure streak, a pause, its resumption, auto-disable, the e-mail its company's admins are
//! owed when it starts failing), in one transaction.

use super::waiting::release_waiting;
use super::{PENDING, ROWS_PER_STATEMENT};
use crate::ids::AttemptId;
use crate::ssr::delivery::schedule::{PauseReason, Scheduling};
use crate::ssr::delivery::state::{AttemptState, DeliveryState, SkipReason, Trigger};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::store::endpoint_hours::{self, Hour};
use crate::ssr::store::{notifications, Arg, Sql};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub url: String,
    pub succeeded: bool,
    pub response_status_code: i64,
    pub response: String,
    pub response_headers: String,
    pub request_headers: String,
    pub duration_ms: i64,
    pub trigger: Trigger,
    pub error: Option<String>,
    pub created_at: i64,
    /// False when the try failed on Herald's side before anything was sent (its signing
    /// secrets could not be loaded): the attempt is recorded, but the endpoint is not to blame,
    /// so it does not lengthen the endpoint's failure streak.
    pub counts_against_endpoint: bool,
    /// The body the try sent, byte for byte.
    pub request_body: SentBody,
    /// The response went on past what `response` keeps.
    pub response_truncated: bool,
}

/// The request body of one attempt, as its record keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentBody {
    /// Nothing was sent (the try failed before its request).
    None,
    /// The message's payload exactly (the raw envelope): nothing more to keep.
    Payload,
    /// Another body (an envelope around the payload), kept once per message and body.
    Stored {
        sha256: String,
        body: std::sync::Arc<str>,
    },
}

impl SentBody {
    /// `body` as the record keeps it: the payload itself, or a copy keyed by its hash.
    pub fn of(body: &str, is_payload: bool) -> SentBody {
        if is_payload {
            return SentBody::Payload;
        }
        use sha2::Digest;
        SentBody::Stored {
            sha256: hex::encode(sha2::Sha256::digest(body.as_bytes())),
            body: body.into(),
        }
    }

    /// The value of `attempts.request_body_ref`.
    pub fn reference(&self) -> Option<&str> {
        match self {
            SentBody::None => None,
            SentBody::Payload => Some(BODY_IS_PAYLOAD),
            SentBody::Stored { sha256, .. } => Some(sha256),
        }
    }
}

/// `attempts.request_body_ref` of a try whose body was the message's payload.
pub const BODY_IS_PAYLOAD: &str = "payload";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Succeeded,
    RetryAt(i64),
    /// Retries exhausted, or the endpoint is gone: the delivery failed for good.
    Failed,
    Skipped(SkipReason),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub delivery_id: i64,
    pub app_id: String,
    pub msg_id: String,
    pub endpoint_id: String,
    pub attempt: Option<AttemptRecord>,
    pub next: Next,
    /// Disable the endpoint now, with this reason (e.g. it answered 410 Gone).
    pub disable_endpoint: Option<String>,
    /// The tenant's plan's auto-disable threshold; `None` means the deployment's.
    pub auto_disable_after: Option<u32>,
    /// The tenant's plan's least time failing before auto-disable; `None` means the
    /// deployment's (`Scheduling::auto_disable_min_failing`).
    pub auto_disable_min_failing: Option<Duration>,
    /// This send was the probe of a paused endpoint: on failure it keeps its own retry time
    /// instead of waiting, so the next probe is another delivery.
    pub probe: bool,
    /// The receiver asked for a pause (`Retry-After` on a 429 or 503), in milliseconds.
    pub pause_for_ms: Option<i64>,
    /// Tries of this delivery with this one, if it was tried.
    pub tries: i64,
}

/// What [`record`] changed that others should hear about.
#[derive(Debug, Default)]
pub struct Recorded {
    pub disabled_endpoints: Vec<(String, String)>,
    pub attempt_ids: Vec<String>,
    /// Operational notifications, or e-mails owed to admins, were written: forward them.
    pub notified: bool,
    /// Endpoints this batch paused (they were not before): id, why, for how long (ms).
    pub paused_endpoints: Vec<(String, PauseReason, i64)>,
    /// Paused endpoints a success in this batch resumed.
    pub resumed_endpoints: Vec<String>,
    /// Endpoints whose waiting deliveries this batch made due (one per finished send, or a
    /// resumed endpoint's slots' worth), and how many.
    pub released: Vec<(String, u64)>,
}

/// Writes a batch of results in one transaction: the attempts, the delivery states, and what
/// they mean for each endpoint: its failure streak, a pause (circuit open after
/// `policy.pause_after` failures in a row, or a `Retry-After`), its resumption after a success
/// (its waiting backlog is released at once), and auto-disable once it has failed
/// `auto_disable_after` times in a row for at least `policy.auto_disable_min_failing` (each
/// overridden by the company's plan, per endpoint). When an endpoint's streak first reaches
/// the pause threshold (or the auto-disable count, if lower), an e-mail to its company's admins
/// is owed: written here, sent later by `ops::notifications`, never from this transaction.
///
/// A delivery's state changes only while `owner` still holds its lease. A resend or recovery
/// clears the lease to queue the delivery again; a result that arrives after that (the send that
/// was in flight when the user pressed "Replay") is kept as an attempt but must not mark the
/// re-queued delivery done, or the replay would be silently dropped.
pub async fn record(
    db: &Db,
    owner: &str,
    outcomes: &[Outcome],
    auto_disable_after: u32,
    policy: &Scheduling,
) -> Result<Recorded, sqlx::Error> {
    let now = now_ms();
    let mut out = Recorded::default();
    let mut tx = db.write.begin().await?;

    let attempt_ids: Vec<Option<String>> = outcomes
        .iter()
        .map(|o| {
            o.attempt
                .as_ref()
                .map(|_| AttemptId::generate().to_string())
        })
        .collect();
    let with_attempt: Vec<(&Outcome, &AttemptRecord, &String)> = outcomes
        .iter()
        .zip(&attempt_ids)
        .filter_map(|(o, id)| Some((o, o.attempt.as_ref()?, id.as_ref()?)))
        .collect();
    // Each distinct body once: at E=10 one envelope is shared by ten attempts, and a retry
    // finds its body kept already.
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut bodies: Vec<(&str, &str, &str)> = Vec::new();
    for (o, a, _) in &with_attempt {
        if let SentBody::Stored { sha256, body } = &a.request_body {
            if seen.insert((&o.msg_id, sha256)) {
                bodies.push((&o.msg_id, sha256, body));
            }
        }
    }
    for chunk in bodies.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Sql::new(
            db.backend,
            "INSERT INTO sent_bodies (msg_id, sha256, body, created_at) VALUES ",
        );
        for (n, (msg, sha, body)) in chunk.iter().enumerate() {
            if n > 0 {
                insert.push(", ");
            }
            insert
                .push("(")
                .bind(Arg::Text((*msg).to_owned()))
                .push(", ")
                .bind(Arg::Text((*sha).to_owned()))
                .push(", ")
                .bind(Arg::Text((*body).to_owned()))
                .push(", ")
                .bind(Arg::Int(now))
                .push(")");
        }
        insert.push(" ON CONFLICT (msg_id, sha256) DO NOTHING");
        insert.query().execute(&mut *tx).await?;
    }
    for chunk in with_attempt.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Sql::new(db.backend,
            "INSERT INTO attempts (id, app_id, msg_id, endpoint_id, url, status, response_status_code, response,
             response_headers, request_headers, duration_ms, trigger_type, error, created_at,
             request_body_ref, response_truncated) VALUES ",
        );
        for (n, (o, a, id)) in chunk.iter().enumerate() {
            let id = (*id).clone();
            if n > 0 {
                insert.push(", ");
            }
            insert.push("(");
            let vals = [
                Arg::Text(id.clone()),
                Arg::Text(o.app_id.clone()),
                Arg::Text(o.msg_id.clone()),
                Arg::Text(o.endpoint_id.clone()),
                Arg::Text(a.url.clone()),
                Arg::Int(if a.succeeded {
                    AttemptState::Succeeded.as_i64()
                } else {
                    AttemptState::Failed.as_i64()
                }),
                Arg::Int(a.response_status_code),
                Arg::Text(a.response.clone()),
                Arg::Text(a.response_headers.clone()),
                Arg::Text(a.request_headers.clone()),
                Arg::Int(a.duration_ms),
                Arg::Int(a.trigger.as_i64()),
            ];
            for (i, v) in vals.into_iter().enumerate() {
                if i > 0 {
                    insert.push(", ");
                }
                insert.bind(v);
            }
            insert.push(", ");
            match &a.error {
                Some(e) => insert.bind(Arg::Text(e.clone())),
                None => insert.push("NULL"),
            };
            insert.push(", ").bind(Arg::Int(a.created_at)).push(", ");
            match a.request_body.reference() {
                Some(r) => insert.bind(Arg::Text(r.to_owned())),
                None => insert.push("NULL"),
            };
            insert
                .push(", ")
                .bind(Arg::Int(i64::from(a.response_truncated)))
                .push(")");
            out.attempt_ids.push(id);
        }
        insert.query().execute(&mut *tx).await?;
    }

    let endpoints = endpoint_effects(
        outcomes,
        auto_disable_after,
        policy.auto_disable_min_failing,
    );
    let before = endpoint_states(&mut tx, db, &endpoints).await?;
    let mut waiting: Vec<&str> = Vec::new();
    for ep in &endpoints {
        let state = before.iter().find(|s| s.id == ep.id);
        let after = apply_endpoint_effect(&mut tx, ep, state, policy, now).await?;
        if after.waits {
            waiting.push(&ep.id);
        }
        if let Some(reason) = after.disabled {
            out.disabled_endpoints.push((ep.id.clone(), reason));
        }
        if let Some((why, ms)) = after.newly_paused {
            out.paused_endpoints.push((ep.id.clone(), why, ms));
        }
        if after.resumed {
            out.resumed_endpoints.push(ep.id.clone());
        }
        if after.mail_owed {
            out.notified = true;
        }
        // Most batches are of endpoints with nothing waiting behind them: no statement for those.
        if after.release > 0 && state.is_none_or(|s| s.waiting != 0) {
            let n = release_waiting(&mut *tx, db.backend, &ep.id, after.release, now).await?;
            if n > 0 {
                out.released.push((ep.id.clone(), n));
            }
        }
        if after.resumed {
            // Its probes' retries go now too, with the backlog: the endpoint just proved healthy.
            sqlx::query(&format!(
                "UPDATE deliveries SET next_attempt_at = $1
                 WHERE endpoint_id = $2 AND status = {PENDING} AND next_attempt_at > $1
                   AND lease_owner IS NULL AND held = 0"
            ))
            .bind(now)
            .bind(&ep.id)
            .execute(&mut *tx)
            .await?;
        }
    }

    // Successes are the bulk of every batch and differ only in their status code: one UPDATE per
    // code instead of one per delivery.
    let mut succeeded: Vec<(i64, Vec<i64>)> = Vec::new();
    for o in outcomes {
        if let (Next::Succeeded, Some(a)) = (&o.next, &o.attempt) {
            match succeeded
                .iter_mut()
                .find(|(c, _)| *c == a.response_status_code)
            {
                Some((_, ids)) => ids.push(o.delivery_id),
                None => succeeded.push((a.response_status_code, vec![o.delivery_id])),
            }
        }
    }
    // Deliveries this batch really finished (a lost lease finished nothing), for the health
    // rollup.
    let mut delivered: HashSet<i64> = HashSet::new();
    for (code, ids) in &succeeded {
        for chunk in ids.chunks(ROWS_PER_STATEMENT * 4) {
            let mut update = Sql::new(db.backend, "UPDATE deliveries SET status = ");
            update
                .bind(Arg::Int(DeliveryState::Succeeded.as_i64()))
                .push(
                    ", next_attempt_at = NULL, skip_reason = NULL, held = 0,
                     attempts = attempts + 1, last_status_code = ",
                )
                .bind(Arg::Int(*code))
                .push(", lease_until = NULL, lease_owner = NULL, updated_at = ")
                .bind(Arg::Int(now))
                .push(" WHERE lease_owner = ")
                .bind(Arg::Text(owner.to_owned()))
                .push(" AND id IN ")
                .bind_list(chunk.iter().map(|id| Arg::Int(*id)))
                .push(" RETURNING id");
            for row in update.query().fetch_all(&mut *tx).await? {
                delivered.insert(row.try_get::<i64, _>(0)?);
            }
        }
    }
    let mut failed: HashSet<i64> = HashSet::new();

    for (idx, o) in outcomes.iter().enumerate() {
        // (status, next attempt, skip reason, attempts added); None: updated with the successes.
        let row: Option<(DeliveryState, Option<i64>, Option<&str>, i64)> = match &o.next {
            Next::Succeeded if o.attempt.is_some() => None,
            Next::Succeeded => Some((DeliveryState::Succeeded, None, None, 1)),
            // A paused or disabled endpoint's retries wait for it instead of their own time,
            // so they go as soon as it resumes; a probe keeps its time, so the next probe is
            // another delivery and no single one spends all its retries on probes.
            Next::RetryAt(_) if !o.probe && waiting.contains(&o.endpoint_id.as_str()) => {
                Some((DeliveryState::Pending, None, None, 1))
            }
            Next::RetryAt(t) => Some((DeliveryState::Pending, Some(*t), None, 1)),
            Next::Failed => Some((DeliveryState::Failed, None, None, 1)),
            Next::Skipped(r) => Some((DeliveryState::Skipped, None, Some(r.as_str()), 0)),
        };
        let mut applied = false;
        if let Some((status, next_at, skip, attempts_inc)) = row {
            let code = o.attempt.as_ref().map(|a| a.response_status_code);
            applied = sqlx::query(
                "UPDATE deliveries SET status = $1, next_attempt_at = $2, skip_reason = $3,
                 held = 0, attempts = attempts + $4, last_status_code = COALESCE($5, last_status_code),
                 lease_until = NULL, lease_owner = NULL, updated_at = $6
                 WHERE id = $7 AND lease_owner = $8",
            )
            .bind(status.as_i64())
            .bind(next_at)
            .bind(skip)
            .bind(attempts_inc)
            .bind(code)
            .bind(now)
            .bind(o.delivery_id)
            .bind(owner)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
        }
        if applied {
            match o.next {
                Next::Succeeded => {
                    delivered.insert(o.delivery_id);
                }
                Next::Failed => {
                    failed.insert(o.delivery_id);
                }
                _ => {}
            }
        }

        // Only when this result ended the delivery: a replay pressed meanwhile keeps it alive.
        if let (true, Next::Failed, Some(a), Some(attempt_id)) =
            (applied, &o.next, &o.attempt, &attempt_ids[idx])
        {
            notifications::attempt_exhausted(&mut tx, o, attempt_id, a, now).await?;
            out.notified = true;
        }
        if let (true, Next::RetryAt(_), Some(a), Some(attempt_id)) =
            (applied, &o.next, &o.attempt, &attempt_ids[idx])
        {
            if o.tries == notifications::FAILING_AT_TRY && !a.succeeded {
                notifications::attempt_failing(&mut tx, o, attempt_id, a, now).await?;
                out.notified = true;
            }
        }
    }
    endpoint_hours::add(
        &mut *tx,
        db,
        &tally_hours(outcomes, &delivered, &failed, now),
    )
    .await?;
    for (endpoint, reason) in &out.disabled_endpoints {
        notifications::endpoint_disabled(&mut tx, endpoint, reason, now).await?;
        out.notified = true;
    }
    tx.commit().await?;
    Ok(out)
}

/// The batch's tries and finished deliveries per endpoint, in the hour of `now`.
fn tally_hours(
    outcomes: &[Outcome],
    delivered: &HashSet<i64>,
    failed: &HashSet<i64>,
    now: i64,
) -> Vec<Hour> {
    let mut hours: Vec<Hour> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for o in outcomes {
        let counted = o.attempt.is_some()
            || delivered.contains(&o.delivery_id)
            || failed.contains(&o.delivery_id);
        if !counted {
            continue;
        }
        let i = *index.entry(&o.endpoint_id).or_insert_with(|| {
            hours.push(Hour::new(&o.endpoint_id, &o.app_id, now));
            hours.len() - 1
        });
        let h = &mut hours[i];
        if let Some(a) = &o.attempt {
            h.attempt(a.succeeded, a.duration_ms, a.created_at);
        }
        if delivered.contains(&o.delivery_id) {
            h.delivered += 1;
            if o.tries <= 1 {
                h.delivered_first_try += 1;
            }
        } else if failed.contains(&o.delivery_id) {
            h.failed += 1;
        }
    }
    hours
}

/// What one batch means for one endpoint.
#[derive(Debug, Default, PartialEq, Eq)]
struct EndpointEffect {
    id: String,
    /// A counted try succeeded; `failures` are those after the last success.
    succeeded: bool,
    failures: i64,
    /// Deliveries of this endpoint the batch finished with (each frees a send slot).
    finished: i64,
    auto_disable_after: u32,
    /// The least time failing before auto-disable, in ms.
    min_failing_ms: i64,
    app_id: String,
    /// The last counted failure: its status code (0: no answer) and error.
    last_failure: Option<(i64, Option<String>)>,
    /// The longest pause a receiver asked for, in ms.
    pause_for_ms: Option<i64>,
    /// Disable at once, with this reason (410 Gone).
    disable: Option<String>,
}

/// Sums a batch per endpoint, in the order the results came. The thresholds are the
/// deployment's unless the outcome carries its plan's.
fn endpoint_effects(
    outcomes: &[Outcome],
    auto_disable_after: u32,
    min_failing: Duration,
) -> Vec<EndpointEffect> {
    let mut effects: Vec<EndpointEffect> = Vec::new();
    for o in outcomes {
        let i = match effects.iter().position(|e| e.id == o.endpoint_id) {
            Some(i) => i,
            None => {
                effects.push(EndpointEffect {
                    id: o.endpoint_id.clone(),
                    auto_disable_after: o.auto_disable_after.unwrap_or(auto_disable_after),
                    min_failing_ms: i64::try_from(
                        o.auto_disable_min_failing
                            .unwrap_or(min_failing)
                            .as_millis(),
                    )
                    .unwrap_or(i64::MAX),
                    app_id: o.app_id.clone(),
                    ..Default::default()
                });
                effects.len() - 1
            }
        };
        let e = &mut effects[i];
        e.finished += 1;
        if let Some(a) = o.attempt.as_ref().filter(|a| a.counts_against_endpoint) {
            if a.succeeded {
                e.succeeded = true;
                e.failures = 0;
            } else {
                e.failures += 1;
                e.last_failure = Some((a.response_status_code, a.error.clone()));
            }
        }
        if let Some(ms) = o.pause_for_ms {
            e.pause_for_ms = Some(e.pause_for_ms.map_or(ms, |p| p.max(ms)));
        }
        if e.disable.is_none() {
            e.disable.clone_from(&o.disable_endpoint);
        }
    }
    effects
}

#[derive(Debug, Default)]
struct EndpointAfter {
    /// Paused or disabled after this batch: its retries wait for it.
    waits: bool,
    /// It was paused, and a success resumed it.
    resumed: bool,
    /// Waiting deliveries to make due now.
    release: i64,
    /// Disabled by this batch, with the reason.
    disabled: Option<String>,
    /// Paused by this batch, not before: why, and for how long (ms).
    newly_paused: Option<(PauseReason, i64)>,
    /// Its streak reached the point where its company's admins are e-mailed.
    mail_owed: bool,
}

/// An endpoint of the batch as it was before the batch: read for all of them in one statement,
/// so that a healthy endpoint with nothing waiting costs the batch no other.
#[derive(sqlx::FromRow)]
struct EndpointState {
    id: String,
    consecutive_failures: i64,
    paused_until: Option<i64>,
    /// 1 if deliveries wait behind it.
    waiting: i64,
}

async fn endpoint_states(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    db: &Db,
    endpoints: &[EndpointEffect],
) -> Result<Vec<EndpointState>, sqlx::Error> {
    let mut states = Vec::with_capacity(endpoints.len());
    for chunk in endpoints.chunks(ROWS_PER_STATEMENT) {
        let mut q = Sql::new(
            db.backend,
            &format!(
                "SELECT e.id, e.consecutive_failures, e.paused_until,
                        CAST(CASE WHEN EXISTS (SELECT 1 FROM deliveries d
                                               WHERE d.endpoint_id = e.id AND d.status = {PENDING}
                                                 AND d.next_attempt_at IS NULL
                                                 AND d.lease_owner IS NULL)
                                  THEN 1 ELSE 0 END AS BIGINT) AS waiting
                 FROM endpoints e WHERE e.id IN "
            ),
        );
        q.bind_list(chunk.iter().map(|ep| Arg::Text(ep.id.clone())));
        states.extend(q.query_as::<EndpointState>().fetch_all(&mut **tx).await?);
    }
    Ok(states)
}

#[derive(sqlx::FromRow)]
struct Streak {
    consecutive_failures: i64,
    first_failure_at: Option<i64>,
    disabled: i64,
    paused_until: Option<i64>,
}

async fn apply_endpoint_effect(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ep: &EndpointEffect,
    before: Option<&EndpointState>,
    policy: &Scheduling,
    now: i64,
) -> Result<EndpointAfter, sqlx::Error> {
    let mut after = EndpointAfter::default();
    // Neither paused nor failing before the batch: a success changes nothing.
    let healthy = before.is_some_and(|s| s.paused_until.is_none() && s.consecutive_failures == 0);
    if ep.succeeded && !healthy {
        // A success resumes a paused endpoint, and ends any failure streak. Written only when
        // something changes: a healthy endpoint's row is not rewritten by every batch.
        after.resumed = sqlx::query(
            "UPDATE endpoints SET consecutive_failures = 0, first_failure_at = NULL,
             paused_until = NULL, paused_reason = NULL
             WHERE id = $1 AND paused_until IS NOT NULL",
        )
        .bind(&ep.id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            > 0;
        if !after.resumed {
            sqlx::query(
                "UPDATE endpoints SET consecutive_failures = 0, first_failure_at = NULL
                 WHERE id = $1 AND consecutive_failures <> 0",
            )
            .bind(&ep.id)
            .execute(&mut **tx)
            .await?;
        }
    }
    let streak: Option<Streak> = if ep.failures > 0 {
        sqlx::query_as(
            "UPDATE endpoints SET consecutive_failures = consecutive_failures + $2,
             first_failure_at = COALESCE(first_failure_at, $3) WHERE id = $1
             RETURNING consecutive_failures, first_failure_at, disabled, paused_until",
        )
        .bind(&ep.id)
        .bind(ep.failures)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?
    } else {
        None
    };
    let mut paused = false;
    if let Some(st) = &streak {
        let failures = u32::try_from(st.consecutive_failures).unwrap_or(u32::MAX);
        if failures >= policy.pause_after {
            let until = now + policy.probe_backoff(failures).as_millis() as i64;
            // A longer pause the receiver asked for stands.
            sqlx::query(
                "UPDATE endpoints SET
                 paused_until = CASE WHEN paused_reason = 'retry-after' AND paused_until > $2
                                     THEN paused_until ELSE $2 END,
                 paused_reason = CASE WHEN paused_reason = 'retry-after' AND paused_until > $2
                                      THEN paused_reason ELSE 'failing' END
                 WHERE id = $1",
            )
            .bind(&ep.id)
            .bind(until)
            .execute(&mut **tx)
            .await?;
            paused = true;
            if st.paused_until.is_none() {
                after.newly_paused = Some((PauseReason::Failing, until - now));
            }
        } else {
            paused = st.paused_until.is_some_and(|t| t > now);
        }
        let failing_since = st.first_failure_at.unwrap_or(now);
        // Once per streak: the count only grows until a success resets it, so it passes the
        // threshold once, in one batch (the row is locked by the UPDATE above, on every backend).
        let mail_at = i64::from(policy.pause_after.min(ep.auto_disable_after));
        if st.consecutive_failures - ep.failures < mail_at && st.consecutive_failures >= mail_at {
            let (status, error) = ep.last_failure.clone().unwrap_or((0, None));
            notifications::failing_mail_owed(
                tx,
                &notifications::FailingMailOwed {
                    endpoint_id: &ep.id,
                    app_id: &ep.app_id,
                    failing_since,
                    failures: st.consecutive_failures,
                    last_status_code: status,
                    last_error: error.as_deref(),
                    disable_after: i64::from(ep.auto_disable_after),
                    min_failing_ms: ep.min_failing_ms,
                },
                now,
            )
            .await?;
            after.mail_owed = true;
        }
        if st.disabled == 0
            && failures >= ep.auto_disable_after
            && now - failing_since >= ep.min_failing_ms
        {
            after.disabled = disable(
                tx,
                &ep.id,
                &format!(
                    "disabled automatically after {} consecutive failed attempts",
                    ep.auto_disable_after
                ),
                now,
            )
            .await?;
        }
    }
    if let Some(ms) = ep.pause_for_ms {
        sqlx::query(
            "UPDATE endpoints SET paused_until = $2, paused_reason = 'retry-after'
             WHERE id = $1 AND (paused_until IS NULL OR paused_until < $2)",
        )
        .bind(&ep.id)
        .bind(now + ms)
        .execute(&mut **tx)
        .await?;
        paused = true;
        after.newly_paused = Some((PauseReason::RetryAfter, ms));
    }
    if let Some(reason) = &ep.disable {
        if after.disabled.is_none() {
            after.disabled = disable(tx, &ep.id, reason, now).await?;
        }
    }
    after.waits = paused || after.disabled.is_some();
    if !after.waits {
        // Each finished delivery frees a slot for one waiting behind it; a resumed endpoint
        // gets a full set of slots' worth at once.
        after.release = if after.resumed {
            ep.finished.max(policy.endpoint_concurrency as i64)
        } else {
            ep.finished
        };
    }
    Ok(after)
}

/// Disables an endpoint that is not already; returns the reason when this call disabled it.
async fn disable(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    endpoint_id: &str,
    reason: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE endpoints SET disabled = 1, disabled_reason = $2, disabled_at = $3,
         version = version + 1, updated_at = $3 WHERE id = $1 AND disabled = 0",
    )
    .bind(endpoint_id)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok((done.rows_affected() > 0).then(|| reason.to_owned()))
}
