//! Reports computed from the register, the activities and the money: figures per year and
//! partnership for a period, the themes the evaluations asked about, continuity, and per
//! evaluation criterion the indicators that bear on it.

use crate::activity::{Category, Direction, is_dormant};
use crate::date::{MAX_YEAR, MIN_YEAR};
use crate::error::ValidationErrors;
use crate::money::{Euros, ExpenseCategory, Flow, IncomeSource, Split, SubsidyKind, leverage};
use crate::partnership::choice;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

choice! {
    /// What an evaluation criterion judges. The 2004 study asked for effectiveness, efficiency
    /// and future possibilities; the 2009 one for usefulness, necessity and functionality.
    /// `Other` is a criterion the report has no indicators for.
    Aspect {
        Effectiveness = "effectiveness",
        Efficiency = "efficiency",
        FuturePossibilities = "future-possibilities",
        Usefulness = "usefulness",
        Necessity = "necessity",
        Functionality = "functionality",
        Other = "other",
    }
}

// ---------------------------------------------------------------------------------------------
// The period and the scope of a report
// ---------------------------------------------------------------------------------------------

/// The longest period a report covers, in years (both ends included).
pub const MAX_REPORT_YEARS: i32 = 100;

/// How long without a held activity before a partnership counts as dormant (months), as in the
/// activities' dormancy flag.
pub const DORMANCY_MONTHS: u16 = 24;

/// The whole calendar years `from..=to` a report covers. Built only valid by [`Period::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    from: i16,
    to: i16,
}

impl Period {
    /// Errors, each on the field it concerns: a year outside `MIN_YEAR..=MAX_YEAR`
    /// (`error-year-out-of-range`), `to` before `from` (`error-end-before-start` on `to`), more
    /// than [`MAX_REPORT_YEARS`] years (`error-years-span-too-long` on `to`).
    pub fn new(from: i16, to: i16) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let in_range = |y: i16| (MIN_YEAR..=MAX_YEAR).contains(&y);
        if !in_range(from) {
            e.push("from", "error-year-out-of-range");
        }
        if !in_range(to) {
            e.push("to", "error-year-out-of-range");
        }
        if e.is_empty() {
            if to < from {
                e.push("to", "error-end-before-start");
            } else if i32::from(to) - i32::from(from) + 1 > MAX_REPORT_YEARS {
                e.push("to", "error-years-span-too-long");
            }
        }
        e.finish(|| Period { from, to })
    }

    pub fn from(&self) -> i16 {
        self.from
    }

    pub fn to(&self) -> i16 {
        self.to
    }

    pub fn contains(&self, year: i16) -> bool {
        (self.from..=self.to).contains(&year)
    }

    pub fn years(&self) -> std::ops::RangeInclusive<i16> {
        self.from..=self.to
    }

    /// How many years the period has.
    pub fn len(&self) -> u32 {
        u32::try_from(i32::from(self.to) - i32::from(self.from) + 1).expect("to is not before from")
    }

    /// Never true: a period has at least one year.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn first_day(&self) -> Date {
        Date::new(self.from, 1, 1).expect("a valid year")
    }

    pub fn last_day(&self) -> Date {
        Date::new(self.to, 12, 31).expect("a valid year")
    }

    /// The two halves compared for trends: the first `n / 2` years and the last `n / 2` years
    /// of a period of `n` years (the middle year of an odd period is in neither); `None` for a
    /// period of one year.
    pub fn halves(&self) -> Option<((i16, i16), (i16, i16))> {
        let h = i16::try_from(self.len() / 2).expect("at most 100 years");
        (h > 0).then(|| ((self.from, self.from + h - 1), (self.to - h + 1, self.to)))
    }
}

/// What a report covers: its period, the day it looks from (the period's last day, or today
/// when that is earlier: an occurrence after it has not been held yet), the partnerships
/// selected (ids), and whether they are all of the municipality's (`whole`): then money that
/// belongs to no selected partnership in particular counts too, under "" in the per-partnership
/// figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub period: Period,
    pub as_of: Date,
    pub partnerships: Vec<String>,
    pub whole: bool,
}

// ---------------------------------------------------------------------------------------------
// The facts a report is computed from
// ---------------------------------------------------------------------------------------------

/// One held occurrence of an activity (an activity that does not recur has one): the caller
/// has decided that it was held ([`crate::activity::occurrence_held`]) and which figures apply
/// (the occurrence's own, else the activity's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityFact {
    pub partnership: String,
    pub start: Date,
    pub end: Date,
    pub category: Category,
    pub direction: Direction,
    pub participants_home: u32,
    pub participants_partner: u32,
    /// The costs recorded for the occurrence (zero when none were).
    pub costs: Euros,
}

/// Municipal money of one budget year: a subsidy's counted amount (settled, else granted) of one
/// kind, already divided over the partnerships it is for; `None` is money for no partnership in
/// particular. The parts add up to the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalFact {
    pub year: i16,
    pub kind: SubsidyKind,
    pub parts: Vec<(Option<String>, Euros)>,
}

impl MunicipalFact {
    pub fn amount(&self) -> Euros {
        self.parts.iter().map(|(_, a)| *a).sum()
    }
}

/// To which partnership a ledger line belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "to", rename_all = "kebab-case")]
pub enum Attribution {
    /// The partnership of the line's activity.
    Partnership(String),
    /// The partnerships the working group carries, in equal parts to the cent by largest
    /// remainder ([`Split`]: the first partnership first between equal remainders).
    Shared(Vec<String>),
    /// None in particular.
    Unattributed,
}

impl Attribution {
    /// The amount divided over the partnerships; the parts add up to `amount` exactly.
    pub fn parts(&self, amount: Euros) -> Vec<(Option<&str>, Euros)> {
        match self {
            Attribution::Partnership(p) => vec![(Some(p.as_str()), amount)],
            Attribution::Shared(ps) => match Split::equal(ps.len()) {
                Ok(split) => ps
                    .iter()
                    .map(|p| Some(p.as_str()))
                    .zip(split.apply(amount, Euros::from_cents(1)))
                    .collect(),
                Err(_) => vec![(None, amount)],
            },
            Attribution::Unattributed => vec![(None, amount)],
        }
    }
}

/// Money in a working group's ledger with the partnership(s) it belongs to: one line, or the
/// sum of a group's lines of one year with the same flow and attribution (a sum is divided
/// over the group's partnerships as one amount, so the parts add up to it exactly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerFact {
    pub year: i16,
    pub flow: Flow,
    pub amount: Euros,
    pub attribution: Attribution,
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// The figures of one year, or of a whole period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Yearly<T> {
    pub year: i16,
    #[serde(flatten)]
    pub figures: T,
}

/// Held activities (each occurrence of a recurring one counts) and their participants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActivityFigures {
    pub activities: u32,
    /// Per selected partnership (id), zero included.
    pub by_partnership: BTreeMap<String, u32>,
    /// Per category and per direction, zero included.
    pub by_category: BTreeMap<Category, u32>,
    pub by_direction: BTreeMap<Direction, u32>,
    pub participants_home: u64,
    pub participants_partner: u64,
    /// The costs recorded with the occurrences.
    pub costs: Euros,
}

impl ActivityFigures {
    fn empty(partnerships: &[String]) -> Self {
        Self {
            by_partnership: partnerships.iter().map(|p| (p.clone(), 0)).collect(),
            by_category: Category::ALL.iter().map(|c| (*c, 0)).collect(),
            by_direction: Direction::ALL.iter().map(|d| (*d, 0)).collect(),
            ..Default::default()
        }
    }

    fn add(&mut self, other: &Self) {
        self.activities += other.activities;
        for (k, v) in &other.by_partnership {
            *self.by_partnership.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.by_category {
            *self.by_category.entry(*k).or_default() += v;
        }
        for (k, v) in &other.by_direction {
            *self.by_direction.entry(*k).or_default() += v;
        }
        self.participants_home += other.participants_home;
        self.participants_partner += other.participants_partner;
        self.costs += other.costs;
    }

    pub fn participants(&self) -> u64 {
        self.participants_home + self.participants_partner
    }
}

/// Money of a year or of the period: municipal cash and in kind, the working groups' income and
/// expenses, and what follows from them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MoneyFigures {
    /// Municipal cash by kind of subsidy (every cash kind, zero included).
    pub cash_by_kind: BTreeMap<SubsidyKind, Euros>,
    /// Municipal cash per selected partnership (zero included); money for none in particular
    /// under "" (only in a report of all the municipality's partnerships, and only when there
    /// is such money).
    pub cash_by_partnership: BTreeMap<String, Euros>,
    pub cash: Euros,
    /// In-kind contributions, valued, apart from cash.
    pub in_kind: Euros,
    /// The working groups' income by source (every source, zero included).
    pub income_by_source: BTreeMap<IncomeSource, Euros>,
    /// Their expenses by category (every category, zero included).
    pub expenses_by_category: BTreeMap<ExpenseCategory, Euros>,
    /// Income from private sources ([`IncomeSource::private`]).
    pub private_income: Euros,
    /// Income from municipal sources ([`IncomeSource::municipal`]).
    pub municipal_income: Euros,
    pub group_income: Euros,
    pub group_expenses: Euros,
    /// Private euros per municipal euro of cash ([`leverage`]).
    pub leverage: Option<Decimal>,
    /// The groups' expenses per participant (home and partner), to the cent.
    pub cost_per_participant: Option<Euros>,
    /// Municipal cash per participant, to the cent.
    pub municipal_cost_per_participant: Option<Euros>,
    /// Municipal cash per held activity, to the cent.
    pub municipal_cost_per_activity: Option<Euros>,
    /// The municipal part of the groups' income (municipal income / all income), 0 to 1.
    pub municipal_share_of_budgets: Option<Decimal>,
}

impl MoneyFigures {
    fn empty(partnerships: &[String]) -> Self {
        Self {
            cash_by_partnership: partnerships
                .iter()
                .map(|p| (p.clone(), Euros::ZERO))
                .collect(),
            cash_by_kind: SubsidyKind::ALL
                .iter()
                .filter(|k| k.is_cash())
                .map(|k| (*k, Euros::ZERO))
                .collect(),
            income_by_source: IncomeSource::ALL
                .iter()
                .map(|s| (*s, Euros::ZERO))
                .collect(),
            expenses_by_category: ExpenseCategory::ALL
                .iter()
                .map(|c| (*c, Euros::ZERO))
                .collect(),
            ..Default::default()
        }
    }

    fn add(&mut self, o: &Self) {
        for (k, v) in &o.cash_by_kind {
            *self.cash_by_kind.entry(*k).or_default() += *v;
        }
        for (k, v) in &o.cash_by_partnership {
            *self.cash_by_partnership.entry(k.clone()).or_default() += *v;
        }
        for (k, v) in &o.income_by_source {
            *self.income_by_source.entry(*k).or_default() += *v;
        }
        for (k, v) in &o.expenses_by_category {
            *self.expenses_by_category.entry(*k).or_default() += *v;
        }
        self.cash += o.cash;
        self.in_kind += o.in_kind;
        self.private_income += o.private_income;
        self.municipal_income += o.municipal_income;
        self.group_income += o.group_income;
        self.group_expenses += o.group_expenses;
    }

    /// The ratios, from the sums and the activities of the same year or period.
    fn derive(&mut self, a: &ActivityFigures) {
        let participants = a.participants();
        self.leverage = leverage(self.private_income, self.cash);
        self.cost_per_participant = per(self.group_expenses, participants);
        self.municipal_cost_per_participant = per(self.cash, participants);
        self.municipal_cost_per_activity = per(self.cash, u64::from(a.activities));
        self.municipal_share_of_budgets = ratio(self.municipal_income, self.group_income);
    }
}

/// The activities of the three themes the evaluations asked about: knowledge transfer, economy
/// and business (the 2004 recommendation), city promotion (the 2009 motives).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThemeFigures {
    pub activities: u32,
    pub knowledge_transfer: u32,
    pub economy: u32,
    pub city_promotion: u32,
    /// The three together.
    pub themed: u32,
    /// Each as a part of all held activities, 0 to 1; `None` without activities.
    pub knowledge_transfer_share: Option<Decimal>,
    pub economy_share: Option<Decimal>,
    pub city_promotion_share: Option<Decimal>,
    pub themed_share: Option<Decimal>,
}

impl ThemeFigures {
    fn of(a: &ActivityFigures) -> Self {
        let n = |c: Category| a.by_category.get(&c).copied().unwrap_or(0);
        let (k, e, c) = (
            n(Category::KnowledgeTransfer),
            n(Category::Economy),
            n(Category::CityPromotion),
        );
        let share = |x: u32| share(x, a.activities);
        ThemeFigures {
            activities: a.activities,
            knowledge_transfer: k,
            economy: e,
            city_promotion: c,
            themed: k + e + c,
            knowledge_transfer_share: share(k),
            economy_share: share(e),
            city_promotion_share: share(c),
            themed_share: share(k + e + c),
        }
    }
}

/// How the share of the three themes moved over the period, defined two ways:
/// - from the first year of the period with held activities to the last one (`first_*`,
///   `last_*`, `change` = last − first);
/// - between the halves of the period ([`Period::halves`]: the first and the last `n / 2`
///   years, the middle year of an odd period in neither), each half's share taken over all its
///   activities together (`change_between_halves` = second − first).
///
/// Changes are differences of shares (0.25 is 25 percentage points); `None` where a share is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThemeMovement {
    pub first_year: Option<i16>,
    pub first_share: Option<Decimal>,
    pub last_year: Option<i16>,
    pub last_share: Option<Decimal>,
    pub change: Option<Decimal>,
    pub halves: Option<((i16, i16), (i16, i16))>,
    pub first_half: Option<ThemeFigures>,
    pub second_half: Option<ThemeFigures>,
    pub change_between_halves: Option<Decimal>,
}

/// Whether a partnership kept up its exchanges: the years of the period (up to the day the
/// report looks from) with and without a held activity, the longest run of years without, the
/// last held activity up to that day (also before the period), and whether it was dormant
/// then ([`is_dormant`], [`DORMANCY_MONTHS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Continuity {
    pub partnership: String,
    pub years_with: Vec<i16>,
    pub years_without: Vec<i16>,
    pub longest_gap: u32,
    pub last_held: Option<Date>,
    pub dormant: bool,
}

/// A report: everything the page and the JSON show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub scope: Scope,
    pub activity_years: Vec<Yearly<ActivityFigures>>,
    pub activities: ActivityFigures,
    pub money_years: Vec<Yearly<MoneyFigures>>,
    pub money: MoneyFigures,
    pub theme_years: Vec<Yearly<ThemeFigures>>,
    pub themes: ThemeFigures,
    pub theme_movement: ThemeMovement,
    pub continuity: Vec<Continuity>,
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

/// `amount / n` to the cent, a half cent away from zero; `None` when `n` is zero.
pub fn per(amount: Euros, n: u64) -> Option<Euros> {
    if n == 0 {
        return None;
    }
    let c = i128::from(amount.cents());
    let n = i128::from(n);
    let (q, r) = (c.abs() / n, c.abs() % n);
    let q = if 2 * r >= n { q + 1 } else { q };
    let cents = i64::try_from(if c < 0 { -q } else { q }).expect("no larger than the amount");
    Some(Euros::from_cents(cents))
}

/// `part / whole` of two amounts; `None` when the whole is not positive.
pub fn ratio(part: Euros, whole: Euros) -> Option<Decimal> {
    if !whole.is_positive() {
        return None;
    }
    Decimal::from(part.cents()).checked_div(Decimal::from(whole.cents()))
}

/// `part / whole` of two counts; `None` when the whole is zero.
pub fn share(part: u32, whole: u32) -> Option<Decimal> {
    (whole > 0).then(|| Decimal::from(part) / Decimal::from(whole))
}

fn difference(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    Some(b? - a?)
}

// ---------------------------------------------------------------------------------------------
// Computing
// ---------------------------------------------------------------------------------------------

/// Computes a report from its facts. Facts outside the scope are left out: activities of
/// partnerships not selected or starting after `scope.as_of` (or the period's last day), money
/// of years outside the period, and parts of money for partnerships not selected (in a report
/// of the whole municipality, those count under "", as money for none in particular does).
/// Activities before the period count only for continuity (the last held date).
pub fn compute(
    scope: &Scope,
    activities: &[ActivityFact],
    municipal: &[MunicipalFact],
    ledger: &[LedgerFact],
) -> Report {
    let period = scope.period;
    let as_of = scope.as_of.min(period.last_day());
    let selected: BTreeSet<&str> = scope.partnerships.iter().map(String::as_str).collect();
    // Where a part of money counts: under its partnership when selected, under "" in a report
    // of the whole municipality, else not at all.
    let bucket = |p: Option<&str>| -> Option<String> {
        match p {
            Some(p) if selected.contains(p) => Some(p.to_owned()),
            _ if scope.whole => Some(String::new()),
            _ => None,
        }
    };

    let mut activity_years: BTreeMap<i16, ActivityFigures> = period
        .years()
        .map(|y| (y, ActivityFigures::empty(&scope.partnerships)))
        .collect();
    let mut last_held: BTreeMap<&str, Date> = BTreeMap::new();
    let mut active: BTreeMap<&str, BTreeSet<i16>> = BTreeMap::new();
    for f in activities {
        let Some(p) = selected.get(f.partnership.as_str()).copied() else {
            continue;
        };
        if f.start > as_of {
            continue;
        }
        let end = f.end.min(as_of);
        let l = last_held.entry(p).or_insert(end);
        *l = (*l).max(end);
        let year = f.start.year();
        let Some(y) = activity_years.get_mut(&year) else {
            continue;
        };
        active.entry(p).or_default().insert(year);
        y.activities += 1;
        *y.by_partnership.entry(p.to_owned()).or_default() += 1;
        *y.by_category.entry(f.category).or_default() += 1;
        *y.by_direction.entry(f.direction).or_default() += 1;
        y.participants_home += u64::from(f.participants_home);
        y.participants_partner += u64::from(f.participants_partner);
        y.costs += f.costs;
    }

    let mut money_years: BTreeMap<i16, MoneyFigures> = period
        .years()
        .map(|y| (y, MoneyFigures::empty(&scope.partnerships)))
        .collect();
    for f in municipal {
        let Some(y) = money_years.get_mut(&f.year) else {
            continue;
        };
        for (p, amount) in &f.parts {
            let Some(key) = bucket(p.as_deref()) else {
                continue;
            };
            if f.kind.is_cash() {
                *y.cash_by_kind.entry(f.kind).or_default() += *amount;
                *y.cash_by_partnership.entry(key).or_default() += *amount;
                y.cash += *amount;
            } else {
                y.in_kind += *amount;
            }
        }
    }
    for f in ledger {
        let Some(y) = money_years.get_mut(&f.year) else {
            continue;
        };
        let counted: Euros = f
            .attribution
            .parts(f.amount)
            .into_iter()
            .filter(|(p, _)| bucket(*p).is_some())
            .map(|(_, a)| a)
            .sum();
        match f.flow {
            Flow::Income(s) => {
                *y.income_by_source.entry(s).or_default() += counted;
                y.group_income += counted;
                if s.private() {
                    y.private_income += counted;
                }
                if s.municipal() {
                    y.municipal_income += counted;
                }
            }
            Flow::Expense(c) => {
                *y.expenses_by_category.entry(c).or_default() += counted;
                y.group_expenses += counted;
            }
        }
    }

    let mut activities_total = ActivityFigures::empty(&scope.partnerships);
    for a in activity_years.values() {
        activities_total.add(a);
    }
    let mut money_total = MoneyFigures::empty(&scope.partnerships);
    for (year, m) in &mut money_years {
        money_total.add(m);
        m.derive(&activity_years[year]);
    }
    money_total.derive(&activities_total);

    let theme_years: Vec<Yearly<ThemeFigures>> = activity_years
        .iter()
        .map(|(year, a)| Yearly {
            year: *year,
            figures: ThemeFigures::of(a),
        })
        .collect();
    let themes = ThemeFigures::of(&activities_total);
    let theme_movement = movement(period, &activity_years, &theme_years);

    let continuity_years: Vec<i16> = period.years().take_while(|y| *y <= as_of.year()).collect();
    let continuity = scope
        .partnerships
        .iter()
        .map(|p| {
            let with = active.get(p.as_str());
            let has = |y: &i16| with.is_some_and(|w| w.contains(y));
            let (years_with, years_without): (Vec<i16>, Vec<i16>) =
                continuity_years.iter().partition(|y| has(y));
            let mut longest = 0u32;
            let mut run = 0u32;
            for y in &continuity_years {
                run = if has(y) { 0 } else { run + 1 };
                longest = longest.max(run);
            }
            let last = last_held.get(p.as_str()).copied();
            Continuity {
                partnership: p.clone(),
                years_with,
                years_without,
                longest_gap: longest,
                last_held: last,
                dormant: is_dormant(last, as_of, DORMANCY_MONTHS),
            }
        })
        .collect();

    Report {
        scope: Scope {
            as_of,
            ..scope.clone()
        },
        activity_years: activity_years
            .into_iter()
            .map(|(year, figures)| Yearly { year, figures })
            .collect(),
        activities: activities_total,
        money_years: money_years
            .into_iter()
            .map(|(year, figures)| Yearly { year, figures })
            .collect(),
        money: money_total,
        theme_years,
        themes,
        theme_movement,
        continuity,
    }
}

fn movement(
    period: Period,
    activity_years: &BTreeMap<i16, ActivityFigures>,
    theme_years: &[Yearly<ThemeFigures>],
) -> ThemeMovement {
    let with_activities = || theme_years.iter().filter(|t| t.figures.activities > 0);
    let first = with_activities().next();
    let last = with_activities().next_back();
    let halves = period.halves();
    let half = |(a, b): (i16, i16)| {
        let mut sum = ActivityFigures::default();
        for (_, f) in activity_years.range(a..=b) {
            sum.add(f);
        }
        ThemeFigures::of(&sum)
    };
    let first_half = halves.map(|(h, _)| half(h));
    let second_half = halves.map(|(_, h)| half(h));
    let first_share = first.and_then(|t| t.figures.themed_share);
    let last_share = last.and_then(|t| t.figures.themed_share);
    ThemeMovement {
        first_year: first.map(|t| t.year),
        first_share,
        last_year: last.map(|t| t.year),
        last_share,
        change: difference(first_share, last_share),
        change_between_halves: difference(
            first_half.as_ref().and_then(|t| t.themed_share),
            second_half.as_ref().and_then(|t| t.themed_share),
        ),
        halves,
        first_half,
        second_half,
    }
}

// ---------------------------------------------------------------------------------------------
// Indicators per evaluation criterion, and comparisons
// ---------------------------------------------------------------------------------------------

/// A figure with its type, so that pages and exports write it right. A difference of counts
/// or years may be negative; a share is a fraction (0.25 is 25 %), a ratio a plain quotient
/// (the leverage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Figure {
    Count(i64),
    Euros(Option<Euros>),
    Ratio(Option<Decimal>),
    Share(Option<Decimal>),
    Years(i64),
}

impl Figure {
    /// `b − a` for two figures of the same type (`None` where either is missing); figures of
    /// different types have no difference.
    pub fn difference(a: Figure, b: Figure) -> Option<Figure> {
        use Figure::*;
        Some(match (a, b) {
            (Count(a), Count(b)) => Count(b - a),
            (Years(a), Years(b)) => Years(b - a),
            (Euros(a), Euros(b)) => Euros(a.zip(b).map(|(a, b)| b - a)),
            (Ratio(a), Ratio(b)) => Ratio(difference(a, b)),
            (Share(a), Share(b)) => Share(difference(a, b)),
            _ => return None,
        })
    }
}

/// A figure that bears on an evaluation criterion. `key` is stable and doubles as the
/// translation key of its label (`indicator-leverage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub key: &'static str,
    pub figure: Figure,
}

fn count(n: impl Into<u64>) -> Figure {
    Figure::Count(i64::try_from(n.into()).unwrap_or(i64::MAX))
}

fn years(n: usize) -> Figure {
    Figure::Years(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The indicators of one kind, from a report.
fn indicator(key: &'static str, r: &Report) -> Indicator {
    let a = &r.activities;
    let m = &r.money;
    let t = &r.themes;
    let halves = r.scope.period.halves();
    let half_sum = |first: bool, f: &dyn Fn(i16) -> i64| -> Option<i64> {
        let ((a1, a2), (b1, b2)) = halves?;
        let (from, to) = if first { (a1, a2) } else { (b1, b2) };
        Some((from..=to).map(f).sum())
    };
    let activities_in = |y: i16| {
        r.activity_years
            .iter()
            .find(|x| x.year == y)
            .map_or(0, |x| i64::from(x.figures.activities))
    };
    let private_in = |y: i16| {
        r.money_years
            .iter()
            .find(|x| x.year == y)
            .map_or(0, |x| x.figures.private_income.cents())
    };
    let figure = match key {
        "indicator-activities" => count(a.activities),
        "indicator-participants" => count(a.participants()),
        "indicator-participants-home" => count(a.participants_home),
        "indicator-participants-partner" => count(a.participants_partner),
        "indicator-partnerships-active" => count(
            r.continuity
                .iter()
                .filter(|c| !c.years_with.is_empty())
                .count() as u64,
        ),
        "indicator-knowledge-transfer-share" => Figure::Share(t.knowledge_transfer_share),
        "indicator-economy-share" => Figure::Share(t.economy_share),
        "indicator-city-promotion-share" => Figure::Share(t.city_promotion_share),
        "indicator-theme-share" => Figure::Share(t.themed_share),
        "indicator-cost-per-participant" => Figure::Euros(m.cost_per_participant),
        "indicator-municipal-cost-per-participant" => {
            Figure::Euros(m.municipal_cost_per_participant)
        }
        "indicator-municipal-cost-per-activity" => Figure::Euros(m.municipal_cost_per_activity),
        "indicator-leverage" => Figure::Ratio(m.leverage),
        "indicator-municipal-cash" => Figure::Euros(Some(m.cash)),
        "indicator-in-kind" => Figure::Euros(Some(m.in_kind)),
        "indicator-private-income" => Figure::Euros(Some(m.private_income)),
        "indicator-group-income" => Figure::Euros(Some(m.group_income)),
        "indicator-group-expenses" => Figure::Euros(Some(m.group_expenses)),
        "indicator-municipal-share-of-budgets" => Figure::Share(m.municipal_share_of_budgets),
        "indicator-activities-first-half" => {
            half_sum(true, &activities_in).map_or(Figure::Count(0), Figure::Count)
        }
        "indicator-activities-second-half" => {
            half_sum(false, &activities_in).map_or(Figure::Count(0), Figure::Count)
        }
        "indicator-activities-change-between-halves" => Figure::Count(
            half_sum(false, &activities_in).unwrap_or(0)
                - half_sum(true, &activities_in).unwrap_or(0),
        ),
        "indicator-theme-share-change" => Figure::Share(r.theme_movement.change),
        "indicator-theme-share-change-between-halves" => {
            Figure::Share(r.theme_movement.change_between_halves)
        }
        "indicator-private-income-change-between-halves" => Figure::Euros(
            half_sum(false, &private_in)
                .zip(half_sum(true, &private_in))
                .map(|(b, a)| Euros::from_cents(b - a)),
        ),
        "indicator-partnerships-dormant" => {
            count(r.continuity.iter().filter(|c| c.dormant).count() as u64)
        }
        "indicator-years-with-activities" => years(
            r.activity_years
                .iter()
                .filter(|y| y.figures.activities > 0)
                .count(),
        ),
        "indicator-longest-gap" => Figure::Years(
            r.continuity
                .iter()
                .map(|c| i64::from(c.longest_gap))
                .max()
                .unwrap_or(0),
        ),
        other => unreachable!("no indicator {other}"),
    };
    Indicator { key, figure }
}

/// The keys of the indicators that bear on each criterion.
pub fn indicator_keys(aspect: Aspect) -> &'static [&'static str] {
    match aspect {
        Aspect::Effectiveness => &[
            "indicator-activities",
            "indicator-participants",
            "indicator-participants-home",
            "indicator-participants-partner",
            "indicator-partnerships-active",
            "indicator-knowledge-transfer-share",
        ],
        Aspect::Efficiency => &[
            "indicator-cost-per-participant",
            "indicator-municipal-cost-per-participant",
            "indicator-municipal-cost-per-activity",
            "indicator-leverage",
        ],
        Aspect::FuturePossibilities => &[
            "indicator-activities-first-half",
            "indicator-activities-second-half",
            "indicator-activities-change-between-halves",
            "indicator-theme-share-change",
            "indicator-theme-share-change-between-halves",
            "indicator-private-income-change-between-halves",
            "indicator-partnerships-dormant",
        ],
        Aspect::Usefulness => &[
            "indicator-knowledge-transfer-share",
            "indicator-economy-share",
            "indicator-city-promotion-share",
            "indicator-theme-share",
            "indicator-participants",
        ],
        Aspect::Necessity => &[
            "indicator-municipal-share-of-budgets",
            "indicator-leverage",
            "indicator-private-income",
            "indicator-municipal-cash",
        ],
        Aspect::Functionality => &[
            "indicator-years-with-activities",
            "indicator-longest-gap",
            "indicator-partnerships-dormant",
            "indicator-partnerships-active",
        ],
        Aspect::Other => &[],
    }
}

/// The figures of a report that bear on an evaluation criterion, so that a new evaluation
/// starts from figures ([`indicator_keys`]; none for [`Aspect::Other`]).
pub fn indicators(aspect: Aspect, report: &Report) -> Vec<Indicator> {
    indicator_keys(aspect)
        .iter()
        .map(|k| indicator(k, report))
        .collect()
}

/// One headline figure of a report (`key` one of [`HEADLINE`] or of [`indicator_keys`]).
pub fn headline(key: &'static str, report: &Report) -> Figure {
    indicator(key, report).figure
}

/// The headline figures compared side by side.
pub const HEADLINE: &[&str] = &[
    "indicator-activities",
    "indicator-participants-home",
    "indicator-participants-partner",
    "indicator-participants",
    "indicator-knowledge-transfer-share",
    "indicator-economy-share",
    "indicator-city-promotion-share",
    "indicator-theme-share",
    "indicator-municipal-cash",
    "indicator-in-kind",
    "indicator-private-income",
    "indicator-group-income",
    "indicator-group-expenses",
    "indicator-leverage",
    "indicator-cost-per-participant",
    "indicator-municipal-cost-per-participant",
    "indicator-municipal-cost-per-activity",
    "indicator-municipal-share-of-budgets",
    "indicator-years-with-activities",
    "indicator-longest-gap",
    "indicator-partnerships-dormant",
];

/// One headline figure of two reports and their difference (`b − a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComparisonLine {
    pub key: &'static str,
    pub a: Figure,
    pub b: Figure,
    pub difference: Figure,
}

/// Two reports side by side (two periods, or two partnerships or sets of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub lines: Vec<ComparisonLine>,
}

/// The headline figures of `a` and `b` with their difference `b − a`.
pub fn compare(a: &Report, b: &Report) -> Comparison {
    Comparison {
        lines: HEADLINE
            .iter()
            .map(|k| {
                let (x, y) = (indicator(k, a).figure, indicator(k, b).figure);
                ComparisonLine {
                    key: k,
                    a: x,
                    b: y,
                    difference: Figure::difference(x, y).expect("the same key, the same type"),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn eur(whole: i64) -> Euros {
        Euros::from_whole(whole)
    }

    fn act(p: &str, start: Date, category: Category, home: u32, partner: u32) -> ActivityFact {
        ActivityFact {
            partnership: p.into(),
            start,
            end: start,
            category,
            direction: Direction::Incoming,
            participants_home: home,
            participants_partner: partner,
            costs: Euros::ZERO,
        }
    }

    fn scope(from: i16, to: i16, ps: &[&str], whole: bool) -> Scope {
        Scope {
            period: Period::new(from, to).unwrap(),
            as_of: date(2026, 6, 1),
            partnerships: ps.iter().map(|p| (*p).to_owned()).collect(),
            whole,
        }
    }

    fn keys(e: ValidationErrors) -> Vec<(&'static str, &'static str)> {
        e.0.iter().map(|f| (f.field, f.key)).collect()
    }

    #[test]
    fn a_period_is_whole_years_in_order_and_at_most_a_century() {
        let p = Period::new(2004, 2008).unwrap();
        assert_eq!(
            (p.len(), p.first_day(), p.last_day()),
            (5, date(2004, 1, 1), date(2008, 12, 31))
        );
        assert_eq!(p.halves(), Some(((2004, 2005), (2007, 2008))));
        assert_eq!(Period::new(2004, 2004).unwrap().halves(), None);
        assert_eq!(Period::new(2001, 2100).unwrap().len(), 100);
        assert_eq!(
            keys(Period::new(2000, 2100).unwrap_err()),
            [("to", "error-years-span-too-long")]
        );
        assert_eq!(
            keys(Period::new(2008, 2004).unwrap_err()),
            [("to", "error-end-before-start")]
        );
        assert_eq!(
            keys(Period::new(999, 2201).unwrap_err()),
            [
                ("from", "error-year-out-of-range"),
                ("to", "error-year-out-of-range")
            ]
        );
    }

    #[test]
    fn per_participant_rounds_half_a_cent_away_from_zero() {
        assert_eq!(per(eur(10), 3), Some(Euros::from_cents(333)));
        assert_eq!(per(eur(20), 3), Some(Euros::from_cents(667)));
        assert_eq!(per(Euros::from_cents(5), 2), Some(Euros::from_cents(3)));
        assert_eq!(per(Euros::from_cents(-5), 2), Some(Euros::from_cents(-3)));
        assert_eq!(per(eur(1), 0), None);
        assert_eq!(ratio(eur(1), Euros::ZERO), None);
        assert_eq!(share(1, 4), Some(Decimal::new(25, 2)));
        assert_eq!(share(0, 0), None);
    }

    #[test]
    fn shared_ledger_lines_are_split_to_the_cent() {
        let shared = Attribution::Shared(vec!["a".into(), "b".into(), "c".into()]);
        let parts = shared.parts(Euros::from_cents(100));
        assert_eq!(
            parts,
            [
                (Some("a"), Euros::from_cents(34)),
                (Some("b"), Euros::from_cents(33)),
                (Some("c"), Euros::from_cents(33)),
            ]
        );
        assert_eq!(Attribution::Shared(vec![]).parts(eur(5)), [(None, eur(5))]);
    }

    /// A small municipality worked out by hand: partnerships a and b, 2004-2007.
    fn example(whole: bool, ps: &[&str]) -> Report {
        use Category::*;
        let acts = [
            act("a", date(2003, 5, 1), Choir, 10, 10), // before the period
            act("a", date(2004, 3, 1), KnowledgeTransfer, 10, 5),
            act("a", date(2004, 9, 1), Sport, 20, 0),
            act("b", date(2004, 12, 1), CityPromotion, 100, 2),
            act("a", date(2007, 4, 1), Economy, 4, 4),
            act("b", date(2007, 12, 1), CityPromotion, 100, 2),
            act("c", date(2005, 1, 1), Economy, 1, 1), // not of the municipality
        ];
        let municipal = [
            MunicipalFact {
                year: 2004,
                kind: SubsidyKind::YearlyBudget,
                parts: vec![
                    (Some("a".into()), Euros::from_cents(50_000)),
                    (Some("b".into()), Euros::from_cents(50_000)),
                ],
            },
            MunicipalFact {
                year: 2004,
                kind: SubsidyKind::InKind,
                parts: vec![(Some("b".into()), eur(300))],
            },
            MunicipalFact {
                year: 2007,
                kind: SubsidyKind::OneOffGrant,
                parts: vec![(None, eur(200))],
            },
            MunicipalFact {
                year: 2009,
                kind: SubsidyKind::YearlyBudget,
                parts: vec![(Some("a".into()), eur(999))],
            },
        ];
        let ledger = [
            LedgerFact {
                year: 2004,
                flow: Flow::Income(IncomeSource::MunicipalSubsidy),
                amount: eur(1000),
                attribution: Attribution::Shared(vec!["a".into(), "b".into()]),
            },
            LedgerFact {
                year: 2004,
                flow: Flow::Income(IncomeSource::Sponsor),
                amount: eur(1500),
                attribution: Attribution::Partnership("a".into()),
            },
            LedgerFact {
                year: 2004,
                flow: Flow::Income(IncomeSource::EuGrant),
                amount: eur(700),
                attribution: Attribution::Partnership("b".into()),
            },
            LedgerFact {
                year: 2004,
                flow: Flow::Expense(ExpenseCategory::Travel),
                amount: Euros::from_cents(100_001),
                attribution: Attribution::Shared(vec!["a".into(), "b".into()]),
            },
        ];
        compute(&scope(2004, 2007, ps, whole), &acts, &municipal, &ledger)
    }

    #[test]
    fn a_report_worked_out_by_hand() {
        let r = example(true, &["a", "b"]);
        let y2004 = &r.activity_years[0].figures;
        assert_eq!(r.activity_years.len(), 4);
        assert_eq!(y2004.activities, 3);
        assert_eq!(y2004.by_partnership["a"], 2);
        assert_eq!(y2004.by_partnership["b"], 1);
        assert_eq!(y2004.participants_home, 130);
        assert_eq!(y2004.participants_partner, 7);
        assert_eq!(r.activities.activities, 5, "not the 2003 one, not c's");
        assert_eq!(r.activities.by_category[&Category::CityPromotion], 2);
        assert_eq!(r.activities.by_category[&Category::Art], 0, "zeros listed");
        // Money of 2004: cash 1000 in halves, the tree apart, the groups' lines.
        let m = &r.money_years[0].figures;
        assert_eq!(m.cash, eur(1000));
        assert_eq!(m.cash_by_kind[&SubsidyKind::YearlyBudget], eur(1000));
        assert!(!m.cash_by_kind.contains_key(&SubsidyKind::InKind));
        assert_eq!(m.in_kind, eur(300));
        assert_eq!(m.group_income, eur(3200));
        assert_eq!(m.income_by_source[&IncomeSource::EuGrant], eur(700));
        assert_eq!(
            m.income_by_source[&IncomeSource::OwnFundraising],
            Euros::ZERO
        );
        assert_eq!(m.private_income, eur(1500));
        assert_eq!(m.municipal_income, eur(1000));
        assert_eq!(m.leverage, Some(Decimal::new(15, 1)));
        assert_eq!(m.municipal_share_of_budgets, Some(Decimal::new(3125, 4)));
        // 1000.01 over 137 participants is 7.2993… → 7.30; 1000 / 137 = 7.2992… → 7.30.
        assert_eq!(m.group_expenses, Euros::from_cents(100_001));
        assert_eq!(m.cost_per_participant, Some(Euros::from_cents(730)));
        assert_eq!(
            m.municipal_cost_per_participant,
            Some(Euros::from_cents(730))
        );
        assert_eq!(
            m.municipal_cost_per_activity,
            Some(Euros::from_cents(33_333))
        );
        // 2007: the one-off grant for no partnership in particular counts in the whole.
        let m2007 = &r.money_years[3].figures;
        assert_eq!(m2007.cash_by_partnership[""], eur(200));
        assert_eq!(r.money.cash, eur(1200), "not 2009's");
        assert_eq!(m2007.leverage, Some(Decimal::ZERO));
        assert_eq!(r.money_years[1].figures.leverage, None, "no cash in 2005");
        // Themes: 2004 two of three, 2007 both; halves 2004-05 and 2006-07.
        assert_eq!(r.theme_years[0].figures.themed, 2);
        assert_eq!(r.themes.themed, 4);
        assert_eq!(r.themes.themed_share, Some(Decimal::new(8, 1)));
        let mv = &r.theme_movement;
        assert_eq!((mv.first_year, mv.last_year), (Some(2004), Some(2007)));
        assert_eq!(mv.last_share, Some(Decimal::ONE));
        assert_eq!(
            mv.change,
            Some(Decimal::ONE - Decimal::from(2) / Decimal::from(3))
        );
        assert_eq!(mv.halves, Some(((2004, 2005), (2006, 2007))));
        assert_eq!(mv.first_half.as_ref().unwrap().activities, 3);
        // Continuity: a held in 2004 and 2007, a gap of two years; dormant at the end of 2007?
        let a = &r.continuity[0];
        assert_eq!(a.years_with, [2004, 2007]);
        assert_eq!(a.years_without, [2005, 2006]);
        assert_eq!(a.longest_gap, 2);
        assert_eq!(a.last_held, Some(date(2007, 4, 1)));
        assert!(!a.dormant);
        assert_eq!(r.scope.as_of, date(2007, 12, 31));
    }

    #[test]
    fn a_part_of_the_municipality_leaves_out_the_rest() {
        let r = example(false, &["b"]);
        assert_eq!(r.activities.activities, 2);
        assert_eq!(
            r.money.cash,
            eur(500),
            "not the grant for none in particular"
        );
        assert!(!r.money.cash_by_partnership.contains_key(""));
        assert_eq!(r.money.group_income, eur(500 + 700));
        assert_eq!(r.money.group_expenses, Euros::from_cents(50_000));
        assert_eq!(r.money.in_kind, eur(300));
        assert_eq!(r.continuity.len(), 1);
    }

    #[test]
    fn every_criterion_but_other_has_indicators() {
        let r = example(true, &["a", "b"]);
        for aspect in Aspect::ALL {
            let found = indicators(*aspect, &r);
            assert_eq!(found.is_empty(), *aspect == Aspect::Other, "{aspect}");
            assert!(found.iter().all(|i| i.key.starts_with("indicator-")));
        }
        let eff = indicators(Aspect::Efficiency, &r);
        assert_eq!(eff[3].key, "indicator-leverage");
        assert_eq!(eff[3].figure, Figure::Ratio(r.money.leverage));
        let future = indicators(Aspect::FuturePossibilities, &r);
        let by = |k: &str| future.iter().find(|i| i.key == k).unwrap().figure;
        assert_eq!(by("indicator-activities-first-half"), Figure::Count(3));
        assert_eq!(by("indicator-activities-second-half"), Figure::Count(2));
        assert_eq!(
            by("indicator-activities-change-between-halves"),
            Figure::Count(-1)
        );
        assert_eq!(
            by("indicator-private-income-change-between-halves"),
            Figure::Euros(Some(eur(-1500)))
        );
        let func = indicators(Aspect::Functionality, &r);
        assert_eq!(func[0].figure, Figure::Years(2));
        assert_eq!(func[1].figure, Figure::Years(2));
        // Every headline key is known.
        for k in HEADLINE {
            let _ = indicator(k, &r);
        }
        let necessity = indicators(Aspect::Necessity, &r);
        assert_eq!(necessity[3].key, "indicator-municipal-cash");
        assert_eq!(necessity[3].figure, Figure::Euros(Some(eur(1200))));
    }

    #[test]
    fn a_comparison_is_b_minus_a() {
        let a = example(false, &["a"]);
        let b = example(false, &["b"]);
        let c = compare(&a, &b);
        assert_eq!(c.lines.len(), HEADLINE.len());
        let line = |k: &str| *c.lines.iter().find(|l| l.key == k).unwrap();
        let acts = line("indicator-activities");
        assert_eq!(
            (acts.a, acts.b, acts.difference),
            (Figure::Count(3), Figure::Count(2), Figure::Count(-1))
        );
        assert_eq!(
            line("indicator-municipal-cash").difference,
            Figure::Euros(Some(Euros::ZERO))
        );
        assert_eq!(
            line("indicator-private-income").difference,
            Figure::Euros(Some(eur(-1500)))
        );
        // a has no leverage in 2004-07 besides 2004: 1500/500; b has 0/500.
        assert_eq!(
            line("indicator-leverage").difference,
            Figure::Ratio(Some(Decimal::from(-3)))
        );
        assert_eq!(
            Figure::difference(Figure::Share(None), Figure::Share(Some(Decimal::ONE))),
            Some(Figure::Share(None))
        );
        assert_eq!(Figure::difference(Figure::Count(1), Figure::Years(1)), None);
    }

    // ---- properties ------------------------------------------------------------------------

    const PS: [&str; 3] = ["p0", "p1", "p2"];

    fn arb_activity() -> impl Strategy<Value = ActivityFact> {
        (
            0..4usize,
            2000i16..2012,
            1u8..=12,
            0..Category::ALL.len(),
            0..Direction::ALL.len(),
            0u32..200,
            0u32..200,
            0i64..100_000,
        )
            .prop_map(|(p, y, m, c, d, h, pa, costs)| ActivityFact {
                // p3 is not selected in any scope.
                partnership: format!("p{p}"),
                start: date(y, i8::try_from(m).unwrap(), 1),
                end: date(y, i8::try_from(m).unwrap(), 28),
                category: Category::ALL[c],
                direction: Direction::ALL[d],
                participants_home: h,
                participants_partner: pa,
                costs: Euros::from_cents(costs),
            })
    }

    fn arb_owner() -> impl Strategy<Value = Option<String>> {
        prop_oneof![Just(None), (0..4usize).prop_map(|p| Some(format!("p{p}")))]
    }

    fn arb_municipal() -> impl Strategy<Value = MunicipalFact> {
        (
            2000i16..2012,
            0..SubsidyKind::ALL.len(),
            prop::collection::vec((arb_owner(), 0i64..5_000_000), 1..4),
        )
            .prop_map(|(year, k, parts)| MunicipalFact {
                year,
                kind: SubsidyKind::ALL[k],
                parts: parts
                    .into_iter()
                    .map(|(p, c)| (p, Euros::from_cents(c)))
                    .collect(),
            })
    }

    fn arb_ledger() -> impl Strategy<Value = LedgerFact> {
        let attribution = prop_oneof![
            Just(Attribution::Unattributed),
            (0..4usize).prop_map(|p| Attribution::Partnership(format!("p{p}"))),
            prop::collection::vec(0..4usize, 0..4).prop_map(|ps| Attribution::Shared(
                ps.into_iter().map(|p| format!("p{p}")).collect()
            )),
        ];
        let flow = prop_oneof![
            (0..IncomeSource::ALL.len()).prop_map(|i| Flow::Income(IncomeSource::ALL[i])),
            (0..ExpenseCategory::ALL.len()).prop_map(|i| Flow::Expense(ExpenseCategory::ALL[i])),
        ];
        (2000i16..2012, flow, 0i64..1_000_000, attribution).prop_map(
            |(year, flow, c, attribution)| LedgerFact {
                year,
                flow,
                amount: Euros::from_cents(c),
                attribution,
            },
        )
    }

    fn arb_facts() -> impl Strategy<Value = (Vec<ActivityFact>, Vec<MunicipalFact>, Vec<LedgerFact>)>
    {
        (
            prop::collection::vec(arb_activity(), 0..60),
            prop::collection::vec(arb_municipal(), 0..20),
            prop::collection::vec(arb_ledger(), 0..40),
        )
    }

    fn in_unit(d: Option<Decimal>) -> bool {
        d.is_none_or(|d| d >= Decimal::ZERO && d <= Decimal::ONE)
    }

    proptest! {
        #[test]
        fn the_years_add_up_to_the_totals(
            (acts, muni, ledger) in arb_facts(),
            from in 2001i16..2008,
            len in 1i16..6,
        ) {
            let r = compute(&scope(from, from + len - 1, &PS, true), &acts, &muni, &ledger);
            let a = &r.activities;
            let ys = || r.activity_years.iter().map(|y| &y.figures);
            prop_assert_eq!(ys().map(|y| y.activities).sum::<u32>(), a.activities);
            prop_assert_eq!(ys().map(|y| y.participants_home).sum::<u64>(), a.participants_home);
            prop_assert_eq!(ys().map(|y| y.participants_partner).sum::<u64>(), a.participants_partner);
            prop_assert_eq!(ys().map(|y| y.costs).sum::<Euros>(), a.costs);
            for y in ys() {
                prop_assert_eq!(y.by_category.values().sum::<u32>(), y.activities);
                prop_assert_eq!(y.by_direction.values().sum::<u32>(), y.activities);
                prop_assert_eq!(y.by_partnership.values().sum::<u32>(), y.activities);
            }
            let ms = || r.money_years.iter().map(|y| &y.figures);
            let m = &r.money;
            prop_assert_eq!(ms().map(|y| y.cash).sum::<Euros>(), m.cash);
            prop_assert_eq!(ms().map(|y| y.in_kind).sum::<Euros>(), m.in_kind);
            prop_assert_eq!(ms().map(|y| y.private_income).sum::<Euros>(), m.private_income);
            prop_assert_eq!(ms().map(|y| y.group_income).sum::<Euros>(), m.group_income);
            prop_assert_eq!(ms().map(|y| y.group_expenses).sum::<Euros>(), m.group_expenses);
            for y in ms().chain([m]) {
                prop_assert_eq!(y.cash_by_kind.values().copied().sum::<Euros>(), y.cash);
                prop_assert_eq!(y.cash_by_partnership.values().copied().sum::<Euros>(), y.cash);
                prop_assert_eq!(y.income_by_source.values().copied().sum::<Euros>(), y.group_income);
                prop_assert_eq!(
                    y.expenses_by_category.values().copied().sum::<Euros>(),
                    y.group_expenses
                );
                prop_assert_eq!(y.income_by_source.len(), IncomeSource::ALL.len());
                prop_assert!(y.private_income + y.municipal_income <= y.group_income);
            }
            // In a report of the whole municipality all money in the period counts.
            let cash: Euros = muni
                .iter()
                .filter(|f| r.scope.period.contains(f.year) && f.kind.is_cash())
                .map(MunicipalFact::amount)
                .sum();
            prop_assert_eq!(m.cash, cash);
            let expenses: Euros = ledger
                .iter()
                .filter(|f| r.scope.period.contains(f.year))
                .filter(|f| matches!(f.flow, Flow::Expense(_)))
                .map(|f| f.amount)
                .sum();
            prop_assert_eq!(m.group_expenses, expenses);
        }

        #[test]
        fn shares_lie_between_nought_and_one((acts, muni, ledger) in arb_facts()) {
            let r = compute(&scope(2001, 2010, &PS, true), &acts, &muni, &ledger);
            for t in r.theme_years.iter().map(|y| &y.figures).chain([&r.themes]) {
                for s in [t.knowledge_transfer_share, t.economy_share, t.city_promotion_share, t.themed_share] {
                    prop_assert!(in_unit(s));
                }
                prop_assert_eq!(t.themed_share.is_some(), t.activities > 0);
            }
            for m in r.money_years.iter().map(|y| &y.figures).chain([&r.money]) {
                prop_assert!(in_unit(m.municipal_share_of_budgets));
            }
            let mv = &r.theme_movement;
            for c in [mv.change, mv.change_between_halves] {
                prop_assert!(c.is_none_or(|c| c.abs() <= Decimal::ONE));
            }
            for c in &r.continuity {
                prop_assert_eq!(c.years_with.len() + c.years_without.len(), 10);
                prop_assert!(c.longest_gap as usize <= c.years_without.len());
            }
        }

        #[test]
        fn partnerships_add_up_to_the_whole((acts, muni, ledger) in arb_facts()) {
            let whole = compute(&scope(2001, 2010, &PS, true), &acts, &muni, &ledger);
            let parts: Vec<Report> = PS
                .iter()
                .map(|p| compute(&scope(2001, 2010, &[p], false), &acts, &muni, &ledger))
                .collect();
            let none = whole.money.cash_by_partnership.get("").copied().unwrap_or_default();
            prop_assert_eq!(parts.iter().map(|r| r.money.cash).sum::<Euros>() + none, whole.money.cash);
            for (p, r) in PS.iter().zip(&parts) {
                prop_assert_eq!(whole.money.cash_by_partnership[*p], r.money.cash);
                prop_assert_eq!(whole.activities.by_partnership[*p], r.activities.activities);
                prop_assert_eq!(&whole.continuity.iter().find(|c| c.partnership == *p).unwrap().years_with, &r.continuity[0].years_with);
            }
            prop_assert_eq!(
                parts.iter().map(|r| r.activities.activities).sum::<u32>(),
                whole.activities.activities
            );
            prop_assert!(parts.iter().map(|r| r.money.group_income).sum::<Euros>() <= whole.money.group_income);
            prop_assert!(parts.iter().map(|r| r.money.in_kind).sum::<Euros>() <= whole.money.in_kind);
        }
    }
}
