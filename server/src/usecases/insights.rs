//! A network's insight into its demand (issue 12, item 9): who may read it is who may see the
//! network (its coordinators, the people of its member schools and boards, moderators); the
//! counting is PostgreSQL's, what may be shown of it `domain::insight`'s.

use diesel_async::AsyncPgConnection;

use super::networks::network;
use crate::auth::Caller;
use crate::authz::OrgAction;
use crate::db::models::insight;
use crate::db::models::organization::Organization;
use crate::domain::insight::{self as rules, Demand, ShareComparison};
use crate::domain::{DomainResult, OrganizationId};

/// The network's demand, and its member schools' shares next to annex 2's.
pub struct NetworkInsight {
    pub network: Organization,
    pub demand: Demand,
    pub shares: Vec<ShareComparison>,
}

/// The insight of a network the caller may see; any other id (no network, or one hidden from
/// the caller) is not found, as everywhere a network is named.
pub async fn network_insight(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    network_id: OrganizationId,
) -> DomainResult<NetworkInsight> {
    let network = network(conn, caller, network_id, OrgAction::Read).await?;
    let groups = insight::demand(conn, network.id).await?;
    let (members, joined) = insight::shares(conn, network.id).await?;
    Ok(NetworkInsight {
        network,
        demand: rules::demand(&groups),
        shares: rules::compare_shares(&members, &joined),
    })
}
