//! The offering document: everything a search, a facet, a sort or a comparison needs, in one
//! flat record. Both engines store exactly this; `projection` builds it from the database.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::kind::Facet;
use crate::kind::{
    Filter, IndexDescriptor, IndexKind, Number, NumberType, SortRule, Source, Value,
};
use crate::projection;
use crate::query::{PRICE_GROUP, Sort, price_group};
use crate::settings::{SEARCHABLE, SORTABLE};

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
    /// The Bayesian (IMDb weighted) overall rating the server computes: what `sort=rating`
    /// orders by, so a single 5-star review does not outrank many good ones.
    pub rating_score: Option<f64>,
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

/// Offerings, the first index kind: one document per published offering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offerings;

/// An offering search's filters beyond the facets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferingFilters {
    pub provider_ids: Vec<Uuid>,
    /// At least this evidence rank (0-5).
    pub evidence_min: Option<u8>,
    /// The lowest price at most this (offerings "on request" are left out).
    pub price_max_cents: Option<i64>,
    pub rating_min: Option<f64>,
}

const fn stored(field: &'static str, ty: NumberType) -> Number {
    Number {
        field,
        ty,
        source: Source::Document,
    }
}

pub const OFFERINGS: IndexDescriptor = IndexDescriptor {
    name: "offerings",
    searchable: SEARCHABLE,
    facets: FACETS,
    keywords: &["provider_id"],
    numbers: &[
        stored("evidence_rank", NumberType::U64),
        stored("price_min_cents", NumberType::I64),
        stored("rating_avg", NumberType::F64),
        stored("published_at", NumberType::I64),
        stored("review_count", NumberType::I64),
        stored("rating_score", NumberType::F64),
        Number {
            field: PRICE_GROUP,
            ty: NumberType::U64,
            source: Source::RankOf {
                facet: "price_model",
                rank: |code| u64::from(price_group(code)),
            },
        },
    ],
    filterable: &[
        "provider_id",
        "evidence_rank",
        "price_min_cents",
        "rating_avg",
        "long_term",
    ],
    sortable: SORTABLE,
};

#[async_trait::async_trait]
impl IndexKind for Offerings {
    type Document = OfferingDocument;
    type Filters = OfferingFilters;
    type Sort = Sort;
    type Tenant = ();

    const DESCRIPTOR: &'static IndexDescriptor = &OFFERINGS;

    fn id(document: &OfferingDocument) -> Uuid {
        document.id
    }

    fn filters(filters: &OfferingFilters) -> Vec<Filter> {
        let mut out = Vec::new();
        if !filters.provider_ids.is_empty() {
            out.push(Filter::AnyOf {
                field: "provider_id",
                values: filters.provider_ids.iter().map(Uuid::to_string).collect(),
            });
        }
        if let Some(min) = filters.evidence_min {
            out.push(Filter::AtLeast {
                field: "evidence_rank",
                value: Value::U64(u64::from(min)),
            });
        }
        if let Some(max) = filters.price_max_cents {
            out.push(Filter::AtMost {
                field: "price_min_cents",
                value: Value::I64(max),
            });
        }
        if let Some(min) = filters.rating_min {
            out.push(Filter::AtLeast {
                field: "rating_avg",
                value: Value::F64(min),
            });
        }
        out
    }

    /// Documents without a value (no rating, price on request) come last in either direction.
    /// Prices are compared within a price model only (`query::PRICE_GROUP`), so the group is
    /// the first rule, ascending in both directions.
    fn sort_rules(sort: Sort) -> &'static [SortRule] {
        match sort {
            Sort::Relevance => &[],
            Sort::Rating => &[SortRule {
                field: "rating_score",
                descending: true,
            }],
            Sort::PriceAsc => &[
                SortRule {
                    field: PRICE_GROUP,
                    descending: false,
                },
                SortRule {
                    field: "price_min_cents",
                    descending: false,
                },
            ],
            Sort::PriceDesc => &[
                SortRule {
                    field: PRICE_GROUP,
                    descending: false,
                },
                SortRule {
                    field: "price_min_cents",
                    descending: true,
                },
            ],
            Sort::Newest => &[SortRule {
                field: "published_at",
                descending: true,
            }],
            Sort::ReviewCount => &[SortRule {
                field: "review_count",
                descending: true,
            }],
        }
    }

    /// Every document in the index is a published offering: a token opens the whole index.
    fn tenant_filter(_tenant: &()) -> Option<String> {
        None
    }

    async fn load(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> QueryResult<Vec<OfferingDocument>> {
        projection::load(conn, ids).await
    }

    async fn page(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<OfferingDocument>> {
        projection::page(conn, after, limit).await
    }

    async fn page_ids(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<Uuid>> {
        projection::page_ids(conn, after, limit).await
    }

    async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        projection::count(conn).await
    }

    async fn last_id(conn: &mut AsyncPgConnection) -> QueryResult<Option<Uuid>> {
        projection::last_id(conn).await
    }
}
