use crate::api::ApiState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ping))
}

/// 204 when the server and its database answer, 503 otherwise.
#[utoipa::path(get, path = "/api/v1/health", tag = "Health", responses((status = 204), (status = 503)))]
async fn health(State(s): State<ApiState>) -> StatusCode {
    match herald_app::ssr::store::health::ping(&s.app.db).await {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// 204 while the process is up (no database check).
#[utoipa::path(get, path = "/api/v1/health/ping", tag = "Health", responses((status = 204)))]
async fn ping() -> StatusCode {
    StatusCode::NO_CONTENT
}
