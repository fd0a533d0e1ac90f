//! Reports of reviews and moderators' decisions on them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{review_decisions, review_reports, users};
use crate::domain::review::ModerationAction;
use crate::domain::review_signals::Signal;
use crate::domain::{ReviewId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_reports)]
pub struct ReviewReport {
    pub id: uuid::Uuid,
    pub review_id: ReviewId,
    pub reporter_id: Option<UserId>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The suspicious pattern that filed it (an automatic report, without a reporter).
    pub signal: Option<Signal>,
}

impl ReviewReport {
    /// Records a report; `None` when the reporter already reported this review.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
        reporter_id: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<ReviewReport>> {
        diesel::insert_into(review_reports::table)
            .values((
                review_reports::id.eq(uuid::Uuid::now_v7()),
                review_reports::review_id.eq(review_id),
                review_reports::reporter_id.eq(reporter_id),
                review_reports::reason.eq(reason),
                review_reports::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .returning(ReviewReport::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Files the automatic report of `signal` for each of these reviews that it has not
    /// reported before (a moderator who already looked at one is not asked again).
    pub async fn insert_automatic(
        conn: &mut AsyncPgConnection,
        review_ids: &[ReviewId],
        signal: Signal,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        let rows: Vec<_> = review_ids
            .iter()
            .map(|review_id| {
                (
                    review_reports::id.eq(uuid::Uuid::now_v7()),
                    review_reports::review_id.eq(*review_id),
                    review_reports::reason.eq(signal.reason()),
                    review_reports::signal.eq(signal),
                    review_reports::created_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(review_reports::table)
            .values(rows)
            .on_conflict_do_nothing()
            .execute(conn)
            .await
    }

    /// The open reports of the `limit` reviews reported longest ago, oldest first: the
    /// moderation queue.
    pub async fn open(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<ReviewReport>> {
        let reviews: Vec<ReviewId> = review_reports::table
            .filter(review_reports::resolved_at.is_null())
            .group_by(review_reports::review_id)
            .order(diesel::dsl::min(review_reports::created_at).asc())
            .select(review_reports::review_id)
            .limit(limit)
            .load(conn)
            .await?;
        review_reports::table
            .filter(review_reports::resolved_at.is_null())
            .filter(review_reports::review_id.eq_any(&reviews))
            .order(review_reports::created_at.asc())
            .select(ReviewReport::as_select())
            .load(conn)
            .await
    }

    /// The review's open reports, oldest first: what a moderator weighs on its page.
    pub async fn open_of(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
    ) -> QueryResult<Vec<ReviewReport>> {
        review_reports::table
            .filter(review_reports::review_id.eq(review_id))
            .filter(review_reports::resolved_at.is_null())
            .order(review_reports::created_at.asc())
            .select(ReviewReport::as_select())
            .load(conn)
            .await
    }

    /// Closes the review's open reports; answers their reporters' addresses.
    pub async fn resolve(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<String>> {
        let reporters: Vec<Option<UserId>> = diesel::update(
            review_reports::table
                .filter(review_reports::review_id.eq(review_id))
                .filter(review_reports::resolved_at.is_null()),
        )
        .set(review_reports::resolved_at.eq(now))
        .returning(review_reports::reporter_id)
        .get_results(conn)
        .await?;
        let reporters: Vec<UserId> = reporters.into_iter().flatten().collect();
        let emails: Vec<Option<String>> = users::table
            .filter(users::id.eq_any(&reporters))
            .filter(users::deleted_at.is_null())
            .select(users::email)
            .load(conn)
            .await?;
        Ok(emails.into_iter().flatten().collect())
    }
}

/// Records a moderator's decision (the history of a review's moderation).
pub async fn record_decision(
    conn: &mut AsyncPgConnection,
    review_id: ReviewId,
    moderator_id: UserId,
    action: ModerationAction,
    reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(review_decisions::table)
        .values((
            review_decisions::id.eq(uuid::Uuid::now_v7()),
            review_decisions::review_id.eq(review_id),
            review_decisions::moderator_id.eq(moderator_id),
            review_decisions::action.eq(action),
            review_decisions::reason.eq(reason),
            review_decisions::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
