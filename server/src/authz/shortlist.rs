//! Shortlists are shared with their organisation's members (read); their owner and the
//! organisation's managers change them.

use diesel_async::AsyncPgConnection;

use super::{OrgAction, role_in};
use crate::auth::Caller;
use crate::db::models::shortlist::Shortlist;
use crate::domain::ShortlistId;
use crate::domain::{DomainError, DomainResult, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortlistAccess {
    Hidden,
    ReadOnly,
    Editable,
}

impl ShortlistAccess {
    /// The decision for a caller with `role` in the list's organisation, who does (or does
    /// not) own the list.
    pub fn decide(role: Option<Role>, owner: bool) -> ShortlistAccess {
        match role {
            None => ShortlistAccess::Hidden,
            Some(role) if owner || role.manages() => ShortlistAccess::Editable,
            Some(_) => ShortlistAccess::ReadOnly,
        }
    }
}

/// The shortlist, when the caller may do `action` to it.
pub async fn shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    action: OrgAction,
) -> DomainResult<Shortlist> {
    shortlist_with_access(conn, caller, id, action)
        .await
        .map(|(list, _)| list)
}

/// The shortlist, when the caller may do `action` to it, with what else they may do (a page
/// shows its forms for changing only to those who may change it).
pub async fn shortlist_with_access(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    action: OrgAction,
) -> DomainResult<(Shortlist, ShortlistAccess)> {
    let list = Shortlist::find(conn, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let role = role_in(conn, list.organization_id, caller.id()).await?;
    let access = ShortlistAccess::decide(role, list.owner_id == Some(caller.id()));
    match (access, action) {
        (ShortlistAccess::Hidden, _) => Err(DomainError::NotFound),
        (ShortlistAccess::ReadOnly, OrgAction::Manage) => Err(DomainError::Forbidden(
            "Only the list's owner and the organisation's managers may change it.".into(),
        )),
        _ => Ok((list, access)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_and_managers_edit_members_read_others_see_nothing() {
        assert_eq!(ShortlistAccess::decide(None, true), ShortlistAccess::Hidden);
        assert_eq!(
            ShortlistAccess::decide(Some(Role::Teacher), false),
            ShortlistAccess::ReadOnly
        );
        assert_eq!(
            ShortlistAccess::decide(Some(Role::Teacher), true),
            ShortlistAccess::Editable
        );
        assert_eq!(
            ShortlistAccess::decide(Some(Role::SchoolLeader), false),
            ShortlistAccess::Editable
        );
    }
}
