mod support;
use support::*;

// The decision pages on SQLite and PostgreSQL: a municipality's decisions with the demo's 2011
// decisions and their rules in Dutch and English, one decision with what it affects and imposes;
// the public sees no proposed decision; the form records a decision (and lifting the rule allows
// a new twinning again), and a refused form shows each error next to its field and stores
// nothing; the partnership and subsidy forms show a refusal by a rule next to the field, citing
// the decision; the pages of affected records list their decisions in time order; an ended
// partnership shows the banner and no edit links.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use stedenband_app::Caller;
use stedenband_domain::decision::DecisionOutcome;
use stedenband_domain::ending::{CompleteInput, LetterInput, NotifyInput, StartInput};

const LV: &str = "leidschendam-voorburg";
const CUTS: &str = "Bezuinigingen 2011: afbouw van de subsidie voor de stedenbanden";
const KEEP: &str =
    "Stedenbanden niet opheffen; contacten bij de werkgroepen; geen nieuwe stedenbanden";
const MOTION: &str = "Motie Gemeentebelangen: evaluatie van de stedenbanden";
const JUBILEE: &str = "Eenmalige subsidie 25 jaar stedenband met Hranice en Konstancin-Jeziorna";
const PROPOSAL: &str = "Raadsvoorstel: de toekomst van de stedenbanden";

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

/// Every decision of the municipality (as the program sees them): id and title.
async fn stored(app: &App) -> Vec<(String, String, DecisionOutcome)> {
    app.state
        .decisions
        .decisions(&Caller::system(), Some(LV))
        .await
        .unwrap()
        .into_iter()
        .map(|v| {
            (
                v.record.id,
                v.record.draft.title.to_string(),
                v.record.draft.outcome,
            )
        })
        .collect()
}

/// Every rule of the municipality with its history, as text (to compare before and after).
async fn rules(app: &App) -> String {
    format!("{:?}", app.state.decisions.rules(LV).await.unwrap())
}

async fn id_of(app: &App, title_start: &str) -> String {
    stored(app)
        .await
        .into_iter()
        .find(|(_, t, _)| t.starts_with(title_start))
        .unwrap_or_else(|| panic!("no decision {title_start}"))
        .0
}

/// The text of the page from `start` on, up to `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Asserts that the texts appear in this order.
fn in_order(html: &str, texts: &[&str]) {
    let mut at = 0;
    for t in texts {
        let i = html[at..]
            .find(t)
            .unwrap_or_else(|| panic!("{t} not after position {at}"));
        at += i + t.len();
    }
}

async fn the_decisions_and_rules_of_the_demo_are_listed_in_both_languages(app: App) {
    let cuts = id_of(&app, CUTS).await;
    let keep = id_of(&app, KEEP).await;
    for (lang, heading, date, rule_texts, holds) in [
        (
            "nl",
            "Besluiten van Leidschendam-Voorburg",
            "8 november 2011",
            [
                "Geen nieuwe stedenbanden",
                "Subsidie eindigt",
                "Geen begrotingspost",
                "Geen ambtelijke capaciteit",
            ],
            ">geldt<",
        ),
        (
            "en",
            "Decisions of Leidschendam-Voorburg",
            "8 November 2011",
            [
                "No new twinnings",
                "Subsidy ends",
                "No budget line",
                "No staff capacity",
            ],
            ">holds<",
        ),
    ] {
        let (code, html) = app
            .page(&format!("/municipalities/{LV}/decisions"), lang)
            .await;
        // Dates are written with non-breaking spaces, so they do not wrap.
        let html = html.replace('\u{a0}', " ");
        assert_eq!(code, StatusCode::OK, "{lang}");
        assert!(html.contains(heading), "{lang}");
        let list = between(&html, r#"<table id="decisions">"#, "</table>");
        in_order(list, &[MOTION, CUTS, KEEP, JUBILEE]);
        assert!(list.contains(date), "{lang}: the date in words");
        assert!(list.contains(&format!("/decisions/{cuts}")));
        assert!(list.contains(&format!("/decisions/{keep}")));
        assert!(
            !html.contains(PROPOSAL),
            "{lang}: no proposal for the public"
        );
        let rules = between(&html, r#"id="rules-h""#, "</section>");
        for t in rule_texts {
            assert!(rules.contains(t), "{lang}: {t}");
        }
        assert!(rules.contains(holds), "{lang}: in force today");
        assert!(rules.contains(&format!(r#"href="/decisions/{keep}""#)));
        assert!(html.contains(&format!("/municipalities/{LV}/scenarios")));
        assert!(
            !html.contains("/decisions/new"),
            "{lang}: no form for the public"
        );

        // One decision: its text with line breaks kept, what it affects, the rule it imposes.
        let (code, html) = app.page(&format!("/decisions/{keep}"), lang).await;
        assert_eq!(code, StatusCode::OK);
        assert!(html.contains(KEEP));
        assert!(html.contains("De raad besluit de stedenbanden niet op te heffen"));
        let affects = between(&html, r#"id="affects-h""#, "</section>");
        assert!(affects.contains("/partnerships/"), "{lang}: {affects}");
        assert!(affects.contains("/working-groups/"), "{lang}: {affects}");
        assert!(affects.contains("Hranice"));
        let imposed = between(&html, r#"id="rules""#, "</section>");
        assert!(imposed.contains(rule_texts[0]), "{lang}: {imposed}");
        assert!(!html.contains(&format!("/decisions/{keep}/edit")));
        assert!(
            !html.contains("/rules\""),
            "{lang}: no rule form for the public"
        );
    }
    // The municipality page and the money overview show the rules in force, citing the decision.
    let (_, html) = app.page(&format!("/municipalities/{LV}"), "nl").await;
    let force = between(&html, r#"id="rules-in-force-h""#, "</section>");
    assert!(force.contains("Geen nieuwe stedenbanden"), "{force}");
    assert!(force.contains(&format!("/decisions/{keep}")));
    assert!(force.contains(&format!("/decisions/{cuts}")));
    assert!(html.contains(&format!("/municipalities/{LV}/decisions")));
    let (_, html) = app.page(&format!("/municipalities/{LV}/money"), "en").await;
    let force = between(&html, r#"id="rules-in-force-h""#, "</section>");
    for t in ["No budget line", "No staff capacity", "Subsidy ends"] {
        assert!(force.contains(t), "{t}: {force}");
    }
    assert!(!force.contains("No new twinnings"), "not a money rule");
    assert!(force.contains(&format!("/decisions/{cuts}")));

    // The officials: the form, the edit link, the rule form.
    let (_, html) = admin_page(&app, &format!("/municipalities/{LV}/decisions"), "nl").await;
    assert!(html.contains(&format!("/decisions/new?municipality={LV}")));
    assert!(html.contains(PROPOSAL), "the proposal for the officials");
    let (_, html) = admin_page(&app, &format!("/decisions/{keep}"), "nl").await;
    assert!(html.contains(&format!("/decisions/{keep}/edit")));
    assert!(html.contains(&format!(r#"action="/decisions/{keep}/rules""#)));
    for path in [
        "/decisions/geen-besluit",
        "/municipalities/atlantis/decisions",
    ] {
        let (code, _) = app.page(path, "nl").await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{path}");
    }
}

async fn the_public_sees_no_proposed_decision(app: App) {
    let proposal = id_of(&app, PROPOSAL).await;
    let (code, _) = app.page(&format!("/decisions/{proposal}"), "nl").await;
    assert_eq!(code, StatusCode::NOT_FOUND, "a proposal is the officials'");
    let (code, html) = admin_page(&app, &format!("/decisions/{proposal}"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.to_lowercase().contains("voorgesteld"));
    let hranice = app.partnership_id("hranice").await;
    let (_, html) = app.page(&format!("/partnerships/{hranice}"), "nl").await;
    assert!(html.contains(KEEP));
    assert!(
        !html.contains(PROPOSAL),
        "not on the partnership's page either"
    );
    let (_, html) = admin_page(&app, &format!("/partnerships/{hranice}"), "nl").await;
    assert!(html.contains(PROPOSAL));
    // The public is sent to log in for the forms.
    let res = app
        .http
        .get(app.url(&format!("/decisions/new?municipality={LV}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=/decisions/new")
    );
    let before = stored(&app).await;
    let res = app
        .post_form_as(
            "/decisions",
            &[
                ("municipality", LV),
                ("date", "2019-01-01"),
                ("body", "council"),
                ("kind", "decision"),
                ("title", "Anoniem"),
                ("outcome", "adopted"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=/decisions/new")
    );
    assert_eq!(stored(&app).await, before, "nothing stored");
}

async fn refused_forms_show_their_errors_and_store_nothing(app: App) {
    let before = stored(&app).await;
    let rules_before = rules(&app).await;
    let (code, html) = admin_page(&app, &format!("/decisions/new?municipality={LV}"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    for field in [
        "date",
        "body",
        "kind",
        "title",
        "outcome",
        "votesFor",
        "sourceUrl",
        "affectsPartnership",
        "affectsWorkingGroup",
        "affectsSubsidy",
        "affectsSchedule",
        "affectsEvaluation",
        "rules[0].kind",
        "rules[2].schedule",
        "lifts",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(html.contains("Regel 3: afbouwschema"), "numbered rows");

    // An adopted decision in the future, and a rule (in the second row) without its schedule.
    let hranice = app.partnership_id("hranice").await;
    let res = app
        .post_form(
            "/decisions",
            &[
                ("municipality", LV),
                ("date", "2099-01-01"),
                ("body", "council"),
                ("kind", "decision"),
                ("title", "Besluit uit de toekomst"),
                ("outcome", "adopted"),
                ("affectsPartnership", &hranice),
                ("rules[1].kind", "subsidy-ends"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for id in ["e-outcome", "e-rules[1].schedule"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
    }
    assert!(
        !html.contains(r#"id="e-rules[0].schedule""#),
        "at its own row"
    );
    assert!(
        html.contains(r#"value="Besluit uit de toekomst""#),
        "values kept"
    );
    assert!(
        html.contains(&format!(r#"value="{hranice}" checked"#)),
        "the ticks kept"
    );
    assert!(html.contains(r#"<option value="subsidy-ends" selected>"#));

    // A record that is not the municipality's.
    let res = app
        .post_form(
            "/decisions",
            &[
                ("municipality", LV),
                ("date", "2019-01-01"),
                ("body", "council"),
                ("kind", "motion"),
                ("title", "Motie over iets onbekends"),
                ("outcome", "rejected"),
                ("affectsPartnership", "geen-stedenband"),
                ("affectsPartnership", &hranice),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let field = between(
        &html,
        r#"<legend>Gaat over deze stedenbanden"#,
        "</fieldset>",
    );
    assert!(
        field.contains(r#"id="e-affectsPartnership""#),
        "next to the checkboxes: {field}"
    );
    assert!(field.contains("hoort niet bij deze gemeente"), "{field}");

    // A rule on a decision that was not adopted, and a rule without a schedule on its own.
    let res = app
        .post_form(
            "/decisions",
            &[
                ("municipality", LV),
                ("date", "2019-01-01"),
                ("body", "council"),
                ("kind", "motion"),
                ("title", "Verworpen motie"),
                ("outcome", "rejected"),
                ("rules[0].kind", "no-budget-line"),
                ("votesFor", "veel"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for id in ["e-rules[0].kind", "e-votesFor"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    let keep = id_of(&app, KEEP).await;
    let res = app
        .post_form(
            &format!("/decisions/{keep}/rules"),
            &[("kind", "subsidy-ends"), ("from", "2012-01-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-schedule""#));
    assert!(html.contains(r#"value="2012-01-01""#));
    assert_eq!(stored(&app).await, before, "nothing stored");
    assert_eq!(rules(&app).await, rules_before, "no rule stored");

    // Changing a decision: its errors next to the fields too.
    let res = app
        .post_form(
            &format!("/decisions/{keep}"),
            &[
                ("date", "2011-11-08"),
                ("body", "council"),
                ("kind", "decision"),
                ("title", ""),
                ("outcome", "adopted"),
                ("sourceUrl", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for id in ["e-title", "e-sourceUrl"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert_eq!(stored(&app).await, before, "nothing changed");
}

async fn a_decision_is_recorded_changed_and_lifts_a_rule(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let no_new = app
        .state
        .decisions
        .rules(LV)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind.as_str() == "no-new-twinnings")
        .unwrap()
        .id;
    // Before: a new municipal twinning is refused, next to "initiator", citing the decision.
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/municipalities",
            &serde_json::json!({ "name": "Ústí nad Labem", "country": "cz" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let twinning = [
        ("home", LV),
        ("partner", "Ústí nad Labem"),
        ("kind", "friendship"),
        ("initiator", "local-government"),
        ("start", "2020"),
        ("status", "active"),
    ];
    let partnerships_before = app.snapshot().await;
    let res = app.post_form("/partnerships", &twinning).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let field = between(&html, r#"<label for="f-initiator">"#, "</select>");
    assert!(
        field.contains(r#"id="e-initiator""#),
        "{}",
        between(&html, "error-summary", "</div>")
    );
    assert!(field.contains(KEEP), "the decision cited: {field}");
    assert!(field.contains("8 november 2011"), "{field}");
    assert!(html.contains(r#"value="Ústí nad Labem""#), "values kept");
    assert_eq!(app.snapshot().await, partnerships_before, "nothing stored");

    // The subsidy form: a yearly budget subsidy after the phase-out, next to "year".
    let foundation = app
        .state
        .organisation
        .foundations(Some(LV))
        .await
        .unwrap()
        .remove(0)
        .id;
    let res = app
        .post_form(
            &format!("/municipalities/{LV}/subsidies"),
            &[
                ("foundation", &foundation),
                ("grantor", "municipality"),
                ("kind", "yearly-budget"),
                ("purpose", "Jaarlijkse subsidie stedenbanden"),
                ("year", "2016"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let field = between(&html, r#"<label for="f-year">"#, "</div>");
    assert!(field.contains(r#"id="e-year""#), "{field}");
    assert!(field.contains(CUTS), "the decision cited: {field}");
    assert!(html.contains(r#"value="Jaarlijkse subsidie stedenbanden""#));

    // A later decision through the form: about Hranice, lifting "no new twinnings".
    let res = app
        .post_form(
            "/decisions",
            &[
                ("municipality", LV),
                ("date", "2019-05-14"),
                ("body", "council"),
                ("kind", "decision"),
                ("reference", "RB-2019-07"),
                ("title", "Ruimte voor nieuwe stedenbanden"),
                ("text", "Eerste alinea.\r\nTweede regel."),
                ("outcome", "adopted"),
                ("votesFor", "20"),
                ("votesAgainst", "13"),
                ("sourceUrl", "https://raad.example.nl/besluit/2019-07"),
                ("affectsPartnership", &hranice),
                ("rules[1].kind", "no-staff-capacity"),
                ("rules[1].from", "2020-01-01"),
                ("lifts", &no_new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/decisions/"), "{to}");
    let id = to.trim_start_matches("/decisions/").to_owned();
    let (code, html) = app.page(&to, "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        html.contains("Eerste alinea.<br>Tweede regel."),
        "line breaks kept"
    );
    assert!(html.contains("Aangenomen (20 voor, 13 tegen)"));
    assert!(html.contains("RB-2019-07"));
    assert!(html.contains(r#"href="https://raad.example.nl/besluit/2019-07""#));
    assert!(html.contains(&format!(r#"href="/partnerships/{hranice}""#)));
    let html = html.replace('\u{a0}', " ");
    let imposed = between(&html, r#"id="rules""#, "</section>");
    assert!(imposed.contains("Geen ambtelijke capaciteit"), "{imposed}");
    assert!(imposed.contains("1 januari 2020"));
    let lifted = between(&html, r#"id="lifted-h""#, "</table>");
    assert!(lifted.contains("Geen nieuwe stedenbanden"), "{lifted}");
    // The rule's history on the list: imposed in 2011, lifted by this decision.
    let (_, html) = app
        .page(&format!("/municipalities/{LV}/decisions"), "nl")
        .await;
    let row = between(&html, "rule-no-new-twinnings", "</tr>");
    assert!(
        row.contains(KEEP) && row.contains("Ruimte voor nieuwe stedenbanden"),
        "{row}"
    );
    assert!(row.contains(">geldt niet<"), "{row}");

    // Lifting the rule allows a new twinning again.
    let res = app.post_form("/partnerships", &twinning).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Changing it: the form shows the stored values and ticks; the change is kept.
    let (code, html) = admin_page(&app, &format!("/decisions/{id}/edit"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"value="Ruimte voor nieuwe stedenbanden""#));
    assert!(html.contains(&format!(r#"value="{hranice}" checked"#)));
    assert!(
        !html.contains(r#"name="rules[0].kind""#),
        "rules are added on the page"
    );
    let res = app
        .post_form(
            &format!("/decisions/{id}"),
            &[
                ("date", "2019-05-14"),
                ("body", "council"),
                ("kind", "decision"),
                ("title", "Ruimte voor nieuwe stedenbanden (gewijzigd)"),
                ("outcome", "adopted"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&to, "en").await;
    assert!(html.contains("Ruimte voor nieuwe stedenbanden (gewijzigd)"));
    assert!(html.contains("It has not been recorded what this decision is about."));

    // A rule added to it on its page.
    let res = app
        .post_form(
            &format!("/decisions/{id}/rules"),
            &[("kind", "no-budget-line"), ("from", "2020-01-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/decisions/{id}#rules")
    );
    let (_, html) = app.page(&to, "en").await;
    let imposed = between(&html, r#"id="rules""#, "</section>");
    assert!(imposed.contains("No budget line"), "{imposed}");
}

async fn the_pages_of_affected_records_list_their_decisions_in_time_order(app: App) {
    let hranice = app.partnership_id("hranice").await;
    for (lang, heading) in [("nl", "Besluiten"), ("en", "Decisions")] {
        let (_, html) = app.page(&format!("/partnerships/{hranice}"), lang).await;
        let list = between(&html, r#"id="decisions""#, "</section>");
        assert!(list.contains(heading), "{lang}");
        in_order(list, &[CUTS, KEEP, JUBILEE]);
    }
    let jubilee = id_of(&app, JUBILEE).await;
    let (_, html) = app.page(&format!("/partnerships/{hranice}"), "nl").await;
    assert!(html.contains(&format!(r#"href="/decisions/{jubilee}""#)));
    assert!(html.contains("aangenomen"));

    // The 2009 evaluation: the motion that led to it.
    let (_, evaluations) = app.get_json("/api/v1/evaluations").await;
    let e2009 = evaluations
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["year"] == 2009)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, html) = app.page(&format!("/evaluations/{e2009}"), "nl").await;
    assert!(between(&html, r#"id="decisions""#, "</section>").contains(MOTION));

    // The subsidies of 2012-2014 and the schedule: the cuts; the 2015 grant: the jubilee.
    let subsidies = app
        .state
        .money
        .subsidies(&Caller::system(), LV)
        .await
        .unwrap();
    let find = |kind: &str, year: i16| {
        subsidies
            .iter()
            .find(|v| v.record.draft.kind.as_str() == kind && v.record.draft.year == year)
            .unwrap()
            .record
            .id
            .clone()
    };
    let (_, html) = app
        .page(&format!("/subsidies/{}", find("yearly-budget", 2013)), "nl")
        .await;
    assert!(between(&html, r#"id="decisions""#, "</section>").contains(CUTS));
    let (_, html) = app
        .page(&format!("/subsidies/{}", find("one-off-grant", 2015)), "en")
        .await;
    assert!(between(&html, r#"id="decisions""#, "</section>").contains(JUBILEE));
    let (_, html) = app
        .page(&format!("/municipalities/{LV}/phase-out-schedules"), "nl")
        .await;
    assert!(between(&html, r#"id="decisions-"#, "</section>").contains(CUTS));
    // A working group: the decision to leave the contacts to the groups.
    let (_, html) = app.page("/working-groups/werkgroep-hranice", "nl").await;
    assert!(between(&html, r#"id="decisions""#, "</section>").contains(KEEP));
}

async fn an_ended_partnership_is_read_only_with_the_reason(app: App) {
    let temecula = app.partnership_id("temecula").await;
    let (_, html) = admin_page(&app, &format!("/partnerships/{temecula}"), "nl").await;
    assert!(html.contains(&format!(r#"href="/partnerships/{temecula}/ending""#)));
    assert!(html.contains("Stedenband beëindigen"));
    assert!(html.contains(&format!("/partnerships/{temecula}/edit")));
    let (_, html) = app.page(&format!("/partnerships/{temecula}"), "nl").await;
    assert!(!html.contains("/ending\""), "not for the public");

    // Ended through the app layer: decision, letter, notification, completion.
    let keep = id_of(&app, KEEP).await;
    let system = Caller::system();
    let d = &app.state.decisions;
    d.start_ending(
        &system,
        &temecula,
        &StartInput {
            decision: Some(keep.clone()),
            reason: Some("Geen gezamenlijke activiteiten meer sinds jaren".into()),
        },
    )
    .await
    .unwrap();
    d.record_letter(
        &system,
        &temecula,
        &LetterInput {
            sent_on: Some("2012-02-01".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    d.record_notification(
        &system,
        &temecula,
        &NotifyInput {
            on: Some("2012-03-01".into()),
            how: Some("per brief".into()),
        },
    )
    .await
    .unwrap();
    d.complete_ending(
        &system,
        &temecula,
        &CompleteInput {
            end_on: Some("2012-12-31".into()),
            final_status: Some("civil-society-only".into()),
        },
    )
    .await
    .unwrap();

    for (lang, banner, status) in [
        (
            "nl",
            "Beëindigd op 31 december 2012 (besluit „Stedenbanden niet opheffen",
            "alleen nog gedragen door de samenleving",
        ),
        (
            "en",
            "Ended on 31 December 2012 (decision “Stedenbanden niet opheffen",
            "carried on by civil society only",
        ),
    ] {
        let (code, html) = admin_page(&app, &format!("/partnerships/{temecula}"), lang).await;
        assert_eq!(code, StatusCode::OK);
        let b = between(&html, r#"id="ended""#, "</div>");
        assert!(b.contains(banner), "{lang}: {b}");
        assert!(b.contains("Geen gezamenlijke activiteiten meer sinds jaren"));
        assert!(b.contains(status), "{lang}: {b}");
        assert!(b.contains(&format!(r#"href="/decisions/{keep}""#)));
        assert!(
            !html.contains(&format!("/partnerships/{temecula}/edit")),
            "{lang}: no edit link"
        );
        assert!(
            !html.contains(&format!(r#"action="/partnerships/{temecula}/events""#)),
            "{lang}: no history form"
        );
        assert!(!html.contains("/activities/new"), "{lang}: no new activity");
        assert!(!html.contains("/ending\""), "{lang}: the ending is done");
    }
    assert!(
        between(
            &app.page(&format!("/partnerships/{temecula}"), "nl").await.1,
            r#"id="ended""#,
            "</div>"
        )
        .contains("deze gegevens zijn alleen nog te lezen")
    );
    // The edit form leads back to the page that says why.
    let res = app
        .http
        .get(app.url(&format!("/partnerships/{temecula}/edit")))
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/partnerships/{temecula}")
    );
}

http_tests!(
    the_decisions_and_rules_of_the_demo_are_listed_in_both_languages,
    the_public_sees_no_proposed_decision,
    refused_forms_show_their_errors_and_store_nothing,
    a_decision_is_recorded_changed_and_lifts_a_rule,
    the_pages_of_affected_records_list_their_decisions_in_time_order,
    an_ended_partnership_is_read_only_with_the_reason,
);
