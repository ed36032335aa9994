//! Fresh, migrated databases for tests, on SQLite and on PostgreSQL.
//!
//! SQLite: a file in a new temporary folder (a real file, so WAL and the checks at start are
//! the same as in production). PostgreSQL: a new database on the server that
//! `TEST_DATABASE_URL` names, dropped again when the [`TestDb`] is dropped (also when the test
//! panics). Without `TEST_DATABASE_URL` the PostgreSQL variant of a test is skipped, except under
//! CI (`CI` set), where a missing PostgreSQL is an error rather than a silent pass.

use crate::{Db, Store};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect_for_tests(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new PostgreSQL database, or `None` (with a note on stderr) when none is configured.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = match std::env::var("TEST_DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ if std::env::var_os("CI").is_some() => {
                panic!("CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests must run")
            }
            _ => {
                eprintln!("TEST_DATABASE_URL not set: skipping the PostgreSQL variant");
                return None;
            }
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "stedenband_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let admin = Db::connect(&admin_url)
            .await
            .expect("reach TEST_DATABASE_URL");
        if let Db::Postgres(pool) = &admin {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(pool)
                .await
                .expect("create test database");
            // A test database is thrown away: its commits need not wait for the disk.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            )))
            .execute(pool)
            .await
            .expect("configure test database");
        }
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let db = Db::connect(&url).await.expect("open test database");
        db.migrate().await.expect("migrate PostgreSQL");
        Some(TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    pub fn store(&self) -> Store {
        Store::new(self.db.clone())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, db_name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on; use a new one.
            let done = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = Db::connect(&admin_url).await.ok()?;
                    if let Db::Postgres(pool) = &admin {
                        let sql = format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)");
                        sqlx::query(sqlx::AssertSqlSafe(sql))
                            .execute(pool)
                            .await
                            .ok()?;
                    }
                    admin.close().await;
                    Some(())
                })
            })
            .join();
            if !matches!(done, Ok(Some(()))) {
                eprintln!("could not drop test database {name}");
            }
        }
    }
}

/// The same server URL with another database name.
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].rfind('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Declares one async test per backend: `mod name { sqlite, postgres }`, each calling
/// `$case(store)` on a fresh database.
#[macro_export]
macro_rules! test_on_both_backends {
    ($($name:ident => $case:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let t = $crate::testing::TestDb::sqlite().await;
                    super::$case(t.store()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(t) = $crate::testing::TestDb::postgres().await else { return };
                    super::$case(t.store()).await;
                }
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            replace_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
