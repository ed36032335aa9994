//! Activities of partnerships: planning and recording them, the figures of each occurrence of
//! a recurring one, receptions by the mayor and aldermen, numbers per year and dormancy.

use crate::organisation::today;
use crate::register::{PartnershipView, entry};
use crate::{AppError, Caller, Register};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use stedenband_domain::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityStatus, Category, Direction, FiguresInput,
    Occurrence, OccurrenceFigures, Organiser, Reception, ReceptionInput, ReceptionStatus,
    check_period, is_dormant, occurrence_held, reception_allowed,
};
use stedenband_domain::organisation::WorkingGroup;
use stedenband_domain::{Action, MunicipalityId, PartnershipId, ValidationErrors};
use stedenband_store::{ActivityFilter, PageRequest, Store};

/// How long without a held activity before a partnership counts as dormant (months).
pub const DEFAULT_DORMANCY_MONTHS: u16 = 24;

fn key_of(raw: &str) -> Result<&str, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(k)
}

/// One occurrence with its figures (the occurrence's own, else the activity's).
#[derive(Debug, Clone, Serialize)]
pub struct OccurrenceView {
    pub occurrence: Occurrence,
    pub participants_home: u32,
    pub participants_partner: u32,
    pub costs: Option<Decimal>,
    pub notes: Option<String>,
    /// Whether figures were recorded for this occurrence itself.
    pub recorded: bool,
    /// Whether this occurrence was cancelled on its own (the series runs on).
    pub cancelled: bool,
}

/// The occurrences of an activity with their figures (the occurrence's own, else the
/// activity's).
fn occurrence_views(
    d: &ActivityDraft,
    occurrences: Vec<Occurrence>,
    figures: &[OccurrenceFigures],
) -> Vec<OccurrenceView> {
    occurrences
        .into_iter()
        .map(|o| {
            let f = figures.iter().find(|f| f.occurrence_on == o.start);
            OccurrenceView {
                occurrence: o,
                participants_home: f
                    .and_then(|f| f.participants_home)
                    .unwrap_or(d.participants_home),
                participants_partner: f
                    .and_then(|f| f.participants_partner)
                    .unwrap_or(d.participants_partner),
                costs: f.and_then(|f| f.costs),
                notes: f.and_then(|f| f.notes.clone()),
                recorded: f.is_some(),
                cancelled: f.is_some_and(|f| f.cancelled),
            }
        })
        .collect()
}

/// What the read rights of activities that are not public need, looked up once per request:
/// the working groups and the holder of each partnership.
#[derive(Default)]
struct ReadRights {
    groups: Option<Vec<WorkingGroup>>,
    holders: HashMap<String, MunicipalityId>,
}

#[derive(Debug, Clone)]
pub struct ActivityView {
    pub activity: Activity,
    pub partnership: PartnershipView,
    /// The organising working group's id, slug and name.
    pub group: Option<(String, String, String)>,
    pub reception: Option<Reception>,
    pub may_edit: bool,
    pub may_manage_reception: bool,
}

/// The numbers of one year for a partnership: held activities (each occurrence of a recurring
/// one counts), by category and direction, and participants per side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearNumbers {
    pub year: i16,
    pub activities: u32,
    pub by_category: BTreeMap<String, u32>,
    pub by_direction: BTreeMap<String, u32>,
    pub participants_home: u32,
    pub participants_partner: u32,
    pub costs: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dormancy {
    pub last_held: Option<Date>,
    pub months: u16,
    pub dormant: bool,
}

/// An open reception request with its activity.
#[derive(Debug, Clone)]
pub struct OpenReception {
    pub reception: Reception,
    pub activity: Activity,
    pub partnership: PartnershipView,
}

#[derive(Clone, Debug)]
pub struct Activities {
    pub(crate) register: Register,
}

impl Activities {
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    pub(crate) fn store(&self) -> &Store {
        self.register.store()
    }

    // ---- rights ---------------------------------------------------------------------------

    pub(crate) async fn edit_right(&self, draft: &ActivityDraft) -> Result<Action, AppError> {
        let municipality = self.holder_of(&draft.partnership).await?;
        let group = match &draft.organiser {
            Organiser::WorkingGroup(g) => {
                let g = self
                    .store()
                    .working_group(g)
                    .await?
                    .ok_or(AppError::NotFound)?;
                Some((g.foundation, g.id))
            }
            Organiser::Municipality => None,
        };
        Ok(Action::EditActivity {
            municipality,
            group,
        })
    }

    /// The right to see an activity that is not public: the officials of the municipality that
    /// holds its partnership, the board and members of its organising working group and of the
    /// groups that carry its partnership.
    async fn read_right(
        &self,
        draft: &ActivityDraft,
        known: &mut ReadRights,
    ) -> Result<Action, AppError> {
        let municipality = match known.holders.get(&draft.partnership.0) {
            Some(m) => m.clone(),
            None => {
                let m = self.holder_of(&draft.partnership).await?;
                known.holders.insert(draft.partnership.0.clone(), m.clone());
                m
            }
        };
        if known.groups.is_none() {
            known.groups = Some(self.store().working_groups(None).await?);
        }
        let groups = known
            .groups
            .iter()
            .flatten()
            .filter(|g| {
                matches!(&draft.organiser, Organiser::WorkingGroup(id) if *id == g.id)
                    || g.draft.partnerships.contains(&draft.partnership)
            })
            .map(|g| (g.foundation.clone(), g.id.clone()))
            .collect();
        Ok(Action::ReadActivity {
            municipality,
            groups,
        })
    }

    /// Whether the caller may see an activity: a public one everybody, another one those with
    /// a right on it.
    async fn may_read(
        &self,
        caller: &Caller,
        draft: &ActivityDraft,
        known: &mut ReadRights,
    ) -> Result<bool, AppError> {
        if draft.public {
            return Ok(true);
        }
        if caller.require_login().is_err() {
            return Ok(false);
        }
        let right = self.read_right(draft, known).await?;
        Ok(self.register.allows(caller, &right))
    }

    /// Who holds a partnership today (its home, or the home's successor).
    async fn holder_of(&self, partnership: &PartnershipId) -> Result<MunicipalityId, AppError> {
        let p = self
            .store()
            .partnership(partnership)
            .await?
            .ok_or(AppError::NotFound)?;
        self.register.holder(&p.draft.home).await
    }

    // ---- reading --------------------------------------------------------------------------

    pub(crate) async fn find(&self, id: &str) -> Result<Activity, AppError> {
        self.store()
            .activity(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// An activity; one that is not public only for those with a right on its partnership or
    /// organiser (for others it does not exist).
    pub async fn activity(&self, caller: &Caller, id: &str) -> Result<ActivityView, AppError> {
        let activity = self.find(id).await?;
        if !self
            .may_read(caller, &activity.draft, &mut ReadRights::default())
            .await?
        {
            return Err(AppError::NotFound);
        }
        let partnership = self
            .register
            .partnership(&activity.draft.partnership.0)
            .await?
            .view;
        let group = match &activity.draft.organiser {
            Organiser::WorkingGroup(g) => self
                .store()
                .working_group(g)
                .await?
                .map(|g| (g.id, g.slug.as_str().to_owned(), g.draft.name.to_string())),
            Organiser::Municipality => None,
        };
        let may_edit = self
            .register
            .allows(caller, &self.edit_right(&activity.draft).await?);
        let may_manage_reception = self.register.allows(
            caller,
            &Action::ManageReceptions(partnership.holder.id.clone()),
        );
        // Who receives and the notes name people: only for those who work on the activity or
        // the reception.
        let reception = self.store().reception(&activity.id).await?.map(|mut r| {
            if !(may_edit || may_manage_reception) {
                r.received_by = None;
                r.note = None;
            }
            r
        });
        Ok(ActivityView {
            reception,
            activity,
            partnership,
            group,
            may_edit,
            may_manage_reception,
        })
    }

    /// Activities by filter; the public sees public ones only, an account those that are not
    /// public only where it has a right on their partnership or organiser.
    pub async fn activities(
        &self,
        caller: &Caller,
        mut filter: ActivityFilter,
    ) -> Result<Vec<Activity>, AppError> {
        if caller.require_login().is_err() {
            filter.public_only = true;
        }
        let mut known = ReadRights::default();
        let mut out = Vec::new();
        for a in self.store().activities(&filter).await? {
            if self.may_read(caller, &a.draft, &mut known).await? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Each occurrence of the activities in `from..=to` with its activity (shared, not copied
    /// per occurrence), by start. A period longer than the domain's limit is refused (`to`).
    pub async fn calendar(
        &self,
        caller: &Caller,
        filter: ActivityFilter,
        from: Date,
        to: Date,
    ) -> Result<Vec<(Arc<Activity>, Occurrence)>, AppError> {
        check_period(from, to).map_err(|k| ValidationErrors::single("to", k))?;
        let filter = ActivityFilter {
            from: Some(from),
            to: Some(to),
            ..filter
        };
        let mut out = Vec::new();
        for a in self.activities(caller, filter).await? {
            let a = Arc::new(a);
            for o in a
                .draft
                .schedule
                .occurrences(a.draft.recurrence.as_ref(), from, to)
            {
                out.push((Arc::clone(&a), o));
            }
        }
        out.sort_by(|x, y| {
            (x.1.start, x.0.draft.schedule.start_time, &x.0.id).cmp(&(
                y.1.start,
                y.0.draft.schedule.start_time,
                &y.0.id,
            ))
        });
        Ok(out)
    }

    /// The occurrences of an activity up to `until` (its only one, when it does not recur),
    /// with their figures.
    pub async fn occurrences(
        &self,
        activity: &Activity,
        until: Date,
    ) -> Result<Vec<OccurrenceView>, AppError> {
        let figures = self.store().occurrence_figures(&activity.id).await?;
        let d = &activity.draft;
        let occurrences = d
            .schedule
            .occurrences(d.recurrence.as_ref(), d.schedule.start, until);
        Ok(occurrence_views(d, occurrences, &figures))
    }

    // ---- writing --------------------------------------------------------------------------

    async fn parse(&self, input: &ActivityInput) -> Result<ActivityDraft, AppError> {
        let partnership = match input.partnership.as_deref().map(str::trim) {
            None | Some("") => Err("error-required"),
            Some(p) if p.chars().any(char::is_control) || p.len() > 100 => {
                Err("error-partnership-unknown-id")
            }
            Some(p) => match self
                .store()
                .partnership(&PartnershipId(p.to_owned()))
                .await?
            {
                Some(x) => Ok(x.id),
                None => Err("error-partnership-unknown-id"),
            },
        };
        let organiser = match input.organiser.as_deref().map(str::trim) {
            None | Some("") => Err("error-required"),
            Some("municipality") => Ok(Organiser::Municipality),
            Some(g) if g.chars().any(char::is_control) || g.len() > 200 => {
                Err("error-working-group-unknown")
            }
            Some(g) => match self.store().working_group(g).await? {
                None => Err("error-working-group-unknown"),
                Some(g) => match &partnership {
                    Ok(p) if !g.draft.partnerships.contains(p) => {
                        Err("error-organiser-not-carrying")
                    }
                    _ => Ok(Organiser::WorkingGroup(g.id)),
                },
            },
        };
        Ok(ActivityDraft::parse(input, partnership, organiser)?)
    }

    pub async fn create_activity(
        &self,
        caller: &Caller,
        input: &ActivityInput,
    ) -> Result<Activity, AppError> {
        const ACT: &str = "activity.create";
        self.register.check_login(caller, ACT).await?;
        let draft = self.parse(input).await?;
        let right = self.edit_right(&draft).await?;
        self.register
            .check(
                caller,
                &right,
                ACT,
                Some(("partnership", &draft.partnership.0)),
            )
            .await?;
        self.register.refuse_archived(&draft.partnership).await?;
        let audit = |a: &Activity| entry(caller, ACT, "activity", &a.id, None, json(a));
        let a = self
            .store()
            .insert_activity(&draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(a)
    }

    pub async fn update_activity(
        &self,
        caller: &Caller,
        id: &str,
        input: &ActivityInput,
    ) -> Result<Activity, AppError> {
        const ACT: &str = "activity.update";
        self.register.check_login(caller, ACT).await?;
        let current = self.find(id).await?;
        let right = self.edit_right(&current.draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &current.id)))
            .await?;
        let draft = self.parse(input).await?;
        // Handing it to another organiser or partnership needs the right there too.
        let right = self.edit_right(&draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &current.id)))
            .await?;
        self.register
            .refuse_archived(&current.draft.partnership)
            .await?;
        self.register.refuse_archived(&draft.partnership).await?;
        if let Some(r) = self.store().reception(&current.id).await?
            && r.status.is_open()
            && reception_allowed(draft.direction).is_err()
        {
            return Err(
                ValidationErrors::single("direction", "error-reception-not-incoming").into(),
            );
        }
        let before = json(&current);
        let audit = |a: &Activity| entry(caller, ACT, "activity", &a.id, before.clone(), json(a));
        let a = self
            .store()
            .update_activity(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(a)
    }

    /// Records the figures of one occurrence (its start date names it).
    pub async fn set_figures(
        &self,
        caller: &Caller,
        id: &str,
        occurrence_on: &str,
        input: &FiguresInput,
    ) -> Result<OccurrenceFigures, AppError> {
        const ACT: &str = "activity.figures";
        self.register.check_login(caller, ACT).await?;
        let a = self.find(id).await?;
        let right = self.edit_right(&a.draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &a.id)))
            .await?;
        self.register.refuse_archived(&a.draft.partnership).await?;
        let on =
            stedenband_domain::date::parse_date(occurrence_on).map_err(|_| AppError::NotFound)?;
        let s = &a.draft.schedule;
        let exists = s
            .occurrences(a.draft.recurrence.as_ref(), on, on)
            .iter()
            .any(|o| o.start == on);
        if !exists {
            return Err(AppError::NotFound);
        }
        let figures = OccurrenceFigures::parse(on, input)?;
        let audit = entry(caller, ACT, "activity", &a.id, None, json(&figures));
        self.store()
            .set_occurrence_figures(&a.id, &figures, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(figures)
    }

    // ---- receptions -----------------------------------------------------------------------

    /// Asks the mayor and aldermen to receive an incoming visit.
    pub async fn request_reception(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Reception, AppError> {
        const ACT: &str = "reception.request";
        self.register.check_login(caller, ACT).await?;
        let a = self.find(id).await?;
        let right = self.edit_right(&a.draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &a.id)))
            .await?;
        reception_allowed(a.draft.direction)
            .map_err(|k| ValidationErrors::single("direction", k))?;
        if self.store().reception(&a.id).await?.is_some() {
            return Err(ValidationErrors::single("status", "error-reception-exists").into());
        }
        let audit = |r: &Reception| entry(caller, ACT, "activity", &a.id, None, json(r));
        let r = self
            .store()
            .insert_reception(&a.id, &audit)
            .await
            .map_err(|e| match e {
                stedenband_store::StoreError::Conflict { .. } => {
                    AppError::Invalid(ValidationErrors::single("status", "error-reception-exists"))
                }
                other => AppError::from_store(other),
            })?;
        Ok(r)
    }

    /// Moves a reception on (accepted, declined, scheduled, held): the municipality's
    /// officials.
    pub async fn step_reception(
        &self,
        caller: &Caller,
        id: &str,
        input: &ReceptionInput,
    ) -> Result<Reception, AppError> {
        const ACT: &str = "reception.step";
        self.register.check_login(caller, ACT).await?;
        let a = self.find(id).await?;
        let right = Action::ManageReceptions(self.holder_of(&a.draft.partnership).await?);
        self.register
            .check(caller, &right, ACT, Some(("activity", &a.id)))
            .await?;
        let current = self
            .store()
            .reception(&a.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let next = current.step(input)?;
        let audit = entry(caller, ACT, "activity", &a.id, json(&current), json(&next));
        if !self
            .store()
            .step_reception(current.status, &next, &audit)
            .await?
        {
            // Somebody else moved it on meanwhile.
            return Err(ValidationErrors::single("status", "error-reception-transition").into());
        }
        Ok(next)
    }

    /// The open reception requests of a municipality's partnerships, for its officials.
    pub async fn open_receptions(
        &self,
        caller: &Caller,
        municipality: &str,
    ) -> Result<Vec<OpenReception>, AppError> {
        self.register.check_login(caller, "reception.list").await?;
        let m = self
            .register
            .find_municipality(municipality)
            .await?
            .ok_or(AppError::NotFound)?;
        let holder = self.register.holder(&m.id).await?;
        self.register
            .check(
                caller,
                &Action::ManageReceptions(holder.clone()),
                "reception.list",
                Some(("municipality", &m.id.0)),
            )
            .await?;
        let mut partnerships = Vec::new();
        for number in 1.. {
            let page = self
                .register
                .partnerships(
                    Some(&holder.0),
                    PageRequest::new(number, PageRequest::MAX_SIZE),
                )
                .await?;
            let last = number >= page.pages() || page.items.is_empty();
            partnerships.extend(page.items);
            if last {
                break;
            }
        }
        let ids: Vec<String> = partnerships
            .iter()
            .map(|p| p.partnership.id.0.clone())
            .collect();
        let mut out = Vec::new();
        for r in self.store().open_receptions(&ids).await? {
            let a = self.find(&r.activity).await?;
            let p = partnerships
                .iter()
                .find(|p| p.partnership.id == a.draft.partnership)
                .cloned()
                .ok_or(AppError::NotFound)?;
            out.push(OpenReception {
                reception: r,
                activity: a,
                partnership: p,
            });
        }
        Ok(out)
    }

    // ---- numbers --------------------------------------------------------------------------

    /// Held activities per year for a partnership, oldest year first. Each occurrence that
    /// counts as held ([`occurrence_held`]: begun by today, not cancelled on its own, of a held
    /// activity or of a held or confirmed series) counts in its year.
    pub async fn numbers_per_year(
        &self,
        caller: &Caller,
        partnership: &str,
    ) -> Result<Vec<YearNumbers>, AppError> {
        let p = self.register.partnership(partnership).await?;
        let filter = ActivityFilter {
            partnerships: vec![p.view.partnership.id.0.clone()],
            ..Default::default()
        };
        let now = today();
        let mut years: BTreeMap<i16, YearNumbers> = BTreeMap::new();
        let activities: Vec<Activity> = self
            .activities(caller, filter)
            .await?
            .into_iter()
            .filter(|a| may_count(&a.draft))
            .collect();
        let ids: Vec<String> = activities.iter().map(|a| a.id.clone()).collect();
        let figures = self.store().occurrence_figures_of(&ids).await?;
        for a in &activities {
            let d = &a.draft;
            let occurrences = d
                .schedule
                .occurrences(d.recurrence.as_ref(), d.schedule.start, now);
            let recorded = figures.get(&a.id).map_or(&[][..], Vec::as_slice);
            for o in occurrence_views(d, occurrences, recorded) {
                let held = occurrence_held(
                    d.status,
                    d.recurrence.is_some(),
                    o.occurrence.start,
                    o.cancelled,
                    now,
                );
                if !held {
                    continue;
                }
                let y = years.entry(o.occurrence.start.year()).or_default();
                y.year = o.occurrence.start.year();
                y.activities += 1;
                *y.by_category
                    .entry(a.draft.category.as_str().to_owned())
                    .or_default() += 1;
                *y.by_direction
                    .entry(a.draft.direction.as_str().to_owned())
                    .or_default() += 1;
                y.participants_home += o.participants_home;
                y.participants_partner += o.participants_partner;
                y.costs += o.costs.unwrap_or_default();
            }
        }
        Ok(years.into_values().collect())
    }

    /// When the last held activity (or occurrence) of a partnership was, and whether that is
    /// longer ago than `months`.
    pub async fn dormancy(
        &self,
        partnership: &PartnershipId,
        months: u16,
    ) -> Result<Dormancy, AppError> {
        let mut all = self
            .dormancies(std::slice::from_ref(partnership), months)
            .await?;
        Ok(all.remove(&partnership.0).expect("one per partnership"))
    }

    /// The dormancy of each of these partnerships (by id), in two queries for all of them.
    pub async fn dormancies(
        &self,
        partnerships: &[PartnershipId],
        months: u16,
    ) -> Result<HashMap<String, Dormancy>, AppError> {
        let now = today();
        let mut last: HashMap<String, Option<Date>> =
            partnerships.iter().map(|p| (p.0.clone(), None)).collect();
        if !partnerships.is_empty() {
            // Dormancy is shown to everybody, so only public activities count (an internal
            // meeting neither wakes a partnership up nor shows its date).
            let filter = ActivityFilter {
                partnerships: partnerships.iter().map(|p| p.0.clone()).collect(),
                to: Some(now),
                public_only: true,
                ..Default::default()
            };
            let activities: Vec<Activity> = self
                .store()
                .activities(&filter)
                .await?
                .into_iter()
                .filter(|a| may_count(&a.draft))
                .collect();
            let ids: Vec<String> = activities.iter().map(|a| a.id.clone()).collect();
            let figures = self.store().occurrence_figures_of(&ids).await?;
            for a in &activities {
                let d = &a.draft;
                let recorded = figures.get(&a.id).map_or(&[][..], Vec::as_slice);
                let occurrences =
                    d.schedule
                        .occurrences(d.recurrence.as_ref(), d.schedule.start, now);
                let held = occurrence_views(d, occurrences, recorded)
                    .into_iter()
                    .rfind(|o| {
                        occurrence_held(
                            d.status,
                            d.recurrence.is_some(),
                            o.occurrence.start,
                            o.cancelled,
                            now,
                        )
                    });
                if let Some(o) = held {
                    let end = o.occurrence.end.min(now);
                    let l = last.entry(d.partnership.0.clone()).or_default();
                    *l = Some(l.map_or(end, |l| l.max(end)));
                }
            }
        }
        Ok(last
            .into_iter()
            .map(|(p, last)| {
                let d = Dormancy {
                    last_held: last,
                    months,
                    dormant: is_dormant(last, now, months),
                };
                (p, d)
            })
            .collect())
    }

    /// The choices for an activity's category, direction and status (for forms).
    pub fn categories() -> &'static [Category] {
        Category::ALL
    }

    pub fn directions() -> &'static [Direction] {
        Direction::ALL
    }

    pub fn statuses() -> &'static [ReceptionStatus] {
        ReceptionStatus::ALL
    }
}

/// Whether any occurrence of an activity can count as held (a planned or cancelled activity's
/// never do).
fn may_count(d: &ActivityDraft) -> bool {
    matches!(d.status, ActivityStatus::Held | ActivityStatus::Confirmed)
}

fn json(v: &impl Serialize) -> Option<String> {
    serde_json::to_string(v).ok()
}
