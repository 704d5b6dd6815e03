//! Who made a change, and the entry the change files in the audit trail.
//!
//! Every domain function that changes something takes the [`Actor`] who asked (a signed-in user,
//! an API key by its name, a portal-link session, or Herald itself for the operator's command
//! line) and writes its entry with [`write`] on the transaction that makes the change. So the
//! entry and the change commit together: a change that fails leaves no entry, and a change that
//! commits always has one. Edges never write entries themselves.

use crate::ids::AppId;
use crate::ssr::store::audit;
use crate::ssr::ServiceError;
use serde_json::Value;
use sqlx::AnyConnection;

pub use crate::ssr::store::audit::{diff, Actor};

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
