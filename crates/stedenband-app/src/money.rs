//! Money: phase-out schedules computed from the council's decision, subsidies through their Awb
//! life cycle, the working groups' ledgers, and the yearly overviews (municipal money per
//! partnership, income by source, expenses by category, leverage).
//!
//! Rights: the municipality's officials record its subsidies and schedules; the foundation's
//! board (its treasurer included) records income and expenses in its groups' ledgers; a ledger
//! is read by the board, the group's members and the municipality's officials. The public sees
//! the subsidy register (recipient organisations, purposes, granted and settled amounts) and
//! the schedules, never a subsidy's file or a ledger.
//!
//! What counts as the municipal money of a year: each subsidy granted by the municipality, in
//! its budget year, at its settled amount once settled, else at its granted amount; applied-for
//! and refused subsidies count nothing. In-kind contributions (the Christmas tree) are valued
//! and reported apart from cash.

use crate::organisation::today;
use crate::register::entry;
use crate::{AppError, Caller, PartnershipView, Register};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use stedenband_domain::funding::{
    Grantor, ScheduleInput, StepInput, SubsidyDraft, SubsidyInput, TransactionDraft,
    TransactionInput, parse_schedule, parse_step,
};
use stedenband_domain::money::{
    Euros, ExpenseCategory, FinalBalance, Flow, IncomeSource, LedgerEntry, PhaseOutSchedule, Split,
    Stage, StepKind, SubsidyKind, SubsidyLifeCycle, abrupt_stop, balance_at, leverage,
};
use stedenband_domain::organisation::{Foundation, WorkingGroup};
use stedenband_domain::{Action, Municipality, MunicipalityId, PartnershipId, ValidationErrors};
use stedenband_store::{
    ScheduleRecord, Store, StoreError, SubsidyRecord, TransactionFilter, TransactionRecord,
};

fn key_of(raw: &str) -> Result<&str, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(k)
}

/// A schedule with what it computes to and the partnerships it is split over.
#[derive(Debug, Clone)]
pub struct ScheduleView {
    pub record: ScheduleRecord,
    pub schedule: PhaseOutSchedule,
    pub partnerships: Vec<PartnershipView>,
}

/// A subsidy with where it stands.
#[derive(Debug, Clone)]
pub struct SubsidyView {
    pub record: SubsidyRecord,
    pub stage: Stage,
    pub granted: Option<Euros>,
    pub settled: Option<Euros>,
    pub advances_paid: Euros,
    pub balance: Option<FinalBalance>,
    /// The amount that counts in its year (settled, else granted, else nothing).
    pub counted: Euros,
    pub foundation: Foundation,
    pub group: Option<WorkingGroup>,
    pub partnerships: Vec<PartnershipView>,
    /// The steps that may follow (for those who may take them).
    pub next: &'static [StepKind],
    pub may_edit: bool,
    /// Whether the caller sees the file (steps, documents); otherwise `record.steps` is empty.
    pub file_visible: bool,
}

/// One line of the public subsidy register.
/// The rows subsidy views name, read once per call (see `Money::view_with`).
#[derive(Default)]
struct ViewRows {
    lineage: Option<stedenband_domain::LineageMap>,
    foundations: std::collections::HashMap<String, Foundation>,
    groups: std::collections::HashMap<String, Option<WorkingGroup>>,
    partnerships: std::collections::HashMap<String, PartnershipView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegisterLine {
    pub id: String,
    pub year: i16,
    pub recipient: String,
    pub purpose: String,
    pub kind: SubsidyKind,
    pub stage: Stage,
    pub granted: Option<Euros>,
    pub settled: Option<Euros>,
}

/// The municipal money of one year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MunicipalYear {
    pub year: i16,
    /// Cash by kind of subsidy.
    pub by_kind: BTreeMap<SubsidyKind, Euros>,
    /// Cash per partnership (id); money for no partnership in particular under "".
    pub by_partnership: BTreeMap<String, Euros>,
    pub cash: Euros,
    /// In-kind contributions, valued.
    pub in_kind: Euros,
    /// Private income of the municipality's working groups this year.
    pub private_income: Euros,
    /// Private euros per municipal euro (cash).
    pub leverage: Option<Decimal>,
}

/// A subsidy that ran three or more years and stopped without a phase-out (Awb art. 4:51).
#[derive(Debug, Clone, Serialize)]
pub struct AbruptStop {
    pub recipient: String,
    pub kind: SubsidyKind,
    pub stopped_in: i16,
}

#[derive(Debug, Clone)]
pub struct MunicipalOverview {
    pub municipality: Municipality,
    pub years: Vec<MunicipalYear>,
    pub partnerships: Vec<PartnershipView>,
    pub abrupt_stops: Vec<AbruptStop>,
    pub total_cash: Euros,
    pub total_private: Euros,
    pub leverage: Option<Decimal>,
}

/// A working group's money in one year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupYear {
    pub year: i16,
    pub income: BTreeMap<IncomeSource, Euros>,
    pub expenses: BTreeMap<ExpenseCategory, Euros>,
    pub total_income: Euros,
    pub total_expenses: Euros,
    pub municipal: Euros,
    pub private: Euros,
    pub leverage: Option<Decimal>,
    /// The municipal part of the group's income (municipal / all income), when there is income.
    pub municipal_share: Option<Decimal>,
}

/// A ledger line with the balance after it.
#[derive(Debug, Clone)]
pub struct LedgerLine {
    pub record: TransactionRecord,
    pub signed: Euros,
    pub balance: Euros,
}

#[derive(Debug, Clone)]
pub struct Ledger {
    pub group: WorkingGroup,
    pub foundation: Foundation,
    pub lines: Vec<LedgerLine>,
    /// The balance at the end of the period (or today).
    pub balance: Euros,
    pub at: Date,
    pub years: Vec<GroupYear>,
    pub may_edit: bool,
}

#[derive(Clone, Debug)]
pub struct Money {
    register: Register,
}

impl Money {
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    fn store(&self) -> &Store {
        self.register.store()
    }

    async fn municipality(&self, key: &str) -> Result<Municipality, AppError> {
        self.register
            .find_municipality(key)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The partnerships of a municipality (with its predecessors'), by id.
    async fn partnerships_of(
        &self,
        m: &Municipality,
    ) -> Result<BTreeMap<String, PartnershipView>, AppError> {
        let v = self.register.municipality(m.id.0.as_str()).await?;
        Ok(v.partnerships
            .into_iter()
            .map(|p| (p.partnership.id.0.clone(), p))
            .collect())
    }

    // ---- phase-out schedules ------------------------------------------------------------------

    /// Computes a schedule without storing it (anybody may).
    pub fn compute_schedule(input: &ScheduleInput) -> Result<PhaseOutSchedule, AppError> {
        Ok(parse_schedule(input, false)?.phase_out.compute())
    }

    pub async fn create_schedule(
        &self,
        caller: &Caller,
        input: &ScheduleInput,
    ) -> Result<ScheduleView, AppError> {
        const ACT: &str = "schedule.create";
        self.register.check_login(caller, ACT).await?;
        let mut draft = parse_schedule(input, true)?;
        let m = self
            .register
            .find_municipality(&draft.municipality)
            .await?
            .ok_or_else(|| {
                ValidationErrors::single("municipality", "error-municipality-unknown")
            })?;
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(caller, &Action::ManageSubsidies(holder), ACT, None)
            .await?;
        let known = self.partnerships_of(&m).await?;
        if draft.partnerships.iter().any(|p| !known.contains_key(p)) {
            return Err(
                ValidationErrors::single("partnerships", "error-partnership-not-own").into(),
            );
        }
        if draft.partnerships.is_empty() {
            return Err(ValidationErrors::single("partnerships", "error-split-empty").into());
        }
        draft.municipality = m.id.0.clone();
        let audit = |r: &ScheduleRecord| entry(caller, ACT, "schedule", &r.id, None, json(&draft));
        let r = self
            .store()
            .insert_schedule(&draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.schedule(&r.id).await
    }

    pub async fn schedule(&self, id: &str) -> Result<ScheduleView, AppError> {
        let r = self
            .store()
            .schedule(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        self.schedule_view(r).await
    }

    async fn schedule_view(&self, record: ScheduleRecord) -> Result<ScheduleView, AppError> {
        let mut partnerships = Vec::new();
        for p in &record.draft.partnerships {
            partnerships.push(self.register.partnership(p).await?.view);
        }
        Ok(ScheduleView {
            schedule: record.draft.phase_out.compute(),
            record,
            partnerships,
        })
    }

    /// The schedules of a municipality (public).
    pub async fn schedules(&self, municipality: &str) -> Result<Vec<ScheduleView>, AppError> {
        let m = self.municipality(municipality).await?;
        let mut out = Vec::new();
        for r in self.store().schedules(Some(&m.id.0)).await? {
            out.push(self.schedule_view(r).await?);
        }
        Ok(out)
    }

    // ---- subsidies ----------------------------------------------------------------------------

    async fn find_subsidy(&self, id: &str) -> Result<SubsidyRecord, AppError> {
        self.store()
            .subsidy(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn create_subsidy(
        &self,
        caller: &Caller,
        input: &SubsidyInput,
    ) -> Result<SubsidyView, AppError> {
        const ACT: &str = "subsidy.create";
        self.register.check_login(caller, ACT).await?;
        let mut d = SubsidyDraft::parse(input)?;
        let m = self
            .register
            .find_municipality(&d.municipality)
            .await?
            .ok_or_else(|| {
                ValidationErrors::single("municipality", "error-municipality-unknown")
            })?;
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(caller, &Action::ManageSubsidies(holder.clone()), ACT, None)
            .await?;
        let mut e = ValidationErrors::default();
        match self.store().foundation(&d.foundation).await? {
            Some(f) if self.register.holder(&f.draft.municipality).await? == holder => {
                d.foundation = f.id;
            }
            _ => e.push("foundation", "error-foundation-unknown"),
        }
        if let Some(g) = &d.working_group {
            match self.store().working_group(g).await? {
                Some(g) if g.foundation == d.foundation => d.working_group = Some(g.id),
                _ => e.push("workingGroup", "error-working-group-unknown"),
            }
        }
        let known = self.partnerships_of(&m).await?;
        if d.partnerships.iter().any(|p| !known.contains_key(p)) {
            e.push("partnerships", "error-partnership-not-own");
        }
        if let Some(s) = &d.schedule {
            match self.store().schedule(s).await? {
                Some(s) if s.draft.municipality == m.id.0 => {}
                _ => e.push("schedule", "error-schedule-unknown"),
            }
        }
        if let Some(a) = &d.activity {
            match self.store().activity(a).await? {
                Some(a) if known.contains_key(&a.draft.partnership.0) => {}
                _ => e.push("activity", "error-activity-unknown"),
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        if d.grantor == Grantor::Municipality {
            // A rule "subsidy ends" of an adopted decision may refuse it.
            let lineage: Vec<String> = self
                .store()
                .lineage()
                .await?
                .with_predecessors(&holder)
                .into_iter()
                .map(|m| m.0)
                .collect();
            let rules = self.store().rules(&lineage).await?;
            if let Some(r) = stedenband_domain::decision::refusing_grant(
                &rules,
                d.year,
                d.kind == SubsidyKind::YearlyBudget,
                d.schedule.as_deref(),
            ) {
                return Err(AppError::Refused(Box::new(crate::RuleRefusal {
                    field: "year",
                    rule: r.kind,
                    decision: r.imposed_by.clone(),
                })));
            }
        }
        d.municipality = m.id.0.clone();
        let audit = |id: &str| entry(caller, ACT, "subsidy", id, None, json(&d));
        let id = self
            .store()
            .insert_subsidy(&d, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.subsidy(caller, &id).await
    }

    /// A subsidy; its file (steps and documents) for the municipality's officials and the
    /// receiving foundation's board, where it stands for everybody.
    pub async fn subsidy(&self, caller: &Caller, id: &str) -> Result<SubsidyView, AppError> {
        let r = self.find_subsidy(id).await?;
        self.view(caller, r).await
    }

    async fn view(&self, caller: &Caller, record: SubsidyRecord) -> Result<SubsidyView, AppError> {
        self.view_with(caller, record, &mut ViewRows::default())
            .await
    }

    /// A subsidy's view, with the rows it names (lineage, foundation, working group,
    /// partnerships) taken from `rows` where an earlier view of the same call read them: a
    /// list of subsidies reads each once, not once per subsidy.
    async fn view_with(
        &self,
        caller: &Caller,
        mut record: SubsidyRecord,
        rows: &mut ViewRows,
    ) -> Result<SubsidyView, AppError> {
        let life = SubsidyLifeCycle::replay(record.draft.kind, record.steps.clone()).map_err(
            |(i, e)| StoreError::Corrupt(format!("subsidy {} step {i}: {e}", record.id)),
        )?;
        let municipality = MunicipalityId(record.draft.municipality.clone());
        if rows.lineage.is_none() {
            rows.lineage = Some(self.store().lineage().await?);
        }
        let holder = rows
            .lineage
            .as_ref()
            .expect("read just now")
            .holder(&municipality)
            .0;
        let foundation = match rows.foundations.get(&record.draft.foundation) {
            Some(f) => f.clone(),
            None => {
                let f = self
                    .store()
                    .foundation(&record.draft.foundation)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("subsidy foundation".into()))?;
                rows.foundations.insert(f.id.clone(), f.clone());
                f
            }
        };
        let group = match &record.draft.working_group {
            Some(g) => match rows.groups.get(g) {
                Some(found) => found.clone(),
                None => {
                    let found = self.store().working_group(g).await?;
                    rows.groups.insert(g.clone(), found.clone());
                    found
                }
            },
            None => None,
        };
        let may_edit = self
            .register
            .allows(caller, &Action::ManageSubsidies(holder.clone()));
        let file_visible = self.register.allows(
            caller,
            &Action::ReadSubsidy {
                municipality: holder,
                foundation: foundation.id.clone(),
            },
        );
        let mut partnerships = Vec::new();
        for p in &record.draft.partnerships {
            let view = match rows.partnerships.get(p) {
                Some(v) => v.clone(),
                None => {
                    let v = self.register.partnership(p).await?.view;
                    rows.partnerships.insert(p.clone(), v.clone());
                    v
                }
            };
            partnerships.push(view);
        }
        if !file_visible {
            record.steps.clear();
            record.draft.activity = None;
        }
        let counted = life.settled().or(life.granted()).unwrap_or(Euros::ZERO);
        Ok(SubsidyView {
            stage: life.stage(),
            granted: life.granted(),
            settled: life.settled(),
            advances_paid: if file_visible {
                life.advances_paid()
            } else {
                Euros::ZERO
            },
            balance: life.balance().filter(|_| file_visible),
            counted,
            next: if may_edit { life.stage().next() } else { &[] },
            record,
            foundation,
            group,
            partnerships,
            may_edit,
            file_visible,
        })
    }

    /// Takes the next step of a subsidy's life cycle (the municipality's officials). A step
    /// that skips one, goes back, or breaks a rule of the step is refused with the field it
    /// concerns; nothing is stored then.
    pub async fn add_step(
        &self,
        caller: &Caller,
        id: &str,
        input: &StepInput,
    ) -> Result<SubsidyView, AppError> {
        const ACT: &str = "subsidy.step";
        self.register.check_login(caller, ACT).await?;
        let r = self.find_subsidy(id).await?;
        let holder = self
            .register
            .holder(&MunicipalityId(r.draft.municipality.clone()))
            .await?;
        self.register
            .check(
                caller,
                &Action::ManageSubsidies(holder),
                ACT,
                Some(("subsidy", &r.id)),
            )
            .await?;
        let step = parse_step(input)?;
        let life = SubsidyLifeCycle::replay(r.draft.kind, r.steps.clone())
            .map_err(|(i, e)| StoreError::Corrupt(format!("subsidy {} step {i}: {e}", r.id)))?;
        life.apply(step.clone()).map_err(ValidationErrors::from)?;
        // The audit log is kept for years and cannot be changed: it gets the step's kind, date,
        // document and amount, never the free text of its conditions (which may name people).
        let audited = serde_json::json!({
            "step": step.kind().as_str(),
            "date": step.date().to_string(),
            "document": step.document().as_str(),
            "seq": r.steps.len() + 1,
        });
        let audit = entry(
            caller,
            ACT,
            "subsidy",
            &r.id,
            None,
            Some(audited.to_string()),
        );
        self.store()
            .append_step(&r.id, r.steps.len() + 1, &step, &audit)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { .. } => {
                    AppError::Invalid(ValidationErrors::single("step", "error-subsidy-changed"))
                }
                other => AppError::from_store(other),
            })?;
        self.subsidy(caller, &r.id).await
    }

    /// Every subsidy of a municipality as the caller may see it.
    pub async fn subsidies(
        &self,
        caller: &Caller,
        municipality: &str,
    ) -> Result<Vec<SubsidyView>, AppError> {
        let m = self.municipality(municipality).await?;
        let mut out = Vec::new();
        let mut rows = ViewRows::default();
        for r in self.store().subsidies(Some(&m.id.0)).await? {
            out.push(self.view_with(caller, r, &mut rows).await?);
        }
        Ok(out)
    }

    /// The subsidy register as municipalities publish it: what the municipality granted, to
    /// which organisation, for what, granted and settled (public; organisations only).
    pub async fn subsidy_register(
        &self,
        municipality: &str,
        years: Option<(i16, i16)>,
    ) -> Result<Vec<RegisterLine>, AppError> {
        let public = Caller::public();
        let mut out = Vec::new();
        for v in self.subsidies(&public, municipality).await? {
            let d = &v.record.draft;
            // What the municipality granted: not applications still open, nor refusals.
            if d.grantor != Grantor::Municipality
                || v.granted.is_none()
                || years.is_some_and(|(a, b)| d.year < a || d.year > b)
            {
                continue;
            }
            let recipient = match &v.group {
                Some(g) => format!("{} ({})", v.foundation.draft.name, g.draft.name),
                None => v.foundation.draft.name.to_string(),
            };
            out.push(RegisterLine {
                id: v.record.id.clone(),
                year: d.year,
                recipient,
                purpose: d.purpose.to_string(),
                kind: d.kind,
                stage: v.stage,
                granted: v.granted,
                settled: v.settled,
            });
        }
        Ok(out)
    }

    // ---- the municipal overview ----------------------------------------------------------------

    /// All municipal money spent on twinning per year and partnership, with the private income
    /// of the municipality's working groups beside it and the leverage. Public: it is made of
    /// the subsidy register and ledger totals, nothing personal.
    pub async fn municipal_overview(
        &self,
        municipality: &str,
        from: i16,
        to: i16,
    ) -> Result<MunicipalOverview, AppError> {
        let m = self.municipality(municipality).await?;
        let known = self.partnerships_of(&m).await?;
        let schedules: BTreeMap<String, ScheduleRecord> = self
            .store()
            .schedules(Some(&m.id.0))
            .await?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let mut years: BTreeMap<i16, MunicipalYear> = (from..=to)
            .map(|y| {
                (
                    y,
                    MunicipalYear {
                        year: y,
                        ..Default::default()
                    },
                )
            })
            .collect();
        let public = Caller::public();
        let subsidies = self.store().subsidies(Some(&m.id.0)).await?;
        // Yearly budget subsidies per recipient, for the art. 4:51 check.
        let mut series: BTreeMap<(String, SubsidyKind), BTreeMap<i16, Euros>> = BTreeMap::new();
        let mut recipients: BTreeMap<String, String> = BTreeMap::new();
        let mut rows = ViewRows::default();
        for r in subsidies {
            let v = self.view_with(&public, r, &mut rows).await?;
            let d = &v.record.draft;
            if d.grantor != Grantor::Municipality {
                continue;
            }
            if d.kind == SubsidyKind::YearlyBudget {
                *series
                    .entry((d.foundation.clone(), d.kind))
                    .or_default()
                    .entry(d.year)
                    .or_default() += v.granted.unwrap_or(Euros::ZERO);
                recipients.insert(d.foundation.clone(), v.foundation.draft.name.to_string());
            }
            let Some(y) = years.get_mut(&d.year) else {
                continue;
            };
            if !d.kind.is_cash() {
                y.in_kind += v.counted;
                continue;
            }
            *y.by_kind.entry(d.kind).or_default() += v.counted;
            y.cash += v.counted;
            for (p, amount) in split_over_partnerships(&v, &schedules) {
                *y.by_partnership.entry(p).or_default() += amount;
            }
        }
        // Private income of the working groups of the municipality's foundations.
        let mut groups = Vec::new();
        for f in self.store().foundations(Some(&m.id)).await? {
            groups.extend(
                self.store()
                    .working_groups(Some(&f.id))
                    .await?
                    .into_iter()
                    .map(|g| g.id),
            );
        }
        if !groups.is_empty() {
            let lines = self
                .store()
                .transactions(&TransactionFilter {
                    working_groups: groups,
                    ..Default::default()
                })
                .await?;
            for t in lines {
                if let Flow::Income(s) = t.draft.flow
                    && s.private()
                    && let Some(y) = years.get_mut(&t.draft.date.year())
                {
                    y.private_income += t.draft.amount;
                }
            }
        }
        for y in years.values_mut() {
            y.leverage = leverage(y.private_income, y.cash);
        }
        // A year counts as known once a subsidy of it is recorded, or once it is over: the
        // running budget year without a recorded subsidy is not yet "stopped".
        let last_recorded = series
            .values()
            .filter_map(|g| g.keys().next_back().copied())
            .max()
            .unwrap_or(i16::MIN);
        let known_through = (today().year() - 1).max(last_recorded).min(to);
        let abrupt_stops = series
            .into_iter()
            .filter_map(|((f, kind), granted)| {
                abrupt_stop(&granted, known_through).map(|stopped_in| AbruptStop {
                    recipient: recipients.get(&f).cloned().unwrap_or(f),
                    kind,
                    stopped_in,
                })
            })
            .collect();
        let years: Vec<MunicipalYear> = years.into_values().collect();
        let total_cash: Euros = years.iter().map(|y| y.cash).sum();
        let total_private: Euros = years.iter().map(|y| y.private_income).sum();
        Ok(MunicipalOverview {
            leverage: leverage(total_private, total_cash),
            total_cash,
            total_private,
            municipality: m,
            years,
            partnerships: known.into_values().collect(),
            abrupt_stops,
        })
    }

    // ---- ledgers ------------------------------------------------------------------------------

    async fn group_and_foundation(
        &self,
        group: &str,
    ) -> Result<(WorkingGroup, Foundation, MunicipalityId), AppError> {
        let g = self
            .store()
            .working_group(key_of(group)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let f = self
            .store()
            .foundation(&g.foundation)
            .await?
            .ok_or(AppError::NotFound)?;
        let holder = self.register.holder(&f.draft.municipality).await?;
        Ok((g, f, holder))
    }

    /// A working group's ledger over a period (default: everything up to today), with the
    /// running balance, and its income by source and expenses by category per year.
    pub async fn ledger(
        &self,
        caller: &Caller,
        group: &str,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Ledger, AppError> {
        const ACT: &str = "ledger.read";
        self.register.check_login(caller, ACT).await?;
        let (g, f, holder) = self.group_and_foundation(group).await?;
        let right = Action::ReadLedger {
            foundation: f.id.clone(),
            municipality: holder,
            group: g.id.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("working-group", &g.id)))
            .await?;
        let all = self
            .store()
            .transactions(&TransactionFilter {
                working_groups: vec![g.id.clone()],
                to,
                ..Default::default()
            })
            .await?;
        let entries: Vec<LedgerEntry> = all
            .iter()
            .map(|t| LedgerEntry {
                date: t.draft.date,
                amount: t.draft.flow.signed(t.draft.amount),
            })
            .collect();
        let mut running = match from {
            Some(d) => balance_at(&entries, d.yesterday().unwrap_or(d)),
            None => Euros::ZERO,
        };
        let mut lines = Vec::new();
        let mut years: BTreeMap<i16, GroupYear> = BTreeMap::new();
        for t in all {
            if from.is_some_and(|d| t.draft.date < d) {
                continue;
            }
            let signed = t.draft.flow.signed(t.draft.amount);
            running += signed;
            let y = years
                .entry(t.draft.date.year())
                .or_insert_with(|| GroupYear {
                    year: t.draft.date.year(),
                    ..Default::default()
                });
            match t.draft.flow {
                Flow::Income(s) => {
                    *y.income.entry(s).or_default() += t.draft.amount;
                    y.total_income += t.draft.amount;
                    if s.municipal() {
                        y.municipal += t.draft.amount;
                    }
                    if s.private() {
                        y.private += t.draft.amount;
                    }
                }
                Flow::Expense(c) => {
                    *y.expenses.entry(c).or_default() += t.draft.amount;
                    y.total_expenses += t.draft.amount;
                }
            }
            lines.push(LedgerLine {
                record: t,
                signed,
                balance: running,
            });
        }
        for y in years.values_mut() {
            y.leverage = leverage(y.private, y.municipal);
            y.municipal_share = (y.total_income.is_positive())
                .then(|| (y.municipal.to_decimal() / y.total_income.to_decimal()).round_dp(4));
        }
        let at = to.unwrap_or_else(today);
        let may_edit = self.register.allows(
            caller,
            &Action::ManageMoney {
                foundation: f.id.clone(),
            },
        );
        Ok(Ledger {
            balance: balance_at(&entries, at),
            at,
            lines,
            years: years.into_values().collect(),
            group: g,
            foundation: f,
            may_edit,
        })
    }

    /// Records income or an expense in a working group's ledger (the foundation's board). An
    /// activity must be the group's own; a subsidy must be to the group's foundation (and, when
    /// it names a group, to this group).
    pub async fn add_transaction(
        &self,
        caller: &Caller,
        input: &TransactionInput,
    ) -> Result<TransactionRecord, AppError> {
        self.record_transaction(caller, input, false).await
    }

    /// As [`Money::add_transaction`]; `illustrative` marks invented demo lines.
    pub async fn record_transaction(
        &self,
        caller: &Caller,
        input: &TransactionInput,
        illustrative: bool,
    ) -> Result<TransactionRecord, AppError> {
        const ACT: &str = "transaction.create";
        self.register.check_login(caller, ACT).await?;
        let mut d = TransactionDraft::parse(input)?;
        let (g, f, _) = match self.group_and_foundation(&d.working_group).await {
            Ok(x) => x,
            Err(AppError::NotFound) => {
                return Err(ValidationErrors::single(
                    "workingGroup",
                    "error-working-group-unknown",
                )
                .into());
            }
            Err(e) => return Err(e),
        };
        self.register
            .check(
                caller,
                &Action::ManageMoney {
                    foundation: f.id.clone(),
                },
                ACT,
                Some(("working-group", &g.id)),
            )
            .await?;
        let mut e = ValidationErrors::default();
        if let Some(a) = &d.activity {
            match self.store().activity(a).await? {
                Some(a) => match &a.draft.organiser {
                    stedenband_domain::activity::Organiser::WorkingGroup(og) if *og == g.id => {}
                    _ => e.push("activity", "error-transaction-activity-other-group"),
                },
                None => e.push("activity", "error-activity-unknown"),
            }
        }
        if let Some(s) = &d.subsidy {
            match self.store().subsidy(s).await? {
                Some(s)
                    if s.draft.foundation == f.id
                        && s.draft.working_group.as_ref().is_none_or(|sg| *sg == g.id) => {}
                Some(_) => e.push("subsidy", "error-transaction-subsidy-other-group"),
                None => e.push("subsidy", "error-subsidy-unknown"),
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        d.working_group = g.id.clone();
        // Not the description: it may name people, and the audit log is never changed.
        let audited = serde_json::json!({
            "workingGroup": d.working_group,
            "date": d.date.to_string(),
            "flow": d.flow,
            "amountCents": d.amount.cents(),
            "activity": d.activity,
            "subsidy": d.subsidy,
            "fields": ["description", "document"],
        })
        .to_string();
        let audit = |t: &TransactionRecord| {
            entry(
                caller,
                ACT,
                "transaction",
                &t.id,
                None,
                Some(audited.clone()),
            )
        };
        let t = self
            .store()
            .insert_transaction(&d, illustrative, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(t)
    }

    /// The ledger lines of several groups (for exports and the API); the same right as one
    /// ledger, for each group.
    pub async fn transactions(
        &self,
        caller: &Caller,
        group: &str,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<LedgerLine>, AppError> {
        Ok(self.ledger(caller, group, from, to).await?.lines)
    }
}

/// How a subsidy's counted amount is attributed to its partnerships: by its schedule's parts
/// when the amount is the schedule's total for the year, else in equal shares to the cent
/// (largest remainder, the first partnership first); money for no partnership under "".
fn split_over_partnerships(
    v: &SubsidyView,
    schedules: &BTreeMap<String, ScheduleRecord>,
) -> Vec<(String, Euros)> {
    let d = &v.record.draft;
    if let Some(s) = d.schedule.as_ref().and_then(|s| schedules.get(s)) {
        let computed = s.draft.phase_out.compute();
        if let Some(y) = computed.years.iter().find(|y| y.year == d.year)
            && y.total == v.counted
            && s.draft.partnerships.len() == y.parts.len()
            && {
                let mut a = s.draft.partnerships.clone();
                let mut b = d.partnerships.clone();
                a.sort();
                b.sort();
                a == b
            }
        {
            return s
                .draft
                .partnerships
                .iter()
                .cloned()
                .zip(y.parts.iter().copied())
                .collect();
        }
    }
    if d.partnerships.is_empty() {
        return vec![(String::new(), v.counted)];
    }
    let split = Split::equal(d.partnerships.len()).expect("one or more");
    d.partnerships
        .iter()
        .cloned()
        .zip(split.apply(v.counted, Euros::from_cents(1)))
        .collect()
}

/// The partnership ids a set of views covers (for labels).
pub fn partnership_ids(views: &[PartnershipView]) -> BTreeSet<PartnershipId> {
    views.iter().map(|p| p.partnership.id.clone()).collect()
}

fn json(v: &impl Serialize) -> Option<String> {
    serde_json::to_string(v).ok()
}
