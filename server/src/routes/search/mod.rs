//! `/v1/search/*` and `/v1/compare`: finding offerings and putting them side by side.

mod compare;
mod hit;
mod offerings;
pub mod params;
mod tenant_token;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/search")
            .service(offerings::search_offerings)
            .service(tenant_token::create_tenant_token),
    )
    .service(compare::compare_offerings);
}
