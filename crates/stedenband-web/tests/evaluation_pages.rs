mod support;
use support::*;

// The evaluation pages on SQLite and PostgreSQL: the list and the seed's two evaluations render
// in Dutch and English; an evaluation recorded through the form (criterion rows, conclusions and
// recommendations one a line) appears with its items, and a follow-up recorded on its page; a
// refused form comes back with 422 and each error next to its field, and stores nothing; the
// public gets no forms and is sent to log in.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::Value;

const LV: &str = "leidschendam-voorburg";

async fn admin_page(app: &App, path: &str, lang: &str) -> (StatusCode, String) {
    let res = app
        .http
        .get(app.url(path))
        .header("accept-language", lang)
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The evaluations as the API lists them (to compare before and after).
async fn stored(app: &App) -> Value {
    app.get_json("/api/v1/evaluations").await.1
}

async fn id_of(app: &App, year: i64) -> String {
    stored(app)
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["year"] == year)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_seeds_evaluations_render_in_both_languages(app: App) {
    let id2004 = id_of(&app, 2004).await;
    let id2009 = id_of(&app, 2009).await;
    for (lang, heading, aspect, status, not_stated) in [
        ("nl", "Evaluaties", "noodzaak", "open", "niet vermeld"),
        ("en", "Evaluations", "necessity", "open", "not stated"),
    ] {
        for path in [
            "/evaluations".to_owned(),
            format!("/evaluations?municipality={LV}"),
        ] {
            let (code, html) = app.page(&path, lang).await;
            assert_eq!(code, StatusCode::OK, "{path} {lang}");
            assert!(html.contains(heading), "{lang}: {html}");
            assert!(html.contains(&format!("/evaluations/{id2004}")));
            assert!(html.contains(&format!("/evaluations/{id2009}")));
            assert!(
                html.contains("Evaluatie nut, noodzaak en functionaliteit van de stedenbanden")
            );
            assert!(html.contains("2004-2008"));
            assert!(
                !html.contains("/evaluations/new"),
                "{lang}: nothing to record for the public"
            );
        }
        let (code, html) = app.page(&format!("/evaluations/{id2009}"), lang).await;
        assert_eq!(code, StatusCode::OK);
        assert!(html.contains("Motie van Gemeentebelangen"));
        assert!(html.contains("2004-2008"));
        assert!(html.contains(aspect), "{lang}: the aspect in words");
        assert!(
            html.contains(not_stated),
            "{lang}: who carried it out is not stated"
        );
        assert!(
            html.contains(
                "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd."
            )
        );
        assert!(html.contains("“leverancier van kennis”"));
        let conclusions = html
            .split(r#"<ol class="conclusions">"#)
            .nth(1)
            .and_then(|rest| rest.split("</ol>").next())
            .expect("the conclusions as a list");
        assert_eq!(
            conclusions.matches("<li>").count(),
            6,
            "{lang}: six conclusions"
        );
        assert!(
            html.contains(r#"<th scope="row">Nut</th>"#),
            "{lang}: criteria as rows"
        );
        assert!(
            !html.contains(r#"name="status""#),
            "{lang}: no form for the public"
        );
        let (code, html) = app.page(&format!("/evaluations/{id2004}"), lang).await;
        assert_eq!(code, StatusCode::OK);
        assert!(html.contains("Het verkrijgen van inzicht in de effectiviteit"));
        assert!(html.contains("Niet afzonderlijk gerapporteerd in de bijlage."));
        assert!(html.contains(&format!(r#"follow-up-open">{status}<"#)));
        assert!(html.contains("Geen besluit over deze aanbeveling vastgelegd in de bijlage."));
    }
    for path in [
        "/evaluations/geen-evaluatie",
        "/evaluations?municipality=atlantis",
    ] {
        let (code, _) = app.page(path, "nl").await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{path}");
    }
    // The administrator sees the follow-up form and the way to record an evaluation.
    let (_, html) = admin_page(&app, &format!("/evaluations/{id2004}"), "nl").await;
    assert!(html.contains(r#"action="/evaluations/"#) && html.contains(r#"name="status""#));
    assert!(html.contains("Aanbeveling 3"));
    let (_, html) = admin_page(&app, &format!("/evaluations?municipality={LV}"), "en").await;
    assert!(html.contains(&format!("/evaluations/new?municipality={LV}")));
}

async fn an_evaluation_is_recorded_through_the_form(app: App) {
    let (code, html) = admin_page(&app, &format!("/evaluations/new?municipality={LV}"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    for field in [
        "year",
        "title",
        "periodFrom",
        "periodTo",
        "partnerships",
        "criteria[0].name",
        "criteria[0].aspect",
        "criteria[5].finding",
        "conclusions",
        "recommendations",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(html.contains("Criterium 6: bevinding"), "numbered labels");
    let hranice = app.partnership_id("hranice").await;
    let temecula = app.partnership_id("temecula").await;
    let res = app
        .post_form(
            "/evaluations",
            &[
                ("municipality", LV),
                ("year", "2016"),
                ("title", "Evaluatie uitwisselingen"),
                ("carriedOutBy", "Afdeling Cultuur"),
                ("periodFrom", "2014"),
                ("periodTo", "2015"),
                ("partnerships", &hranice),
                ("partnerships", &temecula),
                ("criteria[0].name", "Bereik"),
                ("criteria[0].aspect", "effectiveness"),
                ("criteria[0].finding", "Veel deelnemers."),
                ("criteria[2].name", "Kosten"),
                ("criteria[2].aspect", "efficiency"),
                ("criteria[2].finding", "Laag.\r\nDoor vrijwilligers."),
                ("conclusions", "Eerste conclusie.\r\n\r\nTweede conclusie."),
                ("recommendations", "Doorgaan.\r\nMeer scholen betrekken."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/evaluations/"), "{to}");
    let id = to.trim_start_matches("/evaluations/").to_owned();
    let (_, v) = app.get_json(&format!("/api/v1/evaluations/{id}")).await;
    assert_eq!(
        v["criteria"].as_array().unwrap().len(),
        2,
        "the empty rows skipped"
    );
    assert_eq!(v["criteria"][1]["finding"], "Laag.\nDoor vrijwilligers.");
    assert_eq!(
        v["conclusions"],
        serde_json::json!(["Eerste conclusie.", "Tweede conclusie."])
    );
    assert_eq!(v["recommendations"][1]["text"], "Meer scholen betrekken.");
    assert_eq!(v["recommendations"][1]["status"], "open");
    assert_eq!(v["partnerships"].as_array().unwrap().len(), 2);
    let (code, html) = app.page(&to, "en").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("Evaluatie uitwisselingen"));
    assert!(
        html.contains("Laag.<br>Door vrijwilligers."),
        "line breaks kept"
    );
    assert!(html.contains("2014-2015"));

    // What became of recommendation 2.
    let res = app
        .post_form(
            &format!("/evaluations/{id}/follow-up"),
            &[
                ("recommendation", "2"),
                ("status", "adopted"),
                ("date", "2016-10-01"),
                ("note", "Besluit van het college."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/evaluations/{id}#recommendations")
    );
    let (_, html) = app.page(&to, "nl").await;
    assert!(html.contains(r#"follow-up-adopted">overgenomen<"#));
    assert!(html.contains(r#"<time datetime="2016-10-01">1 oktober 2016</time>"#));
    assert!(html.contains("Besluit van het college."));
}

async fn refused_forms_show_their_errors_and_store_nothing(app: App) {
    let before = stored(&app).await;
    let hranice = app.partnership_id("hranice").await;
    let long = "x".repeat(4001);
    let conclusions = format!("Goed.\n{long}");
    let res = app
        .post_form(
            "/evaluations",
            &[
                ("municipality", LV),
                ("title", "Zonder jaar"),
                ("periodFrom", "2015"),
                ("periodTo", "2013"),
                ("partnerships", &hranice),
                ("criteria[1].name", "Sfeer"),
                ("criteria[1].aspect", "gezelligheid"),
                ("criteria[1].finding", "Goed."),
                ("conclusions", &conclusions),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for id in [
        "e-year",
        "e-periodTo",
        "e-criteria[1].aspect",
        "e-conclusions",
    ] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(
        html.contains("Conclusie 2: Dit is te lang."),
        "the item's number"
    );
    assert!(html.contains(r#"value="Zonder jaar""#), "the values kept");
    assert!(
        html.contains(&format!(r#"value="{hranice}" checked"#)),
        "the choice kept"
    );
    assert_eq!(stored(&app).await, before, "nothing stored");

    // No partnership at all.
    let res = app
        .post_form(
            "/evaluations",
            &[("municipality", LV), ("year", "2016"), ("title", "Leeg")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="e-partnerships""#));

    // A follow-up in the future and one without its date.
    let id = id_of(&app, 2004).await;
    let tomorrow = jiff::Zoned::now().date().tomorrow().unwrap().to_string();
    for (form, error) in [
        (
            vec![
                ("recommendation", "1"),
                ("status", "adopted"),
                ("date", tomorrow.as_str()),
            ],
            "e-date",
        ),
        (
            vec![("recommendation", "2"), ("status", "rejected")],
            "e-date",
        ),
        (
            vec![("recommendation", "9"), ("status", "open")],
            "e-recommendation",
        ),
    ] {
        let res = app
            .post_form(&format!("/evaluations/{id}/follow-up"), &form)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains(&format!(r#"id="{error}""#)), "{form:?}");
    }
    assert_eq!(stored(&app).await, before, "nothing stored");

    // The public: to the login form, nothing stored; no form to open.
    let res = app
        .post_form_as(
            "/evaluations",
            &[
                ("municipality", LV),
                ("year", "2016"),
                ("title", "Anoniem"),
                ("partnerships", &hranice),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        "/login?next=/evaluations/new"
    );
    let res = app
        .post_form_as(
            &format!("/evaluations/{id}/follow-up"),
            &[
                ("recommendation", "1"),
                ("status", "adopted"),
                ("date", "2010-01-01"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/login?next=/evaluations/{id}")
    );
    let (code, _) = app.page("/evaluations/new", "nl").await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await, before, "nothing stored");
}

http_tests!(
    the_seeds_evaluations_render_in_both_languages,
    an_evaluation_is_recorded_through_the_form,
    refused_forms_show_their_errors_and_store_nothing,
);
