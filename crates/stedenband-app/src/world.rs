//! The world register's use cases: importing lists of twinnings, and the questions answered
//! from the graph held in memory (search, a town's partners, countries, the network, partner
//! suggestions).
//!
//! The graph is built from the database once and rebuilt when it is stale: at once after a
//! write through this process's store (its write counter moved), and within seconds after a
//! write by another process (see [`World::refresh_if_changed`], which a server calls on a timer).
//! Reads never wait for the database.

use crate::{AppError, AuditLog, Caller};
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};
use stedenband_domain::audit::{AuditDraft, Outcome};
use stedenband_domain::world::graph::{
    Component, CountryFigures, GraphTown, Link, Node, Suggestion, WorldGraph,
};
use stedenband_domain::world::input::{self, FileError, WorldFormat};
use stedenband_domain::world::reconcile::{self, Summary};
use stedenband_domain::{Action, CountryCode, ValidationErrors};
use stedenband_store::{Store, WorldFingerprint, WorldImportWrite, WorldListData};

/// The graph as last built, with what it was built from.
pub struct Loaded {
    pub graph: WorldGraph,
    writes: u64,
    fingerprint: WorldFingerprint,
    /// The lists' rows it was built from, kept for the next rebuild: a register write (a new
    /// municipality, a partnership, a status) leaves them as they are, so only the register's
    /// rows are read again.
    list: Arc<ListPart>,
}

/// The lists' rows, how many list writes through this store they hold, and the lists' part of
/// the fingerprint read before them (which another process's import changes).
struct ListPart {
    data: WorldListData,
    writes: u64,
    fingerprint: Vec<Option<String>>,
}

pub struct World {
    store: Store,
    audit: AuditLog,
    current: RwLock<Option<Arc<Loaded>>>,
    rebuild: tokio::sync::Mutex<()>,
}

/// How to import a file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The name the records are marked with (the file's name when not given).
    pub label: String,
    /// Shown wherever the data is ("Wikipedia contributors, CC BY-SA 4.0").
    pub attribution: Option<String>,
    /// Read from the content when not given.
    pub format: Option<WorldFormat>,
}

/// A rejected row, for the rejected-rows file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    pub number: u64,
    pub original: Vec<String>,
    pub reason: String,
    pub key: &'static str,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub summary: Summary,
    pub rejected: Vec<RejectedRow>,
    /// False when the file brought nothing new (nothing was written).
    pub changed: bool,
    pub towns_new: usize,
    pub pairs_new: usize,
}

/// Where an import is, for a progress bar.
pub trait ImportProgress: Send + Sync {
    fn stage(&self, _name: &'static str, _total: u64) {}
    fn advance(&self, _done: u64) {}
}

impl ImportProgress for () {}

/// A partner of a town with every record of the pair.
#[derive(Debug, Clone)]
pub struct PartnerView {
    pub town: GraphTown,
    pub partners: usize,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct TownDetail {
    pub town: GraphTown,
    pub partners: Vec<PartnerView>,
    pub triangles: Vec<(GraphTown, GraphTown)>,
    pub component_size: u32,
}

#[derive(Debug, Clone)]
pub struct TownHit {
    pub town: GraphTown,
    pub partners: usize,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    pub towns: Vec<TownHit>,
    pub total: usize,
}

#[derive(Debug, Clone)]
pub struct ChainStep {
    pub town: GraphTown,
    /// How many partners it has.
    pub partners: usize,
    /// The records of the pair with the step before (empty for the first).
    pub links: Vec<Link>,
}

#[derive(Debug, Clone)]
pub struct ComponentView {
    pub size: u32,
    pub representative: TownHit,
}

#[derive(Debug, Clone)]
pub struct CountryView {
    pub country: CountryCode,
    pub figures: CountryFigures,
    pub most_connected: Vec<TownHit>,
}

#[derive(Debug, Clone)]
pub struct SuggestionView {
    pub town: TownHit,
    pub score: u32,
    pub km: Option<u32>,
    pub reasons: Vec<ReasonView>,
}

/// A reason with the towns it names resolved.
#[derive(Debug, Clone)]
pub enum ReasonView {
    PartnersOfPartners { via: Vec<GraphTown> },
    NewCountry { country: CountryCode },
    SimilarSize { population: u64 },
    Reachable { km: u32 },
    Active { partners: u32 },
}

impl ReasonView {
    pub fn key(&self) -> &'static str {
        match self {
            Self::PartnersOfPartners { .. } => "partners-of-partners",
            Self::NewCountry { .. } => "new-country",
            Self::SimilarSize { .. } => "similar-size",
            Self::Reachable { .. } => "reachable",
            Self::Active { .. } => "active",
        }
    }
}

/// The most towns a search page or answer holds.
pub const SEARCH_LIMIT_MAX: usize = 100;

impl World {
    pub fn new(store: Store) -> Self {
        Self {
            audit: AuditLog::new(store.clone()),
            store,
            current: RwLock::new(None),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }

    /// The graph, rebuilt first if a write through this store made it stale.
    pub async fn graph(&self) -> Result<Arc<Loaded>, AppError> {
        let writes = self.store.world_writes();
        if let Some(g) = self.current.read().expect("world graph lock").as_ref()
            && g.writes == writes
        {
            return Ok(g.clone());
        }
        self.rebuild(Some(writes)).await
    }

    /// Builds the graph anew, unless (`wanted` given) a graph that already holds the first
    /// `wanted` writes was built while this call waited for its turn: readers that queue behind
    /// one rebuild are all served by the next, however many writes came meanwhile.
    async fn rebuild(&self, wanted: Option<u64>) -> Result<Arc<Loaded>, AppError> {
        let _one_at_a_time = self.rebuild.lock().await;
        if let Some(wanted) = wanted
            && let Some(g) = self.current.read().expect("world graph lock").as_ref()
            && g.writes >= wanted
        {
            return Ok(g.clone());
        }
        self.build(false).await
    }

    /// Reads the register's rows, and the lists' rows too when `whole` or when a list was
    /// written since the graph was built (else those of the graph held), and builds the graph.
    async fn build(&self, whole: bool) -> Result<Arc<Loaded>, AppError> {
        // Counted before the data is read, so the graph holds at least these writes.
        let writes = self.store.world_writes();
        let list_writes = self.store.world_list_writes();
        let fingerprint = self.store.world_fingerprint().await?;
        let held = self
            .current
            .read()
            .expect("world graph lock")
            .as_ref()
            .map(|g| g.list.clone())
            .filter(|list| {
                !whole && list.writes == list_writes && list.fingerprint == fingerprint.lists()
            });
        let list = match held {
            Some(list) => list,
            None => Arc::new(ListPart {
                data: self.store.world_list_data().await?,
                writes: list_writes,
                fingerprint: fingerprint.lists().to_vec(),
            }),
        };
        let register = self.store.world_register_data().await?;
        let (towns, sources, edges) = register.merged_with(&list.data);
        let graph = WorldGraph::build(towns, sources, edges);
        let loaded = Arc::new(Loaded {
            graph,
            writes,
            fingerprint,
            list,
        });
        *self.current.write().expect("world graph lock") = Some(loaded.clone());
        Ok(loaded)
    }

    /// Rebuilds the graph when the database changed under it (another process imported or
    /// edited). Cheap when nothing changed: one query of counts.
    pub async fn refresh_if_changed(&self) -> Result<bool, AppError> {
        let Some(current) = self.current.read().expect("world graph lock").clone() else {
            self.rebuild(None).await?;
            return Ok(true);
        };
        let now = self.store.world_fingerprint().await?;
        if now != current.fingerprint {
            // Another process wrote: it may have imported a list, so everything is read.
            let _one_at_a_time = self.rebuild.lock().await;
            self.build(true).await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads, reconciles and writes a list in one transaction. A bad file is refused before
    /// anything is written; rows that cannot be imported are returned with their reason. A file
    /// that brings nothing new writes nothing (not even the audit entry).
    pub async fn import(
        &self,
        caller: &Caller,
        bytes: &[u8],
        options: &ImportOptions,
        progress: &dyn ImportProgress,
    ) -> Result<ImportReport, AppError> {
        if let Err(e) = caller.require(&Action::ImportWorld) {
            self.audit
                .append(&AuditDraft {
                    actor: caller.principal.actor(),
                    address: caller.address.clone(),
                    action: "world.import".to_owned(),
                    object_kind: None,
                    object_id: None,
                    before: None,
                    after: None,
                    outcome: Outcome::Refused,
                })
                .await?;
            return Err(e);
        }
        let label = options.label.trim();
        if label.is_empty() || label.chars().count() > 200 {
            return Err(ValidationErrors::single("label", "error-required").into());
        }
        let format = match options.format {
            Some(f) => f,
            None => input::detect_format(bytes).map_err(AppError::BadFile)?,
        };
        progress.stage("read", bytes.len() as u64);
        let rows = input::read(bytes, format).map_err(AppError::BadFile)?;
        progress.advance(bytes.len() as u64);
        let snapshot = self.store.world_snapshot().await?;
        progress.stage("reconcile", rows.len() as u64);
        let plan = reconcile::reconcile(&snapshot.towns, &snapshot.pairs, &rows, &mut |n| {
            progress.advance(n as u64)
        });
        let rejected: Vec<RejectedRow> = rows
            .iter()
            .zip(&plan.outcomes)
            .filter_map(|(row, (_, outcome))| match outcome {
                reconcile::RowOutcome::Rejected(r) => Some(RejectedRow {
                    number: row.number,
                    original: row.original.clone(),
                    reason: r.reason(),
                    key: r.key(),
                }),
                _ => None,
            })
            .collect();
        let changed = !plan.changes_nothing();
        if changed {
            progress.stage(
                "write",
                (plan.new_towns.len() + plan.new_pairs.len()) as u64,
            );
            let sha = format!("{:x}", Sha256::digest(bytes));
            let s = &plan.summary;
            let after = serde_json::json!({
                "label": label,
                "sha256": sha,
                "rows": s.rows,
                "imported": s.imported,
                "merged": s.merged,
                "rejected": s.rejected,
                "townsNew": plan.new_towns.len(),
                "pairsNew": plan.new_pairs.len(),
            });
            let audit = AuditDraft {
                actor: caller.principal.actor(),
                address: caller.address.clone(),
                action: "world.import".to_owned(),
                object_kind: Some("world-source".to_owned()),
                object_id: Some(label.to_owned()),
                before: None,
                after: Some(after.to_string()),
                outcome: Outcome::Success,
            };
            self.store
                .write_world_import(&WorldImportWrite {
                    label,
                    attribution: options.attribution.as_deref(),
                    file_sha256: &sha,
                    plan: &plan,
                    expected_max_town: snapshot.max_town,
                    audit: &audit,
                })
                .await
                .map_err(|e| match e {
                    stedenband_store::StoreError::Conflict { .. } => AppError::Invalid(
                        ValidationErrors::single("file", "world-import-concurrent"),
                    ),
                    other => AppError::from_store(other),
                })?;
            progress.advance((plan.new_towns.len() + plan.new_pairs.len()) as u64);
        }
        Ok(ImportReport {
            towns_new: plan.new_towns.len(),
            pairs_new: plan.new_pairs.len(),
            summary: plan.summary,
            rejected,
            changed,
        })
    }

    fn hit(g: &WorldGraph, n: Node) -> TownHit {
        TownHit {
            town: g.town(n).clone(),
            partners: g.degree(n),
        }
    }

    fn node(g: &WorldGraph, id: i64) -> Result<Node, AppError> {
        g.node(id).ok_or(AppError::NotFound)
    }

    /// Towns by name prefix (diacritics folded), optionally in one country.
    pub async fn search(
        &self,
        q: &str,
        country: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<SearchResult, AppError> {
        let country = parse_country(country)?;
        if limit == 0 || limit > SEARCH_LIMIT_MAX {
            return Err(ValidationErrors::single("limit", "error-limit-range").into());
        }
        if q.chars().count() > 200 {
            return Err(ValidationErrors::single("q", "error-too-long").into());
        }
        let l = self.graph().await?;
        let g = &l.graph;
        let (nodes, total) = g.search(q, country, offset, limit);
        Ok(SearchResult {
            towns: nodes.into_iter().map(|n| Self::hit(g, n)).collect(),
            total,
        })
    }

    /// A town with its partners (the register's and the lists', each record named), the
    /// triangles it is part of and the size of its network.
    pub async fn town(&self, id: i64) -> Result<TownDetail, AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let n = Self::node(g, id)?;
        Ok(Self::detail(g, n))
    }

    fn detail(g: &WorldGraph, n: Node) -> TownDetail {
        let mut partners: Vec<PartnerView> = g
            .neighbours(n)
            .iter()
            .map(|&m| PartnerView {
                town: g.town(m).clone(),
                partners: g.degree(m),
                links: g.links(n, m).to_vec(),
            })
            .collect();
        // The register's partners first, then by country and name.
        partners.sort_by(|a, b| {
            let ra = !a.links.iter().any(Link::is_register);
            let rb = !b.links.iter().any(Link::is_register);
            ra.cmp(&rb)
                .then(a.town.country.cmp(&b.town.country))
                .then_with(|| a.town.name.cmp(&b.town.name))
        });
        let triangles = g
            .triangles(n)
            .into_iter()
            .map(|(u, v)| (g.town(u).clone(), g.town(v).clone()))
            .collect();
        TownDetail {
            town: g.town(n).clone(),
            partners,
            triangles,
            component_size: g.component_of(n).size,
        }
    }

    /// Only a town's partners (the fast answer for the API).
    pub async fn partners(&self, id: i64) -> Result<(GraphTown, Vec<PartnerView>), AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let n = Self::node(g, id)?;
        let list = g
            .neighbours(n)
            .iter()
            .map(|&m| PartnerView {
                town: g.town(m).clone(),
                partners: g.degree(m),
                links: g.links(n, m).to_vec(),
            })
            .collect();
        Ok((g.town(n).clone(), list))
    }

    /// The town that is a municipality of the register, by the municipality's id.
    pub async fn town_of_municipality(
        &self,
        municipality_id: &str,
    ) -> Result<Option<TownDetail>, AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        Ok(g.node_of_municipality(municipality_id)
            .map(|n| Self::detail(g, n)))
    }

    pub async fn shared_partners(&self, a: i64, b: i64) -> Result<Vec<TownHit>, AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let (x, y) = (Self::node(g, a)?, Self::node(g, b)?);
        Ok(g.shared_partners(x, y)
            .into_iter()
            .map(|n| Self::hit(g, n))
            .collect())
    }

    /// The shortest chain of twinnings from a to b; `None` when they are not connected.
    pub async fn chain(&self, a: i64, b: i64) -> Result<Option<Vec<ChainStep>>, AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let (x, y) = (Self::node(g, a)?, Self::node(g, b)?);
        Ok(g.chain(x, y).map(|path| {
            path.iter()
                .enumerate()
                .map(|(i, &n)| ChainStep {
                    town: g.town(n).clone(),
                    partners: g.degree(n),
                    links: if i == 0 {
                        Vec::new()
                    } else {
                        g.links(path[i - 1], n).to_vec()
                    },
                })
                .collect()
        }))
    }

    pub async fn triangles(&self, id: i64) -> Result<Vec<(GraphTown, GraphTown)>, AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let n = Self::node(g, id)?;
        Ok(g.triangles(n)
            .into_iter()
            .map(|(u, v)| (g.town(u).clone(), g.town(v).clone()))
            .collect())
    }

    pub async fn most_connected(
        &self,
        country: Option<&str>,
        limit: usize,
    ) -> Result<Vec<TownHit>, AppError> {
        let country = parse_country(country)?;
        if limit == 0 || limit > SEARCH_LIMIT_MAX {
            return Err(ValidationErrors::single("limit", "error-limit-range").into());
        }
        let l = self.graph().await?;
        let g = &l.graph;
        Ok(g.most_connected(country, limit)
            .into_iter()
            .map(|n| Self::hit(g, n))
            .collect())
    }

    /// Connected components of two or more towns, largest first, and how many there are.
    pub async fn components(&self, limit: usize) -> Result<(Vec<ComponentView>, usize), AppError> {
        let l = self.graph().await?;
        let g = &l.graph;
        let all = g.components();
        let total = all.len();
        Ok((
            all.into_iter()
                .take(limit)
                .map(|(_, c): (u32, Component)| ComponentView {
                    size: c.size,
                    representative: Self::hit(g, c.representative),
                })
                .collect(),
            total,
        ))
    }

    pub async fn country(&self, code: &str) -> Result<CountryView, AppError> {
        let country = CountryCode::parse(code).map_err(|_| AppError::NotFound)?;
        let l = self.graph().await?;
        let g = &l.graph;
        let figures = g.country_figures(country);
        if figures.towns == 0 {
            return Err(AppError::NotFound);
        }
        Ok(CountryView {
            country,
            figures,
            most_connected: g
                .most_connected(Some(country), 20)
                .into_iter()
                .map(|n| Self::hit(g, n))
                .collect(),
        })
    }

    /// Every country with towns, and its figures, by code.
    pub async fn countries(&self) -> Result<Vec<(CountryCode, CountryFigures)>, AppError> {
        let l = self.graph().await?;
        Ok(l.graph.countries())
    }

    /// The pairs touching a country, for the map and GeoJSON.
    pub async fn country_pairs(
        &self,
        code: &str,
    ) -> Result<Vec<(GraphTown, GraphTown, Vec<Link>)>, AppError> {
        let country = CountryCode::parse(code).map_err(|_| AppError::NotFound)?;
        let l = self.graph().await?;
        let g = &l.graph;
        if g.country_figures(country).towns == 0 {
            return Err(AppError::NotFound);
        }
        Ok(g.country_pairs(country)
            .into_iter()
            .map(|(a, b)| (g.town(a).clone(), g.town(b).clone(), g.links(a, b).to_vec()))
            .collect())
    }

    /// Towns a municipality of the register is not yet twinned with, ranked by stated reasons.
    pub async fn suggestions(
        &self,
        municipality_id: &str,
        limit: usize,
    ) -> Result<(GraphTown, Vec<SuggestionView>), AppError> {
        if limit == 0 || limit > SEARCH_LIMIT_MAX {
            return Err(ValidationErrors::single("limit", "error-limit-range").into());
        }
        let l = self.graph().await?;
        let g = &l.graph;
        let n = g
            .node_of_municipality(municipality_id)
            .ok_or(AppError::NotFound)?;
        let list = g
            .suggestions(n, limit)
            .into_iter()
            .map(|s: Suggestion| SuggestionView {
                town: Self::hit(g, s.town),
                score: s.score,
                km: s.km,
                reasons: s
                    .reasons
                    .into_iter()
                    .map(|r| match r {
                        stedenband_domain::world::graph::Reason::PartnersOfPartners { via } => {
                            ReasonView::PartnersOfPartners {
                                via: via.into_iter().map(|v| g.town(v).clone()).collect(),
                            }
                        }
                        stedenband_domain::world::graph::Reason::NewCountry { country } => {
                            ReasonView::NewCountry { country }
                        }
                        stedenband_domain::world::graph::Reason::SimilarSize { population } => {
                            ReasonView::SimilarSize { population }
                        }
                        stedenband_domain::world::graph::Reason::Reachable { km } => {
                            ReasonView::Reachable { km }
                        }
                        stedenband_domain::world::graph::Reason::Active { partners } => {
                            ReasonView::Active { partners }
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok((g.town(n).clone(), list))
    }

    /// The lists imported, for attribution.
    pub async fn sources(
        &self,
    ) -> Result<Vec<stedenband_domain::world::graph::GraphSource>, AppError> {
        let l = self.graph().await?;
        Ok(l.graph.sources().to_vec())
    }

    /// Towns and pairs held.
    pub async fn totals(&self) -> Result<(usize, usize), AppError> {
        let l = self.graph().await?;
        Ok((l.graph.town_count(), l.graph.pair_count()))
    }
}

fn parse_country(raw: Option<&str>) -> Result<Option<CountryCode>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(c) => CountryCode::parse(c)
            .map(Some)
            .map_err(|k| ValidationErrors::single("country", k).into()),
    }
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World").finish_non_exhaustive()
    }
}

/// Re-exported for the front ends.
pub use stedenband_domain::world::input::WorldFormat as Format;
pub type BadFile = FileError;
