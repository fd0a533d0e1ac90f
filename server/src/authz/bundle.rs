//! Demand bundles: who drafts one, who reads one, who joins one. Pure decisions over what the
//! use case read; the moves themselves are `domain::bundle::check`.

use crate::domain::bundle::{BundleStatus, Visibility};
use crate::domain::{DomainError, DomainResult, OrganizationId, OrganizationKind, Role};

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

/// The audiences of bundles a reader finds by search (`None`: every audience), the same rule
/// as `may_read` for bundles past their draft (drafts are never searchable). A public bundle's
/// audience is `public`, a network bundle's the network's id (search-sync's
/// `bundle::audience`); `networks` are the networks the reader belongs to through a member
/// organisation, and the organisations the reader manages (an owner reads its own).
pub fn search_audiences(provider: bool, networks: &[OrganizationId]) -> Option<Vec<String>> {
    if provider {
        return None;
    }
    let mut audiences = vec![edumarkt_search_sync::bundle::PUBLIC_AUDIENCE.to_owned()];
    audiences.extend(networks.iter().map(ToString::to_string));
    Some(audiences)
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

    /// Search finds exactly what `may_read` lets a reader open, for every visibility and every
    /// kind of reader (the owner's network, another network, a provider, nobody).
    #[test]
    fn search_audiences_agree_with_may_read() {
        use edumarkt_search_sync::bundle::audience;
        let network = OrganizationId::from(uuid::Uuid::from_u128(1));
        let other = OrganizationId::from(uuid::Uuid::from_u128(2));
        for visibility in [Visibility::Public, Visibility::Network] {
            let document = audience(visibility.as_str(), network.into());
            for (provider, networks, in_network) in [
                (false, vec![], false),
                (false, vec![other], false),
                (false, vec![network], true),
                (true, vec![], false),
            ] {
                let reader = Reader {
                    owner: false,
                    in_network,
                    provider,
                };
                let found = search_audiences(provider, &networks)
                    .is_none_or(|audiences| audiences.contains(&document));
                for status in [BundleStatus::Open, BundleStatus::Tendering] {
                    assert_eq!(
                        found,
                        may_read(status, visibility, reader),
                        "{visibility:?} {reader:?}"
                    );
                }
            }
        }
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
