//! Forwards operational notifications (an endpoint disabled, a message out of retries) to the
//! operator's operational application, through the ordinary intake: those deliveries are signed,
//! retried and logged like any other. The notification's id is the message's idempotency key, so
//! forwarding twice sends once.
//!
//! Also sends the e-mails companies' admins are owed when one of their endpoints starts failing
//! (written by the recorder, once per failing streak), when SMTP is configured. The SMTP
//! conversation happens on a task of its own: the recorder, which calls this after each batch
//! that wrote something to announce, never waits on a mail server.

use crate::ids::AppId;
use crate::ssr::domain::intake::{self, NewMessage};
use crate::ssr::domain::tenants;
use crate::ssr::infra::mail::Mailer;
use crate::ssr::infra::time::{now_ms, to_rfc3339};
use crate::ssr::store::applications::{self, ApplicationInput, OPERATIONAL_APP_UID};
use crate::ssr::store::notifications::{self, FailingMail};
use crate::ssr::{AppState, ServiceError};
use std::time::Duration;

/// The operator's operational application, created the first time it is needed. Its endpoints
/// receive the operational webhooks; they are managed like any application's endpoints.
pub async fn operational_app(state: &AppState) -> Result<AppId, ServiceError> {
    match applications::resolve(&state.db, OPERATIONAL_APP_UID).await {
        Ok(id) => return Ok(id),
        Err(ServiceError::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    let created = applications::create(
        &state.db,
        ApplicationInput {
            name: "Operational webhooks".into(),
            uid: Some(OPERATIONAL_APP_UID.into()),
            ..Default::default()
        },
    )
    .await;
    match created {
        Ok(app) => AppId::parse(&app.id).ok_or(ServiceError::NotFound("application")),
        // Another instance made it first.
        Err(ServiceError::Conflict { .. }) => {
            applications::resolve(&state.db, OPERATIONAL_APP_UID).await
        }
        Err(e) => Err(e),
    }
}

/// Sends notifications not yet forwarded to the operational application, and starts sending the
/// failing-endpoint e-mails owed (see [`start_failing_mails`]). Returns how many notifications.
pub async fn forward_pending(state: &AppState) -> Result<usize, ServiceError> {
    start_failing_mails(state).await;
    let pending = notifications::unforwarded(&state.db, 200).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let op = operational_app(state).await?;
    let op = tenants::ensure_active(&state.db, &op).await?;
    for n in &pending {
        let payload = serde_json::value::RawValue::from_string(n.payload.clone())
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("notification {}: {e}", n.id)))?;
        intake::create(
            state,
            &op,
            NewMessage {
                event_type: n.event_type.clone(),
                event_id: None,
                payload,
                channels: None,
            },
            Some(&n.id),
            None,
        )
        .await?;
        notifications::mark_forwarded(&state.db, &n.id).await?;
    }
    Ok(pending.len())
}

/// How long a sender holds an owed mail: longer than mailing a company's admins takes (each
/// SMTP conversation times out after 10 s), so two senders never mail the same people; short
/// enough that a crashed sender's mail goes out soon after.
const MAIL_LEASE: Duration = Duration::from_secs(600);
/// Tries before an owed mail is given up on (an address the server keeps refusing, a server
/// that is down for a day): the next is a minute later, then two, four, eight.
const MAIL_TRIES: i64 = 5;
/// Owed mails claimed per call; the rest go on the next.
const MAIL_BATCH: i64 = 20;
/// How long a sent mail's row is kept, to show in the database what was mailed when.
const MAIL_KEPT: Duration = Duration::from_secs(30 * 86_400);

/// Claims the failing-endpoint e-mails owed and sends them on a task of its own. Without SMTP
/// they are dropped instead, so nothing piles up waiting for a server that is not coming.
/// Failures are logged: the next call (after the next batch, or upkeep) tries again.
pub async fn start_failing_mails(state: &AppState) {
    let now = now_ms();
    let Some(mailer) = state.mailer.clone() else {
        match notifications::purge_failing_mails(&state.db, true, now, MAIL_KEPT.as_millis() as i64)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::debug!(
                mails = n,
                "failing-endpoint e-mails dropped: no SMTP server is configured"
            ),
            Err(e) => tracing::warn!(error = %e, "dropping failing-endpoint e-mails failed"),
        }
        return;
    };
    let claimed = match notifications::claim_failing_mails(
        &state.db,
        now,
        MAIL_LEASE.as_millis() as i64,
        MAIL_BATCH,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "claiming failing-endpoint e-mails failed");
            return;
        }
    };
    if claimed.is_empty() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        for m in claimed {
            if let Err(e) = send_failing_mail(&state, &mailer, &m).await {
                // Its lease runs out and a later call tries again.
                tracing::warn!(app.id = %m.app_id, endpoint.id = %m.endpoint_id, error = %e, "recording a failing-endpoint e-mail failed");
            }
        }
    });
}

/// Mails one owed notice to each of the company's admins not mailed yet, then marks it done, or
/// puts it back for a later try if some could not be reached.
async fn send_failing_mail(
    state: &AppState,
    mailer: &Mailer,
    m: &FailingMail,
) -> Result<(), ServiceError> {
    let now = now_ms();
    if m.first_failure_at != Some(m.failing_since) {
        // It recovered (or failed again since) before the mail went: nothing to warn about.
        tracing::info!(app.id = %m.app_id, endpoint.id = %m.endpoint_id, "failing-endpoint e-mail not sent: the endpoint recovered");
        return notifications::failing_mail_done(&state.db, m, now).await;
    }
    let admins = notifications::company_admins(&state.db, &m.app_id).await?;
    let done: Vec<&str> = m.sent_to.lines().collect();
    let (subject, body) = failing_mail_text(m, &state.settings.base_url);
    let mut sent = 0usize;
    let mut failed = 0usize;
    for to in admins.iter().filter(|a| !done.contains(&a.as_str())) {
        match mailer.send(to, &subject, body.clone()).await {
            Ok(()) => {
                notifications::failing_mail_sent_to(&state.db, m, to).await?;
                sent += 1;
            }
            Err(e) => {
                failed += 1;
                tracing::warn!(app.id = %m.app_id, endpoint.id = %m.endpoint_id, error = %e, "sending a failing-endpoint e-mail failed");
            }
        }
    }
    if failed > 0 && m.tries < MAIL_TRIES {
        let backoff = 60_000 * (1i64 << (m.tries - 1).clamp(0, 10));
        return notifications::failing_mail_retry_at(&state.db, m, now + backoff).await;
    }
    if failed > 0 {
        tracing::warn!(app.id = %m.app_id, endpoint.id = %m.endpoint_id, mails.failed = failed, tries = m.tries, "failing-endpoint e-mail given up");
    } else {
        tracing::info!(app.id = %m.app_id, endpoint.id = %m.endpoint_id, mails = sent, "failing-endpoint e-mail sent to the company's admins");
    }
    notifications::failing_mail_done(&state.db, m, now).await?;
    notifications::purge_failing_mails(&state.db, false, now, MAIL_KEPT.as_millis() as i64).await?;
    Ok(())
}

/// The mail's subject and text: which endpoint, since when, what went wrong last, that nothing
/// is lost, and when it would be disabled.
fn failing_mail_text(m: &FailingMail, base_url: &str) -> (String, String) {
    let subject = format!("{}: a webhook endpoint is failing", m.company);
    let last = match (m.last_status_code, m.last_error.as_deref()) {
        (0, Some(e)) => format!("no answer ({e})"),
        (0, None) => "no answer".to_owned(),
        (code, _) => format!("answered HTTP {code}"),
    };
    let mut body = format!(
        "Webhook deliveries from {company} to this endpoint are failing:\n\n    {url}\n\n\
         Failing since: {since} ({failures} failed attempts in a row)\n\
         Last attempt: {last}\n\n\
         Nothing is lost. While the endpoint fails, Herald tries it one delivery at a time; the \
         others wait, spending none of their retries, and go out as soon as it answers again.\n\n",
        company = m.company,
        url = m.url,
        since = to_rfc3339(m.failing_since),
        failures = m.failures,
    );
    if m.disabled != 0 {
        body.push_str(&format!(
            "It has been disabled ({}). Its deliveries wait, and go out when it is enabled again.\n\n",
            m.disabled_reason.as_deref().unwrap_or("disabled")
        ));
    } else if m.min_failing_ms <= 0 {
        body.push_str(&format!(
            "If it keeps failing, it will be disabled automatically after {} failed attempts in a \
             row. Its deliveries would still wait, and go out when it is enabled again.\n\n",
            m.disable_after,
        ));
    } else {
        let not_before = m.failing_since.saturating_add(m.min_failing_ms);
        body.push_str(&format!(
            "If it keeps failing, it will be disabled automatically after {} failed attempts in a \
             row, and not before {} ({} after it started failing). Its deliveries would still \
             wait, and go out when it is enabled again.\n\n",
            m.disable_after,
            to_rfc3339(not_before),
            spoken_duration(m.min_failing_ms),
        ));
    }
    if let Some(base) = public_base_url(base_url) {
        body.push_str(&format!(
            "See it in the portal: {base}/portal/{}/endpoints/{}\n\n",
            m.app_id, m.endpoint_id
        ));
    }
    body.push_str(&format!(
        "You receive this as an admin of {}. One e-mail each time an endpoint starts failing: \
         none again about this one until it has recovered.\n",
        m.company
    ));
    (subject, body)
}

/// The base URL, if people elsewhere can open links on it: not a loopback or unspecified
/// address, which is what a deployment that never set `HERALD_BASE_URL` has.
fn public_base_url(base: &str) -> Option<&str> {
    let url = url::Url::parse(base).ok()?;
    let local = match url.host()? {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback() || ip.is_unspecified(),
        url::Host::Ipv6(ip) => ip.is_loopback() || ip.is_unspecified(),
    };
    (!local).then(|| base.trim_end_matches('/'))
}

/// "24 hours", "30 minutes", "immediately": a least time failing, for people.
fn spoken_duration(ms: i64) -> String {
    let secs = ms / 1000;
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s <= 0 => "at once".to_owned(),
        s if s % 86_400 == 0 && s >= 2 * 86_400 => unit(s / 86_400, "day"),
        s if s % 3600 == 0 => unit(s / 3600, "hour"),
        s if s % 60 == 0 => unit(s / 60, "minute"),
        s => unit(s, "second"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> FailingMail {
        FailingMail {
            endpoint_id: "ep_1".into(),
            failing_since: 0,
            app_id: "app_1".into(),
            failures: 5,
            last_status_code: 500,
            last_error: None,
            disable_after: 100,
            min_failing_ms: 86_400_000,
            sent_to: String::new(),
            tries: 1,
            company: "Acme".into(),
            url: "https://acme.example.com/hooks".into(),
            disabled: 0,
            disabled_reason: None,
            first_failure_at: Some(0),
        }
    }

    #[test]
    fn the_mail_says_which_endpoint_since_when_and_when_it_would_be_disabled() {
        let (subject, body) = failing_mail_text(&mail(), "https://herald.example.com/");
        assert_eq!(subject, "Acme: a webhook endpoint is failing");
        for says in [
            "https://acme.example.com/hooks",
            "Failing since: 1970-01-01T00:00:00.000Z (5 failed attempts in a row)",
            "answered HTTP 500",
            "Nothing is lost",
            "after 100 failed attempts in a row, and not before 1970-01-02T00:00:00.000Z (24 hours after",
            "https://herald.example.com/portal/app_1/endpoints/ep_1",
        ] {
            assert!(body.contains(says), "missing {says:?} in:\n{body}");
        }
        let (_, local) = failing_mail_text(&mail(), "http://127.0.0.1:8080");
        assert!(!local.contains("/portal/"), "{local}");
    }

    #[test]
    fn a_disabled_endpoint_is_said_to_be_disabled() {
        let m = FailingMail {
            disabled: 1,
            disabled_reason: Some(
                "disabled automatically after 3 consecutive failed attempts".into(),
            ),
            last_status_code: 0,
            last_error: Some("connection refused".into()),
            ..mail()
        };
        let (_, body) = failing_mail_text(&m, "http://localhost:8080");
        assert!(
            body.contains("It has been disabled (disabled automatically"),
            "{body}"
        );
        assert!(body.contains("no answer (connection refused)"), "{body}");
        assert!(!body.contains("not before"), "{body}");
    }

    #[test]
    fn only_a_base_url_others_can_reach_gets_a_link() {
        assert_eq!(
            public_base_url("https://herald.example.com/"),
            Some("https://herald.example.com")
        );
        assert_eq!(
            public_base_url("http://10.0.0.5:8080"),
            Some("http://10.0.0.5:8080")
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://0.0.0.0:80",
            "http://[::1]:8080",
        ] {
            assert_eq!(public_base_url(local), None, "{local}");
        }
    }

    #[test]
    fn durations_are_spoken() {
        assert_eq!(spoken_duration(86_400_000), "24 hours");
        assert_eq!(spoken_duration(3 * 86_400_000), "3 days");
        assert_eq!(spoken_duration(1_800_000), "30 minutes");
        assert_eq!(spoken_duration(3_600_000), "1 hour");
        assert_eq!(spoken_duration(0), "at once");
        assert_eq!(spoken_duration(90_000), "90 seconds");
    }
}
