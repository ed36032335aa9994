//! Reports on SQLite and PostgreSQL with the demo data: the 2004-2008 report (the years the
//! 2009 evaluation looked back on) checked against sums computed here from the plain lists of
//! activities, subsidies and ledger lines; one partnership; agreement with the municipal
//! overview; what the public sees; bad parameters; comparisons.

mod support;

use jiff::civil::{Date, date};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use stedenband_app::activities::Activities;
use stedenband_app::money::Money;
use stedenband_app::{AppError, Caller, Register, ReportParams, Reports};
use stedenband_domain::activity::{Activity, ActivityInput, ActivityStatus, Category, Direction};
use stedenband_domain::funding::Grantor;
use stedenband_domain::money::{Euros, Flow, IncomeSource, SubsidyKind};
use stedenband_domain::report::{Aspect, Figure, HEADLINE, indicators};
use stedenband_domain::{Grant, Principal, Role, Username};
use stedenband_store::{ActivityFilter, Db, Store};

const LV: &str = "leidschendam-voorburg";
const GROUPS: [&str; 3] = [
    "werkgroep-hranice",
    "werkgroep-konstancin-jeziorna",
    "werkgroep-temecula",
];

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

fn params(from: i16, to: i16, partnerships: &[&str]) -> ReportParams {
    ReportParams {
        from,
        to,
        partnerships: partnerships.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn keys(e: AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|f| (f.field, f.key)).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
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

struct Demo {
    register: Register,
    reports: Reports,
    acts: Activities,
    money: Money,
    /// Partner slug → partnership id.
    ids: BTreeMap<&'static str, String>,
}

async fn setup(store: Store) -> Demo {
    let register = Register::new(store);
    let lv = register.municipality(LV).await.unwrap();
    let ids = ["hranice", "konstancin-jeziorna", "temecula"]
        .into_iter()
        .map(|slug| {
            let id = lv
                .partnerships
                .iter()
                .find(|p| p.partner.slug.as_str() == slug)
                .unwrap()
                .partnership
                .id
                .0
                .clone();
            (slug, id)
        })
        .collect();
    Demo {
        reports: Reports::new(register.clone()),
        acts: Activities::new(register.clone()),
        money: Money::new(register.clone()),
        register,
        ids,
    }
}

/// One held occurrence, as this test decides it from the plain lists.
struct Held {
    partnership: String,
    year: i16,
    end: Date,
    category: Category,
    direction: Direction,
    home: u64,
    partner: u64,
}

/// The held occurrences up to the end of `to` of the partnerships' activities the caller sees:
/// a held activity's occurrences, a confirmed recurring one's, not those cancelled one by one,
/// each with its own figures or else the activity's.
async fn held(d: &Demo, caller: &Caller, partnerships: &[String], to: i16) -> Vec<Held> {
    let until = date(to, 12, 31);
    let all: Vec<Activity> = d
        .acts
        .activities(
            caller,
            ActivityFilter {
                partnerships: partnerships.to_vec(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut out = Vec::new();
    for a in &all {
        let counts = match a.draft.status {
            ActivityStatus::Held => true,
            ActivityStatus::Confirmed => a.draft.recurrence.is_some(),
            _ => false,
        };
        if !counts {
            continue;
        }
        for o in d.acts.occurrences(a, until).await.unwrap() {
            if o.cancelled || o.occurrence.start > until {
                continue;
            }
            out.push(Held {
                partnership: a.draft.partnership.0.clone(),
                year: o.occurrence.start.year(),
                end: o.occurrence.end,
                category: a.draft.category,
                direction: a.draft.direction,
                home: u64::from(o.participants_home),
                partner: u64::from(o.participants_partner),
            });
        }
    }
    out
}

/// Municipal money per budget year from the subsidies as the service lists them: cash and in
/// kind, counted at the settled amount, else the granted one.
async fn subsidies(d: &Demo, from: i16, to: i16) -> BTreeMap<i16, (Euros, Euros)> {
    let mut out: BTreeMap<i16, (Euros, Euros)> = (from..=to)
        .map(|y| (y, (Euros::ZERO, Euros::ZERO)))
        .collect();
    for v in d.money.subsidies(&sys(), LV).await.unwrap() {
        let s = &v.record.draft;
        if s.grantor != Grantor::Municipality || !(from..=to).contains(&s.year) {
            continue;
        }
        let amount = v.settled.or(v.granted).unwrap_or_default();
        let y = out.get_mut(&s.year).unwrap();
        if s.kind == SubsidyKind::InKind {
            y.1 += amount;
        } else {
            y.0 += amount;
        }
    }
    out
}

/// The groups' ledger lines of the period, summed per year: (income by source, expenses).
async fn ledgers(
    d: &Demo,
    groups: &[&str],
    from: i16,
    to: i16,
) -> BTreeMap<i16, (BTreeMap<IncomeSource, Euros>, Euros)> {
    let mut out: BTreeMap<i16, (BTreeMap<IncomeSource, Euros>, Euros)> = BTreeMap::new();
    for g in groups {
        let lines = d
            .money
            .transactions(&sys(), g, Some(date(from, 1, 1)), Some(date(to, 12, 31)))
            .await
            .unwrap();
        for l in lines {
            let y = out.entry(l.record.draft.date.year()).or_default();
            match l.record.draft.flow {
                Flow::Income(s) => *y.0.entry(s).or_default() += l.record.draft.amount,
                Flow::Expense(_) => y.1 += l.record.draft.amount,
            }
        }
    }
    out
}

fn private(income: &BTreeMap<IncomeSource, Euros>) -> Euros {
    use IncomeSource::*;
    [
        EntrepreneursFund,
        Sponsor,
        OwnFundraising,
        ParticipantsContributions,
    ]
    .iter()
    .map(|s| income.get(s).copied().unwrap_or_default())
    .sum()
}

fn municipal(income: &BTreeMap<IncomeSource, Euros>) -> Euros {
    use IncomeSource::*;
    [MunicipalSubsidy, OneOffGrant, CulturalSubsidy]
        .iter()
        .map(|s| income.get(s).copied().unwrap_or_default())
        .sum()
}

/// Cents divided by a count, half a cent away from zero (amounts here are not negative).
fn per(amount: Euros, n: u64) -> Option<Euros> {
    let n = i64::try_from(n).unwrap();
    (n > 0).then(|| Euros::from_cents((2 * amount.cents() + n) / (2 * n)))
}

fn quotient(a: Euros, b: Euros) -> Option<Decimal> {
    (b.cents() > 0).then(|| Decimal::from(a.cents()) / Decimal::from(b.cents()))
}

async fn the_2004_2008_report_adds_up(store: Store) {
    let d = setup(store).await;
    let view = d
        .reports
        .report(&sys(), LV, &params(2004, 2008, &[]))
        .await
        .unwrap();
    let r = &view.report;
    assert_eq!(view.partnerships.len(), 3, "all three twinnings");
    assert!(r.scope.whole);
    assert!(view.includes_internal);
    let ids: Vec<String> = d.ids.values().cloned().collect();

    // Activities, year by year, against the plain list.
    let held = held(&d, &sys(), &ids, 2008).await;
    assert_eq!(r.activity_years.len(), 5);
    for y in &r.activity_years {
        let of_year: Vec<&Held> = held.iter().filter(|h| h.year == y.year).collect();
        let f = &y.figures;
        assert_eq!(f.activities as usize, of_year.len(), "{}", y.year);
        assert_eq!(
            f.participants_home,
            of_year.iter().map(|h| h.home).sum::<u64>()
        );
        assert_eq!(
            f.participants_partner,
            of_year.iter().map(|h| h.partner).sum::<u64>()
        );
        for (slug, id) in &d.ids {
            let n = of_year.iter().filter(|h| h.partnership == *id).count();
            assert_eq!(f.by_partnership[id] as usize, n, "{slug} {}", y.year);
        }
        for c in Category::ALL {
            let n = of_year.iter().filter(|h| h.category == *c).count();
            assert_eq!(f.by_category[c] as usize, n, "{c} {}", y.year);
        }
        for dir in Direction::ALL {
            let n = of_year.iter().filter(|h| h.direction == *dir).count();
            assert_eq!(f.by_direction[dir] as usize, n, "{dir} {}", y.year);
        }
    }
    let in_period: Vec<&Held> = held.iter().filter(|h| h.year >= 2004).collect();
    assert_eq!(r.activities.activities as usize, in_period.len());
    assert!(in_period.len() > 30, "a few exchanges a year per twinning");

    // Themes: knowledge transfer, economy and city promotion, and their share.
    let theme = |c: Category| in_period.iter().filter(|h| h.category == c).count() as u32;
    let (k, e, c) = (
        theme(Category::KnowledgeTransfer),
        theme(Category::Economy),
        theme(Category::CityPromotion),
    );
    assert!(k >= 2 && e >= 2 && c >= 10, "{k} {e} {c}");
    assert_eq!(
        (
            r.themes.knowledge_transfer,
            r.themes.economy,
            r.themes.city_promotion
        ),
        (k, e, c)
    );
    assert_eq!(
        r.themes.themed_share,
        Some(Decimal::from(k + e + c) / Decimal::from(in_period.len() as u32))
    );
    let first = &r.theme_years[0].figures;
    let last = &r.theme_years[4].figures;
    assert_eq!(r.theme_movement.first_year, Some(2004));
    assert_eq!(r.theme_movement.last_year, Some(2008));
    assert_eq!(
        r.theme_movement.change,
        Some(last.themed_share.unwrap() - first.themed_share.unwrap())
    );

    // Money: the subsidies and the ledgers summed here.
    let subs = subsidies(&d, 2004, 2008).await;
    let books = ledgers(&d, &GROUPS, 2004, 2008).await;
    let (mut cash, mut private_total, mut expenses_total) = (Euros::ZERO, Euros::ZERO, Euros::ZERO);
    for (y, a) in r.money_years.iter().zip(&r.activity_years) {
        let m = &y.figures;
        let (sub_cash, sub_in_kind) = subs[&y.year];
        assert_eq!(m.cash, sub_cash, "cash {}", y.year);
        assert_eq!(sub_cash, Euros::from_whole(24_490), "the yearly subsidy");
        assert_eq!(m.cash_by_kind[&SubsidyKind::YearlyBudget], sub_cash);
        assert_eq!(m.in_kind, sub_in_kind, "the tree {}", y.year);
        assert_eq!(sub_in_kind, Euros::from_whole(6_500));
        let (income, expenses) = &books[&y.year];
        assert_eq!(m.group_income, income.values().copied().sum::<Euros>());
        assert_eq!(m.group_expenses, *expenses);
        assert_eq!(m.private_income, private(income));
        assert_eq!(m.municipal_income, municipal(income));
        for s in IncomeSource::ALL {
            assert_eq!(
                m.income_by_source[s],
                income.get(s).copied().unwrap_or_default()
            );
        }
        assert_eq!(m.leverage, quotient(m.private_income, m.cash));
        assert_eq!(
            m.municipal_share_of_budgets,
            quotient(m.municipal_income, m.group_income)
        );
        let participants = a.figures.participants_home + a.figures.participants_partner;
        assert_eq!(m.cost_per_participant, per(*expenses, participants));
        assert_eq!(m.municipal_cost_per_participant, per(m.cash, participants));
        cash += sub_cash;
        private_total += private(income);
        expenses_total += *expenses;
    }
    assert_eq!(r.money.cash, cash);
    assert_eq!(r.money.private_income, private_total);
    assert_eq!(r.money.group_expenses, expenses_total);
    // What the 2009 study could have used: municipal money, and more private money beside it.
    assert!(
        r.money.private_income > r.money.cash,
        "{:?}",
        r.money.leverage
    );
    assert!(r.money.leverage.unwrap() > Decimal::ONE);
    let participants = r.activities.participants_home + r.activities.participants_partner;
    assert_eq!(
        r.money.cost_per_participant,
        per(expenses_total, participants)
    );

    // Continuity: every twinning exchanged every year; none dormant at the end of 2008.
    for c in &r.continuity {
        assert_eq!(c.years_with, (2004..=2008).collect::<Vec<_>>());
        assert!(c.years_without.is_empty() && c.longest_gap == 0 && !c.dormant);
        let last = held
            .iter()
            .filter(|h| h.partnership == c.partnership)
            .map(|h| h.end.min(date(2008, 12, 31)))
            .max();
        assert_eq!(c.last_held, last);
    }
    // The tree stands into January: Hranice's last held day is the period's last.
    let hranice = r
        .continuity
        .iter()
        .find(|c| c.partnership == d.ids["hranice"])
        .unwrap();
    assert_eq!(hranice.last_held, Some(date(2008, 12, 31)));

    // Each criterion but "other" starts from figures.
    for aspect in Aspect::ALL {
        let found = indicators(*aspect, r);
        assert_eq!(found.is_empty(), *aspect == Aspect::Other, "{aspect}");
    }
    let efficiency = indicators(Aspect::Efficiency, r);
    assert!(
        efficiency
            .iter()
            .any(|i| i.key == "indicator-leverage" && i.figure == Figure::Ratio(r.money.leverage))
    );
}

async fn one_partnership_is_its_part_of_the_whole(store: Store) {
    let d = setup(store).await;
    let whole = d
        .reports
        .report(&sys(), LV, &params(2004, 2008, &[]))
        .await
        .unwrap()
        .report;
    let hranice = d.ids["hranice"].clone();
    let view = d
        .reports
        .report(&sys(), LV, &params(2004, 2008, &[&hranice]))
        .await
        .unwrap();
    assert_eq!(view.partnerships.len(), 1);
    assert_eq!(view.partnerships[0].partner.slug.as_str(), "hranice");
    let r = &view.report;
    assert!(!r.scope.whole);
    let held = held(&d, &sys(), std::slice::from_ref(&hranice), 2008).await;
    let in_period = held.iter().filter(|h| h.year >= 2004).count();
    assert_eq!(r.activities.activities as usize, in_period);
    assert_eq!(
        r.activities.participants_home,
        held.iter()
            .filter(|h| h.year >= 2004)
            .map(|h| h.home)
            .sum::<u64>()
    );
    // The Hranice group carries Hranice alone: its whole ledger is Hranice's.
    let books = ledgers(&d, &GROUPS[..1], 2004, 2008).await;
    let income: Euros = books.values().flat_map(|(i, _)| i.values()).copied().sum();
    let expenses: Euros = books.values().map(|(_, e)| *e).sum();
    assert_eq!(r.money.group_income, income);
    assert_eq!(r.money.group_expenses, expenses);
    // A third of the subsidy each year, to the cent; the tree is Hranice's.
    for y in &r.money_years {
        let third = y.figures.cash.cents() - 2_449_000 / 3;
        assert!((0..=1).contains(&third), "{} {third}", y.year);
        assert_eq!(y.figures.in_kind, Euros::from_whole(6_500));
    }
    // The three parts add up to the whole, the themes too.
    let mut cash = Euros::ZERO;
    let mut activities = 0;
    for id in d.ids.values() {
        let part = d
            .reports
            .report(&sys(), LV, &params(2004, 2008, &[id]))
            .await
            .unwrap()
            .report;
        assert_eq!(part.money.cash, whole.money.cash_by_partnership[id]);
        cash += part.money.cash;
        activities += part.activities.activities;
    }
    assert_eq!(cash, whole.money.cash);
    assert_eq!(activities, whole.activities.activities);
    // Two partnerships named twice are two.
    let two = d
        .reports
        .report(
            &Caller::public(),
            LV,
            &params(2004, 2008, &[&hranice, &d.ids["temecula"], &hranice]),
        )
        .await
        .unwrap();
    assert_eq!(two.partnerships.len(), 2);
    assert!(!two.report.scope.whole);
}

async fn the_report_and_the_municipal_overview_agree(store: Store) {
    let d = setup(store).await;
    let overview = d.money.municipal_overview(LV, 2002, 2020).await.unwrap();
    let view = d
        .reports
        .report(&Caller::public(), LV, &params(2002, 2020, &[]))
        .await
        .unwrap();
    let r = &view.report;
    assert_eq!(overview.years.len(), r.money_years.len());
    for (o, y) in overview.years.iter().zip(&r.money_years) {
        let m = &y.figures;
        assert_eq!(o.year, y.year);
        assert_eq!(o.cash, m.cash, "cash {}", o.year);
        assert_eq!(o.in_kind, m.in_kind, "in kind {}", o.year);
        assert_eq!(o.private_income, m.private_income, "private {}", o.year);
        assert_eq!(o.leverage, m.leverage, "leverage {}", o.year);
        for (kind, amount) in &m.cash_by_kind {
            assert_eq!(
                o.by_kind.get(kind).copied().unwrap_or_default(),
                *amount,
                "{kind} {}",
                o.year
            );
        }
        for (p, amount) in &o.by_partnership {
            assert_eq!(m.cash_by_partnership[p], *amount, "{p} {}", o.year);
        }
        for (p, amount) in &m.cash_by_partnership {
            assert_eq!(
                o.by_partnership.get(p).copied().unwrap_or_default(),
                *amount
            );
        }
    }
    assert_eq!(overview.total_cash, r.money.cash);
    assert_eq!(overview.total_private, r.money.private_income);
    assert_eq!(overview.leverage, r.money.leverage);
    // The seed's years are there: 24,490 in 2012 and the jubilee of 2015.
    let y2015 = r.money_years.iter().find(|y| y.year == 2015).unwrap();
    assert_eq!(
        y2015.figures.cash_by_kind[&SubsidyKind::OneOffGrant],
        Euros::from_whole(10_000)
    );
    // Temecula exchanged 2004-2017: dormant at the end of 2020; the longest gap is 2018-2020.
    let temecula = r
        .continuity
        .iter()
        .find(|c| c.partnership == d.ids["temecula"])
        .unwrap();
    assert!(temecula.dormant);
    assert_eq!(temecula.longest_gap, 3, "{temecula:?}");
    assert_eq!(temecula.years_without, [2002, 2003, 2018, 2019, 2020]);
}

async fn the_public_sees_the_same_money_but_no_internal_activities(store: Store) {
    let d = setup(store).await;
    let hranice = d.ids["hranice"].clone();
    let p = params(2004, 2008, &[]);
    let before = d.reports.report(&sys(), LV, &p).await.unwrap().report;
    d.acts
        .create_activity(
            &sys(),
            &ActivityInput {
                partnership: Some(hranice.clone()),
                organiser: Some("werkgroep-hranice".into()),
                title: Some("Vergadering werkgroep over de begroting".into()),
                start: Some("2006-02-01".into()),
                direction: Some("online".into()),
                category: Some("economy".into()),
                participants_home: Some("7".into()),
                status: Some("held".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let official = account(
        Role::MunicipalOfficial,
        &d.register.municipality(LV).await.unwrap().municipality.id.0,
    );
    let foundation = d
        .register
        .store()
        .foundations(None)
        .await
        .unwrap()
        .remove(0)
        .id;
    let board = account(Role::FoundationBoard, &foundation);
    let group = d
        .register
        .store()
        .working_group("werkgroep-hranice")
        .await
        .unwrap()
        .unwrap()
        .id;
    let member = account(Role::WorkingGroupMember, &group);
    let elsewhere = account(Role::MunicipalOfficial, "elders");
    for (caller, internal) in [
        (sys(), true),
        (official, true),
        (board, true),
        (Caller::public(), false),
        (member, false),
        (elsewhere, false),
    ] {
        let view = d.reports.report(&caller, LV, &p).await.unwrap();
        assert_eq!(view.includes_internal, internal, "{caller:?}");
        let r = &view.report;
        let extra = u32::from(internal);
        assert_eq!(
            r.activities.activities,
            before.activities.activities + extra
        );
        assert_eq!(
            r.activities.participants_home,
            before.activities.participants_home + 7 * u64::from(extra)
        );
        assert_eq!(r.themes.economy, before.themes.economy + extra);
        // Money is the same for everybody.
        let (m, b) = (&r.money, &before.money);
        assert_eq!(m.cash_by_partnership, b.cash_by_partnership);
        assert_eq!(m.in_kind, b.in_kind);
        assert_eq!(m.income_by_source, b.income_by_source);
        assert_eq!(m.expenses_by_category, b.expenses_by_category);
        assert_eq!(m.leverage, b.leverage);
        assert_eq!(m.municipal_share_of_budgets, b.municipal_share_of_budgets);
        // Per participant it is spread over whoever the caller may count.
        let participants = r.activities.participants_home + r.activities.participants_partner;
        assert_eq!(m.cost_per_participant, per(m.group_expenses, participants));
    }
}

async fn bad_parameters_are_refused_clearly(store: Store) {
    let d = setup(store).await;
    let audit = count(d.register.store(), "audit_log").await;
    let r = &d.reports;
    assert_eq!(
        keys(
            r.report(&sys(), LV, &params(2008, 2004, &[]))
                .await
                .unwrap_err()
        ),
        [("to", "error-end-before-start")]
    );
    assert_eq!(
        keys(
            r.report(&sys(), LV, &params(1900, 2099, &[]))
                .await
                .unwrap_err()
        ),
        [("to", "error-years-span-too-long")]
    );
    // A hundred years is the most.
    assert!(r.report(&sys(), LV, &params(1921, 2020, &[])).await.is_ok());
    assert_eq!(
        keys(
            r.report(&sys(), LV, &params(999, 2020, &[]))
                .await
                .unwrap_err()
        ),
        [("from", "error-year-out-of-range")]
    );
    // Konstancin-Jeziorna's twinning was Leidschendam's, not Voorburg's.
    let konstancin = d.ids["konstancin-jeziorna"].clone();
    let voorburg = r
        .report(&sys(), "voorburg", &params(2004, 2008, &[]))
        .await
        .unwrap();
    assert_eq!(voorburg.partnerships.len(), 2, "Hranice and Temecula");
    assert_eq!(
        keys(
            r.report(&sys(), "voorburg", &params(2004, 2008, &[&konstancin]))
                .await
                .unwrap_err()
        ),
        [("partnerships", "error-partnership-not-own")]
    );
    assert_eq!(
        keys(
            r.report(&sys(), LV, &params(2008, 2004, &["geen-stedenband"]))
                .await
                .unwrap_err()
        ),
        [
            ("to", "error-end-before-start"),
            ("partnerships", "error-partnership-not-own")
        ]
    );
    assert!(matches!(
        r.report(&sys(), "atlantis", &params(2004, 2008, &[])).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        r.report(&sys(), "a\u{0}b", &params(2004, 2008, &[])).await,
        Err(AppError::NotFound)
    ));
    // In a comparison, the second set's errors carry its own names.
    assert_eq!(
        keys(
            r.compare(
                &sys(),
                LV,
                &params(2004, 2008, &[]),
                &params(2013, 2009, &["geen-stedenband"])
            )
            .await
            .unwrap_err()
        ),
        [
            ("otherTo", "error-end-before-start"),
            ("otherPartnerships", "error-partnership-not-own")
        ]
    );
    assert_eq!(
        keys(
            r.compare(
                &sys(),
                LV,
                &params(2004, 3000, &[]),
                &params(2009, 2013, &[])
            )
            .await
            .unwrap_err()
        ),
        [("to", "error-year-out-of-range")]
    );
    // Reading a report writes nothing, refused or not.
    assert_eq!(count(d.register.store(), "audit_log").await, audit);
}

async fn a_comparison_is_b_minus_a(store: Store) {
    let d = setup(store).await;
    let a = params(2004, 2008, &[]);
    let b = params(2012, 2016, &[]);
    let c = d
        .reports
        .compare(&Caller::public(), LV, &a, &b)
        .await
        .unwrap();
    assert_eq!(c.comparison.lines.len(), HEADLINE.len());
    let line = |k: &str| *c.comparison.lines.iter().find(|l| l.key == k).unwrap();
    let (ra, rb) = (&c.a.report, &c.b.report);
    let acts = line("indicator-activities");
    assert_eq!(acts.a, Figure::Count(i64::from(ra.activities.activities)));
    assert_eq!(acts.b, Figure::Count(i64::from(rb.activities.activities)));
    assert_eq!(
        acts.difference,
        Figure::Count(i64::from(rb.activities.activities) - i64::from(ra.activities.activities))
    );
    // 2012-2016: 24,490 + 16,327 + 8,163 + 10,000 against five times 24,490.
    let cash = line("indicator-municipal-cash");
    assert_eq!(
        cash.difference,
        Figure::Euros(Some(Euros::from_whole(
            24_490 + 16_327 + 8_163 + 10_000 - 5 * 24_490
        )))
    );
    let lev = line("indicator-leverage");
    assert_eq!(
        lev.difference,
        Figure::Ratio(Some(
            rb.money.leverage.unwrap() - ra.money.leverage.unwrap()
        ))
    );
    // Two partnerships side by side.
    let c = d
        .reports
        .compare(
            &Caller::public(),
            LV,
            &params(2004, 2017, &[&d.ids["hranice"]]),
            &params(2004, 2017, &[&d.ids["temecula"]]),
        )
        .await
        .unwrap();
    let inkind = *c
        .comparison
        .lines
        .iter()
        .find(|l| l.key == "indicator-in-kind")
        .unwrap();
    assert_eq!(
        inkind.difference,
        Figure::Euros(Some(Euros::from_whole(-14 * 6_500))),
        "the tree is Hranice's"
    );
}

test_on_both_backends_with_demo! {
    report_2004_2008 => the_2004_2008_report_adds_up,
    one_partnership => one_partnership_is_its_part_of_the_whole,
    agrees_with_overview => the_report_and_the_municipal_overview_agree,
    public_and_internal => the_public_sees_the_same_money_but_no_internal_activities,
    bad_parameters => bad_parameters_are_refused_clearly,
    comparison => a_comparison_is_b_minus_a,
}
