//! iCalendar feeds (RFC 5545) of activities, for calendar programs to subscribe to.
//!
//! [`feed`] renders one `VCALENDAR` with one `VEVENT` per activity (not per occurrence: a
//! recurring activity carries an `RRULE`). The caller decides what goes in: public feeds get
//! public activities only. The `icalendar` crate writes the components, escapes text values and
//! quotes parameters; this module decides the values and writes what the crate cannot (see
//! [`feed`]).
//!
//! How the schedule becomes `DTSTART`/`DTEND`:
//! - **All day** (no start time): `DTSTART;VALUE=DATE` on the first day and `DTEND;VALUE=DATE`
//!   on the day *after* the last day (`DTEND` is exclusive in iCalendar). An end time without a
//!   start time is ignored.
//! - **Timed, once**: UTC date-times (`…Z`), computed from the activity's time zone.
//! - **Timed, recurring**: local date-times with `TZID=<IANA name>` and a `VTIMEZONE` for each
//!   zone used, because a rule repeats wall-clock time: in UTC a monthly 19:30 in Amsterdam
//!   would move to 20:30 in summer, and the day of the month could shift.
//! - **End of a timed activity**: the end date at the end time; without an end time, the end
//!   date at the start time when it lasts several days, else the start plus two hours. An end
//!   not after the start is left out (the event then takes no time, RFC 5545 3.6.1).
//!
//! Recurrence: `FREQ=YEARLY` or `FREQ=MONTHLY`, with `UNTIL` (a date for all-day events, else
//! the end of that day in the activity's zone, in UTC) when the rule has an end. The domain
//! moves a day that a month lacks to the month's last day (31 January, monthly: 28 February,
//! 31 March); iCalendar would skip such months, so a start on the 29th or later gets
//! `BYMONTHDAY=<day>,-1;BYSETPOS=1`, which picks the same days.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone, TimeZoneTransition};
use jiff::{Timestamp, ToSpan, Zoned};
use std::collections::BTreeMap;
use stedenband_domain::activity::{Activity, ActivityStatus, Frequency, Recurrence};

/// One activity in a feed, with what the feed needs from outside the domain.
#[derive(Debug, Clone)]
pub struct FeedItem<'a> {
    pub activity: &'a Activity,
    /// The absolute address of the activity's page.
    pub url: String,
    /// The partnership in words ("Leidschendam-Voorburg – Hranice"), added to the description.
    pub partnership_label: String,
}

/// `PRODID` of every feed.
pub const PRODID: &str = "-//Stedenband//Stedenband//NL";

/// How far ahead time zone changes are listed for a recurring activity without an end.
const HORIZON_YEARS: i16 = 10;

/// The longest line, in octets, without its line break (RFC 5545 3.1).
const LINE_OCTETS: usize = 75;

/// The feed `name` (`X-WR-CALNAME`) of `activities`, stamped (`DTSTAMP`) with `stamp`, the time
/// the feed is produced. Lines end in CRLF and are folded at 75 octets.
///
/// Written by hand around the `icalendar` crate: `VTIMEZONE` (the crate adds a `DTSTAMP` and a
/// random `UID` to every component it writes, which do not belong there), and the folding (the
/// crate lets a continuation line reach 76 octets when the remainder is exactly 75), so the
/// crate's output is unfolded and folded again here.
pub fn feed(name: &str, activities: &[FeedItem<'_>], stamp: Timestamp) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(&one_line(name));
    const END: &str = "END:VCALENDAR\r\n";
    let whole = calendar.to_string();
    let mut out = whole.strip_suffix(END).unwrap_or(&whole).to_owned();

    let mut zones = BTreeMap::new();
    let mut events = String::new();
    for item in activities {
        let (event, zone) = event(item, stamp);
        if let Some(ZoneUse { name, tz, from, to }) = zone {
            let span = zones.entry(name).or_insert((tz, from, to));
            span.1 = span.1.min(from);
            span.2 = span.2.max(to);
        }
        events.push_str(&Component::to_string(&event));
    }
    for (name, (tz, from, to)) in &zones {
        vtimezone(&mut out, name, tz, *from, *to);
    }
    out.push_str(&events);
    out.push_str(END);
    refold(&out)
}

/// A time zone a `VEVENT` refers to by `TZID`, and the stretch of time it needs described.
struct ZoneUse {
    name: String,
    tz: TimeZone,
    from: Timestamp,
    to: Timestamp,
}

/// When an activity takes place, as iCalendar will say it.
enum When {
    AllDay {
        start: Date,
        /// The day after the last day.
        end: Date,
    },
    Utc {
        start: Timestamp,
        end: Option<Timestamp>,
    },
    Local {
        start: Zoned,
        /// The wall-clock times the rule repeats: the activity's own, also when the first
        /// occurrence's falls in a gap (its zoned time is then later).
        wall_start: DateTime,
        wall_end: Option<DateTime>,
    },
}

fn when(activity: &Activity) -> When {
    let s = &activity.draft.schedule;
    let all_day = || When::AllDay {
        start: s.start,
        end: s.end.tomorrow().unwrap_or(s.end),
    };
    let Some(start_time) = s.start_time else {
        return all_day();
    };
    let tz = s.zone.tz();
    // A wall-clock time in a gap (the change to summer time) is moved forward by the gap, as
    // RFC 5545 (3.3.5) reads such a DTSTART and as the pages show it (jiff's "compatible").
    let at = |d: DateTime| d.to_zoned(tz.clone()).ok();
    let wall_start = s.start.to_datetime(start_time);
    let Some(start) = at(wall_start) else {
        return all_day();
    };
    // The end, as a wall-clock time and on the timeline.
    let wall_and_zoned = |wall: DateTime| Some((wall, at(wall)?));
    let end = match s.end_time {
        Some(end_time) => wall_and_zoned(s.end.to_datetime(end_time)),
        None if s.end > s.start => wall_and_zoned(s.end.to_datetime(start_time)),
        // Two hours: on the wall clock for the rule, on the timeline for the one time.
        None => wall_start
            .checked_add(2.hours())
            .ok()
            .zip(start.checked_add(2.hours()).ok()),
    }
    .filter(|(_, end)| end.timestamp() > start.timestamp());
    if activity.draft.recurrence.is_some() {
        When::Local {
            start,
            wall_start,
            wall_end: end.map(|(wall, _)| wall),
        }
    } else {
        When::Utc {
            start: start.timestamp(),
            end: end.map(|(_, e)| e.timestamp()),
        }
    }
}

fn event(item: &FeedItem<'_>, stamp: Timestamp) -> (Event, Option<ZoneUse>) {
    let a = &item.activity.draft;
    let mut e = Event::new();
    e.uid(&uid(item.activity))
        .add_property("DTSTAMP", utc(stamp))
        .summary(&one_line(a.title.as_str()))
        .url(&one_line(&item.url))
        .status(match a.status {
            ActivityStatus::Planned => EventStatus::Tentative,
            ActivityStatus::Confirmed | ActivityStatus::Held => EventStatus::Confirmed,
            ActivityStatus::Cancelled => EventStatus::Cancelled,
        })
        .categories([a.category.as_str()]);
    let mut description = Vec::new();
    if let Some(d) = a.description.as_deref().map(text).filter(|d| !d.is_empty()) {
        description.push(d);
    }
    let label = one_line(&item.partnership_label);
    if !label.is_empty() {
        description.push(label);
    }
    if !description.is_empty() {
        e.description(&description.join("\n\n"));
    }
    if let Some(place) = a.place.as_deref().map(one_line).filter(|p| !p.is_empty()) {
        e.location(&place);
    }

    let mut zone = None;
    let until = match when(item.activity) {
        When::AllDay { start, end } => {
            e.append_property(with_param("DTSTART", ymd(start), "VALUE", "DATE"));
            e.append_property(with_param("DTEND", ymd(end), "VALUE", "DATE"));
            a.recurrence.and_then(|r| r.until).map(ymd)
        }
        When::Utc { start, end } => {
            e.add_property("DTSTART", utc(start));
            if let Some(end) = end {
                e.add_property("DTEND", utc(end));
            }
            None
        }
        When::Local {
            start,
            wall_start,
            wall_end,
        } => {
            let name = a.schedule.zone.as_str();
            e.append_property(with_param("DTSTART", local(wall_start), "TZID", name));
            if let Some(end) = wall_end {
                e.append_property(with_param("DTEND", local(end), "TZID", name));
            }
            let tz = start.time_zone().clone();
            let until = a.recurrence.and_then(|r| r.until).and_then(|u| {
                let next_day = u.tomorrow().ok()?.to_zoned(tz.clone()).ok()?;
                next_day.timestamp().checked_sub(1.second()).ok()
            });
            // The zone's changes from the first start to the last end: an occurrence is shorter
            // than the rule's period (a year at most), hence the year after the last start.
            let last_start = until.unwrap_or_else(|| {
                let base = stamp.max(start.timestamp()).to_zoned(tz.clone());
                let later = base.checked_add(HORIZON_YEARS.years()).ok();
                later.map_or(stamp, |z| z.timestamp())
            });
            let to = last_start.to_zoned(tz.clone()).checked_add(1.year()).ok();
            zone = Some(ZoneUse {
                name: name.to_owned(),
                from: start.timestamp(),
                to: to.map_or(last_start, |z| z.timestamp()),
                tz,
            });
            until.map(utc)
        }
    };
    if let Some(rule) = &a.recurrence {
        e.add_property("RRULE", rrule(rule, a.schedule.start, until));
    }
    (e, zone)
}

/// The UID of an activity's event: its id, so an edited activity replaces its event.
pub fn uid(activity: &Activity) -> String {
    format!("{}@stedenband", activity.id)
}

fn rrule(rule: &Recurrence, start: Date, until: Option<String>) -> String {
    let mut r = String::from(match rule.frequency {
        Frequency::Yearly => "FREQ=YEARLY",
        Frequency::Monthly => "FREQ=MONTHLY",
    });
    match rule.frequency {
        Frequency::Yearly if start.month() == 2 && start.day() == 29 => {
            r.push_str(";BYMONTH=2;BYMONTHDAY=29,-1;BYSETPOS=1");
        }
        Frequency::Monthly if start.day() >= 29 => {
            r.push_str(&format!(";BYMONTHDAY={},-1;BYSETPOS=1", start.day()));
        }
        _ => {}
    }
    if let Some(until) = until {
        r.push_str(";UNTIL=");
        r.push_str(&until);
    }
    r
}

/// A `VTIMEZONE` for `tz` that covers `from..=to`: the observance in force at `from` and every
/// change up to `to`, grouped into one `STANDARD` or `DAYLIGHT` per kind of change (`RDATE`
/// for the repeats).
fn vtimezone(out: &mut String, name: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) {
    let mut observances: Vec<Observance> = Vec::new();
    let change = |observances: &mut Vec<Observance>, t: &TimeZoneTransition| {
        let before = before(tz, t.timestamp());
        let at = before.to_datetime(t.timestamp());
        Observance::note(
            observances,
            t.dst().is_dst(),
            (before, t.offset()),
            t.abbreviation(),
            at,
        );
    };
    // The change in force at `from` (at most `from`), then those after it.
    let just_after = from.checked_add(1.nanosecond()).unwrap_or(from);
    let changes_after = match tz.preceding(just_after).next() {
        Some(t) => {
            change(&mut observances, &t);
            t.timestamp()
        }
        None => {
            // Never changed before: one observance from `from` on.
            let info = tz.to_offset_info(from);
            let offset = info.offset();
            let at = offset.to_datetime(from);
            let daylight = info.dst().is_dst();
            Observance::note(
                &mut observances,
                daylight,
                (offset, offset),
                info.abbreviation(),
                at,
            );
            from
        }
    };
    for t in tz.following(changes_after) {
        if t.timestamp() > to {
            break;
        }
        change(&mut observances, &t);
    }

    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{name}"));
    for o in &observances {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        line(out, &format!("BEGIN:{kind}"));
        line(out, &format!("DTSTART:{}", local(o.onsets[0])));
        if o.onsets.len() > 1 {
            let rest: Vec<String> = o.onsets[1..].iter().map(|d| local(*d)).collect();
            line(out, &format!("RDATE:{}", rest.join(",")));
        }
        line(out, &format!("TZOFFSETFROM:{}", utc_offset(o.before)));
        line(out, &format!("TZOFFSETTO:{}", utc_offset(o.after)));
        if !o.abbr.is_empty() {
            line(out, &format!("TZNAME:{}", escape(&o.abbr)));
        }
        line(out, &format!("END:{kind}"));
    }
    line(out, "END:VTIMEZONE");
}

/// One kind of change of a time zone (`STANDARD` or `DAYLIGHT`) and the local times, in the
/// offset before it, at which it happens.
struct Observance {
    daylight: bool,
    before: Offset,
    after: Offset,
    abbr: String,
    onsets: Vec<DateTime>,
}

impl Observance {
    /// Adds a change at `at` to its kind, or a new kind.
    fn note(
        observances: &mut Vec<Observance>,
        daylight: bool,
        (before, after): (Offset, Offset),
        abbr: &str,
        at: DateTime,
    ) {
        let same = |o: &&mut Observance| {
            (o.daylight, o.before, o.after, o.abbr.as_str()) == (daylight, before, after, abbr)
        };
        match observances.iter_mut().find(same) {
            Some(o) => o.onsets.push(at),
            None => observances.push(Observance {
                daylight,
                before,
                after,
                abbr: abbr.to_owned(),
                onsets: vec![at],
            }),
        }
    }
}

/// The offset in force just before `at`.
fn before(tz: &TimeZone, at: Timestamp) -> Offset {
    tz.to_offset(at.checked_sub(1.nanosecond()).unwrap_or(at))
}

fn line(out: &mut String, content: &str) {
    out.push_str(content);
    out.push_str("\r\n");
}

/// `+HHMM` (or `+HHMMSS`), as `TZOFFSETFROM`/`TZOFFSETTO` want it.
fn utc_offset(offset: Offset) -> String {
    let s = offset.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    let (h, m, sec) = (a / 3600, a % 3600 / 60, a % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

fn with_param(key: &str, value: String, param: &str, param_value: &str) -> Property {
    Property::new(key, value)
        .add_parameter(param, param_value)
        .done()
}

fn ymd(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Text for a TEXT value: line breaks as `\n` (a CR would end the content line), no other
/// control characters (RFC 5545 3.3.11 allows none but HTAB), no trailing white space.
fn text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    s.trim_end().to_owned()
}

/// Text on one line: white space (line breaks too) collapsed, control characters dropped.
fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// TEXT escaping (RFC 5545 3.3.11), for the values written here rather than by the crate.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ',' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Unfolds the content lines and folds them again: at most 75 octets a line, CRLF line ends,
/// continuation lines starting with a space, never inside a UTF-8 character.
fn refold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for content in unfolded.split_terminator("\r\n") {
        let mut width = 0;
        for c in content.chars() {
            if width + c.len_utf8() > LINE_OCTETS {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use stedenband_domain::activity::{
        ActivityDraft, Category, Direction, Organiser, Schedule, Zone,
    };
    use stedenband_domain::{Name, PartnershipId};

    fn activity(id: &str, title: &str, start: Date, end: Date) -> Activity {
        Activity {
            id: id.into(),
            draft: ActivityDraft {
                partnership: PartnershipId("p1".into()),
                organiser: Organiser::Municipality,
                title: Name::parse(title).unwrap(),
                description: None,
                schedule: Schedule {
                    start,
                    start_time: None,
                    end,
                    end_time: None,
                    zone: Zone::default(),
                },
                place: None,
                direction: Direction::Incoming,
                category: Category::Choir,
                participants_home: 0,
                participants_partner: 0,
                status: ActivityStatus::Planned,
                outcomes: None,
                links: vec![],
                public: true,
                recurrence: None,
            },
        }
    }

    fn stamp() -> Timestamp {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    fn render(activities: &[Activity]) -> String {
        let items: Vec<FeedItem> = activities
            .iter()
            .map(|a| FeedItem {
                activity: a,
                url: format!("https://stedenband.example/activities/{}", a.id),
                partnership_label: "Leidschendam-Voorburg – Hranice".into(),
            })
            .collect();
        feed("Leidschendam-Voorburg", &items, stamp())
    }

    /// The content lines, unfolded.
    fn lines(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split_terminator("\r\n")
            .map(str::to_owned)
            .collect()
    }

    fn has(ics: &str, line: &str) -> bool {
        lines(ics).iter().any(|l| l == line)
    }

    #[test]
    fn the_calendar_says_who_made_it_and_what_it_is() {
        let ics = render(&[]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for l in [
            "PRODID:-//Stedenband//Stedenband//NL",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Leidschendam-Voorburg",
        ] {
            assert!(has(&ics, l), "{l} missing in\n{ics}");
        }
    }

    #[test]
    fn the_uid_is_the_activity_id_and_survives_edits() {
        let mut a = activity("3f2a", "Koorreis", date(2010, 5, 1), date(2010, 5, 3));
        let before = render(std::slice::from_ref(&a));
        a.draft.title = Name::parse("Koorreis naar Hranice").unwrap();
        a.draft.schedule.start = date(2010, 5, 2);
        a.draft.status = ActivityStatus::Confirmed;
        let after = render(&[a]);
        assert_ne!(before, after);
        for ics in [&before, &after] {
            let uids: Vec<_> = lines(ics)
                .into_iter()
                .filter(|l| l.starts_with("UID"))
                .collect();
            assert_eq!(uids, ["UID:3f2a@stedenband"]);
            assert!(has(ics, "DTSTAMP:20260301T120000Z"));
        }
        // Rendering is deterministic: the crate adds no random UID or clock time of its own.
        assert_eq!(
            after,
            render(&[{
                let mut a = activity(
                    "3f2a",
                    "Koorreis naar Hranice",
                    date(2010, 5, 2),
                    date(2010, 5, 3),
                );
                a.draft.status = ActivityStatus::Confirmed;
                a
            }])
        );
    }

    #[test]
    fn an_all_day_event_ends_the_day_after_its_last_day() {
        let ics = render(&[activity(
            "a",
            "Sportweek",
            date(2012, 6, 30),
            date(2012, 7, 2),
        )]);
        assert!(has(&ics, "DTSTART;VALUE=DATE:20120630"), "{ics}");
        assert!(has(&ics, "DTEND;VALUE=DATE:20120703"), "{ics}");
        let one_day = render(&[activity(
            "b",
            "Concert",
            date(2012, 12, 31),
            date(2012, 12, 31),
        )]);
        assert!(has(&one_day, "DTSTART;VALUE=DATE:20121231"));
        assert!(has(&one_day, "DTEND;VALUE=DATE:20130101"));
    }

    #[test]
    fn statuses_map_to_icalendar_statuses() {
        let mut a = activity("c", "Brandweeroefening", date(2015, 9, 1), date(2015, 9, 1));
        for (status, expected) in [
            (ActivityStatus::Planned, "STATUS:TENTATIVE"),
            (ActivityStatus::Confirmed, "STATUS:CONFIRMED"),
            (ActivityStatus::Held, "STATUS:CONFIRMED"),
            (ActivityStatus::Cancelled, "STATUS:CANCELLED"),
        ] {
            a.draft.status = status;
            let ics = render(std::slice::from_ref(&a));
            assert!(has(&ics, expected), "{status:?}: {ics}");
            assert!(has(&ics, "CATEGORIES:choir"));
        }
    }

    #[test]
    fn a_yearly_tree_repeats_until_its_last_year() {
        let mut a = activity(
            "tree",
            "Kerstboom uit Hranice",
            date(2004, 12, 1),
            date(2005, 1, 6),
        );
        a.draft.recurrence = Some(Recurrence {
            frequency: Frequency::Yearly,
            until: Some(date(2017, 12, 1)),
        });
        let ics = render(&[a.clone()]);
        assert!(has(&ics, "RRULE:FREQ=YEARLY;UNTIL=20171201"), "{ics}");
        assert!(has(&ics, "DTSTART;VALUE=DATE:20041201"));
        assert!(has(&ics, "DTEND;VALUE=DATE:20050107"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(!ics.contains("VTIMEZONE"));

        a.draft.recurrence = Some(Recurrence {
            frequency: Frequency::Monthly,
            until: None,
        });
        a.draft.schedule = Schedule {
            start: date(2024, 1, 31),
            end: date(2024, 1, 31),
            ..a.draft.schedule
        };
        assert!(has(
            &render(&[a]),
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1"
        ));
    }

    #[test]
    fn a_timed_visit_is_in_utc_and_a_recurring_one_in_its_zone() {
        let mut a = activity(
            "visit",
            "Bezoek Temecula",
            date(2016, 4, 12),
            date(2016, 4, 12),
        );
        a.draft.schedule.start_time = Some(time(10, 0, 0, 0));
        a.draft.schedule.zone = Zone::parse("America/Los_Angeles").unwrap();
        let ics = render(std::slice::from_ref(&a));
        assert!(has(&ics, "DTSTART:20160412T170000Z"), "{ics}");
        // No end time, one day: two hours.
        assert!(has(&ics, "DTEND:20160412T190000Z"), "{ics}");

        // Several days without an end time: the last day at the start time.
        a.draft.schedule.end = date(2016, 4, 14);
        assert!(has(
            &render(std::slice::from_ref(&a)),
            "DTEND:20160414T170000Z"
        ));

        // Monthly at 19:30 in Amsterdam stays at 19:30 through summer time.
        let mut m = activity(
            "meet",
            "Werkgroepoverleg",
            date(2025, 1, 15),
            date(2025, 1, 15),
        );
        m.draft.schedule.start_time = Some(time(19, 30, 0, 0));
        m.draft.schedule.end_time = Some(time(21, 0, 0, 0));
        m.draft.recurrence = Some(Recurrence {
            frequency: Frequency::Monthly,
            until: Some(date(2025, 12, 31)),
        });
        let ics = render(&[m]);
        assert!(
            has(&ics, "DTSTART;TZID=Europe/Amsterdam:20250115T193000"),
            "{ics}"
        );
        assert!(
            has(&ics, "DTEND;TZID=Europe/Amsterdam:20250115T210000"),
            "{ics}"
        );
        // The end of 31 December in Amsterdam, in UTC.
        assert!(
            has(&ics, "RRULE:FREQ=MONTHLY;UNTIL=20251231T225959Z"),
            "{ics}"
        );
        assert!(has(&ics, "TZID:Europe/Amsterdam"));
        assert!(has(&ics, "BEGIN:DAYLIGHT"));
        assert!(has(&ics, "DTSTART:20250330T020000"), "{ics}");
        assert!(has(&ics, "TZOFFSETFROM:+0100"));
        assert!(has(&ics, "TZOFFSETTO:+0200"));
        let tz_at = ics.find("BEGIN:VTIMEZONE").unwrap();
        assert!(tz_at < ics.find("BEGIN:VEVENT").unwrap());
    }

    #[test]
    fn a_start_in_the_spring_forward_gap_is_moved_forward_and_keeps_its_wall_clock() {
        // 02:30 on 30 March 2025 does not exist in Amsterdam (02:00 becomes 03:00). Input
        // refuses it; a stored one is read as RFC 5545 and the pages read it: 03:30 summer
        // time (01:30 UTC).
        let mut a = activity("gap", "Nachtconcert", date(2025, 3, 30), date(2025, 3, 30));
        a.draft.schedule.start_time = Some(time(2, 30, 0, 0));
        let ics = render(std::slice::from_ref(&a));
        assert!(has(&ics, "DTSTART:20250330T013000Z"), "{ics}");
        assert!(has(&ics, "DTEND:20250330T033000Z"), "{ics}");
        // A yearly one keeps 02:30 as its wall-clock time: the other years are at 02:30, and
        // the parser moves the first forward the same way.
        a.draft.recurrence = Some(Recurrence {
            frequency: Frequency::Yearly,
            until: None,
        });
        let ics = render(&[a]);
        assert!(
            has(&ics, "DTSTART;TZID=Europe/Amsterdam:20250330T023000"),
            "{ics}"
        );
        assert!(
            has(&ics, "DTEND;TZID=Europe/Amsterdam:20250330T043000"),
            "{ics}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut a = activity(
            "e",
            "Kunst, muziek; en\\meer",
            date(2011, 3, 1),
            date(2011, 3, 1),
        );
        a.draft.description = Some("Eerste regel\r\nTweede, met; tekens\\\rDerde".into());
        a.draft.place = Some("Oude Kerk, Herenstraat".into());
        let ics = render(&[a]);
        assert!(has(&ics, r"SUMMARY:Kunst\, muziek\; en\\meer"), "{ics}");
        assert!(
            has(
                &ics,
                r"DESCRIPTION:Eerste regel\nTweede\, met\; tekens\\\nDerde\n\nLeidschendam-Voorburg – Hranice"
            ),
            "{ics}"
        );
        assert!(has(&ics, r"LOCATION:Oude Kerk\, Herenstraat"));
        assert_eq!(escape("a,b;c\\d\ne"), r"a\,b\;c\\d\ne");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let mut a = activity("f", "Uitwisseling", date(2013, 10, 1), date(2013, 10, 1));
        let folded_right = |ics: &str| {
            for physical in ics.split_terminator("\r\n") {
                assert!(
                    physical.len() <= 75,
                    "{} octets: {physical}",
                    physical.len()
                );
            }
        };
        // Every length of a content line up to 400 octets: the crate alone lets a line reach
        // 76 octets when 75 remain after the first fold (150, 224, 298 … octets).
        for n in 1..380 {
            a.draft.place = Some("p".repeat(n));
            let ics = render(std::slice::from_ref(&a));
            folded_right(&ics);
            assert!(has(&ics, &format!("LOCATION:{}", "p".repeat(n))));
        }
        // Two-, three- and four-octet characters across fold points are never split.
        let mut description = String::new();
        for n in 60..140 {
            description.push_str(&"x".repeat(n));
            description.push_str(" é € 🎄 ");
        }
        a.draft.description = Some(description.clone());
        a.draft.title = Name::parse(&"Ö".repeat(120)).unwrap();
        let ics = render(&[a]);
        folded_right(&ics);
        assert!(ics.contains("\r\n "));
        assert!(has(&ics, &format!("SUMMARY:{}", "Ö".repeat(120))));
        let description = format!("DESCRIPTION:{}", description.trim_end());
        assert!(lines(&ics).iter().any(|l| l.starts_with(&description)));
    }

    #[test]
    fn every_line_ends_in_crlf() {
        let mut a = activity(
            "g",
            "Politie-uitwisseling",
            date(2009, 2, 1),
            date(2009, 2, 1),
        );
        a.draft.description = Some("een\ntwee\r\ndrie".into());
        let ics = render(&[a]);
        assert!(ics.ends_with("\r\n"));
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        assert_eq!(ics.matches('\r').count(), ics.matches("\r\n").count());
    }

    #[test]
    fn offsets_print_as_icalendar_wants() {
        assert_eq!(utc_offset(Offset::from_seconds(3600).unwrap()), "+0100");
        assert_eq!(
            utc_offset(Offset::from_seconds(-7 * 3600).unwrap()),
            "-0700"
        );
        assert_eq!(utc_offset(Offset::from_seconds(19800).unwrap()), "+0530");
        assert_eq!(utc_offset(Offset::from_seconds(1172).unwrap()), "+001932");
        assert_eq!(utc_offset(Offset::UTC), "+0000");
    }
}
