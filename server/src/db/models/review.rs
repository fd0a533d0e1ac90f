//! Reviews, their helpful votes and the provider's responses. `ReviewContent` is the part the
//! author writes, kept as one struct so creation, edits and responses cannot drift apart.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::review_follow_up::ReviewFollowUp;
use crate::db::schema::{
    offerings, organizations, review_helpful_votes, review_origins, review_responses, reviews,
    users,
};
use crate::domain::review::{DIMENSIONS, Phase, ReviewSort, Scale, SchoolSize, ValidReview};
use crate::domain::review_signals::RecentReview;
use crate::domain::review_stats::{RatedReview, ReviewCounts, ReviewStats, SummaryCounts};
use crate::domain::{OfferingId, OrganizationId, ReviewId, Role, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = reviews, treat_none_as_null = true)]
pub struct ReviewContent {
    pub rating_overall: i16,
    pub rating_fit_with_practice: Option<i16>,
    pub rating_expertise: Option<i16>,
    pub rating_lasting_effect: Option<i16>,
    pub rating_value_for_money: Option<i16>,
    pub rating_teacher_involvement: Option<i16>,
    pub sector: String,
    pub role: Role,
    pub school_size: Option<SchoolSize>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub scale: Option<Scale>,
    pub phase: Option<Phase>,
    pub still_in_use: Option<bool>,
    pub pros: Option<String>,
    pub pitfalls: Option<String>,
    pub advice: Option<String>,
    pub provider_tie: Option<String>,
    pub reward: Option<String>,
    pub show_name: bool,
}

impl ReviewContent {
    /// The stored form of a valid review by a reviewer in `role` (used when the review names
    /// none).
    pub fn new(valid: ValidReview, role: Role) -> ReviewContent {
        let [overall, fit, expertise, lasting, value, involvement] =
            valid.ratings.all().map(|r| r.map(i16::from));
        ReviewContent {
            rating_overall: overall.unwrap_or_else(|| i16::from(valid.ratings.overall)),
            rating_fit_with_practice: fit,
            rating_expertise: expertise,
            rating_lasting_effect: lasting,
            rating_value_for_money: value,
            rating_teacher_involvement: involvement,
            sector: valid.context.sector,
            role: valid.context.role.unwrap_or(role),
            school_size: valid.context.school_size,
            period_start: valid.context.period_start,
            period_end: valid.context.period_end,
            scale: valid.context.scale,
            phase: valid.context.phase,
            still_in_use: valid.context.still_in_use,
            pros: valid.pros,
            pitfalls: valid.pitfalls,
            advice: valid.advice,
            provider_tie: valid.provider_tie,
            reward: valid.reward,
            show_name: valid.show_name,
        }
    }

    /// The ratings in `DIMENSIONS` order.
    pub fn ratings(&self) -> [Option<u8>; 6] {
        [
            Some(self.rating_overall),
            self.rating_fit_with_practice,
            self.rating_expertise,
            self.rating_lasting_effect,
            self.rating_value_for_money,
            self.rating_teacher_involvement,
        ]
        .map(|r| r.and_then(|v| u8::try_from(v).ok()))
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: ReviewId,
    pub offering_id: OfferingId,
    /// `None` once the author erased their account.
    pub author_id: Option<UserId>,
    pub organization_id: OrganizationId,
    #[diesel(embed)]
    pub content: ReviewContent,
    pub verified_at: Option<DateTime<Utc>>,
    pub verified_by: Option<UserId>,
    pub helpful_count: i32,
    pub hidden_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// Why a moderator hid it (while hidden).
    pub hidden_reason: Option<String>,
}

/// A provider's public reply to a review.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = review_responses)]
pub struct ReviewReply {
    pub review_id: ReviewId,
    pub provider_id: OrganizationId,
    pub author_id: Option<UserId>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// A review with what the public sees of its author and the provider's reply.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub review: Review,
    /// The province of the school or board reviewed from.
    pub province: Option<String>,
    /// The author's name: present only when the author chose to show it.
    pub author_name: Option<String>,
    pub response: Option<ReviewReply>,
    /// The author's later answers on use and lasting effect, oldest first.
    pub follow_ups: Vec<ReviewFollowUp>,
}

/// Where a page of a list starts: after the review `id` whose sort key was `key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewCursor {
    pub key: i64,
    pub id: ReviewId,
}

impl ReviewCursor {
    /// The cursor as a list hands it out (API and pages alike): opaque, URL-safe text.
    pub fn encode(self) -> String {
        let mut bytes = self.key.to_be_bytes().to_vec();
        bytes.extend_from_slice(self.id.as_uuid().as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A cursor `encode` made; anything else is none.
    pub fn decode(raw: &str) -> Option<ReviewCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(raw).ok().filter(|b| b.len() == 24)?;
        let (key, id) = bytes.split_at(8);
        Some(ReviewCursor {
            key: i64::from_be_bytes(key.try_into().ok()?),
            id: ReviewId::from(uuid::Uuid::from_slice(id).ok()?),
        })
    }
}

/// An offering's review counts as the grouped query yields them: per dimension (in
/// `DIMENSIONS` order), the number of 1 to 5 stars, in one array of 6 × 5.
#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = SqlUuid)]
    offering_id: uuid::Uuid,
    #[diesel(sql_type = BigInt)]
    review_count: i64,
    #[diesel(sql_type = BigInt)]
    verified_review_count: i64,
    #[diesel(sql_type = Array<BigInt>)]
    stars: Vec<i64>,
}

/// Per dimension (in `DIMENSIONS` order) the counts of 1 to 5 stars: 6 × 5 aggregates.
fn star_counts() -> impl Iterator<Item = String> {
    DIMENSIONS.iter().flat_map(|dimension| {
        (1..=5).map(move |s| format!("count(*) FILTER (WHERE rating_{dimension} = {s})"))
    })
}

/// The star counts as one `bigint[]` of 6 × 5.
fn stars_sql() -> String {
    format!(
        "ARRAY[{}]::bigint[]",
        star_counts().collect::<Vec<_>>().join(", ")
    )
}

/// The 6 × 5 star counts of `stars_sql` (and of `summary_sql`).
fn distributions(stars: &[i64]) -> [[u64; 5]; 6] {
    let mut distributions = [[0u64; 5]; 6];
    for (i, n) in stars.iter().enumerate().take(30) {
        distributions[i / 5][i % 5] = count(*n);
    }
    distributions
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The grouped count of visible reviews, restricted by `and` (SQL, or empty). Raw SQL: the
/// DSL has no `FILTER` clause for aggregates.
fn counting_sql(and: &str) -> String {
    format!(
        "SELECT offering_id, count(*) AS review_count, count(verified_at) AS \
         verified_review_count, {} AS stars FROM reviews \
         WHERE hidden_at IS NULL {and} GROUP BY offering_id",
        stars_sql()
    )
}

/// One group of an offering's summary counts: `grouping` tells which (`SUMMARY_ALL`,
/// `SUMMARY_RECENT` with `recent` true or false, `SUMMARY_SECTOR` with `sector`).
#[derive(QueryableByName)]
struct SummaryCounted {
    #[diesel(sql_type = SqlUuid)]
    offering_id: uuid::Uuid,
    #[diesel(sql_type = Integer)]
    grouping: i32,
    #[diesel(sql_type = Nullable<Bool>)]
    recent: Option<bool>,
    #[diesel(sql_type = Nullable<Text>)]
    sector: Option<String>,
    #[diesel(sql_type = BigInt)]
    review_count: i64,
    #[diesel(sql_type = BigInt)]
    verified_review_count: i64,
    #[diesel(sql_type = BigInt)]
    organization_count: i64,
    #[diesel(sql_type = Array<BigInt>)]
    stars: Vec<i64>,
}

/// `GROUPING(recent, sector)` sets a bit for each column the row is NOT grouped by (`recent`
/// the higher): both for the totals, `sector`'s for the recent split, `recent`'s per sector.
const SUMMARY_ALL: i32 = 0b11;
const SUMMARY_RECENT: i32 = 0b01;
const SUMMARY_SECTOR: i32 = 0b10;

/// The summary's counts of the visible reviews of the offerings `$1`, recent meaning created
/// after `$2`, restricted by `and` (SQL, or empty): per offering the totals, the recent ones
/// and each sector's, with how many schools each group comes from. One pass over the reviews
/// counts them per sector, age and school (a hash aggregate); the grouping sets then add up
/// those few rows. Grouping the reviews themselves by the sets, with `count(DISTINCT)`, sorted
/// them three times: twice as slow on an offering with 10,000 reviews.
fn summary_sql(and: &str) -> String {
    let per_school: Vec<String> = star_counts()
        .enumerate()
        .map(|(i, count)| format!("{count} AS s{i}"))
        .collect();
    let sums: Vec<String> = (0..per_school.len())
        .map(|i| format!("sum(s{i})"))
        .collect();
    format!(
        "SELECT offering_id, GROUPING(recent, sector) AS grouping, recent, sector, \
         sum(n)::bigint AS review_count, sum(verified)::bigint AS verified_review_count, \
         count(DISTINCT organization_id) AS organization_count, \
         ARRAY[{}]::bigint[] AS stars \
         FROM (SELECT offering_id, sector, organization_id, created_at > $2 AS recent, \
                      count(*) AS n, count(verified_at) AS verified, {} \
               FROM reviews WHERE hidden_at IS NULL AND offering_id = ANY($1) {and} \
               GROUP BY offering_id, sector, organization_id, recent) per_school \
         GROUP BY offering_id, GROUPING SETS ((), (recent), (sector))",
        sums.join(", "),
        per_school.join(", ")
    )
}

/// The query behind a page of reviews.
pub type ListQuery<'a> =
    reviews::BoxedQuery<'a, diesel::pg::Pg, diesel::dsl::AsSelect<Review, diesel::pg::Pg>>;

/// The reviews a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub sector: Option<String>,
    pub verified: Option<bool>,
}

impl Review {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        author_id: UserId,
        organization_id: OrganizationId,
        content: &ReviewContent,
        client_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Review> {
        let review = diesel::insert_into(reviews::table)
            .values((
                reviews::id.eq(ReviewId::generate()),
                reviews::offering_id.eq(offering_id),
                reviews::author_id.eq(author_id),
                reviews::organization_id.eq(organization_id),
                content,
                reviews::created_at.eq(now),
            ))
            .returning(Review::as_returning())
            .get_result(conn)
            .await?;
        diesel::insert_into(review_origins::table)
            .values((
                review_origins::review_id.eq(review.id),
                review_origins::client_hash.eq(client_hash),
            ))
            .execute(conn)
            .await?;
        Ok(review)
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: ReviewId) -> QueryResult<Option<Review>> {
        reviews::table
            .find(id)
            .select(Review::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The reviews with these ids, in no particular order (unknown ids are left out).
    pub async fn find_many(
        conn: &mut AsyncPgConnection,
        ids: &[ReviewId],
    ) -> QueryResult<Vec<Review>> {
        reviews::table
            .filter(reviews::id.eq_any(ids))
            .select(Review::as_select())
            .load(conn)
            .await
    }

    /// Whether the author already reviewed the offering.
    /// The author's review of an offering, if they wrote one.
    pub async fn by_author(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        author_id: UserId,
    ) -> QueryResult<Option<Review>> {
        reviews::table
            .filter(reviews::offering_id.eq(offering_id))
            .filter(reviews::author_id.eq(author_id))
            .select(Review::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn exists(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        author_id: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            reviews::table
                .filter(reviews::offering_id.eq(offering_id))
                .filter(reviews::author_id.eq(author_id)),
        ))
        .get_result(conn)
        .await
    }

    /// When the author wrote each of their reviews since `since`, oldest first.
    pub async fn written_since(
        conn: &mut AsyncPgConnection,
        author_id: UserId,
        since: DateTime<Utc>,
    ) -> QueryResult<Vec<DateTime<Utc>>> {
        reviews::table
            .filter(reviews::author_id.eq(author_id))
            .filter(reviews::created_at.gt(since))
            .order(reviews::created_at.asc())
            .select(reviews::created_at)
            .load(conn)
            .await
    }

    /// The offering's reviews written after `since`, as the suspicious-pattern rule sees them
    /// (hidden ones too: they were part of the burst).
    pub async fn recent_of_offering(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        since: DateTime<Utc>,
    ) -> QueryResult<Vec<RecentReview>> {
        type Row = (
            ReviewId,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            OrganizationId,
            Option<String>,
        );
        let rows: Vec<Row> = reviews::table
            .left_join(users::table.on(users::id.nullable().eq(reviews::author_id)))
            .left_join(review_origins::table)
            .filter(reviews::offering_id.eq(offering_id))
            .filter(reviews::created_at.gt(since))
            .select((
                reviews::id,
                reviews::created_at,
                users::created_at.nullable(),
                reviews::organization_id,
                review_origins::client_hash.nullable(),
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, written_at, author_since, organization_id, client_hash)| RecentReview {
                    id,
                    written_at,
                    author_since,
                    organization_id,
                    client_hash,
                },
            )
            .collect())
    }

    /// Replaces the content if the review is still at `expected_version`; `None` if it moved
    /// on (or is gone).
    pub async fn update_if_version(
        conn: &mut AsyncPgConnection,
        id: ReviewId,
        expected_version: i32,
        content: &ReviewContent,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Review>> {
        diesel::update(
            reviews::table
                .find(id)
                .filter(reviews::version.eq(expected_version)),
        )
        .set((
            content,
            reviews::edited_at.eq(now),
            reviews::version.eq(reviews::version + 1),
        ))
        .returning(Review::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// Deletes the review (its votes and response go with it); false when it was gone.
    pub async fn delete(conn: &mut AsyncPgConnection, id: ReviewId) -> QueryResult<bool> {
        Ok(diesel::delete(reviews::table.find(id))
            .execute(conn)
            .await?
            == 1)
    }

    /// Marks the usage confirmed (once; a second confirmation keeps the first): by a leader
    /// of the author's school, or (`None`) by an awarded bundle the author's school joined.
    pub async fn confirm(
        conn: &mut AsyncPgConnection,
        id: ReviewId,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Review>> {
        diesel::update(
            reviews::table
                .find(id)
                .filter(reviews::verified_at.is_null()),
        )
        .set((reviews::verified_at.eq(now), reviews::verified_by.eq(by)))
        .returning(Review::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// Records the user's vote; false if they had voted already. The count on the review
    /// moves in the same statement's transaction, so it always equals the votes.
    pub async fn vote_helpful(
        conn: &mut AsyncPgConnection,
        id: ReviewId,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<i32>> {
        let inserted = diesel::insert_into(review_helpful_votes::table)
            .values((
                review_helpful_votes::review_id.eq(id),
                review_helpful_votes::user_id.eq(user_id),
                review_helpful_votes::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 0 {
            return Ok(None);
        }
        diesel::update(reviews::table.find(id))
            .set(reviews::helpful_count.eq(reviews::helpful_count + 1))
            .returning(reviews::helpful_count)
            .get_result(conn)
            .await
            .map(Some)
    }

    /// An offering's visible reviews as the figures need them: what a fresh computation of its
    /// figures starts from (the benchmark and the tests check the database's counts with it).
    pub async fn rated_of_offering(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
    ) -> QueryResult<Vec<RatedReview>> {
        type Row = (ReviewContent, bool, OrganizationId, DateTime<Utc>);
        let rows: Vec<Row> = reviews::table
            .filter(reviews::offering_id.eq(offering_id))
            .filter(reviews::hidden_at.is_null())
            .select((
                ReviewContent::as_select(),
                reviews::verified_at.is_not_null(),
                reviews::organization_id,
                reviews::created_at,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(content, verified, organization_id, created_at)| RatedReview {
                    ratings: content.ratings(),
                    verified,
                    sector: content.sector,
                    organization_id,
                    created_at,
                },
            )
            .collect())
    }

    /// The figures of the visible reviews of these offerings (of every offering with `None`),
    /// each offering's, counted by PostgreSQL in one grouped query: only counts leave the
    /// database, however many reviews an offering has. Offerings without visible reviews are
    /// left out.
    pub async fn stats_by_offering(
        conn: &mut AsyncPgConnection,
        only: Option<&[OfferingId]>,
    ) -> QueryResult<Vec<(OfferingId, ReviewStats)>> {
        let counted: Vec<Counted> = match only {
            Some(ids) => {
                let ids: Vec<uuid::Uuid> = ids.iter().map(|id| *id.as_uuid()).collect();
                diesel::sql_query(counting_sql("AND offering_id = ANY($1)"))
                    .bind::<Array<SqlUuid>, _>(ids)
                    .load(conn)
                    .await?
            }
            None => diesel::sql_query(counting_sql("")).load(conn).await?,
        };
        Ok(counted
            .into_iter()
            .map(|c| {
                let stats = ReviewStats::from_distributions(
                    count(c.review_count),
                    count(c.verified_review_count),
                    distributions(&c.stars),
                );
                (c.offering_id.into(), stats)
            })
            .collect())
    }

    /// What the summaries of these offerings are computed from, counted by PostgreSQL in one
    /// grouped query (only counts leave the database, however many reviews an offering has):
    /// per offering its visible reviews', those created after `since`, and each sector's.
    /// With `sector`, only that sector's reviews are counted (compare needs no more).
    /// Offerings without visible reviews are left out.
    pub async fn summary_counts(
        conn: &mut AsyncPgConnection,
        offering_ids: &[OfferingId],
        since: DateTime<Utc>,
        sector: Option<&str>,
    ) -> QueryResult<BTreeMap<OfferingId, SummaryCounts>> {
        let ids: Vec<uuid::Uuid> = offering_ids.iter().map(|id| *id.as_uuid()).collect();
        let query = diesel::sql_query(summary_sql(if sector.is_some() {
            "AND sector = $3"
        } else {
            ""
        }))
        .bind::<Array<SqlUuid>, _>(ids)
        .bind::<Timestamptz, _>(since);
        let rows: Vec<SummaryCounted> = match sector {
            Some(sector) => query.bind::<Text, _>(sector).load(conn).await?,
            None => query.load(conn).await?,
        };
        let mut summaries: BTreeMap<OfferingId, SummaryCounts> = BTreeMap::new();
        for row in rows {
            let counts = ReviewCounts {
                review_count: count(row.review_count),
                verified_review_count: count(row.verified_review_count),
                organization_count: count(row.organization_count),
                distributions: distributions(&row.stars),
            };
            let summary = summaries.entry(row.offering_id.into()).or_default();
            match (row.grouping, row.recent, row.sector) {
                (SUMMARY_ALL, _, _) => summary.all = counts,
                (SUMMARY_RECENT, Some(true), _) => summary.recent = counts,
                (SUMMARY_SECTOR, _, Some(sector)) => {
                    summary.by_sector.insert(sector, counts);
                }
                // The older reviews' group: the summary shows only the recent ones apart.
                _ => {}
            }
        }
        Ok(summaries)
    }

    /// A page of an offering's visible reviews in `sort` order, after `after`.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        sort: ReviewSort,
        filter: &ReviewFilter,
        after: Option<ReviewCursor>,
        limit: i64,
    ) -> QueryResult<Vec<Review>> {
        Self::list_query(offering_id, sort, filter, after, limit)
            .load(conn)
            .await
    }

    /// The query of `list`, for `list` and for the benchmark that explains its plan.
    pub fn list_query(
        offering_id: OfferingId,
        sort: ReviewSort,
        filter: &ReviewFilter,
        after: Option<ReviewCursor>,
        limit: i64,
    ) -> ListQuery<'static> {
        let mut query = reviews::table
            .filter(reviews::offering_id.eq(offering_id))
            .filter(reviews::hidden_at.is_null())
            .select(Review::as_select())
            .limit(limit)
            .into_boxed();
        if let Some(sector) = &filter.sector {
            query = query.filter(reviews::sector.eq(sector.clone()));
        }
        match filter.verified {
            Some(true) => query = query.filter(reviews::verified_at.is_not_null()),
            Some(false) => query = query.filter(reviews::verified_at.is_null()),
            None => {}
        }
        query = match sort {
            ReviewSort::Helpful => query.order((reviews::helpful_count.desc(), reviews::id.desc())),
            ReviewSort::Newest => query.order(reviews::id.desc()),
            ReviewSort::Highest => {
                query.order((reviews::rating_overall.desc(), reviews::id.desc()))
            }
            ReviewSort::Lowest => query.order((reviews::rating_overall.asc(), reviews::id.desc())),
            ReviewSort::Verified => {
                query.order((reviews::verified_at.is_null().asc(), reviews::id.desc()))
            }
        };
        if let Some(ReviewCursor { key, id }) = after {
            let key32 = i32::try_from(key).unwrap_or(i32::MAX);
            let key16 = i16::try_from(key).unwrap_or(i16::MAX);
            query = match sort {
                // A row comparison, which the index (offering, helpful count, id) seeks to:
                // the same condition spelled with OR was a filter over every review before
                // the cursor (a page 250 deep read 5,000 of them). Raw SQL: the DSL has no
                // row values.
                ReviewSort::Helpful => query.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(
                        "(reviews.helpful_count, reviews.id) < (",
                    )
                    .bind::<diesel::sql_types::Integer, _>(key32)
                    .sql(", ")
                    .bind::<SqlUuid, _>(*id.as_uuid())
                    .sql(")"),
                ),
                ReviewSort::Newest => query.filter(reviews::id.lt(id)),
                ReviewSort::Highest => query.filter(
                    reviews::rating_overall
                        .lt(key16)
                        .or(reviews::rating_overall.eq(key16).and(reviews::id.lt(id))),
                ),
                ReviewSort::Lowest => query.filter(
                    reviews::rating_overall
                        .gt(key16)
                        .or(reviews::rating_overall.eq(key16).and(reviews::id.lt(id))),
                ),
                // Key 1: the cursor is among the verified ones, which come first.
                ReviewSort::Verified if key == 1 => {
                    query.filter(reviews::verified_at.is_null().or(reviews::id.lt(id)))
                }
                ReviewSort::Verified => query
                    .filter(reviews::verified_at.is_null())
                    .filter(reviews::id.lt(id)),
            };
        }
        query
    }

    /// The cursor after this review in `sort` order.
    pub fn cursor(&self, sort: ReviewSort) -> ReviewCursor {
        let key = match sort {
            ReviewSort::Helpful => i64::from(self.helpful_count),
            ReviewSort::Newest => 0,
            ReviewSort::Highest | ReviewSort::Lowest => i64::from(self.content.rating_overall),
            ReviewSort::Verified => i64::from(self.verified_at.is_some()),
        };
        ReviewCursor { key, id: self.id }
    }

    /// A page of the visible reviews of a provider's offerings, newest first, after review
    /// `after`; with `unanswered`, only those the provider has not replied to. Each comes with
    /// its offering's title (one query, a join).
    pub async fn of_provider(
        conn: &mut AsyncPgConnection,
        provider_id: OrganizationId,
        unanswered: bool,
        after: Option<ReviewId>,
        limit: i64,
    ) -> QueryResult<Vec<(Review, String)>> {
        let mut query = reviews::table
            .inner_join(offerings::table)
            .filter(offerings::provider_id.eq(provider_id))
            .filter(reviews::hidden_at.is_null())
            .order(reviews::id.desc())
            .select((Review::as_select(), offerings::title))
            .limit(limit)
            .into_boxed();
        if unanswered {
            query = query.filter(diesel::dsl::not(diesel::dsl::exists(
                review_responses::table.filter(review_responses::review_id.eq(reviews::id)),
            )));
        }
        if let Some(after) = after {
            query = query.filter(reviews::id.lt(after));
        }
        query.load(conn).await
    }

    /// The reviews with what the public sees of their authors and the providers' replies, in
    /// the order given, and the authors' follow-ups: four queries whatever the number of
    /// reviews.
    pub async fn views(
        conn: &mut AsyncPgConnection,
        reviews: Vec<Review>,
    ) -> QueryResult<Vec<ReviewView>> {
        let ids: Vec<ReviewId> = reviews.iter().map(|r| r.id).collect();
        let organization_ids: Vec<OrganizationId> =
            reviews.iter().map(|r| r.organization_id).collect();
        let author_ids: Vec<UserId> = reviews
            .iter()
            .filter(|r| r.content.show_name)
            .filter_map(|r| r.author_id)
            .collect();
        let provinces: Vec<(OrganizationId, Option<String>)> = organizations::table
            .filter(organizations::id.eq_any(&organization_ids))
            .select((organizations::id, organizations::province))
            .load(conn)
            .await?;
        let names: Vec<(UserId, String)> = if author_ids.is_empty() {
            Vec::new()
        } else {
            users::table
                .filter(users::id.eq_any(&author_ids))
                .filter(users::deleted_at.is_null())
                .select((users::id, users::display_name))
                .load(conn)
                .await?
        };
        let mut responses: Vec<ReviewReply> = review_responses::table
            .filter(review_responses::review_id.eq_any(&ids))
            .select(ReviewReply::as_select())
            .load(conn)
            .await?;
        let follow_ups = ReviewFollowUp::of_reviews(conn, &ids).await?;
        Ok(reviews
            .into_iter()
            .map(|review| {
                let province = provinces
                    .iter()
                    .find(|(id, _)| *id == review.organization_id)
                    .and_then(|(_, p)| p.clone());
                let author_name = review
                    .author_id
                    .filter(|_| review.content.show_name)
                    .and_then(|author| names.iter().find(|(id, _)| *id == author))
                    .map(|(_, name)| name.clone());
                let response = responses
                    .iter()
                    .position(|r| r.review_id == review.id)
                    .map(|at| responses.swap_remove(at));
                let follow_ups = follow_ups
                    .iter()
                    .filter(|f| f.review_id == review.id)
                    .cloned()
                    .collect();
                ReviewView {
                    review,
                    province,
                    author_name,
                    response,
                    follow_ups,
                }
            })
            .collect())
    }

    /// The author's reviews, newest first (the export).
    pub async fn of_author(
        conn: &mut AsyncPgConnection,
        author_id: UserId,
    ) -> QueryResult<Vec<Review>> {
        reviews::table
            .filter(reviews::author_id.eq(author_id))
            .order(reviews::id.desc())
            .select(Review::as_select())
            .load(conn)
            .await
    }

    /// Hides the review with the moderator's reason (`Some`) or shows it again (`None`).
    pub async fn set_hidden(
        conn: &mut AsyncPgConnection,
        id: ReviewId,
        hidden: Option<(DateTime<Utc>, &str)>,
    ) -> QueryResult<Review> {
        diesel::update(reviews::table.find(id))
            .set((
                reviews::hidden_at.eq(hidden.map(|(at, _)| at)),
                reviews::hidden_reason.eq(hidden.map(|(_, reason)| reason)),
            ))
            .returning(Review::as_returning())
            .get_result(conn)
            .await
    }

    /// Erasing an account: its reviews stay, no longer linked to it nor showing its name.
    pub async fn anonymise_of_author(
        conn: &mut AsyncPgConnection,
        author_id: UserId,
    ) -> QueryResult<usize> {
        diesel::update(reviews::table.filter(reviews::author_id.eq(author_id)))
            .set((
                reviews::author_id.eq(None::<UserId>),
                reviews::show_name.eq(false),
            ))
            .execute(conn)
            .await
    }
}

impl ReviewReply {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
    ) -> QueryResult<Option<ReviewReply>> {
        review_responses::table
            .find(review_id)
            .select(ReviewReply::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Writes the provider's reply: the first one, or a new text for it (a new version).
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        review_id: ReviewId,
        provider_id: OrganizationId,
        author_id: UserId,
        body: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<ReviewReply> {
        diesel::insert_into(review_responses::table)
            .values((
                review_responses::review_id.eq(review_id),
                review_responses::provider_id.eq(provider_id),
                review_responses::author_id.eq(author_id),
                review_responses::body.eq(body),
                review_responses::created_at.eq(now),
            ))
            .on_conflict(review_responses::review_id)
            .do_update()
            .set((
                review_responses::author_id.eq(author_id),
                review_responses::body.eq(body),
                review_responses::edited_at.eq(now),
                review_responses::version.eq(review_responses::version + 1),
            ))
            .returning(ReviewReply::as_returning())
            .get_result(conn)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grouped_query_counts_every_star_of_every_dimension() {
        let sql = counting_sql("AND offering_id = ANY($1)");
        assert_eq!(sql.matches("count(*) FILTER").count(), 30);
        assert!(sql.contains("(WHERE rating_overall = 1)"));
        assert!(sql.contains("rating_teacher_involvement = 5"));
        assert!(sql.contains("hidden_at IS NULL AND offering_id = ANY($1) GROUP BY"));
    }

    #[test]
    fn the_summary_groups_totals_recent_and_sectors_in_one_pass() {
        let sql = summary_sql("AND sector = $3");
        assert_eq!(sql.matches("count(*) FILTER").count(), 30);
        assert!(sql.contains("rating_teacher_involvement = 5) AS s29"));
        assert!(sql.contains("sum(s29)]::bigint[]"));
        assert!(sql.contains("GROUPING SETS ((), (recent), (sector))"));
        assert!(sql.contains("offering_id = ANY($1) AND sector = $3 GROUP BY"));
        assert!(sql.contains("count(DISTINCT organization_id)"));
    }
}
