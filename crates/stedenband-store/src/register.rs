//! The register: municipalities, lineage, partnerships and their history.

use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use sqlx::AssertSqlSafe;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::{
    Coordinates, CountryCode, EventKind, Initiator, LineageMap, Merger, Municipality,
    MunicipalityDraft, MunicipalityId, Name, OfficialCode, PartialDate, Partnership,
    PartnershipDraft, PartnershipEvent, PartnershipEventDraft, PartnershipId, PartnershipKind,
    PartnershipStatus, PlaceKind, Slug, WikidataId,
};

/// The audit entry of a write, made from what was written (the record as stored), and appended
/// in the write's own transaction: a register change is never stored without its entry.
pub type AuditOf<'a, T> = &'a (dyn Fn(&T) -> AuditDraft + Send + Sync);

/// Which page of a list, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    pub const MAX_SIZE: u32 = 200;

    /// Clamps to page >= 1 and 1..=MAX_SIZE items.
    pub fn new(page: u32, size: u32) -> Self {
        Self {
            page: page.max(1),
            size: size.clamp(1, Self::MAX_SIZE),
        }
    }

    fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.size)
    }
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub request: PageRequest,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        let size = u64::from(self.request.size);
        u32::try_from(self.total.div_ceil(size))
            .unwrap_or(u32::MAX)
            .max(1)
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            request: self.request,
        }
    }
}

/// Filters for the list of municipalities.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityFilter {
    /// Words to find in the name, folded like [`Name::folded`].
    pub query: Option<String>,
    pub country: Option<CountryCode>,
}

const MUNICIPALITY_COLUMNS: &str = "id, slug, name, kind, country, region, official_code, \
     wikidata_id, latitude, longitude, population";

fn municipality(row: &impl Get) -> Result<Municipality, StoreError> {
    let what = "municipality";
    let bad = |key: &str| corrupt(what, key);
    let country = CountryCode::parse(&row.text("country")?).map_err(bad)?;
    let coordinates = match (row.opt_float("latitude")?, row.opt_float("longitude")?) {
        (Some(lat), Some(lon)) => Some(Coordinates::new(lat, lon).map_err(|(_, k)| bad(k))?),
        _ => None,
    };
    let opt_name = |v: Option<String>| v.map(|s| Name::parse(&s).map_err(bad)).transpose();
    Ok(Municipality {
        id: MunicipalityId(row.text("id")?),
        slug: Slug::parse(&row.text("slug")?).map_err(bad)?,
        draft: MunicipalityDraft {
            name: Name::parse(&row.text("name")?).map_err(bad)?,
            slug: None,
            kind: PlaceKind::parse(&row.text("kind")?).map_err(bad)?,
            country,
            region: opt_name(row.opt_text("region")?)?,
            official_code: row
                .opt_text("official_code")?
                .map(|s| OfficialCode::parse(&s, Some(country)).map_err(bad))
                .transpose()?,
            wikidata_id: row
                .opt_text("wikidata_id")?
                .map(|s| WikidataId::parse(&s).map_err(bad))
                .transpose()?,
            coordinates,
            population: row
                .opt_int("population")?
                .map(|p| u64::try_from(p).map_err(|_| bad("population")))
                .transpose()?,
        },
    })
}

/// The current status is the latest status change on the timeline (active when none).
const PARTNERSHIP_COLUMNS: &str = "p.id, p.home_id, p.partner_id, p.kind, p.initiator, \
     p.start_year, p.start_date, p.end_year, p.end_date, p.description, \
     COALESCE((SELECT e.status FROM partnership_events e \
               WHERE e.partnership_id = p.id AND e.status IS NOT NULL \
               ORDER BY e.year DESC, COALESCE(e.date, '') DESC, e.seq DESC LIMIT 1), 'active') AS status";

fn partnership(row: &impl Get) -> Result<Partnership, StoreError> {
    let bad = |key: &str| corrupt("partnership", key);
    let end = match row.opt_int("end_year")? {
        Some(y) => {
            Some(PartialDate::from_parts(y, row.opt_text("end_date")?.as_deref()).map_err(bad)?)
        }
        None => None,
    };
    Ok(Partnership {
        id: PartnershipId(row.text("id")?),
        draft: PartnershipDraft {
            home: MunicipalityId(row.text("home_id")?),
            partner: MunicipalityId(row.text("partner_id")?),
            kind: PartnershipKind::parse(&row.text("kind")?).map_err(bad)?,
            initiator: Initiator::parse(&row.text("initiator")?).map_err(bad)?,
            start: PartialDate::from_parts(
                row.int("start_year")?,
                row.opt_text("start_date")?.as_deref(),
            )
            .map_err(bad)?,
            end,
            description: row.opt_text("description")?,
        },
        status: PartnershipStatus::parse(&row.text("status")?).map_err(bad)?,
    })
}

fn event(row: &impl Get) -> Result<PartnershipEvent, StoreError> {
    let bad = |key: &str| corrupt("partnership event", key);
    Ok(PartnershipEvent {
        id: row.text("id")?,
        partnership: PartnershipId(row.text("partnership_id")?),
        draft: PartnershipEventDraft {
            date: PartialDate::from_parts(row.int("year")?, row.opt_text("date")?.as_deref())
                .map_err(bad)?,
            kind: EventKind::parse(&row.text("kind")?).map_err(bad)?,
            status: row
                .opt_text("status")?
                .map(|s| PartnershipStatus::parse(&s).map_err(bad))
                .transpose()?,
            text: row.text("text")?,
        },
    })
}

fn date_parts(d: &PartialDate) -> (i64, Option<String>) {
    (i64::from(d.year()), d.date().map(|d| d.to_string()))
}

/// `$first, $first+1, ...` for an IN list of `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    // ---- municipalities -------------------------------------------------------------------

    /// Stores a new municipality. Without a slug in the draft one is made from the name, with
    /// the country code and then a number added until it is free.
    pub async fn insert_municipality(
        &self,
        draft: &MunicipalityDraft,
        audit: AuditOf<'_, Municipality>,
    ) -> Result<Municipality, StoreError> {
        let slug = match &draft.slug {
            Some(s) => s.clone(),
            None => self.free_slug(draft).await?,
        };
        let id = new_id();
        let now = now_text();
        let sql = "INSERT INTO municipalities (id, slug, name, search_name, kind, country, region, \
                   official_code, wikidata_id, latitude, longitude, population, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)";
        let m = Municipality {
            id: MunicipalityId(id),
            slug,
            draft: draft.clone(),
        };
        let entry = audit(&m);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            bind_municipality(sqlx::query(sql).bind(&m.id.0).bind(m.slug.as_str()), draft)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.world_changed();
        Ok(m)
    }

    async fn free_slug(&self, draft: &MunicipalityDraft) -> Result<Slug, StoreError> {
        let base = Slug::from_name(&draft.name);
        let with_country = base.with_suffix(draft.country.as_str());
        let mut candidates = vec![base, with_country.clone()];
        candidates.extend((2..100).map(|n| with_country.with_suffix(&n.to_string())));
        for slug in candidates {
            if self.municipality_by_slug(slug.as_str()).await?.is_none() {
                return Ok(slug);
            }
        }
        Ok(with_country.with_suffix(&new_id()[..8]))
    }

    /// Replaces a municipality's content; its slug changes only when the draft names one.
    pub async fn update_municipality(
        &self,
        id: &MunicipalityId,
        draft: &MunicipalityDraft,
        audit: AuditOf<'_, Municipality>,
    ) -> Result<Municipality, StoreError> {
        let current = self.municipality(id).await?.ok_or(StoreError::NotFound)?;
        let slug = draft.slug.clone().unwrap_or(current.slug);
        let sql = "UPDATE municipalities SET slug = $2, name = $3, search_name = $4, kind = $5, \
                   country = $6, region = $7, official_code = $8, wikidata_id = $9, latitude = $10, \
                   longitude = $11, population = $12, updated_at = $13 WHERE id = $1";
        let now = now_text();
        let m = Municipality {
            id: id.clone(),
            slug,
            draft: draft.clone(),
        };
        let entry = audit(&m);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = bind_municipality(sqlx::query(sql).bind(&id.0).bind(m.slug.as_str()), draft)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.world_changed();
        Ok(m)
    }

    pub async fn municipality(
        &self,
        id: &MunicipalityId,
    ) -> Result<Option<Municipality>, StoreError> {
        let sql = format!("SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(&id.0).fetch_optional(pool).await?;
            row.as_ref().map(municipality).transpose()
        })
    }

    pub async fn municipality_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<Municipality>, StoreError> {
        let sql = format!("SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE slug = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(slug).fetch_optional(pool).await?;
            row.as_ref().map(municipality).transpose()
        })
    }

    /// Municipalities whose folded name is exactly `folded` (at most `limit`).
    pub async fn municipalities_named(
        &self,
        folded: &str,
        limit: u32,
    ) -> Result<Vec<Municipality>, StoreError> {
        let sql = format!(
            "SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE search_name = $1 ORDER BY id LIMIT $2"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(folded).bind(i64::from(limit)).fetch_all(pool).await?;
            rows.iter().map(municipality).collect()
        })
    }

    /// The municipalities with these ids, in no particular order; unknown ids are skipped.
    pub async fn municipalities_by_ids(
        &self,
        ids: &[MunicipalityId],
    ) -> Result<Vec<Municipality>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let rows = on_db!(&self.db, pool => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for id in chunk {
                    q = q.bind(&id.0);
                }
                q.fetch_all(pool).await?.iter().map(municipality).collect::<Result<Vec<_>, _>>()
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// A page of municipalities matching the filter, by name.
    pub async fn municipalities(
        &self,
        filter: &MunicipalityFilter,
        page: PageRequest,
    ) -> Result<Page<Municipality>, StoreError> {
        let words: Vec<String> = filter
            .query
            .as_deref()
            .map(stedenband_domain::text::fold)
            .unwrap_or_default()
            .split(' ')
            .filter(|w| !w.is_empty())
            // Ten words narrow any search enough; more only make the query long.
            .take(10)
            .map(|w| format!("%{w}%"))
            .collect();
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut n = 0;
        for _ in &words {
            n += 1;
            conditions.push(format!("search_name LIKE ${n}"));
        }
        if filter.country.is_some() {
            n += 1;
            conditions.push(format!("country = ${n}"));
        }
        let where_ = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM municipalities WHERE {where_}");
        let list_sql = format!(
            "SELECT {MUNICIPALITY_COLUMNS} FROM municipalities WHERE {where_} \
             ORDER BY search_name, country, id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let country = filter.country.map(|c| c.as_str().to_owned());
        on_db!(&self.db, pool => {
            let mut count = sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql));
            let mut list = sqlx::query(AssertSqlSafe(list_sql));
            for w in &words {
                count = count.bind(w);
                list = list.bind(w);
            }
            if let Some(c) = &country {
                count = count.bind(c);
                list = list.bind(c);
            }
            let total = count.fetch_one(pool).await?;
            let rows = list.bind(i64::from(page.size)).bind(page.offset()).fetch_all(pool).await?;
            Ok(Page {
                items: rows.iter().map(municipality).collect::<Result<_, _>>()?,
                total: u64::try_from(total).unwrap_or(0),
                request: page,
            })
        })
    }

    // ---- lineage --------------------------------------------------------------------------

    /// All recorded lineage (a small table: one row per merged municipality).
    pub async fn lineage(&self) -> Result<LineageMap, StoreError> {
        let sql = "SELECT predecessor_id, successor_id, effective_on FROM municipality_lineage";
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            let mut map = LineageMap::default();
            for row in &rows {
                let date = stedenband_domain::date::parse_date(&row.text("effective_on")?)
                    .map_err(|k| corrupt("lineage", k))?;
                map.0.insert(
                    MunicipalityId(row.text("predecessor_id")?),
                    (MunicipalityId(row.text("successor_id")?), date),
                );
            }
            Ok(map)
        })
    }

    /// Records a merger: all its predecessors at once, or none.
    pub async fn insert_merger(
        &self,
        merger: &Merger,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO municipality_lineage (predecessor_id, successor_id, effective_on, created_at) \
                   VALUES ($1, $2, $3, $4)";
        let now = now_text();
        let date = merger.effective_on.to_string();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            for p in &merger.predecessors {
                sqlx::query(sql)
                    .bind(&p.0)
                    .bind(&merger.successor.0)
                    .bind(&date)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        // The predecessors' partnerships are the successor's now: the world graph changes.
        self.world_changed();
        Ok(())
    }

    // ---- partnerships ---------------------------------------------------------------------

    /// Stores a new partnership with its first history entries and its audit entry (made from
    /// the partnership as stored, with the status the entries give it), in one transaction.
    pub async fn insert_partnership(
        &self,
        draft: &PartnershipDraft,
        events: &[PartnershipEventDraft],
        audit: AuditOf<'_, Partnership>,
    ) -> Result<PartnershipId, StoreError> {
        let id = new_id();
        let now = now_text();
        let dates = DateColumns::of(draft);
        let sql = "INSERT INTO partnerships (id, home_id, partner_id, kind, initiator, start_year, \
                   start_date, end_year, end_date, description, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
        let read = format!("SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p WHERE p.id = $1");
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            bind_partnership(sqlx::query(sql).bind(&id), draft, &dates)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            for e in events {
                insert_event_sql(&id, e, &now).execute(&mut *tx).await.map_err(event_write_error)?;
            }
            let row = sqlx::query(AssertSqlSafe(read)).bind(&id).fetch_one(&mut *tx).await?;
            let entry = audit(&partnership(&row)?);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        self.world_changed();
        Ok(PartnershipId(id))
    }

    /// Replaces a partnership's content and appends history entries, with the audit entry (made
    /// from the partnership as stored after the change), in one transaction.
    pub async fn update_partnership(
        &self,
        id: &PartnershipId,
        draft: &PartnershipDraft,
        events: &[PartnershipEventDraft],
        audit: AuditOf<'_, Partnership>,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let dates = DateColumns::of(draft);
        let sql = "UPDATE partnerships SET home_id = $2, partner_id = $3, kind = $4, initiator = $5, \
                   start_year = $6, start_date = $7, end_year = $8, end_date = $9, description = $10, \
                   updated_at = $11 WHERE id = $1";
        let read = format!("SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p WHERE p.id = $1");
        let result = on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = bind_partnership(sqlx::query(sql).bind(&id.0), draft, &dates)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            for e in events {
                insert_event_sql(&id.0, e, &now).execute(&mut *tx).await.map_err(event_write_error)?;
            }
            let row = sqlx::query(AssertSqlSafe(read)).bind(&id.0).fetch_one(&mut *tx).await?;
            let entry = audit(&partnership(&row)?);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok(())
        });
        if result.is_ok() {
            self.world_changed();
        }
        result
    }

    pub async fn partnership(&self, id: &PartnershipId) -> Result<Option<Partnership>, StoreError> {
        let sql = format!("SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p WHERE p.id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(&id.0).fetch_optional(pool).await?;
            row.as_ref().map(partnership).transpose()
        })
    }

    /// A page of the partnerships entered by any of `homes` (all when `None`), oldest first.
    pub async fn partnerships(
        &self,
        homes: Option<&[MunicipalityId]>,
        page: PageRequest,
    ) -> Result<Page<Partnership>, StoreError> {
        let where_ = match homes {
            Some([]) => {
                return Ok(Page {
                    items: vec![],
                    total: 0,
                    request: page,
                });
            }
            Some(h) => format!("p.home_id IN ({})", placeholders(1, h.len())),
            None => "1 = 1".to_owned(),
        };
        let n = homes.map_or(0, <[_]>::len);
        let count_sql = format!("SELECT COUNT(*) FROM partnerships p WHERE {where_}");
        let list_sql = format!(
            "SELECT {PARTNERSHIP_COLUMNS} FROM partnerships p \
             JOIN municipalities m ON m.id = p.partner_id WHERE {where_} \
             ORDER BY p.start_year, COALESCE(p.start_date, ''), m.search_name, p.id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        on_db!(&self.db, pool => {
            let mut count = sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql));
            let mut list = sqlx::query(AssertSqlSafe(list_sql));
            for h in homes.unwrap_or_default() {
                count = count.bind(&h.0);
                list = list.bind(&h.0);
            }
            let total = count.fetch_one(pool).await?;
            let rows = list.bind(i64::from(page.size)).bind(page.offset()).fetch_all(pool).await?;
            Ok(Page {
                items: rows.iter().map(partnership).collect::<Result<_, _>>()?,
                total: u64::try_from(total).unwrap_or(0),
                request: page,
            })
        })
    }

    /// The ids of every municipality that entered a partnership.
    pub async fn partnership_homes(&self) -> Result<Vec<MunicipalityId>, StoreError> {
        let sql = "SELECT DISTINCT home_id FROM partnerships ORDER BY home_id";
        on_db!(&self.db, pool => {
            let ids = sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await?;
            Ok(ids.into_iter().map(MunicipalityId).collect())
        })
    }

    /// A partnership's history in timeline order: a bare year before dates in that year, and on
    /// the same day what happened before the status change it led to.
    pub async fn partnership_events(
        &self,
        id: &PartnershipId,
    ) -> Result<Vec<PartnershipEvent>, StoreError> {
        let sql = "SELECT id, partnership_id, year, date, kind, status, text FROM partnership_events \
                   WHERE partnership_id = $1 \
                   ORDER BY year, COALESCE(date, ''), CASE WHEN kind = 'status-change' THEN 1 ELSE 0 END, seq";
        on_db!(&self.db, pool => {
            sqlx::query(sql).bind(&id.0).fetch_all(pool).await?.iter().map(event).collect()
        })
    }

    /// Appends one entry to a partnership's history, with its audit entry, in one transaction.
    pub async fn insert_partnership_event(
        &self,
        id: &PartnershipId,
        draft: &PartnershipEventDraft,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        // Two entries added at the same moment may compute the same next number (PostgreSQL,
        // read committed, against a writer that does not hold the audit log's lock): the unique
        // constraint refuses one, which then simply tries again.
        let mut attempt = 0;
        loop {
            let result = on_db!(&self.db, pool => {
                let mut tx = begin_audited!(self, pool);
                insert_event_sql(&id.0, draft, &now)
                    .execute(&mut *tx)
                    .await
                    .map_err(event_write_error)?;
                append_audit!(tx, [audit]);
                tx.commit().await?;
                Ok::<_, StoreError>(())
            });
            match result {
                Err(StoreError::Conflict { .. }) if attempt < 10 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(5 * attempt)).await;
                }
                other => {
                    if other.is_ok() {
                        self.world_changed();
                    }
                    return other;
                }
            }
        }
    }
}

/// A history entry refers only to its partnership: a broken reference means there is none.
fn event_write_error(err: sqlx::Error) -> StoreError {
    match StoreError::from_write(err) {
        StoreError::Database(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
            StoreError::NotFound
        }
        other => other,
    }
}

/// A partnership's dates as their columns: the year, and the full date where known.
struct DateColumns {
    start_year: i64,
    start_date: Option<String>,
    end_year: Option<i64>,
    end_date: Option<String>,
}

impl DateColumns {
    fn of(d: &PartnershipDraft) -> Self {
        let (start_year, start_date) = date_parts(&d.start);
        let (end_year, end_date) = d.end.as_ref().map(date_parts).unzip();
        Self {
            start_year,
            start_date,
            end_year,
            end_date: end_date.flatten(),
        }
    }
}

/// Binds `$2`..`$10` of the partnership statements (home through description).
fn bind_partnership<'q, DB: sqlx::Database>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    d: &'q PartnershipDraft,
    dates: &'q DateColumns,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.bind(d.home.0.as_str())
        .bind(d.partner.0.as_str())
        .bind(d.kind.as_str())
        .bind(d.initiator.as_str())
        .bind(dates.start_year)
        .bind(&dates.start_date)
        .bind(dates.end_year)
        .bind(&dates.end_date)
        .bind(&d.description)
}

fn bind_municipality<'q, DB: sqlx::Database>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    d: &'q MunicipalityDraft,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.bind(d.name.as_str())
        .bind(d.name.folded())
        .bind(d.kind.as_str())
        .bind(d.country.as_str())
        .bind(d.region.as_ref().map(Name::as_str))
        .bind(d.official_code.as_ref().map(OfficialCode::as_str))
        .bind(d.wikidata_id.as_ref().map(WikidataId::as_str))
        .bind(d.coordinates.map(|c| c.latitude()))
        .bind(d.coordinates.map(|c| c.longitude()))
        .bind(d.population.map(|p| i64::try_from(p).unwrap_or(i64::MAX)))
}

/// Inserts a history entry as the partnership's next in order of entry.
pub(crate) fn insert_event_sql<'q, DB: sqlx::Database>(
    partnership: &'q str,
    e: &'q PartnershipEventDraft,
    now: &'q str,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let (year, date) = date_parts(&e.date);
    sqlx::query(
        "INSERT INTO partnership_events (id, partnership_id, seq, year, date, kind, status, text, created_at) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM partnership_events WHERE partnership_id = $2), \
                 $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(partnership)
    .bind(year)
    .bind(date)
    .bind(e.kind.as_str())
    .bind(e.status.map(|s| s.as_str()))
    .bind(e.text.as_str())
    .bind(now)
}
