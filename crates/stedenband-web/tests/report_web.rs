mod support;
use support::*;

// Reports over HTTP, on SQLite and PostgreSQL, with the demo data: the JSON API's figures
// checked against other routes that count the same things by their own code (the numbers per
// partnership and year, the municipal money overview), the page in Dutch and English with its
// charts and tables, refused parameters next to their fields (page) or in a problem (API), the
// PDF read back by poppler's `pdftotext`, the workbook by openpyxl, the CSV, and comparisons.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const LV: &str = "leidschendam-voorburg";
const REPORT: &str = "/api/v1/reports?municipality=leidschendam-voorburg&from=2004&to=2008";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A GET as the administrator (bearer token): status and JSON.
async fn get_as_admin(app: &App, path: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .get(app.url(path))
        .header("accept-language", "en")
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A download as the public: status and bytes.
async fn bytes(app: &App, path: &str, lang: &str) -> (StatusCode, Vec<u8>, String) {
    let res = app
        .http
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, res.bytes().await.unwrap().to_vec(), kind)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// Euros with two decimals ("6500.00") as cents, without floating point.
fn cents_of(s: &str) -> i64 {
    let (w, f) = s.split_once('.').unwrap();
    w.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

/// Cents written the Dutch way, as on the pages and in the PDF: "122.450,00".
fn dutch(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{out},{:02}", cents % 100)
}

async fn the_api_report_agrees_with_the_numbers_and_the_money_overview(app: App) {
    let (status, r) = get_as_admin(&app, REPORT).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["from"], 2004);
    assert_eq!(r["to"], 2008);
    assert_eq!(
        r["includesInternal"], true,
        "the administrator sees everything"
    );
    let partnerships = r["partnerships"].as_array().unwrap();
    assert_eq!(partnerships.len(), 3, "all three twinnings by default");

    // Activities: the sum over the partnerships' own numbers per year (another use case).
    let mut per_year: BTreeMap<i64, i64> = BTreeMap::new();
    let mut by_partnership: BTreeMap<String, i64> = BTreeMap::new();
    let (mut home, mut partner) = (0_i64, 0_i64);
    let mut themed = 0_i64;
    for p in partnerships {
        let id = p["id"].as_str().unwrap();
        let (status, n) =
            get_as_admin(&app, &format!("/api/v1/partnerships/{id}/activity-numbers")).await;
        assert_eq!(status, StatusCode::OK, "{n}");
        for y in n["years"].as_array().unwrap() {
            let year = int(&y["year"]);
            if !(2004..=2008).contains(&year) {
                continue;
            }
            let count = int(&y["activities"]);
            *per_year.entry(year).or_default() += count;
            *by_partnership.entry(id.to_owned()).or_default() += count;
            home += int(&y["participantsHome"]);
            partner += int(&y["participantsPartner"]);
            for c in ["knowledge-transfer", "economy", "city-promotion"] {
                themed += y["byCategory"][c].as_i64().unwrap_or(0);
            }
        }
    }
    let total: i64 = per_year.values().sum();
    assert!(total > 0, "the demo holds activities in 2004-2008");
    assert_eq!(int(&r["activities"]["activities"]), total);
    for y in r["activityYears"].as_array().unwrap() {
        let year = int(&y["year"]);
        assert_eq!(
            int(&y["activities"]),
            per_year.get(&year).copied().unwrap_or(0),
            "{year}"
        );
    }
    for (id, n) in &by_partnership {
        assert_eq!(int(&r["activities"]["byPartnership"][id]), *n, "{id}");
    }
    assert_eq!(int(&r["activities"]["participantsHome"]), home);
    assert_eq!(int(&r["activities"]["participantsPartner"]), partner);
    assert_eq!(int(&r["themes"]["themed"]), themed);

    // Money: the municipal overview of the same years (the money use case).
    let (status, ov) = app
        .get_json(&format!(
            "/api/v1/municipalities/{LV}/money?from=2004&to=2008"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{ov}");
    let mut cash = 0;
    let mut private = 0;
    for (y, o) in r["moneyYears"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ov["years"].as_array().unwrap())
    {
        assert_eq!(y["year"], o["year"]);
        assert_eq!(y["cashCents"], o["cashCents"], "cash {}", y["year"]);
        assert_eq!(y["inKindCents"], o["inKindCents"], "in kind {}", y["year"]);
        assert_eq!(
            y["privateIncomeCents"], o["privateIncomeCents"],
            "private {}",
            y["year"]
        );
        cash += int(&y["cashCents"]);
        private += int(&y["privateIncomeCents"]);
    }
    assert_eq!(int(&r["money"]["cashCents"]), cash);
    assert_eq!(int(&r["money"]["privateIncomeCents"]), private);
    assert!(cash > 0 && private > 0, "the demo has money in 2004-2008");
    // The leverage: private per municipal euro, two decimals, half away from zero.
    let lev = (private * 100 * 2 + cash) / (2 * cash);
    assert_eq!(
        r["money"]["leverage"],
        format!("{}.{:02}", lev / 100, lev % 100)
    );
    // Cost per participant: the working groups' expenses over the participants, to the cent.
    let expenses = int(&r["money"]["groupExpensesCents"]);
    let people = home + partner;
    assert!(people > 0);
    assert_eq!(
        int(&r["money"]["costPerParticipantCents"]),
        (2 * expenses + people) / (2 * people)
    );

    // Indicators per criterion, among them the 2009 study's three.
    for aspect in ["usefulness", "necessity", "functionality", "efficiency"] {
        let list = r["indicators"][aspect].as_array().unwrap();
        assert!(!list.is_empty(), "{aspect}");
    }
    let leverage = r["indicators"]["efficiency"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "indicator-leverage")
        .unwrap();
    assert_eq!(leverage["figure"]["decimal"], r["money"]["leverage"]);
}

async fn the_public_counts_public_activities_and_the_same_money(app: App) {
    let (_, admin) = get_as_admin(&app, REPORT).await;
    let (status, public) = app.get_json(REPORT).await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["includesInternal"], false);
    assert!(int(&public["activities"]["activities"]) <= int(&admin["activities"]["activities"]));
    assert_eq!(
        public["money"], admin["money"],
        "money aggregates are public"
    );
}

async fn bad_parameters_get_a_problem_naming_the_field(app: App) {
    let before = app.snapshot().await;
    let cases: [(&str, &[(&str, &str)]); 5] = [
        (
            "/api/v1/reports?from=2004&to=2008",
            &[("municipality", "error-required")],
        ),
        (
            "/api/v1/reports?municipality=leidschendam-voorburg&from=2008&to=2004",
            &[("to", "error-end-before-start")],
        ),
        (
            "/api/v1/reports?municipality=leidschendam-voorburg&from=1800&to=2008",
            &[("to", "error-years-span-too-long")],
        ),
        (
            "/api/v1/reports?municipality=leidschendam-voorburg&from=twee&to=2008",
            &[("from", "error-year-out-of-range")],
        ),
        (
            "/api/v1/reports/compare?municipality=leidschendam-voorburg&from=2004&to=2008&otherFrom=2010&otherTo=2009",
            &[("otherTo", "error-end-before-start")],
        ),
    ];
    for (path, expected) in cases {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(invalid_fields(&p), want, "{path}");
    }
    // A partnership of another municipality.
    let (_, temecula_side) = app
        .get_json("/api/v1/partnerships?municipality=hranice&pageSize=200")
        .await;
    let foreign = temecula_side["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .find(|_| true);
    if let Some(id) = foreign {
        let lv_ids: Vec<String> = {
            let (_, r) = app.get_json(REPORT).await;
            r["partnerships"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned())
                .collect()
        };
        if !lv_ids.contains(&id) {
            let res = app
                .http
                .get(app.url(&format!("{REPORT}&partnerships={id}")))
                .send()
                .await
                .unwrap();
            let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(invalid_fields(&p)[0].0, "partnerships");
        }
    }
    let res = app
        .http
        .get(app.url("/api/v1/reports?municipality=atlantis&from=2004&to=2008"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
    assert_eq!(app.snapshot().await, before, "a report changes nothing");
}

async fn two_periods_compare_with_their_differences(app: App) {
    let path = "/api/v1/reports/compare?municipality=leidschendam-voorburg&from=2004&to=2008&otherFrom=2012&otherTo=2016";
    let (status, c) = app.get_json(path).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let (_, a) = app
        .get_json("/api/v1/reports?municipality=leidschendam-voorburg&from=2004&to=2008")
        .await;
    let (_, b) = app
        .get_json("/api/v1/reports?municipality=leidschendam-voorburg&from=2012&to=2016")
        .await;
    let line = |key: &str| {
        c["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == key)
            .unwrap_or_else(|| panic!("{key} in {c}"))
            .clone()
    };
    let acts = line("indicator-activities");
    assert_eq!(acts["first"]["value"], a["activities"]["activities"]);
    assert_eq!(acts["second"]["value"], b["activities"]["activities"]);
    assert_eq!(
        int(&acts["difference"]["value"]),
        int(&b["activities"]["activities"]) - int(&a["activities"]["activities"])
    );
    let cash = line("indicator-municipal-cash");
    assert_eq!(
        int(&cash["difference"]["cents"]),
        int(&b["money"]["cashCents"]) - int(&a["money"]["cashCents"])
    );
    // Two partnerships over the same years.
    let hranice = app.partnership_id("hranice").await;
    let temecula = app.partnership_id("temecula").await;
    let (status, c) = app
        .get_json(&format!(
            "/api/v1/reports/compare?municipality={LV}&from=2004&to=2008&partnerships={hranice}&otherPartnerships={temecula}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["first"]["partnerships"].as_array().unwrap().len(), 1);
    assert_eq!(c["first"]["partnerships"][0]["id"], hranice);
    assert_eq!(c["second"]["partnerships"][0]["id"], temecula);
}

async fn the_page_shows_charts_and_tables_in_both_languages(app: App) {
    let path = format!("/municipalities/{LV}/report?from=2004&to=2008");
    let (status, nl) = app.page(&path, "nl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(nl.contains("Rapportage Leidschendam-Voorburg, 2004–2008"));
    assert!(nl.contains("Kennisoverdracht, economie en stadspromotie"));
    assert!(nl.contains("<svg") && nl.contains("role=\"img\""), "charts");
    assert!(nl.contains("id=\"activities-by-category\""));
    assert!(nl.contains("id=\"municipal-money\""));
    assert!(nl.contains("id=\"continuity\""));
    assert!(nl.contains("/municipalities/leidschendam-voorburg/report.pdf?from=2004"));
    assert!(nl.contains("Deze cijfers tellen alleen openbare activiteiten."));
    let (status, en) = app.page(&path, "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(en.contains("Report Leidschendam-Voorburg, 2004–2008"));
    assert!(en.contains("Figures per evaluation criterion"));
    // The municipal total of the period, as the API computes it, in the page's notation.
    let (_, r) = app.get_json(REPORT).await;
    let cash = int(&r["money"]["cashCents"]);
    assert!(nl.contains(&dutch(cash)), "{} on the page", dutch(cash));
}

async fn refused_parameters_are_shown_next_to_the_field(app: App) {
    let before = app.snapshot().await;
    let (status, page) = app
        .page(
            &format!("/municipalities/{LV}/report?from=2008&to=2004"),
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"e-to\""), "the error stands at `to`");
    assert!(page.contains("value=\"2008\""), "the value is kept");
    let (status, page) = app
        .page(&format!("/municipalities/{LV}/report?from=abc"), "nl")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"e-from\""));
    let (status, _) = app
        .page(
            &format!("/municipalities/{LV}/report?from=2004&to=2008&partnerships=nonsense"),
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.page("/municipalities/atlantis/report", "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = app
        .page(
            &format!(
                "/municipalities/{LV}/report/compare?from=2004&to=2008&otherFrom=2009&otherTo=2001"
            ),
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"e-otherTo\""));
    assert_eq!(app.snapshot().await, before);
}

async fn the_csv_and_the_workbook_hold_the_figures(app: App) {
    let (_, r) = app.get_json(REPORT).await;
    let (status, body, kind) = bytes(
        &app,
        &format!("/municipalities/{LV}/report.csv?from=2004&to=2008&table=municipal-money"),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(body).unwrap();
    let mut lines = csv.lines();
    let headers: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_eq!(headers[0], "Year");
    let cash_col = headers.iter().position(|h| h == "Cash").unwrap();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 6, "five years and the total");
    for (row, y) in rows.iter().zip(r["moneyYears"].as_array().unwrap()) {
        assert_eq!(row[0], y["year"].to_string());
        assert_eq!(cents_of(&row[cash_col]), int(&y["cashCents"]));
    }
    assert_eq!(rows[5][0], "Total");
    assert_eq!(cents_of(&rows[5][cash_col]), int(&r["money"]["cashCents"]));
    let (status, _, _) = bytes(
        &app,
        &format!("/municipalities/{LV}/report.csv?from=2004&to=2008&table=nothing"),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body, kind) = bytes(
        &app,
        &format!("/municipalities/{LV}/report.xlsx?from=2004&to=2008"),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"));
    assert!(body.starts_with(b"PK"));
    let Some(python) = std::env::var_os("XLSX_CHECK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, XLSX_CHECK_PYTHON must name a Python with openpyxl"
        );
        return;
    };
    // The municipal money sheet, cell by cell: years as numbers, amounts as euro numbers.
    let expect = |row: &Vec<String>| -> Vec<Value> {
        row.iter()
            .enumerate()
            .map(|(i, v)| {
                if i == 0 {
                    match v.parse::<i64>() {
                        Ok(y) => json!({"int": y}),
                        Err(_) => json!({"text": v}),
                    }
                } else {
                    json!({"euros": cents_of(v)})
                }
            })
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xlsx");
    std::fs::write(&file, &body).unwrap();
    let spec = dir.path().join("expected.json");
    let expected = json!({
        "Municipal money": {
            "headers": headers,
            "rows": rows.iter().map(expect).collect::<Vec<_>>(),
        }
    });
    std::fs::write(&spec, serde_json::to_vec(&expected).unwrap()).unwrap();
    let python = PathBuf::from(python);
    let python = if python.components().count() > 1 && python.is_relative() {
        workspace().join(python)
    } else {
        python
    };
    let out = Command::new(python)
        .arg(workspace().join("scripts/check-xlsx.py"))
        .arg(&file)
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn the_pdf_is_a_document_with_the_title_and_the_figures(app: App) {
    let (_, r) = app.get_json(REPORT).await;
    let (status, body, kind) = bytes(
        &app,
        &format!("/municipalities/{LV}/report.pdf?from=2004&to=2008"),
        "nl",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(body.starts_with(b"%PDF-"));
    assert!(body.trim_ascii_end().ends_with(b"%%EOF"));
    let found = Command::new("pdftotext").arg("-v").output();
    if found.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, pdftotext (poppler-utils) must be installed"
        );
        eprintln!("pdftotext not found: the PDF's text is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &body).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext read the file");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Rapportage Leidschendam-Voorburg, 2004–2008"),
        "the title in {text}"
    );
    assert!(text.contains("Kerncijfers"));
    let cash = int(&r["money"]["cashCents"]);
    assert!(text.contains(&dutch(cash)), "{} in the PDF", dutch(cash));
    assert!(text.contains("Continuïteit"), "diacritics survive");
}

async fn the_comparison_page_shows_both_and_the_difference(app: App) {
    let (status, page) = app
        .page(
            &format!(
                "/municipalities/{LV}/report/compare?from=2004&to=2008&otherFrom=2012&otherTo=2016"
            ),
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"comparison\""));
    assert!(page.contains("2004–2008") && page.contains("2012–2016"));
    assert!(page.contains("Difference"));
    let (status, body, _) = bytes(
        &app,
        &format!(
            "/municipalities/{LV}/report/compare.csv?from=2004&to=2008&otherFrom=2012&otherTo=2016"
        ),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(body).unwrap();
    assert!(csv.lines().next().unwrap().starts_with("Figure,"));
    assert!(csv.contains("Held activities"));
}

async fn the_2009_evaluation_shows_the_figures_of_its_period_beside_its_findings(app: App) {
    let (status, list) = app
        .get_json(&format!("/api/v1/evaluations?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let e2009 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["year"] == 2009)
        .expect("the demo's 2009 evaluation");
    let id = e2009["id"].as_str().unwrap();
    let (status, page) = app.page(&format!("/evaluations/{id}"), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Figures from the data, 2004–2008"),
        "the period's figures"
    );
    assert!(page.contains("id=\"figures\""));
    // The leverage and the activities of 2004-2008 as the report computes them, beside the
    // findings on usefulness, necessity and functionality.
    let (_, r) = app.get_json(REPORT).await;
    let acts = int(&r["activities"]["activities"]).to_string();
    assert!(
        page.contains(&format!("<dd>{acts}</dd>")),
        "{acts} activities on the page"
    );
    let lev = r["money"]["leverage"].as_str().unwrap();
    assert!(
        page.contains(&format!("<dd>{lev}</dd>")),
        "leverage {lev} on the page"
    );
    assert!(
        page.contains("report?from=2004&amp;to=2008")
            || page.contains("report?from=2004&#38;to=2008")
    );
}

async fn the_openapi_document_describes_reports(app: App) {
    let (_, doc) = app.get_json("/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/reports"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/reports/compare"]["get"].is_object());
    assert!(doc["components"]["schemas"]["ReportOut"].is_object());
}

http_tests!(
    the_api_report_agrees_with_the_numbers_and_the_money_overview,
    the_public_counts_public_activities_and_the_same_money,
    bad_parameters_get_a_problem_naming_the_field,
    two_periods_compare_with_their_differences,
    the_page_shows_charts_and_tables_in_both_languages,
    refused_parameters_are_shown_next_to_the_field,
    the_csv_and_the_workbook_hold_the_figures,
    the_pdf_is_a_document_with_the_title_and_the_figures,
    the_comparison_page_shows_both_and_the_difference,
    the_openapi_document_describes_reports,
    the_2009_evaluation_shows_the_figures_of_its_period_beside_its_findings,
);
