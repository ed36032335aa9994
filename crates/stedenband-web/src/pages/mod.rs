//! Server-rendered pages. Each handler reads the request, calls one use case of
//! `stedenband-app` and renders a template; nothing here decides what is valid.
//! Successful POSTs redirect (303) to the page of what changed; failed ones render the form
//! again with status 422, the values kept and each error next to its field.

mod account;
mod activities;
mod audit;
pub mod decisions;
mod evaluations;
mod feeds;
mod forms;
mod money;
mod organisation;
mod participants;
mod reports;
pub mod scenarios;
mod tables;
pub mod world;

pub use account::{
    account, create_token, enrol, enrolment_form, login, login_form, logout, remove_second_factor,
    revoke_token, second_factor, second_factor_form,
};
pub use activities::{
    activity, calendar, create_activity, edit_activity, new_activity, receptions, record_figures,
    request_reception, step_reception, update_activity,
};
pub use audit::{municipality_audit, partnership_audit};
pub use evaluations::{
    create_evaluation, evaluation, evaluations, new_evaluation, record_follow_up,
};
pub use feeds::{municipality_feed, partnership_feed, working_group_feed};
pub use money::{
    add_subsidy_step, add_transaction, compute_schedule, create_schedule, create_subsidy, ledger,
    ledger_csv, ledger_xlsx, money_overview, money_overview_csv, money_overview_xlsx, schedules,
    subsidy, subsidy_register, subsidy_register_csv, subsidy_register_xlsx,
};
pub use organisation::{
    add_board_role, add_group_role, create_foundation, create_person, create_working_group,
    edit_foundation, edit_person, edit_working_group, end_role, erase_person, export_person,
    foundation, foundations, members_csv, new_foundation, new_person, new_working_group, people,
    person, update_foundation, update_person, update_working_group, withdraw_consent,
    working_group,
};
pub use participants::{
    add_participant, participants, participants_csv, remove_participant, signin_sheet,
};
pub use reports::{
    report, report_compare, report_compare_csv, report_csv, report_pdf, report_xlsx,
};

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::i18n::{LANG_COOKIE, Lang};
use askama::Template;
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fluent_templates::fluent_bundle::FluentValue;
use forms::{FormBuilder, FormFields, get, values};
use serde::Deserialize;
use std::collections::HashMap;
use std::convert::Infallible;
use stedenband_app::{
    AppError, MunicipalityFilter, MunicipalityView, Page, PageRequest, PartnershipDetail,
    PartnershipView,
};
use stedenband_domain::{
    Action, CountryCode, EventKind, Initiator, MergerInput, Municipality, MunicipalityInput,
    PartialDate, PartnershipEventInput, PartnershipInput, PartnershipKind, PartnershipStatus,
    PlaceKind, ValidationErrors,
};

type PageResult = Result<Response, WebError>;

/// What every page template needs: the language and the current address (for the switch).
pub struct Ctx {
    pub lang: Lang,
    pub path: String,
    pub auth: Auth,
}

/// A value that can fill a placeholder of a translation.
pub trait Arg {
    fn fluent(&self) -> FluentValue<'static>;
}

impl Arg for u64 {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(*self)
    }
}

impl Arg for u32 {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(*self)
    }
}

impl Arg for String {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

impl Arg for str {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn fluent(&self) -> FluentValue<'static> {
        (**self).fluent()
    }
}

pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn choice(&self, prefix: &str, code: &str) -> String {
        self.lang.choice(prefix, code)
    }

    /// The text for a key with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl Arg) -> String {
        self.lang.t_args(key, &[(name, value.fluent())])
    }

    /// The text for a key with two arguments.
    pub fn t2(
        &self,
        key: &str,
        n1: &'static str,
        v1: impl Arg,
        n2: &'static str,
        v2: impl Arg,
    ) -> String {
        self.lang
            .t_args(key, &[(n1, v1.fluent()), (n2, v2.fluent())])
    }

    pub fn country(&self, code: CountryCode) -> &'static str {
        self.lang.country(code)
    }

    pub fn date(&self, d: &PartialDate) -> String {
        self.lang.date(d)
    }

    pub fn full_date(&self, d: &jiff::civil::Date) -> String {
        self.lang.full_date(*d)
    }

    pub fn languages(&self) -> Vec<LangLink> {
        Lang::ALL
            .iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.endonym(),
                href: format!("/language?lang={}&next={}", l.code(), encode(&self.path)),
                current: *l == self.lang,
            })
            .collect()
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state).await?;
        let auth = Auth::from_request_parts(parts, state).await?;
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        // A form post's address may answer POST only; the language switch and the login form
        // must lead back to the page that shows the form.
        let path = if parts.method == axum::http::Method::GET {
            path
        } else {
            form_page_of(&path)
        };
        Ok(Ctx { lang, path, auth })
    }
}

impl Ctx {
    /// Refuses a form post whose CSRF token is not the session's (only where there is a
    /// session: without one, the use case refuses the post anyway).
    pub(crate) fn check_csrf(&self, vals: &HashMap<String, String>) -> Result<(), WebError> {
        match &self.auth.csrf_token {
            Some(expected)
                if vals
                    .get("_csrf")
                    .is_none_or(|t| !constant_time_eq(t, expected)) =>
            {
                Err(WebError::new(Front::Page, self.lang, ErrorKind::Forbidden).at(&self.path))
            }
            _ => Ok(()),
        }
    }

    /// Refuses to show a form to whoever may not use it.
    pub(crate) async fn require(&self, s: &AppState, action: &Action) -> Result<(), WebError> {
        let path = self.path.split('?').next().unwrap_or("/");
        s.register
            .authorize(&self.auth.caller, action, path)
            .await
            .or_page(self)
    }

    /// The user name of whoever is logged in.
    pub fn user(&self) -> Option<String> {
        self.auth.principal().username().map(|u| u.to_string())
    }

    pub fn csrf(&self) -> Option<&str> {
        self.auth.csrf_token.as_deref()
    }

    pub fn logged_in(&self) -> bool {
        self.auth.principal().is_logged_in()
    }

    /// The login form, coming back to this page after it.
    pub fn login_href(&self) -> String {
        if self.path.starts_with("/login") {
            "/login".to_owned()
        } else {
            format!("/login?next={}", encode(&self.path))
        }
    }
}

/// A path on this site to go back to, or `/`: never an open redirect. Refuses `//host`,
/// backslashes and every control character (browsers drop tabs and line breaks from addresses,
/// so `/\t/evil.example` would become `//evil.example`).
pub fn local_path(next: Option<&str>) -> String {
    next.filter(|n| {
        let mut chars = n.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !n.contains('\\')
            && !n.chars().any(char::is_control)
    })
    .unwrap_or("/")
    .to_owned()
}

/// The page that shows the form posting to `path`.
pub fn form_page_of(path: &str) -> String {
    let path = path.split('?').next().unwrap_or("/");
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["municipalities"] => "/municipalities/new".to_owned(),
        ["partnerships"] => "/partnerships/new".to_owned(),
        ["municipalities" | "partnerships", _] => format!("{path}/edit"),
        ["partnerships", id, "events"] => format!("/partnerships/{id}"),
        ["foundations"] => "/foundations/new".to_owned(),
        ["foundations" | "working-groups" | "people", _] => format!("{path}/edit"),
        ["foundations", slug, "working-groups"] => {
            format!("/foundations/{slug}/working-groups/new")
        }
        ["foundations", slug, "people"] => format!("/foundations/{slug}/people/new"),
        ["foundations" | "working-groups", slug, "roles"] => {
            format!("/{}/{slug}", segments[0])
        }
        ["people", id, "erase" | "withdraw-consent"] => format!("/people/{id}"),
        ["activities", id, "participants", ..] => format!("/activities/{id}/participants"),
        ["subsidies", id, "steps"] => format!("/subsidies/{id}"),
        ["evaluations"] => "/evaluations/new".to_owned(),
        ["evaluations", id, "follow-up"] => format!("/evaluations/{id}"),
        ["roles", ..] => "/foundations".to_owned(),
        ["account", ..] => "/account".to_owned(),
        ["logout"] => "/".to_owned(),
        _ => path.to_owned(),
    }
}

/// Compares secrets without leaking where they differ through timing.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Percent-encodes a value for a query string.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

fn ok(t: &impl Template) -> PageResult {
    Ok(render(StatusCode::OK, t))
}

fn see_other(to: &str) -> PageResult {
    Ok(Redirect::to(to).into_response())
}

// ---- shared pieces -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: Ctx,
    title: String,
    message: String,
    details: &'a [String],
}

pub fn error_page(lang: Lang, path: &str, status: StatusCode, kind: &ErrorKind) -> Response {
    let (title, message, details) = match kind {
        // Not logged in: to the login form, and back here after it.
        ErrorKind::Unauthenticated => {
            return Redirect::to(&format!("/login?next={}", encode(path))).into_response();
        }
        ErrorKind::Forbidden => (
            lang.t("problem-forbidden-title"),
            lang.t("error-page-forbidden-text"),
            vec![],
        ),
        ErrorKind::Throttled(secs) => {
            let mut res = render(
                status,
                &ErrorPage {
                    ctx: Ctx {
                        lang,
                        path: path.to_owned(),
                        auth: Auth::public(),
                    },
                    title: lang.t("problem-throttled-title"),
                    message: lang.t_args(
                        "error-page-throttled-text",
                        &[("minutes", secs.div_ceil(60).into())],
                    ),
                    details: &[],
                },
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            return res;
        }
        ErrorKind::NotFound => (
            lang.t("error-page-not-found"),
            lang.t("error-page-not-found-text"),
            vec![],
        ),
        ErrorKind::Invalid(v) => (
            lang.t("problem-invalid-title"),
            lang.t("problem-invalid-detail"),
            v.0.iter()
                .map(|e| format!("{}: {}", e.field, lang.t(e.key)))
                .collect(),
        ),
        ErrorKind::Malformed(_) => (
            lang.t("problem-malformed-title"),
            lang.t("error-page-malformed-text"),
            vec![],
        ),
        ErrorKind::Refused(r) => (
            lang.t("problem-refused-title"),
            crate::error::refusal_text(lang, r),
            vec![],
        ),
        ErrorKind::Internal(error_id) => (
            lang.t("problem-internal-title"),
            lang.t("error-page-internal-text"),
            vec![lang.t_args("error-page-code", &[("code", error_id.clone().into())])],
        ),
    };
    let ctx = Ctx {
        lang,
        path: path.to_owned(),
        auth: Auth::public(),
    };
    render(
        status,
        &ErrorPage {
            ctx,
            title,
            message,
            details: &details,
        },
    )
}

pub async fn not_found(ctx: Ctx) -> Response {
    error_page(
        ctx.lang,
        &ctx.path,
        StatusCode::NOT_FOUND,
        &ErrorKind::NotFound,
    )
}

pub async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    lang: String,
    next: Option<String>,
}

/// The language switch: remembers the choice in a cookie and goes back to the page.
pub async fn switch_language(Query(q): Query<LanguageQuery>) -> Response {
    let next = local_path(q.next.as_deref());
    let mut res = Redirect::to(&next).into_response();
    if let Some(lang) = Lang::parse(&q.lang) {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    res
}

/// Links to the pages of a list.
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    fn new<T>(page: &Page<T>, base: &str, extra: &[(&str, &str)]) -> Self {
        let href = |p: u32| {
            let mut q: Vec<String> = extra
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={}", encode(v)))
                .collect();
            q.push(format!("page={p}"));
            format!("{base}?{}", q.join("&"))
        };
        let (n, pages) = (page.request.page, page.pages());
        Pager {
            page: n,
            pages,
            total: page.total,
            prev: (n > 1).then(|| href(n - 1)),
            next: (n < pages).then(|| href(n + 1)),
        }
    }
}

// ---- start page ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    homes: Vec<Municipality>,
}

/// The start page: the municipalities that hold partnerships, or straight to the only one.
pub async fn home(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    let homes = s.register.home_municipalities().await.or_page(&ctx)?;
    if let [only] = homes.as_slice() {
        return see_other(&format!("/municipalities/{}", only.slug));
    }
    ok(&HomePage { ctx, homes })
}

// ---- municipalities --------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    country: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "municipalities.html")]
struct MunicipalitiesPage {
    ctx: Ctx,
    q: String,
    country: String,
    countries: Vec<(String, String)>,
    items: Vec<Municipality>,
    pager: Pager,
}

const PAGE_SIZE: u32 = 50;

fn country_options(lang: Lang) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = CountryCode::all()
        .map(|c| {
            (
                c.alpha2.to_owned(),
                if lang == Lang::Nl {
                    c.name_nl
                } else {
                    c.name_en
                }
                .to_owned(),
            )
        })
        .collect();
    v.sort_by_key(|(_, name)| stedenband_domain::text::fold(name));
    v
}

pub async fn municipalities(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let country = q.country.as_deref().unwrap_or("").trim().to_owned();
    let filter = MunicipalityFilter {
        query: q.q.clone().filter(|s| !s.trim().is_empty()),
        country: CountryCode::parse(&country).ok(),
    };
    let page = s
        .register
        .municipalities(&filter, PageRequest::new(q.page.unwrap_or(1), PAGE_SIZE))
        .await
        .or_page(&ctx)?;
    let query = q.q.unwrap_or_default();
    let pager = Pager::new(
        &page,
        "/municipalities",
        &[("q", &query), ("country", &country)],
    );
    let countries = country_options(ctx.lang);
    ok(&MunicipalitiesPage {
        ctx,
        q: query,
        country,
        countries,
        items: page.items,
        pager,
    })
}

#[derive(Template)]
#[template(path = "municipality.html")]
struct MunicipalityPage {
    ctx: Ctx,
    /// Whether to offer editing, adding partnerships and recording a merger.
    can_edit: bool,
    v: MunicipalityView,
    /// The partnerships without a held activity in the last `dormancy_months` months.
    dormant: std::collections::HashSet<String>,
    dormancy_months: u32,
    /// The open reception requests, for the municipality's officials.
    receptions_href: Option<String>,
    /// The rules of adopted decisions that hold today, with the decision cited.
    rules_in_force: Vec<decisions::RuleRow>,
    /// Its town in the world register: partners from the lists, triangles, links.
    world: Option<world::WorldSection>,
}

pub async fn municipality(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s.register.municipality(&slug).await.or_page(&ctx)?;
    let holder = match &v.successor {
        Some(_) => s.register.holder(&v.municipality.id).await.or_page(&ctx)?,
        None => v.municipality.id.clone(),
    };
    let can_edit = ctx
        .auth
        .caller
        .require(&Action::EditMunicipality(holder.clone()))
        .is_ok();
    let dormant = activities::dormant_partnerships(&s, &ctx, &v.partnerships).await?;
    let receptions_href = activities::may_manage_receptions(&s, &ctx, &holder)
        .then(|| format!("/municipalities/{}/receptions", v.municipality.slug));
    let rules_in_force = decisions::rules_in_force(
        &ctx,
        &s,
        v.municipality.slug.as_str(),
        stedenband_domain::decision::RuleKind::ALL,
    )
    .await?;
    let world =
        world::municipality_section(&ctx, &s, &v.municipality.id.0, v.municipality.slug.as_str())
            .await?;
    ok(&MunicipalityPage {
        ctx,
        can_edit,
        v,
        dormant,
        dormancy_months: u32::from(s.dormancy_months),
        receptions_href,
        rules_in_force,
        world,
    })
}

/// One page for every form: title, fields, where it posts.
#[derive(Template)]
#[template(path = "form_page.html")]
struct FormPage {
    ctx: Ctx,
    title: String,
    intro: Option<String>,
    action: String,
    submit: String,
    cancel: String,
    form: FormFields,
    datalist: Vec<String>,
}

fn municipality_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    vals: &HashMap<String, String>,
    errors: Option<&ValidationErrors>,
) -> FormPage {
    let lang = ctx.lang;
    let kinds: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut countries = vec![(String::new(), lang.t("choose"))];
    countries.extend(country_options(lang));
    let form = FormBuilder::new(lang, vals, errors)
        .text_with("name", "field-name", true, |f| {
            f.autocomplete = "address-level2"
        })
        .select("kind", "field-place-kind", "place-kind", &kinds, None)
        .select_options("country", "field-country", countries)
        .text("region", "field-region", false)
        .text("officialCode", "field-official-code", false)
        .text("wikidataId", "field-wikidata", false)
        .text("latitude", "field-latitude", false)
        .text("longitude", "field-longitude", false)
        .text_with("population", "field-population", false, |f| {
            f.input_type = "text"
        })
        .text("slug", "field-slug", false)
        .build();
    FormPage {
        ctx,
        title,
        intro: None,
        action,
        submit: lang.t("save"),
        cancel,
        form,
        datalist: vec![],
    }
}

fn municipality_input(v: &HashMap<String, String>) -> MunicipalityInput {
    MunicipalityInput {
        name: get(v, "name"),
        slug: get(v, "slug"),
        kind: get(v, "kind"),
        country: get(v, "country"),
        region: get(v, "region"),
        official_code: get(v, "officialCode"),
        wikidata_id: get(v, "wikidataId"),
        latitude: get(v, "latitude"),
        longitude: get(v, "longitude"),
        population: get(v, "population"),
    }
}

fn municipality_values(m: &Municipality) -> HashMap<String, String> {
    let d = &m.draft;
    let mut v = HashMap::new();
    v.insert("name".into(), d.name.to_string());
    v.insert("slug".into(), m.slug.to_string());
    v.insert("kind".into(), d.kind.as_str().into());
    v.insert("country".into(), d.country.to_string());
    let mut opt = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            v.insert(k.into(), val);
        }
    };
    opt("region", d.region.as_ref().map(|r| r.to_string()));
    opt(
        "officialCode",
        d.official_code.as_ref().map(|c| c.as_str().to_owned()),
    );
    opt(
        "wikidataId",
        d.wikidata_id.as_ref().map(|c| c.as_str().to_owned()),
    );
    opt("latitude", d.coordinates.map(|c| c.latitude().to_string()));
    opt(
        "longitude",
        d.coordinates.map(|c| c.longitude().to_string()),
    );
    opt("population", d.population.map(|p| p.to_string()));
    v
}

pub async fn new_municipality(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    ctx.require(&s, &Action::CreateMunicipality).await?;
    let title = ctx.t("municipality-new-title");
    let cancel = "/municipalities".to_owned();
    let vals = HashMap::from([("kind".to_owned(), "municipality".to_owned())]);
    ok(&municipality_form(
        ctx,
        title,
        "/municipalities".into(),
        cancel,
        &vals,
        None,
    ))
}

pub async fn create_municipality(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .register
        .create_municipality(&caller, &municipality_input(&vals))
        .await
    {
        Ok(m) => see_other(&format!("/municipalities/{}", m.slug)),
        Err(AppError::Invalid(e)) => {
            // The language switch must lead back to the form, not to the address it posts to.
            ctx.path = "/municipalities/new".to_owned();
            let title = ctx.t("municipality-new-title");
            let form = municipality_form(
                ctx,
                title,
                "/municipalities".into(),
                "/municipalities".into(),
                &vals,
                Some(&e),
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)),
    }
}

pub async fn edit_municipality(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let m = s.register.find_municipality(&slug).await.or_page(&ctx)?;
    let m =
        m.ok_or_else(|| WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path))?;
    ctx.require(
        &s,
        &Action::EditMunicipality(s.register.holder(&m.id).await.or_page(&ctx)?),
    )
    .await?;
    let title = ctx.lang.t_args(
        "municipality-edit-title",
        &[("name", m.name().to_string().into())],
    );
    let path = format!("/municipalities/{}", m.slug);
    ok(&municipality_form(
        ctx,
        title,
        path.clone(),
        path,
        &municipality_values(&m),
        None,
    ))
}

pub async fn update_municipality(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .register
        .update_municipality(&caller, &slug, &municipality_input(&vals))
        .await
    {
        Ok(m) => see_other(&format!("/municipalities/{}", m.slug)),
        Err(AppError::Invalid(e)) => {
            // The language switch must lead back to the form, not to the address it posts to.
            ctx.path = format!("/municipalities/{slug}/edit");
            let title = ctx
                .lang
                .t_args("municipality-edit-title", &[("name", slug.clone().into())]);
            let path = format!("/municipalities/{slug}");
            let form = municipality_form(ctx, title, path.clone(), path, &vals, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)),
    }
}

fn merger_form(
    ctx: Ctx,
    m: &Municipality,
    vals: &HashMap<String, String>,
    errors: Option<&ValidationErrors>,
) -> FormPage {
    let lang = ctx.lang;
    let form = FormBuilder::new(lang, vals, errors)
        .textarea("predecessors", "field-predecessors", true)
        .text_with("effectiveOn", "field-effective-on", true, |f| {
            f.input_type = "date"
        })
        .build();
    let path = format!("/municipalities/{}", m.slug);
    FormPage {
        title: lang.t_args("merger-title", &[("name", m.name().to_string().into())]),
        intro: Some(lang.t_args("merger-intro", &[("name", m.name().to_string().into())])),
        action: format!("{path}/merger"),
        submit: lang.t("save"),
        cancel: path,
        form,
        datalist: vec![],
        ctx,
    }
}

pub async fn new_merger(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let m = s.register.find_municipality(&slug).await.or_page(&ctx)?;
    let m =
        m.ok_or_else(|| WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path))?;
    ctx.require(
        &s,
        &Action::RecordMerger(s.register.holder(&m.id).await.or_page(&ctx)?),
    )
    .await?;
    ok(&merger_form(ctx, &m, &HashMap::new(), None))
}

pub async fn create_merger(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let m = s.register.find_municipality(&slug).await.or_page(&ctx)?;
    let m =
        m.ok_or_else(|| WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path))?;
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let input = MergerInput {
        successor: Some(m.id.0.clone()),
        predecessors: vals
            .get("predecessors")
            .map(|p| {
                p.lines()
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        effective_on: get(&vals, "effectiveOn"),
    };
    match s.register.record_merger(&caller, &input).await {
        Ok(_) => see_other(&format!("/municipalities/{}", m.slug)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/municipalities/{}/merger", m.slug);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &merger_form(ctx, &m, &vals, Some(&e)),
            ))
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)),
    }
}

// ---- partnerships ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "partnerships.html")]
struct PartnershipsPage {
    ctx: Ctx,
    items: Vec<PartnershipView>,
    pager: Pager,
}

pub async fn partnerships(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let page = s
        .register
        .partnerships(None, PageRequest::new(q.page.unwrap_or(1), PAGE_SIZE))
        .await
        .or_page(&ctx)?;
    let pager = Pager::new(&page, "/partnerships", &[]);
    ok(&PartnershipsPage {
        ctx,
        items: page.items,
        pager,
    })
}

#[derive(Template)]
#[template(path = "partnership.html")]
struct PartnershipPage {
    ctx: Ctx,
    /// Whether to offer editing and the history form.
    can_edit: bool,
    d: PartnershipDetail,
    form: FormFields,
    datalist: Vec<String>,
    /// Numbers per year, the dormancy line and the links to the activities.
    acts: activities::PartnershipActivities,
    /// The decisions about it, oldest first.
    about: decisions::About,
    /// Its ending: the read-only banner once completed, the workflow for officials before.
    ending: decisions::EndingState,
}

/// The parts of a partnership's page beyond the register: activities, decisions, ending. A
/// partnership whose ending is completed is read-only: no edit links or forms.
async fn partnership_parts(
    s: &AppState,
    ctx: &Ctx,
    d: &PartnershipDetail,
    can_edit: bool,
) -> Result<
    (
        bool,
        activities::PartnershipActivities,
        decisions::About,
        decisions::EndingState,
    ),
    WebError,
> {
    let mut acts = activities::partnership_activities(s, ctx, &d.view).await?;
    let about = decisions::about(
        ctx,
        s,
        stedenband_domain::decision::AffectedKind::Partnership,
        &d.view.partnership.id.0,
        "decisions",
        2,
    )
    .await?;
    let ending = decisions::ending_state(ctx, s, &d.view).await?;
    let ended = ending.ended.is_some();
    if ended {
        acts.new_href = None;
    }
    Ok((can_edit && !ended, acts, about, ending))
}

fn event_fields(
    lang: Lang,
    vals: &HashMap<String, String>,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = PartnershipStatus::ALL.iter().map(|k| k.as_str()).collect();
    FormBuilder::new(lang, vals, errors)
        .text("date", "field-event-date", true)
        .select("kind", "field-event-kind", "event-kind", &kinds, None)
        .select(
            "status",
            "field-event-status",
            "status",
            &statuses,
            Some("status-none"),
        )
        .textarea("text", "field-event-text", false)
        .build()
}

pub async fn partnership(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let d = s.register.partnership(&id).await.or_page(&ctx)?;
    let vals = HashMap::from([("kind".to_owned(), "visit".to_owned())]);
    let form = event_fields(ctx.lang, &vals, None);
    let can_edit = ctx
        .auth
        .caller
        .require(&Action::EditPartnership(d.view.holder.id.clone()))
        .is_ok();
    let (can_edit, acts, about, ending) = partnership_parts(&s, &ctx, &d, can_edit).await?;
    ok(&PartnershipPage {
        ctx,
        can_edit,
        d,
        form,
        datalist: vec![],
        acts,
        about,
        ending,
    })
}

pub async fn add_event(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let input = PartnershipEventInput {
        date: get(&vals, "date"),
        kind: get(&vals, "kind"),
        status: get(&vals, "status"),
        text: get(&vals, "text"),
    };
    match s.register.add_event(&caller, &id, &input).await {
        Ok(()) => see_other(&format!("/partnerships/{id}#history")),
        Err(AppError::Invalid(e)) => {
            // The language switch must lead back to the form, not to the address it posts to.
            ctx.path = format!("/partnerships/{id}");
            let d = s.register.partnership(&id).await.or_page(&ctx)?;
            let form = event_fields(ctx.lang, &vals, Some(&e));
            let (can_edit, acts, about, ending) = partnership_parts(&s, &ctx, &d, true).await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PartnershipPage {
                    ctx,
                    can_edit,
                    d,
                    form,
                    datalist: vec![],
                    acts,
                    about,
                    ending,
                },
            ))
        }
        Err(e) => Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)),
    }
}

/// Names to suggest in the home and partner fields (the first ones alphabetically: the field
/// also takes any name or slug typed in full).
async fn municipality_names(s: &AppState) -> Vec<String> {
    s.register
        .municipalities(
            &MunicipalityFilter::default(),
            PageRequest::new(1, PageRequest::MAX_SIZE),
        )
        .await
        .map(|p| p.items.into_iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default()
}

/// What a partnership form was refused with: its fields' errors, or a rule of a decision (shown
/// next to its field, citing the decision).
enum Refusal<'a> {
    None,
    Invalid(&'a ValidationErrors),
    ByRule(&'a stedenband_app::RuleRefusal),
}

impl<'a> Refusal<'a> {
    fn of(e: &'a AppError) -> Option<Self> {
        match e {
            AppError::Invalid(v) => Some(Refusal::Invalid(v)),
            AppError::Refused(r) => Some(Refusal::ByRule(r)),
            _ => None,
        }
    }
}

fn partnership_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    vals: &HashMap<String, String>,
    refusal: Refusal<'_>,
    datalist: Vec<String>,
) -> FormPage {
    let lang = ctx.lang;
    let kinds: Vec<&str> = PartnershipKind::ALL.iter().map(|k| k.as_str()).collect();
    let initiators: Vec<&str> = Initiator::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = PartnershipStatus::ALL.iter().map(|k| k.as_str()).collect();
    let errors = match &refusal {
        Refusal::Invalid(e) => Some(*e),
        _ => None,
    };
    let mut b = FormBuilder::new(lang, vals, errors)
        .text_with("home", "field-home", true, |f| {
            f.list = Some("municipality-names")
        })
        .text_with("partner", "field-partner", true, |f| {
            f.list = Some("municipality-names")
        })
        .select("kind", "field-partnership-kind", "kind", &kinds, None)
        .select(
            "initiator",
            "field-initiator",
            "initiator",
            &initiators,
            None,
        )
        .checkbox("structural", "field-structural")
        .checkbox("supportedByMunicipality", "field-supported")
        .text("start", "field-start", true)
        .text("end", "field-end", false)
        .select("status", "field-status", "status", &statuses, None)
        .text("statusSince", "field-status-since", false)
        .textarea("description", "field-description", false);
    if let Refusal::ByRule(r) = refusal {
        b = b.error_text(r.field, crate::error::refusal_text(lang, r));
    }
    let form = b.build();
    FormPage {
        ctx,
        title,
        intro: None,
        action,
        submit: lang.t("save"),
        cancel,
        form,
        datalist,
    }
}

fn partnership_input(v: &HashMap<String, String>) -> PartnershipInput {
    PartnershipInput {
        home: get(v, "home"),
        partner: get(v, "partner"),
        kind: get(v, "kind"),
        initiator: get(v, "initiator"),
        structural: Some(v.contains_key("structural")),
        supported_by_municipality: Some(v.contains_key("supportedByMunicipality")),
        start: get(v, "start"),
        end: get(v, "end"),
        description: get(v, "description"),
        status: get(v, "status"),
        status_since: get(v, "statusSince"),
    }
}

#[derive(Deserialize)]
pub struct NewPartnershipQuery {
    home: Option<String>,
}

pub async fn new_partnership(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NewPartnershipQuery>,
) -> PageResult {
    ctx.require(&s, &Action::WriteRegister).await?;
    let mut vals = HashMap::from([
        ("kind".to_owned(), "friendship".to_owned()),
        ("initiator".to_owned(), "local-government".to_owned()),
        ("status".to_owned(), "active".to_owned()),
    ]);
    if let Some(home) = q.home
        && let Ok(Some(m)) = s.register.find_municipality(&home).await
    {
        vals.insert("home".into(), m.slug.to_string());
    }
    let names = municipality_names(&s).await;
    let title = ctx.t("partnership-new-title");
    ok(&partnership_form(
        ctx,
        title,
        "/partnerships".into(),
        "/partnerships".into(),
        &vals,
        Refusal::None,
        names,
    ))
}

pub async fn create_partnership(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .register
        .create_partnership(&caller, &partnership_input(&vals))
        .await
    {
        Ok(id) => see_other(&format!("/partnerships/{id}")),
        Err(e) => {
            let Some(refusal) = Refusal::of(&e) else {
                return Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path));
            };
            // The language switch must lead back to the form, not to the address it posts to.
            ctx.path = "/partnerships/new".to_owned();
            let names = municipality_names(&s).await;
            let title = ctx.t("partnership-new-title");
            let form = partnership_form(
                ctx,
                title,
                "/partnerships".into(),
                "/partnerships".into(),
                &vals,
                refusal,
                names,
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
    }
}

fn partnership_values(v: &PartnershipView) -> HashMap<String, String> {
    let d = &v.partnership.draft;
    let mut m = HashMap::from([
        ("home".to_owned(), v.home.slug.to_string()),
        ("partner".to_owned(), v.partner.slug.to_string()),
        ("kind".to_owned(), d.kind.as_str().to_owned()),
        ("initiator".to_owned(), d.initiator.as_str().to_owned()),
        ("start".to_owned(), d.start.to_string()),
        (
            "status".to_owned(),
            v.partnership.status.as_str().to_owned(),
        ),
    ]);
    if d.initiator == Initiator::PrivateInitiative {
        m.insert("structural".into(), "on".into());
        m.insert("supportedByMunicipality".into(), "on".into());
    }
    if let Some(end) = d.end {
        m.insert("end".into(), end.to_string());
    }
    if let Some(desc) = &d.description {
        m.insert("description".into(), desc.clone());
    }
    m
}

fn partnership_title(lang: Lang, v: &PartnershipView) -> String {
    lang.t_args(
        "partnership-edit-title",
        &[
            ("home", v.holder.name().to_string().into()),
            ("partner", v.partner.name().to_string().into()),
        ],
    )
}

pub async fn edit_partnership(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let d = s.register.partnership(&id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::EditPartnership(d.view.holder.id.clone()))
        .await?;
    // An ended partnership is read-only: its page says so, with the reason.
    if decisions::ending_state(&ctx, &s, &d.view)
        .await?
        .ended
        .is_some()
    {
        return see_other(&format!("/partnerships/{}", d.view.partnership.id));
    }
    let names = municipality_names(&s).await;
    let title = partnership_title(ctx.lang, &d.view);
    let path = format!("/partnerships/{id}");
    ok(&partnership_form(
        ctx,
        title,
        path.clone(),
        path,
        &partnership_values(&d.view),
        Refusal::None,
        names,
    ))
}

pub async fn update_partnership(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let today = jiff::Zoned::now().date();
    match s
        .register
        .update_partnership(&caller, &id, &partnership_input(&vals), today)
        .await
    {
        Ok(()) => see_other(&format!("/partnerships/{id}")),
        Err(e) => {
            let Some(refusal) = Refusal::of(&e) else {
                return Err(WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path));
            };
            // The language switch must lead back to the form, not to the address it posts to.
            ctx.path = format!("/partnerships/{id}/edit");
            let d = s.register.partnership(&id).await.or_page(&ctx)?;
            let names = municipality_names(&s).await;
            let title = partnership_title(ctx.lang, &d.view);
            let path = format!("/partnerships/{id}");
            let form = partnership_form(ctx, title, path.clone(), path, &vals, refusal, names);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
    }
}
