//! Error policy. Services return [`ServiceError`]. Every variant but `Internal` is the caller's
//! fault and carries a message that is safe to show them; `Internal` carries the cause for the
//! log and is shown to clients only as a generic message. Edges (REST, server functions) map
//! variants to status codes in one place each; nothing below them picks a status code.

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing does not exist, or belongs to another tenant (indistinguishable on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that parsed but is not acceptable, with what is wrong.
    #[error("{0}")]
    Validation(String),
    /// A uniqueness rule: `code` is stable for clients (e.g. `event_type_exists`).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Internal(anyhow::Error::new(e))
    }
}

impl ServiceError {
    pub fn validation(msg: impl Into<String>) -> Self {
        ServiceError::Validation(msg.into())
    }
}

/// The name of the unique constraint a database error violated, on either backend.
pub fn unique_violation(e: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    if !db.is_unique_violation() {
        return None;
    }
    // PostgreSQL names the constraint; SQLite names the columns ("UNIQUE constraint failed: t.c").
    Some(
        db.constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| db.message().to_owned()),
    )
}
