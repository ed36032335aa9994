//! Connecting to SQLite or PostgreSQL, migrating, and checking that the database is fit to use.

use crate::{StoreError, migrations};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// A pool on one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the same code on whichever pool a [`Db`] holds; `$pool` is bound to the concrete pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// How long a writer waits for SQLite's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Db {
    /// Opens the database a URL names: `sqlite://path` (created if missing) or
    /// `postgres://user@host/db`. Nothing is migrated or checked yet.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Self::connect_with(url, SqliteSynchronous::Full).await
    }

    /// For tests only: SQLite without waiting for the disk at every commit (a test database is
    /// thrown away; WAL keeps it consistent, only the last commits could be lost in a crash).
    #[cfg(feature = "testing")]
    pub async fn connect_for_tests(url: &str) -> Result<Db, StoreError> {
        Self::connect_with(url, SqliteSynchronous::Normal).await
    }

    async fn connect_with(url: &str, synchronous: SqliteSynchronous) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Setup(format!("invalid SQLite URL {url}: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .foreign_keys(true)
                // Deleted and overwritten content is zeroed, so an erased person's name does
                // not linger in free pages of the file.
                .pragma("secure_delete", "ON")
                // A 64 MiB page cache (the default is 2 MiB): reports read every activity and
                // ledger line of a municipality, and a small cache rereads pages from the OS.
                .pragma("cache_size", "-65536")
                .busy_timeout(BUSY_TIMEOUT);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(|e| {
                    StoreError::Setup(format!("cannot open SQLite database {url}: {e}"))
                })?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let unreachable = |e: sqlx::Error| {
                StoreError::Setup(format!(
                    "cannot reach PostgreSQL at {}: {e}",
                    redact_password(url)
                ))
            };
            let options = PgConnectOptions::from_str(url).map_err(unreachable)?;
            // One plain connection first: the pool would retry until its timeout, but a wrong
            // host or password should be said at once.
            PgConnection::connect_with(&options)
                .await
                .map_err(unreachable)?
                .close()
                .await
                .map_err(unreachable)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(unreachable)?;
            Ok(Db::Postgres(pool))
        } else {
            Err(StoreError::Setup(format!(
                "unsupported database URL {}: use sqlite://FILE or postgres://USER@HOST/DATABASE",
                redact_password(url)
            )))
        }
    }

    /// Opens a SQLite file only to read it (a backup being restored): nothing is created,
    /// migrated or written, and the file is taken as unchanging while it is open.
    pub async fn open_sqlite_read_only(path: &std::path::Path) -> Result<Db, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::Setup(format!("cannot open {} as SQLite: {e}", path.display()))
            })?;
        Ok(Db::Sqlite(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every migration this program has that the database lacks.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.migrate_to(migrations::latest_version()).await
    }

    /// Applies the migrations up to and including `version`.
    pub async fn migrate_to(&self, version: i64) -> Result<(), StoreError> {
        let migrator = migrations::migrator_to(self.backend(), version);
        on_db!(self, pool => migrator.run(pool).await).map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::Setup(format!(
                "the database has migration {v}, which this program does not know: \
                 it was written by a newer version of Stedenband"
            )),
            other => StoreError::Migrate(other),
        })
    }

    /// Refuses a database that is not fit to use: on SQLite the durability settings (WAL,
    /// foreign keys, synchronous=FULL); on both, every migration applied and none unknown.
    pub async fn check(&self) -> Result<(), StoreError> {
        if let Db::Sqlite(pool) = self {
            let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(pool)
                .await?;
            let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(pool)
                .await?;
            let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(pool)
                .await?;
            let mut wrong = Vec::new();
            if !journal.eq_ignore_ascii_case("wal") {
                wrong.push(format!("journal_mode is {journal}, not wal"));
            }
            if foreign_keys != 1 {
                wrong.push("foreign keys are off".to_owned());
            }
            if synchronous != 2 {
                wrong.push(format!("synchronous is {synchronous}, not FULL (2)"));
            }
            if !wrong.is_empty() {
                return Err(StoreError::Setup(format!(
                    "the SQLite database is not safe to use: {}",
                    wrong.join("; ")
                )));
            }
        }
        let applied = self.applied_versions().await?;
        let latest = migrations::latest_version();
        match applied.iter().max() {
            None => Err(StoreError::Setup(
                "the database has no schema: run `stedenband migrate`".to_owned(),
            )),
            Some(&v) if v > latest => Err(StoreError::Setup(format!(
                "the database is at schema version {v}, newer than this program's {latest}"
            ))),
            Some(&v) if v < latest => Err(StoreError::Setup(format!(
                "the database is at schema version {v}; run `stedenband migrate` to reach {latest}"
            ))),
            Some(_) => Ok(()),
        }
    }

    pub(crate) async fn applied_versions(&self) -> Result<Vec<i64>, StoreError> {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version";
        let result = on_db!(self, pool => sqlx::query_scalar::<_, i64>(sql).fetch_all(pool).await);
        match result {
            Ok(v) => Ok(v),
            // No migrations table at all: an empty database.
            Err(sqlx::Error::Database(e)) if e.message().contains("_sqlx_migrations") => Ok(vec![]),
            Err(e) => Err(e.into()),
        }
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    // The password may itself contain '@': the host follows the last one.
    let base = match base.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
                None => base.to_owned(),
            },
            None => base.to_owned(),
        },
        None => base.to_owned(),
    };
    match query {
        Some(q) => {
            let q: Vec<String> = q
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_owned(),
                })
                .collect();
            format!("{base}?{}", q.join("&"))
        }
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://twin:secret@db/twin"),
            "postgres://twin:***@db/twin"
        );
        assert_eq!(
            redact_password("postgres://twin@db/twin"),
            "postgres://twin@db/twin"
        );
        assert_eq!(redact_password("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(
            redact_password("postgres://u:p@ss@db/x"),
            "postgres://u:***@db/x"
        );
        assert_eq!(
            redact_password("postgres://db/x?user=u&password=s3cret"),
            "postgres://db/x?user=u&password=***"
        );
    }
}
