//! The world register's API on SQLite and PostgreSQL, with the demo data and the shipped list:
//! a town's partners with the source of every record, search with accents folded, countries,
//! the network questions, suggestions with their reasons, GeoJSON, importing through the API
//! (administrators only; a bad file refused with nothing changed; a second import changing
//! nothing), and a register write showing at once in the graph answered from memory.

mod support;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support::{App, invalid_fields, problem};

async fn town(app: &App, q: &str, country: &str) -> Value {
    let (status, v) = app
        .get_json(&format!("/api/v1/towns?q={q}&country={country}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["towns"][0].clone()
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.get("town").unwrap_or(p)["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn a_towns_partners_name_their_sources(app: App) {
    let lv = town(&app, "leidschendam-voorburg", "NL").await;
    assert_eq!(lv["name"], "Leidschendam-Voorburg");
    assert_eq!(lv["municipality"]["slug"], "leidschendam-voorburg");
    let id = lv["id"].as_i64().unwrap();
    let (status, p) = app.get_json(&format!("/api/v1/towns/{id}/partners")).await;
    assert_eq!(status, StatusCode::OK);
    let partners = p["partners"].as_array().unwrap();
    let hranice = partners
        .iter()
        .find(|x| x["town"]["name"] == "Hranice")
        .unwrap();
    let kinds: BTreeSet<&str> = hranice["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["list", "register"]));
    assert_eq!(hranice["town"]["municipality"]["slug"], "hranice");
    let register = &hranice["records"][0];
    assert_eq!(register["kind"], "register");
    assert_eq!(register["status"], "active");
    assert!(register["partnership"].is_string());
    for name in ["Konstancin-Jeziorna", "Temecula"] {
        let x = partners.iter().find(|x| x["town"]["name"] == name).unwrap();
        assert_eq!(x["records"][0]["kind"], "register");
    }
    // The detail: triangles, sources with the attribution.
    let (_, d) = app.get_json(&format!("/api/v1/towns/{id}")).await;
    assert_eq!(d["partners"].as_array().unwrap().len(), partners.len());
    let triangles: Vec<BTreeSet<String>> = d["triangles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| names(&t["towns"]))
        .collect();
    assert!(triangles.contains(&BTreeSet::from([
        "Hranice".to_owned(),
        "Konstancin-Jeziorna".to_owned()
    ])));
    assert!(
        d["sources"][0]["attribution"]
            .as_str()
            .unwrap()
            .contains("CC BY-SA 4.0")
    );
    // The triangles route says the same.
    let (_, t) = app
        .get_json(&format!("/api/v1/network/triangles?town={id}"))
        .await;
    assert_eq!(t["triangles"].as_array().unwrap().len(), triangles.len());
    // GeoJSON: the town and its partners as points, a line per partner with coordinates.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/towns/{id}/geojson")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_TYPE], "application/geo+json");
    let g: Value = res.json().await.unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let lines: Vec<&Value> = g["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(lines.len(), partners.len());
    let to_hranice = lines
        .iter()
        .find(|l| l["properties"]["toName"] == "Hranice")
        .unwrap();
    assert_eq!(to_hranice["geometry"]["coordinates"][1][1], json!(49.5482));
    assert!(g["attribution"][0].as_str().unwrap().contains("Wikipedia"));
    // Unknown town: 404.
    let res = app
        .http
        .get(app.url("/api/v1/towns/999999999/partners"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
}

async fn search_folds_accents_and_refuses_bad_parameters(app: App) {
    for (q, name) in [
        ("hrani", "Hranice"),
        ("konstancin", "Konstancin-Jeziorna"),
        ("leidschendam", "Leidschendam-Voorburg"),
        ("dobrany", "Dobřany"),
        ("DOBR%C3%A1NY", "Dobřany"),
    ] {
        let (status, v) = app.get_json(&format!("/api/v1/towns?q={q}&limit=50")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(names(&v["towns"]).contains(name), "{q}: {v}");
    }
    // A country filter, paging and the total.
    let (_, all) = app.get_json("/api/v1/towns?country=CZ&limit=5").await;
    let (_, next) = app
        .get_json("/api/v1/towns?country=CZ&limit=5&offset=5")
        .await;
    assert!(all["total"].as_u64().unwrap() > 10);
    assert_eq!(all["total"], next["total"]);
    assert!(names(&all["towns"]).is_disjoint(&names(&next["towns"])));
    assert!(
        all["towns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["country"] == "CZ")
    );
    for (query, field) in [
        ("country=XX", "country"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/towns?{query}")))
            .send()
            .await
            .unwrap();
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(invalid_fields(&p)[0].0, field, "{query}");
    }
    let res = app
        .http
        .get(app.url("/api/v1/towns?limit=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

async fn the_network_answers_from_memory(app: App) {
    let lv = town(&app, "leidschendam-voorburg", "NL").await["id"]
        .as_i64()
        .unwrap();
    let kj = town(&app, "konstancin", "PL").await["id"].as_i64().unwrap();
    let denz = town(&app, "denzlingen", "DE").await["id"].as_i64().unwrap();
    let (_, c) = app
        .get_json(&format!("/api/v1/network/chain?a={lv}&b={denz}"))
        .await;
    let steps: Vec<&str> = c["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["town"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["Leidschendam-Voorburg", "Konstancin-Jeziorna", "Denzlingen"]
    );
    assert_eq!(c["length"], 2);
    assert_eq!(c["steps"][1]["records"][0]["kind"], "register");
    let (_, s) = app
        .get_json(&format!("/api/v1/network/shared-partners?a={lv}&b={kj}"))
        .await;
    assert!(names(&s["towns"]).contains("Hranice"));
    // The most connected of a country, most first; components largest first.
    let (_, m) = app
        .get_json("/api/v1/network/most-connected?country=NL&limit=5")
        .await;
    let counts: Vec<u64> = m
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["partners"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let (_, comps) = app.get_json("/api/v1/network/components?limit=3").await;
    let sizes: Vec<u64> = comps["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["size"].as_u64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
    assert!(comps["total"].as_u64().unwrap() >= 3);
    // The country's figures count every pair once: within + abroad = lines of its GeoJSON.
    let (_, cz) = app.get_json("/api/v1/countries/CZ").await;
    let (_, g) = app.get_json("/api/v1/countries/CZ/geojson").await;
    let with_coordinates = g["features"].as_array().unwrap().len() as u64;
    assert_eq!(
        cz["pairsWithin"].as_u64().unwrap() + cz["pairsAbroad"].as_u64().unwrap(),
        with_coordinates
    );
    let (_, list) = app.get_json("/api/v1/countries").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "CZ" && c["name"] == "Czechia")
    );
    // Bad parameters name the field.
    for (query, field) in [
        ("/api/v1/network/chain?b=1", "a"),
        ("/api/v1/network/chain?a=x&b=1", "a"),
        (
            &format!("/api/v1/network/chain?a={lv}&b=999999999") as &str,
            "b",
        ),
        ("/api/v1/network/triangles", "town"),
        ("/api/v1/suggestions", "municipality"),
        ("/api/v1/suggestions?municipality=atlantis", "municipality"),
        ("/api/v1/network/components?limit=0", "limit"),
    ] {
        let res = app.http.get(app.url(query)).send().await.unwrap();
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(invalid_fields(&p)[0].0, field, "{query}");
    }
    let res = app
        .http
        .get(app.url("/api/v1/countries/XX"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
}

async fn suggestions_state_their_reasons(app: App) {
    let (status, s) = app
        .get_json("/api/v1/suggestions?municipality=leidschendam-voorburg&limit=30")
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let lv = s["town"]["id"].as_i64().unwrap();
    let (_, p) = app.get_json(&format!("/api/v1/towns/{lv}/partners")).await;
    let partners: BTreeSet<i64> = p["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["town"]["id"].as_i64().unwrap())
        .collect();
    let list = s["suggestions"].as_array().unwrap();
    assert!(!list.is_empty());
    let mut last = u64::MAX;
    for x in list {
        let id = x["town"]["id"].as_i64().unwrap();
        assert!(!partners.contains(&id) && id != lv, "not already a partner");
        let sum: u64 = x["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["points"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, x["score"].as_u64().unwrap());
        assert!(sum <= last, "best first");
        last = sum;
        // Partners of partners really are twinned with the partners named.
        for r in x["reasons"].as_array().unwrap() {
            if r["kind"] == "partners-of-partners" {
                for via in r["via"].as_array().unwrap() {
                    let via = via["id"].as_i64().unwrap();
                    assert!(partners.contains(&via));
                    let (_, vp) = app.get_json(&format!("/api/v1/towns/{via}/partners")).await;
                    assert!(
                        vp["partners"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|q| q["town"]["id"] == id)
                    );
                }
            }
        }
    }
    assert!(list.iter().any(|x| x["town"]["name"] == "Hlohovec"));
}

async fn importing_needs_an_administrator_and_changes_nothing_twice(app: App) {
    let rows = json!([
        {"city1": "Hranice", "country1": "Czech Republic", "city2": "Nová Ves u Testu",
         "country2": "Czech Republic", "lat2": 49.6, "lng2": 17.6},
        {"city1": "Nová Ves u Testu", "country1": "Czech Republic", "city2": "Hranice",
         "country2": "Czech Republic"},
        {"city1": "Atlantis", "country1": "Atlantis", "city2": "Hranice", "country2": "Czech Republic"}
    ]);
    // The public: 401, nothing written.
    let res = app
        .http
        .post(app.url("/api/v1/world/imports?label=test"))
        .json(&rows)
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let hranice = town(&app, "hranice", "CZ").await["id"].as_i64().unwrap();
    let (_, before) = app
        .get_json(&format!("/api/v1/towns/{hranice}/partners"))
        .await;
    // A bad file: 422 naming `file`, nothing written.
    let res = app
        .http
        .post(app.url("/api/v1/world/imports?label=test&format=csv"))
        .bearer_auth(&app.token)
        .header(CONTENT_TYPE, "text/csv")
        .body("town,land\nHranice,CZ\n")
        .send()
        .await
        .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        invalid_fields(&p),
        [("file".to_owned(), "world-file-columns".to_owned())]
    );
    let res = app
        .http
        .post(app.url("/api/v1/world/imports?label=test&format=csv"))
        .bearer_auth(&app.token)
        .body(vec![0xffu8, 0xfe, 0x00])
        .send()
        .await
        .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(invalid_fields(&p)[0].0, "file");
    let (_, same) = app
        .get_json(&format!("/api/v1/towns/{hranice}/partners"))
        .await;
    assert_eq!(same, before);
    // The administrator: one pair imported, one merged, one rejected with its reason.
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/world/imports?label=test",
            &rows,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(
        (
            r["rows"].as_u64(),
            r["imported"].as_u64(),
            r["merged"].as_u64(),
            r["rejected"].as_u64()
        ),
        (Some(3), Some(1), Some(1), Some(1))
    );
    assert_eq!(r["rejectedRows"][0]["row"], 3);
    assert!(
        r["rejectedRows"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Atlantis")
    );
    assert!(
        r["registerLinks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "Hranice")
    );
    // At once in the partners answered from memory.
    let (_, after) = app
        .get_json(&format!("/api/v1/towns/{hranice}/partners"))
        .await;
    assert_eq!(
        after["partners"].as_array().unwrap().len(),
        before["partners"].as_array().unwrap().len() + 1
    );
    // Again: nothing changes.
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/world/imports?label=test",
            &rows,
        )
        .await;
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["changed"], false);
    assert_eq!(r["imported"], 0);
    let (_, again) = app
        .get_json(&format!("/api/v1/towns/{hranice}/partners"))
        .await;
    assert_eq!(again, after);
}

async fn a_register_write_shows_at_once(app: App) {
    // A new partnership of Leidschendam-Voorburg with Hlohovec (a list town, not yet in the
    // register): the municipality is made, then the partnership; the graph shows both.
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/municipalities",
            &json!({"name": "Hlohovec", "kind": "municipality", "country": "SK", "latitude": 48.43, "longitude": 17.8}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let m: Value = res.json().await.unwrap();
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/partnerships",
            &json!({"home": "leidschendam-voorburg", "partner": m["slug"], "kind": "project-based",
                    "initiator": "local-government", "start": "2024", "end": "2026",
                    "status": "active"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let lv = town(&app, "leidschendam-voorburg", "NL").await["id"]
        .as_i64()
        .unwrap();
    let (_, p) = app.get_json(&format!("/api/v1/towns/{lv}/partners")).await;
    let hl: Vec<&Value> = p["partners"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["town"]["name"] == "Hlohovec")
        .collect();
    assert_eq!(hl.len(), 1);
    assert_eq!(hl[0]["records"][0]["kind"], "register");
    assert_eq!(hl[0]["records"][0]["partnershipKind"], "project-based");
    // The new municipality took over the list's Hlohovec: Hranice's partner (from the list) is
    // the same town, now the register's, and there is one Hlohovec in Slovakia.
    assert_eq!(hl[0]["town"]["municipality"]["slug"], m["slug"]);
    assert!(hl[0]["records"].as_array().unwrap().len() == 1);
    let hranice = town(&app, "hranice", "CZ").await["id"].as_i64().unwrap();
    let (_, hp) = app
        .get_json(&format!("/api/v1/towns/{hranice}/partners"))
        .await;
    let from_hranice = hp["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["town"]["name"] == "Hlohovec")
        .unwrap();
    assert_eq!(from_hranice["town"]["id"], hl[0]["town"]["id"]);
    assert_eq!(from_hranice["records"][0]["kind"], "list");
    let (_, found) = app.get_json("/api/v1/towns?q=hlohovec&country=SK").await;
    assert_eq!(found["total"], 1);
}

http_world_tests!(
    a_towns_partners_name_their_sources,
    search_folds_accents_and_refuses_bad_parameters,
    the_network_answers_from_memory,
    suggestions_state_their_reasons,
    importing_needs_an_administrator_and_changes_nothing_twice,
    a_register_write_shows_at_once,
);
