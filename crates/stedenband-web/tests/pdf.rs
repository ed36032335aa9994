//! The PDF writer read back by independent tools: poppler's `pdftotext` and `pdfinfo` (they must
//! be installed under CI; elsewhere these checks are skipped with a notice) and, when
//! `PDF_CHECK_PYTHON` names a Python with `pypdf` (as in CI), `scripts/check-pdf.py`, which opens
//! the file with strict parsing and extracts the text.
//!
//! Set `PDF_SAMPLE_DIR` to a folder to keep the sample report there (`report.pdf`) for a look.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use stedenband_web::pdf::{self, Block, Doc};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const TITLE: &str = "Stedenbanden Leidschendam-Voorburg 2012–2017";
const YEARS: [&str; 6] = ["2012", "2013", "2014", "2015", "2016", "2017"];
/// The seed's municipal subsidy in whole euros: 24,490 in 2012, phased out in thirds.
const SUBSIDY: [i64; 6] = [24_490, 16_327, 8_163, 0, 0, 0];
const OWN_INCOME: [i64; 6] = [3_200, 4_150, 5_600, 6_100, 5_900, 7_300];
const FUNDS: [i64; 6] = [0, 2_500, 2_500, 4_000, 3_000, 3_500];

/// Dutch digit grouping, written out here rather than taken from the module.
fn dutch(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn long_rows(count: usize) -> Vec<Vec<String>> {
    (1..=count)
        .map(|i| {
            vec![
                format!("Rij {i:03}"),
                format!("Uitwisseling café “De Brug” – Přerov"),
                format!("€ {},{:02}", dutch(i as i64 * 37), i % 100),
            ]
        })
        .collect()
}

fn long_table(count: usize) -> Block {
    Block::Table {
        caption: String::new(),
        header: vec!["Nummer".into(), "Omschrijving".into(), "Bedrag".into()],
        rows: long_rows(count),
        numeric: vec![false, false, true],
    }
}

fn sample_report() -> Doc {
    Doc {
        title: TITLE.into(),
        subtitle: Some("Rapportage voor de gemeenteraad, 12 februari 2018".into()),
        lang: "nl".into(),
        footer: Some("Stichting Stedenbanden Leidschendam-Voorburg · rapport".into()),
        blocks: vec![
            Block::Heading("Samenvatting".into()),
            Block::Paragraph(
                "Het comité heeft in één jaar tijd drie uitwisselingen georganiseerd met \
                 Hranice (Tsjechië), Přerov en Łódź. De gemeentelijke subsidie van € 24.490 \
                 is vanaf 2013 in drie gelijke stappen afgebouwd; de werkgroepen vonden \
                 daarnaast eigen inkomsten en fondsen. Ook de “Kerstboom-actie” – een traditie \
                 sinds 1995 – ging door."
                    .into(),
            ),
            Block::List(vec![
                "Jongerenuitwisseling met Hranice (zomer 2015)".into(),
                "Bezoek van de burgemeester van Přerov".into(),
                "Kerstboom op het Koningin Julianaplein, geschonken door Hranice".into(),
            ]),
            Block::Heading("Inkomsten per jaar".into()),
            Block::Bars {
                caption: "Inkomsten van de stedenbanden per jaar".into(),
                categories: YEARS.map(String::from).to_vec(),
                series: vec![
                    ("Gemeentelijke subsidie".into(), SUBSIDY.to_vec()),
                    ("Eigen inkomsten".into(), OWN_INCOME.to_vec()),
                    ("Fondsen".into(), FUNDS.to_vec()),
                ],
                unit_label: "euro".into(),
            },
            Block::Table {
                caption: "Gemeentelijke subsidie".into(),
                header: vec!["Jaar".into(), "Subsidie".into(), "Opmerking".into()],
                rows: YEARS
                    .iter()
                    .zip(SUBSIDY)
                    .map(|(year, euros)| {
                        vec![
                            year.to_string(),
                            format!("€ {}", dutch(euros)),
                            match *year {
                                "2012" => "volledige subsidie".into(),
                                "2013" => "twee derde".into(),
                                "2014" => "één derde".into(),
                                _ => String::new(),
                            },
                        ]
                    })
                    .collect(),
                numeric: vec![false, true, false],
            },
            Block::Heading("Alle uitgaven".into()),
            long_table(300),
        ],
    }
}

/// The path of a poppler tool, or `None` (with a notice) when it is not installed; under CI
/// it must be.
fn poppler(tool: &str) -> Option<PathBuf> {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, {tool} (poppler-utils) must be installed"
        );
        eprintln!("{tool} is not installed (poppler-utils): this PDF check is skipped");
        return None;
    }
    Some(PathBuf::from(tool))
}

fn checker_python() -> Option<PathBuf> {
    let Some(python) = std::env::var_os("PDF_CHECK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, PDF_CHECK_PYTHON must name a Python with the pypdf package"
        );
        eprintln!("PDF_CHECK_PYTHON is not set: the independent pypdf check is skipped");
        return None;
    };
    Some(if Path::new(&python).components().count() > 1 {
        workspace().join(python)
    } else {
        PathBuf::from(python)
    })
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Writes the document to a file in `dir` (and to `PDF_SAMPLE_DIR` when set).
fn write(doc: &Doc, dir: &Path, name: &str) -> PathBuf {
    let bytes = pdf::render(doc);
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    if let Some(keep) = std::env::var_os("PDF_SAMPLE_DIR") {
        std::fs::write(Path::new(&keep).join(name), &bytes).unwrap();
    }
    path
}

/// The text of each page, as `pdftotext` reads it (pages end with a form feed).
fn pages_text(pdftotext: &Path, file: &Path) -> Vec<String> {
    let out = Command::new(pdftotext)
        .args(["-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(String::from).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn pdfinfo(pdfinfo: &Path, file: &Path) -> String {
    let out = Command::new(pdfinfo).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn info_field(info: &str, field: &str) -> String {
    info.lines()
        .find_map(|line| line.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in {info}"))
        .trim()
        .to_owned()
}

#[test]
fn the_bytes_are_a_complete_pdf_file() {
    let bytes = pdf::render(&sample_report());
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    // The same document gives the same bytes (no clock, no random id).
    assert_eq!(bytes, pdf::render(&sample_report()));
}

#[test]
fn poppler_reads_the_title_figures_and_dutch_text() {
    let (Some(pdftotext), Some(pdfinfo_tool)) = (poppler("pdftotext"), poppler("pdfinfo")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = write(&sample_report(), dir.path(), "report.pdf");
    let info = pdfinfo(&pdfinfo_tool, &file);
    assert_eq!(info_field(&info, "Title"), TITLE);
    assert!(
        info_field(&info, "Page size").starts_with("595 x 842 pts (A4)"),
        "{info}"
    );

    let pages = pages_text(&pdftotext, &file);
    let all = pages.join("\n");
    for text in [
        TITLE,
        "Samenvatting",
        "comité",
        "één jaar",
        "Tsjechië",
        "€ 24.490",
        "“Kerstboom-actie” – een traditie",
        // Not in cp1252: transliterated, not dropped.
        "Prerov",
        "Lódz",
        "Inkomsten van de stedenbanden per jaar",
        "Gemeentelijke subsidie",
        "Eigen inkomsten",
        "Fondsen",
        "€ 16.327",
    ] {
        assert!(all.contains(text), "{text:?} not in the text:\n{all}");
    }
    // The chart prints each year's total above its bar.
    for i in 0..YEARS.len() {
        let total = SUBSIDY[i] + OWN_INCOME[i] + FUNDS[i];
        assert!(all.contains(&dutch(total)), "total {total} of {}", YEARS[i]);
    }
    // Every page carries "n / N" in its footer (pdftotext drops those narrow spaces), and the
    // footer text.
    let count = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let squashed: String = page.split_whitespace().collect();
        assert!(
            squashed.contains(&format!("{}/{count}", i + 1)),
            "page {}",
            i + 1
        );
        assert!(page.contains("Stichting Stedenbanden Leidschendam-Voorburg"));
    }
}

#[test]
fn a_long_table_fills_pages_and_repeats_its_header() {
    let (Some(pdftotext), Some(pdfinfo_tool)) = (poppler("pdftotext"), poppler("pdfinfo")) else {
        return;
    };
    const ROWS: usize = 300;
    let doc = Doc {
        title: "Uitgaven".into(),
        subtitle: None,
        lang: "nl".into(),
        footer: None,
        blocks: vec![long_table(ROWS)],
    };
    let dir = tempfile::tempdir().unwrap();
    let file = write(&doc, dir.path(), "long-table.pdf");

    // The geometry the module documents: A4 (842 pt high), a 50 pt top margin, content down to
    // 60 pt, one-line rows (header too) 15 pt high, and above the table on the first page the
    // title: one 24 pt line, 6 pt, the rule and 14 pt.
    assert_eq!((pdf::CONTENT_BOTTOM, pdf::TABLE_ROW), (60.0, 15.0));
    let room = 842 - 50 - 60;
    let first_page_rows = (room - (24 + 6 + 14) - 15) / 15; // 44
    let rows_per_page = (room - 15) / 15; // 47
    let expected_pages = 1 + (ROWS - first_page_rows).div_ceil(rows_per_page);
    assert_eq!(
        (first_page_rows, rows_per_page, expected_pages),
        (44, 47, 7)
    );

    let info = pdfinfo(&pdfinfo_tool, &file);
    assert_eq!(info_field(&info, "Pages"), expected_pages.to_string());

    let pages = pages_text(&pdftotext, &file);
    assert_eq!(pages.len(), expected_pages);
    let mut seen = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for header in ["Nummer", "Omschrijving", "Bedrag"] {
            assert!(
                page.contains(header),
                "page {} lacks the header {header}",
                i + 1
            );
        }
        let rows: Vec<usize> = page
            .split_whitespace()
            .filter_map(|w| w.parse().ok().filter(|_| w.len() == 3))
            .collect();
        let want = if i == 0 {
            first_page_rows
        } else if i + 1 < expected_pages {
            rows_per_page
        } else {
            ROWS - first_page_rows - (expected_pages - 2) * rows_per_page
        };
        assert_eq!(rows.len(), want, "rows on page {}", i + 1);
        seen.extend(rows);
    }
    assert_eq!(seen, (1..=ROWS).collect::<Vec<_>>());
    // Figures are right-aligned: in a layout-preserving extraction, each amount ends in the
    // same column.
    let out = Command::new(&pdftotext)
        .args(["-layout", "-enc", "UTF-8", "-f", "2", "-l", "2"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let layout = String::from_utf8(out.stdout).unwrap();
    let ends: Vec<usize> = layout
        .lines()
        .filter(|l| l.trim_start().starts_with("Rij "))
        .map(|l| l.trim_end().chars().count())
        .collect();
    assert_eq!(ends.len(), rows_per_page);
    assert!(ends.iter().all(|&e| e == ends[0]), "{ends:?}");
}

#[test]
fn pypdf_opens_the_file_strictly_and_extracts_the_text() {
    let Some(python) = checker_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = write(&sample_report(), dir.path(), "report.pdf");
    let check = |file: &Path, extra: &[&str]| {
        Command::new(&python)
            .arg(workspace().join("scripts/check-pdf.py"))
            .arg(file)
            .args(["--title", TITLE, "--lang", "nl"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = check(
        &file,
        &[
            "--expect",
            "€ 24.490",
            "--expect",
            "één jaar",
            "--expect",
            "comité",
            "--expect",
            "Rij 300",
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(output_text(&out).contains(": OK,"), "{}", output_text(&out));

    // The checker does check: a text that is not there, and a damaged file, fail.
    let out = check(&file, &["--expect", "Rotterdam"]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    let bytes = std::fs::read(&file).unwrap();
    let broken = dir.path().join("broken.pdf");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).unwrap();
    let out = check(&broken, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
}
