//! Catalogue files: the event catalogue as one JSON document, to move it between deployments,
//! keep it in a repository, or ship a host product's catalogue with a preset.
//!
//! ```json
//! { "eventTypes": [ { "name": "invoice.paid", "description": "…", "groupName": "invoice",
//!                     "schemas": { "1": { "type": "object", "examples": [ { … } ] } },
//!                     "archived": false, "deprecated": false, "featureFlag": null } ] }
//! ```
//!
//! An import checks the whole file before it writes anything, so a file with one bad entry
//! changes nothing; then it creates or replaces each event type it names (others are left as
//! they are), in one transaction with its audit entry.
//!
//! The single event-type changes of the REST API and the console live here too, each filing its
//! audit entry in its own transaction.

use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::infra::db::Db;
use crate::ssr::store::event_types::{self, EventType, EventTypeInput};
use crate::ssr::{infra::validate, ServiceError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyConnection;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogueFile {
    pub event_types: Vec<CatalogueEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogueEntry {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub schemas: Option<Value>,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub feature_flag: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
}

/// Parses a catalogue file, naming the first problem (with the entry's position) if it has one.
pub fn parse(text: &str) -> Result<CatalogueFile, ServiceError> {
    let file: CatalogueFile = serde_json::from_str(text).map_err(|e| {
        ServiceError::validation(format!(
            "the catalogue file is not valid: {e} (expected {{\"eventTypes\": [{{\"name\": …}}]}})"
        ))
    })?;
    if file.event_types.len() > 10_000 {
        return Err(ServiceError::validation(
            "eventTypes: at most 10,000 event types in one file",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, e) in file.event_types.iter().enumerate() {
        let at = |err: ServiceError| {
            ServiceError::validation(format!("eventTypes[{i}] ({}): {err}", e.name))
        };
        validate::event_type_name(&e.name).map_err(at)?;
        if !seen.insert(e.name.as_str()) {
            return Err(ServiceError::validation(format!(
                "eventTypes[{i}]: {} appears twice",
                e.name
            )));
        }
        input_of(e).validate().map_err(at)?;
    }
    Ok(file)
}

fn input_of(e: &CatalogueEntry) -> EventTypeInput {
    EventTypeInput {
        description: e.description.clone(),
        group_name: e.group_name.clone().filter(|g| !g.trim().is_empty()),
        schemas: e.schemas.clone(),
        archived: e.archived,
        deprecated: e.deprecated,
        feature_flag: e.feature_flag.clone(),
    }
}

/// Where an imported catalogue file came from, which its audit entry names.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The operator console's upload.
    Console,
    /// `herald catalogue import <file>`.
    CommandLine { file: &'a str },
}

/// Imports a catalogue file: all of it, or (when any entry is bad) none of it. The event types
/// and the audit entry are one transaction.
pub async fn import(
    db: &Db,
    actor: &Actor,
    source: Source<'_>,
    text: &str,
) -> Result<Imported, ServiceError> {
    let file = parse(text)?;
    let mut tx = db.write.begin().await?;
    let done = apply(&mut tx, &file).await?;
    let (target, facts) = match source {
        Source::Console => (
            "catalogue",
            serde_json::json!({ "created": done.created, "updated": done.updated }),
        ),
        Source::CommandLine { file } => (
            file,
            serde_json::json!({ "created": done.created, "updated": done.updated, "via": "command line" }),
        ),
    };
    audit::write(&mut tx, actor, None, "catalogue.imported", target, facts).await?;
    tx.commit().await?;
    Ok(done)
}

/// Creates or replaces each event type the file names, on the caller's transaction.
async fn apply(conn: &mut AnyConnection, file: &CatalogueFile) -> Result<Imported, ServiceError> {
    let mut out = Imported::default();
    for e in &file.event_types {
        let (_, created) = event_types::upsert_in(&mut *conn, &e.name, input_of(e)).await?;
        if created {
            out.created += 1;
        } else {
            out.updated += 1;
        }
    }
    Ok(out)
}

/// A preset's catalogue on a deployment that has none yet, so that it starts ready to send
/// the host product's events. A catalogue someone already built or imported is left alone.
/// Herald does this at start-up, not a person, so it files no audit entry.
pub async fn seed(db: &Db, text: &str) -> Result<Option<Imported>, ServiceError> {
    if event_types::count(db).await? > 0 {
        return Ok(None);
    }
    let file = parse(text)?;
    let mut tx = db.write.begin().await?;
    let done = apply(&mut tx, &file).await?;
    tx.commit().await?;
    Ok(Some(done))
}

/// Creates an event type (REST).
pub async fn create(
    db: &Db,
    actor: &Actor,
    name: &str,
    input: EventTypeInput,
) -> Result<EventType, ServiceError> {
    let mut tx = db.write.begin().await?;
    let et = event_types::create_in(&mut tx, name, input).await?;
    file_change(&mut tx, actor, "event_type.created", &et.name).await?;
    tx.commit().await?;
    Ok(et)
}

/// Replaces an event type, creating it when absent (REST PUT). Returns it and whether it is new.
pub async fn put(
    db: &Db,
    actor: &Actor,
    name: &str,
    input: EventTypeInput,
) -> Result<(EventType, bool), ServiceError> {
    let mut tx = db.write.begin().await?;
    let (et, created) = event_types::upsert_in(&mut tx, name, input).await?;
    let action = if created {
        "event_type.created"
    } else {
        "event_type.updated"
    };
    file_change(&mut tx, actor, action, &et.name).await?;
    tx.commit().await?;
    Ok((et, created))
}

/// Replaces the fields of `existing` (REST PATCH, once merged).
pub async fn update(
    db: &Db,
    actor: &Actor,
    existing: EventType,
    input: EventTypeInput,
) -> Result<EventType, ServiceError> {
    let mut tx = db.write.begin().await?;
    let et = event_types::replace_in(&mut tx, existing, input).await?;
    file_change(&mut tx, actor, "event_type.updated", &et.name).await?;
    tx.commit().await?;
    Ok(et)
}

/// Archives an event type, or deletes it for good (`expunge`).
pub async fn delete(db: &Db, actor: &Actor, name: &str, expunge: bool) -> Result<(), ServiceError> {
    let mut tx = db.write.begin().await?;
    event_types::delete_in(&mut tx, name, expunge).await?;
    let action = if expunge {
        "event_type.deleted"
    } else {
        "event_type.archived"
    };
    file_change(&mut tx, actor, action, name).await?;
    tx.commit().await?;
    Ok(())
}

/// The console's edit: creates an event type, or changes an existing one's description and
/// category and keeps the rest (schemas, flags, archived). Returns it and whether it is new.
pub async fn describe(
    db: &Db,
    actor: &Actor,
    name: &str,
    description: String,
    group_name: Option<String>,
) -> Result<(EventType, bool), ServiceError> {
    let mut tx = db.write.begin().await?;
    let (et, created) = match event_types::get_in(&mut tx, name).await {
        Ok(existing) => {
            let input = EventTypeInput {
                description,
                group_name,
                ..kept(&existing)
            };
            (
                event_types::replace_in(&mut tx, existing, input).await?,
                false,
            )
        }
        Err(ServiceError::NotFound(_)) => {
            let input = EventTypeInput {
                description,
                group_name,
                ..Default::default()
            };
            (event_types::create_in(&mut tx, name, input).await?, true)
        }
        Err(e) => return Err(e),
    };
    let action = if created {
        "event_type.created"
    } else {
        "event_type.updated"
    };
    let facts = serde_json::json!({ "description": et.description, "groupName": et.group_name });
    audit::write(&mut tx, actor, None, action, &et.name, facts).await?;
    tx.commit().await?;
    Ok((et, created))
}

/// The console's archive (`archived`) and restore: the event type is otherwise kept as it is.
pub async fn set_archived(
    db: &Db,
    actor: &Actor,
    name: &str,
    archived: bool,
) -> Result<(), ServiceError> {
    let mut tx = db.write.begin().await?;
    let existing = event_types::get_in(&mut tx, name).await?;
    let input = EventTypeInput {
        archived,
        ..kept(&existing)
    };
    event_types::replace_in(&mut tx, existing, input).await?;
    let action = if archived {
        "event_type.archived"
    } else {
        "event_type.restored"
    };
    file_change(&mut tx, actor, action, name).await?;
    tx.commit().await?;
    Ok(())
}

/// An event type's fields as they are, for an edit that changes only some of them.
fn kept(existing: &EventType) -> EventTypeInput {
    EventTypeInput {
        description: existing.description.clone(),
        group_name: existing.group_name.clone(),
        schemas: existing
            .schemas
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok()),
        archived: existing.archived != 0,
        deprecated: existing.deprecated != 0,
        feature_flag: existing.feature_flag.clone(),
    }
}

/// The catalogue is deployment-wide: its entries belong to no company, and name the event type.
async fn file_change(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    name: &str,
) -> Result<(), ServiceError> {
    audit::write(conn, actor, None, action, name, serde_json::json!({})).await
}

/// The whole catalogue, archived event types included, as a catalogue file.
pub async fn export(db: &Db) -> Result<String, ServiceError> {
    let mut entries = Vec::new();
    let mut q = crate::ssr::store::ListQuery::new(Some(crate::ssr::store::MAX_PAGE), None, false);
    loop {
        let page = event_types::list(db, &q, true).await?;
        for t in page.data {
            entries.push(CatalogueEntry {
                schemas: t
                    .schemas
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok()),
                name: t.name,
                description: t.description,
                group_name: t.group_name,
                archived: t.archived != 0,
                deprecated: t.deprecated != 0,
                feature_flag: t.feature_flag,
            });
        }
        match page.iterator {
            Some(it) if !page.done => {
                q = crate::ssr::store::ListQuery::new(
                    Some(crate::ssr::store::MAX_PAGE),
                    Some(it),
                    false,
                )
            }
            _ => break,
        }
    }
    serde_json::to_string_pretty(&CatalogueFile {
        event_types: entries,
    })
    .map_err(|e| ServiceError::Internal(e.into()))
}

/// One field of an event type's payload, as the catalogue page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaField {
    /// Dotted from the payload's root; `[]` marks the items of a list (`lines[].amount`).
    pub path: String,
    /// `string`, `integer or null`, `list of object`, `string (date)`, `one of: a, b`.
    pub kind: String,
    pub required: bool,
    pub description: Option<String>,
}

/// At most this many fields are listed, and this deep: a catalogue page is read by people.
const MAX_FIELDS: usize = 200;
const MAX_DEPTH: usize = 6;

/// The fields of the newest schema version of `schemas` (`{"1": {…}, "2": {…}}`), by name at each
/// level, nested objects flattened into dotted paths under their parent.
pub fn schema_fields(schemas: &Value) -> Vec<SchemaField> {
    let newest = schemas.as_object().and_then(|versions| {
        versions
            .iter()
            .max_by_key(|(v, _)| v.parse::<u64>().unwrap_or(0))
            .map(|(_, s)| s)
    });
    let mut out = Vec::new();
    if let Some(schema) = newest {
        walk(schema, "", 0, &mut out);
    }
    out
}

fn walk(schema: &Value, prefix: &str, depth: usize, out: &mut Vec<SchemaField>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, field) in props {
        if out.len() >= MAX_FIELDS {
            return;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        out.push(SchemaField {
            path: path.clone(),
            kind: kind_of(field),
            required: required.contains(&name.as_str()),
            description: field
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
        if depth + 1 >= MAX_DEPTH {
            continue;
        }
        walk(field, &path, depth + 1, out);
        if let Some(items) = field.get("items") {
            walk(items, &format!("{path}[]"), depth + 1, out);
        }
    }
}

fn kind_of(field: &Value) -> String {
    if let Some(options) = field.get("enum").and_then(Value::as_array) {
        let listed: Vec<String> = options
            .iter()
            .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned))
            .collect();
        return format!("one of: {}", listed.join(", "));
    }
    let types: Vec<String> = match field.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if field.get("properties").is_some() => vec!["object".to_owned()],
        _ if field.get("oneOf").is_some() || field.get("anyOf").is_some() => {
            vec!["one of several shapes".to_owned()]
        }
        _ => vec!["any".to_owned()],
    };
    let named: Vec<String> = types
        .into_iter()
        .map(|t| match t.as_str() {
            "array" => match field.get("items").map(kind_of) {
                Some(item) => format!("list of {item}"),
                None => "list".to_owned(),
            },
            _ => match field.get("format").and_then(Value::as_str) {
                Some(f) if t != "null" => format!("{t} ({f})"),
                _ => t,
            },
        })
        .collect();
    named.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_entry_is_named_by_its_position() {
        let e = parse(r#"{"eventTypes":[{"name":"ok.one"},{"name":"bad name!"}]}"#)
            .expect_err("bad name");
        assert!(
            e.to_string().starts_with("eventTypes[1] (bad name!)"),
            "{e}"
        );
        let e = parse(r#"{"eventTypes":[{"name":"a.b"},{"name":"a.b"}]}"#).expect_err("twice");
        assert!(e.to_string().contains("appears twice"), "{e}");
        let e = parse(r#"{"types":[]}"#).expect_err("wrong shape");
        assert!(e.to_string().contains("eventTypes"), "{e}");
    }
}

#[cfg(test)]
mod schema_field_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_newest_schema_is_listed_field_by_field_with_nested_paths() {
        let schemas = json!({
            "1": { "type": "object", "properties": { "old": { "type": "string" } } },
            "2": { "type": "object", "required": ["invoice"], "properties": {
                "invoice": { "type": "object", "description": "The invoice", "required": ["id"],
                    "properties": {
                        "id": { "type": "string" },
                        "number": { "type": ["string", "null"] },
                        "due": { "type": "string", "format": "date" },
                        "status": { "enum": ["draft", "paid"] },
                        "lines": { "type": "array", "items": { "type": "object",
                            "properties": { "amount": { "type": "number" } } } }
                    } }
            } }
        });
        let fields = schema_fields(&schemas);
        let rows: Vec<(&str, &str, bool)> = fields
            .iter()
            .map(|f| (f.path.as_str(), f.kind.as_str(), f.required))
            .collect();
        assert_eq!(
            rows,
            [
                ("invoice", "object", true),
                ("invoice.due", "string (date)", false),
                ("invoice.id", "string", true),
                ("invoice.lines", "list of object", false),
                ("invoice.lines[].amount", "number", false),
                ("invoice.number", "string or null", false),
                ("invoice.status", "one of: draft, paid", false),
            ]
        );
        assert_eq!(fields[0].description.as_deref(), Some("The invoice"));
    }

    #[test]
    fn no_schema_lists_no_fields() {
        assert!(schema_fields(&json!(null)).is_empty());
        assert!(schema_fields(&json!({ "1": { "type": "string" } })).is_empty());
    }
}
