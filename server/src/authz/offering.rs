//! Offerings: published ones are public; drafts and archived ones exist only for the
//! provider's staff (and moderators, who read them); only staff change them.

use std::collections::HashSet;

use diesel_async::AsyncPgConnection;

use super::role_in;
use crate::auth::Caller;
use crate::db::models::membership::Membership;
use crate::db::models::offering::{Offering, Status};
use crate::db::models::organization::Organization;
use crate::domain::{DomainError, DomainResult, OrganizationKind, Role};
use crate::domain::{OfferingId, OrganizationId};

/// What the caller may do with one offering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingAccess {
    /// Not visible: answered as not found.
    Hidden,
    /// Visible, not changeable.
    ReadOnly,
    /// The provider's staff: read, edit, publish and archive.
    Editable,
}

impl OfferingAccess {
    /// The decision for an offering in `status`, for a caller who is (or is not) its
    /// provider's staff or a moderator.
    pub fn decide(status: Status, staff: bool, moderator: bool) -> OfferingAccess {
        if staff {
            OfferingAccess::Editable
        } else if status.is_public() || moderator {
            OfferingAccess::ReadOnly
        } else {
            OfferingAccess::Hidden
        }
    }

    pub fn can_edit(self) -> bool {
        self == OfferingAccess::Editable
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingAction {
    Read,
    Edit,
}

/// Whether `role` works for a provider (admin or editor): sees its drafts, edits its offerings.
pub fn is_staff_role(role: Option<Role>) -> bool {
    matches!(role, Some(Role::ProviderAdmin | Role::ProviderEditor))
}

/// Whether the caller works for the provider (admin or editor): they see its drafts and edit
/// its offerings.
pub async fn is_provider_staff(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    provider_id: OrganizationId,
) -> DomainResult<bool> {
    let Some(caller) = caller else {
        return Ok(false);
    };
    Ok(is_staff_role(
        role_in(conn, provider_id, caller.id()).await?,
    ))
}

/// The provider, when the caller may write its offerings (404 when it is no provider).
pub async fn provider_for_editing(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
) -> DomainResult<Organization> {
    let provider = Organization::find(conn, provider_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    if provider.kind != OrganizationKind::Provider {
        return Err(DomainError::NotFound);
    }
    if !is_provider_staff(conn, Some(caller), provider_id).await? {
        return Err(DomainError::Forbidden(
            "Only the provider's admins and editors may do this.".into(),
        ));
    }
    Ok(provider)
}

async fn decide(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    offering: Offering,
    action: OfferingAction,
) -> DomainResult<(Offering, OfferingAccess)> {
    let staff = is_provider_staff(conn, caller, offering.provider_id).await?;
    let moderator = caller.is_some_and(|c| c.user.is_moderator);
    let access = OfferingAccess::decide(offering.status, staff, moderator);
    match (access, action) {
        (OfferingAccess::Hidden, _) => Err(DomainError::NotFound),
        (OfferingAccess::ReadOnly, OfferingAction::Edit) => Err(DomainError::Forbidden(
            "Only the provider's admins and editors may change its offerings.".into(),
        )),
        _ => Ok((offering, access)),
    }
}

/// The offering, when the caller may do `action` to it, with the decision made.
pub async fn offering(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: OfferingId,
    action: OfferingAction,
) -> DomainResult<(Offering, OfferingAccess)> {
    let offering = Offering::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    decide(conn, caller, offering, action).await
}

/// As `offering`, with the row locked until the transaction ends, so a decision that depends
/// on its state still holds when the change is written. Call it inside the transaction.
pub async fn offering_locked(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OfferingId,
    action: OfferingAction,
) -> DomainResult<(Offering, OfferingAccess)> {
    let offering = Offering::find_for_update(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    decide(conn, Some(caller), offering, action).await
}

/// The offerings among `ids` the caller may read, in two queries whatever the number of ids
/// (the rows, then the caller's roles at their providers). Ids not returned are hidden or do
/// not exist.
pub async fn offerings(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    ids: &[OfferingId],
) -> DomainResult<Vec<Offering>> {
    let rows = Offering::find_many(conn, ids).await?;
    let staff_of: HashSet<OrganizationId> = match caller {
        Some(caller) if rows.iter().any(|o| !o.status.is_public()) => {
            let providers: Vec<OrganizationId> = rows.iter().map(|o| o.provider_id).collect();
            Membership::roles_in(conn, caller.id(), &providers)
                .await?
                .into_iter()
                .filter(|(_, role)| is_staff_role(Some(*role)))
                .map(|(id, _)| id)
                .collect()
        }
        _ => HashSet::new(),
    };
    let moderator = caller.is_some_and(|c| c.user.is_moderator);
    Ok(rows
        .into_iter()
        .filter(|o| {
            let staff = staff_of.contains(&o.provider_id);
            OfferingAccess::decide(o.status, staff, moderator) != OfferingAccess::Hidden
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_hidden_from_all_but_staff_and_moderators() {
        for status in Status::ALL {
            assert_eq!(
                OfferingAccess::decide(status, true, false),
                OfferingAccess::Editable
            );
            assert_eq!(
                OfferingAccess::decide(status, false, true),
                OfferingAccess::ReadOnly
            );
            let outsider = OfferingAccess::decide(status, false, false);
            assert_eq!(
                outsider == OfferingAccess::Hidden,
                status != Status::Published,
                "{status:?}"
            );
            assert!(!outsider.can_edit());
        }
    }
}
