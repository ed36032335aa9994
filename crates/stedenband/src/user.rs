//! `stedenband user …`: accounts from the command line. There is no default account: the first
//! administrator is made here.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::io::{BufRead, IsTerminal};
use stedenband_app::accounts::random_token;
use stedenband_app::{Accounts, AppError};
use stedenband_store::{Db, Store};

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Make an account. Asks for the password (or reads it from the first line of stdin).
    Create {
        /// The user name: 3 to 64 lower-case letters, digits, `.`, `_`, `-`, `@`.
        name: String,
        /// Make it an administrator.
        #[arg(long)]
        admin: bool,
        /// A role with its scope, e.g. `municipal-official:leidschendam-voorburg`; repeatable.
        #[arg(long = "grant", value_name = "ROLE:SCOPE")]
        grants: Vec<String>,
    },
    /// List the accounts with their roles.
    List,
    /// Disable an account: its sessions end at once and its tokens stop working.
    Disable { name: String },
    /// Enable a disabled account again.
    Enable { name: String },
    /// Set a new password (asked for, or read from stdin); every session of the account ends.
    Reset { name: String },
    /// Remove an account's second factor (a lost phone): its secret and recovery codes are
    /// deleted and its sessions end; it sets up a new one at its next login.
    ResetSecondFactor { name: String },
    /// Make a personal access token for scripts; it is printed on the last line, once.
    Token {
        name: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        label: String,
    },
}

/// Reads a new password: twice at a terminal (not echoed), else the first line of stdin.
fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Same password again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// Turns refusals into sentences for the terminal.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(v) => {
            let reasons: Vec<String> =
                v.0.iter()
                    .map(|f| format!("{}: {}", f.field, reason(f.key)))
                    .collect();
            anyhow::anyhow!("refused: {}", reasons.join("; "))
        }
        AppError::NotFound => anyhow::anyhow!("no such account"),
        other => anyhow::anyhow!(other),
    }
}

/// English texts for the refusals the command line can meet.
fn reason(key: &str) -> &str {
    match key {
        "error-username-invalid" => "use 3 to 64 lower-case letters, digits, '.', '_', '-' or '@'",
        "error-username-taken" => "this user name is already in use",
        "error-password-too-short" => "a password needs at least 12 characters",
        "error-password-too-long" => "a password can have at most 1024 characters",
        "error-password-common" => "this password is too common",
        "error-password-contains-username" => "the password must not contain the user name",
        "error-grant-scope-required" => "this role needs a scope (ROLE:SCOPE)",
        "error-grant-scope-not-allowed" => "this role has no scope",
        "error-municipality-unknown" => "no such municipality",
        "error-choice-invalid" => "unknown role",
        other => other,
    }
}

pub async fn run(url: &str, command: UserCommand) -> Result<()> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    db.check().await?;
    let accounts = Accounts::new(Store::new(db.clone()), Default::default());
    let result = match command {
        UserCommand::Create {
            name,
            admin,
            mut grants,
        } => {
            if admin {
                grants.insert(0, "administrator".to_owned());
            }
            let password = read_password()?;
            let a = accounts
                .create(&name, &password, &grants)
                .await
                .map_err(explain)?;
            println!("account {} created", a.username);
            Ok(())
        }
        UserCommand::List => {
            for a in accounts.list().await.map_err(explain)? {
                let roles: Vec<String> = a
                    .grants
                    .iter()
                    .map(|g| match &g.scope {
                        Some(s) => format!("{}:{s}", g.role.as_str()),
                        None => g.role.as_str().to_owned(),
                    })
                    .collect();
                let state = if a.disabled { "disabled" } else { "active" };
                println!("{}\t{state}\t{}", a.username, roles.join(","));
            }
            Ok(())
        }
        UserCommand::Disable { name } => {
            accounts.set_disabled(&name, true).await.map_err(explain)?;
            println!("account {name} disabled; its sessions have ended");
            Ok(())
        }
        UserCommand::Enable { name } => {
            accounts.set_disabled(&name, false).await.map_err(explain)?;
            println!("account {name} enabled");
            Ok(())
        }
        UserCommand::Reset { name } => {
            let password = read_password()?;
            accounts
                .reset_password(&name, &password)
                .await
                .map_err(explain)?;
            println!("password of {name} changed; its sessions have ended");
            Ok(())
        }
        UserCommand::ResetSecondFactor { name } => {
            accounts.reset_second_factor(&name).await.map_err(explain)?;
            println!(
                "second factor of {name} removed; its sessions have ended, and it sets up a new \
                 one at its next login"
            );
            Ok(())
        }
        UserCommand::Token { name, label } => {
            let token = accounts
                .create_token(&name, &label)
                .await
                .map_err(explain)?;
            println!("token for {name} ({label}); it is shown only now:");
            println!("{token}");
            Ok(())
        }
    };
    db.close().await;
    result
}

/// The demo's administrator: a fresh random password every start, printed by `serve --demo`.
pub async fn demo_admin(accounts: &Accounts) -> Result<(String, String)> {
    let name = "demo-admin".to_owned();
    let password = format!("demo-{}", &random_token()[..16]);
    accounts
        .create(&name, &password, &["administrator".to_owned()])
        .await
        .map_err(explain)
        .context("could not make the demo administrator")?;
    Ok((name, password))
}
