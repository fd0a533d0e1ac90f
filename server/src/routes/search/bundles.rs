//! `GET /v1/search/bundles`: open bundles, for providers, in the shape of the offerings' search.

use std::collections::BTreeMap;
use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use edumarkt_search_sync::BundleDocument;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::bundle::{BundleStatus, Deadlines, status_at};
use crate::error::ApiResult;
use crate::routes::bundles::{NeedResponse, TotalsResponse};
use crate::routes::search::bundle_params;
use crate::state::AppState;
use crate::usecases::bundle_search;

/// A bundle as a search finds it. Like `SearchHit` for offerings, the API's own type, not the
/// index document: RFC 3339 deadlines and the status as of the search, not as stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleHit {
    pub id: Uuid,
    pub title: String,
    pub need: NeedResponse,
    pub domain: String,
    pub domain_label: String,
    pub service_type: String,
    pub service_type_label: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub unit: String,
    /// `network` (for the network's members, and providers) or `public`.
    pub visibility: String,
    pub owner_organization_id: Uuid,
    pub owner_name: String,
    pub join_deadline: DateTime<Utc>,
    pub offer_deadline: DateTime<Utc>,
    /// `open` (schools join) or `tendering` (offers), as of the search.
    pub status: BundleStatus,
    pub totals: TotalsResponse,
}

fn millis(ms: i64) -> DateTime<Utc> {
    // The projection writes a `timestamptz`'s milliseconds, always within chrono's range.
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl BundleHit {
    /// The document taken apart whole, without `..`: a field added to the index document does
    /// not compile until it is given to clients here or left out on purpose.
    fn at(document: BundleDocument, now: DateTime<Utc>) -> BundleHit {
        let BundleDocument {
            id,
            title,
            need_problem,
            need_goals,
            need_intended_result,
            need_success_measure,
            domain,
            domain_label,
            service_type,
            service_type_label,
            sectors,
            regions,
            unit,
            visibility,
            owner_organization_id,
            owner_name,
            join_deadline,
            offer_deadline,
            status,
            total_quantity,
            total_organizations,
            total_budget_cents,
            keywords: _,
            audience: _,
        } = document;
        let deadlines = Deadlines {
            join: millis(join_deadline),
            offer: millis(offer_deadline),
        };
        let stored = BundleStatus::parse(&status).unwrap_or(BundleStatus::Open);
        BundleHit {
            id,
            title,
            need: NeedResponse {
                problem: need_problem,
                goals: need_goals,
                intended_result: need_intended_result,
                success_measure: need_success_measure,
            },
            domain,
            domain_label,
            service_type,
            service_type_label,
            sectors,
            regions,
            unit,
            visibility,
            owner_organization_id,
            owner_name,
            join_deadline: deadlines.join,
            offer_deadline: deadlines.offer,
            status: status_at(stored, deadlines, now),
            totals: TotalsResponse {
                quantity: total_quantity,
                organizations: total_organizations,
                budget_cents: total_budget_cents,
            },
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleSearchResponse {
    pub hits: Vec<BundleHit>,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    /// Per facet parameter (`domain`, `service_type`, `sector`, `region`): code → number of
    /// results, each counted with every filter except its own.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    pub processing_time_ms: u64,
}

/// Search open bundles (providers' staff; others 403): typo-tolerant Dutch full text over the
/// title and the need (`q`), facets `domain`, `service_type`, `sector`, `region` (repeat for
/// OR), `offer_deadline_before`, `join_deadline_after`, `deadline_within_days`, `sort`
/// (`relevance`, `offer_deadline`, `join_deadline`), `page`, `per_page`. Only bundles whose
/// offer deadline lies ahead are found; network bundles only by those who may read them.
#[utoipa::path(tag = "search", security(("bearer" = [])),
    responses((status = 200, body = BundleSearchResponse), (status = 401), (status = 403)))]
#[get("/bundles")]
pub async fn search_bundles(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let started = Instant::now();
    let now = state.clock.now();
    let query = bundle_params::parse(req.query_string(), now)?;
    let query = {
        let mut conn = state.conn().await?;
        bundle_search::scoped_query(&mut conn, &caller, query, now).await?
    };
    let results = state.search.bundles(&query).await?;
    Ok(HttpResponse::Ok().json(BundleSearchResponse {
        hits: results
            .hits
            .into_iter()
            .map(|document| BundleHit::at(document, now))
            .collect(),
        total: results.total,
        page: query.page,
        per_page: query.per_page,
        facets: results.facets,
        processing_time_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }))
}
