//! `stedenband import world FILE`: a list of twinnings into the world register, with a progress
//! bar on a terminal, a summary, and the rejected rows with their reasons in a CSV file.

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use stedenband_app::world::{ImportOptions, ImportProgress, ImportReport};
use stedenband_app::{AppError, Caller, World};
use stedenband_domain::world::input::WorldFormat;
use stedenband_store::Store;

#[derive(Args, Debug)]
pub struct ImportWorld {
    /// The file: CSV (city1, country1, lat1, lng1, city2, country2, lat2, lng2), a JSON list of
    /// such rows, or Wikidata entity JSON (items with labels, P17, P625 and P190).
    file: PathBuf,

    /// The name the imported records are marked with. [default: the file's name]
    #[arg(long)]
    label: Option<String>,

    /// Shown wherever the data is, e.g. "Wikipedia contributors, CC BY-SA 4.0".
    #[arg(long)]
    attribution: Option<String>,

    /// The file's format; read from its content when not given.
    #[arg(long, value_enum)]
    format: Option<Format>,

    /// Where the rejected rows go, with their reasons. [default: FILE's name with
    /// `.rejected.csv`, in the working directory]
    #[arg(long, value_name = "FILE")]
    rejected: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Csv,
    Json,
    Wikidata,
}

/// A progress bar on stderr; drawn only when stderr is a terminal.
struct Bar(Mutex<Option<ProgressBar>>);

impl ImportProgress for Bar {
    fn stage(&self, name: &'static str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>10} [{bar:40}] {pos}/{len} {elapsed}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(name);
        let mut slot = self.0.lock().expect("progress lock");
        if let Some(old) = slot.replace(bar) {
            old.finish();
        }
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = self.0.lock().expect("progress lock").as_ref() {
            bar.set_position(done);
        }
    }
}

pub async fn run(db: stedenband_store::Db, args: ImportWorld) -> Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".to_owned());
    let options = ImportOptions {
        label: args.label.clone().unwrap_or_else(|| name.clone()),
        attribution: args.attribution.clone(),
        format: args.format.map(|f| match f {
            Format::Csv => WorldFormat::Csv,
            Format::Json => WorldFormat::JsonRows,
            Format::Wikidata => WorldFormat::Wikidata,
        }),
    };
    let world = World::new(Store::new(db));
    let bar = Bar(Mutex::new(None));
    let started = std::time::Instant::now();
    let result = world
        .import(&Caller::system(), &bytes, &options, &bar)
        .await;
    if let Some(b) = bar.0.lock().expect("progress lock").take() {
        b.finish_and_clear();
    }
    let report = match result {
        Ok(r) => r,
        Err(AppError::BadFile(e)) => {
            anyhow::bail!(
                "{} was not imported, nothing was written: {}",
                args.file.display(),
                describe(e.key, &e.detail)
            )
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!(
                "the import of {} failed; the database is as it was",
                args.file.display()
            )));
        }
    };
    let rejected_path = args
        .rejected
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}.rejected.csv")));
    if !report.rejected.is_empty() {
        write_rejected(&rejected_path, &report)?;
    }
    print_summary(&args.file, &report, started.elapsed(), &rejected_path);
    Ok(())
}

fn describe(key: &str, detail: &str) -> String {
    let what = match key {
        "world-file-not-utf8" => "the file is not UTF-8 text",
        "world-file-columns" => {
            "the CSV header does not have the columns city1, country1, lat1, lng1, city2, country2, lat2, lng2"
        }
        "world-file-empty" => "the file holds no rows",
        "world-file-malformed" => "the file cannot be read",
        _ => "the file cannot be read",
    };
    if detail.is_empty() {
        what.to_owned()
    } else {
        format!("{what} ({detail})")
    }
}

fn write_rejected(path: &Path, report: &ImportReport) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    w.write_record(["row", "reason"])?;
    for r in &report.rejected {
        let mut rec = vec![r.number.to_string(), r.reason.clone()];
        rec.extend(r.original.iter().cloned());
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

fn print_summary(file: &Path, r: &ImportReport, took: std::time::Duration, rejected: &Path) {
    let s = &r.summary;
    println!(
        "{}: {} rows in {:.2} s",
        file.display(),
        s.rows,
        took.as_secs_f64()
    );
    println!("  imported  {:>7}  (new pairs)", s.imported);
    println!("  merged    {:>7}  (pair already known)", s.merged);
    println!("  rejected  {:>7}", s.rejected);
    for (reason, n) in &s.rejected_by_reason {
        println!(
            "            {n:>7}  {}",
            reason
                .trim_start_matches("world-rejected-")
                .replace('-', " ")
        );
    }
    println!(
        "  towns: {} new, {} known matched ({} spelling variants merged)",
        r.towns_new, s.towns_matched, s.variants_merged
    );
    if !s.register_links.is_empty() {
        println!("  linked to the register: {}", s.register_links.join(", "));
    }
    if !r.changed {
        println!("  nothing new: the database is unchanged");
    }
    if s.rejected > 0 {
        println!("  rejected rows with their reasons: {}", rejected.display());
    }
}
