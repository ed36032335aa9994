//! The reports API: figures computed from the register, the activities and the money for a
//! period and a set of a municipality's partnerships (held activities per year, partnership,
//! category and direction; participants per side; municipal money by kind, private money by
//! source, cost per participant, leverage, the municipal share of the working groups' budgets;
//! the three themes of the evaluations and how their share moved; continuity), the indicators
//! per evaluation criterion, and two reports compared. The same figures as the report page.
//!
//! Amounts go out as integer euro cents in fields ending in `Cents`; shares (0 to 1) as decimal
//! strings with four decimals, the leverage with two (rounded half away from zero). Public:
//! the public sees the figures of public activities only (`includesInternal: false`); the
//! municipality's officials and its foundation's board see all activities.

use super::dto::MunicipalityRef;
use super::extract::ApiQuery;
use super::money::FundedPartnershipRef;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::extract::State;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stedenband_app::organisation::today;
use stedenband_app::reports::ComparisonView;
use stedenband_app::{ReportParams, ReportView};
use stedenband_domain::ValidationErrors;
use stedenband_domain::date::{MAX_YEAR, MIN_YEAR};
use stedenband_domain::money::Euros;
use stedenband_domain::report::{
    ActivityFigures, Aspect, Continuity, Figure, MoneyFigures, ThemeFigures, ThemeMovement,
    indicators,
};
use utoipa::{IntoParams, ToSchema};

/// The default period when none is given: the last ten years up to this one.
const DEFAULT_YEARS: i16 = 10;

// ---- parameters ---------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(super) struct ReportQuery {
    /// The municipality (id or slug).
    #[param(example = "leidschendam-voorburg")]
    municipality: Option<String>,
    /// The first year (default: nine years before `to`).
    #[param(example = 2004)]
    from: Option<String>,
    /// The last year (default: this year). At most 100 years in one report.
    #[param(example = 2008)]
    to: Option<String>,
    /// Partnership ids separated by commas (default: all of the municipality's).
    partnerships: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub(super) struct CompareQuery {
    /// The municipality (id or slug).
    #[param(example = "leidschendam-voorburg")]
    municipality: Option<String>,
    /// The first report's first year.
    #[param(example = 2004)]
    from: Option<String>,
    /// The first report's last year.
    #[param(example = 2008)]
    to: Option<String>,
    /// The first report's partnerships, ids separated by commas (default: all).
    partnerships: Option<String>,
    /// The second report's first year (default: the first report's).
    #[param(example = 2012)]
    other_from: Option<String>,
    /// The second report's last year (default: the first report's).
    #[param(example = 2016)]
    other_to: Option<String>,
    /// The second report's partnerships (default: the first report's).
    other_partnerships: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A year parameter: absent is `None`; not a year in range is an error on `field`.
fn year(e: &mut ValidationErrors, field: &'static str, v: &Option<String>) -> Option<i16> {
    let raw = given(v)?;
    match raw.parse::<i16>() {
        Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
        _ => {
            e.push(field, "error-year-out-of-range");
            None
        }
    }
}

/// The period from the two ends, either of which may be missing.
fn period(from: Option<i16>, to: Option<i16>) -> (i16, i16) {
    match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, today().year().max(f).min(f + 99)),
        (None, Some(t)) => ((t - (DEFAULT_YEARS - 1)).max(MIN_YEAR), t),
        (None, None) => {
            let t = today().year();
            (t - (DEFAULT_YEARS - 1), t)
        }
    }
}

fn ids(v: &Option<String>) -> Vec<String> {
    given(v)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn municipality(e: &mut ValidationErrors, v: &Option<String>) -> String {
    match given(v) {
        Some(m) => m.to_owned(),
        None => {
            e.push("municipality", "error-required");
            String::new()
        }
    }
}

fn invalid(lang: Lang, e: ValidationErrors) -> WebError {
    WebError::new(Front::Api, lang, ErrorKind::Invalid(e))
}

// ---- answers ------------------------------------------------------------------------------------

fn decimal(d: Decimal, places: u32) -> String {
    format!(
        "{:.*}",
        places as usize,
        d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
    )
}

fn share(d: Option<Decimal>) -> Option<String> {
    d.map(|d| decimal(d, 4))
}

fn ratio(d: Option<Decimal>) -> Option<String> {
    d.map(|d| decimal(d, 2))
}

fn cents(e: Option<Euros>) -> Option<i64> {
    e.map(Euros::cents)
}

/// Held activities (each occurrence of a recurring one counts) and their participants.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ActivitiesOut {
    activities: u32,
    /// Per partnership id.
    by_partnership: BTreeMap<String, u32>,
    /// Per category code (`knowledge-transfer`, `economy`, `city-promotion`, `sport`, ...).
    by_category: BTreeMap<String, u32>,
    /// Per direction (`incoming`, `outgoing`, `both`, `online`).
    by_direction: BTreeMap<String, u32>,
    participants_home: u64,
    participants_partner: u64,
    /// The costs recorded with the occurrences, in euro cents.
    costs_cents: i64,
}

impl From<&ActivityFigures> for ActivitiesOut {
    fn from(a: &ActivityFigures) -> Self {
        Self {
            activities: a.activities,
            by_partnership: a.by_partnership.clone(),
            by_category: a
                .by_category
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .collect(),
            by_direction: a
                .by_direction
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .collect(),
            participants_home: a.participants_home,
            participants_partner: a.participants_partner,
            costs_cents: a.costs.cents(),
        }
    }
}

/// Money of a year or of the period, amounts in euro cents.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct MoneyOut {
    /// Municipal cash per kind of subsidy (`yearly-budget`, `one-off-grant`, ...).
    cash_by_kind_cents: BTreeMap<String, i64>,
    /// Municipal cash per partnership id; "" is money for none in particular.
    cash_by_partnership_cents: BTreeMap<String, i64>,
    cash_cents: i64,
    /// In-kind contributions, valued, apart from cash.
    in_kind_cents: i64,
    /// The working groups' income per source.
    income_by_source_cents: BTreeMap<String, i64>,
    /// Their expenses per category.
    expenses_by_category_cents: BTreeMap<String, i64>,
    private_income_cents: i64,
    municipal_income_cents: i64,
    group_income_cents: i64,
    group_expenses_cents: i64,
    /// Private euros per municipal euro, two decimals.
    #[schema(example = "1.25")]
    leverage: Option<String>,
    cost_per_participant_cents: Option<i64>,
    municipal_cost_per_participant_cents: Option<i64>,
    municipal_cost_per_activity_cents: Option<i64>,
    /// Municipal income ÷ all income of the working groups, 0 to 1, four decimals.
    #[schema(example = "0.4167")]
    municipal_share_of_budgets: Option<String>,
}

impl From<&MoneyFigures> for MoneyOut {
    fn from(m: &MoneyFigures) -> Self {
        fn map<K: ToString>(m: &BTreeMap<K, Euros>) -> BTreeMap<String, i64> {
            m.iter().map(|(k, v)| (k.to_string(), v.cents())).collect()
        }
        Self {
            cash_by_kind_cents: map(&m.cash_by_kind),
            cash_by_partnership_cents: map(&m.cash_by_partnership),
            cash_cents: m.cash.cents(),
            in_kind_cents: m.in_kind.cents(),
            income_by_source_cents: map(&m.income_by_source),
            expenses_by_category_cents: map(&m.expenses_by_category),
            private_income_cents: m.private_income.cents(),
            municipal_income_cents: m.municipal_income.cents(),
            group_income_cents: m.group_income.cents(),
            group_expenses_cents: m.group_expenses.cents(),
            leverage: ratio(m.leverage),
            cost_per_participant_cents: cents(m.cost_per_participant),
            municipal_cost_per_participant_cents: cents(m.municipal_cost_per_participant),
            municipal_cost_per_activity_cents: cents(m.municipal_cost_per_activity),
            municipal_share_of_budgets: share(m.municipal_share_of_budgets),
        }
    }
}

/// Held activities in knowledge transfer, economy and business, and city promotion.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ThemesOut {
    activities: u32,
    knowledge_transfer: u32,
    economy: u32,
    city_promotion: u32,
    themed: u32,
    knowledge_transfer_share: Option<String>,
    economy_share: Option<String>,
    city_promotion_share: Option<String>,
    themed_share: Option<String>,
}

impl From<&ThemeFigures> for ThemesOut {
    fn from(t: &ThemeFigures) -> Self {
        Self {
            activities: t.activities,
            knowledge_transfer: t.knowledge_transfer,
            economy: t.economy,
            city_promotion: t.city_promotion,
            themed: t.themed,
            knowledge_transfer_share: share(t.knowledge_transfer_share),
            economy_share: share(t.economy_share),
            city_promotion_share: share(t.city_promotion_share),
            themed_share: share(t.themed_share),
        }
    }
}

/// How the share of the three themes together moved: from the first year with activities to
/// the last, and between the first and the second half of the period (differences of shares).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ThemeMovementOut {
    first_year: Option<i16>,
    first_share: Option<String>,
    last_year: Option<i16>,
    last_share: Option<String>,
    change: Option<String>,
    /// The years of the first half, `[from, to]`.
    first_half_years: Option<[i16; 2]>,
    second_half_years: Option<[i16; 2]>,
    first_half_share: Option<String>,
    second_half_share: Option<String>,
    change_between_halves: Option<String>,
}

impl From<&ThemeMovement> for ThemeMovementOut {
    fn from(m: &ThemeMovement) -> Self {
        Self {
            first_year: m.first_year,
            first_share: share(m.first_share),
            last_year: m.last_year,
            last_share: share(m.last_share),
            change: share(m.change),
            first_half_years: m.halves.map(|((a, b), _)| [a, b]),
            second_half_years: m.halves.map(|(_, (a, b))| [a, b]),
            first_half_share: share(m.first_half.as_ref().and_then(|t| t.themed_share)),
            second_half_share: share(m.second_half.as_ref().and_then(|t| t.themed_share)),
            change_between_halves: share(m.change_between_halves),
        }
    }
}

/// Whether a partnership kept up its exchanges in the period.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContinuityOut {
    partnership: String,
    years_with: Vec<i16>,
    years_without: Vec<i16>,
    /// The longest run of years without a held activity.
    longest_gap: u32,
    #[schema(value_type = Option<String>, format = Date)]
    last_held: Option<String>,
    dormant: bool,
}

impl From<&Continuity> for ContinuityOut {
    fn from(c: &Continuity) -> Self {
        Self {
            partnership: c.partnership.clone(),
            years_with: c.years_with.clone(),
            years_without: c.years_without.clone(),
            longest_gap: c.longest_gap,
            last_held: c.last_held.map(|d| d.to_string()),
            dormant: c.dormant,
        }
    }
}

/// A figure with its type: `count` and `years` in `value`, `euros` in `cents`, `ratio` (two
/// decimals) and `share` (0 to 1, four decimals) in `decimal`; absent where there is nothing
/// to divide by.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct FigureOut {
    #[schema(example = "share")]
    r#type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decimal: Option<String>,
}

impl From<Figure> for FigureOut {
    fn from(f: Figure) -> Self {
        let empty = |t| FigureOut {
            r#type: t,
            value: None,
            cents: None,
            decimal: None,
        };
        match f {
            Figure::Count(n) => FigureOut {
                value: Some(n),
                ..empty("count")
            },
            Figure::Years(n) => FigureOut {
                value: Some(n),
                ..empty("years")
            },
            Figure::Euros(e) => FigureOut {
                cents: cents(e),
                ..empty("euros")
            },
            Figure::Ratio(d) => FigureOut {
                decimal: ratio(d),
                ..empty("ratio")
            },
            Figure::Share(d) => FigureOut {
                decimal: share(d),
                ..empty("share")
            },
        }
    }
}

/// A figure that bears on an evaluation criterion.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct IndicatorOut {
    #[schema(example = "indicator-leverage")]
    key: &'static str,
    figure: FigureOut,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct YearActivitiesOut {
    year: i16,
    #[serde(flatten)]
    figures: ActivitiesOut,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct YearMoneyOut {
    year: i16,
    #[serde(flatten)]
    figures: MoneyOut,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct YearThemesOut {
    year: i16,
    #[serde(flatten)]
    figures: ThemesOut,
}

/// A computed report.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReportOut {
    municipality: MunicipalityRef,
    #[schema(example = 2004)]
    from: i16,
    #[schema(example = 2008)]
    to: i16,
    /// The day the report looks from: the period's last day, or today when that is earlier.
    #[schema(value_type = String, format = Date)]
    as_of: String,
    /// The partnerships covered.
    partnerships: Vec<FundedPartnershipRef>,
    /// Whether activities that are not public count (the caller may see them).
    includes_internal: bool,
    activities: ActivitiesOut,
    activity_years: Vec<YearActivitiesOut>,
    money: MoneyOut,
    money_years: Vec<YearMoneyOut>,
    themes: ThemesOut,
    theme_years: Vec<YearThemesOut>,
    theme_movement: ThemeMovementOut,
    continuity: Vec<ContinuityOut>,
    /// Per evaluation criterion (`effectiveness`, `efficiency`, `future-possibilities`,
    /// `usefulness`, `necessity`, `functionality`) the figures that bear on it.
    indicators: BTreeMap<String, Vec<IndicatorOut>>,
}

impl From<&ReportView> for ReportOut {
    fn from(v: &ReportView) -> Self {
        let r = &v.report;
        Self {
            municipality: MunicipalityRef::from(&v.municipality),
            from: r.scope.period.from(),
            to: r.scope.period.to(),
            as_of: r.scope.as_of.min(r.scope.period.last_day()).to_string(),
            partnerships: v
                .partnerships
                .iter()
                .map(FundedPartnershipRef::from)
                .collect(),
            includes_internal: v.includes_internal,
            activities: ActivitiesOut::from(&r.activities),
            activity_years: r
                .activity_years
                .iter()
                .map(|y| YearActivitiesOut {
                    year: y.year,
                    figures: ActivitiesOut::from(&y.figures),
                })
                .collect(),
            money: MoneyOut::from(&r.money),
            money_years: r
                .money_years
                .iter()
                .map(|y| YearMoneyOut {
                    year: y.year,
                    figures: MoneyOut::from(&y.figures),
                })
                .collect(),
            themes: ThemesOut::from(&r.themes),
            theme_years: r
                .theme_years
                .iter()
                .map(|y| YearThemesOut {
                    year: y.year,
                    figures: ThemesOut::from(&y.figures),
                })
                .collect(),
            theme_movement: ThemeMovementOut::from(&r.theme_movement),
            continuity: r.continuity.iter().map(ContinuityOut::from).collect(),
            indicators: Aspect::ALL
                .iter()
                .filter(|a| **a != Aspect::Other)
                .map(|a| {
                    (
                        a.as_str().to_owned(),
                        indicators(*a, r)
                            .into_iter()
                            .map(|i| IndicatorOut {
                                key: i.key,
                                figure: FigureOut::from(i.figure),
                            })
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

/// One headline figure of both reports and the difference (second − first).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ComparisonLineOut {
    #[schema(example = "indicator-activities")]
    key: &'static str,
    first: FigureOut,
    second: FigureOut,
    difference: FigureOut,
}

/// Two reports side by side with their differences. (Named apart from the scenarios'
/// `ComparisonOut`: utoipa keys components by type name, and the later one silently replaced
/// the other in the document.)
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReportComparisonOut {
    first: ReportOut,
    second: ReportOut,
    lines: Vec<ComparisonLineOut>,
}

impl From<&ComparisonView> for ReportComparisonOut {
    fn from(c: &ComparisonView) -> Self {
        Self {
            first: ReportOut::from(&c.a),
            second: ReportOut::from(&c.b),
            lines: c
                .comparison
                .lines
                .iter()
                .map(|l| ComparisonLineOut {
                    key: l.key,
                    first: FigureOut::from(l.a),
                    second: FigureOut::from(l.b),
                    difference: FigureOut::from(l.difference),
                })
                .collect(),
        }
    }
}

// ---- handlers -----------------------------------------------------------------------------------

/// A report computed from the data for a period and a municipality's partnerships: held
/// activities per year, partnership, category and direction, participants per side, money
/// (municipal by kind, private by source, cost per participant, leverage, the municipal share
/// of the working groups' budgets), the themes knowledge transfer, economy and city promotion
/// and how their share moved, continuity per partnership, and per evaluation criterion the
/// indicators that bear on it. Public; the public counts public activities only.
#[utoipa::path(get, path = "/reports", tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "The report", body = ReportOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No municipality, a bad year, `to` before `from`, more than 100 years, or a partnership that is not the municipality's", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn report(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Json<ReportOut>, WebError> {
    let mut e = ValidationErrors::default();
    let m = municipality(&mut e, &q.municipality);
    let from = year(&mut e, "from", &q.from);
    let to = year(&mut e, "to", &q.to);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let (from, to) = period(from, to);
    let params = ReportParams {
        from,
        to,
        partnerships: ids(&q.partnerships),
    };
    let v = s
        .reports
        .report(&auth.caller, &m, &params)
        .await
        .or_api(lang)?;
    Ok(Json(ReportOut::from(&v)))
}

/// Two reports of one municipality side by side with the differences of their headline
/// figures (second − first): two periods (`from`/`to` and `otherFrom`/`otherTo`), or two
/// partnerships or sets of them (`partnerships` and `otherPartnerships`). What the second
/// report leaves out is taken from the first. Public, as `/reports`.
#[utoipa::path(get, path = "/reports/compare", tag = "reports",
    params(CompareQuery),
    responses(
        (status = 200, description = "Both reports and the differences", body = ReportComparisonOut),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "As for `/reports`, for either report (the second's fields are `otherFrom`, `otherTo`, `otherPartnerships`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn compare(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<ReportComparisonOut>, WebError> {
    let mut e = ValidationErrors::default();
    let m = municipality(&mut e, &q.municipality);
    let from = year(&mut e, "from", &q.from);
    let to = year(&mut e, "to", &q.to);
    let other_from = year(&mut e, "otherFrom", &q.other_from);
    let other_to = year(&mut e, "otherTo", &q.other_to);
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    let (from, to) = period(from, to);
    let (other_from, other_to) = match (other_from, other_to) {
        (None, None) => (from, to),
        (f, t) => period(f, t),
    };
    let a = ReportParams {
        from,
        to,
        partnerships: ids(&q.partnerships),
    };
    let b = ReportParams {
        from: other_from,
        to: other_to,
        partnerships: match ids(&q.other_partnerships) {
            other if other.is_empty() => a.partnerships.clone(),
            other => other,
        },
    };
    let c = s
        .reports
        .compare(&auth.caller, &m, &a, &b)
        .await
        .or_api(lang)?;
    Ok(Json(ReportComparisonOut::from(&c)))
}
