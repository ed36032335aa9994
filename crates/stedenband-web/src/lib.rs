//! The HTTP front ends of Stedenband: server-rendered pages (`pages`) and the JSON API under
//! `/api/v1` (`api`), two thin adapters over the same use cases in `stedenband-app`.
//!
//! Only this crate knows HTTP, HTML and JSON. [`router`] is the one route table: every URL the
//! program answers is listed there. [`Server::bind`] starts the real server on any address
//! (port 0 in tests) and is shared by `stedenband serve` and the tests.

pub mod api;
pub mod auth;
pub mod charts;
mod error;
pub mod export;
mod health;
pub mod i18n;
pub mod ical;
pub mod map;
mod pages;
pub mod pdf;

use auth::CookiePolicy;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use std::net::SocketAddr;
use stedenband_app::accounts::SessionPolicy;
use stedenband_app::{Accounts, Activities, Organisation, Register};
use stedenband_store::{Db, Store};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::WebError;

/// What every handler can reach: the services behind one `Arc`, so that handing the state to a
/// request (axum clones it for every extractor and middleware) costs one reference count, not
/// a dozen (measured: 17% of the CPU of the world register's partner list under load).
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Services>);

impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// Changing a setting while building the state (before it is shared) changes it in place.
impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Services {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

/// The services and settings of [`AppState`].
#[derive(Clone)]
pub struct Services {
    pub register: Register,
    pub organisation: Organisation,
    pub activities: Activities,
    pub money: stedenband_app::money::Money,
    pub reports: stedenband_app::reports::Reports,
    /// Decisions, rules, scenarios and endings.
    pub decisions: stedenband_app::Decisions,
    /// The world register, answered from a graph held in memory.
    pub world: std::sync::Arc<stedenband_app::World>,
    /// Months without a held activity after which a partnership is flagged as dormant.
    pub dormancy_months: u16,
    /// The site's public address (`https://stedenband.example.nl`, no trailing slash), for the
    /// absolute links in the iCalendar feeds. Never taken from a request's `Host` header, which
    /// the client chooses. When unset, [`Server::bind`] puts in the address it listens on (or
    /// leaves it unset when that is every interface, and the links are relative).
    pub base_url: Option<std::sync::Arc<str>>,
    pub accounts: Accounts,
    pub cookies: CookiePolicy,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: std::sync::Arc<Vec<std::net::IpAddr>>,
    pub db: Db,
}

impl AppState {
    /// State with secure cookies, the default session lifetimes, and a second factor required
    /// of administrators and officials.
    pub fn new(db: Db) -> Self {
        Self::with(db, CookiePolicy { secure: true }, SessionPolicy::default())
    }

    pub fn with(db: Db, cookies: CookiePolicy, sessions: SessionPolicy) -> Self {
        let store = Store::new(db.clone());
        let register = Register::new(store.clone());
        Self(std::sync::Arc::new(Services {
            organisation: Organisation::new(register.clone()),
            activities: Activities::new(register.clone()),
            money: stedenband_app::money::Money::new(register.clone()),
            reports: stedenband_app::reports::Reports::new(register.clone()),
            decisions: stedenband_app::Decisions::new(register.clone()),
            world: std::sync::Arc::new(stedenband_app::World::new(store.clone())),
            dormancy_months: stedenband_app::activities::DEFAULT_DORMANCY_MONTHS,
            base_url: None,
            register,
            accounts: Accounts::new(store, sessions),
            cookies,
            trusted_proxies: Default::default(),
            db,
        }))
    }

    /// Flag partnerships without a held activity in this many months as dormant.
    pub fn with_dormancy_months(mut self, months: u16) -> Self {
        self.dormancy_months = months.max(1);
        self
    }

    /// The site's public address, for absolute links (see [`parse_base_url`]); a trailing
    /// slash is dropped.
    pub fn with_base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.trim().trim_end_matches('/').into());
        self
    }

    /// Believe `X-Forwarded-For` from these reverse proxies (the TLS terminator in front).
    pub fn trusting_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> Self {
        self.trusted_proxies = std::sync::Arc::new(proxies);
        self
    }

    /// Whether administrators and officials must use a second factor (true unless changed
    /// here; `serve --demo` turns it off, so the printed password alone logs in).
    pub fn requiring_second_factor(mut self, required: bool) -> Self {
        self.accounts = self.accounts.clone().requiring_second_factor(required);
        self
    }
}

/// The route table: every URL of the program.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/language", get(pages::switch_language))
        .route("/login", get(pages::login_form).post(pages::login))
        .route(
            "/login/second-factor",
            get(pages::second_factor_form).post(pages::second_factor),
        )
        .route("/logout", post(pages::logout))
        .route("/account", get(pages::account))
        .route("/account/tokens", post(pages::create_token))
        .route(
            "/account/second-factor",
            get(pages::enrolment_form).post(pages::enrol),
        )
        .route(
            "/account/second-factor/remove",
            post(pages::remove_second_factor),
        )
        .route("/account/tokens/{id}/revoke", post(pages::revoke_token))
        .route(
            "/municipalities",
            get(pages::municipalities).post(pages::create_municipality),
        )
        .route("/municipalities/new", get(pages::new_municipality))
        .route(
            "/municipalities/{slug}",
            get(pages::municipality).post(pages::update_municipality),
        )
        .route("/municipalities/{slug}/edit", get(pages::edit_municipality))
        .route(
            "/municipalities/{slug}/merger",
            get(pages::new_merger).post(pages::create_merger),
        )
        .route(
            "/partnerships",
            get(pages::partnerships).post(pages::create_partnership),
        )
        .route("/partnerships/new", get(pages::new_partnership))
        .route(
            "/partnerships/{id}",
            get(pages::partnership).post(pages::update_partnership),
        )
        .route("/partnerships/{id}/edit", get(pages::edit_partnership))
        .route("/partnerships/{id}/events", post(pages::add_event))
        .route("/partnerships/{id}/audit", get(pages::partnership_audit))
        .route(
            "/municipalities/{slug}/audit",
            get(pages::municipality_audit),
        )
        .route(
            "/foundations",
            get(pages::foundations).post(pages::create_foundation),
        )
        .route("/foundations/new", get(pages::new_foundation))
        .route(
            "/foundations/{slug}",
            get(pages::foundation).post(pages::update_foundation),
        )
        .route("/foundations/{slug}/edit", get(pages::edit_foundation))
        .route("/foundations/{slug}/roles", post(pages::add_board_role))
        .route(
            "/foundations/{slug}/working-groups",
            post(pages::create_working_group),
        )
        .route(
            "/foundations/{slug}/working-groups/new",
            get(pages::new_working_group),
        )
        .route(
            "/foundations/{slug}/people",
            get(pages::people).post(pages::create_person),
        )
        .route("/foundations/{slug}/people/new", get(pages::new_person))
        .route("/foundations/{slug}/members.csv", get(pages::members_csv))
        .route(
            "/working-groups/{slug}",
            get(pages::working_group).post(pages::update_working_group),
        )
        .route(
            "/working-groups/{slug}/edit",
            get(pages::edit_working_group),
        )
        .route("/working-groups/{slug}/roles", post(pages::add_group_role))
        .route("/roles/{id}/end", post(pages::end_role))
        .route(
            "/people/{id}",
            get(pages::person).post(pages::update_person),
        )
        .route("/people/{id}/edit", get(pages::edit_person))
        .route(
            "/people/{id}/withdraw-consent",
            post(pages::withdraw_consent),
        )
        .route("/people/{id}/export", get(pages::export_person))
        .route("/people/{id}/erase", post(pages::erase_person))
        .route(
            "/activities",
            get(pages::calendar).post(pages::create_activity),
        )
        .route("/activities/new", get(pages::new_activity))
        .route(
            "/activities/{id}",
            get(pages::activity).post(pages::update_activity),
        )
        .route("/activities/{id}/edit", get(pages::edit_activity))
        .route(
            "/activities/{id}/occurrences/{date}",
            post(pages::record_figures),
        )
        .route("/activities/{id}/reception", post(pages::request_reception))
        .route(
            "/activities/{id}/reception/step",
            post(pages::step_reception),
        )
        .route(
            "/activities/{id}/participants",
            get(pages::participants).post(pages::add_participant),
        )
        .route(
            "/activities/{id}/participants/{participant}/remove",
            post(pages::remove_participant),
        )
        .route(
            "/activities/{id}/participants/sheet",
            get(pages::signin_sheet),
        )
        .route(
            "/activities/{id}/participants.csv",
            get(pages::participants_csv),
        )
        .route("/municipalities/{slug}/receptions", get(pages::receptions))
        .route(
            "/municipalities/{slug}/activities.ics",
            get(pages::municipality_feed),
        )
        .route(
            "/partnerships/{id}/activities.ics",
            get(pages::partnership_feed),
        )
        .route(
            "/working-groups/{slug}/activities.ics",
            get(pages::working_group_feed),
        )
        .route("/municipalities/{slug}/money", get(pages::money_overview))
        .route("/municipalities/{slug}/report", get(pages::report))
        .route("/municipalities/{slug}/report.csv", get(pages::report_csv))
        .route(
            "/municipalities/{slug}/report.xlsx",
            get(pages::report_xlsx),
        )
        .route("/municipalities/{slug}/report.pdf", get(pages::report_pdf))
        .route(
            "/municipalities/{slug}/report/compare",
            get(pages::report_compare),
        )
        .route(
            "/municipalities/{slug}/report/compare.csv",
            get(pages::report_compare_csv),
        )
        .route(
            "/municipalities/{slug}/money.csv",
            get(pages::money_overview_csv),
        )
        .route(
            "/municipalities/{slug}/money.xlsx",
            get(pages::money_overview_xlsx),
        )
        .route(
            "/municipalities/{slug}/subsidies",
            get(pages::subsidy_register).post(pages::create_subsidy),
        )
        .route(
            "/municipalities/{slug}/subsidies.csv",
            get(pages::subsidy_register_csv),
        )
        .route(
            "/municipalities/{slug}/subsidies.xlsx",
            get(pages::subsidy_register_xlsx),
        )
        .route("/subsidies/{id}", get(pages::subsidy))
        .route("/subsidies/{id}/steps", post(pages::add_subsidy_step))
        .route(
            "/working-groups/{slug}/ledger",
            get(pages::ledger).post(pages::add_transaction),
        )
        .route("/working-groups/{slug}/ledger.csv", get(pages::ledger_csv))
        .route(
            "/working-groups/{slug}/ledger.xlsx",
            get(pages::ledger_xlsx),
        )
        .route(
            "/municipalities/{slug}/phase-out-schedules",
            get(pages::schedules).post(pages::create_schedule),
        )
        .route("/phase-out-schedules/compute", get(pages::compute_schedule))
        .route(
            "/evaluations",
            get(pages::evaluations).post(pages::create_evaluation),
        )
        .route("/evaluations/new", get(pages::new_evaluation))
        .route("/evaluations/{id}", get(pages::evaluation))
        .route("/evaluations/{id}/follow-up", post(pages::record_follow_up))
        .route("/static/style.css", get(pages::stylesheet))
        .merge(pages::decisions::routes())
        .merge(pages::scenarios::routes())
        .merge(pages::world::routes())
        .fallback(pages::not_found);
    let security_headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    ];
    let mut app = Router::new()
        .merge(pages)
        .merge(api::router())
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::second_factor_gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::caller_headers,
        ))
        .layer(axum::middleware::from_fn(auth::cross_site_guard))
        .with_state(state);
    for (name, value) in security_headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.layer(TraceLayer::new_for_http())
}

/// Checks a public base address as given to `serve --base-url`: `http://` or `https://`, a
/// host (and port, and path), no user, query or fragment. Returns it without a trailing slash.
pub fn parse_base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{raw:?} does not start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    let plain = rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~:/[]%".contains(c));
    if host.is_empty() || !plain {
        return Err(format!(
            "{raw:?} is not a plain web address (a host, a port and a path; no user, query or \
             fragment)"
        ));
    }
    Ok(url.to_owned())
}

/// The header every API response carries (Dutch API Design Rules, API-57).
pub const API_VERSION: (HeaderName, &str) = (HeaderName::from_static("api-version"), "1.0.0");

/// A server bound to an address, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Binds the address (`127.0.0.1:0` picks a free port).
    /// Without a configured base address, the feeds' links use the address it listens on
    /// (relative links when that is every interface).
    pub async fn bind(addr: &str, mut state: AppState) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        if state.base_url.is_none() {
            let local = listener.local_addr()?;
            if !local.ip().is_unspecified() {
                state.base_url = Some(format!("http://{local}").into());
            }
        }
        Ok(Server { listener, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Runs the server on a background task; for tests. Returns its base URL.
    pub fn spawn(self) -> String {
        let url = format!("http://{}", self.local_addr().expect("bound"));
        tokio::spawn(self.run(std::future::pending()));
        url
    }
}
