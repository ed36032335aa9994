//! Bar charts drawn on the server as inline SVG, for the money overviews and the reports.
//!
//! A chart is one `<svg role="img">` element that a template puts into the page as is: no
//! script, no web font, and no `style` attribute or `<style>` element (the Content-Security-
//! Policy forbids inline styles), only SVG presentation attributes, which the site's stylesheet
//! may still override. It scales with its container (`width="100%"` and a `viewBox`).
//!
//! Readable without colour: every series of a stacked chart has its own fill pattern (solid,
//! hatching, dots, cross-hatching, ...) as well as its own colour, the legend shows the same
//! patterns, and every colour has at least 3:1 contrast against white (WCAG 1.4.11, non-text
//! contrast). Readable without the picture: the `<title>` and `<desc>` name and summarise the
//! chart, and every bar or segment carries a `<title>` with "category, series: value" as exact
//! figure.
//!
//! Amounts stay integers (cents or counts) until they become pixels; the axis counts in whole
//! euros. Negative values are not expected (money charts show amounts received or spent, not
//! balances): they are drawn as zero. A series with fewer values than there are categories is
//! read as zero for the missing ones; values beyond the last category are ignored.

use crate::i18n::Lang;
use std::fmt::Write;

/// One row of figures: one value per category, in cents or as a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub label: String,
    pub values: Vec<i64>,
}

/// What the values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Money in euro cents; the axis shows whole euros.
    Cents,
    /// Numbers of things (activities, participants).
    Count,
}

/// A bar chart: one series gives simple bars with their value above them; more series are
/// stacked (the first at the bottom) and get a legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    /// Prefix of the element ids inside the chart, unique within the page (characters other
    /// than ASCII letters, digits, `-` and `_` become `-`; one that does not start with a
    /// letter or `_` gets `chart-` in front). The chart uses `{id}-title`, `{id}-desc` and
    /// `{id}-p0`, `{id}-p1`, ... (the series' patterns).
    pub id: String,
    /// The chart's accessible name, as `<title>`.
    pub title: String,
    /// A text alternative that summarises the chart, as `<desc>`.
    pub description: String,
    /// The labels along the horizontal axis, e.g. years.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
}

// The drawing, in viewBox units (about pixels at a 640 px wide column).
const WIDTH: f64 = 640.0;
const PLOT_HEIGHT: f64 = 220.0;
/// Room above the plot for the value printed above the tallest bar.
const TOP: f64 = 24.0;
const RIGHT: f64 = 16.0;
const FONT: f64 = 12.0;
const VALUE_FONT: f64 = 11.0;
/// From the base line to the base line of the category labels.
const CATEGORY_LABEL_DROP: f64 = 18.0;
/// From the base line to the bottom of the drawing without a legend.
const BOTTOM: f64 = 30.0;
const LEGEND_ROW: f64 = 24.0;
const SWATCH: f64 = 16.0;
/// Share of a category's band taken by its bar, and the widest a bar gets.
const BAR_SHARE: f64 = 0.62;
const MAX_BAR_WIDTH: f64 = 72.0;
/// At most this many intervals between gridlines.
const MAX_TICKS: i128 = 5;

// The site's ink, muted ink and rule colours.
const TEXT: &str = "#1b1f24";
const MUTED: &str = "#4d5560";
const GRID: &str = "#c9ced6";
const AXIS: &str = "#1b1f24";
const BACKGROUND: &str = "#ffffff";

/// Series colours, each at least 3:1 against white (checked by a test). Colour is never the
/// only difference: the patterns below are.
const PALETTE: [&str; 10] = [
    "#1f4e79", // navy
    "#b34700", // burnt orange
    "#2e7d32", // green
    "#7b1fa2", // purple
    "#c62828", // red
    "#00796b", // teal
    "#6d4c41", // brown
    "#ad1457", // magenta
    "#546e7a", // blue grey
    "#6b6b00", // olive
];

/// The fill patterns, in the order series get them; the most distinct ones first. Past twelve
/// series the patterns repeat (in other colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Solid,
    Diagonal,
    Dots,
    CrossHatch,
    Horizontal,
    Rings,
    Vertical,
    Checkerboard,
    ReverseDiagonal,
    Zigzag,
    Plus,
    Grid,
}

const PATTERNS: [Pattern; 12] = [
    Pattern::Solid,
    Pattern::Diagonal,
    Pattern::Dots,
    Pattern::CrossHatch,
    Pattern::Horizontal,
    Pattern::Rings,
    Pattern::Vertical,
    Pattern::Checkerboard,
    Pattern::ReverseDiagonal,
    Pattern::Zigzag,
    Pattern::Plus,
    Pattern::Grid,
];

/// The chart as an inline `<svg>` element, with texts in `lang`.
pub fn bar_chart_svg(chart: &BarChart, lang: Lang) -> String {
    let prefix = id_prefix(&chart.id);
    let n = chart.categories.len();
    // Clamped to zero and widened, so that stacking many large values cannot overflow.
    let values: Vec<Vec<i128>> = chart
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|c| i128::from(s.values.get(c).copied().unwrap_or(0).max(0)))
                .collect()
        })
        .collect();
    let totals: Vec<i128> = (0..n).map(|c| values.iter().map(|v| v[c]).sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let stacked = chart.series.len() > 1;
    let empty = max == 0;
    let axis = Axis::new(max, chart.unit);

    let tick_labels: Vec<(i128, String)> = axis
        .ticks()
        .map(|u| (u, format_axis(u, chart.unit, lang)))
        .collect();
    let widest_tick = tick_labels
        .iter()
        .map(|(_, l)| text_width(l, FONT))
        .fold(0.0, f64::max);
    let left = (widest_tick + 14.0).max(36.0).ceil();
    let plot_width = WIDTH - left - RIGHT;
    let baseline = TOP + PLOT_HEIGHT;
    let band = if n > 0 { plot_width / n as f64 } else { 0.0 };
    let bar_width = (band * BAR_SHARE).min(MAX_BAR_WIDTH);

    let legend = if stacked && !empty {
        legend_layout(&chart.series, left)
    } else {
        Vec::new()
    };
    let legend_rows = legend.iter().map(|item| item.row + 1).max().unwrap_or(0);
    let legend_top = baseline + BOTTOM + 4.0;
    let height = if legend_rows > 0 {
        legend_top + legend_rows as f64 * LEGEND_ROW
    } else {
        baseline + BOTTOM
    };

    let mut out = String::with_capacity(4096);
    let title_id = format!("{prefix}-title");
    let desc_id = format!("{prefix}-desc");
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {w} {h}" width="100%" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="{FONT}">"#,
        w = num(WIDTH),
        h = num(height),
    );
    let _ = write!(
        out,
        r#"<title id="{title_id}">{}</title><desc id="{desc_id}">{}</desc>"#,
        esc(&chart.title),
        esc(&chart.description)
    );

    let series_ids: Vec<String> = (0..chart.series.len())
        .map(|i| format!("{prefix}-p{i}"))
        .collect();
    if !empty {
        out.push_str("<defs>");
        for (i, pid) in series_ids.iter().enumerate() {
            pattern_def(&mut out, pid, PATTERNS[i % PATTERNS.len()], colour(i));
        }
        out.push_str("</defs>");
    }

    // Gridlines with their labels; the base line last, on top of them.
    out.push_str(r#"<g class="chart-grid">"#);
    for (u, label) in &tick_labels {
        let y = axis.y(*u * axis.per_unit, baseline);
        if *u != 0 {
            let _ = write!(
                out,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
                num(left),
                num(WIDTH - RIGHT),
                y = num(y),
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{MUTED}">{}</text>"#,
            num(left - 8.0),
            num(y + FONT * 0.35),
            esc(label)
        );
    }
    let _ = write!(
        out,
        r#"<line class="chart-baseline" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{AXIS}" stroke-width="1"/>"#,
        l = num(left),
        r = num(WIDTH - RIGHT),
        b = num(baseline),
    );
    out.push_str("</g>");

    // Category labels; when they do not fit side by side, only every k-th is shown (each bar
    // still names its category in its title).
    let widest_category = chart
        .categories
        .iter()
        .map(|c| text_width(c, FONT))
        .fold(0.0, f64::max);
    let every = if band > 0.0 {
        ((widest_category + 6.0) / band).ceil().max(1.0) as usize
    } else {
        1
    };
    out.push_str(r#"<g class="chart-categories" text-anchor="middle">"#);
    for (c, label) in chart.categories.iter().enumerate() {
        if c % every != 0 {
            continue;
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" fill="{TEXT}">{}</text>"#,
            num(left + band * (c as f64 + 0.5)),
            num(baseline + CATEGORY_LABEL_DROP),
            esc(label)
        );
    }
    out.push_str("</g>");

    if empty {
        let _ = write!(
            out,
            r#"<text class="chart-no-data" x="{}" y="{}" text-anchor="middle" font-size="14" fill="{MUTED}">{}</text>"#,
            num(left + plot_width / 2.0),
            num(TOP + PLOT_HEIGHT / 2.0),
            esc(&lang.t("chart-no-data"))
        );
        out.push_str("</svg>");
        return out;
    }

    // The bars: one stack per category, first series at the bottom. Heights come from the
    // running sums, so the segments of a stack meet exactly and add up to its total.
    out.push_str(r#"<g class="chart-bars">"#);
    for (c, category) in chart.categories.iter().enumerate() {
        let x = left + band * c as f64 + (band - bar_width) / 2.0;
        let mut below = 0i128;
        let mut y_below = round2(baseline);
        for (s, series) in chart.series.iter().enumerate() {
            let v = values[s][c];
            if v == 0 {
                continue;
            }
            below += v;
            let y_top = round2(axis.y(below, baseline));
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" stroke="{}" stroke-width="1"><title>{}</title></rect>"#,
                num(x),
                num(y_top),
                num(bar_width),
                num(y_below - y_top),
                series_ids[s],
                colour(s),
                esc(&bar_title(category, &series.label, v, chart.unit, lang))
            );
            y_below = y_top;
        }
    }
    out.push_str("</g>");

    // The value above each bar (the total above a stack), unless the widest would not fit its
    // band: then none, rather than some overlapping.
    let value_labels: Vec<String> = totals
        .iter()
        .map(|t| format_value(*t, chart.unit, lang))
        .collect();
    let widest_value = value_labels
        .iter()
        .map(|l| text_width(l, VALUE_FONT))
        .fold(0.0, f64::max);
    if widest_value + 4.0 <= band {
        let _ = write!(
            out,
            r#"<g class="chart-values" text-anchor="middle" font-size="{VALUE_FONT}" fill="{TEXT}">"#
        );
        for (c, label) in value_labels.iter().enumerate() {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}">{}</text>"#,
                num(left + band * (c as f64 + 0.5)),
                num(axis.y(totals[c], baseline) - 5.0),
                esc(label)
            );
        }
        out.push_str("</g>");
    }

    if !legend.is_empty() {
        out.push_str(r#"<g class="chart-legend">"#);
        for item in &legend {
            let y = legend_top + item.row as f64 * LEGEND_ROW;
            let _ = write!(
                out,
                r#"<g><rect x="{}" y="{}" width="{SWATCH}" height="{SWATCH}" fill="url(#{})" stroke="{}" stroke-width="1"/><text x="{}" y="{}" fill="{TEXT}">{}</text>"#,
                num(item.x),
                num(y),
                series_ids[item.series],
                colour(item.series),
                num(item.x + SWATCH + 6.0),
                num(y + SWATCH / 2.0 + FONT * 0.35),
                esc(&item.text)
            );
            if item.text != chart.series[item.series].label {
                let _ = write!(
                    out,
                    "<title>{}</title>",
                    esc(&chart.series[item.series].label)
                );
            }
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// The vertical scale: gridlines every `step` axis units (whole euros or counts) from zero to
/// `top`, the first round number at or above the largest total.
struct Axis {
    /// Values per axis unit: 100 cents in a euro, 1 for counts.
    per_unit: i128,
    step: i128,
    top: i128,
}

impl Axis {
    fn new(max: i128, unit: Unit) -> Axis {
        let per_unit = match unit {
            Unit::Cents => 100,
            Unit::Count => 1,
        };
        let max_units = (max + per_unit - 1) / per_unit;
        if max_units <= 0 {
            return Axis {
                per_unit,
                step: 1,
                top: 0,
            };
        }
        // Steps of 1, 2, 2.5 and 5 times a power of ten (2.5 only where it stays whole).
        let mut magnitude = 1i128;
        let step = loop {
            if let Some(step) = [10, 20, 25, 50]
                .into_iter()
                .map(|m| m * magnitude)
                .filter(|step| step % 10 == 0)
                .map(|step| step / 10)
                .find(|step| (max_units + step - 1) / step <= MAX_TICKS)
            {
                break step;
            }
            magnitude *= 10;
        };
        Axis {
            per_unit,
            step,
            top: (max_units + step - 1) / step * step,
        }
    }

    /// The gridlines, in axis units from zero up.
    fn ticks(&self) -> impl Iterator<Item = i128> + '_ {
        (0..=self.top / self.step).map(|k| k * self.step)
    }

    /// The height of a value (in cents or counts) on the drawing.
    fn y(&self, value: i128, baseline: f64) -> f64 {
        if self.top == 0 {
            return baseline;
        }
        baseline - value as f64 / (self.top * self.per_unit) as f64 * PLOT_HEIGHT
    }
}

struct LegendItem {
    series: usize,
    /// The label, shortened with an ellipsis when it would not fit on a row.
    text: String,
    x: f64,
    row: usize,
}

/// Legend items flow from left to right in rows under the chart.
fn legend_layout(series: &[Series], left: f64) -> Vec<LegendItem> {
    let right = WIDTH - RIGHT;
    let max_text = right - left - SWATCH - 6.0;
    let mut items = Vec::with_capacity(series.len());
    let (mut x, mut row) = (left, 0);
    for (i, s) in series.iter().enumerate() {
        let text = shorten(&s.label, max_text, FONT);
        let width = SWATCH + 6.0 + text_width(&text, FONT);
        if x > left && x + width > right {
            x = left;
            row += 1;
        }
        items.push(LegendItem {
            series: i,
            text,
            x,
            row,
        });
        x += width + 16.0;
    }
    items
}

fn shorten(text: &str, max_width: f64, size: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_owned();
    }
    let keep = ((max_width / (size * 0.6)) as usize).saturating_sub(1);
    let mut short: String = text.chars().take(keep).collect();
    short.push('…');
    short
}

/// An estimate of the width of a text in a sans-serif font: SVG cannot measure text on the
/// server, so the layout leaves some room.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

fn colour(series: usize) -> &'static str {
    PALETTE[series % PALETTE.len()]
}

/// One pattern tile: the series colour on white, so that the lines and dots have the same
/// contrast as the colour itself; user-space units, so that neighbouring bars line up.
fn pattern_def(out: &mut String, id: &str, pattern: Pattern, colour: &str) {
    let (size, transform, body) = match pattern {
        Pattern::Solid => (
            8,
            "",
            format!(r#"<rect width="8" height="8" fill="{colour}"/>"#),
        ),
        Pattern::Diagonal => (
            8,
            "rotate(45)",
            format!(r#"<rect width="3" height="8" fill="{colour}"/>"#),
        ),
        Pattern::ReverseDiagonal => (
            8,
            "rotate(-45)",
            format!(r#"<rect width="3" height="8" fill="{colour}"/>"#),
        ),
        Pattern::Dots => (
            8,
            "",
            format!(
                r#"<circle cx="2" cy="2" r="1.8" fill="{colour}"/><circle cx="6" cy="6" r="1.8" fill="{colour}"/>"#
            ),
        ),
        Pattern::CrossHatch => (
            8,
            "rotate(45)",
            format!(
                r#"<rect width="2" height="8" fill="{colour}"/><rect width="8" height="2" fill="{colour}"/>"#
            ),
        ),
        Pattern::Horizontal => (
            6,
            "",
            format!(r#"<rect width="6" height="2.5" fill="{colour}"/>"#),
        ),
        Pattern::Vertical => (
            6,
            "",
            format!(r#"<rect width="2.5" height="6" fill="{colour}"/>"#),
        ),
        Pattern::Rings => (
            10,
            "",
            format!(
                r#"<circle cx="5" cy="5" r="3" fill="none" stroke="{colour}" stroke-width="1.5"/>"#
            ),
        ),
        Pattern::Checkerboard => (
            8,
            "",
            format!(
                r#"<rect width="4" height="4" fill="{colour}"/><rect x="4" y="4" width="4" height="4" fill="{colour}"/>"#
            ),
        ),
        Pattern::Zigzag => (
            10,
            "",
            format!(
                r#"<polyline points="0,7 5,2 10,7" fill="none" stroke="{colour}" stroke-width="1.5"/>"#
            ),
        ),
        Pattern::Plus => (
            10,
            "",
            format!(
                r#"<rect x="4" y="1.5" width="2" height="7" fill="{colour}"/><rect x="1.5" y="4" width="7" height="2" fill="{colour}"/>"#
            ),
        ),
        Pattern::Grid => (
            8,
            "",
            format!(
                r#"<rect width="8" height="1.5" fill="{colour}"/><rect width="1.5" height="8" fill="{colour}"/>"#
            ),
        ),
    };
    let transform = if transform.is_empty() {
        String::new()
    } else {
        format!(r#" patternTransform="{transform}""#)
    };
    let _ = write!(
        out,
        r#"<pattern id="{id}" width="{size}" height="{size}" patternUnits="userSpaceOnUse"{transform}><rect width="{size}" height="{size}" fill="{BACKGROUND}"/>{body}</pattern>"#
    );
}

/// "2013, Gemeentelijke subsidie: € 16.327".
fn bar_title(category: &str, series: &str, value: i128, unit: Unit, lang: Lang) -> String {
    let value = format_value(value, unit, lang);
    if series.is_empty() {
        format!("{category}: {value}")
    } else {
        format!("{category}, {series}: {value}")
    }
}

/// An axis label: whole euros or a count.
fn format_axis(units: i128, unit: Unit, lang: Lang) -> String {
    match unit {
        Unit::Cents => euro_text(units, None, lang),
        Unit::Count => group(units, lang),
    }
}

/// An exact figure: whole euros when there are no cents, else with the cents.
fn format_value(value: i128, unit: Unit, lang: Lang) -> String {
    match unit {
        Unit::Cents => {
            let cents = value % 100;
            euro_text(value / 100, (cents != 0).then_some(cents), lang)
        }
        Unit::Count => group(value, lang),
    }
}

/// `€ 16.327` and `€16,327`, as the pages write amounts (a non-breaking space keeps the sign
/// with the Dutch amount).
fn euro_text(whole: i128, cents: Option<i128>, lang: Lang) -> String {
    let grouped = group(whole, lang);
    match (lang, cents) {
        (Lang::Nl, None) => format!("€\u{a0}{grouped}"),
        (Lang::Nl, Some(c)) => format!("€\u{a0}{grouped},{c:02}"),
        (Lang::En, None) => format!("€{grouped}"),
        (Lang::En, Some(c)) => format!("€{grouped}.{c:02}"),
    }
}

fn group(n: i128, lang: Lang) -> String {
    let separator = match lang {
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An XML id (and `url(#...)` reference) safe prefix.
fn id_prefix(raw: &str) -> String {
    let mut id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert_str(0, "chart-");
    }
    id
}

/// Text and attribute values escaped for XML; characters XML does not allow at all are left
/// out.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(x: f64) -> String {
    let s = format!("{:.2}", round2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// A grouped bar chart: per category one bar for every series, side by side rather than
/// stacked, each in its series' pattern and colour, with a legend. For comparing options or
/// periods category by category (the yearly municipal cost of each policy option), where
/// stacking would add up figures that are alternatives. Every bar carries its exact figure as
/// its `<title>`; no values are printed above the bars (they would not fit side by side).
pub fn grouped_bar_chart_svg(chart: &BarChart, lang: Lang) -> String {
    let prefix = id_prefix(&chart.id);
    let n = chart.categories.len();
    let k = chart.series.len();
    let values: Vec<Vec<i128>> = chart
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|c| i128::from(s.values.get(c).copied().unwrap_or(0).max(0)))
                .collect()
        })
        .collect();
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    let empty = max == 0 || k == 0;
    let axis = Axis::new(max, chart.unit);
    let tick_labels: Vec<(i128, String)> = axis
        .ticks()
        .map(|u| (u, format_axis(u, chart.unit, lang)))
        .collect();
    let widest_tick = tick_labels
        .iter()
        .map(|(_, l)| text_width(l, FONT))
        .fold(0.0, f64::max);
    let left = (widest_tick + 14.0).max(36.0).ceil();
    let plot_width = WIDTH - left - RIGHT;
    let baseline = TOP + PLOT_HEIGHT;
    let band = if n > 0 { plot_width / n as f64 } else { 0.0 };
    let group_width = (band * 0.8).min(MAX_BAR_WIDTH * k.max(1) as f64);
    let bar_width = if k > 0 { group_width / k as f64 } else { 0.0 };
    let legend = if empty {
        Vec::new()
    } else {
        legend_layout(&chart.series, left)
    };
    let legend_rows = legend.iter().map(|item| item.row + 1).max().unwrap_or(0);
    let legend_top = baseline + BOTTOM + 4.0;
    let height = if legend_rows > 0 {
        legend_top + legend_rows as f64 * LEGEND_ROW
    } else {
        baseline + BOTTOM
    };
    let mut out = String::with_capacity(4096);
    let title_id = format!("{prefix}-title");
    let desc_id = format!("{prefix}-desc");
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {w} {h}" width="100%" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="{FONT}">"#,
        w = num(WIDTH),
        h = num(height),
    );
    let _ = write!(
        out,
        r#"<title id="{title_id}">{}</title><desc id="{desc_id}">{}</desc>"#,
        esc(&chart.title),
        esc(&chart.description)
    );
    let series_ids: Vec<String> = (0..k).map(|i| format!("{prefix}-p{i}")).collect();
    if !empty {
        out.push_str("<defs>");
        for (i, pid) in series_ids.iter().enumerate() {
            pattern_def(&mut out, pid, PATTERNS[i % PATTERNS.len()], colour(i));
        }
        out.push_str("</defs>");
    }
    out.push_str(r#"<g class="chart-grid">"#);
    for (u, label) in &tick_labels {
        let y = axis.y(*u * axis.per_unit, baseline);
        if *u != 0 {
            let _ = write!(
                out,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
                num(left),
                num(WIDTH - RIGHT),
                y = num(y),
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{MUTED}">{}</text>"#,
            num(left - 8.0),
            num(y + FONT * 0.35),
            esc(label)
        );
    }
    let _ = write!(
        out,
        r#"<line class="chart-baseline" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{AXIS}" stroke-width="1"/>"#,
        l = num(left),
        r = num(WIDTH - RIGHT),
        b = num(baseline),
    );
    out.push_str("</g>");
    let widest_category = chart
        .categories
        .iter()
        .map(|c| text_width(c, FONT))
        .fold(0.0, f64::max);
    let every = if band > 0.0 {
        ((widest_category + 6.0) / band).ceil().max(1.0) as usize
    } else {
        1
    };
    out.push_str(r#"<g class="chart-categories" text-anchor="middle">"#);
    for (c, label) in chart.categories.iter().enumerate() {
        if c % every != 0 {
            continue;
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" fill="{TEXT}">{}</text>"#,
            num(left + band * (c as f64 + 0.5)),
            num(baseline + CATEGORY_LABEL_DROP),
            esc(label)
        );
    }
    out.push_str("</g>");
    if empty {
        let _ = write!(
            out,
            r#"<text class="chart-no-data" x="{}" y="{}" text-anchor="middle" font-size="14" fill="{MUTED}">{}</text>"#,
            num(left + plot_width / 2.0),
            num(TOP + PLOT_HEIGHT / 2.0),
            esc(&lang.t("chart-no-data"))
        );
        out.push_str("</svg>");
        return out;
    }
    out.push_str(r#"<g class="chart-bars">"#);
    for (c, category) in chart.categories.iter().enumerate() {
        let x0 = left + band * c as f64 + (band - group_width) / 2.0;
        for (s, series) in chart.series.iter().enumerate() {
            let v = values[s][c];
            let y_top = round2(axis.y(v, baseline));
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" stroke="{}" stroke-width="1"><title>{}</title></rect>"#,
                num(x0 + bar_width * s as f64),
                num(y_top),
                num(bar_width),
                num(round2(baseline) - y_top),
                series_ids[s],
                colour(s),
                esc(&bar_title(category, &series.label, v, chart.unit, lang))
            );
        }
    }
    out.push_str("</g>");
    out.push_str(r#"<g class="chart-legend">"#);
    for item in &legend {
        let y = legend_top + item.row as f64 * LEGEND_ROW;
        let _ = write!(
            out,
            r#"<g><rect x="{}" y="{}" width="{SWATCH}" height="{SWATCH}" fill="url(#{})" stroke="{}" stroke-width="1"/><text x="{}" y="{}" fill="{TEXT}">{}</text>"#,
            num(item.x),
            num(y),
            series_ids[item.series],
            colour(item.series),
            num(item.x + SWATCH + 6.0),
            num(y + SWATCH / 2.0 + FONT * 0.35),
            esc(&item.text)
        );
        if item.text != chart.series[item.series].label {
            let _ = write!(
                out,
                "<title>{}</title>",
                esc(&chart.series[item.series].label)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use roxmltree::{Document, Node};

    fn subsidy() -> BarChart {
        BarChart {
            id: "subsidy-chart".into(),
            title: "Gemeentelijke subsidie 2012-2017".into(),
            description: "De subsidie liep af van € 24.490 in 2012 naar nul in 2015.".into(),
            categories: (2012..=2017).map(|y| y.to_string()).collect(),
            series: vec![Series {
                label: "Gemeentelijke subsidie".into(),
                values: vec![2_449_000, 1_632_700, 816_300, 0, 0, 0],
            }],
            unit: Unit::Cents,
        }
    }

    fn income() -> BarChart {
        BarChart {
            id: "income-chart".into(),
            title: "Inkomsten per bron".into(),
            description: "Inkomsten van de werkgroep per jaar, gestapeld naar bron.".into(),
            categories: (2012..=2017).map(|y| y.to_string()).collect(),
            series: vec![
                Series {
                    label: "Gemeentelijke subsidie".into(),
                    values: vec![816_300, 544_200, 272_100, 0, 0, 0],
                },
                Series {
                    label: "Eigen fondsenwerving".into(),
                    values: vec![150_000, 240_000, 310_000, 420_050, 380_000, 450_000],
                },
                Series {
                    label: "Bijdragen deelnemers".into(),
                    values: vec![90_000, 120_000, 100_000, 160_000, 0, 210_000],
                },
            ],
            unit: Unit::Cents,
        }
    }

    fn parse(svg: &str) -> Document<'_> {
        Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{svg}"))
    }

    fn f(node: Node, attr: &str) -> f64 {
        node.attribute(attr)
            .unwrap_or_else(|| panic!("no {attr} on {node:?}"))
            .parse()
            .unwrap()
    }

    fn title_of<'a>(node: Node<'a, 'a>) -> Option<&'a str> {
        node.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
    }

    /// The bars and segments: the rects with a title inside the bars group.
    fn bars<'a>(doc: &'a Document<'a>) -> Vec<Node<'a, 'a>> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("chart-bars"))
            .flat_map(|g| g.children().filter(|c| c.has_tag_name("rect")))
            .collect()
    }

    fn texts<'a>(doc: &'a Document<'a>, class: &str) -> Vec<&'a str> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .flat_map(|g| g.descendants().filter(|c| c.has_tag_name("text")))
            .filter_map(|t| t.text())
            .collect()
    }

    fn baseline_of(doc: &Document) -> f64 {
        let line = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("chart-baseline"))
            .expect("a base line");
        f(line, "y1")
    }

    #[test]
    fn the_chart_is_well_formed_svg_named_by_its_title_and_description() {
        for chart in [subsidy(), income()] {
            for lang in Lang::ALL {
                let svg = bar_chart_svg(&chart, lang);
                assert!(svg.starts_with("<svg "), "no prologue: {svg}");
                let doc = parse(&svg);
                let root = doc.root_element();
                assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
                assert_eq!(root.attribute("role"), Some("img"));
                assert_eq!(root.attribute("width"), Some("100%"));
                let view_box: Vec<f64> = root
                    .attribute("viewBox")
                    .unwrap()
                    .split(' ')
                    .map(|v| v.parse().unwrap())
                    .collect();
                assert_eq!(view_box.len(), 4);
                assert!(view_box[2] > 0.0 && view_box[3] > 0.0);
                let ids: Vec<&str> = root
                    .attribute("aria-labelledby")
                    .unwrap()
                    .split(' ')
                    .collect();
                assert_eq!(ids.len(), 2);
                let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
                let title = by_id(ids[0]).unwrap();
                let desc = by_id(ids[1]).unwrap();
                assert!(title.has_tag_name("title") && title.parent() == Some(root));
                assert!(desc.has_tag_name("desc") && desc.parent() == Some(root));
                assert_eq!(title.text(), Some(chart.title.as_str()));
                assert_eq!(desc.text(), Some(chart.description.as_str()));
            }
        }
    }

    #[test]
    fn bar_heights_are_proportional_to_the_values() {
        let svg = bar_chart_svg(&subsidy(), Lang::Nl);
        let doc = parse(&svg);
        let baseline = baseline_of(&doc);
        let bars = bars(&doc);
        // The three years with money; zero years draw no bar.
        assert_eq!(bars.len(), 3);
        // The largest total is € 24.490, so the axis runs to the next round € 25.000.
        for (bar, cents) in bars.iter().zip([2_449_000.0, 1_632_700.0, 816_300.0]) {
            let expected = cents / 2_500_000.0 * PLOT_HEIGHT;
            assert!(
                (f(*bar, "height") - expected).abs() < 0.011,
                "{} for {cents}",
                f(*bar, "height")
            );
            assert!((f(*bar, "y") + f(*bar, "height") - baseline).abs() < 0.011);
        }
        // And in proportion to each other: 2013 is two thirds and 2014 one third of 2012.
        let h: Vec<f64> = bars.iter().map(|b| f(*b, "height")).collect();
        assert!((h[1] / h[0] - 16_327.0 / 24_490.0).abs() < 1e-3);
        assert!((h[2] / h[0] - 8_163.0 / 24_490.0).abs() < 1e-3);
        // Bars are equally wide and in the order of the years.
        assert!(bars.windows(2).all(|w| f(w[0], "x") < f(w[1], "x")));
        assert!(bars.iter().all(|b| f(*b, "width") == f(bars[0], "width")));
    }

    #[test]
    fn each_bar_names_its_category_series_and_exact_value() {
        let svg = bar_chart_svg(&subsidy(), Lang::Nl);
        let doc = parse(&svg);
        let titles: Vec<&str> = bars(&doc).into_iter().filter_map(title_of).collect();
        assert_eq!(
            titles,
            [
                "2012, Gemeentelijke subsidie: €\u{a0}24.490",
                "2013, Gemeentelijke subsidie: €\u{a0}16.327",
                "2014, Gemeentelijke subsidie: €\u{a0}8.163",
            ]
        );
        // Simple bars have their value printed above them, zeros too.
        assert_eq!(
            texts(&doc, "chart-values"),
            [
                "€\u{a0}24.490",
                "€\u{a0}16.327",
                "€\u{a0}8.163",
                "€\u{a0}0",
                "€\u{a0}0",
                "€\u{a0}0"
            ]
        );
        // Cents are shown when there are any.
        let svg = bar_chart_svg(&income(), Lang::En);
        let doc = parse(&svg);
        assert!(
            bars(&doc)
                .into_iter()
                .filter_map(title_of)
                .any(|t| t == "2015, Eigen fondsenwerving: €4,200.50")
        );
    }

    #[test]
    fn the_axis_has_round_ticks_in_whole_euros_in_each_language() {
        let nl = bar_chart_svg(&subsidy(), Lang::Nl);
        let doc = parse(&nl);
        assert_eq!(
            texts(&doc, "chart-grid"),
            [
                "€\u{a0}0",
                "€\u{a0}5.000",
                "€\u{a0}10.000",
                "€\u{a0}15.000",
                "€\u{a0}20.000",
                "€\u{a0}25.000"
            ]
        );
        let en = bar_chart_svg(&subsidy(), Lang::En);
        let doc = parse(&en);
        assert_eq!(
            texts(&doc, "chart-grid"),
            ["€0", "€5,000", "€10,000", "€15,000", "€20,000", "€25,000"]
        );
        assert_eq!(texts(&doc, "chart-values")[1], "€16,327");
    }

    #[test]
    fn nice_ticks_start_at_zero_and_reach_the_largest_value() {
        for max in [1, 3, 7, 10, 11, 99, 101, 1234, 24_490, 1_000_000, 7_654_321] {
            let axis = Axis::new(max, Unit::Count);
            let ticks: Vec<i128> = axis.ticks().collect();
            assert_eq!(ticks[0], 0);
            assert!(*ticks.last().unwrap() >= max, "{max}: {ticks:?}");
            assert!(ticks.len() <= MAX_TICKS as usize + 1, "{max}: {ticks:?}");
            assert!(ticks.len() >= 2, "{max}: {ticks:?}");
            // The step is 1, 2, 2.5 or 5 times a power of ten.
            let mut step = axis.step;
            while step % 10 == 0 {
                step /= 10;
            }
            assert!([1, 2, 25, 5].contains(&step), "{max}: {}", axis.step);
        }
        // Cents count in whole euros: half a euro still gets an axis up to € 1.
        let axis = Axis::new(50, Unit::Cents);
        assert_eq!(axis.ticks().collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn counts_are_plain_integers() {
        let chart = BarChart {
            id: "activities".into(),
            title: "Activities".into(),
            description: "Activities per year.".into(),
            categories: vec!["2004".into(), "2005".into(), "2006".into()],
            series: vec![Series {
                label: "Activities".into(),
                values: vec![7, 12, 3],
            }],
            unit: Unit::Count,
        };
        let svg = bar_chart_svg(&chart, Lang::Nl);
        let doc = parse(&svg);
        assert_eq!(texts(&doc, "chart-grid"), ["0", "5", "10", "15"]);
        assert_eq!(texts(&doc, "chart-values"), ["7", "12", "3"]);
        assert!(!svg.contains('€'));
    }

    #[test]
    fn stacked_segments_add_up_to_the_height_of_the_total() {
        let chart = income();
        let svg = bar_chart_svg(&chart, Lang::Nl);
        let doc = parse(&svg);
        let baseline = baseline_of(&doc);
        let bars = bars(&doc);
        let totals: Vec<i64> = (0..6)
            .map(|c| chart.series.iter().map(|s| s.values[c]).sum())
            .collect();
        // The axis runs to the first round number at or above the largest total; read it off
        // the top gridline.
        let top_label = *texts(&doc, "chart-grid").last().unwrap();
        let top_euros: f64 = top_label
            .trim_start_matches("€\u{a0}")
            .replace('.', "")
            .parse()
            .unwrap();
        assert!(top_euros * 100.0 >= *totals.iter().max().unwrap() as f64);
        for (c, category) in chart.categories.iter().enumerate() {
            let segments: Vec<Node> = bars
                .iter()
                .copied()
                .filter(|b| title_of(*b).unwrap().starts_with(&format!("{category},")))
                .collect();
            let nonzero = chart.series.iter().filter(|s| s.values[c] > 0).count();
            assert_eq!(segments.len(), nonzero, "{category}");
            let sum: f64 = segments.iter().map(|s| f(*s, "height")).sum();
            let expected = totals[c] as f64 / (top_euros * 100.0) * PLOT_HEIGHT;
            assert!(
                (sum - expected).abs() < 0.02,
                "{category}: {sum} vs {expected}"
            );
            // Stacked from the base line up, each on the one below, without gaps.
            let mut bottom = baseline;
            for s in &segments {
                assert!((f(*s, "y") + f(*s, "height") - bottom).abs() < 0.011);
                bottom = f(*s, "y");
            }
            // Each segment in proportion to its own value.
            for (segment, series) in segments
                .iter()
                .zip(chart.series.iter().filter(|s| s.values[c] > 0))
            {
                let expected = series.values[c] as f64 / (top_euros * 100.0) * PLOT_HEIGHT;
                assert!((f(*segment, "height") - expected).abs() < 0.02);
            }
        }
        // The totals stand above the stacks.
        assert_eq!(texts(&doc, "chart-values")[0], "€\u{a0}10.563");
    }

    #[test]
    fn every_series_has_its_own_pattern_in_its_bars_and_legend() {
        let chart = income();
        let svg = bar_chart_svg(&chart, Lang::En);
        let doc = parse(&svg);
        let patterns: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("pattern"))
            .map(|p| p.attribute("id").unwrap())
            .collect();
        assert_eq!(patterns.len(), chart.series.len());
        let mut distinct = patterns.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), patterns.len());
        // The tiles differ in what they draw, not only in colour.
        let shapes: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("pattern"))
            .map(|p| {
                let mut shape = p.attribute("patternTransform").unwrap_or("").to_owned();
                for c in p.descendants().skip(1) {
                    for a in c
                        .attributes()
                        .filter(|a| !["fill", "stroke"].contains(&a.name()))
                    {
                        shape.push_str(&format!("{}={};", a.name(), a.value()));
                    }
                }
                shape
            })
            .collect();
        let mut distinct_shapes = shapes.clone();
        distinct_shapes.sort();
        distinct_shapes.dedup();
        assert_eq!(distinct_shapes.len(), shapes.len());

        let legend: Vec<Node> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-legend"))
            .flat_map(|g| g.children())
            .collect();
        assert_eq!(legend.len(), chart.series.len());
        for (i, series) in chart.series.iter().enumerate() {
            let fill = format!("url(#{})", patterns[i]);
            let item = legend[i];
            let swatch = item.children().find(|c| c.has_tag_name("rect")).unwrap();
            assert_eq!(swatch.attribute("fill"), Some(fill.as_str()));
            let label = item.children().find(|c| c.has_tag_name("text")).unwrap();
            assert_eq!(label.text(), Some(series.label.as_str()));
            let bars_of_series: Vec<Node> = bars(&doc)
                .into_iter()
                .filter(|b| {
                    title_of(*b)
                        .unwrap()
                        .contains(&format!(", {}: ", series.label))
                })
                .collect();
            assert!(!bars_of_series.is_empty());
            assert!(
                bars_of_series
                    .iter()
                    .all(|b| b.attribute("fill") == Some(fill.as_str()))
            );
        }
        // Twelve patterns before any repeats.
        let many = BarChart {
            series: (0..12)
                .map(|i| Series {
                    label: format!("Source {i}"),
                    values: vec![i + 1],
                })
                .collect(),
            categories: vec!["2017".into()],
            ..income()
        };
        let svg = bar_chart_svg(&many, Lang::En);
        let doc = parse(&svg);
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("pattern"))
                .count(),
            12
        );
    }

    #[test]
    fn the_colours_have_three_to_one_contrast_against_white() {
        fn luminance(hex: &str) -> f64 {
            let channel = |i: usize| {
                let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        }
        for colour in PALETTE.iter().chain([&AXIS, &TEXT, &MUTED]) {
            let ratio = 1.05 / (luminance(colour) + 0.05);
            assert!(ratio >= 3.0, "{colour}: {ratio:.2}");
        }
        let mut distinct = PALETTE.to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), PALETTE.len());
    }

    #[test]
    fn no_inline_styles() {
        let empty = BarChart {
            series: vec![],
            categories: vec![],
            ..subsidy()
        };
        for chart in [subsidy(), income(), empty] {
            for lang in Lang::ALL {
                let svg = bar_chart_svg(&chart, lang);
                let doc = parse(&svg);
                assert!(
                    doc.descendants()
                        .all(|n| n.attribute("style").is_none() && !n.has_tag_name("style"))
                );
                assert!(!svg.contains("style="));
                assert!(!svg.contains("<style"));
            }
        }
    }

    #[test]
    fn text_is_escaped() {
        let tricky = "Sponsors & <\"vrienden\"> 'van' Hranice";
        let chart = BarChart {
            id: "x\" onload=\"alert(1)".into(),
            title: format!("Title {tricky}"),
            description: format!("Desc {tricky}\u{0}"),
            categories: vec![format!("<{tricky}>"), "2013".into()],
            series: vec![
                Series {
                    label: tricky.into(),
                    values: vec![100, 200],
                },
                Series {
                    label: "Other".into(),
                    values: vec![300, 0],
                },
            ],
            unit: Unit::Cents,
        };
        let svg = bar_chart_svg(&chart, Lang::Nl);
        assert!(!svg.contains("<\"vrienden"));
        assert!(!svg.contains("onload=\""));
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(
            root.attributes().map(|a| a.name()).collect::<Vec<_>>(),
            [
                "class",
                "role",
                "aria-labelledby",
                "viewBox",
                "width",
                "font-family",
                "font-size"
            ]
        );
        assert!(doc.descendants().any(|n| n.text() == Some(tricky)));
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some(chart.title.as_str()))
        );
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some(&format!("Desc {tricky}")[..]))
        );
        assert!(
            bars(&doc)
                .into_iter()
                .filter_map(title_of)
                .any(|t| t == format!("<{tricky}>, {tricky}: €\u{a0}1"))
        );
        // Ids are reduced to a safe form, and the references use the same.
        let pattern = doc
            .descendants()
            .find(|n| n.has_tag_name("pattern"))
            .unwrap();
        let id = pattern.attribute("id").unwrap();
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert!(svg.contains(&format!("url(#{id})")));
    }

    #[test]
    fn no_data_gives_an_empty_chart_that_says_so() {
        let zeros = BarChart {
            series: vec![Series {
                label: "Subsidie".into(),
                values: vec![0, 0, 0],
            }],
            categories: vec!["2015".into(), "2016".into(), "2017".into()],
            ..subsidy()
        };
        let nothing = BarChart {
            series: vec![],
            categories: vec![],
            ..subsidy()
        };
        let no_values = BarChart {
            series: income()
                .series
                .into_iter()
                .map(|s| Series {
                    values: vec![],
                    ..s
                })
                .collect(),
            ..income()
        };
        for chart in [zeros, nothing, no_values] {
            for lang in Lang::ALL {
                let svg = bar_chart_svg(&chart, lang);
                let doc = parse(&svg);
                let no_data = lang.t("chart-no-data");
                assert!(!no_data.is_empty() && no_data != "chart-no-data");
                assert_eq!(texts(&doc, "chart-no-data"), [no_data.as_str()]);
                assert!(bars(&doc).is_empty());
                assert!(!doc.descendants().any(|n| n.has_tag_name("pattern")));
                // The title and description still name the chart, and the categories show.
                assert!(
                    doc.descendants()
                        .any(|n| n.text() == Some(chart.title.as_str()))
                );
                assert_eq!(
                    texts(&doc, "chart-categories").len(),
                    chart.categories.len()
                );
            }
        }
        assert_eq!(Lang::Nl.t("chart-no-data"), "Geen gegevens");
        assert_eq!(Lang::En.t("chart-no-data"), "No data");
    }

    #[test]
    fn negative_and_missing_values_count_as_zero() {
        let chart = BarChart {
            series: vec![Series {
                label: "Saldo".into(),
                values: vec![-500, 1000],
            }],
            categories: vec!["2016".into(), "2017".into(), "2018".into()],
            ..subsidy()
        };
        let svg = bar_chart_svg(&chart, Lang::Nl);
        let doc = parse(&svg);
        let bars = bars(&doc);
        assert_eq!(bars.len(), 1);
        assert_eq!(title_of(bars[0]), Some("2017, Saldo: €\u{a0}10"));
        assert_eq!(
            texts(&doc, "chart-values"),
            ["€\u{a0}0", "€\u{a0}10", "€\u{a0}0"]
        );
    }

    #[test]
    fn crowded_labels_are_thinned_rather_than_overlapping() {
        let chart = BarChart {
            categories: (1990..2030).map(|y| y.to_string()).collect(),
            series: vec![Series {
                label: "Activiteiten".into(),
                values: (0..40).map(|i| i * 1000).collect(),
            }],
            unit: Unit::Count,
            ..subsidy()
        };
        let svg = bar_chart_svg(&chart, Lang::Nl);
        let doc = parse(&svg);
        let labels: Vec<Node> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-categories"))
            .flat_map(|g| g.children())
            .collect();
        assert!(labels.len() < 40 && labels.len() >= 10);
        for w in labels.windows(2) {
            let gap = f(w[1], "x") - f(w[0], "x");
            assert!(gap >= text_width("2000", FONT), "{gap}");
        }
        // Values that would not fit their band are left to the titles.
        assert!(texts(&doc, "chart-values").is_empty());
        assert_eq!(bars(&doc).len(), 39);
    }

    /// Writes example charts for a look in a browser:
    /// `CHART_EXAMPLES=/tmp/charts cargo test -p stedenband-web --lib charts -- --ignored`.
    #[test]
    #[ignore]
    fn write_examples() {
        let dir = std::env::var("CHART_EXAMPLES").unwrap_or_else(|_| "/tmp/charts".into());
        std::fs::create_dir_all(&dir).unwrap();
        let many = BarChart {
            id: "many".into(),
            series: [
                "Gemeentelijke subsidie",
                "Eenmalige bijdrage",
                "Cultuursubsidie",
                "EU-subsidie",
                "Ondernemersfonds",
                "Sponsors & <vrienden>",
                "Eigen fondsenwerving",
                "Bijdragen deelnemers",
                "Project Huygenskwartier",
                "Overig",
                "Nog een bron",
                "En de twaalfde, met een heel lange naam die niet op één regel past want hij is echt veel te lang",
            ]
            .iter()
            .enumerate()
            .map(|(i, l)| Series {
                label: (*l).into(),
                values: (0..6).map(|y| 20_000 + (i as i64 * 7 + y * 3) % 11 * 15_000).collect(),
            })
            .collect(),
            ..income()
        };
        let empty = BarChart {
            series: vec![],
            ..subsidy()
        };
        for (name, chart) in [
            ("subsidy", subsidy()),
            ("income", income()),
            ("many", many),
            ("empty", empty),
        ] {
            for lang in Lang::ALL {
                let path = format!("{dir}/{name}-{}.svg", lang.code());
                std::fs::write(path, bar_chart_svg(&chart, lang)).unwrap();
            }
        }
    }
}
