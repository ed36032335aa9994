mod support;
use support::*;

// The evaluations API over HTTP, on SQLite and on PostgreSQL, each test on a fresh database
// with the demo data: the seed's two evaluations as JSON, writes only for the municipality's
// officials (401 for the public, 403 for another municipality's official), every invalid field
// named in the problem, and nothing stored by a refused request.

use reqwest::header::{LOCATION, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const LV: &str = "leidschendam-voorburg";
const PASSWORD: &str = "een boom vol lichtjes in december";

/// A request with someone's bearer token (or none); the answer's status, headers and JSON.
async fn send_as(
    app: &App,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
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
    req.send().await.unwrap()
}

/// Everything the API shows about evaluations.
async fn evaluations(app: &App) -> Value {
    let (status, v) = app.get_json("/api/v1/evaluations").await;
    assert_eq!(status, StatusCode::OK);
    v
}

fn find(list: &Value, year: i64) -> &Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["year"] == year)
        .unwrap_or_else(|| panic!("the evaluation of {year} in {list}"))
}

/// A valid evaluation of Leidschendam-Voorburg's partnership with Hranice.
async fn body(app: &App) -> Value {
    json!({
        "municipality": LV,
        "year": 2016,
        "title": "Evaluatie kerstboom",
        "carriedOutBy": "Afdeling Economie",
        "periodFrom": "2013",
        "periodTo": 2015,
        "partnerships": [app.partnership_id("hranice").await],
        "criteria": [
            {"name": "Stadspromotie", "aspect": "usefulness", "finding": "Veel bezoekers."},
        ],
        "conclusions": ["De boom trekt publiek."],
        "recommendations": [
            {"text": "Doorgaan."},
            {"text": "Meer sponsors.", "status": "adopted", "date": "2016-12-01", "note": "College"},
        ],
    })
}

async fn the_seeds_evaluations_come_out_as_json(app: App) {
    let all = evaluations(&app).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let (status, lv) = app
        .get_json(&format!("/api/v1/evaluations?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        lv, all,
        "the demo's evaluations are Leidschendam-Voorburg's"
    );
    let e2009 = find(&all, 2009);
    // The shape: plain values, no floats, numbers where numbers are meant.
    assert!(e2009["id"].is_string());
    assert_eq!(e2009["municipality"]["slug"], LV);
    assert_eq!(e2009["year"], 2009);
    assert_eq!(e2009["periodFrom"], 2004);
    assert_eq!(e2009["periodTo"], 2008);
    assert_eq!(e2009["occasion"], "Motie van Gemeentebelangen");
    assert!(e2009["carriedOutBy"].is_null(), "not stated in the annex");
    assert_eq!(e2009["mayEdit"], false);
    let partners: Vec<&str> = e2009["partnerships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["holder"]["slug"], LV);
            assert!(p["home"]["slug"].is_string());
            p["partner"]["slug"].as_str().unwrap()
        })
        .collect();
    assert_eq!(partners.len(), 3);
    for town in ["hranice", "konstancin-jeziorna", "temecula"] {
        assert!(partners.contains(&town), "{town}");
    }
    let aspects: Vec<&str> = e2009["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["aspect"].as_str().unwrap())
        .collect();
    assert_eq!(aspects, ["usefulness", "necessity", "functionality"]);
    assert_eq!(
        e2009["criteria"][1]["finding"],
        "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd."
    );
    assert_eq!(e2009["conclusions"].as_array().unwrap().len(), 6);
    assert_eq!(e2009["recommendations"], json!([]));

    let e2004 = find(&all, 2004);
    assert!(e2004["periodFrom"].is_null() && e2004["periodTo"].is_null());
    assert!(
        e2004["researchQuestion"]
            .as_str()
            .unwrap()
            .starts_with("Het verkrijgen van inzicht in de effectiviteit")
    );
    let recs = e2004["recommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 3);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["number"], i + 1);
        assert_eq!(r["status"], "open");
        assert!(r["date"].is_null());
        assert!(r["note"].as_str().unwrap().starts_with("Geen besluit"));
    }
    assert!(
        recs[2]["text"]
            .as_str()
            .unwrap()
            .contains("kennisoverdracht")
    );

    // One by id: the same.
    let id = e2009["id"].as_str().unwrap();
    let (status, one) = app.get_json(&format!("/api/v1/evaluations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&one, e2009);
    // The administrator may record follow-ups.
    let res = send_as(
        &app,
        Some(&app.token),
        Method::GET,
        &format!("/api/v1/evaluations/{id}"),
        None,
    )
    .await;
    assert_eq!(res.json::<Value>().await.unwrap()["mayEdit"], true);

    // Not there: 404 problems; an unknown municipality in the query: a 422 naming it.
    let res = send_as(&app, None, Method::GET, "/api/v1/evaluations/geen", None).await;
    problem(res, StatusCode::NOT_FOUND).await;
    let res = send_as(
        &app,
        None,
        Method::GET,
        "/api/v1/evaluations?municipality=atlantis",
        None,
    )
    .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        [(
            "municipality".to_owned(),
            "error-municipality-unknown".to_owned()
        )]
    );
    // In the OpenAPI document.
    let (_, doc) = app.get_json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/evaluations",
        "/api/v1/evaluations/{id}",
        "/api/v1/evaluations/{id}/recommendations/{n}/follow-up",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} in the document");
    }
    assert!(doc["components"]["schemas"]["EvaluationOut"].is_object());
}

async fn writes_are_the_officials_and_bad_input_is_named(app: App) {
    let before = evaluations(&app).await;
    let good = body(&app).await;

    // The public: 401, with the scheme to use.
    let res = send_as(&app, None, Method::POST, "/api/v1/evaluations", Some(&good)).await;
    assert!(res.headers().contains_key(WWW_AUTHENTICATE));
    problem(res, StatusCode::UNAUTHORIZED).await;
    let id2004 = find(&before, 2004)["id"].as_str().unwrap().to_owned();
    let follow_up_path = format!("/api/v1/evaluations/{id2004}/recommendations/1/follow-up");
    let adopted = json!({"status": "adopted", "date": "2011-11-08", "note": "Raadsbesluit"});
    let res = send_as(&app, None, Method::PUT, &follow_up_path, Some(&adopted)).await;
    problem(res, StatusCode::UNAUTHORIZED).await;
    // Another municipality's official: 403.
    app.send_json(
        Method::POST,
        "/api/v1/municipalities",
        &json!({"name": "Den Haag", "country": "NL"}),
    )
    .await;
    let theirs = app
        .send_json(
            Method::POST,
            "/api/v1/partnerships",
            &json!({"home": "den-haag", "partner": "temecula", "kind": "friendship",
                    "initiator": "local-government", "start": "2000"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.state
        .accounts
        .create(
            "ambtenaar-dh",
            PASSWORD,
            &["municipal-official:den-haag".into()],
        )
        .await
        .unwrap();
    let dh = app
        .state
        .accounts
        .create_token("ambtenaar-dh", "tests")
        .await
        .unwrap();
    let res = send_as(
        &app,
        Some(&dh),
        Method::POST,
        "/api/v1/evaluations",
        Some(&good),
    )
    .await;
    problem(res, StatusCode::FORBIDDEN).await;
    let res = send_as(
        &app,
        Some(&dh),
        Method::PUT,
        &follow_up_path,
        Some(&adopted),
    )
    .await;
    problem(res, StatusCode::FORBIDDEN).await;
    assert_eq!(evaluations(&app).await, before, "nothing stored");

    // Bad input: every field named, nothing stored.
    let with = |changes: Value| {
        let mut b = good.clone();
        for (k, v) in changes.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let many: Vec<String> = (0..51).map(|n| format!("Conclusie {n}.")).collect();
    for (what, bad, expected) in [
        (
            "no year",
            with(json!({"year": null})),
            vec![("year", "error-required")],
        ),
        (
            "a period reversed",
            with(json!({"periodFrom": 2015, "periodTo": 2013})),
            vec![("periodTo", "error-evaluation-period-reversed")],
        ),
        (
            "another municipality's partnership",
            with(json!({"partnerships": [theirs]})),
            vec![("partnerships", "error-partnership-not-own")],
        ),
        (
            "too many conclusions",
            with(json!({"conclusions": many})),
            vec![("conclusions", "error-evaluation-too-many")],
        ),
        (
            "an unknown aspect and a missing finding",
            with(json!({"criteria": [
                {"name": "Nut", "aspect": "usefulness", "finding": "Ja."},
                {"name": "Sfeer", "aspect": "gezelligheid"},
            ]})),
            vec![
                ("criteria[1].aspect", "error-choice-invalid"),
                ("criteria[1].finding", "error-required"),
            ],
        ),
        (
            "a follow-up in the future and one without its date",
            with(json!({"recommendations": [
                {"text": "Later.", "status": "adopted", "date": "2199-01-01"},
                {"text": "Zonder datum.", "status": "rejected"},
            ]})),
            vec![
                (
                    "recommendations[0].date",
                    "error-evaluation-follow-up-future",
                ),
                (
                    "recommendations[1].date",
                    "error-evaluation-follow-up-date-required",
                ),
            ],
        ),
        (
            "a follow-up before the evaluation",
            with(json!({"recommendations": [
                {"text": "Vroeg.", "status": "adopted", "date": "2015-12-31"},
            ]})),
            vec![(
                "recommendations[0].date",
                "error-evaluation-follow-up-before",
            )],
        ),
    ] {
        let res = app
            .send_json(Method::POST, "/api/v1/evaluations", &bad)
            .await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        let got = invalid_fields(&p);
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(got, expected, "{what}");
        // The reason is in the request's language.
        assert!(p["invalidParams"][0]["reason"].as_str().unwrap().len() > 5);
        assert_eq!(evaluations(&app).await, before, "{what}: nothing stored");
    }
    // A field the API does not know: the request is unreadable.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/evaluations",
            &with(json!({"grade": "excellent"})),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(evaluations(&app).await, before);

    // The good one: 201 with its address.
    let res = app
        .send_json(Method::POST, "/api/v1/evaluations", &good)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let made: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/evaluations/{}", made["id"].as_str().unwrap())
    );
    assert_eq!(made["periodFrom"], 2013);
    assert_eq!(made["periodTo"], 2015);
    assert_eq!(made["recommendations"][1]["status"], "adopted");
    assert_eq!(made["recommendations"][1]["date"], "2016-12-01");
    assert_eq!(made["criteria"][0]["aspect"], "usefulness");
    let (_, back) = app.get_json(&location).await;
    assert_eq!(back["title"], "Evaluatie kerstboom");
    assert_eq!(evaluations(&app).await.as_array().unwrap().len(), 3);

    // Follow-ups: recorded; refused with the field named; a recommendation not there is 404.
    let after = evaluations(&app).await;
    for (what, path, bad, status, field) in [
        (
            "a date in the future",
            follow_up_path.clone(),
            json!({"status": "adopted", "date": "2199-01-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("date", "error-evaluation-follow-up-future")),
        ),
        (
            "a date before 2004",
            follow_up_path.clone(),
            json!({"status": "rejected", "date": "2003-06-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("date", "error-evaluation-follow-up-before")),
        ),
        (
            "no status",
            follow_up_path.clone(),
            json!({"date": "2010-06-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(("status", "error-required")),
        ),
        (
            "recommendation 4 of 3",
            format!("/api/v1/evaluations/{id2004}/recommendations/4/follow-up"),
            adopted.clone(),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "recommendation x",
            format!("/api/v1/evaluations/{id2004}/recommendations/x/follow-up"),
            adopted.clone(),
            StatusCode::NOT_FOUND,
            None,
        ),
    ] {
        let res = app.send_json(Method::PUT, &path, &bad).await;
        let p = problem(res, status).await;
        if let Some((name, code)) = field {
            assert_eq!(
                invalid_fields(&p),
                [(name.to_owned(), code.to_owned())],
                "{what}"
            );
        }
        assert_eq!(evaluations(&app).await, after, "{what}: nothing stored");
    }
    let res = app.send_json(Method::PUT, &follow_up_path, &adopted).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["recommendations"][0]["status"], "adopted");
    assert_eq!(v["recommendations"][0]["date"], "2011-11-08");
    assert_eq!(v["recommendations"][0]["note"], "Raadsbesluit");
    assert_eq!(
        v["recommendations"][1]["status"], "open",
        "the others as they were"
    );
}

http_tests!(
    the_seeds_evaluations_come_out_as_json,
    writes_are_the_officials_and_bad_input_is_named,
);
