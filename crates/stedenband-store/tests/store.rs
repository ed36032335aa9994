//! Connecting, migrating and checking, and the schema's own guards, on both databases.

use stedenband_domain::{MunicipalityDraft, MunicipalityInput};
use stedenband_store::testing::TestDb;
use stedenband_store::{Db, Store, StoreError, test_on_both_backends};

fn draft(name: &str, slug: Option<&str>) -> MunicipalityDraft {
    MunicipalityDraft::parse(&MunicipalityInput {
        name: Some(name.into()),
        country: Some("NL".into()),
        slug: slug.map(Into::into),
        ..Default::default()
    })
    .unwrap()
}

/// The database as the program opens it (test databases run SQLite without waiting for the
/// disk, which the start-up check would rightly refuse).
async fn as_the_program_opens_it(db: &Db) -> Db {
    match db {
        Db::Sqlite(pool) => {
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
            Db::connect(&format!("sqlite://{file}")).await.unwrap()
        }
        other => other.clone(),
    }
}

/// The audit entry a municipality's write carries.
fn audit(m: &stedenband_domain::Municipality) -> stedenband_domain::audit::AuditDraft {
    stedenband_domain::audit::AuditDraft {
        actor: Some("test".into()),
        address: None,
        action: "municipality.create".into(),
        object_kind: Some("municipality".into()),
        object_id: Some(m.id.0.clone()),
        before: None,
        after: None,
        outcome: stedenband_domain::audit::Outcome::Success,
    }
}

async fn migrating_again_changes_nothing_and_the_check_passes(store: Store) {
    let db = as_the_program_opens_it(store.db()).await;
    db.migrate().await.unwrap();
    db.check().await.unwrap();
    db.ping().await.unwrap();
}

async fn a_taken_slug_is_a_conflict_on_the_slug(store: Store) {
    store
        .insert_municipality(&draft("Hranice", None), &audit)
        .await
        .unwrap();
    let err = store
        .insert_municipality(&draft("Other", Some("hranice")), &audit)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { field: "slug" }),
        "{err:?}"
    );
    // The refused write left no audit entry; the stored one left one, in its transaction.
    let entries = store.audit_entries(0, 100).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].draft.action, "municipality.create");
    // Without a slug asked for, a free one is found.
    let second = store
        .insert_municipality(&draft("Hranice", None), &audit)
        .await
        .unwrap();
    assert_eq!(second.slug.as_str(), "hranice-nl");
}

async fn the_schema_refuses_what_the_domain_refuses(store: Store) {
    // Even a write that bypasses the domain cannot twin a town with itself or end before it
    // started: the database checks too.
    let m = store
        .insert_municipality(&draft("Voorburg", None), &audit)
        .await
        .unwrap();
    let sql = "INSERT INTO partnerships (id, home_id, partner_id, kind, initiator, start_year, created_at, updated_at) \
               VALUES ('x', $1, $1, 'friendship', 'local-government', 1990, 'now', 'now')";
    let res = stedenband_store::on_db!(store.db(), pool => {
        sqlx::query(sql).bind(&m.id.0).execute(pool).await.map(|_| ())
    });
    assert!(res.is_err(), "a self-twinning was stored");
}

test_on_both_backends! {
    migrations => migrating_again_changes_nothing_and_the_check_passes,
    slug_conflicts => a_taken_slug_is_a_conflict_on_the_slug,
    schema_guards => the_schema_refuses_what_the_domain_refuses,
}

#[tokio::test]
async fn an_unmigrated_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.path().join("x.db").display()))
        .await
        .unwrap();
    let err = db.check().await.unwrap_err().to_string();
    assert!(err.contains("stedenband migrate"), "{err}");
}

#[tokio::test]
async fn a_sqlite_database_without_its_durability_settings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let migrated = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    migrated.migrate().await.unwrap();
    migrated.close().await;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
        .foreign_keys(false);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .unwrap();
    let err = Db::Sqlite(pool).check().await.unwrap_err().to_string();
    assert!(err.contains("journal_mode is delete"), "{err}");
    assert!(err.contains("foreign keys are off"), "{err}");
    assert!(err.contains("synchronous is 1"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_program_is_refused() {
    let t = TestDb::sqlite().await;
    if let Db::Sqlite(pool) = &t.db {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (999, 'future', TRUE, x'00', 0)",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    let db = as_the_program_opens_it(&t.db).await;
    let err = db.migrate().await.unwrap_err().to_string();
    assert!(err.contains("newer version"), "{err}");
    let err = db.check().await.unwrap_err().to_string();
    assert!(err.contains("newer than this program"), "{err}");
}

#[tokio::test]
async fn unreachable_and_unknown_databases_say_so() {
    let err = Db::connect("postgres://someone:secret@127.0.0.1:1/nothing")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot reach PostgreSQL"), "{err}");
    assert!(!err.contains("secret"), "the password leaked: {err}");
    let err = Db::connect("mysql://localhost/x")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("unsupported database URL"), "{err}");
}
