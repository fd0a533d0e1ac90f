//! Validated domain types. Input is parsed into these at the edge, so the rest of the code
//! never sees an unchecked e-mail address, role or identifier. Nothing here touches the
//! database or HTTP: rules answer with typed values or `DomainError`s.

pub mod award;
pub mod bundle;
pub mod bundle_question;
pub mod closed_set;
pub mod compare;
pub mod cost;
pub mod email;
pub mod error;
pub mod ids;
pub mod insight;
pub mod interest_profile;
pub mod membership;
pub mod ocds;
pub mod offer;
pub mod offering;
pub mod offering_status;
pub mod organization;
pub mod organization_profile;
pub mod password;
pub mod procurement;
pub mod review;
pub mod review_follow_up;
pub mod review_signals;
pub mod review_stats;
pub mod taxonomy;
pub mod validation;

pub use email::EmailAddress;
pub use error::{DomainError, DomainResult, FieldError};
pub use ids::{
    BundleId, BundleQuestionId, InterestProfileId, InvitationId, OfferId, OfferingId,
    OrganizationId, ReviewId, SchoolLocationId, SessionId, ShortlistId, UserId,
};
pub use organization::{OrganizationKind, Role};
pub use validation::Fields;
