//! An offering's review aggregates, kept in a row of their own that every change to its
//! reviews recomputes, under a lock on that row, in the change's transaction. A trigger puts
//! the offering's search document in the outbox when the row changes.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::review_aggregates;
use crate::domain::OfferingId;
use crate::domain::review_stats::{ReviewSettings, ReviewStats};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = review_aggregates)]
pub struct ReviewAggregate {
    pub offering_id: OfferingId,
    pub review_count: i64,
    pub verified_review_count: i64,
    pub rating_avg: Option<f64>,
    pub rating_fit_with_practice: Option<f64>,
    pub rating_expertise: Option<f64>,
    pub rating_lasting_effect: Option<f64>,
    pub rating_value_for_money: Option<f64>,
    pub rating_teacher_involvement: Option<f64>,
    pub rating_score: Option<f64>,
    pub dimensions: serde_json::Value,
}

impl ReviewAggregate {
    /// The aggregates of an offering without reviews.
    pub fn empty(offering_id: OfferingId) -> ReviewAggregate {
        ReviewAggregate::of(
            offering_id,
            &ReviewStats::of([]),
            &ReviewSettings::default(),
        )
    }

    pub fn of(
        offering_id: OfferingId,
        stats: &ReviewStats,
        settings: &ReviewSettings,
    ) -> ReviewAggregate {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        ReviewAggregate {
            offering_id,
            review_count: count(stats.review_count),
            verified_review_count: count(stats.verified_review_count),
            rating_avg: stats.average("overall"),
            rating_fit_with_practice: stats.average("fit_with_practice"),
            rating_expertise: stats.average("expertise"),
            rating_lasting_effect: stats.average("lasting_effect"),
            rating_value_for_money: stats.average("value_for_money"),
            rating_teacher_involvement: stats.average("teacher_involvement"),
            rating_score: stats.score(settings),
            dimensions: serde_json::to_value(&stats.dimensions).unwrap_or_default(),
        }
    }

    /// The stored stats: counts and the per-dimension figures.
    pub fn stats(&self) -> ReviewStats {
        ReviewStats {
            review_count: u64::try_from(self.review_count).unwrap_or(0),
            verified_review_count: u64::try_from(self.verified_review_count).unwrap_or(0),
            dimensions: serde_json::from_value(self.dimensions.clone()).unwrap_or_default(),
        }
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
    ) -> QueryResult<Option<ReviewAggregate>> {
        review_aggregates::table
            .find(offering_id)
            .select(ReviewAggregate::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Locks the offering's row (creating it first when missing) until the transaction ends:
    /// writers of one offering's reviews take turns from here, so the one that recomputes last
    /// counts every review committed before it. Call it inside the transaction, before
    /// changing the reviews.
    pub async fn lock(conn: &mut AsyncPgConnection, offering_id: OfferingId) -> QueryResult<()> {
        diesel::insert_into(review_aggregates::table)
            .values(review_aggregates::offering_id.eq(offering_id))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        review_aggregates::table
            .find(offering_id)
            .select(review_aggregates::offering_id)
            .for_update()
            .first::<OfferingId>(conn)
            .await?;
        Ok(())
    }

    /// Writes many offerings' aggregates at once, replacing what their rows held (bulk
    /// seeding: no writer of their reviews runs meanwhile, so no lock is taken). The trigger
    /// queues each changed offering's search document.
    pub async fn store_many(
        conn: &mut AsyncPgConnection,
        aggregates: &[ReviewAggregate],
    ) -> QueryResult<()> {
        use diesel::upsert::excluded;
        // 11 columns a row: 5,000 rows stay under PostgreSQL's 65,535 parameters.
        for chunk in aggregates.chunks(5_000) {
            diesel::insert_into(review_aggregates::table)
                .values(chunk)
                .on_conflict(review_aggregates::offering_id)
                .do_update()
                .set((
                    review_aggregates::review_count.eq(excluded(review_aggregates::review_count)),
                    review_aggregates::verified_review_count
                        .eq(excluded(review_aggregates::verified_review_count)),
                    review_aggregates::rating_avg.eq(excluded(review_aggregates::rating_avg)),
                    review_aggregates::rating_fit_with_practice
                        .eq(excluded(review_aggregates::rating_fit_with_practice)),
                    review_aggregates::rating_expertise
                        .eq(excluded(review_aggregates::rating_expertise)),
                    review_aggregates::rating_lasting_effect
                        .eq(excluded(review_aggregates::rating_lasting_effect)),
                    review_aggregates::rating_value_for_money
                        .eq(excluded(review_aggregates::rating_value_for_money)),
                    review_aggregates::rating_teacher_involvement
                        .eq(excluded(review_aggregates::rating_teacher_involvement)),
                    review_aggregates::rating_score.eq(excluded(review_aggregates::rating_score)),
                    review_aggregates::dimensions.eq(excluded(review_aggregates::dimensions)),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// Stores the aggregates (the row must exist: `lock` made it).
    pub async fn store(&self, conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::update(review_aggregates::table.find(self.offering_id))
            .set((
                review_aggregates::review_count.eq(self.review_count),
                review_aggregates::verified_review_count.eq(self.verified_review_count),
                review_aggregates::rating_avg.eq(self.rating_avg),
                review_aggregates::rating_fit_with_practice.eq(self.rating_fit_with_practice),
                review_aggregates::rating_expertise.eq(self.rating_expertise),
                review_aggregates::rating_lasting_effect.eq(self.rating_lasting_effect),
                review_aggregates::rating_value_for_money.eq(self.rating_value_for_money),
                review_aggregates::rating_teacher_involvement.eq(self.rating_teacher_involvement),
                review_aggregates::rating_score.eq(self.rating_score),
                review_aggregates::dimensions.eq(&self.dimensions),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
