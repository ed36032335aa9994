//! Reports computed from the data for a period and a set of a municipality's partnerships:
//! held activities per year and partnership, participants, municipal and private money, the
//! themes the evaluations asked about, continuity, and per evaluation criterion the
//! indicators that bear on it (the arithmetic is the domain's, [`stedenband_domain::report`]).
//!
//! What counts is what the other overviews count, so that the figures agree:
//! - a held occurrence as in [`crate::Activities::numbers_per_year`]
//!   ([`occurrence_held`], with the occurrence's own figures, else the activity's);
//! - municipal money as in [`crate::money::Money::municipal_overview`]: subsidies granted by
//!   the municipality in their budget year, settled else granted, in kind apart, divided over
//!   the partnerships by the schedule's parts or in equal parts to the cent;
//! - the ledger lines of the working groups of the municipality's foundations, each to the
//!   partnership of the activity it is booked on, else divided over the group's partnerships
//!   in equal parts to the cent (largest remainder; a group's lines of one year and flow
//!   together, so the parts add up to the year's sum exactly).
//!
//! Visibility: the municipality's officials and the board of its foundation(s) see figures of
//! all activities; the public and other accounts those of public activities only. Money
//! aggregates are public, as the municipal overview is.
//!
//! The data is read in a handful of queries whatever the size (per 500 partnerships or
//! groups): the countable activities of the selected partnerships and their occurrence
//! figures, the subsidies with their steps, the schedules, the working groups, and their
//! ledger lines with the partnership of the activity each is booked on.

use crate::organisation::today;
use crate::{AppError, Caller, PartnershipView, Register};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use stedenband_domain::activity::occurrence_held;
use stedenband_domain::funding::Grantor;
use stedenband_domain::money::{Euros, Split, SubsidyLifeCycle};
use stedenband_domain::organisation::Foundation;
use stedenband_domain::report::{
    ActivityFact, Attribution, Comparison, LedgerFact, MunicipalFact, Period, Report, Scope,
    compare, compute,
};
use stedenband_domain::{Action, Municipality, ValidationErrors};
use stedenband_store::{
    CountedFilter, PageRequest, ScheduleRecord, Store, StoreError, SubsidyRecord,
};

/// What a report covers: whole years `from..=to` (at most a hundred) and partnerships by id
/// (none: all of the municipality's, its predecessors' included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportParams {
    pub from: i16,
    pub to: i16,
    pub partnerships: Vec<String>,
}

/// A computed report with what it covers.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub municipality: Municipality,
    /// The partnerships covered, in the register's order.
    pub partnerships: Vec<PartnershipView>,
    /// Whether activities that are not public count (the caller may see them).
    pub includes_internal: bool,
    pub report: Report,
}

/// Two reports side by side with their differences (`b − a`).
#[derive(Debug, Clone)]
pub struct ComparisonView {
    pub a: ReportView,
    pub b: ReportView,
    pub comparison: Comparison,
}

/// The field names under which the errors of a parameter set are reported: the first set's
/// (`from`, `to`, `partnerships`) or, in a comparison, the second's (`otherFrom`, `otherTo`,
/// `otherPartnerships`).
#[derive(Clone, Copy)]
enum Fields {
    First,
    Other,
}

impl Fields {
    fn name(self, field: &'static str) -> &'static str {
        match (self, field) {
            (Fields::First, f) => f,
            (Fields::Other, "from") => "otherFrom",
            (Fields::Other, "to") => "otherTo",
            (Fields::Other, "partnerships") => "otherPartnerships",
            (Fields::Other, f) => f,
        }
    }
}

/// The municipality and its partnerships, looked up once for one or two reports.
struct Context {
    municipality: Municipality,
    partnerships: Vec<PartnershipView>,
}

#[derive(Clone, Debug)]
pub struct Reports {
    register: Register,
}

impl Reports {
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    fn store(&self) -> &Store {
        self.register.store()
    }

    /// A report of a municipality (id or slug) for a period and partnerships. An unknown
    /// municipality is [`AppError::NotFound`]; a bad period (`from`, `to`) or a partnership
    /// that is not the municipality's (`partnerships`) is [`AppError::Invalid`].
    #[tracing::instrument(skip(self, caller))]
    pub async fn report(
        &self,
        caller: &Caller,
        municipality: &str,
        params: &ReportParams,
    ) -> Result<ReportView, AppError> {
        let cx = self.context(municipality).await?;
        let (period, selected) = checked(&cx, params, Fields::First)?;
        self.compute(caller, &cx, period, selected).await
    }

    /// Two reports of one municipality side by side: two periods, or two partnerships (or
    /// sets of them). Errors as [`Reports::report`], those of `b` under `otherFrom`,
    /// `otherTo` and `otherPartnerships`; both sets are checked before anything is computed.
    #[tracing::instrument(skip(self, caller))]
    pub async fn compare(
        &self,
        caller: &Caller,
        municipality: &str,
        a: &ReportParams,
        b: &ReportParams,
    ) -> Result<ComparisonView, AppError> {
        let cx = self.context(municipality).await?;
        let first = checked(&cx, a, Fields::First);
        let other = checked(&cx, b, Fields::Other);
        let ((pa, sa), (pb, sb)) = match (first, other) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(mut e), Err(o)) => {
                e.0.extend(o.0);
                return Err(e.into());
            }
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let (a, b) = tokio::try_join!(
            self.compute(caller, &cx, pa, sa),
            self.compute(caller, &cx, pb, sb),
        )?;
        Ok(ComparisonView {
            comparison: compare(&a.report, &b.report),
            a,
            b,
        })
    }

    async fn context(&self, municipality: &str) -> Result<Context, AppError> {
        let m = self
            .register
            .find_municipality(municipality)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut partnerships = Vec::new();
        for number in 1.. {
            let page = self
                .register
                .partnerships(
                    Some(&m.id.0),
                    PageRequest::new(number, PageRequest::MAX_SIZE),
                )
                .await?;
            let last = number >= page.pages() || page.items.is_empty();
            partnerships.extend(page.items);
            if last {
                break;
            }
        }
        Ok(Context {
            municipality: m,
            partnerships,
        })
    }

    async fn compute(
        &self,
        caller: &Caller,
        cx: &Context,
        period: Period,
        selected: Vec<PartnershipView>,
    ) -> Result<ReportView, AppError> {
        let m = &cx.municipality;
        let holder = self.register.holder(&m.id).await?;
        let foundations = self.store().foundations(Some(&m.id)).await?;
        let includes_internal = caller.require_login().is_ok()
            && (self.register.allows(
                caller,
                &Action::ReadActivity {
                    municipality: holder,
                    groups: vec![],
                },
            ) || foundations.iter().any(|f| {
                self.register.allows(
                    caller,
                    &Action::ManageFoundation {
                        foundation: f.id.clone(),
                    },
                )
            }));
        let now = today();
        let as_of = period.last_day().min(now);
        let ids: Vec<String> = selected
            .iter()
            .map(|p| p.partnership.id.0.clone())
            .collect();
        let whole = selected.len() == cx.partnerships.len();

        // Read concurrently: the countable activities with their figures, the subsidies, the
        // ledgers.
        let filter = CountedFilter {
            partnerships: &ids,
            to: as_of,
            public_only: !includes_internal,
        };
        let (activity_facts, municipal_facts, ledger_facts) = tokio::try_join!(
            self.activity_facts(&filter, now),
            self.municipal_facts(m, period),
            self.ledger_facts(&foundations, period),
        )?;

        let scope = Scope {
            period,
            as_of,
            partnerships: ids,
            whole,
        };
        Ok(ReportView {
            municipality: m.clone(),
            partnerships: selected,
            includes_internal,
            report: compute(&scope, &activity_facts, &municipal_facts, &ledger_facts),
        })
    }

    /// Each held occurrence up to `filter.to` (also before the period: the last held date),
    /// held as [`occurrence_held`] says, with its own figures, else the activity's.
    async fn activity_facts(
        &self,
        filter: &CountedFilter<'_>,
        now: Date,
    ) -> Result<Vec<ActivityFact>, AppError> {
        let (activities, figures) = tokio::try_join!(
            self.store().counted_activities(filter),
            self.store().counted_figures(filter),
        )?;
        let mut out = Vec::with_capacity(activities.len());
        for a in &activities {
            let recorded = figures.get(&a.id).map_or(&[][..], Vec::as_slice);
            for o in a
                .schedule
                .occurrences(a.recurrence.as_ref(), a.schedule.start, filter.to)
            {
                let f = recorded.iter().find(|f| f.occurrence_on == o.start);
                let cancelled = f.is_some_and(|f| f.cancelled);
                if !occurrence_held(a.status, a.recurrence.is_some(), o.start, cancelled, now) {
                    continue;
                }
                let costs = match f.and_then(|f| f.costs) {
                    Some(c) => Euros::from_decimal(c)
                        .map_err(|_| StoreError::Corrupt(format!("activity {} costs", a.id)))?,
                    None => Euros::ZERO,
                };
                out.push(ActivityFact {
                    partnership: a.partnership.clone(),
                    start: o.start,
                    end: o.end,
                    category: a.category,
                    direction: a.direction,
                    participants_home: f
                        .and_then(|f| f.participants_home)
                        .unwrap_or(a.participants_home),
                    participants_partner: f
                        .and_then(|f| f.participants_partner)
                        .unwrap_or(a.participants_partner),
                    costs,
                });
            }
        }
        Ok(out)
    }

    /// The municipality's subsidies of the period's budget years, counted and divided over
    /// their partnerships as the municipal overview does.
    async fn municipal_facts(
        &self,
        m: &Municipality,
        period: Period,
    ) -> Result<Vec<MunicipalFact>, AppError> {
        let (schedules, subsidies) = tokio::try_join!(
            self.store().schedules(Some(&m.id.0)),
            self.store().subsidies(Some(&m.id.0)),
        )?;
        let schedules: BTreeMap<String, ScheduleRecord> =
            schedules.into_iter().map(|s| (s.id.clone(), s)).collect();
        let mut out = Vec::new();
        for r in subsidies {
            let d = &r.draft;
            if d.grantor != Grantor::Municipality || !period.contains(d.year) {
                continue;
            }
            let life = SubsidyLifeCycle::replay(d.kind, r.steps.clone())
                .map_err(|(i, e)| StoreError::Corrupt(format!("subsidy {} step {i}: {e}", r.id)))?;
            let counted = life.settled().or(life.granted()).unwrap_or(Euros::ZERO);
            out.push(MunicipalFact {
                year: d.year,
                kind: d.kind,
                parts: split_over_partnerships(&r, counted, &schedules),
            });
        }
        Ok(out)
    }

    /// The ledgers of the working groups of the municipality's foundations in the period: to
    /// the partnership of the activity a line is booked on, else shared by the group's
    /// partnerships (a group's lines of a year and flow together).
    async fn ledger_facts(
        &self,
        foundations: &[Foundation],
        period: Period,
    ) -> Result<Vec<LedgerFact>, AppError> {
        let mut groups = BTreeMap::new();
        for f in foundations {
            for g in self.store().working_groups(Some(&f.id)).await? {
                let ps = g.draft.partnerships.iter().map(|p| p.0.clone()).collect();
                groups.insert(g.id, Attribution::Shared(ps));
            }
        }
        if groups.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<String> = groups.keys().cloned().collect();
        let lines = self
            .store()
            .counted_lines(&ids, period.first_day(), period.last_day())
            .await?;
        Ok(lines
            .into_iter()
            .map(|t| LedgerFact {
                year: t.year,
                flow: t.flow,
                amount: t.amount,
                attribution: match t.activity_partnership {
                    Some(p) => Attribution::Partnership(p),
                    None => groups
                        .get(&t.working_group)
                        .cloned()
                        .unwrap_or(Attribution::Unattributed),
                },
            })
            .collect())
    }
}

/// Checks a parameter set against the municipality: the period, and every partnership one of
/// its own. Returns the period and the partnerships selected (in the register's order).
fn checked(
    cx: &Context,
    params: &ReportParams,
    fields: Fields,
) -> Result<(Period, Vec<PartnershipView>), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let period = match Period::new(params.from, params.to) {
        Ok(p) => Some(p),
        Err(errors) => {
            for f in errors.0 {
                e.push(fields.name(f.field), f.key);
            }
            None
        }
    };
    let wanted: BTreeSet<&str> = params.partnerships.iter().map(|p| p.trim()).collect();
    if wanted
        .iter()
        .any(|w| !cx.partnerships.iter().any(|p| p.partnership.id.0 == *w))
    {
        e.push(fields.name("partnerships"), "error-partnership-not-own");
    }
    let selected = cx
        .partnerships
        .iter()
        .filter(|p| wanted.is_empty() || wanted.contains(p.partnership.id.0.as_str()))
        .cloned()
        .collect();
    e.finish(|| (period.expect("checked"), selected))
}

/// How a subsidy's counted amount is divided over its partnerships, exactly as the municipal
/// overview divides it (`money::split_over_partnerships`): by its schedule's parts when the
/// amount is the schedule's total for the year and the partnerships are the schedule's, else
/// in equal parts to the cent (largest remainder, the first partnership first); money for no
/// partnership in particular under `None`. Tested against the overview, year by year and
/// partnership by partnership.
fn split_over_partnerships(
    r: &SubsidyRecord,
    counted: Euros,
    schedules: &BTreeMap<String, ScheduleRecord>,
) -> Vec<(Option<String>, Euros)> {
    let d = &r.draft;
    if let Some(s) = d.schedule.as_ref().and_then(|s| schedules.get(s)) {
        let computed = s.draft.phase_out.compute();
        if let Some(y) = computed.years.iter().find(|y| y.year == d.year)
            && y.total == counted
            && s.draft.partnerships.len() == y.parts.len()
            && {
                let mut a = s.draft.partnerships.clone();
                let mut b = d.partnerships.clone();
                a.sort();
                b.sort();
                a == b
            }
        {
            return s
                .draft
                .partnerships
                .iter()
                .cloned()
                .map(Some)
                .zip(y.parts.iter().copied())
                .collect();
        }
    }
    if d.partnerships.is_empty() {
        return vec![(None, counted)];
    }
    let split = Split::equal(d.partnerships.len()).expect("one or more");
    d.partnerships
        .iter()
        .cloned()
        .map(Some)
        .zip(split.apply(counted, Euros::from_cents(1)))
        .collect()
}
