//! The event catalogue: deployment-wide event types (they belong to no tenant).

pub mod model;

use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiJson, ApiPath, ApiQuery};
use crate::api::{ApiState, ListParams, ListResponse};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::domain::catalogue;
use herald_app::ssr::store::event_types;
use model::{
    DeleteParams, EventTypeIn, EventTypeListParams, EventTypeOut, EventTypePatch, EventTypeUpdate,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_event_types, create_event_type))
        .routes(routes!(
            get_event_type,
            update_event_type,
            patch_event_type,
            delete_event_type
        ))
}

/// List event types.
#[utoipa::path(get, path = "/api/v1/event-type", tag = "Event Type", params(EventTypeListParams),
    responses((status = 200, body = ListResponse<EventTypeOut>)))]
async fn list_event_types(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiQuery(p): ApiQuery<EventTypeListParams>,
) -> ApiResult<Json<ListResponse<EventTypeOut>>> {
    let q = ListParams {
        limit: p.limit,
        iterator: p.iterator,
        order: p.order,
    }
    .query(false)?;
    let page = event_types::list(&s.app.db, &q, p.include_archived.unwrap_or(false)).await?;
    Ok(Json(ListResponse::from_page(page, EventTypeOut::from)))
}

/// Create an event type.
#[utoipa::path(post, path = "/api/v1/event-type", tag = "Event Type", request_body = EventTypeIn,
    responses((status = 201, body = EventTypeOut), (status = 409, body = crate::api::error::HttpErrorOut)))]
async fn create_event_type(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiJson(b): ApiJson<EventTypeIn>,
) -> ApiResult<(StatusCode, Json<EventTypeOut>)> {
    let name = b.name.clone();
    let input = b.into();
    let et = catalogue::create(&s.app.db, &who.actor(), &name, input).await?;
    Ok((StatusCode::CREATED, Json(et.into())))
}

/// Get an event type.
#[utoipa::path(get, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type",
    params(("event_type_name" = String, Path)), responses((status = 200, body = EventTypeOut)))]
async fn get_event_type(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<EventTypeOut>> {
    Ok(Json(event_types::get(&s.app.db, &name).await?.into()))
}

/// Update an event type, creating it if it does not exist.
#[utoipa::path(put, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type", request_body = EventTypeUpdate,
    params(("event_type_name" = String, Path)),
    responses((status = 200, body = EventTypeOut), (status = 201, body = EventTypeOut)))]
async fn update_event_type(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
    ApiJson(b): ApiJson<EventTypeUpdate>,
) -> ApiResult<(StatusCode, Json<EventTypeOut>)> {
    let (et, created) = catalogue::put(&s.app.db, &who.actor(), &name, b.into()).await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(et.into()),
    ))
}

/// Change some fields of an event type.
#[utoipa::path(patch, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type", request_body = EventTypePatch,
    params(("event_type_name" = String, Path)), responses((status = 200, body = EventTypeOut)))]
async fn patch_event_type(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
    ApiJson(b): ApiJson<EventTypePatch>,
) -> ApiResult<Json<EventTypeOut>> {
    let existing = event_types::get(&s.app.db, &name).await?;
    let input = b.apply(&existing);
    let et = catalogue::update(&s.app.db, &who.actor(), existing, input).await?;
    Ok(Json(et.into()))
}

/// Archive an event type (or delete it with `expunge=true`).
#[utoipa::path(delete, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type",
    params(("event_type_name" = String, Path), DeleteParams), responses((status = 204)))]
async fn delete_event_type(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    ApiPath(name): ApiPath<String>,
    ApiQuery(p): ApiQuery<DeleteParams>,
) -> ApiResult<StatusCode> {
    let expunge = p.expunge.unwrap_or(false);
    catalogue::delete(&s.app.db, &who.actor(), &name, expunge).await?;
    Ok(StatusCode::NO_CONTENT)
}
