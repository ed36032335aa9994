//! The JSON API under `/api/v1`, following the Dutch API Design Rules: plural resource names,
//! no trailing slashes, an `API-Version` header on every response, errors as
//! `application/problem+json` naming the invalid field, and an OpenAPI 3 document generated
//! from these handlers at `/api/v1/openapi.json`.
//!
//! Bodies are read into the same raw inputs the forms produce and go through the same use
//! cases, so the API and the pages accept and refuse exactly the same things.

mod activities;
pub(crate) mod decisions;
mod dto;
mod evaluations;
mod extract;
mod money;
mod organisation;
mod participants;
mod reports;
pub(crate) mod world;

use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, Problem, WebError};
use crate::i18n::Lang;
use crate::{API_VERSION, AppState};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use dto::*;
use extract::{ApiJson, ApiQuery};
use std::sync::Arc;
use stedenband_app::{MunicipalityFilter, PageRequest};
use stedenband_domain::{CountryCode, ValidationErrors};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Stedenband API",
        version = "1.0.0",
        description = "The register of town twinnings: municipalities, their lineage, partnerships \
                       and their history, and the foundations and working groups that keep them \
                       up. Errors are application/problem+json (RFC 9457) with \
                       `invalidParams` naming each invalid field. Texts follow Accept-Language \
                       (nl or en; Dutch by default).",
        license(name = "EUPL-1.2")
    ),
    tags(
        (name = "municipalities", description = "Municipalities and regions, with their lineage (mergers)."),
        (name = "partnerships", description = "Partnerships (stedenbanden) and their history."),
        (name = "foundations", description = "Foundations (stichtingen) that keep up the partnerships, \
                                              their boards over time and the rule that every working \
                                              group's chair sits on the board. Public, except that board \
                                              members are named only for those who may see the \
                                              foundation's people."),
        (name = "working-groups", description = "A foundation's working groups, each carrying one or more \
                                                 partnerships, and their roles. Public, except that role \
                                                 holders are named only for those who may see the \
                                                 foundation's people."),
        (name = "people", description = "People recorded with a foundation and their roles, with the \
                                         lawful basis for keeping their data (AVG/GDPR): consent \
                                         withdrawal, export and erasure. Never public."),
        (name = "activities", description = "Activities of partnerships (exchanges, visits, recurring \
                                             events such as the Christmas tree from Hranice), the \
                                             figures of each occurrence, receptions by the mayor and \
                                             aldermen, and numbers per year with the dormancy flag. \
                                             The public sees public activities only; working-group \
                                             members change only their own group's activities."),
        (name = "money", description = "Subsidies through their Awb life cycle, the public subsidy \
                                        register, phase-out schedules (also computed without storing), \
                                        the working groups' ledgers and the municipal money per year. \
                                        Amounts go out as integer euro cents in fields ending in `Cents` \
                                        and come in as text (\"24490.00\", \"24.490,00\"); no floating \
                                        point. The public sees the register, schedules and overview, \
                                        never a subsidy's file or a ledger."),
        (name = "reports", description = "Figures computed from the register, the activities and the \
                                          money for a period and a municipality's partnerships (the \
                                          same as the report page), the indicators per evaluation \
                                          criterion, and two periods or partnerships compared. Public; \
                                          the public counts public activities only."),
        (name = "evaluations", description = "Evaluations of a municipality's twinnings (the VNG's \
                                              study of 2004, the evaluation of 2009 after a council \
                                              motion): criteria with their findings, conclusions, and \
                                              recommendations with what became of them. Public; recorded \
                                              by the municipality's officials."),
        (name = "decisions", description = "Council decisions and motions with what they affect, and \
                                            the rules they impose and lift, with their history: no \
                                            new twinnings and subsidy ends are enforced by the \
                                            register (a refused change cites the decision: problem \
                                            type `urn:stedenband:problem:refused-by-decision`), no \
                                            budget line and no staff capacity are shown on the \
                                            overviews; the municipality's plan per year as adopted \
                                            scenarios wrote it. The public reads adopted decisions; \
                                            proposals and rejected or withdrawn motions are the \
                                            municipality's officials' only."),
        (name = "scenarios", description = "Policy options as scenarios: changes from given dates \
                                            (partnership statuses, money lines per year, staff \
                                            capacity) projected per year over a horizon, compared \
                                            side by side, tried in a dry run and adopted with a \
                                            decision in one transaction. Public; recorded, tried and \
                                            adopted by the municipality's officials."),
        (name = "world", description = "The world register: towns and twin pairs of the whole \
                                        world from imported lists (Wikipedia's lists of twin towns, \
                                        Wikidata), reconciled with the register's municipalities; a \
                                        town's partners with the source of every record, countries \
                                        with their counts, the network (shared partners, the \
                                        shortest chain, triangles, the most connected towns, \
                                        connected components), partner suggestions with their \
                                        reasons, and GeoJSON. Public and read-only, answered from \
                                        memory; importing a list needs an administrator. Data of \
                                        the lists carries their attribution (Wikipedia: CC BY-SA 4.0)."),
        (name = "endings", description = "Ending a partnership properly: the decision and the \
                                          reason, the letter to the partner town drafted in Dutch \
                                          and English from the bond's history, the notification, \
                                          and the end date with the final status, after which the \
                                          partnership is archived. Public once started; the steps \
                                          are taken by the officials of the municipality that \
                                          holds it."),
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    // Reading the public register needs nothing; writes and people need a token.
    security((), ("bearer" = []))
)]
struct ApiDoc;

/// Personal access tokens (`sb_…`, made with `stedenband user token` or on `/account`) as the
/// HTTP bearer scheme of the document.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token (sb_…) from `stedenband user token` or the \
                         account page.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's routes and its OpenAPI document.
pub fn router() -> Router<AppState> {
    let (router, doc) = openapi_router().split_for_parts();
    let doc = Arc::new(doc);
    router
        .route(
            "/api/v1/openapi.json",
            get(move || std::future::ready(Json(doc.as_ref().clone()))),
        )
        .route("/api/v1", any(not_found))
        .route("/api/v1/{*rest}", any(not_found))
        .layer(SetResponseHeaderLayer::overriding(
            API_VERSION.0,
            HeaderValue::from_static(API_VERSION.1),
        ))
}

fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        "/api/v1",
        OpenApiRouter::new()
            .routes(routes!(list_municipalities, create_municipality))
            .routes(routes!(get_municipality, update_municipality))
            .routes(routes!(create_merger))
            .routes(routes!(list_partnerships, create_partnership))
            .routes(routes!(get_partnership, update_partnership))
            .routes(routes!(list_events, add_event))
            .routes(routes!(
                organisation::list_foundations,
                organisation::create_foundation
            ))
            .routes(routes!(
                organisation::get_foundation,
                organisation::update_foundation
            ))
            .routes(routes!(organisation::add_board_role))
            .routes(routes!(
                organisation::list_people,
                organisation::create_person
            ))
            .routes(routes!(
                organisation::list_working_groups,
                organisation::create_working_group
            ))
            .routes(routes!(
                organisation::get_working_group,
                organisation::update_working_group
            ))
            .routes(routes!(organisation::add_group_role))
            .routes(routes!(organisation::end_role))
            .routes(routes!(
                organisation::get_person,
                organisation::update_person
            ))
            .routes(routes!(organisation::withdraw_consent))
            .routes(routes!(organisation::export_person))
            .routes(routes!(organisation::erase_person))
            .routes(routes!(
                activities::list_activities,
                activities::create_activity
            ))
            .routes(routes!(
                activities::get_activity,
                activities::update_activity
            ))
            .routes(routes!(activities::list_occurrences))
            .routes(routes!(activities::set_figures))
            .routes(routes!(
                activities::request_reception,
                activities::step_reception
            ))
            .routes(routes!(
                participants::list_participants,
                participants::add_participant
            ))
            .routes(routes!(participants::remove_participant))
            .routes(routes!(participants::participants_csv))
            .routes(routes!(activities::open_receptions))
            .routes(routes!(activities::activity_numbers))
            .routes(routes!(money::list_subsidies, money::create_subsidy))
            .routes(routes!(money::get_subsidy))
            .routes(routes!(money::add_step))
            .routes(routes!(money::subsidy_register))
            .routes(routes!(money::ledger, money::create_transaction))
            .routes(routes!(money::list_schedules, money::create_schedule))
            .routes(routes!(money::get_schedule))
            .routes(routes!(money::compute_schedule))
            .routes(routes!(money::municipal_money))
            .routes(routes!(reports::report))
            .routes(routes!(reports::compare))
            .routes(routes!(
                evaluations::list_evaluations,
                evaluations::create_evaluation
            ))
            .routes(routes!(evaluations::get_evaluation))
            .routes(routes!(evaluations::record_follow_up))
            .routes(routes!(
                decisions::list_decisions,
                decisions::create_decision
            ))
            .routes(routes!(decisions::decisions_about))
            .routes(routes!(decisions::get_decision, decisions::update_decision))
            .routes(routes!(decisions::add_decision_rule))
            .routes(routes!(decisions::list_rules, decisions::create_rule))
            .routes(routes!(decisions::plan))
            .routes(routes!(
                decisions::list_scenarios,
                decisions::create_scenario
            ))
            .routes(routes!(decisions::compare_scenarios))
            .routes(routes!(decisions::get_scenario))
            .routes(routes!(decisions::dry_run))
            .routes(routes!(decisions::adopt))
            .routes(routes!(decisions::get_ending, decisions::start_ending))
            .routes(routes!(decisions::record_letter))
            .routes(routes!(decisions::record_notification))
            .routes(routes!(decisions::complete_ending))
            .routes(routes!(world::search_towns))
            .routes(routes!(world::get_town))
            .routes(routes!(world::town_partners))
            .routes(routes!(world::town_geojson))
            .routes(routes!(world::list_countries))
            .routes(routes!(world::get_country))
            .routes(routes!(world::country_geojson))
            .routes(routes!(world::shared_partners))
            .routes(routes!(world::chain))
            .routes(routes!(world::triangles))
            .routes(routes!(world::most_connected))
            .routes(routes!(world::components))
            .routes(routes!(world::suggestions))
            .merge(
                OpenApiRouter::new()
                    .routes(routes!(world::import_world))
                    // A whole list in one request: the shipped one is 2 MB.
                    .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
            ),
    )
}

/// The OpenAPI document, as served (for `stedenband openapi` and tests).
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi_router().split_for_parts().1
}

async fn not_found(lang: Lang) -> WebError {
    WebError::new(Front::Api, lang, ErrorKind::NotFound)
}

fn created(location: String, body: impl serde::Serialize) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn page_request(page: Option<u32>, size: Option<u32>, lang: Lang) -> Result<PageRequest, WebError> {
    let mut e = ValidationErrors::default();
    if page == Some(0) {
        e.push("page", "error-page-invalid");
    }
    if size.is_some_and(|s| s == 0 || s > PageRequest::MAX_SIZE) {
        e.push("pageSize", "error-page-size-invalid");
    }
    if !e.is_empty() {
        return Err(WebError::new(Front::Api, lang, ErrorKind::Invalid(e)));
    }
    Ok(PageRequest::new(page.unwrap_or(1), size.unwrap_or(20)))
}

// ---- municipalities --------------------------------------------------------------------------

/// List municipalities and regions, by name, paged and searchable.
#[utoipa::path(get, path = "/municipalities", tag = "municipalities",
    params(MunicipalityListQuery),
    responses(
        (status = 200, description = "A page of municipalities", body = MunicipalityPage),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query values", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_municipalities(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MunicipalityListQuery>,
) -> Result<Json<MunicipalityPage>, WebError> {
    let page = page_request(q.page, q.page_size, lang)?;
    let country = match q
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => Some(CountryCode::parse(c).map_err(|key| {
            WebError::new(
                Front::Api,
                lang,
                ErrorKind::Invalid(ValidationErrors::single("country", key)),
            )
        })?),
        None => None,
    };
    let filter = MunicipalityFilter {
        query: q.q,
        country,
    };
    let found = s
        .register
        .municipalities(&filter, page)
        .await
        .or_api(lang)?;
    Ok(Json(MunicipalityPage::from_page(found)))
}

/// Register a municipality or region.
#[utoipa::path(post, path = "/municipalities", tag = "municipalities",
    request_body = MunicipalityBody,
    responses(
        (status = 201, description = "Registered", body = MunicipalityOut,
         headers(("Location" = String, description = "The new municipality's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_municipality(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<MunicipalityBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let m = s
        .register
        .create_municipality(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(created(
        format!("/api/v1/municipalities/{}", m.id),
        MunicipalityOut::from(&m),
    ))
}

/// One municipality with its lineage; `id` may also be its slug.
#[utoipa::path(get, path = "/municipalities/{id}", tag = "municipalities",
    params(("id" = String, Path, description = "Id or slug")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityDetail),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_municipality(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<MunicipalityDetail>, WebError> {
    let v = s.register.municipality(&id).await.or_api(lang)?;
    Ok(Json(MunicipalityDetail::from(&v)))
}

/// Replace a municipality's data. Without `slug` the slug stays as it is.
#[utoipa::path(put, path = "/municipalities/{id}", tag = "municipalities",
    params(("id" = String, Path, description = "Id or slug")),
    request_body = MunicipalityBody,
    responses(
        (status = 200, description = "Saved", body = MunicipalityOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_municipality(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MunicipalityBody>,
) -> Result<Json<MunicipalityOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let m = s
        .register
        .update_municipality(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    Ok(Json(MunicipalityOut::from(&m)))
}

/// Record a merger: predecessors that became one successor on a date. Their partnerships carry
/// over to the successor.
#[utoipa::path(post, path = "/mergers", tag = "municipalities",
    request_body = MergerBody,
    responses(
        (status = 201, description = "Recorded", body = MergerOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid merger", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_merger(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<MergerBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let merger = s
        .register
        .record_merger(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    let location = format!("/api/v1/municipalities/{}", merger.successor);
    Ok(created(location, MergerOut::from(&merger)))
}

// ---- partnerships ----------------------------------------------------------------------------

/// List partnerships, oldest first; with `municipality`, those it holds (its own and those of
/// the municipalities that merged into it).
#[utoipa::path(get, path = "/partnerships", tag = "partnerships",
    params(PartnershipListQuery),
    responses(
        (status = 200, description = "A page of partnerships", body = PartnershipPage),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown municipality or bad paging", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_partnerships(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PartnershipListQuery>,
) -> Result<Json<PartnershipPage>, WebError> {
    let page = page_request(q.page, q.page_size, lang)?;
    let found = s
        .register
        .partnerships(q.municipality.as_deref(), page)
        .await
        .or_api(lang)?;
    Ok(Json(PartnershipPage::from_page(found)))
}

/// Register a partnership. A private initiative must be structural and supported by the
/// municipality, or it is not a partnership.
#[utoipa::path(post, path = "/partnerships", tag = "partnerships",
    request_body = PartnershipBody,
    responses(
        (status = 201, description = "Registered", body = PartnershipDetailOut,
         headers(("Location" = String, description = "The new partnership's address"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_partnership(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<PartnershipBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let id = s
        .register
        .create_partnership(&caller, &body.into_input())
        .await
        .or_api(lang)?;
    let d = s.register.partnership(&id.0).await.or_api(lang)?;
    Ok(created(
        format!("/api/v1/partnerships/{id}"),
        PartnershipDetailOut::from(&d),
    ))
}

/// One partnership with its history.
#[utoipa::path(get, path = "/partnerships/{id}", tag = "partnerships",
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, description = "The partnership", body = PartnershipDetailOut),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_partnership(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PartnershipDetailOut>, WebError> {
    let d = s.register.partnership(&id).await.or_api(lang)?;
    Ok(Json(PartnershipDetailOut::from(&d)))
}

/// Replace a partnership's data. A `status` that differs from the current one is added to the
/// history, from `statusSince` or today.
#[utoipa::path(put, path = "/partnerships/{id}", tag = "partnerships",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = PartnershipBody,
    responses(
        (status = 200, description = "Saved", body = PartnershipDetailOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_partnership(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PartnershipBody>,
) -> Result<Json<PartnershipDetailOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let today = jiff::Zoned::now().date();
    s.register
        .update_partnership(&caller, &id, &body.into_input(), today)
        .await
        .or_api(lang)?;
    let d = s.register.partnership(&id).await.or_api(lang)?;
    Ok(Json(PartnershipDetailOut::from(&d)))
}

/// A partnership's history, in time order.
#[utoipa::path(get, path = "/partnerships/{id}/events", tag = "partnerships",
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, description = "The history", body = Vec<EventOut>),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_events(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<EventOut>>, WebError> {
    let d = s.register.partnership(&id).await.or_api(lang)?;
    Ok(Json(d.events.iter().map(EventOut::from).collect()))
}

/// Add an entry to a partnership's history (a signing, a mayor's visit, a status change, ...).
#[utoipa::path(post, path = "/partnerships/{id}/events", tag = "partnerships",
    params(("id" = String, Path, description = "Partnership id")),
    request_body = EventBody,
    responses(
        (status = 201, description = "Added; the body is the whole history", body = Vec<EventOut>),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partnership", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed for this account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_event(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Response, WebError> {
    let caller = auth.caller_or_401(lang)?;
    s.register
        .add_event(&caller, &id, &body.into_input())
        .await
        .or_api(lang)?;
    let d = s.register.partnership(&id).await.or_api(lang)?;
    let events: Vec<EventOut> = d.events.iter().map(EventOut::from).collect();
    Ok(created(format!("/api/v1/partnerships/{id}/events"), events))
}
