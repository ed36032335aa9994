//! Names and URL slugs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest name we accept; real place names are far shorter
/// ("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" is 58).
pub const MAX_NAME: usize = 200;

/// A non-empty, trimmed name without control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            Err("error-required")
        } else if s.chars().count() > MAX_NAME {
            Err("error-too-long")
        } else if s.chars().any(char::is_control) {
            Err("error-control-characters")
        } else {
            Ok(Self(s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name folded for search: lower case, diacritics and other scripts transliterated
    /// ("Konstancin-Jeziorna" and "konstancin jeziorna" fold alike; so do "Zürich" and "Zurich").
    pub fn folded(&self) -> String {
        fold(&self.0)
    }
}

/// Folds free text for searching and slugs: transliterated to ASCII, lower case, runs of
/// anything that is not a letter or digit made one space.
pub fn fold(s: &str) -> String {
    // Most names are ASCII already: they are not copied first (the world graph folds every
    // town's name whenever it is rebuilt). Transliteration gives ASCII, so ASCII lower case is
    // all the lower case there is.
    let ascii: std::borrow::Cow<'_, str> = if s.is_ascii() {
        s.into()
    } else {
        deunicode::deunicode(s).into()
    };
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.make_ascii_lowercase();
    out
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Name {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0
    }
}

/// A URL-friendly identifier: lower-case ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if s.is_empty() {
            Err("error-required")
        } else if s.len() > Self::MAX {
            Err("error-too-long")
        } else if !ok_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            Err("error-slug-invalid")
        } else {
            Ok(Self(s.to_owned()))
        }
    }

    /// Makes a slug from a name: "Konstancin-Jeziorna" -> "konstancin-jeziorna",
    /// "Leidschendam-Voorburg" -> "leidschendam-voorburg", "Ústí nad Labem" -> "usti-nad-labem".
    /// Names with nothing transliterable fall back to "place".
    pub fn from_name(name: &Name) -> Self {
        let mut s = name.folded().replace(' ', "-");
        s.truncate(Self::MAX);
        let s = s.trim_matches('-').to_owned();
        if s.is_empty() {
            Self("place".into())
        } else {
            Self(s)
        }
    }

    /// The same slug with a suffix, for telling apart places of the same name.
    pub fn with_suffix(&self, suffix: &str) -> Self {
        let suffix = fold(suffix).replace(' ', "-");
        let mut base = self.0.clone();
        base.truncate(Self::MAX.saturating_sub(suffix.len() + 1));
        Self(format!("{}-{}", base.trim_end_matches('-'), suffix))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fold as first written: transliterate everything, lower case, split, join. The
    /// faster `fold` must give the same text for every input.
    fn fold_reference(s: &str) -> String {
        let ascii = deunicode::deunicode(s).to_lowercase();
        ascii
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn folding_every_town_of_the_shipped_list_is_the_reference_fold() {
        let csv = include_str!("../../../data/world/twin_cities.csv");
        let mut names = 0;
        for line in csv.lines().skip(1) {
            for field in line.split(',') {
                names += 1;
                assert_eq!(fold(field), fold_reference(field), "{field:?}");
            }
        }
        assert!(names > 100_000, "{names} fields");
        assert_eq!(fold("  Ústí nad LABEM "), "usti nad labem");
        assert_eq!(fold("'s-Hertogenbosch"), "s hertogenbosch");
        assert_eq!(fold("Москва"), "moskva");
        assert_eq!(fold("--"), "");
    }

    proptest! {
        #[test]
        fn fold_is_the_reference_fold(s in "\\PC{0,40}", ascii in "[ -~]{0,40}") {
            prop_assert_eq!(fold(&s), fold_reference(&s));
            prop_assert_eq!(fold(&ascii), fold_reference(&ascii));
        }
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_empty() {
        assert_eq!(Name::parse("  Hranice \n").unwrap().as_str(), "Hranice");
        assert_eq!(Name::parse("Den   Haag").unwrap().as_str(), "Den Haag");
        assert_eq!(Name::parse("   "), Err("error-required"));
        assert_eq!(Name::parse(&"x".repeat(201)), Err("error-too-long"));
    }

    #[test]
    fn slugs_come_from_names_in_any_script() {
        let slug = |n: &str| Slug::from_name(&Name::parse(n).unwrap()).to_string();
        assert_eq!(slug("Leidschendam-Voorburg"), "leidschendam-voorburg");
        assert_eq!(slug("Konstancin-Jeziorna"), "konstancin-jeziorna");
        assert_eq!(slug("Ústí nad Labem"), "usti-nad-labem");
        assert_eq!(slug("Łódź"), "lodz");
        assert_eq!(slug("'s-Hertogenbosch"), "s-hertogenbosch");
        assert_eq!(slug("Москва"), "moskva");
    }

    #[test]
    fn hand_written_slugs_are_checked() {
        assert!(Slug::parse("hranice").is_ok());
        assert_eq!(Slug::parse("Hranice"), Err("error-slug-invalid"));
        assert_eq!(Slug::parse("a--b"), Err("error-slug-invalid"));
        assert_eq!(Slug::parse("-a"), Err("error-slug-invalid"));
        assert_eq!(Slug::parse("a b"), Err("error-slug-invalid"));
    }

    #[test]
    fn suffixes_tell_namesakes_apart() {
        let s = Slug::parse("springfield").unwrap();
        assert_eq!(s.with_suffix("US").as_str(), "springfield-us");
    }
}
