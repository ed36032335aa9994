//! The service layer's one error type.

use stedenband_domain::ValidationErrors;
use stedenband_domain::decision::{DecisionRef, RuleKind};
use stedenband_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; each entry names the field and a translation key.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// Nobody is logged in, and this needs an account.
    #[error("login required")]
    Unauthenticated,
    /// The account may not do this.
    #[error("not allowed")]
    Forbidden,
    /// A rule that an adopted decision imposed refuses the change; the error cites it.
    #[error("refused by rule {} of decision {}", .0.rule, .0.decision)]
    Refused(Box<RuleRefusal>),
    /// A file to import is unreadable as a whole (not UTF-8, wrong columns, not the expected
    /// JSON); nothing was written.
    #[error("{0}")]
    BadFile(stedenband_domain::world::input::FileError),
    /// Storage failed: not the user's fault; logged, never shown in detail.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl AppError {
    /// Maps store conflicts onto the field they concern and "not found" onto [`AppError::NotFound`].
    pub(crate) fn from_store(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field: "slug" } => {
                AppError::Invalid(ValidationErrors::single("slug", "error-slug-taken"))
            }
            other => AppError::Store(other),
        }
    }
}

/// The rule of a decision that refuses a change, as errors cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRefusal {
    /// The input field the refusal is shown next to.
    pub field: &'static str,
    pub rule: RuleKind,
    pub decision: DecisionRef,
}
