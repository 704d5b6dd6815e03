//! How a delivery proves it came from us: the signature schemes the seeds document.

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
