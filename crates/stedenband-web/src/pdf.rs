//! Printable documents as PDF, written by the program itself: a report page builds a [`Doc`]
//! (title, headings, paragraphs, tables, stacked bar charts, lists) and [`render`] lays it out on
//! A4 pages and returns the file's bytes. No browser, no font files.
//!
//! Text is set in two of the base-14 fonts every PDF reader has, Helvetica and Helvetica-Bold,
//! with WinAnsiEncoding. Text is encoded to WinAnsi (cp1252): Dutch, German and French letters,
//! Czech š and ž, €, typographic quotes and dashes are kept; what cp1252 lacks (č, ř, ł, ś, ...)
//! is transliterated with `deunicode` (`č` becomes `c`), never dropped. Widths come from the
//! fonts' AFM metrics (`pdf_metrics.rs`), so wrapping and right-aligned numbers are exact.
//!
//! Layout: margins of 50 pt; a page's content runs from 50 pt below the top edge down to
//! [`CONTENT_BOTTOM`], under which stands the running footer (the document's footer text and
//! "n / N"). Paragraphs, list items and table cells are wrapped at spaces and after hyphens (a
//! word longer than its line is cut). Tables size their columns from their content, right-align
//! the columns marked numeric, break across pages between rows (a row taller than a page is
//! split) and repeat their header row on every page. A one-line table row is [`TABLE_ROW`] pt
//! high, header included. A heading is never left alone at the bottom of a page: it moves to the
//! next page unless the start of what follows fits under it. A chart is never split.
//!
//! The module translates nothing: every visible word comes from the [`Doc`]. Only the figures a
//! chart prints itself (axis ticks and totals) are written with the language's digit grouping
//! (`24.490` in Dutch, `24,490` otherwise).
//!
//! Not done: tagged PDF (structure tree for screen readers; the HTML page is the accessible
//! form of a report), embedded fonts, compression of the page contents.

#[path = "pdf_metrics.rs"]
mod metrics;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A document to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Shown at the top of the first page and as the file's title (document information).
    pub title: String,
    /// A line under the title, e.g. the period or the date of the report.
    pub subtitle: Option<String>,
    /// The language of the text as a BCP 47 tag (`nl`, `en`): the catalog's `/Lang`, and the
    /// digit grouping of the figures in charts.
    pub lang: String,
    /// Text at the left of every page's footer (e.g. the organisation and the date); the page
    /// number "n / N" always stands at the right.
    pub footer: Option<String>,
    pub blocks: Vec<Block>,
}

/// One part of a document, laid out below the previous one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading (the level under the title).
    Heading(String),
    /// Running text, wrapped; a newline starts a new line.
    Paragraph(String),
    /// A table. Rows shorter than the widest row get empty cells.
    Table {
        /// Above the table, in bold; may be empty.
        caption: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Per column: right-aligned (figures). Missing entries are `false`.
        numeric: Vec<bool>,
    },
    /// A bar chart: one bar per category, the series stacked (the first at the bottom), each
    /// series in its own grey and hatching, with a legend when there is more than one, a
    /// labelled axis and each bar's total above it. Negative values are drawn as zero; a series
    /// shorter than the categories counts zero for the rest.
    Bars {
        /// Above the chart, in bold; may be empty.
        caption: String,
        /// Along the horizontal axis, e.g. years.
        categories: Vec<String>,
        /// (label, one value per category), in the unit named by `unit_label`.
        series: Vec<(String, Vec<i64>)>,
        /// What the values count, shown above the axis (e.g. "euro", "activiteiten").
        unit_label: String,
    },
    /// A bulleted list.
    List(Vec<String>),
}

/// Lays the document out and writes it as PDF.
pub fn render(doc: &Doc) -> Vec<u8> {
    write(doc, &layout(doc))
}

// Geometry, in PDF points (1/72 inch), origin at the bottom left of the page.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LEFT: f32 = MARGIN;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// The lowest point of a page's content; the footer stands below it.
pub const CONTENT_BOTTOM: f32 = 60.0;
const FOOTER_RULE: f32 = 46.0;
const FOOTER_BASELINE: f32 = 34.0;

const TITLE: Style = Style::new(Font::Bold, 20.0, 24.0);
const SUBTITLE: Style = Style::new(Font::Regular, 12.0, 16.0);
const HEADING: Style = Style::new(Font::Bold, 14.0, 18.0);
const BODY: Style = Style::new(Font::Regular, 10.0, 14.0);
const CAPTION: Style = Style::new(Font::Bold, 10.0, 14.0);
const CELL: Style = Style::new(Font::Regular, 9.0, 11.0);
const HEADER_CELL: Style = Style::new(Font::Bold, 9.0, 11.0);
const SMALL: Style = Style::new(Font::Regular, 8.0, 10.0);

/// Space between blocks, and the extra space above a heading.
const GAP: f32 = 10.0;
const HEADING_ABOVE: f32 = 8.0;
const HEADING_BELOW: f32 = 4.0;
const CAPTION_BELOW: f32 = 4.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 2.0;
/// The height of a table row of one line (header rows too).
pub const TABLE_ROW: f32 = CELL.leading + 2.0 * CELL_PAD_Y;
const LIST_INDENT: f32 = 16.0;
const LIST_ITEM_GAP: f32 = 3.0;
const CHART_PLOT_HEIGHT: f32 = 170.0;
const LEGEND_SWATCH: f32 = 10.0;
const LEGEND_ROW: f32 = 14.0;

const TEXT_GRAY: f32 = 0.0;
const MUTED_GRAY: f32 = 0.3;
const RULE_GRAY: f32 = 0.3;
const HAIRLINE_GRAY: f32 = 0.78;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Regular => &metrics::HELVETICA,
            Font::Bold => &metrics::HELVETICA_BOLD,
        }
    }

    /// The name of the font in every page's resources.
    fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    /// The width of WinAnsi-encoded text at `size` pt.
    fn width(self, text: &[u8], size: f32) -> f32 {
        let units: u32 = text
            .iter()
            .map(|&b| match b {
                32..=255 => u32::from(self.widths()[usize::from(b - 32)]),
                _ => 0,
            })
            .sum();
        units as f32 * size / 1000.0
    }
}

/// A font at a size, with the distance between baselines.
#[derive(Debug, Clone, Copy)]
struct Style {
    font: Font,
    size: f32,
    leading: f32,
}

impl Style {
    const fn new(font: Font, size: f32, leading: f32) -> Self {
        Self {
            font,
            size,
            leading,
        }
    }

    fn width(self, text: &[u8]) -> f32 {
        self.font.width(text, self.size)
    }

    /// The baseline of a line whose box (one leading high) starts at `top`: Helvetica's
    /// capitals (0.72 of the size) and descenders (0.21) centred in the box.
    fn baseline(self, top: f32) -> f32 {
        top - (self.leading - 0.93 * self.size) / 2.0 - 0.72 * self.size
    }
}

// ---------------------------------------------------------------------------------------------
// Text: WinAnsi encoding and wrapping.

/// The WinAnsi (cp1252) code of a character, when it has one. The five codes cp1252 leaves
/// undefined are not produced.
fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => Some(match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => return None,
        }),
    }
}

/// Encodes text to WinAnsi: characters cp1252 has are kept, the rest transliterated to ASCII
/// (`deunicode`), or `?` when there is no transliteration. Control characters become spaces,
/// thin and narrow no-break spaces a no-break space, the soft hyphen disappears.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{AD}' => {}
            '\u{2007}' | '\u{2009}' | '\u{202F}' => out.push(0xA0),
            '\u{2010}' | '\u{2011}' | '\u{2212}' => out.push(b'-'),
            c if c.is_control() => out.push(b' '),
            c => match win_ansi(c) {
                Some(b) => out.push(b),
                None => match deunicode::deunicode_char(c) {
                    Some(ascii) => out.extend(
                        ascii
                            .bytes()
                            .map(|b| if (0x20..0x7F).contains(&b) { b } else { b' ' }),
                    ),
                    None => out.push(b'?'),
                },
            },
        }
    }
    out
}

/// Breaks text into lines no wider than `width`: at spaces and after a hyphen or en dash inside
/// a word, and inside a word only when it is wider than a line by itself. A newline in the text
/// starts a new line. Always at least one line (maybe empty).
fn wrap(text: &str, style: Style, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for hard_line in text.split('\n') {
        wrap_line(&encode(hard_line), style, width, &mut lines);
    }
    lines
}

fn wrap_line(text: &[u8], style: Style, width: f32, lines: &mut Vec<Vec<u8>>) {
    const SLACK: f32 = 0.001;
    let space = style.width(b" ");
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        for (i, piece) in split_after_dashes(word).into_iter().enumerate() {
            let separator = if i == 0 && !line.is_empty() {
                space
            } else {
                0.0
            };
            let piece_width = style.width(piece);
            if line_width + separator + piece_width <= width + SLACK {
                if separator > 0.0 {
                    line.push(b' ');
                }
                line.extend_from_slice(piece);
                line_width += separator + piece_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            // The piece starts a line; cut it where it is wider than one.
            for &b in piece {
                let w = style.width(&[b]);
                if line_width + w > width + SLACK && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(b);
                line_width += w;
            }
        }
    }
    lines.push(line);
}

/// A word cut after each hyphen (`-`) or en dash (0x96) that has something on both sides.
fn split_after_dashes(word: &[u8]) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for i in 1..word.len().saturating_sub(1) {
        if matches!(word[i], b'-' | 0x96) && !matches!(word[i - 1], b'-' | 0x96) {
            pieces.push(&word[start..=i]);
            start = i + 1;
        }
    }
    pieces.push(&word[start..]);
    pieces
}

/// The widest of a text's lines (split at newlines only).
fn natural_width(text: &str, style: Style) -> f32 {
    text.split('\n')
        .map(|line| style.width(&encode(line)))
        .fold(0.0, f32::max)
}

/// The widest piece a line break cannot cut (a word, or a word's part after a hyphen).
fn longest_piece(text: &str, style: Style) -> f32 {
    let encoded = encode(text);
    encoded
        .split(|&b| b == b' ' || b == b'\n')
        .flat_map(split_after_dashes)
        .map(|piece| style.width(piece))
        .fold(0.0, f32::max)
}

/// An integer with the language's digit grouping: `24.490` in Dutch, `24,490` otherwise.
fn group_digits(value: i64, lang: &str) -> String {
    let separator =
        if lang.eq_ignore_ascii_case("nl") || lang.to_ascii_lowercase().starts_with("nl-") {
            '.'
        } else {
            ','
        };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// The step between axis ticks: 1, 2 or 5 times a power of ten, so that at most five steps
/// reach `max` (at least 1).
fn tick_step(max: i64) -> i64 {
    let target = (max.max(1) + 4) / 5;
    let mut magnitude: i64 = 1;
    while magnitude.saturating_mul(10) <= target {
        magnitude = magnitude.saturating_mul(10);
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| magnitude.saturating_mul(m))
        .find(|&step| step >= target)
        .unwrap_or(i64::MAX)
}

// ---------------------------------------------------------------------------------------------
// Layout: blocks become drawing operations on pages.

/// The fill and hatching of a chart series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hatch {
    None,
    Slash,
    Backslash,
    Cross,
    Horizontal,
    Vertical,
    Dots,
}

/// Series styles, in order: each differs from the others in grey level and in hatching.
const SERIES_STYLES: [(f32, Hatch); 8] = [
    (0.30, Hatch::None),
    (0.85, Hatch::Slash),
    (0.58, Hatch::Dots),
    (1.00, Hatch::Cross),
    (0.45, Hatch::Horizontal),
    (0.94, Hatch::Backslash),
    (0.70, Hatch::Vertical),
    (0.15, Hatch::Slash),
];

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// WinAnsi text with its baseline starting at (x, y).
    Text {
        x: f32,
        y: f32,
        font: Font,
        size: f32,
        gray: f32,
        text: Vec<u8>,
    },
    /// A filled rectangle, (x, y) its lower left corner.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        gray: f32,
    },
    /// A chart segment or legend swatch in the style of series `style`: fill, hatching and a
    /// thin outline.
    Swatch {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        style: usize,
    },
}

/// A block with its text wrapped and its size measured.
enum Prepared {
    Heading(Vec<Vec<u8>>),
    Paragraph(Vec<Vec<u8>>),
    List(Vec<Vec<Vec<u8>>>),
    Table(Table),
    Chart(Chart),
}

/// Lines of a cell.
type Cell = Vec<Vec<u8>>;

struct Table {
    caption: Vec<Vec<u8>>,
    widths: Vec<f32>,
    numeric: Vec<bool>,
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

fn row_height(cells: &[Cell]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * CELL.leading + 2.0 * CELL_PAD_Y
}

impl Table {
    fn prepare(caption: &str, header: &[String], rows: &[Vec<String>], numeric: &[bool]) -> Self {
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([header.len()])
            .max()
            .unwrap_or(0);
        let mut natural = vec![0.0_f32; columns];
        let mut minimum = vec![0.0_f32; columns];
        for i in 0..columns {
            let texts = std::iter::once((cell_text(header, i), HEADER_CELL))
                .chain(rows.iter().map(|row| (cell_text(row, i), CELL)));
            for (text, style) in texts {
                natural[i] = natural[i].max(natural_width(text, style));
                minimum[i] = minimum[i].max(longest_piece(text, style));
            }
        }
        // A column is at least as wide as its longest word (but no word may claim more than a
        // third of the page: longer ones are cut) and at most as wide as its longest line.
        let padding = 2.0 * CELL_PAD_X;
        let minimum: Vec<f32> = minimum
            .iter()
            .map(|&w| (w + padding).clamp(24.0, WIDTH / 3.0))
            .collect();
        let natural: Vec<f32> = natural
            .iter()
            .zip(&minimum)
            .map(|(&n, &m)| (n + padding).max(m))
            .collect();
        let natural_sum: f32 = natural.iter().sum();
        let minimum_sum: f32 = minimum.iter().sum();
        let widths = if natural_sum <= WIDTH {
            natural
        } else if minimum_sum >= WIDTH {
            minimum.iter().map(|w| w * WIDTH / minimum_sum).collect()
        } else {
            // Share the room above the minimums out in proportion to what each column wants.
            let extra = WIDTH - minimum_sum;
            let wanted = natural_sum - minimum_sum;
            natural
                .iter()
                .zip(&minimum)
                .map(|(n, m)| m + extra * (n - m) / wanted)
                .collect()
        };
        let wrap_row = |row: &[String], style: Style| -> Vec<Cell> {
            (0..columns)
                .map(|i| wrap(cell_text(row, i), style, widths[i] - padding))
                .collect()
        };
        Table {
            caption: wrap_optional(caption, CAPTION, WIDTH),
            header: wrap_row(header, HEADER_CELL),
            rows: rows.iter().map(|row| wrap_row(row, CELL)).collect(),
            numeric: (0..columns)
                .map(|i| numeric.get(i).copied().unwrap_or(false))
                .collect(),
            widths,
        }
    }

    fn caption_height(&self) -> f32 {
        caption_height(&self.caption)
    }

    fn header_height(&self) -> f32 {
        if self.widths.is_empty() {
            0.0
        } else {
            row_height(&self.header)
        }
    }
}

fn cell_text(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// The height a row needs on the page it starts on: all of it, or three lines of a taller one
/// (which is split).
fn row_start_height(cells: &[Cell]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).clamp(1, 3);
    lines as f32 * CELL.leading + 2.0 * CELL_PAD_Y
}

/// Wrapped lines, or none for an empty text.
fn wrap_optional(text: &str, style: Style, width: f32) -> Vec<Vec<u8>> {
    if text.trim().is_empty() {
        Vec::new()
    } else {
        wrap(text, style, width)
    }
}

fn caption_height(lines: &[Vec<u8>]) -> f32 {
    if lines.is_empty() {
        0.0
    } else {
        lines.len() as f32 * CAPTION.leading + CAPTION_BELOW
    }
}

struct Chart {
    caption: Vec<Vec<u8>>,
    unit_label: Vec<Vec<u8>>,
    categories: Vec<Vec<u8>>,
    /// Per series: its label and its values per category (negatives as zero).
    series: Vec<(Vec<u8>, Vec<i64>)>,
    totals: Vec<i64>,
    step: i64,
    axis_max: i64,
    lang: String,
    /// The legend's entries: (row, x offset) per series.
    legend: Vec<(usize, f32)>,
    legend_rows: usize,
}

const LEGEND: Style = Style::new(Font::Regular, 8.5, LEGEND_ROW);
const AXIS_LABEL: Style = SMALL;
const VALUE_LABEL: Style = Style::new(Font::Bold, 8.0, 10.0);

impl Chart {
    fn prepare(
        caption: &str,
        categories: &[String],
        series: &[(String, Vec<i64>)],
        unit_label: &str,
        lang: &str,
    ) -> Self {
        let mut series: Vec<(Vec<u8>, Vec<i64>)> = series
            .iter()
            .map(|(label, values)| {
                let values = (0..categories.len())
                    .map(|c| values.get(c).copied().unwrap_or(0).max(0))
                    .collect();
                (encode(label), values)
            })
            .collect();
        let totals: Vec<i64> = (0..categories.len())
            .map(|c| {
                series
                    .iter()
                    .map(|(_, v)| v[c])
                    .fold(0, i64::saturating_add)
            })
            .collect();
        let max = totals.iter().copied().max().unwrap_or(0);
        let step = tick_step(max);
        let axis_max = step.saturating_mul((max.saturating_add(step - 1) / step).max(1));
        // The legend flows from left to right and wraps (only for stacked series).
        let mut legend = Vec::new();
        let mut row = 0;
        let mut x = 0.0;
        if series.len() > 1 {
            for (label, _) in &mut series {
                *label = fit(label, LEGEND, WIDTH - LEGEND_SWATCH - 4.0);
                let w = LEGEND_SWATCH + 4.0 + LEGEND.width(label);
                if x > 0.0 && x + w > WIDTH {
                    row += 1;
                    x = 0.0;
                }
                legend.push((row, x));
                x += w + 14.0;
            }
        }
        let legend_rows = if legend.is_empty() { 0 } else { row + 1 };
        Chart {
            caption: wrap_optional(caption, CAPTION, WIDTH),
            unit_label: wrap_optional(unit_label, SMALL, WIDTH),
            categories: categories.iter().map(|c| encode(c)).collect(),
            series,
            totals,
            step,
            axis_max,
            lang: lang.to_owned(),
            legend,
            legend_rows,
        }
    }

    fn height(&self) -> f32 {
        if self.categories.is_empty() {
            return caption_height(&self.caption);
        }
        caption_height(&self.caption)
            + self.unit_label.len() as f32 * SMALL.leading
            + VALUE_LABEL.leading // room for the totals above the highest bar
            + CHART_PLOT_HEIGHT
            + 4.0
            + SMALL.leading // the category labels
            + if self.legend_rows > 0 {
                6.0 + self.legend_rows as f32 * LEGEND_ROW
            } else {
                0.0
            }
    }
}

/// The blocks measured; those that would show nothing (an empty text or list, a table without
/// columns or a chart without categories, and without a caption) are left out.
fn prepare(doc: &Doc) -> Vec<Prepared> {
    doc.blocks
        .iter()
        .filter(|block| match block {
            Block::Heading(text) | Block::Paragraph(text) => !text.trim().is_empty(),
            Block::List(items) => !items.is_empty(),
            Block::Table {
                caption,
                header,
                rows,
                ..
            } => {
                !caption.trim().is_empty()
                    || !header.is_empty()
                    || rows.iter().any(|r| !r.is_empty())
            }
            Block::Bars {
                caption,
                categories,
                ..
            } => !caption.trim().is_empty() || !categories.is_empty(),
        })
        .map(|block| match block {
            Block::Heading(text) => Prepared::Heading(wrap(text, HEADING, WIDTH)),
            Block::Paragraph(text) => Prepared::Paragraph(wrap(text, BODY, WIDTH)),
            Block::List(items) => Prepared::List(
                items
                    .iter()
                    .map(|item| wrap(item, BODY, WIDTH - LIST_INDENT))
                    .collect(),
            ),
            Block::Table {
                caption,
                header,
                rows,
                numeric,
            } => Prepared::Table(Table::prepare(caption, header, rows, numeric)),
            Block::Bars {
                caption,
                categories,
                series,
                unit_label,
            } => Prepared::Chart(Chart::prepare(
                caption, categories, series, unit_label, &doc.lang,
            )),
        })
        .collect()
}

/// The height the start of the blocks needs on the page it begins on, the space above it
/// included: what a heading above must be kept with.
fn lead_height(blocks: &[Prepared]) -> f32 {
    let Some(first) = blocks.first() else {
        return 0.0;
    };
    GAP + match first {
        Prepared::Heading(lines) => {
            HEADING_ABOVE
                + lines.len() as f32 * HEADING.leading
                + HEADING_BELOW
                + lead_height(&blocks[1..])
        }
        Prepared::Paragraph(lines) => lines.len().min(2) as f32 * BODY.leading,
        Prepared::List(items) => {
            items.first().map_or(0, |lines| lines.len().min(2)) as f32 * BODY.leading
        }
        Prepared::Table(table) => {
            table.caption_height()
                + table.header_height()
                + table.rows.first().map_or(0.0, |row| row_start_height(row))
        }
        Prepared::Chart(chart) => chart.height(),
    }
}

/// Pages of drawing operations, filled from the top.
struct Pages {
    pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Pages {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("there is always a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        self.y - CONTENT_BOTTOM
    }

    fn at_top(&self) -> bool {
        self.y >= TOP
    }

    /// Starts a new page unless `height` fits on this one (or this one is still empty).
    fn ensure(&mut self, height: f32) {
        if height > self.room() + 0.001 && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y -= height;
        }
    }

    fn text(&mut self, x: f32, top: f32, style: Style, gray: f32, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        let op = Op::Text {
            x,
            y: style.baseline(top),
            font: style.font,
            size: style.size,
            gray,
            text: text.to_vec(),
        };
        self.ops().push(op);
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, gray: f32) {
        self.ops().push(Op::Line {
            from,
            to,
            width,
            gray,
        });
    }

    /// Lines of text one under the other, breaking the page where they do not fit.
    fn lines(&mut self, x: f32, lines: &[Vec<u8>], style: Style, gray: f32) {
        for line in lines {
            self.ensure(style.leading);
            self.text(x, self.y, style, gray, line);
            self.y -= style.leading;
        }
    }

    fn title(&mut self, doc: &Doc) {
        self.lines(LEFT, &wrap(&doc.title, TITLE, WIDTH), TITLE, TEXT_GRAY);
        if let Some(subtitle) = doc.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            self.y -= 2.0;
            self.lines(LEFT, &wrap(subtitle, SUBTITLE, WIDTH), SUBTITLE, MUTED_GRAY);
        }
        self.y -= 6.0;
        let y = self.y;
        self.line((LEFT, y), (RIGHT, y), 0.75, RULE_GRAY);
        self.y -= 14.0;
    }

    fn heading(&mut self, lines: &[Vec<u8>], following: &[Prepared]) {
        let height = lines.len() as f32 * HEADING.leading + HEADING_BELOW;
        self.ensure(HEADING_ABOVE + height + lead_height(following));
        self.space(HEADING_ABOVE);
        self.lines(LEFT, lines, HEADING, TEXT_GRAY);
        self.y -= HEADING_BELOW;
    }

    fn paragraph(&mut self, lines: &[Vec<u8>]) {
        // No single first line at the bottom of a page.
        self.ensure(lines.len().min(2) as f32 * BODY.leading);
        self.lines(LEFT, lines, BODY, TEXT_GRAY);
    }

    fn list(&mut self, items: &[Vec<Vec<u8>>]) {
        for (i, lines) in items.iter().enumerate() {
            if i > 0 {
                self.space(LIST_ITEM_GAP);
            }
            self.ensure(lines.len().min(2) as f32 * BODY.leading);
            self.text(LEFT + 4.0, self.y, BODY, TEXT_GRAY, &[0x95]);
            self.lines(LEFT + LIST_INDENT, lines, BODY, TEXT_GRAY);
        }
    }

    fn caption(&mut self, lines: &[Vec<u8>]) {
        if !lines.is_empty() {
            self.lines(LEFT, lines, CAPTION, TEXT_GRAY);
            self.y -= CAPTION_BELOW;
        }
    }

    fn table(&mut self, table: &Table) {
        if table.widths.is_empty() {
            self.ensure(table.caption_height());
            self.caption(&table.caption);
            return;
        }
        let first_row = table.rows.first().map_or(0.0, |row| row_start_height(row));
        self.ensure(table.caption_height() + table.header_height() + first_row);
        self.caption(&table.caption);
        self.table_row(table, &table.header, 0, true);
        let full_page = TOP - CONTENT_BOTTOM - table.header_height();
        for row in &table.rows {
            let height = row_height(row);
            if height > self.room() && height <= full_page {
                self.new_page();
                self.table_row(table, &table.header, 0, true);
            }
            // A row taller than a page goes on in pieces, each page with the header again.
            let lines = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let mut start = 0;
            let mut fresh = false;
            while start < lines {
                let fit = ((self.room() - 2.0 * CELL_PAD_Y) / CELL.leading + 0.001).floor();
                let fit = if fit >= 1.0 { fit as usize } else { 0 };
                // A header taller than a page leaves no room even on a new page: go on with
                // one line per page rather than adding empty pages for ever.
                let fit = if fit == 0 && fresh { 1 } else { fit };
                if fit == 0 {
                    self.new_page();
                    self.table_row(table, &table.header, 0, true);
                    fresh = true;
                    continue;
                }
                fresh = false;
                let end = lines.min(start + fit);
                let piece: Vec<Cell> = row
                    .iter()
                    .map(|cell| cell[start.min(cell.len())..end.min(cell.len())].to_vec())
                    .collect();
                self.table_row(table, &piece, end - start, false);
                start = end;
            }
        }
        let y = self.y;
        let right = LEFT + table.widths.iter().sum::<f32>();
        self.line((LEFT, y), (right, y), 0.75, RULE_GRAY);
    }

    /// Draws one row (or a piece of one, `lines` high when not 0) at the cursor.
    fn table_row(&mut self, table: &Table, cells: &[Cell], lines: usize, header: bool) {
        let height = if lines == 0 {
            row_height(cells)
        } else {
            lines as f32 * CELL.leading + 2.0 * CELL_PAD_Y
        };
        let style = if header { HEADER_CELL } else { CELL };
        let right = LEFT + table.widths.iter().sum::<f32>();
        let top = self.y;
        if header {
            self.ops().push(Op::Fill {
                x: LEFT,
                y: top - height,
                w: right - LEFT,
                h: height,
                gray: 0.9,
            });
        }
        let mut x = LEFT;
        for ((cell, &width), &numeric) in cells.iter().zip(&table.widths).zip(&table.numeric) {
            for (j, line) in cell.iter().enumerate() {
                let line_top = top - CELL_PAD_Y - j as f32 * CELL.leading;
                let text_x = if numeric {
                    x + width - CELL_PAD_X - style.width(line)
                } else {
                    x + CELL_PAD_X
                };
                self.text(text_x, line_top, style, TEXT_GRAY, line);
            }
            x += width;
        }
        self.y -= height;
        let y = self.y;
        if header {
            self.line((LEFT, y), (right, y), 0.75, RULE_GRAY);
        } else {
            self.line((LEFT, y), (right, y), 0.25, HAIRLINE_GRAY);
        }
    }

    fn chart(&mut self, chart: &Chart) {
        self.ensure(chart.height());
        self.caption(&chart.caption);
        if chart.categories.is_empty() {
            return;
        }
        self.lines(LEFT, &chart.unit_label, SMALL, MUTED_GRAY);
        self.y -= VALUE_LABEL.leading;

        // The axis: tick labels right-aligned left of the plot, grid lines across it.
        let ticks: Vec<(i64, Vec<u8>)> = (0..)
            .map(|i: i64| i.saturating_mul(chart.step))
            .take_while(|&v| v <= chart.axis_max)
            .map(|v| (v, encode(&group_digits(v, &chart.lang))))
            .collect();
        let label_width = ticks
            .iter()
            .map(|(_, label)| AXIS_LABEL.width(label))
            .fold(0.0, f32::max);
        let plot_left = LEFT + label_width + 6.0;
        let plot_width = RIGHT - plot_left;
        let plot_top = self.y;
        let plot_bottom = plot_top - CHART_PLOT_HEIGHT;
        let scale = CHART_PLOT_HEIGHT / chart.axis_max as f32;
        let to_y = |value: i64| plot_bottom + value as f32 * scale;
        for (value, label) in &ticks {
            let y = to_y(*value);
            let (width, gray) = if *value == 0 { (0.8, 0.2) } else { (0.4, 0.82) };
            self.line((plot_left, y), (RIGHT, y), width, gray);
            let x = plot_left - 4.0 - AXIS_LABEL.width(label);
            self.ops().push(Op::Text {
                x,
                y: y - AXIS_LABEL.size * 0.35,
                font: AXIS_LABEL.font,
                size: AXIS_LABEL.size,
                gray: MUTED_GRAY,
                text: label.clone(),
            });
        }

        // The bars, stacked from the bottom, with their totals above them.
        let count = chart.categories.len().max(1);
        let slot = plot_width / count as f32;
        let bar_width = (slot * 0.62).min(56.0);
        let widest_category = chart
            .categories
            .iter()
            .map(|c| AXIS_LABEL.width(c))
            .fold(0.0, f32::max);
        // Every n-th category label when they do not all fit; none wider than the plot.
        let label_every = ((widest_category + 4.0) / slot)
            .ceil()
            .clamp(1.0, count as f32) as usize;
        let label_room = (slot * label_every as f32 - 4.0).min(plot_width);
        for (c, category) in chart.categories.iter().enumerate() {
            let centre = plot_left + slot * (c as f32 + 0.5);
            let x = centre - bar_width / 2.0;
            let mut bottom = 0_i64;
            for (s, (_, values)) in chart.series.iter().enumerate() {
                let value = values[c];
                if value > 0 {
                    let y = to_y(bottom);
                    let top = to_y(bottom.saturating_add(value));
                    self.ops().push(Op::Swatch {
                        x,
                        y,
                        w: bar_width,
                        h: top - y,
                        style: s,
                    });
                }
                bottom = bottom.saturating_add(value);
            }
            let total = encode(&group_digits(chart.totals[c], &chart.lang));
            let mut size = VALUE_LABEL.size;
            while VALUE_LABEL.font.width(&total, size) > slot - 2.0 && size > 5.0 {
                size -= 0.5;
            }
            let width = VALUE_LABEL.font.width(&total, size);
            if width <= slot - 1.0 {
                self.ops().push(Op::Text {
                    x: centre - width / 2.0,
                    y: to_y(chart.totals[c]) + 3.0,
                    font: VALUE_LABEL.font,
                    size,
                    gray: TEXT_GRAY,
                    text: total,
                });
            }
            if c.is_multiple_of(label_every) {
                let category = fit(category, AXIS_LABEL, label_room);
                let width = AXIS_LABEL.width(&category);
                let x = (centre - width / 2.0).clamp(plot_left, RIGHT - width);
                self.text(x, plot_bottom - 4.0, AXIS_LABEL, TEXT_GRAY, &category);
            }
        }
        self.y = plot_bottom - 4.0 - SMALL.leading;

        // The legend.
        if chart.legend_rows > 0 {
            self.y -= 6.0;
            for (s, &(row, offset)) in chart.legend.iter().enumerate() {
                let top = self.y - row as f32 * LEGEND_ROW;
                let x = LEFT + offset;
                self.ops().push(Op::Swatch {
                    x,
                    y: top - (LEGEND_ROW + LEGEND_SWATCH) / 2.0,
                    w: LEGEND_SWATCH,
                    h: LEGEND_SWATCH,
                    style: s,
                });
                let label = chart.series[s].0.clone();
                self.text(x + LEGEND_SWATCH + 4.0, top, LEGEND, TEXT_GRAY, &label);
            }
            self.y -= chart.legend_rows as f32 * LEGEND_ROW;
        }
    }
}

/// Lays the document out: one list of drawing operations per page (the footer comes later,
/// when the number of pages is known).
fn layout(doc: &Doc) -> Vec<Vec<Op>> {
    let blocks = prepare(doc);
    let mut pages = Pages::new();
    pages.title(doc);
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            pages.space(GAP);
        }
        match block {
            Prepared::Heading(lines) => pages.heading(lines, &blocks[i + 1..]),
            Prepared::Paragraph(lines) => pages.paragraph(lines),
            Prepared::List(items) => pages.list(items),
            Prepared::Table(table) => pages.table(table),
            Prepared::Chart(chart) => pages.chart(chart),
        }
    }
    pages.pages
}

// ---------------------------------------------------------------------------------------------
// Writing the file.

fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The operations of one page (and its footer) as a content stream.
fn page_content(ops: &[Op], footer: &[u8], number: usize, count: usize) -> Vec<u8> {
    let mut content = Content::new();
    for op in ops {
        draw(&mut content, op);
    }
    // The footer: a rule, the document's footer text at the left, "n / N" at the right.
    draw(
        &mut content,
        &Op::Line {
            from: (LEFT, FOOTER_RULE),
            to: (RIGHT, FOOTER_RULE),
            width: 0.4,
            gray: 0.6,
        },
    );
    let page_number = format!("{number} / {count}").into_bytes();
    let number_width = SMALL.width(&page_number);
    draw(
        &mut content,
        &Op::Text {
            x: RIGHT - number_width,
            y: FOOTER_BASELINE,
            font: SMALL.font,
            size: SMALL.size,
            gray: MUTED_GRAY,
            text: page_number,
        },
    );
    if !footer.is_empty() {
        draw(
            &mut content,
            &Op::Text {
                x: LEFT,
                y: FOOTER_BASELINE,
                font: SMALL.font,
                size: SMALL.size,
                gray: MUTED_GRAY,
                text: footer.to_vec(),
            },
        );
    }
    content.finish().into_vec()
}

fn draw(content: &mut Content, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            font,
            size,
            gray,
            text,
        } => {
            content
                .begin_text()
                .set_font(font.resource(), *size)
                .set_fill_gray(*gray)
                .next_line(round(*x), round(*y))
                .show(Str(text))
                .end_text();
        }
        Op::Fill { x, y, w, h, gray } => {
            content
                .set_fill_gray(*gray)
                .rect(round(*x), round(*y), round(*w), round(*h))
                .fill_nonzero();
        }
        Op::Line {
            from,
            to,
            width,
            gray,
        } => {
            content
                .set_line_width(*width)
                .set_stroke_gray(*gray)
                .move_to(round(from.0), round(from.1))
                .line_to(round(to.0), round(to.1))
                .stroke();
        }
        Op::Swatch { x, y, w, h, style } => {
            let (fill, hatch) = SERIES_STYLES[*style % SERIES_STYLES.len()];
            let (x, y, w, h) = (round(*x), round(*y), round(*w), round(*h));
            content.set_fill_gray(fill).rect(x, y, w, h).fill_nonzero();
            if hatch != Hatch::None {
                // Hatching in a contrasting ink, clipped to the rectangle.
                let ink = if fill < 0.6 { 1.0 } else { 0.15 };
                content
                    .save_state()
                    .rect(x, y, w, h)
                    .clip_nonzero()
                    .end_path();
                content.set_line_width(0.6).set_stroke_gray(ink);
                hatch_lines(content, hatch, x, y, w, h, ink);
                content.restore_state();
            }
            content
                .set_line_width(0.5)
                .set_stroke_gray(0.1)
                .rect(x, y, w, h)
                .stroke();
        }
    }
}

fn hatch_lines(content: &mut Content, hatch: Hatch, x: f32, y: f32, w: f32, h: f32, ink: f32) {
    const GAP: f32 = 3.5;
    let diagonal = |content: &mut Content, rising: bool| {
        let mut offset = -h;
        while offset < w {
            let (x0, x1) = if rising {
                (x + offset, x + offset + h)
            } else {
                (x + offset + h, x + offset)
            };
            content.move_to(x0, y).line_to(x1, y + h);
            offset += GAP * 1.4;
        }
    };
    match hatch {
        Hatch::None => return,
        Hatch::Slash => diagonal(content, true),
        Hatch::Backslash => diagonal(content, false),
        Hatch::Cross => {
            diagonal(content, true);
            diagonal(content, false);
        }
        Hatch::Horizontal => {
            let mut yy = y + GAP / 2.0;
            while yy < y + h {
                content.move_to(x, yy).line_to(x + w, yy);
                yy += GAP;
            }
        }
        Hatch::Vertical => {
            let mut xx = x + GAP / 2.0;
            while xx < x + w {
                content.move_to(xx, y).line_to(xx, y + h);
                xx += GAP;
            }
        }
        Hatch::Dots => {
            content.set_fill_gray(ink);
            let mut yy = y + 1.5;
            let mut row = 0_u32;
            while yy < y + h {
                let mut xx = x + if row.is_multiple_of(2) { 1.5 } else { 3.5 };
                while xx < x + w {
                    content.rect(xx - 0.6, yy - 0.6, 1.2, 1.2);
                    xx += 4.0;
                }
                yy += 2.5;
                row += 1;
            }
            content.fill_nonzero();
            return;
        }
    }
    content.stroke();
}

/// Cuts text to `width`, ending it with an ellipsis when it was longer.
fn fit(text: &[u8], style: Style, width: f32) -> Vec<u8> {
    if style.width(text) <= width {
        return text.to_vec();
    }
    let ellipsis = style.width(&[0x85]);
    let mut out = Vec::new();
    let mut used = 0.0;
    for &b in text {
        let w = style.width(&[b]);
        if used + w + ellipsis > width {
            break;
        }
        out.push(b);
        used += w;
    }
    out.push(0x85);
    out
}

fn write(doc: &Doc, pages: &[Vec<Op>]) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    let regular_id = Ref::new(4);
    let bold_id = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id);
    if !doc.lang.trim().is_empty() {
        catalog.lang(TextStr(doc.lang.trim()));
    }
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();

    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&doc.title));
    if let Some(subtitle) = &doc.subtitle {
        info.subject(TextStr(subtitle));
    }
    info.producer(TextStr("Stedenband"));
    info.finish();

    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    for (id, name) in [(regular_id, "Helvetica"), (bold_id, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    // The footer text, cut to leave room for the page number.
    let footer = doc
        .footer
        .as_deref()
        .map(|f| fit(&encode(f), SMALL, WIDTH - 80.0))
        .unwrap_or_default();
    for (i, ops) in pages.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree_id);
        page.contents(content_id);
        let mut resources = page.resources();
        resources
            .fonts()
            .pair(Font::Regular.resource(), regular_id)
            .pair(Font::Bold.resource(), bold_id);
        resources.finish();
        page.finish();
        pdf.stream(content_id, &page_content(ops, &footer, i + 1, pages.len()));
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_ops(page: &[Op]) -> Vec<(f32, f32, String)> {
        page.iter()
            .filter_map(|op| match op {
                Op::Text { x, y, text, .. } => {
                    Some((*x, *y, text.iter().map(|&b| char::from(b)).collect()))
                }
                _ => None,
            })
            .collect()
    }

    fn doc(blocks: Vec<Block>) -> Doc {
        Doc {
            title: "Titel".into(),
            subtitle: None,
            lang: "nl".into(),
            footer: None,
            blocks,
        }
    }

    #[test]
    fn cp1252_characters_are_kept_with_their_codes() {
        // The codes from the cp1252 table (Microsoft's bestfit1252 / the PDF spec, annex D).
        assert_eq!(
            encode("é ë ü ß"),
            [0xE9, b' ', 0xEB, b' ', 0xFC, b' ', 0xDF]
        );
        assert_eq!(encode("€"), [0x80]);
        assert_eq!(encode("‘’“”„"), [0x91, 0x92, 0x93, 0x94, 0x84]);
        assert_eq!(encode("–—…•"), [0x96, 0x97, 0x85, 0x95]);
        assert_eq!(
            encode("Šš Žž Ÿ"),
            [0x8A, 0x9A, b' ', 0x8E, 0x9E, b' ', 0x9F]
        );
        assert_eq!(encode("a\u{A0}b"), [b'a', 0xA0, b'b']);
    }

    #[test]
    fn characters_outside_cp1252_are_transliterated_not_dropped() {
        assert_eq!(encode("Přerov, Łódź, Hranice – Česko"), {
            let mut want = b"Prerov, L".to_vec();
            want.push(0xF3);
            want.extend(b"dz, Hranice ");
            want.push(0x96);
            want.extend(b" Cesko");
            want
        });
        // ó is in cp1252, ź and ł are not.
        assert_eq!(encode("ółź"), [0xF3, b'l', b'z']);
        assert_eq!(encode("Ωμέγα")[0], b'O');
        assert!(!encode("漢").is_empty());
        assert_eq!(
            encode("a\tb\u{AD}c\u{202F}d"),
            [b'a', b' ', b'b', b'c', 0xA0, b'd']
        );
    }

    #[test]
    fn widths_are_the_afm_widths() {
        // From Helvetica.afm: H 722, e 556, l 222, o 556; Helvetica-Bold.afm: l 278, o 611.
        assert!((Font::Regular.width(b"Hello", 1000.0) - 2278.0).abs() < 0.01);
        assert!(
            (Font::Bold.width(b"Hello", 1000.0) - (722.0 + 556.0 + 278.0 + 278.0 + 611.0)).abs()
                < 0.01
        );
        // Digits are all 556 wide in both fonts, so figures line up.
        for font in [Font::Regular, Font::Bold] {
            for d in b'0'..=b'9' {
                assert_eq!(font.width(&[d], 10.0), 5.56);
            }
        }
        // € (0x80) 556, é (0xE9) 556, W 944, ‰ (0x89) 1000 in Helvetica.
        assert_eq!(Font::Regular.width(&[0x80, 0xE9], 1000.0), 1112.0);
        assert_eq!(Font::Regular.width(b"W", 1000.0), 944.0);
        assert_eq!(Font::Regular.width(&[0x89], 1000.0), 1000.0);
    }

    #[test]
    fn wrapping_keeps_every_word_and_stays_within_the_width() {
        let text = "De stedenband tussen Leidschendam-Voorburg en Hranice na Moravě werd in 1991 \
                    gesloten; het Nederlands-Tsjechische comité (één van de oudste) telt €24.490.";
        for width in [80.0, 100.0, 150.0, 300.0] {
            let lines = wrap(text, BODY, width);
            for line in &lines {
                assert!(BODY.width(line) <= width + 0.01, "{width}: {line:?}");
            }
            // Joined again (a space where a line ended after a space), the text is the same.
            let joined: Vec<u8> = lines.iter().fold(Vec::new(), |mut acc, line| {
                if !acc.is_empty() && !acc.ends_with(b"-") {
                    acc.push(b' ');
                }
                acc.extend(line);
                acc
            });
            assert_eq!(joined, encode(text), "{width}");
        }
        assert_eq!(
            wrap("Leidschendam-Voorburg", BODY, 80.0),
            [b"Leidschendam-".to_vec(), b"Voorburg".to_vec()]
        );
        // A word wider than the line is cut.
        let long = "x".repeat(100);
        let lines = wrap(&long, BODY, 50.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long.as_bytes());
        assert_eq!(wrap("", BODY, 50.0), [Vec::<u8>::new()]);
        assert_eq!(wrap("a\nb", BODY, 500.0), [b"a".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn figures_are_grouped_by_language() {
        assert_eq!(group_digits(24_490, "nl"), "24.490");
        assert_eq!(group_digits(24_490, "en"), "24,490");
        assert_eq!(group_digits(-1_234_567, "nl"), "-1.234.567");
        assert_eq!(group_digits(999, "nl"), "999");
        assert_eq!(group_digits(0, "en"), "0");
    }

    #[test]
    fn axis_steps_are_round_and_at_most_five() {
        for (max, step) in [
            (0, 1),
            (1, 1),
            (5, 1),
            (6, 2),
            (24_490, 5_000),
            (100, 20),
            (101, 50),
        ] {
            assert_eq!(tick_step(max), step, "{max}");
        }
        for max in (0..3_000).chain([i64::MAX / 2]) {
            let step = tick_step(max);
            assert!(step >= 1);
            assert!(max / step <= 5, "{max}: step {step}");
        }
    }

    #[test]
    fn numeric_columns_are_right_aligned() {
        let pages = layout(&doc(vec![Block::Table {
            caption: String::new(),
            header: vec!["Jaar".into(), "Bedrag".into()],
            rows: vec![
                vec!["2012".into(), "€ 24.490".into()],
                vec!["2013".into(), "€ 1.327".into()],
            ],
            numeric: vec![false, true],
        }]));
        let texts = text_ops(&pages[0]);
        let right_edge = |label: &str, font: Font| {
            let (x, _, text) = texts.iter().find(|(_, _, t)| t.contains(label)).unwrap();
            let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
            x + font.width(&bytes, CELL.size)
        };
        let a = right_edge("24.490", Font::Regular);
        let b = right_edge("1.327", Font::Regular);
        let h = right_edge("Bedrag", Font::Bold);
        assert!((a - b).abs() < 0.01 && (a - h).abs() < 0.01, "{a} {b} {h}");
        let (x2012, ..) = texts.iter().find(|(_, _, t)| t == "2012").unwrap();
        let (x2013, ..) = texts.iter().find(|(_, _, t)| t == "2013").unwrap();
        assert_eq!(x2012, x2013);
    }

    #[test]
    fn long_tables_repeat_their_header_on_every_page() {
        let rows: Vec<Vec<String>> = (1..=200)
            .map(|i| vec![format!("rij {i}"), format!("{}", i * 10)])
            .collect();
        let pages = layout(&doc(vec![Block::Table {
            caption: "Tabel".into(),
            header: vec!["Naam".into(), "Aantal".into()],
            rows,
            numeric: vec![false, true],
        }]));
        assert!(pages.len() > 2);
        let mut seen = Vec::new();
        for page in &pages {
            let texts = text_ops(page);
            assert!(texts.iter().any(|(_, _, t)| t == "Naam"));
            assert!(texts.iter().any(|(_, _, t)| t == "Aantal"));
            for (_, y, t) in &texts {
                assert!(*y > CONTENT_BOTTOM, "{t} at {y}");
                if let Some(n) = t.strip_prefix("rij ") {
                    seen.push(n.parse::<u32>().unwrap());
                }
            }
        }
        assert_eq!(seen, (1..=200).collect::<Vec<_>>());
    }

    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let tall = (1..=120)
            .map(|i| format!("regel{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let pages = layout(&doc(vec![Block::Table {
            caption: String::new(),
            header: vec!["Kop".into()],
            rows: vec![vec![tall]],
            numeric: vec![],
        }]));
        assert!(pages.len() >= 2);
        let all: Vec<String> = pages
            .iter()
            .flat_map(|p| text_ops(p))
            .map(|t| t.2)
            .collect();
        for i in 1..=120 {
            assert!(all.contains(&format!("regel{i}")));
        }
        for page in &pages {
            assert!(text_ops(page).iter().any(|t| t.2 == "Kop"));
        }
    }

    #[test]
    fn a_heading_is_never_alone_at_the_bottom_of_a_page() {
        for filler in 30..70 {
            for next in [
                Block::Paragraph("Eerste regel van de tekst onder de kop.".into()),
                Block::List(vec!["Eerste punt".into()]),
                Block::Table {
                    caption: "Eerste tabel".into(),
                    header: vec!["x".into()],
                    rows: vec![vec!["y".into()]],
                    numeric: vec![],
                },
                Block::Bars {
                    caption: "Eerste grafiek".into(),
                    categories: vec!["2012".into()],
                    series: vec![("s".into(), vec![1])],
                    unit_label: "euro".into(),
                },
            ] {
                let text = vec!["vulregel"; filler].join("\n");
                let pages = layout(&doc(vec![
                    Block::Paragraph(text),
                    Block::Heading("De kop".into()),
                    next,
                ]));
                let page_of = |needle: &str| {
                    pages
                        .iter()
                        .position(|p| text_ops(p).iter().any(|t| t.2.contains(needle)))
                        .unwrap()
                };
                assert_eq!(page_of("De kop"), page_of("Eerste"), "{filler} lines");
            }
        }
    }

    /// A document that pushes every block to its limits.
    fn crowded() -> Doc {
        let long = "Een heel lange omschrijving van een uitwisseling tussen verenigingen uit \
                    Leidschendam-Voorburg en Hranice na Moravě, met een woord als \
                    Gemeenschappelijkheidsvertegenwoordigingscommissievergadering erin.";
        Doc {
            title: format!("{long} {long}"),
            subtitle: Some(long.into()),
            lang: "en".into(),
            footer: Some(long.repeat(3)),
            blocks: vec![
                Block::Heading(long.into()),
                Block::List(vec![long.into(); 3]),
                Block::Table {
                    caption: long.into(),
                    header: (1..=7).map(|i| format!("Kolom {i} {long}")).collect(),
                    rows: (0..40)
                        .map(|r| {
                            let mut row: Vec<String> =
                                (0..6).map(|c| format!("{r}-{c} {long}")).collect();
                            row.push(format!("{}", r * 1_234_567));
                            if r % 3 == 0 {
                                row.truncate(2);
                            }
                            row
                        })
                        .collect(),
                    numeric: vec![false, false, false, false, false, false, true],
                },
                Block::Bars {
                    caption: long.into(),
                    categories: (1990..2030).map(|y| y.to_string()).collect(),
                    series: (0..10)
                        .map(|s| {
                            (
                                format!("Reeks {s}"),
                                (0..40).map(|c| (c * s) * 99_999).collect(),
                            )
                        })
                        .collect(),
                    unit_label: long.into(),
                },
                Block::Bars {
                    caption: String::new(),
                    categories: vec![],
                    series: vec![],
                    unit_label: String::new(),
                },
                Block::Bars {
                    caption: "Nothing yet".into(),
                    categories: vec!["2024".into()],
                    series: vec![("Zero".into(), vec![0])],
                    unit_label: "count".into(),
                },
                Block::Table {
                    caption: String::new(),
                    header: vec![],
                    rows: vec![],
                    numeric: vec![],
                },
                Block::Paragraph(String::new()),
                Block::List(vec![]),
            ],
        }
    }

    #[test]
    fn nothing_is_drawn_outside_the_content_area() {
        let pages = layout(&crowded());
        assert!(pages.len() > 3);
        for (p, page) in pages.iter().enumerate() {
            for op in page {
                let (left, right, bottom, top) = match op {
                    Op::Text {
                        x,
                        y,
                        font,
                        size,
                        text,
                        ..
                    } => (
                        *x,
                        x + font.width(text, *size),
                        y - 0.21 * size,
                        y + 0.72 * size,
                    ),
                    Op::Fill { x, y, w, h, .. } | Op::Swatch { x, y, w, h, .. } => {
                        (*x, x + w, *y, y + h)
                    }
                    Op::Line { from, to, .. } => (
                        from.0.min(to.0),
                        from.0.max(to.0),
                        from.1.min(to.1),
                        from.1.max(to.1),
                    ),
                };
                let inside = left >= LEFT - 0.01
                    && right <= RIGHT + 0.01
                    && bottom >= CONTENT_BOTTOM - 0.5
                    && top <= TOP + 0.01;
                assert!(
                    inside,
                    "page {p}: {op:?} at {left}..{right} x {bottom}..{top}"
                );
            }
        }
    }

    #[test]
    fn empty_blocks_take_no_room() {
        let title_only = layout(&doc(vec![]));
        let empties = layout(&doc(vec![
            Block::Heading(" ".into()),
            Block::Paragraph(String::new()),
            Block::List(vec![]),
            Block::Table {
                caption: String::new(),
                header: vec![],
                rows: vec![vec![]],
                numeric: vec![true],
            },
            Block::Bars {
                caption: String::new(),
                categories: vec![],
                series: vec![("s".into(), vec![1])],
                unit_label: "euro".into(),
            },
        ]));
        assert_eq!(empties, title_only);
        // A caption alone is still shown.
        let caption_only = layout(&doc(vec![Block::Bars {
            caption: "Nog geen cijfers".into(),
            categories: vec![],
            series: vec![],
            unit_label: "euro".into(),
        }]));
        let texts: Vec<String> = text_ops(&caption_only[0])
            .into_iter()
            .map(|t| t.2)
            .collect();
        assert_eq!(texts, ["Titel", "Nog geen cijfers"]);
    }

    #[test]
    fn chart_bars_are_stacked_to_their_totals() {
        let pages = layout(&doc(vec![Block::Bars {
            caption: "Inkomsten".into(),
            categories: vec!["2012".into(), "2013".into(), "2014".into()],
            series: vec![
                ("Gemeente".into(), vec![24_490, 16_327, 8_163]),
                ("Eigen".into(), vec![1_000, -5]),
            ],
            unit_label: "euro".into(),
        }]));
        let swatches: Vec<(f32, f32, f32, usize)> = pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Swatch { x, y, h, style, .. } => Some((*x, *y, *h, *style)),
                _ => None,
            })
            .collect();
        // Bars: 3 + 1 (the negative and missing values are not drawn); legend: 2.
        assert_eq!(swatches.len(), 6);
        // 2012: the second segment starts where the first ends, heights in proportion.
        let (x0, y0, h0, _) = swatches[0];
        let (x1, y1, h1, s1) = swatches[1];
        assert_eq!((x0, s1), (x1, 1));
        assert!((y0 + h0 - y1).abs() < 0.01);
        assert!((h0 / h1 - 24.49).abs() < 0.01);
        let texts: Vec<String> = text_ops(&pages[0]).into_iter().map(|t| t.2).collect();
        for label in [
            "25.490", "16.327", "8.163", "30.000", "2014", "Gemeente", "Eigen", "euro",
        ] {
            assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
        }
    }

    #[test]
    fn a_header_taller_than_a_page_still_ends() {
        // Sixty narrow columns with long names: each header cell wraps to a letter per line,
        // taller than a page. The document must still be finite.
        let header: Vec<String> = (0..60)
            .map(|i| format!("{}{i}", "Konstancinjeziornawarszawskagmina".repeat(3)))
            .collect();
        let rows = vec![vec!["1".to_owned(); 60]; 3];
        let bytes = render(&doc(vec![Block::Table {
            caption: "Breed".into(),
            header,
            rows,
            numeric: vec![true; 60],
        }]));
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = String::from_utf8_lossy(&bytes)
            .matches("/Type /Page\n")
            .count()
            + String::from_utf8_lossy(&bytes)
                .matches("/Type /Page ")
                .count();
        assert!(pages < 200, "{pages} pages");
    }
}
