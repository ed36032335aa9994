//! End to end in headless Chromium: what a visitor of the register sees and does.
//!
//! The real server runs in this process on a fresh SQLite database holding the demo data; the
//! test drives Chromium through ChromeDriver (fantoccini), with a browser that asks for Dutch.
//! It checks what a person would notice:
//!
//! 1. `/` leads to Leidschendam-Voorburg: its partnerships with Hranice (1990),
//!    Konstancin-Jeziorna (1991) and Temecula (1993), each with the town that entered into it
//!    (Voorburg or Leidschendam), and its lineage (Leidschendam and Voorburg), all in Dutch.
//! 2. The link "Hranice" opens that partnership with its timeline (first contact, 1990).
//! 3. The history form: an invalid date is refused with the error next to the field and in a
//!    summary, and nothing is added; a valid entry then shows up in the timeline, in date order.
//! 4. The language switch: the page comes back in English, and the next page stays English.
//! 5. axe-core finds no WCAG 2.0/2.1 A or AA violations on each kind of page, including a form
//!    showing errors and the 404 page; each violation is printed with the element to fix.
//! 6. The organisation, as the logged-in administrator: the demo foundation with its three
//!    working groups, its board today and in 2010, the board rule; a working group; a person;
//!    the people list and the forms with radio buttons and checkboxes (also showing errors);
//!    ending a working-group chair's board role breaks the board rule, naming the group; after
//!    logging out, the board shows roles without names.
//!
//! Full-page screenshots of the pages visited go to `target/screenshots/<name>.png` (the target
//! folder of this build, so `CARGO_TARGET_DIR` is followed) for a person to look at.
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` (Debian: `chromium chromium-driver`) and
//! axe-core in `e2e/node_modules` (`npm ci` in `e2e/`). Without them the test passes with a note
//! on stderr, except under CI (`CI` set), where it fails.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use stedenband_store::testing::TestDb;
use stedenband_web::{AppState, Server};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../e2e/node_modules/axe-core/axe.min.js"
);
/// The browser window: a laptop screen.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;
/// The administrator's password in this test.
const PASSWORD: &str = "kerstboom uit hranice";

/// How long to wait for a page to show what a step expects.
const PATIENCE: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_reads_records_history_and_switches_language() {
    let Some(axe) = axe_source() else { return };

    let t = TestDb::sqlite().await;
    // Plain HTTP on 127.0.0.1: cookies without Secure, as `serve --demo` sends them.
    let state = AppState::with(
        t.db.clone(),
        stedenband_web::auth::CookiePolicy { secure: false },
        Default::default(),
    )
    // As `serve --demo`: the administrator logs in with the password alone.
    .requiring_second_factor(false);
    stedenband_app::demo::load(&state.register)
        .await
        .expect("load the demo data");
    state
        .accounts
        .create("beheerder", PASSWORD, &["administrator".to_owned()])
        .await
        .expect("an administrator");
    // The world list, as `serve --demo` loads it, for the world register's pages.
    stedenband_app::demo::load_world(&state.world)
        .await
        .expect("load the world list");
    let mut policy = policy_pages(&state).await;
    policy.extend(world_pages(&state).await);
    let base = Server::bind("127.0.0.1:0", state)
        .await
        .expect("bind the server")
        .spawn();

    let profile = tempfile::tempdir().expect("temporary folder for the Chromium profile");
    let driver = ChromeDriver::start().await;
    let client = open_browser(&driver, profile.path()).await;

    // The scenario runs on its own task so that the browser is closed even when it panics.
    let visitor = Visitor {
        c: client.clone(),
        base,
        axe,
        shots: screenshot_dir(),
        findings: Vec::new(),
    };
    let outcome = tokio::spawn(scenario(visitor, policy)).await;
    let closed = client.close().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("the browser scenario did not finish: {e}");
    }
    closed.expect("close the browser session");
}

/// The addresses of the decisions, scenarios and ending pages of the demo, with a name for each
/// screenshot.
async fn policy_pages(state: &AppState) -> Vec<(String, &'static str)> {
    let system = stedenband_app::Caller::system();
    let lv = "leidschendam-voorburg";
    let decisions = state.decisions.decisions(&system, Some(lv)).await.unwrap();
    let scenarios = state.decisions.scenarios(&system, lv).await.unwrap();
    let ids: Vec<String> = scenarios.iter().map(|v| v.record.id.clone()).collect();
    let hranice = state
        .register
        .municipality(lv)
        .await
        .unwrap()
        .partnerships
        .iter()
        .find(|p| p.partner.slug.as_str() == "hranice")
        .map(|p| p.partnership.id.0.clone())
        .unwrap();
    vec![
        (format!("/municipalities/{lv}/decisions"), "decisions-en"),
        (
            format!("/decisions/{}", decisions[2].record.id),
            "decision-en",
        ),
        (
            format!("/decisions/new?municipality={lv}"),
            "new-decision-en",
        ),
        (format!("/municipalities/{lv}/scenarios"), "scenarios-en"),
        (format!("/scenarios/{}", ids[1]), "scenario-b-en"),
        (
            format!("/scenarios/compare?ids={}", ids.join(",")),
            "scenarios-compared-en",
        ),
        (format!("/scenarios/{}/adopt", ids[0]), "adopt-a-en"),
        (format!("/partnerships/{hranice}/ending"), "ending-en"),
    ]
}

/// The world register's pages (a search with a refused country among them), with a name for
/// each screenshot.
async fn world_pages(state: &AppState) -> Vec<(String, &'static str)> {
    let lv = state
        .world
        .search("Leidschendam-Voorburg", Some("NL"), 0, 1)
        .await
        .unwrap()
        .towns[0]
        .town
        .id;
    vec![
        ("/towns?q=hrani".to_owned(), "world-search-en"),
        (
            "/towns?q=hrani&country=XX".to_owned(),
            "world-search-error-en",
        ),
        (format!("/towns/{lv}"), "world-town-en"),
        ("/countries".to_owned(), "world-countries-en"),
        ("/countries/CZ".to_owned(), "world-country-en"),
        (
            "/network?chain_a=Leidschendam-Voorburg&chain_b=Denzlingen&chain_b_country=DE"
                .to_owned(),
            "world-chain-en",
        ),
        (
            "/network?shared_a=Santa+Fe&shared_b=Nergenshuizen".to_owned(),
            "world-network-choices-en",
        ),
        (
            "/municipalities/leidschendam-voorburg/suggestions".to_owned(),
            "world-suggestions-en",
        ),
    ]
}

async fn scenario(mut v: Visitor, policy: Vec<(String, &'static str)>) {
    // 1. The start page leads to the only municipality that holds partnerships.
    v.goto("/").await;
    assert_eq!(
        v.path().await,
        "/municipalities/leidschendam-voorburg",
        "/ should redirect to the municipality"
    );
    assert_eq!(
        v.lang().await,
        "nl",
        "a browser asking for Dutch gets Dutch"
    );
    assert_eq!(v.text("h1").await, "Leidschendam-Voorburg");
    assert_eq!(v.text("#partnerships-h").await, "Stedenbanden");
    assert_eq!(
        v.text("thead th").await,
        "Partnerstad",
        "first column header of the partnerships table"
    );
    let rows = v
        .rows("section[aria-labelledby='partnerships-h'] tbody tr")
        .await;
    for (partner, year, entered_by) in [
        ("Hranice", "1990", "Voorburg"),
        ("Konstancin-Jeziorna", "1991", "Leidschendam"),
        ("Temecula", "1993", "Voorburg"),
    ] {
        let row = rows
            .iter()
            .find(|r| r[0] == partner)
            .unwrap_or_else(|| panic!("no row for {partner} in the partnerships table: {rows:?}"));
        assert_eq!(row[2], year, "the year {partner} became a partner: {row:?}");
        assert!(
            row[5].starts_with(entered_by),
            "{partner} was entered into by {entered_by}: {row:?}"
        );
    }
    let lineage = v.text("section[aria-labelledby='lineage-h']").await;
    assert!(
        lineage.contains("Leidschendam") && lineage.contains("Voorburg"),
        "lineage names both towns: {lineage}"
    );
    assert_eq!(
        v.texts("ul.lineage a").await,
        ["Leidschendam", "Voorburg"],
        "links to the predecessors"
    );
    v.shoot("municipality-nl").await;
    v.check_accessibility("municipality page").await;

    // 2. Follow the link to the partnership with Hranice.
    v.find(Locator::LinkText("Hranice"))
        .await
        .click()
        .await
        .expect("click Hranice");
    v.wait_for("//h1[contains(., 'Hranice')]").await;
    let partnership_path = v.path().await;
    assert!(
        partnership_path.starts_with("/partnerships/"),
        "a partnership page, not {partnership_path}"
    );
    assert!(
        v.text("h1")
            .await
            .contains("Leidschendam-Voorburg – Hranice")
    );
    let timeline = v.timeline().await;
    assert!(
        timeline
            .iter()
            .any(|e| e.starts_with("1990") && e.contains("Eerste contact")),
        "the timeline shows the first contact in 1990: {timeline:?}"
    );
    v.shoot("partnership-nl").await;
    v.check_accessibility("partnership page").await;

    // 2b. The public reads but cannot write: no history form until logged in. The login link
    // comes back to this page.
    assert!(
        v.all("#f-date").await.is_empty(),
        "the public is offered the history form"
    );
    v.find(Locator::LinkText("Inloggen"))
        .await
        .click()
        .await
        .expect("click Inloggen");
    v.wait_for("//h1[contains(., 'Inloggen')]").await;
    v.check_accessibility("login page").await;
    v.fill("#f-username", "beheerder").await;
    v.fill("#f-password", PASSWORD).await;
    v.find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await
        .click()
        .await
        .expect("submit the login form");
    v.wait_for("//h2[@id='add-event']").await;
    assert_eq!(
        v.path().await,
        partnership_path,
        "the login returns to the page it came from"
    );
    assert!(v.text("header").await.contains("Ingelogd als beheerder"));

    // 3a. A date that is no date is refused, with the error next to the field.
    v.fill("#f-date", "199x").await;
    v.submit_event().await;
    v.wait_for("//div[contains(@class, 'error-summary')]").await;
    let error = v.find(Locator::Id("e-date")).await;
    assert!(
        error.is_displayed().await.expect("is #e-date shown"),
        "the date error is visible"
    );
    let message = error.text().await.expect("text of #e-date");
    assert!(
        message.contains("Schrijf een jaar"),
        "a Dutch explanation next to the date field: {message}"
    );
    let date = v.find(Locator::Id("f-date")).await;
    assert_eq!(
        date.attr("aria-invalid")
            .await
            .expect("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        date.prop("value").await.expect("value").as_deref(),
        Some("199x"),
        "what was typed is kept"
    );
    assert_eq!(
        v.find(Locator::Css(".error-summary"))
            .await
            .attr("role")
            .await
            .expect("role")
            .as_deref(),
        Some("alert")
    );
    assert_eq!(
        v.timeline().await,
        timeline,
        "nothing is added to the timeline"
    );
    v.shoot("partnership-errors-nl").await;
    v.check_accessibility("partnership page with form errors")
        .await;

    // 3b. A good entry lands in the timeline, after 1990.
    let text = "25 jaar stedenband met Hranice";
    v.fill("#f-date", "2015").await;
    v.find(Locator::Css("select#f-kind"))
        .await
        .select_by_value("anniversary")
        .await
        .expect("choose anniversary");
    v.fill("#f-text", text).await;
    v.submit_event().await;
    v.wait_for(&format!(
        "//ol[contains(@class, 'timeline')]/li[contains(., '{text}')]"
    ))
    .await;
    assert_eq!(
        v.path().await,
        partnership_path,
        "back on the partnership page"
    );
    assert!(
        v.all(".error-summary").await.is_empty(),
        "no errors after a good entry"
    );
    let after = v.timeline().await;
    assert_eq!(after.len(), timeline.len() + 1, "one entry more: {after:?}");
    let added = after
        .iter()
        .position(|e| e.contains(text))
        .expect("the new entry");
    assert!(
        after[added].starts_with("2015") && after[added].contains("Jubileum"),
        "year and kind shown: {after:?}"
    );
    let last_1990 = after
        .iter()
        .rposition(|e| e.starts_with("1990"))
        .expect("the 1990 entries");
    assert!(last_1990 < added, "2015 comes after 1990: {after:?}");

    // 4. Switch to English: this page, and the next one.
    v.find(Locator::LinkText("English"))
        .await
        .click()
        .await
        .expect("click English");
    v.wait_for("/html[@lang='en']").await;
    assert_eq!(
        v.path().await,
        partnership_path,
        "the switch comes back to the same page"
    );
    assert_eq!(v.text("#history").await, "History");
    assert!(
        v.text("h1")
            .await
            .contains("Leidschendam-Voorburg – Hranice")
    );
    assert!(
        v.timeline()
            .await
            .iter()
            .any(|e| e.starts_with("2015") && e.contains("Anniversary"))
    );
    v.shoot("partnership-en").await;

    v.find(Locator::LinkText("Municipalities"))
        .await
        .click()
        .await
        .expect("click Municipalities");
    v.wait_for("//h1[. = 'Municipalities']").await;
    assert_eq!(v.lang().await, "en", "the choice of English is remembered");
    assert_eq!(
        v.text("caption").await,
        "6 municipalities",
        "the demo data's six are counted"
    );
    v.shoot("municipalities-en").await;
    v.check_accessibility("list of municipalities").await;

    // 5. The other pages: shown in English, checked for accessibility.
    for (path, h1, name) in [
        (
            "/municipalities/new",
            "New municipality",
            "new-municipality-en",
        ),
        ("/partnerships/new", "New partnership", "new-partnership-en"),
        ("/partnerships", "Partnerships", "partnerships-en"),
        ("/no-such-page", "Page not found", "not-found-en"),
    ] {
        v.goto(path).await;
        assert_eq!(v.lang().await, "en", "{path} in English");
        assert_eq!(v.text("h1").await, h1, "heading of {path}");
        v.shoot(name).await;
        v.check_accessibility(path).await;
    }

    // 6. The organisation, as the logged-in administrator: the foundation with its working
    // groups, its board (today and on a past date) and the board rule; a working group; a
    // person; the people list and the forms with radio buttons and checkboxes.
    let foundation = "/foundations/stichting-stedenbanden-leidschendam-voorburg";
    v.goto(foundation).await;
    assert_eq!(
        v.text("h1").await,
        "Stichting Stedenbanden Leidschendam-Voorburg"
    );
    assert_eq!(
        v.texts("ul.cards a").await,
        [
            "Werkgroep Hranice",
            "Werkgroep Konstancin-Jeziorna",
            "Werkgroep Temecula"
        ],
        "the foundation's working groups"
    );
    let summary = v.text("#rule-summary").await;
    assert!(
        summary.contains("the chair of every working group sits on the board"),
        "the board rule holds: {summary}"
    );
    let board = v.rows("#board-table tbody tr").await;
    assert!(
        board
            .iter()
            .any(|r| r[0] == "Chair" && r[1] == "Pieter de Graaf"),
        "today's chair: {board:?}"
    );
    v.shoot("foundation-en").await;
    v.check_accessibility("foundation page").await;

    v.goto(&format!("{foundation}?on=2010-01-01")).await;
    let board = v.rows("#board-table tbody tr").await;
    assert!(
        board
            .iter()
            .any(|r| r[0] == "Chair" && r[1] == "Anna Jansen"),
        "the chair in 2010: {board:?}"
    );

    v.find(Locator::LinkText("Werkgroep Hranice"))
        .await
        .click()
        .await
        .expect("click Werkgroep Hranice");
    v.wait_for("//h1[. = 'Werkgroep Hranice']").await;
    assert!(
        v.path().await.starts_with("/working-groups/"),
        "a working-group page"
    );
    v.shoot("working-group-en").await;
    v.check_accessibility("working-group page").await;

    v.find(Locator::LinkText("Eva Bakker"))
        .await
        .click()
        .await
        .expect("click Eva Bakker");
    v.wait_for("//h1[. = 'Eva Bakker']").await;
    assert!(v.path().await.starts_with("/people/"), "a person's page");
    let roles = v.text("section[aria-labelledby='roles-h']").await;
    assert!(
        roles.contains("Werkgroep Hranice") && roles.contains("Chair"),
        "Eva's roles: {roles}"
    );
    v.shoot("person-en").await;
    v.check_accessibility("person page").await;

    for (path, h1, name) in [
        (
            format!("{foundation}/people"),
            "People of Stichting Stedenbanden Leidschendam-Voorburg",
            "people-en",
        ),
        (
            format!("{foundation}/people/new"),
            "New person at Stichting Stedenbanden Leidschendam-Voorburg",
            "new-person-en",
        ),
        (
            format!("{foundation}/working-groups/new"),
            "New working group of Stichting Stedenbanden Leidschendam-Voorburg",
            "new-working-group-en",
        ),
        ("/foundations".to_owned(), "Foundations", "foundations-en"),
    ] {
        v.goto(&path).await;
        assert_eq!(v.text("h1").await, h1, "heading of {path}");
        v.shoot(name).await;
        v.check_accessibility(&path).await;
    }

    // The council's decisions and rules, the policy options compared, the dry run of adopting
    // the proposal, the ending workflow (as the administrator); the world register's pages.
    for (path, name) in &policy {
        v.goto(path).await;
        assert!(!v.text("h1").await.is_empty(), "a heading on {path}");
        v.shoot(name).await;
        v.check_accessibility(path).await;
    }

    // The person form sent empty: errors next to the name and the radio buttons.
    v.goto(&format!("{foundation}/people/new")).await;
    v.find(Locator::Css(
        "form[action$='/people'] button[type='submit']",
    ))
    .await
    .click()
    .await
    .expect("submit the person form");
    v.wait_for("//div[contains(@class, 'error-summary')]").await;
    assert!(
        !v.text("#e-basis").await.is_empty(),
        "the lawful basis is asked for"
    );
    v.shoot("new-person-errors-en").await;
    v.check_accessibility("person form with errors").await;

    // 7. Eva Bakker, chair of the Hranice working group, leaves the board: the foundation page
    // reports the rule broken from the next day on, naming the working group and its chair.
    // (The date is set by script: how a date field takes typed digits depends on the locale.)
    v.goto(foundation).await;
    let eva = "//table[@id='board-table']//tr[contains(., 'Eva Bakker')]";
    v.find(Locator::XPath(&format!("{eva}//summary")))
        .await
        .click()
        .await
        .expect("open the form to end Eva Bakker's role");
    v.c.execute(
        "const row = [...document.querySelectorAll('#board-table tbody tr')]
            .find(r => r.textContent.includes('Eva Bakker'));
         row.querySelector('input[type=date]').value = '2020-06-30';",
        vec![],
    )
    .await
    .expect("set the last day");
    v.find(Locator::XPath(&format!("{eva}//button[@type='submit']")))
        .await
        .click()
        .await
        .expect("end the role");
    v.wait_for("//p[@id='rule-summary' and contains(@class, 'rule-broken')]")
        .await;
    let rule = v.rows("#rule-table tbody tr").await;
    assert!(
        rule.iter().any(|r| r[0] == "1 July 2020"
            && r[2] == "No"
            && r[3].contains("Werkgroep Hranice")
            && r[3].contains("Eva Bakker")),
        "the rule is broken from 1 July 2020 on: {rule:?}"
    );
    v.shoot("foundation-rule-broken-en").await;
    v.check_accessibility("foundation page with the rule broken")
        .await;

    // 8. The public sees the board's roles, not who holds them.
    v.find(Locator::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .expect("log out");
    v.wait_for("//a[. = 'Log in']").await;
    v.goto(foundation).await;
    let board = v.rows("#board-table tbody tr").await;
    assert!(
        board.iter().all(|r| r.len() == 3) && board.iter().any(|r| r[0] == "Chair"),
        "role, from and until, no names: {board:?}"
    );
    let page = v.text("main").await;
    assert!(
        !page.contains("Pieter de Graaf") && !page.contains("Eva Bakker"),
        "no names for the public"
    );
    v.shoot("foundation-public-en").await;
    v.check_accessibility("foundation page for the public")
        .await;

    assert!(
        v.findings.is_empty(),
        "axe-core found WCAG 2.x A/AA violations:\n{}",
        v.findings.join("\n")
    );
}

/// A member of Werkgroep Hranice plans an activity through the form and finds it in the month
/// view; the same member is refused (403) on the edit page of an activity of Werkgroep Temecula.
/// axe-core checks the partnership page, the form (empty and with errors), the activity page,
/// the calendar and the refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_group_member_plans_an_activity() {
    let Some(axe) = axe_source() else { return };

    let t = TestDb::sqlite().await;
    let state = AppState::with(
        t.db.clone(),
        stedenband_web::auth::CookiePolicy { secure: false },
        Default::default(),
    )
    .requiring_second_factor(false);
    stedenband_app::demo::load(&state.register)
        .await
        .expect("load the demo data");
    state
        .accounts
        .create(
            "wg-hranice",
            PASSWORD,
            &["working-group-member:werkgroep-hranice".into()],
        )
        .await
        .expect("a member of Werkgroep Hranice");
    // An activity organised by Werkgroep Temecula (an exchange in Temecula).
    let temecula = state
        .activities
        .activities(
            &stedenband_app::Caller::system(),
            stedenband_store::ActivityFilter::default(),
        )
        .await
        .expect("the demo activities")
        .into_iter()
        .find(|a| a.draft.place.as_deref() == Some("Temecula"))
        .expect("an activity of Werkgroep Temecula")
        .id;
    // The demo's citizens' meeting with participants listed per town.
    let meeting = state
        .activities
        .activities(
            &stedenband_app::Caller::system(),
            stedenband_store::ActivityFilter::default(),
        )
        .await
        .expect("the demo activities")
        .into_iter()
        .find(|a| a.draft.title.as_str().starts_with("Burgerontmoeting"))
        .expect("the citizens' meeting")
        .id;
    let base = Server::bind("127.0.0.1:0", state)
        .await
        .expect("bind the server")
        .spawn();

    let profile = tempfile::tempdir().expect("temporary folder for the Chromium profile");
    let driver = ChromeDriver::start().await;
    let client = open_browser(&driver, profile.path()).await;
    let member = Visitor {
        c: client.clone(),
        base,
        axe,
        shots: screenshot_dir(),
        findings: Vec::new(),
    };
    let outcome = tokio::spawn(plan_an_activity(member, temecula, meeting)).await;
    let closed = client.close().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("the browser scenario did not finish: {e}");
    }
    closed.expect("close the browser session");
}

/// The text of the chosen option of a select.
async fn chosen(v: &Visitor, css: &str) -> String {
    v.c.execute(
        "const s = document.querySelector(arguments[0]); return s.options[s.selectedIndex].text;",
        vec![json!(css)],
    )
    .await
    .expect("the chosen option")
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn plan_an_activity(mut v: Visitor, temecula: String, meeting: String) {
    const TITLE: &str = "Koor uit Hranice zingt in de Oude Kerk";

    // 1. Log in as the member of Werkgroep Hranice.
    v.goto("/login").await;
    v.fill("#f-username", "wg-hranice").await;
    v.fill("#f-password", PASSWORD).await;
    v.find(Locator::Css("form[action='/login'] button[type=submit]"))
        .await
        .click()
        .await
        .expect("submit the login form");
    v.wait_for("//a[contains(., 'Ingelogd als wg-hranice')]")
        .await;

    // 2. The partnership with Hranice: numbers per year, the last held activity, and a link to
    // plan a new one.
    v.goto("/municipalities/leidschendam-voorburg").await;
    v.find(Locator::LinkText("Hranice"))
        .await
        .click()
        .await
        .expect("click Hranice");
    v.wait_for("//h2[@id='activities-h']").await;
    let dormancy = v.text("#dormancy").await;
    assert!(
        dormancy.starts_with("Laatste gehouden activiteit:"),
        "the last held activity: {dormancy}"
    );
    let years = v.rows("#numbers tbody tr").await;
    assert!(
        years.iter().any(|r| r[0] == "2017" && r[6] == "€ 6.500,00"),
        "2017 with the tree's costs: {years:?}"
    );
    v.shoot("activities-partnership-nl").await;
    v.check_accessibility("partnership page with its numbers")
        .await;
    v.find(Locator::LinkText("Nieuwe activiteit"))
        .await
        .click()
        .await
        .expect("click Nieuwe activiteit");
    v.wait_for("//h1[. = 'Nieuwe activiteit']").await;

    // 3. The form: the member's only partnership and group are filled in.
    assert_eq!(
        chosen(&v, "#f-partnership").await,
        "Leidschendam-Voorburg – Hranice"
    );
    assert_eq!(chosen(&v, "#f-organiser").await, "Werkgroep Hranice");
    let organisers = v.texts("#f-organiser option").await;
    assert!(
        !organisers.iter().any(|o| o.contains("Temecula")),
        "only the member's own group: {organisers:?}"
    );
    v.shoot("activity-form-nl").await;
    v.check_accessibility("activity form").await;

    // 3a. Sent without title, date, direction or category: errors next to the fields.
    v.find(Locator::Css(
        "form[action='/activities'] button[type='submit']",
    ))
    .await
    .click()
    .await
    .expect("submit the empty form");
    v.wait_for("//div[contains(@class, 'error-summary')]").await;
    for field in ["title", "start", "direction", "category"] {
        assert!(
            !v.text(&format!("#e-{field}")).await.is_empty(),
            "an error next to {field}"
        );
    }
    v.shoot("activity-form-errors-nl").await;
    v.check_accessibility("activity form with errors").await;

    // 3b. Filled in properly: the 15th of next month, 19:30, an incoming choir.
    let next_month = jiff::Zoned::now()
        .date()
        .first_of_month()
        .checked_add(jiff::Span::new().months(1))
        .expect("next month");
    let day = next_month
        .checked_add(jiff::Span::new().days(14))
        .expect("the 15th");
    v.fill("#f-title", TITLE).await;
    v.fill("#f-place", "Oude Kerk, Herenstraat, Voorburg").await;
    v.fill("#f-participantsHome", "12").await;
    v.fill("#f-participantsPartner", "28").await;
    // Dates and times by script: how these fields take typed digits depends on the locale.
    v.c.execute(
        "document.getElementById('f-start').value = arguments[0];
         document.getElementById('f-startTime').value = '19:30';",
        vec![json!(day.to_string())],
    )
    .await
    .expect("set the date and time");
    v.find(Locator::Css("input[name='direction'][value='incoming']"))
        .await
        .click()
        .await
        .expect("choose incoming");
    v.find(Locator::Css("select#f-category"))
        .await
        .select_by_value("choir")
        .await
        .expect("choose choir");
    v.find(Locator::Css(
        "form[action='/activities'] button[type='submit']",
    ))
    .await
    .click()
    .await
    .expect("submit the form");
    v.wait_for(&format!("//h1[. = '{TITLE}']")).await;
    let activity_path = v.path().await;
    assert!(activity_path.starts_with("/activities/"), "{activity_path}");
    let facts = v.text("dl.facts").await;
    assert!(
        facts.contains("Werkgroep Hranice") && facts.contains("Cultuur: koor"),
        "organiser and category: {facts}"
    );
    assert!(
        v.text("#reception").await.contains("Ontvangst"),
        "an incoming visit can ask for a reception"
    );
    v.shoot("activity-nl").await;
    v.check_accessibility("activity page").await;

    // 4. The month view: via the menu, then the next month.
    v.find(Locator::LinkText("Activiteiten"))
        .await
        .click()
        .await
        .expect("click Activiteiten");
    v.wait_for("//h1[. = 'Activiteiten']").await;
    v.check_accessibility("calendar of this month").await;
    v.find(Locator::Css("a[rel='next']"))
        .await
        .click()
        .await
        .expect("click the next month");
    let iso = day.to_string();
    v.wait_for(&format!(
        "//table[@id='month-table']//td[time[@datetime='{iso}']]//a[. = '{TITLE}']"
    ))
    .await;
    let cell = v
        .text(&format!("#month-table td:has(time[datetime='{iso}'])"))
        .await;
    assert!(cell.contains("19:30"), "the time in the day's cell: {cell}");
    v.shoot("calendar-month-nl").await;
    v.check_accessibility("calendar with the new activity")
        .await;
    v.find(Locator::XPath(&format!(
        "//table[@id='month-table']//a[. = '{TITLE}']"
    )))
    .await
    .click()
    .await
    .expect("open the activity from the month view");
    v.wait_for(&format!("//h1[. = '{TITLE}']")).await;
    assert_eq!(v.path().await, activity_path);

    // 5. An activity of Werkgroep Temecula: no edit button, and its form is refused.
    v.goto(&format!("/activities/{temecula}")).await;
    assert!(
        v.all(&format!("a[href='/activities/{temecula}/edit']"))
            .await
            .is_empty(),
        "no edit button on another group's activity"
    );
    v.goto(&format!("/activities/{temecula}/edit")).await;
    assert_eq!(v.text("h1").await, "Niet toegestaan");
    v.shoot("activity-forbidden-nl").await;
    v.check_accessibility("refusal of another group's activity")
        .await;

    // 6. The calendar in English.
    v.find(Locator::LinkText("English"))
        .await
        .click()
        .await
        .expect("click English");
    v.wait_for("/html[@lang='en']").await;
    v.goto(&format!("/activities?month={}", &iso[..7])).await;
    assert!(v.text("#month-table thead").await.contains("Monday"));
    v.shoot("calendar-month-en").await;
    v.check_accessibility("calendar in English").await;

    // 7. The meeting's participants per town, with names for the organising group, and the
    // sign-in sheet; the group's ledger; the municipality's money and subsidy register.
    v.goto(&format!("/activities/{meeting}/participants")).await;
    assert!(v.text("main").await.contains("Jana Nováková"));
    v.shoot("participants-en").await;
    v.check_accessibility("participants per town").await;
    v.goto(&format!("/activities/{meeting}/participants/sheet"))
        .await;
    assert_eq!(v.all("table.signin").await.len(), 3, "one sheet per town");
    v.shoot("signin-sheet-en").await;
    v.check_accessibility("sign-in sheet").await;
    v.goto("/working-groups/werkgroep-hranice/ledger").await;
    v.shoot("ledger-en").await;
    v.check_accessibility("a working group's ledger").await;
    v.goto("/municipalities/leidschendam-voorburg/money?from=2012&to=2017")
        .await;
    assert!(v.text("main").await.contains("24,490"));
    v.shoot("money-overview-en").await;
    v.check_accessibility("municipal money per year").await;
    v.goto("/municipalities/leidschendam-voorburg/subsidies")
        .await;
    v.shoot("subsidy-register-en").await;
    v.check_accessibility("subsidy register").await;
    // The evaluations: the list, and the demo's evaluation of 2009 with its criteria and
    // conclusions.
    v.goto("/evaluations?municipality=leidschendam-voorburg")
        .await;
    v.shoot("evaluations-en").await;
    v.check_accessibility("evaluations").await;
    v.find(Locator::LinkText(
        "Evaluatie nut, noodzaak en functionaliteit van de stedenbanden",
    ))
    .await
    .click()
    .await
    .expect("open the evaluation of 2009");
    v.wait_for("//ol[@class='conclusions']").await;
    assert!(v.text("main").await.contains("2004-2008"));
    v.shoot("evaluation-2009-en").await;
    v.check_accessibility("the evaluation of 2009").await;
    // Beside its conclusions, the figures of 2004-2008 from the data.
    assert!(
        v.text("main")
            .await
            .contains("Figures from the data, 2004–2008")
    );
    // The report of that period, with its charts, and a comparison of two periods.
    v.goto("/municipalities/leidschendam-voorburg/report?from=2004&to=2008")
        .await;
    assert!(
        v.text("main")
            .await
            .contains("Knowledge transfer, economy and city promotion")
    );
    v.shoot("report-2004-2008-en").await;
    v.check_accessibility("the report 2004-2008").await;
    v.goto("/municipalities/leidschendam-voorburg/report/compare?from=2004&to=2008&otherFrom=2012&otherTo=2016")
        .await;
    v.shoot("report-compare-en").await;
    v.check_accessibility("two periods compared").await;

    assert!(
        v.findings.is_empty(),
        "axe-core found WCAG 2.x A/AA violations:\n{}",
        v.findings.join("\n")
    );
}

/// The axe-core script, or `None` when the test cannot run here and may be skipped.
fn axe_source() -> Option<String> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER, AXE]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return Some(std::fs::read_to_string(AXE).expect("read axe-core"));
    }
    let note = format!(
        "the browser test needs {} (apt-get install chromium chromium-driver; cd e2e && npm ci)",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("CI is set, so {note}");
    }
    eprintln!("skipping: {note}");
    None
}

/// `target/screenshots`, next to the `tmp` folder Cargo gives integration tests.
fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target folder")
        .to_path_buf();
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

/// A ChromeDriver process on a free port, killed when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("find a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn open_browser(driver: &ChromeDriver, profile: &Path) -> Client {
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", format!("--window-size={WIDTH},{HEIGHT}"),
                format!("--user-data-dir={}", profile.display()), "--lang=nl",
            ],
            "prefs": { "intl.accept_languages": "nl" },
        }
    });
    let Value::Object(caps) = caps else {
        unreachable!("a JSON object")
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("start a Chromium session")
}

/// The browser, the site, and what the accessibility checks found so far.
struct Visitor {
    c: Client,
    base: String,
    axe: String,
    shots: PathBuf,
    findings: Vec<String>,
}

/// One WCAG violation as axe-core reports it (the parts a developer needs).
#[derive(Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<ViolationNode>,
}

#[derive(Deserialize)]
struct ViolationNode {
    target: Vec<Value>,
    html: String,
    #[serde(rename = "failureSummary")]
    failure_summary: Option<String>,
}

impl Visitor {
    async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.c
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    async fn path(&self) -> String {
        self.c
            .current_url()
            .await
            .expect("current URL")
            .path()
            .to_owned()
    }

    async fn lang(&self) -> String {
        self.find(Locator::Css("html"))
            .await
            .attr("lang")
            .await
            .expect("lang attribute")
            .unwrap_or_default()
    }

    async fn find(&self, locator: Locator<'_>) -> Element {
        match self.c.find(locator).await {
            Ok(e) => e,
            Err(e) => panic!("find {locator:?} on {}: {e}", self.path_or_url().await),
        }
    }

    async fn all(&self, css: &str) -> Vec<Element> {
        self.c
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    /// The visible text of the first element matching `css`.
    async fn text(&self, css: &str) -> String {
        self.find(Locator::Css(css))
            .await
            .text()
            .await
            .expect("element text")
    }

    /// The visible texts of all elements matching `css`.
    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.all(css).await {
            out.push(e.text().await.expect("element text"));
        }
        out
    }

    /// The cells (header and data) of each table row matching `css`.
    async fn rows(&self, css: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for row in self.all(css).await {
            let mut cells = Vec::new();
            for cell in row
                .find_all(Locator::Css("th, td"))
                .await
                .expect("table cells")
            {
                cells.push(cell.text().await.expect("cell text"));
            }
            rows.push(cells);
        }
        rows
    }

    /// The entries of the partnership's timeline, as shown.
    async fn timeline(&self) -> Vec<String> {
        self.texts("ol.timeline > li").await
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.find(Locator::Css(css)).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    async fn submit_event(&self) {
        let button = self
            .find(Locator::Css(
                "form[action$='/events'] button[type='submit']",
            ))
            .await;
        button.click().await.expect("submit the history form");
    }

    /// Waits until an element matching the XPath expression is on the page.
    async fn wait_for(&self, xpath: &str) {
        if let Err(e) = self
            .c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await
        {
            panic!(
                "waited in vain for {xpath} on {}: {e}",
                self.path_or_url().await
            );
        }
    }

    async fn path_or_url(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_else(|_| "(no page)".into())
    }

    /// Saves a screenshot of the whole page: the window is made as tall as the page first
    /// (plus what the window itself takes, which headless Chromium counts too).
    async fn shoot(&self, name: &str) {
        let height = self
            .c
            .execute(
                "return Math.ceil(document.documentElement.scrollHeight + outerHeight - innerHeight);",
                vec![],
            )
            .await
            .expect("page height")
            .as_u64()
            .unwrap_or(u64::from(HEIGHT));
        let tall = u32::try_from(height)
            .unwrap_or(u32::MAX)
            .clamp(HEIGHT, 8000);
        self.c
            .set_window_size(WIDTH, tall)
            .await
            .expect("resize the window");
        let png = self.c.screenshot().await;
        self.c
            .set_window_size(WIDTH, HEIGHT)
            .await
            .expect("restore the window");
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png.expect("screenshot"))
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Runs axe-core's WCAG 2.0/2.1 A and AA rules on the current page and records what fails.
    async fn check_accessibility(&mut self, page: &str) {
        let loaded = self
            .c
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await
            .expect("look for axe");
        if loaded != Value::Bool(true) {
            self.c
                .execute(&self.axe, vec![])
                .await
                .expect("inject axe-core");
        }
        let result = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
                    .then(r => done({ violations: r.violations }))
                    .catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("run axe-core");
        if let Some(error) = result.get("error") {
            panic!("axe-core failed on the {page}: {error}");
        }
        let violations: Vec<Violation> = serde_json::from_value(result["violations"].clone())
            .expect("axe-core's list of violations");
        let url = self.path_or_url().await;
        for v in violations {
            let first = v.nodes.first();
            let target = first.map(|n| selector(&n.target)).unwrap_or_default();
            let finding = format!(
                "- {page} ({url}): {} [{}] {} ({} element(s); {})\n    first: {target} {}\n    {}",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.nodes.len(),
                v.help_url,
                first.map(|n| n.html.as_str()).unwrap_or(""),
                first
                    .and_then(|n| n.failure_summary.as_deref())
                    .unwrap_or("")
                    .replace('\n', "\n    "),
            );
            eprintln!("axe: {finding}");
            self.findings.push(finding);
        }
    }
}

/// An axe-core target (CSS selectors, nested for frames and shadow roots) on one line.
fn selector(target: &[Value]) -> String {
    let parts: Vec<String> = target
        .iter()
        .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_owned))
        .collect();
    parts.join(" >> ")
}
