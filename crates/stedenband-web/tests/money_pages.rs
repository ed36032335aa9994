mod support;
use support::*;

// The money pages on SQLite and PostgreSQL: the yearly overview and the subsidy register render
// in Dutch and English; a subsidy recorded through the form appears in the register; a step
// that is refused shows its error next to its field and stores nothing; the downloads are what
// they say; a ledger is not for the public; the calculator reproduces the seed's schedule.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use stedenband_app::Caller;

const LV: &str = "leidschendam-voorburg";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn admin_get(app: &App, path: &str, lang: &str) -> reqwest::Response {
    app.http
        .get(app.url(path))
        .header("accept-language", lang)
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap()
}

/// The demo foundation's id.
async fn stichting(app: &App) -> String {
    app.state
        .organisation
        .foundations(Some(LV))
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo foundation")
        .id
}

/// Records a subsidy through the register's form: its id.
async fn subsidy_through_the_form(app: &App, purpose: &str) -> String {
    let foundation = stichting(app).await;
    let res = app
        .post_form(
            &format!("/municipalities/{LV}/subsidies"),
            &[
                ("foundation", &foundation),
                ("grantor", "municipality"),
                ("kind", "incidental-activity"),
                ("purpose", purpose),
                ("year", "2016"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
    to.strip_prefix("/subsidies/")
        .expect("to the subsidy's page")
        .to_owned()
}

async fn steps_stored(app: &App, id: &str) -> usize {
    app.state
        .money
        .subsidy(&Caller::system(), id)
        .await
        .unwrap()
        .record
        .steps
        .len()
}

async fn the_overview_and_the_register_render_in_both_languages(app: App) {
    for (lang, title, total) in [
        ("nl", "Geld voor stedenbanden", "Totaal"),
        ("en", "Money for twinning", "Total"),
    ] {
        let (status, html) = app
            .page(
                &format!("/municipalities/{LV}/money?from=2012&to=2017"),
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains(title), "{lang}: {html}");
        assert!(html.contains("<svg"), "{lang}: the charts");
        assert!(html.contains(r#"id="per-year""#), "{lang}: the table");
        assert!(html.contains(r#"id="y-2017""#), "{lang}: a row per year");
        assert!(
            !html.contains(r#"id="y-2018""#),
            "{lang}: not past the period"
        );
        assert!(html.contains(total));
        assert!(
            html.contains("/money.xlsx?from=2012"),
            "{lang}: the download for the period"
        );
        let (status, html) = app
            .page(&format!("/municipalities/{LV}/subsidies"), lang)
            .await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains(r#"id="register""#) || html.contains("register"));
        // The public gets no form.
        assert!(
            !html.contains(r#"name="purpose""#),
            "{lang}: no form for the public"
        );
    }
    // The demo's figures, when the demo has its money: the seed's subsidy, year by year.
    let (_, html) = app
        .page(
            &format!("/municipalities/{LV}/money?from=2012&to=2017"),
            "nl",
        )
        .await;
    if html.contains("24.490,00") {
        for amount in ["€\u{a0}24.490,00", "€\u{a0}16.327,00", "€\u{a0}8.163,00"] {
            assert!(html.contains(amount), "{amount}");
        }
    }
    let (status, _) = app.page("/municipalities/nergens/money", "nl").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_subsidy_recorded_through_the_form_appears_in_the_register(app: App) {
    let (_, html) = app
        .page(&format!("/municipalities/{LV}/subsidies"), "nl")
        .await;
    assert!(!html.contains("Korenfestival Hranice"));
    // The officials' form: refused input comes back with the error at its field.
    let foundation = stichting(&app).await;
    let before = app
        .state
        .money
        .subsidies(&Caller::system(), LV)
        .await
        .unwrap()
        .len();
    let res = app
        .post_form(
            &format!("/municipalities/{LV}/subsidies"),
            &[
                ("foundation", &foundation),
                ("kind", "incidental-activity"),
                ("purpose", ""),
                ("year", "twintig"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-purpose""#), "{html}");
    assert!(html.contains(r#"id="e-year""#));
    assert!(html.contains(r#"value="twintig""#), "the value is kept");
    assert_eq!(
        app.state
            .money
            .subsidies(&Caller::system(), LV)
            .await
            .unwrap()
            .len(),
        before,
        "nothing stored"
    );
    let id = subsidy_through_the_form(&app, "Korenfestival Hranice").await;
    // Not granted yet: the public register lists what the municipality granted.
    let (_, html) = app
        .page(
            &format!("/municipalities/{LV}/subsidies?from=2016&to=2016"),
            "nl",
        )
        .await;
    assert!(
        !html.contains("Korenfestival Hranice"),
        "not before the grant"
    );
    for (step, date) in [
        ("application", "2016-01-10"),
        ("grant-decision", "2016-02-01"),
    ] {
        app.state
            .money
            .add_step(
                &Caller::system(),
                &id,
                &stedenband_domain::funding::StepInput {
                    step: Some(step.into()),
                    date: Some(date.into()),
                    document: Some(format!("doc {step}")),
                    amount: Some("750".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    for lang in ["nl", "en"] {
        let (status, html) = app
            .page(
                &format!("/municipalities/{LV}/subsidies?from=2016&to=2016"),
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Korenfestival Hranice"), "{lang}");
        assert!(html.contains(&format!("/subsidies/{id}")));
    }
    let (_, html) = app
        .page(&format!("/municipalities/{LV}/subsidies?from=2017"), "nl")
        .await;
    assert!(!html.contains("Korenfestival Hranice"), "outside the years");
    // Its page: the public sees where it stands, not its file.
    let (status, html) = app.page(&format!("/subsidies/{id}"), "nl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Korenfestival Hranice"));
    assert!(!html.contains(r#"name="step""#));
    let res = admin_get(&app, &format!("/subsidies/{id}"), "nl").await;
    assert!(res.text().await.unwrap().contains(r#"name="step""#));
}

async fn a_refused_step_shows_its_error_and_stores_nothing(app: App) {
    let id = subsidy_through_the_form(&app, "Jubileumconcert").await;
    let path = format!("/subsidies/{id}/steps");
    // Not a number.
    let res = app
        .post_form(
            &path,
            &[
                ("step", "application"),
                ("date", "2015-09-01"),
                ("document", "AV-2015-7"),
                ("amount", "tienduizend"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-amount""#), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"value="tienduizend""#));
    assert_eq!(steps_stored(&app, &id).await, 0);
    // A step that skips the application.
    let res = app
        .post_form(
            &path,
            &[
                ("step", "grant-decision"),
                ("date", "2015-09-01"),
                ("document", "BV-2015-7"),
                ("amount", "10.000"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="e-step""#));
    assert_eq!(steps_stored(&app, &id).await, 0);
    // The application, in Dutch notation; then the grant.
    let res = app
        .post_form(
            &path,
            &[
                ("step", "application"),
                ("date", "2015-09-01"),
                ("document", "AV-2015-7"),
                ("amount", "10.000,00"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(steps_stored(&app, &id).await, 1);
    let res = app
        .post_form(
            &path,
            &[
                ("step", "grant-decision"),
                ("date", "2015-10-01"),
                ("document", "BV-2015-7"),
                ("amount", "10,000.00"),
                ("conditions", "Verantwoording vóór 1 juli 2016"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = admin_get(&app, &format!("/subsidies/{id}"), "nl")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("AV-2015-7") && html.contains("BV-2015-7"),
        "{html}"
    );
    assert!(html.contains("€\u{a0}10.000,00"));
    assert!(html.contains("Verantwoording vóór 1 juli 2016"));
    // A step by the public: to the login form, back to the subsidy's page after it.
    let res = app
        .post_form_as(
            &path,
            &[("step", "advance-payment"), ("date", "2015-11-01")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION],
        format!("/login?next=/subsidies/{id}").as_str()
    );
    assert_eq!(steps_stored(&app, &id).await, 2);
}

async fn the_downloads_are_what_they_say(app: App) {
    for path in [
        format!("/municipalities/{LV}/money.xlsx?from=2012&to=2017"),
        format!("/municipalities/{LV}/subsidies.xlsx"),
    ] {
        let res = app.http.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()[CONTENT_TYPE], XLSX, "{path}");
        assert!(
            res.headers()[CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains(".xlsx")
        );
        let body = res.bytes().await.unwrap();
        assert_eq!(&body[..4], b"PK\x03\x04", "{path}: a zip file");
    }
    let res = app
        .http
        .get(app.url(&format!("/municipalities/{LV}/money.csv?from=2012&to=2017")))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("Year,"), "{csv}");
    // A line per year and the total; amounts as plain decimals.
    assert_eq!(lines.len(), 1 + 6 + 1, "{csv}");
    assert!(lines[1].starts_with("2012,"));
    if csv.contains("24490.00") {
        assert!(csv.contains("16327.00") && csv.contains("8163.00"));
    }
    let res = app
        .http
        .get(app.url(&format!(
            "/municipalities/{LV}/money.csv?from=2012&to=2017&table=partnerships"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The ledger's downloads want a login.
    let res = app
        .http
        .get(app.url("/working-groups/werkgroep-hranice/ledger.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin_get(&app, "/working-groups/werkgroep-hranice/ledger.xlsx", "nl").await;
    assert_eq!(res.headers()[CONTENT_TYPE], XLSX);
    assert_eq!(&res.bytes().await.unwrap()[..4], b"PK\x03\x04");
}

async fn the_ledger_is_not_for_the_public(app: App) {
    let path = "/working-groups/werkgroep-hranice/ledger";
    let res = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION],
        format!("/login?next={path}").as_str()
    );
    // The working group's page offers the link only to those logged in.
    let (_, html) = app.page("/working-groups/werkgroep-hranice", "nl").await;
    assert!(!html.contains(path));
    let html = admin_get(&app, "/working-groups/werkgroep-hranice", "nl")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(path));
    // The board (here the administrator) adds a line; bad input stays with its field.
    let res = app
        .post_form(
            path,
            &[
                ("date", "2017-03-01"),
                ("direction", "income"),
                ("source", "sponsor"),
                ("amount", "1,2345"),
                ("description", "Sponsorloop"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-amount""#), "{html}");
    let res = app
        .post_form(
            path,
            &[
                ("date", "2017-03-01"),
                ("direction", "income"),
                ("source", "sponsor"),
                ("amount", "1.234,50"),
                ("description", "Sponsorloop"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with(&format!("{path}#t-"))
    );
    for (lang, amount) in [("nl", "€\u{a0}1.234,50"), ("en", "€1,234.50")] {
        let res = admin_get(&app, &format!("{path}?from=2017&to=2017"), lang).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("Sponsorloop"), "{lang}");
        assert!(html.contains(amount), "{lang}: {html}");
        assert!(html.contains("<svg"), "{lang}: income by source");
    }
    // A period that cannot be read.
    let res = admin_get(&app, &format!("{path}?from=gisteren"), "nl").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="e-from""#));
}

async fn the_calculator_reproduces_the_seeds_schedule(app: App) {
    let (status, html) = app
        .page(
            "/phase-out-schedules/compute?base=24.490&baseYear=2012&years=3&parts=3",
            "nl",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for amount in [
        "€\u{a0}24.490,00",
        "€\u{a0}16.327,00",
        "€\u{a0}8.163,00",
        // The remaining euro of 24,490 / 3 goes to the first part.
        "€\u{a0}8.164,00",
    ] {
        assert!(html.contains(amount), "{amount}: {html}");
    }
    let (status, html) = app
        .page(
            "/phase-out-schedules/compute?base=-5&baseYear=2012&years=3&parts=3",
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="e-base""#));
    // The officials record one; the public reads it.
    let partnership = app.partnership_id("hranice").await;
    let res = app
        .post_form(
            &format!("/municipalities/{LV}/phase-out-schedules"),
            &[
                ("name", "Afbouw proef"),
                ("base", "9000"),
                ("baseYear", "2020"),
                ("years", "2"),
                ("method", "linear"),
                ("rounding", "whole-euros-half-up"),
                ("partnerships", &partnership),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = app
        .page(&format!("/municipalities/{LV}/phase-out-schedules"), "en")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Afbouw proef") && html.contains("€4,500.00"),
        "{html}"
    );
}

async fn a_subsidy_stopped_without_a_phase_out_is_flagged(app: App) {
    // A yearly budget subsidy 2019, 2020 and 2021, then nothing: Awb article 4:51.
    let foundation = stichting(&app).await;
    let money = &app.state.money;
    let system = Caller::system();
    // The demo's 2011 decision ended the yearly subsidy; a later decision allows it again.
    let rule = app
        .state
        .decisions
        .rules(LV)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == stedenband_domain::decision::RuleKind::SubsidyEnds)
        .unwrap();
    app.state
        .decisions
        .create(
            &system,
            &stedenband_domain::decision::DecisionInput {
                municipality: Some(LV.into()),
                date: Some("2018-12-01".into()),
                body: Some("council".into()),
                kind: Some("decision".into()),
                title: Some("Weer een jaarlijkse subsidie".into()),
                outcome: Some("adopted".into()),
                lifts: vec![rule.id],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for year in ["2019", "2020", "2021"] {
        let v = money
            .create_subsidy(
                &system,
                &stedenband_domain::funding::SubsidyInput {
                    municipality: Some(LV.into()),
                    foundation: Some(foundation.clone()),
                    kind: Some("yearly-budget".into()),
                    purpose: Some(format!("Werkbudget {year}")),
                    year: Some(year.into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        for (step, date) in [("application", "01-10"), ("grant-decision", "12-01")] {
            let prev: i32 = year.parse::<i32>().unwrap() - 1;
            money
                .add_step(
                    &system,
                    &v.record.id,
                    &stedenband_domain::funding::StepInput {
                        step: Some(step.into()),
                        date: Some(format!("{prev}-{date}")),
                        document: Some(format!("{step} {year}")),
                        amount: Some("5000".into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
    }
    let (status, html) = app
        .page(
            &format!("/municipalities/{LV}/money?from=2019&to=2023"),
            "nl",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="awb-451""#), "{html}");
    assert!(html.contains("stopte in 2022"), "{html}");
    let (_, html) = app
        .page(
            &format!("/municipalities/{LV}/money?from=2019&to=2023"),
            "en",
        )
        .await;
    assert!(html.contains("Awb article 4:51") && html.contains("stopped in 2022"));
}

http_tests!(
    the_overview_and_the_register_render_in_both_languages,
    a_subsidy_recorded_through_the_form_appears_in_the_register,
    a_refused_step_shows_its_error_and_stores_nothing,
    the_downloads_are_what_they_say,
    the_ledger_is_not_for_the_public,
    the_calculator_reproduces_the_seeds_schedule,
    a_subsidy_stopped_without_a_phase_out_is_flagged,
);
