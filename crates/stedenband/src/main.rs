//! The `stedenband` program: one binary for the server and the administration commands.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use stedenband_app::{Register, demo};
use stedenband_store::{Db, Store};
use stedenband_web::{AppState, Server};
use tracing_subscriber::EnvFilter;

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
    },
    /// Apply the database migrations this program has, then check the database.
    Migrate,
    /// Print the OpenAPI document of the JSON API.
    Openapi,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cli.log).context("invalid --log filter")?)
        .init();
    match cli.command {
        Command::Serve { listen, demo } => serve(cli.database_url.as_deref(), &listen, demo).await,
        Command::Migrate => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            db.close().await;
            println!("The database is migrated and ready.");
            Ok(())
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

async fn serve(url: Option<&str>, listen: &str, demo: bool) -> Result<()> {
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
    let server = Server::bind(listen, AppState::new(db.clone()))
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = server.local_addr()?;
    tracing::info!(database = %stedenband_store::redact(&url), "Stedenband is running at http://{addr}");
    server.run(shutdown_signal()).await?;
    db.close().await;
    if let Some(dir) = temp {
        let _ = std::fs::remove_dir_all(dir);
    }
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
