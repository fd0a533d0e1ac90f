use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::identity;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Ask for a password-reset link. Always 202, whether or not the address is registered.
#[utoipa::path(tag = "identity", request_body = PasswordResetRequest, responses((status = 202)))]
#[post("/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    identity::request_password_reset(
        &mut conn,
        &body.0.email,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// Set a new password with the token from the reset mail. Every session of the account ends.
#[utoipa::path(tag = "identity", request_body = PasswordResetConfirm, responses((status = 204)))]
#[post("/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetConfirm>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    identity::reset_password(
        &mut conn,
        &body.0.token,
        &body.0.password,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
