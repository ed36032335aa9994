//! Money: phase-out schedules, subsidies with their life-cycle steps, and ledgers.

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
use stedenband_domain::funding::{Grantor, ScheduleDraft, SubsidyDraft, TransactionDraft};
use stedenband_domain::money::{
    DocumentRef, Euros, ExpenseCategory, Flow, Fraction, IncomeSource, PhaseOut, PhaseOutMethod,
    Rounding, Split, StepKind, SubsidyKind, SubsidyStep,
};

/// A stored phase-out schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRecord {
    pub id: String,
    /// The municipality's id, the partnerships' ids (in the split's order).
    pub draft: ScheduleDraft,
}

/// A stored subsidy: what it is (references resolved to ids) and its steps so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyRecord {
    pub id: String,
    pub draft: SubsidyDraft,
    pub steps: Vec<SubsidyStep>,
}

/// A stored ledger line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRecord {
    pub id: String,
    pub draft: TransactionDraft,
    /// Invented for the demo data set.
    pub illustrative: bool,
}

fn date(raw: &str, what: &str, key: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| corrupt(what, key))
}

fn cents(v: Option<i64>, what: &str) -> Result<Euros, StoreError> {
    v.map(Euros::from_cents)
        .ok_or_else(|| corrupt(what, "amount_cents"))
}

fn step(row: &impl Get) -> Result<SubsidyStep, StoreError> {
    let bad = |k: &str| corrupt("subsidy step", k);
    let date_ = date(&row.text("on_date")?, "subsidy step", "on_date")?;
    let document = DocumentRef::parse(&row.text("document")?).map_err(bad)?;
    let amount = row.opt_int("amount_cents")?;
    Ok(match StepKind::parse(&row.text("step")?).map_err(bad)? {
        StepKind::Application => SubsidyStep::Application {
            date: date_,
            document,
            requested: cents(amount, "subsidy step")?,
        },
        StepKind::Refusal => SubsidyStep::Refusal {
            date: date_,
            document,
        },
        StepKind::GrantDecision => SubsidyStep::GrantDecision {
            date: date_,
            document,
            amount: cents(amount, "subsidy step")?,
            conditions: row
                .text("conditions")?
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        StepKind::AdvancePayment => SubsidyStep::AdvancePayment {
            date: date_,
            document,
            amount: cents(amount, "subsidy step")?,
        },
        StepKind::ReportDue => SubsidyStep::ReportDue {
            date: date_,
            document,
            due_on: date(
                &row.opt_text("due_on")?.ok_or_else(|| bad("due_on"))?,
                "subsidy step",
                "due_on",
            )?,
        },
        StepKind::ReportReceived => SubsidyStep::ReportReceived {
            date: date_,
            document,
        },
        StepKind::Settlement => SubsidyStep::Settlement {
            date: date_,
            document,
            amount: cents(amount, "subsidy step")?,
            allowed_by_decision: row
                .opt_text("allowed_by")?
                .map(|a| DocumentRef::parse(&a).map_err(bad))
                .transpose()?,
        },
        StepKind::Closing => SubsidyStep::Closing {
            date: date_,
            document,
        },
    })
}

fn step_columns(s: &SubsidyStep) -> (Option<i64>, String, Option<String>, Option<String>) {
    match s {
        SubsidyStep::Application { requested, .. } => {
            (Some(requested.cents()), String::new(), None, None)
        }
        SubsidyStep::GrantDecision {
            amount, conditions, ..
        } => (Some(amount.cents()), conditions.join("\n"), None, None),
        SubsidyStep::AdvancePayment { amount, .. } => {
            (Some(amount.cents()), String::new(), None, None)
        }
        SubsidyStep::ReportDue { due_on, .. } => {
            (None, String::new(), Some(due_on.to_string()), None)
        }
        SubsidyStep::Settlement {
            amount,
            allowed_by_decision,
            ..
        } => (
            Some(amount.cents()),
            String::new(),
            None,
            allowed_by_decision.as_ref().map(|d| d.to_string()),
        ),
        SubsidyStep::Refusal { .. }
        | SubsidyStep::ReportReceived { .. }
        | SubsidyStep::Closing { .. } => (None, String::new(), None, None),
    }
}

const SUBSIDY_COLUMNS: &str = "id, municipality_id, grantor, foundation_id, working_group_id, \
     kind, purpose, year, schedule_id, activity_id";

fn subsidy(row: &impl Get, partnerships: Vec<String>) -> Result<SubsidyDraft, StoreError> {
    let bad = |k: &str| corrupt("subsidy", k);
    Ok(SubsidyDraft {
        municipality: row.text("municipality_id")?,
        grantor: Grantor::parse(&row.text("grantor")?).map_err(bad)?,
        foundation: row.text("foundation_id")?,
        working_group: row.opt_text("working_group_id")?,
        kind: SubsidyKind::parse(&row.text("kind")?).map_err(bad)?,
        purpose: Name::parse(&row.text("purpose")?).map_err(bad)?,
        year: i16::try_from(row.int("year")?).map_err(|_| bad("year"))?,
        partnerships,
        schedule: row.opt_text("schedule_id")?,
        activity: row.opt_text("activity_id")?,
    })
}

const TX_COLUMNS: &str = "id, working_group_id, on_date, direction, source, category, \
     amount_cents, activity_id, subsidy_id, description, document, illustrative";

fn transaction(row: &impl Get) -> Result<TransactionRecord, StoreError> {
    let bad = |k: &str| corrupt("transaction", k);
    let flow = match row.text("direction")?.as_str() {
        "income" => Flow::Income(
            IncomeSource::parse(&row.opt_text("source")?.unwrap_or_default()).map_err(bad)?,
        ),
        "expense" => Flow::Expense(
            ExpenseCategory::parse(&row.opt_text("category")?.unwrap_or_default()).map_err(bad)?,
        ),
        _ => return Err(bad("direction")),
    };
    Ok(TransactionRecord {
        id: row.text("id")?,
        draft: TransactionDraft {
            working_group: row.text("working_group_id")?,
            date: date(&row.text("on_date")?, "transaction", "on_date")?,
            flow,
            amount: Euros::from_cents(row.int("amount_cents")?),
            activity: row.opt_text("activity_id")?,
            subsidy: row.opt_text("subsidy_id")?,
            description: row.opt_text("description")?,
            document: row
                .opt_text("document")?
                .map(|d| DocumentRef::parse(&d).map_err(bad))
                .transpose()?,
        },
        illustrative: row.int("illustrative")? != 0,
    })
}

/// Which ledger lines to list.
#[derive(Debug, Clone, Default)]
pub struct TransactionFilter {
    /// Working groups (ids); empty: all.
    pub working_groups: Vec<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub activity: Option<String>,
}

impl Store {
    // ---- phase-out schedules ------------------------------------------------------------------

    /// Stores a schedule with its split over the partnerships and its audit entry (made from
    /// the schedule as stored), in one transaction.
    pub async fn insert_schedule(
        &self,
        d: &ScheduleDraft,
        audit: AuditOf<'_, ScheduleRecord>,
    ) -> Result<ScheduleRecord, StoreError> {
        let id = new_id();
        let p = &d.phase_out;
        let (method, fractions) = match p.method() {
            PhaseOutMethod::LinearToZero => ("linear", String::new()),
            PhaseOutMethod::FixedFractions(f) => (
                "fractions",
                f.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
        };
        let weights = p.split().weights().to_vec();
        let record = ScheduleRecord {
            id: id.clone(),
            draft: d.clone(),
        };
        let entry = audit(&record);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO phase_out_schedules (id, municipality_id, name, base_cents, base_year, \
                 years, method, fractions, rounding, decided_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&id)
            .bind(&d.municipality)
            .bind(d.name.as_str())
            .bind(p.base().cents())
            .bind(i64::from(p.base_year()))
            .bind(i64::from(p.years()))
            .bind(method)
            .bind(&fractions)
            .bind(p.rounding().as_str())
            .bind(d.decided_by.as_ref().map(|x| x.to_string()))
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            for (i, (partnership, weight)) in d.partnerships.iter().zip(&weights).enumerate() {
                sqlx::query(
                    "INSERT INTO phase_out_schedule_partnerships (schedule_id, position, \
                     partnership_id, weight) VALUES ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(i as i64)
                .bind(partnership)
                .bind(i64::from(*weight))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(record)
    }

    /// The schedules of a municipality (or all), oldest base year first.
    pub async fn schedules(
        &self,
        municipality: Option<&str>,
    ) -> Result<Vec<ScheduleRecord>, StoreError> {
        let rows_sql = "SELECT id, municipality_id, name, base_cents, base_year, years, method, \
                        fractions, rounding, decided_by FROM phase_out_schedules \
                        WHERE ($1 = '' OR municipality_id = $1) ORDER BY base_year, name, id";
        let parts_sql = "SELECT schedule_id, position, partnership_id, weight \
                         FROM phase_out_schedule_partnerships ORDER BY schedule_id, position";
        let m = municipality.unwrap_or("");
        on_db!(&self.db, pool => {
            let rows = sqlx::query(rows_sql).bind(m).fetch_all(pool).await?;
            let parts = sqlx::query(parts_sql).fetch_all(pool).await?;
            let mut by: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
            for r in &parts {
                let w = u32::try_from(r.int("weight")?)
                    .map_err(|_| corrupt("schedule", "weight"))?;
                by.entry(r.text("schedule_id")?)
                    .or_default()
                    .push((r.text("partnership_id")?, w));
            }
            rows.iter()
                .map(|r| {
                    let id = r.text("id")?;
                    schedule(r, by.remove(&id).unwrap_or_default())
                })
                .collect()
        })
    }

    pub async fn schedule(&self, id: &str) -> Result<Option<ScheduleRecord>, StoreError> {
        Ok(self.schedules(None).await?.into_iter().find(|s| s.id == id))
    }

    // ---- subsidies --------------------------------------------------------------------------

    /// Stores a subsidy with its partnerships and its audit entry (made from the new id), in
    /// one transaction.
    pub async fn insert_subsidy(
        &self,
        d: &SubsidyDraft,
        audit: AuditOf<'_, str>,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = now_text();
        let entry = audit(&id);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO subsidies (id, municipality_id, grantor, foundation_id, \
                 working_group_id, kind, purpose, year, schedule_id, activity_id, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(&id)
            .bind(&d.municipality)
            .bind(d.grantor.as_str())
            .bind(&d.foundation)
            .bind(&d.working_group)
            .bind(d.kind.as_str())
            .bind(d.purpose.as_str())
            .bind(i64::from(d.year))
            .bind(&d.schedule)
            .bind(&d.activity)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            for p in &d.partnerships {
                sqlx::query(
                    "INSERT INTO subsidy_partnerships (subsidy_id, partnership_id) VALUES ($1, $2)",
                )
                .bind(&id)
                .bind(p)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Subsidies of a municipality (or all), with their steps, by year and purpose.
    pub async fn subsidies(
        &self,
        municipality: Option<&str>,
    ) -> Result<Vec<SubsidyRecord>, StoreError> {
        let sql = format!(
            "SELECT {SUBSIDY_COLUMNS} FROM subsidies WHERE ($1 = '' OR municipality_id = $1) \
             ORDER BY year, purpose, id"
        );
        let m = municipality.unwrap_or("");
        on_db!(&self.db, pool => {
            let rows = sqlx::query(AssertSqlSafe(sql)).bind(m).fetch_all(pool).await?;
            let links = sqlx::query(
                "SELECT subsidy_id, partnership_id FROM subsidy_partnerships \
                 ORDER BY subsidy_id, partnership_id",
            )
            .fetch_all(pool)
            .await?;
            let steps = sqlx::query(
                "SELECT subsidy_id, seq, step, on_date, document, amount_cents, conditions, \
                 due_on, allowed_by FROM subsidy_steps ORDER BY subsidy_id, seq",
            )
            .fetch_all(pool)
            .await?;
            let mut ps: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for l in &links {
                ps.entry(l.text("subsidy_id")?).or_default().push(l.text("partnership_id")?);
            }
            let mut ss: BTreeMap<String, Vec<SubsidyStep>> = BTreeMap::new();
            for s in &steps {
                ss.entry(s.text("subsidy_id")?).or_default().push(step(s)?);
            }
            rows.iter()
                .map(|r| {
                    let id = r.text("id")?;
                    Ok(SubsidyRecord {
                        draft: subsidy(r, ps.remove(&id).unwrap_or_default())?,
                        steps: ss.remove(&id).unwrap_or_default(),
                        id,
                    })
                })
                .collect()
        })
    }

    pub async fn subsidy(&self, id: &str) -> Result<Option<SubsidyRecord>, StoreError> {
        let sql = format!("SELECT {SUBSIDY_COLUMNS} FROM subsidies WHERE id = $1");
        on_db!(&self.db, pool => {
            let Some(row) = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?
            else {
                return Ok(None);
            };
            let links = sqlx::query(
                "SELECT partnership_id FROM subsidy_partnerships WHERE subsidy_id = $1 \
                 ORDER BY partnership_id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let steps = sqlx::query(
                "SELECT seq, step, on_date, document, amount_cents, conditions, due_on, \
                 allowed_by FROM subsidy_steps WHERE subsidy_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let partnerships = links
                .iter()
                .map(|l| l.text("partnership_id"))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(SubsidyRecord {
                id: id.to_owned(),
                draft: subsidy(&row, partnerships)?,
                steps: steps.iter().map(step).collect::<Result<_, _>>()?,
            }))
        })
    }

    /// Adds step number `seq` (1-based); a step with that number already there (a concurrent
    /// write) is a [`StoreError::Conflict`], so two people cannot both take "the next" step;
    /// nothing is written then. The audit entry is appended in the same transaction.
    pub async fn append_step(
        &self,
        subsidy: &str,
        seq: usize,
        s: &SubsidyStep,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let (amount, conditions, due_on, allowed_by) = step_columns(s);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO subsidy_steps (subsidy_id, seq, step, on_date, document, amount_cents, \
                 conditions, due_on, allowed_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(subsidy)
            .bind(seq as i64)
            .bind(s.kind().as_str())
            .bind(s.date().to_string())
            .bind(s.document().as_str())
            .bind(amount)
            .bind(&conditions)
            .bind(due_on)
            .bind(allowed_by)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            sqlx::query("UPDATE subsidies SET updated_at = $2 WHERE id = $1")
                .bind(subsidy)
                .bind(now_text())
                .execute(&mut *tx)
                .await?;
            append_audit!(tx, [audit]);
            tx.commit().await?;
        });
        Ok(())
    }

    // ---- ledgers ----------------------------------------------------------------------------

    /// Stores a ledger line with its audit entry (made from the line as stored), in one
    /// transaction.
    pub async fn insert_transaction(
        &self,
        d: &TransactionDraft,
        illustrative: bool,
        audit: AuditOf<'_, TransactionRecord>,
    ) -> Result<TransactionRecord, StoreError> {
        let id = new_id();
        let (direction, source, category) = match d.flow {
            Flow::Income(s) => ("income", Some(s.as_str()), None),
            Flow::Expense(c) => ("expense", None, Some(c.as_str())),
        };
        let record = TransactionRecord {
            id: id.clone(),
            draft: d.clone(),
            illustrative,
        };
        let entry = audit(&record);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO transactions (id, working_group_id, on_date, direction, source, \
                 category, amount_cents, activity_id, subsidy_id, description, document, \
                 illustrative, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(&id)
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
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(record)
    }

    /// Ledger lines by date (then by when they were recorded).
    pub async fn transactions(
        &self,
        f: &TransactionFilter,
    ) -> Result<Vec<TransactionRecord>, StoreError> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut binds: Vec<String> = Vec::new();
        let mut next = |v: String| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if !f.working_groups.is_empty() {
            let ps: Vec<String> = f.working_groups.iter().map(|g| next(g.clone())).collect();
            conditions.push(format!("working_group_id IN ({})", ps.join(", ")));
        }
        if let Some(from) = f.from {
            conditions.push(format!("on_date >= {}", next(from.to_string())));
        }
        if let Some(to) = f.to {
            conditions.push(format!("on_date <= {}", next(to.to_string())));
        }
        if let Some(a) = &f.activity {
            conditions.push(format!("activity_id = {}", next(a.clone())));
        }
        let sql = format!(
            "SELECT {TX_COLUMNS} FROM transactions WHERE {} ORDER BY on_date, created_at, id",
            conditions.join(" AND ")
        );
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in &binds {
                q = q.bind(b);
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter().map(transaction).collect()
        })
    }
}

fn schedule(r: &impl Get, parts: Vec<(String, u32)>) -> Result<ScheduleRecord, StoreError> {
    let bad = |k: &str| corrupt("schedule", k);
    let method = match r.text("method")?.as_str() {
        "linear" => PhaseOutMethod::LinearToZero,
        "fractions" => PhaseOutMethod::FixedFractions(
            r.text("fractions")?
                .split(';')
                .filter(|f| !f.is_empty())
                .map(|f| Fraction::parse(f).map_err(bad))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(bad("method")),
    };
    let (partnerships, weights): (Vec<String>, Vec<u32>) = parts.into_iter().unzip();
    let split = if weights.is_empty() {
        Split::equal(1)
    } else {
        Split::weighted(weights)
    }
    .map_err(bad)?;
    let phase_out = PhaseOut::new(
        Euros::from_cents(r.int("base_cents")?),
        i16::try_from(r.int("base_year")?).map_err(|_| bad("base_year"))?,
        u8::try_from(r.int("years")?).map_err(|_| bad("years"))?,
        method,
        split,
        Rounding::parse(&r.text("rounding")?).map_err(bad)?,
    )
    .map_err(|_| bad("phase-out"))?;
    Ok(ScheduleRecord {
        id: r.text("id")?,
        draft: ScheduleDraft {
            municipality: r.text("municipality_id")?,
            name: Name::parse(&r.text("name")?).map_err(bad)?,
            phase_out,
            partnerships,
            decided_by: r
                .opt_text("decided_by")?
                .map(|d| DocumentRef::parse(&d).map_err(bad))
                .transpose()?,
        },
    })
}
