//! Version 1 resources, one module each, every one with its `router()`.

pub mod application;
pub mod attempt;
pub mod audit;
pub mod auth;
pub mod endpoint;
pub mod event_type;
pub mod health;
pub mod message;
pub mod plan;

use super::ApiState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Herald API", description = "Svix-compatible webhook delivery API"),
    components(schemas(
        super::error::HttpErrorOut,
        super::error::HttpValidationError,
        super::error::ValidationErrorItem
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "HTTPBearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(application::router())
        .merge(event_type::router())
        .merge(endpoint::router())
        .merge(message::router())
        .merge(attempt::router())
        .merge(auth::router())
        .merge(plan::router())
        .merge(audit::router())
        .merge(health::router())
}
