mod support;
use support::*;

// The organisation's JSON API (foundations, working groups, people and their roles) over HTTP,
// on SQLite and on PostgreSQL, each test on a fresh database with the demo data.

use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const FOUNDATION: &str = "stichting-stedenbanden-leidschendam-voorburg";
const GROUPS: [&str; 3] = [
    "werkgroep-hranice",
    "werkgroep-konstancin-jeziorna",
    "werkgroep-temecula",
];
/// The demo's invented people.
const NAMES: [&str; 9] = [
    "Anna Jansen",
    "Pieter de Graaf",
    "Eva Bakker",
    "Joost Visser",
    "Linda Smit",
    "Sanne de Wit",
    "Karel Dvořák",
    "Magdalena Kowalska",
    "Jennifer Miller",
];

/// The invalid fields of a problem: name and code.
type Fields = Vec<(String, String)>;

/// A GET as the administrator (bearer token).
async fn admin_get(app: &App, path: &str) -> (StatusCode, Value) {
    send_as(app, &app.token, Method::GET, path, None).await
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

/// A request without credentials.
async fn public(app: &App, method: Method, path: &str, body: &Value) -> reqwest::Response {
    app.http
        .request(method, app.url(path))
        .header(reqwest::header::ACCEPT_LANGUAGE, "en")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The id of a demo person, by name, as the administrator sees the foundation's people.
async fn person_id(app: &App, name: &str) -> String {
    let (status, people) =
        admin_get(app, &format!("/api/v1/foundations/{FOUNDATION}/people")).await;
    assert_eq!(status, StatusCode::OK);
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not recorded"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The id of a demo working group.
async fn group_id(app: &App, slug: &str) -> String {
    let (_, g) = app
        .get_json(&format!("/api/v1/working-groups/{slug}"))
        .await;
    g["id"].as_str().unwrap().to_owned()
}

/// Everything of the organisation the administrator can read: compared before and after
/// refused requests.
async fn org_snapshot(app: &App) -> Value {
    let mut out = serde_json::Map::new();
    let mut paths = vec![
        "/api/v1/foundations".to_owned(),
        format!("/api/v1/foundations/{FOUNDATION}?on=2020-01-01"),
        format!("/api/v1/foundations/{FOUNDATION}/people"),
        "/api/v1/working-groups".to_owned(),
    ];
    paths.extend(GROUPS.iter().map(|g| format!("/api/v1/working-groups/{g}")));
    let (_, people) = admin_get(app, &format!("/api/v1/foundations/{FOUNDATION}/people")).await;
    for p in people.as_array().unwrap() {
        paths.push(format!("/api/v1/people/{}", p["id"].as_str().unwrap()));
    }
    for path in paths {
        let (status, body) = admin_get(app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        out.insert(path, body);
    }
    Value::Object(out)
}

fn board_names(foundation: &Value) -> Vec<(String, String)> {
    foundation["board"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["role"].as_str().unwrap().to_owned(),
                s["person"]["name"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

/// A body the endpoint can read (so that what is tested is the refusal, not the JSON).
fn body_for(path: &str) -> Value {
    let path = path.split('?').next().unwrap();
    if path.ends_with("/end") {
        json!({"end": "2030-01-01"})
    } else if path.ends_with("/roles") {
        json!({"person": "someone", "role": "chair", "start": "2030-01-01"})
    } else if path.contains("/people") {
        json!({"name": "Poging", "basis": "membership"})
    } else if path == "/api/v1/working-groups" {
        json!({"foundation": FOUNDATION, "name": "Poging", "partnerships": ["x"], "foundedOn": "2030-01-01"})
    } else if path.starts_with("/api/v1/working-groups/") {
        json!({"name": "Poging", "partnerships": ["x"], "foundedOn": "2030-01-01"})
    } else {
        json!({"name": "Poging", "municipality": "leidschendam-voorburg"})
    }
}

fn no_personal_data(path: &str, text: &str, person_ids: &[String]) {
    for name in NAMES {
        assert!(!text.contains(name), "{path} names {name}: {text}");
    }
    assert!(!text.contains("@example.org"), "{path} shows an e-mail");
    for id in person_ids {
        assert!(!text.contains(id.as_str()), "{path} shows a person's id");
    }
}

// ---- reading -----------------------------------------------------------------------------------

async fn the_api_shows_the_demo_foundation_with_its_working_groups_and_the_rule_holding(app: App) {
    let (status, list) = app.get_json("/api/v1/foundations").await;
    assert_eq!(status, StatusCode::OK);
    let slugs: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, vec![FOUNDATION]);
    assert_eq!(list[0]["municipality"]["slug"], "leidschendam-voorburg");
    let (_, mine) = app
        .get_json("/api/v1/foundations?municipality=leidschendam-voorburg")
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (_, none) = app
        .get_json("/api/v1/foundations?municipality=hranice")
        .await;
    assert_eq!(none, json!([]));

    let (status, f) = app
        .get_json(&format!("/api/v1/foundations/{FOUNDATION}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f["name"], "Stichting Stedenbanden Leidschendam-Voorburg");
    assert_eq!(f["foundedOn"], "2002-01-01");
    let groups = f["workingGroups"].as_array().unwrap();
    let mut slugs: Vec<&str> = groups.iter().map(|g| g["slug"].as_str().unwrap()).collect();
    slugs.sort();
    assert_eq!(slugs, GROUPS);
    for g in groups {
        assert_eq!(g["partnerships"].as_array().unwrap().len(), 1, "{g}");
        assert_eq!(g["foundation"], f["id"]);
        assert_eq!(g["foundedOn"], "2002-01-01");
        assert_eq!(g["endedOn"], Value::Null);
    }
    // Every working group's chair has sat on the board all along.
    let rule = f["boardRule"].as_array().unwrap();
    assert!(!rule.is_empty());
    assert_eq!(rule[0]["from"], "2002-01-01");
    assert_eq!(rule.last().unwrap()["until"], Value::Null);
    for line in rule {
        assert_eq!(line["holds"], true, "{line}");
        assert_eq!(line["missing"], json!([]));
        assert_eq!(line["withoutChair"], json!([]));
    }
    // Four seats on today's board; the public is not told who holds them.
    assert_eq!(f["board"].as_array().unwrap().len(), 4);
    assert_eq!(f["board"][0]["role"], "chair");
    assert_eq!(f["board"][0]["from"], "2015-01-01");
    assert_eq!(f["peopleVisible"], false);
    assert_eq!(f["mayManage"], false);

    // The working groups, by foundation, and one in detail with its partnership.
    let (_, all) = app
        .get_json(&format!("/api/v1/working-groups?foundation={FOUNDATION}"))
        .await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let (_, hranice) = app
        .get_json("/api/v1/working-groups/werkgroep-hranice")
        .await;
    assert_eq!(hranice["name"], "Werkgroep Hranice");
    assert_eq!(hranice["foundation"]["slug"], FOUNDATION);
    assert_eq!(hranice["partnerships"][0]["partner"]["slug"], "hranice");
    let roles: Vec<&str> = hranice["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["chair", "member", "member", "partner-contact"]);
    // By id as well as by slug.
    let id = hranice["id"].as_str().unwrap();
    let (status, same) = app.get_json(&format!("/api/v1/working-groups/{id}")).await;
    assert_eq!((status, &same["slug"]), (StatusCode::OK, &hranice["slug"]));
    // Unknown references in lists are invalid, unknown addresses not found.
    let res = public(
        &app,
        Method::GET,
        "/api/v1/foundations?municipality=atlantis",
        &Value::Null,
    )
    .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        vec![("municipality".into(), "error-municipality-unknown".into())]
    );
    let res = public(
        &app,
        Method::GET,
        "/api/v1/working-groups?foundation=atlantis",
        &Value::Null,
    )
    .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        vec![("foundation".into(), "error-foundation-unknown".into())]
    );
    for path in [
        "/api/v1/foundations/atlantis",
        "/api/v1/working-groups/werkgroep-atlantis",
    ] {
        let res = public(&app, Method::GET, path, &Value::Null).await;
        problem(res, StatusCode::NOT_FOUND).await;
    }
}

async fn the_public_sees_no_personal_data_and_is_refused_the_people(app: App) {
    let (_, people) = admin_get(&app, &format!("/api/v1/foundations/{FOUNDATION}/people")).await;
    let ids: Vec<String> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), NAMES.len());
    let (_, f) = admin_get(&app, &format!("/api/v1/foundations/{FOUNDATION}")).await;
    let foundation_id = f["id"].as_str().unwrap().to_owned();
    let role_id = f["board"][0]["roleId"].as_str().unwrap().to_owned();

    // Every public read of the organisation: no names, no e-mail, not even a person's id.
    let mut paths = vec![
        "/api/v1/foundations".to_owned(),
        "/api/v1/foundations?municipality=leidschendam-voorburg".to_owned(),
        format!("/api/v1/foundations/{FOUNDATION}"),
        format!("/api/v1/foundations/{foundation_id}?on=2010-01-01"),
        format!("/api/v1/foundations/{FOUNDATION}?on=2020-01-01"),
        "/api/v1/working-groups".to_owned(),
        format!("/api/v1/working-groups?foundation={FOUNDATION}"),
    ];
    paths.extend(GROUPS.iter().map(|g| format!("/api/v1/working-groups/{g}")));
    for path in &paths {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let text = res.text().await.unwrap();
        no_personal_data(path, &text, &ids);
        let body: Value = serde_json::from_str(&text).unwrap();
        for seat in body["board"]
            .as_array()
            .into_iter()
            .chain(body["seats"].as_array())
            .flatten()
        {
            assert!(seat.get("person").is_none(), "{path}: {seat}");
        }
    }
    // The people themselves: 401 for the public, before anything is looked up.
    let mut protected = vec![
        format!("/api/v1/foundations/{FOUNDATION}/people"),
        "/api/v1/people/no-such-person".to_owned(),
        "/api/v1/people/no-such-person/export".to_owned(),
    ];
    for id in &ids {
        protected.push(format!("/api/v1/people/{id}"));
        protected.push(format!("/api/v1/people/{id}/export"));
    }
    for path in &protected {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers()["www-authenticate"], "Bearer", "{path}");
        let p = problem(res, StatusCode::UNAUTHORIZED).await;
        no_personal_data(path, &p.to_string(), &ids);
    }
    // And every write.
    let before = org_snapshot(&app).await;
    let hranice = group_id(&app, "werkgroep-hranice").await;
    let anna = &ids[0];
    let writes = [
        (Method::POST, "/api/v1/foundations".to_owned()),
        (Method::PUT, format!("/api/v1/foundations/{FOUNDATION}")),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/roles"),
        ),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/people"),
        ),
        (Method::POST, "/api/v1/working-groups".to_owned()),
        (Method::PUT, format!("/api/v1/working-groups/{hranice}")),
        (
            Method::POST,
            format!("/api/v1/working-groups/{hranice}/roles"),
        ),
        (Method::POST, format!("/api/v1/roles/{role_id}/end")),
        (Method::PUT, format!("/api/v1/people/{anna}")),
        (
            Method::POST,
            format!("/api/v1/people/{anna}/withdraw-consent"),
        ),
        (Method::POST, format!("/api/v1/people/{anna}/erase")),
    ];
    for (method, path) in writes {
        let res = public(&app, method.clone(), &path, &body_for(&path)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    // A bearer token that is not valid is refused, never treated as the public.
    let (status, _) = send_as(
        &app,
        "sb_not-a-token",
        Method::GET,
        &format!("/api/v1/foundations/{FOUNDATION}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(org_snapshot(&app).await, before);
}

async fn the_administrator_sees_names_and_the_board_of_a_date(app: App) {
    let path = |on: &str| format!("/api/v1/foundations/{FOUNDATION}?on={on}");
    let (status, f2010) = admin_get(&app, &path("2010-01-01")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f2010["on"], "2010-01-01");
    assert_eq!(f2010["peopleVisible"], true);
    assert_eq!(f2010["mayManage"], true);
    assert_eq!(f2010["mayExport"], true);
    let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        board_names(&f2010),
        owned(&[
            ("chair", "Anna Jansen"),
            ("secretary", "Joost Visser"),
            ("treasurer", "Linda Smit"),
            ("board-member", "Eva Bakker"),
        ])
    );
    assert_eq!(f2010["board"][0]["until"], "2014-12-31");
    let (_, f2020) = admin_get(&app, &path("2020-01-01")).await;
    assert_eq!(
        board_names(&f2020),
        owned(&[
            ("chair", "Pieter de Graaf"),
            ("secretary", "Joost Visser"),
            ("treasurer", "Linda Smit"),
            ("board-member", "Eva Bakker"),
        ])
    );
    assert_eq!(f2020["board"][0]["from"], "2015-01-01");
    assert_eq!(f2020["board"][0]["until"], Value::Null);
    assert!(
        f2020["board"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["current"] == true)
    );
    // Before the foundation there was no board.
    let (_, f1990) = admin_get(&app, &path("1990-01-01")).await;
    assert_eq!(f1990["board"], json!([]));
    // The public gets the same seats, unnamed.
    let (_, public2010) = app.get_json(&path("2010-01-01")).await;
    let roles = |f: &Value| -> Vec<Value> {
        f["board"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["role"].clone())
            .collect()
    };
    assert_eq!(roles(&public2010), roles(&f2010));
    assert!(board_names(&public2010).iter().all(|(_, n)| n == "?"));
    // A date that is not one.
    for bad in ["2010", "2010-02-30", "gisteren"] {
        let res = public(&app, Method::GET, &path(bad), &Value::Null).await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(invalid_fields(&p)[0].0, "on", "{bad}");
    }
    // The working group names its people for the administrator.
    let (_, hranice) = admin_get(&app, "/api/v1/working-groups/werkgroep-hranice").await;
    assert_eq!(hranice["peopleVisible"], true);
    assert_eq!(hranice["mayEdit"], true);
    let names: Vec<&str> = hranice["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["person"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Eva Bakker", "Sanne de Wit", "Anna Jansen", "Karel Dvořák"]
    );
    // The people with their contact details and basis.
    let (_, people) = admin_get(&app, &format!("/api/v1/foundations/{FOUNDATION}/people")).await;
    let karel = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Karel Dvořák")
        .unwrap();
    assert_eq!(karel["email"], "karel.dvorak@example.org");
    assert_eq!(karel["basis"], "consent");
    assert_eq!(karel["consentTextVersion"], "toestemming-2024-v1");
    assert_eq!(karel["consentGivenOn"], "2024-03-01");
    assert_eq!(karel["demo"], true);
    assert_eq!(karel["anonymised"], false);
    let (status, detail) = admin_get(
        &app,
        &format!("/api/v1/people/{}", karel["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["name"], "Karel Dvořák");
    assert_eq!(detail["contactVisible"], true);
    assert_eq!(detail["roles"][0]["role"], "partner-contact");
    assert_eq!(detail["roles"][0]["body"]["slug"], "werkgroep-hranice");
    assert_eq!(detail["retentionEnds"], Value::Null, "a role runs");
}

// ---- writing -----------------------------------------------------------------------------------

async fn foundations_working_groups_and_roles_are_created_and_changed(app: App) {
    let new = json!({
        "name": "Stichting Vrienden van Hranice",
        "municipality": "leidschendam-voorburg",
        "kvkNumber": "4123 4567",
        "foundedOn": "2020-05-01",
        "website": "https://vrienden.example.org",
    });
    let res = app
        .send_json(Method::POST, "/api/v1/foundations", &new)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let f: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/foundations/{}", f["id"].as_str().unwrap())
    );
    assert_eq!(f["slug"], "stichting-vrienden-van-hranice");
    assert_eq!(f["kvkNumber"], "41234567");
    assert_eq!(f["workingGroups"], json!([]));
    assert_eq!(f["boardRule"], json!([]));
    let (status, same) = app.get_json(&location).await;
    assert_eq!((status, &same["name"]), (StatusCode::OK, &f["name"]));
    // Changed.
    let mut changed = new.clone();
    changed["purpose"] = json!("Vriendschap met Hranice.");
    let res = app.send_json(Method::PUT, &location, &changed).await;
    assert_eq!(res.status(), StatusCode::OK);
    let f: Value = res.json().await.unwrap();
    assert_eq!(f["purpose"], "Vriendschap met Hranice.");

    // A working group carrying the Hranice partnership, without a chair: the rule does not hold.
    let partnership = app.partnership_id("hranice").await;
    let group = json!({
        "foundation": "stichting-vrienden-van-hranice",
        "name": "Werkgroep Jeugd",
        "partnerships": [partnership],
        "foundedOn": "2021-01-01",
    });
    let res = app
        .send_json(Method::POST, "/api/v1/working-groups", &group)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let g_location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let g: Value = res.json().await.unwrap();
    assert_eq!(g["slug"], "werkgroep-jeugd");
    assert_eq!(g["partnerships"][0]["id"], partnership.as_str());
    assert_eq!(g["foundation"]["id"], f["id"]);
    assert!(g_location.ends_with(g["id"].as_str().unwrap()));
    let (_, listed) = app
        .get_json("/api/v1/working-groups?foundation=stichting-vrienden-van-hranice")
        .await;
    assert_eq!(listed[0]["id"], g["id"]);
    let (_, f) = admin_get(&app, &location).await;
    let last = f["boardRule"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["holds"], false);
    assert_eq!(last["withoutChair"][0]["slug"], "werkgroep-jeugd");

    // A person chairs it, not on the board: named as missing, to the administrator only.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/foundations/stichting-vrienden-van-hranice/people",
            &json!({"name": "Wim de Jong", "basis": "membership"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let wim: Value = res.json().await.unwrap();
    let wim_id = wim["id"].as_str().unwrap();
    let res = app
        .send_json(
            Method::POST,
            &format!("{g_location}/roles"),
            &json!({"person": wim_id, "role": "chair", "start": "2021-01-01"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()[LOCATION].to_str().unwrap(), g_location);
    let role: Value = res.json().await.unwrap();
    assert_eq!(role["body"]["kind"], "working-group");
    assert_eq!(role["person"], wim_id);
    let (_, f) = admin_get(&app, &location).await;
    let last = f["boardRule"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["missing"][0]["workingGroup"]["slug"],
        "werkgroep-jeugd"
    );
    assert_eq!(last["missing"][0]["person"]["name"], "Wim de Jong");
    let (_, public_f) = app.get_json(&location).await;
    let public_last = public_f["boardRule"].as_array().unwrap().last().unwrap();
    assert!(public_last["missing"][0].get("person").is_none());
    assert!(!public_f.to_string().contains("Wim de Jong"));

    // On the board too: the rule holds from then on.
    let res = app
        .send_json(
            Method::POST,
            &format!("{location}/roles"),
            &json!({"person": wim_id, "role": "chair", "start": "2022-01-01"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let board_role: Value = res.json().await.unwrap();
    assert_eq!(board_role["body"]["kind"], "foundation");
    let (_, f) = admin_get(&app, &location).await;
    let rule = f["boardRule"].as_array().unwrap();
    let last = rule.last().unwrap();
    assert_eq!(
        (last["from"].as_str(), &last["holds"]),
        (Some("2022-01-01"), &json!(true))
    );
    assert_eq!(
        board_names(&f),
        vec![("chair".into(), "Wim de Jong".into())]
    );

    // The board seat ends: the rule breaks again the day after.
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/roles/{}/end", board_role["id"].as_str().unwrap()),
            &json!({"end": "2023-06-30"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ended: Value = res.json().await.unwrap();
    assert_eq!(ended["end"], "2023-06-30");
    let (_, f) = admin_get(&app, &location).await;
    let last = f["boardRule"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["from"].as_str(), &last["holds"]),
        (Some("2023-07-01"), &json!(false))
    );
    assert_eq!(f["board"], json!([]));

    // The group cannot end while a role in it runs on; it is renamed.
    let res = app
        .send_json(
            Method::PUT,
            &g_location,
            &json!({"name": "Werkgroep Jongeren", "partnerships": [partnership], "foundedOn": "2021-01-01", "endedOn": "2025-12-31"}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        [(
            "endedOn".to_owned(),
            "error-group-dates-exclude-roles".to_owned()
        )]
    );
    let res = app
        .send_json(
            Method::PUT,
            &g_location,
            &json!({"name": "Werkgroep Jongeren", "partnerships": [partnership], "foundedOn": "2021-01-01"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let g: Value = res.json().await.unwrap();
    assert_eq!(
        (&g["name"], &g["endedOn"]),
        (&json!("Werkgroep Jongeren"), &Value::Null)
    );
}

async fn bad_input_gets_a_problem_naming_the_field_and_changes_nothing(app: App) {
    let before = org_snapshot(&app).await;
    let pieter = person_id(&app, "Pieter de Graaf").await;
    let anna = person_id(&app, "Anna Jansen").await;
    let hranice = group_id(&app, "werkgroep-hranice").await;
    let partnership = app.partnership_id("hranice").await;
    let (_, f) = admin_get(&app, &format!("/api/v1/foundations/{FOUNDATION}")).await;
    let chair_role = f["board"][0]["roleId"].as_str().unwrap().to_owned();
    let fields = |v: &[(&str, &str)]| -> Fields {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    let cases: Vec<(Method, String, Value, Fields)> = vec![
        // A role that ends before it starts.
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/roles"),
            json!({"person": pieter, "role": "board-member", "start": "2020-01-01", "end": "2019-12-31"}),
            fields(&[("end", "error-end-before-start")]),
        ),
        (
            Method::POST,
            format!("/api/v1/working-groups/{hranice}/roles"),
            json!({"person": pieter, "role": "board-member", "start": "2020-01-01"}),
            fields(&[("role", "error-role-not-in-body")]),
        ),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/roles"),
            json!({"person": "nobody", "role": "chair"}),
            fields(&[
                ("person", "error-person-unknown"),
                ("start", "error-required"),
            ]),
        ),
        (
            Method::POST,
            format!("/api/v1/roles/{chair_role}/end"),
            json!({"end": "2014-12-31"}),
            fields(&[("end", "error-end-before-start")]),
        ),
        (
            Method::POST,
            format!("/api/v1/roles/{chair_role}/end"),
            json!({}),
            fields(&[("end", "error-required")]),
        ),
        // A working group without a partnership.
        (
            Method::POST,
            "/api/v1/working-groups".to_owned(),
            json!({"foundation": FOUNDATION, "name": "Werkgroep Niemand", "partnerships": [], "foundedOn": "2020-01-01"}),
            fields(&[("partnerships", "error-working-group-partnership-required")]),
        ),
        (
            Method::PUT,
            format!("/api/v1/working-groups/{hranice}"),
            json!({"name": "Werkgroep Hranice", "foundedOn": "2002-01-01"}),
            fields(&[("partnerships", "error-working-group-partnership-required")]),
        ),
        (
            Method::POST,
            "/api/v1/working-groups".to_owned(),
            json!({"foundation": FOUNDATION, "name": "Werkgroep Ergens", "partnerships": ["no-such-partnership"], "foundedOn": "2020-01-01", "endedOn": "2019-01-01"}),
            fields(&[
                ("partnerships", "error-partnership-unknown"),
                ("endedOn", "error-end-before-start"),
            ]),
        ),
        (
            Method::POST,
            "/api/v1/working-groups".to_owned(),
            json!({"foundation": "atlantis", "name": "Werkgroep X", "partnerships": [partnership], "foundedOn": "2020-01-01"}),
            fields(&[("foundation", "error-foundation-unknown")]),
        ),
        (
            Method::POST,
            "/api/v1/working-groups".to_owned(),
            json!({"name": "Werkgroep X", "partnerships": [partnership], "foundedOn": "2020-01-01"}),
            fields(&[("foundation", "error-required")]),
        ),
        // A person without a lawful basis, or with an e-mail address that is not one.
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/people"),
            json!({"name": "Iemand Zonder Grond"}),
            fields(&[("basis", "error-basis-required")]),
        ),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/people"),
            json!({"name": "Iemand", "email": "iemand at example.org", "basis": "membership"}),
            fields(&[("email", "error-email-invalid")]),
        ),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/people"),
            json!({"name": "Iemand", "phone": "bel me", "basis": "consent"}),
            fields(&[
                ("phone", "error-phone-invalid"),
                ("consentTextVersion", "error-required"),
                ("consentGivenOn", "error-required"),
            ]),
        ),
        (
            Method::PUT,
            format!("/api/v1/people/{anna}"),
            json!({"name": "Anna Jansen", "email": "anna@", "basis": "membership"}),
            fields(&[("email", "error-email-invalid")]),
        ),
        (
            Method::POST,
            format!("/api/v1/people/{anna}/withdraw-consent"),
            json!({}),
            fields(&[("basis", "error-no-consent")]),
        ),
        // Foundations.
        (
            Method::POST,
            "/api/v1/foundations".to_owned(),
            json!({"name": "Stichting", "municipality": "atlantis", "kvkNumber": "1234", "website": "stedenband"}),
            fields(&[
                ("municipality", "error-municipality-unknown"),
                ("kvkNumber", "error-kvk-invalid"),
                ("website", "error-website-invalid"),
            ]),
        ),
        (
            Method::PUT,
            format!("/api/v1/foundations/{FOUNDATION}"),
            json!({"municipality": "leidschendam-voorburg", "foundedOn": "2002-02-30"}),
            fields(&[
                ("name", "error-required"),
                ("foundedOn", "error-date-invalid"),
            ]),
        ),
    ];
    for (method, path, body, expected) in cases {
        let res = app.send_json(method.clone(), &path, &body).await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(p["type"], "urn:stedenband:problem:invalid-input");
        assert_eq!(invalid_fields(&p), expected, "{method} {path} {body}");
        for param in p["invalidParams"].as_array().unwrap() {
            assert!(!param["reason"].as_str().unwrap().is_empty());
        }
    }
    // Unreadable bodies are 400, unknown addresses 404.
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/foundations/{FOUNDATION}/people"),
            &json!({"name": "Iemand", "basis": "membership", "shoeSize": 44}),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST).await;
    for (method, path) in [
        (Method::GET, "/api/v1/foundations/atlantis".to_owned()),
        (Method::PUT, "/api/v1/foundations/atlantis".to_owned()),
        (
            Method::POST,
            "/api/v1/foundations/atlantis/roles".to_owned(),
        ),
        (
            Method::GET,
            "/api/v1/foundations/atlantis/people".to_owned(),
        ),
        (
            Method::POST,
            "/api/v1/foundations/atlantis/people".to_owned(),
        ),
        (Method::GET, "/api/v1/working-groups/atlantis".to_owned()),
        (Method::PUT, "/api/v1/working-groups/atlantis".to_owned()),
        (
            Method::POST,
            "/api/v1/working-groups/atlantis/roles".to_owned(),
        ),
        (Method::POST, "/api/v1/roles/no-such-role/end".to_owned()),
        (Method::GET, "/api/v1/people/no-such-person".to_owned()),
        (Method::PUT, "/api/v1/people/no-such-person".to_owned()),
        (
            Method::GET,
            "/api/v1/people/no-such-person/export".to_owned(),
        ),
        (
            Method::POST,
            "/api/v1/people/no-such-person/erase".to_owned(),
        ),
        (
            Method::POST,
            "/api/v1/people/no-such-person/withdraw-consent".to_owned(),
        ),
    ] {
        let res = app.send_json(method.clone(), &path, &body_for(&path)).await;
        problem(res, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(org_snapshot(&app).await, before);
}

async fn a_person_is_created_exported_and_erased_through_the_api(app: App) {
    let new = json!({
        "name": "Test Persoon",
        "email": " Test.Persoon@Example.NET ",
        "phone": "+31 70 123 4567",
        "basis": "consent",
        "consentTextVersion": "toestemming-2024-v1",
        "consentGivenOn": "2025-02-01",
    });
    let res = app
        .send_json(
            Method::POST,
            &format!("/api/v1/foundations/{FOUNDATION}/people"),
            &new,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let p: Value = res.json().await.unwrap();
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/people/{id}"));
    assert_eq!(p["name"], "Test Persoon");
    assert_eq!(p["email"], "test.persoon@example.net");
    assert_eq!(p["basis"], "consent");
    assert_eq!(p["consentRecordedBy"], "beheerder");
    assert_eq!(p["demo"], false);
    assert_eq!(p["roles"], json!([]));

    // A member of the Temecula working group; then the name is corrected.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/working-groups/werkgroep-temecula/roles",
            &json!({"person": id, "role": "member", "start": "2025-02-01"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let role: Value = res.json().await.unwrap();
    let mut changed = new.clone();
    changed["name"] = json!("Test Persoon-Jansen");
    let res = app.send_json(Method::PUT, &location, &changed).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, p) = admin_get(&app, &location).await;
    assert_eq!(p["name"], "Test Persoon-Jansen");
    assert_eq!(p["roles"][0]["id"], role["id"]);
    assert_eq!(p["roles"][0]["body"]["slug"], "werkgroep-temecula");
    assert_eq!(p["consentGivenOn"], "2025-02-01");

    // The export holds every row about the person.
    let (status, export) = admin_get(&app, &format!("{location}/export")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(export["person"], id.as_str());
    assert!(export["exportedOn"].as_str().unwrap().len() == 10);
    let tables = export["tables"].as_object().unwrap();
    let people = tables["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    let text = export.to_string();
    assert!(text.contains("Test Persoon-Jansen"), "{text}");
    assert!(text.contains("test.persoon@example.net"));
    assert!(
        tables
            .values()
            .flat_map(|rows| rows.as_array().unwrap())
            .any(|row| row.to_string().contains(role["id"].as_str().unwrap())),
        "the role's row is exported: {text}"
    );

    // Erased: the name and contact details are gone, the role stays, naming no one.
    let res = app
        .send_json(Method::POST, &format!("{location}/erase"), &json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let erased: Value = res.json().await.unwrap();
    assert_eq!(erased["anonymised"], true);
    for field in ["name", "email", "phone", "basis", "consentTextVersion"] {
        assert_eq!(erased[field], Value::Null, "{field}");
    }
    let (status, p) = admin_get(&app, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["name"], Value::Null);
    assert_eq!(p["anonymised"], true);
    assert_eq!(p["roles"].as_array().unwrap().len(), 1);
    let (_, export) = admin_get(&app, &format!("{location}/export")).await;
    let text = export.to_string();
    assert!(!text.contains("Test Persoon"), "{text}");
    assert!(!text.contains("test.persoon@example.net"));
    assert_eq!(export["tables"]["people"].as_array().unwrap().len(), 1);
    let (_, temecula) = admin_get(&app, "/api/v1/working-groups/werkgroep-temecula").await;
    let seat = temecula["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["roleId"] == role["id"])
        .unwrap();
    assert_eq!(
        seat["person"],
        json!({"id": id, "name": null, "anonymised": true})
    );
    // An erased person cannot be changed, nor given a role.
    let res = app.send_json(Method::PUT, &location, &changed).await;
    problem(res, StatusCode::NOT_FOUND).await;
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/working-groups/werkgroep-temecula/roles",
            &json!({"person": id, "role": "member", "start": "2026-01-01"}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        vec![("person".into(), "error-person-unknown".into())]
    );

    // Withdrawing consent anonymises at once too.
    let karel = person_id(&app, "Karel Dvořák").await;
    let (status, withdrawn) = send_as(
        &app,
        &app.token,
        Method::POST,
        &format!("/api/v1/people/{karel}/withdraw-consent"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(withdrawn["anonymised"], true);
    assert_eq!(withdrawn["name"], Value::Null);
    let (_, hranice) = admin_get(&app, "/api/v1/working-groups/werkgroep-hranice").await;
    assert!(!hranice.to_string().contains("Karel"));
}

async fn a_working_group_member_edits_only_their_own_group(app: App) {
    let hranice = group_id(&app, "werkgroep-hranice").await;
    let temecula = group_id(&app, "werkgroep-temecula").await;
    app.state
        .accounts
        .create(
            "werkgroeplid",
            ADMIN_PASSWORD,
            &[format!("working-group-member:{hranice}")],
        )
        .await
        .unwrap();
    let token = app
        .state
        .accounts
        .create_token("werkgroeplid", "tests")
        .await
        .unwrap();
    let group_body = |g: &Value, name: &str| {
        json!({
            "name": name,
            "partnerships": g["partnerships"].as_array().unwrap().iter().map(|p| p["id"].clone()).collect::<Vec<_>>(),
            "foundedOn": g["foundedOn"],
        })
    };
    let (_, own) = app
        .get_json("/api/v1/working-groups/werkgroep-hranice")
        .await;
    let (status, saved) = send_as(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/working-groups/{hranice}"),
        Some(&group_body(&own, "Werkgroep Hranice na Moravě")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["name"], "Werkgroep Hranice na Moravě");
    assert_eq!(saved["mayEdit"], true);
    assert_eq!(saved["peopleVisible"], true);

    let before = org_snapshot(&app).await;
    let (_, other) = app
        .get_json("/api/v1/working-groups/werkgroep-temecula")
        .await;
    let (status, refused) = send_as(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/working-groups/{temecula}"),
        Some(&group_body(&other, "Werkgroep Overgenomen")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["status"], 403);
    // Nor may the member change the foundation, its board or another group's roles, record
    // elsewhere, or answer data requests.
    let eva = person_id(&app, "Eva Bakker").await;
    let (_, f) = admin_get(&app, &format!("/api/v1/foundations/{FOUNDATION}")).await;
    let board_role = f["board"][0]["roleId"].as_str().unwrap().to_owned();
    let temecula_role = other["seats"][0]["roleId"].as_str().unwrap().to_owned();
    for (method, path, body) in [
        (
            Method::POST,
            "/api/v1/foundations".to_owned(),
            json!({"name": "Stichting X", "municipality": "leidschendam-voorburg"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/foundations/{FOUNDATION}"),
            json!({"name": "Stichting X", "municipality": "leidschendam-voorburg"}),
        ),
        (
            Method::POST,
            format!("/api/v1/foundations/{FOUNDATION}/roles"),
            json!({"person": eva, "role": "vice-chair", "start": "2026-01-01"}),
        ),
        (
            Method::POST,
            format!("/api/v1/working-groups/{temecula}/roles"),
            json!({"person": eva, "role": "member", "start": "2026-01-01"}),
        ),
        (
            Method::POST,
            "/api/v1/working-groups".to_owned(),
            json!({"foundation": FOUNDATION, "name": "Werkgroep X", "partnerships": [own["partnerships"][0]["id"]], "foundedOn": "2026-01-01"}),
        ),
        (
            Method::POST,
            format!("/api/v1/roles/{board_role}/end"),
            json!({"end": "2026-01-01"}),
        ),
        (
            Method::POST,
            format!("/api/v1/roles/{temecula_role}/end"),
            json!({"end": "2026-01-01"}),
        ),
        (
            Method::GET,
            format!("/api/v1/people/{eva}/export"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/people/{eva}/erase"),
            json!({}),
        ),
    ] {
        let body = (method != Method::GET).then_some(&body);
        let (status, p) = send_as(&app, &token, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {p}");
    }
    assert_eq!(org_snapshot(&app).await, before);
    // The member sees the foundation's people, and may add one to their own group.
    let (status, people) = send_as(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/foundations/{FOUNDATION}/people"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(people.as_array().unwrap().len(), NAMES.len());
    let (status, p) = send_as(
        &app,
        &token,
        Method::POST,
        &format!("/api/v1/foundations/{FOUNDATION}/people"),
        Some(&json!({"name": "Nieuw Lid", "basis": "membership"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send_as(
        &app,
        &token,
        Method::POST,
        &format!("/api/v1/working-groups/{hranice}/roles"),
        Some(&json!({"person": p["id"], "role": "member", "start": "2026-01-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn the_openapi_document_describes_the_organisation(app: App) {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for (path, tag, methods) in [
        ("/api/v1/foundations", "foundations", &["get", "post"][..]),
        ("/api/v1/foundations/{id}", "foundations", &["get", "put"]),
        ("/api/v1/foundations/{id}/roles", "foundations", &["post"]),
        (
            "/api/v1/foundations/{id}/people",
            "people",
            &["get", "post"],
        ),
        ("/api/v1/working-groups", "working-groups", &["get", "post"]),
        (
            "/api/v1/working-groups/{id}",
            "working-groups",
            &["get", "put"],
        ),
        (
            "/api/v1/working-groups/{id}/roles",
            "working-groups",
            &["post"],
        ),
        ("/api/v1/roles/{id}/end", "people", &["post"]),
        ("/api/v1/people/{id}", "people", &["get", "put"]),
        ("/api/v1/people/{id}/withdraw-consent", "people", &["post"]),
        ("/api/v1/people/{id}/export", "people", &["get"]),
        ("/api/v1/people/{id}/erase", "people", &["post"]),
    ] {
        for m in methods {
            let op = &paths[path][*m];
            assert!(op.is_object(), "{m} {path} is not documented");
            assert_eq!(op["tags"], json!([tag]), "{m} {path}");
            assert!(op["summary"].is_string(), "{m} {path}");
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{m} {path} documents no success"
            );
            if path.contains("{id}") {
                assert!(responses.contains_key("404"), "{m} {path} documents no 404");
            }
            if *m != "get" || path.starts_with("/api/v1/people") || path.ends_with("/people") {
                assert!(responses.contains_key("401"), "{m} {path} documents no 401");
            }
        }
    }
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for t in ["foundations", "working-groups", "people"] {
        assert!(tags.contains(&t), "tag {t}");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "FoundationBody",
        "FoundationDetail",
        "WorkingGroupDetail",
        "NewWorkingGroupBody",
        "PersonBody",
        "PersonDetail",
        "PersonExport",
        "RoleBody",
        "RoleOut",
        "SeatOut",
        "RuleLineOut",
    ] {
        assert!(schemas.contains_key(s), "schema {s}");
    }
}

http_tests!(
    the_api_shows_the_demo_foundation_with_its_working_groups_and_the_rule_holding,
    the_public_sees_no_personal_data_and_is_refused_the_people,
    the_administrator_sees_names_and_the_board_of_a_date,
    foundations_working_groups_and_roles_are_created_and_changed,
    bad_input_gets_a_problem_naming_the_field_and_changes_nothing,
    a_person_is_created_exported_and_erased_through_the_api,
    a_working_group_member_edits_only_their_own_group,
    the_openapi_document_describes_the_organisation,
);
