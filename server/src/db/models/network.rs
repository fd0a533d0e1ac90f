//! The schools and boards that belong to a network.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::models::organization::Organization;
use crate::db::schema::{memberships, network_members, organizations};
use crate::domain::{OrganizationId, UserId};

pub struct NetworkMember;

impl NetworkMember {
    /// Adds a member; false when it already was one.
    pub async fn add(
        conn: &mut AsyncPgConnection,
        network_id: OrganizationId,
        member_id: OrganizationId,
        added_by: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_into(network_members::table)
            .values((
                network_members::network_id.eq(network_id),
                network_members::member_id.eq(member_id),
                network_members::added_by.eq(added_by),
                network_members::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    pub async fn remove(
        conn: &mut AsyncPgConnection,
        network_id: OrganizationId,
        member_id: OrganizationId,
    ) -> QueryResult<bool> {
        let deleted = diesel::delete(network_members::table.find((network_id, member_id)))
            .execute(conn)
            .await?;
        Ok(deleted == 1)
    }

    pub async fn members(
        conn: &mut AsyncPgConnection,
        network_id: OrganizationId,
    ) -> QueryResult<Vec<Organization>> {
        network_members::table
            .inner_join(organizations::table.on(organizations::id.eq(network_members::member_id)))
            .filter(network_members::network_id.eq(network_id))
            .order(organizations::name.asc())
            .select(Organization::as_select())
            .load(conn)
            .await
    }

    /// Whether the organisation is a member of the network.
    pub async fn is_member(
        conn: &mut AsyncPgConnection,
        network_id: OrganizationId,
        organization_id: OrganizationId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            network_members::table
                .filter(network_members::network_id.eq(network_id))
                .filter(network_members::member_id.eq(organization_id)),
        ))
        .get_result(conn)
        .await
    }

    /// Whether the user belongs to any member organisation of the network.
    pub async fn user_belongs_to_member(
        conn: &mut AsyncPgConnection,
        network_id: OrganizationId,
        user_id: UserId,
    ) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            network_members::table
                .inner_join(
                    memberships::table
                        .on(memberships::organization_id.eq(network_members::member_id)),
                )
                .filter(network_members::network_id.eq(network_id))
                .filter(memberships::user_id.eq(user_id)),
        ))
        .get_result(conn)
        .await
    }
    /// The networks any organisation of the user belongs to (whose network bundles the user
    /// reads as a member: `user_belongs_to_member` for all networks at once).
    pub async fn networks_of_user(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
    ) -> QueryResult<Vec<OrganizationId>> {
        network_members::table
            .inner_join(
                memberships::table.on(memberships::organization_id.eq(network_members::member_id)),
            )
            .filter(memberships::user_id.eq(user_id))
            .select(network_members::network_id)
            .distinct()
            .load(conn)
            .await
    }
}
