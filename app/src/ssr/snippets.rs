//! Verification code for receivers, as the portal shows it next to the signing secret: one
//! function per language that checks a delivery under the deployment's signature scheme and
//! secret format. Tests run these exact texts against real deliveries.

use super::delivery::{DeliveryProfile, SecretFormat, SignatureScheme};

/// One language's snippet.
pub struct Snippet {
    pub language: &'static str,
    pub code: String,
}

/// What a receiver checks, in one sentence.
pub fn summary(p: &DeliveryProfile) -> String {
    let key = match p.secret_format {
        SecretFormat::Whsec => "the base64 after whsec_ in the secret",
        SecretFormat::Base64 => "the base64-decoded secret",
        SecretFormat::Hex => "the 32 bytes the secret's hex encodes",
        SecretFormat::Text => "the secret's text",
    };
    match &p.signature {
        SignatureScheme::StandardWebhooks => format!(
            "Every request carries webhook-id, webhook-timestamp and webhook-signature headers \
             (Standard Webhooks): v1, then the base64 HMAC-SHA256 of id.timestamp.body, keyed \
             with {key}."
        ),
        SignatureScheme::TimestampHex => format!(
            "Every request carries X-Webhook-Timestamp (Unix seconds) and X-Webhook-Signature: \
             v1= then the hex HMAC-SHA256 of timestamp.body, keyed with {key}."
        ),
        SignatureScheme::BodyBase64 { header } => format!(
            "Every request carries {header}: the base64 HMAC-SHA256 of the raw body, keyed with \
             {key}."
        ),
    }
}

/// Snippets for Node.js and Python. Each defines `verify(secret, headers, body)`: headers with
/// lower-case names, body the raw bytes as received (before any JSON parsing).
pub fn snippets(p: &DeliveryProfile) -> Vec<Snippet> {
    vec![
        Snippet {
            language: "Node.js",
            code: node(p),
        },
        Snippet {
            language: "Python",
            code: python(p),
        },
    ]
}

fn node(p: &DeliveryProfile) -> String {
    let key = match p.secret_format {
        SecretFormat::Whsec => r#"Buffer.from(secret.replace(/^whsec_/, ""), "base64")"#,
        SecretFormat::Base64 => r#"Buffer.from(secret, "base64")"#,
        SecretFormat::Hex => r#"Buffer.from(secret, "hex")"#,
        SecretFormat::Text => r#"Buffer.from(secret, "utf8")"#,
    };
    let check = match &p.signature {
        SignatureScheme::StandardWebhooks => r#"  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  if (!id || !fresh(ts)) return false;
  const expected = crypto.createHmac("sha256", key)
    .update(`${id}.${ts}.`).update(body).digest("base64");
  // Several signatures during a secret rotation: any one may match.
  return (headers["webhook-signature"] || "").split(" ")
    .some((s) => s.startsWith("v1,") && same(s.slice(3), expected));"#
            .to_owned(),
        SignatureScheme::TimestampHex => r#"  const ts = headers["x-webhook-timestamp"];
  if (!fresh(ts)) return false;
  const expected = "v1=" + crypto.createHmac("sha256", key)
    .update(`${ts}.`).update(body).digest("hex");
  return same(headers["x-webhook-signature"] || "", expected);"#
            .to_owned(),
        SignatureScheme::BodyBase64 { header } => format!(
            r#"  const expected = crypto.createHmac("sha256", key).update(body).digest("base64");
  return same(headers["{}"] || "", expected);"#,
            header.to_ascii_lowercase()
        ),
    };
    let fresh = if matches!(p.signature, SignatureScheme::BodyBase64 { .. }) {
        ""
    } else {
        r#"
// Refuse old timestamps, so a captured request cannot be replayed later.
function fresh(ts) {
  return Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
}
"#
    };
    format!(
        r#"const crypto = require("crypto");

// headers: lower-case names; body: the raw request body (Buffer or string), not parsed JSON.
function verify(secret, headers, body) {{
  const key = {key};
{check}
}}
{fresh}
function same(a, b) {{
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}}
"#
    )
}

fn python(p: &DeliveryProfile) -> String {
    let key = match p.secret_format {
        SecretFormat::Whsec => r#"base64.b64decode(secret.removeprefix("whsec_"))"#,
        SecretFormat::Base64 => "base64.b64decode(secret)",
        SecretFormat::Hex => "bytes.fromhex(secret)",
        SecretFormat::Text => "secret.encode()",
    };
    let check = match &p.signature {
        SignatureScheme::StandardWebhooks => r#"    msg_id = headers.get("webhook-id", "")
    ts = headers.get("webhook-timestamp", "")
    if not msg_id or not fresh(ts):
        return False
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    # Several signatures during a secret rotation: any one may match.
    return any(
        s.startswith("v1,") and hmac.compare_digest(s[3:], expected)
        for s in headers.get("webhook-signature", "").split(" ")
    )"#
        .to_owned(),
        SignatureScheme::TimestampHex => r#"    ts = headers.get("x-webhook-timestamp", "")
    if not fresh(ts):
        return False
    mac = hmac.new(key, f"{ts}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(headers.get("x-webhook-signature", ""), "v1=" + mac.hexdigest())"#
            .to_owned(),
        SignatureScheme::BodyBase64 { header } => format!(
            r#"    expected = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(headers.get("{}", ""), expected)"#,
            header.to_ascii_lowercase()
        ),
    };
    let fresh = if matches!(p.signature, SignatureScheme::BodyBase64 { .. }) {
        ""
    } else {
        r#"

# Refuse old timestamps, so a captured request cannot be replayed later.
def fresh(ts: str) -> bool:
    return ts.isdigit() and abs(time.time() - int(ts)) <= 300
"#
    };
    format!(
        r#"import base64, hashlib, hmac, time


# headers: lower-case names; body: the raw request body as bytes, not parsed JSON.
def verify(secret: str, headers: dict, body: bytes) -> bool:
    key = {key}
{check}
{fresh}"#
    )
}
