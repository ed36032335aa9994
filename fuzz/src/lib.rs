//! What every fuzz target checks, shared by the targets in `fuzz_targets/`.
//!
//! ## The world register's lists (`world_*`)
//!
//! A world list goes through the same pure steps as `stedenband import world` and
//! `POST /api/v1/world/imports` (stedenband-app's `World::import`): format detection, reading
//! into rows, reconciliation against the stored towns and pairs. Besides "no panic, answered
//! within a second" (libFuzzer's `-timeout=1`, set by scripts/fuzz.sh), the targets assert what
//! the README and the domain's documentation promise of the result, because a wrong answer
//! from an importer is a bug as much as a crash:
//!
//! - a refused file names one of the documented `world-file-*` keys and says what is wrong;
//! - an accepted row has two tidy names (trimmed, no control characters, at most
//!   [`MAX_NAME_CHARS`]) and years in order; every rejection has a reason;
//! - the plan accounts for every row once (imported + merged + rejected = rows, one new pair
//!   per imported row, stored lower town id first, only towns that exist);
//! - importing the same file a second time, on top of what the first wrote, changes nothing
//!   (the README: "a second import of the same file changes nothing").
//!
//! ## The municipality document (`municipality_json`)
//!
//! `Document::from_slice` (stedenband-store's `dump.rs`) reads the JSON document that
//! `stedenband export municipality` writes and `import municipality`/`restore` read, before any
//! database is touched. Besides no panic: a document it accepts is written by `to_vec` and read
//! back to the same document, and writing that gives the same bytes (the move from SQLite to
//! PostgreSQL depends on the document surviving its own round trip).

use std::collections::{HashMap, HashSet};

use stedenband_domain::CountryCode;
use stedenband_domain::municipality::{Coordinates, WikidataId};
use stedenband_domain::world::input::{self, RawRow, WorldFormat};
use stedenband_domain::world::reconcile::{self, KnownPair, KnownTown, Plan, RowOutcome};
use stedenband_domain::world::{CheckedTown, MAX_NAME_CHARS};
use stedenband_store::dump::Document;

/// The whole-file refusals `input` documents.
const FILE_ERROR_KEYS: [&str; 4] = [
    "world-file-empty",
    "world-file-not-utf8",
    "world-file-columns",
    "world-file-malformed",
];

/// Reads `bytes` as `format` (and lets the format be detected, as the import does without
/// `--format`), then reconciles the rows twice: once against a small register, once more on top
/// of what the first plan would write.
pub fn world(bytes: &[u8], format: WorldFormat) {
    if let Err(e) = input::detect_format(bytes) {
        check_file_error(&e);
    }
    let rows = match input::read(bytes, format) {
        Ok(rows) => rows,
        Err(e) => {
            check_file_error(&e);
            return;
        }
    };
    for row in &rows {
        check_row(row);
    }
    let (towns, pairs) = register();
    let plan = reconcile::reconcile(&towns, &pairs, &rows, &mut |_| {});
    check_plan(&plan, &rows, &towns);
    let (towns, pairs) = apply(&plan, towns, pairs);
    let again = reconcile::reconcile(&towns, &pairs, &rows, &mut |_| {});
    assert!(
        again.changes_nothing(),
        "a second import of the same rows would write again: new towns {:?}, fills {:?}, \
         new pairs {:?}, pair fills {:?}",
        again.new_towns,
        again.town_fills,
        again.new_pairs,
        again.pair_fills
    );
    assert_eq!(
        again.summary.imported, 0,
        "the second import imports nothing"
    );
}

fn check_file_error(e: &input::FileError) {
    assert!(FILE_ERROR_KEYS.contains(&e.key), "unknown key {}", e.key);
    assert!(!e.detail.is_empty(), "{} without a detail", e.key);
    // Display must not panic either (it is logged and shown).
    let _ = e.to_string();
}

fn check_town(t: &CheckedTown) {
    assert!(!t.name.is_empty(), "an accepted town without a name");
    assert!(
        t.name.chars().count() <= MAX_NAME_CHARS,
        "an accepted name longer than {MAX_NAME_CHARS} characters"
    );
    assert_eq!(
        t.name,
        t.name.trim(),
        "an accepted name that is not trimmed"
    );
    assert!(
        !t.name.chars().any(char::is_control),
        "an accepted name with a control character: {:?}",
        t.name
    );
    if let Some(c) = t.coordinates {
        assert!((-90.0..=90.0).contains(&c.latitude()));
        assert!((-180.0..=180.0).contains(&c.longitude()));
    }
}

fn check_row(row: &RawRow) {
    match &row.outcome {
        Ok(pair) => {
            check_town(&pair.a);
            check_town(&pair.b);
            if let (Some(s), Some(e)) = (pair.start_year, pair.end_year) {
                assert!(
                    s <= e,
                    "an accepted row ending ({e}) before it starts ({s})"
                );
            }
        }
        Err(r) => {
            assert!(r.key().starts_with("world-rejected-"));
            assert!(!r.reason().is_empty());
        }
    }
}

fn check_plan(plan: &Plan, rows: &[RawRow], towns: &[KnownTown]) {
    let s = &plan.summary;
    assert_eq!(s.rows, rows.len(), "every row is counted");
    assert_eq!(plan.outcomes.len(), rows.len(), "every row has an outcome");
    assert_eq!(
        s.imported + s.merged + s.rejected,
        s.rows,
        "each row imported, merged or rejected"
    );
    assert_eq!(
        s.rejected,
        s.rejected_by_reason.values().sum::<usize>(),
        "rejections counted per reason"
    );
    assert_eq!(
        s.imported,
        plan.new_pairs.len(),
        "one new pair per imported row"
    );
    for ((number, outcome), row) in plan.outcomes.iter().zip(rows) {
        assert_eq!(*number, row.number, "outcomes in file order");
        if let Err(r) = &row.outcome {
            assert_eq!(outcome, &RowOutcome::Rejected(r.clone()));
        }
    }
    let ids: HashSet<i64> = towns
        .iter()
        .map(|t| t.id)
        .chain(plan.new_towns.iter().map(|t| t.id))
        .collect();
    assert_eq!(
        ids.len(),
        towns.len() + plan.new_towns.len(),
        "new towns get fresh ids"
    );
    let mut seen = HashSet::new();
    for p in &plan.new_pairs {
        assert!(p.a < p.b, "a pair is stored lower id first: {p:?}");
        assert!(
            ids.contains(&p.a) && ids.contains(&p.b),
            "a pair of unknown towns: {p:?}"
        );
        assert!(seen.insert((p.a, p.b)), "a pair planned twice: {p:?}");
    }
    for t in &plan.new_towns {
        check_town(&t.town);
    }
}

/// The register the rows are reconciled against: the demo's municipalities (register towns,
/// linked to a municipality) and a few towns of the shipped list, with and without coordinates
/// and Wikidata ids, and two stored pairs.
fn register() -> (Vec<KnownTown>, Vec<KnownPair>) {
    let towns = vec![
        town(
            1,
            "Leidschendam-Voorburg",
            "NL",
            Some((52.08, 4.39)),
            Some("Q1020185"),
            true,
        ),
        town(2, "Hranice", "CZ", Some((49.548, 17.735)), None, true),
        town(3, "Temecula", "US", Some((33.4936, -117.1484)), None, true),
        town(4, "Konstancin-Jeziorna", "PL", None, None, true),
        town(5, "Berat", "AL", Some((40.7022, 19.9583)), None, false),
        town(6, "Amasya", "TR", Some((40.65, 35.8331)), None, false),
        town(7, "Fermo", "IT", None, Some("Q13295"), false),
        town(9, "Hranice", "CZ", Some((50.2, 12.2)), None, false),
    ];
    let pairs = vec![
        KnownPair {
            a: 1,
            b: 2,
            start_year: Some(1991),
            end_year: None,
        },
        KnownPair {
            a: 6,
            b: 5,
            start_year: None,
            end_year: None,
        },
    ];
    (towns, pairs)
}

fn town(
    id: i64,
    name: &str,
    country: &str,
    coordinates: Option<(f64, f64)>,
    wikidata: Option<&str>,
    register: bool,
) -> KnownTown {
    KnownTown {
        id,
        name: name.to_owned(),
        country: CountryCode::parse(country).expect("a country code"),
        coordinates: coordinates.map(|(la, lo)| Coordinates::new(la, lo).expect("in range")),
        wikidata: wikidata.map(|q| WikidataId::parse(q).expect("an item id")),
        municipality: register.then(|| name.to_owned()),
    }
}

/// What the store holds after writing `plan` (as stedenband-store's `world_import` writes it):
/// the new towns, the known towns with what they lacked filled in, the new pairs and the years
/// added to stored pairs.
fn apply(
    plan: &Plan,
    mut towns: Vec<KnownTown>,
    mut pairs: Vec<KnownPair>,
) -> (Vec<KnownTown>, Vec<KnownPair>) {
    let fills: HashMap<i64, _> = plan.town_fills.iter().map(|f| (f.id, f)).collect();
    for t in &mut towns {
        if let Some(f) = fills.get(&t.id) {
            if t.coordinates.is_none() {
                t.coordinates = f.coordinates;
            }
            if t.wikidata.is_none() {
                t.wikidata = f.wikidata.clone();
            }
        }
    }
    towns.extend(plan.new_towns.iter().map(|n| KnownTown {
        id: n.id,
        name: n.town.name.clone(),
        country: n.town.country,
        coordinates: n.town.coordinates,
        wikidata: n.town.wikidata.clone(),
        municipality: None,
    }));
    for f in &plan.pair_fills {
        let p = pairs
            .iter_mut()
            .find(|p| (p.a.min(p.b), p.a.max(p.b)) == (f.a, f.b))
            .expect("years are added to a stored pair");
        p.start_year = f.start_year;
        p.end_year = f.end_year;
    }
    pairs.extend(plan.new_pairs.iter().map(|p| KnownPair {
        a: p.a,
        b: p.b,
        start_year: p.start_year,
        end_year: p.end_year,
    }));
    (towns, pairs)
}

/// Reads `bytes` as a municipality document; an accepted one must survive being written and
/// read again.
pub fn municipality_json(bytes: &[u8]) {
    let doc = match Document::from_slice(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let written = doc.to_vec();
    let again = match Document::from_slice(&written) {
        Ok(again) => again,
        Err(e) => panic!(
            "a document it accepted is refused once written: {e}\n{}",
            String::from_utf8_lossy(&written)
        ),
    };
    assert_eq!(again, doc, "the document changed in its round trip");
    assert_eq!(again.to_vec(), written, "written twice, different bytes");
}
