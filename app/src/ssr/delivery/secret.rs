//! Signing secrets: their format decides how they are generated, which a tenant may set, and
//! which bytes key the HMAC.

use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

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
