//! The world register's API: towns found by name, a town's partners from the register and the
//! imported lists (each record naming its source), countries with their figures, the network
//! questions (shared partners, the shortest chain, triangles, the most connected towns,
//! connected components), partner suggestions with their reasons, GeoJSON exports, and the
//! import of a list (administrators only). Everything but the import is public and answered
//! from the graph held in memory, without the database.

use super::extract::ApiQuery;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ErrorKind, Front, OrWebError, Problem, WebError};
use crate::i18n::Lang;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stedenband_app::AppError;
use stedenband_app::world::{
    ChainStep, ImportOptions, ImportReport, PartnerView, ReasonView, SuggestionView, TownDetail,
    TownHit,
};
use stedenband_domain::ValidationErrors;
use stedenband_domain::world::graph::{GraphSource, GraphTown, Link};
use stedenband_domain::world::input::WorldFormat;
use utoipa::{IntoParams, ToSchema};

/// The attribution shown with every answer holding data of the lists.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceOut {
    pub id: i64,
    pub label: String,
    pub attribution: Option<String>,
}

impl From<&GraphSource> for SourceOut {
    fn from(s: &GraphSource) -> Self {
        Self {
            id: s.id,
            label: s.label.clone(),
            attribution: s.attribution.clone(),
        }
    }
}

/// The register municipality a town is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRefOut {
    pub id: String,
    pub slug: String,
}

/// A town of the world register.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TownOut {
    pub id: i64,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The constituent country or region the list named.
    pub region: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// How many partners it has (left out for towns named inside another answer: the towns of
    /// a triangle or a chain, the partners a suggestion goes through).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partners: Option<usize>,
    /// The register's municipality this town is, if any.
    pub municipality: Option<RegisterRefOut>,
    /// The list it came from (`null`: the register).
    pub source: Option<i64>,
}

fn town_out(t: &GraphTown, partners: impl Into<Option<usize>>) -> TownOut {
    TownOut {
        id: t.id,
        name: t.name.to_string(),
        country: t.country.as_str().to_owned(),
        region: t.region.as_deref().map(str::to_owned),
        latitude: t.coordinates.map(|c| c.latitude()),
        longitude: t.coordinates.map(|c| c.longitude()),
        partners: partners.into(),
        municipality: t.municipality.as_ref().map(|m| RegisterRefOut {
            id: m.id.clone(),
            slug: m.slug.clone(),
        }),
        source: t.source,
    }
}

impl From<&TownHit> for TownOut {
    fn from(h: &TownHit) -> Self {
        town_out(&h.town, h.partners)
    }
}

/// One record of a pair: a partnership of the register or a pair of an imported list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordOut {
    /// `register` or `list`.
    pub kind: &'static str,
    /// The list's id (`list` records).
    pub source: Option<i64>,
    /// The partnership's id (`register` records).
    pub partnership: Option<String>,
    /// formalised, friendship or project-based (`register` records).
    pub partnership_kind: Option<String>,
    /// The current status (`register` records): active, civil-society-only, dormant, ended.
    pub status: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
}

fn record_out(l: &Link) -> RecordOut {
    match l {
        Link::World {
            source,
            start_year,
            end_year,
        } => RecordOut {
            kind: "list",
            source: Some(*source),
            partnership: None,
            partnership_kind: None,
            status: None,
            start_year: *start_year,
            end_year: *end_year,
        },
        Link::Register {
            partnership,
            kind,
            start_year,
            end_year,
            status,
        } => RecordOut {
            kind: "register",
            source: None,
            partnership: Some(partnership.clone()),
            partnership_kind: Some(kind.clone()),
            status: Some(status.clone().unwrap_or_else(|| "active".to_owned())),
            start_year: Some(*start_year),
            end_year: *end_year,
        },
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnerOut {
    pub town: TownOut,
    /// Every record of the pair, the register's first.
    pub records: Vec<RecordOut>,
}

impl From<&PartnerView> for PartnerOut {
    fn from(p: &PartnerView) -> Self {
        Self {
            town: town_out(&p.town, p.partners),
            records: p.links.iter().map(record_out).collect(),
        }
    }
}

/// A town's partners.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnersOut {
    pub town: TownOut,
    pub partners: Vec<PartnerOut>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TriangleOut {
    pub towns: [TownOut; 2],
}

/// A town with its partners, triangles and network.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TownDetailOut {
    pub town: TownOut,
    pub partners: Vec<PartnerOut>,
    /// Pairs of its partners twinned with each other.
    pub triangles: Vec<TriangleOut>,
    /// Towns reachable through chains of twinnings (itself included).
    pub network_size: u32,
    /// The lists its data comes from, with their attribution.
    pub sources: Vec<SourceOut>,
}

fn detail_out(d: &TownDetail, sources: &[GraphSource]) -> TownDetailOut {
    TownDetailOut {
        town: town_out(&d.town, d.partners.len()),
        partners: d.partners.iter().map(PartnerOut::from).collect(),
        triangles: d
            .triangles
            .iter()
            .map(|(a, b)| TriangleOut {
                towns: [town_out(a, None), town_out(b, None)],
            })
            .collect(),
        network_size: d.component_size,
        sources: sources.iter().map(SourceOut::from).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TownPage {
    pub towns: Vec<TownOut>,
    /// How many towns match.
    pub total: usize,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TownQuery {
    /// The start of the name or of a later word of it; accents, case and punctuation do not
    /// matter ("hrani", "konstancin", "leidschendam").
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Towns to skip (default 0).
    #[param(minimum = 0, maximum = 4294967295_u64)]
    pub offset: Option<u32>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

fn invalid(lang: Lang, field: &'static str, key: &'static str) -> WebError {
    WebError::new(
        Front::Api,
        lang,
        ErrorKind::Invalid(ValidationErrors::single(field, key)),
    )
}

/// Search towns by the start of their name, optionally in one country; the most connected
/// first after exact names.
#[utoipa::path(get, path = "/towns", tag = "world",
    params(TownQuery),
    responses(
        (status = 200, description = "A page of towns", body = TownPage),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `country` or a `limit` out of range", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn search_towns(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<TownQuery>,
) -> Result<Json<TownPage>, WebError> {
    let r = s
        .world
        .search(
            q.q.as_deref().unwrap_or(""),
            q.country.as_deref(),
            q.offset.map_or(0, |o| o as usize),
            q.limit.unwrap_or(20),
        )
        .await
        .or_api(lang)?;
    Ok(Json(TownPage {
        towns: r.towns.iter().map(TownOut::from).collect(),
        total: r.total,
    }))
}

/// A town with its partners (each with the records of the pair and their sources), the
/// triangles it is part of, and the size of its network.
#[utoipa::path(get, path = "/towns/{id}", tag = "world",
    params(("id" = i64, Path, description = "The town's id")),
    responses(
        (status = 200, description = "The town", body = TownDetailOut),
        (status = 404, description = "No such town", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_town(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TownDetailOut>, WebError> {
    let d = s.world.town(path_id(lang, &id)?).await.or_api(lang)?;
    let sources = s.world.sources().await.or_api(lang)?;
    Ok(Json(detail_out(&d, &sources)))
}

/// A town's partners, from the register and the imported lists, each record naming its
/// source.
#[utoipa::path(get, path = "/towns/{id}/partners", tag = "world",
    params(("id" = i64, Path, description = "The town's id")),
    responses(
        (status = 200, description = "The partners", body = PartnersOut),
        (status = 404, description = "No such town", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn town_partners(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PartnersOut>, WebError> {
    let (town, partners) = s.world.partners(path_id(lang, &id)?).await.or_api(lang)?;
    Ok(Json(PartnersOut {
        town: town_out(&town, partners.len()),
        partners: partners.iter().map(PartnerOut::from).collect(),
    }))
}

/// A town id in the path: anything that is not one names no town (404).
fn path_id(lang: Lang, raw: &str) -> Result<i64, WebError> {
    raw.parse::<i64>()
        .map_err(|_| WebError::new(Front::Api, lang, ErrorKind::NotFound))
}

// ---- GeoJSON ------------------------------------------------------------------------------------

fn point(t: &GraphTown) -> Option<serde_json::Value> {
    let c = t.coordinates?;
    Some(serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [c.longitude(), c.latitude()]},
        "properties": {"id": t.id, "name": &*t.name, "country": t.country.as_str(),
                       "municipality": t.municipality.as_ref().map(|m| m.slug.clone())},
    }))
}

fn line(a: &GraphTown, b: &GraphTown, links: &[Link]) -> Option<serde_json::Value> {
    let (x, y) = (a.coordinates?, b.coordinates?);
    let records: Vec<RecordOut> = links.iter().map(record_out).collect();
    Some(serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "LineString",
                     "coordinates": [[x.longitude(), x.latitude()], [y.longitude(), y.latitude()]]},
        "properties": {"from": a.id, "fromName": &*a.name, "to": b.id, "toName": &*b.name,
                       "records": records},
    }))
}

/// A GeoJSON response (RFC 7946) with the attribution of the lists as a foreign member.
pub(crate) fn geojson(features: Vec<serde_json::Value>, sources: &[GraphSource]) -> Response {
    let body = serde_json::json!({
        "type": "FeatureCollection",
        "attribution": sources.iter().filter_map(|s| s.attribution.clone()).collect::<Vec<_>>(),
        "features": features,
    });
    let mut res = Json(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    res
}

/// A town's partnerships as GeoJSON: the town and its partners as points, each pair as a line
/// with its records.
#[utoipa::path(get, path = "/towns/{id}/geojson", tag = "world",
    params(("id" = i64, Path, description = "The town's id")),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No such town", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn town_geojson(
    lang: Lang,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (town, partners) = s.world.partners(path_id(lang, &id)?).await.or_api(lang)?;
    let sources = s.world.sources().await.or_api(lang)?;
    Ok(geojson(town_features(&town, &partners), &sources))
}

pub(crate) fn town_features(town: &GraphTown, partners: &[PartnerView]) -> Vec<serde_json::Value> {
    let mut features: Vec<serde_json::Value> = point(town).into_iter().collect();
    for p in partners {
        features.extend(point(&p.town));
        features.extend(line(town, &p.town, &p.links));
    }
    features
}

/// A country's partnerships as GeoJSON: every pair with a town in the country, as a line.
#[utoipa::path(get, path = "/countries/{code}/geojson", tag = "world",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2")),
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 404, description = "No towns in that country", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn country_geojson(
    lang: Lang,
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let pairs = s.world.country_pairs(&code).await.or_api(lang)?;
    let sources = s.world.sources().await.or_api(lang)?;
    let features = pairs
        .iter()
        .filter_map(|(a, b, links)| line(a, b, links))
        .collect();
    Ok(geojson(features, &sources))
}

// ---- countries ----------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountryOut {
    pub code: String,
    pub name: String,
    pub towns: u32,
    /// Towns with at least one partner.
    pub twinned_towns: u32,
    /// Pairs with both towns in the country.
    pub pairs_within: u32,
    /// Pairs with a town abroad.
    pub pairs_abroad: u32,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnerCountryOut {
    pub code: String,
    pub pairs: u32,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountryDetailOut {
    #[serde(flatten)]
    pub country: CountryOut,
    /// Pairs abroad per partner country, most first.
    pub partner_countries: Vec<PartnerCountryOut>,
    /// Its most connected towns.
    pub most_connected: Vec<TownOut>,
}

fn country_out(
    c: stedenband_domain::CountryCode,
    f: &stedenband_domain::world::graph::CountryFigures,
    lang: Lang,
) -> CountryOut {
    CountryOut {
        code: c.as_str().to_owned(),
        name: c.name(lang.code()).to_owned(),
        towns: f.towns,
        twinned_towns: f.twinned_towns,
        pairs_within: f.pairs_within,
        pairs_abroad: f.pairs_abroad,
    }
}

/// Every country with towns in the world register, with its counts.
#[utoipa::path(get, path = "/countries", tag = "world",
    responses((status = 200, description = "The countries, by code", body = Vec<CountryOut>)))]
pub(super) async fn list_countries(
    lang: Lang,
    State(s): State<AppState>,
) -> Result<Json<Vec<CountryOut>>, WebError> {
    let list = s.world.countries().await.or_api(lang)?;
    Ok(Json(
        list.iter().map(|(c, f)| country_out(*c, f, lang)).collect(),
    ))
}

/// A country's counts, its partner countries and its most connected towns.
#[utoipa::path(get, path = "/countries/{code}", tag = "world",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2")),
    responses(
        (status = 200, description = "The country", body = CountryDetailOut),
        (status = 404, description = "No towns in that country", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn get_country(
    lang: Lang,
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CountryDetailOut>, WebError> {
    let v = s.world.country(&code).await.or_api(lang)?;
    Ok(Json(CountryDetailOut {
        country: country_out(v.country, &v.figures, lang),
        partner_countries: v
            .figures
            .partner_countries
            .iter()
            .map(|(c, n)| PartnerCountryOut {
                code: c.as_str().to_owned(),
                pairs: *n,
            })
            .collect(),
        most_connected: v.most_connected.iter().map(TownOut::from).collect(),
    }))
}

// ---- network ------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TwoTownsQuery {
    /// A town's id.
    pub a: Option<String>,
    /// Another town's id.
    pub b: Option<String>,
}

fn town_id(lang: Lang, field: &'static str, v: &Option<String>) -> Result<i64, WebError> {
    let raw = v.as_deref().map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(invalid(lang, field, "error-required"));
    }
    raw.parse::<i64>()
        .map_err(|_| invalid(lang, field, "world-town-id-invalid"))
}

/// Unknown towns in a query are invalid parameters, not a missing resource.
fn unknown_town<T>(r: Result<T, AppError>, lang: Lang, field: &'static str) -> Result<T, WebError> {
    r.map_err(|e| match e {
        AppError::NotFound => {
            AppError::Invalid(ValidationErrors::single(field, "world-town-unknown"))
        }
        other => other,
    })
    .or_api(lang)
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SharedOut {
    pub towns: Vec<TownOut>,
}

/// The partners two towns share.
#[utoipa::path(get, path = "/network/shared-partners", tag = "world",
    params(TwoTownsQuery),
    responses(
        (status = 200, description = "The shared partners", body = SharedOut),
        (status = 422, description = "A missing or unknown `a` or `b`", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn shared_partners(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<TwoTownsQuery>,
) -> Result<Json<SharedOut>, WebError> {
    let a = town_id(lang, "a", &q.a)?;
    let b = town_id(lang, "b", &q.b)?;
    unknown_town(s.world.partners(a).await, lang, "a")?;
    let list = unknown_town(s.world.shared_partners(a, b).await, lang, "b")?;
    Ok(Json(SharedOut {
        towns: list.iter().map(TownOut::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainStepOut {
    pub town: TownOut,
    /// The records of the pair with the step before (empty for the first).
    pub records: Vec<RecordOut>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChainOut {
    /// From `a` to `b`; empty when they are not connected.
    pub steps: Vec<ChainStepOut>,
    /// Twinnings in the chain (steps - 1); null when not connected.
    pub length: Option<usize>,
}

/// The shortest chain of twinnings from town `a` to town `b`.
#[utoipa::path(get, path = "/network/chain", tag = "world",
    params(TwoTownsQuery),
    responses(
        (status = 200, description = "The chain", body = ChainOut),
        (status = 422, description = "A missing or unknown `a` or `b`", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn chain(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<TwoTownsQuery>,
) -> Result<Json<ChainOut>, WebError> {
    let a = town_id(lang, "a", &q.a)?;
    let b = town_id(lang, "b", &q.b)?;
    unknown_town(s.world.partners(a).await, lang, "a")?;
    let steps = unknown_town(s.world.chain(a, b).await, lang, "b")?;
    Ok(Json(chain_out(steps)))
}

fn chain_out(steps: Option<Vec<ChainStep>>) -> ChainOut {
    match steps {
        None => ChainOut {
            steps: Vec::new(),
            length: None,
        },
        Some(steps) => ChainOut {
            length: Some(steps.len().saturating_sub(1)),
            steps: steps
                .iter()
                .map(|s| ChainStepOut {
                    town: town_out(&s.town, s.partners),
                    records: s.links.iter().map(record_out).collect(),
                })
                .collect(),
        },
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TownIdQuery {
    /// The town's id.
    pub town: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrianglesOut {
    pub triangles: Vec<TriangleOut>,
}

/// The triangles a town is part of: pairs of its partners that are twinned with each other.
#[utoipa::path(get, path = "/network/triangles", tag = "world",
    params(TownIdQuery),
    responses(
        (status = 200, description = "The triangles", body = TrianglesOut),
        (status = 422, description = "A missing or unknown `town`", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn triangles(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<TownIdQuery>,
) -> Result<Json<TrianglesOut>, WebError> {
    let id = town_id(lang, "town", &q.town)?;
    let list = unknown_town(s.world.triangles(id).await, lang, "town")?;
    Ok(Json(TrianglesOut {
        triangles: list
            .iter()
            .map(|(a, b)| TriangleOut {
                towns: [town_out(a, None), town_out(b, None)],
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MostConnectedQuery {
    /// ISO 3166-1 alpha-2; the whole world when absent.
    pub country: Option<String>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

/// The towns with the most partners, in a country or in the world.
#[utoipa::path(get, path = "/network/most-connected", tag = "world",
    params(MostConnectedQuery),
    responses(
        (status = 200, description = "Towns, most partners first", body = Vec<TownOut>),
        (status = 422, description = "An unknown `country` or a `limit` out of range", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn most_connected(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<MostConnectedQuery>,
) -> Result<Json<Vec<TownOut>>, WebError> {
    let list = s
        .world
        .most_connected(q.country.as_deref(), q.limit.unwrap_or(20))
        .await
        .or_api(lang)?;
    Ok(Json(list.iter().map(TownOut::from).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentOut {
    /// Towns in it.
    pub size: u32,
    /// Its most connected town.
    pub representative: TownOut,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentsOut {
    /// Groups of two or more towns connected by chains of twinnings, largest first.
    pub components: Vec<ComponentOut>,
    /// How many such groups there are.
    pub total: usize,
}

/// The connected components of the world's twinnings: groups of towns linked by chains.
#[utoipa::path(get, path = "/network/components", tag = "world",
    params(LimitQuery),
    responses(
        (status = 200, description = "The components", body = ComponentsOut),
        (status = 422, description = "A `limit` out of range", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn components(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<LimitQuery>,
) -> Result<Json<ComponentsOut>, WebError> {
    let limit = q.limit.unwrap_or(20);
    if limit == 0 || limit > stedenband_app::world::SEARCH_LIMIT_MAX {
        return Err(invalid(lang, "limit", "error-limit-range"));
    }
    let (list, total) = s.world.components(limit).await.or_api(lang)?;
    Ok(Json(ComponentsOut {
        components: list
            .iter()
            .map(|c| ComponentOut {
                size: c.size,
                representative: TownOut::from(&c.representative),
            })
            .collect(),
        total,
    }))
}

// ---- suggestions --------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// The municipality of the register (id or slug).
    pub municipality: Option<String>,
    /// At most this many (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

/// A stated reason, with the points it adds.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReasonOut {
    /// partners-of-partners (3 points per partner), new-country (2), similar-size (2),
    /// reachable (1: 300-1,500 km), active (1: 10 or more partners).
    pub kind: &'static str,
    pub points: u32,
    /// partners-of-partners: the partners it is twinned with.
    pub via: Option<Vec<TownOut>>,
    /// new-country: the country none of the partners is in.
    pub country: Option<String>,
    /// similar-size: its population.
    pub population: Option<u64>,
    /// reachable: the distance.
    pub km: Option<u32>,
    /// active: how many partners it has.
    pub partners: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionOut {
    pub town: TownOut,
    /// The sum of the reasons' points.
    pub score: u32,
    /// Distance in km, where both positions are known.
    pub km: Option<u32>,
    pub reasons: Vec<ReasonOut>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionsOut {
    pub town: TownOut,
    pub suggestions: Vec<SuggestionOut>,
}

fn reason_out(r: &ReasonView) -> ReasonOut {
    let mut out = ReasonOut {
        kind: r.key(),
        points: 0,
        via: None,
        country: None,
        population: None,
        km: None,
        partners: None,
    };
    match r {
        ReasonView::PartnersOfPartners { via } => {
            out.points = 3 * via.len() as u32;
            out.via = Some(via.iter().map(|t| town_out(t, None)).collect());
        }
        ReasonView::NewCountry { country } => {
            out.points = 2;
            out.country = Some(country.as_str().to_owned());
        }
        ReasonView::SimilarSize { population } => {
            out.points = 2;
            out.population = Some(*population);
        }
        ReasonView::Reachable { km } => {
            out.points = 1;
            out.km = Some(*km);
        }
        ReasonView::Active { partners } => {
            out.points = 1;
            out.partners = Some(*partners);
        }
    }
    out
}

fn suggestion_out(s: &SuggestionView) -> SuggestionOut {
    SuggestionOut {
        town: TownOut::from(&s.town),
        score: s.score,
        km: s.km,
        reasons: s.reasons.iter().map(reason_out).collect(),
    }
}

/// Towns a municipality of the register is not twinned with yet, ranked by stated reasons
/// (partners of its partners, countries not yet covered, similar size where known, distance,
/// experience), each showing why.
#[utoipa::path(get, path = "/suggestions", tag = "world",
    params(SuggestionQuery),
    responses(
        (status = 200, description = "The suggestions, best first", body = SuggestionsOut),
        (status = 422, description = "A missing or unknown `municipality`, or a `limit` out of range", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn suggestions(
    lang: Lang,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<SuggestionQuery>,
) -> Result<Json<SuggestionsOut>, WebError> {
    let key = q.municipality.as_deref().map(str::trim).unwrap_or("");
    if key.is_empty() {
        return Err(invalid(lang, "municipality", "error-required"));
    }
    let m = match s.register.municipality(key).await {
        Ok(m) => m,
        Err(AppError::NotFound) => {
            return Err(invalid(lang, "municipality", "error-municipality-unknown"));
        }
        Err(e) => return Err(WebError::from_app(Front::Api, lang, e)),
    };
    let (town, list) = s
        .world
        .suggestions(&m.municipality.id.0, q.limit.unwrap_or(20))
        .await
        .or_api(lang)?;
    Ok(Json(SuggestionsOut {
        town: town_out(&town, None),
        suggestions: list.iter().map(suggestion_out).collect(),
    }))
}

// ---- import -------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The name the records are marked with (required).
    pub label: Option<String>,
    /// Shown wherever the data is ("Wikipedia contributors, CC BY-SA 4.0").
    pub attribution: Option<String>,
    /// csv, json (a list of rows) or wikidata (entity JSON); read from the content when absent.
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RejectedOut {
    /// The row's line (CSV) or position (JSON).
    pub row: u64,
    pub reason: String,
    /// The row's fields as they were.
    pub original: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportOut {
    pub rows: usize,
    /// Rows that brought a new pair.
    pub imported: usize,
    /// Rows whose pair was known already.
    pub merged: usize,
    pub rejected: usize,
    pub towns_new: usize,
    pub pairs_new: usize,
    /// False when the file brought nothing new (nothing was written).
    pub changed: bool,
    /// Register municipalities the rows linked to.
    pub register_links: Vec<String>,
    pub rejected_rows: Vec<RejectedOut>,
}

fn import_out(r: &ImportReport) -> ImportOut {
    ImportOut {
        rows: r.summary.rows,
        imported: r.summary.imported,
        merged: r.summary.merged,
        rejected: r.summary.rejected,
        towns_new: r.towns_new,
        pairs_new: r.pairs_new,
        changed: r.changed,
        register_links: r.summary.register_links.clone(),
        rejected_rows: r
            .rejected
            .iter()
            .map(|x| RejectedOut {
                row: x.number,
                reason: x.reason.clone(),
                original: x.original.clone(),
            })
            .collect(),
    }
}

/// Import a list of twinnings (administrators): the body is the file (CSV with city1,
/// country1, lat1, lng1, city2, country2, lat2, lng2; a JSON list of such rows; or Wikidata
/// entity JSON). Rows are reconciled with the stored towns and the register's municipalities;
/// the whole import is one transaction; a file that brings nothing new changes nothing.
#[utoipa::path(post, path = "/world/imports", tag = "world",
    params(ImportQuery),
    request_body(content = String, description = "The file", content_type = "text/csv"),
    responses(
        (status = 200, description = "What the import did", body = ImportOut),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad file (not UTF-8, wrong columns, malformed) or no `label`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub(super) async fn import_world(
    lang: Lang,
    auth: Auth,
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportOut>, WebError> {
    let caller = auth.caller_or_401(lang)?;
    let format = match q.format.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        "csv" => Some(WorldFormat::Csv),
        "json" => Some(WorldFormat::JsonRows),
        "wikidata" => Some(WorldFormat::Wikidata),
        _ => return Err(invalid(lang, "format", "error-choice-invalid")),
    };
    let options = ImportOptions {
        label: q.label.clone().unwrap_or_default(),
        attribution: q.attribution.clone().filter(|a| !a.trim().is_empty()),
        format,
    };
    let r = s
        .world
        .import(&caller, &body, &options, &())
        .await
        .or_api(lang)?;
    Ok(Json(import_out(&r)))
}
