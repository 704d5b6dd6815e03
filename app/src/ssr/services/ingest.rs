//! Group commit for accepted messages.
//!
//! Every accepted message must be durable, with its delivery rows, before the API answers. Done
//! one transaction per message, the single SQLite writer (or PostgreSQL's WAL flush) caps ingest
//! at a few thousand messages a second and leaves no room for the workers' own writes. Here
//! concurrent requests hand their message to one writer task, which commits whatever has queued
//! up (up to [`MAX_BATCH`]) in a single transaction and then answers each request. A request is
//! answered only after the commit that holds its message, so the guarantee is unchanged; under
//! light load a batch is one message and nothing waits.
//!
//! Messages with an `eventId` can conflict with each other or with stored ones; a batch that
//! hits a uniqueness error is rolled back and its messages are committed one by one, so each
//! request gets its own answer.

use super::endpoints::{self, Endpoint};
use super::messages::{Message, COLUMNS};
use super::{Arg, Sql};
use crate::ids::AppId;
use crate::ssr::db::{Backend, Db};
use crate::ssr::error::unique_violation;
use crate::ssr::ServiceError;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Notify};

/// Most messages one transaction holds.
pub const MAX_BATCH: usize = 512;
/// Rows per INSERT statement. SQLite finds each bind parameter by a linear scan of the
/// statement's parameter names, so binding is quadratic in the parameters of one statement: a
/// profile of 512-row statements showed 8% of all CPU in `sqlite3_bind_parameter_name` and
/// `strncmp`. Statements of 64 rows keep that negligible and still amortise the round trips.
const ROWS_PER_INSERT: usize = 64;

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
async fn commit(db: &Db, messages: &[(AppId, Message)]) -> Result<bool, sqlx::Error> {
    let mut tx = db.write.begin().await?;
    for chunk in messages.chunks(ROWS_PER_INSERT) {
        insert_messages(&mut tx, db.backend, chunk).await?;
    }

    let mut by_app: HashMap<&str, Vec<Endpoint>> = HashMap::new();
    for (app, _) in messages {
        if !by_app.contains_key(app.as_str()) {
            let eps = endpoints::all_for_app(&mut *tx, app.as_str()).await?;
            by_app.insert(app.as_str(), eps);
        }
    }
    let mut rows: Vec<DeliveryRow<'_>> = Vec::new();
    for (app, m) in messages {
        let channels: Option<Vec<String>> = m
            .channels
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok());
        for ep in by_app.get(app.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let skip = ep.skip_reason(&m.event_type, channels.as_deref());
            rows.push((
                app.as_str(),
                m.id.as_str(),
                ep.id.as_str(),
                skip,
                m.created_at,
            ));
        }
    }
    let due = rows.iter().any(|r| r.3.is_none());
    insert_deliveries(&mut tx, db.backend, &rows).await?;
    if due && db.backend == Backend::Postgres {
        // Inside the transaction: other instances hear it exactly when the rows are visible.
        sqlx::query("SELECT pg_notify('herald_work', '')")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(due)
}

async fn insert_messages(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    chunk: &[(AppId, Message)],
) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(
        backend,
        &format!("INSERT INTO messages ({COLUMNS}) VALUES "),
    );
    for (i, (_, m)) in chunk.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(Arg::Text(m.id.clone()))
            .push(", ")
            .bind(Arg::Text(m.app_id.clone()))
            .push(", ")
            .bind(Arg::Text(m.event_type.clone()));
        match &m.event_id {
            Some(e) => sql.push(", ").bind(Arg::Text(e.clone())),
            None => sql.push(", NULL"),
        };
        match &m.payload {
            Some(p) => sql.push(", ").bind(Arg::Text(p.clone())),
            None => sql.push(", NULL"),
        };
        match &m.channels {
            Some(c) => sql.push(", ").bind(Arg::Text(c.clone())),
            None => sql.push(", NULL"),
        };
        sql.push(", ").bind(Arg::Int(m.created_at)).push(")");
    }
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// One delivery row to insert: (app, message, endpoint, skip reason or pending, time).
pub(super) type DeliveryRow<'a> = (&'a str, &'a str, &'a str, Option<&'static str>, i64);

/// Inserts delivery rows (pending, or skipped with the reason) in statements of
/// [`ROWS_PER_INSERT`] rows. Shared by group commit and the single-message path.
pub(super) async fn insert_deliveries(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    rows: &[DeliveryRow<'_>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = Sql::new(backend,
            "INSERT INTO deliveries (app_id, msg_id, endpoint_id, status, skip_reason, next_attempt_at, created_at, updated_at) VALUES ",
        );
        for (i, (app, msg, ep, skip, now)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(Arg::Text((*app).to_owned()))
                .push(", ")
                .bind(Arg::Text((*msg).to_owned()))
                .push(", ")
                .bind(Arg::Text((*ep).to_owned()));
            match skip {
                None => sql.push(", 1, NULL, ").bind(Arg::Int(*now)),
                Some(reason) => sql
                    .push(", 4, ")
                    .bind(Arg::Text((*reason).to_owned()))
                    .push(", NULL"),
            };
            sql.push(", ")
                .bind(Arg::Int(*now))
                .push(", ")
                .bind(Arg::Int(*now))
                .push(")");
        }
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}
