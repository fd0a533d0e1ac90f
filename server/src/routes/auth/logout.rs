use actix_web::{HttpResponse, post, web};

use crate::auth::Caller;
use crate::db::models::session::Session;
use crate::error::ApiResult;
use crate::state::AppState;

/// End the caller's session: its refresh token and every access token of it stop working.
#[utoipa::path(tag = "identity", security(("bearer" = [])), responses((status = 204)))]
#[post("/logout")]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    Session::revoke(&mut conn, caller.session_id, "logout", state.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
