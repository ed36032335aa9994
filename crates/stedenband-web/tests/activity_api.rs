mod support;
use support::*;

// The activities' JSON API (activities, occurrences and their figures, receptions, numbers per
// year and dormancy) over HTTP, on SQLite and on PostgreSQL, each test on a fresh database with
// the demo data.

use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const TREE: &str = "Kerstboom uit Hranice bij de Oude Kerk";
const LIGHTING: &str = "Ontsteken van de kerstboom";
const PASSWORD: &str = "een boom vol lichtjes in december";

/// The invalid fields of a problem: name and code.
type Fields = Vec<(String, String)>;

fn fields(v: &[(&str, &str)]) -> Fields {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// A request with someone's bearer token; the body as JSON (or none).
async fn send_as(
    app: &App,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .http
        .request(method, app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, "en")
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn admin_get(app: &App, path: &str) -> (StatusCode, Value) {
    send_as(app, &app.token, Method::GET, path, None).await
}

/// A request without credentials.
async fn public(app: &App, method: Method, path: &str, body: Option<&Value>) -> reqwest::Response {
    let mut req = app
        .http
        .request(method, app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, "en");
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

/// An administrator's write that must be refused with a 422: its invalid fields.
async fn refused(app: &App, method: Method, path: &str, body: &Value) -> Fields {
    let res = app.send_json(method, path, body).await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    invalid_fields(&p)
}

/// A public list query that must be refused with a 422: its invalid fields.
async fn refused_query(app: &App, path: &str) -> Fields {
    let res = public(app, Method::GET, path, None).await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    invalid_fields(&p)
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

fn find<'a>(list: &'a Value, title: &str) -> &'a Value {
    items(list)
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("{title} is not listed"))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// A new activity of a partnership, incoming, in 2027.
fn new_activity(partnership: &str, organiser: &str) -> Value {
    json!({
        "partnership": partnership,
        "organiser": organiser,
        "title": "Bezoek van de jeugdharmonie",
        "description": "Een weekend muziek.",
        "start": "2027-05-14",
        "startTime": "19:30",
        "end": "2027-05-16",
        "endTime": "14:00",
        "timezone": "Europe/Amsterdam",
        "place": "Voorburg",
        "direction": "incoming",
        "category": "music",
        "participantsHome": 20,
        "participantsPartner": 35,
        "status": "planned",
        "links": ["https://harmonie.example.org"],
        "public": true,
        "recurrence": null,
    })
}

/// The body that writes back what an activity's detail shows.
fn body_of(detail: &Value) -> Value {
    let organiser = match text(&detail["organiser"]["kind"]) {
        "municipality" => json!("municipality"),
        _ => detail["organiser"]["slug"].clone(),
    };
    json!({
        "partnership": detail["partnership"],
        "organiser": organiser,
        "title": detail["title"],
        "description": detail["description"],
        "start": detail["start"],
        "startTime": detail["startTime"],
        "end": detail["end"],
        "endTime": detail["endTime"],
        "timezone": detail["timezone"],
        "place": detail["place"],
        "direction": detail["direction"],
        "category": detail["category"],
        "participantsHome": detail["participantsHome"],
        "participantsPartner": detail["participantsPartner"],
        "status": detail["status"],
        "outcomes": detail["outcomes"],
        "links": detail["links"],
        "public": detail["public"],
        "recurrence": detail["recurrence"],
    })
}

/// Creates an activity as the administrator; its detail.
async fn create(app: &App, body: &Value) -> Value {
    let res = app
        .send_json(Method::POST, "/api/v1/activities", body)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let a: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/activities/{}", text(&a["id"])));
    a
}

/// Every activity as the administrator sees it, with the details (and receptions) and the
/// occurrences of the ones named: compared before and after refused requests.
async fn snapshot(app: &App, ids: &[&str]) -> Value {
    let (status, all) = admin_get(app, "/api/v1/activities").await;
    assert_eq!(status, StatusCode::OK);
    let mut out = serde_json::Map::new();
    out.insert("all".into(), all);
    for id in ids {
        let (_, d) = admin_get(app, &format!("/api/v1/activities/{id}")).await;
        let (_, o) = admin_get(
            app,
            &format!("/api/v1/activities/{id}/occurrences?until=2030-01-01"),
        )
        .await;
        out.insert((*id).to_owned(), json!([d, o]));
    }
    let (_, open) = admin_get(
        app,
        "/api/v1/municipalities/leidschendam-voorburg/receptions",
    )
    .await;
    out.insert("open".into(), open);
    Value::Object(out)
}

/// The id of the demo's Christmas tree.
async fn tree_id(app: &App) -> String {
    let hranice = app.partnership_id("hranice").await;
    let (_, list) = app
        .get_json(&format!("/api/v1/activities?partnership={hranice}"))
        .await;
    text(&find(&list, TREE)["id"]).to_owned()
}

// ---- reading -----------------------------------------------------------------------------------

async fn december_2017_of_hranice_has_the_christmas_tree(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let path = format!("/api/v1/activities?partnership={hranice}&from=2017-12-01&to=2017-12-31");
    let (status, list) = app.get_json(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!items(&list).is_empty());
    for a in items(&list) {
        assert_eq!(a["partnership"], hranice.as_str(), "{a}");
        assert_eq!(a["public"], true, "the public sees public activities only");
        // Each listed activity has an occurrence in December 2017.
        let occ = items(&a["occurrences"]);
        assert!(!occ.is_empty(), "{a}");
        for o in occ {
            assert!(text(&o["start"]) <= "2017-12-31" && text(&o["end"]) >= "2017-12-01");
        }
    }
    // The tree, first placed in 2004, stands at the Oude Kerk in December 2017.
    let tree = find(&list, TREE);
    assert_eq!(tree["start"], "2004-12-01");
    assert_eq!(
        tree["recurrence"],
        json!({"frequency": "yearly", "until": null})
    );
    assert_eq!(
        tree["occurrences"],
        json!([{"index": 13, "start": "2017-12-01", "end": "2018-01-06"}])
    );
    assert_eq!(tree["place"], "Oude Kerk, Herenstraat, Voorburg");
    assert_eq!(tree["category"], "city-promotion");
    assert_eq!(tree["direction"], "incoming");
    assert_eq!(tree["organiser"]["kind"], "working-group");
    assert_eq!(tree["organiser"]["slug"], "werkgroep-hranice");
    assert_eq!(tree["organiser"]["name"], "Werkgroep Hranice");
    // And the lighting of the tree, with its times.
    let lighting = find(&list, LIGHTING);
    assert_eq!(lighting["occurrences"][0]["start"], "2017-12-10");
    assert_eq!(lighting["startTime"], "18:30");
    assert_eq!(lighting["endTime"], "20:00");

    // The same by working group and category; another group organises nothing for Hranice.
    let (_, by_group) = app
        .get_json(
            "/api/v1/activities?workingGroup=werkgroep-hranice&category=city-promotion\
             &from=2017-12-01&to=2017-12-31",
        )
        .await;
    let mut titles: Vec<&str> = items(&by_group).iter().map(|a| text(&a["title"])).collect();
    titles.sort();
    assert_eq!(titles, vec![TREE, LIGHTING]);
    let (_, none) = app
        .get_json(&format!(
            "/api/v1/activities?partnership={hranice}&workingGroup=werkgroep-temecula"
        ))
        .await;
    assert_eq!(none, json!([]));
    // Without a period every activity of the partnership once, without occurrences.
    let (_, all) = app
        .get_json(&format!("/api/v1/activities?partnership={hranice}"))
        .await;
    assert!(items(&all).len() > 20);
    assert!(find(&all, TREE).get("occurrences").is_none());

    // The tree in detail, and its occurrences with their figures.
    let id = text(&tree["id"]);
    let (status, detail) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["title"], TREE);
    assert_eq!(detail["partner"]["slug"], "hranice");
    assert_eq!(detail["heldBy"]["slug"], "leidschendam-voorburg");
    assert_eq!(detail["organiser"]["slug"], "werkgroep-hranice");
    assert_eq!(detail["reception"], Value::Null);
    assert_eq!(detail["mayEdit"], false);
    let (status, occ) = app
        .get_json(&format!(
            "/api/v1/activities/{id}/occurrences?until=2017-12-31"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let occ = items(&occ);
    let starts: Vec<String> = occ.iter().map(|o| text(&o["start"]).to_owned()).collect();
    let expected: Vec<String> = (2004..=2017).map(|y| format!("{y}-12-01")).collect();
    assert_eq!(starts, expected, "the tree every December");
    let last = occ.last().unwrap();
    assert_eq!(last["costs"], "6500.00");
    assert_eq!(last["recorded"], true);
    assert_eq!(last["end"], "2018-01-06");
    assert!(occ[..occ.len() - 1].iter().all(|o| o["costs"].is_null()));

    // Bad filter values name the parameter; several at once.
    assert_eq!(
        refused_query(&app, "/api/v1/activities?category=knitting").await,
        fields(&[("category", "error-choice-invalid")])
    );
    assert_eq!(
        refused_query(&app, "/api/v1/activities?from=2017-13-01").await[0].0,
        "from"
    );
    assert_eq!(
        refused_query(&app, "/api/v1/activities?to=december").await[0].0,
        "to"
    );
    assert_eq!(
        refused_query(&app, "/api/v1/activities?from=2017-12-31&to=2017-12-01").await,
        fields(&[("to", "error-end-before-start")])
    );
    assert_eq!(
        refused_query(
            &app,
            "/api/v1/activities?partnership=atlantis&workingGroup=werkgroep-atlantis"
        )
        .await,
        fields(&[
            ("partnership", "error-partnership-unknown-id"),
            ("workingGroup", "error-working-group-unknown"),
        ])
    );
    for bad in [
        "/api/v1/activities/no-such-activity",
        "/api/v1/activities/no-such-activity/occurrences",
    ] {
        problem(
            public(&app, Method::GET, bad, None).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let res = public(
        &app,
        Method::GET,
        &format!("/api/v1/activities/{id}/occurrences?until=2017"),
        None,
    )
    .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(invalid_fields(&p)[0].0, "until");
}

/// The numbers of one year, counted here from the listed activities: held ones that start in
/// the year, and yearly ones that started by then (with their own counts; the demo records
/// figures per occurrence only for the tree's costs).
fn count_year(list: &Value, year: i32) -> Value {
    let mut activities = 0;
    let mut by_category: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_direction: BTreeMap<String, u32> = BTreeMap::new();
    let (mut home, mut partner) = (0, 0);
    for a in items(list) {
        if a["status"] != "held" {
            continue;
        }
        let start_year: i32 = text(&a["start"])[..4].parse().unwrap();
        let counts = match a["recurrence"]["frequency"].as_str() {
            None => start_year == year,
            Some("yearly") => {
                start_year <= year
                    && a["recurrence"]["until"]
                        .as_str()
                        .is_none_or(|u| u[..4].parse::<i32>().unwrap() >= year)
            }
            Some(other) => panic!("the demo has no {other} activities"),
        };
        if counts {
            activities += 1;
            *by_category
                .entry(text(&a["category"]).to_owned())
                .or_default() += 1;
            *by_direction
                .entry(text(&a["direction"]).to_owned())
                .or_default() += 1;
            home += a["participantsHome"].as_u64().unwrap();
            partner += a["participantsPartner"].as_u64().unwrap();
        }
    }
    json!({
        "activities": activities,
        "byCategory": by_category,
        "byDirection": by_direction,
        "participantsHome": home,
        "participantsPartner": partner,
    })
}

async fn numbers_per_year_and_dormancy(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let (status, list) =
        admin_get(&app, &format!("/api/v1/activities?partnership={hranice}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, numbers) = admin_get(
        &app,
        &format!("/api/v1/partnerships/{hranice}/activity-numbers"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(numbers["partnership"], hranice.as_str());
    let years = items(&numbers["years"]);
    assert_eq!(years[0]["year"], 2004);
    let listed: Vec<i64> = years.iter().map(|y| y["year"].as_i64().unwrap()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "oldest year first");
    for year in [2004, 2010, 2017] {
        let y = years
            .iter()
            .find(|y| y["year"] == year)
            .unwrap_or_else(|| panic!("no numbers for {year}"));
        let mine = count_year(&list, year);
        for key in [
            "activities",
            "byCategory",
            "byDirection",
            "participantsHome",
            "participantsPartner",
        ] {
            assert_eq!(y[key], mine[key], "{key} of {year}: {y}");
        }
        // A few exchanges and the tree with its lighting.
        assert!(y["activities"].as_u64().unwrap() >= 4, "{y}");
        assert_eq!(y["byCategory"]["city-promotion"], 2, "{y}");
    }
    let y2017 = years.iter().find(|y| y["year"] == 2017).unwrap();
    assert_eq!(y2017["costs"], "6500.00", "the tree's contribution in 2017");
    let y2010 = years.iter().find(|y| y["year"] == 2010).unwrap();
    assert_eq!(y2010["costs"], "0.00");
    // The tree comes every year: Hranice is not dormant.
    assert_eq!(numbers["dormancy"]["months"], 24);
    assert_eq!(numbers["dormancy"]["dormant"], false);
    assert!(text(&numbers["dormancy"]["lastHeld"]) > "2024");
    // The public gets the same numbers: every demo activity is public.
    let (_, public_numbers) = app
        .get_json(&format!("/api/v1/partnerships/{hranice}/activity-numbers"))
        .await;
    assert_eq!(public_numbers, numbers);

    // Temecula's last exchange was in 2017: dormant.
    let temecula = app.partnership_id("temecula").await;
    let (status, t) = app
        .get_json(&format!("/api/v1/partnerships/{temecula}/activity-numbers"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["dormancy"]["dormant"], true);
    assert!(text(&t["dormancy"]["lastHeld"]).starts_with("2017-"));
    assert_eq!(items(&t["years"]).last().unwrap()["year"], 2017);

    // A held activity for Temecula now wakes it up, and counts in its year.
    let mut body = new_activity(&temecula, "werkgroep-temecula");
    body["start"] = json!("2026-06-01");
    body["end"] = json!("2026-06-03");
    body["status"] = json!("held");
    body["participantsHome"] = json!(7);
    body["participantsPartner"] = json!(9);
    create(&app, &body).await;
    let (_, t) = app
        .get_json(&format!("/api/v1/partnerships/{temecula}/activity-numbers"))
        .await;
    assert_eq!(t["dormancy"]["dormant"], false);
    assert_eq!(t["dormancy"]["lastHeld"], "2026-06-03");
    let y = items(&t["years"]).last().unwrap();
    assert_eq!(
        (
            &y["year"],
            &y["activities"],
            &y["participantsHome"],
            &y["participantsPartner"]
        ),
        (&json!(2026), &json!(1), &json!(7), &json!(9))
    );
    assert_eq!(y["byCategory"], json!({"music": 1}));

    let res = public(
        &app,
        Method::GET,
        "/api/v1/partnerships/atlantis/activity-numbers",
        None,
    )
    .await;
    problem(res, StatusCode::NOT_FOUND).await;
}

// ---- writing -----------------------------------------------------------------------------------

async fn activities_are_created_changed_and_their_figures_recorded(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let a = create(&app, &new_activity(&hranice, "werkgroep-hranice")).await;
    let id = text(&a["id"]).to_owned();
    assert_eq!(a["title"], "Bezoek van de jeugdharmonie");
    assert_eq!(a["organiser"]["slug"], "werkgroep-hranice");
    assert_eq!(a["startTime"], "19:30");
    assert_eq!(a["participantsHome"], 20);
    assert_eq!(a["participantsPartner"], 35);
    assert_eq!(a["links"], json!(["https://harmonie.example.org"]));
    assert_eq!(a["categoryGroup"], "culture");
    assert_eq!(a["mayEdit"], true);
    assert_eq!(a["mayManageReception"], true);
    // What the detail shows can be written back unchanged.
    let (_, before) = admin_get(&app, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(before, a);
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            &body_of(&a),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap(), a);
    // Held, with outcomes, organised by the municipality, recurring monthly until August.
    let mut changed = body_of(&a);
    changed["status"] = json!("held");
    changed["outcomes"] = json!("Een gezamenlijk concert in de Oude Kerk.");
    changed["organiser"] = json!("municipality");
    changed["recurrence"] = json!({"frequency": "monthly", "until": "2027-08-31"});
    let res = app
        .send_json(Method::PUT, &format!("/api/v1/activities/{id}"), &changed)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let c: Value = res.json().await.unwrap();
    assert_eq!(
        c["organiser"],
        json!({"kind": "municipality", "id": null, "slug": null, "name": null})
    );
    assert_eq!(c["outcomes"], "Een gezamenlijk concert in de Oude Kerk.");
    assert_eq!(
        c["recurrence"],
        json!({"frequency": "monthly", "until": "2027-08-31"})
    );
    let (_, occ) = app
        .get_json(&format!(
            "/api/v1/activities/{id}/occurrences?until=2027-12-31"
        ))
        .await;
    let starts: Vec<&str> = items(&occ).iter().map(|o| text(&o["start"])).collect();
    assert_eq!(
        starts,
        ["2027-05-14", "2027-06-14", "2027-07-14", "2027-08-14"]
    );
    // The figures of one occurrence; the others keep the activity's own.
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/activities/{id}/occurrences/2027-06-14"),
            &json!({"participantsHome": 41, "costs": "1250.5", "notes": "Regen."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let o: Value = res.json().await.unwrap();
    assert_eq!(
        o,
        json!({
            "index": 1, "start": "2027-06-14", "end": "2027-06-16",
            "participantsHome": 41, "participantsPartner": 35,
            "costs": "1250.50", "notes": "Regen.", "recorded": true, "cancelled": false,
        })
    );
    let (_, occ) = app
        .get_json(&format!(
            "/api/v1/activities/{id}/occurrences?until=2027-12-31"
        ))
        .await;
    assert_eq!(occ[1], o);
    assert_eq!(occ[2]["participantsHome"], 20);
    assert_eq!(occ[2]["recorded"], false);
    // And for the tree of December 2016, recorded after the fact.
    let tree = tree_id(&app).await;
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/activities/{tree}/occurrences/2016-12-01"),
            &json!({"participantsHome": 300, "participantsPartner": 4, "costs": "6200.00"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let hranice_numbers = format!("/api/v1/partnerships/{hranice}/activity-numbers");
    let (_, n) = app.get_json(&hranice_numbers).await;
    let y2016 = items(&n["years"])
        .iter()
        .find(|y| y["year"] == 2016)
        .unwrap();
    assert_eq!(y2016["costs"], "6200.00");
}

async fn bad_input_is_refused_naming_the_field_and_changes_nothing(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let tree = tree_id(&app).await;
    let (_, list) = admin_get(&app, &format!("/api/v1/activities?partnership={hranice}")).await;
    let outgoing = items(&list)
        .iter()
        .find(|a| a["direction"] == "outgoing")
        .expect("an outgoing visit to Hranice");
    let outgoing = text(&outgoing["id"]).to_owned();
    let before = snapshot(&app, &[&tree, &outgoing]).await;
    let good = new_activity(&hranice, "werkgroep-hranice");
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b
    };
    let post = |body: Value| {
        let app = &app;
        async move { refused(app, Method::POST, "/api/v1/activities", &body).await }
    };
    assert_eq!(
        post(with("end", json!("2027-05-13"))).await,
        fields(&[("end", "error-end-before-start")])
    );
    // On one day, the end time before the start time.
    let mut same_day = with("end", json!("2027-05-14"));
    same_day["endTime"] = json!("18:00");
    assert_eq!(
        post(same_day).await,
        fields(&[("end", "error-end-before-start")])
    );
    assert_eq!(
        post(with("participantsHome", json!(-3))).await,
        fields(&[("participantsHome", "error-count-negative")])
    );
    assert_eq!(
        post(with("participantsPartner", json!(2.5))).await,
        fields(&[("participantsPartner", "error-whole-number")])
    );
    assert_eq!(
        post(with("category", json!("knitting"))).await,
        fields(&[("category", "error-choice-invalid")])
    );
    assert_eq!(
        post(with(
            "recurrence",
            json!({"frequency": "weekly", "until": "2020-01-01"})
        ))
        .await,
        fields(&[
            ("recurrence.frequency", "error-choice-invalid"),
            ("recurrence.until", "error-end-before-start"),
        ])
    );
    assert_eq!(
        post(with("organiser", json!("werkgroep-temecula"))).await,
        fields(&[("organiser", "error-organiser-not-carrying")])
    );
    assert_eq!(
        post(with("partnership", json!("atlantis"))).await,
        fields(&[("partnership", "error-partnership-unknown-id")])
    );
    assert_eq!(
        post(with("timezone", json!("Mars/Olympus"))).await,
        fields(&[("timezone", "error-timezone-unknown")])
    );
    assert_eq!(
        post(with("links", json!(["ftp://harmonie.example.org"]))).await,
        fields(&[("links", "error-website-invalid")])
    );
    // Every invalid field at once, required ones too.
    let mut many = good.clone();
    many["title"] = json!("");
    many["end"] = json!("2027-05-01");
    many["participantsHome"] = json!(-1);
    many["category"] = json!("knitting");
    let names: Vec<String> = post(many).await.into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["title", "end", "category", "participantsHome"]);
    assert_eq!(
        post(json!({}))
            .await
            .into_iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        [
            "partnership",
            "organiser",
            "title",
            "start",
            "direction",
            "category"
        ]
    );
    // A body that is not the activity's: 400, not stored either.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/activities",
            &with("colour", json!("red")),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST).await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/activities",
            &with("participantsHome", json!("12")),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST).await;
    // The same refusals when changing an existing activity.
    let (_, tree_detail) = admin_get(&app, &format!("/api/v1/activities/{tree}")).await;
    let mut bad_tree = body_of(&tree_detail);
    bad_tree["participantsHome"] = json!(-10);
    bad_tree["end"] = json!("2004-11-30");
    assert_eq!(
        refused(
            &app,
            Method::PUT,
            &format!("/api/v1/activities/{tree}"),
            &bad_tree
        )
        .await,
        fields(&[
            ("end", "error-end-before-start"),
            ("participantsHome", "error-count-negative"),
        ])
    );
    // A reception for an outgoing visit.
    assert_eq!(
        refused(
            &app,
            Method::POST,
            &format!("/api/v1/activities/{outgoing}/reception"),
            &Value::Null
        )
        .await,
        fields(&[("direction", "error-reception-not-incoming")])
    );
    // Figures that are not figures, or for a day without an occurrence.
    let figures = format!("/api/v1/activities/{tree}/occurrences/2017-12-01");
    assert_eq!(
        refused(
            &app,
            Method::PUT,
            &figures,
            &json!({"participantsHome": -1, "costs": "-5"})
        )
        .await,
        fields(&[
            ("participantsHome", "error-count-negative"),
            ("costs", "error-amount-negative"),
        ])
    );
    assert_eq!(
        refused(&app, Method::PUT, &figures, &json!({"costs": "12.345"})).await,
        fields(&[("costs", "error-amount-cents")])
    );
    for day in ["2017-12-02", "2003-12-01", "kerst"] {
        let res = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/activities/{tree}/occurrences/{day}"),
                &json!({"participantsHome": 1}),
            )
            .await;
        problem(res, StatusCode::NOT_FOUND).await;
    }
    let res = app
        .send_json(Method::PUT, "/api/v1/activities/no-such-activity", &good)
        .await;
    problem(res, StatusCode::NOT_FOUND).await;
    assert_eq!(snapshot(&app, &[&tree, &outgoing]).await, before);
}

async fn a_reception_moves_through_its_steps_and_refuses_invalid_ones(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let a = create(&app, &new_activity(&hranice, "werkgroep-hranice")).await;
    let id = text(&a["id"]).to_owned();
    let reception = format!("/api/v1/activities/{id}/reception");
    let open_path = "/api/v1/municipalities/leidschendam-voorburg/receptions";

    // Before it is asked for there is nothing to move on.
    let res = app
        .send_json(Method::PUT, &reception, &json!({"status": "accepted"}))
        .await;
    problem(res, StatusCode::NOT_FOUND).await;
    let res = app.send_json(Method::POST, &reception, &Value::Null).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/api/v1/activities/{id}")
    );
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["status"], "requested");
    assert_eq!(r["next"], json!(["accepted", "declined"]));
    // Asked for once only.
    assert_eq!(
        refused(&app, Method::POST, &reception, &Value::Null).await,
        fields(&[("status", "error-reception-exists")])
    );
    let (_, open) = admin_get(&app, open_path).await;
    let mine = items(&open)
        .iter()
        .find(|o| o["activity"]["id"] == id.as_str())
        .expect("the request is open");
    assert_eq!(mine["reception"]["status"], "requested");
    assert_eq!(mine["partner"]["slug"], "hranice");
    assert_eq!(mine["activity"]["organiser"]["slug"], "werkgroep-hranice");

    // Not held before it is accepted and scheduled; not scheduled without a date.
    let before = snapshot(&app, &[&id]).await;
    for step in ["held", "scheduled", "requested"] {
        let body = json!({"status": step, "scheduledOn": "2027-05-15"});
        assert_eq!(
            refused(&app, Method::PUT, &reception, &body).await,
            fields(&[("status", "error-reception-transition")]),
            "{step}"
        );
    }
    assert_eq!(
        refused(
            &app,
            Method::PUT,
            &reception,
            &json!({"status": "postponed"})
        )
        .await,
        fields(&[("status", "error-choice-invalid")])
    );
    assert_eq!(
        refused(&app, Method::PUT, &reception, &json!({})).await,
        fields(&[("status", "error-required")])
    );
    // An open reception keeps the visit incoming.
    let mut outgoing = body_of(&a);
    outgoing["direction"] = json!("outgoing");
    assert_eq!(
        refused(
            &app,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            &outgoing
        )
        .await,
        fields(&[("direction", "error-reception-not-incoming")])
    );
    assert_eq!(snapshot(&app, &[&id]).await, before);

    let (status, r) = send_as(
        &app,
        &app.token,
        Method::PUT,
        &reception,
        Some(&json!({"status": "accepted"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["next"], json!(["scheduled", "declined"]));
    assert_eq!(
        refused(
            &app,
            Method::PUT,
            &reception,
            &json!({"status": "scheduled"})
        )
        .await,
        fields(&[("scheduledOn", "error-required")])
    );
    let (status, r) = send_as(
        &app,
        &app.token,
        Method::PUT,
        &reception,
        Some(&json!({
            "status": "scheduled",
            "scheduledOn": "2027-05-15",
            "scheduledAt": "16:00",
            "receivedBy": "Burgemeester",
            "note": "In de raadzaal.",
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        r,
        json!({
            "status": "scheduled", "next": ["held", "declined"],
            "scheduledOn": "2027-05-15", "scheduledAt": "16:00",
            "receivedBy": "Burgemeester", "note": "In de raadzaal.",
        })
    );
    let (_, open) = admin_get(&app, open_path).await;
    let mine = items(&open)
        .iter()
        .find(|o| o["activity"]["id"] == id.as_str())
        .unwrap();
    assert_eq!(mine["reception"], r);
    // The activity shows it; the public sees when, not who or the note.
    let (_, d) = admin_get(&app, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["reception"], r);
    let (_, pd) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(pd["reception"]["status"], "scheduled");
    assert_eq!(pd["reception"]["scheduledOn"], "2027-05-15");
    assert_eq!(pd["reception"]["receivedBy"], Value::Null);
    assert_eq!(pd["reception"]["note"], Value::Null);

    // Held: no longer open, and nothing follows.
    let (status, r) = send_as(
        &app,
        &app.token,
        Method::PUT,
        &reception,
        Some(&json!({"status": "held"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["next"], json!([]));
    assert_eq!(r["receivedBy"], "Burgemeester", "kept from the step before");
    let (_, open) = admin_get(&app, open_path).await;
    assert!(
        items(&open)
            .iter()
            .all(|o| o["activity"]["id"] != id.as_str())
    );
    for step in ["declined", "accepted", "scheduled", "held"] {
        assert_eq!(
            refused(&app, Method::PUT, &reception, &json!({"status": step})).await,
            fields(&[("status", "error-reception-transition")]),
            "{step} after held"
        );
    }
    // Now the visit may change direction.
    let res = app
        .send_json(Method::PUT, &format!("/api/v1/activities/{id}"), &outgoing)
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The open requests are for officials: the public is asked to log in, first.
    for path in [open_path, "/api/v1/municipalities/atlantis/receptions"] {
        let res = public(&app, Method::GET, path, None).await;
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    let res = app
        .http
        .get(app.url("/api/v1/municipalities/atlantis/receptions"))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
}

// ---- rights ------------------------------------------------------------------------------------

async fn a_working_group_member_edits_only_the_groups_activities(app: App) {
    app.state
        .accounts
        .create(
            "lid-werkgroep-hranice",
            PASSWORD,
            &["working-group-member:werkgroep-hranice".into()],
        )
        .await
        .unwrap();
    let token = app
        .state
        .accounts
        .create_token("lid-werkgroep-hranice", "tests")
        .await
        .unwrap();
    let hranice = app.partnership_id("hranice").await;
    let temecula = app.partnership_id("temecula").await;

    // A Hranice activity: created and changed.
    let (status, a) = send_as(
        &app,
        &token,
        Method::POST,
        "/api/v1/activities",
        Some(&new_activity(&hranice, "werkgroep-hranice")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["mayEdit"], true);
    assert_eq!(a["mayManageReception"], false);
    let id = text(&a["id"]).to_owned();
    let mut changed = body_of(&a);
    changed["title"] = json!("Bezoek van de jeugdharmonie uit Hranice");
    let (status, c) = send_as(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/activities/{id}"),
        Some(&changed),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["title"], "Bezoek van de jeugdharmonie uit Hranice");
    // The group's own figures and reception request; moving the reception on is the officials'.
    let (status, _) = send_as(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/activities/{id}/occurrences/2027-05-14"),
        Some(&json!({"participantsHome": 22})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let reception = format!("/api/v1/activities/{id}/reception");
    let (status, _) = send_as(&app, &token, Method::POST, &reception, None).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send_as(
        &app,
        &token,
        Method::PUT,
        &reception,
        Some(&json!({"status": "accepted"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_as(
        &app,
        &token,
        Method::GET,
        "/api/v1/municipalities/leidschendam-voorburg/receptions",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A Temecula-organised activity: readable, not to be changed.
    let (_, theirs) = app
        .get_json("/api/v1/activities?workingGroup=werkgroep-temecula")
        .await;
    let theirs = text(&items(&theirs)[0]["id"]).to_owned();
    let (status, t) = send_as(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/activities/{theirs}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["mayEdit"], false);
    let before = snapshot(&app, &[&theirs, &id]).await;
    let mut edit = body_of(&t);
    edit["title"] = json!("Overgenomen");
    let forbidden = [
        (
            Method::PUT,
            format!("/api/v1/activities/{theirs}"),
            Some(edit),
        ),
        (
            Method::PUT,
            format!(
                "/api/v1/activities/{theirs}/occurrences/{}",
                text(&t["start"])
            ),
            Some(json!({"participantsHome": 1})),
        ),
        // Creating one for Temecula's group, or handing their own to the municipality.
        (
            Method::POST,
            "/api/v1/activities".to_owned(),
            Some(new_activity(&temecula, "werkgroep-temecula")),
        ),
        (
            Method::POST,
            "/api/v1/activities".to_owned(),
            Some(new_activity(&hranice, "municipality")),
        ),
        (
            Method::PUT,
            format!("/api/v1/activities/{id}"),
            Some({
                let mut b = changed.clone();
                b["organiser"] = json!("municipality");
                b
            }),
        ),
    ];
    for (method, path, body) in forbidden {
        let (status, p) = send_as(&app, &token, method.clone(), &path, body.as_ref()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {p}");
    }
    assert_eq!(snapshot(&app, &[&theirs, &id]).await, before);
}

async fn the_public_reads_public_activities_and_cannot_write(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let mut body = new_activity(&hranice, "werkgroep-hranice");
    body["public"] = json!(false);
    body["title"] = json!("Voorbereidend overleg");
    let hidden = create(&app, &body).await;
    let hidden = text(&hidden["id"]).to_owned();
    // Not for the public: not found, not listed, not in the calendar.
    for path in [
        format!("/api/v1/activities/{hidden}"),
        format!("/api/v1/activities/{hidden}/occurrences"),
    ] {
        problem(
            public(&app, Method::GET, &path, None).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        let (status, _) = admin_get(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    for path in [
        format!("/api/v1/activities?partnership={hranice}"),
        format!("/api/v1/activities?partnership={hranice}&from=2027-05-01&to=2027-05-31"),
    ] {
        let (_, list) = app.get_json(&path).await;
        assert!(
            items(&list).iter().all(|a| a["id"] != hidden.as_str()),
            "{path}"
        );
        assert!(items(&list).iter().all(|a| a["public"] == true), "{path}");
        let (_, list) = admin_get(&app, &path).await;
        assert!(
            items(&list).iter().any(|a| a["id"] == hidden.as_str()),
            "{path}"
        );
    }

    // Every write: 401, before anything is looked up, and nothing changes.
    let tree = tree_id(&app).await;
    let before = snapshot(&app, &[&tree, &hidden]).await;
    let writes = [
        (
            Method::POST,
            "/api/v1/activities".to_owned(),
            Some(new_activity(&hranice, "werkgroep-hranice")),
        ),
        (
            Method::POST,
            "/api/v1/activities".to_owned(),
            Some(json!({})),
        ),
        (
            Method::PUT,
            format!("/api/v1/activities/{tree}"),
            Some(new_activity(&hranice, "werkgroep-hranice")),
        ),
        (
            Method::PUT,
            "/api/v1/activities/no-such-activity".to_owned(),
            Some(new_activity(&hranice, "werkgroep-hranice")),
        ),
        (
            Method::PUT,
            format!("/api/v1/activities/{tree}/occurrences/2017-12-01"),
            Some(json!({"costs": "1.00"})),
        ),
        (
            Method::POST,
            format!("/api/v1/activities/{tree}/reception"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/activities/{hidden}/reception"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/activities/{tree}/reception"),
            Some(json!({"status": "accepted"})),
        ),
    ];
    for (method, path, body) in writes {
        let res = public(&app, method.clone(), &path, body.as_ref()).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    // A bearer token that is not valid is refused, never treated as the public.
    for path in [
        "/api/v1/activities".to_owned(),
        format!("/api/v1/activities/{tree}"),
    ] {
        let (status, _) = send_as(&app, "sb_not-a-token", Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(snapshot(&app, &[&tree, &hidden]).await, before);
}

async fn the_openapi_document_describes_the_activities(app: App) {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/activities", &["get", "post"][..]),
        ("/api/v1/activities/{id}", &["get", "put"]),
        ("/api/v1/activities/{id}/occurrences", &["get"]),
        ("/api/v1/activities/{id}/occurrences/{date}", &["put"]),
        ("/api/v1/activities/{id}/reception", &["post", "put"]),
        ("/api/v1/municipalities/{id}/receptions", &["get"]),
        ("/api/v1/partnerships/{id}/activity-numbers", &["get"]),
    ] {
        for m in methods {
            let op = &paths[path][*m];
            assert!(op.is_object(), "{m} {path} is not documented");
            assert_eq!(op["tags"], json!(["activities"]), "{m} {path}");
        }
    }
    let schemas = &doc["components"]["schemas"];
    for s in [
        "ActivityBody",
        "ActivityDetail",
        "ActivityListItem",
        "FiguresBody",
        "OccurrenceOut",
        "ReceptionBody",
        "ReceptionOut",
        "OpenReceptionOut",
        "ActivityNumbersOut",
    ] {
        assert!(schemas[s].is_object(), "{s} is not described");
    }
    assert!(
        items(&doc["tags"])
            .iter()
            .any(|t| t["name"] == "activities")
    );
}

/// The starts of an activity's occurrences in a list with a period.
fn listed_starts(list: &Value, id: &str) -> Vec<String> {
    let item = items(list)
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed"));
    items(&item["occurrences"])
        .iter()
        .map(|o| text(&o["start"]).to_owned())
        .collect()
}

/// A period with one end only stands for two years from (or up to) it, not for every
/// occurrence until the year 2200; a period longer than ten years is refused, naming `to`.
async fn a_period_is_bounded_and_a_too_long_one_refused(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let mut body = new_activity(&hranice, "werkgroep-hranice");
    body["title"] = json!("Maandelijks werkgroepoverleg");
    body["start"] = json!("2027-01-10");
    body["end"] = json!("2027-01-10");
    body["startTime"] = json!("19:30");
    body["endTime"] = json!("21:00");
    body["recurrence"] = json!({"frequency": "monthly"});
    let a = create(&app, &body).await;
    let id = text(&a["id"]);

    let (status, list) = app
        .get_json(&format!(
            "/api/v1/activities?partnership={hranice}&from=2030-01-01"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let starts = listed_starts(&list, id);
    assert_eq!(starts.len(), 24, "{starts:?}");
    assert_eq!(starts.first().unwrap(), "2030-01-10");
    assert_eq!(starts.last().unwrap(), "2031-12-10");
    // Every listed occurrence of every activity lies in those two years.
    for item in items(&list) {
        for o in items(&item["occurrences"]) {
            assert!(text(&o["start"]) <= "2032-01-01", "{o}");
        }
    }
    // `to` alone: the two years up to it.
    let (status, list) = app
        .get_json(&format!(
            "/api/v1/activities?partnership={hranice}&to=2030-12-31"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let starts = listed_starts(&list, id);
    assert_eq!(
        (starts.len(), starts[0].as_str()),
        (24, "2029-01-10"),
        "{starts:?}"
    );
    // Ten years is the most.
    let (status, list) = app
        .get_json("/api/v1/activities?from=2020-01-01&to=2030-01-01")
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        refused_query(&app, "/api/v1/activities?from=2020-01-01&to=2030-01-02").await,
        fields(&[("to", "error-period-too-long")])
    );
    assert_eq!(
        refused_query(&app, "/api/v1/activities?from=1000-01-01&to=2200-12-31").await,
        fields(&[("to", "error-period-too-long")])
    );
}

/// A start or end time that the change to summer time skips does not exist: refused, naming
/// the field, and nothing is stored.
async fn a_time_in_the_spring_forward_gap_is_refused(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let (_, before) = admin_get(&app, "/api/v1/activities").await;
    let mut body = new_activity(&hranice, "werkgroep-hranice");
    body["start"] = json!("2025-03-30");
    body["startTime"] = json!("02:30");
    body["end"] = json!("2025-03-30");
    body["endTime"] = json!("04:00");
    assert_eq!(
        refused(&app, Method::POST, "/api/v1/activities", &body).await,
        fields(&[("startTime", "error-time-nonexistent")])
    );
    body["endTime"] = json!("02:15");
    body["startTime"] = json!("01:30");
    assert_eq!(
        refused(&app, Method::POST, "/api/v1/activities", &body).await,
        fields(&[("endTime", "error-time-nonexistent")])
    );
    let (_, after) = admin_get(&app, "/api/v1/activities").await;
    assert_eq!(before, after, "nothing stored");
    // The same time in a zone without that change that day is fine.
    body["timezone"] = json!("America/Los_Angeles");
    body["endTime"] = json!("04:00");
    body["startTime"] = json!("02:30");
    create(&app, &body).await;
}

/// An occurrence of a series is cancelled through its figures: it says so, and it no longer
/// counts in the numbers per year.
async fn an_occurrence_is_cancelled_through_its_figures(app: App) {
    let konstancin = app.partnership_id("konstancin-jeziorna").await;
    let mut body = new_activity(&konstancin, "werkgroep-konstancin-jeziorna");
    body["start"] = json!("2019-06-01");
    body["startTime"] = json!(null);
    body["end"] = json!("2019-06-01");
    body["endTime"] = json!(null);
    body["status"] = json!("held");
    body["recurrence"] = json!({"frequency": "yearly", "until": "2021-06-01"});
    let a = create(&app, &body).await;
    let id = text(&a["id"]);
    let year = |numbers: &Value, y: i64| -> i64 {
        items(&numbers["years"])
            .iter()
            .find(|n| n["year"] == y)
            .map_or(0, |n| n["activities"].as_i64().unwrap())
    };
    let numbers_path = format!("/api/v1/partnerships/{konstancin}/activity-numbers");
    let (_, numbers) = app.get_json(&numbers_path).await;
    assert_eq!([2019, 2020, 2021].map(|y| year(&numbers, y)), [1, 1, 1]);
    let res = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/activities/{id}/occurrences/2020-06-01"),
            &json!({"cancelled": true, "notes": "Afgelast (pandemie)."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let o: Value = res.json().await.unwrap();
    assert_eq!(
        (&o["cancelled"], &o["recorded"]),
        (&json!(true), &json!(true))
    );
    let (_, occ) = app
        .get_json(&format!("/api/v1/activities/{id}/occurrences"))
        .await;
    let cancelled: Vec<&Value> = items(&occ).iter().map(|o| &o["cancelled"]).collect();
    assert_eq!(cancelled, [&json!(false), &json!(true), &json!(false)]);
    let (_, numbers) = app.get_json(&numbers_path).await;
    assert_eq!([2019, 2020, 2021].map(|y| year(&numbers, y)), [1, 0, 1]);
    // The page shows it and its form keeps it.
    let (_, page) = app.page(&format!("/activities/{id}"), "en").await;
    assert!(page.contains("Cancelled this time"), "{page}");
}

http_tests!(
    a_period_is_bounded_and_a_too_long_one_refused,
    a_time_in_the_spring_forward_gap_is_refused,
    an_occurrence_is_cancelled_through_its_figures,
    december_2017_of_hranice_has_the_christmas_tree,
    numbers_per_year_and_dormancy,
    activities_are_created_changed_and_their_figures_recorded,
    bad_input_is_refused_naming_the_field_and_changes_nothing,
    a_reception_moves_through_its_steps_and_refuses_invalid_ones,
    a_working_group_member_edits_only_the_groups_activities,
    the_public_reads_public_activities_and_cannot_write,
    the_openapi_document_describes_the_activities,
);
