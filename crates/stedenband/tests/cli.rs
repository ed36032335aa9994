//! The `stedenband` binary as a user runs it: help, migrate, serve --demo, and refusing to start
//! on a database it cannot use.

use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn stedenband() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stedenband"));
    c.env_remove("DATABASE_URL")
        .env_remove("STEDENBAND_LISTEN")
        .env("RUST_LOG", "warn");
    c
}

fn run(args: &[&str]) -> Output {
    stedenband().args(args).output().expect("run stedenband")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `serve` with the arguments and waits until it is ready.
async fn serve(args: &[&str], dir: &std::path::Path) -> (Running, String) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = stedenband()
        .current_dir(dir)
        .arg("serve")
        .args(args)
        .args(["--listen", &listen])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    let base = format!("http://{listen}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/health/ready")).await
            && r.status().is_success()
        {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (running, base)
}

#[test]
fn help_explains_the_options_and_their_variables() {
    let out = run(&["serve", "--help"]);
    assert!(out.status.success());
    let help = text(&out);
    for needle in [
        "--listen",
        "STEDENBAND_LISTEN",
        "127.0.0.1:8080",
        "--database-url",
        "DATABASE_URL",
        "--demo",
        "sqlite://stedenband.db",
    ] {
        assert!(
            help.contains(needle),
            "serve --help lacks {needle}:\n{help}"
        );
    }
    let top = text(&run(&["--help"]));
    for needle in ["serve", "migrate"] {
        assert!(top.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn migrate_prepares_a_new_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    // The flag after the command, as after any command.
    let out = run(&["migrate", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("migrated and ready"));
    assert!(dir.path().join("new.db").exists());
    // Again: nothing to do, still fine.
    assert!(run(&["migrate", "--database-url", &url]).status.success());
}

#[test]
fn it_refuses_to_start_on_a_database_it_cannot_use() {
    let out = run(&[
        "serve",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/nothing",
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("cannot reach PostgreSQL"),
        "{}",
        text(&out)
    );
    let out = run(&[
        "serve",
        "--database-url",
        "sqlite:///nonexistent-folder/x.db",
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("cannot open SQLite database"),
        "{}",
        text(&out)
    );
    let out = run(&["migrate", "--database-url", "redis://localhost"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unsupported database URL"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_shows_the_seed_and_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = serve(&["--demo"], dir.path()).await;
    let body: serde_json::Value = reqwest::get(format!(
        "{base}/api/v1/partnerships?municipality=leidschendam-voorburg"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let partners: Vec<_> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["partner"]["name"].clone())
        .collect();
    assert_eq!(partners, vec!["Hranice", "Konstancin-Jeziorna", "Temecula"]);
    drop(server);
    assert!(
        !dir.path().join("stedenband.db").exists(),
        "the demo wrote into the working directory"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_without_demo_starts_empty_on_stedenband_db() {
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = serve(&[], dir.path()).await;
    let body: serde_json::Value = reqwest::get(format!("{base}/api/v1/municipalities"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["total"], 0);
    drop(server);
    assert!(dir.path().join("stedenband.db").exists());
    // --demo on a database that holds data is refused rather than mixed in.
    let url = format!("sqlite://{}", dir.path().join("stedenband.db").display());
    let (server, _) = serve(&["--demo", "--database-url", &url], dir.path()).await;
    drop(server);
    let out = run(&[
        "serve",
        "--demo",
        "--database-url",
        &url,
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--demo needs an empty database"),
        "{}",
        text(&out)
    );
}
