//! The money API: subsidies through their Awb life cycle, the public subsidy register, the
//! working groups' ledgers, phase-out schedules (stored, or computed for given inputs without
//! storing) and the municipal money per year.
//!
//! Every amount goes out as an integer number of euro cents in a field whose name ends in
//! `Cents` (`grantedCents: 2449000` is EUR 24,490.00); a ratio (the leverage) as a decimal
//! string. Amounts come in as text in Dutch or English notation (`"24490.00"`, `"24.490,00"`,
//! `"€ 25,-"`), at most two decimals and never negative; JSON numbers are not taken for amounts,
//! so that no amount ever passes through floating point. Years and counts may be sent as text or
//! as whole JSON numbers.
//!
//! Every handler calls one use case of [`stedenband_app::money::Money`], which decides the
//! rights: the municipality's officials record its subsidies and schedules, the foundation's
//! board records income and expenses of its working groups, a ledger is read by the board, the
//! group's members and the municipality's officials. The public reads the subsidy register, the
//! schedules, the overview and where each subsidy stands, never a subsidy's file (its steps and
//! documents) or a ledger.

use super::created;
use super::dto::{FoundationRef, MunicipalityRef, WorkingGroupRef};
use super::extract::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use stedenband_app::money::{
    AbruptStop, GroupYear, Ledger, LedgerLine, Money, MunicipalOverview, MunicipalYear,
    RegisterLine, ScheduleView, SubsidyView,
};
use stedenband_app::organisation::today;
use stedenband_app::{AppError, PartnershipView};
use stedenband_domain::ValidationErrors;
use stedenband_domain::date::{MAX_YEAR, MIN_YEAR, parse_date};
use stedenband_domain::funding::{ScheduleInput, StepInput, SubsidyInput, TransactionInput};
use stedenband_domain::money::{
    Euros, FinalBalance, Flow, PhaseOutMethod, PhaseOutSchedule, ScheduleYear, SubsidyStep,
};
use stedenband_store::TransactionRecord;
use utoipa::{IntoParams, ToSchema};

/// The first year of the municipal overview when `from` is not given: the seed's 2012 subsidy.
const OVERVIEW_FIRST_YEAR: i16 = 2012;
/// The most years one overview or register query covers.
const MAX_SPAN_YEARS: i16 = 100;

// ---- helpers ------------------------------------------------------------------------------------

/// A query value that is absent or blank counts as not given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn invalid(lang: Lang, e: ValidationErrors) -> WebError {
    WebError::new(Front::Api, lang, ErrorKind::Invalid(e))
}

/// A reference given in a query that names nothing is an invalid parameter, not a 404.
fn unknown_as<T>(
    r: Result<T, AppError>,
    lang: Lang,
    field: &'static str,
    key: &'static str,
) -> Result<T, WebError> {
    r.map_err(|e| match e {
        AppError::NotFound => AppError::Invalid(ValidationErrors::single(field, key)),
        other => other,
    })
    .or_api(lang)
}

fn required<'a>(e: &mut ValidationErrors, field: &'static str, v: &'a Option<String>) -> &'a str {
    let found = given(v);
    if found.is_none() {
        e.push(field, "error-required");
    }
    found.unwrap_or_default()
}

fn year_param(e: &mut ValidationErrors, field: &'static str, raw: &Option<String>) -> Option<i16> {
    let t = given(raw)?;
    match t.parse::<i16>() {
        Err(_) => {
            e.push(field, "error-year-invalid");
            None
        }
        Ok(y) if !(MIN_YEAR..=MAX_YEAR).contains(&y) => {
            e.push(field, "error-year-out-of-range");
            None
        }
        Ok(y) => Some(y),
    }
}

/// A period of whole years: `to` not before `from`, at most [`MAX_SPAN_YEARS`] years
/// (inclusive). The error names `field`.
fn check_years(e: &mut ValidationErrors, field: &'static str, from: i16, to: i16) {
    if to < from {
        e.push(field, "error-end-before-start");
    } else if i32::from(to) - i32::from(from) >= i32::from(MAX_SPAN_YEARS) {
        e.push(field, "error-years-span-too-long");
    }
}

fn cents(e: Euros) -> i64 {
    e.cents()
}

/// A ratio as a decimal string with two decimals (rounded half away from zero, as on the pages), e.g. `"3.25"`.
macro_rules! ratio {
    ($d:expr) => {
        $d.map(|d| {
            format!(
                "{:.2}",
                d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            )
        })
    };
}

/// Text, or a JSON number given as its digits (years, counts, weights): the domain's parser
/// decides either way.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Text(String),
    Number(serde_json::Number),
}

impl Loose {
    fn into_text(self) -> String {
        match self {
            Loose::Text(s) => s,
            Loose::Number(n) => n.to_string(),
        }
    }
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Loose>::deserialize(d)?.map(Loose::into_text))
}

fn loose_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<Loose>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .map(Loose::into_text)
        .collect())
}

// ---- bodies -------------------------------------------------------------------------------------

/// A subsidy as recorded by the municipality: what, for whom, for which year. Its amounts come
/// with the steps of its life cycle (`POST /subsidies/{id}/steps`).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubsidyBody {
    /// Required: the municipality whose budget it belongs to (id or slug).
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// `municipality` (default), `eu` or `other`.
    #[schema(example = "municipality")]
    pub grantor: Option<String>,
    /// Required: the receiving foundation (id or slug).
    #[schema(example = "stichting-stedenbanden-leidschendam-voorburg")]
    pub foundation: Option<String>,
    /// One of the foundation's working groups (id or slug), when it is for one group.
    #[schema(example = "werkgroep-hranice")]
    pub working_group: Option<String>,
    /// Required: `yearly-budget`, `one-off-grant`, `incidental-activity`, `eu-grant` or
    /// `in-kind`.
    #[schema(example = "yearly-budget")]
    pub kind: Option<String>,
    /// Required.
    #[schema(example = "Subsidie stedenbanden 2012")]
    pub purpose: Option<String>,
    /// Required: the budget year, as text or a whole JSON number.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2012")]
    pub year: Option<String>,
    /// The partnerships it is for (ids); empty: for no partnership in particular (the overview lists it apart).
    #[serde(default)]
    pub partnerships: Vec<String>,
    /// The phase-out schedule it follows (id).
    pub schedule: Option<String>,
    /// The activity it pays for (id).
    pub activity: Option<String>,
}

impl SubsidyBody {
    fn into_input(self) -> SubsidyInput {
        SubsidyInput {
            municipality: self.municipality,
            grantor: self.grantor,
            foundation: self.foundation,
            working_group: self.working_group,
            kind: self.kind,
            purpose: self.purpose,
            year: self.year,
            partnerships: self.partnerships,
            schedule: self.schedule,
            activity: self.activity,
        }
    }
}

/// The next step of a subsidy's life cycle: application → grant decision (or refusal) →
/// advance payments (zero or more) → report due → report received → settlement → closing.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepBody {
    /// Required: `application`, `refusal`, `grant-decision`, `advance-payment`, `report-due`,
    /// `report-received`, `settlement` or `closing`.
    #[schema(example = "grant-decision")]
    pub step: Option<String>,
    /// Required: YYYY-MM-DD, not before the previous step.
    #[schema(example = "2012-01-15")]
    pub date: Option<String>,
    /// Required: the document it rests on (a decision number, a letter's reference).
    #[schema(example = "BW-2012-004")]
    pub document: Option<String>,
    /// Euros as text, at most two decimals, not negative, in Dutch or English notation
    /// (`"24490.00"`, `"24.490,00"`): the amount asked for (application), granted, paid in
    /// advance or settled. Required for those steps; a JSON number is not accepted.
    #[schema(example = "24490.00")]
    pub amount: Option<String>,
    /// The grant's conditions, one per line.
    pub conditions: Option<String>,
    /// The deadline of the accountability report (required for `report-due`), YYYY-MM-DD.
    #[schema(example = "2013-04-01")]
    pub due_on: Option<String>,
    /// The decision that allows a settlement above the grant.
    pub allowed_by: Option<String>,
}

impl StepBody {
    fn into_input(self) -> StepInput {
        StepInput {
            step: self.step,
            date: self.date,
            document: self.document,
            amount: self.amount,
            conditions: self.conditions,
            due_on: self.due_on,
            allowed_by: self.allowed_by,
        }
    }
}

/// A phase-out schedule: a base amount and year, phased out over a number of years, split over
/// partnerships, rounded by a named rule. For `POST /phase-out-schedules/compute` only `base`,
/// `baseYear` and `years` are required.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleBody {
    /// The municipality (id or slug); required to store.
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// Required to store.
    #[schema(example = "Afbouw subsidie stedenbanden")]
    pub name: Option<String>,
    /// Required: euros as text, at most two decimals, not negative (`"24490"`, `"24.490,00"`).
    #[schema(example = "24490")]
    pub base: Option<String>,
    /// Required: the year of the full amount, as text or a whole JSON number.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2012")]
    pub base_year: Option<String>,
    /// Required: the years after the base year over which it is phased out (1 to 50), as text or
    /// a whole JSON number.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "3")]
    pub years: Option<String>,
    /// `linear` (default: to zero in equal steps) or `fractions`.
    #[schema(example = "linear")]
    pub method: Option<String>,
    /// For `fractions`: one share of the base per year after the base year, never increasing:
    /// `"2/3, 1/3, 0"` or `"0,5; 0,25; 0"`.
    #[schema(example = "2/3, 1/3, 0")]
    pub fractions: Option<String>,
    /// The partnerships the yearly totals are split over (ids, in order); required to store.
    #[serde(default)]
    pub partnerships: Vec<String>,
    /// One whole-number weight per partnership (text or JSON numbers); empty: equal shares.
    #[serde(default, deserialize_with = "loose_list")]
    #[schema(schema_with = super::dto::text_or_integer_list, example = json!(["1", "1", "1"]))]
    pub weights: Vec<String>,
    /// `whole-euros-half-up` (default), `whole-euros-half-even`, `whole-euros-down`,
    /// `cents-half-up`, `cents-half-even` or `cents-down`.
    #[schema(example = "whole-euros-half-up")]
    pub rounding: Option<String>,
    /// The decision it follows (a reference).
    #[schema(example = "Raadsbesluit 2011/23")]
    pub decided_by: Option<String>,
}

impl ScheduleBody {
    fn into_input(self) -> ScheduleInput {
        ScheduleInput {
            municipality: self.municipality,
            name: self.name,
            base: self.base,
            base_year: self.base_year,
            years: self.years,
            method: self.method,
            fractions: self.fractions,
            partnerships: self.partnerships,
            weights: self.weights,
            rounding: self.rounding,
            decided_by: self.decided_by,
        }
    }
}

/// Income or an expense in a working group's ledger.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransactionBody {
    /// Required: the working group whose ledger it is (id or slug).
    #[schema(example = "werkgroep-hranice")]
    pub working_group: Option<String>,
    /// Required: YYYY-MM-DD.
    #[schema(example = "2017-03-01")]
    pub date: Option<String>,
    /// Required: `income` or `expense`.
    #[schema(example = "income")]
    pub direction: Option<String>,
    /// For income (required there, refused on an expense): `municipal-subsidy`,
    /// `one-off-grant`, `cultural-subsidy`, `eu-grant`, `entrepreneurs-fund`, `sponsor`,
    /// `own-fundraising`, `participants-contributions`, `huygenskwartier-project` or `other`.
    #[schema(example = "sponsor")]
    pub source: Option<String>,
    /// For an expense (required there, refused on income): `travel`, `accommodation`,
    /// `catering`, `gifts`, `venue`, `material` or `other`.
    pub category: Option<String>,
    /// Required: euros as text, above zero, at most two decimals (`"250.00"`, `"€ 250,-"`); a
    /// JSON number is not accepted.
    #[schema(example = "250.00")]
    pub amount: Option<String>,
    /// An activity of this working group (id).
    pub activity: Option<String>,
    /// A subsidy to this group's foundation (id).
    pub subsidy: Option<String>,
    pub description: Option<String>,
    /// A receipt's or statement's reference.
    pub document: Option<String>,
}

impl TransactionBody {
    fn into_input(self) -> TransactionInput {
        TransactionInput {
            working_group: self.working_group,
            date: self.date,
            direction: self.direction,
            source: self.source,
            category: self.category,
            amount: self.amount,
            activity: self.activity,
            subsidy: self.subsidy,
            description: self.description,
            document: self.document,
        }
    }
}

// ---- queries ------------------------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MunicipalityMoneyQuery {
    /// Required: the municipality (id or slug); an unknown one is a 422.
    #[param(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SubsidyRegisterQuery {
    /// Required: the municipality (id or slug); an unknown one is a 422.
    #[param(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// The first budget year.
    #[param(example = "2012")]
    pub from: Option<String>,
    /// The last budget year, not before `from`; at most 100 years with it.
    #[param(example = "2017")]
    pub to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Required: the working group (id or slug); an unknown one is a 422.
    #[param(example = "werkgroep-hranice")]
    pub working_group: Option<String>,
    /// The first day (YYYY-MM-DD); the first line's balance counts everything before it.
    #[param(example = "2017-01-01")]
    pub from: Option<String>,
    /// The last day (YYYY-MM-DD), not before `from`; default: everything.
    #[param(example = "2017-12-31")]
    pub to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The first year (default 2012).
    #[param(example = "2012")]
    pub from: Option<String>,
    /// The last year (default this year), not before `from`; at most 100 years with it.
    #[param(example = "2017")]
    pub to: Option<String>,
}

// ---- responses ----------------------------------------------------------------------------------

/// A partnership that money is for, with its two towns.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FundedPartnershipRef {
    pub id: String,
    pub home: MunicipalityRef,
    pub partner: MunicipalityRef,
}

impl From<&PartnershipView> for FundedPartnershipRef {
    fn from(v: &PartnershipView) -> Self {
        Self {
            id: v.partnership.id.0.clone(),
            home: MunicipalityRef::from(&v.home),
            partner: MunicipalityRef::from(&v.partner),
        }
    }
}

/// One step of a subsidy's file.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepOut {
    #[schema(example = "grant-decision")]
    pub step: String,
    #[schema(value_type = String, format = Date, example = "2012-01-15")]
    pub date: String,
    #[schema(example = "BW-2012-004")]
    pub document: String,
    /// In euro cents (integer): the amount asked for (application), granted (grant decision),
    /// paid in advance or settled; absent for the other steps.
    #[schema(example = 2449000)]
    pub amount_cents: Option<i64>,
    /// The grant's conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// The report's deadline (report-due).
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<String>,
    /// The decision allowing a settlement above the grant.
    pub allowed_by: Option<String>,
}

impl From<&SubsidyStep> for StepOut {
    fn from(s: &SubsidyStep) -> Self {
        let (amount, conditions, due_on, allowed_by) = match s {
            SubsidyStep::Application { requested, .. } => (Some(*requested), vec![], None, None),
            SubsidyStep::GrantDecision {
                amount, conditions, ..
            } => (Some(*amount), conditions.clone(), None, None),
            SubsidyStep::AdvancePayment { amount, .. } => (Some(*amount), vec![], None, None),
            SubsidyStep::ReportDue { due_on, .. } => (None, vec![], Some(*due_on), None),
            SubsidyStep::Settlement {
                amount,
                allowed_by_decision,
                ..
            } => (
                Some(*amount),
                vec![],
                None,
                allowed_by_decision.as_ref().map(|d| d.to_string()),
            ),
            SubsidyStep::Refusal { .. }
            | SubsidyStep::ReportReceived { .. }
            | SubsidyStep::Closing { .. } => (None, vec![], None, None),
        };
        Self {
            step: s.kind().as_str().to_owned(),
            date: s.date().to_string(),
            document: s.document().to_string(),
            amount_cents: amount.map(cents),
            conditions,
            due_on: due_on.map(|d| d.to_string()),
            allowed_by,
        }
    }
}

/// What the closing pays or reclaims after the settlement.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceOut {
    /// `payment` (the settlement exceeds the advances), `reclaim` or `even`.
    #[schema(example = "payment")]
    pub kind: String,
    /// In euro cents (integer), not negative; 0 when even.
    #[schema(example = 1224500)]
    pub amount_cents: i64,
}

impl From<FinalBalance> for BalanceOut {
    fn from(b: FinalBalance) -> Self {
        let (kind, amount) = match b {
            FinalBalance::Payment(a) => ("payment", a),
            FinalBalance::Reclaim(a) => ("reclaim", a),
            FinalBalance::Even => ("even", Euros::ZERO),
        };
        Self {
            kind: kind.to_owned(),
            amount_cents: cents(amount),
        }
    }
}

/// A subsidy and where it stands. Its file (`steps`, the advances paid, the final balance and
/// the activity it pays for) only for the municipality's officials and the receiving
/// foundation's board (`fileVisible`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubsidyOut {
    pub id: String,
    /// The municipality's id.
    pub municipality: String,
    #[schema(example = "municipality")]
    pub grantor: String,
    pub foundation: FoundationRef,
    pub working_group: Option<WorkingGroupRef>,
    #[schema(example = "yearly-budget")]
    pub kind: String,
    pub purpose: String,
    #[schema(example = 2012)]
    pub year: i16,
    pub partnerships: Vec<FundedPartnershipRef>,
    /// The phase-out schedule it follows (id).
    pub schedule: Option<String>,
    /// The activity it pays for (id; with the file only).
    pub activity: Option<String>,
    /// `new`, `applied`, `refused`, `granted`, `report-due`, `report-received`, `settled` or
    /// `closed`.
    #[schema(example = "granted")]
    pub stage: String,
    /// The amount granted, in euro cents (integer), once decided.
    #[schema(example = 2449000)]
    pub granted_cents: Option<i64>,
    /// The final amount, in euro cents (integer), once settled.
    pub settled_cents: Option<i64>,
    /// What counts in its year, in euro cents (integer): settled, else granted, else 0.
    #[schema(example = 2449000)]
    pub counted_cents: i64,
    /// The advances paid so far, in euro cents (integer; with the file only).
    pub advances_paid_cents: Option<i64>,
    /// What the closing pays or reclaims, once settled (with the file only).
    pub balance: Option<BalanceOut>,
    /// The steps so far, in order (with the file only; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepOut>>,
    /// The steps the caller may take next (empty for those who may not).
    pub next: Vec<String>,
    pub may_edit: bool,
    pub file_visible: bool,
}

impl From<&SubsidyView> for SubsidyOut {
    fn from(v: &SubsidyView) -> Self {
        let d = &v.record.draft;
        let file = v.file_visible;
        Self {
            id: v.record.id.clone(),
            municipality: d.municipality.clone(),
            grantor: d.grantor.as_str().to_owned(),
            foundation: FoundationRef::from(&v.foundation),
            working_group: v.group.as_ref().map(WorkingGroupRef::from),
            kind: d.kind.as_str().to_owned(),
            purpose: d.purpose.to_string(),
            year: d.year,
            partnerships: v
                .partnerships
                .iter()
                .map(FundedPartnershipRef::from)
                .collect(),
            schedule: d.schedule.clone(),
            activity: d.activity.clone().filter(|_| file),
            stage: v.stage.as_str().to_owned(),
            granted_cents: v.granted.map(cents),
            settled_cents: v.settled.map(cents),
            counted_cents: cents(v.counted),
            advances_paid_cents: file.then(|| cents(v.advances_paid)),
            balance: v.balance.filter(|_| file).map(BalanceOut::from),
            steps: file.then(|| v.record.steps.iter().map(StepOut::from).collect()),
            next: v.next.iter().map(|k| k.as_str().to_owned()).collect(),
            may_edit: v.may_edit,
            file_visible: file,
        }
    }
}

/// One line of the subsidy register, as municipalities publish it: organisations only, no
/// names of private persons, no documents.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterLineOut {
    /// The subsidy's id.
    pub id: String,
    #[schema(example = 2012)]
    pub year: i16,
    /// The receiving organisation (and working group).
    #[schema(example = "Stichting Stedenbanden Leidschendam-Voorburg")]
    pub recipient: String,
    pub purpose: String,
    #[schema(example = "yearly-budget")]
    pub kind: String,
    #[schema(example = "closed")]
    pub stage: String,
    /// In euro cents (integer).
    #[schema(example = 2449000)]
    pub granted_cents: Option<i64>,
    /// In euro cents (integer).
    #[schema(example = 2449000)]
    pub settled_cents: Option<i64>,
}

impl From<&RegisterLine> for RegisterLineOut {
    fn from(l: &RegisterLine) -> Self {
        Self {
            id: l.id.clone(),
            year: l.year,
            recipient: l.recipient.clone(),
            purpose: l.purpose.clone(),
            kind: l.kind.as_str().to_owned(),
            stage: l.stage.as_str().to_owned(),
            granted_cents: l.granted.map(cents),
            settled_cents: l.settled.map(cents),
        }
    }
}

/// One year of a computed schedule.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleYearOut {
    #[schema(example = 2013)]
    pub year: i16,
    /// The share of the base, as a ratio of whole numbers.
    #[schema(example = "2/3")]
    pub fraction: String,
    /// The year's total in euro cents (integer), by the rounding rule.
    #[schema(example = 1632700)]
    pub total_cents: i64,
    /// One part per partnership, in euro cents (integer), in the order of the partnerships;
    /// they add up to exactly `totalCents` (the units left over by the division go one each to
    /// the parts with the largest remainders, the first given first between equal ones).
    #[schema(example = json!([544300, 544200, 544200]))]
    pub parts_cents: Vec<i64>,
}

impl From<&ScheduleYear> for ScheduleYearOut {
    fn from(y: &ScheduleYear) -> Self {
        Self {
            year: y.year,
            fraction: y.fraction.to_string(),
            total_cents: cents(y.total),
            parts_cents: y.parts.iter().copied().map(cents).collect(),
        }
    }
}

/// A computed schedule (not stored).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComputedScheduleOut {
    #[schema(example = "whole-euros-half-up")]
    pub rounding: String,
    /// The base year and every year after it through the last year of the phase-out.
    pub schedule: Vec<ScheduleYearOut>,
}

impl From<&PhaseOutSchedule> for ComputedScheduleOut {
    fn from(s: &PhaseOutSchedule) -> Self {
        Self {
            rounding: s.rounding.as_str().to_owned(),
            schedule: s.years.iter().map(ScheduleYearOut::from).collect(),
        }
    }
}

/// A stored phase-out schedule with what it computes to.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleOut {
    pub id: String,
    /// The municipality's id.
    pub municipality: String,
    pub name: String,
    pub decided_by: Option<String>,
    /// The base amount in euro cents (integer).
    #[schema(example = 2449000)]
    pub base_cents: i64,
    #[schema(example = 2012)]
    pub base_year: i16,
    /// The years after the base year over which it is phased out.
    #[schema(example = 3)]
    pub years: u8,
    /// `linear` or `fractions`.
    #[schema(example = "linear")]
    pub method: String,
    /// For `fractions`: the share of the base per year after the base year.
    pub fractions: Option<Vec<String>>,
    /// The weight of each partnership in the split, in their order.
    pub weights: Vec<u32>,
    #[schema(example = "whole-euros-half-up")]
    pub rounding: String,
    /// The partnerships, in the order of the parts.
    pub partnerships: Vec<FundedPartnershipRef>,
    pub schedule: Vec<ScheduleYearOut>,
}

impl From<&ScheduleView> for ScheduleOut {
    fn from(v: &ScheduleView) -> Self {
        let d = &v.record.draft;
        let p = &d.phase_out;
        let (method, fractions) = match p.method() {
            PhaseOutMethod::LinearToZero => ("linear", None),
            PhaseOutMethod::FixedFractions(f) => (
                "fractions",
                Some(f.iter().map(ToString::to_string).collect()),
            ),
        };
        Self {
            id: v.record.id.clone(),
            municipality: d.municipality.clone(),
            name: d.name.to_string(),
            decided_by: d.decided_by.as_ref().map(ToString::to_string),
            base_cents: cents(p.base()),
            base_year: p.base_year(),
            years: p.years(),
            method: method.to_owned(),
            fractions,
            weights: p.split().weights().to_vec(),
            rounding: p.rounding().as_str().to_owned(),
            partnerships: v
                .partnerships
                .iter()
                .map(FundedPartnershipRef::from)
                .collect(),
            schedule: v.schedule.years.iter().map(ScheduleYearOut::from).collect(),
        }
    }
}

/// A ledger line as stored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionOut {
    pub id: String,
    /// The working group's id.
    pub working_group: String,
    #[schema(value_type = String, format = Date, example = "2017-03-01")]
    pub date: String,
    /// `income` or `expense`.
    #[schema(example = "income")]
    pub direction: String,
    /// For income: where it came from.
    #[schema(example = "sponsor")]
    pub source: Option<String>,
    /// For an expense: what it was for.
    pub category: Option<String>,
    /// In euro cents (integer), above zero; the direction gives the sign.
    #[schema(example = 25000)]
    pub amount_cents: i64,
    pub activity: Option<String>,
    pub subsidy: Option<String>,
    pub description: Option<String>,
    pub document: Option<String>,
    /// Invented for the demo data.
    pub illustrative: bool,
}

impl From<&TransactionRecord> for TransactionOut {
    fn from(t: &TransactionRecord) -> Self {
        let d = &t.draft;
        let (direction, source, category) = match d.flow {
            Flow::Income(s) => ("income", Some(s.as_str().to_owned()), None),
            Flow::Expense(c) => ("expense", None, Some(c.as_str().to_owned())),
        };
        Self {
            id: t.id.clone(),
            working_group: d.working_group.clone(),
            date: d.date.to_string(),
            direction: direction.to_owned(),
            source,
            category,
            amount_cents: cents(d.amount),
            activity: d.activity.clone(),
            subsidy: d.subsidy.clone(),
            description: d.description.clone(),
            document: d.document.as_ref().map(ToString::to_string),
            illustrative: t.illustrative,
        }
    }
}

/// A ledger line with its effect on the balance.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerLineOut {
    #[serde(flatten)]
    pub transaction: TransactionOut,
    /// The amount as it counts, in euro cents (integer): income positive, expenses negative.
    #[schema(example = -45050)]
    pub signed_cents: i64,
    /// The balance after this line, in euro cents (integer), counting every earlier line (also
    /// those before `from`).
    #[schema(example = 104950)]
    pub balance_cents: i64,
}

impl From<&LedgerLine> for LedgerLineOut {
    fn from(l: &LedgerLine) -> Self {
        Self {
            transaction: TransactionOut::from(&l.record),
            signed_cents: cents(l.signed),
            balance_cents: cents(l.balance),
        }
    }
}

/// A working group's money in one year.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupYearOut {
    #[schema(example = 2017)]
    pub year: i16,
    /// Income by source code, in euro cents (integer).
    pub income_cents: BTreeMap<String, i64>,
    /// Expenses by category code, in euro cents (integer).
    pub expenses_cents: BTreeMap<String, i64>,
    /// In euro cents (integer).
    pub total_income_cents: i64,
    /// In euro cents (integer).
    pub total_expenses_cents: i64,
    /// Income from the municipality's budget, in euro cents (integer).
    pub municipal_cents: i64,
    /// Private income (entrepreneurs' fund, sponsors, own fundraising, participants), in euro
    /// cents (integer).
    pub private_cents: i64,
    /// Private euros per municipal euro, a decimal string with two decimals (rounded half to
    /// even); absent without municipal income.
    #[schema(example = "3.25")]
    pub leverage: Option<String>,
    /// The municipal part of all income, a decimal string (four decimals); absent without
    /// income.
    #[schema(example = "0.2500")]
    pub municipal_share: Option<String>,
}

impl From<&GroupYear> for GroupYearOut {
    fn from(y: &GroupYear) -> Self {
        Self {
            year: y.year,
            income_cents: y
                .income
                .iter()
                .map(|(s, a)| (s.as_str().to_owned(), cents(*a)))
                .collect(),
            expenses_cents: y
                .expenses
                .iter()
                .map(|(c, a)| (c.as_str().to_owned(), cents(*a)))
                .collect(),
            total_income_cents: cents(y.total_income),
            total_expenses_cents: cents(y.total_expenses),
            municipal_cents: cents(y.municipal),
            private_cents: cents(y.private),
            leverage: ratio!(y.leverage),
            municipal_share: y.municipal_share.map(|d| {
                format!(
                    "{:.4}",
                    d.round_dp_with_strategy(
                        4,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero
                    )
                )
            }),
        }
    }
}

/// A working group's ledger over a period.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerOut {
    pub working_group: WorkingGroupRef,
    pub foundation: FoundationRef,
    /// The lines in the period, by date, each with the running balance.
    pub lines: Vec<LedgerLineOut>,
    /// The balance at the end of `at`, in euro cents (integer).
    #[schema(example = 104950)]
    pub balance_cents: i64,
    /// The end of the period (or today).
    #[schema(value_type = String, format = Date)]
    pub at: String,
    /// Income by source and expenses by category per year of the period.
    pub years: Vec<GroupYearOut>,
    /// Whether the caller may record lines in it.
    pub may_edit: bool,
}

impl From<&Ledger> for LedgerOut {
    fn from(l: &Ledger) -> Self {
        Self {
            working_group: WorkingGroupRef::from(&l.group),
            foundation: FoundationRef::from(&l.foundation),
            lines: l.lines.iter().map(LedgerLineOut::from).collect(),
            balance_cents: cents(l.balance),
            at: l.at.to_string(),
            years: l.years.iter().map(GroupYearOut::from).collect(),
            may_edit: l.may_edit,
        }
    }
}

/// Money for one partnership (or for none in particular) in a year.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnershipMoneyOut {
    /// The partnership's id; absent for money for no partnership in particular.
    pub partnership: Option<String>,
    /// In euro cents (integer).
    #[schema(example = 544300)]
    pub amount_cents: i64,
}

/// The municipal money of one year.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MunicipalYearOut {
    #[schema(example = 2013)]
    pub year: i16,
    /// Cash by kind of subsidy, in euro cents (integer).
    pub by_kind_cents: BTreeMap<String, i64>,
    /// Cash per partnership.
    pub by_partnership: Vec<PartnershipMoneyOut>,
    /// All cash, in euro cents (integer).
    #[schema(example = 1632700)]
    pub cash_cents: i64,
    /// In-kind contributions (the Christmas tree), valued, in euro cents (integer); not in
    /// `cashCents`.
    #[schema(example = 650000)]
    pub in_kind_cents: i64,
    /// Private income of the municipality's working groups, in euro cents (integer).
    pub private_income_cents: i64,
    /// Private euros per municipal euro (cash), a decimal string with two decimals (rounded
    /// half away from zero); absent without municipal cash.
    #[schema(example = "3.25")]
    pub leverage: Option<String>,
}

impl From<&MunicipalYear> for MunicipalYearOut {
    fn from(y: &MunicipalYear) -> Self {
        Self {
            year: y.year,
            by_kind_cents: y
                .by_kind
                .iter()
                .map(|(k, a)| (k.as_str().to_owned(), cents(*a)))
                .collect(),
            by_partnership: y
                .by_partnership
                .iter()
                .map(|(p, a)| PartnershipMoneyOut {
                    partnership: (!p.is_empty()).then(|| p.clone()),
                    amount_cents: cents(*a),
                })
                .collect(),
            cash_cents: cents(y.cash),
            in_kind_cents: cents(y.in_kind),
            private_income_cents: cents(y.private_income),
            leverage: ratio!(y.leverage),
        }
    }
}

/// A subsidy that ran three or more years and stopped without a phase-out (Awb art. 4:51).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbruptStopOut {
    pub recipient: String,
    #[schema(example = "yearly-budget")]
    pub kind: String,
    /// The first year without it.
    pub stopped_in: i16,
}

impl From<&AbruptStop> for AbruptStopOut {
    fn from(a: &AbruptStop) -> Self {
        Self {
            recipient: a.recipient.clone(),
            kind: a.kind.as_str().to_owned(),
            stopped_in: a.stopped_in,
        }
    }
}

/// All municipal money spent on twinning per year, with the private income beside it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MunicipalOverviewOut {
    pub municipality: MunicipalityRef,
    #[schema(example = 2012)]
    pub from: i16,
    #[schema(example = 2017)]
    pub to: i16,
    pub years: Vec<MunicipalYearOut>,
    /// The partnerships the municipality holds.
    pub partnerships: Vec<FundedPartnershipRef>,
    pub abrupt_stops: Vec<AbruptStopOut>,
    /// All cash over the years, in euro cents (integer).
    pub total_cash_cents: i64,
    /// All private income over the years, in euro cents (integer).
    pub total_private_cents: i64,
    /// Over the years, a decimal string with two decimals (rounded half away from zero).
    #[schema(example = "3.25")]
    pub leverage: Option<String>,
}

impl MunicipalOverviewOut {
    fn new(o: &MunicipalOverview, from: i16, to: i16) -> Self {
        Self {
            municipality: MunicipalityRef::from(&o.municipality),
            from,
            to,
            years: o.years.iter().map(MunicipalYearOut::from).collect(),
            partnerships: o
                .partnerships
                .iter()
                .map(FundedPartnershipRef::from)
                .collect(),
            abrupt_stops: o.abrupt_stops.iter().map(AbruptStopOut::from).collect(),
            total_cash_cents: cents(o.total_cash),
            total_private_cents: cents(o.total_private),
            leverage: ratio!(o.leverage),
        }
    }
}

// ---- subsidies ----------------------------------------------------------------------------------

/// A municipality's subsidies for twinning, each as the caller may see it: where it stands for
/// everybody, its file (steps and documents) for the municipality's officials and the receiving
/// foundation's board.
#[utoipa::path(get, path = "/subsidies", tag = "money",
    params(MunicipalityMoneyQuery),
    responses(
        (status = 200, description = "The subsidies, by year", body = Vec<SubsidyOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_subsidies(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MunicipalityMoneyQuery>,
) -> Result<Json<Vec<SubsidyOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let mut e = ValidationErrors::default();
    let municipality = required(&mut e, "municipality", &q.municipality);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let found = unknown_as(
        s.money.subsidies(&caller, municipality).await,
        lang,
        "municipality",
        "error-municipality-unknown",
    )?;
    Ok(Json(found.iter().map(SubsidyOut::from).collect()))
}

/// Record a subsidy (the municipality's officials). Its amounts follow with its steps.
#[utoipa::path(post, path = "/subsidies", tag = "money",
    request_body = SubsidyBody,
    responses(
        (status = 201, description = "Recorded", body = SubsidyOut,
         headers(("Location" = String, description = "The new subsidy's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of this municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a foundation, working group, partnership, schedule or activity that is not the municipality's", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_subsidy(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<SubsidyBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .money
        .create_subsidy(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/subsidies/{}", v.record.id),
        SubsidyOut::from(&v),
    ))
}

/// One subsidy; its file for the municipality's officials and the receiving foundation's board.
#[utoipa::path(get, path = "/subsidies/{id}", tag = "money",
    params(("id" = String, Path, description = "Subsidy id")),
    responses(
        (status = 200, description = "The subsidy", body = SubsidyOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subsidy", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_subsidy(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SubsidyOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s.money.subsidy(&caller, &id).await.or_api(lang)?;
    Ok(Json(SubsidyOut::from(&v)))
}

/// Take the next step of a subsidy's life cycle (the municipality's officials). A step that
/// skips one, goes back, or breaks a rule of its own (a negative or zero grant, advances above
/// the grant, a settlement above the grant without a decision allowing it) is refused with the
/// field it concerns (`step`, `date`, `dueOn` or `amount`), and nothing is stored.
#[utoipa::path(post, path = "/subsidies/{id}/steps", tag = "money",
    params(("id" = String, Path, description = "Subsidy id")),
    request_body = StepBody,
    responses(
        (status = 201, description = "Taken; the subsidy as it stands now", body = SubsidyOut,
         headers(("Location" = String, description = "The subsidy's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the subsidy's municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subsidy", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a step that may not follow now", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn add_step(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .money
        .add_step(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/subsidies/{}", v.record.id),
        SubsidyOut::from(&v),
    ))
}

/// The subsidy register as municipalities publish it: what the municipality granted, to which
/// organisation, for what, granted and settled per year. Public; organisations only, no
/// documents.
#[utoipa::path(get, path = "/subsidy-register", tag = "money",
    params(SubsidyRegisterQuery),
    responses(
        (status = 200, description = "The register's lines", body = Vec<RegisterLineOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `municipality`, a bad year, `to` before `from` or more than 100 years", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn subsidy_register(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<SubsidyRegisterQuery>,
) -> Result<Json<Vec<RegisterLineOut>>, WebError> {
    let mut e = ValidationErrors::default();
    let municipality = required(&mut e, "municipality", &q.municipality);
    let from = year_param(&mut e, "from", &q.from);
    let to = year_param(&mut e, "to", &q.to);
    let years = match (from, to) {
        (None, None) => None,
        (f, t) => {
            let (f, t) = (f.unwrap_or(MIN_YEAR), t.unwrap_or(MAX_YEAR));
            if given(&q.from).is_some() && given(&q.to).is_some() {
                check_years(&mut e, "to", f, t);
            }
            Some((f, t))
        }
    };
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let lines = unknown_as(
        s.money.subsidy_register(municipality, years).await,
        lang,
        "municipality",
        "error-municipality-unknown",
    )?;
    Ok(Json(lines.iter().map(RegisterLineOut::from).collect()))
}

// ---- ledgers ------------------------------------------------------------------------------------

/// A working group's ledger over a period, each line with the running balance, and income by
/// source and expenses by category per year. For the foundation's board, the group's members
/// and the municipality's officials.
#[utoipa::path(get, path = "/transactions", tag = "money",
    params(LedgerQuery),
    responses(
        (status = 200, description = "The ledger", body = LedgerOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not read this group's ledger", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `workingGroup`, a bad date or `to` before `from`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn ledger(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<Json<LedgerOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let mut e = ValidationErrors::default();
    let group = required(&mut e, "workingGroup", &q.working_group);
    let from = given(&q.from).and_then(|d| e.check("from", parse_date(d)));
    let to = given(&q.to).and_then(|d| e.check("to", parse_date(d)));
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        e.push("to", "error-end-before-start");
    }
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let l = unknown_as(
        s.money.ledger(&caller, group, from, to).await,
        lang,
        "workingGroup",
        "error-working-group-unknown",
    )?;
    Ok(Json(LedgerOut::from(&l)))
}

/// Record income or an expense in a working group's ledger (the foundation's board). An
/// activity must be the group's own, a subsidy one to the group's foundation.
#[utoipa::path(post, path = "/transactions", tag = "money",
    request_body = TransactionBody,
    responses(
        (status = 201, description = "Recorded", body = TransactionOut,
         headers(("Location" = String, description = "The group's ledger"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the board of the group's foundation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, an unknown working group, or an activity or subsidy of another group", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_transaction(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<TransactionBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let t = s
        .money
        .add_transaction(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!(
            "/api/v1/transactions?workingGroup={}",
            t.draft.working_group
        ),
        TransactionOut::from(&t),
    ))
}

// ---- phase-out schedules ------------------------------------------------------------------------

/// A municipality's phase-out schedules, each with what it computes to (public).
#[utoipa::path(get, path = "/phase-out-schedules", tag = "money",
    params(MunicipalityMoneyQuery),
    responses(
        (status = 200, description = "The schedules", body = Vec<ScheduleOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_schedules(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MunicipalityMoneyQuery>,
) -> Result<Json<Vec<ScheduleOut>>, WebError> {
    let mut e = ValidationErrors::default();
    let municipality = required(&mut e, "municipality", &q.municipality);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let found = unknown_as(
        s.money.schedules(municipality).await,
        lang,
        "municipality",
        "error-municipality-unknown",
    )?;
    Ok(Json(found.iter().map(ScheduleOut::from).collect()))
}

/// Store a phase-out schedule as the council decided it (the municipality's officials).
#[utoipa::path(post, path = "/phase-out-schedules", tag = "money",
    request_body = ScheduleBody,
    responses(
        (status = 201, description = "Stored, with what it computes to", body = ScheduleOut,
         headers(("Location" = String, description = "The new schedule's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of this municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or partnerships that are not the municipality's", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_schedule(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .money
        .create_schedule(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/phase-out-schedules/{}", v.record.id),
        ScheduleOut::from(&v),
    ))
}

/// One phase-out schedule with what it computes to (public).
#[utoipa::path(get, path = "/phase-out-schedules/{id}", tag = "money",
    params(("id" = String, Path, description = "Schedule id")),
    responses(
        (status = 200, description = "The schedule", body = ScheduleOut),
        (status = 404, description = "No such schedule", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_schedule(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ScheduleOut>, WebError> {
    let v = s.money.schedule(&id).await.or_api(lang)?;
    Ok(Json(ScheduleOut::from(&v)))
}

/// Compute a schedule for the given inputs without storing it (public): the yearly totals by
/// the rounding rule, and per partnership parts that add up to exactly each total. Base 24490,
/// base year 2012, three years, linear, whole euros half up gives 24490, 16327, 8163 and 0.
/// Without partnerships the whole goes in one part.
#[utoipa::path(post, path = "/phase-out-schedules/compute", tag = "money",
    request_body = ScheduleBody,
    responses(
        (status = 200, description = "The computed schedule", body = ComputedScheduleOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid inputs", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn compute_schedule(
    lang: Lang,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> Result<Json<ComputedScheduleOut>, WebError> {
    let computed = Money::compute_schedule(&body.into_input()).or_api(lang)?;
    Ok(Json(ComputedScheduleOut::from(&computed)))
}

// ---- the municipal overview ---------------------------------------------------------------------

/// All municipal money spent on twinning per year (subsidies, one-off grants, in-kind
/// contributions apart from cash) per partnership and in total, the private income of the
/// municipality's working groups and the leverage; with subsidies that ran three or more years
/// and stopped without a phase-out. Public.
#[utoipa::path(get, path = "/municipalities/{id}/money", tag = "money",
    params(("id" = String, Path, description = "Id or slug"), OverviewQuery),
    responses(
        (status = 200, description = "The overview", body = MunicipalOverviewOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad year, `to` before `from`, or more than 100 years", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn municipal_money(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> Result<Json<MunicipalOverviewOut>, WebError> {
    let mut e = ValidationErrors::default();
    let from = year_param(&mut e, "from", &q.from);
    let to = year_param(&mut e, "to", &q.to);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let this_year = today().year();
    // One end alone: the other is the default, moved so that the period is not reversed.
    let (from, to, field) = match (from, to) {
        (Some(f), Some(t)) => (f, t, "to"),
        (Some(f), None) => (f, this_year.max(f), "from"),
        (None, Some(t)) => (OVERVIEW_FIRST_YEAR.min(t), t, "to"),
        (None, None) => (
            OVERVIEW_FIRST_YEAR,
            this_year.max(OVERVIEW_FIRST_YEAR),
            "to",
        ),
    };
    check_years(&mut e, field, from, to);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let o = s
        .money
        .municipal_overview(&id, from, to)
        .await
        .or_api(lang)?;
    Ok(Json(MunicipalOverviewOut::new(&o, from, to)))
}
