//! The company portal: what a company admin sees and does. Pages live in the submodules; the
//! data they show and the changes they make go through the server functions in [`api`], which
//! check the caller's session and permission on every call.

pub mod api;
pub mod audit_text;
pub mod pages;
pub mod widgets;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What the portal's server functions answer when they cannot do what was asked. The text of
/// each is written for the person in front of the page: internal causes are logged on the
/// server and never travel to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortalError {
    #[error("Your session has ended. Open Webhooks again from your product, or sign in.")]
    SignedOut,
    #[error("There is nothing here, or it belongs to another company.")]
    NotFound,
    #[error("You have read-only access to this company's webhooks.")]
    Forbidden,
    #[error("Only this company's admins manage its team and read its audit trail.")]
    AdminOnly,
    #[error("Only the operators of this Herald deployment can open its console.")]
    OperatorOnly,
    #[error("{0}")]
    Invalid(String),
    /// What is wrong with one field of a form (`field`: its `name`), shown next to it.
    #[error("{message}")]
    Field { field: String, message: String },
    #[error("Webhooks aren't available in this environment.")]
    Unavailable,
    #[error("The operator has paused this company's webhooks: nothing can be changed or sent until they resume them.")]
    Paused,
    #[error("Too many failed attempts. Wait 15 minutes and try again.")]
    RateLimited,
    #[error("The email or password is not right.")]
    BadCredentials,
    #[error("Something went wrong on our side. Try again in a moment.")]
    Server,
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
}

impl PortalError {
    /// What the page says, in its language. (`Display` stays English, for logs.) A refusal the
    /// server wrote (`Invalid`, `Field`) was written in the caller's language there.
    pub fn message(&self) -> String {
        let key = match self {
            PortalError::Invalid(text) | PortalError::Field { message: text, .. } => {
                return text.clone()
            }
            PortalError::SignedOut => "error-signed-out",
            PortalError::NotFound => "error-not-found",
            PortalError::Forbidden => "error-forbidden",
            PortalError::AdminOnly => "error-admin-only",
            PortalError::OperatorOnly => "error-operator-only",
            PortalError::Unavailable => "error-unavailable",
            PortalError::Paused => "error-paused",
            PortalError::RateLimited => "error-rate-limited",
            PortalError::BadCredentials => "error-bad-credentials",
            PortalError::Server => "error-server",
            PortalError::Network => "error-network",
        };
        crate::i18n::t(key)
    }

    pub fn field(field: &str, message: impl Into<String>) -> PortalError {
        PortalError::Field {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl FromServerFnError for PortalError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => PortalError::Network,
            ServerFnErrorErr::Args(msg) => {
                PortalError::Invalid(format!("The form is incomplete: {msg}"))
            }
            _ => PortalError::Server,
        }
    }
}

/// Who is looking at a company's portal, and what they may do there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub app_id: String,
    pub app_name: String,
    pub can_write: bool,
    /// Manages the company's users and reads its audit trail.
    pub is_admin: bool,
    /// Set for password sign-ins; magic-link sessions have no email.
    pub email: Option<String>,
    pub delivery_enabled: bool,
    /// Other companies this user may switch to: (id, name).
    pub companies: Vec<(String, String)>,
    /// The host product's name, logo, accent and theme for this session.
    pub look: crate::branding::Look,
    /// The language of this session's pages: its portal link's, or the browser's.
    pub locale: crate::i18n::Locale,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointSummary {
    pub id: String,
    pub url: String,
    pub description: String,
    pub disabled: bool,
    pub disabled_reason: Option<String>,
    /// Share of deliveries that arrived, among those finished in the last 24 hours (by
    /// message: one that needed a retry counts as a success).
    pub success_rate: Option<f64>,
    /// Tries that succeeded and failed per hour over the last 24 hours, oldest first.
    pub hourly: Vec<(u32, u32)>,
    pub health: EndpointHealth,
}

/// An endpoint on a bad day: what the company needs to know why events are not arriving.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EndpointHealth {
    /// Failing without a success since then (Unix ms).
    pub failing_since: Option<i64>,
    pub consecutive_failures: i64,
    /// Paused: nothing is sent before then, when one probe goes (Unix ms).
    pub paused_until: Option<i64>,
    /// The endpoint itself asked for the pause (`Retry-After`), rather than failing.
    pub paused_by_receiver: bool,
    /// Deliveries pending for it; `waiting_more` when there are more than counted.
    pub waiting: i64,
    pub waiting_more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointDetail {
    pub id: String,
    pub url: String,
    pub description: String,
    pub disabled: bool,
    pub disabled_reason: Option<String>,
    /// `None`: every event type.
    pub event_types: Option<Vec<String>>,
    /// Its `throttleRate`: at most this many sends a second.
    pub rate_limit: Option<i64>,
    /// The headers sent with each delivery, by name.
    pub headers: Vec<HeaderRow>,
    pub created_at: i64,
    /// Share of deliveries that arrived, among those finished in the last 24 hours.
    pub success_rate: Option<f64>,
    pub day: HealthWindow,
    pub week: HealthWindow,
    /// The last try that succeeded within the week (Unix ms).
    pub last_success_at: Option<i64>,
}

/// A custom header of an endpoint. `value` is `None` for one whose name suggests a credential:
/// the portal never shows it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeaderRow {
    pub name: String,
    pub value: Option<String>,
}

/// How an endpoint did over a window (24 hours, 7 days): its deliveries, by message, and its
/// tries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthWindow {
    /// Deliveries that arrived, and how many of them on the first try.
    pub delivered: i64,
    pub delivered_first_try: i64,
    /// Deliveries that failed for good.
    pub failed: i64,
    pub attempts: i64,
    pub attempts_failed: i64,
    /// How fast tries were answered: half, 95 % and 99 % within ("≤ 250 ms", "> 10 s");
    /// `None` without tries.
    pub p50: Option<String>,
    pub p95: Option<String>,
    pub p99: Option<String>,
}

impl HealthWindow {
    /// Delivered among deliveries finished: a delivery that needed a retry is a success.
    pub fn success_rate(&self) -> Option<f64> {
        let done = self.delivered + self.failed;
        (done > 0).then(|| self.delivered as f64 / done as f64)
    }
}

/// How receivers check deliveries under this deployment's contract, for the secret's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationGuide {
    /// The headers and what is signed, in one sentence.
    pub summary: String,
    /// `(language, code)`, each defining `verify(secret, headers, body)`.
    pub snippets: Vec<(String, String)>,
    /// The portal shows a secret once, when it is made.
    pub secret_shown_once: bool,
    /// A rotation ends the old secret at once (no grace period to choose).
    pub rotation_immediate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventTypeInfo {
    pub name: String,
    pub description: String,
    pub category: Option<String>,
    pub deprecated: bool,
    /// Pretty-printed JSON.
    pub example: String,
    pub schema: Option<String>,
    /// The newest schema's fields, for people to read.
    pub fields: Vec<SchemaFieldRow>,
}

/// One field of an event's payload: its dotted path, type, whether it is always there, and what
/// it means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemaFieldRow {
    pub path: String,
    pub kind: String,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub id: String,
    pub msg_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub event_type: String,
    pub succeeded: bool,
    /// 0 when no HTTP response came back (timeout, refused connection...).
    pub status_code: i64,
    pub duration_ms: i64,
    pub manual: bool,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptPage {
    pub rows: Vec<AttemptRow>,
    /// Pass as `before` for the next (older) page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptDetail {
    pub row: AttemptRow,
    /// As sent, credentials of the endpoint hidden.
    pub request_headers: Vec<(String, String)>,
    /// The body sent, byte for byte; `None` when not recorded or expunged.
    pub request_body: Option<String>,
    /// The attempt kept what it sent (see `domain::attempts::SentRequest`).
    pub body_recorded: bool,
    /// The message's payload, for an attempt made before bodies were recorded.
    pub payload: Option<String>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<String>,
    /// The response went on past the 64 KiB kept.
    pub response_truncated: bool,
    pub error: Option<String>,
    /// How the signature is computed, in one sentence (the deployment's scheme).
    pub signature_help: String,
}

/// The company's plan and how much of it is used this hour.
/// One delivery in a log: the message it carries and its one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLogRow {
    pub msg_id: String,
    pub event_id: Option<String>,
    pub event_type: String,
    /// When the message was accepted (Unix ms).
    pub created_at: i64,
    /// A test someone sent from the portal, not an event of the product.
    pub test: bool,
    pub delivery: DeliveryLine,
}

/// A page of a delivery log, newest first; `older` and `newer` are the cursors of the pages
/// beside it (`before=` and `after=` in links), when there are any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLogPage {
    pub rows: Vec<DeliveryLogRow>,
    pub older: Option<String>,
    pub newer: Option<String>,
}

impl DeliveryLogPage {
    /// Rows a page shows.
    pub const SIZE: i64 = 50;
}

/// What "send what this endpoint missed" would send, before the admin confirms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissedPreview {
    pub failed: u64,
    pub skipped: u64,
    /// Counting stopped early: there are at least this many.
    pub more: bool,
    /// Deliveries waiting behind the endpoint: they go without this send.
    pub waiting: i64,
    pub endpoint_disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageInfo {
    pub plan: String,
    pub endpoints: i64,
    pub endpoints_limit: i64,
    pub sent_this_hour: i64,
    pub per_hour_limit: i64,
    pub held: i64,
    /// When the hour ends and held deliveries may go (Unix ms).
    pub window_ends_at: i64,
}

/// Something the company should know about: an endpoint disabled, an event that could not be
/// delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// `endpoint.disabled`, `message.attempt.failing` or `message.attempt.exhausted`.
    pub kind: String,
    pub summary: String,
    pub at: i64,
}

/// A delivery held back by the plan's hourly limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldRow {
    pub msg_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub event_type: String,
    pub since: i64,
    pub next_try: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: String,
    pub email: String,
    /// `integration.read`, `integration.write` or `admin`.
    pub permission: String,
    pub is_me: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteRow {
    pub email: String,
    pub permission: String,
    pub invited_by: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub members: Vec<MemberRow>,
    pub invites: Vec<InviteRow>,
}

/// An invite just made: the link (shown to the admin once) and whether it was emailed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteSent {
    pub link: String,
    pub emailed: bool,
}

/// What an invite link offers, shown before it is accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteDetails {
    pub company: String,
    pub email: String,
    pub permission: String,
    pub has_account: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    /// The company the entry concerns, on the operator's trail, which spans them all.
    pub company: Option<String>,
    /// The entry as a sentence: "ana@acme.test rotated the signing secret of https://…".
    pub summary: String,
    /// The changes as readable lines, e.g. `URL: https://a → https://b`.
    pub details: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub next: Option<String>,
}

/// An audit entry as a page shows it: a sentence, and the changes as lines.
#[cfg(feature = "ssr")]
pub fn audit_row(
    e: crate::ssr::store::audit::Entry,
    subject: &str,
    company: Option<String>,
) -> AuditRow {
    let changes: serde_json::Value = serde_json::from_str(&e.changes).unwrap_or_default();
    let locale = crate::ssr::portal_auth::request_locale();
    AuditRow {
        at: e.created_at,
        summary: audit_text::sentence(locale, &e.actor_name, &e.action, subject, &changes),
        details: audit_text::detail_lines(locale, &changes),
        actor: e.actor_name,
        action: e.action,
        target: e.target,
        company,
    }
}

/// Event types grouped by category for pickers and the catalogue; uncategorised ones last.
pub fn by_category(types: &[EventTypeInfo]) -> Vec<(String, Vec<EventTypeInfo>)> {
    let mut groups: Vec<(String, Vec<EventTypeInfo>)> = Vec::new();
    for t in types {
        let cat = t.category.clone().unwrap_or_else(|| "Other".to_owned());
        match groups.iter_mut().find(|(c, _)| *c == cat) {
            Some((_, list)) => list.push(t.clone()),
            None => groups.push((cat, vec![t.clone()])),
        }
    }
    groups.sort_by(|a, b| (a.0 == "Other", &a.0).cmp(&(b.0 == "Other", &b.0)));
    groups
}

/// One message as the company sent it, where it went, and every try.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageDetail {
    pub id: String,
    /// The host product's own id for the event, when it gave one.
    pub event_id: Option<String>,
    pub event_type: String,
    pub created_at: i64,
    /// A test someone sent from the portal, not an event of the product.
    pub test: bool,
    /// The payload exactly as received; `None` once expunged.
    pub payload: Option<String>,
    pub deliveries: Vec<DeliveryLine>,
    /// Newest first; at most [`MessageDetail::ATTEMPTS_SHOWN`].
    pub attempts: Vec<AttemptRow>,
}

impl MessageDetail {
    pub const ATTEMPTS_SHOWN: usize = 100;
}

/// One delivery of a message: its endpoint, the one state it is in and why, and what can be
/// done about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub endpoint_id: String,
    pub url: String,
    /// delivered, sending, queued, retrying, waiting, held, skipped or failed (as the API's
    /// `state`).
    pub state: String,
    /// The state in a sentence.
    pub detail: String,
    pub tries: i64,
    pub max_tries: i64,
    /// The last try's HTTP status; 0 when no answer came back.
    pub last_status_code: Option<i64>,
    /// When it is tried next, where that is known (Unix ms).
    pub next_at: Option<i64>,
    pub action: Option<DeliveryAction>,
}

/// What the message view offers for a delivery, given its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryAction {
    /// Failed, skipped but sendable, or retrying later than soon: send it now.
    SendNow,
    /// Delivered: send it once more.
    SendAgain,
    /// Waits behind a disabled endpoint: enabling the endpoint sends it.
    EnableEndpoint,
}
