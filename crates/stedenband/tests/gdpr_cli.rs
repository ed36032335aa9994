//! `stedenband gdpr …` as an operator runs it: the register of processing activities, the
//! retention run with its dry run, and a person's export and erasure.

use std::process::{Command, Output};
use stedenband_app::organisation::{BodyKey, Organisation};
use stedenband_app::{Caller, Register, demo};
use stedenband_domain::organisation::{PersonInput, RoleInput};
use stedenband_store::privacy::{Data, SCHEMA};
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

#[test]
fn the_register_lists_every_personal_column_of_the_schema() {
    let o = stedenband("sqlite://unused.db", &["gdpr", "register"]);
    assert!(o.status.success());
    let md = stdout(&o);
    assert!(md.starts_with("# Register of processing activities (AVG/GDPR art. 30)"));
    let mut listed = 0;
    for t in SCHEMA {
        for (c, d) in t.columns {
            if *d != Data::None {
                assert!(md.contains(&format!("| `{c}` |")), "{}.{c} listed", t.name);
                listed += 1;
            }
        }
    }
    assert!(
        listed >= 20,
        "the schema has many personal columns, {listed} found"
    );
    for needle in [
        "## people",
        "## roles",
        "## audit_log",
        "## accounts",
        "person-membership | 24",
    ] {
        assert!(md.contains(needle), "{needle}");
    }
    assert!(
        !std::path::Path::new("unused.db").exists(),
        "register needs no database"
    );
}

/// The demo data and one former member whose last role ended on 2020-12-31.
async fn demo_with_former_member() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("gdpr.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let register = Register::new(Store::new(db.clone()));
    demo::load(&register).await.unwrap();
    let org = Organisation::new(register);
    let p = org
        .create_person(
            &Caller::system(),
            "stichting-stedenbanden-leidschendam-voorburg",
            &PersonInput {
                name: Some("Voormalig Lid".into()),
                email: Some("voormalig@example.net".into()),
                basis: Some("membership".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    org.add_role(
        &Caller::system(),
        BodyKey::WorkingGroup("werkgroep-temecula"),
        &RoleInput {
            person: Some(p.id.clone()),
            role: Some("member".into()),
            start: Some("2012-01-01".into()),
            end: Some("2020-12-31".into()),
        },
    )
    .await
    .unwrap();
    db.close().await;
    (dir, url, p.id)
}

#[tokio::test]
async fn retention_lists_first_then_anonymises_exactly_the_expired() {
    let (_dir, url, id) = demo_with_former_member().await;
    // On 2022-12-31 the period (24 months after 2020-12-31) has not yet passed.
    let o = stedenband(
        &url,
        &["gdpr", "retention", "--dry-run", "--on", "2022-12-31"],
    );
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("Nobody's retention period has passed on 2022-12-31."));
    let o = stedenband(
        &url,
        &["gdpr", "retention", "--dry-run", "--on", "2023-01-01"],
    );
    let out = stdout(&o);
    assert!(
        out.contains("1 person's retention period has passed on 2023-01-01:"),
        "{out}"
    );
    assert!(out.contains(&id) && out.contains("Voormalig Lid"), "{out}");
    assert!(out.contains("Dry run: nothing was changed."));
    // The dry run changed nothing: the same person is listed again.
    let o = stedenband(&url, &["gdpr", "retention", "--on", "2023-01-01"]);
    let out = stdout(&o);
    assert!(
        out.contains("Voormalig Lid") && out.contains("Anonymised 1 of them."),
        "{out}"
    );
    let o = stedenband(&url, &["gdpr", "retention", "--on", "2023-01-01"]);
    assert!(stdout(&o).contains("Nobody's retention period has passed"));
    let export = stedenband(&url, &["gdpr", "export", &id]);
    assert!(export.status.success());
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let person = &json["tables"]["people"][0];
    assert_eq!(person["name"], serde_json::Value::Null);
    assert_eq!(person["email"], serde_json::Value::Null);
    assert!(person["anonymised_on"].is_string());
    assert_eq!(json["tables"]["roles"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn erasure_needs_confirmation_and_unknown_people_are_named() {
    let (_dir, url, id) = demo_with_former_member().await;
    let o = stedenband(&url, &["gdpr", "erase", &id]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("add --yes"));
    let o = stedenband(&url, &["gdpr", "export", &id]);
    assert!(
        stdout(&o).contains("voormalig@example.net"),
        "not erased without --yes"
    );
    let o = stedenband(&url, &["gdpr", "erase", &id, "--yes"]);
    assert!(o.status.success(), "{o:?}");
    let o = stedenband(&url, &["gdpr", "export", &id]);
    assert!(!stdout(&o).contains("voormalig@example.net"));
    let o = stedenband(&url, &["gdpr", "export", "nobody"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such person"));
    let o = stedenband(&url, &["gdpr", "retention", "--on", "yesterday"]);
    assert!(!o.status.success());
}

#[tokio::test]
async fn retention_removes_guests_names_five_years_after_their_activity() {
    let (_dir, url, _id) = demo_with_former_member().await;
    // The demo's citizens' meeting ends on 2027-05-16: its guests' names are kept through
    // 2032-05-16.
    let o = stedenband(
        &url,
        &["gdpr", "retention", "--dry-run", "--on", "2032-05-16"],
    );
    assert!(o.status.success(), "{o:?}");
    assert!(
        stdout(&o).contains("No guest's name is past its retention period on 2032-05-16."),
        "{}",
        stdout(&o)
    );
    let o = stedenband(
        &url,
        &["gdpr", "retention", "--dry-run", "--on", "2032-05-17"],
    );
    let out = stdout(&o);
    assert!(
        out.contains("5 guests' names are past the retention period on 2032-05-17:"),
        "{out}"
    );
    assert!(out.contains("Jana Nováková") && out.contains("ended 2027-05-16"));
    assert!(out.contains("Dry run: nothing was changed."));
    let o = stedenband(&url, &["gdpr", "retention", "--on", "2032-05-17"]);
    assert!(
        stdout(&o).contains("Removed 5 guests' names."),
        "{}",
        stdout(&o)
    );
    let o = stedenband(&url, &["gdpr", "retention", "--on", "2032-05-17"]);
    assert!(stdout(&o).contains("No guest's name is past its retention period"));
}
