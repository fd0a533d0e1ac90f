//! Organisations: schools, boards and providers are public registers; networks are private to
//! their coordinators, the people of their member organisations and moderators.

use diesel_async::AsyncPgConnection;

use super::role_in;
use crate::auth::Caller;
use crate::db::models::network::NetworkMember;
use crate::db::models::organization::Organization;
use crate::domain::OrganizationId;
use crate::domain::{DomainError, DomainResult, OrganizationKind, Role};

/// What the caller may see and do with one visible organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganizationAccess {
    /// The caller's own role there.
    pub role: Option<Role>,
    /// Who its members are.
    pub can_see_members: bool,
    /// Edit it, invite members, manage a network's member organisations.
    pub can_manage: bool,
}

impl OrganizationAccess {
    /// `None` when the organisation is hidden from the caller. `in_member_organization` tells
    /// whether the caller belongs to one of a network's member organisations.
    pub fn decide(
        kind: OrganizationKind,
        role: Option<Role>,
        moderator: bool,
        in_member_organization: bool,
    ) -> Option<OrganizationAccess> {
        let visible = match kind {
            OrganizationKind::Network => role.is_some() || moderator || in_member_organization,
            _ => true,
        };
        visible.then_some(OrganizationAccess {
            role,
            can_see_members: role.is_some() || moderator,
            can_manage: role.is_some_and(Role::manages),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// See the organisation's public profile.
    Read,
    /// See who its members are.
    ReadMembers,
    /// Edit it, invite members, manage a network's member organisations.
    Manage,
}

/// The organisation, when the caller may do `action` to it, with the caller's own role there.
pub async fn organization(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OrganizationId,
    action: OrgAction,
) -> DomainResult<(Organization, Option<Role>)> {
    let organization = Organization::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let role = role_in(conn, id, caller.id()).await?;
    let kind = organization.kind;
    // Only a network's visibility depends on its member organisations: ask only then.
    let in_member_organization = kind == OrganizationKind::Network
        && role.is_none()
        && !caller.user.is_moderator
        && NetworkMember::user_belongs_to_member(conn, id, caller.id()).await?;
    let access =
        OrganizationAccess::decide(kind, role, caller.user.is_moderator, in_member_organization)
            .ok_or(DomainError::NotFound)?;
    match action {
        OrgAction::Read => {}
        OrgAction::ReadMembers if access.can_see_members => {}
        OrgAction::Manage if access.can_manage => {}
        OrgAction::ReadMembers => {
            return Err(DomainError::Forbidden(
                "Only members of this organisation see its members.".into(),
            ));
        }
        OrgAction::Manage => {
            return Err(DomainError::Forbidden(
                "Only the organisation's managers may do this.".into(),
            ));
        }
    }
    Ok((organization, access.role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_private_and_registers_public() {
        let network = OrganizationKind::Network;
        assert_eq!(
            OrganizationAccess::decide(network, None, false, false),
            None
        );
        let via_member = OrganizationAccess::decide(network, None, false, true).unwrap();
        assert!(!via_member.can_see_members && !via_member.can_manage);
        let moderator = OrganizationAccess::decide(network, None, true, false).unwrap();
        assert!(moderator.can_see_members && !moderator.can_manage);
        let school = OrganizationAccess::decide(OrganizationKind::School, None, false, false);
        assert!(school.is_some_and(|a| !a.can_see_members));
    }

    #[test]
    fn only_managing_roles_manage() {
        let kind = OrganizationKind::School;
        let teacher = OrganizationAccess::decide(kind, Some(Role::Teacher), false, false).unwrap();
        assert!(teacher.can_see_members && !teacher.can_manage);
        let leader =
            OrganizationAccess::decide(kind, Some(Role::SchoolLeader), false, false).unwrap();
        assert!(leader.can_manage);
    }
}
