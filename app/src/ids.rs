//! Prefixed identifiers. An id is only ever made by [`Id::generate`] (server side) or by parsing
//! untrusted text with [`Id::parse`], so a value of one of these types always has the right shape.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A new ULID, greater than every other this process made: lists shown newest first by id
/// (the audit trail, messages, attempts) keep the order things happened in, also within one
/// millisecond, where independent ULIDs would sort by their random part.
#[cfg(feature = "ssr")]
fn next_ulid() -> ulid::Ulid {
    static GENERATOR: std::sync::Mutex<ulid::Generator> =
        std::sync::Mutex::new(ulid::Generator::new());
    let mut generator = GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
    // Fails only after 2^80 ids in one millisecond.
    generator.generate().unwrap_or_else(|_| ulid::Ulid::new())
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// Accepts `<prefix><26 Crockford base32 chars>`; anything else is not one of ours.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix($prefix)?;
                if rest.len() == 26 && rest.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
                    Some(Self(s.to_owned()))
                } else {
                    None
                }
            }

            #[cfg(feature = "ssr")]
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, next_ulid()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The smallest id that could have been generated at `ms` (Unix milliseconds):
            /// ids sort by time, so `id >= lower_bound_at(t)` selects those made since `t`.
            #[cfg(feature = "ssr")]
            pub fn lower_bound_at(ms: i64) -> String {
                let ms = u64::try_from(ms).unwrap_or(0);
                format!("{}{}", $prefix, ulid::Ulid::from_parts(ms, 0))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s).ok_or_else(|| format!("not a valid {} id", $prefix.trim_end_matches('_')))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

prefixed_id!(
    /// A tenant (a company of the host product); Svix calls it an application.
    AppId,
    "app_"
);
prefixed_id!(EndpointId, "ep_");
prefixed_id!(MessageId, "msg_");
prefixed_id!(AttemptId, "atmpt_");
prefixed_id!(ApiKeyId, "key_");
prefixed_id!(
    /// An entry of the audit trail.
    AuditId,
    "aud_"
);
prefixed_id!(
    /// An operational notification (an endpoint disabled, retries exhausted).
    NotificationId,
    "ntf_"
);
prefixed_id!(
    /// A person who signs in to the portal with a password.
    UserId,
    "usr_"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_only_the_right_prefix_and_shape() {
        assert!(AppId::parse("app_01HZY3K6W8QJ9V5T2N4M7PXR0B").is_some());
        assert!(AppId::parse("ep_01HZY3K6W8QJ9V5T2N4M7PXR0B").is_none());
        assert!(AppId::parse("app_short").is_none());
        assert!(AppId::parse("app_01hzy3k6w8qj9v5t2n4m7pxr0b").is_none());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn ids_made_one_after_another_sort_in_that_order_even_within_a_millisecond() {
        let ids: Vec<AuditId> = (0..2000).map(|_| AuditId::generate()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().all(|id| AuditId::parse(id.as_str()).is_some()));
    }
}
