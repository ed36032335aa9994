//! The activities' pages: the calendar (a month as a table of weeks, and what comes up in the
//! next 90 days), an activity with its occurrences, their figures and its reception, the form to
//! plan or change one, and a municipality's open reception requests. Who may see, plan, record
//! and receive is decided by the use cases in `stedenband_app::activities`; these handlers only
//! leave out the forms a view says the caller may not use.

use super::forms::{Field, FormBuilder, FormFields, get, values};
use super::organisation::Fact;
use super::{Ctx, FormPage, PageResult, encode, ok, render, see_other};
use crate::AppState;
use crate::error::{Front, OrWebError, WebError};
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use jiff::ToSpan;
use jiff::civil::{Date, Time};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use stedenband_app::activities::{ActivityView, OccurrenceView, YearNumbers};
use stedenband_app::organisation::today;
use stedenband_app::{AppError, PageRequest, PartnershipView};
use stedenband_domain::activity::{
    Activity, ActivityInput, ActivityStatus, Category, Direction, FiguresInput, Occurrence,
    Organiser, ReceptionInput, ReceptionStatus, Schedule, reception_allowed, resolved_time,
};
use stedenband_domain::organisation::WorkingGroup;
use stedenband_domain::{Action, MunicipalityId, ValidationErrors};
use stedenband_store::ActivityFilter;

type Vals = HashMap<String, String>;

/// How far ahead the "upcoming" list looks.
const UPCOMING_DAYS: i32 = 90;

pub(super) fn app_error(ctx: &Ctx, e: AppError) -> WebError {
    WebError::from_app(Front::Page, ctx.lang, e).at(&ctx.path)
}

/// A query value, absent when blank.
fn given(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn hhmm(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

/// The first letter in upper case ("december 2017" as a heading: "December 2017").
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn month_name(lang: Lang, d: Date) -> String {
    format!("{} {}", lang.t(&format!("month-{}", d.month())), d.year())
}

/// "10 december 2017, 18:30–20:00" or "1 december 2017 – 6 januari 2018": one occurrence
/// of a schedule, with its times of day (in the activity's zone; a time that the change to
/// summer time skips on that day is shown moved forward, as the iCalendar feed has it).
pub(super) fn span_text(lang: Lang, start: Date, end: Date, s: &Schedule) -> String {
    let s = &Schedule {
        start_time: s.start_time.map(|t| resolved_time(start, t, &s.zone)),
        end_time: s.end_time.map(|t| resolved_time(end, t, &s.zone)),
        ..s.clone()
    };
    if start == end {
        let day = lang.full_date(start);
        match (s.start_time, s.end_time) {
            (Some(a), Some(b)) => format!("{day}, {}–{}", hhmm(a), hhmm(b)),
            (Some(a), None) => format!("{day}, {}", hhmm(a)),
            _ => day,
        }
    } else {
        let at = |d: Date, t: Option<Time>| match t {
            Some(t) => format!("{} {}", lang.full_date(d), hhmm(t)),
            None => lang.full_date(d),
        };
        format!("{} – {}", at(start, s.start_time), at(end, s.end_time))
    }
}

/// An amount in euros as people write it: "€ 6.500,00" (Dutch), "€6,500.00" (English).
pub fn euros(lang: Lang, amount: &impl Display) -> String {
    let text = amount.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(2).collect();
    let (group, decimal, prefix) = match lang {
        // A non-breaking space: the sign stays with the amount.
        Lang::Nl => ('.', ',', "€\u{a0}"),
        Lang::En => (',', '.', "€"),
    };
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(*c);
    }
    format!("{prefix}{grouped}{decimal}{frac}")
}

fn is_zero(amount: &impl Display) -> bool {
    amount.to_string().chars().all(|c| c == '0' || c == '.')
}

// ---- partnerships and organisers ---------------------------------------------------------------

/// Every partnership (of a municipality, or all), page by page.
pub(super) async fn all_partnerships(
    s: &AppState,
    ctx: &Ctx,
    municipality: Option<&str>,
) -> Result<Vec<PartnershipView>, WebError> {
    let mut all = Vec::new();
    for number in 1.. {
        let page = s
            .register
            .partnerships(
                municipality,
                PageRequest::new(number, PageRequest::MAX_SIZE),
            )
            .await
            .or_page(ctx)?;
        let last = number >= page.pages() || page.items.is_empty();
        all.extend(page.items);
        if last {
            break;
        }
    }
    Ok(all)
}

/// The partnerships by id, with "holder – partner" labels (all of them, page by page; one
/// added since is looked up on its own).
struct Partnerships {
    views: HashMap<String, PartnershipView>,
}

pub(super) fn partnership_label(p: &PartnershipView) -> String {
    format!("{} – {}", p.holder.name(), p.partner.name())
}

impl Partnerships {
    async fn load(s: &AppState, ctx: &Ctx) -> Result<Self, WebError> {
        Ok(Self {
            views: all_partnerships(s, ctx, None)
                .await?
                .into_iter()
                .map(|p| (p.partnership.id.0.clone(), p))
                .collect(),
        })
    }

    async fn get(
        &mut self,
        s: &AppState,
        ctx: &Ctx,
        id: &str,
    ) -> Result<&PartnershipView, WebError> {
        if !self.views.contains_key(id) {
            let v = s.register.partnership(id).await.or_page(ctx)?.view;
            self.views.insert(id.to_owned(), v);
        }
        Ok(&self.views[id])
    }

    /// (id, label) sorted by label.
    fn options(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .views
            .values()
            .map(|p| (p.partnership.id.0.clone(), partnership_label(p)))
            .collect();
        v.sort_by_key(|(_, l)| stedenband_domain::text::fold(l));
        v
    }
}

/// What the activity form offers to this caller: the partnerships and organisers they may plan
/// activities for.
struct Choices {
    partnerships: Vec<(String, String)>,
    organisers: Vec<(String, String)>,
    groups: Vec<WorkingGroup>,
}

impl Choices {
    async fn load(s: &AppState, ctx: &Ctx) -> Result<Self, WebError> {
        let caller = &ctx.auth.caller;
        let all = Partnerships::load(s, ctx).await?;
        let groups = s.organisation.working_groups(None).await.or_page(ctx)?;
        let now = today();
        let mut organisers = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        for p in all.views.values() {
            let right = Action::EditActivity {
                municipality: p.holder.id.clone(),
                group: None,
            };
            if s.register.allows(caller, &right) {
                ids.insert(p.partnership.id.0.clone());
            }
        }
        if !ids.is_empty() {
            organisers.push((
                "municipality".to_owned(),
                ctx.t("organiser-municipality-option"),
            ));
        }
        let mut group_options = Vec::new();
        for g in &groups {
            if g.draft.term.end.is_some_and(|e| e < now) {
                continue;
            }
            let holder = g
                .draft
                .partnerships
                .iter()
                .find_map(|p| all.views.get(&p.0))
                .map(|p| p.holder.id.clone())
                .unwrap_or_else(|| MunicipalityId(String::new()));
            let right = Action::EditActivity {
                municipality: holder,
                group: Some((g.foundation.clone(), g.id.clone())),
            };
            if s.register.allows(caller, &right) {
                group_options.push((g.id.clone(), g.draft.name.to_string()));
                ids.extend(g.draft.partnerships.iter().map(|p| p.0.clone()));
            }
        }
        group_options.sort_by_key(|(_, l)| stedenband_domain::text::fold(l));
        organisers.extend(group_options);
        let partnerships = all
            .options()
            .into_iter()
            .filter(|(id, _)| ids.contains(id))
            .collect();
        Ok(Choices {
            partnerships,
            organisers,
            groups,
        })
    }

    fn any(&self) -> bool {
        !self.partnerships.is_empty() && !self.organisers.is_empty()
    }

    /// A working group's id from its id or slug.
    fn group_id(&self, key: &str) -> Option<String> {
        self.groups
            .iter()
            .find(|g| g.id == key || g.slug.as_str() == key)
            .map(|g| g.id.clone())
    }

    /// Makes sure an activity's current partnership and organiser can be chosen (an editor of
    /// an activity keeps seeing what it has).
    fn include(&mut self, vals: &Vals, labels: (String, String)) {
        if let Some(p) = vals.get("partnership")
            && !self.partnerships.iter().any(|(id, _)| id == p)
        {
            self.partnerships.push((p.clone(), labels.0));
        }
        if let Some(o) = vals.get("organiser")
            && !self.organisers.iter().any(|(id, _)| id == o)
        {
            self.organisers.push((o.clone(), labels.1));
        }
    }
}

fn with_blank(lang: Lang, options: &[(String, String)]) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), lang.t("choose"))];
    v.extend(options.iter().cloned());
    v
}

/// The right to change an activity, for refusing its form (and auditing the refusal).
async fn edit_right(s: &AppState, ctx: &Ctx, v: &ActivityView) -> Result<Action, WebError> {
    let group = match &v.activity.draft.organiser {
        Organiser::WorkingGroup(id) => s
            .organisation
            .working_groups(None)
            .await
            .or_page(ctx)?
            .into_iter()
            .find(|g| &g.id == id)
            .map(|g| (g.foundation, g.id)),
        Organiser::Municipality => None,
    };
    Ok(Action::EditActivity {
        municipality: v.partnership.holder.id.clone(),
        group,
    })
}

// ---- the calendar ----------------------------------------------------------------------------

/// One occurrence as listed in the calendar.
pub struct CalItem {
    pub href: String,
    pub title: String,
    /// The start time, when the activity has one.
    pub time: Option<String>,
    /// The partner town.
    pub partner: String,
    pub partnership: String,
    pub category: String,
    /// When it runs, in words.
    pub when: String,
    pub start_iso: String,
    /// "until 6 January 2018" for an occurrence of several days.
    pub until: Option<String>,
    pub cancelled: bool,
    /// Shown to logged-in users only (so marked for them).
    pub internal: bool,
}

pub struct DayCell {
    pub number: i8,
    pub label: String,
    pub iso: String,
    pub today: bool,
    pub items: Vec<CalItem>,
}

pub struct Week {
    pub days: Vec<Option<DayCell>>,
}

pub struct MonthLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct CalendarPage {
    ctx: Ctx,
    heading: String,
    caption: String,
    weekdays: Vec<String>,
    weeks: Vec<Week>,
    /// Occurrences that began before this month and still run in it.
    running: Vec<CalItem>,
    month_empty: bool,
    prev: MonthLink,
    next: MonthLink,
    this_month: Option<MonthLink>,
    filters: FormFields,
    upcoming: Vec<CalItem>,
    upcoming_title: String,
    new_href: Option<String>,
    /// The iCalendar feed of what is filtered (a partnership or a working group).
    feed: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    month: Option<String>,
    partnership: Option<String>,
    #[serde(rename = "workingGroup")]
    working_group: Option<String>,
    category: Option<String>,
}

/// "2017-12" as the first day of that month.
fn parse_month(raw: &str) -> Result<Date, &'static str> {
    let (y, m) = raw.trim().split_once('-').ok_or("error-month-invalid")?;
    let ok =
        y.len() == 4 && m.len() == 2 && (y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit());
    if !ok {
        return Err("error-month-invalid");
    }
    let (y, m): (i16, i8) = (
        y.parse().map_err(|_| "error-month-invalid")?,
        m.parse().map_err(|_| "error-month-invalid")?,
    );
    if !(1000..=2200).contains(&y) {
        return Err("error-year-out-of-range");
    }
    Date::new(y, m, 1).map_err(|_| "error-month-invalid")
}

fn month_value(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn cal_item(lang: Lang, a: &Activity, o: &Occurrence, p: &PartnershipView) -> CalItem {
    let d = &a.draft;
    CalItem {
        href: format!("/activities/{}#occ-{}", a.id, o.start),
        title: d.title.to_string(),
        time: d
            .schedule
            .start_time
            .map(|t| hhmm(resolved_time(o.start, t, &d.schedule.zone))),
        partner: p.partner.name().to_string(),
        partnership: partnership_label(p),
        category: lang.choice("category", d.category.as_str()),
        when: span_text(lang, o.start, o.end, &d.schedule),
        start_iso: o.start.to_string(),
        until: (o.end != o.start)
            .then(|| lang.t_args("cal-until", &[("date", lang.full_date(o.end).into())])),
        cancelled: d.status == ActivityStatus::Cancelled,
        internal: !d.public,
    }
}

/// The calendar: a month as a table of weeks, filters, and the next 90 days.
pub async fn calendar(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<CalendarQuery>,
) -> PageResult {
    let lang = ctx.lang;
    let now = today();
    let mut errors = ValidationErrors::default();
    let first = match given(&q.month) {
        None => now.first_of_month(),
        Some(m) => match parse_month(&m) {
            Ok(d) => d,
            Err(k) => {
                errors.push("month", k);
                now.first_of_month()
            }
        },
    };
    let last = first.last_of_month();
    let mut partnerships = Partnerships::load(&s, &ctx).await?;
    let groups = s.organisation.working_groups(None).await.or_page(&ctx)?;
    let mut filter = ActivityFilter::default();
    // The filters that hold, for the links to other months.
    let mut kept: Vec<(&str, String)> = Vec::new();
    if let Some(p) = given(&q.partnership) {
        if partnerships.views.contains_key(&p) {
            filter.partnerships = vec![p.clone()];
            kept.push(("partnership", p));
        } else {
            errors.push("partnership", "error-partnership-unknown-id");
        }
    }
    if let Some(g) = given(&q.working_group) {
        match groups.iter().find(|x| x.id == g || x.slug.as_str() == g) {
            Some(x) => {
                filter.working_group = Some(x.id.clone());
                kept.push(("workingGroup", x.slug.to_string()));
            }
            None => errors.push("workingGroup", "error-working-group-unknown"),
        }
    }
    if let Some(c) = given(&q.category) {
        match Category::parse(&c) {
            Ok(c) => {
                filter.category = Some(c);
                kept.push(("category", c.as_str().to_owned()));
            }
            Err(k) => errors.push("category", k),
        }
    }
    let feed = match (
        filter.partnerships.first(),
        kept.iter().find(|(k, _)| *k == "workingGroup"),
    ) {
        (_, Some((_, slug))) => Some(format!("/working-groups/{slug}/activities.ics")),
        (Some(p), None) => Some(format!("/partnerships/{p}/activities.ics")),
        (None, None) => None,
    };
    let caller = ctx.auth.caller.clone();
    let in_month = s
        .activities
        .calendar(&caller, filter.clone(), first, last)
        .await
        .or_page(&ctx)?;
    let ahead = now.checked_add(UPCOMING_DAYS.days()).unwrap_or(now);
    let coming = s
        .activities
        .calendar(&caller, filter, now, ahead)
        .await
        .or_page(&ctx)?;

    let mut by_day: HashMap<Date, Vec<CalItem>> = HashMap::new();
    let mut running = Vec::new();
    for (a, o) in &in_month {
        let p = partnerships.get(&s, &ctx, &a.draft.partnership.0).await?;
        let item = cal_item(lang, a, o, p);
        if o.start < first {
            running.push(item);
        } else {
            by_day.entry(o.start).or_default().push(item);
        }
    }
    let mut upcoming = Vec::new();
    for (a, o) in &coming {
        let p = partnerships.get(&s, &ctx, &a.draft.partnership.0).await?;
        upcoming.push(cal_item(lang, a, o, p));
    }

    let offset = first.weekday().to_monday_zero_offset() as usize;
    let mut cells: Vec<Option<DayCell>> = (0..offset).map(|_| None).collect();
    let mut day = first;
    while day <= last {
        cells.push(Some(DayCell {
            number: day.day(),
            label: lang.full_date(day),
            iso: day.to_string(),
            today: day == now,
            items: by_day.remove(&day).unwrap_or_default(),
        }));
        match day.tomorrow() {
            Ok(d) => day = d,
            Err(_) => break,
        }
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut it = cells.into_iter().peekable();
    while it.peek().is_some() {
        weeks.push(Week {
            days: it.by_ref().take(7).collect(),
        });
    }

    let query = |month: Date| {
        let mut parts = vec![format!("month={}", month_value(month))];
        parts.extend(kept.iter().map(|(k, v)| format!("{k}={}", encode(v))));
        format!("/activities?{}", parts.join("&"))
    };
    let prev_month = first
        .checked_sub(1.month())
        .unwrap_or(first)
        .first_of_month();
    let next_month = first
        .checked_add(1.month())
        .unwrap_or(first)
        .first_of_month();
    let prev = MonthLink {
        href: query(prev_month),
        label: lang.t_args("cal-prev", &[("date", month_name(lang, prev_month).into())]),
    };
    let next = MonthLink {
        href: query(next_month),
        label: lang.t_args("cal-next", &[("date", month_name(lang, next_month).into())]),
    };
    let this_month = (first != now.first_of_month()).then(|| MonthLink {
        href: query(now.first_of_month()),
        label: lang.t("cal-this-month"),
    });

    // The filter form shows what was asked for, also when it was refused.
    let mut vals: Vals = HashMap::new();
    vals.insert(
        "month".into(),
        given(&q.month).unwrap_or_else(|| month_value(first)),
    );
    for (k, v) in [
        ("partnership", given(&q.partnership)),
        ("workingGroup", given(&q.working_group)),
        ("category", given(&q.category)),
    ] {
        if let Some(v) = v {
            vals.insert(k.into(), v);
        }
    }
    if let Some(g) = vals.get("workingGroup").cloned()
        && let Some(x) = groups.iter().find(|x| x.id == g)
    {
        vals.insert("workingGroup".into(), x.slug.to_string());
    }
    let mut partnership_options = vec![(String::new(), lang.t("cal-all-partnerships"))];
    partnership_options.extend(partnerships.options());
    let mut group_options = vec![(String::new(), lang.t("cal-all-groups"))];
    let mut gs: Vec<(String, String)> = groups
        .iter()
        .map(|g| (g.slug.to_string(), g.draft.name.to_string()))
        .collect();
    gs.sort_by_key(|(_, l)| stedenband_domain::text::fold(l));
    group_options.extend(gs);
    let mut category_options = vec![(String::new(), lang.t("cal-all-categories"))];
    category_options.extend(
        Category::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), lang.choice("category", c.as_str()))),
    );
    let errs = (!errors.is_empty()).then_some(&errors);
    let filters = FormBuilder::new(lang, &vals, errs)
        .text_with("month", "field-month", false, |f| f.input_type = "month")
        .select_options(
            "partnership",
            "field-activity-partnership",
            partnership_options,
        )
        .select_options("workingGroup", "field-working-group", group_options)
        .select_options("category", "field-category", category_options)
        .build();

    let heading = capitalised(&month_name(lang, first));
    let new_href = ctx.logged_in().then(|| "/activities/new".to_owned());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let weekdays = (1..=7).map(|d| lang.t(&format!("weekday-{d}"))).collect();
    let page = CalendarPage {
        caption: lang.t_args("cal-caption", &[("date", month_name(lang, first).into())]),
        heading,
        weekdays,
        month_empty: in_month.is_empty(),
        weeks,
        running,
        prev,
        next,
        this_month,
        filters,
        upcoming,
        upcoming_title: lang.t_args("cal-upcoming", &[("count", (UPCOMING_DAYS as u32).into())]),
        new_href,
        feed,
        ctx,
    };
    Ok(render(status, &page))
}

// ---- an activity -----------------------------------------------------------------------------

/// One occurrence of an activity, as a row of the figures table.
pub struct OccRow {
    pub iso: String,
    pub when: String,
    pub home: u32,
    pub partner: u32,
    pub costs: String,
    pub notes: String,
    pub recorded: bool,
    /// Cancelled on its own, while the series runs on.
    pub cancelled: bool,
    /// The form to record this occurrence's figures: its values and errors.
    pub fields: Vec<Field>,
    pub open: bool,
}

/// The reception of an activity, as shown.
pub struct ReceptionRow {
    pub status_code: &'static str,
    pub status: String,
    pub scheduled: Option<String>,
    pub received_by: Option<String>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    ctx: Ctx,
    id: String,
    title: String,
    partnership_href: String,
    partnership_label: String,
    status_code: &'static str,
    status: String,
    facts: Vec<Fact>,
    description: Option<String>,
    outcomes: Option<String>,
    links: Vec<String>,
    may_edit: bool,
    recurring: bool,
    occurrences: Vec<OccRow>,
    /// The errors of a failed figures form: the field's id and the message.
    figures_errors: Vec<(String, String)>,
    /// Whether to show the reception section at all.
    show_reception: bool,
    reception: Option<ReceptionRow>,
    can_request: bool,
    reception_error: Option<String>,
    /// The form for the next step of the reception (officials), when there is one.
    can_step: bool,
    form: FormFields,
    datalist: Vec<String>,
}

/// Everything an activity page shows besides the view: a failed form and what was typed.
#[derive(Default)]
struct ActivityExtras<'a> {
    figures: Option<(Date, &'a Vals, &'a ValidationErrors)>,
    reception_error: Option<String>,
    step: Option<(&'a Vals, &'a ValidationErrors)>,
}

fn figures_fields(lang: Lang, vals: &Vals, errors: Option<&ValidationErrors>) -> Vec<Field> {
    FormBuilder::new(lang, vals, errors)
        .text("participantsHome", "field-participants-home", false)
        .text("participantsPartner", "field-participants-partner", false)
        .text("costs", "field-costs", false)
        .textarea("notes", "field-notes", false)
        .checkbox("cancelled", "field-occurrence-cancelled")
        .build()
        .list
}

fn occurrence_row(lang: Lang, a: &Activity, o: &OccurrenceView, extras: &ActivityExtras) -> OccRow {
    let failed = extras
        .figures
        .filter(|(on, _, _)| *on == o.occurrence.start);
    let fields = match failed {
        Some((_, vals, errors)) => figures_fields(lang, vals, Some(errors)),
        None => {
            let mut vals = Vals::new();
            if o.recorded {
                vals.insert("participantsHome".into(), o.participants_home.to_string());
                vals.insert(
                    "participantsPartner".into(),
                    o.participants_partner.to_string(),
                );
                if let Some(c) = &o.costs {
                    vals.insert("costs".into(), c.to_string());
                }
                if let Some(n) = &o.notes {
                    vals.insert("notes".into(), n.clone());
                }
                if o.cancelled {
                    vals.insert("cancelled".into(), "on".into());
                }
            }
            figures_fields(lang, &vals, None)
        }
    };
    OccRow {
        iso: o.occurrence.start.to_string(),
        when: span_text(
            lang,
            o.occurrence.start,
            o.occurrence.end,
            &a.draft.schedule,
        ),
        home: o.participants_home,
        partner: o.participants_partner,
        costs: o.costs.as_ref().map(|c| euros(lang, c)).unwrap_or_default(),
        notes: o.notes.clone().unwrap_or_default(),
        recorded: o.recorded,
        cancelled: o.cancelled,
        open: failed.is_some(),
        fields,
    }
}

fn step_fields(
    lang: Lang,
    next: &[ReceptionStatus],
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormFields {
    let codes: Vec<&str> = next.iter().map(|s| s.as_str()).collect();
    FormBuilder::new(lang, vals, errors)
        .radios("status", "field-reception-step", "reception-status", &codes)
        .text_with("scheduledOn", "field-scheduled-on", false, |f| {
            f.input_type = "date"
        })
        .text_with("scheduledAt", "field-scheduled-at", false, |f| {
            f.input_type = "time"
        })
        .text("receivedBy", "field-received-by", false)
        .textarea("note", "field-reception-note", false)
        .build()
}

async fn activity_page(
    ctx: Ctx,
    s: &AppState,
    id: &str,
    extras: ActivityExtras<'_>,
) -> Result<ActivityPage, WebError> {
    let lang = ctx.lang;
    let v = s
        .activities
        .activity(&ctx.auth.caller, id)
        .await
        .or_page(&ctx)?;
    let a = &v.activity;
    let d = &a.draft;
    let now = today();
    let horizon = now.checked_add(1.year()).unwrap_or(now).max(d.schedule.end);
    let mut occ = s.activities.occurrences(a, horizon).await.or_page(&ctx)?;
    // The latest first: that is where figures are recorded.
    occ.reverse();
    let occurrences: Vec<OccRow> = occ
        .iter()
        .map(|o| occurrence_row(lang, a, o, &extras))
        .collect();
    let figures_errors = occurrences
        .iter()
        .flat_map(|r| {
            r.fields.iter().filter_map(move |f| {
                let e = f.error.as_ref()?;
                Some((
                    format!("fig-{}-{}", r.iso, f.name),
                    format!("{}, {}: {e}", r.when, f.label),
                ))
            })
        })
        .collect();

    let mut facts = Vec::new();
    let fact = |label: &str, value: String, href: Option<String>| Fact {
        label: lang.t(label),
        value,
        href,
    };
    facts.push(fact(
        "col-partnership",
        partnership_label(&v.partnership),
        Some(format!("/partnerships/{}", v.partnership.partnership.id)),
    ));
    let when = span_text(lang, d.schedule.start, d.schedule.end, &d.schedule);
    facts.push(fact(
        if d.recurrence.is_some() {
            "col-first-occurrence"
        } else {
            "col-when"
        },
        when,
        None,
    ));
    if d.schedule.start_time.is_some() || d.schedule.end_time.is_some() {
        facts.push(fact("field-timezone", d.schedule.zone.to_string(), None));
    }
    if let Some(r) = &d.recurrence {
        let text = match r.until {
            Some(u) => lang.t_args(
                &format!("recurrence-{}-until", r.frequency.as_str()),
                &[("date", lang.full_date(u).into())],
            ),
            None => lang.choice("recurrence", r.frequency.as_str()),
        };
        facts.push(fact("field-recurrence", text, None));
    }
    if let Some(p) = &d.place {
        facts.push(fact("field-place", p.clone(), None));
    }
    let organiser = match (&d.organiser, &v.group) {
        (Organiser::WorkingGroup(_), Some((_, slug, name))) => fact(
            "field-organiser",
            name.clone(),
            Some(format!("/working-groups/{slug}")),
        ),
        (Organiser::WorkingGroup(g), None) => fact("field-organiser", g.clone(), None),
        (Organiser::Municipality, _) => fact(
            "field-organiser",
            lang.t_args(
                "organiser-municipality",
                &[("name", v.partnership.holder.name().to_string().into())],
            ),
            Some(format!("/municipalities/{}", v.partnership.holder.slug)),
        ),
    };
    facts.push(organiser);
    facts.push(fact(
        "field-direction",
        lang.choice("direction", d.direction.as_str()),
        None,
    ));
    facts.push(fact(
        "field-category",
        lang.choice("category", d.category.as_str()),
        None,
    ));
    facts.push(fact(
        "field-participants-home",
        d.participants_home.to_string(),
        None,
    ));
    facts.push(fact(
        "field-participants-partner",
        d.participants_partner.to_string(),
        None,
    ));
    facts.push(fact(
        "col-visibility",
        lang.t(if d.public {
            "activity-public"
        } else {
            "activity-internal"
        }),
        None,
    ));

    let reception = v.reception.as_ref().map(|r| ReceptionRow {
        status_code: r.status.as_str(),
        status: lang.choice("reception-status", r.status.as_str()),
        scheduled: r.scheduled_on.map(|on| match r.scheduled_at {
            Some(t) => format!("{}, {}", lang.full_date(on), hhmm(t)),
            None => lang.full_date(on),
        }),
        received_by: r.received_by.clone(),
        note: r.note.clone(),
    });
    let incoming = reception_allowed(d.direction).is_ok();
    let can_request = v.may_edit && incoming && v.reception.is_none();
    let next: &[ReceptionStatus] = v.reception.as_ref().map_or(&[], |r| r.status.next());
    let can_step = v.may_manage_reception && !next.is_empty();
    let empty = Vals::new();
    let form = if can_step {
        let (vals, errors) = match extras.step {
            Some((vals, e)) => (vals, Some(e)),
            None => (&empty, None),
        };
        step_fields(lang, next, vals, errors)
    } else {
        FormBuilder::new(lang, &empty, None).build()
    };
    Ok(ActivityPage {
        id: a.id.clone(),
        title: d.title.to_string(),
        partnership_href: format!("/partnerships/{}", v.partnership.partnership.id),
        partnership_label: partnership_label(&v.partnership),
        status_code: d.status.as_str(),
        status: lang.choice("activity-status", d.status.as_str()),
        facts,
        description: d.description.clone(),
        outcomes: d.outcomes.clone(),
        links: d.links.clone(),
        may_edit: v.may_edit,
        recurring: d.recurrence.is_some(),
        occurrences,
        figures_errors,
        show_reception: incoming || v.reception.is_some() || extras.reception_error.is_some(),
        reception,
        can_request,
        reception_error: extras.reception_error,
        can_step,
        form,
        datalist: vec![],
        ctx,
    })
}

/// An activity: what, when, where, who organises it, its occurrences and figures, and its
/// reception.
pub async fn activity(ctx: Ctx, State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    let page = activity_page(ctx, &s, &id, ActivityExtras::default()).await?;
    ok(&page)
}

/// Records the figures of one occurrence.
pub async fn record_figures(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path((id, on)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let input = FiguresInput {
        participants_home: get(&vals, "participantsHome"),
        participants_partner: get(&vals, "participantsPartner"),
        costs: get(&vals, "costs"),
        notes: get(&vals, "notes"),
        cancelled: get(&vals, "cancelled"),
    };
    match s.activities.set_figures(&caller, &id, &on, &input).await {
        Ok(f) => see_other(&format!("/activities/{id}#occ-{}", f.occurrence_on)),
        Err(AppError::Invalid(e)) => {
            let date = stedenband_domain::date::parse_date(&on)
                .map_err(|_| app_error(&ctx, AppError::NotFound))?;
            let extras = ActivityExtras {
                figures: Some((date, &vals, &e)),
                ..Default::default()
            };
            let page = activity_page(ctx, &s, &id, extras).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// Asks the mayor and aldermen to receive an incoming visit.
pub async fn request_reception(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s.activities.request_reception(&caller, &id).await {
        Ok(_) => see_other(&format!("/activities/{id}#reception")),
        Err(AppError::Invalid(e)) => {
            let message =
                e.0.first()
                    .map(|f| ctx.t(f.key))
                    .unwrap_or_else(|| ctx.t("problem-invalid-detail"));
            let extras = ActivityExtras {
                reception_error: Some(message),
                ..Default::default()
            };
            let page = activity_page(ctx, &s, &id, extras).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

/// Takes the next step of a reception (officials of the municipality).
pub async fn step_reception(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    let input = ReceptionInput {
        status: get(&vals, "status"),
        scheduled_on: get(&vals, "scheduledOn"),
        scheduled_at: get(&vals, "scheduledAt"),
        received_by: get(&vals, "receivedBy"),
        note: get(&vals, "note"),
    };
    match s.activities.step_reception(&caller, &id, &input).await {
        Ok(_) => see_other(&format!("/activities/{id}#reception")),
        Err(AppError::Invalid(e)) => {
            let extras = ActivityExtras {
                step: Some((&vals, &e)),
                ..Default::default()
            };
            let page = activity_page(ctx, &s, &id, extras).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- the form --------------------------------------------------------------------------------

fn activity_form(
    ctx: Ctx,
    title: String,
    action: String,
    cancel: String,
    choices: &Choices,
    vals: &Vals,
    errors: Option<&ValidationErrors>,
) -> FormPage {
    let lang = ctx.lang;
    let directions: Vec<&str> = Direction::ALL.iter().map(|d| d.as_str()).collect();
    let statuses: Vec<&str> = ActivityStatus::ALL.iter().map(|d| d.as_str()).collect();
    let categories: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), lang.choice("category", c.as_str())))
        .collect();
    let form = FormBuilder::new(lang, vals, errors)
        .select_options(
            "partnership",
            "field-activity-partnership",
            with_blank(lang, &choices.partnerships),
        )
        .select_options(
            "organiser",
            "field-organiser",
            with_blank(lang, &choices.organisers),
        )
        .text("title", "field-title", true)
        .textarea("description", "field-description", false)
        .text_with("start", "field-activity-start", true, |f| {
            f.input_type = "date"
        })
        .text_with("startTime", "field-start-time", false, |f| {
            f.input_type = "time"
        })
        .text_with("end", "field-activity-end", false, |f| {
            f.input_type = "date"
        })
        .text_with("endTime", "field-end-time", false, |f| {
            f.input_type = "time"
        })
        .text("timezone", "field-timezone", false)
        .text("place", "field-place", false)
        .radios("direction", "field-direction", "direction", &directions)
        .select_options("category", "field-category", with_blank(lang, &categories))
        .text_with("participantsHome", "field-participants-home", false, |f| {
            f.input_type = "text"
        })
        .text("participantsPartner", "field-participants-partner", false)
        .select(
            "status",
            "field-activity-status",
            "activity-status",
            &statuses,
            None,
        )
        .textarea("outcomes", "field-outcomes", false)
        .textarea("links", "field-links", false)
        .checkbox("public", "field-public")
        .select(
            "recurrence",
            "field-recurrence",
            "recurrence",
            &["yearly", "monthly"],
            Some("recurrence-none"),
        )
        .text_with("recurrenceUntil", "field-recurrence-until", false, |f| {
            f.input_type = "date"
        })
        .build();
    FormPage {
        ctx,
        title,
        intro: None,
        action,
        submit: lang.t("save"),
        cancel,
        form,
        datalist: vec![],
    }
}

fn activity_input(v: &Vals) -> ActivityInput {
    ActivityInput {
        partnership: get(v, "partnership"),
        organiser: get(v, "organiser"),
        title: get(v, "title"),
        description: get(v, "description"),
        start: get(v, "start"),
        start_time: get(v, "startTime"),
        end: get(v, "end"),
        end_time: get(v, "endTime"),
        timezone: get(v, "timezone"),
        place: get(v, "place"),
        direction: get(v, "direction"),
        category: get(v, "category"),
        participants_home: get(v, "participantsHome"),
        participants_partner: get(v, "participantsPartner"),
        status: get(v, "status"),
        outcomes: get(v, "outcomes"),
        links: get(v, "links"),
        public: get(v, "public"),
        recurrence: get(v, "recurrence"),
        recurrence_until: get(v, "recurrenceUntil"),
    }
}

fn activity_values(a: &Activity) -> Vals {
    let d = &a.draft;
    let mut m = HashMap::from([
        ("partnership".to_owned(), d.partnership.0.clone()),
        (
            "organiser".to_owned(),
            match &d.organiser {
                Organiser::WorkingGroup(g) => g.clone(),
                Organiser::Municipality => "municipality".to_owned(),
            },
        ),
        ("title".to_owned(), d.title.to_string()),
        ("start".to_owned(), d.schedule.start.to_string()),
        ("end".to_owned(), d.schedule.end.to_string()),
        ("timezone".to_owned(), d.schedule.zone.to_string()),
        ("direction".to_owned(), d.direction.as_str().to_owned()),
        ("category".to_owned(), d.category.as_str().to_owned()),
        (
            "participantsHome".to_owned(),
            d.participants_home.to_string(),
        ),
        (
            "participantsPartner".to_owned(),
            d.participants_partner.to_string(),
        ),
        ("status".to_owned(), d.status.as_str().to_owned()),
        ("links".to_owned(), d.links.join("\n")),
    ]);
    let mut opt = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    };
    opt("description", d.description.clone());
    opt("startTime", d.schedule.start_time.map(hhmm));
    opt("endTime", d.schedule.end_time.map(hhmm));
    opt("place", d.place.clone());
    opt("outcomes", d.outcomes.clone());
    opt("public", d.public.then(|| "on".to_owned()));
    if let Some(r) = &d.recurrence {
        opt("recurrence", Some(r.frequency.as_str().to_owned()));
        opt("recurrenceUntil", r.until.map(|u| u.to_string()));
    }
    m
}

/// Refuses the form to whoever may plan no activity at all (the public: to the login form).
async fn choices_or_refuse(s: &AppState, ctx: &Ctx) -> Result<Choices, WebError> {
    ctx.auth.caller.require_login().or_page(ctx)?;
    let choices = Choices::load(s, ctx).await?;
    if !choices.any() {
        // No partnership to plan for: refused (and audited) like any other form.
        ctx.require(
            s,
            &Action::EditActivity {
                municipality: MunicipalityId(String::new()),
                group: None,
            },
        )
        .await?;
    }
    Ok(choices)
}

#[derive(Deserialize, Default)]
pub struct NewActivityQuery {
    partnership: Option<String>,
    organiser: Option<String>,
}

/// The form for a new activity, with the partnership and organiser filled in when given.
pub async fn new_activity(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NewActivityQuery>,
) -> PageResult {
    let choices = choices_or_refuse(&s, &ctx).await?;
    let mut vals: Vals = HashMap::from([
        ("timezone".to_owned(), "Europe/Amsterdam".to_owned()),
        ("status".to_owned(), "planned".to_owned()),
        ("public".to_owned(), "on".to_owned()),
    ]);
    if let Some(p) = given(&q.partnership)
        && choices.partnerships.iter().any(|(id, _)| *id == p)
    {
        vals.insert("partnership".into(), p);
    } else if let [(only, _)] = choices.partnerships.as_slice() {
        vals.insert("partnership".into(), only.clone());
    }
    let organiser = given(&q.organiser).and_then(|o| {
        if o == "municipality" {
            Some(o)
        } else {
            choices.group_id(&o)
        }
    });
    if let Some(o) = organiser
        && choices.organisers.iter().any(|(id, _)| *id == o)
    {
        vals.insert("organiser".into(), o);
    } else if let [(only, _)] = choices.organisers.as_slice() {
        vals.insert("organiser".into(), only.clone());
    }
    let title = ctx.t("activity-new-title");
    ok(&activity_form(
        ctx,
        title,
        "/activities".into(),
        "/activities".into(),
        &choices,
        &vals,
        None,
    ))
}

pub async fn create_activity(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    // The language switch and the login form lead back to the form, not to the calendar.
    ctx.path = "/activities/new".to_owned();
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .activities
        .create_activity(&caller, &activity_input(&vals))
        .await
    {
        Ok(a) => see_other(&format!("/activities/{}", a.id)),
        Err(AppError::Invalid(e)) => {
            let choices = Choices::load(&s, &ctx).await?;
            let title = ctx.t("activity-new-title");
            let form = activity_form(
                ctx,
                title,
                "/activities".into(),
                "/activities".into(),
                &choices,
                &vals,
                Some(&e),
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

async fn edit_choices(
    s: &AppState,
    ctx: &Ctx,
    v: &ActivityView,
    vals: &Vals,
) -> Result<Choices, WebError> {
    let mut choices = Choices::load(s, ctx).await?;
    let organiser = match &v.group {
        Some((_, _, name)) => name.clone(),
        None => ctx.t("organiser-municipality-option"),
    };
    choices.include(vals, (partnership_label(&v.partnership), organiser));
    Ok(choices)
}

/// The form to change an activity: for those who may edit it.
pub async fn edit_activity(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> PageResult {
    ctx.auth.caller.require_login().or_page(&ctx)?;
    let v = s
        .activities
        .activity(&ctx.auth.caller, &id)
        .await
        .or_page(&ctx)?;
    if !v.may_edit {
        let right = edit_right(&s, &ctx, &v).await?;
        ctx.require(&s, &right).await?;
    }
    let vals = activity_values(&v.activity);
    let choices = edit_choices(&s, &ctx, &v, &vals).await?;
    let title = ctx.t1(
        "activity-edit-title",
        "name",
        v.activity.draft.title.to_string(),
    );
    let path = format!("/activities/{}", v.activity.id);
    ok(&activity_form(
        ctx,
        title,
        path.clone(),
        path,
        &choices,
        &vals,
        None,
    ))
}

pub async fn update_activity(
    mut ctx: Ctx,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    ctx.path = format!("/activities/{id}/edit");
    let vals = values(pairs);
    ctx.check_csrf(&vals)?;
    let caller = ctx.auth.caller.clone();
    match s
        .activities
        .update_activity(&caller, &id, &activity_input(&vals))
        .await
    {
        Ok(a) => see_other(&format!("/activities/{}", a.id)),
        Err(AppError::Invalid(e)) => {
            let v = s.activities.activity(&caller, &id).await.or_page(&ctx)?;
            let choices = edit_choices(&s, &ctx, &v, &activity_values(&v.activity)).await?;
            let title = ctx.t1(
                "activity-edit-title",
                "name",
                v.activity.draft.title.to_string(),
            );
            let path = format!("/activities/{}", v.activity.id);
            let form = activity_form(ctx, title, path.clone(), path, &choices, &vals, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => Err(app_error(&ctx, e)),
    }
}

// ---- receptions ------------------------------------------------------------------------------

pub struct ReceptionListRow {
    pub href: String,
    pub title: String,
    pub partnership: String,
    pub when: String,
    pub start_iso: String,
    pub status_code: &'static str,
    pub status: String,
    pub scheduled: String,
    pub received_by: String,
}

#[derive(Template)]
#[template(path = "receptions.html")]
struct ReceptionsPage {
    ctx: Ctx,
    title: String,
    municipality: String,
    municipality_slug: String,
    rows: Vec<ReceptionListRow>,
}

/// The open reception requests of a municipality, for its officials.
pub async fn receptions(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(slug): Path<String>,
) -> PageResult {
    let lang = ctx.lang;
    let list = s
        .activities
        .open_receptions(&ctx.auth.caller, &slug)
        .await
        .or_page(&ctx)?;
    let m = s
        .register
        .find_municipality(&slug)
        .await
        .or_page(&ctx)?
        .ok_or_else(|| app_error(&ctx, AppError::NotFound))?;
    let mut rows: Vec<ReceptionListRow> = list
        .iter()
        .map(|r| {
            let d = &r.activity.draft;
            ReceptionListRow {
                href: format!("/activities/{}#reception", r.activity.id),
                title: d.title.to_string(),
                partnership: partnership_label(&r.partnership),
                when: span_text(lang, d.schedule.start, d.schedule.end, &d.schedule),
                start_iso: d.schedule.start.to_string(),
                status_code: r.reception.status.as_str(),
                status: lang.choice("reception-status", r.reception.status.as_str()),
                scheduled: r
                    .reception
                    .scheduled_on
                    .map(|on| match r.reception.scheduled_at {
                        Some(t) => format!("{}, {}", lang.full_date(on), hhmm(t)),
                        None => lang.full_date(on),
                    })
                    .unwrap_or_default(),
                received_by: r.reception.received_by.clone().unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.start_iso.cmp(&b.start_iso));
    ok(&ReceptionsPage {
        title: ctx.t1("receptions-title", "name", m.name().to_string()),
        municipality: m.name().to_string(),
        municipality_slug: m.slug.to_string(),
        rows,
        ctx,
    })
}

// ---- on the partnership and municipality pages -----------------------------------------------

/// One year of a partnership's numbers, as a table row.
pub struct YearRow {
    pub year: i16,
    pub activities: u32,
    pub by_category: String,
    pub by_direction: String,
    pub home: u32,
    pub partner: u32,
    pub costs: String,
}

/// What the partnership page shows of its activities.
pub struct PartnershipActivities {
    pub years: Vec<YearRow>,
    pub dormancy: String,
    pub dormant: bool,
    pub calendar_href: String,
    pub new_href: Option<String>,
}

fn counts(lang: Lang, prefix: &str, map: &std::collections::BTreeMap<String, u32>) -> String {
    map.iter()
        .map(|(code, n)| format!("{}: {n}", lang.choice(prefix, code)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn year_row(lang: Lang, y: &YearNumbers) -> YearRow {
    YearRow {
        year: y.year,
        activities: y.activities,
        by_category: counts(lang, "category", &y.by_category),
        by_direction: counts(lang, "direction-short", &y.by_direction),
        home: y.participants_home,
        partner: y.participants_partner,
        costs: if is_zero(&y.costs) {
            "–".to_owned()
        } else {
            euros(lang, &y.costs)
        },
    }
}

/// The numbers per year, the dormancy line and the links to the partnership's activities.
pub(super) async fn partnership_activities(
    s: &AppState,
    ctx: &Ctx,
    view: &PartnershipView,
) -> Result<PartnershipActivities, WebError> {
    let lang = ctx.lang;
    let id = &view.partnership.id;
    let years = s
        .activities
        .numbers_per_year(&ctx.auth.caller, &id.0)
        .await
        .or_page(ctx)?
        .iter()
        .map(|y| year_row(lang, y))
        .collect();
    let d = s
        .activities
        .dormancy(id, s.dormancy_months)
        .await
        .or_page(ctx)?;
    let mut dormancy = match d.last_held {
        Some(last) => {
            let months = last
                .until((jiff::Unit::Month, today()))
                .map(|span| span.get_months().max(0) as u32)
                .unwrap_or(0);
            lang.t_args(
                "dormancy-last-held",
                &[
                    ("date", lang.full_date(last).into()),
                    ("count", months.into()),
                ],
            )
        }
        None => lang.t("dormancy-none"),
    };
    if d.dormant {
        dormancy.push(' ');
        dormancy.push_str(&lang.t_args("dormancy-flag", &[("count", u32::from(d.months).into())]));
    }
    let caller = &ctx.auth.caller;
    let mut may_plan = s.register.allows(
        caller,
        &Action::EditActivity {
            municipality: view.holder.id.clone(),
            group: None,
        },
    );
    if !may_plan && caller.require_login().is_ok() {
        let groups = s.organisation.working_groups(None).await.or_page(ctx)?;
        may_plan = groups.iter().any(|g| {
            g.draft.partnerships.contains(id)
                && s.register.allows(
                    caller,
                    &Action::EditActivity {
                        municipality: view.holder.id.clone(),
                        group: Some((g.foundation.clone(), g.id.clone())),
                    },
                )
        });
    }
    Ok(PartnershipActivities {
        years,
        dormancy,
        dormant: d.dormant,
        calendar_href: format!("/activities?partnership={}", encode(&id.0)),
        new_href: may_plan.then(|| format!("/activities/new?partnership={}", encode(&id.0))),
    })
}

/// The partnerships of a list that had no held activity in the configured period.
pub(super) async fn dormant_partnerships(
    s: &AppState,
    ctx: &Ctx,
    list: &[PartnershipView],
) -> Result<HashSet<String>, WebError> {
    let ids: Vec<_> = list.iter().map(|p| p.partnership.id.clone()).collect();
    let all = s
        .activities
        .dormancies(&ids, s.dormancy_months)
        .await
        .or_page(ctx)?;
    Ok(all
        .into_iter()
        .filter(|(_, d)| d.dormant)
        .map(|(id, _)| id)
        .collect())
}

/// Whether the caller may see the municipality's open reception requests.
pub(super) fn may_manage_receptions(s: &AppState, ctx: &Ctx, holder: &MunicipalityId) -> bool {
    s.register
        .allows(&ctx.auth.caller, &Action::ManageReceptions(holder.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_written_per_language() {
        assert_eq!(euros(Lang::Nl, &"6500.00"), "€\u{a0}6.500,00");
        assert_eq!(euros(Lang::En, &"6500.00"), "€6,500.00");
        assert_eq!(euros(Lang::En, &"1234567.5"), "€1,234,567.50");
        assert_eq!(euros(Lang::Nl, &"12"), "€\u{a0}12,00");
        assert!(is_zero(&"0.00") && is_zero(&"0") && !is_zero(&"0.01"));
    }

    #[test]
    fn months_are_read_from_the_query() {
        assert_eq!(parse_month("2017-12"), Ok(jiff::civil::date(2017, 12, 1)));
        assert_eq!(parse_month("2017-13"), Err("error-month-invalid"));
        assert_eq!(parse_month("december"), Err("error-month-invalid"));
        assert_eq!(parse_month("0999-01"), Err("error-year-out-of-range"));
    }
}
