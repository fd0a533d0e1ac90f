//! Authorisation, per object kind, in one place: every use case asks here what the caller may
//! do to the object it names. Each kind answers with a named decision; a pure function makes
//! it from what was read, so the rule is tested without a database. Objects the caller may
//! not see are reported as not found (404), so their existence does not leak; visible objects
//! the caller may not change give 403.

pub mod bundle;
mod network;
mod offering;
mod organization;
mod review;
mod shortlist;

use diesel_async::AsyncPgConnection;

use crate::db::models::membership::Membership;
use crate::domain::{DomainResult, Role};
use crate::domain::{OrganizationId, UserId};

pub use network::{NetworkScope, network_scope};
pub use offering::{
    OfferingAccess, OfferingAction, is_provider_staff, is_staff_role, offering, offering_locked,
    offerings, provider_for_editing,
};
pub use organization::{OrgAction, OrganizationAccess, organization};
pub use review::{
    NoReview, may_change, may_confirm, may_moderate, may_respond, may_review, may_vote,
    review_refusal, reviewer_memberships,
};
pub use shortlist::{ShortlistAccess, shortlist, shortlist_with_access};

/// The caller's role in the organisation, if they belong to it.
async fn role_in(
    conn: &mut AsyncPgConnection,
    organization_id: OrganizationId,
    user_id: UserId,
) -> DomainResult<Option<Role>> {
    Ok(Membership::role_of(conn, organization_id, user_id).await?)
}
