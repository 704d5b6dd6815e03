//! Extractors whose rejections speak our error format: malformed JSON is a 400, JSON of the wrong
//! shape a 422 naming the field, an oversized body a 413; bad query strings and path segments a
//! 422 naming the parameter.
//!
//! They also refuse the NUL character (U+0000) in every string they hand on, naming where it
//! was: PostgreSQL's text and jsonb cannot store it, so letting it through would make the same
//! request a 500 on one backend and a success on the other. Checking here, once, covers every
//! handler, path id, query value and body field (message payloads included).

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

const NUL_REFUSED: &str = "must not contain the NUL character (\\u0000)";

/// A JSON body (`Content-Type: application/json` required).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body that may be left out (an empty or blank body is `T::default()`), as the Svix SDKs
/// send for optional bodies; no Content-Type is required.
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        parse_json(&bytes).map(OptionalJson)
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is too large",
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", rej.body_text())
        }
    })
}

/// `application/json` or any `application/…+json`, parameters (charset) allowed: axum's rule.
fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or_default().trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json") || sub.to_ascii_lowercase().ends_with("+json"))
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let v = match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(v)) => v,
        Err(rej) => return Err(json_rejection(rej)),
    };
    refuse_nul_in_json(bytes)?;
    Ok(v)
}

/// JSON can only carry U+0000 as the escape `\u0000` (a raw control byte is a syntax error), so
/// bodies without that text, which is every ordinary one, are not parsed a second time.
fn refuse_nul_in_json(bytes: &[u8]) -> Result<(), ApiError> {
    if !bytes.windows(6).any(|w| w == b"\\u0000") {
        return Ok(());
    }
    // The text may be an escaped backslash followed by "u0000": only the parsed value can tell.
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else {
        return Ok(());
    };
    match nul_location(&v) {
        None => Ok(()),
        Some(path) if path.is_empty() => Err(ApiError::validation(format!(
            "the body {NUL_REFUSED} in an object key"
        ))),
        Some(path) => Err(ApiError::validation(format!(
            "{}: {NUL_REFUSED}",
            path.join(".")
        ))),
    }
}

/// Where the first NUL is: the path of the string holding it (or of the object whose key holds
/// it), cut before the first segment that is not a plain name so the error's `loc` stays exact.
fn nul_location(v: &Value) -> Option<Vec<String>> {
    fn walk(v: &Value, path: &mut Vec<String>) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                path.push(i.to_string());
                let found = walk(item, path);
                if !found {
                    path.pop();
                }
                found
            }),
            Value::Object(map) => map.iter().any(|(k, item)| {
                if k.contains('\0') {
                    return true;
                }
                path.push(k.clone());
                let found = walk(item, path);
                if !found {
                    path.pop();
                }
                found
            }),
            _ => false,
        }
    }
    let mut path = Vec::new();
    if !walk(v, &mut path) {
        return None;
    }
    let plain = |s: &String| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    };
    Some(path.into_iter().take_while(plain).collect())
}

pub fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::JsonDataError(e) => ApiError::validation(format!(
            "invalid body: {}",
            e.body_text()
                .trim_start_matches("Failed to deserialize the JSON body into the target type: ")
        )),
        JsonRejection::JsonSyntaxError(e) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "the body is not valid JSON: {}",
                e.body_text()
                    .trim_start_matches("Failed to parse the request body as JSON: ")
            ),
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is too large",
        ),
        other => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
    }
}

/// The query string, deserialized.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        refuse_nul_in_query(parts.uri.query())?;
        let deduped = without_repeats(&parts.uri);
        match axum::extract::Query::<T>::try_from_uri(deduped.as_ref().unwrap_or(&parts.uri)) {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(ApiError::invalid_query(format!(
                    "invalid query string: {}",
                    e.body_text()
                        .trim_start_matches("Failed to deserialize query string: ")
                )))
            }
            Err(other) => Err(ApiError::invalid_query(other.body_text())),
        }
    }
}

/// Parameters that hold lists and may be repeated (`?event_types=a&event_types=b`, as the Svix
/// SDKs send them). Handlers read their values from the URI (`api::repeated_param`); the typed
/// query, which would refuse a repeated field, sees the first.
const REPEATABLE: &[&str] = &["event_types"];

/// The URI with each repeatable parameter kept once, when one is repeated.
fn without_repeats(uri: &axum::http::Uri) -> Option<axum::http::Uri> {
    let query = uri.query()?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let repeated = REPEATABLE
        .iter()
        .any(|name| pairs.iter().filter(|(k, _)| k == name).count() > 1);
    if !repeated {
        return None;
    }
    let mut seen = Vec::new();
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        if REPEATABLE.contains(&k.as_str()) {
            if seen.contains(k) {
                continue;
            }
            seen.push(k.clone());
        }
        out.append_pair(k, v);
    }
    format!("{}?{}", uri.path(), out.finish()).parse().ok()
}

fn refuse_nul_in_query(query: Option<&str>) -> Result<(), ApiError> {
    let Some(q) = query else { return Ok(()) };
    // `%00` is the only way a NUL gets into a URL: skip the decoding when it is not there.
    if !q.contains("%00") {
        return Ok(());
    }
    for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
        if k.contains('\0') {
            return Err(ApiError::invalid_query(format!(
                "a query parameter's name {NUL_REFUSED}"
            )));
        }
        if v.contains('\0') {
            return Err(ApiError::invalid_query(format!("{k}: {NUL_REFUSED}")));
        }
    }
    Ok(())
}

/// The path's parameters, deserialized (`String`s, tuples or a struct naming some of them).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        for (name, value) in raw_path_params(parts, state).await? {
            nul_free_path_param(&name, &value)?;
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(rej) => Err(path_rejection(rej)),
        }
    }
}

/// The path's parameters by name, percent-decoded, unchecked.
pub(crate) async fn raw_path_params<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<Vec<(String, String)>, ApiError> {
    let raw = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|rej| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", rej.body_text()))?;
    Ok(raw
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

/// A 422 blaming the path parameter `name` when its value holds a NUL.
pub(crate) fn nul_free_path_param(name: &str, value: &str) -> Result<(), ApiError> {
    if value.contains('\0') {
        return Err(ApiError {
            location: "path",
            ..ApiError::validation(format!("{name}: {NUL_REFUSED}"))
        });
    }
    Ok(())
}

fn path_rejection(rej: PathRejection) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_request", rej.body_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detail(r: Result<(), ApiError>) -> String {
        r.err().map(|e| e.detail).unwrap_or_default()
    }

    #[test]
    fn a_nul_in_a_nested_string_is_named_by_its_path() {
        let body =
            serde_json::to_vec(&json!({ "payload": { "items": [1, { "name": "a\u{0}b" }] } }))
                .unwrap();
        assert_eq!(
            detail(refuse_nul_in_json(&body)),
            format!("payload.items.1.name: {NUL_REFUSED}")
        );
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_not_a_nul() {
        let body = br#"{"description": "C:\\u0000"}"#;
        assert!(refuse_nul_in_json(body).is_ok());
    }

    #[test]
    fn a_key_that_is_not_a_plain_name_ends_the_path() {
        let body = serde_json::to_vec(&json!({ "payload": { "a b": "x\u{0}" } })).unwrap();
        assert_eq!(
            detail(refuse_nul_in_json(&body)),
            format!("payload: {NUL_REFUSED}")
        );
    }

    #[test]
    fn a_nul_in_a_query_value_names_the_parameter() {
        assert_eq!(
            detail(refuse_nul_in_query(Some("limit=2&iterator=ab%00c"))),
            format!("iterator: {NUL_REFUSED}")
        );
        assert!(refuse_nul_in_query(Some("iterator=abc%2500")).is_ok());
    }

    #[test]
    fn json_media_types_follow_axum() {
        let ok = |ct: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap());
            json_content_type(&h)
        };
        assert!(ok("application/json"));
        assert!(ok("application/json; charset=utf-8"));
        assert!(ok("application/vnd.api+json"));
        assert!(!ok("text/plain"));
        assert!(!ok("application/jsonx"));
    }
}
