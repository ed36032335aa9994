//! Reading a world list: bytes in, one [`RawRow`] per pair out, each checked or rejected.
//!
//! Three formats:
//! - [`WorldFormat::Csv`]: a header naming the [`CSV_COLUMNS`], in any order; further columns
//!   are allowed and ignored, a missing or doubled one refuses the file. Comma-separated, `"`
//!   quoting, decimal points ("52,08" is not a number). A row's number is its line in the file
//!   (the header is line 1) and its `original` every field of the record in file order.
//! - [`WorldFormat::JsonRows`]: an array of objects with the same keys (names as strings,
//!   coordinates as numbers or strings, null or absent for none); number = index + 1, original
//!   = the eight values in [`CSV_COLUMNS`] order.
//! - [`WorldFormat::Wikidata`]: entity JSON as `Special:EntityData` or the dumps give it, either
//!   `{"entities": {"Q1": {...}}}` or an array of entities. Each P190 (twinned administrative
//!   body) statement of a town is a row; statements of deprecated rank and those without a value
//!   ("unknown value", "no value") name no partner and are skipped. Entities with P297 (ISO
//!   alpha-2) are countries, not towns.
//!
//! A whole-file problem is a [`FileError`] and nothing is imported; a row problem is the row's
//! [`Rejection`]. A row's checks run side by side (name, country, coordinates of the first
//! town, then of the second), then whether both sides are the same town, then the dates.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::countries::country_from_list_name;
use super::{CheckedPair, CheckedTown, Rejection};
use crate::country::CountryCode;
use crate::municipality::{Coordinates, WikidataId};
use crate::text::fold;

/// The formats [`read`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldFormat {
    Csv,
    JsonRows,
    Wikidata,
}

/// A whole-file problem: the import is refused before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// A translation key: `world-file-empty`, `world-file-not-utf8`, `world-file-columns`,
    /// `world-file-malformed`.
    pub key: &'static str,
    /// What is wrong and where, in English.
    pub detail: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.detail)
    }
}

impl std::error::Error for FileError {}

/// One row as read, before checks; `original` is the row's fields as they were (for the rejected
/// file).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub number: u64,
    pub original: Vec<String>,
    pub outcome: Result<CheckedPair, Rejection>,
}

/// The columns a CSV list must have, in any order.
pub const CSV_COLUMNS: [&str; 8] = [
    "city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2",
];

/// Two towns of the same name and country closer than this are one town.
const SELF_PAIR_KM: f64 = 50.0;

fn empty(detail: &str) -> FileError {
    FileError {
        key: "world-file-empty",
        detail: detail.to_owned(),
    }
}

fn malformed(detail: impl Into<String>) -> FileError {
    FileError {
        key: "world-file-malformed",
        detail: detail.into(),
    }
}

/// The text after a UTF-8 byte order mark, if any, checked to be UTF-8.
fn text(bytes: &[u8]) -> Result<&str, FileError> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    std::str::from_utf8(&bytes[bom..]).map_err(|e| {
        // The offset in the file as given, counting the byte order mark.
        let at = bom + e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        FileError {
            key: "world-file-not-utf8",
            detail: format!("not UTF-8 at byte {at} (line {line})"),
        }
    })
}

/// Tells the format from the content: JSON starts with `[` or `{`, anything else is CSV. An
/// array whose first element has a CSV column as key is [`WorldFormat::JsonRows`], one whose
/// first element looks like an entity (`id`, `claims`, `labels`) is [`WorldFormat::Wikidata`].
pub fn detect_format(bytes: &[u8]) -> Result<WorldFormat, FileError> {
    let s = text(bytes)?;
    let t = s.trim_start();
    match t.as_bytes().first() {
        None => Err(empty("the file is empty")),
        Some(b'{') => Ok(WorldFormat::Wikidata),
        Some(b'[') => {
            let probe: FirstElement =
                serde_json::from_str(t).map_err(|e| malformed(format!("not JSON: {e}")))?;
            match probe.0 {
                None => Err(empty("the JSON array is empty")),
                Some(Value::Object(o)) => {
                    if CSV_COLUMNS.iter().any(|c| o.contains_key(*c)) {
                        Ok(WorldFormat::JsonRows)
                    } else if ["id", "claims", "labels"]
                        .iter()
                        .any(|k| o.contains_key(*k))
                    {
                        Ok(WorldFormat::Wikidata)
                    } else {
                        Err(malformed(
                            "the first object has neither the list columns nor an entity's id, \
                             labels or claims",
                        ))
                    }
                }
                Some(_) => Err(malformed("the JSON array does not hold objects")),
            }
        }
        Some(_) => Ok(WorldFormat::Csv),
    }
}

/// Reads every row of the file. Rows come back in file order, each checked or rejected; a
/// whole-file problem refuses the file.
pub fn read(bytes: &[u8], format: WorldFormat) -> Result<Vec<RawRow>, FileError> {
    let s = text(bytes)?;
    if s.trim().is_empty() {
        return Err(empty("the file is empty"));
    }
    match format {
        WorldFormat::Csv => read_csv(s),
        WorldFormat::JsonRows => read_json_rows(s),
        WorldFormat::Wikidata => read_wikidata(s),
    }
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the formats.

type Country = (CountryCode, Option<String>);

/// Checks towns, remembering the country spellings already looked up.
#[derive(Default)]
struct Checker {
    countries: HashMap<String, Result<Country, Rejection>>,
}

impl Checker {
    fn country(&mut self, raw: &str) -> Result<Country, Rejection> {
        if let Some(known) = self.countries.get(raw) {
            return known.clone();
        }
        let found = country_from_list_name(raw);
        self.countries.insert(raw.to_owned(), found.clone());
        found
    }

    /// One side of a list row: `side` is 1 or 2, for the messages.
    fn town(
        &mut self,
        side: u8,
        city: &str,
        country: &str,
        lat: &str,
        lng: &str,
    ) -> Result<CheckedTown, Rejection> {
        let mut name = tidy(city);
        if name.is_empty() {
            return Err(Rejection::MissingName);
        }
        if name.chars().count() > super::MAX_NAME_CHARS {
            return Err(Rejection::NameTooLong(name.chars().take(40).collect()));
        }
        let (country, region) = if country.trim().is_empty() {
            // "Varna, Bulgaria" with the country column empty.
            let mut found = None;
            for (at, _) in name.match_indices(',') {
                if let Ok(c) = self.country(&name[at + 1..]) {
                    found = Some((at, c));
                    break;
                }
            }
            let Some((at, c)) = found else {
                return Err(Rejection::MissingCountry);
            };
            name.truncate(at);
            name.truncate(name.trim_end().len());
            if name.is_empty() {
                return Err(Rejection::MissingName);
            }
            c
        } else {
            self.country(country)?
        };
        let coordinates = coordinates(side, lat, lng)?;
        Ok(CheckedTown {
            name,
            country,
            region,
            coordinates,
            wikidata: None,
        })
    }

    /// A list row, its fields in [`CSV_COLUMNS`] order.
    fn pair(&mut self, f: [&str; 8]) -> Result<CheckedPair, Rejection> {
        let a = self.town(1, f[0], f[1], f[2], f[3])?;
        let b = self.town(2, f[4], f[5], f[6], f[7])?;
        if same_town(&a, &b) {
            return Err(Rejection::SelfPair);
        }
        Ok(CheckedPair {
            a,
            b,
            start_year: None,
            end_year: None,
        })
    }
}

/// Trimmed, runs of whitespace and control characters made one space.
fn tidy(s: &str) -> String {
    // Most names need nothing done: plain ASCII, single spaces inside.
    let b = s.as_bytes();
    let plain = b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().all(|&c| (0x20..0x7f).contains(&c))
        && !s.contains("  ");
    if plain {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn coordinates(side: u8, lat: &str, lng: &str) -> Result<Option<Coordinates>, Rejection> {
    let (lat, lng) = (lat.trim(), lng.trim());
    let bad = |what: String| Err(Rejection::MalformedCoordinates(what));
    match (lat.is_empty(), lng.is_empty()) {
        (true, true) => return Ok(None),
        (false, true) => return bad(format!("lng{side} missing (lat{side}={lat})")),
        (true, false) => return bad(format!("lat{side} missing (lng{side}={lng})")),
        (false, false) => {}
    }
    let degrees = |s: &str, max: f64| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && (-max..=max).contains(v))
    };
    let Some(la) = degrees(lat, 90.0) else {
        return bad(format!("lat{side}={lat}"));
    };
    let Some(lo) = degrees(lng, 180.0) else {
        return bad(format!("lng{side}={lng}"));
    };
    match Coordinates::new(la, lo) {
        Ok(c) => Ok(Some(c)),
        Err(_) => bad(format!("lat{side}={lat}, lng{side}={lng}")),
    }
}

/// Great-circle distance in kilometres (haversine), kept here so reading depends on nothing
/// else of the world module.
fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    const R: f64 = 6371.0088;
    let (la1, lo1) = (a.latitude().to_radians(), a.longitude().to_radians());
    let (la2, lo2) = (b.latitude().to_radians(), b.longitude().to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Both sides are one town: the same Wikidata item when both have one; otherwise the same
/// country, the same name after folding, no two different regions, and (when both have
/// coordinates) within [`SELF_PAIR_KM`].
fn same_town(a: &CheckedTown, b: &CheckedTown) -> bool {
    if let (Some(x), Some(y)) = (&a.wikidata, &b.wikidata) {
        return x == y;
    }
    if a.country != b.country {
        return false;
    }
    if let (Some(x), Some(y)) = (&a.region, &b.region)
        && fold(x) != fold(y)
    {
        return false;
    }
    if fold(&a.name) != fold(&b.name) {
        return false;
    }
    match (a.coordinates, b.coordinates) {
        (Some(x), Some(y)) => distance_km(x, y) <= SELF_PAIR_KM,
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// CSV.

fn csv_error(e: csv::Error) -> FileError {
    let line = e.position().map(|p| p.line());
    match line {
        Some(l) => malformed(format!("line {l}: {e}")),
        None => malformed(e.to_string()),
    }
}

fn read_csv(s: &str) -> Result<Vec<RawRow>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(s.as_bytes());
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(csv_error)? {
        return Err(empty("the file is empty"));
    }
    let found: Vec<String> = record.iter().map(|h| h.trim().to_lowercase()).collect();
    let width = found.len();
    let mut index = [0usize; 8];
    let mut missing = Vec::new();
    let mut doubled = Vec::new();
    for (i, column) in CSV_COLUMNS.iter().enumerate() {
        let mut at = found.iter().enumerate().filter(|(_, h)| h == column);
        match (at.next(), at.next()) {
            (None, _) => missing.push(*column),
            (Some((j, _)), None) => index[i] = j,
            (Some(_), Some(_)) => doubled.push(*column),
        }
    }
    if !missing.is_empty() || !doubled.is_empty() {
        let mut detail = String::new();
        if !missing.is_empty() {
            detail.push_str(&format!("missing: {}; ", missing.join(", ")));
        }
        if !doubled.is_empty() {
            detail.push_str(&format!("more than once: {}; ", doubled.join(", ")));
        }
        detail.push_str(&format!(
            "found: {}",
            record.iter().collect::<Vec<_>>().join(", ")
        ));
        return Err(FileError {
            key: "world-file-columns",
            detail,
        });
    }

    let mut checker = Checker::default();
    let mut rows = Vec::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != width {
            return Err(malformed(format!(
                "line {line}: {} fields where the header has {width}",
                record.len()
            )));
        }
        let f = index.map(|i| &record[i]);
        rows.push(RawRow {
            number: line,
            original: record.iter().map(str::to_owned).collect(),
            outcome: checker.pair(f),
        });
    }
    if rows.is_empty() {
        return Err(empty("the header but no rows"));
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// JSON rows.

fn read_json_rows(s: &str) -> Result<Vec<RawRow>, FileError> {
    let items: Vec<Value> =
        serde_json::from_str(s).map_err(|e| malformed(format!("not a JSON array of rows: {e}")))?;
    if items.is_empty() {
        return Err(empty("the JSON array is empty"));
    }
    let mut checker = Checker::default();
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let number = i as u64 + 1;
        let Value::Object(o) = item else {
            return Err(malformed(format!("row {number} is not an object")));
        };
        let mut original = Vec::with_capacity(8);
        for (c, column) in CSV_COLUMNS.iter().enumerate() {
            let is_coordinate = c % 4 >= 2;
            let v = match o.get(*column) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) if is_coordinate => n.to_string(),
                Some(_) => {
                    let wanted = if is_coordinate {
                        "a number or text"
                    } else {
                        "text"
                    };
                    return Err(malformed(format!(
                        "row {number}: {column} must be {wanted}"
                    )));
                }
            };
            original.push(v);
        }
        let f: [&str; 8] = std::array::from_fn(|c| original[c].as_str());
        let outcome = checker.pair(f);
        rows.push(RawRow {
            number,
            original,
            outcome,
        });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// Wikidata.

/// Only the first element of a JSON array (the rest is parsed and ignored).
struct FirstElement(Option<Value>);

impl<'de> Deserialize<'de> for FirstElement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FirstElement;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstElement, A::Error> {
                let first = seq.next_element::<Value>()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstElement(first))
            }
        }
        d.deserialize_seq(V)
    }
}

/// The entities of a file in file order, from an array or from an object keyed by id.
struct Entities(Vec<Value>);

impl<'de> Deserialize<'de> for Entities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entities;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array or an object of entities")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entities, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Entities(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entities, A::Error> {
                let mut out = Vec::new();
                while let Some((_, v)) = map.next_entry::<IgnoredAny, Value>()? {
                    out.push(v);
                }
                Ok(Entities(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct EntityData {
    entities: Entities,
}

/// Country items we are sure of, for files that do not carry the country entities themselves.
const COUNTRY_ITEMS: &[(&str, &str)] = &[
    ("Q55", "NL"),
    ("Q183", "DE"),
    ("Q142", "FR"),
    ("Q213", "CZ"),
    ("Q36", "PL"),
    ("Q30", "US"),
    ("Q145", "GB"),
    ("Q38", "IT"),
    ("Q29", "ES"),
    ("Q31", "BE"),
    ("Q40", "AT"),
    ("Q39", "CH"),
    ("Q35", "DK"),
    ("Q34", "SE"),
    ("Q20", "NO"),
    ("Q33", "FI"),
    ("Q45", "PT"),
    ("Q41", "GR"),
    ("Q27", "IE"),
    ("Q28", "HU"),
    ("Q214", "SK"),
    ("Q215", "SI"),
    ("Q218", "RO"),
    ("Q219", "BG"),
    ("Q224", "HR"),
    ("Q403", "RS"),
    ("Q212", "UA"),
    ("Q159", "RU"),
    ("Q43", "TR"),
    ("Q148", "CN"),
    ("Q17", "JP"),
    ("Q16", "CA"),
    ("Q96", "MX"),
    ("Q155", "BR"),
    ("Q414", "AR"),
    ("Q408", "AU"),
    ("Q664", "NZ"),
    ("Q668", "IN"),
    ("Q32", "LU"),
    ("Q191", "EE"),
    ("Q211", "LV"),
    ("Q37", "LT"),
    ("Q189", "IS"),
    ("Q229", "CY"),
    ("Q233", "MT"),
    ("Q184", "BY"),
    ("Q217", "MD"),
    ("Q222", "AL"),
    ("Q225", "BA"),
    ("Q221", "MK"),
    ("Q236", "ME"),
    ("Q230", "GE"),
    ("Q399", "AM"),
    ("Q227", "AZ"),
    ("Q884", "KR"),
];

/// The statements of a property, deprecated ones left out.
fn statements<'a>(entity: &'a Value, property: &str) -> impl Iterator<Item = &'a Value> {
    entity
        .get("claims")
        .and_then(|c| c.get(property))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|s| s.get("rank").and_then(Value::as_str) != Some("deprecated"))
}

/// The best statement: the first of preferred rank, else the first.
fn best<'a>(entity: &'a Value, property: &str) -> Option<&'a Value> {
    statements(entity, property)
        .find(|s| s.get("rank").and_then(Value::as_str) == Some("preferred"))
        .or_else(|| statements(entity, property).next())
}

/// A snak's value (`datavalue.value`), absent for "unknown value" and "no value".
fn snak_value(snak: &Value) -> Option<&Value> {
    snak.get("datavalue").and_then(|d| d.get("value"))
}

fn main_value(statement: &Value) -> Option<&Value> {
    statement.get("mainsnak").and_then(snak_value)
}

/// The item an entity-id value names ("Q123").
fn item_id(value: &Value) -> Option<String> {
    if let Some(id) = value.get("id").and_then(Value::as_str) {
        return Some(id.to_owned());
    }
    value
        .get("numeric-id")
        .and_then(Value::as_u64)
        .map(|n| format!("Q{n}"))
}

/// The label: English, else Dutch, else any.
fn label(entity: &Value) -> Option<String> {
    let labels = entity.get("labels")?.as_object()?;
    let value = |l: &Value| {
        l.get("value")
            .and_then(Value::as_str)
            .map(tidy)
            .filter(|s| !s.is_empty())
    };
    ["en", "nl"]
        .iter()
        .find_map(|lang| labels.get(*lang).and_then(value))
        .or_else(|| labels.values().find_map(value))
}

/// The year of a Wikidata time ("+1991-00-00T00:00:00Z"); years before the common era and
/// anything that is not such a time are refused.
fn year(time: &str) -> Option<i32> {
    let t = time.strip_prefix('+').unwrap_or(time);
    let end = t.find('-')?;
    let digits = &t[..end];
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &t[end + 1..];
    let ok_rest = rest.len() >= 5
        && rest.as_bytes()[2] == b'-'
        && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && rest.as_bytes()[3..5].iter().all(u8::is_ascii_digit);
    if !ok_rest {
        return None;
    }
    let y: u64 = digits.parse().ok()?;
    (1..=9999).contains(&y).then_some(y as i32)
}

/// A qualifier's time: `Ok(None)` when absent or unknown, the raw text for the row.
fn qualifier_time(statement: &Value, property: &str) -> (String, Result<Option<i32>, Rejection>) {
    let Some(snak) = statement
        .get("qualifiers")
        .and_then(|q| q.get(property))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    else {
        return (String::new(), Ok(None));
    };
    let Some(value) = snak_value(snak) else {
        return (String::new(), Ok(None));
    };
    match value.get("time").and_then(Value::as_str) {
        Some(t) => {
            let parsed = year(t).ok_or_else(|| Rejection::MalformedDate(t.to_owned()));
            (t.to_owned(), parsed.map(Some))
        }
        None => {
            let raw = value.to_string();
            (raw.clone(), Err(Rejection::MalformedDate(raw)))
        }
    }
}

/// A town entity as checked, or why it cannot be one.
struct Town {
    id: String,
    label: Option<String>,
    checked: Result<CheckedTown, Rejection>,
}

fn read_wikidata(s: &str) -> Result<Vec<RawRow>, FileError> {
    let entities = match s.trim_start().as_bytes().first() {
        Some(b'[') => serde_json::from_str::<Entities>(s),
        _ => serde_json::from_str::<EntityData>(s).map(|d| d.entities),
    }
    .map_err(|e| malformed(format!("not Wikidata entity JSON: {e}")))?
    .0;
    if entities.is_empty() {
        return Err(empty("the file holds no entities"));
    }

    // Every entity's id and whether it is a country.
    let mut ids = Vec::with_capacity(entities.len());
    let mut iso: HashMap<&str, CountryCode> = HashMap::new();
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        if !e.is_object() {
            return Err(malformed(format!("entity {} is not an object", i + 1)));
        }
        let Some(id) = e.get("id").and_then(Value::as_str) else {
            return Err(malformed(format!("entity {} has no id", i + 1)));
        };
        by_id.insert(id, e);
        let is_country = statements(e, "P297").next().is_some();
        if is_country
            && let Some(code) = best(e, "P297")
                .and_then(main_value)
                .and_then(Value::as_str)
                .and_then(|c| CountryCode::parse(c).ok())
        {
            iso.insert(id, code);
        }
        ids.push((id, is_country));
    }

    let resolve_country = |q: &str| -> Result<Country, Rejection> {
        if let Some(code) = iso.get(q) {
            return Ok((*code, None));
        }
        if let Some(found) = by_id
            .get(q)
            .and_then(|e| label(e))
            .and_then(|l| country_from_list_name(&l).ok())
        {
            return Ok(found);
        }
        COUNTRY_ITEMS
            .iter()
            .find(|(item, _)| *item == q)
            .map(|(_, code)| (CountryCode::parse(code).expect("assigned"), None))
            .ok_or_else(|| Rejection::UnknownCountry(q.to_owned()))
    };

    // The towns: every entity with an item id that is not a country.
    let mut towns: HashMap<&str, Town> = HashMap::new();
    for (e, (id, is_country)) in entities.iter().zip(&ids) {
        let Ok(wikidata) = WikidataId::parse(id) else {
            continue;
        };
        // A country is no town, unless it is twinned itself (a city-state: Monaco, Singapore).
        if *is_country && statements(e, "P190").next().is_none() {
            continue;
        }
        let label = label(e);
        let checked = (|| {
            let name = label.clone().ok_or(Rejection::MissingName)?;
            if name.chars().count() > super::MAX_NAME_CHARS {
                return Err(Rejection::NameTooLong(name.chars().take(40).collect()));
            }
            let (country, region) = match best(e, "P17").and_then(main_value).and_then(item_id) {
                Some(q) => resolve_country(&q)?,
                // A twinned city-state is its own country.
                None if *is_country => resolve_country(id)?,
                None => return Err(Rejection::MissingCountry),
            };
            let coordinates = match best(e, "P625").and_then(main_value) {
                None => None,
                Some(v) => {
                    let lat = v.get("latitude").and_then(Value::as_f64);
                    let lng = v.get("longitude").and_then(Value::as_f64);
                    match (lat, lng) {
                        (Some(la), Some(lo)) => Some(Coordinates::new(la, lo).map_err(|_| {
                            Rejection::MalformedCoordinates(format!("P625 of {id}={la},{lo}"))
                        })?),
                        _ => {
                            return Err(Rejection::MalformedCoordinates(format!(
                                "P625 of {id}={v}"
                            )));
                        }
                    }
                }
            };
            Ok(CheckedTown {
                name,
                country,
                region,
                coordinates,
                wikidata: Some(wikidata),
            })
        })();
        towns.insert(
            id,
            Town {
                id: (*id).to_owned(),
                label,
                checked,
            },
        );
    }

    let mut rows = Vec::new();
    for (e, (id, _)) in entities.iter().zip(&ids) {
        let Some(town) = towns.get(id) else {
            continue;
        };
        for statement in statements(e, "P190") {
            let Some(partner_id) = main_value(statement).and_then(item_id) else {
                // "unknown value" or "no value": a row all the same, rejected.
                rows.push(RawRow {
                    number: rows.len() as u64 + 1,
                    original: vec![town.id.clone(), town.label.clone().unwrap_or_default()],
                    outcome: Err(Rejection::PartnerNotInFile("(no item)".to_owned())),
                });
                continue;
            };
            let partner = towns.get(partner_id.as_str());
            let (start_raw, start) = qualifier_time(statement, "P580");
            let (end_raw, end) = qualifier_time(statement, "P582");
            let original = vec![
                town.id.clone(),
                town.label.clone().unwrap_or_default(),
                partner_id.clone(),
                partner.and_then(|p| p.label.clone()).unwrap_or_default(),
                start_raw,
                end_raw,
            ];
            let outcome = (|| {
                let a = town.checked.clone()?;
                let Some(partner) = partner else {
                    return Err(Rejection::PartnerNotInFile(partner_id.clone()));
                };
                let b = partner.checked.clone()?;
                if same_town(&a, &b) {
                    return Err(Rejection::SelfPair);
                }
                let (start_year, end_year) = (start?, end?);
                if let (Some(s), Some(e)) = (start_year, end_year)
                    && e < s
                {
                    return Err(Rejection::MalformedDate(format!(
                        "end {e} before start {s}"
                    )));
                }
                Ok(CheckedPair {
                    a,
                    b,
                    start_year,
                    end_year,
                })
            })();
            rows.push(RawRow {
                number: rows.len() as u64 + 1,
                original,
                outcome,
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const HEADER: &str = "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n";

    fn csv(body: &str) -> Result<Vec<RawRow>, FileError> {
        read(format!("{HEADER}{body}").as_bytes(), WorldFormat::Csv)
    }

    fn one(body: &str) -> Result<CheckedPair, Rejection> {
        let rows = csv(body).unwrap();
        assert_eq!(rows.len(), 1);
        rows.into_iter().next().unwrap().outcome
    }

    fn key(r: Result<Vec<RawRow>, FileError>) -> &'static str {
        r.unwrap_err().key
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(detect_format(HEADER.as_bytes()), Ok(WorldFormat::Csv));
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF city1,country1"),
            Ok(WorldFormat::Csv)
        );
        assert_eq!(
            detect_format(br#" [{"city1": "Delft"}]"#),
            Ok(WorldFormat::JsonRows)
        );
        assert_eq!(
            detect_format(br#"[{"id": "Q1", "claims": {}}]"#),
            Ok(WorldFormat::Wikidata)
        );
        assert_eq!(
            detect_format(br#"{"entities": {}}"#),
            Ok(WorldFormat::Wikidata)
        );
        assert_eq!(detect_format(b"").unwrap_err().key, "world-file-empty");
        assert_eq!(detect_format(b" \n ").unwrap_err().key, "world-file-empty");
        assert_eq!(detect_format(b"[]").unwrap_err().key, "world-file-empty");
        assert_eq!(
            detect_format(b"[1, 2]").unwrap_err().key,
            "world-file-malformed"
        );
        assert_eq!(
            detect_format(b"[{\"x\": 1}]").unwrap_err().key,
            "world-file-malformed"
        );
        assert_eq!(
            detect_format(b"[{\"city1\": ").unwrap_err().key,
            "world-file-malformed"
        );
        assert_eq!(
            detect_format(b"a,b\n\xFF").unwrap_err().key,
            "world-file-not-utf8"
        );
    }

    #[test]
    fn whole_file_refusals() {
        assert_eq!(key(read(b"", WorldFormat::Csv)), "world-file-empty");
        assert_eq!(
            key(read(b"\xEF\xBB\xBF", WorldFormat::Csv)),
            "world-file-empty"
        );
        assert_eq!(key(csv("")), "world-file-empty");
        assert_eq!(key(csv("\n\n")), "world-file-empty");

        let e = read(
            b"city1,country1\nDelft,Nederland\nG\xF6teborg",
            WorldFormat::Csv,
        )
        .unwrap_err();
        assert_eq!(e.key, "world-file-not-utf8");
        assert_eq!(e.detail, "not UTF-8 at byte 32 (line 3)");
        assert_eq!(
            e.to_string(),
            "world-file-not-utf8: not UTF-8 at byte 32 (line 3)"
        );
        let e = read(b"\xEF\xBB\xBFcity1\n\xC0", WorldFormat::Csv).unwrap_err();
        assert_eq!(e.detail, "not UTF-8 at byte 9 (line 2)");

        let e = read(
            b"city1,country1,lat1,lng1,city2,country2\n",
            WorldFormat::Csv,
        )
        .unwrap_err();
        assert_eq!(e.key, "world-file-columns");
        assert_eq!(
            e.detail,
            "missing: lat2, lng2; found: city1, country1, lat1, lng1, city2, country2"
        );
        let e = read(
            b"city1;country1;lat1;lng1;city2;country2;lat2;lng2\n",
            WorldFormat::Csv,
        )
        .unwrap_err();
        assert_eq!(e.key, "world-file-columns");
        let e = read(
            format!("{},city1\n", HEADER.trim_end()).as_bytes(),
            WorldFormat::Csv,
        )
        .unwrap_err();
        assert_eq!(e.key, "world-file-columns");
        assert!(
            e.detail.starts_with("more than once: city1;"),
            "{}",
            e.detail
        );

        let e =
            csv("Delft,Netherlands,,,Esch,Luxembourg,,\nDelft,Netherlands,,,Esch\n").unwrap_err();
        assert_eq!(e.key, "world-file-malformed");
        assert_eq!(e.detail, "line 3: 5 fields where the header has 8");

        assert_eq!(
            key(read(b"[{\"city1\": 3}]", WorldFormat::JsonRows)),
            "world-file-malformed"
        );
        assert_eq!(
            key(read(b"[3]", WorldFormat::JsonRows)),
            "world-file-malformed"
        );
        assert_eq!(
            key(read(b"{\"a\": 1}", WorldFormat::JsonRows)),
            "world-file-malformed"
        );
        assert_eq!(key(read(b"[]", WorldFormat::JsonRows)), "world-file-empty");
        assert_eq!(
            key(read(b"{\"claims\": 1}", WorldFormat::Wikidata)),
            "world-file-malformed"
        );
        assert_eq!(
            key(read(b"[{\"labels\": {}}]", WorldFormat::Wikidata)),
            "world-file-malformed"
        );
        assert_eq!(
            key(read(b"[3]", WorldFormat::Wikidata)),
            "world-file-malformed"
        );
        assert_eq!(
            key(read(b"{\"entities\": {}}", WorldFormat::Wikidata)),
            "world-file-empty"
        );
    }

    #[test]
    fn a_good_row_in_any_column_order_with_extra_columns_and_a_bom() {
        let file = "\u{FEFF}note,city2,country2,lat2,lng2,city1,country1,lat1,lng1\n\
                    x, Esch-sur-Alzette ,Luxembourg,49.5,5.98,Leidschendam-Voorburg,The Netherlands,52.08,4.39\n";
        let rows = read(file.as_bytes(), WorldFormat::Csv).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].number, 2);
        assert_eq!(rows[0].original[0], "x");
        assert_eq!(rows[0].original[1], " Esch-sur-Alzette ");
        let p = rows[0].outcome.as_ref().unwrap();
        assert_eq!(p.a.name, "Leidschendam-Voorburg");
        assert_eq!(p.a.country.as_str(), "NL");
        assert_eq!(p.a.coordinates.unwrap().latitude(), 52.08);
        assert_eq!(p.b.name, "Esch-sur-Alzette");
        assert_eq!(p.b.country.as_str(), "LU");
        assert_eq!(p.b.coordinates.unwrap().longitude(), 5.98);
        assert_eq!((p.start_year, p.end_year), (None, None));
    }

    #[test]
    fn names_are_tidied_and_regions_kept() {
        let p =
            one("  Den   Haag ,Netherlands,,,\"Hull\",\"England, United Kingdom\",,\n").unwrap();
        assert_eq!(p.a.name, "Den Haag");
        assert_eq!(p.a.coordinates, None);
        assert_eq!(p.b.country.as_str(), "GB");
        assert_eq!(p.b.region.as_deref(), Some("England"));
    }

    #[test]
    fn city_holding_the_country() {
        let p = one("Rostock,Germany,54.08,12.13,\"Varna, Bulgaria\",,43.2,27.9\n").unwrap();
        assert_eq!(p.b.name, "Varna");
        assert_eq!(p.b.country.as_str(), "BG");
        let p = one("Verona,Italy,,,\"Albany, New York, United States\",,,\n").unwrap();
        assert_eq!(p.b.name, "Albany");
        assert_eq!(p.b.region.as_deref(), Some("New York"));
        assert_eq!(
            one("Portsmouth,England,,,Falkland Islands,,,\n"),
            Err(Rejection::MissingCountry)
        );
        assert_eq!(
            one("Ningbo,China,,,\"Suzhou, Jiangsu\",,,\n"),
            Err(Rejection::MissingCountry)
        );
        assert_eq!(
            one("Ningbo,China,,,\", Bulgaria\",,,\n"),
            Err(Rejection::MissingName)
        );
    }

    #[test]
    fn row_rejections() {
        let bad = |s: &str| Err(Rejection::MalformedCoordinates(s.to_owned()));
        assert_eq!(
            one(" ,Germany,,,Delft,Netherlands,,\n"),
            Err(Rejection::MissingName)
        );
        assert_eq!(
            one("Delft,Netherlands,,,\t,Germany,,\n"),
            Err(Rejection::MissingName)
        );
        assert_eq!(
            one("Delft, ,,,Rostock,Germany,,\n"),
            Err(Rejection::MissingCountry)
        );
        assert_eq!(
            one("Famagusta,Northern Cyprus,,,Rostock,Germany,,\n"),
            Err(Rejection::UnknownCountry("Northern Cyprus".into()))
        );
        assert_eq!(
            one("Delft,Netherlands,\"52,01\",\"4,36\",Rostock,Germany,,\n"),
            bad("lat1=52,01")
        );
        assert_eq!(
            one("Delft,Netherlands,52,,Rostock,Germany,,\n"),
            bad("lng1 missing (lat1=52)")
        );
        assert_eq!(
            one("Delft,Netherlands,,4.3,Rostock,Germany,,\n"),
            bad("lat1 missing (lng1=4.3)")
        );
        assert_eq!(
            one("Delft,Netherlands,,,Rostock,Germany,54,abc\n"),
            bad("lng2=abc")
        );
        assert_eq!(
            one("Delft,Netherlands,,,Rostock,Germany,91,12\n"),
            bad("lat2=91")
        );
        assert_eq!(
            one("Delft,Netherlands,,,Rostock,Germany,54,-180.5\n"),
            bad("lng2=-180.5")
        );
        assert_eq!(
            one("Delft,Netherlands,,,Rostock,Germany,NaN,12\n"),
            bad("lat2=NaN")
        );
        assert_eq!(
            one("Delft,Netherlands,,,Rostock,Germany,inf,12\n"),
            bad("lat2=inf")
        );
        // Name before country before coordinates, first town before the second.
        assert_eq!(one(",,x,,,,y,\n"), Err(Rejection::MissingName));
        assert_eq!(one("Delft,,x,,,,y,\n"), Err(Rejection::MissingCountry));
    }

    #[test]
    fn self_pairs() {
        assert_eq!(
            one("Stryi,Ukraine,49.25,23.85,STRYI ,Ukraine,49.25,23.85\n"),
            Err(Rejection::SelfPair)
        );
        assert_eq!(
            one("Dobřany,Czech Republic,,,Dobrany,Czechia,,\n"),
            Err(Rejection::SelfPair)
        );
        // Same name, far apart: two towns.
        assert!(one("Lagoa,Portugal,37.13,-8.45,Lagoa,Portugal,37.75,-25.54\n").is_ok());
        // Same name, different regions: two towns.
        assert!(one("Lagoa,\"Algarve, Portugal\",,,Lagoa,\"Azores, Portugal\",,\n").is_ok());
        // Same name, other country.
        assert!(one("Hengelo,Netherlands,,,Hengelo,Belgium,,\n").is_ok());
    }

    #[test]
    fn quoted_newlines_number_by_starting_line() {
        let rows = csv("\"Den\nHaag\",Netherlands,,,Delft,Netherlands,,\nRostock,Germany,,,Delft,Netherlands,,\n\n   \n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number, 2);
        assert_eq!(rows[0].outcome.as_ref().unwrap().a.name, "Den Haag");
        assert_eq!(rows[1].number, 4);
    }

    #[test]
    fn json_rows() {
        let file = r#"[
            {"city1": "Delft", "country1": "Netherlands", "lat1": 52.01, "lng1": "4.36",
             "city2": "Esch", "country2": "Luxembourg", "lat2": null, "extra": true},
            {"city1": "Delft", "country1": "Netherlands",
             "city2": "Esch", "country2": "Luxembourg", "lat2": 49.5},
            {"city1": "", "country1": "Netherlands", "city2": "Esch", "country2": "Luxembourg"}
        ]"#;
        assert_eq!(detect_format(file.as_bytes()), Ok(WorldFormat::JsonRows));
        let rows = read(file.as_bytes(), WorldFormat::JsonRows).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].number, 1);
        assert_eq!(
            rows[0].original,
            [
                "Delft",
                "Netherlands",
                "52.01",
                "4.36",
                "Esch",
                "Luxembourg",
                "",
                ""
            ]
        );
        let p = rows[0].outcome.as_ref().unwrap();
        assert_eq!(p.a.coordinates.unwrap().longitude(), 4.36);
        assert_eq!(p.b.coordinates, None);
        assert_eq!(
            rows[1].outcome,
            Err(Rejection::MalformedCoordinates(
                "lng2 missing (lat2=49.5)".into()
            ))
        );
        assert_eq!(rows[2].number, 3);
        assert_eq!(rows[2].outcome, Err(Rejection::MissingName));
    }

    fn entity(
        id: &str,
        label: &str,
        country: Option<&str>,
        coords: Option<(f64, f64)>,
        twins: &[(&str, Option<&str>, Option<&str>)],
    ) -> Value {
        let mut claims = serde_json::Map::new();
        if let Some(c) = country {
            claims.insert(
                "P17".into(),
                serde_json::json!([{"mainsnak": {"snaktype": "value", "property": "P17",
                    "datavalue": {"value": {"entity-type": "item", "id": c}, "type": "wikibase-entityid"}},
                    "rank": "normal"}]),
            );
        }
        if let Some((lat, lng)) = coords {
            claims.insert(
                "P625".into(),
                serde_json::json!([{"mainsnak": {"datavalue": {"value": {"latitude": lat, "longitude": lng, "globe": "http://www.wikidata.org/entity/Q2"}, "type": "globecoordinate"}}, "rank": "normal"}]),
            );
        }
        let twins: Vec<Value> = twins
            .iter()
            .map(|(q, start, end)| {
                let mut qualifiers = serde_json::Map::new();
                if let Some(s) = start {
                    qualifiers.insert("P580".into(), serde_json::json!([{"snaktype": "value", "datavalue": {"value": {"time": s, "precision": 9}, "type": "time"}}]));
                }
                if let Some(e) = end {
                    qualifiers.insert("P582".into(), serde_json::json!([{"snaktype": "value", "datavalue": {"value": {"time": e, "precision": 9}, "type": "time"}}]));
                }
                serde_json::json!({"mainsnak": {"snaktype": "value", "property": "P190",
                    "datavalue": {"value": {"entity-type": "item", "numeric-id": q[1..].parse::<u64>().unwrap()}, "type": "wikibase-entityid"}},
                    "qualifiers": qualifiers, "rank": "normal"})
            })
            .collect();
        if !twins.is_empty() {
            claims.insert("P190".into(), Value::Array(twins));
        }
        serde_json::json!({"type": "item", "id": id,
            "labels": {"en": {"language": "en", "value": label}}, "claims": claims})
    }

    #[test]
    fn wikidata_entities() {
        let mut entities = vec![
            entity(
                "Q1020185",
                "Leidschendam-Voorburg",
                Some("Q55"),
                Some((52.08, 4.39)),
                &[
                    ("Q900001", Some("+1991-00-00T00:00:00Z"), None),
                    (
                        "Q900002",
                        Some("+00000001995-05-01T00:00:00Z"),
                        Some("+2014-00-00T00:00:00Z"),
                    ),
                    ("Q900099", None, None),
                    ("Q900003", None, None),
                    ("Q900004", None, None),
                    ("Q900001", Some("last spring"), None),
                    ("Q1020185", None, None),
                    ("Q900005", None, None),
                    ("Q900006", None, None),
                ],
            ),
            entity(
                "Q900001",
                "Hranice",
                Some("Q213"),
                Some((49.55, 17.73)),
                &[("Q1020185", Some("+1991-00-00T00:00:00Z"), None)],
            ),
            entity("Q900002", "Bitterfeld", Some("Q900050"), None, &[]),
            entity("Q900003", "Nowhere", Some("Q424242"), None, &[]),
            entity("Q900004", "Somewhere", None, None, &[]),
            entity("Q900005", "Vilnius", Some("Q900051"), None, &[]),
            entity("Q900006", "Lisbon", Some("Q45"), Some((95.0, 0.0)), &[]),
        ];
        // Country entities: one with P297 (twinned itself, so a town too), one known by its
        // label only (no rows).
        let mut de = entity("Q900050", "Germany", None, None, &[("Q900001", None, None)]);
        de["claims"]["P297"] = serde_json::json!([{"mainsnak": {"datavalue": {"value": "DE", "type": "string"}}, "rank": "normal"}]);
        entities.push(de);
        entities.push(entity("Q900051", "Lithuania", None, None, &[]));
        // A deprecated statement gives no row; one with an unknown value a rejected row.
        entities[1]["claims"]["P190"]
            .as_array_mut()
            .unwrap()
            .extend([
                serde_json::json!({"mainsnak": {"datavalue": {"value": {"id": "Q900002"}}}, "rank": "deprecated"}),
                serde_json::json!({"mainsnak": {"snaktype": "somevalue"}, "rank": "normal"}),
            ]);
        let mut map = serde_json::Map::new();
        for e in &entities {
            map.insert(e["id"].as_str().unwrap().to_owned(), e.clone());
        }
        let wrapped = serde_json::json!({"entities": map}).to_string();
        let array = Value::Array(entities).to_string();
        assert_eq!(detect_format(array.as_bytes()), Ok(WorldFormat::Wikidata));
        assert_eq!(detect_format(wrapped.as_bytes()), Ok(WorldFormat::Wikidata));

        let rows = read(array.as_bytes(), WorldFormat::Wikidata).unwrap();
        let outcomes: Vec<_> = rows.iter().map(|r| (r.number, r.outcome.clone())).collect();
        assert_eq!(rows.len(), 12, "{outcomes:#?}");
        assert_eq!(
            rows[0].original,
            [
                "Q1020185",
                "Leidschendam-Voorburg",
                "Q900001",
                "Hranice",
                "+1991-00-00T00:00:00Z",
                ""
            ]
        );
        let p = rows[0].outcome.as_ref().unwrap();
        assert_eq!(p.a.name, "Leidschendam-Voorburg");
        assert_eq!(p.a.country.as_str(), "NL");
        assert_eq!(p.a.wikidata.as_ref().unwrap().as_str(), "Q1020185");
        assert_eq!(p.b.country.as_str(), "CZ");
        assert_eq!(p.b.coordinates.unwrap().latitude(), 49.55);
        assert_eq!((p.start_year, p.end_year), (Some(1991), None));

        let p = rows[1].outcome.as_ref().unwrap();
        assert_eq!(p.b.name, "Bitterfeld");
        assert_eq!(p.b.country.as_str(), "DE");
        assert_eq!((p.start_year, p.end_year), (Some(1995), Some(2014)));

        assert_eq!(
            rows[2].outcome,
            Err(Rejection::PartnerNotInFile("Q900099".into()))
        );
        assert_eq!(rows[2].original[3], "");
        assert_eq!(
            rows[3].outcome,
            Err(Rejection::UnknownCountry("Q424242".into()))
        );
        assert_eq!(rows[4].outcome, Err(Rejection::MissingCountry));
        assert_eq!(
            rows[5].outcome,
            Err(Rejection::MalformedDate("last spring".into()))
        );
        assert_eq!(rows[6].outcome, Err(Rejection::SelfPair));
        assert_eq!(rows[7].outcome.as_ref().unwrap().b.country.as_str(), "LT");
        assert!(matches!(
            rows[8].outcome,
            Err(Rejection::MalformedCoordinates(_))
        ));
        // The pair stated on both items: a second row, the other way round.
        assert_eq!(rows[9].number, 10);
        let p = rows[9].outcome.as_ref().unwrap();
        assert_eq!(
            (p.a.name.as_str(), p.b.name.as_str()),
            ("Hranice", "Leidschendam-Voorburg")
        );

        assert_eq!(
            rows[10].outcome,
            Err(Rejection::PartnerNotInFile("(no item)".into()))
        );
        let p = rows[11].outcome.as_ref().unwrap();
        assert_eq!((p.a.name.as_str(), p.a.country.as_str()), ("Germany", "DE"));

        let again = read(wrapped.as_bytes(), WorldFormat::Wikidata).unwrap();
        assert_eq!(again.len(), 12);
        assert_eq!(again.iter().filter(|r| r.outcome.is_ok()).count(), 5);
    }

    #[test]
    fn wikidata_years() {
        assert_eq!(
            year("+1991-00-0\u{e9}0T00:00:00Z"),
            None,
            "no panic on a split character"
        );
        assert_eq!(year("+1991-00-00T00:00:00Z"), Some(1991));
        assert_eq!(year("1991-05-17T00:00:00Z"), Some(1991));
        assert_eq!(year("+00000002001-01-01T00:00:00Z"), Some(2001));
        assert_eq!(year("-0500-00-00T00:00:00Z"), None);
        assert_eq!(year("+1991"), None);
        assert_eq!(year("1991-xx"), None);
        assert_eq!(year(""), None);
    }

    #[test]
    fn the_real_list() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/world/twin_cities.csv"
        );
        let bytes = std::fs::read(path).expect("the list is in the repository");
        assert_eq!(detect_format(&bytes), Ok(WorldFormat::Csv));
        let started = std::time::Instant::now();
        let rows = read(&bytes, WorldFormat::Csv).unwrap();
        eprintln!("read {} rows in {:?}", rows.len(), started.elapsed());
        assert_eq!(rows.len(), 25_917);
        assert_eq!(rows.first().unwrap().number, 2);
        assert_eq!(rows.last().unwrap().number, 25_918);

        let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
        for r in &rows {
            if let Err(e) = &r.outcome {
                *by_reason.entry(e.reason()).or_default() += 1;
            }
        }
        eprintln!("rejected: {by_reason:#?}");
        let self_pairs: Vec<(u64, &str)> = rows
            .iter()
            .filter(|r| r.outcome == Err(Rejection::SelfPair))
            .map(|r| (r.number, r.original[0].as_str()))
            .collect();
        assert_eq!(
            self_pairs,
            [(12069, "Nienburg"), (24153, "Stryi"), (24482, "Dobřany")]
        );
        let want = BTreeMap::from([
            ("missing country".to_owned(), 2),
            ("unknown country: Kosovo".to_owned(), 75),
            ("unknown country: Northern Cyprus".to_owned(), 48),
            ("self-pair: both sides are the same town".to_owned(), 3),
        ]);
        assert_eq!(by_reason, want);
        let ok = rows.iter().filter(|r| r.outcome.is_ok()).count();
        assert_eq!(ok, 25_917 - 2 - 75 - 48 - 3);
        // "Varna, Bulgaria" with the country column empty.
        let varna = rows.iter().find(|r| r.number == 4827).unwrap();
        let b = &varna.outcome.as_ref().unwrap().b;
        assert_eq!((b.name.as_str(), b.country.as_str()), ("Varna", "BG"));
    }
}

#[cfg(test)]
mod limits {
    use super::*;

    #[test]
    fn a_name_too_long_for_the_register_is_a_rejected_row() {
        let long = "A".repeat(201);
        let body = format!(
            "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n{long},Germany,,,Hranice,Czech Republic,,\n"
        );
        let rows = read(body.as_bytes(), WorldFormat::Csv).unwrap();
        assert!(matches!(rows[0].outcome, Err(Rejection::NameTooLong(_))));
        let ok = format!(
            "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n{},Germany,,,Hranice,Czech Republic,,\n",
            "A".repeat(200)
        );
        assert!(
            read(ok.as_bytes(), WorldFormat::Csv).unwrap()[0]
                .outcome
                .is_ok()
        );
    }

    #[test]
    fn an_end_before_the_start_is_a_rejected_row() {
        let json = r#"{"entities": {
          "Q1": {"id": "Q1", "labels": {"en": {"language": "en", "value": "Hranice"}},
                 "claims": {"P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q213"}}}}],
                            "P190": [{"mainsnak": {"datavalue": {"value": {"id": "Q2"}}},
                                      "qualifiers": {"P580": [{"datavalue": {"value": {"time": "+1995-00-00T00:00:00Z"}}}],
                                                     "P582": [{"datavalue": {"value": {"time": "+1990-00-00T00:00:00Z"}}}]}}]}},
          "Q2": {"id": "Q2", "labels": {"en": {"language": "en", "value": "Bruntal"}},
                 "claims": {"P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q213"}}}}]}}
        }}"#;
        let rows = read(json.as_bytes(), WorldFormat::Wikidata).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(
            matches!(&rows[0].outcome, Err(Rejection::MalformedDate(d)) if d.contains("before"))
        );
    }
}
