//! The event catalogue: dotted names, a category (`groupName`), a description, schemas with examples.

use super::{Arg, ListQuery, Page, Sql};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::{infra::validate, ServiceError};
use serde_json::Value;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventType {
    pub name: String,
    pub description: String,
    pub group_name: Option<String>,
    pub schemas: Option<String>,
    pub archived: i64,
    pub deprecated: i64,
    pub feature_flag: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EventType {
    /// The example payload a test send uses: the first schema's `examples[0]` (or `example`).
    pub fn example_payload(&self) -> Value {
        let schemas: Value = super::json_or_default::<Value>(self.schemas.as_deref());
        let Some(obj) = schemas.as_object() else {
            return Value::Object(Default::default());
        };
        for schema in obj.values() {
            if let Some(ex) = schema.get("examples").and_then(|e| e.get(0)) {
                return ex.clone();
            }
            if let Some(ex) = schema.get("example") {
                return ex.clone();
            }
        }
        Value::Object(Default::default())
    }
}

#[derive(Debug, Clone, Default)]
pub struct EventTypeInput {
    pub description: String,
    pub group_name: Option<String>,
    pub schemas: Option<Value>,
    pub archived: bool,
    pub deprecated: bool,
    pub feature_flag: Option<String>,
}

impl EventTypeInput {
    pub fn validate(&self) -> Result<(), ServiceError> {
        validate::text("description", &self.description, 4096)?;
        if let Some(g) = &self.group_name {
            validate::text("groupName", g, 256)?;
        }
        if let Some(f) = &self.feature_flag {
            validate::name_like("featureFlag", f, 256)?;
        }
        if let Some(s) = &self.schemas {
            if !s.is_object() {
                return Err(ServiceError::validation(
                    "schemas: must be an object of version to JSON schema",
                ));
            }
        }
        Ok(())
    }
}

const COLUMNS: &str =
    "name, description, group_name, schemas, archived, deprecated, feature_flag, created_at, updated_at";

/// Creates an event type, on the caller's connection (its transaction).
pub async fn create_in(
    conn: &mut AnyConnection,
    name: &str,
    input: EventTypeInput,
) -> Result<EventType, ServiceError> {
    let name = validate::event_type_name(name)?;
    input.validate()?;
    let now = now_ms();
    let et = EventType {
        name,
        description: input.description,
        group_name: input.group_name,
        schemas: input.schemas.map(|s| s.to_string()),
        archived: input.archived.into(),
        deprecated: input.deprecated.into(),
        feature_flag: input.feature_flag,
        created_at: now,
        updated_at: now,
    };
    sqlx::query(&format!(
        "INSERT INTO event_types ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&et.name)
    .bind(&et.description)
    .bind(&et.group_name)
    .bind(&et.schemas)
    .bind(et.archived)
    .bind(et.deprecated)
    .bind(&et.feature_flag)
    .bind(et.created_at)
    .bind(et.updated_at)
    .execute(conn)
    .await
    .map_err(|e| {
        if unique_violation(&e).is_some() {
            ServiceError::Conflict {
                code: "event_type_exists",
                detail: "an event type with this name already exists".into(),
            }
        } else {
            e.into()
        }
    })?;
    Ok(et)
}

pub async fn get(db: &Db, name: &str) -> Result<EventType, ServiceError> {
    let mut conn = db.write.acquire().await?;
    get_in(&mut conn, name).await
}

/// [`get`] on the caller's connection: what a change is about to replace, in its transaction.
pub async fn get_in(conn: &mut AnyConnection, name: &str) -> Result<EventType, ServiceError> {
    sqlx::query_as::<_, EventType>(&format!(
        "SELECT {COLUMNS} FROM event_types WHERE name = $1"
    ))
    .bind(name)
    .fetch_optional(conn)
    .await?
    .ok_or(ServiceError::NotFound("event type"))
}

pub async fn list(
    db: &Db,
    q: &ListQuery,
    include_archived: bool,
) -> Result<Page<EventType>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {COLUMNS} FROM event_types WHERE 1=1"),
    );
    if !include_archived {
        sql.push(" AND archived = 0");
    }
    if let Some(it) = &q.iterator {
        sql.push(if q.descending {
            " AND name < "
        } else {
            " AND name > "
        })
        .bind(Arg::Text(it.clone()));
    }
    sql.push(if q.descending {
        " ORDER BY name DESC LIMIT "
    } else {
        " ORDER BY name ASC LIMIT "
    })
    .bind(Arg::Int(q.limit + 1));
    let rows = sql.query_as::<EventType>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, q.limit, |e| e.name.clone()))
}

/// PUT: replaces the fields, creating the event type when absent (the bool says so).
/// Replaces an event type, creating it when absent, on the caller's connection. Returns it and
/// whether it is new.
pub async fn upsert_in(
    conn: &mut AnyConnection,
    name: &str,
    input: EventTypeInput,
) -> Result<(EventType, bool), ServiceError> {
    match get_in(&mut *conn, name).await {
        Ok(existing) => Ok((replace_in(conn, existing, input).await?, false)),
        Err(ServiceError::NotFound(_)) => Ok((create_in(conn, name, input).await?, true)),
        Err(e) => Err(e),
    }
}

/// Replaces the fields of `existing`, on the caller's connection.
pub async fn replace_in(
    conn: &mut AnyConnection,
    existing: EventType,
    input: EventTypeInput,
) -> Result<EventType, ServiceError> {
    input.validate()?;
    let et = EventType {
        description: input.description,
        group_name: input.group_name,
        schemas: input.schemas.map(|s| s.to_string()),
        archived: input.archived.into(),
        deprecated: input.deprecated.into(),
        feature_flag: input.feature_flag,
        updated_at: now_ms(),
        ..existing
    };
    sqlx::query(
        "UPDATE event_types SET description = $2, group_name = $3, schemas = $4, archived = $5,
         deprecated = $6, feature_flag = $7, updated_at = $8 WHERE name = $1",
    )
    .bind(&et.name)
    .bind(&et.description)
    .bind(&et.group_name)
    .bind(&et.schemas)
    .bind(et.archived)
    .bind(et.deprecated)
    .bind(&et.feature_flag)
    .bind(et.updated_at)
    .execute(conn)
    .await?;
    Ok(et)
}

/// Deleting archives: messages and endpoint filters keep referring to the name. `expunge`
/// removes the row for real.
/// Archives an event type, or deletes it (`expunge`), on the caller's connection.
pub async fn delete_in(
    conn: &mut AnyConnection,
    name: &str,
    expunge: bool,
) -> Result<(), ServiceError> {
    let done = if expunge {
        sqlx::query("DELETE FROM event_types WHERE name = $1")
            .bind(name)
            .execute(conn)
            .await?
    } else {
        sqlx::query("UPDATE event_types SET archived = 1, updated_at = $2 WHERE name = $1")
            .bind(name)
            .bind(now_ms())
            .execute(conn)
            .await?
    };
    if done.rows_affected() == 0 {
        return Err(ServiceError::NotFound("event type"));
    }
    Ok(())
}

/// Names in `names` that are not in the catalogue.
pub async fn unknown_names(db: &Db, names: &[String]) -> Result<Vec<String>, ServiceError> {
    let mut unknown = Vec::new();
    for n in names {
        let found: Option<(String,)> =
            sqlx::query_as("SELECT name FROM event_types WHERE name = $1")
                .bind(n)
                .fetch_optional(&db.read)
                .await?;
        if found.is_none() {
            unknown.push(n.clone());
        }
    }
    Ok(unknown)
}

/// How many event types exist, archived ones included.
pub async fn count(db: &Db) -> Result<i64, ServiceError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM event_types")
        .fetch_one(&db.write)
        .await?;
    Ok(n)
}
