//! The evaluations API: evaluations of a municipality's twinnings (the VNG's study of 2004, the
//! evaluation of 2009 after a council motion) with their criteria and findings, conclusions and
//! recommendations, and what became of each recommendation.
//!
//! Everyone reads; the officials of the evaluating municipality record evaluations and
//! follow-ups (decided by [`stedenband_app::Evaluations`]). Repeated items are named in
//! `invalidParams` by their place in the request, counted from zero: `criteria[0].finding`,
//! `conclusions[2]`, `recommendations[1].date`. In addresses a recommendation is numbered from
//! one, as on the pages (`number` in the answer).

use super::created;
use super::dto::MunicipalityRef;
use super::extract::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Deserializer, Serialize};
use stedenband_app::{AppError, EvaluationView, Evaluations, PartnershipView};
use stedenband_domain::ValidationErrors;
use stedenband_domain::evaluation::{
    CriterionInput, EvaluationInput, FollowUp, FollowUpInput, RecommendationInput,
};
use utoipa::{IntoParams, ToSchema};

fn service(s: &AppState) -> Evaluations {
    Evaluations::new(s.register.clone())
}

/// Text, or a JSON number given as its digits (years): the domain's parser decides either way.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Text(String),
    Number(serde_json::Number),
}

fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Loose>::deserialize(d)?.map(|l| match l {
        Loose::Text(s) => s,
        Loose::Number(n) => n.to_string(),
    }))
}

// ---- bodies -------------------------------------------------------------------------------------

/// A criterion the evaluation judged, with what it found.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CriterionBody {
    /// Required: as the evaluation names it.
    #[schema(example = "Noodzaak")]
    pub name: Option<String>,
    /// Required: `effectiveness`, `efficiency`, `future-possibilities`, `usefulness`,
    /// `necessity`, `functionality` or `other`.
    #[schema(example = "necessity")]
    pub aspect: Option<String>,
    /// Required: what was found (at most 4000 characters).
    #[schema(example = "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd.")]
    pub finding: Option<String>,
}

/// A recommendation, with what became of it (open when left out).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecommendationBody {
    /// Required (at most 4000 characters).
    pub text: Option<String>,
    /// `open` (default), `adopted` or `rejected`.
    #[schema(example = "open")]
    pub status: Option<String>,
    /// The date of the decision, YYYY-MM-DD: required unless open; not before the evaluation's
    /// year, not in the future.
    #[schema(example = "2011-11-08")]
    pub date: Option<String>,
    pub note: Option<String>,
}

/// An evaluation of a municipality's twinnings.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvaluationBody {
    /// Required: the evaluating municipality (id or slug).
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// Required: the year it was carried out, not in the future (text or a whole JSON number).
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2009")]
    pub year: Option<String>,
    /// Required (at most 200 characters).
    #[schema(example = "Evaluatie nut, noodzaak en functionaliteit van de stedenbanden")]
    pub title: Option<String>,
    #[schema(example = "Gemeente Leidschendam-Voorburg")]
    pub commissioned_by: Option<String>,
    #[schema(example = "VNG")]
    pub carried_out_by: Option<String>,
    /// Why it was held.
    #[schema(example = "Motie van Gemeentebelangen")]
    pub occasion: Option<String>,
    pub research_question: Option<String>,
    /// The first year looked at; give both years or neither.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2004")]
    pub period_from: Option<String>,
    /// The last year looked at: not before `periodFrom`, not after `year`.
    #[serde(default, deserialize_with = "loose")]
    #[schema(schema_with = super::dto::text_or_integer, example = "2008")]
    pub period_to: Option<String>,
    /// Required: the partnerships covered (ids, 1 to 50), all held by the municipality.
    #[serde(default)]
    pub partnerships: Vec<String>,
    /// At most 50.
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub criteria: Vec<CriterionBody>,
    /// In order, at most 50.
    #[serde(default)]
    pub conclusions: Vec<String>,
    /// In order, at most 50.
    #[serde(default, deserialize_with = "super::dto::objects")]
    pub recommendations: Vec<RecommendationBody>,
}

impl EvaluationBody {
    fn into_input(self) -> EvaluationInput {
        EvaluationInput {
            municipality: self.municipality,
            year: self.year,
            title: self.title,
            commissioned_by: self.commissioned_by,
            carried_out_by: self.carried_out_by,
            occasion: self.occasion,
            research_question: self.research_question,
            period_from: self.period_from,
            period_to: self.period_to,
            partnerships: self.partnerships,
            criteria: self
                .criteria
                .into_iter()
                .map(|c| CriterionInput {
                    name: c.name,
                    aspect: c.aspect,
                    finding: c.finding,
                })
                .collect(),
            conclusions: self.conclusions,
            recommendations: self
                .recommendations
                .into_iter()
                .map(|r| RecommendationInput {
                    text: r.text,
                    follow_up: FollowUpInput {
                        status: r.status,
                        date: r.date,
                        note: r.note,
                    },
                })
                .collect(),
        }
    }
}

/// What became of a recommendation.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUpBody {
    /// Required: `open`, `adopted` or `rejected`.
    #[schema(example = "adopted")]
    pub status: Option<String>,
    /// The date of the decision, YYYY-MM-DD: required unless open; not before the evaluation's
    /// year, not in the future.
    #[schema(example = "2011-11-08")]
    pub date: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct EvaluationListQuery {
    /// The municipality (id or slug): its evaluations and its predecessors'; an unknown one is
    /// a 422. Without it, every municipality's.
    #[param(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
}

// ---- answers ------------------------------------------------------------------------------------

/// A partnership an evaluation covers.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoveredPartnershipRef {
    pub id: String,
    /// Who entered it.
    pub home: MunicipalityRef,
    pub partner: MunicipalityRef,
    /// Who holds it today.
    pub holder: MunicipalityRef,
}

impl From<&PartnershipView> for CoveredPartnershipRef {
    fn from(v: &PartnershipView) -> Self {
        Self {
            id: v.partnership.id.0.clone(),
            home: MunicipalityRef::from(&v.home),
            partner: MunicipalityRef::from(&v.partner),
            holder: MunicipalityRef::from(&v.holder),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CriterionOut {
    pub name: String,
    #[schema(example = "necessity")]
    pub aspect: String,
    pub finding: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationOut {
    /// Its number, counted from 1 (as in `/recommendations/{n}/follow-up`).
    #[schema(example = 1)]
    pub number: usize,
    pub text: String,
    /// `open`, `adopted` or `rejected`.
    #[schema(example = "open")]
    pub status: String,
    /// The date of the decision (absent while open, unless one was given).
    #[schema(value_type = Option<String>, format = Date, example = "2011-11-08")]
    pub date: Option<String>,
    pub note: Option<String>,
}

/// An evaluation with everything in it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationOut {
    pub id: String,
    pub municipality: MunicipalityRef,
    #[schema(example = 2009)]
    pub year: i16,
    pub title: String,
    pub commissioned_by: Option<String>,
    pub carried_out_by: Option<String>,
    pub occasion: Option<String>,
    pub research_question: Option<String>,
    #[schema(example = 2004)]
    pub period_from: Option<i16>,
    #[schema(example = 2008)]
    pub period_to: Option<i16>,
    pub partnerships: Vec<CoveredPartnershipRef>,
    pub criteria: Vec<CriterionOut>,
    pub conclusions: Vec<String>,
    pub recommendations: Vec<RecommendationOut>,
    /// Whether the caller may record follow-ups.
    pub may_edit: bool,
}

fn recommendation(number: usize, text: &str, f: &FollowUp) -> RecommendationOut {
    RecommendationOut {
        number,
        text: text.to_owned(),
        status: f.status.as_str().to_owned(),
        date: f.date.map(|d| d.to_string()),
        note: f.note.clone(),
    }
}

impl From<&EvaluationView> for EvaluationOut {
    fn from(v: &EvaluationView) -> Self {
        let d = &v.record.draft;
        let name = |n: &Option<stedenband_domain::Name>| n.as_ref().map(|n| n.to_string());
        Self {
            id: v.record.id.clone(),
            municipality: MunicipalityRef::from(&v.municipality),
            year: d.year,
            title: d.title.to_string(),
            commissioned_by: name(&d.commissioned_by),
            carried_out_by: name(&d.carried_out_by),
            occasion: name(&d.occasion),
            research_question: d.research_question.clone(),
            period_from: d.period.map(|p| p.from),
            period_to: d.period.map(|p| p.to),
            partnerships: v
                .partnerships
                .iter()
                .map(CoveredPartnershipRef::from)
                .collect(),
            criteria: d
                .criteria
                .iter()
                .map(|c| CriterionOut {
                    name: c.name.to_string(),
                    aspect: c.aspect.as_str().to_owned(),
                    finding: c.finding.clone(),
                })
                .collect(),
            conclusions: d.conclusions.clone(),
            recommendations: d
                .recommendations
                .iter()
                .enumerate()
                .map(|(i, r)| recommendation(i + 1, &r.text, &r.follow_up))
                .collect(),
            may_edit: v.may_edit,
        }
    }
}

// ---- handlers -----------------------------------------------------------------------------------

/// Evaluations, oldest first; with `municipality`, those of that municipality and of the
/// municipalities that merged into it.
#[utoipa::path(get, path = "/evaluations", tag = "evaluations",
    params(EvaluationListQuery),
    responses(
        (status = 200, description = "The evaluations", body = Vec<EvaluationOut>),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `municipality`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn list_evaluations(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<EvaluationListQuery>,
) -> Result<Json<Vec<EvaluationOut>>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let municipality = q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let found = service(&s)
        .evaluations(&caller, municipality)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::Invalid(ValidationErrors::single(
                "municipality",
                "error-municipality-unknown",
            )),
            other => other,
        })
        .or_api(lang)?;
    Ok(Json(found.iter().map(EvaluationOut::from).collect()))
}

/// Record an evaluation (the officials of the evaluating municipality). Every invalid field is
/// named at once; nothing is stored unless all are valid.
#[utoipa::path(post, path = "/evaluations", tag = "evaluations",
    request_body = EvaluationBody,
    responses(
        (status = 201, description = "Recorded", body = EvaluationOut,
         headers(("Location" = String, description = "The new evaluation's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of this municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a partnership the municipality does not hold", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn create_evaluation(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<EvaluationBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = service(&s)
        .create(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/evaluations/{}", v.record.id),
        EvaluationOut::from(&v),
    ))
}

/// One evaluation.
#[utoipa::path(get, path = "/evaluations/{id}", tag = "evaluations",
    params(("id" = String, Path, description = "Evaluation id")),
    responses(
        (status = 200, description = "The evaluation", body = EvaluationOut),
        (status = 401, description = "An invalid bearer token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such evaluation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_evaluation(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EvaluationOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let v = service(&s).evaluation(&caller, &id).await.or_api(lang)?;
    Ok(Json(EvaluationOut::from(&v)))
}

/// Record what became of recommendation `n` (counted from 1): open, adopted or rejected, with
/// the date of the decision and a note (the officials of the evaluating municipality).
#[utoipa::path(put, path = "/evaluations/{id}/recommendations/{n}/follow-up", tag = "evaluations",
    params(
        ("id" = String, Path, description = "Evaluation id"),
        ("n" = usize, Path, description = "The recommendation's number, from 1"),
    ),
    request_body = FollowUpBody,
    responses(
        (status = 200, description = "Recorded; the whole evaluation", body = EvaluationOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an official of the evaluating municipality", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such evaluation or recommendation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`status`, `date`, `note`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn record_follow_up(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    ApiJson(body): ApiJson<FollowUpBody>,
) -> Result<Json<EvaluationOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    // A number that is no number names no recommendation (0 is none): the use case still
    // refuses whoever may not record follow-ups before it says so.
    let number = n.trim().parse::<usize>().unwrap_or(0);
    let input = FollowUpInput {
        status: body.status,
        date: body.date,
        note: body.note,
    };
    let v = service(&s)
        .record_follow_up(&caller, &id, number, &input)
        .await
        .or_api(lang)?;
    Ok(Json(EvaluationOut::from(&v)))
}
