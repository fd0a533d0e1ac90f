use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{memberships, organizations, users};
use crate::domain::Role;

/// The roles that manage their organisation, as stored.
fn managing_roles() -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| r.manages())
        .map(Role::as_str)
        .collect()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

/// A membership with the organisation's kind and name, as `/v1/me` shows it.
#[derive(Debug, Clone, Queryable)]
pub struct MembershipView {
    pub organization_id: Uuid,
    pub organization_kind: String,
    pub organization_name: String,
    pub role: String,
}

/// A member of an organisation as its managers see it.
#[derive(Debug, Clone, Queryable)]
pub struct MemberView {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

impl Membership {
    /// Adds the user, or changes their role when already a member.
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
        user_id: Uuid,
        role: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::insert_into(memberships::table)
            .values((
                memberships::organization_id.eq(organization_id),
                memberships::user_id.eq(user_id),
                memberships::role.eq(role),
                memberships::created_at.eq(now),
            ))
            .on_conflict((memberships::organization_id, memberships::user_id))
            .do_update()
            .set(memberships::role.eq(role))
            .execute(conn)
            .await
    }

    pub async fn role_of(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
        user_id: Uuid,
    ) -> QueryResult<Option<String>> {
        memberships::table
            .find((organization_id, user_id))
            .select(memberships::role)
            .first(conn)
            .await
            .optional()
    }

    pub async fn of_user(
        conn: &mut AsyncPgConnection,
        user_id: Uuid,
    ) -> QueryResult<Vec<MembershipView>> {
        memberships::table
            .inner_join(organizations::table)
            .filter(memberships::user_id.eq(user_id))
            .order(memberships::created_at.asc())
            .select((
                memberships::organization_id,
                organizations::kind,
                organizations::name,
                memberships::role,
            ))
            .load(conn)
            .await
    }

    pub async fn members_of(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
    ) -> QueryResult<Vec<MemberView>> {
        memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq(organization_id))
            .order(memberships::created_at.asc())
            .select((
                users::id,
                users::display_name,
                users::email,
                memberships::role,
                memberships::created_at,
            ))
            .load(conn)
            .await
    }

    pub async fn remove(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
        user_id: Uuid,
    ) -> QueryResult<usize> {
        diesel::delete(memberships::table.find((organization_id, user_id)))
            .execute(conn)
            .await
    }

    pub async fn remove_all_of(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
        diesel::delete(memberships::table.filter(memberships::user_id.eq(user_id)))
            .execute(conn)
            .await
    }

    /// E-mail addresses of the members holding a managing role, for notifications.
    pub async fn manager_emails(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
    ) -> QueryResult<Vec<String>> {
        let rows: Vec<Option<String>> = memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq(organization_id))
            .filter(memberships::role.eq_any(managing_roles()))
            .filter(users::deleted_at.is_null())
            .select(users::email)
            .load(conn)
            .await?;
        Ok(rows.into_iter().flatten().collect())
    }

    pub async fn count_managers(
        conn: &mut AsyncPgConnection,
        organization_id: Uuid,
    ) -> QueryResult<i64> {
        memberships::table
            .filter(memberships::organization_id.eq(organization_id))
            .filter(memberships::role.eq_any(managing_roles()))
            .count()
            .get_result(conn)
            .await
    }
}
