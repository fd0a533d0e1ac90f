//! Open contracting data: `GET /v1/bundles/{id}/ocds` (served in the bundles scope) and the
//! feed of awarded public bundles, `GET /v1/ocds/awards`.

use actix_web::{HttpResponse, get, web};

use crate::domain::BundleId;
use crate::error::ApiResult;
use crate::http::page::PageParams;
use crate::state::AppState;
use crate::usecases::ocds::{self, Publication};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(utoipa_actix_web::scope("/v1/ocds").service(awards_feed));
}

fn publication(state: &AppState) -> Publication<'_> {
    Publication {
        prefix: &state.config.ocds_prefix,
        public_url: &state.config.public_url,
    }
}

/// A public bundle as an Open Contracting Data Standard 1.1 release package: the tender, its
/// award criteria, the answered questions, bid statistics once the offers are opened, and the
/// award once made. Network bundles and drafts are not public (404).
#[utoipa::path(tag = "bundles",
    responses((status = 200, description = "An OCDS 1.1 release package", body = Object), (status = 404)))]
#[get("/{id}/ocds")]
pub async fn bundle_ocds(
    state: web::Data<AppState>,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let package = ocds::bundle_package(
        &mut conn,
        id.into_inner(),
        &publication(&state),
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(package))
}

/// Awarded public bundles, the latest award first, as one OCDS release package per page; the
/// `Link` header (`rel="next"`) leads to the next page.
#[utoipa::path(tag = "bundles", params(PageParams),
    responses((status = 200, description = "An OCDS 1.1 release package", body = Object), (status = 422)))]
#[get("/awards")]
pub async fn awards_feed(
    state: web::Data<AppState>,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let limit = params.limit()?;
    let after = params.after::<BundleId>()?;
    let mut conn = state.conn().await?;
    let (package, next) = ocds::awards_feed(
        &mut conn,
        after,
        limit,
        &publication(&state),
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = next {
        response.insert_header((
            "Link",
            format!(
                "<{}/v1/ocds/awards?limit={limit}&cursor={cursor}>; rel=\"next\"",
                state.config.public_url
            ),
        ));
    }
    Ok(response.json(package))
}
