//! The `.xlsx` export read back by an independent reader: when `XLSX_CHECK_PYTHON` names a Python
//! with `openpyxl` (as in CI), `scripts/check-xlsx.py` opens the workbook and checks that the
//! euro cells are numbers in a euro format equal to the seed's figures, integers are numbers,
//! dates are dates and a formula-like text stays text.

use jiff::civil::date;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use stedenband_web::export::{Cell, Table, xlsx};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed's municipal subsidy: EUR 24,490 in 2012, phased out in thirds from 2013.
const SUBSIDY_CENTS: [(i16, i64); 6] = [
    (2012, 2_449_000),
    (2013, 1_632_700),
    (2014, 816_300),
    (2015, 0),
    (2016, 0),
    (2017, 0),
];

fn subsidy_sheet() -> (Table, Value) {
    let headers = ["Jaar", "Subsidie", "Partnersteden", "Ingang", "Opmerking"];
    let note = |year: i16| match year {
        2012 => "=SUM(A1)",
        2013 => "twee derde",
        2014 => "een derde",
        _ => "",
    };
    let table = Table {
        name: "Subsidie".into(),
        title: Some("Gemeentelijke subsidie stedenbanden 2012-2017".into()),
        headers: headers.map(String::from).to_vec(),
        rows: SUBSIDY_CENTS
            .iter()
            .map(|&(year, cents)| {
                vec![
                    Cell::Int(year.into()),
                    Cell::Euros(cents),
                    Cell::Int(3),
                    Cell::Date(date(year, 1, 1)),
                    Cell::Text(note(year).into()),
                ]
            })
            .collect(),
    };
    let expected = json!({
        "headers": headers,
        "rows": SUBSIDY_CENTS
            .iter()
            .map(|&(year, cents)| json!([
                {"int": year},
                {"euros": cents},
                {"int": 3},
                {"date": format!("{year}-01-01")},
                // An empty text is no cell at all.
                if note(year).is_empty() { Value::Null } else { json!({"text": note(year)}) },
            ]))
            .collect::<Vec<_>>(),
    });
    (table, expected)
}

/// A second sheet without a title: a negative amount, an empty cell, a date before 1900 (text).
fn register_sheet() -> (Table, Value) {
    let table = Table {
        name: "Register: 2015/2017".into(), // sanitised to "Register_ 2015_2017"
        title: None,
        headers: vec!["Ontvanger".into(), "Bedrag".into(), "Datum".into()],
        rows: vec![
            vec![
                Cell::Text("Stichting Stedenband".into()),
                Cell::Euros(1_000_000),
                Cell::Date(date(2015, 6, 12)),
            ],
            vec![
                Cell::Text("-terugvordering".into()),
                Cell::Euros(-5),
                Cell::Empty,
            ],
            vec![
                Cell::Text("Stadsarchief".into()),
                Cell::Euros(650_000),
                Cell::Date(date(1899, 12, 1)),
            ],
        ],
    };
    let expected = json!({
        "headers": ["Ontvanger", "Bedrag", "Datum"],
        "rows": [
            [{"text": "Stichting Stedenband"}, {"euros": 1_000_000}, {"date": "2015-06-12"}],
            [{"text": "-terugvordering"}, {"euros": -5}, null],
            [{"text": "Stadsarchief"}, {"euros": 650_000}, {"text": "1899-12-01"}],
        ],
    });
    (table, expected)
}

/// The Python to run the checker with, or `None` (with a notice) when none is configured.
fn checker_python() -> Option<PathBuf> {
    let Some(python) = std::env::var_os("XLSX_CHECK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, XLSX_CHECK_PYTHON must name a Python with the openpyxl package"
        );
        eprintln!("XLSX_CHECK_PYTHON is not set: the independent .xlsx check is skipped");
        return None;
    };
    Some(if Path::new(&python).components().count() > 1 {
        workspace().join(python)
    } else {
        PathBuf::from(python)
    })
}

fn run_checker(python: &Path, xlsx: &Path, expected: &Value, dir: &Path) -> Output {
    let json = dir.join(format!(
        "expected-{}.json",
        xlsx.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&json, serde_json::to_vec_pretty(expected).unwrap()).unwrap();
    Command::new(python)
        .arg(workspace().join("scripts/check-xlsx.py"))
        .arg(xlsx)
        .arg(&json)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn xlsx_export_reads_back_with_the_seed_figures_in_openpyxl() {
    let (subsidy, subsidy_expected) = subsidy_sheet();
    let (register, register_expected) = register_sheet();
    let bytes = xlsx(&[subsidy, register]).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an .xlsx file is a zip");
    let Some(python) = checker_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("subsidie.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let expected = json!({
        "Subsidie": subsidy_expected,
        "Register_ 2015_2017": register_expected,
    });
    let out = run_checker(&python, &path, &expected, dir.path());
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains(": OK, 2 sheets"), "{said}");
    print!("{said}");
}

/// The checker is not a rubber stamp: a wrong figure, a number expected as text and a missing
/// sheet each fail it with a message naming the cell.
#[test]
fn the_xlsx_checker_rejects_wrong_figures() {
    let Some(python) = checker_python() else {
        return;
    };
    let (subsidy, mut expected) = subsidy_sheet();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrong.xlsx");
    std::fs::write(&path, xlsx(&[subsidy]).unwrap()).unwrap();
    expected["rows"][1][1] = json!({"euros": 1_632_701});
    expected["rows"][0][0] = json!({"text": "2012"});
    let out = run_checker(
        &python,
        &path,
        &json!({"Subsidie": expected, "Grootboek": {"headers": [], "rows": []}}),
        dir.path(),
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("Subsidie!B4: expected 16327.01 (1632701 cents), found 16327"),
        "{said}"
    );
    assert!(
        said.contains("Subsidie!A3: expected text '2012', found int 2012"),
        "{said}"
    );
    assert!(said.contains("no sheet 'Grootboek'"), "{said}");
}
