use actix_web::{HttpResponse, post, web};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::usecases::identity;

/// End the caller's session: its refresh token and every access token of it stop working.
#[utoipa::path(tag = "identity", security(("bearer" = [])), responses((status = 204)))]
#[post("/logout")]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    identity::log_out(&mut conn, &caller, state.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
