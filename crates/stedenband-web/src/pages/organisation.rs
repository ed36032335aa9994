//! The organisation's pages: foundations, their working groups, the people in them and their
//! roles. Who may see names, contact details and forms is decided by the use cases (the views
//! carry `people_visible`, `may_manage`, ...); these handlers only leave out what a view says
//! the caller may not see or use.

use super::forms::{FormBuilder, FormFields, get, values};
use super::{Ctx, FormPage, PageResult, municipality_names, ok, render, see_other};
use crate::AppState;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use stedenband_app::organisation::{BodyKey, FoundationView, Seat, WorkingGroupView};
use stedenband_app::{AppError, PartnershipView};
use stedenband_domain::organisation::{
    Body, Foundation, FoundationInput, LawfulBasis, OrgRole, Person, PersonInput, RoleInput,
    WorkingGroup, WorkingGroupInput, role_fits,
};
use stedenband_domain::{Action, ValidationErrors};

type Vals = HashMap<String, String>;

/// `Ctx::t1` for code that has only the language.
trait LangExt {
    fn t1(&self, key: &str, name: &'static str, value: String) -> String;
}

impl LangExt for Lang {
    fn t1(&self, key: &str, name: &'static str, value: String) -> String {
        self.t_args(key, &[(name, value.into())])
    }
}

// ---- shared pieces ---------------------------------------------------------------------------

/// A label and its value, shown in the `facts` list.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

fn fact(label: String, value: String) -> Fact {
    Fact {
        label,
        value,
        href: None,
    }
}

/// One role held by someone, as a row of a table.
pub struct SeatRow {
    pub role_id: String,
    pub role: String,
    /// The name as shown (or "anonymised"); `None` when names are not shown at all.
    pub person: Option<String>,
    /// The person's page, when their name is shown.
    pub href: Option<String>,
    pub from: String,
    pub from_iso: String,
    pub until: String,
    pub until_iso: Option<String>,
    /// The term is open: it can be ended.
    pub open: bool,
    /// The error of a failed attempt to end this role, and the value typed.
    pub error: Option<String>,
    pub end_value: String,
}

/// A table of roles with its heading.
pub struct SeatTable {
    pub id: &'static str,
    pub title: String,
    pub empty: String,
    pub rows: Vec<SeatRow>,
    pub show_names: bool,
    pub show_until: bool,
    /// Whether to offer a form to end each open role.
    pub can_end: bool,
}

/// A failed attempt to end a role: which role, why, and what was typed.
pub struct EndError {
    pub role_id: String,
    pub message: String,
    pub value: String,
}

fn role_label(lang: Lang, role: OrgRole) -> String {
    lang.choice("org-role", role.as_str())
}

fn until_text(lang: Lang, until: Option<Date>) -> String {
    until
        .map(|d| lang.full_date(d))
        .unwrap_or_else(|| lang.t("until-present"))
}

fn seat_rows(lang: Lang, seats: &[&Seat], end_error: Option<&EndError>) -> Vec<SeatRow> {
    seats
        .iter()
        .map(|s| {
            let (person, href) = match &s.person {
                None => (None, None),
                Some(p) => match &p.name {
                    Some(n) if !p.anonymised => {
                        (Some(n.clone()), Some(format!("/people/{}", p.id)))
                    }
                    _ => (Some(lang.t("person-anonymised")), None),
                },
            };
            let err = end_error.filter(|e| e.role_id == s.role_id);
            SeatRow {
                role_id: s.role_id.clone(),
                role: role_label(lang, s.role),
                person,
                href,
                from: lang.full_date(s.term.start),
                from_iso: s.term.start.to_string(),
                until: until_text(lang, s.term.end),
                until_iso: s.term.end.map(|d| d.to_string()),
                open: s.term.end.is_none(),
                error: err.map(|e| e.message.clone()),
                end_value: err.map(|e| e.value.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// "since 1 January 2002" or "1 January 2002 – 31 December 2010".
fn period(lang: Lang, start: Date, end: Option<Date>) -> String {
    match end {
        None => lang.t1("period-since", "date", lang.full_date(start)),
        Some(e) => format!("{} – {}", lang.full_date(start), lang.full_date(e)),
    }
}

fn not_found(ctx: &Ctx) -> WebError {
    WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path)
}

fn app_error(ctx: &Ctx, e: AppError) -> WebError {
    WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)
}

/// The first error of a failed submit, translated (for a form of one field).
fn first_error(lang: Lang, e: &ValidationErrors) -> String {
    e.0.first()
        .map(|f| lang.t(f.key))
        .unwrap_or_else(|| lang.t("problem-invalid-detail"))
}

fn csrf_ok(ctx: &Ctx, vals: &Vals) -> Result<(), WebError> {
    ctx.check_csrf(vals)
}

/// The people of a foundation that can be given a role, for a select; empty when the caller
/// may not read them.
async fn person_options(s: &AppState, ctx: &Ctx, foundation: &str) -> Vec<(String, String)> {
    let mut people: Vec<(String, String)> = s
        .organisation
        .people(&ctx.auth.caller, foundation)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !p.is_anonymised())
        .filter_map(|p| Some((p.id.clone(), p.name.as_ref()?.to_string())))
        .collect();
    people.sort_by_key(|(_, n)| stedenband_domain::text::fold(n));
    let mut out = vec![(String::new(), ctx.t("choose"))];
    out.extend(people);
    out
}

fn role_fields(
    lang: Lang,
    people: Vec<(String, String)>,
    roles: &[&str],
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    FormBuilder::new(lang, vals, errors)
        .select_options("person", "field-person", people)
        .select("role", "field-role", "org-role", roles, None)
        .text_with("start", "field-role-start", true, |f| f.input_type = "date")
        .text_with("end", "field-role-end", false, |f| f.input_type = "date")
        .build()
}

fn role_input(v: &Vals) -> RoleInput {
    RoleInput {
        person: get(v, "person"),
        role: get(v, "role"),
        start: get(v, "start"),
        end: get(v, "end"),
    }
}

fn board_roles() -> Vec<&'static str> {
    OrgRole::ALL
        .iter()
        .filter(|r| role_fits(**r, &Body::Foundation(String::new())))
        .map(|r| r.as_str())
        .collect()
}

fn group_roles() -> Vec<&'static str> {
    OrgRole::ALL
        .iter()
        .filter(|r| role_fits(**r, &Body::WorkingGroup(String::new())))
        .map(|r| r.as_str())
        .collect()
}

/// The path of a page without its query.
fn bare(path: &str) -> String {
    path.split('?').next().unwrap_or("/").to_owned()
}

fn partnership_label(p: &PartnershipView) -> String {
    format!("{} – {}", p.holder.name(), p.partner.name())
}

// ---- foundations: list -----------------------------------------------------------------------

pub struct FoundationRow {
    pub slug: String,
    pub name: String,
    pub municipality: String,
    pub municipality_slug: String,
    pub founded: String,
}

#[derive(Template)]
#[template(path = "foundations.html")]
struct FoundationsPage {
    ctx: Ctx,
    title: String,
    filtered: bool,
    rows: Vec<FoundationRow>,
    may_add: bool,
    add_href: String,
}

#[derive(Deserialize, Default)]
pub struct FoundationsQuery {
    municipality: Option<String>,
}

/// Every foundation, by municipality (or those of one municipality). Public.
pub async fn foundations(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<FoundationsQuery>,
) -> PageResult {
    let key = q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let list = s.organisation.foundations(key).await.or_page(&ctx)?;
    let mut rows = Vec::new();
    let mut names: HashMap<String, (String, String)> = HashMap::new();
    for f in list {
        let id = f.draft.municipality.0.clone();
        if !names.contains_key(&id) {
            let m = s.register.find_municipality(&id).await.or_page(&ctx)?;
            let m = m.ok_or_else(|| not_found(&ctx))?;
            names.insert(id.clone(), (m.name().to_string(), m.slug.to_string()));
        }
        let (municipality, municipality_slug) = names[&id].clone();
        rows.push(FoundationRow {
            slug: f.slug.to_string(),
            name: f.draft.name.to_string(),
            municipality,
            municipality_slug,
            founded: f
                .draft
                .founded_on
                .map(|d| ctx.full_date(&d))
                .unwrap_or_default(),
        });
    }
    rows.sort_by_key(|r| {
        (
            stedenband_domain::text::fold(&r.municipality),
            stedenband_domain::text::fold(&r.name),
        )
    });
    let (title, add_href) = match key {
        Some(k) => {
            let m = s.register.find_municipality(k).await.or_page(&ctx)?;
            let m = m.ok_or_else(|| not_found(&ctx))?;
            (
                ctx.t1("foundations-in", "name", m.name().to_string()),
                format!("/foundations/new?municipality={}", m.slug),
            )
        }
        None => (ctx.t("foundations-title"), "/foundations/new".to_owned()),
    };
    let may_add = s.register.allows(&ctx.auth.caller, &Action::WriteRegister);
    ok(&FoundationsPage {
        ctx,
        title,
        filtered: key.is_some(),
        rows,
        may_add,
        add_href,
    })
}

// ---- foundations: forms ----------------------------------------------------------------------

fn foundation_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
    datalist: Vec<String>,
) -> FormPage {
    let lang = ctx.lang;
    let form = FormBuilder::new(lang, vals, errors)
        .text("name", "field-name", true)
        .text_with("municipality", "field-municipality", true, |f| {
            f.list = Some("municipality-names")
        })
        .text("kvkNumber", "field-kvk-number", false)
        .text_with("foundedOn", "field-founded-on", false, |f| {
            f.input_type = "date"
        })
        .textarea("purpose", "field-purpose", false)
        .text_with("website", "field-website", false, |f| f.input_type = "url")
        .build();
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

fn foundation_input(v: &Vals) -> FoundationInput {
    FoundationInput {
        name: get(v, "name"),
        municipality: get(v, "municipality"),
        kvk_number: get(v, "kvkNumber"),
        founded_on: get(v, "foundedOn"),
        purpose: get(v, "purpose"),
        website: get(v, "website"),
    }
}

fn foundation_values(v: &FoundationView) -> Vals {
    let d = &v.foundation.draft;
    let mut m = HashMap::from([
        ("name".to_owned(), d.name.to_string()),
        ("municipality".to_owned(), v.municipality.slug.to_string()),
    ]);
    let mut opt = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            m.insert(k.to_owned(), val);
        }
    };
    opt("kvkNumber", d.kvk_number.clone());
    opt("foundedOn", d.founded_on.map(|x| x.to_string()));
    opt("purpose", d.purpose.clone());
    opt("website", d.website.clone());
    m
}

#[derive(Deserialize, Default)]
pub struct NewFoundationQuery {
    municipality: Option<String>,
}

pub async fn new_foundation(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NewFoundationQuery>,
) -> PageResult {
    let mut vals = HashMap::new();
    match q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(key) => {
            let m = s.register.find_municipality(key).await.or_page(&ctx)?;
            let m = m.ok_or_else(|| not_found(&ctx))?;
            let holder = s.register.holder(&m.id).await.or_page(&ctx)?;
            ctx.require(&s, &Action::CreateFoundation(holder)).await?;
            vals.insert("municipality".to_owned(), m.slug.to_string());
        }
        None => ctx.require(&s, &Action::WriteRegister).await?,
    }
    let names = municipality_names(&s).await;
    let title = ctx.t("foundation-new-title");
    ok(&foundation_form(
        ctx,
        title,
        "/foundations".into(),
        "/foundations".into(),
        &vals,
        None,
        names,
    ))
}

pub async fn create_foundation(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .create_foundation(&caller, &foundation_input(&vals))
        .await
    {
        Ok(f) => see_other(&format!("/foundations/{}", f.slug)),
        Err(AppError::Invalid(e)) => {
            ctx.path = "/foundations/new".to_owned();
            let names = municipality_names(&s).await;
            let title = ctx.t("foundation-new-title");
            let form = foundation_form(
                ctx,
                title,
                "/foundations".into(),
                "/foundations".into(),
                &vals,
                Some(&e),
                names,
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

pub async fn edit_foundation(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .foundation(&ctx.auth.caller, &slug, None)
        .await
        .or_page(&ctx)?;
    ctx.require(
        &s,
        &Action::ManageFoundation {
            foundation: v.foundation.id.clone(),
        },
    )
    .await?;
    let names = municipality_names(&s).await;
    let title = ctx.t1(
        "body-edit-title",
        "name",
        v.foundation.draft.name.to_string(),
    );
    let path = format!("/foundations/{}", v.foundation.slug);
    ok(&foundation_form(
        ctx,
        title,
        path.clone(),
        path,
        &foundation_values(&v),
        None,
        names,
    ))
}

pub async fn update_foundation(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .update_foundation(&caller, &slug, &foundation_input(&vals))
        .await
    {
        Ok(f) => see_other(&format!("/foundations/{}", f.slug)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/foundations/{slug}/edit");
            let v = s
                .organisation
                .foundation(&caller, &slug, None)
                .await
                .or_page(&ctx)?;
            let names = municipality_names(&s).await;
            let title = ctx.t1(
                "body-edit-title",
                "name",
                v.foundation.draft.name.to_string(),
            );
            let path = format!("/foundations/{}", v.foundation.slug);
            let form = foundation_form(ctx, title, path.clone(), path, &vals, Some(&e), names);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- foundations: the page -------------------------------------------------------------------

pub struct GroupRow {
    pub slug: String,
    pub name: String,
    pub period: String,
}

pub struct RuleProblem {
    pub group_slug: String,
    pub group_name: String,
    pub text: String,
}

pub struct RuleRow {
    pub from: String,
    pub from_iso: String,
    pub until: String,
    pub holds: bool,
    pub problems: Vec<RuleProblem>,
}

#[derive(Template)]
#[template(path = "foundation.html")]
struct FoundationPage {
    ctx: Ctx,
    name: String,
    slug: String,
    municipality: String,
    municipality_slug: String,
    facts: Vec<Fact>,
    purpose: Option<String>,
    groups: Vec<GroupRow>,
    on_value: String,
    on_error: Option<String>,
    board_title: String,
    table: SeatTable,
    people_visible: bool,
    may_manage: bool,
    /// Whether the rule holds on the chosen date, and the sentence saying so.
    rule_summary: Option<(bool, String)>,
    rule: Vec<RuleRow>,
    form: FormFields,
    datalist: Vec<String>,
    end_error: Option<EndError>,
    back: String,
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

/// Everything the foundation page needs besides the view: the chosen date's error, the board
/// role form's values and errors, a failed attempt to end a role.
#[derive(Default)]
struct FoundationExtras<'a> {
    on_error: Option<(String, String)>,
    role_vals: Option<&'a Vals>,
    role_errors: Option<&'a ValidationErrors>,
    end_error: Option<EndError>,
}

async fn foundation_page(
    ctx: Ctx,
    s: &AppState,
    slug: &str,
    on: Option<Date>,
    extras: FoundationExtras<'_>,
) -> Result<FoundationPage, WebError> {
    let lang = ctx.lang;
    let v = s
        .organisation
        .foundation(&ctx.auth.caller, slug, on)
        .await
        .or_page(&ctx)?;
    let f = &v.foundation;
    let d = &f.draft;
    let mut facts = vec![Fact {
        label: lang.t("col-municipality"),
        value: v.municipality.name().to_string(),
        href: Some(format!("/municipalities/{}", v.municipality.slug)),
    }];
    if let Some(k) = &d.kvk_number {
        facts.push(fact(lang.t("field-kvk-number"), k.clone()));
    }
    if let Some(x) = d.founded_on {
        facts.push(fact(lang.t("col-founded"), lang.full_date(x)));
    }
    if let Some(w) = &d.website {
        facts.push(Fact {
            label: lang.t("field-website"),
            value: w.clone(),
            href: Some(w.clone()),
        });
    }
    let groups = v
        .groups
        .iter()
        .map(|g| GroupRow {
            slug: g.slug.to_string(),
            name: g.draft.name.to_string(),
            period: period(lang, g.draft.term.start, g.draft.term.end),
        })
        .collect();
    let seats: Vec<&Seat> = v.board.iter().collect();
    let table = SeatTable {
        id: "board-table",
        title: lang.t1("board-on", "date", lang.full_date(v.on)),
        empty: lang.t("board-none"),
        rows: seat_rows(lang, &seats, extras.end_error.as_ref()),
        show_names: v.people_visible,
        show_until: true,
        can_end: v.may_manage,
    };
    let covering = v
        .rule
        .iter()
        .find(|r| r.from <= v.on && r.until.is_none_or(|u| v.on <= u));
    let rule_summary = covering.map(|r| {
        let date = lang.full_date(v.on);
        let text = if r.holds {
            lang.t1("rule-holds-on", "date", date)
        } else {
            lang.t1("rule-broken-on", "date", date)
        };
        (r.holds, text)
    });
    let rule = v
        .rule
        .iter()
        .map(|r| {
            let mut problems: Vec<RuleProblem> = r
                .missing
                .iter()
                .map(|m| RuleProblem {
                    group_slug: m.group.slug.to_string(),
                    group_name: m.group.draft.name.to_string(),
                    text: match m.person.as_ref().and_then(|p| p.name.clone()) {
                        Some(n) => lang.t1("rule-chair-not-on-board-named", "name", n),
                        None => lang.t("rule-chair-not-on-board"),
                    },
                })
                .collect();
            problems.extend(r.without_chair.iter().map(|g| RuleProblem {
                group_slug: g.slug.to_string(),
                group_name: g.draft.name.to_string(),
                text: lang.t("rule-no-chair"),
            }));
            RuleRow {
                from: lang.full_date(r.from),
                from_iso: r.from.to_string(),
                until: until_text(lang, r.until),
                holds: r.holds,
                problems,
            }
        })
        .collect();
    let empty = HashMap::new();
    let form = if v.may_manage {
        let people = person_options(s, &ctx, &f.id).await;
        role_fields(
            lang,
            people,
            &board_roles(),
            extras.role_vals.unwrap_or(&empty),
            extras.role_errors,
        )
    } else {
        FormBuilder::new(lang, &empty, None).build()
    };
    let (on_value, on_error) = match extras.on_error {
        Some((value, message)) => (value, Some(message)),
        None => (v.on.to_string(), None),
    };
    let back = format!("/foundations/{}", f.slug);
    Ok(FoundationPage {
        name: d.name.to_string(),
        slug: f.slug.to_string(),
        municipality: v.municipality.name().to_string(),
        municipality_slug: v.municipality.slug.to_string(),
        facts,
        purpose: d.purpose.clone(),
        groups,
        on_value,
        on_error,
        board_title: lang.t("board-title"),
        table,
        people_visible: v.people_visible,
        may_manage: v.may_manage,
        rule_summary,
        rule,
        form,
        datalist: vec![],
        end_error: extras.end_error,
        back,
        ctx,
    })
}

/// A foundation: its data, working groups, board on a date and the board rule over time.
pub async fn foundation(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<OnQuery>,
) -> PageResult {
    let raw = q.on.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let (on, on_error) = match raw.map(stedenband_domain::date::parse_date) {
        None => (None, None),
        Some(Ok(d)) => (Some(d), None),
        Some(Err(key)) => (None, Some((raw.unwrap_or("").to_owned(), ctx.t(key)))),
    };
    let status = if on_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let extras = FoundationExtras {
        on_error,
        ..Default::default()
    };
    let page = foundation_page(ctx, &s, &slug, on, extras).await?;
    Ok(render(status, &page))
}

/// Gives someone a board role.
pub async fn add_board_role(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .add_role(&caller, BodyKey::Foundation(&slug), &role_input(&vals))
        .await
    {
        Ok(_) => see_other(&format!("/foundations/{slug}#board")),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/foundations/{slug}");
            let extras = FoundationExtras {
                role_vals: Some(&vals),
                role_errors: Some(&e),
                ..Default::default()
            };
            let page = foundation_page(ctx, &s, &slug, None, extras).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// The people holding a role today, as CSV for the board.
pub async fn members_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let csv = s
        .organisation
        .members_csv(&ctx.auth.caller, &slug)
        .await
        .or_page(&ctx)?;
    let name = s
        .organisation
        .foundations(None)
        .await
        .or_page(&ctx)?
        .into_iter()
        .find(|f| f.slug.as_str() == slug || f.id == slug)
        .map(|f| f.slug.to_string())
        .unwrap_or_else(|| "foundation".to_owned());
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("{name}-members.csv"),
        csv,
    ))
}

/// A download: its media type and file name.
pub(super) fn attachment(media_type: &'static str, file: &str, body: String) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

// ---- working groups --------------------------------------------------------------------------

/// The partnerships to choose from, as checkbox options.
async fn partnership_options(
    s: &AppState,
    ctx: &Ctx,
    f: &Foundation,
) -> Result<Vec<(String, String)>, WebError> {
    let mut choices: Vec<(String, String)> = s
        .organisation
        .partnership_choices(f)
        .await
        .or_page(ctx)?
        .iter()
        .map(|p| (p.partnership.id.0.clone(), partnership_label(p)))
        .collect();
    choices.sort_by_key(|(_, l)| stedenband_domain::text::fold(l));
    Ok(choices)
}

fn group_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    choices: Vec<(String, String)>,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormPage {
    let lang = ctx.lang;
    let form = FormBuilder::new(lang, vals, errors)
        .text("name", "field-name", true)
        .checkboxes("partnerships", "field-partnerships", choices, true)
        .text_with("foundedOn", "field-group-founded-on", true, |f| {
            f.input_type = "date"
        })
        .text_with("endedOn", "field-group-ended-on", false, |f| {
            f.input_type = "date"
        })
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

/// The submitted values (the checked partnerships one per line under `partnerships`) and the
/// input for the use case.
fn group_submission(pairs: Vec<(String, String)>) -> (Vals, WorkingGroupInput) {
    let partnerships: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "partnerships")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let mut vals = values(pairs);
    vals.insert("partnerships".to_owned(), partnerships.join("\n"));
    let input = WorkingGroupInput {
        name: get(&vals, "name"),
        partnerships,
        founded_on: get(&vals, "foundedOn"),
        ended_on: get(&vals, "endedOn"),
    };
    (vals, input)
}

fn group_values(g: &WorkingGroup) -> Vals {
    let d = &g.draft;
    let mut m = HashMap::from([
        ("name".to_owned(), d.name.to_string()),
        (
            "partnerships".to_owned(),
            d.partnerships
                .iter()
                .map(|p| p.0.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("foundedOn".to_owned(), d.term.start.to_string()),
    ]);
    if let Some(e) = d.term.end {
        m.insert("endedOn".to_owned(), e.to_string());
    }
    m
}

pub async fn new_working_group(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .foundation(&ctx.auth.caller, &slug, None)
        .await
        .or_page(&ctx)?;
    ctx.require(
        &s,
        &Action::ManageFoundation {
            foundation: v.foundation.id.clone(),
        },
    )
    .await?;
    let choices = partnership_options(&s, &ctx, &v.foundation).await?;
    let mut vals = HashMap::new();
    // With one partnership to choose, it is the one.
    if let [only] = choices.as_slice() {
        vals.insert("partnerships".to_owned(), only.0.clone());
    }
    let title = ctx.t1(
        "working-group-new-title",
        "name",
        v.foundation.draft.name.to_string(),
    );
    let base = format!("/foundations/{}", v.foundation.slug);
    ok(&group_form(
        ctx,
        title,
        format!("{base}/working-groups"),
        base,
        choices,
        &vals,
        None,
    ))
}

pub async fn create_working_group(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (vals, input) = group_submission(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .create_working_group(&caller, &slug, &input)
        .await
    {
        Ok(g) => see_other(&format!("/working-groups/{}", g.slug)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/foundations/{slug}/working-groups/new");
            let v = s
                .organisation
                .foundation(&caller, &slug, None)
                .await
                .or_page(&ctx)?;
            let choices = partnership_options(&s, &ctx, &v.foundation).await?;
            let title = ctx.t1(
                "working-group-new-title",
                "name",
                v.foundation.draft.name.to_string(),
            );
            let base = format!("/foundations/{}", v.foundation.slug);
            let form = group_form(
                ctx,
                title,
                format!("{base}/working-groups"),
                base,
                choices,
                &vals,
                Some(&e),
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

pub async fn edit_working_group(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .working_group(&ctx.auth.caller, &slug)
        .await
        .or_page(&ctx)?;
    ctx.require(
        &s,
        &Action::EditWorkingGroup {
            foundation: v.foundation.id.clone(),
            group: v.group.id.clone(),
        },
    )
    .await?;
    let choices = partnership_options(&s, &ctx, &v.foundation).await?;
    let title = ctx.t1("body-edit-title", "name", v.group.draft.name.to_string());
    let path = format!("/working-groups/{}", v.group.slug);
    ok(&group_form(
        ctx,
        title,
        path.clone(),
        path,
        choices,
        &group_values(&v.group),
        None,
    ))
}

pub async fn update_working_group(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (vals, input) = group_submission(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .update_working_group(&caller, &slug, &input)
        .await
    {
        Ok(g) => see_other(&format!("/working-groups/{}", g.slug)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/working-groups/{slug}/edit");
            let v = s
                .organisation
                .working_group(&caller, &slug)
                .await
                .or_page(&ctx)?;
            let choices = partnership_options(&s, &ctx, &v.foundation).await?;
            let title = ctx.t1("body-edit-title", "name", v.group.draft.name.to_string());
            let path = format!("/working-groups/{}", v.group.slug);
            let form = group_form(ctx, title, path.clone(), path, choices, &vals, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "working_group.html")]
struct WorkingGroupPage {
    ctx: Ctx,
    name: String,
    slug: String,
    foundation: String,
    foundation_slug: String,
    facts: Vec<Fact>,
    partnerships: Vec<(String, String)>,
    tables: Vec<SeatTable>,
    people_visible: bool,
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
    end_error: Option<EndError>,
    back: String,
    /// The decisions about the group, oldest first.
    about: super::decisions::About,
}

async fn working_group_page(
    ctx: Ctx,
    s: &AppState,
    slug: &str,
    role_vals: Option<&Vals>,
    role_errors: Option<&ValidationErrors>,
    end_error: Option<EndError>,
) -> Result<WorkingGroupPage, WebError> {
    let lang = ctx.lang;
    let v: WorkingGroupView = s
        .organisation
        .working_group(&ctx.auth.caller, slug)
        .await
        .or_page(&ctx)?;
    let g = &v.group;
    let facts = vec![
        Fact {
            label: lang.t("col-foundation"),
            value: v.foundation.draft.name.to_string(),
            href: Some(format!("/foundations/{}", v.foundation.slug)),
        },
        fact(
            lang.t("col-period"),
            period(lang, g.draft.term.start, g.draft.term.end),
        ),
    ];
    let partnerships = v
        .partnerships
        .iter()
        .map(|p| {
            (
                format!("/partnerships/{}", p.partnership.id),
                partnership_label(p),
            )
        })
        .collect();
    // Past: ended before today. Everything else (running, or starting later) is listed as
    // the group's members and contacts.
    let today = stedenband_app::organisation::today();
    let is_past = |s: &Seat| s.term.end.is_some_and(|e| e < today);
    let current = |contact: bool| -> Vec<&Seat> {
        v.seats
            .iter()
            .filter(|s| !is_past(s) && (s.role == OrgRole::PartnerContact) == contact)
            .collect()
    };
    let past: Vec<&Seat> = v.seats.iter().filter(|s| is_past(s)).collect();
    let ee = end_error.as_ref();
    let tables = vec![
        SeatTable {
            id: "members",
            title: lang.t("working-group-members-title"),
            empty: lang.t("working-group-members-none"),
            rows: seat_rows(lang, &current(false), ee),
            show_names: v.people_visible,
            show_until: false,
            can_end: v.may_edit,
        },
        SeatTable {
            id: "contacts",
            title: lang.t("working-group-contacts-title"),
            empty: lang.t("working-group-contacts-none"),
            rows: seat_rows(lang, &current(true), ee),
            show_names: v.people_visible,
            show_until: false,
            can_end: v.may_edit,
        },
        SeatTable {
            id: "past",
            title: lang.t("working-group-past-title"),
            empty: lang.t("working-group-past-none"),
            rows: seat_rows(lang, &past, ee),
            show_names: v.people_visible,
            show_until: true,
            can_end: v.may_edit,
        },
    ];
    let empty = HashMap::new();
    let form = if v.may_edit {
        let people = person_options(s, &ctx, &v.foundation.id).await;
        role_fields(
            lang,
            people,
            &group_roles(),
            role_vals.unwrap_or(&empty),
            role_errors,
        )
    } else {
        FormBuilder::new(lang, &empty, None).build()
    };
    let about = super::decisions::about(
        &ctx,
        s,
        stedenband_domain::decision::AffectedKind::WorkingGroup,
        &g.id,
        "decisions",
        2,
    )
    .await?;
    Ok(WorkingGroupPage {
        about,
        name: g.draft.name.to_string(),
        slug: g.slug.to_string(),
        foundation: v.foundation.draft.name.to_string(),
        foundation_slug: v.foundation.slug.to_string(),
        facts,
        partnerships,
        tables,
        people_visible: v.people_visible,
        may_edit: v.may_edit,
        form,
        datalist: vec![],
        end_error,
        back: format!("/working-groups/{}", g.slug),
        ctx,
    })
}

/// A working group: its foundation, partnerships, members, partner contacts and past roles.
pub async fn working_group(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    ok(&working_group_page(ctx, &s, &slug, None, None, None).await?)
}

pub async fn add_group_role(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .add_role(&caller, BodyKey::WorkingGroup(&slug), &role_input(&vals))
        .await
    {
        Ok(_) => see_other(&format!("/working-groups/{slug}")),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/working-groups/{slug}");
            let page = working_group_page(ctx, &s, &slug, Some(&vals), Some(&e), None).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- roles -----------------------------------------------------------------------------------

/// The page of the body a role is held in.
async fn body_page(s: &AppState, body: &Body) -> String {
    match body {
        Body::Foundation(id) => {
            let slug = s
                .organisation
                .foundations(None)
                .await
                .ok()
                .and_then(|l| l.into_iter().find(|f| &f.id == id))
                .map(|f| f.slug.to_string())
                .unwrap_or_else(|| id.clone());
            format!("/foundations/{slug}#board")
        }
        Body::WorkingGroup(id) => {
            let slug = s
                .organisation
                .working_groups(None)
                .await
                .ok()
                .and_then(|l| l.into_iter().find(|g| &g.id == id))
                .map(|g| g.slug.to_string())
                .unwrap_or_else(|| id.clone());
            format!("/working-groups/{slug}")
        }
    }
}

/// Ends a role on a date (form field `end`), then goes back to the body's page; a refused date
/// is shown next to the role's form on the page it was sent from (`back`).
pub async fn end_role(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .end_role(&caller, &id, vals.get("end").map(String::as_str))
        .await
    {
        Ok(r) => see_other(&body_page(&s, &r.assignment.body).await),
        Err(AppError::Invalid(e)) => {
            let end_error = EndError {
                role_id: id.clone(),
                message: first_error(ctx.lang, &e),
                value: vals.get("end").cloned().unwrap_or_default(),
            };
            let back = bare(&super::local_path(vals.get("back").map(String::as_str)));
            let segments: Vec<&str> = back.trim_matches('/').split('/').collect();
            match segments.as_slice() {
                ["foundations", slug] => {
                    ctx.path = back.clone();
                    let extras = FoundationExtras {
                        end_error: Some(end_error),
                        ..Default::default()
                    };
                    let page = foundation_page(ctx, &s, slug, None, extras).await?;
                    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
                }
                ["working-groups", slug] => {
                    ctx.path = back.clone();
                    let page =
                        working_group_page(ctx, &s, slug, None, None, Some(end_error)).await?;
                    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
                }
                _ => Err(app_error(&ctx, AppError::Invalid(e))),
            }
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- people ----------------------------------------------------------------------------------

pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub anonymised: bool,
    pub email: String,
    pub phone: String,
    pub basis: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    ctx: Ctx,
    title: String,
    foundation: String,
    slug: String,
    rows: Vec<PersonRow>,
    contact: bool,
    may_add: bool,
}

fn basis_label(lang: Lang, b: &LawfulBasis) -> String {
    let code = match b {
        LawfulBasis::Membership => "membership",
        LawfulBasis::Consent { .. } => "consent",
        LawfulBasis::PublicTask => "public-task",
    };
    lang.choice("basis", code)
}

/// The right to add a person to a foundation.
async fn add_person_right(s: &AppState, ctx: &Ctx, f: &Foundation) -> Result<Action, WebError> {
    let groups = s
        .organisation
        .working_groups(Some(&f.id))
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|g| g.id)
        .collect();
    Ok(Action::EditPerson {
        foundation: f.id.clone(),
        groups,
    })
}

/// The people of a foundation, for those who may read them.
pub async fn people(ctx: Ctx, State(s): State<AppState>, Path(slug): Path<String>) -> PageResult {
    let lang = ctx.lang;
    let list = s
        .organisation
        .people(&ctx.auth.caller, &slug)
        .await
        .or_page(&ctx)?;
    let v = s
        .organisation
        .foundation(&ctx.auth.caller, &slug, None)
        .await
        .or_page(&ctx)?;
    let right = add_person_right(&s, &ctx, &v.foundation).await?;
    let may_add = s.register.allows(&ctx.auth.caller, &right);
    let contact = list.iter().any(|p| p.basis.is_some());
    let mut rows: Vec<PersonRow> = list
        .iter()
        .map(|p| PersonRow {
            id: p.id.clone(),
            name: p
                .name
                .as_ref()
                .map(|n| n.to_string())
                .unwrap_or_else(|| lang.t("person-anonymised")),
            anonymised: p.is_anonymised(),
            email: p.email.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            basis: p
                .basis
                .as_ref()
                .map(|b| basis_label(lang, b))
                .unwrap_or_default(),
        })
        .collect();
    rows.sort_by_key(|r| (r.anonymised, stedenband_domain::text::fold(&r.name)));
    let name = v.foundation.draft.name.to_string();
    ok(&PeoplePage {
        title: ctx.t1("people-title", "name", name.clone()),
        foundation: name,
        slug: v.foundation.slug.to_string(),
        rows,
        contact,
        may_add,
        ctx,
    })
}

fn person_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormPage {
    let lang = ctx.lang;
    let form = FormBuilder::new(lang, vals, errors)
        .text("name", "field-name", true)
        .text_with("email", "field-email", false, |f| f.input_type = "email")
        .text_with("phone", "field-phone", false, |f| f.input_type = "tel")
        .radios(
            "basis",
            "field-basis",
            "basis",
            &["membership", "consent", "public-task"],
        )
        .text("consentTextVersion", "field-consent-text-version", false)
        .text_with("consentGivenOn", "field-consent-given-on", false, |f| {
            f.input_type = "date"
        })
        .build();
    FormPage {
        ctx,
        title,
        intro: Some(lang.t("person-form-intro")),
        action,
        submit: lang.t("save"),
        cancel,
        form,
        datalist: vec![],
    }
}

fn person_input(v: &Vals) -> PersonInput {
    PersonInput {
        name: get(v, "name"),
        email: get(v, "email"),
        phone: get(v, "phone"),
        basis: get(v, "basis"),
        consent_text_version: get(v, "consentTextVersion"),
        consent_given_on: get(v, "consentGivenOn"),
    }
}

fn person_values(p: &Person) -> Vals {
    let mut m = HashMap::new();
    if let Some(n) = &p.name {
        m.insert("name".to_owned(), n.to_string());
    }
    if let Some(e) = &p.email {
        m.insert("email".to_owned(), e.clone());
    }
    if let Some(t) = &p.phone {
        m.insert("phone".to_owned(), t.clone());
    }
    match &p.basis {
        Some(LawfulBasis::Membership) => {
            m.insert("basis".to_owned(), "membership".to_owned());
        }
        Some(LawfulBasis::PublicTask) => {
            m.insert("basis".to_owned(), "public-task".to_owned());
        }
        Some(LawfulBasis::Consent {
            text_version,
            given_on,
            ..
        }) => {
            m.insert("basis".to_owned(), "consent".to_owned());
            m.insert("consentTextVersion".to_owned(), text_version.clone());
            m.insert("consentGivenOn".to_owned(), given_on.to_string());
        }
        None => {}
    }
    m
}

pub async fn new_person(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .foundation(&ctx.auth.caller, &slug, None)
        .await
        .or_page(&ctx)?;
    let right = add_person_right(&s, &ctx, &v.foundation).await?;
    ctx.require(&s, &right).await?;
    let title = ctx.t1(
        "person-new-title",
        "name",
        v.foundation.draft.name.to_string(),
    );
    let base = format!("/foundations/{}/people", v.foundation.slug);
    ok(&person_form(
        ctx,
        title,
        base.clone(),
        base,
        &HashMap::new(),
        None,
    ))
}

pub async fn create_person(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .create_person(&caller, &slug, &person_input(&vals))
        .await
    {
        Ok(p) => see_other(&format!("/people/{}", p.id)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/foundations/{slug}/people/new");
            let v = s
                .organisation
                .foundation(&caller, &slug, None)
                .await
                .or_page(&ctx)?;
            let title = ctx.t1(
                "person-new-title",
                "name",
                v.foundation.draft.name.to_string(),
            );
            let base = format!("/foundations/{}/people", v.foundation.slug);
            let form = person_form(ctx, title, base.clone(), base, &vals, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

pub struct PersonRoleRow {
    pub href: String,
    pub body: String,
    pub role: String,
    pub from: String,
    pub from_iso: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    ctx: Ctx,
    id: String,
    title: String,
    anonymised: bool,
    foundation: String,
    foundation_slug: String,
    facts: Vec<Fact>,
    roles: Vec<PersonRoleRow>,
    retention: String,
    may_edit: bool,
    can_withdraw: bool,
    may_handle_request: bool,
}

/// The right to change this person: as the use cases decide it.
fn edit_person_right(v: &stedenband_app::organisation::PersonView) -> Action {
    let mut groups: Vec<String> = v
        .roles
        .iter()
        .filter(|(_, b)| b.kind == "working-group")
        .map(|(_, b)| b.id.clone())
        .collect();
    groups.sort();
    groups.dedup();
    Action::EditPerson {
        foundation: v.foundation.id.clone(),
        groups,
    }
}

/// A person: name (or "anonymised"), contact details and lawful basis for those who may see
/// them, roles over time, how long the data is kept, and the data-subject requests.
pub async fn person(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    let lang = ctx.lang;
    let v = s
        .organisation
        .person(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    let p = &v.person;
    let anonymised = p.is_anonymised();
    let title = match &p.name {
        Some(n) if !anonymised => n.to_string(),
        _ => lang.t("person-anonymised-title"),
    };
    let mut facts = vec![Fact {
        label: lang.t("col-foundation"),
        value: v.foundation.draft.name.to_string(),
        href: Some(format!("/foundations/{}", v.foundation.slug)),
    }];
    if v.contact_visible && !anonymised {
        let none = lang.t("not-recorded");
        facts.push(fact(
            lang.t("field-email"),
            p.email.clone().unwrap_or_else(|| none.clone()),
        ));
        facts.push(fact(
            lang.t("field-phone"),
            p.phone.clone().unwrap_or_else(|| none.clone()),
        ));
        if let Some(b) = &p.basis {
            facts.push(fact(lang.t("field-basis"), basis_label(lang, b)));
            if let LawfulBasis::Consent {
                text_version,
                given_on,
                recorded_by,
            } = b
            {
                facts.push(fact(
                    lang.t("field-consent-text-version"),
                    text_version.clone(),
                ));
                facts.push(fact(
                    lang.t("field-consent-given-on"),
                    lang.full_date(*given_on),
                ));
                facts.push(fact(lang.t("consent-recorded-by"), recorded_by.clone()));
            }
        }
    }
    if let Some(w) = p.consent_withdrawn_on {
        facts.push(fact(lang.t("consent-withdrawn-on"), lang.full_date(w)));
    }
    let mut roles: Vec<PersonRoleRow> = v
        .roles
        .iter()
        .map(|(r, b)| PersonRoleRow {
            href: match b.kind {
                "foundation" => format!("/foundations/{}", b.slug),
                _ => format!("/working-groups/{}", b.slug),
            },
            body: b.name.clone(),
            role: role_label(lang, r.assignment.role),
            from: lang.full_date(r.assignment.term.start),
            from_iso: r.assignment.term.start.to_string(),
            until: until_text(lang, r.assignment.term.end),
        })
        .collect();
    roles.sort_by(|a, b| a.from_iso.cmp(&b.from_iso));
    let retention = match (p.anonymised_on, v.retention_ends) {
        (Some(d), _) => lang.t1("retention-anonymised", "date", lang.full_date(d)),
        (None, Some(d)) => lang.t1("retention-ends", "date", lang.full_date(d)),
        (None, None) => lang.t("retention-while-role"),
    };
    let can_withdraw =
        v.may_handle_request && !anonymised && matches!(p.basis, Some(LawfulBasis::Consent { .. }));
    ok(&PersonPage {
        id: p.id.clone(),
        title,
        anonymised,
        foundation: v.foundation.draft.name.to_string(),
        foundation_slug: v.foundation.slug.to_string(),
        facts,
        roles,
        retention,
        may_edit: v.may_edit && !anonymised,
        can_withdraw,
        may_handle_request: v.may_handle_request,
        ctx,
    })
}

pub async fn edit_person(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let v = s
        .organisation
        .person(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    ctx.require(&s, &edit_person_right(&v)).await?;
    if v.person.is_anonymised() {
        return Err(not_found(&ctx));
    }
    let name = v
        .person
        .name
        .as_ref()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let title = ctx.t1("person-edit-title", "name", name);
    let path = format!("/people/{}", v.person.id);
    ok(&person_form(
        ctx,
        title,
        path.clone(),
        path,
        &person_values(&v.person),
        None,
    ))
}

pub async fn update_person(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .organisation
        .update_person(&caller, &id, &person_input(&vals))
        .await
    {
        Ok(p) => see_other(&format!("/people/{}", p.id)),
        Err(AppError::Invalid(e)) => {
            ctx.path = format!("/people/{id}/edit");
            let v = s.organisation.person(&caller, &id).await.or_page(&ctx)?;
            let name = v
                .person
                .name
                .as_ref()
                .map(|n| n.to_string())
                .unwrap_or_default();
            let title = ctx.t1("person-edit-title", "name", name);
            let path = format!("/people/{}", v.person.id);
            let form = person_form(ctx, title, path.clone(), path, &vals, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// Withdraws a person's consent: their data is anonymised at once.
pub async fn withdraw_consent(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let p = s
        .organisation
        .withdraw_consent(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    see_other(&format!("/people/{}", p.id))
}

/// Erases a person's data on their request.
pub async fn erase_person(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = values(pairs);
    csrf_ok(&ctx, &vals)?;
    let p = s
        .organisation
        .erase_person(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    see_other(&format!("/people/{}", p.id))
}

/// Everything stored about a person, as a JSON download.
pub async fn export_person(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let data = s
        .organisation
        .export_person(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    let body = serde_json::to_string_pretty(&data)
        .map_err(|e| app_error(&ctx, AppError::Store(stedenband_store_error(e))))?;
    let file = data["person"].as_str().unwrap_or("person").to_owned();
    Ok(attachment(
        "application/json",
        &format!("person-{}.json", safe_file_part(&file)),
        body,
    ))
}

fn stedenband_store_error(e: serde_json::Error) -> stedenband_store::StoreError {
    stedenband_store::StoreError::Corrupt(format!("json: {e}"))
}

/// Only letters, digits and dashes in a file name.
fn safe_file_part(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
