//! The activities' API: exchanges and visits of partnerships, the figures of each occurrence of
//! a recurring one, receptions by the mayor and aldermen, and the numbers per year.
//!
//! Every handler calls the use cases of [`stedenband_app::Activities`], which decide the rights:
//! the public sees public activities only (another is a 404), is refused every write with 401
//! before anything is looked up; working-group members change only their own group's
//! activities, the municipality's officials its own ones and its receptions.

use super::created;
use super::dto::*;
use super::extract::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;
use stedenband_app::activities::ActivityView;
use stedenband_app::organisation::today;
use stedenband_app::{AppError, Caller};
use stedenband_domain::activity::{Activity, Category, Organiser, check_period};
use stedenband_domain::date::parse_date;
use stedenband_domain::{PartnershipId, ValidationErrors};
use stedenband_store::ActivityFilter;

/// The period of the occurrence list when only one of `from` and `to` is given (years).
const DEFAULT_WINDOW_YEARS: i16 = 2;

/// A query value that is absent or blank counts as not given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn invalid(lang: Lang, e: ValidationErrors) -> WebError {
    WebError::new(Front::Api, lang, ErrorKind::Invalid(e))
}

/// The body's recurrence is an object; the domain names its fields flat.
fn body_fields(r: Result<Activity, AppError>, lang: Lang) -> Result<Activity, WebError> {
    r.map_err(|e| match e {
        AppError::Invalid(mut v) => {
            for f in &mut v.0 {
                f.field = match f.field {
                    "recurrence" => "recurrence.frequency",
                    "recurrenceUntil" => "recurrence.until",
                    other => other,
                };
            }
            AppError::Invalid(v)
        }
        other => other,
    })
    .or_api(lang)
}

/// The working groups by id: their slug and name, to name organisers in lists.
async fn group_names(
    s: &AppState,
    lang: Lang,
) -> Result<BTreeMap<String, (String, String)>, WebError> {
    Ok(s.organisation
        .working_groups(None)
        .await
        .or_api(lang)?
        .into_iter()
        .map(|g| (g.id, (g.slug.as_str().to_owned(), g.draft.name.to_string())))
        .collect())
}

fn activity_out(a: &Activity, groups: &BTreeMap<String, (String, String)>) -> ActivityOut {
    let group = match &a.draft.organiser {
        Organiser::WorkingGroup(id) => groups
            .get(id)
            .map(|(slug, name)| (id.as_str(), slug.as_str(), name.as_str())),
        Organiser::Municipality => None,
    };
    ActivityOut::new(a, group)
}

/// The filter and period of a list query; every unknown value is reported at once.
async fn list_filter(
    s: &AppState,
    lang: Lang,
    q: &ActivityListQuery,
    groups: &BTreeMap<String, (String, String)>,
) -> Result<(ActivityFilter, Option<Date>, Option<Date>), WebError> {
    let mut e = ValidationErrors::default();
    let mut filter = ActivityFilter::default();
    if let Some(p) = given(&q.partnership) {
        match s.register.partnership(p).await {
            Ok(d) => filter.partnerships = vec![d.view.partnership.id.0],
            Err(AppError::NotFound) => e.push("partnership", "error-partnership-unknown-id"),
            Err(other) => return Err(WebError::from_app(Front::Api, lang, other)),
        }
    }
    if let Some(g) = given(&q.working_group) {
        match groups
            .iter()
            .find(|(id, (slug, _))| id.as_str() == g || slug.as_str() == g)
        {
            Some((id, _)) => filter.working_group = Some(id.clone()),
            None => e.push("workingGroup", "error-working-group-unknown"),
        }
    }
    if let Some(c) = given(&q.category) {
        filter.category = e.check("category", Category::parse(c));
    }
    let from = given(&q.from).and_then(|d| e.check("from", parse_date(d)));
    let to = given(&q.to).and_then(|d| e.check("to", parse_date(d)));
    if let (Some(f), Some(t)) = (from, to) {
        e.check("to", check_period(f, t));
    }
    if !e.is_empty() {
        return Err(invalid(lang, e));
    }
    Ok((filter, from, to))
}

// ---- activities ------------------------------------------------------------------------------

/// List activities by start, filtered by partnership, working group, category and period. The
/// public sees public activities only; an account sees those that are not public where it has a
/// right on their partnership or organiser. With a period, each activity comes with its
/// occurrences in it (a recurring activity once, with each of its occurrences); a period runs
/// at most ten years, and one end alone stands for two years from (or up to) it.
#[utoipa::path(get, path = "/activities", tag = "activities",
    params(ActivityListQuery),
    responses(
        (status = 200, description = "The activities", body = Vec<ActivityListItem>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown partnership, working group or category, a bad date, or a period longer than ten years (`to`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_activities(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ActivityListQuery>,
) -> Result<Json<Vec<ActivityListItem>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let groups = group_names(&s, lang).await?;
    let (filter, from, to) = list_filter(&s, lang, &q, &groups).await?;
    if from.is_none() && to.is_none() {
        let found = s
            .activities
            .activities(&caller, filter)
            .await
            .or_api(lang)?;
        return Ok(Json(
            found
                .iter()
                .map(|a| ActivityListItem {
                    activity: activity_out(a, &groups),
                    occurrences: None,
                })
                .collect(),
        ));
    }
    // One end of the period alone: the other lies a window away.
    let window = DEFAULT_WINDOW_YEARS.years();
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, f.checked_add(window).unwrap_or(Date::MAX)),
        (None, Some(t)) => (t.checked_sub(window).unwrap_or(Date::MIN), t),
        (None, None) => unreachable!("handled above"),
    };
    let calendar = s
        .activities
        .calendar(&caller, filter, from, to)
        .await
        .or_api(lang)?;
    // One item per activity, in the order of its first occurrence in the period.
    let mut items: Vec<ActivityListItem> = Vec::new();
    let mut position: BTreeMap<&str, usize> = BTreeMap::new();
    for (a, o) in &calendar {
        let span = OccurrenceSpan::from(o);
        match position.get(a.id.as_str()) {
            Some(&i) => items[i].occurrences.get_or_insert_with(Vec::new).push(span),
            None => {
                position.insert(&a.id, items.len());
                items.push(ActivityListItem {
                    activity: activity_out(a, &groups),
                    occurrences: Some(vec![span]),
                });
            }
        }
    }
    Ok(Json(items))
}

/// Plan or record an activity of a partnership: for the organising working group's members,
/// the foundation's board and administrators; an activity the municipality organises for its
/// officials.
#[utoipa::path(post, path = "/activities", tag = "activities",
    request_body = ActivityBody,
    responses(
        (status = 201, description = "Recorded", body = ActivityDetail,
         headers(("Location" = String, description = "The new activity's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not organise activities for this working group or municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_activity(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let a = body_fields(
        s.activities
            .create_activity(&caller, &body.into_input())
            .await,
        lang,
    )?;
    let v = s.activities.activity(&caller, &a.id).await.or_api(lang)?;
    Ok(created(
        format!("/api/v1/activities/{}", a.id),
        ActivityDetail::from(&v),
    ))
}

/// One activity with its partner, organiser and reception. An activity that is not public is
/// not found for the public.
#[utoipa::path(get, path = "/activities/{id}", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The activity", body = ActivityDetail),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity (or not public)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_activity(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ActivityDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s.activities.activity(&caller, &id).await.or_api(lang)?;
    Ok(Json(ActivityDetail::from(&v)))
}

/// Replace an activity's data (who may edit it, and, when it moves to another organiser or
/// partnership, may edit it there too). An activity with an open reception stays incoming.
#[utoipa::path(put, path = "/activities/{id}", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    request_body = ActivityBody,
    responses(
        (status = 200, description = "Saved", body = ActivityDetail),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this activity", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_activity(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<Json<ActivityDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let a = body_fields(
        s.activities
            .update_activity(&caller, &id, &body.into_input())
            .await,
        lang,
    )?;
    let v = s.activities.activity(&caller, &a.id).await.or_api(lang)?;
    Ok(Json(ActivityDetail::from(&v)))
}

// ---- occurrences -----------------------------------------------------------------------------

/// The activity as the caller may see it (404 for the public when it is not public).
async fn visible(
    s: &AppState,
    caller: &Caller,
    lang: Lang,
    id: &str,
) -> Result<ActivityView, WebError> {
    s.activities.activity(caller, id).await.or_api(lang)
}

/// The occurrences of an activity up to a date (its only one when it does not recur), each with
/// its figures: those recorded for it, else the activity's own counts.
#[utoipa::path(get, path = "/activities/{id}/occurrences", tag = "activities",
    params(("id" = String, Path, description = "Activity id"), OccurrencesQuery),
    responses(
        (status = 200, description = "The occurrences, in time order", body = Vec<OccurrenceOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity (or not public)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_occurrences(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OccurrencesQuery>,
) -> Result<Json<Vec<OccurrenceOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let until = match given(&q.until) {
        Some(raw) => {
            Some(parse_date(raw).map_err(|k| invalid(lang, ValidationErrors::single("until", k)))?)
        }
        None => None,
    };
    let v = visible(&s, &caller, lang, &id).await?;
    let until = until.unwrap_or_else(|| today().max(v.activity.draft.schedule.end));
    let found = s
        .activities
        .occurrences(&v.activity, until)
        .await
        .or_api(lang)?;
    Ok(Json(found.iter().map(OccurrenceOut::from).collect()))
}

/// Record the figures of one occurrence, named by its start date (those who may edit the
/// activity). They replace figures recorded before.
#[utoipa::path(put, path = "/activities/{id}/occurrences/{date}", tag = "activities",
    params(
        ("id" = String, Path, description = "Activity id"),
        ("date" = String, Path, description = "The occurrence's start (YYYY-MM-DD)", example = "2017-12-01"),
    ),
    request_body = FiguresBody,
    responses(
        (status = 200, description = "Recorded; the occurrence with its figures", body = OccurrenceOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this activity", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity, or no occurrence starts on this date", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid figures", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn set_figures(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path((id, date)): Path<(String, String)>,
    ApiJson(body): ApiJson<FiguresBody>,
) -> Result<Json<OccurrenceOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let f = s
        .activities
        .set_figures(&caller, &id, &date, &body.into_input())
        .await
        .or_api(lang)?;
    let v = visible(&s, &caller, lang, &id).await?;
    let found = s
        .activities
        .occurrences(&v.activity, f.occurrence_on)
        .await
        .or_api(lang)?;
    let o = found
        .iter()
        .find(|o| o.occurrence.start == f.occurrence_on)
        .ok_or_else(|| {
            WebError::new(
                Front::Api,
                lang,
                ErrorKind::Internal(format!("figures of {id} on {date} without occurrence")),
            )
        })?;
    Ok(Json(OccurrenceOut::from(o)))
}

// ---- receptions ------------------------------------------------------------------------------

/// Ask the mayor and aldermen to receive an incoming visit (those who may edit the activity).
#[utoipa::path(post, path = "/activities/{id}/reception", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    responses(
        (status = 201, description = "Requested", body = ReceptionOut,
         headers(("Location" = String, description = "The activity, which shows its reception"))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this activity", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an incoming visit (`direction`) or already requested (`status`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn request_reception(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .activities
        .request_reception(&caller, &id)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/activities/{}", r.activity),
        ReceptionOut::new(&r, true),
    ))
}

/// Move a reception on: accepted or declined, scheduled (with a date, and who receives), held
/// (officials of the municipality holding the partnership).
#[utoipa::path(put, path = "/activities/{id}/reception", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    request_body = ReceptionBody,
    responses(
        (status = 200, description = "Moved on", body = ReceptionOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity, or no reception asked for", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A step that cannot be taken from the current status (`status`), or invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn step_reception(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReceptionBody>,
) -> Result<Json<ReceptionOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .activities
        .step_reception(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(Json(ReceptionOut::new(&r, true)))
}

/// The open reception requests (requested, accepted, scheduled) of a municipality's
/// partnerships, by the activity's start (its officials).
#[utoipa::path(get, path = "/municipalities/{id}/receptions", tag = "activities",
    params(("id" = String, Path, description = "Id or slug of the municipality")),
    responses(
        (status = 200, description = "The open requests", body = Vec<OpenReceptionOut>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn open_receptions(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<OpenReceptionOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let open = s
        .activities
        .open_receptions(&caller, &id)
        .await
        .or_api(lang)?;
    let groups = group_names(&s, lang).await?;
    Ok(Json(
        open.iter()
            .map(|o| OpenReceptionOut {
                activity: activity_out(&o.activity, &groups),
                partner: MunicipalityRef::from(&o.partnership.partner),
                reception: ReceptionOut::new(&o.reception, true),
            })
            .collect(),
    ))
}

// ---- numbers ---------------------------------------------------------------------------------

/// A partnership's held activities per year (by category and direction, participants per side,
/// recorded costs), each occurrence of a recurring activity up to today in its year; and whether
/// the partnership is dormant. The public's numbers count public activities only.
#[utoipa::path(get, path = "/partnerships/{id}/activity-numbers", tag = "activities",
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, description = "The numbers per year, oldest first, and the dormancy", body = ActivityNumbersOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn activity_numbers(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ActivityNumbersOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let p = s.register.partnership(&id).await.or_api(lang)?;
    let pid: PartnershipId = p.view.partnership.id;
    let years = s
        .activities
        .numbers_per_year(&caller, &pid.0)
        .await
        .or_api(lang)?;
    let dormancy = s
        .activities
        .dormancy(&pid, s.dormancy_months)
        .await
        .or_api(lang)?;
    Ok(Json(ActivityNumbersOut {
        partnership: pid.0,
        years: years.iter().map(YearNumbersOut::from).collect(),
        dormancy: DormancyOut::from(&dormancy),
    }))
}
