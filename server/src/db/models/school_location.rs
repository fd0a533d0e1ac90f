//! The locations (vestigingen) of a school, as DUO's register lists them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::school_locations;

/// PostgreSQL takes at most 65535 bind parameters per statement; a location row binds 12.
const MAX_ROWS_PER_INSERT: usize = 4_000;

/// Also the insert form: a new location has nothing the database fills in.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = school_locations)]
pub struct SchoolLocation {
    pub id: Uuid,
    pub school_id: Uuid,
    pub location_code: String,
    #[diesel(embed)]
    pub details: LocationDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything of a location the register determines; compared before writing, like
/// `RegisterDetails` of organisations.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = school_locations, treat_none_as_null = true)]
pub struct LocationDetails {
    pub name: String,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub municipality: Option<String>,
    pub province: Option<String>,
}

impl SchoolLocation {
    /// The locations of these schools, locked until the end of the transaction.
    pub async fn lock_of_schools(
        conn: &mut AsyncPgConnection,
        school_ids: &[Uuid],
    ) -> QueryResult<Vec<SchoolLocation>> {
        school_locations::table
            .filter(school_locations::school_id.eq_any(school_ids))
            .select(SchoolLocation::as_select())
            .for_update()
            .load(conn)
            .await
    }

    pub async fn insert_many(
        conn: &mut AsyncPgConnection,
        new: &[SchoolLocation],
    ) -> QueryResult<()> {
        for chunk in new.chunks(MAX_ROWS_PER_INSERT) {
            diesel::insert_into(school_locations::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    pub async fn update_details(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        details: &LocationDetails,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(school_locations::table.find(id))
            .set((details, school_locations::updated_at.eq(now)))
            .execute(conn)
            .await?;
        Ok(())
    }
}
