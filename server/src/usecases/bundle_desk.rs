//! What the pages show a visitor of bundles: their desk (the bundles their organisations own
//! or joined, and those they may join) and, on a bundle's page, their part in it (owner,
//! joiner, provider) with what that part lets them see. The reads go through the same rules as
//! the API's (`readable`, `may_draft`, `may_join`); nothing here decides anew.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use super::bundles::{BundleView, is_owner, readable, view};
use crate::auth::Caller;
use crate::authz::bundle::{may_draft, may_join};
use crate::db::models::bundle::{Bundle, Participant};
use crate::db::models::membership::{Membership, MembershipView};
use crate::db::models::network::NetworkMember;
use crate::db::models::offer::Offer;
use crate::db::models::organization::Organization;
use crate::domain::bundle::TenderSettings;
use crate::domain::{BundleId, DomainError, DomainResult, OfferingId, OrganizationId};
use crate::domain::{OrganizationKind, Role};

/// How many bundles each list of the desk shows (the latest).
const LISTED: i64 = 100;

/// An organisation with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: OrganizationId,
    pub name: String,
}

/// A bundle an organisation of the visitor joined, with that organisation's part.
pub struct Joined {
    pub bundle: BundleView,
    pub organization: Named,
    pub part: Participant,
}

/// The visitor's bundles.
pub struct Desk {
    /// Owned by an organisation the visitor manages, drafts included.
    pub owned: Vec<BundleView>,
    pub joined: Vec<Joined>,
    /// Open for joining, for the schools and boards the visitor joins for.
    pub joinable: Vec<BundleView>,
    /// The networks and boards the visitor may draft a bundle for.
    pub draft_for: Vec<Named>,
    /// The visitor works for a provider (and finds bundles to offer on by search).
    pub provider: bool,
}

fn named(m: &MembershipView) -> Named {
    Named {
        id: m.organization_id,
        name: m.organization_name.clone(),
    }
}

/// Whether the membership's role lets its holder join a bundle for the organisation.
fn joins_for(m: &MembershipView) -> bool {
    matches!(
        (m.organization_kind, m.role),
        (OrganizationKind::School, Role::SchoolLeader)
            | (OrganizationKind::SchoolBoard, Role::BoardOfficer)
    )
}

fn drafts_for(m: &&MembershipView) -> bool {
    may_draft(m.organization_kind, Some(m.role)).is_ok()
}

/// The organisations the caller may draft a bundle for.
pub async fn draft_for(conn: &mut AsyncPgConnection, caller: &Caller) -> DomainResult<Vec<Named>> {
    let memberships = Membership::of_user(conn, caller.id()).await?;
    Ok(memberships.iter().filter(drafts_for).map(named).collect())
}

pub async fn desk(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<Desk> {
    let memberships = Membership::of_user(conn, caller.id()).await?;
    let managed: Vec<OrganizationId> = memberships
        .iter()
        .filter(|m| m.role.manages())
        .map(|m| m.organization_id)
        .collect();
    let all: Vec<OrganizationId> = memberships.iter().map(|m| m.organization_id).collect();
    let names: HashMap<OrganizationId, &str> = memberships
        .iter()
        .map(|m| (m.organization_id, m.organization_name.as_str()))
        .collect();
    let owned = Bundle::owned_by(conn, &managed, LISTED).await?;
    let joined = Bundle::joined_by(conn, &all, LISTED).await?;
    let joinable = if memberships.iter().any(joins_for) {
        let networks = NetworkMember::networks_of_user(conn, caller.id()).await?;
        Bundle::joinable(conn, &networks, now, LISTED).await?
    } else {
        Vec::new()
    };
    Ok(Desk {
        owned: owned.into_iter().map(|b| view(b, now, settings)).collect(),
        joined: joined
            .into_iter()
            .map(|(bundle, part)| Joined {
                organization: Named {
                    id: part.organization_id,
                    name: names
                        .get(&part.organization_id)
                        .map_or_else(String::new, |n| (*n).to_owned()),
                },
                bundle: view(bundle, now, settings),
                part,
            })
            .collect(),
        joinable: joinable
            .into_iter()
            .map(|b| view(b, now, settings))
            .collect(),
        draft_for: memberships.iter().filter(drafts_for).map(named).collect(),
        provider: memberships
            .iter()
            .any(|m| m.organization_kind == OrganizationKind::Provider),
    })
}

/// An organisation the visitor may join the bundle for, with its part when it joined.
pub struct Joiner {
    pub organization: Named,
    pub part: Option<Participant>,
}

/// Whom the bundle was awarded to, as its page says it.
pub struct AwardedTo {
    pub provider: Named,
    pub offering_id: Option<OfferingId>,
    pub motivation: Option<String>,
}

/// A bundle as its page shows it to the visitor.
pub struct Sight {
    pub bundle: BundleView,
    pub owner: Named,
    /// The visitor manages the owner.
    pub is_owner: bool,
    /// The visitor works for a provider.
    pub provider: bool,
    /// For the owner: who joined, with their names.
    pub participants: Vec<(Participant, String)>,
    /// The schools and boards the visitor may join for (joined or not).
    pub joiners: Vec<Joiner>,
    /// The visitor belongs to an organisation that joined (its members review the award).
    pub participating: bool,
    pub awarded: Option<AwardedTo>,
}

pub async fn sight(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: BundleId,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<Sight> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, caller, found, now).await?;
    let owner = Organization::find(conn, bundle.owner_organization_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let memberships = match caller {
        Some(caller) => Membership::of_user(conn, caller.id()).await?,
        None => Vec::new(),
    };
    let is_owner = match caller {
        Some(caller) => is_owner(conn, caller, &bundle).await?,
        None => false,
    };
    let participants = if is_owner {
        let parts = Bundle::participants(conn, id).await?;
        let ids: Vec<OrganizationId> = parts.iter().map(|p| p.organization_id).collect();
        let names: HashMap<OrganizationId, String> = Organization::find_many(conn, &ids)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        parts
            .into_iter()
            .map(|p| {
                let name = names.get(&p.organization_id).cloned().unwrap_or_default();
                (p, name)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mine: Vec<OrganizationId> = memberships.iter().map(|m| m.organization_id).collect();
    let parts = Bundle::participants_among(conn, id, &mine).await?;
    let mut joiners = Vec::new();
    // One membership check per organisation the visitor joins for: a handful at most.
    for m in memberships.iter().filter(|m| joins_for(m)) {
        let in_network =
            NetworkMember::is_member(conn, bundle.owner_organization_id, m.organization_id).await?;
        if may_join(
            m.organization_kind,
            Some(m.role),
            bundle.visibility,
            in_network,
        )
        .is_ok()
        {
            joiners.push(Joiner {
                organization: named(m),
                part: parts
                    .iter()
                    .find(|p| p.organization_id == m.organization_id)
                    .cloned(),
            });
        }
    }
    let awarded = match bundle.awarded_offer_id {
        Some(offer) => match Offer::find(conn, id, offer).await? {
            Some(offer) => {
                let provider = Organization::find(conn, offer.provider_id).await?;
                Some(AwardedTo {
                    provider: Named {
                        id: offer.provider_id,
                        name: provider.map_or_else(String::new, |p| p.name),
                    },
                    offering_id: offer.offering_id,
                    motivation: bundle.award_motivation.clone(),
                })
            }
            None => None,
        },
        None => None,
    };
    Ok(Sight {
        participating: !parts.is_empty(),
        provider: memberships
            .iter()
            .any(|m| m.organization_kind == OrganizationKind::Provider),
        owner: Named {
            id: owner.id,
            name: owner.name,
        },
        bundle: view(bundle, now, settings),
        is_owner,
        participants,
        joiners,
        awarded,
    })
}
