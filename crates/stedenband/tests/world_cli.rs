//! `stedenband import world FILE` as an operator runs it on the shipped list: a summary that
//! accounts for every row, the rejected rows with their reasons in a CSV file, a second run that
//! changes nothing, and a bad file refused with a clear message, exit code 1 and nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn stedenband(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stedenband"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_BACKTRACE")
        .env("RUST_LOG", "warn")
        .args(args)
        .args(["--database-url", url])
        .output()
        .expect("run stedenband")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The number after `label` on the summary line that starts with it.
fn figure(out: &str, label: &str) -> usize {
    out.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label} in:\n{out}"))
}

fn count(url: &str, table: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&pool)
                .await
                .unwrap();
        pool.close().await;
        n
    })
}

#[test]
fn the_shipped_list_imports_once_with_its_rejected_rows() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("world.db").display());
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/world/twin_cities.csv");
    let list = list.to_str().unwrap();
    let out = stedenband(
        dir.path(),
        &url,
        &[
            "import",
            "world",
            list,
            "--attribution",
            "Wikipedia contributors, CC BY-SA 4.0",
        ],
    );
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("25917 rows"), "{text}");
    let (imported, merged, rejected) = (
        figure(&text, "imported"),
        figure(&text, "merged"),
        figure(&text, "rejected"),
    );
    assert_eq!(imported + merged + rejected, 25_917);
    assert_eq!(count(&url, "world_pairs") as usize, imported);
    // The rejected rows, each with its reason and the row as it was.
    let file = dir.path().join("twin_cities.csv.rejected.csv");
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&file)
        .unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), rejected);
    let self_pairs: Vec<&str> = rows
        .iter()
        .filter(|r| r[1].starts_with("self-pair"))
        .map(|r| r.get(2).unwrap())
        .collect();
    assert_eq!(self_pairs.len(), 3, "{self_pairs:?}");
    assert!(rows.iter().all(|r| r.len() == 10 && !r[1].is_empty()));

    // Again: nothing new, nothing written.
    let towns = count(&url, "world_towns");
    let audit = count(&url, "audit_log");
    let again = stedenband(dir.path(), &url, &["import", "world", list]);
    assert!(again.status.success());
    let text = stdout(&again);
    assert_eq!(figure(&text, "imported"), 0);
    assert!(text.contains("nothing new"), "{text}");
    assert_eq!(
        (count(&url, "world_towns"), count(&url, "audit_log")),
        (towns, audit)
    );
    assert_eq!(count(&url, "world_pairs") as usize, imported);

    // A bad file: a clear message, exit code 1, nothing written.
    std::fs::write(dir.path().join("bad.csv"), "town,land\nHranice,CZ\n").unwrap();
    let bad = stedenband(dir.path(), &url, &["import", "world", "bad.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("nothing was written") && err.contains("city1"),
        "{err}"
    );
    std::fs::write(dir.path().join("latin1.csv"), b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\nK\xf6ln,Germany,,,Hranice,Czech Republic,,\n").unwrap();
    let bad = stedenband(dir.path(), &url, &["import", "world", "latin1.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not UTF-8"));
    assert_eq!(
        (count(&url, "world_towns"), count(&url, "audit_log")),
        (towns, audit)
    );
}
