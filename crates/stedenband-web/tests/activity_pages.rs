mod support;
use support::*;

// The activities' pages against the real server with the demo data, on SQLite and PostgreSQL:
// the calendar (the Christmas tree from Hranice every December), the form refusing bad input
// with the error next to the field and nothing stored, the figures of an occurrence, the
// reception workflow through the pages, the numbers per year and the dormancy flag.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use stedenband_app::Caller;
use stedenband_domain::activity::{
    Activity, ActivityStatus, Category, Direction, Frequency, ReceptionStatus,
};
use stedenband_store::ActivityFilter;
use stedenband_web::i18n::Lang;

const TREE: &str = "Kerstboom uit Hranice bij de Oude Kerk";
const LIGHTING: &str = "Ontsteken van de kerstboom";
const HOME: &str = "leidschendam-voorburg";

/// A page as the logged-in administrator sees it.
async fn admin_page(app: &App, path: &str, lang: &str) -> (StatusCode, String) {
    page_as(app, path, lang, &app.cookie).await
}

async fn page_as(app: &App, path: &str, lang: &str, cookie: &str) -> (StatusCode, String) {
    let res = app
        .http
        .get(app.url(path))
        .header("accept-language", lang)
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Every activity, as the program itself sees them.
async fn all_activities(app: &App) -> Vec<Activity> {
    app.state
        .activities
        .activities(&Caller::system(), ActivityFilter::default())
        .await
        .unwrap()
}

async fn activity_titled(app: &App, title: &str) -> Activity {
    all_activities(app)
        .await
        .into_iter()
        .find(|a| a.draft.title.to_string() == title)
        .unwrap_or_else(|| panic!("no activity {title}"))
}

/// What the store holds of activities, receptions and figures, for before/after comparisons.
async fn activity_state(app: &App) -> String {
    let mut out = String::new();
    for a in all_activities(app).await {
        let v = app
            .state
            .activities
            .activity(&Caller::system(), &a.id)
            .await
            .unwrap();
        let occ = app
            .state
            .activities
            .occurrences(&a, jiff::civil::date(2030, 1, 1))
            .await
            .unwrap();
        out.push_str(&format!("{a:?}\n{:?}\n{occ:?}\n", v.reception));
    }
    out
}

/// The part of a page from the element with this id to the end of its table.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = html[start..].find("</table>").expect("end of table") + start;
    &html[start..end]
}

/// The table cell (its text) of one `<td>` of the row whose header holds `key`.
fn row<'a>(table: &'a str, key: &str) -> &'a str {
    let start = table
        .find(&format!("<th scope=\"row\">{key}</th>"))
        .unwrap_or_else(|| panic!("no row {key}"));
    let end = table[start..].find("</tr>").expect("end of row") + start;
    &table[start..end]
}

/// The month's part of the calendar page (without the upcoming list).
fn month_part(html: &str) -> &str {
    let start = html.find("id=\"month-h\"").expect("the month");
    let end = html.find("id=\"upcoming-h\"").expect("the upcoming list");
    &html[start..end]
}

/// The error message shown next to a field (`e-<name>`).
fn error_next_to(html: &str, field: &str) -> String {
    let start = html
        .find(&format!("id=\"e-{field}\""))
        .unwrap_or_else(|| panic!("no error next to {field}"));
    let end = html[start..].find("</p>").unwrap() + start;
    html[start..end].to_owned()
}

/// A valid activity for the Hranice partnership, as the form sends it.
fn form(partnership: &str, title: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("partnership", partnership.to_owned()),
        ("organiser", "werkgroep-hranice".to_owned()),
        ("title", title.to_owned()),
        ("description", "Bezoek van het stadsorkest.".to_owned()),
        ("start", "2026-05-14".to_owned()),
        ("startTime", "14:00".to_owned()),
        ("end", "2026-05-17".to_owned()),
        ("endTime", "".to_owned()),
        ("timezone", "Europe/Amsterdam".to_owned()),
        ("place", "Voorburg".to_owned()),
        ("direction", "incoming".to_owned()),
        ("category", "music".to_owned()),
        ("participantsHome", "20".to_owned()),
        ("participantsPartner", "35".to_owned()),
        ("status", "confirmed".to_owned()),
        ("outcomes", "".to_owned()),
        ("links", "https://example.org/orkest".to_owned()),
        ("public", "on".to_owned()),
        ("recurrence", "".to_owned()),
        ("recurrenceUntil", "".to_owned()),
    ]
}

async fn post(app: &App, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &pairs).await
}

fn location(res: &reqwest::Response) -> String {
    res.headers()[LOCATION].to_str().unwrap().to_owned()
}

async fn calendar_shows_the_christmas_tree_every_december(app: App) {
    let tree = activity_titled(&app, TREE).await;
    for (lang, heading, weekday) in [
        ("nl", "December 2017", "maandag"),
        ("en", "December 2017", "Monday"),
    ] {
        let (status, html) = app.page("/activities?month=2017-12", lang).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(
            html.contains(&format!("<h2 id=\"month-h\">{heading}</h2>")),
            "{lang}: heading"
        );
        let month = table(&html, "month-table");
        assert!(
            month.contains(weekday),
            "{lang}: weekdays as column headers"
        );
        // The tree begins on 1 December, the lighting on the 10th at 18:30.
        let first = month.find("datetime=\"2017-12-01\"").expect("1 December");
        let tenth = month.find("datetime=\"2017-12-10\"").expect("10 December");
        let eleventh = month.find("datetime=\"2017-12-11\"").expect("11 December");
        let tree_at = month.find(TREE).expect("the tree in the month table");
        assert!(
            first < tree_at && tree_at < tenth,
            "{lang}: the tree on 1 December"
        );
        let lighting = month.find(LIGHTING).expect("the lighting");
        assert!(
            tenth < lighting && lighting < eleventh,
            "{lang}: the lighting on the 10th"
        );
        assert!(month.contains("18:30"), "{lang}: the lighting's time");
        assert!(
            month.contains(&format!("/activities/{}#occ-2017-12-01", tree.id)),
            "{lang}: the link to the occurrence"
        );
        assert!(
            html.contains("rel=\"prev\"") && html.contains("month=2017-11"),
            "{lang}: a link to the month before"
        );
        assert!(html.contains("month=2018-01"), "{lang}: to the month after");
    }
    // The English calendar says how long it stands.
    let (_, html) = app.page("/activities?month=2017-12", "en").await;
    assert!(html.contains("until 6 January 2018"));
    // It comes back every year: in 2010 as in 2016, and in January it is still standing.
    for year in [2004, 2010, 2016] {
        let (_, html) = app
            .page(&format!("/activities?month={year}-12"), "nl")
            .await;
        assert!(
            month_part(&html).contains(TREE),
            "the tree in December {year}"
        );
    }
    let (_, html) = app.page("/activities?month=2018-01", "nl").await;
    let part = month_part(&html);
    let running = &part[part.find("id=\"running\"").expect("the running list")
        ..part.find("id=\"month-table\"").expect("the month table")];
    assert!(running.contains(TREE), "still standing in January");
    // Not before the first one.
    let (_, html) = app.page("/activities?month=2003-12", "nl").await;
    assert!(!month_part(&html).contains(TREE));
    assert!(html.contains("In deze maand begint geen activiteit."));

    // Filters: by category (the tree is city promotion, not a choir), by working group, by
    // partnership.
    let (_, html) = app
        .page("/activities?month=2017-12&category=choir", "nl")
        .await;
    assert!(!month_part(&html).contains(TREE));
    let (_, html) = app
        .page("/activities?month=2017-12&category=city-promotion", "nl")
        .await;
    assert!(month_part(&html).contains(TREE));
    assert!(
        html.contains("month=2018-01&#38;category=city-promotion"),
        "the next month keeps the filter"
    );
    let (_, html) = app
        .page(
            "/activities?month=2017-12&workingGroup=werkgroep-temecula",
            "nl",
        )
        .await;
    assert!(!month_part(&html).contains(TREE));
    let temecula = app.partnership_id("temecula").await;
    let hranice = app.partnership_id("hranice").await;
    let (_, html) = app
        .page(
            &format!("/activities?month=2017-12&partnership={temecula}"),
            "nl",
        )
        .await;
    assert!(!month_part(&html).contains(TREE));
    let (_, html) = app
        .page(
            &format!("/activities?month=2017-12&partnership={hranice}"),
            "nl",
        )
        .await;
    assert!(month_part(&html).contains(TREE));

    // Bad filters: the error next to the field, the calendar of this month shown.
    let (status, html) = app
        .page("/activities?month=2017-13&category=knitting", "en")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_next_to(&html, "month").contains("Write a month as yyyy-mm"));
    assert!(error_next_to(&html, "category").contains("Choose one of the options"));
    assert!(html.contains("value=\"2017-13\""), "what was typed is kept");

    // The upcoming list: the tree stands every December, so within 90 days of late November.
    let (_, html) = app.page("/activities", "en").await;
    assert!(html.contains("Coming up (next 90 days)"));
    let upcoming = &html[html.find("id=\"upcoming-h\"").unwrap()..];
    if jiff::Zoned::now().month() >= 10 {
        assert!(upcoming.contains(TREE), "the next tree is coming up");
    }
}

async fn the_form_refuses_bad_input_and_stores_nothing(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let before = activity_state(&app).await;

    // End before start, participants below zero, a category that does not exist.
    let mut bad = form(&hranice, "Concert met fouten");
    for (k, v) in bad.iter_mut() {
        match *k {
            "end" => *v = "2026-05-10".into(),
            "participantsHome" => *v = "-3".into(),
            "category" => *v = "knitting".into(),
            _ => {}
        }
    }
    let res = post(&app, "/activities", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "end").contains("Het einde ligt voor het begin"));
    assert!(error_next_to(&html, "participantsHome").contains("niet onder nul"));
    assert!(error_next_to(&html, "category").contains("Kies een van de mogelijkheden"));
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("value=\"-3\""), "what was typed is kept");
    assert!(html.contains("value=\"Concert met fouten\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(activity_state(&app).await, before, "nothing stored");

    // A time zone that does not exist, a time that is no time, a working group that does not
    // carry the partnership.
    let temecula = app.partnership_id("temecula").await;
    let mut bad = form(&temecula, "Concert in de verkeerde zone");
    for (k, v) in bad.iter_mut() {
        match *k {
            "timezone" => *v = "Mars/Olympus".into(),
            "startTime" => *v = "25:99".into(),
            _ => {}
        }
    }
    let res = post(&app, "/activities", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "timezone").contains("geen tijdzone"));
    assert!(error_next_to(&html, "startTime").contains("uu:mm"));
    assert!(error_next_to(&html, "organiser").contains("draagt deze stedenband niet"));
    assert_eq!(activity_state(&app).await, before, "nothing stored");

    // A reception for an outgoing activity.
    let outgoing = all_activities(&app)
        .await
        .into_iter()
        .find(|a| a.draft.direction == Direction::Outgoing)
        .expect("an outgoing visit in the demo data");
    let res = app
        .post_form(&format!("/activities/{}/reception", outgoing.id), &[])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        error_next_to(&html, "reception")
            .contains("Alleen een inkomend bezoek kan door burgemeester en wethouders"),
        "the reason next to the reception"
    );
    assert!(
        !html.contains("Ontvangst aanvragen</button>"),
        "no button for an outgoing visit"
    );
    assert_eq!(activity_state(&app).await, before, "nothing stored");

    // Figures below zero and costs that are no amount.
    let tree = activity_titled(&app, TREE).await;
    let res = app
        .post_form(
            &format!("/activities/{}/occurrences/2016-12-01", tree.id),
            &[("participantsHome", "-1"), ("costs", "veel")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "fig-2016-12-01-participantsHome").contains("niet onder nul"));
    assert!(error_next_to(&html, "fig-2016-12-01-costs").contains("bedrag in euro"));
    assert!(html.contains("value=\"veel\""));
    assert!(
        html.contains("<a href=\"#fig-2016-12-01-costs\">"),
        "a summary at the top links to the field"
    );
    assert!(
        html.contains("<details class=\"end-role figures\" open>"),
        "the row's form is open"
    );
    // A date on which no occurrence begins.
    let res = app
        .post_form(
            &format!("/activities/{}/occurrences/2016-12-02", tree.id),
            &[("participantsHome", "10")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(activity_state(&app).await, before, "nothing stored");

    // Changing an activity whose reception is open into an outgoing one.
    let res = post(
        &app,
        "/activities",
        &form(&hranice, "Bezoek van het stadsorkest"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = location(&res);
    let res = app.post_form(&format!("{path}/reception"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let before = activity_state(&app).await;
    let mut out = form(&hranice, "Bezoek van het stadsorkest");
    for (k, v) in out.iter_mut() {
        if *k == "direction" {
            *v = "outgoing".into();
        }
    }
    let res = post(&app, &path, &out).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "direction").contains("Alleen een inkomend bezoek"));
    assert!(
        html.contains(&format!("action=\"{path}\"")),
        "the edit form again"
    );
    assert_eq!(activity_state(&app).await, before, "nothing changed");
}

async fn an_activity_is_created_changed_and_its_figures_recorded(app: App) {
    let hranice = app.partnership_id("hranice").await;
    // The form, filled in from the partnership page's link.
    let (status, html) = admin_page(
        &app,
        &format!("/activities/new?partnership={hranice}&organiser=werkgroep-hranice"),
        "nl",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<option value=\"{hranice}\" selected>")));
    assert!(html.contains("value=\"Europe/Amsterdam\""));
    for name in [
        "title",
        "start",
        "startTime",
        "end",
        "endTime",
        "timezone",
        "place",
        "direction",
        "category",
        "participantsHome",
        "participantsPartner",
        "status",
        "outcomes",
        "links",
        "public",
        "recurrence",
        "recurrenceUntil",
        "partnership",
        "organiser",
        "description",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "field {name}");
    }

    let res = post(
        &app,
        "/activities",
        &form(&hranice, "Bezoek van het stadsorkest"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = location(&res);
    assert!(path.starts_with("/activities/"));
    let (status, html) = app.page(&path, "en").await;
    assert_eq!(status, StatusCode::OK, "public: it is public");
    assert!(html.contains("<h1>Bezoek van het stadsorkest</h1>"));
    assert!(html.contains("14 May 2026 14:00 – 17 May 2026"));
    assert!(html.contains("Culture: music"));
    assert!(html.contains("href=\"/working-groups/werkgroep-hranice\""));
    assert!(html.contains("https://example.org/orkest"));
    assert!(
        !html.contains("/edit\""),
        "the public is not offered the form"
    );
    let (_, html) = app.page("/activities?month=2026-05", "nl").await;
    assert!(html.contains("Bezoek van het stadsorkest"));

    // Changed: not public any more, so gone from the public calendar, kept for those logged in.
    let mut changed = form(&hranice, "Bezoek van het stadsorkest");
    changed.retain(|(k, _)| *k != "public");
    let (status, html) = admin_page(&app, &format!("{path}/edit"), "nl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"Bezoek van het stadsorkest\""));
    let res = post(&app, &path, &changed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), path);
    let (status, _) = app.page(&path, "nl").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not public");
    let (_, html) = app.page("/activities?month=2026-05", "nl").await;
    assert!(!html.contains("Bezoek van het stadsorkest"));
    let (_, html) = admin_page(&app, "/activities?month=2026-05", "nl").await;
    assert!(html.contains("Bezoek van het stadsorkest"));
    assert!(html.contains("Niet openbaar"));

    // The tree's figures of 2016, recorded on its page.
    let tree = activity_titled(&app, TREE).await;
    let res = app
        .post_form(
            &format!("/activities/{}/occurrences/2016-12-01", tree.id),
            &[
                ("participantsHome", "400"),
                ("participantsPartner", "4"),
                ("costs", "6200,50"),
                ("notes", "Boom geplaatst met hulp van de gemeentewerf."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/activities/{}#occ-2016-12-01", tree.id)
    );
    let (_, html) = app.page(&format!("/activities/{}", tree.id), "nl").await;
    let occ = table(&html, "occurrences");
    let y2016 = &occ[occ.find("id=\"occ-2016-12-01\"").unwrap()..];
    let y2016 = &y2016[..y2016.find("</tr>").unwrap()];
    assert!(y2016.contains("<td>400</td>") && y2016.contains("<td>4</td>"));
    assert!(y2016.contains("€\u{a0}6.200,50"));
    assert!(y2016.contains("gemeentewerf"));
    let y2017 = &occ[occ.find("id=\"occ-2017-12-01\"").unwrap()..];
    assert!(y2017[..y2017.find("</tr>").unwrap()].contains("€\u{a0}6.500,00"));
    // Every December up to next year is listed.
    for year in 2004..=2026 {
        assert!(occ.contains(&format!("id=\"occ-{year}-12-01\"")), "{year}");
    }
    let (_, html) = app.page(&format!("/activities/{}", tree.id), "en").await;
    assert!(html.contains("€6,500.00"));
    assert!(html.contains("Every year"));
}

async fn a_reception_goes_through_its_steps_on_the_pages(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let res = post(
        &app,
        "/activities",
        &form(&hranice, "Bezoek van het stadsorkest"),
    )
    .await;
    let path = location(&res);
    let receptions = format!("/municipalities/{HOME}/receptions");

    // Requested by the editor (here the administrator).
    let (_, html) = admin_page(&app, &path, "nl").await;
    assert!(html.contains("Er is geen ontvangst aangevraagd."));
    assert!(html.contains(&format!("action=\"{path}/reception\"")));
    let res = app.post_form(&format!("{path}/reception"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{path}#reception"));
    // Asked twice: refused.
    let res = app.post_form(&format!("{path}/reception"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_next_to(&res.text().await.unwrap(), "reception").contains("al een ontvangst"));

    // The officials' list of open requests, linked from the municipality page.
    let (_, html) = admin_page(&app, &format!("/municipalities/{HOME}"), "nl").await;
    assert!(html.contains(&format!("href=\"{receptions}\"")));
    let (_, html) = app.page(&format!("/municipalities/{HOME}"), "nl").await;
    assert!(!html.contains(&receptions), "not for the public");
    let (status, html) = admin_page(&app, &receptions, "nl").await;
    assert_eq!(status, StatusCode::OK);
    let list = table(&html, "receptions");
    assert!(list.contains("Bezoek van het stadsorkest") && list.contains("Aangevraagd"));
    let res = app.http.get(app.url(&receptions)).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the public: to the login form"
    );

    // The official's form offers only the next steps.
    let (_, html) = admin_page(&app, &path, "nl").await;
    assert!(html.contains("value=\"accepted\"") && html.contains("value=\"declined\""));
    assert!(!html.contains("name=\"status\" value=\"held\""));

    // An invalid step (straight to held) is refused with the reason.
    let before = activity_state(&app).await;
    let step = format!("{path}/reception/step");
    let res = app.post_form(&step, &[("status", "held")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "status").contains("Deze stap kan niet"));
    assert_eq!(activity_state(&app).await, before, "nothing changed");

    // Accepted, scheduled (a date is needed), held.
    let res = app.post_form(&step, &[("status", "accepted")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &step,
            &[("status", "scheduled"), ("receivedBy", "De burgemeester")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(error_next_to(&html, "scheduledOn").contains("verplicht"));
    assert!(
        html.contains("value=\"De burgemeester\""),
        "what was typed is kept"
    );
    let res = app
        .post_form(
            &step,
            &[
                ("status", "scheduled"),
                ("scheduledOn", "2026-05-15"),
                ("scheduledAt", "16:00"),
                ("receivedBy", "De burgemeester"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin_page(&app, &path, "en").await;
    assert!(html.contains("Scheduled") && html.contains("15 May 2026, 16:00"));
    let (_, html) = admin_page(&app, &receptions, "en").await;
    assert!(table(&html, "receptions").contains("Scheduled"));
    let res = app.post_form(&step, &[("status", "held")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin_page(&app, &path, "nl").await;
    assert!(html.contains("reception-status-held\">Gehouden"));
    assert!(
        !html.contains(&format!("action=\"{step}\"")),
        "no step after held"
    );
    let (_, html) = admin_page(&app, &receptions, "nl").await;
    assert!(
        !html.contains("Bezoek van het stadsorkest"),
        "no longer open"
    );
    assert!(html.contains("Er zijn geen open ontvangstverzoeken."));

    // After held, nothing more.
    let before = activity_state(&app).await;
    let res = app.post_form(&step, &[("status", "declined")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(activity_state(&app).await, before);
}

async fn the_partnership_page_shows_numbers_and_dormancy(app: App) {
    let hranice = app.partnership_id("hranice").await;
    let temecula = app.partnership_id("temecula").await;
    let (status, html) = app.page(&format!("/partnerships/{hranice}"), "nl").await;
    assert_eq!(status, StatusCode::OK);
    let numbers = table(&html, "numbers");
    assert!(numbers.contains("Jaar") && numbers.contains("Per soort"));
    for year in 2004..=2017 {
        assert!(
            numbers.contains(&format!("<th scope=\"row\">{year}</th>")),
            "{year}"
        );
    }
    // 2017: the exchanges, the tree (with its costs) and the lighting.
    let y2017 = row(numbers, "2017");
    assert!(
        y2017.contains("Stadspromotie: 2"),
        "tree and lighting: {y2017}"
    );
    assert!(
        y2017.contains("€\u{a0}6.500,00"),
        "the tree's costs: {y2017}"
    );
    // The tree and its lighting are held every year up to now.
    assert!(row(numbers, "2025").contains("Stadspromotie: 2"));
    let dormancy = &html[html.find("id=\"dormancy\"").unwrap()..];
    let dormancy = &dormancy[..dormancy.find("</p>").unwrap()];
    assert!(
        dormancy.contains("Laatste gehouden activiteit:"),
        "{dormancy}"
    );
    assert!(!dormancy.contains("Slapend"), "{dormancy}");
    assert!(html.contains(&format!("href=\"/activities?partnership={hranice}\"")));
    assert!(
        !html.contains("/activities/new"),
        "the public plans nothing"
    );
    let (_, html) = admin_page(&app, &format!("/partnerships/{hranice}"), "nl").await;
    assert!(html.contains(&format!("href=\"/activities/new?partnership={hranice}\"")));

    // Temecula: the last exchange in 2017, long ago.
    let (_, html) = app.page(&format!("/partnerships/{temecula}"), "en").await;
    let dormancy = &html[html.find("id=\"dormancy\"").unwrap()..];
    let dormancy = &dormancy[..dormancy.find("</p>").unwrap()];
    assert!(
        dormancy.contains("class=\"dormancy dormant\""),
        "{dormancy}"
    );
    assert!(dormancy.contains("Last held activity:") && dormancy.contains("2017"));
    assert!(dormancy.contains("months ago"));
    assert!(dormancy.contains("Dormant: no held activity in the last 24 months."));
    assert!(table(&html, "numbers").contains("Participants (home)"));

    // The municipality page flags the two without activity, not Hranice.
    let (_, html) = app.page(&format!("/municipalities/{HOME}"), "nl").await;
    let flagged = |partner: &str| {
        let start = html.find(&format!(">{partner}</a></th>")).unwrap();
        let end = html[start..].find("</tr>").unwrap() + start;
        html[start..end].contains("Geen activiteit in 24 maanden")
    };
    assert!(!flagged("Hranice"));
    assert!(flagged("Konstancin-Jeziorna"));
    assert!(flagged("Temecula"));
}

async fn rights_are_those_of_the_use_cases(app: App) {
    // The working group's page leads to its activities, and its members to the form.
    let (_, html) = app.page("/working-groups/werkgroep-hranice", "nl").await;
    assert!(html.contains("href=\"/activities?workingGroup=werkgroep-hranice\""));
    assert!(!html.contains("/activities/new"));
    let (_, html) = admin_page(&app, "/working-groups/werkgroep-hranice", "nl").await;
    assert!(html.contains("href=\"/activities/new?organiser=werkgroep-hranice\""));

    // The public: to the login form for the forms, refused for posts.
    let res = app
        .http
        .get(app.url("/activities/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login?next=/activities/new"));
    let tree = activity_titled(&app, TREE).await;
    let res = app
        .http
        .get(app.url(&format!("/activities/{}/edit", tree.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let before = activity_state(&app).await;
    let hranice = app.partnership_id("hranice").await;
    let fields = form(&hranice, "Niet van het publiek");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.post_form_as("/activities", &pairs, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "to the login form");
    assert_eq!(activity_state(&app).await, before);

    // A member of the Hranice working group: their own group's activities, not Temecula's.
    app.state
        .accounts
        .create(
            "wg-hranice",
            "kerstboom uit hranice",
            &["working-group-member:werkgroep-hranice".into()],
        )
        .await
        .unwrap();
    let session = app
        .state
        .accounts
        .login("wg-hranice", "kerstboom uit hranice", None)
        .await
        .unwrap();
    let cookie = format!("{}={}", app.state.cookies.session_name(), session.token);
    let (status, html) = page_as(&app, "/activities/new", "nl", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Werkgroep Hranice"));
    assert!(!html.contains("Werkgroep Temecula"), "only their own group");
    assert!(!html.contains("De gemeente zelf"), "not the municipality");
    let (status, _) = page_as(
        &app,
        &format!("/activities/{}/edit", tree.id),
        "nl",
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let temecula = all_activities(&app)
        .await
        .into_iter()
        .find(|a| {
            matches!(
                &a.draft.organiser,
                stedenband_domain::activity::Organiser::WorkingGroup(_)
            ) && a.draft.place.as_deref() == Some("Temecula")
        })
        .expect("an activity of Werkgroep Temecula");
    let (status, html) = page_as(
        &app,
        &format!("/activities/{}/edit", temecula.id),
        "nl",
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("Uw account mag dit niet") || html.contains("Niet toegestaan"));
    let (_, html) = page_as(&app, &format!("/activities/{}", temecula.id), "nl", &cookie).await;
    assert!(
        !html.contains("/edit\""),
        "no edit button on another group's activity"
    );
    // Posting anyway changes nothing.
    let mut fields = form(&app.partnership_id("temecula").await, "Overgenomen");
    for (k, v) in fields.iter_mut() {
        if *k == "organiser" {
            *v = "werkgroep-temecula".into();
        }
    }
    let mut pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("_csrf", &session.csrf_token));
    let res = app
        .post_form_as(
            &format!("/activities/{}", temecula.id),
            &pairs,
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nor can they manage receptions.
    let (status, _) = page_as(
        &app,
        &format!("/municipalities/{HOME}/receptions"),
        "nl",
        &cookie,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(activity_state(&app).await, before);
}

/// More partnerships than fit one page (200): the calendar's filter and the activity form
/// offer every one of them, and filtering on one beyond the first page works.
async fn the_calendar_offers_every_partnership_beyond_the_first_page(app: App) {
    use stedenband_domain::{MunicipalityInput, PartnershipInput};
    let system = Caller::system();
    let mut ids = Vec::new();
    for i in 1..=200 {
        let name = format!("Partnerstad {i:03}");
        app.state
            .register
            .create_municipality(
                &system,
                &MunicipalityInput {
                    name: Some(name.clone()),
                    country: Some("DE".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let id = app
            .state
            .register
            .create_partnership(
                &system,
                &PartnershipInput {
                    home: Some("leidschendam-voorburg".into()),
                    partner: Some(name),
                    kind: Some("friendship".into()),
                    initiator: Some("local-government".into()),
                    // Before the demo's 2011 decision to enter no new twinnings.
                    start: Some("2010".into()),
                    status: Some("active".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        ids.push(id.0);
    }
    // The newest partnerships come last, beyond the first page of 200.
    let last = ids.last().unwrap();
    let (status, page) = admin_page(&app, &format!("/activities?partnership={last}"), "en").await;
    assert_eq!(status, StatusCode::OK);
    let (_, form) = admin_page(&app, "/activities/new", "en").await;
    for id in &ids {
        let option = format!(r#"<option value="{id}""#);
        assert!(page.contains(&option), "the calendar's filter offers {id}");
        assert!(form.contains(&option), "the form offers {id}");
    }
}

http_tests!(
    the_calendar_offers_every_partnership_beyond_the_first_page,
    calendar_shows_the_christmas_tree_every_december,
    the_form_refuses_bad_input_and_stores_nothing,
    an_activity_is_created_changed_and_its_figures_recorded,
    a_reception_goes_through_its_steps_on_the_pages,
    the_partnership_page_shows_numbers_and_dormancy,
    rights_are_those_of_the_use_cases,
);

/// The labels of every choice the pages show exist in both languages.
#[test]
fn every_choice_has_a_label_in_both_languages() {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        Category::ALL
            .iter()
            .map(|c| format!("category-{}", c.as_str())),
    );
    keys.extend(
        Direction::ALL
            .iter()
            .map(|c| format!("direction-{}", c.as_str())),
    );
    keys.extend(
        Direction::ALL
            .iter()
            .map(|c| format!("direction-short-{}", c.as_str())),
    );
    keys.extend(
        ActivityStatus::ALL
            .iter()
            .map(|c| format!("activity-status-{}", c.as_str())),
    );
    keys.extend(
        ReceptionStatus::ALL
            .iter()
            .map(|c| format!("reception-status-{}", c.as_str())),
    );
    for f in Frequency::ALL {
        keys.push(format!("recurrence-{}", f.as_str()));
        keys.push(format!("recurrence-{}-until", f.as_str()));
    }
    keys.push("recurrence-none".into());
    keys.extend((1..=7).map(|d| format!("weekday-{d}")));
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| Lang::ALL.iter().any(|l| !l.has(k)))
        .collect();
    assert!(missing.is_empty(), "not translated: {missing:?}");
}
