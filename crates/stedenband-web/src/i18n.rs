//! Translations: Fluent files in `locales/{nl,en}` compiled into the binary, and the choice of
//! language for a request (a `lang` cookie set by the language switch, else Accept-Language,
//! else Dutch).

use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use stedenband_domain::{CountryCode, PartialDate};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        // Plain text without Unicode isolation marks: the strings also go into attributes,
        // JSON and CSV.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

/// A language the interface is complete in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(&self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().split(['-', '_']).next()? {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn endonym(&self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// The text for a key.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The text for a key with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// Whether a key exists in this language (used by tests). Messages with placeholders only
    /// resolve with arguments, so every placeholder name in use is given one.
    pub fn has(&self, key: &str) -> bool {
        let args: HashMap<Cow<'static, str>, FluentValue> = [
            "count",
            "name",
            "date",
            "page",
            "pages",
            "home",
            "partner",
            "minutes",
            "code",
            // money
            "amount",
            "period",
            "ref",
            "n",
            "decision",
            "recipient",
            "kind",
            "year",
            "cash",
            "private",
            "leverage",
            "fractions",
            // evaluations
            "message",
            // decisions
            "title",
            // reports
            "partners",
            "first",
            "firstShare",
            "last",
            "lastShare",
            "table",
            "what",
            "from",
            "to",
        ]
        .into_iter()
        .map(|k| (Cow::Borrowed(k), FluentValue::from(1)))
        .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &args)
            .is_some()
    }

    /// The label of a choice: `choice("kind", "friendship")` looks up `kind-friendship`.
    pub fn choice(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}-{code}"))
    }

    pub fn country(&self, code: CountryCode) -> &'static str {
        code.name(self.code())
    }

    /// A year as is; a date written out ("1 januari 2002", "1 January 2002").
    pub fn date(&self, d: &PartialDate) -> String {
        match d {
            PartialDate::Year(y) => y.to_string(),
            PartialDate::Date(d) => self.full_date(*d),
        }
    }

    pub fn full_date(&self, d: jiff::civil::Date) -> String {
        let month = self.t(&format!("month-{}", d.month()));
        format!("{} {} {}", d.day(), month, d.year())
    }

    /// Picks the first supported language of an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::parse(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        // Stable sort: among equal qualities the header's order wins.
        tags.sort_by(|a, b| b.0.total_cmp(&a.0));
        tags.first().map(|t| t.1)
    }
}

/// The name of the cookie the language switch sets.
pub const LANG_COOKIE: &str = "lang";

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_cookie = parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::parse(v));
        let from_header = || {
            parts
                .headers
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        };
        Ok(from_cookie.or_else(from_header).unwrap_or(Lang::Nl))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,nl;q=0.5,en;q=0.9"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, nl;q=0.1"),
            Some(Lang::Nl)
        );
    }

    #[test]
    fn dates_are_written_out_in_each_language() {
        let d = PartialDate::parse("2002-01-01").unwrap();
        assert_eq!(Lang::Nl.date(&d), "1 januari 2002");
        assert_eq!(Lang::En.date(&d), "1 January 2002");
        assert_eq!(Lang::En.date(&PartialDate::Year(1990)), "1990");
    }
}
