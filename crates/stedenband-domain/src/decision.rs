//! Council decisions and motions, and the rules that follow from them.
//!
//! A decision is taken by a body (the council, the mayor and aldermen, the mayor), is of a kind
//! (a decision, a motion, an amendment, a letter to the council) and has an outcome. It names
//! what it affects (partnerships, subsidies, schedules, evaluations, working groups), so each of
//! those pages can list the decisions about it in time order.
//!
//! An adopted decision can carry [`Rule`]s that the system enforces from the rule's date: *no new
//! twinnings* (a new partnership of the municipality as initiator is refused, citing the
//! decision; project-based cooperation with an end date and private initiatives stay allowed, as
//! the seed's annex says), *subsidy ends* (linked to a phase-out schedule: a yearly-budget grant,
//! or one under that schedule, for a year from the schedule's end is refused), *no budget line*
//! and *no staff capacity* (shown on the overviews). A later decision can lift a rule; the rule
//! keeps its history (imposed by, lifted by).

use crate::date::{MAX_YEAR, MIN_YEAR, parse_date};
use crate::error::{ValidationErrors, given};
use crate::partnership::{Initiator, PartnershipDraft, PartnershipKind, choice};
use crate::text::Name;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// At most this many affected objects or rules in one decision.
pub const MAX_ITEMS: usize = 50;
/// Longest text of a decision.
pub const MAX_TEXT: usize = 20_000;
/// Longest reference number or source address.
pub const MAX_REF: usize = 500;

choice! {
    /// Who took the decision.
    Body {
        Council = "council",
        MayorAndAldermen = "mayor-and-aldermen",
        Mayor = "mayor",
    }
}

choice! {
    /// What kind of document it is.
    DecisionKind {
        Decision = "decision",
        Motion = "motion",
        Amendment = "amendment",
        LetterToCouncil = "letter-to-council",
    }
}

choice! {
    /// What became of it. A proposal not yet voted on is `proposed`.
    DecisionOutcome {
        Proposed = "proposed",
        Adopted = "adopted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

choice! {
    /// The kinds of record a decision can be about.
    AffectedKind {
        Partnership = "partnership",
        Subsidy = "subsidy",
        Schedule = "schedule",
        Evaluation = "evaluation",
        WorkingGroup = "working-group",
    }
}

choice! {
    /// The rules the system enforces or shows.
    RuleKind {
        NoNewTwinnings = "no-new-twinnings",
        SubsidyEnds = "subsidy-ends",
        NoBudgetLine = "no-budget-line",
        NoStaffCapacity = "no-staff-capacity",
    }
}

macro_rules! item_fields {
    ($($i:literal)+) => {
        const AFFECT_KIND: [&str; MAX_ITEMS] = [$(concat!("affects[", $i, "].kind")),+];
        const AFFECT_ID: [&str; MAX_ITEMS] = [$(concat!("affects[", $i, "].id")),+];
        const RULE_KIND: [&str; MAX_ITEMS] = [$(concat!("rules[", $i, "].kind")),+];
        const RULE_FROM: [&str; MAX_ITEMS] = [$(concat!("rules[", $i, "].from")),+];
        const RULE_SCHEDULE: [&str; MAX_ITEMS] = [$(concat!("rules[", $i, "].schedule")),+];
        const LIFTS: [&str; MAX_ITEMS] = [$(concat!("lifts[", $i, "]")),+];
    };
}

item_fields!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33
    34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49
);

/// The field names of the affected object at place `i`: kind, id.
pub fn affect_fields(i: usize) -> Option<[&'static str; 2]> {
    (i < MAX_ITEMS).then(|| [AFFECT_KIND[i], AFFECT_ID[i]])
}

/// The field names of the rule at place `i`: kind, from, schedule.
pub fn rule_fields(i: usize) -> Option<[&'static str; 3]> {
    (i < MAX_ITEMS).then(|| [RULE_KIND[i], RULE_FROM[i], RULE_SCHEDULE[i]])
}

/// The field name of the lifted rule at place `i`.
pub fn lift_field(i: usize) -> Option<&'static str> {
    LIFTS.get(i).copied()
}

// ---- values ---------------------------------------------------------------------------------

/// Votes for and against, where known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Votes {
    pub for_: u16,
    pub against: u16,
}

/// One record a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Affected {
    pub kind: AffectedKind,
    pub id: String,
}

/// A rule as entered with a decision (or on its own for an existing one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDraft {
    pub kind: RuleKind,
    /// From when it holds; `None`: from the decision's date (for *subsidy ends*: from the
    /// schedule's end).
    pub from: Option<Date>,
    /// For *subsidy ends*: the phase-out schedule (an id).
    pub schedule: Option<String>,
}

/// The valid content of a decision. `municipality` is the deciding municipality's id once the
/// service has resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    pub municipality: String,
    pub date: Date,
    pub body: Body,
    pub kind: DecisionKind,
    pub reference: Option<String>,
    pub title: Name,
    pub text: Option<String>,
    pub outcome: DecisionOutcome,
    pub votes: Option<Votes>,
    pub source_url: Option<String>,
    pub affects: Vec<Affected>,
    pub rules: Vec<RuleDraft>,
    /// Rules (ids) this decision lifts from its date.
    pub lifts: Vec<String>,
}

/// A decision as entered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionInput {
    pub municipality: Option<String>,
    pub date: Option<String>,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub reference: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub outcome: Option<String>,
    pub votes_for: Option<String>,
    pub votes_against: Option<String>,
    pub source_url: Option<String>,
    pub affects: Vec<AffectedInput>,
    pub rules: Vec<RuleInput>,
    pub lifts: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AffectedInput {
    pub kind: Option<String>,
    pub id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleInput {
    pub kind: Option<String>,
    pub from: Option<String>,
    pub schedule: Option<String>,
}

/// A free text: trimmed, line breaks kept, no other control characters.
pub fn parse_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let s = raw.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    if s.chars().count() > max {
        Err("error-too-long")
    } else if s.chars().any(|c| c.is_control() && c != '\n') {
        Err("error-control-characters")
    } else {
        Ok(s.to_owned())
    }
}

/// A reference to another record (an id or a key), resolved by the service layer.
fn reference(raw: &str) -> Result<String, &'static str> {
    if raw.len() > 200 || raw.chars().any(char::is_control) {
        Err("error-choice-invalid")
    } else {
        Ok(raw.trim().to_owned())
    }
}

/// An http(s) address of a source, such as the council information system.
pub fn parse_source_url(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("error-url-invalid")?;
    if s.len() > MAX_REF
        || rest.is_empty()
        || rest.starts_with('/')
        || s.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("error-url-invalid");
    }
    Ok(s.to_owned())
}

fn votes(raw: &str) -> Result<u16, &'static str> {
    raw.trim()
        .parse::<u16>()
        .ok()
        .filter(|v| *v <= 10_000)
        .ok_or("error-votes-invalid")
}

fn decision_date(raw: &str) -> Result<Date, &'static str> {
    let d = parse_date(raw)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        return Err("error-year-out-of-range");
    }
    Ok(d)
}

impl DecisionDraft {
    /// Checks every field and reports all that are wrong at once. A decision marked adopted
    /// cannot be dated after `today`; rules come only with an adopted decision.
    pub fn parse(input: &DecisionInput, today: Date) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let municipality = match given(&input.municipality) {
            None => {
                e.push("municipality", "error-required");
                None
            }
            Some(m) => e.check("municipality", reference(m)),
        };
        let date = match given(&input.date) {
            None => {
                e.push("date", "error-required");
                None
            }
            Some(d) => e.check("date", decision_date(d)),
        };
        let body = e.check("body", Body::parse(given(&input.body).unwrap_or("")));
        let kind = e.check(
            "kind",
            DecisionKind::parse(given(&input.kind).unwrap_or("")),
        );
        let outcome = e.check(
            "outcome",
            DecisionOutcome::parse(given(&input.outcome).unwrap_or("")),
        );
        if let (Some(d), Some(DecisionOutcome::Adopted)) = (date, outcome)
            && d > today
        {
            e.push("outcome", "error-decision-adopted-in-future");
        }
        let reference_no = given(&input.reference).and_then(|r| {
            e.check(
                "reference",
                parse_text(r, MAX_REF).and_then(|t| {
                    if t.contains('\n') {
                        Err("error-control-characters")
                    } else {
                        Ok(t)
                    }
                }),
            )
        });
        let title = e.check("title", Name::parse(given(&input.title).unwrap_or("")));
        let text = given(&input.text).and_then(|t| e.check("text", parse_text(t, MAX_TEXT)));
        let vf = given(&input.votes_for).and_then(|v| e.check("votesFor", votes(v)));
        let va = given(&input.votes_against).and_then(|v| e.check("votesAgainst", votes(v)));
        let votes = match (vf, va) {
            (Some(f), Some(a)) => Some(Votes {
                for_: f,
                against: a,
            }),
            (None, None) => None,
            (Some(_), None) if !e.has("votesAgainst") => {
                e.push("votesAgainst", "error-votes-both");
                None
            }
            (None, Some(_)) if !e.has("votesFor") => {
                e.push("votesFor", "error-votes-both");
                None
            }
            _ => None,
        };
        let source_url =
            given(&input.source_url).and_then(|u| e.check("sourceUrl", parse_source_url(u)));
        if input.affects.len() > MAX_ITEMS {
            e.push("affects", "error-too-many");
        }
        let mut affects = Vec::new();
        for (i, a) in input.affects.iter().enumerate().take(MAX_ITEMS) {
            if given(&a.kind).is_none() && given(&a.id).is_none() {
                continue;
            }
            let [fk, fi] = affect_fields(i).expect("within MAX_ITEMS");
            let kind = e.check(fk, AffectedKind::parse(given(&a.kind).unwrap_or("")));
            let id = match given(&a.id) {
                None => {
                    e.push(fi, "error-required");
                    None
                }
                Some(id) => e.check(fi, reference(id)),
            };
            if let (Some(kind), Some(id)) = (kind, id) {
                let item = Affected { kind, id };
                if !affects.contains(&item) {
                    affects.push(item);
                }
            }
        }
        if input.rules.len() > MAX_ITEMS {
            e.push("rules", "error-too-many");
        }
        let mut rules = Vec::new();
        for (i, r) in input.rules.iter().enumerate().take(MAX_ITEMS) {
            if given(&r.kind).is_none() && given(&r.from).is_none() && given(&r.schedule).is_none()
            {
                continue;
            }
            let [fk, ff, fs] = rule_fields(i).expect("within MAX_ITEMS");
            if let Some(rule) = parse_rule(&mut e, r, [fk, ff, fs]) {
                if outcome.is_some_and(|o| o != DecisionOutcome::Adopted) {
                    e.push(fk, "error-rule-needs-adopted-decision");
                }
                if let (Some(from), Some(d)) = (rule.from, date)
                    && from < d
                {
                    e.push(ff, "error-rule-before-decision");
                }
                rules.push(rule);
            }
        }
        if input.lifts.len() > MAX_ITEMS {
            e.push("lifts", "error-too-many");
        }
        let mut lifts = Vec::new();
        for (i, l) in input.lifts.iter().enumerate().take(MAX_ITEMS) {
            let Some(l) = given(&Some(l.clone())).map(str::to_owned) else {
                continue;
            };
            let f = lift_field(i).expect("within MAX_ITEMS");
            if outcome.is_some_and(|o| o != DecisionOutcome::Adopted) {
                e.push(f, "error-rule-needs-adopted-decision");
            }
            if let Some(id) = e.check(f, reference(&l))
                && !lifts.contains(&id)
            {
                lifts.push(id);
            }
        }
        e.finish(|| DecisionDraft {
            municipality: municipality.expect("checked"),
            date: date.expect("checked"),
            body: body.expect("checked"),
            kind: kind.expect("checked"),
            reference: reference_no.filter(|r| !r.is_empty()),
            title: title.expect("checked"),
            text: text.filter(|t| !t.is_empty()),
            outcome: outcome.expect("checked"),
            votes,
            source_url,
            affects,
            rules,
            lifts,
        })
    }
}

fn parse_rule(
    e: &mut ValidationErrors,
    r: &RuleInput,
    [fk, ff, fs]: [&'static str; 3],
) -> Option<RuleDraft> {
    let kind = e.check(fk, RuleKind::parse(given(&r.kind).unwrap_or("")));
    let from = given(&r.from).and_then(|f| e.check(ff, decision_date(f)));
    let schedule = given(&r.schedule).and_then(|s| e.check(fs, reference(s)));
    match (kind, &schedule) {
        (Some(RuleKind::SubsidyEnds), None) => {
            e.push(fs, "error-rule-needs-schedule");
            return None;
        }
        (Some(k), Some(_)) if k != RuleKind::SubsidyEnds => {
            e.push(fs, "error-rule-schedule-only-subsidy");
            return None;
        }
        _ => {}
    }
    Some(RuleDraft {
        kind: kind?,
        from,
        schedule,
    })
}

impl RuleDraft {
    /// A rule entered on its own for an existing decision (fields `kind`, `from`, `schedule`).
    pub fn parse(input: &RuleInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let rule = parse_rule(&mut e, input, ["kind", "from", "schedule"]);
        e.finish(|| rule.expect("checked"))
    }
}

// ---- stored rules and their enforcement ------------------------------------------------------

/// A decision as the rules cite it: enough to name it in an error or on an overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRef {
    pub id: String,
    pub date: Date,
    pub body: Body,
    pub reference: Option<String>,
    pub title: String,
}

/// A stored rule with its history: imposed by a decision from a date, perhaps lifted by a later
/// one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub municipality: String,
    pub kind: RuleKind,
    pub from: Date,
    pub schedule: Option<String>,
    pub imposed_by: DecisionRef,
    pub lifted_by: Option<DecisionRef>,
}

impl Rule {
    /// Whether the rule holds on `day`: from its date until the day the lifting decision was
    /// taken (that day no longer).
    pub fn holds_on(&self, day: Date) -> bool {
        self.from <= day && self.lifted_by.as_ref().is_none_or(|l| day < l.date)
    }
}

/// Why a partnership may be registered despite *no new twinnings*, or `None` when the rule
/// applies to it: private initiatives and project-based cooperation with an end date are free.
pub fn exempt_from_no_new_twinnings(draft: &PartnershipDraft) -> bool {
    draft.initiator == Initiator::PrivateInitiative
        || (draft.kind == PartnershipKind::ProjectBased && draft.end.is_some())
}

/// The *no new twinnings* rule that refuses this partnership, if any. `rules` are those of the
/// municipality that would hold it. A partnership that may have started on or after the rule's
/// date (its start's latest possible day) counts as new; one recorded from before it is history
/// and stays allowed.
pub fn refusing_partnership<'a>(rules: &'a [Rule], draft: &PartnershipDraft) -> Option<&'a Rule> {
    if exempt_from_no_new_twinnings(draft) {
        return None;
    }
    let day = draft.start.latest();
    rules
        .iter()
        .filter(|r| r.kind == RuleKind::NoNewTwinnings)
        .find(|r| r.holds_on(day))
}

/// The *subsidy ends* rule that refuses a municipal grant for `year`, if any. The grant counts
/// as being for the phased-out purpose when it is a yearly budget subsidy or is tied to the
/// rule's schedule. A rule lifted before the year's first day no longer refuses.
pub fn refusing_grant<'a>(
    rules: &'a [Rule],
    year: i16,
    yearly_budget: bool,
    schedule: Option<&str>,
) -> Option<&'a Rule> {
    let first_day = Date::new(year, 1, 1).ok()?;
    let last_day = Date::new(year, 12, 31).ok()?;
    rules
        .iter()
        .filter(|r| r.kind == RuleKind::SubsidyEnds)
        .filter(|r| yearly_budget || (schedule.is_some() && r.schedule.as_deref() == schedule))
        .find(|r| r.from <= last_day && r.holds_on(first_day.max(r.from)))
}

/// The rules in force on `day`, in the order given.
pub fn in_force(rules: &[Rule], day: Date) -> Vec<&Rule> {
    rules.iter().filter(|r| r.holds_on(day)).collect()
}

impl fmt::Display for DecisionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reference {
            Some(r) => write!(f, "{} ({}, {})", self.title, r, self.date),
            None => write!(f, "{} ({})", self.title, self.date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PartialDate;
    use crate::municipality::MunicipalityId;
    use jiff::civil::date;

    fn input() -> DecisionInput {
        DecisionInput {
            municipality: Some("leidschendam-voorburg".into()),
            date: Some("2011-11-08".into()),
            body: Some("council".into()),
            kind: Some("decision".into()),
            title: Some("Kerntakendiscussie: geen nieuwe stedenbanden".into()),
            outcome: Some("adopted".into()),
            ..Default::default()
        }
    }

    fn today() -> Date {
        date(2026, 11, 28)
    }

    #[test]
    fn a_decision_with_rules_and_affects_parses() {
        let mut i = input();
        i.votes_for = Some("25".into());
        i.votes_against = Some("10".into());
        i.source_url = Some("https://raad.example.nl/besluit/12".into());
        i.affects = vec![AffectedInput {
            kind: Some("partnership".into()),
            id: Some("p1".into()),
        }];
        i.rules = vec![RuleInput {
            kind: Some("no-new-twinnings".into()),
            ..Default::default()
        }];
        let d = DecisionDraft::parse(&i, today()).unwrap();
        assert_eq!(
            d.votes,
            Some(Votes {
                for_: 25,
                against: 10
            })
        );
        assert_eq!(d.rules[0].kind, RuleKind::NoNewTwinnings);
        assert_eq!(d.affects[0].kind, AffectedKind::Partnership);
    }

    #[test]
    fn an_adopted_decision_cannot_lie_in_the_future() {
        let mut i = input();
        i.date = Some("2027-01-01".into());
        let e = DecisionDraft::parse(&i, today()).unwrap_err();
        assert!(e.has("outcome"));
        i.outcome = Some("proposed".into());
        assert!(DecisionDraft::parse(&i, today()).is_ok());
    }

    #[test]
    fn rules_need_an_adopted_decision_and_a_schedule_where_they_end_a_subsidy() {
        let mut i = input();
        i.outcome = Some("rejected".into());
        i.rules = vec![RuleInput {
            kind: Some("no-budget-line".into()),
            ..Default::default()
        }];
        let e = DecisionDraft::parse(&i, today()).unwrap_err();
        assert_eq!(e.0[0].field, "rules[0].kind");
        assert_eq!(e.0[0].key, "error-rule-needs-adopted-decision");
        let mut i = input();
        i.rules = vec![RuleInput {
            kind: Some("subsidy-ends".into()),
            ..Default::default()
        }];
        let e = DecisionDraft::parse(&i, today()).unwrap_err();
        assert_eq!(e.0[0].field, "rules[0].schedule");
        let mut i = input();
        i.rules = vec![RuleInput {
            kind: Some("no-budget-line".into()),
            from: Some("2010-01-01".into()),
            ..Default::default()
        }];
        let e = DecisionDraft::parse(&i, today()).unwrap_err();
        assert_eq!(e.0[0].key, "error-rule-before-decision");
    }

    #[test]
    fn bad_fields_are_named() {
        let i = DecisionInput {
            votes_for: Some("many".into()),
            source_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        let e = DecisionDraft::parse(&i, today()).unwrap_err();
        for f in [
            "municipality",
            "date",
            "body",
            "kind",
            "outcome",
            "title",
            "votesFor",
            "sourceUrl",
        ] {
            assert!(e.has(f), "{f}: {e}");
        }
    }

    fn rule(from: Date, lifted: Option<Date>) -> Rule {
        let r = |d: Date| DecisionRef {
            id: "d".into(),
            date: d,
            body: Body::Council,
            reference: None,
            title: "t".into(),
        };
        Rule {
            id: "r".into(),
            municipality: "m".into(),
            kind: RuleKind::NoNewTwinnings,
            from,
            schedule: None,
            imposed_by: r(from),
            lifted_by: lifted.map(r),
        }
    }

    fn partnership(start: &str, kind: PartnershipKind, end: Option<&str>) -> PartnershipDraft {
        PartnershipDraft {
            home: MunicipalityId("m".into()),
            partner: MunicipalityId("p".into()),
            kind,
            initiator: Initiator::LocalGovernment,
            start: PartialDate::parse(start).unwrap(),
            end: end.map(|e| PartialDate::parse(e).unwrap()),
            description: None,
        }
    }

    #[test]
    fn no_new_twinnings_refuses_new_municipal_bonds_only() {
        let rules = vec![rule(date(2011, 11, 8), None)];
        let new = partnership("2020-05-01", PartnershipKind::Friendship, None);
        assert!(refusing_partnership(&rules, &new).is_some());
        // History from before the rule stays allowed.
        let old = partnership("1995", PartnershipKind::Friendship, None);
        assert!(refusing_partnership(&rules, &old).is_none());
        // A year that may lie after the rule's date counts as new.
        let same_year = partnership("2011", PartnershipKind::Friendship, None);
        assert!(refusing_partnership(&rules, &same_year).is_some());
        let project = partnership("2020", PartnershipKind::ProjectBased, Some("2022"));
        assert!(refusing_partnership(&rules, &project).is_none());
        let open_project = partnership("2020", PartnershipKind::ProjectBased, None);
        assert!(refusing_partnership(&rules, &open_project).is_some());
        let mut private = new.clone();
        private.initiator = Initiator::PrivateInitiative;
        assert!(refusing_partnership(&rules, &private).is_none());
        // Lifted on 2026-01-01: allowed from that day, still refused the day before.
        let lifted = vec![rule(date(2011, 11, 8), Some(date(2026, 1, 1)))];
        assert!(
            refusing_partnership(
                &lifted,
                &partnership("2026-01-01", PartnershipKind::Friendship, None)
            )
            .is_none()
        );
        assert!(
            refusing_partnership(
                &lifted,
                &partnership("2025-12-31", PartnershipKind::Friendship, None)
            )
            .is_some()
        );
    }

    #[test]
    fn subsidy_ends_refuses_yearly_grants_from_the_end() {
        let mut r = rule(date(2015, 1, 1), None);
        r.kind = RuleKind::SubsidyEnds;
        r.schedule = Some("s".into());
        let rules = vec![r.clone()];
        assert!(refusing_grant(&rules, 2014, true, None).is_none());
        assert!(refusing_grant(&rules, 2015, true, None).is_some());
        assert!(refusing_grant(&rules, 2016, false, Some("s")).is_some());
        // A one-off grant for another purpose (the 2015 jubilee) is not refused.
        assert!(refusing_grant(&rules, 2015, false, None).is_none());
        r.lifted_by = Some(DecisionRef {
            id: "l".into(),
            date: date(2019, 6, 1),
            body: Body::Council,
            reference: None,
            title: "t".into(),
        });
        let rules = vec![r];
        assert!(refusing_grant(&rules, 2019, true, None).is_some());
        assert!(refusing_grant(&rules, 2020, true, None).is_none());
    }
}
