//! Issuing an access and refresh token pair for a session.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;

use crate::auth::token;
use crate::db::models::session::RefreshToken;
use crate::domain::{SessionId, UserId};
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

pub async fn issue(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    user_id: UserId,
    session_id: SessionId,
    now: DateTime<Utc>,
) -> ApiResult<TokenPair> {
    let refresh = token::generate();
    RefreshToken::insert(conn, &refresh.hash, session_id, now).await?;
    Ok(TokenPair {
        access_token: state.jwt.issue(user_id, session_id, now)?,
        refresh_token: refresh.plain,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().num_seconds(),
    })
}
