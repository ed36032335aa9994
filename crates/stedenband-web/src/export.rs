//! Table exports: CSV and Excel `.xlsx`, from one neutral description of a table ([`Table`] of
//! typed [`Cell`]s), so the ledger, the yearly overviews and the subsidy register need only say
//! *what* they export.
//!
//! # Money stays exact
//! Amounts travel as integer cents ([`Cell::Euros`]). CSV writes them as a plain decimal with a
//! dot and two decimals (`16327.00`, `-0.05`), formatted from the integer, no float. The `.xlsx`
//! format can only store numbers as IEEE doubles, so [`xlsx`] converts cents to euros in one
//! place, `euros_as_excel_number`, at the file boundary; see there why that is exact.
//!
//! # Sheet layout (`.xlsx`)
//! One worksheet per [`Table`], in the given order, named after [`Table::name`] made valid for
//! Excel (at most 31 UTF-16 units; none of `[ ] : * ? / \`; no apostrophe at either end; not
//! empty, not `History`; unique without regard to case, a clash gets ` (2)`, ` (3)`, ...).
//!
//! - With a [`Table::title`]: row 1 holds the title (bold, larger), row 2 the headers, data from
//!   row 3.
//! - Without: row 1 holds the headers, data from row 2.
//!
//! The headers are bold, the rows up to and including the header row are frozen, the header row
//! carries an autofilter, and each column is as wide as its longest header or value (within
//! limits). Cells:
//!
//! - [`Cell::Euros`]: a number (euros) with the format [`EURO_FORMAT`], `[$€-413] #,##0.00` with
//!   a minus after the sign (Dutch: `€ 16.327,00`, `€ -0,05`).
//! - [`Cell::Int`]: a number in the General format.
//! - [`Cell::Date`]: a real Excel date (a serial number) shown as `yyyy-mm-dd`; a date Excel
//!   cannot hold (before 1900) is written as ISO text instead.
//! - [`Cell::Text`]: a text cell, verbatim: an xlsx text cell is never evaluated, so `=SUM(A1)`
//!   stays text and needs no apostrophe (unlike CSV). An empty text is no cell.
//! - [`Cell::Number`]: a quotient rounded to four decimals, as a number shown `0.00`, or a
//!   share shown as a percentage `0.0%` (CSV: the plain decimal, `0.4167`).
//! - [`Cell::Empty`]: no cell.
//!
//! # CSV
//! [`csv()`] writes one table: the header row, then the rows; the title is left out so that the
//! file stays a plain table. Dates are ISO (`2017-03-01`), integers plain, and text that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading
//! apostrophe, the same rule as the organisation's CSV export. Euros and integers are numbers we
//! format ourselves and are not touched by that rule (`-0.05` stays `-0.05`).

use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::fmt;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// An amount in euro cents.
    Euros(i64),
    Int(i64),
    Date(Date),
    /// A quotient (a leverage, "0.42") or, with `percent`, a share (0.4167 shown as 41.7%):
    /// rounded half away from zero to four decimals, written as a number.
    Number {
        value: rust_decimal::Decimal,
        percent: bool,
    },
    Empty,
}

/// A table to export: one worksheet in `.xlsx`, one file in CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The worksheet's name; made valid for Excel by [`xlsx`] (see the module documentation).
    pub name: String,
    /// A line above the headers in `.xlsx`; not written to CSV.
    pub title: Option<String>,
    pub headers: Vec<String>,
    /// Every row has exactly as many cells as there are headers.
    pub rows: Vec<Vec<Cell>>,
}

/// Why an export could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError(pub String);

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "export: {}", self.0)
    }
}

impl std::error::Error for ExportError {}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError(format!("xlsx: {e}"))
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError(format!("csv: {e}"))
    }
}

/// The number format of euro cells: Dutch euro, `€ 16.327,00` and `€ -0,05` in a Dutch Excel
/// (the separators follow the reader's locale).
pub const EURO_FORMAT: &str = "[$€-413] #,##0.00;[$€-413] -#,##0.00";
/// The number format of date cells.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";

/// Excel keeps 15 significant digits; numbers up to this size survive a round trip through any
/// spreadsheet unchanged.
const MAX_EXACT: u64 = 999_999_999_999_999;

/// A workbook with one worksheet per table, as the bytes of an `.xlsx` file.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, ExportError> {
    if tables.is_empty() {
        return Err(ExportError("nothing to export: no tables".into()));
    }
    for t in tables {
        check_shape(t)?;
    }
    let formats = Formats::new();
    let names = sheet_names(tables);
    let mut workbook = Workbook::new();
    for (t, name) in tables.iter().zip(names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        write_sheet(sheet, t, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// One table as CSV: a header row, then the rows (see the module documentation).
pub fn csv(table: &Table) -> Result<String, ExportError> {
    check_shape(table)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.headers.iter().map(|h| defuse_formula(h)))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => defuse_formula(s),
            Cell::Euros(cents) => cents_as_decimal(*cents),
            Cell::Int(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Number { value, .. } => four_places(*value).to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError(format!("csv: {}", e.error())))?;
    String::from_utf8(bytes).map_err(|e| ExportError(format!("csv: {e}")))
}

/// Cents as a plain decimal with a dot and exactly two decimals, from the integer alone:
/// `1632700` → `16327.00`, `-5` → `-0.05`.
fn cents_as_decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A quotient rounded half away from zero to four decimals, as it is exported.
fn four_places(d: rust_decimal::Decimal) -> rust_decimal::Decimal {
    d.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A cell that a spreadsheet would run as a formula is prefixed with an apostrophe; the same rule
/// as `defuse_formula` in `stedenband-app`'s organisation export.
fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The one place where money becomes a float: `.xlsx` stores every number as an IEEE double.
///
/// Exact: `cents` (at most 15 digits, so below 2^53) converts to `f64` without loss, and the
/// division by 100 is correctly rounded, giving the double nearest to the decimal
/// `cents / 100`. The writer stores the shortest decimal that reads back as that same double,
/// and a decimal of at most 15 significant digits always survives decimal → double → decimal,
/// so the file holds exactly `16327.00`'s digits and every reader gets the double nearest to
/// it, which rounds back to the same cents. Larger amounts are refused rather than rounded.
fn euros_as_excel_number(cents: i64) -> Result<f64, ExportError> {
    if cents.unsigned_abs() > MAX_EXACT {
        return Err(ExportError(format!(
            "{} euro has more than 15 digits; a spreadsheet cannot hold it exactly",
            cents_as_decimal(cents)
        )));
    }
    Ok(cents as f64 / 100.0)
}

/// An integer as an Excel number; refused beyond 15 digits, which Excel would round.
fn int_as_excel_number(n: i64) -> Result<f64, ExportError> {
    if n.unsigned_abs() > MAX_EXACT {
        return Err(ExportError(format!(
            "the integer {n} has more than 15 digits; a spreadsheet cannot hold it exactly \
             (export it as text)"
        )));
    }
    Ok(n as f64)
}

/// The date as Excel's date, or `None` when Excel cannot hold it (years before 1900).
fn excel_date(d: Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

fn check_shape(t: &Table) -> Result<(), ExportError> {
    for (i, row) in t.rows.iter().enumerate() {
        if row.len() != t.headers.len() {
            return Err(ExportError(format!(
                "table {:?}: row {} has {} cells for {} headers",
                t.name,
                i + 1,
                row.len(),
                t.headers.len()
            )));
        }
    }
    Ok(())
}

struct Formats {
    title: Format,
    header: Format,
    euros: Format,
    date: Format,
    ratio: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            euros: Format::new().set_num_format(EURO_FORMAT),
            date: Format::new().set_num_format(DATE_FORMAT),
            ratio: Format::new().set_num_format("0.00"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

fn write_sheet(sheet: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), ExportError> {
    let too_big = || ExportError(format!("table {:?} is too large for a worksheet", t.name));
    let mut row: u32 = 0;
    if let Some(title) = &t.title {
        sheet.write_string_with_format(0, 0, title, &f.title)?;
        row = 1;
    }
    let header_row = row;
    let columns = u16::try_from(t.headers.len()).map_err(|_| too_big())?;
    // Widths in Excel's character units: the longest header or value, plus a little air.
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
    for (col, h) in (0..columns).zip(&t.headers) {
        sheet.write_string_with_format(header_row, col, h, &f.header)?;
    }
    for cells in &t.rows {
        row = row.checked_add(1).ok_or_else(too_big)?;
        for ((col, cell), width) in (0..columns).zip(cells).zip(widths.iter_mut()) {
            let shown = match cell {
                Cell::Text(s) if s.is_empty() => 0,
                Cell::Text(s) => {
                    sheet.write_string(row, col, s)?;
                    s.chars().count()
                }
                Cell::Euros(cents) => {
                    sheet.write_number_with_format(
                        row,
                        col,
                        euros_as_excel_number(*cents)?,
                        &f.euros,
                    )?;
                    // "€ " + digits with a thousands separator every three + ",00".
                    let digits = (cents.unsigned_abs() / 100).to_string().len();
                    2 + usize::from(*cents < 0) + digits + (digits - 1) / 3 + 3
                }
                Cell::Int(n) => {
                    sheet.write_number(row, col, int_as_excel_number(*n)?)?;
                    n.to_string().len()
                }
                Cell::Date(d) => {
                    match excel_date(*d) {
                        Some(x) => sheet.write_date_with_format(row, col, x, &f.date)?,
                        None => sheet.write_string(row, col, d.to_string())?,
                    };
                    10
                }
                Cell::Number { value, percent } => {
                    let v = four_places(*value);
                    let n: f64 = v
                        .to_string()
                        .parse()
                        .map_err(|_| ExportError(format!("the number {v} cannot be written")))?;
                    let format = if *percent { &f.percent } else { &f.ratio };
                    sheet.write_number_with_format(row, col, n, format)?;
                    v.to_string().len() + 1
                }
                Cell::Empty => 0,
            };
            *width = (*width).max(shown);
        }
    }
    for (col, w) in (0..columns).zip(&widths) {
        // Bounded to 8..=60 characters, so the cast to f64 is exact.
        sheet.set_column_width(col, (w + 2).clamp(8, 60) as f64)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    if columns > 0 {
        sheet.autofilter(header_row, 0, row, columns - 1)?;
    }
    Ok(())
}

/// Valid, unique worksheet names for the tables, in order.
fn sheet_names(tables: &[Table]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for t in tables {
        let base = valid_sheet_name(&t.name);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", truncate_utf16(&base, 31 - utf16_len(&suffix)));
            n += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// A name Excel accepts: forbidden characters and control characters become `_`, apostrophes at
/// either end and surrounding spaces go, at most 31 UTF-16 units, not empty and not `History`
/// (reserved by Excel).
fn valid_sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cut = truncate_utf16(replaced.trim().trim_matches('\''), 31);
    let cut = cut.trim().trim_matches('\'').trim();
    if cut.is_empty() {
        "Blad".to_owned()
    } else if cut.eq_ignore_ascii_case("history") {
        format!("{cut}_")
    } else {
        cut.to_owned()
    }
}

/// Length as Excel counts it, in UTF-16 units.
fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The longest prefix of `s` of at most `max` UTF-16 units (Excel's measure of length).
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut len = 0;
    for (i, c) in s.char_indices() {
        len += c.len_utf16();
        if len > max {
            return &s[..i];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            name: "Subsidie".into(),
            title: Some("Gemeentelijke subsidie".into()),
            headers: vec![
                "Jaar".into(),
                "Bedrag".into(),
                "Besluit".into(),
                "Opmerking".into(),
            ],
            rows,
        }
    }

    #[test]
    fn csv_writes_cents_exactly_with_a_dot_and_two_decimals() {
        for (cents, text) in [
            (2_449_000, "24490.00"),
            (1_632_700, "16327.00"),
            (816_300, "8163.00"),
            (0, "0.00"),
            (5, "0.05"),
            (-5, "-0.05"),
            (-100, "-1.00"),
            (-123_456, "-1234.56"),
            (99, "0.99"),
            (i64::MAX, "92233720368547758.07"),
            (i64::MIN, "-92233720368547758.08"),
        ] {
            assert_eq!(cents_as_decimal(cents), text, "{cents}");
        }
    }

    #[test]
    fn csv_has_the_header_then_typed_values_and_no_title() {
        let t = table(vec![
            vec![
                Cell::Int(2013),
                Cell::Euros(1_632_700),
                Cell::Date(date(2011, 11, 3)),
                Cell::Text("twee derde".into()),
            ],
            vec![
                Cell::Int(2015),
                Cell::Euros(-5),
                Cell::Empty,
                Cell::Text("a, \"quoted\"".into()),
            ],
        ]);
        assert_eq!(
            csv(&t).unwrap(),
            "Jaar,Bedrag,Besluit,Opmerking\n\
             2013,16327.00,2011-11-03,twee derde\n\
             2015,-0.05,,\"a, \"\"quoted\"\"\"\n"
        );
    }

    #[test]
    fn csv_defuses_formulas_in_text_but_not_in_numbers() {
        let t = table(vec![vec![
            Cell::Int(-3),
            Cell::Euros(-5),
            Cell::Empty,
            Cell::Text("=SUM(A1)".into()),
        ]]);
        let out = csv(&t).unwrap();
        assert_eq!(out.lines().nth(1), Some("-3,-0.05,,'=SUM(A1)"));
        for (text, want) in [
            ("=1+1", "'=1+1"),
            ("+31 6 1234", "'+31 6 1234"),
            ("-5", "'-5"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Hranice", "Hranice"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(defuse_formula(text), want, "{text:?}");
        }
        let mut headers = table(vec![]);
        headers.headers[0] = "=cmd|' /C calc'!A0".into();
        assert!(
            csv(&headers)
                .unwrap()
                .starts_with("'=cmd|' /C calc'!A0,Bedrag")
        );
    }

    #[test]
    fn ragged_rows_are_refused() {
        let t = table(vec![vec![Cell::Int(1)]]);
        assert!(
            csv(&t)
                .unwrap_err()
                .0
                .contains("row 1 has 1 cells for 4 headers")
        );
        assert!(xlsx(&[t]).is_err());
        assert!(xlsx(&[]).is_err());
    }

    #[test]
    fn amounts_beyond_fifteen_digits_are_refused_not_rounded() {
        assert_eq!(euros_as_excel_number(1_632_700).unwrap(), 16327.0);
        assert_eq!(euros_as_excel_number(-5).unwrap(), -0.05);
        assert!(euros_as_excel_number(999_999_999_999_999).is_ok());
        assert!(euros_as_excel_number(1_000_000_000_000_000).is_err());
        assert!(int_as_excel_number(-999_999_999_999_999).is_ok());
        assert!(int_as_excel_number(i64::MIN).is_err());
        // Every cent value prints back as its own two-decimal figure.
        let top = MAX_EXACT as i64;
        for cents in (-100_000..100_000)
            .chain(top - 20_000..=top)
            .chain(-top..-top + 20_000)
        {
            let shown = euros_as_excel_number(cents).unwrap().to_string();
            let want = cents_as_decimal(cents);
            let want = want.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(shown, want, "{cents}");
        }
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let named = |names: &[&str]| {
            let tables: Vec<Table> = names
                .iter()
                .map(|n| Table {
                    name: (*n).into(),
                    ..table(vec![])
                })
                .collect();
            sheet_names(&tables)
        };
        assert_eq!(
            named(&[
                "Subsidie",
                "subsidie",
                "Subsidie",
                "a/b:c*d?[e]\\f",
                "",
                "'x'",
                "History"
            ]),
            [
                "Subsidie",
                "subsidie (2)",
                "Subsidie (3)",
                "a_b_c_d__e__f",
                "Blad",
                "x",
                "History_"
            ]
        );
        let long = "Inkomsten per bron per werkgroep 2012-2017";
        let names = named(&[long, long]);
        assert_eq!(names[0], "Inkomsten per bron per werkgroe");
        assert_eq!(names[0].chars().count(), 31);
        assert_eq!(names[1], "Inkomsten per bron per werk (2)");
        assert_eq!(utf16_len(&names[1]), 31);
        // Characters beyond the BMP count twice in UTF-16 and are not split.
        assert_eq!(valid_sheet_name(&"𝄞".repeat(20)), "𝄞".repeat(15));
    }

    #[test]
    fn xlsx_is_a_zip_with_one_sheet_per_table() {
        let a = table(vec![vec![
            Cell::Int(2012),
            Cell::Euros(2_449_000),
            Cell::Date(date(1850, 1, 1)),
            Cell::Text("=SUM(A1)".into()),
        ]]);
        let b = Table {
            name: "Register".into(),
            title: None,
            ..a.clone()
        };
        let bytes = xlsx(&[a, b]).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "a zip file");
        let find = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(find(b"xl/worksheets/sheet1.xml"));
        assert!(find(b"xl/worksheets/sheet2.xml"));
        assert!(!find(b"xl/worksheets/sheet3.xml"));
    }
}
