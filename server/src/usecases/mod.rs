//! The use cases: one plain async function per thing a person does (create an offering,
//! publish it, save a shortlist, ...). Each takes the connection, the caller, validated input
//! and `now`; asks `authz` what the caller may do; applies the rules of `domain` in one
//! transaction; and answers with a domain value or a `DomainError`. The API's handlers (and
//! the pages to come) are thin adapters over these.

pub mod account;
pub mod bundle_desk;
pub mod bundle_questions;
pub mod bundle_reminders;
pub mod bundle_search;
pub mod bundles;
pub mod compare;
pub mod evaluation;
pub mod identity;
pub mod insights;
pub mod interest_profiles;
pub mod members;
pub mod networks;
pub mod ocds;
pub mod offerings;
pub mod offers;
pub mod organizations;
pub mod review_admin;
pub mod review_follow_ups;
pub mod reviews;
pub mod shortlists;

use crate::auth::Caller;
use crate::domain::DomainError;
use crate::domain::offering_status::Refused;
use crate::http::IfMatch;

/// Acting on others' behalf (publishing, inviting, registering an organisation) needs a
/// confirmed e-mail address.
fn verified(caller: &Caller) -> Result<(), DomainError> {
    if caller.user.is_verified() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Refused::Unverified.reason()))
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => DomainError::NotFound,
            other => DomainError::Internal(other.into()),
        }
    }
}

/// Whether a change based on `expected` (an If-Match, or the version a form was read at) may
/// apply to the object at `current`.
fn check_version(expected: &IfMatch, current: i32) -> Result<(), DomainError> {
    if expected.matches(current) {
        Ok(())
    } else {
        Err(DomainError::Stale)
    }
}
