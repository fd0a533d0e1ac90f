//! The web interface: server-rendered pages in Dutch over the same use cases and search as the
//! API (`usecases`, `Search::offerings`), styled with the NL Design System's CSS served by the
//! binary (`http::assets`). Pages work without JavaScript; the Content-Security-Policy forbids
//! inline script and style, so all styling is in stylesheets.
//!
//! The parts every page builds on: `layout` (the base layout and rendering), `text` (every
//! Dutch text), `form` (error summary and field errors), `error` (a `DomainError` as a Dutch
//! page), `format` (money, labels, dates).

pub mod error;
pub mod form;
pub mod format;
pub mod layout;
mod offering;
mod search;
// Compare and a provider's public profile (issue 10).
pub mod compare;
mod provider;
pub mod text;

use actix_web::http::header;
use actix_web::{HttpRequest, web};

pub use error::{PageError, PageResult};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(search::home))
        .route("/aanbod/{id}", web::get().to(offering::offering_page));
    cfg.route("/vergelijken", web::get().to(compare::compare_page))
        .route("/aanbieders/{id}", web::get().to(provider::provider_page));
}

/// Whether an unknown path is best answered with a page: a browser (asking for HTML) outside
/// the API's own paths, whose clients get problem+json whatever they accept.
pub fn wants_page(req: &HttpRequest) -> bool {
    let api = ["/v1/", "/health/", "/metrics", "/openapi.json", "/docs"]
        .iter()
        .any(|prefix| req.path().starts_with(prefix));
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    html && !api
}
