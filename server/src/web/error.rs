//! The pages' error: what a use case or the search refuses, as a Dutch page with the right
//! status. Causes of internal errors are logged, never shown (as in `crate::error`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::domain::DomainError;
use crate::error::ApiError;
use crate::web::layout::{Layout, Section, render};
use crate::web::text as t;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The object's state does not allow it, or it changed meanwhile.
    #[error("conflict")]
    Conflict,
    /// Input a page could not show in its own form.
    #[error("bad request")]
    BadRequest,
    /// A part the page needs (the search engine) is down for now.
    #[error("unavailable")]
    Unavailable,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// A posted form without a valid CSRF token (forged, or older than the visitor's login).
    #[error("form token missing or invalid")]
    StaleForm,
    /// A page for logged-in visitors: log in first, then come `back`.
    #[error("login required")]
    LoginRequired { back: String },
    #[error(transparent)]
    Internal(anyhow::Error),
}

pub type PageResult<T> = Result<T, PageError>;

impl From<DomainError> for PageError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound => PageError::NotFound,
            // Pages with a session send the visitor to log in before a use case can say this.
            DomainError::Forbidden(reason) | DomainError::Unauthenticated(reason) => {
                PageError::Forbidden(reason)
            }
            DomainError::Throttled { retry_after_secs } => {
                PageError::TooManyRequests { retry_after_secs }
            }
            DomainError::Conflict(_) | DomainError::Stale | DomainError::PreconditionRequired => {
                PageError::Conflict
            }
            DomainError::Invalid(_) => PageError::BadRequest,
            DomainError::Internal(cause) => PageError::Internal(cause),
        }
    }
}

/// The plumbing the pages share with the API (the pool, the search engine) answers `ApiError`.
impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound => PageError::NotFound,
            ApiError::Forbidden(reason) => PageError::Forbidden(reason),
            ApiError::Conflict(_) | ApiError::PreconditionFailed => PageError::Conflict,
            ApiError::Validation(_) | ApiError::BadRequest(_) => PageError::BadRequest,
            ApiError::Unavailable(_) => PageError::Unavailable,
            ApiError::TooManyRequests { retry_after_secs } => {
                PageError::TooManyRequests { retry_after_secs }
            }
            other => PageError::Internal(anyhow::anyhow!(other)),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Layout,
    heading: &'static str,
    text: &'static str,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::Conflict => StatusCode::CONFLICT,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            PageError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            PageError::StaleForm => StatusCode::FORBIDDEN,
            PageError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::LoginRequired { back } = self {
            return HttpResponse::SeeOther()
                .insert_header((
                    actix_web::http::header::LOCATION,
                    crate::web::session::login_href(back),
                ))
                .finish();
        }
        let (heading, text) = match self {
            PageError::NotFound => (t::NOT_FOUND_TITLE, t::NOT_FOUND_TEXT),
            PageError::Forbidden(_) => (t::FORBIDDEN_TITLE, t::FORBIDDEN_TEXT),
            PageError::Conflict => (t::CONFLICT_TITLE, t::CONFLICT_TEXT),
            PageError::BadRequest => (t::BAD_REQUEST_TITLE, t::BAD_REQUEST_TEXT),
            PageError::Unavailable => (t::UNAVAILABLE_TITLE, t::UNAVAILABLE_TEXT),
            PageError::TooManyRequests { .. } => (t::TOO_MANY_TITLE, t::TOO_MANY_TEXT),
            PageError::StaleForm => (t::STALE_FORM_TITLE, t::STALE_FORM_TEXT),
            // Answered above with a redirect.
            PageError::LoginRequired { .. } => (t::FORBIDDEN_TITLE, t::FORBIDDEN_TEXT),
            PageError::Internal(cause) => {
                tracing::error!(error = ?cause, "a page failed");
                (t::INTERNAL_TITLE, t::INTERNAL_TEXT)
            }
        };
        let mut response = render(
            self.status_code(),
            &ErrorPage {
                page: Layout::new(heading, Section::Other),
                heading,
                text,
            },
        );
        let retry_after = match self {
            PageError::Unavailable => Some(2),
            PageError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        if let Some(seconds) = retry_after
            && let Ok(value) = actix_web::http::header::HeaderValue::from_str(&seconds.to_string())
        {
            response
                .headers_mut()
                .insert(actix_web::http::header::RETRY_AFTER, value);
        }
        response
    }
}
