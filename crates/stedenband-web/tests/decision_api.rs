mod support;
use support::*;

// The decisions API over HTTP (issue 8), on SQLite and on PostgreSQL, each test on a fresh
// database with the demo data: the council's rules refuse what they forbid and cite the
// decision, a later decision lifts them; the options A, B and C compared with figures this test
// recomputes from the money overview; a dry run that predicts the adoption exactly; the ending
// of a partnership step by step with its letter; bad input named and changing nothing; and who
// may read and write.

use jiff::civil::Date;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const LV: &str = "leidschendam-voorburg";
const STICHTING: &str = "stichting-stedenbanden-leidschendam-voorburg";
const PASSWORD: &str = "een boom vol lichtjes in december";
const REFUSED: &str = "urn:stedenband:problem:refused-by-decision";

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// A request with someone's bearer token (or none).
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
        .header(ACCEPT_LANGUAGE, "en");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

/// A GET as the administrator (who sees everything).
async fn get_admin(app: &App, path: &str) -> Value {
    let res = send_as(app, Some(&app.token), Method::GET, path, None).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {v}");
    v
}

/// A write as the administrator that must answer `status`: its JSON.
async fn must(app: &App, method: Method, path: &str, body: Value, status: StatusCode) -> Value {
    let res = app.send_json(method.clone(), path, &body).await;
    let got = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(got, status, "{method} {path} {body}: {v}");
    v
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("a list: {v}"))
}

/// A rule of Leidschendam-Voorburg of this kind (the demo has one of each).
async fn rule(app: &App, kind: &str) -> Value {
    let rules = get_admin(app, &format!("/api/v1/rules?municipality={LV}")).await;
    items(&rules)
        .iter()
        .find(|r| r["kind"] == kind)
        .unwrap_or_else(|| panic!("a {kind} rule in {rules}"))
        .clone()
}

async fn partnership_count(app: &App) -> u64 {
    let v = get_admin(
        app,
        &format!("/api/v1/partnerships?municipality={LV}&pageSize=200"),
    )
    .await;
    v["total"].as_u64().unwrap()
}

/// The demo's scenario with this code.
async fn scenario(app: &App, code: &str) -> Value {
    let list = get_admin(app, &format!("/api/v1/scenarios?municipality={LV}")).await;
    let s = items(&list)
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("scenario {code} in {list}"));
    get_admin(
        app,
        &format!("/api/v1/scenarios/{}", s["id"].as_str().unwrap()),
    )
    .await
}

/// Everything the decisions API and the register show: compared before and after refusals.
async fn everything(app: &App) -> Value {
    json!({
        "register": app.snapshot().await,
        "decisions": get_admin(app, &format!("/api/v1/decisions?municipality={LV}")).await,
        "allDecisions": get_admin(app, "/api/v1/decisions").await,
        "rules": get_admin(app, &format!("/api/v1/rules?municipality={LV}")).await,
        "scenarios": get_admin(app, &format!("/api/v1/scenarios?municipality={LV}")).await,
        "plan": get_admin(app, &format!("/api/v1/municipalities/{LV}/plan")).await,
        "subsidies": get_admin(app, &format!("/api/v1/subsidies?municipality={LV}")).await,
    })
}

/// A new municipality abroad (a would-be partner town): its slug.
async fn new_town(app: &App, name: &str) -> String {
    let m = must(
        app,
        Method::POST,
        "/api/v1/municipalities",
        json!({"name": name, "country": "DE"}),
        StatusCode::CREATED,
    )
    .await;
    m["slug"].as_str().unwrap().to_owned()
}

/// A token of an official of Hranice: another municipality than Leidschendam-Voorburg.
async fn hranice_official(app: &App) -> String {
    app.state
        .accounts
        .create(
            "ambtenaar-hranice",
            PASSWORD,
            &["municipal-official:hranice".into()],
        )
        .await
        .unwrap();
    app.state
        .accounts
        .create_token("ambtenaar-hranice", "tests")
        .await
        .unwrap()
}

// ---- 1. no new twinnings -----------------------------------------------------------------------

async fn no_new_twinnings_refuses_a_municipal_twinning_until_it_is_lifted(app: App) {
    let rule = rule(&app, "no-new-twinnings").await;
    assert_eq!(rule["inForce"], true);
    assert!(rule["liftedBy"].is_null());
    let title = rule["imposedBy"]["title"].as_str().unwrap().to_owned();
    assert!(title.contains("geen nieuwe stedenbanden"), "{title}");
    // The rule is listed on the decision that imposed it.
    let d = get_admin(
        &app,
        &format!(
            "/api/v1/decisions/{}",
            rule["imposedBy"]["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(d["title"], title);
    assert_eq!(d["outcome"], "adopted");
    assert_eq!(d["imposed"][0]["id"], rule["id"]);

    let town = new_town(&app, "Neustadt an der Probe").await;
    let today = today();
    let twinning = json!({"home": LV, "partner": town, "kind": "friendship",
                          "initiator": "local-government", "start": today.to_string()});
    let before = partnership_count(&app).await;
    let snapshot = app.snapshot().await;
    let res = app
        .send_json(Method::POST, "/api/v1/partnerships", &twinning)
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["type"], REFUSED, "{p}");
    assert_eq!(p["decision"]["title"], title, "{p}");
    assert_eq!(p["decision"]["id"], rule["imposedBy"]["id"]);
    assert_eq!(p["decision"]["rule"], "no-new-twinnings");
    assert_eq!(p["invalidParams"][0]["name"], "initiator", "{p}");
    let reason = p["invalidParams"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains(&title),
        "the reason cites the decision: {reason}"
    );
    assert_eq!(partnership_count(&app).await, before);
    assert_eq!(
        app.snapshot().await,
        snapshot,
        "a refused twinning changes nothing"
    );

    // Project-based cooperation with an end date stays allowed, as the annex says.
    let end = today.checked_add(jiff::Span::new().years(1)).unwrap();
    must(
        &app,
        Method::POST,
        "/api/v1/partnerships",
        json!({"home": LV, "partner": town, "kind": "project-based",
               "initiator": "local-government", "start": today.to_string(),
               "end": end.to_string(), "description": "Europees project"}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(partnership_count(&app).await, before + 1);

    // A new decision, dated today, lifts the rule.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/decisions",
            &json!({"municipality": LV, "date": today.to_string(), "body": "council",
                    "kind": "decision", "title": "Nieuwe stedenbanden weer mogelijk",
                    "outcome": "adopted", "votesFor": 20, "votesAgainst": "13",
                    "lifts": [rule["id"]]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let lifting: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/decisions/{}", lifting["id"].as_str().unwrap())
    );
    assert_eq!(lifting["votesFor"], 20);
    assert_eq!(lifting["votesAgainst"], 13);
    assert_eq!(lifting["lifted"][0]["id"], rule["id"]);
    assert_eq!(lifting["lifted"][0]["inForce"], false);
    let lifted = self::rule(&app, "no-new-twinnings").await;
    assert_eq!(lifted["liftedBy"]["id"], lifting["id"]);
    assert_eq!(lifted["imposedBy"]["title"], title, "the history stays");
    assert_eq!(lifted["inForce"], false);

    let p = must(
        &app,
        Method::POST,
        "/api/v1/partnerships",
        twinning,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(p["partner"]["slug"], town);
    assert_eq!(partnership_count(&app).await, before + 2);
}

// ---- 2. subsidy ends ---------------------------------------------------------------------------

async fn the_phased_out_subsidy_refuses_a_yearly_budget_but_not_a_one_off_grant(app: App) {
    let rule = rule(&app, "subsidy-ends").await;
    let title = rule["imposedBy"]["title"].as_str().unwrap().to_owned();
    assert!(
        rule["imposedBy"]["date"]
            .as_str()
            .unwrap()
            .starts_with("2011-")
    );
    assert!(
        rule["schedule"].is_string(),
        "linked to the phase-out schedule"
    );
    let before = everything(&app).await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/subsidies",
            &json!({"municipality": LV, "foundation": STICHTING, "kind": "yearly-budget",
                    "purpose": "Subsidie stedenbanden 2016", "year": 2016}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["type"], REFUSED, "{p}");
    assert_eq!(p["decision"]["title"], title);
    assert_eq!(p["decision"]["rule"], "subsidy-ends");
    assert_eq!(p["invalidParams"][0]["name"], "year", "{p}");
    assert_eq!(everything(&app).await, before, "nothing stored");

    let count = items(&before["subsidies"]).len();
    let one_off = must(
        &app,
        Method::POST,
        "/api/v1/subsidies",
        json!({"municipality": LV, "foundation": STICHTING, "kind": "one-off-grant",
               "purpose": "Jubileum 2016", "year": "2016"}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(one_off["kind"], "one-off-grant");
    let after = get_admin(&app, &format!("/api/v1/subsidies?municipality={LV}")).await;
    assert_eq!(items(&after).len(), count + 1);
}

// ---- 3. the options compared -------------------------------------------------------------------

/// What a scenario costs per year, computed here from its changes as the API lists them and
/// from the money overview of the years before its horizon (not by the projection code): the
/// recurring municipal money of the last year before the horizon that had any (yearly-budget
/// subsidies in cash, contributions in kind) stays unless a change sets a line; each line a
/// change names takes the amount of the last change that covers the year. Staff capacity starts
/// from the plan (empty before any adoption) and follows the staff changes.
struct Expected {
    cash: BTreeMap<i64, i64>,
    in_kind: BTreeMap<i64, i64>,
    staff: BTreeMap<i64, i64>,
}

async fn expected(app: &App, scenario: &Value, from: i64, to: i64) -> Expected {
    let overview = get_admin(
        app,
        &format!(
            "/api/v1/municipalities/{LV}/money?from={}&to={}",
            from - 30,
            from - 1
        ),
    )
    .await;
    let base = items(&overview["years"])
        .iter()
        .rev()
        .find(|y| {
            y["inKindCents"].as_i64().unwrap() > 0
                || y["byKindCents"]["yearly-budget"].as_i64().unwrap_or(0) > 0
        })
        .expect("a year with recurring municipal money before the horizon");
    let base_year = base["year"].as_i64().unwrap();
    let base_cash = base["byKindCents"]["yearly-budget"].as_i64().unwrap_or(0);
    let base_in_kind = base["inKindCents"].as_i64().unwrap();
    // The changes' lines are new lines, not the baseline's (which would be replaced, not added).
    let subsidies = get_admin(app, &format!("/api/v1/subsidies?municipality={LV}")).await;
    let purposes: Vec<&str> = items(&subsidies)
        .iter()
        .filter(|s| s["year"].as_i64() == Some(base_year))
        .map(|s| s["purpose"].as_str().unwrap())
        .collect();
    let plan = get_admin(app, &format!("/api/v1/municipalities/{LV}/plan")).await;
    assert_eq!(
        plan,
        json!([]),
        "no plan before any adoption: staff starts at 0"
    );
    let changes = items(&scenario["changes"]);
    let mut out = Expected {
        cash: BTreeMap::new(),
        in_kind: BTreeMap::new(),
        staff: BTreeMap::new(),
    };
    let covers = |c: &Value, y: i64| {
        c["from"].as_i64().unwrap() <= y && c["to"].as_i64().is_none_or(|t| y <= t)
    };
    for y in from..=to {
        let mut lines: BTreeMap<String, (bool, i64)> = BTreeMap::new();
        let mut staff = 0;
        for c in changes {
            match c["kind"].as_str().unwrap() {
                "line" => {
                    let name = c["line"].as_str().unwrap();
                    assert!(!purposes.contains(&name), "{name} is a baseline line");
                    let key = format!("{name}|{}|{}", c["lineKind"], c["workingGroup"]);
                    let in_kind = c["inKind"].as_bool().unwrap();
                    let entry = lines.entry(key).or_insert((in_kind, 0));
                    if covers(c, y) {
                        entry.1 = c["amountCents"].as_i64().unwrap();
                    }
                }
                "staff" if covers(c, y) => staff = c["hours"].as_i64().unwrap(),
                _ => {}
            }
        }
        let line_sum = |kind: bool| {
            lines
                .values()
                .filter(|(k, _)| *k == kind)
                .map(|(_, a)| a)
                .sum::<i64>()
        };
        out.cash.insert(y, base_cash + line_sum(false));
        out.in_kind.insert(y, base_in_kind + line_sum(true));
        out.staff.insert(y, staff);
    }
    out
}

async fn the_options_compared_match_an_independent_computation(app: App) {
    let a = scenario(&app, "A").await;
    let b = scenario(&app, "B").await;
    let c = scenario(&app, "C").await;
    assert_eq!(a["proposed"], true, "the proposal recommends A");
    assert_eq!(b["proposed"], false);
    assert!(a["adoptedBy"].is_null());
    let ids = [&a, &b, &c].map(|s| s["id"].as_str().unwrap().to_owned());
    let from = a["horizonFrom"].as_i64().unwrap();
    let to = a["horizonTo"].as_i64().unwrap();
    let (status, cmp) = app
        .get_json(&format!("/api/v1/scenarios/compare?ids={}", ids.join(",")))
        .await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    assert_eq!(cmp["from"], from);
    assert_eq!(cmp["to"], to);
    let codes: Vec<&str> = items(&cmp["scenarios"])
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["A", "B", "C"]);
    let mut expect = Vec::new();
    for s in [&a, &b, &c] {
        expect.push(expected(&app, s, from, to).await);
    }
    let years = items(&cmp["years"]);
    assert_eq!(years.len() as i64, to - from + 1);
    let mut differs = false;
    for row in years {
        let y = row["year"].as_i64().unwrap();
        let figures = items(&row["scenarios"]);
        let first = expect[0].cash[&y] + expect[0].in_kind[&y];
        for (i, f) in figures.iter().enumerate() {
            assert_eq!(f["scenario"], ids[i]);
            let e = &expect[i];
            assert_eq!(f["cashCents"], e.cash[&y], "{} cash {y}", codes[i]);
            assert_eq!(f["inKindCents"], e.in_kind[&y], "{} in kind {y}", codes[i]);
            assert_eq!(f["staffHours"], e.staff[&y], "{} staff {y}", codes[i]);
            let total = e.cash[&y] + e.in_kind[&y];
            assert_eq!(
                f["differenceCents"],
                total - first,
                "{} difference {y}",
                codes[i]
            );
            differs |= total != first;
        }
    }
    assert!(differs, "the options differ somewhere");
    // The projection of one scenario says the same per year, and a horizon can be chosen.
    for (i, s) in [&a, &b, &c].iter().enumerate() {
        for y in items(&s["projection"]["years"]) {
            let year = y["year"].as_i64().unwrap();
            assert_eq!(y["cashCents"], expect[i].cash[&year]);
            assert_eq!(y["inKindCents"], expect[i].in_kind[&year]);
            let lines: i64 = items(&y["lines"])
                .iter()
                .map(|l| l["amountCents"].as_i64().unwrap())
                .sum();
            assert_eq!(lines, expect[i].cash[&year] + expect[i].in_kind[&year]);
        }
    }
    let short = get_admin(
        &app,
        &format!("/api/v1/scenarios/{}?from={}&to={}", ids[1], to - 1, to),
    )
    .await;
    assert_eq!(short["projection"]["from"], to - 1);
    assert_eq!(items(&short["projection"]["years"]).len(), 2);
    assert_eq!(
        short["horizonFrom"], from,
        "the scenario's own horizon stays"
    );
    // Option A leaves every bond it names to civil society: their status in its last year.
    let last = items(&a["projection"]["years"]).last().unwrap();
    let ended: Vec<&Value> = items(&a["changes"])
        .iter()
        .filter(|c| c["kind"] == "status")
        .map(|c| &c["partnership"])
        .collect();
    assert_eq!(ended.len(), 3, "Hranice, Konstancin-Jeziorna and Temecula");
    for st in items(&last["statuses"]) {
        if ended.contains(&&st["partnership"]) {
            assert_eq!(st["status"], "civil-society-only");
        }
    }
    // Bad comparisons name the parameter.
    for (query, field) in [
        (format!("ids={}", ids[0]), "ids"),
        ("ids=nope,nothing".to_owned(), "ids"),
        (format!("ids={},{}&from=1000", ids[0], ids[1]), "from"),
        (format!("ids={},{}&from=2030&to=2020", ids[0], ids[1]), "to"),
    ] {
        let res = send_as(
            &app,
            None,
            Method::GET,
            &format!("/api/v1/scenarios/compare?{query}"),
            None,
        )
        .await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(invalid_fields(&p)[0].0, field, "{query}: {p}");
    }
}

// ---- 4. dry run and adoption -------------------------------------------------------------------

async fn statuses(app: &App) -> BTreeMap<String, String> {
    let v = get_admin(
        app,
        &format!("/api/v1/partnerships?municipality={LV}&pageSize=200"),
    )
    .await;
    items(&v["items"])
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn the_dry_run_predicts_exactly_what_adopting_a_does(app: App) {
    let a = scenario(&app, "A").await;
    let id = a["id"].as_str().unwrap();
    let before = statuses(&app).await;
    let state_before = everything(&app).await;
    let dry = must(
        &app,
        Method::POST,
        &format!("/api/v1/scenarios/{id}/dry-run"),
        json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(dry["dryRun"], true);
    assert!(dry["decision"].is_null());
    assert_eq!(
        everything(&app).await,
        state_before,
        "a dry run changes nothing"
    );
    let predicted: BTreeMap<String, String> = items(&dry["effects"])
        .iter()
        .filter(|e| e["kind"] == "status")
        .map(|e| {
            let p = e["partnership"].as_str().unwrap().to_owned();
            assert_eq!(
                e["fromStatus"],
                before[&p].as_str(),
                "from the current status"
            );
            (p, e["toStatus"].as_str().unwrap().to_owned())
        })
        .collect();
    assert!(!predicted.is_empty(), "option A changes statuses: {dry}");

    let decisions_before = items(&state_before["decisions"]).len();
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/scenarios/{id}/adopt"),
            &json!({"date": "2018-12-18", "body": "council", "kind": "decision",
                    "title": "Besluit toekomst stedenbanden: optie A", "reference": "RB 2018/77"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let adopted: Value = res.json().await.unwrap();
    assert_eq!(adopted["dryRun"], false);
    let decision = adopted["decision"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/decisions/{decision}"));
    assert_eq!(
        adopted["effects"], dry["effects"],
        "the dry run predicted the adoption"
    );

    // Every partnership is in the state the scenario says (the others as they were).
    let after = statuses(&app).await;
    for (p, status) in &after {
        let want = predicted.get(p).unwrap_or(&before[p]);
        assert_eq!(status, want, "partnership {p}");
        let detail = get_admin(&app, &format!("/api/v1/partnerships/{p}")).await;
        assert_eq!(&detail["status"], want.as_str());
    }
    // Each changed partnership's audit trail has the status change, citing the decision.
    for p in predicted.keys() {
        let trail = app
            .state
            .register
            .audit_trail("partnership", p)
            .await
            .unwrap();
        let entry = trail
            .iter()
            .find(|e| e.draft.action == "partnership.status")
            .unwrap_or_else(|| panic!("a partnership.status entry for {p}"));
        assert!(entry.draft.after.as_deref().unwrap().contains(&decision));
    }
    let d = get_admin(&app, &format!("/api/v1/decisions/{decision}")).await;
    assert_eq!(d["outcome"], "adopted");
    assert_eq!(d["reference"], "RB 2018/77");
    let affected: Vec<&str> = items(&d["affects"])
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    for p in predicted.keys() {
        assert!(affected.contains(&p.as_str()), "the decision affects {p}");
    }
    let a_after = get_admin(&app, &format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(a_after["adoptedBy"]["id"], decision.as_str());
    assert_eq!(a_after["mayAdopt"], false);
    let plan = get_admin(&app, &format!("/api/v1/municipalities/{LV}/plan")).await;
    assert_eq!(
        items(&plan).len() as i64,
        a["horizonTo"].as_i64().unwrap() - a["horizonFrom"].as_i64().unwrap() + 1
    );
    assert!(
        items(&plan)
            .iter()
            .all(|y| y["decision"] == decision.as_str())
    );
    assert_eq!(
        items(&get_admin(&app, &format!("/api/v1/decisions?municipality={LV}")).await).len(),
        decisions_before + 1
    );

    // Adopting A again is refused and changes nothing; so is another dry run.
    let state = everything(&app).await;
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/scenarios/{id}/adopt"),
            &json!({"date": "2019-01-15", "body": "council", "kind": "decision",
                    "title": "Nogmaals optie A"}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        [(
            "scenario".to_owned(),
            "error-scenario-already-adopted".to_owned()
        )]
    );
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/scenarios/{id}/dry-run"),
            &json!({}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(invalid_fields(&p)[0].0, "scenario");
    assert_eq!(everything(&app).await, state);
    assert_eq!(statuses(&app).await, after);
}

// ---- 5. ending a partnership --------------------------------------------------------------------

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

async fn ending_a_partnership_goes_step_by_step_with_its_letter(app: App) {
    let id = app.partnership_id("temecula").await;
    let path = format!("/api/v1/partnerships/{id}/ending");
    let (status, _) = app.get_json(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no ending yet");
    let p = get_admin(&app, &format!("/api/v1/partnerships/{id}")).await;
    let start = p["start"].as_str().unwrap().to_owned();
    let start_year: i16 = start[..4].parse().unwrap();
    let (since_nl, since_en) = match start.parse::<Date>() {
        Ok(d) => (
            format!(
                "Sinds {} {} {}",
                d.day(),
                MONTHS_NL[d.month() as usize - 1],
                d.year()
            ),
            format!(
                "Since {} {} {}",
                d.day(),
                MONTHS_EN[d.month() as usize - 1],
                d.year()
            ),
        ),
        Err(_) => (format!("Sinds {start}"), format!("Since {start}")),
    };
    let today = today();
    let years = today.year() - start_year;
    // The held activities, counted independently of the letter: the activity numbers per year.
    let numbers = get_admin(&app, &format!("/api/v1/partnerships/{id}/activity-numbers")).await;
    let held: u64 = items(&numbers["years"])
        .iter()
        .map(|y| y["activities"].as_u64().unwrap())
        .sum();

    // Out of order: nothing to take a step in before the ending starts.
    let res = app
        .send_json(
            Method::PUT,
            &format!("{path}/letter"),
            &json!({"sentOn": today.to_string()}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // An ending needs an adopted decision: a proposal is refused.
    let proposal = must(
        &app,
        Method::POST,
        "/api/v1/decisions",
        json!({"municipality": LV, "date": today.to_string(), "body": "mayor-and-aldermen",
               "kind": "decision", "title": "Voorstel beëindiging stedenband Temecula",
               "outcome": "proposed", "affects": [{"kind": "partnership", "id": id}]}),
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .send_json(
            Method::POST,
            &path,
            &json!({"decision": proposal["id"], "reason": "Geen gemeentelijke rol meer."}),
        )
        .await;
    let pr = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(invalid_fields(&pr)[0].0, "decision");
    let decision = must(
        &app,
        Method::POST,
        "/api/v1/decisions",
        json!({"municipality": LV, "date": today.to_string(), "body": "council",
               "kind": "decision", "title": "Beëindiging stedenband Temecula",
               "outcome": "adopted"}),
        StatusCode::CREATED,
    )
    .await;
    let res = app
        .send_json(
            Method::POST,
            &path,
            &json!({"decision": decision["id"], "reason": "De gemeente heeft geen rol meer."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()[LOCATION], path.as_str());
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["step"], "decided");
    assert_eq!(e["decision"]["id"], decision["id"]);
    assert_eq!(e["partnership"]["partner"]["slug"], "temecula");
    let nl = e["letterNl"].as_str().unwrap();
    let en = e["letterEn"].as_str().unwrap();
    assert!(nl.contains(&since_nl), "{since_nl} in {nl}");
    assert!(en.contains(&since_en), "{since_en} in {en}");
    assert!(
        nl.contains(&format!("{years} jaar")),
        "{years} jaar in {nl}"
    );
    assert!(
        en.contains(&format!("{years} years")),
        "{years} years in {en}"
    );
    if held > 0 {
        let word = if held == 1 {
            "activiteit"
        } else {
            "activiteiten"
        };
        assert!(
            nl.contains(&format!(" {held} {word} gehouden")),
            "{held} in {nl}"
        );
        let word = if held == 1 { "activity" } else { "activities" };
        assert!(
            en.contains(&format!(" {held} {word} took place")),
            "{held} in {en}"
        );
    }
    assert!(nl.contains("Temecula") && en.contains("Temecula"));
    // The decision now lists the partnership; the decisions about it include it.
    let about = get_admin(
        &app,
        &format!("/api/v1/decisions/about?kind=partnership&id={id}"),
    )
    .await;
    assert!(items(&about).iter().any(|d| d["id"] == decision["id"]));
    let dates: Vec<&str> = items(&about)
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    // The public reads the ending.
    let (status, public) = app.get_json(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["mayEdit"], false);

    // Steps out of order are refused and change nothing.
    let state = everything(&app).await;
    let day = today.to_string();
    for (step, body, field) in [
        (
            "completion",
            json!({"endOn": day, "finalStatus": "civil-society-only"}),
            "endOn",
        ),
        ("notification", json!({"on": day, "how": "Per brief"}), "on"),
    ] {
        let res = app
            .send_json(Method::PUT, &format!("{path}/{step}"), &body)
            .await;
        let pr = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            invalid_fields(&pr)[0].0,
            field,
            "{step} before its turn: {pr}"
        );
    }
    assert_eq!(everything(&app).await, state);
    assert_eq!(get_admin(&app, &path).await["step"], "decided");

    let e = must(
        &app,
        Method::PUT,
        &format!("{path}/letter"),
        json!({"sentOn": day}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["step"], "letter-sent");
    assert_eq!(e["letterNl"], nl, "the draft stays when no text is given");
    let res = app
        .send_json(
            Method::PUT,
            &format!("{path}/completion"),
            &json!({"endOn": day, "finalStatus": "ended"}),
        )
        .await;
    let pr = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&pr)[0].0,
        "endOn",
        "completion before notification"
    );
    let e = must(
        &app,
        Method::PUT,
        &format!("{path}/notification"),
        json!({"on": day, "how": "Brief en e-mail aan de burgemeester"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["step"], "partner-notified");
    let e = must(
        &app,
        Method::PUT,
        &format!("{path}/completion"),
        json!({"endOn": day, "finalStatus": "civil-society-only"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(e["step"], "completed");
    assert_eq!(e["mayEdit"], false);
    assert_eq!(e["endOn"], day.as_str());

    let p = get_admin(&app, &format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(p["end"], day.as_str(), "{p}");
    assert_eq!(p["status"], "civil-society-only");
    // Archived: the partnership can no longer be changed.
    let mut body = json!({"home": p["home"]["slug"], "partner": p["partner"]["slug"],
                          "kind": p["kind"], "initiator": p["initiator"], "start": p["start"],
                          "end": p["end"], "status": p["status"]});
    if !p["description"].is_null() {
        body["description"] = p["description"].clone();
    }
    let state = everything(&app).await;
    let res = app
        .send_json(Method::PUT, &format!("/api/v1/partnerships/{id}"), &body)
        .await;
    let pr = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        invalid_fields(&pr)
            .iter()
            .any(|(_, code)| code == "error-partnership-archived"),
        "{pr}"
    );
    assert_eq!(everything(&app).await, state);
}

// ---- 6. bad input ------------------------------------------------------------------------------

// Adopting an option twice, and adopting another option of the same proposal once one was, are
// both refused on `scenario`.

async fn bad_input_is_named_and_changes_nothing(app: App) {
    // A partnership of another municipality: Hranice's own with Konstancin-Jeziorna.
    let theirs = must(
        &app,
        Method::POST,
        "/api/v1/partnerships",
        json!({"home": "hranice", "partner": "konstancin-jeziorna", "kind": "friendship",
               "initiator": "local-government", "start": "1995"}),
        StatusCode::CREATED,
    )
    .await;
    let a = scenario(&app, "A").await;
    let a_id = a["id"].as_str().unwrap().to_owned();
    let b_id = scenario(&app, "B").await["id"].as_str().unwrap().to_owned();
    // A's adoption, so that adopting it twice can be tried.
    must(
        &app,
        Method::POST,
        &format!("/api/v1/scenarios/{a_id}/adopt"),
        json!({"date": "2018-12-18", "body": "council", "kind": "decision",
               "title": "Besluit toekomst stedenbanden: optie A"}),
        StatusCode::CREATED,
    )
    .await;
    let adopted = rule(&app, "no-budget-line").await;
    let decision = adopted["imposedBy"]["id"].as_str().unwrap().to_owned();
    let tomorrow = today().tomorrow().unwrap().to_string();
    let state = everything(&app).await;
    let cases: Vec<(Method, String, Value, &str, &str)> = vec![
        (
            Method::POST,
            "/api/v1/rules".into(),
            json!({"kind": "no-budget-line", "from": "2020-01-01"}),
            "decision",
            "error-rule-needs-decision",
        ),
        (
            Method::POST,
            "/api/v1/rules".into(),
            json!({"decision": "  ", "kind": "no-staff-capacity"}),
            "decision",
            "error-rule-needs-decision",
        ),
        (
            Method::POST,
            "/api/v1/scenarios".into(),
            json!({"municipality": LV, "code": "D", "title": "Hranice erbij",
                   "horizonFrom": 2025, "horizonTo": "2027",
                   "changes": [
                       {"kind": "staff", "from": 2025, "hours": 40},
                       {"kind": "status", "partnership": theirs["id"], "status": "ended",
                        "on": "2025-06-01"}]}),
            "changes[1].partnership",
            "error-partnership-not-own",
        ),
        (
            Method::POST,
            format!("/api/v1/scenarios/{a_id}/adopt"),
            json!({"date": "2019-01-15", "body": "council", "kind": "decision",
                   "title": "Optie A nog eens"}),
            "scenario",
            "error-scenario-already-adopted",
        ),
        (
            Method::POST,
            format!("/api/v1/scenarios/{b_id}/adopt"),
            json!({"date": "2019-01-15", "body": "council", "kind": "decision",
                   "title": "Toch optie B"}),
            "scenario",
            "error-other-scenario-adopted",
        ),
        (
            Method::POST,
            "/api/v1/decisions".into(),
            json!({"municipality": LV, "date": tomorrow, "body": "council", "kind": "decision",
                   "title": "Besluit van morgen", "outcome": "adopted"}),
            "outcome",
            "error-decision-adopted-in-future",
        ),
        (
            Method::PUT,
            format!("/api/v1/decisions/{decision}"),
            json!({"date": "2011-11-08", "body": "council", "kind": "decision",
                   "title": "Ingetrokken", "outcome": "withdrawn"}),
            "outcome",
            "error-decision-has-rules",
        ),
        (
            Method::POST,
            "/api/v1/decisions".into(),
            json!({"municipality": LV, "date": "2019-01-01", "body": "council",
                   "kind": "motion", "title": "Verworpen motie", "outcome": "rejected",
                   "rules": [{"kind": "no-budget-line"}]}),
            "rules[0].kind",
            "error-rule-needs-adopted-decision",
        ),
    ];
    for (method, path, body, field, code) in cases {
        let res = app.send_json(method.clone(), &path, &body).await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        let fields = invalid_fields(&p);
        assert!(
            fields.contains(&(field.to_owned(), code.to_owned())),
            "{method} {path}: {field} {code} in {p}"
        );
        let reason = p["invalidParams"][0]["reason"].as_str().unwrap();
        assert!(
            !reason.is_empty() && !reason.starts_with("error-"),
            "a text: {reason}"
        );
        assert_eq!(
            everything(&app).await,
            state,
            "{method} {path} changed something"
        );
    }
    // A body that is no JSON at all is a 400, also without changing anything.
    let res = app
        .http
        .post(app.url("/api/v1/decisions"))
        .bearer_auth(&app.token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{\"municipality\": ")
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::BAD_REQUEST).await;
    // An amount must be text, never a JSON number.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/scenarios",
            &json!({"municipality": LV, "code": "E", "title": "Float", "horizonFrom": 2025,
                    "horizonTo": 2026, "changes": [{"kind": "line", "line": "X",
                    "lineKind": "budget", "from": 2025, "amount": 12.5}]}),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(everything(&app).await, state);
}

// ---- 7. who may read and write -------------------------------------------------------------------

async fn the_public_reads_adopted_decisions_and_scenarios_and_writes_nothing(app: App) {
    let all = get_admin(&app, &format!("/api/v1/decisions?municipality={LV}")).await;
    let proposal = items(&all)
        .iter()
        .find(|d| d["outcome"] == "proposed")
        .expect("the demo's proposal of 2018")
        .clone();
    let pid = proposal["id"].as_str().unwrap();
    assert_eq!(proposal["mayEdit"], true);
    let (status, public) = app
        .get_json(&format!("/api/v1/decisions?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!items(&public).is_empty());
    assert!(
        items(&public)
            .iter()
            .all(|d| d["outcome"] == "adopted" && d["mayEdit"] == false)
    );
    assert_eq!(items(&public).len(), items(&all).len() - 1);
    let adopted = items(&public)[0]["id"].as_str().unwrap().to_owned();
    let (status, d) = app.get_json(&format!("/api/v1/decisions/{adopted}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["outcome"], "adopted");
    let (status, _) = app.get_json(&format!("/api/v1/decisions/{pid}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a proposal is the officials' only"
    );
    let (status, scenarios) = app
        .get_json(&format!("/api/v1/scenarios?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&scenarios).len(), 3);
    assert!(items(&scenarios).iter().all(|s| s["mayAdopt"] == false));
    let a = items(&scenarios)[0]["id"].as_str().unwrap().to_owned();
    let (status, one) = app.get_json(&format!("/api/v1/scenarios/{a}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(one["projection"]["years"].is_array());
    let (status, rules) = app
        .get_json(&format!("/api/v1/rules?municipality={LV}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&rules).len(), 4);
    let (status, _) = app
        .get_json(&format!("/api/v1/municipalities/{LV}/plan"))
        .await;
    assert_eq!(status, StatusCode::OK);

    let hranice = hranice_official(&app).await;
    let partnership = app.partnership_id("hranice").await;
    let writes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/api/v1/decisions".into(),
            json!({"municipality": LV, "date": "2019-01-01", "body": "council",
                   "kind": "decision", "title": "Besluit", "outcome": "adopted"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/decisions/{adopted}"),
            json!({"date": "2019-01-01", "body": "council", "kind": "decision",
                   "title": "Besluit", "outcome": "adopted"}),
        ),
        (
            Method::POST,
            format!("/api/v1/decisions/{adopted}/rules"),
            json!({"kind": "no-budget-line"}),
        ),
        (
            Method::POST,
            "/api/v1/rules".into(),
            json!({"decision": adopted, "kind": "no-budget-line"}),
        ),
        (
            Method::POST,
            "/api/v1/scenarios".into(),
            json!({"municipality": LV, "code": "Z", "title": "Optie Z", "horizonFrom": 2025,
                   "horizonTo": 2026}),
        ),
        (
            Method::POST,
            format!("/api/v1/scenarios/{a}/dry-run"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/scenarios/{a}/adopt"),
            json!({"date": "2019-01-01", "body": "council", "kind": "decision",
                   "title": "Besluit"}),
        ),
        (
            Method::POST,
            format!("/api/v1/partnerships/{partnership}/ending"),
            json!({"decision": adopted, "reason": "Reden"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/partnerships/{partnership}/ending/letter"),
            json!({"sentOn": "2019-01-01"}),
        ),
    ];
    let state = everything(&app).await;
    for (method, path, body) in &writes {
        let res = send_as(&app, None, method.clone(), path, Some(body)).await;
        let p = problem(res, StatusCode::UNAUTHORIZED).await;
        assert_eq!(p["status"], 401, "{method} {path} as the public");
        let res = send_as(&app, Some(&hranice), method.clone(), path, Some(body)).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} as Hranice's official"
        );
    }
    // Another municipality's official does not see the proposal either.
    let res = send_as(
        &app,
        Some(&hranice),
        Method::GET,
        &format!("/api/v1/decisions/{pid}"),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        everything(&app).await,
        state,
        "refused writes change nothing"
    );
}

// ---- the OpenAPI document -----------------------------------------------------------------------

async fn the_openapi_document_describes_the_new_routes(app: App) {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    for (path, method) in [
        ("/api/v1/decisions", "get"),
        ("/api/v1/decisions", "post"),
        ("/api/v1/decisions/about", "get"),
        ("/api/v1/decisions/{id}", "put"),
        ("/api/v1/decisions/{id}/rules", "post"),
        ("/api/v1/rules", "post"),
        ("/api/v1/rules", "get"),
        ("/api/v1/municipalities/{id}/plan", "get"),
        ("/api/v1/scenarios", "post"),
        ("/api/v1/scenarios/{id}", "get"),
        ("/api/v1/scenarios/compare", "get"),
        ("/api/v1/scenarios/{id}/dry-run", "post"),
        ("/api/v1/scenarios/{id}/adopt", "post"),
        ("/api/v1/partnerships/{id}/ending", "post"),
        ("/api/v1/partnerships/{id}/ending/letter", "put"),
        ("/api/v1/partnerships/{id}/ending/notification", "put"),
        ("/api/v1/partnerships/{id}/ending/completion", "put"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    for schema in [
        "DecisionOut",
        "RuleOut",
        "ScenarioOut",
        "ComparisonOut",
        "AdoptionOut",
        "EndingOut",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

http_tests!(
    no_new_twinnings_refuses_a_municipal_twinning_until_it_is_lifted,
    the_phased_out_subsidy_refuses_a_yearly_budget_but_not_a_one_off_grant,
    the_options_compared_match_an_independent_computation,
    the_dry_run_predicts_exactly_what_adopting_a_does,
    ending_a_partnership_goes_step_by_step_with_its_letter,
    bad_input_is_named_and_changes_nothing,
    the_public_reads_adopted_decisions_and_scenarios_and_writes_nothing,
    the_openapi_document_describes_the_new_routes,
);
