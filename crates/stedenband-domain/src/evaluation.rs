//! Evaluations of a municipality's twinnings: who asked for them and why, who carried them out,
//! the question, the period looked at, the partnerships covered, the criteria with what was
//! found on each, the conclusions, and the recommendations with what became of them.
//!
//! The seed holds two: the VNG's study of 2004 (effectiveness, efficiency and future
//! possibilities of the three twinnings, with three recommendations) and the evaluation of 2009
//! after a council motion (usefulness, necessity and functionality over 2004-2008, with its
//! conclusions). An evaluation is entered as raw strings ([`EvaluationInput`]) and parsed into
//! an [`EvaluationDraft`]; what became of a recommendation is recorded later on its own
//! ([`FollowUpInput`] → [`FollowUp`]).
//!
//! Repeated items are named in errors by their place in the input, counted from zero:
//! `criteria[0].finding`, `conclusions[2]`, `recommendations[1].date`. Wholly blank items (an
//! empty criterion row of a form) are skipped, so their numbers still point at the input.

use crate::date::{MAX_YEAR, MIN_YEAR, parse_date};
use crate::error::ValidationErrors;
use crate::partnership::choice;
use crate::report::Aspect;
use crate::text::Name;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// At most this many partnerships, criteria, conclusions or recommendations in one evaluation.
pub const MAX_ITEMS: usize = 50;
/// Longest free text (a research question, a finding, a conclusion, a recommendation, a note).
pub const MAX_TEXT: usize = 4000;

choice! {
    /// What became of a recommendation: nothing decided yet, adopted, or rejected.
    FollowUpStatus {
        Open = "open",
        Adopted = "adopted",
        Rejected = "rejected",
    }
}

// ---- field names of repeated items ------------------------------------------------------------

/// The names of the fields of the items at places 0..[`MAX_ITEMS`], as `&'static str` (the
/// type [`ValidationErrors`] names fields with), written out once by the compiler.
macro_rules! item_fields {
    ($($i:literal)+) => {
        const CRITERION_NAME: [&str; MAX_ITEMS] = [$(concat!("criteria[", $i, "].name")),+];
        const CRITERION_ASPECT: [&str; MAX_ITEMS] = [$(concat!("criteria[", $i, "].aspect")),+];
        const CRITERION_FINDING: [&str; MAX_ITEMS] = [$(concat!("criteria[", $i, "].finding")),+];
        const CONCLUSION: [&str; MAX_ITEMS] = [$(concat!("conclusions[", $i, "]")),+];
        const RECOMMENDATION_TEXT: [&str; MAX_ITEMS] = [$(concat!("recommendations[", $i, "].text")),+];
        const RECOMMENDATION_STATUS: [&str; MAX_ITEMS] = [$(concat!("recommendations[", $i, "].status")),+];
        const RECOMMENDATION_DATE: [&str; MAX_ITEMS] = [$(concat!("recommendations[", $i, "].date")),+];
        const RECOMMENDATION_NOTE: [&str; MAX_ITEMS] = [$(concat!("recommendations[", $i, "].note")),+];
    };
}

item_fields!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33
    34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49
);

/// The field names of the criterion at place `i`: name, aspect, finding.
pub fn criterion_fields(i: usize) -> Option<[&'static str; 3]> {
    (i < MAX_ITEMS).then(|| [CRITERION_NAME[i], CRITERION_ASPECT[i], CRITERION_FINDING[i]])
}

/// The field name of the conclusion at place `i`.
pub fn conclusion_field(i: usize) -> Option<&'static str> {
    CONCLUSION.get(i).copied()
}

/// The field names of the recommendation at place `i`: text, status, date, note.
pub fn recommendation_fields(i: usize) -> Option<[&'static str; 4]> {
    (i < MAX_ITEMS).then(|| {
        [
            RECOMMENDATION_TEXT[i],
            RECOMMENDATION_STATUS[i],
            RECOMMENDATION_DATE[i],
            RECOMMENDATION_NOTE[i],
        ]
    })
}

/// Where a field name of a repeated item points: the list (`criteria`, `conclusions`,
/// `recommendations`), the place in it, and the part (`""` for a conclusion).
pub fn item_of(field: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = field.split_once('[')?;
    let (index, part) = rest.split_once(']')?;
    let index: usize = index.parse().ok()?;
    Some((list, index, part.trim_start_matches('.')))
}

// ---- texts ----------------------------------------------------------------------------------------

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A free text of up to [`MAX_TEXT`] characters: trimmed, line breaks kept (as `\n`), no other
/// control characters (no tabs either).
pub fn parse_long_text(raw: &str) -> Result<String, &'static str> {
    let s = raw.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    if s.is_empty() {
        Err("error-required")
    } else if s.chars().count() > MAX_TEXT {
        Err("error-too-long")
    } else if s.chars().any(|c| c.is_control() && c != '\n') {
        Err("error-control-characters")
    } else {
        Ok(s.to_owned())
    }
}

fn year(raw: &str) -> Result<i16, &'static str> {
    let y: i16 = raw.trim().parse().map_err(|_| "error-year-invalid")?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err("error-year-out-of-range");
    }
    Ok(y)
}

/// A reference to another record (an id or a slug), resolved by the service layer.
fn reference(raw: &str) -> Result<String, &'static str> {
    if raw.len() > 200 || raw.chars().any(char::is_control) {
        Err("error-choice-invalid")
    } else {
        Ok(raw.to_owned())
    }
}

// ---- values ---------------------------------------------------------------------------------------

/// The years an evaluation looked at, both included (2004-2008).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: i16,
    pub to: i16,
}

impl Period {
    pub fn new(from: i16, to: i16) -> Result<Self, &'static str> {
        for y in [from, to] {
            if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
                return Err("error-year-out-of-range");
            }
        }
        if to < from {
            return Err("error-evaluation-period-reversed");
        }
        Ok(Self { from, to })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// A criterion the evaluation judged, with what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// As the evaluation names it ("Effectiviteit", "Nut").
    pub name: Name,
    pub aspect: Aspect,
    pub finding: String,
}

/// What became of a recommendation, and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub status: FollowUpStatus,
    /// The date of the decision; always there once adopted or rejected.
    pub date: Option<Date>,
    pub note: Option<String>,
}

impl FollowUp {
    /// Nothing decided, nothing noted.
    pub fn open() -> Self {
        Self {
            status: FollowUpStatus::Open,
            date: None,
            note: None,
        }
    }

    /// Rebuilds a stored follow-up: a decision has a date.
    pub fn new(
        status: FollowUpStatus,
        date: Option<Date>,
        note: Option<String>,
    ) -> Result<Self, &'static str> {
        if status != FollowUpStatus::Open && date.is_none() {
            return Err("error-evaluation-follow-up-date-required");
        }
        Ok(Self { status, date, note })
    }

    /// Reads a follow-up as entered. `evaluation_year` is the year of the evaluation (the date
    /// may not lie before it); `today` bounds it from above.
    pub fn parse(
        input: &FollowUpInput,
        evaluation_year: i16,
        today: Date,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let f = parse_follow_up(
            &mut e,
            input,
            Some(evaluation_year),
            today,
            ["status", "date", "note"],
        );
        e.finish(|| f.expect("checked"))
    }
}

/// A recommendation and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub text: String,
    pub follow_up: FollowUp,
}

// ---- input ----------------------------------------------------------------------------------------

/// A criterion as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CriterionInput {
    pub name: Option<String>,
    /// An [`Aspect`] code (`effectiveness`, `usefulness`, ..., `other`).
    pub aspect: Option<String>,
    pub finding: Option<String>,
}

impl CriterionInput {
    fn is_blank(&self) -> bool {
        given(&self.name).is_none()
            && given(&self.aspect).is_none()
            && given(&self.finding).is_none()
    }
}

/// What became of a recommendation, as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpInput {
    /// `open`, `adopted` or `rejected`.
    pub status: Option<String>,
    /// The date of the decision (YYYY-MM-DD); required unless open.
    pub date: Option<String>,
    pub note: Option<String>,
}

impl FollowUpInput {
    fn is_blank(&self) -> bool {
        given(&self.status).is_none() && given(&self.date).is_none() && given(&self.note).is_none()
    }
}

/// A recommendation as entered; without a follow-up it is open.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecommendationInput {
    pub text: Option<String>,
    pub follow_up: FollowUpInput,
}

/// An evaluation as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvaluationInput {
    /// The evaluating municipality (id or slug).
    pub municipality: Option<String>,
    /// The year it was carried out (or published).
    pub year: Option<String>,
    pub title: Option<String>,
    pub commissioned_by: Option<String>,
    pub carried_out_by: Option<String>,
    /// Why it was held ("Motie Gemeentebelangen").
    pub occasion: Option<String>,
    pub research_question: Option<String>,
    /// The years looked at: both or neither.
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// The partnerships covered (ids), all of the evaluating municipality.
    pub partnerships: Vec<String>,
    pub criteria: Vec<CriterionInput>,
    pub conclusions: Vec<String>,
    pub recommendations: Vec<RecommendationInput>,
}

/// The valid content of an evaluation. References stay keys here; the service layer resolves
/// the municipality to its id and checks that the partnerships are the municipality's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDraft {
    pub municipality: String,
    pub year: i16,
    pub title: Name,
    pub commissioned_by: Option<Name>,
    pub carried_out_by: Option<Name>,
    pub occasion: Option<Name>,
    /// The decision that occasioned it (an id), once decisions are recorded; not entered yet.
    pub occasion_decision: Option<String>,
    pub research_question: Option<String>,
    pub period: Option<Period>,
    pub partnerships: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub conclusions: Vec<String>,
    pub recommendations: Vec<Recommendation>,
}

fn required<T>(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match given(raw) {
        None => {
            e.push(field, "error-required");
            None
        }
        Some(t) => e.check(field, parse(t)),
    }
}

fn optional<T>(
    e: &mut ValidationErrors,
    field: &'static str,
    raw: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Option<T> {
    given(raw).and_then(|t| e.check(field, parse(t)))
}

/// Reads a follow-up, naming its fields `names` (status, date, note). `year` is the
/// evaluation's year when it is known.
fn parse_follow_up(
    e: &mut ValidationErrors,
    input: &FollowUpInput,
    year: Option<i16>,
    today: Date,
    names: [&'static str; 3],
) -> Option<FollowUp> {
    let [status_field, date_field, note_field] = names;
    let before = e.0.len();
    let status = required(e, status_field, &input.status, FollowUpStatus::parse);
    let date = optional(e, date_field, &input.date, parse_date);
    if let Some(d) = date {
        if year.is_some_and(|y| d.year() < y) {
            e.push(date_field, "error-evaluation-follow-up-before");
        } else if d > today {
            e.push(date_field, "error-evaluation-follow-up-future");
        }
    }
    if status.is_some_and(|s| s != FollowUpStatus::Open) && given(&input.date).is_none() {
        e.push(date_field, "error-evaluation-follow-up-date-required");
    }
    let note = optional(e, note_field, &input.note, parse_long_text);
    (e.0.len() == before).then(|| FollowUp {
        status: status.expect("checked"),
        date,
        note,
    })
}

impl EvaluationDraft {
    /// Checks every field and reports all that are wrong at once. `today` bounds the year and
    /// the follow-ups' dates.
    pub fn parse(i: &EvaluationInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let municipality = required(&mut e, "municipality", &i.municipality, reference);
        let year = required(&mut e, "year", &i.year, year);
        if year.is_some_and(|y| y > today.year()) {
            e.push("year", "error-evaluation-year-future");
        }
        let title = required(&mut e, "title", &i.title, Name::parse);
        let commissioned_by = optional(&mut e, "commissionedBy", &i.commissioned_by, Name::parse);
        let carried_out_by = optional(&mut e, "carriedOutBy", &i.carried_out_by, Name::parse);
        let occasion = optional(&mut e, "occasion", &i.occasion, Name::parse);
        let research_question = optional(
            &mut e,
            "researchQuestion",
            &i.research_question,
            parse_long_text,
        );
        let period = Self::period(&mut e, i, year);
        let partnerships = Self::partnerships(&mut e, &i.partnerships);

        let mut criteria = Vec::new();
        if i.criteria.len() > MAX_ITEMS {
            e.push("criteria", "error-evaluation-too-many");
        } else {
            for (n, c) in i.criteria.iter().enumerate() {
                if c.is_blank() {
                    continue;
                }
                let [name_f, aspect_f, finding_f] = criterion_fields(n).expect("within the limit");
                let name = required(&mut e, name_f, &c.name, Name::parse);
                let aspect = required(&mut e, aspect_f, &c.aspect, Aspect::parse);
                let finding = required(&mut e, finding_f, &c.finding, parse_long_text);
                if let (Some(name), Some(aspect), Some(finding)) = (name, aspect, finding) {
                    criteria.push(Criterion {
                        name,
                        aspect,
                        finding,
                    });
                }
            }
        }

        let mut conclusions = Vec::new();
        if i.conclusions.len() > MAX_ITEMS {
            e.push("conclusions", "error-evaluation-too-many");
        } else {
            for (n, c) in i.conclusions.iter().enumerate() {
                if c.trim().is_empty() {
                    continue;
                }
                let field = conclusion_field(n).expect("within the limit");
                if let Some(c) = e.check(field, parse_long_text(c)) {
                    conclusions.push(c);
                }
            }
        }

        let mut recommendations = Vec::new();
        if i.recommendations.len() > MAX_ITEMS {
            e.push("recommendations", "error-evaluation-too-many");
        } else {
            for (n, r) in i.recommendations.iter().enumerate() {
                if given(&r.text).is_none() && r.follow_up.is_blank() {
                    continue;
                }
                let [text_f, status_f, date_f, note_f] =
                    recommendation_fields(n).expect("within the limit");
                let text = required(&mut e, text_f, &r.text, parse_long_text);
                let follow_up = if r.follow_up.is_blank() {
                    Some(FollowUp::open())
                } else {
                    parse_follow_up(
                        &mut e,
                        &r.follow_up,
                        year,
                        today,
                        [status_f, date_f, note_f],
                    )
                };
                if let (Some(text), Some(follow_up)) = (text, follow_up) {
                    recommendations.push(Recommendation { text, follow_up });
                }
            }
        }

        e.finish(|| EvaluationDraft {
            municipality: municipality.expect("checked"),
            year: year.expect("checked"),
            title: title.expect("checked"),
            commissioned_by,
            carried_out_by,
            occasion,
            occasion_decision: None,
            research_question,
            period,
            partnerships,
            criteria,
            conclusions,
            recommendations,
        })
    }

    /// Both years or neither; not reversed; not ending after the evaluation's own year.
    fn period(e: &mut ValidationErrors, i: &EvaluationInput, year: Option<i16>) -> Option<Period> {
        let from = optional(e, "periodFrom", &i.period_from, self::year);
        let to = optional(e, "periodTo", &i.period_to, self::year);
        match (given(&i.period_from), given(&i.period_to)) {
            (None, None) => return None,
            (Some(_), None) => e.push("periodTo", "error-required"),
            (None, Some(_)) => e.push("periodFrom", "error-required"),
            _ => {}
        }
        let (from, to) = (from?, to?);
        match Period::new(from, to) {
            Err(key) => {
                e.push("periodTo", key);
                None
            }
            Ok(_) if year.is_some_and(|y| to > y) => {
                e.push("periodTo", "error-evaluation-period-after-year");
                None
            }
            Ok(p) => Some(p),
        }
    }

    /// At least one, each once, at most [`MAX_ITEMS`].
    fn partnerships(e: &mut ValidationErrors, raw: &[String]) -> Vec<String> {
        if raw.len() > MAX_ITEMS {
            e.push("partnerships", "error-evaluation-too-many");
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for p in raw.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            match reference(p) {
                Err(key) => e.push("partnerships", key),
                Ok(p) if out.contains(&p) => {
                    e.push("partnerships", "error-evaluation-partnership-twice")
                }
                Ok(p) => out.push(p),
            }
        }
        if out.is_empty() && !e.has("partnerships") {
            e.push("partnerships", "error-evaluation-partnerships-required");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn today() -> Date {
        Date::new(2017, 6, 1).unwrap()
    }

    fn keys(e: ValidationErrors) -> Vec<(&'static str, &'static str)> {
        e.0.iter().map(|f| (f.field, f.key)).collect()
    }

    fn seed_2009() -> EvaluationInput {
        EvaluationInput {
            municipality: s("leidschendam-voorburg"),
            year: s("2009"),
            title: s("Nut, noodzaak en functionaliteit van de stedenbanden"),
            occasion: s("Motie Gemeentebelangen"),
            period_from: s("2004"),
            period_to: s("2008"),
            partnerships: vec!["a".into(), "b".into(), "c".into()],
            criteria: vec![
                CriterionInput {
                    name: s("Nut"),
                    aspect: s("usefulness"),
                    finding: s("Het belang ligt in nut en functionaliteit."),
                },
                CriterionInput::default(),
                CriterionInput {
                    name: s("Noodzaak"),
                    aspect: s("necessity"),
                    finding: s("Geen absolute noodzaak."),
                },
            ],
            conclusions: vec![
                "Er kan geen absolute noodzaak worden geconcludeerd.".into(),
                "  ".into(),
                "De stedenbanden worden zeer efficiënt onderhouden.\r\nTweede regel.".into(),
            ],
            recommendations: vec![RecommendationInput {
                text: s("Kennisoverdracht in plaats van vriendschapsbanden."),
                follow_up: FollowUpInput::default(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_seeds_2009_evaluation_is_read() {
        let d = EvaluationDraft::parse(&seed_2009(), today()).unwrap();
        assert_eq!(d.year, 2009);
        assert_eq!(
            d.period,
            Some(Period {
                from: 2004,
                to: 2008
            })
        );
        assert_eq!(d.period.unwrap().to_string(), "2004-2008");
        assert_eq!(d.occasion.unwrap().as_str(), "Motie Gemeentebelangen");
        // The blank criterion row and the blank line are skipped.
        assert_eq!(d.criteria.len(), 2);
        assert_eq!(d.criteria[1].aspect, Aspect::Necessity);
        assert_eq!(d.conclusions.len(), 2);
        assert_eq!(
            d.conclusions[1],
            "De stedenbanden worden zeer efficiënt onderhouden.\nTweede regel."
        );
        assert_eq!(d.recommendations[0].follow_up, FollowUp::open());
        assert_eq!(d.occasion_decision, None);
    }

    #[test]
    fn missing_and_wrong_fields_are_all_named() {
        let e = EvaluationDraft::parse(&EvaluationInput::default(), today()).unwrap_err();
        assert_eq!(
            keys(e),
            [
                ("municipality", "error-required"),
                ("year", "error-required"),
                ("title", "error-required"),
                ("partnerships", "error-evaluation-partnerships-required"),
            ]
        );
        let mut i = seed_2009();
        i.year = s("tweeduizend");
        i.period_from = s("2008");
        i.period_to = s("2004");
        i.criteria[0].aspect = s("gezelligheid");
        i.criteria[2].finding = None;
        i.conclusions[2] = "met\ttab".into();
        i.partnerships.push("a".into());
        let k = keys(EvaluationDraft::parse(&i, today()).unwrap_err());
        for expected in [
            ("year", "error-year-invalid"),
            ("periodTo", "error-evaluation-period-reversed"),
            ("partnerships", "error-evaluation-partnership-twice"),
            ("criteria[0].aspect", "error-choice-invalid"),
            ("criteria[2].finding", "error-required"),
            ("conclusions[2]", "error-control-characters"),
        ] {
            assert!(k.contains(&expected), "{expected:?} in {k:?}");
        }
    }

    #[test]
    fn a_period_has_both_ends_and_lies_before_the_evaluation() {
        let mut i = seed_2009();
        i.period_to = None;
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("periodTo", "error-required")]
        );
        let mut i = seed_2009();
        i.period_from = None;
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("periodFrom", "error-required")]
        );
        let mut i = seed_2009();
        i.period_to = s("2010");
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("periodTo", "error-evaluation-period-after-year")]
        );
        let mut i = seed_2009();
        i.period_from = None;
        i.period_to = None;
        assert_eq!(EvaluationDraft::parse(&i, today()).unwrap().period, None);
        let mut i = seed_2009();
        i.year = s("2018");
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("year", "error-evaluation-year-future")]
        );
    }

    #[test]
    fn counts_and_lengths_are_limited() {
        let mut i = seed_2009();
        i.criteria = vec![CriterionInput::default(); MAX_ITEMS + 1];
        i.conclusions = vec!["x".into(); MAX_ITEMS + 1];
        i.recommendations = vec![RecommendationInput::default(); MAX_ITEMS + 1];
        i.partnerships = vec!["p".into(); MAX_ITEMS + 1];
        let k = keys(EvaluationDraft::parse(&i, today()).unwrap_err());
        assert_eq!(
            k,
            [
                ("partnerships", "error-evaluation-too-many"),
                ("criteria", "error-evaluation-too-many"),
                ("conclusions", "error-evaluation-too-many"),
                ("recommendations", "error-evaluation-too-many"),
            ]
        );
        // Exactly the limit is fine, and the last place has its own name.
        let mut i = seed_2009();
        i.conclusions = vec!["x".into(); MAX_ITEMS];
        assert_eq!(
            EvaluationDraft::parse(&i, today())
                .unwrap()
                .conclusions
                .len(),
            50
        );
        i.conclusions[MAX_ITEMS - 1] = "y".repeat(MAX_TEXT + 1);
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("conclusions[49]", "error-too-long")]
        );
        let mut i = seed_2009();
        i.title = s(&"t".repeat(201));
        i.research_question = s(&"v".repeat(MAX_TEXT));
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [("title", "error-too-long")]
        );
        assert_eq!(parse_long_text("a\u{0}b"), Err("error-control-characters"));
        assert_eq!(parse_long_text(" \r\n "), Err("error-required"));
    }

    #[test]
    fn follow_ups_are_dated_within_the_evaluation_and_today() {
        let f = |status: &str, date: Option<&str>| FollowUpInput {
            status: s(status),
            date: date.map(str::to_owned),
            note: s("Raadsbesluit"),
        };
        let ok = FollowUp::parse(&f("adopted", Some("2011-11-08")), 2004, today()).unwrap();
        assert_eq!(ok.status, FollowUpStatus::Adopted);
        assert_eq!(ok.date, Some(Date::new(2011, 11, 8).unwrap()));
        assert!(FollowUp::parse(&f("open", None), 2004, today()).is_ok());
        assert!(FollowUp::parse(&f("rejected", Some("2004-01-01")), 2004, today()).is_ok());
        let err = |i: FollowUpInput| keys(FollowUp::parse(&i, 2004, today()).unwrap_err());
        assert_eq!(
            err(f("adopted", None)),
            [("date", "error-evaluation-follow-up-date-required")]
        );
        assert_eq!(
            err(f("rejected", Some("2003-12-31"))),
            [("date", "error-evaluation-follow-up-before")]
        );
        assert_eq!(
            err(f("adopted", Some("2017-06-02"))),
            [("date", "error-evaluation-follow-up-future")]
        );
        assert_eq!(err(f("maybe", None)), [("status", "error-choice-invalid")]);
        assert_eq!(
            err(FollowUpInput::default()),
            [("status", "error-required")]
        );
        assert_eq!(
            err(f("adopted", Some("2011"))),
            [("date", "error-date-full-required")]
        );
        // Inside an evaluation the fields are named by the recommendation's place.
        let mut i = seed_2009();
        i.recommendations.insert(0, RecommendationInput::default());
        i.recommendations[1].follow_up = f("adopted", None);
        assert_eq!(
            keys(EvaluationDraft::parse(&i, today()).unwrap_err()),
            [(
                "recommendations[1].date",
                "error-evaluation-follow-up-date-required"
            )]
        );
        assert_eq!(
            FollowUp::new(FollowUpStatus::Adopted, None, None),
            Err("error-evaluation-follow-up-date-required")
        );
    }

    #[test]
    fn field_names_point_back_at_their_items() {
        assert_eq!(criterion_fields(0).unwrap()[2], "criteria[0].finding");
        assert_eq!(criterion_fields(49).unwrap()[0], "criteria[49].name");
        assert_eq!(criterion_fields(50), None);
        assert_eq!(conclusion_field(7), Some("conclusions[7]"));
        assert_eq!(
            recommendation_fields(3).unwrap(),
            [
                "recommendations[3].text",
                "recommendations[3].status",
                "recommendations[3].date",
                "recommendations[3].note"
            ]
        );
        assert_eq!(
            item_of("criteria[12].aspect"),
            Some(("criteria", 12, "aspect"))
        );
        assert_eq!(item_of("conclusions[2]"), Some(("conclusions", 2, "")));
        assert_eq!(item_of("title"), None);
    }
}
