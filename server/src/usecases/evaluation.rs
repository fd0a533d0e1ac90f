//! The owner's evaluation page over the offers' use cases: before the offer deadline only the
//! seal (no count, no price, nothing of any offer); after it the ranking with every live offer
//! and the names its page shows, and which moves (score, award) the bundle allows now. The
//! ranking itself is `offers::ranking`, the same the API answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use super::bundles::{is_owner, readable};
use super::offers::{Ranking, ranking};
use crate::auth::Caller;
use crate::db::models::bundle::{AWARD_WITHDRAWN, Bundle};
use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::domain::bundle::{BundleStatus, Move, Part, check, status_at};
use crate::domain::offer::{OfferReader, may_read_offer};
use crate::domain::{BundleId, DomainError, DomainResult, OfferingId, OrganizationId};

/// What the owner's evaluation page shows.
pub enum Evaluation {
    /// The offers are not opened (before the offer deadline, or never: a cancelled bundle):
    /// the bundle and its status only, the same whatever offers there are.
    Sealed {
        bundle: Bundle,
        status: BundleStatus,
    },
    Opened(Opened),
}

/// The opened offers, ranked, with what the page names them by.
pub struct Opened {
    pub bundle: Bundle,
    pub status: BundleStatus,
    pub ranking: Ranking,
    pub provider_names: BTreeMap<OrganizationId, String>,
    pub offering_titles: BTreeMap<OfferingId, String>,
    /// The owner may score now.
    pub may_score: bool,
    /// The owner may award now (evaluating, no winner).
    pub may_award: bool,
    /// A winner withdrew after an award, and no other offer has been awarded since.
    pub winner_withdrew: bool,
}

/// The evaluation of a bundle for its owner; anyone else who may read the bundle is refused.
pub async fn evaluation(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Evaluation> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if !is_owner(conn, caller, &bundle).await? {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner evaluates its offers.".into(),
        ));
    }
    let status = status_at(bundle.status, bundle.deadlines(), now);
    if !may_read_offer(OfferReader::Owner, status) {
        return Ok(Evaluation::Sealed { bundle, status });
    }
    let ranking = ranking(conn, caller, id, now).await?;
    let providers: Vec<OrganizationId> =
        ranking.offers.iter().map(|r| r.offer.provider_id).collect();
    let offerings: Vec<OfferingId> = ranking
        .offers
        .iter()
        .filter_map(|r| r.offer.offering_id)
        .collect();
    let provider_names = Organization::find_many(conn, &providers)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let offering_titles = Offering::find_many(conn, &offerings)
        .await?
        .into_iter()
        .map(|o| (o.id, o.content.title))
        .collect();
    let allowed = |step| check(step, Part::Owner, bundle.status, bundle.deadlines(), now).is_ok();
    let may_score = allowed(Move::Score);
    let may_award = allowed(Move::Award) && bundle.awarded_offer_id.is_none();
    let winner_withdrew = bundle.awarded_offer_id.is_none()
        && Bundle::events(conn, id)
            .await?
            .iter()
            .any(|(action, ..)| action == AWARD_WITHDRAWN);
    Ok(Evaluation::Opened(Opened {
        bundle,
        status,
        ranking,
        provider_names,
        offering_titles,
        may_score,
        may_award,
        winner_withdrew,
    }))
}
