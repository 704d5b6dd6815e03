//! The tenant a request is about, from the `{app_id}` path segment (an id or the host's uid).
//!
//! Both extractors authenticate before they look the tenant up, so a caller without a key cannot
//! learn which ids exist. An unknown id or uid is a 404 `not_found`; the store scopes every
//! further query by the tenant id found here, so another tenant's endpoint or message answers 404
//! too.

use super::auth::ApiKeyAuth;
use super::error::ApiError;
use super::extract::{nul_free_path_param, raw_path_params};
use super::ApiState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use herald_app::ids::AppId;
use herald_app::ssr::domain::tenants::{self, ActiveTenant};
use herald_app::ssr::store::applications;

/// The path's tenant, in whatever state it is (reads, settings).
#[derive(Debug, Clone)]
pub struct Tenant(pub AppId);

/// The path's tenant, refused (403) when the operator disabled it: for the doors that send.
#[derive(Debug, Clone)]
pub struct Active(pub ActiveTenant);

/// The two extractors differ only in how they resolve the raw `{app_id}`: authentication, the
/// path parameter and its NUL check are [`app_id_of`], shared.
macro_rules! tenant_extractor {
    ($name:ident, $resolve:path) => {
        impl FromRequestParts<ApiState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &ApiState,
            ) -> Result<Self, Self::Rejection> {
                let raw = app_id_of(parts, state).await?;
                Ok($name($resolve(&state.app.db, &raw).await?))
            }
        }
    };
}

tenant_extractor!(Tenant, applications::resolve);
tenant_extractor!(Active, tenants::active);

/// The raw `{app_id}`, once the request is authenticated.
async fn app_id_of(parts: &mut Parts, state: &ApiState) -> Result<String, ApiError> {
    ApiKeyAuth::from_request_parts(parts, state).await?;
    let params = raw_path_params(parts, state).await?;
    let Some((name, value)) = params.into_iter().find(|(k, _)| k == "app_id") else {
        // A route without `{app_id}` using this extractor is a programming error.
        return Err(ApiError::not_found("application"));
    };
    nul_free_path_param(&name, &value)?;
    Ok(value)
}
