//! Activities, the figures of their occurrences, and receptions.

use crate::AuditOf;
use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use jiff::civil::{Date, Time};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use stedenband_domain::activity::{
    Activity, ActivityDraft, ActivityStatus, Category, Direction, Frequency, OccurrenceFigures,
    Organiser, Reception, ReceptionStatus, Recurrence, Schedule, Zone, from_cents, to_cents,
};
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::{Name, PartnershipId};

const COLUMNS: &str = "id, partnership_id, working_group_id, title, description, start_on, \
     start_time, end_on, end_time, timezone, place, direction, category, participants_home, \
     participants_partner, status, outcomes, links, public, recurrence, recurrence_until";

fn date(raw: &str, key: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| corrupt("activity", key))
}

fn time(raw: Option<String>, key: &str) -> Result<Option<Time>, StoreError> {
    raw.map(|t| t.parse().map_err(|_| corrupt("activity", key)))
        .transpose()
}

fn count(v: i64, key: &str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt("activity", key))
}

fn activity(row: &impl Get) -> Result<Activity, StoreError> {
    let bad = |key: &str| corrupt("activity", key);
    let recurrence = match row.opt_text("recurrence")? {
        None => None,
        Some(f) => Some(Recurrence {
            frequency: Frequency::parse(&f).map_err(bad)?,
            until: row
                .opt_text("recurrence_until")?
                .map(|d| date(&d, "recurrence_until"))
                .transpose()?,
        }),
    };
    Ok(Activity {
        id: row.text("id")?,
        draft: ActivityDraft {
            partnership: PartnershipId(row.text("partnership_id")?),
            organiser: match row.opt_text("working_group_id")? {
                Some(g) => Organiser::WorkingGroup(g),
                None => Organiser::Municipality,
            },
            title: Name::parse(&row.text("title")?).map_err(bad)?,
            description: row.opt_text("description")?,
            schedule: Schedule {
                start: date(&row.text("start_on")?, "start_on")?,
                start_time: time(row.opt_text("start_time")?, "start_time")?,
                end: date(&row.text("end_on")?, "end_on")?,
                end_time: time(row.opt_text("end_time")?, "end_time")?,
                zone: Zone::parse(&row.text("timezone")?).map_err(bad)?,
            },
            place: row.opt_text("place")?,
            direction: Direction::parse(&row.text("direction")?).map_err(bad)?,
            category: Category::parse(&row.text("category")?).map_err(bad)?,
            participants_home: count(row.int("participants_home")?, "participants_home")?,
            participants_partner: count(row.int("participants_partner")?, "participants_partner")?,
            status: ActivityStatus::parse(&row.text("status")?).map_err(bad)?,
            outcomes: row.opt_text("outcomes")?,
            links: row
                .text("links")?
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            public: row.int("public")? != 0,
            recurrence,
        },
    })
}

/// Which activities to list. Empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub partnerships: Vec<String>,
    pub working_group: Option<String>,
    pub category: Option<Category>,
    /// Only activities (or recurring ones) that may have an occurrence overlapping this span.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub public_only: bool,
}

fn hhmm(t: Option<Time>) -> Option<String> {
    t.map(|t| t.strftime("%H:%M").to_string())
}

impl Store {
    /// Stores a new activity with its audit entry (made from the activity as stored), in one
    /// transaction.
    pub async fn insert_activity(
        &self,
        draft: &ActivityDraft,
        audit: AuditOf<'_, Activity>,
    ) -> Result<Activity, StoreError> {
        let a = Activity {
            id: new_id(),
            draft: draft.clone(),
        };
        self.write_activity(&a, true, &audit(&a)).await?;
        Ok(a)
    }

    /// Replaces an activity's content, with its audit entry (made from the activity as stored),
    /// in one transaction; [`StoreError::NotFound`] (and no entry) when there is none.
    pub async fn update_activity(
        &self,
        id: &str,
        draft: &ActivityDraft,
        audit: AuditOf<'_, Activity>,
    ) -> Result<Activity, StoreError> {
        let a = Activity {
            id: id.to_owned(),
            draft: draft.clone(),
        };
        self.write_activity(&a, false, &audit(&a)).await?;
        Ok(a)
    }

    async fn write_activity(
        &self,
        a: &Activity,
        insert: bool,
        entry: &AuditDraft,
    ) -> Result<(), StoreError> {
        let sql = if insert {
            "INSERT INTO activities (id, partnership_id, working_group_id, title, description, \
             start_on, start_time, end_on, end_time, timezone, place, direction, category, \
             participants_home, participants_partner, status, outcomes, links, public, recurrence, \
             recurrence_until, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)"
        } else {
            "UPDATE activities SET partnership_id = $2, working_group_id = $3, title = $4, \
             description = $5, start_on = $6, start_time = $7, end_on = $8, end_time = $9, \
             timezone = $10, place = $11, direction = $12, category = $13, participants_home = $14, \
             participants_partner = $15, status = $16, outcomes = $17, links = $18, public = $19, \
             recurrence = $20, recurrence_until = $21, updated_at = $22 WHERE id = $1"
        };
        let d = &a.draft;
        let group = match &d.organiser {
            Organiser::WorkingGroup(g) => Some(g.as_str()),
            Organiser::Municipality => None,
        };
        let s = &d.schedule;
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(sql)
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
                .bind(now_text())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(tx, [entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    pub async fn activity(&self, id: &str) -> Result<Option<Activity>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM activities WHERE id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            row.as_ref().map(activity).transpose()
        })
    }

    /// Activities by the filter, by start date. A recurring activity matches a period when its
    /// first occurrence starts before the period ends (its later ones may fall inside).
    pub async fn activities(&self, f: &ActivityFilter) -> Result<Vec<Activity>, StoreError> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut binds: Vec<String> = Vec::new();
        let next = |v: String, binds: &mut Vec<String>| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if !f.partnerships.is_empty() {
            let ps: Vec<String> = f
                .partnerships
                .iter()
                .map(|p| next(p.clone(), &mut binds))
                .collect();
            conditions.push(format!("partnership_id IN ({})", ps.join(", ")));
        }
        if let Some(g) = &f.working_group {
            conditions.push(format!(
                "working_group_id = {}",
                next(g.clone(), &mut binds)
            ));
        }
        if let Some(c) = f.category {
            conditions.push(format!(
                "category = {}",
                next(c.as_str().into(), &mut binds)
            ));
        }
        if let Some(to) = f.to {
            conditions.push(format!("start_on <= {}", next(to.to_string(), &mut binds)));
        }
        if let Some(from) = f.from {
            let p = next(from.to_string(), &mut binds);
            conditions.push(format!(
                "(end_on >= {p} OR (recurrence IS NOT NULL AND \
                 (recurrence_until IS NULL OR recurrence_until >= {p})))"
            ));
        }
        if f.public_only {
            conditions.push("public = 1".to_owned());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM activities WHERE {} ORDER BY start_on, start_time, id",
            conditions.join(" AND ")
        );
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in &binds {
                q = q.bind(b);
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter().map(activity).collect()
        })
    }

    /// Sets the figures of one occurrence (replacing earlier ones), with its audit entry, in
    /// one transaction.
    pub async fn set_occurrence_figures(
        &self,
        activity: &str,
        f: &OccurrenceFigures,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query("DELETE FROM activity_occurrences WHERE activity_id = $1 AND occurrence_on = $2")
                .bind(activity)
                .bind(f.occurrence_on.to_string())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO activity_occurrences (activity_id, occurrence_on, participants_home, \
                 participants_partner, costs_cents, notes, cancelled) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
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
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// The figures recorded for an activity's occurrences, by date.
    pub async fn occurrence_figures(
        &self,
        activity: &str,
    ) -> Result<Vec<OccurrenceFigures>, StoreError> {
        let mut all = self.occurrence_figures_of(&[activity.to_owned()]).await?;
        Ok(all.remove(activity).unwrap_or_default())
    }

    /// The figures recorded for the occurrences of several activities (by activity id, each
    /// by date), in one query per few hundred activities.
    pub async fn occurrence_figures_of(
        &self,
        activities: &[String],
    ) -> Result<HashMap<String, Vec<OccurrenceFigures>>, StoreError> {
        let mut out: HashMap<String, Vec<OccurrenceFigures>> = HashMap::new();
        for chunk in activities.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT activity_id, occurrence_on, participants_home, participants_partner, \
                 costs_cents, notes, cancelled FROM activity_occurrences \
                 WHERE activity_id IN ({}) ORDER BY activity_id, occurrence_on",
                marks.join(", ")
            );
            let rows: Vec<(String, OccurrenceFigures)> = on_db!(&self.db, pool => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for a in chunk {
                    q = q.bind(a);
                }
                let rows = q.fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok((r.text("activity_id")?, figures(r)?)))
                    .collect::<Result<Vec<_>, StoreError>>()
            })?;
            for (a, f) in rows {
                out.entry(a).or_default().push(f);
            }
        }
        Ok(out)
    }

    pub async fn reception(&self, activity: &str) -> Result<Option<Reception>, StoreError> {
        let sql = "SELECT activity_id, status, scheduled_on, scheduled_at, received_by, note \
                   FROM receptions WHERE activity_id = $1";
        on_db!(&self.db, pool => {
            let row = sqlx::query(sql).bind(activity).fetch_optional(pool).await?;
            row.as_ref().map(reception).transpose()
        })
    }

    /// The receptions still open (requested, accepted, scheduled) for these partnerships.
    pub async fn open_receptions(
        &self,
        partnerships: &[String],
    ) -> Result<Vec<Reception>, StoreError> {
        if partnerships.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = (1..=partnerships.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT r.activity_id, r.status, r.scheduled_on, r.scheduled_at, r.received_by, r.note \
             FROM receptions r JOIN activities a ON a.id = r.activity_id \
             WHERE r.status IN ('requested', 'accepted', 'scheduled') AND a.partnership_id IN ({}) \
             ORDER BY a.start_on, a.id",
            marks.join(", ")
        );
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for p in partnerships {
                q = q.bind(p);
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter().map(reception).collect()
        })
    }

    /// Asks for a reception, with its audit entry (made from the reception as stored), in one
    /// transaction; a second request for the same activity is a conflict (and no entry).
    pub async fn insert_reception(
        &self,
        activity: &str,
        audit: AuditOf<'_, Reception>,
    ) -> Result<Reception, StoreError> {
        let now = now_text();
        let r = Reception {
            activity: activity.to_owned(),
            status: ReceptionStatus::Requested,
            scheduled_on: None,
            scheduled_at: None,
            received_by: None,
            note: None,
        };
        let entry = audit(&r);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO receptions (activity_id, status, requested_at, updated_at) \
                 VALUES ($1, 'requested', $2, $2)",
            )
            .bind(activity)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(r)
    }

    /// Moves a reception on, if it is still in `from` (another request may have moved it),
    /// with its audit entry, in one transaction: false (and no entry) when it was not.
    pub async fn step_reception(
        &self,
        from: ReceptionStatus,
        r: &Reception,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE receptions SET status = $3, scheduled_on = $4, scheduled_at = $5, \
                 received_by = $6, note = $7, updated_at = $8 WHERE activity_id = $1 AND status = $2",
            )
            .bind(&r.activity)
            .bind(from.as_str())
            .bind(r.status.as_str())
            .bind(r.scheduled_on.map(|d| d.to_string()))
            .bind(hhmm(r.scheduled_at))
            .bind(&r.received_by)
            .bind(&r.note)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }
}

fn figures(r: &impl Get) -> Result<OccurrenceFigures, StoreError> {
    let opt = |k: &str| -> Result<Option<u32>, StoreError> {
        r.opt_int(k)?.map(|v| count(v, k)).transpose()
    };
    Ok(OccurrenceFigures {
        occurrence_on: date(&r.text("occurrence_on")?, "occurrence_on")?,
        participants_home: opt("participants_home")?,
        participants_partner: opt("participants_partner")?,
        costs: r.opt_int("costs_cents")?.map(from_cents),
        notes: r.opt_text("notes")?,
        cancelled: r.int("cancelled")? != 0,
    })
}

fn reception(row: &impl Get) -> Result<Reception, StoreError> {
    let bad = |key: &str| corrupt("reception", key);
    Ok(Reception {
        activity: row.text("activity_id")?,
        status: ReceptionStatus::parse(&row.text("status")?).map_err(bad)?,
        scheduled_on: row
            .opt_text("scheduled_on")?
            .map(|d| d.parse().map_err(|_| bad("scheduled_on")))
            .transpose()?,
        scheduled_at: time(row.opt_text("scheduled_at")?, "scheduled_at")?,
        received_by: row.opt_text("received_by")?,
        note: row.opt_text("note")?,
    })
}
