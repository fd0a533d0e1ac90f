//! Providers' interest profiles, and the record of which bundle was mailed to whom (so each
//! provider user hears of a bundle once).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{bundle_interest_mails, interest_profiles, memberships};
use crate::domain::interest_profile::InterestProfile;
use crate::domain::{BundleId, InterestProfileId, OrganizationId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = interest_profiles)]
pub struct InterestProfileRow {
    pub id: InterestProfileId,
    pub provider_id: OrganizationId,
    /// Who saved it, and is mailed when a matching bundle opens.
    pub user_id: UserId,
    pub name: String,
    pub domain: Option<String>,
    pub service_types: Vec<String>,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub keywords: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl InterestProfileRow {
    /// The rules' view of the stored profile.
    pub fn profile(&self) -> InterestProfile {
        InterestProfile {
            name: self.name.clone(),
            domain: self.domain.clone(),
            service_types: self.service_types.clone(),
            sectors: self.sectors.clone(),
            regions: self.regions.clone(),
            keywords: self.keywords.clone(),
        }
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        provider: OrganizationId,
        user: UserId,
        profile: &InterestProfile,
        now: DateTime<Utc>,
    ) -> QueryResult<InterestProfileRow> {
        diesel::insert_into(interest_profiles::table)
            .values((
                interest_profiles::id.eq(InterestProfileId::from(uuid::Uuid::now_v7())),
                interest_profiles::provider_id.eq(provider),
                interest_profiles::user_id.eq(user),
                interest_profiles::name.eq(&profile.name),
                interest_profiles::domain.eq(&profile.domain),
                interest_profiles::service_types.eq(&profile.service_types),
                interest_profiles::sectors.eq(&profile.sectors),
                interest_profiles::regions.eq(&profile.regions),
                interest_profiles::keywords.eq(&profile.keywords),
                interest_profiles::created_at.eq(now),
            ))
            .returning(InterestProfileRow::as_returning())
            .get_result(conn)
            .await
    }

    /// A provider's profiles, oldest first.
    pub async fn of_provider(
        conn: &mut AsyncPgConnection,
        provider: OrganizationId,
    ) -> QueryResult<Vec<InterestProfileRow>> {
        interest_profiles::table
            .filter(interest_profiles::provider_id.eq(provider))
            .order((
                interest_profiles::created_at.asc(),
                interest_profiles::id.asc(),
            ))
            .select(InterestProfileRow::as_select())
            .load(conn)
            .await
    }

    pub async fn count_of_provider(
        conn: &mut AsyncPgConnection,
        provider: OrganizationId,
    ) -> QueryResult<i64> {
        interest_profiles::table
            .filter(interest_profiles::provider_id.eq(provider))
            .count()
            .get_result(conn)
            .await
    }

    /// Deletes a provider's profile; false when the provider has no such profile.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        provider: OrganizationId,
        id: InterestProfileId,
    ) -> QueryResult<bool> {
        let deleted = diesel::delete(
            interest_profiles::table
                .find(id)
                .filter(interest_profiles::provider_id.eq(provider)),
        )
        .execute(conn)
        .await?;
        Ok(deleted > 0)
    }

    /// The profiles that may match a bundle of `domain` (the rest of the rule is
    /// `domain::interest_profile::matches`), of users still on their provider's staff.
    pub async fn candidates(
        conn: &mut AsyncPgConnection,
        domain: &str,
    ) -> QueryResult<Vec<InterestProfileRow>> {
        interest_profiles::table
            .inner_join(
                memberships::table.on(memberships::organization_id
                    .eq(interest_profiles::provider_id)
                    .and(memberships::user_id.eq(interest_profiles::user_id))),
            )
            .filter(
                interest_profiles::domain
                    .is_null()
                    .or(interest_profiles::domain.eq(domain)),
            )
            .order(interest_profiles::id.asc())
            .select(InterestProfileRow::as_select())
            .load(conn)
            .await
    }

    /// Records that `user` is told of `bundle`; false when they were before (the mail then
    /// stays unsent).
    pub async fn record_mail(
        conn: &mut AsyncPgConnection,
        bundle: BundleId,
        user: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_into(bundle_interest_mails::table)
            .values((
                bundle_interest_mails::bundle_id.eq(bundle),
                bundle_interest_mails::user_id.eq(user),
                bundle_interest_mails::sent_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }
}
