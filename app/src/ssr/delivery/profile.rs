//! The deployment's delivery contract: the signature scheme, the secret format, the body's
//! envelope and the extra headers, put together. A host product that moves onto Herald keeps its documented contract
//! byte for byte, so each seed system has a named preset; every part can also be set on its own.
//!
//! The retry schedule, timeout and auto-disable threshold live in [`super::Settings`]; a preset
//! only chooses their defaults (see [`Preset::defaults`]).

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::*;

type HmacSha256 = Hmac<Sha256>;

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
    pub fn describe(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Arg;
        let named = |key: &str, name: &str| locale.text_with(key, &[("name", Arg::from(name))]);
        let mut parts = vec![
            named("contract-signatures", self.signature.name()),
            named("contract-secrets", self.secret_format.name()),
            named("contract-envelope", self.envelope.name()),
        ];
        for (key, h) in [
            ("contract-event-header", &self.event_header),
            ("contract-delivery-id-header", &self.delivery_id_header),
        ] {
            if let Some(h) = h {
                parts.push(named(key, h));
            }
        }
        if let Some(ua) = &self.user_agent {
            parts.push(named("contract-user-agent", ua));
        }
        if self.secret_shown_once {
            parts.push(locale.text("contract-secrets-shown-once"));
        }
        locale.text_with(
            "contract-preset",
            &[
                ("preset", Arg::from(self.preset.to_string())),
                (
                    "parts",
                    Arg::from(parts.join(&locale.text("list-separator"))),
                ),
            ],
        )
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
    use serde_json::Value;

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
