//! The decision pages: a municipality's decisions in time order with its rules and their history
//! and the plan adopted scenarios wrote; one decision with everything it says, affects, imposes
//! and lifts; the forms to record and change a decision and to add a rule to an adopted one.
//!
//! Also the pieces other pages show: the decisions about one record (partnership, subsidy,
//! schedule, evaluation, working group), the rules in force today with the decision that imposed
//! them, and the state of a partnership's ending (the read-only banner once it is completed).
//!
//! The form takes what a decision affects as one group of checkboxes per kind of record (the
//! municipality's partnerships, working groups, subsidies, schedules and evaluations), the rules
//! it imposes as a few rows (kind, from, schedule; empty rows are skipped) and the rules it lifts
//! as checkboxes. The use case names errors by the place of an item in the input
//! (`affects[3].id`, `rules[0].schedule`); they are shown at the checkbox group or the form's row
//! the item came from. Rights and validity are decided by [`stedenband_app::Decisions`].

use super::activities::app_error;
use super::forms::{FormBuilder, FormFields, get, values};
use super::organisation::Fact;
use super::tables::{eur, label, not_found, options};
use super::{Ctx, PageResult, ok, render, see_other};
use crate::AppState;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::i18n::Lang;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get as get_route, post};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use stedenband_app::{AppError, DecisionView, Evaluations};
use stedenband_domain::decision::{
    AffectedInput, AffectedKind, Body, DecisionInput, DecisionKind, DecisionOutcome, DecisionRef,
    Rule, RuleInput, RuleKind, rule_fields,
};
use stedenband_domain::ending::FinalStatus;
use stedenband_domain::{Action, FieldError, Municipality, ValidationErrors};
use stedenband_store::DecisionRecord;

type Vals = HashMap<String, String>;

/// Rule rows on the form for a new decision.
pub const RULE_ROWS: usize = 3;

/// The checkbox groups for what a decision affects: kind, field name, label key.
const AFFECT_GROUPS: [(AffectedKind, &str, &str); 5] = [
    (
        AffectedKind::Partnership,
        "affectsPartnership",
        "decision-field-affects-partnership",
    ),
    (
        AffectedKind::WorkingGroup,
        "affectsWorkingGroup",
        "decision-field-affects-working-group",
    ),
    (
        AffectedKind::Subsidy,
        "affectsSubsidy",
        "decision-field-affects-subsidy",
    ),
    (
        AffectedKind::Schedule,
        "affectsSchedule",
        "decision-field-affects-schedule",
    ),
    (
        AffectedKind::Evaluation,
        "affectsEvaluation",
        "decision-field-affects-evaluation",
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/municipalities/{slug}/decisions", get_route(decisions))
        .route("/decisions", post(create_decision))
        .route("/decisions/new", get_route(new_decision))
        .route("/decisions/{id}", get_route(decision).post(update_decision))
        .route("/decisions/{id}/edit", get_route(edit_decision))
        .route("/decisions/{id}/rules", post(add_rule))
}

// ---- texts ----------------------------------------------------------------------------------------

/// A text's lines, for showing its line breaks without markup in the text.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn t1(lang: Lang, key: &str, name: &'static str, value: impl Into<String>) -> String {
    lang.t_args(key, &[(name, value.into().into())])
}

/// A decision as other texts cite it: „title” (body, date, reference).
pub(super) fn cite(lang: Lang, d: &DecisionRef) -> String {
    lang.t_args(
        "decision-cite",
        &[
            ("title", d.title.clone().into()),
            ("what", lang.choice("decision-body", d.body.as_str()).into()),
            ("date", lang.full_date(d.date).into()),
            (
                "ref",
                d.reference
                    .as_deref()
                    .map(|r| format!(", {r}"))
                    .unwrap_or_default()
                    .into(),
            ),
        ],
    )
}

/// The outcome in words, with the votes where known: "aangenomen (25 voor, 10 tegen)".
fn outcome_text(lang: Lang, r: &DecisionRecord) -> String {
    let outcome = lang.choice("decision-outcome", r.draft.outcome.as_str());
    match votes_text(lang, r) {
        Some(v) => format!("{outcome} ({v})"),
        None => outcome,
    }
}

/// The votes, where known: "25 voor, 10 tegen".
fn votes_text(lang: Lang, r: &DecisionRecord) -> Option<String> {
    r.draft.votes.map(|v| {
        format!(
            "{}, {}",
            lang.t_args("decision-votes-for", &[("count", u64::from(v.for_).into())]),
            lang.t_args(
                "decision-votes-against",
                &[("count", u64::from(v.against).into())]
            ),
        )
    })
}

/// A date in words that does not break across lines in a table cell.
fn unbroken(text: String) -> String {
    text.replace(' ', "\u{a0}")
}

/// The text with its first letter as a capital.
fn capital(text: String) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => text,
    }
}

fn href(id: &str) -> String {
    format!("/decisions/{id}")
}

// ---- the decisions about a record -------------------------------------------------------------

/// One decision about a record, as the record's page lists it.
pub(super) struct AboutRow {
    pub href: String,
    pub iso: String,
    pub date: String,
    pub title: String,
    pub what: String,
    pub outcome: String,
    pub outcome_code: &'static str,
    pub votes: String,
}

/// The decisions about a record, oldest first, for `decision_about.html`: `id` is the heading's
/// id, `level` its level (2 on a record's own page, 3 within a section).
pub(super) struct About {
    pub id: String,
    pub level: u8,
    pub rows: Vec<AboutRow>,
}

/// The decisions about one record as the caller may see them (the public: adopted ones).
pub(super) async fn about(
    ctx: &Ctx,
    s: &AppState,
    kind: AffectedKind,
    id: &str,
    anchor: &str,
    level: u8,
) -> Result<About, WebError> {
    let lang = ctx.lang;
    let found = s
        .decisions
        .decisions_about(&ctx.auth.caller, kind, id)
        .await
        .or_page(ctx)?;
    let rows = found
        .iter()
        .map(|r| {
            let d = &r.draft;
            let mut what = vec![
                label(lang, "decision-body", d.body.as_str()),
                lang.choice("decision-kind", d.kind.as_str()),
            ];
            what.extend(d.reference.clone());
            AboutRow {
                href: href(&r.id),
                iso: d.date.to_string(),
                date: unbroken(lang.full_date(d.date)),
                title: d.title.to_string(),
                what: what.join(", "),
                outcome: lang.choice("decision-outcome", d.outcome.as_str()),
                outcome_code: d.outcome.as_str(),
                votes: votes_text(lang, r).unwrap_or_default(),
            }
        })
        .collect();
    Ok(About {
        id: anchor.to_owned(),
        level,
        rows,
    })
}

// ---- rules ------------------------------------------------------------------------------------

/// A rule with its history, as the pages show it.
pub(super) struct RuleRow {
    pub kind: String,
    pub kind_code: &'static str,
    pub explain: String,
    pub from: String,
    pub from_iso: String,
    pub imposed: String,
    pub imposed_href: String,
    /// The decision that lifted it (cited) and its page, with the day.
    pub lifted: Option<(String, String)>,
    pub in_force: bool,
    /// For *subsidy ends*: the schedule (name) and where it is shown.
    pub schedule: Option<(String, String)>,
}

async fn rule_rows(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    rules: &[Rule],
) -> Result<Vec<RuleRow>, WebError> {
    let lang = ctx.lang;
    let today = stedenband_app::organisation::today();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for r in rules {
        if let Some(id) = &r.schedule
            && !names.contains_key(id)
            && let Ok(v) = s.money.schedule(id).await
        {
            names.insert(id.clone(), v.record.draft.name.to_string());
        }
    }
    Ok(rules
        .iter()
        .map(|r| RuleRow {
            kind: label(lang, "decision-rule-kind", r.kind.as_str()),
            kind_code: r.kind.as_str(),
            explain: lang.choice("decision-rule-explain", r.kind.as_str()),
            from: unbroken(lang.full_date(r.from)),
            from_iso: r.from.to_string(),
            imposed: cite(lang, &r.imposed_by),
            imposed_href: href(&r.imposed_by.id),
            lifted: r.lifted_by.as_ref().map(|l| (cite(lang, l), href(&l.id))),
            in_force: r.holds_on(today),
            schedule: r.schedule.as_ref().map(|id| {
                (
                    names.get(id).cloned().unwrap_or_else(|| id.clone()),
                    format!("/municipalities/{slug}/phase-out-schedules#s-{id}"),
                )
            }),
        })
        .collect())
}

/// The rules of these kinds in force today for a municipality, with the decision that imposed
/// each, for the municipality page and the money overview (`decision_rules_in_force.html`).
pub(super) async fn rules_in_force(
    ctx: &Ctx,
    s: &AppState,
    slug: &str,
    kinds: &[RuleKind],
) -> Result<Vec<RuleRow>, WebError> {
    let rules: Vec<Rule> = s
        .decisions
        .rules_in_force(slug)
        .await
        .or_page(ctx)?
        .into_iter()
        .filter(|r| kinds.contains(&r.kind))
        .collect();
    rule_rows(ctx, s, slug, &rules).await
}

// ---- a partnership's ending ---------------------------------------------------------------------

/// Where a partnership's ending stands, for its page.
pub(super) struct EndingState {
    /// Completed: the banner's text, the decision's page, the final status. The pages are then
    /// read-only.
    pub ended: Option<Ended>,
    /// For the officials while it has not ended: the ending workflow, and its label.
    pub link: Option<(String, String)>,
}

pub(super) struct Ended {
    pub text: String,
    pub decision_href: String,
    pub status: String,
}

pub(super) async fn ending_state(
    ctx: &Ctx,
    s: &AppState,
    p: &stedenband_app::PartnershipView,
) -> Result<EndingState, WebError> {
    let lang = ctx.lang;
    let id = p.partnership.id.0.as_str();
    let ending = s
        .decisions
        .ending(&ctx.auth.caller, id)
        .await
        .or_page(ctx)?;
    let href = format!("/partnerships/{id}/ending");
    match ending {
        Some(v) if v.ending.final_status.is_some() => {
            let e = &v.ending;
            let status = e.final_status.unwrap_or(FinalStatus::Ended);
            let text = lang.t_args(
                "decision-ended-banner",
                &[
                    (
                        "date",
                        e.end_on
                            .map(|d| lang.full_date(d))
                            .unwrap_or_default()
                            .into(),
                    ),
                    (
                        "decision",
                        lang.t_args(
                            "decision-cite-short",
                            &[
                                ("title", e.decision.title.clone().into()),
                                ("date", lang.full_date(e.decision.date).into()),
                            ],
                        )
                        .into(),
                    ),
                    ("what", e.reason.clone().into()),
                ],
            );
            Ok(EndingState {
                ended: Some(Ended {
                    text,
                    decision_href: self::href(&e.decision.id),
                    status: lang.choice("decision-final-status", status.as_str()),
                }),
                link: None,
            })
        }
        Some(v) => Ok(EndingState {
            ended: None,
            link: v.may_edit.then(|| {
                (
                    href,
                    t1(
                        lang,
                        "decision-ending-continue",
                        "what",
                        lang.choice("decision-ending-step", v.ending.step().as_str()),
                    ),
                )
            }),
        }),
        None => {
            let may = s.decisions.may_record(&ctx.auth.caller, &p.holder).await;
            Ok(EndingState {
                ended: None,
                link: may.then(|| (href, lang.t("decision-ending-start"))),
            })
        }
    }
}

// ---- a municipality's decisions -----------------------------------------------------------------

struct DecisionRow {
    href: String,
    iso: String,
    date: String,
    body: String,
    kind: String,
    reference: String,
    title: String,
    outcome: String,
    outcome_code: &'static str,
    votes: String,
    source: Option<String>,
}

struct PlanRow {
    year: i16,
    lines: Vec<String>,
    staff: String,
    decision: String,
    decision_href: String,
}

#[derive(Template)]
#[template(path = "decision_list.html")]
struct ListPage {
    ctx: Ctx,
    name: String,
    slug: String,
    rows: Vec<DecisionRow>,
    count: u64,
    /// Whether any decision has a reference, a source: the columns are left out otherwise.
    show_reference: bool,
    show_source: bool,
    rules: Vec<RuleRow>,
    plan: Vec<PlanRow>,
    /// The form for a new decision, for the municipality's officials.
    new_href: Option<String>,
}

async fn municipality_of(ctx: &Ctx, s: &AppState, key: &str) -> Result<Municipality, WebError> {
    s.register
        .find_municipality(key)
        .await
        .or_page(ctx)?
        .ok_or_else(|| not_found(ctx))
}

/// The working groups of a municipality's foundations: id → name.
async fn group_names(
    ctx: &Ctx,
    s: &AppState,
    m: &Municipality,
) -> Result<Vec<(String, String)>, WebError> {
    let mut out = Vec::new();
    for f in s
        .organisation
        .foundations(Some(m.id.0.as_str()))
        .await
        .or_page(ctx)?
    {
        for g in s
            .organisation
            .working_groups(Some(&f.id))
            .await
            .or_page(ctx)?
        {
            out.push((g.id.clone(), g.draft.name.to_string()));
        }
    }
    Ok(out)
}

/// A municipality's decisions in time order (the public: the adopted ones), its rules with
/// their history, and its plan per year as adopted scenarios wrote it.
pub async fn decisions(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let lang = ctx.lang;
    let m = municipality_of(&ctx, &s, &slug).await?;
    let key = m.id.0.as_str();
    let found = s
        .decisions
        .decisions(&ctx.auth.caller, Some(key))
        .await
        .or_page(&ctx)?;
    let rows: Vec<DecisionRow> = found
        .iter()
        .map(|v| {
            let d = &v.record.draft;
            DecisionRow {
                href: href(&v.record.id),
                iso: d.date.to_string(),
                date: unbroken(lang.full_date(d.date)),
                body: label(lang, "decision-body", d.body.as_str()),
                kind: label(lang, "decision-kind", d.kind.as_str()),
                reference: d.reference.clone().unwrap_or_default(),
                title: d.title.to_string(),
                outcome: lang.choice("decision-outcome", d.outcome.as_str()),
                outcome_code: d.outcome.as_str(),
                votes: votes_text(lang, &v.record).unwrap_or_default(),
                source: d.source_url.clone(),
            }
        })
        .collect();
    let slug = m.slug.to_string();
    let all_rules = s.decisions.rules(key).await.or_page(&ctx)?;
    let rules = rule_rows(&ctx, &s, &slug, &all_rules).await?;
    let plan_years = s.decisions.plan(key).await.or_page(&ctx)?;
    let groups: BTreeMap<String, String> = if plan_years.is_empty() {
        BTreeMap::new()
    } else {
        group_names(&ctx, &s, &m).await?.into_iter().collect()
    };
    let titles: BTreeMap<&str, String> = found
        .iter()
        .map(|v| (v.record.id.as_str(), v.record.draft.title.to_string()))
        .collect();
    let plan = plan_years
        .iter()
        .map(|p| PlanRow {
            year: p.year,
            lines: p
                .lines
                .iter()
                .map(|(k, amount)| {
                    let mut what =
                        vec![lang.choice("decision-plan-line-kind", k.line_kind.as_str())];
                    if let Some(g) = &k.working_group {
                        what.push(groups.get(g).cloned().unwrap_or_else(|| g.clone()));
                    }
                    if k.in_kind {
                        what.push(lang.t("decision-plan-in-kind"));
                    }
                    format!("{} ({}): {}", k.line, what.join(", "), eur(lang, *amount))
                })
                .collect(),
            staff: p
                .staff_hours
                .map(|h| t1(lang, "decision-plan-hours", "count", h.to_string()))
                .unwrap_or_default(),
            decision: titles
                .get(p.decision.as_str())
                .cloned()
                .unwrap_or_else(|| p.decision.clone()),
            decision_href: href(&p.decision),
        })
        .collect();
    let new_href = s
        .decisions
        .may_record(&ctx.auth.caller, &m)
        .await
        .then(|| format!("/decisions/new?municipality={slug}"));
    ok(&ListPage {
        name: m.name().to_string(),
        slug,
        count: rows.len() as u64,
        show_reference: rows.iter().any(|r| !r.reference.is_empty()),
        show_source: rows.iter().any(|r| r.source.is_some()),
        rows,
        rules,
        plan,
        new_href,
        ctx,
    })
}

// ---- one decision -------------------------------------------------------------------------------

struct AffectedRow {
    kind: String,
    name: String,
    href: String,
}

#[derive(Template)]
#[template(path = "decision_detail.html")]
struct DetailPage {
    ctx: Ctx,
    id: String,
    title: String,
    municipality: String,
    municipality_slug: String,
    facts: Vec<Fact>,
    text: Vec<String>,
    affected: Vec<AffectedRow>,
    imposed: Vec<RuleRow>,
    lifted: Vec<RuleRow>,
    may_edit: bool,
    /// The form to add a rule: for the officials, on an adopted decision.
    may_add_rule: bool,
    form: FormFields,
    datalist: Vec<String>,
}

fn affected_href(slug: &str, kind: AffectedKind, id: &str) -> String {
    match kind {
        AffectedKind::Partnership => format!("/partnerships/{id}"),
        AffectedKind::Subsidy => format!("/subsidies/{id}"),
        AffectedKind::Schedule => format!("/municipalities/{slug}/phase-out-schedules#s-{id}"),
        AffectedKind::Evaluation => format!("/evaluations/{id}"),
        AffectedKind::WorkingGroup => format!("/working-groups/{id}"),
    }
}

/// The schedules of a municipality as choices (a blank first).
async fn schedule_options(
    ctx: &Ctx,
    s: &AppState,
    m: &Municipality,
) -> Result<Vec<(String, String)>, WebError> {
    let mut out = vec![(String::new(), ctx.t("decision-none-chosen"))];
    out.extend(
        s.money
            .schedules(m.id.0.as_str())
            .await
            .or_page(ctx)?
            .into_iter()
            .map(|v| (v.record.id.clone(), v.record.draft.name.to_string())),
    );
    Ok(out)
}

fn rule_kind_codes() -> Vec<&'static str> {
    RuleKind::ALL.iter().map(|k| k.as_str()).collect()
}

async fn detail_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<DetailPage, WebError> {
    let v: DecisionView = s
        .decisions
        .decision(&ctx.auth.caller, id)
        .await
        .or_page(&ctx)?;
    let lang = ctx.lang;
    let d = &v.record.draft;
    let m = &v.municipality;
    let slug = m.slug.to_string();
    let plain = |key: &str, value: String| Fact {
        label: lang.t(key),
        value,
        href: None,
    };
    let mut facts = vec![
        Fact {
            label: lang.t("decision-field-municipality"),
            value: m.name().to_string(),
            href: Some(format!("/municipalities/{slug}")),
        },
        plain("decision-field-date", lang.full_date(d.date)),
        plain(
            "decision-field-body",
            label(lang, "decision-body", d.body.as_str()),
        ),
        plain(
            "decision-field-kind",
            label(lang, "decision-kind", d.kind.as_str()),
        ),
    ];
    if let Some(r) = &d.reference {
        facts.push(plain("decision-field-reference", r.clone()));
    }
    facts.push(plain(
        "decision-field-outcome",
        capital(outcome_text(lang, &v.record)),
    ));
    if let Some(u) = &d.source_url {
        facts.push(Fact {
            label: lang.t("decision-field-source-url"),
            value: lang.t("decision-source-link"),
            href: Some(u.clone()),
        });
    }
    let affected = v
        .affected
        .iter()
        .map(|(kind, aid, name)| AffectedRow {
            kind: label(lang, "decision-affected-kind", kind.as_str()),
            name: name.clone(),
            href: affected_href(&slug, *kind, aid),
        })
        .collect();
    let imposed = rule_rows(&ctx, s, &slug, &v.imposed).await?;
    let lifted = rule_rows(&ctx, s, &slug, &v.lifted).await?;
    let may_add_rule = v.may_edit && d.outcome == DecisionOutcome::Adopted;
    let defaults = Vals::from([("kind".to_owned(), "no-new-twinnings".to_owned())]);
    let (vals, errors) = match failed {
        Some((vals, e)) => (vals, Some(e)),
        None => (&defaults, None),
    };
    let form = if may_add_rule {
        let kinds = rule_kind_codes();
        let schedules = schedule_options(&ctx, s, m).await?;
        FormBuilder::new(lang, vals, errors)
            .select_options(
                "kind",
                "decision-field-rule-kind",
                options(lang, "decision-rule-kind", &kinds, false),
            )
            .text_with("from", "decision-field-rule-from", false, |f| {
                f.input_type = "date"
            })
            .select_options("schedule", "decision-field-rule-schedule", schedules)
            .build()
            .optional(&["schedule"])
    } else {
        FormBuilder::new(lang, &defaults, None).build()
    };
    Ok(DetailPage {
        id: v.record.id.clone(),
        title: d.title.to_string(),
        municipality: m.name().to_string(),
        municipality_slug: slug,
        facts,
        text: d.text.as_deref().map(lines).unwrap_or_default(),
        affected,
        imposed,
        lifted,
        may_edit: v.may_edit,
        may_add_rule,
        form,
        datalist: vec![],
        ctx,
    })
}

/// One decision (the public: adopted ones only); the edit link and the rule form for officials.
pub async fn decision(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    ok(&detail_page(ctx, &s, &id, None).await?)
}

/// Adds a rule to an adopted decision; back to the decision.
pub async fn add_rule(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/decisions/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let input = RuleInput {
        kind: get(&vals, "kind"),
        from: get(&vals, "from"),
        schedule: get(&vals, "schedule"),
    };
    let caller = ctx.auth.caller.clone();
    match s.decisions.add_rule(&caller, Some(&id), &input).await {
        Ok(_) => see_other(&format!("/decisions/{id}#rules")),
        Err(AppError::Invalid(e)) => {
            let page = detail_page(ctx, &s, &id, Some((&vals, &e))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- the form -----------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    municipality: Option<String>,
}

#[derive(Template)]
#[template(path = "decision_form.html")]
struct FormPage {
    ctx: Ctx,
    title: String,
    intro: String,
    /// Where the form posts; empty while choosing a municipality.
    action: String,
    cancel: String,
    /// For a new decision: the municipality (slug), sent along.
    municipality: String,
    choices: Vec<(String, String)>,
    form: FormFields,
    datalist: Vec<String>,
}

impl FormFields {
    /// Marks fields optional (a select whose blank choice means "none").
    fn optional(mut self, names: &[&str]) -> Self {
        for f in &mut self.list {
            if names.contains(&f.name) {
                f.required = false;
            }
        }
        self
    }
}

/// What the form offers to tick: the municipality's records per kind, the rules it may lift.
struct Choices {
    affects: Vec<Vec<(String, String)>>,
    schedules: Vec<(String, String)>,
    liftable: Vec<(String, String)>,
}

async fn choices(ctx: &Ctx, s: &AppState, m: &Municipality) -> Result<Choices, WebError> {
    let lang = ctx.lang;
    let key = m.id.0.as_str();
    let view = s.register.municipality(key).await.or_page(ctx)?;
    let partnerships = view
        .partnerships
        .iter()
        .map(|p| {
            let name = if p.home.id == m.id {
                p.partner.name().to_string()
            } else {
                format!("{} ({})", p.partner.name(), p.home.name())
            };
            (p.partnership.id.0.clone(), name)
        })
        .collect();
    let groups = group_names(ctx, s, m).await?;
    let subsidies = s
        .money
        .subsidies(&ctx.auth.caller, key)
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|v| {
            (
                v.record.id.clone(),
                format!("{} ({})", v.record.draft.purpose, v.record.draft.year),
            )
        })
        .collect();
    let schedules: Vec<(String, String)> = s
        .money
        .schedules(key)
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|v| (v.record.id.clone(), v.record.draft.name.to_string()))
        .collect();
    let evaluations = Evaluations::new(s.register.clone())
        .evaluations(&ctx.auth.caller, Some(key))
        .await
        .or_page(ctx)?
        .into_iter()
        .map(|v| {
            (
                v.record.id.clone(),
                format!("{} ({})", v.record.draft.title, v.record.draft.year),
            )
        })
        .collect();
    let liftable = s
        .decisions
        .rules(key)
        .await
        .or_page(ctx)?
        .into_iter()
        .filter(|r| r.lifted_by.is_none())
        .map(|r| {
            (
                r.id.clone(),
                lang.t_args(
                    "decision-lift-choice",
                    &[
                        (
                            "what",
                            label(lang, "decision-rule-kind", r.kind.as_str()).into(),
                        ),
                        ("date", lang.full_date(r.from).into()),
                        ("decision", cite(lang, &r.imposed_by).into()),
                    ],
                ),
            )
        })
        .collect();
    let mut with_blank = vec![(String::new(), lang.t("decision-none-chosen"))];
    with_blank.extend(schedules.iter().cloned());
    Ok(Choices {
        affects: vec![partnerships, groups, subsidies, schedules, evaluations],
        schedules: with_blank,
        liftable,
    })
}

/// Where each item of the input came from on the form, to show its errors there.
#[derive(Default)]
struct Places {
    /// Per item of `affects`: its checkbox group.
    affects: Vec<&'static str>,
    /// Per item of `rules`: its row on the form.
    rules: Vec<usize>,
}

/// The raw input of the form: the ticked records per group, the filled rule rows, the ticked
/// rules to lift (the last two only for a new decision).
fn decision_input(pairs: &[(String, String)], vals: &Vals, new: bool) -> (DecisionInput, Places) {
    let ticked = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let mut places = Places::default();
    let mut affects = Vec::new();
    for (kind, name, _) in AFFECT_GROUPS {
        for id in ticked(name) {
            affects.push(AffectedInput {
                kind: Some(kind.as_str().to_owned()),
                id: Some(id),
            });
            places.affects.push(name);
        }
    }
    let mut rules = Vec::new();
    if new {
        for row in 0..RULE_ROWS {
            let [kind, from, schedule] = rule_fields(row).expect("a few rows");
            let r = RuleInput {
                kind: get(vals, kind),
                from: get(vals, from),
                schedule: get(vals, schedule),
            };
            if r.kind.is_some() || r.from.is_some() || r.schedule.is_some() {
                rules.push(r);
                places.rules.push(row);
            }
        }
    }
    let input = DecisionInput {
        municipality: get(vals, "municipality"),
        date: get(vals, "date"),
        body: get(vals, "body"),
        kind: get(vals, "kind"),
        reference: get(vals, "reference"),
        title: get(vals, "title"),
        text: get(vals, "text"),
        outcome: get(vals, "outcome"),
        votes_for: get(vals, "votesFor"),
        votes_against: get(vals, "votesAgainst"),
        source_url: get(vals, "sourceUrl"),
        affects,
        rules,
        lifts: if new { ticked("lifts") } else { Vec::new() },
    };
    (input, places)
}

/// The submitted values with every checkbox group's ticks one per line (as the form draws them).
fn form_values(pairs: Vec<(String, String)>) -> Vals {
    let mut lists: HashMap<&str, Vec<String>> = HashMap::new();
    for (k, v) in &pairs {
        if let Some(name) = AFFECT_GROUPS
            .iter()
            .map(|(_, n, _)| *n)
            .chain(["lifts"])
            .find(|n| n == k)
        {
            lists.entry(name).or_default().push(v.trim().to_owned());
        }
    }
    let mut vals = values(pairs);
    for (name, list) in lists {
        vals.insert(name.to_owned(), list.join("\n"));
    }
    vals
}

/// The use case's errors on items, moved to the field on the form the item came from.
fn placed(errors: &ValidationErrors, places: &Places) -> ValidationErrors {
    let mut out = ValidationErrors::default();
    for e in &errors.0 {
        let field = item(e.field)
            .and_then(|(list, i, part)| match list {
                "affects" => places.affects.get(i).copied(),
                "rules" => places.rules.get(i).and_then(|row| {
                    let [kind, from, schedule] = rule_fields(*row)?;
                    match part {
                        "from" => Some(from),
                        "schedule" => Some(schedule),
                        _ => Some(kind),
                    }
                }),
                "lifts" => Some("lifts"),
                _ => None,
            })
            .unwrap_or(e.field);
        out.0.push(FieldError::new(field, e.key));
    }
    out
}

/// `rules[2].from` → ("rules", 2, "from"); `lifts[1]` → ("lifts", 1, "").
fn item(field: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = field.split_once('[')?;
    let (n, rest) = rest.split_once(']')?;
    let part = rest.strip_prefix('.').unwrap_or(rest);
    Some((list, n.parse().ok()?, part))
}

fn form_fields(
    lang: Lang,
    choices: &Choices,
    new: bool,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let bodies: Vec<&str> = Body::ALL.iter().map(|b| b.as_str()).collect();
    let kinds: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
    let outcomes: Vec<&str> = DecisionOutcome::ALL.iter().map(|o| o.as_str()).collect();
    let mut b = FormBuilder::new(lang, vals, errors)
        .text_with("date", "decision-field-date", true, |f| {
            f.input_type = "date"
        })
        .select_options(
            "body",
            "decision-field-body",
            options(lang, "decision-body", &bodies, false),
        )
        .select_options(
            "kind",
            "decision-field-kind",
            options(lang, "decision-kind", &kinds, false),
        )
        .text("reference", "decision-field-reference", false)
        .text("title", "decision-field-title", true)
        .textarea("text", "decision-field-text", false)
        .select_options(
            "outcome",
            "decision-field-outcome",
            options(lang, "decision-outcome", &outcomes, false),
        )
        .text_with("votesFor", "decision-field-votes-for", false, |f| {
            f.input_type = "number"
        })
        .text_with("votesAgainst", "decision-field-votes-against", false, |f| {
            f.input_type = "number"
        })
        .text_with("sourceUrl", "decision-field-source-url", false, |f| {
            f.input_type = "url"
        });
    for ((_, name, label_key), options) in AFFECT_GROUPS.iter().zip(&choices.affects) {
        b = b.checkboxes(name, label_key, options.clone(), false);
    }
    if new {
        let mut kinds = vec![(String::new(), lang.t("decision-rule-kind-none"))];
        kinds.extend(options(
            lang,
            "decision-rule-kind",
            &rule_kind_codes(),
            false,
        ));
        for row in 0..RULE_ROWS {
            let [kind, from, schedule] = rule_fields(row).expect("a few rows");
            b = b
                .select_options(kind, "decision-field-rule-kind", kinds.clone())
                .text_with(from, "decision-field-rule-from", false, |f| {
                    f.input_type = "date"
                })
                .select_options(
                    schedule,
                    "decision-field-rule-schedule",
                    choices.schedules.clone(),
                );
        }
        b = b.checkboxes(
            "lifts",
            "decision-field-lifts",
            choices.liftable.clone(),
            false,
        );
    }
    let mut form = b.build();
    for f in &mut form.list {
        if let Some(("rules", i, part)) = item(f.name) {
            let n = (i + 1).to_string();
            f.label = t1(lang, &format!("decision-field-rule-row-{part}"), "n", n);
            f.required = false;
            // The hints are said once, at the first row.
            if i > 0 {
                f.hint = None;
            } else if part == "kind" {
                f.hint = Some(lang.t("decision-field-rule-row-kind-hint"));
            }
        }
    }
    form
}

fn new_title(lang: Lang, m: &Municipality) -> String {
    t1(lang, "decision-new-title", "name", m.name().to_string())
}

async fn new_form_page(
    ctx: Ctx,
    s: &AppState,
    m: &Municipality,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> Result<FormPage, WebError> {
    let choices = choices(&ctx, s, m).await?;
    let form = form_fields(ctx.lang, &choices, true, vals, errors);
    let slug = m.slug.to_string();
    Ok(FormPage {
        title: new_title(ctx.lang, m),
        intro: ctx.t("decision-new-intro"),
        action: "/decisions".into(),
        cancel: format!("/municipalities/{slug}/decisions"),
        municipality: slug,
        choices: vec![],
        form,
        datalist: vec![],
        ctx,
    })
}

/// The form to record a decision of a municipality (its officials). Without a municipality:
/// the caller's own when there is one, a choice when there are several.
pub async fn new_decision(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let key = q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let m = match key {
        Some(k) => municipality_of(&ctx, &s, k).await?,
        None => {
            ctx.auth
                .caller
                .require_login()
                .map_err(|e| app_error(&ctx, e))?;
            let homes = s.register.home_municipalities().await.or_page(&ctx)?;
            let mut mine = Vec::new();
            for m in &homes {
                if s.decisions.may_record(&ctx.auth.caller, m).await {
                    mine.push(m.clone());
                }
            }
            match mine.as_slice() {
                [only] => only.clone(),
                [] => {
                    // Refused (and audited) as the form of the first municipality would be.
                    if let Some(first) = homes.first() {
                        let holder = s.register.holder(&first.id).await.or_page(&ctx)?;
                        ctx.require(&s, &Action::ManageDecisions(holder)).await?;
                    }
                    return Err(
                        WebError::new(Front::Page, ctx.lang, ErrorKind::Forbidden).at(&ctx.path)
                    );
                }
                several => {
                    let choices = several
                        .iter()
                        .map(|m| {
                            (
                                format!("/decisions/new?municipality={}", m.slug),
                                m.name().to_string(),
                            )
                        })
                        .collect();
                    return ok(&FormPage {
                        title: ctx.t("decision-new-choose"),
                        intro: String::new(),
                        action: String::new(),
                        cancel: "/".into(),
                        municipality: String::new(),
                        choices,
                        form: FormBuilder::new(ctx.lang, &Vals::new(), None).build(),
                        datalist: vec![],
                        ctx,
                    });
                }
            }
        }
    };
    let holder = s.register.holder(&m.id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::ManageDecisions(holder)).await?;
    let defaults = Vals::from([
        ("body".to_owned(), "council".to_owned()),
        ("kind".to_owned(), "decision".to_owned()),
        ("outcome".to_owned(), "adopted".to_owned()),
    ]);
    ok(&new_form_page(ctx, &s, &m, &defaults, None).await?)
}

/// Records a decision; to its page.
pub async fn create_decision(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let vals = form_values(pairs.clone());
    // The page that shows this form (for the login form and the language switch).
    ctx.path = match get(&vals, "municipality") {
        Some(m) => format!("/decisions/new?municipality={}", super::encode(&m)),
        None => "/decisions/new".to_owned(),
    };
    ctx.check_csrf(&vals)?;
    let (input, places) = decision_input(&pairs, &vals, true);
    let caller = ctx.auth.caller.clone();
    match s.decisions.create(&caller, &input).await {
        Ok(v) => see_other(&href(&v.record.id)),
        Err(AppError::Invalid(e)) => {
            let m = match input.municipality.as_deref() {
                Some(k) => s.register.find_municipality(k).await.or_page(&ctx)?,
                None => None,
            };
            let Some(m) = m else {
                // No municipality to draw the form for: the refusal as a page.
                return Err(app_error(&ctx, AppError::Invalid(e)));
            };
            let e = placed(&e, &places);
            let page = new_form_page(ctx, &s, &m, &vals, Some(&e)).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// A stored decision as the form's values.
fn stored_values(r: &DecisionRecord) -> Vals {
    let d = &r.draft;
    let mut v = Vals::from([
        ("date".to_owned(), d.date.to_string()),
        ("body".to_owned(), d.body.as_str().to_owned()),
        ("kind".to_owned(), d.kind.as_str().to_owned()),
        ("title".to_owned(), d.title.to_string()),
        ("outcome".to_owned(), d.outcome.as_str().to_owned()),
    ]);
    let mut opt = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            v.insert(k.to_owned(), val);
        }
    };
    opt("reference", d.reference.clone());
    opt("text", d.text.clone());
    opt("sourceUrl", d.source_url.clone());
    opt("votesFor", d.votes.map(|x| x.for_.to_string()));
    opt("votesAgainst", d.votes.map(|x| x.against.to_string()));
    for (kind, name, _) in AFFECT_GROUPS {
        let ids: Vec<&str> = d
            .affects
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.id.as_str())
            .collect();
        v.insert(name.to_owned(), ids.join("\n"));
    }
    v
}

async fn edit_form_page(
    ctx: Ctx,
    s: &AppState,
    v: &DecisionView,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> Result<FormPage, WebError> {
    let m = &v.municipality;
    let choices = choices(&ctx, s, m).await?;
    let form = form_fields(ctx.lang, &choices, false, vals, errors);
    let id = &v.record.id;
    Ok(FormPage {
        title: t1(
            ctx.lang,
            "decision-edit-title",
            "title",
            v.record.draft.title.to_string(),
        ),
        intro: ctx.t("decision-edit-intro"),
        action: href(id),
        cancel: href(id),
        municipality: String::new(),
        choices: vec![],
        form,
        datalist: vec![],
        ctx,
    })
}

/// The form to change a decision (its municipality's officials).
pub async fn edit_decision(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    ctx.auth
        .caller
        .require_login()
        .map_err(|e| app_error(&ctx, e))?;
    let v = s
        .decisions
        .decision(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    let holder = s.register.holder(&v.municipality.id).await.or_page(&ctx)?;
    ctx.require(&s, &Action::ManageDecisions(holder)).await?;
    let vals = stored_values(&v.record);
    ok(&edit_form_page(ctx, &s, &v, &vals, None).await?)
}

/// Changes a decision; to its page.
pub async fn update_decision(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/decisions/{id}/edit");
    let vals = form_values(pairs.clone());
    ctx.check_csrf(&vals)?;
    let (input, places) = decision_input(&pairs, &vals, false);
    let caller = ctx.auth.caller.clone();
    match s.decisions.update(&caller, &id, &input).await {
        Ok(v) => see_other(&href(&v.record.id)),
        Err(AppError::Invalid(e)) => {
            let v = s.decisions.decision(&caller, &id).await.or_page(&ctx)?;
            let e = placed(&e, &places);
            let page = edit_form_page(ctx, &s, &v, &vals, Some(&e)).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}
