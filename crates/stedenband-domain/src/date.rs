//! Dates that are sometimes known only to the year ("contact since 1990").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// Years outside this range are typing errors, not history.
pub const MIN_YEAR: i16 = 1000;
pub const MAX_YEAR: i16 = 2200;

/// A year, or a full calendar date. Written "1990" or "1990-05-12".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PartialDate {
    Year(i16),
    Date(Date),
}

impl PartialDate {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error-required");
        }
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            let y: i16 = s.parse().map_err(|_| "error-date-invalid")?;
            return Self::from_year(y);
        }
        let date: Date = s.parse().map_err(|_| "error-date-invalid")?;
        if s.len() != 10 {
            return Err("error-date-invalid");
        }
        Self::from_year(date.year())?;
        Ok(Self::Date(date))
    }

    pub fn from_year(year: i16) -> Result<Self, &'static str> {
        if (MIN_YEAR..=MAX_YEAR).contains(&year) {
            Ok(Self::Year(year))
        } else {
            Err("error-year-out-of-range")
        }
    }

    /// Rebuilds a stored value: a year column and an optional date column.
    pub fn from_parts(year: i64, date: Option<&str>) -> Result<Self, &'static str> {
        match date {
            Some(d) => {
                let p = Self::parse(d)?;
                match p {
                    Self::Date(date) if i64::from(date.year()) == year => Ok(p),
                    _ => Err("error-date-invalid"),
                }
            }
            None => Self::from_year(i16::try_from(year).map_err(|_| "error-year-out-of-range")?),
        }
    }

    pub fn year(&self) -> i16 {
        match self {
            Self::Year(y) => *y,
            Self::Date(d) => d.year(),
        }
    }

    pub fn date(&self) -> Option<Date> {
        match self {
            Self::Year(_) => None,
            Self::Date(d) => Some(*d),
        }
    }

    /// The first day this value could mean.
    pub fn earliest(&self) -> Date {
        match self {
            Self::Year(y) => Date::new(*y, 1, 1).expect("years are in range"),
            Self::Date(d) => *d,
        }
    }

    /// The last day this value could mean.
    pub fn latest(&self) -> Date {
        match self {
            Self::Year(y) => Date::new(*y, 12, 31).expect("years are in range"),
            Self::Date(d) => *d,
        }
    }

    /// True when `self` is certainly before `other` (a year and a date in that year overlap).
    pub fn certainly_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
    }

    /// The order used for timelines: by year; within a year a bare year comes first.
    pub fn timeline_cmp(&self, other: &PartialDate) -> Ordering {
        self.year()
            .cmp(&other.year())
            .then_with(|| self.date().cmp(&other.date()))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y}"),
            Self::Date(d) => write!(f, "{d}"),
        }
    }
}

impl TryFrom<String> for PartialDate {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

/// Parses a full calendar date ("2002-01-01").
pub fn parse_date(raw: &str) -> Result<Date, &'static str> {
    match PartialDate::parse(raw)? {
        PartialDate::Date(d) => Ok(d),
        PartialDate::Year(_) => Err("error-date-full-required"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_dates_parse_and_print_back() {
        assert_eq!(PartialDate::parse("1990").unwrap(), PartialDate::Year(1990));
        let d = PartialDate::parse("2002-01-01").unwrap();
        assert_eq!(d.to_string(), "2002-01-01");
        assert_eq!(d.year(), 2002);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(PartialDate::parse("2001-02-29"), Err("error-date-invalid"));
        assert_eq!(PartialDate::parse("19900"), Err("error-date-invalid"));
        assert_eq!(PartialDate::parse("990"), Err("error-date-invalid"));
        assert_eq!(PartialDate::parse("0990"), Err("error-year-out-of-range"));
        assert_eq!(PartialDate::parse("1990-5-1"), Err("error-date-invalid"));
        assert_eq!(PartialDate::parse("soon"), Err("error-date-invalid"));
        assert_eq!(PartialDate::parse(" "), Err("error-required"));
    }

    #[test]
    fn a_year_and_a_date_in_it_overlap() {
        let y = PartialDate::parse("1993").unwrap();
        let d = PartialDate::parse("1993-06-01").unwrap();
        assert!(!y.certainly_before(&d));
        assert!(!d.certainly_before(&y));
        assert!(PartialDate::parse("1992").unwrap().certainly_before(&d));
        assert!(d.certainly_before(&PartialDate::parse("1993-06-02").unwrap()));
    }

    #[test]
    fn stored_parts_must_agree() {
        assert_eq!(
            PartialDate::from_parts(1990, None).unwrap(),
            PartialDate::Year(1990)
        );
        assert!(PartialDate::from_parts(1991, Some("1990-01-01")).is_err());
    }
}
