use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::organizations;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
    pub board_id: Option<Uuid>,
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub denomination: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
    pub board_id: Option<Uuid>,
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub denomination: Option<String>,
    pub city: Option<String>,
}

/// A partial update; `None` leaves a column as it is, `Some(None)` clears it.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = organizations)]
pub struct OrganizationChanges {
    pub name: Option<String>,
    pub provider_kind: Option<String>,
    pub sectors: Option<Vec<String>>,
    pub province: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub regions: Option<Vec<String>>,
    pub contact_email: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
}

impl Organization {
    pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Organization>> {
        organizations::table
            .find(id)
            .select(Organization::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewOrganization,
    ) -> QueryResult<Organization> {
        diesel::insert_into(organizations::table)
            .values(new)
            .returning(Organization::as_returning())
            .get_result(conn)
            .await
    }

    /// Applies `changes` only if the row is still at `expected_version`; `None` means it moved on.
    pub async fn update_if_version(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        expected_version: i32,
        changes: &OrganizationChanges,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Organization>> {
        diesel::update(
            organizations::table
                .find(id)
                .filter(organizations::version.eq(expected_version)),
        )
        .set((
            changes,
            organizations::updated_at.eq(now),
            organizations::version.eq(organizations::version + 1),
        ))
        .returning(Organization::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    pub async fn find_many(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> QueryResult<Vec<Organization>> {
        organizations::table
            .filter(organizations::id.eq_any(ids))
            .select(Organization::as_select())
            .load(conn)
            .await
    }

    pub async fn find_board_by_number(
        conn: &mut AsyncPgConnection,
        number: &str,
    ) -> QueryResult<Option<Organization>> {
        organizations::table
            .filter(organizations::kind.eq("school_board"))
            .filter(organizations::board_number.eq(number))
            .select(Organization::as_select())
            .first(conn)
            .await
            .optional()
    }
}
