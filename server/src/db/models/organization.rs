use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::authz::NetworkScope;
use crate::db::schema::{memberships, network_members, organizations};
use crate::domain::OrganizationId;
use crate::domain::OrganizationKind;

diesel::define_sql_function!(
    /// Lower case without accents; the same function as the name index (see its migration).
    fn search_fold(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// What a lookup of organisations filters on; every given part must match.
#[derive(Debug, Default)]
pub struct OrganizationLookup {
    /// A part of the name, matched ignoring case and accents.
    pub name_part: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
}

/// A LIKE pattern matching names that contain `part` literally: its `%`, `_` and `\` are
/// escaped, so a user's input cannot act as a wildcard.
pub fn contains_pattern(part: &str) -> String {
    let mut pattern = String::with_capacity(part.len() + 2);
    pattern.push('%');
    for c in part.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: OrganizationId,
    pub kind: OrganizationKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
    pub board_id: Option<OrganizationId>,
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
    pub id: OrganizationId,
    pub kind: OrganizationKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
    pub board_id: Option<OrganizationId>,
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

impl NewOrganization {
    /// An organisation with a kind and a name only, created at `at`: the rest to fill in.
    pub fn bare(
        id: OrganizationId,
        kind: OrganizationKind,
        name: String,
        at: DateTime<Utc>,
    ) -> Self {
        NewOrganization {
            id,
            kind,
            name,
            kvk_number: None,
            provider_kind: None,
            brin: None,
            board_number: None,
            board_id: None,
            sectors: vec![],
            province: None,
            website: None,
            description: None,
            created_at: at,
            updated_at: at,
            regions: vec![],
            contact_email: None,
            contact_phone: None,
            denomination: None,
            city: None,
        }
    }
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
    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: OrganizationId,
    ) -> QueryResult<Option<Organization>> {
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
        id: OrganizationId,
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
        ids: &[OrganizationId],
    ) -> QueryResult<Vec<Organization>> {
        organizations::table
            .filter(organizations::id.eq_any(ids))
            .select(Organization::as_select())
            .load(conn)
            .await
    }

    /// Organisations matching `lookup` that `scope` lets the caller see, in id order after the
    /// cursor `after`, at most `limit`.
    pub async fn lookup(
        conn: &mut AsyncPgConnection,
        lookup: &OrganizationLookup,
        scope: NetworkScope,
        after: Option<OrganizationId>,
        limit: i64,
    ) -> QueryResult<Vec<Organization>> {
        let mut query = organizations::table
            .select(Organization::as_select())
            .order(organizations::id.asc())
            .limit(limit)
            .into_boxed();
        if let Some(part) = &lookup.name_part {
            query = query
                .filter(search_fold(organizations::name).like(search_fold(contains_pattern(part))));
        }
        if let Some(kind) = lookup.kind {
            query = query.filter(organizations::kind.eq(kind));
        }
        if let Some(brin) = &lookup.brin {
            query = query.filter(organizations::brin.eq(brin.clone()));
        }
        if let Some(number) = &lookup.board_number {
            query = query.filter(organizations::board_number.eq(number.clone()));
        }
        if let Some(after) = after {
            query = query.filter(organizations::id.gt(after));
        }
        if let NetworkScope::VisibleTo(user_id) = scope {
            let own = memberships::table
                .filter(memberships::user_id.eq(user_id))
                .select(memberships::organization_id);
            let of_own_members = network_members::table
                .filter(
                    network_members::member_id.eq_any(
                        memberships::table
                            .filter(memberships::user_id.eq(user_id))
                            .select(memberships::organization_id),
                    ),
                )
                .select(network_members::network_id);
            query = query.filter(
                organizations::kind
                    .ne(OrganizationKind::Network.as_str())
                    .or(organizations::id.eq_any(own))
                    .or(organizations::id.eq_any(of_own_members)),
            );
        }
        query.load(conn).await
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

/// PostgreSQL takes at most 65535 bind parameters per statement; an organisation row binds 19.
const MAX_ROWS_PER_INSERT: usize = 2_000;

/// The columns of a school or board that DUO's register determines (those that
/// `upsert_register_entries` writes). An import compares these with the row it finds and writes
/// only when they differ, so importing the same file again leaves `updated_at` and `version`
/// alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterDetails {
    pub name: String,
    pub board_number: Option<String>,
    pub board_id: Option<OrganizationId>,
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub denomination: Option<String>,
    pub city: Option<String>,
}

impl RegisterDetails {
    pub fn of(organization: &Organization) -> Self {
        Self {
            name: organization.name.clone(),
            board_number: organization.board_number.clone(),
            board_id: organization.board_id,
            sectors: organization.sectors.clone(),
            province: organization.province.clone(),
            denomination: organization.denomination.clone(),
            city: organization.city.clone(),
        }
    }
}

impl Organization {
    /// The schools with these BRIN codes, or the boards with these numbers, locked until the
    /// end of the transaction so an edit through the API waits for the import instead of being
    /// overwritten by it.
    pub async fn lock_register_entries(
        conn: &mut AsyncPgConnection,
        kind: OrganizationKind,
        keys: &[&str],
    ) -> QueryResult<Vec<Organization>> {
        type KeyMatches<'k> = Box<
            dyn BoxableExpression<
                    organizations::table,
                    diesel::pg::Pg,
                    SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>,
                > + 'k,
        >;
        let key_matches: KeyMatches = match kind {
            OrganizationKind::School => Box::new(organizations::brin.eq_any(keys)),
            OrganizationKind::SchoolBoard => Box::new(organizations::board_number.eq_any(keys)),
            // Not in DUO's register.
            OrganizationKind::Network | OrganizationKind::Provider => return Ok(Vec::new()),
        };
        // Only the condition is boxed: a boxed query cannot take FOR UPDATE.
        organizations::table
            .filter(organizations::kind.eq(kind))
            .filter(key_matches)
            .select(Organization::as_select())
            .for_update()
            .load(conn)
            .await
    }

    /// Inserts the new rows and, for rows whose id exists, writes the register's details over
    /// the stored ones and bumps the version (the ETag) as any change does. One statement per
    /// few thousand rows: a register file that changes every school does not pay a round trip
    /// per school.
    pub async fn upsert_register_entries(
        conn: &mut AsyncPgConnection,
        rows: &[NewOrganization],
    ) -> QueryResult<()> {
        use diesel::upsert::excluded;
        for chunk in rows.chunks(MAX_ROWS_PER_INSERT) {
            diesel::insert_into(organizations::table)
                .values(chunk)
                .on_conflict(organizations::id)
                .do_update()
                .set((
                    organizations::name.eq(excluded(organizations::name)),
                    organizations::board_number.eq(excluded(organizations::board_number)),
                    organizations::board_id.eq(excluded(organizations::board_id)),
                    organizations::sectors.eq(excluded(organizations::sectors)),
                    organizations::province.eq(excluded(organizations::province)),
                    organizations::denomination.eq(excluded(organizations::denomination)),
                    organizations::city.eq(excluded(organizations::city)),
                    organizations::updated_at.eq(excluded(organizations::updated_at)),
                    organizations::version.eq(organizations::version + 1),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_in_a_name_part_are_taken_literally() {
        assert_eq!(contains_pattern("regenboog"), "%regenboog%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
