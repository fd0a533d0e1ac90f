//! The browser's session: a cookie holding an opaque token that names a row of `sessions`
//! (only its hash is stored), so it ends exactly like a token session: logout, a password
//! reset and erasure revoke the row. `Visitor` is the page's caller, logged in or not;
//! `SignedIn` sends a logged-out visitor to the login page and back.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::Caller;
use crate::state::AppState;
use crate::usecases::offerings;
use crate::web::PageError;
use crate::web::csrf::Csrf;
use crate::web::layout::{Layout, Section, render};

pub const SESSION_COOKIE: &str = "edumarkt_sessie";

/// Cookies are `Secure` unless the site is served over plain http (as under `edumarkt up`),
/// where a browser would never send them back.
pub fn secure_cookies(state: &AppState) -> bool {
    !state.config.public_url.starts_with("http://")
}

/// The session cookie for `plain`, living as long as the session row.
pub fn session_cookie(state: &AppState, plain: String) -> Cookie<'static> {
    let max_age = time::Duration::seconds(state.config.jwt.refresh_ttl.num_seconds());
    Cookie::build(SESSION_COOKIE, plain)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure_cookies(state))
        .max_age(max_age)
        .finish()
}

/// Tells the browser to forget its session cookie.
pub fn forget_session(response: &mut HttpResponse) {
    let cookie = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    // A cookie built here always has a valid name and value.
    let _ = response.add_removal_cookie(&cookie);
}

/// `terug` as a path on this site to return to, or None: only a relative path of this site
/// is accepted (`/account`, `/aanbod/x?y=z`), so the login page cannot be made to send anyone
/// elsewhere (`//evil.example`, `/\evil.example`, `https://…` are refused).
pub fn safe_back(terug: &str) -> Option<&str> {
    let ok = terug.starts_with('/')
        && !terug.starts_with("//")
        && !terug.contains('\\')
        && !terug.chars().any(char::is_control)
        && terug.len() <= 2000;
    ok.then_some(terug)
}

/// Where the login page sends a visitor after logging in.
pub fn login_href(back: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("terug", back)
        .finish();
    format!("/inloggen?{query}")
}

/// The base layout of a page for this caller: the header shows their name and a logout
/// button, or a login link.
pub fn layout(
    caller: Option<&Caller>,
    csrf: &Csrf,
    dashboard: bool,
    title: impl Into<String>,
    section: Section,
) -> Layout {
    let layout = Layout::new(title, section);
    match caller {
        Some(caller) => layout
            .with_account(caller.user.display_name.clone(), csrf.token.clone())
            .with_dashboard(dashboard)
            .with_moderator(caller.user.is_moderator),
        None => layout,
    }
}

/// A rendered page, carrying the form cookie when the page made one.
pub fn respond(csrf: &Csrf, status: StatusCode, page: &impl Template) -> HttpResponse {
    let mut response = render(status, page);
    csrf.attach(&mut response);
    response
}

/// The visitor of a page: the caller of the session cookie (None when there is none, or its
/// session has ended) and the CSRF token for the page's forms.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub caller: Option<Caller>,
    pub csrf: Csrf,
    /// The caller writes a provider's offerings (the menu links to the dashboard).
    pub dashboard: bool,
}

impl Visitor {
    pub fn layout(&self, title: impl Into<String>, section: Section) -> Layout {
        layout(
            self.caller.as_ref(),
            &self.csrf,
            self.dashboard,
            title,
            section,
        )
    }

    async fn resolve(req: HttpRequest) -> Result<Visitor, PageError> {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| PageError::Internal(anyhow::anyhow!("AppState is not registered")))?;
        let csrf = Csrf::for_request(&req, &state)?;
        let (caller, dashboard) = match req.cookie(SESSION_COOKIE) {
            Some(cookie) if !cookie.value().is_empty() => {
                let mut conn = state.conn().await?;
                let caller = Caller::of_browser_token(&mut conn, cookie.value(), state.clock.now())
                    .await
                    .map_err(|e| PageError::Internal(e.into()))?;
                let dashboard = match &caller {
                    Some(caller) => offerings::manages_offerings(&mut conn, caller).await?,
                    None => false,
                };
                (caller, dashboard)
            }
            _ => (None, false),
        };
        Ok(Visitor {
            caller,
            csrf,
            dashboard,
        })
    }
}

impl FromRequest for Visitor {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(Visitor::resolve(req.clone()))
    }
}

/// A logged-in visitor. A logged-out one is sent to `/inloggen?terug=<this page>` (303) and
/// comes back here after logging in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub caller: Caller,
    pub csrf: Csrf,
    pub dashboard: bool,
}

impl SignedIn {
    pub fn layout(&self, title: impl Into<String>, section: Section) -> Layout {
        layout(
            Some(&self.caller),
            &self.csrf,
            self.dashboard,
            title,
            section,
        )
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let back = match req.query_string() {
                "" => req.path().to_owned(),
                query => format!("{}?{query}", req.path()),
            };
            let visitor = Visitor::resolve(req).await?;
            match visitor.caller {
                Some(caller) => Ok(SignedIn {
                    caller,
                    csrf: visitor.csrf,
                    dashboard: visitor.dashboard,
                }),
                None => Err(PageError::LoginRequired { back }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        for good in [
            "/account",
            "/aanbod/1?aantal=3",
            "/invitations/accept?token=a%2Fb",
        ] {
            assert_eq!(safe_back(good), Some(good));
        }
        for bad in [
            "",
            "account",
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "/\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_back(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_login_link_carries_the_page_encoded() {
        assert_eq!(
            login_href("/invitations/accept?token=a&b=c"),
            "/inloggen?terug=%2Finvitations%2Faccept%3Ftoken%3Da%26b%3Dc"
        );
    }
}
