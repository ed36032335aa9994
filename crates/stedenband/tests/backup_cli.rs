//! Backups, restores and the move from SQLite to PostgreSQL as an operator runs them: the
//! commands' files (mode 0600, never overwritten), their one-line summaries, the copies passing
//! `stedenband check`, the round trip SQLite -> JSON -> PostgreSQL -> JSON giving the same file,
//! and bad input refused with exit code 1 and nothing written.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use stedenband_store::testing::TestDb;

fn stedenband(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stedenband"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_BACKTRACE")
        .env("RUST_LOG", "warn")
        .args(args)
        .args(["--database-url", url])
        .output()
        .expect("run stedenband")
}

/// Runs a command that must succeed and returns what it printed.
fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = stedenband(dir, url, args);
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a command that must fail with exit code 1 and returns its error output.
fn refused(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = stedenband(dir, url, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should be refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Rows in all tables of a SQLite file, read with plain SQL.
fn sqlite_rows(url: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut total = 0;
        for t in tables {
            let n: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {t}")))
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            total += n;
        }
        pool.close().await;
        total
    })
}

fn postgres_empty() -> Option<TestDb> {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(TestDb::postgres_empty())
}

#[test]
fn a_sqlite_backup_restores_into_sqlite_and_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let live = format!("sqlite://{}", d.join("live.db").display());
    assert!(ok(d, &live, &["demo"]).contains("Leidschendam-Voorburg"));
    let rows = sqlite_rows(&live);

    let out = ok(d, &live, &["backup", "copy.db"]);
    assert!(out.starts_with("backup: copy.db (SQLite"), "{out}");
    assert!(out.contains("integrity ok"), "{out}");
    assert_eq!(
        mode(&d.join("copy.db")),
        0o600,
        "only its owner may read a backup"
    );
    // An existing file is never overwritten.
    let err = refused(d, &live, &["backup", "copy.db"]);
    assert!(err.contains("exists already"), "{err}");

    let restored = format!("sqlite://{}", d.join("restored.db").display());
    let out = ok(d, &restored, &["restore", "copy.db"]);
    assert!(out.contains("integrity ok; audit log intact"), "{out}");
    assert_eq!(sqlite_rows(&restored), rows, "every row restored");
    assert!(ok(d, &restored, &["check"]).contains("integrity ok, foreign keys hold"));

    // Restoring into a database that holds data is refused, and it stays as it was.
    let err = refused(d, &live, &["restore", "copy.db"]);
    assert!(
        err.contains("not empty") && err.contains("no data was written"),
        "{err}"
    );
    assert_eq!(sqlite_rows(&live), rows);

    let Some(pg) = postgres_empty() else { return };
    let out = ok(d, &pg.url, &["restore", "copy.db"]);
    assert!(out.contains("integrity ok; audit log intact"), "{out}");
    assert!(ok(d, &pg.url, &["check"]).contains("integrity ok, foreign keys hold"));
    // PostgreSQL's own backup is a document, and restores into SQLite.
    let out = ok(d, &pg.url, &["backup", "pg-backup.json"]);
    assert!(out.contains("PostgreSQL as a document"), "{out}");
    assert_eq!(mode(&d.join("pg-backup.json")), 0o600);
    let back = format!("sqlite://{}", d.join("from-pg.db").display());
    ok(d, &back, &["restore", "pg-backup.json"]);
    assert_eq!(
        sqlite_rows(&back),
        rows,
        "SQLite -> PostgreSQL -> SQLite keeps every row"
    );
}

#[test]
fn the_move_from_sqlite_to_postgresql_gives_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let live = format!("sqlite://{}", d.join("live.db").display());
    ok(d, &live, &["demo"]);
    let out = ok(d, &live, &["export", "municipality", "sqlite.json"]);
    assert!(out.contains("Leidschendam-Voorburg"), "{out}");
    assert_eq!(
        mode(&d.join("sqlite.json")),
        0o600,
        "the export holds password hashes"
    );

    // Bad documents: refused with the reason, nothing written.
    std::fs::write(
        d.join("broken.json"),
        b"{\"format\": \"stedenband-export\",",
    )
    .unwrap();
    let target = format!("sqlite://{}", d.join("target.db").display());
    let err = refused(d, &target, &["import", "municipality", "broken.json"]);
    assert!(err.contains("broken.json cannot be loaded"), "{err}");
    let text = std::fs::read_to_string(d.join("sqlite.json")).unwrap();
    std::fs::write(
        d.join("spoilt.json"),
        text.replacen("\"country\":\"NL\"", "\"country\":\"NLD\"", 1),
    )
    .unwrap();
    let err = refused(d, &target, &["import", "municipality", "spoilt.json"]);
    assert!(err.contains("table municipalities"), "{err}");
    assert_eq!(sqlite_rows(&target), 0, "nothing written");

    let Some(pg) = postgres_empty() else { return };
    let out = ok(d, &pg.url, &["import", "municipality", "sqlite.json"]);
    assert!(out.contains("integrity ok; audit log intact"), "{out}");
    ok(d, &pg.url, &["export", "municipality", "postgres.json"]);
    let a = std::fs::read(d.join("sqlite.json")).unwrap();
    let b = std::fs::read(d.join("postgres.json")).unwrap();
    assert!(
        a == b,
        "SQLite -> JSON -> PostgreSQL -> JSON must give the identical document"
    );
}
