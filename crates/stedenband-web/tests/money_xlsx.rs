mod support;
use support::*;

// The demo's yearly overview as a download, on SQLite and PostgreSQL: the CSV carries the seed's
// municipal money 2012-2017 (checked here against the seed's figures), and the .xlsx of the same
// overview opens in an independent reader (Python's openpyxl, `scripts/check-xlsx.py`, when
// XLSX_CHECK_PYTHON names it, as in CI) with numeric euro cells equal to those figures.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const PATH: &str = "/municipalities/leidschendam-voorburg/money";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

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

/// Cents from "16327.00" (the CSV's exact notation), without floating point.
fn cents(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.')?;
    if frac.len() != 2 {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = frac.parse().ok()?;
    Some(if whole.starts_with('-') {
        w * 100 - f
    } else {
        w * 100 + f
    })
}

async fn the_overview_downloads_with_the_seeds_figures(app: App) {
    let get = |suffix: &'static str| {
        let app = &app;
        async move {
            app.http
                .get(app.url(&format!("{PATH}.{suffix}?from=2012&to=2017")))
                .header("accept-language", "en")
                .send()
                .await
                .unwrap()
        }
    };
    let res = get("csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    let headers: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    // The seed: EUR 24,490 in 2012, two thirds and one third (whole euros, half up) after,
    // nothing from 2015; the one-off EUR 10,000 in 2015. Computed here, not by the program.
    let base = 24_490_i64;
    let third = |n: i64| (2 * base * n + 3) / 6 * 100;
    let subsidy = [base * 100, third(2), third(1), 0, 0, 0];
    let one_off = [0, 0, 0, 1_000_000, 0, 0];
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.to_lowercase().contains(name))
            .unwrap_or_else(|| panic!("a column for {name} in {headers:?}"))
    };
    let (yearly, once, cash) = (col("yearly"), col("one-off"), col("cash"));
    for (i, year) in (2012..=2017).enumerate() {
        let r = &rows[i];
        assert_eq!(r[0], year.to_string());
        assert_eq!(cents(&r[yearly]), Some(subsidy[i]), "{year}: {r:?}");
        assert_eq!(cents(&r[once]), Some(one_off[i]), "{year}: {r:?}");
        assert_eq!(cents(&r[cash]), Some(subsidy[i] + one_off[i]), "{year}");
    }

    let res = get("xlsx").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let Some(python) = checker_python() else {
        return;
    };
    // The same table, cell by cell: years as numbers, amounts as euro numbers, the rest text.
    let expect_row = |r: &Vec<String>| -> Vec<Value> {
        r.iter()
            .enumerate()
            .map(|(c, v)| {
                if v.is_empty() {
                    Value::Null
                } else if c == 0 && v.parse::<i64>().is_ok() {
                    json!({"int": v.parse::<i64>().unwrap()})
                } else if c == headers.len() - 1 {
                    // The leverage: a number cell since quotients are exported as numbers.
                    json!({"number": v})
                } else if let Some(ct) = cents(v) {
                    json!({"euros": ct})
                } else {
                    json!({"text": v})
                }
            })
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("money.xlsx");
    std::fs::write(&xlsx, &bytes).unwrap();
    let expected = json!({
        "Per year": {
            "headers": headers,
            "rows": rows.iter().map(expect_row).collect::<Vec<_>>(),
        }
    });
    let spec = dir.path().join("expected.json");
    std::fs::write(&spec, serde_json::to_vec_pretty(&expected).unwrap()).unwrap();
    let out = Command::new(python)
        .arg(workspace().join("scripts/check-xlsx.py"))
        .arg(&xlsx)
        .arg(&spec)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    println!("{said}");
}

http_tests!(the_overview_downloads_with_the_seeds_figures);
