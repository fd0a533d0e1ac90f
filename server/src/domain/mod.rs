//! Validated domain types. Input is parsed into these at the edge, so the rest of the code
//! never sees an unchecked e-mail address, role or identifier.

pub mod cost;
pub mod email;
pub mod membership;
pub mod offering;
pub mod organization;
pub mod password;
pub mod taxonomy;
pub mod validation;

pub use email::EmailAddress;
pub use organization::{OrganizationKind, Role};
pub use validation::Fields;
