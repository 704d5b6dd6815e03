//! One attempt as people and API clients see it: the request exactly as it was sent, with the
//! endpoint's credentials hidden, and the response as it came back. The portal's attempt page and
//! the API's `/headers` and `/body` read it here, so they hide the same things.

use crate::ids::AppId;
use crate::ssr::delivery::profile::DeliveryProfile;
use crate::ssr::domain::endpoints::is_sensitive_header;
use crate::ssr::infra::db::Db;
use crate::ssr::store::attempts::{self, Attempt};
use crate::ssr::store::messages::{self, Message};
use crate::ssr::ServiceError;
use std::collections::BTreeMap;

/// What a hidden header value reads as, in the record and wherever it is shown.
pub const REDACTED: &str = "<redacted>";

/// An attempt's request: headers in name order (the names as HTTP/1 sent them, lower case)
/// and the body byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRequest {
    pub headers: Vec<(String, String)>,
    /// Headers whose values are hidden ([`REDACTED`]): the endpoint's credentials.
    pub sensitive: Vec<String>,
    /// `None` when not recorded: see [`SentRequest::body_recorded`].
    pub body: Option<String>,
    /// The attempt kept what it sent (made by a version that records exact bodies, and its
    /// try sent a request). `body` may still be `None` if the content was expunged since.
    pub body_recorded: bool,
}

/// An attempt, its message and what it sent; 404 for another company's attempt. `profile` is
/// the deployment's delivery profile: its own signature headers are shown.
pub async fn get(
    db: &Db,
    profile: &DeliveryProfile,
    app: &AppId,
    attempt: &str,
) -> Result<(Attempt, Message, SentRequest), ServiceError> {
    let (a, m) = attempts::get_with_message(db, app, attempt).await?;
    let sent = sent_request(db, profile, &a, &m).await?;
    Ok((a, m, sent))
}

/// The same, by message (id or eventId) and attempt, as the API addresses it.
pub async fn get_of_message(
    db: &Db,
    profile: &DeliveryProfile,
    app: &AppId,
    msg: &str,
    attempt: &str,
) -> Result<(Attempt, SentRequest), ServiceError> {
    let m = messages::get(db, app, msg).await?;
    let a = attempts::get(db, app, &m.id, attempt).await?;
    let sent = sent_request(db, profile, &a, &m).await?;
    Ok((a, sent))
}

async fn sent_request(
    db: &Db,
    profile: &DeliveryProfile,
    a: &Attempt,
    m: &Message,
) -> Result<SentRequest, ServiceError> {
    let (headers, sensitive) = request_headers(a, &profile.reserved_headers());
    Ok(SentRequest {
        headers,
        sensitive,
        body: attempts::sent_body(db, a, m.payload.as_deref()).await?,
        body_recorded: a.request_body_ref.is_some(),
    })
}

/// The request headers, and which are hidden: any whose name looks like a credential, but for
/// Herald's own (`ours`: the signature, its timestamp), which are no secret (the receiver gets
/// them) and are what a signature check compares. The worker hides the endpoint's credentials
/// when it records them; this hides them again for records that still hold them.
fn request_headers(a: &Attempt, ours: &[String]) -> (Vec<(String, String)>, Vec<String>) {
    let mut sensitive = Vec::new();
    let headers = header_map(a.request_headers.as_deref())
        .into_iter()
        .map(|(k, v)| {
            let lower = k.to_ascii_lowercase();
            let hidden = v == REDACTED || (is_sensitive_header(&k) && !ours.contains(&lower));
            if hidden {
                sensitive.push(k.clone());
                (k, REDACTED.to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    (headers, sensitive)
}

/// The response headers, with credential-like ones (`set-cookie`, tokens) hidden.
pub fn response_headers(a: &Attempt) -> Vec<(String, String)> {
    header_map(a.response_headers.as_deref())
        .into_iter()
        .map(|(k, v)| {
            if is_sensitive_header(&k) {
                (k, REDACTED.to_owned())
            } else {
                (k, v)
            }
        })
        .collect()
}

fn header_map(json: Option<&str>) -> Vec<(String, String)> {
    let map: BTreeMap<String, serde_json::Value> = crate::ssr::store::json_or_default(json);
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(headers: &str, exact: bool) -> Attempt {
        Attempt {
            id: "atmpt_1".into(),
            app_id: "app_1".into(),
            msg_id: "msg_1".into(),
            endpoint_id: "ep_1".into(),
            url: "https://example.com".into(),
            status: 0,
            response_status_code: 200,
            response: None,
            response_headers: Some(r#"{"set-cookie":"s=1","x-ok":"1"}"#.into()),
            request_headers: Some(headers.into()),
            duration_ms: 1,
            trigger_type: 0,
            error: None,
            created_at: 0,
            request_body_ref: exact.then(|| "payload".into()),
            response_truncated: 0,
        }
    }

    #[test]
    fn the_signature_is_shown_and_what_the_worker_hid_stays_hidden() {
        let a = attempt(
            r#"{"authorization":"<redacted>","webhook-signature":"v1,abc","user-agent":"H/1"}"#,
            true,
        );
        let (headers, sensitive) = request_headers(&a, &["webhook-signature".to_owned()]);
        assert_eq!(sensitive, ["authorization"]);
        assert!(headers.contains(&("webhook-signature".into(), "v1,abc".into())));
    }

    #[test]
    fn a_credential_still_in_a_record_is_hidden_by_its_name() {
        let a = attempt(r#"{"X-Api-Key":"live_123","content-type":"a/b"}"#, false);
        let (headers, sensitive) = request_headers(&a, &["webhook-signature".to_owned()]);
        assert_eq!(sensitive, ["X-Api-Key"]);
        assert_eq!(headers[0], ("X-Api-Key".into(), REDACTED.into()));
        assert_eq!(
            response_headers(&a),
            [
                ("set-cookie".to_owned(), REDACTED.to_owned()),
                ("x-ok".to_owned(), "1".to_owned())
            ]
        );
    }
}
