//! The organisation's API: foundations, working groups, people and their roles.
//!
//! Every handler calls one use case of [`stedenband_app::Organisation`] (and, after a write,
//! reads the result back through the same use cases), so rights are decided there. Personal
//! data leaves only as the use cases return it: seats name their holders only for callers who
//! may read the foundation's people, contact details only for those who may edit the person.
//! Reads of people answer the public with 401, whether or not the address exists.

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
use std::collections::BTreeMap;
use stedenband_app::organisation::{BodyKey, today};
use stedenband_app::{AppError, Caller};
use stedenband_domain::{Municipality, Principal, ValidationErrors};

fn invalid(lang: Lang, field: &'static str, key: &'static str) -> WebError {
    WebError::new(
        Front::Api,
        lang,
        ErrorKind::Invalid(ValidationErrors::single(field, key)),
    )
}

/// The result of a read of people for the public: always 401, also for an address that does
/// not exist (the use case has then written the refusal to the audit log where there was
/// something to refuse), so the public learns nothing of who is recorded.
fn refuse_public<T>(caller: &Caller, lang: Lang, r: Result<T, AppError>) -> Result<T, WebError> {
    match r {
        Err(_) if matches!(caller.principal, Principal::Public) => {
            Err(WebError::new(Front::Api, lang, ErrorKind::Unauthenticated))
        }
        other => other.or_api(lang),
    }
}

/// A query value that is absent or blank counts as not given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

// ---- foundations -----------------------------------------------------------------------------

/// List foundations by name; with `municipality`, those working in it. Public.
#[utoipa::path(get, path = "/foundations", tag = "foundations",
    params(FoundationListQuery),
    responses(
        (status = 200, description = "The foundations", body = Vec<FoundationOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown municipality", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_foundations(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<FoundationListQuery>,
) -> Result<Json<Vec<FoundationOut>>, WebError> {
    let found = match s.organisation.foundations(given(&q.municipality)).await {
        Err(AppError::NotFound) => {
            return Err(invalid(lang, "municipality", "error-municipality-unknown"));
        }
        other => other.or_api(lang)?,
    };
    let mut municipalities: BTreeMap<String, Municipality> = BTreeMap::new();
    let mut out = Vec::new();
    for f in &found {
        let key = &f.draft.municipality.0;
        if !municipalities.contains_key(key) {
            let m = s
                .register
                .find_municipality(key)
                .await
                .or_api(lang)?
                .ok_or_else(|| {
                    WebError::new(
                        Front::Api,
                        lang,
                        ErrorKind::Internal(format!("foundation {} without municipality", f.id)),
                    )
                })?;
            municipalities.insert(key.clone(), m);
        }
        out.push(FoundationOut::new(f, &municipalities[key]));
    }
    Ok(Json(out))
}

/// Register a foundation working in a municipality (its officials and administrators).
#[utoipa::path(post, path = "/foundations", tag = "foundations",
    request_body = FoundationBody,
    responses(
        (status = 201, description = "Registered", body = FoundationDetail,
         headers(("Location" = String, description = "The new foundation's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_foundation(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<FoundationBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let f = s
        .organisation
        .create_foundation(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    let v = s
        .organisation
        .foundation(&caller, &f.id, None)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/foundations/{}", f.id),
        FoundationDetail::from(&v),
    ))
}

/// One foundation (`id` may be its slug) with its working groups, its board on a date and the
/// history of the rule that every working group's chair sits on the board. Public; the board's
/// members are named only for callers who may see the foundation's people.
#[utoipa::path(get, path = "/foundations/{id}", tag = "foundations",
    params(("id" = String, Path, description = "Id or slug"), FoundationQuery),
    responses(
        (status = 200, description = "The foundation", body = FoundationDetail),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such foundation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_foundation(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FoundationQuery>,
) -> Result<Json<FoundationDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let on = match given(&q.on) {
        Some(raw) => {
            Some(stedenband_domain::date::parse_date(raw).map_err(|key| invalid(lang, "on", key))?)
        }
        None => None,
    };
    let v = s
        .organisation
        .foundation(&caller, &id, on)
        .await
        .or_api(lang)?;
    Ok(Json(FoundationDetail::from(&v)))
}

/// Replace a foundation's data (its board and administrators).
#[utoipa::path(put, path = "/foundations/{id}", tag = "foundations",
    params(("id" = String, Path, description = "Id or slug")),
    request_body = FoundationBody,
    responses(
        (status = 200, description = "Saved", body = FoundationDetail),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the foundation's board", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such foundation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_foundation(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FoundationBody>,
) -> Result<Json<FoundationDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let f = s
        .organisation
        .update_foundation(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let v = s
        .organisation
        .foundation(&caller, &f.id, None)
        .await
        .or_api(lang)?;
    Ok(Json(FoundationDetail::from(&v)))
}

/// Give a person a seat on the foundation's board (its board and administrators).
#[utoipa::path(post, path = "/foundations/{id}/roles", tag = "foundations",
    params(("id" = String, Path, description = "Id or slug of the foundation")),
    request_body = RoleBody,
    responses(
        (status = 201, description = "Given", body = RoleOut,
         headers(("Location" = String, description = "The foundation, which shows its board"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the foundation's board", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such foundation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn add_board_role(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .organisation
        .add_role(&caller, BodyKey::Foundation(&id), &body.into_input())
        .await
        .or_api(lang)?;
    let out = RoleOut::from(&r);
    Ok(created(format!("/api/v1/foundations/{}", out.body.id), out))
}

/// The people recorded with a foundation, by name. For its board, officials of its
/// municipality and its working groups' members; contact details only for those who may edit
/// the person.
#[utoipa::path(get, path = "/foundations/{id}/people", tag = "people",
    params(("id" = String, Path, description = "Id or slug of the foundation")),
    responses(
        (status = 200, description = "The people", body = Vec<PersonOut>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not see the foundation's people", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such foundation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_people(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<PersonOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let people = refuse_public(&caller, lang, s.organisation.people(&caller, &id).await)?;
    Ok(Json(people.iter().map(PersonOut::from).collect()))
}

/// Record a person with a foundation, with the lawful basis for keeping their data (its board
/// and the members of its working groups).
#[utoipa::path(post, path = "/foundations/{id}/people", tag = "people",
    params(("id" = String, Path, description = "Id or slug of the foundation")),
    request_body = PersonBody,
    responses(
        (status = 201, description = "Recorded", body = PersonDetail,
         headers(("Location" = String, description = "The new person's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not record people here", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such foundation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_person(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let p = s
        .organisation
        .create_person(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let v = s.organisation.person(&caller, &p.id).await.or_api(lang)?;
    Ok(created(
        format!("/api/v1/people/{}", p.id),
        PersonDetail::new(&v, today()),
    ))
}

// ---- working groups --------------------------------------------------------------------------

/// List working groups; with `foundation`, those of one foundation. Public.
#[utoipa::path(get, path = "/working-groups", tag = "working-groups",
    params(WorkingGroupListQuery),
    responses(
        (status = 200, description = "The working groups", body = Vec<WorkingGroupOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown foundation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_working_groups(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<WorkingGroupListQuery>,
) -> Result<Json<Vec<WorkingGroupOut>>, WebError> {
    let groups = match s.organisation.working_groups(given(&q.foundation)).await {
        Err(AppError::NotFound) => {
            return Err(invalid(lang, "foundation", "error-foundation-unknown"));
        }
        other => other.or_api(lang)?,
    };
    Ok(Json(groups.iter().map(WorkingGroupOut::from).collect()))
}

/// Register a working group of a foundation; it carries at least one of the partnerships of the
/// foundation's municipality (the foundation's board and administrators).
#[utoipa::path(post, path = "/working-groups", tag = "working-groups",
    request_body = NewWorkingGroupBody,
    responses(
        (status = 201, description = "Registered", body = WorkingGroupDetail,
         headers(("Location" = String, description = "The new working group's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the foundation's board", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (an unknown foundation too)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_working_group(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<NewWorkingGroupBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let (foundation, input) = body.into_parts();
    let key = given(&foundation).unwrap_or_default();
    let g = match s
        .organisation
        .create_working_group(&caller, key, &input)
        .await
    {
        // The use case refuses the public first; only then is the foundation looked up.
        Err(AppError::NotFound) if key.is_empty() => {
            return Err(invalid(lang, "foundation", "error-required"));
        }
        Err(AppError::NotFound) => {
            return Err(invalid(lang, "foundation", "error-foundation-unknown"));
        }
        other => other.or_api(lang)?,
    };
    let v = s
        .organisation
        .working_group(&caller, &g.id)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/working-groups/{}", g.id),
        WorkingGroupDetail::from(&v),
    ))
}

/// One working group (`id` may be its slug) with its foundation, partnerships and roles.
/// Public; the roles' holders are named only for callers who may see the foundation's people.
#[utoipa::path(get, path = "/working-groups/{id}", tag = "working-groups",
    params(("id" = String, Path, description = "Id or slug")),
    responses(
        (status = 200, description = "The working group", body = WorkingGroupDetail),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such working group", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_working_group(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<WorkingGroupDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .organisation
        .working_group(&caller, &id)
        .await
        .or_api(lang)?;
    Ok(Json(WorkingGroupDetail::from(&v)))
}

/// Replace a working group's data (the foundation's board, the group's members, administrators).
#[utoipa::path(put, path = "/working-groups/{id}", tag = "working-groups",
    params(("id" = String, Path, description = "Id or slug")),
    request_body = WorkingGroupBody,
    responses(
        (status = 200, description = "Saved", body = WorkingGroupDetail),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither on the board nor a member of the group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such working group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_working_group(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WorkingGroupBody>,
) -> Result<Json<WorkingGroupDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let g = s
        .organisation
        .update_working_group(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let v = s
        .organisation
        .working_group(&caller, &g.id)
        .await
        .or_api(lang)?;
    Ok(Json(WorkingGroupDetail::from(&v)))
}

/// Give a person a role in a working group: chair, officer, member or contact in the partner
/// town (the foundation's board, the group's members, administrators).
#[utoipa::path(post, path = "/working-groups/{id}/roles", tag = "working-groups",
    params(("id" = String, Path, description = "Id or slug of the working group")),
    request_body = RoleBody,
    responses(
        (status = 201, description = "Given", body = RoleOut,
         headers(("Location" = String, description = "The working group, which shows its roles"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither on the board nor a member of the group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such working group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn add_group_role(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .organisation
        .add_role(&caller, BodyKey::WorkingGroup(&id), &body.into_input())
        .await
        .or_api(lang)?;
    let out = RoleOut::from(&r);
    Ok(created(
        format!("/api/v1/working-groups/{}", out.body.id),
        out,
    ))
}

// ---- roles and people ------------------------------------------------------------------------

/// End a role on a date, its last day (who may give the role may end it).
#[utoipa::path(post, path = "/roles/{id}/end", tag = "people",
    params(("id" = String, Path, description = "Role id")),
    request_body = EndRoleBody,
    responses(
        (status = 200, description = "Ended", body = RoleOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not change this body's roles", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid end", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn end_role(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndRoleBody>,
) -> Result<Json<RoleOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let r = s
        .organisation
        .end_role(&caller, &id, body.end.as_deref())
        .await
        .or_api(lang)?;
    Ok(Json(RoleOut::from(&r)))
}

/// One person with their roles (those who may see the foundation's people); contact details,
/// basis and consent only for those who may edit the person.
#[utoipa::path(get, path = "/people/{id}", tag = "people",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = PersonDetail),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not see the foundation's people", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_person(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = refuse_public(&caller, lang, s.organisation.person(&caller, &id).await)?;
    Ok(Json(PersonDetail::new(&v, today())))
}

/// Replace a person's data (the foundation's board, members of a working group the person has a
/// role in, administrators). An anonymised person cannot be changed (404).
#[utoipa::path(put, path = "/people/{id}", tag = "people",
    params(("id" = String, Path, description = "Person id")),
    request_body = PersonBody,
    responses(
        (status = 200, description = "Saved", body = PersonDetail),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this person", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_person(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonBody>,
) -> Result<Json<PersonDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let p = s
        .organisation
        .update_person(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let v = s.organisation.person(&caller, &p.id).await.or_api(lang)?;
    Ok(Json(PersonDetail::new(&v, today())))
}

/// Record that a person withdrew their consent: with no other basis to keep their data, it is
/// anonymised at once (their roles stay, naming no one).
#[utoipa::path(post, path = "/people/{id}/withdraw-consent", tag = "people",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "Withdrawn; the person as now stored", body = PersonDetail),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this person", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The person is not kept on consent (`basis`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn withdraw_consent(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let p = s
        .organisation
        .withdraw_consent(&caller, &id)
        .await
        .or_api(lang)?;
    let v = s.organisation.person(&caller, &p.id).await.or_api(lang)?;
    Ok(Json(PersonDetail::new(&v, today())))
}

/// Everything stored about a person, for a data-subject access request (the foundation's board
/// and administrators). The export is written to the audit log.
#[utoipa::path(get, path = "/people/{id}/export", tag = "people",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "Every row that refers to the person", body = PersonExport),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the foundation's board", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn export_person(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonExport>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s
        .organisation
        .export_person(&caller, &id)
        .await
        .or_api(lang)?;
    Ok(Json(PersonExport::from_json(v)))
}

/// Erase a person on request: every personal field is emptied; their roles stay, naming no one
/// (the foundation's board and administrators).
#[utoipa::path(post, path = "/people/{id}/erase", tag = "people",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "Erased; the person as now stored", body = PersonDetail),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the foundation's board", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn erase_person(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PersonDetail>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let p = s
        .organisation
        .erase_person(&caller, &id)
        .await
        .or_api(lang)?;
    let v = s.organisation.person(&caller, &p.id).await.or_api(lang)?;
    Ok(Json(PersonDetail::new(&v, today())))
}
