//! Where the tender pages live: one place for every path of a bundle's pages, so the pages,
//! the mails and the tests link to the same addresses. Handlers are registered in
//! `web::configure`; `/bundels/zoeken` and `/bundels/nieuw` before `/bundels/{id}`, which
//! would otherwise take them.

use crate::domain::{BundleId, BundleQuestionId, InterestProfileId, OfferId, OrganizationId};

/// The bundles the visitor's organisations own or joined, and those they may join.
pub const BUNDLES: &str = "/bundels";
/// Open bundles for providers: the bundles index with its facets.
pub const FIND_BUNDLES: &str = "/bundels/zoeken";
/// The form that drafts a bundle.
pub const NEW_BUNDLE: &str = "/bundels/nieuw";

/// A bundle's page: its need, conditions, status and the actions of the visitor's part.
pub fn bundle_href(id: BundleId) -> String {
    format!("/bundels/{id}")
}

/// A bundle's page followed by one of its actions or sub-pages (`bewerken`, `openen`, …).
pub fn bundle_action(id: BundleId, action: &str) -> String {
    format!("/bundels/{id}/{action}")
}

/// The questions and answers (the nota van inlichtingen).
pub fn questions_href(id: BundleId) -> String {
    bundle_action(id, "vragen")
}

/// Where the owner answers one question.
pub fn answer_href(id: BundleId, question: BundleQuestionId) -> String {
    format!("/bundels/{id}/vragen/{question}/antwoord")
}

/// A provider's own offer on the bundle: the form to submit, change, confirm or withdraw it.
pub fn offer_href(id: BundleId) -> String {
    bundle_action(id, "offerte")
}

/// The owner's evaluation: the offers after the deadline, scoring, the ranking and the award.
pub fn evaluation_href(id: BundleId) -> String {
    bundle_action(id, "beoordeling")
}

/// Where the owner scores one offer.
pub fn scores_href(id: BundleId, offer: OfferId) -> String {
    format!("/bundels/{id}/offertes/{offer}/scores")
}

/// A provider's interest profiles (a mail when a matching bundle opens).
pub fn interests_href(provider: OrganizationId) -> String {
    format!("/beheer/aanbieders/{provider}/interesses")
}

/// Where one interest profile is deleted.
pub fn interest_delete_href(provider: OrganizationId, profile: InterestProfileId) -> String {
    format!("/beheer/aanbieders/{provider}/interesses/{profile}/verwijderen")
}
