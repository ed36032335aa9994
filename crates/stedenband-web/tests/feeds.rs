//! The iCalendar feeds as a calendar program fetches them: exactly the public activities of the
//! partnership, municipality or working group, UIDs that survive edits, linked from the pages,
//! and (when `ICAL_CHECK_PYTHON` is set, as in CI) parsed by Python's `icalendar` package.

mod support;
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The UIDs of a feed's events, in order.
fn uids(ics: &str) -> Vec<String> {
    ics.split("\r\n")
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_owned)
        .collect()
}

/// Writes the feed and, where the independent parser is available, has it parse the file and
/// list the same UIDs.
fn independent_check(name: &str, ics: &str) {
    let dir = workspace().join("target/ical");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.ics", std::process::id()));
    std::fs::write(&path, ics).unwrap();
    let Some(python) = std::env::var_os("ICAL_CHECK_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI, ICAL_CHECK_PYTHON must name a Python with the icalendar package"
        );
        return;
    };
    let python = if Path::new(&python).components().count() > 1 {
        workspace().join(python)
    } else {
        PathBuf::from(python)
    };
    let out = Command::new(&python)
        .arg(workspace().join("scripts/check-ical.py"))
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut parsed: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("UID "))
        .map(str::to_owned)
        .collect();
    let mut ours = uids(ics);
    parsed.sort();
    ours.sort();
    assert_eq!(parsed, ours, "the independent parser sees the same events");
    let _ = std::fs::remove_file(&path);
}

async fn ics(app: &App, path: &str) -> String {
    let res = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    res.text().await.unwrap()
}

async fn hranice(app: &App) -> String {
    let (_, list) = app
        .get_json("/api/v1/partnerships?municipality=leidschendam-voorburg")
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["partner"]["slug"] == "hranice")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn feeds_hold_exactly_the_public_activities_with_stable_uids(app: App) {
    let p = hranice(&app).await;
    // What the public API lists for the partnership: the expected events.
    let (_, listed) = app
        .get_json(&format!("/api/v1/activities?partnership={p}"))
        .await;
    let mut expected: Vec<String> = listed
        .as_array()
        .or(listed["items"].as_array())
        .unwrap()
        .iter()
        .map(|a| format!("{}@stedenband", a["id"].as_str().unwrap()))
        .collect();
    expected.sort();
    assert!(expected.len() > 20, "the demo programme");
    // A non-public activity is added: not in the public feed.
    let res = app
        .send_json(
            Method::POST,
            "/api/v1/activities",
            &json!({"partnership": p, "organiser": "werkgroep-hranice", "title": "Besloten overleg",
                    "start": "2026-03-01", "direction": "online", "category": "other"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let hidden: Value = res.json().await.unwrap();
    let feed = ics(&app, &format!("/partnerships/{p}/activities.ics")).await;
    let mut got = uids(&feed);
    got.sort();
    assert_eq!(got, expected, "exactly the public activities");
    assert!(!feed.contains(hidden["id"].as_str().unwrap()));
    assert!(feed.contains("RRULE:FREQ=YEARLY"), "the tree recurs");
    independent_check("partnership", &feed);

    // An edit keeps the event's UID and changes its summary.
    let tree = listed
        .as_array()
        .or(listed["items"].as_array())
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Kerstboom uit Hranice bij de Oude Kerk")
        .unwrap()
        .clone();
    let id = tree["id"].as_str().unwrap();
    let (_, full) = app.get_json(&format!("/api/v1/activities/{id}")).await;
    let mut body = json!({
        "partnership": p, "organiser": "werkgroep-hranice",
        "title": "Kerstboom uit Hranice (Oude Kerk)",
        "start": full["start"], "end": full["end"], "direction": full["direction"],
        "category": full["category"], "status": full["status"], "public": true,
        "place": full["place"], "description": full["description"],
        "recurrence": full["recurrence"],
    });
    if body["recurrence"].is_null() {
        body["recurrence"] = json!({"frequency": "yearly"});
    }
    let res = app
        .send_json(Method::PUT, &format!("/api/v1/activities/{id}"), &body)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let after = ics(&app, &format!("/partnerships/{p}/activities.ics")).await;
    let mut again = uids(&after);
    again.sort();
    assert_eq!(again, expected, "the same UIDs after an edit");
    assert!(after.contains("SUMMARY:Kerstboom uit Hranice (Oude Kerk)"));

    // The municipality's feed holds all three partnerships; the working group's only its own.
    let all = ics(&app, "/municipalities/leidschendam-voorburg/activities.ics").await;
    assert!(uids(&all).len() > uids(&after).len());
    independent_check("municipality", &all);
    let group = ics(&app, "/working-groups/werkgroep-temecula/activities.ics").await;
    assert!(!uids(&group).is_empty());
    assert!(uids(&group).iter().all(|u| !expected.contains(u)));

    // Linked from the pages.
    let (_, page) = app.page(&format!("/partnerships/{p}"), "nl").await;
    assert!(page.contains(&format!(
        r#"<link rel="alternate" type="text/calendar" title="iCalendar" href="/partnerships/{p}/activities.ics">"#
    )));
    let (_, page) = app
        .page("/municipalities/leidschendam-voorburg", "en")
        .await;
    assert!(page.contains(r#"href="/municipalities/leidschendam-voorburg/activities.ics""#));
    let (_, page) = app
        .page(&format!("/activities?partnership={p}"), "en")
        .await;
    assert!(page.contains(&format!(
        r#"href="/partnerships/{p}/activities.ics">Subscribe to this calendar (iCalendar)</a>"#
    )));
    // An unknown partnership has no feed.
    let res = app
        .http
        .get(app.url("/partnerships/nope/activities.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// A feed unfolded (RFC 5545 3.1), so that long lines can be searched.
fn unfolded(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

/// The links in a feed and on the pages are never built from the Host header, which the client
/// chooses: they use the configured public address, else the address the server listens on.
async fn links_ignore_a_forged_host_header(app: App) {
    let p = hranice(&app).await;
    let forged = "evil.example";
    let paths = [
        format!("/partnerships/{p}/activities.ics"),
        "/municipalities/leidschendam-voorburg/activities.ics".to_owned(),
        "/working-groups/werkgroep-hranice/activities.ics".to_owned(),
        format!("/partnerships/{p}"),
        "/municipalities/leidschendam-voorburg".to_owned(),
        "/working-groups/werkgroep-hranice".to_owned(),
        format!("/activities?partnership={p}"),
    ];
    for path in &paths {
        let res = app
            .http
            .get(app.url(path))
            .header(reqwest::header::HOST, forged)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body = unfolded(&res.text().await.unwrap());
        assert!(!body.contains(forged), "{path} names the forged host");
        if path.ends_with(".ics") {
            assert!(
                body.contains(&format!("\r\nURL:{}/activities/", app.base)),
                "{path} links to the address listened on"
            );
        }
    }
    // A configured public address is used as it is (without its trailing slash).
    let state = app
        .state
        .clone()
        .with_base_url("https://stedenband.example.nl/");
    let base = stedenband_web::Server::bind("127.0.0.1:0", state)
        .await
        .unwrap()
        .spawn();
    let res = app
        .http
        .get(format!("{base}/partnerships/{p}/activities.ics"))
        .header(reqwest::header::HOST, forged)
        .send()
        .await
        .unwrap();
    let feed = unfolded(&res.text().await.unwrap());
    assert!(feed.contains("\r\nURL:https://stedenband.example.nl/activities/"));
    assert!(!feed.contains(forged));
    // What `serve --base-url` accepts.
    use stedenband_web::parse_base_url;
    assert_eq!(
        parse_base_url("https://stedenband.example.nl/").as_deref(),
        Ok("https://stedenband.example.nl")
    );
    assert_eq!(
        parse_base_url("http://127.0.0.1:8080/stedenband").as_deref(),
        Ok("http://127.0.0.1:8080/stedenband")
    );
    for bad in [
        "stedenband.example.nl",
        "javascript:alert(1)",
        "https://",
        "https://user@example.nl",
        "https://example.nl/?x=1",
        "https://example.nl/\"><script>",
    ] {
        assert!(parse_base_url(bad).is_err(), "{bad}");
    }
}

http_tests!(
    feeds_hold_exactly_the_public_activities_with_stable_uids,
    links_ignore_a_forged_host_header,
);
