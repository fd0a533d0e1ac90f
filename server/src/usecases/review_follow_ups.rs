//! Lasting effect over time: 6 and 12 months after a review, its author is asked by mail
//! whether the offering is still in use and how lasting its effect is; the answers are kept
//! with their dates beside the review. The requests are jobs of the one queue, enqueued in
//! the review's own transaction and due on the injectable clock; the queue claims each once,
//! so each mail goes out once.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::authz;
use crate::db::models::offering::Offering;
use crate::db::models::review::Review;
use crate::db::models::review_follow_up::ReviewFollowUp;
use crate::db::models::user::User;
use crate::domain::review_follow_up::{FollowUpInput, ask_at};
use crate::domain::{DomainError, DomainResult, ReviewId};
use crate::jobs::{self, JobKind};
use crate::mail::{Mail, templates};

/// What a follow-up job carries: the review, and how many months after it the author is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRequest {
    pub review_id: ReviewId,
    pub months: u32,
}

/// Queues the follow-up requests of a review just written; call in its transaction, so a
/// review and its requests commit or vanish together.
pub async fn schedule(
    conn: &mut AsyncPgConnection,
    review: &Review,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    for (months, due) in ask_at(review.created_at) {
        let request = FollowUpRequest {
            review_id: review.id,
            months,
        };
        let payload = serde_json::to_value(request)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        jobs::enqueue(conn, JobKind::ReviewFollowUp, payload, now, due).await?;
    }
    Ok(())
}

/// The page where the author answers (the web pages serve it).
pub fn follow_up_link(public_url: &str, review_id: ReviewId) -> String {
    format!("{public_url}/beoordelingen/{review_id}/vervolg")
}

/// The mail a due follow-up job sends; `None` when there is no one left to ask (the review
/// was deleted, or its author erased the account or has no address), and the job just ends.
pub async fn request_mail(
    conn: &mut AsyncPgConnection,
    payload: &serde_json::Value,
    public_url: &str,
) -> anyhow::Result<Option<Mail>> {
    let request: FollowUpRequest = serde_json::from_value(payload.clone())
        .map_err(|e| anyhow::anyhow!("the follow-up job's payload is malformed: {e}"))?;
    let Some(review) = Review::find(conn, request.review_id).await? else {
        return Ok(None);
    };
    let Some(author_id) = review.author_id else {
        return Ok(None);
    };
    let Some(author) = User::find(conn, author_id).await? else {
        return Ok(None);
    };
    let Some(to) = author.email.as_deref() else {
        return Ok(None);
    };
    let Some(offering) = Offering::find(conn, review.offering_id).await? else {
        return Ok(None);
    };
    Ok(Some(templates::review_follow_up(
        to,
        &author.display_name,
        &offering.content.title,
        request.months,
        &follow_up_link(public_url, review.id),
    )))
}

/// The author records how the offering is doing now: still in use, the lasting effect, a
/// note. Kept with its date; the review itself stays as written.
pub async fn record_follow_up(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    review_id: ReviewId,
    input: FollowUpInput,
    now: DateTime<Utc>,
) -> DomainResult<ReviewFollowUp> {
    let (review, _) = super::reviews::visible_review(conn, Some(caller), review_id).await?;
    authz::may_change(review.author_id, caller.id())?;
    let valid = input.validate()?;
    let follow_up = ReviewFollowUp::insert(conn, review.id, &valid, now)
        .await
        .map_err(|error| match error {
            // Deleted since it was read: there is nothing left to follow up.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                _,
            ) => DomainError::NotFound,
            other => other.into(),
        })?;
    tracing::info!(review_id = %review.id, "review followed up");
    Ok(follow_up)
}
