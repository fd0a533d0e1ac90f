//! A review's follow-ups: the author's later answers on use and lasting effect, with their
//! dates. They hang on the review, never on the author, so they stay when the account is
//! erased and the review is anonymised.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::review_follow_ups;
use crate::domain::ReviewId;
use crate::domain::review_follow_up::ValidFollowUp;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = review_follow_ups)]
pub struct ReviewFollowUp {
    pub id: uuid::Uuid,
    pub review_id: ReviewId,
    pub answered_at: DateTime<Utc>,
    pub still_in_use: bool,
    pub lasting_effect: Option<i16>,
    pub note: Option<String>,
}

impl ReviewFollowUp {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
        valid: &ValidFollowUp,
        now: DateTime<Utc>,
    ) -> QueryResult<ReviewFollowUp> {
        diesel::insert_into(review_follow_ups::table)
            .values((
                review_follow_ups::id.eq(uuid::Uuid::now_v7()),
                review_follow_ups::review_id.eq(review_id),
                review_follow_ups::answered_at.eq(now),
                review_follow_ups::still_in_use.eq(valid.still_in_use),
                review_follow_ups::lasting_effect.eq(valid.lasting_effect.map(i16::from)),
                review_follow_ups::note.eq(valid.note.as_deref()),
            ))
            .returning(ReviewFollowUp::as_returning())
            .get_result(conn)
            .await
    }

    /// The follow-ups of these reviews, oldest first, in one query.
    pub async fn of_reviews(
        conn: &mut AsyncPgConnection,
        review_ids: &[ReviewId],
    ) -> QueryResult<Vec<ReviewFollowUp>> {
        review_follow_ups::table
            .filter(review_follow_ups::review_id.eq_any(review_ids))
            .order((
                review_follow_ups::answered_at.asc(),
                review_follow_ups::id.asc(),
            ))
            .select(ReviewFollowUp::as_select())
            .load(conn)
            .await
    }

    /// The lasting-effect rating as stars (the table keeps it between 1 and 5).
    pub fn lasting_effect(&self) -> Option<u8> {
        self.lasting_effect.and_then(|v| u8::try_from(v).ok())
    }
}
