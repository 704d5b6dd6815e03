//! Parsing of untrusted values into domain types. Each `parse` names what is wrong, in words a
//! client can act on; services get only values that passed.

use crate::ssr::ServiceError;

pub const MAX_URL_LEN: usize = 2048;

/// An endpoint URL that passed the static rules (scheme, host, length). The address checks that
/// need DNS happen in the endpoint service, and again at connection time.
#[derive(Debug, Clone)]
pub struct EndpointUrl(pub url::Url);

impl EndpointUrl {
    pub fn parse(raw: &str, https_only: bool) -> Result<Self, ServiceError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ServiceError::validation("url: must not be empty"));
        }
        if raw.len() > MAX_URL_LEN {
            return Err(ServiceError::validation(format!(
                "url: must be at most {MAX_URL_LEN} characters"
            )));
        }
        let url = url::Url::parse(raw)
            .map_err(|e| ServiceError::validation(format!("url: not a valid URL ({e})")))?;
        match url.scheme() {
            "https" => {}
            "http" if !https_only => {}
            "http" => {
                return Err(ServiceError::validation(
                    "url: must use https in production",
                ))
            }
            other => {
                return Err(ServiceError::validation(format!(
                    "url: scheme must be http or https, not {other}"
                )))
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ServiceError::validation("url: must have a host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ServiceError::validation(
                "url: must not contain a user name or password; use endpoint headers for credentials",
            ));
        }
        Ok(EndpointUrl(url))
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(443)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// `uid`s (host-chosen ids of applications and endpoints) and event type names share a charset.
pub fn name_like(field: &str, value: &str, max: usize) -> Result<String, ServiceError> {
    if value.is_empty() {
        return Err(ServiceError::validation(format!(
            "{field}: must not be empty"
        )));
    }
    if value.len() > max {
        return Err(ServiceError::validation(format!(
            "{field}: must be at most {max} characters"
        )));
    }
    if !value.chars().all(is_name_char) {
        return Err(ServiceError::validation(format!(
            "{field}: may contain only letters, digits, '-', '_' and '.'"
        )));
    }
    Ok(value.to_owned())
}

pub fn uid(field: &str, value: &str) -> Result<String, ServiceError> {
    let v = name_like(field, value, 256)?;
    // A uid that looks like one of our ids would make "id or uid" lookups ambiguous.
    if ["app_", "ep_", "msg_", "atmpt_"]
        .iter()
        .any(|p| v.starts_with(p))
    {
        return Err(ServiceError::validation(format!(
            "{field}: must not start with a Herald id prefix"
        )));
    }
    Ok(v)
}

pub fn event_type_name(value: &str) -> Result<String, ServiceError> {
    name_like("eventType", value, 256)
}

pub fn text(field: &str, value: &str, max: usize) -> Result<String, ServiceError> {
    if value.chars().count() > max {
        return Err(ServiceError::validation(format!(
            "{field}: must be at most {max} characters"
        )));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls_name_what_is_wrong() {
        let err = |s: &str, https| EndpointUrl::parse(s, https).expect_err(s).to_string();
        assert!(err("", false).contains("empty"));
        assert!(err("not a url", false).contains("not a valid URL"));
        assert!(err("ftp://example.com", false).contains("scheme"));
        assert!(err("http://example.com", true).contains("https"));
        assert!(err("https://u:p@example.com", false).contains("user name"));
        assert!(EndpointUrl::parse("https://example.com/hook", true).is_ok());
    }
}
