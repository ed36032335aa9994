//! `stedenband gdpr …`: the AVG/GDPR duties from the command line: the register of processing
//! activities, the retention run, and data-subject requests (export, erasure).

use anyhow::{Result, bail};
use clap::Subcommand;
use jiff::civil::Date;
use stedenband_app::organisation::{Organisation, today};
use stedenband_app::{Activities, AppError, Caller, Register};
use stedenband_store::Store;

#[derive(Subcommand, Debug)]
pub enum GdprCommand {
    /// Print the register of processing activities (art. 30) as Markdown, generated from the
    /// schema's annotations: every table and column holding personal data.
    Register,
    /// Anonymise the people whose retention period has passed and remove the names of guests
    /// of activities kept past theirs (60 months). With --dry-run, only list them.
    Retention {
        /// List who would be anonymised, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The day to judge by (YYYY-MM-DD); today when left out.
        #[arg(long, value_name = "DATE")]
        on: Option<Date>,
    },
    /// Print everything stored about a person as JSON (every row that refers to them).
    Export { person: String },
    /// Erase a person: their name, contact details and consent are removed everywhere; their
    /// roles stay with an anonymous reference.
    Erase {
        person: String,
        /// Confirm: erasure cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(url: &str, command: GdprCommand) -> Result<()> {
    if let GdprCommand::Register = command {
        print!("{}", stedenband_store::privacy::register_markdown());
        return Ok(());
    }
    let db = crate::open(url).await?;
    let register = Register::new(Store::new(db.clone()));
    let org = Organisation::new(register.clone());
    let acts = Activities::new(register);
    let system = Caller::system();
    let result = match command {
        GdprCommand::Register => unreachable!("handled above"),
        GdprCommand::Retention { dry_run, on } => {
            let on = on.unwrap_or_else(today);
            let due = org.retention_due(on).await.map_err(explain)?;
            if due.is_empty() {
                println!("Nobody's retention period has passed on {on}.");
            } else {
                println!(
                    "{} {} retention period has passed on {on}:",
                    due.len(),
                    if due.len() == 1 {
                        "person's"
                    } else {
                        "people's"
                    }
                );
                for p in &due {
                    let name = p.name.as_ref().map(|n| n.to_string()).unwrap_or_default();
                    println!("  {}  {name}", p.id);
                }
                if !dry_run {
                    let done = org.run_retention(&system, on).await.map_err(explain)?;
                    println!("Anonymised {} of them.", done.len());
                }
            }
            let guests = acts.guest_retention_due(on).await.map_err(explain)?;
            if guests.is_empty() {
                println!("No guest's name is past its retention period on {on}.");
            } else {
                println!(
                    "{} {} past the retention period on {on}:",
                    guests.len(),
                    if guests.len() == 1 {
                        "guest's name is"
                    } else {
                        "guests' names are"
                    }
                );
                for g in &guests {
                    let name = g
                        .participant
                        .guest_name
                        .as_ref()
                        .map(|n| n.to_string())
                        .unwrap_or_default();
                    println!(
                        "  {}  {name} (activity {}, ended {})",
                        g.participant.id, g.participant.activity, g.activity_end
                    );
                }
                if !dry_run {
                    let done = acts
                        .run_guest_retention(&system, on)
                        .await
                        .map_err(explain)?;
                    println!("Removed {} guests' names.", done.len());
                }
            }
            if dry_run {
                println!("Dry run: nothing was changed.");
            }
            Ok(())
        }
        GdprCommand::Export { person } => {
            let json = org.export_person(&system, &person).await.map_err(explain)?;
            println!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
        GdprCommand::Erase { person, yes } => {
            if !yes {
                bail!("erasure cannot be undone: add --yes to erase person {person}");
            }
            let p = org.erase_person(&system, &person).await.map_err(explain)?;
            println!("Person {} is anonymised.", p.id);
            Ok(())
        }
    };
    db.close().await;
    result
}

fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::NotFound => anyhow::anyhow!("no such person"),
        other => anyhow::Error::new(other).context("the GDPR command failed"),
    }
}
