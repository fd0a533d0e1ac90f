use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::identity::{self, Registration};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegisterResponse {
    /// `verification_sent`: check your mailbox. The same answer whether or not the address
    /// already had an account, so registration does not reveal who is registered.
    pub status: &'static str,
}

/// Create an account; a verification link is mailed to the address.
#[utoipa::path(tag = "identity", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse)))]
#[post("/register")]
pub async fn register_user(
    state: web::Data<AppState>,
    body: JsonBody<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let mut conn = state.conn().await?;
    let registration = Registration {
        email: &body.email,
        password: &body.password,
        display_name: &body.display_name,
    };
    identity::register(
        &mut conn,
        registration,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        status: "verification_sent",
    }))
}
