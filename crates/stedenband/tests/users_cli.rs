//! `stedenband user …` and the demo's administrator, as a user runs them.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn stedenband() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stedenband"));
    c.env_remove("DATABASE_URL")
        .env_remove("STEDENBAND_LISTEN")
        .env("RUST_LOG", "warn");
    c
}

/// Runs a command with `input` on stdin.
fn run(args: &[&str], input: &str) -> Output {
    let mut child = stedenband()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_first_administrator_is_made_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    // Every call names the database after the command, as a user may.
    let call = |args: &[&str], input: &str| {
        let mut all = args.to_vec();
        all.extend(["--database-url", url.as_str()]);
        run(&all, input)
    };

    let out = call(
        &["user", "create", "beheerder", "--admin"],
        "password1234\n",
    );
    assert!(!out.status.success(), "a common password was accepted");
    assert!(text(&out).contains("too common"), "{}", text(&out));
    let out = call(
        &["user", "create", "beheerder", "--admin"],
        "kerstboom uit hranice\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = call(
        &[
            "user",
            "create",
            "ambtenaar",
            "--grant",
            "municipal-official:atlantis",
        ],
        "kerstboom uit hranice\n",
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no such municipality"),
        "{}",
        text(&out)
    );
    let out = call(&["user", "list"], "");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("beheerder\tactive\tadministrator"),
        "{}",
        text(&out)
    );

    let out = call(
        &["user", "token", "beheerder", "--label", "backup script"],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let token = stdout.lines().last().unwrap().to_owned();
    assert!(
        token.starts_with("sb_") && token.len() > 60,
        "the token is the last line: {stdout}"
    );

    let out = call(&["user", "disable", "beheerder"], "");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&call(&["user", "list"], "").stdout)
            .contains("beheerder\tdisabled")
    );
    let out = call(&["user", "reset", "beheerder"], "nog een lang wachtwoord\n");
    assert!(out.status.success(), "{}", text(&out));
    // A lost phone: the operator removes the second factor (there is none yet: still fine).
    let out = call(&["user", "reset-second-factor", "beheerder"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("second factor of beheerder removed"),
        "{}",
        text(&out)
    );
    let out = call(&["user", "reset-second-factor", "nobody"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("no such account"));
    let out = call(&["user", "disable", "nobody"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("no such account"));
    // Every change of an account is in the audit log, and the log is intact.
    let out = call(&["audit", "verify"], "");
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_prints_an_administrator_login_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = stedenband()
        .current_dir(dir.path())
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let password = line
        .split("with password ")
        .nth(1)
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    assert!(
        line.contains("log in as demo-admin") && !password.is_empty(),
        "no demo login printed: {line}"
    );

    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let res = loop {
        if let Ok(r) = http.get(format!("{base}/login")).send().await {
            break r;
        }
        assert!(Instant::now() < deadline, "the demo did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = cookie.split_once('=').unwrap().1.to_owned();
    let body = format!("username=demo-admin&password={password}&_csrf={csrf}&next=/account");
    let res = http
        .post(format!("{base}/login"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    // The password alone logs in (no second factor forced in demo mode).
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account");
    let session = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        session.starts_with("stedenband="),
        "demo mode uses a cookie that works over plain HTTP: {session}"
    );
}
