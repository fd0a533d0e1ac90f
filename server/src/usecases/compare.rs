//! Compare two to six offerings: what the caller may see of them, their providers, their
//! ratings and what each would cost, read in a fixed number of queries.

use std::collections::BTreeMap;

use chrono::DateTime;
use diesel_async::AsyncPgConnection;
use edumarkt_search_sync::OfferingDocument;
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz;
use crate::db::models::membership::Membership;
use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::db::models::review::Review;
use crate::domain::compare::Comparison;
use crate::domain::cost::{CostEstimate, offering_cost};
use crate::domain::review_stats::{ReviewSettings, ReviewStats, SummaryCounts};
use crate::domain::{DomainError, DomainResult, OfferingId};

/// One compared offering with what is known around it.
pub struct Compared {
    pub offering: Offering,
    pub provider: Option<Organization>,
    /// Its search document (ratings); none when it is not searchable.
    pub document: Option<OfferingDocument>,
    pub cost: CostEstimate,
    /// The figures from reviewers in the requested sector, when that group is large enough to
    /// show (see `ReviewCounts::shown_as_subgroup`).
    pub sector_ratings: Option<ReviewStats>,
}

/// The offerings of `request`, in its order. One the caller may not see (or that does not
/// exist) is a field error naming its place, as if it did not exist.
/// The sector of the school or board the caller would review from (their first such
/// membership): compare shows the ratings of reviewers in that sector.
pub async fn reviewer_sector(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Option<String>> {
    let memberships = Membership::of_user(conn, caller.id()).await?;
    let Some(school) = authz::reviewer_memberships(&memberships)
        .first()
        .map(|m| m.organization_id)
    else {
        return Ok(None);
    };
    Ok(Organization::find(conn, school)
        .await?
        .and_then(|o| o.sectors.into_iter().next()))
}

pub async fn compare_offerings(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    request: &Comparison,
    settings: &ReviewSettings,
) -> DomainResult<Vec<Compared>> {
    let mut visible = authz::offerings(conn, caller, &request.ids).await?;
    let mut offerings = Vec::with_capacity(request.ids.len());
    for (i, id) in request.ids.iter().enumerate() {
        let Some(at) = visible.iter().position(|o| o.id == *id) else {
            return Err(DomainError::invalid(
                format!("ids[{i}]"),
                "not_found",
                "no such published offering",
            ));
        };
        offerings.push(visible.swap_remove(at));
    }
    let provider_ids: Vec<_> = offerings.iter().map(|o| o.provider_id).collect();
    let providers = Organization::find_many(conn, &provider_ids).await?;
    let uuids: Vec<Uuid> = request.ids.iter().map(|id| Uuid::from(*id)).collect();
    let mut documents = edumarkt_search_sync::projection::load(conn, &uuids).await?;
    // The sector's counts alone; the window of recent reviews plays no part in compare.
    let mut in_sector: BTreeMap<OfferingId, SummaryCounts> = match &request.sector {
        Some(sector) => {
            Review::summary_counts(conn, &request.ids, DateTime::UNIX_EPOCH, Some(sector)).await?
        }
        None => BTreeMap::new(),
    };
    Ok(offerings
        .into_iter()
        .map(|offering| {
            let c = &offering.content;
            let cost = offering_cost(
                &c.price_model,
                c.price_min_cents,
                c.price_max_cents,
                request.quantity,
                request.unit,
            );
            let provider = providers
                .iter()
                .find(|p| p.id == offering.provider_id)
                .cloned();
            let document = documents
                .iter()
                .position(|d| d.id == Uuid::from(offering.id))
                .map(|at| documents.swap_remove(at));
            let sector_ratings = in_sector
                .remove(&offering.id)
                .and_then(|counts| counts.by_sector.into_values().next())
                .filter(|counts| counts.shown_as_subgroup(settings))
                .map(|counts| counts.stats());
            Compared {
                offering,
                provider,
                document,
                cost,
                sector_ratings,
            }
        })
        .collect())
}
