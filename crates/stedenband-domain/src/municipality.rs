//! Municipalities and regions: the places that twin.

use crate::country::CountryCode;
use crate::error::{ValidationErrors, given};
use crate::text::{Name, Slug};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MunicipalityId(pub String);

impl fmt::Display for MunicipalityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A partner can be a municipality or a region (a province, a county, a Land).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    Municipality,
    Region,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 2] = [PlaceKind::Municipality, PlaceKind::Region];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Municipality => "municipality",
            Self::Region => "region",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim() {
            "" | "municipality" => Ok(Self::Municipality),
            "region" => Ok(Self::Region),
            _ => Err("error-choice-invalid"),
        }
    }
}

/// An official code: for Dutch municipalities the CBS code (GM followed by four digits,
/// Leidschendam-Voorburg is GM1916); elsewhere the national statistics code as written there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfficialCode(String);

impl OfficialCode {
    pub fn parse(raw: &str, country: Option<CountryCode>) -> Result<Self, &'static str> {
        let s = raw.trim();
        if country.is_some_and(|c| c.as_str() == "NL") {
            let s = s.to_ascii_uppercase();
            let digits = s.strip_prefix("GM").unwrap_or("");
            if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(Self(s));
            }
            return Err("error-cbs-code-invalid");
        }
        let ok = !s.is_empty()
            && s.len() <= 20
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./ ".contains(&b));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err("error-official-code-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Wikidata item id, "Q" and digits (Q1020185).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WikidataId(String);

impl WikidataId {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim().to_ascii_uppercase();
        let digits = s.strip_prefix('Q').unwrap_or("");
        let ok = !digits.is_empty()
            && digits.len() <= 12
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Self(s))
        } else {
            Err("error-wikidata-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// WGS 84 latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Coordinates {
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, (&'static str, &'static str)> {
        if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
            return Err(("latitude", "error-latitude-range"));
        }
        if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
            return Err(("longitude", "error-longitude-range"));
        }
        Ok(Self {
            latitude,
            longitude,
        })
    }

    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    pub fn longitude(&self) -> f64 {
        self.longitude
    }
}

/// A stored municipality or region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Municipality {
    pub id: MunicipalityId,
    pub slug: Slug,
    #[serde(flatten)]
    pub draft: MunicipalityDraft,
}

impl Municipality {
    pub fn name(&self) -> &Name {
        &self.draft.name
    }

    pub fn country(&self) -> CountryCode {
        self.draft.country
    }
}

/// The valid content of a municipality, before it has an id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MunicipalityDraft {
    pub name: Name,
    /// Asked for by the user; when absent the store derives one from the name.
    pub slug: Option<Slug>,
    pub kind: PlaceKind,
    pub country: CountryCode,
    pub region: Option<Name>,
    pub official_code: Option<OfficialCode>,
    pub wikidata_id: Option<WikidataId>,
    pub coordinates: Option<Coordinates>,
    pub population: Option<u64>,
}

/// Raw input from a form or a JSON body: every field as typed, nothing checked yet.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub official_code: Option<String>,
    pub wikidata_id: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub population: Option<String>,
}

/// Largest population we accept: more than any city has.
const MAX_POPULATION: u64 = 100_000_000;

impl MunicipalityDraft {
    /// Checks every field and reports all that are wrong at once.
    pub fn parse(input: &MunicipalityInput) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.check("name", Name::parse(given(&input.name).unwrap_or("")));
        let slug = given(&input.slug).and_then(|s| e.check("slug", Slug::parse(s)));
        let kind = e.check("kind", PlaceKind::parse(given(&input.kind).unwrap_or("")));
        let country = e.check(
            "country",
            CountryCode::parse(given(&input.country).unwrap_or("")),
        );
        let region = given(&input.region).and_then(|s| e.check("region", Name::parse(s)));
        let official_code = given(&input.official_code)
            .and_then(|s| e.check("officialCode", OfficialCode::parse(s, country)));
        let wikidata_id =
            given(&input.wikidata_id).and_then(|s| e.check("wikidataId", WikidataId::parse(s)));
        let coordinates = match (given(&input.latitude), given(&input.longitude)) {
            (None, None) => None,
            (Some(_), None) => {
                e.push("longitude", "error-coordinates-pair");
                None
            }
            (None, Some(_)) => {
                e.push("latitude", "error-coordinates-pair");
                None
            }
            (Some(lat), Some(lon)) => {
                let lat = e.check("latitude", parse_degrees(lat));
                let lon = e.check("longitude", parse_degrees(lon));
                match (lat, lon) {
                    (Some(lat), Some(lon)) => match Coordinates::new(lat, lon) {
                        Ok(c) => Some(c),
                        Err((field, key)) => {
                            e.push(field, key);
                            None
                        }
                    },
                    _ => None,
                }
            }
        };
        let population =
            given(&input.population).and_then(|s| e.check("population", parse_population(s)));
        e.finish(|| MunicipalityDraft {
            name: name.expect("checked"),
            slug,
            kind: kind.expect("checked"),
            country: country.expect("checked"),
            region,
            official_code,
            wikidata_id,
            coordinates,
            population,
        })
    }
}

fn parse_degrees(s: &str) -> Result<f64, &'static str> {
    s.replace(',', ".")
        .parse::<f64>()
        .map_err(|_| "error-number-invalid")
}

fn parse_population(s: &str) -> Result<u64, &'static str> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '_' | '\u{a0}'))
        .collect();
    let n: u64 = digits.parse().map_err(|_| "error-whole-number")?;
    if n > MAX_POPULATION {
        Err("error-population-range")
    } else {
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, country: &str) -> MunicipalityInput {
        MunicipalityInput {
            name: Some(name.into()),
            country: Some(country.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_dutch_municipality_with_its_cbs_code() {
        let mut i = input("Leidschendam-Voorburg", "NL");
        i.official_code = Some("gm1916".into());
        i.wikidata_id = Some("q1020185".into());
        i.latitude = Some("52,0833".into());
        i.longitude = Some("4.4".into());
        i.population = Some("77.000".into());
        let d = MunicipalityDraft::parse(&i).unwrap();
        assert_eq!(d.official_code.unwrap().as_str(), "GM1916");
        assert_eq!(d.wikidata_id.unwrap().as_str(), "Q1020185");
        assert_eq!(d.coordinates.unwrap().latitude(), 52.0833);
        assert_eq!(d.population, Some(77_000));
        assert_eq!(d.kind, PlaceKind::Municipality);
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let mut i = input(" ", "XX");
        i.official_code = Some("1916!".into());
        i.wikidata_id = Some("P190".into());
        i.latitude = Some("91".into());
        i.longitude = Some("east".into());
        i.population = Some("-5".into());
        i.kind = Some("village".into());
        let errs = MunicipalityDraft::parse(&i).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", "error-required"),
                ("kind", "error-choice-invalid"),
                ("country", "error-country-unknown"),
                ("officialCode", "error-official-code-invalid"),
                ("wikidataId", "error-wikidata-invalid"),
                ("longitude", "error-number-invalid"),
                ("population", "error-whole-number"),
            ]
        );
    }

    #[test]
    fn dutch_codes_must_be_cbs_codes() {
        let mut i = input("Voorburg", "NL");
        i.official_code = Some("0610".into());
        assert_eq!(
            MunicipalityDraft::parse(&i).unwrap_err().0[0].key,
            "error-cbs-code-invalid"
        );
        let mut i = input("Hranice", "CZ");
        i.official_code = Some("0610".into());
        assert!(MunicipalityDraft::parse(&i).is_ok());
    }

    #[test]
    fn coordinates_come_in_pairs_and_in_range() {
        let mut i = input("Temecula", "US");
        i.latitude = Some("33.49".into());
        assert_eq!(
            MunicipalityDraft::parse(&i).unwrap_err().0[0].field,
            "longitude"
        );
        i.longitude = Some("-181".into());
        assert_eq!(
            MunicipalityDraft::parse(&i).unwrap_err().0[0].key,
            "error-longitude-range"
        );
        i.longitude = Some("-117.13".into());
        assert!(MunicipalityDraft::parse(&i).is_ok());
        i.latitude = Some("NaN".into());
        assert_eq!(
            MunicipalityDraft::parse(&i).unwrap_err().0[0].key,
            "error-latitude-range"
        );
    }
}
