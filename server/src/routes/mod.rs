//! The HTTP API: every route, and the OpenAPI document that describes them.

pub mod auth;
pub mod bundle_offers;
pub mod bundle_questions;
pub mod bundles;
pub mod interest_profiles;
pub mod me;
pub mod networks;
pub mod ocds;
pub mod offerings;
pub mod openapi;
pub mod organizations;
pub mod reviews;
pub mod search;
pub mod shortlists;
pub mod system;
pub mod taxonomy;

use actix_web::{HttpRequest, HttpResponse, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Registers every route; the OpenAPI document is collected from the same registrations, so it
/// cannot miss one.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(system::live)
        .service(system::ready)
        .service(system::metrics)
        .service(
            utoipa_actix_web::scope("/v1/me")
                .service(me::get_me)
                .service(me::export_me)
                .service(me::delete_me),
        )
        .service(organizations::accept_invitation)
        .service(taxonomy::get_taxonomy);
    auth::configure(cfg);
    organizations::configure(cfg);
    networks::configure(cfg);
    offerings::configure(cfg);
    search::configure(cfg);
    shortlists::configure(cfg);
    reviews::configure(cfg);
    bundles::configure(cfg);
    ocds::configure(cfg);
}

/// Unknown paths get a problem+json 404 (a browser asking for a page outside the API: the
/// pages' Dutch 404); a path that exists with other methods a 405 with
/// `Allow`, read from the OpenAPI document (which is collected from the route registrations).
pub async fn not_found(
    req: HttpRequest,
    doc: Option<web::Data<utoipa::openapi::OpenApi>>,
) -> Result<HttpResponse, ApiError> {
    let allowed = doc.map_or_else(Vec::new, |doc| openapi::methods_at(&doc, req.path()));
    if allowed.is_empty() {
        if crate::web::wants_page(&req) {
            return Ok(actix_web::ResponseError::error_response(
                &crate::web::PageError::NotFound,
            ));
        }
        Err(ApiError::NotFound)
    } else {
        Err(ApiError::MethodNotAllowed {
            allow: allowed.join(", "),
        })
    }
}

pub fn extractor_errors(cfg: &mut web::ServiceConfig) {
    // Path segments that do not parse (a malformed id) name nothing that exists: 404.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            ApiError::BadRequest(format!("the query string is malformed: {err}")).into()
        }));
}
