//! Partnerships (stedenbanden) between a home municipality and a partner, and their history.
//!
//! A stedenband is a formalised bond, a friendship bond or a project-based cooperation. It starts
//! from the local government or from a private initiative; a private initiative counts only when
//! it is structural and supported by the municipality, otherwise it is not a partnership at all.

use crate::date::PartialDate;
use crate::error::{ValidationErrors, given};
use crate::municipality::MunicipalityId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartnershipId(pub String);

impl fmt::Display for PartnershipId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a closed set of choices with its kebab-case code, used in forms, JSON and SQL alike.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, &'static str> {
                match raw.trim() {
                    $($code => Ok($name::$variant),)+
                    "" => Err("error-required"),
                    _ => Err("error-choice-invalid"),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use choice;

choice! {
    /// The kinds the annex defines.
    PartnershipKind {
        Formalised = "formalised",
        Friendship = "friendship",
        ProjectBased = "project-based",
    }
}

choice! {
    /// Who started the partnership.
    Initiator {
        LocalGovernment = "local-government",
        PrivateInitiative = "private-initiative",
    }
}

choice! {
    /// Status over time.
    PartnershipStatus {
        Active = "active",
        CivilSocietyOnly = "civil-society-only",
        Dormant = "dormant",
        Ended = "ended",
    }
}

choice! {
    /// What happened, in a partnership's history.
    EventKind {
        FirstContact = "first-contact",
        Signing = "signing",
        MayoralVisit = "mayoral-visit",
        Visit = "visit",
        StatusChange = "status-change",
        Anniversary = "anniversary",
        Other = "other",
    }
}

/// Longest free text we keep in one field.
pub const MAX_TEXT: usize = 10_000;

pub(crate) fn parse_text(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.chars().count() > MAX_TEXT {
        Err("error-too-long")
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err("error-control-characters")
    } else {
        Ok(s.replace("\r\n", "\n"))
    }
}

/// A stored partnership. `home` is the municipality that entered it (Voorburg for Hranice); who
/// holds it today follows from the lineage. `status` is the latest status in its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partnership {
    pub id: PartnershipId,
    #[serde(flatten)]
    pub draft: PartnershipDraft,
    pub status: PartnershipStatus,
}

/// The valid content of a partnership.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnershipDraft {
    pub home: MunicipalityId,
    pub partner: MunicipalityId,
    pub kind: PartnershipKind,
    pub initiator: Initiator,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub description: Option<String>,
}

/// Raw input. `home` and `partner` have already been looked up by the caller, who passes the
/// outcome (an id, or the translation key of why there is none).
#[derive(Debug, Clone, Default)]
pub struct PartnershipInput {
    pub home: Option<String>,
    pub partner: Option<String>,
    pub kind: Option<String>,
    pub initiator: Option<String>,
    /// For a private initiative: is it structural?
    pub structural: Option<bool>,
    /// For a private initiative: is it supported by the municipality?
    pub supported_by_municipality: Option<bool>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub description: Option<String>,
    /// The status to record; on a new partnership it holds from the start.
    pub status: Option<String>,
    /// Since when `status` holds (defaults to the start, or today on a change).
    pub status_since: Option<String>,
}

/// A status asked for together with a partnership.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusClaim {
    pub status: PartnershipStatus,
    pub since: Option<PartialDate>,
}

type Resolved = Result<MunicipalityId, &'static str>;

impl PartnershipDraft {
    /// Checks every field and reports all that are wrong at once.
    pub fn parse(
        input: &PartnershipInput,
        home: Resolved,
        partner: Resolved,
    ) -> Result<(Self, Option<StatusClaim>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let home = e.check("home", home);
        let partner = e.check("partner", partner);
        if let (Some(h), Some(p)) = (&home, &partner)
            && h == p
        {
            e.push("partner", "error-partner-is-home");
        }
        let kind = e.check(
            "kind",
            PartnershipKind::parse(given(&input.kind).unwrap_or("")),
        );
        let initiator = e.check(
            "initiator",
            Initiator::parse(given(&input.initiator).unwrap_or("")),
        );
        if initiator == Some(Initiator::PrivateInitiative) {
            // The annex: a private initiative counts only when structural and supported.
            if input.structural != Some(true) {
                e.push("structural", "error-private-not-structural");
            }
            if input.supported_by_municipality != Some(true) {
                e.push("supportedByMunicipality", "error-private-not-supported");
            }
        }
        let start = e.check(
            "start",
            PartialDate::parse(given(&input.start).unwrap_or("")),
        );
        let end = given(&input.end).and_then(|s| e.check("end", PartialDate::parse(s)));
        if let (Some(s), Some(en)) = (start, end)
            && en.certainly_before(&s)
        {
            e.push("end", "error-end-before-start");
        }
        let description =
            given(&input.description).and_then(|s| e.check("description", parse_text(s)));
        let status =
            given(&input.status).and_then(|s| e.check("status", PartnershipStatus::parse(s)));
        let since =
            given(&input.status_since).and_then(|s| e.check("statusSince", PartialDate::parse(s)));
        if since.is_some() && status.is_none() {
            e.push("status", "error-required");
        }
        let claim = status.map(|status| StatusClaim { status, since });
        e.finish(|| {
            let draft = PartnershipDraft {
                home: home.expect("checked"),
                partner: partner.expect("checked"),
                kind: kind.expect("checked"),
                initiator: initiator.expect("checked"),
                start: start.expect("checked"),
                end,
                description,
            };
            (draft, claim)
        })
    }
}

/// One dated entry in a partnership's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnershipEvent {
    pub id: String,
    pub partnership: PartnershipId,
    #[serde(flatten)]
    pub draft: PartnershipEventDraft,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnershipEventDraft {
    pub date: PartialDate,
    pub kind: EventKind,
    /// Set exactly when `kind` is a status change.
    pub status: Option<PartnershipStatus>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct PartnershipEventInput {
    pub date: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub text: Option<String>,
}

impl PartnershipEventDraft {
    pub fn parse(input: &PartnershipEventInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let date = e.check("date", PartialDate::parse(given(&input.date).unwrap_or("")));
        let kind = e.check("kind", EventKind::parse(given(&input.kind).unwrap_or("")));
        let status = match (kind, given(&input.status)) {
            (Some(EventKind::StatusChange), None) => {
                e.push("status", "error-status-required");
                None
            }
            (Some(EventKind::StatusChange), Some(s)) => {
                e.check("status", PartnershipStatus::parse(s))
            }
            (_, Some(_)) => {
                e.push("status", "error-status-only-on-change");
                None
            }
            (_, None) => None,
        };
        let text = e.check("text", parse_text(given(&input.text).unwrap_or("")));
        if kind.is_some_and(|k| k != EventKind::StatusChange) && text.as_deref() == Some("") {
            e.push("text", "error-required");
        }
        e.finish(|| PartnershipEventDraft {
            date: date.expect("checked"),
            kind: kind.expect("checked"),
            status,
            text: text.expect("checked"),
        })
    }

    /// The event that records a status, as made by the service when a status is set.
    pub fn status_change(date: PartialDate, status: PartnershipStatus, text: String) -> Self {
        Self {
            date,
            kind: EventKind::StatusChange,
            status: Some(status),
            text,
        }
    }
}

/// The status a partnership has on its timeline: the last status change, or active when none
/// was recorded.
pub fn current_status<'a>(
    events: impl IntoIterator<Item = &'a PartnershipEventDraft>,
) -> PartnershipStatus {
    let mut changes: Vec<_> = events.into_iter().filter(|e| e.status.is_some()).collect();
    changes.sort_by(|a, b| a.date.timeline_cmp(&b.date));
    changes
        .last()
        .and_then(|e| e.status)
        .unwrap_or(PartnershipStatus::Active)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Resolved {
        Ok(MunicipalityId(s.into()))
    }

    fn hranice() -> PartnershipInput {
        PartnershipInput {
            kind: Some("friendship".into()),
            initiator: Some("local-government".into()),
            start: Some("1990".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_hranice_bond_is_a_partnership() {
        let (d, claim) =
            PartnershipDraft::parse(&hranice(), id("voorburg"), id("hranice")).unwrap();
        assert_eq!(d.start, PartialDate::Year(1990));
        assert_eq!(d.kind, PartnershipKind::Friendship);
        assert!(claim.is_none());
    }

    #[test]
    fn a_private_initiative_must_be_structural_and_supported() {
        let mut i = hranice();
        i.initiator = Some("private-initiative".into());
        i.structural = Some(false);
        i.supported_by_municipality = Some(true);
        let errs = PartnershipDraft::parse(&i, id("a"), id("b")).unwrap_err();
        assert_eq!(
            errs.0,
            vec![crate::FieldError::new(
                "structural",
                "error-private-not-structural"
            )]
        );
        i.structural = Some(true);
        i.supported_by_municipality = None;
        let errs = PartnershipDraft::parse(&i, id("a"), id("b")).unwrap_err();
        assert_eq!(errs.0[0].key, "error-private-not-supported");
        i.supported_by_municipality = Some(true);
        assert!(PartnershipDraft::parse(&i, id("a"), id("b")).is_ok());
    }

    #[test]
    fn a_partnership_cannot_end_before_it_starts_or_twin_with_itself() {
        let mut i = hranice();
        i.end = Some("1989-12-31".into());
        let errs = PartnershipDraft::parse(&i, id("a"), id("a")).unwrap_err();
        let keys: Vec<_> = errs.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            keys,
            vec![
                ("partner", "error-partner-is-home"),
                ("end", "error-end-before-start")
            ]
        );
        i.end = Some("1990-06-01".into());
        assert!(PartnershipDraft::parse(&i, id("a"), id("b")).is_ok());
    }

    #[test]
    fn unresolved_municipalities_are_field_errors() {
        let errs = PartnershipDraft::parse(&hranice(), Err("error-municipality-unknown"), id("b"))
            .unwrap_err();
        assert_eq!(errs.0[0].field, "home");
    }

    #[test]
    fn events_need_a_status_exactly_when_they_change_it() {
        let mut i = PartnershipEventInput {
            date: Some("2015".into()),
            kind: Some("status-change".into()),
            ..Default::default()
        };
        assert_eq!(
            PartnershipEventDraft::parse(&i).unwrap_err().0[0].key,
            "error-status-required"
        );
        i.status = Some("civil-society-only".into());
        assert!(PartnershipEventDraft::parse(&i).is_ok());
        i.kind = Some("visit".into());
        i.text = Some("Choir visit".into());
        assert_eq!(
            PartnershipEventDraft::parse(&i).unwrap_err().0[0].key,
            "error-status-only-on-change"
        );
        i.status = None;
        i.text = Some("  ".into());
        assert_eq!(
            PartnershipEventDraft::parse(&i).unwrap_err().0[0].key,
            "error-required"
        );
    }

    #[test]
    fn the_latest_status_change_is_the_current_status() {
        let ev = |d: &str, s| {
            PartnershipEventDraft::status_change(PartialDate::parse(d).unwrap(), s, String::new())
        };
        let events = [
            ev("2015", PartnershipStatus::CivilSocietyOnly),
            ev("1990", PartnershipStatus::Active),
            ev("2020-03-01", PartnershipStatus::Dormant),
        ];
        assert_eq!(current_status(&events), PartnershipStatus::Dormant);
        assert_eq!(current_status(&[]), PartnershipStatus::Active);
    }
}
