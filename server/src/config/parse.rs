//! Reading configuration values: each parser names the key in its error, so a bad value stops
//! start-up with one line saying which key and why.

use super::{err, ConfigError, KEYS};
use std::collections::BTreeMap;
use std::time::Duration;

pub fn parse_header_name(k: &str, v: &str) -> Result<String, ConfigError> {
    if v.is_empty() || v.len() > 64 || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(err(
            k,
            format!("'{v}' is not a header name (letters, digits and '-')"),
        ));
    }
    Ok(v.to_owned())
}

/// A header name, or `none` (or empty) for no header.
pub fn optional_header(k: &str, v: &str) -> Result<Option<String>, ConfigError> {
    if v.is_empty() || v.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_header_name(k, v).map(Some)
}

/// A count of send slots: a whole number from 1 to 4096.
pub fn parse_slots(k: &str, v: &str) -> Result<usize, ConfigError> {
    v.parse()
        .ok()
        .filter(|n| (1..=4096).contains(n))
        .ok_or_else(|| err(k, format!("'{v}' is not a whole number from 1 to 4096")))
}

/// `20%` or `0.2`, from 0 to 50%.
pub fn parse_fraction(k: &str, v: &str) -> Result<f64, ConfigError> {
    let f = match v.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|p| p / 100.0),
        None => v.parse::<f64>(),
    };
    match f {
        Ok(f) if (0.0..=0.5).contains(&f) => Ok(f),
        _ => Err(err(
            k,
            format!("'{v}' is not a fraction from 0 to 50% (such as 20% or 0.2)"),
        )),
    }
}

pub fn read_toml(path: &str, required: bool) -> Result<BTreeMap<String, String>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(BTreeMap::new())
        }
        Err(e) => return Err(err(path, format!("cannot read ({e})"))),
    };
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| err(path, e.message().to_owned()))?;
    let mut out = BTreeMap::new();
    for (k, v) in table {
        let key = k.to_ascii_uppercase();
        if !KEYS.contains(&key.as_str()) {
            return Err(err(path, format!("unknown key '{k}'")));
        }
        let s = match v {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => return Err(err(path, format!("'{k}' has an unsupported value {other}"))),
        };
        out.insert(key, s);
    }
    Ok(out)
}

pub fn parse_bool(key: &str, v: &str) -> Result<bool, ConfigError> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(err(key, format!("'{v}' is not true or false"))),
    }
}

/// A comma list of web origins such as `https://app.fiskl.com, https://*.invoicemaker.io`.
/// Each becomes a `frame-ancestors` source, so it must be an origin and nothing more.
pub fn parse_origins(key: &str, v: &str) -> Result<Vec<String>, ConfigError> {
    let mut out = Vec::new();
    for raw in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let bad = |why: &str| ConfigError {
            key: key.to_owned(),
            problem: format!("'{raw}' {why}"),
        };
        let (scheme, rest) = raw
            .split_once("://")
            .ok_or_else(|| bad("is not an origin such as https://app.example.com"))?;
        if scheme != "https" && scheme != "http" {
            return Err(bad("must start with https:// or http://"));
        }
        let host = rest.split(':').next().unwrap_or_default();
        let host_ok = !host.is_empty()
            && host
                .trim_start_matches("*.")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        let port_ok = rest
            .split_once(':')
            .is_none_or(|(_, p)| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !host_ok || !port_ok || rest.contains('/') {
            return Err(bad(
                "is not an origin: scheme://host[:port], with no path, quotes or spaces",
            ));
        }
        out.push(raw.to_owned());
    }
    Ok(out)
}

pub fn parse_duration(key: &str, v: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(v).map_err(|_| {
        err(
            key,
            format!("'{v}' is not a duration such as 500ms, 5s, 5m or 2h"),
        )
    })
}
