//! Reconciliation: which rows of a list are new towns and new pairs, which only repeat what is
//! known, and which are rejected. Pure: the caller reads the known towns and pairs, hands them
//! in with the rows, and writes the plan in one transaction.
//!
//! A town of a row is the same as a known town when
//! 1. both carry the same Wikidata id; or
//! 2. they are in the same country and their names fold to the same text (diacritics, case and
//!    punctuation aside: "Dobřany" = "Dobrany", "Leidschendam Voorburg" = "Leidschendam-Voorburg"),
//!    and, when both have coordinates, they lie within [`SAME_NAME_KM`]; or
//! 3. they are in the same country, both have coordinates within [`VARIANT_KM`], and the folded
//!    names are spelling variants (normalised Damerau-Levenshtein similarity at least
//!    [`VARIANT_SIMILARITY`]: "Slovenske Konjice" and "Slovenská Konjice").
//!
//! Known towns include the register's own municipalities, so a list's "Hranice" links to the
//! register's Hranice instead of becoming a second one.

use super::input::RawRow;
use super::{CheckedPair, CheckedTown, Rejection, geo};
use crate::country::CountryCode;
use crate::municipality::{Coordinates, WikidataId};
use crate::text::fold;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Same name, same country: one town when no farther apart than this (km). Generous, because
/// geocoded lists place a town at its district's or province's centre.
pub const SAME_NAME_KM: f64 = 50.0;
/// Spelling variants must lie this close (km).
pub const VARIANT_KM: f64 = 5.0;
/// Minimal similarity of two folded names to count as spelling variants.
pub const VARIANT_SIMILARITY: f64 = 0.8;

/// A town already stored.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownTown {
    pub id: i64,
    pub name: String,
    pub country: CountryCode,
    pub coordinates: Option<Coordinates>,
    pub wikidata: Option<WikidataId>,
    /// The register's municipality this town is, if any.
    pub municipality: Option<String>,
}

/// A pair already stored, its towns in either order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownPair {
    pub a: i64,
    pub b: i64,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
}

/// A pair's years as known so far, and whether it is stored (else new in this file).
type KnownYears = (Option<i32>, Option<i32>, bool);

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// A new pair.
    Imported,
    /// The pair was known already (stored, or earlier in the same file).
    Merged,
    Rejected(Rejection),
}

/// A new town, with the id it will be stored under.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTown {
    pub id: i64,
    pub town: CheckedTown,
}

/// A known town that gains what it lacked.
#[derive(Debug, Clone, PartialEq)]
pub struct TownFill {
    pub id: i64,
    pub coordinates: Option<Coordinates>,
    pub wikidata: Option<WikidataId>,
}

/// A pair to store (lower town id first), or the years to add to a stored pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedPair {
    pub a: i64,
    pub b: i64,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    /// The row it came from.
    pub row: u64,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub imported: usize,
    pub merged: usize,
    pub rejected: usize,
    /// Rejected rows per reason key.
    pub rejected_by_reason: BTreeMap<&'static str, usize>,
    pub towns_new: usize,
    /// Distinct known towns the rows named (the register's included).
    pub towns_matched: usize,
    /// Register municipalities the rows linked to, by name.
    pub register_links: Vec<String>,
    /// Rows whose town was a spelling variant of a known one (rule 3).
    pub variants_merged: usize,
}

/// Everything an import will write, and what became of each row.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub new_towns: Vec<NewTown>,
    pub town_fills: Vec<TownFill>,
    pub new_pairs: Vec<PlannedPair>,
    pub pair_fills: Vec<PlannedPair>,
    /// Per row, in file order: its number and outcome.
    pub outcomes: Vec<(u64, RowOutcome)>,
    pub summary: Summary,
}

impl Plan {
    /// True when the import would change nothing.
    pub fn changes_nothing(&self) -> bool {
        self.new_towns.is_empty()
            && self.town_fills.is_empty()
            && self.new_pairs.is_empty()
            && self.pair_fills.is_empty()
    }
}

struct Entry {
    id: i64,
    name: String,
    folded: String,
    country: CountryCode,
    coordinates: Option<Coordinates>,
    register: bool,
}

#[derive(Default)]
struct Towns {
    entries: Vec<Entry>,
    by_key: HashMap<(CountryCode, String), Vec<usize>>,
    by_wikidata: HashMap<String, usize>,
    grid: HashMap<(CountryCode, i32, i32), Vec<usize>>,
}

fn cell(c: Coordinates) -> (i32, i32) {
    (
        (c.latitude() * 10.0).floor() as i32,
        (c.longitude() * 10.0).floor() as i32,
    )
}

enum Found {
    Same(usize),
    Variant(usize),
    None,
}

impl Towns {
    fn add(&mut self, e: Entry, wikidata: Option<&WikidataId>) -> usize {
        let i = self.entries.len();
        self.by_key
            .entry((e.country, e.folded.clone()))
            .or_default()
            .push(i);
        if let Some(q) = wikidata {
            self.by_wikidata.entry(q.as_str().to_owned()).or_insert(i);
        }
        if let Some(c) = e.coordinates {
            let (y, x) = cell(c);
            self.grid.entry((e.country, y, x)).or_default().push(i);
        }
        self.entries.push(e);
        i
    }

    /// Gives a town without a position its position, and puts it on the grid.
    fn place(&mut self, i: usize, c: Coordinates) {
        let e = &mut self.entries[i];
        e.coordinates = Some(c);
        let (y, x) = cell(c);
        self.grid.entry((e.country, y, x)).or_default().push(i);
    }

    fn find(&self, t: &CheckedTown, folded: &str) -> Found {
        if let Some(&i) = t
            .wikidata
            .as_ref()
            .and_then(|q| self.by_wikidata.get(q.as_str()))
        {
            return Found::Same(i);
        }
        if let Some(candidates) = self.by_key.get(&(t.country, folded.to_owned())) {
            match t.coordinates {
                None => {
                    // Without coordinates: the register's town first, then the first known.
                    let best = candidates
                        .iter()
                        .copied()
                        .find(|&i| self.entries[i].register)
                        .unwrap_or(candidates[0]);
                    return Found::Same(best);
                }
                Some(c) => {
                    let mut best: Option<(f64, usize)> = None;
                    for &i in candidates {
                        let d = match self.entries[i].coordinates {
                            Some(k) => geo::distance_km(c, k),
                            None => SAME_NAME_KM, // unknown position: accept, after any nearer one
                        };
                        if d <= SAME_NAME_KM && best.is_none_or(|(bd, _)| d < bd) {
                            best = Some((d, i));
                        }
                    }
                    if let Some((_, i)) = best {
                        return Found::Same(i);
                    }
                }
            }
        }
        if let Some(c) = t.coordinates {
            let (y, x) = cell(c);
            let mut best: Option<(f64, usize)> = None;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let Some(list) = self.grid.get(&(t.country, y + dy, x + dx)) else {
                        continue;
                    };
                    for &i in list {
                        let e = &self.entries[i];
                        let Some(k) = e.coordinates else { continue };
                        let d = geo::distance_km(c, k);
                        if d > VARIANT_KM {
                            continue;
                        }
                        let sim = strsim::normalized_damerau_levenshtein(folded, &e.folded);
                        if sim >= VARIANT_SIMILARITY && best.is_none_or(|(bd, _)| d < bd) {
                            best = Some((d, i));
                        }
                    }
                }
            }
            if let Some((_, i)) = best {
                return Found::Variant(i);
            }
        }
        Found::None
    }
}

/// Reconciles `rows` with what is known. `progress` is called with the number of rows done
/// now and then (every 1,024 rows and at the end).
pub fn reconcile(
    known_towns: &[KnownTown],
    known_pairs: &[KnownPair],
    rows: &[RawRow],
    progress: &mut dyn FnMut(usize),
) -> Plan {
    let mut towns = Towns::default();
    for k in known_towns {
        towns.add(
            Entry {
                id: k.id,
                name: k.name.clone(),
                folded: fold(&k.name),
                country: k.country,
                coordinates: k.coordinates,
                register: k.municipality.is_some(),
            },
            k.wikidata.as_ref(),
        );
    }
    let has_wikidata: HashSet<i64> = known_towns
        .iter()
        .filter(|k| k.wikidata.is_some())
        .map(|k| k.id)
        .collect();
    let mut next_id = known_towns.iter().map(|k| k.id).max().unwrap_or(0) + 1;
    let mut pairs: HashMap<(i64, i64), KnownYears> = known_pairs
        .iter()
        .map(|p| {
            (
                (p.a.min(p.b), p.a.max(p.b)),
                (p.start_year, p.end_year, true),
            )
        })
        .collect();

    let mut plan = Plan::default();
    let mut fills: BTreeMap<i64, TownFill> = BTreeMap::new();
    let mut pair_fills: BTreeMap<(i64, i64), PlannedPair> = BTreeMap::new();
    let mut matched: std::collections::HashSet<i64> = Default::default();
    let mut register_links: std::collections::BTreeSet<String> = Default::default();
    let mut new_index: HashMap<i64, usize> = HashMap::new();

    // Pass 1: every town of every row is found or made, in file order.
    let mut first: Vec<Option<(i64, i64)>> = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        if n % 1024 == 0 && n > 0 {
            progress(n / 2);
        }
        let Ok(pair) = &row.outcome else {
            first.push(None);
            continue;
        };
        let mut resolve = |t: &CheckedTown| -> i64 {
            let folded = fold(&t.name);
            match towns.find(t, &folded) {
                Found::Same(i) | Found::Variant(i) => {
                    complete(
                        &mut towns,
                        i,
                        t,
                        &mut plan.new_towns,
                        &new_index,
                        &mut fills,
                        &has_wikidata,
                    );
                    towns.entries[i].id
                }
                Found::None => {
                    let id = next_id;
                    next_id += 1;
                    towns.add(
                        Entry {
                            id,
                            name: t.name.clone(),
                            folded,
                            country: t.country,
                            coordinates: t.coordinates,
                            register: false,
                        },
                        t.wikidata.as_ref(),
                    );
                    new_index.insert(id, plan.new_towns.len());
                    plan.new_towns.push(NewTown {
                        id,
                        town: t.clone(),
                    });
                    id
                }
            }
        };
        let a = resolve(&pair.a);
        let b = resolve(&pair.b);
        first.push(Some((a, b)));
    }
    // Pass 2: every row again against all towns, so that a row early in the file meets the
    // same towns as it would in a second import (and the result does not depend on the order).
    let is_new: std::collections::HashSet<i64> = plan.new_towns.iter().map(|t| t.id).collect();
    for (n, row) in rows.iter().enumerate() {
        if n % 1024 == 0 && n > 0 {
            progress((rows.len() + n) / 2);
        }
        plan.summary.rows += 1;
        let outcome = match (&row.outcome, first[n]) {
            (Err(r), _) => RowOutcome::Rejected(r.clone()),
            (Ok(pair), Some((a0, b0))) => {
                let mut again = |t: &CheckedTown, fallback: i64| -> i64 {
                    let found = towns.find(t, &fold(&t.name));
                    if matches!(found, Found::Variant(_)) {
                        plan.summary.variants_merged += 1;
                    }
                    // The town this pass finds may be another than pass 1 found (one made
                    // later in the file, by a row without a position): it keeps what the row
                    // knows as well, or a second import would still have something to add.
                    if let Found::Same(i) | Found::Variant(i) = found {
                        complete(
                            &mut towns,
                            i,
                            t,
                            &mut plan.new_towns,
                            &new_index,
                            &mut fills,
                            &has_wikidata,
                        );
                    }
                    let (id, entry) = match found {
                        Found::Same(i) | Found::Variant(i) => (towns.entries[i].id, Some(i)),
                        Found::None => (fallback, None),
                    };
                    if !is_new.contains(&id)
                        && matched.insert(id)
                        && let Some(i) = entry
                        && towns.entries[i].register
                    {
                        register_links.insert(towns.entries[i].name.clone());
                    }
                    id
                };
                let a = again(&pair.a, a0);
                let b = again(&pair.b, b0);
                if a == b {
                    RowOutcome::Rejected(Rejection::SelfPair)
                } else {
                    record_pair(
                        &mut plan,
                        &mut pairs,
                        &mut pair_fills,
                        a,
                        b,
                        pair,
                        row.number,
                    )
                }
            }
            (Ok(_), None) => unreachable!("pass 1 resolves every accepted row"),
        };
        match &outcome {
            RowOutcome::Imported => plan.summary.imported += 1,
            RowOutcome::Merged => plan.summary.merged += 1,
            RowOutcome::Rejected(r) => {
                plan.summary.rejected += 1;
                *plan.summary.rejected_by_reason.entry(r.key()).or_default() += 1;
            }
        }
        plan.outcomes.push((row.number, outcome));
    }
    progress(rows.len());
    // A new town that no accepted row kept (both sides resolved, then the row was a self-pair)
    // is still written only if a pair uses it.
    let used: std::collections::HashSet<i64> =
        plan.new_pairs.iter().flat_map(|p| [p.a, p.b]).collect();
    plan.new_towns.retain(|t| used.contains(&t.id));
    plan.summary.towns_new = plan.new_towns.len();
    plan.summary.towns_matched = matched.len();
    plan.summary.register_links = register_links.into_iter().collect();
    plan.town_fills = fills.into_values().collect();
    plan.pair_fills = pair_fills.into_values().collect();
    plan
}

/// What a row knows that the town it matched lacked (a position, a Wikidata id) is kept: in
/// place for a town new in this file, as a fill for a stored one; and it is matched on from now
/// on (a later namesake far away stays another town).
fn complete(
    towns: &mut Towns,
    i: usize,
    t: &CheckedTown,
    new_towns: &mut [NewTown],
    new_index: &HashMap<i64, usize>,
    fills: &mut BTreeMap<i64, TownFill>,
    has_wikidata: &HashSet<i64>,
) {
    let id = towns.entries[i].id;
    let lacks_coordinates = towns.entries[i].coordinates.is_none();
    let lacks_wikidata = !has_wikidata.contains(&id);
    if lacks_coordinates && let Some(c) = t.coordinates {
        towns.place(i, c);
    }
    if let Some(q) = &t.wikidata {
        towns.by_wikidata.entry(q.as_str().to_owned()).or_insert(i);
    }
    if let Some(&ni) = new_index.get(&id) {
        let nt = &mut new_towns[ni].town;
        if nt.coordinates.is_none() {
            nt.coordinates = t.coordinates;
        }
        if nt.wikidata.is_none() {
            nt.wikidata = t.wikidata.clone();
        }
    } else if (lacks_coordinates && t.coordinates.is_some())
        || (lacks_wikidata && t.wikidata.is_some())
    {
        let f = fills.entry(id).or_insert(TownFill {
            id,
            coordinates: None,
            wikidata: None,
        });
        if lacks_coordinates && f.coordinates.is_none() {
            f.coordinates = t.coordinates;
        }
        if lacks_wikidata && f.wikidata.is_none() {
            f.wikidata = t.wikidata.clone();
        }
    }
}

fn record_pair(
    plan: &mut Plan,
    pairs: &mut HashMap<(i64, i64), KnownYears>,
    pair_fills: &mut BTreeMap<(i64, i64), PlannedPair>,
    a: i64,
    b: i64,
    pair: &CheckedPair,
    row: u64,
) -> RowOutcome {
    let key = (a.min(b), a.max(b));
    match pairs.get_mut(&key) {
        None => {
            pairs.insert(key, (pair.start_year, pair.end_year, false));
            plan.new_pairs.push(PlannedPair {
                a: key.0,
                b: key.1,
                start_year: pair.start_year,
                end_year: pair.end_year,
                row,
            });
            RowOutcome::Imported
        }
        Some((start, end, stored)) => {
            // Years are added where missing, never so that the end falls before the start.
            let add_start = start.is_none()
                && pair.start_year.is_some_and(|s| {
                    end.is_none_or(|e| e >= s) && pair.end_year.is_none_or(|e| e >= s)
                });
            let add_end = end.is_none()
                && pair.end_year.is_some_and(|e| {
                    start.is_none_or(|s| e >= s) && pair.start_year.is_none_or(|s| e >= s)
                });
            if add_start {
                *start = pair.start_year;
            }
            if add_end {
                *end = pair.end_year;
            }
            if add_start || add_end {
                if *stored {
                    pair_fills.insert(
                        key,
                        PlannedPair {
                            a: key.0,
                            b: key.1,
                            start_year: *start,
                            end_year: *end,
                            row,
                        },
                    );
                } else if let Some(p) = plan.new_pairs.iter_mut().rev().find(|p| (p.a, p.b) == key)
                {
                    p.start_year = *start;
                    p.end_year = *end;
                }
            }
            RowOutcome::Merged
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, country: &str, at: Option<(f64, f64)>) -> CheckedTown {
        CheckedTown {
            name: name.to_owned(),
            country: CountryCode::parse(country).unwrap(),
            region: None,
            coordinates: at.map(|(a, b)| Coordinates::new(a, b).unwrap()),
            wikidata: None,
        }
    }

    fn row(number: u64, a: CheckedTown, b: CheckedTown) -> RawRow {
        RawRow {
            number,
            original: vec![],
            outcome: Ok(CheckedPair {
                a,
                b,
                start_year: None,
                end_year: None,
            }),
        }
    }

    fn known(plan: &Plan, before: &[KnownTown]) -> (Vec<KnownTown>, Vec<KnownPair>) {
        let mut towns = before.to_vec();
        towns.extend(plan.new_towns.iter().map(|n| KnownTown {
            id: n.id,
            name: n.town.name.clone(),
            country: n.town.country,
            coordinates: n.town.coordinates,
            wikidata: n.town.wikidata.clone(),
            municipality: None,
        }));
        let pairs = plan
            .new_pairs
            .iter()
            .map(|p| KnownPair {
                a: p.a,
                b: p.b,
                start_year: p.start_year,
                end_year: p.end_year,
            })
            .collect();
        (towns, pairs)
    }

    #[test]
    fn variants_merge_and_distant_namesakes_do_not() {
        let register = KnownTown {
            id: 7,
            name: "Hranice".into(),
            country: CountryCode::parse("CZ").unwrap(),
            coordinates: Some(Coordinates::new(49.5482, 17.7347).unwrap()),
            wikidata: None,
            municipality: Some("m-hranice".into()),
        };
        let rows = vec![
            // Diacritics and case: the register's Hranice.
            row(
                2,
                t("HRANICE", "CZ", Some((49.55, 17.73))),
                t("Dobřany", "CZ", Some((49.6539, 13.2903))),
            ),
            // The same pair the other way round, without accents: merged.
            row(3, t("Dobrany", "CZ", None), t("Hranice", "CZ", None)),
            // A spelling variant 1 km away: the same town.
            row(
                4,
                t("Dobrzany", "CZ", Some((49.66, 13.29))),
                t("Plzeň", "CZ", Some((49.74, 13.37))),
            ),
            // A namesake 150 km away: another town (Hranice u Aše is far west).
            row(
                5,
                t("Hranice", "CZ", Some((50.3, 12.2))),
                t("Plzen", "CZ", Some((49.74, 13.37))),
            ),
            // Self-pair after reconciliation.
            row(6, t("Plzen", "CZ", None), t("Plzeň", "CZ", None)),
        ];
        let plan = reconcile(std::slice::from_ref(&register), &[], &rows, &mut |_| {});
        let outcomes: Vec<&RowOutcome> = plan.outcomes.iter().map(|(_, o)| o).collect();
        assert_eq!(
            outcomes,
            [
                &RowOutcome::Imported,
                &RowOutcome::Merged,
                &RowOutcome::Imported,
                &RowOutcome::Imported,
                &RowOutcome::Rejected(Rejection::SelfPair),
            ]
        );
        // Dobřany, Plzeň and the second Hranice are new; the register's Hranice is linked.
        let names: Vec<&str> = plan
            .new_towns
            .iter()
            .map(|n| n.town.name.as_str())
            .collect();
        assert_eq!(names, ["Dobřany", "Plzeň", "Hranice"]);
        assert_eq!(plan.summary.register_links, ["Hranice"]);
        assert_eq!(plan.new_pairs[0].a, 7);
        assert!(plan.summary.variants_merged >= 1);
        assert_eq!(plan.summary.rows, 5);
        // Importing the same rows again changes nothing.
        let (towns, pairs) = known(&plan, &[register]);
        let again = reconcile(&towns, &pairs, &rows, &mut |_| {});
        assert!(again.changes_nothing(), "{again:?}");
        assert_eq!(again.summary.merged, 4);
    }

    #[test]
    fn positions_learned_during_an_import_keep_namesakes_apart() {
        // A town first met without a position, then at 50N 10E, then a namesake 111 km north.
        let rows = vec![
            row(2, t("Foo", "DE", None), t("Alpha", "DE", None)),
            row(3, t("Foo", "DE", Some((50.0, 10.0))), t("Beta", "DE", None)),
            row(
                4,
                t("Foo", "DE", Some((51.0, 10.0))),
                t("Gamma", "DE", None),
            ),
        ];
        let plan = reconcile(&[], &[], &rows, &mut |_| {});
        let foos = plan
            .new_towns
            .iter()
            .filter(|n| n.town.name == "Foo")
            .count();
        assert_eq!(foos, 2);
        let (towns, pairs) = known(&plan, &[]);
        let again = reconcile(&towns, &pairs, &rows, &mut |_| {});
        assert!(again.changes_nothing(), "{again:?}");
    }

    #[test]
    fn a_town_pass_two_finds_keeps_the_rows_position() {
        // Found by the fuzzer (fuzz/corpus/world_json_rows/regression-pass-two-position.json).
        // Pass 1 takes "Berav" with a position for a spelling variant of the stored Berat
        // (4.9 km away), then makes a town "Berav" for a row without a position; pass 2 finds
        // that town by name for the first row. It must keep the first row's position, or the
        // second import of the same file fills it in: an import that is not idempotent.
        let berat = KnownTown {
            id: 5,
            name: "Berat".into(),
            country: CountryCode::parse("AL").unwrap(),
            coordinates: Some(Coordinates::new(40.7022, 19.9583).unwrap()),
            wikidata: None,
            municipality: None,
        };
        let rows = vec![
            row(1, t("Berav", "AL", Some((40.7, 19.9))), t("F", "IT", None)),
            row(2, t("Berav", "AL", None), t("r", "CZ", None)),
        ];
        let plan = reconcile(std::slice::from_ref(&berat), &[], &rows, &mut |_| {});
        let berav = plan
            .new_towns
            .iter()
            .find(|n| n.town.name == "Berav")
            .expect("Berav is a new town");
        assert_eq!(
            berav.town.coordinates,
            Some(Coordinates::new(40.7, 19.9).unwrap())
        );
        let (towns, pairs) = known(&plan, &[berat]);
        let again = reconcile(&towns, &pairs, &rows, &mut |_| {});
        assert!(again.changes_nothing(), "{again:?}");
    }

    #[test]
    fn years_fill_a_known_pair_and_wikidata_ids_match() {
        let mut a = t("Temecula", "US", None);
        a.wikidata = Some(WikidataId::parse("Q1013508").unwrap());
        let known_towns = vec![
            KnownTown {
                id: 1,
                name: "Temecula, California".into(),
                country: CountryCode::parse("US").unwrap(),
                coordinates: None,
                wikidata: Some(WikidataId::parse("Q1013508").unwrap()),
                municipality: None,
            },
            KnownTown {
                id: 2,
                name: "Daisen".into(),
                country: CountryCode::parse("JP").unwrap(),
                coordinates: None,
                wikidata: None,
                municipality: None,
            },
        ];
        let pairs = [KnownPair {
            a: 1,
            b: 2,
            start_year: None,
            end_year: None,
        }];
        let mut r = row(2, a, t("Daisen", "JP", Some((35.5, 133.5))));
        if let Ok(p) = &mut r.outcome {
            p.start_year = Some(1991);
        }
        let plan = reconcile(&known_towns, &pairs, &[r], &mut |_| {});
        assert_eq!(plan.outcomes[0].1, RowOutcome::Merged);
        assert!(plan.new_towns.is_empty());
        assert_eq!(plan.pair_fills.len(), 1);
        assert_eq!(plan.pair_fills[0].start_year, Some(1991));
        // Daisen gains its position.
        assert_eq!(plan.town_fills.len(), 1);
        assert_eq!(plan.town_fills[0].id, 2);
    }
}
