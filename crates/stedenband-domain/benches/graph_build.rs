//! How long building the world graph in memory takes, without a database: the cost the server
//! pays after every register write (the rebuild also reads the register's rows, which
//! `cargo bench -p stedenband-app --bench world_import` measures with it).
//!
//! `cargo bench -p stedenband-domain --bench graph_build` reads the shipped list
//! (`data/world/twin_cities.csv`), makes one town per name and country and one record per row
//! (about 17,000 towns and 25,000 pairs, as the import does), then builds the graph
//! [`WARM_UP`] + [`RUNS`] times and prints the minimum, median and maximum of the last
//! [`RUNS`]. The minimum is the figure to compare between two builds of the code: on a shared
//! machine the others include waiting for other processes.

use std::collections::HashMap;
use std::time::{Duration, Instant};
use stedenband_domain::world::graph::{GraphEdge, GraphSource, GraphTown, Link, WorldGraph};
use stedenband_domain::world::input::{self, WorldFormat};

const WARM_UP: usize = 3;
const RUNS: usize = 30;

fn main() {
    let csv = include_bytes!("../../../data/world/twin_cities.csv");
    let rows = input::read(csv, WorldFormat::Csv).expect("the shipped list reads");
    let mut ids: HashMap<(String, String), i64> = HashMap::new();
    let mut towns = Vec::new();
    let mut edges = Vec::new();
    let mut town = |t: &stedenband_domain::world::CheckedTown| -> i64 {
        let key = (t.name.clone(), t.country.to_string());
        let next = ids.len() as i64 + 1;
        *ids.entry(key).or_insert_with(|| {
            towns.push(GraphTown {
                id: next,
                name: t.name.as_str().into(),
                country: t.country,
                region: t.region.as_deref().map(Into::into),
                coordinates: t.coordinates,
                population: None,
                municipality: None,
                source: Some(1),
            });
            next
        })
    };
    for row in &rows {
        let Ok(pair) = &row.outcome else { continue };
        let (a, b) = (town(&pair.a), town(&pair.b));
        edges.push(GraphEdge {
            a: a.min(b),
            b: a.max(b),
            link: Link::World {
                source: 1,
                start_year: pair.start_year,
                end_year: pair.end_year,
            },
        });
    }
    let sources = vec![GraphSource {
        id: 1,
        label: "twin_cities.csv".into(),
        attribution: None,
    }];
    let mut times = Vec::new();
    let mut shape = (0, 0);
    for run in 0..WARM_UP + RUNS {
        let (t, s, e) = (towns.clone(), sources.clone(), edges.clone());
        let start = Instant::now();
        let g = WorldGraph::build(t, s, e);
        let took = start.elapsed();
        shape = (g.town_count(), g.pair_count());
        if run >= WARM_UP {
            times.push(took);
        }
        drop(g);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "graph build ({} towns, {} pairs)  min {:>6.2} ms  median {:>6.2} ms  max {:>6.2} ms  ({RUNS} runs)",
        shape.0,
        shape.1,
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}
