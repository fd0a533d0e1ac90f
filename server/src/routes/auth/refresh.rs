use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::identity::{self, TokenPair};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a used
/// one again revokes the whole session, since it means the token was copied.
#[utoipa::path(tag = "identity", request_body = RefreshRequest, responses((status = 200, body = TokenPair)))]
#[post("/refresh")]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let pair = identity::refresh(
        &mut conn,
        &state.jwt,
        &body.0.refresh_token,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}
