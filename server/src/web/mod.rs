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
// Sessions and the account pages.
mod account;
pub mod csrf;
pub mod session;
mod sign_in;
// A provider's dashboard (issue 10): profile, offerings, the offering form, history.
mod dashboard;
mod offering_form;
mod profile;
// Shortlists: saving, sharing within the organisation, changing.
pub mod shortlist;
// Reviews: on an offering's page, the form, "my reviews", how they work.
mod review_follow_up;
mod review_form;
mod reviews;
// Reviews: the provider's replies, reporting, moderation.
mod review_admin;
// A network's insight into its demand (issue 12).
pub mod insight;
// Bundled demand and tenders (issue 12): where their pages live.
mod bundle;
mod bundle_form;
pub mod tender_paths;
// The tender's questions and answers, and the owner's evaluation and award.
mod evaluation;
mod tender_questions;
// A provider's tender pages: finding bundles, the offer, interest profiles.
mod interests;
mod tender_provider;

use actix_web::http::header;
use actix_web::{HttpRequest, web};

pub use error::{PageError, PageResult};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // A provider's tender pages, before any `/bundels/{id}` page, which would take
    // `/bundels/zoeken`.
    cfg.configure(tender_provider::configure)
        .configure(interests::configure);
    cfg.route("/", web::get().to(search::home))
        .route("/aanbod/{id}", web::get().to(offering::offering_page));
    // Sessions and the account pages; `/verify-email`, `/password-reset` and
    // `/invitations/accept` are the paths the mails link to.
    cfg.route("/inloggen", web::get().to(sign_in::login_page))
        .route("/inloggen", web::post().to(sign_in::log_in))
        .route("/uitloggen", web::post().to(sign_in::log_out))
        .route("/registreren", web::get().to(sign_in::register_page))
        .route("/registreren", web::post().to(sign_in::register))
        .route("/verify-email", web::get().to(sign_in::verify_email))
        .route("/password-reset", web::get().to(sign_in::reset_page))
        .route("/password-reset", web::post().to(sign_in::reset))
        .route(
            "/invitations/accept",
            web::get().to(account::invitation_page),
        )
        .route(
            "/invitations/accept",
            web::post().to(account::accept_invitation),
        )
        .route("/account", web::get().to(account::show))
        .route("/account/gegevens", web::get().to(account::export))
        .route("/account/verwijderen", web::post().to(account::erase));
    for (path, request) in [
        ("/wachtwoord-vergeten", sign_in::MailRequest::PasswordReset),
        ("/bevestigingslink", sign_in::MailRequest::Verification),
    ] {
        cfg.service(
            web::resource(path)
                .app_data(web::Data::new(request))
                .route(web::get().to(sign_in::mail_request_page))
                .route(web::post().to(sign_in::mail_request)),
        );
    }
    cfg.route("/vergelijken", web::get().to(compare::compare_page))
        .route("/aanbieders/{id}", web::get().to(provider::provider_page));
    // A provider's dashboard.
    cfg.route("/beheer", web::get().to(dashboard::dashboard))
        .route(
            "/beheer/aanbieders/{id}/nieuw-aanbod",
            web::get().to(dashboard::new_offering),
        )
        .route(
            "/beheer/aanbieders/{id}/nieuw-aanbod",
            web::post().to(dashboard::create_offering),
        )
        .route(
            "/beheer/aanbieders/{id}/profiel",
            web::get().to(profile::edit_profile),
        )
        .route(
            "/beheer/aanbieders/{id}/profiel",
            web::post().to(profile::update_profile),
        )
        .route(
            "/beheer/aanbod/{id}",
            web::get().to(dashboard::edit_offering),
        )
        .route(
            "/beheer/aanbod/{id}",
            web::post().to(dashboard::update_offering),
        )
        .route(
            "/beheer/aanbod/{id}/publiceren",
            web::post().to(dashboard::publish),
        )
        .route(
            "/beheer/aanbod/{id}/archiveren",
            web::post().to(dashboard::archive),
        )
        .route(
            "/beheer/aanbod/{id}/geschiedenis",
            web::get().to(dashboard::history),
        );
    cfg.configure(review_admin::configure);
    // Shortlists. `/lijsten/bewaren` before `/lijsten/{id}`, which would otherwise take it.
    cfg.route("/lijsten", web::get().to(shortlist::lists))
        .route("/lijsten", web::post().to(shortlist::create))
        .route("/lijsten/bewaren", web::get().to(shortlist::save_form))
        .route(
            "/lijsten/bewaren",
            web::post().to(shortlist::save_offerings),
        )
        .route("/lijsten/{id}", web::get().to(shortlist::list))
        .route("/lijsten/{id}/naam", web::post().to(shortlist::rename))
        .route("/lijsten/{id}/notitie", web::post().to(shortlist::note))
        .route("/lijsten/{id}/weghalen", web::post().to(shortlist::remove))
        .route(
            "/lijsten/{id}/verwijderen",
            web::post().to(shortlist::delete),
        );
    configure_reviews(cfg);
    cfg.configure(bundle::configure);
    cfg.route(
        "/netwerken/{id}/inzicht",
        web::get().to(insight::insight_page),
    );
    cfg.configure(tender_questions::configure)
        .configure(evaluation::configure);
}

/// The review pages a reader and an author use.
fn configure_reviews(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/aanbod/{id}/beoordelen",
        web::get().to(review_form::new_review),
    )
    .route(
        "/aanbod/{id}/beoordelen",
        web::post().to(review_form::create_review),
    )
    .route(
        "/beoordelingen/uitleg",
        web::get().to(reviews::how_reviews_work),
    )
    .route(
        "/beoordelingen/{id}/bewerken",
        web::get().to(review_form::edit_review),
    )
    .route(
        "/beoordelingen/{id}/bewerken",
        web::post().to(review_form::update_review),
    )
    .route(
        "/beoordelingen/{id}/verwijderen",
        web::get().to(review_form::delete_page),
    )
    .route(
        "/beoordelingen/{id}/verwijderen",
        web::post().to(review_form::delete_review),
    )
    .route("/beoordelingen/{id}/nuttig", web::post().to(reviews::vote))
    .route(
        "/beoordelingen/{id}/vervolg",
        web::get().to(review_follow_up::follow_up_form),
    )
    .route(
        "/beoordelingen/{id}/vervolg",
        web::post().to(review_follow_up::record_follow_up),
    )
    .route(
        "/beoordelingen/{id}/bevestigen",
        web::post().to(reviews::confirm),
    )
    .route("/account/beoordelingen", web::get().to(reviews::my_reviews));
}

/// Whether `path` is a page's or one of the pages' (not the API's, the probes', the metrics',
/// the API documentation's or an asset's).
pub fn is_page_path(path: &str) -> bool {
    const NOT_PAGES: [&str; 6] = [
        "/v1",
        "/health",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/assets",
    ];
    !NOT_PAGES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Whether an unknown path is best answered with a page: a browser (asking for HTML) outside
/// the API's own paths, whose clients get problem+json whatever they accept.
pub fn wants_page(req: &HttpRequest) -> bool {
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    html && is_page_path(req.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_probes_metrics_docs_and_assets_are_no_pages() {
        for page in [
            "/",
            "/aanbod/%00",
            "/beheer",
            "/v1x",
            "/healthy",
            "/lijsten/1",
        ] {
            assert!(is_page_path(page), "{page}");
        }
        for other in [
            "/v1",
            "/v1/search/offerings",
            "/health/live",
            "/metrics",
            "/openapi.json",
            "/docs",
            "/docs/assets/init.js",
            "/assets/edumarkt.css",
        ] {
            assert!(!is_page_path(other), "{other}");
        }
    }
}
