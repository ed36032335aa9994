//! Who calls a use case, and from where: for the permission checks and the audit log.

use crate::AppError;
use stedenband_domain::{Action, Principal, may};

#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The client's address, as the server saw it.
    pub address: Option<String>,
}

impl Caller {
    pub fn new(principal: Principal, address: Option<String>) -> Self {
        Self { principal, address }
    }

    /// The program itself: demo data, commands run by the operator.
    pub fn system() -> Self {
        Self {
            principal: Principal::System,
            address: None,
        }
    }

    pub fn public() -> Self {
        Self {
            principal: Principal::Public,
            address: None,
        }
    }

    /// Refuses the public before anything else is looked at.
    pub fn require_login(&self) -> Result<(), AppError> {
        match self.principal {
            Principal::Public => Err(AppError::Unauthenticated),
            _ => Ok(()),
        }
    }

    /// Refuses what the caller may not do: the public with "log in", accounts with "forbidden".
    pub fn require(&self, action: &Action) -> Result<(), AppError> {
        if may(&self.principal, action) {
            Ok(())
        } else if matches!(self.principal, Principal::Public) {
            Err(AppError::Unauthenticated)
        } else {
            Err(AppError::Forbidden)
        }
    }
}
