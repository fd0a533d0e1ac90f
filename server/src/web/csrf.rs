//! CSRF protection of every form that posts, checked in one place: `CsrfForm`, the only way a
//! page handler reads a posted form. The token is an HMAC, under a key derived from the
//! server's secret, of what binds the form to this browser: the session cookie when there is
//! one (a token tied to the session), else a random cookie of its own (a signed double-submit
//! cookie, for logged-out forms such as login and sign-up). Another site can neither read
//! these cookies nor compute the HMAC without the key, so it cannot forge a form post; a
//! cookie planted from a sibling domain is useless without the key too.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::token;
use crate::state::AppState;
use crate::web::PageError;
use crate::web::session::{SESSION_COOKIE, secure_cookies};

/// The cookie a logged-out browser's forms are bound to.
pub const FORM_COOKIE: &str = "edumarkt_formulier";
/// The hidden field of every posting form.
pub const FIELD: &str = "csrf";

/// The token a page puts in its forms, and the binding cookie to set when the browser had
/// none yet.
#[derive(Debug, Clone)]
pub struct Csrf {
    pub token: String,
    new_cookie: Option<String>,
    secure: bool,
}

fn mac(secret: &str, binding: &str) -> Result<Hmac<Sha256>, PageError> {
    // The key is the server's secret run through SHA-256 with a label, so a CSRF token can
    // never double as anything signed with the secret itself (access tokens).
    let key = token::hash(&format!("edumarkt csrf {secret}"));
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .map_err(|e| PageError::Internal(anyhow::anyhow!("CSRF key: {e}")))?;
    mac.update(binding.as_bytes());
    Ok(mac)
}

/// The token for `binding`, masked afresh for every page: a random pad and the HMAC XORed with
/// it. Pages are sent compressed and reflect what is typed in the URL (the search words), so a
/// token that read the same on every page could be guessed byte by byte from the compressed
/// sizes (BREACH); a masked token never repeats.
fn sign(state: &AppState, binding: &str) -> Result<String, PageError> {
    let mac = mac(state.config.jwt.secret.expose(), binding)?
        .finalize()
        .into_bytes();
    // `rand::random` draws from the thread's cryptographically secure generator.
    let pad: [u8; 32] = rand::random();
    let mut token = pad.to_vec();
    token.extend(mac.iter().zip(&pad).map(|(m, p)| m ^ p));
    Ok(URL_SAFE_NO_PAD.encode(token))
}

/// The HMAC inside a masked token, or `None` when it is not one.
fn unmask(token: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 64 {
        return None;
    }
    let (pad, masked) = bytes.split_at(32);
    Some(masked.iter().zip(pad).map(|(m, p)| m ^ p).collect())
}

/// What the browser's forms are bound to: its session cookie, else its form cookie.
fn binding(req: &HttpRequest) -> Option<String> {
    [SESSION_COOKIE, FORM_COOKIE]
        .iter()
        .find_map(|name| req.cookie(name))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

impl Csrf {
    /// The token for the forms of the page answering `req`.
    pub fn for_request(req: &HttpRequest, state: &AppState) -> Result<Csrf, PageError> {
        let secure = secure_cookies(state);
        Ok(match binding(req) {
            Some(binding) => Csrf {
                token: sign(state, &binding)?,
                new_cookie: None,
                secure,
            },
            None => {
                let fresh = token::generate().plain;
                Csrf {
                    token: sign(state, &fresh)?,
                    new_cookie: Some(fresh),
                    secure,
                }
            }
        })
    }

    /// Sets the form cookie on `response` when this page made a new one.
    pub fn attach(&self, response: &mut HttpResponse) {
        if let Some(value) = &self.new_cookie {
            let cookie = Cookie::build(FORM_COOKIE, value.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(self.secure)
                .finish();
            // A cookie built here always has a valid name and value.
            let _ = response.add_cookie(&cookie);
        }
    }
}

/// A posted form whose CSRF token matched; anything else is refused before the handler runs
/// (403 with a Dutch page), so a forged post changes nothing. Fields are read by name: a
/// missing one reads as empty, so odd input is a form error, never a 500.
#[derive(Debug)]
pub struct CsrfForm {
    fields: Vec<(String, String)>,
}

impl CsrfForm {
    /// The value of field `name` (the first, if repeated), or "" when absent.
    pub fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every field in the order posted (repeated names included, as a list of ticked boxes).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn is_checked(&self, name: &str) -> bool {
        !self.value(name).is_empty()
    }

    /// Every value of field `name`, in the order posted (a group of checkboxes).
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn verify(req: &HttpRequest, state: &AppState, body: &[u8]) -> Result<CsrfForm, PageError> {
        let fields: Vec<(String, String)> = form_urlencoded::parse(body)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        let form = CsrfForm { fields };
        let binding = binding(req).ok_or(PageError::StaleForm)?;
        let presented = unmask(form.value(FIELD)).ok_or(PageError::StaleForm)?;
        // A form loaded before a rotation of the secret still posts (RUNBOOK.md). Each
        // `verify_slice` compares in constant time.
        let jwt = &state.config.jwt;
        for secret in std::iter::once(&jwt.secret).chain(&jwt.previous_secrets) {
            if mac(secret.expose(), &binding)?
                .verify_slice(&presented)
                .is_ok()
            {
                return Ok(form);
            }
        }
        Err(PageError::StaleForm)
    }
}

impl FromRequest for CsrfForm {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|_| PageError::BadRequest)?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| {
                    PageError::Internal(anyhow::anyhow!("AppState is not registered"))
                })?;
            Ok(CsrfForm::verify(&req, &state, &body)?)
        })
    }
}
