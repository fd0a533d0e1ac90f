//! End-to-end tests of edumarkt: its HTTP API, as a client sees it, and the `edumarkt` program.

mod account_pages;
mod auth;
mod browser;
mod cli;
mod compare;
mod compare_pages;
mod dashboard_pages;
mod edge;
mod helpers;
mod import;
mod jobs;
mod mail;
mod me;
mod networks;
mod offerings;
mod organizations;
mod pages;
mod plumbing;
mod processes;
mod search;
mod search_kinds;
mod search_sync;
mod seed;
mod shortlist_pages;
mod shortlists;
mod tokens;
