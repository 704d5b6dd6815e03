//! Decide: what one try's result means for the delivery. A pure function of the result, the
//! schedule and the clock, so every rule is a row in the table test below.

use herald_app::ssr::store::worker::Next;
use std::time::Duration;

/// Longest we wait for a `Retry-After` the receiver asked for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Why a try produced no HTTP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    Timeout,
    Connection,
    /// The request could not be written or the response not read.
    Request,
    /// Refused before any connection: the SSRF guard, or plain http in production.
    Blocked,
    /// Herald could not load the endpoint's signing secrets, so nothing was sent.
    Secrets,
}

impl ErrorClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Timeout => "timeout",
            ErrorClass::Connection => "connection",
            ErrorClass::Request => "request",
            ErrorClass::Blocked => "blocked",
            ErrorClass::Secrets => "secrets",
        }
    }
}

/// What one try came to.
#[derive(Debug, Clone)]
pub enum CallResult {
    Response {
        status: u16,
        /// The raw `Retry-After` header, if any: seconds or an HTTP date.
        retry_after: Option<String>,
    },
    Error {
        class: ErrorClass,
    },
}

/// The delivery's next state after a try, and whether the endpoint is to be disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub next: Next,
    pub disable_endpoint: Option<String>,
    /// The receiver asked to be left alone this long (`Retry-After` on a 429 or 503): the
    /// whole endpoint pauses, not just this delivery.
    pub pause_for: Option<Duration>,
}

/// Where the delivery stands when the try was made.
pub struct Schedule<'a> {
    /// Tries already made before this one.
    pub attempts_before: usize,
    /// Delays before each retry; its length is the number of retries.
    pub delays: &'a [Duration],
    pub now_ms: i64,
}

/// Success is a 2xx; anything else (3xx included: redirects are not followed) is a failure that
/// is retried per the schedule, at the time `Retry-After` asks for when given, until the
/// schedule runs out. 410 Gone ends the delivery and disables the endpoint.
pub fn decide(
    result: &CallResult,
    at: &Schedule<'_>,
    jitter: impl Fn(Duration) -> Duration,
) -> Decision {
    let retry_after = match result {
        CallResult::Response { status, .. } if (200..300).contains(status) => {
            return Decision {
                next: Next::Succeeded,
                disable_endpoint: None,
                pause_for: None,
            }
        }
        CallResult::Response { status: 410, .. } => {
            return Decision {
                next: Next::Failed,
                disable_endpoint: Some("the endpoint answered 410 Gone".into()),
                pause_for: None,
            }
        }
        CallResult::Response { retry_after, .. } => retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, at.now_ms)),
        CallResult::Error { .. } => None,
    };
    let retry_after = retry_after.map(|ra| ra.min(MAX_RETRY_AFTER));
    let next = match at.delays.get(at.attempts_before) {
        Some(delay) => {
            let wait = retry_after.unwrap_or_else(|| jitter(*delay));
            Next::RetryAt(at.now_ms.saturating_add(wait.as_millis() as i64))
        }
        None => Next::Failed,
    };
    let pause_for = match result {
        CallResult::Response {
            status: 429 | 503, ..
        } => retry_after.filter(|d| !d.is_zero()),
        _ => None,
    };
    Decision {
        next,
        disable_endpoint: None,
        pause_for,
    }
}

/// `Retry-After` as seconds or an HTTP date, relative to `now_ms`; a date in the past is now.
pub fn parse_retry_after(v: &str, now_ms: i64) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = when.timestamp_millis() - now_ms;
    Some(Duration::from_millis(ms.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const S: Duration = Duration::from_secs(1);

    fn resp(status: u16) -> CallResult {
        CallResult::Response {
            status,
            retry_after: None,
        }
    }

    fn resp_ra(status: u16, ra: &str) -> CallResult {
        CallResult::Response {
            status,
            retry_after: Some(ra.to_owned()),
        }
    }

    fn err(class: ErrorClass) -> CallResult {
        CallResult::Error { class }
    }

    #[test]
    fn each_result_leads_to_the_documented_next_state() {
        let in_90s = chrono::DateTime::from_timestamp_millis(NOW + 90_000)
            .expect("date")
            .to_rfc2822();
        let past = chrono::DateTime::from_timestamp_millis(NOW - 90_000)
            .expect("date")
            .to_rfc2822();
        let schedule = [5 * S, 60 * S];
        let gone = Some("the endpoint answered 410 Gone".to_owned());
        // (name, result, tries before, next, disable?)
        let table: Vec<(&str, CallResult, usize, Next, Option<String>)> = vec![
            ("200", resp(200), 0, Next::Succeeded, None),
            ("204", resp(204), 1, Next::Succeeded, None),
            ("299", resp(299), 2, Next::Succeeded, None),
            (
                "2xx after retries ran out",
                resp(200),
                9,
                Next::Succeeded,
                None,
            ),
            (
                "301 is a failure",
                resp(301),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            (
                "304 is a failure",
                resp(304),
                1,
                Next::RetryAt(NOW + 60_000),
                None,
            ),
            ("400", resp(400), 0, Next::RetryAt(NOW + 5_000), None),
            ("404", resp(404), 0, Next::RetryAt(NOW + 5_000), None),
            ("500", resp(500), 0, Next::RetryAt(NOW + 5_000), None),
            ("503", resp(503), 1, Next::RetryAt(NOW + 60_000), None),
            (
                "429 without Retry-After",
                resp(429),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            (
                "429 Retry-After seconds",
                resp_ra(429, "120"),
                0,
                Next::RetryAt(NOW + 120_000),
                None,
            ),
            (
                "429 Retry-After date",
                resp_ra(429, &in_90s),
                0,
                Next::RetryAt(NOW + 90_000),
                None,
            ),
            (
                "429 Retry-After date in the past",
                resp_ra(429, &past),
                0,
                Next::RetryAt(NOW),
                None,
            ),
            (
                "429 Retry-After garbage",
                resp_ra(429, "soon"),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            (
                "503 Retry-After beyond a day",
                resp_ra(503, "999999"),
                0,
                Next::RetryAt(NOW + 86_400_000),
                None,
            ),
            (
                "429 Retry-After, retries exhausted",
                resp_ra(429, "1"),
                2,
                Next::Failed,
                None,
            ),
            ("410 Gone", resp(410), 0, Next::Failed, gone.clone()),
            (
                "410 Gone with retries left",
                resp_ra(410, "1"),
                1,
                Next::Failed,
                gone,
            ),
            (
                "timeout",
                err(ErrorClass::Timeout),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            (
                "connection refused",
                err(ErrorClass::Connection),
                1,
                Next::RetryAt(NOW + 60_000),
                None,
            ),
            (
                "refused by the SSRF guard",
                err(ErrorClass::Blocked),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            (
                "secrets not loaded",
                err(ErrorClass::Secrets),
                0,
                Next::RetryAt(NOW + 5_000),
                None,
            ),
            ("500, retries exhausted", resp(500), 2, Next::Failed, None),
            (
                "timeout, retries exhausted",
                err(ErrorClass::Timeout),
                2,
                Next::Failed,
                None,
            ),
            (
                "secrets, retries exhausted",
                err(ErrorClass::Secrets),
                2,
                Next::Failed,
                None,
            ),
        ];
        for (name, result, before, next, disable) in table {
            let at = Schedule {
                attempts_before: before,
                delays: &schedule,
                now_ms: NOW,
            };
            let d = decide(&result, &at, |d| d);
            assert_eq!((d.next, d.disable_endpoint), (next, disable), "{name}");
        }
    }

    #[test]
    fn only_a_429_or_503_with_retry_after_pauses_the_endpoint() {
        let at = Schedule {
            attempts_before: 0,
            delays: &[5 * S],
            now_ms: NOW,
        };
        let pause = |r: CallResult| decide(&r, &at, |d| d).pause_for;
        assert_eq!(pause(resp_ra(429, "30")), Some(30 * S));
        assert_eq!(pause(resp_ra(503, "999999")), Some(MAX_RETRY_AFTER));
        assert_eq!(pause(resp_ra(500, "30")), None);
        assert_eq!(pause(resp_ra(429, "0")), None);
        assert_eq!(pause(resp_ra(429, "soon")), None);
        assert_eq!(pause(resp(429)), None);
        assert_eq!(pause(err(ErrorClass::Timeout)), None);
        // Retries exhausted: the delivery fails, and the endpoint still pauses as asked.
        let last = Schedule {
            attempts_before: 1,
            delays: &[5 * S],
            now_ms: NOW,
        };
        let d = decide(&resp_ra(429, "30"), &last, |d| d);
        assert_eq!((d.next, d.pause_for), (Next::Failed, Some(30 * S)));
    }

    #[test]
    fn the_schedule_delay_is_jittered_but_retry_after_is_not() {
        let at = Schedule {
            attempts_before: 0,
            delays: &[10 * S],
            now_ms: NOW,
        };
        let half = |d: Duration| d / 2;
        assert_eq!(
            decide(&resp(500), &at, half).next,
            Next::RetryAt(NOW + 5_000)
        );
        assert_eq!(
            decide(&resp_ra(503, "10"), &at, half).next,
            Next::RetryAt(NOW + 10_000)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("120", NOW), Some(120 * S));
        assert_eq!(parse_retry_after(" 7 ", NOW), Some(7 * S));
        // NOW is 2023-11-14 22:13:20 UTC.
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:14:20 GMT", NOW),
            Some(60 * S)
        );
        assert_eq!(parse_retry_after("soon", NOW), None);
    }
}
