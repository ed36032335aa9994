//! The world register: twinnings of towns everywhere, read from public lists (Wikipedia's lists of
//! twin towns, Wikidata's P190 "twinned administrative body"), reconciled into one town per place
//! and answered from memory as a graph.
//!
//! Nothing here reads files or databases: `input` turns bytes into checked rows, `reconcile`
//! decides which rows are new towns and pairs, `graph` answers the network questions.

pub mod countries;
pub mod geo;
pub mod graph;
pub mod input;
pub mod reconcile;

use crate::country::CountryCode;
use crate::municipality::{Coordinates, WikidataId};

/// The longest town name kept (the store's limit).
pub const MAX_NAME_CHARS: usize = 200;

/// One town of a row, every field checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedTown {
    pub name: String,
    pub country: CountryCode,
    /// The constituent country or region the list named ("England", "Lower Saxony").
    pub region: Option<String>,
    pub coordinates: Option<Coordinates>,
    pub wikidata: Option<WikidataId>,
}

/// One row that passed the checks: two towns and, where the source gives them, the years.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPair {
    pub a: CheckedTown,
    pub b: CheckedTown,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
}

/// Why a row was not imported. Each maps to a translation key and reads as a reason in the
/// rejected-rows file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The country is empty.
    MissingCountry,
    /// The country is not one we can map to ISO 3166-1 (the text as given).
    UnknownCountry(String),
    /// A town's name is empty.
    MissingName,
    /// A town's name is longer than [`MAX_NAME_CHARS`] (its start).
    NameTooLong(String),
    /// Latitude or longitude is not a number in range, or only one of the two is given.
    MalformedCoordinates(String),
    /// Both sides are the same town.
    SelfPair,
    /// A Wikidata statement names a partner item that is not in the file.
    PartnerNotInFile(String),
    /// A start or end time that is not a date.
    MalformedDate(String),
}

impl Rejection {
    /// A translation key for the reason.
    pub fn key(&self) -> &'static str {
        match self {
            Self::MissingCountry => "world-rejected-missing-country",
            Self::UnknownCountry(_) => "world-rejected-unknown-country",
            Self::MissingName => "world-rejected-missing-name",
            Self::NameTooLong(_) => "world-rejected-name-too-long",
            Self::MalformedCoordinates(_) => "world-rejected-malformed-coordinates",
            Self::SelfPair => "world-rejected-self-pair",
            Self::PartnerNotInFile(_) => "world-rejected-partner-not-in-file",
            Self::MalformedDate(_) => "world-rejected-malformed-date",
        }
    }

    /// The reason in English, with the offending value, for the rejected-rows file and the log.
    pub fn reason(&self) -> String {
        match self {
            Self::MissingCountry => "missing country".to_owned(),
            Self::UnknownCountry(c) => format!("unknown country: {c}"),
            Self::MissingName => "missing name".to_owned(),
            Self::NameTooLong(n) => format!("name longer than {MAX_NAME_CHARS} characters: {n}…"),
            Self::MalformedCoordinates(c) => format!("malformed coordinates: {c}"),
            Self::SelfPair => "self-pair: both sides are the same town".to_owned(),
            Self::PartnerNotInFile(q) => format!("partner item not in the file: {q}"),
            Self::MalformedDate(d) => format!("malformed date: {d}"),
        }
    }
}
