//! Deliveries as a company sees them: the one state each is in, the same in the API and the
//! portal; and sending again by hand: one message to one endpoint (resend), or what an endpoint
//! missed since a time (send_missed: what failed, and what was skipped that it would take
//! today). Both need an active tenant, and each is filed in the audit trail.

use crate::ids::{AppId, MessageId};
use crate::ssr::delivery::state::{DeliveryView, SkipReason};
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::domain::intake;
use crate::ssr::domain::state::Settings;
use crate::ssr::domain::tenants::ActiveTenant;
use crate::ssr::infra::time::{now_ms, to_rfc3339};
use crate::ssr::store::deliveries::{self as rows, DeliveryRow, MissedRow};
use crate::ssr::store::endpoints::Endpoint;
use crate::ssr::store::{endpoints, messages, plans, worker};
use crate::ssr::{AppState, ServiceError};

/// A delivery as the API and the portal both show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub view: DeliveryView,
    /// The tries it gets in all: the first and one per step of its company's plan's retry
    /// schedule, or the deployment's, as the worker counts them.
    pub max_tries: i64,
    /// Its last try's HTTP status (0: no answer); `None` before its first try.
    pub last_status_code: Option<i64>,
}

/// The state `row` is in at `now`, the same wherever it is shown.
pub fn show(settings: &Settings, row: &DeliveryRow, now: i64) -> Shown {
    let retries = row
        .plan_retry_schedule
        .as_deref()
        .map_or(settings.retry_schedule.len(), |s| {
            plans::schedule_delays(s).len()
        });
    let max_tries = retries as i64 + 1;
    Shown {
        view: DeliveryView::of(&row.facts(max_tries), now),
        max_tries,
        last_status_code: row.last_status_code.filter(|_| row.attempts > 0),
    }
}

/// Sends a message to an endpoint again, now, as a manual attempt. Works for deliveries that
/// succeeded, failed or were skipped (e.g. while the endpoint was disabled).
pub async fn resend(
    state: &AppState,
    actor: &Actor,
    tenant: &ActiveTenant,
    msg: &str,
    endpoint: &str,
) -> Result<(), ServiceError> {
    let app = tenant.id();
    let m = messages::get(&state.db, app, msg).await?;
    let ep = endpoints::get(&state.db, app, endpoint).await?;
    if ep.disabled != 0 {
        return Err(ServiceError::validation(
            "endpoint is disabled: enable it before resending",
        ));
    }
    if m.payload.is_none() {
        return Err(ServiceError::validation(
            "the message's content was expunged",
        ));
    }
    let mut tx = state.db.write.begin().await?;
    rows::requeue_manual_in(&mut tx, app, &m.id, &ep.id, now_ms()).await?;
    // The entry names the message and endpoint as the caller did.
    let facts = serde_json::json!({ "msgId": msg, "endpointId": endpoint });
    audit::write(&mut tx, actor, Some(app), "message.resent", msg, facts).await?;
    tx.commit().await?;
    state.work_accepted().await;
    Ok(())
}

/// What "send what this endpoint missed" takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Failed deliveries only: Svix's `recover`.
    Failed,
    /// Failed ones, and skipped ones worth sending today: those skipped while the endpoint was
    /// disabled or had no secret, and those its filters skipped that they now let through
    /// (never an expunged message). The portal's "send what it missed" and `replay-missing`.
    Missed,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Failed => "failed",
            Scope::Missed => "missed",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Scope::Failed => "endpoint.recovered",
            Scope::Missed => "endpoint.missed_sent",
        }
    }
}

/// What a send of what an endpoint missed takes (a preview) or took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Missed {
    pub failed: u64,
    pub skipped: u64,
    /// The preview stopped counting at [`COUNT_CAP`] rows read: there may be more.
    pub more: bool,
    /// The endpoint's deliveries that wait behind it (up to [`COUNT_CAP`]): a disabled
    /// endpoint's go when it is enabled, not through this send.
    pub waiting: i64,
}

impl Missed {
    pub fn total(&self) -> u64 {
        self.failed + self.skipped
    }
}

/// How many failed and skipped rows a preview reads before it says "at least".
pub const COUNT_CAP: u64 = 10_000;
/// Rows read, then queued, per statement: each chunk commits on its own, so a send of a large
/// backlog never holds SQLite's one writer for long.
const CHUNK: i64 = 500;
/// How many of the queued deliveries are made due at once; the worker's admission releases the
/// rest at the pace the endpoint takes them, as when an endpoint is enabled.
const RELEASE_AT_ONCE: i64 = 256;

/// The message ids a time window `[since, until)` spans (ids are ULIDs: time first).
fn window(since: i64, until: Option<i64>) -> Result<(String, String), ServiceError> {
    if until.is_some_and(|u| u <= since) {
        return Err(ServiceError::validation("until: must be after since"));
    }
    // Open-ended: up to now, which is empty for a `since` still to come.
    let until = until.unwrap_or_else(|| now_ms() + 1).max(since);
    Ok((
        MessageId::lower_bound_at(since),
        MessageId::lower_bound_at(until),
    ))
}

/// Whether a send of `scope` takes `row`: a failed delivery always, a skipped one when sending
/// it makes sense today.
fn takes(scope: Scope, ep: &Endpoint, row: &MissedRow) -> bool {
    if row.status != 4 {
        return true;
    }
    if scope == Scope::Failed {
        return false;
    }
    // A reason this version does not know (an older version's sentence) is not a reason to
    // keep a company's event from it.
    let Some(reason) = row.skip_reason.as_deref().and_then(SkipReason::parse) else {
        return true;
    };
    match reason {
        SkipReason::Expunged => false,
        SkipReason::EndpointDisabled | SkipReason::NoSecret => true,
        SkipReason::FilteredOut
        | SkipReason::ChannelFilteredOut
        | SkipReason::FilterUnreadable
        | SkipReason::ChannelFilterUnreadable => {
            let channels: Option<Vec<String>> = row
                .channels
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok());
            intake::skip_reason(ep, &row.event_type, channels.as_deref()).is_none()
        }
    }
}

/// One chunk of the endpoint's failed and skipped deliveries in the window, oldest first: the
/// ones `scope` takes, and the message id the next chunk starts after (`None`: this was the last).
async fn chunk(
    state: &AppState,
    app: &AppId,
    ep: &Endpoint,
    scope: Scope,
    (from, until): &(String, String),
    after: Option<&str>,
) -> Result<(Vec<MissedRow>, Option<String>), ServiceError> {
    let rows = rows::missed(&state.db, app, &ep.id, from, until, after, CHUNK).await?;
    let next = match rows.last() {
        Some(last) if rows.len() as i64 == CHUNK => Some(last.msg_id.clone()),
        _ => None,
    };
    Ok((
        rows.into_iter().filter(|r| takes(scope, ep, r)).collect(),
        next,
    ))
}

/// How many deliveries [`send_missed`] would queue now, failed and skipped apart.
pub async fn count_missed(
    state: &AppState,
    tenant: &ActiveTenant,
    endpoint: &str,
    since: i64,
    until: Option<i64>,
    scope: Scope,
) -> Result<Missed, ServiceError> {
    let app = tenant.id();
    let ep = endpoints::get(&state.db, app, endpoint).await?;
    let w = window(since, until)?;
    let mut count = Missed::default();
    let (mut after, mut read) = (None, 0u64);
    loop {
        let (rows, next) = chunk(state, app, &ep, scope, &w, after.as_deref()).await?;
        for r in &rows {
            if r.status == 4 {
                count.skipped += 1;
            } else {
                count.failed += 1;
            }
        }
        read += CHUNK as u64;
        match next {
            Some(_) if read >= COUNT_CAP => {
                count.more = true;
                break;
            }
            Some(n) => after = Some(n),
            None => break,
        }
    }
    count.waiting = rows::count_waiting(&state.db, app, &ep.id, COUNT_CAP as i64).await?;
    Ok(count)
}

/// Queues again, with fresh tries, what `scope` takes of the endpoint's deliveries of messages
/// created in `[since, until)`, and never one delivered or being sent. Refused for a disabled
/// endpoint: enabling it sends what waited for it, then this sends what it still missed.
///
/// Chunks commit as they go; the audit entry, with the count, is written with the release that
/// starts them going, once all are queued. A send cut short (a crash) leaves the rest as they
/// were, and running it again takes them.
pub async fn send_missed(
    state: &AppState,
    actor: &Actor,
    tenant: &ActiveTenant,
    endpoint: &str,
    since: i64,
    until: Option<i64>,
    scope: Scope,
) -> Result<u64, ServiceError> {
    let app = tenant.id();
    let ep = endpoints::get(&state.db, app, endpoint).await?;
    if ep.disabled != 0 {
        return Err(ServiceError::validation(
            "endpoint is disabled: enable it first (what waited for it goes out then), then send what it still missed",
        ));
    }
    let w = window(since, until)?;
    let now = now_ms();
    let (mut queued, mut after) = (0u64, None);
    loop {
        let (rows, next) = chunk(state, app, &ep, scope, &w, after.as_deref()).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        if !ids.is_empty() {
            let mut conn = state.db.write.acquire().await?;
            queued += rows::requeue_missed_in(&mut conn, state.db.backend, app, &ids, now).await?;
        }
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let mut tx = state.db.write.begin().await?;
    worker::release_waiting(&mut *tx, state.db.backend, &ep.id, RELEASE_AT_ONCE, now).await?;
    let facts = serde_json::json!({
        "since": to_rfc3339(since),
        "until": until.map(to_rfc3339),
        "deliveries": queued,
    });
    audit::write(
        &mut tx,
        actor,
        Some(app),
        scope.audit_action(),
        &ep.id,
        facts,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(app.id = %app, endpoint.id = %ep.id, deliveries = queued, scope = scope.as_str(), "missed deliveries queued again");
    if queued > 0 {
        state.work_accepted().await;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(event_types: Option<&str>) -> Endpoint {
        Endpoint {
            id: "ep_1".into(),
            app_id: "app_1".into(),
            uid: None,
            url: "https://example.com/hook".into(),
            description: String::new(),
            event_types: event_types.map(str::to_owned),
            channels: None,
            disabled: 0,
            disabled_reason: None,
            disabled_at: None,
            metadata: "{}".into(),
            headers: "{}".into(),
            throttle_rate: None,
            consecutive_failures: 0,
            version: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn row(status: i64, reason: Option<&str>, event_type: &str) -> MissedRow {
        MissedRow {
            id: 1,
            msg_id: "msg_1".into(),
            status,
            skip_reason: reason.map(str::to_owned),
            event_type: event_type.into(),
            channels: None,
        }
    }

    #[test]
    fn a_send_of_what_was_missed_takes_failed_and_skipped_worth_sending() {
        let paid_only = endpoint(Some(r#"["invoice.paid"]"#));
        let all = endpoint(None);
        let cases = [
            // (endpoint, row, takes with Missed, takes with Failed)
            (&paid_only, row(2, None, "invoice.voided"), true, true),
            (
                &all,
                row(4, Some("endpoint-disabled"), "invoice.paid"),
                true,
                false,
            ),
            (&all, row(4, Some("no-secret"), "invoice.paid"), true, false),
            (&all, row(4, Some("expunged"), "invoice.paid"), false, false),
            (
                &all,
                row(4, Some("filtered-out"), "invoice.voided"),
                true,
                false,
            ),
            (
                &paid_only,
                row(4, Some("filtered-out"), "invoice.voided"),
                false,
                false,
            ),
            (
                &paid_only,
                row(4, Some("filtered-out"), "invoice.paid"),
                true,
                false,
            ),
            (
                &all,
                row(4, Some("an older version's sentence"), "x"),
                true,
                false,
            ),
        ];
        for (ep, r, missed, failed) in cases {
            assert_eq!(takes(Scope::Missed, ep, &r), missed, "missed: {r:?}");
            assert_eq!(takes(Scope::Failed, ep, &r), failed, "failed: {r:?}");
        }
    }

    #[test]
    fn a_window_is_a_range_of_message_ids_and_must_not_be_empty() {
        let (from, until) = window(1_000, Some(2_000)).expect("a window");
        assert!(from < until);
        assert!(from.starts_with(MessageId::PREFIX));
        let id = MessageId::lower_bound_at(1_500);
        assert!(from <= id && id < until);
        assert!(window(2_000, Some(2_000)).is_err());
        assert!(window(2_000, Some(1_000)).is_err());
        let (from, until) = window(now_ms() + 60_000, None).expect("a window to come");
        assert_eq!(from, until, "nothing is in it yet");
    }
}
