//! How deliveries look on the wire: the signature scheme, the secret format, the body's envelope
//! and the extra headers. A host product that moves onto Herald keeps its documented contract
//! byte for byte, so each seed system has a named preset; every part can also be set on its own.
//!
//! The retry schedule, timeout and auto-disable threshold live in [`super::Settings`]; a preset
//! only chooses their defaults (see [`Preset::defaults`]).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// How a delivery proves it came from us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureScheme {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature:
    /// v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, one per valid secret.
    StandardWebhooks,
    /// `X-Webhook-Signature: v1=<hex HMAC-SHA256(key, "{timestamp}.{body}")>` with
    /// `X-Webhook-Timestamp` in Unix seconds.
    TimestampHex,
    /// `<header>: <base64 HMAC-SHA256(key, body)>`, no timestamp.
    BodyBase64 { header: String },
}

impl SignatureScheme {
    pub const NAMES: &'static str = "standard-webhooks, timestamp-hex, body-base64";

    pub fn name(&self) -> &'static str {
        match self {
            SignatureScheme::StandardWebhooks => "standard-webhooks",
            SignatureScheme::TimestampHex => "timestamp-hex",
            SignatureScheme::BodyBase64 { .. } => "body-base64",
        }
    }

    /// The headers this scheme writes, lower-case (tenants may not set them).
    pub fn header_names(&self) -> Vec<String> {
        match self {
            SignatureScheme::StandardWebhooks => vec![
                "webhook-id".into(),
                "webhook-timestamp".into(),
                "webhook-signature".into(),
            ],
            SignatureScheme::TimestampHex => {
                vec!["x-webhook-signature".into(), "x-webhook-timestamp".into()]
            }
            SignatureScheme::BodyBase64 { header } => vec![header.to_ascii_lowercase()],
        }
    }
}

/// What a signing secret looks like, which decides how it is generated, which secrets a tenant
/// may set, and which bytes key the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretFormat {
    /// `whsec_` and base64 of 24 bytes; the key is the decoded bytes.
    Whsec,
    /// Plain base64 of 64 bytes; the key is the decoded bytes.
    Base64,
    /// 64 hexadecimal characters; the key is the 32 bytes they encode.
    Hex,
    /// Text; the key is its UTF-8 bytes.
    Text,
}

impl SecretFormat {
    pub const NAMES: &'static str = "whsec, base64, hex, text";

    pub fn name(self) -> &'static str {
        match self {
            SecretFormat::Whsec => "whsec",
            SecretFormat::Base64 => "base64",
            SecretFormat::Hex => "hex",
            SecretFormat::Text => "text",
        }
    }

    pub fn generate(self) -> String {
        let mut rng = rand::thread_rng();
        match self {
            SecretFormat::Whsec => {
                let mut b = [0u8; 24];
                rng.fill_bytes(&mut b);
                format!("whsec_{}", STANDARD.encode(b))
            }
            SecretFormat::Base64 => {
                let mut b = [0u8; 64];
                rng.fill_bytes(&mut b);
                STANDARD.encode(b)
            }
            SecretFormat::Hex => {
                let mut b = [0u8; 32];
                rng.fill_bytes(&mut b);
                hex::encode(b)
            }
            SecretFormat::Text => {
                // 40 characters from 62: about 238 bits, and nothing a shell or .env file quotes.
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                let mut b = [0u8; 40];
                rng.fill_bytes(&mut b);
                b.iter()
                    .map(|x| char::from(ALPHABET[usize::from(*x) % ALPHABET.len()]))
                    .collect()
            }
        }
    }

    /// A secret a tenant supplies, in this format; `Err` says what it must look like.
    /// Returns the secret as it is stored (a `whsec_` secret gets its prefix).
    pub fn accept(self, secret: &str) -> Result<String, String> {
        match self {
            SecretFormat::Whsec => {
                let body = secret.strip_prefix("whsec_").unwrap_or(secret);
                match STANDARD.decode(body) {
                    Ok(b) if (24..=64).contains(&b.len()) => Ok(format!("whsec_{body}")),
                    _ => Err("must be 'whsec_' followed by base64 of 24 to 64 bytes".into()),
                }
            }
            SecretFormat::Base64 => match STANDARD.decode(secret) {
                Ok(b) if (24..=128).contains(&b.len()) => Ok(secret.to_owned()),
                _ => Err("must be base64 of 24 to 128 bytes".into()),
            },
            SecretFormat::Hex => {
                if secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Ok(secret.to_ascii_lowercase())
                } else {
                    Err("must be 64 hexadecimal characters".into())
                }
            }
            SecretFormat::Text => {
                if (24..=128).contains(&secret.len())
                    && secret.bytes().all(|b| b.is_ascii_graphic())
                {
                    Ok(secret.to_owned())
                } else {
                    Err("must be 24 to 128 printable characters without spaces".into())
                }
            }
        }
    }

    /// The HMAC key of a stored secret. A `whsec_` secret is always read as Standard Webhooks
    /// form, so secrets made before a deployment changed format keep signing.
    pub fn key(self, secret: &str) -> Option<Vec<u8>> {
        if let Some(b64) = secret.strip_prefix("whsec_") {
            return STANDARD.decode(b64).ok();
        }
        match self {
            SecretFormat::Whsec | SecretFormat::Base64 => STANDARD.decode(secret).ok(),
            SecretFormat::Hex => hex::decode(secret).ok(),
            SecretFormat::Text => Some(secret.as_bytes().to_vec()),
        }
    }
}

/// The shape of a delivery's body around the payload the host product sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// The payload exactly as sent.
    Raw,
    /// `{id, type, createdAt, data}`.
    IdTypeCreatedAt,
    /// `{publish_time, message_id, data}`, with `event` added to `data`.
    PublishTime,
    /// `{event, data, organization_id, created_at}`.
    EventOrganization,
    /// `{type, data}`.
    TypeData,
}

impl Envelope {
    pub const NAMES: &'static str =
        "raw, id-type-created-at, publish-time, event-organization, type-data";

    pub fn name(self) -> &'static str {
        match self {
            Envelope::Raw => "raw",
            Envelope::IdTypeCreatedAt => "id-type-created-at",
            Envelope::PublishTime => "publish-time",
            Envelope::EventOrganization => "event-organization",
            Envelope::TypeData => "type-data",
        }
    }

    /// The body to send for `msg`: the envelope's fields in the documented order around the
    /// payload's own bytes, so the host product's data arrives exactly as it sent it.
    pub fn body(self, msg: &Outgoing<'_>) -> String {
        let text = |s: &str| Value::from(s).to_string();
        let data = msg.payload.trim();
        match self {
            Envelope::Raw => msg.payload.to_owned(),
            Envelope::IdTypeCreatedAt => format!(
                r#"{{"id":{},"type":{},"createdAt":{},"data":{data}}}"#,
                text(msg.msg_id),
                text(msg.event_type),
                text(&rfc3339(msg.created_at_ms, false)),
            ),
            Envelope::PublishTime => format!(
                r#"{{"publish_time":{},"message_id":{},"data":{}}}"#,
                text(&rfc3339(msg.created_at_ms, true)),
                text(msg.msg_id),
                with_event(data, msg.event_type),
            ),
            Envelope::EventOrganization => format!(
                r#"{{"event":{},"data":{data},"organization_id":{},"created_at":{}}}"#,
                text(msg.event_type),
                text(msg.organization_id),
                text(&rfc3339(msg.created_at_ms, false)),
            ),
            Envelope::TypeData => format!(r#"{{"type":{},"data":{data}}}"#, text(msg.event_type)),
        }
    }
}

/// The payload object with `"event"` first and its own members after, byte for byte. A payload
/// that already has an `event` member, or is no object, is rebuilt instead, so the result never
/// holds the key twice.
fn with_event(payload: &str, event: &str) -> String {
    let event_member = format!(r#""event":{}"#, Value::from(event));
    match serde_json::from_str::<Value>(payload) {
        Ok(Value::Object(m)) if !m.contains_key("event") => {
            let inner = payload.trim()[1..].trim_start();
            if inner.starts_with('}') {
                format!("{{{event_member}}}")
            } else {
                format!("{{{event_member},{inner}")
            }
        }
        Ok(Value::Object(mut m)) => {
            m.insert("event".into(), event.into());
            Value::Object(m).to_string()
        }
        other => {
            let mut m = Map::new();
            m.insert("event".into(), event.into());
            m.insert("payload".into(), other.unwrap_or(Value::Null));
            Value::Object(m).to_string()
        }
    }
}

/// What a delivery's body and headers are made from.
pub struct Outgoing<'a> {
    pub msg_id: &'a str,
    pub endpoint_id: &'a str,
    pub event_type: &'a str,
    pub payload: &'a str,
    pub created_at_ms: i64,
    /// The tenant as the host product knows it: the application's uid, else its id.
    pub organization_id: &'a str,
}

fn rfc3339(ms: i64, millis: bool) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let format = if millis {
        chrono::SecondsFormat::Millis
    } else {
        chrono::SecondsFormat::Secs
    };
    t.to_rfc3339_opts(format, true)
}

/// The named contracts, one per seed system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Standard,
    Fiskl,
    Fiskil,
    InvoiceMaker,
    Hisab,
}

impl Preset {
    pub const NAMES: &'static str = "standard, fiskl, fiskil, invoice-maker, hisab";

    pub fn name(self) -> &'static str {
        match self {
            Preset::Standard => "standard",
            Preset::Fiskl => "fiskl",
            Preset::Fiskil => "fiskil",
            Preset::InvoiceMaker => "invoice-maker",
            Preset::Hisab => "hisab",
        }
    }

    /// The preset's event catalogue, in the catalogue file format (`catalogues/<name>.json`).
    pub fn catalogue(self) -> Option<&'static str> {
        match self {
            Preset::Standard => None,
            Preset::Fiskl => Some(include_str!("../../../../catalogues/fiskl.json")),
            Preset::Fiskil => Some(include_str!("../../../../catalogues/fiskil.json")),
            Preset::InvoiceMaker => Some(include_str!("../../../../catalogues/invoice-maker.json")),
            Preset::Hisab => Some(include_str!("../../../../catalogues/hisab.json")),
        }
    }

    /// Everything the preset decides, each of which the configuration may override.
    pub fn defaults(self) -> PresetDefaults {
        let mins = |m: &[u64]| m.iter().map(|m| Duration::from_secs(m * 60)).collect();
        let standard = PresetDefaults {
            profile: DeliveryProfile::default(),
            retry_schedule: [5, 300, 1800, 7200, 18000, 36000, 36000]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            request_timeout: Duration::from_secs(15),
            auto_disable_after: 100,
        };
        match self {
            Preset::Standard => standard,
            // Fiskl's portal is a Svix-style one: Standard Webhooks, with its own envelope.
            Preset::Fiskl => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    envelope: Envelope::IdTypeCreatedAt,
                    ..DeliveryProfile::default()
                },
                ..standard
            },
            // "Up to 5 times with backoff intervals between 1 to 10 minutes", then discarded.
            Preset::Fiskil => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    signature: SignatureScheme::BodyBase64 {
                        header: "X-Fiskil-Signature".into(),
                    },
                    secret_format: SecretFormat::Base64,
                    envelope: Envelope::PublishTime,
                    retry_jitter: 0.0,
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 2, 4, 8, 10]),
                ..standard
            },
            // 10 s to answer, 5 retries with exponential backoff, disabled after 100 failures
            // in a row; the secret is shown once and a rotation ends the old one at once.
            Preset::InvoiceMaker => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    secret_format: SecretFormat::Hex,
                    envelope: Envelope::TypeData,
                    secret_shown_once: true,
                    rotation_grace: Some(Duration::ZERO),
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 2, 4, 8, 16]),
                request_timeout: Duration::from_secs(10),
                auto_disable_after: 100,
            },
            // ~1 min, 5 min, 15 min, 1 h, 4 h with about 20% jitter, 30 s to answer.
            Preset::Hisab => PresetDefaults {
                profile: DeliveryProfile {
                    preset: self,
                    signature: SignatureScheme::TimestampHex,
                    secret_format: SecretFormat::Text,
                    envelope: Envelope::EventOrganization,
                    event_header: Some("X-Webhook-Event".into()),
                    delivery_id_header: Some("X-Webhook-Delivery-Id".into()),
                    user_agent: Some("Hisab-Webhooks/1.0".into()),
                    retry_jitter: 0.2,
                    ..DeliveryProfile::default()
                },
                retry_schedule: mins(&[1, 5, 15, 60, 240]),
                request_timeout: Duration::from_secs(30),
                auto_disable_after: 100,
            },
        }
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "standard" => Preset::Standard,
            "fiskl" => Preset::Fiskl,
            "fiskil" => Preset::Fiskil,
            "invoice-maker" => Preset::InvoiceMaker,
            "hisab" => Preset::Hisab,
            _ => return Err(format!("'{s}' is not one of: {}", Preset::NAMES)),
        })
    }
}

impl FromStr for SecretFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "whsec" => SecretFormat::Whsec,
            "base64" => SecretFormat::Base64,
            "hex" => SecretFormat::Hex,
            "text" => SecretFormat::Text,
            _ => return Err(format!("'{s}' is not one of: {}", SecretFormat::NAMES)),
        })
    }
}

impl FromStr for Envelope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "raw" => Envelope::Raw,
            "id-type-created-at" => Envelope::IdTypeCreatedAt,
            "publish-time" => Envelope::PublishTime,
            "event-organization" => Envelope::EventOrganization,
            "type-data" => Envelope::TypeData,
            _ => return Err(format!("'{s}' is not one of: {}", Envelope::NAMES)),
        })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A preset's choices, before the configuration overrides any of them.
#[derive(Debug, Clone)]
pub struct PresetDefaults {
    pub profile: DeliveryProfile,
    pub retry_schedule: Vec<Duration>,
    pub request_timeout: Duration,
    pub auto_disable_after: u32,
}

/// The deployment's delivery contract.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryProfile {
    /// The preset it started from (shown to operators and in the portal).
    pub preset: Preset,
    pub signature: SignatureScheme,
    pub secret_format: SecretFormat,
    pub envelope: Envelope,
    /// A header carrying the event type, if any.
    pub event_header: Option<String>,
    /// A header carrying an id that is the same on every attempt of one delivery, if any.
    pub delivery_id_header: Option<String>,
    /// Replaces Herald's own User-Agent.
    pub user_agent: Option<String>,
    /// Each retry delay varies by up to this fraction either way (0 to 0.5).
    pub retry_jitter: f64,
    /// The portal shows a secret only when it is made (created or rotated), never again.
    pub secret_shown_once: bool,
    /// How long a rotated-out secret keeps signing; `None` lets the caller choose (the API's
    /// and the portal's own defaults).
    pub rotation_grace: Option<Duration>,
}

impl Default for DeliveryProfile {
    fn default() -> Self {
        DeliveryProfile {
            preset: Preset::Standard,
            signature: SignatureScheme::StandardWebhooks,
            secret_format: SecretFormat::Whsec,
            envelope: Envelope::Raw,
            event_header: None,
            delivery_id_header: None,
            user_agent: None,
            retry_jitter: 0.2,
            secret_shown_once: false,
            rotation_grace: None,
        }
    }
}

impl DeliveryProfile {
    /// Headers the profile writes on every delivery, lower-case: tenants may not set them.
    pub fn reserved_headers(&self) -> Vec<String> {
        let mut names = self.signature.header_names();
        for h in [&self.event_header, &self.delivery_id_header]
            .into_iter()
            .flatten()
        {
            names.push(h.to_ascii_lowercase());
        }
        names
    }

    /// The signature and other headers of one attempt. `keys` are the HMAC keys of the secrets
    /// that sign right now, newest first. Standard Webhooks signs with each of them so that
    /// receivers keep verifying through a rotation; the other schemes carry one signature, the
    /// newest.
    pub fn headers(
        &self,
        keys: &[Vec<u8>],
        msg: &Outgoing<'_>,
        timestamp: i64,
        body: &[u8],
    ) -> Vec<(String, String)> {
        let ts = timestamp.to_string();
        let mut out = Vec::new();
        match &self.signature {
            SignatureScheme::StandardWebhooks => {
                let mut sigs = Vec::new();
                for key in keys {
                    if let Ok(mut mac) = HmacSha256::new_from_slice(key) {
                        mac.update(msg.msg_id.as_bytes());
                        mac.update(b".");
                        mac.update(ts.as_bytes());
                        mac.update(b".");
                        mac.update(body);
                        sigs.push(format!(
                            "v1,{}",
                            STANDARD.encode(mac.finalize().into_bytes())
                        ));
                    }
                }
                out.push(("webhook-id".into(), msg.msg_id.to_owned()));
                out.push(("webhook-timestamp".into(), ts));
                out.push(("webhook-signature".into(), sigs.join(" ")));
            }
            SignatureScheme::TimestampHex => {
                if let Some(Ok(mut mac)) = keys.first().map(|k| HmacSha256::new_from_slice(k)) {
                    mac.update(ts.as_bytes());
                    mac.update(b".");
                    mac.update(body);
                    out.push((
                        "X-Webhook-Signature".into(),
                        format!("v1={}", hex::encode(mac.finalize().into_bytes())),
                    ));
                }
                out.push(("X-Webhook-Timestamp".into(), ts));
            }
            SignatureScheme::BodyBase64 { header } => {
                if let Some(Ok(mut mac)) = keys.first().map(|k| HmacSha256::new_from_slice(k)) {
                    mac.update(body);
                    out.push((header.clone(), STANDARD.encode(mac.finalize().into_bytes())));
                }
            }
        }
        if let Some(h) = &self.event_header {
            out.push((h.clone(), msg.event_type.to_owned()));
        }
        if let Some(h) = &self.delivery_id_header {
            out.push((h.clone(), delivery_id(msg.msg_id, msg.endpoint_id)));
        }
        if let Some(ua) = &self.user_agent {
            out.push(("User-Agent".into(), ua.clone()));
        }
        out
    }

    /// One line for operators: the preset and each part of the contract.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            format!("{} signatures", self.signature.name()),
            format!("{} secrets", self.secret_format.name()),
            format!("{} envelope", self.envelope.name()),
        ];
        for (what, h) in [
            ("event", &self.event_header),
            ("delivery id", &self.delivery_id_header),
        ] {
            if let Some(h) = h {
                parts.push(format!("{what} in {h}"));
            }
        }
        if let Some(ua) = &self.user_agent {
            parts.push(format!("User-Agent {ua}"));
        }
        if self.secret_shown_once {
            parts.push("secrets shown once".into());
        }
        format!("{} preset: {}", self.preset, parts.join(", "))
    }

    /// A retry delay with this profile's jitter applied.
    pub fn jittered(&self, d: Duration) -> Duration {
        if self.retry_jitter <= 0.0 {
            return d;
        }
        let j = self.retry_jitter.min(0.5);
        let f: f64 = rand::Rng::gen_range(&mut rand::thread_rng(), (1.0 - j)..=(1.0 + j));
        d.mul_f64(f)
    }
}

/// The id of one message's delivery to one endpoint: the same on every attempt and every replay,
/// so receivers can skip what they already handled. Derived, so it needs no column.
pub fn delivery_id(msg_id: &str, endpoint_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(msg_id.as_bytes());
    h.update(b"/");
    h.update(endpoint_id.as_bytes());
    format!("del_{}", hex::encode(&h.finalize()[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg() -> Outgoing<'static> {
        Outgoing {
            msg_id: "msg_1",
            endpoint_id: "ep_1",
            event_type: "invoice.paid",
            payload: r#"{"id":"inv_1","total":"12.00"}"#,
            created_at_ms: 1_780_750_800_123,
            organization_id: "org_4d11a7",
        }
    }

    // The example from the Standard Webhooks specification's reference tests.
    #[test]
    fn standard_webhooks_matches_the_reference_vector() {
        let key = SecretFormat::Whsec
            .key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("b64");
        let body = r#"{"test": 2432232314}"#;
        let m = Outgoing {
            msg_id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            payload: body,
            ..msg()
        };
        let headers = DeliveryProfile::default().headers(&[key], &m, 1614265330, body.as_bytes());
        let sig = headers.iter().find(|(k, _)| k == "webhook-signature");
        assert_eq!(
            sig.map(|(_, v)| v.as_str()),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn each_secret_format_generates_what_it_accepts() {
        for f in [
            SecretFormat::Whsec,
            SecretFormat::Base64,
            SecretFormat::Hex,
            SecretFormat::Text,
        ] {
            let s = f.generate();
            assert_eq!(f.accept(&s).as_deref(), Ok(s.as_str()), "{f:?}");
            assert!(f.key(&s).is_some_and(|k| k.len() >= 24), "{f:?}");
        }
        assert_eq!(SecretFormat::Hex.generate().len(), 64);
        assert!(SecretFormat::Hex.accept("abc").is_err());
        assert!(SecretFormat::Text
            .accept("has a space in it, which is no good")
            .is_err());
        assert!(SecretFormat::Base64.accept("not base64!").is_err());
    }

    #[test]
    fn envelopes_wrap_the_payload_as_documented() {
        let m = msg();
        assert_eq!(Envelope::Raw.body(&m), m.payload);
        let v: Value = serde_json::from_str(&Envelope::IdTypeCreatedAt.body(&m)).expect("json");
        assert_eq!(v["createdAt"], "2026-06-06T13:00:00Z");
        assert_eq!(v["data"]["id"], "inv_1");
        let v: Value = serde_json::from_str(&Envelope::PublishTime.body(&m)).expect("json");
        assert_eq!(v["publish_time"], "2026-06-06T13:00:00.123Z");
        assert_eq!(v["data"]["event"], "invoice.paid");
        let v: Value = serde_json::from_str(&Envelope::EventOrganization.body(&m)).expect("json");
        assert_eq!(v["organization_id"], "org_4d11a7");
        let v: Value = serde_json::from_str(&Envelope::TypeData.body(&m)).expect("json");
        assert_eq!(v.as_object().map(|o| o.len()), Some(2));
    }

    #[test]
    fn envelopes_keep_the_documented_order_and_the_payloads_bytes() {
        let m = Outgoing {
            payload: r#"{ "z": 1, "a": {"b": 2.50} }"#,
            ..msg()
        };
        assert_eq!(
            Envelope::EventOrganization.body(&m),
            r#"{"event":"invoice.paid","data":{ "z": 1, "a": {"b": 2.50} },"organization_id":"org_4d11a7","created_at":"2026-06-06T13:00:00Z"}"#
        );
        assert_eq!(
            Envelope::PublishTime.body(&m),
            r#"{"publish_time":"2026-06-06T13:00:00.123Z","message_id":"msg_1","data":{"event":"invoice.paid","z": 1, "a": {"b": 2.50} }}"#
        );
        let empty = Outgoing {
            payload: "{}",
            ..msg()
        };
        let v: Value = serde_json::from_str(&Envelope::PublishTime.body(&empty)).expect("json");
        assert_eq!(v["data"], serde_json::json!({ "event": "invoice.paid" }));
        let clash = Outgoing {
            payload: r#"{"event":"theirs","x":1}"#,
            ..msg()
        };
        let body = Envelope::PublishTime.body(&clash);
        assert_eq!(body.matches("\"event\"").count(), 1, "{body}");
        let v: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(v["data"]["event"], "invoice.paid");
    }

    #[test]
    fn the_delivery_id_depends_on_message_and_endpoint_only() {
        assert_eq!(delivery_id("msg_1", "ep_1"), delivery_id("msg_1", "ep_1"));
        assert_ne!(delivery_id("msg_1", "ep_1"), delivery_id("msg_1", "ep_2"));
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let p = Preset::Hisab.defaults().profile;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let d = p.jittered(Duration::from_secs(100));
            assert!(d >= Duration::from_secs(80) && d <= Duration::from_secs(120));
            seen.insert(d.as_millis());
        }
        assert!(seen.len() > 100, "the delays vary");
        let none = Preset::Fiskil.defaults().profile;
        assert_eq!(
            none.jittered(Duration::from_secs(60)),
            Duration::from_secs(60)
        );
    }
}
