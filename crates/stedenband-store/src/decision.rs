//! Decisions with what they affect, rules with their history, scenarios, the municipality's
//! plan, the adoption of a scenario (one transaction, audit entries included) and the endings
//! of partnerships.

use crate::error::corrupt;
use crate::register::{AuditOf, insert_event_sql};
use crate::rows::Get;
use crate::{Backend, Store, StoreError, new_id, now_text, on_db};
use jiff::civil::Date;
use sqlx::AssertSqlSafe;
use stedenband_domain::Name;
use stedenband_domain::PartialDate;
use stedenband_domain::audit::{AuditDraft, GENESIS, entry_hash};
use stedenband_domain::decision::{
    Affected, AffectedKind, Body, DecisionDraft, DecisionKind, DecisionOutcome, DecisionRef, Rule,
    RuleKind, Votes,
};
use stedenband_domain::ending::{Ending, EndingStep, FinalStatus};
use stedenband_domain::money::Euros;
use stedenband_domain::partnership::{PartnershipEventDraft, PartnershipStatus};
use stedenband_domain::scenario::{Change, Effect, Horizon, LineKey, LineKind, ScenarioDraft};

/// A stored decision; `draft.rules` and `draft.lifts` are empty (rules are read on their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub id: String,
    pub draft: DecisionDraft,
}

impl DecisionRecord {
    pub fn cite(&self) -> DecisionRef {
        DecisionRef {
            id: self.id.clone(),
            date: self.draft.date,
            body: self.draft.body,
            reference: self.draft.reference.clone(),
            title: self.draft.title.as_str().to_owned(),
        }
    }
}

/// A stored scenario and the decision that adopted it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRecord {
    pub id: String,
    pub draft: ScenarioDraft,
    pub adopted_by: Option<DecisionRef>,
}

/// The municipality's plan for one year, as adopted scenarios wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanYear {
    pub year: i16,
    pub lines: Vec<(LineKey, Euros)>,
    pub staff_hours: Option<u32>,
    pub decision: String,
}

/// A rule to impose: its kind, from when, the schedule for *subsidy ends*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    pub kind: RuleKind,
    pub from: Date,
    pub schedule: Option<String>,
}

/// Everything one adoption writes.
#[derive(Debug, Clone)]
pub struct Adoption<'a> {
    pub scenario: &'a str,
    pub decision_id: &'a str,
    pub decision: &'a DecisionDraft,
    pub effects: &'a [Effect],
    /// The text of the status-change entries in the partnerships' histories.
    pub event_text: &'a str,
    pub audit: &'a [AuditDraft],
}

const DECISION_COLUMNS: &str = "d.id, d.municipality_id, d.decided_on, d.body, d.kind, \
     d.reference, d.title, d.text, d.outcome, d.votes_for, d.votes_against, d.source_url";

fn bad(k: &str) -> StoreError {
    corrupt("decision", k)
}

fn date(raw: &str, k: &str) -> Result<Date, StoreError> {
    raw.parse().map_err(|_| bad(k))
}

fn opt_date(raw: Option<String>, k: &str) -> Result<Option<Date>, StoreError> {
    raw.map(|r| date(&r, k)).transpose()
}

fn small(v: i64, k: &str) -> Result<i16, StoreError> {
    i16::try_from(v).map_err(|_| bad(k))
}

fn decision(r: &impl Get) -> Result<DecisionRecord, StoreError> {
    let votes = match (r.opt_int("votes_for")?, r.opt_int("votes_against")?) {
        (Some(f), Some(a)) => Some(Votes {
            for_: u16::try_from(f).map_err(|_| bad("votes_for"))?,
            against: u16::try_from(a).map_err(|_| bad("votes_against"))?,
        }),
        _ => None,
    };
    Ok(DecisionRecord {
        id: r.text("id")?,
        draft: DecisionDraft {
            municipality: r.text("municipality_id")?,
            date: date(&r.text("decided_on")?, "decided_on")?,
            body: Body::parse(&r.text("body")?).map_err(|_| bad("body"))?,
            kind: DecisionKind::parse(&r.text("kind")?).map_err(|_| bad("kind"))?,
            reference: r.opt_text("reference")?,
            title: Name::parse(&r.text("title")?).map_err(|_| bad("title"))?,
            text: r.opt_text("text")?,
            outcome: DecisionOutcome::parse(&r.text("outcome")?).map_err(|_| bad("outcome"))?,
            votes,
            source_url: r.opt_text("source_url")?,
            affects: Vec::new(),
            rules: Vec::new(),
            lifts: Vec::new(),
        },
    })
}

fn cite(r: &impl Get, prefix: &str) -> Result<Option<DecisionRef>, StoreError> {
    let Some(id) = r.opt_text(&format!("{prefix}_id"))? else {
        return Ok(None);
    };
    Ok(Some(DecisionRef {
        id,
        date: date(&r.text(&format!("{prefix}_on"))?, "decided_on")?,
        body: Body::parse(&r.text(&format!("{prefix}_body"))?).map_err(|_| bad("body"))?,
        reference: r.opt_text(&format!("{prefix}_reference"))?,
        title: r.text(&format!("{prefix}_title"))?,
    }))
}

fn rule(r: &impl Get) -> Result<Rule, StoreError> {
    Ok(Rule {
        id: r.text("id")?,
        municipality: r.text("municipality_id")?,
        kind: RuleKind::parse(&r.text("kind")?).map_err(|_| bad("rule kind"))?,
        from: date(&r.text("from_date")?, "from_date")?,
        schedule: r.opt_text("schedule_id")?,
        imposed_by: cite(r, "i")?.ok_or_else(|| bad("imposed_by"))?,
        lifted_by: cite(r, "l")?,
    })
}

const RULE_SQL: &str = "SELECT r.id, r.municipality_id, r.kind, r.from_date, r.schedule_id, \
     i.id AS i_id, i.decided_on AS i_on, i.body AS i_body, i.reference AS i_reference, \
     i.title AS i_title, l.id AS l_id, l.decided_on AS l_on, l.body AS l_body, \
     l.reference AS l_reference, l.title AS l_title \
     FROM rules r JOIN decisions i ON i.id = r.decision_id \
     LEFT JOIN decisions l ON l.id = r.lifted_by";

fn scenario(r: &impl Get) -> Result<ScenarioRecord, StoreError> {
    let changes: Vec<Change> =
        serde_json::from_str(&r.text("changes_json")?).map_err(|_| bad("changes_json"))?;
    let horizon = Horizon::new(
        small(r.int("horizon_from")?, "horizon_from")?,
        small(r.int("horizon_to")?, "horizon_to")?,
    )
    .map_err(|_| bad("horizon"))?;
    Ok(ScenarioRecord {
        id: r.text("id")?,
        draft: ScenarioDraft {
            municipality: r.text("municipality_id")?,
            code: r.text("code")?,
            title: Name::parse(&r.text("title")?).map_err(|_| bad("title"))?,
            description: r.opt_text("description")?,
            proposed: r.int("proposed")? == 1,
            horizon,
            changes,
        },
        adopted_by: cite(r, "a")?,
    })
}

const SCENARIO_SQL: &str = "SELECT s.id, s.municipality_id, s.code, s.title, s.description, \
     s.proposed, s.horizon_from, s.horizon_to, s.changes_json, a.id AS a_id, \
     a.decided_on AS a_on, a.body AS a_body, a.reference AS a_reference, a.title AS a_title \
     FROM scenarios s LEFT JOIN decisions a ON a.id = s.adopted_by";

fn ending(r: &impl Get) -> Result<Ending, StoreError> {
    Ok(Ending {
        partnership: r.text("partnership_id")?,
        decision: cite(r, "d")?.ok_or_else(|| bad("ending decision"))?,
        reason: r.text("reason")?,
        letter_nl: r.text("letter_nl")?,
        letter_en: r.text("letter_en")?,
        letter_sent_on: opt_date(r.opt_text("letter_sent_on")?, "letter_sent_on")?,
        notified_on: opt_date(r.opt_text("notified_on")?, "notified_on")?,
        notified_how: r.opt_text("notified_how")?,
        end_on: opt_date(r.opt_text("end_on")?, "end_on")?,
        final_status: r
            .opt_text("final_status")?
            .map(|s| FinalStatus::parse(&s).map_err(|_| bad("final_status")))
            .transpose()?,
    })
}

const ENDING_SQL: &str = "SELECT e.partnership_id, e.reason, e.letter_nl, e.letter_en, \
     e.letter_sent_on, e.notified_on, e.notified_how, e.end_on, e.final_status, \
     d.id AS d_id, d.decided_on AS d_on, d.body AS d_body, d.reference AS d_reference, \
     d.title AS d_title \
     FROM partnership_endings e JOIN decisions d ON d.id = e.decision_id";

fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inserts a decision's row, its affects, its rules and its lifts inside a transaction.
macro_rules! write_decision {
    ($tx:expr, $id:expr, $d:expr, $rules:expr, $now:expr) => {{
        let d: &DecisionDraft = $d;
        sqlx::query(
            "INSERT INTO decisions (id, municipality_id, decided_on, body, kind, reference, title, \
             text, outcome, votes_for, votes_against, source_url, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        )
        .bind($id)
        .bind(&d.municipality)
        .bind(d.date.to_string())
        .bind(d.body.as_str())
        .bind(d.kind.as_str())
        .bind(&d.reference)
        .bind(d.title.as_str())
        .bind(&d.text)
        .bind(d.outcome.as_str())
        .bind(d.votes.map(|v| i64::from(v.for_)))
        .bind(d.votes.map(|v| i64::from(v.against)))
        .bind(&d.source_url)
        .bind($now)
        .execute(&mut *$tx)
        .await
        .map_err(StoreError::from_write)?;
        write_affects!($tx, $id, &d.affects);
        for r in $rules {
            let r: &NewRule = r;
            sqlx::query(
                "INSERT INTO rules (id, municipality_id, decision_id, kind, from_date, \
                 schedule_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new_id())
            .bind(&d.municipality)
            .bind($id)
            .bind(r.kind.as_str())
            .bind(r.from.to_string())
            .bind(&r.schedule)
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        }
        for l in &d.lifts {
            let done =
                sqlx::query("UPDATE rules SET lifted_by = $2 WHERE id = $1 AND lifted_by IS NULL")
                    .bind(l)
                    .bind($id)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
            if done != 1 {
                return Err(StoreError::Conflict { field: "lifts" });
            }
        }
    }};
}

macro_rules! write_affects {
    ($tx:expr, $id:expr, $affects:expr) => {{
        for (i, a) in $affects.iter().enumerate() {
            let a: &Affected = a;
            sqlx::query(
                "INSERT INTO decision_affects (decision_id, position, object_kind, object_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind($id)
            .bind(i64::try_from(i).expect("a handful"))
            .bind(a.kind.as_str())
            .bind(&a.id)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        }
    }};
}

/// Appends audit entries to the chain inside the caller's transaction (which holds the write
/// lock: `BEGIN IMMEDIATE` on SQLite, the table lock on PostgreSQL).
macro_rules! append_audit {
    ($tx:expr, $drafts:expr) => {{
        let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *$tx)
            .await?;
        let (mut seq, mut prev) = match &last {
            Some(row) => (row.int("seq")?, row.text("hash")?),
            None => (0, GENESIS.to_owned()),
        };
        for draft in $drafts {
            let draft: &AuditDraft = draft;
            seq += 1;
            let at = now_text();
            let hash = entry_hash(&prev, seq, &at, draft);
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, address, action, object_kind, \
                 object_id, before_json, after_json, outcome, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(seq)
            .bind(&at)
            .bind(&draft.actor)
            .bind(&draft.address)
            .bind(&draft.action)
            .bind(&draft.object_kind)
            .bind(&draft.object_id)
            .bind(&draft.before)
            .bind(&draft.after)
            .bind(draft.outcome.as_str())
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *$tx)
            .await?;
            prev = hash;
        }
    }};
}
pub(crate) use append_audit;

/// Begins a transaction that ends with `append_audit!`: the audit log's write lock is taken
/// first (`BEGIN IMMEDIATE` on SQLite, a table lock on PostgreSQL), so that the change and its
/// audit entry are committed together or not at all, and no other entry comes between.
macro_rules! begin_audited {
    ($store:expr, $pool:expr) => {{
        let postgres = $store.db.backend() == $crate::Backend::Postgres;
        let mut tx = $pool
            .begin_with(if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" })
            .await?;
        if postgres {
            sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        tx
    }};
}
pub(crate) use begin_audited;

impl Store {
    /// A fresh id, for a record whose id the caller needs before it is written.
    pub fn fresh_id(&self) -> String {
        new_id()
    }

    /// Stores a decision with what it affects, the rules it imposes and the rules it lifts, and
    /// its audit entry (made from the new id), in one transaction. A lifted rule that is
    /// already lifted (or unknown) is a conflict on `lifts` and nothing is written.
    pub async fn insert_decision(
        &self,
        d: &DecisionDraft,
        rules: &[NewRule],
        audit: AuditOf<'_, str>,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let now = now_text();
        let entry = audit(&id);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            write_decision!(tx, &id, d, rules, &now);
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes a decision's own fields and what it affects (not its rules), with its audit
    /// entry, in one transaction; an unknown decision is not found and nothing is written.
    pub async fn update_decision(
        &self,
        id: &str,
        d: &DecisionDraft,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(
                "UPDATE decisions SET decided_on = $2, body = $3, kind = $4, reference = $5, \
                 title = $6, text = $7, outcome = $8, votes_for = $9, votes_against = $10, \
                 source_url = $11, updated_at = $12 WHERE id = $1",
            )
            .bind(id)
            .bind(d.date.to_string())
            .bind(d.body.as_str())
            .bind(d.kind.as_str())
            .bind(&d.reference)
            .bind(d.title.as_str())
            .bind(&d.text)
            .bind(d.outcome.as_str())
            .bind(d.votes.map(|v| i64::from(v.for_)))
            .bind(d.votes.map(|v| i64::from(v.against)))
            .bind(&d.source_url)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?
            .rows_affected();
            if done != 1 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM decision_affects WHERE decision_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            write_affects!(tx, id, &d.affects);
            append_audit!(tx, [audit]);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a rule to an existing decision, with its audit entry (made from the new id), in one
    /// transaction.
    pub async fn insert_rule(
        &self,
        municipality: &str,
        decision: &str,
        r: &NewRule,
        audit: AuditOf<'_, str>,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let entry = audit(&id);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO rules (id, municipality_id, decision_id, kind, from_date, \
                 schedule_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(municipality)
            .bind(decision)
            .bind(r.kind.as_str())
            .bind(r.from.to_string())
            .bind(&r.schedule)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(id)
    }

    pub async fn decision(&self, id: &str) -> Result<Option<DecisionRecord>, StoreError> {
        let found = self
            .load_decisions("d.id = $1".into(), vec![id.to_owned()])
            .await?;
        Ok(found.into_iter().next())
    }

    /// The decisions of these municipalities (ids), oldest first.
    pub async fn decisions(
        &self,
        municipalities: &[String],
    ) -> Result<Vec<DecisionRecord>, StoreError> {
        if municipalities.is_empty() {
            return self.load_decisions("1 = 1".into(), Vec::new()).await;
        }
        let cond = format!("d.municipality_id IN ({})", marks(1, municipalities.len()));
        self.load_decisions(cond, municipalities.to_vec()).await
    }

    /// The decisions about one record, oldest first.
    pub async fn decisions_about(
        &self,
        kind: AffectedKind,
        id: &str,
    ) -> Result<Vec<DecisionRecord>, StoreError> {
        self.load_decisions(
            "d.id IN (SELECT decision_id FROM decision_affects WHERE object_kind = $1 \
             AND object_id = $2)"
                .into(),
            vec![kind.as_str().to_owned(), id.to_owned()],
        )
        .await
    }

    async fn load_decisions(
        &self,
        cond: String,
        binds: Vec<String>,
    ) -> Result<Vec<DecisionRecord>, StoreError> {
        let main = format!(
            "SELECT {DECISION_COLUMNS} FROM decisions d WHERE {cond} \
             ORDER BY d.decided_on, d.created_at, d.id"
        );
        let affects = format!(
            "SELECT a.decision_id, a.object_kind, a.object_id FROM decision_affects a \
             JOIN decisions d ON d.id = a.decision_id WHERE {cond} \
             ORDER BY a.decision_id, a.position"
        );
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(main));
            for b in &binds {
                q = q.bind(b.clone());
            }
            let rows = q.fetch_all(pool).await?;
            let mut out: Vec<DecisionRecord> = rows.iter().map(decision).collect::<Result<_, _>>()?;
            let mut q = sqlx::query(AssertSqlSafe(affects));
            for b in &binds {
                q = q.bind(b.clone());
            }
            for row in q.fetch_all(pool).await? {
                let id = row.text("decision_id")?;
                let item = Affected {
                    kind: AffectedKind::parse(&row.text("object_kind")?)
                        .map_err(|_| bad("object_kind"))?,
                    id: row.text("object_id")?,
                };
                if let Some(d) = out.iter_mut().find(|d| d.id == id) {
                    d.draft.affects.push(item);
                }
            }
            Ok(out)
        })
    }

    /// The rules of these municipalities (ids), by date.
    pub async fn rules(&self, municipalities: &[String]) -> Result<Vec<Rule>, StoreError> {
        if municipalities.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{RULE_SQL} WHERE r.municipality_id IN ({}) ORDER BY r.from_date, i.decided_on, r.id",
            marks(1, municipalities.len())
        );
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for m in municipalities {
                q = q.bind(m.clone());
            }
            q.fetch_all(pool).await?.iter().map(rule).collect()
        })
    }

    /// One rule.
    pub async fn rule(&self, id: &str) -> Result<Option<Rule>, StoreError> {
        let sql = format!("{RULE_SQL} WHERE r.id = $1");
        on_db!(&self.db, pool => {
            sqlx::query(AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(rule)
                .transpose()
        })
    }

    // ---- scenarios ------------------------------------------------------------------------

    /// Stores a scenario with its audit entry (made from the new id), in one transaction; a
    /// code the municipality already uses is a conflict and nothing is written.
    pub async fn insert_scenario(
        &self,
        d: &ScenarioDraft,
        audit: AuditOf<'_, str>,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let changes = serde_json::to_string(&d.changes).map_err(|e| bad(&e.to_string()))?;
        let entry = audit(&id);
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO scenarios (id, municipality_id, code, title, description, proposed, \
                 horizon_from, horizon_to, changes_json, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&id)
            .bind(&d.municipality)
            .bind(&d.code)
            .bind(d.title.as_str())
            .bind(&d.description)
            .bind(i64::from(d.proposed))
            .bind(i64::from(d.horizon.from))
            .bind(i64::from(d.horizon.to))
            .bind(&changes)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_write)?;
            append_audit!(tx, [&entry]);
            tx.commit().await?;
        });
        Ok(id)
    }

    pub async fn scenario(&self, id: &str) -> Result<Option<ScenarioRecord>, StoreError> {
        let sql = format!("{SCENARIO_SQL} WHERE s.id = $1");
        on_db!(&self.db, pool => {
            sqlx::query(AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(scenario)
                .transpose()
        })
    }

    /// The scenarios of these municipalities (ids), by code.
    pub async fn scenarios(
        &self,
        municipalities: &[String],
    ) -> Result<Vec<ScenarioRecord>, StoreError> {
        let (cond, binds) = if municipalities.is_empty() {
            ("1 = 1".to_owned(), Vec::new())
        } else {
            (
                format!("s.municipality_id IN ({})", marks(1, municipalities.len())),
                municipalities.to_vec(),
            )
        };
        let sql = format!("{SCENARIO_SQL} WHERE {cond} ORDER BY s.municipality_id, s.code");
        on_db!(&self.db, pool => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in binds {
                q = q.bind(b);
            }
            q.fetch_all(pool).await?.iter().map(scenario).collect()
        })
    }

    /// Adopts a scenario in one transaction: the decision, the status changes in the
    /// partnerships' histories, the plan lines and staff per year, the rules imposed and
    /// lifted, the scenario marked adopted, and the audit entries. A scenario already adopted
    /// is a conflict on `scenario` and nothing is written.
    pub async fn adopt_scenario(&self, a: &Adoption<'_>) -> Result<(), StoreError> {
        let now = now_text();
        let d = a.decision;
        let mut new_rules = Vec::new();
        let mut lifts = Vec::new();
        for e in a.effects {
            match e {
                Effect::ImposeRule { rule, from } => new_rules.push(NewRule {
                    kind: *rule,
                    from: *from,
                    schedule: None,
                }),
                Effect::LiftRule { rule, .. } => lifts.push(rule.clone()),
                _ => {}
            }
        }
        let mut draft = d.clone();
        draft.lifts = lifts;
        let begin = match self.db.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        on_db!(&self.db, pool => {
            let mut tx = pool.begin_with(begin).await?;
            if self.db.backend() == Backend::Postgres {
                sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let taken = sqlx::query(
                "UPDATE scenarios SET adopted_by = $2 WHERE id = $1 AND adopted_by IS NULL",
            )
            .bind(a.scenario)
            .bind(a.decision_id);
            // The decision must exist before the scenario can point at it.
            write_decision!(tx, a.decision_id, &draft, &new_rules, &now);
            let done = taken.execute(&mut *tx).await?.rows_affected();
            if done != 1 {
                return Err(StoreError::Conflict { field: "scenario" });
            }
            for e in a.effects {
                match e {
                    Effect::Status { partnership, to, on, .. } => {
                        let event = PartnershipEventDraft::status_change(
                            PartialDate::Date(*on),
                            *to,
                            a.event_text.to_owned(),
                        );
                        insert_event_sql(partnership, &event, &now)
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::from_write)?;
                    }
                    Effect::PlanLine { year, key, amount } => {
                        sqlx::query(
                            "DELETE FROM municipal_plan_lines WHERE municipality_id = $1 \
                             AND year = $2 AND line = $3 AND line_kind = $4 \
                             AND working_group_id = $5 AND in_kind = $6",
                        )
                        .bind(&d.municipality)
                        .bind(i64::from(*year))
                        .bind(&key.line)
                        .bind(key.line_kind.as_str())
                        .bind(key.working_group.clone().unwrap_or_default())
                        .bind(i64::from(key.in_kind))
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(
                            "INSERT INTO municipal_plan_lines (municipality_id, year, line, \
                             line_kind, working_group_id, in_kind, amount_cents, decision_id) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        )
                        .bind(&d.municipality)
                        .bind(i64::from(*year))
                        .bind(&key.line)
                        .bind(key.line_kind.as_str())
                        .bind(key.working_group.clone().unwrap_or_default())
                        .bind(i64::from(key.in_kind))
                        .bind(amount.cents())
                        .bind(a.decision_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::from_write)?;
                    }
                    Effect::PlanStaff { year, hours } => {
                        sqlx::query(
                            "DELETE FROM municipal_plan_staff WHERE municipality_id = $1 \
                             AND year = $2",
                        )
                        .bind(&d.municipality)
                        .bind(i64::from(*year))
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(
                            "INSERT INTO municipal_plan_staff (municipality_id, year, hours, \
                             decision_id) VALUES ($1, $2, $3, $4)",
                        )
                        .bind(&d.municipality)
                        .bind(i64::from(*year))
                        .bind(i64::from(*hours))
                        .bind(a.decision_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Effect::ImposeRule { .. } | Effect::LiftRule { .. } => {}
                }
            }
            append_audit!(tx, a.audit);
            tx.commit().await?;
        });
        self.world_changed();
        Ok(())
    }

    /// The municipality's plan per year (ids), oldest year first.
    pub async fn plan(&self, municipality: &str) -> Result<Vec<PlanYear>, StoreError> {
        let (lines, staff) = on_db!(&self.db, pool => {
            let lines = sqlx::query(
                "SELECT year, line, line_kind, working_group_id, in_kind, amount_cents, \
                 decision_id FROM municipal_plan_lines WHERE municipality_id = $1 \
                 ORDER BY year, line_kind, line, working_group_id, in_kind",
            )
            .bind(municipality)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let group = r.text("working_group_id")?;
                Ok((
                    small(r.int("year")?, "year")?,
                    LineKey {
                        line: r.text("line")?,
                        line_kind: LineKind::parse(&r.text("line_kind")?)
                            .map_err(|_| bad("line_kind"))?,
                        working_group: (!group.is_empty()).then_some(group),
                        in_kind: r.int("in_kind")? == 1,
                    },
                    Euros::from_cents(r.int("amount_cents")?),
                    r.text("decision_id")?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
            let staff = sqlx::query(
                "SELECT year, hours, decision_id FROM municipal_plan_staff \
                 WHERE municipality_id = $1 ORDER BY year",
            )
            .bind(municipality)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    small(r.int("year")?, "year")?,
                    u32::try_from(r.int("hours")?).map_err(|_| bad("hours"))?,
                    r.text("decision_id")?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
            (lines, staff)
        });
        let mut out: Vec<PlanYear> = Vec::new();
        let at = |year: i16, decision: &str, out: &mut Vec<PlanYear>| -> usize {
            match out.iter().position(|p| p.year == year) {
                Some(i) => i,
                None => {
                    out.push(PlanYear {
                        year,
                        lines: Vec::new(),
                        staff_hours: None,
                        decision: decision.to_owned(),
                    });
                    out.len() - 1
                }
            }
        };
        for (year, key, amount, decision) in lines {
            let i = at(year, &decision, &mut out);
            out[i].lines.push((key, amount));
        }
        for (year, hours, decision) in staff {
            let i = at(year, &decision, &mut out);
            out[i].staff_hours = Some(hours);
        }
        out.sort_by_key(|p| p.year);
        Ok(out)
    }

    // ---- endings ----------------------------------------------------------------------------

    pub async fn ending(&self, partnership: &str) -> Result<Option<Ending>, StoreError> {
        let sql = format!("{ENDING_SQL} WHERE e.partnership_id = $1");
        on_db!(&self.db, pool => {
            sqlx::query(AssertSqlSafe(sql))
                .bind(partnership)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(ending)
                .transpose()
        })
    }

    /// Starts an ending; a partnership has at most one (a conflict on `partnership`, and
    /// nothing is written). With `affects`, the ending's decision gets these as what it affects
    /// (replacing what it had); the audit entry is appended, all in one transaction.
    pub async fn insert_ending(
        &self,
        e: &Ending,
        affects: Option<&[Affected]>,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            sqlx::query(
                "INSERT INTO partnership_endings (partnership_id, decision_id, reason, letter_nl, \
                 letter_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&e.partnership)
            .bind(&e.decision.id)
            .bind(&e.reason)
            .bind(&e.letter_nl)
            .bind(&e.letter_en)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(|err| match StoreError::from_write(err) {
                StoreError::Conflict { .. } => StoreError::Conflict { field: "partnership" },
                other => other,
            })?;
            if let Some(affects) = affects {
                let done = sqlx::query("UPDATE decisions SET updated_at = $2 WHERE id = $1")
                    .bind(&e.decision.id)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done != 1 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("DELETE FROM decision_affects WHERE decision_id = $1")
                    .bind(&e.decision.id)
                    .execute(&mut *tx)
                    .await?;
                write_affects!(tx, &e.decision.id, affects);
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Writes an ending's later steps. When it is completed, the partnership gets its end date
    /// and a status-change entry with `event_text`, in the same transaction.
    /// `from` is the step the ending was at when it was read: a step taken meanwhile by
    /// someone else is a conflict on `step` and nothing is written. The audit entry is appended
    /// in the same transaction.
    pub async fn update_ending(
        &self,
        e: &Ending,
        from: EndingStep,
        event_text: &str,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let now = now_text();
        let guard = match from {
            EndingStep::Decided => "letter_sent_on IS NULL",
            EndingStep::LetterSent => "letter_sent_on IS NOT NULL AND notified_on IS NULL",
            EndingStep::PartnerNotified => "notified_on IS NOT NULL AND final_status IS NULL",
            EndingStep::Completed => "1 = 0",
        };
        let sql = format!(
            "UPDATE partnership_endings SET letter_nl = $2, letter_en = $3, \
             letter_sent_on = $4, notified_on = $5, notified_how = $6, end_on = $7, \
             final_status = $8, updated_at = $9 WHERE partnership_id = $1 AND {guard}"
        );
        on_db!(&self.db, pool => {
            let mut tx = begin_audited!(self, pool);
            let done = sqlx::query(AssertSqlSafe(sql))
            .bind(&e.partnership)
            .bind(&e.letter_nl)
            .bind(&e.letter_en)
            .bind(e.letter_sent_on.map(|d| d.to_string()))
            .bind(e.notified_on.map(|d| d.to_string()))
            .bind(&e.notified_how)
            .bind(e.end_on.map(|d| d.to_string()))
            .bind(e.final_status.map(|s| s.as_str()))
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Err(StoreError::Conflict { field: "step" });
            }
            if let (Some(end), Some(status)) = (e.end_on, e.final_status) {
                sqlx::query(
                    "UPDATE partnerships SET end_year = $2, end_date = $3, updated_at = $4 \
                     WHERE id = $1",
                )
                .bind(&e.partnership)
                .bind(i64::from(end.year()))
                .bind(end.to_string())
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                let event = PartnershipEventDraft::status_change(
                    PartialDate::Date(end),
                    status.status(),
                    event_text.to_owned(),
                );
                insert_event_sql(&e.partnership, &event, &now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
            }
            append_audit!(tx, [audit]);
            tx.commit().await?;
        });
        self.world_changed();
        Ok(())
    }

    /// The partnerships (ids) whose ending is completed, with the final status.
    pub async fn ended_partnerships(&self) -> Result<Vec<(String, PartnershipStatus)>, StoreError> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "SELECT partnership_id, final_status FROM partnership_endings \
                 WHERE final_status IS NOT NULL",
            )
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let s = FinalStatus::parse(&r.text("final_status")?)
                    .map_err(|_| bad("final_status"))?;
                Ok((r.text("partnership_id")?, s.status()))
            })
            .collect()
        })
    }
}
