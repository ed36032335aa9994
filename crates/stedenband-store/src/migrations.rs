//! The schema, one SQL file per database and version, embedded in the binary.

use sqlx::SqlStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

use crate::Backend;

/// Every migration: version, description, SQLite text, PostgreSQL text. One row is one change,
/// so the two databases cannot drift to different versions.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "register",
        include_str!("../migrations/sqlite/0001_register.sql"),
        include_str!("../migrations/postgres/0001_register.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/sqlite/0002_accounts.sql"),
        include_str!("../migrations/postgres/0002_accounts.sql"),
    ),
    (
        3,
        "audit",
        include_str!("../migrations/sqlite/0003_audit.sql"),
        include_str!("../migrations/postgres/0003_audit.sql"),
    ),
    (
        4,
        "second factor",
        include_str!("../migrations/sqlite/0004_second_factor.sql"),
        include_str!("../migrations/postgres/0004_second_factor.sql"),
    ),
    (
        5,
        "byte order",
        include_str!("../migrations/sqlite/0005_byte_order.sql"),
        include_str!("../migrations/postgres/0005_byte_order.sql"),
    ),
    (
        6,
        "organisation",
        include_str!("../migrations/sqlite/0006_organisation.sql"),
        include_str!("../migrations/postgres/0006_organisation.sql"),
    ),
    (
        7,
        "activities",
        include_str!("../migrations/sqlite/0007_activities.sql"),
        include_str!("../migrations/postgres/0007_activities.sql"),
    ),
    (
        8,
        "participants",
        include_str!("../migrations/sqlite/0008_participants.sql"),
        include_str!("../migrations/postgres/0008_participants.sql"),
    ),
    (
        9,
        "occurrence cancelled",
        include_str!("../migrations/sqlite/0009_occurrence_cancelled.sql"),
        include_str!("../migrations/postgres/0009_occurrence_cancelled.sql"),
    ),
    (
        10,
        "money",
        include_str!("../migrations/sqlite/0010_money.sql"),
        include_str!("../migrations/postgres/0010_money.sql"),
    ),
    (
        11,
        "evaluations",
        include_str!("../migrations/sqlite/0011_evaluations.sql"),
        include_str!("../migrations/postgres/0011_evaluations.sql"),
    ),
    (
        12,
        "decisions",
        include_str!("../migrations/sqlite/0012_decisions.sql"),
        include_str!("../migrations/postgres/0012_decisions.sql"),
    ),
    (
        13,
        "world",
        include_str!("../migrations/sqlite/0013_world.sql"),
        include_str!("../migrations/postgres/0013_world.sql"),
    ),
];

/// The migrator for one backend that stops at `version` (loading a document of that version).
pub(crate) fn migrator_to(backend: Backend, version: i64) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .filter(|m| m.0 <= version)
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                SqlStr::from_static(sql),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// The newest version this program knows.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}
