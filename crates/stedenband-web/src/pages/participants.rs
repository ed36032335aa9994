//! An activity's participants listed by name per town: the list with the form to add somebody,
//! the printable sign-in sheet (name, town, signature) an EU grant asks for, and the CSV. Who
//! sees names and who may change the list is decided by `stedenband_app::participants`.

use super::activities::{app_error, partnership_label, span_text};
use super::forms::{FormBuilder, FormFields, get, values};
use super::organisation::attachment;
use super::{Ctx, PageResult, ok, render, see_other};
use crate::AppState;
use crate::error::{OrWebError, WebError};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use stedenband_app::AppError;
use stedenband_app::participants::ParticipantsView;
use stedenband_domain::ValidationErrors;
use stedenband_domain::participant::{ParticipantInput, Side};

type Vals = HashMap<String, String>;

/// How many empty lines each town's table on the sign-in sheet gets for people who come
/// without being listed.
const BLANK_LINES: usize = 5;

struct Row {
    id: String,
    name: String,
    kind: String,
    anonymised: bool,
    person_href: Option<String>,
}

struct TownRows {
    name: String,
    country: String,
    side: String,
    href: String,
    count: u64,
    rows: Vec<Row>,
}

struct Header {
    id: String,
    title: String,
    when: String,
    place: Option<String>,
    partnership_label: String,
    partnership_href: String,
    total: u64,
    names_visible: bool,
    towns: Vec<TownRows>,
}

fn header(ctx: &Ctx, v: &ParticipantsView) -> Header {
    let a = &v.activity.activity;
    let d = &a.draft;
    let towns = v
        .towns
        .iter()
        .map(|t| TownRows {
            name: t.town.name().to_string(),
            country: ctx.country(t.town.country()).to_owned(),
            side: ctx.t(match t.side {
                Side::Home => "participants-side-home",
                Side::Partner => "participants-side-partner",
            }),
            href: format!("/municipalities/{}", t.town.slug),
            count: t.count as u64,
            rows: t
                .participants
                .iter()
                .map(|p| Row {
                    id: p.id.clone(),
                    name: p
                        .name
                        .clone()
                        .unwrap_or_else(|| ctx.t("participant-anonymised")),
                    kind: ctx.t(&format!("participant-kind-{}", p.kind)),
                    anonymised: p.anonymised,
                    person_href: p
                        .person
                        .as_ref()
                        .filter(|_| !p.anonymised)
                        .map(|id| format!("/people/{id}")),
                })
                .collect(),
        })
        .collect();
    Header {
        id: a.id.clone(),
        title: d.title.to_string(),
        when: span_text(ctx.lang, d.schedule.start, d.schedule.end, &d.schedule),
        place: d.place.clone(),
        partnership_label: partnership_label(&v.activity.partnership),
        partnership_href: format!("/partnerships/{}", v.activity.partnership.partnership.id),
        total: v.total as u64,
        names_visible: v.names_visible,
        towns,
    }
}

#[derive(Template)]
#[template(path = "participants.html")]
struct ParticipantsPage {
    ctx: Ctx,
    h: Header,
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
}

#[derive(Template)]
#[template(path = "signin_sheet.html")]
struct SheetPage {
    ctx: Ctx,
    h: Header,
    blank: Vec<usize>,
}

async fn participants_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<ParticipantsPage, WebError> {
    let v = s
        .activities
        .participants(&ctx.auth.caller, id)
        .await
        .or_page(&ctx)?;
    let choices = s
        .activities
        .participant_choices(&v.activity)
        .await
        .or_page(&ctx)?;
    let empty = Vals::new();
    let (vals, errors) = match failed {
        Some((vals, e)) => (vals, Some(e)),
        None => (&empty, None),
    };
    let mut people = vec![(String::new(), ctx.t("participant-person-none"))];
    people.extend(choices.people);
    let towns = choices
        .towns
        .iter()
        .map(|t| (t.slug.to_string(), t.name().to_string()))
        .collect();
    let form = FormBuilder::new(ctx.lang, vals, errors)
        .select_options("person", "field-participant-person", people)
        .text_with("guestName", "field-guest-name", false, |f| {
            f.hint = Some(ctx.t("field-guest-name-hint"));
            f.autocomplete = "off";
        })
        .select_options("town", "field-participant-town", towns)
        .build();
    let may_edit = v.activity.may_edit;
    Ok(ParticipantsPage {
        h: header(&ctx, &v),
        may_edit,
        form,
        datalist: vec![],
        ctx,
    })
}

/// The participants of an activity per town; the form to list somebody for those who may.
pub async fn participants(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let page = participants_page(ctx, &s, &id, None).await?;
    ok(&page)
}

/// Lists a person of the organisation or a named guest.
pub async fn add_participant(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}/participants");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let input = ParticipantInput {
        person: get(&vals, "person").unwrap_or_default(),
        guest_name: get(&vals, "guestName").unwrap_or_default(),
        town: get(&vals, "town").unwrap_or_default(),
    };
    let caller = ctx.auth.caller.clone();
    match s.activities.add_participant(&caller, &id, &input).await {
        Ok(p) => see_other(&format!("/activities/{id}/participants#p-{}", p.id)),
        Err(AppError::Invalid(e)) => {
            let page = participants_page(ctx, &s, &id, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// Takes somebody off the list.
pub async fn remove_participant(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path((id, participant)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}/participants");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    s.activities
        .remove_participant(&caller, &id, &participant)
        .await
        .map_err(|e| app_error(&ctx, e))?;
    see_other(&format!("/activities/{id}/participants"))
}

/// The sign-in sheet to print: per town the listed names, a column to sign, and empty lines.
pub async fn signin_sheet(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let v = s
        .activities
        .participants(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    if !v.names_visible {
        // The same refusal as the CSV: the names are the sheet.
        s.activities
            .participants_csv(&ctx.auth.caller, &id)
            .await
            .or_page(&ctx)?;
    }
    let page = SheetPage {
        h: header(&ctx, &v),
        blank: (1..=BLANK_LINES).collect(),
        ctx,
    };
    ok(&page)
}

/// The list as CSV.
pub async fn participants_csv(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    let csv = s
        .activities
        .participants_csv(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("participants-{safe}.csv"),
        csv,
    ))
}
