//! The API's request and response bodies. Names are camelCase; dates are ISO text ("1990" when
//! only the year is known, else "1990-05-12"); choices are kebab-case codes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stedenband_app::activities::{ActivityView, Dormancy, OccurrenceView, YearNumbers};
use stedenband_app::organisation::{
    FoundationView, PersonLabel, PersonView, RuleLine, Seat, WorkingGroupView,
};
use stedenband_app::{MunicipalityView, Page, PartnershipDetail, PartnershipView};
use stedenband_domain::activity::{
    Activity, ActivityInput, FiguresInput, Occurrence, Organiser, Reception, ReceptionInput,
};
use stedenband_domain::organisation::{
    Body, Foundation, FoundationInput, LawfulBasis, Person, PersonInput, RoleInput, RoleRecord,
    WorkingGroup, WorkingGroupInput,
};
use stedenband_domain::{
    Merger, MergerInput, Municipality, MunicipalityInput, PartnershipEvent, PartnershipEventInput,
    PartnershipInput,
};
use utoipa::{IntoParams, ToSchema};

/// The schema of a field read "loosely" (years, counts, votes, hours, weights): text, or a JSON
/// number given as its digits, or absent; the domain's parser decides either way. The document
/// says so, rather than "string", because the server takes both: Schemathesis sent `25` where
/// the document promised text, and it was (rightly) read.
pub(super) fn text_or_integer() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(
            [Type::String, Type::Integer, Type::Null]
                .into_iter()
                .collect::<SchemaType>(),
        )
        .build()
}

/// A whole number that may be written with a zero fraction (`33444.0`): JSON Schema's
/// `integer` admits it, so the document promises it, but serde's `u64` refused it as a
/// malformed body (found by Schemathesis). A real fraction or a negative number stays a 400.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error;
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(v) = n.as_u64() {
        return Ok(Some(v));
    }
    // Below 2^53 every whole f64 is exact, so the conversion loses nothing.
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&f) => {
            Ok(Some(f as u64))
        }
        _ => Err(D::Error::custom(format!(
            "invalid value: {n}, expected a whole number from 0"
        ))),
    }
}

/// A list of nested bodies, each of which must be a JSON object. serde's derived structs also
/// take the sequence form (`[null, null]` for a two-field struct), which the document does not
/// describe: Schemathesis had `"affects": [[null, null]]` accepted as a decision's subject. Each
/// item is read as an object first, so an array item is a 400 like any other malformed body.
pub(super) fn objects<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Vec::<serde_json::Map<String, serde_json::Value>>::deserialize(d)?
        .into_iter()
        .map(|m| serde_json::from_value(serde_json::Value::Object(m)))
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)
}

/// One optional nested body that must be a JSON object or `null` (see [`objects`]).
pub(super) fn optional_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Option::<serde_json::Map<String, serde_json::Value>>::deserialize(d)?
        .map(|m| serde_json::from_value(serde_json::Value::Object(m)))
        .transpose()
        .map_err(serde::de::Error::custom)
}

/// A list of [`text_or_integer`] items (one whole-number weight per partnership); `null` is an
/// empty list.
pub(super) fn text_or_integer_list() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    ArrayBuilder::new()
        .schema_type(
            [Type::Array, Type::Null]
                .into_iter()
                .collect::<SchemaType>(),
        )
        .items(
            ObjectBuilder::new().schema_type(
                [Type::String, Type::Integer]
                    .into_iter()
                    .collect::<SchemaType>(),
            ),
        )
        .build()
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MunicipalityListQuery {
    /// Words in the name (case, accents and punctuation are ignored).
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 4294967295_u64)]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PartnershipListQuery {
    /// A municipality's id, slug or name: only the partnerships it holds.
    pub municipality: Option<String>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 4294967295_u64)]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
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
    #[serde(default, deserialize_with = "whole_number")]
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

// ---- activities: exchanges, visits, recurring events, receptions and numbers -----------------
//
// Counts come in as JSON numbers and are handed to the use case as text, so the domain's parser
// decides (a negative number is a 422 naming the field, not an unreadable body). Money goes
// both ways as a decimal string with two decimals ("6500.00").

/// Filters for the list of activities. Unknown values are refused (422 naming the parameter).
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ActivityListQuery {
    /// A partnership's id.
    pub partnership: Option<String>,
    /// A working group's id or slug: only the activities it organises.
    #[param(example = "werkgroep-hranice")]
    pub working_group: Option<String>,
    /// `art`, `music`, `choir`, `sport`, `police`, `fire-brigade`, `school`, `civil-service`,
    /// `youth`, `economy`, `knowledge-transfer`, `city-promotion` or `other`.
    #[param(example = "choir")]
    pub category: Option<String>,
    /// The first day of the period (YYYY-MM-DD): only activities with an occurrence that ends on
    /// or after it.
    #[param(example = "2017-12-01")]
    pub from: Option<String>,
    /// The last day of the period (YYYY-MM-DD), not before `from` and at most ten years after
    /// it: only activities with an occurrence that starts on or before it. With `from` alone
    /// the period runs two years from `from`; with `to` alone, two years up to `to`.
    #[param(example = "2017-12-31")]
    pub to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OccurrencesQuery {
    /// The last day (YYYY-MM-DD) from which occurrences are listed; by default today, or the
    /// activity's end when that is later.
    #[param(example = "2017-12-31")]
    pub until: Option<String>,
}

/// How a recurring activity comes back.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecurrenceBody {
    /// `yearly` or `monthly`. Invalid values are reported as `recurrence.frequency`.
    #[schema(example = "yearly")]
    pub frequency: String,
    /// The last day an occurrence may start (YYYY-MM-DD), not before the activity's start;
    /// open when absent. Invalid values are reported as `recurrence.until`.
    pub until: Option<String>,
}

/// An activity as written to the register. Fields marked required are reported as invalid (422)
/// when absent or empty.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityBody {
    /// Required: the partnership's id.
    pub partnership: Option<String>,
    /// Required: `municipality`, or the id or slug of a working group carrying the partnership.
    #[schema(example = "werkgroep-hranice")]
    pub organiser: Option<String>,
    /// Required.
    #[schema(example = "Uitwisseling van koren")]
    pub title: Option<String>,
    pub description: Option<String>,
    /// Required: the first day (YYYY-MM-DD).
    #[schema(example = "2017-05-12")]
    pub start: Option<String>,
    /// hh:mm, in `timezone`.
    #[schema(example = "19:30")]
    pub start_time: Option<String>,
    /// The last day (YYYY-MM-DD), not before `start`; the start day when absent.
    #[schema(example = "2017-05-14")]
    pub end: Option<String>,
    /// hh:mm, in `timezone`.
    #[schema(example = "22:00")]
    pub end_time: Option<String>,
    /// An IANA time zone; Europe/Amsterdam when absent.
    #[schema(example = "Europe/Prague")]
    pub timezone: Option<String>,
    #[schema(example = "Hranice")]
    pub place: Option<String>,
    /// Required: `incoming`, `outgoing`, `both` or `online`.
    #[schema(example = "incoming")]
    pub direction: Option<String>,
    /// Required: `art`, `music`, `choir`, `sport`, `police`, `fire-brigade`, `school`,
    /// `civil-service`, `youth`, `economy`, `knowledge-transfer`, `city-promotion` or `other`.
    #[schema(example = "choir")]
    pub category: Option<String>,
    /// People from the home side: a whole number from 0 to 100000 (0 when absent).
    #[schema(value_type = Option<i64>, example = 24)]
    pub participants_home: Option<serde_json::Number>,
    /// People from the partner side: a whole number from 0 to 100000 (0 when absent).
    #[schema(value_type = Option<i64>, example = 18)]
    pub participants_partner: Option<serde_json::Number>,
    /// `planned` (default), `confirmed`, `held` or `cancelled`.
    #[schema(example = "planned")]
    pub status: Option<String>,
    /// What came of it, after the event.
    pub outcomes: Option<String>,
    /// Web addresses (http or https).
    #[serde(default)]
    pub links: Vec<String>,
    /// Whether the public sees it (calendar, feeds, API); not public when absent.
    pub public: Option<bool>,
    /// A recurrence, or `null` for a one-off activity.
    #[serde(default, deserialize_with = "optional_object")]
    pub recurrence: Option<RecurrenceBody>,
}

impl ActivityBody {
    pub fn into_input(self) -> ActivityInput {
        let number = |n: Option<serde_json::Number>| n.map(|n| n.to_string());
        let (recurrence, recurrence_until) = match self.recurrence {
            Some(r) => (Some(r.frequency), r.until),
            None => (None, None),
        };
        ActivityInput {
            partnership: self.partnership,
            organiser: self.organiser,
            title: self.title,
            description: self.description,
            start: self.start,
            start_time: self.start_time,
            end: self.end,
            end_time: self.end_time,
            timezone: self.timezone,
            place: self.place,
            direction: self.direction,
            category: self.category,
            participants_home: number(self.participants_home),
            participants_partner: number(self.participants_partner),
            status: self.status,
            outcomes: self.outcomes,
            links: Some(self.links.join("\n")),
            public: self.public.map(|p| p.to_string()),
            recurrence,
            recurrence_until,
        }
    }
}

/// Who organises an activity.
#[derive(Serialize, ToSchema)]
pub struct OrganiserOut {
    /// `working-group` or `municipality` (the partnership's holder).
    #[schema(example = "working-group")]
    pub kind: String,
    /// The working group's id, slug and name.
    pub id: Option<String>,
    #[schema(example = "werkgroep-hranice")]
    pub slug: Option<String>,
    #[schema(example = "Werkgroep Hranice")]
    pub name: Option<String>,
}

impl OrganiserOut {
    /// `group`: the organising working group's id, slug and name, when known.
    pub fn new(o: &Organiser, group: Option<(&str, &str, &str)>) -> Self {
        match o {
            Organiser::Municipality => OrganiserOut {
                kind: "municipality".to_owned(),
                id: None,
                slug: None,
                name: None,
            },
            Organiser::WorkingGroup(id) => OrganiserOut {
                kind: "working-group".to_owned(),
                id: Some(id.clone()),
                slug: group.map(|g| g.1.to_owned()),
                name: group.map(|g| g.2.to_owned()),
            },
        }
    }
}

/// How a recurring activity comes back.
#[derive(Serialize, ToSchema)]
pub struct RecurrenceOut {
    #[schema(example = "yearly")]
    pub frequency: String,
    pub until: Option<String>,
}

fn hhmm(t: Option<jiff::civil::Time>) -> Option<String> {
    t.map(|t| t.strftime("%H:%M").to_string())
}

/// An activity of a partnership.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityOut {
    pub id: String,
    /// The partnership's id.
    pub partnership: String,
    pub organiser: OrganiserOut,
    pub title: String,
    pub description: Option<String>,
    #[schema(example = "2017-12-01")]
    pub start: String,
    #[schema(example = "18:30")]
    pub start_time: Option<String>,
    #[schema(example = "2018-01-06")]
    pub end: String,
    pub end_time: Option<String>,
    #[schema(example = "Europe/Amsterdam")]
    pub timezone: String,
    pub place: Option<String>,
    #[schema(example = "incoming")]
    pub direction: String,
    #[schema(example = "city-promotion")]
    pub category: String,
    /// The group of the category: `culture`, `sport`, `professional`, or the category itself.
    #[schema(example = "city-promotion")]
    pub category_group: String,
    pub participants_home: u32,
    pub participants_partner: u32,
    #[schema(example = "held")]
    pub status: String,
    pub outcomes: Option<String>,
    pub links: Vec<String>,
    pub public: bool,
    /// `null` for a one-off activity.
    pub recurrence: Option<RecurrenceOut>,
}

impl ActivityOut {
    pub fn new(a: &Activity, group: Option<(&str, &str, &str)>) -> Self {
        let d = &a.draft;
        let s = &d.schedule;
        ActivityOut {
            id: a.id.clone(),
            partnership: d.partnership.0.clone(),
            organiser: OrganiserOut::new(&d.organiser, group),
            title: d.title.to_string(),
            description: d.description.clone(),
            start: s.start.to_string(),
            start_time: hhmm(s.start_time),
            end: s.end.to_string(),
            end_time: hhmm(s.end_time),
            timezone: s.zone.to_string(),
            place: d.place.clone(),
            direction: d.direction.as_str().to_owned(),
            category: d.category.as_str().to_owned(),
            category_group: d.category.group().to_owned(),
            participants_home: d.participants_home,
            participants_partner: d.participants_partner,
            status: d.status.as_str().to_owned(),
            outcomes: d.outcomes.clone(),
            links: d.links.clone(),
            public: d.public,
            recurrence: d.recurrence.map(|r| RecurrenceOut {
                frequency: r.frequency.as_str().to_owned(),
                until: r.until.map(|u| u.to_string()),
            }),
        }
    }
}

/// The dates of one occurrence of an activity.
#[derive(Serialize, ToSchema)]
pub struct OccurrenceSpan {
    /// 0 for the first occurrence.
    pub index: u32,
    #[schema(example = "2017-12-01")]
    pub start: String,
    #[schema(example = "2018-01-06")]
    pub end: String,
}

impl From<&Occurrence> for OccurrenceSpan {
    fn from(o: &Occurrence) -> Self {
        OccurrenceSpan {
            index: o.index,
            start: o.start.to_string(),
            end: o.end.to_string(),
        }
    }
}

/// An activity in a list.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityListItem {
    #[serde(flatten)]
    pub activity: ActivityOut,
    /// Only when a period (`from`, `to`) was asked for: the activity's occurrences that overlap
    /// it, in time order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Vec<OccurrenceSpan>>,
}

/// A reception by the mayor and aldermen.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReceptionOut {
    /// `requested`, `accepted`, `declined`, `scheduled` or `held`.
    #[schema(example = "requested")]
    pub status: String,
    /// The statuses it may move to next.
    #[schema(example = json!(["accepted", "declined"]))]
    pub next: Vec<String>,
    #[schema(example = "2017-05-12")]
    pub scheduled_on: Option<String>,
    #[schema(example = "16:00")]
    pub scheduled_at: Option<String>,
    /// Who receives (office or name); only for those who may edit the activity or manage
    /// receptions, else `null`.
    pub received_by: Option<String>,
    /// Only for those who may edit the activity or manage receptions, else `null`.
    pub note: Option<String>,
}

impl ReceptionOut {
    /// `full`: whether who receives and the note are shown.
    pub fn new(r: &Reception, full: bool) -> Self {
        ReceptionOut {
            status: r.status.as_str().to_owned(),
            next: r
                .status
                .next()
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            scheduled_on: r.scheduled_on.map(|d| d.to_string()),
            scheduled_at: hhmm(r.scheduled_at),
            received_by: r.received_by.clone().filter(|_| full),
            note: r.note.clone().filter(|_| full),
        }
    }
}

/// An activity with its partnership, organiser and reception, and what the caller may do.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDetail {
    #[serde(flatten)]
    pub activity: ActivityOut,
    /// The partner town.
    pub partner: MunicipalityRef,
    /// The municipality holding the partnership today.
    pub held_by: MunicipalityRef,
    /// The reception asked for, if any.
    pub reception: Option<ReceptionOut>,
    /// Whether the caller may change the activity, record figures and ask for a reception.
    pub may_edit: bool,
    /// Whether the caller may move the reception on (an official of the holding municipality).
    pub may_manage_reception: bool,
}

impl From<&ActivityView> for ActivityDetail {
    fn from(v: &ActivityView) -> Self {
        let group = v
            .group
            .as_ref()
            .map(|(id, slug, name)| (id.as_str(), slug.as_str(), name.as_str()));
        let full = v.may_edit || v.may_manage_reception;
        ActivityDetail {
            activity: ActivityOut::new(&v.activity, group),
            partner: MunicipalityRef::from(&v.partnership.partner),
            held_by: MunicipalityRef::from(&v.partnership.holder),
            reception: v.reception.as_ref().map(|r| ReceptionOut::new(r, full)),
            may_edit: v.may_edit,
            may_manage_reception: v.may_manage_reception,
        }
    }
}

/// A step of a reception.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReceptionBody {
    /// Required: the next status, one of the reception's `next`: `accepted`, `declined`,
    /// `scheduled` or `held`.
    #[schema(example = "scheduled")]
    pub status: Option<String>,
    /// A date (YYYY-MM-DD); required from `scheduled` on (kept from an earlier step).
    #[schema(example = "2017-05-12")]
    pub scheduled_on: Option<String>,
    /// hh:mm.
    #[schema(example = "16:00")]
    pub scheduled_at: Option<String>,
    /// Who receives: an office or a name.
    #[schema(example = "Burgemeester en wethouders")]
    pub received_by: Option<String>,
    pub note: Option<String>,
}

impl ReceptionBody {
    pub fn into_input(self) -> ReceptionInput {
        ReceptionInput {
            status: self.status,
            scheduled_on: self.scheduled_on,
            scheduled_at: self.scheduled_at,
            received_by: self.received_by,
            note: self.note,
        }
    }
}

/// An open reception request of a municipality, with its activity.
#[derive(Serialize, ToSchema)]
pub struct OpenReceptionOut {
    pub activity: ActivityOut,
    /// The partner town.
    pub partner: MunicipalityRef,
    pub reception: ReceptionOut,
}

/// One occurrence of an activity with its figures: its own where recorded, else the activity's.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceOut {
    /// 0 for the first occurrence.
    pub index: u32,
    /// Names the occurrence (in the address to record its figures).
    #[schema(example = "2017-12-01")]
    pub start: String,
    #[schema(example = "2018-01-06")]
    pub end: String,
    pub participants_home: u32,
    pub participants_partner: u32,
    /// Euros, two decimals.
    #[schema(example = "6500.00")]
    pub costs: Option<String>,
    pub notes: Option<String>,
    /// Whether figures were recorded for this occurrence itself.
    pub recorded: bool,
    /// Whether this occurrence was cancelled on its own (the series runs on); it then counts
    /// neither in the numbers per year nor against dormancy.
    pub cancelled: bool,
}

impl From<&OccurrenceView> for OccurrenceOut {
    fn from(o: &OccurrenceView) -> Self {
        OccurrenceOut {
            index: o.occurrence.index,
            start: o.occurrence.start.to_string(),
            end: o.occurrence.end.to_string(),
            participants_home: o.participants_home,
            participants_partner: o.participants_partner,
            costs: o.costs.map(|c| format!("{c:.2}")),
            notes: o.notes.clone(),
            recorded: o.recorded,
            cancelled: o.cancelled,
        }
    }
}

/// The figures of one occurrence; absent counts fall back to the activity's own.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FiguresBody {
    /// A whole number from 0 to 100000.
    #[schema(value_type = Option<i64>, example = 40)]
    pub participants_home: Option<serde_json::Number>,
    /// A whole number from 0 to 100000.
    #[schema(value_type = Option<i64>, example = 6)]
    pub participants_partner: Option<serde_json::Number>,
    /// Euros as a decimal string, at most two decimals, not negative.
    #[schema(example = "6500.00")]
    pub costs: Option<String>,
    pub notes: Option<String>,
    /// This occurrence did not take place (the series runs on); false when absent.
    pub cancelled: Option<bool>,
}

impl FiguresBody {
    pub fn into_input(self) -> FiguresInput {
        FiguresInput {
            participants_home: self.participants_home.map(|n| n.to_string()),
            participants_partner: self.participants_partner.map(|n| n.to_string()),
            costs: self.costs,
            notes: self.notes,
            cancelled: self.cancelled.map(|c| c.to_string()),
        }
    }
}

/// The held activities of one year (each occurrence of a recurring one counts in its year).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct YearNumbersOut {
    #[schema(example = 2017)]
    pub year: i16,
    pub activities: u32,
    /// Category → number of activities.
    #[schema(example = json!({"choir": 1, "city-promotion": 2}))]
    pub by_category: BTreeMap<String, u32>,
    /// Direction → number of activities.
    #[schema(example = json!({"incoming": 2, "both": 1}))]
    pub by_direction: BTreeMap<String, u32>,
    pub participants_home: u32,
    pub participants_partner: u32,
    /// Euros, two decimals: the recorded costs of the year's occurrences.
    #[schema(example = "6500.00")]
    pub costs: String,
}

impl From<&YearNumbers> for YearNumbersOut {
    fn from(y: &YearNumbers) -> Self {
        YearNumbersOut {
            year: y.year,
            activities: y.activities,
            by_category: y.by_category.clone(),
            by_direction: y.by_direction.clone(),
            participants_home: y.participants_home,
            participants_partner: y.participants_partner,
            costs: format!("{:.2}", y.costs),
        }
    }
}

/// Whether a partnership is dormant: no held activity in the last `months` months.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DormancyOut {
    /// The last day of the last held activity (up to today), or `null` when none was held.
    #[schema(example = "2017-10-12")]
    pub last_held: Option<String>,
    #[schema(example = 24)]
    pub months: u16,
    pub dormant: bool,
}

impl From<&Dormancy> for DormancyOut {
    fn from(d: &Dormancy) -> Self {
        DormancyOut {
            last_held: d.last_held.map(|d| d.to_string()),
            months: d.months,
            dormant: d.dormant,
        }
    }
}

/// A partnership's held activities per year, oldest year first, and its dormancy.
#[derive(Serialize, ToSchema)]
pub struct ActivityNumbersOut {
    /// The partnership's id.
    pub partnership: String,
    pub years: Vec<YearNumbersOut>,
    pub dormancy: DormancyOut,
}
