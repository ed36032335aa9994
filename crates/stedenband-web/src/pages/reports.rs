//! The report pages: figures computed from the data for a period and a set of a municipality's
//! partnerships (activities, participants, money, the evaluations' themes, continuity, the
//! indicators per evaluation criterion), as a page with charts and tables, a print stylesheet,
//! a PDF made by the program itself, CSV of each table and an Excel workbook of all of them;
//! and two periods or partnerships compared side by side.
//!
//! The report is described once ([`Doc`]: sections of notes, charts and [`Grid`]s) and drawn
//! four ways: HTML, PDF ([`crate::pdf`]), CSV and `.xlsx` ([`crate::export`]). What counts and
//! who sees what is decided by `stedenband_app::reports`.

use super::forms::{FormBuilder, FormFields};
use super::tables::{
    CSV, Grid, HtmlTable, V, XLSX, count, download, eur, export_error, file_part, not_found,
    percent,
};
use super::{Ctx, PageResult, render};
use crate::AppState;
use crate::charts::{BarChart, Series, Unit, bar_chart_svg};
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::export;
use crate::i18n::Lang;
use crate::pdf;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, HashMap};
use stedenband_app::organisation::today;
use stedenband_app::reports::ComparisonView;
use stedenband_app::{AppError, PartnershipView, ReportParams, ReportView};
use stedenband_domain::ValidationErrors;
use stedenband_domain::activity::Category;
use stedenband_domain::date::{MAX_YEAR, MIN_YEAR};
use stedenband_domain::money::{Euros, IncomeSource, SubsidyKind};
use stedenband_domain::report::{Aspect, Figure, HEADLINE, Report, indicators};

/// The default period: the last ten years up to this one.
const DEFAULT_YEARS: i16 = 10;

// ---- the query ------------------------------------------------------------------------------

/// The report's parameters as given in the address (`partnerships` may repeat).
#[derive(Debug, Default, Clone)]
pub struct ReportQuery {
    values: HashMap<String, String>,
    partnerships: Vec<String>,
    other_partnerships: Vec<String>,
    table: Option<String>,
}

impl ReportQuery {
    fn parse(raw: Option<&str>) -> Self {
        let mut q = ReportQuery::default();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = v.trim().to_owned();
            match k.as_ref() {
                "partnerships" if !v.is_empty() => q.partnerships.push(v),
                "otherPartnerships" if !v.is_empty() => q.other_partnerships.push(v),
                "table" => q.table = Some(v),
                "from" | "to" | "otherFrom" | "otherTo" => {
                    q.values.insert(k.into_owned(), v);
                }
                _ => {}
            }
        }
        q
    }

    fn year(&self, e: &mut ValidationErrors, field: &'static str) -> Option<i16> {
        let raw = self.values.get(field).filter(|v| !v.is_empty())?;
        match raw.parse::<i16>() {
            Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
            _ => {
                e.push(field, "error-year-out-of-range");
                None
            }
        }
    }

    /// The first (or, with `other`, the second) parameter set; the second takes what it leaves
    /// out from the first.
    fn params(&self, e: &mut ValidationErrors) -> (ReportParams, ReportParams) {
        let period = |from: Option<i16>, to: Option<i16>| match (from, to) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, today().year().max(f).min(f + 99)),
            (None, Some(t)) => ((t - (DEFAULT_YEARS - 1)).max(MIN_YEAR), t),
            (None, None) => {
                let t = today().year();
                (t - (DEFAULT_YEARS - 1), t)
            }
        };
        let (from, to) = (self.year(e, "from"), self.year(e, "to"));
        let (of, ot) = (self.year(e, "otherFrom"), self.year(e, "otherTo"));
        let (from, to) = period(from, to);
        let (of, ot) = match (of, ot) {
            (None, None) => (from, to),
            (f, t) => period(f, t),
        };
        let a = ReportParams {
            from,
            to,
            partnerships: self.partnerships.clone(),
        };
        let b = ReportParams {
            from: of,
            to: ot,
            partnerships: if self.other_partnerships.is_empty() {
                self.partnerships.clone()
            } else {
                self.other_partnerships.clone()
            },
        };
        (a, b)
    }

    /// The address query of a report (for its downloads).
    fn of(p: &ReportParams) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("from", &p.from.to_string());
        s.append_pair("to", &p.to.to_string());
        for id in &p.partnerships {
            s.append_pair("partnerships", id);
        }
        format!("?{}", s.finish())
    }
}

// ---- the report, described once ----------------------------------------------------------------

/// A chart: bars per year, stacked by series, with the table that holds its figures.
struct Chart {
    id: String,
    title: String,
    years: Vec<i16>,
    series: Vec<Series>,
    unit: Unit,
    /// The id of the table with the same figures.
    table: String,
}

impl Chart {
    fn description(&self, lang: Lang) -> String {
        self.series
            .iter()
            .map(|s| {
                let per_year: Vec<String> = self
                    .years
                    .iter()
                    .zip(&s.values)
                    .map(|(y, v)| format!("{y}: {}", self.value(lang, *v)))
                    .collect();
                format!("{}: {}", s.label, per_year.join(", "))
            })
            .collect::<Vec<_>>()
            .join(". ")
    }

    fn value(&self, lang: Lang, v: i64) -> String {
        match self.unit {
            Unit::Cents => eur(lang, Euros::from_cents(v)),
            Unit::Count => count(lang, v),
        }
    }

    fn svg(&self, lang: Lang) -> String {
        bar_chart_svg(
            &BarChart {
                id: self.id.clone(),
                title: self.title.clone(),
                description: self.description(lang),
                categories: self.years.iter().map(i16::to_string).collect(),
                series: self.series.clone(),
                unit: self.unit,
            },
            lang,
        )
    }

    /// The chart for the PDF: euros in whole euros (the bars' scale), counts as they are.
    fn pdf(&self, lang: Lang) -> pdf::Block {
        let whole = |v: i64| match self.unit {
            Unit::Cents => (v + 50).div_euclid(100),
            Unit::Count => v,
        };
        pdf::Block::Bars {
            caption: self.title.clone(),
            categories: self.years.iter().map(i16::to_string).collect(),
            series: self
                .series
                .iter()
                .map(|s| {
                    (
                        s.label.clone(),
                        s.values.iter().map(|v| whole(*v)).collect(),
                    )
                })
                .collect(),
            unit_label: match self.unit {
                Unit::Cents => lang.t("report-unit-euro"),
                Unit::Count => lang.t("report-unit-count"),
            },
        }
    }
}

/// A section of the report: a heading, notes, charts and tables.
struct Section {
    id: &'static str,
    heading: String,
    notes: Vec<String>,
    charts: Vec<Chart>,
    grids: Vec<Grid>,
}

/// The whole report.
struct Doc {
    title: String,
    subtitle: String,
    notes: Vec<String>,
    sections: Vec<Section>,
}

impl Doc {
    fn grids(&self) -> impl Iterator<Item = &Grid> {
        self.sections.iter().flat_map(|s| s.grids.iter())
    }

    fn pdf(&self, lang: Lang, footer: String) -> Vec<u8> {
        let mut blocks = Vec::new();
        for n in &self.notes {
            blocks.push(pdf::Block::Paragraph(n.clone()));
        }
        for s in &self.sections {
            blocks.push(pdf::Block::Heading(s.heading.clone()));
            for n in &s.notes {
                blocks.push(pdf::Block::Paragraph(n.clone()));
            }
            for c in &s.charts {
                blocks.push(c.pdf(lang));
            }
            for g in &s.grids {
                blocks.push(grid_pdf(lang, g));
            }
        }
        pdf::render(&pdf::Doc {
            title: self.title.clone(),
            subtitle: Some(self.subtitle.clone()),
            lang: lang.code().to_owned(),
            footer: Some(footer),
            blocks,
        })
    }
}

fn grid_pdf(lang: Lang, g: &Grid) -> pdf::Block {
    let texts = |cells: &[V]| cells.iter().map(|v| v.text(lang)).collect::<Vec<_>>();
    let mut rows: Vec<Vec<String>> = g.rows.iter().map(|(_, r)| texts(r)).collect();
    rows.extend(g.foot.iter().map(|r| texts(r)));
    if rows.is_empty() {
        return pdf::Block::Paragraph(format!("{}: {}", g.caption, g.empty));
    }
    let header: Vec<String> = g.headers.iter().map(|(h, _)| h.clone()).collect();
    // A4 holds about eight columns of figures: a table wider than that and shorter than it is
    // printed turned (its columns as rows), e.g. categories down and years across.
    if header.len() > 8 && rows.len() + 1 < header.len() {
        let mut turned_header = vec![header[0].clone()];
        turned_header.extend(rows.iter().map(|r| r[0].clone()));
        let turned: Vec<Vec<String>> = (1..header.len())
            .map(|j| {
                let mut r = vec![header[j].clone()];
                r.extend(
                    rows.iter()
                        .map(|row| row.get(j).cloned().unwrap_or_default()),
                );
                r
            })
            .collect();
        let numeric = (0..turned_header.len()).map(|i| i > 0).collect();
        return pdf::Block::Table {
            caption: g.caption.clone(),
            header: turned_header,
            rows: turned,
            numeric,
        };
    }
    pdf::Block::Table {
        caption: g.caption.clone(),
        header,
        rows,
        numeric: g.headers.iter().map(|(_, n)| *n).collect(),
    }
}

/// One row per year: the year, then the cells `row` gives for that year's figures.
fn per_year<T>(
    years: &[stedenband_domain::report::Yearly<T>],
    row: &dyn Fn(&T) -> Vec<V>,
) -> Vec<(Option<String>, Vec<V>)> {
    years
        .iter()
        .map(|y| {
            let cells = std::iter::once(V::Year(y.year)).chain(row(&y.figures));
            (None, cells.collect())
        })
        .collect()
}

/// A figure of the report as a table value.
fn figure_value(f: Figure) -> V {
    match f {
        Figure::Count(n) | Figure::Years(n) => V::Count(n),
        Figure::Euros(Some(e)) => V::Eur(e),
        Figure::Euros(None) => V::Ratio(None),
        Figure::Ratio(d) => V::Ratio(d),
        Figure::Share(d) => V::Share(d),
    }
}

/// The label of a partnership in a report: the partner town.
fn partner_names(v: &ReportView) -> BTreeMap<String, String> {
    v.partnerships
        .iter()
        .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
        .collect()
}

fn cap(lang: Lang, prefix: &str, code: &str) -> String {
    super::tables::label(lang, prefix, code)
}

fn build(lang: Lang, v: &ReportView) -> Doc {
    let r = &v.report;
    let names = partner_names(v);
    let years: Vec<i16> = r.scope.period.years().collect();
    let (from, to) = (r.scope.period.from(), r.scope.period.to());
    let period = format!("{from}–{to}");
    let towns: Vec<String> = v
        .partnerships
        .iter()
        .map(|p| p.partner.name().to_string())
        .collect();
    let title = lang.t_args(
        "report-title",
        &[
            ("name", v.municipality.name().to_string().into()),
            ("period", period.clone().into()),
        ],
    );
    let subtitle = lang.t1_(
        "report-subtitle",
        "partners",
        towns.join(", "),
        "date",
        lang.full_date(today()),
    );
    let mut notes = vec![if v.includes_internal {
        lang.t("report-includes-internal")
    } else {
        format!(
            "{} {}",
            lang.t("report-public-only"),
            lang.t("report-public-ratios")
        )
    }];
    notes.push(lang.t("report-held-explained"));

    let mut sections = vec![summary_section(lang, r)];
    sections.push(activity_section(lang, r, &years, &names));
    sections.push(money_section(lang, r, &years, &names));
    sections.push(theme_section(lang, r, &years));
    sections.push(continuity_section(lang, r, &names));
    sections.push(indicator_section(lang, r));
    Doc {
        title,
        subtitle,
        notes,
        sections,
    }
}

/// `t_args` with two named arguments, shorter.
trait T2 {
    fn t1_(&self, key: &str, n1: &'static str, v1: String, n2: &'static str, v2: String) -> String;
}

impl T2 for Lang {
    fn t1_(&self, key: &str, n1: &'static str, v1: String, n2: &'static str, v2: String) -> String {
        self.t_args(key, &[(n1, v1.into()), (n2, v2.into())])
    }
}

fn summary_section(lang: Lang, r: &Report) -> Section {
    let rows = HEADLINE
        .iter()
        .map(|key| {
            let f = stedenband_domain::report::headline(key, r);
            (None, vec![V::Text(lang.t(key)), figure_value(f)])
        })
        .collect();
    Section {
        id: "summary",
        heading: lang.t("report-summary-title"),
        notes: vec![],
        charts: vec![],
        grids: vec![Grid {
            id: "summary".into(),
            sheet: lang.t("report-sheet-summary"),
            caption: lang.t("report-summary-caption"),
            headers: vec![
                (lang.t("report-col-figure"), false),
                (lang.t("report-col-value"), true),
            ],
            rows,
            foot: vec![],
            empty: String::new(),
        }],
    }
}

/// The categories with at least one held activity in the report, in their order.
fn categories_present(r: &Report) -> Vec<Category> {
    Category::ALL
        .iter()
        .copied()
        .filter(|c| r.activities.by_category.get(c).is_some_and(|n| *n > 0))
        .collect()
}

fn activity_section(
    lang: Lang,
    r: &Report,
    years: &[i16],
    names: &BTreeMap<String, String>,
) -> Section {
    let cats = categories_present(r);
    let n = |x: u32| V::Count(i64::from(x));
    let total_row = |cells: Vec<V>| {
        vec![V::Text(lang.t("report-total"))]
            .into_iter()
            .chain(cells)
            .collect::<Vec<_>>()
    };

    // Per year and category.
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(
        cats.iter()
            .map(|c| (cap(lang, "category", c.as_str()), true)),
    );
    headers.push((lang.t("report-col-activities"), true));
    let rows = r
        .activity_years
        .iter()
        .map(|y| {
            let mut cells = vec![V::Year(y.year)];
            cells.extend(
                cats.iter()
                    .map(|c| n(y.figures.by_category.get(c).copied().unwrap_or(0))),
            );
            cells.push(n(y.figures.activities));
            (None, cells)
        })
        .collect();
    let mut foot: Vec<V> = cats
        .iter()
        .map(|c| n(r.activities.by_category.get(c).copied().unwrap_or(0)))
        .collect();
    foot.push(n(r.activities.activities));
    let by_category = Grid {
        id: "activities-by-category".into(),
        sheet: lang.t("report-sheet-categories"),
        caption: lang.t("report-activities-by-category"),
        headers,
        rows,
        foot: vec![total_row(foot)],
        empty: lang.t("report-none"),
    };

    // Per year and partnership.
    let ids: Vec<&String> = names.keys().collect();
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(ids.iter().map(|id| (names[*id].clone(), true)));
    headers.push((lang.t("report-col-activities"), true));
    let rows = r
        .activity_years
        .iter()
        .map(|y| {
            let mut cells = vec![V::Year(y.year)];
            cells.extend(
                ids.iter()
                    .map(|id| n(y.figures.by_partnership.get(*id).copied().unwrap_or(0))),
            );
            cells.push(n(y.figures.activities));
            (None, cells)
        })
        .collect();
    let mut foot: Vec<V> = ids
        .iter()
        .map(|id| n(r.activities.by_partnership.get(*id).copied().unwrap_or(0)))
        .collect();
    foot.push(n(r.activities.activities));
    let by_partnership = Grid {
        id: "activities-by-partnership".into(),
        sheet: lang.t("report-sheet-partnerships"),
        caption: lang.t("report-activities-by-partnership"),
        headers,
        rows,
        foot: vec![total_row(foot)],
        empty: lang.t("report-none"),
    };

    // Per year and direction, with the participants.
    let dirs = stedenband_domain::activity::Direction::ALL;
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(
        dirs.iter()
            .map(|d| (cap(lang, "direction-short", d.as_str()), true)),
    );
    for k in [
        "report-col-participants-home",
        "report-col-participants-partner",
        "report-col-participants",
    ] {
        headers.push((lang.t(k), true));
    }
    let row = |f: &stedenband_domain::report::ActivityFigures| {
        let mut cells: Vec<V> = dirs
            .iter()
            .map(|d| n(f.by_direction.get(d).copied().unwrap_or(0)))
            .collect();
        cells.push(V::Count(f.participants_home as i64));
        cells.push(V::Count(f.participants_partner as i64));
        cells.push(V::Count(f.participants() as i64));
        cells
    };
    let rows = per_year(&r.activity_years, &row);
    let by_direction = Grid {
        id: "activities-by-direction".into(),
        sheet: lang.t("report-sheet-directions"),
        caption: lang.t("report-activities-by-direction"),
        headers,
        rows,
        foot: vec![total_row(row(&r.activities))],
        empty: lang.t("report-none"),
    };

    let chart_cats = Chart {
        id: "chart-activities".into(),
        title: lang.t("report-chart-activities"),
        years: years.to_vec(),
        series: cats
            .iter()
            .map(|c| Series {
                label: cap(lang, "category", c.as_str()),
                values: r
                    .activity_years
                    .iter()
                    .map(|y| i64::from(y.figures.by_category.get(c).copied().unwrap_or(0)))
                    .collect(),
            })
            .collect(),
        unit: Unit::Count,
        table: "activities-by-category".into(),
    };
    let chart_people = Chart {
        id: "chart-participants".into(),
        title: lang.t("report-chart-participants"),
        years: years.to_vec(),
        series: vec![
            Series {
                label: lang.t("report-col-participants-home"),
                values: r
                    .activity_years
                    .iter()
                    .map(|y| y.figures.participants_home as i64)
                    .collect(),
            },
            Series {
                label: lang.t("report-col-participants-partner"),
                values: r
                    .activity_years
                    .iter()
                    .map(|y| y.figures.participants_partner as i64)
                    .collect(),
            },
        ],
        unit: Unit::Count,
        table: "activities-by-direction".into(),
    };
    Section {
        id: "activities",
        heading: lang.t("report-activities-title"),
        notes: vec![],
        charts: if r.activities.activities > 0 {
            vec![chart_cats, chart_people]
        } else {
            vec![]
        },
        grids: vec![by_category, by_partnership, by_direction],
    }
}

fn money_section(
    lang: Lang,
    r: &Report,
    years: &[i16],
    names: &BTreeMap<String, String>,
) -> Section {
    let kinds: Vec<SubsidyKind> = SubsidyKind::ALL
        .iter()
        .copied()
        .filter(|k| k.is_cash() && r.money.cash_by_kind.get(k).is_some_and(|e| !e.is_zero()))
        .collect();
    let sources: Vec<IncomeSource> = IncomeSource::ALL
        .iter()
        .copied()
        .filter(|s| {
            r.money
                .income_by_source
                .get(s)
                .is_some_and(|e| !e.is_zero())
        })
        .collect();
    let total = |cells: Vec<V>| {
        vec![V::Text(lang.t("report-total"))]
            .into_iter()
            .chain(cells)
            .collect::<Vec<_>>()
    };
    let get = |m: &BTreeMap<SubsidyKind, Euros>, k: &SubsidyKind| {
        V::Eur(m.get(k).copied().unwrap_or(Euros::ZERO))
    };

    // Municipal money per year: cash by kind, in kind.
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(
        kinds
            .iter()
            .map(|k| (cap(lang, "money-kind", k.as_str()), true)),
    );
    headers.push((lang.t("money-col-cash"), true));
    headers.push((lang.t("money-col-in-kind"), true));
    let row = |f: &stedenband_domain::report::MoneyFigures| {
        let mut cells: Vec<V> = kinds.iter().map(|k| get(&f.cash_by_kind, k)).collect();
        cells.push(V::Eur(f.cash));
        cells.push(V::Eur(f.in_kind));
        cells
    };
    let municipal = Grid {
        id: "municipal-money".into(),
        sheet: lang.t("report-sheet-municipal"),
        caption: lang.t("report-municipal-caption"),
        headers,
        rows: per_year(&r.money_years, &row),
        foot: vec![total(row(&r.money))],
        empty: lang.t("report-none"),
    };

    // Municipal cash per partnership.
    let mut keys: Vec<String> = names.keys().cloned().collect();
    if r.money.cash_by_partnership.contains_key("") {
        keys.push(String::new());
    }
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(keys.iter().map(|k| {
        (
            names
                .get(k)
                .cloned()
                .unwrap_or_else(|| lang.t("money-not-per-partnership")),
            true,
        )
    }));
    let row = |f: &stedenband_domain::report::MoneyFigures| {
        keys.iter()
            .map(|k| V::Eur(f.cash_by_partnership.get(k).copied().unwrap_or(Euros::ZERO)))
            .collect::<Vec<_>>()
    };
    let per_partnership = Grid {
        id: "municipal-per-partnership".into(),
        sheet: lang.t("report-sheet-municipal-partnerships"),
        caption: lang.t("report-municipal-partnership-caption"),
        headers,
        rows: per_year(&r.money_years, &row),
        foot: vec![total(row(&r.money))],
        empty: lang.t("report-none"),
    };

    // The working groups' income by source.
    let mut headers = vec![(lang.t("report-col-year"), false)];
    headers.extend(
        sources
            .iter()
            .map(|s| (cap(lang, "money-source", s.as_str()), true)),
    );
    headers.push((lang.t("report-col-private"), true));
    headers.push((lang.t("report-col-group-income"), true));
    let row = |f: &stedenband_domain::report::MoneyFigures| {
        let mut cells: Vec<V> = sources
            .iter()
            .map(|s| V::Eur(f.income_by_source.get(s).copied().unwrap_or(Euros::ZERO)))
            .collect();
        cells.push(V::Eur(f.private_income));
        cells.push(V::Eur(f.group_income));
        cells
    };
    let income = Grid {
        id: "income-by-source".into(),
        sheet: lang.t("report-sheet-income"),
        caption: lang.t("report-income-caption"),
        headers,
        rows: per_year(&r.money_years, &row),
        foot: vec![total(row(&r.money))],
        empty: lang.t("report-none"),
    };

    // Ratios.
    let mut headers = vec![(lang.t("report-col-year"), false)];
    for k in [
        "report-col-group-expenses",
        "indicator-leverage",
        "indicator-cost-per-participant",
        "indicator-municipal-cost-per-participant",
        "indicator-municipal-cost-per-activity",
        "indicator-municipal-share-of-budgets",
    ] {
        headers.push((lang.t(k), true));
    }
    let opt = |e: Option<Euros>| e.map_or(V::Ratio(None), V::Eur);
    let row = |f: &stedenband_domain::report::MoneyFigures| {
        vec![
            V::Eur(f.group_expenses),
            V::Ratio(f.leverage),
            opt(f.cost_per_participant),
            opt(f.municipal_cost_per_participant),
            opt(f.municipal_cost_per_activity),
            V::Share(f.municipal_share_of_budgets),
        ]
    };
    let ratios = Grid {
        id: "money-ratios".into(),
        sheet: lang.t("report-sheet-ratios"),
        caption: lang.t("report-ratios-caption"),
        headers,
        rows: per_year(&r.money_years, &row),
        foot: vec![total(row(&r.money))],
        empty: lang.t("report-none"),
    };

    let cash_chart = Chart {
        id: "chart-municipal".into(),
        title: lang.t("report-chart-municipal"),
        years: years.to_vec(),
        series: kinds
            .iter()
            .map(|k| Series {
                label: cap(lang, "money-kind", k.as_str()),
                values: r
                    .money_years
                    .iter()
                    .map(|y| {
                        y.figures
                            .cash_by_kind
                            .get(k)
                            .copied()
                            .unwrap_or(Euros::ZERO)
                            .cents()
                    })
                    .collect(),
            })
            .collect(),
        unit: Unit::Cents,
        table: "municipal-money".into(),
    };
    let private: Vec<IncomeSource> = sources
        .iter()
        .copied()
        .filter(IncomeSource::private)
        .collect();
    let private_chart = Chart {
        id: "chart-private".into(),
        title: lang.t("report-chart-private"),
        years: years.to_vec(),
        series: private
            .iter()
            .map(|s| Series {
                label: cap(lang, "money-source", s.as_str()),
                values: r
                    .money_years
                    .iter()
                    .map(|y| {
                        y.figures
                            .income_by_source
                            .get(s)
                            .copied()
                            .unwrap_or(Euros::ZERO)
                            .cents()
                    })
                    .collect(),
            })
            .collect(),
        unit: Unit::Cents,
        table: "income-by-source".into(),
    };
    let mut charts = vec![];
    if !kinds.is_empty() {
        charts.push(cash_chart);
    }
    if !private.is_empty() {
        charts.push(private_chart);
    }
    Section {
        id: "money",
        heading: lang.t("report-money-title"),
        notes: vec![lang.t("report-money-explained")],
        charts,
        grids: vec![municipal, per_partnership, income, ratios],
    }
}

fn theme_section(lang: Lang, r: &Report, years: &[i16]) -> Section {
    let n = |x: u32| V::Count(i64::from(x));
    let mut headers = vec![(lang.t("report-col-year"), false)];
    for k in [
        "report-col-activities",
        "category-knowledge-transfer",
        "category-economy",
        "category-city-promotion",
        "report-col-theme-share",
    ] {
        headers.push((cap_key(lang, k), true));
    }
    let row = |t: &stedenband_domain::report::ThemeFigures| {
        vec![
            n(t.activities),
            n(t.knowledge_transfer),
            n(t.economy),
            n(t.city_promotion),
            V::Share(t.themed_share),
        ]
    };
    let grid = Grid {
        id: "themes".into(),
        sheet: lang.t("report-sheet-themes"),
        caption: lang.t("report-themes-caption"),
        headers,
        rows: per_year(&r.theme_years, &row),
        foot: vec![
            vec![V::Text(lang.t("report-total"))]
                .into_iter()
                .chain(row(&r.themes))
                .collect(),
        ],
        empty: lang.t("report-none"),
    };
    let chart = Chart {
        id: "chart-themes".into(),
        title: lang.t("report-chart-themes"),
        years: years.to_vec(),
        series: [
            (Category::KnowledgeTransfer, 0usize),
            (Category::Economy, 1),
            (Category::CityPromotion, 2),
        ]
        .iter()
        .map(|(c, i)| Series {
            label: cap(lang, "category", c.as_str()),
            values: r
                .theme_years
                .iter()
                .map(|y| {
                    let t = &y.figures;
                    i64::from([t.knowledge_transfer, t.economy, t.city_promotion][*i])
                })
                .collect(),
        })
        .collect(),
        unit: Unit::Count,
        table: "themes".into(),
    };
    let m = &r.theme_movement;
    let mut notes = vec![lang.t("report-themes-explained")];
    let pct =
        |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "–".to_owned(), |d| percent(lang, d));
    if let (Some(fy), Some(ly)) = (m.first_year, m.last_year) {
        notes.push(lang.t_args(
            "report-themes-moved",
            &[
                ("first", fy.to_string().into()),
                ("firstShare", pct(m.first_share).into()),
                ("last", ly.to_string().into()),
                ("lastShare", pct(m.last_share).into()),
            ],
        ));
    }
    if let (Some(((a1, a2), (b1, b2))), Some(f), Some(s)) =
        (m.halves, &m.first_half, &m.second_half)
    {
        notes.push(lang.t_args(
            "report-themes-halves",
            &[
                ("first", format!("{a1}–{a2}").into()),
                ("firstShare", pct(f.themed_share).into()),
                ("last", format!("{b1}–{b2}").into()),
                ("lastShare", pct(s.themed_share).into()),
            ],
        ));
    }
    Section {
        id: "themes",
        heading: lang.t("report-themes-title"),
        notes,
        charts: if r.themes.themed > 0 {
            vec![chart]
        } else {
            vec![]
        },
        grids: vec![grid],
    }
}

/// A choice label used as a column heading: the text of `key` with a capital.
fn cap_key(lang: Lang, key: &str) -> String {
    let text = lang.t(key);
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn years_list(years: &[i16]) -> String {
    if years.is_empty() {
        return "–".into();
    }
    // Runs of consecutive years as ranges: 2004–2006, 2008.
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            i += 1;
            end = years[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    out.join(", ")
}

fn continuity_section(lang: Lang, r: &Report, names: &BTreeMap<String, String>) -> Section {
    let headers = vec![
        (lang.t("report-col-partnership"), false),
        (lang.t("report-col-years-with"), true),
        (lang.t("report-col-years-without"), false),
        (lang.t("report-col-longest-gap"), true),
        (lang.t("report-col-last-held"), false),
        (lang.t("report-col-dormant"), false),
    ];
    let rows = r
        .continuity
        .iter()
        .map(|c| {
            (
                None,
                vec![
                    V::Text(
                        names
                            .get(&c.partnership)
                            .cloned()
                            .unwrap_or_else(|| c.partnership.clone()),
                    ),
                    V::Count(c.years_with.len() as i64),
                    V::Text(years_list(&c.years_without)),
                    V::Count(i64::from(c.longest_gap)),
                    c.last_held.map_or(V::Text("–".into()), V::Date),
                    V::Text(lang.t(if c.dormant { "report-yes" } else { "report-no" })),
                ],
            )
        })
        .collect();
    Section {
        id: "continuity",
        heading: lang.t("report-continuity-title"),
        notes: vec![lang.t("report-continuity-explained")],
        charts: vec![],
        grids: vec![Grid {
            id: "continuity".into(),
            sheet: lang.t("report-sheet-continuity"),
            caption: lang.t("report-continuity-caption"),
            headers,
            rows,
            foot: vec![],
            empty: lang.t("report-none"),
        }],
    }
}

/// The indicators of one criterion as rows (indicator, value).
pub(super) fn indicator_rows(lang: Lang, aspect: Aspect, r: &Report) -> Vec<(String, String)> {
    indicators(aspect, r)
        .into_iter()
        .map(|i| (lang.t(i.key), figure_value(i.figure).text(lang)))
        .collect()
}

fn indicator_section(lang: Lang, r: &Report) -> Section {
    let rows = Aspect::ALL
        .iter()
        .filter(|a| **a != Aspect::Other)
        .flat_map(|a| {
            indicators(*a, r).into_iter().map(move |i| {
                (
                    None,
                    vec![
                        V::Text(cap(lang, "evaluation-aspect", a.as_str())),
                        V::Text(lang.t(i.key)),
                        figure_value(i.figure),
                    ],
                )
            })
        })
        .collect();
    Section {
        id: "indicators",
        heading: lang.t("report-indicators-title"),
        notes: vec![lang.t("report-indicators-explained")],
        charts: vec![],
        grids: vec![Grid {
            id: "indicators".into(),
            sheet: lang.t("report-sheet-indicators"),
            caption: lang.t("report-indicators-caption"),
            headers: vec![
                (lang.t("report-col-criterion"), false),
                (lang.t("report-col-figure"), false),
                (lang.t("report-col-value"), true),
            ],
            rows,
            foot: vec![],
            empty: lang.t("report-none"),
        }],
    }
}

// ---- an evaluation's figures ------------------------------------------------------------------

/// A criterion of an evaluation with its finding and the figures that bear on it.
pub struct CriterionFigures {
    pub name: String,
    pub aspect: String,
    pub finding: Vec<String>,
    /// (indicator, value in the page's notation).
    pub indicators: Vec<(String, String)>,
}

/// The figures a report computes for an evaluation's period and partnerships, per criterion
/// beside the evaluation's own findings: what the study could have used.
pub struct EvaluationFigures {
    pub heading: String,
    pub intro: String,
    pub visibility: String,
    pub report_href: String,
    pub criteria: Vec<CriterionFigures>,
}

/// The figures for an evaluation of `municipality` over `from..=to` and its partnerships; none
/// when the period cannot be reported on (a partnership no longer the municipality's, say).
pub(super) async fn evaluation_figures(
    ctx: &Ctx,
    s: &AppState,
    municipality: &str,
    from: i16,
    to: i16,
    partnerships: &[String],
    criteria: &[stedenband_domain::evaluation::Criterion],
) -> Result<Option<EvaluationFigures>, WebError> {
    let lang = ctx.lang;
    let params = ReportParams {
        from,
        to,
        partnerships: partnerships.to_vec(),
    };
    let v = match s
        .reports
        .report(&ctx.auth.caller, municipality, &params)
        .await
    {
        Ok(v) => v,
        Err(AppError::Invalid(_)) => return Ok(None),
        Err(e) => return Err(super::activities::app_error(ctx, e)),
    };
    let r = &v.report;
    let mut rows: Vec<CriterionFigures> = criteria
        .iter()
        .map(|c| CriterionFigures {
            name: c.name.to_string(),
            aspect: lang.choice("evaluation-aspect", c.aspect.as_str()),
            finding: c.finding.lines().map(str::to_owned).collect(),
            indicators: indicator_rows(lang, c.aspect, r),
        })
        .collect();
    // The key figures too, for what no criterion covers.
    rows.push(CriterionFigures {
        name: lang.t("report-summary-title"),
        aspect: String::new(),
        finding: vec![],
        indicators: HEADLINE
            .iter()
            .take(4)
            .chain(
                [
                    "indicator-municipal-cash",
                    "indicator-private-income",
                    "indicator-leverage",
                ]
                .iter(),
            )
            .map(|k| {
                (
                    lang.t(k),
                    figure_value(stedenband_domain::report::headline(k, r)).text(lang),
                )
            })
            .collect(),
    });
    Ok(Some(EvaluationFigures {
        heading: lang.t1_(
            "evaluation-figures-title",
            "from",
            from.to_string(),
            "to",
            to.to_string(),
        ),
        intro: lang.t("evaluation-figures-intro"),
        visibility: lang.t(if v.includes_internal {
            "report-includes-internal"
        } else {
            "report-public-only"
        }),
        report_href: format!(
            "/municipalities/{}/report{}",
            v.municipality.slug,
            ReportQuery::of(&params)
        ),
        criteria: rows,
    }))
}

// ---- the page -----------------------------------------------------------------------------------

/// A chart as the template draws it.
pub struct HtmlChart {
    pub svg: String,
    pub caption: String,
    pub table: String,
}

pub struct HtmlSection {
    pub id: &'static str,
    pub heading: String,
    pub notes: Vec<String>,
    pub charts: Vec<HtmlChart>,
    pub tables: Vec<HtmlTable>,
    /// CSV downloads of the tables: (address, label).
    pub downloads: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    ctx: Ctx,
    name: String,
    slug: String,
    form: FormFields,
    datalist: Vec<String>,
    /// The query of the report shown (for its downloads and the comparison link).
    query: String,
    title: String,
    subtitle: String,
    notes: Vec<String>,
    sections: Vec<HtmlSection>,
}

fn form(
    lang: Lang,
    q: &ReportQuery,
    a: &ReportParams,
    partnerships: &[PartnershipView],
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let mut vals: HashMap<String, String> = HashMap::new();
    vals.insert(
        "from".into(),
        q.values
            .get("from")
            .cloned()
            .unwrap_or_else(|| a.from.to_string()),
    );
    vals.insert(
        "to".into(),
        q.values
            .get("to")
            .cloned()
            .unwrap_or_else(|| a.to.to_string()),
    );
    vals.insert("partnerships".into(), q.partnerships.join("\n"));
    FormBuilder::new(lang, &vals, errors)
        .text_with("from", "report-field-from", true, |f| {
            f.input_type = "number"
        })
        .text_with("to", "report-field-to", true, |f| f.input_type = "number")
        .checkboxes(
            "partnerships",
            "report-field-partnerships",
            partnerships
                .iter()
                .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
                .collect(),
            false,
        )
        .build()
}

fn html_sections(lang: Lang, doc: &Doc, slug: &str, query: &str) -> Vec<HtmlSection> {
    doc.sections
        .iter()
        .map(|s| HtmlSection {
            id: s.id,
            heading: s.heading.clone(),
            notes: s.notes.clone(),
            charts: s
                .charts
                .iter()
                .map(|c| HtmlChart {
                    svg: c.svg(lang),
                    caption: c.title.clone(),
                    table: c.table.clone(),
                })
                .collect(),
            tables: s.grids.iter().map(|g| g.html(lang)).collect(),
            downloads: s
                .grids
                .iter()
                .filter(|g| !g.rows.is_empty())
                .map(|g| {
                    (
                        format!("/municipalities/{slug}/report.csv{query}&table={}", g.id),
                        lang.t_args(
                            "report-download-csv",
                            &[("table", g.caption.clone().into())],
                        ),
                    )
                })
                .collect(),
        })
        .collect()
}

/// The municipality's partnerships for the form when the report could not be made.
async fn known_partnerships(s: &AppState, slug: &str) -> Vec<PartnershipView> {
    s.register
        .municipality(slug)
        .await
        .map(|v| v.partnerships)
        .unwrap_or_default()
}

/// The report for the query, or the page's error: a refused parameter is `Err(Ok(errors))`.
async fn report_for(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &ReportQuery,
) -> Result<(ReportView, ReportParams), Result<(ValidationErrors, ReportParams), WebError>> {
    let mut e = ValidationErrors::default();
    let (a, _) = q.params(&mut e);
    if !e.is_empty() {
        // Unknown municipality first: a 404 rather than a form.
        if s.register
            .find_municipality(slug)
            .await
            .ok()
            .flatten()
            .is_none()
        {
            return Err(Err(not_found(ctx)));
        }
        return Err(Ok((e, a)));
    }
    match s.reports.report(&ctx.auth.caller, slug, &a).await {
        Ok(v) => Ok((v, a)),
        Err(AppError::Invalid(e)) => Err(Ok((e, a))),
        Err(other) => Err(Err(super::activities::app_error(ctx, other))),
    }
}

/// A municipality's report for a period and its partnerships.
pub async fn report(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = ReportQuery::parse(raw.as_deref());
    let lang = ctx.lang;
    match report_for(&ctx, &s, &slug, &q).await {
        Ok((v, a)) => {
            let query = ReportQuery::of(&a);
            let doc = build(lang, &v);
            let m_slug = v.municipality.slug.to_string();
            let page = ReportPage {
                form: form(lang, &q, &a, &known_partnerships(&s, &slug).await, None),
                datalist: vec![],
                name: v.municipality.name().to_string(),
                sections: html_sections(lang, &doc, &m_slug, &query),
                slug: m_slug,
                query,
                title: doc.title,
                subtitle: doc.subtitle,
                notes: doc.notes,
                ctx,
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(Ok((errors, a))) => {
            let m = s
                .register
                .find_municipality(&slug)
                .await
                .or_page(&ctx)?
                .ok_or_else(|| not_found(&ctx))?;
            let page = ReportPage {
                form: form(
                    lang,
                    &q,
                    &a,
                    &known_partnerships(&s, &slug).await,
                    Some(&errors),
                ),
                datalist: vec![],
                name: m.name().to_string(),
                slug: m.slug.to_string(),
                query: String::new(),
                title: lang.t_args(
                    "report-title",
                    &[
                        ("name", m.name().to_string().into()),
                        ("period", "–".into()),
                    ],
                ),
                subtitle: String::new(),
                notes: vec![],
                sections: vec![],
                ctx,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(e),
    }
}

/// A download of the report: a refused parameter is a plain 422 problem page.
async fn report_or_error(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &ReportQuery,
) -> Result<ReportView, WebError> {
    match report_for(ctx, s, slug, q).await {
        Ok((v, _)) => Ok(v),
        Err(Ok((e, _))) => {
            Err(WebError::new(Front::Page, ctx.lang, ErrorKind::Invalid(e)).at(&ctx.path))
        }
        Err(Err(e)) => Err(e),
    }
}

fn file_name(v: &ReportView, ext: &str) -> String {
    let p = v.report.scope.period;
    format!(
        "report-{}-{}-{}.{ext}",
        file_part(&v.municipality.slug.to_string()),
        p.from(),
        p.to()
    )
}

/// One table of the report as CSV (`?table=` its id; default the activities per category).
pub async fn report_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = ReportQuery::parse(raw.as_deref());
    let v = report_or_error(&ctx, &s, &slug, &q).await?;
    let doc = build(ctx.lang, &v);
    let wanted = q.table.as_deref().unwrap_or("activities-by-category");
    let grid = doc
        .grids()
        .find(|g| g.id == wanted)
        .ok_or_else(|| not_found(&ctx))?;
    let body = export::csv(&grid.export()).map_err(|e| export_error(&ctx, e))?;
    let name = file_name(&v, "csv").replace(".csv", &format!("-{}.csv", file_part(wanted)));
    Ok(download(CSV, &name, body))
}

/// Every table of the report in one workbook, a sheet each.
pub async fn report_xlsx(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = ReportQuery::parse(raw.as_deref());
    let v = report_or_error(&ctx, &s, &slug, &q).await?;
    let doc = build(ctx.lang, &v);
    let tables: Vec<export::Table> = doc.grids().map(Grid::export).collect();
    let body = export::xlsx(&tables).map_err(|e| export_error(&ctx, e))?;
    Ok(download(XLSX, &file_name(&v, "xlsx"), body))
}

/// The report as a PDF document (A4), made by the program itself.
pub async fn report_pdf(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = ReportQuery::parse(raw.as_deref());
    let v = report_or_error(&ctx, &s, &slug, &q).await?;
    let lang = ctx.lang;
    let doc = build(lang, &v);
    let footer = format!("Stedenband · {}", doc.title);
    let body = tokio::task::spawn_blocking(move || doc.pdf(lang, footer))
        .await
        .map_err(|e| app_error_text(&ctx, e.to_string()))?;
    Ok(download("application/pdf", &file_name(&v, "pdf"), body))
}

fn app_error_text(ctx: &Ctx, text: String) -> WebError {
    super::activities::app_error(
        ctx,
        AppError::Store(stedenband_store::StoreError::Corrupt(text)),
    )
}

// ---- the comparison -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "report_compare.html")]
struct ComparePage {
    ctx: Ctx,
    name: String,
    slug: String,
    form: FormFields,
    datalist: Vec<String>,
    heading_a: String,
    heading_b: String,
    link_a: String,
    link_b: String,
    table: Option<HtmlTable>,
    /// CSV download of the comparison.
    csv: String,
}

fn compare_form(
    lang: Lang,
    q: &ReportQuery,
    a: &ReportParams,
    b: &ReportParams,
    partnerships: &[PartnershipView],
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let mut vals: HashMap<String, String> = HashMap::new();
    let val = |k: &str, d: i16| q.values.get(k).cloned().unwrap_or_else(|| d.to_string());
    vals.insert("from".into(), val("from", a.from));
    vals.insert("to".into(), val("to", a.to));
    vals.insert("otherFrom".into(), val("otherFrom", b.from));
    vals.insert("otherTo".into(), val("otherTo", b.to));
    vals.insert("partnerships".into(), q.partnerships.join("\n"));
    vals.insert("otherPartnerships".into(), q.other_partnerships.join("\n"));
    let options: Vec<(String, String)> = partnerships
        .iter()
        .map(|p| (p.partnership.id.0.clone(), p.partner.name().to_string()))
        .collect();
    FormBuilder::new(lang, &vals, errors)
        .text_with("from", "report-field-from", true, |f| {
            f.input_type = "number"
        })
        .text_with("to", "report-field-to", true, |f| f.input_type = "number")
        .checkboxes(
            "partnerships",
            "report-field-partnerships",
            options.clone(),
            false,
        )
        .text_with("otherFrom", "report-field-other-from", false, |f| {
            f.input_type = "number"
        })
        .text_with("otherTo", "report-field-other-to", false, |f| {
            f.input_type = "number"
        })
        .checkboxes(
            "otherPartnerships",
            "report-field-other-partnerships",
            options,
            false,
        )
        .build()
}

fn describe(lang: Lang, v: &ReportView) -> String {
    let p = v.report.scope.period;
    let towns: Vec<String> = v
        .partnerships
        .iter()
        .map(|p| p.partner.name().to_string())
        .collect();
    format!("{}–{} · {}", p.from(), p.to(), towns.join(", "))
        .replace(" · ", &format!(" {} ", lang.t("report-with")))
}

fn comparison_grid(lang: Lang, c: &ComparisonView) -> Grid {
    Grid {
        id: "comparison".into(),
        sheet: lang.t("report-sheet-comparison"),
        caption: lang.t("report-comparison-caption"),
        headers: vec![
            (lang.t("report-col-figure"), false),
            (describe(lang, &c.a), true),
            (describe(lang, &c.b), true),
            (lang.t("report-col-difference"), true),
        ],
        rows: c
            .comparison
            .lines
            .iter()
            .map(|l| {
                (
                    None,
                    vec![
                        V::Text(lang.t(l.key)),
                        figure_value(l.a),
                        figure_value(l.b),
                        figure_value(l.difference),
                    ],
                )
            })
            .collect(),
        foot: vec![],
        empty: String::new(),
    }
}

async fn comparison_for(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    q: &ReportQuery,
) -> Result<
    (ComparisonView, ReportParams, ReportParams),
    Result<(ValidationErrors, ReportParams, ReportParams), WebError>,
> {
    let mut e = ValidationErrors::default();
    let (a, b) = q.params(&mut e);
    if s.register
        .find_municipality(slug)
        .await
        .ok()
        .flatten()
        .is_none()
    {
        return Err(Err(not_found(ctx)));
    }
    if !e.is_empty() {
        return Err(Ok((e, a, b)));
    }
    match s.reports.compare(&ctx.auth.caller, slug, &a, &b).await {
        Ok(c) => Ok((c, a, b)),
        Err(AppError::Invalid(e)) => Err(Ok((e, a, b))),
        Err(other) => Err(Err(super::activities::app_error(ctx, other))),
    }
}

/// Two periods, or two partnerships, of a municipality side by side.
pub async fn report_compare(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = ReportQuery::parse(raw.as_deref());
    let lang = ctx.lang;
    let known = known_partnerships(&s, &slug).await;
    let m = s
        .register
        .find_municipality(&slug)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| not_found(&ctx))?;
    let (name, m_slug) = (m.name().to_string(), m.slug.to_string());
    match comparison_for(&ctx, &s, &slug, &q).await {
        Ok((c, a, b)) => {
            let page = ComparePage {
                form: compare_form(lang, &q, &a, &b, &known, None),
                datalist: vec![],
                heading_a: describe(lang, &c.a),
                heading_b: describe(lang, &c.b),
                link_a: format!("/municipalities/{m_slug}/report{}", ReportQuery::of(&a)),
                link_b: format!("/municipalities/{m_slug}/report{}", ReportQuery::of(&b)),
                table: Some(comparison_grid(lang, &c).html(lang)),
                csv: format!(
                    "/municipalities/{m_slug}/report/compare.csv?{}",
                    raw.clone().unwrap_or_default()
                ),
                name,
                slug: m_slug,
                ctx,
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(Ok((errors, a, b))) => {
            let page = ComparePage {
                form: compare_form(lang, &q, &a, &b, &known, Some(&errors)),
                datalist: vec![],
                heading_a: String::new(),
                heading_b: String::new(),
                link_a: String::new(),
                link_b: String::new(),
                table: None,
                csv: String::new(),
                name,
                slug: m_slug,
                ctx,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Err(e)) => Err(e),
    }
}

/// The comparison as CSV.
pub async fn report_compare_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = ReportQuery::parse(raw.as_deref());
    let c = match comparison_for(&ctx, &s, &slug, &q).await {
        Ok((c, _, _)) => c,
        Err(Ok((e, _, _))) => {
            return Err(WebError::new(Front::Page, ctx.lang, ErrorKind::Invalid(e)).at(&ctx.path));
        }
        Err(Err(e)) => return Err(e),
    };
    let body =
        export::csv(&comparison_grid(ctx.lang, &c).export()).map_err(|e| export_error(&ctx, e))?;
    let name = format!(
        "comparison-{}.csv",
        file_part(&c.a.municipality.slug.to_string())
    );
    Ok(download(CSV, &name, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_years_are_written_as_ranges() {
        assert_eq!(years_list(&[]), "–");
        assert_eq!(years_list(&[2004]), "2004");
        assert_eq!(
            years_list(&[2004, 2005, 2006, 2008, 2010, 2011]),
            "2004–2006, 2008, 2010–2011"
        );
    }

    #[test]
    fn repeated_partnerships_are_all_read_from_the_address() {
        let q = ReportQuery::parse(Some(
            "from=2004&to=2008&partnerships=a&partnerships=b&table=themes",
        ));
        assert_eq!(q.partnerships, ["a", "b"]);
        assert_eq!(q.table.as_deref(), Some("themes"));
        let mut e = ValidationErrors::default();
        let (a, b) = q.params(&mut e);
        assert!(e.is_empty());
        assert_eq!((a.from, a.to, b.from, b.to), (2004, 2008, 2004, 2008));
        assert_eq!(b.partnerships, ["a", "b"]);
        let q = ReportQuery::parse(Some("from=abc&to=99999"));
        let mut e = ValidationErrors::default();
        q.params(&mut e);
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["from", "to"]);
    }
}
