//! The state every entry point shares: the database, the key for secrets at rest, the settings
//! services need, and the bell that wakes the delivery workers when work is accepted.

use crate::ssr::infra::crypto::SecretsKey;
use crate::ssr::infra::db::Db;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Where users reach this server; portal links are built on it.
    pub base_url: String,
    pub allow_private_networks: bool,
    pub production: bool,
    pub retry_schedule: Vec<Duration>,
    pub request_timeout: Duration,
    pub auto_disable_after: u32,
    pub portal_link_ttl: Duration,
    pub delivery_enabled: bool,
    /// Origins allowed to show the portal in an iframe (`frame-ancestors`).
    pub embed_origins: Vec<String>,
    /// The window plans' "deliveries per hour" count in: an hour, shortened only by tests.
    pub plan_window: Duration,
    /// Signature scheme, secret format, envelope and extra headers of every delivery.
    pub delivery: crate::ssr::delivery::DeliveryProfile,
    /// Send slots per endpoint, pausing failing endpoints, auto-disable timing, leases.
    pub scheduling: crate::ssr::delivery::schedule::Scheduling,
    /// The portal's look for every company, under each company's and each link's own.
    pub branding: crate::branding::Branding,
    /// The portal's language where neither the portal link nor the browser names one of ours.
    pub portal_locale: crate::i18n::Locale,
}

impl Default for Settings {
    fn default() -> Self {
        let preset = crate::ssr::delivery::Preset::Standard.defaults();
        Settings {
            base_url: "http://127.0.0.1:8080".into(),
            allow_private_networks: false,
            production: false,
            retry_schedule: preset.retry_schedule,
            request_timeout: preset.request_timeout,
            auto_disable_after: preset.auto_disable_after,
            portal_link_ttl: Duration::from_secs(60),
            delivery_enabled: true,
            embed_origins: Vec::new(),
            plan_window: Duration::from_secs(3600),
            delivery: preset.profile,
            scheduling: Default::default(),
            branding: Default::default(),
            portal_locale: Default::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub key: SecretsKey,
    pub settings: Arc<Settings>,
    /// Rung after a commit that made deliveries due, so workers start at once instead of polling.
    pub wake: Arc<Notify>,
    /// Commits accepted messages in groups (see [`crate::ssr::domain::intake`]).
    pub ingest: crate::ssr::domain::intake::Ingest,
    /// Sends invitations; `None` when no SMTP server is configured.
    pub mailer: Option<crate::ssr::infra::mail::Mailer>,
}

impl AppState {
    /// Tells the delivery workers that work became due: this process at once, and on PostgreSQL
    /// every other instance through NOTIFY. Losing the NOTIFY is harmless: workers also poll.
    pub async fn work_accepted(&self) {
        self.wake.notify_one();
        if let Err(e) = crate::ssr::store::messages::notify_work_now(&self.db).await {
            tracing::warn!(error = %e, "could not NOTIFY other instances");
        }
    }
}
