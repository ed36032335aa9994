//! The organisation: foundations, working groups, people and their roles, and what the
//! AVG/GDPR asks of keeping people's data (lawful basis, consent withdrawal, export, erasure,
//! retention).
//!
//! Personal data leaves this layer only for callers allowed to see it: views carry a person's
//! name only when the caller may read the foundation's people, and contact details only when
//! the caller may edit that person. Audit entries about people name the fields that changed,
//! never their values, so erasure leaves nothing behind in the hash-chained log.

use crate::register::{PartnershipView, entry};
use crate::{AppError, Caller, Register};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use stedenband_domain::organisation::{
    Assignment, Body, Foundation, FoundationDraft, FoundationInput, LawfulBasis, OrgRole, Person,
    PersonDraft, PersonInput, RoleInput, RoleRecord, RulePeriod, Term, WorkingGroup,
    WorkingGroupDraft, WorkingGroupInput, board_at, board_rule, retention_ends, retention_expired,
};
use stedenband_domain::{Action, Municipality, PartnershipId, ValidationErrors};
use stedenband_store::Store;

/// Today in the server's time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// An id or slug from an address; anything with control characters is simply not found.
fn key_of(raw: &str) -> Result<&str, AppError> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    Ok(k)
}

/// A person as others see them: the name only for those allowed to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonLabel {
    pub id: String,
    /// `None` when the person is anonymised (or the caller may not see names).
    pub name: Option<String>,
    pub anonymised: bool,
}

/// A role held in a body, as shown in lists.
#[derive(Debug, Clone, Serialize)]
pub struct Seat {
    pub role_id: String,
    pub role: OrgRole,
    pub term: Term,
    /// `None` for callers who may not see who holds it.
    pub person: Option<PersonLabel>,
    pub current: bool,
}

/// A working group that should have its chair on the board, with the chair missing.
#[derive(Debug, Clone, Serialize)]
pub struct MissingChairView {
    pub group: WorkingGroup,
    pub person: Option<PersonLabel>,
}

/// One stretch of the board rule's history.
#[derive(Debug, Clone, Serialize)]
pub struct RuleLine {
    pub from: Date,
    pub until: Option<Date>,
    pub holds: bool,
    pub missing: Vec<MissingChairView>,
    pub without_chair: Vec<WorkingGroup>,
}

#[derive(Debug, Clone)]
pub struct FoundationView {
    pub foundation: Foundation,
    pub municipality: Municipality,
    pub groups: Vec<WorkingGroup>,
    /// The date the board is shown for.
    pub on: Date,
    pub board: Vec<Seat>,
    pub rule: Vec<RuleLine>,
    pub people_visible: bool,
    pub may_manage: bool,
    pub may_export: bool,
}

#[derive(Debug, Clone)]
pub struct WorkingGroupView {
    pub group: WorkingGroup,
    pub foundation: Foundation,
    pub partnerships: Vec<PartnershipView>,
    pub seats: Vec<Seat>,
    pub people_visible: bool,
    pub may_edit: bool,
}

/// Where a role is held, named.
#[derive(Debug, Clone, Serialize)]
pub struct BodyLabel {
    pub kind: &'static str,
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct PersonView {
    /// Contact details and basis are emptied for callers who may only read names.
    pub person: Person,
    pub foundation: Foundation,
    pub roles: Vec<(RoleRecord, BodyLabel)>,
    pub contact_visible: bool,
    pub may_edit: bool,
    pub may_handle_request: bool,
    /// The day after which the person's data may no longer be kept (`None` while a role runs).
    pub retention_ends: Option<Date>,
}

/// The organisation's use cases.
#[derive(Clone, Debug)]
pub struct Organisation {
    register: Register,
}

impl Organisation {
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    fn store(&self) -> &Store {
        self.register.store()
    }

    // ---- look-ups and rights ----------------------------------------------------------------

    async fn find_foundation(&self, key: &str) -> Result<Foundation, AppError> {
        self.store()
            .foundation(key_of(key)?)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn find_group(&self, key: &str) -> Result<WorkingGroup, AppError> {
        self.store()
            .working_group(key_of(key)?)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn find_person(&self, id: &str) -> Result<Person, AppError> {
        self.store()
            .person(key_of(id)?)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn group_ids(&self, foundation: &str) -> Result<Vec<String>, AppError> {
        Ok(self
            .store()
            .working_groups(Some(foundation))
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect())
    }

    async fn read_people_right(&self, f: &Foundation) -> Result<Action, AppError> {
        Ok(Action::ReadPeople {
            foundation: f.id.clone(),
            municipality: self.register.holder(&f.draft.municipality).await?,
            groups: self.group_ids(&f.id).await?,
        })
    }

    /// The right to change a person: the foundation's board, or a working-group member of a
    /// group the person has a role in.
    async fn edit_person_right(&self, p: &Person) -> Result<Action, AppError> {
        let roles = self.store().roles_of_person(&p.id).await?;
        // Somebody just recorded, without any role yet, is every group's to place; a former
        // member is nobody's but the board's.
        if roles.is_empty() {
            return Ok(Action::EditPerson {
                foundation: p.foundation.clone(),
                groups: self.group_ids(&p.foundation).await?,
            });
        }
        let now = today();
        let groups: BTreeSet<String> = roles
            .into_iter()
            .filter(|r| r.assignment.term.end.is_none_or(|e| e >= now))
            .filter_map(|r| match r.assignment.body {
                Body::WorkingGroup(g) => Some(g),
                Body::Foundation(_) => None,
            })
            .collect();
        Ok(Action::EditPerson {
            foundation: p.foundation.clone(),
            groups: groups.into_iter().collect(),
        })
    }

    fn allows(&self, caller: &Caller, action: &Action) -> bool {
        self.register.allows(caller, action)
    }

    async fn labels(
        &self,
        visible: bool,
        ids: impl Iterator<Item = &str>,
    ) -> Result<BTreeMap<String, PersonLabel>, AppError> {
        let mut out = BTreeMap::new();
        if !visible {
            return Ok(out);
        }
        for id in ids {
            if out.contains_key(id) {
                continue;
            }
            if let Some(p) = self.store().person(id).await? {
                out.insert(
                    id.to_owned(),
                    PersonLabel {
                        id: p.id.clone(),
                        name: p.name.as_ref().map(|n| n.to_string()),
                        anonymised: p.is_anonymised(),
                    },
                );
            }
        }
        Ok(out)
    }

    fn seats(
        roles: &[&RoleRecord],
        labels: &BTreeMap<String, PersonLabel>,
        today: Date,
    ) -> Vec<Seat> {
        roles
            .iter()
            .map(|r| Seat {
                role_id: r.id.clone(),
                role: r.assignment.role,
                term: r.assignment.term,
                person: labels.get(&r.assignment.person).cloned(),
                current: r.assignment.term.covers(today),
            })
            .collect()
    }

    // ---- foundations ------------------------------------------------------------------------

    /// Every foundation (of one municipality, by id or slug), by name. Public.
    pub async fn foundations(
        &self,
        municipality: Option<&str>,
    ) -> Result<Vec<Foundation>, AppError> {
        let m = match municipality.map(str::trim).filter(|m| !m.is_empty()) {
            Some(key) => Some(
                self.register
                    .find_municipality(key)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .id,
            ),
            None => None,
        };
        Ok(self.store().foundations(m.as_ref()).await?)
    }

    /// A foundation with its working groups, its board on `on` (today when `None`) and the
    /// history of the rule that every working group's chair sits on the board.
    pub async fn foundation(
        &self,
        caller: &Caller,
        key: &str,
        on: Option<Date>,
    ) -> Result<FoundationView, AppError> {
        let foundation = self.find_foundation(key).await?;
        let municipality = self
            .register
            .find_municipality(&foundation.draft.municipality.0)
            .await?
            .ok_or(AppError::NotFound)?;
        let groups = self.store().working_groups(Some(&foundation.id)).await?;
        let roles = self.store().roles_in_foundation(&foundation.id).await?;
        let people_visible = self.allows(caller, &self.read_people_right(&foundation).await?);
        let labels = self
            .labels(
                people_visible,
                roles.iter().map(|r| r.assignment.person.as_str()),
            )
            .await?;
        let on = on.unwrap_or_else(today);
        let assignments: Vec<Assignment> = roles.iter().map(|r| r.assignment.clone()).collect();
        let board_ids: Vec<&Assignment> = board_at(&foundation.id, on, &assignments);
        let board_roles: Vec<&RoleRecord> = roles
            .iter()
            .filter(|r| board_ids.contains(&&r.assignment))
            .collect();
        let mut board = Self::seats(&board_roles, &labels, on);
        board.sort_by_key(|s| OrgRole::ALL.iter().position(|r| *r == s.role));
        let periods: Vec<RulePeriod> = board_rule(
            &foundation.id,
            &groups
                .iter()
                .map(|g| stedenband_domain::organisation::GroupPeriod {
                    id: g.id.clone(),
                    foundation: g.foundation.clone(),
                    term: g.draft.term,
                })
                .collect::<Vec<_>>(),
            &assignments,
        );
        let group = |id: &str| groups.iter().find(|g| g.id == id).cloned();
        let rule = periods
            .into_iter()
            .map(|p| RuleLine {
                from: p.from,
                until: p.until,
                holds: p.holds(),
                missing: p
                    .missing
                    .iter()
                    .filter_map(|m| {
                        Some(MissingChairView {
                            group: group(&m.group)?,
                            person: labels.get(&m.person).cloned(),
                        })
                    })
                    .collect(),
                without_chair: p.without_chair.iter().filter_map(|g| group(g)).collect(),
            })
            .collect();
        let manage = Action::ManageFoundation {
            foundation: foundation.id.clone(),
        };
        let request = Action::HandleDataRequest {
            foundation: foundation.id.clone(),
        };
        Ok(FoundationView {
            may_manage: self.allows(caller, &manage),
            may_export: self.allows(caller, &request),
            foundation,
            municipality,
            groups,
            on,
            board,
            rule,
            people_visible,
        })
    }

    pub async fn create_foundation(
        &self,
        caller: &Caller,
        input: &FoundationInput,
    ) -> Result<Foundation, AppError> {
        const ACT: &str = "foundation.create";
        self.register.check_login(caller, ACT).await?;
        let municipality = self
            .resolve_municipality(input.municipality.as_deref())
            .await?;
        let draft = FoundationDraft::parse(input, municipality)?;
        let right = Action::CreateFoundation(self.register.holder(&draft.municipality).await?);
        self.register
            .check(
                caller,
                &right,
                ACT,
                Some(("municipality", &draft.municipality.0)),
            )
            .await?;
        let audit = |f: &Foundation| entry(caller, ACT, "foundation", &f.id, None, json(f));
        let f = self
            .store()
            .insert_foundation(&draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(f)
    }

    pub async fn update_foundation(
        &self,
        caller: &Caller,
        key: &str,
        input: &FoundationInput,
    ) -> Result<Foundation, AppError> {
        const ACT: &str = "foundation.update";
        self.register.check_login(caller, ACT).await?;
        let current = self.find_foundation(key).await?;
        let right = Action::ManageFoundation {
            foundation: current.id.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("foundation", &current.id)))
            .await?;
        let municipality = self
            .resolve_municipality(input.municipality.as_deref())
            .await?;
        let draft = FoundationDraft::parse(input, municipality)?;
        if draft.municipality != current.draft.municipality {
            // Moving a foundation to another municipality is the new municipality's business too.
            let right = Action::CreateFoundation(self.register.holder(&draft.municipality).await?);
            self.register
                .check(caller, &right, ACT, Some(("foundation", &current.id)))
                .await?;
            // Its working groups carry partnerships; the new municipality must hold them.
            let moved = Foundation {
                draft: draft.clone(),
                ..current.clone()
            };
            let held: BTreeSet<String> = self
                .partnership_choices(&moved)
                .await?
                .into_iter()
                .map(|p| p.partnership.id.0)
                .collect();
            let groups = self.store().working_groups(Some(&current.id)).await?;
            if groups
                .iter()
                .flat_map(|g| &g.draft.partnerships)
                .any(|p| !held.contains(&p.0))
            {
                return Err(ValidationErrors::single(
                    "municipality",
                    "error-foundation-move-partnerships",
                )
                .into());
            }
        }
        let before = json(&current);
        let audit =
            |f: &Foundation| entry(caller, ACT, "foundation", &f.id, before.clone(), json(f));
        let f = self
            .store()
            .update_foundation(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(f)
    }

    async fn resolve_municipality(
        &self,
        key: Option<&str>,
    ) -> Result<Result<stedenband_domain::MunicipalityId, &'static str>, AppError> {
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            return Ok(Err("error-required"));
        };
        Ok(match self.register.find_municipality(key).await? {
            Some(m) => Ok(m.id),
            None => Err("error-municipality-unknown"),
        })
    }

    // ---- working groups ---------------------------------------------------------------------

    /// The partnerships a foundation's working groups may carry: those its municipality holds.
    pub async fn partnership_choices(
        &self,
        foundation: &Foundation,
    ) -> Result<Vec<PartnershipView>, AppError> {
        let m = self.register.holder(&foundation.draft.municipality).await?;
        let page = self
            .register
            .partnerships(
                Some(&m.0),
                stedenband_store::PageRequest::new(1, stedenband_store::PageRequest::MAX_SIZE),
            )
            .await?;
        Ok(page.items)
    }

    async fn parse_group(
        &self,
        foundation: &Foundation,
        input: &WorkingGroupInput,
    ) -> Result<WorkingGroupDraft, AppError> {
        let choices = self.partnership_choices(foundation).await?;
        let partnerships = input
            .partnerships
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(|p| {
                if choices.iter().any(|c| c.partnership.id.0 == p) {
                    Ok(PartnershipId(p.to_owned()))
                } else {
                    Err("error-partnership-unknown")
                }
            })
            .collect();
        Ok(WorkingGroupDraft::parse(input, partnerships)?)
    }

    pub async fn working_group(
        &self,
        caller: &Caller,
        key: &str,
    ) -> Result<WorkingGroupView, AppError> {
        let group = self.find_group(key).await?;
        let foundation = self.find_foundation(&group.foundation).await?;
        let mut partnerships = Vec::new();
        for p in &group.draft.partnerships {
            partnerships.push(self.register.partnership(&p.0).await?.view);
        }
        let roles: Vec<RoleRecord> = self
            .store()
            .roles_in_foundation(&foundation.id)
            .await?
            .into_iter()
            .filter(|r| r.assignment.body == Body::WorkingGroup(group.id.clone()))
            .collect();
        let people_visible = self.allows(caller, &self.read_people_right(&foundation).await?);
        let labels = self
            .labels(
                people_visible,
                roles.iter().map(|r| r.assignment.person.as_str()),
            )
            .await?;
        let refs: Vec<&RoleRecord> = roles.iter().collect();
        let mut seats = Self::seats(&refs, &labels, today());
        seats.sort_by_key(|s| {
            (
                !s.current,
                OrgRole::ALL.iter().position(|r| *r == s.role),
                s.term.start,
            )
        });
        let edit = Action::EditWorkingGroup {
            foundation: foundation.id.clone(),
            group: group.id.clone(),
        };
        Ok(WorkingGroupView {
            may_edit: self.allows(caller, &edit),
            group,
            foundation,
            partnerships,
            seats,
            people_visible,
        })
    }

    /// The working groups of a foundation (or all). Public.
    pub async fn working_groups(
        &self,
        foundation: Option<&str>,
    ) -> Result<Vec<WorkingGroup>, AppError> {
        let f = match foundation {
            Some(k) => Some(self.find_foundation(k).await?.id),
            None => None,
        };
        Ok(self.store().working_groups(f.as_deref()).await?)
    }

    pub async fn create_working_group(
        &self,
        caller: &Caller,
        foundation: &str,
        input: &WorkingGroupInput,
    ) -> Result<WorkingGroup, AppError> {
        const ACT: &str = "working-group.create";
        self.register.check_login(caller, ACT).await?;
        let f = self.find_foundation(foundation).await?;
        let right = Action::ManageFoundation {
            foundation: f.id.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("foundation", &f.id)))
            .await?;
        let draft = self.parse_group(&f, input).await?;
        let audit = |g: &WorkingGroup| entry(caller, ACT, "working-group", &g.id, None, json(g));
        let g = self
            .store()
            .insert_working_group(&f.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(g)
    }

    pub async fn update_working_group(
        &self,
        caller: &Caller,
        key: &str,
        input: &WorkingGroupInput,
    ) -> Result<WorkingGroup, AppError> {
        const ACT: &str = "working-group.update";
        self.register.check_login(caller, ACT).await?;
        let current = self.find_group(key).await?;
        let right = Action::EditWorkingGroup {
            foundation: current.foundation.clone(),
            group: current.id.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("working-group", &current.id)))
            .await?;
        let f = self.find_foundation(&current.foundation).await?;
        let draft = self.parse_group(&f, input).await?;
        // The group's lifetime holds every role in it.
        let roles = self.store().roles_in_foundation(&f.id).await?;
        let mut e = ValidationErrors::default();
        let ours = roles
            .iter()
            .filter(|r| r.assignment.body == Body::WorkingGroup(current.id.clone()));
        for r in ours {
            if r.assignment.term.start < draft.term.start && !e.has("foundedOn") {
                e.push("foundedOn", "error-group-dates-exclude-roles");
            }
            if let Some(group_end) = draft.term.end
                && r.assignment.term.end.is_none_or(|end| end > group_end)
                && !e.has("endedOn")
            {
                e.push("endedOn", "error-group-dates-exclude-roles");
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let before = json(&current);
        let audit =
            |g: &WorkingGroup| entry(caller, ACT, "working-group", &g.id, before.clone(), json(g));
        let g = self
            .store()
            .update_working_group(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(g)
    }

    // ---- people -----------------------------------------------------------------------------

    /// The people of a foundation, for those allowed to read them. Contact details are emptied
    /// for callers who may read names only.
    pub async fn people(&self, caller: &Caller, foundation: &str) -> Result<Vec<Person>, AppError> {
        // The public is refused before anything is looked up.
        self.register.check_login(caller, "people.read").await?;
        let f = self.find_foundation(foundation).await?;
        let right = self.read_people_right(&f).await?;
        self.register
            .check(caller, &right, "people.read", Some(("foundation", &f.id)))
            .await?;
        let mut out = Vec::new();
        for p in self.store().people(Some(&f.id)).await? {
            let contact = self.allows(caller, &self.edit_person_right(&p).await?);
            out.push(if contact { p } else { names_only(p) });
        }
        Ok(out)
    }

    pub async fn person(&self, caller: &Caller, id: &str) -> Result<PersonView, AppError> {
        self.register.check_login(caller, "person.read").await?;
        let person = self.find_person(id).await?;
        let foundation = self.find_foundation(&person.foundation).await?;
        let right = self.read_people_right(&foundation).await?;
        self.register
            .check(caller, &right, "person.read", Some(("person", &person.id)))
            .await?;
        let edit = self.edit_person_right(&person).await?;
        let contact_visible = self.allows(caller, &edit);
        let records = self.store().roles_of_person(&person.id).await?;
        let mut roles = Vec::new();
        for r in records {
            let label = match &r.assignment.body {
                Body::Foundation(f) => BodyLabel {
                    kind: "foundation",
                    id: f.clone(),
                    slug: foundation.slug.as_str().to_owned(),
                    name: foundation.draft.name.to_string(),
                },
                Body::WorkingGroup(g) => {
                    let g = self.find_group(g).await?;
                    BodyLabel {
                        kind: "working-group",
                        id: g.id.clone(),
                        slug: g.slug.as_str().to_owned(),
                        name: g.draft.name.to_string(),
                    }
                }
            };
            roles.push((r, label));
        }
        let assignments: Vec<Assignment> =
            roles.iter().map(|(r, _)| r.assignment.clone()).collect();
        let request = Action::HandleDataRequest {
            foundation: foundation.id.clone(),
        };
        Ok(PersonView {
            retention_ends: retention_ends(&person, &assignments),
            person: if contact_visible {
                person
            } else {
                names_only(person)
            },
            may_edit: contact_visible,
            may_handle_request: self.allows(caller, &request),
            contact_visible,
            foundation,
            roles,
        })
    }

    pub async fn create_person(
        &self,
        caller: &Caller,
        foundation: &str,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        self.add_person(caller, foundation, input, false).await
    }

    /// Adds a person; `demo` marks invented people of the demo data set.
    pub async fn add_person(
        &self,
        caller: &Caller,
        foundation: &str,
        input: &PersonInput,
        demo: bool,
    ) -> Result<Person, AppError> {
        const ACT: &str = "person.create";
        self.register.check_login(caller, ACT).await?;
        let f = self.find_foundation(foundation).await?;
        let right = Action::EditPerson {
            foundation: f.id.clone(),
            groups: self.group_ids(&f.id).await?,
        };
        self.register
            .check(caller, &right, ACT, Some(("foundation", &f.id)))
            .await?;
        let draft = PersonDraft::parse(input, &recorder(caller))?;
        let audit = |p: &Person| entry(caller, ACT, "person", &p.id, None, fields_json(p, None));
        let p = self
            .store()
            .insert_person(&f.id, &draft, demo, today(), &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(p)
    }

    pub async fn update_person(
        &self,
        caller: &Caller,
        id: &str,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        const ACT: &str = "person.update";
        self.register.check_login(caller, ACT).await?;
        let current = self.find_person(id).await?;
        let right = self.edit_person_right(&current).await?;
        self.register
            .check(caller, &right, ACT, Some(("person", &current.id)))
            .await?;
        if current.is_anonymised() {
            return Err(AppError::NotFound);
        }
        let mut draft = PersonDraft::parse(input, &recorder(caller))?;
        // The same consent submitted again keeps who recorded it.
        if let (
            Some(LawfulBasis::Consent {
                text_version: v0,
                given_on: d0,
                recorded_by: by0,
            }),
            LawfulBasis::Consent {
                text_version,
                given_on,
                recorded_by,
            },
        ) = (&current.basis, &mut draft.basis)
            && v0 == text_version
            && d0 == given_on
        {
            *recorded_by = by0.clone();
        }
        let audit = |p: &Person| {
            entry(
                caller,
                ACT,
                "person",
                &p.id,
                None,
                fields_json(p, Some(&current)),
            )
        };
        let p = self
            .store()
            .update_person(&current.id, &draft, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(p)
    }

    /// Withdraws a person's consent: with no other basis to keep their data, it is anonymised
    /// at once (the roles they held stay, naming no one).
    pub async fn withdraw_consent(&self, caller: &Caller, id: &str) -> Result<Person, AppError> {
        const ACT: &str = "person.withdraw-consent";
        self.register.check_login(caller, ACT).await?;
        let current = self.find_person(id).await?;
        // Withdrawal ends in anonymisation, which cannot be undone: the board's business, like
        // an erasure request.
        let right = Action::HandleDataRequest {
            foundation: current.foundation.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("person", &current.id)))
            .await?;
        if !matches!(current.basis, Some(LawfulBasis::Consent { .. })) {
            return Err(ValidationErrors::single("basis", "error-no-consent").into());
        }
        self.anonymise(caller, ACT, &current, "consent-withdrawn")
            .await
    }

    /// Everything stored about a person: every row of every table that refers to them.
    pub async fn export_person(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<serde_json::Value, AppError> {
        const ACT: &str = "person.export";
        self.register.check_login(caller, ACT).await?;
        let person = self.find_person(id).await?;
        let right = Action::HandleDataRequest {
            foundation: person.foundation.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("person", &person.id)))
            .await?;
        let mut rows = self.store().person_rows(&person.id).await?;
        // The audit entries say what was done with the person's data, not by which member of
        // staff from where (art. 15(4): an export does not disclose other people's data).
        if let Some(serde_json::Value::Array(entries)) = rows.get_mut("audit_log") {
            for entry in entries.iter_mut().filter_map(|e| e.as_object_mut()) {
                entry.remove("actor");
                entry.remove("address");
            }
        }
        self.register
            .record(caller, ACT, "person", &person.id, None, None)
            .await?;
        Ok(serde_json::json!({
            "person": person.id,
            "exportedOn": today().to_string(),
            "tables": rows,
        }))
    }

    /// Erases a person: every personal column is emptied; the roles stay with an anonymous
    /// reference (as will financial records, which the law requires to be kept).
    pub async fn erase_person(&self, caller: &Caller, id: &str) -> Result<Person, AppError> {
        const ACT: &str = "person.erase";
        self.register.check_login(caller, ACT).await?;
        let person = self.find_person(id).await?;
        let right = Action::HandleDataRequest {
            foundation: person.foundation.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("person", &person.id)))
            .await?;
        self.anonymise(caller, ACT, &person, "erasure-request")
            .await
    }

    async fn anonymise(
        &self,
        caller: &Caller,
        act: &str,
        person: &Person,
        reason: &str,
    ) -> Result<Person, AppError> {
        let withdrawn = reason == "consent-withdrawn";
        let audit = entry(
            caller,
            act,
            "person",
            &person.id,
            None,
            json(&serde_json::json!({ "anonymised": true, "reason": reason })),
        );
        // Already anonymised (false): nothing is left to erase, and no entry is written.
        self.store()
            .anonymise_person(&person.id, today(), withdrawn, &audit)
            .await?;
        self.find_person(&person.id).await
    }

    /// The people whose retention period has passed on `today`.
    pub async fn retention_due(&self, today: Date) -> Result<Vec<Person>, AppError> {
        let roles: Vec<Assignment> = self
            .store()
            .all_roles()
            .await?
            .into_iter()
            .map(|r| r.assignment)
            .collect();
        Ok(self
            .store()
            .people(None)
            .await?
            .into_iter()
            .filter(|p| retention_expired(p, &roles, today))
            .collect())
    }

    /// Anonymises every person whose retention period has passed on `today` (an operator's
    /// command: administrators only). Returns who was anonymised.
    pub async fn run_retention(
        &self,
        caller: &Caller,
        today: Date,
    ) -> Result<Vec<Person>, AppError> {
        const ACT: &str = "person.retention";
        self.register
            .check(caller, &Action::ManageAccounts, ACT, None)
            .await?;
        let due = self.retention_due(today).await?;
        for p in &due {
            self.anonymise(caller, ACT, p, "retention-period-passed")
                .await?;
        }
        Ok(due)
    }

    // ---- roles ------------------------------------------------------------------------------

    /// Gives a person a role in a foundation (its board) or a working group.
    pub async fn add_role(
        &self,
        caller: &Caller,
        body: BodyKey<'_>,
        input: &RoleInput,
    ) -> Result<RoleRecord, AppError> {
        const ACT: &str = "role.create";
        self.register.check_login(caller, ACT).await?;
        let (foundation, body, right, group) = match body {
            BodyKey::Foundation(k) => {
                let f = self.find_foundation(k).await?;
                let right = Action::ManageFoundation {
                    foundation: f.id.clone(),
                };
                let body = Body::Foundation(f.id.clone());
                (f, body, right, None)
            }
            BodyKey::WorkingGroup(k) => {
                let g = self.find_group(k).await?;
                let f = self.find_foundation(&g.foundation).await?;
                let right = Action::EditWorkingGroup {
                    foundation: f.id.clone(),
                    group: g.id.clone(),
                };
                (f, Body::WorkingGroup(g.id.clone()), right, Some(g))
            }
        };
        let object = match &body {
            Body::Foundation(id) => ("foundation", id.clone()),
            Body::WorkingGroup(id) => ("working-group", id.clone()),
        };
        self.register
            .check(caller, &right, ACT, Some((object.0, &object.1)))
            .await?;
        let person = match input
            .person
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => Err("error-required"),
            Some(p) if p.chars().any(char::is_control) || p.len() > 100 => {
                Err("error-person-unknown")
            }
            Some(p) => match self.store().person(p).await? {
                Some(x) if x.foundation == foundation.id && !x.is_anonymised() => Ok(x.id),
                _ => Err("error-person-unknown"),
            },
        };
        let person = match (person, &group) {
            // A working group's member places only people of their own group, or people not
            // yet placed anywhere; the board places anyone.
            (Ok(p), Some(g))
                if !self.allows(
                    caller,
                    &Action::ManageFoundation {
                        foundation: foundation.id.clone(),
                    },
                ) =>
            {
                let now = today();
                let roles = self.store().roles_of_person(&p).await?;
                let ours = roles.iter().any(|r| {
                    r.assignment.body == Body::WorkingGroup(g.id.clone())
                        && r.assignment.term.end.is_none_or(|e| e >= now)
                });
                if roles.is_empty() || ours {
                    Ok(p)
                } else {
                    Err("error-person-other-group")
                }
            }
            (p, _) => p,
        };
        let a = Assignment::parse(input, person, body)?;
        if let Some(g) = &group {
            // A role in a working group lies within the group's lifetime.
            let mut e = ValidationErrors::default();
            if a.term.start < g.draft.term.start {
                e.push("start", "error-role-outside-group");
            }
            if let Some(group_end) = g.draft.term.end
                && a.term.end.is_none_or(|end| end > group_end)
            {
                e.push("end", "error-role-outside-group");
            }
            if !e.is_empty() {
                return Err(e.into());
            }
        }
        let audit = |r: &RoleRecord| entry(caller, ACT, object.0, &object.1, None, json(r));
        let r = self
            .store()
            .insert_role(&a, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(r)
    }

    /// Ends a role on a date (its last day).
    pub async fn end_role(
        &self,
        caller: &Caller,
        role_id: &str,
        end: Option<&str>,
    ) -> Result<RoleRecord, AppError> {
        const ACT: &str = "role.end";
        self.register.check_login(caller, ACT).await?;
        let current = self
            .store()
            .role(key_of(role_id)?)
            .await?
            .ok_or(AppError::NotFound)?;
        let (object, right) = match &current.assignment.body {
            Body::Foundation(f) => (
                ("foundation", f.clone()),
                Action::ManageFoundation {
                    foundation: f.clone(),
                },
            ),
            Body::WorkingGroup(g) => {
                let group = self.find_group(g).await?;
                (
                    ("working-group", g.clone()),
                    Action::EditWorkingGroup {
                        foundation: group.foundation,
                        group: g.clone(),
                    },
                )
            }
        };
        self.register
            .check(caller, &right, ACT, Some((object.0, &object.1)))
            .await?;
        if current.assignment.term.end.is_some() {
            // An ended term is history; it is not lengthened or moved afterwards.
            return Err(ValidationErrors::single("end", "error-role-already-ended").into());
        }
        let mut e = ValidationErrors::default();
        let end = match end.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.push("end", "error-required");
                None
            }
            Some(s) => e.check("end", stedenband_domain::date::parse_date(s)),
        };
        let term =
            end.and_then(|d| e.check("end", Term::new(current.assignment.term.start, Some(d))));
        if !e.is_empty() {
            return Err(e.into());
        }
        let term = term.expect("checked");
        let mut updated = current.clone();
        updated.assignment.term = term;
        let audit = entry(
            caller,
            ACT,
            object.0,
            &object.1,
            json(&current),
            json(&updated),
        );
        self.store()
            .set_role_end(&current.id, term.end, &audit)
            .await
            .map_err(AppError::from_store)?;
        Ok(updated)
    }

    // ---- member lists -----------------------------------------------------------------------

    /// The people holding a role today in a foundation and its working groups, as CSV for the
    /// board: name, e-mail, telephone, where, role, from, until.
    pub async fn members_csv(&self, caller: &Caller, foundation: &str) -> Result<String, AppError> {
        const ACT: &str = "people.export-csv";
        self.register.check_login(caller, ACT).await?;
        let f = self.find_foundation(foundation).await?;
        let right = Action::ManageFoundation {
            foundation: f.id.clone(),
        };
        self.register
            .check(caller, &right, ACT, Some(("foundation", &f.id)))
            .await?;
        let groups = self.store().working_groups(Some(&f.id)).await?;
        let roles = self.store().roles_in_foundation(&f.id).await?;
        let now = today();
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = ["name", "email", "phone", "body", "role", "start", "end"];
        w.write_record(header).map_err(csv_error)?;
        let mut lines = Vec::new();
        for r in roles.iter().filter(|r| r.assignment.term.covers(now)) {
            let Some(p) = self.store().person(&r.assignment.person).await? else {
                continue;
            };
            let Some(name) = p.name.as_ref() else {
                continue;
            };
            let body = match &r.assignment.body {
                Body::Foundation(_) => f.draft.name.to_string(),
                Body::WorkingGroup(g) => groups
                    .iter()
                    .find(|x| &x.id == g)
                    .map(|x| x.draft.name.to_string())
                    .unwrap_or_default(),
            };
            lines.push([
                name.to_string(),
                p.email.clone().unwrap_or_default(),
                p.phone.clone().unwrap_or_default(),
                body,
                r.assignment.role.as_str().to_owned(),
                r.assignment.term.start.to_string(),
                r.assignment
                    .term
                    .end
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]);
        }
        lines.sort();
        for l in &lines {
            w.write_record(l.iter().map(|s| defuse_formula(s)))
                .map_err(csv_error)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| csv_error(e.into_error().into()))?;
        self.register
            .record(caller, ACT, "foundation", &f.id, None, None)
            .await?;
        String::from_utf8(bytes)
            .map_err(|e| AppError::Store(stedenband_store::StoreError::Corrupt(e.to_string())))
    }
}

/// Where a role is given: a foundation (its board) or a working group, by id or slug.
#[derive(Debug, Clone, Copy)]
pub enum BodyKey<'a> {
    Foundation(&'a str),
    WorkingGroup(&'a str),
}

pub(crate) fn csv_error(e: csv::Error) -> AppError {
    AppError::Store(stedenband_store::StoreError::Corrupt(format!("csv: {e}")))
}

/// A cell that a spreadsheet would run as a formula is prefixed with an apostrophe.
pub(crate) fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// Who records a consent: the account's name, or "system".
fn recorder(caller: &Caller) -> String {
    caller
        .principal
        .actor()
        .unwrap_or_else(|| "system".to_owned())
}

/// A person with only what a names-only reader may see.
fn names_only(mut p: Person) -> Person {
    p.email = None;
    p.phone = None;
    p.basis = None;
    p.consent_withdrawn_on = None;
    p
}

/// What the audit log keeps of a change to a person: which fields were given or changed,
/// never their values.
fn fields_json(p: &Person, before: Option<&Person>) -> Option<String> {
    let mut fields = Vec::new();
    let differs = |same: bool, given: bool| match before {
        Some(_) => !same,
        None => given,
    };
    if differs(before.is_some_and(|b| b.name == p.name), true) {
        fields.push("name");
    }
    if differs(
        before.is_some_and(|b| b.email == p.email),
        p.email.is_some(),
    ) {
        fields.push("email");
    }
    if differs(
        before.is_some_and(|b| b.phone == p.phone),
        p.phone.is_some(),
    ) {
        fields.push("phone");
    }
    if differs(before.is_some_and(|b| b.basis == p.basis), true) {
        fields.push("basis");
    }
    json(&serde_json::json!({ "fields": fields }))
}

fn json(v: &impl Serialize) -> Option<String> {
    serde_json::to_string(v).ok()
}
