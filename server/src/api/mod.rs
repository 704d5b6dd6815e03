//! The REST API under /api/v1: Svix-compatible paths and JSON shapes, Bearer API keys, and an
//! OpenAPI document generated from the same route definitions.

pub mod auth;
pub mod error;
pub mod extract;
pub mod tenant;
pub mod v1;

use herald_app::ssr::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The state REST handlers share.
#[derive(Clone, Debug)]
pub struct ApiState {
    pub app: AppState,
    /// Recently verified API-key hashes: until when (ms) they are trusted without a query, and
    /// whose key it is.
    pub key_cache: Arc<Mutex<HashMap<String, (i64, auth::ApiKeyAuth)>>>,
}

impl ApiState {
    pub fn new(app: AppState) -> Self {
        ApiState {
            app,
            key_cache: Arc::new(Mutex::new(HashMap::new())),
        }
    }
}

/// The Svix list parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Items per page (1 to 250, default 50).
    pub limit: Option<i64>,
    /// The `iterator` of the previous page.
    pub iterator: Option<String>,
    /// `ascending` or `descending`.
    pub order: Option<String>,
}

impl ListParams {
    pub fn query(
        &self,
        default_descending: bool,
    ) -> Result<herald_app::ssr::store::ListQuery, error::ApiError> {
        let descending = match self.order.as_deref() {
            None => default_descending,
            Some("ascending") => false,
            Some("descending") => true,
            Some(o) => {
                return Err(error::ApiError::invalid_query(format!(
                    "order: '{o}' is not ascending or descending"
                )))
            }
        };
        if let Some(l) = self.limit {
            if !(1..=herald_app::ssr::store::MAX_PAGE).contains(&l) {
                return Err(error::ApiError::invalid_query(format!(
                    "limit: must be between 1 and {}",
                    herald_app::ssr::store::MAX_PAGE
                )));
            }
        }
        Ok(herald_app::ssr::store::ListQuery::new(
            self.limit,
            self.iterator.clone(),
            descending,
        ))
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T: serde::Serialize> {
    pub data: Vec<T>,
    pub iterator: Option<String>,
    pub prev_iterator: Option<String>,
    pub done: bool,
}

impl<T: serde::Serialize> ListResponse<T> {
    pub fn from_page<U>(page: herald_app::ssr::store::Page<U>, f: impl FnMut(U) -> T) -> Self {
        let page = page.map(f);
        ListResponse {
            data: page.data,
            iterator: page.iterator,
            prev_iterator: None,
            done: page.done,
        }
    }
}

/// Parses an RFC 3339 query value.
pub fn parse_time(field: &str, v: Option<&str>) -> Result<Option<i64>, error::ApiError> {
    match v {
        None => Ok(None),
        Some(s) => herald_app::ssr::infra::time::parse_rfc3339(s)
            .map(Some)
            .ok_or_else(|| {
                error::ApiError::invalid_query(format!(
                    "{field}: '{s}' is not an RFC 3339 date-time"
                ))
            }),
    }
}

/// `?event_types=a&event_types=b` or `?event_types=a,b` (also with `[]`): the Svix SDKs send
/// lists in all three forms, which a derived query struct cannot read.
pub fn repeated_param(uri: &axum::http::Uri, name: &str) -> Vec<String> {
    let bracketed = format!("{name}[]");
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == name || *k == bracketed)
        .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

/// For PATCH bodies: an absent field is `None`, an explicit `null` is `Some(None)`.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
