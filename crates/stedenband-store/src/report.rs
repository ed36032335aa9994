//! Reads for reports, and writes in bulk.
//!
//! A report over twenty years reads every activity, occurrence figure and ledger line of a
//! municipality's partnerships: the reads here take only the columns a report counts (no
//! texts), the figures in one joined query and each ledger line with its activity's
//! partnership, so that reading 20,000 of each stays quick. The bulk writes put many valid
//! records in one transaction (a generated data set for the report benchmark, later an
//! import); they check nothing beyond what the schema checks, so their input must come from
//! the domain's parsers.

use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use stedenband_domain::activity::{
    Activity, ActivityDraft, ActivityStatus, Category, Direction, Frequency, OccurrenceFigures,
    Organiser, Recurrence, Schedule, Zone, from_cents, to_cents,
};
use stedenband_domain::funding::TransactionDraft;
use stedenband_domain::money::{Euros, ExpenseCategory, Flow, IncomeSource};

/// Bind parameters per statement: well below SQLite's and PostgreSQL's limits.
const CHUNK: usize = 500;

fn hhmm(t: Option<jiff::civil::Time>) -> Option<String> {
    t.map(|t| t.strftime("%H:%M").to_string())
}

/// An activity as a report counts it: its partnership, days, recurrence, kind and figures
/// (not its texts, times or zone: a report counts days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedActivity {
    pub id: String,
    pub partnership: String,
    /// Start and end day; no times, the default zone.
    pub schedule: Schedule,
    pub recurrence: Option<Recurrence>,
    pub status: ActivityStatus,
    pub direction: Direction,
    pub category: Category,
    pub participants_home: u32,
    pub participants_partner: u32,
}

/// Ledger lines as a report counts them: the sum of a working group's lines of one year with
/// the same flow (source or category) and booked on an activity of the same partnership (or
/// on none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedLine {
    pub working_group: String,
    pub year: i16,
    pub flow: Flow,
    pub amount: Euros,
    pub activity_partnership: Option<String>,
}

/// Which activities a report reads: those of these partnerships that start by `to` and may
/// have held occurrences (held, or confirmed: a confirmed series' past occurrences count),
/// only public ones when asked.
#[derive(Debug, Clone)]
pub struct CountedFilter<'a> {
    pub partnerships: &'a [String],
    pub to: Date,
    pub public_only: bool,
}

fn day(raw: &str, what: &str, key: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| corrupt(what, key))
}

fn count(v: i64, key: &str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt("activity", key))
}

fn counted_activity(r: &impl Get) -> Result<CountedActivity, StoreError> {
    let bad = |k: &str| corrupt("activity", k);
    let recurrence = match r.opt_text("recurrence")? {
        None => None,
        Some(f) => Some(Recurrence {
            frequency: Frequency::parse(&f).map_err(bad)?,
            until: r
                .opt_text("recurrence_until")?
                .map(|d| day(&d, "activity", "recurrence_until"))
                .transpose()?,
        }),
    };
    Ok(CountedActivity {
        id: r.text("id")?,
        partnership: r.text("partnership_id")?,
        schedule: Schedule {
            start: day(&r.text("start_on")?, "activity", "start_on")?,
            start_time: None,
            end: day(&r.text("end_on")?, "activity", "end_on")?,
            end_time: None,
            zone: Zone::default(),
        },
        recurrence,
        status: ActivityStatus::parse(&r.text("status")?).map_err(bad)?,
        direction: Direction::parse(&r.text("direction")?).map_err(bad)?,
        category: Category::parse(&r.text("category")?).map_err(bad)?,
        participants_home: count(r.int("participants_home")?, "participants_home")?,
        participants_partner: count(r.int("participants_partner")?, "participants_partner")?,
    })
}

fn counted_figures(r: &impl Get) -> Result<(String, OccurrenceFigures), StoreError> {
    let opt = |k: &str| -> Result<Option<u32>, StoreError> {
        r.opt_int(k)?.map(|v| count(v, k)).transpose()
    };
    Ok((
        r.text("activity_id")?,
        OccurrenceFigures {
            occurrence_on: day(&r.text("occurrence_on")?, "occurrence", "occurrence_on")?,
            participants_home: opt("participants_home")?,
            participants_partner: opt("participants_partner")?,
            costs: r.opt_int("costs_cents")?.map(from_cents),
            notes: None,
            cancelled: r.int("cancelled")? != 0,
        },
    ))
}

fn counted_line(r: &impl Get) -> Result<CountedLine, StoreError> {
    let bad = |k: &str| corrupt("transaction", k);
    let flow = match r.text("direction")?.as_str() {
        "income" => Flow::Income(
            IncomeSource::parse(&r.opt_text("source")?.unwrap_or_default()).map_err(bad)?,
        ),
        "expense" => Flow::Expense(
            ExpenseCategory::parse(&r.opt_text("category")?.unwrap_or_default()).map_err(bad)?,
        ),
        _ => return Err(bad("direction")),
    };
    Ok(CountedLine {
        working_group: r.text("working_group_id")?,
        year: i16::try_from(r.int("year")?).map_err(|_| bad("on_date"))?,
        flow,
        amount: Euros::from_cents(r.int("amount_cents")?),
        activity_partnership: r.opt_text("partnership_id")?,
    })
}

/// `$first, …` for `n` bind parameters after `first - 1` others.
fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The activities a report counts ([`CountedFilter`]), in one query per 500 partnerships.
    pub async fn counted_activities(
        &self,
        f: &CountedFilter<'_>,
    ) -> Result<Vec<CountedActivity>, StoreError> {
        let mut out = Vec::new();
        for chunk in f.partnerships.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, partnership_id, start_on, end_on, recurrence, recurrence_until, \
                 status, direction, category, participants_home, participants_partner \
                 FROM activities WHERE partnership_id IN ({}) AND start_on <= $1 \
                 AND status IN ('held', 'confirmed'){}",
                marks(2, chunk.len()),
                if f.public_only { " AND public = 1" } else { "" }
            );
            let rows: Vec<CountedActivity> = on_db!(&self.db, pool => {
                let mut q = sqlx::query(AssertSqlSafe(sql)).bind(f.to.to_string());
                for p in chunk {
                    q = q.bind(p);
                }
                let rows = q.fetch_all(pool).await?;
                rows.iter().map(counted_activity).collect::<Result<Vec<_>, StoreError>>()?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// The figures recorded for the occurrences of the activities a report counts, up to
    /// `to` (by activity id), in one query per 500 partnerships. Notes are not read. Few
    /// occurrences have figures: the query starts from them (`CROSS JOIN` keeps SQLite from
    /// starting at the activities).
    pub async fn counted_figures(
        &self,
        f: &CountedFilter<'_>,
    ) -> Result<HashMap<String, Vec<OccurrenceFigures>>, StoreError> {
        let mut out: HashMap<String, Vec<OccurrenceFigures>> = HashMap::new();
        for chunk in f.partnerships.chunks(CHUNK) {
            let sql = format!(
                "SELECT o.activity_id, o.occurrence_on, o.participants_home, \
                 o.participants_partner, o.costs_cents, o.cancelled \
                 FROM activity_occurrences o CROSS JOIN activities a \
                 WHERE a.id = o.activity_id AND a.partnership_id IN ({}) \
                 AND a.start_on <= $1 AND o.occurrence_on <= $1 \
                 AND a.status IN ('held', 'confirmed'){}",
                marks(2, chunk.len()),
                if f.public_only {
                    " AND a.public = 1"
                } else {
                    ""
                }
            );
            let rows: Vec<(String, OccurrenceFigures)> = on_db!(&self.db, pool => {
                let mut q = sqlx::query(AssertSqlSafe(sql)).bind(f.to.to_string());
                for p in chunk {
                    q = q.bind(p);
                }
                let rows = q.fetch_all(pool).await?;
                rows.iter().map(counted_figures).collect::<Result<Vec<_>, StoreError>>()?
            });
            for (a, figures) in rows {
                out.entry(a).or_default().push(figures);
            }
        }
        Ok(out)
    }

    /// The ledger lines of these working groups dated `from..=to`, summed per group, year,
    /// flow and partnership of the activity they are booked on ([`CountedLine`]), in one
    /// query per 500 groups.
    pub async fn counted_lines(
        &self,
        working_groups: &[String],
        from: Date,
        to: Date,
    ) -> Result<Vec<CountedLine>, StoreError> {
        let mut out = Vec::new();
        for chunk in working_groups.chunks(CHUNK) {
            let sql = format!(
                "SELECT t.working_group_id, CAST(substr(t.on_date, 1, 4) AS BIGINT) AS year, \
                 t.direction, t.source, t.category, a.partnership_id, \
                 CAST(SUM(t.amount_cents) AS BIGINT) AS amount_cents \
                 FROM transactions t LEFT JOIN activities a ON a.id = t.activity_id \
                 WHERE t.working_group_id IN ({}) AND t.on_date >= $1 AND t.on_date <= $2 \
                 GROUP BY t.working_group_id, substr(t.on_date, 1, 4), t.direction, t.source, \
                 t.category, a.partnership_id",
                marks(3, chunk.len())
            );
            let rows: Vec<CountedLine> = on_db!(&self.db, pool => {
                let mut q = sqlx::query(AssertSqlSafe(sql))
                    .bind(from.to_string())
                    .bind(to.to_string());
                for g in chunk {
                    q = q.bind(g);
                }
                let rows = q.fetch_all(pool).await?;
                rows.iter().map(counted_line).collect::<Result<Vec<_>, StoreError>>()?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// Stores many activities in one transaction (all or none), with new ids.
    pub async fn insert_activities(
        &self,
        drafts: &[ActivityDraft],
    ) -> Result<Vec<Activity>, StoreError> {
        let sql = "INSERT INTO activities (id, partnership_id, working_group_id, title, \
                   description, start_on, start_time, end_on, end_time, timezone, place, direction, \
                   category, participants_home, participants_partner, status, outcomes, links, \
                   public, recurrence, recurrence_until, created_at, updated_at) VALUES ($1, $2, \
                   $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
                   $20, $21, $22, $22)";
        let now = now_text();
        let out: Vec<Activity> = drafts
            .iter()
            .map(|d| Activity {
                id: new_id(),
                draft: d.clone(),
            })
            .collect();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            for a in &out {
                let d = &a.draft;
                let s = &d.schedule;
                let group = match &d.organiser {
                    Organiser::WorkingGroup(g) => Some(g.as_str()),
                    Organiser::Municipality => None,
                };
                sqlx::query(sql)
                    .bind(&a.id)
                    .bind(&d.partnership.0)
                    .bind(group)
                    .bind(d.title.as_str())
                    .bind(&d.description)
                    .bind(s.start.to_string())
                    .bind(hhmm(s.start_time))
                    .bind(s.end.to_string())
                    .bind(hhmm(s.end_time))
                    .bind(s.zone.as_str())
                    .bind(&d.place)
                    .bind(d.direction.as_str())
                    .bind(d.category.as_str())
                    .bind(i64::from(d.participants_home))
                    .bind(i64::from(d.participants_partner))
                    .bind(d.status.as_str())
                    .bind(&d.outcomes)
                    .bind(d.links.join("\n"))
                    .bind(i64::from(d.public))
                    .bind(d.recurrence.map(|r| r.frequency.as_str()))
                    .bind(d.recurrence.and_then(|r| r.until).map(|u| u.to_string()))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// Stores the figures of many occurrences (activity id, figures) in one transaction; an
    /// occurrence may have figures once.
    pub async fn insert_occurrence_figures(
        &self,
        figures: &[(String, OccurrenceFigures)],
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO activity_occurrences (activity_id, occurrence_on, \
                   participants_home, participants_partner, costs_cents, notes, cancelled) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            for (activity, f) in figures {
                sqlx::query(sql)
                    .bind(activity)
                    .bind(f.occurrence_on.to_string())
                    .bind(f.participants_home.map(i64::from))
                    .bind(f.participants_partner.map(i64::from))
                    .bind(f.costs.map(to_cents))
                    .bind(&f.notes)
                    .bind(i64::from(f.cancelled))
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores many ledger lines in one transaction (all or none); returns their ids.
    pub async fn insert_transactions(
        &self,
        drafts: &[TransactionDraft],
        illustrative: bool,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "INSERT INTO transactions (id, working_group_id, on_date, direction, source, \
                   category, amount_cents, activity_id, subsidy_id, description, document, \
                   illustrative, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        let now = now_text();
        let ids: Vec<String> = drafts.iter().map(|_| new_id()).collect();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            for (id, d) in ids.iter().zip(drafts) {
                let (direction, source, category) = match d.flow {
                    Flow::Income(s) => ("income", Some(s.as_str()), None),
                    Flow::Expense(c) => ("expense", None, Some(c.as_str())),
                };
                sqlx::query(sql)
                    .bind(id)
                    .bind(&d.working_group)
                    .bind(d.date.to_string())
                    .bind(direction)
                    .bind(source)
                    .bind(category)
                    .bind(d.amount.cents())
                    .bind(&d.activity)
                    .bind(&d.subsidy)
                    .bind(&d.description)
                    .bind(d.document.as_ref().map(|x| x.to_string()))
                    .bind(i64::from(illustrative))
                    .bind(&now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            tx.commit().await?;
        });
        Ok(ids)
    }
}
