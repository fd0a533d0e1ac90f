use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::identity;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    pub token: String,
}

/// Confirm an e-mail address with the token from the verification mail.
#[utoipa::path(tag = "identity", request_body = VerifyEmailRequest,
    responses((status = 204, description = "The address is confirmed")))]
#[post("/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<VerifyEmailRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    identity::verify_email(&mut conn, &body.0.token, state.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendVerificationRequest {
    pub email: String,
}

/// Send the verification mail again. Always 202, whether or not the address is registered.
#[utoipa::path(tag = "identity", request_body = ResendVerificationRequest,
    responses((status = 202, description = "If the address has an unconfirmed account, a new link is on its way")))]
#[post("/verify-email/resend")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    body: JsonBody<ResendVerificationRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    identity::resend_verification(
        &mut conn,
        &body.0.email,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}
