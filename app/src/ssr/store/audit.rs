//! The audit trail: who changed what, and when. Entries are written by the domain
//! (`domain::audit`), in the transaction of the change they describe: a change that commits has
//! its entry, and a change that fails leaves none.

use super::{Arg, Page, Sql};
use crate::ids::{AppId, AuditId};
use crate::ssr::infra::db::Db;
use crate::ssr::infra::time::now_ms;
use crate::ssr::ServiceError;
use serde_json::{Map, Value};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person signed in with a password.
    User { id: String, email: String },
    /// A caller of the REST API, by the key's name.
    ApiKey { id: String, name: String },
    /// Someone who came from the host product through a portal link; `host_user` is the id the
    /// host product gave with the link, when it gave one.
    PortalLink { host_user: Option<String> },
    /// Herald itself (an endpoint disabled after failures, a plan limit).
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::User { .. } => "user",
            Actor::ApiKey { .. } => "api_key",
            Actor::PortalLink { .. } => "portal_link",
            Actor::System => "system",
        }
    }

    fn id(&self) -> Option<&str> {
        match self {
            Actor::User { id, .. } | Actor::ApiKey { id, .. } => Some(id),
            Actor::PortalLink { host_user } => host_user.as_deref(),
            Actor::System => None,
        }
    }

    fn name(&self) -> String {
        match self {
            Actor::User { email, .. } => email.clone(),
            Actor::ApiKey { name, .. } => format!("API key \"{name}\""),
            Actor::PortalLink { host_user: Some(u) } => format!("portal link (host user {u})"),
            Actor::PortalLink { host_user: None } => "portal link".to_owned(),
            Actor::System => "Herald".to_owned(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: String,
    pub app_id: Option<String>,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub target: Option<String>,
    pub changes: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, app_id, actor_kind, actor_id, actor_name, action, target, changes, created_at";

/// Writes one entry on `conn`: the caller's transaction, so that the entry commits with the
/// change it describes or not at all. `app` is the company it concerns; `None` for
/// deployment-wide changes.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    app: Option<&AppId>,
    action: &str,
    target: Option<&str>,
    changes: &Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(AuditId::generate().to_string())
    .bind(app.map(|a| a.as_str()))
    .bind(actor.kind())
    .bind(actor.id())
    .bind(actor.name())
    .bind(action)
    .bind(target)
    .bind(changes.to_string())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// What changed between two JSON objects: `{"field": {"from": …, "to": …}}` for each field that
/// differs. Secrets never reach here; callers pass only what may be shown.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for (k, new) in a {
        let old = b.get(k).unwrap_or(&Value::Null);
        if old != new {
            out.insert(k.clone(), serde_json::json!({ "from": old, "to": new }));
        }
    }
    for (k, old) in b {
        if !a.contains_key(k) {
            out.insert(k.clone(), serde_json::json!({ "from": old, "to": null }));
        }
    }
    Value::Object(out)
}

/// An endpoint as the audit trail shows it: its settings, never its secret or header values.
pub fn endpoint_view(e: &super::endpoints::Endpoint) -> Value {
    serde_json::json!({
        "url": e.url,
        "description": e.description,
        "uid": e.uid,
        "eventTypes": e.event_type_list(),
        "channels": e.channel_list(),
        "disabled": e.disabled != 0,
        "rateLimit": e.throttle_rate,
        "metadata": super::json_or_default::<Value>(Some(&e.metadata)),
        "headers": e.header_map().into_keys().collect::<Vec<_>>(),
    })
}

/// The action an endpoint edit is filed under: enabling or disabling is its own, as people
/// look for it by that name.
pub fn endpoint_edit_action(changes: &Value) -> &'static str {
    match changes.as_object() {
        Some(c) if c.len() == 1 && c.contains_key("disabled") => {
            if c["disabled"]["to"] == Value::Bool(true) {
                "endpoint.disabled"
            } else {
                "endpoint.enabled"
            }
        }
        _ => "endpoint.updated",
    }
}

/// Entries newest first: one company's (`Some`), or all of them and the deployment's (`None`,
/// for operators). Keyset pagination on the id.
pub async fn list(
    db: &Db,
    app: Option<&AppId>,
    before: Option<&str>,
    limit: i64,
) -> Result<Page<Entry>, ServiceError> {
    list_of_kind(db, app, None, before, limit).await
}

/// As [`list`], keeping only the actions that start with `action_prefix` (`"endpoint."`).
pub async fn list_of_kind(
    db: &Db,
    app: Option<&AppId>,
    action_prefix: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Page<Entry>, ServiceError> {
    let mut sql = Sql::new(
        db.backend,
        &format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1"),
    );
    if let Some(app) = app {
        sql.push(" AND app_id = ").bind(Arg::Text(app.to_string()));
    }
    if let Some(prefix) = action_prefix {
        // A comparison of the leading characters rather than LIKE: prefixes hold `_`, a LIKE
        // wildcard, and the two backends escape differently.
        let n = i64::try_from(prefix.chars().count()).unwrap_or(i64::MAX);
        sql.push(&format!(" AND SUBSTR(action, 1, {n}) = "))
            .bind(Arg::Text(prefix.to_owned()));
    }
    if let Some(b) = before {
        sql.push(" AND id < ").bind(Arg::Text(b.to_owned()));
    }
    sql.push(" ORDER BY id DESC LIMIT ")
        .bind(Arg::Int(limit + 1));
    let rows = sql.query_as::<Entry>().fetch_all(&db.read).await?;
    Ok(Page::from_rows(rows, limit, |e| e.id.clone()))
}

/// What the ids an audit page names are called today: endpoints by their URL, users by their
/// e-mail, companies by their name. Ids gone since (a deleted endpoint) are not in the answer.
/// `app` scopes the endpoints to one company; users are looked up by id, as a company's trail
/// names only its own members. Ids are prefixed by kind, so one map holds them all.
pub async fn names(
    db: &Db,
    app: Option<&AppId>,
    endpoint_ids: &[String],
    user_ids: &[String],
    app_ids: &[String],
) -> Result<std::collections::HashMap<String, String>, ServiceError> {
    let mut out = std::collections::HashMap::new();
    out.extend(
        pairs(
            db,
            "SELECT id, name FROM applications WHERE id IN ",
            app_ids,
            None,
        )
        .await?,
    );
    out.extend(
        pairs(
            db,
            "SELECT id, url FROM endpoints WHERE id IN ",
            endpoint_ids,
            app,
        )
        .await?,
    );
    // A deleted endpoint is named by the URL its own entries kept.
    let gone: Vec<String> = endpoint_ids
        .iter()
        .filter(|id| !out.contains_key(*id))
        .cloned()
        .collect();
    let kept = pairs(
        db,
        "SELECT target, changes FROM audit_log
         WHERE action IN ('endpoint.deleted', 'endpoint.created') AND target IN ",
        &gone,
        app,
    )
    .await?;
    for (id, changes) in kept {
        let changes = serde_json::from_str::<Value>(&changes).ok();
        if let Some(url) = changes.as_ref().and_then(|c| c["url"].as_str()) {
            out.insert(id, url.to_owned());
        }
    }
    out.extend(
        pairs(
            db,
            "SELECT id, email FROM users WHERE id IN ",
            user_ids,
            None,
        )
        .await?,
    );
    Ok(out)
}

/// The two text columns `select` names for the rows whose key is in `ids`, and of the company
/// `app` when given (the table has an `app_id`). No ids, no query.
async fn pairs(
    db: &Db,
    select: &str,
    ids: &[String],
    app: Option<&AppId>,
) -> Result<Vec<(String, String)>, ServiceError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(db.backend, select);
    sql.bind_list(ids.iter().map(|id| Arg::Text(id.clone())));
    if let Some(app) = app {
        sql.push(" AND app_id = ").bind(Arg::Text(app.to_string()));
    }
    Ok(sql
        .query_as::<(String, String)>()
        .fetch_all(&db.read)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diff_names_each_changed_field_with_both_values() {
        let d = diff(
            &json!({ "url": "https://a", "disabled": false, "description": "x" }),
            &json!({ "url": "https://b", "disabled": false, "description": "x" }),
        );
        assert_eq!(
            d,
            json!({ "url": { "from": "https://a", "to": "https://b" } })
        );
        assert_eq!(diff(&json!({ "a": 1 }), &json!({ "a": 1 })), json!({}));
    }

    #[test]
    fn actors_read_as_people_would_name_them() {
        let link = Actor::PortalLink {
            host_user: Some("u_42".into()),
        };
        assert_eq!(link.name(), "portal link (host user u_42)");
        assert_eq!(link.id(), Some("u_42"));
        let key = Actor::ApiKey {
            id: "key_1".into(),
            name: "billing".into(),
        };
        assert_eq!(key.name(), "API key \"billing\"");
    }
}
