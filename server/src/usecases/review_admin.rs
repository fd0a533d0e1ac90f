//! What the provider's and the moderators' review pages read: a provider's reviews to answer,
//! one review to answer or to report, and a reported review to decide on. The changes are the
//! API's own use cases (`reviews::respond`, `reviews::report_review`, `reviews::decide`), so
//! both adapters share their rules and authorisation.

use diesel_async::AsyncPgConnection;

use super::reviews::{self, Reported, view, visible_review};
use crate::auth::Caller;
use crate::authz;
use crate::db::models::membership::Membership;
use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::db::models::review::{Review, ReviewView};
use crate::db::models::review_report::ReviewReport;
use crate::domain::{DomainError, DomainResult, OrganizationId, ReviewId};

/// A review with the offering it is about.
pub struct ReviewOfOffering {
    pub review: ReviewView,
    pub offering: Offering,
}

/// A review of one of the provider's offerings, with the offering's title.
pub struct ProviderReview {
    pub review: ReviewView,
    pub offering_title: String,
}

/// A page of a provider's reviews, and where the next starts (after that review).
pub struct ProviderReviews {
    pub provider: Organization,
    pub items: Vec<ProviderReview>,
    pub next: Option<ReviewId>,
}

/// The visible reviews of the provider's offerings, newest first, `limit` at a time after
/// review `after`; with `unanswered`, only those it has not replied to yet. For the provider's
/// staff only (not found unless a provider, forbidden to others), as answering is.
pub async fn provider_reviews(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
    unanswered: bool,
    after: Option<ReviewId>,
    limit: i64,
) -> DomainResult<ProviderReviews> {
    let provider = authz::provider_for_editing(conn, caller, provider_id).await?;
    // One row more than asked tells whether there is a next page.
    let mut rows = Review::of_provider(conn, provider.id, unanswered, after, limit + 1).await?;
    let shown = usize::try_from(limit).unwrap_or(usize::MAX);
    let next = (rows.len() > shown).then(|| {
        rows.truncate(shown);
        rows.last().map(|(review, _)| review.id)
    });
    let (found, titles): (Vec<Review>, Vec<String>) = rows.into_iter().unzip();
    let items = Review::views(conn, found)
        .await?
        .into_iter()
        .zip(titles)
        .map(|(review, offering_title)| ProviderReview {
            review,
            offering_title,
        })
        .collect();
    Ok(ProviderReviews {
        provider,
        items,
        next: next.flatten(),
    })
}

/// A review the caller answers for its offering's provider (its admins and editors; others
/// are refused as `respond` refuses them).
pub async fn review_to_answer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
) -> DomainResult<ReviewOfOffering> {
    let (review, offering) = visible_review(conn, Some(caller), id).await?;
    authz::may_respond(Membership::role_of(conn, offering.provider_id, caller.id()).await?)?;
    Ok(ReviewOfOffering {
        review: view(conn, review).await?,
        offering,
    })
}

/// A review the caller may report: any they can see.
pub async fn review_to_report(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
) -> DomainResult<ReviewOfOffering> {
    let (review, offering) = visible_review(conn, Some(caller), id).await?;
    Ok(ReviewOfOffering {
        review: view(conn, review).await?,
        offering,
    })
}

/// The moderation queue (`reviews::moderation_queue`) with each review's offering title.
pub async fn moderation_overview(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    limit: i64,
) -> DomainResult<Vec<(Reported, String)>> {
    let queue = reviews::moderation_queue(conn, caller, limit).await?;
    let ids: Vec<_> = queue.iter().map(|r| r.review.review.offering_id).collect();
    let offerings = Offering::find_many(conn, &ids).await?;
    Ok(queue
        .into_iter()
        .map(|reported| {
            let title = offerings
                .iter()
                .find(|o| o.id == reported.review.review.offering_id)
                .map(|o| o.content.title.clone())
                .unwrap_or_default();
            (reported, title)
        })
        .collect())
}

/// One review as a moderator decides on it: hidden or not, with its offering and its open
/// reports (moderators only).
pub async fn moderation_case(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
) -> DomainResult<(ReviewOfOffering, Vec<ReviewReport>)> {
    authz::may_moderate(caller.user.is_moderator)?;
    let review = Review::find(conn, id).await?.ok_or(DomainError::NotFound)?;
    let offering = Offering::find(conn, review.offering_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let reports = ReviewReport::open_of(conn, review.id).await?;
    Ok((
        ReviewOfOffering {
            review: view(conn, review).await?,
            offering,
        },
        reports,
    ))
}
