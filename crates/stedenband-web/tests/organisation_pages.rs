mod support;
use support::*;

// The organisation's pages (foundations, working groups, people and roles) against the real
// server with the demo data, on SQLite and PostgreSQL: what the public and the administrator
// see, the board on a past date, the board rule, refused input (422, the error next to the
// field, nothing stored), the member list as CSV and the data-subject requests.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use stedenband_app::Caller;
use stedenband_web::i18n::Lang;

const SLUG: &str = "stichting-stedenbanden-leidschendam-voorburg";
const GROUPS: [&str; 3] = [
    "Werkgroep Hranice",
    "Werkgroep Konstancin-Jeziorna",
    "Werkgroep Temecula",
];
/// The demo data's invented people.
const PEOPLE: [&str; 9] = [
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

/// Text as askama writes it into HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A page as the logged-in administrator sees it.
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

/// The part of a page from `start` to the end of the element's table.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = html[start..].find("</table>").expect("end of table") + start;
    &html[start..end]
}

async fn people_ids(app: &App) -> Vec<(String, String)> {
    app.state
        .organisation
        .people(&Caller::system(), SLUG)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.name.map(|n| n.to_string()).unwrap_or_default(), p.id))
        .collect()
}

async fn person_id(app: &App, name: &str) -> String {
    people_ids(app)
        .await
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no person {name}"))
        .1
}

async fn group_slugs(app: &App) -> Vec<String> {
    app.state
        .organisation
        .working_groups(Some(SLUG))
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.slug.to_string())
        .collect()
}

/// Everything the organisation holds, for comparing before and after refused requests.
async fn org_state(app: &App) -> String {
    let system = Caller::system();
    let org = &app.state.organisation;
    let on = jiff::civil::date(2024, 6, 1);
    let f = org.foundation(&system, SLUG, Some(on)).await.unwrap();
    let mut out = format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        org.foundations(None).await.unwrap(),
        f.groups,
        f.board,
        f.rule,
        org.people(&system, SLUG).await.unwrap()
    );
    for g in group_slugs(app).await {
        let v = org.working_group(&system, &g).await.unwrap();
        out.push_str(&format!("\n{:?}\n{:?}", v.group, v.seats));
    }
    out
}

fn assert_no_personal_data(html: &str, path: &str) {
    for name in PEOPLE {
        assert!(
            !html.contains(name) && !html.contains(&esc(name)),
            "{path} shows {name} to the public"
        );
    }
    assert!(
        !html.contains("@example.org"),
        "{path} shows an e-mail address to the public"
    );
}

async fn the_foundation_page_shows_groups_and_the_board_rule(app: App) {
    for (lang, holds, board) in [
        (
            "nl",
            "Op {date} zit de voorzitter van elke werkgroep in het bestuur.",
            "Bestuur",
        ),
        (
            "en",
            "On {date} the chair of every working group sits on the board.",
            "Board",
        ),
    ] {
        let (status, html) = app.page(&format!("/foundations/{SLUG}"), lang).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains("Stichting Stedenbanden Leidschendam-Voorburg"));
        for g in GROUPS {
            assert!(html.contains(g), "{lang}: {g} is listed");
        }
        let today = jiff::Zoned::now().date();
        let l = Lang::parse(lang).unwrap();
        let sentence = holds.replace("{date}", &l.full_date(today));
        assert!(
            html.contains(&esc(&sentence)),
            "{lang}: the rule holds today: {sentence}"
        );
        assert!(html.contains(&format!("<h2 id=\"board\">{board}</h2>")));
        assert!(
            html.contains("id=\"rule-table\""),
            "{lang}: the rule's history"
        );
    }
    // The municipality links to its foundations; the list links to the foundation.
    let (_, m) = app
        .page("/municipalities/leidschendam-voorburg", "nl")
        .await;
    assert!(m.contains("/foundations?municipality=leidschendam-voorburg"));
    let (status, list) = app
        .page("/foundations?municipality=leidschendam-voorburg", "en")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Foundations in Leidschendam-Voorburg"));
    assert!(list.contains(&format!("/foundations/{SLUG}")));
    let (status, _) = app.page("/foundations/no-such-foundation", "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_public_sees_roles_but_no_names(app: App) {
    let (_, html) = app.page(&format!("/foundations/{SLUG}"), "nl").await;
    let board = table(&html, "board-table");
    for role in ["Voorzitter", "Bestuurslid", "Secretaris", "Penningmeester"] {
        assert!(board.contains(role), "the public sees the role {role}");
    }
    assert!(!html.contains("/roles/"), "no forms to end roles");
    let mut pages = vec![
        "/foundations".to_owned(),
        "/foundations?municipality=leidschendam-voorburg".to_owned(),
        format!("/foundations/{SLUG}"),
        format!("/foundations/{SLUG}?on=2010-01-01"),
        format!("/foundations/{SLUG}?on=2020-01-01"),
        "/municipalities/leidschendam-voorburg".to_owned(),
    ];
    for g in group_slugs(&app).await {
        pages.push(format!("/working-groups/{g}"));
    }
    for path in &pages {
        for lang in ["nl", "en"] {
            let (status, html) = app.page(path, lang).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_no_personal_data(&html, path);
        }
    }
    // The pages with people on them send the public to the login form.
    let id = person_id(&app, "Eva Bakker").await;
    let wg = &group_slugs(&app).await[0];
    for path in [
        format!("/foundations/{SLUG}/people"),
        format!("/foundations/{SLUG}/people/new"),
        format!("/foundations/{SLUG}/members.csv"),
        format!("/foundations/{SLUG}/edit"),
        format!("/foundations/{SLUG}/working-groups/new"),
        format!("/working-groups/{wg}/edit"),
        format!("/people/{id}"),
        format!("/people/{id}/edit"),
        format!("/people/{id}/export"),
        "/foundations/new".to_owned(),
    ] {
        let res = app.http.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
        assert!(to.starts_with("/login?next="), "{path} → {to}");
        assert_no_personal_data(&res.text().await.unwrap(), &path);
    }
}

async fn the_board_of_a_past_date(app: App) {
    let (status, html) =
        admin_page(&app, &format!("/foundations/{SLUG}?on=2010-01-01"), "nl").await;
    assert_eq!(status, StatusCode::OK);
    let board = table(&html, "board-table");
    let chair = board
        .split("<tr>")
        .find(|row| row.contains("Voorzitter"))
        .expect("a chair in 2010");
    assert!(chair.contains("Anna Jansen"), "{chair}");
    assert!(!board.contains("Pieter de Graaf"));
    assert!(html.contains("Het bestuur op 1 januari 2010"));
    assert!(html.contains("value=\"2010-01-01\""), "the date is kept");

    let (_, html) = admin_page(&app, &format!("/foundations/{SLUG}?on=2020-01-01"), "en").await;
    let board = table(&html, "board-table");
    let chair = board
        .split("<tr>")
        .find(|row| row.contains("<th scope=\"row\">Chair</th>"))
        .expect("a chair in 2020");
    assert!(chair.contains("Pieter de Graaf"), "{chair}");
    assert!(!board.contains("Anna Jansen"));

    // A date that is not one: the error next to the field, today's board.
    let (status, html) = app
        .page(&format!("/foundations/{SLUG}?on=2010-02-30"), "nl")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"e-on\""));
    assert!(html.contains("value=\"2010-02-30\""));
}

async fn refused_input_is_shown_next_to_the_field_and_nothing_is_stored(app: App) {
    let before = org_state(&app).await;
    let nl = Lang::Nl;
    let eva = person_id(&app, "Eva Bakker").await;

    // A role that ends before it starts.
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/roles"),
            &[
                ("person", &eva),
                ("role", "vice-chair"),
                ("start", "2020-01-01"),
                ("end", "2019-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(&esc(&nl.t("error-end-before-start"))));
    assert!(
        html.contains("id=\"e-end\""),
        "the error is next to the end"
    );
    assert!(html.contains("value=\"2019-01-01\""), "the value is kept");
    assert!(html.contains("value=\"vice-chair\" selected"));

    // A working group without a partnership.
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/working-groups"),
            &[
                ("name", "Werkgroep Zonder Band"),
                ("foundedOn", "2024-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(&esc(&nl.t("error-working-group-partnership-required"))));
    assert!(html.contains("id=\"e-partnerships\""));
    assert!(html.contains("value=\"Werkgroep Zonder Band\""));

    // A person without a lawful basis.
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/people"),
            &[("name", "Bert Zonder Grondslag")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(&esc(&nl.t("error-basis-required"))));
    assert!(html.contains("id=\"e-basis\""));
    assert!(html.contains("value=\"Bert Zonder Grondslag\""));

    // An e-mail address that is not one.
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/people"),
            &[
                ("name", "Bert Verkeerd"),
                ("email", "bert at example"),
                ("basis", "membership"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(&esc(&nl.t("error-email-invalid"))));
    assert!(html.contains("id=\"e-email\""));
    assert!(html.contains("value=\"bert at example\""));
    assert!(html.contains("value=\"membership\" checked"));

    // Ending a role before it started: the error next to that role's form.
    let f = app
        .state
        .organisation
        .foundation(&Caller::system(), SLUG, None)
        .await
        .unwrap();
    let seat = &f.board[0];
    let res = app
        .post_form(
            &format!("/roles/{}/end", seat.role_id),
            &[
                ("end", "1990-01-01"),
                ("back", &format!("/foundations/{SLUG}")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(&esc(&nl.t("error-end-before-start"))));
    assert!(html.contains(&format!("id=\"e-end-{}\"", seat.role_id)));
    assert!(html.contains("value=\"1990-01-01\""));

    assert_eq!(org_state(&app).await, before, "nothing was stored");
}

async fn the_member_list_downloads_as_csv(app: App) {
    let res = app
        .http
        .get(app.url(&format!("/foundations/{SLUG}/members.csv")))
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = res.headers()[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let body = res.text().await.unwrap();
    assert!(
        body.starts_with("name,email,phone,body,role,start,end\n"),
        "{body}"
    );
    for who in ["Eva Bakker", "eva.bakker@example.org", "Pieter de Graaf"] {
        assert!(body.contains(who), "{who} in {body}");
    }
    assert!(
        !body.contains("2014-12-31"),
        "only today's roles, not Anna Jansen's chair until 2014: {body}"
    );
    // The foundation page links to it for the administrator.
    let (_, html) = admin_page(&app, &format!("/foundations/{SLUG}"), "nl").await;
    assert!(html.contains(&format!("/foundations/{SLUG}/members.csv")));
}

async fn ending_a_chairs_board_role_breaks_the_rule(app: App) {
    let f = app
        .state
        .organisation
        .foundation(&Caller::system(), SLUG, None)
        .await
        .unwrap();
    let seat = f
        .board
        .iter()
        .find(|s| s.person.as_ref().and_then(|p| p.name.as_deref()) == Some("Eva Bakker"))
        .expect("Eva Bakker on the board");
    // The administrator sees the form to end it.
    let (_, html) = admin_page(&app, &format!("/foundations/{SLUG}"), "nl").await;
    assert!(html.contains(&format!("action=\"/roles/{}/end\"", seat.role_id)));
    let res = app
        .post_form(
            &format!("/roles/{}/end", seat.role_id),
            &[("end", "2020-06-30"), ("back", "/foundations/x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION],
        format!("/foundations/{SLUG}#board")
    );

    let today = jiff::Zoned::now().date();
    let (_, html) = app.page(&format!("/foundations/{SLUG}"), "nl").await;
    let broken = format!(
        "Op {} zit niet de voorzitter van elke werkgroep in het bestuur.",
        Lang::Nl.full_date(today)
    );
    assert!(html.contains(&esc(&broken)), "the rule is broken today");
    let rule = table(&html, "rule-table");
    let row = rule
        .split("<tr>")
        .find(|r| r.contains("1 juli 2020"))
        .expect("a stretch from 1 July 2020");
    assert!(row.contains("Werkgroep Hranice"), "{row}");
    assert!(
        row.contains("de voorzitter zit niet in het bestuur"),
        "{row}"
    );
    assert!(!row.contains("Eva Bakker"), "the public does not see who");
    let (_, html) = admin_page(&app, &format!("/foundations/{SLUG}"), "en").await;
    assert!(html.contains("its chair, Eva Bakker, is not on the board"));
    // Before then it held.
    let (_, html) = app
        .page(&format!("/foundations/{SLUG}?on=2020-06-30"), "en")
        .await;
    assert!(html.contains("the chair of every working group sits on the board"));
}

async fn foundations_groups_people_and_roles_are_added_through_the_forms(app: App) {
    // A working group with the Temecula partnership.
    let temecula = app.partnership_id("temecula").await;
    let (status, form) = admin_page(
        &app,
        &format!("/foundations/{SLUG}/working-groups/new"),
        "nl",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!("value=\"{temecula}\"")));
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/working-groups"),
            &[
                ("name", "Werkgroep Jongeren Temecula"),
                ("partnerships", &temecula),
                ("foundedOn", "2024-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let group_path = res.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(group_path.starts_with("/working-groups/"), "{group_path}");

    // A person, on consent.
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}/people"),
            &[
                ("name", "Noor Willems"),
                ("email", "noor@example.net"),
                ("phone", "+31 70 123 4567"),
                ("basis", "consent"),
                ("consentTextVersion", "toestemming-2024-v1"),
                ("consentGivenOn", "2024-05-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let person_path = res.headers()[LOCATION].to_str().unwrap().to_owned();
    let id = person_path.trim_start_matches("/people/").to_owned();

    // Chair of the new group.
    let res = app
        .post_form(
            &format!("{group_path}/roles"),
            &[("person", &id), ("role", "chair"), ("start", "2024-01-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin_page(&app, &group_path, "nl").await;
    assert!(html.contains("Noor Willems"));
    assert!(html.contains(&format!("/partnerships/{temecula}")));
    let (_, public) = app.page(&group_path, "nl").await;
    assert!(!public.contains("Noor Willems"));
    assert!(public.contains("Voorzitter"));

    // The person's page: contact details, basis and roles for the administrator.
    let (status, html) = admin_page(&app, &person_path, "nl").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Noor Willems",
        "noor@example.net",
        "Toestemming",
        "toestemming-2024-v1",
        "Werkgroep Jongeren Temecula",
        "/withdraw-consent",
        "/erase",
        "/export",
    ] {
        assert!(html.contains(text), "{text} on the person's page");
    }

    // The board rule now names the new group's chair as missing.
    let (_, html) = admin_page(&app, &format!("/foundations/{SLUG}"), "en").await;
    assert!(html.contains("its chair, Noor Willems, is not on the board"));

    // The export is a JSON attachment.
    let res = app
        .http
        .get(app.url(&format!("{person_path}/export")))
        .header(COOKIE, &app.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/json");
    assert!(
        res.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["person"], id.as_str());
    assert!(body.to_string().contains("noor@example.net"));

    // Withdrawing consent anonymises at once.
    let res = app
        .post_form(&format!("{person_path}/withdraw-consent"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin_page(&app, &person_path, "nl").await;
    assert!(!html.contains("Noor Willems") && !html.contains("noor@example.net"));
    assert!(html.contains("Geanonimiseerde persoon"));
    assert!(!html.contains("/withdraw-consent"));

    // Erasure of another person.
    let joost = person_id(&app, "Joost Visser").await;
    let res = app.post_form(&format!("/people/{joost}/erase"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin_page(&app, &format!("/people/{joost}"), "en").await;
    assert!(!html.contains("Joost Visser"));
    assert!(html.contains("Anonymised person"));

    // Editing a foundation and a person keeps to the same forms.
    let (status, html) = admin_page(&app, &format!("/foundations/{SLUG}/edit"), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"leidschendam-voorburg\""));
    let res = app
        .post_form(
            &format!("/foundations/{SLUG}"),
            &[
                ("name", "Stichting Stedenbanden Leidschendam-Voorburg"),
                ("municipality", "leidschendam-voorburg"),
                ("kvkNumber", "1234"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(&esc(&Lang::Nl.t("error-kvk-invalid")))
    );
    let eva = person_id(&app, "Eva Bakker").await;
    let (status, html) = admin_page(&app, &format!("/people/{eva}/edit"), "nl").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"eva.bakker@example.org\""));
    assert!(html.contains("value=\"membership\" checked"));
}

http_tests!(
    the_foundation_page_shows_groups_and_the_board_rule,
    the_public_sees_roles_but_no_names,
    the_board_of_a_past_date,
    refused_input_is_shown_next_to_the_field_and_nothing_is_stored,
    the_member_list_downloads_as_csv,
    ending_a_chairs_board_role_breaks_the_rule,
    foundations_groups_people_and_roles_are_added_through_the_forms,
);

/// The labels chosen by code (roles, lawful bases) exist in both languages.
#[test]
fn role_and_basis_labels_are_translated() {
    use stedenband_domain::organisation::OrgRole;
    let mut keys: Vec<String> = OrgRole::ALL
        .iter()
        .map(|r| format!("org-role-{}", r.as_str()))
        .collect();
    keys.extend(
        ["membership", "consent", "public-task"]
            .iter()
            .map(|b| format!("basis-{b}")),
    );
    keys.extend(["rule-holds-on", "rule-broken-on"].map(str::to_owned));
    for key in &keys {
        for lang in Lang::ALL {
            assert!(lang.has(key), "{key} in {}", lang.code());
        }
    }
}
