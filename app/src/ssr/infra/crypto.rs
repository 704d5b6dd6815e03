//! Secrets: signing secrets are encrypted at rest (AES-256-GCM, key from the configuration);
//! API keys and portal-link tokens are stored only as SHA-256 hashes (they are long and random,
//! so a fast hash is enough; passwords, which are neither, use argon2id elsewhere).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

/// The key that encrypts signing secrets at rest. Never printed.
#[derive(Clone)]
pub struct SecretsKey(Aes256Gcm);

impl fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretsKey(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("must be 32 bytes, written as 64 hex characters or base64")]
    BadKey,
}

#[derive(Debug, thiserror::Error)]
#[error("a stored secret could not be decrypted with HERALD_SECRETS_KEY (was the key changed?)")]
pub struct DecryptError;

impl SecretsKey {
    /// Accepts 64 hex characters or standard base64 of exactly 32 bytes.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|_| KeyError::BadKey)?
        } else {
            STANDARD.decode(text).map_err(|_| KeyError::BadKey)?
        };
        if bytes.len() != 32 {
            return Err(KeyError::BadKey);
        }
        Aes256Gcm::new_from_slice(&bytes)
            .map(SecretsKey)
            .map_err(|_| KeyError::BadKey)
    }

    /// A new random key in the text form [`SecretsKey::parse`] reads.
    pub fn generate_text() -> String {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        // Encryption with a fresh 96-bit nonce cannot fail for inputs of this size.
        let ciphertext = self
            .0
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .unwrap_or_default();
        let mut out = Vec::with_capacity(12 + ciphertext.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        format!("v1:{}", STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, DecryptError> {
        let body = stored.strip_prefix("v1:").ok_or(DecryptError)?;
        let raw = STANDARD.decode(body).map_err(|_| DecryptError)?;
        if raw.len() < 12 {
            return Err(DecryptError);
        }
        let (nonce, ciphertext) = raw.split_at(12);
        let plain = self
            .0
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| DecryptError)?;
        String::from_utf8(plain).map_err(|_| DecryptError)
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// URL-safe random text with `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// `len` random letters and digits: ids in shapes other systems fix, such as Svix's
/// `qtask_` + 27 alphanumerics.
pub fn random_alphanumeric(len: usize) -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::thread_rng(), len)
}

/// An API key as shown once to its creator.
pub fn generate_api_key() -> String {
    format!("hk_{}", random_token(32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_secrets_decrypt_only_with_the_same_key() {
        let key = SecretsKey::parse(&SecretsKey::generate_text()).expect("key");
        let other = SecretsKey::parse(&SecretsKey::generate_text()).expect("key");
        let stored = key.encrypt("whsec_abc");
        assert!(!stored.contains("whsec_abc"));
        assert_eq!(key.decrypt(&stored).expect("decrypts"), "whsec_abc");
        assert!(other.decrypt(&stored).is_err());
    }

    #[test]
    fn key_parsing_rejects_wrong_lengths() {
        assert!(SecretsKey::parse("abcd").is_err());
        assert!(SecretsKey::parse(&"0".repeat(64)).is_ok());
    }
}
