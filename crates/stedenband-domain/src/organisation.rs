//! Foundations, working groups, people and their roles with terms (groundwork for the
//! organisation issue: types and rules only, no storage yet).
//!
//! The annex: everything about keeping up the twinnings sits with the Stichting Stedenbanden; it
//! has a working group per partner town, and the chair of each working group is a member of the
//! foundation's board. [`board_rule`] checks that rule over time: for every stretch of dates it
//! says whether it holds and, where it does not, which group's chair is missing from the board.

use crate::error::{ValidationErrors, given};
use crate::text::Name;
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
                let version = given(&input.consent_text_version);
                let date = given(&input.consent_given_on).map(crate::date::parse_date);
                if version.is_none() {
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
                        text_version: v.to_owned(),
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
}
