//! Forwards operational notifications (an endpoint disabled, a message out of retries) to the
//! operator's operational application, through the ordinary intake: those deliveries are signed,
//! retried and logged like any other. The notification's id is the message's idempotency key, so
//! forwarding twice sends once.

use crate::ids::AppId;
use crate::ssr::domain::intake::{self, NewMessage};
use crate::ssr::domain::tenants;
use crate::ssr::store::applications::{self, ApplicationInput, OPERATIONAL_APP_UID};
use crate::ssr::store::notifications;
use crate::ssr::{AppState, ServiceError};

/// The operator's operational application, created the first time it is needed. Its endpoints
/// receive the operational webhooks; they are managed like any application's endpoints.
pub async fn operational_app(state: &AppState) -> Result<AppId, ServiceError> {
    match applications::resolve(&state.db, OPERATIONAL_APP_UID).await {
        Ok(id) => return Ok(id),
        Err(ServiceError::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    let created = applications::create(
        &state.db,
        ApplicationInput {
            name: "Operational webhooks".into(),
            uid: Some(OPERATIONAL_APP_UID.into()),
            ..Default::default()
        },
    )
    .await;
    match created {
        Ok(app) => AppId::parse(&app.id).ok_or(ServiceError::NotFound("application")),
        // Another instance made it first.
        Err(ServiceError::Conflict { .. }) => {
            applications::resolve(&state.db, OPERATIONAL_APP_UID).await
        }
        Err(e) => Err(e),
    }
}

/// Sends notifications not yet forwarded to the operational application. Returns how many.
pub async fn forward_pending(state: &AppState) -> Result<usize, ServiceError> {
    let pending = notifications::unforwarded(&state.db, 200).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let op = operational_app(state).await?;
    let op = tenants::ensure_active(&state.db, &op).await?;
    for n in &pending {
        let payload = serde_json::value::RawValue::from_string(n.payload.clone())
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("notification {}: {e}", n.id)))?;
        intake::create(
            state,
            &op,
            NewMessage {
                event_type: n.event_type.clone(),
                event_id: None,
                payload,
                channels: None,
            },
            Some(&n.id),
            None,
        )
        .await?;
        notifications::mark_forwarded(&state.db, &n.id).await?;
    }
    Ok(pending.len())
}
