//! Times are stored as integer milliseconds (UTC) in both backends and formatted as RFC 3339 at the edge.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn to_rfc3339(ms: i64) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => "1970-01-01T00:00:00.000Z".to_owned(),
    }
}

pub fn parse_rfc3339(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        let ms = 1_700_000_000_123;
        assert_eq!(to_rfc3339(ms), "2023-11-14T22:13:20.123Z");
        assert_eq!(parse_rfc3339(&to_rfc3339(ms)), Some(ms));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
