//! Dutch and English are complete: both languages hold the same keys (over all the `.ftl` files
//! of their folder, each key once), and every key the code and the templates use exists in
//! both.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use stedenband_domain::{EventKind, Initiator, PartnershipKind, PartnershipStatus, PlaceKind};
use stedenband_web::i18n::Lang;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The message ids of one language: every `.ftl` file of its folder, as fluent-templates loads
/// them. A key defined in two files of one language is reported (the loader would keep one).
fn keys_of(lang: &str) -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&root().join(format!("locales/{lang}")), "ftl", &mut paths);
    paths.sort();
    assert!(
        paths.iter().any(|p| p.ends_with("main.ftl")),
        "no main.ftl for {lang}"
    );
    let mut keys = BTreeSet::new();
    let mut twice = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for k in text
            .lines()
            .filter_map(|l| l.split_once(" ="))
            .map(|(k, _)| k.to_owned())
            .filter(|k| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
        {
            if !keys.insert(k.clone()) {
                twice.push(format!("{k} ({})", path.display()));
            }
        }
    }
    assert!(
        twice.is_empty(),
        "keys defined more than once in {lang}: {twice:?}"
    );
    keys
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// String literals that follow one of the given call prefixes, e.g. `t("` or `"error-`.
fn literals_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        let end = rest.find('"').unwrap_or(0);
        let lit = &rest[..end];
        if !lit.is_empty()
            && lit
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            out.push(lit.to_owned());
        }
    }
    out
}

#[test]
fn dutch_and_english_have_the_same_keys() {
    let nl = keys_of("nl");
    let en = keys_of("en");
    assert!(nl.len() > 100, "the Dutch file was not read");
    let only_nl: Vec<_> = nl.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "only in nl: {only_nl:?}; only in en: {only_en:?}"
    );
}

#[test]
fn every_key_in_use_is_translated() {
    let mut used = BTreeSet::new();
    let mut sources = Vec::new();
    files(
        &root().join("crates/stedenband-web/templates"),
        "html",
        &mut sources,
    );
    for crate_dir in ["stedenband-domain", "stedenband-app", "stedenband-web"] {
        files(
            &root().join("crates").join(crate_dir).join("src"),
            "rs",
            &mut sources,
        );
    }
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        for prefix in [".t(\"", ".t1(\"", ".t2(\"", ".t_args(\""] {
            used.extend(literals_after(&text, prefix));
        }
        if path.extension().is_some_and(|e| e == "rs") {
            // Validation keys and form labels are passed around as literals.
            used.extend(
                literals_after(&text, "\"error-")
                    .into_iter()
                    .map(|k| format!("error-{k}")),
            );
            used.extend(
                literals_after(&text, "\"field-")
                    .into_iter()
                    .map(|k| format!("field-{k}")),
            );
        }
    }
    for (prefix, codes) in [
        (
            "kind",
            PartnershipKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            "initiator",
            Initiator::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "status",
            PartnershipStatus::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "event-kind",
            EventKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "place-kind",
            PlaceKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
    ] {
        used.extend(codes.iter().map(|c| format!("{prefix}-{c}")));
    }
    used.extend((1..=12).map(|m| format!("month-{m}")));
    assert!(
        used.len() > 100,
        "too few keys found: the scan is broken ({})",
        used.len()
    );
    let missing: Vec<_> = used
        .iter()
        .filter(|k| !k.ends_with('-'))
        .filter(|k| Lang::ALL.iter().any(|l| !l.has(k)))
        .collect();
    assert!(
        missing.is_empty(),
        "keys used but not translated in both languages: {missing:?}"
    );
}
