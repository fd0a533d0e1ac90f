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

/// The address failed logins and rate limits are counted against: the peer, or behind a
/// trusted proxy (`EDUMARKT_TRUST_FORWARDED_FOR`) the last `X-Forwarded-For` entry, which that
/// proxy appended. The entries before it are whatever the client sent: taking the first, a
/// client would choose its own address and so a fresh count per request.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| {
            last_forwarded(
                req.headers()
                    .get_all("x-forwarded-for")
                    .filter_map(|v| v.to_str().ok()),
            )
        })
        .flatten();
    forwarded
        .or_else(|| req.peer_addr().map(|a| a.ip()))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

/// The last address of the `X-Forwarded-For` field lines (a proxy may add a line or extend
/// the last one); `None` when that entry is not an address.
fn last_forwarded<'a>(lines: impl Iterator<Item = &'a str>) -> Option<IpAddr> {
    lines
        .flat_map(|line| line.split(','))
        .last()
        .and_then(|entry| entry.trim().parse().ok())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_appended_entry_is_the_client() {
        let lines = ["203.0.113.9, 10.1.1.1", "198.51.100.4"];
        assert_eq!(
            last_forwarded(lines.into_iter()),
            Some("198.51.100.4".parse().unwrap())
        );
        assert_eq!(
            last_forwarded(["1.2.3.4 , 2001:db8::7 "].into_iter()),
            Some("2001:db8::7".parse().unwrap())
        );
    }

    #[test]
    fn a_last_entry_that_is_no_address_counts_as_none() {
        assert_eq!(last_forwarded(["1.2.3.4, unknown"].into_iter()), None);
        assert_eq!(last_forwarded(std::iter::empty()), None);
    }
}
