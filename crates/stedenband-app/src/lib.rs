//! Use cases of Stedenband: validation, look-ups and store calls in one place, shared by the
//! HTML pages, the JSON API and the command line, so the three cannot disagree.
//!
//! Callers hand in raw input (strings as typed); this layer resolves references (a municipality
//! by id or slug), lets the domain parse the rest, and stores the result. Errors come back as
//! [`AppError`]: invalid fields with translation keys, not found, or a store failure.

pub mod accounts;
pub mod activities;
pub mod audit;
#[cfg(feature = "bench")]
pub mod bench_data;
mod caller;
pub mod decisions;
pub mod demo;
mod error;
pub mod evaluations;
pub mod money;
pub mod organisation;
pub mod participants;
mod register;
pub mod reports;
pub mod world;

pub use accounts::Accounts;
pub use activities::Activities;
pub use audit::AuditLog;
pub use caller::Caller;
pub use decisions::{
    AdoptionView, DecisionView, Decisions, EndingView, ScenarioComparison, ScenarioView,
};
pub use error::{AppError, RuleRefusal};
pub use evaluations::{EvaluationView, Evaluations};
pub use organisation::Organisation;
pub use register::{MunicipalityView, PartnershipDetail, PartnershipView, Register};
pub use reports::{ReportParams, ReportView, Reports};
pub use stedenband_store::{MunicipalityFilter, Page, PageRequest};
pub use world::World;
