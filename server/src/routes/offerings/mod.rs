//! `/v1/offerings` and `/v1/providers/{id}/offerings`: what providers list, from draft to
//! published to archived, with every edit versioned.

mod create;
mod get;
mod history;
mod lifecycle;
mod list;
mod response;
mod update;

pub use response::OfferingResponse;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/providers")
            .service(create::create_offering)
            .service(list::list_provider_offerings)
            // The providers' scope is this one: actix does not fall through to a second scope
            // of the same prefix.
            .service(crate::routes::interest_profiles::create_interest_profile)
            .service(crate::routes::interest_profiles::list_interest_profiles)
            .service(crate::routes::interest_profiles::delete_interest_profile),
    )
    .service(
        utoipa_actix_web::scope("/v1/offerings")
            .service(get::get_offering)
            .service(update::update_offering)
            .service(lifecycle::publish_offering)
            .service(lifecycle::archive_offering)
            .service(history::offering_history)
            .service(crate::routes::reviews::create_review)
            .service(crate::routes::reviews::list_reviews)
            .service(crate::routes::reviews::review_summary),
    );
}
