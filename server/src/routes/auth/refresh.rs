use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::token;
use crate::db::models::session::{RefreshToken, Session};
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::routes::auth::tokens::{self, TokenPair};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

enum Outcome {
    Rotated(TokenPair),
    Reused,
    Invalid,
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a used
/// one again revokes the whole session, since it means the token was copied.
#[utoipa::path(tag = "identity", request_body = RefreshRequest, responses((status = 200, body = TokenPair)))]
#[post("/refresh")]
pub async fn refresh_tokens(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let hash = token::hash(body.0.refresh_token.trim());
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let outcome = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let Some(presented) = RefreshToken::find_for_update(conn, &hash).await? else {
                return Ok(Outcome::Invalid);
            };
            if presented.used_at.is_some() {
                Session::revoke(conn, presented.session_id, "refresh token reused", now).await?;
                return Ok(Outcome::Reused);
            }
            let Some(session) = Session::find_active(conn, presented.session_id, now).await? else {
                return Ok(Outcome::Invalid);
            };
            RefreshToken::mark_used(conn, &hash, now).await?;
            Ok(Outcome::Rotated(
                tokens::issue(conn, &state, session.user_id, session.id, now).await?,
            ))
        })
        .await?;
    match outcome {
        Outcome::Rotated(pair) => Ok(HttpResponse::Ok().json(pair)),
        Outcome::Reused => {
            tracing::warn!("a used refresh token was presented again; its session is revoked");
            Err(ApiError::Unauthorized(
                "This refresh token was already used; the session has been ended. Log in again."
                    .into(),
            ))
        }
        Outcome::Invalid => Err(ApiError::Unauthorized(
            "The refresh token is unknown or its session has ended.".into(),
        )),
    }
}
