use std::net::IpAddr;

use actix_web::{HttpRequest, HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::password;
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::routes::auth::tokens::{self, TokenPair};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The address failed logins are counted against.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| {
            req.connection_info()
                .realip_remote_addr()
                .and_then(|a| a.parse::<IpAddr>().ok())
        })
        .flatten();
    forwarded
        .or_else(|| req.peer_addr().map(|a| a.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// Log in with e-mail and password. Wrong e-mail and wrong password give the same answer;
/// repeated failures per account and per client address are throttled (429, `Retry-After`).
#[utoipa::path(tag = "identity", request_body = LoginRequest, responses((status = 200, body = TokenPair)))]
#[post("/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let LoginRequest {
        email,
        password: typed,
    } = body.0;
    let account = email.trim().to_lowercase();
    let client = client_address(&req, state.config.trust_forwarded_for);
    let now = state.clock.now();
    if let Some(retry_after_secs) = state.throttle.check(&account, client, now) {
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }
    let mut conn = state.conn().await?;
    let user = User::find_by_email(&mut conn, &account).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = password::verify(typed, stored).await?;
    let Some(user) = user.filter(|_| matches) else {
        state.throttle.record_failure(&account, client, now);
        return Err(ApiError::Unauthorized(
            "The e-mail address or password is wrong.".into(),
        ));
    };
    state.throttle.record_success(&account);
    if !user.is_verified() {
        return Err(ApiError::Forbidden(
            "Confirm your e-mail address first; we sent you a link (ask for a new one at /v1/auth/verify-email/resend).".into(),
        ));
    }
    let refresh_ttl = state.config.jwt.refresh_ttl;
    let pair: TokenPair = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let session = Session::create(conn, user.id, now, now + refresh_ttl).await?;
            tokens::issue(conn, &state, user.id, session.id, now).await
        })
        .await?;
    tracing::info!(user_id = %user.id, "logged in");
    Ok(HttpResponse::Ok().json(pair))
}
