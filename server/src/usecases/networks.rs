//! Networks and their member schools and boards: the network's coordinators add and remove
//! them; the member's own managers are told by mail and may take their organisation out.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::verified;
use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::organization::Organization;
use crate::domain::OrganizationId;
use crate::domain::{DomainError, DomainResult, OrganizationKind, Role};
use crate::mail::{outbox, templates};

/// The network, when the caller may do `action` to it and it is a network.
pub(crate) async fn network(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OrganizationId,
    action: OrgAction,
) -> DomainResult<Organization> {
    let (organization, _) = authz::organization(conn, caller, id, action).await?;
    if organization.kind != OrganizationKind::Network {
        return Err(DomainError::NotFound);
    }
    Ok(organization)
}

/// Whether the caller holds a managing role in the organisation.
async fn manages(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    organization_id: OrganizationId,
) -> DomainResult<bool> {
    Ok(Membership::role_of(conn, organization_id, caller.id())
        .await?
        .is_some_and(Role::manages))
}

/// The member schools and boards of a network.
pub async fn list_network_members(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    network_id: OrganizationId,
) -> DomainResult<Vec<Organization>> {
    let network = network(conn, caller, network_id, OrgAction::Read).await?;
    Ok(NetworkMember::members(conn, network.id).await?)
}

/// Whether an organisation of `kind` may join a network: schools and school boards only.
pub fn may_join_a_network(kind: OrganizationKind) -> bool {
    matches!(
        kind,
        OrganizationKind::School | OrganizationKind::SchoolBoard
    )
}

/// Add a school or board to the network (its coordinators only) and tell the member's
/// managers, with a link under `public_url`. Answers whether it was newly added.
pub async fn add_network_member(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    network_id: OrganizationId,
    member_id: OrganizationId,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    verified(caller)?;
    let network = network(conn, caller, network_id, OrgAction::Manage).await?;
    let member = Organization::find(conn, member_id).await?.ok_or_else(|| {
        DomainError::invalid("organization_id", "not_found", "no such organisation")
    })?;
    if !may_join_a_network(member.kind) {
        return Err(DomainError::invalid(
            "organization_id",
            "not_applicable",
            "only schools and school boards can join a network",
        ));
    }
    let link = format!("{public_url}/networks/{}", network.id);
    conn.transaction::<_, DomainError, _>(async |conn| {
        let added = NetworkMember::add(conn, network.id, member.id, caller.id(), now).await?;
        if added {
            for to in Membership::manager_emails(conn, member.id).await? {
                outbox::enqueue(
                    conn,
                    &templates::network_joined(&to, &network.name, &member.name, &link),
                    now,
                )
                .await?;
            }
        }
        Ok(added)
    })
    .await
}

/// Take a school or board out of the network: its coordinators, or the member's own managers
/// (leaving). Both sides' managers are told.
pub async fn remove_network_member(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    network_id: OrganizationId,
    member_id: OrganizationId,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let network = network(conn, caller, network_id, OrgAction::Read).await?;
    if !manages(conn, caller, network.id).await? && !manages(conn, caller, member_id).await? {
        return Err(DomainError::Forbidden(
            "Only the network's coordinators or the member's managers may do this.".into(),
        ));
    }
    let member = Organization::find(conn, member_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        if !NetworkMember::remove(conn, network.id, member.id).await? {
            return Err(DomainError::NotFound);
        }
        let mut recipients = Membership::manager_emails(conn, member.id).await?;
        recipients.extend(Membership::manager_emails(conn, network.id).await?);
        recipients.sort();
        recipients.dedup();
        for to in recipients {
            outbox::enqueue(
                conn,
                &templates::network_left(&to, &network.name, &member.name),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_schools_and_boards_join_networks() {
        assert!(may_join_a_network(OrganizationKind::School));
        assert!(may_join_a_network(OrganizationKind::SchoolBoard));
        assert!(!may_join_a_network(OrganizationKind::Provider));
        assert!(!may_join_a_network(OrganizationKind::Network));
    }
}
