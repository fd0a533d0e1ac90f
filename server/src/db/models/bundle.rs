//! Demand bundles, their participants and their history. The totals are a function of the
//! participants, recomputed in the transaction of every join under the bundle row's lock
//! (`lock`), so they equal a fresh sum however many schools join at once.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{bundle_events, bundle_participants, bundles};
use crate::domain::award::PriceMethod;
use crate::domain::bundle::{BundleStatus, Deadlines, ValidBundle, ValidParticipation, Visibility};
use crate::domain::{BundleId, OfferId, OrganizationId, UserId};

/// The history's action when a winner withdrew and the award was cleared.
pub const AWARD_WITHDRAWN: &str = "award_withdrawn";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bundles)]
pub struct Bundle {
    pub id: BundleId,
    pub owner_organization_id: OrganizationId,
    pub created_by: Option<UserId>,
    pub title: String,
    pub need_problem: String,
    pub need_goals: String,
    pub need_intended_result: String,
    pub need_success_measure: String,
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub unit: String,
    /// `[{"code": "price", "weight": 40}, …]`.
    pub criteria: serde_json::Value,
    pub price_method: PriceMethod,
    pub join_deadline: DateTime<Utc>,
    pub offer_deadline: DateTime<Utc>,
    pub visibility: Visibility,
    /// As stored; `domain::bundle::status_at` gives the status the deadlines make of it.
    pub status: BundleStatus,
    pub total_quantity: i64,
    pub total_organizations: i32,
    pub total_budget_cents: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The winning offer, once awarded (cleared when the winner withdraws).
    pub awarded_offer_id: Option<OfferId>,
    pub award_motivation: Option<String>,
    pub awarded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = bundle_participants)]
pub struct Participant {
    pub bundle_id: BundleId,
    pub organization_id: OrganizationId,
    pub quantity: i64,
    pub budget_cents: i64,
    pub wishes: Option<String>,
    pub joined_by: Option<UserId>,
    pub joined_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the owner drafts, as stored: written whole when the bundle is drafted and when it is
/// changed, so both take it from here.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = bundles)]
struct Content<'a> {
    title: &'a str,
    need_problem: &'a str,
    need_goals: &'a str,
    need_intended_result: &'a str,
    need_success_measure: &'a str,
    domain: &'a str,
    service_type: &'a str,
    sectors: &'a [String],
    regions: &'a [String],
    unit: &'a str,
    /// `[{"code": "price", "weight": 40}, …]`.
    criteria: serde_json::Value,
    price_method: PriceMethod,
    join_deadline: DateTime<Utc>,
    offer_deadline: DateTime<Utc>,
    visibility: Visibility,
}

impl<'a> Content<'a> {
    fn of(valid: &'a ValidBundle) -> Self {
        let [problem, goals, result, measure] = &valid.need;
        Content {
            title: &valid.title,
            need_problem: problem,
            need_goals: goals,
            need_intended_result: result,
            need_success_measure: measure,
            domain: &valid.domain,
            service_type: &valid.service_type,
            sectors: &valid.sectors,
            regions: &valid.regions,
            unit: valid.unit.as_str(),
            criteria: valid
                .criteria
                .iter()
                .map(|(criterion, weight)| {
                    serde_json::json!({"code": criterion.as_str(), "weight": weight})
                })
                .collect(),
            price_method: valid.price_method,
            join_deadline: valid.deadlines.join,
            offer_deadline: valid.deadlines.offer,
            visibility: valid.visibility,
        }
    }
}

impl Bundle {
    pub fn deadlines(&self) -> Deadlines {
        Deadlines {
            join: self.join_deadline,
            offer: self.offer_deadline,
        }
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        owner: OrganizationId,
        created_by: UserId,
        valid: &ValidBundle,
        now: DateTime<Utc>,
    ) -> QueryResult<Bundle> {
        diesel::insert_into(bundles::table)
            .values((
                Content::of(valid),
                bundles::id.eq(BundleId::generate()),
                bundles::owner_organization_id.eq(owner),
                bundles::created_by.eq(created_by),
                bundles::created_at.eq(now),
                bundles::updated_at.eq(now),
            ))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// Replaces what the owner drafted if the bundle is still at `version`; `None` if it moved
    /// on. The change is recorded in the history as `change`.
    pub async fn update_if_version(
        conn: &mut AsyncPgConnection,
        bundle: &Bundle,
        valid: &ValidBundle,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Bundle>> {
        let updated = diesel::update(
            bundles::table
                .find(bundle.id)
                .filter(bundles::version.eq(bundle.version)),
        )
        .set((
            Content::of(valid),
            bundles::updated_at.eq(now),
            bundles::version.eq(bundles::version + 1),
        ))
        .returning(Bundle::as_returning())
        .get_result(conn)
        .await
        .optional()?;
        if updated.is_some() {
            Self::record(
                conn,
                bundle.id,
                actor,
                "change",
                bundle.status,
                bundle.status,
                now,
            )
            .await?;
        }
        Ok(updated)
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: BundleId) -> QueryResult<Option<Bundle>> {
        bundles::table
            .find(id)
            .select(Bundle::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The bundle, its row locked until the transaction ends: joins and moves take turns.
    pub async fn lock(conn: &mut AsyncPgConnection, id: BundleId) -> QueryResult<Option<Bundle>> {
        bundles::table
            .find(id)
            .for_update()
            .select(Bundle::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Records in the history that `actor` did `action`, moving the bundle `from` `to`.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        id: BundleId,
        actor: UserId,
        action: &str,
        from: BundleStatus,
        to: BundleStatus,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(bundle_events::table)
            .values((
                bundle_events::bundle_id.eq(id),
                bundle_events::actor_id.eq(actor),
                bundle_events::action.eq(action),
                bundle_events::from_status.eq(from.as_str()),
                bundle_events::to_status.eq(to.as_str()),
                bundle_events::at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Records a move from the bundle's stored status to `to`, with who made it.
    pub async fn move_to(
        conn: &mut AsyncPgConnection,
        bundle: &Bundle,
        action: &str,
        to: BundleStatus,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Bundle> {
        Self::record(conn, bundle.id, actor, action, bundle.status, to, now).await?;
        diesel::update(bundles::table.find(bundle.id))
            .set((
                bundles::status.eq(to),
                bundles::updated_at.eq(now),
                bundles::version.eq(bundles::version + 1),
            ))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// The bundle's history: (action, from, to, when), oldest first.
    pub async fn events(
        conn: &mut AsyncPgConnection,
        id: BundleId,
    ) -> QueryResult<Vec<(String, String, String, DateTime<Utc>)>> {
        bundle_events::table
            .filter(bundle_events::bundle_id.eq(id))
            .order(bundle_events::id.asc())
            .select((
                bundle_events::action,
                bundle_events::from_status,
                bundle_events::to_status,
                bundle_events::at,
            ))
            .load(conn)
            .await
    }

    /// Joins, or changes the part of an organisation that joined before.
    pub async fn upsert_participant(
        conn: &mut AsyncPgConnection,
        id: BundleId,
        part: &ValidParticipation,
        by: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let existed = diesel::update(bundle_participants::table.find((id, part.organization_id)))
            .set((
                bundle_participants::quantity.eq(part.quantity),
                bundle_participants::budget_cents.eq(part.budget_cents),
                bundle_participants::wishes.eq(&part.wishes),
                bundle_participants::updated_at.eq(now),
            ))
            .execute(conn)
            .await?
            > 0;
        if !existed {
            diesel::insert_into(bundle_participants::table)
                .values((
                    bundle_participants::bundle_id.eq(id),
                    bundle_participants::organization_id.eq(part.organization_id),
                    bundle_participants::quantity.eq(part.quantity),
                    bundle_participants::budget_cents.eq(part.budget_cents),
                    bundle_participants::wishes.eq(&part.wishes),
                    bundle_participants::joined_by.eq(by),
                    bundle_participants::joined_at.eq(now),
                    bundle_participants::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
        }
        Ok(!existed)
    }

    pub async fn remove_participant(
        conn: &mut AsyncPgConnection,
        id: BundleId,
        organization_id: OrganizationId,
    ) -> QueryResult<bool> {
        Ok(
            diesel::delete(bundle_participants::table.find((id, organization_id)))
                .execute(conn)
                .await?
                > 0,
        )
    }

    pub async fn participants(
        conn: &mut AsyncPgConnection,
        id: BundleId,
    ) -> QueryResult<Vec<Participant>> {
        bundle_participants::table
            .filter(bundle_participants::bundle_id.eq(id))
            .order(bundle_participants::joined_at.asc())
            .select(Participant::as_select())
            .load(conn)
            .await
    }

    /// The parts of those of `organizations` that joined the bundle.
    pub async fn participants_among(
        conn: &mut AsyncPgConnection,
        id: BundleId,
        organizations: &[OrganizationId],
    ) -> QueryResult<Vec<Participant>> {
        bundle_participants::table
            .filter(bundle_participants::bundle_id.eq(id))
            .filter(bundle_participants::organization_id.eq_any(organizations))
            .select(Participant::as_select())
            .load(conn)
            .await
    }

    /// Sets the totals to the sums over the participants (the caller holds the row's lock).
    pub async fn recount(conn: &mut AsyncPgConnection, id: BundleId) -> QueryResult<Bundle> {
        // SUM over bigint is numeric in PostgreSQL: cast back, as no total comes near the
        // bigint range (quantities and budgets are bounded by the rules).
        let (quantity, organizations, budget): (i64, i64, i64) = bundle_participants::table
            .filter(bundle_participants::bundle_id.eq(id))
            .select((
                sql::<BigInt>("COALESCE(SUM(quantity), 0)::bigint"),
                diesel::dsl::count_star(),
                sql::<BigInt>("COALESCE(SUM(budget_cents), 0)::bigint"),
            ))
            .first(conn)
            .await?;
        diesel::update(bundles::table.find(id))
            .set((
                bundles::total_quantity.eq(quantity),
                bundles::total_organizations.eq(i32::try_from(organizations).unwrap_or(i32::MAX)),
                bundles::total_budget_cents.eq(budget),
            ))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// Awards the bundle to an offer (stored status `awarded`), recorded in the history.
    pub async fn award(
        conn: &mut AsyncPgConnection,
        bundle: &Bundle,
        offer: OfferId,
        motivation: &str,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Bundle> {
        Self::record(
            conn,
            bundle.id,
            actor,
            "award",
            bundle.status,
            BundleStatus::Awarded,
            now,
        )
        .await?;
        diesel::update(bundles::table.find(bundle.id))
            .set((
                bundles::status.eq(BundleStatus::Awarded),
                bundles::awarded_offer_id.eq(offer),
                bundles::award_motivation.eq(motivation),
                bundles::awarded_at.eq(now),
                bundles::updated_at.eq(now),
                bundles::version.eq(bundles::version + 1),
            ))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// The winner withdrew: the award is cleared and the bundle is evaluated again, so the
    /// owner can award the next in rank.
    pub async fn clear_award(
        conn: &mut AsyncPgConnection,
        bundle: &Bundle,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Bundle> {
        Self::record(
            conn,
            bundle.id,
            actor,
            AWARD_WITHDRAWN,
            bundle.status,
            BundleStatus::Evaluating,
            now,
        )
        .await?;
        diesel::update(bundles::table.find(bundle.id))
            .set((
                bundles::status.eq(BundleStatus::Evaluating),
                bundles::awarded_offer_id.eq(None::<OfferId>),
                bundles::award_motivation.eq(None::<String>),
                bundles::awarded_at.eq(None::<DateTime<Utc>>),
                bundles::updated_at.eq(now),
                bundles::version.eq(bundles::version + 1),
            ))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// Moves the offer deadline (a late change of the conditions leaves providers time).
    pub async fn set_offer_deadline(
        conn: &mut AsyncPgConnection,
        id: BundleId,
        deadline: DateTime<Utc>,
    ) -> QueryResult<Bundle> {
        diesel::update(bundles::table.find(id))
            .set(bundles::offer_deadline.eq(deadline))
            .returning(Bundle::as_returning())
            .get_result(conn)
            .await
    }

    /// The bundle, its row locked for sharing: offers take it, so a change of the conditions
    /// (which locks it for update) waits for offers in flight and they for it.
    pub async fn lock_shared(
        conn: &mut AsyncPgConnection,
        id: BundleId,
    ) -> QueryResult<Option<Bundle>> {
        bundles::table
            .find(id)
            .for_share()
            .select(Bundle::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The bundles the organisations own, the latest drafted first.
    pub async fn owned_by(
        conn: &mut AsyncPgConnection,
        owners: &[OrganizationId],
        limit: i64,
    ) -> QueryResult<Vec<Bundle>> {
        bundles::table
            .filter(bundles::owner_organization_id.eq_any(owners))
            .order((bundles::created_at.desc(), bundles::id.desc()))
            .limit(limit)
            .select(Bundle::as_select())
            .load(conn)
            .await
    }

    /// The bundles the organisations joined, each with the part of the organisation that
    /// joined (one row per organisation and bundle), the latest joined first.
    pub async fn joined_by(
        conn: &mut AsyncPgConnection,
        organizations: &[OrganizationId],
        limit: i64,
    ) -> QueryResult<Vec<(Bundle, Participant)>> {
        bundles::table
            .inner_join(bundle_participants::table)
            .filter(bundle_participants::organization_id.eq_any(organizations))
            .order((bundle_participants::joined_at.desc(), bundles::id.desc()))
            .limit(limit)
            .select((Bundle::as_select(), Participant::as_select()))
            .load(conn)
            .await
    }

    /// The bundles open for joining at `now` that schools of the networks, or any school,
    /// may join: public ones and those of the networks; the nearest joining deadline first.
    pub async fn joinable(
        conn: &mut AsyncPgConnection,
        networks: &[OrganizationId],
        now: DateTime<Utc>,
        limit: i64,
    ) -> QueryResult<Vec<Bundle>> {
        bundles::table
            .filter(bundles::status.eq(BundleStatus::Open))
            .filter(bundles::join_deadline.gt(now))
            .filter(
                bundles::visibility
                    .eq(Visibility::Public)
                    .or(bundles::owner_organization_id.eq_any(networks)),
            )
            .order((bundles::join_deadline.asc(), bundles::id.asc()))
            .limit(limit)
            .select(Bundle::as_select())
            .load(conn)
            .await
    }

    /// Awarded public bundles, the latest award first, after the bundle `after` in that order.
    pub async fn awarded_public(
        conn: &mut AsyncPgConnection,
        after: Option<BundleId>,
        limit: i64,
    ) -> QueryResult<Vec<Bundle>> {
        let mut query = bundles::table
            .filter(bundles::status.eq(BundleStatus::Awarded))
            .filter(bundles::visibility.eq(Visibility::Public))
            .filter(bundles::awarded_at.is_not_null())
            .order((bundles::awarded_at.desc(), bundles::id.desc()))
            .limit(limit)
            .select(Bundle::as_select())
            .into_boxed();
        if let Some(after) = after {
            let Some(at) = bundles::table
                .find(after)
                .select(bundles::awarded_at)
                .first::<Option<DateTime<Utc>>>(conn)
                .await
                .optional()?
                .flatten()
            else {
                return Ok(Vec::new());
            };
            query = query.filter(
                bundles::awarded_at
                    .lt(at)
                    .or(bundles::awarded_at.eq(at).and(bundles::id.lt(after))),
            );
        }
        query.load(conn).await
    }
}
