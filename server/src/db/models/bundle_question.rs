//! Questions on a demand bundle and the owner's answers. The row knows who asked (the provider
//! and the person); what leaves the use case never does.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::bundle_questions;
use crate::domain::bundle_question::ValidQuestion;
use crate::domain::{BundleId, BundleQuestionId, OrganizationId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bundle_questions)]
pub struct BundleQuestion {
    pub id: BundleQuestionId,
    pub bundle_id: BundleId,
    pub provider_id: OrganizationId,
    pub asked_by: Option<UserId>,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<UserId>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl BundleQuestion {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        valid: &ValidQuestion,
        asked_by: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<BundleQuestion> {
        diesel::insert_into(bundle_questions::table)
            .values((
                bundle_questions::id.eq(BundleQuestionId::generate()),
                bundle_questions::bundle_id.eq(bundle_id),
                bundle_questions::provider_id.eq(valid.provider_id),
                bundle_questions::asked_by.eq(asked_by),
                bundle_questions::question.eq(&valid.question),
                bundle_questions::asked_at.eq(now),
            ))
            .returning(BundleQuestion::as_returning())
            .get_result(conn)
            .await
    }

    /// A bundle's questions in the order they were asked; only the answered ones with
    /// `answered_only`.
    pub async fn of_bundle(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        answered_only: bool,
    ) -> QueryResult<Vec<BundleQuestion>> {
        let mut query = bundle_questions::table
            .filter(bundle_questions::bundle_id.eq(bundle_id))
            .order((bundle_questions::asked_at.asc(), bundle_questions::id.asc()))
            .select(BundleQuestion::as_select())
            .into_boxed();
        if answered_only {
            query = query.filter(bundle_questions::answer.is_not_null());
        }
        query.load(conn).await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        id: BundleQuestionId,
    ) -> QueryResult<Option<BundleQuestion>> {
        bundle_questions::table
            .find(id)
            .filter(bundle_questions::bundle_id.eq(bundle_id))
            .select(BundleQuestion::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Writes the answer unless the question has one already (then `None`): one statement,
    /// so two answers at once leave the first.
    pub async fn answer_once(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        id: BundleQuestionId,
        answer: &str,
        answered_by: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<BundleQuestion>> {
        diesel::update(
            bundle_questions::table
                .find(id)
                .filter(bundle_questions::bundle_id.eq(bundle_id))
                .filter(bundle_questions::answer.is_null()),
        )
        .set((
            bundle_questions::answer.eq(answer),
            bundle_questions::answered_by.eq(answered_by),
            bundle_questions::answered_at.eq(now),
        ))
        .returning(BundleQuestion::as_returning())
        .get_result(conn)
        .await
        .optional()
    }
}
