//! `/v1/search/*` and `/v1/compare`: finding offerings (and, for providers, open bundles) and
//! putting offerings side by side.

pub mod bundle_params;
mod bundles;
mod compare;
mod hit;
mod offerings;
pub mod params;
mod tenant_token;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/search")
            .service(offerings::search_offerings)
            .service(bundles::search_bundles)
            .service(tenant_token::create_tenant_token),
    )
    .service(compare::compare_offerings);
}
