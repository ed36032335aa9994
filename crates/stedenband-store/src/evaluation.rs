//! Evaluations: the record itself, the partnerships it covers, its criteria, conclusions and
//! recommendations (each with its follow-up), written in one transaction and read back in the
//! order they were entered.

use crate::decision::{append_audit, begin_audited};
use crate::error::corrupt;
use crate::register::AuditOf;
use crate::rows::Get;
use crate::{Store, StoreError, new_id, now_text, on_db};
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;
use stedenband_domain::Name;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::evaluation::{
    Criterion, EvaluationDraft, FollowUp, FollowUpStatus, Period, Recommendation, parse_long_text,
};
use stedenband_domain::report::Aspect;

/// A stored evaluation. `draft.municipality` is the evaluating municipality's id,
/// `draft.partnerships` the partnerships' ids in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationRecord {
    pub id: String,
    pub draft: EvaluationDraft,
}

const COLUMNS: &str = "e.id, e.municipality_id, e.year, e.title, e.commissioned_by, \
     e.carried_out_by, e.occasion, e.occasion_decision_id, e.research_question, e.period_from, \
     e.period_to";

fn bad(k: &str) -> StoreError {
    corrupt("evaluation", k)
}

fn name(raw: Option<String>, k: &str) -> Result<Option<Name>, StoreError> {
    raw.map(|v| Name::parse(&v).map_err(|_| bad(k))).transpose()
}

fn long_text(raw: String, k: &str) -> Result<String, StoreError> {
    parse_long_text(&raw).map_err(|_| bad(k))
}

fn year(v: i64, k: &str) -> Result<i16, StoreError> {
    i16::try_from(v).map_err(|_| bad(k))
}

fn position(i: usize) -> i64 {
    i64::try_from(i).expect("a handful of items")
}

/// The evaluation's own row, its lists still empty.
fn evaluation(r: &impl Get) -> Result<EvaluationRecord, StoreError> {
    let period = match (r.opt_int("period_from")?, r.opt_int("period_to")?) {
        (None, None) => None,
        (Some(f), Some(t)) => Some(
            Period::new(year(f, "period_from")?, year(t, "period_to")?)
                .map_err(|_| bad("period"))?,
        ),
        _ => return Err(bad("period")),
    };
    Ok(EvaluationRecord {
        id: r.text("id")?,
        draft: EvaluationDraft {
            municipality: r.text("municipality_id")?,
            year: year(r.int("year")?, "year")?,
            title: Name::parse(&r.text("title")?).map_err(|_| bad("title"))?,
            commissioned_by: name(r.opt_text("commissioned_by")?, "commissioned_by")?,
            carried_out_by: name(r.opt_text("carried_out_by")?, "carried_out_by")?,
            occasion: name(r.opt_text("occasion")?, "occasion")?,
            occasion_decision: r.opt_text("occasion_decision_id")?,
            research_question: r
                .opt_text("research_question")?
                .map(|q| long_text(q, "research_question"))
                .transpose()?,
            period,
            partnerships: Vec::new(),
            criteria: Vec::new(),
            conclusions: Vec::new(),
            recommendations: Vec::new(),
        },
    })
}

fn follow_up(r: &impl Get) -> Result<FollowUp, StoreError> {
    let status = FollowUpStatus::parse(&r.text("status")?).map_err(|_| bad("status"))?;
    let date = r
        .opt_text("status_on")?
        .map(|d| d.parse::<Date>().map_err(|_| bad("status_on")))
        .transpose()?;
    let note = r
        .opt_text("note")?
        .map(|n| long_text(n, "note"))
        .transpose()?;
    FollowUp::new(status, date, note).map_err(|_| bad("status_on"))
}

/// Which evaluations to read: a condition on `e` with its values.
struct Filter {
    condition: String,
    binds: Vec<String>,
}

impl Store {
    /// Stores an evaluation with everything in it and its audit entry (made from the new id),
    /// in one transaction.
    pub async fn insert_evaluation(
        &self,
        d: &EvaluationDraft,
        audit: AuditOf<'_, str>,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = now_text();
        let entry = audit(&id);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO evaluations (id, municipality_id, year, title, commissioned_by, \
                 carried_out_by, occasion, occasion_decision_id, research_question, period_from, \
                 period_to, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            )
            .bind(&id)
            .bind(&d.municipality)
            .bind(i64::from(d.year))
            .bind(d.title.as_str())
            .bind(d.commissioned_by.as_ref().map(|n| n.as_str()))
            .bind(d.carried_out_by.as_ref().map(|n| n.as_str()))
            .bind(d.occasion.as_ref().map(|n| n.as_str()))
            .bind(&d.occasion_decision)
            .bind(&d.research_question)
            .bind(d.period.map(|p| i64::from(p.from)))
            .bind(d.period.map(|p| i64::from(p.to)))
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            for (i, p) in d.partnerships.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO evaluation_partnerships (evaluation_id, position, partnership_id) \
                     VALUES ($1, $2, $3)",
                )
                .bind(&id)
                .bind(position(i))
                .bind(p)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            for (i, c) in d.criteria.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO evaluation_criteria (evaluation_id, position, name, aspect, \
                     finding) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&id)
                .bind(position(i))
                .bind(c.name.as_str())
                .bind(c.aspect.as_str())
                .bind(&c.finding)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            for (i, c) in d.conclusions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO evaluation_conclusions (evaluation_id, position, text) \
                     VALUES ($1, $2, $3)",
                )
                .bind(&id)
                .bind(position(i))
                .bind(c)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            for (i, r) in d.recommendations.iter().enumerate() {
                let f = &r.follow_up;
                sqlx::query(
                    "INSERT INTO evaluation_recommendations (evaluation_id, position, text, \
                     status, status_on, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&id)
                .bind(position(i))
                .bind(&r.text)
                .bind(f.status.as_str())
                .bind(f.date.map(|d| d.to_string()))
                .bind(&f.note)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Records what became of recommendation number `position` (0-based) of an evaluation;
    /// [`StoreError::NotFound`] when the evaluation has no such recommendation (nothing is
    /// written then). The audit entry is appended in the same transaction.
    pub async fn set_follow_up(
        &self,
        evaluation: &str,
        position: usize,
        f: &FollowUp,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE evaluation_recommendations SET status = $3, status_on = $4, note = $5, \
                 updated_at = $6 WHERE evaluation_id = $1 AND position = $2",
            )
            .bind(evaluation)
            .bind(self::position(position))
            .bind(f.status.as_str())
            .bind(f.date.map(|d| d.to_string()))
            .bind(&f.note)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?
            .rows_affected();
            if done != 1 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE evaluations SET updated_at = $2 WHERE id = $1")
                .bind(evaluation)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            append_audit!(tx, [audit]);
            tx.commit().await?;
        });
        Ok(())
    }

    /// One evaluation with everything in it.
    pub async fn evaluation(&self, id: &str) -> Result<Option<EvaluationRecord>, StoreError> {
        let found = self
            .load_evaluations(Filter {
                condition: "e.id = $1".into(),
                binds: vec![id.to_owned()],
            })
            .await?;
        Ok(found.into_iter().next())
    }

    /// The evaluations of these municipalities (ids; empty: of all), oldest first, then by
    /// title.
    pub async fn evaluations(
        &self,
        municipalities: &[String],
    ) -> Result<Vec<EvaluationRecord>, StoreError> {
        let filter = if municipalities.is_empty() {
            Filter {
                condition: "1 = 1".into(),
                binds: Vec::new(),
            }
        } else {
            let marks: Vec<String> = (1..=municipalities.len())
                .map(|n| format!("${n}"))
                .collect();
            Filter {
                condition: format!("e.municipality_id IN ({})", marks.join(", ")),
                binds: municipalities.to_vec(),
            }
        };
        self.load_evaluations(filter).await
    }

    async fn load_evaluations(&self, f: Filter) -> Result<Vec<EvaluationRecord>, StoreError> {
        let main = format!(
            "SELECT {COLUMNS} FROM evaluations e WHERE {} ORDER BY e.year, e.title, e.id",
            f.condition
        );
        let child = |cols: &str, table: &str| {
            format!(
                "SELECT c.evaluation_id, c.position, {cols} FROM {table} c \
                 JOIN evaluations e ON e.id = c.evaluation_id WHERE {} \
                 ORDER BY c.evaluation_id, c.position",
                f.condition
            )
        };
        let partnerships_sql = child("c.partnership_id", "evaluation_partnerships");
        let criteria_sql = child("c.name, c.aspect, c.finding", "evaluation_criteria");
        let conclusions_sql = child("c.text", "evaluation_conclusions");
        let recommendations_sql = child(
            "c.text, c.status, c.status_on, c.note",
            "evaluation_recommendations",
        );
        on_db!(&self.db, pool => {
            let fetch = |sql: String| {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for b in &f.binds {
                    q = q.bind(b.clone());
                }
                q.fetch_all(pool)
            };
            let rows = fetch(main).await?;
            let mut out: Vec<EvaluationRecord> =
                rows.iter().map(evaluation).collect::<Result<_, _>>()?;
            let at: BTreeMap<String, usize> = out
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect();
            let of = |id: String| at.get(&id).copied().ok_or_else(|| bad("orphan"));
            for r in fetch(partnerships_sql).await? {
                let i = of(r.text("evaluation_id")?)?;
                out[i].draft.partnerships.push(r.text("partnership_id")?);
            }
            for r in fetch(criteria_sql).await? {
                let i = of(r.text("evaluation_id")?)?;
                out[i].draft.criteria.push(Criterion {
                    name: Name::parse(&r.text("name")?).map_err(|_| bad("criterion name"))?,
                    aspect: Aspect::parse(&r.text("aspect")?).map_err(|_| bad("aspect"))?,
                    finding: long_text(r.text("finding")?, "finding")?,
                });
            }
            for r in fetch(conclusions_sql).await? {
                let i = of(r.text("evaluation_id")?)?;
                let text = long_text(r.text("text")?, "conclusion")?;
                out[i].draft.conclusions.push(text);
            }
            for r in fetch(recommendations_sql).await? {
                let i = of(r.text("evaluation_id")?)?;
                out[i].draft.recommendations.push(Recommendation {
                    text: long_text(r.text("text")?, "recommendation")?,
                    follow_up: follow_up(&r)?,
                });
            }
            Ok(out)
        })
    }
}
