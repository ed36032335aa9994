//! How long importing the shipped world list (`data/world/twin_cities.csv`, 25,917 pairs) into
//! a fresh database takes. The goal (issue 9): under 2 s wall time on SQLite.
//!
//! `cargo bench -p stedenband-app --bench world_import` imports it [`WARM_UP`] + [`RUNS`] times,
//! each time into a new SQLite file in its own temporary folder, opened as the program opens
//! it (`Db::connect`: WAL, synchronous=FULL) and migrated. With
//! `BENCH_DATABASE_URL=postgres://user@host/db` each run gets a new database on that server
//! instead (dropped afterwards). Printed, in milliseconds, the minimum, median and maximum of the
//! last [`RUNS`]:
//!
//! - `connect + migrate`: opening the new database and applying every migration;
//! - `import`: `World::import` of the whole file, as `stedenband import world` and
//!   `serve --demo` run it, and where its time goes (the stages it reports to its progress:
//!   reading the file, reading what is stored, reconciling, writing in one transaction);
//! - `first graph`: building the graph the server answers from, right after the import, and
//!   its two parts measured apart: reading the rows (SQL) and building in memory;
//! - `graph after a register write`: the rebuild after a new municipality, which reads only the
//!   register's rows again (the server's case under writes);
//!
//! and, without a database, `input::read` and `reconcile::reconcile` of the file called
//! directly (against nothing stored), to tell the parsing and matching apart from SQL. Each line
//! also gives the CPU time the process used per run: on a busy machine the wall-clock times
//! include waiting for other processes, this does not.

use std::sync::Mutex;
use std::time::{Duration, Instant};
use stedenband_app::world::{ImportOptions, ImportProgress};
use stedenband_app::{Caller, Register, World, demo};
use stedenband_domain::world::input::{self, WorldFormat};
use stedenband_domain::world::reconcile;
use stedenband_store::testing::replace_database;
use stedenband_store::{Db, Store};

const WARM_UP: usize = 1;
const RUNS: usize = 5;
/// The target for the import into SQLite.
const TARGET: Duration = Duration::from_secs(2);

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The CPU time this process has used (user and system, all threads), on Linux.
fn cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel reports clock ticks of 1/100 s (USER_HZ) on every common Linux platform.
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time of one step.
#[derive(Clone, Copy, Default)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Runs `f` and measures it.
async fn timed<T>(f: impl Future<Output = T>) -> (T, Timing) {
    let (c0, t0) = (cpu(), Instant::now());
    let out = f.await;
    let wall = t0.elapsed();
    let cpu = cpu().zip(c0).map(|(a, b)| a.saturating_sub(b));
    (out, Timing { wall, cpu })
}

/// Prints min / median / max of the wall times, and the mean CPU time.
fn print_line(label: &str, times: &[Timing]) -> Duration {
    let mut walls: Vec<Duration> = times.iter().map(|t| t.wall).collect();
    walls.sort();
    let cpu = times
        .iter()
        .map(|t| t.cpu)
        .sum::<Option<Duration>>()
        .map(|c| format!("  CPU/run {:>7.1} ms", ms(c / times.len() as u32)))
        .unwrap_or_default();
    let median = walls[walls.len() / 2];
    println!(
        "{label:<34} min {:>7.1} ms  median {:>7.1} ms  max {:>7.1} ms{cpu}",
        ms(walls[0]),
        ms(median),
        ms(walls[walls.len() - 1]),
    );
    median
}

/// Records when the import enters each stage and reports progress, to split its time.
#[derive(Default)]
struct Stages {
    marks: Mutex<Vec<(&'static str, Instant)>>,
}

impl ImportProgress for Stages {
    fn stage(&self, name: &'static str, _total: u64) {
        self.marks.lock().unwrap().push((name, Instant::now()));
    }
    fn advance(&self, _done: u64) {
        self.marks.lock().unwrap().push(("advance", Instant::now()));
    }
}

/// The import's time split by what its progress said: `[read, snapshot, reconcile, write]`.
/// `read` runs from stage "read" to its advance; `snapshot` (reading what is stored) from there
/// to stage "reconcile"; `reconcile` (with listing the rejected rows) to stage "write"; `write`
/// (the transaction) to its last advance.
fn split(stages: &Stages, start: Instant, end: Instant) -> [Duration; 4] {
    let marks = stages.marks.lock().unwrap();
    let at = |name: &str| marks.iter().position(|(n, _)| *n == name);
    let time = |i: Option<usize>| i.map(|i| marks[i].1);
    let read = at("read");
    let read_done = read.map(|i| i + 1).filter(|&i| i < marks.len());
    let reconcile = at("reconcile");
    let write = at("write");
    let d = |a: Option<Instant>, b: Option<Instant>| match (a, b) {
        (Some(a), Some(b)) => b.saturating_duration_since(a),
        _ => Duration::ZERO,
    };
    let write_end = write.map(|_| marks.last().map_or(end, |m| m.1));
    [
        d(time(read).or(Some(start)), time(read_done)),
        d(time(read_done), time(reconcile)),
        d(time(reconcile), time(write).or(Some(end))),
        d(time(write), write_end),
    ]
}

/// A new, empty database for one run, and how to remove it.
enum Fresh {
    Sqlite { db: Db, dir: std::path::PathBuf },
    Postgres { db: Db, admin: String, name: String },
}

impl Fresh {
    async fn new(run: usize) -> Fresh {
        match std::env::var("BENCH_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let name = format!("stedenband_bench_world_{}_{run}", std::process::id());
                let admin = Db::connect(&url).await.expect("reach BENCH_DATABASE_URL");
                if let Db::Postgres(pool) = &admin {
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                        .execute(pool)
                        .await
                        .expect("create the benchmark database");
                }
                admin.close().await;
                let db = Db::connect(&replace_database(&url, &name))
                    .await
                    .expect("open the benchmark database");
                Fresh::Postgres {
                    db,
                    admin: url,
                    name,
                }
            }
            _ => {
                let dir = std::env::temp_dir().join(format!(
                    "stedenband-bench-world-{}-{run}",
                    std::process::id()
                ));
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).expect("a temporary folder");
                let url = format!("sqlite://{}", dir.join("world.db").display());
                let db = Db::connect(&url).await.expect("open SQLite");
                Fresh::Sqlite { db, dir }
            }
        }
    }

    fn db(&self) -> Db {
        match self {
            Fresh::Sqlite { db, .. } | Fresh::Postgres { db, .. } => db.clone(),
        }
    }

    async fn remove(self) {
        match self {
            Fresh::Sqlite { db, dir } => {
                db.close().await;
                let _ = std::fs::remove_dir_all(dir);
            }
            Fresh::Postgres { db, admin, name } => {
                db.close().await;
                let admin = Db::connect(&admin).await.expect("reach BENCH_DATABASE_URL");
                if let Db::Postgres(pool) = &admin {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(pool)
                        .await
                        .expect("drop the benchmark database");
                }
            }
        }
    }
}

#[derive(Default)]
struct Run {
    connect_migrate: Timing,
    import: Timing,
    stages: [Duration; 4],
    graph: Timing,
    graph_data: Timing,
    graph_build: Timing,
    graph_after_write: Timing,
    summary: String,
}

async fn one_run(run: usize) -> Run {
    let mut r = Run::default();
    let (fresh, t) = timed(async {
        let fresh = Fresh::new(run).await;
        fresh.db().migrate().await.expect("migrate");
        fresh
    })
    .await;
    r.connect_migrate = t;
    let store = Store::new(fresh.db());
    let world = World::new(store.clone());
    let options = ImportOptions {
        label: demo::WORLD_LABEL.to_owned(),
        attribution: Some(demo::WORLD_ATTRIBUTION.to_owned()),
        format: None,
    };
    let stages = Stages::default();
    let start = Instant::now();
    let (report, t) =
        timed(world.import(&Caller::system(), demo::WORLD_CSV, &options, &stages)).await;
    let end = Instant::now();
    let report = report.expect("import the world list");
    r.import = t;
    r.stages = split(&stages, start, end);
    let (graph, t) = timed(world.graph()).await;
    let graph = graph.expect("build the graph");
    r.graph = t;
    // The rebuild after a write, in its two parts: reading the rows, building in memory.
    let (data, t) = timed(Store::new(fresh.db()).world_graph_data()).await;
    let (towns, sources, edges) = data.expect("read the graph's rows");
    r.graph_data = t;
    let (_, t) =
        timed(async { stedenband_domain::world::graph::WorldGraph::build(towns, sources, edges) })
            .await;
    r.graph_build = t;
    // A register write (a new municipality): the graph is rebuilt from the register's rows
    // with the lists' rows it holds.
    Register::new(store.clone())
        .create_municipality(
            &Caller::system(),
            &stedenband_domain::MunicipalityInput {
                name: Some(format!("Bench {run}")),
                country: Some("NL".into()),
                ..Default::default()
            },
        )
        .await
        .expect("register a municipality");
    let (after, t) = timed(world.graph()).await;
    assert_eq!(
        after.expect("rebuild the graph").graph.town_count(),
        graph.graph.town_count() + 1
    );
    r.graph_after_write = t;
    r.summary = format!(
        "{} rows: {} imported, {} merged, {} rejected; {} towns, {} pairs new; graph {} towns, \
         {} pairs",
        report.summary.rows,
        report.summary.imported,
        report.summary.merged,
        report.summary.rejected,
        report.towns_new,
        report.pairs_new,
        graph.graph.town_count(),
        graph.graph.pair_count(),
    );
    drop(graph);
    drop(world);
    fresh.remove().await;
    r
}

/// `input::read` and `reconcile::reconcile` alone, against nothing stored.
fn in_memory() -> (Vec<Timing>, Vec<Timing>) {
    let (mut reads, mut reconciles) = (Vec::new(), Vec::new());
    for i in 0..WARM_UP + RUNS {
        let (c0, t0) = (cpu(), Instant::now());
        let rows = input::read(demo::WORLD_CSV, WorldFormat::Csv).expect("read the list");
        let read = Timing {
            wall: t0.elapsed(),
            cpu: cpu().zip(c0).map(|(a, b)| a.saturating_sub(b)),
        };
        let (c1, t1) = (cpu(), Instant::now());
        let plan = reconcile::reconcile(&[], &[], &rows, &mut |_| {});
        let rec = Timing {
            wall: t1.elapsed(),
            cpu: cpu().zip(c1).map(|(a, b)| a.saturating_sub(b)),
        };
        std::hint::black_box(&plan);
        if i >= WARM_UP {
            reads.push(read);
            reconciles.push(rec);
        }
    }
    (reads, reconciles)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let backend = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => "PostgreSQL",
        _ => "SQLite",
    };
    let lines = demo::WORLD_CSV.iter().filter(|&&b| b == b'\n').count() - 1;
    println!(
        "{backend}: importing data/world/twin_cities.csv ({lines} rows, {:.1} MB) into a fresh \
         database, {WARM_UP} warm-up + {RUNS} runs",
        demo::WORLD_CSV.len() as f64 / 1e6
    );
    let runs: Vec<Run> = rt.block_on(async {
        let mut runs = Vec::new();
        for i in 0..WARM_UP + RUNS {
            let r = one_run(i).await;
            if i == 0 {
                println!(
                    "first run: import {:.1} ms ({})",
                    ms(r.import.wall),
                    r.summary
                );
            }
            if i >= WARM_UP {
                runs.push(r);
            }
        }
        runs
    });
    let pick = |f: fn(&Run) -> Timing| runs.iter().map(f).collect::<Vec<_>>();
    print_line("connect + migrate", &pick(|r| r.connect_migrate));
    let import = print_line("import", &pick(|r| r.import));
    let names = [
        "  read the file",
        "  read what is stored",
        "  reconcile",
        "  write (one transaction)",
    ];
    for (i, name) in names.iter().enumerate() {
        let times: Vec<Timing> = runs
            .iter()
            .map(|r| Timing {
                wall: r.stages[i],
                cpu: None,
            })
            .collect();
        print_line(name, &times);
    }
    print_line("first graph (after the import)", &pick(|r| r.graph));
    print_line("  of which reading the rows", &pick(|r| r.graph_data));
    print_line("  of which building in memory", &pick(|r| r.graph_build));
    print_line(
        "graph after a register write",
        &pick(|r| r.graph_after_write),
    );
    let (reads, reconciles) = in_memory();
    print_line("input::read alone", &reads);
    print_line("reconcile::reconcile alone", &reconciles);
    let met = import <= TARGET;
    println!(
        "world import: median {:.3} s on {backend} (target < {:.0} s: {})",
        import.as_secs_f64(),
        TARGET.as_secs_f64(),
        if met { "met" } else { "MISSED" },
    );
}
