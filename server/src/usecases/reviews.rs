//! Reviews: write one, edit or delete it, list and summarise an offering's, vote one helpful,
//! answer one as the provider, confirm the usage as the school's leader. Every change to an
//! offering's reviews recomputes its aggregates in the same transaction, under a lock on the
//! aggregate row, so they always equal a fresh computation from the reviews.

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::check_version;
use crate::auth::Caller;
use crate::authz::{self, OfferingAction};
use crate::db::models::membership::Membership;
use crate::db::models::offer::Offer;
use crate::db::models::offering::{Offering, Status};
use crate::db::models::organization::Organization;
use crate::db::models::review::{
    Review, ReviewContent, ReviewCursor, ReviewFilter, ReviewReply, ReviewView,
};
use crate::db::models::review_aggregate::ReviewAggregate;
use crate::db::models::review_report::{ReviewReport, record_decision};
use crate::db::models::user::User;
use crate::domain::review::{ModerationAction, ReviewInput, ReviewSort};
use crate::domain::review_signals::{self, RecentReview, SignalSettings};
pub use crate::domain::review_stats::ReviewSummary;
use crate::domain::review_stats::{ReviewSettings, ReviewStats};
use crate::domain::{DomainError, DomainResult, Fields, OfferingId, OrganizationId, ReviewId};
use crate::http::IfMatch;
use crate::mail::{outbox, templates};

/// The longest reply a provider may post.
pub const RESPONSE_MAX: usize = 2_000;
/// The window of the "last 24 months" figures.
const RECENT_DAYS: i64 = 730;

/// A page of an offering's reviews.
pub struct ReviewsPage {
    pub items: Vec<ReviewView>,
    pub next: Option<ReviewCursor>,
}

/// Recomputes the offering's aggregates from its visible reviews; the caller holds the lock
/// (`ReviewAggregate::lock`) and its transaction. The database counts the stars, so a write
/// to an offering with many reviews does not carry them all to the server (loading them made
/// writes to an offering with 10,000 reviews take 100 ms each, in turn under the lock).
async fn recompute(
    conn: &mut AsyncPgConnection,
    offering_id: OfferingId,
    settings: &ReviewSettings,
) -> DomainResult<()> {
    let stats = Review::stats_by_offering(conn, Some(&[offering_id]))
        .await?
        .pop()
        .map_or_else(|| ReviewStats::of([]), |(_, stats)| stats);
    ReviewAggregate::of(offering_id, &stats, settings)
        .store(conn)
        .await?;
    Ok(())
}

pub(super) async fn view(conn: &mut AsyncPgConnection, review: Review) -> DomainResult<ReviewView> {
    Review::views(conn, vec![review])
        .await?
        .pop()
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("a review's view went missing")))
}

/// A review the caller may see: those of offerings they may read, hidden ones only to their
/// author.
pub(crate) async fn visible_review(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: ReviewId,
) -> DomainResult<(Review, Offering)> {
    let review = Review::find(conn, id).await?.ok_or(DomainError::NotFound)?;
    // Hidden reviews stay visible to their author and to the moderators who decide on them.
    let author = caller.is_some_and(|c| review.author_id == Some(c.id()) || c.user.is_moderator);
    if review.hidden_at.is_some() && !author {
        return Err(DomainError::NotFound);
    }
    let (offering, _) =
        authz::offering(conn, caller, review.offering_id, OfferingAction::Read).await?;
    Ok((review, offering))
}

/// Maps the unique key's violation (two first reviews racing) to the conflict it is.
fn duplicate(error: diesel::result::Error) -> DomainError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => already_reviewed(),
        other => other.into(),
    }
}

fn already_reviewed() -> DomainError {
    DomainError::Conflict("You already reviewed this offering; edit your review instead.".into())
}

/// Files automatic reports for the burst a new review completes (see `review_signals`), in
/// its transaction: the review and its reports commit together. The caller holds the
/// offering's aggregate lock, so concurrent reviews of it are seen one after another.
async fn flag_bursts(
    conn: &mut AsyncPgConnection,
    newest: &RecentReview,
    offering_id: OfferingId,
    settings: &SignalSettings,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let recent = Review::recent_of_offering(conn, offering_id, now - settings.window).await?;
    for burst in review_signals::bursts(newest, &recent, settings) {
        let ids: Vec<ReviewId> = burst.reviews.into_iter().collect();
        let filed = ReviewReport::insert_automatic(conn, &ids, burst.signal, now).await?;
        tracing::info!(offering_id = %offering_id, signal = burst.signal.as_str(), reviews = ids.len(), filed, "suspicious reviews reported");
    }
    Ok(())
}

/// Write a review of a published offering. `client_hash` is the keyed hash of the address it
/// was sent from (never the address), which the suspicious-pattern rule compares.
pub async fn create_review(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    offering_id: OfferingId,
    input: ReviewInput,
    settings: &ReviewSettings,
    client_hash: &str,
    now: DateTime<Utc>,
) -> DomainResult<ReviewView> {
    let (offering, _) =
        authz::offering(conn, Some(caller), offering_id, OfferingAction::Read).await?;
    let memberships = Membership::of_user(conn, caller.id()).await?;
    let (organization_id, role) = authz::may_review(
        caller.user.is_verified(),
        &memberships,
        offering.provider_id,
        input.organization_id,
    )?;
    if offering.status != Status::Published {
        return Err(DomainError::Conflict(
            "Only published offerings can be reviewed.".into(),
        ));
    }
    let content = ReviewContent::new(input.validate(now.date_naive())?, role);
    let review = conn
        .transaction::<_, DomainError, _>(async |conn| {
            // The author's reviews of the last day are counted under a lock on the account, so
            // parallel requests cannot slip past the limit together.
            User::lock(conn, caller.id()).await?;
            let window = Duration::hours(24);
            let recent = Review::written_since(conn, caller.id(), now - window).await?;
            if recent.len() >= usize::try_from(settings.daily_limit).unwrap_or(0) {
                let free_at = recent.first().map_or(now, |oldest| *oldest + window);
                let retry_after_secs =
                    u64::try_from((free_at - now).num_seconds().max(1)).unwrap_or(1);
                return Err(DomainError::Throttled { retry_after_secs });
            }
            ReviewAggregate::lock(conn, offering.id).await?;
            if Review::exists(conn, offering.id, caller.id()).await? {
                return Err(already_reviewed());
            }
            let review = Review::insert(
                conn,
                offering.id,
                caller.id(),
                organization_id,
                &content,
                client_hash,
                now,
            )
            .await
            .map_err(duplicate)?;
            // A member of a school that bought this offering through an awarded bundle
            // writes from verified use.
            let review =
                if Offer::awarded_to_participant(conn, offering.id, organization_id).await? {
                    Review::confirm(conn, review.id, None, now)
                        .await?
                        .unwrap_or(review)
                } else {
                    review
                };
            recompute(conn, offering.id, settings).await?;
            let newest = RecentReview {
                id: review.id,
                written_at: review.created_at,
                author_since: Some(caller.user.created_at),
                organization_id: review.organization_id,
                client_hash: Some(client_hash.to_owned()),
            };
            flag_bursts(conn, &newest, offering.id, &settings.signals, now).await?;
            super::review_follow_ups::schedule(conn, &review, now).await?;
            Ok(review)
        })
        .await?;
    tracing::info!(review_id = %review.id, offering_id = %offering.id, "review written");
    view(conn, review).await
}

pub async fn get_review(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: ReviewId,
) -> DomainResult<ReviewView> {
    let (review, _) = visible_review(conn, caller, id).await?;
    view(conn, review).await
}

/// Replace a review's content (its author, at the version read); the public sees when.
pub async fn update_review(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    expected: &IfMatch,
    input: ReviewInput,
    settings: &ReviewSettings,
    now: DateTime<Utc>,
) -> DomainResult<ReviewView> {
    let (review, _) = visible_review(conn, Some(caller), id).await?;
    authz::may_change(review.author_id, caller.id())?;
    check_version(expected, review.version)?;
    let content = ReviewContent::new(input.validate(now.date_naive())?, review.content.role);
    let updated = conn
        .transaction::<_, DomainError, _>(async |conn| {
            ReviewAggregate::lock(conn, review.offering_id).await?;
            let updated = Review::update_if_version(conn, review.id, review.version, &content, now)
                .await?
                .ok_or(DomainError::Stale)?;
            recompute(conn, review.offering_id, settings).await?;
            Ok(updated)
        })
        .await?;
    view(conn, updated).await
}

/// Delete a review (its author); the aggregates drop it at once.
pub async fn delete_review(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    settings: &ReviewSettings,
) -> DomainResult<()> {
    let (review, _) = visible_review(conn, Some(caller), id).await?;
    authz::may_change(review.author_id, caller.id())?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        ReviewAggregate::lock(conn, review.offering_id).await?;
        if !Review::delete(conn, review.id).await? {
            return Err(DomainError::NotFound);
        }
        recompute(conn, review.offering_id, settings).await
    })
    .await
}

/// A page of an offering's reviews in `sort` order.
pub async fn list_reviews(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    offering_id: OfferingId,
    sort: ReviewSort,
    filter: &ReviewFilter,
    after: Option<ReviewCursor>,
    limit: i64,
) -> DomainResult<ReviewsPage> {
    let (offering, _) = authz::offering(conn, caller, offering_id, OfferingAction::Read).await?;
    let mut rows = Review::list(conn, offering.id, sort, filter, after, limit + 1).await?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| r.cursor(sort))
    } else {
        None
    };
    Ok(ReviewsPage {
        items: Review::views(conn, rows).await?,
        next,
    })
}

/// An offering's figures: all reviews, the last 24 months, and the sectors large enough to
/// show.
pub async fn review_summary(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    offering_id: OfferingId,
    settings: &ReviewSettings,
    now: DateTime<Utc>,
) -> DomainResult<ReviewSummary> {
    let (offering, _) = authz::offering(conn, caller, offering_id, OfferingAction::Read).await?;
    let counts = Review::summary_counts(conn, &[offering.id], recent_since(now), None)
        .await?
        .remove(&offering.id)
        .unwrap_or_default();
    Ok(ReviewSummary::of(&counts, settings))
}

/// Where the "last 24 months" window starts.
pub fn recent_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(RECENT_DAYS)
}

/// The stored aggregates of an offering the caller may read (none written yet: empty).
pub async fn offering_aggregate(
    conn: &mut AsyncPgConnection,
    offering_id: OfferingId,
) -> DomainResult<ReviewAggregate> {
    Ok(ReviewAggregate::find(conn, offering_id)
        .await?
        .unwrap_or_else(|| ReviewAggregate::empty(offering_id)))
}

/// Vote a review helpful (once per person, never one's own); answers the new count.
pub async fn vote_helpful(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    super::verified(caller)?;
    let (review, _) = visible_review(conn, Some(caller), id).await?;
    authz::may_vote(review.author_id, caller.id())?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        Review::vote_helpful(conn, review.id, caller.id(), now)
            .await?
            .ok_or_else(|| DomainError::Conflict("You already voted this review helpful.".into()))
    })
    .await
}

/// The provider's public reply (its staff): the first, or a new text for it; the author is
/// told by mail. Answers the reply and whether it was new. `expected`, when given, must match
/// the current reply's version.
pub async fn respond(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    expected: Option<&IfMatch>,
    raw_body: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<(ReviewReply, bool)> {
    let (review, offering) = visible_review(conn, Some(caller), id).await?;
    authz::may_respond(Membership::role_of(conn, offering.provider_id, caller.id()).await?)?;
    let mut fields = Fields::new();
    let body = fields.text("body", raw_body, RESPONSE_MAX);
    let body = fields.finish_with(body)?;
    let provider = Organization::find(conn, offering.provider_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let author = match review.author_id {
        Some(author) => User::find(conn, author).await?,
        None => None,
    };
    let link = format!("{public_url}/aanbod/{}", offering.id);
    conn.transaction::<_, DomainError, _>(async |conn| {
        // Saves of replies to the offering's reviews take turns, so two saves based on the same
        // version (or two first replies) cannot both pass the check: the later one sees the
        // earlier one's reply and is refused as stale.
        ReviewAggregate::lock(conn, offering.id).await?;
        let existing = ReviewReply::find(conn, review.id).await?;
        if let (Some(expected), Some(existing)) = (expected, &existing) {
            check_version(expected, existing.version)?;
        }
        let response =
            ReviewReply::upsert(conn, review.id, provider.id, caller.id(), &body, now).await?;
        if let Some(to) = author.as_ref().and_then(|a| a.email.as_deref()) {
            let mail =
                templates::review_response(to, &offering.content.title, &provider.name, &link);
            outbox::enqueue(conn, &mail, now).await?;
        }
        Ok((response, existing.is_none()))
    })
    .await
}

/// A leader of the author's school confirms the usage: the review counts as verified.
pub async fn confirm_usage(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    settings: &ReviewSettings,
    now: DateTime<Utc>,
) -> DomainResult<ReviewView> {
    let (review, _) = visible_review(conn, Some(caller), id).await?;
    let role = Membership::role_of(conn, review.organization_id, caller.id()).await?;
    authz::may_confirm(role, review.author_id, caller.id())?;
    let confirmed = conn
        .transaction::<_, DomainError, _>(async |conn| {
            ReviewAggregate::lock(conn, review.offering_id).await?;
            let confirmed = Review::confirm(conn, review.id, Some(caller.id()), now).await?;
            recompute(conn, review.offering_id, settings).await?;
            Ok(confirmed)
        })
        .await?;
    // Confirmed before: nothing changed.
    let review = match confirmed {
        Some(review) => review,
        None => Review::find(conn, id).await?.ok_or(DomainError::NotFound)?,
    };
    view(conn, review).await
}

/// Where a visitor who wants to share an experience of an offering starts.
pub enum ReviewStart {
    /// A new review, written from this school or board (the first they may review from).
    Write { organization: String },
    /// They wrote one already: that one is edited instead.
    Edit(ReviewId),
    /// They may not review it, and why.
    Refused(authz::NoReview),
}

/// Whether the caller may write a review of the offering now, before they fill in a form.
/// `create_review` checks the same again when the review is sent.
pub async fn start_review(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    offering_id: OfferingId,
) -> DomainResult<(Offering, ReviewStart)> {
    let (offering, _) =
        authz::offering(conn, Some(caller), offering_id, OfferingAction::Read).await?;
    if let Some(own) = Review::by_author(conn, offering.id, caller.id()).await? {
        return Ok((offering, ReviewStart::Edit(own.id)));
    }
    let memberships = Membership::of_user(conn, caller.id()).await?;
    if let Some(refusal) = authz::review_refusal(
        caller.user.is_verified(),
        &memberships,
        offering.provider_id,
    ) {
        return Ok((offering, ReviewStart::Refused(refusal)));
    }
    if offering.status != Status::Published {
        return Err(DomainError::Conflict(
            "Only published offerings can be reviewed.".into(),
        ));
    }
    let organization = authz::reviewer_memberships(&memberships)
        .first()
        .map(|m| m.organization_name.clone())
        .unwrap_or_default();
    Ok((offering, ReviewStart::Write { organization }))
}

/// The caller's own review, to edit or delete it, with its offering.
pub async fn review_for_editing(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
) -> DomainResult<(ReviewView, Offering)> {
    let (review, offering) = visible_review(conn, Some(caller), id).await?;
    authz::may_change(review.author_id, caller.id())?;
    Ok((view(conn, review).await?, offering))
}

/// A review of its author's, with the offering it is about.
pub struct AuthoredReview {
    pub review: ReviewView,
    pub offering_title: String,
}

/// The caller's reviews, newest first, hidden ones included (with the moderator's reason).
pub async fn my_reviews(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<AuthoredReview>> {
    let reviews = Review::of_author(conn, caller.id()).await?;
    let ids: Vec<OfferingId> = reviews.iter().map(|r| r.offering_id).collect();
    let offerings = Offering::find_many(conn, &ids).await?;
    Ok(Review::views(conn, reviews)
        .await?
        .into_iter()
        .map(|review| AuthoredReview {
            offering_title: offerings
                .iter()
                .find(|o| o.id == review.review.offering_id)
                .map(|o| o.content.title.clone())
                .unwrap_or_default(),
            review,
        })
        .collect())
}

/// The schools and boards whose reviewers' usage the caller may confirm (as their leader): the
/// pages offer the confirmation on those reviews only; `confirm_usage` decides again.
pub async fn confirmable_organizations(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<OrganizationId>> {
    Ok(Membership::of_user(conn, caller.id())
        .await?
        .into_iter()
        .filter(|m| authz::may_confirm(Some(m.role), None, caller.id()).is_ok())
        .map(|m| m.organization_id)
        .collect())
}

/// The longest reason for a report or a moderation decision.
pub const REASON_MAX: usize = 1_000;

fn reason(raw: &str) -> DomainResult<String> {
    let mut fields = Fields::new();
    let reason = fields.text("reason", raw, REASON_MAX);
    fields.finish_with(reason)
}

/// Report a review to the moderators, with a reason (anyone signed in, once per review).
pub async fn report_review(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    raw_reason: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let (review, _) = visible_review(conn, Some(caller), id).await?;
    let reason = reason(raw_reason)?;
    ReviewReport::insert(conn, review.id, caller.id(), &reason, now)
        .await?
        .ok_or_else(|| DomainError::Conflict("You already reported this review.".into()))?;
    tracing::info!(review_id = %review.id, "review reported");
    Ok(())
}

/// A reported review with its open reports.
pub struct Reported {
    pub review: ReviewView,
    pub reports: Vec<ReviewReport>,
}

/// The moderation queue: reviews with open reports, reported longest ago first (moderators).
pub async fn moderation_queue(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    limit: i64,
) -> DomainResult<Vec<Reported>> {
    authz::may_moderate(caller.user.is_moderator)?;
    let mut reports = ReviewReport::open(conn, limit).await?;
    let mut order: Vec<ReviewId> = Vec::new();
    for report in &reports {
        if !order.contains(&report.review_id) {
            order.push(report.review_id);
        }
    }
    // One query for the queue's reviews, then back in the order of their oldest report.
    let mut found = Review::find_many(conn, &order).await?;
    found.sort_by_key(|review| order.iter().position(|id| *id == review.id));
    Ok(Review::views(conn, found)
        .await?
        .into_iter()
        .map(|review| {
            let (mine, rest) = reports
                .drain(..)
                .partition(|r| r.review_id == review.review.id);
            reports = rest;
            Reported {
                review,
                reports: mine,
            }
        })
        .collect())
}

/// A moderator hides a review (it leaves lists and aggregates) or restores it, with a reason;
/// the review's open reports close, and its author and reporters hear the outcome by mail.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ReviewId,
    action: ModerationAction,
    raw_reason: &str,
    settings: &ReviewSettings,
    now: DateTime<Utc>,
) -> DomainResult<ReviewView> {
    authz::may_moderate(caller.user.is_moderator)?;
    let review = Review::find(conn, id).await?.ok_or(DomainError::NotFound)?;
    let reason = reason(raw_reason)?;
    let offering = Offering::find(conn, review.offering_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let author = match review.author_id {
        Some(author) => User::find(conn, author).await?,
        None => None,
    };
    let decided = conn
        .transaction::<_, DomainError, _>(async |conn| {
            ReviewAggregate::lock(conn, review.offering_id).await?;
            let hidden = match action {
                ModerationAction::Hide => Some((now, reason.as_str())),
                ModerationAction::Restore => None,
            };
            let decided = Review::set_hidden(conn, review.id, hidden).await?;
            record_decision(conn, review.id, caller.id(), action, &reason, now).await?;
            recompute(conn, review.offering_id, settings).await?;
            let title = &offering.content.title;
            let reporters = ReviewReport::resolve(conn, review.id, now).await?;
            for to in reporters {
                let mail = templates::report_handled(&to, title, action == ModerationAction::Hide);
                outbox::enqueue(conn, &mail, now).await?;
            }
            if let Some(to) = author.as_ref().and_then(|a| a.email.as_deref()) {
                let mail = templates::review_moderated(
                    to,
                    title,
                    action == ModerationAction::Hide,
                    &reason,
                );
                outbox::enqueue(conn, &mail, now).await?;
            }
            Ok(decided)
        })
        .await?;
    tracing::info!(review_id = %decided.id, action = action.as_str(), "review moderated");
    view(conn, decided).await
}
