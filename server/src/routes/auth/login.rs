use std::net::IpAddr;

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::identity::{self, Credentials, TokenPair};

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
    let credentials = Credentials {
        email: body.0.email,
        password: body.0.password,
        client: client_address(&req, state.config.trust_forwarded_for),
    };
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let user = identity::authenticate(&mut conn, &state.throttle, credentials, now).await?;
    let pair = identity::start_session(
        &mut conn,
        &state.jwt,
        &user,
        state.config.jwt.refresh_ttl,
        now,
    )
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}
