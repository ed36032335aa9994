//! Participants listed by name per town, on SQLite and PostgreSQL: the demo's citizens' meeting
//! grouped by town, who sees names, the CSV list, bad input that changes nothing, who may list
//! somebody, and the retention of guests' names.

mod support;

use jiff::civil::date;
use stedenband_app::{AppError, Caller, Register, activities::Activities};
use stedenband_domain::participant::ParticipantInput;
use stedenband_domain::{Grant, Principal, Role, Username};
use stedenband_store::{ActivityFilter, Db, Store};

const MEETING: &str = "Burgerontmoeting \u{2018}Europa dichtbij\u{2019}";

fn sys() -> Caller {
    Caller::system()
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
        None,
    )
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

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

async fn setup(store: Store) -> (Register, Activities, String) {
    let r = Register::new(store);
    let acts = Activities::new(r.clone());
    let meeting = acts
        .activities(&sys(), ActivityFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.draft.title.as_str() == MEETING)
        .expect("the demo's citizens' meeting")
        .id;
    (r, acts, meeting)
}

fn guest(name: &str, town: &str) -> ParticipantInput {
    ParticipantInput {
        person: String::new(),
        guest_name: name.into(),
        town: town.into(),
    }
}

async fn the_list_is_grouped_by_town_and_names_are_for_the_organisers(store: Store) {
    let (_r, acts, meeting) = setup(store).await;
    let view = acts.participants(&sys(), &meeting).await.unwrap();
    assert!(view.names_visible);
    assert_eq!(view.total, 10);
    let towns: Vec<(String, &str, usize)> = view
        .towns
        .iter()
        .map(|t| (t.town.slug.to_string(), t.side.as_str(), t.count))
        .collect();
    // Home first, then the partnership's partner town, then the other invited town.
    assert_eq!(
        towns,
        [
            ("leidschendam-voorburg".to_owned(), "home", 3),
            ("hranice".to_owned(), "partner", 4),
            ("konstancin-jeziorna".to_owned(), "partner", 3),
        ]
    );
    let hranice: Vec<(Option<String>, &str)> = view.towns[1]
        .participants
        .iter()
        .map(|p| (p.name.clone(), p.kind))
        .collect();
    assert_eq!(
        hranice,
        [
            (Some("Jana Nováková".to_owned()), "guest"),
            (Some("Karel Dvořák".to_owned()), "person"),
            (Some("Lucie Horáková".to_owned()), "guest"),
            (Some("Petr Svoboda".to_owned()), "guest"),
        ],
        "by name, diacritics folded"
    );

    // The public sees how many came from where, not who.
    let public = acts
        .participants(&Caller::public(), &meeting)
        .await
        .unwrap();
    assert!(!public.names_visible);
    assert_eq!(public.total, 10);
    assert!(public.towns.iter().all(|t| t.participants.is_empty()));
    // Nor may the public download the list.
    assert!(matches!(
        acts.participants_csv(&Caller::public(), &meeting).await,
        Err(AppError::Unauthenticated)
    ));
    // An official of another municipality sees no names.
    let other_official = account(Role::MunicipalOfficial, "some-other-municipality");
    let seen = acts.participants(&other_official, &meeting).await.unwrap();
    assert!(!seen.names_visible);
    assert!(matches!(
        acts.participants_csv(&other_official, &meeting).await,
        Err(AppError::Forbidden)
    ));
}

async fn the_csv_holds_every_listed_name_with_its_town(store: Store) {
    let (_r, acts, meeting) = setup(store).await;
    let csv = acts.participants_csv(&sys(), &meeting).await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("town,country,side,name,kind"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 10);
    let per = |town: &str| rows.iter().filter(|r| r[0] == town).count();
    assert_eq!(per("Leidschendam-Voorburg"), 3);
    assert_eq!(per("Hranice"), 4);
    assert_eq!(per("Konstancin-Jeziorna"), 3);
    assert!(rows.contains(&vec![
        "Konstancin-Jeziorna".to_owned(),
        "PL".to_owned(),
        "partner".to_owned(),
        "Agnieszka Wiśniewska".to_owned(),
        "guest".to_owned(),
    ]));
    assert!(rows.contains(&vec![
        "Leidschendam-Voorburg".to_owned(),
        "NL".to_owned(),
        "home".to_owned(),
        "Eva Bakker".to_owned(),
        "person".to_owned(),
    ]));
}

async fn bad_input_changes_nothing(store: Store) {
    let (r, acts, meeting) = setup(store.clone()).await;
    let all = "SELECT COUNT(*) FROM activity_participants";
    let before = count(&store, all).await;
    let cases: Vec<(ParticipantInput, Vec<(&str, &str)>)> = vec![
        (
            guest("", "hranice"),
            vec![("guestName", "error-participant-who")],
        ),
        (
            ParticipantInput {
                person: "someone".into(),
                guest_name: "Jana".into(),
                town: "hranice".into(),
            },
            vec![("guestName", "error-participant-both")],
        ),
        (guest("Jana", ""), vec![("town", "error-required")]),
        (
            guest("Jana", "atlantis"),
            vec![("town", "error-town-unknown")],
        ),
        (
            ParticipantInput {
                person: "no-such-person".into(),
                guest_name: String::new(),
                town: "hranice".into(),
            },
            vec![("person", "error-person-unknown")],
        ),
        // Listed already: the same guest from the same town.
        (
            guest("Jana Nováková", "hranice"),
            vec![("guestName", "error-participant-listed")],
        ),
        (
            guest(&"x".repeat(201), "hranice"),
            vec![("guestName", "error-too-long")],
        ),
    ];
    for (input, expected) in cases {
        let e = acts
            .add_participant(&sys(), &meeting, &input)
            .await
            .unwrap_err();
        assert_eq!(keys(e), expected, "{input:?}");
    }
    // The same person twice.
    let eva = r
        .store()
        .people(None)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name.as_ref().is_some_and(|n| n.as_str() == "Eva Bakker"))
        .unwrap();
    let twice = ParticipantInput {
        person: eva.id.clone(),
        guest_name: String::new(),
        town: "leidschendam-voorburg".into(),
    };
    assert_eq!(
        keys(
            acts.add_participant(&sys(), &meeting, &twice)
                .await
                .unwrap_err()
        ),
        [("person", "error-participant-listed")]
    );
    // An anonymised person cannot be listed.
    let sanne = r
        .store()
        .people(None)
        .await
        .unwrap()
        .into_iter()
        .find(|p| {
            p.name
                .as_ref()
                .is_some_and(|n| n.as_str() == "Sanne de Wit")
        })
        .unwrap();
    r.store()
        .anonymise_person(
            &sanne.id,
            date(2026, 1, 1),
            false,
            &stedenband_domain::audit::AuditDraft {
                actor: None,
                address: None,
                action: "person.erase".into(),
                object_kind: Some("person".into()),
                object_id: Some(sanne.id.clone()),
                before: None,
                after: None,
                outcome: stedenband_domain::audit::Outcome::Success,
            },
        )
        .await
        .unwrap();
    let other = acts
        .activities(&sys(), ActivityFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.draft.title.as_str() == "Ontsteken van de kerstboom")
        .unwrap();
    assert_eq!(
        keys(
            acts.add_participant(
                &sys(),
                &other.id,
                &ParticipantInput {
                    person: sanne.id.clone(),
                    guest_name: String::new(),
                    town: "leidschendam-voorburg".into(),
                },
            )
            .await
            .unwrap_err()
        ),
        [("person", "error-person-anonymised")]
    );
    // Removing somebody from another activity's list finds nothing.
    let listed = acts.participants(&sys(), &meeting).await.unwrap();
    let someone = listed.towns[0].participants[0].id.clone();
    assert!(matches!(
        acts.remove_participant(&sys(), &other.id, &someone).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(
        count(&store, all).await,
        before,
        "nothing stored or removed"
    );
}

async fn only_the_organising_group_lists_and_removes(store: Store) {
    let (r, acts, meeting) = setup(store.clone()).await;
    let group = |slug: &'static str| {
        let r = r.clone();
        async move { r.store().working_group(slug).await.unwrap().unwrap().id }
    };
    let hr = account(Role::WorkingGroupMember, &group("werkgroep-hranice").await);
    let tm = account(Role::WorkingGroupMember, &group("werkgroep-temecula").await);
    assert!(matches!(
        acts.add_participant(&tm, &meeting, &guest("Pavel Novák", "hranice"))
            .await,
        Err(AppError::Forbidden)
    ));
    let p = acts
        .add_participant(&hr, &meeting, &guest("Pavel Novák", "hranice"))
        .await
        .unwrap();
    assert!(matches!(
        acts.remove_participant(&tm, &meeting, &p.id).await,
        Err(AppError::Forbidden)
    ));
    // Names are for the organising group, the board and the municipality's officials: not
    // for another group's member.
    assert!(
        !acts
            .participants(&tm, &meeting)
            .await
            .unwrap()
            .names_visible
    );
    assert!(
        acts.participants(&hr, &meeting)
            .await
            .unwrap()
            .names_visible
    );
    acts.remove_participant(&hr, &meeting, &p.id).await.unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM activity_participants WHERE guest_name = 'Pavel Novák'"
        )
        .await,
        0
    );
    // The audit log names the town, never the guest.
    let audit = count(
        &store,
        "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%Novák%' OR before_json LIKE '%Novák%'",
    )
    .await;
    assert_eq!(audit, 0, "no guest name in the audit log");
}

async fn guests_names_go_five_years_after_the_activity(store: Store) {
    let (_r, acts, meeting) = setup(store.clone()).await;
    // The meeting ends 2027-05-16; names are kept through 2032-05-16.
    assert!(
        acts.guest_retention_due(date(2032, 5, 16))
            .await
            .unwrap()
            .is_empty()
    );
    let due = acts.guest_retention_due(date(2032, 5, 17)).await.unwrap();
    assert_eq!(due.len(), 5, "the five invented guests");
    // Administrators only.
    let official = account(Role::MunicipalOfficial, "x");
    assert!(matches!(
        acts.run_guest_retention(&official, date(2032, 5, 17)).await,
        Err(AppError::Forbidden)
    ));
    acts.run_guest_retention(&sys(), date(2032, 5, 17))
        .await
        .unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM activity_participants WHERE guest_name IS NOT NULL"
        )
        .await,
        0
    );
    // The counts per town stay; the guests show as anonymised; people keep their names.
    let view = acts.participants(&sys(), &meeting).await.unwrap();
    assert_eq!(view.total, 10);
    let hranice = &view.towns[1];
    assert_eq!(hranice.count, 4);
    assert_eq!(
        hranice
            .participants
            .iter()
            .filter(|p| p.anonymised && p.name.is_none())
            .count(),
        3
    );
    assert!(
        hranice
            .participants
            .iter()
            .any(|p| p.name.as_deref() == Some("Karel Dvořák"))
    );
    // A second run finds nothing left to do.
    assert!(
        acts.guest_retention_due(date(2032, 5, 17))
            .await
            .unwrap()
            .is_empty()
    );
}

test_on_both_backends_with_demo! {
    grouped_by_town => the_list_is_grouped_by_town_and_names_are_for_the_organisers,
    csv => the_csv_holds_every_listed_name_with_its_town,
    bad_input => bad_input_changes_nothing,
    rights => only_the_organising_group_lists_and_removes,
    guest_retention => guests_names_go_five_years_after_the_activity,
}
