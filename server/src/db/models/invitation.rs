use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::invitations;
use crate::domain::{InvitationId, OrganizationId, Role, UserId};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: InvitationId,
    pub organization_id: OrganizationId,
    pub email: String,
    pub role: Role,
    #[serde(skip)]
    pub token_hash: Vec<u8>,
    pub invited_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<UserId>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub id: InvitationId,
    pub organization_id: OrganizationId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a [u8],
    pub invited_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Invitation {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewInvitation<'_>,
    ) -> QueryResult<Invitation> {
        diesel::insert_into(invitations::table)
            .values(new)
            .returning(Invitation::as_returning())
            .get_result(conn)
            .await
    }

    /// An open invitation by token, locked for acceptance.
    pub async fn find_open_for_update(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Invitation>> {
        invitations::table
            .filter(invitations::token_hash.eq(token_hash))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::expires_at.gt(now))
            .select(Invitation::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    pub async fn mark_accepted(
        conn: &mut AsyncPgConnection,
        id: InvitationId,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(invitations::table.find(id))
            .set((
                invitations::accepted_at.eq(now),
                invitations::accepted_by.eq(user_id),
            ))
            .execute(conn)
            .await
    }

    pub async fn sent_to(
        conn: &mut AsyncPgConnection,
        email: &str,
    ) -> QueryResult<Vec<Invitation>> {
        invitations::table
            .filter(invitations::email.eq(email))
            .select(Invitation::as_select())
            .load(conn)
            .await
    }
}
