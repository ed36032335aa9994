//! Storage of Stedenband on SQLite (embedded, the default) and PostgreSQL (by URL).
//!
//! One portable implementation with run-time SQL: every query is written once, with `$1`
//! placeholders that both databases accept, and run on whichever pool [`Db`] holds through the
//! [`on_db!`] macro. Backend differences stay inside this crate: the schema lives in one
//! migration file per database with the same version for the same change, embedded in the
//! binary. Values are stored portably: text ids, dates as ISO text with the year as an integer
//! beside them, UTC timestamps as fixed-width text.

mod accounts;
mod activity;
mod audit;
mod db;
mod decision;
pub mod dump;
mod error;
mod evaluation;
mod migrations;
mod money;
mod organisation;
mod participant;
pub mod privacy;
mod register;
mod report;
mod rows;
#[cfg(feature = "testing")]
pub mod testing;
mod world;

pub use accounts::{
    AccessToken, NewSessionRecord, SecondFactorRecord, SessionRecord, SessionStage,
};
pub use activity::ActivityFilter;
pub use audit::AUDIT_PAGE_MAX;
pub use db::{Backend, Db, redact_password as redact};
pub use decision::{Adoption, DecisionRecord, NewRule, PlanYear, ScenarioRecord};
pub use error::StoreError;
pub use evaluation::EvaluationRecord;
pub use money::{ScheduleRecord, SubsidyRecord, TransactionFilter, TransactionRecord};
pub use participant::GuestRecord;
pub use register::{AuditOf, MunicipalityFilter, Page, PageRequest};
pub use report::{CountedActivity, CountedFilter, CountedLine};
pub use world::{
    WorldFingerprint, WorldImportWrite, WorldListData, WorldRegisterData, WorldSnapshot,
};

/// The store: every query the application makes, on either database.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// Counts writes that change the world graph (municipalities, partnerships and their
    /// status, world imports) made through this store and its clones, so that a copy of the
    /// graph held in memory knows when to rebuild.
    world_writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Counts, of those, the writes to the world lists themselves (imports of a list, a
    /// document loaded): the part of the graph that register writes leave as it is.
    world_list_writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            world_writes: Default::default(),
            world_list_writes: Default::default(),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// How many graph-changing writes this store (and its clones) has made.
    pub fn world_writes(&self) -> u64 {
        self.world_writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// How many writes to the world lists (not the register) this store has made.
    pub fn world_list_writes(&self) -> u64 {
        self.world_list_writes
            .load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn world_changed(&self) {
        self.world_writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// A write to the world lists: counted in both counters (the list's first, so that a
    /// reader who sees the new total also sees the list changed).
    pub(crate) fn world_list_changed(&self) {
        self.world_list_writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.world_changed();
    }
}

/// A fresh id for a new record.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The current time as fixed-width UTC text (microseconds: PostgreSQL keeps no more).
pub(crate) fn now_text() -> String {
    time_text(jiff::Timestamp::now())
}

/// A time as the store writes it: fixed-width UTC text, so times compare as text.
pub fn time_text(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
