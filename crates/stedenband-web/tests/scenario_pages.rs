mod support;
use support::*;

// The pages for policy options and for ending a twinning, on SQLite and PostgreSQL: the demo's
// options A, B and C are listed with A marked as the proposal in Dutch and English; the
// comparison's figures per year are those the test computes itself from each option's present
// situation and changes (not by calling the projection), on the page and in the CSV; the adopt
// page shows the dry run and a post adopts, a second post is refused and changes nothing; a
// refused option form shows its errors next to the fields and stores nothing; the ending goes
// through its four forms, its letter tells the bond's years and held activities (counted here
// from the activity numbers), steps out of order are refused and the public reads it once
// started.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use stedenband_app::{Caller, ScenarioView};
use stedenband_domain::decision::DecisionOutcome;
use stedenband_domain::money::Euros;
use stedenband_domain::scenario::{Change, LineKey};
use stedenband_web::i18n::Lang;

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

/// The demo's options by code.
async fn options(app: &App) -> BTreeMap<String, ScenarioView> {
    app.state
        .decisions
        .scenarios(&Caller::public(), LV)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.record.draft.code.clone(), v))
        .collect()
}

/// The cells of the table row with this id, as text.
fn row_cells(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!(r#"<tr id="{id}">"#))
        .unwrap_or_else(|| panic!("row {id}"));
    let row = &html[start..];
    let row = &row[..row.find("</tr>").unwrap()];
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find(['<']) {
        rest = &rest[i..];
        if rest.starts_with("<td") || rest.starts_with("<th") {
            let open = rest.find('>').unwrap();
            let body = &rest[open + 1..];
            let close = body.find("</t").unwrap();
            out.push(body[..close].to_owned());
            rest = &body[close..];
        } else {
            rest = &rest[1..];
        }
    }
    out
}

fn nl_eur(e: Euros) -> String {
    e.format_nl().replacen("€ ", "€\u{a0}", 1)
}

fn nl_count(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// One option's municipal cash, in kind and staff hours for a year, computed here: every line
/// of the present situation keeps its amount unless a change of the option covers the year
/// (the last one that does counts), lines the changes add start at zero; the staff capacity
/// likewise.
fn expected(v: &ScenarioView, year: i16) -> (Euros, Euros, u32) {
    let mut lines: BTreeMap<LineKey, Euros> = v.baseline.lines.iter().cloned().collect();
    let covers = |from: i16, to: Option<i16>| from <= year && to.is_none_or(|t| year <= t);
    let mut staff = v.baseline.staff_hours;
    for c in &v.record.draft.changes {
        match c {
            Change::Line {
                line,
                line_kind,
                working_group,
                in_kind,
                from,
                to,
                amount,
            } => {
                let key = LineKey {
                    line: line.to_string(),
                    line_kind: *line_kind,
                    working_group: working_group.clone(),
                    in_kind: *in_kind,
                };
                let slot = lines.entry(key).or_insert(Euros::ZERO);
                if covers(*from, *to) {
                    *slot = *amount;
                }
            }
            Change::Staff { from, to, hours } if covers(*from, *to) => staff = *hours,
            _ => {}
        }
    }
    let (mut cash, mut in_kind) = (Euros::ZERO, Euros::ZERO);
    for (k, a) in lines {
        if k.in_kind {
            in_kind += a;
        } else {
            cash += a;
        }
    }
    (cash, in_kind, staff)
}

fn cents_text(e: Euros) -> String {
    let c = e.cents();
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

async fn the_options_are_listed_with_the_proposal_marked(app: App) {
    let opts = options(&app).await;
    assert_eq!(
        opts.keys().map(String::as_str).collect::<Vec<_>>(),
        ["A", "B", "C"]
    );
    for (lang, proposal, heading) in [
        ("nl", "voorstel", "Beleidsopties van Leidschendam-Voorburg"),
        ("en", "proposal", "Policy options of Leidschendam-Voorburg"),
    ] {
        let (code, html) = app
            .page(&format!("/municipalities/{LV}/scenarios"), lang)
            .await;
        assert_eq!(code, StatusCode::OK, "{lang}");
        assert!(html.contains(heading), "{lang}");
        let items: Vec<&str> = html.split(r#"<li class="scenario"#).skip(1).collect();
        assert_eq!(items.len(), 3, "{lang}: three options");
        for (item, (code, title, proposed)) in items.iter().zip([
            ("A", "Beëindigen", true),
            ("B", "Nieuw leven inblazen", false),
            ("C", "Berusten in de huidige situatie", false),
        ]) {
            let item = item.split("</li>\n").next().unwrap();
            assert!(
                item.contains(&format!(
                    r#"<span class="scenario-code">{code}</span> {title}"#
                )),
                "{lang} {code}: {item}"
            );
            assert_eq!(
                item.contains(&format!(r#"proposal">{proposal}</strong>"#)),
                proposed,
                "{lang} {code}: the proposal marked"
            );
            assert!(item.contains(&format!("/scenarios/{}", opts[code].record.id)));
        }
        for v in opts.values() {
            assert!(
                html.contains(&format!(r#"name="ids" value="{}" checked"#, v.record.id)),
                "{lang}: each option to compare"
            );
        }
        assert!(
            !html.contains("/scenarios/new"),
            "{lang}: no form for the public"
        );
        assert!(
            !html.contains("/adopt"),
            "{lang}: no adoption for the public"
        );
        // One option's page.
        let (code, html) = app
            .page(&format!("/scenarios/{}", opts["A"].record.id), lang)
            .await;
        assert_eq!(code, StatusCode::OK);
        assert!(html.contains(&format!(r#"proposal">{proposal}</strong>"#)));
        assert!(html.contains(r#"id="lines""#) && html.contains(r#"id="statuses""#));
        assert!(
            html.contains(r#"id="group-1""#),
            "{lang}: the working groups' gaps"
        );
    }
    let (_, html) = app
        .page(&format!("/scenarios/{}", opts["A"].record.id), "nl")
        .await;
    assert!(
        html.contains(
            "Stedenband met Hranice: alleen gedragen door de samenleving vanaf 1 juli 2018."
        ),
        "the changes in words"
    );
    assert!(html.contains("Ambtelijke capaciteit: 0 uur per jaar, vanaf 2018."));
    assert!(html.contains("De uitgangssituatie"));
    // Another horizon; a reversed one is refused next to its field.
    let (code, html) = app
        .page(
            &format!("/scenarios/{}?from=2020&to=2021", opts["B"].record.id),
            "nl",
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("<th scope=\"col\" class=\"amount\">2021</th>"));
    assert!(!html.contains("<th scope=\"col\" class=\"amount\">2019</th>"));
    let (code, html) = app
        .page(
            &format!("/scenarios/{}?from=2022&to=2020", opts["B"].record.id),
            "nl",
        )
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="e-to""#));
    // Officials get the ways to adopt and to add an option.
    let (_, html) = admin_page(&app, &format!("/municipalities/{LV}/scenarios"), "en").await;
    assert!(html.contains(&format!("/scenarios/new?municipality={LV}")));
    assert!(html.contains(&format!("/scenarios/{}/adopt", opts["A"].record.id)));
    for path in [
        "/scenarios/geen-optie",
        "/municipalities/atlantis/scenarios",
    ] {
        assert_eq!(
            app.page(path, "nl").await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn the_comparison_adds_up_per_year(app: App) {
    let opts = options(&app).await;
    let ids: Vec<&str> = ["A", "B", "C"]
        .iter()
        .map(|c| opts[*c].record.id.as_str())
        .collect();
    let horizon = opts["A"].horizon;
    assert!(
        opts.values().all(|v| v.horizon == horizon),
        "the demo's options share a horizon"
    );
    let query = format!("ids={}", ids.join(","));
    let (code, html) = app.page(&format!("/scenarios/compare?{query}"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    // The chart: a bar for every option in every year, each with its exact figure.
    let svg = &html[html.find("<svg").expect("the chart")..];
    let svg = &svg[..svg.find("</svg>").unwrap() + "</svg>".len()];
    let doc = roxmltree::Document::parse(svg).expect("the chart is XML");
    let bars: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("chart-bars"))
        .flat_map(|g| g.children().filter(|n| n.has_tag_name("rect")))
        .map(|r| {
            r.children()
                .find(|n| n.has_tag_name("title"))
                .unwrap()
                .text()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(bars.len(), 3 * horizon.years().count());
    let (cash, in_kind, _) = expected(&opts["B"], 2020);
    let b2020 = (cash + in_kind).cents();
    assert!(
        bars.contains(&format!(
            "2020, B: Nieuw leven inblazen: €\u{a0}{}",
            nl_count(b2020 / 100)
        )),
        "{bars:?}"
    );
    assert!(html.contains("/scenarios/compare.csv?"));
    let res = app
        .http
        .get(app.url(&format!("/scenarios/compare.csv?{query}")))
        .header("accept-language", "nl")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        res.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"scenarios-leidschendam-voorburg-A-B-C.csv\"")
    );
    let csv = res.text().await.unwrap();
    let mut csv_lines = csv.lines();
    assert_eq!(
        csv_lines.next().unwrap(),
        "Jaar,A: geld,A: in natura,A: uren,B: geld,B: in natura,B: uren,B: verschil met A,\
         C: geld,C: in natura,C: uren,C: verschil met A"
    );
    let mut checked_b = false;
    for year in horizon.years() {
        let per: Vec<(Euros, Euros, u32)> = ["A", "B", "C"]
            .iter()
            .map(|c| expected(&opts[*c], year))
            .collect();
        let first = per[0].0 + per[0].1;
        let mut cells = vec![year.to_string()];
        let mut csv_cells = vec![year.to_string()];
        for (i, (cash, in_kind, staff)) in per.iter().enumerate() {
            cells.push(nl_eur(*cash));
            cells.push(nl_eur(*in_kind));
            cells.push(nl_count(i64::from(*staff)));
            csv_cells.push(cents_text(*cash));
            csv_cells.push(cents_text(*in_kind));
            csv_cells.push(staff.to_string());
            if i > 0 {
                cells.push(nl_eur(*cash + *in_kind - first));
                csv_cells.push(cents_text(*cash + *in_kind - first));
            }
        }
        assert_eq!(row_cells(&html, &format!("year-{year}")), cells, "{year}");
        assert_eq!(csv_lines.next().unwrap(), csv_cells.join(","), "{year}");
        if year >= 2019 {
            // B's new subsidies (8164 + 8163 + 8163) and budget line (5000) from 2019.
            assert_eq!(per[1].0, Euros::from_whole(8_164 + 8_163 + 8_163 + 5_000));
            assert_eq!(per[1].2, 360);
            checked_b = true;
        }
        assert_eq!(per[0].2, 0, "A: no staff capacity");
    }
    assert!(checked_b);
    assert!(csv_lines.next().unwrap().starts_with("Totaal,"));
    // The partnerships at the end: A leaves them to civil society, C keeps them as they are.
    let end = html
        .split(r#"id="end-statuses""#)
        .nth(1)
        .expect("end statuses");
    let hranice = app.partnership_id("hranice").await;
    let row = end
        .split(&format!(r#"<a href="/partnerships/{hranice}">"#))
        .nth(1)
        .unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>Alleen gedragen door de samenleving</td>"),
        "{row}"
    );
    // Two options of another horizon compare over the first's; one option is not enough.
    let (code, html) = app
        .page(
            &format!(
                "/scenarios/compare?ids={}&ids={}&from=2020&to=2021",
                ids[1], ids[0]
            ),
            "en",
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"<tr id="year-2021">"#) && !html.contains(r#"<tr id="year-2019">"#));
    assert!(html.contains("A: difference to B"));
    let (code, html) = app
        .page(&format!("/scenarios/compare?ids={}", ids[0]), "en")
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="e-ids""#), "the error at the choice");
}

async fn an_option_is_adopted_once(app: App) {
    let opts = options(&app).await;
    let a = opts["A"].record.id.clone();
    // The public is sent to log in; the dry run is the officials'.
    let res = app
        .http
        .get(app.url(&format!("/scenarios/{a}/adopt")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let run = app
        .state
        .decisions
        .dry_run(&Caller::system(), &a, None)
        .await
        .unwrap();
    let (code, html) = admin_page(&app, &format!("/scenarios/{a}/adopt"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    let mut statuses = 0;
    for e in &run.effects {
        match e {
            stedenband_domain::scenario::Effect::Status { partnership, .. } => {
                let name = &opts["A"].names[partnership];
                assert!(
                    html.contains(&format!(
                        "{name}: van actief naar alleen gedragen door de samenleving op 1 juli 2018."
                    )),
                    "{name}"
                );
                statuses += 1;
            }
            stedenband_domain::scenario::Effect::ImposeRule { .. } => {
                assert!(html.contains("Regel opgelegd: "))
            }
            stedenband_domain::scenario::Effect::LiftRule { .. } => {
                assert!(html.contains("Regel opgeheven: "))
            }
            _ => {}
        }
    }
    assert_eq!(statuses, 3, "three partnerships change");
    assert!(
        html.contains("Ambtelijke capaciteit: 0 uur"),
        "the plan in words"
    );
    for field in [
        "date",
        "body",
        "kind",
        "reference",
        "title",
        "votesFor",
        "sourceUrl",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    // A decision without a title is refused next to the field, and nothing changes.
    let before = app.snapshot().await;
    let form = |title: &'static str| {
        vec![
            ("date", "2018-07-02"),
            ("body", "council"),
            ("kind", "decision"),
            ("reference", "RV 2018-12"),
            ("title", title),
            ("votesFor", "21"),
            ("votesAgainst", "14"),
        ]
    };
    let res = app
        .post_form(&format!("/scenarios/{a}/adopt"), &form(""))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="e-title""#));
    assert_eq!(app.snapshot().await, before);
    // A decision taken before the option's status changes cannot carry them out.
    let mut early = form("Toekomst van de stedenbanden: optie A");
    early[0].1 = "2018-03-29";
    let res = app
        .post_form(&format!("/scenarios/{a}/adopt"), &early)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-date""#), "{html}");
    assert!(html.contains(r#"value="2018-03-29""#), "the date kept");
    assert!(
        html.contains("Ambtelijke capaciteit: 0 uur"),
        "the dry run still shown"
    );
    assert_eq!(app.snapshot().await, before);
    let res = app
        .post_form(
            &format!("/scenarios/{a}/adopt"),
            &form("Toekomst van de stedenbanden: optie A"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], format!("/scenarios/{a}"));
    let (_, html) = app.page(&format!("/scenarios/{a}"), "nl").await;
    assert!(html.contains(
        "Aangenomen bij besluit „Toekomst van de stedenbanden: optie A” van 2 juli 2018, RV 2018-12."
    ));
    let (_, html) = app.page(&format!("/scenarios/{a}"), "en").await;
    assert!(html.contains("Adopted by decision"));
    for partner in ["hranice", "konstancin-jeziorna", "temecula"] {
        let id = app.partnership_id(partner).await;
        let (_, p) = app.get_json(&format!("/api/v1/partnerships/{id}")).await;
        assert_eq!(p["status"], "civil-society-only", "{partner}");
    }
    // A second adoption is refused with the error shown; nothing changes.
    let before = app.snapshot().await;
    let decisions = app
        .state
        .decisions
        .decisions(&Caller::system(), Some(LV))
        .await
        .unwrap()
        .len();
    let res = app
        .post_form(&format!("/scenarios/{a}/adopt"), &form("Nog een keer"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Dit scenario is al aangenomen"), "{html}");
    assert!(!html.contains(r#"action="/scenarios/"#), "no form any more");
    assert_eq!(app.snapshot().await, before);
    assert_eq!(
        app.state
            .decisions
            .decisions(&Caller::system(), Some(LV))
            .await
            .unwrap()
            .len(),
        decisions
    );
    let (code, html) = admin_page(&app, &format!("/scenarios/{a}/adopt"), "en").await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("cannot be adopted"));
}

async fn a_refused_option_form_stores_nothing(app: App) {
    let count = || async { options(&app).await.len() };
    assert_eq!(count().await, 3);
    let (code, html) = admin_page(&app, &format!("/scenarios/new?municipality={LV}"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    for field in [
        "code",
        "horizonFrom",
        "changes[0].kind",
        "changes[0].partnership",
        "changes[4].hours",
        "changes[2].inKind",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(
        html.contains("Wijziging 5: uren per jaar"),
        "numbered labels"
    );
    let hranice = app.partnership_id("hranice").await;
    // The horizon reversed.
    let res = app
        .post_form(
            "/scenarios",
            &[
                ("municipality", LV),
                ("code", "D"),
                ("title", "Alleen Hranice"),
                ("horizonFrom", "2022"),
                ("horizonTo", "2019"),
                ("changes[0].kind", "status"),
                ("changes[0].partnership", &hranice),
                ("changes[0].status", "ended"),
                ("changes[0].on", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-horizonTo""#), "{html}");
    assert!(html.contains("Het eindjaar ligt vóór het beginjaar."));
    assert!(
        html.contains(r#"value="Alleen Hranice""#),
        "the values kept"
    );
    // A change on another municipality's partnership.
    let res = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/partnerships",
            &json!({"home": "temecula", "partner": "hranice", "kind": "friendship",
                    "initiator": "local-government", "start": "2000"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let other: Value = res.json().await.unwrap();
    let other = other["id"].as_str().unwrap().to_owned();
    let res = app
        .post_form(
            "/scenarios",
            &[
                ("municipality", LV),
                ("code", "D"),
                ("title", "Temecula"),
                ("horizonFrom", "2019"),
                ("horizonTo", "2022"),
                ("changes[1].kind", "status"),
                ("changes[1].partnership", &other),
                ("changes[1].status", "ended"),
                ("changes[1].on", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="e-changes[1].partnership""#), "{html}");
    assert!(html.contains("Deze stedenband is niet van deze gemeente."));
    assert_eq!(count().await, 3, "nothing stored");
    // A good one is stored and shown.
    let res = app
        .post_form(
            "/scenarios",
            &[
                ("municipality", LV),
                ("code", "D"),
                ("title", "Alleen Hranice"),
                ("horizonFrom", "2019"),
                ("horizonTo", "2021"),
                ("changes[0].kind", "status"),
                ("changes[0].partnership", &hranice),
                ("changes[0].status", "ended"),
                ("changes[0].on", "2020-01-01"),
                ("changes[2].kind", "line"),
                ("changes[2].line", "Kerstboom"),
                ("changes[2].lineKind", "contribution"),
                ("changes[2].inKind", "on"),
                ("changes[2].from", "2020"),
                ("changes[2].amount", "6.500"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
    assert_eq!(count().await, 4);
    let (_, html) = app.page(&to, "nl").await;
    assert!(html.contains("Stedenband met Hranice: beëindigd vanaf 1 januari 2020."));
    assert!(
        html.contains("Kerstboom (bijdrage, in natura): €\u{a0}6.500,00 per jaar, vanaf 2020.")
    );
    // The public may not post.
    let res = app
        .post_form_as(
            "/scenarios",
            &[("municipality", LV), ("code", "E"), ("title", "X")],
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert_eq!(count().await, 4);
}

async fn a_twinning_is_ended_step_by_step(app: App) {
    let pid = app.partnership_id("hranice").await;
    let page = format!("/partnerships/{pid}/ending");
    // Before it starts, the ending is the officials' business.
    let res = app.http.get(app.url(&page)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (code, html) = admin_page(&app, &page, "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"aria-current="step""#));
    assert!(html.contains(r#"name="decision""#) && html.contains(r#"name="reason""#));
    // A later step before the start: there is no ending to take it in.
    let res = app
        .post_form(&format!("{page}/letter"), &[("sentOn", "2018-04-01")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let decisions = app
        .state
        .decisions
        .decisions(&Caller::system(), Some(LV))
        .await
        .unwrap();
    let keep = decisions
        .iter()
        .find(|d| {
            d.record.draft.outcome == DecisionOutcome::Adopted
                && d.record
                    .draft
                    .title
                    .as_str()
                    .starts_with("Stedenbanden niet opheffen")
        })
        .unwrap()
        .record
        .id
        .clone();
    let proposal = decisions
        .iter()
        .find(|d| d.record.draft.outcome == DecisionOutcome::Proposed)
        .unwrap()
        .record
        .id
        .clone();
    // A proposal is no ground to end it.
    let res = app
        .post_form(&page, &[("decision", &proposal), ("reason", "Optie A")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(r#"id="e-decision""#));
    assert!(
        app.state
            .decisions
            .ending(&Caller::system(), &pid)
            .await
            .unwrap()
            .is_none()
    );
    let res = app
        .post_form(
            &page,
            &[
                ("decision", &keep),
                ("reason", "De raad laat de contacten aan de werkgroepen."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], format!("{page}#steps"));

    // The letter tells the years since the start and the activities held, counted here.
    let numbers = app
        .state
        .activities
        .numbers_per_year(&Caller::system(), &pid)
        .await
        .unwrap();
    let held: u32 = numbers.iter().map(|y| y.activities).sum();
    let with: Vec<i16> = numbers
        .iter()
        .filter(|y| y.activities > 0)
        .map(|y| y.year)
        .collect();
    assert!(
        held > 1 && with.len() > 1,
        "the demo holds activities with Hranice"
    );
    let (_, p) = app.get_json(&format!("/api/v1/partnerships/{pid}")).await;
    let start: i16 = p["start"].as_str().unwrap()[..4].parse().unwrap();
    let years = stedenband_app::organisation::today().year() - start;
    let (first, last) = (with[0], with[with.len() - 1]);
    let (code, html) = admin_page(&app, &page, "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"name="letterNl""#) && html.contains(r#"name="letterEn""#));
    assert!(
        html.contains(&format!("{years} jaar van ontmoetingen")),
        "{html}"
    );
    assert!(
        html.contains(&format!("tussen {first} en {last}")),
        "{html}"
    );
    assert!(html.contains(&format!(" {held} activiteiten gehouden")));
    assert!(html.contains(&format!("{years} years of meetings")));
    assert!(html.contains(&format!(
        "In those years {held} activities took place between {first} and {last}"
    )));
    // The public reads it now.
    let (code, html) = app.page(&page, "en").await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        !html.contains(r#"name="letterNl""#),
        "no form for the public"
    );
    assert!(html.contains("De raad laat de contacten aan de werkgroepen."));

    // Steps out of order are refused and change nothing.
    let stored = || async {
        app.state
            .decisions
            .ending(&Caller::system(), &pid)
            .await
            .unwrap()
            .unwrap()
            .ending
    };
    let before = stored().await;
    let res = app
        .post_form(
            &format!("{page}/completion"),
            &[("endOn", "2030-01-01"), ("finalStatus", "ended")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Leg eerst vast dat de partner op de hoogte is gebracht.")
    );
    let res = app
        .post_form(&format!("{page}/notification"), &[("on", "2030-01-01")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Verstuur eerst de brief aan de partnerstad.")
    );
    let res = app
        .post_form(&page, &[("decision", &keep), ("reason", "Nog eens")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored().await, before);

    // The letter, edited, sent; the notification; the closing.
    let today = stedenband_app::organisation::today().to_string();
    let letter_nl = format!("{}\nPS: tot ziens in Hranice.", before.letter_nl);
    let res = app
        .post_form(
            &format!("{page}/letter"),
            &[
                ("letterNl", &letter_nl),
                ("letterEn", &before.letter_en),
                ("sentOn", &today),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        stored()
            .await
            .letter_nl
            .ends_with("PS: tot ziens in Hranice.")
    );
    let res = app
        .post_form(
            &format!("{page}/notification"),
            &[("on", &today), ("how", "Bezoek van de burgemeester")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &format!("{page}/completion"),
            &[("endOn", &today), ("finalStatus", "civil-society-only")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (code, html) = admin_page(&app, &page, "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"id="archived""#));
    assert!(
        !html.contains(r#"method="post" action="/partnerships/"#),
        "read-only"
    );
    assert!(html.contains("Bezoek van de burgemeester"));
    assert!(html.contains("PS: tot ziens in Hranice."));
    let res = app
        .post_form(&format!("{page}/letter"), &[("sentOn", &today)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, p) = app.get_json(&format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(p["status"], "civil-society-only");

    // The letter to print, in either language, for everyone.
    let (code, html) = app.page(&format!("{page}/letter?lang=en"), "nl").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"<article class="letter printable" lang="en">"#));
    assert!(html.contains(&format!("{years} years of meetings")));
    assert!(html.contains(&format!("{page}/letter?lang=nl")));
    let (_, html) = app.page(&format!("{page}/letter?lang=nl"), "nl").await;
    assert!(html.contains("PS: tot ziens in Hranice."));
}

http_tests!(
    the_options_are_listed_with_the_proposal_marked,
    the_comparison_adds_up_per_year,
    an_option_is_adopted_once,
    a_refused_option_form_stores_nothing,
    a_twinning_is_ended_step_by_step,
);

// ---- translations -----------------------------------------------------------------------------

fn keys(lang: &str) -> Vec<String> {
    let path = format!(
        "{}/../../locales/{lang}/scenarios.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut k: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(" ="))
        .map(|(k, _)| k.to_owned())
        .filter(|k| !k.starts_with('#'))
        .collect();
    k.sort();
    k
}

#[test]
fn dutch_and_english_hold_the_same_scenario_keys() {
    let nl = keys("nl");
    assert!(nl.len() > 100);
    assert_eq!(nl, keys("en"));
    assert!(
        nl.iter()
            .all(|k| k.starts_with("scenario-") || k.starts_with("ending-"))
    );
}

/// Every `scenario-…` and `ending-…` key the pages use exists in both languages; the prefixes of
/// choices are checked with each of their codes.
#[test]
fn every_scenario_key_in_use_is_translated() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut text = std::fs::read_to_string(format!("{root}/src/pages/scenarios.rs")).unwrap();
    for t in [
        "scenario_list",
        "scenario_detail",
        "scenario_compare",
        "scenario_adopt",
        "scenario_new",
        "ending_page",
        "ending_letter",
    ] {
        text.push_str(&std::fs::read_to_string(format!("{root}/templates/{t}.html")).unwrap());
    }
    let prefixes: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
        ("ending-final", vec!["ended", "civil-society-only"]),
        ("ending-state", vec!["done", "current", "todo"]),
        (
            "ending-step",
            vec!["decision", "letter", "notification", "closing"],
        ),
        ("ending-letter-in", vec!["nl", "en"]),
        (
            "scenario-body",
            vec!["council", "mayor-and-aldermen", "mayor"],
        ),
        ("scenario-change-kind", vec!["status", "line", "staff"]),
        (
            "scenario-decision-kind",
            vec!["decision", "motion", "amendment", "letter-to-council"],
        ),
        (
            "scenario-line-kind",
            vec!["budget", "subsidy", "contribution"],
        ),
        (
            "scenario-rule",
            vec![
                "no-new-twinnings",
                "subsidy-ends",
                "no-budget-line",
                "no-staff-capacity",
            ],
        ),
    ]);
    // Class names, not keys.
    let classes = ["scenario-code", "scenario-form"];
    let mut used = std::collections::BTreeSet::new();
    for prefix in ["\"scenario-", "\"ending-"] {
        let mut rest = text.as_str();
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + 1..];
            let end = rest.find('"').unwrap();
            let key = &rest[..end];
            if key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !classes.contains(&key)
            {
                used.insert(key.to_owned());
            }
        }
    }
    let mut missing = Vec::new();
    for key in &used {
        let keys: Vec<String> = match prefixes.get(key.as_str()) {
            Some(codes) => codes.iter().map(|c| format!("{key}-{c}")).collect(),
            None => vec![key.clone()],
        };
        for k in keys {
            if Lang::ALL.iter().any(|l| !l.has(&k)) {
                missing.push(k);
            }
        }
    }
    assert!(used.len() > 100, "the scan found {}", used.len());
    assert!(missing.is_empty(), "not translated: {missing:?}");
}
