//! Configuration: an optional `herald.toml`, then `HERALD_*` environment variables, which win.
//! Every value is parsed here, once; a bad value stops start-up with one line naming the key.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use herald_app::branding::{Branding, Theme};
use herald_app::i18n::Locale;
use herald_app::ssr::delivery::schedule::Scheduling;
use herald_app::ssr::delivery::{DeliveryProfile, Preset, SignatureScheme};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Env {
    Development,
    Production,
}

/// A secret value from the configuration; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    pub base_url: Option<String>,
    pub bootstrap_api_key: Option<Secret>,
    pub allow_private_networks: bool,
    pub retry_schedule: Vec<Duration>,
    pub request_timeout: Duration,
    pub env: Env,
    pub secrets_key: Option<Secret>,
    pub data_dir: PathBuf,
    pub auto_disable_after: u32,
    pub portal_link_ttl: Duration,
    pub delivery_enabled: bool,
    pub worker_concurrency: usize,
    pub site_root: String,
    pub log_format: LogFormat,
    /// Origins (scheme://host[:port]) whose pages may show the portal in an iframe.
    pub embed_origins: Vec<String>,
    /// The window plans' hourly limits count in. One hour; tests shorten it.
    pub plan_window: Duration,
    /// How often the retention purge and other upkeep run.
    pub maintenance_interval: Duration,
    /// Where invitations are sent from; both or neither.
    pub smtp_url: Option<Secret>,
    pub mail_from: Option<String>,
    /// How deliveries look on the wire: `PRESET`, then any of its parts set one by one.
    pub delivery: DeliveryProfile,
    /// The only proxy deliveries go through; `HTTP_PROXY` and the like are ignored, since a
    /// proxy resolving the target itself would step around the SSRF guard.
    pub delivery_proxy: Option<Secret>,
    /// Send slots per endpoint, pausing failing endpoints, auto-disable timing, leases.
    pub scheduling: Scheduling,
    /// The portal's look for every company: `PORTAL_NAME`, `PORTAL_LOGO_URL`,
    /// `PORTAL_ACCENT_COLOR`, `PORTAL_THEME`.
    pub branding: Branding,
    /// The portal's language where neither the portal link nor the browser names one of ours.
    pub portal_locale: Locale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// One line, naming the key and what is wrong with its value.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn err(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_owned(),
        problem: problem.into(),
    }
}

const KEYS: &[&str] = &[
    "BIND",
    "DATABASE_URL",
    "BASE_URL",
    "BOOTSTRAP_API_KEY",
    "ALLOW_PRIVATE_NETWORKS",
    "RETRY_SCHEDULE",
    "REQUEST_TIMEOUT",
    "ENV",
    "SECRETS_KEY",
    "DATA_DIR",
    "AUTO_DISABLE_AFTER",
    "PORTAL_LINK_TTL",
    "DELIVERY_ENABLED",
    "WORKER_CONCURRENCY",
    "SITE_ROOT",
    "LOG_FORMAT",
    "EMBED_ORIGINS",
    "PLAN_WINDOW",
    "MAINTENANCE_INTERVAL",
    "SMTP_URL",
    "MAIL_FROM",
    "PRESET",
    "SIGNATURE_SCHEME",
    "SIGNATURE_HEADER",
    "SECRET_FORMAT",
    "ENVELOPE",
    "EVENT_HEADER",
    "DELIVERY_ID_HEADER",
    "USER_AGENT",
    "RETRY_JITTER",
    "SECRET_SHOWN_ONCE",
    "DELIVERY_PROXY",
    "ENDPOINT_CONCURRENCY",
    "COMPANY_CONCURRENCY",
    "PAUSE_AFTER",
    "PROBE_INTERVAL",
    "MAX_PROBE_INTERVAL",
    "AUTO_DISABLE_MIN_FAILING",
    "LEASE",
    "PORTAL_NAME",
    "PORTAL_LOGO_URL",
    "PORTAL_ACCENT_COLOR",
    "PORTAL_THEME",
    "PORTAL_UPGRADE_URL",
    "PORTAL_LOCALE",
];

impl Default for Config {
    fn default() -> Self {
        let settings = herald_app::ssr::Settings::default();
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/herald.db".into(),
            base_url: None,
            bootstrap_api_key: None,
            allow_private_networks: false,
            retry_schedule: settings.retry_schedule,
            request_timeout: settings.request_timeout,
            env: Env::Development,
            secrets_key: None,
            data_dir: PathBuf::from("data"),
            auto_disable_after: settings.auto_disable_after,
            portal_link_ttl: settings.portal_link_ttl,
            delivery_enabled: true,
            worker_concurrency: 128,
            site_root: "target/site".into(),
            log_format: LogFormat::Text,
            embed_origins: Vec::new(),
            plan_window: settings.plan_window,
            maintenance_interval: Duration::from_secs(300),
            smtp_url: None,
            mail_from: None,
            delivery: settings.delivery,
            delivery_proxy: None,
            scheduling: settings.scheduling,
            branding: settings.branding,
            portal_locale: settings.portal_locale,
        }
    }
}

impl Config {
    /// Reads `herald.toml` (or the file `HERALD_CONFIG` names) and the process environment.
    pub fn load() -> Result<Config, ConfigError> {
        let path = std::env::var("HERALD_CONFIG").ok();
        let file_values = match &path {
            Some(p) => read_toml(p, true)?,
            None => read_toml("herald.toml", false)?,
        };
        let env: BTreeMap<String, String> = std::env::vars()
            .filter_map(|(k, v)| k.strip_prefix("HERALD_").map(|k| (k.to_owned(), v)))
            .filter(|(k, _)| KEYS.contains(&k.as_str()))
            .collect();
        Config::from_values(file_values.into_iter().chain(env).collect())
    }

    /// Builds a configuration from `KEY -> value` pairs (keys without the `HERALD_` prefix).
    pub fn from_values(values: BTreeMap<String, String>) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        // The preset first, whatever the order of the keys: the other keys override its parts.
        if let Some(v) = values.get("PRESET") {
            let preset: Preset = v.trim().parse().map_err(|e| err("HERALD_PRESET", e))?;
            let d = preset.defaults();
            c.delivery = d.profile;
            c.retry_schedule = d.retry_schedule;
            c.request_timeout = d.request_timeout;
            c.auto_disable_after = d.auto_disable_after;
            c.scheduling.auto_disable_min_failing = d.auto_disable_min_failing;
        }
        let mut signature_header = None;
        let mut endpoint_concurrency_set = false;
        let mut company_concurrency_set = false;
        for (key, raw) in &values {
            let name = format!("HERALD_{key}");
            let k = name.as_str();
            let v = raw.trim();
            match key.as_str() {
                "BIND" => {
                    c.bind = v.parse().map_err(|_| {
                        err(
                            k,
                            format!("'{v}' is not an address:port such as 127.0.0.1:8080"),
                        )
                    })?
                }
                "DATABASE_URL" => {
                    if !(v.starts_with("sqlite:")
                        || v.starts_with("postgres://")
                        || v.starts_with("postgresql://"))
                    {
                        return Err(err(k, "must start with sqlite:// or postgres://"));
                    }
                    c.database_url = v.to_owned();
                }
                "BASE_URL" => {
                    let u = url::Url::parse(v)
                        .map_err(|e| err(k, format!("'{v}' is not a URL ({e})")))?;
                    if !matches!(u.scheme(), "http" | "https") {
                        return Err(err(k, "must be an http:// or https:// URL"));
                    }
                    c.base_url = Some(v.trim_end_matches('/').to_owned());
                }
                "BOOTSTRAP_API_KEY" => {
                    if v.len() < 24 {
                        return Err(err(k, "must be at least 24 characters"));
                    }
                    c.bootstrap_api_key = Some(Secret(v.to_owned()));
                }
                "ALLOW_PRIVATE_NETWORKS" => c.allow_private_networks = parse_bool(k, v)?,
                "DELIVERY_ENABLED" => c.delivery_enabled = parse_bool(k, v)?,
                // Empty means none, so a deployment can unset a value its herald.toml gives.
                "DELIVERY_PROXY" if v.is_empty() => c.delivery_proxy = None,
                "DELIVERY_PROXY" => {
                    let u = url::Url::parse(v)
                        .map_err(|_| err(k, "not a URL such as http://proxy.internal:3128"))?;
                    if !matches!(u.scheme(), "http" | "https") {
                        return Err(err(k, "must be an http:// or https:// URL"));
                    }
                    c.delivery_proxy = Some(Secret(v.to_owned()));
                }
                "RETRY_SCHEDULE" => {
                    c.retry_schedule = v
                        .split(',')
                        .map(|p| parse_duration(k, p.trim()))
                        .collect::<Result<_, _>>()?;
                    if c.retry_schedule.len() > 50 {
                        return Err(err(k, "at most 50 retries"));
                    }
                }
                "REQUEST_TIMEOUT" => {
                    c.request_timeout = parse_duration(k, v)?;
                    if c.request_timeout.is_zero() || c.request_timeout > Duration::from_secs(300) {
                        return Err(err(k, "must be between 1ms and 5m"));
                    }
                }
                "PORTAL_LINK_TTL" => c.portal_link_ttl = parse_duration(k, v)?,
                "ENV" => {
                    c.env = match v {
                        "development" | "dev" => Env::Development,
                        "production" | "prod" => Env::Production,
                        _ => {
                            return Err(err(
                                k,
                                format!("'{v}' is not one of: development, production"),
                            ))
                        }
                    }
                }
                "SECRETS_KEY" => {
                    herald_app::ssr::infra::crypto::SecretsKey::parse(v)
                        .map_err(|e| err(k, e.to_string()))?;
                    c.secrets_key = Some(Secret(v.to_owned()));
                }
                "DATA_DIR" => c.data_dir = PathBuf::from(v),
                "AUTO_DISABLE_AFTER" => {
                    c.auto_disable_after = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| err(k, format!("'{v}' is not a whole number above 0")))?
                }
                "WORKER_CONCURRENCY" => c.worker_concurrency = parse_slots(k, v)?,
                "ENDPOINT_CONCURRENCY" => {
                    endpoint_concurrency_set = true;
                    c.scheduling.endpoint_concurrency = parse_slots(k, v)?
                }
                "COMPANY_CONCURRENCY" => {
                    company_concurrency_set = true;
                    c.scheduling.company_concurrency = parse_slots(k, v)?
                }
                "PAUSE_AFTER" => {
                    c.scheduling.pause_after = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| err(k, format!("'{v}' is not a whole number above 0")))?
                }
                "PROBE_INTERVAL" => {
                    c.scheduling.probe_interval = parse_duration(k, v)?;
                    if c.scheduling.probe_interval.is_zero() {
                        return Err(err(k, "must be above 0"));
                    }
                }
                "MAX_PROBE_INTERVAL" => {
                    c.scheduling.max_probe_interval = parse_duration(k, v)?;
                    if c.scheduling.max_probe_interval.is_zero() {
                        return Err(err(k, "must be above 0"));
                    }
                }
                "AUTO_DISABLE_MIN_FAILING" => {
                    c.scheduling.auto_disable_min_failing = parse_duration(k, v)?
                }
                "LEASE" => {
                    c.scheduling.lease = parse_duration(k, v)?;
                    if !(Duration::from_secs(1)..=Duration::from_secs(600))
                        .contains(&c.scheduling.lease)
                    {
                        return Err(err(k, "must be between 1s and 10m"));
                    }
                }
                "SITE_ROOT" => c.site_root = v.to_owned(),
                "LOG_FORMAT" => {
                    c.log_format = match v {
                        "text" => LogFormat::Text,
                        "json" => LogFormat::Json,
                        _ => return Err(err(k, format!("'{v}' is not one of: text, json"))),
                    }
                }
                "EMBED_ORIGINS" => c.embed_origins = parse_origins(k, v)?,
                "SMTP_URL" => {
                    if !(v.starts_with("smtp://") || v.starts_with("smtps://")) {
                        return Err(err(k, "must start with smtp:// or smtps://"));
                    }
                    c.smtp_url = Some(Secret(v.to_owned()));
                }
                "MAIL_FROM" => {
                    if !v.contains('@') {
                        return Err(err(k, format!("'{v}' is not a mail address")));
                    }
                    c.mail_from = Some(v.to_owned());
                }
                "MAINTENANCE_INTERVAL" => {
                    c.maintenance_interval = parse_duration(k, v)?;
                    if c.maintenance_interval < Duration::from_secs(1) {
                        return Err(err(k, "must be at least 1s"));
                    }
                }
                "PLAN_WINDOW" => {
                    c.plan_window = parse_duration(k, v)?;
                    if c.plan_window < Duration::from_secs(1) {
                        return Err(err(k, "must be at least 1s"));
                    }
                }
                "PRESET" => {}
                "SIGNATURE_SCHEME" => {
                    c.delivery.signature = match v {
                        "standard-webhooks" => SignatureScheme::StandardWebhooks,
                        "timestamp-hex" => SignatureScheme::TimestampHex,
                        "body-base64" => SignatureScheme::BodyBase64 {
                            header: "X-Signature".into(),
                        },
                        _ => {
                            return Err(err(
                                k,
                                format!("'{v}' is not one of: {}", SignatureScheme::NAMES),
                            ))
                        }
                    }
                }
                "SIGNATURE_HEADER" => signature_header = Some(parse_header_name(k, v)?),
                "SECRET_FORMAT" => c.delivery.secret_format = v.parse().map_err(|e| err(k, e))?,
                "ENVELOPE" => c.delivery.envelope = v.parse().map_err(|e| err(k, e))?,
                "EVENT_HEADER" => c.delivery.event_header = optional_header(k, v)?,
                "DELIVERY_ID_HEADER" => c.delivery.delivery_id_header = optional_header(k, v)?,
                "USER_AGENT" => {
                    if v.is_empty()
                        || v.len() > 200
                        || !v.bytes().all(|b| (b' '..=b'~').contains(&b))
                    {
                        return Err(err(k, "must be 1 to 200 printable ASCII characters"));
                    }
                    c.delivery.user_agent = Some(v.to_owned());
                }
                "RETRY_JITTER" => c.delivery.retry_jitter = parse_fraction(k, v)?,
                "SECRET_SHOWN_ONCE" => c.delivery.secret_shown_once = parse_bool(k, v)?,
                "PORTAL_NAME" => c.branding.display_name = Some(v.to_owned()),
                "PORTAL_LOGO_URL" => c.branding.logo_url = Some(v.to_owned()),
                "PORTAL_UPGRADE_URL" => c.branding.upgrade_url = Some(v.to_owned()),
                "PORTAL_ACCENT_COLOR" => c.branding.accent_color = Some(v.to_owned()),
                "PORTAL_THEME" => {
                    c.branding.theme =
                        Some(Theme::parse(v).ok_or_else(|| {
                            err(k, format!("'{v}' is not one of: light, dark, auto"))
                        })?)
                }
                "PORTAL_LOCALE" => {
                    c.portal_locale = Locale::parse(v)
                        .ok_or_else(|| err(k, format!("'{v}' is not one of: en, fr, ar")))?
                }
                _ => return Err(err(k, "unknown setting")),
            }
        }
        c.branding = c.branding.normalized();
        c.branding.validate().map_err(|e| {
            let key = match e.field {
                "displayName" => "HERALD_PORTAL_NAME",
                "logoUrl" => "HERALD_PORTAL_LOGO_URL",
                "upgradeUrl" => "HERALD_PORTAL_UPGRADE_URL",
                _ => "HERALD_PORTAL_ACCENT_COLOR",
            };
            err(key, e.message)
        })?;
        if let Some(h) = signature_header {
            match &mut c.delivery.signature {
                SignatureScheme::BodyBase64 { header } => *header = h,
                _ => {
                    return Err(err(
                        "HERALD_SIGNATURE_HEADER",
                        "only the body-base64 signature scheme names its header",
                    ))
                }
            }
        }
        if !values.contains_key("DATABASE_URL") {
            c.database_url = format!("sqlite://{}", c.data_dir.join("herald.db").display());
        }
        if c.smtp_url.is_some() != c.mail_from.is_some() {
            return Err(err(
                "HERALD_SMTP_URL",
                "set HERALD_SMTP_URL and HERALD_MAIL_FROM together, or neither",
            ));
        }
        c.scheduling.slots = c.worker_concurrency;
        if !endpoint_concurrency_set {
            // Three quarters of the slots: a healthy busy endpoint keeps most of the throughput
            // it would have alone, and a hanging one leaves a quarter to everyone else.
            c.scheduling.endpoint_concurrency = (c.worker_concurrency * 3 / 4).max(1);
        }
        if !company_concurrency_set {
            // The same share for a company's endpoints together: a company with many hanging
            // endpoints leaves the other companies a quarter of the slots, as one endpoint does.
            c.scheduling.company_concurrency = (c.worker_concurrency * 3 / 4).max(1);
        }
        if c.scheduling.max_probe_interval < c.scheduling.probe_interval {
            return Err(err(
                "HERALD_MAX_PROBE_INTERVAL",
                "must not be shorter than HERALD_PROBE_INTERVAL",
            ));
        }
        if c.env == Env::Production && c.secrets_key.is_none() {
            return Err(err(
                "HERALD_SECRETS_KEY",
                "must be set when HERALD_ENV=production",
            ));
        }
        Ok(c)
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }
}

/// An HTTP header name (letters, digits and `-`), as written.
mod parse;
#[cfg(test)]
mod tests;

use parse::{
    optional_header, parse_bool, parse_fraction, parse_header_name, parse_slots, read_toml,
};
pub use parse::{parse_duration, parse_origins};
