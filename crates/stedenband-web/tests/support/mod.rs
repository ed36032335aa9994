//! The real server on port 0 with the demo data and an administrator, for the HTTP tests.
#![allow(dead_code)]

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use stedenband_store::Db;
use stedenband_store::testing::TestDb;
use stedenband_web::{AppState, Server};

pub struct App {
    pub base: String,
    pub http: Client,
    /// An administrator's personal access token, for API writes.
    pub token: String,
    /// An administrator's session cookie and its CSRF token, for form posts.
    pub cookie: String,
    pub csrf: String,
    pub state: AppState,
    pub _db: TestDb,
}

pub const ADMIN_PASSWORD: &str = "kerstboom uit hranice";

impl App {
    /// The server as `serve --demo` runs it, on a copy of a SQLite database that holds the demo
    /// data and the administrator (filled once per test program, see [`demo_with_administrator`]).
    pub async fn demo_sqlite() -> App {
        App::serve(demo_sqlite().await, false).await
    }

    /// As [`App::demo_sqlite`] on PostgreSQL, or `None` when none is configured.
    pub async fn demo_postgres() -> Option<App> {
        Some(App::serve(demo_postgres().await?, false).await)
    }

    /// The server as `serve --demo` runs it: the second factor offered, not required, so the
    /// administrator's session below is a full one from the password alone. The second
    /// factor's tests start the server as it runs by default (`start_requiring_second_factor`).
    /// `db` is empty: the demo data and the administrator are loaded into it first.
    pub async fn start(db: TestDb) -> App {
        App::start_with(db, false).await
    }

    /// The default server: administrators and officials must use a second factor. The
    /// administrator's session below is then limited to setting it up.
    pub async fn start_requiring_second_factor(db: TestDb) -> App {
        App::start_with(db, true).await
    }

    pub async fn start_with(db: TestDb, require_second_factor: bool) -> App {
        demo_with_administrator(&db.db).await;
        App::serve(db, require_second_factor).await
    }

    /// Serves a database that already holds the demo data and the administrator: only the
    /// administrator's token and session are made here.
    pub async fn serve(db: TestDb, require_second_factor: bool) -> App {
        let state = AppState::new(db.db.clone()).requiring_second_factor(require_second_factor);
        assert!(
            AppState::new(db.db.clone())
                .accounts
                .require_second_factor(),
            "AppState::new requires a second factor"
        );
        let token = state
            .accounts
            .create_token("beheerder", "tests")
            .await
            .unwrap();
        let session = state
            .accounts
            .login("beheerder", ADMIN_PASSWORD, None)
            .await
            .unwrap();
        let cookie = format!("{}={}", state.cookies.session_name(), session.token);
        let base = Server::bind("127.0.0.1:0", state.clone())
            .await
            .expect("bind")
            .spawn();
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        App {
            base,
            http,
            token,
            cookie,
            csrf: session.csrf_token,
            state,
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(self.url(path))
            .header(ACCEPT_LANGUAGE, "en")
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap())
    }

    /// Sends JSON as the administrator (with the bearer token).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.http
            .request(method, self.url(path))
            .header(ACCEPT_LANGUAGE, "en")
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn page(&self, path: &str, lang: &str) -> (StatusCode, String) {
        let res = self
            .http
            .get(self.url(path))
            .header(ACCEPT_LANGUAGE, lang)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a form as the logged-in administrator.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut with_csrf = form.to_vec();
        with_csrf.push(("_csrf", &self.csrf));
        self.post_form_as(path, &with_csrf, Some(&self.cookie))
            .await
    }

    pub async fn post_form_as(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.http
            .post(self.url(path))
            .header(ACCEPT_LANGUAGE, "nl")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(COOKIE, cookie.unwrap_or(""))
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Everything the API can list: compared before and after refused requests.
    pub async fn snapshot(&self) -> Value {
        let (_, m) = self.get_json("/api/v1/municipalities?pageSize=200").await;
        let (_, p) = self.get_json("/api/v1/partnerships?pageSize=200").await;
        let mut details = Vec::new();
        for item in p["items"].as_array().unwrap() {
            details.push(
                self.get_json(&format!(
                    "/api/v1/partnerships/{}",
                    item["id"].as_str().unwrap()
                ))
                .await
                .1,
            );
        }
        json!({ "municipalities": m, "partnerships": details })
    }

    pub async fn partnership_id(&self, partner: &str) -> String {
        let (_, p) = self
            .get_json("/api/v1/partnerships?municipality=leidschendam-voorburg")
            .await;
        let item = p["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["partner"]["slug"] == partner)
            .unwrap();
        item["id"].as_str().unwrap().to_owned()
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else if b == b' ' {
                "+".to_owned()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The problem document of a refused request, after checking its media type.
pub async fn problem(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/problem+json");
    assert_eq!(res.headers()["api-version"], "1.0.0");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    body
}

pub fn invalid_fields(p: &Value) -> Vec<(String, String)> {
    p["invalidParams"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i["name"].as_str().unwrap().to_owned(),
                        i["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fills an empty database as every HTTP test starts: the demo data and the administrator
/// "beheerder" (without a second factor) with [`ADMIN_PASSWORD`].
pub async fn demo_with_administrator(db: &Db) {
    let state = AppState::new(db.clone());
    stedenband_app::demo::load(&state.register)
        .await
        .expect("demo data");
    state
        .accounts
        .create("beheerder", ADMIN_PASSWORD, &["administrator".into()])
        .await
        .unwrap();
}

/// The template key of [`demo_with_administrator`].
const DEMO: &str = "web-demo-with-administrator";

/// A SQLite database with the demo data and the administrator, copied from a template.
pub async fn demo_sqlite() -> TestDb {
    TestDb::sqlite_from_template(DEMO, demo_with_administrator).await
}

/// A PostgreSQL database with the demo data and the administrator, copied from a template; `None`
/// when none is configured.
pub async fn demo_postgres() -> Option<TestDb> {
    TestDb::postgres_from_template(DEMO, demo_with_administrator).await
}

/// Runs each named `async fn(App)` on SQLite and on PostgreSQL, each on a fresh copy of the demo
/// data with the administrator.
#[macro_export]
macro_rules! http_tests {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                pub async fn sqlite() {
                    super::$name(super::App::demo_sqlite().await).await;
                }

                #[tokio::test]
                pub async fn postgres() {
                    let Some(app) = super::App::demo_postgres().await else { return };
                    super::$name(app).await;
                }
            }
        )+
    };
}

/// As [`demo_with_administrator`], plus the shipped world list (as `serve --demo` starts).
pub async fn demo_world_with_administrator(db: &Db) {
    demo_with_administrator(db).await;
    let state = AppState::new(db.clone());
    stedenband_app::demo::load_world(&state.world)
        .await
        .expect("world list");
}

const DEMO_WORLD: &str = "web-demo-world-with-administrator";

impl App {
    /// [`App::demo_sqlite`] with the world list imported.
    pub async fn demo_world_sqlite() -> App {
        App::serve(
            TestDb::sqlite_from_template(DEMO_WORLD, demo_world_with_administrator).await,
            false,
        )
        .await
    }

    /// [`App::demo_postgres`] with the world list imported.
    pub async fn demo_world_postgres() -> Option<App> {
        Some(
            App::serve(
                TestDb::postgres_from_template(DEMO_WORLD, demo_world_with_administrator).await?,
                false,
            )
            .await,
        )
    }
}

/// As [`http_tests!`], on the demo data with the world list imported.
#[macro_export]
macro_rules! http_world_tests {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                pub async fn sqlite() {
                    super::$name(super::App::demo_world_sqlite().await).await;
                }

                #[tokio::test]
                pub async fn postgres() {
                    let Some(app) = super::App::demo_world_postgres().await else { return };
                    super::$name(app).await;
                }
            }
        )+
    };
}
