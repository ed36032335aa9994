//! Money on SQLite and PostgreSQL with the demo data: the seed's municipal money 2012-2017
//! (checked against figures computed here, not by the code under test), the Awb life cycle
//! through the service with bad steps refused and nothing stored, ledgers with their balance,
//! bad input, and who may do what.

mod support;

use jiff::civil::date;
use stedenband_app::money::Money;
use stedenband_app::{AppError, Caller, Register};
use stedenband_domain::funding::{StepInput, SubsidyInput, TransactionInput};
use stedenband_domain::money::{Euros, Stage, SubsidyKind};
use stedenband_domain::{Grant, Principal, Role, Username};
use stedenband_store::{Db, Store};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

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

async fn scalar(store: &Store, sql: &str) -> i64 {
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

async fn setup(store: Store) -> (Register, Money) {
    let r = Register::new(store);
    (r.clone(), Money::new(r))
}

/// Whole euros, half up, of `base * num / den` (the seed's rule), computed here.
fn half_up(base: i64, num: i64, den: i64) -> i64 {
    (2 * base * num + den) / (2 * den)
}

async fn the_demo_shows_the_seeds_municipal_money(store: Store) {
    let (r, money) = setup(store).await;
    let o = money
        .municipal_overview("leidschendam-voorburg", 2012, 2017)
        .await
        .unwrap();
    let base = 24_490;
    let expected_subsidy = [
        (2012, base),
        (2013, half_up(base, 2, 3)),
        (2014, half_up(base, 1, 3)),
        (2015, 0),
        (2016, 0),
        (2017, 0),
    ];
    assert_eq!(expected_subsidy[1].1, 16_327);
    assert_eq!(expected_subsidy[2].1, 8_163);
    for ((year, subsidy), y) in expected_subsidy.iter().zip(&o.years) {
        assert_eq!(y.year, *year);
        let budget = y
            .by_kind
            .get(&SubsidyKind::YearlyBudget)
            .copied()
            .unwrap_or(Euros::ZERO);
        assert_eq!(budget, Euros::from_whole(*subsidy), "yearly subsidy {year}");
        let one_off = y
            .by_kind
            .get(&SubsidyKind::OneOffGrant)
            .copied()
            .unwrap_or(Euros::ZERO);
        let jubilee = if *year == 2015 { 10_000 } else { 0 };
        assert_eq!(one_off, Euros::from_whole(jubilee), "one-off {year}");
        assert_eq!(y.cash, Euros::from_whole(subsidy + jubilee), "cash {year}");
        // The tree is valued and reported apart from cash.
        assert_eq!(y.in_kind, Euros::from_whole(6_500), "tree {year}");
        // Per partnership the parts add up to the cash exactly.
        let parts: Euros = y.by_partnership.values().copied().sum();
        assert_eq!(parts, y.cash, "parts {year}");
    }
    // 2012: one third each, the remaining euro to the first partnership (Hranice).
    let lv = r.municipality("leidschendam-voorburg").await.unwrap();
    let id = |partner: &str| {
        lv.partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == partner)
            .unwrap()
            .partnership
            .id
            .0
            .clone()
    };
    let y2012 = &o.years[0].by_partnership;
    assert_eq!(y2012[&id("hranice")], Euros::from_whole(8_164));
    assert_eq!(y2012[&id("konstancin-jeziorna")], Euros::from_whole(8_163));
    assert_eq!(y2012[&id("temecula")], Euros::from_whole(8_163));
    let y2015 = &o.years[3].by_partnership;
    assert_eq!(y2015[&id("hranice")], Euros::from_whole(5_000));
    assert_eq!(y2015[&id("konstancin-jeziorna")], Euros::from_whole(5_000));
    assert!(!y2015.contains_key(&id("temecula")));
    // Phased out over three years: not an abrupt stop.
    assert!(o.abrupt_stops.is_empty(), "{:?}", o.abrupt_stops);
    // Leverage: private income per municipal euro, from the ledgers (checked by SQL here).
    let private = scalar(
        money_store(&r),
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM transactions WHERE direction = 'income' \
         AND source IN ('entrepreneurs-fund', 'sponsor', 'own-fundraising', \
         'participants-contributions') AND on_date BETWEEN '2012-01-01' AND '2017-12-31'",
    )
    .await;
    assert_eq!(o.total_private, Euros::from_cents(private));
    assert_eq!(
        o.total_cash,
        Euros::from_whole(24_490 + 16_327 + 8_163 + 10_000)
    );
    assert!(o.leverage.is_some());
    // The register: public, organisations only, no files.
    let register = money
        .subsidy_register("leidschendam-voorburg", Some((2012, 2017)))
        .await
        .unwrap();
    assert!(
        register
            .iter()
            .all(|l| l.recipient.starts_with("Stichting Stedenbanden"))
    );
    let subsidy_2013 = register
        .iter()
        .find(|l| l.year == 2013 && l.kind == SubsidyKind::YearlyBudget)
        .unwrap();
    assert_eq!(subsidy_2013.granted, Some(Euros::from_whole(16_327)));
    assert_eq!(subsidy_2013.settled, Some(Euros::from_whole(16_327)));
    assert_eq!(subsidy_2013.stage, Stage::Closed);
    let public = money
        .subsidy(&Caller::public(), &subsidy_2013.id)
        .await
        .unwrap();
    assert!(public.record.steps.is_empty(), "the file is not public");
    assert!(public.balance.is_none() && public.advances_paid == Euros::ZERO);
    let official = money.subsidy(&sys(), &subsidy_2013.id).await.unwrap();
    assert_eq!(official.record.steps.len(), 7);
}

fn money_store(r: &Register) -> &Store {
    r.store()
}

async fn new_subsidy(money: &Money) -> String {
    money
        .create_subsidy(
            &sys(),
            &SubsidyInput {
                municipality: s("leidschendam-voorburg"),
                foundation: s("stichting-stedenbanden-leidschendam-voorburg"),
                kind: s("incidental-activity"),
                purpose: s("Koorfestival"),
                year: s("2016"),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .record
        .id
}

fn step(kind: &str, date: &str, amount: Option<&str>) -> StepInput {
    StepInput {
        step: s(kind),
        date: s(date),
        document: s(&format!("doc {kind}")),
        amount: amount.map(str::to_owned),
        ..Default::default()
    }
}

async fn no_step_is_skipped_and_a_refused_one_stores_nothing(store: Store) {
    let (_r, money) = setup(store.clone()).await;
    let id = new_subsidy(&money).await;
    let steps = "SELECT COUNT(*) FROM subsidy_steps";
    let before = scalar(&store, steps).await;
    // Nothing but an application first.
    let e = money
        .add_step(&sys(), &id, &step("settlement", "2016-01-01", Some("500")))
        .await
        .unwrap_err();
    assert_eq!(keys(e), [("step", "error-subsidy-step-skipped")]);
    money
        .add_step(
            &sys(),
            &id,
            &step("application", "2016-01-10", Some("1.500")),
        )
        .await
        .unwrap();
    // A negative grant, a non-numeric one, three decimals, a date before the application.
    for (amount, date, expected) in [
        ("-100", "2016-02-01", ("amount", "error-amount-negative")),
        ("duizend", "2016-02-01", ("amount", "error-amount-invalid")),
        ("1000,123", "2016-02-01", ("amount", "error-amount-cents")),
        (
            "1000",
            "2016-01-01",
            ("date", "error-subsidy-date-before-previous"),
        ),
    ] {
        let e = money
            .add_step(&sys(), &id, &step("grant-decision", date, Some(amount)))
            .await
            .unwrap_err();
        assert_eq!(keys(e), [expected], "{amount} {date}");
    }
    money
        .add_step(
            &sys(),
            &id,
            &step("grant-decision", "2016-02-01", Some("1000")),
        )
        .await
        .unwrap();
    money
        .add_step(
            &sys(),
            &id,
            &step("advance-payment", "2016-02-15", Some("800")),
        )
        .await
        .unwrap();
    // Backwards.
    let e = money
        .add_step(&sys(), &id, &step("application", "2016-03-01", Some("5")))
        .await
        .unwrap_err();
    assert_eq!(keys(e), [("step", "error-subsidy-step-backwards")]);
    let mut due = step("report-due", "2017-01-02", None);
    due.due_on = s("2017-04-01");
    money.add_step(&sys(), &id, &due).await.unwrap();
    money
        .add_step(&sys(), &id, &step("report-received", "2017-03-01", None))
        .await
        .unwrap();
    // Settled above the grant without a decision saying so.
    let e = money
        .add_step(&sys(), &id, &step("settlement", "2017-04-15", Some("1200")))
        .await
        .unwrap_err();
    assert_eq!(
        keys(e),
        [("amount", "error-subsidy-settlement-above-grant")]
    );
    money
        .add_step(&sys(), &id, &step("settlement", "2017-04-15", Some("600")))
        .await
        .unwrap();
    let v = money.subsidy(&sys(), &id).await.unwrap();
    assert_eq!(v.stage, Stage::Settled);
    assert_eq!(v.settled, Some(Euros::from_whole(600)));
    // 800 paid in advance, 600 settled: 200 to reclaim.
    assert_eq!(
        format!("{:?}", v.balance),
        format!(
            "{:?}",
            Some(stedenband_domain::money::FinalBalance::Reclaim(
                Euros::from_whole(200)
            ))
        )
    );
    assert_eq!(
        scalar(&store, steps).await,
        before + 6,
        "only the good steps"
    );
    // Officials of another municipality, and boards, take no steps.
    let other = account(Role::MunicipalOfficial, "den-haag");
    assert!(matches!(
        money
            .add_step(&other, &id, &step("closing", "2017-06-01", None))
            .await,
        Err(AppError::Forbidden)
    ));
}

async fn ledgers_take_their_own_groups_lines_only(store: Store) {
    let (r, money) = setup(store.clone()).await;
    let lines = "SELECT COUNT(*) FROM transactions";
    let before = scalar(&store, lines).await;
    let tx = |group: &str, amount: &str| TransactionInput {
        working_group: s(group),
        date: s("2016-06-01"),
        direction: s("expense"),
        category: s("travel"),
        amount: s(amount),
        ..Default::default()
    };
    // An expense in another working group's ledger: the Temecula group's activity.
    let temecula_activity = stedenband_app::activities::Activities::new(r.clone())
        .activities(&sys(), stedenband_store::ActivityFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| {
            matches!(&a.draft.organiser,
                stedenband_domain::activity::Organiser::WorkingGroup(g)
                    if g.contains("") && a.draft.place.as_deref() == Some("Temecula"))
        })
        .unwrap();
    let mut other = tx("werkgroep-hranice", "100");
    other.activity = Some(temecula_activity.id.clone());
    let e = money.add_transaction(&sys(), &other).await.unwrap_err();
    assert_eq!(
        keys(e),
        [("activity", "error-transaction-activity-other-group")]
    );
    for (amount, expected) in [
        ("-5", ("amount", "error-amount-negative")),
        ("veel", ("amount", "error-amount-invalid")),
        ("12,345", ("amount", "error-amount-invalid")),
        ("12,3456", ("amount", "error-amount-cents")),
        ("0", ("amount", "error-amount-zero")),
    ] {
        let got = money
            .add_transaction(&sys(), &tx("werkgroep-hranice", amount))
            .await;
        match (amount, got) {
            // "12,345" reads as twelve thousand three hundred and forty-five (Dutch thousands).
            ("12,345", Ok(t)) => assert_eq!(t.draft.amount, Euros::from_whole(12_345)),
            (_, Err(e)) => assert_eq!(keys(e), [expected], "{amount}"),
            (_, Ok(t)) => panic!("{amount} accepted: {t:?}"),
        }
    }
    assert_eq!(scalar(&store, lines).await, before + 1);
    // A description may name people: the audit log (kept for years, never changed) does not
    // get it.
    let mut named = tx("werkgroep-hranice", "80");
    named.description = s("Hotel voor Jan de Vries");
    money.add_transaction(&sys(), &named).await.unwrap();
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%Jan de Vries%'"
        )
        .await,
        0
    );
    // An EU grant is not municipal money.
    let e = money
        .create_subsidy(
            &sys(),
            &SubsidyInput {
                municipality: s("leidschendam-voorburg"),
                foundation: s("stichting-stedenbanden-leidschendam-voorburg"),
                kind: s("eu-grant"),
                purpose: s("Burgerontmoeting"),
                year: s("2027"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(keys(e), [("grantor", "error-subsidy-eu-grantor")]);
    // Board only: a working-group member reads the ledger but does not write it.
    let hr = r
        .store()
        .working_group("werkgroep-hranice")
        .await
        .unwrap()
        .unwrap();
    let member = account(Role::WorkingGroupMember, &hr.id);
    assert!(matches!(
        money
            .add_transaction(&member, &tx("werkgroep-hranice", "10"))
            .await,
        Err(AppError::Forbidden)
    ));
    let ledger = money
        .ledger(&member, "werkgroep-hranice", None, Some(date(2016, 12, 31)))
        .await
        .unwrap();
    // The balance at the end of 2016, computed by SQL here.
    let income = scalar(
        &store,
        &format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM transactions WHERE working_group_id = '{}' \
             AND direction = 'income' AND on_date <= '2016-12-31'",
            hr.id
        ),
    )
    .await;
    let expenses = scalar(
        &store,
        &format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM transactions WHERE working_group_id = '{}' \
             AND direction = 'expense' AND on_date <= '2016-12-31'",
            hr.id
        ),
    )
    .await;
    assert_eq!(ledger.balance, Euros::from_cents(income - expenses));
    assert_eq!(
        ledger.lines.last().unwrap().balance,
        ledger.balance,
        "the running balance ends at the balance"
    );
    // Another group's member does not read it; the public neither.
    let tm = r
        .store()
        .working_group("werkgroep-temecula")
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        money
            .ledger(
                &account(Role::WorkingGroupMember, &tm.id),
                "werkgroep-hranice",
                None,
                None
            )
            .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        money
            .ledger(&Caller::public(), "werkgroep-hranice", None, None)
            .await,
        Err(AppError::Unauthenticated)
    ));
}

/// A change and its audit entry are one transaction: each change made through a use case has
/// exactly one entry (its action, its object), and a refused change (bad input, or a step
/// another writer took first) leaves none.
async fn a_change_has_one_audit_entry_and_a_refused_one_none(store: Store) {
    let (r, money) = setup(store.clone()).await;
    let entries = "SELECT COUNT(*) FROM audit_log";
    let one = |trail: Vec<stedenband_domain::audit::AuditEntry>, action: &str, id: &str| {
        assert_eq!(trail.len(), 1, "{action}: {trail:?}");
        let d = &trail[0].draft;
        assert_eq!(d.action, action);
        assert_eq!(d.object_id.as_deref(), Some(id));
        assert_eq!(d.outcome, stedenband_domain::audit::Outcome::Success);
    };
    let before = scalar(&store, entries).await;
    let id = new_subsidy(&money).await;
    one(
        r.audit_trail("subsidy", &id).await.unwrap(),
        "subsidy.create",
        &id,
    );
    assert_eq!(scalar(&store, entries).await, before + 1);
    // A step skipped, then a bad amount: refused, no entry.
    let before = scalar(&store, entries).await;
    assert!(
        money
            .add_step(&sys(), &id, &step("settlement", "2016-01-01", Some("500")))
            .await
            .is_err()
    );
    assert!(
        money
            .add_step(
                &sys(),
                &id,
                &step("application", "2016-01-10", Some("veel"))
            )
            .await
            .is_err()
    );
    assert_eq!(scalar(&store, entries).await, before, "refused: no entry");
    money
        .add_step(
            &sys(),
            &id,
            &step("application", "2016-01-10", Some("1500")),
        )
        .await
        .unwrap();
    let trail = r.audit_trail("subsidy", &id).await.unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[1].draft.action, "subsidy.step");
    assert_eq!(scalar(&store, entries).await, before + 1);
    // Step 1 again in the store, as a writer that read the subsidy before the step above was
    // taken would: a conflict, and its audit entry is rolled back with it.
    let late = stedenband_domain::audit::AuditDraft {
        actor: Some("system".into()),
        address: None,
        action: "subsidy.step".into(),
        object_kind: Some("subsidy".into()),
        object_id: Some(id.clone()),
        before: None,
        after: None,
        outcome: stedenband_domain::audit::Outcome::Success,
    };
    let application = stedenband_domain::money::SubsidyStep::Application {
        date: date(2016, 1, 11),
        document: stedenband_domain::money::DocumentRef::parse("doc late").unwrap(),
        requested: Euros::from_whole(10),
    };
    assert!(matches!(
        r.store().append_step(&id, 1, &application, &late).await,
        Err(stedenband_store::StoreError::Conflict { .. })
    ));
    assert_eq!(scalar(&store, entries).await, before + 1, "no entry");
    assert_eq!(r.audit_trail("subsidy", &id).await.unwrap().len(), 2);
    // A ledger line: one entry; a bad one: none.
    let line = |amount: &str| TransactionInput {
        working_group: s("werkgroep-hranice"),
        date: s("2016-06-01"),
        direction: s("expense"),
        category: s("travel"),
        amount: s(amount),
        ..Default::default()
    };
    let before = scalar(&store, entries).await;
    assert!(money.add_transaction(&sys(), &line("-5")).await.is_err());
    assert_eq!(scalar(&store, entries).await, before, "refused: no entry");
    let t = money.add_transaction(&sys(), &line("25")).await.unwrap();
    one(
        r.audit_trail("transaction", &t.id).await.unwrap(),
        "transaction.create",
        &t.id,
    );
    assert_eq!(scalar(&store, entries).await, before + 1);
    // The chain is whole.
    let audit = stedenband_app::AuditLog::new(store.clone());
    assert!(audit.verify(None).await.unwrap().is_ok());
}

test_on_both_backends_with_demo! {
    seed_money => the_demo_shows_the_seeds_municipal_money,
    life_cycle => no_step_is_skipped_and_a_refused_one_stores_nothing,
    ledgers => ledgers_take_their_own_groups_lines_only,
    audited => a_change_has_one_audit_entry_and_a_refused_one_none,
}
