//! Money as people enter it: a subsidy, a step of its life cycle, a phase-out schedule and a
//! ledger transaction, each parsed from raw form or JSON input into the types of
//! [`crate::money`]. References to other records (municipality, foundation, partnerships, an
//! activity) stay keys here; the service layer resolves them.

use crate::date::{MAX_YEAR, MIN_YEAR, parse_date};
use crate::error::ValidationErrors;
use crate::money::{
    DocumentRef, Euros, ExpenseCategory, Flow, Fraction, IncomeSource, PhaseOut, PhaseOutMethod,
    Rounding, Split, SubsidyKind, SubsidyStep,
};
use crate::partnership::choice;
use crate::text::Name;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest free text (purpose, conditions, a transaction's description).
pub const MAX_TEXT: usize = 2000;

choice! {
    /// Who grants a subsidy: the municipality (its money counts as municipal money), the
    /// European Union (EU twinning grants), or another body (a province, a fund).
    Grantor {
        Municipality = "municipality",
        Eu = "eu",
        Other = "other",
    }
}

fn text(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn key(e: &mut ValidationErrors, field: &'static str, raw: &Option<String>) -> Option<String> {
    match text(raw) {
        None => None,
        Some(k) if k.len() > 200 || k.chars().any(char::is_control) => {
            e.push(field, "error-choice-invalid");
            None
        }
        Some(k) => Some(k.to_owned()),
    }
}

fn free_text(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
) -> Option<String> {
    let t = text(raw)?;
    if t.chars().count() > MAX_TEXT {
        e.push(field, "error-too-long");
        return None;
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        e.push(field, "error-control-characters");
        return None;
    }
    Some(t.to_owned())
}

fn required<T>(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match text(raw) {
        None => {
            e.push(field, "error-required");
            None
        }
        Some(t) => e.check(field, parse(t)),
    }
}

fn year(raw: &str) -> Result<i16, &'static str> {
    let y: i16 = raw.trim().parse().map_err(|_| "error-year-invalid")?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err("error-year-out-of-range");
    }
    Ok(y)
}

// ---- subsidies ------------------------------------------------------------------------------

/// A subsidy as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubsidyInput {
    /// The municipality whose twinning budget it belongs to (id or slug).
    pub municipality: Option<String>,
    pub grantor: Option<String>,
    /// The receiving foundation (id or slug).
    pub foundation: Option<String>,
    /// Optionally one of its working groups (id or slug).
    pub working_group: Option<String>,
    pub kind: Option<String>,
    pub purpose: Option<String>,
    /// The budget year.
    pub year: Option<String>,
    /// The partnerships it is for (ids); empty: for no partnership in particular (the overview lists it apart).
    pub partnerships: Vec<String>,
    /// The phase-out schedule it follows (id).
    pub schedule: Option<String>,
    /// The activity it pays for (id).
    pub activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubsidyDraft {
    pub municipality: String,
    pub grantor: Grantor,
    pub foundation: String,
    pub working_group: Option<String>,
    pub kind: SubsidyKind,
    pub purpose: Name,
    pub year: i16,
    pub partnerships: Vec<String>,
    pub schedule: Option<String>,
    pub activity: Option<String>,
}

impl SubsidyDraft {
    pub fn parse(i: &SubsidyInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let municipality = key(&mut e, "municipality", &i.municipality);
        if municipality.is_none() && !e.has("municipality") {
            e.push("municipality", "error-required");
        }
        let grantor = match text(&i.grantor) {
            None => Some(Grantor::Municipality),
            Some(g) => e.check("grantor", Grantor::parse(g)),
        };
        let foundation = key(&mut e, "foundation", &i.foundation);
        if foundation.is_none() && !e.has("foundation") {
            e.push("foundation", "error-required");
        }
        let working_group = key(&mut e, "workingGroup", &i.working_group);
        let kind = required(&mut e, "kind", &i.kind, SubsidyKind::parse);
        let purpose = required(&mut e, "purpose", &i.purpose, Name::parse);
        let year = required(&mut e, "year", &i.year, year);
        let mut partnerships = Vec::new();
        if i.partnerships.len() > Split::MAX_PARTS {
            e.push("partnerships", "error-split-too-many");
        }
        for p in i.partnerships.iter().take(Split::MAX_PARTS) {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            if p.len() > 200 || p.chars().any(char::is_control) {
                e.push("partnerships", "error-choice-invalid");
            } else if !partnerships.iter().any(|x| x == p) {
                partnerships.push(p.to_owned());
            }
        }
        let schedule = key(&mut e, "schedule", &i.schedule);
        let activity = key(&mut e, "activity", &i.activity);
        if kind == Some(SubsidyKind::InKind) && grantor == Some(Grantor::Eu) {
            e.push("kind", "error-subsidy-eu-in-kind");
        }
        // An EU grant is the EU's money, never the municipality's (it would count as municipal
        // money in the overview and the leverage).
        if kind == Some(SubsidyKind::EuGrant) && grantor != Some(Grantor::Eu) && grantor.is_some() {
            e.push("grantor", "error-subsidy-eu-grantor");
        }
        e.finish(|| SubsidyDraft {
            municipality: municipality.expect("checked"),
            grantor: grantor.expect("checked"),
            foundation: foundation.expect("checked"),
            working_group,
            kind: kind.expect("checked"),
            purpose: purpose.expect("checked"),
            year: year.expect("checked"),
            partnerships,
            schedule,
            activity,
        })
    }
}

/// A step of a subsidy's life cycle as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepInput {
    pub step: Option<String>,
    pub date: Option<String>,
    pub document: Option<String>,
    /// The amount asked for, granted, paid in advance or settled (by the step).
    pub amount: Option<String>,
    /// The grant's conditions, one per line.
    pub conditions: Option<String>,
    /// The deadline of the accountability report (report-due).
    pub due_on: Option<String>,
    /// The decision that allows a settlement above the grant.
    pub allowed_by: Option<String>,
}

/// Reads a step; the life cycle ([`crate::money::SubsidyLifeCycle::apply`]) then decides
/// whether it may be taken.
pub fn parse_step(i: &StepInput) -> Result<SubsidyStep, ValidationErrors> {
    use crate::money::StepKind as K;
    let mut e = ValidationErrors::default();
    let kind = required(&mut e, "step", &i.step, K::parse);
    let date = required(&mut e, "date", &i.date, parse_date);
    let document = required(&mut e, "document", &i.document, DocumentRef::parse);
    let needs_amount = matches!(
        kind,
        Some(K::Application | K::GrantDecision | K::AdvancePayment | K::Settlement)
    );
    let amount = if needs_amount {
        required(&mut e, "amount", &i.amount, Euros::parse)
    } else {
        None
    };
    let due_on = if kind == Some(K::ReportDue) {
        required(&mut e, "dueOn", &i.due_on, parse_date)
    } else {
        None
    };
    let conditions: Vec<String> = free_text(&mut e, "conditions", &i.conditions)
        .map(|c| {
            c.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let allowed_by = match text(&i.allowed_by) {
        None => None,
        Some(t) => e.check("allowedBy", DocumentRef::parse(t)),
    };
    e.finish(|| {
        let date = date.expect("checked");
        let document = document.expect("checked");
        match kind.expect("checked") {
            K::Application => SubsidyStep::Application {
                date,
                document,
                requested: amount.expect("checked"),
            },
            K::Refusal => SubsidyStep::Refusal { date, document },
            K::GrantDecision => SubsidyStep::GrantDecision {
                date,
                document,
                amount: amount.expect("checked"),
                conditions,
            },
            K::AdvancePayment => SubsidyStep::AdvancePayment {
                date,
                document,
                amount: amount.expect("checked"),
            },
            K::ReportDue => SubsidyStep::ReportDue {
                date,
                document,
                due_on: due_on.expect("checked"),
            },
            K::ReportReceived => SubsidyStep::ReportReceived { date, document },
            K::Settlement => SubsidyStep::Settlement {
                date,
                document,
                amount: amount.expect("checked"),
                allowed_by_decision: allowed_by,
            },
            K::Closing => SubsidyStep::Closing { date, document },
        }
    })
}

// ---- phase-out schedules ----------------------------------------------------------------------

/// A phase-out schedule as entered (or asked to compute).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleInput {
    pub municipality: Option<String>,
    pub name: Option<String>,
    pub base: Option<String>,
    pub base_year: Option<String>,
    pub years: Option<String>,
    /// `linear` (the default) or `fractions`.
    pub method: Option<String>,
    /// For `fractions`: one per year after the base year, "2/3, 1/3, 0" or "0,5; 0,25; 0".
    pub fractions: Option<String>,
    /// The partnerships the amount is split over (ids, in order).
    pub partnerships: Vec<String>,
    /// Optional weights, one per partnership; empty: equal shares.
    pub weights: Vec<String>,
    /// A [`Rounding`] code; default whole euros, half up.
    pub rounding: Option<String>,
    /// The decision it follows (a reference).
    pub decided_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleDraft {
    pub municipality: String,
    pub name: Name,
    pub phase_out: PhaseOut,
    pub partnerships: Vec<String>,
    pub decided_by: Option<DocumentRef>,
}

/// Reads the computation's inputs. `stored` asks for what a stored schedule needs besides
/// (a municipality and a name).
pub fn parse_schedule(i: &ScheduleInput, stored: bool) -> Result<ScheduleDraft, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let municipality = key(&mut e, "municipality", &i.municipality);
    let name = match text(&i.name) {
        Some(n) => e.check("name", Name::parse(n)),
        None if stored => {
            e.push("name", "error-required");
            None
        }
        None => Some(Name::parse("schedule").expect("a name")),
    };
    if stored && municipality.is_none() && !e.has("municipality") {
        e.push("municipality", "error-required");
    }
    let base = required(&mut e, "base", &i.base, Euros::parse);
    let base_year = required(&mut e, "baseYear", &i.base_year, year);
    let years = required(&mut e, "years", &i.years, |y| {
        y.parse::<u8>().map_err(|_| "error-phase-out-years")
    });
    let method = match text(&i.method).unwrap_or("linear") {
        "linear" => Some(PhaseOutMethod::LinearToZero),
        "fractions" => match text(&i.fractions) {
            None => {
                e.push("fractions", "error-required");
                None
            }
            Some(raw) => {
                let mut out = Vec::new();
                let mut bad = false;
                for part in raw.split([';', '\n']).flat_map(|p| {
                    // "2/3, 1/3, 0" separates by commas; a Dutch "0,5" has no slash and one comma.
                    if p.contains('/') {
                        p.split(',').map(str::to_owned).collect::<Vec<_>>()
                    } else {
                        vec![p.to_owned()]
                    }
                }) {
                    let part = part.trim();
                    if part.is_empty() {
                        continue;
                    }
                    match Fraction::parse(part) {
                        Ok(f) => out.push(f),
                        Err(k) => {
                            e.push("fractions", k);
                            bad = true;
                            break;
                        }
                    }
                }
                (!bad).then_some(PhaseOutMethod::FixedFractions(out))
            }
        },
        _ => {
            e.push("method", "error-choice-invalid");
            None
        }
    };
    let mut partnerships: Vec<String> = Vec::new();
    if i.partnerships.len() > Split::MAX_PARTS {
        e.push("partnerships", "error-split-too-many");
    }
    if i.weights.len() > Split::MAX_PARTS {
        e.push("weights", "error-split-too-many");
    }
    for p in i.partnerships.iter().take(Split::MAX_PARTS) {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        if p.len() > 200 || p.chars().any(char::is_control) {
            e.push("partnerships", "error-choice-invalid");
        } else if partnerships.iter().any(|x| x == p) {
            e.push("partnerships", "error-partnership-twice");
        } else {
            partnerships.push(p.to_owned());
        }
    }
    let weights: Vec<&str> = i
        .weights
        .iter()
        .take(Split::MAX_PARTS)
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
        .collect();
    let split = if weights.is_empty() {
        e.check("partnerships", Split::equal(partnerships.len().max(1)))
    } else if weights.len() != partnerships.len() {
        e.push("weights", "error-split-weights-count");
        None
    } else {
        let parsed: Result<Vec<u32>, _> = weights.iter().map(|w| w.parse::<u32>()).collect();
        match parsed {
            Ok(ws) => e.check("weights", Split::weighted(ws)),
            Err(_) => {
                e.push("weights", "error-split-weight-invalid");
                None
            }
        }
    };
    let rounding = match text(&i.rounding) {
        None => Some(Rounding::WholeEurosHalfUp),
        Some(r) => e.check("rounding", Rounding::parse(r)),
    };
    let decided_by = match text(&i.decided_by) {
        None => None,
        Some(d) => e.check("decidedBy", DocumentRef::parse(d)),
    };
    if !e.is_empty() {
        return Err(e);
    }
    let phase_out = PhaseOut::new(
        base.expect("checked"),
        base_year.expect("checked"),
        years.expect("checked"),
        method.expect("checked"),
        split.expect("checked"),
        rounding.expect("checked"),
    )?;
    Ok(ScheduleDraft {
        municipality: municipality.unwrap_or_default(),
        name: name.expect("checked"),
        phase_out,
        partnerships,
        decided_by,
    })
}

// ---- transactions -----------------------------------------------------------------------------

choice! {
    /// Income or expense.
    Direction {
        Income = "income",
        Expense = "expense",
    }
}

/// A line of a working group's ledger as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TransactionInput {
    /// The working group whose ledger it is (id or slug).
    pub working_group: Option<String>,
    pub date: Option<String>,
    /// `income` or `expense`.
    pub direction: Option<String>,
    /// For income: an [`IncomeSource`] code.
    pub source: Option<String>,
    /// For expenses: an [`ExpenseCategory`] code.
    pub category: Option<String>,
    /// Not negative, at most two decimals.
    pub amount: Option<String>,
    pub activity: Option<String>,
    pub subsidy: Option<String>,
    pub description: Option<String>,
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionDraft {
    pub working_group: String,
    pub date: Date,
    pub flow: Flow,
    pub amount: Euros,
    pub activity: Option<String>,
    pub subsidy: Option<String>,
    pub description: Option<String>,
    pub document: Option<DocumentRef>,
}

impl TransactionDraft {
    pub fn parse(i: &TransactionInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let working_group = key(&mut e, "workingGroup", &i.working_group);
        if working_group.is_none() && !e.has("workingGroup") {
            e.push("workingGroup", "error-required");
        }
        let date = required(&mut e, "date", &i.date, parse_date);
        let direction = required(&mut e, "direction", &i.direction, Direction::parse);
        let flow = match direction {
            Some(Direction::Income) => {
                if text(&i.category).is_some() {
                    e.push("category", "error-transaction-category-on-income");
                }
                required(&mut e, "source", &i.source, IncomeSource::parse).map(Flow::Income)
            }
            Some(Direction::Expense) => {
                if text(&i.source).is_some() {
                    e.push("source", "error-transaction-source-on-expense");
                }
                required(&mut e, "category", &i.category, ExpenseCategory::parse).map(Flow::Expense)
            }
            None => None,
        };
        let amount = required(&mut e, "amount", &i.amount, Euros::parse);
        if amount.is_some_and(|a| a.is_zero()) {
            e.push("amount", "error-amount-zero");
        }
        let activity = key(&mut e, "activity", &i.activity);
        let subsidy = key(&mut e, "subsidy", &i.subsidy);
        let description = free_text(&mut e, "description", &i.description);
        let document = match text(&i.document) {
            None => None,
            Some(d) => e.check("document", DocumentRef::parse(d)),
        };
        e.finish(|| TransactionDraft {
            working_group: working_group.expect("checked"),
            date: date.expect("checked"),
            flow: flow.expect("checked"),
            amount: amount.expect("checked"),
            activity,
            subsidy,
            description,
            document,
        })
    }
}

impl fmt::Display for TransactionDraft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?} {}", self.date, self.flow, self.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn keys(e: ValidationErrors) -> Vec<(&'static str, &'static str)> {
        e.0.iter().map(|f| (f.field, f.key)).collect()
    }

    #[test]
    fn the_seeds_schedule_is_read_from_a_form() {
        let d = parse_schedule(
            &ScheduleInput {
                municipality: s("leidschendam-voorburg"),
                name: s("Afbouw subsidie stedenbanden"),
                base: s("24.490"),
                base_year: s("2012"),
                years: s("3"),
                partnerships: vec!["a".into(), "b".into(), "c".into()],
                ..Default::default()
            },
            true,
        )
        .unwrap();
        let totals: Vec<i64> = d
            .phase_out
            .compute()
            .years
            .iter()
            .map(|y| y.total.cents() / 100)
            .collect();
        assert_eq!(totals, [24_490, 16_327, 8_163, 0]);
        let f = parse_schedule(
            &ScheduleInput {
                base: s("24490"),
                base_year: s("2012"),
                years: s("3"),
                method: s("fractions"),
                fractions: s("2/3, 1/3, 0"),
                ..Default::default()
            },
            false,
        )
        .unwrap();
        assert_eq!(
            f.phase_out.compute().totals(),
            d.phase_out.compute().totals()
        );
    }

    #[test]
    fn bad_schedules_name_their_fields() {
        let e = parse_schedule(
            &ScheduleInput {
                base: s("-5"),
                base_year: s("twintig"),
                years: s("0"),
                method: s("fractions"),
                fractions: s("1/3, 2/3"),
                partnerships: vec!["a".into()],
                weights: vec!["1".into(), "2".into()],
                rounding: s("round-ish"),
                ..Default::default()
            },
            true,
        )
        .unwrap_err();
        let k = keys(e);
        for expected in [
            ("name", "error-required"),
            ("municipality", "error-required"),
            ("base", "error-amount-negative"),
            ("baseYear", "error-year-invalid"),
            ("weights", "error-split-weights-count"),
            ("rounding", "error-choice-invalid"),
        ] {
            assert!(k.contains(&expected), "{expected:?} in {k:?}");
        }
    }

    #[test]
    fn a_step_needs_what_its_kind_needs() {
        let grant = parse_step(&StepInput {
            step: s("grant-decision"),
            date: s("2012-01-15"),
            document: s("BW-2012-004"),
            amount: s("24.490,00"),
            conditions: s("verantwoording vóór 1 april 2013\n\nactiviteiten voor alle drie"),
            ..Default::default()
        })
        .unwrap();
        match grant {
            SubsidyStep::GrantDecision {
                amount, conditions, ..
            } => {
                assert_eq!(amount, Euros::from_whole(24_490));
                assert_eq!(conditions.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        let e = parse_step(&StepInput {
            step: s("settlement"),
            date: s("2013-05-01"),
            document: s("x"),
            amount: s("12,3456"),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(keys(e), [("amount", "error-amount-cents")]);
        let e = parse_step(&StepInput {
            step: s("report-due"),
            date: s("2013-01-01"),
            document: s("x"),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(keys(e), [("dueOn", "error-required")]);
        let e = parse_step(&StepInput {
            step: s("grant-decision"),
            date: s("2012-01-15"),
            document: s("x"),
            amount: s("veel"),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(keys(e), [("amount", "error-amount-invalid")]);
    }

    #[test]
    fn transactions_are_income_from_a_source_or_expenses_for_a_category() {
        let t = TransactionDraft::parse(&TransactionInput {
            working_group: s("werkgroep-hranice"),
            date: s("2016-03-01"),
            direction: s("income"),
            source: s("sponsor"),
            amount: s("€ 250,-"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(t.flow, Flow::Income(IncomeSource::Sponsor));
        assert_eq!(t.amount, Euros::from_whole(250));
        let e = TransactionDraft::parse(&TransactionInput {
            working_group: s("werkgroep-hranice"),
            date: s("2016-03-01"),
            direction: s("expense"),
            source: s("sponsor"),
            amount: s("-20"),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            keys(e),
            [
                ("source", "error-transaction-source-on-expense"),
                ("category", "error-required"),
                ("amount", "error-amount-negative"),
            ]
        );
        let e = TransactionDraft::parse(&TransactionInput {
            working_group: s("werkgroep-hranice"),
            date: s("2016-03-01"),
            direction: s("expense"),
            category: s("catering"),
            amount: s("12.5.0"),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(keys(e), [("amount", "error-amount-invalid")]);
    }
}
