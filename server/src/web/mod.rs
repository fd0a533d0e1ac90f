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
pub mod text;

use actix_web::web;

pub use error::{PageError, PageResult};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(search::home))
        .route("/aanbod/{id}", web::get().to(offering::offering_page));
}
