//! The locations (vestigingen) of a school, as DUO's register lists them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::school_locations;
use crate::domain::{OrganizationId, SchoolLocationId};

/// PostgreSQL takes at most 65535 bind parameters per statement; a location row binds 12.
const MAX_ROWS_PER_INSERT: usize = 4_000;

/// Also the insert form: a new location has nothing the database fills in.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = school_locations)]
pub struct SchoolLocation {
    pub id: SchoolLocationId,
    pub school_id: OrganizationId,
    pub location_code: String,
    #[diesel(embed)]
    pub details: LocationDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything of a location the register determines (what `upsert_many` writes); compared
/// before writing, like `RegisterDetails` of organisations.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = school_locations)]
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
        school_ids: &[OrganizationId],
    ) -> QueryResult<Vec<SchoolLocation>> {
        school_locations::table
            .filter(school_locations::school_id.eq_any(school_ids))
            .select(SchoolLocation::as_select())
            .for_update()
            .load(conn)
            .await
    }

    /// Inserts the new rows and writes the details of rows whose id exists over the stored ones,
    /// like `Organization::upsert_register_entries`.
    pub async fn upsert_many(
        conn: &mut AsyncPgConnection,
        rows: &[SchoolLocation],
    ) -> QueryResult<()> {
        use diesel::upsert::excluded;
        use school_locations as l;
        for chunk in rows.chunks(MAX_ROWS_PER_INSERT) {
            diesel::insert_into(l::table)
                .values(chunk)
                .on_conflict(l::id)
                .do_update()
                .set((
                    l::name.eq(excluded(l::name)),
                    l::street.eq(excluded(l::street)),
                    l::house_number.eq(excluded(l::house_number)),
                    l::postcode.eq(excluded(l::postcode)),
                    l::city.eq(excluded(l::city)),
                    l::municipality.eq(excluded(l::municipality)),
                    l::province.eq(excluded(l::province)),
                    l::updated_at.eq(excluded(l::updated_at)),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}
