//! The API's request and response bodies. Names are camelCase; dates are ISO text ("1990" when
//! only the year is known, else "1990-05-12"); choices are kebab-case codes.

use serde::{Deserialize, Serialize};
use stedenband_app::{MunicipalityView, Page, PartnershipDetail, PartnershipView};
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
