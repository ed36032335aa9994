//! The world's twinnings as a graph held in memory: towns are nodes, a pair is an edge carrying
//! every record of it (world lists and the register's partnerships). Built once from the stored
//! data and rebuilt after writes; every question here is answered without the database.

use super::geo;
use crate::country::CountryCode;
use crate::municipality::Coordinates;
use crate::text::fold;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// The maps the graph is built on. Their keys are stored ids and node numbers, inserted only
/// from the database (a request only looks up), so a fast hash without a secret key is safe
/// here, and it keeps the rebuild after a register write short.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The records of one pair.
type Records = smallvec::SmallVec<[Link; 1]>;

/// The register municipality a town is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterLink {
    pub id: String,
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GraphTown {
    pub id: i64,
    /// Shared, not copied: the lists' towns are cloned into every rebuild of the graph.
    pub name: Arc<str>,
    pub country: CountryCode,
    pub region: Option<Arc<str>>,
    pub coordinates: Option<Coordinates>,
    pub population: Option<u64>,
    pub municipality: Option<RegisterLink>,
    /// The list it was first imported from; `None` for the register's own.
    pub source: Option<i64>,
}

/// A list the world data came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphSource {
    pub id: i64,
    pub label: String,
    pub attribution: Option<String>,
}

/// One record of a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    World {
        source: i64,
        start_year: Option<i32>,
        end_year: Option<i32>,
    },
    Register {
        partnership: String,
        kind: String,
        start_year: i32,
        end_year: Option<i32>,
        status: Option<String>,
    },
}

impl Link {
    pub fn is_register(&self) -> bool {
        matches!(self, Self::Register { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphEdge {
    pub a: i64,
    pub b: i64,
    pub link: Link,
}

/// A node index into the graph.
pub type Node = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    pub size: u32,
    /// Its most connected town.
    pub representative: Node,
}

/// Why a town is suggested, each a stated and checkable reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Twinned with this many of the municipality's partners (named).
    PartnersOfPartners { via: Vec<Node> },
    /// In a country none of the partners is in.
    NewCountry { country: CountryCode },
    /// Both populations known and within a factor of two.
    SimilarSize { population: u64 },
    /// Within a day's travel over land (300-1,500 km).
    Reachable { km: u32 },
    /// Has many partners: experienced in twinning.
    Active { partners: u32 },
}

impl Reason {
    /// The points this reason adds.
    pub fn points(&self) -> u32 {
        match self {
            Self::PartnersOfPartners { via } => 3 * via.len() as u32,
            Self::NewCountry { .. } => 2,
            Self::SimilarSize { .. } => 2,
            Self::Reachable { .. } => 1,
            Self::Active { .. } => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub town: Node,
    pub score: u32,
    pub km: Option<u32>,
    pub reasons: Vec<Reason>,
}

/// Figures of one country.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountryFigures {
    pub towns: u32,
    pub twinned_towns: u32,
    pub pairs_within: u32,
    pub pairs_abroad: u32,
    /// Pairs per partner country, most first.
    pub partner_countries: Vec<(CountryCode, u32)>,
}

#[derive(Debug, Default)]
pub struct WorldGraph {
    towns: Vec<GraphTown>,
    sources: Vec<GraphSource>,
    by_id: FastMap<i64, Node>,
    /// Sorted neighbours per node.
    adjacency: Vec<Vec<Node>>,
    /// The records of each pair (most pairs have one, held without an allocation).
    links: FastMap<(Node, Node), Records>,
    /// (folded text from a word start, node), sorted: prefix search on names and on later words.
    search_keys: Vec<(String, Node)>,
    component: Vec<u32>,
    components: Vec<Component>,
    by_country: BTreeMap<CountryCode, Vec<Node>>,
    pairs: usize,
}

/// Sorts the search keys as `sort_unstable` would, faster: each key's first eight bytes, read
/// as a big-endian number, order keys as their text does (folded text holds no NUL to tell
/// "ab" from "ab" padded), so most comparisons are one of integers, not of strings.
fn sorted_keys(keys: Vec<(String, Node)>) -> Vec<(String, Node)> {
    let mut keyed: Vec<(u64, String, Node)> = keys
        .into_iter()
        .map(|(k, n)| {
            let mut head = [0u8; 8];
            let len = k.len().min(8);
            head[..len].copy_from_slice(&k.as_bytes()[..len]);
            (u64::from_be_bytes(head), k, n)
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, k, n)| (k, n)).collect()
}

fn key(a: Node, b: Node) -> (Node, Node) {
    (a.min(b), a.max(b))
}

impl WorldGraph {
    /// Builds the graph. Edges naming unknown towns or a town twice are left out (the store's
    /// constraints keep them from existing).
    pub fn build(towns: Vec<GraphTown>, sources: Vec<GraphSource>, edges: Vec<GraphEdge>) -> Self {
        let by_id: FastMap<i64, Node> = towns
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i as Node))
            .collect();
        let mut adjacency: Vec<Vec<Node>> = vec![Vec::new(); towns.len()];
        let mut links: FastMap<(Node, Node), Records> =
            FastMap::with_capacity_and_hasher(edges.len(), Default::default());
        for e in edges {
            let (Some(&a), Some(&b)) = (by_id.get(&e.a), by_id.get(&e.b)) else {
                continue;
            };
            if a == b {
                continue;
            }
            let entry = links.entry(key(a, b)).or_default();
            if entry.is_empty() {
                adjacency[a as usize].push(b);
                adjacency[b as usize].push(a);
            }
            entry.push(e.link);
        }
        for list in &mut adjacency {
            list.sort_unstable();
        }
        for list in links.values_mut() {
            // Register records first, then the lists.
            list.sort_by_key(|l| !l.is_register());
        }
        let mut search_keys = Vec::with_capacity(towns.len() * 2);
        let mut by_country: BTreeMap<CountryCode, Vec<Node>> = BTreeMap::new();
        for (i, t) in towns.iter().enumerate() {
            let folded = fold(&t.name);
            let mut start = 0;
            loop {
                search_keys.push((folded[start..].to_owned(), i as Node));
                match folded[start..].find(' ') {
                    Some(p) => start += p + 1,
                    None => break,
                }
            }
            by_country.entry(t.country).or_default().push(i as Node);
        }
        let search_keys = sorted_keys(search_keys);
        let pairs = links.len();
        let mut g = Self {
            towns,
            sources,
            by_id,
            adjacency,
            links,
            search_keys,
            component: Vec::new(),
            components: Vec::new(),
            by_country,
            pairs,
        };
        g.find_components();
        g
    }

    fn find_components(&mut self) {
        let n = self.towns.len();
        let mut component = vec![u32::MAX; n];
        let mut components = Vec::new();
        let mut queue = VecDeque::new();
        for start in 0..n {
            if component[start] != u32::MAX {
                continue;
            }
            let c = components.len() as u32;
            component[start] = c;
            queue.push_back(start as Node);
            let mut size = 0;
            let mut best = start as Node;
            while let Some(v) = queue.pop_front() {
                size += 1;
                if self.degree(v) > self.degree(best) {
                    best = v;
                }
                for &w in &self.adjacency[v as usize] {
                    if component[w as usize] == u32::MAX {
                        component[w as usize] = c;
                        queue.push_back(w);
                    }
                }
            }
            components.push(Component {
                size,
                representative: best,
            });
        }
        self.component = component;
        self.components = components;
    }

    pub fn town_count(&self) -> usize {
        self.towns.len()
    }

    pub fn pair_count(&self) -> usize {
        self.pairs
    }

    pub fn sources(&self) -> &[GraphSource] {
        &self.sources
    }

    pub fn source(&self, id: i64) -> Option<&GraphSource> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn node(&self, id: i64) -> Option<Node> {
        self.by_id.get(&id).copied()
    }

    pub fn town(&self, n: Node) -> &GraphTown {
        &self.towns[n as usize]
    }

    /// The town that is this register municipality.
    pub fn node_of_municipality(&self, municipality_id: &str) -> Option<Node> {
        self.towns
            .iter()
            .position(|t| {
                t.municipality
                    .as_ref()
                    .is_some_and(|m| m.id == municipality_id)
            })
            .map(|i| i as Node)
    }

    pub fn degree(&self, n: Node) -> usize {
        self.adjacency[n as usize].len()
    }

    pub fn neighbours(&self, n: Node) -> &[Node] {
        &self.adjacency[n as usize]
    }

    pub fn adjacent(&self, a: Node, b: Node) -> bool {
        self.adjacency[a as usize].binary_search(&b).is_ok()
    }

    /// Every record of the pair a-b (register first), empty when they are not twinned.
    pub fn links(&self, a: Node, b: Node) -> &[Link] {
        self.links
            .get(&key(a, b))
            .map(|records| records.as_slice())
            .unwrap_or(&[])
    }

    /// Towns whose name, or a later word of it, starts with `q` (diacritics, case and
    /// punctuation folded), optionally in one country. Exact names first, then whole-name
    /// prefixes, then word prefixes; within each the most connected first. Returns the page and
    /// the number found.
    pub fn search(
        &self,
        q: &str,
        country: Option<CountryCode>,
        offset: usize,
        limit: usize,
    ) -> (Vec<Node>, usize) {
        let q = fold(q);
        let mut found: Vec<(u8, Node)> = Vec::new();
        let mut seen = HashSet::new();
        if q.is_empty() {
            let list: Vec<Node> = match country {
                Some(c) => self.by_country.get(&c).cloned().unwrap_or_default(),
                None => (0..self.towns.len() as Node).collect(),
            };
            found.extend(list.into_iter().map(|n| (2, n)));
        } else {
            let start = self
                .search_keys
                .partition_point(|(k, _)| k.as_str() < q.as_str());
            for (k, n) in &self.search_keys[start..] {
                if !k.starts_with(&q) {
                    break;
                }
                if country.is_some_and(|c| self.towns[*n as usize].country != c) {
                    continue;
                }
                let whole = fold(&self.towns[*n as usize].name);
                let rank = if whole == q {
                    0
                } else if whole.starts_with(&q) {
                    1
                } else {
                    2
                };
                if seen.insert(*n) {
                    found.push((rank, *n));
                } else if let Some(f) = found.iter_mut().find(|(_, m)| m == n) {
                    f.0 = f.0.min(rank);
                }
            }
        }
        found.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then(self.degree(*b).cmp(&self.degree(*a)))
                .then_with(|| {
                    self.towns[*a as usize]
                        .name
                        .cmp(&self.towns[*b as usize].name)
                })
                .then(a.cmp(b))
        });
        let total = found.len();
        let page = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(_, n)| n)
            .collect();
        (page, total)
    }

    /// Partners of both towns.
    pub fn shared_partners(&self, a: Node, b: Node) -> Vec<Node> {
        let (x, y) = (self.neighbours(a), self.neighbours(b));
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(x[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// The shortest chain of twinnings from `a` to `b`, both included; `None` when they are
    /// not connected. Breadth-first from both ends.
    pub fn chain(&self, a: Node, b: Node) -> Option<Vec<Node>> {
        if a == b {
            return Some(vec![a]);
        }
        if self.component[a as usize] != self.component[b as usize] {
            return None;
        }
        let mut from_a: HashMap<Node, Node> = HashMap::from([(a, a)]);
        let mut from_b: HashMap<Node, Node> = HashMap::from([(b, b)]);
        let mut front_a = vec![a];
        let mut front_b = vec![b];
        loop {
            if front_a.is_empty() || front_b.is_empty() {
                return None;
            }
            // Expand the smaller front.
            let expand_a = front_a.len() <= front_b.len();
            let (front, seen, other) = if expand_a {
                (&mut front_a, &mut from_a, &from_b)
            } else {
                (&mut front_b, &mut from_b, &from_a)
            };
            let mut next = Vec::new();
            let mut meet = None;
            'outer: for &v in front.iter() {
                for &w in self.neighbours(v) {
                    if seen.contains_key(&w) {
                        continue;
                    }
                    seen.insert(w, v);
                    if other.contains_key(&w) {
                        meet = Some(w);
                        break 'outer;
                    }
                    next.push(w);
                }
            }
            *front = next;
            if let Some(m) = meet {
                let mut left = vec![m];
                let mut v = m;
                while from_a[&v] != v {
                    v = from_a[&v];
                    left.push(v);
                }
                left.reverse();
                let mut v = m;
                while from_b[&v] != v {
                    v = from_b[&v];
                    left.push(v);
                }
                return Some(left);
            }
        }
    }

    /// The triangles `a` is part of: pairs of its partners twinned with each other.
    pub fn triangles(&self, a: Node) -> Vec<(Node, Node)> {
        let ns = self.neighbours(a);
        let mut out = Vec::new();
        for (i, &u) in ns.iter().enumerate() {
            for &v in &ns[i + 1..] {
                if self.adjacent(u, v) {
                    out.push((u, v));
                }
            }
        }
        out
    }

    /// The most connected towns of a country (or of the world), most partners first.
    pub fn most_connected(&self, country: Option<CountryCode>, limit: usize) -> Vec<Node> {
        let mut list: Vec<Node> = match country {
            Some(c) => self.by_country.get(&c).cloned().unwrap_or_default(),
            None => (0..self.towns.len() as Node).collect(),
        };
        list.retain(|&n| self.degree(n) > 0);
        list.sort_by(|&a, &b| {
            self.degree(b).cmp(&self.degree(a)).then_with(|| {
                self.towns[a as usize]
                    .name
                    .cmp(&self.towns[b as usize].name)
            })
        });
        list.truncate(limit);
        list
    }

    /// Connected components with at least two towns, largest first.
    pub fn components(&self) -> Vec<(u32, Component)> {
        let mut list: Vec<(u32, Component)> = self
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.size > 1)
            .map(|(i, c)| (i as u32, *c))
            .collect();
        list.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.0.cmp(&b.0)));
        list
    }

    pub fn component_of(&self, n: Node) -> Component {
        self.components[self.component[n as usize] as usize]
    }

    /// The towns of one component, by name.
    pub fn component_members(&self, n: Node) -> Vec<Node> {
        let c = self.component[n as usize];
        let mut list: Vec<Node> = (0..self.towns.len() as Node)
            .filter(|&m| self.component[m as usize] == c)
            .collect();
        list.sort_by(|&a, &b| {
            self.towns[a as usize]
                .name
                .cmp(&self.towns[b as usize].name)
        });
        list
    }

    /// Every country with towns, and its figures.
    pub fn countries(&self) -> Vec<(CountryCode, CountryFigures)> {
        self.by_country
            .keys()
            .map(|&c| (c, self.country_figures(c)))
            .collect()
    }

    pub fn country_figures(&self, country: CountryCode) -> CountryFigures {
        let mut f = CountryFigures::default();
        let Some(nodes) = self.by_country.get(&country) else {
            return f;
        };
        let mut per: HashMap<CountryCode, u32> = HashMap::new();
        for &n in nodes {
            f.towns += 1;
            if self.degree(n) > 0 {
                f.twinned_towns += 1;
            }
            for &m in self.neighbours(n) {
                let other = self.towns[m as usize].country;
                if other == country {
                    if n < m {
                        f.pairs_within += 1;
                    }
                } else {
                    f.pairs_abroad += 1;
                    *per.entry(other).or_default() += 1;
                }
            }
        }
        let mut list: Vec<(CountryCode, u32)> = per.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.partner_countries = list;
        f
    }

    /// Every pair touching a country, as node pairs (each once).
    pub fn country_pairs(&self, country: CountryCode) -> Vec<(Node, Node)> {
        let mut out = Vec::new();
        for &n in self
            .by_country
            .get(&country)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            for &m in self.neighbours(n) {
                let other_in = self.towns[m as usize].country == country;
                if !other_in || n < m {
                    out.push((n, m));
                }
            }
        }
        out
    }

    /// Towns `a` is not twinned with, ranked by stated reasons: partners of its partners
    /// (3 points each), a country none of its partners is in (2), a similar population where
    /// both are known (2), 300-1,500 km away (1), 10 or more partners (1). Ties: nearer first,
    /// then by name.
    pub fn suggestions(&self, a: Node, limit: usize) -> Vec<Suggestion> {
        let home = &self.towns[a as usize];
        let partners = self.neighbours(a);
        let mut covered: HashSet<CountryCode> = partners
            .iter()
            .map(|&p| self.towns[p as usize].country)
            .collect();
        covered.insert(home.country);
        let mut via: BTreeMap<Node, Vec<Node>> = BTreeMap::new();
        for &p in partners {
            for &c in self.neighbours(p) {
                if c != a && !self.adjacent(a, c) {
                    via.entry(c).or_default().push(p);
                }
            }
        }
        // Without partners of partners, look at the well-connected towns within reach.
        if via.is_empty()
            && let Some(hc) = home.coordinates
        {
            for (i, t) in self.towns.iter().enumerate() {
                let n = i as Node;
                if n == a || self.degree(n) < 10 || self.adjacent(a, n) {
                    continue;
                }
                if t.coordinates
                    .is_some_and(|c| geo::distance_km(hc, c) <= 1500.0)
                {
                    via.insert(n, Vec::new());
                }
            }
        }
        let mut out: Vec<Suggestion> = via
            .into_iter()
            .map(|(c, via)| {
                let t = &self.towns[c as usize];
                let km = match (home.coordinates, t.coordinates) {
                    (Some(x), Some(y)) => Some(geo::distance_km(x, y).round() as u32),
                    _ => None,
                };
                let mut reasons = Vec::new();
                if !via.is_empty() {
                    reasons.push(Reason::PartnersOfPartners { via });
                }
                if !covered.contains(&t.country) {
                    reasons.push(Reason::NewCountry { country: t.country });
                }
                if let (Some(p), Some(q)) = (home.population, t.population)
                    && p > 0
                    && q > 0
                    && q * 2 >= p
                    && p * 2 >= q
                {
                    reasons.push(Reason::SimilarSize { population: q });
                }
                if let Some(km) = km
                    && (300..=1500).contains(&km)
                {
                    reasons.push(Reason::Reachable { km });
                }
                let d = self.degree(c) as u32;
                if d >= 10 {
                    reasons.push(Reason::Active { partners: d });
                }
                Suggestion {
                    town: c,
                    score: reasons.iter().map(Reason::points).sum(),
                    km,
                    reasons,
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.score
                .cmp(&x.score)
                .then(x.km.unwrap_or(u32::MAX).cmp(&y.km.unwrap_or(u32::MAX)))
                .then_with(|| {
                    self.towns[x.town as usize]
                        .name
                        .cmp(&self.towns[y.town as usize].name)
                })
        });
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The faster sort of the search keys gives the order of a plain sort, for keys as
        /// folding makes them: short and long, sharing their first eight bytes or not.
        #[test]
        fn search_keys_sort_as_text_does(
            keys in proptest::collection::vec(("[a-c0 ]{0,11}", 0u32..4), 0..200)
        ) {
            let mut plain = keys.clone();
            plain.sort_unstable();
            prop_assert_eq!(sorted_keys(keys), plain);
        }
    }

    fn town(id: i64, name: &str, country: &str, lat: f64, lng: f64) -> GraphTown {
        GraphTown {
            id,
            name: name.into(),
            country: CountryCode::parse(country).unwrap(),
            region: None,
            coordinates: Some(Coordinates::new(lat, lng).unwrap()),
            population: None,
            municipality: None,
            source: Some(1),
        }
    }

    fn world(a: i64, b: i64) -> GraphEdge {
        GraphEdge {
            a,
            b,
            link: Link::World {
                source: 1,
                start_year: None,
                end_year: None,
            },
        }
    }

    /// L-V (1), Hranice (2), Konstancin-Jeziorna (3), Hlohovec (4), Denzlingen (5), an island
    /// pair (6, 7).
    fn sample() -> WorldGraph {
        let towns = vec![
            town(1, "Leidschendam-Voorburg", "NL", 52.0833, 4.4),
            town(2, "Hranice", "CZ", 49.5482, 17.7347),
            town(3, "Konstancin-Jeziorna", "PL", 52.0833, 21.1167),
            town(4, "Hlohovec", "SK", 48.43, 17.8),
            town(5, "Denzlingen", "DE", 48.0683, 7.8825),
            town(6, "Dobřany", "CZ", 49.6539, 13.2903),
            town(7, "Hranice u Aše", "CZ", 50.3, 12.2),
        ];
        let mut edges = vec![
            world(2, 1),
            world(3, 2),
            world(4, 2),
            world(3, 5),
            world(6, 7),
        ];
        edges.push(GraphEdge {
            a: 1,
            b: 3,
            link: Link::Register {
                partnership: "p".into(),
                kind: "formalised".into(),
                start_year: 1996,
                end_year: None,
                status: None,
            },
        });
        // A duplicate record of 1-2 from the register.
        edges.push(GraphEdge {
            a: 1,
            b: 2,
            link: Link::Register {
                partnership: "q".into(),
                kind: "formalised".into(),
                start_year: 1995,
                end_year: None,
                status: None,
            },
        });
        WorldGraph::build(towns, vec![], edges)
    }

    #[test]
    fn triangles_chains_and_shared_partners() {
        let g = sample();
        let n = |id| g.node(id).unwrap();
        assert_eq!(g.pair_count(), 6);
        assert_eq!(g.links(n(1), n(2)).len(), 2);
        assert!(g.links(n(1), n(2))[0].is_register());
        let t = g.triangles(n(1));
        assert_eq!(t.len(), 1);
        let (u, v) = t[0];
        let mut ids = [g.town(u).id, g.town(v).id];
        ids.sort();
        assert_eq!(ids, [2, 3]);
        assert_eq!(g.shared_partners(n(1), n(3)), vec![n(2)]);
        let chain = g.chain(n(4), n(5)).unwrap();
        let ids: Vec<i64> = chain.iter().map(|&x| g.town(x).id).collect();
        assert_eq!(ids, vec![4, 2, 3, 5]);
        assert_eq!(g.chain(n(1), n(6)), None);
        assert_eq!(g.component_of(n(1)).size, 5);
        let comps = g.components();
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0].1.size, 5);
        assert_eq!(g.town(comps[0].1.representative).id, 2);
    }

    #[test]
    fn search_folds_and_ranks() {
        let g = sample();
        let (found, total) = g.search("hrani", None, 0, 10);
        assert_eq!(total, 2);
        assert_eq!(g.town(found[0]).id, 2, "more partners first");
        let (found, _) = g.search("JEZIORNA", None, 0, 10);
        assert_eq!(g.town(found[0]).id, 3, "a later word matches");
        let (found, _) = g.search("dobrany", None, 0, 10);
        assert_eq!(g.town(found[0]).id, 6);
        let (_, total) = g.search("hrani", Some(CountryCode::parse("PL").unwrap()), 0, 10);
        assert_eq!(total, 0);
        let (found, total) = g.search("", Some(CountryCode::parse("CZ").unwrap()), 0, 1);
        assert_eq!((found.len(), total), (1, 3));
    }

    #[test]
    fn suggestions_state_their_reasons() {
        let g = sample();
        let s = g.suggestions(g.node(1).unwrap(), 10);
        let ids: Vec<i64> = s.iter().map(|x| g.town(x.town).id).collect();
        // Hlohovec (via Hranice) and Denzlingen (via Konstancin-Jeziorna).
        assert_eq!(ids.len(), 2);
        for x in &s {
            assert!(
                x.reasons
                    .iter()
                    .any(|r| matches!(r, Reason::PartnersOfPartners { via } if via.len() == 1))
            );
            assert_eq!(x.score, x.reasons.iter().map(Reason::points).sum::<u32>());
        }
        let hlohovec = s.iter().find(|x| g.town(x.town).id == 4).unwrap();
        assert!(hlohovec.reasons.contains(&Reason::NewCountry {
            country: CountryCode::parse("SK").unwrap()
        }));
        let denz = s.iter().find(|x| g.town(x.town).id == 5).unwrap();
        assert!(
            denz.reasons
                .iter()
                .any(|r| matches!(r, Reason::Reachable { .. }))
        );
    }

    #[test]
    fn country_figures_count_each_pair_once() {
        let g = sample();
        let cz = g.country_figures(CountryCode::parse("CZ").unwrap());
        assert_eq!(cz.towns, 3);
        assert_eq!(cz.pairs_within, 1);
        assert_eq!(cz.pairs_abroad, 3);
        assert_eq!(g.country_pairs(CountryCode::parse("CZ").unwrap()).len(), 4);
    }
}
