//! End-to-end tests of edumarkt: its HTTP API, as a client sees it, and the `edumarkt` program.

mod account_pages;
mod auth;
mod browser;
mod bundle_offers;
mod bundle_pages;
mod bundle_questions;
mod bundle_reminders;
mod bundles;
mod cli;
mod compare;
mod compare_pages;
mod dashboard_pages;
mod edge;
mod helpers;
mod import;
mod insights;
mod jobs;
mod limits;
mod mail;
mod me;
mod metrics;
mod networks;
mod ocds;
mod offerings;
mod organizations;
mod pages;
mod plumbing;
mod processes;
mod review_admin_pages;
mod review_follow_ups;
mod review_pages;
mod review_signals;
mod review_summary;
mod reviews;
// `contract!` (one test per engine) is defined there and used by the modules after it.
#[macro_use]
mod search;
mod bundle_search;
mod search_kinds;
mod search_sync;
mod seed;
mod shortlist_pages;
mod shortlists;
mod tender_owner_pages;
mod tender_provider_pages;
mod tokens;
