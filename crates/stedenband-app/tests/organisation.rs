//! The organisation's use cases on a fresh database with the demo data, once on SQLite and once
//! on PostgreSQL: the board rule, the board of a past date, bad input, who may edit what, and
//! the AVG/GDPR duties (export of every row, erasure without a trace, retention).

mod support;

use jiff::civil::{Date, date};
use stedenband_app::organisation::{BodyKey, Organisation};
use stedenband_app::{AppError, Caller, Register};
use stedenband_domain::organisation::{FoundationInput, PersonInput, RoleInput, WorkingGroupInput};
use stedenband_domain::{Grant, Principal, Role, Username};
use stedenband_store::{Db, Store};

const STICHTING: &str = "stichting-stedenbanden-leidschendam-voorburg";

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn sys() -> Caller {
    Caller::system()
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn demo_org(store: Store) -> Organisation {
    Organisation::new(Register::new(store))
}

fn account(role: Role, scope: &str) -> Caller {
    Caller::new(
        Principal::Account {
            id: "acc".into(),
            username: Username::parse("tester").unwrap(),
            grants: vec![Grant {
                role,
                scope: Some(scope.into()),
            }],
        },
        Some("192.0.2.1".into()),
    )
}

/// Runs a query that yields one number, on either database.
async fn count(store: &Store, sql: &str) -> i64 {
    match store.db() {
        Db::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

/// How many rows of each table have `needle` anywhere in a column (the whole database,
/// table by table, column by column, as the catalogue lists them).
async fn rows_containing(store: &Store, needle: &str) -> std::collections::BTreeMap<String, i64> {
    let mut by_table: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (t, c) in store.live_columns().await.unwrap() {
        by_table.entry(t).or_default().push(c);
    }
    let mut out = std::collections::BTreeMap::new();
    for (table, columns) in by_table {
        let cond: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT) LIKE '%{needle}%'"))
            .collect();
        let n = count(
            store,
            &format!("SELECT COUNT(*) FROM {table} WHERE {}", cond.join(" OR ")),
        )
        .await;
        if n > 0 {
            out.insert(table, n);
        }
    }
    out
}

/// The people of the demo foundation by name.
async fn person_id(org: &Organisation, name: &str) -> String {
    org.people(&sys(), STICHTING)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name.as_ref().is_some_and(|n| n.as_str() == name))
        .unwrap_or_else(|| panic!("{name} is in the demo"))
        .id
}

// ---- the board rule and the board over time -----------------------------------------------

async fn the_demo_foundation_has_three_groups_and_the_rule_holds(store: Store) {
    let org = demo_org(store).await;
    let view = org.foundation(&sys(), STICHTING, None).await.unwrap();
    let names: Vec<String> = view
        .groups
        .iter()
        .map(|g| g.draft.name.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "Werkgroep Hranice",
            "Werkgroep Konstancin-Jeziorna",
            "Werkgroep Temecula"
        ]
    );
    for g in &view.groups {
        assert_eq!(
            g.draft.partnerships.len(),
            1,
            "{} carries its bond",
            g.slug.as_str()
        );
    }
    assert_eq!(
        view.rule.len(),
        1,
        "one stretch since 2002: {:?}",
        view.rule
    );
    assert!(view.rule[0].holds);
    assert_eq!(view.rule[0].from, date(2002, 1, 1));
    assert_eq!(view.rule[0].until, None);
    assert!(view.people_visible);
}

async fn ending_a_chairs_board_term_breaks_the_rule_and_names_the_group(store: Store) {
    let org = demo_org(store).await;
    let joost = person_id(&org, "Joost Visser").await;
    let view = org.foundation(&sys(), STICHTING, None).await.unwrap();
    // Joost is the board's secretary and chairs the Konstancin-Jeziorna group.
    let seat = view
        .board
        .iter()
        .find(|s| s.person.as_ref().is_some_and(|p| p.id == joost))
        .expect("Joost is on the board");
    org.end_role(&sys(), &seat.role_id, Some("2024-06-30"))
        .await
        .unwrap();
    let view = org.foundation(&sys(), STICHTING, None).await.unwrap();
    let summary: Vec<(Date, Option<Date>, bool)> = view
        .rule
        .iter()
        .map(|r| (r.from, r.until, r.holds))
        .collect();
    assert_eq!(
        summary,
        [
            (date(2002, 1, 1), Some(date(2024, 6, 30)), true),
            (date(2024, 7, 1), None, false)
        ]
    );
    let missing = &view.rule[1].missing;
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].group.draft.name.as_str(),
        "Werkgroep Konstancin-Jeziorna"
    );
    assert_eq!(
        missing[0].person.as_ref().and_then(|p| p.name.as_deref()),
        Some("Joost Visser")
    );
    // The public learns which group, not who.
    let public = org
        .foundation(&Caller::public(), STICHTING, None)
        .await
        .unwrap();
    assert_eq!(
        public.rule[1].missing[0].group.draft.name.as_str(),
        "Werkgroep Konstancin-Jeziorna"
    );
    assert!(public.rule[1].missing[0].person.is_none());
    assert!(public.board.iter().all(|s| s.person.is_none()));
}

async fn the_board_of_a_past_date(store: Store) {
    let org = demo_org(store).await;
    let chair_on = |view: &stedenband_app::organisation::FoundationView| {
        view.board
            .iter()
            .find(|s| s.role == stedenband_domain::organisation::OrgRole::Chair)
            .and_then(|s| s.person.as_ref()?.name.clone())
    };
    let then = org
        .foundation(&sys(), STICHTING, Some(date(2014, 12, 31)))
        .await
        .unwrap();
    assert_eq!(chair_on(&then).as_deref(), Some("Anna Jansen"));
    assert_eq!(then.board.len(), 4);
    let later = org
        .foundation(&sys(), STICHTING, Some(date(2015, 1, 1)))
        .await
        .unwrap();
    assert_eq!(chair_on(&later).as_deref(), Some("Pieter de Graaf"));
    let before = org
        .foundation(&sys(), STICHTING, Some(date(2001, 12, 31)))
        .await
        .unwrap();
    assert!(before.board.is_empty(), "nobody before the foundation");
}

// ---- bad input and rights -----------------------------------------------------------------

async fn bad_input_is_refused_field_by_field_and_nothing_changes(store: Store) {
    let org = demo_org(store.clone()).await;
    let eva = person_id(&org, "Eva Bakker").await;
    let tables = [
        "foundations",
        "working_groups",
        "people",
        "roles",
        "audit_log",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&store, &format!("SELECT COUNT(*) FROM {t}")).await);
    }
    let role = org
        .add_role(
            &sys(),
            BodyKey::Foundation(STICHTING),
            &RoleInput {
                person: Some(eva.clone()),
                role: s("treasurer"),
                start: s("2020-01-01"),
                end: s("2019-12-31"),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(keys(role), [("end", "error-end-before-start")]);
    let group = org
        .create_working_group(
            &sys(),
            STICHTING,
            &WorkingGroupInput {
                name: s("Werkgroep Zonder Band"),
                partnerships: vec![],
                founded_on: s("2020-01-01"),
                ended_on: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(group),
        [("partnerships", "error-working-group-partnership-required")]
    );
    let foreign = org
        .create_working_group(
            &sys(),
            STICHTING,
            &WorkingGroupInput {
                name: s("Werkgroep Elders"),
                partnerships: vec!["not-a-partnership".into()],
                founded_on: s("2020-01-01"),
                ended_on: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(foreign),
        [("partnerships", "error-partnership-unknown")]
    );
    let nobasis = org
        .create_person(
            &sys(),
            STICHTING,
            &PersonInput {
                name: s("Zonder Grondslag"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(keys(nobasis), [("basis", "error-basis-required")]);
    let mail = org
        .create_person(
            &sys(),
            STICHTING,
            &PersonInput {
                name: s("Verkeerd Adres"),
                email: s("verkeerd-adres.nl"),
                basis: s("membership"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(keys(mail), [("email", "error-email-invalid")]);
    let foundation = org
        .create_foundation(
            &sys(),
            &FoundationInput {
                name: s("Stichting X"),
                municipality: s("atlantis"),
                kvk_number: s("12ab"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(foundation),
        [
            ("municipality", "error-municipality-unknown"),
            ("kvkNumber", "error-kvk-invalid")
        ]
    );
    let mut after = Vec::new();
    for t in tables {
        after.push(count(&store, &format!("SELECT COUNT(*) FROM {t}")).await);
    }
    assert_eq!(before, after, "bad input changes nothing");
}

async fn working_group_members_edit_only_their_own_group(store: Store) {
    let org = demo_org(store).await;
    let groups = org.working_groups(Some(STICHTING)).await.unwrap();
    let hranice = groups
        .iter()
        .find(|g| g.slug.as_str() == "werkgroep-hranice")
        .unwrap();
    let temecula = groups
        .iter()
        .find(|g| g.slug.as_str() == "werkgroep-temecula")
        .unwrap();
    let member = account(Role::WorkingGroupMember, &hranice.id);
    let input = |g: &stedenband_domain::organisation::WorkingGroup| WorkingGroupInput {
        name: Some(format!("{} (vernieuwd)", g.draft.name)),
        partnerships: g.draft.partnerships.iter().map(|p| p.0.clone()).collect(),
        founded_on: Some(g.draft.term.start.to_string()),
        ended_on: None,
    };
    let changed = org
        .update_working_group(&member, &hranice.id, &input(hranice))
        .await
        .unwrap();
    assert_eq!(changed.draft.name.as_str(), "Werkgroep Hranice (vernieuwd)");
    assert!(matches!(
        org.update_working_group(&member, &temecula.id, &input(temecula))
            .await,
        Err(AppError::Forbidden)
    ));
    // Nor may they change the foundation's board.
    let eva = person_id(&org, "Eva Bakker").await;
    assert!(matches!(
        org.add_role(
            &member,
            BodyKey::Foundation(STICHTING),
            &RoleInput {
                person: Some(eva),
                role: s("board-member"),
                start: s("2025-01-01"),
                end: None,
            },
        )
        .await,
        Err(AppError::Forbidden)
    ));
    // The public may not list people at all.
    assert!(matches!(
        org.people(&Caller::public(), STICHTING).await,
        Err(AppError::Unauthenticated)
    ));
    // An official of the municipality reads names but no contact details.
    let lv = org.foundation(&sys(), STICHTING, None).await.unwrap();
    let official = account(Role::MunicipalOfficial, &lv.municipality.id.0);
    let people = org.people(&official, STICHTING).await.unwrap();
    assert!(people.iter().all(|p| p.name.is_some() && p.email.is_none()));
    let board = account(Role::FoundationBoard, &lv.foundation.id);
    let people = org.people(&board, STICHTING).await.unwrap();
    assert!(people.iter().all(|p| p.email.is_some()));
}

// ---- AVG/GDPR -----------------------------------------------------------------------------

/// A person with marker strings, a role in the board and one in a working group.
async fn marked_person(org: &Organisation) -> String {
    let p = org
        .create_person(
            &sys(),
            STICHTING,
            &PersonInput {
                name: s("Zyxwvu Markeerpersoon"),
                email: s("zyxwvu.marker@example.net"),
                phone: s("+31 70 555 0199"),
                basis: s("consent"),
                consent_text_version: s("toestemming-2026-v2"),
                consent_given_on: s("2026-01-15"),
            },
        )
        .await
        .unwrap();
    org.add_role(
        &sys(),
        BodyKey::Foundation(STICHTING),
        &RoleInput {
            person: Some(p.id.clone()),
            role: s("board-member"),
            start: s("2026-02-01"),
            end: None,
        },
    )
    .await
    .unwrap();
    org.add_role(
        &sys(),
        BodyKey::WorkingGroup("werkgroep-temecula"),
        &RoleInput {
            person: Some(p.id.clone()),
            role: s("member"),
            start: s("2026-02-01"),
            end: s("2026-06-30"),
        },
    )
    .await
    .unwrap();
    p.id
}

async fn the_export_holds_every_row_that_refers_to_the_person(store: Store) {
    let org = demo_org(store.clone()).await;
    let id = marked_person(&org).await;
    let export = org.export_person(&sys(), &id).await.unwrap();
    // Independently: every row anywhere in the database that mentions the person's id.
    let mut expected = rows_containing(&store, &id).await;
    // The export itself is audited after the rows are read.
    *expected.get_mut("audit_log").unwrap() -= 1;
    let tables = export["tables"].as_object().unwrap();
    let got: std::collections::BTreeMap<String, i64> = tables
        .iter()
        .filter(|(_, rows)| !rows.as_array().unwrap().is_empty())
        .map(|(t, rows)| (t.clone(), rows.as_array().unwrap().len() as i64))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(expected["people"], 1);
    assert_eq!(expected["roles"], 2);
    let person = &tables["people"][0];
    assert_eq!(person["name"], "Zyxwvu Markeerpersoon");
    assert_eq!(person["email"], "zyxwvu.marker@example.net");
    assert_eq!(person["consent_text_version"], "toestemming-2026-v2");
    // A working-group member may not export anyone.
    let member = account(Role::WorkingGroupMember, "werkgroep-temecula");
    assert!(matches!(
        org.export_person(&member, &id).await,
        Err(AppError::Forbidden)
    ));
}

/// The SQLite file, with the WAL checkpointed into it and truncated.
async fn sqlite_file_bytes(store: &Store) -> Option<Vec<u8>> {
    let Db::Sqlite(pool) = store.db() else {
        return None;
    };
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .unwrap();
    let file: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(pool)
            .await
            .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    if let Ok(wal) = std::fs::read(format!("{file}-wal")) {
        bytes.extend(wal);
    }
    Some(bytes)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn erasure_leaves_no_trace_of_name_or_email(store: Store) {
    let org = demo_org(store.clone()).await;
    let id = marked_person(&org).await;
    let markers = ["Zyxwvu", "zyxwvu.marker", "555 0199", "toestemming-2026-v2"];
    for m in markers {
        assert!(!rows_containing(&store, m).await.is_empty(), "{m} stored");
    }
    if let Some(bytes) = sqlite_file_bytes(&store).await {
        assert!(contains(&bytes, "Zyxwvu"), "the scan can see the name");
    }
    let erased = org.erase_person(&sys(), &id).await.unwrap();
    assert!(erased.name.is_none() && erased.email.is_none() && erased.basis.is_none());
    for m in markers {
        assert_eq!(
            rows_containing(&store, m).await,
            Default::default(),
            "no table holds {m}"
        );
    }
    if let Some(bytes) = sqlite_file_bytes(&store).await {
        for m in markers {
            assert!(!contains(&bytes, m), "the SQLite file holds no {m}");
        }
    }
    // The roles stay, with an anonymous reference: the board keeps its seat count.
    let view = org
        .foundation(&sys(), STICHTING, Some(date(2026, 3, 1)))
        .await
        .unwrap();
    let seat = view
        .board
        .iter()
        .find(|s| s.person.as_ref().is_some_and(|p| p.id == id))
        .expect("the seat stays");
    assert!(seat.person.as_ref().unwrap().anonymised);
    assert_eq!(seat.person.as_ref().unwrap().name, None);
    // And an erased person cannot be edited back to life.
    assert!(matches!(
        org.update_person(
            &sys(),
            &id,
            &PersonInput {
                name: s("Terug"),
                basis: s("membership"),
                ..Default::default()
            }
        )
        .await,
        Err(AppError::NotFound)
    ));
}

async fn withdrawing_consent_anonymises_at_once(store: Store) {
    let org = demo_org(store.clone()).await;
    let karel = person_id(&org, "Karel Dvořák").await;
    let member = account(Role::WorkingGroupMember, "x");
    assert!(org.withdraw_consent(&member, &karel).await.is_err());
    let p = org.withdraw_consent(&sys(), &karel).await.unwrap();
    assert!(p.is_anonymised());
    assert_eq!(rows_containing(&store, "Dvořák").await, Default::default());
    // Somebody on membership has no consent to withdraw.
    let eva = person_id(&org, "Eva Bakker").await;
    assert_eq!(
        keys(org.withdraw_consent(&sys(), &eva).await.unwrap_err()),
        [("basis", "error-no-consent")]
    );
}

async fn retention_anonymises_exactly_the_expired_people(store: Store) {
    let org = demo_org(store.clone()).await;
    let add = |name: &'static str, basis: &'static str| {
        let org = org.clone();
        async move {
            org.create_person(
                &sys(),
                STICHTING,
                &PersonInput {
                    name: s(name),
                    basis: s(basis),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id
        }
    };
    let role = |id: String, end: &'static str| {
        let org = org.clone();
        async move {
            org.add_role(
                &sys(),
                BodyKey::WorkingGroup("werkgroep-hranice"),
                &RoleInput {
                    person: Some(id),
                    role: s("member"),
                    start: s("2015-01-01"),
                    end: s(end),
                },
            )
            .await
            .unwrap();
        }
    };
    // Membership: kept 24 months after the last role ended.
    let old = add("Oud Lid", "membership").await;
    role(old.clone(), "2023-12-31").await;
    let recent = add("Recent Lid", "membership").await;
    role(recent.clone(), "2024-06-30").await;
    // Public task: kept 84 months.
    let council = add("Raadslid", "public-task").await;
    role(council.clone(), "2023-12-31").await;
    let on = date(2026, 3, 1);
    // Independently of the code: 2023-12-31 + 24 months = 2025-12-31 < 2026-03-01 (expired);
    // 2024-06-30 + 24 months = 2026-06-30 (not yet); 2023-12-31 + 84 months = 2030-12-31.
    let due: Vec<String> = org
        .retention_due(on)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(
        due,
        std::slice::from_ref(&old),
        "only the old member is due"
    );
    // Not for an account: the operator's command.
    assert!(
        org.run_retention(&account(Role::FoundationBoard, "x"), on)
            .await
            .is_err()
    );
    let done = org.run_retention(&sys(), on).await.unwrap();
    assert_eq!(done.len(), 1);
    let people = org.people(&sys(), STICHTING).await.unwrap();
    let anonymised: Vec<&str> = people
        .iter()
        .filter(|p| p.is_anonymised())
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(anonymised, [old.as_str()]);
    assert_eq!(rows_containing(&store, "Oud Lid").await, Default::default());
    assert!(!rows_containing(&store, "Recent Lid").await.is_empty());
    // A second run finds nobody new; the demo people all hold open roles.
    assert!(org.retention_due(on).await.unwrap().is_empty());
    // Much later the recent member is due too, the council member still not.
    let later: Vec<String> = org
        .retention_due(date(2026, 7, 1))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(later, [recent]);
}

async fn the_organisation_keeps_its_own_rules(store: Store) {
    let org = demo_org(store.clone()).await;
    let groups = org.working_groups(Some(STICHTING)).await.unwrap();
    let hranice = groups
        .iter()
        .find(|g| g.slug.as_str() == "werkgroep-hranice")
        .unwrap();
    let temecula = groups
        .iter()
        .find(|g| g.slug.as_str() == "werkgroep-temecula")
        .unwrap();
    let member = account(Role::WorkingGroupMember, &hranice.id);
    let role_input = |person: &str, start: &str, end: Option<&str>| RoleInput {
        person: Some(person.to_owned()),
        role: s("member"),
        start: s(start),
        end: end.map(str::to_owned),
    };
    // A member of one group cannot pull somebody of another group into theirs (and so gain
    // rights over them); the board can.
    let jennifer = person_id(&org, "Jennifer Miller").await;
    let refused = org
        .add_role(
            &member,
            BodyKey::WorkingGroup(&hranice.id),
            &role_input(&jennifer, "2025-01-01", None),
        )
        .await
        .unwrap_err();
    assert_eq!(keys(refused), [("person", "error-person-other-group")]);
    assert!(matches!(
        org.update_person(
            &member,
            &jennifer,
            &PersonInput {
                name: s("X"),
                basis: s("membership"),
                ..Default::default()
            }
        )
        .await,
        Err(AppError::Forbidden)
    ));
    // Withdrawing consent ends in anonymisation: the board's, not a member's.
    assert!(matches!(
        org.withdraw_consent(&member, &person_id(&org, "Karel Dvořák").await)
            .await,
        Err(AppError::Forbidden)
    ));
    // A role lies within its group's lifetime (founded 2002-01-01).
    let sanne = person_id(&org, "Sanne de Wit").await;
    let early = org
        .add_role(
            &sys(),
            BodyKey::WorkingGroup(&hranice.id),
            &role_input(&sanne, "1990-01-01", Some("1995-01-01")),
        )
        .await
        .unwrap_err();
    assert_eq!(keys(early), [("start", "error-role-outside-group")]);
    // A group cannot end while roles in it run on.
    let mut ended = WorkingGroupInput {
        name: Some(temecula.draft.name.to_string()),
        partnerships: temecula
            .draft
            .partnerships
            .iter()
            .map(|p| p.0.clone())
            .collect(),
        founded_on: s("2002-01-01"),
        ended_on: s("2010-01-01"),
    };
    let refused = org
        .update_working_group(&sys(), &temecula.id, &ended)
        .await
        .unwrap_err();
    assert_eq!(
        keys(refused),
        [("endedOn", "error-group-dates-exclude-roles")]
    );
    ended.founded_on = s("2005-01-01");
    ended.ended_on = None;
    let refused = org
        .update_working_group(&sys(), &temecula.id, &ended)
        .await
        .unwrap_err();
    assert_eq!(
        keys(refused),
        [("foundedOn", "error-group-dates-exclude-roles")]
    );
    // An ended role stays ended.
    let view = org
        .foundation(&sys(), STICHTING, Some(date(2010, 1, 1)))
        .await
        .unwrap();
    let anna_chair = view
        .board
        .iter()
        .find(|s| s.role == stedenband_domain::organisation::OrgRole::Chair)
        .unwrap();
    let refused = org
        .end_role(&sys(), &anna_chair.role_id, Some("2030-12-31"))
        .await
        .unwrap_err();
    assert_eq!(keys(refused), [("end", "error-role-already-ended")]);
    // A foundation does not move to a municipality that does not hold its groups' partnerships.
    let moved = org
        .update_foundation(
            &sys(),
            STICHTING,
            &FoundationInput {
                name: s("Stichting Stedenbanden Leidschendam-Voorburg"),
                municipality: s("hranice"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(moved),
        [("municipality", "error-foundation-move-partnerships")]
    );
    // The consent text's version is a short label without control characters.
    let bad = org
        .create_person(
            &sys(),
            STICHTING,
            &PersonInput {
                name: s("Nul Teken"),
                basis: s("consent"),
                consent_text_version: s("v1\u{0}"),
                consent_given_on: s("2026-01-01"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(bad),
        [("consentTextVersion", "error-control-characters")]
    );
    // The export names no member of staff or their address.
    let export = org.export_person(&sys(), &sanne).await.unwrap();
    let audit = export["tables"]["audit_log"].as_array().unwrap();
    assert!(!audit.is_empty());
    assert!(
        audit
            .iter()
            .all(|e| e.get("actor").is_none() && e.get("address").is_none())
    );
    // A foundation named like another's id does not stand in for it.
    let real = org
        .foundation(&sys(), STICHTING, None)
        .await
        .unwrap()
        .foundation;
    org.create_foundation(
        &sys(),
        &FoundationInput {
            name: Some(real.id.clone()),
            municipality: s("hranice"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let found = org.foundation(&sys(), &real.id, None).await.unwrap();
    assert_eq!(found.foundation.slug.as_str(), STICHTING);
    // Consent withdrawal keeps the day it happened, without the person.
    let karel = person_id(&org, "Karel Dvořák").await;
    let gone = org.withdraw_consent(&sys(), &karel).await.unwrap();
    assert!(gone.is_anonymised() && gone.consent_withdrawn_on.is_some());
}

// ---- audit entries share the change's transaction -----------------------------------------

async fn audit_entries(store: &Store) -> i64 {
    count(store, "SELECT COUNT(*) FROM audit_log").await
}

async fn each_change_has_exactly_one_audit_entry_and_a_refusal_none(store: Store) {
    let org = demo_org(store.clone()).await;
    let register = Register::new(store.clone());
    let hranice = org
        .working_groups(Some(STICHTING))
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.slug.as_str() == "werkgroep-hranice")
        .unwrap();
    // A new working group (its id made by the store): one entry, naming it.
    let before = audit_entries(&store).await;
    let g = org
        .create_working_group(
            &sys(),
            STICHTING,
            &WorkingGroupInput {
                name: s("Werkgroep Audit"),
                partnerships: hranice
                    .draft
                    .partnerships
                    .iter()
                    .map(|p| p.0.clone())
                    .collect(),
                founded_on: s("2020-01-01"),
                ended_on: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(audit_entries(&store).await, before + 1);
    let trail = register.audit_trail("working-group", &g.id).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].draft.action, "working-group.create");
    assert_eq!(trail[0].draft.object_id.as_deref(), Some(g.id.as_str()));
    assert_eq!(
        trail[0].draft.outcome,
        stedenband_domain::audit::Outcome::Success
    );
    // Bad input is refused before anything is written: no entry.
    let eva = person_id(&org, "Eva Bakker").await;
    let before = audit_entries(&store).await;
    let refused = org
        .add_role(
            &sys(),
            BodyKey::WorkingGroup(&g.id),
            &RoleInput {
                person: Some(eva.clone()),
                role: s("member"),
                start: s("2021-01-01"),
                end: s("2020-12-31"),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(keys(refused), [("end", "error-end-before-start")]);
    assert_eq!(audit_entries(&store).await, before);
    // A role given and ended: one entry each, on the group.
    let role = org
        .add_role(
            &sys(),
            BodyKey::WorkingGroup(&g.id),
            &RoleInput {
                person: Some(eva.clone()),
                role: s("member"),
                start: s("2021-01-01"),
                end: None,
            },
        )
        .await
        .unwrap();
    org.end_role(&sys(), &role.id, Some("2024-12-31"))
        .await
        .unwrap();
    let trail = register.audit_trail("working-group", &g.id).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.draft.action.as_str()).collect();
    assert_eq!(actions, ["working-group.create", "role.create", "role.end"]);
    assert_eq!(audit_entries(&store).await, before + 2);
    // An erasure writes one entry; erasing again changes nothing and writes none.
    let before = audit_entries(&store).await;
    org.erase_person(&sys(), &eva).await.unwrap();
    assert_eq!(audit_entries(&store).await, before + 1);
    org.erase_person(&sys(), &eva).await.unwrap();
    assert_eq!(audit_entries(&store).await, before + 1);
    let erasures = register
        .audit_trail("person", &eva)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.draft.action == "person.erase")
        .count();
    assert_eq!(erasures, 1);
    // The chain stays whole.
    for e in register.audit_trail("person", &eva).await.unwrap() {
        assert_eq!(e.hash, e.expected_hash());
    }
}

test_on_both_backends_with_demo! {
    demo_foundation => the_demo_foundation_has_three_groups_and_the_rule_holds,
    board_rule_breaks => ending_a_chairs_board_term_breaks_the_rule_and_names_the_group,
    board_of_a_past_date => the_board_of_a_past_date,
    bad_input => bad_input_is_refused_field_by_field_and_nothing_changes,
    group_members_edit_their_own_group => working_group_members_edit_only_their_own_group,
    export_holds_every_row => the_export_holds_every_row_that_refers_to_the_person,
    erasure_leaves_no_trace => erasure_leaves_no_trace_of_name_or_email,
    withdrawing_consent => withdrawing_consent_anonymises_at_once,
    retention => retention_anonymises_exactly_the_expired_people,
    own_rules => the_organisation_keeps_its_own_rules,
    one_audit_entry_per_change => each_change_has_exactly_one_audit_entry_and_a_refusal_none,
}
