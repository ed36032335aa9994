//! The store's one error type.

/// What can go wrong in storage, in the terms the layers above act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule of the schema refused the write; `field` names the input
    /// field it concerns, where it can be told.
    #[error("conflict on {field}")]
    Conflict { field: &'static str },
    /// Stored data that the domain refuses (hand-edited database, or a bug).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A document to load (`dump`) that cannot be read or that the database refuses.
    #[error(transparent)]
    Document(#[from] crate::dump::DumpError),
    /// The database is unusable as configured (wrong settings, unknown scheme, unreachable).
    #[error("{0}")]
    Setup(String),
}

impl StoreError {
    /// Turns unique violations into [`StoreError::Conflict`] naming the field. PostgreSQL names
    /// the constraint (`municipalities_slug_key`), SQLite the column (`municipalities.slug`).
    pub(crate) fn from_write(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            let text = format!("{} {}", db.constraint().unwrap_or_default(), db.message());
            let field = if text.contains("slug") {
                "slug"
            } else if text.contains("username") {
                "username"
            } else if text.contains("participant") {
                "participant"
            } else if text.contains("scenarios") {
                "code"
            } else {
                "id"
            };
            return StoreError::Conflict { field };
        }
        StoreError::Database(err)
    }
}

pub(crate) fn corrupt(what: &str, key: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: {key}"))
}
