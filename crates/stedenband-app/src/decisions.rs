//! Council decisions and motions, the rules they impose and lift, policy scenarios with their
//! projection and adoption, and the ending of a partnership.
//!
//! Rights: the officials of the municipality that holds the business record and change its
//! decisions, scenarios and endings (`Action::ManageDecisions`); everyone reads the adopted
//! decisions, the rules and the scenarios; decisions that were not adopted (proposals,
//! rejected or withdrawn motions) are read by the officials only.
//!
//! The audit log records codes, dates and ids, never the decisions' texts or the letters.

use crate::organisation::today;
use crate::register::entry;
use crate::{Activities, AppError, Caller, Register};
use jiff::civil::Date;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use stedenband_domain::audit::{AuditDraft, Outcome};
use stedenband_domain::decision::{
    AffectedKind, DecisionDraft, DecisionInput, DecisionOutcome, DecisionRef, Rule, RuleDraft,
    RuleInput, affect_fields, lift_field, rule_fields,
};
use stedenband_domain::ending::{
    BondHistory, CompleteInput, Ending, FinalStatus, LetterInput, NotifyInput, StartInput,
    letter_draft,
};
use stedenband_domain::funding::Grantor;
use stedenband_domain::money::{Euros, IncomeSource, SubsidyKind};
use stedenband_domain::scenario::{
    Baseline, Change, ComparedYear, Effect, GroupUsual, Horizon, LineKey, LineKind, Projection,
    ScenarioDraft, ScenarioInput, change_fields, compare, effects, project,
};
use stedenband_domain::{
    Action, Municipality, MunicipalityId, PartnershipStatus, ValidationErrors,
};
use stedenband_store::{
    Adoption, DecisionRecord, NewRule, PlanYear, ScenarioRecord, Store, TransactionFilter,
};

/// An id from an address; anything odd is simply not found.
fn key_of(raw: &str) -> Result<&str, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(k)
}

/// A decision with its municipality, the rules it imposed and lifted, and what it affects.
#[derive(Debug, Clone)]
pub struct DecisionView {
    pub record: DecisionRecord,
    pub municipality: Municipality,
    pub imposed: Vec<Rule>,
    pub lifted: Vec<Rule>,
    /// What it affects, with a readable name each (in the order given).
    pub affected: Vec<(AffectedKind, String, String)>,
    pub may_edit: bool,
}

/// A scenario projected over a horizon.
#[derive(Debug, Clone)]
pub struct ScenarioView {
    pub record: ScenarioRecord,
    pub municipality: Municipality,
    pub horizon: Horizon,
    pub baseline: Baseline,
    pub projection: Projection,
    /// Partnership ids → "Partner (home)"; working group ids → names.
    pub names: BTreeMap<String, String>,
    pub may_adopt: bool,
}

/// Several scenarios of one municipality side by side.
#[derive(Debug, Clone)]
pub struct ScenarioComparison {
    pub scenarios: Vec<ScenarioView>,
    pub years: Vec<ComparedYear>,
}

/// What an adoption did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct AdoptionView {
    pub scenario: ScenarioView,
    pub effects: Vec<Effect>,
    /// The adopting decision; `None` in a dry run.
    pub decision: Option<String>,
}

/// A partnership's ending with the partnership it ends.
#[derive(Debug, Clone)]
pub struct EndingView {
    pub ending: Ending,
    pub partnership: crate::PartnershipView,
    pub may_edit: bool,
}

#[derive(Clone, Debug)]
pub struct Decisions {
    register: Register,
    activities: Activities,
}

impl Decisions {
    pub fn new(register: Register) -> Self {
        Self {
            activities: Activities::new(register.clone()),
            register,
        }
    }

    fn store(&self) -> &Store {
        self.register.store()
    }

    async fn municipality_of(&self, key: &str) -> Result<Municipality, AppError> {
        self.register
            .find_municipality(key)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The ids of a municipality and its predecessors.
    async fn lineage_ids(&self, m: &MunicipalityId) -> Result<Vec<String>, AppError> {
        Ok(self
            .store()
            .lineage()
            .await?
            .with_predecessors(m)
            .into_iter()
            .map(|m| m.0)
            .collect())
    }

    async fn holder(&self, m: &str) -> Result<MunicipalityId, AppError> {
        self.register.holder(&MunicipalityId(m.to_owned())).await
    }

    fn may_manage(&self, caller: &Caller, holder: &MunicipalityId) -> bool {
        self.register
            .allows(caller, &Action::ManageDecisions(holder.clone()))
    }

    /// Whether the caller may record decisions of this municipality (for offering the forms).
    pub async fn may_record(&self, caller: &Caller, m: &Municipality) -> bool {
        match self.register.holder(&m.id).await {
            Ok(h) => self.may_manage(caller, &h),
            Err(_) => false,
        }
    }

    /// The partnerships a municipality holds, by id, with their views.
    async fn partnerships_of(
        &self,
        m: &Municipality,
    ) -> Result<BTreeMap<String, crate::PartnershipView>, AppError> {
        let v = self.register.municipality(m.id.0.as_str()).await?;
        Ok(v.partnerships
            .into_iter()
            .map(|p| (p.partnership.id.0.clone(), p))
            .collect())
    }

    /// The working groups of the foundations in a municipality and its predecessors: id → name.
    async fn groups_of(&self, m: &Municipality) -> Result<BTreeMap<String, String>, AppError> {
        let mut out = BTreeMap::new();
        for id in self.lineage_ids(&m.id).await? {
            for f in self.store().foundations(Some(&MunicipalityId(id))).await? {
                for g in self.store().working_groups(Some(&f.id)).await? {
                    out.insert(g.id.clone(), g.draft.name.to_string());
                }
            }
        }
        Ok(out)
    }

    // ---- decisions ------------------------------------------------------------------------

    /// Records a decision with what it affects, the rules it imposes and the rules it lifts.
    /// Everything referred to must be the municipality's; a lifted rule must have been imposed
    /// on or before the lifting decision's date and not be lifted yet.
    pub async fn create(
        &self,
        caller: &Caller,
        input: &DecisionInput,
    ) -> Result<DecisionView, AppError> {
        const ACT: &str = "decision.create";
        self.register.check_login(caller, ACT).await?;
        let m = self.authorised_municipality(caller, input, ACT).await?;
        let (draft, rules) = self.checked(input, &m, None).await?;
        let after = audited(&draft, &rules);
        let audit = |id: &str| entry(caller, ACT, "decision", id, None, Some(after.clone()));
        let id = self
            .store()
            .insert_decision(&draft, &rules, &audit)
            .await
            .map_err(|e| match e {
                stedenband_store::StoreError::Conflict { field: "lifts" } => {
                    AppError::Invalid(ValidationErrors::single("lifts", "error-rule-lifted"))
                }
                other => AppError::from_store(other),
            })?;
        self.decision(caller, &id).await
    }

    /// Changes a decision's fields and what it affects. Its rules stay; a decision that carries
    /// rules stays adopted.
    pub async fn update(
        &self,
        caller: &Caller,
        id: &str,
        input: &DecisionInput,
    ) -> Result<DecisionView, AppError> {
        const ACT: &str = "decision.update";
        self.register.check_login(caller, ACT).await?;
        let current = self
            .store()
            .decision(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let holder = self.holder(&current.draft.municipality).await?;
        self.register
            .check(
                caller,
                &Action::ManageDecisions(holder),
                ACT,
                Some(("decision", &current.id)),
            )
            .await?;
        let m = self.municipality_of(&current.draft.municipality).await?;
        let mut input = input.clone();
        input.municipality = Some(m.id.0.clone());
        if !input.rules.is_empty() || !input.lifts.is_empty() {
            return Err(ValidationErrors::single("rules", "error-rules-on-update").into());
        }
        let (draft, _) = self.checked(&input, &m, Some(&current.id)).await?;
        // A decision that rules, an adoption or an ending rest on keeps its outcome and date.
        let all = self.store().rules(std::slice::from_ref(&m.id.0)).await?;
        let mut carries = all.iter().any(|r| {
            r.imposed_by.id == current.id
                || r.lifted_by.as_ref().is_some_and(|l| l.id == current.id)
        });
        if !carries {
            carries = self
                .store()
                .scenarios(std::slice::from_ref(&m.id.0))
                .await?
                .iter()
                .any(|x| x.adopted_by.as_ref().is_some_and(|a| a.id == current.id));
        }
        if !carries {
            for a in &current.draft.affects {
                if a.kind == AffectedKind::Partnership
                    && self
                        .store()
                        .ending(&a.id)
                        .await?
                        .is_some_and(|e| e.decision.id == current.id)
                {
                    carries = true;
                }
            }
        }
        if carries && draft.outcome != current.draft.outcome {
            return Err(ValidationErrors::single("outcome", "error-decision-has-rules").into());
        }
        if carries && draft.date != current.draft.date {
            return Err(ValidationErrors::single("date", "error-decision-has-rules").into());
        }
        let audit = entry(
            caller,
            ACT,
            "decision",
            &current.id,
            Some(audited(&current.draft, &[])),
            Some(audited(&draft, &[])),
        );
        self.store()
            .update_decision(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.decision(caller, &current.id).await
    }

    /// Resolves the input's municipality and checks the caller's right on it (before the rest
    /// of the input is looked at).
    async fn authorised_municipality(
        &self,
        caller: &Caller,
        input: &DecisionInput,
        act: &str,
    ) -> Result<Municipality, AppError> {
        let m = match input.municipality.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => self.register.find_municipality(k).await?,
            _ => None,
        };
        let Some(m) = m else {
            let mut e = DecisionDraft::parse(input, today())
                .err()
                .unwrap_or_default();
            e.0.retain(|f| f.field != "municipality");
            e.0.insert(
                0,
                stedenband_domain::FieldError::new("municipality", "error-municipality-unknown"),
            );
            return Err(e.into());
        };
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(caller, &Action::ManageDecisions(holder), act, None)
            .await?;
        Ok(m)
    }

    /// Parses a decision and checks its references against the municipality.
    async fn checked(
        &self,
        input: &DecisionInput,
        m: &Municipality,
        existing: Option<&str>,
    ) -> Result<(DecisionDraft, Vec<NewRule>), AppError> {
        let mut draft = DecisionDraft::parse(input, today())?;
        draft.municipality = m.id.0.clone();
        let mut e = ValidationErrors::default();
        let lineage = self.lineage_ids(&m.id).await?;
        let partnerships = self.partnerships_of(m).await?;
        let groups = self.groups_of(m).await?;
        // Each parsed item's place in the input (blank rows and repeats were skipped).
        let affect_places: Vec<usize> = {
            let mut seen = Vec::new();
            let mut places = Vec::new();
            for (i, a) in input.affects.iter().enumerate() {
                let key = (
                    a.kind.as_deref().unwrap_or("").trim().to_owned(),
                    a.id.as_deref().unwrap_or("").trim().to_owned(),
                );
                if (key.0.is_empty() && key.1.is_empty()) || seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                places.push(i);
            }
            places
        };
        let rule_places: Vec<usize> = input
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                [&r.kind, &r.from, &r.schedule]
                    .iter()
                    .any(|v| v.as_deref().is_some_and(|t| !t.trim().is_empty()))
            })
            .map(|(i, _)| i)
            .collect();
        let lift_places: Vec<usize> = {
            let mut seen: Vec<&str> = Vec::new();
            let mut places = Vec::new();
            for (i, l) in input.lifts.iter().enumerate() {
                let l = l.trim();
                if l.is_empty() || seen.contains(&l) {
                    continue;
                }
                seen.push(l);
                places.push(i);
            }
            places
        };
        for (n, a) in draft.affects.iter().enumerate() {
            let i = affect_places.get(n).copied().unwrap_or(n);
            let [_, field] = affect_fields(i).expect("parsed within bounds");
            let own = match a.kind {
                AffectedKind::Partnership => partnerships.contains_key(&a.id),
                AffectedKind::WorkingGroup => groups.contains_key(&a.id),
                AffectedKind::Subsidy => self
                    .store()
                    .subsidy(&a.id)
                    .await?
                    .is_some_and(|s| lineage.contains(&s.draft.municipality)),
                AffectedKind::Schedule => self
                    .store()
                    .schedule(&a.id)
                    .await?
                    .is_some_and(|s| lineage.contains(&s.draft.municipality)),
                AffectedKind::Evaluation => self
                    .store()
                    .evaluation(&a.id)
                    .await?
                    .is_some_and(|v| lineage.contains(&v.draft.municipality)),
            };
            if !own {
                e.push(field, "error-affected-unknown");
            }
        }
        let mut rules = Vec::new();
        for (n, r) in draft.rules.iter().enumerate() {
            let i = rule_places.get(n).copied().unwrap_or(n);
            let [_, _, fs] = rule_fields(i).expect("parsed within bounds");
            match self.new_rule(r, draft.date, &lineage).await? {
                Ok(n) => rules.push(n),
                Err(key) => e.push(fs, key),
            }
        }
        if !draft.lifts.is_empty() {
            let all = self.store().rules(&lineage).await?;
            for (n, l) in draft.lifts.iter().enumerate() {
                let i = lift_places.get(n).copied().unwrap_or(n);
                let field = lift_field(i).expect("parsed within bounds");
                match all.iter().find(|r| &r.id == l) {
                    None => e.push(field, "error-rule-unknown"),
                    Some(r) if r.lifted_by.is_some() => e.push(field, "error-rule-lifted"),
                    Some(r)
                        if r.imposed_by.date > draft.date
                            || Some(r.imposed_by.id.as_str()) == existing =>
                    {
                        e.push(field, "error-lift-not-later")
                    }
                    Some(_) => {}
                }
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok((draft, rules))
    }

    /// A rule's stored form: its schedule checked, its date defaulted (the decision's date;
    /// for *subsidy ends*, the first year of the schedule without subsidy).
    async fn new_rule(
        &self,
        r: &RuleDraft,
        decided: Date,
        lineage: &[String],
    ) -> Result<Result<NewRule, &'static str>, AppError> {
        let mut from = r.from.unwrap_or(decided);
        if let Some(s) = &r.schedule {
            match self.store().schedule(s).await? {
                Some(rec) if lineage.contains(&rec.draft.municipality) => {
                    if r.from.is_none() {
                        let p = &rec.draft.phase_out;
                        let end = p.base_year() + i16::from(p.years());
                        from = Date::new(end, 1, 1).unwrap_or(decided).max(decided);
                    }
                }
                _ => return Ok(Err("error-schedule-unknown")),
            }
        }
        Ok(Ok(NewRule {
            kind: r.kind,
            from,
            schedule: r.schedule.clone(),
        }))
    }

    /// Adds a rule to an adopted decision. Without a decision there is no rule.
    pub async fn add_rule(
        &self,
        caller: &Caller,
        decision: Option<&str>,
        input: &RuleInput,
    ) -> Result<Rule, AppError> {
        const ACT: &str = "rule.create";
        self.register.check_login(caller, ACT).await?;
        let Some(decision) = decision.map(str::trim).filter(|d| !d.is_empty()) else {
            let mut e = RuleDraft::parse(input).err().unwrap_or_default();
            e.0.insert(
                0,
                stedenband_domain::FieldError::new("decision", "error-rule-needs-decision"),
            );
            return Err(e.into());
        };
        let d = match self
            .store()
            .decision(key_of(decision).map_err(|_| {
                AppError::Invalid(ValidationErrors::single(
                    "decision",
                    "error-decision-unknown",
                ))
            })?)
            .await?
        {
            Some(d) => d,
            None => {
                return Err(ValidationErrors::single("decision", "error-decision-unknown").into());
            }
        };
        let holder = self.holder(&d.draft.municipality).await?;
        self.register
            .check(
                caller,
                &Action::ManageDecisions(holder),
                ACT,
                Some(("decision", &d.id)),
            )
            .await?;
        let rule = RuleDraft::parse(input)?;
        if d.draft.outcome != DecisionOutcome::Adopted {
            return Err(
                ValidationErrors::single("decision", "error-rule-needs-adopted-decision").into(),
            );
        }
        if rule.from.is_some_and(|f| f < d.draft.date) {
            return Err(ValidationErrors::single("from", "error-rule-before-decision").into());
        }
        let m = self.municipality_of(&d.draft.municipality).await?;
        let lineage = self.lineage_ids(&m.id).await?;
        let n = match self.new_rule(&rule, d.draft.date, &lineage).await? {
            Ok(n) => n,
            Err(key) => return Err(ValidationErrors::single("schedule", key).into()),
        };
        let after = json!({
            "decision": d.id,
            "kind": n.kind.as_str(),
            "from": n.from.to_string(),
            "schedule": n.schedule,
        })
        .to_string();
        let audit = |id: &str| entry(caller, ACT, "rule", id, None, Some(after.clone()));
        let id = self
            .store()
            .insert_rule(&d.draft.municipality, &d.id, &n, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.store()
            .rule(&id)
            .await?
            .ok_or_else(|| AppError::Store(stedenband_store::StoreError::NotFound))
    }

    /// One decision. Those not adopted are the officials' only (others: not found).
    pub async fn decision(&self, caller: &Caller, id: &str) -> Result<DecisionView, AppError> {
        let r = self
            .store()
            .decision(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let holder = self.holder(&r.draft.municipality).await?;
        let may_edit = self.may_manage(caller, &holder);
        if r.draft.outcome != DecisionOutcome::Adopted && !may_edit {
            return Err(AppError::NotFound);
        }
        self.view(r, may_edit).await
    }

    async fn view(&self, r: DecisionRecord, may_edit: bool) -> Result<DecisionView, AppError> {
        let m = self.municipality_of(&r.draft.municipality).await?;
        let rules = self.store().rules(std::slice::from_ref(&m.id.0)).await?;
        let imposed = rules
            .iter()
            .filter(|x| x.imposed_by.id == r.id)
            .cloned()
            .collect();
        let lifted = rules
            .iter()
            .filter(|x| x.lifted_by.as_ref().is_some_and(|l| l.id == r.id))
            .cloned()
            .collect();
        let mut affected = Vec::new();
        for a in &r.draft.affects {
            affected.push((a.kind, a.id.clone(), self.label(a.kind, &a.id).await?));
        }
        Ok(DecisionView {
            record: r,
            municipality: m,
            imposed,
            lifted,
            affected,
            may_edit,
        })
    }

    /// A readable name for an affected record.
    async fn label(&self, kind: AffectedKind, id: &str) -> Result<String, AppError> {
        Ok(match kind {
            AffectedKind::Partnership => match self.register.partnership(id).await {
                Ok(p) => format!("{} – {}", p.view.holder.name(), p.view.partner.name()),
                Err(_) => id.to_owned(),
            },
            AffectedKind::Subsidy => match self.store().subsidy(id).await? {
                Some(s) => format!("{} ({})", s.draft.purpose, s.draft.year),
                None => id.to_owned(),
            },
            AffectedKind::Schedule => match self.store().schedule(id).await? {
                Some(s) => s.draft.name.to_string(),
                None => id.to_owned(),
            },
            AffectedKind::Evaluation => match self.store().evaluation(id).await? {
                Some(e) => format!("{} ({})", e.draft.title, e.draft.year),
                None => id.to_owned(),
            },
            AffectedKind::WorkingGroup => match self.store().working_group(id).await? {
                Some(g) => g.draft.name.to_string(),
                None => id.to_owned(),
            },
        })
    }

    /// The decisions of a municipality and its predecessors (or of all), oldest first: the
    /// adopted ones for everyone, all for the officials.
    pub async fn decisions(
        &self,
        caller: &Caller,
        municipality: Option<&str>,
    ) -> Result<Vec<DecisionView>, AppError> {
        let ids = match municipality {
            Some(k) => self.lineage_ids(&self.municipality_of(k).await?.id).await?,
            None => Vec::new(),
        };
        let mut out = Vec::new();
        let mut rights: BTreeMap<String, bool> = BTreeMap::new();
        for r in self.store().decisions(&ids).await? {
            let may = match rights.get(&r.draft.municipality) {
                Some(m) => *m,
                None => {
                    let h = self.holder(&r.draft.municipality).await?;
                    let m = self.may_manage(caller, &h);
                    rights.insert(r.draft.municipality.clone(), m);
                    m
                }
            };
            if r.draft.outcome == DecisionOutcome::Adopted || may {
                out.push(self.view(r, may).await?);
            }
        }
        Ok(out)
    }

    /// The decisions about one record, oldest first, as the caller may see them.
    pub async fn decisions_about(
        &self,
        caller: &Caller,
        kind: AffectedKind,
        id: &str,
    ) -> Result<Vec<DecisionRecord>, AppError> {
        let mut out = Vec::new();
        for r in self.store().decisions_about(kind, id).await? {
            let visible = r.draft.outcome == DecisionOutcome::Adopted || {
                let h = self.holder(&r.draft.municipality).await?;
                self.may_manage(caller, &h)
            };
            if visible {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The rules of a municipality and its predecessors, with their history (public).
    pub async fn rules(&self, municipality: &str) -> Result<Vec<Rule>, AppError> {
        let m = self.municipality_of(municipality).await?;
        let ids = self.lineage_ids(&m.id).await?;
        Ok(self.store().rules(&ids).await?)
    }

    /// The rules in force today of the kinds shown on the overviews (no budget line, no staff
    /// capacity, subsidy ends, no new twinnings).
    pub async fn rules_in_force(&self, municipality: &str) -> Result<Vec<Rule>, AppError> {
        let now = today();
        Ok(self
            .rules(municipality)
            .await?
            .into_iter()
            .filter(|r| r.holds_on(now))
            .collect())
    }

    /// The municipality's plan per year as adopted scenarios wrote it (public).
    pub async fn plan(&self, municipality: &str) -> Result<Vec<PlanYear>, AppError> {
        let m = self.municipality_of(municipality).await?;
        Ok(self.store().plan(&m.id.0).await?)
    }

    // ---- scenarios --------------------------------------------------------------------------

    /// Records a scenario. Its partnerships and working groups must be the municipality's.
    pub async fn create_scenario(
        &self,
        caller: &Caller,
        input: &ScenarioInput,
    ) -> Result<ScenarioView, AppError> {
        const ACT: &str = "scenario.create";
        self.register.check_login(caller, ACT).await?;
        let m = match input.municipality.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => self.register.find_municipality(k).await?,
            _ => None,
        };
        let Some(m) = m else {
            let mut e = ScenarioDraft::parse(input).err().unwrap_or_default();
            e.0.retain(|f| f.field != "municipality");
            e.0.insert(
                0,
                stedenband_domain::FieldError::new("municipality", "error-municipality-unknown"),
            );
            return Err(e.into());
        };
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(caller, &Action::ManageDecisions(holder), ACT, None)
            .await?;
        let mut draft = ScenarioDraft::parse(input)?;
        draft.municipality = m.id.0.clone();
        let partnerships = self.partnerships_of(&m).await?;
        let groups = self.groups_of(&m).await?;
        let mut e = ValidationErrors::default();
        // Each change's place in the input, skipping blank rows as the parser did.
        let places: Vec<usize> = input
            .changes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                [
                    &c.kind,
                    &c.partnership,
                    &c.line,
                    &c.from,
                    &c.amount,
                    &c.hours,
                    &c.status,
                    &c.on,
                ]
                .iter()
                .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
                    || c.line_kind.as_deref().is_some_and(|s| !s.trim().is_empty())
                    || c.working_group
                        .as_deref()
                        .is_some_and(|s| !s.trim().is_empty())
                    || c.to.as_deref().is_some_and(|s| !s.trim().is_empty())
            })
            .map(|(i, _)| i)
            .collect();
        for (n, c) in draft.changes.iter().enumerate() {
            let i = places.get(n).copied().unwrap_or(n);
            let f = change_fields(i).expect("parsed within bounds");
            match c {
                Change::Status { partnership, .. } if !partnerships.contains_key(partnership) => {
                    e.push(f[1], "error-partnership-not-own");
                }
                Change::Line {
                    working_group: Some(g),
                    ..
                } if !groups.contains_key(g) => e.push(f[6], "error-working-group-unknown"),
                _ => {}
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let after = json!({
            "municipality": draft.municipality,
            "code": draft.code,
            "proposed": draft.proposed,
            "horizon": draft.horizon.to_string(),
            "changes": draft.changes,
        })
        .to_string();
        let audit = |id: &str| entry(caller, ACT, "scenario", id, None, Some(after.clone()));
        let id = self
            .store()
            .insert_scenario(&draft, &audit)
            .await
            .map_err(|err| match err {
                stedenband_store::StoreError::Conflict { .. } => AppError::Invalid(
                    ValidationErrors::single("code", "error-scenario-code-taken"),
                ),
                other => AppError::from_store(other),
            })?;
        self.scenario(caller, &id, None).await
    }

    /// The present situation a scenario of `m` starts from in `horizon.from`: the recurring
    /// municipal lines (yearly budget subsidies and in-kind contributions) of the last year
    /// before the horizon that had any, the planned staff capacity of the year before (zero
    /// when none was planned), each partnership's status today, and each working group's usual
    /// money: the yearly average of its expenses and of its income without the municipal part
    /// over the three years before the horizon.
    pub async fn baseline(&self, m: &Municipality, horizon: Horizon) -> Result<Baseline, AppError> {
        let lineage = self.lineage_ids(&m.id).await?;
        let mut by_year: BTreeMap<i16, BTreeMap<LineKey, Euros>> = BTreeMap::new();
        let money = crate::money::Money::new(self.register.clone());
        for v in money.subsidies(&Caller::system(), m.id.0.as_str()).await? {
            let d = &v.record.draft;
            if d.grantor != Grantor::Municipality || d.year >= horizon.from {
                continue;
            }
            let (line_kind, in_kind) = match d.kind {
                SubsidyKind::YearlyBudget => (LineKind::Subsidy, false),
                SubsidyKind::InKind => (LineKind::Contribution, true),
                _ => continue,
            };
            if v.counted.is_zero() {
                continue;
            }
            let key = LineKey {
                line: d.purpose.to_string(),
                line_kind,
                working_group: d.working_group.clone(),
                in_kind,
            };
            *by_year.entry(d.year).or_default().entry(key).or_default() += v.counted;
        }
        let lines = by_year
            .into_iter()
            .next_back()
            .map(|(_, l)| l.into_iter().collect())
            .unwrap_or_default();
        let staff_hours = self
            .store()
            .plan(&m.id.0)
            .await?
            .into_iter()
            .filter(|p| p.year < horizon.from)
            .filter_map(|p| p.staff_hours)
            .next_back()
            .unwrap_or(0);
        let now = today();
        let mut statuses: Vec<(String, PartnershipStatus)> = self
            .partnerships_of(m)
            .await?
            .into_iter()
            .map(|(id, p)| {
                let _ = now;
                (id, p.partnership.status)
            })
            .collect();
        statuses.sort();
        let groups = self.groups_of(m).await?;
        let from = Date::new(horizon.from - 3, 1, 1).ok();
        let to = Date::new(horizon.from - 1, 12, 31).ok();
        let mut usual = Vec::new();
        for g in groups.keys() {
            let lines = self
                .store()
                .transactions(&TransactionFilter {
                    working_groups: vec![g.clone()],
                    from,
                    to,
                    activity: None,
                })
                .await?;
            let (mut expenses, mut income) = (Euros::ZERO, Euros::ZERO);
            for t in &lines {
                match t.draft.flow {
                    stedenband_domain::money::Flow::Expense(_) => expenses += t.draft.amount,
                    stedenband_domain::money::Flow::Income(s) if !is_municipal(s) => {
                        income += t.draft.amount
                    }
                    _ => {}
                }
            }
            usual.push(GroupUsual {
                working_group: g.clone(),
                expenses: third(expenses),
                income_without_municipal: third(income),
            });
        }
        let _ = lineage;
        Ok(Baseline {
            lines,
            staff_hours,
            statuses,
            groups: usual,
        })
    }

    /// A scenario projected over its own horizon or `horizon` (public).
    pub async fn scenario(
        &self,
        caller: &Caller,
        id: &str,
        horizon: Option<Horizon>,
    ) -> Result<ScenarioView, AppError> {
        let r = self
            .store()
            .scenario(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        self.scenario_view(caller, r, horizon).await
    }

    async fn scenario_view(
        &self,
        caller: &Caller,
        record: ScenarioRecord,
        horizon: Option<Horizon>,
    ) -> Result<ScenarioView, AppError> {
        let m = self.municipality_of(&record.draft.municipality).await?;
        let horizon = horizon.unwrap_or(record.draft.horizon);
        let baseline = self.baseline(&m, horizon).await?;
        let projection = project(&baseline, &record.draft.changes, horizon);
        let mut names: BTreeMap<String, String> = self
            .partnerships_of(&m)
            .await?
            .into_iter()
            .map(|(id, p)| (id, p.partner.name().to_string()))
            .collect();
        names.extend(self.groups_of(&m).await?);
        let holder = self.register.holder(&m.id).await?;
        Ok(ScenarioView {
            may_adopt: record.adopted_by.is_none() && self.may_manage(caller, &holder),
            record,
            municipality: m,
            horizon,
            baseline,
            projection,
            names,
        })
    }

    /// The scenarios of a municipality and its predecessors, by code (public).
    pub async fn scenarios(
        &self,
        caller: &Caller,
        municipality: &str,
    ) -> Result<Vec<ScenarioView>, AppError> {
        let m = self.municipality_of(municipality).await?;
        let ids = self.lineage_ids(&m.id).await?;
        let mut out = Vec::new();
        for r in self.store().scenarios(&ids).await? {
            out.push(self.scenario_view(caller, r, None).await?);
        }
        Ok(out)
    }

    /// Scenarios side by side over one horizon (by default the first one's): per year each
    /// one's cash, in kind and staff hours, and each one's cost minus the first's. All must
    /// be of one municipality.
    pub async fn compare(
        &self,
        caller: &Caller,
        ids: &[String],
        horizon: Option<Horizon>,
    ) -> Result<ScenarioComparison, AppError> {
        if ids.len() < 2 || ids.len() > 10 {
            return Err(ValidationErrors::single("scenarios", "error-compare-count").into());
        }
        let mut records = Vec::new();
        for id in ids {
            match self
                .store()
                .scenario(key_of(id).map_err(|_| {
                    AppError::Invalid(ValidationErrors::single(
                        "scenarios",
                        "error-scenario-unknown",
                    ))
                })?)
                .await?
            {
                Some(r) => records.push(r),
                None => {
                    return Err(
                        ValidationErrors::single("scenarios", "error-scenario-unknown").into(),
                    );
                }
            }
        }
        let holders: BTreeSet<MunicipalityId> = {
            let mut s = BTreeSet::new();
            for r in &records {
                s.insert(self.holder(&r.draft.municipality).await?);
            }
            s
        };
        if holders.len() > 1 {
            return Err(ValidationErrors::single("scenarios", "error-scenarios-mixed").into());
        }
        let horizon = horizon.unwrap_or(records[0].draft.horizon);
        let mut scenarios = Vec::new();
        for r in records {
            scenarios.push(self.scenario_view(caller, r, Some(horizon)).await?);
        }
        let projections: Vec<&Projection> = scenarios.iter().map(|s| &s.projection).collect();
        let years = compare(&projections);
        Ok(ScenarioComparison { scenarios, years })
    }

    /// What adopting a scenario by a decision of `decided` (default: today) would change,
    /// without changing anything (the officials). Refused, as the adoption would be, when the
    /// scenario was adopted, another option of the municipality was adopted, or a status change
    /// cannot be carried out (a partnership archived, a date in the future or before its latest
    /// status change).
    pub async fn dry_run(
        &self,
        caller: &Caller,
        id: &str,
        decided: Option<Date>,
    ) -> Result<AdoptionView, AppError> {
        const ACT: &str = "scenario.dry-run";
        self.register.check_login(caller, ACT).await?;
        let view = self.scenario(caller, id, None).await?;
        let holder = self.register.holder(&view.municipality.id).await?;
        self.register
            .check(
                caller,
                &Action::ManageDecisions(holder),
                ACT,
                Some(("scenario", &view.record.id)),
            )
            .await?;
        if view.record.adopted_by.is_some() {
            return Err(
                ValidationErrors::single("scenario", "error-scenario-already-adopted").into(),
            );
        }
        if let Some(other) = self
            .store()
            .scenarios(&self.lineage_ids(&view.municipality.id).await?)
            .await?
            .into_iter()
            .find(|x| {
                // Options exclude each other where their horizons overlap.
                let (a, b) = (x.draft.horizon, view.record.draft.horizon);
                x.adopted_by.is_some() && x.id != view.record.id && a.from <= b.to && b.from <= a.to
            })
        {
            let _ = other;
            return Err(
                ValidationErrors::single("scenario", "error-other-scenario-adopted").into(),
            );
        }
        let decided = decided.unwrap_or_else(today);
        let rules = self.rules(&view.municipality.id.0).await?;
        let effects = effects(
            &view.baseline,
            &view.record.draft,
            &view.projection,
            &rules,
            decided,
        );
        for e in &effects {
            if let Effect::Status {
                partnership, on, ..
            } = e
            {
                let pid = stedenband_domain::PartnershipId(partnership.clone());
                self.register.refuse_archived(&pid).await.map_err(|_| {
                    AppError::Invalid(ValidationErrors::single(
                        "scenario",
                        "error-partnership-archived",
                    ))
                })?;
                if *on > decided {
                    return Err(ValidationErrors::single(
                        "scenario",
                        "error-scenario-status-in-future",
                    )
                    .into());
                }
                let latest = self
                    .store()
                    .partnership_events(&pid)
                    .await?
                    .into_iter()
                    .filter(|e| e.draft.status.is_some())
                    .map(|e| e.draft.date)
                    .max_by(|a, b| a.timeline_cmp(b));
                if latest
                    .is_some_and(|l| stedenband_domain::PartialDate::Date(*on).certainly_before(&l))
                {
                    return Err(ValidationErrors::single(
                        "scenario",
                        "error-scenario-status-before-latest",
                    )
                    .into());
                }
            }
        }
        Ok(AdoptionView {
            scenario: view,
            effects,
            decision: None,
        })
    }

    /// Adopts a scenario with the decision that adopts it: in one transaction the decision is
    /// recorded, the partnerships' statuses change, the plan per year is written, rules are
    /// imposed and lifted, the scenario is marked adopted, and all of it is in the audit log.
    /// The effects are exactly those of [`Decisions::dry_run`]. A scenario adopts once.
    pub async fn adopt(
        &self,
        caller: &Caller,
        id: &str,
        input: &DecisionInput,
    ) -> Result<AdoptionView, AppError> {
        const ACT: &str = "scenario.adopt";
        let view = self.scenario(caller, id, None).await?;
        let m = &view.municipality;
        let mut input = input.clone();
        input.municipality = Some(m.id.0.clone());
        if !input.rules.is_empty() || !input.lifts.is_empty() {
            return Err(ValidationErrors::single("rules", "error-rules-on-adoption").into());
        }
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(
                caller,
                &Action::ManageDecisions(holder),
                ACT,
                Some(("scenario", &view.record.id)),
            )
            .await?;
        let (mut draft, _) = self.checked(&input, m, None).await?;
        let run = self.dry_run(caller, id, Some(draft.date)).await?;
        let m = &run.scenario.municipality;
        if draft.outcome != DecisionOutcome::Adopted {
            return Err(ValidationErrors::single("outcome", "error-adoption-needs-adopted").into());
        }
        for e in &run.effects {
            if let Effect::Status { partnership, .. } = e {
                let a = stedenband_domain::decision::Affected {
                    kind: AffectedKind::Partnership,
                    id: partnership.clone(),
                };
                if !draft.affects.contains(&a) {
                    draft.affects.push(a);
                }
            }
        }
        let decision_id = self.store().fresh_id();
        let scenario_id = run.scenario.record.id.clone();
        let entry = |action: &str,
                     kind: &str,
                     object: &str,
                     before: Option<String>,
                     after: Option<String>| AuditDraft {
            actor: caller.principal.actor(),
            address: caller.address.clone(),
            action: action.to_owned(),
            object_kind: Some(kind.to_owned()),
            object_id: Some(object.to_owned()),
            before,
            after,
            outcome: Outcome::Success,
        };
        let mut audit = vec![entry(
            "decision.create",
            "decision",
            &decision_id,
            None,
            Some(audited(&draft, &[])),
        )];
        let mut plan_years = BTreeSet::new();
        for e in &run.effects {
            match e {
                Effect::Status {
                    partnership,
                    from,
                    to,
                    on,
                } => audit.push(entry(
                    "partnership.status",
                    "partnership",
                    partnership,
                    Some(json!({"status": from.as_str()}).to_string()),
                    Some(
                        json!({"status": to.as_str(), "since": on.to_string(),
                               "decision": decision_id, "scenario": scenario_id})
                        .to_string(),
                    ),
                )),
                Effect::ImposeRule { rule, from } => audit.push(entry(
                    "rule.create",
                    "municipality",
                    &m.id.0,
                    None,
                    Some(
                        json!({"kind": rule.as_str(), "from": from.to_string(),
                               "decision": decision_id})
                        .to_string(),
                    ),
                )),
                Effect::LiftRule { rule, rule_kind } => audit.push(entry(
                    "rule.lift",
                    "rule",
                    rule,
                    None,
                    Some(json!({"kind": rule_kind.as_str(), "liftedBy": decision_id}).to_string()),
                )),
                Effect::PlanLine { year, .. } | Effect::PlanStaff { year, .. } => {
                    plan_years.insert(*year);
                }
            }
        }
        if !plan_years.is_empty() {
            let plan: Vec<&Effect> = run
                .effects
                .iter()
                .filter(|e| matches!(e, Effect::PlanLine { .. } | Effect::PlanStaff { .. }))
                .collect();
            audit.push(entry(
                "plan.update",
                "municipality",
                &m.id.0,
                None,
                Some(json!({"decision": decision_id, "plan": plan}).to_string()),
            ));
        }
        audit.push(entry(
            "scenario.adopt",
            "scenario",
            &scenario_id,
            None,
            Some(
                json!({"decision": decision_id, "code": run.scenario.record.draft.code})
                    .to_string(),
            ),
        ));
        let event_text = format!("{} ({})", draft.title, run.scenario.record.draft.title);
        let adoption = Adoption {
            scenario: &scenario_id,
            decision_id: &decision_id,
            decision: &draft,
            effects: &run.effects,
            event_text: &event_text,
            audit: &audit,
        };
        match self.store().adopt_scenario(&adoption).await {
            Ok(()) => {}
            Err(stedenband_store::StoreError::Conflict { field: "scenario" }) => {
                return Err(
                    ValidationErrors::single("scenario", "error-scenario-already-adopted").into(),
                );
            }
            Err(stedenband_store::StoreError::Conflict { field: "lifts" }) => {
                return Err(ValidationErrors::single("scenario", "error-rule-lifted").into());
            }
            Err(e) => return Err(AppError::from_store(e)),
        }
        let _ = ACT;
        let scenario = self.scenario(caller, &scenario_id, None).await?;
        Ok(AdoptionView {
            scenario,
            effects: run.effects,
            decision: Some(decision_id),
        })
    }

    // ---- ending a partnership ------------------------------------------------------------------

    async fn ending_rights(
        &self,
        caller: &Caller,
        partnership: &str,
        act: &str,
    ) -> Result<(crate::PartnershipDetail, MunicipalityId), AppError> {
        self.register.check_login(caller, act).await?;
        let p = self.register.partnership(partnership).await?;
        let holder = p.view.holder.id.clone();
        self.register
            .check(
                caller,
                &Action::ManageDecisions(holder.clone()),
                act,
                Some(("partnership", &p.view.partnership.id.0)),
            )
            .await?;
        Ok((p, holder))
    }

    /// Starts ending a partnership: the adopted decision to end it (of the municipality that
    /// holds it, taken on or after the partnership's start) and the reason; the letter to the
    /// partner town is drafted from the bond's history. The decision is then listed on the
    /// partnership's page.
    pub async fn start_ending(
        &self,
        caller: &Caller,
        partnership: &str,
        input: &StartInput,
    ) -> Result<EndingView, AppError> {
        const ACT: &str = "partnership.ending.start";
        let (p, holder) = self.ending_rights(caller, partnership, ACT).await?;
        let (decision_key, reason) = input.parse()?;
        let pid = p.view.partnership.id.0.clone();
        if self.store().ending(&pid).await?.is_some() {
            return Err(ValidationErrors::single("partnership", "error-ending-exists").into());
        }
        let d = match self.store().decision(&decision_key).await? {
            Some(d) if self.holder(&d.draft.municipality).await? == holder => d,
            _ => return Err(ValidationErrors::single("decision", "error-decision-unknown").into()),
        };
        if d.draft.outcome != DecisionOutcome::Adopted {
            return Err(
                ValidationErrors::single("decision", "error-ending-decision-not-adopted").into(),
            );
        }
        if d.draft.date < p.view.partnership.draft.start.latest() {
            return Err(
                ValidationErrors::single("decision", "error-ending-decision-before-start").into(),
            );
        }
        let history = self
            .bond_history(caller, &p, d.cite(), FinalStatus::CivilSocietyOnly)
            .await?;
        let (nl, en) = letter_draft(&history, today());
        let ending = Ending {
            partnership: pid.clone(),
            decision: d.cite(),
            reason,
            letter_nl: nl,
            letter_en: en,
            letter_sent_on: None,
            notified_on: None,
            notified_how: None,
            end_on: None,
            final_status: None,
        };
        // The decision then affects the partnership too (written with the ending).
        let mut affects = d.draft.affects.clone();
        let a = stedenband_domain::decision::Affected {
            kind: AffectedKind::Partnership,
            id: pid.clone(),
        };
        let new_affects = (!affects.contains(&a)).then(|| {
            affects.push(a);
            affects
        });
        let audit = entry(
            caller,
            ACT,
            "partnership",
            &pid,
            None,
            Some(json!({"decision": d.id, "step": "decided"}).to_string()),
        );
        self.store()
            .insert_ending(&ending, new_affects.as_deref(), &audit)
            .await
            .map_err(|e| match e {
                stedenband_store::StoreError::Conflict { .. } => AppError::Invalid(
                    ValidationErrors::single("partnership", "error-ending-exists"),
                ),
                other => AppError::from_store(other),
            })?;
        self.ending(caller, &pid).await?.ok_or(AppError::NotFound)
    }

    /// What the letter tells: the years, the held activities per category, the groups.
    pub async fn bond_history(
        &self,
        caller: &Caller,
        p: &crate::PartnershipDetail,
        decision: DecisionRef,
        intended: FinalStatus,
    ) -> Result<BondHistory, AppError> {
        let pid = &p.view.partnership.id.0;
        let years = self.activities.numbers_per_year(caller, pid).await?;
        let mut held: BTreeMap<String, u32> = BTreeMap::new();
        for y in &years {
            for (c, n) in &y.by_category {
                *held.entry(c.clone()).or_default() += n;
            }
        }
        let held = held
            .into_iter()
            .filter_map(|(c, n)| {
                stedenband_domain::activity::Category::parse(&c)
                    .ok()
                    .map(|c| (c, n))
            })
            .collect();
        let with: Vec<i16> = years
            .iter()
            .filter(|y| y.activities > 0)
            .map(|y| y.year)
            .collect();
        let mut groups = Vec::new();
        for f in self.store().foundations(None).await?.into_iter() {
            for g in self.store().working_groups(Some(&f.id)).await? {
                if g.draft.partnerships.iter().any(|x| &x.0 == pid) {
                    groups.push(g.draft.name.to_string());
                }
            }
        }
        let v = &p.view;
        Ok(BondHistory {
            holder: v.holder.name().to_string(),
            entered_by: (v.home.id != v.holder.id).then(|| v.home.name().to_string()),
            partner: v.partner.name().to_string(),
            start: v.partnership.draft.start,
            held,
            first_year: with.first().copied(),
            last_year: with.last().copied(),
            groups,
            decision,
            intended,
        })
    }

    /// A partnership's ending, if one was started (public once started: it is the
    /// municipality's business, and the letter is sent to another town).
    pub async fn ending(
        &self,
        caller: &Caller,
        partnership: &str,
    ) -> Result<Option<EndingView>, AppError> {
        let p = self.register.partnership(partnership).await?;
        let Some(e) = self.store().ending(&p.view.partnership.id.0).await? else {
            return Ok(None);
        };
        let holder = p.view.holder.id.clone();
        Ok(Some(EndingView {
            may_edit: self.may_manage(caller, &holder) && e.final_status.is_none(),
            ending: e,
            partnership: p.view,
        }))
    }

    async fn step(
        &self,
        caller: &Caller,
        partnership: &str,
        act: &'static str,
        apply: impl FnOnce(&mut Ending) -> Result<(), ValidationErrors>,
    ) -> Result<EndingView, AppError> {
        let (p, _) = self.ending_rights(caller, partnership, act).await?;
        let pid = p.view.partnership.id.0.clone();
        let mut e = self.store().ending(&pid).await?.ok_or(AppError::NotFound)?;
        let from = e.step();
        apply(&mut e)?;
        let text = format!("{}: {}", e.decision.title, e.reason);
        let audit = entry(
            caller,
            act,
            "partnership",
            &pid,
            None,
            Some(
                json!({"step": e.step().as_str(),
                       "letterSentOn": e.letter_sent_on.map(|d| d.to_string()),
                       "notifiedOn": e.notified_on.map(|d| d.to_string()),
                       "endOn": e.end_on.map(|d| d.to_string()),
                       "finalStatus": e.final_status.map(|s| s.as_str())})
                .to_string(),
            ),
        );
        self.store()
            .update_ending(&e, from, &text, &audit)
            .await
            .map_err(|err| match err {
                stedenband_store::StoreError::Conflict { .. } => {
                    AppError::Invalid(ValidationErrors::single("step", "error-ending-step-done"))
                }
                other => AppError::from_store(other),
            })?;
        self.ending(caller, &pid).await?.ok_or(AppError::NotFound)
    }

    /// Records the letter (edited texts; the day it was sent).
    pub async fn record_letter(
        &self,
        caller: &Caller,
        partnership: &str,
        input: &LetterInput,
    ) -> Result<EndingView, AppError> {
        self.step(caller, partnership, "partnership.ending.letter", |e| {
            e.record_letter(input)
        })
        .await
    }

    /// Records that the partner was notified.
    pub async fn record_notification(
        &self,
        caller: &Caller,
        partnership: &str,
        input: &NotifyInput,
    ) -> Result<EndingView, AppError> {
        self.step(caller, partnership, "partnership.ending.notify", |e| {
            e.record_notification(input)
        })
        .await
    }

    /// Closes the ending: end date, final status; the partnership is archived (read-only).
    pub async fn complete_ending(
        &self,
        caller: &Caller,
        partnership: &str,
        input: &CompleteInput,
    ) -> Result<EndingView, AppError> {
        self.step(caller, partnership, "partnership.ending.complete", |e| {
            e.complete(input)
        })
        .await
    }
}

/// The yearly average over three years, to the cent (rounded down).
fn third(total: Euros) -> Euros {
    Euros::from_cents(total.cents().div_euclid(3))
}

fn is_municipal(s: IncomeSource) -> bool {
    s.municipal()
}

/// A decision as the audit log keeps it: codes, dates and ids, no texts.
fn audited(d: &DecisionDraft, rules: &[NewRule]) -> String {
    json!({
        "municipality": d.municipality,
        "date": d.date.to_string(),
        "body": d.body.as_str(),
        "kind": d.kind.as_str(),
        "reference": d.reference,
        "outcome": d.outcome.as_str(),
        "votes": d.votes.map(|v| [v.for_, v.against]),
        "affects": d.affects.iter().map(|a| format!("{}:{}", a.kind.as_str(), a.id)).collect::<Vec<_>>(),
        "rules": rules.iter().map(|r| json!({"kind": r.kind.as_str(), "from": r.from.to_string(), "schedule": r.schedule})).collect::<Vec<_>>(),
        "lifts": d.lifts,
    })
    .to_string()
}
