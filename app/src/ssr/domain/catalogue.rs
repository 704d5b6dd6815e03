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
//! they are).

use crate::ssr::infra::db::Db;
use crate::ssr::store::event_types::{self, EventTypeInput};
use crate::ssr::{infra::validate, ServiceError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// Imports a catalogue file: all of it, or (when any entry is bad) none of it.
pub async fn import(db: &Db, text: &str) -> Result<Imported, ServiceError> {
    let file = parse(text)?;
    let mut out = Imported::default();
    for e in &file.event_types {
        let (_, created) = event_types::upsert(db, &e.name, input_of(e)).await?;
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
pub async fn seed(db: &Db, text: &str) -> Result<Option<Imported>, ServiceError> {
    if event_types::count(db).await? > 0 {
        return Ok(None);
    }
    import(db, text).await.map(Some)
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
