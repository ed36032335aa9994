//! The world register's tables: the towns and pairs of imported lists, reconciled with the
//! register's municipalities (each has its town, made by a trigger). An import is one
//! transaction written in multi-row statements; the graph's data is read in four queries.

use crate::decision::append_audit;
use crate::rows::Get;
use crate::{Backend, Store, StoreError, now_text, on_db};
use sqlx::AssertSqlSafe;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::world::graph::{GraphEdge, GraphSource, GraphTown, Link, RegisterLink};
use stedenband_domain::world::reconcile::{KnownPair, KnownTown, Plan};
use stedenband_domain::{Coordinates, CountryCode, WikidataId};

/// What reconciliation needs to know of the stored world data.
#[derive(Debug, Default)]
pub struct WorldSnapshot {
    pub towns: Vec<KnownTown>,
    pub pairs: Vec<KnownPair>,
    /// The highest town id when read: an import is refused if another write added towns since.
    pub max_town: i64,
}

/// An import to write: its source, the plan, and the audit entry.
#[derive(Debug)]
pub struct WorldImportWrite<'a> {
    pub label: &'a str,
    pub attribution: Option<&'a str>,
    pub file_sha256: &'a str,
    pub plan: &'a Plan,
    pub expected_max_town: i64,
    pub audit: &'a AuditDraft,
}

/// A cheap summary of everything the graph is built from, to notice writes by other processes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorldFingerprint(pub Vec<Option<String>>);

impl WorldFingerprint {
    /// The part that only an import of a list changes: the number of the lists' pairs and the
    /// newest import's time (every import that writes sets it).
    pub fn lists(&self) -> &[Option<String>] {
        self.0.get(1..3).unwrap_or_default()
    }
}

const TOWN_COLUMNS: &str = "t.id, COALESCE(m.name, t.name) AS name, \
     COALESCE(m.country, t.country) AS country, COALESCE(m.region, t.region) AS region, \
     CASE WHEN m.latitude IS NOT NULL THEN m.latitude ELSE t.latitude END AS latitude, \
     CASE WHEN m.latitude IS NOT NULL THEN m.longitude ELSE t.longitude END AS longitude, \
     COALESCE(m.wikidata_id, t.wikidata_id) AS wikidata_id, t.municipality_id, m.slug, \
     m.population, t.source_id \
     FROM world_towns t LEFT JOIN municipalities m ON m.id = t.municipality_id";

/// A town of the graph from a row of [`TOWN_COLUMNS`].
fn graph_town(row: &impl Get) -> Result<GraphTown, StoreError> {
    let municipality = match (row.opt_text("municipality_id")?, row.opt_text("slug")?) {
        (Some(id), Some(slug)) => Some(RegisterLink { id, slug }),
        _ => None,
    };
    Ok(GraphTown {
        id: row.int("id")?,
        name: row.text("name")?.into(),
        country: country(row)?,
        region: row.opt_text("region")?.map(Into::into),
        coordinates: coordinates(row)?,
        population: row
            .opt_int("population")?
            .and_then(|p| u64::try_from(p).ok()),
        municipality,
        source: row.opt_int("source_id")?,
    })
}

/// The graph's rows that only an import of a list changes: see [`Store::world_list_data`].
#[derive(Debug, Clone, Default)]
pub struct WorldListData {
    /// The towns no municipality has taken over, by id.
    pub towns: Vec<GraphTown>,
    pub sources: Vec<GraphSource>,
    pub edges: Vec<GraphEdge>,
}

/// The graph's rows the register changes: see [`Store::world_register_data`].
#[derive(Debug, Clone, Default)]
pub struct WorldRegisterData {
    /// The towns that are municipalities, by id.
    pub towns: Vec<GraphTown>,
    pub edges: Vec<GraphEdge>,
}

impl WorldRegisterData {
    /// The whole graph's rows: the register's towns and the list's, by id (a list town that a
    /// municipality took over after the list was read is the register's), the sources, and the
    /// list's pairs followed by the partnerships.
    pub fn merged_with(
        self,
        list: &WorldListData,
    ) -> (Vec<GraphTown>, Vec<GraphSource>, Vec<GraphEdge>) {
        let mut towns = Vec::with_capacity(list.towns.len() + self.towns.len());
        let mut register = self.towns.into_iter().peekable();
        for t in &list.towns {
            while let Some(r) = register.next_if(|r| r.id <= t.id) {
                towns.push(r);
            }
            if towns.last().is_none_or(|last: &GraphTown| last.id != t.id) {
                towns.push(t.clone());
            }
        }
        towns.extend(register);
        let mut edges = Vec::with_capacity(list.edges.len() + self.edges.len());
        edges.extend(list.edges.iter().cloned());
        edges.extend(self.edges);
        (towns, list.sources.clone(), edges)
    }
}

fn coordinates(row: &impl Get) -> Result<Option<Coordinates>, StoreError> {
    Ok(
        match (row.opt_float("latitude")?, row.opt_float("longitude")?) {
            (Some(lat), Some(lng)) => Coordinates::new(lat, lng).ok(),
            _ => None,
        },
    )
}

fn country(row: &impl Get) -> Result<CountryCode, StoreError> {
    let c = row.text("country")?;
    CountryCode::parse(&c).map_err(|_| crate::error::corrupt("world town country", &c))
}

fn year(v: Option<i64>) -> Option<i32> {
    v.and_then(|y| i32::try_from(y).ok())
}

/// Rows per query when the graph's data is read.
const GRAPH_SLICE: usize = 2000;

/// Rows per multi-row INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const CHUNK: usize = 1000;

/// A multi-row INSERT. SQLite gets plain `?` placeholders: it takes `$n` for a *named*
/// parameter and looks each name up by a linear search, which made a 9,000-parameter statement
/// quadratic (seconds for the whole list).
fn values_sql(backend: Backend, head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

impl Store {
    /// The stored towns (with the register's names and positions) and pairs.
    pub async fn world_snapshot(&self) -> Result<WorldSnapshot, StoreError> {
        let towns_sql = format!("SELECT {TOWN_COLUMNS} ORDER BY t.id");
        let pairs_sql = "SELECT town_a, town_b, start_year, end_year FROM world_pairs";
        let mut snap = WorldSnapshot::default();
        on_db!(&self.db, pool => {
            for row in sqlx::query(AssertSqlSafe(towns_sql)).fetch_all(pool).await? {
                let id = row.int("id")?;
                snap.max_town = snap.max_town.max(id);
                snap.towns.push(KnownTown {
                    id,
                    name: row.text("name")?,
                    country: country(&row)?,
                    coordinates: coordinates(&row)?,
                    wikidata: row.opt_text("wikidata_id")?.and_then(|q| WikidataId::parse(&q).ok()),
                    municipality: row.opt_text("municipality_id")?,
                });
            }
            for row in sqlx::query(pairs_sql).fetch_all(pool).await? {
                snap.pairs.push(KnownPair {
                    a: row.int("town_a")?,
                    b: row.int("town_b")?,
                    start_year: year(row.opt_int("start_year")?),
                    end_year: year(row.opt_int("end_year")?),
                });
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(snap)
    }

    /// Writes an import in one transaction: the source (made or updated), new towns, filled
    /// towns, new pairs, filled pairs and the audit entry. Refused with a conflict on `file`
    /// when towns were added since the snapshot the plan was made from.
    pub async fn write_world_import(&self, w: &WorldImportWrite<'_>) -> Result<i64, StoreError> {
        let now = now_text();
        let s = &w.plan.summary;
        let begin = match self.db.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let result = on_db!(&self.db, pool => {
            let mut tx = pool.begin_with(begin).await?;
            if self.db.backend() == Backend::Postgres {
                sqlx::query("LOCK TABLE audit_log, world_towns IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM world_towns")
                .fetch_one(&mut *tx)
                .await?;
            if max.unwrap_or(0) != w.expected_max_town {
                return Err(StoreError::Conflict { field: "file" });
            }
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM world_sources WHERE label = $1")
                    .bind(w.label)
                    .fetch_optional(&mut *tx)
                    .await?;
            let source = match existing {
                Some(id) => {
                    sqlx::query(
                        "UPDATE world_sources SET attribution = COALESCE($2, attribution), \
                         file_sha256 = $3, imported_at = $4, rows_total = $5, imported = $6, \
                         merged = $7, rejected = $8 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(w.attribution)
                    .bind(w.file_sha256)
                    .bind(&now)
                    .bind(s.rows as i64)
                    .bind(s.imported as i64)
                    .bind(s.merged as i64)
                    .bind(s.rejected as i64)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
                None => {
                    let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM world_sources")
                        .fetch_one(&mut *tx)
                        .await?;
                    sqlx::query(
                        "INSERT INTO world_sources (id, label, attribution, file_sha256, imported_at, \
                         rows_total, imported, merged, rejected) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(id)
                    .bind(w.label)
                    .bind(w.attribution)
                    .bind(w.file_sha256)
                    .bind(&now)
                    .bind(s.rows as i64)
                    .bind(s.imported as i64)
                    .bind(s.merged as i64)
                    .bind(s.rejected as i64)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            for chunk in w.plan.new_towns.chunks(CHUNK) {
                let sql = values_sql(
                    self.db.backend(),
                    "INSERT INTO world_towns (id, name, search_name, country, region, latitude, \
                     longitude, wikidata_id, source_id)",
                    9,
                    chunk.len(),
                );
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for t in chunk {
                    let c = t.town.coordinates;
                    q = q
                        .bind(t.id)
                        .bind(&t.town.name)
                        .bind(stedenband_domain::text::fold(&t.town.name))
                        .bind(t.town.country.as_str())
                        .bind(t.town.region.as_deref())
                        .bind(c.map(|c| c.latitude()))
                        .bind(c.map(|c| c.longitude()))
                        .bind(t.town.wikidata.as_ref().map(|q| q.as_str()))
                        .bind(source);
                }
                q.execute(&mut *tx).await?;
            }
            for f in &w.plan.town_fills {
                if let Some(c) = f.coordinates {
                    sqlx::query(
                        "UPDATE world_towns SET latitude = $2, longitude = $3 \
                         WHERE id = $1 AND latitude IS NULL",
                    )
                    .bind(f.id)
                    .bind(c.latitude())
                    .bind(c.longitude())
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(q) = &f.wikidata {
                    sqlx::query(
                        "UPDATE world_towns SET wikidata_id = $2 WHERE id = $1 AND wikidata_id IS NULL",
                    )
                    .bind(f.id)
                    .bind(q.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for chunk in w.plan.new_pairs.chunks(CHUNK) {
                let sql = values_sql(
                    self.db.backend(),
                    "INSERT INTO world_pairs (town_a, town_b, start_year, end_year, source_id, source_row)",
                    6,
                    chunk.len(),
                );
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for p in chunk {
                    q = q
                        .bind(p.a)
                        .bind(p.b)
                        .bind(p.start_year.map(i64::from))
                        .bind(p.end_year.map(i64::from))
                        .bind(source)
                        .bind(p.row as i64);
                }
                q.execute(&mut *tx).await.map_err(StoreError::from_write)?;
            }
            for p in &w.plan.pair_fills {
                sqlx::query(
                    "UPDATE world_pairs SET start_year = COALESCE(start_year, $3), \
                     end_year = COALESCE(end_year, $4) WHERE town_a = $1 AND town_b = $2",
                )
                .bind(p.a)
                .bind(p.b)
                .bind(p.start_year.map(i64::from))
                .bind(p.end_year.map(i64::from))
                .execute(&mut *tx)
                .await?;
            }
            append_audit!(tx, [w.audit]);
            tx.commit().await?;
            Ok::<i64, StoreError>(source)
        });
        if result.is_ok() {
            self.world_list_changed();
        }
        result
    }

    /// Everything the graph is built from: towns, sources, world pairs and the register's
    /// partnerships between towns (with their current status). The two parts of
    /// [`Store::world_list_data`] and [`Store::world_register_data`] together, towns by id.
    pub async fn world_graph_data(
        &self,
    ) -> Result<(Vec<GraphTown>, Vec<GraphSource>, Vec<GraphEdge>), StoreError> {
        let list = self.world_list_data().await?;
        let register = self.world_register_data().await?;
        Ok(register.merged_with(&list))
    }

    /// The part of the graph only an import of a list changes (counted by
    /// [`Store::world_list_writes`]): the towns no municipality has taken over, the sources and
    /// the lists' pairs. The bulk of the graph, and the slow part to read.
    pub async fn world_list_data(&self) -> Result<WorldListData, StoreError> {
        // Read in slices of GRAPH_SLICE rows (by key), so that the rows in flight stay few: the
        // server keeps the graph, not the garbage of one big result.
        let towns_sql = format!(
            "SELECT {TOWN_COLUMNS} WHERE t.municipality_id IS NULL AND t.id > $1 \
             ORDER BY t.id LIMIT {GRAPH_SLICE}"
        );
        let sources_sql = "SELECT id, label, attribution FROM world_sources ORDER BY id";
        let pairs_sql = format!(
            "SELECT town_a, town_b, start_year, end_year, source_id FROM world_pairs \
             WHERE town_a > $1 OR (town_a = $1 AND town_b > $2) ORDER BY town_a, town_b LIMIT {GRAPH_SLICE}"
        );
        let mut out = WorldListData::default();
        on_db!(&self.db, pool => {
            let mut after = 0i64;
            loop {
                let rows = sqlx::query(AssertSqlSafe(towns_sql.clone())).bind(after).fetch_all(pool).await?;
                if rows.is_empty() {
                    break;
                }
                for row in rows {
                    let town = graph_town(&row)?;
                    after = town.id;
                    out.towns.push(town);
                }
            }
            for row in sqlx::query(sources_sql).fetch_all(pool).await? {
                out.sources.push(GraphSource {
                    id: row.int("id")?,
                    label: row.text("label")?,
                    attribution: row.opt_text("attribution")?,
                });
            }
            let (mut after_a, mut after_b) = (0i64, 0i64);
            loop {
                let rows = sqlx::query(AssertSqlSafe(pairs_sql.clone()))
                    .bind(after_a)
                    .bind(after_b)
                    .fetch_all(pool)
                    .await?;
                if rows.is_empty() {
                    break;
                }
                for row in rows {
                    let (a, b) = (row.int("town_a")?, row.int("town_b")?);
                    out.edges.push(GraphEdge {
                        a,
                        b,
                        link: Link::World {
                            source: row.int("source_id")?,
                            start_year: year(row.opt_int("start_year")?),
                            end_year: year(row.opt_int("end_year")?),
                        },
                    });
                    (after_a, after_b) = (a, b);
                }
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    /// The part of the graph the register changes: the towns that are municipalities and the
    /// partnerships between them (with their current status), a partnership of a municipality
    /// that merged into another counted as the successor's. Small next to the lists, and read
    /// anew after every register write.
    pub async fn world_register_data(&self) -> Result<WorldRegisterData, StoreError> {
        let towns_sql =
            format!("SELECT {TOWN_COLUMNS} WHERE t.municipality_id IS NOT NULL ORDER BY t.id");
        let register_sql = "SELECT p.id, p.kind, p.start_year, p.end_year, p.home_id, p.partner_id, \
             (SELECT e.status FROM partnership_events e \
              WHERE e.partnership_id = p.id AND e.status IS NOT NULL \
              ORDER BY e.year DESC, COALESCE(e.date, '') DESC, e.seq DESC LIMIT 1) AS status \
             FROM partnerships p ORDER BY p.start_year, p.id";
        let lineage_sql = "SELECT predecessor_id, successor_id FROM municipality_lineage";
        let mut out = WorldRegisterData::default();
        on_db!(&self.db, pool => {
            for row in sqlx::query(AssertSqlSafe(towns_sql.clone())).fetch_all(pool).await? {
                out.towns.push(graph_town(&row)?);
            }
            let mut successor = std::collections::HashMap::new();
            for row in sqlx::query(lineage_sql).fetch_all(pool).await? {
                successor.insert(row.text("predecessor_id")?, row.text("successor_id")?);
            }
            let town_of: std::collections::HashMap<&str, i64> = out
                .towns
                .iter()
                .filter_map(|t| t.municipality.as_ref().map(|m| (m.id.as_str(), t.id)))
                .collect();
            // A partnership held by a municipality that merged into another is the successor's:
            // follow the lineage to the municipality that exists now.
            let current = |id: String| -> String {
                let mut id = id;
                for _ in 0..32 {
                    match successor.get(&id) {
                        Some(next) => id = next.clone(),
                        None => break,
                    }
                }
                id
            };
            let mut edges = Vec::new();
            for row in sqlx::query(register_sql).fetch_all(pool).await? {
                let home = current(row.text("home_id")?);
                let partner = current(row.text("partner_id")?);
                let (Some(&a), Some(&b)) = (town_of.get(home.as_str()), town_of.get(partner.as_str()))
                else {
                    continue;
                };
                edges.push(GraphEdge {
                    a,
                    b,
                    link: Link::Register {
                        partnership: row.text("id")?,
                        kind: row.text("kind")?,
                        start_year: year(Some(row.int("start_year")?)).unwrap_or_default(),
                        end_year: year(row.opt_int("end_year")?),
                        status: row.opt_text("status")?,
                    },
                });
            }
            out.edges = edges;
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    /// A fingerprint of the graph's data that changes with any write to it, from any process:
    /// counts and newest change times of towns, pairs, sources, partnerships and their events.
    pub async fn world_fingerprint(&self) -> Result<WorldFingerprint, StoreError> {
        let sql = "SELECT \
             CAST((SELECT COUNT(*) FROM world_towns) AS TEXT) AS a, \
             CAST((SELECT COUNT(*) FROM world_pairs) AS TEXT) AS b, \
             (SELECT MAX(imported_at) FROM world_sources) AS c, \
             CAST((SELECT COUNT(*) FROM partnerships) AS TEXT) AS d, \
             (SELECT MAX(updated_at) FROM partnerships) AS e, \
             CAST((SELECT COUNT(*) FROM partnership_events) AS TEXT) AS f, \
             (SELECT MAX(updated_at) FROM municipalities) AS g, \
             CAST((SELECT COUNT(*) FROM municipality_lineage) AS TEXT) AS h";
        on_db!(&self.db, pool => {
            let row = sqlx::query(sql).fetch_one(pool).await?;
            let mut v = Vec::new();
            for c in ["a", "b", "c", "d", "e", "f", "g", "h"] {
                v.push(row.opt_text(c)?);
            }
            Ok(WorldFingerprint(v))
        })
    }
}
