//! Country names as real lists write them, mapped to ISO 3166-1 alpha-2.
//!
//! Accepted, compared after [`fold`] (case, diacritics and punctuation do not count; the words
//! "the" and "and" are ignored and "St" reads as "Saint"):
//! - every English and Dutch name of `data/countries.tsv`;
//! - the variants of [`VARIANTS`]: older or informal names ("Burma", "Swaziland", "Holland"),
//!   misspellings found in real lists ("Grece", "Kazakhstah"), and the constituent countries of
//!   the United Kingdom, which map to GB with the constituent country kept as the region;
//! - "X, Country" ("Lower Saxony, Germany"): the country, with X kept as the region. When X is
//!   itself a territory with its own ISO code that belongs to that country ("Réunion, France",
//!   "Åland Islands, Finland"), the territory's own code wins (RE, AX) and no region is kept:
//!   overseas territories are always their own code, however the list writes them. When X names
//!   a constituent country of the same state ("England, United Kingdom"), that is the region.
//!   When X happens to be the name of another country ("Georgia, United States"), X is a region
//!   of the country after the comma. A region the country's own spelling carries ("Cornwall,
//!   England") wins over X: GB's regions are always the constituent country;
//! - "in Country" ("in Italy").
//!
//! Refused as unknown: places without an ISO 3166-1 code of their own whose status is
//! disputed, listed in [`REJECTED`]: "Northern Cyprus" (would be CY or TR depending on whom you
//! ask), "Kosovo" (XK is a user-assigned code, not in ISO 3166-1 nor in `countries.tsv`, whose
//! row count a test of `crate::country` fixes at 249), and a few more of the kind; former
//! states that have several successors ("Yugoslavia", "Soviet Union") are not in the tables and
//! are unknown too.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Rejection;
use crate::country::CountryCode;
use crate::text::fold;

/// Spellings found in real lists that are not the names of `countries.tsv`: (spelling, code,
/// region kept).
pub const VARIANTS: &[(&str, &str, Option<&str>)] = &[
    // The United Kingdom and its constituent countries.
    ("England", "GB", Some("England")),
    ("Scotland", "GB", Some("Scotland")),
    ("Wales", "GB", Some("Wales")),
    ("Northern Ireland", "GB", Some("Northern Ireland")),
    ("UK", "GB", None),
    ("U.K.", "GB", None),
    ("Great Britain", "GB", None),
    ("Britain", "GB", None),
    (
        "United Kingdom of Great Britain and Northern Ireland",
        "GB",
        None,
    ),
    // Other names and misspellings.
    ("Georgia (country)", "GE", None),
    ("Czech Republic", "CZ", None),
    ("Republic of Ireland", "IE", None),
    ("Eire", "IE", None),
    ("Bosnia and Hercegovina", "BA", None),
    ("Bosnia-Herzegovina", "BA", None),
    ("Grece", "GR", None),
    ("Kazakhstah", "KZ", None),
    ("Madagaskar", "MG", None),
    ("Moldavia", "MD", None),
    ("Republic of Moldova", "MD", None),
    ("Surinam", "SR", None),
    // German and Danish for Iceland, as the lists mean it.
    ("Island", "IS", None),
    ("East Timor", "TL", None),
    ("Ivory Coast", "CI", None),
    ("Cote d'Ivoire", "CI", None),
    ("Congo", "CG", None),
    ("Republic of Congo", "CG", None),
    ("Congo-Brazzaville", "CG", None),
    ("Congo (Brazzaville)", "CG", None),
    ("Democratic Republic of the Congo", "CD", None),
    ("Democratic Republic of Congo", "CD", None),
    ("DR Congo", "CD", None),
    ("DRC", "CD", None),
    ("Congo-Kinshasa", "CD", None),
    ("Congo (Kinshasa)", "CD", None),
    ("Federated States of Micronesia", "FM", None),
    ("Micronesia", "FM", None),
    ("West Bank", "PS", None),
    ("Gaza Strip", "PS", None),
    ("State of Palestine", "PS", None),
    ("Palestinian Territories", "PS", None),
    ("Palestinian territory", "PS", None),
    ("Eswatini", "SZ", None),
    ("Swaziland", "SZ", None),
    ("Cape Verde", "CV", None),
    ("Cabo Verde", "CV", None),
    ("Burma", "MM", None),
    ("Holland", "NL", None),
    ("The Netherlands", "NL", None),
    ("Russian Federation", "RU", None),
    ("Republic of Korea", "KR", None),
    ("Korea, Republic of", "KR", None),
    ("Korea, South", "KR", None),
    ("North Korea", "KP", None),
    ("DPRK", "KP", None),
    ("Democratic People's Republic of Korea", "KP", None),
    ("Korea, North", "KP", None),
    ("Islamic Republic of Iran", "IR", None),
    ("Syrian Arab Republic", "SY", None),
    ("Lao PDR", "LA", None),
    ("Lao People's Democratic Republic", "LA", None),
    ("Viet Nam", "VN", None),
    ("Brunei Darussalam", "BN", None),
    ("Plurinational State of Bolivia", "BO", None),
    ("Bolivarian Republic of Venezuela", "VE", None),
    ("United Republic of Tanzania", "TZ", None),
    ("Chinese Taipei", "TW", None),
    ("Republic of China (Taiwan)", "TW", None),
    ("People's Republic of China", "CN", None),
    ("PRC", "CN", None),
    ("Türkiye", "TR", None),
    ("United States of America", "US", None),
    ("USA", "US", None),
    ("U.S.A.", "US", None),
    ("US", "US", None),
    ("U.S.", "US", None),
    ("UAE", "AE", None),
    ("Macedonia", "MK", None),
    ("Republic of Macedonia", "MK", None),
    ("Former Yugoslav Republic of Macedonia", "MK", None),
    ("Slovak Republic", "SK", None),
    ("Kyrgyz Republic", "KG", None),
    ("Kirghizia", "KG", None),
    ("Byelorussia", "BY", None),
    ("Belorussia", "BY", None),
    ("Vatican", "VA", None),
    ("Holy See", "VA", None),
    ("Gambia, The", "GM", None),
    ("Bahamas, The", "BS", None),
    ("East Germany", "DE", None),
    ("West Germany", "DE", None),
    ("Timor Leste", "TL", None),
    ("Sao Tome", "ST", None),
    // Territories with their own code, as lists write them.
    ("Faroe", "FO", None),
    ("Faroes", "FO", None),
    ("Faeroe Islands", "FO", None),
    ("Aland", "AX", None),
    ("Reunion Island", "RE", None),
    ("La Reunion", "RE", None),
    ("Guyane", "GF", None),
    ("Macao", "MO", None),
    ("Hong Kong SAR", "HK", None),
    ("Saint Helena", "SH", None),
    ("US Virgin Islands", "VI", None),
    ("United States Virgin Islands", "VI", None),
    ("Saint Martin (France)", "MF", None),
    ("Caribbean Netherlands", "BQ", None),
    ("Bonaire", "BQ", None),
    // Parts without a code of their own.
    ("Canary Islands", "ES", Some("Canary Islands")),
    ("Azores", "PT", Some("Azores")),
    ("Madeira", "PT", Some("Madeira")),
];

/// Spellings refused on purpose: disputed places without an ISO 3166-1 code of their own.
pub const REJECTED: &[&str] = &[
    "Northern Cyprus",
    "Turkish Republic of Northern Cyprus",
    "TRNC",
    "Kosovo",
    "Republic of Kosovo",
    "Transnistria",
    "Abkhazia",
    "South Ossetia",
    "Somaliland",
    "Artsakh",
    "Nagorno-Karabakh",
];

/// Territories with their own code and the state they belong to, for "Territory, State".
const SOVEREIGN: &[(&str, &str)] = &[
    ("AX", "FI"),
    ("BL", "FR"),
    ("GF", "FR"),
    ("GP", "FR"),
    ("MF", "FR"),
    ("MQ", "FR"),
    ("NC", "FR"),
    ("PF", "FR"),
    ("PM", "FR"),
    ("RE", "FR"),
    ("TF", "FR"),
    ("WF", "FR"),
    ("YT", "FR"),
    ("FO", "DK"),
    ("GL", "DK"),
    ("AI", "GB"),
    ("BM", "GB"),
    ("FK", "GB"),
    ("GG", "GB"),
    ("GI", "GB"),
    ("GS", "GB"),
    ("IM", "GB"),
    ("IO", "GB"),
    ("JE", "GB"),
    ("KY", "GB"),
    ("MS", "GB"),
    ("PN", "GB"),
    ("SH", "GB"),
    ("TC", "GB"),
    ("VG", "GB"),
    ("AS", "US"),
    ("GU", "US"),
    ("MP", "US"),
    ("PR", "US"),
    ("UM", "US"),
    ("VI", "US"),
    ("CK", "NZ"),
    ("NU", "NZ"),
    ("TK", "NZ"),
    ("AW", "NL"),
    ("BQ", "NL"),
    ("CW", "NL"),
    ("SX", "NL"),
    ("HK", "CN"),
    ("MO", "CN"),
    ("BV", "NO"),
    ("SJ", "NO"),
    ("CC", "AU"),
    ("CX", "AU"),
    ("HM", "AU"),
    ("NF", "AU"),
];

type Entry = (CountryCode, Option<&'static str>);

/// The lookup key of a spelling: folded, "the" and "and" dropped, "st" read as "saint".
fn key(raw: &str) -> String {
    let folded = fold(raw);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(' ') {
        let word = match word {
            "the" | "and" => continue,
            "st" => "saint",
            w => w,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Builds the table; returns it with the keys that two spellings claim for different codes.
fn build() -> (HashMap<String, Entry>, Vec<String>) {
    let mut map: HashMap<String, Entry> = HashMap::new();
    let mut conflicts = Vec::new();
    let mut add = |name: &str, entry: Entry| {
        let k = key(name);
        if let Some(old) = map.get(&k) {
            if *old != entry {
                conflicts.push(format!("{name} ({k})"));
            }
            return;
        }
        map.insert(k, entry);
    };
    for (name, code, region) in VARIANTS {
        let code = CountryCode::parse(code).expect("variant codes are assigned");
        add(name, (code, *region));
    }
    for info in CountryCode::all() {
        let code = CountryCode::parse(info.alpha2).expect("table codes parse");
        add(info.name_en, (code, None));
        add(info.name_nl, (code, None));
    }
    (map, conflicts)
}

static BY_NAME: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| build().0);

static REJECTED_KEYS: LazyLock<Vec<String>> =
    LazyLock::new(|| REJECTED.iter().map(|r| key(r)).collect());

fn sovereign(code: CountryCode) -> Option<&'static str> {
    SOVEREIGN
        .iter()
        .find(|(t, _)| *t == code.as_str())
        .map(|(_, s)| *s)
}

/// Whitespace trimmed and collapsed.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn own(entry: &Entry) -> (CountryCode, Option<String>) {
    (entry.0, entry.1.map(str::to_owned))
}

/// Maps a country as a list writes it to its ISO 3166-1 alpha-2 code and the region the text
/// named, if any (see the module documentation for what is accepted).
pub fn country_from_list_name(raw: &str) -> Result<(CountryCode, Option<String>), Rejection> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Rejection::MissingCountry);
    }
    let unknown = || Rejection::UnknownCountry(trimmed.to_owned());
    let k = key(trimmed);
    if REJECTED_KEYS.contains(&k) {
        return Err(unknown());
    }
    if let Some(entry) = BY_NAME.get(&k) {
        return Ok(own(entry));
    }
    // "in Italy".
    if let Some(rest) = k.strip_prefix("in ")
        && let Some(entry) = BY_NAME.get(rest)
    {
        return Ok(own(entry));
    }
    // "Lower Saxony, Germany": the country after the last comma.
    if let Some((left, right)) = trimmed.rsplit_once(',') {
        let left = tidy(left);
        let Some(country) = BY_NAME.get(&key(right)) else {
            return Err(unknown());
        };
        if left.is_empty() {
            return Ok(own(country));
        }
        let left_key = key(&left);
        if REJECTED_KEYS.contains(&left_key) {
            return Err(unknown());
        }
        if let Some(part) = BY_NAME.get(&left_key) {
            // "England, United Kingdom", "Réunion, France", "Åland Islands, Finland".
            if part.0 == country.0 || sovereign(part.0) == Some(country.0.as_str()) {
                return Ok(own(part));
            }
        }
        let region = match country.1 {
            Some(r) => r.to_owned(),
            None => left,
        };
        return Ok((country.0, Some(region)));
    }
    Err(unknown())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn ok(raw: &str) -> (String, Option<String>) {
        let (c, r) = country_from_list_name(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
        (c.as_str().to_owned(), r)
    }

    fn code(raw: &str) -> String {
        ok(raw).0
    }

    fn region(raw: &str) -> Option<String> {
        ok(raw).1
    }

    #[test]
    fn no_two_spellings_claim_one_key() {
        let (map, conflicts) = build();
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert!(map.len() > 400, "{}", map.len());
    }

    #[test]
    fn every_name_of_the_table_maps_in_english_and_dutch_in_any_case() {
        for info in CountryCode::all() {
            assert_eq!(code(info.name_en), info.alpha2, "{}", info.name_en);
            assert_eq!(code(info.name_nl), info.alpha2, "{}", info.name_nl);
            assert_eq!(code(&info.name_en.to_uppercase()), info.alpha2);
            assert_eq!(region(info.name_en), None);
        }
        assert_eq!(code("Tsjechie"), "CZ");
        assert_eq!(code("duitsland"), "DE");
        assert_eq!(code("  cote   d’ivoire "), "CI");
        assert_eq!(code("Sao Tome and Principe"), "ST");
        assert_eq!(code("Bosnia & Herzegovina"), "BA");
        assert_eq!(code("St. Kitts and Nevis"), "KN");
    }

    #[test]
    fn variants_of_real_lists() {
        for (raw, want, reg) in [
            ("England", "GB", Some("England")),
            ("Scotland", "GB", Some("Scotland")),
            ("Wales", "GB", Some("Wales")),
            ("Northern Ireland", "GB", Some("Northern Ireland")),
            ("England, United Kingdom", "GB", Some("England")),
            (
                "Northern Ireland, United Kingdom",
                "GB",
                Some("Northern Ireland"),
            ),
            ("UK", "GB", None),
            ("United Kingdom", "GB", None),
            ("Georgia (country)", "GE", None),
            ("Georgia", "GE", None),
            ("Czech Republic", "CZ", None),
            ("Republic of Ireland", "IE", None),
            ("Bosnia and Hercegovina", "BA", None),
            ("Grece", "GR", None),
            ("Kazakhstah", "KZ", None),
            ("Madagaskar", "MG", None),
            ("Moldavia", "MD", None),
            ("Surinam", "SR", None),
            ("Island", "IS", None),
            ("East Timor", "TL", None),
            ("Ivory Coast", "CI", None),
            ("Congo", "CG", None),
            ("Democratic Republic of the Congo", "CD", None),
            ("Federated States of Micronesia", "FM", None),
            ("Micronesia", "FM", None),
            ("West Bank", "PS", None),
            ("Palestine", "PS", None),
            ("Eswatini", "SZ", None),
            ("Swaziland", "SZ", None),
            ("Cape Verde", "CV", None),
            ("Burma", "MM", None),
            ("Holland", "NL", None),
            ("The Netherlands", "NL", None),
            ("Russia", "RU", None),
            ("South Korea", "KR", None),
            ("North Korea", "KP", None),
            ("Iran", "IR", None),
            ("Syria", "SY", None),
            ("Laos", "LA", None),
            ("Vietnam", "VN", None),
            ("Brunei", "BN", None),
            ("Bolivia", "BO", None),
            ("Venezuela", "VE", None),
            ("Tanzania", "TZ", None),
            ("Taiwan", "TW", None),
            ("Turkey", "TR", None),
            ("Türkiye", "TR", None),
            ("United States", "US", None),
            ("USA", "US", None),
            ("United States of America", "US", None),
        ] {
            assert_eq!(ok(raw), (want.to_owned(), reg.map(str::to_owned)), "{raw}");
        }
    }

    #[test]
    fn region_comma_country() {
        let r = |s: &str| Some(s.to_owned());
        assert_eq!(
            ok("Lower Saxony, Germany"),
            ("DE".into(), r("Lower Saxony"))
        );
        assert_eq!(ok("New York, United States"), ("US".into(), r("New York")));
        assert_eq!(ok("Rauma, Norway"), ("NO".into(), r("Rauma")));
        assert_eq!(ok("Azores, Portugal"), ("PT".into(), r("Azores")));
        assert_eq!(
            ok("  Lower   Saxony ,Germany "),
            ("DE".into(), r("Lower Saxony"))
        );
        // A region that is also a country's name belongs to the country after the comma.
        assert_eq!(ok("Georgia, United States"), ("US".into(), r("Georgia")));
        assert_eq!(ok("Luxembourg, Belgium"), ("BE".into(), r("Luxembourg")));
        // GB keeps the constituent country.
        assert_eq!(ok("Cornwall, England"), ("GB".into(), r("England")));
        assert_eq!(ok("in Italy"), ("IT".into(), None));
        assert_eq!(ok(", France"), ("FR".into(), None));
    }

    #[test]
    fn territories_are_their_own_code_however_written() {
        for (raw, want) in [
            ("Réunion, France", "RE"),
            ("Réunion", "RE"),
            ("Guadeloupe, France", "GP"),
            ("Guadeloupe", "GP"),
            ("Martinique, France", "MQ"),
            ("French Guiana, France", "GF"),
            ("Mayotte", "YT"),
            ("Åland Islands, Finland", "AX"),
            ("Aland", "AX"),
            ("Faroe Islands", "FO"),
            ("Faroe Islands, Denmark", "FO"),
            ("Greenland", "GL"),
            ("Bermuda", "BM"),
            ("Gibraltar", "GI"),
            ("Jersey", "JE"),
            ("Isle of Man", "IM"),
            ("Guam", "GU"),
            ("Puerto Rico", "PR"),
            ("Puerto Rico, United States", "PR"),
            ("Cook Islands", "CK"),
        ] {
            assert_eq!(ok(raw), (want.to_owned(), None), "{raw}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(country_from_list_name(""), Err(Rejection::MissingCountry));
        assert_eq!(
            country_from_list_name("  \t"),
            Err(Rejection::MissingCountry)
        );
        for raw in [
            "Northern Cyprus",
            "Kosovo",
            "Yugoslavia",
            "Atlantis",
            "Kyrenia, Northern Cyprus",
            "Bavaria, Atlantis",
            "-",
        ] {
            assert_eq!(
                country_from_list_name(raw),
                Err(Rejection::UnknownCountry(raw.to_owned())),
                "{raw}"
            );
        }
        assert_eq!(
            country_from_list_name(" Kosovo "),
            Err(Rejection::UnknownCountry("Kosovo".to_owned()))
        );
    }

    #[test]
    fn every_spelling_of_the_real_list_maps_but_the_rejected_ones() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/world/twin_cities.csv"
        );
        let mut reader = csv::Reader::from_path(path).expect("the list is in the repository");
        let mut spellings: BTreeMap<String, usize> = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            for i in [1, 5] {
                *spellings.entry(record[i].to_owned()).or_default() += 1;
            }
        }
        assert_eq!(spellings.len(), 238);
        let mut refused = BTreeMap::new();
        for (s, n) in &spellings {
            if let Err(e) = country_from_list_name(s) {
                refused.insert(s.as_str(), (e, *n));
            }
        }
        let want = BTreeMap::from([
            ("", (Rejection::MissingCountry, 5)),
            ("Kosovo", (Rejection::UnknownCountry("Kosovo".into()), 75)),
            (
                "Northern Cyprus",
                (Rejection::UnknownCountry("Northern Cyprus".into()), 48),
            ),
        ]);
        assert_eq!(refused, want);
    }
}
