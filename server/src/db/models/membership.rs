use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{memberships, organizations, users};
use crate::domain::DomainError;
use crate::domain::membership::{NoManagerLeft, keeps_a_manager};
use crate::domain::{OrganizationId, UserId};
use crate::domain::{OrganizationKind, Role};

/// The roles that manage their organisation.
fn managing_roles() -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| r.manages()).collect()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// A membership with the organisation's kind and name, as `/v1/me` shows it.
#[derive(Debug, Clone, Queryable)]
pub struct MembershipView {
    pub organization_id: OrganizationId,
    pub organization_kind: OrganizationKind,
    pub organization_name: String,
    pub role: Role,
}

/// A member of an organisation as its managers see it.
#[derive(Debug, Clone, Queryable)]
pub struct MemberView {
    pub user_id: UserId,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

impl Membership {
    /// The one way a membership starts, changes role (`Some(role)`) or ends (`None`), so the
    /// rule that an organisation keeps a manager holds on every path: inviting, removing,
    /// leaving, erasing an account. Call it inside the transaction that makes the change: it
    /// locks the organisation's row until that transaction ends, so two changes to the same
    /// organisation's members (two managers demoting each other) run one after the other and
    /// the second sees the first. Returns the user's role before the change (`None`: was no
    /// member).
    pub async fn change(
        conn: &mut AsyncPgConnection,
        organization_id: OrganizationId,
        user_id: UserId,
        role: Option<Role>,
        now: DateTime<Utc>,
    ) -> Result<Option<Role>, MembershipError> {
        // NO KEY UPDATE serialises membership changes without blocking inserts elsewhere that
        // only reference the organisation (their foreign-key checks take KEY SHARE).
        organizations::table
            .find(organization_id)
            .select(organizations::id)
            .for_no_key_update()
            .first::<OrganizationId>(conn)
            .await
            .optional()?
            .ok_or(MembershipError::NoOrganization)?;
        let before = Self::role_of(conn, organization_id, user_id).await?;
        let managers = Self::count_managers(conn, organization_id).await?;
        keeps_a_manager(managers, before, role)?;
        match role {
            Some(role) => Self::upsert(conn, organization_id, user_id, role, now).await?,
            None => Self::remove(conn, organization_id, user_id).await?,
        };
        Ok(before)
    }

    /// Ends every membership of the user (erasing the account), each through `change`. The
    /// organisations are locked in id order, so two of these at once cannot deadlock.
    pub async fn end_all_of(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), MembershipError> {
        let organization_ids: Vec<OrganizationId> = memberships::table
            .filter(memberships::user_id.eq(user_id))
            .order(memberships::organization_id.asc())
            .select(memberships::organization_id)
            .load(conn)
            .await?;
        for organization_id in organization_ids {
            Self::change(conn, organization_id, user_id, None, now).await?;
        }
        Ok(())
    }

    /// Adds the user, or changes their role when already a member.
    async fn upsert(
        conn: &mut AsyncPgConnection,
        organization_id: OrganizationId,
        user_id: UserId,
        role: Role,
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
        organization_id: OrganizationId,
        user_id: UserId,
    ) -> QueryResult<Option<Role>> {
        memberships::table
            .find((organization_id, user_id))
            .select(memberships::role)
            .first(conn)
            .await
            .optional()
    }

    /// The user's role in each of these organisations they belong to, in one query.
    pub async fn roles_in(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
        organization_ids: &[OrganizationId],
    ) -> QueryResult<Vec<(OrganizationId, Role)>> {
        memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::organization_id.eq_any(organization_ids))
            .select((memberships::organization_id, memberships::role))
            .load(conn)
            .await
    }

    pub async fn of_user(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
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
        organization_id: OrganizationId,
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

    async fn remove(
        conn: &mut AsyncPgConnection,
        organization_id: OrganizationId,
        user_id: UserId,
    ) -> QueryResult<usize> {
        diesel::delete(memberships::table.find((organization_id, user_id)))
            .execute(conn)
            .await
    }

    /// E-mail addresses of the members holding a managing role, for notifications.
    pub async fn manager_emails(
        conn: &mut AsyncPgConnection,
        organization_id: OrganizationId,
    ) -> QueryResult<Vec<String>> {
        let rows = Self::manager_emails_of(conn, &[organization_id]).await?;
        Ok(rows.into_iter().map(|(_, email)| email).collect())
    }

    /// `manager_emails` of many organisations in one query, each address with its
    /// organisation (a mail to every participant of a bundle is one query, not one each).
    pub async fn manager_emails_of(
        conn: &mut AsyncPgConnection,
        organization_ids: &[OrganizationId],
    ) -> QueryResult<Vec<(OrganizationId, String)>> {
        let rows: Vec<(OrganizationId, Option<String>)> = memberships::table
            .inner_join(users::table)
            .filter(memberships::organization_id.eq_any(organization_ids))
            .filter(memberships::role.eq_any(managing_roles()))
            .filter(users::deleted_at.is_null())
            .select((memberships::organization_id, users::email))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(organization, email)| Some((organization, email?)))
            .collect())
    }

    async fn count_managers(
        conn: &mut AsyncPgConnection,
        organization_id: OrganizationId,
    ) -> QueryResult<i64> {
        memberships::table
            .filter(memberships::organization_id.eq(organization_id))
            .filter(memberships::role.eq_any(managing_roles()))
            .count()
            .get_result(conn)
            .await
    }
}

/// Why a membership could not change.
#[derive(Debug, thiserror::Error)]
pub enum MembershipError {
    #[error("no such organisation")]
    NoOrganization,
    #[error(transparent)]
    NoManagerLeft(#[from] NoManagerLeft),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<MembershipError> for DomainError {
    fn from(error: MembershipError) -> Self {
        match error {
            MembershipError::NoOrganization => DomainError::NotFound,
            MembershipError::NoManagerLeft(_) => {
                DomainError::Conflict(NoManagerLeft::DETAIL.into())
            }
            MembershipError::Database(e) => e.into(),
        }
    }
}
