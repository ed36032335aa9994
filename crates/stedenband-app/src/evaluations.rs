//! Evaluations of a municipality's twinnings (the VNG's study of 2004, the evaluation of 2009
//! after a council motion): recorded by the municipality's officials, with what became of each
//! recommendation recorded later; read by everyone.
//!
//! An evaluation belongs to the municipality that held it and covers partnerships that
//! municipality holds (its own and its predecessors'). Rights follow the holder: a
//! predecessor's evaluations are its successor's business, and a municipality's list shows its
//! predecessors' evaluations too.
//!
//! The audit log records which fields were given, the year, the partnerships and the codes
//! (aspects, statuses, dates), never the texts: findings and notes may name people, and the
//! audit log is never changed.

use crate::organisation::today;
use crate::register::entry;
use crate::{AppError, Caller, PartnershipView, Register};
use std::collections::BTreeMap;
use stedenband_domain::evaluation::{EvaluationDraft, EvaluationInput, FollowUp, FollowUpInput};
use stedenband_domain::{Action, Municipality, MunicipalityId, ValidationErrors};
use stedenband_store::{EvaluationRecord, Store};

/// An evaluation with the municipality that held it and the partnerships it covers.
#[derive(Debug, Clone)]
pub struct EvaluationView {
    pub record: EvaluationRecord,
    pub municipality: Municipality,
    /// In the order the evaluation names them.
    pub partnerships: Vec<PartnershipView>,
    /// Whether the caller may record follow-ups (the holding municipality's officials).
    pub may_edit: bool,
}

impl EvaluationView {
    pub fn id(&self) -> &str {
        &self.record.id
    }
}

/// An id or slug from an address; anything odd is simply not found.
fn key_of(raw: &str) -> Result<&str, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(k)
}

/// The names of the input's fields that were filled in (for the audit log).
fn given_fields(i: &EvaluationInput) -> Vec<&'static str> {
    let filled = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    [
        ("title", filled(&i.title)),
        ("commissionedBy", filled(&i.commissioned_by)),
        ("carriedOutBy", filled(&i.carried_out_by)),
        ("occasion", filled(&i.occasion)),
        ("researchQuestion", filled(&i.research_question)),
        ("periodFrom", filled(&i.period_from)),
        ("periodTo", filled(&i.period_to)),
    ]
    .into_iter()
    .filter_map(|(name, yes)| yes.then_some(name))
    .collect()
}

#[derive(Clone, Debug)]
pub struct Evaluations {
    register: Register,
}

impl Evaluations {
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    fn store(&self) -> &Store {
        self.register.store()
    }

    /// Records an evaluation (the officials of the municipality that held it). The rights are
    /// checked before the input, so that nobody without them learns what would be refused; a
    /// partnership the municipality does not hold is refused on `partnerships`. Nothing is
    /// stored unless everything is valid.
    pub async fn create(
        &self,
        caller: &Caller,
        input: &EvaluationInput,
    ) -> Result<EvaluationView, AppError> {
        const ACT: &str = "evaluation.create";
        self.register.check_login(caller, ACT).await?;
        let municipality = match input.municipality.as_deref() {
            Some(k) => self.register.find_municipality(k.trim()).await?,
            None => None,
        };
        if let Some(m) = &municipality {
            let holder = self.register.holder(&m.id).await?;
            self.register
                .check(caller, &Action::ManageEvaluations(holder), ACT, None)
                .await?;
        }
        let mut errors = ValidationErrors::default();
        let parsed = EvaluationDraft::parse(input, today());
        let mut draft = match parsed {
            Ok(d) => Some(d),
            Err(e) => {
                errors = e;
                None
            }
        };
        let Some(m) = municipality else {
            if !errors.has("municipality") {
                errors.0.insert(
                    0,
                    stedenband_domain::FieldError::new(
                        "municipality",
                        "error-municipality-unknown",
                    ),
                );
            }
            return Err(errors.into());
        };
        let known = self.partnerships_of(&m).await?;
        if let Some(d) = &draft
            && d.partnerships.iter().any(|p| !known.contains_key(p))
        {
            errors.push("partnerships", "error-partnership-not-own");
            draft = None;
        }
        let Some(mut draft) = draft else {
            return Err(errors.into());
        };
        draft.municipality = m.id.0.clone();
        let audited = serde_json::json!({
            "municipality": draft.municipality,
            "year": draft.year,
            "period": draft.period.map(|p| p.to_string()),
            "partnerships": draft.partnerships,
            "criteria": draft.criteria.iter().map(|c| c.aspect.as_str()).collect::<Vec<_>>(),
            "conclusions": draft.conclusions.len(),
            "recommendations": draft
                .recommendations
                .iter()
                .map(|r| r.follow_up.status.as_str())
                .collect::<Vec<_>>(),
            "fields": given_fields(input),
        })
        .to_string();
        let audit = |id: &str| entry(caller, ACT, "evaluation", id, None, Some(audited.clone()));
        let id = self
            .store()
            .insert_evaluation(&draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.evaluation(caller, &id).await
    }

    /// Records what became of recommendation `number` (counted from 1) of an evaluation: open,
    /// adopted or rejected, with the date of the decision (not before the evaluation's year,
    /// not in the future) and a note.
    pub async fn record_follow_up(
        &self,
        caller: &Caller,
        id: &str,
        number: usize,
        input: &FollowUpInput,
    ) -> Result<EvaluationView, AppError> {
        const ACT: &str = "evaluation.follow-up";
        self.register.check_login(caller, ACT).await?;
        let r = self
            .store()
            .evaluation(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let holder = self
            .register
            .holder(&MunicipalityId(r.draft.municipality.clone()))
            .await?;
        self.register
            .check(
                caller,
                &Action::ManageEvaluations(holder),
                ACT,
                Some(("evaluation", &r.id)),
            )
            .await?;
        if number == 0 || number > r.draft.recommendations.len() {
            return Err(AppError::NotFound);
        }
        let f = FollowUp::parse(input, r.draft.year, today())?;
        let mut fields = vec!["status"];
        if f.date.is_some() {
            fields.push("date");
        }
        if f.note.is_some() {
            fields.push("note");
        }
        let audited = serde_json::json!({
            "recommendation": number,
            "status": f.status.as_str(),
            "date": f.date.map(|d| d.to_string()),
            "fields": fields,
        });
        let audit = entry(
            caller,
            ACT,
            "evaluation",
            &r.id,
            None,
            Some(audited.to_string()),
        );
        self.store()
            .set_follow_up(&r.id, number - 1, &f, &audit)
            .await
            .map_err(AppError::from_store)?;
        self.evaluation(caller, &r.id).await
    }

    /// One evaluation (public).
    pub async fn evaluation(&self, caller: &Caller, id: &str) -> Result<EvaluationView, AppError> {
        let r = self
            .store()
            .evaluation(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut cache = BTreeMap::new();
        self.view(caller, r, &mut cache).await
    }

    /// The evaluations of a municipality and its predecessors (id or slug), or of all
    /// municipalities; oldest first (public).
    pub async fn evaluations(
        &self,
        caller: &Caller,
        municipality: Option<&str>,
    ) -> Result<Vec<EvaluationView>, AppError> {
        let ids: Vec<String> = match municipality {
            Some(k) => {
                let m = self
                    .register
                    .find_municipality(k)
                    .await?
                    .ok_or(AppError::NotFound)?;
                self.store()
                    .lineage()
                    .await?
                    .with_predecessors(&m.id)
                    .into_iter()
                    .map(|m| m.0)
                    .collect()
            }
            None => Vec::new(),
        };
        let mut cache = BTreeMap::new();
        let mut out = Vec::new();
        for r in self.store().evaluations(&ids).await? {
            out.push(self.view(caller, r, &mut cache).await?);
        }
        Ok(out)
    }

    /// Whether the caller may record evaluations of this municipality (for offering the form).
    pub async fn may_record(&self, caller: &Caller, municipality: &Municipality) -> bool {
        match self.register.holder(&municipality.id).await {
            Ok(holder) => self
                .register
                .allows(caller, &Action::ManageEvaluations(holder)),
            Err(_) => false,
        }
    }

    /// The partnerships a municipality holds (its own and its predecessors'), by id: those an
    /// evaluation of it may cover.
    pub async fn partnerships_of(
        &self,
        m: &Municipality,
    ) -> Result<BTreeMap<String, PartnershipView>, AppError> {
        let v = self.register.municipality(m.id.0.as_str()).await?;
        Ok(v.partnerships
            .into_iter()
            .map(|p| (p.partnership.id.0.clone(), p))
            .collect())
    }

    async fn view(
        &self,
        caller: &Caller,
        record: EvaluationRecord,
        partnerships: &mut BTreeMap<String, PartnershipView>,
    ) -> Result<EvaluationView, AppError> {
        let municipality = self
            .register
            .find_municipality(&record.draft.municipality)
            .await?
            .ok_or_else(|| {
                stedenband_store::StoreError::Corrupt(format!(
                    "evaluation {}: municipality",
                    record.id
                ))
            })?;
        let holder = self.register.holder(&municipality.id).await?;
        let mut covered = Vec::new();
        for p in &record.draft.partnerships {
            if !partnerships.contains_key(p) {
                let v = self.register.partnership(p).await?.view;
                partnerships.insert(p.clone(), v);
            }
            covered.push(partnerships[p].clone());
        }
        Ok(EvaluationView {
            may_edit: self
                .register
                .allows(caller, &Action::ManageEvaluations(holder)),
            record,
            municipality,
            partnerships: covered,
        })
    }
}
