//! `/v1/organizations`: school boards, schools, networks and providers, with their members.

mod create;
mod get;
mod members;
mod response;
mod update;

pub use response::OrganizationResponse;

pub fn scope() -> utoipa_actix_web::scope::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    utoipa_actix_web::scope("/v1/organizations")
        .service(create::create_organization)
        .service(get::get_organization)
        .service(update::update_organization)
        .service(members::list_members)
        .service(members::invite_member)
        .service(members::remove_member)
}

pub use members::accept_invitation;
