//! The public shape of a search hit. The index document (`OfferingDocument`) is the engines'
//! contract and carries what only searching needs (`keywords`, the labels flattened for full
//! text; `evidence_rank`, the number the `evidence_min` filter compares) and Unix seconds, which
//! sort cheaply in both engines. A client gets this type instead: RFC 3339 times and only what
//! describes the offering. It repeats the document's public fields on purpose, so the API does
//! not change when the index contract does. Clients that query Meilisearch directly with a
//! tenant token get the index document itself (see `tenant_token`).

use chrono::{DateTime, Utc};
use edumarkt_search_sync::OfferingDocument;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub provider_kind: String,
    pub domain: String,
    pub domain_label: String,
    pub service_type: String,
    pub service_type_label: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub formats: Vec<String>,
    pub delivery: Vec<String>,
    pub duration: String,
    /// `traject` or `langdurig`: long-term support.
    pub long_term: bool,
    pub price_model: String,
    /// Excluding VAT, per the price model's unit; `null` when the price is on request.
    pub price_min_cents: Option<i64>,
    pub price_max_cents: Option<i64>,
    pub evidence_level: String,
    pub co_creation_phases: Vec<String>,
    pub themes: Vec<String>,
    /// RFC 3339, UTC.
    pub published_at: DateTime<Utc>,
    pub review_count: i64,
    pub verified_review_count: i64,
    pub rating_avg: Option<f64>,
    pub rating_fit_with_practice: Option<f64>,
    pub rating_expertise: Option<f64>,
    pub rating_lasting_effect: Option<f64>,
    pub rating_value_for_money: Option<f64>,
    pub rating_teacher_involvement: Option<f64>,
    /// The Bayesian (IMDb weighted) overall rating that `sort=rating` orders by.
    pub rating_score: Option<f64>,
}

/// The document taken apart whole, without `..`: a field added to the index document does not
/// compile until it is either given to clients here or left out on purpose.
impl From<OfferingDocument> for SearchHit {
    fn from(document: OfferingDocument) -> SearchHit {
        let OfferingDocument {
            id,
            title,
            summary,
            description,
            provider_id,
            provider_name,
            provider_kind,
            domain,
            domain_label,
            service_type,
            service_type_label,
            sectors,
            regions,
            formats,
            delivery,
            duration,
            long_term,
            price_model,
            price_min_cents,
            price_max_cents,
            evidence_level,
            co_creation_phases,
            themes,
            published_at,
            review_count,
            verified_review_count,
            rating_avg,
            rating_fit_with_practice,
            rating_expertise,
            rating_lasting_effect,
            rating_value_for_money,
            rating_teacher_involvement,
            rating_score,
            keywords: _,
            evidence_rank: _,
        } = document;
        SearchHit {
            id,
            title,
            summary,
            description,
            provider_id,
            provider_name,
            provider_kind,
            domain,
            domain_label,
            service_type,
            service_type_label,
            sectors,
            regions,
            formats,
            delivery,
            duration,
            long_term,
            price_model,
            price_min_cents,
            price_max_cents,
            evidence_level,
            co_creation_phases,
            themes,
            review_count,
            verified_review_count,
            rating_avg,
            rating_fit_with_practice,
            rating_expertise,
            rating_lasting_effect,
            rating_value_for_money,
            rating_teacher_involvement,
            rating_score,
            // The projection writes whole seconds of a `timestamptz`; a value outside chrono's
            // range (years beyond ±262,000) cannot come from PostgreSQL, which stops at 294,276.
            published_at: DateTime::from_timestamp(published_at, 0).unwrap_or_default(),
        }
    }
}

/// How a sort compared the hits, for sorts that need saying so (price sorts).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SortBasis {
    /// Always `price_model`: prices are compared only among offerings with the same price model
    /// (an hourly rate and a yearly price per pupil are not comparable), so the hits come in
    /// groups, one per price model, each ordered by `price_min_cents`.
    pub compared_within: &'static str,
    /// The groups in the order the hits come in. `op_aanvraag` (price on request) is always
    /// last, in either direction. Filter on one `price_model` for a single comparable list.
    pub price_models: Vec<&'static str>,
}

impl SortBasis {
    pub fn price(price_models: Vec<&'static str>) -> SortBasis {
        SortBasis {
            compared_within: "price_model",
            price_models,
        }
    }
}
