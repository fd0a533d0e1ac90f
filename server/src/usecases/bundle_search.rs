//! Finding open bundles: providers search them (through the API, or Meilisearch directly with a
//! tenant token). Whom a search is for decides what it may find, by the same rule as reading a
//! bundle (`authz::bundle::search_audiences` mirrors `may_read`); the deadlines decide what is
//! still open, at the time of the search, since they pass without any write.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use edumarkt_search_sync::bundle::{BundleTenant, Bundles};
use edumarkt_search_sync::query::SearchQuery;

use crate::auth::Caller;
use crate::authz::bundle::search_audiences;
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::domain::{DomainError, DomainResult, OrganizationKind};

/// What a caller's bundle searches are limited to at `now`: the audiences they may read, and
/// offers still possible. Only staff of a provider search bundles (they are the ones to offer).
pub async fn search_scope(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    now: DateTime<Utc>,
) -> DomainResult<BundleTenant> {
    let memberships = Membership::of_user(conn, caller.id()).await?;
    let provider = memberships
        .iter()
        .any(|m| m.organization_kind == OrganizationKind::Provider);
    if !provider {
        return Err(DomainError::Forbidden(
            "Only a provider's staff search open bundles.".into(),
        ));
    }
    let mut networks = NetworkMember::networks_of_user(conn, caller.id()).await?;
    networks.extend(
        memberships
            .iter()
            .filter(|m| m.role.manages())
            .map(|m| m.organization_id),
    );
    Ok(BundleTenant {
        audiences: search_audiences(provider, &networks),
        open_at: now.timestamp_millis(),
    })
}

/// `query` limited to what the caller may find now (parsed from the request, which sets
/// neither).
pub async fn scoped_query(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    mut query: SearchQuery<Bundles>,
    now: DateTime<Utc>,
) -> DomainResult<SearchQuery<Bundles>> {
    let scope = search_scope(conn, caller, now).await?;
    query.filters.audiences = scope.audiences;
    query.filters.open_at = Some(scope.open_at);
    Ok(query)
}
