//! The database's projection of search documents: the `search_offering_documents` view (see
//! the migration that creates it) read into `OfferingDocument`s, with the taxonomy's labels.
//! An id missing from the view means the document must leave the index (unpublished, archived
//! or deleted).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::document::OfferingDocument;
use crate::taxonomy::{self, Code};

diesel::table! {
    search_offering_documents (id) {
        id -> Uuid,
        title -> Text,
        summary -> Text,
        description -> Text,
        provider_id -> Uuid,
        provider_name -> Text,
        provider_kind -> Text,
        domain -> Text,
        service_type -> Text,
        sectors -> Array<Text>,
        regions -> Array<Text>,
        formats -> Array<Text>,
        delivery -> Array<Text>,
        duration -> Text,
        price_model -> Text,
        price_min_cents -> Nullable<Int8>,
        price_max_cents -> Nullable<Int8>,
        evidence_level -> Text,
        co_creation_phases -> Array<Text>,
        themes -> Array<Text>,
        published_at -> Timestamptz,
        review_count -> Int8,
        verified_review_count -> Int8,
        rating_avg -> Nullable<Float8>,
        rating_fit_with_practice -> Nullable<Float8>,
        rating_expertise -> Nullable<Float8>,
        rating_lasting_effect -> Nullable<Float8>,
        rating_value_for_money -> Nullable<Float8>,
        rating_teacher_involvement -> Nullable<Float8>,
        rating_score -> Nullable<Float8>,
    }
}

use self::search_offering_documents as view;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = view)]
struct Row {
    id: Uuid,
    title: String,
    summary: String,
    description: String,
    provider_id: Uuid,
    provider_name: String,
    provider_kind: String,
    domain: String,
    service_type: String,
    sectors: Vec<String>,
    regions: Vec<String>,
    formats: Vec<String>,
    delivery: Vec<String>,
    duration: String,
    price_model: String,
    price_min_cents: Option<i64>,
    price_max_cents: Option<i64>,
    evidence_level: String,
    co_creation_phases: Vec<String>,
    themes: Vec<String>,
    published_at: DateTime<Utc>,
    review_count: i64,
    verified_review_count: i64,
    rating_avg: Option<f64>,
    rating_fit_with_practice: Option<f64>,
    rating_expertise: Option<f64>,
    rating_lasting_effect: Option<f64>,
    rating_value_for_money: Option<f64>,
    rating_teacher_involvement: Option<f64>,
    rating_score: Option<f64>,
}

/// The Dutch label of a code (the code itself if the taxonomy lacks it).
pub(crate) fn label(list: &[Code], code: &str) -> String {
    list.iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_owned(), |c| c.nl.to_owned())
}

pub(crate) fn labels(list: &[Code], codes: &[String]) -> impl Iterator<Item = String> {
    codes.iter().map(move |c| label(list, c))
}

impl From<Row> for OfferingDocument {
    fn from(r: Row) -> Self {
        let keywords = labels(taxonomy::FORMATS, &r.formats)
            .chain(labels(taxonomy::THEMES, &r.themes))
            .chain(labels(taxonomy::SECTORS, &r.sectors))
            .chain(labels(taxonomy::CO_CREATION_PHASES, &r.co_creation_phases))
            .collect();
        OfferingDocument {
            id: r.id,
            domain_label: label(taxonomy::DOMAINS, &r.domain),
            service_type_label: taxonomy::service_type(&r.service_type)
                .map_or_else(|| r.service_type.clone(), |s| s.nl.to_owned()),
            evidence_rank: taxonomy::evidence_rank(&r.evidence_level)
                .and_then(|r| u8::try_from(r).ok())
                .unwrap_or(0),
            long_term: matches!(r.duration.as_str(), "traject" | "langdurig"),
            keywords,
            title: r.title,
            summary: r.summary,
            description: r.description,
            provider_id: r.provider_id,
            provider_name: r.provider_name,
            provider_kind: r.provider_kind,
            domain: r.domain,
            service_type: r.service_type,
            sectors: r.sectors,
            regions: r.regions,
            formats: r.formats,
            delivery: r.delivery,
            duration: r.duration,
            price_model: r.price_model,
            price_min_cents: r.price_min_cents,
            price_max_cents: r.price_max_cents,
            evidence_level: r.evidence_level,
            co_creation_phases: r.co_creation_phases,
            themes: r.themes,
            published_at: r.published_at.timestamp(),
            review_count: r.review_count,
            verified_review_count: r.verified_review_count,
            rating_avg: r.rating_avg,
            rating_fit_with_practice: r.rating_fit_with_practice,
            rating_expertise: r.rating_expertise,
            rating_lasting_effect: r.rating_lasting_effect,
            rating_value_for_money: r.rating_value_for_money,
            rating_teacher_involvement: r.rating_teacher_involvement,
            rating_score: r.rating_score,
        }
    }
}

/// The projection's queries over a view of one kind's documents (`$view`: the view's table
/// module; `$row`: its row, which converts into `$document`), the same for every kind: the
/// documents of ids, pages in id order, the count and the last id.
macro_rules! projection_queries {
    ($view:ident, $row:ty, $document:ty) => {
        /// The current documents of `ids`; ids without one are not (or no longer) searchable.
        pub async fn load(
            conn: &mut diesel_async::AsyncPgConnection,
            ids: &[uuid::Uuid],
        ) -> diesel::QueryResult<Vec<$document>> {
            let rows: Vec<$row> = $view::table
                .filter($view::id.eq_any(ids))
                .select(<$row>::as_select())
                .load(conn)
                .await?;
            Ok(rows.into_iter().map(<$document>::from).collect())
        }

        /// A page of all documents in id order, after `after`.
        pub async fn page(
            conn: &mut diesel_async::AsyncPgConnection,
            after: Option<uuid::Uuid>,
            limit: i64,
        ) -> diesel::QueryResult<Vec<$document>> {
            let mut query = $view::table
                .order($view::id.asc())
                .limit(limit)
                .select(<$row>::as_select())
                .into_boxed();
            if let Some(after) = after {
                query = query.filter($view::id.gt(after));
            }
            let rows: Vec<$row> = query.load(conn).await?;
            Ok(rows.into_iter().map(<$document>::from).collect())
        }

        /// A page of the ids of all documents in id order, after `after`.
        pub async fn page_ids(
            conn: &mut diesel_async::AsyncPgConnection,
            after: Option<uuid::Uuid>,
            limit: i64,
        ) -> diesel::QueryResult<Vec<uuid::Uuid>> {
            let mut query = $view::table
                .order($view::id.asc())
                .limit(limit)
                .select($view::id)
                .into_boxed();
            if let Some(after) = after {
                query = query.filter($view::id.gt(after));
            }
            query.load(conn).await
        }

        pub async fn count(conn: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<i64> {
            $view::table.count().get_result(conn).await
        }

        /// The largest id of any document.
        pub async fn last_id(
            conn: &mut diesel_async::AsyncPgConnection,
        ) -> diesel::QueryResult<Option<uuid::Uuid>> {
            $view::table
                .order($view::id.desc())
                .select($view::id)
                .first(conn)
                .await
                .optional()
        }
    };
}
pub(crate) use projection_queries;

projection_queries!(view, Row, OfferingDocument);
