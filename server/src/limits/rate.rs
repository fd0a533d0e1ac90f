//! Per-client request limits on the public and authentication routes, counted in the database
//! (`limits::counter`) so that they hold across every `serve` process: a client spreading its
//! requests over the processes behind a balancer meets the same limit as one talking to one.
//! One upsert per limited request; the rest of the routes (a logged-in user's own data) are
//! not counted.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceRequest;
use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::config::RateLimitConfig;
use crate::error::ApiError;
use crate::limits::counter;
use crate::routes::auth::client_address;
use crate::state::AppState;

/// Which limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Sign-up, login, password reset, verification mail: each guesses a password or sends a
    /// mail, so the limit is low.
    Auth,
    /// What anybody may read without an account.
    Public,
}

impl Class {
    fn scope(self) -> &'static str {
        match self {
            Class::Auth => "rate-auth",
            Class::Public => "rate-public",
        }
    }

    fn limit(self, config: &RateLimitConfig) -> u32 {
        match self {
            Class::Auth => config.auth_per_client,
            Class::Public => config.public_per_client,
        }
    }
}

/// The page forms that log in, register or send a mail.
const AUTH_PAGES: [&str; 5] = [
    "/inloggen",
    "/registreren",
    "/password-reset",
    "/wachtwoord-vergeten",
    "/bevestigingslink",
];

/// The anonymous reads of the API and of the pages (by path prefix; "/" is the home page).
const PUBLIC_API: [&str; 5] = [
    "/v1/search",
    "/v1/compare",
    "/v1/offerings",
    "/v1/providers",
    "/v1/taxonomy",
];
const PUBLIC_PAGES: [&str; 3] = ["/aanbod", "/aanbieders", "/vergelijken"];

pub fn classify(method: &Method, path: &str) -> Option<Class> {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if method == Method::POST {
        if under("/v1/auth") || AUTH_PAGES.contains(&path) {
            return Some(Class::Auth);
        }
        return None;
    }
    let reads = method == Method::GET || method == Method::HEAD;
    if reads && (path == "/" || PUBLIC_API.iter().chain(&PUBLIC_PAGES).any(|p| under(p))) {
        return Some(Class::Public);
    }
    None
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(class) = classify(req.method(), req.path()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let config = &state.config.rate_limits;
    let limit = class.limit(config);
    if limit > 0 {
        let client = client_address(req.request(), state.config.trust_forwarded_for);
        if let Err(refusal) = count(&state, class, limit, &client.to_string()).await {
            return Ok(if crate::web::is_page_path(req.path()) {
                req.error_response(crate::web::PageError::from(refusal))
            } else {
                req.error_response(refusal)
            });
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Counts the request; `Err` is the refusal (429, or the 503 of a pool with nothing free).
/// The connection goes back to the pool before the route asks for its own.
async fn count(state: &AppState, class: Class, limit: u32, client: &str) -> Result<(), ApiError> {
    let window = state.config.rate_limits.window;
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let counted = counter::hit(&mut conn, class.scope(), client, window, now).await?;
    // `hit` counts this request too: the limit-th request passes, the one after is refused.
    match counted.wait(limit.saturating_add(1), window, now) {
        Some(retry_after_secs) => Err(ApiError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_posts_count_against_the_auth_limit() {
        for path in [
            "/v1/auth/login",
            "/v1/auth/verify-email/resend",
            "/inloggen",
        ] {
            assert_eq!(classify(&Method::POST, path), Some(Class::Auth), "{path}");
        }
        assert_eq!(classify(&Method::GET, "/inloggen"), None);
    }

    #[test]
    fn anonymous_reads_count_against_the_public_limit() {
        for path in [
            "/",
            "/v1/search/offerings",
            "/v1/offerings/0193",
            "/aanbod/0193",
            "/vergelijken",
        ] {
            assert_eq!(classify(&Method::GET, path), Some(Class::Public), "{path}");
        }
    }

    #[test]
    fn other_routes_are_not_counted() {
        assert_eq!(classify(&Method::GET, "/v1/me"), None);
        assert_eq!(classify(&Method::GET, "/v1/searchx"), None);
        assert_eq!(classify(&Method::POST, "/v1/offerings/0193/publish"), None);
        assert_eq!(classify(&Method::GET, "/health/ready"), None);
    }
}
