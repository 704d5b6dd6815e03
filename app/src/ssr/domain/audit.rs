//! Who made a change, and the entry the change files in the audit trail.
//!
//! Every domain function that changes something takes the [`Actor`] who asked (a signed-in user,
//! an API key by its name, a portal-link session, or Herald itself for the operator's command
//! line) and writes its entry with [`write`] on the transaction that makes the change. So the
//! entry and the change commit together: a change that fails leaves no entry, and a change that
//! commits always has one. Edges never write entries themselves.

use crate::ids::AppId;
use crate::ssr::infra::db::Db;
use crate::ssr::store::audit;
use crate::ssr::ServiceError;
use serde_json::Value;
use sqlx::AnyConnection;

pub use crate::ssr::store::audit::{diff, Actor, Entry};

/// The operator at the command line. It is filed as Herald itself, as the CLI has no signed-in
/// user to name.
pub const COMMAND_LINE: Actor = Actor::System;

/// Files `action` on `target`, by `actor`, on `conn`: the transaction of the change itself.
/// `app` is the company the change concerns; `None` for deployment-wide changes.
pub async fn write(
    conn: &mut AnyConnection,
    actor: &Actor,
    app: Option<&AppId>,
    action: &str,
    target: &str,
    changes: Value,
) -> Result<(), ServiceError> {
    audit::insert(conn, actor, app, action, Some(target), &changes).await?;
    Ok(())
}

/// Whether an edit's diff found nothing: such an edit files no entry, since the trail is read to
/// find what changed.
pub fn is_empty(changes: &Value) -> bool {
    changes.as_object().is_some_and(|c| c.is_empty())
}

/// An entry with what its target is called for people: an endpoint's URL, a member's e-mail,
/// a key's name. The entry keeps the ids, for the API and for exports.
#[derive(Debug, Clone)]
pub struct Named {
    pub entry: Entry,
    pub subject: String,
    /// The name of the company the entry concerns, on the operator's trail (`app` is `None`).
    pub company: Option<String>,
}

/// Names the targets of `entries` (one page of a trail). `app` is the company whose trail it is,
/// `None` for the operator's whole trail.
pub async fn named(
    db: &Db,
    app: Option<&AppId>,
    entries: Vec<Entry>,
) -> Result<Vec<Named>, ServiceError> {
    let parsed: Vec<Value> = entries
        .iter()
        .map(|e| serde_json::from_str(&e.changes).unwrap_or_default())
        .collect();
    let mut endpoint_ids = Vec::new();
    let mut user_ids = Vec::new();
    let mut app_ids = Vec::new();
    for (e, changes) in entries.iter().zip(&parsed) {
        if let (None, Some(a)) = (app, &e.app_id) {
            app_ids.push(a.clone());
        }
        let target = e.target.clone().unwrap_or_default();
        if e.action.starts_with("endpoint.") {
            endpoint_ids.push(target);
        } else if e.action == "message.resent" {
            if let Some(ep) = changes.get("endpointId").and_then(Value::as_str) {
                endpoint_ids.push(ep.to_owned());
            }
        } else if e.action.starts_with("user.") && e.action != "user.invited" {
            user_ids.push(target);
        }
    }
    endpoint_ids.sort();
    endpoint_ids.dedup();
    user_ids.sort();
    user_ids.dedup();
    app_ids.sort();
    app_ids.dedup();
    let names = audit::names(db, app, &endpoint_ids, &user_ids, &app_ids).await?;
    Ok(entries
        .into_iter()
        .zip(parsed)
        .map(|(entry, changes)| {
            let subject = subject(&entry, &changes, &names);
            let company = match (app, &entry.app_id) {
                (None, Some(a)) => Some(names.get(a).cloned().unwrap_or_else(|| a.clone())),
                _ => None,
            };
            Named {
                entry,
                subject,
                company,
            }
        })
        .collect())
}

fn subject(
    e: &Entry,
    changes: &Value,
    names: &std::collections::HashMap<String, String>,
) -> String {
    let target = e.target.as_deref().unwrap_or_default();
    let fact = |k: &str| {
        changes
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let known = |id: &str| names.get(id).map(String::as_str);
    let name = match e.action.as_str() {
        // A deleted endpoint, or a removed member, is gone: the entry itself kept its name.
        a if a.starts_with("endpoint.") => known(target).or_else(|| fact("url")),
        "message.resent" => {
            let to = fact("endpointId").map(|ep| known(ep).unwrap_or(ep));
            return match to {
                Some(url) => format!("{target} to {url}"),
                None => target.to_owned(),
            };
        }
        "user.invited" => fact("email"),
        a if a.starts_with("user.") => known(target).or_else(|| fact("email")),
        a if a.starts_with("api_key.") => {
            return fact("name").map_or_else(|| target.to_owned(), |n| format!("\"{n}\""));
        }
        _ => None,
    };
    name.unwrap_or(target).to_owned()
}
