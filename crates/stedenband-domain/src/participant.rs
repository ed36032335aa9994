//! Participants of an activity listed by name: people of the organisation, or named guests,
//! each with the town they come from. EU twinning grants ask for the participants per invited
//! town, signed on a sheet; the counts per side on the activity itself stay the figures for
//! statistics, so a list is optional and may be shorter than the counts.
//!
//! Privacy: a guest's name is personal data held for the activity's accountability (the grant's
//! proof of attendance) and is anonymised [`GUEST_RETENTION_MONTHS`] after the activity (see
//! [`guest_retention_ends`]); a person of the organisation is referred to by id, so their name
//! follows the person's own record (export, erasure, retention of the organisation issue).

use crate::error::ValidationErrors;
use crate::text::Name;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// How long a guest's name is kept after the activity: five years, the period for which EU
/// programmes (CERV town twinning, Erasmus+) may audit a grant's supporting documents.
pub const GUEST_RETENTION_MONTHS: i32 = 60;

/// What a form or API call gives for a new participant: either a person of the organisation
/// (by id) or the name of a guest, and the town they come from (id or slug).
#[derive(Debug, Clone, Default)]
pub struct ParticipantInput {
    pub person: String,
    pub guest_name: String,
    pub town: String,
}

/// Who takes part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Who {
    /// A person of the organisation, by id.
    Person { id: String },
    /// A named guest (not in the organisation's records).
    Guest { name: Name },
}

/// A checked new participant; the town is a key that the register still has to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantDraft {
    pub who: Who,
    pub town: String,
}

impl ParticipantDraft {
    /// Exactly one of person and guest name; a town is required.
    pub fn parse(input: &ParticipantInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let person = input.person.trim();
        let guest = input.guest_name.trim();
        let who = match (person.is_empty(), guest.is_empty()) {
            (true, true) => {
                errors.push("guestName", "error-participant-who");
                None
            }
            (false, false) => {
                errors.push("guestName", "error-participant-both");
                None
            }
            (false, true) => {
                if person.len() > 200 || person.chars().any(char::is_control) {
                    errors.push("person", "error-person-unknown");
                    None
                } else {
                    Some(Who::Person {
                        id: person.to_owned(),
                    })
                }
            }
            (true, false) => errors
                .check("guestName", Name::parse(guest))
                .map(|name| Who::Guest { name }),
        };
        let town = input.town.trim();
        if town.is_empty() {
            errors.push("town", "error-required");
        } else if town.len() > 200 || town.chars().any(char::is_control) {
            errors.push("town", "error-town-unknown");
        }
        errors.finish(|| ParticipantDraft {
            who: who.expect("checked"),
            town: town.to_owned(),
        })
    }
}

/// Which side of the partnership a participant is on: the home municipality's (or its
/// successor's) people, or the visitors from the partner town or another invited town.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Home,
    Partner,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Home => "home",
            Side::Partner => "partner",
        }
    }
}

/// A stored participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub id: String,
    pub activity: String,
    /// The person of the organisation, when it is one (stays after the person is anonymised).
    pub person: Option<String>,
    /// The guest's name; `None` for a person, and for a guest once anonymised.
    pub guest_name: Option<Name>,
    /// The municipality (town) they come from.
    pub town: String,
    /// When the record was made.
    pub recorded_on: Date,
    /// When the guest's name was removed at the end of its retention period.
    pub anonymised_on: Option<Date>,
}

impl Participant {
    pub fn is_guest(&self) -> bool {
        self.person.is_none()
    }
}

/// The last day a guest's name is kept: [`GUEST_RETENTION_MONTHS`] after the later of the
/// activity's (first occurrence's) end and the day the name was recorded (a name listed for a
/// later occurrence of a recurring activity is kept as long from then).
pub fn guest_retention_ends(activity_end: Date, recorded_on: Date) -> Date {
    let from = activity_end.max(recorded_on);
    from.checked_add(GUEST_RETENTION_MONTHS.months())
        .unwrap_or(Date::MAX)
}

/// Whether a guest's name is due for anonymisation on `today`.
pub fn guest_retention_expired(activity_end: Date, recorded_on: Date, today: Date) -> bool {
    today > guest_retention_ends(activity_end, recorded_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input(person: &str, guest: &str, town: &str) -> ParticipantInput {
        ParticipantInput {
            person: person.into(),
            guest_name: guest.into(),
            town: town.into(),
        }
    }

    #[test]
    fn a_participant_is_a_person_or_a_guest_never_both() {
        let p = ParticipantDraft::parse(&input("p1", "", "hranice")).unwrap();
        assert_eq!(p.who, Who::Person { id: "p1".into() });
        let g = ParticipantDraft::parse(&input("", "  Jana   Nováková ", "hranice")).unwrap();
        assert_eq!(
            g.who,
            Who::Guest {
                name: Name::parse("Jana Nováková").unwrap()
            }
        );
        let none = ParticipantDraft::parse(&input("", " ", "hranice")).unwrap_err();
        assert_eq!(none.0[0].field, "guestName");
        assert_eq!(none.0[0].key, "error-participant-who");
        let both = ParticipantDraft::parse(&input("p1", "Jana", "hranice")).unwrap_err();
        assert_eq!(both.0[0].key, "error-participant-both");
    }

    #[test]
    fn the_town_is_required() {
        let e = ParticipantDraft::parse(&input("", "Jana", "")).unwrap_err();
        assert_eq!(e.0[0].field, "town");
        assert_eq!(e.0[0].key, "error-required");
        let e = ParticipantDraft::parse(&input("", "Jana", "ha\u{7}")).unwrap_err();
        assert_eq!(e.0[0].key, "error-town-unknown");
    }

    #[test]
    fn guest_names_are_kept_five_years_after_the_activity() {
        let end = date(2015, 6, 14);
        assert_eq!(
            guest_retention_ends(end, date(2015, 5, 1)),
            date(2020, 6, 14)
        );
        assert!(!guest_retention_expired(
            end,
            date(2015, 5, 1),
            date(2020, 6, 14)
        ));
        assert!(guest_retention_expired(
            end,
            date(2015, 5, 1),
            date(2020, 6, 15)
        ));
        // Recorded after the activity: counted from the record.
        assert_eq!(
            guest_retention_ends(end, date(2016, 1, 31)),
            date(2021, 1, 31)
        );
    }
}
