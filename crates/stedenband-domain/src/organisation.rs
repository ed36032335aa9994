//! Foundations, working groups, people and their roles with terms, and the data kept about
//! people and how long it is kept (AVG/GDPR).
//!
//! The annex: everything about keeping up the twinnings sits with the Stichting Stedenbanden; it
//! has a working group per partner town, and the chair of each working group is a member of the
//! foundation's board. [`board_rule`] checks that rule over time: for every stretch of dates it
//! says whether it holds and, where it does not, which group's chair is missing from the board.

use crate::error::{ValidationErrors, given};
use crate::municipality::MunicipalityId;
use crate::partnership::{PartnershipId, parse_text};
use crate::text::{Name, Slug};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeSet;

/// A role in a foundation or a working group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgRole {
    Chair,
    ViceChair,
    Secretary,
    Treasurer,
    BoardMember,
    Member,
    /// The contact person in the partner town.
    PartnerContact,
}

impl OrgRole {
    pub const ALL: [OrgRole; 7] = [
        OrgRole::Chair,
        OrgRole::ViceChair,
        OrgRole::Secretary,
        OrgRole::Treasurer,
        OrgRole::BoardMember,
        OrgRole::Member,
        OrgRole::PartnerContact,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            OrgRole::Chair => "chair",
            OrgRole::ViceChair => "vice-chair",
            OrgRole::Secretary => "secretary",
            OrgRole::Treasurer => "treasurer",
            OrgRole::BoardMember => "board-member",
            OrgRole::Member => "member",
            OrgRole::PartnerContact => "partner-contact",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        OrgRole::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or("error-choice-invalid")
    }

    /// Whether holding this role in a foundation means sitting on its board.
    pub fn is_board(&self) -> bool {
        matches!(
            self,
            OrgRole::Chair
                | OrgRole::ViceChair
                | OrgRole::Secretary
                | OrgRole::Treasurer
                | OrgRole::BoardMember
        )
    }
}

/// A term: from `start` to `end` (the last day, inclusive), or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub start: Date,
    pub end: Option<Date>,
}

impl Term {
    pub fn new(start: Date, end: Option<Date>) -> Result<Self, &'static str> {
        match end {
            Some(e) if e < start => Err("error-end-before-start"),
            _ => Ok(Term { start, end }),
        }
    }

    pub fn covers(&self, d: Date) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }

    /// The first day after the term, if it ends.
    fn after(&self) -> Option<Date> {
        self.end.map(|e| {
            e.checked_add(1.day())
                .expect("dates are far from the end of time")
        })
    }
}

/// Where a role is held.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Body {
    Foundation(String),
    WorkingGroup(String),
}

/// A person holding a role somewhere for a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub person: String,
    pub body: Body,
    pub role: OrgRole,
    pub term: Term,
}

/// A working group of a foundation and the time it existed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupPeriod {
    pub id: String,
    pub foundation: String,
    pub term: Term,
}

/// A chair who should be on the board and is not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MissingChair {
    pub group: String,
    pub person: String,
}

/// A stretch of dates over which the board rule gives the same answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulePeriod {
    pub from: Date,
    /// The last day of the stretch; `None` while it lasts.
    pub until: Option<Date>,
    /// Chairs of working groups that are not on the foundation's board: empty when the rule holds.
    pub missing: Vec<MissingChair>,
    /// Working groups that have no chair in this stretch (the rule cannot hold for them).
    pub without_chair: Vec<String>,
}

impl RulePeriod {
    pub fn holds(&self) -> bool {
        self.missing.is_empty() && self.without_chair.is_empty()
    }
}

/// Who sits on the board of `foundation` on `date`.
pub fn board_at<'a>(
    foundation: &str,
    date: Date,
    assignments: &'a [Assignment],
) -> Vec<&'a Assignment> {
    assignments
        .iter()
        .filter(|a| {
            a.body == Body::Foundation(foundation.to_owned())
                && a.role.is_board()
                && a.term.covers(date)
        })
        .collect()
}

/// Checks, over the whole history, that the chair of every working group of `foundation` sits
/// on its board. Returns consecutive stretches from the first date anything began.
pub fn board_rule(
    foundation: &str,
    groups: &[GroupPeriod],
    assignments: &[Assignment],
) -> Vec<RulePeriod> {
    let groups: Vec<&GroupPeriod> = groups
        .iter()
        .filter(|g| g.foundation == foundation)
        .collect();
    let group_ids: BTreeSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let relevant = |a: &&Assignment| match &a.body {
        Body::Foundation(f) => f == foundation,
        Body::WorkingGroup(g) => group_ids.contains(g.as_str()),
    };
    // Every day on which the answer can change: a term or a group begins, or the day after one ends.
    let mut days: BTreeSet<Date> = BTreeSet::new();
    for t in groups
        .iter()
        .map(|g| g.term)
        .chain(assignments.iter().filter(relevant).map(|a| a.term))
    {
        days.insert(t.start);
        days.extend(t.after());
    }
    let days: Vec<Date> = days.into_iter().collect();
    let mut out: Vec<RulePeriod> = Vec::new();
    for (i, &day) in days.iter().enumerate() {
        let board: BTreeSet<&str> = board_at(foundation, day, assignments)
            .iter()
            .map(|a| a.person.as_str())
            .collect();
        let mut missing = Vec::new();
        let mut without_chair = Vec::new();
        for g in groups.iter().filter(|g| g.term.covers(day)) {
            let chairs: Vec<&str> = assignments
                .iter()
                .filter(|a| {
                    a.body == Body::WorkingGroup(g.id.clone())
                        && a.role == OrgRole::Chair
                        && a.term.covers(day)
                })
                .map(|a| a.person.as_str())
                .collect();
            if chairs.is_empty() {
                without_chair.push(g.id.clone());
            }
            for c in chairs.into_iter().filter(|c| !board.contains(c)) {
                missing.push(MissingChair {
                    group: g.id.clone(),
                    person: c.to_owned(),
                });
            }
        }
        missing.sort();
        without_chair.sort();
        let until = days
            .get(i + 1)
            .map(|next| next.checked_sub(1.day()).expect("in range"));
        match out.last_mut() {
            Some(last) if last.missing == missing && last.without_chair == without_chair => {
                last.until = until
            }
            _ => out.push(RulePeriod {
                from: day,
                until,
                missing,
                without_chair,
            }),
        }
    }
    out
}

/// Why the organisation may hold a person's data (AVG/GDPR art. 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "kebab-case")]
pub enum LawfulBasis {
    Membership,
    Consent {
        text_version: String,
        given_on: Date,
        recorded_by: String,
    },
    PublicTask,
}

/// An e-mail address as people write them: one `@`, something before it, a dotted domain after
/// it, no spaces, at most 254 characters. (Whether it exists is for the mail server to say.)
pub fn parse_email(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let ok = s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if ok {
        Ok(s.to_lowercase())
    } else {
        Err("error-email-invalid")
    }
}

/// A telephone number: digits with optional `+`, spaces, dashes and brackets; 6 to 20 digits.
pub fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let ok =
        (6..=20).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if ok {
        Ok(s.to_owned())
    } else {
        Err("error-phone-invalid")
    }
}

/// Raw input for a person.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `membership`, `consent` or `public-task`.
    pub basis: Option<String>,
    pub consent_text_version: Option<String>,
    pub consent_given_on: Option<String>,
}

/// The valid content of a person: only what the organisation needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonDraft {
    pub name: Name,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub basis: LawfulBasis,
}

impl PersonDraft {
    /// `recorded_by` is who records a consent (the logged-in user); it is not typed in.
    pub fn parse(input: &PersonInput, recorded_by: &str) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.check("name", Name::parse(given(&input.name).unwrap_or("")));
        let email = given(&input.email).and_then(|s| e.check("email", parse_email(s)));
        let phone = given(&input.phone).and_then(|s| e.check("phone", parse_phone(s)));
        let basis = match given(&input.basis) {
            None => {
                e.push("basis", "error-basis-required");
                None
            }
            Some("membership") => Some(LawfulBasis::Membership),
            Some("public-task") => Some(LawfulBasis::PublicTask),
            Some("consent") => {
                // The version of the consent text shown: a short label, not the text itself.
                let version = given(&input.consent_text_version)
                    .and_then(|v| e.check("consentTextVersion", Name::parse(v)));
                let date = given(&input.consent_given_on).map(crate::date::parse_date);
                if given(&input.consent_text_version).is_none() {
                    e.push("consentTextVersion", "error-required");
                }
                let date = match date {
                    None => {
                        e.push("consentGivenOn", "error-required");
                        None
                    }
                    Some(d) => e.check("consentGivenOn", d),
                };
                match (version, date) {
                    (Some(v), Some(d)) => Some(LawfulBasis::Consent {
                        text_version: v.to_string(),
                        given_on: d,
                        recorded_by: recorded_by.to_owned(),
                    }),
                    _ => None,
                }
            }
            Some(_) => {
                e.push("basis", "error-choice-invalid");
                None
            }
        };
        e.finish(|| PersonDraft {
            name: name.expect("checked"),
            email,
            phone,
            basis: basis.expect("checked"),
        })
    }
}

// ---- foundations, working groups, roles ---------------------------------------------------

/// A KvK (Chamber of Commerce) registration number: eight digits.
pub fn parse_kvk(raw: &str) -> Result<String, &'static str> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(s)
    } else {
        Err("error-kvk-invalid")
    }
}

/// A website: an `http` or `https` address with a dotted host.
pub fn parse_website(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let ok = match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            s.len() <= 500
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if ok {
        Ok(s.to_owned())
    } else {
        Err("error-website-invalid")
    }
}

fn optional_date(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
) -> Option<Date> {
    given(raw).and_then(|s| e.check(field, crate::date::parse_date(s)))
}

/// Raw input for a foundation (the municipality is resolved by the caller).
#[derive(Debug, Clone, Default)]
pub struct FoundationInput {
    pub name: Option<String>,
    pub municipality: Option<String>,
    pub kvk_number: Option<String>,
    pub founded_on: Option<String>,
    pub purpose: Option<String>,
    pub website: Option<String>,
}

/// The valid content of a foundation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundationDraft {
    pub name: Name,
    pub municipality: MunicipalityId,
    pub kvk_number: Option<String>,
    pub founded_on: Option<Date>,
    pub purpose: Option<String>,
    pub website: Option<String>,
}

impl FoundationDraft {
    /// `municipality` is the looked-up municipality, or the translation key of why it was not
    /// found.
    pub fn parse(
        input: &FoundationInput,
        municipality: Result<MunicipalityId, &'static str>,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.check("name", Name::parse(given(&input.name).unwrap_or("")));
        let municipality = e.check("municipality", municipality);
        let kvk_number = given(&input.kvk_number).and_then(|s| e.check("kvkNumber", parse_kvk(s)));
        let founded_on = optional_date(&mut e, "foundedOn", &input.founded_on);
        let purpose = given(&input.purpose).and_then(|s| e.check("purpose", parse_text(s)));
        let website = given(&input.website).and_then(|s| e.check("website", parse_website(s)));
        e.finish(|| FoundationDraft {
            name: name.expect("checked"),
            municipality: municipality.expect("checked"),
            kvk_number,
            founded_on,
            purpose,
            website,
        })
    }
}

/// A stored foundation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Foundation {
    pub id: String,
    pub slug: Slug,
    pub draft: FoundationDraft,
}

/// Raw input for a working group (the foundation and partnerships are resolved by the caller).
#[derive(Debug, Clone, Default)]
pub struct WorkingGroupInput {
    pub name: Option<String>,
    pub partnerships: Vec<String>,
    pub founded_on: Option<String>,
    pub ended_on: Option<String>,
}

/// The valid content of a working group: it carries at least one partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkingGroupDraft {
    pub name: Name,
    pub partnerships: Vec<PartnershipId>,
    pub term: Term,
}

impl WorkingGroupDraft {
    /// `partnerships` are the looked-up partnerships (an unknown one is an error key).
    pub fn parse(
        input: &WorkingGroupInput,
        partnerships: Vec<Result<PartnershipId, &'static str>>,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.check("name", Name::parse(given(&input.name).unwrap_or("")));
        let mut ids = Vec::new();
        if partnerships.is_empty() {
            e.push("partnerships", "error-working-group-partnership-required");
        }
        for p in partnerships {
            if let Some(id) = e.check("partnerships", p)
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        let start = match given(&input.founded_on) {
            None => {
                e.push("foundedOn", "error-required");
                None
            }
            Some(s) => e.check("foundedOn", crate::date::parse_date(s)),
        };
        let end = optional_date(&mut e, "endedOn", &input.ended_on);
        let term = match start {
            Some(s) => e.check("endedOn", Term::new(s, end)),
            None => None,
        };
        e.finish(|| WorkingGroupDraft {
            name: name.expect("checked"),
            partnerships: ids,
            term: term.expect("checked"),
        })
    }
}

/// A stored working group of a foundation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkingGroup {
    pub id: String,
    pub slug: Slug,
    pub foundation: String,
    pub draft: WorkingGroupDraft,
}

/// Whether a role can be held in a kind of body: a foundation has a board; a working group has
/// a chair, officers, members and contacts in the partner town.
pub fn role_fits(role: OrgRole, body: &Body) -> bool {
    match body {
        Body::Foundation(_) => role.is_board(),
        Body::WorkingGroup(_) => role != OrgRole::BoardMember,
    }
}

/// Raw input for a role (the person and the body are resolved by the caller).
#[derive(Debug, Clone, Default)]
pub struct RoleInput {
    pub person: Option<String>,
    pub role: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl Assignment {
    /// Parses a role held by `person` (looked up by the caller) in `body`.
    pub fn parse(
        input: &RoleInput,
        person: Result<String, &'static str>,
        body: Body,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let person = e.check("person", person);
        let role = match given(&input.role) {
            None => {
                e.push("role", "error-required");
                None
            }
            Some(r) => e.check("role", OrgRole::parse(r)),
        };
        if let Some(r) = role
            && !role_fits(r, &body)
        {
            e.push("role", "error-role-not-in-body");
        }
        let start = match given(&input.start) {
            None => {
                e.push("start", "error-required");
                None
            }
            Some(s) => e.check("start", crate::date::parse_date(s)),
        };
        let end = optional_date(&mut e, "end", &input.end);
        let term = match start {
            Some(s) => e.check("end", Term::new(s, end)),
            None => None,
        };
        e.finish(|| Assignment {
            person: person.expect("checked"),
            body,
            role: role.expect("checked"),
            term: term.expect("checked"),
        })
    }
}

/// A stored role: an assignment with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRecord {
    pub id: String,
    pub assignment: Assignment,
}

// ---- people and their data ----------------------------------------------------------------

/// A stored person. After anonymisation only the id, the foundation and the dates remain: the
/// roles stay (the board of a past date still has the right number of seats) but name no one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: String,
    pub foundation: String,
    pub name: Option<Name>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub basis: Option<LawfulBasis>,
    pub consent_withdrawn_on: Option<Date>,
    /// Invented for the demo data set.
    pub demo: bool,
    pub created_on: Date,
    pub anonymised_on: Option<Date>,
}

impl Person {
    pub fn is_anonymised(&self) -> bool {
        self.anonymised_on.is_some()
    }
}

/// The kinds of record holding personal data, each with how long it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// A person kept because of their membership of the foundation or a working group.
    PersonMembership,
    /// A person kept on their own consent.
    PersonConsent,
    /// A person kept for a task in the public interest (council members, officials).
    PersonPublicTask,
    /// Login sessions (deleted when they expire).
    Session,
    /// Failed login attempts (kept for the throttle window).
    LoginAttempt,
    /// The audit log (kept for accountability; it names accounts, never people's details).
    AuditEntry,
}

/// How long a kind of record is kept, in months after the moment it stops being needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Retention {
    pub kind: RecordKind,
    pub months: u16,
    /// From when the period runs, as a translation-free description for the Art. 30 register.
    pub from: &'static str,
}

/// The retention periods, one per kind of record. People are kept while they hold a role and
/// for the period after their last role ended (or after they were recorded, without roles).
pub const RETENTION: [Retention; 6] = [
    Retention {
        kind: RecordKind::PersonMembership,
        months: 24,
        from: "the end of the person's last role (or their recording, without roles)",
    },
    Retention {
        kind: RecordKind::PersonConsent,
        months: 24,
        from: "the end of the person's last role (or their recording); at once when consent is withdrawn",
    },
    Retention {
        kind: RecordKind::PersonPublicTask,
        months: 84,
        from: "the end of the person's last role (or their recording, without roles)",
    },
    Retention {
        kind: RecordKind::Session,
        months: 0,
        from: "the session's expiry (deleted at logout or when it lapses)",
    },
    Retention {
        kind: RecordKind::LoginAttempt,
        months: 0,
        from: "the end of the 15-minute throttle window",
    },
    Retention {
        kind: RecordKind::AuditEntry,
        months: 120,
        from: "the moment of the entry (a hash chain: entries are never changed)",
    },
];

pub fn retention(kind: RecordKind) -> Retention {
    RETENTION
        .into_iter()
        .find(|r| r.kind == kind)
        .expect("every kind has a period")
}

/// The day after which a person's data may no longer be kept, given their roles; `None` while
/// a role is open (or the person is already anonymised).
pub fn retention_ends(person: &Person, roles: &[Assignment]) -> Option<Date> {
    if person.is_anonymised() {
        return None;
    }
    let kind = match person.basis {
        Some(LawfulBasis::Membership) => RecordKind::PersonMembership,
        Some(LawfulBasis::PublicTask) => RecordKind::PersonPublicTask,
        Some(LawfulBasis::Consent { .. }) => RecordKind::PersonConsent,
        // Without a basis nothing may be kept.
        None => return Some(person.created_on),
    };
    if let Some(w) = person.consent_withdrawn_on {
        return Some(w);
    }
    let mine: Vec<&Assignment> = roles.iter().filter(|a| a.person == person.id).collect();
    let from = if mine.is_empty() {
        person.created_on
    } else if mine.iter().any(|a| a.term.end.is_none()) {
        return None;
    } else {
        mine.iter()
            .filter_map(|a| a.term.end)
            .max()
            .expect("all ended")
    };
    let months = i32::from(retention(kind).months);
    Some(
        from.checked_add(months.months())
            .expect("dates are far from the end of time"),
    )
}

/// Whether a person is due for anonymisation on `today`: their retention period has passed.
pub fn retention_expired(person: &Person, roles: &[Assignment], today: Date) -> bool {
    retention_ends(person, roles).is_some_and(|end| end < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn term(s: Date, e: Option<Date>) -> Term {
        Term::new(s, e).unwrap()
    }

    fn assign(person: &str, body: Body, role: OrgRole, t: Term) -> Assignment {
        Assignment {
            person: person.into(),
            body,
            role,
            term: t,
        }
    }

    fn f() -> Body {
        Body::Foundation("stichting".into())
    }

    fn wg(id: &str) -> Body {
        Body::WorkingGroup(id.into())
    }

    fn groups() -> Vec<GroupPeriod> {
        ["hranice", "konstancin", "temecula"]
            .iter()
            .map(|id| GroupPeriod {
                id: (*id).into(),
                foundation: "stichting".into(),
                term: term(date(2000, 1, 1), None),
            })
            .collect()
    }

    /// The seed's organisation: each group's chair also on the board.
    fn seed() -> Vec<Assignment> {
        let from = term(date(2000, 1, 1), None);
        vec![
            assign("anna", wg("hranice"), OrgRole::Chair, from),
            assign("anna", f(), OrgRole::BoardMember, from),
            assign("bram", wg("konstancin"), OrgRole::Chair, from),
            assign("bram", f(), OrgRole::Secretary, from),
            assign("cato", wg("temecula"), OrgRole::Chair, from),
            assign("cato", f(), OrgRole::Chair, from),
            assign("dirk", wg("temecula"), OrgRole::Member, from),
        ]
    }

    #[test]
    fn the_rule_holds_for_the_seed() {
        let periods = board_rule("stichting", &groups(), &seed());
        assert_eq!(periods.len(), 1);
        assert!(periods[0].holds());
        assert_eq!(
            (periods[0].from, periods[0].until),
            (date(2000, 1, 1), None)
        );
    }

    #[test]
    fn ending_a_chairs_board_term_breaks_the_rule_and_names_the_group() {
        let mut a = seed();
        // Bram leaves the board at the end of 2014 but stays chair of Konstancin-Jeziorna.
        a[3].term = term(date(2000, 1, 1), Some(date(2014, 12, 31)));
        // From 2016 Eva chairs the group and joins the board.
        a[2].term = term(date(2000, 1, 1), Some(date(2015, 12, 31)));
        a.push(assign(
            "eva",
            wg("konstancin"),
            OrgRole::Chair,
            term(date(2016, 1, 1), None),
        ));
        a.push(assign(
            "eva",
            f(),
            OrgRole::BoardMember,
            term(date(2016, 1, 1), None),
        ));
        let periods = board_rule("stichting", &groups(), &a);
        let summary: Vec<_> = periods
            .iter()
            .map(|p| (p.from, p.until, p.missing.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (date(2000, 1, 1), Some(date(2014, 12, 31)), vec![]),
                (
                    date(2015, 1, 1),
                    Some(date(2015, 12, 31)),
                    vec![MissingChair {
                        group: "konstancin".into(),
                        person: "bram".into()
                    }]
                ),
                (date(2016, 1, 1), None, vec![]),
            ]
        );
    }

    #[test]
    fn a_group_without_a_chair_is_reported_and_other_foundations_are_ignored() {
        let mut a = seed();
        a.remove(4); // Temecula has no chair any more.
        a.push(assign(
            "zoe",
            Body::WorkingGroup("elsewhere".into()),
            OrgRole::Chair,
            term(date(2000, 1, 1), None),
        ));
        let periods = board_rule("stichting", &groups(), &a);
        assert_eq!(periods.len(), 1);
        assert_eq!(periods[0].without_chair, vec!["temecula".to_owned()]);
        assert!(!periods[0].holds());
    }

    #[test]
    fn the_board_of_a_past_date() {
        let mut a = seed();
        a[1].term = term(date(2000, 1, 1), Some(date(2010, 6, 30)));
        let names = |d| {
            board_at("stichting", d, &a)
                .iter()
                .map(|x| x.person.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(date(2010, 6, 30)), vec!["anna", "bram", "cato"]);
        assert_eq!(names(date(2010, 7, 1)), vec!["bram", "cato"]);
    }

    #[test]
    fn terms_cannot_end_before_they_start() {
        assert_eq!(
            Term::new(date(2020, 1, 2), Some(date(2020, 1, 1))),
            Err("error-end-before-start")
        );
        assert!(Term::new(date(2020, 1, 1), Some(date(2020, 1, 1))).is_ok());
    }

    #[test]
    fn people_need_a_lawful_basis_and_valid_contact_details() {
        let mut i = PersonInput {
            name: Some("Anna de Vries".into()),
            ..Default::default()
        };
        assert_eq!(
            PersonDraft::parse(&i, "beheerder").unwrap_err().0[0].key,
            "error-basis-required"
        );
        i.basis = Some("consent".into());
        let keys: Vec<_> = PersonDraft::parse(&i, "beheerder")
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(keys, vec!["consentTextVersion", "consentGivenOn"]);
        i.consent_text_version = Some("v1 2026".into());
        i.consent_given_on = Some("2026-11-27".into());
        i.email = Some("anna at example.nl".into());
        assert_eq!(
            PersonDraft::parse(&i, "beheerder").unwrap_err().0[0].key,
            "error-email-invalid"
        );
        i.email = Some(" Anna@Example.NL ".into());
        i.phone = Some("+31 (0)70 123 4567".into());
        let p = PersonDraft::parse(&i, "beheerder").unwrap();
        assert_eq!(p.email.as_deref(), Some("anna@example.nl"));
        assert!(
            matches!(p.basis, LawfulBasis::Consent { ref recorded_by, .. } if recorded_by == "beheerder")
        );
        for bad in ["a@b", "@example.nl", "a@@b.nl", "a@.nl", "a@b..nl"] {
            assert_eq!(parse_email(bad), Err("error-email-invalid"), "{bad}");
        }
        assert_eq!(parse_phone("12345"), Err("error-phone-invalid"));
        assert_eq!(parse_phone("call me"), Err("error-phone-invalid"));
    }

    fn person(id: &str, basis: Option<LawfulBasis>) -> Person {
        Person {
            id: id.into(),
            foundation: "stichting".into(),
            name: Some(Name::parse("X").unwrap()),
            email: None,
            phone: None,
            basis,
            consent_withdrawn_on: None,
            demo: false,
            created_on: date(2020, 1, 1),
            anonymised_on: None,
        }
    }

    #[test]
    fn people_are_kept_for_the_period_after_their_last_role() {
        let roles = vec![
            assign(
                "anna",
                f(),
                OrgRole::Treasurer,
                term(date(2010, 1, 1), Some(date(2019, 3, 31))),
            ),
            assign(
                "anna",
                wg("hranice"),
                OrgRole::Member,
                term(date(2010, 1, 1), Some(date(2021, 6, 30))),
            ),
            assign("bram", f(), OrgRole::Chair, term(date(2010, 1, 1), None)),
        ];
        let anna = person("anna", Some(LawfulBasis::Membership));
        // 24 months after 2021-06-30.
        assert_eq!(retention_ends(&anna, &roles), Some(date(2023, 6, 30)));
        assert!(!retention_expired(&anna, &roles, date(2023, 6, 30)));
        assert!(retention_expired(&anna, &roles, date(2023, 7, 1)));
        let bram = person("bram", Some(LawfulBasis::Membership));
        assert_eq!(
            retention_ends(&bram, &roles),
            None,
            "an open role keeps a person"
        );
        let council = person("cato", Some(LawfulBasis::PublicTask));
        assert_eq!(retention_ends(&council, &roles), Some(date(2027, 1, 1)));
        let mut withdrawn = person(
            "dirk",
            Some(LawfulBasis::Consent {
                text_version: "v1".into(),
                given_on: date(2020, 1, 1),
                recorded_by: "x".into(),
            }),
        );
        withdrawn.consent_withdrawn_on = Some(date(2024, 5, 1));
        assert_eq!(retention_ends(&withdrawn, &roles), Some(date(2024, 5, 1)));
        let mut gone = person("anna", Some(LawfulBasis::Membership));
        gone.anonymised_on = Some(date(2024, 1, 1));
        assert!(!retention_expired(&gone, &roles, date(2030, 1, 1)));
    }

    #[test]
    fn foundations_groups_and_roles_refuse_bad_input() {
        let input = FoundationInput {
            name: Some("Stichting".into()),
            kvk_number: Some("1234".into()),
            website: Some("stedenband".into()),
            founded_on: Some("2002-02-30".into()),
            ..Default::default()
        };
        let err = FoundationDraft::parse(&input, Err("error-municipality-unknown")).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("municipality", "error-municipality-unknown"),
                ("kvkNumber", "error-kvk-invalid"),
                ("foundedOn", "error-date-invalid"),
                ("website", "error-website-invalid"),
            ]
        );
        assert_eq!(parse_kvk("4123 4567"), Ok("41234567".into()));
        let group = WorkingGroupInput {
            name: Some("Werkgroep".into()),
            founded_on: Some("2002-01-01".into()),
            ended_on: Some("2001-12-31".into()),
            ..Default::default()
        };
        let err = WorkingGroupDraft::parse(&group, vec![]).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("partnerships", "error-working-group-partnership-required"),
                ("endedOn", "error-end-before-start"),
            ]
        );
        let role = RoleInput {
            person: None,
            role: Some("board-member".into()),
            start: Some("2020-01-01".into()),
            end: Some("2019-01-01".into()),
        };
        let err = Assignment::parse(&role, Ok("anna".into()), wg("hranice")).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("role", "error-role-not-in-body"),
                ("end", "error-end-before-start")
            ]
        );
        let ok = RoleInput {
            end: None,
            role: Some("partner-contact".into()),
            ..role
        };
        assert!(Assignment::parse(&ok, Ok("anna".into()), wg("hranice")).is_ok());
        assert!(Assignment::parse(&ok, Ok("anna".into()), f()).is_err());
    }
}
