//! A generated municipality for benchmarks (feature `bench`): by default 50 partnerships, a
//! foundation with ten working groups, 20 years of data, 20,000 activities (every category,
//! direction and status, a fifth internal, some recurring with figures per occurrence, a few
//! occurrences cancelled) and 20,000 ledger lines (some booked on an activity), with a yearly
//! subsidy granted and settled and an in-kind contribution.
//!
//! The register, the organisation and the subsidies go through the use cases (a few hundred
//! calls); activities, occurrence figures and ledger lines are parsed by the domain like any
//! input and written in bulk, one transaction each, so that generating takes seconds. The
//! figures are pseudo-random from a fixed seed: every run generates the same data.

use crate::money::Money;
use crate::{AppError, Caller, Organisation, Register};
use stedenband_domain::activity::{
    ActivityDraft, ActivityInput, Category, Direction, FiguresInput, OccurrenceFigures, Organiser,
};
use stedenband_domain::funding::{StepInput, SubsidyInput, TransactionDraft, TransactionInput};
use stedenband_domain::money::{ExpenseCategory, IncomeSource};
use stedenband_domain::organisation::{FoundationInput, WorkingGroupInput};
use stedenband_domain::{MunicipalityInput, PartnershipId, PartnershipInput};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub partnerships: usize,
    pub working_groups: usize,
    pub first_year: i16,
    pub years: i16,
    pub activities: usize,
    pub transactions: usize,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            partnerships: 50,
            working_groups: 10,
            first_year: 2005,
            years: 20,
            activities: 20_000,
            transactions: 20_000,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The municipality's slug.
    pub municipality: String,
    /// Its partnerships' ids.
    pub partnerships: Vec<String>,
    pub activities: usize,
    pub recurring: usize,
    pub occurrence_figures: usize,
    pub transactions: usize,
    pub subsidies: usize,
}

/// A fixed-seed pseudo-random sequence (xorshift64*): the same data every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }
}

fn s(v: impl Into<String>) -> Option<String> {
    Some(v.into())
}

const COUNTRIES: &[&str] = &["DE", "BE", "FR", "PL", "CZ", "HU", "IT", "ES", "US", "GB"];

/// Generates the data set into an empty (migrated) database.
pub async fn generate(register: &Register, spec: &Spec) -> Result<Generated, AppError> {
    let system = Caller::system();
    let mut dice = Dice(0x5EED_2009);
    let home = register
        .create_municipality(
            &system,
            &MunicipalityInput {
                name: s("Benchstad"),
                country: s("NL"),
                ..Default::default()
            },
        )
        .await?;
    let mut partnerships = Vec::new();
    for i in 0..spec.partnerships {
        let partner = register
            .create_municipality(
                &system,
                &MunicipalityInput {
                    name: s(format!("Partnerstad {}", i + 1)),
                    country: s(COUNTRIES[i % COUNTRIES.len()]),
                    ..Default::default()
                },
            )
            .await?;
        let id = register
            .create_partnership(
                &system,
                &PartnershipInput {
                    home: s(home.slug.as_str()),
                    partner: s(partner.slug.as_str()),
                    kind: s("friendship"),
                    initiator: s("local-government"),
                    start: s(format!("{}", 1960 + i % 40)),
                    status: s("active"),
                    ..Default::default()
                },
            )
            .await?;
        partnerships.push(id.0);
    }

    // The foundation and its working groups, each carrying a share of the partnerships.
    let org = Organisation::new(register.clone());
    let foundation = org
        .create_foundation(
            &system,
            &FoundationInput {
                name: s("Stichting Stedenbanden Benchstad"),
                municipality: s(home.slug.as_str()),
                founded_on: s("1990-01-01"),
                ..Default::default()
            },
        )
        .await?;
    let groups_n = spec.working_groups.clamp(1, spec.partnerships.max(1));
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for g in 0..groups_n {
        let carried: Vec<String> = partnerships
            .iter()
            .enumerate()
            .filter(|(i, _)| i % groups_n == g)
            .map(|(_, p)| p.clone())
            .collect();
        let group = org
            .create_working_group(
                &system,
                &foundation.id,
                &WorkingGroupInput {
                    name: s(format!("Werkgroep {}", g + 1)),
                    partnerships: carried.clone(),
                    founded_on: s("1990-01-01"),
                    ended_on: None,
                },
            )
            .await?;
        groups.push((group.id, carried));
    }
    let group_of = |p: usize| groups[p % groups_n].0.clone();

    // A yearly subsidy for all partnerships, granted and settled, and the tree in kind.
    let money = Money::new(register.clone());
    let last_year = spec.first_year + spec.years - 1;
    let mut subsidies = 0;
    for year in spec.first_year..=last_year {
        for (kind, amount) in [
            ("yearly-budget", 50_000 + 1_000 * i64::from(year % 7)),
            ("in-kind", 6_500),
        ] {
            let sub = money
                .create_subsidy(
                    &system,
                    &SubsidyInput {
                        municipality: s(home.id.0.clone()),
                        foundation: s(foundation.id.clone()),
                        kind: s(kind),
                        purpose: s(format!("Stedenbanden {year}")),
                        year: s(year.to_string()),
                        partnerships: if kind == "in-kind" {
                            vec![partnerships[0].clone()]
                        } else {
                            partnerships.clone()
                        },
                        ..Default::default()
                    },
                )
                .await?;
            subsidies += 1;
            let d = |m: u8, y: i16| format!("{y}-{m:02}-01");
            let amount = amount.to_string();
            let mut steps = vec![
                ("application", d(10, year - 1), Some(amount.clone()), None),
                ("grant-decision", d(1, year), Some(amount.clone()), None),
            ];
            if kind != "in-kind" {
                steps.push(("advance-payment", d(2, year), Some(amount.clone()), None));
            }
            steps.extend([
                ("report-due", d(1, year + 1), None, Some(d(4, year + 1))),
                ("report-received", d(3, year + 1), None, None),
                ("settlement", d(5, year + 1), Some(amount.clone()), None),
            ]);
            for (step, date, amount, due_on) in steps {
                money
                    .add_step(
                        &system,
                        &sub.record.id,
                        &StepInput {
                            step: s(step),
                            date: s(date),
                            document: s(format!("{step} {year}")),
                            amount,
                            due_on,
                            ..Default::default()
                        },
                    )
                    .await?;
            }
        }
    }

    // Activities, parsed as any input is, then stored in one transaction.
    let statuses = [
        "held",
        "held",
        "held",
        "held",
        "confirmed",
        "planned",
        "cancelled",
    ];
    let mut drafts = Vec::with_capacity(spec.activities);
    let mut recurring = Vec::new();
    for i in 0..spec.activities {
        let p = dice.below(partnerships.len());
        let year = spec.first_year + i16::try_from(dice.below(spec.years as usize)).expect("years");
        let month = 1 + dice.below(12);
        let day = 1 + dice.below(27);
        let yearly = i % 40 == 0;
        let start = format!("{year}-{month:02}-{day:02}");
        let end = format!("{year}-{month:02}-{:02}", (day + dice.below(3)).min(28));
        let until = format!("{}-12-31", (year + 6).min(last_year));
        let input = ActivityInput {
            title: s(format!("Uitwisseling {i}")),
            start: s(start),
            end: s(end),
            direction: s(Direction::ALL[dice.below(Direction::ALL.len())].as_str()),
            category: s(Category::ALL[dice.below(Category::ALL.len())].as_str()),
            participants_home: s(dice.below(60).to_string()),
            participants_partner: s(dice.below(40).to_string()),
            status: s(if yearly {
                "confirmed"
            } else {
                statuses[dice.below(statuses.len())]
            }),
            public: (i % 5 != 0).then(|| "on".to_owned()),
            recurrence: yearly.then(|| "yearly".to_owned()),
            recurrence_until: yearly.then_some(until),
            ..Default::default()
        };
        let draft = ActivityDraft::parse(
            &input,
            Ok(PartnershipId(partnerships[p].clone())),
            Ok(Organiser::WorkingGroup(group_of(p))),
        )?;
        if yearly {
            recurring.push(drafts.len());
        }
        drafts.push(draft);
    }
    let activities = register.store().insert_activities(&drafts).await?;

    // Figures for the first occurrences of each recurring activity; every seventh cancelled.
    let mut figures = Vec::new();
    for &i in &recurring {
        let a = &activities[i];
        let d = &a.draft;
        let until = jiff::civil::Date::new(last_year, 12, 31).expect("a valid year");
        for (k, o) in d
            .schedule
            .occurrences(d.recurrence.as_ref(), d.schedule.start, until)
            .into_iter()
            .enumerate()
        {
            let input = FiguresInput {
                participants_home: s(dice.below(80).to_string()),
                participants_partner: (k % 2 == 0).then(|| dice.below(30).to_string()),
                costs: s(format!("{},{:02}", dice.below(5_000), dice.below(100))),
                cancelled: (figures.len() % 7 == 6).then(|| "on".to_owned()),
                ..Default::default()
            };
            figures.push((a.id.clone(), OccurrenceFigures::parse(o.start, &input)?));
        }
    }
    register.store().insert_occurrence_figures(&figures).await?;

    // Ledger lines: income and expenses of the groups, one in ten booked on an activity of
    // the group.
    let mut by_group: Vec<Vec<String>> = vec![Vec::new(); groups_n];
    for (i, a) in activities.iter().enumerate() {
        if let Organiser::WorkingGroup(g) = &a.draft.organiser
            && let Some(k) = groups.iter().position(|(id, _)| id == g)
            && i % 3 == 0
        {
            by_group[k].push(a.id.clone());
        }
    }
    let mut lines = Vec::with_capacity(spec.transactions);
    for i in 0..spec.transactions {
        let g = dice.below(groups_n);
        let year = spec.first_year + i16::try_from(dice.below(spec.years as usize)).expect("years");
        let income = i % 5 < 2;
        let (source, category) = if income {
            (
                s(IncomeSource::ALL[dice.below(IncomeSource::ALL.len())].as_str()),
                None,
            )
        } else {
            (
                None,
                s(ExpenseCategory::ALL[dice.below(ExpenseCategory::ALL.len())].as_str()),
            )
        };
        let activity = (i % 10 == 0 && !by_group[g].is_empty())
            .then(|| by_group[g][dice.below(by_group[g].len())].clone());
        let input = TransactionInput {
            working_group: s(groups[g].0.clone()),
            date: s(format!(
                "{year}-{:02}-{:02}",
                1 + dice.below(12),
                1 + dice.below(28)
            )),
            direction: s(if income { "income" } else { "expense" }),
            source,
            category,
            amount: s(format!("{}.{:02}", 10 + dice.below(2_500), dice.below(100))),
            activity,
            description: s("Gegenereerd voor de benchmark"),
            ..Default::default()
        };
        lines.push(TransactionDraft::parse(&input)?);
    }
    register.store().insert_transactions(&lines, true).await?;

    Ok(Generated {
        municipality: home.slug.as_str().to_owned(),
        partnerships,
        activities: activities.len(),
        recurring: recurring.len(),
        occurrence_figures: figures.len(),
        transactions: lines.len(),
        subsidies,
    })
}
