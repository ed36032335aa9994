//! Types and rules of town twinnings.
//!
//! This crate does no I/O and knows nothing of HTTP, JSON or SQL: every value here can only be
//! built valid (parse, don't validate), so the layers above never see a country code that is not
//! in ISO 3166-1, a partnership that ends before it starts, or a private initiative that is not
//! structural. Validation failures name the field and carry a translation key, which the front
//! ends turn into Dutch or English text.

pub mod account;
pub mod activity;
pub mod audit;
pub mod country;
pub mod date;
pub mod decision;
pub mod ending;
pub mod error;
pub mod evaluation;
pub mod funding;
pub mod lineage;
pub mod money;
pub mod municipality;
pub mod organisation;
pub mod participant;
pub mod partnership;
pub mod report;
pub mod scenario;
pub mod text;
pub mod totp;
pub mod world;

pub use account::{Account, Action, Grant, NewPassword, Principal, Role, Username, may};
pub use audit::{AuditDraft, AuditEntry, BreakKind, ChainBreak, ChainSummary, Outcome};
pub use country::CountryCode;
pub use date::PartialDate;
pub use error::{FieldError, ValidationErrors};
pub use lineage::{LineageMap, Merger, MergerInput};
pub use municipality::{
    Coordinates, Municipality, MunicipalityDraft, MunicipalityId, MunicipalityInput, OfficialCode,
    PlaceKind, WikidataId,
};
pub use partnership::{
    EventKind, Initiator, Partnership, PartnershipDraft, PartnershipEvent, PartnershipEventDraft,
    PartnershipEventInput, PartnershipId, PartnershipInput, PartnershipKind, PartnershipStatus,
    StatusClaim,
};
pub use text::{Name, Slug};
