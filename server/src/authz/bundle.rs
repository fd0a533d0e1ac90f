//! Demand bundles: who drafts one, who reads one, who joins one. Pure decisions over what the
//! use case read; the moves themselves are `domain::bundle::check`.

use crate::domain::bundle::{BundleStatus, Visibility};
use crate::domain::{DomainError, DomainResult, OrganizationKind, Role};

/// A network's coordinator drafts for the network, a board officer for their board.
pub fn may_draft(owner_kind: OrganizationKind, role: Option<Role>) -> DomainResult<()> {
    match (owner_kind, role) {
        (OrganizationKind::Network, Some(Role::Coordinator))
        | (OrganizationKind::SchoolBoard, Some(Role::BoardOfficer)) => Ok(()),
        _ => Err(DomainError::Forbidden(
            "Only a network's coordinator or a board's officer drafts a bundle for it.".into(),
        )),
    }
}

/// What the caller is to a bundle's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    /// Manages the owning organisation.
    pub owner: bool,
    /// Belongs to a member of the owning network.
    pub in_network: bool,
    /// Works for a provider (providers find bundles to offer on).
    pub provider: bool,
}

/// A draft is its owner's; a public bundle is everyone's; a network bundle is its network's
/// and the providers'. Anyone else reads nothing of it: not found.
pub fn may_read(status: BundleStatus, visibility: Visibility, reader: Reader) -> bool {
    if reader.owner {
        return true;
    }
    match (status, visibility) {
        (BundleStatus::Draft, _) => false,
        (_, Visibility::Public) => true,
        (_, Visibility::Network) => reader.in_network || reader.provider,
    }
}

/// A school's leader or a board's officer joins for their organisation; a network bundle only
/// for members of the network.
pub fn may_join(
    kind: OrganizationKind,
    role: Option<Role>,
    visibility: Visibility,
    member_of_network: bool,
) -> DomainResult<()> {
    let manages = matches!(
        (kind, role),
        (OrganizationKind::School, Some(Role::SchoolLeader))
            | (OrganizationKind::SchoolBoard, Some(Role::BoardOfficer))
    );
    if !manages {
        return Err(DomainError::Forbidden(
            "A school's leader or a board's officer joins a bundle for it.".into(),
        ));
    }
    if visibility == Visibility::Network && !member_of_network {
        return Err(DomainError::Forbidden(
            "Only members of the network join this bundle.".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinators_and_board_officers_draft_for_their_own() {
        assert!(may_draft(OrganizationKind::Network, Some(Role::Coordinator)).is_ok());
        assert!(may_draft(OrganizationKind::SchoolBoard, Some(Role::BoardOfficer)).is_ok());
        for (kind, role) in [
            (OrganizationKind::School, Some(Role::SchoolLeader)),
            (OrganizationKind::SchoolBoard, Some(Role::Teacher)),
            (OrganizationKind::Provider, Some(Role::ProviderAdmin)),
            (OrganizationKind::Network, None),
        ] {
            assert!(may_draft(kind, role).is_err(), "{kind:?} {role:?}");
        }
    }

    #[test]
    fn drafts_are_the_owners_and_network_bundles_the_networks_and_providers() {
        let nobody = Reader {
            owner: false,
            in_network: false,
            provider: false,
        };
        let owner = Reader {
            owner: true,
            ..nobody
        };
        let member = Reader {
            in_network: true,
            ..nobody
        };
        let provider = Reader {
            provider: true,
            ..nobody
        };
        assert!(may_read(BundleStatus::Draft, Visibility::Public, owner));
        assert!(!may_read(BundleStatus::Draft, Visibility::Public, member));
        assert!(may_read(BundleStatus::Open, Visibility::Public, nobody));
        assert!(!may_read(BundleStatus::Open, Visibility::Network, nobody));
        assert!(may_read(BundleStatus::Open, Visibility::Network, member));
        assert!(may_read(BundleStatus::Open, Visibility::Network, provider));
    }

    #[test]
    fn leaders_join_for_their_school_and_network_bundles_only_for_members() {
        assert!(
            may_join(
                OrganizationKind::School,
                Some(Role::SchoolLeader),
                Visibility::Public,
                false
            )
            .is_ok()
        );
        assert!(
            may_join(
                OrganizationKind::School,
                Some(Role::SchoolLeader),
                Visibility::Network,
                false
            )
            .is_err()
        );
        assert!(
            may_join(
                OrganizationKind::School,
                Some(Role::SchoolLeader),
                Visibility::Network,
                true
            )
            .is_ok()
        );
        assert!(
            may_join(
                OrganizationKind::School,
                Some(Role::Teacher),
                Visibility::Public,
                false
            )
            .is_err()
        );
        assert!(
            may_join(
                OrganizationKind::Provider,
                Some(Role::ProviderAdmin),
                Visibility::Public,
                false
            )
            .is_err()
        );
    }
}
