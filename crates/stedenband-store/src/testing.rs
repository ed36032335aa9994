//! Fresh, migrated databases for tests, on SQLite and on PostgreSQL.
//!
//! SQLite: a file in a new temporary folder (a real file, so WAL and the checks at start are
//! the same as in production). PostgreSQL: a new database on the server that
//! `TEST_DATABASE_URL` names, dropped again when the [`TestDb`] is dropped (also when the test
//! panics). Without `TEST_DATABASE_URL` the PostgreSQL variant of a test is skipped, except under
//! CI (`CI` set), where a missing PostgreSQL is an error rather than a silent pass.
//!
//! Templates: tests that all start from the same data (the demo, say) take a copy of a database
//! filled once ([`TestDb::sqlite_from_template`], [`TestDb::postgres_from_template`]) instead of
//! filling their own. A template belongs to one key, one build of the running test program (its
//! path, size and modification time) and one UTC day, and its name says so, so a rebuilt program
//! never finds a stale template and a template is never used after its day. SQLite templates
//! are files in `stedenband-templates` in the temporary folder; PostgreSQL templates are
//! databases on the test server. Whenever a new template is built, the ones nobody can use any
//! more are removed (see [`obsolete`]).

use crate::{Db, Store};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect_for_tests(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new SQLite database holding what `populate` writes into an empty, migrated one. The
    /// first call for a `key` (per build of the test program and per day) runs `populate` and
    /// keeps the result as a template file; every call gets its own copy of that file. Two
    /// processes that need the same missing template build it once: the second waits.
    pub async fn sqlite_from_template(key: &str, populate: impl AsyncFnOnce(&Db)) -> TestDb {
        let template = Template::new(key);
        let folder = std::env::temp_dir().join("stedenband-templates");
        std::fs::create_dir_all(&folder).expect("folder for SQLite templates");
        let file = folder.join(format!("{}.db", template.name));
        if !file.exists() {
            build_sqlite_template(&folder, &file, &template, populate).await;
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("test.db");
        std::fs::copy(&file, &path).expect("copy the SQLite template");
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect_for_tests(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new PostgreSQL database, or `None` (with a note on stderr) when none is configured.
    /// A SQLite database without a schema: a target for `load_document`.
    pub async fn sqlite_empty() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("empty.db").display());
        let db = Db::connect_for_tests(&url).await.expect("open SQLite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A PostgreSQL database without a schema, or `None` without `TEST_DATABASE_URL`.
    pub async fn postgres_empty() -> Option<TestDb> {
        let admin_url = admin_url()?;
        Some(TestDb::create_postgres(admin_url, test_database_name(), None).await)
    }

    pub async fn postgres() -> Option<TestDb> {
        let admin_url = admin_url()?;
        let t = TestDb::create_postgres(admin_url, test_database_name(), None).await;
        t.db.migrate().await.expect("migrate PostgreSQL");
        Some(t)
    }

    /// A new PostgreSQL database holding what `populate` writes into an empty, migrated one, or
    /// `None` as [`TestDb::postgres`]. The first call for a `key` (per build of the test program
    /// and per day) fills a template database under an advisory lock, so other processes wait
    /// for it; every call gets its own database made with `CREATE DATABASE … TEMPLATE`.
    pub async fn postgres_from_template(
        key: &str,
        populate: impl AsyncFnOnce(&Db),
    ) -> Option<TestDb> {
        let admin_url = admin_url()?;
        let template = Template::new(key);
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("reach TEST_DATABASE_URL");
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(template.lock_key)
            .execute(&mut admin)
            .await
            .expect("take the template's lock");
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(&template.name)
                .fetch_one(&mut admin)
                .await
                .expect("look for the template");
        if !exists {
            drop_obsolete_postgres_templates(&mut admin, &template).await;
            // Built under another name and renamed when complete, so a template is never seen
            // half filled. Left over by a builder that was killed: dropped first. Dropped again
            // (by `TestDb`'s drop) if `populate` panics.
            let build_name = format!("{}_build", template.name);
            execute(
                &mut admin,
                &format!("DROP DATABASE IF EXISTS {build_name} WITH (FORCE)"),
            )
            .await
            .expect("drop an unfinished template");
            let build = TestDb::create_postgres(admin_url.clone(), build_name.clone(), None).await;
            build.db.migrate().await.expect("migrate PostgreSQL");
            populate(&build.db).await;
            // A database with a connection open can neither be renamed nor copied.
            build.db.close().await;
            rename_database(&mut admin, &build_name, &template.name).await;
            // Nobody connects to a template again (autovacuum included), so copying it never
            // finds it in use. Copies are made connectable again by `CREATE DATABASE`.
            let sql = format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", template.name);
            execute(&mut admin, &sql)
                .await
                .expect("close the template to connections");
            drop(build);
        }
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(template.lock_key)
            .execute(&mut admin)
            .await
            .expect("release the template's lock");
        admin.close().await.ok();
        let t =
            TestDb::create_postgres(admin_url, test_database_name(), Some(&template.name)).await;
        // Nothing to do (the template is at the latest version), but cheap and a check.
        t.db.migrate().await.expect("migrate PostgreSQL");
        Some(t)
    }

    /// Creates the database `name` (empty, or a copy of `template`) and connects to it.
    async fn create_postgres(admin_url: String, name: String, template: Option<&str>) -> TestDb {
        let admin = Db::connect(&admin_url)
            .await
            .expect("reach TEST_DATABASE_URL");
        if let Db::Postgres(pool) = &admin {
            let create = match template {
                Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
                None => format!("CREATE DATABASE {name}"),
            };
            sqlx::query(sqlx::AssertSqlSafe(create))
                .execute(pool)
                .await
                .expect("create test database");
            // A test database is thrown away: its commits need not wait for the disk.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            )))
            .execute(pool)
            .await
            .expect("configure test database");
        }
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let db = Db::connect(&url).await.expect("open test database");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    pub fn store(&self) -> Store {
        Store::new(self.db.clone())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, db_name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on; use a new one.
            let done = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = Db::connect(&admin_url).await.ok()?;
                    if let Db::Postgres(pool) = &admin {
                        let sql = format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)");
                        sqlx::query(sqlx::AssertSqlSafe(sql))
                            .execute(pool)
                            .await
                            .ok()?;
                    }
                    admin.close().await;
                    Some(())
                })
            })
            .join();
            if !matches!(done, Ok(Some(()))) {
                eprintln!("could not drop test database {name}");
            }
        }
    }
}

/// The server `TEST_DATABASE_URL` names, or `None` (with a note on stderr) when it is not set.
fn admin_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests must run")
        }
        _ => {
            eprintln!("TEST_DATABASE_URL not set: skipping the PostgreSQL variant");
            None
        }
    }
}

/// A database name no other test uses.
fn test_database_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "stedenband_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// Every template's name starts with this.
const TEMPLATE_PREFIX: &str = "stedenband_tpl_";

/// A template: its name (a database name on PostgreSQL, a file name on SQLite), the number of
/// its advisory lock on PostgreSQL, and what the name holds.
///
/// The name is `stedenband_tpl_DAY_FAMILY_BUILT_ID`: the UTC day (`YYYYMMDD`), a hash of the key
/// and the test program's path (the family: the templates of one key of one program, build after
/// build), the program's modification time in seconds since 1970, and a hash of all of these and
/// the program's size. At most 52 characters, 58 with `_build`: within PostgreSQL's 63.
struct Template {
    name: String,
    lock_key: i64,
    family: String,
    built: u64,
}

impl Template {
    fn new(key: &str) -> Template {
        let exe = std::env::current_exe().expect("the test program's path");
        let meta = std::fs::metadata(&exe).expect("the test program's file");
        let modified = meta.modified().ok();
        let built = modified
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
        let hash = |value: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            value(&mut h);
            h.finish()
        };
        let family = format!("{:08x}", hash(&|h| (key, &exe).hash(h)) as u32);
        let id = hash(&|h| (key, &exe, meta.len(), modified, &day).hash(h));
        Template {
            name: format!("{TEMPLATE_PREFIX}{day}_{family}_{built}_{:08x}", id as u32),
            lock_key: i64::from_ne_bytes(id.to_ne_bytes()),
            family,
            built,
        }
    }
}

/// What a template's name (or that of a lock or an unfinished build of one) holds: its day,
/// family and the modification time of its program.
fn stamp(name: &str) -> Option<(&str, &str, u64)> {
    let mut parts = name.strip_prefix(TEMPLATE_PREFIX)?.split('_');
    let day = parts.next().filter(|d| d.len() == 8)?;
    let family = parts.next().filter(|f| f.len() == 8)?;
    let built = parts.next()?.parse().ok()?;
    Some((day, family, built))
}

/// The names among `names` that no test can use any more, now that `current` is being built:
///
/// - a template of a day before yesterday, as a template is only used on its own day (and a
///   test takes its copy seconds after it chose the template);
/// - a template of an earlier build of the same program (same family, earlier modification
///   time) once a later build of it is more than an hour old: the earlier program was replaced
///   then, and its processes, which all started before, ended long ago (a test of this project
///   takes minutes, not an hour).
fn obsolete<'a>(names: &'a [String], current: &Template, now: jiff::Timestamp) -> Vec<&'a str> {
    let yesterday = (now - jiff::SignedDuration::from_hours(24))
        .strftime("%Y%m%d")
        .to_string();
    let an_hour_ago = u64::try_from(now.as_second() - 3600).unwrap_or(0);
    let builds: Vec<u64> = names
        .iter()
        .filter_map(|n| stamp(n))
        .filter(|(_, family, _)| *family == current.family)
        .map(|(_, _, built)| built)
        .chain([current.built])
        .collect();
    names
        .iter()
        .map(String::as_str)
        .filter(|n| {
            stamp(n).is_some_and(|(day, family, built)| {
                day < yesterday.as_str()
                    || (family == current.family
                        && builds.iter().any(|&b| built < b && b <= an_hour_ago))
            })
        })
        .collect()
}

async fn build_sqlite_template(
    folder: &Path,
    file: &Path,
    template: &Template,
    populate: impl AsyncFnOnce(&Db),
) {
    // SQLite's own lock on a file of its own (let go by the system when a process dies) makes a
    // second builder of the same template wait for the first.
    let lock_options = SqliteConnectOptions::new()
        .filename(folder.join(format!("{}.lock", template.name)))
        .create_if_missing(true)
        .busy_timeout(Duration::from_secs(600));
    let mut lock = SqliteConnection::connect_with(&lock_options)
        .await
        .expect("open the template's lock");
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut lock)
        .await
        .expect("take the template's lock");
    if !file.exists() {
        remove_obsolete_sqlite_templates(folder, template);
        // Built in a folder of its own and moved into place when complete, so a template is
        // never seen half written.
        let build = tempfile::Builder::new()
            .prefix(&format!("{}.build.", template.name))
            .tempdir_in(folder)
            .expect("folder to build a SQLite template");
        let url = format!("sqlite://{}", build.path().join("build.db").display());
        let db = Db::connect_for_tests(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        populate(&db).await;
        // One file, WAL included, without free pages.
        let packed = build.path().join("template.db");
        if let Db::Sqlite(pool) = &db {
            sqlx::query("VACUUM INTO ?")
                .bind(packed.to_str().expect("a temporary path in UTF-8"))
                .execute(pool)
                .await
                .expect("write the SQLite template");
        }
        db.close().await;
        std::fs::rename(&packed, file).expect("put the SQLite template in place");
    }
    sqlx::query("ROLLBACK").execute(&mut lock).await.ok();
    lock.close().await.ok();
}

/// Removes the [`obsolete`] templates, their locks and unfinished builds; errors are ignored.
fn remove_obsolete_sqlite_templates(folder: &Path, current: &Template) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    for name in obsolete(&names, current, jiff::Timestamp::now()) {
        let path = folder.join(name);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).ok();
        } else {
            std::fs::remove_file(&path).ok();
        }
    }
}

/// Drops the [`obsolete`] templates and unfinished builds; errors are ignored.
async fn drop_obsolete_postgres_templates(admin: &mut PgConnection, current: &Template) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
            .bind(TEMPLATE_PREFIX)
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in obsolete(&names, current, jiff::Timestamp::now()) {
        let plain = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if plain {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            execute(admin, &sql).await.ok();
        }
    }
}

/// Renames a database whose last connections may still be closing on the server.
async fn rename_database(admin: &mut PgConnection, from: &str, to: &str) {
    let sql = format!("ALTER DATABASE {from} RENAME TO {to}");
    let mut tries = 0;
    loop {
        match execute(admin, &sql).await {
            Ok(()) => return,
            Err(e) if tries < 100 => {
                tries += 1;
                tracing::debug!("renaming {from} to {to}: {e}; trying again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("rename {from} to {to}: {e}"),
        }
    }
}

async fn execute(admin: &mut PgConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(admin)
        .await
        .map(|_| ())
}

/// The same server URL with another database name.
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].rfind('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Declares one async test per backend: `mod name { sqlite, postgres }`, each calling
/// `$case(store)` on a fresh database.
///
/// With `template KEY, POPULATE;` first, each database is instead a copy of a template that
/// `POPULATE` (an `async fn(&Db)`, named by a path that works from anywhere, such as
/// `crate::support::demo`) filled once ([`TestDb::sqlite_from_template`]).
#[macro_export]
macro_rules! test_on_both_backends {
    (template $key:expr, $populate:path; $($name:ident => $case:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let t = $crate::testing::TestDb::sqlite_from_template($key, $populate).await;
                    super::$case(t.store()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(t) =
                        $crate::testing::TestDb::postgres_from_template($key, $populate).await
                    else {
                        return;
                    };
                    super::$case(t.store()).await;
                }
            }
        )+
    };
    ($($name:ident => $case:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let t = $crate::testing::TestDb::sqlite().await;
                    super::$case(t.store()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(t) = $crate::testing::TestDb::postgres().await else { return };
                    super::$case(t.store()).await;
                }
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::{Template, TestDb, replace_database};
    use crate::Db;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// How often `probe` ran in this process, per backend.
    static FILLED: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];

    async fn probe(db: &Db) {
        FILLED[db.backend() as usize].fetch_add(1, Ordering::SeqCst);
        crate::on_db!(db, pool => {
            sqlx::query("CREATE TABLE template_probe (word TEXT NOT NULL)")
                .execute(pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO template_probe (word) VALUES ('hranice')")
                .execute(pool)
                .await
                .unwrap();
        });
    }

    async fn probed(t: &TestDb) -> Vec<String> {
        let sql = "SELECT word FROM template_probe";
        crate::on_db!(&t.db, pool => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap())
    }

    /// Each copy holds what the template was filled with and is a database of its own; the
    /// template is filled once (or not at all, when an earlier run of this program today did).
    async fn copies(a: TestDb, b: TestDb) {
        let filled = FILLED[a.db.backend() as usize].load(Ordering::SeqCst);
        assert!(
            filled <= 1,
            "the template is filled once, not {filled} times"
        );
        assert_ne!(a.url, b.url);
        assert_eq!(probed(&a).await, ["hranice"]);
        let sql = "INSERT INTO template_probe (word) VALUES ('temecula')";
        crate::on_db!(&a.db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).unwrap();
        assert_eq!(probed(&a).await, ["hranice", "temecula"]);
        assert_eq!(probed(&b).await, ["hranice"]);
        // Opened as the program opens a database, a copy passes the checks at start.
        let db = Db::connect(&a.url).await.unwrap();
        db.check().await.unwrap();
        db.close().await;
    }

    #[tokio::test]
    async fn sqlite_copies_of_a_template() {
        let a = TestDb::sqlite_from_template("probe", probe).await;
        let b = TestDb::sqlite_from_template("probe", probe).await;
        copies(a, b).await;
    }

    #[tokio::test]
    async fn postgres_copies_of_a_template() {
        let Some(a) = TestDb::postgres_from_template("probe", probe).await else {
            return;
        };
        let b = TestDb::postgres_from_template("probe", probe)
            .await
            .unwrap();
        copies(a, b).await;
    }

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            replace_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }

    #[test]
    fn old_days_and_replaced_builds_are_obsolete() {
        let now: jiff::Timestamp = "2026-11-28T12:00:00Z".parse().unwrap();
        let minutes_ago = |m: i64| u64::try_from(now.as_second() - m * 60).unwrap();
        let hours_ago = |h: i64| minutes_ago(h * 60);
        let name = |day: &str, family: &str, built: u64| {
            format!("stedenband_tpl_{day}_{family}_{built}_0123abcd")
        };
        let current = Template {
            name: name("20261128", "aaaaaaaa", hours_ago(0)),
            lock_key: 0,
            family: "aaaaaaaa".into(),
            built: hours_ago(0),
        };
        let names = vec![
            current.name.clone(),
            format!("{}.lock", current.name),
            // Other programs (or keys): kept on their day and the day before.
            name("20261128", "bbbbbbbb", hours_ago(30)),
            name("20261127", "bbbbbbbb", hours_ago(30)),
            name("20261126", "bbbbbbbb", hours_ago(50)),
            format!("{}_build", name("20261125", "bbbbbbbb", hours_ago(80))),
            format!("{}.db", name("20261125", "bbbbbbbb", hours_ago(80))),
            // Earlier builds of this program: one replaced three hours ago by the next, which
            // was replaced half an hour ago by another, which was replaced just now.
            name("20261128", "aaaaaaaa", hours_ago(5)),
            format!("{}.db", name("20261128", "aaaaaaaa", hours_ago(5))),
            name("20261128", "aaaaaaaa", hours_ago(3)),
            name("20261128", "aaaaaaaa", minutes_ago(30)),
            // Not templates.
            "stedenband_test_1_2_abcdef01".into(),
            "stedenband_tpl_x".into(),
            "test".into(),
        ];
        let mut gone = super::obsolete(&names, &current, now);
        gone.sort();
        let mut expected = vec![
            names[4].as_str(),
            names[5].as_str(),
            names[6].as_str(),
            names[7].as_str(),
            names[8].as_str(),
        ];
        expected.sort();
        assert_eq!(gone, expected);
        // Three quarters of an hour later, the build of three hours ago has been replaced for
        // long enough too; the one of half an hour ago not yet.
        let later = now + jiff::SignedDuration::from_mins(45);
        assert!(super::obsolete(&names, &current, later).contains(&names[9].as_str()));
        assert!(!super::obsolete(&names, &current, later).contains(&names[10].as_str()));
    }
}
