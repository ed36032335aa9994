//! The pages for policy options (scenarios) and for ending a twinning properly.
//!
//! - `/municipalities/{slug}/scenarios`: a municipality's options (code, title, description,
//!   the proposal marked, the adopted ones with their decision) and a form to compare them.
//! - `/scenarios/{id}?from=&to=`: one option projected per year over its horizon (or another):
//!   the money lines, the totals, staff capacity, each partnership's status, each working
//!   group's funding gap, the changes in words and the present situation it starts from.
//! - `/scenarios/compare?ids=&from=&to=`: options side by side per year with their difference
//!   to the first, the partnerships' statuses at the end, a chart and a CSV download.
//! - `/scenarios/{id}/adopt`: the dry run (every effect in words) and the form of the decision
//!   that adopts the option; `/scenarios/new` records an option with its change rows.
//! - `/partnerships/{id}/ending`: the steps of ending a partnership (decision, letter,
//!   notification, closing), each with its form for the holder's officials, read-only for
//!   everyone else once started; `/ending/letter?lang=` the letter to print (A4).
//!
//! What is valid, who may do what and what adopting does is decided by
//! [`stedenband_app::Decisions`]; the handlers read the request, call it and render.

use super::activities::app_error;
use super::forms::{FormBuilder, FormFields, get, values};
use super::organisation::Fact;
use super::tables::{
    CSV, Figure, Grid, HtmlTable, V, chart, count, download, eur, export_error, file_part,
};
use super::{Ctx, PageResult, ok, render, see_other};
use crate::AppState;
use crate::charts::{BarChart, Series, Unit, grouped_bar_chart_svg};
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::export;
use crate::i18n::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get as route_get, post};
use fluent_templates::fluent_bundle::FluentValue;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use stedenband_app::{AppError, Caller, EndingView, ScenarioComparison, ScenarioView};
use stedenband_domain::decision::{Body, DecisionInput, DecisionKind, DecisionOutcome, RuleKind};
use stedenband_domain::ending::{
    CompleteInput, EndingStep, FinalStatus, LetterInput, NotifyInput, StartInput,
};
use stedenband_domain::money::Euros;
use stedenband_domain::scenario::{
    Change, ChangeInput, Effect, Horizon, LineKey, LineKind, ScenarioInput, change_fields,
};
use stedenband_domain::{
    Action, Municipality, MunicipalityId, PartnershipStatus, ValidationErrors,
};

type Vals = HashMap<String, String>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/municipalities/{slug}/scenarios", route_get(scenarios))
        .route("/scenarios", post(create_scenario))
        .route("/scenarios/new", route_get(new_scenario))
        .route("/scenarios/compare", route_get(compare))
        .route("/scenarios/compare.csv", route_get(compare_csv))
        .route("/scenarios/{id}", route_get(scenario))
        .route("/scenarios/{id}/adopt", route_get(adopt_form).post(adopt))
        .route(
            "/partnerships/{id}/ending",
            route_get(ending).post(start_ending),
        )
        .route(
            "/partnerships/{id}/ending/letter",
            route_get(letter).post(record_letter),
        )
        .route(
            "/partnerships/{id}/ending/notification",
            post(record_notification),
        )
        .route(
            "/partnerships/{id}/ending/completion",
            post(complete_ending),
        )
}

// ---- shared -----------------------------------------------------------------------------------

fn not_found(ctx: &Ctx) -> WebError {
    WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path)
}

/// A translation with named arguments given as texts.
fn tr(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.clone())))
        .collect();
    lang.t_args(key, &args)
}

/// A text's lines, for showing its line breaks without markup in the text.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// A text's paragraphs (separated by blank lines), each as its lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for l in text.lines() {
        if l.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(l.to_owned());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A label inside a sentence: its first letter in lower case ("Actief" → "actief").
fn lower(text: String) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn status_label(lang: Lang, s: PartnershipStatus) -> String {
    lang.choice("status", s.as_str())
}

/// "Subsidie werkgroep Hranice (subsidie, geld, Werkgroep Hranice)".
fn line_label(lang: Lang, key: &LineKey, names: &BTreeMap<String, String>) -> String {
    let mut parts = vec![
        lang.choice("scenario-line-kind", key.line_kind.as_str()),
        lang.t(if key.in_kind {
            "scenario-in-kind"
        } else {
            "scenario-cash"
        }),
    ];
    // The working group, unless the line's name already says it.
    if let Some(g) = &key.working_group {
        let group = names.get(g).cloned().unwrap_or_else(|| g.clone());
        if !key.line.to_lowercase().contains(&group.to_lowercase()) {
            parts.push(group);
        }
    }
    format!("{} ({})", key.line, parts.join(", "))
}

/// "2019–2022", or "vanaf 2019" when open.
fn years_text(lang: Lang, from: i16, to: Option<i16>) -> String {
    match to {
        Some(t) if t == from => from.to_string(),
        Some(t) => format!("{from}–{t}"),
        None => tr(lang, "scenario-years-open", &[("from", from.to_string())]),
    }
}

/// A decision cited: "„Title” (date, reference)".
fn decision_text(lang: Lang, d: &stedenband_domain::decision::DecisionRef) -> String {
    let reference = d
        .reference
        .as_ref()
        .map(|r| format!(", {r}"))
        .unwrap_or_default();
    tr(
        lang,
        "scenario-decision-cited",
        &[
            ("title", d.title.clone()),
            ("date", lang.full_date(d.date)),
            ("ref", reference),
        ],
    )
}

fn rule_label(lang: Lang, kind: RuleKind) -> String {
    lang.choice("scenario-rule", kind.as_str())
}

fn year_of(raw: Option<&str>) -> Result<Option<i16>, &'static str> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => r.parse::<i16>().map(Some).map_err(|_| "error-year-invalid"),
    }
}

/// The horizon from `from` and `to` in the address; what is left out comes from `default`.
/// Errors are named after the two fields.
fn horizon_of(
    from: Option<&str>,
    to: Option<&str>,
    default: Horizon,
) -> Result<Option<Horizon>, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let f = year_of(from).map_err(|k| e.push("from", k)).ok().flatten();
    let t = year_of(to).map_err(|k| e.push("to", k)).ok().flatten();
    if !e.is_empty() {
        return Err(e);
    }
    if f.is_none() && t.is_none() {
        return Ok(None);
    }
    let (f, t) = (f.unwrap_or(default.from), t.unwrap_or(default.to));
    match Horizon::new(f, t) {
        Ok(h) => Ok(Some(h)),
        Err(key @ "error-year-out-of-range") => {
            let field = if (stedenband_domain::date::MIN_YEAR..=stedenband_domain::date::MAX_YEAR)
                .contains(&f)
            {
                "to"
            } else {
                "from"
            };
            Err(ValidationErrors::single(field, key))
        }
        Err(key) => Err(ValidationErrors::single("to", key)),
    }
}

fn horizon_fields<'a>(
    lang: Lang,
    vals: &'a Vals,
    errors: Option<&ValidationErrors>,
) -> FormBuilder<'a> {
    FormBuilder::new(lang, vals, errors)
        .text_with("from", "scenario-field-from", false, |f| {
            f.input_type = "number"
        })
        .text_with("to", "scenario-field-to", false, |f| {
            f.input_type = "number"
        })
}

// ---- the list ---------------------------------------------------------------------------------

struct Item {
    href: String,
    code: String,
    title: String,
    description: Vec<Vec<String>>,
    proposed: bool,
    cost: String,
    /// "aangenomen bij besluit …" with the decision's page.
    adopted: Option<(String, String)>,
    adopt_href: Option<String>,
}

#[derive(Template)]
#[template(path = "scenario_list.html")]
struct ListPage {
    ctx: Ctx,
    name: String,
    slug: String,
    items: Vec<Item>,
    /// The comparison form (GET).
    form: FormFields,
    datalist: Vec<String>,
    new_href: Option<String>,
}

fn cost_text(lang: Lang, v: &ScenarioView) -> String {
    let (cash, in_kind, hours) = v.projection.totals();
    tr(
        lang,
        "scenario-cost-summary",
        &[
            ("period", v.horizon.to_string()),
            ("cash", eur(lang, cash)),
            ("amount", eur(lang, in_kind)),
            (
                "count",
                count(lang, i64::try_from(hours).unwrap_or(i64::MAX)),
            ),
        ],
    )
}

fn adopted_of(lang: Lang, v: &ScenarioView) -> Option<(String, String)> {
    v.record.adopted_by.as_ref().map(|d| {
        (
            tr(
                lang,
                "scenario-adopted-by",
                &[("decision", decision_text(lang, d))],
            ),
            format!("/decisions/{}", d.id),
        )
    })
}

/// The options of a municipality and its predecessors (public).
pub async fn scenarios(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let lang = ctx.lang;
    let m = s
        .register
        .find_municipality(&slug)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let found = s
        .decisions
        .scenarios(&ctx.auth.caller, m.slug.as_str())
        .await
        .or_page(&ctx)?;
    // Once one option is adopted, the others cannot be (the adopt page would say so).
    let any_adopted = found.iter().any(|v| v.record.adopted_by.is_some());
    let items = found
        .iter()
        .map(|v| {
            let d = &v.record.draft;
            Item {
                href: format!("/scenarios/{}", v.record.id),
                code: d.code.clone(),
                title: d.title.to_string(),
                description: d.description.as_deref().map(paragraphs).unwrap_or_default(),
                proposed: d.proposed,
                cost: cost_text(lang, v),
                adopted: adopted_of(lang, v),
                adopt_href: (v.may_adopt && !any_adopted)
                    .then(|| format!("/scenarios/{}/adopt", v.record.id)),
            }
        })
        .collect();
    let options: Vec<(String, String)> = found
        .iter()
        .map(|v| {
            (
                v.record.id.clone(),
                format!("{}: {}", v.record.draft.code, v.record.draft.title),
            )
        })
        .collect();
    let mut vals = Vals::new();
    vals.insert(
        "ids".into(),
        options
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    if let Some(first) = found.first() {
        vals.insert("from".into(), first.horizon.from.to_string());
        vals.insert("to".into(), first.horizon.to.to_string());
    }
    let form = FormBuilder::new(lang, &vals, None)
        .checkboxes("ids", "scenario-field-compare", options, true)
        .text_with("from", "scenario-field-from", false, |f| {
            f.input_type = "number"
        })
        .text_with("to", "scenario-field-to", false, |f| {
            f.input_type = "number"
        })
        .build();
    let new_href = s
        .decisions
        .may_record(&ctx.auth.caller, &m)
        .await
        .then(|| format!("/scenarios/new?municipality={}", m.slug));
    ok(&ListPage {
        name: m.name().to_string(),
        slug: m.slug.to_string(),
        items,
        form,
        datalist: vec![],
        new_href,
        ctx,
    })
}

// ---- one scenario -----------------------------------------------------------------------------

/// The changes of a scenario in words.
fn changes_in_words(lang: Lang, v: &ScenarioView) -> Vec<String> {
    v.record
        .draft
        .changes
        .iter()
        .map(|c| match c {
            Change::Status {
                partnership,
                status,
                on,
            } => tr(
                lang,
                "scenario-change-status",
                &[
                    (
                        "partner",
                        v.names
                            .get(partnership)
                            .cloned()
                            .unwrap_or_else(|| partnership.clone()),
                    ),
                    ("what", lower(status_label(lang, *status))),
                    ("date", lang.full_date(*on)),
                ],
            ),
            Change::Line {
                line,
                line_kind,
                working_group,
                in_kind,
                from,
                to,
                amount,
            } => {
                let key = LineKey {
                    line: line.to_string(),
                    line_kind: *line_kind,
                    working_group: working_group.clone(),
                    in_kind: *in_kind,
                };
                let years = years_text(lang, *from, *to);
                if amount.is_zero() {
                    tr(
                        lang,
                        "scenario-change-line-off",
                        &[
                            ("name", line_label(lang, &key, &v.names)),
                            ("period", years),
                        ],
                    )
                } else {
                    tr(
                        lang,
                        "scenario-change-line",
                        &[
                            ("name", line_label(lang, &key, &v.names)),
                            ("amount", eur(lang, *amount)),
                            ("period", years),
                        ],
                    )
                }
            }
            Change::Staff { from, to, hours } => tr(
                lang,
                "scenario-change-staff",
                &[
                    ("count", count(lang, i64::from(*hours))),
                    ("period", years_text(lang, *from, *to)),
                ],
            ),
        })
        .collect()
}

/// The present situation a projection starts from, in words.
struct BaselineText {
    intro: String,
    lines: Vec<String>,
    staff: String,
    statuses: Vec<String>,
    groups: Vec<String>,
}

fn baseline_text(lang: Lang, v: &ScenarioView) -> BaselineText {
    let b = &v.baseline;
    let from = v.horizon.from;
    BaselineText {
        intro: tr(
            lang,
            "scenario-baseline-intro",
            &[
                ("year", from.to_string()),
                ("first", (from - 3).to_string()),
                ("last", (from - 1).to_string()),
            ],
        ),
        lines: b
            .lines
            .iter()
            .map(|(k, a)| format!("{}: {}", line_label(lang, k, &v.names), eur(lang, *a)))
            .collect(),
        staff: tr(
            lang,
            "scenario-baseline-staff",
            &[("count", count(lang, i64::from(b.staff_hours)))],
        ),
        statuses: {
            let mut l: Vec<String> = b
                .statuses
                .iter()
                .map(|(p, st)| {
                    format!(
                        "{}: {}",
                        v.names.get(p).cloned().unwrap_or_else(|| p.clone()),
                        status_label(lang, *st)
                    )
                })
                .collect();
            l.sort();
            l
        },
        groups: {
            let mut l: Vec<String> = b
                .groups
                .iter()
                .map(|g| {
                    tr(
                        lang,
                        "scenario-baseline-group",
                        &[
                            (
                                "name",
                                v.names
                                    .get(&g.working_group)
                                    .cloned()
                                    .unwrap_or_else(|| g.working_group.clone()),
                            ),
                            ("amount", eur(lang, g.expenses)),
                            ("private", eur(lang, g.income_without_municipal)),
                        ],
                    )
                })
                .collect();
            l.sort();
            l
        },
    }
}

/// The headings of a table with a column per year (right-aligned over amounts).
fn year_headers(lang: Lang, first: &str, years: &[i16], amounts: bool) -> Vec<(String, bool)> {
    let mut h = vec![(lang.t(first), false)];
    h.extend(years.iter().map(|y| (y.to_string(), amounts)));
    h
}

/// The positions of `ids` in the order of their names.
fn by_name(ids: &[String], names: &BTreeMap<String, String>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|i| {
        names
            .get(&ids[*i])
            .cloned()
            .unwrap_or_default()
            .to_lowercase()
    });
    order
}

/// The tables of a projection: money lines, totals, partnerships, working groups.
struct Projected {
    lines: HtmlTable,
    totals: HtmlTable,
    statuses: HtmlTable,
    groups: Vec<HtmlTable>,
    figure: Figure,
}

fn projected(lang: Lang, v: &ScenarioView) -> Projected {
    let p = &v.projection;
    let years: Vec<i16> = p.years.iter().map(|y| y.year).collect();
    let lines = Grid {
        id: "lines".into(),
        sheet: lang.t("scenario-lines-title"),
        caption: lang.t("scenario-lines-caption"),
        headers: year_headers(lang, "scenario-col-line", &years, true),
        rows: p
            .lines
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let mut row = vec![V::Text(line_label(lang, k, &v.names))];
                row.extend(p.years.iter().map(|y| V::Eur(y.lines[i])));
                (None, row)
            })
            .collect(),
        foot: vec![],
        empty: lang.t("scenario-lines-none"),
    };
    let row = |key: &str, values: Vec<V>| {
        let mut r = vec![V::Text(lang.t(key))];
        r.extend(values);
        (None, r)
    };
    let totals = Grid {
        id: "totals".into(),
        sheet: lang.t("scenario-totals-title"),
        caption: lang.t("scenario-totals-caption"),
        headers: year_headers(lang, "scenario-col-figure", &years, true),
        rows: vec![
            row(
                "scenario-row-cash",
                p.years.iter().map(|y| V::Eur(y.cash)).collect(),
            ),
            row(
                "scenario-row-in-kind",
                p.years.iter().map(|y| V::Eur(y.in_kind)).collect(),
            ),
            row(
                "scenario-row-cost",
                p.years.iter().map(|y| V::Eur(y.cash + y.in_kind)).collect(),
            ),
            row(
                "scenario-row-staff",
                p.years
                    .iter()
                    .map(|y| V::Count(i64::from(y.staff_hours)))
                    .collect(),
            ),
        ],
        foot: vec![],
        empty: String::new(),
    };
    let statuses = Grid {
        id: "statuses".into(),
        sheet: lang.t("scenario-statuses-title"),
        caption: lang.t("scenario-statuses-caption"),
        headers: year_headers(lang, "scenario-col-partnership", &years, false),
        rows: by_name(&p.partnerships, &v.names)
            .into_iter()
            .map(|i| {
                let id = &p.partnerships[i];
                let mut r = vec![V::Link(
                    v.names.get(id).cloned().unwrap_or_else(|| id.clone()),
                    format!("/partnerships/{id}"),
                )];
                r.extend(
                    p.years
                        .iter()
                        .map(|y| V::Text(status_label(lang, y.statuses[i]))),
                );
                (None, r)
            })
            .collect(),
        foot: vec![],
        empty: lang.t("scenario-statuses-none"),
    };
    let groups = by_name(&p.groups, &v.names)
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let g = &p.groups[i];
            let name = v.names.get(g).cloned().unwrap_or_else(|| g.clone());
            Grid {
                id: format!("group-{}", n + 1),
                sheet: name.clone(),
                caption: tr(lang, "scenario-group-caption", &[("name", name)]),
                headers: year_headers(lang, "scenario-col-figure", &years, true),
                rows: vec![
                    row(
                        "scenario-row-gap",
                        p.years.iter().map(|y| V::Eur(y.gaps[i].gap)).collect(),
                    ),
                    row(
                        "scenario-row-municipal",
                        p.years
                            .iter()
                            .map(|y| V::Eur(y.gaps[i].municipal))
                            .collect(),
                    ),
                    row(
                        "scenario-row-remaining",
                        p.years
                            .iter()
                            .map(|y| V::Eur(y.gaps[i].remaining))
                            .collect(),
                    ),
                ],
                foot: vec![],
                empty: String::new(),
            }
            .html(lang)
        })
        .collect();
    let title = tr(
        lang,
        "scenario-chart-cost",
        &[
            ("code", v.record.draft.code.clone()),
            ("period", v.horizon.to_string()),
        ],
    );
    let figure = Figure {
        svg: chart(
            lang,
            "chart-cost",
            title.clone(),
            &years,
            vec![
                Series {
                    label: lang.t("scenario-row-cash"),
                    values: p.years.iter().map(|y| y.cash.cents()).collect(),
                },
                Series {
                    label: lang.t("scenario-row-in-kind"),
                    values: p.years.iter().map(|y| y.in_kind.cents()).collect(),
                },
            ],
        ),
        caption: title,
        table: "totals".into(),
        table_link: lang.t("scenario-figures-in-table"),
    };
    Projected {
        lines: lines.html(lang),
        totals: totals.html(lang),
        statuses: statuses.html(lang),
        groups,
        figure,
    }
}

#[derive(Template)]
#[template(path = "scenario_detail.html")]
struct DetailPage {
    ctx: Ctx,
    id: String,
    heading: String,
    name: String,
    slug: String,
    proposed: bool,
    adopted: Option<(String, String)>,
    description: Vec<Vec<String>>,
    facts: Vec<Fact>,
    horizon: String,
    /// The horizon form (GET).
    form: FormFields,
    datalist: Vec<String>,
    changes: Vec<String>,
    baseline: BaselineText,
    tables: Projected,
    compare_href: String,
    adopt_href: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HorizonQuery {
    from: Option<String>,
    to: Option<String>,
}

/// One option projected per year (public).
pub async fn scenario(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<HorizonQuery>,
) -> PageResult {
    let lang = ctx.lang;
    let own = s
        .decisions
        .scenario(&ctx.auth.caller, &id, None)
        .await
        .or_page(&ctx)?;
    let (v, errors) = match horizon_of(q.from.as_deref(), q.to.as_deref(), own.horizon) {
        Ok(None) => (own, None),
        Ok(Some(h)) => (
            s.decisions
                .scenario(&ctx.auth.caller, &id, Some(h))
                .await
                .or_page(&ctx)?,
            None,
        ),
        Err(e) => (own, Some(e)),
    };
    let d = &v.record.draft;
    let mut vals = Vals::new();
    vals.insert(
        "from".into(),
        q.from.clone().unwrap_or_else(|| v.horizon.from.to_string()),
    );
    vals.insert(
        "to".into(),
        q.to.clone().unwrap_or_else(|| v.horizon.to.to_string()),
    );
    let form = horizon_fields(lang, &vals, errors.as_ref()).build();
    let m = &v.municipality;
    let facts = vec![
        Fact {
            label: lang.t("scenario-fact-municipality"),
            value: m.name().to_string(),
            href: Some(format!("/municipalities/{}", m.slug)),
        },
        Fact {
            label: lang.t("scenario-fact-code"),
            value: d.code.clone(),
            href: None,
        },
        Fact {
            label: lang.t("scenario-fact-horizon"),
            value: d.horizon.to_string(),
            href: None,
        },
        Fact {
            label: lang.t("scenario-fact-state"),
            value: if v.record.adopted_by.is_some() {
                lang.t("scenario-state-adopted")
            } else if d.proposed {
                lang.t("scenario-state-proposed")
            } else {
                lang.t("scenario-state-option")
            },
            href: None,
        },
    ];
    let page = DetailPage {
        id: v.record.id.clone(),
        heading: tr(
            lang,
            "scenario-heading",
            &[("code", d.code.clone()), ("title", d.title.to_string())],
        ),
        name: m.name().to_string(),
        slug: m.slug.to_string(),
        proposed: d.proposed,
        adopted: adopted_of(lang, &v),
        description: d.description.as_deref().map(paragraphs).unwrap_or_default(),
        facts,
        horizon: v.horizon.to_string(),
        form,
        datalist: vec![],
        changes: changes_in_words(lang, &v),
        baseline: baseline_text(lang, &v),
        tables: projected(lang, &v),
        compare_href: format!("/municipalities/{}/scenarios#compare", m.slug),
        adopt_href: v
            .may_adopt
            .then(|| format!("/scenarios/{}/adopt", v.record.id)),
        ctx,
    };
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

// ---- comparison -------------------------------------------------------------------------------

/// The comparison's address: `ids` comma-separated or repeated, `from`, `to`.
#[derive(Debug, Default)]
struct CompareQuery {
    ids: Vec<String>,
    from: Option<String>,
    to: Option<String>,
}

impl CompareQuery {
    fn parse(raw: Option<&str>) -> Self {
        let mut q = CompareQuery::default();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            match k.as_ref() {
                "ids" => q.ids.extend(
                    v.split([',', '\n'])
                        .map(str::trim)
                        .filter(|i| !i.is_empty())
                        .map(str::to_owned),
                ),
                "from" => q.from = Some(v.trim().to_owned()),
                "to" => q.to = Some(v.trim().to_owned()),
                _ => {}
            }
        }
        q
    }
}

/// The errors of a comparison named after the form's fields.
fn compare_errors(e: ValidationErrors) -> ValidationErrors {
    let mut out = ValidationErrors::default();
    for f in e.0 {
        out.push(
            if f.field == "scenarios" {
                "ids"
            } else {
                f.field
            },
            f.key,
        );
    }
    out
}

/// The comparison, or the errors of the request with the municipality it is about (when one
/// of the options could be found).
async fn comparison(
    ctx: &Ctx,
    s: &AppState,
    q: &CompareQuery,
) -> Result<ScenarioComparison, Result<(ValidationErrors, Option<Municipality>), WebError>> {
    let caller = &ctx.auth.caller;
    let mut first: Option<ScenarioView> = None;
    for id in &q.ids {
        match s.decisions.scenario(caller, id, None).await {
            Ok(v) => {
                first = Some(v);
                break;
            }
            Err(AppError::NotFound) => {}
            Err(e) => return Err(Err(app_error(ctx, e))),
        }
    }
    let m = first.as_ref().map(|v| v.municipality.clone());
    let default = first.as_ref().map(|v| v.horizon).unwrap_or(Horizon {
        from: 2000,
        to: 2000,
    });
    let horizon = match horizon_of(q.from.as_deref(), q.to.as_deref(), default) {
        Ok(h) => h,
        Err(e) => return Err(Ok((e, m))),
    };
    match s.decisions.compare(caller, &q.ids, horizon).await {
        Ok(c) => Ok(c),
        Err(AppError::Invalid(e)) => Err(Ok((compare_errors(e), m))),
        Err(e) => Err(Err(app_error(ctx, e))),
    }
}

fn comparison_grid(lang: Lang, c: &ScenarioComparison) -> Grid {
    let mut headers = vec![(lang.t("scenario-col-year"), false)];
    let first = c
        .scenarios
        .first()
        .map(|v| v.record.draft.code.clone())
        .unwrap_or_default();
    for (i, v) in c.scenarios.iter().enumerate() {
        let code = v.record.draft.code.clone();
        let arg = |key: &str| {
            tr(
                lang,
                key,
                &[("code", code.clone()), ("first", first.clone())],
            )
        };
        headers.push((arg("scenario-col-cash-of"), true));
        headers.push((arg("scenario-col-in-kind-of"), true));
        headers.push((arg("scenario-col-staff-of"), true));
        if i > 0 {
            headers.push((arg("scenario-col-difference-of"), true));
        }
    }
    let n = c.scenarios.len();
    let rows = c
        .years
        .iter()
        .map(|y| {
            let mut r = vec![V::Year(y.year)];
            for i in 0..n {
                r.push(V::Eur(y.cash[i]));
                r.push(V::Eur(y.in_kind[i]));
                r.push(V::Count(i64::from(y.staff_hours[i])));
                if i > 0 {
                    r.push(V::Eur(y.difference[i]));
                }
            }
            (Some(format!("year-{}", y.year)), r)
        })
        .collect();
    let mut total = vec![V::Text(lang.t("scenario-row-total"))];
    for i in 0..n {
        let sum = |f: &dyn Fn(&stedenband_domain::scenario::ComparedYear) -> Euros| {
            c.years.iter().map(f).fold(Euros::ZERO, |a, b| a + b)
        };
        total.push(V::Eur(sum(&|y| y.cash[i])));
        total.push(V::Eur(sum(&|y| y.in_kind[i])));
        total.push(V::Count(
            c.years.iter().map(|y| i64::from(y.staff_hours[i])).sum(),
        ));
        if i > 0 {
            total.push(V::Eur(sum(&|y| y.difference[i])));
        }
    }
    Grid {
        id: "comparison".into(),
        sheet: lang.t("scenario-compare-sheet"),
        caption: lang.t("scenario-compare-caption"),
        headers,
        rows,
        foot: vec![total],
        empty: lang.t("scenario-compare-none"),
    }
}

/// The partnerships' statuses at the end of the horizon, per option.
fn end_statuses_grid(lang: Lang, c: &ScenarioComparison) -> Grid {
    let mut headers = vec![(lang.t("scenario-col-partnership"), false)];
    headers.extend(
        c.scenarios
            .iter()
            .map(|v| (v.record.draft.code.clone(), false)),
    );
    let partnerships: Vec<String> = c
        .scenarios
        .first()
        .map(|v| v.projection.partnerships.clone())
        .unwrap_or_default();
    let names = c
        .scenarios
        .first()
        .map(|v| v.names.clone())
        .unwrap_or_default();
    let rows = by_name(&partnerships, &names)
        .into_iter()
        .map(|i| {
            let id = &partnerships[i];
            let mut r = vec![V::Link(
                names.get(id).cloned().unwrap_or_else(|| id.clone()),
                format!("/partnerships/{id}"),
            )];
            for v in &c.scenarios {
                let p = &v.projection;
                let st = p
                    .partnerships
                    .iter()
                    .position(|x| x == id)
                    .and_then(|i| p.years.last().map(|y| y.statuses[i]));
                r.push(V::Text(
                    st.map(|s| status_label(lang, s))
                        .unwrap_or_else(|| "–".into()),
                ));
            }
            (None, r)
        })
        .collect();
    let end = c.years.last().map(|y| y.year).unwrap_or_default();
    Grid {
        id: "end-statuses".into(),
        sheet: lang.t("scenario-statuses-title"),
        caption: tr(
            lang,
            "scenario-end-statuses-caption",
            &[("year", end.to_string())],
        ),
        headers,
        rows,
        foot: vec![],
        empty: lang.t("scenario-statuses-none"),
    }
}

fn comparison_figure(lang: Lang, c: &ScenarioComparison) -> Figure {
    let years: Vec<i16> = c.years.iter().map(|y| y.year).collect();
    let series: Vec<Series> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, v)| Series {
            label: format!("{}: {}", v.record.draft.code, v.record.draft.title),
            values: c
                .years
                .iter()
                .map(|y| (y.cash[i] + y.in_kind[i]).cents())
                .collect(),
        })
        .collect();
    let period = match (years.first(), years.last()) {
        (Some(f), Some(l)) => format!("{f}–{l}"),
        _ => String::new(),
    };
    let title = tr(lang, "scenario-compare-chart", &[("period", period)]);
    let description = series
        .iter()
        .map(|s| {
            let per_year: Vec<String> = years
                .iter()
                .zip(&s.values)
                .map(|(y, c)| format!("{y}: {}", eur(lang, Euros::from_cents(*c))))
                .collect();
            format!("{}: {}", s.label, per_year.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    Figure {
        svg: grouped_bar_chart_svg(
            &BarChart {
                id: "chart-compare".into(),
                title: title.clone(),
                description,
                categories: years.iter().map(i16::to_string).collect(),
                series,
                unit: Unit::Cents,
            },
            lang,
        ),
        caption: title,
        table: "comparison".into(),
        table_link: lang.t("scenario-figures-in-table"),
    }
}

#[derive(Template)]
#[template(path = "scenario_compare.html")]
struct ComparePage {
    ctx: Ctx,
    /// The municipality (name, slug), when known.
    name: String,
    slug: String,
    form: FormFields,
    datalist: Vec<String>,
    options: Vec<(String, String)>,
    table: Option<HtmlTable>,
    statuses: Option<HtmlTable>,
    figure: Option<Figure>,
    csv: String,
}

async fn compare_form(
    ctx: &Ctx,
    s: &AppState,
    m: Option<&Municipality>,
    q: &CompareQuery,
    c: Option<&ScenarioComparison>,
    errors: Option<&ValidationErrors>,
) -> Result<(FormFields, Vec<(String, String)>), WebError> {
    let all = match m {
        Some(m) => s
            .decisions
            .scenarios(&ctx.auth.caller, m.slug.as_str())
            .await
            .or_page(ctx)?,
        None => vec![],
    };
    let options: Vec<(String, String)> = all
        .iter()
        .map(|v| {
            (
                v.record.id.clone(),
                format!("{}: {}", v.record.draft.code, v.record.draft.title),
            )
        })
        .collect();
    let mut vals = Vals::new();
    vals.insert("ids".into(), q.ids.join("\n"));
    let years = c.map(|c| {
        (
            c.years.first().map(|y| y.year),
            c.years.last().map(|y| y.year),
        )
    });
    vals.insert(
        "from".into(),
        q.from
            .clone()
            .or_else(|| years.and_then(|y| y.0).map(|y| y.to_string()))
            .unwrap_or_default(),
    );
    vals.insert(
        "to".into(),
        q.to.clone()
            .or_else(|| years.and_then(|y| y.1).map(|y| y.to_string()))
            .unwrap_or_default(),
    );
    let form = FormBuilder::new(ctx.lang, &vals, errors)
        .checkboxes("ids", "scenario-field-compare", options.clone(), true)
        .text_with("from", "scenario-field-from", false, |f| {
            f.input_type = "number"
        })
        .text_with("to", "scenario-field-to", false, |f| {
            f.input_type = "number"
        })
        .build();
    Ok((form, options))
}

/// Options side by side per year (public).
pub async fn compare(ctx: Ctx, State(s): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let lang = ctx.lang;
    let q = CompareQuery::parse(raw.as_deref());
    match comparison(&ctx, &s, &q).await {
        Ok(c) => {
            let m = c.scenarios[0].municipality.clone();
            let (form, options) = compare_form(&ctx, &s, Some(&m), &q, Some(&c), None).await?;
            let csv_query = {
                let mut parts = vec![format!(
                    "ids={}",
                    c.scenarios
                        .iter()
                        .map(|v| v.record.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                )];
                if let (Some(f), Some(l)) = (c.years.first(), c.years.last()) {
                    parts.push(format!("from={}&to={}", f.year, l.year));
                }
                parts.join("&")
            };
            let page = ComparePage {
                name: m.name().to_string(),
                slug: m.slug.to_string(),
                form,
                datalist: vec![],
                options,
                table: Some(comparison_grid(lang, &c).html(lang)),
                statuses: Some(end_statuses_grid(lang, &c).html(lang)),
                figure: Some(comparison_figure(lang, &c)),
                csv: format!("/scenarios/compare.csv?{csv_query}"),
                ctx,
            };
            ok(&page)
        }
        Err(Ok((errors, m))) => {
            let (form, options) =
                compare_form(&ctx, &s, m.as_ref(), &q, None, Some(&errors)).await?;
            let page = ComparePage {
                name: m.as_ref().map(|m| m.name().to_string()).unwrap_or_default(),
                slug: m.map(|m| m.slug.to_string()).unwrap_or_default(),
                form,
                datalist: vec![],
                options,
                table: None,
                statuses: None,
                figure: None,
                csv: String::new(),
                ctx,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(e),
    }
}

/// The comparison table as CSV.
pub async fn compare_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = CompareQuery::parse(raw.as_deref());
    let c = match comparison(&ctx, &s, &q).await {
        Ok(c) => c,
        Err(Ok((e, _))) => {
            return Err(WebError::new(Front::Page, ctx.lang, ErrorKind::Invalid(e)).at(&ctx.path));
        }
        Err(Err(e)) => return Err(e),
    };
    let body =
        export::csv(&comparison_grid(ctx.lang, &c).export()).map_err(|e| export_error(&ctx, e))?;
    let codes: Vec<String> = c
        .scenarios
        .iter()
        .map(|v| file_part(&v.record.draft.code))
        .collect();
    let name = format!(
        "scenarios-{}-{}.csv",
        file_part(c.scenarios[0].municipality.slug.as_str()),
        codes.join("-")
    );
    Ok(download(CSV, &name, body).into_response())
}

// ---- adoption ---------------------------------------------------------------------------------

/// What adopting does, in words.
#[derive(Default)]
struct EffectsText {
    statuses: Vec<String>,
    /// Per year: the plan's lines and staff capacity.
    plan: Vec<(i16, Vec<String>)>,
    rules: Vec<String>,
}

fn effects_in_words(
    lang: Lang,
    v: &ScenarioView,
    effects: &[Effect],
    rules: &[stedenband_domain::decision::Rule],
) -> EffectsText {
    let mut out = EffectsText::default();
    let mut plan: BTreeMap<i16, Vec<String>> = BTreeMap::new();
    for e in effects {
        match e {
            Effect::Status {
                partnership,
                from,
                to,
                on,
            } => out.statuses.push(tr(
                lang,
                "scenario-effect-status",
                &[
                    (
                        "partner",
                        v.names
                            .get(partnership)
                            .cloned()
                            .unwrap_or_else(|| partnership.clone()),
                    ),
                    ("from", lower(status_label(lang, *from))),
                    ("to", lower(status_label(lang, *to))),
                    ("date", lang.full_date(*on)),
                ],
            )),
            Effect::PlanLine { year, key, amount } => plan.entry(*year).or_default().push(format!(
                "{}: {}",
                line_label(lang, key, &v.names),
                eur(lang, *amount)
            )),
            Effect::PlanStaff { year, hours } => plan.entry(*year).or_default().push(tr(
                lang,
                "scenario-effect-staff",
                &[("count", count(lang, i64::from(*hours)))],
            )),
            Effect::ImposeRule { rule, from } => out.rules.push(tr(
                lang,
                "scenario-effect-impose",
                &[
                    ("what", rule_label(lang, *rule)),
                    ("date", lang.full_date(*from)),
                ],
            )),
            Effect::LiftRule { rule, rule_kind } => {
                let by = rules
                    .iter()
                    .find(|r| &r.id == rule)
                    .map(|r| decision_text(lang, &r.imposed_by))
                    .unwrap_or_default();
                out.rules.push(tr(
                    lang,
                    "scenario-effect-lift",
                    &[("what", rule_label(lang, *rule_kind)), ("decision", by)],
                ))
            }
        }
    }
    out.plan = plan.into_iter().collect();
    out
}

#[derive(Template)]
#[template(path = "scenario_adopt.html")]
struct AdoptPage {
    ctx: Ctx,
    id: String,
    heading: String,
    name: String,
    slug: String,
    /// The dry run; none when adopting is refused altogether (adopted already).
    effects: Option<EffectsText>,
    /// Why the option cannot be adopted (shown instead of the form).
    refused: Vec<String>,
    form: FormFields,
    datalist: Vec<String>,
}

fn decision_fields(lang: Lang, vals: &Vals, errors: Option<&ValidationErrors>) -> FormFields {
    let bodies: Vec<&str> = Body::ALL.iter().map(|b| b.as_str()).collect();
    let kinds: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
    FormBuilder::new(lang, vals, errors)
        .text_with("date", "scenario-field-decision-date", true, |f| {
            f.input_type = "date"
        })
        .select(
            "body",
            "scenario-field-body",
            "scenario-body",
            &bodies,
            None,
        )
        .select(
            "kind",
            "scenario-field-decision-kind",
            "scenario-decision-kind",
            &kinds,
            None,
        )
        .text("reference", "scenario-field-reference", false)
        .text("title", "scenario-field-decision-title", true)
        .textarea("text", "scenario-field-decision-text", false)
        .text_with("votesFor", "scenario-field-votes-for", false, |f| {
            f.input_type = "number"
        })
        .text_with("votesAgainst", "scenario-field-votes-against", false, |f| {
            f.input_type = "number"
        })
        .text_with("sourceUrl", "scenario-field-source-url", false, |f| {
            f.input_type = "url"
        })
        .build()
}

/// Errors of the dry run that depend on the decision's date (a status change after it, say):
/// they belong at the date field, and another date may do.
const DATE_ERRORS: [&str; 2] = [
    "error-scenario-status-in-future",
    "error-scenario-status-before-latest",
];

async fn adopt_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<(StatusCode, AdoptPage), WebError> {
    let lang = ctx.lang;
    let caller = ctx.auth.caller.clone();
    // The dry run for the date the form holds (today when there is none or it is unreadable),
    // else for today: what the form shows must be what saving it would do.
    let decided = failed
        .and_then(|(v, _)| get(v, "date"))
        .and_then(|d| d.parse::<Date>().ok());
    let mut run = s.decisions.dry_run(&caller, id, decided).await;
    let mut date_errors: Vec<&'static str> = Vec::new();
    if let Err(AppError::Invalid(e)) = &run
        && e.0.iter().all(|f| DATE_ERRORS.contains(&f.key))
    {
        date_errors = e.0.iter().map(|f| f.key).collect();
        if decided.is_some() {
            run = s.decisions.dry_run(&caller, id, None).await;
        }
    }
    let (view, effects, refused) = match run {
        Ok(run) => {
            let rules = s
                .decisions
                .rules(&run.scenario.municipality.id.0)
                .await
                .or_page(&ctx)?;
            let words = effects_in_words(lang, &run.scenario, &run.effects, &rules);
            (run.scenario, Some(words), vec![])
        }
        Err(AppError::Invalid(e)) => {
            // Refused as a whole (adopted already, another option adopted, an archived
            // partnership): the option is still there to show.
            let v = s
                .decisions
                .scenario(&caller, id, None)
                .await
                .or_page(&ctx)?;
            (v, None, e.0.iter().map(|f| lang.t(f.key)).collect())
        }
        Err(e) => return Err(app_error(&ctx, e)),
    };
    let d = &view.record.draft;
    let defaults = Vals::from([
        (
            "date".to_owned(),
            stedenband_app::organisation::today().to_string(),
        ),
        ("body".to_owned(), "council".to_owned()),
        ("kind".to_owned(), "decision".to_owned()),
        (
            "title".to_owned(),
            tr(
                lang,
                "scenario-adopt-default-title",
                &[("code", d.code.clone()), ("title", d.title.to_string())],
            ),
        ),
    ]);
    // The post's errors, those of the dry run that concern the date at the date field.
    let mut errors = ValidationErrors::default();
    for f in failed.map(|(_, e)| e.0.as_slice()).unwrap_or_default() {
        let field = if DATE_ERRORS.contains(&f.key) {
            "date"
        } else {
            f.field
        };
        if !errors.0.iter().any(|x| x.field == field && x.key == f.key) {
            errors.push(field, f.key);
        }
    }
    for key in date_errors {
        if !errors.0.iter().any(|x| x.key == key) {
            errors.push("date", key);
        }
    }
    let vals = failed.map(|(v, _)| v).unwrap_or(&defaults);
    let mut refused = refused;
    let form = if effects.is_some() {
        decision_fields(lang, vals, (!errors.is_empty()).then_some(&errors))
    } else {
        // Nothing to fill in: the errors of the post are said with the refusal.
        for f in &errors.0 {
            let t = lang.t(f.key);
            if !refused.contains(&t) {
                refused.push(t);
            }
        }
        FormBuilder::new(lang, &defaults, None).build()
    };
    let status = if !errors.is_empty() || !refused.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        AdoptPage {
            id: view.record.id.clone(),
            heading: tr(
                lang,
                "scenario-heading",
                &[("code", d.code.clone()), ("title", d.title.to_string())],
            ),
            name: view.municipality.name().to_string(),
            slug: view.municipality.slug.to_string(),
            effects,
            refused,
            form,
            datalist: vec![],
            ctx,
        },
    ))
}

/// The dry run and the decision form (the municipality's officials).
pub async fn adopt_form(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    let (status, page) = adopt_page(ctx, &s, &id, None).await?;
    Ok(render(status, &page))
}

/// Adopts the option with its decision; to the option's page.
pub async fn adopt(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/scenarios/{id}/adopt");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    // The municipality is the option's; the use case checks the rights before anything else.
    let municipality = match s.decisions.scenario(&caller, &id, None).await {
        Ok(v) => Some(v.municipality.id.0),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(app_error(&ctx, e)),
    };
    let input = DecisionInput {
        municipality,
        date: get(&vals, "date"),
        body: get(&vals, "body"),
        kind: get(&vals, "kind"),
        reference: get(&vals, "reference"),
        title: get(&vals, "title"),
        text: get(&vals, "text"),
        outcome: Some(DecisionOutcome::Adopted.as_str().to_owned()),
        votes_for: get(&vals, "votesFor"),
        votes_against: get(&vals, "votesAgainst"),
        source_url: get(&vals, "sourceUrl"),
        affects: vec![],
        rules: vec![],
        lifts: vec![],
    };
    match s.decisions.adopt(&caller, &id, &input).await {
        Ok(a) => see_other(&format!("/scenarios/{}", a.scenario.record.id)),
        Err(AppError::Invalid(e)) => {
            let (_, page) = adopt_page(ctx, &s, &id, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- a new scenario ---------------------------------------------------------------------------

/// Change rows on the form.
pub const CHANGE_ROWS: usize = 5;

/// The cash-or-in-kind checkbox of each change row (the domain's field names leave it out).
const IN_KIND: [&str; CHANGE_ROWS] = [
    "changes[0].inKind",
    "changes[1].inKind",
    "changes[2].inKind",
    "changes[3].inKind",
    "changes[4].inKind",
];

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    municipality: Option<String>,
}

#[derive(Template)]
#[template(path = "scenario_new.html")]
struct NewPage {
    ctx: Ctx,
    title: String,
    name: String,
    slug: String,
    form: FormFields,
    datalist: Vec<String>,
}

/// The municipality's partnerships and working groups (predecessors' included): id → name.
async fn choices_of(
    ctx: &Ctx,
    s: &AppState,
    m: &Municipality,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), WebError> {
    let v = s
        .register
        .municipality(m.id.0.as_str())
        .await
        .or_page(ctx)?;
    let partnerships = v
        .partnerships
        .iter()
        .map(|p| {
            let label = if p.home.id == m.id {
                p.partner.name().to_string()
            } else {
                format!("{} ({})", p.partner.name(), p.home.name())
            };
            (p.partnership.id.0.clone(), label)
        })
        .collect();
    let mut ids: Vec<&MunicipalityId> = vec![&m.id];
    ids.extend(v.predecessors.iter().map(|(p, _)| &p.id));
    let mut groups = Vec::new();
    for id in ids {
        for f in s
            .organisation
            .foundations(Some(id.0.as_str()))
            .await
            .or_page(ctx)?
        {
            for g in s
                .organisation
                .working_groups(Some(f.id.as_str()))
                .await
                .or_page(ctx)?
            {
                groups.push((g.id.clone(), g.draft.name.to_string()));
            }
        }
    }
    Ok((partnerships, groups))
}

fn new_fields(
    lang: Lang,
    partnerships: &[(String, String)],
    groups: &[(String, String)],
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let statuses: Vec<&str> = PartnershipStatus::ALL.iter().map(|s| s.as_str()).collect();
    let kinds = ["status", "line", "staff"];
    let line_kinds: Vec<&str> = LineKind::ALL.iter().map(|k| k.as_str()).collect();
    let with_blank = |options: &[(String, String)]| {
        let mut o = vec![(String::new(), lang.t("scenario-choose"))];
        o.extend(options.iter().cloned());
        o
    };
    let number = |f: &mut super::forms::Field| f.input_type = "number";
    let mut b = FormBuilder::new(lang, vals, errors)
        .text("code", "scenario-field-code", true)
        .text("title", "scenario-field-title", true)
        .textarea("description", "scenario-field-description", false)
        .checkbox("proposed", "scenario-field-proposed")
        .text_with("horizonFrom", "scenario-field-horizon-from", true, number)
        .text_with("horizonTo", "scenario-field-horizon-to", true, number);
    for (i, in_kind) in IN_KIND.iter().enumerate() {
        let [
            kind,
            partnership,
            status,
            on,
            line,
            line_kind,
            group,
            from,
            to,
            amount,
            hours,
        ] = change_fields(i).expect("a handful of rows");
        b = b
            .select(
                kind,
                "scenario-field-change-kind",
                "scenario-change-kind",
                &kinds,
                Some("scenario-change-none"),
            )
            .select_options(
                partnership,
                "scenario-field-change-partnership",
                with_blank(partnerships),
            )
            .select(
                status,
                "scenario-field-change-status",
                "status",
                &statuses,
                Some("scenario-choose"),
            )
            .text_with(on, "scenario-field-change-on", false, |f| {
                f.input_type = "date"
            })
            .text(line, "scenario-field-change-line", false)
            .select(
                line_kind,
                "scenario-field-change-line-kind",
                "scenario-line-kind",
                &line_kinds,
                Some("scenario-choose"),
            )
            .select_options(
                group,
                "scenario-field-change-working-group",
                with_blank(groups),
            )
            .checkbox(in_kind, "scenario-field-change-in-kind")
            .text_with(from, "scenario-field-change-from", false, number)
            .text_with(to, "scenario-field-change-to", false, number)
            .text(amount, "scenario-field-change-amount", false)
            .text_with(hours, "scenario-field-change-hours", false, number);
    }
    let mut form = b.build();
    for f in &mut form.list {
        if let Some(rest) = f.name.strip_prefix("changes[")
            && let Some((n, part)) = rest.split_once("].")
            && let Ok(i) = n.parse::<usize>()
        {
            let key = match part {
                "kind" => "scenario-field-change-kind",
                "partnership" => "scenario-field-change-partnership",
                "status" => "scenario-field-change-status",
                "on" => "scenario-field-change-on",
                "line" => "scenario-field-change-line",
                "lineKind" => "scenario-field-change-line-kind",
                "workingGroup" => "scenario-field-change-working-group",
                "inKind" => "scenario-field-change-in-kind",
                "from" => "scenario-field-change-from",
                "to" => "scenario-field-change-to",
                "amount" => "scenario-field-change-amount",
                _ => "scenario-field-change-hours",
            };
            f.label = tr(lang, key, &[("n", (i + 1).to_string())]);
            // Selects of a change are not required (the row may stay empty).
            f.required = false;
            // The hints are said once, at the first row.
            if i > 0 {
                f.hint = None;
            }
        }
    }
    form
}

fn new_input(vals: &Vals) -> ScenarioInput {
    ScenarioInput {
        municipality: get(vals, "municipality"),
        code: get(vals, "code"),
        title: get(vals, "title"),
        description: get(vals, "description"),
        proposed: Some(vals.get("proposed").is_some_and(|v| !v.is_empty())),
        horizon_from: get(vals, "horizonFrom"),
        horizon_to: get(vals, "horizonTo"),
        changes: IN_KIND
            .iter()
            .enumerate()
            .map(|(i, in_kind)| {
                let [
                    kind,
                    partnership,
                    status,
                    on,
                    line,
                    line_kind,
                    group,
                    from,
                    to,
                    amount,
                    hours,
                ] = change_fields(i).expect("a handful of rows");
                ChangeInput {
                    kind: get(vals, kind),
                    partnership: get(vals, partnership),
                    status: get(vals, status),
                    on: get(vals, on),
                    line: get(vals, line),
                    line_kind: get(vals, line_kind),
                    working_group: get(vals, group),
                    in_kind: Some(vals.get(*in_kind).is_some_and(|v| !v.is_empty())),
                    from: get(vals, from),
                    to: get(vals, to),
                    amount: get(vals, amount),
                    hours: get(vals, hours),
                }
            })
            .collect(),
    }
}

async fn new_page(
    ctx: Ctx,
    s: &AppState,
    m: &Municipality,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> Result<NewPage, WebError> {
    let (partnerships, groups) = choices_of(&ctx, s, m).await?;
    let form = new_fields(ctx.lang, &partnerships, &groups, vals, errors);
    Ok(NewPage {
        title: tr(
            ctx.lang,
            "scenario-new-title",
            &[("name", m.name().to_string())],
        ),
        name: m.name().to_string(),
        slug: m.slug.to_string(),
        form,
        datalist: vec![],
        ctx,
    })
}

/// The form for a new option of a municipality (its officials).
pub async fn new_scenario(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let key = q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| not_found(&ctx))?;
    let m = s
        .register
        .find_municipality(key)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let holder = s.register.holder(&m.id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::ManageDecisions(holder)).await?;
    let defaults = Vals::new();
    ok(&new_page(ctx, &s, &m, &defaults, None).await?)
}

/// Records an option; to its page.
pub async fn create_scenario(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    if let Some(m) = get(&vals, "municipality") {
        ctx.path = format!("/scenarios/new?municipality={m}");
    }
    ctx.check_csrf(&vals)?;
    let input = new_input(&vals);
    let caller = ctx.auth.caller.clone();
    match s.decisions.create_scenario(&caller, &input).await {
        Ok(v) => see_other(&format!("/scenarios/{}", v.record.id)),
        Err(AppError::Invalid(e)) => {
            let m = match input.municipality.as_deref() {
                Some(k) => s.register.find_municipality(k).await.or_page(&ctx)?,
                None => None,
            };
            let Some(m) = m else {
                return Err(app_error(&ctx, AppError::Invalid(e)));
            };
            let page = new_page(ctx, &s, &m, &vals, Some(&e)).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- ending a partnership ---------------------------------------------------------------------

struct StepItem {
    label: String,
    /// "done", "current" or "todo".
    state: &'static str,
    state_text: String,
    date: String,
}

/// Which form a failed post came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EndingForm {
    Start,
    Letter,
    Notify,
    Complete,
}

#[derive(Template)]
#[template(path = "ending_page.html")]
struct EndingPage {
    ctx: Ctx,
    pid: String,
    heading: String,
    holder: String,
    holder_slug: String,
    facts: Vec<Fact>,
    steps: Vec<StepItem>,
    started: bool,
    completed: bool,
    reason: Vec<String>,
    decision: Option<(String, String)>,
    /// The letters (read-only) with their printable pages.
    letter_nl: Vec<Vec<String>>,
    letter_en: Vec<Vec<String>>,
    facts_done: Vec<Fact>,
    start_form: Option<FormFields>,
    letter_form: Option<FormFields>,
    notify_form: Option<FormFields>,
    complete_form: Option<FormFields>,
    /// Errors of a post whose form is not on the page at this step.
    loose_errors: Vec<String>,
    no_decisions: bool,
    datalist: Vec<String>,
}

fn steps_of(lang: Lang, e: Option<&EndingView>) -> Vec<StepItem> {
    let done = match e.map(|e| e.ending.step()) {
        None => 0,
        Some(EndingStep::Decided) => 1,
        Some(EndingStep::LetterSent) => 2,
        Some(EndingStep::PartnerNotified) => 3,
        Some(EndingStep::Completed) => 4,
    };
    let date = |d: Option<Date>| d.map(|d| lang.full_date(d)).unwrap_or_default();
    let dates = match e {
        Some(e) => [
            date(Some(e.ending.decision.date)),
            date(e.ending.letter_sent_on),
            date(e.ending.notified_on),
            date(e.ending.end_on),
        ],
        None => Default::default(),
    };
    ["decision", "letter", "notification", "closing"]
        .iter()
        .zip(dates)
        .enumerate()
        .map(|(i, (code, date))| {
            let state = if i < done {
                "done"
            } else if i == done {
                "current"
            } else {
                "todo"
            };
            StepItem {
                label: lang.choice("ending-step", code),
                state,
                state_text: lang.choice("ending-state", state),
                date,
            }
        })
        .collect()
}

async fn ending_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(EndingForm, &Vals, &ValidationErrors)>,
) -> Result<EndingPage, WebError> {
    let lang = ctx.lang;
    let caller = ctx.auth.caller.clone();
    let p = s.register.partnership(id).await.or_page(&ctx)?;
    let view = s.decisions.ending(&caller, id).await.or_page(&ctx)?;
    let holder = p.view.holder.clone();
    if view.is_none() {
        // Before it starts, the ending is the holder's officials' business.
        ctx.require(s, &Action::ManageDecisions(holder.id.clone()))
            .await?;
    }
    let errors_for = |form: EndingForm| match failed {
        Some((f, vals, e)) if f == form => (vals.clone(), Some(e)),
        _ => (Vals::new(), None),
    };
    let mut shown: Option<EndingForm> = None;
    let facts = vec![
        Fact {
            label: lang.t("ending-fact-partner"),
            value: p.view.partner.name().to_string(),
            href: Some(format!("/municipalities/{}", p.view.partner.slug)),
        },
        Fact {
            label: lang.t("ending-fact-holder"),
            value: holder.name().to_string(),
            href: Some(format!("/municipalities/{}", holder.slug)),
        },
        Fact {
            label: lang.t("ending-fact-since"),
            value: lang.date(&p.view.partnership.draft.start),
            href: None,
        },
        Fact {
            label: lang.t("ending-fact-status"),
            value: status_label(lang, p.view.partnership.status),
            href: None,
        },
    ];
    let mut completed = false;
    let mut reason = vec![];
    let mut decision = None;
    let mut letter_nl = vec![];
    let mut letter_en = vec![];
    let mut facts_done = vec![];
    let mut start_form = None;
    let mut letter_form = None;
    let mut notify_form = None;
    let mut complete_form = None;
    let mut no_decisions = false;
    match &view {
        None => {
            let decisions = s
                .decisions
                .decisions(&caller, Some(holder.slug.as_str()))
                .await
                .or_page(&ctx)?;
            let mut options: Vec<(String, String)> = decisions
                .iter()
                .rev()
                .filter(|d| d.record.draft.outcome == DecisionOutcome::Adopted)
                .map(|d| {
                    (
                        d.record.id.clone(),
                        format!(
                            "{} – {}",
                            lang.full_date(d.record.draft.date),
                            d.record.draft.title
                        ),
                    )
                })
                .collect();
            no_decisions = options.is_empty();
            options.insert(0, (String::new(), lang.t("ending-choose-decision")));
            let (vals, errors) = errors_for(EndingForm::Start);
            start_form = Some(
                FormBuilder::new(lang, &vals, errors)
                    .select_options("decision", "ending-field-decision", options)
                    .textarea("reason", "ending-field-reason", true)
                    .build(),
            );
            shown = Some(EndingForm::Start);
        }
        Some(v) => {
            let e = &v.ending;
            reason = lines(&e.reason);
            decision = Some((
                decision_text(lang, &e.decision),
                format!("/decisions/{}", e.decision.id),
            ));
            letter_nl = paragraphs(&e.letter_nl);
            letter_en = paragraphs(&e.letter_en);
            completed = e.step() == EndingStep::Completed;
            if let Some(d) = e.letter_sent_on {
                facts_done.push(Fact {
                    label: lang.t("ending-fact-letter-sent"),
                    value: lang.full_date(d),
                    href: None,
                });
            }
            if let Some(d) = e.notified_on {
                let how = e
                    .notified_how
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                facts_done.push(Fact {
                    label: lang.t("ending-fact-notified"),
                    value: format!("{}{how}", lang.full_date(d)),
                    href: None,
                });
            }
            if let Some(d) = e.end_on {
                facts_done.push(Fact {
                    label: lang.t("ending-fact-end"),
                    value: lang.full_date(d),
                    href: None,
                });
            }
            if let Some(f) = e.final_status {
                facts_done.push(Fact {
                    label: lang.t("ending-fact-final-status"),
                    value: status_label(lang, f.status()),
                    href: None,
                });
            }
            if v.may_edit {
                match e.step() {
                    EndingStep::Decided => {
                        let (mut vals, errors) = errors_for(EndingForm::Letter);
                        if errors.is_none() {
                            vals.insert("letterNl".into(), e.letter_nl.clone());
                            vals.insert("letterEn".into(), e.letter_en.clone());
                            vals.insert(
                                "sentOn".into(),
                                stedenband_app::organisation::today().to_string(),
                            );
                        }
                        letter_form = Some(
                            FormBuilder::new(lang, &vals, errors)
                                .textarea("letterNl", "ending-field-letter-nl", false)
                                .textarea("letterEn", "ending-field-letter-en", false)
                                .text_with("sentOn", "ending-field-sent-on", false, |f| {
                                    f.input_type = "date"
                                })
                                .build(),
                        );
                        shown = Some(EndingForm::Letter);
                    }
                    EndingStep::LetterSent => {
                        let (mut vals, errors) = errors_for(EndingForm::Notify);
                        if errors.is_none() {
                            vals.insert(
                                "on".into(),
                                stedenband_app::organisation::today().to_string(),
                            );
                        }
                        notify_form = Some(
                            FormBuilder::new(lang, &vals, errors)
                                .text_with("on", "ending-field-notified-on", true, |f| {
                                    f.input_type = "date"
                                })
                                .text("how", "ending-field-how", false)
                                .build(),
                        );
                        shown = Some(EndingForm::Notify);
                    }
                    EndingStep::PartnerNotified => {
                        let (mut vals, errors) = errors_for(EndingForm::Complete);
                        if errors.is_none() {
                            vals.insert("finalStatus".into(), "civil-society-only".into());
                            vals.insert(
                                "endOn".into(),
                                stedenband_app::organisation::today().to_string(),
                            );
                        }
                        let finals: Vec<&str> =
                            FinalStatus::ALL.iter().map(|f| f.as_str()).collect();
                        complete_form = Some(
                            FormBuilder::new(lang, &vals, errors)
                                .text_with("endOn", "ending-field-end-on", true, |f| {
                                    f.input_type = "date"
                                })
                                .radios(
                                    "finalStatus",
                                    "ending-field-final-status",
                                    "ending-final",
                                    &finals,
                                )
                                .build(),
                        );
                        shown = Some(EndingForm::Complete);
                    }
                    EndingStep::Completed => {}
                }
            }
        }
    }
    let loose_errors = match failed {
        Some((form, _, e)) if shown != Some(form) => e.0.iter().map(|f| lang.t(f.key)).collect(),
        _ => vec![],
    };
    Ok(EndingPage {
        pid: p.view.partnership.id.0.clone(),
        heading: tr(
            lang,
            "ending-title",
            &[
                ("home", holder.name().to_string()),
                ("partner", p.view.partner.name().to_string()),
            ],
        ),
        holder: holder.name().to_string(),
        holder_slug: holder.slug.to_string(),
        facts,
        steps: steps_of(lang, view.as_ref()),
        started: view.is_some(),
        completed,
        reason,
        decision,
        letter_nl,
        letter_en,
        facts_done,
        start_form,
        letter_form,
        notify_form,
        complete_form,
        loose_errors,
        no_decisions,
        datalist: vec![],
        ctx,
    })
}

/// The ending of a partnership: its steps, and the form of the current one for the holder's
/// officials; read-only for everyone once started.
pub async fn ending(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    ok(&ending_page(ctx, &s, &id, None).await?)
}

async fn ending_post<T>(
    mut ctx: Ctx,
    s: AppState,
    id: String,
    pairs: Vec<(String, String)>,
    form: EndingForm,
    input: impl FnOnce(&Vals) -> T,
    call: impl AsyncFnOnce(&AppState, &Caller, &str, &T) -> Result<EndingView, AppError>,
) -> PageResult {
    ctx.path = format!("/partnerships/{id}/ending");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let input = input(&vals);
    match call(&s, &caller, &id, &input).await {
        Ok(v) => see_other(&format!(
            "/partnerships/{}/ending#steps",
            v.partnership.partnership.id
        )),
        Err(AppError::Invalid(e)) => {
            let page = ending_page(ctx, &s, &id, Some((form, &vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// Starts the ending: the adopted decision and the reason.
pub async fn start_ending(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ending_post(
        ctx,
        s,
        id,
        pairs,
        EndingForm::Start,
        |v| StartInput {
            decision: get(v, "decision"),
            reason: get(v, "reason"),
        },
        async |s, c, id, i| s.decisions.start_ending(c, id, i).await,
    )
    .await
}

/// Records the letter (its texts as edited) and the day it was sent.
pub async fn record_letter(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ending_post(
        ctx,
        s,
        id,
        pairs,
        EndingForm::Letter,
        |v| LetterInput {
            letter_nl: get(v, "letterNl"),
            letter_en: get(v, "letterEn"),
            sent_on: get(v, "sentOn"),
        },
        async |s, c, id, i| s.decisions.record_letter(c, id, i).await,
    )
    .await
}

/// Records that the partner town was notified.
pub async fn record_notification(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ending_post(
        ctx,
        s,
        id,
        pairs,
        EndingForm::Notify,
        |v| NotifyInput {
            on: get(v, "on"),
            how: get(v, "how"),
        },
        async |s, c, id, i| s.decisions.record_notification(c, id, i).await,
    )
    .await
}

/// Closes the ending: the end date and the final status.
pub async fn complete_ending(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ending_post(
        ctx,
        s,
        id,
        pairs,
        EndingForm::Complete,
        |v| CompleteInput {
            end_on: get(v, "endOn"),
            final_status: get(v, "finalStatus"),
        },
        async |s, c, id, i| s.decisions.complete_ending(c, id, i).await,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct LetterQuery {
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "ending_letter.html")]
struct LetterPage {
    ctx: Ctx,
    pid: String,
    heading: String,
    /// The letter's language ("nl", "en").
    letter_lang: &'static str,
    paragraphs: Vec<Vec<String>>,
    other_href: String,
    other_label: String,
}

/// The letter to the partner town, to print (public once the ending started).
pub async fn letter(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LetterQuery>,
) -> PageResult {
    let lang = ctx.lang;
    let v = s
        .decisions
        .ending(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let letter_lang = match q.lang.as_deref().and_then(Lang::parse) {
        Some(Lang::En) => Lang::En,
        Some(Lang::Nl) => Lang::Nl,
        None => lang,
    };
    let (text, other) = match letter_lang {
        Lang::Nl => (&v.ending.letter_nl, Lang::En),
        Lang::En => (&v.ending.letter_en, Lang::Nl),
    };
    let pid = v.partnership.partnership.id.0.clone();
    ok(&LetterPage {
        heading: tr(
            lang,
            "ending-letter-title",
            &[("partner", v.partnership.partner.name().to_string())],
        ),
        letter_lang: letter_lang.code(),
        paragraphs: paragraphs(text),
        other_href: format!("/partnerships/{pid}/ending/letter?lang={}", other.code()),
        other_label: lang.choice("ending-letter-in", other.code()),
        pid,
        ctx,
    })
}
