//! Offerings: what a provider lists. `OfferingContent` is the part a provider writes (the API's
//! offering fields, one to one), kept as one struct so creation, edits, history and responses
//! cannot drift apart.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};

use crate::db::schema::{offering_revisions, offerings};
use crate::domain::offering::{OfferingInput, ValidOffering};
use crate::domain::{OfferingId, OrganizationId, UserId};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[diesel(table_name = offerings, treat_none_as_null = true)]
pub struct OfferingContent {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub formats: Vec<String>,
    pub delivery: Vec<String>,
    pub duration: String,
    pub price_model: String,
    pub price_min_cents: Option<i64>,
    pub price_max_cents: Option<i64>,
    pub evidence_level: String,
    pub evidence_sources: Vec<String>,
    pub co_creation_phases: Vec<String>,
    pub themes: Vec<String>,
}

impl From<ValidOffering> for OfferingContent {
    fn from(valid: ValidOffering) -> Self {
        let v = valid.into_inner();
        Self {
            title: v.title,
            summary: v.summary,
            description: v.description,
            domain: v.domain,
            service_type: v.service_type,
            sectors: v.sectors,
            regions: v.regions,
            formats: v.formats,
            delivery: v.delivery,
            duration: v.duration,
            price_model: v.price_model,
            price_min_cents: v.price_min_cents,
            price_max_cents: v.price_max_cents,
            evidence_level: v.evidence_level,
            evidence_sources: v.evidence_sources,
            co_creation_phases: v.co_creation_phases,
            themes: v.themes,
        }
    }
}

/// The stored content as input again: an edit is validated as the whole offering it results in.
impl From<OfferingContent> for OfferingInput {
    fn from(c: OfferingContent) -> Self {
        Self {
            title: c.title,
            summary: c.summary,
            description: c.description,
            domain: c.domain,
            service_type: c.service_type,
            sectors: c.sectors,
            regions: c.regions,
            formats: c.formats,
            delivery: c.delivery,
            duration: c.duration,
            price_model: c.price_model,
            price_min_cents: c.price_min_cents,
            price_max_cents: c.price_max_cents,
            evidence_level: c.evidence_level,
            evidence_sources: c.evidence_sources,
            co_creation_phases: c.co_creation_phases,
            themes: c.themes,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = offerings)]
pub struct Offering {
    pub id: OfferingId,
    pub provider_id: OrganizationId,
    pub status: Status,
    #[diesel(embed)]
    pub content: OfferingContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub version: i32,
}

// The status and its moves are domain rules; the row stores its name.
pub use crate::domain::offering_status::Status;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = offering_revisions)]
pub struct Revision {
    pub offering_id: OfferingId,
    pub version: i32,
    pub changed_by: Option<UserId>,
    pub changed_at: DateTime<Utc>,
    pub action: String,
    pub changes: serde_json::Value,
}

impl Offering {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
        provider_id: OrganizationId,
        content: &OfferingContent,
        now: DateTime<Utc>,
    ) -> QueryResult<Offering> {
        diesel::insert_into(offerings::table)
            .values((
                offerings::id.eq(id),
                offerings::provider_id.eq(provider_id),
                content,
                offerings::created_at.eq(now),
                offerings::updated_at.eq(now),
            ))
            .returning(Offering::as_returning())
            .get_result(conn)
            .await
    }

    /// Inserts a draft and records who created it: how the API and the demo data create
    /// offerings (from content that passed `OfferingInput::validate`). Run it in a transaction.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
        provider_id: OrganizationId,
        created_by: UserId,
        content: &OfferingContent,
        now: DateTime<Utc>,
    ) -> QueryResult<Offering> {
        let offering = Self::insert(conn, id, provider_id, content, now).await?;
        let snapshot = serde_json::to_value(&offering.content)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
        Revision::record(conn, &offering, created_by, "created", snapshot).await?;
        Ok(offering)
    }

    /// Moves the offering to `to` if it is still at its version, recording who did it; `None`
    /// if it moved on meanwhile. Run it in a transaction.
    pub async fn move_to(
        conn: &mut AsyncPgConnection,
        current: &Offering,
        to: Status,
        by: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Offering>> {
        let Some(moved) = Self::set_status(conn, current.id, current.version, to, now).await?
        else {
            return Ok(None);
        };
        let change =
            serde_json::json!({ "status": { "from": current.status.as_str(), "to": to.as_str() } });
        Revision::record(conn, &moved, by, to.as_str(), change).await?;
        Ok(Some(moved))
    }

    /// The offering, its row locked until the transaction ends: checks made on it hold when
    /// the change is written.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
    ) -> QueryResult<Option<Offering>> {
        offerings::table
            .find(id)
            .select(Offering::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    /// The offerings with these ids that exist, in one query (in no particular order).
    pub async fn find_many(
        conn: &mut AsyncPgConnection,
        ids: &[OfferingId],
    ) -> QueryResult<Vec<Offering>> {
        offerings::table
            .filter(offerings::id.eq_any(ids))
            .select(Offering::as_select())
            .load(conn)
            .await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
    ) -> QueryResult<Option<Offering>> {
        offerings::table
            .find(id)
            .select(Offering::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Replaces the content if the row is still at `expected_version`; `None` if it moved on.
    pub async fn update_if_version(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
        expected_version: i32,
        content: &OfferingContent,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Offering>> {
        diesel::update(
            offerings::table
                .find(id)
                .filter(offerings::version.eq(expected_version)),
        )
        .set((
            content,
            offerings::updated_at.eq(now),
            offerings::version.eq(offerings::version + 1),
        ))
        .returning(Offering::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// Moves the offering to `status`, stamping when it was published or archived.
    pub async fn set_status(
        conn: &mut AsyncPgConnection,
        id: OfferingId,
        expected_version: i32,
        status: Status,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Offering>> {
        let target = offerings::table
            .find(id)
            .filter(offerings::version.eq(expected_version));
        let common = (
            offerings::status.eq(status),
            offerings::updated_at.eq(now),
            offerings::version.eq(offerings::version + 1),
        );
        let query = diesel::update(target);
        match status {
            Status::Published => query
                .set((
                    common,
                    offerings::published_at.eq(now),
                    offerings::archived_at.eq(None::<DateTime<Utc>>),
                ))
                .returning(Offering::as_returning())
                .get_result(conn)
                .await
                .optional(),
            Status::Archived => query
                .set((common, offerings::archived_at.eq(now)))
                .returning(Offering::as_returning())
                .get_result(conn)
                .await
                .optional(),
            Status::Draft => query
                .set(common)
                .returning(Offering::as_returning())
                .get_result(conn)
                .await
                .optional(),
        }
    }

    /// A provider's offerings, newest first, after the cursor `before` (an id).
    pub async fn of_provider(
        conn: &mut AsyncPgConnection,
        provider_id: OrganizationId,
        statuses: &[Status],
        before: Option<OfferingId>,
        limit: i64,
    ) -> QueryResult<Vec<Offering>> {
        let mut query = offerings::table
            .filter(offerings::provider_id.eq(provider_id))
            .filter(offerings::status.eq_any(statuses))
            .order(offerings::id.desc())
            .limit(limit)
            .select(Offering::as_select())
            .into_boxed();
        if let Some(before) = before {
            query = query.filter(offerings::id.lt(before));
        }
        query.load(conn).await
    }
}

impl Revision {
    pub async fn record(
        conn: &mut AsyncPgConnection,
        offering: &Offering,
        changed_by: UserId,
        action: &str,
        changes: serde_json::Value,
    ) -> QueryResult<usize> {
        diesel::insert_into(offering_revisions::table)
            .values((
                offering_revisions::offering_id.eq(offering.id),
                offering_revisions::version.eq(offering.version),
                offering_revisions::changed_by.eq(changed_by),
                offering_revisions::changed_at.eq(offering.updated_at),
                offering_revisions::action.eq(action),
                offering_revisions::changes.eq(changes),
            ))
            .execute(conn)
            .await
    }

    pub async fn of_offering(
        conn: &mut AsyncPgConnection,
        offering_id: OfferingId,
    ) -> QueryResult<Vec<Revision>> {
        offering_revisions::table
            .filter(offering_revisions::offering_id.eq(offering_id))
            .order(offering_revisions::version.desc())
            .select(Revision::as_select())
            .load(conn)
            .await
    }
}

/// The fields that differ between two versions: `{field: {from, to}}`.
pub fn diff(before: &OfferingContent, after: &OfferingContent) -> serde_json::Value {
    let (serde_json::Value::Object(old), serde_json::Value::Object(new)) = (
        serde_json::to_value(before).unwrap_or_default(),
        serde_json::to_value(after).unwrap_or_default(),
    ) else {
        return serde_json::Value::Null;
    };
    let changed: serde_json::Map<String, serde_json::Value> = new
        .into_iter()
        .filter(|(field, value)| old.get(field) != Some(value))
        .map(|(field, value)| {
            let from = old.get(&field).cloned().unwrap_or_default();
            (field, serde_json::json!({ "from": from, "to": value }))
        })
        .collect();
    serde_json::Value::Object(changed)
}
