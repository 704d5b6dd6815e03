//! The portal's side of sign-in, for server functions and the few plain routes around them: the
//! session cookie, who is asking, and what they may do in a company.
//!
//! Every portal server function starts with [`require`], which answers `NotFound` for a company
//! that is not the caller's (so other tenants' ids are invisible) and `Forbidden` when a
//! read-only caller asks for a change.

use crate::i18n::Locale;
use crate::ids::AppId;
use crate::portal::PortalError;
use crate::ssr::domain::audit::Actor;
use crate::ssr::domain::tenants;
use crate::ssr::store::sessions::{self, Session};
use crate::ssr::store::users::{self, Permission};
use crate::ssr::{AppState, ServiceError, Settings};
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, COOKIE, REFERER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use leptos::prelude::use_context;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "herald_session";
pub const LOCALE_COOKIE: &str = "herald_locale";

/// The caller of a portal server function, allowed into one company.
pub struct Caller {
    pub state: AppState,
    pub app: AppId,
    pub permission: Permission,
    pub session: Session,
}

impl Caller {
    pub fn can_write(&self) -> bool {
        self.permission >= Permission::Write
    }

    /// Who this is, as the audit trail names them: the domain functions this caller's changes go
    /// through file their entries under it.
    pub async fn actor(&self) -> Actor {
        match &self.session.user_id {
            Some(id) => {
                let email = users::email_of(&self.state.db, id).await.ok().flatten();
                Actor::User {
                    id: id.to_string(),
                    email: email.unwrap_or_else(|| id.to_string()),
                }
            }
            None => Actor::PortalLink {
                host_user: self.session.external_session_id.clone(),
            },
        }
    }
}

impl From<ServiceError> for PortalError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(_) => PortalError::NotFound,
            ServiceError::Validation(msg) => invalid(msg),
            ServiceError::Conflict { detail, .. } => PortalError::Invalid(detail),
            ServiceError::Forbidden(_) => PortalError::Forbidden,
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "portal: internal error");
                PortalError::Server
            }
        }
    }
}

/// The services name what is wrong the API's way ("url: must use https in production"). The
/// portal shows it next to the form's field, in a sentence for the person at the form.
fn invalid(msg: String) -> PortalError {
    use crate::i18n::Arg;

    /// What the SSRF guard calls an address it refuses.
    fn address_kind(locale: Locale, reason: &str) -> String {
        let key = match reason {
            "a cloud metadata address" => "endpoint-reason-cloud-metadata",
            "a loopback address" => "endpoint-reason-loopback",
            "a private network address" => "endpoint-reason-private",
            "a link-local address" => "endpoint-reason-link-local",
            "a carrier-grade NAT address" => "endpoint-reason-cgnat",
            "a reserved address" => "endpoint-reason-reserved",
            "a multicast address" => "endpoint-reason-multicast",
            "a benchmarking network address" => "endpoint-reason-benchmarking",
            "an IETF protocol assignment address" => "endpoint-reason-ietf",
            "an unspecified address" => "endpoint-reason-unspecified",
            "a private (unique local) address" => "endpoint-reason-unique-local",
            "a loopback host name" => "endpoint-reason-loopback-name",
            "a cloud metadata host name" => "endpoint-reason-metadata-name",
            _ => return reason.to_owned(),
        };
        locale.text(key)
    }

    /// The SSRF guard's "the URL points to a loopback address (127.0.0.1), which endpoints may
    /// not use" and its kin.
    fn forbidden_address(locale: Locale, what: &str) -> Option<String> {
        let rest = what.strip_suffix(", which endpoints may not use")?;
        if let Some(reason) = rest.strip_prefix("the URL's host is ") {
            let reason = Arg::from(address_kind(locale, reason));
            return Some(locale.text_with("endpoint-invalid-host-is", &[("reason", reason)]));
        }
        let (points_to, rest) = match rest.strip_prefix("the URL points to ") {
            Some(r) => (true, r),
            None => (false, rest.strip_prefix("the URL's host resolves to ")?),
        };
        let (reason, ip) = rest.strip_suffix(')')?.rsplit_once(" (")?;
        let args = [
            ("reason", Arg::from(address_kind(locale, reason))),
            ("ip", Arg::from(ip)),
        ];
        Some(if points_to {
            locale.text_with("endpoint-invalid-points-to", &args)
        } else {
            locale.text_with("endpoint-invalid-resolves-to", &args)
        })
    }

    /// The number in a rule worded "at most 50 headers".
    fn limit(what: &str, prefix: &str, suffix: &str) -> Option<Arg> {
        let n = what.strip_prefix(prefix)?.strip_suffix(suffix)?;
        n.parse::<i64>().ok().map(Arg::from)
    }

    let locale = request_locale();
    let Some((name, what)) = msg.split_once(": ") else {
        return PortalError::Invalid(msg);
    };
    let (field, label) = match name {
        "url" => ("url", "endpoint-invalid-the-url"),
        "description" => ("description", "endpoint-invalid-the-description"),
        "throttleRate" => ("rate_limit", "endpoint-invalid-the-rate-limit"),
        "eventTypes" | "filterTypes" => ("events", "endpoint-invalid-the-events"),
        "headers" => ("headers", "endpoint-invalid-the-headers"),
        "payload" => ("payload", "endpoint-invalid-the-payload"),
        _ => return PortalError::Invalid(msg),
    };
    let what = what.trim_end_matches('.');
    let named = |n: &str| [("name", Arg::from(n))];
    let message = match (field, what) {
        ("url", "must not be empty") => Some(locale.text("endpoint-invalid-url-empty")),
        ("url", "must have a host") => Some(locale.text("endpoint-invalid-url-example")),
        ("url", w) if w.starts_with("not a valid URL") => {
            Some(locale.text("endpoint-invalid-url-example"))
        }
        ("url", w) if w.starts_with("scheme must be") || w.starts_with("must use https") => {
            Some(locale.text("endpoint-invalid-url-https"))
        }
        (
            "url",
            "must not contain a user name or password; use endpoint headers for credentials",
        ) => Some(locale.text("endpoint-invalid-url-credentials")),
        ("url", w) => forbidden_address(locale, w),
        // "'X-Foo' is set by Herald and cannot be overridden"
        ("headers", w) if w.starts_with('\'') => {
            let quoted = |suffix: &str| w.strip_suffix(suffix).map(|n| n.replace('\'', ""));
            Some(
                if let Some(n) = quoted("' is set by Herald and cannot be overridden") {
                    locale.text_with("endpoint-invalid-header-reserved", &named(&n))
                } else if let Some(n) = quoted("' is not a valid header name") {
                    locale.text_with("endpoint-invalid-header-name", &named(&n))
                } else {
                    let problem = Arg::from(w.replace('\'', ""));
                    locale.text_with("endpoint-invalid-header-other", &[("problem", problem)])
                },
            )
        }
        ("headers", w) => limit(w, "at most ", " headers")
            .map(|max| locale.text_with("endpoint-invalid-too-many-headers", &[("max", max)]))
            .or_else(|| {
                let n = w
                    .strip_prefix("the value of '")?
                    .strip_suffix("' is not a valid header value")?;
                Some(locale.text_with("endpoint-invalid-header-value", &named(n)))
            }),
        ("events", w) => limit(w, "at most ", " event types")
            .map(|max| locale.text_with("endpoint-invalid-too-many-event-types", &[("max", max)]))
            .or_else(|| {
                let n = w
                    .strip_prefix('\'')?
                    .strip_suffix("' is not a valid event type name")?;
                Some(locale.text_with("endpoint-invalid-event-type-name", &named(n)))
            })
            .or_else(|| {
                let names = Arg::from(w.strip_prefix("unknown event type(s): ")?);
                Some(locale.text_with("endpoint-invalid-unknown-event-types", &[("names", names)]))
            }),
        _ => None,
    };
    let the_field = || Arg::from(locale.text(label));
    let message = message
        .or_else(|| {
            let max = limit(what, "must be at most ", " characters")?;
            let args = [("field", the_field()), ("max", max)];
            Some(locale.text_with("endpoint-invalid-too-long", &args))
        })
        .or_else(|| {
            let max = limit(what, "must be at most ", " bytes")?;
            let args = [("field", the_field()), ("max", max)];
            Some(locale.text_with("endpoint-invalid-too-large", &args))
        })
        .unwrap_or_else(|| {
            if what.starts_with("must ") {
                let args = [("field", the_field()), ("problem", Arg::from(what))];
                locale.text_with("endpoint-invalid-must", &args)
            } else {
                let mut c = what.chars();
                let first: String = c
                    .next()
                    .map(|f| f.to_uppercase().collect())
                    .unwrap_or_default();
                let problem = Arg::from(format!("{first}{}", c.as_str()));
                locale.text_with("endpoint-invalid-other", &[("problem", problem)])
            }
        });
    PortalError::field(field, message)
}

pub fn state() -> Result<AppState, PortalError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("portal: AppState missing from the server function context");
        PortalError::Server
    })
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The session token from the request's cookies, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
}

/// The language a page is rendered in: the portal link's (kept in a cookie beside its session,
/// so no page waits on the database to know it), then the browser's, then the deployment's.
pub fn locale_of(headers: &HeaderMap, default: Locale) -> Locale {
    cookie(headers, LOCALE_COOKIE)
        .filter(|v| v.len() <= 35)
        .and_then(Locale::parse)
        .or_else(|| {
            headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .filter(|v| v.len() <= 1024)
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or(default)
}

/// [`locale_of`] the request being served (the deployment's default outside one).
pub fn request_locale() -> Locale {
    let default = use_context::<AppState>()
        .map(|s| s.settings.portal_locale)
        .unwrap_or_default();
    use_context::<Parts>().map_or(default, |parts| locale_of(&parts.headers, default))
}

/// The session of the request being served, or `SignedOut`.
pub async fn current_session() -> Result<(AppState, Session), PortalError> {
    let state = state()?;
    let parts = use_context::<Parts>().ok_or(PortalError::SignedOut)?;
    let token = session_token(&parts.headers).ok_or(PortalError::SignedOut)?;
    let session = sessions::lookup(&state.db, &token)
        .await?
        .ok_or(PortalError::SignedOut)?;
    Ok((state, session))
}

/// The caller, allowed into `app` with at least `need`.
pub async fn require(app: &str, need: Permission) -> Result<Caller, PortalError> {
    let (state, session) = current_session().await?;
    let app = AppId::parse(app).ok_or(PortalError::NotFound)?;
    let permission = sessions::access(&state.db, &session, &app)
        .await?
        .ok_or(PortalError::NotFound)?;
    if permission < need {
        // Said as what is missing: a writer refused the team page is not read-only.
        return Err(if need == Permission::Admin {
            PortalError::AdminOnly
        } else {
            PortalError::Forbidden
        });
    }
    if need >= Permission::Write {
        if !state.settings.delivery_enabled {
            return Err(PortalError::Unavailable);
        }
        // A company the operator disabled may look, not change or send.
        tenants::ensure_active(&state.db, &app)
            .await
            .map_err(|e| match e {
                ServiceError::Forbidden(_) => PortalError::Paused,
                other => other.into(),
            })?;
    }
    Ok(Caller {
        state,
        app,
        permission,
        session,
    })
}

/// Cookies must cross sites when the portal is embedded in the host product's page, which
/// browsers allow only for `Secure; SameSite=None` cookies, partitioned per embedding site.
/// Over plain HTTP on a non-loopback host a `Secure` cookie would be dropped, so that case (a
/// development set-up without TLS) gets a first-party-only cookie instead.
fn cookie_attributes(settings: &Settings) -> &'static str {
    let base = settings.base_url.to_ascii_lowercase();
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| base.starts_with(p));
    if base.starts_with("https://") || loopback {
        "HttpOnly; Secure; SameSite=None; Partitioned"
    } else {
        "HttpOnly; SameSite=Lax"
    }
}

/// One `Set-Cookie` value: `value` for `max_age_secs`, or none, clearing it.
fn cookie_line(settings: &Settings, name: &str, value: Option<&str>, max_age_secs: i64) -> String {
    let (value, max_age) = value.map_or(("", 0), |v| (v, max_age_secs));
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; {}",
        cookie_attributes(settings)
    )
}

/// The cookies a new session sets: its token, and the language its portal link chose (or none,
/// clearing a language an earlier link left).
pub fn session_cookies(
    settings: &Settings,
    token: &str,
    max_age_secs: i64,
    locale: Option<Locale>,
) -> [String; 2] {
    [
        cookie_line(settings, SESSION_COOKIE, Some(token), max_age_secs),
        cookie_line(
            settings,
            LOCALE_COOKIE,
            locale.map(Locale::tag),
            max_age_secs,
        ),
    ]
}

/// The cookies signing out sets: both gone.
pub fn cleared_cookies(settings: &Settings) -> [String; 2] {
    [
        cookie_line(settings, SESSION_COOKIE, None, 0),
        cookie_line(settings, LOCALE_COOKIE, None, 0),
    ]
}

/// The HTTP status a portal error answers with when a server function is called over HTTP.
pub fn status_of(e: &PortalError) -> StatusCode {
    match e {
        PortalError::SignedOut => StatusCode::UNAUTHORIZED,
        PortalError::NotFound => StatusCode::NOT_FOUND,
        PortalError::Forbidden | PortalError::AdminOnly | PortalError::OperatorOnly => {
            StatusCode::FORBIDDEN
        }
        PortalError::Invalid(_) | PortalError::Field { .. } | PortalError::BadCredentials => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        PortalError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        PortalError::Paused => StatusCode::FORBIDDEN,
        PortalError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        PortalError::Server | PortalError::Network => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every portal server function passes its error through here. When the function was called
/// over HTTP (not while rendering a page on the server) the answer gets the error's status, and
/// a form posted without JavaScript is sent back to its page with the error in `?error=`, which
/// the page shows. With JavaScript the error simply returns to the form.
pub fn fail(e: PortalError) -> PortalError {
    let Some(parts) = use_context::<Parts>() else {
        return e;
    };
    let path = parts.uri.path();
    if !(path.starts_with("/portal/fn/") || path.starts_with("/admin/fn/")) {
        return e;
    }
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return e;
    };
    let plain_form = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let back = parts
        .headers
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok());
    match (plain_form, back) {
        (true, Some(mut back)) => {
            let kept: Vec<(String, String)> = back
                .query_pairs()
                .filter(|(k, _)| k != "error" && k != "error_field")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut pairs = back.query_pairs_mut();
            pairs
                .clear()
                .extend_pairs(kept)
                .append_pair("error", &e.to_string());
            if let PortalError::Field { field, .. } = &e {
                pairs.append_pair("error_field", field);
            }
            drop(pairs);
            let path = match back.query() {
                Some(q) => format!("{}?{q}", back.path()),
                None => back.path().to_owned(),
            };
            leptos_axum::redirect(&path);
        }
        _ => res.set_status(status_of(&e)),
    }
    e
}

/// Failed sign-ins per email: after `MAX_FAILURES` within `WINDOW`, further attempts are refused
/// until the window passes, whatever the password. Per process; enough to make guessing slow.
pub struct LoginLimiter;

const MAX_FAILURES: u32 = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);

fn failures() -> &'static Mutex<HashMap<String, (u32, Instant)>> {
    static F: std::sync::OnceLock<Mutex<HashMap<String, (u32, Instant)>>> =
        std::sync::OnceLock::new();
    F.get_or_init(|| Mutex::new(HashMap::new()))
}

impl LoginLimiter {
    pub fn is_locked(email: &str) -> bool {
        let Ok(map) = failures().lock() else {
            return false;
        };
        map.get(&email.trim().to_lowercase())
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < WINDOW)
    }

    pub fn record_failure(email: &str) {
        let Ok(mut map) = failures().lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map
            .entry(email.trim().to_lowercase())
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn clear(email: &str) {
        if let Ok(mut map) = failures().lock() {
            map.remove(&email.trim().to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            "a=1; herald_session=tok123; b=2".parse().expect("header"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("tok123"));
        h.insert(COOKIE, "herald_session=".parse().expect("header"));
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn cookies_can_cross_sites_only_where_browsers_allow_it() {
        let mut s = Settings {
            base_url: "https://hooks.example.com".into(),
            ..Settings::default()
        };
        assert!(session_cookies(&s, "t", 60, None)[0].contains("SameSite=None; Partitioned"));
        s.base_url = "http://127.0.0.1:8080".into();
        assert!(session_cookies(&s, "t", 60, None)[0].contains("Secure"));
        s.base_url = "http://10.0.0.5:8080".into();
        let [c, _] = session_cookies(&s, "t", 60, None);
        assert!(c.contains("SameSite=Lax") && !c.contains("Secure"), "{c}");
    }

    #[test]
    fn five_failures_lock_an_email_for_a_while() {
        let email = "locked-test@example.com";
        for _ in 0..MAX_FAILURES {
            assert!(!LoginLimiter::is_locked(email));
            LoginLimiter::record_failure(email);
        }
        assert!(LoginLimiter::is_locked("Locked-Test@example.com"));
        LoginLimiter::clear(email);
        assert!(!LoginLimiter::is_locked(email));
    }
}
