//! Activities on a fresh database with the demo data, on SQLite and on PostgreSQL: the yearly
//! Christmas tree with per-year figures, the reception workflow, the numbers per year, the
//! dormancy flag, bad input and who may change what.

mod support;

use jiff::civil::date;
use stedenband_app::{AppError, AuditLog, Caller, Register, activities::Activities};
use stedenband_domain::activity::{ActivityInput, FiguresInput, ReceptionInput, ReceptionStatus};
use stedenband_domain::{Grant, PartnershipId, Principal, Role, Username};
use stedenband_store::{ActivityFilter, Db, Store};

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

async fn demo_acts(store: Store) -> (Register, Activities) {
    let r = Register::new(store);
    (r.clone(), Activities::new(r))
}

/// The id of Leidschendam-Voorburg's partnership with a partner town.
async fn partnership(r: &Register, partner: &str) -> String {
    r.municipality("leidschendam-voorburg")
        .await
        .unwrap()
        .partnerships
        .into_iter()
        .find(|p| p.partner.slug.as_str() == partner)
        .unwrap()
        .partnership
        .id
        .0
}

async fn count(store: &Store, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match store.db() {
        Db::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

fn visit(partnership: &str, organiser: &str) -> ActivityInput {
    ActivityInput {
        partnership: s(partnership),
        organiser: s(organiser),
        title: s("Bezoek van de brandweer"),
        start: s("2026-05-10"),
        end: s("2026-05-12"),
        direction: s("incoming"),
        category: s("fire-brigade"),
        participants_home: s("10"),
        participants_partner: s("14"),
        ..Default::default()
    }
}

async fn the_tree_comes_every_december_with_its_own_figures(store: Store) {
    let (r, acts) = demo_acts(store).await;
    let hranice = partnership(&r, "hranice").await;
    for year in [2010, 2017, 2025] {
        let december = acts
            .calendar(
                &Caller::public(),
                ActivityFilter {
                    partnerships: vec![hranice.clone()],
                    ..Default::default()
                },
                date(year, 12, 1),
                date(year, 12, 31),
            )
            .await
            .unwrap();
        let tree: Vec<_> = december
            .iter()
            .filter(|(a, _)| a.draft.title.as_str() == "Kerstboom uit Hranice bij de Oude Kerk")
            .map(|(_, o)| (o.start, o.end))
            .collect();
        assert_eq!(
            tree,
            [(date(year, 12, 1), date(year + 1, 1, 6))],
            "the tree in {year}"
        );
    }
    // The 2017 tree carries its own costs; other years none.
    let tree = acts
        .activities(&sys(), ActivityFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.draft.title.as_str() == "Kerstboom uit Hranice bij de Oude Kerk")
        .unwrap();
    let occ = acts.occurrences(&tree, date(2018, 12, 31)).await.unwrap();
    assert_eq!(occ.len(), 2018 - 2004 + 1, "one a year from 2004 to 2018");
    let with_costs: Vec<_> = occ
        .iter()
        .filter_map(|o| o.costs.map(|c| (o.occurrence.start.year(), c.to_string())))
        .collect();
    assert_eq!(with_costs, [(2017, "6500.00".to_owned())]);
    // Figures for another year; a day that is not an occurrence is not found.
    acts.set_figures(
        &sys(),
        &tree.id,
        "2016-12-01",
        &FiguresInput {
            participants_home: s("400"),
            costs: s("6.250,50"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let occ = acts.occurrences(&tree, date(2018, 12, 31)).await.unwrap();
    let y2016 = occ
        .iter()
        .find(|o| o.occurrence.start.year() == 2016)
        .unwrap();
    assert_eq!(y2016.participants_home, 400);
    assert_eq!(y2016.costs.unwrap().to_string(), "6250.50");
    assert!(matches!(
        acts.set_figures(&sys(), &tree.id, "2016-12-02", &FiguresInput::default())
            .await,
        Err(AppError::NotFound)
    ));
    let bad = acts
        .set_figures(
            &sys(),
            &tree.id,
            "2015-12-01",
            &FiguresInput {
                participants_partner: s("-2"),
                costs: s("twaalf"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        keys(bad),
        [
            ("participantsPartner", "error-count-negative"),
            ("costs", "error-amount-invalid")
        ]
    );
}

async fn a_reception_moves_through_its_steps_and_no_other_way(store: Store) {
    let (r, acts) = demo_acts(store.clone()).await;
    let temecula = partnership(&r, "temecula").await;
    let a = acts
        .create_activity(&sys(), &visit(&temecula, "werkgroep-temecula"))
        .await
        .unwrap();
    let official = account(
        Role::MunicipalOfficial,
        &r.find_municipality("leidschendam-voorburg")
            .await
            .unwrap()
            .unwrap()
            .id
            .0,
    );
    let member = account(
        Role::WorkingGroupMember,
        &r.store()
            .working_group("werkgroep-temecula")
            .await
            .unwrap()
            .unwrap()
            .id,
    );
    // The working group asks; only the municipality answers.
    let req = acts.request_reception(&member, &a.id).await.unwrap();
    assert_eq!(req.status, ReceptionStatus::Requested);
    assert_eq!(
        keys(acts.request_reception(&member, &a.id).await.unwrap_err()),
        [("status", "error-reception-exists")]
    );
    let step = |status: &str| ReceptionInput {
        status: s(status),
        ..Default::default()
    };
    assert!(matches!(
        acts.step_reception(&member, &a.id, &step("accepted")).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(
        keys(
            acts.step_reception(&official, &a.id, &step("held"))
                .await
                .unwrap_err()
        ),
        [("status", "error-reception-transition")]
    );
    acts.step_reception(&official, &a.id, &step("accepted"))
        .await
        .unwrap();
    // Scheduling needs the date.
    assert_eq!(
        keys(
            acts.step_reception(&official, &a.id, &step("scheduled"))
                .await
                .unwrap_err()
        ),
        [("scheduledOn", "error-required")]
    );
    let open = acts
        .open_receptions(&official, "leidschendam-voorburg")
        .await
        .unwrap();
    assert!(open.iter().any(|o| o.activity.id == a.id));
    let scheduled = acts
        .step_reception(
            &official,
            &a.id,
            &ReceptionInput {
                status: s("scheduled"),
                scheduled_on: s("2026-05-10"),
                scheduled_at: s("16:00"),
                received_by: s("Burgemeester"),
                note: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(scheduled.scheduled_on, Some(date(2026, 5, 10)));
    // Who receives is for those who work on it, not for the public.
    let mut public_visit = visit(&temecula, "werkgroep-temecula");
    public_visit.public = s("on");
    acts.update_activity(&sys(), &a.id, &public_visit)
        .await
        .unwrap();
    let seen = acts.activity(&Caller::public(), &a.id).await.unwrap();
    let r = seen.reception.unwrap();
    assert_eq!(
        (r.received_by, r.status),
        (None, ReceptionStatus::Scheduled)
    );
    let seen = acts.activity(&official, &a.id).await.unwrap();
    assert_eq!(
        seen.reception.unwrap().received_by.as_deref(),
        Some("Burgemeester")
    );
    acts.step_reception(&official, &a.id, &step("held"))
        .await
        .unwrap();
    let open = acts
        .open_receptions(&official, "leidschendam-voorburg")
        .await
        .unwrap();
    assert!(
        !open.iter().any(|o| o.activity.id == a.id),
        "held is closed"
    );
    assert_eq!(
        keys(
            acts.step_reception(&official, &a.id, &step("declined"))
                .await
                .unwrap_err()
        ),
        [("status", "error-reception-transition")]
    );
    // An outgoing visit is not received here.
    let mut out = visit(&temecula, "werkgroep-temecula");
    out.direction = s("outgoing");
    let out = acts.create_activity(&sys(), &out).await.unwrap();
    let before = count(&store, "receptions").await;
    assert_eq!(
        keys(acts.request_reception(&sys(), &out.id).await.unwrap_err()),
        [("direction", "error-reception-not-incoming")]
    );
    assert_eq!(count(&store, "receptions").await, before);
}

async fn numbers_per_year_count_held_occurrences(store: Store) {
    let (r, acts) = demo_acts(store).await;
    let hranice = partnership(&r, "hranice").await;
    let numbers = acts.numbers_per_year(&sys(), &hranice).await.unwrap();
    // Independently: count the held activities starting in 2010 from the plain list, plus one
    // occurrence of each yearly held activity that began on or before 2010.
    let all = acts
        .activities(
            &sys(),
            ActivityFilter {
                partnerships: vec![hranice.clone()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let held = |a: &&stedenband_domain::activity::Activity| {
        a.draft.status == stedenband_domain::activity::ActivityStatus::Held
    };
    let single: Vec<_> = all
        .iter()
        .filter(held)
        .filter(|a| a.draft.recurrence.is_none() && a.draft.schedule.start.year() == 2010)
        .collect();
    let yearly: Vec<_> = all
        .iter()
        .filter(held)
        .filter(|a| a.draft.recurrence.is_some() && a.draft.schedule.start.year() <= 2010)
        .collect();
    let y2010 = numbers.iter().find(|y| y.year == 2010).unwrap();
    assert_eq!(y2010.activities as usize, single.len() + yearly.len());
    let home: u32 = single
        .iter()
        .chain(yearly.iter())
        .map(|a| a.draft.participants_home)
        .sum();
    assert_eq!(y2010.participants_home, home);
    assert_eq!(
        y2010.by_category.values().sum::<u32>(),
        y2010.activities,
        "every activity has one category"
    );
    assert_eq!(
        y2010.by_category.get("city-promotion"),
        Some(&2),
        "tree and lighting"
    );
    // The 2017 tree's costs are in 2017.
    let y2017 = numbers.iter().find(|y| y.year == 2017).unwrap();
    assert_eq!(y2017.costs.to_string(), "6500.00");
    // Years run in order, from the first activity.
    assert_eq!(numbers.first().unwrap().year, 2004);
    assert!(numbers.windows(2).all(|w| w[0].year < w[1].year));
}

async fn a_partnership_without_held_activities_is_dormant(store: Store) {
    let (r, acts) = demo_acts(store).await;
    let months = 24;
    // Hranice has its tree every year: held this winter or last.
    let hranice = acts
        .dormancy(&PartnershipId(partnership(&r, "hranice").await), months)
        .await
        .unwrap();
    assert!(!hranice.dormant, "{hranice:?}");
    // The demo programme of Konstancin-Jeziorna ends in 2017.
    let konstancin_id = partnership(&r, "konstancin-jeziorna").await;
    let konstancin = acts
        .dormancy(&PartnershipId(konstancin_id.clone()), months)
        .await
        .unwrap();
    assert!(konstancin.dormant);
    assert_eq!(konstancin.last_held.map(|d| d.year()), Some(2017));
    // A held exchange last month wakes it up; a planned one does not.
    let today = stedenband_app::organisation::today();
    let last_month = today.checked_sub(jiff::ToSpan::months(1)).unwrap();
    let mut input = visit(&konstancin_id, "werkgroep-konstancin-jeziorna");
    input.start = Some(last_month.to_string());
    input.end = Some(last_month.to_string());
    input.status = s("planned");
    input.public = s("on");
    let a = acts.create_activity(&sys(), &input).await.unwrap();
    assert!(
        acts.dormancy(&PartnershipId(konstancin_id.clone()), months)
            .await
            .unwrap()
            .dormant
    );
    input.status = s("held");
    acts.update_activity(&sys(), &a.id, &input).await.unwrap();
    let awake = acts
        .dormancy(&PartnershipId(konstancin_id), months)
        .await
        .unwrap();
    assert!(!awake.dormant);
    assert_eq!(awake.last_held, Some(last_month));
    // An internal (non-public) held activity neither counts nor shows its date.
    let temecula_id = partnership(&r, "temecula").await;
    let mut internal = visit(&temecula_id, "werkgroep-temecula");
    internal.start = Some(last_month.to_string());
    internal.end = Some(last_month.to_string());
    internal.status = s("held");
    acts.create_activity(&sys(), &internal).await.unwrap();
    let temecula = acts
        .dormancy(&PartnershipId(temecula_id), months)
        .await
        .unwrap();
    assert!(temecula.dormant);
    assert_eq!(temecula.last_held.map(|d| d.year()), Some(2017));
}

async fn bad_input_and_rights(store: Store) {
    let (r, acts) = demo_acts(store.clone()).await;
    let hranice = partnership(&r, "hranice").await;
    let temecula = partnership(&r, "temecula").await;
    let before = count(&store, "activities").await;
    let mut bad = visit(&hranice, "werkgroep-hranice");
    bad.end = s("2026-05-01");
    bad.participants_home = s("-1");
    bad.category = s("knitting");
    assert_eq!(
        keys(acts.create_activity(&sys(), &bad).await.unwrap_err()),
        [
            ("end", "error-end-before-start"),
            ("category", "error-choice-invalid"),
            ("participantsHome", "error-count-negative"),
        ]
    );
    // A working group organises only the partnerships it carries.
    assert_eq!(
        keys(
            acts.create_activity(&sys(), &visit(&temecula, "werkgroep-hranice"))
                .await
                .unwrap_err()
        ),
        [("organiser", "error-organiser-not-carrying")]
    );
    assert_eq!(count(&store, "activities").await, before, "nothing stored");
    // A working-group member plans their group's activities, not another group's.
    let hr = r
        .store()
        .working_group("werkgroep-hranice")
        .await
        .unwrap()
        .unwrap();
    let member = account(Role::WorkingGroupMember, &hr.id);
    let mine = acts
        .create_activity(&member, &visit(&hranice, "werkgroep-hranice"))
        .await
        .unwrap();
    acts.update_activity(&member, &mine.id, &visit(&hranice, "werkgroep-hranice"))
        .await
        .unwrap();
    assert!(matches!(
        acts.create_activity(&member, &visit(&temecula, "werkgroep-temecula"))
            .await,
        Err(AppError::Forbidden)
    ));
    // Nor may they hand their activity to the municipality.
    assert!(matches!(
        acts.update_activity(&member, &mine.id, &visit(&hranice, "municipality"))
            .await,
        Err(AppError::Forbidden)
    ));
    // The public sees public activities only.
    let hidden = acts
        .create_activity(&sys(), &visit(&hranice, "werkgroep-hranice"))
        .await
        .unwrap();
    assert!(!hidden.draft.public);
    assert!(matches!(
        acts.activity(&Caller::public(), &hidden.id).await,
        Err(AppError::NotFound)
    ));
    let listed = acts
        .activities(&Caller::public(), ActivityFilter::default())
        .await
        .unwrap();
    assert!(listed.iter().all(|a| a.draft.public));
}

/// A series cancelled occurrence by occurrence: a cancelled one counts neither in the numbers
/// per year nor against dormancy, so a partnership whose only recent occurrences were
/// cancelled is dormant.
async fn cancelled_occurrences_do_not_count(store: Store) {
    let (r, acts) = demo_acts(store).await;
    let months = 24;
    // The demo programme of Konstancin-Jeziorna ends in 2017.
    let konstancin = partnership(&r, "konstancin-jeziorna").await;
    let pid = PartnershipId(konstancin.clone());
    let today = stedenband_app::organisation::today();
    let years_ago = |n: i32| today.checked_sub(jiff::ToSpan::years(n)).unwrap();
    // A yearly, open-ended series that began five years ago and was held.
    let mut input = visit(&konstancin, "werkgroep-konstancin-jeziorna");
    input.start = Some(years_ago(5).to_string());
    input.end = Some(years_ago(5).to_string());
    input.recurrence = s("yearly");
    input.status = s("held");
    input.public = s("on");
    let series = acts.create_activity(&sys(), &input).await.unwrap();
    let total = |numbers: &[stedenband_app::activities::YearNumbers]| -> u32 {
        numbers
            .iter()
            .filter(|y| y.year > 2017)
            .map(|y| y.activities)
            .sum()
    };
    let before = acts.numbers_per_year(&sys(), &konstancin).await.unwrap();
    assert_eq!(total(&before), 6, "five years ago up to today: {before:?}");
    let awake = acts.dormancy(&pid, months).await.unwrap();
    assert!(!awake.dormant);
    assert_eq!(awake.last_held, Some(today));

    // The last three occurrences were cancelled, one by one.
    for n in [2, 1, 0] {
        let f = acts
            .set_figures(
                &sys(),
                &series.id,
                &years_ago(n).to_string(),
                &FiguresInput {
                    cancelled: s("on"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(f.cancelled);
    }
    let occ = acts.occurrences(&series, today).await.unwrap();
    let cancelled: Vec<bool> = occ.iter().map(|o| o.cancelled).collect();
    assert_eq!(cancelled, [false, false, false, true, true, true]);
    let after = acts.numbers_per_year(&sys(), &konstancin).await.unwrap();
    assert_eq!(total(&after), 3, "{after:?}");
    assert!(
        after.iter().all(|y| y.year < years_ago(2).year()),
        "no held activity in the years of the cancelled ones: {after:?}"
    );
    let asleep = acts.dormancy(&pid, months).await.unwrap();
    assert_eq!(asleep.last_held, Some(years_ago(3)));
    assert!(asleep.dormant, "{asleep:?}");
    // The same in the figures for several partnerships at once.
    let all = acts
        .dormancies(std::slice::from_ref(&pid), months)
        .await
        .unwrap();
    assert!(all[&konstancin].dormant);

    // A series that was only planned has held nothing, cancelled or not.
    let mut planned = input.clone();
    planned.status = s("planned");
    acts.update_activity(&sys(), &series.id, &planned)
        .await
        .unwrap();
    let planned_numbers = acts.numbers_per_year(&sys(), &konstancin).await.unwrap();
    assert_eq!(total(&planned_numbers), 0);
    // A confirmed series did take place, except for what was cancelled.
    let mut confirmed = input.clone();
    confirmed.status = s("confirmed");
    acts.update_activity(&sys(), &series.id, &confirmed)
        .await
        .unwrap();
    let confirmed_numbers = acts.numbers_per_year(&sys(), &konstancin).await.unwrap();
    assert_eq!(total(&confirmed_numbers), 3);
}

/// An activity that is not public is read only by those with a right on its partnership or
/// organiser: the working group that organises it or carries the partnership, the
/// foundation's board, the officials of the municipality that holds the partnership.
async fn internal_activities_are_read_by_those_with_a_right_on_them(store: Store) {
    let (r, acts) = demo_acts(store).await;
    let hranice = partnership(&r, "hranice").await;
    let group = |slug: &'static str| {
        let r = r.clone();
        async move { r.store().working_group(slug).await.unwrap().unwrap() }
    };
    let hr = group("werkgroep-hranice").await;
    let tm = group("werkgroep-temecula").await;
    let lv = r
        .municipality("leidschendam-voorburg")
        .await
        .unwrap()
        .municipality
        .id
        .0;
    let by_group = acts
        .create_activity(&sys(), &visit(&hranice, "werkgroep-hranice"))
        .await
        .unwrap();
    let by_municipality = acts
        .create_activity(&sys(), &visit(&hranice, "municipality"))
        .await
        .unwrap();
    assert!(!by_group.draft.public && !by_municipality.draft.public);
    let readers = [
        account(Role::WorkingGroupMember, &hr.id),
        account(Role::FoundationBoard, &hr.foundation),
        account(Role::MunicipalOfficial, &lv),
    ];
    let others = [
        account(Role::WorkingGroupMember, &tm.id),
        account(Role::FoundationBoard, "another-foundation"),
        account(Role::MunicipalOfficial, "another-municipality"),
    ];
    let all = ActivityFilter {
        partnerships: vec![hranice.clone()],
        ..Default::default()
    };
    for caller in &readers {
        let listed = acts.activities(caller, all.clone()).await.unwrap();
        for a in [&by_group, &by_municipality] {
            acts.activity(caller, &a.id).await.unwrap();
            assert!(listed.iter().any(|l| l.id == a.id), "{caller:?}");
        }
    }
    for caller in &others {
        let listed = acts.activities(caller, all.clone()).await.unwrap();
        assert!(!listed.is_empty(), "the public ones");
        assert!(listed.iter().all(|a| a.draft.public), "{caller:?}");
        for a in [&by_group, &by_municipality] {
            assert!(
                matches!(acts.activity(caller, &a.id).await, Err(AppError::NotFound)),
                "{caller:?}"
            );
        }
        // Nor do they count in the numbers the caller sees.
        let numbers = acts.numbers_per_year(caller, &hranice).await.unwrap();
        let public = acts
            .numbers_per_year(&Caller::public(), &hranice)
            .await
            .unwrap();
        assert_eq!(numbers, public);
    }
}

/// A change and its audit entry are written in one transaction: each successful change adds
/// exactly one entry (its action, on the activity), a refused one (bad input, a second request,
/// a step another request made first, an activity that is not there) adds none, and the chain
/// stays whole.
async fn each_change_has_exactly_one_audit_entry_and_a_refused_one_none(store: Store) {
    let (r, acts) = demo_acts(store.clone()).await;
    let temecula = partnership(&r, "temecula").await;
    let entries = count(&store, "audit_log").await;
    // Bad input: nothing stored, nothing logged.
    let mut bad = visit(&temecula, "werkgroep-temecula");
    bad.category = s("knitting");
    acts.create_activity(&sys(), &bad).await.unwrap_err();
    assert_eq!(count(&store, "audit_log").await, entries, "no entry");
    let a = acts
        .create_activity(&sys(), &visit(&temecula, "werkgroep-temecula"))
        .await
        .unwrap();
    let actions = |trail: Vec<stedenband_domain::audit::AuditEntry>| -> Vec<(String, String)> {
        trail
            .into_iter()
            .map(|e| (e.draft.action, e.draft.object_id.unwrap_or_default()))
            .collect()
    };
    let trail = r.audit_trail("activity", &a.id).await.unwrap();
    assert_eq!(
        trail[0].draft.after.as_deref(),
        serde_json::to_string(&a).ok().as_deref(),
        "the entry holds the activity as stored"
    );
    assert_eq!(
        actions(trail),
        [("activity.create".to_owned(), a.id.clone())]
    );
    assert_eq!(count(&store, "audit_log").await, entries + 1);
    // Bad figures change nothing; good ones add one entry.
    let figures = |home: &str| FiguresInput {
        participants_home: s(home),
        ..Default::default()
    };
    acts.set_figures(&sys(), &a.id, "2026-05-10", &figures("-1"))
        .await
        .unwrap_err();
    acts.set_figures(&sys(), &a.id, "2026-05-10", &figures("12"))
        .await
        .unwrap();
    // A second reception request is refused; an impossible step too.
    acts.request_reception(&sys(), &a.id).await.unwrap();
    acts.request_reception(&sys(), &a.id).await.unwrap_err();
    let step = |status: &str| ReceptionInput {
        status: s(status),
        ..Default::default()
    };
    acts.step_reception(&sys(), &a.id, &step("held"))
        .await
        .unwrap_err();
    acts.step_reception(&sys(), &a.id, &step("accepted"))
        .await
        .unwrap();
    // A step stored from a status the reception has left (another request moved it on
    // meanwhile) changes nothing and logs nothing.
    let accepted = r.store().reception(&a.id).await.unwrap().unwrap();
    let mut declined = accepted.clone();
    declined.status = ReceptionStatus::Declined;
    let draft = stedenband_domain::audit::AuditDraft {
        actor: Some("test".into()),
        address: None,
        action: "reception.step".into(),
        object_kind: Some("activity".into()),
        object_id: Some(a.id.clone()),
        before: None,
        after: None,
        outcome: stedenband_domain::audit::Outcome::Success,
    };
    assert!(
        !r.store()
            .step_reception(ReceptionStatus::Requested, &declined, &draft)
            .await
            .unwrap()
    );
    assert_eq!(
        actions(r.audit_trail("activity", &a.id).await.unwrap()),
        [
            ("activity.create".to_owned(), a.id.clone()),
            ("activity.figures".to_owned(), a.id.clone()),
            ("reception.request".to_owned(), a.id.clone()),
            ("reception.step".to_owned(), a.id.clone()),
        ]
    );
    assert_eq!(count(&store, "audit_log").await, entries + 4);
    // Updating an activity that is not there is not found and logs nothing.
    let audit = |_: &stedenband_domain::activity::Activity| draft.clone();
    assert!(matches!(
        r.store()
            .update_activity("no-such-activity", &a.draft, &audit)
            .await,
        Err(stedenband_store::StoreError::NotFound)
    ));
    assert_eq!(count(&store, "audit_log").await, entries + 4);
    assert!(
        AuditLog::new(store).verify(None).await.unwrap().is_ok(),
        "the chain is whole"
    );
}

test_on_both_backends_with_demo! {
    tree_every_december => the_tree_comes_every_december_with_its_own_figures,
    reception_workflow => a_reception_moves_through_its_steps_and_no_other_way,
    numbers_per_year => numbers_per_year_count_held_occurrences,
    dormancy => a_partnership_without_held_activities_is_dormant,
    bad_input_and_rights => bad_input_and_rights,
    cancelled_occurrences => cancelled_occurrences_do_not_count,
    internal_activities => internal_activities_are_read_by_those_with_a_right_on_them,
    one_audit_entry_per_change => each_change_has_exactly_one_audit_entry_and_a_refused_one_none,
}
