//! Authorisation, per object, in one place: every route asks here whether the caller may do
//! what it asks to the object it names. Objects the caller may not see are reported as not
//! found (404), so their existence does not leak; visible objects the caller may not change
//! give 403.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::offering::{Offering, Status};
use crate::db::models::organization::Organization;
use crate::db::models::shortlist::Shortlist;
use crate::domain::{OrganizationKind, Role};
use crate::error::{ApiError, ApiResult};

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
    id: Uuid,
    action: OrgAction,
) -> ApiResult<(Organization, Option<Role>)> {
    let organization = Organization::find(conn, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let role = Membership::role_of(conn, id, caller.id())
        .await?
        .as_deref()
        .and_then(Role::parse);
    let visible = match OrganizationKind::parse(&organization.kind) {
        // Networks are private to their coordinators, the people of their member organisations
        // and moderators; schools, boards and providers are public registers.
        Some(OrganizationKind::Network) => {
            role.is_some()
                || caller.user.is_moderator
                || NetworkMember::user_belongs_to_member(conn, id, caller.id()).await?
        }
        Some(_) => true,
        None => false,
    };
    if !visible {
        return Err(ApiError::NotFound);
    }
    let allowed = match action {
        OrgAction::Read => true,
        OrgAction::ReadMembers => role.is_some() || caller.user.is_moderator,
        OrgAction::Manage => role.is_some_and(Role::manages),
    };
    if !allowed {
        return Err(ApiError::Forbidden(match action {
            OrgAction::ReadMembers => "Only members of this organisation see its members.".into(),
            _ => "Only the organisation's managers may do this.".into(),
        }));
    }
    Ok((organization, role))
}

/// Which networks a lookup of organisations may show the caller; schools, boards and providers
/// are public registers and always shown. The same rule as `organization` applies to one
/// network, here as a filter for one query instead of a check per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkScope {
    /// Moderators see every network.
    All,
    /// The networks the user coordinates (is a member of) or whose member organisations the
    /// user belongs to.
    VisibleTo(Uuid),
}

pub fn network_scope(caller: &Caller) -> NetworkScope {
    if caller.user.is_moderator {
        NetworkScope::All
    } else {
        NetworkScope::VisibleTo(caller.id())
    }
}

/// Whether the caller works for the provider (admin or editor): they see its drafts and edit
/// its offerings.
pub async fn is_provider_staff(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    provider_id: Uuid,
) -> ApiResult<bool> {
    let Some(caller) = caller else {
        return Ok(false);
    };
    let role = Membership::role_of(conn, provider_id, caller.id())
        .await?
        .as_deref()
        .and_then(Role::parse);
    Ok(matches!(
        role,
        Some(Role::ProviderAdmin | Role::ProviderEditor)
    ))
}

/// The provider, when the caller may write its offerings (404 when it is no provider).
pub async fn provider_for_editing(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: Uuid,
) -> ApiResult<Organization> {
    let provider = Organization::find(conn, provider_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if provider.kind != OrganizationKind::Provider.as_str() {
        return Err(ApiError::NotFound);
    }
    if !is_provider_staff(conn, Some(caller), provider_id).await? {
        return Err(ApiError::Forbidden(
            "Only the provider's admins and editors may do this.".into(),
        ));
    }
    Ok(provider)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingAction {
    Read,
    Edit,
}

/// The offering, when the caller may do `action` to it. Published offerings are public; drafts
/// and archived ones exist only for the provider's staff (and moderators), for everyone else
/// they are 404.
pub async fn offering(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: Uuid,
    action: OfferingAction,
) -> ApiResult<(Offering, bool)> {
    let offering = Offering::find(conn, id).await?.ok_or(ApiError::NotFound)?;
    let staff = is_provider_staff(conn, caller, offering.provider_id).await?;
    let moderator = caller.is_some_and(|c| c.user.is_moderator);
    if !(offering.status() == Status::Published || staff || moderator) {
        return Err(ApiError::NotFound);
    }
    if action == OfferingAction::Edit && !staff {
        return Err(ApiError::Forbidden(
            "Only the provider's admins and editors may change its offerings.".into(),
        ));
    }
    Ok((offering, staff))
}

/// The shortlist, when the caller may do `action` to it: lists are shared with their
/// organisation's members (read); their owner and the organisation's managers change them.
pub async fn shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: Uuid,
    action: OrgAction,
) -> ApiResult<Shortlist> {
    let list = Shortlist::find(conn, id).await?.ok_or(ApiError::NotFound)?;
    let role = Membership::role_of(conn, list.organization_id, caller.id())
        .await?
        .as_deref()
        .and_then(Role::parse);
    let Some(role) = role else {
        return Err(ApiError::NotFound);
    };
    let allowed = match action {
        OrgAction::Read | OrgAction::ReadMembers => true,
        OrgAction::Manage => list.owner_id == Some(caller.id()) || role.manages(),
    };
    if !allowed {
        return Err(ApiError::Forbidden(
            "Only the list's owner and the organisation's managers may change it.".into(),
        ));
    }
    Ok(list)
}
