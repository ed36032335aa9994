//! The decisions API: council decisions and motions with what they affect, the rules they
//! impose and lift (enforced by the register: *no new twinnings*, *subsidy ends*; shown on the
//! overviews: *no budget line*, *no staff capacity*), the municipality's plan per year, policy
//! options as scenarios (projected per year, compared side by side, tried in a dry run and
//! adopted with a decision), and the ending of a partnership step by step.
//!
//! Every handler calls one use case of [`stedenband_app::Decisions`], which decides the rights:
//! the officials of the municipality that holds the business (and administrators) record and
//! change; everyone reads the adopted decisions, the rules, the plan, the scenarios and the
//! endings; decisions that were not adopted (proposals, rejected or withdrawn motions) exist
//! only for the officials (404 for anyone else).
//!
//! Amounts go out as integer euro cents in fields ending in `Cents` and come in as text in Dutch
//! or English notation (`"24490.00"`, `"24.490,00"`), never as a JSON number; dates are
//! YYYY-MM-DD; years and counts may be text or whole JSON numbers. Repeated items are named in
//! `invalidParams` by their place in the request, counted from zero: `affects[0].id`,
//! `rules[1].schedule`, `lifts[0]`, `changes[2].partnership`.

use super::created;
use super::dto::MunicipalityRef;
use super::evaluations::CoveredPartnershipRef;
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
use stedenband_app::organisation::today;
use stedenband_app::{
    AdoptionView, AppError, DecisionView, EndingView, ScenarioComparison, ScenarioView,
};
use stedenband_domain::date::{MAX_YEAR, MIN_YEAR};
use stedenband_domain::decision::{
    AffectedInput, AffectedKind, DecisionInput, DecisionRef, Rule, RuleInput,
};
use stedenband_domain::ending::{CompleteInput, LetterInput, NotifyInput, StartInput};
use stedenband_domain::money::Euros;
use stedenband_domain::scenario::{Change, ChangeInput, Effect, Horizon, LineKey, ScenarioInput};
use stedenband_domain::{FieldError, ValidationErrors};
use stedenband_store::PlanYear;
use utoipa::{IntoParams, ToSchema};

// ---- helpers ------------------------------------------------------------------------------------

/// Text, or a JSON number given as its digits (years, votes, hours): the domain's parser decides
/// either way.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Text(String),
    Number(serde_json::Number),
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Loose>::deserialize(d)?.map(|l| match l {
        Loose::Text(s) => s,
        Loose::Number(n) => n.to_string(),
    }))
}

/// A query value that is absent or blank counts as not given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn invalid(lang: Lang, e: ValidationErrors) -> WebError {
    WebError::new(Front::Api, lang, ErrorKind::Invalid(e))
}

/// A municipality given in a query that names nothing is an invalid parameter, not a 404.
fn unknown_municipality<T>(r: Result<T, AppError>, lang: Lang) -> Result<T, WebError> {
    r.map_err(|e| match e {
        AppError::NotFound => AppError::Invalid(ValidationErrors::single(
            "municipality",
            "error-municipality-unknown",
        )),
        other => other,
    })
    .or_api(lang)
}

/// A required municipality query parameter.
fn required_municipality(lang: Lang, v: &Option<String>) -> Result<String, WebError> {
    given(v).map(str::to_owned).ok_or_else(|| {
        invalid(
            lang,
            ValidationErrors::single("municipality", "error-required"),
        )
    })
}

fn cents(e: Euros) -> i64 {
    e.cents()
}

/// A year in a query: absent is `None`; not a year in range is an error on `field`.
fn year(e: &mut ValidationErrors, field: &'static str, v: &Option<String>) -> Option<i16> {
    let raw = given(v)?;
    match raw.parse::<i16>() {
        Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
        Ok(_) => {
            e.push(field, "error-year-out-of-range");
            None
        }
        Err(_) => {
            e.push(field, "error-year-invalid");
            None
        }
    }
}

/// The years asked for in `from` and `to`, either of which may be missing.
fn years(
    lang: Lang,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(Option<i16>, Option<i16>), WebError> {
    let mut e = ValidationErrors::default();
    let f = year(&mut e, "from", from);
    let t = year(&mut e, "to", to);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    Ok((f, t))
}

/// The horizon from the years asked for; a missing end is the scenario's own (`own`, needed
/// only when exactly one end is given).
fn horizon(
    lang: Lang,
    (from, to): (Option<i16>, Option<i16>),
    own: Option<Horizon>,
) -> Result<Option<Horizon>, WebError> {
    let (f, t) = match (from, to, own) {
        (None, None, _) => return Ok(None),
        (Some(f), Some(t), _) => (f, t),
        (Some(f), None, Some(o)) => (f, o.to),
        (None, Some(t), Some(o)) => (o.from, t),
        _ => return Ok(None),
    };
    let field = if to.is_some() { "to" } else { "from" };
    Horizon::new(f, t)
        .map(Some)
        .map_err(|k| invalid(lang, ValidationErrors::single(field, k)))
}

/// The use case names the scenarios of a comparison `scenarios`; the query calls them `ids`.
fn as_ids(e: AppError) -> AppError {
    match e {
        AppError::Invalid(v) => AppError::Invalid(ValidationErrors(
            v.0.into_iter()
                .map(|f| {
                    if f.field == "scenarios" {
                        FieldError::new("ids", f.key)
                    } else {
                        f
                    }
                })
                .collect(),
        )),
        AppError::NotFound => {
            AppError::Invalid(ValidationErrors::single("ids", "error-scenario-unknown"))
        }
        other => other,
    }
}

// ---- bodies -------------------------------------------------------------------------------------

/// A record a decision is about.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AffectedBody {
    /// Required: `partnership`, `subsidy`, `schedule`, `evaluation` or `working-group`.
    #[schema(example = "partnership")]
    pub kind: Option<String>,
    /// Required: the record's id; it must be the deciding municipality's.
    pub id: Option<String>,
}

/// A rule a decision imposes.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleBody {
    /// Required: `no-new-twinnings`, `subsidy-ends`, `no-budget-line` or `no-staff-capacity`.
    #[schema(example = "no-new-twinnings")]
    pub kind: Option<String>,
    /// From when it holds, YYYY-MM-DD, not before the decision (default: the decision's date;
    /// for `subsidy-ends` the first year of the schedule without subsidy).
    #[schema(example = "2012-01-01")]
    pub from: Option<String>,
    /// For `subsidy-ends` only, and required there: the phase-out schedule (id).
    pub schedule: Option<String>,
}

impl RuleBody {
    fn into_input(self) -> RuleInput {
        RuleInput {
            kind: self.kind,
            from: self.from,
            schedule: self.schedule,
        }
    }
}

/// A rule for an existing adopted decision, named in the body.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRuleBody {
    /// Required: the adopted decision that imposes the rule (id). There is no rule without a
    /// decision.
    pub decision: Option<String>,
    /// Required: `no-new-twinnings`, `subsidy-ends`, `no-budget-line` or `no-staff-capacity`.
    #[schema(example = "no-budget-line")]
    pub kind: Option<String>,
    /// From when it holds, YYYY-MM-DD, not before the decision.
    #[schema(example = "2012-01-01")]
    pub from: Option<String>,
    /// For `subsidy-ends` only, and required there: the phase-out schedule (id).
    pub schedule: Option<String>,
}

/// A council decision, motion, amendment or letter to the council.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionBody {
    /// Required to record: the deciding municipality (id or slug). On `PUT` it stays as it was.
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// Required: YYYY-MM-DD. A decision marked adopted cannot lie in the future.
    #[schema(example = "2011-11-08")]
    pub date: Option<String>,
    /// Required: `council`, `mayor-and-aldermen` or `mayor`.
    #[schema(example = "council")]
    pub body: Option<String>,
    /// Required: `decision`, `motion`, `amendment` or `letter-to-council`.
    #[schema(example = "decision")]
    pub kind: Option<String>,
    /// The reference number.
    #[schema(example = "RB 2011/093")]
    pub reference: Option<String>,
    /// Required (at most 200 characters).
    #[schema(example = "Kerntakendiscussie: stedenbanden")]
    pub title: Option<String>,
    /// The text (at most 20,000 characters).
    pub text: Option<String>,
    /// Required: `proposed`, `adopted`, `rejected` or `withdrawn`.
    #[schema(example = "adopted")]
    pub outcome: Option<String>,
    /// Votes for, where known (give both or neither); text or a whole JSON number.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "25")]
    pub votes_for: Option<String>,
    /// Votes against, where known.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "8")]
    pub votes_against: Option<String>,
    /// An http(s) address of the source (the council information system).
    #[schema(example = "https://raad.example.nl/besluiten/2011-093")]
    pub source_url: Option<String>,
    /// What it is about (at most 50).
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub affects: Vec<AffectedBody>,
    /// The rules it imposes (adopted decisions only; not on `PUT`).
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub rules: Vec<RuleBody>,
    /// The rules (ids) it lifts from its date (adopted decisions only; not on `PUT`).
    #[serde(default)]
    pub lifts: Vec<String>,
}

impl DecisionBody {
    fn into_input(self) -> DecisionInput {
        DecisionInput {
            municipality: self.municipality,
            date: self.date,
            body: self.body,
            kind: self.kind,
            reference: self.reference,
            title: self.title,
            text: self.text,
            outcome: self.outcome,
            votes_for: self.votes_for,
            votes_against: self.votes_against,
            source_url: self.source_url,
            affects: self
                .affects
                .into_iter()
                .map(|a| AffectedInput {
                    kind: a.kind,
                    id: a.id,
                })
                .collect(),
            rules: self.rules.into_iter().map(RuleBody::into_input).collect(),
            lifts: self.lifts,
        }
    }
}

/// The decision that adopts a scenario: the municipality is the scenario's; it imposes and
/// lifts exactly what the scenario's effects say, so it carries no `rules` or `lifts` of its
/// own. The partnerships whose status changes are added to what it affects.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdoptionBody {
    /// Required: YYYY-MM-DD, not in the future.
    #[schema(example = "2018-12-18")]
    pub date: Option<String>,
    /// Required: `council`, `mayor-and-aldermen` or `mayor`.
    #[schema(example = "council")]
    pub body: Option<String>,
    /// Required: `decision`, `motion`, `amendment` or `letter-to-council`.
    #[schema(example = "decision")]
    pub kind: Option<String>,
    pub reference: Option<String>,
    /// Required (at most 200 characters).
    #[schema(example = "Besluit over de stedenbanden: optie A")]
    pub title: Option<String>,
    pub text: Option<String>,
    /// `adopted` (the default): a scenario is adopted only by an adopted decision.
    #[schema(example = "adopted")]
    pub outcome: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "20")]
    pub votes_for: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "13")]
    pub votes_against: Option<String>,
    pub source_url: Option<String>,
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub affects: Vec<AffectedBody>,
}

impl AdoptionBody {
    fn into_input(self) -> DecisionInput {
        DecisionBody {
            municipality: None,
            date: self.date,
            body: self.body,
            kind: self.kind,
            reference: self.reference,
            title: self.title,
            text: self.text,
            outcome: self.outcome.or_else(|| Some("adopted".to_owned())),
            votes_for: self.votes_for,
            votes_against: self.votes_against,
            source_url: self.source_url,
            affects: self.affects,
            rules: Vec::new(),
            lifts: Vec::new(),
        }
        .into_input()
    }
}

/// One change of a scenario; `kind` says which fields count.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeBody {
    /// Required: `status` (a partnership's status from a date), `line` (a money line's yearly
    /// amount for a range of years; zero switches it off) or `staff` (staff capacity in hours a
    /// year for a range of years).
    #[schema(example = "status")]
    pub kind: Option<String>,
    /// `status`: the partnership (id); it must be the scenario's municipality's.
    pub partnership: Option<String>,
    /// `status`: `active`, `civil-society-only`, `dormant` or `ended`.
    #[schema(example = "civil-society-only")]
    pub status: Option<String>,
    /// `status`: from when, YYYY-MM-DD.
    #[schema(example = "2019-01-01")]
    pub on: Option<String>,
    /// `line`: the line's name.
    #[schema(example = "Subsidie stedenbanden")]
    pub line: Option<String>,
    /// `line`: `budget`, `subsidy` or `contribution`.
    #[schema(example = "subsidy")]
    pub line_kind: Option<String>,
    /// `line`: the working group it goes to (id), if any.
    pub working_group: Option<String>,
    /// `line`: valued in kind rather than paid in cash (default false).
    pub in_kind: Option<bool>,
    /// `line`, `staff`: the first year (text or a whole JSON number).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2019")]
    pub from: Option<String>,
    /// `line`, `staff`: the last year (default: to the horizon's end).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2022")]
    pub to: Option<String>,
    /// `line`: euros a year as text, at most two decimals, not negative (`"1500"`,
    /// `"1.500,00"`); a JSON number is not accepted.
    #[schema(example = "1500.00")]
    pub amount: Option<String>,
    /// `staff`: hours a year (text or a whole JSON number).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "200")]
    pub hours: Option<String>,
}

/// A policy option: a set of changes from given dates, projected over a horizon.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioBody {
    /// Required: the municipality (id or slug).
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// Required: a short code, unique within the municipality (letters, digits, `-`; at most
    /// 10).
    #[schema(example = "B")]
    pub code: Option<String>,
    /// Required (at most 200 characters).
    #[schema(example = "Nieuw leven inblazen")]
    pub title: Option<String>,
    pub description: Option<String>,
    /// Whether this is the option the proposal recommends.
    pub proposed: Option<bool>,
    /// Required: the first year projected (text or a whole JSON number).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2019")]
    pub horizon_from: Option<String>,
    /// Required: the last year projected (at most 30 years in all).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2022")]
    pub horizon_to: Option<String>,
    /// At most 50.
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub changes: Vec<ChangeBody>,
}

impl ScenarioBody {
    fn into_input(self) -> ScenarioInput {
        ScenarioInput {
            municipality: self.municipality,
            code: self.code,
            title: self.title,
            description: self.description,
            proposed: self.proposed,
            horizon_from: self.horizon_from,
            horizon_to: self.horizon_to,
            changes: self
                .changes
                .into_iter()
                .map(|c| ChangeInput {
                    kind: c.kind,
                    partnership: c.partnership,
                    status: c.status,
                    on: c.on,
                    line: c.line,
                    line_kind: c.line_kind,
                    working_group: c.working_group,
                    in_kind: c.in_kind,
                    from: c.from,
                    to: c.to,
                    amount: c.amount,
                    hours: c.hours,
                })
                .collect(),
        }
    }
}

/// The start of an ending: the adopted decision to end the partnership and the reason.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndingBody {
    /// Required: an adopted decision (id) of the municipality that holds the partnership.
    pub decision: Option<String>,
    /// Required (at most 2000 characters).
    #[schema(example = "De raad heeft besloten de stedenbanden als gemeente te beëindigen.")]
    pub reason: Option<String>,
}

/// The letter to the partner town: texts left out keep the draft; `sentOn` marks it sent.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LetterBody {
    pub letter_nl: Option<String>,
    pub letter_en: Option<String>,
    /// YYYY-MM-DD, not before the decision.
    #[schema(example = "2019-02-01")]
    pub sent_on: Option<String>,
}

/// The partner town was notified.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationBody {
    /// Required: YYYY-MM-DD, not before the letter.
    #[schema(example = "2019-02-15")]
    pub on: Option<String>,
    /// How (at most 500 characters).
    #[schema(example = "Brief en telefonisch contact met de burgemeester")]
    pub how: Option<String>,
}

/// The closing of an ending.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompletionBody {
    /// Required: the end date, YYYY-MM-DD, not before the notification.
    #[schema(example = "2019-12-31")]
    pub end_on: Option<String>,
    /// Required: `ended` or `civil-society-only`.
    #[schema(example = "civil-society-only")]
    pub final_status: Option<String>,
}

// ---- queries ------------------------------------------------------------------------------------

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DecisionListQuery {
    /// The municipality (id or slug): its decisions and its predecessors'; an unknown one is a
    /// 422. Without it, every municipality's.
    #[param(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AboutQuery {
    /// Required: `partnership`, `subsidy`, `schedule`, `evaluation` or `working-group`.
    #[param(example = "partnership")]
    pub kind: Option<String>,
    /// Required: the record's id.
    pub id: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Required: the municipality (id or slug), with its predecessors.
    #[param(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct HorizonQuery {
    /// The first year (default: the scenario's own).
    #[param(example = 2019)]
    pub from: Option<String>,
    /// The last year (default: the scenario's own); at most 30 years.
    #[param(example = 2022)]
    pub to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Required: 2 to 10 scenario ids of one municipality, separated by commas; the first is
    /// the one the others are compared with.
    pub ids: Option<String>,
    /// The first year (default: the first scenario's own).
    #[param(example = 2019)]
    pub from: Option<String>,
    /// The last year (default: the first scenario's own); at most 30 years.
    #[param(example = 2022)]
    pub to: Option<String>,
}

// ---- answers: decisions and rules ---------------------------------------------------------------

/// A decision as rules cite it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRefOut {
    pub id: String,
    #[schema(value_type = String, format = Date, example = "2011-11-08")]
    pub date: String,
    #[schema(example = "council")]
    pub body: String,
    pub reference: Option<String>,
    pub title: String,
}

impl From<&DecisionRef> for DecisionRefOut {
    fn from(d: &DecisionRef) -> Self {
        Self {
            id: d.id.clone(),
            date: d.date.to_string(),
            body: d.body.as_str().to_owned(),
            reference: d.reference.clone(),
            title: d.title.clone(),
        }
    }
}

/// A rule with its history: imposed by a decision from a date, perhaps lifted by a later one.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleOut {
    pub id: String,
    /// The municipality it binds (id).
    pub municipality: String,
    /// `no-new-twinnings`, `subsidy-ends`, `no-budget-line` or `no-staff-capacity`.
    #[schema(example = "no-new-twinnings")]
    pub kind: String,
    /// From when it holds.
    #[schema(value_type = String, format = Date, example = "2011-11-08")]
    pub from: String,
    /// For `subsidy-ends`: the phase-out schedule (id).
    pub schedule: Option<String>,
    pub imposed_by: DecisionRefOut,
    /// The decision that lifted it (it holds until the day before that decision's date).
    pub lifted_by: Option<DecisionRefOut>,
    /// Whether it holds today.
    pub in_force: bool,
}

impl From<&Rule> for RuleOut {
    fn from(r: &Rule) -> Self {
        Self {
            id: r.id.clone(),
            municipality: r.municipality.clone(),
            kind: r.kind.as_str().to_owned(),
            from: r.from.to_string(),
            schedule: r.schedule.clone(),
            imposed_by: DecisionRefOut::from(&r.imposed_by),
            lifted_by: r.lifted_by.as_ref().map(DecisionRefOut::from),
            in_force: r.holds_on(today()),
        }
    }
}

/// A record a decision is about, with a readable name.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffectedOut {
    #[schema(example = "partnership")]
    pub kind: String,
    pub id: String,
    #[schema(example = "Leidschendam-Voorburg – Hranice")]
    pub label: String,
}

/// A decision with what it affects and the rules it imposed and lifted.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecisionOut {
    pub id: String,
    pub municipality: MunicipalityRef,
    #[schema(value_type = String, format = Date, example = "2011-11-08")]
    pub date: String,
    #[schema(example = "council")]
    pub body: String,
    #[schema(example = "decision")]
    pub kind: String,
    pub reference: Option<String>,
    pub title: String,
    pub text: Option<String>,
    #[schema(example = "adopted")]
    pub outcome: String,
    pub votes_for: Option<u16>,
    pub votes_against: Option<u16>,
    pub source_url: Option<String>,
    pub affects: Vec<AffectedOut>,
    /// The rules it imposed, with their history.
    pub imposed: Vec<RuleOut>,
    /// The rules it lifted.
    pub lifted: Vec<RuleOut>,
    /// Whether the caller may change it.
    pub may_edit: bool,
}

impl From<&DecisionView> for DecisionOut {
    fn from(v: &DecisionView) -> Self {
        let d = &v.record.draft;
        Self {
            id: v.record.id.clone(),
            municipality: MunicipalityRef::from(&v.municipality),
            date: d.date.to_string(),
            body: d.body.as_str().to_owned(),
            kind: d.kind.as_str().to_owned(),
            reference: d.reference.clone(),
            title: d.title.to_string(),
            text: d.text.clone(),
            outcome: d.outcome.as_str().to_owned(),
            votes_for: d.votes.map(|v| v.for_),
            votes_against: d.votes.map(|v| v.against),
            source_url: d.source_url.clone(),
            affects: v
                .affected
                .iter()
                .map(|(kind, id, label)| AffectedOut {
                    kind: kind.as_str().to_owned(),
                    id: id.clone(),
                    label: label.clone(),
                })
                .collect(),
            imposed: v.imposed.iter().map(RuleOut::from).collect(),
            lifted: v.lifted.iter().map(RuleOut::from).collect(),
            may_edit: v.may_edit,
        }
    }
}

/// A money line with an amount.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineAmountOut {
    #[schema(example = "Subsidie stedenbanden")]
    pub line: String,
    /// `budget`, `subsidy` or `contribution`.
    #[schema(example = "subsidy")]
    pub line_kind: String,
    /// The working group it goes to (id).
    pub working_group: Option<String>,
    /// Valued in kind rather than paid in cash.
    pub in_kind: bool,
    /// In euro cents (integer) a year.
    #[schema(example = 2449000)]
    pub amount_cents: i64,
}

fn line_amount(k: &LineKey, amount: Euros) -> LineAmountOut {
    LineAmountOut {
        line: k.line.clone(),
        line_kind: k.line_kind.as_str().to_owned(),
        working_group: k.working_group.clone(),
        in_kind: k.in_kind,
        amount_cents: cents(amount),
    }
}

/// The municipality's plan for one year, as an adopted scenario wrote it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanYearOut {
    #[schema(example = 2019)]
    pub year: i16,
    pub lines: Vec<LineAmountOut>,
    /// Staff capacity in hours, when planned.
    pub staff_hours: Option<u32>,
    /// The adopting decision (id).
    pub decision: String,
}

impl From<&PlanYear> for PlanYearOut {
    fn from(p: &PlanYear) -> Self {
        Self {
            year: p.year,
            lines: p.lines.iter().map(|(k, a)| line_amount(k, *a)).collect(),
            staff_hours: p.staff_hours,
            decision: p.decision.clone(),
        }
    }
}

// ---- answers: scenarios -------------------------------------------------------------------------

/// A change of a scenario; which fields are present depends on `kind`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeOut {
    /// `status`, `line` or `staff`.
    #[schema(example = "status")]
    pub kind: String,
    /// `status`: the partnership (id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnership: Option<String>,
    /// `status`: the new status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `status`: from when.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_kind: Option<bool>,
    /// `line`, `staff`: the first year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<i16>,
    /// `line`, `staff`: the last year (absent: to the horizon's end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<i16>,
    /// `line`: euro cents (integer) a year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_cents: Option<i64>,
    /// `staff`: hours a year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
}

impl From<&Change> for ChangeOut {
    fn from(c: &Change) -> Self {
        let mut out = ChangeOut {
            kind: String::new(),
            partnership: None,
            status: None,
            on: None,
            line: None,
            line_kind: None,
            working_group: None,
            in_kind: None,
            from: None,
            to: None,
            amount_cents: None,
            hours: None,
        };
        match c {
            Change::Status {
                partnership,
                status,
                on,
            } => {
                out.kind = "status".into();
                out.partnership = Some(partnership.clone());
                out.status = Some(status.as_str().to_owned());
                out.on = Some(on.to_string());
            }
            Change::Line {
                line,
                line_kind,
                working_group,
                in_kind,
                from,
                to,
                amount,
            } => {
                out.kind = "line".into();
                out.line = Some(line.to_string());
                out.line_kind = Some(line_kind.as_str().to_owned());
                out.working_group = working_group.clone();
                out.in_kind = Some(*in_kind);
                out.from = Some(*from);
                out.to = *to;
                out.amount_cents = Some(cents(*amount));
            }
            Change::Staff { from, to, hours } => {
                out.kind = "staff".into();
                out.from = Some(*from);
                out.to = *to;
                out.hours = Some(*hours);
            }
        }
        out
    }
}

/// A partnership or working group in a projection, by id with its name.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamedOut {
    pub id: String,
    pub name: String,
}

/// A partnership's status at the end of a year.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusOut {
    /// The partnership (id).
    pub partnership: String,
    #[schema(example = "civil-society-only")]
    pub status: String,
}

/// A working group's funding gap in a year.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GapOut {
    /// The working group (id).
    pub working_group: String,
    /// Its usual yearly expenses minus its usual income without the municipal part, in euro
    /// cents (integer).
    pub gap_cents: i64,
    /// The municipal cash the scenario gives the group that year, in euro cents (integer).
    pub municipal_cents: i64,
    /// What is left to find elsewhere, in euro cents (integer; negative: a surplus).
    pub remaining_cents: i64,
}

/// One year of a projection.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectedYearOut {
    #[schema(example = 2019)]
    pub year: i16,
    /// Every line with its amount that year.
    pub lines: Vec<LineAmountOut>,
    /// The lines paid in cash, in euro cents (integer).
    pub cash_cents: i64,
    /// The lines valued in kind, in euro cents (integer).
    pub in_kind_cents: i64,
    pub staff_hours: u32,
    /// Each partnership's status at the year's end.
    pub statuses: Vec<StatusOut>,
    /// Each working group's funding gap.
    pub gaps: Vec<GapOut>,
}

/// The present situation a scenario starts from.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BaselineOut {
    /// The recurring municipal lines (yearly-budget subsidies and in-kind contributions) of the
    /// last year before the horizon that had any.
    pub lines: Vec<LineAmountOut>,
    /// The planned staff capacity of the year before the horizon (0 when none was planned).
    pub staff_hours: u32,
    /// Each partnership's status today.
    pub statuses: Vec<StatusOut>,
}

/// A scenario projected over a horizon.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectionOut {
    #[schema(example = 2019)]
    pub from: i16,
    #[schema(example = 2022)]
    pub to: i16,
    pub baseline: BaselineOut,
    /// The municipality's partnerships.
    pub partnerships: Vec<NamedOut>,
    /// The working groups of its foundations.
    pub working_groups: Vec<NamedOut>,
    pub years: Vec<ProjectedYearOut>,
    /// Over the whole horizon: cash and in kind in euro cents (integer), staff hours.
    pub total_cash_cents: i64,
    pub total_in_kind_cents: i64,
    pub total_staff_hours: u64,
}

/// A scenario without its projection.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSummaryOut {
    pub id: String,
    pub municipality: MunicipalityRef,
    #[schema(example = "A")]
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// Whether this is the option the proposal recommends.
    pub proposed: bool,
    /// The scenario's own horizon.
    #[schema(example = 2019)]
    pub horizon_from: i16,
    #[schema(example = 2022)]
    pub horizon_to: i16,
    pub changes: Vec<ChangeOut>,
    /// The decision that adopted it; absent while not adopted.
    pub adopted_by: Option<DecisionRefOut>,
    /// Whether the caller may try and adopt it.
    pub may_adopt: bool,
}

impl From<&ScenarioView> for ScenarioSummaryOut {
    fn from(v: &ScenarioView) -> Self {
        let d = &v.record.draft;
        Self {
            id: v.record.id.clone(),
            municipality: MunicipalityRef::from(&v.municipality),
            code: d.code.clone(),
            title: d.title.to_string(),
            description: d.description.clone(),
            proposed: d.proposed,
            horizon_from: d.horizon.from,
            horizon_to: d.horizon.to,
            changes: d.changes.iter().map(ChangeOut::from).collect(),
            adopted_by: v.record.adopted_by.as_ref().map(DecisionRefOut::from),
            may_adopt: v.may_adopt,
        }
    }
}

/// A scenario with its projection over the horizon asked for.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioOut {
    #[serde(flatten)]
    pub scenario: ScenarioSummaryOut,
    pub projection: ProjectionOut,
}

fn named(ids: &[String], names: &BTreeMap<String, String>) -> Vec<NamedOut> {
    ids.iter()
        .map(|id| NamedOut {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_else(|| id.clone()),
        })
        .collect()
}

impl From<&ScenarioView> for ScenarioOut {
    fn from(v: &ScenarioView) -> Self {
        let p = &v.projection;
        let b = &v.baseline;
        let (cash, in_kind, hours) = p.totals();
        Self {
            scenario: ScenarioSummaryOut::from(v),
            projection: ProjectionOut {
                from: v.horizon.from,
                to: v.horizon.to,
                baseline: BaselineOut {
                    lines: b.lines.iter().map(|(k, a)| line_amount(k, *a)).collect(),
                    staff_hours: b.staff_hours,
                    statuses: b
                        .statuses
                        .iter()
                        .map(|(p, s)| StatusOut {
                            partnership: p.clone(),
                            status: s.as_str().to_owned(),
                        })
                        .collect(),
                },
                partnerships: named(&p.partnerships, &v.names),
                working_groups: named(&p.groups, &v.names),
                years: p
                    .years
                    .iter()
                    .map(|y| ProjectedYearOut {
                        year: y.year,
                        lines: p
                            .lines
                            .iter()
                            .zip(&y.lines)
                            .map(|(k, a)| line_amount(k, *a))
                            .collect(),
                        cash_cents: cents(y.cash),
                        in_kind_cents: cents(y.in_kind),
                        staff_hours: y.staff_hours,
                        statuses: p
                            .partnerships
                            .iter()
                            .zip(&y.statuses)
                            .map(|(id, s)| StatusOut {
                                partnership: id.clone(),
                                status: s.as_str().to_owned(),
                            })
                            .collect(),
                        gaps: p
                            .groups
                            .iter()
                            .zip(&y.gaps)
                            .map(|(g, gap)| GapOut {
                                working_group: g.clone(),
                                gap_cents: cents(gap.gap),
                                municipal_cents: cents(gap.municipal),
                                remaining_cents: cents(gap.remaining),
                            })
                            .collect(),
                    })
                    .collect(),
                total_cash_cents: cents(cash),
                total_in_kind_cents: cents(in_kind),
                total_staff_hours: hours,
            },
        }
    }
}

/// A scenario in a comparison.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComparedScenarioOut {
    pub id: String,
    #[schema(example = "A")]
    pub code: String,
    pub title: String,
    pub proposed: bool,
    pub adopted: bool,
}

/// One scenario's figures in one year of a comparison.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComparedFiguresOut {
    /// The scenario (id).
    pub scenario: String,
    /// In euro cents (integer).
    pub cash_cents: i64,
    /// In euro cents (integer).
    pub in_kind_cents: i64,
    pub staff_hours: u32,
    /// Its municipal cost (cash plus in kind) minus the first scenario's, in euro cents
    /// (integer); 0 for the first.
    pub difference_cents: i64,
}

/// One year of a comparison: each scenario's figures, in the order asked for.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComparedYearOut {
    #[schema(example = 2019)]
    pub year: i16,
    pub scenarios: Vec<ComparedFiguresOut>,
}

/// Scenarios side by side over one horizon.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonOut {
    #[schema(example = 2019)]
    pub from: i16,
    #[schema(example = 2022)]
    pub to: i16,
    pub scenarios: Vec<ComparedScenarioOut>,
    pub years: Vec<ComparedYearOut>,
}

impl From<&ScenarioComparison> for ComparisonOut {
    fn from(c: &ScenarioComparison) -> Self {
        let ids: Vec<String> = c.scenarios.iter().map(|s| s.record.id.clone()).collect();
        let horizon = c.scenarios.first().map(|s| s.horizon);
        Self {
            from: horizon.map_or(0, |h| h.from),
            to: horizon.map_or(0, |h| h.to),
            scenarios: c
                .scenarios
                .iter()
                .map(|s| ComparedScenarioOut {
                    id: s.record.id.clone(),
                    code: s.record.draft.code.clone(),
                    title: s.record.draft.title.to_string(),
                    proposed: s.record.draft.proposed,
                    adopted: s.record.adopted_by.is_some(),
                })
                .collect(),
            years: c
                .years
                .iter()
                .map(|y| ComparedYearOut {
                    year: y.year,
                    scenarios: ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| ComparedFiguresOut {
                            scenario: id.clone(),
                            cash_cents: y.cash.get(i).copied().map_or(0, cents),
                            in_kind_cents: y.in_kind.get(i).copied().map_or(0, cents),
                            staff_hours: y.staff_hours.get(i).copied().unwrap_or(0),
                            difference_cents: y.difference.get(i).copied().map_or(0, cents),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One thing an adoption changes; which fields are present depends on `kind`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EffectOut {
    /// `status` (a partnership's status changes on a date), `plan-line` (the plan's amount of a
    /// money line in a year), `plan-staff` (the plan's staff capacity in a year), `impose-rule`
    /// (a new rule from a date) or `lift-rule` (an existing rule lifted).
    #[schema(example = "status")]
    pub kind: String,
    /// `status`: the partnership (id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partnership: Option<String>,
    /// `status`: the status before.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "active")]
    pub from_status: Option<String>,
    /// `status`: the status after.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "civil-society-only")]
    pub to_status: Option<String>,
    /// `status`: the day it changes; `impose-rule`: the day the rule holds from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
    /// `plan-line`, `plan-staff`: the year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i16>,
    /// `plan-line`: the line and its amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<LineAmountOut>,
    /// `plan-staff`: hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// `lift-rule`: the rule lifted (id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// `impose-rule`, `lift-rule`: the rule's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "no-budget-line")]
    pub rule_kind: Option<String>,
}

impl From<&Effect> for EffectOut {
    fn from(e: &Effect) -> Self {
        let mut out = EffectOut {
            kind: String::new(),
            partnership: None,
            from_status: None,
            to_status: None,
            on: None,
            year: None,
            line: None,
            hours: None,
            rule: None,
            rule_kind: None,
        };
        match e {
            Effect::Status {
                partnership,
                from,
                to,
                on,
            } => {
                out.kind = "status".into();
                out.partnership = Some(partnership.clone());
                out.from_status = Some(from.as_str().to_owned());
                out.to_status = Some(to.as_str().to_owned());
                out.on = Some(on.to_string());
            }
            Effect::PlanLine { year, key, amount } => {
                out.kind = "plan-line".into();
                out.year = Some(*year);
                out.line = Some(line_amount(key, *amount));
            }
            Effect::PlanStaff { year, hours } => {
                out.kind = "plan-staff".into();
                out.year = Some(*year);
                out.hours = Some(*hours);
            }
            Effect::ImposeRule { rule, from } => {
                out.kind = "impose-rule".into();
                out.rule_kind = Some(rule.as_str().to_owned());
                out.on = Some(from.to_string());
            }
            Effect::LiftRule { rule, rule_kind } => {
                out.kind = "lift-rule".into();
                out.rule = Some(rule.clone());
                out.rule_kind = Some(rule_kind.as_str().to_owned());
            }
        }
        out
    }
}

/// What adopting a scenario changes (in a dry run: would change).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdoptionOut {
    pub scenario: ScenarioSummaryOut,
    /// In the order they are carried out.
    pub effects: Vec<EffectOut>,
    /// The adopting decision (id); absent in a dry run.
    pub decision: Option<String>,
    /// Whether this was a dry run (nothing changed).
    pub dry_run: bool,
}

impl From<&AdoptionView> for AdoptionOut {
    fn from(a: &AdoptionView) -> Self {
        Self {
            scenario: ScenarioSummaryOut::from(&a.scenario),
            effects: a.effects.iter().map(EffectOut::from).collect(),
            decision: a.decision.clone(),
            dry_run: a.decision.is_none(),
        }
    }
}

// ---- answers: endings ---------------------------------------------------------------------------

/// A partnership's ending: the decision and reason, the letter to the partner town (drafted in
/// Dutch and English from the bond's history), the notification, the end date and final status.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndingOut {
    pub partnership: CoveredPartnershipRef,
    pub decision: DecisionRefOut,
    pub reason: String,
    /// `decided`, `letter-sent`, `partner-notified` or `completed`.
    #[schema(example = "decided")]
    pub step: String,
    pub letter_nl: String,
    pub letter_en: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub letter_sent_on: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub notified_on: Option<String>,
    pub notified_how: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_on: Option<String>,
    /// `ended` or `civil-society-only`, once completed.
    pub final_status: Option<String>,
    /// Whether the caller may take the next step (never after completion).
    pub may_edit: bool,
}

impl From<&EndingView> for EndingOut {
    fn from(v: &EndingView) -> Self {
        let e = &v.ending;
        Self {
            partnership: CoveredPartnershipRef::from(&v.partnership),
            decision: DecisionRefOut::from(&e.decision),
            reason: e.reason.clone(),
            step: e.step().as_str().to_owned(),
            letter_nl: e.letter_nl.clone(),
            letter_en: e.letter_en.clone(),
            letter_sent_on: e.letter_sent_on.map(|d| d.to_string()),
            notified_on: e.notified_on.map(|d| d.to_string()),
            notified_how: e.notified_how.clone(),
            end_on: e.end_on.map(|d| d.to_string()),
            final_status: e.final_status.map(|s| s.as_str().to_owned()),
            may_edit: v.may_edit,
        }
    }
}

// ---- handlers: decisions ------------------------------------------------------------------------

/// Decisions, oldest first; with `municipality`, those of that municipality and of the
/// municipalities that merged into it. The public sees adopted decisions only; the
/// municipality's officials see all.
#[utoipa::path(get, path = "/decisions", tag = "decisions",
    params(DecisionListQuery),
    responses(
        (status = 200, description = "The decisions", body = Vec<DecisionOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_decisions(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<DecisionListQuery>,
) -> Result<Json<Vec<DecisionOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let found = unknown_municipality(
        s.decisions.decisions(&caller, given(&q.municipality)).await,
        lang,
    )?;
    Ok(Json(found.iter().map(DecisionOut::from).collect()))
}

/// Record a decision with what it affects, the rules it imposes and the rules it lifts (the
/// municipality's officials). Every invalid field is named at once; nothing is stored unless
/// all are valid.
#[utoipa::path(post, path = "/decisions", tag = "decisions",
    request_body = DecisionBody,
    responses(
        (status = 201, description = "Recorded", body = DecisionOut,
         headers(("Location" = String, description = "The new decision's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of this municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (an adopted decision in the future, a rule of a decision not adopted, a record or rule not the municipality's, a rule lifted already)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_decision(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .decisions
        .create(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/decisions/{}", v.record.id),
        DecisionOut::from(&v),
    ))
}

/// The decisions about one record (a partnership, subsidy, schedule, evaluation or working
/// group), oldest first, as the caller may see them.
#[utoipa::path(get, path = "/decisions/about", tag = "decisions",
    params(AboutQuery),
    responses(
        (status = 200, description = "The decisions about the record", body = Vec<DecisionOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or unknown `kind`, or no `id`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn decisions_about(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<AboutQuery>,
) -> Result<Json<Vec<DecisionOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let mut e = ValidationErrors::default();
    let kind = match given(&q.kind) {
        None => {
            e.push("kind", "error-required");
            None
        }
        Some(k) => e.check("kind", AffectedKind::parse(k)),
    };
    let id = given(&q.id);
    if id.is_none() {
        e.push("id", "error-required");
    }
    let (Some(kind), Some(id)) = (kind, id) else {
        return Err(invalid(lang, e));
    };
    let records = s
        .decisions
        .decisions_about(&caller, kind, id)
        .await
        .or_api(lang)?;
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let v = s.decisions.decision(&caller, &r.id).await.or_api(lang)?;
        out.push(DecisionOut::from(&v));
    }
    Ok(Json(out))
}

/// One decision. One that was not adopted exists only for the municipality's officials.
#[utoipa::path(get, path = "/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, description = "Decision id")),
    responses(
        (status = 200, description = "The decision", body = DecisionOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such decision (or not one the caller may see)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_decision(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DecisionOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s.decisions.decision(&caller, &id).await.or_api(lang)?;
    Ok(Json(DecisionOut::from(&v)))
}

/// Change a decision's fields and what it affects (the municipality's officials). Its rules
/// stay (they are not given here); a decision that imposed or lifted rules stays adopted.
#[utoipa::path(put, path = "/decisions/{id}", tag = "decisions",
    params(("id" = String, Path, description = "Decision id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "Saved", body = DecisionOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the deciding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such decision", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `rules`/`lifts` given", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_decision(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<DecisionOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .decisions
        .update(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(Json(DecisionOut::from(&v)))
}

/// Add a rule to an adopted decision (the municipality's officials).
#[utoipa::path(post, path = "/decisions/{id}/rules", tag = "decisions",
    params(("id" = String, Path, description = "Decision id")),
    request_body = RuleBody,
    responses(
        (status = 201, description = "Imposed", body = RuleOut,
         headers(("Location" = String, description = "The municipality's rules"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the deciding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, an unknown decision, or one not adopted", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn add_decision_rule(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RuleBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .decisions
        .add_rule(&caller, Some(&id), &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/rules?municipality={}", r.municipality),
        RuleOut::from(&r),
    ))
}

/// Impose a rule by an existing adopted decision, named in `decision` (the municipality's
/// officials). A rule without a decision is refused (`decision`).
#[utoipa::path(post, path = "/rules", tag = "decisions",
    request_body = NewRuleBody,
    responses(
        (status = 201, description = "Imposed", body = RuleOut,
         headers(("Location" = String, description = "The municipality's rules"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the deciding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `decision`, an unknown one or one not adopted, or invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_rule(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<NewRuleBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = RuleInput {
        kind: body.kind,
        from: body.from,
        schedule: body.schedule,
    };
    let r = s
        .decisions
        .add_rule(&caller, body.decision.as_deref(), &input)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/rules?municipality={}", r.municipality),
        RuleOut::from(&r),
    ))
}

/// The rules of a municipality and its predecessors with their history: imposed by, lifted
/// by, in force today.
#[utoipa::path(get, path = "/rules", tag = "decisions",
    params(MunicipalityQuery),
    responses(
        (status = 200, description = "The rules, by date", body = Vec<RuleOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_rules(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MunicipalityQuery>,
) -> Result<Json<Vec<RuleOut>>, WebError> {
    auth.caller_or_401(lang)?;
    let m = required_municipality(lang, &q.municipality)?;
    let rules = unknown_municipality(s.decisions.rules(&m).await, lang)?;
    Ok(Json(rules.iter().map(RuleOut::from).collect()))
}

/// The municipality's plan per year, as adopted scenarios wrote it: money lines and staff
/// capacity.
#[utoipa::path(get, path = "/municipalities/{id}/plan", tag = "decisions",
    params(("id" = String, Path, description = "Id or slug")),
    responses(
        (status = 200, description = "The plan, by year", body = Vec<PlanYearOut>),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn plan(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<PlanYearOut>>, WebError> {
    auth.caller_or_401(lang)?;
    let plan = s.decisions.plan(&id).await.or_api(lang)?;
    Ok(Json(plan.iter().map(PlanYearOut::from).collect()))
}

// ---- handlers: scenarios ------------------------------------------------------------------------

/// The scenarios of a municipality and its predecessors, by code, without their projections
/// (totals only: see `GET /scenarios/{id}`).
#[utoipa::path(get, path = "/scenarios", tag = "scenarios",
    params(MunicipalityQuery),
    responses(
        (status = 200, description = "The scenarios", body = Vec<ScenarioSummaryOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_scenarios(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MunicipalityQuery>,
) -> Result<Json<Vec<ScenarioSummaryOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let m = required_municipality(lang, &q.municipality)?;
    let found = unknown_municipality(s.decisions.scenarios(&caller, &m).await, lang)?;
    Ok(Json(found.iter().map(ScenarioSummaryOut::from).collect()))
}

/// Record a scenario (the municipality's officials). Its partnerships and working groups must
/// be the municipality's.
#[utoipa::path(post, path = "/scenarios", tag = "scenarios",
    request_body = ScenarioBody,
    responses(
        (status = 201, description = "Recorded, with its projection", body = ScenarioOut,
         headers(("Location" = String, description = "The new scenario's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of this municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a partnership of another municipality, a code taken, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_scenario(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ScenarioBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .decisions
        .create_scenario(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/scenarios/{}", v.record.id),
        ScenarioOut::from(&v),
    ))
}

/// Several scenarios of one municipality side by side, per year: each one's cash, in kind and
/// staff hours, and its municipal cost minus the first's.
#[utoipa::path(get, path = "/scenarios/compare", tag = "scenarios",
    params(CompareQuery),
    responses(
        (status = 200, description = "The comparison", body = ComparisonOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fewer than 2 or more than 10 `ids`, an unknown one, scenarios of different municipalities, or bad years", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn compare_scenarios(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<ComparisonOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let ids: Vec<String> = given(&q.ids)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let asked = years(lang, &q.from, &q.to)?;
    let own = match (asked, ids.first()) {
        ((Some(_), None) | (None, Some(_)), Some(first)) => Some(
            s.decisions
                .scenario(&caller, first, None)
                .await
                .map_err(as_ids)
                .or_api(lang)?
                .horizon,
        ),
        _ => None,
    };
    let h = horizon(lang, asked, own)?;
    let c = s
        .decisions
        .compare(&caller, &ids, h)
        .await
        .map_err(as_ids)
        .or_api(lang)?;
    Ok(Json(ComparisonOut::from(&c)))
}

/// One scenario projected over its own horizon, or over `from`–`to`: per year every money
/// line, cash and in kind, staff capacity, each partnership's status and each working group's
/// funding gap.
#[utoipa::path(get, path = "/scenarios/{id}", tag = "scenarios",
    params(("id" = String, Path, description = "Scenario id"), HorizonQuery),
    responses(
        (status = 200, description = "The scenario with its projection", body = ScenarioOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scenario", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad years (`from`, `to`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_scenario(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<HorizonQuery>,
) -> Result<Json<ScenarioOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let asked = years(lang, &q.from, &q.to)?;
    let v = s
        .decisions
        .scenario(&caller, &id, None)
        .await
        .or_api(lang)?;
    let v = match horizon(lang, asked, Some(v.record.draft.horizon))? {
        Some(h) if h != v.horizon => s
            .decisions
            .scenario(&caller, &id, Some(h))
            .await
            .or_api(lang)?,
        _ => v,
    };
    Ok(Json(ScenarioOut::from(&v)))
}

/// What adopting the scenario would change, without changing anything (the municipality's
/// officials).
#[utoipa::path(post, path = "/scenarios/{id}/dry-run", tag = "scenarios",
    params(("id" = String, Path, description = "Scenario id")),
    responses(
        (status = 200, description = "The effects adoption would have", body = AdoptionOut),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the scenario's municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scenario", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Adopted already (`scenario`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn dry_run(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AdoptionOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let a = s.decisions.dry_run(&caller, &id, None).await.or_api(lang)?;
    Ok(Json(AdoptionOut::from(&a)))
}

/// Adopt the scenario with the decision that adopts it (the municipality's officials): in one
/// transaction the decision is recorded, the partnerships' statuses change, the plan per year
/// is written, rules are imposed and lifted, and all of it goes into the audit log. The effects
/// are exactly those of the dry run. A scenario is adopted once.
#[utoipa::path(post, path = "/scenarios/{id}/adopt", tag = "scenarios",
    params(("id" = String, Path, description = "Scenario id")),
    request_body = AdoptionBody,
    responses(
        (status = 201, description = "Adopted: the effects and the decision", body = AdoptionOut,
         headers(("Location" = String, description = "The adopting decision's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the scenario's municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such scenario", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Adopted already (`scenario`), or invalid decision fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn adopt(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AdoptionBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let a = s
        .decisions
        .adopt(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let location = format!(
        "/api/v1/decisions/{}",
        a.decision.as_deref().unwrap_or_default()
    );
    Ok(created(location, AdoptionOut::from(&a)))
}

// ---- handlers: ending a partnership -------------------------------------------------------------

/// A partnership's ending, once started.
#[utoipa::path(get, path = "/partnerships/{id}/ending", tag = "endings",
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, description = "The ending", body = EndingOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership, or no ending started", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_ending(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EndingOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let e = s
        .decisions
        .ending(&caller, &id)
        .await
        .and_then(|e| e.ok_or(AppError::NotFound))
        .or_api(lang)?;
    Ok(Json(EndingOut::from(&e)))
}

/// Start ending a partnership (the officials of the municipality that holds it): the adopted
/// decision to end it and the reason; the letter to the partner town is drafted in Dutch and
/// English from the bond's history.
#[utoipa::path(post, path = "/partnerships/{id}/ending", tag = "endings",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = EndingBody,
    responses(
        (status = 201, description = "Started, with the letter's drafts", body = EndingOut,
         headers(("Location" = String, description = "The ending's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the holding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No or an unknown decision, one not adopted, no reason, or an ending started already", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn start_ending(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndingBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = StartInput {
        decision: body.decision,
        reason: body.reason,
    };
    let e = s
        .decisions
        .start_ending(&caller, &id, &input)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/partnerships/{}/ending", e.ending.partnership),
        EndingOut::from(&e),
    ))
}

/// Record the letter to the partner town: edited texts (left out: the draft stays) and the day
/// it was sent. Only right after the decision.
#[utoipa::path(put, path = "/partnerships/{id}/ending/letter", tag = "endings",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = LetterBody,
    responses(
        (status = 200, description = "Recorded", body = EndingOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the holding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership, or no ending started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the step was taken already", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn record_letter(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LetterBody>,
) -> Result<Json<EndingOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = LetterInput {
        letter_nl: body.letter_nl,
        letter_en: body.letter_en,
        sent_on: body.sent_on,
    };
    let e = s
        .decisions
        .record_letter(&caller, &id, &input)
        .await
        .or_api(lang)?;
    Ok(Json(EndingOut::from(&e)))
}

/// Record that the partner town was notified (after the letter was sent).
#[utoipa::path(put, path = "/partnerships/{id}/ending/notification", tag = "endings",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = NotificationBody,
    responses(
        (status = 200, description = "Recorded", body = EndingOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the holding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership, or no ending started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or out of order (`on`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn record_notification(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NotificationBody>,
) -> Result<Json<EndingOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = NotifyInput {
        on: body.on,
        how: body.how,
    };
    let e = s
        .decisions
        .record_notification(&caller, &id, &input)
        .await
        .or_api(lang)?;
    Ok(Json(EndingOut::from(&e)))
}

/// Close the ending (after the partner was notified): the end date and the final status. The
/// partnership is then archived: its records can no longer be changed.
#[utoipa::path(put, path = "/partnerships/{id}/ending/completion", tag = "endings",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = CompletionBody,
    responses(
        (status = 200, description = "Completed", body = EndingOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the holding municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership, or no ending started", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or out of order (`endOn`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn complete_ending(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CompletionBody>,
) -> Result<Json<EndingOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = CompleteInput {
        end_on: body.end_on,
        final_status: body.final_status,
    };
    let e = s
        .decisions
        .complete_ending(&caller, &id, &input)
        .await
        .or_api(lang)?;
    Ok(Json(EndingOut::from(&e)))
}
