//! Verification code for receivers, as the portal shows it next to the signing secret: one
//! function per language (Node.js, Python, Go) that checks a delivery under the deployment's
//! signature scheme and secret format. Tests run these exact texts against real deliveries.

use super::{DeliveryProfile, SecretFormat, SignatureScheme};
use crate::i18n::{Arg, Locale};

/// One language's snippet.
pub struct Snippet {
    pub language: &'static str,
    pub code: String,
}

/// What a receiver checks, in one sentence, in the page's language.
pub fn summary(p: &DeliveryProfile, locale: Locale) -> String {
    let key = locale.text(match p.secret_format {
        SecretFormat::Whsec => "signing-key-whsec",
        SecretFormat::Base64 => "signing-key-base64",
        SecretFormat::Hex => "signing-key-hex",
        SecretFormat::Text => "signing-key-text",
    });
    match &p.signature {
        SignatureScheme::StandardWebhooks => {
            locale.text_with("signing-standard-webhooks", &[("key", Arg::from(key))])
        }
        SignatureScheme::TimestampHex => {
            locale.text_with("signing-timestamp-hex", &[("key", Arg::from(key))])
        }
        SignatureScheme::BodyBase64 { header } => locale.text_with(
            "signing-body-base64",
            &[("header", Arg::from(header)), ("key", Arg::from(key))],
        ),
    }
}

/// Snippets for Node.js, Python and Go. Each defines `verify(secret, headers, body)`: headers
/// with lower-case names, body the raw bytes as received (before any JSON parsing).
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
        Snippet {
            language: "Go",
            code: go(p),
        },
    ]
}

/// Go refuses unused imports, so each part names what it needs.
fn go(p: &DeliveryProfile) -> String {
    let mut imports = std::collections::BTreeSet::from(["crypto/hmac", "crypto/sha256"]);
    let key = match p.secret_format {
        SecretFormat::Whsec => {
            imports.extend(["encoding/base64", "strings"]);
            "key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, \"whsec_\"))\n\tif err != nil {\n\t\treturn false\n\t}"
        }
        SecretFormat::Base64 => {
            imports.insert("encoding/base64");
            "key, err := base64.StdEncoding.DecodeString(secret)\n\tif err != nil {\n\t\treturn false\n\t}"
        }
        SecretFormat::Hex => {
            imports.insert("encoding/hex");
            "key, err := hex.DecodeString(secret)\n\tif err != nil {\n\t\treturn false\n\t}"
        }
        SecretFormat::Text => "key := []byte(secret)",
    };
    let check = match &p.signature {
        SignatureScheme::StandardWebhooks => {
            imports.extend(["encoding/base64", "strings"]);
            r#"	id, ts := headers["webhook-id"], headers["webhook-timestamp"]
	if id == "" || !fresh(ts) {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	expected := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	// Several signatures during a secret rotation: any one may match.
	for _, s := range strings.Split(headers["webhook-signature"], " ") {
		if strings.HasPrefix(s, "v1,") && hmac.Equal([]byte(s[3:]), []byte(expected)) {
			return true
		}
	}
	return false"#
                .to_owned()
        }
        SignatureScheme::TimestampHex => {
            imports.insert("encoding/hex");
            r#"	ts := headers["x-webhook-timestamp"]
	if !fresh(ts) {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	expected := "v1=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(headers["x-webhook-signature"]), []byte(expected))"#
                .to_owned()
        }
        SignatureScheme::BodyBase64 { header } => {
            imports.insert("encoding/base64");
            format!(
                r#"	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	expected := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(headers["{}"]), []byte(expected))"#,
                header.to_ascii_lowercase()
            )
        }
    };
    let fresh = if matches!(p.signature, SignatureScheme::BodyBase64 { .. }) {
        ""
    } else {
        imports.extend(["strconv", "time"]);
        r#"
// Refuse old timestamps, so a captured request cannot be replayed later.
func fresh(ts string) bool {
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := time.Now().Unix() - t
	return age <= 300 && age >= -300
}
"#
    };
    let imports: String = imports.iter().map(|i| format!("\t\"{i}\"\n")).collect();
    format!(
        r#"package webhooks

import (
{imports})

// headers: lower-case names; body: the raw request body, not parsed JSON.
func verify(secret string, headers map[string]string, body []byte) bool {{
	{key}
{check}
}}
{fresh}"#
    )
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
