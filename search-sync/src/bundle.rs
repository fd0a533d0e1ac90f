//! Open demand bundles, the second index kind: one document per bundle stored as open or
//! tendering (the `search_bundle_documents` view), found by providers. Two things are decided at
//! query time rather than stored, because they change without a write:
//!
//! - the deadlines move a bundle on by themselves, so a search asks for `offer_deadline` after
//!   now (`BundleFilters::open_at`) instead of trusting the stored status;
//! - who may read a bundle: each document carries one `audience` value, `public` or the id of
//!   the network whose members it is for, and a search (or a tenant token) names the audiences
//!   its caller may read (`BundleFilters::audiences`; the server's authz decides them).

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kind::{
    Facet, Filter, IndexDescriptor, IndexKind, Number, NumberType, SortRule, Source, Value,
};

/// The audience of a public bundle; a network bundle's audience is its network's id.
pub const PUBLIC_AUDIENCE: &str = "public";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BundleDocument {
    pub id: Uuid,
    pub title: String,
    pub need_problem: String,
    pub need_goals: String,
    pub need_intended_result: String,
    pub need_success_measure: String,
    pub domain: String,
    pub domain_label: String,
    pub service_type: String,
    pub service_type_label: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    /// Dutch labels of the sectors and regions, for full-text search.
    pub keywords: Vec<String>,
    pub unit: String,
    /// `network` or `public`.
    pub visibility: String,
    /// `public`, or the owning network's id for a network bundle: who may find it.
    pub audience: String,
    pub owner_organization_id: Uuid,
    pub owner_name: String,
    /// Milliseconds since the Unix epoch: a deadline passes at its instant, and a second's
    /// rounding would keep a bundle findable for up to a second after it.
    pub join_deadline: i64,
    pub offer_deadline: i64,
    /// As stored (`open` or `tendering`); the status at a given time follows from the deadlines.
    pub status: String,
    pub total_quantity: i64,
    pub total_organizations: i32,
    pub total_budget_cents: i64,
}

/// The audience a bundle's document carries.
pub fn audience(visibility: &str, owner: Uuid) -> String {
    if visibility == "network" {
        owner.to_string()
    } else {
        PUBLIC_AUDIENCE.to_owned()
    }
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
];

const fn stored(field: &'static str) -> Number {
    Number {
        field,
        ty: NumberType::I64,
        source: Source::Document,
    }
}

pub const BUNDLES: IndexDescriptor = IndexDescriptor {
    name: "bundles",
    searchable: &[
        ("title", 4.0),
        ("service_type_label", 2.5),
        ("keywords", 2.0),
        ("need_problem", 1.5),
        ("need_goals", 1.5),
        ("need_intended_result", 1.0),
        ("need_success_measure", 1.0),
        ("owner_name", 1.5),
        ("domain_label", 1.0),
    ],
    facets: FACETS,
    keywords: &["audience", "owner_organization_id"],
    numbers: &[stored("join_deadline"), stored("offer_deadline")],
    filterable: &[
        "audience",
        "owner_organization_id",
        "join_deadline",
        "offer_deadline",
    ],
    sortable: &["offer_deadline", "join_deadline"],
};

/// Open bundles, the second index kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bundles;

/// A bundle search's filters beyond the facets. All times are Unix milliseconds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BundleFilters {
    /// The audiences the caller may read; `None` for every audience.
    pub audiences: Option<Vec<String>>,
    /// Only bundles whose offer deadline lies after this instant (still open for offers).
    pub open_at: Option<i64>,
    /// Only bundles whose offer deadline is at or before this instant.
    pub offer_deadline_before: Option<i64>,
    /// Only bundles whose joining deadline lies after this instant (schools may still join).
    pub join_deadline_after: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BundleSort {
    #[default]
    Relevance,
    /// The offer deadline first to come first.
    OfferDeadline,
    /// The joining deadline first to come first.
    JoinDeadline,
}

impl BundleSort {
    pub const ALL: [BundleSort; 3] = [
        BundleSort::Relevance,
        BundleSort::OfferDeadline,
        BundleSort::JoinDeadline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BundleSort::Relevance => "relevance",
            BundleSort::OfferDeadline => "offer_deadline",
            BundleSort::JoinDeadline => "join_deadline",
        }
    }

    pub fn parse(s: &str) -> Option<BundleSort> {
        BundleSort::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Whom a tenant token is for: the audiences they may read (`None`: all), and the instant the
/// token is made, after which the offer deadline must lie. A token lives minutes; a bundle whose
/// deadline passes meanwhile stays findable through it until it expires, never longer.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleTenant {
    pub audiences: Option<Vec<String>>,
    pub open_at: i64,
}

/// A strict "after": `AtLeast` one millisecond later.
fn after(field: &'static str, instant: i64) -> Filter {
    Filter::AtLeast {
        field,
        value: Value::I64(instant.saturating_add(1)),
    }
}

#[async_trait::async_trait]
impl IndexKind for Bundles {
    type Document = BundleDocument;
    type Filters = BundleFilters;
    type Sort = BundleSort;
    type Tenant = BundleTenant;

    const DESCRIPTOR: &'static IndexDescriptor = &BUNDLES;

    fn id(document: &BundleDocument) -> Uuid {
        document.id
    }

    fn filters(filters: &BundleFilters) -> Vec<Filter> {
        let mut out = Vec::new();
        if let Some(audiences) = &filters.audiences {
            out.push(Filter::AnyOf {
                field: "audience",
                values: audiences.clone(),
            });
        }
        if let Some(now) = filters.open_at {
            out.push(after("offer_deadline", now));
        }
        if let Some(before) = filters.offer_deadline_before {
            out.push(Filter::AtMost {
                field: "offer_deadline",
                value: Value::I64(before),
            });
        }
        if let Some(instant) = filters.join_deadline_after {
            out.push(after("join_deadline", instant));
        }
        out
    }

    fn sort_rules(sort: BundleSort) -> &'static [SortRule] {
        match sort {
            BundleSort::Relevance => &[],
            BundleSort::OfferDeadline => &[SortRule {
                field: "offer_deadline",
                descending: false,
            }],
            BundleSort::JoinDeadline => &[SortRule {
                field: "join_deadline",
                descending: false,
            }],
        }
    }

    /// The same rule a search through the API applies: the tenant's audiences, and offers
    /// still possible when the token was made.
    fn tenant_filter(tenant: &BundleTenant) -> Option<String> {
        let filters = BundleFilters {
            audiences: tenant.audiences.clone(),
            open_at: Some(tenant.open_at),
            ..BundleFilters::default()
        };
        let clauses: Vec<String> = Self::filters(&filters)
            .iter()
            .map(crate::query::filter_clause)
            .collect();
        Some(clauses.join(" AND "))
    }

    async fn load(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<BundleDocument>> {
        projection::load(conn, ids).await
    }

    async fn page(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<BundleDocument>> {
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

/// The `search_bundle_documents` view (see the migration that creates it) read into documents.
mod projection {
    use chrono::{DateTime, Utc};
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use uuid::Uuid;

    use super::{BundleDocument, audience};
    use crate::projection::{label, labels, projection_queries};
    use crate::taxonomy;

    diesel::table! {
        search_bundle_documents (id) {
            id -> Uuid,
            title -> Text,
            need_problem -> Text,
            need_goals -> Text,
            need_intended_result -> Text,
            need_success_measure -> Text,
            domain -> Text,
            service_type -> Text,
            sectors -> Array<Text>,
            regions -> Array<Text>,
            unit -> Text,
            visibility -> Text,
            owner_organization_id -> Uuid,
            owner_name -> Text,
            join_deadline -> Timestamptz,
            offer_deadline -> Timestamptz,
            status -> Text,
            total_quantity -> Int8,
            total_organizations -> Int4,
            total_budget_cents -> Int8,
        }
    }

    use self::search_bundle_documents as view;

    #[derive(Debug, Queryable, Selectable)]
    #[diesel(table_name = view)]
    struct Row {
        id: Uuid,
        title: String,
        need_problem: String,
        need_goals: String,
        need_intended_result: String,
        need_success_measure: String,
        domain: String,
        service_type: String,
        sectors: Vec<String>,
        regions: Vec<String>,
        unit: String,
        visibility: String,
        owner_organization_id: Uuid,
        owner_name: String,
        join_deadline: DateTime<Utc>,
        offer_deadline: DateTime<Utc>,
        status: String,
        total_quantity: i64,
        total_organizations: i32,
        total_budget_cents: i64,
    }

    impl From<Row> for BundleDocument {
        fn from(r: Row) -> Self {
            let regions = std::iter::once(&taxonomy::NATIONWIDE)
                .chain(taxonomy::PROVINCES)
                .copied()
                .collect::<Vec<_>>();
            let keywords = labels(taxonomy::SECTORS, &r.sectors)
                .chain(labels(&regions, &r.regions))
                .collect();
            BundleDocument {
                id: r.id,
                domain_label: label(taxonomy::DOMAINS, &r.domain),
                service_type_label: taxonomy::service_type(&r.service_type)
                    .map_or_else(|| r.service_type.clone(), |s| s.nl.to_owned()),
                keywords,
                audience: audience(&r.visibility, r.owner_organization_id),
                title: r.title,
                need_problem: r.need_problem,
                need_goals: r.need_goals,
                need_intended_result: r.need_intended_result,
                need_success_measure: r.need_success_measure,
                domain: r.domain,
                service_type: r.service_type,
                sectors: r.sectors,
                regions: r.regions,
                unit: r.unit,
                visibility: r.visibility,
                owner_organization_id: r.owner_organization_id,
                owner_name: r.owner_name,
                join_deadline: r.join_deadline.timestamp_millis(),
                offer_deadline: r.offer_deadline.timestamp_millis(),
                status: r.status,
                total_quantity: r.total_quantity,
                total_organizations: r.total_organizations,
                total_budget_cents: r.total_budget_cents,
            }
        }
    }

    projection_queries!(view, Row, BundleDocument);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_bundles_are_for_their_network_and_the_rest_for_everyone() {
        let network = Uuid::from_u128(7);
        assert_eq!(audience("network", network), network.to_string());
        assert_eq!(audience("public", network), PUBLIC_AUDIENCE);
    }

    #[test]
    fn a_tenants_filter_names_its_audiences_and_the_open_deadline() {
        let tenant = BundleTenant {
            audiences: Some(vec!["public".into(), r#"x" OR audience = "y"#.into()]),
            open_at: 1_000,
        };
        assert_eq!(
            Bundles::tenant_filter(&tenant).unwrap(),
            r#"audience IN ["public", "x\" OR audience = \"y"] AND offer_deadline >= 1001"#
        );
        let everyone = BundleTenant {
            audiences: None,
            open_at: 5,
        };
        assert_eq!(
            Bundles::tenant_filter(&everyone).unwrap(),
            "offer_deadline >= 6"
        );
    }

    #[test]
    fn deadline_filters_are_strict_after_and_inclusive_before() {
        let filters = BundleFilters {
            open_at: Some(10),
            offer_deadline_before: Some(20),
            join_deadline_after: Some(5),
            ..BundleFilters::default()
        };
        assert_eq!(
            Bundles::filters(&filters),
            [
                Filter::AtLeast {
                    field: "offer_deadline",
                    value: Value::I64(11)
                },
                Filter::AtMost {
                    field: "offer_deadline",
                    value: Value::I64(20)
                },
                Filter::AtLeast {
                    field: "join_deadline",
                    value: Value::I64(6)
                },
            ]
        );
    }
}
