//! The whole database as one document and back (`stedenband_store::dump`): the municipality
//! export that moves a register from SQLite to PostgreSQL, PostgreSQL's logical backup, and
//! SQLite's `VACUUM INTO` backup, each checked by reading the copy back independently.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use stedenband_app::{AuditLog, Caller, Register};
use stedenband_domain::municipality::MunicipalityInput;
use stedenband_store::dump::{Document, DocumentKind, DumpError};
use stedenband_store::testing::TestDb;
use stedenband_store::{Db, Store, StoreError, on_db};

/// Every table's row count, read with plain SQL: the independent view of what a database holds.
async fn counts(db: &Db) -> BTreeMap<String, i64> {
    let tables: Vec<String> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             AND tablename <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    let mut out = BTreeMap::new();
    for t in tables {
        let sql = format!("SELECT count(*) FROM {t}");
        let n: i64 = on_db!(db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap());
        out.insert(t, n);
    }
    out
}

async fn sqlite_with_demo_and_world() -> TestDb {
    TestDb::sqlite_from_template("app-demo-world", support::with_demo_and_world).await
}

async fn assert_sound(store: &Store) {
    let report = store.integrity_check().await.unwrap();
    assert!(report.is_ok(), "integrity: {:?}", report.problems);
    let audit = AuditLog::new(store.clone()).verify(None).await.unwrap();
    assert!(audit.is_ok(), "audit log: {audit:?}");
}

/// SQLite -> document -> PostgreSQL -> document gives the same bytes, and the PostgreSQL copy
/// holds every row, passes the integrity check and its audit log verifies. The same document
/// also loads into an empty SQLite database.
#[tokio::test]
async fn sqlite_to_postgres_and_back_gives_the_identical_document() {
    let source = sqlite_with_demo_and_world().await;
    let doc = source
        .store()
        .export_document(DocumentKind::Municipality)
        .await
        .unwrap();
    let bytes = doc.to_vec();
    // What a person finds in the file: the seed's municipality (and the two it was merged from,
    // which entered its first partnerships), its partners, its audit log.
    assert_eq!(
        doc.municipalities,
        ["Leidschendam", "Leidschendam-Voorburg", "Voorburg"]
    );
    let names: Vec<&str> = doc.tables["municipalities"]
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    for n in [
        "Leidschendam-Voorburg",
        "Hranice",
        "Konstancin-Jeziorna",
        "Temecula",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(!doc.tables["audit_log"].is_empty());
    assert!(doc.tables["world_pairs"].len() > 20_000);
    assert!(
        !doc.tables.contains_key("sessions"),
        "no logins in progress"
    );
    // Every row of the source is in the document, table by table.
    let source_counts = counts(&source.db).await;
    for (table, rows) in &doc.tables {
        assert_eq!(rows.len() as i64, source_counts[table], "rows of {table}");
    }

    // Into an empty SQLite database.
    let sqlite = TestDb::sqlite_empty().await;
    let loaded = sqlite
        .store()
        .load_document(&Document::from_slice(&bytes).unwrap())
        .await
        .unwrap();
    assert_eq!(loaded.rows, doc.row_count());
    assert_sound(&sqlite.store()).await;
    let again = sqlite
        .store()
        .export_document(DocumentKind::Municipality)
        .await
        .unwrap();
    assert!(
        again.to_vec() == bytes,
        "SQLite -> document -> SQLite -> document differs"
    );

    let Some(pg) = TestDb::postgres_empty().await else {
        return;
    };
    let loaded = pg
        .store()
        .load_document(&Document::from_slice(&bytes).unwrap())
        .await
        .unwrap();
    assert_eq!(loaded.rows, doc.row_count());
    // The PostgreSQL copy holds exactly the rows the source holds (sessions aside).
    let pg_counts = counts(&pg.db).await;
    for (table, n) in &source_counts {
        if table != "sessions" && table != "login_failures" {
            assert_eq!(pg_counts[table], *n, "rows of {table} on PostgreSQL");
        }
    }
    assert_sound(&pg.store()).await;
    // The application reads it: the register answers as it did on SQLite.
    let register = Register::new(pg.store());
    let lv = register
        .find_municipality("leidschendam-voorburg")
        .await
        .unwrap();
    assert!(lv.is_some(), "the municipality is found on PostgreSQL");
    let back = pg
        .store()
        .export_document(DocumentKind::Municipality)
        .await
        .unwrap();
    let back = back.to_vec();
    if back != bytes {
        let first = bytes
            .split(|b| *b == b'\n')
            .zip(back.split(|b| *b == b'\n'))
            .find(|(a, b)| a != b)
            .map(|(a, b)| {
                (
                    String::from_utf8_lossy(a).into_owned(),
                    String::from_utf8_lossy(b).into_owned(),
                )
            });
        panic!(
            "SQLite -> document -> PostgreSQL -> document differs; first differing line: {first:?}"
        );
    }
}

/// A document loads only into an empty database; a database with rows is left as it was.
async fn a_database_with_rows_is_refused(store: Store) {
    let doc = store
        .export_document(DocumentKind::Municipality)
        .await
        .unwrap();
    let before = counts(store.db()).await;
    let err = store.load_document(&doc).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Document(DumpError::NotEmpty(why)) if why.contains("rows")),
        "{err}"
    );
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(counts(store.db()).await, before);
}

stedenband_store::test_on_both_backends! {
    template "app-demo", crate::support::with_demo;
    non_empty_target => a_database_with_rows_is_refused,
}

/// A document whose rows the schema refuses (a missing parent, a broken check, a wrong type,
/// an unknown column or table) is refused as a whole, naming the table; nothing is written.
async fn bad_rows_are_refused_and_nothing_is_written(source: Store) {
    let doc = source
        .export_document(DocumentKind::Municipality)
        .await
        .unwrap();
    type Spoil = fn(&mut Document);
    let spoilers: [(&str, Spoil, &str); 6] = [
        (
            "a partnership naming a missing municipality",
            |d| {
                let p = d
                    .tables
                    .get_mut("partnerships")
                    .unwrap()
                    .last_mut()
                    .unwrap();
                p.insert("partner_id".into(), Value::from("no-such-municipality"));
            },
            "partnerships",
        ),
        (
            "a municipality with an empty name",
            |d| {
                let m = d
                    .tables
                    .get_mut("municipalities")
                    .unwrap()
                    .last_mut()
                    .unwrap();
                m.insert("name".into(), Value::from(""));
            },
            "municipalities",
        ),
        (
            "text where a year belongs",
            |d| {
                let p = d
                    .tables
                    .get_mut("partnerships")
                    .unwrap()
                    .first_mut()
                    .unwrap();
                p.insert("start_year".into(), Value::from("1990"));
            },
            "start_year",
        ),
        (
            "an unknown column",
            |d| {
                for row in d.tables.get_mut("foundations").unwrap() {
                    row.insert("secret".into(), Value::from("x"));
                }
            },
            "no such column: secret",
        ),
        (
            "an unknown table",
            |d| {
                d.tables.insert("shadow".into(), vec![]);
            },
            "table shadow",
        ),
        (
            "an audit entry twice",
            |d| {
                let log = d.tables.get_mut("audit_log").unwrap();
                let first = log[0].clone();
                log.push(first);
            },
            "audit_log",
        ),
    ];
    for (what, spoil, expected) in spoilers {
        let mut bad = doc.clone();
        spoil(&mut bad);
        let target = match source.db().backend() {
            stedenband_store::Backend::Sqlite => TestDb::sqlite_empty().await,
            stedenband_store::Backend::Postgres => TestDb::postgres_empty().await.unwrap(),
        };
        let err = target
            .store()
            .load_document(&bad)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{what}: {err}");
        let rows: i64 = counts(&target.db).await.values().sum();
        assert_eq!(rows, 0, "{what}: nothing may be written");
    }
}

stedenband_store::test_on_both_backends! {
    template "app-demo", crate::support::with_demo;
    bad_rows => bad_rows_are_refused_and_nothing_is_written,
}

fn input(n: usize) -> MunicipalityInput {
    MunicipalityInput {
        name: Some(format!("Backuptown {n}")),
        country: Some("NL".to_owned()),
        ..Default::default()
    }
}

/// A backup taken while writes go on holds every write acknowledged before it started, and
/// restores into an empty database of the other kind (SQLite's VACUUM INTO copy read back;
/// PostgreSQL's document loaded), where the integrity check and `audit verify` pass.
async fn backup_under_writes_holds_every_acknowledged_write(store: Store) {
    let register = Register::new(store.clone());
    let mut acked = Vec::new();
    for n in 0..40 {
        acked.push(
            register
                .create_municipality(&Caller::system(), &input(n))
                .await
                .unwrap()
                .id
                .0,
        );
    }
    // Writes keep coming while the backup runs.
    let writer = {
        let register = register.clone();
        tokio::spawn(async move {
            for n in 1000..1060 {
                register
                    .create_municipality(&Caller::system(), &input(n))
                    .await
                    .unwrap();
            }
        })
    };
    let doc = match store.db() {
        Db::Sqlite(_) => {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("backup.db");
            store.backup_sqlite_into(&path).await.unwrap();
            let copy = Store::new(Db::open_sqlite_read_only(&path).await.unwrap());
            assert_sound(&copy).await;
            copy.export_document(DocumentKind::Backup).await.unwrap()
        }
        Db::Postgres(_) => store.export_document(DocumentKind::Backup).await.unwrap(),
    };
    writer.await.unwrap();
    let ids: Vec<&str> = doc.tables["municipalities"]
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    for id in &acked {
        assert!(
            ids.contains(&id.as_str()),
            "acknowledged write {id} missing from the backup"
        );
    }
    // The copy is consistent: each municipality written has its audit entry, or neither is in.
    let audited = doc.tables["audit_log"]
        .iter()
        .filter(|e| e["action"] == "municipality.create")
        .count();
    let made = doc.tables["municipalities"]
        .iter()
        .filter(|m| {
            m["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Backuptown"))
        })
        .count();
    assert!(
        made >= 40 && audited >= made - 1,
        "{made} made, {audited} audited"
    );

    // Restored into the other kind of database.
    let target = match store.db().backend() {
        stedenband_store::Backend::Sqlite => TestDb::postgres_empty().await,
        stedenband_store::Backend::Postgres => Some(TestDb::sqlite_empty().await),
    };
    let Some(target) = target else { return };
    let bytes = doc.to_vec();
    target
        .store()
        .load_document(&Document::from_slice(&bytes).unwrap())
        .await
        .unwrap();
    assert_sound(&target.store()).await;
    let restored = counts(&target.db).await;
    for (table, rows) in &doc.tables {
        assert_eq!(
            restored[table],
            rows.len() as i64,
            "restored rows of {table}"
        );
    }
}

stedenband_store::test_on_both_backends! {
    template "app-demo", crate::support::with_demo;
    backup_under_writes => backup_under_writes_holds_every_acknowledged_write,
}
