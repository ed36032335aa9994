//! Activities of a partnership: exchanges and visits with their direction, category, status and
//! participants; recurring activities and their occurrences; receptions by the mayor and
//! aldermen; numbers per year and dormancy.
//!
//! The annex: exchanges between groups from civil society (culture, sport, professions such as
//! police, fire brigade and schools) a few times a year per twinning; foreign guests received by
//! the mayor and aldermen; every December the Christmas tree from Hranice at the Oude Kerk.

use crate::error::{ValidationErrors, given};
use crate::partnership::{PartnershipId, choice, parse_text};
use crate::text::Name;
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};
use std::fmt;

choice! {
    /// Which way people travel.
    Direction {
        Incoming = "incoming",
        Outgoing = "outgoing",
        Both = "both",
        Online = "online",
    }
}

choice! {
    /// What an activity is about.
    Category {
        Art = "art",
        Music = "music",
        Choir = "choir",
        Sport = "sport",
        Police = "police",
        FireBrigade = "fire-brigade",
        School = "school",
        CivilService = "civil-service",
        Youth = "youth",
        Economy = "economy",
        KnowledgeTransfer = "knowledge-transfer",
        CityPromotion = "city-promotion",
        Other = "other",
    }
}

impl Category {
    /// The group a category belongs to: culture, sport, professional, or itself.
    pub fn group(&self) -> &'static str {
        match self {
            Category::Art | Category::Music | Category::Choir => "culture",
            Category::Sport => "sport",
            Category::Police
            | Category::FireBrigade
            | Category::School
            | Category::CivilService => "professional",
            other => other.as_str(),
        }
    }
}

choice! {
    /// Where an activity stands.
    ActivityStatus {
        Planned = "planned",
        Confirmed = "confirmed",
        Held = "held",
        Cancelled = "cancelled",
    }
}

choice! {
    /// How often a recurring activity comes back.
    Frequency {
        Yearly = "yearly",
        Monthly = "monthly",
    }
}

choice! {
    /// Which side a participant comes from.
    Side {
        Home = "home",
        Partner = "partner",
    }
}

choice! {
    /// A reception by the mayor and aldermen, through its life.
    ReceptionStatus {
        Requested = "requested",
        Accepted = "accepted",
        Declined = "declined",
        Scheduled = "scheduled",
        Held = "held",
    }
}

impl ReceptionStatus {
    /// The statuses a reception may move to from this one.
    pub fn next(&self) -> &'static [ReceptionStatus] {
        use ReceptionStatus::*;
        match self {
            Requested => &[Accepted, Declined],
            Accepted => &[Scheduled, Declined],
            Scheduled => &[Held, Declined],
            Declined | Held => &[],
        }
    }

    pub fn is_open(&self) -> bool {
        !matches!(self, ReceptionStatus::Declined | ReceptionStatus::Held)
    }
}

/// Who organises an activity: a working group (by id) or the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Organiser {
    WorkingGroup(String),
    Municipality,
}

/// A time zone by its IANA name (visits cross time zones: Temecula is in America/Los_Angeles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Zone(String);

impl Zone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error-required");
        }
        match jiff::tz::db().get(s) {
            Ok(tz) => Ok(Zone(tz.iana_name().unwrap_or(s).to_owned())),
            Err(_) => Err("error-timezone-unknown"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::db()
            .get(&self.0)
            .expect("parsed zones exist in the bundled database")
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone("Europe/Amsterdam".to_owned())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// When an activity runs: dates, optional times of day, in one time zone. `end` is the last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub start: Date,
    pub start_time: Option<Time>,
    pub end: Date,
    pub end_time: Option<Time>,
    pub zone: Zone,
}

/// A recurrence: every year or month, from the activity's own dates, until a date (inclusive)
/// or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub until: Option<Date>,
}

/// One occurrence of an activity: its number (0 for the first) and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub index: u32,
    pub start: Date,
    pub end: Date,
}

/// The longest a recurrence is unrolled (a monthly rule over a century).
const MAX_OCCURRENCES: u32 = 1200;

/// The longest period whose occurrences are listed at once (a list or a calendar), in years.
pub const MAX_PERIOD_YEARS: i16 = 10;

/// Checks a period `from..=to` whose occurrences are to be listed: not reversed and at most
/// [`MAX_PERIOD_YEARS`] long. The error key belongs to the period's end.
pub fn check_period(from: Date, to: Date) -> Result<(), &'static str> {
    if to < from {
        return Err("error-end-before-start");
    }
    match from.checked_add(MAX_PERIOD_YEARS.years()) {
        Ok(limit) if to > limit => Err("error-period-too-long"),
        _ => Ok(()),
    }
}

/// Whether a date and time of day exist in a zone: not in the gap of a change to summer time
/// (2025-03-30 02:30 in Europe/Amsterdam does not exist; the clocks go from 02:00 to 03:00).
pub fn time_exists(day: Date, at: Time, zone: &Zone) -> bool {
    let ambiguous = zone.tz().to_ambiguous_zoned(day.to_datetime(at));
    !matches!(ambiguous.offset(), jiff::tz::AmbiguousOffset::Gap { .. })
}

/// The wall-clock time at which a date and time of day happen in a zone, resolved the way
/// RFC 5545 and jiff's "compatible" disambiguation do: a time in a gap is moved forward by the
/// gap's length (02:30 on the day summer time starts in Amsterdam is 03:30), a time that
/// occurs twice is the first. Only later occurrences of a recurring activity can fall in a gap:
/// the activity's own start and end are refused there ([`time_exists`]).
pub fn resolved_time(day: Date, at: Time, zone: &Zone) -> Time {
    day.to_datetime(at)
        .to_zoned(zone.tz())
        .map(|z| z.time())
        .unwrap_or(at)
}

impl Schedule {
    /// The occurrences that overlap `from..=to`; one for an activity that does not recur.
    pub fn occurrences(
        &self,
        recurrence: Option<&Recurrence>,
        from: Date,
        to: Date,
    ) -> Vec<Occurrence> {
        let length = self.start.until(self.end).expect("dates in range");
        let mut out = Vec::new();
        let Some(rule) = recurrence else {
            if self.start <= to && self.end >= from {
                out.push(Occurrence {
                    index: 0,
                    start: self.start,
                    end: self.end,
                });
            }
            return out;
        };
        for i in 0..MAX_OCCURRENCES {
            let shift = match rule.frequency {
                Frequency::Yearly => (i as i32).years(),
                Frequency::Monthly => (i as i32).months(),
            };
            let Ok(start) = self.start.checked_add(shift) else {
                break;
            };
            if start > to || rule.until.is_some_and(|u| start > u) {
                break;
            }
            let Ok(end) = start.checked_add(length) else {
                break;
            };
            if end >= from {
                out.push(Occurrence {
                    index: i,
                    start,
                    end,
                });
            }
        }
        out
    }
}

/// Raw input for an activity (the partnership and organiser are resolved by the caller).
#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    pub partnership: Option<String>,
    /// A working group's id or slug, or `municipality`.
    pub organiser: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start: Option<String>,
    pub start_time: Option<String>,
    pub end: Option<String>,
    pub end_time: Option<String>,
    pub timezone: Option<String>,
    pub place: Option<String>,
    pub direction: Option<String>,
    pub category: Option<String>,
    pub participants_home: Option<String>,
    pub participants_partner: Option<String>,
    pub status: Option<String>,
    pub outcomes: Option<String>,
    /// One web address per line.
    pub links: Option<String>,
    /// Whether the public sees it (calendar, feeds); `on`/`true` or empty.
    pub public: Option<String>,
    /// `yearly`, `monthly` or empty.
    pub recurrence: Option<String>,
    pub recurrence_until: Option<String>,
}

/// The valid content of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityDraft {
    pub partnership: PartnershipId,
    pub organiser: Organiser,
    pub title: Name,
    pub description: Option<String>,
    pub schedule: Schedule,
    pub place: Option<String>,
    pub direction: Direction,
    pub category: Category,
    pub participants_home: u32,
    pub participants_partner: u32,
    pub status: ActivityStatus,
    pub outcomes: Option<String>,
    pub links: Vec<String>,
    pub public: bool,
    pub recurrence: Option<Recurrence>,
}

/// A stored activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: String,
    pub draft: ActivityDraft,
}

fn parse_time(raw: &str) -> Result<Time, &'static str> {
    let s = raw.trim();
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    if !ok {
        return Err("error-time-invalid");
    }
    s.parse::<Time>().map_err(|_| "error-time-invalid")
}

/// A count of people: a whole number from 0 to 100 000.
pub fn parse_count(raw: &str) -> Result<u32, &'static str> {
    let s = raw.trim();
    if s.starts_with('-') {
        return Err("error-count-negative");
    }
    match s.parse::<u32>() {
        Ok(n) if n <= 100_000 => Ok(n),
        Ok(_) => Err("error-count-too-large"),
        Err(_) => Err("error-whole-number"),
    }
}

fn truthy(raw: &Option<String>) -> bool {
    matches!(given(raw), Some("on" | "true" | "yes" | "1"))
}

impl ActivityDraft {
    /// `partnership` and `organiser` are looked up by the caller (an error key when not found).
    pub fn parse(
        input: &ActivityInput,
        partnership: Result<PartnershipId, &'static str>,
        organiser: Result<Organiser, &'static str>,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let partnership = e.check("partnership", partnership);
        let organiser = e.check("organiser", organiser);
        let title = e.check("title", Name::parse(given(&input.title).unwrap_or("")));
        let description =
            given(&input.description).and_then(|s| e.check("description", parse_text(s)));
        let start = match given(&input.start) {
            None => {
                e.push("start", "error-required");
                None
            }
            Some(s) => e.check("start", crate::date::parse_date(s)),
        };
        let start_time = given(&input.start_time).and_then(|s| e.check("startTime", parse_time(s)));
        let end = match given(&input.end) {
            None => start,
            Some(s) => e.check("end", crate::date::parse_date(s)),
        };
        let end_time = given(&input.end_time).and_then(|s| e.check("endTime", parse_time(s)));
        let zone = match given(&input.timezone) {
            None => Some(Zone::default()),
            Some(z) => e.check("timezone", Zone::parse(z)),
        };
        if let Some(z) = &zone {
            for (field, day, at) in [("startTime", start, start_time), ("endTime", end, end_time)] {
                if let (Some(day), Some(at)) = (day, at)
                    && !time_exists(day, at, z)
                {
                    e.push(field, "error-time-nonexistent");
                }
            }
        }
        if let (Some(s), Some(en)) = (start, end) {
            let before = en < s
                || (en == s && matches!((start_time, end_time), (Some(a), Some(b)) if b < a));
            if before {
                e.push("end", "error-end-before-start");
            }
        }
        let place = given(&input.place).and_then(|s| e.check("place", Name::parse(s)));
        let direction = e.check(
            "direction",
            Direction::parse(given(&input.direction).unwrap_or("")),
        );
        let category = e.check(
            "category",
            Category::parse(given(&input.category).unwrap_or("")),
        );
        let count = |e: &mut ValidationErrors, field, raw: &Option<String>| match given(raw) {
            None => Some(0),
            Some(s) => e.check(field, parse_count(s)),
        };
        let participants_home = count(&mut e, "participantsHome", &input.participants_home);
        let participants_partner =
            count(&mut e, "participantsPartner", &input.participants_partner);
        let status = match given(&input.status) {
            None => Some(ActivityStatus::Planned),
            Some(s) => e.check("status", ActivityStatus::parse(s)),
        };
        let outcomes = given(&input.outcomes).and_then(|s| e.check("outcomes", parse_text(s)));
        let mut links = Vec::new();
        for line in given(&input.links).unwrap_or("").lines() {
            let line = line.trim();
            if !line.is_empty()
                && let Some(l) = e.check("links", crate::organisation::parse_website(line))
            {
                links.push(l);
            }
        }
        let recurrence = match given(&input.recurrence) {
            None | Some("none") => None,
            Some(f) => {
                let frequency = e.check("recurrence", Frequency::parse(f));
                let until = given(&input.recurrence_until)
                    .and_then(|s| e.check("recurrenceUntil", crate::date::parse_date(s)));
                if let (Some(u), Some(s)) = (until, start)
                    && u < s
                {
                    e.push("recurrenceUntil", "error-end-before-start");
                }
                if let (Some(s), Some(en), Some(f)) = (start, end, frequency) {
                    let period = match f {
                        Frequency::Yearly => s.checked_add(1.year()),
                        Frequency::Monthly => s.checked_add(1.month()),
                    };
                    if period.is_ok_and(|next| en >= next) {
                        e.push("end", "error-occurrence-too-long");
                    }
                }
                frequency.map(|frequency| Recurrence { frequency, until })
            }
        };
        e.finish(|| ActivityDraft {
            partnership: partnership.expect("checked"),
            organiser: organiser.expect("checked"),
            title: title.expect("checked"),
            description,
            schedule: Schedule {
                start: start.expect("checked"),
                start_time,
                end: end.expect("checked"),
                end_time,
                zone: zone.expect("checked"),
            },
            place: place.map(|p| p.to_string()),
            direction: direction.expect("checked"),
            category: category.expect("checked"),
            participants_home: participants_home.expect("checked"),
            participants_partner: participants_partner.expect("checked"),
            status: status.expect("checked"),
            outcomes,
            links,
            public: truthy(&input.public),
            recurrence,
        })
    }
}

/// A reception asked for an activity: only incoming visits (or both ways) are received.
pub fn reception_allowed(direction: Direction) -> Result<(), &'static str> {
    match direction {
        Direction::Incoming | Direction::Both => Ok(()),
        _ => Err("error-reception-not-incoming"),
    }
}

/// Checks a step of a reception; the error key says why it cannot be taken.
pub fn reception_step(from: ReceptionStatus, to: ReceptionStatus) -> Result<(), &'static str> {
    if from.next().contains(&to) {
        Ok(())
    } else {
        Err("error-reception-transition")
    }
}

/// Whether an occurrence counts as held (in the numbers per year and for dormancy): it has
/// started by `today`, it was not cancelled on its own, and its activity is held or, for a
/// recurring one, held or confirmed (a series that runs on is confirmed; its past occurrences
/// took place unless cancelled one by one).
pub fn occurrence_held(
    status: ActivityStatus,
    recurring: bool,
    start: Date,
    cancelled: bool,
    today: Date,
) -> bool {
    let status_ok = match status {
        ActivityStatus::Held => true,
        ActivityStatus::Confirmed => recurring,
        ActivityStatus::Planned | ActivityStatus::Cancelled => false,
    };
    status_ok && start <= today && !cancelled
}

/// A partnership is dormant on `today` when its last held activity (or none) is more than
/// `months` months back.
pub fn is_dormant(last_held: Option<Date>, today: Date, months: u16) -> bool {
    let limit = today
        .checked_sub(i32::from(months).months())
        .expect("in range");
    last_held.is_none_or(|d| d < limit)
}

/// An amount in euros with at most two decimals, not negative: stored as whole cents.
pub fn parse_euros(raw: &str) -> Result<rust_decimal::Decimal, &'static str> {
    // As people write amounts: "6500", "6500,00" or "6.250,50" (Dutch), "6,250.50" (English).
    let s: String = raw
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    let decimal = match (s.rfind(','), s.rfind('.')) {
        (Some(c), Some(d)) => Some(c.max(d)),
        (Some(c), None) => Some(c),
        (None, Some(d)) if s.matches('.').count() == 1 => Some(d),
        _ => None,
    };
    let normal: String = s
        .char_indices()
        .filter_map(|(i, c)| match c {
            ',' | '.' if Some(i) == decimal => Some('.'),
            ',' | '.' => None,
            other => Some(other),
        })
        .collect();
    let d: rust_decimal::Decimal = normal.parse().map_err(|_| "error-amount-invalid")?;
    if d.is_sign_negative() {
        return Err("error-amount-negative");
    }
    if d.scale() > 2 {
        return Err("error-amount-cents");
    }
    if d > rust_decimal::Decimal::from(100_000_000) {
        return Err("error-amount-too-large");
    }
    Ok(d.round_dp(2))
}

/// Euros as whole cents, and back.
pub fn to_cents(d: rust_decimal::Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (d * rust_decimal::Decimal::from(100))
        .to_i64()
        .expect("amounts are bounded")
}

pub fn from_cents(cents: i64) -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(cents, 2)
}

/// The figures of one occurrence of a recurring activity (the tree of one December): how many
/// came, what it cost, notes. Missing figures fall back to the activity's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccurrenceFigures {
    pub occurrence_on: Date,
    pub participants_home: Option<u32>,
    pub participants_partner: Option<u32>,
    pub costs: Option<rust_decimal::Decimal>,
    pub notes: Option<String>,
    /// This occurrence did not take place (the series runs on).
    pub cancelled: bool,
}

/// Raw input for an occurrence's figures.
#[derive(Debug, Clone, Default)]
pub struct FiguresInput {
    pub participants_home: Option<String>,
    pub participants_partner: Option<String>,
    pub costs: Option<String>,
    pub notes: Option<String>,
    /// `on`/`true` when this occurrence was cancelled.
    pub cancelled: Option<String>,
}

impl OccurrenceFigures {
    /// `occurrence_on` must be the start of one of the activity's occurrences (the caller
    /// checks).
    pub fn parse(occurrence_on: Date, input: &FiguresInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let home = given(&input.participants_home)
            .and_then(|s| e.check("participantsHome", parse_count(s)));
        let partner = given(&input.participants_partner)
            .and_then(|s| e.check("participantsPartner", parse_count(s)));
        let costs = given(&input.costs).and_then(|s| e.check("costs", parse_euros(s)));
        let notes = given(&input.notes).and_then(|s| e.check("notes", parse_text(s)));
        e.finish(|| OccurrenceFigures {
            occurrence_on,
            participants_home: home,
            participants_partner: partner,
            costs,
            notes,
            cancelled: truthy(&input.cancelled),
        })
    }
}

/// A reception's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reception {
    pub activity: String,
    pub status: ReceptionStatus,
    pub scheduled_on: Option<Date>,
    pub scheduled_at: Option<Time>,
    /// Who receives: the mayor, an alderman (office holders, by office or name).
    pub received_by: Option<String>,
    pub note: Option<String>,
}

/// Raw input for a step of a reception.
#[derive(Debug, Clone, Default)]
pub struct ReceptionInput {
    pub status: Option<String>,
    pub scheduled_on: Option<String>,
    pub scheduled_at: Option<String>,
    pub received_by: Option<String>,
    pub note: Option<String>,
}

impl Reception {
    /// The reception after a step from `self`; a date is needed from `scheduled` on.
    pub fn step(&self, input: &ReceptionInput) -> Result<Reception, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let to = match given(&input.status) {
            None => {
                e.push("status", "error-required");
                None
            }
            Some(s) => e.check("status", ReceptionStatus::parse(s)),
        };
        if let Some(to) = to {
            e.check("status", reception_step(self.status, to));
        }
        let scheduled_on = given(&input.scheduled_on)
            .and_then(|s| e.check("scheduledOn", crate::date::parse_date(s)))
            .or(self.scheduled_on);
        let scheduled_at = given(&input.scheduled_at)
            .and_then(|s| e.check("scheduledAt", parse_time(s)))
            .or(self.scheduled_at);
        let received_by = given(&input.received_by)
            .and_then(|s| e.check("receivedBy", Name::parse(s)).map(|n| n.to_string()))
            .or(self.received_by.clone());
        let note = given(&input.note)
            .and_then(|s| e.check("note", parse_text(s)))
            .or(self.note.clone());
        if matches!(to, Some(ReceptionStatus::Scheduled))
            && scheduled_on.is_none()
            && !e.has("scheduledOn")
        {
            e.push("scheduledOn", "error-required");
        }
        e.finish(|| Reception {
            activity: self.activity.clone(),
            status: to.expect("checked"),
            scheduled_on,
            scheduled_at,
            received_by,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input() -> ActivityInput {
        ActivityInput {
            title: Some("Kerstboom uit Hranice".into()),
            start: Some("2017-12-01".into()),
            end: Some("2018-01-06".into()),
            direction: Some("incoming".into()),
            category: Some("city-promotion".into()),
            recurrence: Some("yearly".into()),
            ..Default::default()
        }
    }

    fn parse(i: &ActivityInput) -> Result<ActivityDraft, ValidationErrors> {
        ActivityDraft::parse(
            i,
            Ok(PartnershipId("p".into())),
            Ok(Organiser::Municipality),
        )
    }

    #[test]
    fn the_tree_comes_back_every_december() {
        let a = parse(&input()).unwrap();
        let occ =
            a.schedule
                .occurrences(a.recurrence.as_ref(), date(2019, 1, 1), date(2021, 12, 31));
        let spans: Vec<(Date, Date)> = occ.iter().map(|o| (o.start, o.end)).collect();
        // The 2018/19 tree still stands on 1 January 2019.
        assert_eq!(
            spans,
            [
                (date(2018, 12, 1), date(2019, 1, 6)),
                (date(2019, 12, 1), date(2020, 1, 6)),
                (date(2020, 12, 1), date(2021, 1, 6)),
                (date(2021, 12, 1), date(2022, 1, 6)),
            ]
        );
        assert_eq!(occ[0].index, 1);
    }

    #[test]
    fn bad_input_names_each_field() {
        let mut i = input();
        i.end = Some("2017-11-30".into());
        i.participants_home = Some("-3".into());
        i.category = Some("knitting".into());
        i.timezone = Some("Mars/Olympus".into());
        let err = parse(&i).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("timezone", "error-timezone-unknown"),
                ("end", "error-end-before-start"),
                ("category", "error-choice-invalid"),
                ("participantsHome", "error-count-negative"),
            ]
        );
        assert_eq!(
            reception_allowed(Direction::Outgoing),
            Err("error-reception-not-incoming")
        );
    }

    #[test]
    fn amounts_are_exact_cents() {
        assert_eq!(to_cents(parse_euros("6500").unwrap()), 650_000);
        assert_eq!(to_cents(parse_euros("€ 24.490,00").unwrap()), 2_449_000);
        assert_eq!(parse_euros("-1"), Err("error-amount-negative"));
        assert_eq!(parse_euros("1.005"), Err("error-amount-cents"));
        assert_eq!(from_cents(816_300).to_string(), "8163.00");
    }

    #[test]
    fn amounts_are_written_the_dutch_or_the_english_way() {
        assert_eq!(to_cents(parse_euros("24,490.00").unwrap()), 2_449_000);
        assert_eq!(to_cents(parse_euros("16327").unwrap()), 1_632_700);
        assert_eq!(to_cents(parse_euros("8163,5").unwrap()), 816_350);
        assert_eq!(to_cents(parse_euros("6.250,50").unwrap()), 625_050);
        assert_eq!(parse_euros("twaalf"), Err("error-amount-invalid"));
    }

    #[test]
    fn a_reception_is_scheduled_with_a_date() {
        let r = Reception {
            activity: "a".into(),
            status: ReceptionStatus::Accepted,
            scheduled_on: None,
            scheduled_at: None,
            received_by: None,
            note: None,
        };
        let err = r
            .step(&ReceptionInput {
                status: Some("scheduled".into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.0[0].field, "scheduledOn");
        let held = r.step(&ReceptionInput {
            status: Some("held".into()),
            ..Default::default()
        });
        assert_eq!(held.unwrap_err().0[0].key, "error-reception-transition");
    }

    #[test]
    fn receptions_move_forward_only() {
        use ReceptionStatus::*;
        assert!(reception_step(Requested, Accepted).is_ok());
        assert!(reception_step(Accepted, Scheduled).is_ok());
        assert!(reception_step(Scheduled, Held).is_ok());
        assert!(reception_step(Requested, Held).is_err());
        assert!(reception_step(Declined, Accepted).is_err());
        assert!(reception_step(Held, Scheduled).is_err());
    }

    #[test]
    fn periods_are_bounded() {
        assert_eq!(check_period(date(2025, 1, 1), date(2035, 1, 1)), Ok(()));
        assert_eq!(
            check_period(date(2025, 1, 1), date(2035, 1, 2)),
            Err("error-period-too-long")
        );
        assert_eq!(
            check_period(date(2025, 1, 2), date(2025, 1, 1)),
            Err("error-end-before-start")
        );
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_is_refused() {
        let mut i = input();
        i.recurrence = None;
        i.start = Some("2025-03-30".into());
        i.end = Some("2025-03-30".into());
        i.start_time = Some("02:30".into());
        i.end_time = Some("02:45".into());
        let err = parse(&i).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("startTime", "error-time-nonexistent"),
                ("endTime", "error-time-nonexistent"),
            ]
        );
        // The same wall-clock time exists in another zone, and on other days.
        i.timezone = Some("America/Los_Angeles".into());
        assert!(parse(&i).is_ok());
        i.timezone = None;
        i.start = Some("2025-03-29".into());
        i.end = Some("2025-03-29".into());
        assert!(parse(&i).is_ok());
        // The hour that occurs twice in autumn exists.
        assert!(time_exists(
            date(2025, 10, 26),
            Time::constant(2, 30, 0, 0),
            &Zone::default()
        ));
        // A later occurrence in a gap is moved forward, as RFC 5545 does.
        let z = Zone::default();
        assert_eq!(
            resolved_time(date(2025, 3, 30), Time::constant(2, 30, 0, 0), &z),
            Time::constant(3, 30, 0, 0)
        );
        assert_eq!(
            resolved_time(date(2025, 3, 31), Time::constant(2, 30, 0, 0), &z),
            Time::constant(2, 30, 0, 0)
        );
    }

    #[test]
    fn an_occurrence_is_held_when_past_not_cancelled_and_its_series_took_place() {
        use ActivityStatus::*;
        let today = date(2026, 1, 1);
        let past = date(2025, 12, 1);
        assert!(occurrence_held(Held, true, past, false, today));
        assert!(occurrence_held(Confirmed, true, past, false, today));
        assert!(!occurrence_held(Held, true, past, true, today), "cancelled");
        assert!(!occurrence_held(
            Held,
            true,
            date(2026, 12, 1),
            false,
            today
        ));
        assert!(!occurrence_held(Planned, true, past, false, today));
        assert!(!occurrence_held(Cancelled, true, past, false, today));
        // A single activity is held when it says so.
        assert!(occurrence_held(Held, false, past, false, today));
        assert!(!occurrence_held(Confirmed, false, past, false, today));
    }

    #[test]
    fn dormancy_counts_months_back() {
        let today = date(2026, 11, 28);
        assert!(!is_dormant(Some(date(2025, 1, 1)), today, 24));
        assert!(is_dormant(Some(date(2024, 11, 27)), today, 24));
        assert!(is_dormant(None, today, 24));
        assert_eq!(
            Zone::parse("america/los_angeles").map(|z| z.to_string()),
            Ok("America/Los_Angeles".into())
        );
    }
}
