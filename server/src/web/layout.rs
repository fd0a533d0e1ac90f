//! What every page shares: the base layout's data (`templates/base.html`) and turning a
//! rendered template into a response.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use askama::Template;

use crate::http::assets;

/// The part of the page the header's menu marks as current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Search,
    Account,
    /// A provider's dashboard (`/beheer`).
    Dashboard,
    Shortlists,
    /// Bundled demand and tenders (`/bundels`).
    Bundles,
    Other,
}

/// The logged-in visitor as the header shows them: their name and a logout button (a form,
/// hence the CSRF token).
#[derive(Debug, Clone)]
pub struct HeaderAccount {
    pub name: String,
    pub csrf: String,
    /// The visitor writes a provider's offerings: the menu links to the dashboard.
    pub dashboard: bool,
    /// The visitor moderates reviews: the menu links to the moderation queue.
    pub moderator: bool,
}

/// The data of the base layout, a field `page` of every page's template.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page's own title; the layout adds the site's name.
    pub title: String,
    pub section: Section,
    pub tokens_css: &'static str,
    pub components_css: &'static str,
    pub site_css: &'static str,
    /// None: the header offers to log in.
    pub account: Option<HeaderAccount>,
}

impl Layout {
    pub fn new(title: impl Into<String>, section: Section) -> Layout {
        Layout {
            title: title.into(),
            section,
            tokens_css: assets::NLDS_TOKENS_CSS,
            components_css: assets::NLDS_COMPONENTS_CSS,
            site_css: assets::SITE_CSS,
            account: None,
        }
    }

    /// The header shows `name` logged in, with a logout button posting `csrf`.
    pub fn with_account(mut self, name: String, csrf: String) -> Layout {
        self.account = Some(HeaderAccount {
            name,
            csrf,
            dashboard: false,
            moderator: false,
        });
        self
    }

    /// The menu links to the moderation queue (for a moderator).
    pub fn with_moderator(mut self, moderator: bool) -> Layout {
        if let Some(account) = &mut self.account {
            account.moderator = moderator;
        }
        self
    }

    /// The menu links to the dashboard (for a visitor who writes a provider's offerings).
    pub fn with_dashboard(mut self, dashboard: bool) -> Layout {
        if let Some(account) = &mut self.account {
            account.dashboard = dashboard;
        }
        self
    }

    /// `aria-current="page"` belongs on the menu item of the current section.
    pub fn current(&self, section: Section) -> bool {
        self.section == section
    }
}

/// A rendered page under `status`. A template that fails to render (only a formatting error
/// of a value can make it) is logged and answered with a plain 500 page.
pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            // Pages show live data (search results, prices): always ask again.
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/html; charset=utf-8")
                .body(concat!(
                    "<!DOCTYPE html><html lang=\"nl\"><title>Er ging iets mis</title>",
                    "<h1>Er ging iets mis</h1></html>"
                ))
        }
    }
}

/// The answer to a form that did what it asked: the browser goes on to `location` (303, so a
/// reload does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
