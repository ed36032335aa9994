//! Participants of an activity listed by name, grouped by the town they come from: the list a
//! sign-in sheet is printed from and an EU grant's report is made of.
//!
//! Who sees names: those who may edit the activity, and for a working group's activity those
//! who may read the foundation's people (its board, its working-group members, the
//! municipality's officials). Everybody else sees how many came from each town. Audit entries
//! name the town and the kind of participant, never a guest's name.

use crate::activities::{Activities, ActivityView};
use crate::organisation::{csv_error, defuse_formula, today};
use crate::register::entry;
use crate::{AppError, Caller};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use stedenband_domain::activity::Organiser;
use stedenband_domain::participant::{
    Participant, ParticipantDraft, ParticipantInput, Side, Who, guest_retention_expired,
};
use stedenband_domain::{Action, Municipality, ValidationErrors};
use stedenband_store::{GuestRecord, StoreError};

/// One listed participant as the caller may see them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantRow {
    pub id: String,
    /// `person` or `guest`.
    pub kind: &'static str,
    /// The person's id (people of the organisation only).
    pub person: Option<String>,
    /// The name; `None` once the person or guest has been anonymised.
    pub name: Option<String>,
    pub anonymised: bool,
}

/// The participants from one town.
#[derive(Debug, Clone)]
pub struct TownList {
    pub town: Municipality,
    pub side: Side,
    pub count: usize,
    /// Empty for callers who may not see names.
    pub participants: Vec<ParticipantRow>,
}

/// An activity's list of participants.
#[derive(Debug, Clone)]
pub struct ParticipantsView {
    pub activity: ActivityView,
    pub names_visible: bool,
    pub total: usize,
    /// Home first, then the partner town, then other invited towns by name.
    pub towns: Vec<TownList>,
}

/// What the form to list somebody offers (for those who may edit the activity).
#[derive(Debug, Clone, Default)]
pub struct ParticipantChoices {
    /// The home municipality and its partner towns.
    pub towns: Vec<Municipality>,
    /// People of the organisation that can be listed: (id, name), by name.
    pub people: Vec<(String, String)>,
}

impl Activities {
    /// Whether the caller sees the names on an activity's list.
    async fn names_right(&self, caller: &Caller, v: &ActivityView) -> Result<bool, AppError> {
        if v.may_edit {
            return Ok(true);
        }
        if caller.require_login().is_err() {
            return Ok(false);
        }
        let Organiser::WorkingGroup(g) = &v.activity.draft.organiser else {
            return Ok(false);
        };
        let Some(group) = self.store().working_group(g).await? else {
            return Ok(false);
        };
        let read = Action::ReadPeople {
            foundation: group.foundation.clone(),
            municipality: v.partnership.holder.id.clone(),
            groups: vec![group.id.clone()],
        };
        Ok(self.register.allows(caller, &read))
    }

    fn side_of(v: &ActivityView, town: &Municipality) -> Side {
        let p = &v.partnership;
        if town.id == p.home.id || town.id == p.holder.id {
            Side::Home
        } else {
            Side::Partner
        }
    }

    /// The participants of an activity grouped by town. The public sees counts per town of a
    /// public activity; names need the right described in the module's documentation.
    pub async fn participants(
        &self,
        caller: &Caller,
        activity: &str,
    ) -> Result<ParticipantsView, AppError> {
        let v = self.activity(caller, activity).await?;
        let names_visible = self.names_right(caller, &v).await?;
        let listed = self.store().participants(&v.activity.id).await?;
        let mut by_town: BTreeMap<String, Vec<Participant>> = BTreeMap::new();
        for p in listed {
            by_town.entry(p.town.clone()).or_default().push(p);
        }
        let mut towns = Vec::new();
        let mut total = 0;
        for (town_id, list) in by_town {
            let town = self
                .store()
                .municipality(&stedenband_domain::MunicipalityId(town_id.clone()))
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("participant town {town_id}")))?;
            let mut rows = Vec::new();
            if names_visible {
                for p in &list {
                    rows.push(self.row(p).await?);
                }
                rows.sort_by(|a, b| {
                    (a.anonymised, a.name.as_deref().map(fold))
                        .cmp(&(b.anonymised, b.name.as_deref().map(fold)))
                });
            }
            total += list.len();
            towns.push(TownList {
                side: Self::side_of(&v, &town),
                count: list.len(),
                participants: rows,
                town,
            });
        }
        towns.sort_by(|a, b| {
            let rank = |t: &TownList| match t.side {
                Side::Home => 0,
                Side::Partner if t.town.id == v.partnership.partner.id => 1,
                Side::Partner => 2,
            };
            rank(a)
                .cmp(&rank(b))
                .then_with(|| fold(a.town.name().as_str()).cmp(&fold(b.town.name().as_str())))
        });
        Ok(ParticipantsView {
            activity: v,
            names_visible,
            total,
            towns,
        })
    }

    async fn row(&self, p: &Participant) -> Result<ParticipantRow, AppError> {
        Ok(match &p.person {
            Some(id) => {
                let person = self.store().person(id).await?;
                let anonymised = person.as_ref().is_none_or(|x| x.is_anonymised());
                ParticipantRow {
                    id: p.id.clone(),
                    kind: "person",
                    person: Some(id.clone()),
                    name: person.and_then(|x| x.name).map(|n| n.to_string()),
                    anonymised,
                }
            }
            None => ParticipantRow {
                id: p.id.clone(),
                kind: "guest",
                person: None,
                name: p.guest_name.as_ref().map(|n| n.to_string()),
                anonymised: p.anonymised_on.is_some(),
            },
        })
    }

    /// The towns and people the form offers; empty for those who may not edit the activity.
    pub async fn participant_choices(
        &self,
        v: &ActivityView,
    ) -> Result<ParticipantChoices, AppError> {
        if !v.may_edit {
            return Ok(ParticipantChoices::default());
        }
        let holder = &v.partnership.holder;
        let mut towns = vec![holder.clone()];
        let home = self.register.municipality(holder.id.0.as_str()).await?;
        for p in home.partnerships {
            if !towns.iter().any(|t| t.id == p.partner.id) {
                towns.push(p.partner);
            }
        }
        if !towns.iter().any(|t| t.id == v.partnership.partner.id) {
            towns.push(v.partnership.partner.clone());
        }
        towns[1..].sort_by_key(|t| fold(t.name().as_str()));
        let mut people = Vec::new();
        for f in self.foundations_for(v).await? {
            for p in self.store().people(Some(&f)).await? {
                if let Some(name) = p.name {
                    people.push((p.id, name.to_string()));
                }
            }
        }
        people.sort_by_key(|(_, n)| fold(n));
        Ok(ParticipantChoices { towns, people })
    }

    /// The foundations whose people may be listed: the organising group's foundation, or for
    /// the municipality's own activities every foundation of the municipality.
    async fn foundations_for(&self, v: &ActivityView) -> Result<Vec<String>, AppError> {
        Ok(match &v.activity.draft.organiser {
            Organiser::WorkingGroup(g) => self
                .store()
                .working_group(g)
                .await?
                .map(|g| vec![g.foundation])
                .unwrap_or_default(),
            Organiser::Municipality => self
                .store()
                .foundations(Some(&v.partnership.holder.id))
                .await?
                .into_iter()
                .map(|f| f.id)
                .collect(),
        })
    }

    /// Lists a person of the organisation or a named guest on an activity (those who may edit
    /// the activity).
    pub async fn add_participant(
        &self,
        caller: &Caller,
        activity: &str,
        input: &ParticipantInput,
    ) -> Result<Participant, AppError> {
        const ACT: &str = "participant.add";
        self.register.check_login(caller, ACT).await?;
        let a = self.find(activity).await?;
        let right = self.edit_right(&a.draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &a.id)))
            .await?;
        let draft = ParticipantDraft::parse(input)?;
        let mut e = ValidationErrors::default();
        if let Who::Person { id } = &draft.who {
            let v = self.activity(caller, &a.id).await?;
            let allowed = self.foundations_for(&v).await?;
            match self.store().person(id).await? {
                Some(p) if p.is_anonymised() => e.push("person", "error-person-anonymised"),
                Some(p) if allowed.contains(&p.foundation) => {}
                _ => e.push("person", "error-person-unknown"),
            }
        }
        let town = self.register.find_municipality(&draft.town).await?;
        if town.is_none() {
            e.push("town", "error-town-unknown");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let town = town.expect("checked");
        let audit = |p: &Participant| {
            let after = serde_json::json!({
                "participant": p.id,
                "kind": if p.is_guest() { "guest" } else { "person" },
                "person": p.person,
                "town": p.town,
            });
            entry(
                caller,
                ACT,
                "activity",
                &a.id,
                None,
                Some(after.to_string()),
            )
        };
        let p = self
            .store()
            .insert_participant(&a.id, &draft.who, &town.id.0, today(), &audit)
            .await
            .map_err(|err| match err {
                StoreError::Conflict { .. } => AppError::Invalid(ValidationErrors::single(
                    match draft.who {
                        Who::Person { .. } => "person",
                        Who::Guest { .. } => "guestName",
                    },
                    "error-participant-listed",
                )),
                other => AppError::from_store(other),
            })?;
        Ok(p)
    }

    /// Takes somebody off an activity's list (a guest's name goes with the row).
    pub async fn remove_participant(
        &self,
        caller: &Caller,
        activity: &str,
        participant: &str,
    ) -> Result<(), AppError> {
        const ACT: &str = "participant.remove";
        self.register.check_login(caller, ACT).await?;
        let a = self.find(activity).await?;
        let right = self.edit_right(&a.draft).await?;
        self.register
            .check(caller, &right, ACT, Some(("activity", &a.id)))
            .await?;
        let key = participant.trim();
        if key.is_empty() || key.len() > 200 || key.chars().any(char::is_control) {
            return Err(AppError::NotFound);
        }
        let before = serde_json::json!({ "participant": key });
        let audit = entry(
            caller,
            ACT,
            "activity",
            &a.id,
            Some(before.to_string()),
            None,
        );
        if !self.store().delete_participant(&a.id, key, &audit).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    /// The list as CSV (town, country, side, name, kind), for those who see names.
    pub async fn participants_csv(
        &self,
        caller: &Caller,
        activity: &str,
    ) -> Result<String, AppError> {
        const ACT: &str = "participants.export-csv";
        self.register.check_login(caller, ACT).await?;
        let view = self.participants(caller, activity).await?;
        if !view.names_visible {
            let right = self.edit_right(&view.activity.activity.draft).await?;
            self.register
                .check(
                    caller,
                    &right,
                    ACT,
                    Some(("activity", &view.activity.activity.id)),
                )
                .await?;
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["town", "country", "side", "name", "kind"])
            .map_err(csv_error)?;
        for t in &view.towns {
            for p in &t.participants {
                let line = [
                    t.town.name().to_string(),
                    t.town.country().as_str().to_owned(),
                    t.side.as_str().to_owned(),
                    p.name.clone().unwrap_or_default(),
                    p.kind.to_owned(),
                ];
                w.write_record(line.iter().map(|s| defuse_formula(s)))
                    .map_err(csv_error)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| csv_error(e.into_error().into()))?;
        self.register
            .record(
                caller,
                ACT,
                "activity",
                &view.activity.activity.id,
                None,
                None,
            )
            .await?;
        String::from_utf8(bytes).map_err(|e| AppError::Store(StoreError::Corrupt(e.to_string())))
    }

    /// The guests whose names are past their retention period on `today`.
    pub async fn guest_retention_due(&self, today: Date) -> Result<Vec<GuestRecord>, AppError> {
        Ok(self
            .store()
            .named_guests()
            .await?
            .into_iter()
            .filter(|g| guest_retention_expired(g.activity_end, g.participant.recorded_on, today))
            .collect())
    }

    /// Empties the names of guests past their retention period (administrators: an operator's
    /// command). Returns how many names were removed.
    pub async fn run_guest_retention(
        &self,
        caller: &Caller,
        today: Date,
    ) -> Result<Vec<GuestRecord>, AppError> {
        const ACT: &str = "participant.retention";
        self.register
            .check(caller, &Action::ManageAccounts, ACT, None)
            .await?;
        let due = self.guest_retention_due(today).await?;
        for g in &due {
            let after = serde_json::json!({
                "participant": g.participant.id,
                "anonymised": true,
                "reason": "retention-period-passed",
            });
            let audit = entry(
                caller,
                ACT,
                "activity",
                &g.participant.activity,
                None,
                Some(after.to_string()),
            );
            // False when it was already emptied meanwhile: then nothing changed, no entry.
            self.store()
                .anonymise_guest(&g.participant.id, today, &audit)
                .await?;
        }
        Ok(due)
    }
}

fn fold(s: &str) -> String {
    stedenband_domain::text::fold(s)
}
