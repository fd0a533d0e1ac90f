//! `/v1/auth/*`: register, verify e-mail, login, refresh, logout, password reset.

mod login;
mod logout;
mod password_reset;
mod refresh;
mod register;
mod verify_email;

/// The pages' login counts failures against the same address as the API's.
pub use login::client_address;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/auth")
            .service(register::register_user)
            .service(verify_email::verify_email)
            .service(verify_email::resend_verification)
            .service(login::login)
            .service(refresh::refresh_tokens)
            .service(logout::logout)
            .service(password_reset::request_password_reset)
            .service(password_reset::confirm_password_reset),
    );
}
