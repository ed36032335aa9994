//! Participants of activities listed by name.

use crate::AuditOf;
use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use jiff::civil::Date;
use stedenband_domain::Name;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::participant::{Participant, Who};

const COLUMNS: &str = "id, activity_id, person_id, guest_name, town_id, recorded_on, anonymised_on";

fn date(raw: &str, key: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| corrupt("participant", key))
}

fn participant(row: &impl Get) -> Result<Participant, StoreError> {
    Ok(Participant {
        id: row.text("id")?,
        activity: row.text("activity_id")?,
        person: row.opt_text("person_id")?,
        guest_name: row
            .opt_text("guest_name")?
            .map(|n| Name::parse(&n).map_err(|_| corrupt("participant", "guest_name")))
            .transpose()?,
        town: row.text("town_id")?,
        recorded_on: date(&row.text("recorded_on")?, "recorded_on")?,
        anonymised_on: row
            .opt_text("anonymised_on")?
            .map(|d| date(&d, "anonymised_on"))
            .transpose()?,
    })
}

/// A guest whose name is kept, with the last day of the activity it was recorded for.
#[derive(Debug, Clone)]
pub struct GuestRecord {
    pub participant: Participant,
    pub activity_end: Date,
}

impl Store {
    /// Lists a participant, with its audit entry (made from the participant as stored), in one
    /// transaction; the same person twice, or the same guest name from the same town twice, on
    /// one activity is a [`StoreError::Conflict`] on `participant` (and no entry).
    pub async fn insert_participant(
        &self,
        activity: &str,
        who: &Who,
        town: &str,
        today: Date,
        audit: AuditOf<'_, Participant>,
    ) -> Result<Participant, StoreError> {
        let (person, guest) = match who {
            Who::Person { id } => (Some(id.as_str()), None),
            Who::Guest { name } => (None, Some(name.as_str())),
        };
        let p = Participant {
            id: new_id(),
            activity: activity.to_owned(),
            person: person.map(str::to_owned),
            guest_name: match who {
                Who::Guest { name } => Some(name.clone()),
                Who::Person { .. } => None,
            },
            town: town.to_owned(),
            recorded_on: today,
            anonymised_on: None,
        };
        let entry = audit(&p);
        let sql = "INSERT INTO activity_participants (id, activity_id, person_id, guest_name, \
                   town_id, recorded_on) VALUES ($1, $2, $3, $4, $5, $6)";
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(sql)
                .bind(&p.id)
                .bind(activity)
                .bind(person)
                .bind(guest)
                .bind(town)
                .bind(today.to_string())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(p)
    }

    /// The participants of an activity, in the order they were listed.
    pub async fn participants(&self, activity: &str) -> Result<Vec<Participant>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM activity_participants WHERE activity_id = $1 \
             ORDER BY recorded_on, id"
        );
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(activity).fetch_all(pool).await?;
            rows.iter().map(participant).collect()
        })
    }

    pub async fn participant(&self, id: &str) -> Result<Option<Participant>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM activity_participants WHERE id = $1");
        on_db!(&self.db, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
            row.as_ref().map(participant).transpose()
        })
    }

    /// Removes a participant from an activity's list, with its audit entry, in one
    /// transaction; false (and no entry) when there was none.
    pub async fn delete_participant(
        &self,
        activity: &str,
        id: &str,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "DELETE FROM activity_participants WHERE id = $1 AND activity_id = $2",
            )
            .bind(id)
            .bind(activity)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }

    /// Every guest whose name is still kept, with the end of their activity (for retention).
    pub async fn named_guests(&self) -> Result<Vec<GuestRecord>, StoreError> {
        let sql = "SELECT p.id, p.activity_id, p.person_id, p.guest_name, p.town_id, \
                   p.recorded_on, p.anonymised_on, a.end_on FROM activity_participants p \
                   JOIN activities a ON a.id = p.activity_id \
                   WHERE p.guest_name IS NOT NULL ORDER BY p.recorded_on, p.id";
        on_db!(&self.db, pool => {
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(GuestRecord {
                        participant: participant(r)?,
                        activity_end: date(&r.text("end_on")?, "end_on")?,
                    })
                })
                .collect()
        })
    }

    /// Empties a guest's name (retention), with its audit entry, in one transaction. False
    /// (and no entry) when it was already empty.
    pub async fn anonymise_guest(
        &self,
        id: &str,
        today: Date,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE activity_participants SET guest_name = NULL, anonymised_on = $2 \
                 WHERE id = $1 AND guest_name IS NOT NULL",
            )
            .bind(id)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
            Ok::<_, StoreError>(true)
        })
    }
}
