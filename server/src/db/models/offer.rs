//! Sealed offers on demand bundles. These queries return offers to whoever calls them; the
//! seal (who may read an offer when) is decided by `domain::offer::may_read_offer` in the use
//! cases, which are the only callers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{bundle_offers, bundles};
use crate::domain::award::Criterion;
use crate::domain::offer::ValidOffer;
use crate::domain::{BundleId, OfferId, OfferingId, OrganizationId, UserId};

/// The unique index that keeps one live offer per provider and bundle.
pub const ONE_LIVE_PER_PROVIDER: &str = "bundle_offers_one_live_per_provider";
/// The unique constraint on (submitter, `Idempotency-Key`).
pub const IDEMPOTENCY_KEY: &str = "bundle_offers_submitted_by_idempotency_key_key";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bundle_offers)]
pub struct Offer {
    pub id: OfferId,
    pub bundle_id: BundleId,
    pub provider_id: OrganizationId,
    pub offering_id: Option<OfferingId>,
    pub price_cents: i64,
    pub proposal: String,
    pub criteria_answers: serde_json::Value,
    pub submitted_by: Option<UserId>,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
    pub needs_confirmation: bool,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub scores: serde_json::Value,
    pub scored_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The key a submission was sent with and the hash of its request.
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
}

fn answers_json(answers: &BTreeMap<Criterion, String>) -> serde_json::Value {
    answers
        .iter()
        .map(|(c, text)| {
            (
                c.as_str().to_owned(),
                serde_json::Value::from(text.as_str()),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

impl Offer {
    pub fn is_live(&self) -> bool {
        self.withdrawn_at.is_none()
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        provider_id: OrganizationId,
        valid: &ValidOffer,
        by: UserId,
        idempotency: Option<&Idempotency<'_>>,
        now: DateTime<Utc>,
    ) -> QueryResult<Offer> {
        diesel::insert_into(bundle_offers::table)
            .values((
                bundle_offers::id.eq(OfferId::generate()),
                bundle_offers::bundle_id.eq(bundle_id),
                bundle_offers::provider_id.eq(provider_id),
                bundle_offers::offering_id.eq(valid.offering_id),
                bundle_offers::price_cents.eq(valid.price_cents),
                bundle_offers::proposal.eq(&valid.proposal),
                bundle_offers::criteria_answers.eq(answers_json(&valid.criteria_answers)),
                bundle_offers::submitted_by.eq(by),
                bundle_offers::idempotency_key.eq(idempotency.map(|i| i.key)),
                bundle_offers::request_hash.eq(idempotency.map(|i| i.request_hash)),
                bundle_offers::created_at.eq(now),
                bundle_offers::updated_at.eq(now),
            ))
            .returning(Offer::as_returning())
            .get_result(conn)
            .await
    }

    /// The offer a submitter made with an `Idempotency-Key` before.
    pub async fn by_idempotency_key(
        conn: &mut AsyncPgConnection,
        by: UserId,
        key: &str,
    ) -> QueryResult<Option<Offer>> {
        bundle_offers::table
            .filter(bundle_offers::submitted_by.eq(by))
            .filter(bundle_offers::idempotency_key.eq(key))
            .select(Offer::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        id: OfferId,
    ) -> QueryResult<Option<Offer>> {
        bundle_offers::table
            .find(id)
            .filter(bundle_offers::bundle_id.eq(bundle_id))
            .select(Offer::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The offer, its row locked until the transaction ends.
    pub async fn lock(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        id: OfferId,
    ) -> QueryResult<Option<Offer>> {
        bundle_offers::table
            .find(id)
            .filter(bundle_offers::bundle_id.eq(bundle_id))
            .for_update()
            .select(Offer::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Replaces the offer's content if it is still at `version`; a change confirms it.
    pub async fn update_if_version(
        conn: &mut AsyncPgConnection,
        offer: &Offer,
        valid: &ValidOffer,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Offer>> {
        diesel::update(
            bundle_offers::table
                .find(offer.id)
                .filter(bundle_offers::version.eq(offer.version)),
        )
        .set((
            bundle_offers::offering_id.eq(valid.offering_id),
            bundle_offers::price_cents.eq(valid.price_cents),
            bundle_offers::proposal.eq(&valid.proposal),
            bundle_offers::criteria_answers.eq(answers_json(&valid.criteria_answers)),
            bundle_offers::needs_confirmation.eq(false),
            bundle_offers::updated_at.eq(now),
            bundle_offers::version.eq(bundle_offers::version + 1),
        ))
        .returning(Offer::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// The provider confirms its offer stands under the changed conditions.
    pub async fn confirm(
        conn: &mut AsyncPgConnection,
        id: OfferId,
        now: DateTime<Utc>,
    ) -> QueryResult<Offer> {
        diesel::update(bundle_offers::table.find(id))
            .set((
                bundle_offers::needs_confirmation.eq(false),
                bundle_offers::updated_at.eq(now),
                bundle_offers::version.eq(bundle_offers::version + 1),
            ))
            .returning(Offer::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn withdraw(
        conn: &mut AsyncPgConnection,
        id: OfferId,
        now: DateTime<Utc>,
    ) -> QueryResult<Offer> {
        diesel::update(bundle_offers::table.find(id))
            .set((
                bundle_offers::withdrawn_at.eq(now),
                bundle_offers::updated_at.eq(now),
                bundle_offers::version.eq(bundle_offers::version + 1),
            ))
            .returning(Offer::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn set_scores(
        conn: &mut AsyncPgConnection,
        id: OfferId,
        scores: &BTreeMap<Criterion, f64>,
        now: DateTime<Utc>,
    ) -> QueryResult<Offer> {
        let json: serde_json::Map<String, serde_json::Value> = scores
            .iter()
            .map(|(c, v)| (c.as_str().to_owned(), serde_json::Value::from(*v)))
            .collect();
        // Scores of other criteria given earlier stay: the owner may score one at a time.
        diesel::update(bundle_offers::table.find(id))
            .set((
                bundle_offers::scores
                    .eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>("scores || ")
                        .bind::<diesel::sql_types::Jsonb, _>(serde_json::Value::Object(json))),
                bundle_offers::scored_at.eq(now),
                bundle_offers::version.eq(bundle_offers::version + 1),
            ))
            .returning(Offer::as_returning())
            .get_result(conn)
            .await
    }

    /// The live offers of a bundle, oldest first (the order ties are broken in).
    pub async fn live_of_bundle(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
    ) -> QueryResult<Vec<Offer>> {
        bundle_offers::table
            .filter(bundle_offers::bundle_id.eq(bundle_id))
            .filter(bundle_offers::withdrawn_at.is_null())
            .order((bundle_offers::created_at.asc(), bundle_offers::id.asc()))
            .select(Offer::as_select())
            .load(conn)
            .await
    }

    /// The offers (live and withdrawn) providers among `providers` made on a bundle.
    pub async fn of_providers(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        providers: &[OrganizationId],
    ) -> QueryResult<Vec<Offer>> {
        bundle_offers::table
            .filter(bundle_offers::bundle_id.eq(bundle_id))
            .filter(bundle_offers::provider_id.eq_any(providers))
            .order((bundle_offers::created_at.asc(), bundle_offers::id.asc()))
            .select(Offer::as_select())
            .load(conn)
            .await
    }

    /// Marks every live offer of a bundle as needing confirmation after a change of its
    /// conditions; answers the offers marked.
    pub async fn require_confirmation(
        conn: &mut AsyncPgConnection,
        bundle_id: BundleId,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<Offer>> {
        diesel::update(
            bundle_offers::table
                .filter(bundle_offers::bundle_id.eq(bundle_id))
                .filter(bundle_offers::withdrawn_at.is_null()),
        )
        .set((
            bundle_offers::needs_confirmation.eq(true),
            bundle_offers::updated_at.eq(now),
            bundle_offers::version.eq(bundle_offers::version + 1),
        ))
        .returning(Offer::as_returning())
        .get_results(conn)
        .await
    }

    /// Whether an organisation took part in a bundle awarded to an offer of `offering_id`:
    /// its members' reviews of that offering are verified by the award.
    pub async fn awarded_to_participant(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
        organization_id: OrganizationId,
    ) -> QueryResult<bool> {
        use crate::db::schema::bundle_participants;
        diesel::select(diesel::dsl::exists(
            bundles::table
                .inner_join(
                    bundle_offers::table
                        .on(bundles::awarded_offer_id.eq(bundle_offers::id.nullable())),
                )
                .inner_join(bundle_participants::table)
                .filter(bundles::status.eq("awarded"))
                .filter(bundle_offers::offering_id.eq(offering_id))
                .filter(bundle_participants::organization_id.eq(organization_id)),
        ))
        .get_result(conn)
        .await
    }
}
