//! The delivery log and what acts on it: attempts, replay and sending what an endpoint missed,
//! the operational notices,
//! and the plan's use and held deliveries.

use crate::portal::{
    AttemptDetail, AttemptPage, DeliveryLogPage, HeldRow, MissedPreview, Notice, PortalError,
    UsageInfo,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod imp {
    use crate::i18n::{Arg, Locale};
    pub use crate::portal::api::prelude::*;
    use crate::portal::AttemptRow;

    pub fn row(a: attempts::Attempt, event_type: String) -> AttemptRow {
        AttemptRow {
            id: a.id,
            msg_id: a.msg_id,
            endpoint_id: a.endpoint_id,
            url: a.url,
            event_type,
            succeeded: a.status == 0,
            status_code: a.response_status_code,
            duration_ms: a.duration_ms,
            manual: a.trigger_type == 1,
            at: a.created_at,
        }
    }

    /// A `datetime-local` form value (`2026-11-30T14:05`, seconds optional) in the time zone
    /// `tz` minutes behind UTC, as milliseconds since the epoch. `field` is the field's label,
    /// in `locale`, for the refusal.
    pub fn local_time(
        locale: Locale,
        field: &str,
        value: &str,
        tz: &str,
    ) -> Result<i64, PortalError> {
        let bad = || {
            PortalError::Invalid(
                locale.text_with("log-error-date-time", &[("field", Arg::from(field))]),
            )
        };
        let value = value.trim();
        let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| bad())?;
        let offset: i64 = match tz.trim() {
            "" => 0,
            t => t
                .parse()
                .ok()
                .filter(|m: &i64| m.abs() <= 18 * 60)
                .ok_or_else(|| PortalError::Invalid(locale.text("log-error-time-zone")))?,
        };
        Ok(naive.and_utc().timestamp_millis() + offset * 60_000)
    }
}

#[cfg(feature = "ssr")]
pub(super) use imp::row as attempt_row;

/// One page of the delivery log, newest first. `status` is "succeeded", "failed" or empty;
/// `before` is the `next` of the previous page.
#[server(prefix = "/portal/fn", endpoint = "list_attempts")]
pub async fn list_attempts(
    app: String,
    endpoint: Option<String>,
    status: Option<String>,
    event_type: Option<String>,
    before: Option<String>,
) -> Result<AttemptPage, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let filter = attempts::AttemptFilter {
        status: match status.as_deref() {
            Some("succeeded") => Some(0),
            Some("failed") => Some(2),
            _ => None,
        },
        endpoint_id: None,
        event_types: event_type.filter(|t| !t.is_empty()).into_iter().collect(),
        before: None,
        after: None,
    };
    let q = ListQuery::new(Some(50), before.filter(|b| !b.is_empty()), true);
    let endpoint = endpoint.filter(|e| !e.is_empty());
    let page =
        attempts::list_with_event_type(&c.state.db, &c.app, endpoint.as_deref(), &q, &filter)
            .await
            .map_err(|e| fail(e.into()))?;
    let next = (!page.done).then_some(page.iterator).flatten();
    let mut rows = Vec::with_capacity(page.data.len());
    for (a, event_type) in page.data {
        rows.push(row(a, event_type));
    }
    Ok(AttemptPage { rows, next })
}

#[server(prefix = "/portal/fn", endpoint = "get_attempt")]
pub async fn get_attempt(app: String, attempt: String) -> Result<AttemptDetail, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let (a, m, sent) = crate::ssr::domain::attempts::get(
        &c.state.db,
        &c.state.settings.delivery,
        &c.app,
        &attempt,
    )
    .await
    .map_err(|e| fail(e.into()))?;
    Ok(AttemptDetail {
        request_headers: sent.headers,
        request_body: sent.body,
        body_recorded: sent.body_recorded,
        payload: (!sent.body_recorded).then_some(m.payload).flatten(),
        response_headers: crate::ssr::domain::attempts::response_headers(&a),
        response_body: a.response.clone(),
        response_truncated: a.response_truncated != 0,
        error: a.error.clone(),
        signature_help: crate::ssr::delivery::snippets::summary(
            &c.state.settings.delivery,
            crate::ssr::portal_auth::request_locale(),
        ),
        row: row(a, m.event_type),
    })
}

/// The company's deliveries (or one endpoint's), one row per message and endpoint in its one
/// state, newest first, 50 a page: `before`/`after` are the cursors of the page to show
/// (older than / newer than). `state` is delivered, in-progress, failed or skipped; `since` and
/// `until` are the form's `datetime-local` values in the browser's zone (`tz`, as for
/// [`count_missed`]), bounding when the messages were sent.
#[server(prefix = "/portal/fn", endpoint = "list_deliveries")]
// One argument per field of the log's URL. Not `expect`: the server macro copies the attribute
// onto the items it generates, and only some of those trip the lint.
#[allow(clippy::too_many_arguments)]
pub async fn list_deliveries(
    app: String,
    endpoint: Option<String>,
    state: Option<String>,
    event_type: Option<String>,
    before: Option<String>,
    after: Option<String>,
    since: Option<String>,
    until: Option<String>,
    tz: Option<String>,
) -> Result<DeliveryLogPage, PortalError> {
    use crate::portal::DeliveryLogRow;
    use crate::ssr::store::deliveries::{self as rows, LogCursor, LogFilter, LogFrom, LogStatus};
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let status = match given(state) {
        None => None,
        Some(s) => Some(
            LogStatus::parse(&s)
                .ok_or_else(|| fail(PortalError::Invalid(locale.text("log-error-state"))))?,
        ),
    };
    let event_type = match given(event_type) {
        None => None,
        Some(t) => Some(
            super::messages::name_like(locale, &locale.text("col-event-type"), &t).map_err(fail)?,
        ),
    };
    let cursor = |v: String| {
        LogCursor::parse(&v)
            .ok_or_else(|| fail(PortalError::Invalid(locale.text("log-error-page"))))
    };
    let from = match (given(before), given(after)) {
        (Some(b), _) => LogFrom::OlderThan(cursor(b)?),
        (None, Some(a)) => LogFrom::NewerThan(cursor(a)?),
        (None, None) => LogFrom::Newest,
    };
    let endpoint = match given(endpoint) {
        None => None,
        Some(e) => Some(
            endpoints::get(&c.state.db, &c.app, &e)
                .await
                .map_err(|e| fail(e.into()))?
                .id,
        ),
    };
    let tz = tz.unwrap_or_default();
    let since = match given(since) {
        None => None,
        Some(t) => {
            Some(local_time(locale, &locale.text("log-filter-from"), &t, &tz).map_err(fail)?)
        }
    };
    let until = match given(until) {
        None => None,
        Some(t) => Some(local_time(locale, &locale.text("log-filter-to"), &t, &tz).map_err(fail)?),
    };
    if let (Some(s), Some(u)) = (since, until) {
        if u <= s {
            return Err(fail(PortalError::Invalid(
                locale.text("log-error-to-before-from"),
            )));
        }
    }
    let filter = LogFilter {
        endpoint,
        status,
        event_type,
        since,
        until,
    };
    let page = rows::log(&c.state.db, &c.app, &filter, &from, DeliveryLogPage::SIZE)
        .await
        .map_err(|e| fail(e.into()))?;
    let now = crate::ssr::infra::time::now_ms();
    Ok(DeliveryLogPage {
        rows: page
            .rows
            .into_iter()
            .map(|r| DeliveryLogRow {
                delivery: super::messages::delivery_line(
                    locale,
                    &c.state.settings,
                    &r.delivery,
                    r.message.url,
                    now,
                ),
                msg_id: r.delivery.msg_id,
                event_id: r.message.event_id,
                event_type: r.message.event_type,
                created_at: r.message.created_at,
                test: r.message.test != 0,
            })
            .collect(),
        older: page.older.map(|c| c.to_string()),
        newer: page.newer.map(|c| c.to_string()),
    })
}

/// "Replay": sends a message to an endpoint again, now.
#[server(prefix = "/portal/fn", endpoint = "replay")]
pub async fn replay(app: String, message: String, endpoint: String) -> Result<(), PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    deliveries::resend(&c.state, &c.actor().await, &tenant, &message, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    tracing::info!(app = %c.app, message = %message, endpoint = %endpoint, "portal: replay");
    Ok(())
}

/// "Send what this endpoint missed since…": how many deliveries it would send, before asking.
/// `since` is the form's `datetime-local` value, in the browser's time zone: `tz` is its offset
/// as JavaScript gives it (minutes behind UTC; 0, and UTC, without JavaScript).
#[server(prefix = "/portal/fn", endpoint = "count_missed")]
pub async fn count_missed(
    app: String,
    endpoint: String,
    since: String,
    tz: String,
) -> Result<MissedPreview, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let since = local_time(locale, &locale.text("log-field-since"), &since, &tz).map_err(fail)?;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    let ep = endpoints::get(&c.state.db, &c.app, &endpoint)
        .await
        .map_err(|e| fail(e.into()))?;
    let n = deliveries::count_missed(
        &c.state,
        &tenant,
        &ep.id,
        since,
        None,
        deliveries::Scope::Missed,
    )
    .await
    .map_err(|e| fail(e.into()))?;
    Ok(MissedPreview {
        failed: n.failed,
        skipped: n.skipped,
        more: n.more,
        waiting: n.waiting,
        endpoint_disabled: ep.disabled != 0,
    })
}

/// Sends what the endpoint missed since `since` (as [`count_missed`] reads it): what failed,
/// and what was skipped that it would take today. Returns how many were queued.
#[server(prefix = "/portal/fn", endpoint = "send_missed")]
pub async fn send_missed(
    app: String,
    endpoint: String,
    since: String,
    tz: String,
) -> Result<u64, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Write).await.map_err(fail)?;
    let locale = crate::ssr::portal_auth::request_locale();
    let since = local_time(locale, &locale.text("log-field-since"), &since, &tz).map_err(fail)?;
    let tenant = tenants::ensure_active(&c.state.db, &c.app)
        .await
        .map_err(|e| fail(e.into()))?;
    let n = deliveries::send_missed(
        &c.state,
        &c.actor().await,
        &tenant,
        &endpoint,
        since,
        None,
        deliveries::Scope::Missed,
    )
    .await
    .map_err(|e| fail(e.into()))?;
    Ok(n)
}

/// The company's latest operational notices (endpoints disabled, events not delivered).
#[server(prefix = "/portal/fn", endpoint = "notices")]
pub async fn notices(app: String) -> Result<Vec<Notice>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let since = crate::ssr::infra::time::now_ms() - 30 * DAY_MS;
    Ok(
        crate::ssr::store::notifications::recent(&c.state.db, &c.app, 5)
            .await?
            .into_iter()
            .filter(|n| n.created_at >= since)
            .map(|n| Notice {
                kind: n.event_type,
                summary: n.summary,
                at: n.created_at,
            })
            .collect(),
    )
}

/// The company's plan and its use this hour; `None` when it is on no plan (no limits).
#[server(prefix = "/portal/fn", endpoint = "plan_usage")]
pub async fn plan_usage(app: String) -> Result<Option<UsageInfo>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    let u =
        crate::ssr::store::plans::usage(&c.state.db, &c.app, c.state.settings.plan_window).await?;
    Ok(u.plan.map(|p| UsageInfo {
        plan: p.name,
        endpoints: u.endpoints,
        endpoints_limit: p.max_endpoints,
        sent_this_hour: u.deliveries_this_hour,
        per_hour_limit: p.deliveries_per_hour,
        held: u.held,
        window_ends_at: u.window_ends_at,
    }))
}

/// Deliveries held back by the plan's hourly limit, oldest first.
#[server(prefix = "/portal/fn", endpoint = "held_deliveries")]
pub async fn held_deliveries(app: String) -> Result<Vec<HeldRow>, PortalError> {
    use imp::*;
    let c = require(&app, Permission::Read).await.map_err(fail)?;
    Ok(crate::ssr::store::plans::held(&c.state.db, &c.app, 50)
        .await?
        .into_iter()
        .map(|h| HeldRow {
            msg_id: h.msg_id,
            endpoint_id: h.endpoint_id,
            url: h.url,
            event_type: h.event_type,
            since: h.created_at,
            next_try: h.next_attempt_at,
        })
        .collect())
}
