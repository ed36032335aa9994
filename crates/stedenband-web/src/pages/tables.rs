//! Tables and charts shared by the money and report pages: every table is described once,
//! typed ([`Grid`]), and drawn three ways: as an HTML table (amounts as people write them in the
//! page's language), as CSV and as an `.xlsx` sheet (amounts as numbers, see
//! [`crate::export`]); the charts ([`crate::charts`]) are drawn from the same figures and stand
//! next to the table that holds them, their text alternative.

use super::Ctx;
use super::activities::app_error;
use crate::charts::{BarChart, Series, Unit, bar_chart_svg};
use crate::error::{ErrorKind, Front, WebError};
use crate::export::{self, Cell, Table};
use crate::i18n::Lang;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use stedenband_app::AppError;
use stedenband_domain::money::Euros;
use stedenband_store::StoreError;

pub(super) const CSV: &str = "text/csv; charset=utf-8";
pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ---- formatting -----------------------------------------------------------------------------

/// An amount as people write it: "€ 16.327,00" (a non-breaking space keeps the sign with the
/// amount), "€16,327.00"; negative "€ -450,50", "-€450.50".
pub(super) fn eur(lang: Lang, e: Euros) -> String {
    match lang {
        Lang::Nl => e.format_nl().replacen("€ ", "€\u{a0}", 1),
        Lang::En => e.format_en(),
    }
}

/// A quotient to two decimals in the page's notation: "0,42", "1.50".
pub(super) fn ratio(lang: Lang, d: Decimal) -> String {
    let text = format!(
        "{:.2}",
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    );
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A count with the language's thousands separator: "1.234", "1,234".
pub(super) fn count(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A share as a percentage to one decimal: "41,7 %", "41.7%".
pub(super) fn percent(lang: Lang, d: Decimal) -> String {
    let p = (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    match lang {
        Lang::Nl => format!("{}\u{a0}%", format!("{p:.1}").replace('.', ",")),
        Lang::En => format!("{p:.1}%"),
    }
}

/// The label of a choice as a heading or a cell: its first letter in upper case (the texts are
/// written to fit inside a sentence).
pub(super) fn label(lang: Lang, prefix: &str, code: &str) -> String {
    let text = lang.choice(prefix, code);
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A select's options from choice codes, labelled as [`label`]; `blank` first when given.
pub(super) fn options(
    lang: Lang,
    prefix: &str,
    codes: &[&str],
    blank: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if blank {
        out.push((String::new(), lang.t("money-none-chosen")));
    }
    out.extend(
        codes
            .iter()
            .map(|c| ((*c).to_owned(), label(lang, prefix, c))),
    );
    out
}

/// Only letters, digits and dashes, for file names.
pub(super) fn file_part(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect()
}

pub(super) fn export_error(ctx: &Ctx, e: export::ExportError) -> WebError {
    app_error(ctx, AppError::Store(StoreError::Corrupt(e.to_string())))
}

pub(super) fn not_found(ctx: &Ctx) -> WebError {
    WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path)
}

/// A download with its media type and file name.
pub(super) fn download(media_type: &'static str, file: &str, body: impl Into<Body>) -> Response {
    let mut res = Response::new(body.into());
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res.into_response()
}

// ---- tables, described once -------------------------------------------------------------------

/// One value of a table.
#[derive(Debug, Clone)]
pub(super) enum V {
    Text(String),
    /// A text linking to an address.
    Link(String, String),
    Year(i16),
    /// A number of things (activities, participants, years).
    Count(i64),
    Date(Date),
    Eur(Euros),
    /// A quotient (leverage); none: nothing to divide by.
    Ratio(Option<Decimal>),
    /// A share shown as a percentage.
    Share(Option<Decimal>),
}

impl V {
    pub(super) fn numeric(&self) -> bool {
        matches!(self, V::Eur(_) | V::Count(_) | V::Ratio(_) | V::Share(_))
    }

    pub(super) fn text(&self, lang: Lang) -> String {
        match self {
            V::Text(t) | V::Link(t, _) => t.clone(),
            V::Year(y) => y.to_string(),
            V::Count(n) => count(lang, *n),
            V::Date(d) => lang.full_date(*d),
            V::Eur(e) => eur(lang, *e),
            V::Ratio(Some(d)) => ratio(lang, *d),
            V::Share(Some(d)) => percent(lang, *d),
            V::Ratio(None) | V::Share(None) => "–".to_owned(),
        }
    }

    /// The cell in an export: amounts as numbers, quotients as plain decimals with a dot.
    pub(super) fn cell(&self) -> Cell {
        match self {
            V::Text(t) | V::Link(t, _) => Cell::Text(t.clone()),
            V::Year(y) => Cell::Int(i64::from(*y)),
            V::Count(n) => Cell::Int(*n),
            V::Date(d) => Cell::Date(*d),
            V::Eur(e) => Cell::Euros(e.cents()),
            V::Ratio(Some(d)) => Cell::Number {
                value: *d,
                percent: false,
            },
            V::Share(Some(d)) => Cell::Number {
                value: *d,
                percent: true,
            },
            V::Ratio(None) | V::Share(None) => Cell::Empty,
        }
    }
}

/// A table: the page draws it, the downloads export it.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    /// The element id in the page.
    pub(super) id: String,
    /// The worksheet's name.
    pub(super) sheet: String,
    pub(super) caption: String,
    /// Column headings, and whether the column holds amounts (right-aligned).
    pub(super) headers: Vec<(String, bool)>,
    /// Rows with an optional element id (the first value is the row's heading).
    pub(super) rows: Vec<(Option<String>, Vec<V>)>,
    /// Totals, below the rows.
    pub(super) foot: Vec<Vec<V>>,
    /// Said instead of an empty table.
    pub(super) empty: String,
}

impl Grid {
    pub(super) fn html(&self, lang: Lang) -> HtmlTable {
        let row = |id: &Option<String>, cells: &[V]| HtmlRow {
            id: id.clone(),
            cells: cells
                .iter()
                .map(|v| HtmlCell {
                    text: v.text(lang),
                    href: match v {
                        V::Link(_, h) => Some(h.clone()),
                        _ => None,
                    },
                    num: v.numeric(),
                })
                .collect(),
        };
        HtmlTable {
            id: self.id.clone(),
            caption: self.caption.clone(),
            head: self
                .headers
                .iter()
                .map(|(text, num)| HtmlHead {
                    text: text.clone(),
                    num: *num,
                })
                .collect(),
            rows: self.rows.iter().map(|(id, r)| row(id, r)).collect(),
            foot: self.foot.iter().map(|r| row(&None, r)).collect(),
            empty: self.empty.clone(),
        }
    }

    pub(super) fn export(&self) -> Table {
        Table {
            name: self.sheet.clone(),
            title: Some(self.caption.clone()),
            headers: self.headers.iter().map(|(h, _)| h.clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|(_, r)| r)
                .chain(self.foot.iter())
                .map(|r| r.iter().map(V::cell).collect())
                .collect(),
        }
    }
}

/// A table as the template draws it (`money_table.html`).
pub struct HtmlTable {
    pub id: String,
    pub caption: String,
    pub head: Vec<HtmlHead>,
    pub rows: Vec<HtmlRow>,
    pub foot: Vec<HtmlRow>,
    pub empty: String,
}

pub struct HtmlHead {
    pub text: String,
    pub num: bool,
}

pub struct HtmlRow {
    pub id: Option<String>,
    pub cells: Vec<HtmlCell>,
}

pub struct HtmlCell {
    pub text: String,
    pub href: Option<String>,
    pub num: bool,
}

/// A chart with the table that holds its figures.
pub struct Figure {
    pub svg: String,
    pub caption: String,
    /// The id of the table with the figures.
    pub table: String,
    pub table_link: String,
}

pub(super) fn chart(
    lang: Lang,
    id: &str,
    title: String,
    years: &[i16],
    series: Vec<Series>,
) -> String {
    let categories: Vec<String> = years.iter().map(i16::to_string).collect();
    let description = series
        .iter()
        .map(|s| {
            let per_year: Vec<String> = categories
                .iter()
                .zip(&s.values)
                .map(|(y, c)| format!("{y}: {}", eur(lang, Euros::from_cents(*c))))
                .collect();
            format!("{}: {}", s.label, per_year.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ");
    bar_chart_svg(
        &BarChart {
            id: id.to_owned(),
            title,
            description,
            categories,
            series,
            unit: Unit::Cents,
        },
        lang,
    )
}
