//! The counting behind a network's insight (`domain::insight`), done by PostgreSQL: one row
//! per group, however many participations there are. Raw SQL, because diesel's DSL cannot
//! say `GROUPING SETS` or `unnest` a bundle's sectors and regions; the end-to-end tests of
//! `tests/tests/api/insights.rs` check every column against joins made through the API.

use chrono::NaiveDate;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Uuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::OrganizationId;
use crate::domain::insight::{Dimension, GroupCounts, GroupRow, JoinedCount, Quarter, ShareKind};

/// The participations in the network's bundles, once per facet a bundle has (a bundle for po
/// and vo counts under both sectors), counted per group and quarter of the joining deadline
/// (Dutch calendar) and per group over all quarters (distinct organisations do not add up).
/// Drafts have no participants; cancelled bundles count, as demand that was voiced.
const DEMAND: &str = "\
WITH joined AS (
    SELECT b.id AS bundle_id, b.domain, b.service_type, b.sectors, b.regions, b.unit,
           date_trunc('quarter', b.join_deadline AT TIME ZONE 'Europe/Amsterdam')::date AS quarter,
           p.organization_id, p.quantity, p.budget_cents
    FROM bundles b JOIN bundle_participants p ON p.bundle_id = b.id
    WHERE b.owner_organization_id = $1
), facets AS (
    SELECT 'total' AS dimension, 'all' AS key, j.* FROM joined j
    UNION ALL SELECT 'domain', j.domain, j.* FROM joined j
    UNION ALL SELECT 'service_type', j.service_type, j.* FROM joined j
    UNION ALL SELECT 'sector', s.code, j.* FROM joined j CROSS JOIN LATERAL unnest(j.sectors) AS s(code)
    UNION ALL SELECT 'region', r.code, j.* FROM joined j CROSS JOIN LATERAL unnest(j.regions) AS r(code)
)
SELECT dimension, key, quarter,
       count(DISTINCT organization_id) AS organizations,
       count(DISTINCT bundle_id) AS bundles,
       COALESCE(sum(quantity), 0)::bigint AS quantity,
       count(DISTINCT unit) AS units,
       min(unit) AS unit,
       COALESCE(sum(budget_cents), 0)::bigint AS budget_cents
FROM facets
GROUP BY GROUPING SETS ((dimension, key, quarter), (dimension, key))";

/// The network's member schools per sector (a school of two sectors counts in both).
const MEMBER_SCHOOLS: &str = "\
SELECT s.sector, count(DISTINCT o.id) AS schools
FROM network_members nm
JOIN organizations o ON o.id = nm.member_id AND o.kind = 'school'
CROSS JOIN LATERAL unnest(o.sectors) AS s(sector)
WHERE nm.network_id = $1
GROUP BY s.sector";

/// Per sector, how many member schools joined a bundle of the network of each service type,
/// and of each domain (`service_type` NULL: the domain's grouping set).
const JOINED_SCHOOLS: &str = "\
SELECT s.sector, b.domain, b.service_type, count(DISTINCT o.id) AS schools
FROM network_members nm
JOIN organizations o ON o.id = nm.member_id AND o.kind = 'school'
CROSS JOIN LATERAL unnest(o.sectors) AS s(sector)
JOIN bundle_participants p ON p.organization_id = o.id
JOIN bundles b ON b.id = p.bundle_id AND b.owner_organization_id = nm.network_id
WHERE nm.network_id = $1
GROUP BY GROUPING SETS ((s.sector, b.domain, b.service_type), (s.sector, b.domain))";

#[derive(QueryableByName)]
struct DemandRow {
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Nullable<Date>)]
    quarter: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    organizations: i64,
    #[diesel(sql_type = BigInt)]
    bundles: i64,
    #[diesel(sql_type = BigInt)]
    quantity: i64,
    #[diesel(sql_type = BigInt)]
    units: i64,
    #[diesel(sql_type = Nullable<Text>)]
    unit: Option<String>,
    #[diesel(sql_type = BigInt)]
    budget_cents: i64,
}

#[derive(QueryableByName)]
struct MemberRow {
    #[diesel(sql_type = Text)]
    sector: String,
    #[diesel(sql_type = BigInt)]
    schools: i64,
}

#[derive(QueryableByName)]
struct JoinedRow {
    #[diesel(sql_type = Text)]
    sector: String,
    #[diesel(sql_type = Text)]
    domain: String,
    #[diesel(sql_type = Nullable<Text>)]
    service_type: Option<String>,
    #[diesel(sql_type = BigInt)]
    schools: i64,
}

/// The counted groups of the network's demand.
pub async fn demand(
    conn: &mut AsyncPgConnection,
    network: OrganizationId,
) -> diesel::QueryResult<Vec<GroupRow>> {
    let rows: Vec<DemandRow> = diesel::sql_query(DEMAND)
        .bind::<Uuid, _>(network)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(GroupRow {
                // Every dimension the query names parses; the filter only guards the match.
                dimension: Dimension::parse(&r.dimension)?,
                key: r.key,
                period: r.quarter.map(Quarter::of),
                counts: GroupCounts {
                    organizations: r.organizations,
                    bundles: r.bundles,
                    quantity: r.quantity,
                    units: r.units,
                    unit: r.unit,
                    budget_cents: r.budget_cents,
                },
            })
        })
        .collect())
}

/// The network's member schools per sector, and how many of them joined bundles of each
/// service type and domain.
pub async fn shares(
    conn: &mut AsyncPgConnection,
    network: OrganizationId,
) -> diesel::QueryResult<(Vec<(String, i64)>, Vec<JoinedCount>)> {
    let members: Vec<MemberRow> = diesel::sql_query(MEMBER_SCHOOLS)
        .bind::<Uuid, _>(network)
        .load(conn)
        .await?;
    let joined: Vec<JoinedRow> = diesel::sql_query(JOINED_SCHOOLS)
        .bind::<Uuid, _>(network)
        .load(conn)
        .await?;
    Ok((
        members.into_iter().map(|m| (m.sector, m.schools)).collect(),
        joined
            .into_iter()
            .map(|j| {
                let (kind, code) = match j.service_type {
                    Some(service_type) => (ShareKind::ServiceType, service_type),
                    None => (ShareKind::Domain, j.domain),
                };
                JoinedCount {
                    kind,
                    code,
                    sector: j.sector,
                    schools: j.schools,
                }
            })
            .collect(),
    ))
}
