use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{memberships, offerings, shortlist_items, shortlists};
use crate::domain::offering_status::Status;
use crate::domain::{OfferingId, OrganizationId, ShortlistId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = shortlists)]
pub struct Shortlist {
    pub id: ShortlistId,
    pub owner_id: Option<UserId>,
    pub organization_id: OrganizationId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// An item with what a list shows of its offering.
#[derive(Debug, Clone, Queryable)]
pub struct ItemView {
    pub shortlist_id: ShortlistId,
    pub offering_id: OfferingId,
    pub note: Option<String>,
    pub title: String,
    pub provider_id: OrganizationId,
    pub status: Status,
}

impl Shortlist {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        owner_id: UserId,
        organization_id: OrganizationId,
        name: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Shortlist> {
        diesel::insert_into(shortlists::table)
            .values((
                shortlists::id.eq(ShortlistId::generate()),
                shortlists::owner_id.eq(owner_id),
                shortlists::organization_id.eq(organization_id),
                shortlists::name.eq(name),
                shortlists::created_at.eq(now),
                shortlists::updated_at.eq(now),
            ))
            .returning(Shortlist::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: ShortlistId,
    ) -> QueryResult<Option<Shortlist>> {
        shortlists::table
            .find(id)
            .select(Shortlist::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The lists of every organisation the user belongs to, newest first.
    pub async fn visible_to(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
    ) -> QueryResult<Vec<Shortlist>> {
        shortlists::table
            .filter(
                shortlists::organization_id.eq_any(
                    memberships::table
                        .filter(memberships::user_id.eq(user_id))
                        .select(memberships::organization_id),
                ),
            )
            .order(shortlists::id.desc())
            .select(Shortlist::as_select())
            .load(conn)
            .await
    }

    /// Renames the list if it is still at `expected_version`; `None` if it moved on (or is gone).
    pub async fn rename_if_version(
        conn: &mut AsyncPgConnection,
        id: ShortlistId,
        expected_version: i32,
        name: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Shortlist>> {
        diesel::update(
            shortlists::table
                .find(id)
                .filter(shortlists::version.eq(expected_version)),
        )
        .set((
            shortlists::name.eq(name),
            shortlists::updated_at.eq(now),
            shortlists::version.eq(shortlists::version + 1),
        ))
        .returning(Shortlist::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// Deletes the list (its items go with it), only at `expected_version` when one is given;
    /// false when nothing matched.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        id: ShortlistId,
        expected_version: Option<i32>,
    ) -> QueryResult<bool> {
        let mut query = diesel::delete(shortlists::table.find(id)).into_boxed();
        if let Some(version) = expected_version {
            query = query.filter(shortlists::version.eq(version));
        }
        Ok(query.execute(conn).await? == 1)
    }

    /// The items of these lists, each list's in its order, in one query.
    pub async fn items_of(
        conn: &mut AsyncPgConnection,
        ids: &[ShortlistId],
    ) -> QueryResult<Vec<ItemView>> {
        shortlist_items::table
            .inner_join(offerings::table)
            .filter(shortlist_items::shortlist_id.eq_any(ids))
            .order((
                shortlist_items::shortlist_id.asc(),
                shortlist_items::position.asc(),
            ))
            .select((
                shortlist_items::shortlist_id,
                shortlist_items::offering_id,
                shortlist_items::note,
                offerings::title,
                offerings::provider_id,
                offerings::status,
            ))
            .load(conn)
            .await
    }

    /// Replaces the items if the list is still at `expected_version`; `None` if it moved on.
    pub async fn replace_items(
        conn: &mut AsyncPgConnection,
        id: ShortlistId,
        expected_version: i32,
        items: &[(OfferingId, Option<String>)],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Shortlist>> {
        let Some(updated) = diesel::update(
            shortlists::table
                .find(id)
                .filter(shortlists::version.eq(expected_version)),
        )
        .set((
            shortlists::updated_at.eq(now),
            shortlists::version.eq(shortlists::version + 1),
        ))
        .returning(Shortlist::as_returning())
        .get_result(conn)
        .await
        .optional()?
        else {
            return Ok(None);
        };
        diesel::delete(shortlist_items::table.filter(shortlist_items::shortlist_id.eq(id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(position, (offering_id, note))| {
                (
                    shortlist_items::shortlist_id.eq(id),
                    shortlist_items::offering_id.eq(*offering_id),
                    shortlist_items::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                    shortlist_items::note.eq(note.clone()),
                )
            })
            .collect();
        if !rows.is_empty() {
            diesel::insert_into(shortlist_items::table)
                .values(rows)
                .execute(conn)
                .await?;
        }
        Ok(Some(updated))
    }
}
