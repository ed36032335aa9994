//! The money pages: a municipality's yearly overview of what it spent on twinning (with charts,
//! the Awb 4:51 warning and exports), its public subsidy register and the form to record a
//! subsidy, one subsidy with its life cycle and the form for the next step, a working group's
//! ledger with income by source and expenses by category per year, and the phase-out schedules
//! (stored ones, and a calculator that stores nothing).
//!
//! Every table is described once, typed (`tables::Grid`), and drawn three ways: as an HTML table
//! (amounts as people write them in the page's language), as CSV and as an `.xlsx` sheet (amounts
//! as numbers, see [`crate::export`]). The charts ([`crate::charts`]) are drawn from the same
//! figures and always stand next to the table that holds them, their text alternative.
//!
//! Who may see and change what is decided by `stedenband_app::money`; these handlers only leave
//! out the forms a view says the caller may not use.

use super::activities::app_error;
use super::forms::{FormBuilder, FormFields, get, values};
use super::organisation::Fact;
use super::tables::{
    CSV, Figure, Grid, HtmlTable, V, XLSX, chart, download, eur, export_error, file_part, label,
    not_found, options, ratio,
};
use super::{Ctx, PageResult, ok, render, see_other};
use crate::AppState;
use crate::charts::Series;
use crate::error::{OrWebError, WebError};
use crate::export;
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use stedenband_app::AppError;
use stedenband_app::money::{Ledger, MunicipalOverview, RegisterLine, ScheduleView, SubsidyView};
use stedenband_app::organisation::today;
use stedenband_domain::date::{MAX_YEAR, MIN_YEAR, parse_date};
use stedenband_domain::decision::{AffectedKind, RuleKind};
use stedenband_domain::funding::{
    Direction, Grantor, ScheduleInput, StepInput, SubsidyInput, TransactionInput,
};
use stedenband_domain::money::{
    Euros, ExpenseCategory, FinalBalance, Flow, IncomeSource, PhaseOutMethod, PhaseOutSchedule,
    Rounding, StepKind, SubsidyKind, SubsidyStep, leverage,
};
use stedenband_domain::{Action, ValidationErrors};
use stedenband_store::ActivityFilter;

type Vals = HashMap<String, String>;

/// A text with one or two arguments, as `Ctx::t1`/`Ctx::t2` give them in templates.
trait LangExt {
    fn t1(&self, key: &str, name: &'static str, value: impl Into<String>) -> String;
    fn t2(
        &self,
        key: &str,
        n1: &'static str,
        v1: impl Into<String>,
        n2: &'static str,
        v2: impl Into<String>,
    ) -> String;
}

impl LangExt for Lang {
    fn t1(&self, key: &str, name: &'static str, value: impl Into<String>) -> String {
        self.t_args(key, &[(name, value.into().into())])
    }

    fn t2(
        &self,
        key: &str,
        n1: &'static str,
        v1: impl Into<String>,
        n2: &'static str,
        v2: impl Into<String>,
    ) -> String {
        self.t_args(key, &[(n1, v1.into().into()), (n2, v2.into().into())])
    }
}

/// The first year of the overview when none is asked for: the year of the seed's subsidy.
const FIRST_YEAR: i16 = 2012;
/// At most this many years in one overview or register.
const MAX_SPAN: i16 = 50;

// ---- periods --------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    /// For `money.csv`: `partnerships` for the table per partnership.
    table: Option<String>,
}

fn year_of(raw: &Option<String>) -> Option<i16> {
    raw.as_deref()
        .and_then(|s| s.trim().parse::<i16>().ok())
        .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
}

/// The years asked for: from `from` (else `default_from`) to `to` (else this year), at most
/// [`MAX_SPAN`] years, in order.
fn year_span(q: &PeriodQuery, default_from: i16) -> (i16, i16) {
    let from = year_of(&q.from).unwrap_or(default_from);
    let to = year_of(&q.to).unwrap_or_else(|| today().year().max(from));
    let (from, to) = if from > to { (to, from) } else { (from, to) };
    (from, to.min(from + MAX_SPAN - 1))
}

fn span_query(from: i16, to: i16) -> String {
    format!("?from={from}&to={to}")
}

// ---- the municipal overview -------------------------------------------------------------------

fn cash_kinds(ov: &MunicipalOverview) -> Vec<SubsidyKind> {
    SubsidyKind::ALL
        .iter()
        .copied()
        .filter(|k| {
            k.is_cash()
                && ov
                    .years
                    .iter()
                    .any(|y| y.by_kind.get(k).is_some_and(|e| !e.is_zero()))
        })
        .collect()
}

fn year_grid(lang: Lang, ov: &MunicipalOverview) -> Grid {
    let kinds = cash_kinds(ov);
    let mut headers = vec![(lang.t("money-col-year"), false)];
    headers.extend(
        kinds
            .iter()
            .map(|k| (label(lang, "money-kind", k.as_str()), true)),
    );
    for key in [
        "money-col-cash",
        "money-col-in-kind",
        "money-col-private",
        "money-col-leverage",
    ] {
        headers.push((lang.t(key), true));
    }
    let of = |y: &stedenband_app::money::MunicipalYear, k| {
        y.by_kind.get(k).copied().unwrap_or(Euros::ZERO)
    };
    let rows = ov
        .years
        .iter()
        .map(|y| {
            let mut r = vec![V::Year(y.year)];
            r.extend(kinds.iter().map(|k| V::Eur(of(y, k))));
            r.extend([
                V::Eur(y.cash),
                V::Eur(y.in_kind),
                V::Eur(y.private_income),
                V::Ratio(y.leverage),
            ]);
            (Some(format!("y-{}", y.year)), r)
        })
        .collect();
    let mut total = vec![V::Text(lang.t("money-total"))];
    total.extend(
        kinds
            .iter()
            .map(|k| V::Eur(ov.years.iter().map(|y| of(y, k)).sum())),
    );
    total.extend([
        V::Eur(ov.total_cash),
        V::Eur(ov.years.iter().map(|y| y.in_kind).sum()),
        V::Eur(ov.total_private),
        V::Ratio(ov.leverage),
    ]);
    Grid {
        id: "per-year".into(),
        sheet: lang.t("money-sheet-per-year"),
        caption: lang.t2(
            "money-per-year-caption",
            "name",
            ov.municipality.name().to_string(),
            "period",
            period_text(ov),
        ),
        headers,
        rows,
        foot: vec![total],
        empty: lang.t("money-none"),
    }
}

fn period_text(ov: &MunicipalOverview) -> String {
    match (ov.years.first(), ov.years.last()) {
        (Some(a), Some(b)) if a.year != b.year => format!("{}–{}", a.year, b.year),
        (Some(a), _) => a.year.to_string(),
        _ => String::new(),
    }
}

fn partnership_grid(lang: Lang, ov: &MunicipalOverview) -> Grid {
    let with_money = |id: &str| {
        ov.years
            .iter()
            .any(|y| y.by_partnership.get(id).is_some_and(|e| !e.is_zero()))
    };
    let mut columns: Vec<(String, String)> = ov
        .partnerships
        .iter()
        .filter(|p| with_money(&p.partnership.id.0))
        .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
        .collect();
    // Money under a partnership the municipality no longer lists, by its id.
    for y in &ov.years {
        for id in y.by_partnership.keys() {
            if !id.is_empty() && !columns.iter().any(|(c, _)| c == id) && with_money(id) {
                columns.push((id.clone(), id.clone()));
            }
        }
    }
    if with_money("") {
        columns.push((String::new(), lang.t("money-not-per-partnership")));
    }
    let mut headers = vec![(lang.t("money-col-year"), false)];
    headers.extend(columns.iter().map(|(_, label)| (label.clone(), true)));
    headers.push((lang.t("money-col-cash"), true));
    let rows =
        ov.years
            .iter()
            .map(|y| {
                let mut r = vec![V::Year(y.year)];
                r.extend(columns.iter().map(|(id, _)| {
                    V::Eur(y.by_partnership.get(id).copied().unwrap_or(Euros::ZERO))
                }));
                r.push(V::Eur(y.cash));
                (None, r)
            })
            .collect();
    let mut total = vec![V::Text(lang.t("money-total"))];
    total.extend(columns.iter().map(|(id, _)| {
        V::Eur(
            ov.years
                .iter()
                .filter_map(|y| y.by_partnership.get(id))
                .copied()
                .sum(),
        )
    }));
    total.push(V::Eur(ov.total_cash));
    Grid {
        id: "per-partnership".into(),
        sheet: lang.t("money-sheet-per-partnership"),
        caption: lang.t1("money-per-partnership-caption", "period", period_text(ov)),
        headers,
        rows,
        foot: vec![total],
        empty: lang.t("money-none"),
    }
}

struct Warning {
    text: String,
}

#[derive(Template)]
#[template(path = "money_overview.html")]
struct OverviewPage {
    ctx: Ctx,
    name: String,
    slug: String,
    from: i16,
    to: i16,
    query: String,
    warnings: Vec<Warning>,
    figures: Vec<Figure>,
    years: HtmlTable,
    partnerships: HtmlTable,
    summary: String,
    /// The money rules of adopted decisions that hold today, with the decision cited.
    rules_in_force: Vec<super::decisions::RuleRow>,
}

async fn overview(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &PeriodQuery,
) -> Result<(MunicipalOverview, i16, i16), WebError> {
    let (from, to) = year_span(q, FIRST_YEAR);
    let ov = s
        .money
        .municipal_overview(slug, from, to)
        .await
        .or_page(ctx)?;
    Ok((ov, from, to))
}

/// What a municipality spent on twinning per year: by kind, per partnership, in kind, with the
/// private money of its working groups beside it and the leverage.
pub async fn money_overview(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (ov, from, to) = overview(&ctx, &s, &slug, &q).await?;
    let lang = ctx.lang;
    let years: Vec<i16> = ov.years.iter().map(|y| y.year).collect();
    let cash = Series {
        label: lang.t("money-col-cash"),
        values: ov.years.iter().map(|y| y.cash.cents()).collect(),
    };
    let by_kind: Vec<Series> = cash_kinds(&ov)
        .into_iter()
        .map(|k| Series {
            label: label(lang, "money-kind", k.as_str()),
            values: ov
                .years
                .iter()
                .map(|y| y.by_kind.get(&k).copied().unwrap_or(Euros::ZERO).cents())
                .collect(),
        })
        .collect();
    let period = period_text(&ov);
    let figures = vec![
        Figure {
            svg: chart(
                lang,
                "chart-cash",
                lang.t1("money-chart-cash", "period", period.clone()),
                &years,
                vec![cash],
            ),
            caption: lang.t1("money-chart-cash", "period", period.clone()),
            table: "per-year".into(),
            table_link: lang.t("money-figures-in-table"),
        },
        Figure {
            svg: chart(
                lang,
                "chart-kinds",
                lang.t1("money-chart-kinds", "period", period.clone()),
                &years,
                by_kind,
            ),
            caption: lang.t1("money-chart-kinds", "period", period.clone()),
            table: "per-year".into(),
            table_link: lang.t("money-figures-in-table"),
        },
    ];
    let warnings = ov
        .abrupt_stops
        .iter()
        .map(|a| Warning {
            text: lang.t_args(
                "money-abrupt-stop",
                &[
                    ("recipient", a.recipient.clone().into()),
                    ("kind", lang.choice("money-kind", a.kind.as_str()).into()),
                    ("year", a.stopped_in.to_string().into()),
                ],
            ),
        })
        .collect();
    let summary = lang.t_args(
        "money-summary",
        &[
            ("cash", eur(lang, ov.total_cash).into()),
            ("private", eur(lang, ov.total_private).into()),
            (
                "leverage",
                ov.leverage
                    .map(|d| ratio(lang, d))
                    .unwrap_or_else(|| "–".into())
                    .into(),
            ),
        ],
    );
    let rules_in_force = super::decisions::rules_in_force(
        &ctx,
        &s,
        ov.municipality.slug.as_str(),
        &[
            RuleKind::SubsidyEnds,
            RuleKind::NoBudgetLine,
            RuleKind::NoStaffCapacity,
        ],
    )
    .await?;
    let page = OverviewPage {
        rules_in_force,
        name: ov.municipality.name().to_string(),
        slug: ov.municipality.slug.to_string(),
        query: span_query(from, to),
        years: year_grid(lang, &ov).html(lang),
        partnerships: partnership_grid(lang, &ov).html(lang),
        from,
        to,
        warnings,
        figures,
        summary,
        ctx,
    };
    ok(&page)
}

/// The overview per year as CSV (`?table=partnerships`: the table per partnership).
pub async fn money_overview_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (ov, from, to) = overview(&ctx, &s, &slug, &q).await?;
    let per_partnership = q.table.as_deref() == Some("partnerships");
    let grid = if per_partnership {
        partnership_grid(ctx.lang, &ov)
    } else {
        year_grid(ctx.lang, &ov)
    };
    let body = export::csv(&grid.export()).map_err(|e| export_error(&ctx, e))?;
    let which = if per_partnership { "-partnerships" } else { "" };
    Ok(download(
        CSV,
        &format!(
            "{}-money{which}-{from}-{to}.csv",
            file_part(&ov.municipality.slug.to_string())
        ),
        body,
    ))
}

/// The overview as a workbook: one sheet per table, amounts as numbers.
pub async fn money_overview_xlsx(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (ov, from, to) = overview(&ctx, &s, &slug, &q).await?;
    let tables = [
        year_grid(ctx.lang, &ov).export(),
        partnership_grid(ctx.lang, &ov).export(),
    ];
    let body = export::xlsx(&tables).map_err(|e| export_error(&ctx, e))?;
    Ok(download(
        XLSX,
        &format!(
            "{}-money-{from}-{to}.xlsx",
            file_part(&ov.municipality.slug.to_string())
        ),
        body,
    ))
}

// ---- the subsidy register ---------------------------------------------------------------------

fn register_grid(lang: Lang, name: &str, lines: &[RegisterLine]) -> Grid {
    let headers = [
        ("money-col-year", false),
        ("money-col-recipient", false),
        ("money-col-purpose", false),
        ("money-col-kind", false),
        ("money-col-stage", false),
        ("money-col-granted", true),
        ("money-col-settled", true),
    ]
    .iter()
    .map(|(k, num)| (lang.t(k), *num))
    .collect();
    let opt = |e: Option<Euros>| match e {
        Some(e) => V::Eur(e),
        None => V::Text(String::new()),
    };
    let rows = lines
        .iter()
        .map(|l| {
            (
                Some(format!("s-{}", l.id)),
                vec![
                    V::Year(l.year),
                    V::Text(l.recipient.clone()),
                    V::Link(l.purpose.clone(), format!("/subsidies/{}", l.id)),
                    V::Text(label(lang, "money-kind", l.kind.as_str())),
                    V::Text(label(lang, "money-stage", l.stage.as_str())),
                    opt(l.granted),
                    opt(l.settled),
                ],
            )
        })
        .collect();
    // Cash and in-kind contributions are totalled apart: a valued tree is not money paid.
    let total = |key: &str, cash: bool| {
        let of = |l: &&RegisterLine| l.kind.is_cash() == cash;
        vec![
            V::Text(lang.t(key)),
            V::Text(String::new()),
            V::Text(String::new()),
            V::Text(String::new()),
            V::Text(String::new()),
            V::Eur(lines.iter().filter(of).filter_map(|l| l.granted).sum()),
            V::Eur(lines.iter().filter(of).filter_map(|l| l.settled).sum()),
        ]
    };
    let mut foot = Vec::new();
    if lines.iter().any(|l| l.kind.is_cash()) {
        foot.push(total("money-total-cash", true));
    }
    if lines.iter().any(|l| !l.kind.is_cash()) {
        foot.push(total("money-total-in-kind", false));
    }
    Grid {
        id: "register".into(),
        sheet: lang.t("money-sheet-register"),
        caption: lang.t1("money-register-caption", "name", name),
        headers,
        rows,
        foot,
        empty: lang.t("money-register-none"),
    }
}

/// The years of the register: all, unless `from` or `to` is given.
fn register_years(q: &PeriodQuery) -> Option<(i16, i16)> {
    let (from, to) = (year_of(&q.from), year_of(&q.to));
    if from.is_none() && to.is_none() {
        return None;
    }
    let (a, b) = (from.unwrap_or(MIN_YEAR), to.unwrap_or(MAX_YEAR));
    Some(if a > b { (b, a) } else { (a, b) })
}

async fn register_lines(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &PeriodQuery,
) -> Result<(stedenband_domain::Municipality, Vec<RegisterLine>), WebError> {
    let m = s
        .register
        .find_municipality(slug)
        .await
        .or_page(ctx)?
        .ok_or_else(|| not_found(ctx))?;
    let mut lines = s
        .money
        .subsidy_register(m.id.0.as_str(), register_years(q))
        .await
        .or_page(ctx)?;
    lines.sort_by(|a, b| (a.year, &a.recipient).cmp(&(b.year, &b.recipient)));
    Ok((m, lines))
}

#[derive(Template)]
#[template(path = "money_register.html")]
struct RegisterPage {
    ctx: Ctx,
    name: String,
    slug: String,
    from: String,
    to: String,
    query: String,
    table: HtmlTable,
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
}

/// The subsidy form's fields for a municipality.
async fn subsidy_fields(
    ctx: &Ctx,
    s: &AppState,
    m: &stedenband_domain::Municipality,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> Result<FormFields, WebError> {
    let lang = ctx.lang;
    let foundations = s
        .organisation
        .foundations(Some(m.id.0.as_str()))
        .await
        .or_page(ctx)?;
    let mut groups = vec![(String::new(), lang.t("money-none-chosen"))];
    for f in &foundations {
        for g in s
            .organisation
            .working_groups(Some(&f.id))
            .await
            .or_page(ctx)?
        {
            let label = if foundations.len() > 1 {
                format!("{} ({})", g.draft.name, f.draft.name)
            } else {
                g.draft.name.to_string()
            };
            groups.push((g.id.clone(), label));
        }
    }
    let partnerships = s
        .register
        .municipality(m.id.0.as_str())
        .await
        .or_page(ctx)?
        .partnerships
        .iter()
        .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
        .collect();
    let mut schedules = vec![(String::new(), lang.t("money-none-chosen"))];
    schedules.extend(
        s.money
            .schedules(m.id.0.as_str())
            .await
            .or_page(ctx)?
            .into_iter()
            .map(|v| (v.record.id.clone(), v.record.draft.name.to_string())),
    );
    let grantors: Vec<&str> = Grantor::ALL.iter().map(|g| g.as_str()).collect();
    let kinds: Vec<&str> = SubsidyKind::ALL.iter().map(|k| k.as_str()).collect();
    Ok(FormBuilder::new(lang, vals, errors)
        .select_options(
            "foundation",
            "money-field-foundation",
            foundations
                .iter()
                .map(|f| (f.id.clone(), f.draft.name.to_string()))
                .collect(),
        )
        .select_options("workingGroup", "money-field-working-group", groups)
        .select(
            "grantor",
            "money-field-grantor",
            "money-grantor",
            &grantors,
            None,
        )
        .select_options(
            "kind",
            "money-field-kind",
            options(lang, "money-kind", &kinds, false),
        )
        .text("purpose", "money-field-purpose", true)
        .text_with("year", "money-field-year", true, |f| {
            f.input_type = "number"
        })
        .checkboxes(
            "partnerships",
            "money-field-partnerships",
            partnerships,
            false,
        )
        .select_options("schedule", "money-field-schedule", schedules)
        .build())
    .map(|mut f| {
        // The blank choices make these optional.
        for field in &mut f.list {
            if matches!(field.name, "workingGroup" | "schedule") {
                field.required = false;
            }
        }
        f
    })
}

async fn register_page(
    ctx: Ctx,
    s: &AppState,
    slug: &str,
    q: &PeriodQuery,
    failed: Option<(&Vals, &AppError)>,
) -> Result<RegisterPage, WebError> {
    let (m, lines) = register_lines(&ctx, s, slug, q).await?;
    let holder = s.register.holder(&m.id).await.or_page(&ctx)?;
    let may_edit = s
        .register
        .allows(&ctx.auth.caller, &Action::ManageSubsidies(holder));
    let defaults = Vals::from([
        ("grantor".to_owned(), "municipality".to_owned()),
        ("year".to_owned(), today().year().to_string()),
    ]);
    let form = if may_edit {
        let (vals, error) = match failed {
            Some((v, e)) => (v, Some(e)),
            None => (&defaults, None),
        };
        let errors = match error {
            Some(AppError::Invalid(e)) => Some(e),
            _ => None,
        };
        let mut form = subsidy_fields(&ctx, s, &m, vals, errors).await?;
        // A rule of a decision that refuses the grant, next to its field, citing the decision.
        if let Some(AppError::Refused(r)) = error {
            let text = crate::error::refusal_text(ctx.lang, r);
            match form.list.iter_mut().find(|f| f.name == r.field) {
                Some(f) => f.error = Some(text),
                None => form.other_errors.push(text),
            }
        }
        form
    } else {
        FormBuilder::new(ctx.lang, &defaults, None).build()
    };
    let years = register_years(q);
    let name = m.name().to_string();
    Ok(RegisterPage {
        table: register_grid(ctx.lang, &name, &lines).html(ctx.lang),
        slug: m.slug.to_string(),
        name,
        from: year_of(&q.from).map(|y| y.to_string()).unwrap_or_default(),
        to: year_of(&q.to).map(|y| y.to_string()).unwrap_or_default(),
        query: years.map(|(a, b)| span_query(a, b)).unwrap_or_default(),
        may_edit,
        form,
        datalist: vec![],
        ctx,
    })
}

/// The public subsidy register of a municipality; the form to record a subsidy for its
/// officials.
pub async fn subsidy_register(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    ok(&register_page(ctx, &s, &slug, &q, None).await?)
}

pub async fn subsidy_register_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (m, lines) = register_lines(&ctx, &s, &slug, &q).await?;
    let grid = register_grid(ctx.lang, m.name().as_str(), &lines);
    let body = export::csv(&grid.export()).map_err(|e| export_error(&ctx, e))?;
    Ok(download(
        CSV,
        &format!("{}-subsidies.csv", file_part(&m.slug.to_string())),
        body,
    ))
}

pub async fn subsidy_register_xlsx(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let (m, lines) = register_lines(&ctx, &s, &slug, &q).await?;
    let grid = register_grid(ctx.lang, m.name().as_str(), &lines);
    let body = export::xlsx(&[grid.export()]).map_err(|e| export_error(&ctx, e))?;
    Ok(download(
        XLSX,
        &format!("{}-subsidies.xlsx", file_part(&m.slug.to_string())),
        body,
    ))
}

/// The submitted values (the checked partnerships one per line under `partnerships`).
fn with_list(pairs: Vec<(String, String)>, name: &str) -> (Vals, Vec<String>) {
    let list: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let mut vals = values(pairs);
    vals.insert(name.to_owned(), list.join("\n"));
    (vals, list)
}

/// Records a subsidy (the municipality's officials); to its page, to take its first step.
pub async fn create_subsidy(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (vals, partnerships) = with_list(pairs, "partnerships");
    ctx.check_csrf(&vals)?;
    let input = SubsidyInput {
        municipality: Some(slug.clone()),
        grantor: get(&vals, "grantor"),
        foundation: get(&vals, "foundation"),
        working_group: get(&vals, "workingGroup"),
        kind: get(&vals, "kind"),
        purpose: get(&vals, "purpose"),
        year: get(&vals, "year"),
        partnerships,
        schedule: get(&vals, "schedule"),
        activity: get(&vals, "activity"),
    };
    let caller = ctx.auth.caller.clone();
    match s.money.create_subsidy(&caller, &input).await {
        Ok(v) => see_other(&format!("/subsidies/{}", v.record.id)),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let q = PeriodQuery::default();
            let page = register_page(ctx, &s, &slug, &q, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- one subsidy --------------------------------------------------------------------------------

struct StepRow {
    date: String,
    iso: String,
    step: String,
    document: String,
    amount: String,
    details: String,
}

fn step_row(lang: Lang, st: &SubsidyStep) -> StepRow {
    let (amount, details) = match st {
        SubsidyStep::Application { requested, .. } => (Some(*requested), String::new()),
        SubsidyStep::GrantDecision {
            amount, conditions, ..
        } => (Some(*amount), conditions.join("; ")),
        SubsidyStep::AdvancePayment { amount, .. } => (Some(*amount), String::new()),
        SubsidyStep::ReportDue { due_on, .. } => (
            None,
            lang.t1("money-step-due-on", "date", lang.full_date(*due_on)),
        ),
        SubsidyStep::Settlement {
            amount,
            allowed_by_decision,
            ..
        } => (
            Some(*amount),
            allowed_by_decision
                .as_ref()
                .map(|d| lang.t1("money-step-allowed-by", "decision", d.to_string()))
                .unwrap_or_default(),
        ),
        SubsidyStep::Refusal { .. }
        | SubsidyStep::ReportReceived { .. }
        | SubsidyStep::Closing { .. } => (None, String::new()),
    };
    StepRow {
        date: lang.full_date(st.date()),
        iso: st.date().to_string(),
        step: lang.choice("money-step", st.kind().as_str()),
        document: st.document().to_string(),
        amount: amount.map(|a| eur(lang, a)).unwrap_or_default(),
        details,
    }
}

#[derive(Template)]
#[template(path = "money_subsidy.html")]
struct SubsidyPage {
    ctx: Ctx,
    id: String,
    purpose: String,
    municipality: String,
    municipality_slug: String,
    stage: String,
    stage_code: &'static str,
    facts: Vec<Fact>,
    file_visible: bool,
    steps: Vec<StepRow>,
    may_step: bool,
    form: FormFields,
    datalist: Vec<String>,
    /// The decisions about it, oldest first.
    about: super::decisions::About,
}

fn step_fields(
    lang: Lang,
    next: &[StepKind],
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let codes: Vec<&str> = next.iter().map(|k| k.as_str()).collect();
    FormBuilder::new(lang, vals, errors)
        .select("step", "money-field-step", "money-step", &codes, None)
        .text_with("date", "money-field-date", true, |f| f.input_type = "date")
        .text("document", "money-field-document", true)
        .text_with("amount", "money-field-amount", false, |f| {
            f.input_type = "text";
            f.autocomplete = "off";
        })
        .textarea("conditions", "money-field-conditions", false)
        .text_with("dueOn", "money-field-due-on", false, |f| {
            f.input_type = "date"
        })
        .text("allowedBy", "money-field-allowed-by", false)
        .build()
}

async fn subsidy_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<SubsidyPage, WebError> {
    let v: SubsidyView = s.money.subsidy(&ctx.auth.caller, id).await.or_page(&ctx)?;
    let lang = ctx.lang;
    let d = &v.record.draft;
    let m = s
        .register
        .find_municipality(&d.municipality)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let mut facts = vec![
        Fact {
            label: lang.t("money-field-grantor"),
            value: match d.grantor {
                Grantor::Municipality => m.name().to_string(),
                g => lang.choice("money-grantor", g.as_str()),
            },
            href: (d.grantor == Grantor::Municipality)
                .then(|| format!("/municipalities/{}", m.slug)),
        },
        Fact {
            label: lang.t("money-col-recipient"),
            value: v.foundation.draft.name.to_string(),
            href: Some(format!("/foundations/{}", v.foundation.slug)),
        },
    ];
    if let Some(g) = &v.group {
        facts.push(Fact {
            label: lang.t("money-field-working-group"),
            value: g.draft.name.to_string(),
            href: Some(format!("/working-groups/{}", g.slug)),
        });
    }
    let plain = |label: &str, value: String| Fact {
        label: lang.t(label),
        value,
        href: None,
    };
    facts.push(plain(
        "money-field-kind",
        label(lang, "money-kind", d.kind.as_str()),
    ));
    facts.push(plain("money-field-year", d.year.to_string()));
    if v.partnerships.is_empty() {
        facts.push(plain(
            "money-field-partnerships",
            lang.t("money-not-per-partnership"),
        ));
    }
    for p in &v.partnerships {
        facts.push(Fact {
            label: lang.t("money-fact-partnership"),
            value: format!("{} – {}", p.holder.name(), p.partner.name()),
            href: Some(format!("/partnerships/{}", p.partnership.id)),
        });
    }
    if let Some(sid) = &d.schedule
        && let Ok(sv) = s.money.schedule(sid).await
    {
        facts.push(Fact {
            label: lang.t("money-field-schedule"),
            value: sv.record.draft.name.to_string(),
            href: Some(format!(
                "/municipalities/{}/phase-out-schedules#s-{}",
                m.slug, sv.record.id
            )),
        });
    }
    if let Some(a) = d.activity.as_ref().filter(|_| v.file_visible) {
        facts.push(Fact {
            label: lang.t("money-col-activity"),
            value: lang.t("money-activity-link"),
            href: Some(format!("/activities/{a}")),
        });
    }
    let amount = |e: Option<Euros>| e.map(|e| eur(lang, e)).unwrap_or_else(|| "–".into());
    facts.push(plain("money-col-granted", amount(v.granted)));
    if d.kind.is_cash() && v.file_visible {
        facts.push(plain("money-fact-advances", eur(lang, v.advances_paid)));
    }
    facts.push(plain("money-col-settled", amount(v.settled)));
    if let Some(b) = v.balance.filter(|_| v.file_visible) {
        facts.push(plain(
            "money-fact-balance",
            match b {
                FinalBalance::Payment(e) => {
                    lang.t1("money-balance-payment", "amount", eur(lang, e))
                }
                FinalBalance::Reclaim(e) => {
                    lang.t1("money-balance-reclaim", "amount", eur(lang, e))
                }
                FinalBalance::Even => lang.t("money-balance-even"),
            },
        ));
    }
    let may_step = v.may_edit && !v.next.is_empty();
    let defaults = Vals::from([
        (
            "step".to_owned(),
            v.next.first().map(|k| k.as_str()).unwrap_or("").to_owned(),
        ),
        ("date".to_owned(), today().to_string()),
    ]);
    let (vals, errors) = match failed {
        Some((vals, e)) => (vals, Some(e)),
        None => (&defaults, None),
    };
    let form = step_fields(lang, if may_step { v.next } else { &[] }, vals, errors);
    let about =
        super::decisions::about(&ctx, s, AffectedKind::Subsidy, &v.record.id, "decisions", 2)
            .await?;
    Ok(SubsidyPage {
        about,
        id: v.record.id.clone(),
        purpose: d.purpose.to_string(),
        municipality: m.name().to_string(),
        municipality_slug: m.slug.to_string(),
        stage: label(lang, "money-stage", v.stage.as_str()),
        stage_code: v.stage.as_str(),
        facts,
        file_visible: v.file_visible,
        steps: v.record.steps.iter().map(|st| step_row(lang, st)).collect(),
        may_step,
        form,
        datalist: vec![],
        ctx,
    })
}

/// One subsidy: what it is, where it stands, its file (for those who may see it) and the form
/// for the next step (for the municipality's officials).
pub async fn subsidy(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    ok(&subsidy_page(ctx, &s, &id, None).await?)
}

/// Takes the next step of a subsidy's life cycle.
pub async fn add_subsidy_step(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/subsidies/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let input = StepInput {
        step: get(&vals, "step"),
        date: get(&vals, "date"),
        document: get(&vals, "document"),
        amount: get(&vals, "amount"),
        conditions: get(&vals, "conditions"),
        due_on: get(&vals, "dueOn"),
        allowed_by: get(&vals, "allowedBy"),
    };
    let caller = ctx.auth.caller.clone();
    match s.money.add_step(&caller, &id, &input).await {
        Ok(v) => see_other(&format!("/subsidies/{}#steps", v.record.id)),
        Err(AppError::Invalid(e)) => {
            let page = subsidy_page(ctx, &s, &id, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- a working group's ledger -----------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct LedgerQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A bound of the period: a year ("2017": its first or last day) or a date.
fn ledger_bound(raw: &Option<String>, end: bool) -> Result<Option<Date>, &'static str> {
    let Some(t) = raw.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.len() == 4
        && let Ok(y) = t.parse::<i16>()
    {
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err("error-year-out-of-range");
        }
        let d = if end {
            Date::new(y, 12, 31)
        } else {
            Date::new(y, 1, 1)
        };
        return d.map(Some).map_err(|_| "error-date-invalid");
    }
    parse_date(t).map(Some)
}

fn ledger_grid(lang: Lang, l: &Ledger, titles: &HashMap<String, String>) -> Grid {
    let headers = [
        ("money-col-date", false),
        ("money-col-direction", false),
        ("money-col-source-category", false),
        ("money-col-description", false),
        ("money-col-activity", false),
        ("money-col-amount", true),
        ("money-col-balance", true),
    ]
    .iter()
    .map(|(k, num)| (lang.t(k), *num))
    .collect();
    let rows = l
        .lines
        .iter()
        .map(|line| {
            let d = &line.record.draft;
            let (direction, what) = match d.flow {
                Flow::Income(s) => (
                    label(lang, "money-direction", "income"),
                    label(lang, "money-source", s.as_str()),
                ),
                Flow::Expense(c) => (
                    label(lang, "money-direction", "expense"),
                    label(lang, "money-category", c.as_str()),
                ),
            };
            let mut description = d.description.clone().unwrap_or_default();
            if let Some(doc) = &d.document {
                if !description.is_empty() {
                    description.push_str(" · ");
                }
                description.push_str(&lang.t1("money-document", "ref", doc.to_string()));
            }
            if line.record.illustrative {
                description.push_str(&format!(" ({})", lang.t("money-illustrative")));
            }
            let activity = match &d.activity {
                Some(a) => V::Link(
                    titles
                        .get(a)
                        .cloned()
                        .unwrap_or_else(|| lang.t("money-activity-link")),
                    format!("/activities/{a}"),
                ),
                None => V::Text(String::new()),
            };
            (
                Some(format!("t-{}", line.record.id)),
                vec![
                    V::Date(d.date),
                    V::Text(direction),
                    V::Text(what),
                    V::Text(description),
                    activity,
                    V::Eur(line.signed),
                    V::Eur(line.balance),
                ],
            )
        })
        .collect();
    let blank = || V::Text(String::new());
    Grid {
        id: "ledger".into(),
        sheet: lang.t("money-sheet-ledger"),
        caption: lang.t1(
            "money-ledger-caption",
            "name",
            l.group.draft.name.to_string(),
        ),
        headers,
        rows,
        foot: vec![vec![
            V::Text(lang.t1("money-balance-at", "date", lang.full_date(l.at))),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            V::Eur(l.balance),
        ]],
        empty: lang.t("money-ledger-none"),
    }
}

/// Income by source per year (years as columns), with the municipal part, the municipal share
/// and the leverage below.
fn income_grid(lang: Lang, l: &Ledger) -> Grid {
    let mut headers = vec![(lang.t("money-col-source"), false)];
    headers.extend(l.years.iter().map(|y| (y.year.to_string(), true)));
    headers.push((lang.t("money-total"), true));
    let sum = |f: &dyn Fn(&stedenband_app::money::GroupYear) -> Euros| -> Vec<V> {
        let mut r: Vec<V> = l.years.iter().map(|y| V::Eur(f(y))).collect();
        r.push(V::Eur(l.years.iter().map(f).sum()));
        r
    };
    let rows = IncomeSource::ALL
        .iter()
        .filter(|s| l.years.iter().any(|y| y.income.contains_key(s)))
        .map(|s| {
            let mut r = vec![V::Text(label(lang, "money-source", s.as_str()))];
            r.extend(sum(&|y| y.income.get(s).copied().unwrap_or(Euros::ZERO)));
            (None, r)
        })
        .collect();
    let total_income: Euros = l.years.iter().map(|y| y.total_income).sum();
    let municipal: Euros = l.years.iter().map(|y| y.municipal).sum();
    let private: Euros = l.years.iter().map(|y| y.private).sum();
    let row = |key: &str, mut rest: Vec<V>| {
        let mut r = vec![V::Text(lang.t(key))];
        r.append(&mut rest);
        r
    };
    let mut share: Vec<V> = l
        .years
        .iter()
        .map(|y| V::Share(y.municipal_share))
        .collect();
    share.push(V::Share(total_income.is_positive().then(|| {
        (municipal.to_decimal() / total_income.to_decimal()).round_dp(4)
    })));
    let mut lev: Vec<V> = l.years.iter().map(|y| V::Ratio(y.leverage)).collect();
    lev.push(V::Ratio(leverage(private, municipal)));
    Grid {
        id: "income".into(),
        sheet: lang.t("money-sheet-income"),
        caption: lang.t("money-income-caption"),
        headers,
        rows,
        foot: vec![
            row("money-total-income", sum(&|y| y.total_income)),
            row("money-municipal", sum(&|y| y.municipal)),
            row("money-municipal-share", share),
            row("money-private", sum(&|y| y.private)),
            row("money-col-leverage", lev),
        ],
        empty: lang.t("money-ledger-none"),
    }
}

fn expense_grid(lang: Lang, l: &Ledger) -> Grid {
    let mut headers = vec![(lang.t("money-col-category"), false)];
    headers.extend(l.years.iter().map(|y| (y.year.to_string(), true)));
    headers.push((lang.t("money-total"), true));
    let sum = |f: &dyn Fn(&stedenband_app::money::GroupYear) -> Euros| -> Vec<V> {
        let mut r: Vec<V> = l.years.iter().map(|y| V::Eur(f(y))).collect();
        r.push(V::Eur(l.years.iter().map(f).sum()));
        r
    };
    let rows = ExpenseCategory::ALL
        .iter()
        .filter(|c| l.years.iter().any(|y| y.expenses.contains_key(c)))
        .map(|c| {
            let mut r = vec![V::Text(label(lang, "money-category", c.as_str()))];
            r.extend(sum(&|y| y.expenses.get(c).copied().unwrap_or(Euros::ZERO)));
            (None, r)
        })
        .collect();
    let mut total = vec![V::Text(lang.t("money-total-expenses"))];
    total.extend(sum(&|y| y.total_expenses));
    let mut result = vec![V::Text(lang.t("money-result"))];
    result.extend(sum(&|y| y.total_income - y.total_expenses));
    Grid {
        id: "expenses".into(),
        sheet: lang.t("money-sheet-expenses"),
        caption: lang.t("money-expenses-caption"),
        headers,
        rows,
        foot: vec![total, result],
        empty: lang.t("money-ledger-none"),
    }
}

#[derive(Template)]
#[template(path = "money_ledger.html")]
struct LedgerPage {
    ctx: Ctx,
    name: String,
    slug: String,
    foundation: String,
    foundation_slug: String,
    balance: String,
    at: String,
    query: String,
    filter: FormFields,
    ledger: HtmlTable,
    income: HtmlTable,
    expenses: HtmlTable,
    figure: Option<Figure>,
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
}

/// The ledger with the titles of the group's activities (for links and the form's choices).
async fn load_ledger(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &LedgerQuery,
) -> Result<(Ledger, HashMap<String, String>, FormFields, bool), WebError> {
    let mut e = ValidationErrors::default();
    let from = e.check("from", ledger_bound(&q.from, false)).flatten();
    let to = e.check("to", ledger_bound(&q.to, true)).flatten();
    let ledger = s
        .money
        .ledger(&ctx.auth.caller, slug, from, to)
        .await
        .or_page(ctx)?;
    let titles = s
        .activities
        .activities(
            &ctx.auth.caller,
            ActivityFilter {
                working_group: Some(ledger.group.id.clone()),
                ..Default::default()
            },
        )
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|a| {
            (
                a.id.clone(),
                format!("{} ({})", a.draft.title, a.draft.schedule.start.year()),
            )
        })
        .collect();
    let vals = Vals::from([
        ("from".to_owned(), q.from.clone().unwrap_or_default()),
        ("to".to_owned(), q.to.clone().unwrap_or_default()),
    ]);
    let invalid = !e.is_empty();
    let filter = FormBuilder::new(ctx.lang, &vals, (!e.is_empty()).then_some(&e))
        .text("from", "money-field-from", false)
        .text("to", "money-field-to", false)
        .build();
    Ok((ledger, titles, filter, invalid))
}

fn ledger_query(q: &LedgerQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("from", &q.from), ("to", &q.to)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", super::encode(v)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

async fn ledger_page(
    ctx: Ctx,
    s: &AppState,
    slug: &str,
    q: &LedgerQuery,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<(LedgerPage, bool), WebError> {
    let (l, titles, filter, invalid) = load_ledger(&ctx, s, slug, q).await?;
    let lang = ctx.lang;
    let years: Vec<i16> = l.years.iter().map(|y| y.year).collect();
    let series: Vec<Series> = IncomeSource::ALL
        .iter()
        .filter(|src| l.years.iter().any(|y| y.income.contains_key(src)))
        .map(|src| Series {
            label: label(lang, "money-source", src.as_str()),
            values: l
                .years
                .iter()
                .map(|y| y.income.get(src).copied().unwrap_or(Euros::ZERO).cents())
                .collect(),
        })
        .collect();
    let name = l.group.draft.name.to_string();
    let figure = (!series.is_empty()).then(|| Figure {
        svg: chart(
            lang,
            "chart-income",
            lang.t1("money-chart-income", "name", name.clone()),
            &years,
            series,
        ),
        caption: lang.t1("money-chart-income", "name", name.clone()),
        table: "income".into(),
        table_link: lang.t("money-figures-in-table"),
    });
    let form = if l.may_edit {
        let defaults = Vals::from([
            ("date".to_owned(), today().to_string()),
            ("direction".to_owned(), "income".to_owned()),
        ]);
        let (vals, errors) = match failed {
            Some((v, e)) => (v, Some(e)),
            None => (&defaults, None),
        };
        let sources: Vec<&str> = IncomeSource::ALL.iter().map(|x| x.as_str()).collect();
        let categories: Vec<&str> = ExpenseCategory::ALL.iter().map(|x| x.as_str()).collect();
        let directions: Vec<&str> = Direction::ALL.iter().map(|x| x.as_str()).collect();
        let mut activities = vec![(String::new(), lang.t("money-none-chosen"))];
        let mut sorted: Vec<(&String, &String)> = titles.iter().collect();
        sorted.sort_by(|a, b| a.1.cmp(b.1));
        activities.extend(sorted.into_iter().map(|(id, t)| (id.clone(), t.clone())));
        let mut subsidies = vec![(String::new(), lang.t("money-none-chosen"))];
        for v in s
            .money
            .subsidies(&ctx.auth.caller, &l.foundation.draft.municipality.0)
            .await
            .or_page(&ctx)?
        {
            let d = &v.record.draft;
            if d.foundation == l.foundation.id
                && d.working_group.as_ref().is_none_or(|g| *g == l.group.id)
            {
                subsidies.push((v.record.id.clone(), format!("{} ({})", d.purpose, d.year)));
            }
        }
        let mut f = FormBuilder::new(lang, vals, errors)
            .text_with("date", "money-field-date", true, |f| f.input_type = "date")
            .radios(
                "direction",
                "money-field-direction",
                "money-direction",
                &directions,
            )
            .select_options(
                "source",
                "money-field-source",
                options(lang, "money-source", &sources, true),
            )
            .select_options(
                "category",
                "money-field-category",
                options(lang, "money-category", &categories, true),
            )
            .text("amount", "money-field-line-amount", true)
            .textarea("description", "money-field-description", false)
            .select_options("activity", "money-field-activity", activities)
            .select_options("subsidy", "money-field-subsidy", subsidies)
            .text("document", "money-field-document-optional", false)
            .build();
        for field in &mut f.list {
            if matches!(field.name, "activity" | "subsidy" | "source" | "category") {
                field.required = false;
            }
        }
        f
    } else {
        FormBuilder::new(lang, &Vals::new(), None).build()
    };
    let page = LedgerPage {
        slug: l.group.slug.to_string(),
        foundation: l.foundation.draft.name.to_string(),
        foundation_slug: l.foundation.slug.to_string(),
        balance: eur(lang, l.balance),
        at: lang.full_date(l.at),
        query: ledger_query(q),
        filter,
        ledger: ledger_grid(lang, &l, &titles).html(lang),
        income: income_grid(lang, &l).html(lang),
        expenses: expense_grid(lang, &l).html(lang),
        figure,
        may_edit: l.may_edit,
        form,
        datalist: vec![],
        name,
        ctx,
    };
    Ok((page, invalid))
}

/// A working group's ledger over a period, with its money per year (the board, the group's
/// members and the municipality's officials); the form to add a line for the board.
pub async fn ledger(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (page, invalid) = ledger_page(ctx, &s, &slug, &q, None).await?;
    let status = if invalid {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// Records income or an expense.
pub async fn add_transaction(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/working-groups/{slug}/ledger");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let direction = get(&vals, "direction");
    // Only the choice that belongs to the direction counts (the other select keeps its value
    // in the page, but is not sent on).
    let (source, category) = match direction.as_deref() {
        Some("income") => (get(&vals, "source"), None),
        Some("expense") => (None, get(&vals, "category")),
        _ => (get(&vals, "source"), get(&vals, "category")),
    };
    let input = TransactionInput {
        working_group: Some(slug.clone()),
        date: get(&vals, "date"),
        direction,
        source,
        category,
        amount: get(&vals, "amount"),
        activity: get(&vals, "activity"),
        subsidy: get(&vals, "subsidy"),
        description: get(&vals, "description"),
        document: get(&vals, "document"),
    };
    let caller = ctx.auth.caller.clone();
    match s.money.add_transaction(&caller, &input).await {
        Ok(t) => see_other(&format!("/working-groups/{slug}/ledger#t-{}", t.id)),
        Err(AppError::Invalid(e)) => {
            let q = LedgerQuery::default();
            let (page, _) = ledger_page(ctx, &s, &slug, &q, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

pub async fn ledger_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (l, titles, _, _) = load_ledger(&ctx, &s, &slug, &q).await?;
    let body = export::csv(&ledger_grid(ctx.lang, &l, &titles).export())
        .map_err(|e| export_error(&ctx, e))?;
    Ok(download(
        CSV,
        &format!("{}-ledger.csv", file_part(&l.group.slug.to_string())),
        body,
    ))
}

pub async fn ledger_xlsx(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (l, titles, _, _) = load_ledger(&ctx, &s, &slug, &q).await?;
    let lang = ctx.lang;
    let tables = [
        ledger_grid(lang, &l, &titles).export(),
        income_grid(lang, &l).export(),
        expense_grid(lang, &l).export(),
    ];
    let body = export::xlsx(&tables).map_err(|e| export_error(&ctx, e))?;
    Ok(download(
        XLSX,
        &format!("{}-ledger.xlsx", file_part(&l.group.slug.to_string())),
        body,
    ))
}

// ---- phase-out schedules ----------------------------------------------------------------------

/// A computed schedule as a table: year, fraction of the base, total, one part per partnership.
fn schedule_grid(
    lang: Lang,
    id: &str,
    caption: String,
    schedule: &PhaseOutSchedule,
    parts: &[String],
) -> HtmlTable {
    let mut headers = vec![
        (lang.t("money-col-year"), false),
        (lang.t("money-col-fraction"), true),
        (lang.t("money-col-total"), true),
    ];
    headers.extend(parts.iter().map(|p| (p.clone(), true)));
    let rows = schedule
        .years
        .iter()
        .map(|y| {
            let mut r = vec![
                V::Year(y.year),
                V::Text(if y.fraction.denominator() == 1 {
                    y.fraction.numerator().to_string()
                } else {
                    y.fraction.to_string()
                }),
                V::Eur(y.total),
            ];
            r.extend(y.parts.iter().map(|p| V::Eur(*p)));
            (None, r)
        })
        .collect();
    let mut g = Grid {
        id: id.to_owned(),
        sheet: String::new(),
        caption,
        headers,
        rows,
        foot: vec![],
        empty: String::new(),
    }
    .html(lang);
    // A fraction is text, but it lines up with the amounts.
    for r in &mut g.rows {
        if let Some(c) = r.cells.get_mut(1) {
            c.num = true;
        }
    }
    g
}

fn method_text(lang: Lang, m: &PhaseOutMethod) -> String {
    match m {
        PhaseOutMethod::LinearToZero => lang.t("money-method-linear"),
        PhaseOutMethod::FixedFractions(f) => lang.t1(
            "money-method-fractions-list",
            "fractions",
            f.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

struct ScheduleBlock {
    id: String,
    name: String,
    facts: Vec<Fact>,
    table: HtmlTable,
    /// The decisions about the schedule, oldest first.
    about: Option<super::decisions::About>,
}

fn schedule_block(lang: Lang, v: &ScheduleView) -> ScheduleBlock {
    let p = &v.record.draft.phase_out;
    let mut facts = vec![
        Fact {
            label: lang.t("money-field-base"),
            value: eur(lang, p.base()),
            href: None,
        },
        Fact {
            label: lang.t("money-field-base-year"),
            value: p.base_year().to_string(),
            href: None,
        },
        Fact {
            label: lang.t("money-field-years"),
            value: p.years().to_string(),
            href: None,
        },
        Fact {
            label: lang.t("money-field-method"),
            value: method_text(lang, p.method()),
            href: None,
        },
        Fact {
            label: lang.t("money-field-rounding"),
            value: lang.choice("money-rounding", p.rounding().as_str()),
            href: None,
        },
    ];
    if let Some(d) = &v.record.draft.decided_by {
        facts.push(Fact {
            label: lang.t("money-field-decided-by"),
            value: d.to_string(),
            href: None,
        });
    }
    let parts: Vec<String> = v
        .partnerships
        .iter()
        .map(|p| p.partner.name().to_string())
        .collect();
    let name = v.record.draft.name.to_string();
    ScheduleBlock {
        id: v.record.id.clone(),
        table: schedule_grid(
            lang,
            &format!("table-{}", v.record.id),
            lang.t1("money-schedule-caption", "name", name.clone()),
            &v.schedule,
            &parts,
        ),
        name,
        facts,
        about: None,
    }
}

#[derive(Template)]
#[template(path = "money_schedules.html")]
struct SchedulesPage {
    ctx: Ctx,
    name: String,
    slug: String,
    schedules: Vec<ScheduleBlock>,
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
}

fn schedule_input(vals: &Vals, partnerships: Vec<String>) -> ScheduleInput {
    ScheduleInput {
        municipality: None,
        name: get(vals, "name"),
        base: get(vals, "base"),
        base_year: get(vals, "baseYear"),
        years: get(vals, "years"),
        method: get(vals, "method"),
        fractions: get(vals, "fractions"),
        partnerships,
        weights: get(vals, "weights")
            .map(|w| {
                w.split([',', ';', ' ', '\n'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        rounding: get(vals, "rounding"),
        decided_by: get(vals, "decidedBy"),
    }
}

/// The fields a schedule is computed from; `stored` adds what a stored one needs.
fn schedule_builder<'a>(
    lang: Lang,
    vals: &'a Vals,
    errors: Option<&ValidationErrors>,
    stored: bool,
) -> FormBuilder<'a> {
    let roundings: Vec<&str> = Rounding::ALL.iter().map(|r| r.as_str()).collect();
    let mut b = FormBuilder::new(lang, vals, errors);
    if stored {
        b = b.text("name", "money-field-schedule-name", true);
    }
    b.text("base", "money-field-base", true)
        .text_with("baseYear", "money-field-base-year", true, |f| {
            f.input_type = "number"
        })
        .text_with("years", "money-field-years", true, |f| {
            f.input_type = "number"
        })
        .select(
            "method",
            "money-field-method",
            "money-method",
            &["linear", "fractions"],
            None,
        )
        .text("fractions", "money-field-fractions", false)
        .select(
            "rounding",
            "money-field-rounding",
            "money-rounding",
            &roundings,
            None,
        )
}

fn schedule_defaults() -> Vals {
    Vals::from([
        ("method".to_owned(), "linear".to_owned()),
        ("rounding".to_owned(), "whole-euros-half-up".to_owned()),
        ("years".to_owned(), "3".to_owned()),
        ("baseYear".to_owned(), today().year().to_string()),
    ])
}

async fn schedules_page(
    ctx: Ctx,
    s: &AppState,
    slug: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<SchedulesPage, WebError> {
    let m = s
        .register
        .find_municipality(slug)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let views = s.money.schedules(m.id.0.as_str()).await.or_page(&ctx)?;
    let holder = s.register.holder(&m.id).await.or_page(&ctx)?;
    let may_edit = s
        .register
        .allows(&ctx.auth.caller, &Action::ManageSubsidies(holder));
    let lang = ctx.lang;
    let defaults = schedule_defaults();
    let form = if may_edit {
        let (vals, errors) = match failed {
            Some((v, e)) => (v, Some(e)),
            None => (&defaults, None),
        };
        let partnerships = s
            .register
            .municipality(m.id.0.as_str())
            .await
            .or_page(&ctx)?
            .partnerships
            .iter()
            .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
            .collect();
        schedule_builder(lang, vals, errors, true)
            .checkboxes(
                "partnerships",
                "money-field-partnerships-split",
                partnerships,
                true,
            )
            .text("weights", "money-field-weights", false)
            .text("decidedBy", "money-field-decided-by", false)
            .build()
    } else {
        FormBuilder::new(lang, &defaults, None).build()
    };
    let mut schedules = Vec::new();
    for v in &views {
        let mut block = schedule_block(lang, v);
        block.about = Some(
            super::decisions::about(
                &ctx,
                s,
                AffectedKind::Schedule,
                &v.record.id,
                &format!("decisions-{}", v.record.id),
                3,
            )
            .await?,
        );
        schedules.push(block);
    }
    Ok(SchedulesPage {
        name: m.name().to_string(),
        slug: m.slug.to_string(),
        schedules,
        may_edit,
        form,
        datalist: vec![],
        ctx,
    })
}

/// A municipality's phase-out schedules with what they compute to; the form for its officials.
pub async fn schedules(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    ok(&schedules_page(ctx, &s, &slug, None).await?)
}

pub async fn create_schedule(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (vals, partnerships) = with_list(pairs, "partnerships");
    ctx.check_csrf(&vals)?;
    let mut input = schedule_input(&vals, partnerships);
    input.municipality = Some(slug.clone());
    let caller = ctx.auth.caller.clone();
    match s.money.create_schedule(&caller, &input).await {
        Ok(v) => see_other(&format!(
            "/municipalities/{}/phase-out-schedules#s-{}",
            super::encode(&slug),
            v.record.id
        )),
        Err(AppError::Invalid(e)) => {
            let page = schedules_page(ctx, &s, &slug, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "money_compute.html")]
struct ComputePage {
    ctx: Ctx,
    form: FormFields,
    datalist: Vec<String>,
    result: Option<HtmlTable>,
}

/// Most parts the calculator splits over.
const MAX_PARTS: u32 = 50;

/// Computes a schedule from the inputs in the query and shows it; nothing is stored.
pub async fn compute_schedule(ctx: Ctx, Query(pairs): Query<Vec<(String, String)>>) -> PageResult {
    let asked = pairs.iter().any(|(k, _)| k == "base");
    let mut vals = schedule_defaults();
    vals.insert("parts".into(), "3".into());
    vals.extend(pairs);
    let lang = ctx.lang;
    let mut errors = ValidationErrors::default();
    let parts = match get(&vals, "parts").map(|p| p.parse::<u32>()) {
        None => 1,
        Some(Ok(n)) if (1..=MAX_PARTS).contains(&n) => n,
        Some(_) => {
            errors.push("parts", "money-error-parts");
            1
        }
    };
    let mut result = None;
    if asked && errors.is_empty() {
        let labels: Vec<String> = (1..=parts)
            .map(|n| lang.t1("money-part", "n", n.to_string()))
            .collect();
        let ids: Vec<String> = (1..=parts).map(|n| n.to_string()).collect();
        match stedenband_app::money::Money::compute_schedule(&schedule_input(&vals, ids)) {
            Ok(schedule) => {
                result = Some(schedule_grid(
                    lang,
                    "computed",
                    lang.t("money-computed-caption"),
                    &schedule,
                    &labels,
                ));
            }
            Err(AppError::Invalid(e)) => {
                for f in e.0 {
                    // The split is over the number of parts here.
                    let field = if f.field == "partnerships" {
                        "parts"
                    } else {
                        f.field
                    };
                    errors.push(field, f.key);
                }
            }
            Err(e) => return Err(app_error(&ctx, e)),
        }
    }
    let failed = !errors.is_empty();
    let form = schedule_builder(lang, &vals, failed.then_some(&errors), false)
        .text_with("parts", "money-field-parts", true, |f| {
            f.input_type = "number"
        })
        .text("weights", "money-field-weights", false)
        .build();
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &ComputePage {
            ctx,
            form,
            datalist: vec![],
            result,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::tables::percent;
    use rust_decimal::Decimal;
    use stedenband_domain::money::Stage;

    #[test]
    fn every_choice_has_a_label_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        let mut add = |prefix: &str, codes: Vec<&str>| {
            keys.extend(codes.into_iter().map(|c| format!("{prefix}-{c}")))
        };
        add(
            "money-kind",
            SubsidyKind::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-stage",
            Stage::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-step",
            StepKind::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-source",
            IncomeSource::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-category",
            ExpenseCategory::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-grantor",
            Grantor::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-direction",
            Direction::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add(
            "money-rounding",
            Rounding::ALL.iter().map(|x| x.as_str()).collect(),
        );
        add("money-method", vec!["linear", "fractions"]);
        for k in keys {
            for l in Lang::ALL {
                assert!(l.has(&k), "{k} has no {} text", l.code());
            }
        }
    }

    #[test]
    fn amounts_and_quotients_are_written_as_people_read_them() {
        let e = Euros::from_cents(1_632_700);
        assert_eq!(eur(Lang::Nl, e), "€\u{a0}16.327,00");
        assert_eq!(eur(Lang::En, e), "€16,327.00");
        assert_eq!(eur(Lang::Nl, -Euros::from_cents(45_050)), "€\u{a0}-450,50");
        let q: Decimal = "0.41666".parse().unwrap();
        assert_eq!(ratio(Lang::Nl, q), "0,42");
        assert_eq!(ratio(Lang::En, "1.5".parse().unwrap()), "1.50");
        assert_eq!(percent(Lang::Nl, q), "41,7\u{a0}%");
        assert_eq!(percent(Lang::En, q), "41.7%");
    }

    #[test]
    fn a_period_is_in_order_and_bounded() {
        let q = |from: &str, to: &str| PeriodQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            table: None,
        };
        assert_eq!(year_span(&q("2012", "2017"), FIRST_YEAR), (2012, 2017));
        assert_eq!(year_span(&q("2017", "2012"), FIRST_YEAR), (2012, 2017));
        assert_eq!(year_span(&q("1000", "2200"), FIRST_YEAR), (1000, 1049));
        assert_eq!(year_span(&q("x", "2015"), FIRST_YEAR), (2012, 2015));
        assert_eq!(
            ledger_bound(&Some("2017".into()), true),
            Ok(Some(Date::new(2017, 12, 31).unwrap()))
        );
        assert_eq!(
            ledger_bound(&Some("2017-03-01".into()), false),
            Ok(Some(Date::new(2017, 3, 1).unwrap()))
        );
        assert!(ledger_bound(&Some("gisteren".into()), false).is_err());
    }
}
