//! Portal access request and response shapes.

use crate::api::v1::{ApplicationIn, BrandingIn};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct AppPortalAccessIn {
    /// Session length in seconds once the link is used (default 7 days).
    pub expiry: Option<i64>,
    #[serde(default)]
    pub read_only: bool,
    pub capabilities: Option<Vec<String>>,
    /// The host product's id for this session, so it can be ended later.
    pub session_id: Option<String>,
    pub feature_flags: Option<Vec<String>>,
    /// Creates the application first when the path's id or uid does not exist yet.
    pub application: Option<ApplicationIn>,
    /// How the portal looks in this session (our extension), over the application's branding.
    pub branding: Option<BrandingIn>,
    /// The portal's language in this session (our extension): "en", "fr" or "ar", with or
    /// without a region. Absent: the browser's language, then the deployment's default.
    pub locale: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppPortalAccessOut {
    pub url: String,
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationTokenExpireIn {
    /// Seconds until the sessions end (0 or absent: at once; at most 3 days).
    pub expiry: Option<i64>,
    /// Only the sessions minted with one of these `sessionId`s.
    pub session_ids: Option<Vec<String>>,
}
