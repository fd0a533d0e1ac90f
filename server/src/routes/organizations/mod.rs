//! `/v1/organizations`: school boards, schools, networks and providers, with their members.

mod create;
mod get;
mod lookup;
mod members;
mod response;
mod update;

pub use response::OrganizationResponse;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/organizations")
            .service(create::create_organization)
            .service(lookup::lookup_organizations)
            .service(get::get_organization)
            .service(update::update_organization)
            .service(members::list_members)
            .service(members::invite_member)
            .service(members::remove_member),
    );
}

pub use members::accept_invitation;
