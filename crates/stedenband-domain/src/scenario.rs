//! Policy options as scenarios: a set of changes from given dates, projected per year over a
//! horizon, compared side by side, and turned into the effects that adopting one carries out.
//!
//! A scenario starts from the present situation ([`Baseline`]): the municipality's recurring
//! money lines (yearly budget subsidies and contributions, cash or in kind, each perhaps to a
//! working group), its staff capacity in hours a year, each partnership's status, and each
//! working group's usual expenses and usual income without the municipal part. A change sets a
//! partnership's status from a date, a money line's yearly amount for a range of years (zero
//! switches it off or stops it), or the staff capacity for a range of years. The projection gives
//! per year the cost of each line, cash and in-kind totals, the staff capacity, every
//! partnership's status at the end of the year, and each working group's funding gap: usual
//! expenses minus usual income without the municipal part, and what remains of it after the
//! municipal money the scenario gives the group.

use crate::date::{MAX_YEAR, MIN_YEAR, parse_date};
use crate::decision::{Rule, RuleKind};
use crate::error::{ValidationErrors, given};
use crate::money::Euros;
use crate::partnership::{PartnershipStatus, choice};
use crate::text::Name;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// At most this many changes in a scenario.
pub const MAX_CHANGES: usize = 50;
/// The longest horizon, in years.
pub const MAX_HORIZON: i16 = 30;
/// Staff capacity above this many hours a year (about 25 full-time jobs) is a typing error.
pub const MAX_HOURS: u32 = 40_000;

choice! {
    /// What a money line is.
    LineKind {
        Budget = "budget",
        Subsidy = "subsidy",
        Contribution = "contribution",
    }
}

choice! {
    /// The kinds of change.
    ChangeKind {
        Status = "status",
        Line = "line",
        Staff = "staff",
    }
}

macro_rules! change_fields {
    ($($i:literal)+) => {
        const KIND: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].kind")),+];
        const PARTNERSHIP: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].partnership")),+];
        const STATUS: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].status")),+];
        const ON: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].on")),+];
        const LINE: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].line")),+];
        const LINE_KIND: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].lineKind")),+];
        const GROUP: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].workingGroup")),+];
        const FROM: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].from")),+];
        const TO: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].to")),+];
        const AMOUNT: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].amount")),+];
        const HOURS: [&str; MAX_CHANGES] = [$(concat!("changes[", $i, "].hours")),+];
    };
}

change_fields!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33
    34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49
);

/// The field names of change `i`: kind, partnership, status, on, line, lineKind, workingGroup,
/// from, to, amount, hours.
pub fn change_fields(i: usize) -> Option<[&'static str; 11]> {
    (i < MAX_CHANGES).then(|| {
        [
            KIND[i],
            PARTNERSHIP[i],
            STATUS[i],
            ON[i],
            LINE[i],
            LINE_KIND[i],
            GROUP[i],
            FROM[i],
            TO[i],
            AMOUNT[i],
            HOURS[i],
        ]
    })
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Change {
    /// A partnership's status from a date.
    Status {
        partnership: String,
        status: PartnershipStatus,
        on: Date,
    },
    /// A money line's yearly amount from `from` to `to` (both included; open: to the horizon's
    /// end). Zero switches a budget line off or stops a subsidy or contribution.
    Line {
        line: Name,
        line_kind: LineKind,
        working_group: Option<String>,
        in_kind: bool,
        from: i16,
        to: Option<i16>,
        amount: Euros,
    },
    /// Staff capacity in hours a year from `from` to `to`.
    Staff {
        from: i16,
        to: Option<i16>,
        hours: u32,
    },
}

impl Change {
    /// The first year the change takes effect.
    pub fn first_year(&self) -> i16 {
        match self {
            Change::Status { on, .. } => on.year(),
            Change::Line { from, .. } | Change::Staff { from, .. } => *from,
        }
    }

    fn covers(from: i16, to: Option<i16>, year: i16) -> bool {
        from <= year && to.is_none_or(|t| year <= t)
    }
}

/// A change as entered (all strings; `kind` says which fields count).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeInput {
    pub kind: Option<String>,
    pub partnership: Option<String>,
    pub status: Option<String>,
    pub on: Option<String>,
    pub line: Option<String>,
    pub line_kind: Option<String>,
    pub working_group: Option<String>,
    pub in_kind: Option<bool>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub amount: Option<String>,
    pub hours: Option<String>,
}

impl ChangeInput {
    fn is_blank(&self) -> bool {
        [
            &self.kind,
            &self.partnership,
            &self.status,
            &self.on,
            &self.line,
            &self.line_kind,
            &self.working_group,
            &self.from,
            &self.to,
            &self.amount,
            &self.hours,
        ]
        .iter()
        .all(|f| given(f).is_none())
    }
}

/// A scenario as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScenarioInput {
    pub municipality: Option<String>,
    /// A short code: "A", "B", "C".
    pub code: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Whether this is the option the proposal recommends.
    pub proposed: Option<bool>,
    pub horizon_from: Option<String>,
    pub horizon_to: Option<String>,
    pub changes: Vec<ChangeInput>,
}

/// The valid content of a scenario; references (municipality, partnerships, working groups)
/// are checked by the service layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioDraft {
    pub municipality: String,
    pub code: String,
    pub title: Name,
    pub description: Option<String>,
    pub proposed: bool,
    pub horizon: Horizon,
    pub changes: Vec<Change>,
}

/// The years a scenario is projected over, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Horizon {
    pub from: i16,
    pub to: i16,
}

impl Horizon {
    pub fn new(from: i16, to: i16) -> Result<Self, &'static str> {
        for y in [from, to] {
            if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
                return Err("error-year-out-of-range");
            }
        }
        if to < from {
            return Err("error-horizon-reversed");
        }
        if to - from >= MAX_HORIZON {
            return Err("error-horizon-too-long");
        }
        Ok(Self { from, to })
    }

    pub fn years(&self) -> impl Iterator<Item = i16> + use<> {
        self.from..=self.to
    }
}

fn year(raw: &str) -> Result<i16, &'static str> {
    let y: i16 = raw.trim().parse().map_err(|_| "error-year-invalid")?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err("error-year-out-of-range");
    }
    Ok(y)
}

fn reference(raw: &str) -> Result<String, &'static str> {
    if raw.len() > 200 || raw.chars().any(char::is_control) {
        Err("error-choice-invalid")
    } else {
        Ok(raw.trim().to_owned())
    }
}

fn code(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.chars().count() > 10 {
        Err("error-too-long")
    } else if !s.chars().all(|c| c.is_alphanumeric() || c == '-') {
        Err("error-scenario-code-invalid")
    } else {
        Ok(s.to_owned())
    }
}

fn hours(raw: &str) -> Result<u32, &'static str> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|h| *h <= MAX_HOURS)
        .ok_or("error-hours-invalid")
}

fn required<T>(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match given(raw) {
        None => {
            e.push(field, "error-required");
            None
        }
        Some(t) => e.check(field, parse(t)),
    }
}

fn parse_change(
    e: &mut ValidationErrors,
    c: &ChangeInput,
    f: [&'static str; 11],
    horizon: Option<Horizon>,
) -> Option<Change> {
    let [fk, fp, fs, fo, fl, flk, fg, ff, ft, fa, fh] = f;
    let kind = e.check(fk, ChangeKind::parse(given(&c.kind).unwrap_or("")))?;
    let range = |e: &mut ValidationErrors| {
        let from = required(e, ff, &c.from, year);
        let to = given(&c.to).and_then(|t| e.check(ft, year(t)));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.push(ft, "error-horizon-reversed");
        }
        if let (Some(f), Some(h)) = (from, horizon)
            && f > h.to
        {
            e.push(ff, "error-change-outside-horizon");
        }
        (from, to)
    };
    match kind {
        ChangeKind::Status => {
            let partnership = required(e, fp, &c.partnership, reference);
            let status = e.check(fs, PartnershipStatus::parse(given(&c.status).unwrap_or("")));
            let on = required(e, fo, &c.on, parse_date);
            Some(Change::Status {
                partnership: partnership?,
                status: status?,
                on: on?,
            })
        }
        ChangeKind::Line => {
            let line = e.check(fl, Name::parse(given(&c.line).unwrap_or("")));
            let line_kind = e.check(flk, LineKind::parse(given(&c.line_kind).unwrap_or("")));
            let working_group = given(&c.working_group).and_then(|g| e.check(fg, reference(g)));
            let (from, to) = range(e);
            let amount = required(e, fa, &c.amount, Euros::parse);
            Some(Change::Line {
                line: line?,
                line_kind: line_kind?,
                working_group,
                in_kind: c.in_kind.unwrap_or(false),
                from: from?,
                to,
                amount: amount?,
            })
        }
        ChangeKind::Staff => {
            let (from, to) = range(e);
            let hours = required(e, fh, &c.hours, hours);
            Some(Change::Staff {
                from: from?,
                to,
                hours: hours?,
            })
        }
    }
}

impl ScenarioDraft {
    pub fn parse(input: &ScenarioInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let municipality = required(&mut e, "municipality", &input.municipality, reference);
        let code = required(&mut e, "code", &input.code, code);
        let title = e.check("title", Name::parse(given(&input.title).unwrap_or("")));
        let description = given(&input.description).and_then(|d| {
            e.check(
                "description",
                crate::decision::parse_text(d, crate::decision::MAX_TEXT),
            )
        });
        let from = required(&mut e, "horizonFrom", &input.horizon_from, year);
        let to = required(&mut e, "horizonTo", &input.horizon_to, year);
        let horizon = match (from, to) {
            (Some(f), Some(t)) => e.check("horizonTo", Horizon::new(f, t)),
            _ => None,
        };
        if input.changes.len() > MAX_CHANGES {
            e.push("changes", "error-too-many");
        }
        let mut changes = Vec::new();
        for (i, c) in input.changes.iter().enumerate().take(MAX_CHANGES) {
            if c.is_blank() {
                continue;
            }
            let f = change_fields(i).expect("within MAX_CHANGES");
            if let Some(c) = parse_change(&mut e, c, f, horizon) {
                changes.push(c);
            }
        }
        e.finish(|| ScenarioDraft {
            municipality: municipality.expect("checked"),
            code: code.expect("checked"),
            title: title.expect("checked"),
            description,
            proposed: input.proposed.unwrap_or(false),
            horizon: horizon.expect("checked"),
            changes,
        })
    }
}

// ---- the present situation and the projection -------------------------------------------------

/// A money line: its name, what it is, to which working group, cash or in kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineKey {
    pub line: String,
    pub line_kind: LineKind,
    pub working_group: Option<String>,
    pub in_kind: bool,
}

/// A working group's usual money: yearly expenses and income without the municipal part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupUsual {
    pub working_group: String,
    pub expenses: Euros,
    pub income_without_municipal: Euros,
}

/// The present situation a scenario changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Baseline {
    /// Recurring lines with their yearly amount.
    pub lines: Vec<(LineKey, Euros)>,
    pub staff_hours: u32,
    /// Each partnership of the municipality (id) with its status today.
    pub statuses: Vec<(String, PartnershipStatus)>,
    pub groups: Vec<GroupUsual>,
}

/// A working group's funding gap in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Usual expenses minus usual income without the municipal part.
    pub gap: Euros,
    /// The municipal cash the scenario gives the group that year.
    pub municipal: Euros,
    /// What is left to find elsewhere (negative: a surplus).
    pub remaining: Euros,
}

/// One year of a projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearProjection {
    pub year: i16,
    /// The amount of each line of [`Projection::lines`], in that order.
    pub lines: Vec<Euros>,
    pub cash: Euros,
    pub in_kind: Euros,
    pub staff_hours: u32,
    /// The status of each partnership of [`Projection::partnerships`] at the year's end.
    pub statuses: Vec<PartnershipStatus>,
    /// The gap of each group of [`Projection::groups`].
    pub gaps: Vec<Gap>,
}

/// A scenario projected over its horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Projection {
    pub lines: Vec<LineKey>,
    pub partnerships: Vec<String>,
    pub groups: Vec<String>,
    pub years: Vec<YearProjection>,
}

impl Projection {
    /// The totals over the horizon: cash, in kind, staff hours.
    pub fn totals(&self) -> (Euros, Euros, u64) {
        self.years
            .iter()
            .fold((Euros::ZERO, Euros::ZERO, 0u64), |(c, k, h), y| {
                (c + y.cash, k + y.in_kind, h + u64::from(y.staff_hours))
            })
    }
}

/// Projects the baseline with `changes` over `horizon`. Later changes in the list win where
/// they overlap earlier ones; status changes apply in date order.
pub fn project(baseline: &Baseline, changes: &[Change], horizon: Horizon) -> Projection {
    // Every line: the baseline's, then those the changes add, in order of first mention.
    let mut lines: Vec<LineKey> = baseline.lines.iter().map(|(k, _)| k.clone()).collect();
    for c in changes {
        if let Change::Line {
            line,
            line_kind,
            working_group,
            in_kind,
            ..
        } = c
        {
            let key = LineKey {
                line: line.as_str().to_owned(),
                line_kind: *line_kind,
                working_group: working_group.clone(),
                in_kind: *in_kind,
            };
            if !lines.contains(&key) {
                lines.push(key);
            }
        }
    }
    let partnerships: Vec<String> = baseline.statuses.iter().map(|(p, _)| p.clone()).collect();
    let groups: Vec<String> = baseline
        .groups
        .iter()
        .map(|g| g.working_group.clone())
        .collect();
    let mut status_changes: Vec<(Date, &str, PartnershipStatus)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Status {
                partnership,
                status,
                on,
            } => Some((*on, partnership.as_str(), *status)),
            _ => None,
        })
        .collect();
    status_changes.sort_by_key(|(on, _, _)| *on);
    let years = horizon
        .years()
        .map(|year| {
            let amounts: Vec<Euros> = lines
                .iter()
                .map(|key| {
                    let mut amount = baseline
                        .lines
                        .iter()
                        .find(|(k, _)| k == key)
                        .map_or(Euros::ZERO, |(_, a)| *a);
                    for c in changes {
                        if let Change::Line {
                            line,
                            line_kind,
                            working_group,
                            in_kind,
                            from,
                            to,
                            amount: a,
                        } = c
                            && line.as_str() == key.line
                            && *line_kind == key.line_kind
                            && *working_group == key.working_group
                            && *in_kind == key.in_kind
                            && Change::covers(*from, *to, year)
                        {
                            amount = *a;
                        }
                    }
                    amount
                })
                .collect();
            let (mut cash, mut in_kind) = (Euros::ZERO, Euros::ZERO);
            for (k, a) in lines.iter().zip(&amounts) {
                if k.in_kind {
                    in_kind += *a;
                } else {
                    cash += *a;
                }
            }
            let mut staff_hours = baseline.staff_hours;
            for c in changes {
                if let Change::Staff { from, to, hours } = c
                    && Change::covers(*from, *to, year)
                {
                    staff_hours = *hours;
                }
            }
            let statuses = baseline
                .statuses
                .iter()
                .map(|(p, s)| {
                    status_changes
                        .iter()
                        .rfind(|(on, q, _)| *q == p.as_str() && on.year() <= year)
                        .map_or(*s, |(_, _, st)| *st)
                })
                .collect();
            let gaps = baseline
                .groups
                .iter()
                .map(|g| {
                    let gap = g.expenses - g.income_without_municipal;
                    let municipal = lines
                        .iter()
                        .zip(&amounts)
                        .filter(|(k, _)| {
                            !k.in_kind && k.working_group.as_deref() == Some(&g.working_group)
                        })
                        .fold(Euros::ZERO, |s, (_, a)| s + *a);
                    Gap {
                        gap,
                        municipal,
                        remaining: gap - municipal,
                    }
                })
                .collect();
            YearProjection {
                year,
                lines: amounts,
                cash,
                in_kind,
                staff_hours,
                statuses,
                gaps,
            }
        })
        .collect();
    Projection {
        lines,
        partnerships,
        groups,
        years,
    }
}

// ---- comparison ----------------------------------------------------------------------------------

/// One year of several scenarios side by side: each one's cash, in kind and staff hours, and
/// each one's municipal cost (cash plus in kind) minus the first scenario's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComparedYear {
    pub year: i16,
    pub cash: Vec<Euros>,
    pub in_kind: Vec<Euros>,
    pub staff_hours: Vec<u32>,
    pub difference: Vec<Euros>,
}

/// Projections (over the same horizon) side by side, year by year. Years missing in one are
/// counted as zero.
pub fn compare(projections: &[&Projection]) -> Vec<ComparedYear> {
    let mut years: BTreeMap<i16, ComparedYear> = BTreeMap::new();
    let n = projections.len();
    for (i, p) in projections.iter().enumerate() {
        for y in &p.years {
            let row = years.entry(y.year).or_insert_with(|| ComparedYear {
                year: y.year,
                cash: vec![Euros::ZERO; n],
                in_kind: vec![Euros::ZERO; n],
                staff_hours: vec![0; n],
                difference: vec![Euros::ZERO; n],
            });
            row.cash[i] = y.cash;
            row.in_kind[i] = y.in_kind;
            row.staff_hours[i] = y.staff_hours;
        }
    }
    years
        .into_values()
        .map(|mut row| {
            let first = row.cash.first().copied().unwrap_or(Euros::ZERO)
                + row.in_kind.first().copied().unwrap_or(Euros::ZERO);
            row.difference = (0..n)
                .map(|i| row.cash[i] + row.in_kind[i] - first)
                .collect();
            row
        })
        .collect()
}

// ---- adoption ------------------------------------------------------------------------------------

/// What adopting a scenario changes, in the order it is carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Effect {
    /// A partnership's status changes on a date (a status-change entry in its history).
    Status {
        partnership: String,
        from: PartnershipStatus,
        to: PartnershipStatus,
        on: Date,
    },
    /// The municipality's plan for a year: a money line's amount.
    PlanLine {
        year: i16,
        #[serde(flatten)]
        key: LineKey,
        amount: Euros,
    },
    /// The municipality's plan for a year: staff capacity.
    PlanStaff { year: i16, hours: u32 },
    /// A new rule from a date, imposed by the adopting decision.
    ImposeRule { rule: RuleKind, from: Date },
    /// An existing rule (id) lifted by the adopting decision.
    LiftRule { rule: String, rule_kind: RuleKind },
}

/// The effects of adopting `draft` by a decision of `decided`, given the present situation and
/// the municipality's rules: each status change that changes something; the plan (every line
/// and the staff capacity per year of the horizon); *no budget line* from a budget line
/// switched off and *no staff capacity* from capacity set to zero (from the year's first day,
/// but not before the decision), unless such a rule already holds then; and the lifting of the
/// rules in force that a change contradicts: *no budget line* by a budget line switched on,
/// *no staff capacity* by hours, *subsidy ends* by a subsidy line with an amount. Only rules
/// imposed on or before the decision's date are lifted.
pub fn effects(
    baseline: &Baseline,
    draft: &ScenarioDraft,
    projection: &Projection,
    rules: &[Rule],
    decided: Date,
) -> Vec<Effect> {
    let mut out = Vec::new();
    let mut current: BTreeMap<&str, PartnershipStatus> = baseline
        .statuses
        .iter()
        .map(|(p, s)| (p.as_str(), *s))
        .collect();
    let mut status_changes: Vec<(&Date, &String, &PartnershipStatus)> = draft
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Status {
                partnership,
                status,
                on,
            } => Some((on, partnership, status)),
            _ => None,
        })
        .collect();
    status_changes.sort_by_key(|(on, _, _)| **on);
    for (on, p, to) in status_changes {
        if let Some(from) = current.get_mut(p.as_str())
            && *from != *to
        {
            out.push(Effect::Status {
                partnership: p.clone(),
                from: *from,
                to: *to,
                on: *on,
            });
            *from = *to;
        }
    }
    for y in &projection.years {
        for (key, amount) in projection.lines.iter().zip(&y.lines) {
            out.push(Effect::PlanLine {
                year: y.year,
                key: key.clone(),
                amount: *amount,
            });
        }
        out.push(Effect::PlanStaff {
            year: y.year,
            hours: y.staff_hours,
        });
    }
    let mut imposed: Vec<RuleKind> = Vec::new();
    let mut lifted: Vec<String> = Vec::new();
    for c in &draft.changes {
        let (kind, off, from) = match c {
            Change::Line {
                line_kind: LineKind::Budget,
                amount,
                from,
                ..
            } => (RuleKind::NoBudgetLine, amount.is_zero(), *from),
            Change::Line {
                line_kind: LineKind::Subsidy,
                amount,
                from,
                ..
            } if !amount.is_zero() => (RuleKind::SubsidyEnds, false, *from),
            Change::Staff { hours, from, .. } => (RuleKind::NoStaffCapacity, *hours == 0, *from),
            _ => continue,
        };
        let Ok(day) = Date::new(from, 1, 1) else {
            continue;
        };
        let day = day.max(decided);
        let holding: Vec<&Rule> = rules
            .iter()
            .filter(|r| {
                r.kind == kind
                    && r.lifted_by.is_none()
                    && r.imposed_by.date <= decided
                    && (r.from <= day || r.kind == RuleKind::SubsidyEnds)
            })
            .collect();
        if off {
            if holding.is_empty() && !imposed.contains(&kind) {
                imposed.push(kind);
                out.push(Effect::ImposeRule {
                    rule: kind,
                    from: day,
                });
            }
        } else {
            for r in holding {
                if !lifted.contains(&r.id) {
                    lifted.push(r.id.clone());
                    out.push(Effect::LiftRule {
                        rule: r.id.clone(),
                        rule_kind: r.kind,
                    });
                }
            }
        }
    }
    out
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn key(line: &str, group: Option<&str>, in_kind: bool) -> LineKey {
        LineKey {
            line: line.into(),
            line_kind: LineKind::Contribution,
            working_group: group.map(Into::into),
            in_kind,
        }
    }

    fn baseline() -> Baseline {
        Baseline {
            lines: vec![(key("Kerstboom", None, true), Euros::from_whole(6_500))],
            staff_hours: 0,
            statuses: vec![
                ("h".into(), PartnershipStatus::Active),
                ("k".into(), PartnershipStatus::Active),
            ],
            groups: vec![GroupUsual {
                working_group: "wh".into(),
                expenses: Euros::from_whole(5_000),
                income_without_municipal: Euros::from_whole(3_000),
            }],
        }
    }

    fn input(changes: Vec<ChangeInput>) -> ScenarioInput {
        ScenarioInput {
            municipality: Some("m".into()),
            code: Some("B".into()),
            title: Some("Nieuw leven inblazen".into()),
            horizon_from: Some("2019".into()),
            horizon_to: Some("2022".into()),
            changes,
            ..Default::default()
        }
    }

    #[test]
    fn a_scenario_projects_lines_staff_statuses_and_gaps() {
        let draft = ScenarioDraft::parse(&input(vec![
            ChangeInput {
                kind: Some("line".into()),
                line: Some("Subsidie werkgroep Hranice".into()),
                line_kind: Some("subsidy".into()),
                working_group: Some("wh".into()),
                from: Some("2020".into()),
                amount: Some("1500".into()),
                ..Default::default()
            },
            ChangeInput {
                kind: Some("staff".into()),
                from: Some("2020".into()),
                to: Some("2021".into()),
                hours: Some("200".into()),
                ..Default::default()
            },
            ChangeInput {
                kind: Some("status".into()),
                partnership: Some("k".into()),
                status: Some("civil-society-only".into()),
                on: Some("2021-07-01".into()),
                ..Default::default()
            },
        ]))
        .unwrap();
        let p = project(&baseline(), &draft.changes, draft.horizon);
        assert_eq!(p.lines.len(), 2);
        let cash: Vec<i64> = p.years.iter().map(|y| y.cash.cents()).collect();
        assert_eq!(cash, vec![0, 150_000, 150_000, 150_000]);
        let in_kind: Vec<i64> = p.years.iter().map(|y| y.in_kind.cents()).collect();
        assert_eq!(in_kind, vec![650_000; 4]);
        let staff: Vec<u32> = p.years.iter().map(|y| y.staff_hours).collect();
        assert_eq!(staff, vec![0, 200, 200, 0]);
        assert_eq!(p.years[1].statuses[1], PartnershipStatus::Active);
        assert_eq!(p.years[2].statuses[1], PartnershipStatus::CivilSocietyOnly);
        assert_eq!(p.years[0].gaps[0].remaining, Euros::from_whole(2_000));
        assert_eq!(p.years[1].gaps[0].remaining, Euros::from_whole(500));
        let effects = effects(&baseline(), &draft, &p, &[], date(2019, 1, 1));
        assert_eq!(
            effects[0],
            Effect::Status {
                partnership: "k".into(),
                from: PartnershipStatus::Active,
                to: PartnershipStatus::CivilSocietyOnly,
                on: date(2021, 7, 1)
            }
        );
        // Two lines and the staff for each of four years.
        assert_eq!(effects.len(), 1 + 4 * 3);
    }

    #[test]
    fn comparison_gives_the_difference_to_the_first() {
        let a = project(&baseline(), &[], Horizon::new(2019, 2020).unwrap());
        let b_changes = vec![Change::Line {
            line: Name::parse("Budget").unwrap(),
            line_kind: LineKind::Budget,
            working_group: None,
            in_kind: false,
            from: 2020,
            to: None,
            amount: Euros::from_whole(24_490),
        }];
        let b = project(&baseline(), &b_changes, Horizon::new(2019, 2020).unwrap());
        let rows = compare(&[&a, &b]);
        assert_eq!(rows[0].difference, vec![Euros::ZERO, Euros::ZERO]);
        assert_eq!(
            rows[1].difference,
            vec![Euros::ZERO, Euros::from_whole(24_490)]
        );
    }

    #[test]
    fn bad_changes_are_named() {
        let e = ScenarioDraft::parse(&input(vec![
            ChangeInput {
                kind: Some("status".into()),
                status: Some("gone".into()),
                ..Default::default()
            },
            ChangeInput {
                kind: Some("staff".into()),
                from: Some("2030".into()),
                hours: Some("-3".into()),
                ..Default::default()
            },
        ]))
        .unwrap_err();
        for f in [
            "changes[0].partnership",
            "changes[0].status",
            "changes[0].on",
            "changes[1].from",
            "changes[1].hours",
        ] {
            assert!(e.has(f), "{f}: {e}");
        }
        let mut i = input(vec![]);
        i.horizon_to = Some("2010".into());
        assert!(ScenarioDraft::parse(&i).unwrap_err().has("horizonTo"));
    }

    #[test]
    fn switching_off_imposes_and_switching_on_lifts() {
        let draft = ScenarioDraft::parse(&input(vec![ChangeInput {
            kind: Some("staff".into()),
            from: Some("2019".into()),
            hours: Some("0".into()),
            ..Default::default()
        }]))
        .unwrap();
        let p = project(&baseline(), &draft.changes, draft.horizon);
        let e = effects(&baseline(), &draft, &p, &[], date(2018, 6, 1));
        assert!(e.contains(&Effect::ImposeRule {
            rule: RuleKind::NoStaffCapacity,
            from: date(2019, 1, 1)
        }));
    }
}
