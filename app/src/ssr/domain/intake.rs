//! Accepting a message: the one way in for every door (REST, the portal's test events, the
//! example sender, the operational forwarder).
//!
//! A message and one delivery row per endpoint of its tenant (pending, or skipped with the
//! reason) are committed in one transaction before the caller answers: after a 2xx the message
//! will be delivered or visibly fail, whatever crashes afterwards. Validation, the tenant's state
//! (an [`ActiveTenant`] is required), idempotency and the fan-out are written once, here.
//!
//! Group commit: done one transaction per message, the single SQLite writer (or PostgreSQL's WAL
//! flush) caps ingest at a few thousand messages a second and leaves no room for the workers'
//! own writes. Concurrent requests without an idempotency key hand their message to one writer
//! task, which commits whatever has queued up (up to [`MAX_BATCH`]) in a single transaction and
//! then answers each request. A request is answered only after the commit that holds its
//! message, so the guarantee is unchanged; under light load a batch is one message and nothing
//! waits. Messages with an `eventId` can conflict with each other or with stored ones; a batch
//! that hits a uniqueness error is rolled back and its messages are committed one by one, so each
//! request gets its own answer.

use crate::ids::{AppId, MessageId};
use crate::ssr::delivery::state::SkipReason;
use crate::ssr::domain::audit::{self, Actor};
use crate::ssr::domain::tenants::ActiveTenant;
use crate::ssr::infra::db::{Backend, Db};
use crate::ssr::infra::error::unique_violation;
use crate::ssr::infra::time::now_ms;
use crate::ssr::infra::validate;
use crate::ssr::store::endpoints::{self, Endpoint};
use crate::ssr::store::messages::{self, DeliveryRow, Message};
use crate::ssr::{AppState, ServiceError};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Notify};

/// Most messages one transaction holds.
pub const MAX_BATCH: usize = 512;

/// Largest accepted payload (its JSON text).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub event_type: String,
    pub event_id: Option<String>,
    /// The payload's JSON text exactly as received, so receivers get the bytes the host sent.
    pub payload: Box<RawValue>,
    pub channels: Option<Vec<String>>,
}

#[derive(Debug)]
pub enum Accepted {
    New(Message),
    /// The idempotency key was seen before: this is the message it created.
    Replayed(Message),
}

/// Only these endpoints get the message (test sends); `None` means every endpoint of the tenant.
pub type Only<'a> = Option<&'a str>;

fn check(msg: &NewMessage, idempotency_key: Option<&str>) -> Result<(), ServiceError> {
    validate::event_type_name(&msg.event_type)?;
    if let Some(eid) = &msg.event_id {
        validate::name_like("eventId", eid, 256)?;
    }
    if !msg.payload.get().trim_start().starts_with('{') {
        return Err(ServiceError::validation("payload: must be a JSON object"));
    }
    if msg.payload.get().len() > MAX_PAYLOAD_BYTES {
        return Err(ServiceError::validation(format!(
            "payload: must be at most {MAX_PAYLOAD_BYTES} bytes"
        )));
    }
    if let Some(channels) = &msg.channels {
        if channels.len() > 10 {
            return Err(ServiceError::validation("channels: at most 10 channels"));
        }
        for c in channels {
            validate::name_like("channels", c, 128)?;
        }
    }
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 256 {
            return Err(ServiceError::validation(
                "idempotency-key: must be 1 to 256 characters",
            ));
        }
    }
    Ok(())
}

/// Why `ep` does not get a message of `event_type` on `channels`, or `None` if it does. A filter
/// column that cannot be read sends nothing: an endpoint must never get events it did not ask for.
///
/// A disabled endpoint still gets its messages: they wait, pending, and go out when it is
/// enabled again, so a company that fixes its endpoint loses nothing sent meanwhile.
pub fn skip_reason(
    ep: &Endpoint,
    event_type: &str,
    channels: Option<&[String]>,
) -> Option<SkipReason> {
    match endpoints::Filter::parse(ep.event_types.as_deref()) {
        endpoints::Filter::All => {}
        endpoints::Filter::Only(types) => {
            if !types.iter().any(|t| t == event_type) {
                return Some(SkipReason::FilteredOut);
            }
        }
        endpoints::Filter::Damaged => return Some(SkipReason::FilterUnreadable),
    }
    match endpoints::Filter::parse(ep.channels.as_deref()) {
        endpoints::Filter::All => {}
        endpoints::Filter::Only(ep_channels) => {
            let hit = channels.is_some_and(|cs| cs.iter().any(|c| ep_channels.contains(c)));
            if !hit {
                return Some(SkipReason::ChannelFilteredOut);
            }
        }
        endpoints::Filter::Damaged => return Some(SkipReason::ChannelFilterUnreadable),
    }
    None
}

/// One delivery row per endpoint of the message's tenant (or only `only`): pending, or skipped
/// with the reason. A test send to one endpoint goes out even if its filter would skip the type.
fn fan_out<'a>(m: &'a Message, eps: &'a [Endpoint], only: Only<'_>) -> Vec<DeliveryRow<'a>> {
    let channels: Option<Vec<String>> = m
        .channels
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok());
    eps.iter()
        .filter(|e| only.is_none_or(|o| o == e.id))
        .map(|ep| {
            let skip = if only.is_some() {
                None
            } else {
                skip_reason(ep, &m.event_type, channels.as_deref()).map(SkipReason::as_str)
            };
            (
                m.app_id.as_str(),
                m.id.as_str(),
                ep.id.as_str(),
                skip,
                m.created_at,
            )
        })
        .collect()
}

/// Accepts a message for an active tenant: validated, deduplicated by its idempotency key,
/// committed with its delivery rows, and the workers woken.
pub async fn create(
    state: &AppState,
    tenant: &ActiveTenant,
    msg: NewMessage,
    idempotency_key: Option<&str>,
    only_endpoint: Only<'_>,
) -> Result<Accepted, ServiceError> {
    let app = tenant.id();
    check(&msg, idempotency_key)?;
    if let Some(key) = idempotency_key {
        if let Some(existing) = replay(&state.db, app, key).await? {
            return Ok(Accepted::Replayed(existing));
        }
    }

    let message = new_message(app, msg);

    if idempotency_key.is_none() && only_endpoint.is_none() {
        // The common case goes through group commit; it answers once the message is durable.
        state.ingest.submit(app, message.clone()).await?;
        return Ok(Accepted::New(message));
    }

    let mut tx = state.db.write.begin().await?;
    if let Some(key) = idempotency_key {
        let claimed =
            messages::claim_idempotency_key(&mut tx, app, key, &message.id, message.created_at)
                .await;
        if let Err(e) = claimed {
            if unique_violation(&e).is_some() {
                drop(tx);
                // A concurrent request with the same key won the race: answer as it did.
                return match replay(&state.db, app, key).await? {
                    Some(m) => Ok(Accepted::Replayed(m)),
                    None => Err(ServiceError::Conflict {
                        code: "conflict",
                        detail: "a request with this idempotency-key is still in progress".into(),
                    }),
                };
            }
            return Err(e.into());
        }
    }
    let due = insert_one(&mut tx, state.db.backend, app, &message, only_endpoint).await?;
    tx.commit().await?;
    if due {
        state.wake.notify_one();
    }
    Ok(Accepted::New(message))
}

/// Sends `msg` to one endpoint of an active tenant only, as a test a person asked for: the
/// message, its delivery and the audit entry are one transaction.
pub async fn send_test(
    state: &AppState,
    actor: &Actor,
    tenant: &ActiveTenant,
    endpoint: &str,
    msg: NewMessage,
) -> Result<Message, ServiceError> {
    let app = tenant.id();
    check(&msg, None)?;
    let message = Message {
        test: 1,
        ..new_message(app, msg)
    };
    let mut tx = state.db.write.begin().await?;
    let due = insert_one(&mut tx, state.db.backend, app, &message, Some(endpoint)).await?;
    let facts = serde_json::json!({ "eventType": message.event_type, "msgId": message.id });
    audit::write(
        &mut tx,
        actor,
        Some(app),
        "endpoint.test_sent",
        endpoint,
        facts,
    )
    .await?;
    tx.commit().await?;
    if due {
        state.wake.notify_one();
    }
    Ok(message)
}

fn new_message(app: &AppId, msg: NewMessage) -> Message {
    Message {
        id: MessageId::generate().to_string(),
        app_id: app.to_string(),
        event_type: msg.event_type,
        event_id: msg.event_id,
        payload: Some(msg.payload.get().to_owned()),
        channels: msg
            .channels
            .as_ref()
            .filter(|c| !c.is_empty())
            .map(|c| serde_json::Value::from(c.clone()).to_string()),
        created_at: now_ms(),
        test: 0,
    }
}

/// One message and its delivery rows on the caller's transaction, outside group commit. Returns
/// whether a delivery is due (the workers are told by NOTIFY at commit, and woken by the caller).
async fn insert_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    app: &AppId,
    message: &Message,
    only_endpoint: Only<'_>,
) -> Result<bool, ServiceError> {
    let one = [(app.clone(), message.clone())];
    messages::insert_messages(tx, backend, &one)
        .await
        .map_err(to_service_error)?;
    let eps = endpoints::all_for_app(&mut **tx, app.as_str()).await?;
    let rows = fan_out(message, &eps, only_endpoint);
    let due = rows.iter().any(|r| r.3.is_none());
    messages::insert_deliveries(tx, backend, &rows).await?;
    if due {
        messages::notify_work(tx, backend).await?;
    }
    Ok(due)
}

async fn replay(db: &Db, app: &AppId, key: &str) -> Result<Option<Message>, ServiceError> {
    match messages::by_idempotency_key(db, app, key).await? {
        Some(msg_id) => Ok(Some(messages::get(db, app, &msg_id).await?)),
        None => Ok(None),
    }
}

struct Job {
    app: AppId,
    message: Message,
    reply: oneshot::Sender<Result<(), ServiceError>>,
}

/// The handle requests submit through. Cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Ingest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ingest")
    }
}

impl Ingest {
    /// Starts the writer task. It ends when the last handle is dropped.
    pub fn start(db: Db, wake: Arc<Notify>) -> Ingest {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 4);
        tokio::spawn(writer(db, wake, rx));
        Ingest { jobs: tx }
    }

    /// Commits `message` (for `app`) with its delivery rows; returns once it is durable.
    pub async fn submit(&self, app: &AppId, message: Message) -> Result<(), ServiceError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                app: app.clone(),
                message,
                reply,
            })
            .await
            .map_err(|_| ServiceError::Internal(anyhow::anyhow!("the ingest writer stopped")))?;
        answer.await.map_err(|_| {
            ServiceError::Internal(anyhow::anyhow!("the ingest writer dropped a message"))
        })?
    }
}

async fn writer(db: Db, wake: Arc<Notify>, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let jobs = std::mem::take(&mut batch);
        let n = jobs.len();
        let (messages, replies): (Vec<(AppId, Message)>, Vec<_>) = jobs
            .into_iter()
            .map(|j| ((j.app, j.message), j.reply))
            .unzip();
        match commit(&db, &messages).await {
            Ok(due) => {
                if due {
                    wake.notify_one();
                }
                for r in replies {
                    let _ = r.send(Ok(()));
                }
            }
            Err(e) if n > 1 && is_unique(&e) => {
                // Someone's eventId conflicts: commit each on its own so only they hear of it.
                for ((app, m), r) in messages.into_iter().zip(replies) {
                    let one = [(app, m)];
                    let res = commit(&db, &one).await;
                    if let Ok(true) = res {
                        wake.notify_one();
                    }
                    let _ = r.send(res.map(|_| ()).map_err(to_service_error));
                }
            }
            Err(e) => {
                let e = to_service_error(e);
                if n > 1 {
                    tracing::error!(error = %e, messages = n, "ingest batch failed; none was accepted");
                }
                for r in replies {
                    let _ = r.send(Err(clone_error(&e)));
                }
            }
        }
    }
}

fn is_unique(e: &sqlx::Error) -> bool {
    unique_violation(e).is_some()
}

fn to_service_error(e: sqlx::Error) -> ServiceError {
    if is_unique(&e) {
        ServiceError::Conflict {
            code: "conflict",
            detail: "a message with this eventId already exists".into(),
        }
    } else {
        e.into()
    }
}

fn clone_error(e: &ServiceError) -> ServiceError {
    match e {
        ServiceError::Conflict { code, detail } => ServiceError::Conflict {
            code,
            detail: detail.clone(),
        },
        other => ServiceError::Internal(anyhow::anyhow!("{other}")),
    }
}

/// One transaction: the messages, then a delivery row (pending or skipped) per endpoint of each
/// message's tenant. Returns whether any delivery is due.
async fn commit(db: &Db, batch: &[(AppId, Message)]) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    messages::insert_messages(&mut tx, db.backend, batch).await?;
    let mut by_app: HashMap<&str, Vec<Endpoint>> = HashMap::new();
    for (app, _) in batch {
        if !by_app.contains_key(app.as_str()) {
            let eps = endpoints::all_for_app(&mut *tx, app.as_str()).await?;
            by_app.insert(app.as_str(), eps);
        }
    }
    let mut rows: Vec<DeliveryRow<'_>> = Vec::new();
    for (app, m) in batch {
        let eps = by_app.get(app.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        rows.extend(fan_out(m, eps, None));
    }
    let due = rows.iter().any(|r| r.3.is_none());
    messages::insert_deliveries(&mut tx, db.backend, &rows).await?;
    if due {
        messages::notify_work(&mut tx, db.backend).await?;
    }
    tx.commit().await?;
    Ok(due)
}
