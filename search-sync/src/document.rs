//! The offering document: everything a search, a facet, a sort or a comparison needs, in one
//! flat record. Both engines store exactly this; `projection` builds it from the database.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfferingDocument {
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
    /// `traject` or `langdurig`: the long-term support the advice wants findable.
    pub long_term: bool,
    pub price_model: String,
    pub price_min_cents: Option<i64>,
    pub price_max_cents: Option<i64>,
    pub evidence_level: String,
    /// The evidence level's position, 0 (`geen`) to 5 (`effectief_sterke_aanwijzingen`).
    pub evidence_rank: u8,
    pub co_creation_phases: Vec<String>,
    pub themes: Vec<String>,
    /// Dutch labels of the formats, themes, sectors and co-creation phases, for full-text search.
    pub keywords: Vec<String>,
    /// Seconds since the Unix epoch.
    pub published_at: i64,
    pub review_count: i64,
    pub verified_review_count: i64,
    pub rating_avg: Option<f64>,
    pub rating_fit_with_practice: Option<f64>,
    pub rating_expertise: Option<f64>,
    pub rating_lasting_effect: Option<f64>,
    pub rating_value_for_money: Option<f64>,
    pub rating_teacher_involvement: Option<f64>,
}

/// A facet: the query parameter a client filters with, and the document field behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facet {
    pub param: &'static str,
    pub field: &'static str,
}

pub const FACETS: &[Facet] = &[
    Facet {
        param: "domain",
        field: "domain",
    },
    Facet {
        param: "service_type",
        field: "service_type",
    },
    Facet {
        param: "sector",
        field: "sectors",
    },
    Facet {
        param: "region",
        field: "regions",
    },
    Facet {
        param: "format",
        field: "formats",
    },
    Facet {
        param: "delivery",
        field: "delivery",
    },
    Facet {
        param: "duration",
        field: "duration",
    },
    Facet {
        param: "co_creation",
        field: "co_creation_phases",
    },
    Facet {
        param: "theme",
        field: "themes",
    },
    Facet {
        param: "evidence_level",
        field: "evidence_level",
    },
    Facet {
        param: "price_model",
        field: "price_model",
    },
    Facet {
        param: "provider_kind",
        field: "provider_kind",
    },
];

impl OfferingDocument {
    /// The codes a document holds for a facet field.
    pub fn facet_values(&self, field: &str) -> Vec<&str> {
        fn one(value: &str) -> Vec<&str> {
            vec![value]
        }
        match field {
            "domain" => one(&self.domain),
            "service_type" => one(&self.service_type),
            "sectors" => self.sectors.iter().map(String::as_str).collect(),
            "regions" => self.regions.iter().map(String::as_str).collect(),
            "formats" => self.formats.iter().map(String::as_str).collect(),
            "delivery" => self.delivery.iter().map(String::as_str).collect(),
            "duration" => one(&self.duration),
            "co_creation_phases" => self.co_creation_phases.iter().map(String::as_str).collect(),
            "themes" => self.themes.iter().map(String::as_str).collect(),
            "evidence_level" => one(&self.evidence_level),
            "price_model" => one(&self.price_model),
            "provider_kind" => one(&self.provider_kind),
            _ => vec![],
        }
    }
}
