//! The `stedenband` program: one binary for the server and the administration commands.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use stedenband_app::accounts::SessionPolicy;
use stedenband_app::{Register, demo};
use stedenband_store::{Db, Store};
use stedenband_web::auth::CookiePolicy;
use stedenband_web::{AppState, Server};
use tracing_subscriber::EnvFilter;

mod backup;
mod gdpr;
mod user;
mod world;

/// Stedenband: the register of town twinnings (stedenbanden).
///
/// Runs on an embedded SQLite file by default, or on PostgreSQL when the database URL says so.
/// Every option can also be given as an environment variable, and all of them are accepted after
/// any command.
#[derive(Parser, Debug)]
#[command(name = "stedenband", version, about, long_about)]
struct Cli {
    /// The database: `sqlite://FILE` (created if missing) or
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. [default: sqlite://stedenband.db]
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,

    /// Which messages to log, as a tracing filter (`info`, `debug`, `stedenband_web=debug`, ...).
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the pages and the JSON API. Migrates the database first.
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "STEDENBAND_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,

        /// Start with the demo data (the twinnings of Leidschendam-Voorburg). Without
        /// --database-url the demo runs on a fresh temporary database that is removed at exit;
        /// with one, that database must be empty.
        #[arg(long)]
        demo: bool,

        /// Send the session cookie without `Secure` and without the `__Host-` prefix, so that
        /// logging in works over plain HTTP. Only for development on 127.0.0.1; `--demo` implies it.
        #[arg(long, env = "STEDENBAND_INSECURE_COOKIES")]
        insecure_cookies: bool,

        /// Minutes without a request after which a session ends.
        #[arg(long, env = "STEDENBAND_SESSION_IDLE_MINUTES", default_value_t = 30)]
        session_idle_minutes: i64,

        /// The address of a reverse proxy (the TLS terminator) whose X-Forwarded-For header
        /// names the client; repeatable. Without it the header is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "STEDENBAND_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,

        /// Hours after login at which a session ends, used or not.
        #[arg(long, env = "STEDENBAND_SESSION_MAX_HOURS", default_value_t = 12)]
        session_max_hours: i64,

        /// Months without a held activity after which a partnership is flagged as dormant.
        #[arg(long, env = "STEDENBAND_DORMANCY_MONTHS", default_value_t = 24)]
        dormancy_months: u16,

        /// The site's public address (https://stedenband.example.nl), for the absolute links
        /// in the iCalendar feeds. Without it they use the address listened on (never the
        /// Host header a client sends).
        #[arg(long, env = "STEDENBAND_BASE_URL", value_parser = stedenband_web::parse_base_url)]
        base_url: Option<String>,
    },
    /// Manage accounts: create the first administrator, list, disable, reset, make tokens,
    /// reset a lost second factor.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Apply the database migrations this program has, then check the database.
    Migrate,
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// A consistent copy of the database while the server runs, as a new file with mode 0600:
    /// on SQLite a SQLite file (VACUUM INTO), on PostgreSQL the whole database as a document.
    Backup {
        /// The new file; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Restore a backup (either kind) into an empty database of either kind, then check its
    /// integrity and verify its audit log.
    Restore {
        /// A file made by `stedenband backup`.
        file: PathBuf,
    },
    /// Export data: `export municipality FILE` writes the whole register as one JSON document.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Load the demo data (the twinnings of Leidschendam-Voorburg and the shipped world list)
    /// into an empty database and stop, for trying out backups and moves without a server.
    Demo,
    /// Check the database: SQLite's integrity check, every foreign key, the audit log. Exits 1
    /// on any problem.
    Check,
    /// Import data: `import world FILE` reads a list of twinnings into the world register;
    /// `import municipality FILE` loads an export into an empty database.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// AVG/GDPR: the register of processing activities, the retention run, a person's
    /// export or erasure.
    Gdpr {
        #[command(subcommand)]
        command: gdpr::GdprCommand,
    },
    /// Check the tamper-evident audit log, or print its head to keep elsewhere.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// A list of twinnings (CSV, JSON rows or Wikidata JSON) into the world register: country
    /// names mapped to ISO codes, towns reconciled (also with the register's municipalities),
    /// each pair stored once, every row accounted for. One transaction; importing the same
    /// file again changes nothing.
    World(world::ImportWorld),
    /// A document written by `export municipality` into an empty database of either kind (the
    /// way to move from SQLite to PostgreSQL), then the integrity check and `audit verify`.
    Municipality {
        /// The JSON document.
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// The register, organisation, activities, money, evaluations, decisions, accounts, the
    /// world register and the audit log as one JSON document (mode 0600: it holds password
    /// hashes), to load with `import municipality` into an empty SQLite or PostgreSQL database.
    Municipality {
        /// The new file; an existing file is never overwritten.
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Check every entry of the audit log: none edited, removed, moved or relinked. Exits 1 and
    /// names the first broken entry otherwise.
    Verify {
        /// A head printed earlier by `stedenband audit head` and kept outside the database: the
        /// log must still reach that entry with that hash, so removing the newest entries shows.
        #[arg(long, value_name = "SEQ:HASH", value_parser = parse_audit_head)]
        head: Option<(i64, String)>,
    },
    /// Print the newest entry as SEQ:HASH, to keep elsewhere (a ticket, a mail, another
    /// machine) and hand to `audit verify --head` later.
    Head,
}

/// glibc's allocator gives every thread that allocates its own arena and keeps freed memory in
/// each; a server whose data is a graph built once would hold several copies' worth of garbage.
/// One arena: the threads of a small server seldom allocate at the same moment.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Hands memory freed after start-up (the import of the demo, the graph's building) back to
/// the system.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn main() -> Result<()> {
    tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?
        .block_on(run())
}

async fn run() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_new(&cli.log).context("invalid --log filter")?)
        .init();
    match cli.command {
        Command::Serve {
            listen,
            demo,
            insecure_cookies,
            trusted_proxies,
            session_idle_minutes,
            session_max_hours,
            dormancy_months,
            base_url,
        } => {
            let sessions = SessionPolicy {
                idle: jiff::SignedDuration::from_mins(session_idle_minutes.max(1)),
                absolute: jiff::SignedDuration::from_hours(session_max_hours.max(1)),
            };
            let cookies = CookiePolicy {
                secure: !(insecure_cookies || demo),
            };
            serve(
                cli.database_url.as_deref(),
                &listen,
                demo,
                cookies,
                sessions,
                |state| {
                    let state = state
                        .trusting_proxies(trusted_proxies)
                        .with_dormancy_months(dormancy_months);
                    match &base_url {
                        Some(url) => state.with_base_url(url),
                        None => state,
                    }
                },
            )
            .await
        }
        Command::Migrate => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            db.close().await;
            println!("The database is migrated and ready.");
            Ok(())
        }
        Command::User { command } => {
            user::run(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                command,
            )
            .await
        }
        Command::Audit { command } => audit(cli.database_url.as_deref(), command).await,
        Command::Gdpr { command } => {
            gdpr::run(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                command,
            )
            .await
        }
        Command::Backup { file } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            let result = backup::backup(db.clone(), &file).await;
            db.close().await;
            result
        }
        Command::Restore { file } => {
            backup::load(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                &file,
                "restore",
            )
            .await
        }
        Command::Export {
            command: ExportCommand::Municipality { file },
        } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            let result = backup::export(db.clone(), &file).await;
            db.close().await;
            result
        }
        Command::Import {
            command: ImportCommand::Municipality { file },
        } => {
            backup::load(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                &file,
                "import",
            )
            .await
        }
        Command::Demo => {
            let url = cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE);
            let db = open(url).await?;
            let result = load_demo(&db, url).await;
            db.close().await;
            result
        }
        Command::Check => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            if !backup::check(db).await? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Import {
            command: ImportCommand::World(args),
        } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            let result = world::run(db.clone(), args).await;
            db.close().await;
            result
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&stedenband_web::api::openapi())?
            );
            Ok(())
        }
    }
}

/// Connects, migrates and checks; any failure is a clear message and no start.
async fn open(url: &str) -> Result<Db> {
    let db = Db::connect(url).await?;
    db.migrate()
        .await
        .context("could not migrate the database")?;
    db.check().await.context("the database is not fit to use")?;
    Ok(db)
}

/// The embedded default: a SQLite file in the working directory.
const DEFAULT_DATABASE: &str = "sqlite://stedenband.db";

async fn serve(
    url: Option<&str>,
    listen: &str,
    demo: bool,
    cookies: CookiePolicy,
    sessions: SessionPolicy,
    // The remaining settings of the state: proxies, dormancy, the public address.
    settings: impl FnOnce(AppState) -> AppState,
) -> Result<()> {
    // A demo without a named database gets a fresh one of its own, so it never mixes with (or
    // overwrites) the real stedenband.db.
    let temp = if demo && url.is_none() {
        Some(tempdir()?)
    } else {
        None
    };
    let url = match (&temp, url) {
        (Some(dir), _) => format!("sqlite://{}", dir.join("demo.db").display()),
        (None, Some(url)) => url.to_owned(),
        (None, None) => DEFAULT_DATABASE.to_owned(),
    };
    let db = open(&url).await?;
    if demo {
        let register = Register::new(Store::new(db.clone()));
        let existing = register
            .municipalities(&Default::default(), stedenband_app::PageRequest::new(1, 1))
            .await?
            .total;
        if existing > 0 {
            bail!(
                "--demo needs an empty database, but {url} already holds {existing} municipalities"
            );
        }
        demo::load(&register)
            .await
            .context("could not load the demo data")?;
        tracing::info!("demo data loaded");
    }
    // The demo's printed password alone logs in: the second factor is offered, not required.
    let state =
        settings(AppState::with(db.clone(), cookies, sessions).requiring_second_factor(!demo));
    let base_url_set = state.base_url.is_some();
    let demo_login = if demo {
        let report = demo::load_world(&state.world)
            .await
            .context("could not load the demo's world list")?;
        tracing::info!(
            pairs = report.pairs_new,
            towns = report.towns_new,
            "demo world list loaded"
        );
        Some(user::demo_admin(&state.accounts).await?)
    } else {
        None
    };
    // The world graph is built before the first request, and rebuilt when another process
    // (an `import world`, a second server) changes what it is built from.
    state
        .world
        .graph()
        .await
        .context("could not build the world graph")?;
    release_freed_memory();
    {
        let world = state.world.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = world.refresh_if_changed().await {
                    tracing::warn!(error = %e, "could not refresh the world graph");
                }
            }
        });
    }
    let server = Server::bind(listen, state)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = server.local_addr()?;
    tracing::info!(database = %stedenband_store::redact(&url), "Stedenband is running at http://{addr}");
    if !base_url_set {
        tracing::info!(
            "no --base-url: the iCalendar feeds link to http://{addr} \
             (set --base-url to the public address behind a proxy)"
        );
    }
    if let Some((name, password)) = demo_login {
        // Demo mode only: a throw-away administrator so a newcomer can try every page.
        println!("Stedenband demo: http://{addr}  log in as {name} with password {password}");
    }
    server.run(shutdown_signal()).await?;
    db.close().await;
    if let Some(dir) = temp {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

/// `stedenband demo`: the demo data and the world list into an empty database.
async fn load_demo(db: &Db, url: &str) -> Result<()> {
    let store = Store::new(db.clone());
    let register = Register::new(store.clone());
    let existing = register
        .municipalities(&Default::default(), stedenband_app::PageRequest::new(1, 1))
        .await?
        .total;
    if existing > 0 {
        bail!(
            "the demo needs an empty database, but {url} already holds {existing} municipalities"
        );
    }
    demo::load(&register)
        .await
        .context("could not load the demo data")?;
    let report = demo::load_world(&stedenband_app::World::new(store))
        .await
        .context("could not load the demo's world list")?;
    println!(
        "demo: the register of Leidschendam-Voorburg and the world list ({} pairs) loaded into {}",
        report.pairs_new,
        stedenband_store::redact(url)
    );
    Ok(())
}

/// A new private folder for the demo database.
fn tempdir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("stedenband-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("stopping: finishing the requests under way");
}

/// `audit verify` and `audit head`.
async fn audit(url: Option<&str>, command: AuditCommand) -> Result<()> {
    let db = open(url.unwrap_or(DEFAULT_DATABASE)).await?;
    let log = stedenband_app::AuditLog::new(Store::new(db.clone()));
    let intact = match command {
        AuditCommand::Head => log.head().await.map(|(seq, hash)| {
            println!("{seq}:{hash}");
            true
        }),
        AuditCommand::Verify { head } => log.verify(head).await.map(|checked| match checked {
            Ok(s) => {
                println!(
                    "audit log intact: {} entries, head {}:{}",
                    s.count, s.head_seq, s.head_hash
                );
                true
            }
            Err(broken) => {
                eprintln!("audit log broken: {broken}");
                false
            }
        }),
    };
    db.close().await;
    if !intact.context("could not read the audit log")? {
        std::process::exit(1);
    }
    Ok(())
}

/// `--head SEQ:HASH`, as `audit head` prints it.
fn parse_audit_head(raw: &str) -> std::result::Result<(i64, String), String> {
    stedenband_domain::audit::parse_head(raw).ok_or_else(|| {
        "expected SEQ:HASH as printed by `stedenband audit head`: a number, a colon and 64 hex \
         digits"
            .to_owned()
    })
}
