//! Ending a twinning properly: a workflow of steps and the letter to the partner town.
//!
//! The steps, in this order: the decision to end (an adopted decision of the municipality, with
//! the reason), the letter to the partner town (a draft generated in Dutch and in English from
//! the history of the bond — since when, what was done, thanks — which can be edited and is
//! then marked sent), the notification of the partner (when and how), and the closing (the end
//! date and the final status: ended, or carried on by civil society only). A partnership whose
//! ending is closed is archived: its history stays, its pages are read-only with the reason.

use crate::activity::Category;
use crate::date::{PartialDate, parse_date};
use crate::decision::{DecisionRef, parse_text};
use crate::error::{ValidationErrors, given};
use crate::partnership::{PartnershipStatus, choice};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest letter.
pub const MAX_LETTER: usize = 20_000;

choice! {
    /// How far an ending has come.
    EndingStep {
        Decided = "decided",
        LetterSent = "letter-sent",
        PartnerNotified = "partner-notified",
        Completed = "completed",
    }
}

choice! {
    /// What the partnership is after it ended.
    FinalStatus {
        Ended = "ended",
        CivilSocietyOnly = "civil-society-only",
    }
}

impl FinalStatus {
    pub fn status(self) -> PartnershipStatus {
        match self {
            FinalStatus::Ended => PartnershipStatus::Ended,
            FinalStatus::CivilSocietyOnly => PartnershipStatus::CivilSocietyOnly,
        }
    }
}

/// An ending in progress or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ending {
    pub partnership: String,
    pub decision: DecisionRef,
    pub reason: String,
    pub letter_nl: String,
    pub letter_en: String,
    pub letter_sent_on: Option<Date>,
    pub notified_on: Option<Date>,
    pub notified_how: Option<String>,
    pub end_on: Option<Date>,
    pub final_status: Option<FinalStatus>,
}

impl Ending {
    pub fn step(&self) -> EndingStep {
        if self.final_status.is_some() {
            EndingStep::Completed
        } else if self.notified_on.is_some() {
            EndingStep::PartnerNotified
        } else if self.letter_sent_on.is_some() {
            EndingStep::LetterSent
        } else {
            EndingStep::Decided
        }
    }

    /// The date of the last step taken.
    fn last_date(&self) -> Date {
        self.notified_on
            .or(self.letter_sent_on)
            .unwrap_or(self.decision.date)
    }

    /// Records the letter: its (edited) texts and, when given, the day it was sent. Texts left
    /// blank keep the draft.
    pub fn record_letter(&mut self, input: &LetterInput) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.step() != EndingStep::Decided {
            e.push("sentOn", "error-ending-step-done");
            return Err(e);
        }
        let nl = given(&input.letter_nl).and_then(|t| e.check("letterNl", letter(t)));
        let en = given(&input.letter_en).and_then(|t| e.check("letterEn", letter(t)));
        let sent = given(&input.sent_on).and_then(|d| e.check("sentOn", parse_date(d)));
        if let Some(d) = sent
            && d < self.last_date()
        {
            e.push("sentOn", "error-ending-before-previous-step");
        }
        e.finish(|| ())?;
        if let Some(nl) = nl {
            self.letter_nl = nl;
        }
        if let Some(en) = en {
            self.letter_en = en;
        }
        self.letter_sent_on = sent;
        Ok(())
    }

    /// Records that the partner was notified (after the letter was sent).
    pub fn record_notification(&mut self, input: &NotifyInput) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        match self.step() {
            EndingStep::Decided => {
                e.push("on", "error-ending-letter-first");
                return Err(e);
            }
            EndingStep::LetterSent => {}
            _ => {
                e.push("on", "error-ending-step-done");
                return Err(e);
            }
        }
        let on = match given(&input.on) {
            None => {
                e.push("on", "error-required");
                None
            }
            Some(d) => e.check("on", parse_date(d)),
        };
        if let Some(d) = on
            && d < self.last_date()
        {
            e.push("on", "error-ending-before-previous-step");
        }
        let how = given(&input.how).and_then(|h| e.check("how", parse_text(h, 500)));
        e.finish(|| {
            self.notified_on = on;
            self.notified_how = how;
        })
    }

    /// Closes the ending: the end date and the final status (after the partner was notified).
    pub fn complete(&mut self, input: &CompleteInput) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        match self.step() {
            EndingStep::PartnerNotified => {}
            EndingStep::Completed => {
                e.push("endOn", "error-ending-step-done");
                return Err(e);
            }
            _ => {
                e.push("endOn", "error-ending-notify-first");
                return Err(e);
            }
        }
        let end = match given(&input.end_on) {
            None => {
                e.push("endOn", "error-required");
                None
            }
            Some(d) => e.check("endOn", parse_date(d)),
        };
        if let Some(d) = end
            && d < self.last_date()
        {
            e.push("endOn", "error-ending-before-previous-step");
        }
        let status = e.check(
            "finalStatus",
            FinalStatus::parse(given(&input.final_status).unwrap_or("")),
        );
        e.finish(|| {
            self.end_on = end;
            self.final_status = status;
        })
    }
}

fn letter(raw: &str) -> Result<String, &'static str> {
    parse_text(raw, MAX_LETTER)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartInput {
    /// The adopted decision to end it (an id).
    pub decision: Option<String>,
    pub reason: Option<String>,
}

impl StartInput {
    /// The decision's id and the reason (required).
    pub fn parse(&self) -> Result<(String, String), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let decision = match given(&self.decision) {
            None => {
                e.push("decision", "error-required");
                None
            }
            Some(d) if d.len() > 200 || d.chars().any(char::is_control) => {
                e.push("decision", "error-decision-unknown");
                None
            }
            Some(d) => Some(d.to_owned()),
        };
        let reason = match given(&self.reason) {
            None => {
                e.push("reason", "error-required");
                None
            }
            Some(r) => e.check("reason", parse_text(r, 2000)),
        };
        e.finish(|| (decision.expect("checked"), reason.expect("checked")))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterInput {
    pub letter_nl: Option<String>,
    pub letter_en: Option<String>,
    pub sent_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyInput {
    pub on: Option<String>,
    pub how: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompleteInput {
    pub end_on: Option<String>,
    pub final_status: Option<String>,
}

// ---- the letter ------------------------------------------------------------------------------

/// What the letter tells of the bond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BondHistory {
    /// The municipality that holds the partnership today (Leidschendam-Voorburg).
    pub holder: String,
    /// The municipality that entered it, when that is another (Voorburg).
    pub entered_by: Option<String>,
    pub partner: String,
    pub start: PartialDate,
    /// Activities held within the bond, per category.
    pub held: Vec<(Category, u32)>,
    /// The first and last year with a held activity.
    pub first_year: Option<i16>,
    pub last_year: Option<i16>,
    /// The working groups that carry the bond.
    pub groups: Vec<String>,
    pub decision: DecisionRef,
    /// The final status the municipality intends.
    pub intended: FinalStatus,
}

impl BondHistory {
    pub fn total_held(&self) -> u32 {
        self.held.iter().map(|(_, n)| n).sum()
    }

    /// The held activities by the group of their category (culture, sport, professional, ...),
    /// in a fixed order, leaving out empty groups.
    fn by_group(&self) -> Vec<(&'static str, u32)> {
        const ORDER: [&str; 8] = [
            "culture",
            "sport",
            "professional",
            "youth",
            "economy",
            "knowledge-transfer",
            "city-promotion",
            "other",
        ];
        ORDER
            .iter()
            .map(|g| {
                let n = self
                    .held
                    .iter()
                    .filter(|(c, _)| c.group() == *g)
                    .map(|(_, n)| n)
                    .sum();
                (*g, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(names: &[&'static str; 12], d: Date) -> &'static str {
    names[usize::try_from(d.month() - 1).unwrap_or(0)]
}

fn date_nl(d: Date) -> String {
    format!("{} {} {}", d.day(), month(&MONTHS_NL, d), d.year())
}

fn date_en(d: Date) -> String {
    format!("{} {} {}", d.day(), month(&MONTHS_EN, d), d.year())
}

fn group_nl(g: &str, n: u32) -> String {
    let word = match (g, n == 1) {
        ("culture", true) => "culturele activiteit",
        ("culture", false) => "culturele activiteiten",
        ("sport", true) => "sportactiviteit",
        ("sport", false) => "sportactiviteiten",
        ("professional", true) => "beroepsuitwisseling",
        ("professional", false) => "beroepsuitwisselingen",
        ("youth", true) => "jeugdactiviteit",
        ("youth", false) => "jeugdactiviteiten",
        ("economy", true) => "economische activiteit",
        ("economy", false) => "economische activiteiten",
        ("knowledge-transfer", _) => "keer kennisoverdracht",
        ("city-promotion", true) => "activiteit voor stadspromotie",
        ("city-promotion", false) => "activiteiten voor stadspromotie",
        (_, true) => "andere activiteit",
        (_, false) => "andere activiteiten",
    };
    format!("{n} {word}")
}

fn group_en(g: &str, n: u32) -> String {
    let word = match (g, n == 1) {
        ("culture", true) => "cultural activity",
        ("culture", false) => "cultural activities",
        ("sport", true) => "sports activity",
        ("sport", false) => "sports activities",
        ("professional", true) => "professional exchange",
        ("professional", false) => "professional exchanges",
        ("youth", true) => "youth activity",
        ("youth", false) => "youth activities",
        ("economy", true) => "economic activity",
        ("economy", false) => "economic activities",
        ("knowledge-transfer", true) => "knowledge-transfer activity",
        ("knowledge-transfer", false) => "knowledge-transfer activities",
        ("city-promotion", true) => "city-promotion activity",
        ("city-promotion", false) => "city-promotion activities",
        (_, true) => "other activity",
        (_, false) => "other activities",
    };
    format!("{n} {word}")
}

fn list(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn start_nl(s: &PartialDate) -> String {
    match s.date() {
        Some(d) => format!("sinds {}", date_nl(d)),
        None => format!("sinds {}", s.year()),
    }
}

fn start_en(s: &PartialDate) -> String {
    match s.date() {
        Some(d) => format!("since {}", date_en(d)),
        None => format!("since {}", s.year()),
    }
}

/// The draft letter in Dutch and in English. `today` dates it; the bond's age counts whole
/// years from its start year to `today`'s year.
pub fn letter_draft(h: &BondHistory, today: Date) -> (String, String) {
    let years = today.year() - h.start.year();
    let total = h.total_held();
    let groups = h.by_group();
    let span_nl = match (h.first_year, h.last_year) {
        (Some(f), Some(l)) if f != l => format!(" tussen {f} en {l}"),
        (Some(f), _) => format!(" in {f}"),
        _ => String::new(),
    };
    let span_en = match (h.first_year, h.last_year) {
        (Some(f), Some(l)) if f != l => format!(" between {f} and {l}"),
        (Some(f), _) => format!(" in {f}"),
        _ => String::new(),
    };
    let entered_nl = h
        .entered_by
        .as_ref()
        .map(|e| format!(" (aangegaan door de voormalige gemeente {e})"))
        .unwrap_or_default();
    let entered_en = h
        .entered_by
        .as_ref()
        .map(|e| format!(" (entered by the former municipality of {e})"))
        .unwrap_or_default();
    let did_nl = if total == 0 {
        "Ook al zijn er in ons register geen activiteiten vastgelegd, de band heeft veel mensen \
         met elkaar in contact gebracht."
            .to_owned()
    } else {
        let parts: Vec<String> = groups.iter().map(|(g, n)| group_nl(g, *n)).collect();
        if total == 1 {
            format!(
                "In die jaren is er{span_nl} één activiteit gehouden: {}.",
                list(&parts, "en")
            )
        } else {
            format!(
                "In die jaren zijn er{span_nl} in totaal {total} activiteiten gehouden, \
                 waaronder {}.",
                list(&parts, "en")
            )
        }
    };
    let did_en = if total == 0 {
        "Although our register records no activities, the bond brought many people together."
            .to_owned()
    } else {
        let parts: Vec<String> = groups.iter().map(|(g, n)| group_en(g, *n)).collect();
        if total == 1 {
            format!(
                "In those years one activity took place{span_en}: {}.",
                list(&parts, "and")
            )
        } else {
            format!(
                "In those years {total} activities took place{span_en}, among them {}.",
                list(&parts, "and")
            )
        }
    };
    let carried_nl = match (h.intended, h.groups.as_slice()) {
        (FinalStatus::CivilSocietyOnly, []) => {
            " Inwoners en organisaties kunnen de contacten op eigen initiatief voortzetten."
                .to_owned()
        }
        (FinalStatus::CivilSocietyOnly, g) => format!(
            " De contacten kunnen worden voortgezet door {}, zonder betrokkenheid van de \
             gemeente.",
            list(
                &g.iter().map(|n| format!("de {n}")).collect::<Vec<_>>(),
                "en"
            )
        ),
        (FinalStatus::Ended, _) => String::new(),
    };
    let carried_en = match (h.intended, h.groups.as_slice()) {
        (FinalStatus::CivilSocietyOnly, []) => {
            " Residents and organisations remain free to continue the contacts on their own \
             initiative."
                .to_owned()
        }
        (FinalStatus::CivilSocietyOnly, g) => format!(
            " The contacts can be carried on by {}, without the municipality's involvement.",
            list(g, "and")
        ),
        (FinalStatus::Ended, _) => String::new(),
    };
    let d = &h.decision;
    let nl = format!(
        "{holder}, {today_nl}\n\n\
         Aan de burgemeester en het gemeentebestuur van {partner}\n\n\
         Geachte burgemeester,\n\n\
         {since_nl} zijn {holder}{entered_nl} en {partner} met elkaar verbonden door een \
         stedenband: {years_nl} van ontmoetingen tussen onze inwoners, verenigingen en \
         besturen. {did_nl}\n\n\
         Op {decision_date_nl} heeft {body_nl} besloten de stedenband als gemeente te beëindigen \
         ({title}).{carried_nl}\n\n\
         Wij danken u, uw voorgangers en alle inwoners van {partner} die zich voor deze band \
         hebben ingezet, voor hun gastvrijheid en vriendschap. Wat in al die jaren is opgebouwd, \
         blijft van waarde.\n\n\
         Met vriendelijke groet,\n\n\
         De burgemeester van {holder}\n",
        holder = h.holder,
        years_nl = match years {
            ..=0 => "minder dan een jaar".to_owned(),
            1 => "een jaar".to_owned(),
            n => format!("{n} jaar"),
        },
        today_nl = date_nl(today),
        partner = h.partner,
        since_nl = capitalise(&start_nl(&h.start)),
        decision_date_nl = date_nl(d.date),
        body_nl = body_nl(d),
        title = d.title,
    );
    let en = format!(
        "{holder}, {today_en}\n\n\
         To the mayor and the municipal council of {partner}\n\n\
         Dear Mayor,\n\n\
         {since_en}, {holder}{entered_en} and {partner} have been joined by a town twinning: \
         {years_en} of meetings between our residents, associations and councils. {did_en}\n\n\
         On {decision_date_en} {body_en} decided that the municipality ends the twinning \
         ({title}).{carried_en}\n\n\
         We thank you, your predecessors and all the people of {partner} who gave their time to \
         this bond for their hospitality and friendship. What was built over these years keeps \
         its value.\n\n\
         Yours sincerely,\n\n\
         The Mayor of {holder}\n",
        holder = h.holder,
        years_en = match years {
            ..=0 => "less than a year".to_owned(),
            1 => "a year".to_owned(),
            n => format!("{n} years"),
        },
        today_en = date_en(today),
        partner = h.partner,
        since_en = capitalise(&start_en(&h.start)),
        decision_date_en = date_en(d.date),
        body_en = body_en(d),
        title = d.title,
    );
    (nl, en)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn body_nl(d: &DecisionRef) -> &'static str {
    match d.body {
        crate::decision::Body::Council => "de gemeenteraad",
        crate::decision::Body::MayorAndAldermen => "het college van burgemeester en wethouders",
        crate::decision::Body::Mayor => "de burgemeester",
    }
}

fn body_en(d: &DecisionRef) -> &'static str {
    match d.body {
        crate::decision::Body::Council => "the municipal council",
        crate::decision::Body::MayorAndAldermen => "the mayor and aldermen",
        crate::decision::Body::Mayor => "the mayor",
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ending of {} ({})", self.partnership, self.step())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::Body;
    use jiff::civil::date;

    fn history() -> BondHistory {
        BondHistory {
            holder: "Leidschendam-Voorburg".into(),
            entered_by: Some("Voorburg".into()),
            partner: "Hranice".into(),
            start: PartialDate::parse("1990").unwrap(),
            held: vec![
                (Category::Music, 3),
                (Category::Choir, 2),
                (Category::Police, 1),
            ],
            first_year: Some(1991),
            last_year: Some(2017),
            groups: vec!["Werkgroep Hranice".into()],
            decision: DecisionRef {
                id: "d".into(),
                date: date(2018, 3, 12),
                body: Body::Council,
                reference: None,
                title: "Stedenbanden beëindigen (optie A)".into(),
            },
            intended: FinalStatus::CivilSocietyOnly,
        }
    }

    #[test]
    fn the_letter_tells_the_years_and_what_was_done() {
        let (nl, en) = letter_draft(&history(), date(2018, 4, 1));
        assert!(nl.contains("Sinds 1990 zijn Leidschendam-Voorburg"), "{nl}");
        assert!(nl.contains("28 jaar"), "{nl}");
        assert!(
            nl.contains("tussen 1991 en 2017 in totaal 6 activiteiten"),
            "{nl}"
        );
        assert!(nl.contains("5 culturele activiteiten en 1 beroepsuitwisseling"));
        assert!(nl.contains("12 maart 2018"));
        assert!(nl.contains("de Werkgroep Hranice"));
        assert!(en.contains("Since 1990, Leidschendam-Voorburg"), "{en}");
        assert!(en.contains("28 years"));
        assert!(en.contains("6 activities took place between 1991 and 2017"));
        assert!(en.contains("12 March 2018"));
    }

    fn ending() -> Ending {
        Ending {
            partnership: "p".into(),
            decision: history().decision,
            reason: "Optie A".into(),
            letter_nl: "nl".into(),
            letter_en: "en".into(),
            letter_sent_on: None,
            notified_on: None,
            notified_how: None,
            end_on: None,
            final_status: None,
        }
    }

    #[test]
    fn the_steps_go_in_order() {
        let mut e = ending();
        let err = e
            .complete(&CompleteInput {
                end_on: Some("2018-12-31".into()),
                final_status: Some("ended".into()),
            })
            .unwrap_err();
        assert_eq!(err.0[0].key, "error-ending-notify-first");
        let err = e
            .record_notification(&NotifyInput {
                on: Some("2018-05-01".into()),
                how: None,
            })
            .unwrap_err();
        assert_eq!(err.0[0].key, "error-ending-letter-first");
        let err = e
            .record_letter(&LetterInput {
                sent_on: Some("2018-01-01".into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.0[0].key, "error-ending-before-previous-step");
        assert_eq!(e, ending(), "a refused step changes nothing");
        e.record_letter(&LetterInput {
            letter_nl: Some("Geachte burgemeester".into()),
            sent_on: Some("2018-04-02".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(e.letter_nl, "Geachte burgemeester");
        assert_eq!(e.letter_en, "en");
        e.record_notification(&NotifyInput {
            on: Some("2018-04-20".into()),
            how: Some("Bezoek van de burgemeester".into()),
        })
        .unwrap();
        e.complete(&CompleteInput {
            end_on: Some("2018-12-31".into()),
            final_status: Some("civil-society-only".into()),
        })
        .unwrap();
        assert_eq!(e.step(), EndingStep::Completed);
        assert!(
            e.complete(&CompleteInput {
                end_on: Some("2019-01-01".into()),
                final_status: Some("ended".into()),
            })
            .is_err()
        );
    }
}
