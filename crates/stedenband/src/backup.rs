//! `backup`, `restore`, `export municipality`, `import municipality` and `check`: copies of the
//! database that can be trusted, and the move from SQLite to PostgreSQL.
//!
//! A backup of SQLite is SQLite's own `VACUUM INTO` (a consistent copy from one read
//! transaction while the server keeps writing); of PostgreSQL, the whole database as a
//! document (`stedenband_store::dump`), read from one snapshot. Both files are made with mode
//! 0600 (they hold password hashes) and never overwrite an existing file. A restore goes into
//! an empty database of either kind and is followed by the integrity check and `audit verify`.

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::Instant;
use stedenband_store::dump::{Document, DocumentKind};
use stedenband_store::{Backend, Db, Store};

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Makes `path` as a new file only its owner can read and write.
fn create_private(path: &Path) -> Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| {
            if path.exists() {
                format!("{} exists already: choose a new name", path.display())
            } else {
                format!("cannot create {}", path.display())
            }
        })
}

/// Writes a document to a new private file, flushed to disk before it counts as written.
fn write_document(path: &Path, doc: &Document) -> Result<()> {
    let file = create_private(path)?;
    let result = (|| -> std::io::Result<()> {
        let mut out = BufWriter::new(&file);
        doc.write_to(&mut out)?;
        out.flush()?;
        drop(out);
        file.sync_all()
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(path);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

fn megabytes(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1_000_000.0)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `stedenband backup FILE`.
pub async fn backup(db: Db, path: &Path) -> Result<()> {
    let started = Instant::now();
    let store = Store::new(db.clone());
    match db.backend() {
        Backend::Sqlite => {
            // The empty file first, with its mode: VACUUM INTO fills an existing empty file.
            drop(create_private(path)?);
            if let Err(e) = store.backup_sqlite_into(path).await {
                let _ = std::fs::remove_file(path);
                return Err(e).context("the backup failed");
            }
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            File::open(path)?.sync_all()?;
            let copy = Db::open_sqlite_read_only(path).await?;
            let report = Store::new(copy.clone()).integrity_check().await?;
            copy.close().await;
            if !report.is_ok() {
                bail!(
                    "the backup {} failed its integrity check: {}",
                    path.display(),
                    report.problems.join("; ")
                );
            }
            println!(
                "backup: {} (SQLite, {:.1} MB), {} tables, {} rows, integrity ok, {:.1} s",
                path.display(),
                megabytes(path),
                report.tables,
                thousands(report.rows),
                started.elapsed().as_secs_f64()
            );
        }
        Backend::Postgres => {
            let doc = store
                .export_document(DocumentKind::Backup)
                .await
                .context("could not read the database")?;
            write_document(path, &doc)?;
            println!(
                "backup: {} (PostgreSQL as a document, {:.1} MB), {} tables, {} rows, {:.1} s",
                path.display(),
                megabytes(path),
                doc.tables.len(),
                thousands(doc.row_count() as u64),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// `stedenband export municipality FILE`.
pub async fn export(db: Db, path: &Path) -> Result<()> {
    let started = Instant::now();
    let doc = Store::new(db)
        .export_document(DocumentKind::Municipality)
        .await
        .context("could not read the database")?;
    write_document(path, &doc)?;
    println!(
        "export: {} ({:.1} MB): {}; {} tables, {} rows, {:.1} s",
        path.display(),
        megabytes(path),
        if doc.municipalities.is_empty() {
            "no municipality with partnerships".to_owned()
        } else {
            doc.municipalities.join(", ")
        },
        doc.tables.len(),
        thousands(doc.row_count() as u64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Reads a backup or an export: a SQLite file (read through a read-only connection) or a
/// document.
async fn read_source(path: &Path) -> Result<Document> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut head = [0u8; 16];
    let is_sqlite = file.read_exact(&mut head).is_ok() && &head == SQLITE_MAGIC;
    if is_sqlite {
        let db = Db::open_sqlite_read_only(path).await?;
        let store = Store::new(db.clone());
        let report = store.integrity_check().await?;
        if !report.is_ok() {
            bail!(
                "{} fails its integrity check: {}",
                path.display(),
                report.problems.join("; ")
            );
        }
        let doc = store.export_document(DocumentKind::Backup).await;
        db.close().await;
        return doc.with_context(|| format!("cannot read {}", path.display()));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Document::from_slice(&bytes).with_context(|| format!("{} cannot be loaded", path.display()))
}

/// `stedenband restore FILE` and `stedenband import municipality FILE`: into an empty
/// database, then the integrity check and the audit log's verification.
pub async fn load(url: &str, path: &Path, what: &str) -> Result<()> {
    let started = Instant::now();
    let doc = read_source(path).await?;
    let db = Db::connect(url).await?;
    let store = Store::new(db.clone());
    let summary = match store.load_document(&doc).await {
        Ok(s) => s,
        Err(e) => {
            db.close().await;
            return Err(anyhow::anyhow!("{e}"))
                .context(format!("{what} refused; no data was written"));
        }
    };
    db.check().await?;
    let report = store.integrity_check().await?;
    let audit = stedenband_app::AuditLog::new(store.clone())
        .verify(None)
        .await
        .context("could not read the audit log")?;
    db.close().await;
    if !report.is_ok() {
        bail!(
            "the {what} is written but fails the integrity check: {}",
            report.problems.join("; ")
        );
    }
    let audit = match audit {
        Ok(s) => s,
        Err(broken) => bail!("the {what} is written but its audit log is broken: {broken}"),
    };
    println!(
        "{what}: {} tables, {} rows into {}; integrity ok; audit log intact ({} entries), {:.1} s",
        summary.tables,
        thousands(summary.rows as u64),
        stedenband_store::redact(url),
        thousands(audit.count),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `stedenband check`: the integrity check and the audit log; exits 1 on any problem.
pub async fn check(db: Db) -> Result<bool> {
    let store = Store::new(db.clone());
    let report = store.integrity_check().await?;
    let audit = stedenband_app::AuditLog::new(store)
        .verify(None)
        .await
        .context("could not read the audit log")?;
    db.close().await;
    for problem in &report.problems {
        eprintln!("integrity: {problem}");
    }
    if let Err(broken) = &audit {
        eprintln!("audit log broken: {broken}");
    }
    let ok = report.is_ok() && audit.is_ok();
    println!(
        "check: {} tables, {} rows, {}, audit log {}",
        report.tables,
        thousands(report.rows),
        if report.is_ok() {
            "integrity ok, foreign keys hold".to_owned()
        } else {
            format!("{} problems", report.problems.len())
        },
        match &audit {
            Ok(s) => format!("intact ({} entries)", thousands(s.count)),
            Err(_) => "broken".to_owned(),
        }
    );
    Ok(ok)
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
