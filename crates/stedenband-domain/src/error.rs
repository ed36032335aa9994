//! Validation errors: which field, and a translation key saying what is wrong with it.
//!
//! The key (e.g. `error-country-unknown`) is looked up in the Fluent files of the web crate, so
//! the same rule reads well in Dutch next to a form field and in English in a problem+json body.

use std::fmt;

/// One invalid field. `field` is the name used in forms and JSON bodies (camelCase in JSON is
/// derived by the web layer); `key` is a translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, key: &'static str) -> Self {
        Self { field, key }
    }
}

/// All invalid fields of one input, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: &'static str, key: &'static str) -> Self {
        Self(vec![FieldError::new(field, key)])
    }

    pub fn push(&mut self, field: &'static str, key: &'static str) {
        self.0.push(FieldError::new(field, key));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs a parser and records its error under `field`, returning the value if it parsed.
    pub fn check<T>(&mut self, field: &'static str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(key) => {
                self.push(field, key);
                None
            }
        }
    }

    /// `Ok(value)` when no field failed.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.key))
            .collect();
        write!(f, "invalid input ({})", parts.join(", "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims a raw input; an empty or blank string is "not given".
pub fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
