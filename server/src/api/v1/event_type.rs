use crate::api::auth::ApiKeyAuth;
use crate::api::error::ApiResult;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::{ApiState, ListParams, ListResponse};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use herald_app::ssr::infra::time::to_rfc3339;
use herald_app::ssr::store::event_types::{self, EventType, EventTypeInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeIn {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schemas: Option<Value>,
    pub feature_flag: Option<String>,
    /// The category the event belongs to (shown as a group in the portal).
    pub group_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeUpdate {
    pub description: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schemas: Option<Value>,
    pub feature_flag: Option<String>,
    pub group_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypePatch {
    pub description: Option<String>,
    pub archived: Option<bool>,
    pub deprecated: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub schemas: Option<Option<Value>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub feature_flag: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::double_option")]
    pub group_name: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTypeOut {
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schemas: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_flag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<EventType> for EventTypeOut {
    fn from(e: EventType) -> Self {
        EventTypeOut {
            schemas: e
                .schemas
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok()),
            name: e.name,
            description: e.description,
            archived: e.archived != 0,
            deprecated: e.deprecated != 0,
            feature_flag: e.feature_flag,
            group_name: e.group_name,
            created_at: to_rfc3339(e.created_at),
            updated_at: to_rfc3339(e.updated_at),
        }
    }
}

fn input(u: EventTypeUpdate) -> EventTypeInput {
    EventTypeInput {
        description: u.description,
        group_name: u.group_name,
        schemas: u.schemas,
        archived: u.archived,
        deprecated: u.deprecated,
        feature_flag: u.feature_flag,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventTypeListParams {
    pub limit: Option<i64>,
    pub iterator: Option<String>,
    pub order: Option<String>,
    /// Include archived event types.
    pub include_archived: Option<bool>,
    /// Accepted for compatibility; schemas are always included.
    pub with_content: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Delete for real instead of archiving.
    pub expunge: Option<bool>,
}

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
    let input = EventTypeInput {
        description: b.description,
        group_name: b.group_name,
        schemas: b.schemas,
        archived: b.archived,
        deprecated: b.deprecated,
        feature_flag: b.feature_flag,
    };
    let et = event_types::create(&s.app.db, &name, input).await?;
    audit_catalogue(
        &s,
        &who,
        "event_type.created",
        &et.name,
        serde_json::json!({}),
    )
    .await;
    Ok((StatusCode::CREATED, Json(et.into())))
}

/// Get an event type.
#[utoipa::path(get, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type",
    params(("event_type_name" = String, Path)), responses((status = 200, body = EventTypeOut)))]
async fn get_event_type(
    State(s): State<ApiState>,
    _: ApiKeyAuth,
    Path(name): Path<String>,
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
    Path(name): Path<String>,
    ApiJson(b): ApiJson<EventTypeUpdate>,
) -> ApiResult<(StatusCode, Json<EventTypeOut>)> {
    let (et, created) = event_types::upsert(&s.app.db, &name, input(b)).await?;
    let action = if created {
        "event_type.created"
    } else {
        "event_type.updated"
    };
    audit_catalogue(&s, &who, action, &et.name, serde_json::json!({})).await;
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
    Path(name): Path<String>,
    ApiJson(b): ApiJson<EventTypePatch>,
) -> ApiResult<Json<EventTypeOut>> {
    let existing = event_types::get(&s.app.db, &name).await?;
    let input = EventTypeInput {
        description: b
            .description
            .unwrap_or_else(|| existing.description.clone()),
        group_name: b.group_name.unwrap_or_else(|| existing.group_name.clone()),
        schemas: b.schemas.unwrap_or_else(|| {
            existing
                .schemas
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
        }),
        archived: b.archived.unwrap_or(existing.archived != 0),
        deprecated: b.deprecated.unwrap_or(existing.deprecated != 0),
        feature_flag: b
            .feature_flag
            .unwrap_or_else(|| existing.feature_flag.clone()),
    };
    let et = event_types::replace(&s.app.db, existing, input).await?;
    audit_catalogue(
        &s,
        &who,
        "event_type.updated",
        &et.name,
        serde_json::json!({}),
    )
    .await;
    Ok(Json(et.into()))
}

/// Archive an event type (or delete it with `expunge=true`).
#[utoipa::path(delete, path = "/api/v1/event-type/{event_type_name}", tag = "Event Type",
    params(("event_type_name" = String, Path), DeleteParams), responses((status = 204)))]
async fn delete_event_type(
    State(s): State<ApiState>,
    who: ApiKeyAuth,
    Path(name): Path<String>,
    ApiQuery(p): ApiQuery<DeleteParams>,
) -> ApiResult<StatusCode> {
    let expunge = p.expunge.unwrap_or(false);
    event_types::delete(&s.app.db, &name, expunge).await?;
    let action = if expunge {
        "event_type.deleted"
    } else {
        "event_type.archived"
    };
    audit_catalogue(&s, &who, action, &name, serde_json::json!({})).await;
    Ok(StatusCode::NO_CONTENT)
}

/// The catalogue is deployment-wide: its entries belong to no company.
async fn audit_catalogue(
    s: &ApiState,
    who: &ApiKeyAuth,
    action: &str,
    name: &str,
    facts: serde_json::Value,
) {
    herald_app::ssr::store::audit::record(&s.app.db, &who.actor(), None, action, Some(name), facts)
        .await;
}
