//! Application (tenant) request and response shapes.

use crate::api::error::ApiError;
use herald_app::branding::{Branding, Theme};
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::applications::{Application, ApplicationInput};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationIn {
    pub name: String,
    pub uid: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    pub throttle_rate: Option<i64>,
}

impl From<ApplicationIn> for ApplicationInput {
    fn from(a: ApplicationIn) -> Self {
        ApplicationInput {
            name: a.name,
            uid: a.uid,
            metadata: a.metadata.unwrap_or_default(),
            throttle_rate: a.throttle_rate,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub uid: Option<Option<String>>,
    pub metadata: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub throttle_rate: Option<Option<i64>>,
}

impl ApplicationPatch {
    /// The application's settings with this patch applied.
    pub fn apply(self, existing: &Application) -> ApplicationInput {
        ApplicationInput {
            name: self.name.unwrap_or_else(|| existing.name.clone()),
            uid: self.uid.unwrap_or_else(|| existing.uid.clone()),
            metadata: match self.metadata {
                Some(m) => m,
                None => serde_json::from_str(&existing.metadata).unwrap_or_default(),
            },
            throttle_rate: self.throttle_rate.unwrap_or(existing.throttle_rate),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    pub name: String,
    pub metadata: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle_rate: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Application> for ApplicationOut {
    fn from(a: Application) -> Self {
        ApplicationOut {
            id: a.id,
            uid: a.uid,
            name: a.name,
            metadata: serde_json::from_str(&a.metadata)
                .unwrap_or_else(|_| Value::Object(Map::new())),
            throttle_rate: a.throttle_rate,
            created_at: to_rfc3339(a.created_at),
            updated_at: to_rfc3339(a.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// Return the existing application (200) when one with this uid exists.
    pub get_if_exists: Option<bool>,
}

/// How the company's portal looks (our extension to the Svix API). Every field is optional: one
/// left out (or blank) takes the deployment's setting; a portal link can override each again.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BrandingIn {
    /// The host product's name, shown at the top of the portal (at most 80 characters).
    #[serde(default)]
    pub display_name: Option<String>,
    /// The host's logo: an `https://` address, or a `data:image/…;base64,` URL of at most 64 KB.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// `#rrggbb` or `#rgb`; adjusted where needed so text in it stays readable (WCAG AA).
    #[serde(default)]
    pub accent_color: Option<String>,
    /// `light`, `dark` or `auto` (the viewer's system setting).
    #[serde(default)]
    pub theme: Option<String>,
    /// The host product's page where a company moves to a larger plan (`https://…`): the portal
    /// links to it where a plan's limit stops something.
    #[serde(default)]
    pub upgrade_url: Option<String>,
}

impl BrandingIn {
    /// The branding this body asks for, or a validation error naming the field (prefixed, for a
    /// body where the branding is one member of several).
    pub fn parse(self, prefix: &str) -> Result<Branding, ApiError> {
        let theme = match self.theme.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(Theme::parse(t).ok_or_else(|| {
                ApiError::validation(format!(
                    "{prefix}theme: must be light, dark or auto, not '{t}'"
                ))
                .in_body()
            })?),
        };
        let b = Branding {
            display_name: self.display_name,
            logo_url: self.logo_url,
            accent_color: self.accent_color,
            theme,
            upgrade_url: self.upgrade_url,
        }
        .normalized();
        b.validate()
            .map_err(|e| ApiError::validation(format!("{prefix}{e}")).in_body())?;
        Ok(b)
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BrandingOut {
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    pub accent_color: Option<String>,
    pub theme: Option<String>,
    pub upgrade_url: Option<String>,
}

impl From<Branding> for BrandingOut {
    fn from(b: Branding) -> Self {
        BrandingOut {
            display_name: b.display_name,
            logo_url: b.logo_url,
            accent_color: b.accent_color,
            theme: b.theme.map(|t| t.as_str().to_owned()),
            upgrade_url: b.upgrade_url,
        }
    }
}
