use std::collections::BTreeMap;
use std::time::Instant;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

use crate::error::ApiResult;
use crate::routes::search::hit::{SearchHit, SortBasis};
use crate::routes::search::params;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    /// What the sort compared, for price sorts (`price_asc`, `price_desc`); `null` otherwise.
    pub sort_basis: Option<SortBasis>,
    pub page: usize,
    pub per_page: usize,
    /// Per facet parameter: code → number of results. Each facet is counted with every filter
    /// except its own, so the counts say what choosing another value would give.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    pub processing_time_ms: u64,
}

/// Search published offerings: typo-tolerant Dutch full text (`q`), facet filters (repeat a
/// parameter for OR; different facets combine with AND): `domain`, `service_type`, `sector`,
/// `region`, `format`, `delivery`, `duration`, `co_creation`, `theme`, `evidence_level`,
/// `price_model`, `provider_kind`; and `evidence_min`, `price_max_cents`, `rating_min`,
/// `provider_id`, `sort` (`relevance`, `rating`, `price_asc`, `price_desc`, `newest`,
/// `review_count`), `page`, `per_page` (at most 100; results end after 1,000).
///
/// A word within typos of a synonym term finds what that term finds, synonyms included. Price
/// sorts compare prices only within one price model (cents per hour and cents per pupil per
/// year are not comparable): the hits come grouped by price model in the order `sort_basis`
/// names, each group ordered by its lowest price, offerings on request last; filter on one
/// `price_model` for a single list.
#[utoipa::path(tag = "search", responses((status = 200, body = SearchResponse)))]
#[get("/offerings")]
pub async fn search_offerings(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let started = Instant::now();
    let query = params::parse(req.query_string())?;
    let results = state.search.offerings(&query).await?;
    Ok(HttpResponse::Ok().json(SearchResponse {
        hits: results.hits.into_iter().map(SearchHit::from).collect(),
        total: results.total,
        sort_basis: query.price_sort_groups().map(SortBasis::price),
        page: query.page,
        per_page: query.per_page,
        facets: results.facets,
        processing_time_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }))
}
