//! The register: municipalities, their lineage, partnerships and their history.

use crate::{AppError, AuditLog, Caller};
use stedenband_domain::audit::{AuditDraft, AuditEntry, Outcome};

/// A partnership id from an address: ids have no control characters (PostgreSQL refuses a NUL
/// in text outright), so such an id is simply not found.
fn partnership_id(id: &str) -> Result<PartnershipId, AppError> {
    if id.is_empty() || id.len() > 100 || id.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(PartnershipId(id.to_owned()))
}

/// A value as JSON text, for the audit log.
fn json(v: &impl serde::Serialize) -> Option<String> {
    serde_json::to_string(v).ok()
}
use jiff::civil::Date;
use std::collections::HashMap;
use stedenband_domain::lineage::parse_effective_on;
use stedenband_domain::partnership::StatusClaim;
use stedenband_domain::{
    Action, LineageMap, Merger, MergerInput, Municipality, MunicipalityDraft, MunicipalityId,
    MunicipalityInput, PartialDate, Partnership, PartnershipDraft, PartnershipEvent,
    PartnershipEventDraft, PartnershipEventInput, PartnershipId, PartnershipInput,
    ValidationErrors,
};
use stedenband_store::{MunicipalityFilter, Page, PageRequest, Store};

/// The register's use cases.
#[derive(Clone, Debug)]
pub struct Register {
    store: Store,
    audit: AuditLog,
}

/// A municipality with its lineage and the partnerships it holds (its own and those of its
/// predecessors).
#[derive(Debug, Clone)]
pub struct MunicipalityView {
    pub municipality: Municipality,
    /// Municipalities that merged into this one, with the date.
    pub predecessors: Vec<(Municipality, Date)>,
    /// The municipality this one merged into, with the date.
    pub successor: Option<(Municipality, Date)>,
    pub partnerships: Vec<PartnershipView>,
    /// How many partnerships it holds in all (the list above holds the first 200).
    pub partnership_total: u64,
}

/// A partnership with the municipalities it names: who entered it (`home`), the partner, and who
/// holds it today (`holder`, since `held_since` when that is a successor).
#[derive(Debug, Clone)]
pub struct PartnershipView {
    pub partnership: Partnership,
    pub home: Municipality,
    pub partner: Municipality,
    pub holder: Municipality,
    pub held_since: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct PartnershipDetail {
    pub view: PartnershipView,
    pub events: Vec<PartnershipEvent>,
}

impl Register {
    pub fn new(store: Store) -> Self {
        Self {
            audit: AuditLog::new(store.clone()),
            store,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    // ---- municipalities -------------------------------------------------------------------

    /// The municipalities that hold partnerships today (after following mergers), by name.
    #[tracing::instrument(skip(self))]
    pub async fn home_municipalities(&self) -> Result<Vec<Municipality>, AppError> {
        let homes = self.store.partnership_homes().await?;
        let lineage = self.store.lineage().await?;
        let mut holders: Vec<MunicipalityId> = homes.iter().map(|h| lineage.holder(h).0).collect();
        holders.sort();
        holders.dedup();
        let mut out = self.store.municipalities_by_ids(&holders).await?;
        out.sort_by_key(|m| m.name().folded());
        Ok(out)
    }

    pub async fn municipalities(
        &self,
        filter: &MunicipalityFilter,
        page: PageRequest,
    ) -> Result<Page<Municipality>, AppError> {
        Ok(self.store.municipalities(filter, page).await?)
    }

    /// A municipality by id or slug.
    pub async fn find_municipality(&self, key: &str) -> Result<Option<Municipality>, AppError> {
        let key = key.trim();
        // Ids and slugs have no control characters; PostgreSQL refuses a NUL in text outright.
        if key.is_empty() || key.len() > 200 || key.chars().any(char::is_control) {
            return Ok(None);
        }
        if let Some(m) = self
            .store
            .municipality(&MunicipalityId(key.to_owned()))
            .await?
        {
            return Ok(Some(m));
        }
        Ok(self.store.municipality_by_slug(key).await?)
    }

    /// A municipality with its lineage and partnerships.
    #[tracing::instrument(skip(self))]
    pub async fn municipality(&self, key: &str) -> Result<MunicipalityView, AppError> {
        let municipality = self
            .find_municipality(key)
            .await?
            .ok_or(AppError::NotFound)?;
        let lineage = self.store.lineage().await?;
        let id = &municipality.id;
        let pred = lineage.predecessors(id);
        let succ = lineage.0.get(id).cloned();
        let mut ids: Vec<MunicipalityId> = pred.iter().map(|(p, _)| p.clone()).collect();
        ids.extend(succ.iter().map(|(s, _)| s.clone()));
        let known = self.by_id(&ids).await?;
        let mut predecessors: Vec<(Municipality, Date)> = pred
            .into_iter()
            .filter_map(|(p, d)| Some((known.get(&p)?.clone(), d)))
            .collect();
        predecessors.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| a.0.name().folded().cmp(&b.0.name().folded()))
        });
        let successor = succ.and_then(|(s, d)| Some((known.get(&s)?.clone(), d)));
        let homes = lineage.with_predecessors(id);
        let page = self
            .store
            .partnerships(Some(&homes), PageRequest::new(1, PageRequest::MAX_SIZE))
            .await?;
        let partnership_total = page.total;
        let partnerships = self.views(page.items, &lineage).await?;
        Ok(MunicipalityView {
            municipality,
            predecessors,
            successor,
            partnerships,
            partnership_total,
        })
    }

    #[tracing::instrument(skip(self, input))]
    pub async fn create_municipality(
        &self,
        caller: &Caller,
        input: &MunicipalityInput,
    ) -> Result<Municipality, AppError> {
        const ACT: &str = "municipality.create";
        self.check(caller, &Action::CreateMunicipality, ACT, None)
            .await?;
        let draft = MunicipalityDraft::parse(input)?;
        let audit = |m: &Municipality| entry(caller, ACT, "municipality", &m.id.0, None, json(m));
        let m = self
            .store
            .insert_municipality(&draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(m)
    }

    #[tracing::instrument(skip(self, input))]
    pub async fn update_municipality(
        &self,
        caller: &Caller,
        key: &str,
        input: &MunicipalityInput,
    ) -> Result<Municipality, AppError> {
        const ACT: &str = "municipality.update";
        self.check_login(caller, ACT).await?;
        let current = self
            .find_municipality(key)
            .await?
            .ok_or(AppError::NotFound)?;
        let right = Action::EditMunicipality(self.holder(&current.id).await?);
        self.check(caller, &right, ACT, Some(("municipality", &current.id.0)))
            .await?;
        let draft = MunicipalityDraft::parse(input)?;
        let before = json(&current);
        let audit = |m: &Municipality| {
            entry(
                caller,
                ACT,
                "municipality",
                &m.id.0,
                before.clone(),
                json(m),
            )
        };
        let m = self
            .store
            .update_municipality(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(m)
    }

    /// Records that predecessors merged into a successor on a date.
    #[tracing::instrument(skip(self, input))]
    pub async fn record_merger(
        &self,
        caller: &Caller,
        input: &MergerInput,
    ) -> Result<Merger, AppError> {
        const ACT: &str = "merger.create";
        self.check(caller, &Action::WriteRegister, ACT, None)
            .await?;
        let mut e = ValidationErrors::default();
        let successor = self.resolve(input.successor.as_deref()).await?;
        let successor = e.check("successor", successor);
        let mut predecessors = Vec::new();
        for p in &input.predecessors {
            if let Some(id) = e.check("predecessors", self.resolve(Some(p)).await?) {
                predecessors.push(id);
            }
        }
        let date = match parse_effective_on(input) {
            Ok(d) => Some(d),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let successor_id = successor.clone().expect("checked");
        let right = Action::RecordMerger(self.holder(&successor_id).await?);
        self.check(caller, &right, ACT, Some(("municipality", &successor_id.0)))
            .await?;
        // A merger hands the predecessors' partnerships and rights to the successor, so each
        // predecessor needs the right over it too (for a place nobody holds: an
        // administrator): nobody takes over another municipality by "merging" it.
        for p in &predecessors {
            let right = Action::EditMunicipality(self.holder(p).await?);
            self.check(caller, &right, ACT, Some(("municipality", &p.0)))
                .await?;
        }

        let lineage = self.store.lineage().await?;
        let merger = Merger::new(
            successor.expect("checked"),
            predecessors,
            date.expect("checked"),
            &lineage,
        )?;
        // Nor may a town come to hold a partnership with itself.
        let mut homes = Vec::new();
        for p in &merger.predecessors {
            homes.extend(lineage.with_predecessors(p));
        }
        let held = self
            .store
            .partnerships(Some(&homes), PageRequest::new(1, PageRequest::MAX_SIZE))
            .await?;
        if held
            .items
            .iter()
            .any(|x| x.draft.partner == merger.successor)
        {
            return Err(ValidationErrors::single("successor", "error-merger-partner").into());
        }
        let audit = entry(
            caller,
            ACT,
            "municipality",
            &merger.successor.0,
            None,
            json(&merger),
        );
        self.store
            .insert_merger(&merger, &audit)
            .await
            .map_err(|err| match err {
                // Another request merged one of them first.
                stedenband_store::StoreError::Conflict { .. } => AppError::Invalid(
                    ValidationErrors::single("predecessors", "error-merger-already-merged"),
                ),
                other => AppError::from_store(other),
            })?;
        Ok(merger)
    }

    // ---- partnerships ---------------------------------------------------------------------

    /// A page of partnerships; with a municipality, those it holds (including its
    /// predecessors').
    #[tracing::instrument(skip(self))]
    pub async fn partnerships(
        &self,
        municipality: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PartnershipView>, AppError> {
        let lineage = self.store.lineage().await?;
        let homes = match municipality {
            Some(key) => {
                let m = self.find_municipality(key).await?.ok_or_else(|| {
                    AppError::Invalid(ValidationErrors::single(
                        "municipality",
                        "error-municipality-unknown",
                    ))
                })?;
                Some(lineage.with_predecessors(&m.id))
            }
            None => None,
        };
        let page = self.store.partnerships(homes.as_deref(), page).await?;
        let request = page.request;
        let total = page.total;
        let items = self.views(page.items, &lineage).await?;
        Ok(Page {
            items,
            total,
            request,
        })
    }

    #[tracing::instrument(skip(self))]
    pub async fn partnership(&self, id: &str) -> Result<PartnershipDetail, AppError> {
        let id = partnership_id(id)?;
        let p = self
            .store
            .partnership(&id)
            .await?
            .ok_or(AppError::NotFound)?;
        let lineage = self.store.lineage().await?;
        let view = self
            .views(vec![p], &lineage)
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        let events = self.store.partnership_events(&id).await?;
        Ok(PartnershipDetail { view, events })
    }

    /// Registers a partnership. A status given with it holds from `statusSince` or the start.
    #[tracing::instrument(skip(self, input))]
    pub async fn create_partnership(
        &self,
        caller: &Caller,
        input: &PartnershipInput,
    ) -> Result<PartnershipId, AppError> {
        const ACT: &str = "partnership.create";
        self.check(caller, &Action::WriteRegister, ACT, None)
            .await?;
        let (draft, claim) = self.parse_partnership(input).await?;
        let holder = self.holder(&draft.home).await?;
        let right = Action::EditPartnership(holder);
        self.check(caller, &right, ACT, Some(("municipality", &draft.home.0)))
            .await?;
        self.refuse_by_rule(caller, ACT, &draft).await?;
        let events: Vec<_> = claim
            .map(|c| {
                PartnershipEventDraft::status_change(
                    c.since.unwrap_or(draft.start),
                    c.status,
                    String::new(),
                )
            })
            .into_iter()
            .collect();
        let audit = |p: &Partnership| entry(caller, ACT, "partnership", &p.id.0, None, json(p));
        let id = self
            .store
            .insert_partnership(&draft, &events, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(id)
    }

    /// Changes a partnership. A status different from the current one is recorded as a status
    /// change from `statusSince`, or from `today`.
    #[tracing::instrument(skip(self, input))]
    pub async fn update_partnership(
        &self,
        caller: &Caller,
        id: &str,
        input: &PartnershipInput,
        today: Date,
    ) -> Result<(), AppError> {
        const ACT: &str = "partnership.update";
        self.check_login(caller, ACT).await?;
        let id = partnership_id(id)?;
        let current = self
            .store
            .partnership(&id)
            .await?
            .ok_or(AppError::NotFound)?;
        let object = Some(("partnership", id.0.as_str()));
        let right = Action::EditPartnership(self.holder(&current.draft.home).await?);
        self.check(caller, &right, ACT, object).await?;
        self.refuse_archived(&id).await?;
        let (draft, claim) = self.parse_partnership(input).await?;
        // A change that makes it a new municipal twinning (another initiator, kind, end, start
        // or home) meets the same rules as registering it.
        let c = &current.draft;
        if (c.home.clone(), c.kind, c.initiator, c.start, c.end)
            != (
                draft.home.clone(),
                draft.kind,
                draft.initiator,
                draft.start,
                draft.end,
            )
        {
            self.refuse_by_rule(caller, ACT, &draft).await?;
        }
        // Moving it to another home needs the right there too.
        let right = Action::EditPartnership(self.holder(&draft.home).await?);
        self.check(caller, &right, ACT, object).await?;
        let events: Vec<_> = claim
            .filter(|c| c.status != current.status)
            .map(|c| {
                PartnershipEventDraft::status_change(
                    c.since.unwrap_or(PartialDate::Date(today)),
                    c.status,
                    String::new(),
                )
            })
            .into_iter()
            .collect();
        if let Some(change) = events.first() {
            // A new current status holds from now or from a date after the last change: a
            // back-dated one would silently not become current, a future one would be current
            // too early.
            let history = self.store.partnership_events(&id).await?;
            let last = history
                .iter()
                .filter(|e| e.draft.status.is_some())
                .map(|e| e.draft.date)
                .max_by(|a, b| a.timeline_cmp(b));
            if today < change.date.earliest() {
                return Err(ValidationErrors::single("statusSince", "error-date-in-future").into());
            }
            if last.is_some_and(|l| change.date.certainly_before(&l)) {
                return Err(
                    ValidationErrors::single("statusSince", "error-status-before-latest").into(),
                );
            }
        }
        let before = json(&current);
        let audit =
            |p: &Partnership| entry(caller, ACT, "partnership", &p.id.0, before.clone(), json(p));
        self.store
            .update_partnership(&id, &draft, &events, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(())
    }

    /// Adds an entry to a partnership's history.
    #[tracing::instrument(skip(self, input))]
    pub async fn add_event(
        &self,
        caller: &Caller,
        id: &str,
        input: &PartnershipEventInput,
    ) -> Result<(), AppError> {
        const ACT: &str = "partnership.event.create";
        self.check_login(caller, ACT).await?;
        let id = partnership_id(id)?;
        let current = self
            .store
            .partnership(&id)
            .await?
            .ok_or(AppError::NotFound)?;
        let right = Action::EditPartnership(self.holder(&current.draft.home).await?);
        self.check(caller, &right, ACT, Some(("partnership", &id.0)))
            .await?;
        self.refuse_archived(&id).await?;
        let draft = PartnershipEventDraft::parse(input)?;
        if draft.status.is_some() && jiff::Zoned::now().date() < draft.date.earliest() {
            return Err(ValidationErrors::single("date", "error-date-in-future").into());
        }
        let audit = entry(caller, ACT, "partnership", &id.0, None, json(&draft));
        self.store
            .insert_partnership_event(&id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(())
    }

    // ---- helpers --------------------------------------------------------------------------

    /// Refuses a partnership that a rule of an adopted decision ("no new twinnings") of its home
    /// municipality or one of its predecessors forbids; the refusal is audited and cites it.
    async fn refuse_by_rule(
        &self,
        caller: &Caller,
        act: &str,
        draft: &PartnershipDraft,
    ) -> Result<(), AppError> {
        let lineage: Vec<String> = self
            .store
            .lineage()
            .await?
            .with_predecessors(&draft.home)
            .into_iter()
            .map(|m| m.0)
            .collect();
        let rules = self.store.rules(&lineage).await?;
        if let Some(r) = stedenband_domain::decision::refusing_partnership(&rules, draft) {
            self.refused(caller, act, Some(("municipality", &draft.home.0)))
                .await?;
            return Err(AppError::Refused(Box::new(crate::RuleRefusal {
                field: "initiator",
                rule: r.kind,
                decision: r.imposed_by.clone(),
            })));
        }
        Ok(())
    }

    /// A partnership whose ending was completed is archived: its records are read-only.
    pub(crate) async fn refuse_archived(&self, id: &PartnershipId) -> Result<(), AppError> {
        match self.store.ending(&id.0).await? {
            Some(e) if e.final_status.is_some() => {
                Err(ValidationErrors::single("partnership", "error-partnership-archived").into())
            }
            _ => Ok(()),
        }
    }

    /// Refuses the public before anything is looked up; the refusal is audited.
    pub(crate) async fn check_login(&self, caller: &Caller, act: &str) -> Result<(), AppError> {
        match caller.require_login() {
            Ok(()) => Ok(()),
            Err(e) => {
                self.refused(caller, act, None).await?;
                Err(e)
            }
        }
    }

    /// Checks a right; a refusal is written to the audit log before it is returned.
    pub(crate) async fn check(
        &self,
        caller: &Caller,
        right: &Action,
        act: &str,
        object: Option<(&str, &str)>,
    ) -> Result<(), AppError> {
        match caller.require(right) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.refused(caller, act, object).await?;
                Err(e)
            }
        }
    }

    async fn refused(
        &self,
        caller: &Caller,
        act: &str,
        object: Option<(&str, &str)>,
    ) -> Result<(), AppError> {
        self.audit
            .append(&AuditDraft {
                actor: caller.principal.actor(),
                address: caller.address.clone(),
                action: act.to_owned(),
                object_kind: object.map(|o| o.0.to_owned()),
                object_id: object.map(|o| o.1.to_owned()),
                before: None,
                after: None,
                outcome: Outcome::Refused,
            })
            .await
            .map(|_| ())
    }

    /// Writes a change to the audit log: who, from where, what, the values before and after.
    pub(crate) async fn record(
        &self,
        caller: &Caller,
        act: &str,
        kind: &str,
        id: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<(), AppError> {
        self.audit
            .append(&entry(caller, act, kind, id, before, after))
            .await
            .map(|_| ())
    }

    /// The audit trail of one object, oldest first.
    pub async fn audit_trail(&self, kind: &str, id: &str) -> Result<Vec<AuditEntry>, AppError> {
        self.audit.for_object(kind, id).await
    }

    /// Who holds a municipality's business today: itself, or the last municipality it merged
    /// into. Rights over a predecessor's records are the successor's.
    pub async fn holder(&self, id: &MunicipalityId) -> Result<MunicipalityId, AppError> {
        Ok(self.store.lineage().await?.holder(id).0)
    }

    /// Refuses to show a form or a protected page to whoever may not use it; the refusal is
    /// audited like a refused change.
    pub async fn authorize(
        &self,
        caller: &Caller,
        right: &Action,
        page: &str,
    ) -> Result<(), AppError> {
        self.check(caller, right, "page.open", Some(("page", page)))
            .await
    }

    /// Whether the caller may do something; for showing or hiding links and forms. The use
    /// cases check again themselves.
    pub fn allows(&self, caller: &Caller, action: &Action) -> bool {
        caller.require(action).is_ok()
    }

    async fn parse_partnership(
        &self,
        input: &PartnershipInput,
    ) -> Result<(PartnershipDraft, Option<StatusClaim>), AppError> {
        let home = self.resolve(input.home.as_deref()).await?;
        let partner = self.resolve(input.partner.as_deref()).await?;
        Ok(PartnershipDraft::parse(input, home, partner)?)
    }

    /// Looks up a municipality named by id, slug or unique name; the error is a translation key.
    async fn resolve(
        &self,
        key: Option<&str>,
    ) -> Result<Result<MunicipalityId, &'static str>, AppError> {
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            return Ok(Err("error-required"));
        };
        if let Some(m) = self.find_municipality(key).await? {
            return Ok(Ok(m.id));
        }
        // Typed by name, as people do: fine when exactly one place has that name.
        let named = self
            .store
            .municipalities_named(&stedenband_domain::text::fold(key), 2)
            .await?;
        Ok(match named.as_slice() {
            [only] => Ok(only.id.clone()),
            [] => Err("error-municipality-unknown"),
            _ => Err("error-municipality-ambiguous"),
        })
    }

    async fn by_id(
        &self,
        ids: &[MunicipalityId],
    ) -> Result<HashMap<MunicipalityId, Municipality>, AppError> {
        let mut ids = ids.to_vec();
        ids.sort();
        ids.dedup();
        Ok(self
            .store
            .municipalities_by_ids(&ids)
            .await?
            .into_iter()
            .map(|m| (m.id.clone(), m))
            .collect())
    }

    async fn views(
        &self,
        items: Vec<Partnership>,
        lineage: &LineageMap,
    ) -> Result<Vec<PartnershipView>, AppError> {
        let mut ids = Vec::new();
        for p in &items {
            ids.push(p.draft.home.clone());
            ids.push(p.draft.partner.clone());
            ids.push(lineage.holder(&p.draft.home).0);
        }
        let known = self.by_id(&ids).await?;
        let get = |id: &MunicipalityId| {
            known.get(id).cloned().ok_or_else(|| {
                AppError::Store(stedenband_store::StoreError::Corrupt(format!(
                    "municipality {id} is missing"
                )))
            })
        };
        items
            .into_iter()
            .map(|p| {
                let (holder, held_since) = lineage.holder(&p.draft.home);
                Ok(PartnershipView {
                    home: get(&p.draft.home)?,
                    partner: get(&p.draft.partner)?,
                    holder: get(&holder)?,
                    held_since,
                    partnership: p,
                })
            })
            .collect()
    }
}

/// The audit entry of a successful change, for a store write that appends it in its own
/// transaction (or for [`Register::record`]).
pub(crate) fn entry(
    caller: &Caller,
    act: &str,
    kind: &str,
    id: &str,
    before: Option<String>,
    after: Option<String>,
) -> AuditDraft {
    AuditDraft {
        actor: caller.principal.actor(),
        address: caller.address.clone(),
        action: act.to_owned(),
        object_kind: Some(kind.to_owned()),
        object_id: Some(id.to_owned()),
        before,
        after,
        outcome: Outcome::Success,
    }
}
