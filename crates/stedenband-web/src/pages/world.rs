//! The world register's pages: twinnings of towns everywhere, from the imported lists and from
//! this register, answered from the graph held in memory ([`stedenband_app::World`]).
//!
//! - `/towns?q=&country=&page=`: towns by the start of their name (or of a later word),
//!   optionally in one country; without a name the most connected first.
//! - `/towns/{id}`: a town with its partners (every record of each pair: the register's
//!   partnership or the list it came from), a map, the triangles it is part of and its network.
//! - `/countries` and `/countries/{code}`: the figures per country, a country's partner
//!   countries, its most connected towns and a map of its twinnings.
//! - `/network`: the partners two towns share and the shortest chain between two towns, by
//!   name (a name that fits several towns offers them as links), plus the largest networks
//!   and the most connected towns of the world.
//! - `/municipalities/{slug}/suggestions`: towns a municipality of the register might twin
//!   with, each with its stated reasons.
//!
//! Also the section "In the world register" of a municipality's page ([`municipality_section`]).
//! Every page names the lists its data comes from, with their attribution.

use super::tables::{count, not_found};
use super::{Ctx, PageResult, Pager, encode, ok, render};
use crate::AppState;
use crate::error::{Front, OrWebError, WebError};
use crate::i18n::Lang;
use crate::map::{MapLine, MapPoint, MapSpec, world_map_svg};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use std::collections::{BTreeSet, HashMap};
use stedenband_app::AppError;
use stedenband_app::world::{ChainStep, PartnerView, ReasonView, TownDetail, TownHit};
use stedenband_domain::CountryCode;
use stedenband_domain::text::fold;
use stedenband_domain::world::graph::{GraphSource, GraphTown, Link};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/towns", get(search))
        .route("/towns/{id}", get(town))
        .route("/countries", get(countries))
        .route("/countries/{code}", get(country))
        .route("/network", get(network))
        .route("/municipalities/{slug}/suggestions", get(suggestions))
}

/// Towns per page of the search.
const PAGE_SIZE: usize = 50;
/// The most lines a country's map draws.
const MAP_LINES: usize = 500;
/// The map's width in pixels (the stylesheet scales it down on narrow screens).
const MAP_WIDTH: u32 = 960;

type Params = HashMap<String, String>;

fn param(q: &Params, key: &str) -> String {
    q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default()
}

// ---- shared pieces --------------------------------------------------------------------------------

/// A town as a line of a table.
pub(super) struct TownRow {
    pub href: String,
    pub name: String,
    pub country: String,
    pub country_href: String,
    pub region: String,
    pub partners: String,
    /// The page of the register municipality it is.
    pub register: Option<String>,
}

fn town_row(lang: Lang, t: &GraphTown, partners: usize) -> TownRow {
    TownRow {
        href: format!("/towns/{}", t.id),
        name: t.name.to_string(),
        country: lang.country(t.country).to_owned(),
        country_href: format!("/countries/{}", t.country),
        region: t.region.as_deref().unwrap_or_default().to_owned(),
        partners: count(lang, partners as i64),
        register: t
            .municipality
            .as_ref()
            .map(|m| format!("/municipalities/{}", m.slug)),
    }
}

fn hit_row(lang: Lang, h: &TownHit) -> TownRow {
    town_row(lang, &h.town, h.partners)
}

/// One record of a pair in words, linking to the partnership for the register's.
pub(super) struct Record {
    pub text: String,
    pub href: Option<String>,
    pub register: bool,
}

/// The text with its first letter in lower case (choice labels are written as headings).
fn lower(text: String) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => text,
    }
}

fn years(lang: Lang, start: Option<i32>, end: Option<i32>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) => Some(lang.t_args(
            "world-years-range",
            &[("from", s.to_string().into()), ("to", e.to_string().into())],
        )),
        (Some(s), None) => {
            Some(lang.t_args("world-years-since", &[("year", s.to_string().into())]))
        }
        (None, Some(e)) => {
            Some(lang.t_args("world-years-until", &[("year", e.to_string().into())]))
        }
        (None, None) => None,
    }
}

fn record(lang: Lang, l: &Link, sources: &[GraphSource]) -> Record {
    match l {
        Link::Register {
            partnership,
            kind,
            start_year,
            end_year,
            status,
        } => {
            let kind = lower(lang.choice("kind", kind));
            let status = lower(lang.choice("status", status.as_deref().unwrap_or("active")));
            let text = match end_year {
                None => lang.t_args(
                    "world-record-register",
                    &[
                        ("kind", kind.into()),
                        ("year", start_year.to_string().into()),
                        ("what", status.into()),
                    ],
                ),
                Some(end) => lang.t_args(
                    "world-record-register-ended",
                    &[
                        ("kind", kind.into()),
                        ("from", start_year.to_string().into()),
                        ("to", end.to_string().into()),
                        ("what", status.into()),
                    ],
                ),
            };
            Record {
                text,
                href: Some(format!("/partnerships/{partnership}")),
                register: true,
            }
        }
        Link::World {
            source,
            start_year,
            end_year,
        } => {
            let name = sources
                .iter()
                .find(|s| s.id == *source)
                .map(|s| s.label.clone())
                .unwrap_or_else(|| source.to_string());
            let text = match years(lang, *start_year, *end_year) {
                Some(y) => lang.t_args(
                    "world-record-list-years",
                    &[("name", name.into()), ("what", y.into())],
                ),
                None => lang.t_args("world-record-list", &[("name", name.into())]),
            };
            Record {
                text,
                href: None,
                register: false,
            }
        }
    }
}

/// A partner of a town with the records of the pair.
pub(super) struct PartnerRow {
    pub town: TownRow,
    pub records: Vec<Record>,
}

fn partner_row(lang: Lang, p: &PartnerView, sources: &[GraphSource]) -> PartnerRow {
    PartnerRow {
        town: town_row(lang, &p.town, p.partners),
        records: p.links.iter().map(|l| record(lang, l, sources)).collect(),
    }
}

/// A link to a town's page.
pub(super) struct TownLink {
    pub href: String,
    pub name: String,
}

fn town_link(t: &GraphTown) -> TownLink {
    TownLink {
        href: format!("/towns/{}", t.id),
        name: t.name.to_string(),
    }
}

fn triangles(d: &TownDetail) -> Vec<(TownLink, TownLink)> {
    d.triangles
        .iter()
        .map(|(a, b)| (town_link(a), town_link(b)))
        .collect()
}

/// "Bron: Wikipedia contributors, CC BY-SA 4.0 … (lijst twin_cities.csv)", for the lists with
/// these ids (every list when `ids` is `None`).
fn attribution(lang: Lang, sources: &[GraphSource], ids: Option<&BTreeSet<i64>>) -> Vec<String> {
    sources
        .iter()
        .filter(|s| ids.is_none_or(|ids| ids.contains(&s.id)))
        .map(|s| match &s.attribution {
            Some(a) => lang.t_args(
                "world-attribution",
                &[
                    ("name", a.clone().into()),
                    ("title", s.label.clone().into()),
                ],
            ),
            None => lang.t_args(
                "world-attribution-label",
                &[("title", s.label.clone().into())],
            ),
        })
        .collect()
}

/// The lists a town's page shows data of: its own, its partners' and their records'; the
/// triangles rest on pairs between partners, so any list may be in them.
fn sources_of(d: &TownDetail) -> Option<BTreeSet<i64>> {
    if !d.triangles.is_empty() {
        return None;
    }
    let mut ids: BTreeSet<i64> = d.town.source.into_iter().collect();
    for p in &d.partners {
        ids.extend(p.town.source);
        for l in &p.links {
            if let Link::World { source, .. } = l {
                ids.insert(*source);
            }
        }
    }
    Some(ids)
}

/// The countries with towns as (code, name), by name: the options of the country selects.
async fn country_options(ctx: &Ctx, s: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let list = s.world.countries().await.or_page(ctx)?;
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(c, _)| (c.as_str().to_owned(), ctx.country(*c).to_owned()))
        .collect();
    out.sort_by_key(|(_, name)| fold(name));
    Ok(out)
}

/// A country select's value: the code in upper case when it is one.
fn country_value(raw: &str) -> String {
    match CountryCode::parse(raw) {
        Ok(c) => c.as_str().to_owned(),
        Err(_) => raw.to_owned(),
    }
}

/// The options with a value not among them added (selected, so that a refused value is kept).
fn with_value(mut options: Vec<(String, String)>, value: &str) -> Vec<(String, String)> {
    if !value.is_empty() && !options.iter().any(|(c, _)| c == value) {
        options.insert(0, (value.to_owned(), value.to_owned()));
    }
    options
}

fn point(lang: Lang, t: &GraphTown, class: &'static str) -> Option<MapPoint> {
    let c = t.coordinates?;
    Some(MapPoint {
        lat: c.latitude(),
        lng: c.longitude(),
        label: format!("{} ({})", t.name, lang.country(t.country)),
        class,
    })
}

fn line(lang: Lang, a: &GraphTown, b: &GraphTown, links: &[Link]) -> Option<MapLine> {
    let (x, y) = (a.coordinates?, b.coordinates?);
    let register = links.iter().any(Link::is_register);
    Some(MapLine {
        from: (x.latitude(), x.longitude()),
        to: (y.latitude(), y.longitude()),
        class: if register { "register" } else { "world" },
        label: lang.t_args(
            if register {
                "world-map-line-register"
            } else {
                "world-map-line-list"
            },
            &[
                ("from", a.name.to_string().into()),
                ("to", b.name.to_string().into()),
            ],
        ),
    })
}

// ---- search -----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "world_search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    country: String,
    countries: Vec<(String, String)>,
    q_error: Option<String>,
    country_error: Option<String>,
    rows: Vec<TownRow>,
    caption: String,
    pager: Pager,
    totals: String,
    attribution: Vec<String>,
}

async fn search(ctx: Ctx, State(s): State<AppState>, Query(q): Query<Params>) -> PageResult {
    let lang = ctx.lang;
    let text = param(&q, "q");
    let country = country_value(&param(&q, "country"));
    let page = param(&q, "page")
        .parse::<u32>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let countries = country_options(&ctx, &s).await?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    let (towns, pairs) = s.world.totals().await.or_page(&ctx)?;
    let totals = lang.t_args(
        "world-totals",
        &[
            ("count", count(lang, towns as i64).into()),
            ("n", count(lang, pairs as i64).into()),
        ],
    );
    let offset = (page as usize - 1).saturating_mul(PAGE_SIZE);
    let found = s
        .world
        .search(&text, Some(&country), offset, PAGE_SIZE)
        .await;
    let (result, status, q_error, country_error) = match found {
        Ok(r) => (Some(r), StatusCode::OK, None, None),
        Err(AppError::Invalid(e)) => {
            let message =
                |field: &str| e.0.iter().find(|f| f.field == field).map(|f| lang.t(f.key));
            (
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                message("q"),
                message("country"),
            )
        }
        Err(e) => return Err(WebError::from_app(Front::Page, lang, e).at(&ctx.path)),
    };
    let total = result.as_ref().map_or(0, |r| r.total);
    let rows = result
        .as_ref()
        .map(|r| r.towns.iter().map(|h| hit_row(lang, h)).collect())
        .unwrap_or_default();
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let href = |p: u32| {
        let mut parts = Vec::new();
        if !text.is_empty() {
            parts.push(format!("q={}", encode(&text)));
        }
        if !country.is_empty() {
            parts.push(format!("country={}", encode(&country)));
        }
        parts.push(format!("page={p}"));
        format!("/towns?{}", parts.join("&"))
    };
    let pager = Pager {
        page,
        pages,
        total: total as u64,
        prev: (page > 1).then(|| href((page - 1).min(pages))),
        next: (page < pages).then(|| href(page + 1)),
    };
    let caption = if text.is_empty() {
        lang.t_args(
            "world-search-most-connected",
            &[
                ("count", (total as u64).into()),
                ("n", count(lang, total as i64).into()),
            ],
        )
    } else {
        lang.t_args(
            "world-search-found",
            &[
                ("count", (total as u64).into()),
                ("n", count(lang, total as i64).into()),
            ],
        )
    };
    let countries = with_value(countries, &country);
    let page = SearchPage {
        q: text,
        country,
        countries,
        q_error,
        country_error,
        rows,
        caption,
        pager,
        totals,
        attribution: attribution(lang, &sources, None),
        ctx,
    };
    Ok(render(status, &page))
}

// ---- a town ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "world_town.html")]
struct TownPage {
    ctx: Ctx,
    id: i64,
    town: TownRow,
    population: Option<String>,
    register_name: Option<String>,
    network: String,
    map: String,
    unmapped: Option<String>,
    partners: Vec<PartnerRow>,
    triangles: Vec<(TownLink, TownLink)>,
    suggestions_href: Option<String>,
    attribution: Vec<String>,
}

async fn town(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    let lang = ctx.lang;
    let id: i64 = id.trim().parse().map_err(|_| not_found(&ctx))?;
    let d = s.world.town(id).await.or_page(&ctx)?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    let t = &d.town;
    let mut points: Vec<MapPoint> = point(lang, t, "home").into_iter().collect();
    let mut lines = Vec::new();
    let mut unmapped = 0u64;
    for p in &d.partners {
        match point(lang, &p.town, "partner") {
            Some(pt) => points.push(pt),
            None => unmapped += 1,
        }
        lines.extend(line(lang, t, &p.town, &p.links));
    }
    let title = lang.t_args(
        "world-map-town-title",
        &[("name", t.name.to_string().into())],
    );
    let description = lang.t_args(
        "world-map-town-desc",
        &[
            ("name", t.name.to_string().into()),
            ("count", (d.partners.len() as u64).into()),
        ],
    );
    let map = world_map_svg(&MapSpec {
        title: &title,
        description: &description,
        points: &points,
        lines: &lines,
        highlight: &[],
        fit: true,
        width: MAP_WIDTH,
    });
    let ids = sources_of(&d);
    let page = TownPage {
        id: t.id,
        town: town_row(lang, t, d.partners.len()),
        population: t.population.map(|p| count(lang, p as i64)),
        register_name: t.municipality.as_ref().map(|_| t.name.to_string()),
        network: lang.t_args(
            "world-network-size",
            &[
                ("count", u64::from(d.component_size).into()),
                ("n", count(lang, i64::from(d.component_size)).into()),
            ],
        ),
        map,
        unmapped: (unmapped > 0)
            .then(|| lang.t_args("world-map-unmapped", &[("count", unmapped.into())])),
        partners: d
            .partners
            .iter()
            .map(|p| partner_row(lang, p, &sources))
            .collect(),
        triangles: triangles(&d),
        suggestions_href: t
            .municipality
            .as_ref()
            .map(|m| format!("/municipalities/{}/suggestions", m.slug)),
        attribution: attribution(lang, &sources, ids.as_ref()),
        ctx,
    };
    ok(&page)
}

// ---- countries ----------------------------------------------------------------------------------

pub(super) struct CountryRow {
    pub href: String,
    pub name: String,
    pub towns: String,
    pub twinned: String,
    pub within: String,
    pub abroad: String,
}

#[derive(Template)]
#[template(path = "world_countries.html")]
struct CountriesPage {
    ctx: Ctx,
    rows: Vec<CountryRow>,
    totals: String,
    attribution: Vec<String>,
}

async fn countries(ctx: Ctx, State(s): State<AppState>) -> PageResult {
    let lang = ctx.lang;
    let list = s.world.countries().await.or_page(&ctx)?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    let (towns, pairs) = s.world.totals().await.or_page(&ctx)?;
    let mut rows: Vec<CountryRow> = list
        .iter()
        .map(|(c, f)| CountryRow {
            href: format!("/countries/{c}"),
            name: ctx.country(*c).to_owned(),
            towns: count(lang, i64::from(f.towns)),
            twinned: count(lang, i64::from(f.twinned_towns)),
            within: count(lang, i64::from(f.pairs_within)),
            abroad: count(lang, i64::from(f.pairs_abroad)),
        })
        .collect();
    rows.sort_by_key(|r| fold(&r.name));
    let totals = lang.t_args(
        "world-totals",
        &[
            ("count", count(lang, towns as i64).into()),
            ("n", count(lang, pairs as i64).into()),
        ],
    );
    ok(&CountriesPage {
        rows,
        totals,
        attribution: attribution(lang, &sources, None),
        ctx,
    })
}

#[derive(Template)]
#[template(path = "world_country.html")]
struct CountryPage {
    ctx: Ctx,
    code: String,
    name: String,
    figures: CountryRow,
    partner_countries: Vec<(String, String, String)>,
    most_connected: Vec<TownRow>,
    map: String,
    capped: Option<String>,
    attribution: Vec<String>,
}

async fn country(ctx: Ctx, State(s): State<AppState>, Path(code): Path<String>) -> PageResult {
    let lang = ctx.lang;
    let v = s.world.country(&code).await.or_page(&ctx)?;
    let pairs = s.world.country_pairs(&code).await.or_page(&ctx)?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    let c = v.country;
    let f = &v.figures;
    let name = ctx.country(c).to_owned();
    // The register's pairs first, then the lists' (each order kept).
    let mut ordered: Vec<&(GraphTown, GraphTown, Vec<Link>)> = pairs.iter().collect();
    ordered.sort_by_key(|(_, _, links)| !links.iter().any(Link::is_register));
    let lines: Vec<MapLine> = ordered
        .iter()
        .filter_map(|(a, b, links)| line(lang, a, b, links))
        .take(MAP_LINES)
        .collect();
    let drawable = ordered
        .iter()
        .filter(|(a, b, _)| a.coordinates.is_some() && b.coordinates.is_some())
        .count();
    let capped = (drawable > lines.len()).then(|| {
        lang.t_args(
            "world-map-capped",
            &[
                ("count", count(lang, lines.len() as i64).into()),
                ("n", count(lang, pairs.len() as i64).into()),
            ],
        )
    });
    let title = lang.t_args("world-map-country-title", &[("name", name.clone().into())]);
    let description = lang.t_args(
        "world-map-country-desc",
        &[
            ("name", name.clone().into()),
            ("count", count(lang, lines.len() as i64).into()),
        ],
    );
    let highlight = [c.as_str()];
    let map = world_map_svg(&MapSpec {
        title: &title,
        description: &description,
        points: &[],
        lines: &lines,
        highlight: &highlight,
        fit: true,
        width: MAP_WIDTH,
    });
    let partner_countries = f
        .partner_countries
        .iter()
        .map(|(pc, n)| {
            (
                format!("/countries/{pc}"),
                ctx.country(*pc).to_owned(),
                count(lang, i64::from(*n)),
            )
        })
        .collect();
    ok(&CountryPage {
        code: c.as_str().to_owned(),
        figures: CountryRow {
            href: format!("/countries/{c}"),
            name: name.clone(),
            towns: count(lang, i64::from(f.towns)),
            twinned: count(lang, i64::from(f.twinned_towns)),
            within: count(lang, i64::from(f.pairs_within)),
            abroad: count(lang, i64::from(f.pairs_abroad)),
        },
        name,
        partner_countries,
        most_connected: v.most_connected.iter().map(|h| hit_row(lang, h)).collect(),
        map,
        capped,
        attribution: attribution(lang, &sources, None),
        ctx,
    })
}

// ---- the network ------------------------------------------------------------------------------

/// A town the visitor may have meant.
pub(super) struct Choice {
    pub href: String,
    pub name: String,
    pub detail: String,
}

/// One town field of the network forms (`chain_a`, `shared_b`, …) with its country.
pub(super) struct Side {
    pub key: &'static str,
    pub label: String,
    pub text: String,
    pub country: String,
    pub countries: Vec<(String, String)>,
    pub error: Option<String>,
    pub country_error: Option<String>,
    /// "Which Santa Fe?" and the towns it could be.
    pub question: Option<String>,
    pub choices: Vec<Choice>,
    town: Option<GraphTown>,
}

impl Side {
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.error.is_some() {
            ids.push(format!("e-{}", self.key));
        }
        if self.question.is_some() {
            ids.push(format!("c-{}", self.key));
        }
        ids.join(" ")
    }

    fn invalid(&self) -> bool {
        self.error.is_some() || self.country_error.is_some()
    }

    /// This side's part of an address: its town's id when known, else what was typed.
    fn query(&self) -> Vec<String> {
        match &self.town {
            Some(t) => vec![format!("{}_id={}", self.key, t.id)],
            None => {
                let mut out = vec![format!("{}={}", self.key, encode(&self.text))];
                if !self.country.is_empty() {
                    out.push(format!("{}_country={}", self.key, encode(&self.country)));
                }
                out
            }
        }
    }
}

/// Finds the town a side names: by `{key}_id` (links), else by name and country: exactly one
/// town of that name, or one town found at all. Several are offered as choices; none is an
/// error next to the field. `submitted`: the form was sent, so an empty field is an error.
async fn resolve(
    ctx: &Ctx,
    s: &AppState,
    q: &Params,
    key: &'static str,
    label_key: &str,
    countries: &[(String, String)],
    submitted: bool,
) -> Result<Side, WebError> {
    let lang = ctx.lang;
    let mut side = Side {
        key,
        label: lang.t(label_key),
        text: param(q, key),
        country: country_value(&param(q, &format!("{key}_country"))),
        countries: Vec::new(),
        error: None,
        country_error: None,
        question: None,
        choices: Vec::new(),
        town: None,
    };
    let id = param(q, &format!("{key}_id"));
    if !id.is_empty() {
        match id.parse::<i64>() {
            Err(_) => side.error = Some(lang.t("world-town-id-invalid")),
            Ok(id) => match s.world.partners(id).await {
                Ok((t, _)) => {
                    side.text = t.name.to_string();
                    side.country = t.country.as_str().to_owned();
                    side.town = Some(t);
                }
                Err(AppError::NotFound) => side.error = Some(lang.t("world-town-unknown")),
                Err(e) => return Err(WebError::from_app(Front::Page, lang, e).at(&ctx.path)),
            },
        }
    } else if side.text.is_empty() {
        if submitted {
            side.error = Some(lang.t("error-required"));
        }
    } else {
        match s.world.search(&side.text, Some(&side.country), 0, 10).await {
            Ok(r) => {
                let wanted = fold(&side.text);
                let exact: Vec<&TownHit> = r
                    .towns
                    .iter()
                    .filter(|h| fold(&h.town.name) == wanted)
                    .collect();
                if exact.len() == 1 {
                    side.town = Some(exact[0].town.clone());
                } else if r.towns.len() == 1 {
                    side.town = Some(r.towns[0].town.clone());
                } else if r.towns.is_empty() {
                    side.error = Some(lang.t("world-town-not-found"));
                } else {
                    let candidates: Vec<&TownHit> = if exact.len() > 1 {
                        exact
                    } else {
                        r.towns.iter().collect()
                    };
                    side.question = Some(
                        lang.t_args("world-network-which", &[("name", side.text.clone().into())]),
                    );
                    side.choices = candidates
                        .into_iter()
                        .map(|h| choice(lang, key, h))
                        .collect();
                }
            }
            Err(AppError::Invalid(e)) => {
                for f in &e.0 {
                    let text = lang.t(f.key);
                    match f.field {
                        "country" => side.country_error = Some(text),
                        _ => side.error = Some(text),
                    }
                }
            }
            Err(e) => return Err(WebError::from_app(Front::Page, lang, e).at(&ctx.path)),
        }
    }
    side.countries = with_value(countries.to_vec(), &side.country);
    Ok(side)
}

/// "Santa Fe (Spanje, Andalusië)" and "19 partners".
fn choice(lang: Lang, key: &str, h: &TownHit) -> Choice {
    let mut place = lang.country(h.town.country).to_owned();
    if let Some(r) = &h.town.region {
        place = format!("{place}, {r}");
    }
    Choice {
        href: format!("{}_id={}", key, h.town.id),
        name: format!("{} ({place})", h.town.name),
        detail: lang.t_args(
            "world-network-choice",
            &[("count", (h.partners as u64).into())],
        ),
    }
}

/// Makes each side's choices full addresses, keeping the other side.
fn link_choices(a: &mut Side, b: &Side, anchor: &str) {
    let other = b.query().join("&");
    for c in &mut a.choices {
        c.href = format!("/network?{}&{other}#{anchor}", c.href);
    }
}

pub(super) struct ChainRow {
    pub town: TownRow,
    pub records: Vec<Record>,
}

/// What the shared-partners form found.
pub(super) struct SharedResult {
    pub heading: String,
    pub towns: Vec<TownRow>,
}

/// What the chain form found.
pub(super) struct ChainResult {
    pub heading: String,
    /// Empty when the towns are not connected.
    pub steps: Vec<ChainRow>,
    pub summary: String,
}

pub(super) struct ComponentRow {
    pub size: String,
    pub town: TownRow,
}

#[derive(Template)]
#[template(path = "world_network.html")]
struct NetworkPage {
    ctx: Ctx,
    shared: [Side; 2],
    chain: [Side; 2],
    shared_result: Option<SharedResult>,
    chain_result: Option<ChainResult>,
    components: Vec<ComponentRow>,
    components_total: String,
    most_connected: Vec<TownRow>,
    attribution: Vec<String>,
}

async fn network(ctx: Ctx, State(s): State<AppState>, Query(q): Query<Params>) -> PageResult {
    let lang = ctx.lang;
    let countries = country_options(&ctx, &s).await?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    let sent = |prefix: &str| {
        q.contains_key(&format!("{prefix}_a")) || q.contains_key(&format!("{prefix}_b"))
    };
    let (shared_sent, chain_sent) = (sent("shared"), sent("chain"));
    let mut sa = resolve(
        &ctx,
        &s,
        &q,
        "shared_a",
        "world-field-town-a",
        &countries,
        shared_sent,
    )
    .await?;
    let mut sb = resolve(
        &ctx,
        &s,
        &q,
        "shared_b",
        "world-field-town-b",
        &countries,
        shared_sent,
    )
    .await?;
    let mut ca = resolve(
        &ctx,
        &s,
        &q,
        "chain_a",
        "world-field-from",
        &countries,
        chain_sent,
    )
    .await?;
    let mut cb = resolve(
        &ctx,
        &s,
        &q,
        "chain_b",
        "world-field-to",
        &countries,
        chain_sent,
    )
    .await?;
    link_choices(&mut sa, &sb, "shared");
    link_choices(&mut sb, &sa, "shared");
    link_choices(&mut ca, &cb, "chain");
    link_choices(&mut cb, &ca, "chain");

    let shared_result = match (&sa.town, &sb.town) {
        (Some(a), Some(b)) => {
            let list = s.world.shared_partners(a.id, b.id).await.or_page(&ctx)?;
            Some(SharedResult {
                heading: lang.t_args(
                    "world-shared-heading",
                    &[
                        ("from", a.name.to_string().into()),
                        ("to", b.name.to_string().into()),
                        ("count", (list.len() as u64).into()),
                    ],
                ),
                towns: list.iter().map(|h| hit_row(lang, h)).collect(),
            })
        }
        _ => None,
    };
    let chain_result = match (&ca.town, &cb.town) {
        (Some(a), Some(b)) => {
            let steps = s.world.chain(a.id, b.id).await.or_page(&ctx)?;
            let heading = lang.t_args(
                "world-chain-heading",
                &[
                    ("from", a.name.to_string().into()),
                    ("to", b.name.to_string().into()),
                ],
            );
            Some(match steps {
                Some(steps) => ChainResult {
                    heading,
                    summary: lang.t_args(
                        "world-chain-length",
                        &[("count", (steps.len().saturating_sub(1) as u64).into())],
                    ),
                    steps: steps
                        .iter()
                        .map(|st: &ChainStep| ChainRow {
                            town: town_row(lang, &st.town, 0),
                            records: st.links.iter().map(|l| record(lang, l, &sources)).collect(),
                        })
                        .collect(),
                },
                None => ChainResult {
                    heading,
                    summary: lang.t_args(
                        "world-chain-none",
                        &[
                            ("from", a.name.to_string().into()),
                            ("to", b.name.to_string().into()),
                        ],
                    ),
                    steps: Vec::new(),
                },
            })
        }
        _ => None,
    };
    let (components, total) = s.world.components(20).await.or_page(&ctx)?;
    let most = s.world.most_connected(None, 20).await.or_page(&ctx)?;
    let invalid = [&sa, &sb, &ca, &cb].iter().any(|x| x.invalid());
    let page = NetworkPage {
        shared: [sa, sb],
        chain: [ca, cb],
        shared_result,
        chain_result,
        components: components
            .iter()
            .map(|c| ComponentRow {
                size: count(lang, i64::from(c.size)),
                town: hit_row(lang, &c.representative),
            })
            .collect(),
        components_total: lang.t_args(
            "world-components-total",
            &[
                ("count", (total as u64).into()),
                ("n", count(lang, total as i64).into()),
            ],
        ),
        most_connected: most.iter().map(|h| hit_row(lang, h)).collect(),
        attribution: attribution(lang, &sources, None),
        ctx,
    };
    let status = if invalid {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

// ---- suggestions ------------------------------------------------------------------------------

pub(super) struct SuggestionRow {
    pub town: TownRow,
    pub score: u32,
    pub km: String,
    pub reasons: Vec<String>,
}

fn reason_text(lang: Lang, r: &ReasonView) -> String {
    match r {
        ReasonView::PartnersOfPartners { via } => {
            let names: Vec<&str> = via.iter().map(|t| t.name.as_ref()).collect();
            lang.t_args(
                "world-reason-partners-of-partners",
                &[
                    ("count", (via.len() as u64).into()),
                    ("name", names.join(", ").into()),
                    ("n", (3 * via.len() as u64).into()),
                ],
            )
        }
        ReasonView::NewCountry { country } => lang.t_args(
            "world-reason-new-country",
            &[("name", lang.country(*country).to_owned().into())],
        ),
        ReasonView::SimilarSize { population } => lang.t_args(
            "world-reason-similar-size",
            &[("n", count(lang, *population as i64).into())],
        ),
        ReasonView::Reachable { km } => lang.t_args(
            "world-reason-reachable",
            &[("n", count(lang, i64::from(*km)).into())],
        ),
        ReasonView::Active { partners } => lang.t_args(
            "world-reason-active",
            &[("count", u64::from(*partners).into())],
        ),
    }
}

#[derive(Template)]
#[template(path = "world_suggestions.html")]
struct SuggestionsPage {
    ctx: Ctx,
    name: String,
    slug: String,
    town_href: String,
    rows: Vec<SuggestionRow>,
    attribution: Vec<String>,
}

async fn suggestions(ctx: Ctx, State(s): State<AppState>, Path(slug): Path<String>) -> PageResult {
    let lang = ctx.lang;
    let v = s.register.municipality(&slug).await.or_page(&ctx)?;
    let m = &v.municipality;
    let (town, list) = s.world.suggestions(&m.id.0, 20).await.or_page(&ctx)?;
    let sources = s.world.sources().await.or_page(&ctx)?;
    ok(&SuggestionsPage {
        name: m.name().to_string(),
        slug: m.slug.to_string(),
        town_href: format!("/towns/{}", town.id),
        rows: list
            .iter()
            .map(|x| SuggestionRow {
                town: hit_row(lang, &x.town),
                score: x.score,
                km: x
                    .km
                    .map(|k| format!("{}\u{a0}km", count(lang, i64::from(k))))
                    .unwrap_or_else(|| "–".to_owned()),
                reasons: x.reasons.iter().map(|r| reason_text(lang, r)).collect(),
            })
            .collect(),
        attribution: attribution(lang, &sources, None),
        ctx,
    })
}

// ---- the municipality's page ------------------------------------------------------------------

/// The section "In the world register" of a municipality's page.
pub(super) struct WorldSection {
    pub town_href: String,
    pub suggestions_href: String,
    /// Its partners in the world register, each with where it is recorded (the register, the
    /// lists, or both: Hranice).
    pub partners: Vec<PartnerRow>,
    pub triangles: Vec<(TownLink, TownLink)>,
    pub attribution: Vec<String>,
}

/// The municipality's town in the world register, if the graph has it.
pub(super) async fn municipality_section(
    ctx: &Ctx,
    s: &AppState,
    municipality_id: &str,
    slug: &str,
) -> Result<Option<WorldSection>, WebError> {
    let lang = ctx.lang;
    let Some(d) = s
        .world
        .town_of_municipality(municipality_id)
        .await
        .or_page(ctx)?
    else {
        return Ok(None);
    };
    let sources = s.world.sources().await.or_page(ctx)?;
    Ok(Some(WorldSection {
        town_href: format!("/towns/{}", d.town.id),
        suggestions_href: format!("/municipalities/{slug}/suggestions"),
        partners: d
            .partners
            .iter()
            .map(|p| partner_row(lang, p, &sources))
            .collect(),
        triangles: triangles(&d),
        attribution: attribution(lang, &sources, None),
    }))
}
