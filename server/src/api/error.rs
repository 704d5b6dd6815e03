//! Error policy for the REST API. Clients always get `{code, detail}` JSON with a 4xx for their
//! mistakes; a 500 means a bug or an outage, its cause is logged once here and never sent.

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
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
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
