//! ISO 3166-1 alpha-2 country codes, checked against the full list of assigned codes.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// One row of `data/countries.tsv`.
#[derive(Debug)]
pub struct CountryInfo {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub name_en: &'static str,
    pub name_nl: &'static str,
}

static TABLE: LazyLock<Vec<CountryInfo>> = LazyLock::new(|| {
    include_str!("../data/countries.tsv")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut f = line.split('\t');
            let mut next = || f.next().expect("countries.tsv has four columns");
            CountryInfo {
                alpha2: next(),
                alpha3: next(),
                name_en: next(),
                name_nl: next(),
            }
        })
        .collect()
});

static BY_CODE: LazyLock<HashMap<&'static str, usize>> = LazyLock::new(|| {
    TABLE
        .iter()
        .enumerate()
        .map(|(i, c)| (c.alpha2, i))
        .collect()
});

/// An assigned ISO 3166-1 alpha-2 code, always upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Accepts an assigned code in any case ("nl", "NL"); refuses anything else.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err("error-required");
        }
        match BY_CODE.get(code.as_str()) {
            Some(_) => {
                let b = code.as_bytes();
                Ok(Self([b[0], b[1]]))
            }
            None => Err("error-country-unknown"),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("country codes are ASCII")
    }

    pub fn info(&self) -> &'static CountryInfo {
        &TABLE[BY_CODE[self.as_str()]]
    }

    /// The country's name in the given language ("nl" or anything else for English).
    pub fn name(&self, lang: &str) -> &'static str {
        let info = self.info();
        if lang == "nl" {
            info.name_nl
        } else {
            info.name_en
        }
    }

    /// Every assigned country, in code order.
    pub fn all() -> impl Iterator<Item = &'static CountryInfo> {
        TABLE.iter()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_every_assigned_code_once() {
        assert_eq!(CountryCode::all().count(), 249);
        assert_eq!(BY_CODE.len(), 249);
    }

    #[test]
    fn known_codes_parse_in_any_case_and_name_themselves() {
        let cz = CountryCode::parse(" cz ").unwrap();
        assert_eq!(cz.as_str(), "CZ");
        assert_eq!(cz.name("nl"), "Tsjechië");
        assert_eq!(cz.name("en"), "Czechia");
        assert_eq!(CountryCode::parse("NL").unwrap().name("nl"), "Nederland");
    }

    #[test]
    fn unassigned_codes_and_names_are_refused() {
        assert_eq!(CountryCode::parse("XX"), Err("error-country-unknown"));
        assert_eq!(CountryCode::parse("UK"), Err("error-country-unknown"));
        assert_eq!(CountryCode::parse("NLD"), Err("error-country-unknown"));
        assert_eq!(
            CountryCode::parse("Netherlands"),
            Err("error-country-unknown")
        );
        assert_eq!(CountryCode::parse(""), Err("error-required"));
    }
}
