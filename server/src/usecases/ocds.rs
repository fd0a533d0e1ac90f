//! Open contracting data: a public bundle as an OCDS release package, and the feed of awarded
//! public bundles. Network bundles and drafts are not public: they are not found here. What
//! the offers may say is `domain::ocds`'s rule (statistics only once they are opened).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use super::offers::weights;
use crate::db::models::bundle::Bundle;
use crate::db::models::offer::Offer;
use crate::db::models::organization::Organization;
use crate::domain::bundle::{BundleStatus, TenderSettings, Visibility, status_at};
use crate::domain::ocds::{self, AwardFacts, BidFacts, BundleFacts, Enquiry};
use crate::domain::procurement;
use crate::domain::{BundleId, DomainError, DomainResult};
use crate::http::page::page_of;

/// Where the publication's parts are found and what it is called.
pub struct Publication<'a> {
    /// The publisher's OCDS prefix (`ocds-` and six characters).
    pub prefix: &'a str,
    /// The server's public address, for the package's `uri`.
    pub public_url: &'a str,
}

/// Whether the public may see the bundle as open contracting data.
fn is_public(bundle: &Bundle) -> bool {
    bundle.visibility == Visibility::Public && bundle.status != BundleStatus::Draft
}

async fn facts(
    conn: &mut AsyncPgConnection,
    bundle: Bundle,
    enquiries: Vec<Enquiry>,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<BundleFacts> {
    let status = status_at(bundle.status, bundle.deadlines(), now);
    let owner = Organization::find(conn, bundle.owner_organization_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let classification = procurement::classify(&bundle.service_type);
    let view = super::bundles::view(bundle.clone(), now, settings);
    let bids = if ocds::publishes_bids(status) {
        let live = Offer::live_of_bundle(conn, bundle.id).await?;
        let providers: BTreeSet<_> = live.iter().map(|o| o.provider_id).collect();
        Some(BidFacts {
            bids: live.len(),
            bidders: providers.len(),
            lowest_cents: live.iter().map(|o| o.price_cents).min(),
            highest_cents: live.iter().map(|o| o.price_cents).max(),
        })
    } else {
        None
    };
    let award = match (
        bundle.awarded_offer_id,
        &bundle.award_motivation,
        bundle.awarded_at,
    ) {
        (Some(offer_id), Some(motivation), Some(date)) => {
            let offer = Offer::find(conn, bundle.id, offer_id)
                .await?
                .ok_or(DomainError::NotFound)?;
            let supplier = Organization::find(conn, offer.provider_id).await?;
            Some(AwardFacts {
                offer_id: offer.id.to_string(),
                supplier_id: offer.provider_id.to_string(),
                supplier_name: supplier.map_or_else(String::new, |s| s.name),
                price_cents: offer.price_cents,
                motivation: motivation.clone(),
                date,
            })
        }
        _ => None,
    };
    Ok(BundleFacts {
        id: bundle.id.to_string(),
        version: bundle.version,
        weights: weights(&bundle)?,
        title: bundle.title,
        need: [
            bundle.need_problem,
            bundle.need_goals,
            bundle.need_intended_result,
            bundle.need_success_measure,
        ],
        owner_id: owner.id.to_string(),
        owner_name: owner.name,
        service_type: bundle.service_type,
        unit: bundle.unit,
        quantity: bundle.total_quantity,
        estimated_value_cents: view.estimated_value_cents,
        regime: view.regime,
        classification,
        status,
        join_deadline: bundle.join_deadline,
        offer_deadline: bundle.offer_deadline,
        enquiry_deadline: None,
        updated_at: bundle.updated_at,
        enquiries,
        bids,
        award,
    })
}

/// A public bundle as an OCDS release package.
pub async fn bundle_package(
    conn: &mut AsyncPgConnection,
    id: BundleId,
    publication: &Publication<'_>,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<serde_json::Value> {
    let bundle = Bundle::find(conn, id)
        .await?
        .filter(is_public)
        .ok_or(DomainError::NotFound)?;
    let enquiries = super::bundle_questions::enquiries(conn, bundle.id).await?;
    let facts = facts(conn, bundle, enquiries, settings, now).await?;
    let uri = format!("{}/v1/bundles/{id}/ocds", publication.public_url);
    Ok(ocds::package(
        &uri,
        now,
        vec![ocds::release(publication.prefix, &facts)],
    ))
}

/// A page of awarded public bundles, the latest award first, as one release package; and
/// the cursor of the next page, if there is one.
pub async fn awards_feed(
    conn: &mut AsyncPgConnection,
    after: Option<BundleId>,
    limit: i64,
    publication: &Publication<'_>,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<(serde_json::Value, Option<String>)> {
    let rows = Bundle::awarded_public(conn, after, limit + 1).await?;
    let page = page_of(rows, limit, |b| *b.id.as_uuid());
    let mut releases = Vec::new();
    for bundle in page.items {
        let enquiries = super::bundle_questions::enquiries(conn, bundle.id).await?;
        let facts = facts(conn, bundle, enquiries, settings, now).await?;
        releases.push(ocds::release(publication.prefix, &facts));
    }
    let uri = format!("{}/v1/ocds/awards", publication.public_url);
    Ok((ocds::package(&uri, now, releases), page.next_cursor))
}
