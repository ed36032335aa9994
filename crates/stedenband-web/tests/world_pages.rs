mod support;
use support::*;

// The world register's pages on SQLite and PostgreSQL, on the demo data with the shipped world
// list: Leidschendam-Voorburg's town page (its register partnerships, Hranice also from the
// list, the triangle, the attribution) and the section on its municipality page; the search
// (folded names, a refused country next to its field, pages); a country's figures as the API
// gives them, its map and the GeoJSON; the network forms (a chain, a name that fits several
// towns, an unknown name); partner suggestions with their reasons. Each page in Dutch and
// English.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

const LV: &str = "leidschendam-voorburg";
const ATTRIBUTION: &str = "Wikipedia contributors, CC BY-SA 4.0";

/// The id of the town of that name, found through the API.
async fn town_id(app: &App, q: &str, name: &str) -> i64 {
    let (status, v) = app
        .get_json(&format!("/api/v1/towns?q={}", urlencode(q)))
        .await;
    assert_eq!(status, StatusCode::OK);
    v["towns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no town {name} for {q}: {v}"))["id"]
        .as_i64()
        .unwrap()
}

/// The page's text without tags, entities of the five characters decoded, white space
/// collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace('\u{a0}', " ");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of the page from `start` on, up to `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The table row whose first link reads `name`.
fn row<'a>(html: &'a str, name: &str) -> &'a str {
    html.split("<tr")
        .find(|r| r.contains(&format!(">{name}</a>")))
        .unwrap_or_else(|| panic!("no row for {name}"))
}

/// Asserts that the texts appear in this order.
fn in_order(html: &str, texts: &[&str]) {
    let mut at = 0;
    for t in texts {
        let i = html[at..]
            .find(t)
            .unwrap_or_else(|| panic!("{t} not after position {at} in {html}"));
        at += i + t.len();
    }
}

async fn the_town_page_shows_partners_with_their_records_and_triangles(app: App) {
    let lv = town_id(&app, "leidschendam", "Leidschendam-Voorburg").await;
    let hranice = app.partnership_id("hranice").await;
    let konstancin = app.partnership_id("konstancin-jeziorna").await;
    let temecula = app.partnership_id("temecula").await;
    for (lang, register, list, triangle_intro, source) in [
        (
            "nl",
            "Register: vriendschapsband sinds 1990, actief",
            "Lijst: twin_cities.csv",
            "Partners van Leidschendam-Voorburg die ook met elkaar een stedenband hebben",
            "Bron: ",
        ),
        (
            "en",
            "Register: friendship bond since 1990, active",
            "List: twin_cities.csv",
            "Partners of Leidschendam-Voorburg that are twinned with each other too",
            "Source: ",
        ),
    ] {
        let (status, html) = app.page(&format!("/towns/{lv}"), lang).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains("<h1>Leidschendam-Voorburg</h1>"), "{lang}");
        assert!(
            html.contains(r#"href="/municipalities/leidschendam-voorburg""#),
            "{lang}: the register municipality it is"
        );
        assert!(html.contains(r#"href="/countries/NL""#), "{lang}");
        let table = between(&html, r#"<table id="partners""#, "</table>");
        for (name, partnership) in [
            ("Hranice", &hranice),
            ("Konstancin-Jeziorna", &konstancin),
            ("Temecula", &temecula),
        ] {
            let r = row(table, name);
            assert!(
                r.contains(&format!(r#"href="/partnerships/{partnership}""#)),
                "{lang}: {name} is a partnership of the register: {r}"
            );
            assert!(r.contains("record-register"), "{lang}: {name}");
        }
        let h = row(table, "Hranice");
        assert!(text(h).contains(register), "{lang}: {}", text(h));
        assert!(
            text(h).contains(list),
            "{lang}: Hranice is in the list too: {}",
            text(h)
        );
        assert!(h.contains(r#"href="/municipalities/hranice""#), "{lang}");
        assert!(!text(row(table, "Temecula")).contains(list), "{lang}");
        let triangles = text(between(&html, r#"id="triangles-h""#, "</section>"));
        assert!(triangles.contains(triangle_intro), "{lang}: {triangles}");
        assert!(
            triangles.contains("Hranice — Konstancin-Jeziorna"),
            "{lang}: {triangles}"
        );
        // The map: its points and lines, register lines as such.
        let map = between(&html, "<svg", "</svg>");
        assert!(map.contains("<title"), "{lang}: the map has a name");
        assert!(map.contains(r#"class="home""#), "{lang}");
        assert_eq!(
            map.matches(r#"<path class="register""#).count(),
            3,
            "{lang}"
        );
        assert!(html.contains(&format!(r#"href="/api/v1/towns/{lv}/geojson""#)));
        assert!(html.contains(&format!("/network?chain_a_id={lv}")));
        assert!(html.contains(&format!("/network?shared_a_id={lv}")));
        assert!(html.contains(&format!("/municipalities/{LV}/suggestions")));
        let page = text(&html);
        assert!(page.contains(&format!("{source}{ATTRIBUTION}")), "{lang}");
    }
    let (status, _) = app.page("/towns/999999999", "nl").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.page("/towns/hranice", "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_municipality_page_shows_its_town_in_the_world_register(app: App) {
    let lv = town_id(&app, "leidschendam", "Leidschendam-Voorburg").await;
    for (lang, heading, none) in [
        (
            "nl",
            "In het wereldregister",
            "Partners in het wereldregister, met waar elke stedenband is vastgelegd",
        ),
        (
            "en",
            "In the world register",
            "Its partners in the world register, with where each twinning is recorded",
        ),
    ] {
        let (status, html) = app.page(&format!("/municipalities/{LV}"), lang).await;
        assert_eq!(status, StatusCode::OK);
        let section = between(&html, r#"<section aria-labelledby="world-h""#, "</section>");
        let words = text(section);
        assert!(words.contains(heading), "{lang}: {words}");
        // Hranice: a partnership of the register, and the list's pair on the same town.
        assert!(words.contains(none), "{lang}: {words}");
        let hranice = between(section, ">Hranice</a>", "</tr>");
        assert!(hranice.contains("twin_cities.csv"), "{lang}: {hranice}");
        assert!(
            hranice.contains("Register") || hranice.contains("register"),
            "{lang}: {hranice}"
        );
        assert!(section.contains(">Konstancin-Jeziorna</a>") && section.contains(">Temecula</a>"));
        assert!(
            words.contains("Hranice — Konstancin-Jeziorna"),
            "{lang}: {words}"
        );
        assert!(
            section.contains(&format!(r#"href="/towns/{lv}""#)),
            "{lang}"
        );
        assert!(
            section.contains(&format!(r#"href="/municipalities/{LV}/suggestions""#)),
            "{lang}"
        );
        assert!(words.contains(ATTRIBUTION), "{lang}");
    }
    // Hranice's town has partners from the list that are not partnerships of the register,
    // and Leidschendam-Voorburg, recorded in both.
    let (_, html) = app.page("/municipalities/hranice", "en").await;
    let section = between(&html, r#"<section aria-labelledby="world-h""#, "</section>");
    let table = between(section, r#"<table id="world-partners""#, "</table>");
    assert!(
        text(table).contains("List: twin_cities.csv"),
        "{}",
        text(table)
    );
    let lv_row = between(table, ">Leidschendam-Voorburg</a>", "</tr>");
    assert!(lv_row.contains("Register: "), "{lv_row}");
    assert!(lv_row.contains("List: twin_cities.csv"), "{lv_row}");
}

async fn the_search_finds_towns_by_folded_names(app: App) {
    for (q, names) in [
        ("hrani", &["Hranice"][..]),
        ("konstancin", &["Konstancin-Jeziorna"]),
        ("leidschendam", &["Leidschendam-Voorburg", "Leidschendam"]),
        ("DOBRANY", &["Dobřany"]),
    ] {
        let (status, html) = app.page(&format!("/towns?q={}", urlencode(q)), "nl").await;
        assert_eq!(status, StatusCode::OK, "{q}");
        let table = between(&html, r#"<table id="towns""#, "</table>");
        for name in names {
            let r = row(table, name);
            let id = town_id(&app, q, name).await;
            assert!(r.contains(&format!(r#"href="/towns/{id}""#)), "{q}: {name}");
        }
        assert!(html.contains(&format!(r#"value="{q}""#)), "{q}: kept");
    }
    // A register municipality is marked.
    let (_, html) = app.page("/towns?q=hrani", "en").await;
    let r = row(&html, "Hranice");
    assert!(r.contains(r#"href="/municipalities/hranice""#));
    assert!(text(r).contains("in the register"));
    assert!(text(r).contains("Czechia"));
    assert!(text(&html).contains("1 town found"));
    let (_, html) = app.page("/towns?q=hrani", "nl").await;
    assert!(text(&html).contains("1 plaats gevonden"));
    assert!(text(&html).contains("Tsjechië"));

    // A country that is none: the error next to the field, the value kept, 422.
    for (lang, message) in [
        ("nl", "Dit is geen ISO 3166-1-landcode"),
        ("en", "This is not an ISO 3166-1 country code"),
    ] {
        let (status, html) = app.page("/towns?q=hrani&country=XX", lang).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        let field = between(&html, r#"<label for="f-country">"#, "</select>");
        assert!(field.contains(r#"id="e-country""#), "{lang}");
        assert!(text(field).contains(message), "{lang}: {}", text(field));
        assert!(field.contains(r#"aria-invalid="true""#));
        assert!(field.contains(r#"<option value="XX" selected>"#), "kept");
        assert!(html.contains(r#"value="hrani""#));
    }
    // In one country.
    let (status, html) = app.page("/towns?q=santa+fe&country=es", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<option value="ES" selected>"#));
    assert!(text(&html).contains("1 town found"), "{}", text(&html));

    // Without a name: the most connected first, 50 a page.
    let (status, first) = app.page("/towns", "en").await;
    assert_eq!(status, StatusCode::OK);
    let words = text(&first);
    assert!(words.contains("The most connected towns"), "{words}");
    assert!(words.contains("Page 1 of"), "{words}");
    assert!(first.contains(r#"href="/towns?page=2""#));
    let rows = |html: &str| between(html, "<tbody>", "</tbody>").matches("<tr>").count();
    assert_eq!(rows(&first), 50);
    let (status, second) = app.page("/towns?page=2", "nl").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&second), 50);
    assert!(text(&second).contains("Pagina 2 van"));
    assert!(second.contains(r#"href="/towns?page=1""#));
    let first_row = |html: &str| {
        let body = between(html, "<tbody>", "</tbody>");
        between(body, "<tr>", "</tr>").to_owned()
    };
    assert_ne!(first_row(&first), first_row(&second));
}

async fn a_country_page_shows_the_figures_of_the_api(app: App) {
    let (status, api) = app.get_json("/api/v1/countries/CZ").await;
    assert_eq!(status, StatusCode::OK);
    let en = |v: &Value| {
        let digits = v.as_u64().unwrap().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let (status, html) = app.page("/countries/CZ", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Czechia</h1>"));
    for (id, field) in [
        ("fig-towns", "towns"),
        ("fig-twinned", "twinnedTowns"),
        ("fig-within", "pairsWithin"),
        ("fig-abroad", "pairsAbroad"),
    ] {
        let dd = between(&html, &format!(r#"<dd id="{id}">"#), "</dd>");
        assert_eq!(text(dd), en(&api[field]), "{field}");
    }
    let partners = between(&html, r#"<table id="partner-countries""#, "</table>");
    let first = &api["partnerCountries"][0];
    assert_eq!(first["code"], "DE");
    assert!(text(row(partners, "Germany")).contains(&en(&first["pairs"])));
    let map = between(&html, "<svg", "</svg>");
    assert!(map.contains("<title"));
    assert!(map.contains(r#"class="country highlight""#));
    let words = text(&html);
    assert!(
        words.contains("The map shows 500 of the"),
        "capped: {words}"
    );
    assert!(words.contains(ATTRIBUTION));
    assert!(html.contains(r#"href="/api/v1/countries/CZ/geojson""#));
    let (_, html) = app.page("/countries/CZ", "nl").await;
    assert!(html.contains("<h1>Tsjechië</h1>"));
    assert!(text(&html).contains("Stedenbanden met het buitenland"));
    let (status, _) = app.page("/countries/ZZ", "nl").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The list of countries.
    let (status, html) = app.page("/countries", "nl").await;
    assert_eq!(status, StatusCode::OK);
    let r = row(&html, "Tsjechië");
    assert!(r.contains(r#"href="/countries/CZ""#));
    let (_, html) = app.page("/countries", "en").await;
    assert!(text(&html).contains("Countries in the world register"));
    assert!(text(row(&html, "Czechia")).contains(&en(&api["pairsAbroad"])));

    // A town's GeoJSON: a line per partner, with coordinates.
    let lv = town_id(&app, "leidschendam", "Leidschendam-Voorburg").await;
    let res = app
        .http
        .get(app.url(&format!("/api/v1/towns/{lv}/geojson")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/geo+json");
    let geo: Value = res.json().await.unwrap();
    let lines: Vec<&Value> = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(lines.len(), 3, "Hranice, Konstancin-Jeziorna, Temecula");
    for l in lines {
        let c = l["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(c.len(), 2);
        for p in c {
            assert!(p[0].is_f64() && p[1].is_f64(), "{p}");
        }
    }
}

async fn the_network_forms_find_chains_and_ask_which_town(app: App) {
    let lv = town_id(&app, "leidschendam", "Leidschendam-Voorburg").await;
    let denzlingen = town_id(&app, "denzlingen", "Denzlingen").await;
    // By name, with the country of one.
    for (lang, summary) in [
        ("nl", "Een keten van 2 stedenbanden."),
        ("en", "A chain of 2 twinnings."),
    ] {
        let (status, html) = app
            .page(
                "/network?chain_a=Leidschendam-Voorburg&chain_a_country=&chain_b=Denzlingen&chain_b_country=DE",
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        let result = between(&html, r#"id="chain-result""#, "</ol>");
        let words = text(result);
        assert!(words.contains(summary), "{lang}: {words}");
        in_order(
            &words,
            &["Leidschendam-Voorburg", "Konstancin-Jeziorna", "Denzlingen"],
        );
        // Each step with the records of its pair.
        let register = if lang == "nl" {
            "Register: vriendschapsband sinds 1991"
        } else {
            "Register: friendship bond since 1991"
        };
        in_order(
            &words,
            &[
                "Konstancin-Jeziorna",
                register,
                "Denzlingen",
                "twin_cities.csv",
            ],
        );
    }
    // By ids, as the links carry them.
    let (status, html) = app
        .page(
            &format!("/network?chain_a_id={lv}&chain_b_id={denzlingen}"),
            "en",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let words = text(between(&html, r#"id="chain-result""#, "</ol>"));
    in_order(
        &words,
        &["Leidschendam-Voorburg", "Konstancin-Jeziorna", "Denzlingen"],
    );
    // The town page's link fills in the first town, and asks nothing else yet.
    let (status, html) = app.page(&format!("/network?chain_a_id={lv}"), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"name="chain_a" value="Leidschendam-Voorburg""#));
    assert!(!html.contains("error-message"));

    // A name that fits several towns: the choices as links, keeping the other town.
    for (lang, question) in [
        ("nl", "Welke Santa Fe bedoelt u?"),
        ("en", "Which Santa Fe do you mean?"),
    ] {
        let (status, html) = app
            .page(
                "/network?chain_a=Santa+Fe&chain_a_country=&chain_b=Denzlingen&chain_b_country=",
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        let choices = between(&html, r#"id="c-chain_a""#, "</ul>");
        assert!(text(choices).contains(question), "{lang}");
        assert_eq!(choices.matches("<li>").count(), 3, "{lang}: ES, US, AR");
        assert!(
            choices.contains(&format!("chain_b_id={denzlingen}")),
            "{lang}: {choices}"
        );
        assert!(!html.contains(r#"id="chain-result""#));
    }
    let (_, html) = app
        .page("/network?chain_a=Santa+Fe&chain_b=Denzlingen", "en")
        .await;
    let choices = between(&html, r#"id="c-chain_a""#, "</ul>");
    let href = between(choices, "href=\"", "\">")
        .trim_start_matches("href=\"")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let (status, html) = app.page(&href, "en").await;
    assert_eq!(status, StatusCode::OK, "{href}");
    assert!(html.contains(r#"id="chain-result""#), "{href}");
    // One country decides.
    let (_, html) = app
        .page(
            "/network?chain_a=Santa+Fe&chain_a_country=AR&chain_b=Denzlingen",
            "en",
        )
        .await;
    assert!(html.contains(r#"id="chain-result""#));

    // An unknown name: the error next to its field.
    for (lang, message) in [
        ("nl", "Geen plaats gevonden met deze naam."),
        ("en", "No town found by this name."),
    ] {
        let (status, html) = app
            .page(
                "/network?chain_a=Leidschendam-Voorburg&chain_b=Nergenshuizen",
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        let field = between(&html, r#"<label for="f-chain_b">"#, "</div>");
        assert!(text(field).contains(message), "{lang}: {}", text(field));
        assert!(field.contains(r#"aria-invalid="true""#));
        assert!(field.contains(r#"value="Nergenshuizen""#), "kept");
    }
    // A form sent with a field empty.
    let (status, html) = app.page("/network?shared_a=Hranice&shared_b=", "en").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"id="e-shared_b""#));

    // Shared partners.
    for (lang, heading) in [
        (
            "nl",
            "Leidschendam-Voorburg en Konstancin-Jeziorna hebben 1 gemeenschappelijke partner",
        ),
        (
            "en",
            "Leidschendam-Voorburg and Konstancin-Jeziorna share 1 partner",
        ),
    ] {
        let (status, html) = app
            .page(
                &format!("/network?shared_a_id={lv}&shared_b=konstancin-jeziorna"),
                lang,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let words = text(between(&html, r#"id="shared-result""#, "</div>"));
        assert!(words.contains(heading), "{lang}: {words}");
        assert!(words.contains("Hranice"), "{lang}: {words}");
    }

    // The largest networks and the most connected towns of the world.
    let (_, html) = app.page("/network", "nl").await;
    let words = text(&html);
    assert!(words.contains("De grootste netwerken"));
    assert!(words.contains("De 20 meest verbonden plaatsen van de wereld"));
    assert_eq!(
        between(&html, r#"<table id="components""#, "</tbody>")
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .matches("<tr>")
            .count(),
        20
    );
    assert_eq!(
        between(&html, r#"<table id="most-connected""#, "</tbody>")
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .matches("<tr>")
            .count(),
        20
    );
    let (_, html) = app.page("/network", "en").await;
    assert!(text(&html).contains("The largest networks"));
}

async fn suggestions_state_their_reasons(app: App) {
    for (lang, reason, title) in [
        (
            "nl",
            "stedenband met 1 van uw partners: Hranice (+3)",
            "Partnersuggesties voor Leidschendam-Voorburg",
        ),
        (
            "en",
            "twinned with 1 of your partners: Hranice (+3)",
            "Partner suggestions for Leidschendam-Voorburg",
        ),
    ] {
        let (status, html) = app
            .page(&format!("/municipalities/{LV}/suggestions"), lang)
            .await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(text(&html).contains(title), "{lang}");
        let r = text(row(&html, "Hlohovec"));
        assert!(r.contains(reason), "{lang}: {r}");
        let country = if lang == "nl" {
            "een land waar nog geen van uw partners ligt: Slowakije (+2)"
        } else {
            "a country none of your partners is in: Slovakia (+2)"
        };
        assert!(r.contains(country), "{lang}: {r}");
        assert!(r.contains(" 6 "), "{lang}: the score: {r}");
        assert!(text(&html).contains(ATTRIBUTION));
    }
    let (status, _) = app
        .page("/municipalities/nergenshuizen/suggestions", "nl")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

http_world_tests!(
    the_town_page_shows_partners_with_their_records_and_triangles,
    the_municipality_page_shows_its_town_in_the_world_register,
    the_search_finds_towns_by_folded_names,
    a_country_page_shows_the_figures_of_the_api,
    the_network_forms_find_chains_and_ask_which_town,
    suggestions_state_their_reasons,
);
