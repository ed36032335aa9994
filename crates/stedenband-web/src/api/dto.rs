//! The API's request and response bodies. Names are camelCase; dates are ISO text ("1990" when
//! only the year is known, else "1990-05-12"); choices are kebab-case codes.

use serde::{Deserialize, Serialize};
use stedenband_app::organisation::{
    FoundationView, PersonLabel, PersonView, RuleLine, Seat, WorkingGroupView,
};
use stedenband_app::{MunicipalityView, Page, PartnershipDetail, PartnershipView};
use stedenband_domain::organisation::{
    Body, Foundation, FoundationInput, LawfulBasis, Person, PersonInput, RoleInput, RoleRecord,
    WorkingGroup, WorkingGroupInput,
};
use stedenband_domain::{
    Merger, MergerInput, Municipality, MunicipalityInput, PartnershipEvent, PartnershipEventInput,
    PartnershipInput,
};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MunicipalityListQuery {
    /// Words in the name (case, accents and punctuation are ignored).
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 20).
    pub page_size: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PartnershipListQuery {
    /// A municipality's id, slug or name: only the partnerships it holds.
    pub municipality: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 20).
    pub page_size: Option<u32>,
}

/// A municipality or region as written to the register.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MunicipalityBody {
    #[schema(example = "Leidschendam-Voorburg")]
    pub name: String,
    /// URL-friendly name; made from the name when absent.
    #[schema(example = "leidschendam-voorburg")]
    pub slug: Option<String>,
    /// `municipality` (default) or `region`.
    #[schema(example = "municipality")]
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "NL")]
    pub country: String,
    #[schema(example = "Zuid-Holland")]
    pub region: Option<String>,
    /// For Dutch municipalities the CBS code (GM and four digits).
    #[schema(example = "GM1916")]
    pub official_code: Option<String>,
    pub wikidata_id: Option<String>,
    /// WGS 84 degrees, -90 to 90; together with longitude.
    pub latitude: Option<f64>,
    /// WGS 84 degrees, -180 to 180; together with latitude.
    pub longitude: Option<f64>,
    pub population: Option<u64>,
}

impl MunicipalityBody {
    pub fn into_input(self) -> MunicipalityInput {
        MunicipalityInput {
            name: Some(self.name),
            slug: self.slug,
            kind: self.kind,
            country: Some(self.country),
            region: self.region,
            official_code: self.official_code,
            wikidata_id: self.wikidata_id,
            latitude: self.latitude.map(|v| v.to_string()),
            longitude: self.longitude.map(|v| v.to_string()),
            population: self.population.map(|v| v.to_string()),
        }
    }
}

/// A municipality or region.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MunicipalityOut {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub country: String,
    pub region: Option<String>,
    pub official_code: Option<String>,
    pub wikidata_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub population: Option<u64>,
}

impl From<&Municipality> for MunicipalityOut {
    fn from(m: &Municipality) -> Self {
        let d = &m.draft;
        MunicipalityOut {
            id: m.id.0.clone(),
            slug: m.slug.to_string(),
            name: d.name.to_string(),
            kind: d.kind.as_str().to_owned(),
            country: d.country.to_string(),
            region: d.region.as_ref().map(|r| r.to_string()),
            official_code: d.official_code.as_ref().map(|c| c.as_str().to_owned()),
            wikidata_id: d.wikidata_id.as_ref().map(|w| w.as_str().to_owned()),
            latitude: d.coordinates.map(|c| c.latitude()),
            longitude: d.coordinates.map(|c| c.longitude()),
            population: d.population,
        }
    }
}

/// A short reference to a municipality.
#[derive(Serialize, ToSchema)]
pub struct MunicipalityRef {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub country: String,
}

impl From<&Municipality> for MunicipalityRef {
    fn from(m: &Municipality) -> Self {
        MunicipalityRef {
            id: m.id.0.clone(),
            slug: m.slug.to_string(),
            name: m.name().to_string(),
            country: m.country().to_string(),
        }
    }
}

/// A merger this municipality took part in.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineageLink {
    pub municipality: MunicipalityRef,
    #[schema(example = "2002-01-01")]
    pub effective_on: String,
}

/// A municipality with its lineage.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MunicipalityDetail {
    #[serde(flatten)]
    pub municipality: MunicipalityOut,
    /// Municipalities that merged into this one.
    pub predecessors: Vec<LineageLink>,
    /// The municipality this one merged into.
    pub successor: Option<LineageLink>,
    /// How many partnerships it holds (its own and its predecessors').
    pub partnership_count: u64,
}

impl From<&MunicipalityView> for MunicipalityDetail {
    fn from(v: &MunicipalityView) -> Self {
        let link = |(m, d): &(Municipality, jiff::civil::Date)| LineageLink {
            municipality: MunicipalityRef::from(m),
            effective_on: d.to_string(),
        };
        MunicipalityDetail {
            municipality: MunicipalityOut::from(&v.municipality),
            predecessors: v.predecessors.iter().map(link).collect(),
            successor: v.successor.as_ref().map(link),
            partnership_count: v.partnership_total,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MunicipalityPage {
    pub items: Vec<MunicipalityOut>,
    pub page: u32,
    pub page_size: u32,
    /// All matches, on every page.
    pub total: u64,
}

impl MunicipalityPage {
    pub fn from_page(p: Page<Municipality>) -> Self {
        MunicipalityPage {
            items: p.items.iter().map(MunicipalityOut::from).collect(),
            page: p.request.page,
            page_size: p.request.size,
            total: p.total,
        }
    }
}

/// Predecessors that became one successor on a date.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergerBody {
    /// Id, slug or name of the municipality formed.
    #[schema(example = "leidschendam-voorburg")]
    pub successor: String,
    /// Ids, slugs or names of the municipalities that merged.
    #[schema(example = json!(["leidschendam", "voorburg"]))]
    pub predecessors: Vec<String>,
    #[schema(example = "2002-01-01")]
    pub effective_on: String,
}

impl MergerBody {
    pub fn into_input(self) -> MergerInput {
        MergerInput {
            successor: Some(self.successor),
            predecessors: self.predecessors,
            effective_on: Some(self.effective_on),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MergerOut {
    pub successor: String,
    pub predecessors: Vec<String>,
    pub effective_on: String,
}

impl From<&Merger> for MergerOut {
    fn from(m: &Merger) -> Self {
        MergerOut {
            successor: m.successor.0.clone(),
            predecessors: m.predecessors.iter().map(|p| p.0.clone()).collect(),
            effective_on: m.effective_on.to_string(),
        }
    }
}

/// A partnership as written to the register.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartnershipBody {
    /// Id, slug or name of the municipality that entered the partnership.
    #[schema(example = "voorburg")]
    pub home: String,
    /// Id, slug or name of the partner municipality or region.
    #[schema(example = "hranice")]
    pub partner: String,
    /// `formalised`, `friendship` or `project-based`.
    #[schema(example = "friendship")]
    pub kind: String,
    /// `local-government` or `private-initiative`.
    #[schema(example = "local-government")]
    pub initiator: String,
    /// For a private initiative: it must be structural.
    pub structural: Option<bool>,
    /// For a private initiative: it must be supported by the municipality.
    pub supported_by_municipality: Option<bool>,
    /// A year or a date.
    #[schema(example = "1990")]
    pub start: String,
    /// A year or a date, not before the start.
    pub end: Option<String>,
    pub description: Option<String>,
    /// `active`, `civil-society-only`, `dormant` or `ended`.
    #[schema(example = "active")]
    pub status: Option<String>,
    /// Since when `status` holds (a year or a date).
    pub status_since: Option<String>,
}

impl PartnershipBody {
    pub fn into_input(self) -> PartnershipInput {
        PartnershipInput {
            home: Some(self.home),
            partner: Some(self.partner),
            kind: Some(self.kind),
            initiator: Some(self.initiator),
            structural: self.structural,
            supported_by_municipality: self.supported_by_municipality,
            start: Some(self.start),
            end: self.end,
            description: self.description,
            status: self.status,
            status_since: self.status_since,
        }
    }
}

/// A partnership. `home` entered it; `heldBy` holds it today (a successor after a merger,
/// since `heldSince`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnershipOut {
    pub id: String,
    pub home: MunicipalityRef,
    pub partner: MunicipalityRef,
    pub held_by: MunicipalityRef,
    pub held_since: Option<String>,
    #[schema(example = "friendship")]
    pub kind: String,
    #[schema(example = "local-government")]
    pub initiator: String,
    #[schema(example = "1990")]
    pub start: String,
    pub end: Option<String>,
    #[schema(example = "active")]
    pub status: String,
    pub description: Option<String>,
}

impl From<&PartnershipView> for PartnershipOut {
    fn from(v: &PartnershipView) -> Self {
        let d = &v.partnership.draft;
        PartnershipOut {
            id: v.partnership.id.0.clone(),
            home: MunicipalityRef::from(&v.home),
            partner: MunicipalityRef::from(&v.partner),
            held_by: MunicipalityRef::from(&v.holder),
            held_since: v.held_since.map(|d| d.to_string()),
            kind: d.kind.as_str().to_owned(),
            initiator: d.initiator.as_str().to_owned(),
            start: d.start.to_string(),
            end: d.end.map(|e| e.to_string()),
            status: v.partnership.status.as_str().to_owned(),
            description: d.description.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnershipDetailOut {
    #[serde(flatten)]
    pub partnership: PartnershipOut,
    /// The history in time order.
    pub history: Vec<EventOut>,
}

impl From<&PartnershipDetail> for PartnershipDetailOut {
    fn from(d: &PartnershipDetail) -> Self {
        PartnershipDetailOut {
            partnership: PartnershipOut::from(&d.view),
            history: d.events.iter().map(EventOut::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnershipPage {
    pub items: Vec<PartnershipOut>,
    pub page: u32,
    pub page_size: u32,
    pub total: u64,
}

impl PartnershipPage {
    pub fn from_page(p: Page<PartnershipView>) -> Self {
        PartnershipPage {
            items: p.items.iter().map(PartnershipOut::from).collect(),
            page: p.request.page,
            page_size: p.request.size,
            total: p.total,
        }
    }
}

/// An entry for a partnership's history.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventBody {
    /// A year or a date.
    #[schema(example = "1990")]
    pub date: String,
    /// `first-contact`, `signing`, `mayoral-visit`, `visit`, `status-change`, `anniversary` or `other`.
    #[schema(example = "mayoral-visit")]
    pub kind: String,
    /// Only with `status-change`: the new status.
    pub status: Option<String>,
    /// What happened (required except for a status change).
    pub text: Option<String>,
}

impl EventBody {
    pub fn into_input(self) -> PartnershipEventInput {
        PartnershipEventInput {
            date: Some(self.date),
            kind: Some(self.kind),
            status: self.status,
            text: self.text,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub id: String,
    pub date: String,
    pub kind: String,
    pub status: Option<String>,
    pub text: String,
}

impl From<&PartnershipEvent> for EventOut {
    fn from(e: &PartnershipEvent) -> Self {
        EventOut {
            id: e.id.clone(),
            date: e.draft.date.to_string(),
            kind: e.draft.kind.as_str().to_owned(),
            status: e.draft.status.map(|s| s.as_str().to_owned()),
            text: e.draft.text.clone(),
        }
    }
}

// ---- the organisation: foundations, working groups, people and their roles -------------------
//
// Personal data (a person's id, name and contact details) appears only where the use case
// returned it: a seat names its holder only for callers who may read the foundation's people,
// and contact details come only with the right to edit that person.

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct FoundationListQuery {
    /// A municipality's id, slug or name: only the foundations working there.
    pub municipality: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct FoundationQuery {
    /// The date the board is shown for (YYYY-MM-DD); today when absent.
    #[param(example = "2010-01-01")]
    pub on: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct WorkingGroupListQuery {
    /// A foundation's id or slug: only its working groups.
    pub foundation: Option<String>,
}

/// A foundation as written to the register. Fields marked required are reported as invalid
/// (422) when absent or empty.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FoundationBody {
    /// Required.
    #[schema(example = "Stichting Stedenbanden Leidschendam-Voorburg")]
    pub name: Option<String>,
    /// Required: id, slug or name of the municipality the foundation works in.
    #[schema(example = "leidschendam-voorburg")]
    pub municipality: Option<String>,
    /// KvK (Chamber of Commerce) number: eight digits.
    #[schema(example = "41234567")]
    pub kvk_number: Option<String>,
    /// A date (YYYY-MM-DD).
    #[schema(example = "2002-01-01")]
    pub founded_on: Option<String>,
    pub purpose: Option<String>,
    /// An http or https address.
    #[schema(example = "https://www.stedenbanden.example")]
    pub website: Option<String>,
}

impl FoundationBody {
    pub fn into_input(self) -> FoundationInput {
        FoundationInput {
            name: self.name,
            municipality: self.municipality,
            kvk_number: self.kvk_number,
            founded_on: self.founded_on,
            purpose: self.purpose,
            website: self.website,
        }
    }
}

/// A foundation (stichting).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundationOut {
    pub id: String,
    #[schema(example = "stichting-stedenbanden-leidschendam-voorburg")]
    pub slug: String,
    pub name: String,
    /// The municipality it works in.
    pub municipality: MunicipalityRef,
    pub kvk_number: Option<String>,
    #[schema(example = "2002-01-01")]
    pub founded_on: Option<String>,
    pub purpose: Option<String>,
    pub website: Option<String>,
}

impl FoundationOut {
    pub fn new(f: &Foundation, m: &Municipality) -> Self {
        let d = &f.draft;
        FoundationOut {
            id: f.id.clone(),
            slug: f.slug.as_str().to_owned(),
            name: d.name.to_string(),
            municipality: MunicipalityRef::from(m),
            kvk_number: d.kvk_number.clone(),
            founded_on: d.founded_on.map(|x| x.to_string()),
            purpose: d.purpose.clone(),
            website: d.website.clone(),
        }
    }
}

/// A short reference to a foundation.
#[derive(Serialize, ToSchema)]
pub struct FoundationRef {
    pub id: String,
    pub slug: String,
    pub name: String,
}

impl From<&Foundation> for FoundationRef {
    fn from(f: &Foundation) -> Self {
        FoundationRef {
            id: f.id.clone(),
            slug: f.slug.as_str().to_owned(),
            name: f.draft.name.to_string(),
        }
    }
}

/// A short reference to a working group.
#[derive(Serialize, ToSchema)]
pub struct WorkingGroupRef {
    pub id: String,
    #[schema(example = "werkgroep-hranice")]
    pub slug: String,
    pub name: String,
}

impl From<&WorkingGroup> for WorkingGroupRef {
    fn from(g: &WorkingGroup) -> Self {
        WorkingGroupRef {
            id: g.id.clone(),
            slug: g.slug.as_str().to_owned(),
            name: g.draft.name.to_string(),
        }
    }
}

/// A working group of a foundation; it carries one or more partnerships.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkingGroupOut {
    pub id: String,
    #[schema(example = "werkgroep-hranice")]
    pub slug: String,
    pub name: String,
    /// The foundation's id.
    pub foundation: String,
    /// The ids of the partnerships it carries.
    pub partnerships: Vec<String>,
    #[schema(example = "2002-01-01")]
    pub founded_on: String,
    /// Its last day, when it has ended.
    pub ended_on: Option<String>,
}

impl From<&WorkingGroup> for WorkingGroupOut {
    fn from(g: &WorkingGroup) -> Self {
        WorkingGroupOut {
            id: g.id.clone(),
            slug: g.slug.as_str().to_owned(),
            name: g.draft.name.to_string(),
            foundation: g.foundation.clone(),
            partnerships: g.draft.partnerships.iter().map(|p| p.0.clone()).collect(),
            founded_on: g.draft.term.start.to_string(),
            ended_on: g.draft.term.end.map(|d| d.to_string()),
        }
    }
}

/// A person as named in a seat; only for callers who may read the foundation's people.
#[derive(Serialize, ToSchema)]
pub struct PersonRef {
    pub id: String,
    /// `null` when the person has been anonymised.
    pub name: Option<String>,
    pub anonymised: bool,
}

impl From<&PersonLabel> for PersonRef {
    fn from(p: &PersonLabel) -> Self {
        PersonRef {
            id: p.id.clone(),
            name: p.name.clone(),
            anonymised: p.anonymised,
        }
    }
}

/// A role held in a foundation (its board) or a working group.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatOut {
    /// The role's id (to end it: `POST /roles/{id}/end`).
    pub role_id: String,
    /// `chair`, `vice-chair`, `secretary`, `treasurer`, `board-member`, `member` or
    /// `partner-contact`.
    #[schema(example = "chair")]
    pub role: String,
    /// The first day.
    #[schema(example = "2015-01-01")]
    pub from: String,
    /// The last day; `null` while it runs.
    pub until: Option<String>,
    /// Whether the role runs on the date shown (the board's date, or today).
    pub current: bool,
    /// Who holds it: present only when the caller may see the foundation's people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRef>,
}

impl From<&Seat> for SeatOut {
    fn from(s: &Seat) -> Self {
        SeatOut {
            role_id: s.role_id.clone(),
            role: s.role.as_str().to_owned(),
            from: s.term.start.to_string(),
            until: s.term.end.map(|d| d.to_string()),
            current: s.current,
            person: s.person.as_ref().map(PersonRef::from),
        }
    }
}

/// A working group whose chair is not on the foundation's board.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissingChairOut {
    pub working_group: WorkingGroupRef,
    /// The chair: present only when the caller may see the foundation's people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRef>,
}

/// A stretch of dates over which the board rule (every working group's chair sits on the
/// foundation's board) gives the same answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleLineOut {
    #[schema(example = "2002-01-01")]
    pub from: String,
    /// The last day of the stretch; `null` while it lasts.
    pub until: Option<String>,
    /// Whether the rule holds over the stretch.
    pub holds: bool,
    /// Working groups whose chair is not on the board.
    pub missing: Vec<MissingChairOut>,
    /// Working groups without a chair.
    pub without_chair: Vec<WorkingGroupRef>,
}

impl From<&RuleLine> for RuleLineOut {
    fn from(r: &RuleLine) -> Self {
        RuleLineOut {
            from: r.from.to_string(),
            until: r.until.map(|d| d.to_string()),
            holds: r.holds,
            missing: r
                .missing
                .iter()
                .map(|m| MissingChairOut {
                    working_group: WorkingGroupRef::from(&m.group),
                    person: m.person.as_ref().map(PersonRef::from),
                })
                .collect(),
            without_chair: r.without_chair.iter().map(WorkingGroupRef::from).collect(),
        }
    }
}

/// A foundation with its working groups, its board on a date and the history of the board rule.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundationDetail {
    #[serde(flatten)]
    pub foundation: FoundationOut,
    pub working_groups: Vec<WorkingGroupOut>,
    /// The date the board is shown for.
    #[schema(example = "2020-01-01")]
    pub on: String,
    /// The board on that date, chair first.
    pub board: Vec<SeatOut>,
    /// Whether every working group's chair sat on the board, stretch by stretch.
    pub board_rule: Vec<RuleLineOut>,
    /// Whether the caller may see the foundation's people (seats then name their holders).
    pub people_visible: bool,
    /// Whether the caller may change the foundation, its board and its working groups.
    pub may_manage: bool,
    /// Whether the caller may answer data-subject requests (export, erasure).
    pub may_export: bool,
}

impl From<&FoundationView> for FoundationDetail {
    fn from(v: &FoundationView) -> Self {
        FoundationDetail {
            foundation: FoundationOut::new(&v.foundation, &v.municipality),
            working_groups: v.groups.iter().map(WorkingGroupOut::from).collect(),
            on: v.on.to_string(),
            board: v.board.iter().map(SeatOut::from).collect(),
            board_rule: v.rule.iter().map(RuleLineOut::from).collect(),
            people_visible: v.people_visible,
            may_manage: v.may_manage,
            may_export: v.may_export,
        }
    }
}

/// A new working group.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewWorkingGroupBody {
    /// Required: the foundation's id or slug.
    #[schema(example = "stichting-stedenbanden-leidschendam-voorburg")]
    pub foundation: Option<String>,
    /// Required.
    #[schema(example = "Werkgroep Hranice")]
    pub name: Option<String>,
    /// Required, at least one: ids of partnerships held by the foundation's municipality.
    #[serde(default)]
    pub partnerships: Vec<String>,
    /// Required: a date (YYYY-MM-DD).
    #[schema(example = "2002-01-01")]
    pub founded_on: Option<String>,
    /// Its last day (YYYY-MM-DD), not before `foundedOn`.
    pub ended_on: Option<String>,
}

impl NewWorkingGroupBody {
    pub fn into_parts(self) -> (Option<String>, WorkingGroupInput) {
        (
            self.foundation,
            WorkingGroupInput {
                name: self.name,
                partnerships: self.partnerships,
                founded_on: self.founded_on,
                ended_on: self.ended_on,
            },
        )
    }
}

/// A working group's data (its foundation does not change).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkingGroupBody {
    /// Required.
    #[schema(example = "Werkgroep Hranice")]
    pub name: Option<String>,
    /// Required, at least one: ids of partnerships held by the foundation's municipality.
    #[serde(default)]
    pub partnerships: Vec<String>,
    /// Required: a date (YYYY-MM-DD).
    #[schema(example = "2002-01-01")]
    pub founded_on: Option<String>,
    /// Its last day (YYYY-MM-DD), not before `foundedOn`.
    pub ended_on: Option<String>,
}

impl WorkingGroupBody {
    pub fn into_input(self) -> WorkingGroupInput {
        WorkingGroupInput {
            name: self.name,
            partnerships: self.partnerships,
            founded_on: self.founded_on,
            ended_on: self.ended_on,
        }
    }
}

/// A working group with its foundation, partnerships and roles.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkingGroupDetail {
    pub id: String,
    #[schema(example = "werkgroep-hranice")]
    pub slug: String,
    pub name: String,
    pub foundation: FoundationRef,
    /// The partnerships it carries.
    pub partnerships: Vec<PartnershipOut>,
    #[schema(example = "2002-01-01")]
    pub founded_on: String,
    pub ended_on: Option<String>,
    /// Its roles, current ones first; `current` is about today.
    pub seats: Vec<SeatOut>,
    /// Whether the caller may see the foundation's people (seats then name their holders).
    pub people_visible: bool,
    /// Whether the caller may change the group and its roles.
    pub may_edit: bool,
}

impl From<&WorkingGroupView> for WorkingGroupDetail {
    fn from(v: &WorkingGroupView) -> Self {
        let g = &v.group;
        WorkingGroupDetail {
            id: g.id.clone(),
            slug: g.slug.as_str().to_owned(),
            name: g.draft.name.to_string(),
            foundation: FoundationRef::from(&v.foundation),
            partnerships: v.partnerships.iter().map(PartnershipOut::from).collect(),
            founded_on: g.draft.term.start.to_string(),
            ended_on: g.draft.term.end.map(|d| d.to_string()),
            seats: v.seats.iter().map(SeatOut::from).collect(),
            people_visible: v.people_visible,
            may_edit: v.may_edit,
        }
    }
}

/// A role to give a person.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleBody {
    /// Required: the id of a person recorded with the foundation.
    pub person: Option<String>,
    /// Required. In a foundation a board role: `chair`, `vice-chair`, `secretary`, `treasurer`
    /// or `board-member`; in a working group `chair`, `vice-chair`, `secretary`, `treasurer`,
    /// `member` or `partner-contact`.
    #[schema(example = "chair")]
    pub role: Option<String>,
    /// Required: the first day (YYYY-MM-DD).
    #[schema(example = "2015-01-01")]
    pub start: Option<String>,
    /// The last day (YYYY-MM-DD), not before `start`.
    pub end: Option<String>,
}

impl RoleBody {
    pub fn into_input(self) -> RoleInput {
        RoleInput {
            person: self.person,
            role: self.role,
            start: self.start,
            end: self.end,
        }
    }
}

/// The end of a role.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndRoleBody {
    /// Required: the role's last day (YYYY-MM-DD), not before its start.
    #[schema(example = "2026-12-31")]
    pub end: Option<String>,
}

/// Where a role is held.
#[derive(Serialize, ToSchema)]
pub struct BodyRef {
    /// `foundation` (its board) or `working-group`.
    #[schema(example = "working-group")]
    pub kind: String,
    pub id: String,
}

/// A role held by a person.
#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    pub id: String,
    /// The person's id.
    pub person: String,
    pub body: BodyRef,
    #[schema(example = "chair")]
    pub role: String,
    #[schema(example = "2015-01-01")]
    pub start: String,
    pub end: Option<String>,
}

impl From<&RoleRecord> for RoleOut {
    fn from(r: &RoleRecord) -> Self {
        let a = &r.assignment;
        let body = match &a.body {
            Body::Foundation(id) => BodyRef {
                kind: "foundation".to_owned(),
                id: id.clone(),
            },
            Body::WorkingGroup(id) => BodyRef {
                kind: "working-group".to_owned(),
                id: id.clone(),
            },
        };
        RoleOut {
            id: r.id.clone(),
            person: a.person.clone(),
            body,
            role: a.role.as_str().to_owned(),
            start: a.term.start.to_string(),
            end: a.term.end.map(|d| d.to_string()),
        }
    }
}

/// A person as written to the register: only what the organisation needs, with the lawful
/// basis for keeping it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersonBody {
    /// Required.
    #[schema(example = "Jan Voorbeeld")]
    pub name: Option<String>,
    #[schema(example = "jan@voorbeeld.example")]
    pub email: Option<String>,
    /// 6 to 20 digits, with `+`, spaces, dashes or brackets.
    #[schema(example = "+31 70 123 4567")]
    pub phone: Option<String>,
    /// Required: `membership`, `consent` or `public-task`.
    #[schema(example = "membership")]
    pub basis: Option<String>,
    /// With `consent`, required: the version of the consent text agreed to.
    #[schema(example = "toestemming-2024-v1")]
    pub consent_text_version: Option<String>,
    /// With `consent`, required: the date consent was given (YYYY-MM-DD).
    #[schema(example = "2024-03-01")]
    pub consent_given_on: Option<String>,
}

impl PersonBody {
    pub fn into_input(self) -> PersonInput {
        PersonInput {
            name: self.name,
            email: self.email,
            phone: self.phone,
            basis: self.basis,
            consent_text_version: self.consent_text_version,
            consent_given_on: self.consent_given_on,
        }
    }
}

/// A person recorded with a foundation. Contact details, basis and consent are `null` for
/// callers who may read names only; everything personal is `null` once anonymised.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonOut {
    pub id: String,
    /// The foundation's id.
    pub foundation: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `membership`, `consent` or `public-task`.
    #[schema(example = "membership")]
    pub basis: Option<String>,
    pub consent_text_version: Option<String>,
    pub consent_given_on: Option<String>,
    /// The account that recorded the consent.
    pub consent_recorded_by: Option<String>,
    pub consent_withdrawn_on: Option<String>,
    /// Invented for the demo data set.
    pub demo: bool,
    pub created_on: String,
    pub anonymised: bool,
    pub anonymised_on: Option<String>,
}

impl From<&Person> for PersonOut {
    fn from(p: &Person) -> Self {
        let (basis, version, given, by) = match &p.basis {
            None => (None, None, None, None),
            Some(LawfulBasis::Membership) => (Some("membership"), None, None, None),
            Some(LawfulBasis::PublicTask) => (Some("public-task"), None, None, None),
            Some(LawfulBasis::Consent {
                text_version,
                given_on,
                recorded_by,
            }) => (
                Some("consent"),
                Some(text_version.clone()),
                Some(given_on.to_string()),
                Some(recorded_by.clone()),
            ),
        };
        PersonOut {
            id: p.id.clone(),
            foundation: p.foundation.clone(),
            name: p.name.as_ref().map(|n| n.to_string()),
            email: p.email.clone(),
            phone: p.phone.clone(),
            basis: basis.map(str::to_owned),
            consent_text_version: version,
            consent_given_on: given,
            consent_recorded_by: by,
            consent_withdrawn_on: p.consent_withdrawn_on.map(|d| d.to_string()),
            demo: p.demo,
            created_on: p.created_on.to_string(),
            anonymised: p.is_anonymised(),
            anonymised_on: p.anonymised_on.map(|d| d.to_string()),
        }
    }
}

/// Where a person's role is held, named.
#[derive(Serialize, ToSchema)]
pub struct BodyLabelOut {
    /// `foundation` (its board) or `working-group`.
    pub kind: String,
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A role of a person.
#[derive(Serialize, ToSchema)]
pub struct PersonRoleOut {
    pub id: String,
    pub body: BodyLabelOut,
    #[schema(example = "chair")]
    pub role: String,
    pub start: String,
    pub end: Option<String>,
    /// Whether it runs today.
    pub current: bool,
}

/// A person with their roles and what the caller may do.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonOut,
    pub roles: Vec<PersonRoleOut>,
    /// Whether contact details, basis and consent are shown.
    pub contact_visible: bool,
    pub may_edit: bool,
    /// Whether the caller may export or erase the person's data.
    pub may_handle_request: bool,
    /// The day after which the data may no longer be kept (`null` while a role runs).
    pub retention_ends: Option<String>,
}

impl PersonDetail {
    pub fn new(v: &PersonView, today: jiff::civil::Date) -> Self {
        PersonDetail {
            person: PersonOut::from(&v.person),
            roles: v
                .roles
                .iter()
                .map(|(r, b)| PersonRoleOut {
                    id: r.id.clone(),
                    body: BodyLabelOut {
                        kind: b.kind.to_owned(),
                        id: b.id.clone(),
                        slug: b.slug.clone(),
                        name: b.name.clone(),
                    },
                    role: r.assignment.role.as_str().to_owned(),
                    start: r.assignment.term.start.to_string(),
                    end: r.assignment.term.end.map(|d| d.to_string()),
                    current: r.assignment.term.covers(today),
                })
                .collect(),
            contact_visible: v.contact_visible,
            may_edit: v.may_edit,
            may_handle_request: v.may_handle_request,
            retention_ends: v.retention_ends.map(|d| d.to_string()),
        }
    }
}

/// Everything stored about a person (a data-subject access request): every row of every table
/// that refers to them, by table.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonExport {
    /// The person's id.
    pub person: String,
    #[schema(example = "2026-11-27")]
    pub exported_on: String,
    /// Table name → its rows as objects of column → value.
    #[schema(value_type = Object)]
    pub tables: serde_json::Value,
}

impl PersonExport {
    pub fn from_json(mut v: serde_json::Value) -> Self {
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        PersonExport {
            person: text(&v, "person"),
            exported_on: text(&v, "exportedOn"),
            tables: v["tables"].take(),
        }
    }
}
