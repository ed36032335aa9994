//! Activities of partnerships: planning and recording them, the figures of each occurrence of
//! a recurring one, receptions by the mayor and aldermen, numbers per year and dormancy.

use crate::organisation::today;
use crate::register::PartnershipView;
use crate::{AppError, Caller, Register};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use stedenband_domain::activity::{
    Activity, ActivityDraft, ActivityInput, ActivityStatus, Category, Direction, FiguresInput,
    Occurrence, OccurrenceFigures, Organiser, Reception, ReceptionInput, ReceptionStatus,
    is_dormant, reception_allowed,
};
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

    /// An activity; one that is not public only for those logged in.
    pub async fn activity(&self, caller: &Caller, id: &str) -> Result<ActivityView, AppError> {
        let activity = self.find(id).await?;
        if !activity.draft.public && caller.require_login().is_err() {
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

    /// Activities by filter; the public sees public ones only.
    pub async fn activities(
        &self,
        caller: &Caller,
        mut filter: ActivityFilter,
    ) -> Result<Vec<Activity>, AppError> {
        if caller.require_login().is_err() {
            filter.public_only = true;
        }
        Ok(self.store().activities(&filter).await?)
    }

    /// Each occurrence of the activities in `from..=to` with its activity, by start.
    pub async fn calendar(
        &self,
        caller: &Caller,
        filter: ActivityFilter,
        from: Date,
        to: Date,
    ) -> Result<Vec<(Activity, Occurrence)>, AppError> {
        let filter = ActivityFilter {
            from: Some(from),
            to: Some(to),
            ..filter
        };
        let mut out = Vec::new();
        for a in self.activities(caller, filter).await? {
            for o in a
                .draft
                .schedule
                .occurrences(a.draft.recurrence.as_ref(), from, to)
            {
                out.push((a.clone(), o));
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
        Ok(d.schedule
            .occurrences(d.recurrence.as_ref(), d.schedule.start, until)
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
                }
            })
            .collect())
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
        let a = self
            .store()
            .insert_activity(&draft)
            .await
            .map_err(AppError::from_store)?;
        self.register
            .record(caller, ACT, "activity", &a.id, None, json(&a))
            .await?;
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
        if let Some(r) = self.store().reception(&current.id).await?
            && r.status.is_open()
            && reception_allowed(draft.direction).is_err()
        {
            return Err(
                ValidationErrors::single("direction", "error-reception-not-incoming").into(),
            );
        }
        let a = self
            .store()
            .update_activity(&current.id, &draft)
            .await
            .map_err(AppError::from_store)?;
        self.register
            .record(caller, ACT, "activity", &a.id, json(&current), json(&a))
            .await?;
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
        self.store()
            .set_occurrence_figures(&a.id, &figures)
            .await
            .map_err(AppError::from_store)?;
        self.register
            .record(caller, ACT, "activity", &a.id, None, json(&figures))
            .await?;
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
        let r = self
            .store()
            .insert_reception(&a.id)
            .await
            .map_err(|e| match e {
                stedenband_store::StoreError::Conflict { .. } => {
                    AppError::Invalid(ValidationErrors::single("status", "error-reception-exists"))
                }
                other => AppError::from_store(other),
            })?;
        self.register
            .record(caller, ACT, "activity", &a.id, None, json(&r))
            .await?;
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
        if !self.store().step_reception(current.status, &next).await? {
            // Somebody else moved it on meanwhile.
            return Err(ValidationErrors::single("status", "error-reception-transition").into());
        }
        self.register
            .record(caller, ACT, "activity", &a.id, json(&current), json(&next))
            .await?;
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
        let partnerships = self
            .register
            .partnerships(Some(&holder.0), PageRequest::new(1, PageRequest::MAX_SIZE))
            .await?
            .items;
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

    /// Held activities per year for a partnership (each occurrence of a recurring held
    /// activity up to today counts in its year), oldest year first.
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
        for a in self.activities(caller, filter).await? {
            if a.draft.status != ActivityStatus::Held {
                continue;
            }
            for o in self.occurrences(&a, now).await? {
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
        let now = today();
        // Dormancy is shown to everybody, so only public activities count (an internal meeting
        // neither wakes a partnership up nor shows its date).
        let filter = ActivityFilter {
            partnerships: vec![partnership.0.clone()],
            to: Some(now),
            public_only: true,
            ..Default::default()
        };
        let mut last: Option<Date> = None;
        for a in self.store().activities(&filter).await? {
            if a.draft.status != ActivityStatus::Held {
                continue;
            }
            let d = &a.draft.schedule;
            if let Some(o) = d
                .occurrences(a.draft.recurrence.as_ref(), d.start, now)
                .into_iter()
                .rfind(|o| o.start <= now)
            {
                let end = o.end.min(now);
                last = Some(last.map_or(end, |l| l.max(end)));
            }
        }
        Ok(Dormancy {
            last_held: last,
            months,
            dormant: is_dormant(last, now, months),
        })
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

fn json(v: &impl Serialize) -> Option<String> {
    serde_json::to_string(v).ok()
}
