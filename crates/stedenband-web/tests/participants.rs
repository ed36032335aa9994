mod support;
use support::*;

// Participants per town through the pages and the API, on SQLite and PostgreSQL: the public
// sees counts per town and no names; the organisers see names, print the sign-in sheet with a
// signature column and download the CSV; bad input gets the error next to the field (or a
// problem naming it) and nothing is stored.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::json;
use stedenband_app::Caller;
use stedenband_store::ActivityFilter;

const MEETING: &str = "Burgerontmoeting \u{2018}Europa dichtbij\u{2019}";

async fn meeting(app: &App) -> String {
    app.state
        .activities
        .activities(&Caller::system(), ActivityFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.draft.title.as_str() == MEETING)
        .unwrap()
        .id
}

async fn admin_get(app: &App, path: &str, lang: &str) -> reqwest::Response {
    app.http
        .get(app.url(path))
        .header("accept-language", lang)
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap()
}

/// The names on the list, as the store holds them (independent of the pages).
async fn listed(app: &App, id: &str) -> usize {
    app.state
        .activities
        .participants(&Caller::system(), id)
        .await
        .unwrap()
        .total
}

async fn the_public_sees_counts_per_town_and_no_names(app: App) {
    let id = meeting(&app).await;
    let (status, html) = app
        .page(&format!("/activities/{id}/participants"), "nl")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("10 deelnemers op naam"), "{html}");
    for town in ["Leidschendam-Voorburg", "Hranice", "Konstancin-Jeziorna"] {
        assert!(html.contains(town), "{town}");
    }
    for name in ["Jana Nováková", "Eva Bakker", "Karel Dvořák"] {
        assert!(!html.contains(name), "the public must not see {name}");
    }
    assert!(
        !html.contains("participants.csv"),
        "no download for the public"
    );
    // The sheet and the CSV want a login.
    for path in ["participants/sheet", "participants.csv"] {
        let res = app
            .http
            .get(app.url(&format!("/activities/{id}/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            res.headers()[LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/login")
        );
    }
    // The API: counts, no names, no ids of people.
    let (status, body) = app
        .get_json(&format!("/api/v1/activities/{id}/participants"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["namesVisible"], false);
    assert_eq!(body["total"], 10);
    let towns: Vec<(String, u64, usize)> = body["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["town"]["slug"].as_str().unwrap().to_owned(),
                t["count"].as_u64().unwrap(),
                t["participants"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        towns,
        [
            ("leidschendam-voorburg".to_owned(), 3, 0),
            ("hranice".to_owned(), 4, 0),
            ("konstancin-jeziorna".to_owned(), 3, 0),
        ]
    );
}

async fn the_organisers_print_the_sheet_and_download_the_list(app: App) {
    let id = meeting(&app).await;
    let res = admin_get(&app, &format!("/activities/{id}/participants"), "en").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Jana Nováková") && html.contains("Eva Bakker"));
    assert!(html.contains("Print the sign-in sheet"));
    // The sheet: one table per town, each listed name with a signature cell, and empty lines.
    let res = admin_get(&app, &format!("/activities/{id}/participants/sheet"), "nl").await;
    assert_eq!(res.status(), StatusCode::OK);
    let sheet = res.text().await.unwrap();
    assert_eq!(sheet.matches("<table class=\"signin\">").count(), 3);
    assert!(sheet.contains("Handtekening"));
    // 10 names and 5 empty lines per town, each with a cell to sign.
    assert_eq!(
        sheet.matches("<td class=\"signature\"></td>").count(),
        10 + 3 * 5
    );
    assert!(
        sheet.contains("<th scope=\"row\">Agnieszka Wiśniewska</th><td>Konstancin-Jeziorna</td>")
    );
    // The CSV.
    let res = admin_get(&app, &format!("/activities/{id}/participants.csv"), "nl").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 11, "a header and ten names");
    assert!(csv.contains("Hranice,CZ,partner,Petr Svoboda,guest"));
    // The API gives the same list to the administrator.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/activities/{id}/participants.csv")))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), csv);
}

async fn listing_through_the_form_and_the_api(app: App) {
    let id = meeting(&app).await;
    let path = format!("/activities/{id}/participants");
    let before = listed(&app, &id).await;
    // Bad input: the form again, the error next to its field, nothing stored.
    let res = app
        .post_form(
            &path,
            &[("person", ""), ("guestName", ""), ("town", "hranice")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"e-guestName\""), "{html}");
    assert!(html.contains("Kies een persoon of vul de naam van een gast in."));
    let res = app
        .post_form(
            &path,
            &[("guestName", "Jana Nováková"), ("town", "hranice")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Staat al op de lijst van deze activiteit.")
    );
    assert_eq!(listed(&app, &id).await, before);
    // A guest through the form.
    let res = app
        .post_form(&path, &[("guestName", "Věra Malá"), ("town", "hranice")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with(&format!("{path}#p-"))
    );
    assert_eq!(listed(&app, &id).await, before + 1);

    // The API: problems name the field; a good body is created and can be removed again.
    let api = format!("/api/v1/activities/{id}/participants");
    for (body, field, code) in [
        (
            json!({"guestName": "X", "person": "p", "town": "hranice"}),
            "guestName",
            "error-participant-both",
        ),
        (json!({"guestName": "X"}), "town", "error-required"),
        (
            json!({"guestName": "X", "town": "atlantis"}),
            "town",
            "error-town-unknown",
        ),
    ] {
        let res = app.send_json(Method::POST, &api, &body).await;
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            invalid_fields(&p),
            [(field.to_owned(), code.to_owned())],
            "{body}"
        );
    }
    let res = app
        .send_json(Method::POST, &api, &json!({"unknown": 1}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(listed(&app, &id).await, before + 1);
    let res = app
        .send_json(
            Method::POST,
            &api,
            &json!({"guestName": "Ewa Zielińska", "town": "konstancin-jeziorna"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["kind"], "guest");
    assert_eq!(listed(&app, &id).await, before + 2);
    let one = created["id"].as_str().unwrap();
    let res = app
        .send_json(Method::DELETE, &format!("{api}/{one}"), &json!(null))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .send_json(Method::DELETE, &format!("{api}/{one}"), &json!(null))
        .await;
    problem(res, StatusCode::NOT_FOUND).await;
    assert_eq!(listed(&app, &id).await, before + 1);
    // The public may not write.
    let res = app
        .http
        .post(app.url(&api))
        .json(&json!({"guestName": "Y", "town": "hranice"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
}

http_tests!(
    the_public_sees_counts_per_town_and_no_names,
    the_organisers_print_the_sheet_and_download_the_list,
    listing_through_the_form_and_the_api,
);
