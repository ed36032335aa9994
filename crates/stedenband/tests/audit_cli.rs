//! `stedenband audit verify` and `audit head` as an administrator runs them: a whole log passes,
//! a log changed behind the program's back fails with exit code 1 and names the entry.

use std::process::{Command, Output};
use stedenband_app::AuditLog;
use stedenband_domain::audit::{AuditDraft, GENESIS, Outcome};
use stedenband_store::{Db, Store};

fn stedenband(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stedenband"))
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .args(args)
        .args(["--database-url", url])
        .output()
        .expect("run stedenband")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

/// A migrated SQLite file in a new folder, with `n` audit entries.
async fn database_with_entries(n: usize) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("audit.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let log = AuditLog::new(Store::new(db.clone()));
    for i in 0..n {
        log.append(&AuditDraft {
            actor: Some("beheerder".into()),
            address: Some("127.0.0.1".into()),
            action: "partnership.update".into(),
            object_kind: Some("partnership".into()),
            object_id: Some(format!("p{i}")),
            before: Some(r#"{"status":"active"}"#.into()),
            after: Some(r#"{"status":"dormant"}"#.into()),
            outcome: Outcome::Success,
        })
        .await
        .unwrap();
    }
    db.close().await;
    (dir, url)
}

/// Changes the file directly, as anyone with access to it could.
async fn tamper(url: &str, sql: &'static str) {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let done = sqlx::query(sql).execute(&pool).await.unwrap();
    assert!(done.rows_affected() > 0, "{sql} changed nothing");
    pool.close().await;
}

#[test]
fn verify_passes_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let out = stedenband(&url, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("audit log intact: 0 entries, head 0:{GENESIS}")
    );
    let out = stedenband(&url, &["audit", "head"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(stdout(&out).trim(), format!("0:{GENESIS}"));
}

#[tokio::test]
async fn an_edited_entry_fails_verify_and_is_named() {
    let (_dir, url) = database_with_entries(20).await;
    let head = stedenband(&url, &["audit", "head"]);
    assert!(head.status.success(), "{}", text(&head));
    let head = stdout(&head).trim().to_owned();
    assert!(head.starts_with("20:") && head.len() == 3 + 64, "{head}");
    let out = stedenband(&url, &["audit", "verify", "--head", &head]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("audit log intact: 20 entries, head {head}")
    );

    tamper(
        &url,
        r#"UPDATE audit_log SET after_json = '{"status":"active"}' WHERE seq = 7"#,
    )
    .await;
    let out = stedenband(&url, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("entry 7 was edited: its content no longer matches its hash"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn a_deleted_entry_fails_verify_and_is_named() {
    let (_dir, url) = database_with_entries(20).await;
    tamper(&url, "DELETE FROM audit_log WHERE seq = 12").await;
    let out = stedenband(&url, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("entry 12 is missing"), "{}", text(&out));
}

#[tokio::test]
async fn removing_the_newest_entries_is_caught_by_the_kept_head() {
    let (_dir, url) = database_with_entries(10).await;
    let head = stdout(&stedenband(&url, &["audit", "head"]))
        .trim()
        .to_owned();
    tamper(&url, "DELETE FROM audit_log WHERE seq > 8").await;
    // Without the head the shorter log looks whole ...
    let out = stedenband(&url, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(stdout(&out).contains("8 entries"), "{}", text(&out));
    // ... with it, it does not.
    let out = stedenband(&url, &["audit", "verify", "--head", &head]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("entry 9 is missing: the log ends at entry 8"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_malformed_head_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let out = stedenband(&url, &["audit", "verify", "--head", "12:abc"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("SEQ:HASH"), "{}", text(&out));
}
