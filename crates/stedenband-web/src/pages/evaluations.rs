//! The evaluation pages: the list (of one municipality and its predecessors, or of all), one
//! evaluation with its criteria, conclusions and recommendations (and, for the municipality's
//! officials, the form to record what became of a recommendation), and the form to record an
//! evaluation.
//!
//! The form offers six criterion rows (name, aspect, finding; empty rows are skipped) and takes
//! the conclusions and the recommendations one per line in two text areas. An error on an item
//! of those lists (`conclusions[2]`) is shown at its text area with the item's number. Rights
//! and validity are decided by [`stedenband_app::Evaluations`].

use super::activities::app_error;
use super::forms::{FormBuilder, FormFields, get, values};
use super::organisation::Fact;
use super::{Ctx, PageResult, ok, render, see_other};
use crate::AppState;
use crate::error::{ErrorKind, Front, OrWebError, WebError};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use std::collections::HashMap;
use stedenband_app::{AppError, EvaluationView, Evaluations, PartnershipView};
use stedenband_domain::evaluation::{
    CriterionInput, EvaluationInput, FollowUpInput, FollowUpStatus, RecommendationInput,
    criterion_fields, item_of,
};
use stedenband_domain::report::Aspect;
use stedenband_domain::{Action, Municipality, ValidationErrors};

type Vals = HashMap<String, String>;

/// Empty criterion rows on the form.
pub const CRITERION_ROWS: usize = 6;

fn service(s: &AppState) -> Evaluations {
    Evaluations::new(s.register.clone())
}

fn not_found(ctx: &Ctx) -> WebError {
    WebError::new(Front::Page, ctx.lang, ErrorKind::NotFound).at(&ctx.path)
}

/// A text's lines, for showing its line breaks without markup in the text.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn t1(lang: Lang, key: &str, name: &'static str, value: impl Into<String>) -> String {
    lang.t_args(key, &[(name, value.into().into())])
}

fn partner_label(m: &Municipality, p: &PartnershipView) -> String {
    if p.home.id == m.id {
        p.partner.name().to_string()
    } else {
        format!("{} ({})", p.partner.name(), p.home.name())
    }
}

// ---- the list -------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    municipality: Option<String>,
}

struct ListRow {
    href: String,
    title: String,
    year: i16,
    municipality: String,
    carried_out_by: String,
    period: String,
    partnerships: String,
}

#[derive(Template)]
#[template(path = "evaluation_list.html")]
struct ListPage {
    ctx: Ctx,
    /// The municipality shown (name), when one is chosen.
    name: Option<String>,
    chosen: String,
    options: Vec<(String, String)>,
    rows: Vec<ListRow>,
    count: u64,
    /// The form for a new evaluation, for those who may record one.
    new_href: Option<String>,
}

/// The evaluations of a municipality and its predecessors, or of every municipality.
pub async fn evaluations(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let lang = ctx.lang;
    let key = q
        .municipality
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let chosen = match key {
        Some(k) => Some(
            s.register
                .find_municipality(k)
                .await
                .or_page(&ctx)?
                .ok_or_else(|| not_found(&ctx))?,
        ),
        None => None,
    };
    let ev = service(&s);
    let found = ev
        .evaluations(&ctx.auth.caller, chosen.as_ref().map(|m| m.id.0.as_str()))
        .await
        .or_page(&ctx)?;
    let not_stated = lang.t("evaluation-not-stated");
    let rows: Vec<ListRow> = found
        .iter()
        .map(|v| {
            let d = &v.record.draft;
            ListRow {
                href: format!("/evaluations/{}", v.record.id),
                title: d.title.to_string(),
                year: d.year,
                municipality: v.municipality.name().to_string(),
                carried_out_by: d
                    .carried_out_by
                    .as_ref()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| not_stated.clone()),
                period: d
                    .period
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| not_stated.clone()),
                partnerships: v
                    .partnerships
                    .iter()
                    .map(|p| p.partner.name().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();
    let homes = s.register.home_municipalities().await.or_page(&ctx)?;
    let mut options: Vec<(String, String)> = homes
        .iter()
        .map(|m| (m.slug.to_string(), m.name().to_string()))
        .collect();
    if let Some(m) = &chosen
        && !options.iter().any(|(slug, _)| *slug == m.slug.as_str())
    {
        options.push((m.slug.to_string(), m.name().to_string()));
    }
    let new_href = match &chosen {
        Some(m) => ev
            .may_record(&ctx.auth.caller, m)
            .await
            .then(|| format!("/evaluations/new?municipality={}", m.slug)),
        None => {
            let mut any = false;
            for m in &homes {
                if ev.may_record(&ctx.auth.caller, m).await {
                    any = true;
                    break;
                }
            }
            any.then(|| "/evaluations/new".to_owned())
        }
    };
    ok(&ListPage {
        name: chosen.as_ref().map(|m| m.name().to_string()),
        chosen: chosen.map(|m| m.slug.to_string()).unwrap_or_default(),
        options,
        count: rows.len() as u64,
        rows,
        new_href,
        ctx,
    })
}

// ---- one evaluation -------------------------------------------------------------------------------

struct CriterionRow {
    name: String,
    aspect: String,
    finding: Vec<String>,
}

struct RecommendationRow {
    number: usize,
    text: Vec<String>,
    status: String,
    status_code: &'static str,
    date: String,
    iso: String,
    note: Vec<String>,
}

/// One evaluation as the page shows it. New parts (the computed report for the evaluation's
/// period, next to the conclusions) are added as fields here and drawn at the marked place in
/// `evaluation_detail.html`.
#[derive(Template)]
#[template(path = "evaluation_detail.html")]
struct DetailPage {
    ctx: Ctx,
    id: String,
    title: String,
    municipality: String,
    municipality_slug: String,
    facts: Vec<Fact>,
    research_question: Vec<String>,
    criteria: Vec<CriterionRow>,
    conclusions: Vec<Vec<String>>,
    recommendations: Vec<RecommendationRow>,
    /// The form to record a follow-up, for the municipality's officials.
    may_edit: bool,
    form: FormFields,
    datalist: Vec<String>,
    /// The figures a report computes for the evaluation's period and partnerships, beside its
    /// findings; none when the evaluation states no period.
    figures: Option<super::reports::EvaluationFigures>,
    /// The decisions about it (the motion that led to it, say), oldest first.
    about: super::decisions::About,
}

fn follow_up_fields(
    lang: Lang,
    v: &EvaluationView,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let numbers: Vec<(String, String)> = (1..=v.record.draft.recommendations.len())
        .map(|n| {
            (
                n.to_string(),
                t1(lang, "evaluation-recommendation-n", "n", n.to_string()),
            )
        })
        .collect();
    let statuses: Vec<&str> = FollowUpStatus::ALL.iter().map(|s| s.as_str()).collect();
    FormBuilder::new(lang, vals, errors)
        .select_options("recommendation", "evaluation-field-recommendation", numbers)
        .select(
            "status",
            "evaluation-field-status",
            "evaluation-status",
            &statuses,
            None,
        )
        .text_with("date", "evaluation-field-status-date", false, |f| {
            f.input_type = "date"
        })
        .textarea("note", "evaluation-field-note", false)
        .build()
}

async fn detail_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    failed: Option<(&Vals, &ValidationErrors)>,
) -> Result<DetailPage, WebError> {
    let v = service(s)
        .evaluation(&ctx.auth.caller, id)
        .await
        .or_page(&ctx)?;
    let lang = ctx.lang;
    let d = &v.record.draft;
    let m = &v.municipality;
    let not_stated = || lang.t("evaluation-not-stated");
    let plain = |key: &str, value: String| Fact {
        label: lang.t(key),
        value,
        href: None,
    };
    let name = |n: &Option<stedenband_domain::Name>| {
        n.as_ref().map(|n| n.to_string()).unwrap_or_else(not_stated)
    };
    let mut facts = vec![
        Fact {
            label: lang.t("evaluation-field-municipality"),
            value: m.name().to_string(),
            href: Some(format!("/municipalities/{}", m.slug)),
        },
        plain("evaluation-field-year", d.year.to_string()),
        plain("evaluation-field-commissioned-by", name(&d.commissioned_by)),
        plain("evaluation-field-carried-out-by", name(&d.carried_out_by)),
        plain("evaluation-field-occasion", name(&d.occasion)),
        plain(
            "evaluation-fact-period",
            d.period.map(|p| p.to_string()).unwrap_or_else(not_stated),
        ),
    ];
    for p in &v.partnerships {
        facts.push(Fact {
            label: lang.t("evaluation-fact-partnership"),
            value: format!("{} – {}", p.holder.name(), p.partner.name()),
            href: Some(format!("/partnerships/{}", p.partnership.id)),
        });
    }
    let criteria = d
        .criteria
        .iter()
        .map(|c| CriterionRow {
            name: c.name.to_string(),
            aspect: lang.choice("evaluation-aspect", c.aspect.as_str()),
            finding: lines(&c.finding),
        })
        .collect();
    let recommendations = d
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = &r.follow_up;
            RecommendationRow {
                number: i + 1,
                text: lines(&r.text),
                status: lang.choice("evaluation-status", f.status.as_str()),
                status_code: f.status.as_str(),
                date: f.date.map(|d| lang.full_date(d)).unwrap_or_default(),
                iso: f.date.map(|d| d.to_string()).unwrap_or_default(),
                note: f.note.as_deref().map(lines).unwrap_or_default(),
            }
        })
        .collect();
    let may_edit = v.may_edit && !d.recommendations.is_empty();
    let defaults = Vals::from([
        ("recommendation".to_owned(), "1".to_owned()),
        (
            "status".to_owned(),
            d.recommendations
                .first()
                .map(|r| r.follow_up.status.as_str())
                .unwrap_or("open")
                .to_owned(),
        ),
    ]);
    let (vals, errors) = match failed {
        Some((vals, e)) => (vals, Some(e)),
        None => (&defaults, None),
    };
    let form = if may_edit {
        follow_up_fields(lang, &v, vals, errors)
    } else {
        FormBuilder::new(lang, &defaults, None).build()
    };
    let figures = match d.period {
        Some(p) => {
            super::reports::evaluation_figures(
                &ctx,
                s,
                &m.slug.to_string(),
                p.from,
                p.to,
                &d.partnerships,
                &d.criteria,
            )
            .await?
        }
        None => None,
    };
    let about = super::decisions::about(
        &ctx,
        s,
        stedenband_domain::decision::AffectedKind::Evaluation,
        &v.record.id,
        "decisions",
        2,
    )
    .await?;
    Ok(DetailPage {
        about,
        figures,
        id: v.record.id.clone(),
        title: d.title.to_string(),
        municipality: m.name().to_string(),
        municipality_slug: m.slug.to_string(),
        facts,
        research_question: d
            .research_question
            .as_deref()
            .map(lines)
            .unwrap_or_default(),
        criteria,
        conclusions: d.conclusions.iter().map(|c| lines(c)).collect(),
        recommendations,
        may_edit,
        form,
        datalist: vec![],
        ctx,
    })
}

/// One evaluation (public); the follow-up form for the municipality's officials.
pub async fn evaluation(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    ok(&detail_page(ctx, &s, &id, None).await?)
}

/// Records what became of a recommendation; back to the evaluation.
pub async fn record_follow_up(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/evaluations/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let input = FollowUpInput {
        status: get(&vals, "status"),
        date: get(&vals, "date"),
        note: get(&vals, "note"),
    };
    // An unreadable number names no recommendation; the use case refuses those without the
    // right first, and then says it is not there.
    let number = get(&vals, "recommendation")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let caller = ctx.auth.caller.clone();
    let result = service(&s)
        .record_follow_up(&caller, &id, number, &input)
        .await;
    let invalid = match result {
        Ok(v) => return see_other(&format!("/evaluations/{}#recommendations", v.record.id)),
        Err(AppError::Invalid(e)) => e,
        // The evaluation is there (the use case found it before the number): the number is
        // what is wrong.
        Err(AppError::NotFound) if service(&s).evaluation(&caller, &id).await.is_ok() => {
            ValidationErrors::single("recommendation", "error-choice-invalid")
        }
        Err(e) => return Err(app_error(&ctx, e)),
    };
    let page = detail_page(ctx, &s, &id, Some((&vals, &invalid))).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

// ---- the form ------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    municipality: Option<String>,
}

/// The form for a municipality, or the choice of municipality when the caller may record
/// evaluations for several.
#[derive(Template)]
#[template(path = "evaluation_new.html")]
struct NewPage {
    ctx: Ctx,
    title: String,
    /// The municipality the form is for (slug); empty while choosing.
    slug: String,
    choices: Vec<(String, String)>,
    form: FormFields,
    datalist: Vec<String>,
}

fn new_fields(
    lang: Lang,
    m: &Municipality,
    partnerships: &[PartnershipView],
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    // Errors on single conclusions and recommendations go to their text area, numbered.
    let mut direct = ValidationErrors::default();
    let mut per_area: HashMap<&'static str, Vec<String>> = HashMap::new();
    for e in errors.map(|e| e.0.as_slice()).unwrap_or_default() {
        match item_of(e.field) {
            Some(("conclusions", i, _)) => {
                per_area.entry("conclusions").or_default().push(lang.t_args(
                    "evaluation-error-conclusion",
                    &[
                        ("n", (i + 1).to_string().into()),
                        ("message", lang.t(e.key).into()),
                    ],
                ))
            }
            Some(("recommendations", i, _)) => {
                per_area
                    .entry("recommendations")
                    .or_default()
                    .push(lang.t_args(
                        "evaluation-error-recommendation",
                        &[
                            ("n", (i + 1).to_string().into()),
                            ("message", lang.t(e.key).into()),
                        ],
                    ))
            }
            _ => direct.push(e.field, e.key),
        }
    }
    let aspects: Vec<&str> = Aspect::ALL.iter().map(|a| a.as_str()).collect();
    let options: Vec<(String, String)> = partnerships
        .iter()
        .map(|p| (p.partnership.id.0.clone(), partner_label(m, p)))
        .collect();
    let mut b = FormBuilder::new(lang, vals, Some(&direct))
        .text_with("year", "evaluation-field-year", true, |f| {
            f.input_type = "number"
        })
        .text("title", "evaluation-field-title", true)
        .text("commissionedBy", "evaluation-field-commissioned-by", false)
        .text("carriedOutBy", "evaluation-field-carried-out-by", false)
        .text("occasion", "evaluation-field-occasion", false)
        .textarea(
            "researchQuestion",
            "evaluation-field-research-question",
            false,
        )
        .text_with("periodFrom", "evaluation-field-period-from", false, |f| {
            f.input_type = "number"
        })
        .text_with("periodTo", "evaluation-field-period-to", false, |f| {
            f.input_type = "number"
        })
        .checkboxes(
            "partnerships",
            "evaluation-field-partnerships",
            options,
            true,
        );
    for i in 0..CRITERION_ROWS {
        let [name, aspect, finding] = criterion_fields(i).expect("a handful of rows");
        b = b
            .text(name, "evaluation-field-criterion-name", false)
            .select(
                aspect,
                "evaluation-field-criterion-aspect",
                "evaluation-aspect",
                &aspects,
                Some("evaluation-aspect-none"),
            )
            .textarea(finding, "evaluation-field-criterion-finding", false);
    }
    let mut form = b
        .textarea("conclusions", "evaluation-field-conclusions", false)
        .textarea("recommendations", "evaluation-field-recommendations", false)
        .build();
    for f in &mut form.list {
        if let Some(("criteria", i, part)) = item_of(f.name) {
            let n = (i + 1).to_string();
            f.label = t1(lang, &format!("evaluation-field-criterion-{part}"), "n", n);
            // The hint is said once, at the first row.
            if i > 0 {
                f.hint = None;
            }
        }
        if let Some(list) = per_area.get(f.name) {
            f.error = Some(list.join(" "));
        }
    }
    form
}

/// The raw input of the form: criterion rows by number, conclusions and recommendations one a
/// line, the partnerships as checked (one a value, or several on lines of one value).
fn new_input(pairs: &[(String, String)], vals: &Vals) -> EvaluationInput {
    let partnerships = pairs
        .iter()
        .filter(|(k, _)| k == "partnerships")
        .flat_map(|(_, v)| v.lines().map(|l| l.trim().to_owned()).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect();
    let line_items = |name: &str| -> Vec<String> {
        vals.get(name)
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    EvaluationInput {
        municipality: get(vals, "municipality"),
        year: get(vals, "year"),
        title: get(vals, "title"),
        commissioned_by: get(vals, "commissionedBy"),
        carried_out_by: get(vals, "carriedOutBy"),
        occasion: get(vals, "occasion"),
        research_question: get(vals, "researchQuestion"),
        period_from: get(vals, "periodFrom"),
        period_to: get(vals, "periodTo"),
        partnerships,
        criteria: (0..CRITERION_ROWS)
            .map(|i| {
                let [name, aspect, finding] = criterion_fields(i).expect("a handful of rows");
                CriterionInput {
                    name: get(vals, name),
                    aspect: get(vals, aspect),
                    finding: get(vals, finding),
                }
            })
            .collect(),
        conclusions: line_items("conclusions"),
        recommendations: line_items("recommendations")
            .into_iter()
            .map(|text| RecommendationInput {
                text: Some(text),
                follow_up: FollowUpInput::default(),
            })
            .collect(),
    }
}

async fn form_page(
    ctx: Ctx,
    s: &AppState,
    m: &Municipality,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> Result<NewPage, WebError> {
    let partnerships: Vec<PartnershipView> = service(s)
        .partnerships_of(m)
        .await
        .or_page(&ctx)?
        .into_values()
        .collect();
    let form = new_fields(ctx.lang, m, &partnerships, vals, errors);
    Ok(NewPage {
        title: t1(
            ctx.lang,
            "evaluation-new-title",
            "name",
            m.name().to_string(),
        ),
        slug: m.slug.to_string(),
        choices: vec![],
        form,
        datalist: vec![],
        ctx,
    })
}

/// The form to record an evaluation of a municipality (its officials). Without a municipality:
/// the caller's own when there is one, a choice when there are several.
pub async fn new_evaluation(
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
        Some(k) => s
            .register
            .find_municipality(k)
            .await
            .or_page(&ctx)?
            .ok_or_else(|| not_found(&ctx))?,
        None => {
            ctx.auth
                .caller
                .require_login()
                .map_err(|e| app_error(&ctx, e))?;
            let homes = s.register.home_municipalities().await.or_page(&ctx)?;
            let ev = service(&s);
            let mut mine = Vec::new();
            for m in &homes {
                if ev.may_record(&ctx.auth.caller, m).await {
                    mine.push(m.clone());
                }
            }
            match mine.as_slice() {
                [only] => only.clone(),
                [] => {
                    // Refused (and audited) as the form of the first municipality would be.
                    if let Some(first) = homes.first() {
                        let holder = s.register.holder(&first.id).await.or_page(&ctx)?;
                        ctx.require(&s, &Action::ManageEvaluations(holder)).await?;
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
                                format!("/evaluations/new?municipality={}", m.slug),
                                m.name().to_string(),
                            )
                        })
                        .collect();
                    let title = ctx.t("evaluation-new-choose");
                    return ok(&NewPage {
                        title,
                        slug: String::new(),
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
    ctx.require(&s, &Action::ManageEvaluations(holder)).await?;
    let defaults = Vals::new();
    ok(&form_page(ctx, &s, &m, &defaults, None).await?)
}

/// Records an evaluation; to its page.
pub async fn create_evaluation(
    ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut vals = values(pairs.clone());
    ctx.check_csrf(&vals)?;
    let input = new_input(&pairs, &vals);
    // The checked partnerships, one per line, for drawing the checkboxes again.
    vals.insert("partnerships".into(), input.partnerships.join("\n"));
    let caller = ctx.auth.caller.clone();
    match service(&s).create(&caller, &input).await {
        Ok(v) => see_other(&format!("/evaluations/{}", v.record.id)),
        Err(AppError::Invalid(e)) => {
            let m = match input.municipality.as_deref() {
                Some(k) => s.register.find_municipality(k).await.or_page(&ctx)?,
                None => None,
            };
            let Some(m) = m else {
                // No municipality to draw the form for: the refusal as a page.
                return Err(app_error(&ctx, AppError::Invalid(e)));
            };
            let page = form_page(ctx, &s, &m, &vals, Some(&e)).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}
