//! Decisions, rules, scenarios and endings on SQLite and PostgreSQL with the demo data: the
//! seed's decisions and rules, the "no new twinnings" rule refusing a municipal twinning and
//! lifted by a later decision, the "subsidy ends" rule, the options A, B and C compared with
//! figures recomputed here from their changes, adopting A (dry run = what happened, audit
//! entries, a second adoption refused), and ending a partnership with its letter.

mod support;

use jiff::civil::Date;
use std::collections::BTreeMap;
use stedenband_app::{AppError, AuditLog, Caller, Decisions, Register};
use stedenband_domain::decision::{AffectedKind, DecisionInput, RuleKind};
use stedenband_domain::ending::{CompleteInput, LetterInput, NotifyInput, StartInput};
use stedenband_domain::funding::SubsidyInput;
use stedenband_domain::money::{Euros, SubsidyKind};
use stedenband_domain::scenario::{Change, Effect, LineKind};
use stedenband_domain::{MunicipalityInput, PartnershipInput, PartnershipStatus};
use stedenband_store::{Db, Store};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn sys() -> Caller {
    Caller::system()
}

fn today() -> Date {
    jiff::Zoned::now().date()
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

async fn setup(store: Store) -> (Register, Decisions) {
    let r = Register::new(store);
    (r.clone(), Decisions::new(r))
}

async fn partnership_of(r: &Register, partner: &str) -> String {
    r.municipality("leidschendam-voorburg")
        .await
        .unwrap()
        .partnerships
        .iter()
        .find(|p| p.partner.slug.as_str() == partner)
        .map(|p| p.partnership.id.0.clone())
        .unwrap()
}

fn adopted_today(title: &str) -> DecisionInput {
    DecisionInput {
        municipality: s("leidschendam-voorburg"),
        date: Some(today().to_string()),
        body: s("council"),
        kind: s("decision"),
        title: s(title),
        outcome: s("adopted"),
        ..Default::default()
    }
}

test_on_both_backends_with_demo! {
    seed_decisions => seed_decisions,
    no_new_twinnings => no_new_twinnings,
    subsidy_ends => subsidy_ends,
    options_compared => options_compared,
    adopting_a => adopting_a,
    option_b_lifts_the_rules => option_b_lifts_the_rules,
    ending => ending,
    bad_input => bad_input,
}

async fn seed_decisions(store: Store) {
    let (r, d) = setup(store).await;
    let all = d
        .decisions(&sys(), Some("leidschendam-voorburg"))
        .await
        .unwrap();
    let titles: Vec<&str> = all.iter().map(|v| v.record.draft.title.as_str()).collect();
    assert_eq!(all.len(), 5, "{titles:?}");
    assert!(titles[0].starts_with("Motie Gemeentebelangen"));
    // The public does not see the proposal (not adopted).
    let public = d
        .decisions(&Caller::public(), Some("leidschendam-voorburg"))
        .await
        .unwrap();
    assert_eq!(public.len(), 4);
    assert!(
        public
            .iter()
            .all(|v| !v.record.draft.title.as_str().starts_with("Raadsvoorstel"))
    );
    let rules = d.rules("leidschendam-voorburg").await.unwrap();
    let kinds: Vec<(RuleKind, String)> =
        rules.iter().map(|r| (r.kind, r.from.to_string())).collect();
    assert!(kinds.contains(&(RuleKind::NoNewTwinnings, "2011-11-08".into())));
    // The schedule 2012 + 3 years: no subsidy from 2015.
    assert!(kinds.contains(&(RuleKind::SubsidyEnds, "2015-01-01".into())));
    assert!(kinds.contains(&(RuleKind::NoBudgetLine, "2015-01-01".into())));
    assert!(kinds.contains(&(RuleKind::NoStaffCapacity, "2015-01-01".into())));
    // Hranice's page lists its decisions in time order: the 2011 ones, then the jubilee.
    let hranice = partnership_of(&r, "hranice").await;
    let about = d
        .decisions_about(&sys(), AffectedKind::Partnership, &hranice)
        .await
        .unwrap();
    let dates: Vec<String> = about.iter().map(|d| d.draft.date.to_string()).collect();
    assert_eq!(
        dates,
        ["2011-11-08", "2011-11-08", "2015-02-10", "2018-03-01"]
    );
    let about_public = d
        .decisions_about(&Caller::public(), AffectedKind::Partnership, &hranice)
        .await
        .unwrap();
    assert_eq!(about_public.len(), 3);
}

async fn new_partner(r: &Register, name: &str) {
    r.create_municipality(
        &sys(),
        &MunicipalityInput {
            name: s(name),
            country: s("BE"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

fn twinning(partner: &str, kind: &str, end: Option<&str>) -> PartnershipInput {
    PartnershipInput {
        home: s("leidschendam-voorburg"),
        partner: s(partner),
        kind: s(kind),
        initiator: s("local-government"),
        start: Some(today().to_string()),
        end: end.map(str::to_owned),
        ..Default::default()
    }
}

async fn no_new_twinnings(store: Store) {
    let (r, d) = setup(store.clone()).await;
    new_partner(&r, "Kortrijk").await;
    let before = scalar(&store, "SELECT COUNT(*) FROM partnerships").await;
    let err = r
        .create_partnership(&sys(), &twinning("kortrijk", "friendship", None))
        .await
        .unwrap_err();
    let AppError::Refused(refusal) = err else {
        panic!("expected a refusal citing the decision, got {err:?}")
    };
    assert_eq!(refusal.field, "initiator");
    assert_eq!(refusal.rule, RuleKind::NoNewTwinnings);
    assert_eq!(
        refusal.decision.title,
        "Stedenbanden niet opheffen; contacten bij de werkgroepen; geen nieuwe stedenbanden"
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM partnerships").await,
        before
    );
    // Project-based cooperation with an end date stays allowed, as the annex says.
    let end = today()
        .saturating_add(jiff::Span::new().years(2))
        .to_string();
    let project = r
        .create_partnership(&sys(), &twinning("kortrijk", "project-based", Some(&end)))
        .await
        .expect("project-based cooperation with an end date");
    // Turning it into a municipal twinning afterwards meets the same rule.
    let err = r
        .update_partnership(
            &sys(),
            &project.0,
            &twinning("kortrijk", "friendship", None),
            today(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Refused(_)), "{err:?}");
    // A later decision lifts the rule: the municipal twinning is accepted.
    let rule = d
        .rules("leidschendam-voorburg")
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == RuleKind::NoNewTwinnings)
        .unwrap();
    let mut lift = adopted_today("Nieuwe stedenbanden weer mogelijk");
    lift.lifts = vec![rule.id.clone()];
    let v = d.create(&sys(), &lift).await.unwrap();
    assert_eq!(v.lifted.len(), 1);
    let after = d
        .rules("leidschendam-voorburg")
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == rule.id)
        .unwrap();
    assert_eq!(after.lifted_by.unwrap().id, v.record.id, "history kept");
    r.create_partnership(&sys(), &twinning("kortrijk", "friendship", None))
        .await
        .expect("allowed after the rule was lifted");
    // Lifting twice is refused.
    let err = d.create(&sys(), &lift).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(e) if e.has("lifts[0]")));
}

async fn subsidy_ends(store: Store) {
    let (r, _) = setup(store.clone()).await;
    let money = stedenband_app::money::Money::new(r.clone());
    let grant = |kind: &str| SubsidyInput {
        municipality: s("leidschendam-voorburg"),
        foundation: s("stichting-stedenbanden-leidschendam-voorburg"),
        kind: s(kind),
        purpose: s("Subsidie stedenbanden"),
        year: s("2016"),
        ..Default::default()
    };
    let before = scalar(&store, "SELECT COUNT(*) FROM subsidies").await;
    let err = money
        .create_subsidy(&sys(), &grant("yearly-budget"))
        .await
        .unwrap_err();
    let AppError::Refused(refusal) = err else {
        panic!("expected a refusal, got {err:?}")
    };
    assert_eq!(refusal.field, "year");
    assert!(refusal.decision.title.starts_with("Bezuinigingen 2011"));
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM subsidies").await,
        before
    );
    money
        .create_subsidy(&sys(), &grant("one-off-grant"))
        .await
        .expect("a one-off grant is another purpose");
}

/// The cost per year of a scenario recomputed from its listed changes and the present
/// situation read from the subsidies: the recurring municipal lines of 2017 (yearly budget
/// and in kind), each overridden by a change's amount in the years it covers.
fn expected_cost(
    base: &BTreeMap<(String, bool), i64>,
    changes: &[Change],
    year: i16,
) -> (i64, i64) {
    let mut lines = base.clone();
    for c in changes {
        if let Change::Line {
            line,
            in_kind,
            from,
            to,
            amount,
            ..
        } = c
            && *from <= year
            && to.is_none_or(|t| year <= t)
        {
            lines.insert((line.as_str().to_owned(), *in_kind), amount.cents());
        }
    }
    let cash = lines.iter().filter(|((_, k), _)| !k).map(|(_, v)| v).sum();
    let kind = lines.iter().filter(|((_, k), _)| *k).map(|(_, v)| v).sum();
    (cash, kind)
}

async fn options_compared(store: Store) {
    let (r, d) = setup(store).await;
    let money = stedenband_app::money::Money::new(r.clone());
    let mut base: BTreeMap<(String, bool), i64> = BTreeMap::new();
    for v in money
        .subsidies(&sys(), "leidschendam-voorburg")
        .await
        .unwrap()
    {
        let rec = &v.record.draft;
        if rec.year == 2017 && matches!(rec.kind, SubsidyKind::YearlyBudget | SubsidyKind::InKind) {
            *base
                .entry((rec.purpose.to_string(), rec.kind == SubsidyKind::InKind))
                .or_default() += v.counted.cents();
        }
    }
    // The seed: about EUR 6,500 in kind for the tree in 2017, no municipal subsidy.
    assert_eq!(base.values().sum::<i64>(), 650_000);
    let scenarios = d.scenarios(&sys(), "leidschendam-voorburg").await.unwrap();
    let codes: Vec<&str> = scenarios
        .iter()
        .map(|v| v.record.draft.code.as_str())
        .collect();
    assert_eq!(codes, ["A", "B", "C"]);
    assert!(scenarios[0].record.draft.proposed, "A is the proposal");
    let ids: Vec<String> = scenarios.iter().map(|v| v.record.id.clone()).collect();
    let cmp = d.compare(&sys(), &ids, None).await.unwrap();
    assert_eq!(
        cmp.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2018, 2019, 2020, 2021, 2022]
    );
    for y in &cmp.years {
        let mut totals = Vec::new();
        for (i, v) in cmp.scenarios.iter().enumerate() {
            let (cash, kind) = expected_cost(&base, &v.record.draft.changes, y.year);
            assert_eq!(
                y.cash[i].cents(),
                cash,
                "{} {}",
                v.record.draft.code,
                y.year
            );
            assert_eq!(
                y.in_kind[i].cents(),
                kind,
                "{} {}",
                v.record.draft.code,
                y.year
            );
            totals.push(cash + kind);
        }
        for i in 0..totals.len() {
            assert_eq!(y.difference[i].cents(), totals[i] - totals[0]);
        }
    }
    // B from 2019: EUR 5,000 budget line and 8,164 + 8,163 + 8,163 for the groups.
    let b2019 = &cmp.years[1];
    assert_eq!(b2019.cash[1], Euros::from_whole(29_490));
    assert_eq!(b2019.staff_hours, vec![0, 360, 0]);
    // A's statuses at the end of 2018: civil society only; C keeps them active.
    let a = &cmp.scenarios[0].projection;
    assert!(
        a.years[0]
            .statuses
            .iter()
            .all(|s| *s == PartnershipStatus::CivilSocietyOnly)
    );
    let c = &cmp.scenarios[2].projection;
    assert!(
        c.years[4]
            .statuses
            .iter()
            .all(|s| *s == PartnershipStatus::Active)
    );
    // B's funding gaps: the group subsidies count against each group's gap.
    let b = &cmp.scenarios[1].projection;
    for (g, gap) in b.years[1].gaps.iter().enumerate() {
        assert_eq!(gap.remaining, gap.gap - gap.municipal, "group {g}");
        assert!(gap.municipal.is_positive());
    }
}

async fn adopting_a(store: Store) {
    let (r, d) = setup(store.clone()).await;
    let scenarios = d.scenarios(&sys(), "leidschendam-voorburg").await.unwrap();
    let a = scenarios
        .iter()
        .find(|v| v.record.draft.code == "A")
        .unwrap()
        .record
        .id
        .clone();
    let run = d.dry_run(&sys(), &a, None).await.unwrap();
    let decisions_before = scalar(&store, "SELECT COUNT(*) FROM decisions").await;
    let rules_before = scalar(&store, "SELECT COUNT(*) FROM rules").await;
    // The dry run changed nothing.
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM municipal_plan_staff").await,
        0
    );
    let predicted: Vec<(String, PartnershipStatus)> = run
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Status {
                partnership, to, ..
            } => Some((partnership.clone(), *to)),
            _ => None,
        })
        .collect();
    assert_eq!(predicted.len(), 3);
    // No budget line and no staff capacity hold already: A imposes no new rule.
    assert!(
        !run.effects
            .iter()
            .any(|e| matches!(e, Effect::ImposeRule { .. }))
    );
    let head_before = AuditLog::new(store.clone()).head().await.unwrap().0;
    let mut decision = adopted_today("Stedenbanden beëindigen (optie A)");
    decision.reference = s("RV-2018-001");
    let done = d.adopt(&sys(), &a, &decision).await.unwrap();
    assert_eq!(
        done.effects, run.effects,
        "the dry run predicted the adoption"
    );
    for (p, status) in &predicted {
        let detail = r.partnership(p).await.unwrap();
        assert_eq!(detail.view.partnership.status, *status);
        let trail = r.audit_trail("partnership", p).await.unwrap();
        assert!(
            trail.iter().any(|e| e.draft.action == "partnership.status"),
            "audit entry for {p}"
        );
    }
    // Every other partnership of the municipality is as it was.
    let lv = r.municipality("leidschendam-voorburg").await.unwrap();
    for p in &lv.partnerships {
        if !predicted.iter().any(|(id, _)| *id == p.partnership.id.0) {
            assert_eq!(p.partnership.status, PartnershipStatus::Active);
        }
    }
    let plan = d.plan("leidschendam-voorburg").await.unwrap();
    assert_eq!(
        plan.iter().map(|p| p.year).collect::<Vec<_>>(),
        [2018, 2019, 2020, 2021, 2022]
    );
    assert!(plan.iter().all(|p| p.staff_hours == Some(0)));
    let tree: Vec<i64> = plan
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .filter(|(k, _)| k.in_kind)
                .map(|(_, a)| a.cents())
                .sum()
        })
        .collect();
    assert_eq!(tree, [650_000; 5]);
    assert!(
        plan.iter()
            .flat_map(|p| &p.lines)
            .filter(|(k, _)| k.line_kind == LineKind::Budget)
            .all(|(_, a)| a.is_zero())
    );
    let audit = AuditLog::new(store.clone());
    let (head, _) = audit.head().await.unwrap();
    // decision, three status changes, the plan, the scenario.
    assert_eq!(head - head_before, 6);
    assert!(audit.verify(None).await.unwrap().is_ok(), "chain intact");
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM decisions").await,
        decisions_before + 1
    );
    // Adopting it again is refused and changes nothing.
    let err = d.adopt(&sys(), &a, &decision).await.unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(e) if e.has("scenario")),
        "{err:?}"
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM decisions").await,
        decisions_before + 1
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM rules").await,
        rules_before
    );
    assert_eq!(audit.head().await.unwrap().0, head);
    let b = scenarios
        .iter()
        .find(|v| v.record.draft.code == "B")
        .unwrap()
        .record
        .id
        .clone();
    // But A was adopted: B is refused now.
    let err = d.dry_run(&sys(), &b, None).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.0[0].key == "error-other-scenario-adopted"));
}

async fn option_b_lifts_the_rules(store: Store) {
    let (_, d) = setup(store).await;
    let b = d
        .scenarios(&sys(), "leidschendam-voorburg")
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.record.draft.code == "B")
        .unwrap()
        .record
        .id;
    let lifts: Vec<RuleKind> = d
        .dry_run(&sys(), &b, None)
        .await
        .unwrap()
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::LiftRule { rule_kind, .. } => Some(*rule_kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        lifts,
        [
            RuleKind::NoBudgetLine,
            RuleKind::SubsidyEnds,
            RuleKind::NoStaffCapacity
        ]
    );
}

async fn ending(store: Store) {
    let (r, d) = setup(store.clone()).await;
    let temecula = partnership_of(&r, "temecula").await;
    // The proposal was not adopted: no ending on its strength.
    let proposal = d
        .decisions(&sys(), Some("leidschendam-voorburg"))
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.record.draft.title.as_str().starts_with("Raadsvoorstel"))
        .unwrap();
    let err = d
        .start_ending(
            &sys(),
            &temecula,
            &StartInput {
                decision: Some(proposal.record.id.clone()),
                reason: s("Optie A"),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(e) if e.has("decision")));
    let decision = d
        .create(&sys(), &adopted_today("Beëindiging stedenband Temecula"))
        .await
        .unwrap();
    let v = d
        .start_ending(
            &sys(),
            &temecula,
            &StartInput {
                decision: Some(decision.record.id.clone()),
                reason: s("Optie A: de stedenbanden zijn achterhaald"),
            },
        )
        .await
        .unwrap();
    // The decision affects the partnership now, written with the ending and its one entry.
    let about = d
        .decisions_about(&sys(), AffectedKind::Partnership, &temecula)
        .await
        .unwrap();
    assert!(about.iter().any(|x| x.id == decision.record.id));
    let started: Vec<_> = r
        .audit_trail("partnership", &temecula)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.draft.action == "partnership.ending.start")
        .collect();
    assert_eq!(started.len(), 1);
    // The letter: since when, how many years, how many held activities.
    let detail = r.partnership(&temecula).await.unwrap();
    let start = detail.view.partnership.draft.start.year();
    let years = today().year() - start;
    let numbers = stedenband_app::Activities::new(r.clone())
        .numbers_per_year(&sys(), &temecula)
        .await
        .unwrap();
    let held: u32 = numbers.iter().map(|y| y.activities).sum();
    let nl = &v.ending.letter_nl;
    let en = &v.ending.letter_en;
    assert!(
        nl.contains(&format!("Sinds {start} zijn Leidschendam-Voorburg")),
        "{nl}"
    );
    assert!(nl.contains(&format!("{years} jaar")), "{nl}");
    assert!(en.contains(&format!("{years} years")), "{en}");
    if held > 0 {
        assert!(nl.contains(&format!(" {held} activiteit")), "{nl}");
        assert!(
            en.contains(&format!("In those years {held} activit")),
            "{en}"
        );
    }
    assert!(
        nl.contains("Voorburg"),
        "entered by the former municipality"
    );
    // Steps in order only.
    let err = d
        .complete_ending(
            &sys(),
            &temecula,
            &CompleteInput {
                end_on: Some(today().to_string()),
                final_status: s("civil-society-only"),
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(e) if e.has("endOn")));
    d.record_letter(
        &sys(),
        &temecula,
        &LetterInput {
            sent_on: Some(today().to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    d.record_notification(
        &sys(),
        &temecula,
        &NotifyInput {
            on: Some(today().to_string()),
            how: s("Brief per post en e-mail aan de burgemeester"),
        },
    )
    .await
    .unwrap();
    let done = d
        .complete_ending(
            &sys(),
            &temecula,
            &CompleteInput {
                end_on: Some(today().to_string()),
                final_status: s("civil-society-only"),
            },
        )
        .await
        .unwrap();
    assert!(!done.may_edit);
    let after = r.partnership(&temecula).await.unwrap();
    assert_eq!(
        after.view.partnership.status,
        PartnershipStatus::CivilSocietyOnly
    );
    assert_eq!(
        after.view.partnership.draft.end.map(|e| e.year()),
        Some(today().year())
    );
    // Archived: read-only.
    let mut input = PartnershipInput {
        home: s("leidschendam-voorburg"),
        partner: s("temecula"),
        kind: s("friendship"),
        initiator: s("local-government"),
        start: Some(start.to_string()),
        description: s("changed"),
        ..Default::default()
    };
    input.end = None;
    let err = r
        .update_partnership(&sys(), &temecula, &input, today())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(e) if e.0[0].key == "error-partnership-archived"),
        "{err:?}"
    );
}

async fn bad_input(store: Store) {
    let (r, d) = setup(store.clone()).await;
    let count = || async { scalar(&store, "SELECT COUNT(*) FROM decisions").await };
    let before = count().await;
    // A decision dated in the future marked adopted.
    let mut future = adopted_today("Toekomst");
    future.date = Some(
        today()
            .saturating_add(jiff::Span::new().days(3))
            .to_string(),
    );
    let err = d.create(&sys(), &future).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(e) if e.has("outcome")));
    // A rule without a decision.
    let err = d
        .add_rule(
            &sys(),
            None,
            &stedenband_domain::decision::RuleInput {
                kind: s("no-new-twinnings"),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(e) if e.has("decision")));
    // A scenario change on a partnership of another municipality.
    r.create_municipality(
        &sys(),
        &MunicipalityInput {
            name: s("Kortrijk"),
            country: s("BE"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let other = r
        .create_partnership(
            &sys(),
            &PartnershipInput {
                home: s("hranice"),
                partner: s("kortrijk"),
                kind: s("friendship"),
                initiator: s("local-government"),
                start: s("2001"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let scenarios_before = scalar(&store, "SELECT COUNT(*) FROM scenarios").await;
    let err = d
        .create_scenario(
            &sys(),
            &stedenband_domain::scenario::ScenarioInput {
                municipality: s("leidschendam-voorburg"),
                code: s("D"),
                title: s("Ander scenario"),
                horizon_from: s("2027"),
                horizon_to: s("2030"),
                changes: vec![stedenband_domain::scenario::ChangeInput {
                    kind: s("status"),
                    partnership: Some(other.0.clone()),
                    status: s("ended"),
                    on: s("2027-01-01"),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(e) if e.has("changes[0].partnership")),
        "{err:?}"
    );
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM scenarios").await,
        scenarios_before
    );
    assert_eq!(count().await, before);
    // The public may not record decisions.
    let err = d
        .create(&Caller::public(), &adopted_today("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Unauthenticated));
}
