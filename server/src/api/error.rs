//! Error policy for the REST API. Clients always get JSON with a 4xx for their mistakes; a 500
//! means a bug or an outage, its cause is logged once here and never sent.
//!
//! Shapes, as in Svix (its SDKs parse them):
//! - every status but 422: `{code, detail}` with `detail` a sentence;
//! - 422: `{code: "validation", detail: [{loc, msg, type}]}`. Services report validation problems
//!   as `"field: what is wrong"`; the field becomes `loc: ["body", field]` so a client can point at
//!   the form field, and the whole sentence stays in `msg` so it reads well on its own.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use herald_app::ssr::ServiceError;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HttpErrorOut {
    pub code: String,
    pub detail: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    /// For a 422: whether the request's body or its query string was at fault.
    pub location: &'static str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            location: "body",
        }
    }

    /// The same error, blamed on the body (for helpers shared by query and body parsing).
    pub fn in_body(self) -> Self {
        ApiError {
            location: "body",
            ..self
        }
    }

    /// A 422 about the query string (`limit`, `order`, dates...).
    pub fn invalid_query(detail: impl Into<String>) -> Self {
        ApiError {
            location: "query",
            ..Self::validation(detail)
        }
    }

    pub fn validation(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", detail)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "authentication_failed", detail)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(what) => ApiError::not_found(what),
            ServiceError::Validation(d) => ApiError::validation(d),
            ServiceError::Conflict { code, detail } => {
                ApiError::new(StatusCode::CONFLICT, code, detail)
            }
            ServiceError::Forbidden(d) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", d),
            ServiceError::Internal(cause) => {
                tracing::error!(error = %format!("{cause:#}"), "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "internal server error",
                )
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::from(e).into()
    }
}

/// One item of a 422's `detail` list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ValidationErrorItem {
    pub loc: Vec<String>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HttpValidationError {
    pub code: &'static str,
    pub detail: Vec<ValidationErrorItem>,
}

impl ValidationErrorItem {
    /// `"url: must use https"` becomes `loc: ["body", "url"]`; a message without a leading field
    /// name (or where the "field" has spaces, so it is prose) is about the whole body.
    pub fn from_message(location: &str, msg: &str) -> Self {
        let mut loc = vec![location.to_owned()];
        if let Some((field, _)) = msg.split_once(": ") {
            let is_path = !field.is_empty()
                && field
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'));
            if is_path {
                loc.extend(
                    field
                        .split('.')
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        ValidationErrorItem {
            loc,
            msg: msg.to_owned(),
            kind: "value_error",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::UNPROCESSABLE_ENTITY {
            let msg = self
                .detail
                .strip_prefix("invalid body: ")
                .or_else(|| self.detail.strip_prefix("invalid query string: "))
                .unwrap_or(&self.detail);
            let item = ValidationErrorItem::from_message(self.location, msg);
            return (
                self.status,
                Json(HttpValidationError {
                    code: self.code,
                    detail: vec![item],
                }),
            )
                .into_response();
        }
        (
            self.status,
            Json(HttpErrorOut {
                code: self.code.to_owned(),
                detail: self.detail,
            }),
        )
            .into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_prefix_becomes_the_location() {
        let item = ValidationErrorItem::from_message("body", "url: must use https");
        assert_eq!(item.loc, ["body", "url"]);
        assert_eq!(item.msg, "url: must use https");
    }

    #[test]
    fn prose_without_a_field_is_about_the_whole_body() {
        let item = ValidationErrorItem::from_message("body", "the payload is too deep: 70 levels");
        assert_eq!(item.loc, ["body"]);
    }

    #[test]
    fn nested_paths_are_split() {
        let item = ValidationErrorItem::from_message("body", "application.name: must not be empty");
        assert_eq!(item.loc, ["body", "application", "name"]);
    }
}
