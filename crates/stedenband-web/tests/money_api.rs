mod support;
use support::*;

// The money API (phase-out schedules, subsidies through their Awb life cycle, the subsidy
// register, ledgers and the municipal overview) over HTTP, on SQLite and on PostgreSQL, each
// test on a fresh database with the demo data. The tests make their own schedules, subsidies
// and ledger lines (as the administrator) and compare before and after, so they hold whatever
// money the demo data brings.

use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const LV: &str = "leidschendam-voorburg";
const STICHTING: &str = "stichting-stedenbanden-leidschendam-voorburg";
const PASSWORD: &str = "een boom vol lichtjes in december";

/// The invalid fields of a problem: name and code.
type Fields = Vec<(String, String)>;

fn fields(v: &[(&str, &str)]) -> Fields {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// No number in an answer is a float: amounts are integer cents, ratios strings.
fn assert_no_floats(v: &Value, what: &str) {
    match v {
        Value::Number(n) => assert!(!n.is_f64(), "{what}: a float {n}"),
        Value::Array(a) => a.iter().for_each(|x| assert_no_floats(x, what)),
        Value::Object(o) => o.values().for_each(|x| assert_no_floats(x, what)),
        _ => {}
    }
}

/// A request with someone's bearer token (or none); the answer's status and JSON.
async fn send_as(
    app: &App,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .http
        .request(method, app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, "en");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let v = res.json().await.unwrap_or(Value::Null);
    assert_no_floats(&v, path);
    (status, v)
}

/// An administrator's write that must succeed with 201: the body.
async fn created(app: &App, path: &str, body: &Value) -> Value {
    let res = app.send_json(Method::POST, path, body).await;
    let status = res.status();
    let location = res
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "POST {path} {body}: {v}");
    assert!(
        location.is_some_and(|l| l.starts_with("/api/v1/")),
        "POST {path}: Location"
    );
    assert_no_floats(&v, path);
    v
}

/// An administrator's write that must be refused with a 422: its invalid fields.
async fn refused(app: &App, path: &str, body: &Value) -> Fields {
    let res = app.send_json(Method::POST, path, body).await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    invalid_fields(&p)
}

/// A read that must be refused with a 422 (as the administrator): its invalid fields.
async fn refused_query(app: &App, path: &str) -> Fields {
    let res = app
        .http
        .get(app.url(path))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    invalid_fields(&p)
}

async fn admin_get(app: &App, path: &str) -> Value {
    let (status, v) = send_as(app, Some(&app.token), Method::GET, path, None).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {v}");
    v
}

/// Leidschendam-Voorburg's three partnerships, in the order of the split.
async fn three_partnerships(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for p in ["hranice", "konstancin-jeziorna", "temecula"] {
        out.push(app.partnership_id(p).await);
    }
    out
}

fn cents_of(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("not integer cents: {v}"))
}

/// A new subsidy of Leidschendam-Voorburg to the demo foundation: its id.
async fn fresh_subsidy(app: &App, kind: &str, year: i64) -> String {
    let s = created(
        app,
        "/api/v1/subsidies",
        &json!({"municipality": LV, "foundation": STICHTING, "kind": kind,
                "purpose": format!("Toets {kind} {year}"), "year": year}),
    )
    .await;
    s["id"].as_str().unwrap().to_owned()
}

async fn step(app: &App, id: &str, body: Value) -> Value {
    created(app, &format!("/api/v1/subsidies/{id}/steps"), &body).await
}

// ---- phase-out schedules -------------------------------------------------------------------------

async fn the_phase_out_is_computed_without_storing_it(app: App) {
    let partnerships = three_partnerships(&app).await;
    let (_, before) = app
        .get_json(&format!("/api/v1/phase-out-schedules?municipality={LV}"))
        .await;
    // As the public, with years as text.
    let (status, s) = send_as(
        &app,
        None,
        Method::POST,
        "/api/v1/phase-out-schedules/compute",
        Some(&json!({"base": "24490", "baseYear": "2012", "years": "3",
                     "partnerships": partnerships})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["rounding"], "whole-euros-half-up");
    let years = items(&s["schedule"]);
    let totals: Vec<i64> = years.iter().map(|y| cents_of(&y["totalCents"])).collect();
    assert_eq!(totals, [2_449_000, 1_632_700, 816_300, 0]);
    let labels: Vec<i64> = years.iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(labels, [2012, 2013, 2014, 2015]);
    assert_eq!(years[1]["fraction"], "2/3");
    for y in years {
        let parts: Vec<i64> = items(&y["partsCents"]).iter().map(cents_of).collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.iter().sum::<i64>(), cents_of(&y["totalCents"]), "{y}");
        assert!(parts.iter().all(|p| p % 100 == 0), "whole euros: {y}");
    }
    // The euro left over goes to the first partnership.
    assert_eq!(years[0]["partsCents"], json!([816_400, 816_300, 816_300]));
    assert_eq!(years[1]["partsCents"], json!([544_300, 544_200, 544_200]));

    // Years as JSON numbers, fixed fractions, a Dutch amount: the same totals.
    let (status, f) = send_as(
        &app,
        None,
        Method::POST,
        "/api/v1/phase-out-schedules/compute",
        Some(&json!({"base": "24.490,00", "baseYear": 2012, "years": 3,
                     "method": "fractions", "fractions": "2/3, 1/3, 0"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let totals: Vec<i64> = items(&f["schedule"])
        .iter()
        .map(|y| cents_of(&y["totalCents"]))
        .collect();
    assert_eq!(totals, [2_449_000, 1_632_700, 816_300, 0]);

    // Bad inputs name their fields.
    let res = app
        .http
        .post(app.url("/api/v1/phase-out-schedules/compute"))
        .json(&json!({"base": "-5", "baseYear": "twintig", "years": "0",
                      "partnerships": ["a", "b"], "weights": ["1"]}))
        .send()
        .await
        .unwrap();
    let got = invalid_fields(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await);
    for f in [
        ("base", "error-amount-negative"),
        ("baseYear", "error-year-invalid"),
        ("weights", "error-split-weights-count"),
    ] {
        assert!(got.contains(&(f.0.into(), f.1.into())), "{f:?} in {got:?}");
    }
    let (_, after) = app
        .get_json(&format!("/api/v1/phase-out-schedules?municipality={LV}"))
        .await;
    assert_eq!(before, after, "computing stores nothing");
}

async fn a_schedule_is_stored_and_read_back(app: App) {
    let partnerships = three_partnerships(&app).await;
    let s = created(
        &app,
        "/api/v1/phase-out-schedules",
        &json!({"municipality": LV, "name": "Afbouw (toets)", "base": "24490",
                "baseYear": 2012, "years": "3", "partnerships": partnerships,
                "decidedBy": "Raadsbesluit 2011/23"}),
    )
    .await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(s["baseCents"], 2_449_000);
    assert_eq!(s["method"], "linear");
    assert_eq!(s["weights"], json!([1, 1, 1]));
    let ids: Vec<&str> = items(&s["partnerships"])
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, partnerships);
    let totals: Vec<i64> = items(&s["schedule"])
        .iter()
        .map(|y| cents_of(&y["totalCents"]))
        .collect();
    assert_eq!(totals, [2_449_000, 1_632_700, 816_300, 0]);
    // Public reads.
    let (status, one) = app
        .get_json(&format!("/api/v1/phase-out-schedules/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one, s);
    let (status, list) = app
        .get_json(&format!("/api/v1/phase-out-schedules?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(items(&list).contains(&s));
    // Refused: a partnership of another municipality's, or none; nothing stored.
    let got = refused(
        &app,
        "/api/v1/phase-out-schedules",
        &json!({"municipality": LV, "name": "Afbouw (fout)", "base": "1000",
                "baseYear": "2012", "years": "2", "partnerships": ["geen-stedenband"]}),
    )
    .await;
    assert_eq!(
        got,
        fields(&[("partnerships", "error-partnership-not-own")])
    );
    let got = refused(
        &app,
        "/api/v1/phase-out-schedules",
        &json!({"base": "1000", "baseYear": "2012", "years": "2"}),
    )
    .await;
    assert!(
        got.contains(&("name".into(), "error-required".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("municipality".into(), "error-required".into())),
        "{got:?}"
    );
    let (_, again) = app
        .get_json(&format!("/api/v1/phase-out-schedules?municipality={LV}"))
        .await;
    assert_eq!(again, list);
    let (status, _) = app.get_json("/api/v1/phase-out-schedules/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let got = refused_query(&app, "/api/v1/phase-out-schedules?municipality=atlantis").await;
    assert_eq!(
        got,
        fields(&[("municipality", "error-municipality-unknown")])
    );
    let got = refused_query(&app, "/api/v1/phase-out-schedules").await;
    assert_eq!(got, fields(&[("municipality", "error-required")]));
}

// ---- subsidies -----------------------------------------------------------------------------------

async fn a_subsidy_goes_through_its_whole_life_cycle(app: App) {
    let partnerships = three_partnerships(&app).await;
    let schedule = created(
        &app,
        "/api/v1/phase-out-schedules",
        &json!({"municipality": LV, "name": "Afbouw (levensloop)", "base": "24490",
                "baseYear": "2012", "years": "3", "partnerships": partnerships}),
    )
    .await;
    let overview = format!("/api/v1/municipalities/{LV}/money?from=2013&to=2013");
    let (_, before) = app.get_json(&overview).await;

    let s = created(
        &app,
        "/api/v1/subsidies",
        &json!({"municipality": LV, "foundation": STICHTING, "kind": "yearly-budget",
                "purpose": "Subsidie stedenbanden 2013 (toets)", "year": 2013,
                "partnerships": partnerships, "schedule": schedule["id"]}),
    )
    .await;
    let id = s["id"].as_str().unwrap().to_owned();
    assert_eq!(s["stage"], "new");
    assert_eq!(s["next"], json!(["application"]));
    assert_eq!(s["grantedCents"], Value::Null);
    assert_eq!(s["countedCents"], 0);
    assert_eq!(s["foundation"]["slug"], STICHTING);
    assert_eq!(s["fileVisible"], true);
    assert_eq!(s["steps"], json!([]));

    let walk = [
        (
            json!({"step": "application", "date": "2012-09-30", "document": "AANVR-TOETS-1",
                "amount": "16.327,00"}),
            "applied",
        ),
        (
            json!({"step": "grant-decision", "date": "2012-12-15", "document": "BW-TOETS-2",
                "amount": "16327.00", "conditions": "verantwoording vóór 1 april 2014\nvoor alle drie"}),
            "granted",
        ),
        (
            json!({"step": "advance-payment", "date": "2013-01-10", "document": "VOORSCHOT-TOETS-3",
                "amount": "8163.50"}),
            "granted",
        ),
        (
            json!({"step": "report-due", "date": "2013-12-31", "document": "BRIEF-TOETS-4",
                "dueOn": "2014-04-01"}),
            "report-due",
        ),
        (
            json!({"step": "report-received", "date": "2014-03-20", "document": "VERANTW-TOETS-5"}),
            "report-received",
        ),
        (
            json!({"step": "settlement", "date": "2014-05-01", "document": "VASTST-TOETS-6",
                "amount": "16327"}),
            "settled",
        ),
        (
            json!({"step": "closing", "date": "2014-05-15", "document": "BETAALD-TOETS-7"}),
            "closed",
        ),
    ];
    let mut last = Value::Null;
    for (body, stage) in walk {
        last = step(&app, &id, body.clone()).await;
        assert_eq!(last["stage"], stage, "after {body}");
    }
    assert_eq!(last["grantedCents"], 1_632_700);
    assert_eq!(last["settledCents"], 1_632_700);
    assert_eq!(last["countedCents"], 1_632_700);
    assert_eq!(last["advancesPaidCents"], 816_350);
    assert_eq!(
        last["balance"],
        json!({"kind": "payment", "amountCents": 816_350})
    );
    assert_eq!(last["next"], json!([]));
    let steps = items(&last["steps"]);
    assert_eq!(steps.len(), 7);
    assert_eq!(steps[0]["amountCents"], 1_632_700);
    assert_eq!(steps[1]["conditions"].as_array().unwrap().len(), 2);
    assert_eq!(steps[2]["amountCents"], 816_350);
    assert_eq!(steps[3]["dueOn"], "2014-04-01");
    assert_eq!(steps[4]["amountCents"], Value::Null);
    assert_eq!(
        admin_get(&app, &format!("/api/v1/subsidies/{id}")).await,
        last
    );

    // The overview of 2013 gained the subsidy, split by the schedule's parts.
    let (status, after) = app.get_json(&overview).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let year = |v: &Value| items(&v["years"])[0].clone();
    let (b, a) = (year(&before), year(&after));
    assert_eq!(
        cents_of(&a["cashCents"]) - cents_of(&b["cashCents"]),
        1_632_700
    );
    assert_eq!(
        cents_of(&a["byKindCents"]["yearly-budget"])
            - b["byKindCents"]["yearly-budget"].as_i64().unwrap_or(0),
        1_632_700
    );
    let part = |v: &Value, p: &str| {
        items(&v["byPartnership"])
            .iter()
            .find(|x| x["partnership"] == p)
            .map(|x| cents_of(&x["amountCents"]))
            .unwrap_or(0)
    };
    let deltas: Vec<i64> = partnerships
        .iter()
        .map(|p| part(&a, p) - part(&b, p))
        .collect();
    assert_eq!(deltas, [544_300, 544_200, 544_200]);
    for v in [&after["leverage"], &a["leverage"]] {
        if let Some(l) = v.as_str() {
            let (int, frac) = l.split_once('.').expect("a decimal string");
            assert!(
                int.chars().all(|c| c.is_ascii_digit()) && frac.len() == 2,
                "{l}"
            );
        }
    }

    // The public sees where it stands, not its file.
    let (status, seen) = app.get_json(&format!("/api/v1/subsidies/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["fileVisible"], false);
    assert_eq!(seen["stage"], "closed");
    assert_eq!(seen["grantedCents"], 1_632_700);
    assert!(seen.get("steps").is_none(), "{seen}");
    assert_eq!(seen["advancesPaidCents"], Value::Null);
    assert_eq!(seen["balance"], Value::Null);
    let (status, list) = app
        .get_json(&format!("/api/v1/subsidies?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, register) = app
        .get_json(&format!(
            "/api/v1/subsidy-register?municipality={LV}&from=2013&to=2013"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let line = items(&register)
        .iter()
        .find(|l| l["id"] == id.as_str())
        .expect("the subsidy in the register");
    assert_eq!(line["grantedCents"], 1_632_700);
    assert_eq!(line["settledCents"], 1_632_700);
    assert_eq!(line["stage"], "closed");
    assert_eq!(line["kind"], "yearly-budget");
    assert!(
        line["recipient"]
            .as_str()
            .unwrap()
            .starts_with("Stichting Stedenbanden")
    );
    assert!(items(&register).iter().all(|l| l["year"] == 2013));
    for text in [seen.to_string(), list.to_string(), register.to_string()] {
        assert!(
            !text.contains("TOETS-"),
            "a document shown to the public: {text}"
        );
        assert!(
            !text.contains("verantwoording vóór"),
            "conditions shown: {text}"
        );
    }
}

async fn a_skipped_or_bad_step_is_refused_and_changes_nothing(app: App) {
    let id = fresh_subsidy(&app, "one-off-grant", 2015).await;
    let path = format!("/api/v1/subsidies/{id}");
    let steps = format!("{path}/steps");
    let refused_step = |body: Value| {
        let (app, steps, path) = (&app, steps.clone(), path.clone());
        async move {
            let before = admin_get(app, &path).await;
            let got = refused(app, &steps, &body).await;
            assert_eq!(
                admin_get(app, &path).await,
                before,
                "{body} changed the subsidy"
            );
            got
        }
    };
    // Nothing before the application.
    let got = refused_step(json!({"step": "grant-decision", "date": "2015-02-01",
                                  "document": "BW-1", "amount": "10000"}))
    .await;
    assert_eq!(got, fields(&[("step", "error-subsidy-step-skipped")]));
    step(
        &app,
        &id,
        json!({"step": "application", "date": "2015-01-10",
                           "document": "AANVR-1", "amount": "10000"}),
    )
    .await;
    // Straight from the application to the settlement.
    let got = refused_step(json!({"step": "settlement", "date": "2015-12-01",
                                  "document": "VASTST-1", "amount": "10000"}))
    .await;
    assert_eq!(got, fields(&[("step", "error-subsidy-step-skipped")]));
    // A second application: backwards.
    let got = refused_step(json!({"step": "application", "date": "2015-01-11",
                                  "document": "AANVR-2", "amount": "10000"}))
    .await;
    assert_eq!(got, fields(&[("step", "error-subsidy-step-backwards")]));
    // Bad amounts.
    for (amount, key) in [
        ("-10000", "error-amount-negative"),
        ("tienduizend", "error-amount-invalid"),
        ("10000.005", "error-amount-cents"),
        ("0", "error-subsidy-grant-zero"),
    ] {
        let got = refused_step(json!({"step": "grant-decision", "date": "2015-02-01",
                                      "document": "BW-1", "amount": amount}))
        .await;
        assert_eq!(got, fields(&[("amount", key)]), "amount {amount}");
    }
    // Dated before the application; no date or document at all.
    let got = refused_step(json!({"step": "grant-decision", "date": "2015-01-01",
                                  "document": "BW-1", "amount": "10000"}))
    .await;
    assert_eq!(
        got,
        fields(&[("date", "error-subsidy-date-before-previous")])
    );
    let got = refused_step(json!({"step": "grant-decision", "amount": "10000"})).await;
    assert_eq!(
        got,
        fields(&[("date", "error-required"), ("document", "error-required")])
    );
    // An amount as a JSON number is not read (amounts are text): 400, nothing stored.
    let before = admin_get(&app, &path).await;
    let res = app
        .send_json(
            Method::POST,
            &steps,
            &json!({"step": "grant-decision", "date": "2015-02-01", "document": "BW-1",
                    "amount": 10000.5}),
        )
        .await;
    let p = problem(res, StatusCode::BAD_REQUEST).await;
    assert!(p["detail"].as_str().unwrap().contains("amount"), "{p}");
    assert_eq!(admin_get(&app, &path).await, before);

    for body in [
        json!({"step": "grant-decision", "date": "2015-02-01", "document": "BW-1",
               "amount": "10.000,00"}),
        json!({"step": "report-due", "date": "2015-12-31", "document": "BRIEF-1",
               "dueOn": "2016-03-01"}),
        json!({"step": "report-received", "date": "2016-02-20", "document": "VERANTW-1"}),
    ] {
        step(&app, &id, body).await;
    }
    // A settlement above the grant needs a decision allowing it.
    let got = refused_step(json!({"step": "settlement", "date": "2016-04-01",
                                  "document": "VASTST-1", "amount": "10000.01"}))
    .await;
    assert_eq!(
        got,
        fields(&[("amount", "error-subsidy-settlement-above-grant")])
    );
    let s = step(
        &app,
        &id,
        json!({"step": "settlement", "date": "2016-04-01",
                                   "document": "VASTST-1", "amount": "10250",
                                   "allowedBy": "BW-2016-88"}),
    )
    .await;
    assert_eq!(s["settledCents"], 1_025_000);
    assert_eq!(
        s["balance"],
        json!({"kind": "payment", "amountCents": 1_025_000})
    );
    assert_eq!(items(&s["steps"])[4]["allowedBy"], "BW-2016-88");

    // A subsidy that cannot be: every field named, nothing stored.
    let list = format!("/api/v1/subsidies?municipality={LV}");
    let before = admin_get(&app, &list).await;
    let got = refused(
        &app,
        "/api/v1/subsidies",
        &json!({"municipality": LV, "foundation": STICHTING, "purpose": "Iets",
                "year": "twintig"}),
    )
    .await;
    assert_eq!(
        got,
        fields(&[("kind", "error-required"), ("year", "error-year-invalid")])
    );
    let got = refused(
        &app,
        "/api/v1/subsidies",
        &json!({"municipality": LV, "foundation": "geen-stichting", "kind": "one-off-grant",
                "purpose": "Iets", "year": 2015, "workingGroup": "geen-werkgroep"}),
    )
    .await;
    assert_eq!(
        got,
        fields(&[
            ("foundation", "error-foundation-unknown"),
            ("workingGroup", "error-working-group-unknown"),
        ])
    );
    let got = refused(
        &app,
        "/api/v1/subsidies",
        &json!({"municipality": "atlantis", "foundation": STICHTING, "kind": "one-off-grant",
                "purpose": "Iets", "year": 2015}),
    )
    .await;
    assert_eq!(
        got,
        fields(&[("municipality", "error-municipality-unknown")])
    );
    let got = refused(
        &app,
        "/api/v1/subsidies",
        &json!({"municipality": LV, "grantor": "eu", "foundation": STICHTING, "kind": "in-kind",
                "purpose": "Iets", "year": 2015}),
    )
    .await;
    assert_eq!(got, fields(&[("kind", "error-subsidy-eu-in-kind")]));
    assert_eq!(admin_get(&app, &list).await, before);

    let res = app
        .send_json(Method::POST, "/api/v1/subsidies/nope/steps", &json!({}))
        .await;
    problem(res, StatusCode::NOT_FOUND).await;
    let got = refused_query(&app, "/api/v1/subsidies").await;
    assert_eq!(got, fields(&[("municipality", "error-required")]));
    let got = refused_query(&app, "/api/v1/subsidies?municipality=atlantis").await;
    assert_eq!(
        got,
        fields(&[("municipality", "error-municipality-unknown")])
    );
}

// ---- ledgers -------------------------------------------------------------------------------------

async fn a_ledger_keeps_to_its_working_group(app: App) {
    let ledger =
        "/api/v1/transactions?workingGroup=werkgroep-hranice&from=2017-01-01&to=2017-12-31";
    let before = admin_get(&app, ledger).await;
    let income = created(
        &app,
        "/api/v1/transactions",
        &json!({"workingGroup": "werkgroep-hranice", "date": "2017-03-01", "direction": "income",
                "source": "sponsor", "amount": "€ 250,-", "description": "Sponsor (toets)"}),
    )
    .await;
    assert_eq!(income["amountCents"], 25_000);
    assert_eq!(income["source"], "sponsor");
    assert_eq!(income["illustrative"], false);
    let expense = created(
        &app,
        "/api/v1/transactions",
        &json!({"workingGroup": "werkgroep-hranice", "date": "2017-05-10", "direction": "expense",
                "category": "travel", "amount": "45.50"}),
    )
    .await;
    assert_eq!(expense["amountCents"], 4_550);
    let after = admin_get(&app, ledger).await;
    assert_eq!(after["workingGroup"]["slug"], "werkgroep-hranice");
    assert_eq!(
        cents_of(&after["balanceCents"]) - cents_of(&before["balanceCents"]),
        25_000 - 4_550
    );
    let lines = items(&after["lines"]);
    assert_eq!(lines.len(), items(&before["lines"]).len() + 2);
    let signed: Vec<i64> = lines
        .iter()
        .filter(|l| l["id"] == income["id"] || l["id"] == expense["id"])
        .map(|l| cents_of(&l["signedCents"]))
        .collect();
    assert_eq!(signed, [25_000, -4_550]);
    // Each line's balance is the one before plus its amount.
    for w in lines.windows(2) {
        assert_eq!(
            cents_of(&w[1]["balanceCents"]),
            cents_of(&w[0]["balanceCents"]) + cents_of(&w[1]["signedCents"]),
            "{w:?}"
        );
    }
    assert_eq!(
        cents_of(&lines.last().unwrap()["balanceCents"]),
        cents_of(&after["balanceCents"])
    );
    let year = items(&after["years"])
        .iter()
        .find(|y| y["year"] == 2017)
        .unwrap();
    assert!(cents_of(&year["incomeCents"]["sponsor"]) >= 25_000);
    assert!(cents_of(&year["expensesCents"]["travel"]) >= 4_550);

    // An activity of another working group does not go in this ledger.
    let temecula = app.partnership_id("temecula").await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/activities",
            &json!({"partnership": temecula, "organiser": "werkgroep-temecula",
                    "title": "Bezoek Temecula", "start": "2017-06-01", "end": "2017-06-05",
                    "direction": "outgoing", "category": "other", "public": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let activity: Value = res.json().await.unwrap();
    let whole = "/api/v1/transactions?workingGroup=werkgroep-hranice";
    let before = admin_get(&app, whole).await;
    for (body, expected) in [
        (
            json!({"workingGroup": "werkgroep-hranice", "date": "2017-06-01",
                   "direction": "expense", "category": "travel", "amount": "120",
                   "activity": activity["id"]}),
            fields(&[("activity", "error-transaction-activity-other-group")]),
        ),
        (
            json!({"workingGroup": "werkgroep-hranice", "date": "2017-06-01",
                   "direction": "income", "source": "sponsor", "category": "travel",
                   "amount": "0"}),
            fields(&[
                ("category", "error-transaction-category-on-income"),
                ("amount", "error-amount-zero"),
            ]),
        ),
        (
            json!({"workingGroup": "werkgroep-hranice", "date": "2017-06-01",
                   "direction": "expense", "category": "travel", "amount": "12,345.678"}),
            fields(&[("amount", "error-amount-cents")]),
        ),
        (
            json!({"workingGroup": "werkgroep-hranice", "date": "2017-06-01",
                   "direction": "expense", "category": "travel", "amount": "-12"}),
            fields(&[("amount", "error-amount-negative")]),
        ),
        (
            json!({"workingGroup": "geen-werkgroep", "date": "2017-06-01",
                   "direction": "expense", "category": "travel", "amount": "12"}),
            fields(&[("workingGroup", "error-working-group-unknown")]),
        ),
    ] {
        let got = refused(&app, "/api/v1/transactions", &body).await;
        assert_eq!(got, expected, "{body}");
    }
    assert_eq!(
        admin_get(&app, whole).await,
        before,
        "refused lines changed the ledger"
    );

    // Queries.
    for (path, expected) in [
        (
            "/api/v1/transactions",
            fields(&[("workingGroup", "error-required")]),
        ),
        (
            "/api/v1/transactions?workingGroup=geen-werkgroep",
            fields(&[("workingGroup", "error-working-group-unknown")]),
        ),
        (
            "/api/v1/transactions?workingGroup=werkgroep-hranice&from=gisteren",
            fields(&[("from", "error-date-invalid")]),
        ),
        (
            "/api/v1/transactions?workingGroup=werkgroep-hranice&from=2018-01-01&to=2017-01-01",
            fields(&[("to", "error-end-before-start")]),
        ),
    ] {
        let got = refused_query(&app, path).await;
        assert_eq!(got, expected, "{path}");
    }

    // The board records; a member of another group does not read.
    app.state
        .accounts
        .create(
            "bestuur-toets",
            PASSWORD,
            &[format!("foundation-board:{STICHTING}")],
        )
        .await
        .unwrap();
    let board = app
        .state
        .accounts
        .create_token("bestuur-toets", "tests")
        .await
        .unwrap();
    let (status, t) = send_as(
        &app,
        Some(&board),
        Method::POST,
        "/api/v1/transactions",
        Some(
            &json!({"workingGroup": "werkgroep-hranice", "date": "2017-07-01",
                     "direction": "income", "source": "own-fundraising", "amount": "80"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    app.state
        .accounts
        .create(
            "lid-temecula-toets",
            PASSWORD,
            &["working-group-member:werkgroep-temecula".into()],
        )
        .await
        .unwrap();
    let other = app
        .state
        .accounts
        .create_token("lid-temecula-toets", "tests")
        .await
        .unwrap();
    let (status, _) = send_as(&app, Some(&other), Method::GET, whole, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_as(
        &app,
        Some(&other),
        Method::GET,
        "/api/v1/transactions?workingGroup=werkgroep-temecula",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

// ---- the public ----------------------------------------------------------------------------------

async fn the_public_reads_the_register_and_cannot_write(app: App) {
    let id = fresh_subsidy(&app, "incidental-activity", 2016).await;
    step(
        &app,
        &id,
        json!({"step": "application", "date": "2016-01-05",
                           "document": "GEHEIM-DOC-1", "amount": "750"}),
    )
    .await;
    step(
        &app,
        &id,
        json!({"step": "grant-decision", "date": "2016-02-05",
                           "document": "GEHEIM-DOC-2", "amount": "700"}),
    )
    .await;
    let schedule = json!({"municipality": LV, "name": "Afbouw", "base": "1000",
                          "baseYear": "2016", "years": "2",
                          "partnerships": [app.partnership_id("hranice").await]});
    for (path, body) in [
        (
            "/api/v1/subsidies".to_owned(),
            json!({"municipality": LV, "foundation": STICHTING, "kind": "one-off-grant",
                "purpose": "Iets", "year": "2016"}),
        ),
        (
            format!("/api/v1/subsidies/{id}/steps"),
            json!({"step": "advance-payment", "date": "2016-03-01", "document": "V", "amount": "1"}),
        ),
        (
            "/api/v1/transactions".to_owned(),
            json!({"workingGroup": "werkgroep-hranice", "date": "2016-03-01",
                "direction": "income", "source": "sponsor", "amount": "1"}),
        ),
        ("/api/v1/phase-out-schedules".to_owned(), schedule),
    ] {
        let res = app
            .http
            .post(app.url(&path))
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    let res = app
        .http
        .get(app.url("/api/v1/transactions?workingGroup=werkgroep-hranice"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;

    let (status, register) = app
        .get_json(&format!("/api/v1/subsidy-register?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let line = items(&register)
        .iter()
        .find(|l| l["id"] == id.as_str())
        .expect("the subsidy in the register");
    assert_eq!(line["grantedCents"], 70_000);
    assert_eq!(line["settledCents"], Value::Null);
    assert_eq!(line["stage"], "granted");
    let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "grantedCents",
            "id",
            "kind",
            "purpose",
            "recipient",
            "settledCents",
            "stage",
            "year"
        ]
    );
    let (_, one) = app.get_json(&format!("/api/v1/subsidies/{id}")).await;
    for text in [register.to_string(), one.to_string()] {
        assert!(!text.contains("GEHEIM-DOC"), "{text}");
    }
    // Register queries.
    for (path, expected) in [
        (
            "/api/v1/subsidy-register",
            fields(&[("municipality", "error-required")]),
        ),
        (
            "/api/v1/subsidy-register?municipality=atlantis",
            fields(&[("municipality", "error-municipality-unknown")]),
        ),
        (
            "/api/v1/subsidy-register?municipality=leidschendam-voorburg&from=2017&to=2016",
            fields(&[("to", "error-end-before-start")]),
        ),
        (
            "/api/v1/subsidy-register?municipality=leidschendam-voorburg&from=twintig",
            fields(&[("from", "error-year-invalid")]),
        ),
    ] {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        let got = invalid_fields(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await);
        assert_eq!(got, expected, "{path}");
    }
}

// ---- the overview --------------------------------------------------------------------------------

async fn the_overview_covers_its_years_and_refuses_bad_ones(app: App) {
    let (status, o) = app
        .get_json(&format!("/api/v1/municipalities/{LV}/money"))
        .await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_no_floats(&o, "overview");
    assert_eq!(o["from"], 2012);
    let to = o["to"].as_i64().unwrap();
    assert!(to >= 2025, "to {to}");
    let years: Vec<i64> = items(&o["years"])
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, (2012..=to).collect::<Vec<_>>());
    assert_eq!(o["municipality"]["slug"], LV);
    let total: i64 = items(&o["years"])
        .iter()
        .map(|y| cents_of(&y["cashCents"]))
        .sum();
    assert_eq!(total, cents_of(&o["totalCashCents"]));
    let (status, one) = app
        .get_json(&format!(
            "/api/v1/municipalities/{LV}/money?from=2015&to=2015"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&one["years"]).len(), 1);

    for (query, expected) in [
        ("from=2020&to=2019", ("to", "error-end-before-start")),
        ("from=1900&to=2100", ("to", "error-years-span-too-long")),
        ("from=1800", ("from", "error-years-span-too-long")),
        ("from=twintig", ("from", "error-year-invalid")),
        ("to=3000", ("to", "error-year-out-of-range")),
    ] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/municipalities/{LV}/money?{query}")))
            .send()
            .await
            .unwrap();
        let got = invalid_fields(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await);
        assert_eq!(got, fields(&[expected]), "{query}");
    }
    let res = app
        .http
        .get(app.url("/api/v1/municipalities/atlantis/money"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
}

// ---- the document --------------------------------------------------------------------------------

/// Every `…Cents` property is an integer (or a list or map of them) described as euro cents,
/// and no money schema has a float.
fn check_schema(name: &str, prop: &str, s: &Value, schemas: &Value) {
    if let Some(r) = s["$ref"].as_str() {
        let target = r.trim_start_matches("#/components/schemas/");
        if target != name {
            check_money_schema(target, schemas);
        }
        return;
    }
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    assert!(!types.contains(&"number"), "{name}.{prop}: a float");
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = s[key].as_array() {
            for x in list {
                check_schema(name, prop, x, schemas);
            }
        }
    }
    if !s["items"].is_null() {
        check_schema(name, prop, &s["items"], schemas);
    }
    if s["additionalProperties"].is_object() {
        check_schema(name, prop, &s["additionalProperties"], schemas);
    }
    if let Some(props) = s["properties"].as_object() {
        for (p, v) in props {
            if p.ends_with("Cents") {
                let described = v["description"].as_str().is_some_and(|d| {
                    d.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .contains("euro cents")
                });
                assert!(described, "{name}.{p} is not described as euro cents: {v}");
                let ty = v.to_string();
                assert!(
                    ty.contains("\"integer\""),
                    "{name}.{p} is not an integer: {v}"
                );
            }
            check_schema(name, p, v, schemas);
        }
    }
}

fn check_money_schema(name: &str, schemas: &Value) {
    let s = &schemas[name];
    assert!(s.is_object(), "{name} is not described");
    check_schema(name, "", s, schemas);
}

async fn the_openapi_document_describes_money(app: App) {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/subsidies", &["get", "post"][..]),
        ("/api/v1/subsidies/{id}", &["get"]),
        ("/api/v1/subsidies/{id}/steps", &["post"]),
        ("/api/v1/subsidy-register", &["get"]),
        ("/api/v1/transactions", &["get", "post"]),
        ("/api/v1/phase-out-schedules", &["get", "post"]),
        ("/api/v1/phase-out-schedules/{id}", &["get"]),
        ("/api/v1/phase-out-schedules/compute", &["post"]),
        ("/api/v1/municipalities/{id}/money", &["get"]),
    ] {
        for m in methods {
            let op = &paths[path][*m];
            assert!(op.is_object(), "{m} {path} is not documented");
            assert_eq!(op["tags"], json!(["money"]), "{m} {path}");
        }
    }
    let schemas = &doc["components"]["schemas"];
    for s in [
        "SubsidyBody",
        "StepBody",
        "ScheduleBody",
        "TransactionBody",
        "SubsidyOut",
        "StepOut",
        "RegisterLineOut",
        "ScheduleOut",
        "ComputedScheduleOut",
        "ScheduleYearOut",
        "TransactionOut",
        "LedgerOut",
        "LedgerLineOut",
        "GroupYearOut",
        "MunicipalOverviewOut",
        "MunicipalYearOut",
    ] {
        check_money_schema(s, schemas);
    }
    // Amounts come in as text.
    for (s, p) in [
        ("StepBody", "amount"),
        ("ScheduleBody", "base"),
        ("TransactionBody", "amount"),
    ] {
        assert!(
            schemas[s]["properties"][p]
                .to_string()
                .contains("\"string\""),
            "{s}.{p}"
        );
    }
    assert!(items(&doc["tags"]).iter().any(|t| t["name"] == "money"));
}

http_tests!(
    the_phase_out_is_computed_without_storing_it,
    a_schedule_is_stored_and_read_back,
    a_subsidy_goes_through_its_whole_life_cycle,
    a_skipped_or_bad_step_is_refused_and_changes_nothing,
    a_ledger_keeps_to_its_working_group,
    the_public_reads_the_register_and_cannot_write,
    the_overview_covers_its_years_and_refuses_bad_ones,
    the_openapi_document_describes_money,
);
