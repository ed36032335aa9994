//! Lineage: municipalities merged into a successor on a date.
//!
//! Leidschendam and Voorburg merged into Leidschendam-Voorburg on 1 January 2002. A predecessor
//! merges once; its partnerships carry over to the successor (and to the successor's successor),
//! still naming the municipality that entered them.

use crate::error::{ValidationErrors, given};
use crate::municipality::MunicipalityId;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One merger: some predecessors became one successor on `effective_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Merger {
    pub successor: MunicipalityId,
    pub predecessors: Vec<MunicipalityId>,
    pub effective_on: Date,
}

/// Raw merger input; municipalities are named by id or slug and resolved by the service.
#[derive(Debug, Clone, Default)]
pub struct MergerInput {
    pub successor: Option<String>,
    pub predecessors: Vec<String>,
    pub effective_on: Option<String>,
}

impl Merger {
    /// Checks a merger against the lineage already recorded. Refuses a municipality merging
    /// into itself, a predecessor that already merged, and anything that would make a cycle.
    pub fn new(
        successor: MunicipalityId,
        predecessors: Vec<MunicipalityId>,
        effective_on: Date,
        existing: &LineageMap,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let unique: HashSet<_> = predecessors.iter().collect();
        let successor_chain: Vec<_> = existing
            .successors(&successor)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if predecessors.is_empty() {
            e.push("predecessors", "error-required");
        } else if unique.len() != predecessors.len() {
            e.push("predecessors", "error-merger-duplicate");
        } else if predecessors.contains(&successor) {
            e.push("predecessors", "error-merger-self");
        } else if predecessors.iter().any(|p| existing.0.contains_key(p)) {
            e.push("predecessors", "error-merger-already-merged");
        } else if predecessors.iter().any(|p| successor_chain.contains(p)) {
            e.push("predecessors", "error-merger-cycle");
        } else if existing
            .successors(&successor)
            .first()
            .is_some_and(|(_, d)| *d <= effective_on)
        {
            e.push("effectiveOn", "error-merger-successor-gone");
        }
        e.finish(|| Merger {
            successor,
            predecessors,
            effective_on,
        })
    }
}

/// Parses the date of a merger input.
pub fn parse_effective_on(input: &MergerInput) -> Result<Date, ValidationErrors> {
    crate::date::parse_date(given(&input.effective_on).unwrap_or(""))
        .map_err(|key| ValidationErrors::single("effectiveOn", key))
}

/// All recorded lineage: predecessor -> (successor, date of the merger).
#[derive(Debug, Clone, Default)]
pub struct LineageMap(pub HashMap<MunicipalityId, (MunicipalityId, Date)>);

impl LineageMap {
    /// The chain of successors of `id`, nearest first, each with the date it took over.
    pub fn successors(&self, id: &MunicipalityId) -> Vec<(MunicipalityId, Date)> {
        let mut out: Vec<(MunicipalityId, Date)> = Vec::new();
        let mut cur = id;
        while let Some((next, date)) = self.0.get(cur) {
            if next == id || out.iter().any(|(o, _)| o == next) {
                break; // a cycle cannot be stored, but never loop on bad data
            }
            out.push((next.clone(), *date));
            cur = next;
        }
        out
    }

    /// Who holds what `entered_by` entered: the last successor and the date it took over, or
    /// the municipality itself (with no date) when it never merged.
    pub fn holder(&self, entered_by: &MunicipalityId) -> (MunicipalityId, Option<Date>) {
        match self.successors(entered_by).pop() {
            Some((id, date)) => (id, Some(date)),
            None => (entered_by.clone(), None),
        }
    }

    /// `id` and every municipality that merged into it, directly or through others.
    pub fn with_predecessors(&self, id: &MunicipalityId) -> Vec<MunicipalityId> {
        let mut out = vec![id.clone()];
        let mut i = 0;
        while i < out.len() {
            let cur = out[i].clone();
            let mut direct: Vec<_> = self
                .0
                .iter()
                .filter(|(_, (s, _))| *s == cur)
                .map(|(p, _)| p.clone())
                .collect();
            direct.sort();
            for p in direct {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            i += 1;
        }
        out
    }

    /// The direct predecessors of `id` with their merger dates.
    pub fn predecessors(&self, id: &MunicipalityId) -> Vec<(MunicipalityId, Date)> {
        let mut v: Vec<_> = self
            .0
            .iter()
            .filter(|(_, (s, _))| s == id)
            .map(|(p, (_, d))| (p.clone(), *d))
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> MunicipalityId {
        MunicipalityId(s.into())
    }

    fn date(y: i16) -> Date {
        Date::new(y, 1, 1).unwrap()
    }

    fn map(edges: &[(&str, &str, i16)]) -> LineageMap {
        LineageMap(
            edges
                .iter()
                .map(|(p, s, y)| (id(p), (id(s), date(*y))))
                .collect(),
        )
    }

    #[test]
    fn leidschendam_and_voorburg_merge() {
        let m = Merger::new(id("lv"), vec![id("l"), id("v")], date(2002), &map(&[])).unwrap();
        assert_eq!(m.predecessors.len(), 2);
    }

    #[test]
    fn impossible_mergers_are_refused() {
        let none = map(&[]);
        let key = |r: Result<Merger, ValidationErrors>| r.unwrap_err().0[0].key;
        let d = date(2002);
        assert_eq!(
            key(Merger::new(id("a"), vec![], d, &none)),
            "error-required"
        );
        assert_eq!(
            key(Merger::new(id("a"), vec![id("a")], d, &none)),
            "error-merger-self"
        );
        assert_eq!(
            key(Merger::new(id("a"), vec![id("b"), id("b")], d, &none)),
            "error-merger-duplicate"
        );
        let existing = map(&[("b", "a", 2000)]);
        assert_eq!(
            key(Merger::new(id("c"), vec![id("b")], d, &existing)),
            "error-merger-already-merged"
        );
        // b merged into a, a into c; c cannot now merge into b.
        let existing = map(&[("b", "a", 1990), ("a", "c", 2000)]);
        assert_eq!(
            key(Merger::new(id("b"), vec![id("c")], d, &existing)),
            "error-merger-cycle"
        );
        // a merged into c in 2000: nothing can merge into a after that.
        assert_eq!(
            key(Merger::new(id("a"), vec![id("x")], d, &existing)),
            "error-merger-successor-gone"
        );
    }

    #[test]
    fn partnerships_carry_over_to_the_last_successor() {
        let lineage = map(&[("v", "lv", 2002), ("l", "lv", 2002), ("lv", "x", 2030)]);
        assert_eq!(
            lineage.successors(&id("v")),
            vec![(id("lv"), date(2002)), (id("x"), date(2030))]
        );
        assert_eq!(lineage.holder(&id("v")), (id("x"), Some(date(2030))));
        assert_eq!(lineage.holder(&id("x")), (id("x"), None));
        assert_eq!(
            lineage.with_predecessors(&id("x")),
            vec![id("x"), id("lv"), id("l"), id("v")]
        );
        assert_eq!(
            lineage.predecessors(&id("lv")),
            vec![(id("l"), date(2002)), (id("v"), date(2002))]
        );
    }
}
