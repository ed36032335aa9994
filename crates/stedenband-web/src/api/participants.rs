//! Participants of an activity listed by name per town (the list of an EU grant's sign-in
//! sheet). Everybody who may see the activity gets the towns with their counts; names come
//! only to those who may edit the activity or read its working group's people. Listing and
//! removing is for those who may edit the activity.

use super::created;
use super::extract::ApiJson;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stedenband_app::participants::{ParticipantRow, ParticipantsView};
use stedenband_domain::participant::{Participant, ParticipantInput};
use utoipa::ToSchema;

/// The town a participant comes from.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TownRef {
    pub id: String,
    #[schema(example = "hranice")]
    pub slug: String,
    #[schema(example = "Hranice")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "CZ")]
    pub country: String,
}

/// One listed participant.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantOut {
    pub id: String,
    /// `person` (of the organisation) or `guest`.
    #[schema(example = "guest")]
    pub kind: String,
    /// The person's id, for people of the organisation.
    pub person: Option<String>,
    /// The name; null once the person or guest has been anonymised.
    #[schema(example = "Jana Nováková")]
    pub name: Option<String>,
    pub anonymised: bool,
}

impl From<&ParticipantRow> for ParticipantOut {
    fn from(p: &ParticipantRow) -> Self {
        Self {
            id: p.id.clone(),
            kind: p.kind.to_owned(),
            person: p.person.clone(),
            name: p.name.clone(),
            anonymised: p.anonymised,
        }
    }
}

/// The participants from one town.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TownParticipants {
    pub town: TownRef,
    /// `home` (the home municipality) or `partner` (the partner town or another invited town).
    #[schema(example = "partner")]
    pub side: String,
    pub count: u64,
    /// Empty when the caller may not see names.
    pub participants: Vec<ParticipantOut>,
}

/// An activity's list of participants, home first, then the partner town, then other towns.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantsOut {
    pub activity: String,
    pub names_visible: bool,
    pub total: u64,
    pub towns: Vec<TownParticipants>,
}

impl From<&ParticipantsView> for ParticipantsOut {
    fn from(v: &ParticipantsView) -> Self {
        Self {
            activity: v.activity.activity.id.clone(),
            names_visible: v.names_visible,
            total: v.total as u64,
            towns: v
                .towns
                .iter()
                .map(|t| TownParticipants {
                    town: TownRef {
                        id: t.town.id.0.clone(),
                        slug: t.town.slug.to_string(),
                        name: t.town.name().to_string(),
                        country: t.town.country().as_str().to_owned(),
                    },
                    side: t.side.as_str().to_owned(),
                    count: t.count as u64,
                    participants: t.participants.iter().map(ParticipantOut::from).collect(),
                })
                .collect(),
        }
    }
}

/// Somebody to list: a person of the organisation (`person`) or a guest (`guestName`), not
/// both, and the town they come from.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParticipantBody {
    /// The id of a person of the organising foundation.
    pub person: Option<String>,
    /// A guest's name.
    #[schema(example = "Jana Nováková")]
    pub guest_name: Option<String>,
    /// Required: the town they come from (municipality id or slug).
    #[schema(example = "hranice")]
    pub town: Option<String>,
}

/// A listed participant as stored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedOut {
    pub id: String,
    pub activity: String,
    pub kind: String,
    pub person: Option<String>,
    pub name: Option<String>,
    /// The town's id.
    pub town: String,
    #[schema(value_type = String, format = Date)]
    pub recorded_on: String,
}

impl From<&Participant> for ListedOut {
    fn from(p: &Participant) -> Self {
        Self {
            id: p.id.clone(),
            activity: p.activity.clone(),
            kind: if p.is_guest() { "guest" } else { "person" }.to_owned(),
            person: p.person.clone(),
            name: p.guest_name.as_ref().map(|n| n.to_string()),
            town: p.town.clone(),
            recorded_on: p.recorded_on.to_string(),
        }
    }
}

/// The participants of an activity per town.
#[utoipa::path(get, path = "/activities/{id}/participants", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The towns with their counts; names for those who may see them", body = ParticipantsOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity (or not public and not logged in)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_participants(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ParticipantsOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = s.activities.participants(&caller, &id).await.or_api(lang)?;
    Ok(Json(ParticipantsOut::from(&v)))
}

/// List a person of the organisation or a named guest (those who may edit the activity).
#[utoipa::path(post, path = "/activities/{id}/participants", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    request_body = ParticipantBody,
    responses(
        (status = 201, description = "Listed", body = ListedOut,
         headers(("Location" = String, description = "The activity's list"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this activity", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of person and guest, an unknown person or town, or listed already", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn add_participant(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ParticipantBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let input = ParticipantInput {
        person: body.person.unwrap_or_default(),
        guest_name: body.guest_name.unwrap_or_default(),
        town: body.town.unwrap_or_default(),
    };
    let p = s
        .activities
        .add_participant(&caller, &id, &input)
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/activities/{}/participants", p.activity),
        ListedOut::from(&p),
    ))
}

/// Take somebody off the list (those who may edit the activity).
#[utoipa::path(delete, path = "/activities/{id}/participants/{participant}", tag = "activities",
    params(
        ("id" = String, Path, description = "Activity id"),
        ("participant" = String, Path, description = "Participant id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not edit this activity", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity or participant", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn remove_participant(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path((id, participant)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    let caller = auth.caller_or_401(lang)?;
    s.activities
        .remove_participant(&caller, &id, &participant)
        .await
        .or_api(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The list as CSV (town, country, side, name, kind), for those who see names.
#[utoipa::path(get, path = "/activities/{id}/participants.csv", tag = "activities",
    params(("id" = String, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The list", content_type = "text/csv", body = String),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May not see the names", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn participants_csv(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let csv = s
        .activities
        .participants_csv(&caller, &id)
        .await
        .or_api(lang)?;
    let mut res = csv.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    Ok(res)
}
